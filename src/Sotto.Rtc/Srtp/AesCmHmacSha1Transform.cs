using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Sotto.Rtc.Srtp;

/// <summary>
/// AES_CM_128_HMAC_SHA1_80 (RFC 3711 §4.1.1 encryption, §4.2.1 authentication; DTLS-SRTP profile
/// SRTP_AES128_CM_HMAC_SHA1_80, RFC 5764 §4.1.2). The HMAC keys are loaded once into
/// <see cref="IncrementalHash"/> instances, which reset to the keyed state after each tag.
/// </summary>
internal sealed class AesCmHmacSha1Transform : SrtpTransform
{
    public const int AuthTagLength = 10;
    public const int SaltLength = 14;
    public const int AuthKeyLength = 20;
    private const int Sha1Length = 20;
    private const int RolloverCounterLength = 4;
    private const uint SrtcpEncryptedFlag = 0x8000_0000;

    private readonly AesCounterMode _rtpCipher;
    private readonly AesCounterMode _rtcpCipher;
    private readonly IncrementalHash _rtpMac;
    private readonly IncrementalHash _rtcpMac;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;

    public AesCmHmacSha1Transform(
        ReadOnlySpan<byte> rtpKey, ReadOnlySpan<byte> rtpSalt, ReadOnlySpan<byte> rtpAuthKey,
        ReadOnlySpan<byte> rtcpKey, ReadOnlySpan<byte> rtcpSalt, ReadOnlySpan<byte> rtcpAuthKey)
    {
        if (rtpSalt.Length != SaltLength || rtcpSalt.Length != SaltLength)
        {
            throw new ArgumentException("AES-CM session salts are 112 bits (RFC 3711 §4.1.1).");
        }
        _rtpCipher = new AesCounterMode(rtpKey);
        _rtcpCipher = new AesCounterMode(rtcpKey);
        _rtpMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, rtpAuthKey);
        _rtcpMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, rtcpAuthKey);
        _rtpSalt = rtpSalt.ToArray();
        _rtcpSalt = rtcpSalt.ToArray();
    }

    public override int TagLength => AuthTagLength;

    // RFC 3711 §3.4: ... || E + SRTCP index || authentication tag.
    public override int SrtcpIndexOffsetFromEnd => AuthTagLength + SrtpProtectionProfiles.SrtcpIndexLength;

    /// <summary>
    /// RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), 128 bits. The salt fills
    /// octets 0..13, the SSRC lands on octets 4..7 and the 48-bit index on octets 8..13; octets 14..15
    /// stay zero for the block counter.
    /// </summary>
    private static void WriteCounter(Span<byte> counter, ReadOnlySpan<byte> salt, uint ssrc, ulong index)
    {
        counter.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(counter[4..], ssrc);
        BinaryPrimitives.WriteUInt16BigEndian(counter[8..], (ushort)(index >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(counter[10..], (uint)index);
        for (var i = 0; i < SaltLength; i++)
        {
            counter[i] ^= salt[i];
        }
    }

    // RFC 3711 §3.1: the payload (everything after the header) is encrypted; the tag covers
    // header || encrypted payload || ROC (§4.2) and is appended.
    public override void ProtectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index)
    {
        var authenticatedLength = packet.Length - AuthTagLength;
        Span<byte> counter = stackalloc byte[AesCounterMode.BlockLength];
        WriteCounter(counter, _rtpSalt, ssrc, index);
        _rtpCipher.Apply(counter, packet[headerLength..authenticatedLength]);

        // M || ROC: the ROC goes where the tag will be (there are 10 octets of room), then the tag overwrites it.
        BinaryPrimitives.WriteUInt32BigEndian(packet[authenticatedLength..], SrtpPacketIndex.RolloverCounter(index));
        Span<byte> mac = stackalloc byte[Sha1Length];
        ComputeMac(_rtpMac, packet[..(authenticatedLength + RolloverCounterLength)], mac);
        mac[..AuthTagLength].CopyTo(packet[authenticatedLength..]);
    }

    public override bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index)
    {
        var authenticatedLength = packet.Length - AuthTagLength;
        Span<byte> receivedTag = stackalloc byte[AuthTagLength];
        packet[authenticatedLength..].CopyTo(receivedTag);
        BinaryPrimitives.WriteUInt32BigEndian(packet[authenticatedLength..], SrtpPacketIndex.RolloverCounter(index));
        Span<byte> mac = stackalloc byte[Sha1Length];
        ComputeMac(_rtpMac, packet[..(authenticatedLength + RolloverCounterLength)], mac);
        receivedTag.CopyTo(packet[authenticatedLength..]);
        if (!CryptographicOperations.FixedTimeEquals(mac[..AuthTagLength], receivedTag))
        {
            return false;
        }

        Span<byte> counter = stackalloc byte[AesCounterMode.BlockLength];
        WriteCounter(counter, _rtpSalt, ssrc, index);
        _rtpCipher.Apply(counter, packet[headerLength..authenticatedLength]);
        return true;
    }

    // RFC 3711 §3.4: header (8) || encrypted portion || E + SRTCP index || tag; the tag covers everything
    // before it. The IV is §4.1.1's with the SRTCP index in place of i.
    public override void ProtectRtcp(Span<byte> packet, int plainLength, uint ssrc, uint srtcpIndex, bool encrypt)
    {
        if (encrypt)
        {
            Span<byte> counter = stackalloc byte[AesCounterMode.BlockLength];
            WriteCounter(counter, _rtcpSalt, ssrc, srtcpIndex);
            _rtcpCipher.Apply(counter, packet[SrtpHeaders.RtcpHeaderLength..plainLength]);
        }
        BinaryPrimitives.WriteUInt32BigEndian(packet[plainLength..], encrypt ? srtcpIndex | SrtcpEncryptedFlag : srtcpIndex);
        var authenticatedLength = plainLength + SrtpProtectionProfiles.SrtcpIndexLength;
        Span<byte> mac = stackalloc byte[Sha1Length];
        ComputeMac(_rtcpMac, packet[..authenticatedLength], mac);
        mac[..AuthTagLength].CopyTo(packet[authenticatedLength..]);
    }

    public override bool UnprotectRtcp(Span<byte> packet, uint ssrc, uint srtcpIndex, bool encrypted)
    {
        var authenticatedLength = packet.Length - AuthTagLength;
        Span<byte> mac = stackalloc byte[Sha1Length];
        ComputeMac(_rtcpMac, packet[..authenticatedLength], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..AuthTagLength], packet[authenticatedLength..]))
        {
            return false;
        }
        if (encrypted)
        {
            Span<byte> counter = stackalloc byte[AesCounterMode.BlockLength];
            WriteCounter(counter, _rtcpSalt, ssrc, srtcpIndex);
            _rtcpCipher.Apply(counter, packet[SrtpHeaders.RtcpHeaderLength..(authenticatedLength - SrtpProtectionProfiles.SrtcpIndexLength)]);
        }
        return true;
    }

    private static void ComputeMac(IncrementalHash mac, ReadOnlySpan<byte> authenticatedPortion, Span<byte> destination)
    {
        mac.AppendData(authenticatedPortion);
        mac.GetHashAndReset(destination);
    }

    public override void Dispose()
    {
        _rtpCipher.Dispose();
        _rtcpCipher.Dispose();
        _rtpMac.Dispose();
        _rtcpMac.Dispose();
        CryptographicOperations.ZeroMemory(_rtpSalt);
        CryptographicOperations.ZeroMemory(_rtcpSalt);
    }
}
