using System.Net;
using Sotto.Rtc.Stun;
using Sotto.Transport.Ice;

namespace Sotto.Transport.Tests.Ice;

public sealed class IceControllingAgentTests
{
    private static readonly IceParameters Client = IceParameters.Generate();
    private static readonly IceParameters Server = IceParameters.Generate();
    private static readonly SocketAddress From = new IPEndPoint(IPAddress.Loopback, 40000).Serialize();
    private static readonly IceOptions Options = new();

    [Fact]
    public void A_check_is_accepted_by_the_lite_agent_and_its_answer_connects()
    {
        var client = new IceControllingAgent(Client, Server, Options, now: 0);
        var server = new IceLiteAgent(Server, Client);
        var check = new byte[IceControllingAgent.MaxCheckLength];
        var answer = new byte[IceLiteAgent.MaxResponseLength];

        int checkLength = client.Poll(0, check);
        Assert.Equal(IceCheckOutcome.Nominated, server.HandleRequest(check.AsSpan(0, checkLength), From, answer, out int answerLength));
        Assert.True(client.HandleResponse(answer.AsSpan(0, answerLength), now: 3));

        Assert.True(client.IsConnected);
        Assert.Equal(3, client.LastRoundTripMilliseconds);
    }

    [Fact]
    public void An_answer_signed_with_another_password_does_not_connect()
    {
        var client = new IceControllingAgent(Client, Server, Options, now: 0);
        var impostor = new IceLiteAgent(new IceParameters(Server.UsernameFragment, "someOtherPasswordSomeOtherPass1"), Client);
        var check = new byte[IceControllingAgent.MaxCheckLength];
        var answer = new byte[IceLiteAgent.MaxResponseLength];

        int checkLength = client.Poll(0, check);
        // The impostor cannot even verify the check; forge its success by answering as if it could.
        Assert.Equal(IceCheckOutcome.Rejected, impostor.HandleRequest(check.AsSpan(0, checkLength), From, answer, out int answerLength));
        Assert.False(client.HandleResponse(answer.AsSpan(0, answerLength), now: 1));
        Assert.False(client.IsConnected);
    }

    [Fact]
    public void Checks_are_retransmitted_with_doubling_timeouts_then_fail()
    {
        var client = new IceControllingAgent(Client, Server, Options, now: 0);
        var check = new byte[IceControllingAgent.MaxCheckLength];
        var sendTimes = new List<long>();
        byte[]? firstTransaction = null;

        long failedAt = -1;
        for (long now = 0; now <= 60_000 && failedAt < 0; now += 10)
        {
            int length = client.Poll(now, check);
            if (client.HasFailed)
                failedAt = now;
            if (length == 0)
                continue;
            sendTimes.Add(now);
            Assert.True(StunMessage.TryParse(check.AsSpan(0, length), out var message));
            firstTransaction ??= message.TransactionId.ToArray();
            Assert.True(message.TransactionId.SequenceEqual(firstTransaction)); // retransmissions reuse the transaction
        }

        // RFC 8489 §6.2.1 with RTO 500 ms, Rc 7, Rm 16: sent at 0, 500, 1500, 3500, 7500, 15500,
        // 31500 ms; failure 16 × 500 ms after the last request.
        Assert.Equal([0, 500, 1500, 3500, 7500, 15500, 31500], sendTimes);
        Assert.Equal(39_500, failedAt);
    }
}
