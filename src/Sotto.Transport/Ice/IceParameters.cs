using System.Security.Cryptography;
using System.Text;

namespace Sotto.Transport.Ice;

/// <summary>
/// An agent's ICE credentials as SDP carries them (<c>a=ice-ufrag</c>, <c>a=ice-pwd</c>, RFC 8839
/// §5.4). The password is the short-term credential key of MESSAGE-INTEGRITY (RFC 8445 §7.2.2).
/// </summary>
public sealed class IceParameters
{
    // ice-char = ALPHA / DIGIT / "+" / "/"; we use only alphanumerics so the values are URL- and log-safe.
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>Creates parameters from SDP values.</summary>
    public IceParameters(string usernameFragment, string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(usernameFragment);
        ArgumentException.ThrowIfNullOrEmpty(password);
        UsernameFragment = usernameFragment;
        Password = password;
        UsernameFragmentBytes = Encoding.ASCII.GetBytes(usernameFragment);
        PasswordBytes = Encoding.UTF8.GetBytes(password);
    }

    /// <summary>The ufrag.</summary>
    public string UsernameFragment { get; }

    /// <summary>The password.</summary>
    public string Password { get; }

    internal byte[] UsernameFragmentBytes { get; }

    internal byte[] PasswordBytes { get; }

    /// <summary>
    /// Fresh random credentials: a 16-character ufrag (RFC 8839 requires ≥ 4) and a 32-character
    /// password (≥ 22, i.e. ≥ 128 bits of randomness; ours carry ~190).
    /// </summary>
    public static IceParameters Generate()
        => new(RandomNumberGenerator.GetString(Alphabet, 16), RandomNumberGenerator.GetString(Alphabet, 32));
}
