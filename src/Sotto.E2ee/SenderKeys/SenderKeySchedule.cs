using System.Security.Cryptography;

namespace Sotto.E2ee.SenderKeys;

/// <summary>What the schedule needs from the participant around it (no I/O of its own).</summary>
internal interface ISenderKeyHost
{
    /// <summary>Installs my sending key in the frame keyring (activation).</summary>
    void InstallSendingKey(uint epoch, byte[] baseKey);

    /// <summary>Whether my key of this epoch has encrypted any frame.</summary>
    bool SendingKeyUsed(uint epoch);

    /// <summary>ESTABLISHED and admitted: the only peers that get keys (§S6).</summary>
    bool IsEligible(string peerId);

    IReadOnlyCollection<string> EligiblePeers();

    /// <summary>Sends <c>key {epoch, slot, k}</c> over the pairwise channel.</summary>
    void SendKey(string peerId, uint epoch, byte[] baseKey);

    /// <summary>After activation: ask the encoder for a key frame.</summary>
    void RequestKeyFrame();
}

/// <summary>
/// My sender keys (§S6): <c>cur</c> and an optional <c>pend</c>, with the join, departure and
/// periodic triggers and activation on all acks or at the deadline. A key that encrypted anything
/// is never given to a newcomer, and a leaver never gets the key that replaces the one it had.
/// Single-threaded; the caller calls <see cref="Tick"/> from its timer loop.
/// </summary>
internal sealed class SenderKeySchedule
{
    public const int BaseKeyLength = 16;
    public static readonly TimeSpan JoinDebounce = TimeSpan.FromMilliseconds(300);
    public static readonly TimeSpan JoinSwitch = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan LeaveSwitch = TimeSpan.FromMilliseconds(1500);
    public static readonly TimeSpan PeriodicRekey = TimeSpan.FromSeconds(600);
    public static readonly TimeSpan PeriodicJitter = TimeSpan.FromSeconds(60);

    private readonly ISenderKeyHost _host;
    private readonly TimeProvider _time;
    private readonly HashSet<string> _joinQueue = [];
    private Key _current;
    private Key? _pending;
    private uint _nextEpoch;
    private DateTimeOffset? _joinDue;
    private DateTimeOffset _periodicDue;
    // An ack may arrive while the key is still being handed out (a synchronous host): activation
    // waits until every recipient has been given the key.
    private bool _distributing;

    public SenderKeySchedule(ISenderKeyHost host, TimeProvider? time = null)
    {
        _host = host;
        _time = time ?? TimeProvider.System;
        _current = NewKey(DateTimeOffset.MaxValue);
        _host.InstallSendingKey(_current.Epoch, _current.BaseKey);
        ArmPeriodic(); // the first key counts as activated at creation (docs/e2ee.md C12)
    }

    public uint CurrentEpoch => _current.Epoch;

    public uint? PendingEpoch => _pending?.Epoch;

    /// <summary>"N people can decrypt what you send" (§S6).</summary>
    public int DecryptorCount => _current.Recipients.Count(_host.IsEligible);

    public IReadOnlySet<string> CurrentHolders => _current.Recipients;

    /// <summary>A peer became ESTABLISHED (debounced 300 ms).</summary>
    public void PeerEligible(string peerId)
    {
        _joinQueue.Add(peerId);
        _joinDue = _time.GetUtcNow() + JoinDebounce;
    }

    /// <summary>A peer departed (left, BYE, BROKEN &gt; 10 s, KEY_CHANGED, removed).</summary>
    public void PeerDeparted(string peerId)
    {
        _joinQueue.Remove(peerId);
        DateTimeOffset deadline = Min(_pending?.Deadline ?? DateTimeOffset.MaxValue, _time.GetUtcNow() + LeaveSwitch);
        bool heldPending = _pending?.Recipients.Contains(peerId) ?? false;
        bool heldCurrent = _current.Recipients.Remove(peerId);
        if (heldPending || (heldCurrent && _pending is null))
        {
            NewPending(deadline); // the leaver must never see the key that replaces its own
        }
        else if (_pending is not null)
        {
            // docs/e2ee.md C10: a pend the leaver never received is kept; only its deadline tightens.
            _pending.Recipients.Remove(peerId);
            _pending.Deadline = deadline;
            MaybeActivate();
        }
    }

