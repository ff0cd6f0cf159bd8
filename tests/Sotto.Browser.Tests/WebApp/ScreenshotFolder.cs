namespace Sotto.Browser.Tests.WebApp;

/// <summary>
/// Where the web-app tests save their screenshots. A test run must not rewrite files in the source tree:
/// by default they go to the test's output folder; the README's pictures (docs/screenshots) are refreshed
/// only on request, with <c>SOTTO_UPDATE_SCREENSHOTS=1</c>.
/// </summary>
internal static class ScreenshotFolder
{
    public const string UpdateVariable = "SOTTO_UPDATE_SCREENSHOTS";

    /// <summary>The folder for this run (created).</summary>
    public static string Resolve() => Resolve(Environment.GetEnvironmentVariable(UpdateVariable), AppContext.BaseDirectory);

    internal static string Resolve(string? update, string baseDirectory)
    {
        var path = update == "1"
            ? Path.Combine(FindRepository(baseDirectory), "docs", "screenshots")
            : Path.Combine(baseDirectory, "screenshots");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>The checkout holding the test binary (the folder with Sotto.slnx, upwards).</summary>
    private static string FindRepository(string baseDirectory)
    {
        for (var dir = new DirectoryInfo(baseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Sotto.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"{UpdateVariable}=1, but no Sotto checkout (Sotto.slnx) contains {baseDirectory}.");
    }
}
