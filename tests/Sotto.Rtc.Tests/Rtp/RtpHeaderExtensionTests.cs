using Sotto.Rtc.Rtp;
using Sotto.Rtc.Rtp.Extensions;
using static Sotto.Rtc.Tests.Rtp.RtpTestData;

namespace Sotto.Rtc.Tests.Rtp;

public sealed class RtpHeaderExtensionTests
{
    private static List<(int Id, string Value)> Elements(string hex)
    {
        Assert.True(RtpPacket.TryParse(Hex(hex), out var packet));
        var list = new List<(int, string)>();
        foreach (var element in packet.Extensions)
        {
            list.Add((element.Id, Convert.ToHexString(element.Value)));
        }
        return list;
    }

    [Fact]
    public void One_byte_padding_bytes_between_elements_are_skipped()
    {
        // RFC 8285 §4.2 example-like: element, two padding bytes, element, padding.
        Assert.Equal([(1, "AA"), (2, "BBCC")],
            Elements("90 00 00 00 00 00 00 00 00 00 00 00 be de 00 02 10 aa 00 00 21 bb cc 00"));
    }

    [Fact]
    public void One_byte_id_15_stops_the_walk_keeping_earlier_elements()
    {
        Assert.Equal([(1, "AA")],
            Elements("90 00 00 00 00 00 00 00 00 00 00 00 be de 00 02 10 aa f0 11 21 bb cc 00"));
    }

    [Fact]
    public void An_element_running_past_the_block_ends_the_walk()
    {
        Assert.Equal([(1, "AA")],
            Elements("90 00 00 00 00 00 00 00 00 00 00 00 be de 00 01 10 aa 2f 00"));
        Assert.Equal([(3, "")],
            Elements("90 00 00 00 00 00 00 00 00 00 00 00 10 00 00 01 03 00 05 09"));
    }

    [Fact]
    public void Two_byte_form_with_appbits_and_zero_padding_is_read()
    {
        Assert.Equal([(1, "AA"), (200, "")],
            Elements("90 00 00 00 00 00 00 00 00 00 00 00 10 0f 00 02 01 01 aa 00 c8 00 00 00"));
    }

    [Fact]
    public void Unknown_extension_profiles_yield_no_elements()
    {
        Assert.Empty(Elements("90 00 00 00 00 00 00 00 00 00 00 00 ab cd 00 01 10 aa 00 00"));
        Assert.NotEmpty(Elements("90 00 00 00 00 00 00 00 00 00 00 00 be de 00 01 10 aa 00 00")); // positive control
    }

    [Fact]
    public void Abs_send_time_converts_between_time_and_6_18_fixed_point()
    {
        Assert.Equal(1u << 18, AbsSendTime.FromTimeSpan(TimeSpan.FromSeconds(1)));
        Assert.Equal(0u, AbsSendTime.FromTimeSpan(TimeSpan.FromSeconds(64))); // wraps every 64 s
        Assert.Equal(TimeSpan.FromMilliseconds(1500), AbsSendTime.ToTimeSpan(AbsSendTime.FromTimeSpan(TimeSpan.FromMilliseconds(1500))));
        Assert.Equal(0x400000u, AbsSendTime.FromNtp(0x0000_0010_0000_0000)); // 16 s
        Assert.False(AbsSendTime.TryWrite(new byte[3], 0x1000000, out _));
        Assert.False(AbsSendTime.TryRead([1, 2], out _));
    }

    [Fact]
    public void Audio_level_reads_voice_bit_and_level()
    {
        Assert.True(AudioLevel.TryRead([0xFF], out var loud));
        Assert.Equal(new AudioLevel(true, 127), loud);
        Assert.True(AudioLevel.TryRead([0x05, 0, 0], out var padded)); // padded element
        Assert.Equal(new AudioLevel(false, 5), padded);
        Assert.False(AudioLevel.TryRead([], out _));
        Assert.False(new AudioLevel(true, 128).TryWrite(new byte[1], out _));
    }

    [Fact]
    public void Stream_ids_accept_rid_characters_only()
    {
        Assert.True(RtpStreamId.TryRead("h"u8, out _));
        Assert.True(RtpStreamId.TryRead("layer_2-b"u8, out _));
        Assert.False(RtpStreamId.TryRead(""u8, out _));
        Assert.False(RtpStreamId.TryRead("a b"u8, out _));
        Assert.False(RtpStreamId.TryRead([0x68, 0x00], out _));
    }

    [Fact]
    public void Transport_sequence_number_is_exactly_two_bytes()
    {
        Assert.True(TransportSequenceNumber.TryRead([0x12, 0x34], out var seq));
        Assert.Equal(0x1234, seq);
        Assert.False(TransportSequenceNumber.TryRead([0x12, 0x34, 0x56, 0x78], out _));
        Assert.False(TransportSequenceNumber.TryOverwrite(new byte[3], 1));
    }
}
