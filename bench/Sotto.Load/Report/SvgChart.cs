using System.Globalization;
using System.Net;
using System.Text;
using Sotto.Load.Harness;

namespace Sotto.Load.Report;

/// <summary>
/// The chart for docs/performance.md, drawn by hand (no plotting package): one panel per
/// scenario, server CPU in percent of its one core against forwarded packets per second, one line
/// per target. Steps over a threshold are drawn hollow.
/// </summary>
internal static class SvgChart
{
    private const int PanelWidth = 380;
    private const int PanelHeight = 280;
    private const int Left = 56;
    private const int Top = 40;
    private const int PlotWidth = 300;
    private const int PlotHeight = 190;

    private static readonly Dictionary<string, string> Colors = new()
    {
        ["sotto"] = "#1f77b4",
        ["janus"] = "#d62728",
        ["relay"] = "#7f7f7f",
    };

    public static string Render(LoadReport report)
    {
        var c = CultureInfo.InvariantCulture;
        var scenarios = report.Steps.Select(s => s.Scenario).Distinct().ToList();
        int width = Math.Max(1, scenarios.Count) * PanelWidth;
        var svg = new StringBuilder();
        svg.AppendLine(c, $"""<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{PanelHeight + 30}" viewBox="0 0 {width} {PanelHeight + 30}" font-family="sans-serif" font-size="11">""");
        svg.AppendLine(c, $"""<rect width="{width}" height="{PanelHeight + 30}" fill="white"/>""");
        for (int p = 0; p < scenarios.Count; p++)
        {
            var steps = report.Steps.Where(s => s.Scenario == scenarios[p] && s.Error is null && s.ForwardedPacketsPerSecond > 0).ToList();
            double maxX = Nice(steps.Count == 0 ? 1 : steps.Max(s => s.ForwardedPacketsPerSecond));
            double maxY = Nice(Math.Max(10, steps.Count == 0 ? 100 : steps.Max(s => s.ServerCpuPercent)));
            int ox = p * PanelWidth + Left;
            svg.AppendLine(c, $"""<text x="{ox + PlotWidth / 2}" y="20" text-anchor="middle" font-size="13" font-weight="bold">{WebUtility.HtmlEncode(scenarios[p])}</text>""");
            svg.AppendLine(c, $"""<rect x="{ox}" y="{Top}" width="{PlotWidth}" height="{PlotHeight}" fill="none" stroke="#444"/>""");
            for (int t = 0; t <= 4; t++)
            {
                double fx = t / 4.0;
                int x = ox + (int)(fx * PlotWidth);
                int y = Top + PlotHeight - (int)(fx * PlotHeight);
                svg.AppendLine(c, $"""<line x1="{x}" y1="{Top}" x2="{x}" y2="{Top + PlotHeight}" stroke="#ddd"/><text x="{x}" y="{Top + PlotHeight + 14}" text-anchor="middle">{Format(fx * maxX)}</text>""");
                svg.AppendLine(c, $"""<line x1="{ox}" y1="{y}" x2="{ox + PlotWidth}" y2="{y}" stroke="#ddd"/><text x="{ox - 4}" y="{y + 4}" text-anchor="end">{fx * maxY:F0}</text>""");
            }
            svg.AppendLine(c, $"""<text x="{ox + PlotWidth / 2}" y="{Top + PlotHeight + 30}" text-anchor="middle">forwarded packets/s</text>""");
            svg.AppendLine(c, $"""<text x="{ox - 40}" y="{Top + PlotHeight / 2}" text-anchor="middle" transform="rotate(-90 {ox - 40} {Top + PlotHeight / 2})">server CPU, % of one core</text>""");
            int legend = 0;
            foreach (var target in steps.GroupBy(s => s.Target))
            {
                string color = Colors.GetValueOrDefault(target.Key, "#2ca02c");
                var points = target.OrderBy(s => s.ForwardedPacketsPerSecond)
                    .Select(s => (X: ox + s.ForwardedPacketsPerSecond / maxX * PlotWidth, Y: Top + PlotHeight - Math.Min(s.ServerCpuPercent, maxY) / maxY * PlotHeight, s.WithinThresholds))
                    .ToList();
                svg.AppendLine(c, $"""<polyline fill="none" stroke="{color}" stroke-width="2" points="{string.Join(' ', points.Select(q => string.Create(c, $"{q.X:F1},{q.Y:F1}")))}"/>""");
                foreach (var q in points)
                    svg.AppendLine(c, $"""<circle cx="{q.X:F1}" cy="{q.Y:F1}" r="3.5" fill="{(q.WithinThresholds ? color : "white")}" stroke="{color}" stroke-width="1.5"/>""");
                svg.AppendLine(c, $"""<rect x="{ox + 8}" y="{Top + 8 + legend * 16}" width="10" height="10" fill="{color}"/><text x="{ox + 22}" y="{Top + 17 + legend * 16}">{WebUtility.HtmlEncode(target.Key)}</text>""");
                legend++;
            }
        }
        svg.AppendLine(c, $"""<text x="8" y="{PanelHeight + 22}" fill="#555">Hollow points: over the loss or delay threshold. Lower and further right is better. {WebUtility.HtmlEncode(report.StartedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", c))}</text>""");
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static double Nice(double value)
    {
        if (value <= 0)
            return 1;
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (double step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= value)
                return step * magnitude;
        }
        return 10 * magnitude;
    }

    private static string Format(double value) => value >= 1000 ? (value / 1000).ToString("0.#", CultureInfo.InvariantCulture) + "k" : value.ToString("0", CultureInfo.InvariantCulture);
}
