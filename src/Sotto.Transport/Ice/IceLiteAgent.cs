using System.Net;
using Sotto.Rtc.Stun;

namespace Sotto.Transport.Ice;

/// <summary>
/// The server side of ICE: a lite agent, always controlled (RFC 8445 §2.5, §6.1.1). It gathers
/// nothing and checks nothing; it answers the peer's Binding requests (§7.3) and tells the caller
/// which addresses proved they hold the credentials. No state per check, no allocation.
/// </summary>
internal sealed class IceLiteAgent
{
    /// <summary>Room for any response we write: header, XOR-MAPPED-ADDRESS (IPv6), ERROR-CODE with reason, UNKNOWN-ATTRIBUTES, MI, FINGERPRINT.</summary>
    public const int MaxResponseLength = 256;

    private const int MaxUnknownAttributes = 16;

    private readonly IceParameters _local;
    private readonly IceParameters? _remote;

    /// <param name="local">Our ufrag and password (from our SDP).</param>
    /// <param name="remote">The peer's, when its SDP gave them: then the USERNAME's second half must match.</param>
    /// <param name="controlling">
    /// True when the owner is our controlling client (<see cref="IceControllingAgent"/>) answering
    /// the checks of a full peer such as Janus's libnice: a full agent sends triggered checks and
    /// only selects the pair once one is answered (RFC 8445 §7.3.1.4). The role-conflict rule is
    /// then mirrored: a controlling agent conflicts with ICE-CONTROLLING (§7.3.1.1).
    /// </param>
    public IceLiteAgent(IceParameters local, IceParameters? remote, bool controlling = false)
    {
        _local = local;
        _remote = remote;
        _controlling = controlling;
    }

    private readonly bool _controlling;

    /// <summary>
    /// Validates a STUN datagram as a connectivity check (RFC 8489 §6.3, RFC 8445 §7.3) and writes
    /// the answer to send back, if any, into <paramref name="response"/>.
    /// </summary>
    public IceCheckOutcome HandleRequest(ReadOnlySpan<byte> datagram, SocketAddress remote, Span<byte> response, out int responseLength)
    {
        responseLength = 0;
        if (!StunMessage.TryParse(datagram, out StunMessage request)
            || request.Class != StunMessageClass.Request
            || request.Method != StunMethod.Binding)
        {
            return IceCheckOutcome.Discarded;
        }

        // RFC 8445 §7.3 makes FINGERPRINT mandatory in checks; a wrong one means "not STUN".
        if (!request.HasFingerprint || !request.VerifyFingerprint())
            return IceCheckOutcome.Discarded;

        // Short-term credential checks, in RFC 8489 §9.1.3 order. Failures are answered without
        // MESSAGE-INTEGRITY: we cannot prove anything to a peer that has not proven itself.
        if (!request.TryGetUsername(out ReadOnlySpan<byte> username) || !request.HasMessageIntegrity)
            return Reject(request, StunErrorCode.BadRequest, "Bad Request"u8, authenticated: false, response, out responseLength);

        if (!IceUsername.TrySplit(username, out ReadOnlySpan<byte> localUfrag, out ReadOnlySpan<byte> remoteUfrag)
            || !localUfrag.SequenceEqual(_local.UsernameFragmentBytes)
            || (_remote is not null && !remoteUfrag.SequenceEqual(_remote.UsernameFragmentBytes))
            || !request.VerifyMessageIntegrity(_local.PasswordBytes))
        {
            return Reject(request, StunErrorCode.Unauthorized, "Unauthorized"u8, authenticated: false, response, out responseLength);
        }

        // RFC 8489 §6.3.1.1: unknown comprehension-required attributes are refused by name.
        // Unknown comprehension-optional ones (Chromium's GOOG-NETWORK-INFO 0xC057) are ignored.
        if (request.UnknownComprehensionRequiredCount > 0)
            return RejectUnknownAttributes(request, response, out responseLength);

        // RFC 8445 §7.3.1.1: a peer that also claims the controlled role conflicts with us. A lite
        // agent can never take the controlling role (§6.1.1), so the full agent must switch: 487.
        if (request.HasAttribute(_controlling ? StunAttributeType.IceControlling : StunAttributeType.IceControlled))
            return Reject(request, StunErrorCode.RoleConflict, "Role Conflict"u8, authenticated: true, response, out responseLength);

        responseLength = WriteSuccess(request, remote, response);
        return request.HasUseCandidate ? IceCheckOutcome.Nominated : IceCheckOutcome.Valid;
    }

    private int WriteSuccess(StunMessage request, SocketAddress remote, Span<byte> response)
    {
        Span<byte> ip = stackalloc byte[16];
        remote.TryGetAddress(ip, out int ipLength, out ushort port);

        StunMessageWriter.TryCreate(response, StunMethod.Binding, StunMessageClass.SuccessResponse, request.TransactionId, out StunMessageWriter writer);
        // RFC 8445 §7.3.1.2: the mapped address is where the request came from (peer-reflexive discovery).
        writer.TryAddXorMappedAddress(new StunAddress(ip[..ipLength], port));
        writer.TryAddMessageIntegrity(_local.PasswordBytes);
        writer.TryAddFingerprint();
        return writer.Length;
    }

    private IceCheckOutcome Reject(StunMessage request, int code, ReadOnlySpan<byte> reason, bool authenticated, Span<byte> response, out int responseLength)
    {
        StunMessageWriter.TryCreate(response, StunMethod.Binding, StunMessageClass.ErrorResponse, request.TransactionId, out StunMessageWriter writer);
        writer.TryAddErrorCode(code, reason);
        if (authenticated)
            writer.TryAddMessageIntegrity(_local.PasswordBytes);
        writer.TryAddFingerprint();
        responseLength = writer.Length;
        return IceCheckOutcome.Rejected;
    }

    private IceCheckOutcome RejectUnknownAttributes(StunMessage request, Span<byte> response, out int responseLength)
    {
        Span<ushort> unknown = stackalloc ushort[MaxUnknownAttributes];
        int count = request.CopyUnknownComprehensionRequired(unknown);

        scoped StunMessageWriter writer;
        StunMessageWriter.TryCreate(response, StunMethod.Binding, StunMessageClass.ErrorResponse, request.TransactionId, out writer);
        writer.TryAddErrorCode(StunErrorCode.UnknownAttribute, "Unknown Attribute"u8);
        writer.TryAddUnknownAttributes(unknown[..count]);
        writer.TryAddMessageIntegrity(_local.PasswordBytes);
        writer.TryAddFingerprint();
        responseLength = writer.Length;
        return IceCheckOutcome.Rejected;
    }
}
