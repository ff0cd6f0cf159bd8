using System.Xml.Linq;
using Sotto.Load.Harness;
using Sotto.Load.Report;

namespace Sotto.Load.Tests;

public sealed class ReportTests
{
    private static StepResult Step(string target, int size, double cpuMicros, bool ok = true, double pps = 1000) => new()
    {
        Target = target,
        Scenario = Scenarios.Meeting,
        Size = size,
        Publishers = size,
        Subscribers = size,
        ForwardedPacketsPerSecond = pps * size,
        ServerCpuMicrosPerPacket = cpuMicros,
        ServerCpuPercent = cpuMicros * pps * size / 1e4,
        DelayP50Ms = 0.3,
        DelayP99Ms = 1.5,
        WithinThresholds = ok,
        Loss = ok ? 0 : 0.02,
    };

    private static LoadReport Report(List<StepResult> steps) => new()
    {
        StartedAt = DateTimeOffset.Parse("2026-11-26T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
        FinishedAt = DateTimeOffset.Parse("2026-11-26T10:10:00Z", System.Globalization.CultureInfo.InvariantCulture),
        Command = "Sotto.Load run",
        Machine = new MachineInfo("test cpu", 2, "6.1", ".NET 10", "1 1 1", "1 1 1", 1, true),
        Targets = new() { ["sotto"] = "Sotto", ["janus"] = "Janus & <friends>" },
        VideoProfile = "audio + video",
        MaxLoss = 0.005,
        MaxP99Ms = 50,
        Steps = steps,
        Goals = GoalEvaluator.Evaluate(steps),
    };

    [Fact]
    public void Goals_compare_cpu_per_packet_at_sizes_both_targets_ran_within_thresholds()
    {
        var steps = new List<StepResult>
        {
            Step("sotto", 2, 10), Step("janus", 2, 40),
            Step("sotto", 4, 12), Step("janus", 4, 30),
            Step("sotto", 6, 11), Step("janus", 6, 90, ok: false), // Janus over threshold at 6: not compared, and its capacity is 4
            Step("sotto", 8, 14, ok: false),
            Step("relay", 2, 5), Step("relay", 4, 6),
        };
        List<GoalCheck> goals = GoalEvaluator.Evaluate(steps);

        Assert.Equal((10 / 40.0 + 12 / 30.0) / 2, goals[0].Measured!.Value, 6);
        Assert.True(goals[0].Met);
        Assert.Equal(6 / 4.0, goals[1].Measured); // capacity (before loss) 6 vs 4
        Assert.False(goals[1].Met);
        Assert.Equal(2.0, goals[3].Measured); // (10/5 + 12/6) / 2
        Assert.True(goals[3].Met);

        // Control: a Sotto as costly as Janus fails the first goal.
        var costly = steps.Select(s => s.Target == "sotto" ? s with { ServerCpuMicrosPerPacket = s.ServerCpuMicrosPerPacket * 4 } : s).ToList();
        Assert.False(GoalEvaluator.Evaluate(costly)[0].Met);
    }

    [Fact]
    public void Missing_data_is_reported_as_not_applicable_not_as_a_failure()
    {
        List<GoalCheck> goals = GoalEvaluator.Evaluate([Step("sotto", 2, 10)]);
        Assert.Null(goals[0].Measured);
        Assert.Null(goals[0].Met);
    }

    [Fact]
    public void Report_writes_json_markdown_and_a_well_formed_svg()
    {
        LoadReport report = Report([Step("sotto", 2, 10), Step("janus", 2, 40), Step("sotto", 4, 12, ok: false), Step("janus", 4, 0) with { Error = "setup | failed" }]);
        string folder = Directory.CreateTempSubdirectory("sotto-load-report-").FullName;
        try
        {
            string[] files = ReportWriter.Write(report, folder);
            Assert.All(files, f => Assert.True(File.Exists(f)));

            LoadReport back = ReportWriter.FromJson(File.ReadAllText(files[0]))!;
            Assert.Equal(report.Steps, back.Steps);

            string markdown = File.ReadAllText(files[1]);
            Assert.Contains("| sotto | 2 | 2 / 2 | 2,000 |", markdown, StringComparison.Ordinal);
            Assert.Contains("over threshold", markdown, StringComparison.Ordinal);
            Assert.Contains("setup failed: setup / failed", markdown, StringComparison.Ordinal); // a pipe would break the table

            XDocument svg = XDocument.Parse(File.ReadAllText(files[2]));
            XNamespace ns = "http://www.w3.org/2000/svg";
            Assert.Equal(2, svg.Descendants(ns + "polyline").Count()); // one line per target that has data
            Assert.Contains(svg.Descendants(ns + "circle"), c => (string?)c.Attribute("fill") == "white"); // the over-threshold step is hollow
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Subscribers_per_core_come_from_the_largest_step_within_the_thresholds()
    {
        StepResult Viewers(string target, int viewers, double cpuPercent, bool ok, int? lastN = null) => new()
        {
            Target = target,
            Scenario = Scenarios.Meeting10,
            Size = viewers,
            Publishers = 10,
            Subscribers = 10 + viewers,
            ForwardedPacketsPerSecond = 1000,
            ServerCpuPercent = cpuPercent,
            WithinThresholds = ok,
            LastN = lastN,
        };
        LoadReport report = Report(
        [
            Viewers("sotto", 10, 20, ok: true),
            Viewers("sotto", 20, 40, ok: true),
            Viewers("sotto", 30, 90, ok: false),
            Viewers("sotto-last4", 10, 10, ok: true, lastN: 4),
        ]);
        Assert.Equal(75, report.Steps[1].SubscribersPerCore); // 30 subscribers on 40 % of a core
        string markdown = ReportWriter.ToMarkdown(report);
        Assert.Contains("| sotto | one layer | 20 | 30 | 1,000 | 0.0 | 40 | **75** | loss or delay over the threshold above |", markdown, StringComparison.Ordinal);
        Assert.Contains("| sotto-last4 | one layer, last-N 4 | 10 | 20 | 1,000 | 0.0 | 10 | **200** | largest size run (lower bound) |", markdown, StringComparison.Ordinal);
        // The meeting scenarios alone have no such table.
        Assert.DoesNotContain("Subscribers per core", ReportWriter.ToMarkdown(Report([Step("sotto", 2, 10)])), StringComparison.Ordinal);
    }
}
