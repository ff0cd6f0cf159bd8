namespace Sotto.E2ee.Noise;

/// <summary>Why a handshake message was refused. Every failure ends the handshake.</summary>
internal enum HandshakeFailure
{
    None,
    /// <summary>Wrong length for the pattern, or not this side's turn.</summary>
    Malformed,
    /// <summary>A DH gave the all-zero output (low-order key): §S1 abort.</summary>
    ZeroSharedSecret,
    /// <summary>An AEAD tag did not verify (static key or payload).</summary>
    DecryptFailed,
    /// <summary>The caller's check of the remote static key refused it (§S4.5 commitment check).</summary>
    RemoteStaticRejected,
}

/// <summary>
/// Noise rev 34 §5.3 HandshakeState for the 25519/AESGCM/SHA256 suite, enough for IX and IXpsk2.
/// One object per attempt; a failed message leaves it unusable (<see cref="IsFailed"/>).
/// </summary>
internal sealed class HandshakeState : IDisposable
{
    public const int DhLength = 32;

    private readonly HandshakePattern _pattern;
    private readonly SymmetricState _symmetric;
    private readonly Primitives.X25519KeyPair _static;
    private byte[]? _psk;
    private Primitives.X25519KeyPair? _ephemeral;
    private byte[]? _remoteEphemeral;
    private byte[]? _remoteStatic;
    private int _messageIndex;

    /// <param name="ephemeral">A fixed ephemeral (committed in advance by C, §S4.3, or a test vector); null draws a fresh one when the e token is written.</param>
    public HandshakeState(HandshakePattern pattern, bool initiator, ReadOnlySpan<byte> prologue,
        Primitives.X25519KeyPair localStatic, Primitives.X25519KeyPair? ephemeral, ReadOnlySpan<byte> psk)
    {
        if (pattern.IsPsk && psk.Length != 32)
            throw new ArgumentException("a psk handshake needs a 32-byte PSK", nameof(psk));
        _pattern = pattern;
        IsInitiator = initiator;
        _static = localStatic;
        _ephemeral = ephemeral;
        _psk = pattern.IsPsk ? psk.ToArray() : null;
        _symmetric = new SymmetricState(pattern.ProtocolName);
        _symmetric.MixHash(prologue);
    }

    public bool IsInitiator { get; }

    public bool IsComplete => _messageIndex == _pattern.Messages.Count && !IsFailed;

    public bool IsFailed { get; private set; }

    /// <summary>h: valid once complete (§S4.6 derives the SAS from it).</summary>
    public ReadOnlySpan<byte> HandshakeHash => _symmetric.HandshakeHash;

    public ReadOnlySpan<byte> RemoteStatic => _remoteStatic;

    public ReadOnlySpan<byte> LocalEphemeralPublic => _ephemeral is null ? [] : _ephemeral.PublicKey;

    /// <summary>The symmetric state just before the psk token (§S4.9 diagnosis), or null.</summary>
    public SymmetricState? BeforePsk { get; private set; }

    /// <summary>The encrypted payload of the last message read or written (§S4.9 diagnosis).</summary>
    public byte[] LastPayloadCiphertext { get; private set; } = [];

    /// <summary>
    /// Replaces the PSK before the psk token is processed: docs/e2ee.md C2 mixes the link PSK current
    /// at that moment (I reads HS2 under the PSK it holds then, even if the link rotated meanwhile).
    /// </summary>
    public void ReplacePsk(ReadOnlySpan<byte> psk)
    {
        if (!_pattern.IsPsk || psk.Length != 32 || BeforePsk is not null)
            throw new InvalidOperationException("the psk token was already processed");
        _psk = psk.ToArray();
    }

    private bool IsMyTurn => (_messageIndex % 2 == 0) == IsInitiator;

    public bool TryWriteMessage(ReadOnlySpan<byte> payload, out byte[] message, out HandshakeFailure failure)
    {
        message = [];
        if (IsFailed || _messageIndex >= _pattern.Messages.Count || !IsMyTurn)
            return Fail(HandshakeFailure.Malformed, out failure);
        var output = new List<byte>(128);
        foreach (Token token in _pattern.Messages[_messageIndex])
        {
            switch (token)
            {
                case Token.E:
                    _ephemeral ??= Primitives.X25519KeyPair.Generate();
                    output.AddRange(_ephemeral.PublicKey);
                    _symmetric.MixHash(_ephemeral.PublicKey);
                    if (_pattern.IsPsk)
                        _symmetric.MixKey(_ephemeral.PublicKey);
                    break;
                case Token.S:
                    output.AddRange(_symmetric.EncryptAndHash(_static.PublicKey));
                    break;
                case Token.Psk:
                    BeforePsk = _symmetric.Clone();
                    _symmetric.MixKeyAndHash(_psk);
                    break;
                default:
                    if (!TryMixDh(token))
                        return Fail(HandshakeFailure.ZeroSharedSecret, out failure);
                    break;
            }
        }
        LastPayloadCiphertext = _symmetric.EncryptAndHash(payload);
        output.AddRange(LastPayloadCiphertext);
        _messageIndex++;
        message = output.ToArray();
        failure = HandshakeFailure.None;
        return true;
    }

