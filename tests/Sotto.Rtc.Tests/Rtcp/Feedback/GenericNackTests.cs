using Sotto.Rtc.Rtcp;
using static Sotto.Rtc.Tests.Rtcp.RtcpTestBytes;

namespace Sotto.Rtc.Tests.Rtcp.Feedback;

public sealed class GenericNackTests
{
    private static readonly byte[] TwoItems = Hex(
        "81 cd 00 04", // V=2 P=0 FMT=1 PT=205(RTPFB) len=4
        "00 00 00 01", // SSRC of packet sender
        "5e 1a 7c 3b", // SSRC of media source
        "03 e8 00 05", // PID=1000 BLP=0b101: lost 1000, 1001, 1003
        "ff ff 80 00"); // PID=65535 BLP bit 15: lost 65535 and 15 (wrapped)

    [Fact]
    public void Parses_items_and_expands_lost_sequence_numbers()
    {
        Assert.True(GenericNack.TryParse(TwoItems, out var nack));
        Assert.Equal(1u, nack.SenderSsrc);
        Assert.Equal(0x5e1a7c3bu, nack.MediaSsrc);
        Assert.Equal(2, nack.Items.Count);
        Assert.Equal(new NackItem(1000, 0b101), nack.Items[0]);
        Assert.Equal(new NackItem(65535, 0x8000), nack.Items[1]);
        Assert.Equal(5, nack.CountLostPackets());
        var lost = new List<ushort>();
        foreach (var sequenceNumber in nack.EnumerateLostSequenceNumbers())
        {
            lost.Add(sequenceNumber);
        }
        Assert.Equal(new ushort[] { 1000, 1001, 1003, 65535, 15 }, lost);
    }

    [Fact]
    public void Builds_from_lost_sequence_numbers_and_round_trips_without_aliasing()
    {
        ushort[] lost = [1000, 1001, 1003, 65535, 15];
        var items = new NackItem[NackItem.CountItems(lost)];
        Assert.True(NackItem.TryCreate(lost, items, out _));
        var nack = new GenericNack(1, 0x5e1a7c3b, items);
        var written = new byte[nack.GetSerializedLength()];
        Assert.True(nack.TryWrite(written, out var n));
        Assert.Equal(TwoItems.Length, n);
        Assert.Equal(TwoItems, written);

        Assert.True(GenericNack.TryParse(written, out var parsed));
        var again = new byte[parsed.GetSerializedLength()];
        Assert.True(parsed.TryWrite(again, out _));
        Scribble(written);
        Assert.Equal(TwoItems, again);
    }

    [Theory]
    [InlineData("81 cd 00 02 00 00 00 01 5e 1a 7c 3b")]                   // no FCI: RFC 4585 needs one or more
    [InlineData("81 cd 00 03 00 00 00 01 5e 1a 7c 3b 03 e8 00")]          // length disagrees with the span
    [InlineData("8f cd 00 03 00 00 00 01 5e 1a 7c 3b 03 e8 00 05")]       // FMT=15 is transport-cc
    [InlineData("81 ce 00 03 00 00 00 01 5e 1a 7c 3b 03 e8 00 05")]       // PT=206 is PSFB
    public void Refuses_malformed_or_mistyped_packets(string hex)
    {
        Assert.False(GenericNack.TryParse(Hex(hex), out _));
    }

    [Fact]
    public void Positive_control_one_item_parses()
    {
        Assert.True(GenericNack.TryParse(Hex("81 cd 00 03 00 00 00 01 5e 1a 7c 3b 03 e8 00 05"), out var nack));
        Assert.Equal(3, nack.CountLostPackets());
    }

    [Fact]
    public void Refuses_to_write_without_items_or_into_a_short_buffer()
    {
        Assert.False(new GenericNack(1, 2, default).TryWrite(new byte[64], out _));
        var nack = new GenericNack(1, 2, [new NackItem(5, 0)]);
        Assert.False(nack.TryWrite(new byte[15], out _));
        Assert.True(nack.TryWrite(new byte[16], out var n));
        Assert.Equal(16, n);
    }
}
