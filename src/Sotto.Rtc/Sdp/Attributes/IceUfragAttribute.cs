using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// a=ice-ufrag:&lt;ufrag&gt; (RFC 8839 §5.4): 4 to 256 ice-chars. The SFU demultiplexes new remote
/// addresses by this value in STUN USERNAME, so its alphabet is checked here, at the door.
/// </summary>
public sealed record IceUfragAttribute(string Ufrag) : SdpAttribute
{
    public const string AttributeName = "ice-ufrag";
    public const int MinLength = 4;
    public const int MaxLength = 256;

    public override string Name => AttributeName;

    internal static bool TryParseValue(string value, out SdpAttribute? attribute, out string? error)
    {
        if (value.Length < MinLength || value.Length > MaxLength || !SdpText.IsIceChars(value))
        {
            return Fail(AttributeName, $"must be {MinLength}-{MaxLength} characters of [A-Za-z0-9+/], got {SdpText.Quote(value)}", out attribute, out error);
        }
        return Success(new IceUfragAttribute(value), out attribute, out error);
    }

    internal override void AppendValue(StringBuilder builder) => builder.Append(Ufrag);
}
