using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Sotto.Rtc.Stun;

/// <summary>
/// The long-term credential key for MESSAGE-INTEGRITY (RFC 8489 §9.2.2):
/// MD5(username ":" OpaqueString(realm) ":" OpaqueString(password)). ICE itself uses short-term keys
/// (the password bytes); this exists for TURN and for the RFC 5769 §2.4 vector. The caller supplies
/// strings already prepared with the OpaqueString profile (RFC 8265): no SASLprep is applied here.
/// </summary>
public static class StunLongTermCredential
{
    public const int KeyLength = 16;

    [SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms", Justification = "RFC 8489 §9.2.2 defines the long-term key as MD5.")]
    public static void DeriveKey(string username, string realm, string password, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(realm);
        ArgumentNullException.ThrowIfNull(password);
        var input = Encoding.UTF8.GetBytes(username + ":" + realm + ":" + password);
        MD5.HashData(input, destination);
    }
}
