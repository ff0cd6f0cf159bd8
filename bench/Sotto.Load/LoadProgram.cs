using System.Globalization;
using System.Runtime.InteropServices;
using Sotto.Load.Harness;
using Sotto.Load.Report;
using Sotto.Load.Targets;

namespace Sotto.Load;

internal static class LoadProgram
{
    public static async Task<int> MainAsync(string[] args)
    {
        if (args.Length >= 3 && args[0] == "relay" && args[1] == "--bind")
            return RelayTarget.RunServer(args[2]);
        if (args.Length == 3 && args[0] == "report")
        {
            // Re-renders a saved run (goals re-evaluated): Sotto.Load report <load-report.json> <folder>
            LoadReport saved = ReportWriter.FromJson(File.ReadAllText(args[1])) ?? throw new InvalidDataException("Not a load report.");
            saved = saved with { Goals = GoalEvaluator.Evaluate(saved.Steps) };
            Console.WriteLine("Report: " + string.Join(", ", ReportWriter.Write(saved, args[2])));
            return 0;
        }
        if (args.Length == 0 || args[0] != "run")
        {
            Console.Error.WriteLine(LoadOptions.Usage);
            return 2;
        }

        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(args[1..]);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(exception.Message);
            return 2;
        }

        // Ctrl+C and SIGTERM end the run cleanly: servers killed, namespace deleted.
        using var cancel = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            cancel.Cancel();
        }
        LoadReport report = await RunAsync(options, "Sotto.Load run " + string.Join(' ', args[1..]), Console.Out, cancel.Token);
        string[] files = ReportWriter.Write(report, options.OutputFolder);
        Console.WriteLine();
        Console.WriteLine(ReportWriter.ToMarkdown(report));
        Console.WriteLine("Report: " + string.Join(", ", files));
        return 0;
    }

    public static async Task<LoadReport> RunAsync(LoadOptions options, string command, TextWriter progress, CancellationToken cancellationToken)
    {
        DateTimeOffset started = DateTimeOffset.UtcNow;
        string loadAtStart = LoadAverage();
        using NetworkNamespace? ns = options.UseNamespace ? NetworkNamespace.Create() : null;
        if (ns is not null)
            progress.WriteLine($"network namespace {ns.Name}: servers on {ns.ServerAddress}, generator on {ns.HostAddress}");
        int? generatorCore = GeneratorCore(options.ServerCore);
        bool steered = false;
        if (ns is not null && options.SteerReceive && options.ServerCore is { } serverCore && generatorCore is { } ownCore)
        {
            ns.SteerReceiveTo(ownCore, serverCore);
            steered = true;
            progress.WriteLine($"receive packet steering: the generator's receiving on core {ownCore}, the server's on core {serverCore}");
        }
        var host = new TargetHost(ns, options.ServerCore);
        var runner = new RampRunner(options, progress);
        var steps = new List<StepResult>();
        var descriptions = new Dictionary<string, string>();
        foreach (string name in options.Targets)
        {
            await using ILoadTarget target = name switch
            {
                "sotto" => new SottoTarget(host),
                _ when LoadOptions.TryParseLastN(name, out int lastN) => new SottoTarget(host, lastN),
                "janus" => new JanusTarget(host),
                "relay" => new RelayTarget(host),
                _ => throw new ArgumentException($"Unknown target {name}."),
            };
            if (target is JanusTarget && (!JanusTarget.IsInstalled || ns is null))
            {
                progress.WriteLine(ns is null ? "janus: skipped (needs the network namespace)" : "janus: skipped (/usr/bin/janus not installed: apt-get install janus)");
                continue;
            }
            progress.WriteLine($"== {name}: starting");
            await target.StartAsync(cancellationToken);
            double idle = await runner.MeasureIdleAsync(target, TimeSpan.FromSeconds(3), cancellationToken);
            descriptions[name] = string.Create(CultureInfo.InvariantCulture, $"{target.Description}; idle CPU {idle:F1} % of a core");
            progress.WriteLine($"== {name}: {descriptions[name]}, pid {target.ServerProcessId}");
            if (options.ServerWarmup > TimeSpan.Zero)
                await runner.WarmUpServerAsync(target, options.ServerWarmup, cancellationToken);
            foreach (string scenario in options.ScenarioNames)
            {
                // Last-N changes what a subscriber receives only where many publish: a last-N target runs the 10-publisher scenarios alone.
                if (target.LastN is not null && !Scenarios.IsSubscribersPerCore(scenario))
                    continue;
                // The relay forwards everything to everyone: it has no layers to choose, so it is a floor for the three issue scenarios only.
                if (target is RelayTarget && Scenarios.IsSubscribersPerCore(scenario))
                    continue;
                steps.AddRange(await runner.RampAsync(target, scenario, options.Sizes[scenario], cancellationToken));
            }
        }

        return new LoadReport
        {
            StartedAt = started,
            FinishedAt = DateTimeOffset.UtcNow,
            Command = command,
            Machine = new MachineInfo(CpuModel(), File.ReadLines("/proc/cpuinfo").Count(l => l.StartsWith("processor", StringComparison.Ordinal)), Kernel(), RuntimeInformation.FrameworkDescription, loadAtStart, LoadAverage(), options.ServerCore, ns is not null) { ReceiveSteering = steered },
            Targets = descriptions,
            VideoProfile = options.VideoProfile.Simulcast
                ? string.Create(CultureInfo.InvariantCulture, $"Opus-shaped audio 50 pkt/s + VP8-shaped video, 3 simulcast layers {string.Join('/', options.VideoProfile.VideoLayerKbps)} kbit/s, 30 fps")
                : string.Create(CultureInfo.InvariantCulture, $"Opus-shaped audio 50 pkt/s (100 B payload) + VP8-shaped video {options.VideoKbps} kbit/s, 30 fps, ≤ 1,100 B payloads"),
            MaxLoss = options.MaxLoss,
            MaxP99Ms = options.MaxP99Ms,
            Steps = steps,
            Goals = GoalEvaluator.Evaluate(steps),
        };
    }

    /// <summary>The one core this process is pinned to (scripts/bench-load.sh uses taskset), if it is pinned to one other than the server's.</summary>
    private static int? GeneratorCore(int? serverCore)
    {
        if (!OperatingSystem.IsLinux())
            return null;
        long mask = (long)Environment.ProcessorCount >= 64 ? 0 : (long)System.Diagnostics.Process.GetCurrentProcess().ProcessorAffinity;
        if (mask == 0 || (mask & (mask - 1)) != 0)
            return null;
        int core = System.Numerics.BitOperations.TrailingZeroCount(mask);
        return core == serverCore ? null : core;
    }

    private static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private static string Kernel()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.OSDescription;
        }
    }

    private static string CpuModel()
    {
        try
        {
            string? line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "?" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
