using Sotto.Rtc.Sdp;
using Sotto.Transport.Dtls;

namespace Sotto.Client.Negotiation;

/// <summary>
/// Who is the DTLS client, from SDP <c>a=setup</c> (RFC 8842 §5, RFC 5763 §5; RFC 4145 §4.1 for
/// the values). It is independent of the ICE role: our transports are always ICE controlling, but
/// the DTLS role follows the offer/answer.
/// <list type="bullet">
/// <item>We offer (publish): always <c>actpass</c>; the answer picks. <c>active</c> → the peer is
/// the client and we are the DTLS server (Chromium always answers so, Janus too); <c>passive</c> →
/// we are the client (Sotto's SFU).</item>
/// <item>We answer (subscribe): <c>active</c>, so we are the client (RFC 5763 §5 recommends it: the
/// handshake can start as soon as the answer is sent). Only an offer that itself insists on
/// <c>active</c> — not what RFC 8842 §5.2 allows an offerer, but RFC 4145 defines it — gets
/// <c>passive</c>, the one answer that works.</item>
/// </list>
/// A role, once a transport runs, never changes on renegotiation (DESIGN.md §9).
/// </summary>
internal static class DtlsSetup
{
    /// <summary>Our DTLS role once our <c>actpass</c> offer is answered with <paramref name="answer"/>; false (with why) when the answer is not valid.</summary>
    public static bool TryGetRoleFromAnswer(SetupRole? answer, out DtlsRole role, out string? problem)
    {
        problem = null;
        role = DtlsRole.Client;
        switch (answer)
        {
            case SetupRole.Active:
                role = DtlsRole.Server;
                return true;
            case SetupRole.Passive:
                return true;
            case null:
                problem = "the answer has no a=setup (RFC 8842 §5.3: an answer says active or passive)";
                return false;
            default:
                problem = $"the answer says a=setup:{Name(answer.Value)} (RFC 8842 §5.3: an answer says active or passive)";
                return false;
        }
    }

    /// <summary>What we answer to an offer's <c>a=setup</c> and the DTLS role that gives us; false (with why) when no answer works.</summary>
    public static bool TryAnswer(SetupRole? offer, out SetupRole answer, out DtlsRole role, out string? problem)
    {
        problem = null;
        switch (offer)
        {
            case SetupRole.ActPass or SetupRole.Passive:
                (answer, role) = (SetupRole.Active, DtlsRole.Client);
                return true;
            case SetupRole.Active:
                (answer, role) = (SetupRole.Passive, DtlsRole.Server);
                return true;
            default:
                (answer, role) = (SetupRole.Active, DtlsRole.Client);
                problem = offer is null
                    ? "the offer has no a=setup (RFC 8842 §5.2: an offer says actpass)"
                    : $"the offer says a=setup:{Name(offer.Value)}: no DTLS association is possible";
                return false;
        }
    }

    /// <summary>The SDP spelling (RFC 4145 §4).</summary>
    public static string Name(SetupRole setup) => setup switch
    {
        SetupRole.Active => "active",
        SetupRole.Passive => "passive",
        SetupRole.ActPass => "actpass",
        _ => "holdconn",
    };

    /// <summary>The <c>a=setup</c> value that a transport already running in <paramref name="role"/> must keep answering.</summary>
    public static SetupRole AnswerFor(DtlsRole role) => role == DtlsRole.Client ? SetupRole.Active : SetupRole.Passive;
}
