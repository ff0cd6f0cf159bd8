using System.Buffers.Binary;

namespace Sotto.Rtc.Stun;

/// <summary>
/// The ERROR-CODE attribute value (RFC 8489 §14.8): a code 300–699 split into a class (hundreds)
/// and a number (0–99), followed by a UTF-8 reason phrase.
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |           Reserved, should be 0         |Class|     Number    |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |      Reason Phrase (variable)                                ..
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </summary>
public readonly ref struct StunErrorCode
{
    public const int TryAlternate = 300;
    public const int BadRequest = 400;
    public const int Unauthorized = 401;
    public const int UnknownAttribute = 420;
    public const int StaleNonce = 438;
    public const int RoleConflict = 487; // RFC 8445 §7.3.1.1
    public const int ServerError = 500;

    /// <summary>The reason phrase is at most 763 bytes (fewer than 128 characters, §14.8).</summary>
    public const int MaxReasonLength = 763;

    private const int ClassOffset = 2;
    private const int NumberOffset = 3;
    private const int ReasonOffset = 4;
    private const int ClassMask = 0b111;

    public StunErrorCode(int code, ReadOnlySpan<byte> reason)
    {
        Code = code;
        Reason = reason;
    }

    /// <summary>The numeric code, e.g. 420.</summary>
    public int Code { get; }

    /// <summary>The UTF-8 reason phrase.</summary>
    public ReadOnlySpan<byte> Reason { get; }

    public static bool IsValidCode(int code) => code is >= 300 and <= 699;

    public static bool TryParse(ReadOnlySpan<byte> value, out StunErrorCode errorCode)
    {
        errorCode = default;
        if (value.Length < ReasonOffset || value.Length - ReasonOffset > MaxReasonLength)
        {
            return false;
        }
        var errorClass = value[ClassOffset] & ClassMask;
        var number = value[NumberOffset];
        var code = errorClass * 100 + number;
        if (number > 99 || !IsValidCode(code))
        {
            return false;
        }
        errorCode = new StunErrorCode(code, value[ReasonOffset..]);
        return true;
    }

    public int GetSerializedLength() => ReasonOffset + Reason.Length;

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        var length = GetSerializedLength();
        if (!IsValidCode(Code) || Reason.Length > MaxReasonLength || destination.Length < length)
        {
            return false;
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination, 0);
        destination[ClassOffset] = (byte)(Code / 100);
        destination[NumberOffset] = (byte)(Code % 100);
        Reason.CopyTo(destination[ReasonOffset..]);
        written = length;
        return true;
    }
}
