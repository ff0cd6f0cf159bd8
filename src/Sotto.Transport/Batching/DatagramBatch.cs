using System.Net;
using System.Runtime.InteropServices;
using static Sotto.Transport.Batching.LinuxSocketCalls;

namespace Sotto.Transport.Batching;

/// <summary>
/// A fixed set of datagram slots in pinned memory, laid out for one recvmmsg or sendmmsg call:
/// per slot a buffer, a socket address, an iovec and an mmsghdr pointing at both. Nothing is
/// allocated after construction. Not thread-safe: one batch belongs to one thread (the mux's
/// receive loop), and serves either sending or receiving (sending resizes the iovecs; receiving
/// relies on them staying as built).
/// </summary>
internal sealed unsafe class DatagramBatch
{
    /// <summary>Room for any socket address (sizeof(struct sockaddr_storage)).</summary>
    private const int AddressCapacity = 128;

    private readonly byte[] _buffers;
    private readonly byte[] _addresses;
    private readonly IoVec[] _iovecs;
    private readonly MultiMessageHeader[] _headers;
    private readonly int _slotSize;

    /// <summary>Slots the kernel wrote in the last <see cref="Receive"/>: only those need resetting.</summary>
    private int _receivedLast;

    public DatagramBatch(int capacity, int slotSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(slotSize, 1);
        Capacity = capacity;
        _slotSize = slotSize;
        _buffers = GC.AllocateArray<byte>(capacity * slotSize, pinned: true);
        _addresses = GC.AllocateArray<byte>(capacity * AddressCapacity, pinned: true);
        _iovecs = GC.AllocateArray<IoVec>(capacity, pinned: true);
        _headers = GC.AllocateArray<MultiMessageHeader>(capacity, pinned: true);

        // Pinned arrays never move, so the pointers between them are computed once.
        byte* buffers = (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(_buffers, 0);
        byte* addresses = (byte*)Marshal.UnsafeAddrOfPinnedArrayElement(_addresses, 0);
        IoVec* iovecs = (IoVec*)Marshal.UnsafeAddrOfPinnedArrayElement(_iovecs, 0);
        for (int i = 0; i < capacity; i++)
        {
            _iovecs[i].Base = buffers + (i * slotSize);
            _iovecs[i].Length = (nuint)slotSize;
            _headers[i].Header.Name = addresses + (i * AddressCapacity);
            _headers[i].Header.NameLength = AddressCapacity;
            _headers[i].Header.Iov = iovecs + i;
            _headers[i].Header.IovLength = 1;
        }
    }

    /// <summary>How many datagrams one call can carry.</summary>
    public int Capacity { get; }

    /// <summary>Datagrams queued for sending.</summary>
    public int Count { get; private set; }

    /// <summary>Queues a copy of <paramref name="datagram"/> for <paramref name="remote"/>; false when full (flush first) or when it cannot fit a slot.</summary>
    public bool TryAdd(ReadOnlySpan<byte> datagram, SocketAddress remote)
    {
        if (Count == Capacity || datagram.Length > _slotSize)
            return false;

        datagram.CopyTo(NextSlot);
        return TryCommit(datagram.Length, remote);
    }

    /// <summary>
    /// The next free slot, to build a datagram in place (a transport protects SRTP straight into it,
    /// saving a copy); empty when the batch is full. Nothing is queued until <see cref="TryCommit"/>.
    /// </summary>
    public Span<byte> NextSlot => Count < Capacity ? _buffers.AsSpan(Count * _slotSize, _slotSize) : default;

    /// <summary>Queues the first <paramref name="length"/> bytes written into <see cref="NextSlot"/> for <paramref name="remote"/>.</summary>
    public bool TryCommit(int length, SocketAddress remote)
    {
        if (Count == Capacity || (uint)length > (uint)_slotSize || remote.Size > AddressCapacity)
            return false;

        int i = Count++;
        remote.Buffer.Span[..remote.Size].CopyTo(_addresses.AsSpan(i * AddressCapacity, AddressCapacity));
        _iovecs[i].Length = (nuint)length;
        _headers[i].Header.NameLength = (uint)remote.Size;
        _headers[i].Header.Flags = 0;
        return true;
    }

    /// <summary>Forgets what was queued.</summary>
    public void Clear() => Count = 0;

    /// <summary>Whether a datagram of this size fits one slot.</summary>
    public bool Fits(int length) => length <= _slotSize;

    /// <summary>
    /// Sends every queued datagram with as few sendmmsg calls as the kernel allows. A datagram the
    /// kernel refuses (sendmmsg reports an error for the first unsent one) is counted in
    /// <paramref name="errors"/> and skipped, so one bad destination never holds back the rest.
    /// </summary>
    public void Flush(nint socket, ref long errors)
    {
        int sent = 0;
        fixed (MultiMessageHeader* headers = _headers)
        {
            while (sent < Count)
            {
                int result = SendMultiple(socket, headers + sent, (uint)(Count - sent), 0);
                if (result > 0)
                {
                    sent += result;
                    continue;
                }

                if (Marshal.GetLastPInvokeError() == EIntr)
                    continue;

                // The datagram at `sent` failed (ECONNREFUSED from an earlier ICMP, ENOBUFS, EAGAIN on
                // a full buffer…): drop it, as a failed sendto would, and go on with the next.
                Interlocked.Increment(ref errors);
                sent++;
            }
        }

        Count = 0;
    }

    /// <summary>
    /// Blocks in recvmmsg until at least one datagram arrives (or the socket's receive timeout
    /// expires), then takes whatever else is already queued, up to <see cref="Capacity"/>.
    /// Returns the number received, or -1 with the errno in <paramref name="error"/>.
    /// </summary>
    public int Receive(nint socket, out int error)
    {
        // recvmmsg writes each used slot's msg_namelen, msg_flags and msg_len; the iovecs stay as built.
        for (int i = 0; i < _receivedLast; i++)
        {
            _headers[i].Header.NameLength = AddressCapacity;
            _headers[i].Header.Flags = 0;
            _headers[i].Length = 0;
        }

        int received;
        fixed (MultiMessageHeader* headers = _headers)
            received = ReceiveMultiple(socket, headers, (uint)Capacity, MsgWaitForOne, null);
        error = received < 0 ? Marshal.GetLastPInvokeError() : 0;
        _receivedLast = Math.Max(received, 0);
        return received;
    }

    /// <summary>The datagram received in slot <paramref name="index"/>; <paramref name="truncated"/> when the kernel cut it.</summary>
    public Span<byte> Received(int index, out bool truncated)
    {
        truncated = (_headers[index].Header.Flags & MsgTrunc) != 0;
        return _buffers.AsSpan(index * _slotSize, (int)Math.Min(_headers[index].Length, (uint)_slotSize));
    }

    /// <summary>Writes the sender of slot <paramref name="index"/> into <paramref name="remote"/> (reused: no allocation).</summary>
    public void CopySender(int index, SocketAddress remote)
    {
        int length = (int)Math.Min(_headers[index].Header.NameLength, (uint)remote.Buffer.Length);
        _addresses.AsSpan(index * AddressCapacity, length).CopyTo(remote.Buffer.Span);
        remote.Size = length;
    }
}
