using Sotto.E2ee.Primitives;

namespace Sotto.E2ee.Pairwise;

/// <summary>What every pairwise channel of one participant shares: room, my id and static key, the link PSKs, my hello, the meeting's retry budget.</summary>
internal sealed class PairContext
{
    /// <summary>§S4.8, §S14: at most 10 retries per meeting, shared by every channel.</summary>
    public const int DefaultMeetingRetries = 10;

    public PairContext(byte[] room, string selfId, X25519KeyPair staticKey, byte[] psk, string name, uint gen)
    {
        if (!PairCrypto.IsValidId(selfId))
            throw new ArgumentException("an id is [A-Za-z0-9_-]{1,64}", nameof(selfId));
        Room = room;
        SelfId = selfId;
        Static = staticKey;
        Psk = psk;
        Name = name;
        Gen = gen;
    }

    public byte[] Room { get; }

    public string SelfId { get; }

    /// <summary>s: my meeting identity (§S3), the same for every peer.</summary>
    public X25519KeyPair Static { get; }

    /// <summary>The PSK of the current link generation (§S2).</summary>
    public byte[] Psk { get; private set; }

    /// <summary>The previous generation's PSK, for the OLD_LINK diagnosis (§S4.9), or null.</summary>
    public byte[]? PreviousPsk { get; private set; }

    /// <summary>My display name, sent in <c>hello</c>; the user may change it during the call (docs/e2ee.md C25).</summary>
    public string Name { get; set; }

    public uint Gen { get; private set; }

    /// <summary>Retries left in this meeting (§S4.8: ≤ 10 per meeting, across all peers).</summary>
    public int MeetingRetriesRemaining { get; private set; } = DefaultMeetingRetries;

    /// <summary>Takes one retry from the meeting's budget; false when it is spent.</summary>
    public bool TryTakeMeetingRetry()
    {
        if (MeetingRetriesRemaining <= 0)
            return false;
        MeetingRetriesRemaining--;
        return true;
    }

    /// <summary>§S11: the link carries no generation; a newcomer with the current secret learns it from a peer's <c>hello</c>.</summary>
    public void LearnGen(uint gen)
    {
        if (gen > Gen)
            Gen = gen;
    }

    /// <summary>Adopts a rotated link (§S11); handshakes begun under the old PSK restart.</summary>
    public void Rotate(uint gen, byte[] psk)
    {
        PreviousPsk = Psk;
        Psk = psk;
        Gen = gen;
    }
}
