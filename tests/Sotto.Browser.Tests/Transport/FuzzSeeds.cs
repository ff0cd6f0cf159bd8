using Sotto.Rtc.Srtp;

namespace Sotto.Browser.Tests.Transport;

/// <summary>
/// Writes real Chromium packets (decrypted RTP/RTCP, raw STUN checks) as fuzz seeds into
/// tests/Sotto.Rtc.Tests/TestData/fuzz/ when SOTTO_CAPTURE_FIXTURES=1; the committed files are
/// the output of such a run.
/// </summary>
internal static class FuzzSeeds
{
    public static void Write(SrtpProtectionProfile profile, PacketLog log, IEnumerable<byte[]> stunChecks)
    {
        string root = FindRepositoryRoot();
        string fuzz = Path.Combine(root, "tests", "Sotto.Rtc.Tests", "TestData", "fuzz");
        string tag = profile switch
        {
            SrtpProtectionProfile.AeadAes128Gcm => "gcm128",
            SrtpProtectionProfile.AeadAes256Gcm => "gcm256",
            _ => "cm",
        };

        // A few of each: the first packets (key frame start, Opus), and some later ones.
        WriteAll(Path.Combine(fuzz, "rtp"), $"chromium-{tag}-rtp", log.RtpSamples.Where((_, i) => i % 8 == 0).Take(6));
        WriteAll(Path.Combine(fuzz, "rtcp"), $"chromium-{tag}-rtcp", log.RtcpSamples.Take(3));
        WriteAll(Path.Combine(fuzz, "stun"), $"chromium-{tag}-check", stunChecks.Take(2));
    }

    private static void WriteAll(string directory, string prefix, IEnumerable<byte[]> packets)
    {
        Directory.CreateDirectory(directory);
        int index = 0;
        foreach (byte[] packet in packets)
            File.WriteAllBytes(Path.Combine(directory, $"{prefix}-{index++}.bin"), packet);
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Sotto.slnx")))
                return directory.FullName;
        }

        throw new InvalidOperationException("Repository root (Sotto.slnx) not found.");
    }
}
