using Sotto.Cli;

namespace Sotto.Client.Tests.Cli;

/// <summary>Peer text reaches the terminal without escape sequences or bidi overrides.</summary>
public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("Alice", "Alice")]
    [InlineData("Алиса", "Алиса")]
    [InlineData("\u001b[2JMallory", "\ufffd[2JMallory")]
    [InlineData("evil\u202Etxt.exe", "evil\ufffdtxt.exe")]
    [InlineData("two\nlines", "two lines")]
    public void Peer_text_is_printed_without_terminal_controls(string text, string shown) => Assert.Equal(shown, TerminalText.Clean(text));
}
