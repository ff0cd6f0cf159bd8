using Sotto.Rtc.Srtp;

namespace Sotto.Rtc.Tests.Srtp;

/// <summary>RFC 3711 Appendix A: the receiver's guess of the ROC.</summary>
public sealed class SrtpPacketIndexTests
{
    [Theory]
    // s_l < 2^15: a SEQ more than 2^15 above s_l belongs to the previous ROC.
    [InlineData(5, 100, 101, 5)]
    [InlineData(5, 100, 50, 5)]
    [InlineData(5, 100, 32868, 5)]       // SEQ - s_l = 32768, not > 32768
    [InlineData(5, 100, 32869, 4)]       // SEQ - s_l = 32769
    [InlineData(5, 10, 65535, 4)]
    // s_l >= 2^15: a SEQ more than 2^15 below s_l belongs to the next ROC.
    [InlineData(5, 65500, 10, 6)]
    [InlineData(5, 65500, 32732, 5)]     // s_l - 32768 = 32732, not > SEQ
    [InlineData(5, 65500, 32731, 6)]
    [InlineData(5, 40000, 39000, 5)]
    public void Guess_follows_appendix_a(uint roc, int highestSequence, int sequenceNumber, uint expectedRoc)
    {
        var highest = ((ulong)roc << 16) | (ushort)highestSequence;
        Assert.Equal(SrtpResult.Ok, SrtpPacketIndex.Estimate(highest, (ushort)sequenceNumber, out var index));
        Assert.Equal(((ulong)expectedRoc << 16) | (ushort)sequenceNumber, index);
    }

    [Fact]
    public void Packet_from_before_roc_zero_is_too_old()
    {
        Assert.Equal(SrtpResult.Replayed, SrtpPacketIndex.Estimate(100, 65000, out _));
    }

    [Fact]
    public void Roc_wrap_is_the_key_limit()
    {
        Assert.Equal(SrtpResult.KeyLimitReached, SrtpPacketIndex.Estimate(SrtpPacketIndex.MaxIndex, 3, out _));
        Assert.Equal(SrtpResult.Ok, SrtpPacketIndex.Estimate(SrtpPacketIndex.MaxIndex - 1, 0xFFFF, out var index));
        Assert.Equal(SrtpPacketIndex.MaxIndex, index);
    }
}
