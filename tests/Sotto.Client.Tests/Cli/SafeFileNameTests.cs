using System.Text;
using Sotto.Cli;

namespace Sotto.Client.Tests.Cli;

/// <summary>The names received files are saved under (docs/e2ee.md §S10 "names sanitized"), and that saving never overwrites or leaves the directory.</summary>
public sealed class SafeFileNameTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "sotto-safe-name-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData("report.pdf", "report.pdf")]
    [InlineData("Отчёт за май.docx", "Отчёт за май.docx")]
    [InlineData("../../x", "_._x")]
    [InlineData("..\\..\\x", "_._x")]
    [InlineData("/etc/passwd", "_etc_passwd")]
    [InlineData("C:\\Windows\\win.ini", "C__Windows_win.ini")]
    [InlineData(".bashrc", "bashrc")]
    [InlineData("...", "file")]
    [InlineData("..", "file")]
    [InlineData("", "file")]
    [InlineData("   ", "file")]
    [InlineData("a..b", "a.b")]
    [InlineData("trailing. ", "trailing")]
    [InlineData("photo\u202Egpj.exe", "photo_gpj.exe")] // right-to-left override: reads as "photoexe.jpg"
    [InlineData("bell\u0007\u001b[2J.txt", "bell__[2J.txt")]
    [InlineData("nul\u0000.txt", "nul_.txt")]
    [InlineData("CON.txt", "_CON.txt")]
    [InlineData("lpt1", "_lpt1")]
    [InlineData("e\u0301.txt", "\u00e9.txt")] // NFC
    public void Sanitize_gives_one_plain_visible_entry(string offered, string expected) =>
        Assert.Equal(expected, SafeFileName.Sanitize(offered));

    [Fact]
    public void Sanitize_cuts_a_long_name_to_its_byte_limit_and_keeps_the_extension()
    {
        string name = SafeFileName.Sanitize(new string('я', 300) + ".pdf");
        Assert.True(Encoding.UTF8.GetByteCount(name) <= SafeFileName.MaxUtf8Bytes, name);
        Assert.EndsWith("я.pdf", name, StringComparison.Ordinal);
        Assert.Equal("\ufffd", SafeFileName.Sanitize("\ud800")); // a lone surrogate does not throw in Normalize
    }

    [Fact]
    public void CreateNew_never_overwrites_and_numbers_the_copies()
    {
        string first = SafeFileName.CreateNew(_root, "a.txt", "one"u8);
        string second = SafeFileName.CreateNew(_root, "a.txt", "two"u8);
        string third = SafeFileName.CreateNew(_root, "a.txt", "three"u8);
        Assert.Equal(Path.Combine(_root, "a.txt"), first);
        Assert.Equal(Path.Combine(_root, "a (1).txt"), second);
        Assert.Equal(Path.Combine(_root, "a (2).txt"), third);
        Assert.Equal("one", File.ReadAllText(first));
        Assert.Equal("two", File.ReadAllText(second));
    }

    [Fact]
    public void CreateNew_does_not_write_through_a_symlink_in_the_directory()
    {
        string elsewhere = Path.Combine(_root, "elsewhere");
        string inbox = Path.Combine(_root, "inbox");
        Directory.CreateDirectory(elsewhere);
        Directory.CreateDirectory(inbox);
        string target = Path.Combine(elsewhere, "target");
        File.CreateSymbolicLink(Path.Combine(inbox, "a.txt"), target); // dangling: writing through it would create target

        string path = SafeFileName.CreateNew(inbox, "a.txt", "data"u8);
        Assert.Equal(Path.Combine(inbox, "a (1).txt"), path);
        Assert.False(File.Exists(target));
        // Control: the same write through the link does create the target.
        File.WriteAllText(Path.Combine(inbox, "a.txt"), "through");
        Assert.True(File.Exists(target));
    }

    [Fact]
    public void CreateNew_refuses_a_name_that_would_leave_the_directory()
    {
        Assert.Throws<IOException>(() => SafeFileName.CreateNew(_root, "../escape", "x"u8));
        Assert.False(File.Exists(Path.Combine(_root, "..", "escape")));
    }
}
