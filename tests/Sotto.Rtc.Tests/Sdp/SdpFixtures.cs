using Sotto.Rtc.Sdp;

namespace Sotto.Rtc.Tests.Sdp;

/// <summary>The Chromium 156 descriptions captured by TestData/sdp/capture/capture.mjs (see TestData/sdp/README.md).</summary>
internal static class SdpFixtures
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "TestData", "sdp");

    public static IEnumerable<string> Names =>
        System.IO.Directory.EnumerateFiles(Directory, "*.sdp").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    public static TheoryData<string> All
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in Names)
            {
                data.Add(name);
            }
            return data;
        }
    }

    public static byte[] Bytes(string name) => File.ReadAllBytes(Path.Combine(Directory, name + ".sdp"));

    public static string Text(string name) => File.ReadAllText(Path.Combine(Directory, name + ".sdp"));

    public static SessionDescription Parse(string name)
    {
        Assert.True(SessionDescription.TryParse(Text(name), out var sd, out var error), $"{name}: {error}");
        return sd;
    }
}
