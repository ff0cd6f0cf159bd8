using System.Text;
using Sotto.Rtc.Sdp;

namespace Sotto.Rtc.Tests.Sdp;

/// <summary>
/// Structural errors (RFC 8866 §5 line grammar and order, limits, encoding) are refused with the
/// line number and reason. Every bad description is a small edit of <see cref="Valid"/>, which parses.
/// </summary>
public sealed class SessionDescriptionRejectionTests
{
    private const string Valid =
        "v=0\r\n" +
        "o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n" +
        "s=-\r\n" +
        "t=0 0\r\n" +
        "a=group:BUNDLE 0\r\n" +
        "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" +
        "c=IN IP4 0.0.0.0\r\n" +
        "a=mid:0\r\n" +
        "a=rtpmap:111 opus/48000/2\r\n";

    public static TheoryData<string, string> Cases => new()
    {
        // description, expected error (prefix up to the reason)
        { "", "description is empty" },
        { "o=- 1 2 IN IP4 127.0.0.1\r\n", "line 1: a description must start with 'v=0'" },
        { Valid.Replace("v=0", "v=1"), "line 1: a description must start with 'v=0'" },
        { Valid.Replace("v=0", "V=0"), "line 1: expected '<type>=<value>'" },
        { Valid.Replace("v=0", "v =0"), "line 1: expected '<type>=<value>'" },
        { Valid.Replace("o=- 4611731400430051336 2 IN IP4 127.0.0.1\r\n", ""), "line 2: 's=' before 'o='" },
        { Valid.Replace("s=-\r\n", ""), "line 3: 't=' before the 'o=' and 's=' lines" },
        { Valid.Replace("s=-", "s="), "line 3: s= session name is empty" },
        { Valid.Replace("t=0 0\r\n", ""), "line 4: 'a=' before any 't=' line" },
        { "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\n", "line 4: missing 't=' line" },
        { "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n", "line 3: missing 't=' line" },
        { "v=0\r\n", "line 1: missing 'o=' line" },
        { Valid.Replace("o=- 4611731400430051336 2 IN IP4 127.0.0.1", "o=- 1 2 IN IP4"), "line 2: o= expected 6 fields" },
        { Valid.Replace("4611731400430051336", "46117314004300513369999"), "line 2: o= session id '46117314004300513369999' is not a 64-bit decimal number" },
        { Valid.Replace(" 2 IN", " -2 IN"), "line 2: o= session version '-2'" },
        { Valid.Replace("s=-\r\n", "s=-\r\ns=again\r\n"), "line 4: 's=' appears twice" },
        { Valid.Replace("t=0 0\r\n", "t=0 0\r\nc=IN IP4 0.0.0.0\r\n"), "line 5: 'c=' is out of order (session lines go v o s i u e p c b t r z k a)" },
        { Valid.Replace("t=0 0\r\n", "t=0 0\r\nx=1\r\n"), "line 5: unknown line type 'x='" },
        { Valid.Replace("t=0 0", "t=0 soon"), "line 4: t= start and stop times must be decimal numbers" },
        { Valid.Replace("t=0 0\r\n", "t=0 0\r\nb=AS\r\n"), "line 5: 'b=' is out of order" },
        { Valid.Replace("s=-\r\n", "s=-\r\nb=AS\r\n"), "line 4: b= expected '<bwtype>:<bandwidth>'" },
        { Valid.Replace("s=-\r\n", "s=-\r\nb=AS:lots\r\n"), "line 4: b= bandwidth 'lots' is not a decimal number" },
        { Valid.Replace("s=-\r\n", "s=-\r\nc=IN IP4\r\n"), "line 4: c= expected '<nettype> <addrtype> <address>'" },
        { Valid.Replace("a=group:BUNDLE 0\r\n", "a=group:BUNDLE 0\r\n\r\n"), "line 6: empty line" },
        { Valid.Replace("s=-", "s=a\rb"), "line 3: text contains a CR or NUL character" },
        { Valid.Replace("s=-", "s=a\0b"), "line 3: text contains a CR or NUL character" },
        { Valid.Replace("m=audio 9 UDP", "m=audio x UDP"), "line 6: m= port 'x' is not a number 0-65535" },
        { Valid.Replace("m=audio 9 UDP", "m=audio 65536 UDP"), "line 6: m= port '65536' is not a number 0-65535" },
        { Valid.Replace("m=audio 9 UDP", "m=audio 9/0 UDP"), "line 6: m= number of ports '0' is not a number 1-65535" },
        { Valid.Replace("m=audio 9 UDP/TLS/RTP/SAVPF 111", "m=audio 9 UDP/TLS/RTP/SAVPF"), "line 6: m= expected '<media> <port> <proto> <fmt> ...'" },
        { Valid.Replace("UDP/TLS/RTP/SAVPF", "UDP//SAVPF"), "line 6: m= protocol 'UDP//SAVPF' is not tokens separated by '/'" },
        { Valid.Replace("m=audio", "m=au\"dio"), "line 6: m= media type 'au\"dio' is not a token" },
        { Valid.Replace("SAVPF 111", "SAVPF 1\"1"), "line 6: m= format '1\"1' is not a token" },
        { Valid + "t=0 0\r\n", "line 10: 't=' is a session-level line and cannot follow 'm='" },
        { Valid + "q=1\r\n", "line 10: unknown line type 'q='" },
        { Valid + "c=IN IP4 0.0.0.0\r\n", "line 10: 'c=' is out of order (media lines go m i c b k a)" },
        { Valid.Replace("c=IN IP4 0.0.0.0\r\n", "i=one\r\ni=two\r\n"), "line 8: 'i=' appears twice in one media section" },
        { Valid.Replace("c=IN IP4 0.0.0.0", "c=IN"), "line 7: c= expected '<nettype> <addrtype> <address>'" },
        { Valid.Replace("a=rtpmap:111 opus/48000/2", "a=rtpmap:111 opus/48000/two"), "line 9: a=rtpmap: channel count 'two' is not a number 1-255" },
        { Valid.Replace("a=group:BUNDLE 0", "a=group"), "line 5: a=group needs a value" },
    };

