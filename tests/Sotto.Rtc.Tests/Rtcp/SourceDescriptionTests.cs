using System.Text;
using Sotto.Rtc.Rtcp;
using static Sotto.Rtc.Tests.Rtcp.RtcpTestBytes;

namespace Sotto.Rtc.Tests.Rtcp;

public sealed class SourceDescriptionTests
{
    private static readonly byte[] TwoChunks = Hex(
        "82 ca 00 07", // V=2 P=0 SC=2 PT=202 len=7
        "00 00 00 0a", // chunk 1: SSRC 10
        "01 03 61 62", //   CNAME len=3 "ab
        "63 00 00 00", //   c" END + pad to word
        "00 00 00 0b", // chunk 2: SSRC 11
        "01 01 78 06", //   CNAME len=1 "x", TOOL
        "02 53 6f 00", //   len=2 "So", END (already on a word boundary)
        "00 00 00 00"); // a stray word of nulls, refused below, stripped for the other tests

    [Fact]
    public void Reads_the_chromium_shaped_cname_without_copying()
    {
        var reader = new RtcpCompoundReader(RtcpCompoundReaderTests.ChromiumReceiverReportAndCname);
        Assert.True(reader.MoveNext());
        Assert.True(reader.MoveNext());
        Assert.True(SourceDescription.TryParse(reader.Current.Packet, out var sdes));
        Assert.Equal(1, sdes.ChunkCount);
        Assert.True(sdes.TryGetCname(1, out var cname));
        Assert.Equal("4TOk42mSjXCkVIa6", Encoding.ASCII.GetString(cname));
        Assert.False(sdes.TryGetCname(2, out _));
        // The CNAME is a slice of the datagram, not a copy.
        Assert.True(RtcpCompoundReaderTests.ChromiumReceiverReportAndCname.AsSpan().Overlaps(cname));
    }

    [Fact]
    public void Chunks_with_several_items_and_item_lists_ending_on_a_word_boundary()
    {
        // Chunk 2's items take 3 + 4 = 7 octets after the SSRC: END is the 8th, no more padding.
        // A trailing word of nulls would be a third chunk, so SC=2 with it must be refused...
        Assert.False(SourceDescription.TryParse(TwoChunks, out _));
        // ...and without it the packet parses.
        var exact = TwoChunks[..^4];
        exact[3] = 6; // len=6
        Assert.True(SourceDescription.TryParse(exact, out var sdes));
        var seen = new List<(uint, SdesItemType, string)>();
        foreach (var chunk in sdes)
        {
            foreach (var item in chunk)
            {
                seen.Add((chunk.Ssrc, item.Type, Encoding.UTF8.GetString(item.Text)));
            }
        }
        Assert.Equal([(10u, SdesItemType.Cname, "abc"), (11u, SdesItemType.Cname, "x"), (11u, SdesItemType.Tool, "So")], seen);
    }

    [Fact]
    public void Builds_chunks_from_entries_and_round_trips_without_aliasing()
    {
        SdesEntry[] entries =
        [
            new(10, SdesItemType.Cname, "abc"u8.ToArray()),
            new(11, SdesItemType.Cname, "x"u8.ToArray()),
            new(11, SdesItemType.Tool, "So"u8.ToArray()),
        ];
        var sdes = new SourceDescription(entries);
        Assert.Equal(2, sdes.ChunkCount);
        var written = new byte[sdes.GetSerializedLength()];
        Assert.True(sdes.TryWrite(written, out var n));
        var expected = TwoChunks[..^4];
        expected[3] = 6;
        Assert.Equal(expected.Length, n);
        Assert.Equal(expected, written);

        Assert.True(SourceDescription.TryParse(written, out var parsed));
        var again = new byte[parsed.GetSerializedLength()];
        Assert.True(parsed.TryWrite(again, out _));
        Scribble(written);
        Assert.Equal(expected, again);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(255)]
    public void Pads_every_text_length_to_a_word_with_at_least_one_null(int textLength)
    {
        var text = Enumerable.Repeat((byte)'a', textLength).ToArray();
        var sdes = new SourceDescription([new SdesEntry(5, SdesItemType.Cname, text)]);
        var written = new byte[sdes.GetSerializedLength()];
        Assert.True(sdes.TryWrite(written, out _));
        Assert.Equal(0, written.Length % 4);
        // SSRC + type + length + text, then at least one null.
        Assert.True(written.Length >= 4 + 4 + 2 + textLength + 1);
        Assert.True(written.Length < 4 + 4 + 2 + textLength + 1 + 4);
        Assert.Equal(0, written[4 + 4 + 2 + textLength]);
        Assert.True(SourceDescription.TryParse(written, out var parsed));
        Assert.True(parsed.TryGetCname(5, out var cname));
        Assert.Equal(text, cname.ToArray());
    }

    [Fact]
    public void Zero_chunks_is_a_four_octet_packet()
    {
        var sdes = new SourceDescription([]);
        var written = new byte[sdes.GetSerializedLength()];
        Assert.True(sdes.TryWrite(written, out _));
        Assert.Equal(Hex("80 ca 00 00"), written); // V=2 P=0 SC=0 PT=202 len=0
        Assert.True(SourceDescription.TryParse(written, out var parsed));
        Assert.Equal(0, parsed.ChunkCount);
    }

    [Fact]
    public void Refuses_to_write_long_text_end_items_or_32_chunks()
    {
        var buffer = new byte[4096];
        Assert.False(new SourceDescription([new SdesEntry(1, SdesItemType.Cname, new byte[256])]).TryWrite(buffer, out _));
        Assert.False(new SourceDescription([new SdesEntry(1, SdesItemType.End, new byte[1])]).TryWrite(buffer, out _));
        var many = Enumerable.Range(0, 32).Select(i => new SdesEntry((uint)i, SdesItemType.Cname, new byte[1])).ToArray();
        Assert.False(new SourceDescription(many).TryWrite(buffer, out _));
        Assert.True(new SourceDescription(many.AsSpan(0, 31)).TryWrite(buffer, out _));
    }

    [Theory]
    [InlineData("81 ca 00 01 00 00 00 0a")]                   // chunk without END
    [InlineData("81 ca 00 02 00 00 00 0a 01 05 61 62")]       // item length past the packet
    [InlineData("81 ca 00 02 00 00 00 0a 01 01 61 62")]       // no END after the item
    [InlineData("82 ca 00 02 00 00 00 0a 00 00 00 00")]       // SC=2, one chunk
    [InlineData("81 c9 00 02 00 00 00 0a 00 00 00 00")]       // PT=201
    public void Refuses_malformed_chunks(string hex)
    {
        Assert.False(SourceDescription.TryParse(Hex(hex), out _));
    }

    [Fact]
    public void Positive_control_an_empty_item_list_parses()
    {
        Assert.True(SourceDescription.TryParse(Hex("81 ca 00 02 00 00 00 0a 00 00 00 00"), out var sdes));
        foreach (var chunk in sdes)
        {
            Assert.Equal(10u, chunk.Ssrc);
            foreach (var item in chunk)
            {
                Assert.Fail($"unexpected item {item.Type}");
            }
        }
    }
}
