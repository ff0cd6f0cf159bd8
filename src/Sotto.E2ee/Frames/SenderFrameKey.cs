namespace Sotto.E2ee.Frames;

/// <summary>
/// The sending half of one (KID, base key): it owns the ONE counter of that KID (§S7). Every frame
/// under the KID — all simulcast layers, every transform ever attached — goes through this object,
/// because nonce = salt XOR CTR and two counters under one key would reuse nonces. The counter is
/// taken atomically, so concurrent senders can never share a CTR. At 2^64 − 1 it refuses further
/// frames instead of wrapping.
/// </summary>
internal sealed class SenderFrameKey : IDisposable
{
    private readonly SFrameKeyMaterial _material;
    private ulong _next;
    private int _exhausted;

    public SenderFrameKey(ReadOnlySpan<byte> baseKey, ulong kid, ulong firstCounter = 0)
    {
        Kid = kid;
        _material = new SFrameKeyMaterial(baseKey, kid);
        _next = firstCounter;
    }

    public ulong Kid { get; }

    public ulong NextCounter => Volatile.Read(ref _next);

    /// <summary>Output size for a frame of <paramref name="frameLength"/> bytes at the worst-case header.</summary>
    public static int MaxSealedLength(int frameLength) => frameLength + SFrameHeader.MaxLength + SFrameKeyMaterial.TagLength;

    /// <summary>
    /// out = prefix ‖ header ‖ AES-GCM(key, salt ⊕ ctr, aad = header ‖ prefix, rest) (§S7).
    /// </summary>
    public bool TrySeal(ReadOnlySpan<byte> frame, int prefixLength, Span<byte> destination, out int written, out ulong counter, out FrameDropReason reason)
    {
        written = 0;
        if (!TryTakeCounter(out counter))
        {
            reason = FrameDropReason.CounterExhausted;
            return false;
        }
        int headerLength = SFrameHeader.GetSerializedLength(Kid, counter);
        int total = frame.Length + headerLength + SFrameKeyMaterial.TagLength;
        if (destination.Length < total)
        {
            reason = FrameDropReason.BufferTooSmall;
            return false;
        }
        ReadOnlySpan<byte> prefix = frame[..prefixLength];
        prefix.CopyTo(destination);
        SFrameHeader.TryWrite(Kid, counter, destination[prefixLength..], out _);
        ReadOnlySpan<byte> header = destination.Slice(prefixLength, headerLength);
        _material.Seal(counter, header, prefix, frame[prefixLength..], destination.Slice(prefixLength + headerLength, total - prefixLength - headerLength));
        written = total;
        reason = FrameDropReason.None;
        return true;
    }

    private bool TryTakeCounter(out ulong counter)
    {
        while (true)
        {
            if (Volatile.Read(ref _exhausted) != 0)
            {
                counter = 0;
                return false;
            }
            ulong current = Volatile.Read(ref _next);
            if (current == ulong.MaxValue)
            {
                // The last value is usable once; afterwards the key is spent.
                if (Interlocked.CompareExchange(ref _exhausted, 1, 0) == 0)
                {
                    counter = current;
                    return true;
                }
                continue;
            }
            if (Interlocked.CompareExchange(ref _next, current + 1, current) == current)
            {
                counter = current;
                return true;
            }
        }
    }

    public void Dispose() => _material.Dispose();
}
