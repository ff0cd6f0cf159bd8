using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Sotto.Rtc.Srtp;

/// <summary>
/// One direction of one SRTP session (RFC 3711): a sender protects its RTP and RTCP with one context,
/// the receiver unprotects them with another made from the same master key and salt. Every call works
/// in place on the caller's buffer and allocates nothing per packet; state for an SSRC is created the
/// first time the SSRC is protected or successfully authenticated.
/// </summary>
/// <remarks>
/// <para>
/// <b>Thread-safety:</b> none. A context holds per-SSRC counters and replay windows and reuses cipher
/// instances and scratch buffers, so it must be used by one thread at a time (one receive loop, or
/// callers serialising their sends). Different contexts are independent.
/// </para>
/// <para>
/// On any result other than <see cref="SrtpResult.Ok"/> the packet must be dropped: its octets may
/// have been altered (AES-GCM clears a payload that fails authentication). No MKI, key derivation
/// rate 0 (RFC 5764 §4.1.2), header extensions are not encrypted (no RFC 6904 / cryptex).
/// </para>
/// <para>
/// Protecting two different packets under the same SSRC and index would reuse the AES-GCM IV
/// (RFC 7714 §8), so <see cref="ProtectRtp"/> refuses an index it already used, or one older than its
/// window, with <see cref="SrtpResult.Replayed"/>: retransmit over RTX, not by resending an old sequence number.
/// </para>
/// </remarks>
public sealed class SrtpContext : IDisposable
{
    /// <summary>Default replay window: the RFC 3711 §3.3.2 minimum of 64 is too small for video bursts reordered in the network.</summary>
    public const int DefaultReplayWindowSize = 128;

    /// <summary>Default bound on SSRCs per context; a subscriber with many simulcast and RTX streams stays far below it.</summary>
    public const int DefaultMaxSsrcs = 256;

    private const uint MaxSrtcpIndex = 0x7FFF_FFFF;
    private const uint SrtcpEncryptedFlag = 0x8000_0000;

    private readonly SrtpTransform _transform;
    private readonly Dictionary<uint, SrtpStreamState> _streams = [];
    private readonly int _replayWindowSize;
    private readonly int _maxSsrcs;
    private readonly int _tagLength;

    // The previous packet's stream: consecutive packets mostly share an SSRC, which saves the lookup.
    private uint _lastSsrc;
    private SrtpStreamState? _lastStream;

    private SrtpContext(SrtpProtectionProfile profile, SrtpTransform transform, int replayWindowSize, int maxSsrcs)
    {
        Profile = profile;
        _transform = transform;
        _tagLength = transform.TagLength;
        _replayWindowSize = replayWindowSize;
        _maxSsrcs = maxSsrcs;
    }

    /// <summary>The protection profile this context was created for.</summary>
    public SrtpProtectionProfile Profile { get; }

    /// <summary>Number of SSRCs this context keeps state for.</summary>
    public int SsrcCount => _streams.Count;

    /// <summary>
    /// Benchmark hook: when false, unprotect skips the replay check (the window is still updated), so the
    /// same valid packet can be unprotected repeatedly. Never turned off outside benchmarks and tests.
    /// </summary>
    internal bool ReplayCheckEnabled { get; set; } = true;

