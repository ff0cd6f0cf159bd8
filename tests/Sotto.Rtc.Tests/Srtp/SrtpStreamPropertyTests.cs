using Sotto.Rtc.Srtp;
using static Sotto.Rtc.Tests.Srtp.SrtpTestData;

namespace Sotto.Rtc.Tests.Srtp;

/// <summary>
/// A long stream through a lossy, reordering, duplicating network: every packet that arrives within the
/// replay window is recovered exactly once, across two rollover-counter wraps.
/// </summary>
public sealed class SrtpStreamPropertyTests
{
    [Theory]
    [MemberData(nameof(Profiles), MemberType = typeof(SrtpTestData))]
    public void Lossy_reordered_duplicated_stream_across_two_wraps_is_recovered_exactly_once(SrtpProtectionProfile profile)
    {
        var (sender, receiver) = Pair(profile, replayWindowSize: 128);
        using (sender)
        using (receiver)
        {
            const uint ssrc = 0x0BADCAFE;
            const int packets = 2 * 65536 + 5000;
            const int maxDelay = 40; // network reordering depth, well inside the 128-packet window
            var rng = new Random(12345);
            var startSequence = (ushort)60000; // first wrap comes early

            // Sender: protect every packet; the network delays each by 0..maxDelay slots, drops 2 %,
            // duplicates 1 %.
            var inFlight = new SortedDictionary<long, List<(int Number, byte[] Wire)>>();
            var delivered = new bool[packets];
            var duplicatesRejected = 0;
            var payload = new byte[24];

            void Deliver(int number, byte[] wire)
            {
                var buffer = (byte[])wire.Clone();
                var result = receiver.UnprotectRtp(buffer, buffer.Length, out var length);
                if (delivered[number])
                {
                    Assert.Equal(SrtpResult.Replayed, result);
                    duplicatesRejected++;
                    return;
                }
                Assert.True(result == SrtpResult.Ok, $"packet {number} (seq {(ushort)(startSequence + number)}): {result}");
                // The payload carries the packet number: proves it decrypted under the right index.
                Assert.Equal(number, BitConverter.ToInt32(buffer, 12));
                Assert.Equal(12 + payload.Length, length);
                delivered[number] = true;
            }

            for (var number = 0; number < packets; number++)
            {
                var plain = BuildRtp((ushort)(startSequence + number), ssrc, payload.Length);
                BitConverter.GetBytes(number).CopyTo(plain, 12);
                var wire = ProtectRtp(sender, plain);

                if (rng.NextDouble() >= 0.02)
                {
                    Schedule(number + rng.Next(maxDelay + 1), number, wire);
                    if (rng.NextDouble() < 0.01)
                    {
                        Schedule(number + rng.Next(maxDelay + 1), number, wire);
                    }
                }
                if (inFlight.Remove(number, out var due))
                {
                    foreach (var (n, w) in due)
                    {
                        Deliver(n, w);
                    }
                }
            }
            foreach (var due in inFlight.Values)
            {
                foreach (var (n, w) in due)
                {
                    Deliver(n, w);
                }
            }

            Assert.True(delivered.Count(d => d) > packets * 0.97);
            Assert.True(duplicatesRejected > 0);
            Assert.Equal(2u, receiver.RolloverCounterOf(ssrc));
            Assert.Equal(2u, sender.RolloverCounterOf(ssrc));

            void Schedule(long slot, int number, byte[] wire)
            {
                if (!inFlight.TryGetValue(slot, out var list))
                {
                    inFlight[slot] = list = [];
                }
                list.Add((number, wire));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Profiles), MemberType = typeof(SrtpTestData))]
    public void Packet_protected_under_another_profile_is_not_accepted(SrtpProtectionProfile profile)
    {
        var sender = Context(profile);
        using (sender)
        {
            var wire = ProtectRtp(sender, BuildRtp(3, 3, 100));
            foreach (var other in AllProfiles.Where(p => p != profile))
            {
                var receiver = Context(other);
                using (receiver)
                {
                    Assert.Equal(SrtpResult.AuthenticationFailed, UnprotectRtp(receiver, wire).Result);
                }
            }
        }
    }
}
