using System.Text;
using Sotto.Cli;

namespace Sotto.Client.Tests.Cli;

/// <summary>Risky types (DESIGN.md §1.4): the extensions and magic bytes web/e2ee/files.js warns about.</summary>
public sealed class RiskyFileTests
{
    [Theory]
    [InlineData("setup.exe", true)]
    [InlineData("run.SH", true)]
    [InlineData("page.html", true)]
    [InlineData("report.pdf", false)]
    [InlineData("exe", false)]
    public void Risky_names_are_judged_by_extension(string name, bool risky) => Assert.Equal(risky, RiskyFile.IsRiskyName(name));

    [Theory]
    [InlineData("MZ\u0090\u0000", true)]
    [InlineData("\u007fELF", true)]
    [InlineData("#!/bin/sh", true)]
    [InlineData("<HTML><body>", true)]
    [InlineData("<!DOCTYPE html>", true)]
    [InlineData("%PDF-1.7", false)]
    [InlineData("", false)]
    public void Risky_content_is_judged_by_magic_bytes(string head, bool risky) =>
        Assert.Equal(risky, RiskyFile.IsRiskyContent(Encoding.Latin1.GetBytes(head)));
}
