using System.Globalization;
using Sotto.Load.Harness;

namespace Sotto.Load.Report;

/// <summary>Turns the steps into issue 9's four ratios, each with how it was computed.</summary>
internal static class GoalEvaluator
{
    public static List<GoalCheck> Evaluate(IReadOnlyList<StepResult> steps)
    {
        var goals = new List<GoalCheck>();
        double? cpuVsJanus = MedianRatio(steps, "sotto", "janus", Scenarios.Meeting, s => s.ServerCpuMicrosPerPacket);
        goals.Add(new GoalCheck("Server CPU per forwarded packet, Sotto ÷ Janus (meeting)", "≤ 0.5", cpuVsJanus, cpuVsJanus is null ? null : cpuVsJanus <= 0.5,
            "median over meeting sizes both targets ran with loss ≤ 0.5 %"));

        int? sottoCapacity = Capacity(steps, "sotto", Scenarios.Meeting);
        int? janusCapacity = Capacity(steps, "janus", Scenarios.Meeting);
        double? capacityRatio = sottoCapacity is { } a && janusCapacity is { } b && b > 0 ? a / (double)b : null;
        bool sottoLimitedByGenerator = steps.Any(s => s.Target == "sotto" && s.Scenario == Scenarios.Meeting && s.GeneratorSaturated);
        bool sottoNeverSaturated = NeverSaturated(steps, "sotto", Scenarios.Meeting);
        goals.Add(new GoalCheck("Meeting capacity on one core, Sotto ÷ Janus (publishers before loss > 0.5 %)", "≥ 2", capacityRatio,
            sottoLimitedByGenerator || capacityRatio is null ? null : capacityRatio >= 2,
            string.Create(CultureInfo.InvariantCulture, $"Sotto {sottoCapacity?.ToString(CultureInfo.InvariantCulture) ?? "—"}, Janus {janusCapacity?.ToString(CultureInfo.InvariantCulture) ?? "—"}")
            + (sottoLimitedByGenerator ? "; the generator saturated before Sotto did, so Sotto's capacity is a lower bound: compare CPU per packet instead" : "")
            + (sottoNeverSaturated && !sottoLimitedByGenerator ? "; Sotto lost nothing up to the largest size run, so its figure is a lower bound" : "")));

        StepResult? half = HalfCapacityStep(steps, "sotto", Scenarios.Meeting);
        goals.Add(new GoalCheck("Sotto added delay p99 at half its meeting capacity (ms)", "≤ 2", half?.DelayP99Ms, half is null ? null : half.DelayP99Ms <= 2,
            half is null ? "no data" : string.Create(CultureInfo.InvariantCulture, $"step of {half.Size} publishers, {half.ForwardedPacketsPerSecond:N0} pkt/s; one-way delay through the generator's own send and receive path included")));

        double? cpuVsRelay = MedianRatio(steps, "sotto", "relay", Scenarios.Meeting, s => s.ServerCpuMicrosPerPacket);
        goals.Add(new GoalCheck("Server CPU per forwarded packet, Sotto ÷ plain relay (meeting)", "≤ 3", cpuVsRelay, cpuVsRelay is null ? null : cpuVsRelay <= 3,
            "median over meeting sizes both targets ran with loss ≤ 0.5 %"));
        return goals;
    }

    public static double? MedianRatio(IReadOnlyList<StepResult> steps, string a, string b, string scenario, Func<StepResult, double> metric)
    {
        var ratios = new List<double>();
        foreach (StepResult x in steps.Where(s => s.Target == a && s.Scenario == scenario && Usable(s)))
        {
            StepResult? y = steps.FirstOrDefault(s => s.Target == b && s.Scenario == scenario && s.Size == x.Size && s.Simulcast == x.Simulcast && Usable(s));
            if (y is not null && metric(y) > 0)
                ratios.Add(metric(x) / metric(y));
        }
        if (ratios.Count == 0)
            return null;
        ratios.Sort();
        return ratios.Count % 2 == 1 ? ratios[ratios.Count / 2] : (ratios[ratios.Count / 2 - 1] + ratios[ratios.Count / 2]) / 2;
    }

    /// <summary>
    /// The largest size below the first size that lost more than the threshold. Loss only: on the
    /// shared two-core machine the p99 delay is mostly the scheduler's (the relay floor shows it too),
    /// so a capacity by delay would measure the other tenants; each step still reports its delay.
    /// </summary>
    public static int? Capacity(IReadOnlyList<StepResult> steps, string target, string scenario)
    {
        int? capacity = null;
        foreach (StepResult s in steps.Where(s => s.Target == target && s.Scenario == scenario).OrderBy(s => s.Size))
        {
            if (s.Error is not null || s.Loss > MaxLossForCpu)
                break;
            capacity = s.Size;
        }
        return capacity;
    }

    /// <summary>True when the target never lost packets over the threshold in the ramp: its capacity is a lower bound.</summary>
    private static bool NeverSaturated(IReadOnlyList<StepResult> steps, string target, string scenario)
        => steps.Where(s => s.Target == target && s.Scenario == scenario).All(s => s.Error is null && s.Loss <= MaxLossForCpu);

    private static StepResult? HalfCapacityStep(IReadOnlyList<StepResult> steps, string target, string scenario)
    {
        int? capacity = Capacity(steps, target, scenario);
        var ok = steps.Where(s => s.Target == target && s.Scenario == scenario && s.Size <= capacity).ToList();
        if (ok.Count == 0)
            return null;
        double half = ok.Max(s => s.ForwardedPacketsPerSecond) / 2;
        return ok.MinBy(s => Math.Abs(s.ForwardedPacketsPerSecond - half));
    }

    /// <summary>CPU per packet is compared where both servers forwarded without loss over the threshold (delay is the machine's as much as the server's).</summary>
    private static bool Usable(StepResult s) => s.Error is null && s.Loss <= MaxLossForCpu && s.ForwardedPacketsPerSecond > 0;

    private const double MaxLossForCpu = 0.005;
}
