using System.Text;
using Sotto.Rtc.Rtcp;
using Sotto.Rtc.Rtp;
using Sotto.Transport;

namespace Sotto.Browser.Tests.Transport;

/// <summary>What Chromium sent us, decrypted: RTP headers per SSRC and the RTCP packets.</summary>
internal sealed class PacketLog(int? midExtensionId) : IWebRtcTransportListener
{
    private readonly object _sync = new();
    private readonly Dictionary<uint, List<(byte PayloadType, ushort Sequence)>> _rtpBySsrc = [];
    private readonly Dictionary<uint, HashSet<string>> _midsBySsrc = [];
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public List<string> Problems { get; } = [];

    public List<byte[]> RtpSamples { get; } = [];

    public List<byte[]> RtcpSamples { get; } = [];

    public int RtcpCount { get; private set; }

    public WebRtcTransportCloseReason? ClosedReason { get; private set; }

    public Exception? CloseError { get; private set; }

    public Task Connected => _connected.Task;

    public void OnConnected(WebRtcTransport transport) => _connected.TrySetResult();

    public void OnRtp(WebRtcTransport transport, Span<byte> packet)
    {
        lock (_sync)
        {
            // RFC 3550 §5.1: V=2, a full header (CSRCs, extension, padding all within bounds).
            if (packet.Length < 12 || packet[0] >> 6 != 2 || !RtpPacket.TryParse(packet, out RtpPacket rtp))
            {
                Problems.Add($"Insane RTP header: {Convert.ToHexString(packet[..Math.Min(12, packet.Length)])}");
                return;
            }

            byte payloadType = rtp.PayloadType;
            ushort sequence = rtp.SequenceNumber;
            uint ssrc = rtp.Ssrc;
            // RFC 8843 §15: the mid header extension names the m-line a (not yet acknowledged) SSRC belongs to.
            if (midExtensionId is int id && rtp.TryGetExtension((byte)id, out ReadOnlySpan<byte> mid))
            {
                if (!_midsBySsrc.TryGetValue(ssrc, out var mids))
                    _midsBySsrc[ssrc] = mids = [];
                mids.Add(Encoding.ASCII.GetString(mid));
            }

            if (!_rtpBySsrc.TryGetValue(ssrc, out var list))
                _rtpBySsrc[ssrc] = list = [];
            list.Add((payloadType, sequence));
            if (RtpSamples.Count < 64)
                RtpSamples.Add(packet.ToArray());
        }
    }

    public void OnRtcp(WebRtcTransport transport, Span<byte> packet)
    {
        lock (_sync)
        {
            RtcpCount++;
            if (!RtcpCompoundReader.IsWellFormed(packet))
                Problems.Add($"Malformed RTCP: {Convert.ToHexString(packet)}");
            if (RtcpSamples.Count < 16)
                RtcpSamples.Add(packet.ToArray());
        }
    }

    public void OnClosed(WebRtcTransport transport, WebRtcTransportCloseReason reason, Exception? error)
    {
        ClosedReason = reason;
        CloseError = error;
        _connected.TrySetException(error ?? new InvalidOperationException(reason.ToString()));
    }

    public int CountFor(uint ssrc)
    {
        lock (_sync)
            return _rtpBySsrc.TryGetValue(ssrc, out var list) ? list.Count : 0;
    }

    public Dictionary<uint, HashSet<string>> MidsBySsrc()
    {
        lock (_sync)
            return _midsBySsrc.ToDictionary(pair => pair.Key, pair => pair.Value.ToHashSet());
    }

    public Dictionary<uint, List<(byte PayloadType, ushort Sequence)>> Snapshot()
    {
        lock (_sync)
            return _rtpBySsrc.ToDictionary(pair => pair.Key, pair => pair.Value.ToList());
    }
}
