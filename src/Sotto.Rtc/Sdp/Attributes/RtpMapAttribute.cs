using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// a=rtpmap:&lt;payload type&gt; &lt;encoding name&gt;/&lt;clock rate&gt;[/&lt;encoding parameters&gt;]
/// (RFC 8866 §6.6), e.g. "111 opus/48000/2", "96 VP8/90000", "97 rtx/90000". For audio the encoding
/// parameters are the channel count.
/// </summary>
public sealed record RtpMapAttribute(int PayloadType, string EncodingName, uint ClockRate, int? Channels) : SdpAttribute
{
    public const string AttributeName = "rtpmap";

    /// <summary>RTP payload types are 7 bits (RFC 3550 §5.1).</summary>
    public const int MaxPayloadType = 127;

    public override string Name => AttributeName;

    internal static bool TryParseValue(string value, out SdpAttribute? attribute, out string? error)
    {
        var f = SdpText.SplitFields(value);
        if (f.Length != 2)
        {
            return Fail(AttributeName, "expected '<payload type> <encoding>/<clock rate>[/<channels>]'", out attribute, out error);
        }
        if (!SdpText.TryParseInt(f[0], 0, MaxPayloadType, out var pt))
        {
            return Fail(AttributeName, $"payload type {SdpText.Quote(f[0])} is not a number 0-{MaxPayloadType}", out attribute, out error);
        }
        var parts = f[1].Split('/');
        if (parts.Length is < 2 or > 3 || !SdpText.IsToken(parts[0]))
        {
            return Fail(AttributeName, $"encoding {SdpText.Quote(f[1])} is not '<name>/<clock rate>[/<channels>]'", out attribute, out error);
        }
        if (!SdpText.TryParseUInt32(parts[1], out var clockRate) || clockRate == 0)
        {
            return Fail(AttributeName, $"clock rate {SdpText.Quote(parts[1])} is not a positive number", out attribute, out error);
        }
        int? channels = null;
        if (parts.Length == 3)
        {
            if (!SdpText.TryParseInt(parts[2], 1, 255, out var c))
            {
                return Fail(AttributeName, $"channel count {SdpText.Quote(parts[2])} is not a number 1-255", out attribute, out error);
            }
            channels = c;
        }
        return Success(new RtpMapAttribute(pt, parts[0], clockRate, channels), out attribute, out error);
    }

    internal override void AppendValue(StringBuilder builder)
    {
        builder.Append(SdpText.Format(PayloadType)).Append(' ').Append(EncodingName).Append('/').Append(SdpText.Format(ClockRate));
        if (Channels is { } channels)
        {
            builder.Append('/').Append(SdpText.Format(channels));
        }
    }
}
