using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using Sotto.Rtc.Stun;
using Sotto.Transport.Ice;

namespace Sotto.Benchmarks.Transport;

/// <summary>
/// What the SFU does for every connectivity/consent check: parse, FINGERPRINT, MESSAGE-INTEGRITY
/// (HMAC-SHA1), then write the success answer with XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY and
/// FINGERPRINT. The request mirrors Chromium's (USERNAME, GOOG-NETWORK-INFO, ICE-CONTROLLING,
/// PRIORITY, USE-CANDIDATE).
/// </summary>
[MemoryDiagnoser]
public class IceCheckBenchmarks
{
    private readonly IceParameters _server = new("srvUfragSrvUfrag", "serverPasswordServerPassword0001");
    private readonly SocketAddress _from = new IPEndPoint(IPAddress.Parse("192.0.2.7"), 50123).Serialize();
    private readonly byte[] _response = new byte[IceLiteAgent.MaxResponseLength];
    private IceLiteAgent _agent = null!;
    private byte[] _check = null!;

    [GlobalSetup]
    public void Setup()
    {
        var browser = new IceParameters("brws", "browserPasswordBrowserPassword1");
        _agent = new IceLiteAgent(_server, browser);
        var buffer = new byte[512];
        byte[] transactionId = new byte[StunMessage.TransactionIdLength];
        StunMessageWriter.GenerateTransactionId(transactionId);
        StunMessageWriter.TryCreate(buffer, StunMethod.Binding, StunMessageClass.Request, transactionId, out var writer);
        writer.TryAddUsername(Encoding.ASCII.GetBytes($"{_server.UsernameFragment}:{browser.UsernameFragment}"));
        writer.TryAddAttribute(StunAttributeType.GoogNetworkInfo, [0, 1, 0, 10]);
        writer.TryAddIceControlling(0x1234_5678_9ABC_DEF0);
        writer.TryAddUseCandidate();
        writer.TryAddPriority(1853817087);
        writer.TryAddMessageIntegrity(Encoding.UTF8.GetBytes(_server.Password));
        writer.TryAddFingerprint();
        _check = buffer[..writer.Length];
    }

    [Benchmark(Description = "ICE-lite: validate a check and write the answer")]
    public int ValidateAndAnswer()
    {
        _agent.HandleRequest(_check, _from, _response, out int length);
        return length;
    }
}
