using System.Diagnostics.CodeAnalysis;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// o=&lt;username&gt; &lt;sess-id&gt; &lt;sess-version&gt; &lt;nettype&gt; &lt;addrtype&gt; &lt;unicast-address&gt; (RFC 8866 §5.2).
/// JSEP (RFC 8829 §5.2.1) uses "-" as the username, a random 63-bit session id, and increments the
/// version on every new offer or answer of the session.
/// </summary>
public sealed record SdpOrigin(string Username, ulong SessionId, ulong SessionVersion, string NetworkType, string AddressType, string UnicastAddress)
{
    public static bool TryParse(string value, [NotNullWhen(true)] out SdpOrigin? origin, out string? error)
    {
        origin = null;
        var f = SdpText.SplitFields(value);
        if (f.Length != 6)
        {
            error = $"expected 6 fields '<username> <sess-id> <sess-version> <nettype> <addrtype> <address>', found {f.Length}";
            return false;
        }
        if (!SdpText.TryParseUInt64(f[1], out var id))
        {
            error = $"session id {SdpText.Quote(f[1])} is not a 64-bit decimal number";
            return false;
        }
        if (!SdpText.TryParseUInt64(f[2], out var version))
        {
            error = $"session version {SdpText.Quote(f[2])} is not a 64-bit decimal number";
            return false;
        }
        if (!SdpText.IsToken(f[3]) || !SdpText.IsToken(f[4]))
        {
            error = "network type and address type must be tokens";
            return false;
        }
        origin = new SdpOrigin(f[0], id, version, f[3], f[4], f[5]);
        error = null;
        return true;
    }

    public override string ToString() =>
        $"{Username} {SdpText.Format(SessionId)} {SdpText.Format(SessionVersion)} {NetworkType} {AddressType} {UnicastAddress}";
}
