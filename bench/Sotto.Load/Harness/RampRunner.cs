using System.Diagnostics;
using System.Globalization;
using Sotto.Load.Media;
using Sotto.Load.Targets;

namespace Sotto.Load.Harness;

/// <summary>
/// Ramps one scenario on one target: builds the room for each size, lets media flow for the
/// warm-up, then measures a window — forwarded packets and octets, loss, one-way delay, the
/// server's CPU from /proc and the generator's own — and stops at the first step over a threshold
/// (loss &gt; 0.5 % or p99 &gt; 50 ms by default) or when the generator saturates.
/// </summary>
internal sealed class RampRunner(LoadOptions options, TextWriter progress)
{
    /// <summary>Generator CPU above this share of its core: its numbers no longer describe the server.</summary>
    private const double GeneratorSaturationPercent = 92;

    private readonly Dictionary<string, double> _idleCpuPercent = [];

    /// <summary>Measures the started server's CPU with no participants (timers, GC, housekeeping), in percent of one core.</summary>
    public async Task<double> MeasureIdleAsync(ILoadTarget target, TimeSpan duration, CancellationToken cancellationToken)
    {
        TimeSpan before = ServerProcess.ReadCpuTime(target.ServerProcessId);
        long start = Stopwatch.GetTimestamp();
        await Task.Delay(duration, cancellationToken);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        double percent = 100 * (ServerProcess.ReadCpuTime(target.ServerProcessId) - before).TotalSeconds / seconds;
        _idleCpuPercent[target.Name] = percent;
        return percent;
    }

    /// <summary>
    /// One unreported step (a 12-publisher meeting, 22 k packets/s) before a target's ramps, so that what
    /// the ramps measure is a server in its steady state — code compiled, pools and caches grown — as a
    /// production server is after minutes of uptime. .NET's tiered JIT recompiles a hot method only after
    /// enough calls: measured here, the same 4-publisher step cost Sotto 71, then 48 µs per packet after a
    /// 30 s 4-publisher warm-up, and 21 µs once a 12-publisher step had run. Every target gets the same warm-up.
    /// </summary>
    public async Task WarmUpServerAsync(ILoadTarget target, TimeSpan duration, CancellationToken cancellationToken)
    {
        var quiet = new RampRunner(new LoadOptions { Warmup = TimeSpan.Zero, Measure = duration, VideoKbps = options.VideoKbps }, TextWriter.Null);
        progress.WriteLine($"[{target.Name}] server warm-up: a 12-publisher meeting for {duration.TotalSeconds:F0} s (not reported)");
        StepResult result = await quiet.RunStepAsync(target, Scenarios.Build(Scenarios.Meeting, 12, options.VideoProfile, options.VideoKbps), cancellationToken);
        if (result.Error is not null)
            progress.WriteLine($"[{target.Name}] server warm-up failed: {result.Error}");
    }

    public async Task<List<StepResult>> RampAsync(ILoadTarget target, string scenario, IReadOnlyList<int> sizes, CancellationToken cancellationToken)
    {
        var results = new List<StepResult>();
        int breaches = 0;
        foreach (int size in sizes)
        {
            StepPlan plan = Scenarios.Build(scenario, size, options.VideoProfile, options.VideoKbps, target.LastN);
            StepResult result = await RunStepAsync(target, plan, cancellationToken);
            results.Add(result);
            // Loss stops the ramp at the second step over the threshold in a row (one may be the shared
            // machine's noise). Delay alone does not stop it: on a loaded two-core machine the p99 is
            // mostly the scheduler's (the relay floor shows the same), so the ramp goes on to find where
            // loss starts, and each step still records whether it met the delay threshold.
            breaches = result.Loss <= options.MaxLoss ? 0 : breaches + 1;
            if (result.Error is not null || breaches >= 2 || result.GeneratorSaturated)
            {
                string why = result.Error is not null ? "setup failed"
                    : result.GeneratorSaturated ? "the generator saturated first"
                    : "loss over the threshold twice in a row";
                progress.WriteLine($"[{target.Name}] {scenario}: ramp stops at size {size} ({why})");
                break;
            }
        }
        return results;
    }

