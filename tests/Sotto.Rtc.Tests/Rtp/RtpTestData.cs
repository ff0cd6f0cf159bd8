namespace Sotto.Rtc.Tests.Rtp;

internal static class RtpTestData
{
    public static byte[] Hex(string text) => Convert.FromHexString(string.Concat(text.Where(Uri.IsHexDigit)));

    public static byte[] Seed(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "fuzz", "rtp", name));

    // Chromium's default extmap ids for video (as in its offers): 2 abs-send-time, 3 transport-wide-cc,
    // 4 mid, 10 rid, 11 repaired-rid; audio adds 1 ssrc-audio-level.
    public const byte AudioLevelId = 1;
    public const byte AbsSendTimeId = 2;
    public const byte TransportCcId = 3;
    public const byte MidId = 4;
    public const byte RidId = 10;
    public const byte RepairedRidId = 11;

    /// <summary>
    /// The header of a Chromium-shaped VP8 simulcast packet (layer "h") with one-byte extensions,
    /// annotated; the same bytes start TestData/fuzz/rtp/chromium-vp8-key.bin (built by make_seeds.py).
    /// </summary>
    public static readonly byte[] ChromiumVp8Header = Hex("""
        90 60 10 e1   # V=2 P=0 X=1 CC=0 | M=0 PT=96 | seq=4321
        12 34 56 78   # timestamp 0x12345678
        1a 2b 3c 4d   # SSRC
        be de 00 03   # one-byte extensions (RFC 8285 §4.2), 3 words
        22 12 34 56   # id 2 len 3: abs-send-time 0x123456
        31 01 02      # id 3 len 2: transport-wide seq 0x0102
        40 31         # id 4 len 1: mid "1"
        a0 68         # id 10 len 1: rid "h"
        00            # padding to 32 bits
        """.Split('\n').Select(line => line.Split('#')[0]).Aggregate(string.Empty, string.Concat));
}
