using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>a=candidate:&lt;candidate&gt; (RFC 8839 §5.1): one ICE candidate of this m-line's transport.</summary>
public sealed record CandidateAttribute(IceCandidate Candidate) : SdpAttribute
{
    public const string AttributeName = "candidate";

    public override string Name => AttributeName;

    internal static bool TryParseValue(string value, out SdpAttribute? attribute, out string? error)
    {
        // IceCandidate.TryParse also takes the trickled "candidate:..." form; in SDP the prefix is the
        // attribute name itself, so a second one is an error rather than something to strip.
        if (value.StartsWith(AttributeName + ":", StringComparison.Ordinal))
        {
            return Fail(AttributeName, "the value repeats the 'candidate:' prefix", out attribute, out error);
        }
        return IceCandidate.TryParse(value, out var candidate, out var reason)
            ? Success(new CandidateAttribute(candidate), out attribute, out error)
            : Fail(AttributeName, reason!, out attribute, out error);
    }

    internal override void AppendValue(StringBuilder builder) => Candidate.AppendTo(builder);
}
