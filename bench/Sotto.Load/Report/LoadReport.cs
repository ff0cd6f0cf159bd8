using Sotto.Load.Harness;

namespace Sotto.Load.Report;

/// <summary>Everything one run produced: the machine, what ran, every step, and the ratios against the goals.</summary>
internal sealed record LoadReport
{
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset FinishedAt { get; init; }
    public required string Command { get; init; }
    public required MachineInfo Machine { get; init; }
    public required Dictionary<string, string> Targets { get; init; }
    public required string VideoProfile { get; init; }
    public required double MaxLoss { get; init; }
    public required double MaxP99Ms { get; init; }
    public required List<StepResult> Steps { get; init; }
    public required List<GoalCheck> Goals { get; init; }
}

internal sealed record MachineInfo(string Cpu, int Cores, string Kernel, string Runtime, string LoadAverageAtStart, string LoadAverageAtEnd, int? ServerCore, bool Namespace)
{
    /// <summary>RPS on the veth pair: each side's receive path ran on its own core (NetworkNamespace.SteerReceiveTo).</summary>
    public bool ReceiveSteering { get; init; }
}

/// <summary>One goal of issue 9 with the measured ratio (null when the run has no data for it).</summary>
internal sealed record GoalCheck(string Goal, string Target, double? Measured, bool? Met, string How);
