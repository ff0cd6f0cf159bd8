using System.Security.Cryptography;

namespace Sotto.Rtc.Tests.Fuzzing;

/// <summary>
/// A small mutation fuzzer for parsers: feeds every committed corpus file, then mutated corpus inputs
/// and random inputs, each in an exactly sized array (so a read past the input's end is an
/// <see cref="IndexOutOfRangeException"/>, not a silent read of spare buffer bytes). Any exception
/// escaping the target fails the test and names the input, which is written under
/// TestResults/fuzz-crashes so it can be committed to the corpus as a regression case.
/// </summary>
/// <remarks>
/// CI runs a short pass; the long pass is
/// <c>SOTTO_FUZZ_ITERATIONS=1000000 dotnet test tests/Sotto.Rtc.Tests -c Release --filter Category=Fuzz</c>.
/// Deterministic per run seed (<c>SOTTO_FUZZ_SEED</c>, printed on failure) so a failure reproduces.
/// </remarks>
internal static class FuzzRunner
{
    public delegate void FuzzTarget(ReadOnlySpan<byte> input);

    private const int DefaultIterations = 20_000;

    public static int Iterations { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("SOTTO_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : DefaultIterations;

    private static readonly int RunSeed =
        int.TryParse(Environment.GetEnvironmentVariable("SOTTO_FUZZ_SEED"), out var s) ? s : RandomNumberGenerator.GetInt32(int.MaxValue);

    /// <summary>Directory of committed corpus files for one target: TestData/fuzz/&lt;name&gt;/.</summary>
    public static string CorpusDirectory(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "fuzz", name);

    /// <summary>Loads the committed corpus of <paramref name="name"/> (every file in its folder).</summary>
    public static List<byte[]> LoadCorpus(string name)
    {
        var dir = CorpusDirectory(name);
        var list = new List<byte[]>();
        if (Directory.Exists(dir))
        {
            foreach (var file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
            {
                list.Add(File.ReadAllBytes(file));
            }
        }
        return list;
    }

    /// <summary>
    /// Runs <paramref name="target"/> over the committed corpus plus <paramref name="extraSeeds"/>, then
    /// <see cref="Iterations"/> mutated and random inputs. Returns the number of inputs executed.
    /// </summary>
    public static long Run(string name, FuzzTarget target, IEnumerable<byte[]>? extraSeeds = null, int maxRandomLength = 1500)
    {
        var seeds = LoadCorpus(name);
        if (extraSeeds is not null)
        {
            seeds.AddRange(extraSeeds);
        }
        Assert.True(seeds.Count > 0, $"fuzz target '{name}' has no seed inputs: commit a corpus under TestData/fuzz/{name}/");

        long executed = 0;
        foreach (var seed in seeds)
        {
            Execute(name, target, seed, ref executed);
        }

        var rng = new Random(HashCode.Combine(RunSeed, name.GetHashCode(StringComparison.Ordinal)));
        for (var i = 0; i < Iterations; i++)
        {
            byte[] input;
            if (i % 10 == 9)
            {
                input = new byte[rng.Next(0, maxRandomLength + 1)];
                rng.NextBytes(input);
            }
            else
            {
                input = Mutate(seeds[rng.Next(seeds.Count)], seeds, rng);
            }
            Execute(name, target, input, ref executed);
        }
        return executed;
    }

    private static void Execute(string name, FuzzTarget target, byte[] input, ref long executed)
    {
        try
        {
            target(input);
            executed++;
        }
        catch (Exception ex)
        {
            var dir = Path.Combine(AppContext.BaseDirectory, "TestResults", "fuzz-crashes", name);
            Directory.CreateDirectory(dir);
            var file = Path.Combine(dir, "crash-" + Convert.ToHexStringLower(SHA256.HashData(input))[..16] + ".bin");
            File.WriteAllBytes(file, input);
            Assert.Fail($"fuzz target '{name}' threw {ex.GetType().Name} (seed {RunSeed}) on input {Convert.ToHexString(input)} (saved to {file}): {ex}");
        }
    }

    private static readonly byte[] Interesting = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, 0x40, 0x20, 0x10, 0xC0];

    /// <summary>Applies 1–4 random mutations: bit flip, byte set, interesting value, insert, delete, truncate, extend, splice.</summary>
    internal static byte[] Mutate(byte[] seed, List<byte[]> seeds, Random rng)
    {
        var data = new List<byte>(seed);
        var count = rng.Next(1, 5);
        for (var m = 0; m < count; m++)
        {
            switch (rng.Next(8))
            {
                case 0 when data.Count > 0:
                    data[rng.Next(data.Count)] ^= (byte)(1 << rng.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[rng.Next(data.Count)] = (byte)rng.Next(256);
                    break;
                case 2 when data.Count > 0:
                    data[rng.Next(data.Count)] = Interesting[rng.Next(Interesting.Length)];
                    break;
                case 3:
                    data.Insert(rng.Next(data.Count + 1), (byte)rng.Next(256));
                    break;
                case 4 when data.Count > 0:
                    data.RemoveAt(rng.Next(data.Count));
                    break;
                case 5 when data.Count > 0:
                    var keepLength = rng.Next(data.Count);
                    data.RemoveRange(keepLength, data.Count - keepLength);
                    break;
                case 6:
                    for (var k = rng.Next(1, 32); k > 0; k--) data.Add((byte)rng.Next(256));
                    break;
                case 7:
                    var other = seeds[rng.Next(seeds.Count)];
                    if (other.Length > 0)
                    {
                        var start = rng.Next(other.Length);
                        var len = rng.Next(1, other.Length - start + 1);
                        data.InsertRange(rng.Next(data.Count + 1), other.AsSpan(start, len).ToArray());
                    }
                    break;
            }
        }
        return [.. data];
    }
}
