namespace Sotto.E2ee.Messages;

/// <summary>
/// Received chat (§S9): one message per sender over its pairwise channel, deduplicated by
/// (sender, mid) so a message replayed inside a new session is not shown twice. Text is kept as
/// text; rendering it as anything else is the UI's bug to avoid (§S13).
/// </summary>
internal sealed class ChatInbox
{
    private readonly HashSet<(string Sender, string MessageId)> _seen = [];

    public List<(string Sender, string Text)> Messages { get; } = [];

    /// <summary>False for a malformed chat or a repeat of (sender, mid).</summary>
    public bool TryAccept(string sender, ReadOnlySpan<byte> json)
    {
        if (!AppMessage.TryParseChat(json, out ChatMessage? chat))
            return false;
        if (!_seen.Add((sender, Convert.ToHexString(chat!.MessageId))))
            return false;
        Messages.Add((sender, chat.Text));
        return true;
    }
}
