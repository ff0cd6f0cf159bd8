using Sotto.Rtc.Srtp;
using static Sotto.Rtc.Tests.Srtp.SrtpTestData;

namespace Sotto.Rtc.Tests.Srtp;

/// <summary>Round trips, rollover, tampering, replay and limits, for every profile.</summary>
public sealed class SrtpContextTests
{
    [Theory]
    [MemberData(nameof(Profiles), MemberType = typeof(SrtpTestData))]
    public void Rtp_round_trip_leaves_header_clear_and_hides_payload(SrtpProtectionProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            var plain = BuildRtp(1000, 0x11223344, 1200);
            var protectedPacket = ProtectRtp(sender, plain);

            Assert.Equal(plain.Length + profile.MaxRtpOverhead(), protectedPacket.Length);
            Assert.Equal(plain[..12], protectedPacket[..12]);
            Assert.NotEqual(plain[12..], protectedPacket[12..plain.Length]);

            var (result, decrypted) = UnprotectRtp(receiver, protectedPacket);
            Assert.Equal(SrtpResult.Ok, result);
            Assert.Equal(plain, decrypted);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles), MemberType = typeof(SrtpTestData))]
    public void Rtp_with_csrcs_and_header_extension_round_trips_between_two_contexts(SrtpProtectionProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            var plain = BuildRtp(7, 0xCAFEF00D, 300, csrcs: [0x01020304, 0x05060708, 0x090A0B0C], extensionWords: 3);
            var headerLength = 12 + 3 * 4 + 4 + 3 * 4;
            var protectedPacket = ProtectRtp(sender, plain);

            // The whole header, CSRCs and extension included, stays in the clear (RFC 3711 §3.1) ...
            Assert.Equal(plain[..headerLength], protectedPacket[..headerLength]);
            // ... and only the payload is encrypted.
            Assert.NotEqual(plain[headerLength..], protectedPacket[headerLength..plain.Length]);

            var (result, decrypted) = UnprotectRtp(receiver, protectedPacket);
            Assert.Equal(SrtpResult.Ok, result);
            Assert.Equal(plain, decrypted);

            // The header is authenticated: altering an extension octet fails.
            var altered = (byte[])protectedPacket.Clone();
            altered[headerLength - 1] ^= 0x40;
            var (sender2, receiver2) = Pair(profile);
            using (sender2)
            using (receiver2)
            {
                Assert.Equal(SrtpResult.AuthenticationFailed, UnprotectRtp(receiver2, altered).Result);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Profiles), MemberType = typeof(SrtpTestData))]
    public void Sequence_wrap_advances_the_rollover_counter_on_both_sides(SrtpProtectionProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            const uint ssrc = 0x5EED;
            foreach (var seq in new ushort[] { 65533, 65534, 65535, 0, 1, 2 })
            {
                var plain = BuildRtp(seq, ssrc, 40, fill: (byte)seq);
                var (result, decrypted) = UnprotectRtp(receiver, ProtectRtp(sender, plain));
                Assert.Equal(SrtpResult.Ok, result);
                Assert.Equal(plain, decrypted);
            }
            Assert.Equal(1u, sender.RolloverCounterOf(ssrc));
            Assert.Equal(1u, receiver.RolloverCounterOf(ssrc));
        }
    }

    [Theory]
    [MemberData(nameof(Profiles), MemberType = typeof(SrtpTestData))]
    public void Packet_from_before_the_wrap_arriving_after_it_is_decrypted_with_the_old_roc(SrtpProtectionProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            const uint ssrc = 0xABCD;
            var sent = new[] { (ushort)65534, (ushort)65535, (ushort)0, (ushort)1 }
                .Select(seq => (seq, plain: BuildRtp(seq, ssrc, 20, fill: (byte)seq)))
                .Select(p => (p.plain, wire: ProtectRtp(sender, p.plain)))
                .ToArray();

            // Network order: 65534, 0, 1, then the straggler 65535 (ROC 0 while the receiver is at ROC 1).
            foreach (var i in new[] { 0, 2, 3, 1 })
            {
                var (result, decrypted) = UnprotectRtp(receiver, sent[i].wire);
                Assert.Equal(SrtpResult.Ok, result);
                Assert.Equal(sent[i].plain, decrypted);
            }
            Assert.Equal(1u, receiver.RolloverCounterOf(ssrc));
        }
    }

    [Fact]
    public void Receiver_that_guesses_the_wrong_roc_cannot_authenticate()
    {
        // Positive control for the ROC being part of the authenticated data / IV: the same SSRC and
        // SEQ sent under ROC 1 is not accepted by a receiver still at ROC 0 with s_l nearby.
        var (sender, receiver) = Pair(SrtpProtectionProfile.AesCm128HmacSha1_80);
        using (sender)
        using (receiver)
        {
            const uint ssrc = 1;
            for (var seq = 0; seq <= 65535; seq += 16384)
            {
                ProtectRtp(sender, BuildRtp((ushort)seq, ssrc, 10));
            }
            ProtectRtp(sender, BuildRtp(65535, ssrc, 10));
            var afterWrap = ProtectRtp(sender, BuildRtp(100, ssrc, 10)); // ROC 1 on the sender

            // The receiver has only seen SEQ 90 under ROC 0, so it guesses ROC 0 for SEQ 100.
            var beforeWrapSender = Context(SrtpProtectionProfile.AesCm128HmacSha1_80);
            using (beforeWrapSender)
            {
                Assert.Equal(SrtpResult.Ok, UnprotectRtp(receiver, ProtectRtp(beforeWrapSender, BuildRtp(90, ssrc, 10))).Result);
            }
            Assert.Equal(SrtpResult.AuthenticationFailed, UnprotectRtp(receiver, afterWrap).Result);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles), MemberType = typeof(SrtpTestData))]
    public void Changing_any_single_octet_fails_authentication(SrtpProtectionProfile profile)
    {
        var sender = Context(profile);
        using (sender)
        {
            var protectedPacket = ProtectRtp(sender, BuildRtp(42, 0x77, 64, csrcs: [9], extensionWords: 1));
            var (key, salt) = MasterKeys(profile);
            for (var i = 0; i < protectedPacket.Length; i++)
            {
                using var receiver = SrtpContext.Create(profile, key, salt);
                var altered = (byte[])protectedPacket.Clone();
                altered[i] ^= 0x01;
                var result = UnprotectRtp(receiver, altered).Result;
                // Octet 0 (V, X, CC) may turn the header malformed before authentication; everything else
                // must fail the tag.
                Assert.True(
                    result is SrtpResult.AuthenticationFailed or SrtpResult.MalformedPacket or SrtpResult.PacketTooShort,
                    $"octet {i}: {result}");
                // Positive control: the unaltered packet still verifies on the same fresh context.
                Assert.Equal(SrtpResult.Ok, UnprotectRtp(receiver, protectedPacket).Result);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Profiles), MemberType = typeof(SrtpTestData))]
    public void Truncated_or_extended_packets_fail(SrtpProtectionProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            var protectedPacket = ProtectRtp(sender, BuildRtp(5, 0x99, 50));
            Assert.NotEqual(SrtpResult.Ok, UnprotectRtp(receiver, protectedPacket[..^1]).Result);
            Assert.NotEqual(SrtpResult.Ok, UnprotectRtp(receiver, [.. protectedPacket, 0]).Result);
            Assert.Equal(SrtpResult.PacketTooShort, UnprotectRtp(receiver, protectedPacket[..(12 + profile.AuthTagLength() - 1)]).Result);
            Assert.Equal(SrtpResult.Ok, UnprotectRtp(receiver, protectedPacket).Result);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles), MemberType = typeof(SrtpTestData))]
    public void Replayed_packet_is_rejected_after_being_accepted_once(SrtpProtectionProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            var packet = ProtectRtp(sender, BuildRtp(10, 0x1, 30));
            Assert.Equal(SrtpResult.Ok, UnprotectRtp(receiver, packet).Result);
            Assert.Equal(SrtpResult.Replayed, UnprotectRtp(receiver, packet).Result);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles), MemberType = typeof(SrtpTestData))]
    public void Out_of_order_within_the_window_is_accepted_once_and_too_old_is_rejected(SrtpProtectionProfile profile)
    {
        var (sender, receiver) = Pair(profile, replayWindowSize: 64);
        using (sender)
        using (receiver)
        {
            var packets = Enumerable.Range(0, 200).Select(seq => ProtectRtp(sender, BuildRtp((ushort)seq, 0x2, 10))).ToArray();

            Assert.Equal(SrtpResult.Ok, UnprotectRtp(receiver, packets[100]).Result);
            Assert.Equal(SrtpResult.Ok, UnprotectRtp(receiver, packets[150]).Result);
            // 150 - 100 = 50 < 64: late but inside the window.
            Assert.Equal(SrtpResult.Ok, UnprotectRtp(receiver, packets[120]).Result);
            Assert.Equal(SrtpResult.Replayed, UnprotectRtp(receiver, packets[120]).Result);
            Assert.Equal(SrtpResult.Replayed, UnprotectRtp(receiver, packets[100]).Result);
            // 150 - 87 = 63: the oldest index still in a 64-packet window.
            Assert.Equal(SrtpResult.Ok, UnprotectRtp(receiver, packets[87]).Result);
            // 150 - 86 = 64: just out of the window.
            Assert.Equal(SrtpResult.Replayed, UnprotectRtp(receiver, packets[86]).Result);
            Assert.Equal(SrtpResult.Replayed, UnprotectRtp(receiver, packets[0]).Result);
        }
    }

    [Fact]
    public void Larger_replay_window_accepts_what_a_64_packet_window_rejects()
    {
        var (sender, receiver) = Pair(SrtpProtectionProfile.AeadAes128Gcm, replayWindowSize: 1024);
        using (sender)
        using (receiver)
        {
            var packets = Enumerable.Range(0, 1200).Select(seq => ProtectRtp(sender, BuildRtp((ushort)seq, 0x3, 10))).ToArray();
            Assert.Equal(SrtpResult.Ok, UnprotectRtp(receiver, packets[1100]).Result);
            Assert.Equal(SrtpResult.Ok, UnprotectRtp(receiver, packets[500]).Result);      // age 600
            Assert.Equal(SrtpResult.Ok, UnprotectRtp(receiver, packets[77]).Result);       // age 1023
            Assert.Equal(SrtpResult.Replayed, UnprotectRtp(receiver, packets[76]).Result); // age 1024
            Assert.Equal(SrtpResult.Replayed, UnprotectRtp(receiver, packets[500]).Result);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles), MemberType = typeof(SrtpTestData))]
    public void Sender_refuses_to_reuse_an_index(SrtpProtectionProfile profile)
    {
        // RFC 7714 §8: one IV per (SSRC, index) per key. Re-protecting a sequence number would reuse it.
        var sender = Context(profile);
        using (sender)
        {
            var buffer = new byte[200];
            BuildRtp(500, 0x42, 40).CopyTo(buffer, 0);
            Assert.Equal(SrtpResult.Ok, sender.ProtectRtp(buffer, 52, out _));

            BuildRtp(500, 0x42, 40, fill: 9).CopyTo(buffer, 0); // same SSRC and SEQ, other bytes
            Assert.Equal(SrtpResult.Replayed, sender.ProtectRtp(buffer, 52, out var length));
            Assert.Equal(0, length);

            BuildRtp(499, 0x42, 40).CopyTo(buffer, 0); // late but never sent: allowed
            Assert.Equal(SrtpResult.Ok, sender.ProtectRtp(buffer, 52, out _));
            BuildRtp(500, 0x43, 40).CopyTo(buffer, 0); // same SEQ, other SSRC: a different IV
            Assert.Equal(SrtpResult.Ok, sender.ProtectRtp(buffer, 52, out _));
        }
    }

    [Theory]
    [MemberData(nameof(Profiles), MemberType = typeof(SrtpTestData))]
    public void Forged_packet_does_not_move_the_replay_window(SrtpProtectionProfile profile)
    {
        var (sender, receiver) = Pair(profile, replayWindowSize: 64);
        using (sender)
        using (receiver)
        {
            var genuine = ProtectRtp(sender, BuildRtp(10, 0x4, 30));
            Assert.Equal(SrtpResult.Ok, UnprotectRtp(receiver, ProtectRtp(sender, BuildRtp(5, 0x4, 30))).Result);

            // A forgery claiming SEQ 5000 (far ahead) must not push SEQ 10 out of the window.
            var forged = BuildRtp(5000, 0x4, 30 + profile.AuthTagLength());
            Assert.Equal(SrtpResult.AuthenticationFailed, UnprotectRtp(receiver, forged).Result);
            Assert.Equal(SrtpResult.Ok, UnprotectRtp(receiver, genuine).Result);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles), MemberType = typeof(SrtpTestData))]
    public void Rtcp_round_trip_replay_and_tamper(SrtpProtectionProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            var plain = RtcpReceiverReport(0xFEEDBEEF);
            var first = ProtectRtcp(sender, plain);
            var second = ProtectRtcp(sender, plain);

            Assert.Equal(plain.Length + profile.MaxRtcpOverhead(), first.Length);
            Assert.Equal(plain[..8], first[..8]);
            Assert.NotEqual(plain[8..], first[8..plain.Length]);
            Assert.NotEqual(first, second); // different SRTCP index, different IV

            var tampered = (byte[])second.Clone();
            tampered[10] ^= 0x80;
            Assert.Equal(SrtpResult.AuthenticationFailed, UnprotectRtcp(receiver, tampered).Result);

            var (result, decrypted) = UnprotectRtcp(receiver, first);
            Assert.Equal(SrtpResult.Ok, result);
            Assert.Equal(plain, decrypted);
            Assert.Equal(SrtpResult.Ok, UnprotectRtcp(receiver, second).Result);
            Assert.Equal(SrtpResult.Replayed, UnprotectRtcp(receiver, first).Result);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles), MemberType = typeof(SrtpTestData))]
    public void Srtcp_index_starts_at_zero_and_counts_per_ssrc(SrtpProtectionProfile profile)
    {
        var sender = Context(profile);
        using (sender)
        {
            var offsetFromEnd = profile.IsAead() ? 4 : 4 + profile.AuthTagLength();
            uint IndexWord(byte[] packet) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(packet.Length - offsetFromEnd));

            Assert.Equal(0x8000_0000u, IndexWord(ProtectRtcp(sender, RtcpReceiverReport(1))));
            Assert.Equal(0x8000_0001u, IndexWord(ProtectRtcp(sender, RtcpReceiverReport(1))));
            Assert.Equal(0x8000_0000u, IndexWord(ProtectRtcp(sender, RtcpReceiverReport(2))));
        }
    }

    [Theory]
    [MemberData(nameof(Profiles), MemberType = typeof(SrtpTestData))]
    public void Authentication_only_srtcp_round_trips(SrtpProtectionProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            var plain = RtcpReceiverReport(0x55);
            var buffer = new byte[plain.Length + 64];
            plain.CopyTo(buffer, 0);
            Assert.Equal(SrtpResult.Ok, sender.ProtectRtcp(buffer, plain.Length, encrypt: false, out var length));
            Assert.Equal(plain, buffer[..plain.Length]); // E = 0: the payload stays clear

            var wire = buffer[..length];
            var (result, decrypted) = UnprotectRtcp(receiver, wire);
            Assert.Equal(SrtpResult.Ok, result);
            Assert.Equal(plain, decrypted);

            var altered = (byte[])wire.Clone();
            altered[12] ^= 1;
            var (s2, r2) = Pair(profile);
            using (s2)
            using (r2)
            {
                Assert.Equal(SrtpResult.AuthenticationFailed, UnprotectRtcp(r2, altered).Result);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Profiles), MemberType = typeof(SrtpTestData))]
    public void Buffer_without_room_for_the_tag_is_refused_untouched(SrtpProtectionProfile profile)
    {
        var sender = Context(profile);
        using (sender)
        {
            var plain = BuildRtp(1, 1, 20);
            var buffer = (byte[])plain.Clone();
            Assert.Equal(SrtpResult.BufferTooSmall, sender.ProtectRtp(buffer, buffer.Length, out var length));
            Assert.Equal(0, length);
            Assert.Equal(plain, buffer);

            var rtcp = RtcpReceiverReport(1);
            var rtcpBuffer = new byte[rtcp.Length + profile.MaxRtcpOverhead() - 1];
            rtcp.CopyTo(rtcpBuffer, 0);
            Assert.Equal(SrtpResult.BufferTooSmall, sender.ProtectRtcp(rtcpBuffer, rtcp.Length, out _));
        }
    }

    [Theory]
    [MemberData(nameof(Profiles), MemberType = typeof(SrtpTestData))]
    public void Malformed_headers_are_reported_not_thrown(SrtpProtectionProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            var buffer = new byte[100];
            Assert.Equal(SrtpResult.PacketTooShort, sender.ProtectRtp(buffer, 11, out _));
            buffer[0] = 0x40; // version 1
            Assert.Equal(SrtpResult.MalformedPacket, sender.ProtectRtp(buffer, 40, out _));
            buffer[0] = 0x8F; // 15 CSRCs = 72-octet header in a 40-octet packet
            Assert.Equal(SrtpResult.MalformedPacket, sender.ProtectRtp(buffer, 40, out _));
            buffer[0] = 0x90; // extension claiming 0xFFFF words
            buffer[14] = 0xFF; buffer[15] = 0xFF;
            Assert.Equal(SrtpResult.MalformedPacket, receiver.UnprotectRtp(buffer, 60, out _));
            Assert.Equal(SrtpResult.PacketTooShort, receiver.UnprotectRtcp(buffer, 7, out _));
            buffer[0] = 0x81;
            Assert.Equal(SrtpResult.PacketTooShort, receiver.UnprotectRtcp(buffer, 8 + profile.MaxRtcpOverhead() - 1, out _));
            Assert.Throws<ArgumentOutOfRangeException>(() => sender.ProtectRtp(buffer, 101, out _));
        }
    }

    [Theory]
    [MemberData(nameof(Profiles), MemberType = typeof(SrtpTestData))]
    public void Ssrc_count_is_bounded_and_forgeries_do_not_consume_it(SrtpProtectionProfile profile)
    {
        var (sender, receiver) = Pair(profile, maxSsrcs: 2);
        using (sender)
        using (receiver)
        {
            // Forged packets from many SSRCs create no state.
            for (uint ssrc = 100; ssrc < 150; ssrc++)
            {
                Assert.Equal(SrtpResult.AuthenticationFailed, UnprotectRtp(receiver, BuildRtp(1, ssrc, 40)).Result);
            }
            Assert.Equal(0, receiver.SsrcCount);

            Assert.Equal(SrtpResult.Ok, UnprotectRtp(receiver, ProtectRtp(sender, BuildRtp(1, 1, 10))).Result);
            Assert.Equal(SrtpResult.Ok, UnprotectRtp(receiver, ProtectRtp(sender, BuildRtp(1, 2, 10))).Result);
            Assert.Equal(2, receiver.SsrcCount);

            var buffer = new byte[100];
            BuildRtp(1, 3, 10).CopyTo(buffer, 0);
            Assert.Equal(SrtpResult.TooManySsrcs, sender.ProtectRtp(buffer, 22, out _));
            Assert.Equal(SrtpResult.TooManySsrcs, UnprotectRtp(receiver, BuildRtp(1, 3, 40)).Result);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles), MemberType = typeof(SrtpTestData))]
    public void Srtcp_index_limit_is_enforced(SrtpProtectionProfile profile)
    {
        var (sender, receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            sender.SetNextSrtcpIndex(7, 0x7FFF_FFFF);
            var last = ProtectRtcp(sender, RtcpReceiverReport(7));
            Assert.Equal(SrtpResult.Ok, UnprotectRtcp(receiver, last).Result);
            var buffer = new byte[100];
            RtcpReceiverReport(7).CopyTo(buffer, 0);
            Assert.Equal(SrtpResult.KeyLimitReached, sender.ProtectRtcp(buffer, 32, out _));
        }
    }

    [Fact]
    public void Create_validates_key_and_salt_lengths()
    {
        Assert.Throws<ArgumentException>(() => SrtpContext.Create(SrtpProtectionProfile.AeadAes256Gcm, new byte[16], new byte[12]));
        Assert.Throws<ArgumentException>(() => SrtpContext.Create(SrtpProtectionProfile.AesCm128HmacSha1_80, new byte[16], new byte[12]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SrtpContext.Create((SrtpProtectionProfile)0x0002, new byte[16], new byte[14]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SrtpContext.Create(SrtpProtectionProfile.AeadAes128Gcm, new byte[16], new byte[12], replayWindowSize: 100));
        using var ok = SrtpContext.Create(SrtpProtectionProfile.AeadAes256Gcm, new byte[32], new byte[12]);
        Assert.Equal(SrtpProtectionProfile.AeadAes256Gcm, ok.Profile);
    }

    [Fact]
    public void Profile_parameters_match_rfc_5764_and_7714()
    {
        Assert.Equal((16, 14, 10, 10, 14),
            (SrtpProtectionProfile.AesCm128HmacSha1_80.MasterKeyLength(), SrtpProtectionProfile.AesCm128HmacSha1_80.MasterSaltLength(),
             SrtpProtectionProfile.AesCm128HmacSha1_80.AuthTagLength(), SrtpProtectionProfile.AesCm128HmacSha1_80.MaxRtpOverhead(),
             SrtpProtectionProfile.AesCm128HmacSha1_80.MaxRtcpOverhead()));
        Assert.Equal((16, 12, 16, 16, 20),
            (SrtpProtectionProfile.AeadAes128Gcm.MasterKeyLength(), SrtpProtectionProfile.AeadAes128Gcm.MasterSaltLength(),
             SrtpProtectionProfile.AeadAes128Gcm.AuthTagLength(), SrtpProtectionProfile.AeadAes128Gcm.MaxRtpOverhead(),
             SrtpProtectionProfile.AeadAes128Gcm.MaxRtcpOverhead()));
        Assert.Equal((32, 12, 16), (SrtpProtectionProfile.AeadAes256Gcm.MasterKeyLength(),
            SrtpProtectionProfile.AeadAes256Gcm.MasterSaltLength(), SrtpProtectionProfile.AeadAes256Gcm.AuthTagLength()));
        Assert.Equal((ushort)0x0001, (ushort)SrtpProtectionProfile.AesCm128HmacSha1_80);
        Assert.Equal((ushort)0x0007, (ushort)SrtpProtectionProfile.AeadAes128Gcm);
        Assert.Equal((ushort)0x0008, (ushort)SrtpProtectionProfile.AeadAes256Gcm);
        // DESIGN.md §9: the RFC 5764 §4.2 key block is 2 * (key + salt): 56 B for AES-128-GCM, 60 B for CM-SHA1-80.
        Assert.Equal(56, 2 * (SrtpProtectionProfile.AeadAes128Gcm.MasterKeyLength() + SrtpProtectionProfile.AeadAes128Gcm.MasterSaltLength()));
        Assert.Equal(60, 2 * (SrtpProtectionProfile.AesCm128HmacSha1_80.MasterKeyLength() + SrtpProtectionProfile.AesCm128HmacSha1_80.MasterSaltLength()));
    }

    [Fact]
    public void Replay_check_hook_lets_the_same_packet_through_only_when_disabled()
    {
        var (sender, receiver) = Pair(SrtpProtectionProfile.AeadAes128Gcm);
        using (sender)
        using (receiver)
        {
            var packet = ProtectRtp(sender, BuildRtp(1, 1, 10));
            Assert.Equal(SrtpResult.Ok, UnprotectRtp(receiver, packet).Result);
            Assert.Equal(SrtpResult.Replayed, UnprotectRtp(receiver, packet).Result);
            receiver.ReplayCheckEnabled = false;
            Assert.Equal(SrtpResult.Ok, UnprotectRtp(receiver, packet).Result);
        }
    }
}
