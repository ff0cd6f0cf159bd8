namespace Sotto.Sfu.Adaptation.Estimation;

/// <summary>
/// What the SFU sent to one subscriber, by transport-wide sequence number (draft-holmer-rmcat-
/// transport-wide-cc-extensions-01 §2): send time and size, so the subscriber's feedback — which
/// reports only sequence numbers and arrival times — can be turned into delays and throughput.
/// A fixed ring indexed by the sequence number: nothing allocated per packet.
/// </summary>
internal sealed class SentPacketHistory
{
    /// <summary>About 8 s of packets at 2,000 packets/s: feedback comes every 50–100 ms.</summary>
    public const int Capacity = 1 << 14;

    private readonly long[] _sendTimeMicros = new long[Capacity];
    private readonly int[] _size = new int[Capacity];
    private readonly int[] _sequence = new int[Capacity];
    private readonly bool[] _probe = new bool[Capacity];

    public SentPacketHistory() => Array.Fill(_sequence, -1);

    public void OnSent(ushort transportSequence, int size, long sendTimeMicros, bool probe)
    {
        var index = transportSequence & (Capacity - 1);
        _probe[index] = probe;
        _sequence[index] = transportSequence;
        _size[index] = size;
        _sendTimeMicros[index] = sendTimeMicros;
    }

    /// <summary>The packet sent with <paramref name="transportSequence"/> (<paramref name="probe"/>: sent during a probe), if it is still held (once: a second look finds nothing).</summary>
    public bool TryTake(ushort transportSequence, out long sendTimeMicros, out int size, out bool probe)
    {
        var index = transportSequence & (Capacity - 1);
        probe = _probe[index];
        if (_sequence[index] != transportSequence)
        {
            sendTimeMicros = 0;
            size = 0;
            return false;
        }
        _sequence[index] = -1;
        sendTimeMicros = _sendTimeMicros[index];
        size = _size[index];
        return true;
    }
}
