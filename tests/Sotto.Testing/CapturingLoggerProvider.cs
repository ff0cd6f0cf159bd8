using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Sotto.Testing;

/// <summary>
/// A real logger provider added to the host: keeps every formatted line, every scope, every structured value
/// and every exception, so a privacy test ("nothing identifying in server logs") can search all of it.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public string AllText => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            lines.Enqueue($"{category} scope: {state}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = $"{logLevel} {category}[{eventId.Id}] {formatter(state, exception)}";
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                text += " | " + string.Join(", ", values.Select(v => $"{v.Key}={v.Value}"));
            if (exception is not null)
                text += " | " + exception;
            lines.Enqueue(text);
        }
    }
}
