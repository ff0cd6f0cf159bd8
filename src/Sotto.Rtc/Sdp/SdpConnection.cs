using System.Diagnostics.CodeAnalysis;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// Connection data: c=&lt;nettype&gt; &lt;addrtype&gt; &lt;connection-address&gt; (RFC 8866 §5.7), also the
/// optional address part of a=rtcp (RFC 3605). The address is kept as text: it may be an IPv4 or IPv6
/// literal, an FQDN, or carry a multicast /ttl/count suffix. JSEP writes "IN IP4 0.0.0.0" until a
/// default candidate exists (RFC 8829 §5.2.1).
/// </summary>
public sealed record SdpConnection(string NetworkType, string AddressType, string Address)
{
    public static bool TryParse(string value, [NotNullWhen(true)] out SdpConnection? connection, out string? error)
    {
        var f = SdpText.SplitFields(value);
        return TryCreate(f, out connection, out error);
    }

    internal static bool TryCreate(ReadOnlySpan<string> f, [NotNullWhen(true)] out SdpConnection? connection, out string? error)
    {
        connection = null;
        if (f.Length != 3)
        {
            error = $"expected '<nettype> <addrtype> <address>', found {f.Length} fields";
            return false;
        }
        if (!SdpText.IsToken(f[0]) || !SdpText.IsToken(f[1]))
        {
            error = "network type and address type must be tokens";
            return false;
        }
        connection = new SdpConnection(f[0], f[1], f[2]);
        error = null;
        return true;
    }

    public override string ToString() => $"{NetworkType} {AddressType} {Address}";
}
