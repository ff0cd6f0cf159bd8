using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>One rid in a simulcast stream; "~" before it means the stream starts paused (RFC 8853 §5.1).</summary>
public sealed record SimulcastRid(string Rid, bool Paused)
{
    public override string ToString() => Paused ? "~" + Rid : Rid;
}

/// <summary>One simulcast stream: its rid, or several alternative rids separated by ',' (RFC 8853 §5.1).</summary>
public sealed record SimulcastStream(EquatableArray<SimulcastRid> Alternatives)
{
    public override string ToString() => string.Join(',', Alternatives);
}

/// <summary>
/// a=simulcast:[send &lt;streams&gt;] [recv &lt;streams&gt;] (RFC 8853 §5.1), streams separated by ';',
/// e.g. "a=simulcast:send q;h;f". The writer puts send before recv; RFC 8853 allows either order.
/// </summary>
public sealed record SimulcastAttribute(EquatableArray<SimulcastStream> Send, EquatableArray<SimulcastStream> Receive) : SdpAttribute
{
    public const string AttributeName = "simulcast";

    public override string Name => AttributeName;

    internal static bool TryParseValue(string value, out SdpAttribute? attribute, out string? error)
    {
        var f = SdpText.SplitFields(value);
        if (f.Length is not (2 or 4))
        {
            return Fail(AttributeName, "expected 'send <streams>' and/or 'recv <streams>'", out attribute, out error);
        }
        EquatableArray<SimulcastStream>? send = null;
        EquatableArray<SimulcastStream>? receive = null;
        for (var i = 0; i < f.Length; i += 2)
        {
            if (!TryParseStreams(f[i + 1], out var streams, out var reason))
            {
                return Fail(AttributeName, reason!, out attribute, out error);
            }
            switch (f[i])
            {
                case "send" when send is null: send = streams; break;
                case "recv" when receive is null: receive = streams; break;
                case "send" or "recv": return Fail(AttributeName, $"'{f[i]}' appears twice", out attribute, out error);
                default: return Fail(AttributeName, $"direction {SdpText.Quote(f[i])} is not 'send' or 'recv'", out attribute, out error);
            }
        }
        return Success(new SimulcastAttribute(send ?? default, receive ?? default), out attribute, out error);
    }

    private static bool TryParseStreams(string text, out EquatableArray<SimulcastStream> streams, out string? error)
    {
        var list = new List<SimulcastStream>();
        foreach (var streamText in text.Split(';'))
        {
            var alternatives = new List<SimulcastRid>();
            foreach (var idText in streamText.Split(','))
            {
                var paused = idText.StartsWith('~');
                var rid = paused ? idText[1..] : idText;
                if (!RidAttribute.IsRidId(rid))
                {
                    streams = default;
                    error = $"rid {SdpText.Quote(idText)} is not [~]<rid-id>";
                    return false;
                }
                alternatives.Add(new SimulcastRid(rid, paused));
            }
            list.Add(new SimulcastStream(EquatableArray.From(alternatives)));
        }
        streams = EquatableArray.From(list);
        error = null;
        return true;
    }

    internal override void AppendValue(StringBuilder builder)
    {
        if (Send.Count > 0)
        {
            builder.Append("send ").AppendJoin(';', Send);
        }
        if (Receive.Count > 0)
        {
            builder.Append(Send.Count > 0 ? " recv " : "recv ").AppendJoin(';', Receive);
        }
    }
}
