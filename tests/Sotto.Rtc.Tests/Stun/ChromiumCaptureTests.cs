using System.Text;
using Sotto.Rtc.Stun;
using static Sotto.Rtc.Tests.Stun.StunTestData;

namespace Sotto.Rtc.Tests.Stun;

/// <summary>
/// Real ICE checks sent by Chromium 156 on this machine to an ice-lite answer of ours (ufrag
/// S0ttoUfrag12, password <see cref="StunTestData.SeedPassword"/>), captured with
/// TestData/fuzz/capture_chromium_stun.py.
/// </summary>
public sealed class ChromiumCaptureTests
{
    [Theory]
    [InlineData("chromium156-check.bin", false)]
    [InlineData("chromium156-check-use-candidate.bin", true)]
    public void Real_chromium_checks_validate(string file, bool nominating)
    {
        var datagram = Seed(file);
        Assert.True(StunMessage.TryParse(datagram, out var message));
        Assert.Equal(StunMethod.Binding, message.Method);
        Assert.Equal(StunMessageClass.Request, message.Class);
        Assert.Equal(0, message.UnknownComprehensionRequiredCount);
        Assert.True(message.HasAttribute(StunAttributeType.GoogNetworkInfo)); // the attribute a strict parser trips on

        Assert.True(message.TryGetUsername(out var username));
        Assert.True(IceUsername.TrySplit(username, out var local, out var remote));
        Assert.Equal("S0ttoUfrag12", Encoding.ASCII.GetString(local));
        Assert.Equal(4, remote.Length); // Chromium's ufrags are 4 ice-chars

        Assert.True(message.TryGetIceControlling(out _)); // we are ice-lite, so Chromium controls
        Assert.False(message.TryGetIceControlled(out _));
        Assert.Equal(nominating, message.HasUseCandidate);
        Assert.True(message.TryGetPriority(out var priority));
        Assert.Equal(110u, priority >> 24); // type preference 110: a host candidate (RFC 8445 §5.1.2.2)

        Assert.True(message.VerifyFingerprint());
        Assert.True(message.VerifyMessageIntegrity(Encoding.ASCII.GetBytes(SeedPassword)));
        Assert.False(message.VerifyMessageIntegrity("wrongPasswordFor24chars!"u8));
    }

    [Fact]
    public void Our_response_to_a_real_check_verifies_with_the_same_key()
    {
        Assert.True(StunMessage.TryParse(Seed("chromium156-check-use-candidate.bin"), out var request));
        var buffer = new byte[128];
        Assert.True(StunMessageWriter.TryCreate(buffer, StunMethod.Binding, StunMessageClass.SuccessResponse, request.TransactionId, out var writer));
        Assert.True(writer.TryAddXorMappedAddress(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 48150)));
        Assert.True(writer.TryAddMessageIntegrity(Encoding.ASCII.GetBytes(SeedPassword)));
        Assert.True(writer.TryAddFingerprint());
        Assert.True(StunMessage.TryParse(writer.WrittenSpan, out var response));
        Assert.Equal(request.TransactionId.ToArray(), response.TransactionId.ToArray());
        Assert.True(response.VerifyMessageIntegrity(Encoding.ASCII.GetBytes(SeedPassword)));
        Assert.True(response.VerifyFingerprint());
    }

    [Fact]
    public void Our_writer_matches_byte_for_byte_the_encoder_whose_responses_chromium_accepted()
    {
        // The capture scripts answer Chromium with the Python encoder of make_seeds.py, and Chromium
        // went on to nominate and to start DTLS, so it accepted those responses. Our writer produces
        // the same bytes for the same inputs.
        var transactionId = Convert.FromHexString("4b6a2f7c1d9e0a5538c4f1e2");
        var password = Encoding.ASCII.GetBytes(SeedPassword);
        var buffer = new byte[128];

        Assert.True(StunMessageWriter.TryCreate(buffer, StunMethod.Binding, StunMessageClass.SuccessResponse, transactionId, out var success));
        Assert.True(success.TryAddXorMappedAddress(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 50123)));
        Assert.True(success.TryAddMessageIntegrity(password));
        Assert.True(success.TryAddFingerprint());
        Assert.Equal(Seed("binding-success-ipv4.bin"), success.WrittenSpan.ToArray());

        Assert.True(StunMessageWriter.TryCreate(buffer, StunMethod.Binding, StunMessageClass.ErrorResponse, transactionId, out var error));
        Assert.True(error.TryAddErrorCode(StunErrorCode.UnknownAttribute, "Unknown Attribute"u8));
        Assert.True(error.TryAddUnknownAttributes([0x7F01, StunAttributeType.UserHash]));
        Assert.True(error.TryAddMessageIntegrity(password));
        Assert.True(error.TryAddFingerprint());
        Assert.Equal(Seed("error-420-unknown-attributes.bin"), error.WrittenSpan.ToArray());

        Assert.True(StunMessageWriter.TryCreate(buffer, StunMethod.Binding, StunMessageClass.Request, transactionId, out var check));
        Assert.True(check.TryAddUsername(Encoding.ASCII.GetBytes(SeedUsername)));
        Assert.True(check.TryAddAttribute(StunAttributeType.GoogNetworkInfo, [0, 1, 0, 10]));
        Assert.True(check.TryAddIceControlling(0x5A3C9E1F00112233));
        Assert.True(check.TryAddUseCandidate());
        Assert.True(check.TryAddPriority(0x6E7F1EFF));
        Assert.True(check.TryAddMessageIntegrity(password));
        Assert.True(check.TryAddFingerprint());
        Assert.Equal(Seed("chromium-binding-request-use-candidate.bin"), check.WrittenSpan.ToArray());
    }
}
