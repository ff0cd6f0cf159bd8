using Sotto.Server.Options;

namespace Sotto.Server.Abuse;

/// <summary>The per-address limits of one node, shared by all connections.</summary>
internal sealed class AbuseGuards
{
    public AbuseGuards(SottoOptions options, TimeProvider time)
    {
        Joins = new AddressThrottle(options.JoinLimit, options.JoinWindow, time);
        Knocks = new AddressThrottle(options.KnockLimit, options.KnockWindow, time);
        Passwords = new PasswordBackoff(options, time);
    }

    public AddressThrottle Joins { get; }

    public AddressThrottle Knocks { get; }

    public PasswordBackoff Passwords { get; }
}
