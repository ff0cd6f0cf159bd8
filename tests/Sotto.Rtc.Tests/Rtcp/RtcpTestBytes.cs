namespace Sotto.Rtc.Tests.Rtcp;

/// <summary>Helpers for byte vectors written one annotated 32-bit word per line.</summary>
internal static class RtcpTestBytes
{
    /// <summary>Concatenates hex words ("81 c9 00 07"), ignoring spaces.</summary>
    public static byte[] Hex(params string[] words) => Convert.FromHexString(string.Concat(words).Replace(" ", "", StringComparison.Ordinal));

    /// <summary>A copy, for comparing after the original was overwritten.</summary>
    public static byte[] Copy(ReadOnlySpan<byte> bytes) => bytes.ToArray();

    /// <summary>Overwrites a buffer so that anything still aliasing it shows up as garbage.</summary>
    public static void Scribble(byte[] buffer) => buffer.AsSpan().Fill(0xEE);
}