    public async Task<StepResult> RunStepAsync(ILoadTarget target, StepPlan plan, CancellationToken cancellationToken)
    {
        var delays = new DelayHistogram();
        string label = $"[{target.Name}] {plan.Scenario} size {plan.Size}";
        progress.WriteLine($"{label}: setting up {plan.Participants.Count} participants ({plan.PublisherCount} publishing)…");
        var setupWatch = Stopwatch.StartNew();
        StepSession session;
        try
        {
            session = await target.SetupAsync(plan, delays, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            progress.WriteLine($"{label}: setup failed: {exception.GetBaseException().Message}");
            return Empty(target, plan) with { Error = exception.GetBaseException().Message };
        }

        await using (session)
        {
            using var pacer = new Pacer(session.Publishers);
            // Servers start forwarding a stream at different moments after the handshake (Janus after its
            // own "webrtcup" and a key frame): measure only once every subscriber gets every stream.
            var flowing = Stopwatch.StartNew();
            while (!session.Subscribers.All(s => s.AllStreamsFlowing) && flowing.Elapsed < TimeSpan.FromSeconds(20))
                await Task.Delay(50, cancellationToken);
            int missing = session.Subscribers.Count(s => !s.AllStreamsFlowing);
            progress.WriteLine($"{label}: ready in {setupWatch.Elapsed.TotalSeconds:F1} s, media flowing after {flowing.Elapsed.TotalSeconds:F1} s{(missing > 0 ? $" ({missing} subscribers still miss a stream)" : "")}; warming up {options.Warmup.TotalSeconds:F0} s");
            await Task.Delay(options.Warmup, cancellationToken);

            Snapshot start = Take(target, session, pacer);
            delays.Reset();
            var window = Stopwatch.StartNew();
            while (window.Elapsed < options.Measure)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                Snapshot now = Take(target, session, pacer);
                double seconds = (now.At - start.At) / (double)Stopwatch.Frequency;
                progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{label}: {window.Elapsed.TotalSeconds,4:F0} s  forwarded {(now.Received - start.Received) / seconds,9:N0} pkt/s  server {100 * (now.ServerCpu - start.ServerCpu).TotalSeconds / seconds,5:F1} %  generator {100 * (now.GeneratorCpu - start.GeneratorCpu).TotalSeconds / seconds,5:F1} %  p99 {delays.Percentile(0.99),6:F2} ms"));
            }

            Snapshot end = Take(target, session, pacer);
            StepResult result = Compute(target, plan, session, start, end, delays);
            progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label}: {result.ForwardedPacketsPerSecond:N0} pkt/s, {result.ForwardedMbitPerSecond:F1} Mbit/s, {result.ServerCpuMicrosPerPacket:F2} µs CPU/packet, loss {100 * result.Loss:F2} %, p50 {result.DelayP50Ms:F2} / p99 {result.DelayP99Ms:F2} ms, RSS {result.ServerRssMiB:F0} MiB, generator {result.GeneratorCpuPercent:F0} %{(result.WithinThresholds ? "" : "  ← over threshold")}{(result.GeneratorSaturated ? "  ← generator saturated" : "")}"));
            return result;
        }
    }

    private StepResult Compute(ILoadTarget target, StepPlan plan, StepSession session, Snapshot start, Snapshot end, DelayHistogram delays)
    {
        double seconds = (end.At - start.At) / (double)Stopwatch.Frequency;
        long received = end.Received - start.Received;
        long expected = end.Expected - start.Expected;
        long sent = end.Sent - start.Sent;
        double sequenceLoss = expected > 0 ? Math.Max(0, 1 - received / (double)expected) : 1;
        double delivery = double.NaN;
        if (!plan.Simulcast && plan.LastN is null && !Scenarios.IsSubscribersPerCore(plan.Scenario))
        {
            // Every participant's media reaches everyone else who subscribes; scenarios are symmetric.
            int fanout = plan.Participants.Where((p, i) => p.Subscribes && i != FirstPublisher(plan)).Count();
            delivery = sent > 0 ? received / (double)(sent * fanout) : 0;
        }
        // Loss is what the publishers numbered and the subscribers did not get (edge-proof); the
        // delivery ratio is a cross-check that every expected stream arrived at all.
        double loss = sequenceLoss;
        double serverCpu = (end.ServerCpu - start.ServerCpu).TotalSeconds;
        double generatorCpu = (end.GeneratorCpu - start.GeneratorCpu).TotalSeconds;
        double p99 = delays.Percentile(0.99);
        bool saturated = 100 * generatorCpu / seconds > GeneratorSaturationPercent;
        double idle = _idleCpuPercent.GetValueOrDefault(target.Name) / 100 * seconds;
        return Empty(target, plan) with
        {
            SrtpProfile = session.SrtpProfile,
            ServerMarginalCpuMicrosPerPacket = received > 0 ? Math.Max(0, serverCpu - idle) * 1e6 / received : double.NaN,
            Seconds = seconds,
            SentPacketsPerSecond = sent / seconds,
            ForwardedPacketsPerSecond = received / seconds,
            ForwardedMbitPerSecond = (end.Octets - start.Octets) * 8 / seconds / 1e6,
            ServerCpuMicrosPerPacket = received > 0 ? serverCpu * 1e6 / received : double.NaN,
            ServerCpuPercent = 100 * serverCpu / seconds,
            GeneratorCpuPercent = 100 * generatorCpu / seconds,
            Loss = loss,
            SequenceLoss = sequenceLoss,
            DeliveryRatio = delivery,
            DelayP50Ms = delays.Percentile(0.50),
            DelayP99Ms = p99,
            ServerRssMiB = end.ServerRss / (1024.0 * 1024.0),
            PacerLateTicks = end.PacerLate - start.PacerLate,
            GeneratorSaturated = saturated,
            MaxStreamsPerSubscriber = session.Subscribers.Count == 0 ? 0 : session.Subscribers.Max(s => s.StreamsActiveSince(start.At)),
            WithinThresholds = received > 0 && loss <= options.MaxLoss && p99 <= options.MaxP99Ms,
        };
    }

    private static int FirstPublisher(StepPlan plan)
    {
        for (int i = 0; i < plan.Participants.Count; i++)
        {
            if (plan.Participants[i].Publishes is not null)
                return i;
        }
        return -1;
    }

    private static StepResult Empty(ILoadTarget target, StepPlan plan) => new()
    {
        Target = target.Name,
        Scenario = plan.Scenario,
        Size = plan.Size,
        Publishers = plan.PublisherCount,
        Subscribers = plan.Participants.Count(p => p.Subscribes),
        Simulcast = plan.Simulcast,
        LastN = plan.LastN,
    };

    private static Snapshot Take(ILoadTarget target, StepSession session, Pacer pacer)
    {
        long received = 0, octets = 0, expected = 0, sent = 0;
        foreach (SubscriberCounters counters in session.Subscribers)
        {
            received += counters.Packets;
            octets += counters.Octets;
            expected += counters.Expected;
        }
        foreach (SyntheticPublisher publisher in session.Publishers)
            sent += publisher.SentPackets;
        int pid = target.ServerProcessId;
        return new Snapshot(
            Stopwatch.GetTimestamp(), received, octets, expected, sent,
            ServerProcess.ReadCpuTime(pid), Process.GetCurrentProcess().TotalProcessorTime,
            ServerProcess.ReadResidentBytes(pid), pacer.LateTicks);
    }

    private readonly record struct Snapshot(long At, long Received, long Octets, long Expected, long Sent, TimeSpan ServerCpu, TimeSpan GeneratorCpu, long ServerRss, long PacerLate);
}
