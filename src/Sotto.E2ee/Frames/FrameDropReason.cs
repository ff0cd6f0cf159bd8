namespace Sotto.E2ee.Frames;

/// <summary>Why a frame was not sent or not delivered (the same names as web/e2ee/frame-policy.js).</summary>
internal enum FrameDropReason
{
    None,
    /// <summary>Send: no key for this stream — the frame is NOT sent in the clear.</summary>
    NoKey,
    CodecStreamMismatch,
    EmptyFrame,
    ShortKeyFrame,
    /// <summary>Receive: no complete SFrame header plus tag after the prefix.</summary>
    Malformed,
    /// <summary>KID wider than 32 bits, slot 0, stream &gt; 3, or no key held for its epoch byte.</summary>
    UnknownKid,
    /// <summary>KID slot ≠ the track's owner, or my own slot reflected back.</summary>
    WrongOwner,
    WrongStream,
    Replay,
    TooOld,
    AuthFailed,
    CounterExhausted,
    /// <summary>The destination span is too small.</summary>
    BufferTooSmall,
}