    /// <summary>key_ack {epoch} from a peer.</summary>
    public void Acknowledged(string peerId, uint epoch)
    {
        if (_pending is null || _pending.Epoch != epoch || !_pending.Recipients.Contains(peerId))
            return;
        _pending.Acks.Add(peerId);
        MaybeActivate();
    }

    /// <summary>Runs whatever timer is due: join debounce, pending deadline, periodic rekey.</summary>
    public void Tick()
    {
        DateTimeOffset now = _time.GetUtcNow();
        if (_joinDue is { } joinDue && now >= joinDue)
        {
            _joinDue = null;
            OnJoinDebounced(now);
        }
        if (_pending is not null && now >= _pending.Deadline)
            Activate();
        if (now >= _periodicDue)
        {
            if (_pending is null && _host.SendingKeyUsed(_current.Epoch))
                NewPending(now + JoinSwitch);
            else
                _periodicDue = now + PeriodicRekey;
        }
    }

    private void OnJoinDebounced(DateTimeOffset now)
    {
        string[] newcomers = [.. _joinQueue.Where(id => _host.IsEligible(id) && !_current.Recipients.Contains(id) && !(_pending?.Recipients.Contains(id) ?? false))];
        _joinQueue.Clear();
        if (newcomers.Length == 0)
            return; // docs/e2ee.md C11: a re-established holder is not a newcomer
        if (_pending is not null)
        {
            _distributing = true;
            foreach (string id in newcomers)
                Give(_pending, id);
            _distributing = false;
            MaybeActivate();
        }
        else if (!_host.SendingKeyUsed(_current.Epoch))
        {
            foreach (string id in newcomers)
                Give(_current, id);
        }
        else
        {
            NewPending(now + JoinSwitch);
        }
    }

    private void NewPending(DateTimeOffset deadline)
    {
        if (_pending is not null)
            CryptographicOperations.ZeroMemory(_pending.BaseKey);
        Key pending = NewKey(deadline);
        _pending = pending;
        _distributing = true;
        foreach (string id in _host.EligiblePeers())
            Give(pending, id);
        _distributing = false;
        MaybeActivate();
    }

    private void MaybeActivate()
    {
        if (!_distributing && _pending is not null && _pending.Recipients.Where(_host.IsEligible).All(_pending.Acks.Contains))
            Activate();
    }

    private void Activate()
    {
        Key pending = _pending!;
        _pending = null;
        _host.InstallSendingKey(pending.Epoch, pending.BaseKey);
        CryptographicOperations.ZeroMemory(_current.BaseKey);
        pending.Recipients.RemoveWhere(id => !_host.IsEligible(id));
        _current = pending;
        _host.RequestKeyFrame();
        ArmPeriodic();
    }

    private void Give(Key key, string peerId)
    {
        key.Recipients.Add(peerId);
        _host.SendKey(peerId, key.Epoch, key.BaseKey);
    }

    private Key NewKey(DateTimeOffset deadline)
    {
        if (_nextEpoch == uint.MaxValue)
            throw new InvalidOperationException("epochs exhausted");
        return new Key(_nextEpoch++, RandomNumberGenerator.GetBytes(BaseKeyLength), deadline);
    }

    private void ArmPeriodic()
    {
        double jitter = (Random.Shared.NextDouble() * 2 - 1) * PeriodicJitter.TotalMilliseconds;
        _periodicDue = _time.GetUtcNow() + PeriodicRekey + TimeSpan.FromMilliseconds(jitter);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>One sender key: epoch (rises by exactly 1, never reused), base key, who got it.</summary>
    private sealed class Key(uint epoch, byte[] baseKey, DateTimeOffset deadline)
    {
        public uint Epoch { get; } = epoch;
        public byte[] BaseKey { get; } = baseKey;
        public HashSet<string> Recipients { get; } = [];
        public HashSet<string> Acks { get; } = [];
        public DateTimeOffset Deadline { get; set; } = deadline;
    }
}
