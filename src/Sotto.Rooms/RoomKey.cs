using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Sotto.Rooms;

/// <summary>
/// The server's name for a room: the exact bytes UTF-8(NFC(percent-decode(first path segment))),
/// 1–256 bytes (E2EE-SPEC §S2). Clients derive their PSK from the same bytes, so two spellings of one
/// Cyrillic name (precomposed or combining) must meet in the same room.
/// </summary>
public sealed class RoomKey : IEquatable<RoomKey>
{
    public const int MaxUtf8Length = 256;

    private RoomKey(string name, byte[] utf8)
    {
        Name = name;
        Utf8 = utf8;
    }

    /// <summary>The NFC form of the decoded name. Never log it: use a <see cref="RoomNameHasher"/>.</summary>
    public string Name { get; }

    /// <summary>UTF-8 of <see cref="Name"/>: the room key bytes of E2EE-SPEC §S2.</summary>
    public ReadOnlyMemory<byte> Utf8 { get; }

    /// <summary>
    /// Parses a path segment as the browser shows it (percent-encoded or already decoded characters).
    /// Returns false for malformed escapes, invalid UTF-8, control characters, or a length outside 1–256 bytes.
    /// </summary>
    public static bool TryParse(string? pathSegment, out RoomKey key)
    {
        key = null!;
        if (string.IsNullOrEmpty(pathSegment) || pathSegment.Length > MaxUtf8Length * 3)
            return false;

        // Percent-decode into bytes; literal characters contribute their own UTF-8.
        var bytes = new ArrayBufferWriter<byte>(pathSegment.Length * 3);
        Span<byte> scratch = stackalloc byte[4];
        var i = 0;
        while (i < pathSegment.Length)
        {
            var c = pathSegment[i];
            if (c == '%')
            {
                if (i + 2 >= pathSegment.Length)
                    return false;
                if (!TryHex(pathSegment[i + 1], out var hi) || !TryHex(pathSegment[i + 2], out var lo))
                    return false;
                bytes.Write([(byte)((hi << 4) | lo)]);
                i += 3;
                continue;
            }
            if (Rune.DecodeFromUtf16(pathSegment.AsSpan(i), out var rune, out var used) != OperationStatus.Done)
                return false;
            var n = rune.EncodeToUtf8(scratch);
            bytes.Write(scratch[..n]);
            i += used;
        }

        // Strict UTF-8: an invalid sequence is a malformed name, never replaced with U+FFFD.
        var decoded = new char[bytes.WrittenCount];
        if (System.Text.Unicode.Utf8.ToUtf16(bytes.WrittenSpan, decoded, out _, out var charsWritten, replaceInvalidSequences: false)
            != OperationStatus.Done)
            return false;
        var text = decoded.AsSpan(0, charsWritten).ToString();

        foreach (var ch in text)
        {
            if (char.IsControl(ch))
                return false;
        }

        var nfc = text.Normalize(NormalizationForm.FormC);
        var utf8 = Encoding.UTF8.GetBytes(nfc);
        if (utf8.Length is 0 or > MaxUtf8Length)
            return false;
        key = new RoomKey(nfc, utf8);
        return true;
    }

    /// <summary>
    /// NFC needs ICU: in globalization-invariant mode .NET normalizes only ASCII, and two spellings of a
    /// Cyrillic name would become two rooms. Hosts call this at start and refuse to run without it.
    /// </summary>
    public static bool IsNormalizationAvailable() =>
        "\u0438\u0306".Normalize(NormalizationForm.FormC) == "\u0439";

    private static bool TryHex(char c, out int value)
    {
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'a' and <= 'f' => c - 'a' + 10,
            >= 'A' and <= 'F' => c - 'A' + 10,
            _ => -1,
        };
        return value >= 0;
    }

    public bool Equals(RoomKey? other) => other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as RoomKey);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    /// <summary>Deliberately not the name: keeps it out of logs and exception messages by accident.</summary>
    public override string ToString() => "RoomKey(" + Utf8.Length + " bytes)";
}
