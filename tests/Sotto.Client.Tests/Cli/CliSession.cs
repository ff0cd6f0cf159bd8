using System.Text;
using System.Threading.Channels;
using Sotto.Cli;

namespace Sotto.Client.Tests.Cli;

/// <summary>
/// <c>sotto join</c> run in process as a user would run it: its stdin is a <see cref="LineFeed"/> the test
/// types into, its stdout a <see cref="CapturedOutput"/> the test waits on (conditions, never sleeps).
/// </summary>
internal sealed class CliSession : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly LineFeed _input = new();

    private CliSession(string[] args) =>
        Exit = SottoCommandLine.RunAsync(args, Output, _input, _cancel.Token);

    public CapturedOutput Output { get; } = new();

    /// <summary>The command's exit code once it returns.</summary>
    public Task<int> Exit { get; }

    /// <summary><c>sotto join link …</c>, in English unless <paramref name="more"/> names a language.</summary>
    public static CliSession Join(string link, params string[] more) =>
        new(["join", link, .. more.Contains("--lang") ? more : [.. more, "--lang", "en"]]);

    public void Type(string line) => _input.Type(line);

    /// <summary>Waits until the output holds <paramref name="text"/>; fails with the whole output otherwise.</summary>
    public Task WaitForAsync(string text, int seconds = 30) => WaitForAsync(() => Output.Text.Contains(text, StringComparison.Ordinal), text, seconds);

    public async Task WaitForAsync(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (Exit.IsCompleted)
                Assert.Fail($"sotto join ended (exit {await Exit}) before: {what}\n--- output ---\n{Output.Text}");
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"timed out after {seconds} s waiting for: {what}\n--- output ---\n{Output.Text}");
            await Task.Delay(50);
        }
    }

    /// <summary>Types /quit and returns the exit code (cancels after a generous wait, so a hung run cannot hang the suite).</summary>
    public async Task<int> QuitAsync()
    {
        Type("/quit");
        return await Exit.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        _input.End();
        await _cancel.CancelAsync();
        try
        {
            await Exit.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (OperationCanceledException)
        {
        }
        _cancel.Dispose();
    }
}

/// <summary>stdin fed line by line by the test.</summary>
internal sealed class LineFeed : TextReader
{
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    public void Type(string line) => _lines.Writer.TryWrite(line);

    /// <summary>End of input, as Ctrl+D.</summary>
    public void End() => _lines.Writer.TryComplete();

    public override async ValueTask<string?> ReadLineAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _lines.Reader.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException)
        {
            return null;
        }
    }

    public override string? ReadLine() => ReadLineAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
}

/// <summary>stdout, safe to read while the command writes from its threads.</summary>
internal sealed class CapturedOutput : TextWriter
{
    private readonly StringBuilder _text = new();
    private readonly Lock _lock = new();

    public override Encoding Encoding => Encoding.UTF8;

    public string Text
    {
        get
        {
            lock (_lock)
                return _text.ToString();
        }
    }

    public override void Write(char value)
    {
        lock (_lock)
            _text.Append(value);
    }

    public override void Write(string? value)
    {
        lock (_lock)
            _text.Append(value);
    }

    public override void WriteLine(string? value)
    {
        lock (_lock)
            _text.Append(value).Append(NewLine);
    }

    public int Count(string text)
    {
        string all = Text;
        int count = 0;
        for (int at = all.IndexOf(text, StringComparison.Ordinal); at >= 0; at = all.IndexOf(text, at + text.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}
