using System.Buffers.Binary;
using Sotto.Rtc.Stun;
using Sotto.Rtc.Tests.Fuzzing;
using Xunit.Abstractions;

namespace Sotto.Rtc.Tests.Stun;

[Trait("Category", "Fuzz")]
public sealed class StunFuzzTests(ITestOutputHelper output)
{
    private static readonly byte[] Key = "sottoIcePasswordFor24chr"u8.ToArray();

    /// <summary>
    /// Parse, then exercise every accessor, integrity and fingerprint on whatever parses. Each input
    /// arrives in an exactly sized array, so any read past its end throws and fails the run.
    /// </summary>
    private static int _parsed;
    private static int _withIntegrity;

    private static void Target(ReadOnlySpan<byte> input)
    {
        Exercise(input);
        if (input.Length >= StunMessage.HeaderLength)
        {
            // Most mutations break the header length and stop at the first check; a copy with the
            // length repaired (still exactly sized) sends them on into the attribute walk.
            var repaired = input.ToArray();
            BinaryPrimitives.WriteUInt16BigEndian(repaired.AsSpan(2), (ushort)(repaired.Length - StunMessage.HeaderLength));
            Exercise(repaired);
        }
    }

    private static void Exercise(ReadOnlySpan<byte> input)
    {
        _ = StunMessage.IsStun(input);
        if (!StunMessage.TryParse(input, out var message))
        {
            return;
        }
        _parsed++;
        if (message.HasMessageIntegrity)
        {
            _withIntegrity++;
        }
        _ = message.Method;
        _ = message.Class;
        _ = message.TransactionId;
        foreach (var attribute in message.Attributes)
        {
            _ = StunAddress.TryRead(attribute.Value, out _);
            _ = StunAddress.TryReadXor(attribute.Value, message.TransactionId, out _);
            _ = StunErrorCode.TryParse(attribute.Value, out _);
        }
        if (message.TryGetUsername(out var username))
        {
            _ = IceUsername.TrySplit(username, out _, out _);
        }
        _ = message.TryGetPriority(out _);
        _ = message.TryGetIceControlling(out _);
        _ = message.TryGetIceControlled(out _);
        _ = message.HasUseCandidate;
        _ = message.TryGetXorMappedAddress(out _);
        _ = message.TryGetMappedAddress(out _);
        _ = message.TryGetErrorCode(out _);
        Span<ushort> unknown = stackalloc ushort[8];
        _ = message.CopyUnknownComprehensionRequired(unknown);
        _ = message.VerifyMessageIntegrity(Key);
        _ = message.VerifyFingerprint();
    }

    [Fact]
    public void Parse_integrity_and_fingerprint_never_throw_on_mutated_and_random_input()
    {
        _parsed = 0;
        _withIntegrity = 0;
        var executed = FuzzRunner.Run("stun", Target, extraSeeds: null, maxRandomLength: 600);
        Assert.True(executed >= FuzzRunner.Iterations);
        output.WriteLine($"{executed} inputs: parsed {_parsed}, with MESSAGE-INTEGRITY {_withIntegrity}");
        // Positive control for depth: a fuzz pass where nothing parses would prove nothing.
        Assert.True(_parsed > executed / 20, $"only {_parsed} of {executed} inputs parsed");
        Assert.True(_withIntegrity > executed / 100, $"only {_withIntegrity} of {executed} inputs reached MESSAGE-INTEGRITY");
    }

    [Fact]
    public void Every_committed_seed_parses()
    {
        // Positive control for the fuzz corpus: the seeds are valid, so mutations start from
        // messages that reach the attribute walk and the hash checks.
        var corpus = FuzzRunner.LoadCorpus("stun");
        Assert.True(corpus.Count >= 10);
        foreach (var seed in corpus)
        {
            Assert.True(StunMessage.TryParse(seed, out var message));
            Assert.True(!message.HasFingerprint || message.VerifyFingerprint());
        }
    }

    [Fact]
    public void Round_trip_property_random_checks_parse_back_equal()
    {
        var rng = new Random(8489);
        var buffer = new byte[600];
        var transactionId = new byte[12];
        for (var i = 0; i < 2_000; i++)
        {
            rng.NextBytes(transactionId);
            var username = new byte[rng.Next(1, 100)];
            rng.NextBytes(username);
            var key = new byte[rng.Next(0, 64)];
            rng.NextBytes(key);
            var priority = (uint)rng.NextInt64(0, uint.MaxValue + 1L);
            var tieBreaker = (ulong)rng.NextInt64();
            var useCandidate = rng.Next(2) == 0;
            var controlling = rng.Next(2) == 0;

            Assert.True(StunMessageWriter.TryCreate(buffer, StunMethod.Binding, StunMessageClass.Request, transactionId, out var writer));
            Assert.True(writer.TryAddUsername(username));
            Assert.True(controlling ? writer.TryAddIceControlling(tieBreaker) : writer.TryAddIceControlled(tieBreaker));
            if (useCandidate)
            {
                Assert.True(writer.TryAddUseCandidate());
            }
            Assert.True(writer.TryAddPriority(priority));
            Assert.True(writer.TryAddMessageIntegrity(key));
            Assert.True(writer.TryAddFingerprint());
            var datagram = writer.WrittenSpan.ToArray();
            rng.NextBytes(buffer); // no aliasing

            Assert.True(StunMessage.TryParse(datagram, out var message));
            Assert.Equal(transactionId, message.TransactionId.ToArray());
            Assert.True(message.TryGetUsername(out var parsedUsername));
            Assert.Equal(username, parsedUsername.ToArray());
            Assert.True(message.TryGetPriority(out var parsedPriority));
            Assert.Equal(priority, parsedPriority);
            ulong parsedTieBreaker;
            Assert.True(controlling ? message.TryGetIceControlling(out parsedTieBreaker) : message.TryGetIceControlled(out parsedTieBreaker));
            Assert.Equal(tieBreaker, parsedTieBreaker);
            Assert.Equal(useCandidate, message.HasUseCandidate);
            Assert.True(message.VerifyMessageIntegrity(key));
            Assert.True(message.VerifyFingerprint());
        }
    }
}
