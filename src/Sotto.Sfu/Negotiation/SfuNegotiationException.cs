namespace Sotto.Sfu.Negotiation;

/// <summary>An offer or answer the SFU cannot accept; <see cref="Code"/> is the signaling error code (docs/protocol.md).</summary>
public sealed class SfuNegotiationException : Exception
{
    public SfuNegotiationException(string code, string message)
        : base(message)
    {
        Code = code;
    }

    public SfuNegotiationException()
        : this("bad-sdp", "The description was refused.")
    {
    }

    public SfuNegotiationException(string message)
        : this("bad-sdp", message)
    {
    }

    public SfuNegotiationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "bad-sdp";
    }

    /// <summary>The error code for the signaling error frame: <c>bad-sdp</c>, <c>bad-version</c> or <c>bad-tracks</c>.</summary>
    public string Code { get; } = "bad-sdp";
}