    [Fact]
    public void The_base_description_parses()
    {
        Assert.True(SessionDescription.TryParse(Valid, out var sd, out var error), error);
        Assert.Equal(Valid, sd.Write());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Malformed_description_is_refused_with_line_and_reason(string text, string expectedError)
    {
        Assert.False(SessionDescription.TryParse(text, out var sd, out var error));
        Assert.Null(sd);
        Assert.NotNull(error);
        Assert.StartsWith(expectedError, error, StringComparison.Ordinal);

        // The UTF-8 entry point reports the same.
        Assert.False(SessionDescription.TryParse(Encoding.UTF8.GetBytes(text), out _, out var utf8Error));
        Assert.Equal(error, utf8Error);

        var ex = Assert.Throws<FormatException>(() => SessionDescription.Parse(text));
        Assert.Contains(error, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Input_over_the_size_limit_is_refused_before_parsing()
    {
        var limits = new SdpLimits { MaxLength = Valid.Length };
        Assert.True(SessionDescription.TryParse(Valid, limits, out _, out var error), error);
        var tooLong = Valid + "a=x\r\n";
        Assert.False(SessionDescription.TryParse(tooLong, limits, out _, out error));
        Assert.Equal($"description is {tooLong.Length} characters, more than the limit of {Valid.Length}", error);

        Assert.False(SessionDescription.TryParse(Encoding.UTF8.GetBytes(tooLong), limits, out _, out error));
        Assert.Equal($"description is {tooLong.Length} bytes, more than the limit of {Valid.Length}", error);
    }

    [Fact]
    public void Default_limit_is_64_KiB()
    {
        var filler = new StringBuilder(Valid);
        while (filler.Length <= 64 * 1024)
        {
            filler.Append("a=x-filler:0123456789012345678901234567890123456789\r\n");
        }
        Assert.False(SessionDescription.TryParse(filler.ToString(), out _, out var error));
        Assert.StartsWith("description is ", error, StringComparison.Ordinal);
        Assert.True(SessionDescription.TryParse(filler.ToString(), new SdpLimits { MaxLength = 128 * 1024 }, out _, out error), error);
    }

    [Fact]
    public void Line_count_limit_is_enforced()
    {
        var lines = Valid.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.True(SessionDescription.TryParse(Valid, new SdpLimits { MaxLines = lines }, out _, out var error), error);
        Assert.False(SessionDescription.TryParse(Valid + "a=x\r\n", new SdpLimits { MaxLines = lines }, out _, out error));
        Assert.Equal($"line {lines + 1}: more than {lines} lines", error);
    }

    [Fact]
    public void Media_section_limit_is_enforced()
    {
        var two = Valid + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n";
        Assert.True(SessionDescription.TryParse(two, new SdpLimits { MaxMediaDescriptions = 2 }, out _, out var error), error);
        Assert.False(SessionDescription.TryParse(two, new SdpLimits { MaxMediaDescriptions = 1 }, out _, out error));
        Assert.Equal("line 10: more than 1 m= sections", error);
    }

    [Fact]
    public void Invalid_utf8_is_refused()
    {
        var bytes = Encoding.UTF8.GetBytes(Valid.Replace("s=-", "s=\u00e9", StringComparison.Ordinal));
        Assert.True(SessionDescription.TryParse(bytes, out var sd, out var error), error);
        Assert.Equal("\u00e9", sd.SessionName);
        bytes[Array.IndexOf(bytes, (byte)0xC3)] = 0xFF; // break the two-byte sequence
        Assert.False(SessionDescription.TryParse(bytes, out _, out error));
        Assert.Equal("description is not valid UTF-8", error);
    }

    [Fact]
    public void Trailing_blank_lines_and_a_missing_final_newline_are_tolerated()
    {
        var expected = SessionDescription.Parse(Valid);
        Assert.Equal(expected, SessionDescription.Parse(Valid + "\r\n\r\n"));
        Assert.Equal(expected, SessionDescription.Parse(Valid.TrimEnd('\r', '\n')));
    }
}
