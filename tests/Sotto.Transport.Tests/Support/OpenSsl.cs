using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Sotto.Transport.Tests.Support;

/// <summary>
/// Drives the <c>openssl</c> command line (OpenSSL 3.0, installed by scripts/test.sh) as an
/// independent DTLS implementation, and reads what it prints.
/// </summary>
internal sealed partial class OpenSsl : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private OpenSsl(string arguments)
    {
        var start = new ProcessStartInfo("openssl", arguments)
        {
            RedirectStandardInput = true, // s_server quits on stdin EOF; keep it open.
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    public static OpenSsl Start(string arguments) => new(arguments);

    /// <summary>Runs openssl to completion (for key generation); throws on failure.</summary>
    public static void Run(string arguments)
    {
        using var openssl = new OpenSsl(arguments);
        if (!openssl._process.WaitForExit(30_000) || openssl._process.ExitCode != 0)
            throw new InvalidOperationException($"openssl {arguments} failed:\n{openssl.Output}");
        openssl._process.WaitForExit();
    }

    /// <summary>Waits until the output matches; returns the first group.</summary>
    public async Task<string> WaitForAsync(Regex pattern, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            var match = pattern.Match(Output);
            if (match.Success)
                return match.Groups[1].Value;
            await Task.Delay(20);
        }

        throw new TimeoutException($"openssl did not print {pattern} within {timeout}. Output:\n{Output}");
    }

    /// <summary>The exporter output OpenSSL prints after the handshake with <c>-keymatexport</c>.</summary>
    public Task<string> WaitForKeyingMaterialAsync(TimeSpan timeout) => WaitForAsync(KeyingMaterial(), timeout);

    public Task<string> WaitForSrtpProfileAsync(TimeSpan timeout) => WaitForAsync(SrtpProfile(), timeout);

    /// <summary>A free UDP port on loopback for a server we cannot ask to bind port 0 and tell us.</summary>
    public static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5_000);
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Keying material: ([0-9A-F]+)")]
    private static partial Regex KeyingMaterial();

    [GeneratedRegex(@"SRTP Extension negotiated, profile=(\S+)")]
    private static partial Regex SrtpProfile();
}
