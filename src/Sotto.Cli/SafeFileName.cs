using System.Text;

namespace Sotto.Cli;

/// <summary>
/// Where a received file may land (docs/e2ee.md §S10 "names sanitized"; the guide: nothing is saved
/// without a click). The offered name is the sender's to choose, so it is treated as hostile: the
/// same cleaning as web/e2ee/files.js <c>sanitizeFileName</c> (no control, bidi or path characters, no
/// leading dots), plus what a file system needs (no "..", a length in bytes, no Windows device name).
/// A file is created new, never overwritten: a taken name gets " (1)", " (2)", … before its extension.
/// </summary>
internal static class SafeFileName
{
    /// <summary>Linux allows 255 bytes per name; this leaves room for the " (999)" suffix.</summary>
    public const int MaxUtf8Bytes = 200;

    private const int MaxSuffix = 999;
    private const int MaxKeptExtensionLength = 16;
    private const string Fallback = "file";

    private static readonly string[] WindowsDeviceNames =
        ["CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
         "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9"];

    /// <summary>A name that is one plain entry of a directory, whatever <paramref name="offered"/> holds.</summary>
    public static string Sanitize(string offered)
    {
        var clean = new StringBuilder(offered.Length);
        // EnumerateRunes turns a lone surrogate into U+FFFD, so Normalize cannot throw below.
        foreach (Rune rune in offered.EnumerateRunes())
            clean.Append(IsUnsafe(rune) ? "_" : rune.ToString());
        string name = clean.ToString().Normalize(NormalizationForm.FormC);
        while (name.Contains("..", StringComparison.Ordinal))
            name = name.Replace("..", ".", StringComparison.Ordinal);
        // A leading dot hides the file (and ".bashrc" is not a name to land by accident); Windows drops
        // trailing dots and spaces.
        name = name.TrimStart('.', ' ').Trim().TrimEnd('.', ' ');
        name = Shorten(name);
        string stem = Path.GetFileNameWithoutExtension(name);
        if (WindowsDeviceNames.Contains(stem, StringComparer.OrdinalIgnoreCase))
            name = "_" + name;
        return name.Length > 0 ? name : Fallback;
    }

    /// <summary>
    /// Writes <paramref name="content"/> to a new file named <paramref name="safeName"/> (or with a
    /// number added) directly inside <paramref name="directory"/>; returns its full path.
    /// </summary>
    /// <exception cref="IOException">the file cannot be written (its partial content is removed)</exception>
    /// <exception cref="UnauthorizedAccessException">the directory is not writable</exception>
    public static string CreateNew(string directory, string safeName, ReadOnlySpan<byte> content)
    {
        string root = Path.GetFullPath(directory);
        Directory.CreateDirectory(root);
        string stem = Path.GetFileNameWithoutExtension(safeName);
        string extension = Path.GetExtension(safeName);
        for (int suffix = 0; suffix <= MaxSuffix; suffix++)
        {
            string path = Path.Combine(root, suffix == 0 ? safeName : $"{stem} ({suffix}){extension}");
            // Defence in depth: whatever Sanitize missed, the file is a direct child of the directory.
            if (!string.Equals(Path.GetDirectoryName(Path.GetFullPath(path)), Path.TrimEndingDirectorySeparator(root), StringComparison.Ordinal))
                throw new IOException("the name leaves the directory");
            if (IsTaken(path))
                continue;
            FileStream file;
            try
            {
                // CreateNew is O_CREAT|O_EXCL: it fails on any existing entry, a dangling symlink included.
                file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            }
            catch (IOException) when (IsTaken(path))
            {
                continue; // created by someone else meanwhile
            }
            try
            {
                using (file)
                    file.Write(content);
                return path;
            }
            catch
            {
                File.Delete(path);
                throw;
            }
        }
        throw new IOException($"{MaxSuffix} files with this name exist already");
    }

    private static bool IsTaken(string path) =>
        File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;

    /// <summary>C0/C1 controls, bidi marks, overrides and isolates, path separators and characters Windows forbids.</summary>
    private static bool IsUnsafe(Rune rune) =>
        Rune.IsControl(rune)
        || rune.Value is 0x061C or 0x200E or 0x200F or (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069)
        || rune.Value is '/' or '\\' or ':' or '*' or '?' or '"' or '<' or '>' or '|';

    /// <summary>At most <see cref="MaxUtf8Bytes"/> bytes, cut from the stem so a short extension stays.</summary>
    private static string Shorten(string name)
    {
        if (Encoding.UTF8.GetByteCount(name) <= MaxUtf8Bytes)
            return name;
        string extension = Path.GetExtension(name);
        if (extension.Length > MaxKeptExtensionLength)
            extension = "";
        string stem = extension.Length > 0 ? name[..^extension.Length] : name;
        int budget = MaxUtf8Bytes - Encoding.UTF8.GetByteCount(extension);
        var kept = new StringBuilder();
        int used = 0;
        foreach (Rune rune in stem.EnumerateRunes())
        {
            used += rune.Utf8SequenceLength;
            if (used > budget)
                break;
            kept.Append(rune.ToString());
        }
        return kept.ToString().TrimEnd('.', ' ') + extension;
    }
}
