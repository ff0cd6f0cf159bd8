using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// a=msid:&lt;stream id&gt; [&lt;track id&gt;] (RFC 8830 §2): the MediaStream this m-line's track belongs to
/// ("-" for none) and the sender's track id. Tracks sharing a stream id are played in sync.
/// </summary>
public sealed record MsidAttribute(string StreamId, string? TrackId) : SdpAttribute
{
    public const string AttributeName = "msid";

    public override string Name => AttributeName;

    internal static bool TryParseValue(string value, out SdpAttribute? attribute, out string? error)
    {
        var f = SdpText.SplitFields(value);
        if (f.Length is < 1 or > 2)
        {
            return Fail(AttributeName, "expected '<stream id> [<track id>]'", out attribute, out error);
        }
        foreach (var id in f)
        {
            if (!SdpText.IsToken(id))
            {
                return Fail(AttributeName, $"id {SdpText.Quote(id)} is not a token", out attribute, out error);
            }
        }
        return Success(new MsidAttribute(f[0], f.Length == 2 ? f[1] : null), out attribute, out error);
    }

    internal override void AppendValue(StringBuilder builder)
    {
        builder.Append(StreamId);
        if (TrackId is not null)
        {
            builder.Append(' ').Append(TrackId);
        }
    }
}
