using System.Text;
using Sotto.E2ee.Primitives;

namespace Sotto.E2ee.Links;

/// <summary>Why a link was refused (§S2: "the link is incomplete" — refuse to join).</summary>
internal enum LinkProblem
{
    None,
    /// <summary>Something after '#' other than "k=" + 43 base64url characters (an empty fragment too).</summary>
    MalformedFragment,
    /// <summary>No first path segment, bad percent-encoding, invalid UTF-8, or not 1–256 bytes.</summary>
    BadRoom,
    NotAUrl,
}

/// <summary>
/// The meeting link <c>https://host/&lt;room&gt;#k=&lt;secret&gt;</c> (§S2): ROOM bytes and the
/// optional 32-byte link secret S. The fragment is split off by hand: "no '#'" (no secret) and
/// "'#' followed by nothing" (a link cut short) must stay distinguishable.
/// </summary>
internal sealed class MeetingLink
{
    public const int SecretLength = 32;
    public const int RoomMinBytes = 1;
    public const int RoomMaxBytes = 256;
    private const string FragmentPrefix = "k=";
    private const int SecretChars = 43; // b64u of 32 bytes, no padding

    private MeetingLink(byte[] room, byte[]? secret)
    {
        Room = room;
        Secret = secret;
    }

    /// <summary>ROOM = UTF-8(NFC(percent-decode(first path segment))).</summary>
    public byte[] Room { get; }

    /// <summary>S, or null for a link without any '#'.</summary>
    public byte[]? Secret { get; }

    public static bool TryParse(string href, out MeetingLink? link, out LinkProblem problem)
    {
        link = null;
        int hashAt = href.IndexOf('#', StringComparison.Ordinal);
        string beforeFragment = hashAt < 0 ? href : href[..hashAt];
        byte[]? secret = null;
        if (hashAt >= 0 && !TryParseFragment(href.AsSpan(hashAt + 1), out secret))
        {
            problem = LinkProblem.MalformedFragment;
            return false;
        }
        int schemeEnd = beforeFragment.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0)
        {
            problem = LinkProblem.NotAUrl;
            return false;
        }
        // As the browser's URL parser reads an http(s) URL: '\\' counts as '/', the authority ends at
        // the first '/', '\\' or '?', and the query is not part of the path.
        string afterScheme = beforeFragment[(schemeEnd + 3)..].Replace('\\', '/');
        int pathStart = afterScheme.IndexOfAny(['/', '?']);
        if (pathStart < 0 || afterScheme[pathStart] == '?')
        {
            problem = LinkProblem.BadRoom;
            return false;
        }
        string path = afterScheme[pathStart..];
        int queryAt = path.IndexOf('?', StringComparison.Ordinal);
        if (queryAt >= 0)
            path = path[..queryAt];
        if (!TryRoomFromPath(path, out byte[] room))
        {
            problem = LinkProblem.BadRoom;
            return false;
        }
        link = new MeetingLink(room, secret);
        problem = LinkProblem.None;
        return true;
    }

    /// <summary>S from the text after '#': exactly "k=" and 43 canonical base64url characters.</summary>
    public static bool TryParseFragment(ReadOnlySpan<char> fragment, out byte[]? secret)
    {
        secret = null;
        if (fragment.Length != FragmentPrefix.Length + SecretChars || !fragment.StartsWith(FragmentPrefix, StringComparison.Ordinal))
            return false;
        if (!Base64Url.TryDecode(fragment[FragmentPrefix.Length..], out byte[] bytes, SecretLength))
            return false;
        secret = bytes;
        return true;
    }

    /// <summary>
    /// ROOM from a path such as "/%D0%B9…/x": the first segment, percent-decoded to bytes, read as
    /// strict UTF-8, NFC-normalized (so NFD input — "и" + U+0306 for "й" — gives the same key) and
    /// encoded again. Characters that were not escaped (a raw Cyrillic link) are taken as they are.
    /// </summary>
    public static bool TryRoomFromPath(string path, out byte[] room)
    {
        room = [];
        string segment = FirstSegment(path);
        if (!TryPercentDecode(segment, out byte[] raw))
            return false;
        string text;
        try
        {
            text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(raw);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        if (!text.IsNormalized(NormalizationForm.FormC))
            text = text.Normalize(NormalizationForm.FormC);
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes(text);
        if (bytes.Length is < RoomMinBytes or > RoomMaxBytes)
            return false;
        room = bytes;
        return true;
    }

    /// <summary>
    /// The first path segment after the WHATWG URL parser's dot-segment removal ("." and ".." and
    /// their %2e spellings), so "/./room" and "/a/../room" name the room "room" as in the browser.
    /// </summary>
    private static string FirstSegment(string path)
    {
        var segments = new List<string>();
        string[] parts = (path.StartsWith('/') ? path[1..] : path).Split('/');
        for (int i = 0; i < parts.Length; i++)
        {
            string part = parts[i];
            bool last = i == parts.Length - 1;
            if (IsDotSegment(part, 1))
            {
                if (last)
                    segments.Add("");
            }
            else if (IsDotSegment(part, 2))
            {
                if (segments.Count > 0)
                    segments.RemoveAt(segments.Count - 1);
                if (last)
                    segments.Add("");
            }
            else
            {
                segments.Add(part);
            }
        }
        return segments.Count == 0 ? "" : segments[0];
    }

    private static bool IsDotSegment(string part, int dots)
    {
        string lower = part.ToLowerInvariant().Replace("%2e", ".", StringComparison.Ordinal);
        return lower.Length == dots && lower.All(ch => ch == '.');
    }

    private static bool TryPercentDecode(string segment, out byte[] bytes)
    {
        var output = new List<byte>(segment.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < segment.Length; i++)
        {
            char ch = segment[i];
            if (ch == '%')
            {
                if (i + 2 >= segment.Length || HexValue(segment[i + 1]) < 0 || HexValue(segment[i + 2]) < 0)
                {
                    bytes = [];
                    return false;
                }
                output.Add((byte)(HexValue(segment[i + 1]) << 4 | HexValue(segment[i + 2])));
                i += 2;
                continue;
            }
            if (char.IsHighSurrogate(ch) && i + 1 < segment.Length && char.IsLowSurrogate(segment[i + 1]))
            {
                var rune = new Rune(ch, segment[i + 1]);
                output.AddRange(utf8[..rune.EncodeToUtf8(utf8)]);
                i++;
                continue;
            }
            if (!Rune.TryCreate(ch, out Rune single))
            {
                bytes = [];
                return false; // a lone surrogate
            }
            output.AddRange(utf8[..single.EncodeToUtf8(utf8)]);
        }
        bytes = output.ToArray();
        return true;
    }

    private static int HexValue(char ch) => ch switch
    {
        >= '0' and <= '9' => ch - '0',
        >= 'a' and <= 'f' => ch - 'a' + 10,
        >= 'A' and <= 'F' => ch - 'A' + 10,
        _ => -1,
    };
}