    /// <param name="acceptRemoteStatic">
    /// Called right after the remote static key is decrypted, before any later token: §S4.5 checks
    /// the commitment there. Returning false fails with <see cref="HandshakeFailure.RemoteStaticRejected"/>.
    /// </param>
    public bool TryReadMessage(ReadOnlySpan<byte> message, out byte[] payload, out HandshakeFailure failure,
        Func<byte[], bool>? acceptRemoteStatic = null)
    {
        payload = [];
        if (IsFailed || _messageIndex >= _pattern.Messages.Count || IsMyTurn)
            return Fail(HandshakeFailure.Malformed, out failure);
        int offset = 0;
        foreach (Token token in _pattern.Messages[_messageIndex])
        {
            switch (token)
            {
                case Token.E:
                    if (message.Length - offset < DhLength)
                        return Fail(HandshakeFailure.Malformed, out failure);
                    _remoteEphemeral = message.Slice(offset, DhLength).ToArray();
                    offset += DhLength;
                    _symmetric.MixHash(_remoteEphemeral);
                    if (_pattern.IsPsk)
                        _symmetric.MixKey(_remoteEphemeral);
                    break;
                case Token.S:
                    int length = DhLength + (_symmetric.HasKey ? CipherState.TagLength : 0);
                    if (message.Length - offset < length)
                        return Fail(HandshakeFailure.Malformed, out failure);
                    if (!_symmetric.TryDecryptAndHash(message.Slice(offset, length), out byte[] remoteStatic))
                        return Fail(HandshakeFailure.DecryptFailed, out failure);
                    offset += length;
                    _remoteStatic = remoteStatic;
                    if (acceptRemoteStatic is not null && !acceptRemoteStatic(remoteStatic))
                        return Fail(HandshakeFailure.RemoteStaticRejected, out failure);
                    break;
                case Token.Psk:
                    BeforePsk = _symmetric.Clone();
                    _symmetric.MixKeyAndHash(_psk);
                    break;
                default:
                    if (!TryMixDh(token))
                        return Fail(HandshakeFailure.ZeroSharedSecret, out failure);
                    break;
            }
        }
        LastPayloadCiphertext = message[offset..].ToArray();
        if (_symmetric.HasKey && LastPayloadCiphertext.Length < CipherState.TagLength)
            return Fail(HandshakeFailure.Malformed, out failure);
        if (!_symmetric.TryDecryptAndHash(LastPayloadCiphertext, out payload))
            return Fail(HandshakeFailure.DecryptFailed, out failure);
        _messageIndex++;
        failure = HandshakeFailure.None;
        return true;
    }

    /// <summary>Split() once complete: (initiator→responder, responder→initiator); then ck is forgotten.</summary>
    public (CipherState InitiatorToResponder, CipherState ResponderToInitiator) Split()
    {
        if (!IsComplete)
            throw new InvalidOperationException("the handshake is not complete");
        var pair = _symmetric.Split();
        _symmetric.Clear();
        _ephemeral = null;
        return pair;
    }

    private bool TryMixDh(Token token)
    {
        // ee: DH(e, re); es: initiator DH(e, rs), responder DH(s, re); se: the mirror (Noise §5.3).
        (Primitives.X25519KeyPair? local, byte[]? remote) = token switch
        {
            Token.EE => (_ephemeral, _remoteEphemeral),
            Token.ES => IsInitiator ? (_ephemeral, _remoteStatic) : (_static, _remoteEphemeral),
            Token.SE => IsInitiator ? (_static, _remoteEphemeral) : (_ephemeral, _remoteStatic),
            Token.SS => (_static, _remoteStatic),
            _ => (null, null),
        };
        if (local is null || remote is null)
            return false;
        Span<byte> shared = stackalloc byte[DhLength];
        bool nonZero = local.TryAgree(remote, shared);
        if (nonZero)
            _symmetric.MixKey(shared);
        shared.Clear();
        return nonZero;
    }

    public void Dispose()
    {
        _symmetric.Dispose();
        BeforePsk?.Dispose();
    }

    private bool Fail(HandshakeFailure reason, out HandshakeFailure failure)
    {
        IsFailed = true;
        failure = reason;
        return false;
    }
}
