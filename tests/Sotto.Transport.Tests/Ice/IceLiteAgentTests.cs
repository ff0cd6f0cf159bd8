using System.Net;
using System.Text;
using Sotto.Rtc.Stun;
using Sotto.Transport.Ice;

namespace Sotto.Transport.Tests.Ice;

public sealed class IceLiteAgentTests
{
    private static readonly IceParameters Server = new("srvUfrag", "serverPasswordServerPassword01");
    private static readonly IceParameters Browser = new("brws", "browserPasswordBrowserPassword1");
    private static readonly SocketAddress From = new IPEndPoint(IPAddress.Parse("192.0.2.7"), 50123).Serialize();

    /// <summary>A check as Chromium writes it; each knob breaks one rule.</summary>
    private static byte[] Check(
        string password = "serverPasswordServerPassword01",
        string? username = "srvUfrag:brws",
        bool integrity = true,
        bool useCandidate = false,
        bool controlled = false,
        ushort? extraAttribute = null)
    {
        var buffer = new byte[512];
        Span<byte> transactionId = stackalloc byte[StunMessage.TransactionIdLength];
        StunMessageWriter.GenerateTransactionId(transactionId);
        Assert.True(StunMessageWriter.TryCreate(buffer, StunMethod.Binding, StunMessageClass.Request, transactionId, out var writer));
        if (username is not null)
            writer.TryAddUsername(Encoding.ASCII.GetBytes(username));
        if (extraAttribute is ushort type)
            writer.TryAddAttribute(type, [0, 0, 0, 1]);
        writer.TryAddPriority(1853817087);
        if (controlled)
            writer.TryAddIceControlled(42);
        else
            writer.TryAddIceControlling(42);
        if (useCandidate)
            writer.TryAddUseCandidate();
        if (integrity)
            writer.TryAddMessageIntegrity(Encoding.UTF8.GetBytes(password));
        writer.TryAddFingerprint();
        return buffer[..writer.Length];
    }

    private static (IceCheckOutcome Outcome, byte[] Response) Handle(byte[] request, IceParameters? remote = null)
    {
        var agent = new IceLiteAgent(Server, remote ?? Browser);
        var response = new byte[IceLiteAgent.MaxResponseLength];
        var outcome = agent.HandleRequest(request, From, response, out int length);
        return (outcome, response[..length]);
    }

    private static int ErrorCodeOf(byte[] response)
    {
        Assert.True(StunMessage.TryParse(response, out var message));
        Assert.Equal(StunMessageClass.ErrorResponse, message.Class);
        Assert.True(message.TryGetErrorCode(out var error));
        return error.Code;
    }

    [Fact]
    public void A_valid_check_is_answered_with_the_mapped_address_integrity_and_fingerprint()
    {
        byte[] request = Check();
        var (outcome, response) = Handle(request);

        Assert.Equal(IceCheckOutcome.Valid, outcome);
        Assert.True(StunMessage.TryParse(response, out var message));
        Assert.Equal(StunMessageClass.SuccessResponse, message.Class);
        Assert.True(message.TransactionId.SequenceEqual(request.AsSpan(8, 12)));
        Assert.True(message.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 50123), mapped.ToEndPoint());
        Assert.True(message.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(Server.Password)));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void USE_CANDIDATE_nominates()
        => Assert.Equal(IceCheckOutcome.Nominated, Handle(Check(useCandidate: true)).Outcome);

    [Fact]
    public void A_wrong_password_is_refused_with_401_and_no_integrity()
    {
        var (outcome, response) = Handle(Check(password: "notTheServerPasswordAtAll00000"));

        Assert.Equal(IceCheckOutcome.Rejected, outcome);
        Assert.Equal(StunErrorCode.Unauthorized, ErrorCodeOf(response));
        Assert.True(StunMessage.TryParse(response, out var message));
        Assert.False(message.HasMessageIntegrity);
    }

    [Theory]
    [InlineData("other:brws")]  // not our ufrag
    [InlineData("srvUfrag:else")] // not the browser's ufrag from its SDP
    [InlineData("srvUfrag")] // no colon
    public void A_username_that_does_not_name_both_sides_is_refused_with_401(string username)
        => Assert.Equal(StunErrorCode.Unauthorized, ErrorCodeOf(Handle(Check(username: username)).Response));

    [Fact]
    public void Missing_USERNAME_or_MESSAGE_INTEGRITY_is_a_400()
    {
        Assert.Equal(StunErrorCode.BadRequest, ErrorCodeOf(Handle(Check(username: null)).Response));
        Assert.Equal(StunErrorCode.BadRequest, ErrorCodeOf(Handle(Check(integrity: false)).Response));
    }

    [Fact]
    public void An_unknown_comprehension_required_attribute_is_named_in_a_420()
    {
        var (outcome, response) = Handle(Check(extraAttribute: 0x0031));

        Assert.Equal(IceCheckOutcome.Rejected, outcome);
        Assert.Equal(StunErrorCode.UnknownAttribute, ErrorCodeOf(response));
        Assert.True(StunMessage.TryParse(response, out var message));
        Assert.True(message.TryGetAttribute(StunAttributeType.UnknownAttributes, out var unknown));
        Assert.Equal(new byte[] { 0x00, 0x31 }, unknown.ToArray());
    }

    [Fact]
    public void Chromiums_comprehension_optional_GOOG_NETWORK_INFO_is_ignored()
        => Assert.Equal(IceCheckOutcome.Valid, Handle(Check(extraAttribute: StunAttributeType.GoogNetworkInfo)).Outcome);

    [Fact]
    public void A_peer_claiming_the_controlled_role_gets_487()
        => Assert.Equal(StunErrorCode.RoleConflict, ErrorCodeOf(Handle(Check(controlled: true)).Response));

    [Fact]
    public void A_corrupted_fingerprint_is_silently_discarded()
    {
        byte[] request = Check();
        request[^1] ^= 0xFF;
        var (outcome, response) = Handle(request);
        Assert.Equal(IceCheckOutcome.Discarded, outcome);
        Assert.Empty(response);
    }
}
