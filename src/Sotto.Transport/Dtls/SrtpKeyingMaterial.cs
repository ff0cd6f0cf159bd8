using Sotto.Rtc.Srtp;

namespace Sotto.Transport.Dtls;

/// <summary>
/// The SRTP master keys and salts a DTLS-SRTP handshake exports (RFC 5764 §4.2). The exporter
/// output with label <c>EXTRACTOR-dtls_srtp</c> is laid out as
/// <c>client_write_key | server_write_key | client_write_salt | server_write_salt</c>; the client
/// protects with the client half and the server with the server half.
/// </summary>
public sealed class SrtpKeyingMaterial
{
    private readonly byte[] _block;

    internal SrtpKeyingMaterial(SrtpProtectionProfile profile, byte[] block)
    {
        if (!profile.IsSupported())
            throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unsupported SRTP protection profile.");
        if (block.Length != UseSrtpProfiles.KeyBlockLength(profile))
            throw new ArgumentException("Key block length does not match the profile.", nameof(block));

        Profile = profile;
        KeyLength = profile.MasterKeyLength();
        SaltLength = profile.MasterSaltLength();
        _block = block;
    }

    /// <summary>The negotiated protection profile.</summary>
    public SrtpProtectionProfile Profile { get; }

    /// <summary>Master key length in bytes.</summary>
    public int KeyLength { get; }

    /// <summary>Master salt length in bytes.</summary>
    public int SaltLength { get; }

    /// <summary>The raw exporter output (what <c>openssl -keymatexport</c> prints).</summary>
    public ReadOnlySpan<byte> ExportedBlock => _block;

    /// <summary>client_write_SRTP_master_key.</summary>
    public ReadOnlySpan<byte> ClientKey => _block.AsSpan(0, KeyLength);

    /// <summary>server_write_SRTP_master_key.</summary>
    public ReadOnlySpan<byte> ServerKey => _block.AsSpan(KeyLength, KeyLength);

    /// <summary>client_write_SRTP_master_salt.</summary>
    public ReadOnlySpan<byte> ClientSalt => _block.AsSpan(2 * KeyLength, SaltLength);

    /// <summary>server_write_SRTP_master_salt.</summary>
    public ReadOnlySpan<byte> ServerSalt => _block.AsSpan((2 * KeyLength) + SaltLength, SaltLength);

    /// <summary>
    /// The two SRTP contexts of one side: <c>Outbound</c> protects what we send with our half of
    /// the keys, <c>Inbound</c> unprotects what the peer sends with its half.
    /// </summary>
    public (SrtpContext Outbound, SrtpContext Inbound) CreateContexts(bool isClient)
    {
        var client = SrtpContext.Create(Profile, ClientKey, ClientSalt);
        var server = SrtpContext.Create(Profile, ServerKey, ServerSalt);
        return isClient ? (client, server) : (server, client);
    }
}
