using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Sotto.Load.Harness;

namespace Sotto.Load.Report;

/// <summary>Writes a run as load-report.json, load-report.md (the tables for docs/performance.md) and load-report.svg.</summary>
internal static class ReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string[] Write(LoadReport report, string folder)
    {
        Directory.CreateDirectory(folder);
        string json = Path.Combine(folder, "load-report.json");
        string markdown = Path.Combine(folder, "load-report.md");
        string svg = Path.Combine(folder, "load-report.svg");
        File.WriteAllText(json, ToJson(report));
        File.WriteAllText(markdown, ToMarkdown(report));
        File.WriteAllText(svg, SvgChart.Render(report));
        return [json, markdown, svg];
    }

    public static string ToJson(LoadReport report) => JsonSerializer.Serialize(report, Json);

    public static LoadReport? FromJson(string json) => JsonSerializer.Deserialize<LoadReport>(json, Json);

    public static string ToMarkdown(LoadReport report)
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.AppendLine(c, $"Run {report.StartedAt:yyyy-MM-dd HH:mm}–{report.FinishedAt:HH:mm} UTC: `{report.Command}`");
        md.AppendLine();
        md.AppendLine(c, $"- Machine: {report.Machine.Cpu}, {report.Machine.Cores} cores, Linux {report.Machine.Kernel}, .NET {report.Machine.Runtime}; load average {report.Machine.LoadAverageAtStart} at the start, {report.Machine.LoadAverageAtEnd} at the end.");
        md.AppendLine(c, $"- Server pinned to core {report.Machine.ServerCore?.ToString(c) ?? "(none)"}, generator to the other; servers {(report.Machine.Namespace ? "in the benchmark's network namespace on a veth address" : "on loopback")}{(report.Machine.ReceiveSteering ? "; receive packet steering on: each side's kernel receive path runs on its own core" : report.Machine.Namespace ? "; no receive packet steering: a receiver's kernel receive path runs in the sender's sendmsg and is charged to it" : "")}.");
        foreach (var (name, description) in report.Targets)
            md.AppendLine(c, $"- `{name}`: {description}");
        md.AppendLine(c, $"- Media per publisher: {report.VideoProfile}; thresholds: loss ≤ {100 * report.MaxLoss:F1} %, p99 ≤ {report.MaxP99Ms:F0} ms.");
        md.AppendLine();
        md.AppendLine("| Goal | Target | Measured | Met | How |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (GoalCheck goal in report.Goals)
        {
            string measured = goal.Measured is { } m ? m.ToString("F2", c) : "—";
            string met = goal.Met switch { true => "**yes**", false => "**no**", null => "n/a" };
            md.AppendLine(c, $"| {goal.Goal} | {goal.Target} | {measured} | {met} | {goal.How} |");
        }
        md.AppendLine();
        AppendSubscribersPerCore(md, report.Steps);
        foreach (var scenario in report.Steps.GroupBy(s => s.Scenario))
        {
            md.AppendLine(c, $"**{scenario.Key}**");
            md.AppendLine();
            md.AppendLine("| Target | Size | Pub / Sub | Forwarded pkt/s | Mbit/s | Server CPU µs/pkt (minus idle) | Server CPU % | Loss % | p50 / p99 ms | RSS MiB | Generator CPU % | SRTP | Note |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            foreach (StepResult s in scenario)
            {
                if (s.Error is not null)
                {
                    md.AppendLine(c, $"| {s.Target} | {s.Size} | {s.Publishers} / {s.Subscribers} | — | — | — | — | — | — | — | — | — | setup failed: {s.Error.Replace('|', '/')} |");
                    continue;
                }
                string note = (s.WithinThresholds ? "" : "over threshold") + (s.GeneratorSaturated ? (s.WithinThresholds ? "" : "; ") + "generator saturated" : "");
                md.AppendLine(c, $"| {s.Target} | {s.Size} | {s.Publishers} / {s.Subscribers} | {s.ForwardedPacketsPerSecond:N0} | {s.ForwardedMbitPerSecond:F1} | {s.ServerCpuMicrosPerPacket:F2} ({s.ServerMarginalCpuMicrosPerPacket:F2}) | {s.ServerCpuPercent:F0} | {100 * s.Loss:F2} | {s.DelayP50Ms:F2} / {s.DelayP99Ms:F2} | {s.ServerRssMiB:F0} | {s.GeneratorCpuPercent:F0} | {Short(s.SrtpProfile)} | {note} |");
            }
            md.AppendLine();
        }
        return md.ToString();
    }

    /// <summary>
    /// The 10-publisher meeting with viewers (issue 9): per target and variant, the largest step within
    /// the thresholds, and how many subscribers one whole core would carry at that step's cost.
    /// </summary>
    private static void AppendSubscribersPerCore(StringBuilder md, IReadOnlyList<StepResult> steps)
    {
        var c = CultureInfo.InvariantCulture;
        var rows = steps.Where(s => Scenarios.IsSubscribersPerCore(s.Scenario)).GroupBy(s => (s.Target, s.Scenario)).ToList();
        if (rows.Count == 0)
            return;
        md.AppendLine("**Subscribers per core, 10-publisher meeting** (largest step within the thresholds; subscribers = the 10 publishers + viewers; per core = subscribers ÷ the server's share of its core)");
        md.AppendLine();
        md.AppendLine("| Target | Variant | Viewers | Subscribers | Forwarded pkt/s | Mbit/s | Server CPU % | Subscribers per core | Limit |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var group in rows)
        {
            var ordered = group.OrderBy(s => s.Size).ToList();
            StepResult? best = ordered.LastOrDefault(s => s.Error is null && s.WithinThresholds);
            string variant = (group.Key.Scenario == Scenarios.Meeting10Simulcast ? "simulcast (3 layers)" : "one layer")
                + (ordered[0].LastN is { } n ? string.Create(c, $", last-N {n}") : "");
            if (best is null)
            {
                md.AppendLine(c, $"| {group.Key.Target} | {variant} | — | — | — | — | — | — | no step within the thresholds |");
                continue;
            }
            StepResult last = ordered[^1];
            string limit = last.GeneratorSaturated ? "generator saturated first (lower bound)"
                : ReferenceEquals(best, last) ? "largest size run (lower bound)"
                : "loss or delay over the threshold above";
            md.AppendLine(c, $"| {best.Target} | {variant} | {best.Size} | {best.Subscribers} | {best.ForwardedPacketsPerSecond:N0} | {best.ForwardedMbitPerSecond:F1} | {best.ServerCpuPercent:F0} | **{best.SubscribersPerCore:N0}** | {limit} |");
        }
        md.AppendLine();
    }

    private static string Short(string? profile) => profile switch
    {
        null => "none",
        "AeadAes128Gcm" => "AES-128-GCM",
        "AeadAes256Gcm" => "AES-256-GCM",
        "AesCm128HmacSha1_80" => "AES-CM + SHA1-80",
        _ => profile,
    };
}
