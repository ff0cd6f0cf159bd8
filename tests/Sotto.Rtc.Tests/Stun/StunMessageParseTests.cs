using System.Buffers.Binary;
using System.Text;
using Sotto.Rtc.Stun;
using static Sotto.Rtc.Tests.Stun.StunTestData;

namespace Sotto.Rtc.Tests.Stun;

public sealed class StunMessageParseTests
{
    private static readonly byte[] TransactionId = [12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1];

    private static byte[] Build(Action<StunMessageWriterAdapter> add)
    {
        var buffer = new byte[512];
        Assert.True(StunMessageWriter.TryCreate(buffer, StunMethod.Binding, StunMessageClass.Request, TransactionId, out var writer));
        var adapter = new StunMessageWriterAdapter();
        add(adapter);
        foreach (var (type, value) in adapter.Attributes)
        {
            Assert.True(writer.TryAddAttribute(type, value));
        }
        if (adapter.Key is not null)
        {
            Assert.True(writer.TryAddMessageIntegrity(adapter.Key));
        }
        if (adapter.Fingerprint)
        {
            Assert.True(writer.TryAddFingerprint());
        }
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Collects attributes for <see cref="Build"/> (a ref struct writer cannot cross a lambda).</summary>
    private sealed class StunMessageWriterAdapter
    {
        public List<(ushort Type, byte[] Value)> Attributes { get; } = [];
        public byte[]? Key { get; set; }
        public bool Fingerprint { get; set; }
        public void Add(ushort type, byte[] value) => Attributes.Add((type, value));
    }

    [Fact]
    public void Chromium_shaped_check_from_an_independent_encoder_verifies()
    {
        // Built by TestData/fuzz/make_seeds.py with Python's hmac and zlib, not by our writer.
        var datagram = Seed("chromium-binding-request-use-candidate.bin");
        Assert.True(StunMessage.IsStun(datagram));
        Assert.True(StunMessage.TryParse(datagram, out var message));
        Assert.True(message.TryGetUsername(out var username));
        Assert.Equal(SeedUsername, Encoding.UTF8.GetString(username));
        Assert.True(message.HasUseCandidate);
        Assert.True(message.TryGetIceControlling(out _));
        Assert.True(message.HasAttribute(StunAttributeType.GoogNetworkInfo));
        Assert.Equal(0, message.UnknownComprehensionRequiredCount);
        Assert.True(message.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(SeedPassword)));
        Assert.False(message.VerifyMessageIntegrity("sottoIcePasswordFor24chR"u8));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void Unknown_comprehension_required_attributes_are_reported_optional_ones_are_not()
    {
        var datagram = Build(b =>
        {
            b.Add(0xC057, [0, 1, 0, 10]);    // optional, Chromium's network info
            b.Add(0x7F01, [1, 2, 3]);        // required, unknown
            b.Add(StunAttributeType.UserHash, new byte[32]); // required, not implemented
            b.Add(StunAttributeType.Username, "a:b"u8.ToArray());
        });
        Assert.True(StunMessage.TryParse(datagram, out var message));
        Assert.Equal(2, message.UnknownComprehensionRequiredCount);
        Span<ushort> unknown = stackalloc ushort[4];
        var count = message.CopyUnknownComprehensionRequired(unknown);
        Assert.Equal([0x7F01, StunAttributeType.UserHash], unknown[..count].ToArray());
        Assert.Equal(1, message.CopyUnknownComprehensionRequired(unknown[..1]));

        var clean = Build(b => b.Add(0xC057, [0, 1, 0, 10])); // positive control: nothing to report
        Assert.True(StunMessage.TryParse(clean, out var cleanMessage));
        Assert.Equal(0, cleanMessage.UnknownComprehensionRequiredCount);
    }

    [Fact]
    public void Attributes_after_message_integrity_are_ignored_except_fingerprint()
    {
        var key = "pw"u8.ToArray();
        var signed = Build(b =>
        {
            b.Add(StunAttributeType.Priority, [0, 0, 0, 1]);
            b.Key = key;
        });
        // Append PRIORITY, USE-CANDIDATE and an unknown required attribute after MESSAGE-INTEGRITY.
        byte[] extra = [0x00, 0x24, 0x00, 0x04, 0, 0, 0, 2, 0x00, 0x25, 0x00, 0x00, 0x7F, 0x01, 0x00, 0x00];
        var tampered = signed.Concat(extra).ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(tampered.AsSpan(2), (ushort)(tampered.Length - 20));

        Assert.True(StunMessage.TryParse(tampered, out var message));
        Assert.True(message.VerifyMessageIntegrity(key));
        Assert.True(message.TryGetPriority(out var priority));
        Assert.Equal(1u, priority);
        Assert.False(message.HasUseCandidate);
        Assert.Equal(0, message.UnknownComprehensionRequiredCount);
        var all = 0;
        foreach (var attribute in message.Attributes)
        {
            all++;
        }
        Assert.Equal(5, all); // enumeration is the raw wire view
    }

    [Fact]
    public void First_occurrence_of_a_repeated_attribute_wins()
    {
        var datagram = Build(b =>
        {
            b.Add(StunAttributeType.Priority, [0, 0, 0, 1]);
            b.Add(StunAttributeType.Priority, [0, 0, 0, 2]);
        });
        Assert.True(StunMessage.TryParse(datagram, out var message));
        Assert.True(message.TryGetPriority(out var priority));
        Assert.Equal(1u, priority);
    }

    public static TheoryData<string, Func<byte[], byte[]>> Malformations => new()
    {
        { "shorter than a header", d => d[..19] },
        { "top bits set", d => { d[0] |= 0x80; return d; } },
        { "bad magic cookie", d => { d[4] ^= 1; return d; } },
        { "length not a multiple of 4", d => { d[3] += 1; return d.Concat(new byte[1]).ToArray(); } },
        { "length longer than datagram", d => { d[3] += 4; return d; } },
        { "length shorter than datagram", d => d.Concat(new byte[4]).ToArray() },
        { "attribute overruns the message", d => { d[23] = 0xFF; return d; } },
        { "attribute after fingerprint", d => AppendAfter(d, [0x00, 0x24, 0x00, 0x04, 0, 0, 0, 1]) },
        { "message integrity of 16 bytes", d => ReplaceIntegrityLength(d, 16) },
        { "truncated by one byte", d => d[..^1] },
    };

    [Theory]
    [MemberData(nameof(Malformations))]
    public void Malformed_messages_are_refused(string why, Func<byte[], byte[]> corrupt)
    {
        var valid = Build(b =>
        {
            b.Add(StunAttributeType.Username, "ab:cd"u8.ToArray());
            b.Key = [1, 2, 3];
            b.Fingerprint = true;
        });
        Assert.True(StunMessage.TryParse(valid, out _), "positive control");
        Assert.False(StunMessage.TryParse(corrupt((byte[])valid.Clone()), out _), why);
    }

    private static byte[] AppendAfter(byte[] datagram, byte[] attribute)
    {
        var result = datagram.Concat(attribute).ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(2), (ushort)(result.Length - 20));
        return result;
    }

