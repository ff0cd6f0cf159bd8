namespace Sotto.Browser.Tests;

/// <summary>Browser suites run one at a time: Chromium is heavy on 2 cores and fake devices are shared.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChromiumCollection
{
    public const string Name = "Chromium";
}
