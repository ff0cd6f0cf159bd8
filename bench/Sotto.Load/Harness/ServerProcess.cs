using System.Diagnostics;
using System.Globalization;

namespace Sotto.Load.Harness;

/// <summary>
/// A server under load as its own process, so /proc/&lt;pid&gt;/stat holds its CPU alone:
/// started inside the benchmark's network namespace (<c>ip netns exec</c>) and pinned to its core
/// (<c>taskset -c</c>); both exec, so the process id is the server's own.
/// </summary>
internal sealed class ServerProcess : IDisposable
{
    private static readonly double ClockTicksPerSecond = 100; // USER_HZ: 100 on Linux x86-64 (sysconf(_SC_CLK_TCK))
    private readonly Process _process;
    private readonly List<string> _output = [];

    private ServerProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the server printed (for errors).</summary>
    public string Tail
    {
        get
        {
            lock (_output)
                return string.Join("\n", _output.TakeLast(Environment.GetEnvironmentVariable("SOTTO_LOAD_JANUS_DEBUG") == "1" ? 20_000 : 30));
        }
    }

    public static ServerProcess Start(string fileName, IEnumerable<string> arguments, string? netns, int? core, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (netns is not null)
        {
            info.FileName = "ip";
            info.ArgumentList.Add("netns");
            info.ArgumentList.Add("exec");
            info.ArgumentList.Add(netns);
        }
        if (core is { } c)
        {
            if (netns is null)
                info.FileName = "taskset";
            else
                info.ArgumentList.Add("taskset");
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(c.ToString(CultureInfo.InvariantCulture));
        }
        if (netns is null && core is null)
            info.FileName = fileName;
        else
            info.ArgumentList.Add(fileName);
        foreach (string argument in arguments)
            info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;

        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        lock (_output)
        {
            _output.Add(line);
            if (_output.Count > 20_000)
                _output.RemoveAt(0);
        }
    }

    /// <summary>User + system CPU time of the process (all its threads), from /proc/&lt;pid&gt;/stat.</summary>
    public TimeSpan CpuTime => ReadCpuTime(Id);

    /// <summary>Resident set size in bytes, from /proc/&lt;pid&gt;/status (VmRSS).</summary>
    public long ResidentBytes => ReadResidentBytes(Id);

    public static TimeSpan ReadCpuTime(int pid)
    {
        // proc(5): the command name in field 2 is parenthesised and may hold spaces; utime and stime
        // are fields 14 and 15, i.e. the 12th and 13th after the closing parenthesis.
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);
    }

    public static long ReadResidentBytes(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
        }
        return 0;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
