namespace Sotto.E2ee.Pairwise;

/// <summary>The states of §S4.8.</summary>
internal enum ChannelState
{
    New,
    /// <summary>I: waiting for C's COMMIT.</summary>
    WaitCommit,
    /// <summary>C: COMMIT sent, waiting for HS1.</summary>
    WaitHs1,
    /// <summary>I: HS1 sent, waiting for HS2.</summary>
    WaitHs2,
    /// <summary>C: HS2 sent, waiting for I's first TRANSPORT (hello).</summary>
    WaitConfirm,
    Established,
    /// <summary>A bad TRANSPORT on an established channel: no keys are sent until a new attempt completes.</summary>
    Broken,
    Failed,
    /// <summary>BYE or the server's "left": the id is ignored forever.</summary>
    Dead,
}

/// <summary>Why a channel FAILED (§S4.8, §S4.9, §S13).</summary>
internal enum ChannelFailure
{
    None,
    /// <summary>Equal ids, HS2 not matching the commitment, an all-zero DH, a first message that is not hello.</summary>
    Tamper,
    /// <summary>The psk step failed: "joined with a different link or the connection is being tampered with".</summary>
    LinkOrTamper,
    /// <summary>The peer used the zero PSK: "joined without the secret part of the link".</summary>
    NoSecret,
    /// <summary>The peer used the previous link generation's PSK.</summary>
    OldLink,
    RoleConflict,
    /// <summary>A new attempt's static key differs from the pinned one.</summary>
    KeyChanged,
    Timeout,
}
