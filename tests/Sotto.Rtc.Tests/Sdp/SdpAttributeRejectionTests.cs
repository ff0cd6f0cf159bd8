using Sotto.Rtc.Sdp;

namespace Sotto.Rtc.Tests.Sdp;

/// <summary>
/// Malformed values of known attributes are refused with a reason. Each row carries a minimally fixed
/// twin that must parse: the positive control proving the row's defect, and nothing else, is what fails.
/// </summary>
public sealed class SdpAttributeRejectionTests
{
    public static TheoryData<string, string, string> Cases => new()
    {
        // bad text, error must contain, fixed twin
        { "rtcp-mux:1", "a=rtcp-mux takes no value", "rtcp-mux" },
        { "sendonly:yes", "a=sendonly takes no value", "sendonly" },
        { "mid", "a=mid needs a value", "mid:0" },
        { "group", "a=group needs a value", "group:BUNDLE" },
        { "bad name:1", "attribute name 'bad name' is not a token", "bad-name:1" },
        { ":1", "attribute name '' is not a token", "x:1" },
        { "group:BUNDLE 0 a\"b", "identification tag 'a\"b' is not a token", "group:BUNDLE 0 ab" },
        { "msid-semantic: ", "a=msid-semantic: expected", "msid-semantic: WMS" },
        { "mid:", "a=mid: identification tag '' is not a token", "mid:a" },
        { "mid:a\"b", "is not a token", "mid:ab" },
        { "msid:a b c", "expected '<stream id> [<track id>]'", "msid:a b" },
        { "ice-ufrag:abc", "a=ice-ufrag: must be 4-256 characters", "ice-ufrag:abcd" },
        { "ice-ufrag:ab_d", "a=ice-ufrag: must be 4-256 characters", "ice-ufrag:ab+d" },
        { "ice-pwd:tooShortPassword", "a=ice-pwd: must be 22-256 characters of [A-Za-z0-9+/] (got 16 characters)", "ice-pwd:longEnoughPasswordForIce" },
        { "ice-options:", "a=ice-options: expected at least one option tag", "ice-options:trickle" },
        { "fingerprint:sha-256", "expected '<hash-func> <XX:XX:...>'", "fingerprint:sha-256 AB" },
        { "fingerprint:sha-256 9:A3", "fingerprint must be 1-64 hex bytes", "fingerprint:sha-256 09:A3" },
        { "fingerprint:sha-256 GG:00", "byte 1 of the fingerprint is not 'XX' hex", "fingerprint:sha-256 FF:00" },
        { "fingerprint:sha-256 AA-BB", "byte 2 of the fingerprint is not 'XX' hex after ':'", "fingerprint:sha-256 AA:BB" },
        { "fingerprint:sha-512 " + string.Join(':', Enumerable.Repeat("AB", 65)), "fingerprint must be 1-64 hex bytes", "fingerprint:sha-512 " + string.Join(':', Enumerable.Repeat("AB", 64)) },
        { "setup:server", "a=setup: role 'server' is not active, passive, actpass or holdconn", "setup:passive" },
        { "setup:Passive", "role 'Passive'", "setup:passive" },
        { "rtcp:70000", "expected '<port 0-65535>", "rtcp:7000" },
        { "rtcp:9 IN IP4", "expected '<port 0-65535>", "rtcp:9 IN IP4 0.0.0.0" },
        { "rtpmap:128 VP8/90000", "a=rtpmap: payload type '128' is not a number 0-127", "rtpmap:127 VP8/90000" },
        { "rtpmap:-1 VP8/90000", "payload type '-1'", "rtpmap:1 VP8/90000" },
        { "rtpmap:96 VP8", "encoding 'VP8' is not '<name>/<clock rate>[/<channels>]'", "rtpmap:96 VP8/90000" },
        { "rtpmap:96 VP8/0", "clock rate '0' is not a positive number", "rtpmap:96 VP8/1" },
        { "rtpmap:96 VP8/9x", "clock rate '9x'", "rtpmap:96 VP8/9" },
        { "rtpmap:96 VP8/4294967296", "clock rate '4294967296'", "rtpmap:96 VP8/4294967295" },
        { "rtpmap:111 opus/48000/0", "channel count '0' is not a number 1-255", "rtpmap:111 opus/48000/1" },
        { "rtpmap:111 opus/48000/2/1", "is not '<name>/<clock rate>[/<channels>]'", "rtpmap:111 opus/48000/2" },
        { "rtpmap:96", "expected '<payload type> <encoding>/<clock rate>[/<channels>]'", "rtpmap:96 x/1" },
        { "fmtp:x apt=96", "a=fmtp: payload type 'x' is not a number 0-127", "fmtp:97 apt=96" },
        { "fmtp:97 =96", "parameter '=96' has no name", "fmtp:97 apt=96" },
        { "fmtp:97 a b=1", "parameter 'a b=1' has no name", "fmtp:97 ab=1" },
        { "rtcp-fb:abc nack", "a=rtcp-fb: payload type 'abc' is not '*' or a number 0-127", "rtcp-fb:96 nack" },
        { "rtcp-fb:96", "expected '<payload type|*> <type> [<parameters>]'", "rtcp-fb:96 nack" },
        { "rtcp-fb:96 na\"ck", "feedback type 'na\"ck' is not a token", "rtcp-fb:96 nack" },
        { "extmap:0 urn:x", "a=extmap: id '0' is not 1-255 or 4096-4351", "extmap:1 urn:x" },
        { "extmap:256 urn:x", "id '256' is not 1-255 or 4096-4351", "extmap:255 urn:x" },
        { "extmap:4352 urn:x", "id '4352'", "extmap:4351 urn:x" },
        { "extmap:1/bogus urn:x", "direction 'bogus' is not sendrecv, sendonly, recvonly or inactive", "extmap:1/recvonly urn:x" },
        { "extmap:1", "expected '<id>[/<direction>] <uri> [<attributes>]'", "extmap:1 urn:x" },
        { "rid:q sideways", "a=rid: direction 'sideways' is not send or recv", "rid:q send" },
        { "rid:q! send", "rid id 'q!' is not 1-255 of [A-Za-z0-9_-]", "rid:q send" },
        { "rid:q send pt=abc", "payload type 'abc' is not a number 0-127", "rid:q send pt=96" },
        { "rid:q send pt=96;pt=97", "pt= must appear once", "rid:q send pt=96,97" },
        { "rid:q send pt", "pt= must appear once with a list", "rid:q send pt=96" },
        { "rid:q send max-width=1;;x", "parameter '' has no name", "rid:q send max-width=1;x" },
        { "rid:q", "expected '<rid-id> <send|recv> [<parameters>]'", "rid:q send" },
        { "simulcast:send", "expected 'send <streams>' and/or 'recv <streams>'", "simulcast:send q" },
        { "simulcast:sideways q", "a=simulcast: direction 'sideways' is not 'send' or 'recv'", "simulcast:send q" },
        { "simulcast:send a send b", "a=simulcast: 'send' appears twice", "simulcast:send a recv b" },
        { "simulcast:send q;;h", "rid '' is not [~]<rid-id>", "simulcast:send q;h" },
        { "simulcast:send ~", "rid '~' is not [~]<rid-id>", "simulcast:send ~q" },
        { "ssrc:abc cname:x", "a=ssrc: ssrc 'abc' is not a 32-bit number", "ssrc:1 cname:x" },
        { "ssrc:4294967296 cname:x", "ssrc '4294967296' is not a 32-bit number", "ssrc:4294967295 cname:x" },
        { "ssrc:1", "expected '<ssrc> <attribute>[:<value>]'", "ssrc:1 cname" },
        { "ssrc:1 ", "expected '<ssrc> <attribute>[:<value>]'", "ssrc:1 cname" },
        { "ssrc:1 :x", "source attribute '' is not a token", "ssrc:1 cname:x" },
        { "ssrc-group:FID 1 x", "a=ssrc-group: ssrc 'x' is not a 32-bit number", "ssrc-group:FID 1 2" },
        { "ssrc-group: ", "expected '<semantics> <ssrc> ...'", "ssrc-group:FID" },
        { "sctp-port:x", "a=sctp-port: port 'x' is not a number 0-65535", "sctp-port:5000" },
        { "sctp-port:65536", "port '65536'", "sctp-port:65535" },
        { "max-message-size:-1", "a=max-message-size: size '-1' is not a decimal number", "max-message-size:1" },
        { "max-message-size:18446744073709551616", "size '18446744073709551616'", "max-message-size:18446744073709551615" },
        // Candidates (RFC 8839 §5.1).
        { "candidate:1 1 udp 1 192.0.2.1 5 host", "expected '<foundation> <component>", "candidate:1 1 udp 1 192.0.2.1 5 typ host" },
        { "candidate:1 1 udp 1 192.0.2.1 5 type host", "expected '<foundation> <component>", "candidate:1 1 udp 1 192.0.2.1 5 typ host" },
        { "candidate:1 0 udp 1 192.0.2.1 5 typ host", "component '0' is not a number 1-256", "candidate:1 1 udp 1 192.0.2.1 5 typ host" },
        { "candidate:1 1 udp 4294967296 192.0.2.1 5 typ host", "priority '4294967296' is not a 32-bit number", "candidate:1 1 udp 4294967295 192.0.2.1 5 typ host" },
        { "candidate:1 1 udp 1 192.0.2.1 65536 typ host", "port '65536' is not a number 0-65535", "candidate:1 1 udp 1 192.0.2.1 65535 typ host" },
        { "candidate:1 1 udp 1 192.0.2.1 5 typ host generation", "extensions must be '<name> <value>' pairs", "candidate:1 1 udp 1 192.0.2.1 5 typ host generation 0" },
        { "candidate:1 1 udp 1 192.0.2.1 5 typ srflx raddr 0.0.0.0 rport x", "rport 'x' is not a number 0-65535", "candidate:1 1 udp 1 192.0.2.1 5 typ srflx raddr 0.0.0.0 rport 0" },
        { "candidate:1 1 udp 1 192.0.2.1 5 typ srflx raddr a raddr b", "'raddr' appears twice", "candidate:1 1 udp 1 192.0.2.1 5 typ srflx raddr a" },
        { "candidate:f_o 1 udp 1 192.0.2.1 5 typ host", "foundation 'f_o' is not 1-32 ice-chars", "candidate:fo 1 udp 1 192.0.2.1 5 typ host" },
        { "candidate:" + new string('a', 33) + " 1 udp 1 192.0.2.1 5 typ host", "is not 1-32 ice-chars", "candidate:" + new string('a', 32) + " 1 udp 1 192.0.2.1 5 typ host" },
        { "candidate:candidate:1 1 udp 1 192.0.2.1 5 typ host", "repeats the 'candidate:' prefix", "candidate:1 1 udp 1 192.0.2.1 5 typ host" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Malformed_value_is_refused_with_its_reason(string bad, string expectedError, string fixedTwin)
    {
        Assert.True(SdpAttribute.TryParse(fixedTwin, out var good, out var error), $"positive control '{fixedTwin}' failed: {error}");
        Assert.NotNull(good);

        Assert.False(SdpAttribute.TryParse(bad, out var attribute, out error));
        Assert.Null(attribute);
        Assert.NotNull(error);
        Assert.Contains(expectedError, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Ice_password_errors_never_echo_the_secret()
    {
        const string secret = "s3cr3t+pw";
        Assert.False(SdpAttribute.TryParse("ice-pwd:" + secret, out _, out var error));
        Assert.DoesNotContain(secret, error, StringComparison.Ordinal);
        // Positive control: the ufrag (not a secret) is echoed, so the check above is not vacuous.
        Assert.False(SdpAttribute.TryParse("ice-ufrag:" + secret + "_", out _, out error));
        Assert.Contains(secret, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Control_characters_are_masked_in_error_messages()
    {
        Assert.False(SdpAttribute.TryParse("setup:\u001b[31mred\tx", out _, out var error));
        Assert.Equal("a=setup: role '?[31mred?x' is not active, passive, actpass or holdconn", error);
        Assert.False(SessionDescription.TryParse("v=0\r\nx\rinjected\r\n", out _, out error));
        Assert.Equal("line 2: expected '<type>=<value>', found 'x?injected'", error);
    }

    [Fact]
    public void Long_hostile_values_are_shortened_in_error_messages()
    {
        var junk = new string('9', 5000);
        Assert.False(SdpAttribute.TryParse("rtpmap:" + junk + " x/1", out _, out var error));
        Assert.True(error!.Length < 200, error);
        Assert.Contains("...'", error, StringComparison.Ordinal);
    }
}
