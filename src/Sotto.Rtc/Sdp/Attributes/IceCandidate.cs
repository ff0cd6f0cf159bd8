using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>A candidate extension "name value" pair, e.g. "generation 0" or "network-id 1".</summary>
public sealed record IceCandidateExtension(string Name, string Value)
{
    public override string ToString() => Name + " " + Value;
}

/// <summary>
/// An ICE candidate (RFC 8839 §5.1):
/// <code>
/// candidate:&lt;foundation&gt; &lt;component&gt; &lt;transport&gt; &lt;priority&gt; &lt;address&gt; &lt;port&gt; typ &lt;type&gt;
///           [raddr &lt;address&gt;] [rport &lt;port&gt;] [tcptype active|passive|so] *(&lt;name&gt; &lt;value&gt;)
/// </code>
/// e.g. "2646519435 1 udp 2122194687 192.0.2.2 59020 typ host generation 0 network-id 1".
/// The address is kept as text: Chromium may hide host addresses behind mDNS names (RFC 8839 §5.1,
/// draft-ietf-mmusic-mdns-ice-candidates). Also parses the trickled form with the "candidate:" prefix.
/// </summary>
public sealed record IceCandidate(string Foundation, int Component, string Transport, uint Priority, string Address, int Port, string Type)
{
    public const string Host = "host";
    public const string ServerReflexive = "srflx";
    public const string PeerReflexive = "prflx";
    public const string Relay = "relay";

    private const string Prefix = "candidate:";
    private const int MaxFoundationLength = 32;
    private const int MaxComponent = 256;

    /// <summary>raddr: the base of a reflexive or relayed candidate.</summary>
    public string? RelatedAddress { get; init; }

    /// <summary>rport: the port of <see cref="RelatedAddress"/>.</summary>
    public int? RelatedPort { get; init; }

    /// <summary>tcptype for TCP candidates: active, passive or so (RFC 6544 §4.5).</summary>
    public string? TcpType { get; init; }

    /// <summary>Other extensions in their original order (generation, ufrag, network-id, network-cost, ...).</summary>
    public EquatableArray<IceCandidateExtension> Extensions { get; init; }

    public bool IsUdp => string.Equals(Transport, "udp", StringComparison.OrdinalIgnoreCase);

    /// <summary>Chromium's "generation" extension: which ICE generation (restart) this candidate belongs to.</summary>
    public int? Generation => GetIntExtension("generation");

    /// <summary>The "ufrag" extension: ties a trickled candidate to an ICE generation (RFC 8840 §9).</summary>
    public string? Ufrag => GetExtension("ufrag");

    public int? NetworkId => GetIntExtension("network-id");

    public int? NetworkCost => GetIntExtension("network-cost");

    public string? GetExtension(string name)
    {
        foreach (var e in Extensions)
        {
            if (e.Name == name)
            {
                return e.Value;
            }
        }
        return null;
    }

    private int? GetIntExtension(string name) =>
        int.TryParse(GetExtension(name), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>Parses a candidate, with or without the "candidate:" prefix; never throws.</summary>
    public static bool TryParse(string text, [NotNullWhen(true)] out IceCandidate? candidate, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        candidate = null;
        if (text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            text = text[Prefix.Length..];
        }
        var f = SdpText.SplitFields(text);
        if (f.Length < 8 || f[6] != "typ")
        {
            error = "expected '<foundation> <component> <transport> <priority> <address> <port> typ <type> ...'";
            return false;
        }
        if (f[0].Length > MaxFoundationLength || !SdpText.IsIceChars(f[0]))
        {
            error = $"foundation {SdpText.Quote(f[0])} is not 1-{MaxFoundationLength} ice-chars";
            return false;
        }
        if (!SdpText.TryParseInt(f[1], 1, MaxComponent, out var component))
        {
            error = $"component {SdpText.Quote(f[1])} is not a number 1-{MaxComponent}";
            return false;
        }
        if (!SdpText.IsToken(f[2]))
        {
            error = $"transport {SdpText.Quote(f[2])} is not a token";
            return false;
        }
        if (!SdpText.TryParseUInt32(f[3], out var priority))
        {
            error = $"priority {SdpText.Quote(f[3])} is not a 32-bit number";
            return false;
        }
        if (!SdpText.TryParseInt(f[5], 0, ushort.MaxValue, out var port))
        {
            error = $"port {SdpText.Quote(f[5])} is not a number 0-65535";
            return false;
        }
        if (!SdpText.IsToken(f[7]))
        {
            error = $"candidate type {SdpText.Quote(f[7])} is not a token";
            return false;
        }
        if ((f.Length - 8) % 2 != 0)
        {
            error = "candidate extensions must be '<name> <value>' pairs";
            return false;
        }
        string? relatedAddress = null;
        int? relatedPort = null;
        string? tcpType = null;
        var extensions = new List<IceCandidateExtension>();
        for (var i = 8; i < f.Length; i += 2)
        {
            var (name, value) = (f[i], f[i + 1]);
            switch (name)
            {
                case "raddr" when relatedAddress is null:
                    relatedAddress = value;
                    break;
                case "rport" when relatedPort is null:
                    if (!SdpText.TryParseInt(value, 0, ushort.MaxValue, out var rport))
                    {
                        error = $"rport {SdpText.Quote(value)} is not a number 0-65535";
                        return false;
                    }
                    relatedPort = rport;
                    break;
                case "tcptype" when tcpType is null:
                    tcpType = value;
                    break;
                case "raddr" or "rport" or "tcptype":
                    error = $"'{name}' appears twice";
                    return false;
                default:
                    if (!SdpText.IsToken(name))
                    {
                        error = $"extension name {SdpText.Quote(name)} is not a token";
                        return false;
                    }
                    extensions.Add(new IceCandidateExtension(name, value));
                    break;
            }
        }
        candidate = new IceCandidate(f[0], component, f[2], priority, f[4], port, f[7])
        {
            RelatedAddress = relatedAddress,
            RelatedPort = relatedPort,
            TcpType = tcpType,
            Extensions = EquatableArray.From(extensions),
        };
        error = null;
        return true;
    }

    /// <summary>The candidate as written after "a=candidate:" (grammar order: raddr, rport, tcptype, then extensions).</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        AppendTo(builder);
        return builder.ToString();
    }

    internal void AppendTo(StringBuilder builder)
    {
        builder.Append(Foundation).Append(' ').Append(SdpText.Format(Component)).Append(' ').Append(Transport)
            .Append(' ').Append(SdpText.Format(Priority)).Append(' ').Append(Address).Append(' ').Append(SdpText.Format(Port))
            .Append(" typ ").Append(Type);
        if (RelatedAddress is not null)
        {
            builder.Append(" raddr ").Append(RelatedAddress);
        }
        if (RelatedPort is { } rport)
        {
            builder.Append(" rport ").Append(SdpText.Format(rport));
        }
        if (TcpType is not null)
        {
            builder.Append(" tcptype ").Append(TcpType);
        }
        foreach (var e in Extensions)
        {
            builder.Append(' ').Append(e.Name).Append(' ').Append(e.Value);
        }
    }
}
