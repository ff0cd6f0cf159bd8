using System.Text.Json;
using Sotto.E2ee.Frames;

namespace Sotto.E2ee.Tests.Frames;

/// <summary>
/// The frames the JavaScript side encrypted (web/e2ee/testdata/sotto-frames.json under a fixed base key, historically the interim
/// key, and the "frames"/"kid" sections of sotto-e2ee-vectors.json under a per-sender key): C# must
/// produce the same wire bytes in the same order, and decrypt them back.
/// </summary>
public sealed class FrameVectorTests
{
    private static JsonElement Load(string file)
    {
        using JsonDocument doc = TestData.Load(file);
        return doc.RootElement.Clone();
    }

    private static FrameCodec Codec(JsonElement frame) => frame.GetProperty("codec").GetString() == "audio/opus" ? FrameCodec.Opus : FrameCodec.Vp8;

    private static void CheckFrames(ushort slot, uint epoch, byte[] baseKey, IEnumerable<JsonElement> frames)
    {
        using var sender = new FrameKeyring();
        sender.SetOwnSlot(slot);
        sender.SetSendingKey(epoch, baseKey);
        using var receiver = new FrameKeyring();
        receiver.SetOwnSlot((ushort)(slot + 1));
        receiver.AddReceivingKey(slot, epoch, baseKey);
        int count = 0;
        foreach (JsonElement frame in frames)
        {
            var stream = (MediaStream)frame.GetProperty("stream").GetInt32();
            byte[] plain = frame.GetProperty("plain").Hex();
            var wire = new byte[SenderFrameKey.MaxSealedLength(plain.Length)];
            Assert.True(sender.TryEncrypt(Codec(frame), stream, plain, wire, out int written, out _));
            Assert.Equal(frame.GetProperty("wire").GetString(), TestData.ToHex(wire.AsSpan(0, written)));
            var back = new byte[written];
            Assert.True(receiver.TryDecrypt(Codec(frame), slot, stream, wire.AsSpan(0, written), back, out int length, out _));
            Assert.Equal(plain, back[..length]);
            count++;
        }
        Assert.True(count >= 3);
    }

    [Fact]
    public void Frames_from_sotto_frames_json_match_byte_for_byte()
    {
        JsonElement root = Load("web/sotto-frames.json");
        JsonElement sender = root.GetProperty("sender");
        CheckFrames((ushort)sender.GetProperty("slot").GetInt32(), sender.GetProperty("epoch").GetUInt32(),
            root.GetProperty("interim_media_key").Hex(), root.GetProperty("frames").EnumerateArray());
    }

    [Fact]
    public void Sender_key_frames_from_sotto_e2ee_vectors_match_byte_for_byte()
    {
        JsonElement frames = Load("web/sotto-e2ee-vectors.json").GetProperty("frames");
        CheckFrames((ushort)frames.GetProperty("slot").GetInt32(), frames.GetProperty("epoch").GetUInt32(),
            frames.GetProperty("base_key").Hex(), frames.GetProperty("in_order").EnumerateArray());
    }

    [Fact]
    public void Kid_and_header_examples_match()
    {
        int count = 0;
        Span<byte> header = stackalloc byte[SFrameHeader.MaxLength];
        foreach (JsonElement v in Load("web/sotto-e2ee-vectors.json").GetProperty("kid").EnumerateArray())
        {
            ulong kid = Kid.Make((ushort)v.GetProperty("slot").GetInt32(), (MediaStream)v.GetProperty("stream").GetInt32(), v.GetProperty("epoch").GetUInt32());
            Assert.Equal(Convert.ToUInt64(v.GetProperty("kid").GetString(), 16), kid);
            Assert.True(SFrameHeader.TryWrite(kid, v.GetProperty("ctr").GetUInt64(), header, out int written));
            Assert.Equal(v.GetProperty("header").GetString(), TestData.ToHex(header[..written]));
            count++;
        }
        Assert.Equal(3, count);
        // §S7's own examples.
        Assert.Equal(0x010100UL, Kid.Make(1, MediaStream.Camera, 0));
        Assert.True(SFrameHeader.TryWrite(0x010100, 300, header, out int n));
        Assert.Equal("a9010100012c", TestData.ToHex(header[..n]));
    }
}
