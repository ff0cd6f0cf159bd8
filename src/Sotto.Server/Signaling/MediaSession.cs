using System.Text.Json;
using Sotto.Sfu;
using Sotto.Sfu.Negotiation;

namespace Sotto.Server.Signaling;

/// <summary>
/// One member's media, tying its signaling connection to its <see cref="SfuParticipant"/>
/// (docs/protocol.md "Media"): <c>publish</c> → <c>publish-answer</c>, <c>subscribe-offer</c> →
/// <c>subscribe-answer</c>. The SFU calls back outside its locks; frames are queued on the
/// connection's ordered outbox, so a subscribe offer never overtakes the <c>joined</c> before it.
/// </summary>
internal sealed class MediaSession : ISfuSignal
{
    // Passed by argument.
    private readonly Action<byte[]> _send;
    private readonly Action<SfuCloseReason> _closed;

    public MediaSession(Action<byte[]> send, Action<SfuCloseReason> closed)
    {
        _send = send;
        _closed = closed;
    }

    /// <summary>Set right after <see cref="SfuHost.Join"/> returns.</summary>
    public SfuParticipant? Participant { get; set; }

    public void OnSubscribeOffer(SubscribeOfferMessage offer) => _send(WriteSubscribeOffer(offer));

    public void OnMediaClosed(SfuCloseReason reason) => _closed(reason);

    /// <summary><c>{"type":"publish-answer","re":…,"sdp":"…"}</c>; <paramref name="re"/> is the request id's raw JSON.</summary>
    public static byte[] WritePublishAnswer(string? re, string sdp)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "publish-answer");
            if (re is not null)
            {
                json.WritePropertyName("re");
                json.WriteRawValue(re);
            }
            json.WriteString("sdp", sdp);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary><c>{"type":"subscribe-offer","version":V,"sdp":"…","tracks":[{"mid","owner","slot","source","kind"}]}</c>.</summary>
    public static byte[] WriteSubscribeOffer(SubscribeOfferMessage offer)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", "subscribe-offer");
            json.WriteNumber("version", offer.Version);
            json.WriteString("sdp", offer.Sdp);
            json.WriteStartArray("tracks");
            foreach (var track in offer.Tracks)
            {
                json.WriteStartObject();
                json.WriteString("mid", track.Mid);
                json.WriteString("owner", track.Owner);
                json.WriteNumber("slot", track.Slot);
                json.WriteString("source", track.Source.ToWire());
                json.WriteString("kind", track.Kind.ToWire());
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
