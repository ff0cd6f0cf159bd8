using System.Buffers;
using Org.BouncyCastle.Tls;

namespace Sotto.Transport.Dtls;

/// <summary>
/// BouncyCastle's view of the network for one DTLS association: datagrams are pushed in by
/// whoever owns the socket (the mux, or a test's plain UDP socket) and pulled by the blocking
/// handshake thread; sends go straight out through an <see cref="IDatagramSender"/>.
/// </summary>
public sealed class DtlsDatagramChannel : DatagramTransport
{
    /// <summary>
    /// A handshake flight is a handful of datagrams; anything beyond this backlog is a flood and
    /// is dropped (DTLS retransmits what matters).
    /// </summary>
    private const int MaxQueuedDatagrams = 64;

    private readonly IDatagramSender _sender;
    private readonly int _sendLimit;
    private readonly int _receiveLimit;
    private readonly Queue<(byte[] Buffer, int Length)> _queue = new();
    private volatile bool _closed;

    /// <param name="sender">Where datagrams go.</param>
    /// <param name="mtu">Largest datagram we send.</param>
    /// <param name="receiveLimit">Largest datagram we accept (a loopback peer may ignore our MTU).</param>
    public DtlsDatagramChannel(IDatagramSender sender, int mtu, int receiveLimit = 1500)
    {
        ArgumentNullException.ThrowIfNull(sender);
        _sender = sender;
        _sendLimit = mtu;
        _receiveLimit = receiveLimit;
    }

    private long _dropped;

    /// <summary>Datagrams dropped because they were too large, the queue was full, or the channel closed.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>True once closed.</summary>
    public bool IsClosed => _closed;

    /// <summary>Queues a received DTLS datagram (copied; the caller keeps its buffer).</summary>
    public void Deliver(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length > _receiveLimit)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        byte[] copy = ArrayPool<byte>.Shared.Rent(datagram.Length);
        datagram.CopyTo(copy);
        lock (_queue)
        {
            if (_closed || _queue.Count >= MaxQueuedDatagrams)
            {
                Interlocked.Increment(ref _dropped);
                ArrayPool<byte>.Shared.Return(copy);
                return;
            }

            _queue.Enqueue((copy, datagram.Length));
            Monitor.Pulse(_queue);
        }
    }

    /// <summary>True when a datagram is waiting.</summary>
    internal bool HasPending
    {
        get
        {
            lock (_queue)
                return _queue.Count > 0;
        }
    }

    /// <inheritdoc/>
    public int GetReceiveLimit() => _receiveLimit;

    /// <inheritdoc/>
    public int GetSendLimit() => _sendLimit;

    /// <inheritdoc/>
    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    /// <summary>Blocks up to <paramref name="waitMillis"/> (0 = forever, BouncyCastle's convention); -1 on timeout.</summary>
    public int Receive(Span<byte> buffer, int waitMillis)
    {
        if (_closed)
            throw new IOException("DTLS channel closed.");

        (byte[] Buffer, int Length) datagram = default;
        lock (_queue)
        {
            long deadline = Environment.TickCount64 + (waitMillis == 0 ? int.MaxValue : waitMillis);
            while (!_closed && !_queue.TryDequeue(out datagram))
            {
                long remaining = deadline - Environment.TickCount64;
                if (remaining <= 0)
                    return -1;
                Monitor.Wait(_queue, (int)Math.Min(remaining, int.MaxValue));
            }

            if (_closed)
                throw new IOException("DTLS channel closed.");
        }

        int length = Math.Min(datagram.Length, buffer.Length);
        datagram.Buffer.AsSpan(0, length).CopyTo(buffer);
        ArrayPool<byte>.Shared.Return(datagram.Buffer!);
        return length;
    }

    /// <inheritdoc/>
    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    /// <inheritdoc/>
    public void Send(ReadOnlySpan<byte> buffer)
    {
        if (_closed)
            throw new IOException("DTLS channel closed.");
        _sender.SendDatagram(buffer);
    }

    /// <summary>Closes the channel: a blocked <see cref="Receive(Span{byte}, int)"/> wakes up and fails.</summary>
    public void Close()
    {
        lock (_queue)
        {
            if (_closed)
                return;
            _closed = true;
            while (_queue.TryDequeue(out var datagram))
                ArrayPool<byte>.Shared.Return(datagram.Buffer);

            // Wake a blocked reader so the handshake fails now rather than at its timeout.
            Monitor.PulseAll(_queue);
        }
    }
}
