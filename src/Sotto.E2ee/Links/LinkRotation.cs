using Sotto.E2ee.Primitives;

namespace Sotto.E2ee.Links;

/// <summary>
/// §S11 rotate: adopt a peer's <c>rotate {gen, s}</c> if gen &gt; mine, or gen equal and s bytewise
/// greater — so concurrent rotations converge on one secret; without a secret of my own any s of
/// my generation is adopted (docs/e2ee.md C20).
/// </summary>
internal static class LinkRotation
{
    public static bool ShouldAdopt(uint myGen, ReadOnlySpan<byte> mySecret, bool haveSecret, uint gen, ReadOnlySpan<byte> secret)
    {
        if (secret.Length != MeetingLink.SecretLength)
            return false;
        if (gen != myGen)
            return gen > myGen;
        return !haveSecret || Notation.CompareBytes(secret, mySecret) > 0;
    }
}
