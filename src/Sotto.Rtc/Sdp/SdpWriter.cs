using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>
/// Writes a <see cref="SessionDescription"/> as SDP text: CRLF after every line (RFC 8866 §5), session
/// lines in the RFC's order, attributes in model order. Chromium's own spelling is the canonical form
/// (e.g. "a=msid-semantic: WMS"), so a captured Chromium description writes back byte for byte.
/// </summary>
internal static class SdpWriter
{
    public static string Write(SessionDescription sd)
    {
        var b = new StringBuilder(1024);
        Line(b, 'v', SdpText.Format(sd.Version));
        Line(b, 'o', sd.Origin.ToString());
        Line(b, 's', sd.SessionName);
        Optional(b, 'i', sd.Information);
        Optional(b, 'u', sd.Uri);
        foreach (var e in sd.Emails)
        {
            Line(b, 'e', e);
        }
        foreach (var p in sd.Phones)
        {
            Line(b, 'p', p);
        }
        Optional(b, 'c', sd.Connection?.ToString());
        foreach (var bw in sd.Bandwidths)
        {
            Line(b, 'b', bw.ToString());
        }
        foreach (var t in sd.Timings)
        {
            Line(b, 't', t.ToString());
            foreach (var r in t.Repeats)
            {
                Line(b, 'r', r);
            }
        }
        Optional(b, 'z', sd.TimeZones);
        Optional(b, 'k', sd.EncryptionKey);
        Attributes(b, sd.Attributes);
        foreach (var m in sd.Media)
        {
            WriteMedia(b, m);
        }
        return b.ToString();
    }

    private static void WriteMedia(StringBuilder b, MediaDescription m)
    {
        var start = b.Length;
        b.Append("m=").Append(m.MediaType).Append(' ').Append(SdpText.Format(m.Port));
        if (m.PortCount is { } count)
        {
            b.Append('/').Append(SdpText.Format(count));
        }
        b.Append(' ').Append(m.Protocol);
        foreach (var f in m.Formats)
        {
            b.Append(' ').Append(f);
        }
        EndLine(b, start);
        Optional(b, 'i', m.Title);
        foreach (var c in m.Connections)
        {
            Line(b, 'c', c.ToString());
        }
        foreach (var bw in m.Bandwidths)
        {
            Line(b, 'b', bw.ToString());
        }
        Optional(b, 'k', m.EncryptionKey);
        Attributes(b, m.Attributes);
    }

    private static void Attributes(StringBuilder b, EquatableArray<SdpAttribute> attributes)
    {
        foreach (var a in attributes)
        {
            var start = b.Length;
            b.Append("a=").Append(a.Name);
            if (a.HasValue)
            {
                b.Append(':');
                a.AppendValue(b);
            }
            EndLine(b, start);
        }
    }

    private static void Optional(StringBuilder b, char type, string? value)
    {
        if (value is not null)
        {
            Line(b, type, value);
        }
    }

    private static void Line(StringBuilder b, char type, string value)
    {
        var start = b.Length;
        b.Append(type).Append('=').Append(value);
        EndLine(b, start);
    }

    /// <summary>
    /// Ends the line begun at <paramref name="start"/>, refusing one that holds CR, LF or NUL: a model
    /// built from untrusted strings (a display name, a remote ufrag) must not inject SDP lines.
    /// </summary>
    private static void EndLine(StringBuilder b, int start)
    {
        for (var i = start; i < b.Length; i++)
        {
            if (b[i] is '\r' or '\n' or '\0')
            {
                throw new InvalidOperationException(
                    $"SDP line '{b.ToString(start, Math.Min(b.Length - start, 40))}' contains CR, LF or NUL; it would break the description's line structure");
            }
        }
        b.Append(SdpText.CrLf);
    }
}
