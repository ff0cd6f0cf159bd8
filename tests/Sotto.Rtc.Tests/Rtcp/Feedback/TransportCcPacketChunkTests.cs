using Sotto.Rtc.Rtcp;
using S = Sotto.Rtc.Rtcp.TransportCcStatusSymbol;

namespace Sotto.Rtc.Tests.Rtcp.Feedback;

public sealed class TransportCcPacketChunkTests
{
    [Fact]
    public void Decodes_the_drafts_run_length_example()
    {
        // draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1.3: 0 00 0000011011101 is a run of
        // 221 "packet not received".
        var chunk = new TransportCcPacketChunk(0b0_00_0000011011101);
        Assert.True(chunk.IsRunLength);
        Assert.Equal(221, chunk.SymbolCount);
        Assert.Equal(S.NotReceived, chunk.GetSymbol(0));
    }

    [Fact]
    public void Decodes_one_bit_vectors_most_significant_symbol_first()
    {
        // T=1 S=0, symbols 1 0 0 1 1 1 0 0 0 0 0 0 0 1
        var chunk = new TransportCcPacketChunk(0b1_0_10011100000001);
        Assert.False(chunk.IsRunLength);
        Assert.Equal(14, chunk.SymbolCount);
        S[] expected = [S.ReceivedSmallDelta, S.NotReceived, S.NotReceived, S.ReceivedSmallDelta, S.ReceivedSmallDelta, S.ReceivedSmallDelta,
            S.NotReceived, S.NotReceived, S.NotReceived, S.NotReceived, S.NotReceived, S.NotReceived, S.NotReceived, S.ReceivedSmallDelta];
        Assert.Equal(expected, Enumerable.Range(0, 14).Select(chunk.GetSymbol));
        Assert.Equal(chunk, TransportCcPacketChunk.OneBitVector(expected));
    }

    [Fact]
    public void Decodes_two_bit_vectors()
    {
        // T=1 S=1, symbols 01 10 00 11 01 00 10
        var chunk = new TransportCcPacketChunk(0b1_1_01100011010010);
        Assert.Equal(7, chunk.SymbolCount);
        S[] expected = [S.ReceivedSmallDelta, S.ReceivedLargeDelta, S.NotReceived, S.Reserved, S.ReceivedSmallDelta, S.NotReceived, S.ReceivedLargeDelta];
        Assert.Equal(expected, Enumerable.Range(0, 7).Select(chunk.GetSymbol));
        Assert.Equal(chunk, TransportCcPacketChunk.TwoBitVector(expected));
    }

    public static TheoryData<string, S[], ushort, int> Encodings => new()
    {
        { "long run", Enumerable.Repeat(S.ReceivedSmallDelta, 20).ToArray(), 0b0_01_0000000010100, 20 },
        { "rest is one run", [S.ReceivedLargeDelta, S.ReceivedLargeDelta], 0b0_10_0000000000010, 2 },
        { "mixed small", [S.ReceivedSmallDelta, S.NotReceived, .. Enumerable.Repeat(S.ReceivedSmallDelta, 13)], 0b1_0_10111111111111, 14 },
        { "large within 14, short run", [S.ReceivedSmallDelta, S.ReceivedLargeDelta, S.NotReceived, S.ReceivedSmallDelta, S.ReceivedSmallDelta, S.ReceivedSmallDelta, S.ReceivedSmallDelta, S.ReceivedSmallDelta], 0b1_1_01100001010101, 7 },
        { "large within 14, run of 8", [.. Enumerable.Repeat(S.ReceivedSmallDelta, 8), S.ReceivedLargeDelta, S.ReceivedSmallDelta], 0b0_01_0000000001000, 8 },
        { "short tail, one-bit", [S.ReceivedSmallDelta, S.NotReceived, S.ReceivedSmallDelta], 0b1_0_10100000000000, 3 },
        { "run capped at 8191", Enumerable.Repeat(S.NotReceived, 9000).ToArray(), 0b0_00_1111111111111, 8191 },
    };

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Encoder_picks_the_chunk_kind(string what, S[] symbols, ushort expected, int expectedCovered)
    {
        var chunk = TransportCcPacketChunk.Encode(symbols, out var covered);
        Assert.True(expected == chunk.Value, $"{what}: 0x{chunk.Value:x4} != 0x{expected:x4}");
        Assert.Equal(expectedCovered, covered);
        for (var i = 0; i < covered; i++)
        {
            Assert.Equal(symbols[i], chunk.GetSymbol(i));
        }
    }
}
