using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// a=rtcp:&lt;port&gt; [&lt;nettype&gt; &lt;addrtype&gt; &lt;address&gt;] (RFC 3605 §2.1). With rtcp-mux it is a
/// formality (Chromium writes "a=rtcp:9 IN IP4 0.0.0.0"), kept so the description round-trips.
/// </summary>
public sealed record RtcpAttribute(int Port, SdpConnection? Connection) : SdpAttribute
{
    public const string AttributeName = "rtcp";

    public override string Name => AttributeName;

    internal static bool TryParseValue(string value, out SdpAttribute? attribute, out string? error)
    {
        var f = SdpText.SplitFields(value);
        if ((f.Length != 1 && f.Length != 4) || !SdpText.TryParseInt(f[0], 0, ushort.MaxValue, out var port))
        {
            return Fail(AttributeName, "expected '<port 0-65535> [<nettype> <addrtype> <address>]'", out attribute, out error);
        }
        SdpConnection? connection = null;
        if (f.Length == 4 && !SdpConnection.TryCreate(f.AsSpan(1), out connection, out var reason))
        {
            return Fail(AttributeName, reason!, out attribute, out error);
        }
        return Success(new RtcpAttribute(port, connection), out attribute, out error);
    }

    internal override void AppendValue(StringBuilder builder)
    {
        builder.Append(SdpText.Format(Port));
        if (Connection is not null)
        {
            builder.Append(' ').Append(Connection.ToString());
        }
    }
}
