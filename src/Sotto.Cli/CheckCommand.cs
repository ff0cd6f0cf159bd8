using System.Globalization;
using Sotto.Client;

namespace Sotto.Cli;

/// <summary><c>sotto check &lt;url&gt;</c>: a verdict a non-expert understands, one line per step.</summary>
internal static class CheckCommand
{
    public static async Task<int> RunAsync(string url, TimeSpan timeout, Strings strings, TextWriter output, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url.Contains("://", StringComparison.Ordinal) ? url : "https://" + url, UriKind.Absolute, out Uri? server))
        {
            output.WriteLine(strings.Format("bad-link", url));
            return 2;
        }
        output.WriteLine(strings.Format("check-title", server.GetLeftPart(UriPartial.Authority)));
        CheckReport report = await ConnectivityCheck.RunAsync(server, timeout, cancellationToken).ConfigureAwait(false);
        string port = report.MediaAddress ?? "?";
        if (report.Reached == CheckStep.None)
        {
            output.WriteLine(strings.Format("check-reachable-fail", report.Failure));
            output.WriteLine(strings["verdict-web"]);
            return 1;
        }
        output.WriteLine(strings.Format("check-reachable-ok", Milliseconds(report.HttpTime)));
        if (report.Reached == CheckStep.Reachable)
        {
            output.WriteLine(strings.Format("check-signaling-fail", report.Failure));
            output.WriteLine(strings["verdict-signaling"]);
            return 1;
        }
        output.WriteLine(strings["check-signaling-ok"]);
        if (report.Reached == CheckStep.Signaling)
        {
            output.WriteLine(strings.Format("check-udp-fail", port));
            output.WriteLine(strings.Format("verdict-udp", PortOf(report.MediaAddress)));
            return 1;
        }
        output.WriteLine(strings.Format("check-udp-ok", port));
        if (report.Reached == CheckStep.UdpOpen)
        {
            output.WriteLine(strings.Format("check-dtls-fail", report.Failure));
            output.WriteLine(strings["verdict-dtls"]);
            return 1;
        }
        output.WriteLine(strings.Format("check-dtls-ok", report.SrtpProfile, Milliseconds(report.DtlsTime)));
        output.WriteLine(strings["verdict-ok"]);
        return 0;
    }

    private static string Milliseconds(TimeSpan? time) => ((int)(time?.TotalMilliseconds ?? 0)).ToString(CultureInfo.InvariantCulture);

    private static string PortOf(string? address) => address is not null && address.LastIndexOf(':') is int i and >= 0 ? address[(i + 1)..] : "10000";
}
