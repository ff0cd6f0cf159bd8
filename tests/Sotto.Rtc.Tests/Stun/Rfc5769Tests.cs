using System.Net;
using System.Text;
using Sotto.Rtc.Stun;
using static Sotto.Rtc.Tests.Stun.StunTestData;

namespace Sotto.Rtc.Tests.Stun;

/// <summary>
/// RFC 5769, "Test Vectors for Session Traversal Utilities for NAT (STUN)", R. Denis-Courmont,
/// April 2010, §2.1–§2.4. Bytes copied from the RFC text (https://www.rfc-editor.org/rfc/rfc5769,
/// Copyright (c) 2010 IETF Trust and the persons identified as the document authors, Simplified BSD
/// License). The padding of SOFTWARE and USERNAME in §2.1–2.3 is 0x20 in the RFC, on purpose.
/// </summary>
public sealed class Rfc5769Tests
{
    private static readonly byte[] TransactionId = Hex("b7 e7 a7 01 bc 34 d6 86 fa 87 df ae");

    /// <summary>§2: the short-term password of §2.1–2.3 ("VOkJxbRl1RmTxUk/WvJxBt").</summary>
    private static readonly byte[] ShortTermKey = Encoding.UTF8.GetBytes("VOkJxbRl1RmTxUk/WvJxBt");

    /// <summary>§2.1 Sample Request.</summary>
    internal static readonly byte[] SampleRequest = Hex("""
        00 01 00 58  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae
        80 22 00 10  53 54 55 4e  20 74 65 73  74 20 63 6c  69 65 6e 74
        00 24 00 04  6e 00 01 ff
        80 29 00 08  93 2f f9 b1  51 26 3b 36
        00 06 00 09  65 76 74 6a  3a 68 36 76  59 20 20 20
        00 08 00 14  9a ea a7 0c  bf d8 cb 56  78 1e f2 b5  b2 d3 f2 49  c1 b5 71 a2
        80 28 00 04  e5 7a 3b cf
        """);

    /// <summary>§2.2 Sample IPv4 Response.</summary>
    internal static readonly byte[] SampleIPv4Response = Hex("""
        01 01 00 3c  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae
        80 22 00 0b  74 65 73 74  20 76 65 63  74 6f 72 20
        00 20 00 08  00 01 a1 47  e1 12 a6 43
        00 08 00 14  2b 91 f5 99  fd 9e 90 c3  8c 74 89 f9  2a f9 ba 53  f0 6b e7 d7
        80 28 00 04  c0 7d 4c 96
        """);

    /// <summary>§2.3 Sample IPv6 Response.</summary>
    internal static readonly byte[] SampleIPv6Response = Hex("""
        01 01 00 48  21 12 a4 42  b7 e7 a7 01  bc 34 d6 86  fa 87 df ae
        80 22 00 0b  74 65 73 74  20 76 65 63  74 6f 72 20
        00 20 00 14  00 02 a1 47  01 13 a9 fa  a5 d3 f1 79  bc 25 f4 b5  be d2 b9 d9
        00 08 00 14  a3 82 95 4e  4b e6 7b f1  17 84 c9 7c  82 92 c2 75  bf e3 ed 41
        80 28 00 04  c8 fb 0b 4c
        """);

    /// <summary>§2.4 Sample Request with Long-Term Authentication.</summary>
    internal static readonly byte[] SampleLongTermRequest = Hex("""
        00 01 00 60  21 12 a4 42  78 ad 34 33  c6 ad 72 c0  29 da 41 2e
        00 06 00 12  e3 83 9e e3  83 88 e3 83  aa e3 83 83  e3 82 af e3  82 b9 00 00
        00 15 00 1c  66 2f 2f 34  39 39 6b 39  35 34 64 36  4f 4c 33 34  6f 4c 39 46  53 54 76 79  36 34 73 41
        00 14 00 0b  65 78 61 6d  70 6c 65 2e  6f 72 67 00
        00 08 00 14  f6 70 24 65  6d d6 4a 3e  02 b8 e0 71  2e 85 c9 a2  8c a8 96 66
        """);

    [Fact]
    public void Sample_request_parses_with_its_attributes()
    {
        Assert.True(StunMessage.TryParse(SampleRequest, out var message));
        Assert.Equal(StunMethod.Binding, message.Method);
        Assert.Equal(StunMessageClass.Request, message.Class);
        Assert.Equal(TransactionId, message.TransactionId.ToArray());
        Assert.True(message.TryGetAttribute(StunAttributeType.Software, out var software));
        Assert.Equal("STUN test client", Encoding.UTF8.GetString(software));
        Assert.True(message.TryGetPriority(out var priority));
        Assert.Equal(0x6e0001ffu, priority);
        Assert.True(message.TryGetIceControlled(out var tieBreaker));
        Assert.Equal(0x932ff9b151263b36UL, tieBreaker);
        Assert.False(message.TryGetIceControlling(out _));
        Assert.False(message.HasUseCandidate);
        Assert.True(message.TryGetUsername(out var username));
        Assert.Equal("evtj:h6vY", Encoding.UTF8.GetString(username));
        Assert.True(IceUsername.TrySplit(username, out var local, out var remote));
        Assert.Equal("evtj", Encoding.UTF8.GetString(local));
        Assert.Equal("h6vY", Encoding.UTF8.GetString(remote));
        Assert.Equal(0, message.UnknownComprehensionRequiredCount);
    }

