using System.Net;
using BenchmarkDotNet.Attributes;
using Sotto.Rtc.Stun;

namespace Sotto.Benchmarks;

/// <summary>
/// The ICE-lite server's per-check work: validate a Chromium-shaped Binding request (parse, USERNAME
/// lookup and split, MESSAGE-INTEGRITY with the local password, FINGERPRINT), and write the signed
/// success response. Both must allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class StunBenchmarks
{
    private static readonly byte[] Password = "sottoIcePasswordFor24chr"u8.ToArray();
    private static readonly byte[] LocalUfrag = "S0ttoUfrag12"u8.ToArray();
    private readonly byte[] _request = new byte[128];
    private readonly byte[] _response = new byte[128];
    private int _requestLength;
    private StunAddress _source;

    [GlobalSetup]
    public void Setup()
    {
        var transactionId = new byte[StunMessage.TransactionIdLength];
        StunMessageWriter.GenerateTransactionId(transactionId);
        StunMessageWriter.TryCreate(_request, StunMethod.Binding, StunMessageClass.Request, transactionId, out var writer);
        writer.TryAddUsername("S0ttoUfrag12:aB3d"u8);
        writer.TryAddAttribute(StunAttributeType.GoogNetworkInfo, [0, 1, 0, 10]);
        writer.TryAddIceControlling(0x5A3C9E1F00112233);
        writer.TryAddUseCandidate();
        writer.TryAddPriority(0x6E7F1EFF);
        writer.TryAddMessageIntegrity(Password);
        writer.TryAddFingerprint();
        _requestLength = writer.Length;
        _source = StunAddress.FromEndPoint(new IPEndPoint(IPAddress.Loopback, 50123));
        if (!ValidateBindingRequest())
        {
            throw new InvalidOperationException("benchmark input does not validate");
        }
    }

    [Benchmark(Description = "STUN check validation (parse + USERNAME + MESSAGE-INTEGRITY + FINGERPRINT)")]
    public bool ValidateBindingRequest()
    {
        var datagram = _request.AsSpan(0, _requestLength);
        return StunMessage.TryParse(datagram, out var message)
            && message.Class == StunMessageClass.Request
            && message.UnknownComprehensionRequiredCount == 0
            && message.TryGetUsername(out var username)
            && IceUsername.TrySplit(username, out var local, out _)
            && local.SequenceEqual(LocalUfrag)
            && message.VerifyFingerprint()
            && message.VerifyMessageIntegrity(Password);
    }

    [Benchmark(Description = "STUN success response write (XOR-MAPPED-ADDRESS + MESSAGE-INTEGRITY + FINGERPRINT)")]
    public int WriteBindingResponse()
    {
        if (!StunMessage.TryParse(_request.AsSpan(0, _requestLength), out var request))
        {
            return 0;
        }
        StunMessageWriter.TryCreate(_response, StunMethod.Binding, StunMessageClass.SuccessResponse, request.TransactionId, out var writer);
        writer.TryAddXorMappedAddress(_source);
        writer.TryAddMessageIntegrity(Password);
        writer.TryAddFingerprint();
        return writer.Length;
    }
}
