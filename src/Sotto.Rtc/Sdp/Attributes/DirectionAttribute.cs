using System.Text;

namespace Sotto.Rtc.Sdp;

/// <summary>Media direction (RFC 8866 §6.7): a=sendrecv, a=sendonly, a=recvonly, a=inactive.</summary>
public enum MediaDirection
{
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}

/// <summary>One of the four direction property attributes; the default when none is present is sendrecv.</summary>
public sealed record DirectionAttribute(MediaDirection Direction) : SdpAttribute
{
    public override string Name => ToName(Direction);

    internal override bool HasValue => false;

    internal override void AppendValue(StringBuilder builder)
    {
    }

    public static string ToName(MediaDirection direction) => direction switch
    {
        MediaDirection.SendRecv => "sendrecv",
        MediaDirection.SendOnly => "sendonly",
        MediaDirection.RecvOnly => "recvonly",
        MediaDirection.Inactive => "inactive",
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, "not a media direction"),
    };

    internal static bool TryGetDirection(string name, out MediaDirection direction)
    {
        switch (name)
        {
            case "sendrecv": direction = MediaDirection.SendRecv; return true;
            case "sendonly": direction = MediaDirection.SendOnly; return true;
            case "recvonly": direction = MediaDirection.RecvOnly; return true;
            case "inactive": direction = MediaDirection.Inactive; return true;
            default: direction = default; return false;
        }
    }

    /// <summary>The direction seen from the other side: an answer to sendonly is recvonly (RFC 8829 §5.3.1).</summary>
    public static MediaDirection Reverse(MediaDirection direction) => direction switch
    {
        MediaDirection.SendOnly => MediaDirection.RecvOnly,
        MediaDirection.RecvOnly => MediaDirection.SendOnly,
        _ => direction,
    };
}
