using System.Globalization;
using Sotto.Load.Harness;
using Sotto.Load.Media;

namespace Sotto.Load;

/// <summary>The "run" verb's options (<see cref="Usage"/>).</summary>
internal sealed class LoadOptions
{
    public const string Usage = """
        Sotto.Load run [options]
          --targets sotto,janus,relay,sotto-last4
                                            servers to ramp, in this order (janus needs /usr/bin/janus;
                                            sotto-last<N>: Sotto with Sotto:Media:LastN=N, runs meeting10* only)
          --scenarios meeting,webinar,audio-room,meeting10,meeting10-simulcast
          --meeting 2,4,6,...               ramp sizes per scenario (publishers / subscribers / listeners)
          --webinar 10,20,...
          --audio-room 10,20,...
          --meeting10 10,20,...             viewers next to 10 publishers (meeting10 and meeting10-simulcast)
          --video-kbps 1000                 video bitrate per publisher (one layer)
          --simulcast                       three layers (1/8, 1/3, 1 of --video-kbps) instead of one
          --warmup 2 --measure 5            seconds per step
          --server-warmup 15                seconds of an unreported 12-publisher meeting before each target's ramps (0: none)
          --max-loss 0.005 --max-p99-ms 50  ramp thresholds
          --server-core 1                   taskset core for the server (-1: not pinned)
          --no-netns                        loopback instead of the benchmark's network namespace (no janus)
          --no-rps                          no receive packet steering on the veth pair (each receiver's
                                            kernel work is then charged to the sender, see docs/performance.md)
          --out DIR                         report folder (load-report.json, .md, .svg)
        """;

    public IReadOnlyList<string> Targets { get; set; } = ["sotto", "janus", "relay", "sotto-last4"];

    public IReadOnlyList<string> ScenarioNames { get; set; } = Scenarios.All;

    public Dictionary<string, IReadOnlyList<int>> Sizes { get; } = new()
    {
        // SottoTarget raises Sotto's room limits (Rooms:MaxParticipantsPerRoom, Sotto:Media:MaxParticipantsPerRoom)
        // for the benchmark; Janus's rooms are created with publishers = 1000.
        [Scenarios.Meeting] = [4, 8, 12, 16, 20, 24],
        [Scenarios.Webinar] = [15, 30, 60],
        [Scenarios.AudioRoom] = [15, 30, 44],
        [Scenarios.Meeting10] = [5, 10, 20, 30],
        [Scenarios.Meeting10Simulcast] = [5, 10, 20, 30],
    };

    public int VideoKbps { get; set; } = 1000;

    public bool Simulcast { get; set; }

    public MediaProfile VideoProfile => Simulcast ? MediaProfile.AudioSimulcast(VideoKbps) : MediaProfile.AudioVideo(VideoKbps);

    public TimeSpan Warmup { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan Measure { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>An unreported step before each target's ramps (RampRunner.WarmUpServerAsync).</summary>
    public TimeSpan ServerWarmup { get; set; } = TimeSpan.FromSeconds(15);

    public double MaxLoss { get; set; } = 0.005;

    public double MaxP99Ms { get; set; } = 50;

    public int? ServerCore { get; set; } = 1;

    public bool UseNamespace { get; set; } = true;

    /// <summary>RPS on the veth pair when the generator and the server are pinned to different cores (NetworkNamespace.SteerReceiveTo).</summary>
    public bool SteerReceive { get; set; } = true;

    public string OutputFolder { get; set; } = "load-report";

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string Next() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            static IReadOnlyList<int> Ints(string s) => [.. s.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(x => int.Parse(x, CultureInfo.InvariantCulture))];
            static IReadOnlyList<string> Words(string s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries);
            switch (args[i])
            {
                case "--targets": options.Targets = Words(Next()); break;
                case "--scenarios": options.ScenarioNames = Words(Next()); break;
                case "--meeting": options.Sizes[Scenarios.Meeting] = Ints(Next()); break;
                case "--webinar": options.Sizes[Scenarios.Webinar] = Ints(Next()); break;
                case "--audio-room": options.Sizes[Scenarios.AudioRoom] = Ints(Next()); break;
                case "--meeting10":
                    options.Sizes[Scenarios.Meeting10] = Ints(Next());
                    options.Sizes[Scenarios.Meeting10Simulcast] = options.Sizes[Scenarios.Meeting10];
                    break;
                case "--video-kbps": options.VideoKbps = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--simulcast": options.Simulcast = true; break;
                case "--warmup": options.Warmup = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)); break;
                case "--server-warmup": options.ServerWarmup = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)); break;
                case "--measure": options.Measure = TimeSpan.FromSeconds(double.Parse(Next(), CultureInfo.InvariantCulture)); break;
                case "--max-loss": options.MaxLoss = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--max-p99-ms": options.MaxP99Ms = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--server-core":
                    int core = int.Parse(Next(), CultureInfo.InvariantCulture);
                    options.ServerCore = core < 0 ? null : core;
                    break;
                case "--no-netns": options.UseNamespace = false; break;
                case "--no-rps": options.SteerReceive = false; break;
                case "--out": options.OutputFolder = Next(); break;
                default: throw new ArgumentException($"Unknown option {args[i]}.\n{Usage}");
            }
        }
        foreach (string scenario in options.ScenarioNames)
        {
            if (!Scenarios.All.Contains(scenario))
                throw new ArgumentException($"Unknown scenario {scenario}.");
        }
        foreach (string target in options.Targets)
        {
            if (target is not ("sotto" or "janus" or "relay") && !TryParseLastN(target, out _))
                throw new ArgumentException($"Unknown target {target}.");
        }
        return options;
    }

    /// <summary>"sotto-last4" → 4: Sotto with <c>Sotto:Media:LastN</c>.</summary>
    public static bool TryParseLastN(string target, out int lastN)
    {
        lastN = 0;
        return target.StartsWith("sotto-last", StringComparison.Ordinal)
            && int.TryParse(target.AsSpan("sotto-last".Length), NumberStyles.None, CultureInfo.InvariantCulture, out lastN)
            && lastN > 0;
    }
}
