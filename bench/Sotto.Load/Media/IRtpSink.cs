namespace Sotto.Load.Media;

/// <summary>Where a synthetic publisher's packets go: an SRTP transport, or a plain socket for the relay floor.</summary>
internal interface IRtpSink
{
    /// <summary>Sends one RTP packet (protecting a copy when the path has SRTP); false when it could not.</summary>
    bool SendRtp(ReadOnlySpan<byte> packet);
}
