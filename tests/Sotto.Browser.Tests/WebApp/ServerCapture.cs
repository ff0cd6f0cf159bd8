using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Sotto.Browser.Tests.WebApp;

/// <summary>
/// What the server receives, recorded inside the server (test-only, registered through DI as the first
/// middleware): every request line with its raw target, every request header, and every WebSocket message
/// as it arrives on the upgraded connection's byte stream (frames parsed and unmasked here, RFC 6455 §5.2).
/// Also keeps the upgraded connections so a test can cut one (a forced drop: no close frame).
/// </summary>
internal sealed class ServerCapture : IStartupFilter
{
    private readonly ConcurrentQueue<string> _received = new();
    private readonly ConcurrentDictionary<UpgradedConnection, byte> _connections = new();
    private int _upgrades;
    private int _messages;

    /// <summary>Everything received so far: request lines, headers, WebSocket messages, one entry each.</summary>
    public IReadOnlyCollection<string> Received => _received.ToArray();

    public int WebSocketMessages => Volatile.Read(ref _messages);

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            var request = context.Features.Get<IHttpRequestFeature>()!;
            _received.Enqueue($"{request.Method} {request.RawTarget} {request.Protocol}");
            foreach (var (name, values) in context.Request.Headers)
                _received.Enqueue($"{name}: {values}");
            var upgrade = context.Features.Get<IHttpUpgradeFeature>();
            if (upgrade is not null)
                context.Features.Set<IHttpUpgradeFeature>(new RecordingUpgrade(upgrade, this, context));
            await nextMiddleware(context);
        });
        next(app);
    };

    /// <summary>
    /// Cuts the newest open WebSocket connection whose messages contained <paramref name="marker"/> (e.g. the
    /// room name of its join): the server aborts the TCP connection, as a lost network would.
    /// </summary>
    public bool AbortNewestSocketThatSent(string marker)
    {
        var connection = _connections.Keys.Where(c => !c.Aborted && c.Sent(marker)).MaxBy(c => c.Number);
        connection?.Abort();
        return connection is not null;
    }

    private sealed class RecordingUpgrade(IHttpUpgradeFeature inner, ServerCapture capture, HttpContext context) : IHttpUpgradeFeature
    {
        public bool IsUpgradableRequest => inner.IsUpgradableRequest;

        public async Task<Stream> UpgradeAsync()
        {
            var stream = await inner.UpgradeAsync();
            var connection = new UpgradedConnection(capture, context, Interlocked.Increment(ref capture._upgrades));
            capture._connections[connection] = 0;
            context.RequestAborted.Register(() => capture._connections.TryRemove(connection, out _));
            return new RecordingStream(stream, connection);
        }
    }

    /// <summary>One upgraded connection: parses the client's frames from the bytes the server reads.</summary>
    private sealed class UpgradedConnection(ServerCapture capture, HttpContext context, int number)
    {
        private readonly List<byte> _pending = [];
        private readonly List<byte> _message = [];
        private readonly ConcurrentQueue<string> _messages = new();

        public int Number => number;

        public bool Aborted { get; private set; }

        public bool Sent(string marker) => _messages.Any(m => m.Contains(marker, StringComparison.Ordinal));

        public void Abort()
        {
            Aborted = true;
            context.Abort();
        }

        public void OnBytes(ReadOnlySpan<byte> bytes)
        {
            lock (_pending)
            {
                _pending.AddRange(bytes);
                while (TryTakeFrame()) { }
            }
        }

        //  0                   1                   2                   3
        // |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
        // |   Masking-key (if M)          |          Payload Data ...     |
        private bool TryTakeFrame()
        {
            if (_pending.Count < 2)
                return false;
            var fin = (_pending[0] & 0x80) != 0;
            var opcode = _pending[0] & 0x0F;
            var masked = (_pending[1] & 0x80) != 0;
            long length = _pending[1] & 0x7F;
            var offset = 2;
            if (length == 126)
            {
                if (_pending.Count < 4)
                    return false;
                length = BinaryPrimitives.ReadUInt16BigEndian([_pending[2], _pending[3]]);
                offset = 4;
            }
            else if (length == 127)
            {
                if (_pending.Count < 10)
                    return false;
                length = (long)BinaryPrimitives.ReadUInt64BigEndian(_pending.GetRange(2, 8).ToArray());
                offset = 10;
            }
            var maskOffset = offset;
            if (masked)
                offset += 4;
            if (_pending.Count < offset + length)
                return false;
            var payload = _pending.GetRange(offset, (int)length).ToArray();
            if (masked)
            {
                for (var i = 0; i < payload.Length; i++)
                    payload[i] ^= _pending[maskOffset + (i % 4)];
            }
            _pending.RemoveRange(0, offset + (int)length);
            if (opcode is 0x0 or 0x1 or 0x2)
            {
                _message.AddRange(payload);
                if (fin)
                {
                    var text = Encoding.UTF8.GetString([.. _message]);
                    _message.Clear();
                    _messages.Enqueue(text);
                    capture._received.Enqueue(text);
                    Interlocked.Increment(ref capture._messages);
                }
            }
            return true;
        }
    }

    /// <summary>The upgraded connection's stream: every byte read passes through the recorder.</summary>
    private sealed class RecordingStream(Stream inner, UpgradedConnection connection) : Stream
    {
        public override bool CanRead => inner.CanRead;

        public override bool CanSeek => false;

        public override bool CanWrite => inner.CanWrite;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = inner.Read(buffer, offset, count);
            connection.OnBytes(buffer.AsSpan(offset, read));
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var read = await inner.ReadAsync(buffer, cancellationToken);
            connection.OnBytes(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
