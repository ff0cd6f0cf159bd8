using Sotto.E2ee.Codes;
using Sotto.E2ee.Messages;

namespace Sotto.E2ee.Participant;

/// <summary>What the participant tells its owner (the UI, the CLI, a test); mirrors the events of web/e2ee/participant.js.</summary>
internal enum E2eeEventKind
{
    /// <summary>A channel was confirmed; <see cref="E2eeEvent.Emoji"/> is the pair code (§S4.6).</summary>
    PeerEstablished,
    /// <summary>The peer's <c>hello</c>: <see cref="E2eeEvent.Text"/> is its self-asserted name.</summary>
    PeerHello,
    /// <summary>The channel FAILED; <see cref="E2eeEvent.Reason"/> is the §S13 reason (LINK_OR_TAMPER, NO_SECRET, …).</summary>
    PeerFailed,
    /// <summary>The peer departed (left, BYE, BROKEN &gt; 10 s, KEY_CHANGED): its keys are gone.</summary>
    PeerDeparted,
    /// <summary>Something only a lying server or peer causes: DUPLICATE_SLOT, KEY_CHANGED, ROOM_CODE_TAMPER, SAS_MISMATCH.</summary>
    Alarm,
    /// <summary>A chat line (§S9): <see cref="E2eeEvent.PeerId"/> wrote <see cref="E2eeEvent.Text"/>.</summary>
    Chat,
    /// <summary>The room code (§S8): <see cref="E2eeEvent.Emoji"/>, over <see cref="E2eeEvent.Count"/> people.</summary>
    RoomCode,
    /// <summary>The room code did not complete within 10 s; <see cref="E2eeEvent.Text"/> lists whom we wait for.</summary>
    RoomCodeStuck,
    /// <summary>A new sender key of mine became active: the encoder should send a key frame.</summary>
    RequestKeyFrame,
    /// <summary>A peer's key was installed: its frames of epoch <see cref="E2eeEvent.Count"/> can be decrypted.</summary>
    PeerKeyInstalled,
    /// <summary>The link was rotated (§S11) by <see cref="E2eeEvent.PeerId"/>.</summary>
    LinkRotated,
    /// <summary>A file offer: <see cref="E2eeEvent.Text"/> is its name, <see cref="E2eeEvent.Reason"/> its fid (b64u), <see cref="E2eeEvent.Count"/> its size.</summary>
    FileOffered,
    /// <summary>An accepted file arrived whole and its SHA-256 matched: it may be saved now.</summary>
    FileComplete,
    /// <summary>An accepted file failed a §S10 check (order, last, size, hash): nothing to save.</summary>
    FileFailed,
    /// <summary>A blob with another protocol version arrived (§S4.2).</summary>
    IncompatibleVersion,
    /// <summary>A peer's <c>state</c> (C14): <see cref="E2eeEvent.CallState"/> is its whole in-call state so far.</summary>
    PeerCallState,
}

/// <summary>One event; the fields a kind does not use are null.</summary>
internal sealed record E2eeEvent(
    E2eeEventKind Kind,
    string? PeerId = null,
    string? Text = null,
    string? Reason = null,
    IReadOnlyList<SasEmoji>? Emoji = null,
    long Count = 0,
    CallState? CallState = null);
