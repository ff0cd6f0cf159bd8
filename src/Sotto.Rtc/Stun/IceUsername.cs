namespace Sotto.Rtc.Stun;

/// <summary>
/// The USERNAME of an ICE connectivity check is "RFRAG:LFRAG" from the sender's point of view
/// (RFC 8445 §7.2.2): the receiver's ufrag, a colon, the sender's ufrag. Seen from the agent that
/// receives the check, that is "local:remote".
/// </summary>
public static class IceUsername
{
    private const byte Colon = (byte)':';

    /// <summary>
    /// Splits a received check's USERNAME into the receiving agent's ufrag (<paramref name="localUfrag"/>)
    /// and the sender's (<paramref name="remoteUfrag"/>). Ufrags are ice-chars (RFC 8839 §5.4), which
    /// never include a colon, so the first colon separates them; both parts must be non-empty.
    /// </summary>
    public static bool TrySplit(ReadOnlySpan<byte> username, out ReadOnlySpan<byte> localUfrag, out ReadOnlySpan<byte> remoteUfrag)
    {
        var colon = username.IndexOf(Colon);
        if (colon <= 0 || colon == username.Length - 1)
        {
            localUfrag = default;
            remoteUfrag = default;
            return false;
        }
        localUfrag = username[..colon];
        remoteUfrag = username[(colon + 1)..];
        return true;
    }

    /// <summary>
    /// Writes the USERNAME for a check we send: "<paramref name="remoteUfrag"/>:<paramref name="localUfrag"/>".
    /// </summary>
    public static bool TryWrite(ReadOnlySpan<byte> remoteUfrag, ReadOnlySpan<byte> localUfrag, Span<byte> destination, out int written)
    {
        written = 0;
        var length = remoteUfrag.Length + 1 + localUfrag.Length;
        if (destination.Length < length)
        {
            return false;
        }
        remoteUfrag.CopyTo(destination);
        destination[remoteUfrag.Length] = Colon;
        localUfrag.CopyTo(destination[(remoteUfrag.Length + 1)..]);
        written = length;
        return true;
    }
}