    /// <summary>
    /// Creates a context from the master key and salt (for DTLS-SRTP: one half of the exported keying
    /// material, RFC 5764 §4.2) and derives its session keys (RFC 3711 §4.3, kdr = 0).
    /// </summary>
    /// <param name="profile">The negotiated profile.</param>
    /// <param name="masterKey">16 octets, or 32 for AEAD_AES_256_GCM.</param>
    /// <param name="masterSalt">14 octets for AES-CM, 12 for the AEAD profiles.</param>
    /// <param name="replayWindowSize">Replay window in packets, a multiple of 64.</param>
    /// <param name="maxSsrcs">Most SSRCs this context will track; further ones get <see cref="SrtpResult.TooManySsrcs"/>.</param>
    public static SrtpContext Create(
        SrtpProtectionProfile profile,
        ReadOnlySpan<byte> masterKey,
        ReadOnlySpan<byte> masterSalt,
        int replayWindowSize = DefaultReplayWindowSize,
        int maxSsrcs = DefaultMaxSsrcs)
    {
        if (!profile.IsSupported())
        {
            throw new ArgumentOutOfRangeException(nameof(profile), profile, "Unsupported SRTP protection profile.");
        }
        if (masterKey.Length != profile.MasterKeyLength())
        {
            throw new ArgumentException($"{profile} needs a {profile.MasterKeyLength()}-octet master key.", nameof(masterKey));
        }
        if (masterSalt.Length != profile.MasterSaltLength())
        {
            throw new ArgumentException($"{profile} needs a {profile.MasterSaltLength()}-octet master salt.", nameof(masterSalt));
        }
        ValidateLimits(replayWindowSize, maxSsrcs);

        // Session keys have the master key's and master salt's lengths (RFC 3711 §8.2, RFC 7714 §12);
        // the HMAC-SHA1 key is 160 bits (RFC 3711 §4.2.1) and the AEAD profiles have none.
        var keyLength = profile.MasterKeyLength();
        var saltLength = profile.MasterSaltLength();
        var authKeyLength = profile.IsAead() ? 0 : AesCmHmacSha1Transform.AuthKeyLength;
        Span<byte> rtpKey = stackalloc byte[keyLength];
        Span<byte> rtpSalt = stackalloc byte[saltLength];
        Span<byte> rtpAuthKey = stackalloc byte[authKeyLength];
        Span<byte> rtcpKey = stackalloc byte[keyLength];
        Span<byte> rtcpSalt = stackalloc byte[saltLength];
        Span<byte> rtcpAuthKey = stackalloc byte[authKeyLength];
        try
        {
            SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpEncryptionLabel, rtpKey);
            SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpSaltLabel, rtpSalt);
            SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtpAuthenticationLabel, rtpAuthKey);
            SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtcpEncryptionLabel, rtcpKey);
            SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtcpSaltLabel, rtcpSalt);
            SrtpKeyDerivation.Derive(masterKey, masterSalt, SrtpKeyDerivation.RtcpAuthenticationLabel, rtcpAuthKey);
            return CreateFromSessionKeys(profile, rtpKey, rtpSalt, rtpAuthKey, rtcpKey, rtcpSalt, rtcpAuthKey, replayWindowSize, maxSsrcs);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(rtpKey);
            CryptographicOperations.ZeroMemory(rtpSalt);
            CryptographicOperations.ZeroMemory(rtpAuthKey);
            CryptographicOperations.ZeroMemory(rtcpKey);
            CryptographicOperations.ZeroMemory(rtcpSalt);
            CryptographicOperations.ZeroMemory(rtcpAuthKey);
        }
    }

    /// <summary>
    /// Creates a context from already derived session keys. Test hook: RFC 7714 §16–17 publish session
    /// keys, not master keys. Authentication keys are empty for the AEAD profiles.
    /// </summary>
    internal static SrtpContext CreateFromSessionKeys(
        SrtpProtectionProfile profile,
        ReadOnlySpan<byte> rtpKey, ReadOnlySpan<byte> rtpSalt, ReadOnlySpan<byte> rtpAuthKey,
        ReadOnlySpan<byte> rtcpKey, ReadOnlySpan<byte> rtcpSalt, ReadOnlySpan<byte> rtcpAuthKey,
        int replayWindowSize = DefaultReplayWindowSize,
        int maxSsrcs = DefaultMaxSsrcs)
    {
        ValidateLimits(replayWindowSize, maxSsrcs);
        SrtpTransform transform = profile.IsAead()
            ? new AeadAesGcmTransform(rtpKey, rtpSalt, rtcpKey, rtcpSalt)
            : new AesCmHmacSha1Transform(rtpKey, rtpSalt, rtpAuthKey, rtcpKey, rtcpSalt, rtcpAuthKey);
        return new SrtpContext(profile, transform, replayWindowSize, maxSsrcs);
    }

    private static void ValidateLimits(int replayWindowSize, int maxSsrcs)
    {
        if (replayWindowSize < 64 || replayWindowSize % 64 != 0 || replayWindowSize > 32768)
        {
            throw new ArgumentOutOfRangeException(nameof(replayWindowSize), replayWindowSize, "A multiple of 64 between 64 and 32768.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSsrcs, 1);
    }

    /// <summary>
    /// Protects the RTP packet <paramref name="buffer"/>[..<paramref name="length"/>] in place: encrypts the
    /// payload and appends the tag, so the buffer needs <see cref="SrtpProtectionProfiles.MaxRtpOverhead"/>
    /// spare octets after the packet.
    /// </summary>
    public SrtpResult ProtectRtp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        var packet = Packet(buffer, length);
        var result = SrtpHeaders.TryReadRtp(packet, out var ssrc, out var sequenceNumber, out var headerLength);
        if (result != SrtpResult.Ok)
        {
            return result;
        }
        var outputLength = length + _tagLength;
        if (buffer.Length < outputLength)
        {
            return SrtpResult.BufferTooSmall;
        }
        var stream = FindStream(ssrc);
        if (stream is null && !TryAddStream(ssrc, out stream))
        {
            return SrtpResult.TooManySsrcs;
        }

        // RFC 3711 §3.3.1: the sender's ROC counts the wraps of its own sequence numbers; estimating it
        // from the highest index sent (Appendix A) gives every packet the index the receiver will guess.
        // An index already used (or older than the window) is refused, as libsrtp does without
        // allow_repeat_tx: with AES-GCM a reused index with other bytes reuses the IV (RFC 7714 §8).
        var sent = stream.RtpWindow;
        ulong index = sequenceNumber;
        if (!sent.IsEmpty)
        {
            result = SrtpPacketIndex.Estimate(sent.Highest, sequenceNumber, out index);
            if (result != SrtpResult.Ok)
            {
                return result;
            }
            if (sent.IsReplayed(index))
            {
                return SrtpResult.Replayed;
            }
        }
        sent.Accept(index);

        _transform.ProtectRtp(buffer[..outputLength], headerLength, ssrc, index);
        protectedLength = outputLength;
        return SrtpResult.Ok;
    }

    /// <summary>
    /// Authenticates the SRTP packet <paramref name="buffer"/>[..<paramref name="length"/>], rejects replays
    /// and decrypts it in place; <paramref name="plainLength"/> excludes the tag.
    /// </summary>
    public SrtpResult UnprotectRtp(Span<byte> buffer, int length, out int plainLength)
    {
        plainLength = 0;
        var packet = Packet(buffer, length);
        var result = SrtpHeaders.TryReadRtp(packet, out var ssrc, out var sequenceNumber, out var headerLength);
        if (result != SrtpResult.Ok)
        {
            return result;
        }
        if (length < headerLength + _tagLength)
        {
            return SrtpResult.PacketTooShort;
        }
        var stream = FindStream(ssrc);
        if (stream is null && _streams.Count >= _maxSsrcs)
        {
            return SrtpResult.TooManySsrcs;
        }

        // RFC 3711 §3.3.1: the first packet of an SSRC sets s_l and ROC = 0.
        ulong index = sequenceNumber;
        if (stream is not null && !stream.RtpWindow.IsEmpty)
        {
            result = SrtpPacketIndex.Estimate(stream.RtpWindow.Highest, sequenceNumber, out index);
            if (result != SrtpResult.Ok)
            {
                return result;
            }
            if (ReplayCheckEnabled && stream.RtpWindow.IsReplayed(index))
            {
                return SrtpResult.Replayed;
            }
        }

        if (!_transform.UnprotectRtp(packet, headerLength, ssrc, index))
        {
            return SrtpResult.AuthenticationFailed;
        }
        // Only now, authenticated, may the packet create state or move the window (RFC 3711 §3.3.2).
        if (stream is null && !TryAddStream(ssrc, out stream))
        {
            return SrtpResult.TooManySsrcs;
        }
        stream.RtpWindow.Accept(index);
        plainLength = length - _tagLength;
        return SrtpResult.Ok;
    }

    /// <summary>
    /// Protects the RTCP packet (or compound) <paramref name="buffer"/>[..<paramref name="length"/>] in place:
    /// encrypts everything after the first 8 octets and appends the E||SRTCP index word and the tag
    /// (<see cref="SrtpProtectionProfiles.MaxRtcpOverhead"/> spare octets needed).
    /// </summary>
    public SrtpResult ProtectRtcp(Span<byte> buffer, int length, out int protectedLength) =>
        ProtectRtcp(buffer, length, encrypt: true, out protectedLength);

    /// <summary>
    /// As <see cref="ProtectRtcp(Span{byte}, int, out int)"/>; with <paramref name="encrypt"/> false the
    /// packet is authenticated only (E = 0, RFC 3711 §3.4, RFC 7714 §9.3). Sotto always encrypts; this
    /// exists for the RFC 7714 §17.3 vectors.
    /// </summary>
    internal SrtpResult ProtectRtcp(Span<byte> buffer, int length, bool encrypt, out int protectedLength)
    {
        protectedLength = 0;
        var packet = Packet(buffer, length);
        var result = SrtpHeaders.TryReadRtcp(packet, out var ssrc);
        if (result != SrtpResult.Ok)
        {
            return result;
        }
        var outputLength = length + _tagLength + SrtpProtectionProfiles.SrtcpIndexLength;
        if (buffer.Length < outputLength)
        {
            return SrtpResult.BufferTooSmall;
        }
        var stream = FindStream(ssrc);
        if (stream is null && !TryAddStream(ssrc, out stream))
        {
            return SrtpResult.TooManySsrcs;
        }
        var srtcpIndex = stream.NextSrtcpIndex;
        if (srtcpIndex > MaxSrtcpIndex)
        {
            return SrtpResult.KeyLimitReached;
        }
        stream.NextSrtcpIndex = srtcpIndex + 1;

        _transform.ProtectRtcp(buffer[..outputLength], length, ssrc, srtcpIndex, encrypt);
        protectedLength = outputLength;
        return SrtpResult.Ok;
    }

    /// <summary>
    /// Authenticates the SRTCP packet <paramref name="buffer"/>[..<paramref name="length"/>], rejects replays
    /// and, if its E flag is set, decrypts it in place; <paramref name="plainLength"/> excludes index and tag.
    /// </summary>
    public SrtpResult UnprotectRtcp(Span<byte> buffer, int length, out int plainLength)
    {
        plainLength = 0;
        var packet = Packet(buffer, length);
        var result = SrtpHeaders.TryReadRtcp(packet, out var ssrc);
        if (result != SrtpResult.Ok)
        {
            return result;
        }
        var overhead = _tagLength + SrtpProtectionProfiles.SrtcpIndexLength;
        if (length < SrtpHeaders.RtcpHeaderLength + overhead)
        {
            return SrtpResult.PacketTooShort;
        }
        var stream = FindStream(ssrc);
        if (stream is null && _streams.Count >= _maxSsrcs)
        {
            return SrtpResult.TooManySsrcs;
        }

        var indexWord = BinaryPrimitives.ReadUInt32BigEndian(packet[^_transform.SrtcpIndexOffsetFromEnd..]);
        var encrypted = (indexWord & SrtcpEncryptedFlag) != 0;
        var srtcpIndex = indexWord & MaxSrtcpIndex;
        if (ReplayCheckEnabled && stream is not null && stream.RtcpWindow.IsReplayed(srtcpIndex))
        {
            return SrtpResult.Replayed;
        }

        if (!_transform.UnprotectRtcp(packet, ssrc, srtcpIndex, encrypted))
        {
            return SrtpResult.AuthenticationFailed;
        }
        if (stream is null && !TryAddStream(ssrc, out stream))
        {
            return SrtpResult.TooManySsrcs;
        }
        stream.RtcpWindow.Accept(srtcpIndex);
        plainLength = length - overhead;
        return SrtpResult.Ok;
    }

    /// <summary>Test hook: sets the index the next SRTCP packet of <paramref name="ssrc"/> is protected with.</summary>
    internal void SetNextSrtcpIndex(uint ssrc, uint nextIndex)
    {
        var stream = FindStream(ssrc);
        if (stream is null && !TryAddStream(ssrc, out stream))
        {
            throw new InvalidOperationException("SSRC limit reached.");
        }
        stream.NextSrtcpIndex = nextIndex;
    }

    /// <summary>Test hook: the rollover counter this context holds for <paramref name="ssrc"/> (highest index sent or received).</summary>
    internal uint? RolloverCounterOf(uint ssrc)
    {
        var stream = FindStream(ssrc);
        if (stream is null)
        {
            return null;
        }
        return stream.RtpWindow.IsEmpty ? null : SrtpPacketIndex.RolloverCounter(stream.RtpWindow.Highest);
    }

    private static Span<byte> Packet(Span<byte> buffer, int length)
    {
        if ((uint)length > (uint)buffer.Length)
        {
            ThrowLengthOutOfRange(length);
        }
        return buffer[..length];
    }

    private static void ThrowLengthOutOfRange(int length) =>
        throw new ArgumentOutOfRangeException(nameof(length), length, "The packet length exceeds the buffer.");

    private SrtpStreamState? FindStream(uint ssrc)
    {
        if (_lastStream is not null && _lastSsrc == ssrc)
        {
            return _lastStream;
        }
        if (_streams.TryGetValue(ssrc, out var stream))
        {
            _lastSsrc = ssrc;
            _lastStream = stream;
        }
        return stream;
    }

    private bool TryAddStream(uint ssrc, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SrtpStreamState? stream)
    {
        if (_streams.Count >= _maxSsrcs)
        {
            stream = null;
            return false;
        }
        stream = new SrtpStreamState(_replayWindowSize);
        _streams.Add(ssrc, stream);
        _lastSsrc = ssrc;
        _lastStream = stream;
        return true;
    }

    /// <summary>Releases the cipher instances and wipes the session salts.</summary>
    public void Dispose() => _transform.Dispose();
}
