using Sotto.Rtc.Srtp;

namespace Sotto.Rtc.Tests.Srtp;

/// <summary>Hex helpers and packet builders shared by the SRTP tests.</summary>
internal static class SrtpTestData
{
    /// <summary>Parses hex written the way RFCs print it: spaces and line breaks allowed.</summary>
    public static byte[] Hex(string text) =>
        Convert.FromHexString(string.Concat(text.Where(c => !char.IsWhiteSpace(c))));

    public static readonly SrtpProtectionProfile[] AllProfiles =
    [
        SrtpProtectionProfile.AeadAes128Gcm,
        SrtpProtectionProfile.AeadAes256Gcm,
        SrtpProtectionProfile.AesCm128HmacSha1_80,
    ];

    public static TheoryData<SrtpProtectionProfile> Profiles()
    {
        var data = new TheoryData<SrtpProtectionProfile>();
        foreach (var profile in AllProfiles)
        {
            data.Add(profile);
        }
        return data;
    }

    /// <summary>Deterministic master key and salt of the right lengths for <paramref name="profile"/>.</summary>
    public static (byte[] Key, byte[] Salt) MasterKeys(SrtpProtectionProfile profile, byte seed = 1)
    {
        var key = new byte[profile.MasterKeyLength()];
        var salt = new byte[profile.MasterSaltLength()];
        for (var i = 0; i < key.Length; i++)
        {
            key[i] = (byte)(seed * 31 + i * 7);
        }
        for (var i = 0; i < salt.Length; i++)
        {
            salt[i] = (byte)(seed * 17 + i * 13 + 5);
        }
        return (key, salt);
    }

    /// <summary>One context keyed with <see cref="MasterKeys"/> (seed 1).</summary>
    public static SrtpContext Context(SrtpProtectionProfile profile, int replayWindowSize = 128, int maxSsrcs = 256)
    {
        var (key, salt) = MasterKeys(profile);
        return SrtpContext.Create(profile, key, salt, replayWindowSize, maxSsrcs);
    }

    /// <summary>A sender and a receiver context for the same master key (one direction of a session).</summary>
    public static (SrtpContext Sender, SrtpContext Receiver) Pair(SrtpProtectionProfile profile, int replayWindowSize = 128, int maxSsrcs = 256)
    {
        return (Context(profile, replayWindowSize, maxSsrcs), Context(profile, replayWindowSize, maxSsrcs));
    }

    /// <summary>
    /// Builds an RTP packet: V=2, PT 96, the given CSRCs, an optional RFC 8285 one-byte extension block
    /// (profile 0xBEDE) of <paramref name="extensionWords"/> words, and a patterned payload.
    /// </summary>
    public static byte[] BuildRtp(ushort sequenceNumber, uint ssrc, int payloadLength, uint[]? csrcs = null, int extensionWords = 0, byte fill = 0)
    {
        csrcs ??= [];
        var extensionLength = extensionWords > 0 ? 4 + extensionWords * 4 : 0;
        var header = 12 + csrcs.Length * 4 + extensionLength;
        var packet = new byte[header + payloadLength];
        packet[0] = (byte)(0x80 | (extensionWords > 0 ? 0x10 : 0) | csrcs.Length);
        packet[1] = 96;
        packet[2] = (byte)(sequenceNumber >> 8);
        packet[3] = (byte)sequenceNumber;
        packet[4] = 0x12; packet[5] = 0x34; packet[6] = 0x56; packet[7] = 0x78; // timestamp
        WriteUInt32(packet, 8, ssrc);
        for (var i = 0; i < csrcs.Length; i++)
        {
            WriteUInt32(packet, 12 + i * 4, csrcs[i]);
        }
        if (extensionWords > 0)
        {
            var at = 12 + csrcs.Length * 4;
            packet[at] = 0xBE; packet[at + 1] = 0xDE;
            packet[at + 2] = (byte)(extensionWords >> 8); packet[at + 3] = (byte)extensionWords;
            for (var i = 0; i < extensionWords * 4; i++)
            {
                packet[at + 4 + i] = (byte)(0xA0 + i);
            }
        }
        for (var i = header; i < packet.Length; i++)
        {
            packet[i] = (byte)(fill + i * 3);
        }
        return packet;
    }

    /// <summary>An RTCP receiver report (PT 201) from <paramref name="ssrc"/> with one report block.</summary>
    public static byte[] RtcpReceiverReport(uint ssrc, byte fill = 0)
    {
        var packet = new byte[32];
        packet[0] = 0x81; packet[1] = 201; packet[2] = 0; packet[3] = 7;
        WriteUInt32(packet, 4, ssrc);
        for (var i = 8; i < packet.Length; i++)
        {
            packet[i] = (byte)(fill + i);
        }
        return packet;
    }

    private static void WriteUInt32(byte[] buffer, int offset, uint value)
    {
        buffer[offset] = (byte)(value >> 24);
        buffer[offset + 1] = (byte)(value >> 16);
        buffer[offset + 2] = (byte)(value >> 8);
        buffer[offset + 3] = (byte)value;
    }

    /// <summary>Protects <paramref name="plain"/> with room to spare and returns exactly the protected octets.</summary>
    public static byte[] ProtectRtp(SrtpContext context, byte[] plain)
    {
        var buffer = new byte[plain.Length + 64];
        plain.CopyTo(buffer, 0);
        Assert.Equal(SrtpResult.Ok, context.ProtectRtp(buffer, plain.Length, out var length));
        return buffer[..length];
    }

    public static byte[] ProtectRtcp(SrtpContext context, byte[] plain)
    {
        var buffer = new byte[plain.Length + 64];
        plain.CopyTo(buffer, 0);
        Assert.Equal(SrtpResult.Ok, context.ProtectRtcp(buffer, plain.Length, out var length));
        return buffer[..length];
    }

    /// <summary>Unprotects a copy of <paramref name="packet"/>; returns the result and the plain octets.</summary>
    public static (SrtpResult Result, byte[] Plain) UnprotectRtp(SrtpContext context, byte[] packet)
    {
        var buffer = (byte[])packet.Clone();
        var result = context.UnprotectRtp(buffer, buffer.Length, out var length);
        return (result, buffer[..length]);
    }

    public static (SrtpResult Result, byte[] Plain) UnprotectRtcp(SrtpContext context, byte[] packet)
    {
        var buffer = (byte[])packet.Clone();
        var result = context.UnprotectRtcp(buffer, buffer.Length, out var length);
        return (result, buffer[..length]);
    }
}
