namespace Sotto.Transport.Ice;

/// <summary>What the lite agent made of an incoming datagram.</summary>
internal enum IceCheckOutcome
{
    /// <summary>Not a Binding request, or failed FINGERPRINT: silently discarded (RFC 8489 §6.3).</summary>
    Discarded,

    /// <summary>Answered with an error response (400, 401, 420 or 487); the address is not bound.</summary>
    Rejected,

    /// <summary>A valid check: answered with a success response.</summary>
    Valid,

    /// <summary>A valid check carrying USE-CANDIDATE: the controlling agent nominated this pair (RFC 8445 §7.3.1.5).</summary>
    Nominated,
}
