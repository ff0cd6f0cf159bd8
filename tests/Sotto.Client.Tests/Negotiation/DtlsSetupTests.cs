using Sotto.Client.Negotiation;
using Sotto.Rtc.Sdp;
using Sotto.Transport.Dtls;
using Sotto.Transport.Ice;

namespace Sotto.Client.Tests.Negotiation;

/// <summary>RFC 8842 §5 / RFC 5763 §5: the DTLS role from the <c>a=setup</c> exchange, independent of ICE.</summary>
public sealed class DtlsSetupTests
{
    [Theory]
    [InlineData(SetupRole.Active, DtlsRole.Server)] // Chromium, Janus: they take the client role
    [InlineData(SetupRole.Passive, DtlsRole.Client)] // Sotto's SFU
    public void An_answer_to_our_actpass_offer_decides_our_role(SetupRole answer, DtlsRole expected)
    {
        Assert.True(DtlsSetup.TryGetRoleFromAnswer(answer, out DtlsRole role, out string? problem), problem);
        Assert.Equal(expected, role);
    }

    [Theory]
    [InlineData(SetupRole.ActPass)]
    [InlineData(SetupRole.HoldConn)]
    [InlineData(null)]
    public void An_answer_that_does_not_pick_active_or_passive_is_refused(SetupRole? answer)
    {
        Assert.False(DtlsSetup.TryGetRoleFromAnswer(answer, out _, out string? problem));
        Assert.Contains("RFC 8842", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SetupRole.ActPass, SetupRole.Active, DtlsRole.Client)] // what Sotto offers: we stay active
    [InlineData(SetupRole.Passive, SetupRole.Active, DtlsRole.Client)]
    [InlineData(SetupRole.Active, SetupRole.Passive, DtlsRole.Server)] // RFC 4145 §4.1: the only answer that works
    public void We_answer_an_offer_active_unless_it_insists_on_being_active(SetupRole offer, SetupRole expectedAnswer, DtlsRole expectedRole)
    {
        Assert.True(DtlsSetup.TryAnswer(offer, out SetupRole answer, out DtlsRole role, out string? problem), problem);
        Assert.Equal(expectedAnswer, answer);
        Assert.Equal(expectedRole, role);
        Assert.Equal(answer, DtlsSetup.AnswerFor(role)); // a renegotiation answers the same
    }

    [Theory]
    [InlineData(SetupRole.HoldConn)]
    [InlineData(null)]
    public void An_offer_without_a_usable_setup_is_refused(SetupRole? offer) =>
        Assert.False(DtlsSetup.TryAnswer(offer, out _, out _, out _));

    [Theory]
    [InlineData(SetupRole.Active)]
    [InlineData(SetupRole.Passive)]
    public void The_subscribe_answer_carries_the_chosen_setup_on_every_m_line(SetupRole setup)
    {
        var offer = SessionDescription.Parse(string.Join("\r\n",
            "v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=mid:0", "a=sendonly", "a=setup:actpass", "a=rtpmap:111 opus/48000/2",
            "m=video 9 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 0.0.0.0", "a=mid:1", "a=sendonly", "a=setup:actpass", "a=rtpmap:96 VP8/90000", ""));
        string answer = SubscribeAnswerWriter.Write(offer, IceParameters.Generate(), DtlsCertificate.Generate().Fingerprint, setup, 2);
        var parsed = SessionDescription.Parse(answer);
        Assert.Equal(2, parsed.Media.Count);
        Assert.All(parsed.Media, m => Assert.Equal(setup, parsed.GetSetup(m)));
    }
}
