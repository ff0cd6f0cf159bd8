using Sotto.Client.Media;

namespace Sotto.Client.Tests;

/// <summary>The committed media fixtures (TestData/README.md says how they were made).</summary>
internal static class Fixtures
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "TestData", name);

    public static IvfFileSource Video(bool loop = true)
    {
        Assert.True(IvfFileSource.TryOpen(Path("testsrc-320x240-15fps.ivf"), loop, out IvfFileSource? source, out string? problem), problem);
        return source!;
    }

    public static OggOpusFileSource Audio(bool loop = true)
    {
        Assert.True(OggOpusFileSource.TryOpen(Path("sine-440hz.ogg"), loop, out OggOpusFileSource? source, out string? problem), problem);
        return source!;
    }
}
