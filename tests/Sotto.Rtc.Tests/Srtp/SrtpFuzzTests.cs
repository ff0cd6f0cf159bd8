using Sotto.Rtc.Srtp;
using Sotto.Rtc.Tests.Fuzzing;
using static Sotto.Rtc.Tests.Srtp.SrtpTestData;

namespace Sotto.Rtc.Tests.Srtp;

/// <summary>
/// Mutation fuzzing of unprotect (and protect) with <see cref="FuzzRunner"/>. The corpus in
/// TestData/fuzz/srtp/ holds SRTP and SRTCP packets protected under
/// <see cref="SrtpTestData.MasterKeys"/> (seed 1) for each profile: Opus and VP8 packets with RFC 8285
/// extensions, CSRCs, a padding-only probe, SR+SDES compound, lone PLI, RR and transport-cc feedback, in
/// the layouts Chromium sends (synthesized, not captured: a capture carries keys we cannot know).
/// </summary>
/// <remarks>
/// Properties: no input makes an SRTP call throw, and unprotect returns <see cref="SrtpResult.Ok"/> only
/// for an input byte-identical to a packet the matching sender produced. Long run:
/// <c>SOTTO_FUZZ_ITERATIONS=1000000 dotnet test tests/Sotto.Rtc.Tests -c Release --filter "Category=Fuzz&amp;FullyQualifiedName~Srtp"</c>.
/// </remarks>
public sealed class SrtpFuzzTests
{
    private sealed class Receiver(SrtpProtectionProfile profile, HashSet<string> validRtp, HashSet<string> validRtcp) : IDisposable
    {
        public SrtpContext Receiving { get; } = CreateReceiver(profile);
        public HashSet<string> ValidRtp { get; } = validRtp;
        public HashSet<string> ValidRtcp { get; } = validRtcp;

        private static SrtpContext CreateReceiver(SrtpProtectionProfile profile)
        {
            // Replay check off so the same corpus packet verifies every time it (or an identical
            // mutation) comes round; authentication is what is under test.
            var context = Context(profile);
            context.ReplayCheckEnabled = false;
            return context;
        }

        public void Dispose() => Receiving.Dispose();
    }

    private static string Prefix(SrtpProtectionProfile profile) => profile switch
    {
        SrtpProtectionProfile.AeadAes128Gcm => "gcm128",
        SrtpProtectionProfile.AeadAes256Gcm => "gcm256",
        _ => "cm128",
    };

    [Fact]
    [Trait("Category", "Fuzz")]
    public void Unprotect_never_throws_and_never_accepts_a_modified_packet()
    {
        var receivers = AllProfiles.Select(profile =>
        {
            var files = Directory.EnumerateFiles(FuzzRunner.CorpusDirectory("srtp"), Prefix(profile) + "-*").ToList();
            var rtp = files.Where(f => Path.GetFileName(f).Contains("-rtp-", StringComparison.Ordinal))
                .Select(f => Convert.ToHexString(File.ReadAllBytes(f))).ToHashSet();
            var rtcp = files.Where(f => Path.GetFileName(f).Contains("-rtcp-", StringComparison.Ordinal))
                .Select(f => Convert.ToHexString(File.ReadAllBytes(f))).ToHashSet();
            Assert.NotEmpty(rtp);
            Assert.NotEmpty(rtcp);
            return new Receiver(profile, rtp, rtcp);
        }).ToArray();

        long accepted = 0;
        try
        {
            var executed = FuzzRunner.Run("srtp", input =>
            {
                var hex = Convert.ToHexString(input);
                foreach (var receiver in receivers)
                {
                    // Exactly sized copies: a read past the packet's end would throw, not read spare octets.
                    var rtp = input.ToArray();
                    if (receiver.Receiving.UnprotectRtp(rtp, rtp.Length, out _) == SrtpResult.Ok)
                    {
                        Assert.True(receiver.ValidRtp.Contains(hex), $"{receiver.Receiving.Profile} accepted a modified SRTP packet {hex}");
                        accepted++;
                    }
                    var rtcp = input.ToArray();
                    if (receiver.Receiving.UnprotectRtcp(rtcp, rtcp.Length, out _) == SrtpResult.Ok)
                    {
                        Assert.True(receiver.ValidRtcp.Contains(hex), $"{receiver.Receiving.Profile} accepted a modified SRTCP packet {hex}");
                        accepted++;
                    }
                }
            });
            Assert.True(executed > FuzzRunner.Iterations);
            // Positive control: the unmodified corpus packets (fed first by the runner) were accepted, so
            // the oracle above can fire at all.
            Assert.True(accepted >= receivers.Sum(r => r.ValidRtp.Count + r.ValidRtcp.Count));
        }
        finally
        {
            foreach (var receiver in receivers)
            {
                receiver.Dispose();
            }
        }
    }

    [Fact]
    [Trait("Category", "Fuzz")]
    public void Protect_never_throws_and_whatever_it_protects_round_trips()
    {
        var pairs = AllProfiles.Select(profile => Pair(profile)).ToArray();
        long roundTrips = 0;
        try
        {
            FuzzRunner.Run("srtp", input =>
            {
                foreach (var (sender, receiver) in pairs)
                {
                    var overhead = sender.Profile.MaxOverhead();
                    var buffer = new byte[input.Length + overhead];
                    input.CopyTo(buffer);
                    if (sender.ProtectRtp(buffer, input.Length, out var length) == SrtpResult.Ok)
                    {
                        var wire = buffer.AsSpan(0, length).ToArray();
                        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtp(wire, wire.Length, out var plainLength));
                        Assert.True(input.SequenceEqual(wire.AsSpan(0, plainLength)));
                        roundTrips++;
                    }
                    buffer = new byte[input.Length + overhead];
                    input.CopyTo(buffer);
                    if (sender.ProtectRtcp(buffer, input.Length, out length) == SrtpResult.Ok)
                    {
                        var wire = buffer.AsSpan(0, length).ToArray();
                        Assert.Equal(SrtpResult.Ok, receiver.UnprotectRtcp(wire, wire.Length, out var plainLength));
                        Assert.True(input.SequenceEqual(wire.AsSpan(0, plainLength)));
                        roundTrips++;
                    }
                }
            });
            Assert.True(roundTrips > 0);
        }
        finally
        {
            foreach (var (sender, receiver) in pairs)
            {
                sender.Dispose();
                receiver.Dispose();
            }
        }
    }
}
