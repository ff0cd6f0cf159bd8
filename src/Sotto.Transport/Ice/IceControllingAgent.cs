using System.Security.Cryptography;
using Sotto.Rtc.Stun;

namespace Sotto.Transport.Ice;

/// <summary>
/// The controlling side our own C# participant needs against a lite server: one candidate pair
/// (our socket → the server's single host candidate), aggressive nomination (USE-CANDIDATE on
/// every check, fine against a lite peer, RFC 8445 §8.1.1 note), STUN retransmissions
/// (RFC 8489 §6.2.1), then consent checks (RFC 7675). Time is passed in; no timers, no sockets.
/// </summary>
internal sealed class IceControllingAgent
{
    /// <summary>Room for a check: USERNAME (up to 2×256+1), PRIORITY, ICE-CONTROLLING, USE-CANDIDATE, MI, FINGERPRINT.</summary>
    public const int MaxCheckLength = 640;

    // RFC 8445 §5.1.2.1: type preference 110 for peer-reflexive (what the server learns us as), full
    // local preference, component 1 (rtcp-mux): the value the check's PRIORITY attribute carries.
    private const uint PeerReflexivePriority = (110u << 24) | (65535u << 8) | (256u - 1u);

    private readonly IceParameters _local;
    private readonly IceParameters _remote;
    private readonly IceOptions _options;
    private readonly ulong _tieBreaker = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
    private readonly byte[] _username;
    private readonly byte[] _transactionId = new byte[StunMessage.TransactionIdLength];
    private bool _pending;
    private int _requestsSent;
    private long _nextSendAt;
    private long _transactionDeadline;
    private long _nextConsentAt;
    private long _sentAt;

    public IceControllingAgent(IceParameters local, IceParameters remote, IceOptions options, long now)
    {
        _local = local;
        _remote = remote;
        _options = options;
        // RFC 8445 §7.2.2: USERNAME = remote ufrag ":" local ufrag.
        _username = new byte[remote.UsernameFragmentBytes.Length + 1 + local.UsernameFragmentBytes.Length];
        IceUsername.TryWrite(remote.UsernameFragmentBytes, local.UsernameFragmentBytes, _username, out _);
        LastSuccessAt = now;
        _nextConsentAt = now;
    }

    /// <summary>True after the first success response: the pair is valid and nominated.</summary>
    public bool IsConnected { get; private set; }

    /// <summary>When the last success response arrived (or when the agent started).</summary>
    public long LastSuccessAt { get; private set; }

    /// <summary>True when the first check got no answer after all retransmissions.</summary>
    public bool HasFailed { get; private set; }

    /// <summary>Round-trip time of the most recent answered check, in milliseconds (a first-attempt answer only).</summary>
    public long? LastRoundTripMilliseconds { get; private set; }

    /// <summary>Writes the Binding request due at <paramref name="now"/>, if any; returns its length or 0.</summary>
    public int Poll(long now, Span<byte> buffer)
    {
        if (HasFailed)
            return 0;

        if (_pending)
        {
            if (_requestsSent >= _options.MaxRequests)
            {
                if (now < _transactionDeadline)
                    return 0;

                // Transaction timed out. Before connecting that is failure; afterwards consent
                // freshness decides (a lost consent check is not fatal by itself).
                _pending = false;
                if (!IsConnected)
                {
                    HasFailed = true;
                    return 0;
                }

                _nextConsentAt = now + NextConsentDelay();
                return 0;
            }

            return now < _nextSendAt ? 0 : WriteCheck(now, buffer, retransmission: true);
        }

        if (IsConnected && now < _nextConsentAt)
            return 0;

        RandomNumberGenerator.Fill(_transactionId);
        _requestsSent = 0;
        _pending = true;
        return WriteCheck(now, buffer, retransmission: false);
    }

    /// <summary>Handles a Binding response; true when it answered our pending check and authenticated.</summary>
    public bool HandleResponse(ReadOnlySpan<byte> datagram, long now)
    {
        if (!_pending
            || !StunMessage.TryParse(datagram, out StunMessage response)
            || response.Method != StunMethod.Binding
            || !response.TransactionId.SequenceEqual(_transactionId))
        {
            return false;
        }

        // RFC 8445 §7.2.5.2: responses are authenticated with the remote password.
        if (!response.VerifyMessageIntegrity(_remote.PasswordBytes) || (response.HasFingerprint && !response.VerifyFingerprint()))
            return false;

        _pending = false;
        if (response.Class != StunMessageClass.SuccessResponse)
        {
            // An error from a peer that authenticated it (e.g. 487): no retry logic for a lite
            // peer that should never send one; the first check failing is final.
            if (!IsConnected)
                HasFailed = true;
            return false;
        }

        if (_requestsSent == 1)
            LastRoundTripMilliseconds = now - _sentAt;
        IsConnected = true;
        LastSuccessAt = now;
        _nextConsentAt = now + NextConsentDelay();
        return true;
    }

    private int WriteCheck(long now, Span<byte> buffer, bool retransmission)
    {
        StunMessageWriter.TryCreate(buffer, StunMethod.Binding, StunMessageClass.Request, _transactionId, out StunMessageWriter writer);
        writer.TryAddUsername(_username);
        writer.TryAddPriority(PeerReflexivePriority);
        writer.TryAddIceControlling(_tieBreaker);
        if (!IsConnected)
            writer.TryAddUseCandidate();
        writer.TryAddMessageIntegrity(_remote.PasswordBytes);
        writer.TryAddFingerprint();

        long rto = (long)_options.InitialRetransmissionTimeout.TotalMilliseconds;
        if (!retransmission)
            _sentAt = now;
        _requestsSent++;
        // RTO doubles per retransmission (RFC 8489 §6.2.1); after the last request wait Rm × RTO.
        _nextSendAt = now + (rto << Math.Min(_requestsSent - 1, 16));
        _transactionDeadline = now + (rto * _options.LastWaitMultiplier);
        return writer.Length;
    }

    private long NextConsentDelay()
    {
        // RFC 7675 §5.1: randomize to 0.8–1.2 × interval so checks of many sessions do not align.
        double factor = 0.8 + (0.4 * Random.Shared.NextDouble());
        return (long)(_options.ConsentInterval.TotalMilliseconds * factor);
    }
}