    private static byte[] ReplaceIntegrityLength(byte[] datagram, ushort length)
    {
        // USERNAME "ab:cd" takes 4 + 8 bytes, so MESSAGE-INTEGRITY starts at 32.
        Assert.Equal(StunAttributeType.MessageIntegrity, BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(32)));
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(34), length);
        return datagram;
    }

    [Fact]
    public void Is_stun_distinguishes_stun_from_rtp_and_dtls()
    {
        Assert.True(StunMessage.IsStun(Rfc5769Tests.SampleRequest));
        Assert.False(StunMessage.IsStun([0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]));
        Assert.False(StunMessage.IsStun([0x16, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
        Assert.False(StunMessage.IsStun([]));
    }

    [Fact]
    public void Error_code_value_parse_rejects_bad_class_and_number()
    {
        Assert.True(StunErrorCode.TryParse([0, 0, 4, 20], out var ok));
        Assert.Equal(420, ok.Code);
        Assert.False(StunErrorCode.TryParse([0, 0, 2, 0], out _));   // class 2
        Assert.False(StunErrorCode.TryParse([0, 0, 7, 0], out _));   // class 7
        Assert.False(StunErrorCode.TryParse([0, 0, 4, 100], out _)); // number 100
        Assert.False(StunErrorCode.TryParse([0, 0, 4], out _));
    }

    [Fact]
    public void Address_values_with_a_bad_family_or_length_are_refused()
    {
        Assert.True(StunAddress.TryRead([0, 1, 0, 80, 127, 0, 0, 1], out var ok));
        Assert.Equal(80, ok.Port);
        Assert.False(StunAddress.TryRead([0, 3, 0, 80, 127, 0, 0, 1], out _));
        Assert.False(StunAddress.TryRead([0, 1, 0, 80, 127, 0, 0], out _));
        Assert.False(StunAddress.TryRead([0, 2, 0, 80, 127, 0, 0, 1], out _));
        Assert.False(StunAddress.TryReadXor([0, 1, 0, 80, 127, 0, 0, 1], [1, 2, 3], out _));
    }
}
