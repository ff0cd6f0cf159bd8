namespace Sotto.Rooms;

/// <summary>The shape of a participant id on the wire (E2EE-SPEC §S2): <c>[A-Za-z0-9_-]{1,64}</c>.</summary>
public static class ParticipantIdFormat
{
    public const int MaxLength = 64;

    public static bool IsWellFormed(string? id)
    {
        if (id is null || id.Length is 0 or > MaxLength)
            return false;
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                return false;
        }
        return true;
    }
}
