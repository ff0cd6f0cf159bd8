using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// A value attribute this model does not interpret (for example a=rtcp-xr, a=sctpmap, a=crypto),
/// kept verbatim so that writing a parsed description reproduces it byte for byte.
/// </summary>
public sealed record UnknownAttribute(string Name, string Value) : SdpAttribute
{
    public override string Name { get; } = Name;

    internal override void AppendValue(StringBuilder builder) => builder.Append(Value);
}
