using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Sotto.Rtc.Srtp;

/// <summary>
/// AEAD_AES_128_GCM and AEAD_AES_256_GCM for SRTP and SRTCP (RFC 7714). One <see cref="AesGcm"/> per
/// session key is created at setup and reused for every packet.
/// </summary>
internal sealed class AeadAesGcmTransform : SrtpTransform
{
    public const int AuthTagLength = 16;
    public const int SaltLength = 12;
    private const int NonceLength = 12;
    private const int SrtcpAadLength = SrtpHeaders.RtcpHeaderLength + SrtpProtectionProfiles.SrtcpIndexLength;
    private const uint SrtcpEncryptedFlag = 0x8000_0000;

    private readonly AesGcm _rtpAead;
    private readonly AesGcm _rtcpAead;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;

    public AeadAesGcmTransform(ReadOnlySpan<byte> rtpKey, ReadOnlySpan<byte> rtpSalt, ReadOnlySpan<byte> rtcpKey, ReadOnlySpan<byte> rtcpSalt)
    {
        if (rtpSalt.Length != SaltLength || rtcpSalt.Length != SaltLength)
        {
            throw new ArgumentException("AEAD session salts are 96 bits (RFC 7714 §8.1).");
        }
        _rtpAead = new AesGcm(rtpKey, AuthTagLength);
        _rtcpAead = new AesGcm(rtcpKey, AuthTagLength);
        _rtpSalt = rtpSalt.ToArray();
        _rtcpSalt = rtcpSalt.ToArray();
    }

    public override int TagLength => AuthTagLength;

    // RFC 7714 §9.2: the tag precedes the E||SRTCP index word, unlike RFC 3711 §3.4.
    public override int SrtcpIndexOffsetFromEnd => SrtpProtectionProfiles.SrtcpIndexLength;

