using Sotto.Rtc.Rtcp;
using static Sotto.Rtc.Tests.Rtcp.RtcpTestBytes;

namespace Sotto.Rtc.Tests.Rtcp;

public sealed class RtcpCompoundReaderTests
{
    /// <summary>
    /// Shaped like what Chromium sends on a receive-only connection: RR with one report block, then SDES
    /// with a 16-character CNAME (RFC 3550 §6.1 compound). Hand-assembled from RFC 3550 §6.4.2 and §6.5.
    /// </summary>
    internal static readonly byte[] ChromiumReceiverReportAndCname = Hex(
        "81 c9 00 07", // V=2 P=0 RC=1 PT=201(RR) len=7
        "00 00 00 01", // SSRC of packet sender = 1 (libwebrtc's receive-only default RR SSRC)
        "5e 1a 7c 3b", // report block: SSRC_1
        "02 00 00 05", //   fraction lost = 2/256, cumulative lost = 5
        "00 01 13 88", //   extended highest seq = 1 cycle, 5000
        "00 00 00 1c", //   jitter = 28
        "a1 b2 c3 d4", //   LSR
        "00 01 80 00", //   DLSR = 1.5 s
        "81 ca 00 06", // V=2 P=0 SC=1 PT=202(SDES) len=6
        "00 00 00 01", // chunk SSRC = 1
        "01 10 34 54", // CNAME len=16 "4T
        "4f 6b 34 32", // Ok42
        "6d 53 6a 58", // mSjX
        "43 6b 56 49", // CkVI
        "61 36 00 00"); // a6" END, pad

    /// <summary>A lone PLI, as Chromium sends it under a=rtcp-rsize (RFC 5506).</summary>
    internal static readonly byte[] ChromiumLonePli = Hex(
        "81 ce 00 02", // V=2 P=0 FMT=1 PT=206(PSFB) len=2
        "00 00 00 01", // SSRC of packet sender
        "5e 1a 7c 3b"); // SSRC of media source

    [Fact]
    public void Walks_a_compound_receiver_report_and_sdes()
    {
        var reader = new RtcpCompoundReader(ChromiumReceiverReportAndCname);
        Assert.True(reader.MoveNext());
        Assert.Equal(RtcpPacketType.ReceiverReport, reader.Current.PacketType);
        Assert.Equal(1, reader.Current.Count);
        Assert.Equal(32, reader.Current.Packet.Length);
        Assert.Equal(28, reader.Current.Body.Length);
        Assert.True(reader.MoveNext());
        Assert.Equal(RtcpPacketType.SourceDescription, reader.Current.PacketType);
        Assert.Equal(28, reader.Current.Packet.Length);
        Assert.False(reader.MoveNext());
        Assert.False(reader.IsMalformed);
        Assert.True(RtcpCompoundReader.IsWellFormed(ChromiumReceiverReportAndCname));
        Assert.True(RtcpCompoundReader.IsStrictCompound(ChromiumReceiverReportAndCname));
    }

    [Fact]
    public void Accepts_a_lone_feedback_packet_as_reduced_size_rtcp()
    {
        var count = 0;
        foreach (var packet in new RtcpCompoundReader(ChromiumLonePli))
        {
            Assert.Equal(RtcpPacketType.PayloadSpecificFeedback, packet.PacketType);
            count++;
        }
        Assert.Equal(1, count);
        Assert.True(RtcpCompoundReader.IsWellFormed(ChromiumLonePli));
        // RFC 3550 A.2 wants an SR/RR first; RFC 5506 lifts that.
        Assert.False(RtcpCompoundReader.IsStrictCompound(ChromiumLonePli));
        Assert.True(RtcpCompoundReader.IsStrictCompound(ChromiumLonePli, reducedSize: true));
    }

    [Fact]
    public void Yields_body_without_padding_and_packet_with_it()
    {
        // V=2 P=1 FMT=1 PT=206 len=3: a PLI with 4 octets of padding (count 4).
        var padded = Hex("a1 ce 00 03", "00 00 00 01", "00 00 00 02", "00 00 00 04");
        var reader = new RtcpCompoundReader(padded);
        Assert.True(reader.MoveNext());
        Assert.Equal(16, reader.Current.Packet.Length);
        Assert.Equal(8, reader.Current.Body.Length);
        Assert.True(PictureLossIndication.TryParse(reader.Current.Packet, out var pli));
        Assert.Equal(new PictureLossIndication(1, 2), pli);
    }

    [Fact]
    public void Accepts_padding_before_the_last_packet_as_libwebrtc_sends_it_but_the_strict_check_does_not()
    {
        // Two padded packets back to back, as libwebrtc packs padded transport-cc feedback.
        var pli = Hex("a1 ce 00 03", "00 00 00 01", "00 00 00 02", "00 00 00 04");
        var datagram = pli.Concat(pli).ToArray();
        Assert.True(RtcpCompoundReader.IsWellFormed(datagram));
        Assert.False(RtcpCompoundReader.IsStrictCompound(datagram, reducedSize: true));
        // Positive control: padding only on the last packet passes the strict check.
        var datagram2 = ChromiumLonePli.Concat(pli).ToArray();
        Assert.True(RtcpCompoundReader.IsStrictCompound(datagram2, reducedSize: true));
    }

    public static TheoryData<string, string> Malformed => new()
    {
        { "empty datagram", "" },
        { "three octets", "81 ce 00" },
        { "version 1", "41 ce 00 02 00 00 00 01 00 00 00 02" },
        { "length past the datagram", "81 ce 00 03 00 00 00 01 00 00 00 02" },
        { "trailing partial header", "81 ce 00 02 00 00 00 01 00 00 00 02 81" },
        { "trailing bytes not a whole packet", "81 ce 00 02 00 00 00 01 00 00 00 02 81 ce 00 02 00 00" },
        { "padding count zero", "a1 ce 00 02 00 00 00 01 00 00 00 00" },
        { "padding count past the body", "a1 ce 00 02 00 00 00 01 00 00 00 09" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Stops_on_malformed_input_without_throwing(string what, string hex)
    {
        var bytes = Hex(hex);
        var reader = new RtcpCompoundReader(bytes);
        while (reader.MoveNext())
        {
        }
        Assert.True(reader.IsMalformed, what);
        Assert.False(RtcpCompoundReader.IsWellFormed(bytes), what);
    }

    [Fact]
    public void Yields_the_good_packets_before_a_bad_one_then_reports_malformed()
    {
        var datagram = ChromiumLonePli.Concat(Hex("81 ce 00 09 00 00")).ToArray();
        var reader = new RtcpCompoundReader(datagram);
        Assert.True(reader.MoveNext());
        Assert.False(reader.IsMalformed);
        Assert.False(reader.MoveNext());
        Assert.True(reader.IsMalformed);
    }
}
