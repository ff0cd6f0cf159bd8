namespace Sotto.Load.Harness;

/// <summary>What one ramp step measured on one target (the JSON report's rows).</summary>
internal sealed record StepResult
{
    public required string Target { get; init; }
    public required string Scenario { get; init; }
    public required int Size { get; init; }
    public required int Publishers { get; init; }
    public required int Subscribers { get; init; }
    public bool Simulcast { get; init; }
    /// <summary>Sotto's last-N for this step (null: every stream forwarded).</summary>
    public int? LastN { get; init; }
    /// <summary>Subscribers this server would carry on one whole core at this step's rate: subscribers ÷ (server CPU ÷ 100 %).</summary>
    public double SubscribersPerCore => ServerCpuPercent > 0 ? Subscribers / (ServerCpuPercent / 100) : double.NaN;
    public string? SrtpProfile { get; init; }
    /// <summary>Null when the step ran; otherwise why it could not be set up.</summary>
    public string? Error { get; init; }
    public double Seconds { get; init; }
    public double SentPacketsPerSecond { get; init; }
    public double ForwardedPacketsPerSecond { get; init; }
    public double ForwardedMbitPerSecond { get; init; }
    /// <summary>Server CPU time per forwarded packet, µs (user + system, /proc/&lt;pid&gt;/stat).</summary>
    public double ServerCpuMicrosPerPacket { get; init; }
    /// <summary>The same with the server's idle CPU (measured before its ramps) subtracted: the cost of forwarding alone.</summary>
    public double ServerMarginalCpuMicrosPerPacket { get; init; }
    /// <summary>Server CPU in percent of one core.</summary>
    public double ServerCpuPercent { get; init; }
    /// <summary>The generator's own CPU in percent of one core (it is pinned to one).</summary>
    public double GeneratorCpuPercent { get; init; }
    /// <summary>Loss: packets the publishers numbered (ProbeTrailer counter) that subscribers did not receive, as RFC 3550 §A.3 counts it.</summary>
    public double Loss { get; init; }
    public double SequenceLoss { get; init; }
    public double DeliveryRatio { get; init; }
    public double DelayP50Ms { get; init; }
    public double DelayP99Ms { get; init; }
    public double ServerRssMiB { get; init; }
    /// <summary>The pacer fell behind its schedule (the generator's send side saturated).</summary>
    public long PacerLateTicks { get; init; }
    public bool GeneratorSaturated { get; init; }
    /// <summary>The most source streams (audio, video layers) any one subscriber received in the measured window: shows last-N and simulcast at work.</summary>
    public int MaxStreamsPerSubscriber { get; init; }
    public bool WithinThresholds { get; init; }
}
