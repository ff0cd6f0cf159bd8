namespace Sotto.Transport;

/// <summary>Sees a datagram on the receive loop; must not keep the span.</summary>
internal delegate void DatagramTap(DatagramKind kind, ReadOnlySpan<byte> datagram);
