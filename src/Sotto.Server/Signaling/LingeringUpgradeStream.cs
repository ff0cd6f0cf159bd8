using System.Diagnostics;
using Microsoft.AspNetCore.Http.Features;

namespace Sotto.Server.Signaling;

/// <summary>
/// The upgraded connection's stream, with a delayed close. When the WebSocket layer fails a connection
/// itself (invalid UTF-8 in a text frame, RFC 6455 §8.1; a protocol error) it writes its close frame and
/// disposes the stream at once. Closing the TCP connection right then races the close frame out of the
/// server: the kernel resets a socket closed with unread input and drops what it had not sent yet, so
/// the client may see a reset instead of status 1007 (seen under load in CI). Here disposal by the
/// WebSocket does nothing (Dispose is not forwarded); <see cref="CloseAsync"/> closes it for real once the peer has reacted
/// (any bytes, such as its close reply, or end of stream) or a timeout has passed.
/// </summary>
internal sealed class LingeringUpgradeStream(Stream inner) : Stream
{
    private int _closed;

    /// <summary>
    /// Closes the connection. If the WebSocket was aborted (it gave the connection up, perhaps right after
    /// writing a close frame), first waits up to <paramref name="linger"/> for the peer to answer, so that
    /// what was already written reaches it. After a completed close handshake there is nothing to wait for.
    /// </summary>
    public async Task CloseAsync(bool aborted, TimeSpan linger)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
            return;
        if (aborted)
        {
            var started = Stopwatch.GetTimestamp();
            var peerAnswered = false;
            using var timeout = new CancellationTokenSource(linger);
            try
            {
                await inner.FlushAsync(timeout.Token);
                var scratch = new byte[512];
                peerAnswered = await inner.ReadAsync(scratch, timeout.Token) > 0;
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException
                                           or ObjectDisposedException)
            {
                // Timed out, reset by the peer, or a read still pending from the aborted WebSocket.
            }

            // Only bytes from the peer (its close reply) prove that our last frame arrived. A read that ended
            // at once without any (input already completed, a read the WebSocket left pending) proves nothing:
            // the frame may still sit in the server's send path, and closing now can reset the connection
            // before it leaves (seen once in CI under heavy load). Give it the rest of the linger time.
            var remaining = linger - Stopwatch.GetElapsedTime(started);
            if (!peerAnswered && remaining > TimeSpan.Zero)
                await Task.Delay(remaining);
        }
        await inner.DisposeAsync();
    }

    public override bool CanRead => inner.CanRead;
    public override bool CanSeek => false;
    public override bool CanWrite => inner.CanWrite;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() => inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(buffer, cancellationToken);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);
    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        inner.WriteAsync(buffer, cancellationToken);
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.WriteAsync(buffer, offset, count, cancellationToken);
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

/// <summary>Hands the WebSocket middleware a <see cref="LingeringUpgradeStream"/> instead of the raw one.</summary>
internal sealed class LingeringUpgradeFeature(IHttpUpgradeFeature inner) : IHttpUpgradeFeature
{
    public LingeringUpgradeStream? Stream { get; private set; }

    public bool IsUpgradableRequest => inner.IsUpgradableRequest;

    public async Task<Stream> UpgradeAsync()
    {
        Stream = new LingeringUpgradeStream(await inner.UpgradeAsync());
        return Stream;
    }
}
