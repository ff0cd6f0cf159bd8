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

    internal SrtpKeyingMaterial(ushort profile, byte[] block)
    {
        if (!UseSrtpProfiles.TryGetLengths(profile, out int keyLength, out int saltLength))
            throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unsupported SRTP protection profile.");
        if (block.Length != 2 * (keyLength + saltLength))
            throw new ArgumentException("Key block length does not match the profile.", nameof(block));

        Profile = profile;
        KeyLength = keyLength;
        SaltLength = saltLength;
        _block = block;
    }

    /// <summary>The negotiated protection profile, as its RFC 5764 §4.1.2 / RFC 7714 §14.2 code point.</summary>
    public ushort Profile { get; }

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
}
