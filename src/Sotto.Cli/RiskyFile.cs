namespace Sotto.Cli;

/// <summary>
/// "Risky types carry a warning" (DESIGN.md §1.4, docs/e2ee.md §S10): files that can run code or
/// scripts when opened, judged by extension at the offer and by magic bytes once received. The
/// lists are web/e2ee/files.js's, so the terminal and the page warn about the same files.
/// </summary>
internal static class RiskyFile
{
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        "exe", "com", "scr", "pif", "msi", "msp", "bat", "cmd", "ps1", "psm1", "vbs", "vbe", "js", "jse", "mjs", "wsf", "wsh",
        "hta", "cpl", "dll", "lnk", "url", "reg", "inf", "jar", "apk", "app", "dmg", "pkg", "deb", "rpm", "sh", "bash",
        "command", "py", "pl", "rb", "php", "html", "htm", "xhtml", "svg", "xml", "mht", "mhtml", "iso", "img", "vhd",
        "docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppsm", "one", "chm", "appx", "msix", "scf", "library-ms",
    };

    private static readonly byte[][] Magic =
    [
        "MZ"u8.ToArray(), // Windows PE
        [0x7f, (byte)'E', (byte)'L', (byte)'F'],
        [0xcf, 0xfa, 0xed, 0xfe], // Mach-O 64
        [0xca, 0xfe, 0xba, 0xbe], // Mach-O fat / Java class
        "#!"u8.ToArray(),
        "<!doc"u8.ToArray(),
        "<html"u8.ToArray(),
        "<svg"u8.ToArray(),
        "<?xml"u8.ToArray(),
        "<script"u8.ToArray(),
    ];

    public static bool IsRiskyName(string name)
    {
        int dot = name.LastIndexOf('.');
        return dot >= 0 && Extensions.Contains(name[(dot + 1)..]);
    }

    /// <summary>The first bytes name an executable or active content; markup is compared case-insensitively, as in files.js.</summary>
    public static bool IsRiskyContent(ReadOnlySpan<byte> content)
    {
        Span<byte> head = stackalloc byte[Math.Min(content.Length, 16)];
        content[..head.Length].CopyTo(head);
        if (head.Length > 0 && head[0] == '<')
        {
            for (int i = 0; i < head.Length; i++)
                head[i] = head[i] is >= (byte)'A' and <= (byte)'Z' ? (byte)(head[i] | 0x20) : head[i];
        }
        foreach (byte[] magic in Magic)
        {
            if (head.StartsWith(magic))
                return true;
        }
        return false;
    }
}
