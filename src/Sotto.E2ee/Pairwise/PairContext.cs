using Sotto.E2ee.Primitives;

namespace Sotto.E2ee.Pairwise;

/// <summary>What every pairwise channel of one participant shares: room, my id and static key, the link PSKs, my hello.</summary>
internal sealed class PairContext
{
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

    public string Name { get; }

    public uint Gen { get; private set; }

    /// <summary>Adopts a rotated link (§S11); handshakes begun under the old PSK restart.</summary>
    public void Rotate(uint gen, byte[] psk)
    {
        PreviousPsk = Psk;
        Psk = psk;
        Gen = gen;
    }
}
