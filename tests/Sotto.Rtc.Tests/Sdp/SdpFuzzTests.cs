using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;
using Sotto.Rtc.Sdp;
using Sotto.Rtc.Tests.Fuzzing;

namespace Sotto.Rtc.Tests.Sdp;

/// <summary>
/// Mutation fuzzing of the SDP parser from the captured Chromium corpus (TestData/fuzz/sdp/). Two
/// properties for every input: TryParse never throws, and anything it accepts writes back to text
/// that parses to an equal model (so the writer can never emit what the parser would misread).
/// Long pass: <c>SOTTO_FUZZ_ITERATIONS=1000000 dotnet test tests/Sotto.Rtc.Tests -c Release --filter "Category=Fuzz&amp;FullyQualifiedName~Sdp"</c>.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class SdpFuzzTests
{
    private const string CorpusName = "sdp";

    [Fact]
    public void Byte_mutations_never_throw_and_accepted_input_round_trips()
    {
        var executed = FuzzRunner.Run(CorpusName, input =>
        {
            // Bytes → UTF-8 text (invalid sequences become U+FFFD) → the string parser.
            var text = Encoding.UTF8.GetString(input);
            var textOk = CheckText(text);

            // The UTF-8 entry point must agree with the string one whenever the bytes are valid UTF-8.
            var bytesOk = SessionDescription.TryParse(input, out _, out var bytesError);
            if (Utf8.IsValid(input))
            {
                if (textOk != bytesOk)
                {
                    Assert.Fail($"string and UTF-8 parsers disagree: {bytesError}");
                }
            }
            else
            {
                Assert.False(bytesOk);
            }
        }, maxRandomLength: 4096);
        Assert.True(executed >= FuzzRunner.Iterations);
    }

    [Fact]
    public void Structural_mutations_never_throw_and_accepted_input_round_trips()
    {
        var seeds = FuzzRunner.LoadCorpus(CorpusName).Select(b => Encoding.UTF8.GetString(b).Split("\r\n")).ToList();
        Assert.NotEmpty(seeds);
        var runSeed = RandomNumberGenerator.GetInt32(int.MaxValue);
        var rng = new Random(runSeed);
        var accepted = 0;
        for (var i = 0; i < FuzzRunner.Iterations; i++)
        {
            var lines = new List<string>(seeds[rng.Next(seeds.Count)]);
            for (var m = rng.Next(1, 5); m > 0; m--)
            {
                MutateLines(lines, seeds, rng);
            }
            var text = string.Join(rng.Next(8) == 0 ? "\n" : "\r\n", lines);
            try
            {
                accepted += CheckText(text) ? 1 : 0;
            }
            catch (Exception ex)
            {
                var dir = Path.Combine(AppContext.BaseDirectory, "TestResults", "fuzz-crashes", "sdp-structure");
                Directory.CreateDirectory(dir);
                var file = Path.Combine(dir, "crash-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16] + ".sdp");
                File.WriteAllText(file, text);
                Assert.Fail($"structural fuzz (seed {runSeed}, iteration {i}) failed on input saved to {file}: {ex}");
            }
        }
        // Positive control on the mutator: it must produce both accepted and refused descriptions, or the
        // property above is only ever checked on one side.
        Assert.InRange(accepted, 1, FuzzRunner.Iterations - 1);
    }

    /// <summary>The properties checked for every input; returns whether the text parsed.</summary>
    private static bool CheckText(string text)
    {
        if (!SessionDescription.TryParse(text, out var sd, out var error))
        {
            Assert.False(string.IsNullOrEmpty(error));
            // Errors get logged: input echoed in them must not carry control characters (log forging).
            if (error.Any(char.IsControl))
            {
                Assert.Fail($"error message carries a control character: {error.ReplaceLineEndings("\\n")}");
            }
            Assert.True(error.StartsWith("line ", StringComparison.Ordinal) || error.StartsWith("description ", StringComparison.Ordinal), error);
            return false;
        }
        Assert.Null(error);
        var written = sd.Write();
        if (!SessionDescription.TryParse(written, out var again, out error))
        {
            Assert.Fail($"writer produced text its parser refuses ({error}):\n{written}");
        }
        Assert.Equal(sd, again);
        Assert.Equal(written, again.Write());
        return true;
    }

    private static readonly string[] NumberReplacements =
        ["", "-1", "0", "00", "65536", "4294967295", "4294967296", "18446744073709551616", "99999999999999999999999", "1e3", "+1", " 1", "0x10", "\u0663", "1.5"];

    private static readonly string[] Separators = [" ", ":", "/", ";", ",", "=", "~", "*"];

    /// <summary>One line-level edit: drop, duplicate, swap, move, splice from another seed, corrupt a number, truncate, or break a separator.</summary>
    private static void MutateLines(List<string> lines, List<string[]> seeds, Random rng)
    {
        if (lines.Count == 0)
        {
            lines.Add("v=0");
            return;
        }
        var i = rng.Next(lines.Count);
        switch (rng.Next(8))
        {
            case 0:
                lines.RemoveAt(i);
                break;
            case 1:
                lines.Insert(i, lines[i]);
                break;
            case 2:
                var j = rng.Next(lines.Count);
                (lines[i], lines[j]) = (lines[j], lines[i]);
                break;
            case 3:
                var line = lines[i];
                lines.RemoveAt(i);
                lines.Insert(rng.Next(lines.Count + 1), line);
                break;
            case 4:
                var other = seeds[rng.Next(seeds.Count)];
                lines.Insert(i, other[rng.Next(other.Length)]);
                break;
            case 5:
                lines[i] = CorruptNumber(lines[i], rng);
                break;
            case 6:
                lines[i] = lines[i][..rng.Next(lines[i].Length + 1)];
                break;
            case 7:
                var s = Separators[rng.Next(Separators.Length)];
                var at = lines[i].IndexOf(s, rng.Next(lines[i].Length + 1), StringComparison.Ordinal);
                if (at >= 0)
                {
                    var replacement = rng.Next(3) switch { 0 => "", 1 => s + s, _ => Separators[rng.Next(Separators.Length)] };
                    lines[i] = lines[i][..at] + replacement + lines[i][(at + s.Length)..];
                }
                break;
        }
    }

    private static string CorruptNumber(string line, Random rng)
    {
        var digits = new List<int>();
        for (var k = 0; k < line.Length; k++)
        {
            if (char.IsAsciiDigit(line[k]) && (k == 0 || !char.IsAsciiDigit(line[k - 1])))
            {
                digits.Add(k);
            }
        }
        if (digits.Count == 0)
        {
            return line;
        }
        var start = digits[rng.Next(digits.Count)];
        var end = start;
        while (end < line.Length && char.IsAsciiDigit(line[end]))
        {
            end++;
        }
        return line[..start] + NumberReplacements[rng.Next(NumberReplacements.Length)] + line[end..];
    }
}
