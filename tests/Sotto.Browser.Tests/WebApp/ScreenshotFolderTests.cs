namespace Sotto.Browser.Tests.WebApp;

/// <summary>A test run leaves docs/screenshots alone unless asked to refresh it (no browser needed).</summary>
public sealed class ScreenshotFolderTests : IDisposable
{
    private readonly DirectoryInfo _checkout = Directory.CreateTempSubdirectory("sotto-checkout");

    public ScreenshotFolderTests()
    {
        File.WriteAllText(Path.Combine(_checkout.FullName, "Sotto.slnx"), "<Solution />");
    }

    private string TestBinaries => Directory.CreateDirectory(Path.Combine(_checkout.FullName, "tests", "Sotto.Browser.Tests", "bin", "Release", "net10.0")).FullName;

    private string DocsScreenshots => Path.Combine(_checkout.FullName, "docs", "screenshots");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("true")]
    public void By_default_screenshots_go_to_the_test_output_never_to_docs(string? update)
    {
        var folder = ScreenshotFolder.Resolve(update, TestBinaries);
        Assert.Equal(Path.Combine(TestBinaries, "screenshots"), folder);
        Assert.True(Directory.Exists(folder));
        Assert.False(Directory.Exists(DocsScreenshots));
    }

    [Fact]
    public void With_the_update_variable_set_they_refresh_docs_screenshots_of_the_checkout()
    {
        Assert.Equal(DocsScreenshots, ScreenshotFolder.Resolve("1", TestBinaries));
        Assert.True(Directory.Exists(DocsScreenshots));
    }

    [Fact]
    public void Asked_to_update_outside_a_checkout_it_says_so_instead_of_writing_elsewhere()
    {
        var elsewhere = Directory.CreateTempSubdirectory("sotto-not-a-checkout");
        try
        {
            var error = Assert.Throws<InvalidOperationException>(() => ScreenshotFolder.Resolve("1", elsewhere.FullName));
            Assert.Contains(ScreenshotFolder.UpdateVariable, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            elsewhere.Delete(recursive: true);
        }
    }

    public void Dispose() => _checkout.Delete(recursive: true);
}
