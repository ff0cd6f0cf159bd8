using System.Buffers.Binary;

namespace Sotto.Rtc.Codecs.Vp8;

/// <summary>
/// The VP8 payload descriptor at the start of every VP8 RTP payload (RFC 7741 §4.2). It is outside
/// the end-to-end encrypted frame, so the SFU reads picture ids and temporal layers from it, and
/// rewrites picture id and TL0PICIDX in place to keep them continuous across simulcast switches.
/// <code>
///       0 1 2 3 4 5 6 7
///      +-+-+-+-+-+-+-+-+
///      |X|R|N|S|R| PID | (REQUIRED)
///      +-+-+-+-+-+-+-+-+
/// X:   |I|L|T|K| RSV   | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
/// I:   |M| PictureID   | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
///      |   PictureID   | (when M = 1: 15-bit picture id)
///      +-+-+-+-+-+-+-+-+
/// L:   |   TL0PICIDX   | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
/// T/K: |TID|Y| KEYIDX  | (OPTIONAL)
///      +-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly record struct Vp8PayloadDescriptor
{
    private const byte ExtendedBit = 0x80;      // X
    private const byte NonReferenceBit = 0x20;  // N
    private const byte StartBit = 0x10;         // S
    private const byte PartitionMask = 0x07;    // PID
    private const byte PictureIdBit = 0x80;     // I
    private const byte Tl0PicIdxBit = 0x40;     // L
    private const byte TidBit = 0x20;           // T
    private const byte KeyIdxBit = 0x10;        // K
    private const byte LongPictureIdBit = 0x80; // M
    private const byte LayerSyncBit = 0x20;     // Y
    private const byte KeyIdxMask = 0x1F;

    public const ushort MaxPictureId = 0x7FFF;
    public const byte MaxShortPictureId = 0x7F;
    public const byte MaxPartitionIndex = 7;
    public const byte MaxTemporalLayerId = 3;
    public const byte MaxKeyIndex = 31;

    /// <summary>N: the frame can be discarded without affecting others.</summary>
    public bool NonReference { get; init; }

    /// <summary>S: this packet starts a VP8 partition.</summary>
    public bool StartOfPartition { get; init; }

    /// <summary>PID: the partition index (0–7).</summary>
    public byte PartitionIndex { get; init; }

    /// <summary>PictureID (7 or 15 bits), if I is set.</summary>
    public ushort? PictureId { get; init; }

    /// <summary>M: the picture id is written on 15 bits (Chromium always does so).</summary>
    public bool LongPictureId { get; init; }

    /// <summary>TL0PICIDX, if L is set: increments with each temporal-layer-0 frame.</summary>
    public byte? Tl0PicIdx { get; init; }

    /// <summary>TID (0–3), if T is set.</summary>
    public byte? TemporalLayerId { get; init; }

    /// <summary>Y: layer sync (meaningful when T is set).</summary>
    public bool LayerSync { get; init; }

    /// <summary>KEYIDX (0–31), if K is set.</summary>
    public byte? KeyIndex { get; init; }

    /// <summary>True when this packet carries the first byte of a frame (S = 1 and PID = 0).</summary>
    public bool IsFirstPacketOfFrame => StartOfPartition && PartitionIndex == 0;

    /// <summary>Parses the descriptor at the start of <paramref name="payload"/>; <paramref name="consumed"/> is its length. Never throws.</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out Vp8PayloadDescriptor descriptor, out int consumed)
    {
        descriptor = default;
        consumed = 0;
        if (!TryLocate(payload, out var layout))
        {
            return false;
        }
        var first = payload[0];
        ushort? pictureId = null;
        if (layout.PictureIdOffset > 0)
        {
            pictureId = layout.LongPictureId
                ? (ushort)(BinaryPrimitives.ReadUInt16BigEndian(payload[layout.PictureIdOffset..]) & MaxPictureId)
                : (ushort)(payload[layout.PictureIdOffset] & MaxShortPictureId);
        }
        var hasTid = layout.TidKeyIdxOffset > 0 && (payload[1] & TidBit) != 0;
        var hasKeyIdx = layout.TidKeyIdxOffset > 0 && (payload[1] & KeyIdxBit) != 0;
        var tidKeyIdx = layout.TidKeyIdxOffset > 0 ? payload[layout.TidKeyIdxOffset] : (byte)0;
        descriptor = new Vp8PayloadDescriptor
        {
            NonReference = (first & NonReferenceBit) != 0,
            StartOfPartition = (first & StartBit) != 0,
            PartitionIndex = (byte)(first & PartitionMask),
            PictureId = pictureId,
            LongPictureId = layout.LongPictureId,
            Tl0PicIdx = layout.Tl0PicIdxOffset > 0 ? payload[layout.Tl0PicIdxOffset] : null,
            TemporalLayerId = hasTid ? (byte)(tidKeyIdx >> 6) : null,
            LayerSync = hasTid && (tidKeyIdx & LayerSyncBit) != 0,
            KeyIndex = hasKeyIdx ? (byte)(tidKeyIdx & KeyIdxMask) : null,
        };
        consumed = layout.Length;
        return true;
    }

    /// <summary>The descriptor's length in bytes (1–6).</summary>
    public int GetSerializedLength()
    {
        var length = 1;
        if (HasExtension)
        {
            length++;
            if (PictureId.HasValue)
            {
                length += UsesLongPictureId ? 2 : 1;
            }
            if (Tl0PicIdx.HasValue)
            {
                length++;
            }
            if (TemporalLayerId.HasValue || KeyIndex.HasValue)
            {
                length++;
            }
        }
        return length;
    }

    /// <summary>Writes the descriptor. False if a field is out of range or the buffer is too small.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        var length = GetSerializedLength();
        if (destination.Length < length || PartitionIndex > MaxPartitionIndex || PictureId > MaxPictureId
            || TemporalLayerId > MaxTemporalLayerId || KeyIndex > MaxKeyIndex)
        {
            return false;
        }
        destination[0] = (byte)((HasExtension ? ExtendedBit : 0) | (NonReference ? NonReferenceBit : 0)
            | (StartOfPartition ? StartBit : 0) | PartitionIndex);
        var offset = 1;
        if (HasExtension)
        {
            destination[offset++] = (byte)((PictureId.HasValue ? PictureIdBit : 0) | (Tl0PicIdx.HasValue ? Tl0PicIdxBit : 0)
                | (TemporalLayerId.HasValue ? TidBit : 0) | (KeyIndex.HasValue ? KeyIdxBit : 0));
            if (PictureId is { } pictureId)
            {
                if (UsesLongPictureId)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)(0x8000 | pictureId));
                    offset += 2;
                }
                else
                {
                    destination[offset++] = (byte)pictureId;
                }
            }
            if (Tl0PicIdx is { } tl0PicIdx)
            {
                destination[offset++] = tl0PicIdx;
            }
            if (TemporalLayerId.HasValue || KeyIndex.HasValue)
            {
                destination[offset++] = (byte)(((TemporalLayerId ?? 0) << 6) | (TemporalLayerId.HasValue && LayerSync ? LayerSyncBit : 0) | (KeyIndex ?? 0));
            }
        }
        written = offset;
        return true;
    }

    /// <summary>
    /// Rewrites the picture id in place, keeping its width (7 or 15 bits): the value wraps to that
    /// width, as picture ids do. False if the descriptor has no picture id or is malformed.
    /// </summary>
    public static bool TrySetPictureId(Span<byte> payload, ushort pictureId)
    {
        if (!TryLocate(payload, out var layout) || layout.PictureIdOffset == 0)
        {
            return false;
        }
        if (layout.LongPictureId)
        {
            BinaryPrimitives.WriteUInt16BigEndian(payload[layout.PictureIdOffset..], (ushort)(0x8000 | (pictureId & MaxPictureId)));
        }
        else
        {
            payload[layout.PictureIdOffset] = (byte)(pictureId & MaxShortPictureId);
        }
        return true;
    }

    /// <summary>Rewrites TL0PICIDX in place. False if the descriptor has none or is malformed.</summary>
    public static bool TrySetTl0PicIdx(Span<byte> payload, byte tl0PicIdx)
    {
        if (!TryLocate(payload, out var layout) || layout.Tl0PicIdxOffset == 0)
        {
            return false;
        }
        payload[layout.Tl0PicIdxOffset] = tl0PicIdx;
        return true;
    }

    private bool HasExtension => PictureId.HasValue || Tl0PicIdx.HasValue || TemporalLayerId.HasValue || KeyIndex.HasValue;

    private bool UsesLongPictureId => LongPictureId || PictureId > MaxShortPictureId;

    /// <summary>Offsets of the optional fields (0 = absent) and the descriptor length, checking each fits.</summary>
    private static bool TryLocate(ReadOnlySpan<byte> payload, out Layout layout)
    {
        layout = default;
        if (payload.IsEmpty)
        {
            return false;
        }
        var offset = 1;
        if ((payload[0] & ExtendedBit) == 0)
        {
            layout = new Layout(offset, 0, false, 0, 0);
            return true;
        }
        if (payload.Length < 2)
        {
            return false;
        }
        var extension = payload[1];
        offset = 2;
        int pictureIdOffset = 0, tl0PicIdxOffset = 0, tidKeyIdxOffset = 0;
        var longPictureId = false;
        if ((extension & PictureIdBit) != 0)
        {
            if (payload.Length <= offset)
            {
                return false;
            }
            pictureIdOffset = offset;
            longPictureId = (payload[offset] & LongPictureIdBit) != 0;
            offset += longPictureId ? 2 : 1;
        }
        if ((extension & Tl0PicIdxBit) != 0)
        {
            tl0PicIdxOffset = offset++;
        }
        if ((extension & (TidBit | KeyIdxBit)) != 0)
        {
            tidKeyIdxOffset = offset++;
        }
        if (offset > payload.Length)
        {
            return false;
        }
        layout = new Layout(offset, pictureIdOffset, longPictureId, tl0PicIdxOffset, tidKeyIdxOffset);
        return true;
    }

    private readonly record struct Layout(int Length, int PictureIdOffset, bool LongPictureId, int Tl0PicIdxOffset, int TidKeyIdxOffset);
}
