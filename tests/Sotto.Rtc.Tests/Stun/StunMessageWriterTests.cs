using System.Net;
using System.Text;
using Sotto.Rtc.Stun;

namespace Sotto.Rtc.Tests.Stun;

public sealed class StunMessageWriterTests
{
    private static readonly byte[] TransactionId = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("a-24-character-password!");

    [Theory]
    [InlineData(StunMessageClass.Request, 0x0001)]
    [InlineData(StunMessageClass.Indication, 0x0011)]
    [InlineData(StunMessageClass.SuccessResponse, 0x0101)]
    [InlineData(StunMessageClass.ErrorResponse, 0x0111)]
    public void Binding_types_encode_as_in_rfc_8489_section_6(StunMessageClass messageClass, int expectedType)
    {
        Assert.Equal(expectedType, StunMessageType.Encode(StunMethod.Binding, messageClass));
        Assert.Equal(messageClass, StunMessageType.GetClass((ushort)expectedType));
        Assert.Equal(StunMethod.Binding, StunMessageType.GetMethod((ushort)expectedType));
    }

    [Fact]
    public void Every_method_and_class_round_trips_through_the_interleaved_type()
    {
        for (var method = 0; method <= StunMessageType.MaxMethod; method++)
        {
            for (var c = 0; c < 4; c++)
            {
                var type = StunMessageType.Encode((StunMethod)method, (StunMessageClass)c);
                Assert.True(type < 0x4000);
                Assert.Equal(method, (int)StunMessageType.GetMethod(type));
                Assert.Equal(c, (int)StunMessageType.GetClass(type));
            }
        }
    }

