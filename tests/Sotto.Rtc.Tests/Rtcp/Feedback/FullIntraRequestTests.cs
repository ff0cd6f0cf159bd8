using Sotto.Rtc.Rtcp;
using static Sotto.Rtc.Tests.Rtcp.RtcpTestBytes;

namespace Sotto.Rtc.Tests.Rtcp.Feedback;

public sealed class FullIntraRequestTests
{
    private static readonly byte[] TwoEntries = Hex(
        "84 ce 00 06", // V=2 P=0 FMT=4 PT=206 len=6
        "00 00 00 01", // SSRC of packet sender
        "00 00 00 00", // SSRC of media source: unused, 0 (RFC 5104 §4.3.1.2)
        "5e 1a 7c 3b", // FCI: SSRC
        "07 00 00 00", //   Seq nr. 7, reserved
        "5e 1a 7c 3c", // FCI: SSRC
        "ff 00 00 00"); //  Seq nr. 255, reserved

    [Fact]
    public void Round_trips_without_aliasing()
    {
        var fir = new FullIntraRequest(1, [new FirEntry(0x5e1a7c3b, 7), new FirEntry(0x5e1a7c3c, 255)]);
        var written = new byte[fir.GetSerializedLength()];
        Assert.True(fir.TryWrite(written, out var n));
        Assert.Equal(TwoEntries.Length, n);
        Assert.Equal(TwoEntries, written);

        Assert.True(FullIntraRequest.TryParse(written, out var parsed));
        Assert.Equal(1u, parsed.SenderSsrc);
        Assert.Equal(0u, parsed.MediaSsrc);
        Assert.Equal(new FirEntry(0x5e1a7c3c, 255), parsed.Entries[1]);
        var again = new byte[parsed.GetSerializedLength()];
        Assert.True(parsed.TryWrite(again, out _));
        Scribble(written);
        Assert.Equal(TwoEntries, again);
    }

    [Fact]
    public void Ignores_reserved_bits_on_reception_and_writes_them_as_zero()
    {
        var dirty = Copy(TwoEntries);
        dirty[17] = 0xAA; // reserved bits of entry 1
        Assert.True(FullIntraRequest.TryParse(dirty, out var parsed));
        var buffer = new byte[64];
        Assert.True(new FullIntraRequest(parsed.SenderSsrc, [parsed.Entries[0], parsed.Entries[1]]).TryWrite(buffer, out var n));
        Assert.Equal(TwoEntries, buffer[..n]);
    }

    [Theory]
    [InlineData("84 ce 00 02 00 00 00 01 00 00 00 00")]                         // no entry
    [InlineData("84 ce 00 03 00 00 00 01 00 00 00 00 5e 1a 7c 3b")]             // half an entry
    [InlineData("81 ce 00 04 00 00 00 01 00 00 00 00 5e 1a 7c 3b 07 00 00 00")] // FMT=1 is PLI
    public void Refuses_malformed_packets(string hex)
    {
        Assert.False(FullIntraRequest.TryParse(Hex(hex), out _));
    }

    [Fact]
    public void Positive_control_one_entry_parses_and_no_entries_do_not_write()
    {
        Assert.True(FullIntraRequest.TryParse(Hex("84 ce 00 04 00 00 00 01 00 00 00 00 5e 1a 7c 3b 07 00 00 00"), out var fir));
        Assert.Equal(1, fir.Entries.Count);
        Assert.False(new FullIntraRequest(1, []).TryWrite(new byte[64], out _));
    }
}