    // RFC 7714 §8.1, the 12-octet IV:
    //   0  0  0  0  0  0  0  0  0  0  1  1
    //   0  1  2  3  4  5  6  7  8  9  0  1
    // +--+--+--+--+--+--+--+--+--+--+--+--+
    // |00|00|    SSRC   |     ROC   | SEQ |---+
    // +--+--+--+--+--+--+--+--+--+--+--+--+   |
    //                                         +--> XOR with the session salt
    private void WriteRtpNonce(Span<byte> nonce, uint ssrc, ulong index)
    {
        BinaryPrimitives.WriteUInt16BigEndian(nonce, 0);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[6..], SrtpPacketIndex.RolloverCounter(index));
        BinaryPrimitives.WriteUInt16BigEndian(nonce[10..], (ushort)index);
        XorSalt(nonce, _rtpSalt);
    }

    // RFC 7714 §9.1: 00 00 || SSRC || 00 00 || 0 + 31-bit SRTCP index, XOR the SRTCP session salt.
    private void WriteRtcpNonce(Span<byte> nonce, uint ssrc, uint srtcpIndex)
    {
        BinaryPrimitives.WriteUInt16BigEndian(nonce, 0);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], ssrc);
        BinaryPrimitives.WriteUInt16BigEndian(nonce[6..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], srtcpIndex);
        XorSalt(nonce, _rtcpSalt);
    }

    private static void XorSalt(Span<byte> nonce, ReadOnlySpan<byte> salt)
    {
        var high = BinaryPrimitives.ReadUInt64LittleEndian(nonce) ^ BinaryPrimitives.ReadUInt64LittleEndian(salt);
        var low = BinaryPrimitives.ReadUInt32LittleEndian(nonce[8..]) ^ BinaryPrimitives.ReadUInt32LittleEndian(salt[8..]);
        BinaryPrimitives.WriteUInt64LittleEndian(nonce, high);
        BinaryPrimitives.WriteUInt32LittleEndian(nonce[8..], low);
    }

    // RFC 7714 §8.2: AAD = the RTP header (with CSRCs and extension), plaintext = the payload,
    // SRTP packet = header || ciphertext || tag.
    public override void ProtectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteRtpNonce(nonce, ssrc, index);
        var tagOffset = packet.Length - AuthTagLength;
        var payload = packet[headerLength..tagOffset];
        _rtpAead.Encrypt(nonce, payload, payload, packet[tagOffset..], packet[..headerLength]);
    }

    public override bool UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, ulong index)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteRtpNonce(nonce, ssrc, index);
        var tagOffset = packet.Length - AuthTagLength;
        var payload = packet[headerLength..tagOffset];
        return TryDecrypt(_rtpAead, nonce, payload, packet[tagOffset..], packet[..headerLength]);
    }

    // RFC 7714 §9.2 (encrypted): header || ciphertext || tag || E=1 + index; AAD = header (8) || E + index.
    // RFC 7714 §9.3 (authenticated only): header || payload || tag || E=0 + index; AAD = header || payload || E + index.
    public override void ProtectRtcp(Span<byte> packet, int plainLength, uint ssrc, uint srtcpIndex, bool encrypt)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteRtcpNonce(nonce, ssrc, srtcpIndex);
        var indexWord = encrypt ? srtcpIndex | SrtcpEncryptedFlag : srtcpIndex;
        var tagOffset = plainLength;
        var indexOffset = plainLength + AuthTagLength;
        if (encrypt)
        {
            Span<byte> aad = stackalloc byte[SrtcpAadLength];
            packet[..SrtpHeaders.RtcpHeaderLength].CopyTo(aad);
            BinaryPrimitives.WriteUInt32BigEndian(aad[SrtpHeaders.RtcpHeaderLength..], indexWord);
            var payload = packet[SrtpHeaders.RtcpHeaderLength..plainLength];
            _rtcpAead.Encrypt(nonce, payload, payload, packet.Slice(tagOffset, AuthTagLength), aad);
        }
        else
        {
            // Make the AAD contiguous by writing the index word where the tag will go, then move it.
            Span<byte> tag = stackalloc byte[AuthTagLength];
            BinaryPrimitives.WriteUInt32BigEndian(packet[plainLength..], indexWord);
            _rtcpAead.Encrypt(nonce, [], [], tag, packet[..(plainLength + SrtpProtectionProfiles.SrtcpIndexLength)]);
            tag.CopyTo(packet[tagOffset..]);
        }
        BinaryPrimitives.WriteUInt32BigEndian(packet[indexOffset..], indexWord);
    }

    public override bool UnprotectRtcp(Span<byte> packet, uint ssrc, uint srtcpIndex, bool encrypted)
    {
        Span<byte> nonce = stackalloc byte[NonceLength];
        WriteRtcpNonce(nonce, ssrc, srtcpIndex);
        var indexOffset = packet.Length - SrtpProtectionProfiles.SrtcpIndexLength;
        var tagOffset = indexOffset - AuthTagLength;
        var indexWord = packet[indexOffset..];
        if (encrypted)
        {
            Span<byte> aad = stackalloc byte[SrtcpAadLength];
            packet[..SrtpHeaders.RtcpHeaderLength].CopyTo(aad);
            indexWord.CopyTo(aad[SrtpHeaders.RtcpHeaderLength..]);
            var payload = packet[SrtpHeaders.RtcpHeaderLength..tagOffset];
            return TryDecrypt(_rtcpAead, nonce, payload, packet.Slice(tagOffset, AuthTagLength), aad);
        }

        // Authenticated only: AAD = header || payload || index word. Put the word where the tag starts so
        // the AAD is one span, and restore the tag octets afterwards whatever the outcome.
        Span<byte> tag = stackalloc byte[AuthTagLength];
        packet.Slice(tagOffset, AuthTagLength).CopyTo(tag);
        indexWord.CopyTo(packet[tagOffset..]);
        var authentic = TryDecrypt(_rtcpAead, nonce, [], tag, packet[..(tagOffset + SrtpProtectionProfiles.SrtcpIndexLength)]);
        tag.CopyTo(packet[tagOffset..]);
        return authentic;
    }

    /// <summary>
    /// <see cref="AesGcm.Decrypt(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte}, ReadOnlySpan{byte})"/>
    /// reports a bad tag only by throwing; SRTP answers forged packets with a result, so the exception stops here.
    /// </summary>
    private static bool TryDecrypt(AesGcm aead, ReadOnlySpan<byte> nonce, Span<byte> ciphertext, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        try
        {
            aead.Decrypt(nonce, ciphertext, tag, ciphertext, associatedData);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    public override void Dispose()
    {
        _rtpAead.Dispose();
        _rtcpAead.Dispose();
        CryptographicOperations.ZeroMemory(_rtpSalt);
        CryptographicOperations.ZeroMemory(_rtcpSalt);
    }
}
