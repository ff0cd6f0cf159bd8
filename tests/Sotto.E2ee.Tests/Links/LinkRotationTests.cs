using System.Security.Cryptography;
using Sotto.E2ee.Links;
using Sotto.E2ee.Messages;

namespace Sotto.E2ee.Tests.Links;

/// <summary>§S11: concurrent rotations converge; stale ones are refused; the rotate message round-trips.</summary>
public sealed class LinkRotationTests
{
    private sealed class Member(uint gen, byte[]? secret)
    {
        public uint Gen { get; private set; } = gen;
        public byte[]? Secret { get; private set; } = secret;

        public void Offer(uint gen, byte[] secret)
        {
            if (LinkRotation.ShouldAdopt(Gen, Secret, Secret is not null, gen, secret))
                (Gen, Secret) = (gen, secret);
        }
    }

    [Fact]
    public void Concurrent_rotations_converge_whatever_the_delivery_order()
    {
        byte[] start = RandomNumberGenerator.GetBytes(32);
        for (int trial = 0; trial < 50; trial++)
        {
            // Three members rotate at once (each to gen 1 with its own s); every rotate reaches everyone in a random order.
            byte[][] rotated = [.. Enumerable.Range(0, 3).Select(_ => RandomNumberGenerator.GetBytes(32))];
            var members = rotated.Select(s => new Member(1, s)).ToArray();
            foreach (Member m in members)
                foreach (byte[] s in rotated.OrderBy(_ => RandomNumberGenerator.GetInt32(100)))
                    m.Offer(1, s);
            Assert.Single(members.Select(m => Convert.ToHexString(m.Secret!)).Distinct());
        }
        var late = new Member(2, start);
        late.Offer(1, RandomNumberGenerator.GetBytes(32)); // an older generation is refused
        Assert.Equal((2u, start), (late.Gen, late.Secret));
        var withoutSecret = new Member(0, null);
        withoutSecret.Offer(0, start); // C20: any s of my generation when I have none
        Assert.Equal(start, withoutSecret.Secret);
    }

    [Fact]
    public void Rotate_room_code_and_sas_messages_round_trip_and_malformed_ones_drop()
    {
        byte[] s = RandomNumberGenerator.GetBytes(32);
        Assert.True(AppMessage.TryParseRotate(AppMessage.Rotate(new RotateMessage(3, s)), out RotateMessage? rotate));
        Assert.Equal(s, rotate!.Secret);
        Assert.False(AppMessage.TryParseRotate("{\"t\":\"rotate\",\"gen\":1.5,\"s\":\"x\"}"u8, out _));
        byte[] rid = RandomNumberGenerator.GetBytes(32);
        Assert.True(AppMessage.TryParseRoomCode(AppMessage.RoomCodeReveal(new RoomCodeMessage(rid, s)), reveal: true, out RoomCodeMessage? reveal));
        Assert.Equal(rid, reveal!.Rid);
        Assert.False(AppMessage.TryParseRoomCode(AppMessage.RoomCodeReveal(new RoomCodeMessage(rid, s)), reveal: false, out _));
        Assert.True(AppMessage.TryParseSas(AppMessage.Sas(true), out bool match) && match);
        Assert.False(AppMessage.TryParseSas("{\"t\":\"sas\",\"match\":\"yes\"}"u8, out _));
    }
}