    [Fact]
    public void A_check_with_every_ice_attribute_round_trips_and_does_not_alias_the_source()
    {
        var buffer = new byte[256];
        Assert.True(StunMessageWriter.TryCreate(buffer, StunMethod.Binding, StunMessageClass.Request, TransactionId, out var writer));
        Assert.True(writer.TryAddUsername("remote:local"u8));
        Assert.True(writer.TryAddAttribute(StunAttributeType.GoogNetworkInfo, [0, 1, 0, 10]));
        Assert.True(writer.TryAddIceControlling(0x0102030405060708));
        Assert.True(writer.TryAddUseCandidate());
        Assert.True(writer.TryAddPriority(0x6E7F1EFF));
        Assert.True(writer.TryAddMessageIntegrity(Key));
        Assert.True(writer.TryAddFingerprint());
        var datagram = writer.WrittenSpan.ToArray();
        Array.Fill(buffer, (byte)0xAA); // overwrite the source: the copy must not change

        Assert.True(StunMessage.TryParse(datagram, out var message));
        Assert.Equal(StunMessageClass.Request, message.Class);
        Assert.Equal(TransactionId, message.TransactionId.ToArray());
        Assert.True(message.TryGetUsername(out var username));
        Assert.Equal("remote:local"u8.ToArray(), username.ToArray());
        Assert.True(message.TryGetIceControlling(out var tieBreaker));
        Assert.Equal(0x0102030405060708UL, tieBreaker);
        Assert.True(message.HasUseCandidate);
        Assert.True(message.TryGetPriority(out var priority));
        Assert.Equal(0x6E7F1EFFu, priority);
        Assert.Equal(0, message.UnknownComprehensionRequiredCount); // 0xC057 is comprehension-optional
        Assert.True(message.VerifyMessageIntegrity(Key));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void Ice_controlled_round_trips()
    {
        var buffer = new byte[64];
        Assert.True(StunMessageWriter.TryCreate(buffer, StunMethod.Binding, StunMessageClass.Request, TransactionId, out var writer));
        Assert.True(writer.TryAddIceControlled(ulong.MaxValue));
        var datagram = writer.WrittenSpan.ToArray();
        Array.Clear(buffer);
        Assert.True(StunMessage.TryParse(datagram, out var message));
        Assert.True(message.TryGetIceControlled(out var tieBreaker));
        Assert.Equal(ulong.MaxValue, tieBreaker);
        Assert.False(message.HasMessageIntegrity);
        Assert.False(message.VerifyMessageIntegrity(Key));
    }

    [Theory]
    [InlineData("127.0.0.1", 50123)]
    [InlineData("0.0.0.0", 0)]
    [InlineData("255.255.255.255", 65535)]
    [InlineData("::1", 1)]
    [InlineData("fe80::1234:5678:9abc:def0", 9)]
    [InlineData("2001:db8::", 3478)]
    public void Xor_mapped_and_mapped_addresses_round_trip(string ip, int port)
    {
        var endPoint = new IPEndPoint(IPAddress.Parse(ip), port);
        var buffer = new byte[128];
        Assert.True(StunMessageWriter.TryCreate(buffer, StunMethod.Binding, StunMessageClass.SuccessResponse, TransactionId, out var writer));
        Assert.True(writer.TryAddXorMappedAddress(endPoint));
        Assert.True(writer.TryAddMappedAddress(StunAddress.FromEndPoint(endPoint)));
        var datagram = writer.WrittenSpan.ToArray();
        Array.Fill(buffer, (byte)0x55);

        Assert.True(StunMessage.TryParse(datagram, out var message));
        Assert.True(message.TryGetXorMappedAddress(out var xorMapped));
        Assert.Equal(endPoint, xorMapped.ToEndPoint());
        Assert.True(message.TryGetMappedAddress(out var mapped));
        Assert.Equal(endPoint, mapped.ToEndPoint());
        Assert.Equal(xorMapped, mapped);
    }

    [Fact]
    public void An_ipv4_mapped_ipv6_endpoint_is_written_as_ipv4()
    {
        // A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; the peer expects family 0x01.
        var address = StunAddress.FromEndPoint(new IPEndPoint(IPAddress.Parse("::ffff:192.0.2.7"), 4000));
        Assert.Equal(StunAddressFamily.IPv4, address.Family);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 4000), address.ToEndPoint());
    }

    [Theory]
    [InlineData(400, "Bad Request")]
    [InlineData(401, "Unauthorized")]
    [InlineData(420, "")]
    [InlineData(487, "Role Conflict")]
    [InlineData(699, "x")]
    [InlineData(300, "Try Alternate")]
    public void Error_responses_round_trip_with_unknown_attributes(int code, string reason)
    {
        var buffer = new byte[128];
        Assert.True(StunMessageWriter.TryCreate(buffer, StunMethod.Binding, StunMessageClass.ErrorResponse, TransactionId, out var writer));
        Assert.True(writer.TryAddErrorCode(code, Encoding.UTF8.GetBytes(reason)));
        Assert.True(writer.TryAddUnknownAttributes([0x7F01, 0x001E, 0x0003]));
        Assert.True(writer.TryAddFingerprint());
        var datagram = writer.WrittenSpan.ToArray();
        Array.Clear(buffer);

        Assert.True(StunMessage.TryParse(datagram, out var message));
        Assert.Equal(StunMessageClass.ErrorResponse, message.Class);
        Assert.True(message.TryGetErrorCode(out var error));
        Assert.Equal(code, error.Code);
        Assert.Equal(reason, Encoding.UTF8.GetString(error.Reason));
        Assert.True(message.TryGetAttribute(StunAttributeType.UnknownAttributes, out var unknown));
        Assert.Equal(new byte[] { 0x7F, 0x01, 0x00, 0x1E, 0x00, 0x03 }, unknown.ToArray());
        Assert.True(message.VerifyFingerprint());
    }

    [Theory]
    [InlineData(299)]
    [InlineData(700)]
    [InlineData(0)]
    public void Error_codes_outside_300_to_699_are_refused(int code)
    {
        var buffer = new byte[64];
        Assert.True(StunMessageWriter.TryCreate(buffer, StunMethod.Binding, StunMessageClass.ErrorResponse, TransactionId, out var writer));
        Assert.False(writer.TryAddErrorCode(code, "x"u8));
        Assert.Equal(StunMessage.HeaderLength, writer.Length);
        Assert.True(writer.TryAddErrorCode(400, "x"u8)); // positive control
    }

    [Fact]
    public void Attribute_values_are_zero_padded_to_32_bits()
    {
        var buffer = new byte[64];
        Array.Fill(buffer, (byte)0xFF);
        Assert.True(StunMessageWriter.TryCreate(buffer, StunMethod.Binding, StunMessageClass.Request, TransactionId, out var writer));
        Assert.True(writer.TryAddUsername("abcde"u8));
        Assert.Equal(20 + 4 + 8, writer.Length);
        Assert.Equal(new byte[] { 0, 0, 0 }, writer.WrittenSpan[29..32].ToArray());
        Assert.Equal(12, writer.WrittenSpan[3]);
    }

    [Fact]
    public void Ordering_rules_nothing_after_fingerprint_only_fingerprint_after_integrity()
    {
        var buffer = new byte[128];
        Assert.True(StunMessageWriter.TryCreate(buffer, StunMethod.Binding, StunMessageClass.Request, TransactionId, out var writer));
        Assert.True(writer.TryAddPriority(1));
        Assert.True(writer.TryAddMessageIntegrity(Key));
        Assert.False(writer.TryAddPriority(2));
        Assert.False(writer.TryAddMessageIntegrity(Key));
        Assert.True(writer.TryAddFingerprint());
        Assert.False(writer.TryAddFingerprint());
        Assert.False(writer.TryAddUseCandidate());
        Assert.True(StunMessage.TryParse(writer.WrittenSpan, out var message));
        Assert.True(message.VerifyMessageIntegrity(Key));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void A_buffer_too_small_is_answered_with_false_and_leaves_the_message_intact()
    {
        Assert.False(StunMessageWriter.TryCreate(new byte[19], StunMethod.Binding, StunMessageClass.Request, TransactionId, out _));
        Assert.False(StunMessageWriter.TryCreate(new byte[20], StunMethod.Binding, StunMessageClass.Request, TransactionId.AsSpan(0, 11), out _));
        var buffer = new byte[31];
        Assert.True(StunMessageWriter.TryCreate(buffer, StunMethod.Binding, StunMessageClass.Request, TransactionId, out var writer));
        Assert.False(writer.TryAddMessageIntegrity(Key)); // needs 24
        Assert.False(writer.TryAddIceControlling(1));    // needs 12
        Assert.True(writer.TryAddPriority(7));           // 8 fits
        Assert.False(writer.TryAddFingerprint());        // 8 more does not
        Assert.True(StunMessage.TryParse(writer.WrittenSpan, out var message));
        Assert.True(message.TryGetPriority(out var priority));
        Assert.Equal(7u, priority);
    }

    [Fact]
    public void A_flipped_bit_anywhere_breaks_integrity_or_fingerprint()
    {
        var buffer = new byte[128];
        Assert.True(StunMessageWriter.TryCreate(buffer, StunMethod.Binding, StunMessageClass.Request, TransactionId, out var writer));
        Assert.True(writer.TryAddUsername("a:b"u8));
        Assert.True(writer.TryAddPriority(12345));
        Assert.True(writer.TryAddMessageIntegrity(Key));
        Assert.True(writer.TryAddFingerprint());
        var original = writer.WrittenSpan.ToArray();
        Assert.True(StunMessage.TryParse(original, out var intact));
        Assert.True(intact.VerifyMessageIntegrity(Key) && intact.VerifyFingerprint()); // positive control

        for (var bit = 0; bit < original.Length * 8; bit++)
        {
            var copy = (byte[])original.Clone();
            copy[bit / 8] ^= (byte)(1 << (bit % 8));
            if (StunMessage.TryParse(copy, out var message))
            {
                Assert.False(message.VerifyMessageIntegrity(Key) && message.VerifyFingerprint(), $"bit {bit} flipped unnoticed");
            }
        }
    }

    [Fact]
    public void Generated_transaction_ids_are_random()
    {
        Span<byte> a = stackalloc byte[12];
        Span<byte> b = stackalloc byte[12];
        StunMessageWriter.GenerateTransactionId(a);
        StunMessageWriter.GenerateTransactionId(b);
        Assert.False(a.SequenceEqual(b));
    }

    [Fact]
    public void Ice_username_is_written_as_remote_colon_local_and_split_back()
    {
        Span<byte> buffer = stackalloc byte[32];
        Assert.True(IceUsername.TryWrite("srv1"u8, "cli2"u8, buffer, out var written));
        Assert.Equal("srv1:cli2"u8.ToArray(), buffer[..written].ToArray());
        Assert.True(IceUsername.TrySplit(buffer[..written], out var local, out var remote));
        Assert.Equal("srv1"u8.ToArray(), local.ToArray());
        Assert.Equal("cli2"u8.ToArray(), remote.ToArray());
        Assert.False(IceUsername.TryWrite("srv1"u8, "cli2"u8, buffer[..8], out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData(":")]
    [InlineData("abc")]
    [InlineData(":abc")]
    [InlineData("abc:")]
    public void Malformed_ice_usernames_do_not_split(string username)
    {
        Assert.False(IceUsername.TrySplit(Encoding.UTF8.GetBytes(username), out _, out _));
        Assert.True(IceUsername.TrySplit("a:b"u8, out _, out _)); // positive control
    }
}
