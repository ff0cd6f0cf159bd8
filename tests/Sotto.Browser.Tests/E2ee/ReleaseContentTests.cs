using System.Reflection;
using System.Text.RegularExpressions;
using Sotto.Sfu.Stages;

namespace Sotto.Browser.Tests.E2ee;

/// <summary>
/// E2EE-SPEC §S12: test-only modes (a malicious relay, a frame tap, loss injection) exist only in test
/// assemblies and test files. The web client as the server build ships it (the same item rules as a
/// publish, src/Sotto.Server/Sotto.Server.csproj) and the server's own assemblies hold none.
/// </summary>
public sealed partial class ReleaseContentTests
{
    private static readonly string Web = Path.Combine(AppContext.BaseDirectory, "web");

    [Fact]
    public void The_shipped_web_client_has_no_test_files_and_no_module_imports_one()
    {
        Assert.True(File.Exists(Path.Combine(Web, "e2ee", "participant.js")), "positive control: the client itself is there");
        Assert.True(File.Exists(Path.Combine(Web, "call", "e2ee-session.js")));
        var files = Directory.EnumerateFiles(Web, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(Web, f).Replace('\\', '/')).ToList();
        Assert.DoesNotContain(files, f => f.EndsWith(".test.js", StringComparison.Ordinal) || f.EndsWith(".test.mjs", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.Contains("/testing/", StringComparison.Ordinal) || f.Contains("/testdata/", StringComparison.Ordinal) || f.Contains("browser-check/", StringComparison.Ordinal));
        foreach (var file in files.Where(f => f.EndsWith(".js", StringComparison.Ordinal)))
        {
            foreach (Match import in ImportPath().Matches(File.ReadAllText(Path.Combine(Web, file))))
            {
                var target = Path.GetFullPath(Path.Combine(Web, Path.GetDirectoryName(file)!, import.Groups["path"].Value));
                Assert.True(File.Exists(target), $"{file} imports {import.Groups["path"].Value}, which is not shipped (a test-only module?)");
            }
        }
    }

    [Fact]
    public void No_media_path_stage_is_implemented_outside_the_test_assemblies()
    {
        var stage = typeof(IMediaPathStage);
        foreach (var name in new[] { "Sotto.Server", "Sotto.Sfu", "Sotto.Transport", "Sotto.Rooms", "Sotto.Rtc", "Sotto.E2ee" })
        {
            var path = Path.Combine(AppContext.BaseDirectory, name + ".dll");
            if (!File.Exists(path))
                continue;
            var implementations = Assembly.LoadFrom(path).GetTypes().Where(t => t.IsClass && stage.IsAssignableFrom(t)).ToList();
            Assert.True(implementations.Count == 0, $"{name} implements {string.Join(", ", implementations)}");
        }
        // Positive control: this test assembly's own tap is found by the same search.
        Assert.Contains(typeof(ReleaseContentTests).Assembly.GetTypes(), t => t.IsClass && stage.IsAssignableFrom(t));
    }

    [GeneratedRegex("""(?:import|from)\s*\(?\s*["'](?<path>\.{1,2}/[^"']+)["']""")]
    private static partial Regex ImportPath();
}
