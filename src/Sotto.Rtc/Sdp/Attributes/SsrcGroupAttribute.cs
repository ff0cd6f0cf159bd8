using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// a=ssrc-group:&lt;semantics&gt; *(SP &lt;ssrc-id&gt;) (RFC 5576 §4.2): "FID" pairs a media SSRC with its
/// RTX SSRC (RFC 4588), "SIM" lists legacy (non-rid) simulcast layers.
/// </summary>
public sealed record SsrcGroupAttribute(string Semantics, EquatableArray<uint> Ssrcs) : SdpAttribute
{
    public const string AttributeName = "ssrc-group";
    public const string Fid = "FID";
    public const string Sim = "SIM";

    public override string Name => AttributeName;

    internal static bool TryParseValue(string value, out SdpAttribute? attribute, out string? error)
    {
        var f = SdpText.SplitFields(value);
        if (f.Length == 0 || !SdpText.IsToken(f[0]))
        {
            return Fail(AttributeName, "expected '<semantics> <ssrc> ...'", out attribute, out error);
        }
        var ssrcs = new uint[f.Length - 1];
        for (var i = 1; i < f.Length; i++)
        {
            if (!SdpText.TryParseUInt32(f[i], out ssrcs[i - 1]))
            {
                return Fail(AttributeName, $"ssrc {SdpText.Quote(f[i])} is not a 32-bit number", out attribute, out error);
            }
        }
        return Success(new SsrcGroupAttribute(f[0], new EquatableArray<uint>(ssrcs)), out attribute, out error);
    }

    internal override void AppendValue(StringBuilder builder)
    {
        builder.Append(Semantics);
        foreach (var ssrc in Ssrcs)
        {
            builder.Append(' ').Append(SdpText.Format(ssrc));
        }
    }
}
