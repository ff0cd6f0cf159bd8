using System.Security.Cryptography;

namespace Sotto.E2ee.Codes;

/// <summary>What a peer's reveal did to the round.</summary>
internal enum RevealResult
{
    Accepted,
    /// <summary>No commit from that peer for this rid (yet): ignored.</summary>
    Ignored,
    /// <summary>The reveal does not match the peer's commit: TAMPER alarm (§S8.3).</summary>
    Tamper,
}

/// <summary>
/// One room-code round for one view (§S8 steps 2–4): my commitment, the peers' commitments and
/// reveals, and the code once every reveal is in. I reveal only after every peer of the view has
/// committed to my rid [otherwise a server could grind two views to the same short code].
/// </summary>
internal sealed class RoomCodeRound
{
    private readonly Dictionary<string, byte[]> _commits = [];
    private readonly Dictionary<string, byte[]> _reveals = [];
    private readonly HashSet<string> _peers;

    public RoomCodeRound(ReadOnlySpan<byte> room, string selfId, IReadOnlyCollection<RoomMember> view, byte[]? r = null)
    {
        SelfId = selfId;
        _peers = [.. view.Select(m => m.Id).Where(id => id != selfId)];
        ViewSize = view.Count;
        Rid = RoomCode.ViewId(room, view);
        R = r ?? RandomNumberGenerator.GetBytes(RoomCode.RandomLength);
        Commitment = RoomCode.Commit(Rid, selfId, R);
        _reveals[selfId] = R;
    }

    public string SelfId { get; }

    public int ViewSize { get; }

    public byte[] Rid { get; }

    /// <summary>My r: sent in <c>rc_reveal</c> only when <see cref="ReadyToReveal"/>.</summary>
    public byte[] R { get; }

    /// <summary>My c: sent in <c>rc_commit</c> to all of V.</summary>
    public byte[] Commitment { get; }

    public bool Revealed { get; private set; }

    /// <summary>The 6 code bytes once every peer revealed, else null.</summary>
    public byte[]? Code { get; private set; }

    public bool ReadyToReveal => !Revealed && _peers.All(_commits.ContainsKey);

    /// <summary>"waiting for X" (§S8.4).</summary>
    public IEnumerable<string> MissingCommits => _peers.Where(id => !_commits.ContainsKey(id));

    /// <summary>Marks my reveal as sent; false (and nothing to send) before every peer committed.</summary>
    public bool TryReveal()
    {
        if (!ReadyToReveal)
            return false;
        Revealed = true;
        return true;
    }

    /// <summary>An rc_commit from a peer of this view with my rid (the caller filters on rid); the first one counts.</summary>
    public void AcceptCommit(string from, byte[] rid, byte[] commitment)
    {
        if (_peers.Contains(from) && rid.AsSpan().SequenceEqual(Rid))
            _commits.TryAdd(from, commitment);
    }

    public RevealResult AcceptReveal(string from, byte[] rid, byte[] r)
    {
        if (!_commits.TryGetValue(from, out byte[]? commitment) || !rid.AsSpan().SequenceEqual(Rid) || r.Length != RoomCode.RandomLength)
            return RevealResult.Ignored;
        if (!RoomCode.RevealMatches(Rid, from, r, commitment))
            return RevealResult.Tamper;
        _reveals[from] = r;
        if (Revealed && _peers.All(_reveals.ContainsKey))
            Code = RoomCode.CodeBytes(Rid, _reveals);
        return RevealResult.Accepted;
    }
}
