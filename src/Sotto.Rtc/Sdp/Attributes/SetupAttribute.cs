using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>The DTLS role an endpoint takes (RFC 4145 §4, RFC 8842 §5).</summary>
public enum SetupRole
{
    /// <summary>Opens the connection: the DTLS client.</summary>
    Active,

    /// <summary>Accepts the connection: the DTLS server. The SFU always answers passive (DESIGN §9).</summary>
    Passive,

    /// <summary>Either; only valid in an offer (RFC 8842 §5.2).</summary>
    ActPass,

    HoldConn,
}

/// <summary>a=setup:active|passive|actpass|holdconn (RFC 4145 §4).</summary>
public sealed record SetupAttribute(SetupRole Role) : SdpAttribute
{
    public const string AttributeName = "setup";

    public override string Name => AttributeName;

    internal static bool TryParseValue(string value, out SdpAttribute? attribute, out string? error)
    {
        SetupRole? role = value switch
        {
            "active" => SetupRole.Active,
            "passive" => SetupRole.Passive,
            "actpass" => SetupRole.ActPass,
            "holdconn" => SetupRole.HoldConn,
            _ => null,
        };
        return role is { } r
            ? Success(new SetupAttribute(r), out attribute, out error)
            : Fail(AttributeName, $"role {SdpText.Quote(value)} is not active, passive, actpass or holdconn", out attribute, out error);
    }

    internal override void AppendValue(StringBuilder builder) => builder.Append(Role switch
    {
        SetupRole.Active => "active",
        SetupRole.Passive => "passive",
        SetupRole.ActPass => "actpass",
        SetupRole.HoldConn => "holdconn",
        _ => throw new InvalidOperationException($"{Role} is not a setup role"),
    });
}
