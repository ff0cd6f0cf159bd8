using Org.BouncyCastle.Math.EC.Rfc7748;
using System.Security.Cryptography;

namespace Sotto.E2ee.Primitives;

/// <summary>An X25519 key pair (RFC 7748). The private scalar is clamped by the DH function itself.</summary>
internal sealed class X25519KeyPair
{
    public const int KeyLength = X25519.PointSize;

    private readonly byte[] _private;

    private X25519KeyPair(byte[] privateKey)
    {
        _private = privateKey;
        PublicKey = new byte[KeyLength];
        X25519.ScalarMultBase(_private, 0, PublicKey, 0);
    }

    public byte[] PublicKey { get; }

    /// <summary>A fresh key pair from RandomNumberGenerator (§S1).</summary>
    public static X25519KeyPair Generate() => new(RandomNumberGenerator.GetBytes(KeyLength));

    /// <summary>A key pair from fixed private bytes: test vectors only.</summary>
    public static X25519KeyPair FromPrivateKey(ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != KeyLength)
            throw new ArgumentException("an X25519 private key is 32 bytes", nameof(privateKey));
        return new X25519KeyPair(privateKey.ToArray());
    }

    /// <summary>
    /// DH(self, remote) into <paramref name="sharedSecret"/>; false when the result is all zero
    /// (a low-order remote key), which §S1 and §S4.5 treat as an abort, never as a usable secret.
    /// </summary>
    public bool TryAgree(ReadOnlySpan<byte> remotePublic, Span<byte> sharedSecret)
    {
        if (remotePublic.Length != KeyLength || sharedSecret.Length != KeyLength)
            return false;
        var output = new byte[KeyLength];
        bool nonZero = X25519.CalculateAgreement(_private, 0, remotePublic.ToArray(), 0, output, 0);
        output.CopyTo(sharedSecret);
        CryptographicOperations.ZeroMemory(output);
        return nonZero;
    }
}