    [Fact]
    public void Sample_request_integrity_and_fingerprint_verify_and_a_wrong_password_fails()
    {
        Assert.True(StunMessage.TryParse(SampleRequest, out var message));
        Assert.True(message.VerifyMessageIntegrity(ShortTermKey));
        Assert.True(message.VerifyFingerprint());
        Assert.False(message.VerifyMessageIntegrity("VOkJxbRl1RmTxUk/WvJxBT"u8));
        Assert.False(message.VerifyMessageIntegrity([]));
    }

    [Fact]
    public void Sample_ipv4_response_maps_192_0_2_1_port_32853()
    {
        Assert.True(StunMessage.TryParse(SampleIPv4Response, out var message));
        Assert.Equal(StunMessageClass.SuccessResponse, message.Class);
        Assert.True(message.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(StunAddressFamily.IPv4, mapped.Family);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), mapped.ToEndPoint());
        Assert.True(message.VerifyMessageIntegrity(ShortTermKey));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void Sample_ipv6_response_maps_2001_db8_port_32853()
    {
        Assert.True(StunMessage.TryParse(SampleIPv6Response, out var message));
        Assert.True(message.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(StunAddressFamily.IPv6, mapped.Family);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853), mapped.ToEndPoint());
        Assert.True(message.VerifyMessageIntegrity(ShortTermKey));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void Sample_long_term_request_verifies_with_the_md5_key()
    {
        Assert.True(StunMessage.TryParse(SampleLongTermRequest, out var message));
        Assert.True(message.TryGetUsername(out var username));
        Assert.Equal("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9", Encoding.UTF8.GetString(username));
        Assert.True(message.TryGetAttribute(StunAttributeType.Nonce, out var nonce));
        Assert.Equal("f//499k954d6OL34oL9FSTvy64sA", Encoding.UTF8.GetString(nonce));
        Assert.True(message.TryGetAttribute(StunAttributeType.Realm, out var realm));
        Assert.Equal("example.org", Encoding.UTF8.GetString(realm));
        Assert.False(message.HasFingerprint);
        Assert.False(message.VerifyFingerprint());

        // §2.4: the password "The<U+00AD>M<U+00AA>tr<U+2168>" becomes "TheMatrIX" after SASLprep.
        Span<byte> key = stackalloc byte[StunLongTermCredential.KeyLength];
        StunLongTermCredential.DeriveKey("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9", "example.org", "TheMatrIX", key);
        Assert.True(message.VerifyMessageIntegrity(key));
        StunLongTermCredential.DeriveKey("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9", "example.org", "thematrix", key);
        Assert.False(message.VerifyMessageIntegrity(key));
    }

    [Fact]
    public void Writer_reproduces_the_ipv4_response_byte_for_byte()
    {
        // Same attributes, same order; only the padding differs (the RFC pads SOFTWARE with 0x20,
        // we pad with zeros as §14 recommends), and MESSAGE-INTEGRITY / FINGERPRINT cover padding.
        var buffer = new byte[128];
        Assert.True(StunMessageWriter.TryCreate(buffer, StunMethod.Binding, StunMessageClass.SuccessResponse, TransactionId, out var writer));
        Assert.True(writer.TryAddAttribute(StunAttributeType.Software, "test vector"u8));
        Assert.True(writer.TryAddXorMappedAddress(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853)));
        Assert.True(writer.TryAddMessageIntegrity(ShortTermKey));
        Assert.True(writer.TryAddFingerprint());
        var written = writer.WrittenSpan.ToArray();

        Assert.Equal(SampleIPv4Response.Length, written.Length);
        Assert.Equal(SampleIPv4Response.AsSpan(0, 35).ToArray(), written.AsSpan(0, 35).ToArray());
        Assert.Equal(0, written[35]); // our padding
        Assert.Equal(SampleIPv4Response.AsSpan(36, 12).ToArray(), written.AsSpan(36, 12).ToArray()); // XOR-MAPPED-ADDRESS
        Assert.True(StunMessage.TryParse(written, out var parsed));
        Assert.True(parsed.VerifyMessageIntegrity(ShortTermKey));
        Assert.True(parsed.VerifyFingerprint());
    }

    [Fact]
    public void Writer_reproduces_the_ipv6_mapped_address_bytes()
    {
        var buffer = new byte[128];
        Assert.True(StunMessageWriter.TryCreate(buffer, StunMethod.Binding, StunMessageClass.SuccessResponse, TransactionId, out var writer));
        Assert.True(writer.TryAddXorMappedAddress(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853)));
        Assert.Equal(SampleIPv6Response.AsSpan(36, 24).ToArray(), writer.WrittenSpan[20..].ToArray());
    }
}
