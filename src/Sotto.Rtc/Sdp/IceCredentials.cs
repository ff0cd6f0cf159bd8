namespace Sotto.Rtc.Sdp;

/// <summary>ICE short-term credentials of one transport (RFC 8839 §5.4): the ufrag names it in STUN USERNAME, the password keys MESSAGE-INTEGRITY.</summary>
public readonly record struct IceCredentials(string Ufrag, string Password)
{
    // A record prints its members; a password does not belong in logs.
    public override string ToString() => $"IceCredentials {{ Ufrag = {Ufrag}, Password = <redacted> }}";
}
