namespace Sotto.Client;

/// <summary>How the headless participant joins.</summary>
public sealed class HeadlessParticipantOptions
{
    /// <summary>The display name, sent only end-to-end encrypted inside <c>hello</c> (§S5).</summary>
    public string Name { get; init; } = "Sotto bot";

    /// <summary>The room password, if the moderator set one (access control only, never E2EE: §S15).</summary>
    public string? Password { get; init; }

    /// <summary>Where decrypted received media is written (one IVF/Ogg file per track), or null to record nothing.</summary>
    public string? RecordDirectory { get; init; }

    /// <summary>The clock (tests move it by hand for the E2EE timers).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// In a locked room, wait in the lobby instead of giving up: the participant may then complete
    /// pairwise channels with members (its name and pair code show to the moderator) but exchanges
    /// nothing else until admitted (§S6 lobby, docs/e2ee.md C13, C24). See <see cref="HeadlessParticipant.Admitted"/>.
    /// </summary>
    public bool WaitInLobby { get; init; }

    /// <summary>How long to wait for the server's replies.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(20);
}
