namespace Sotto.E2ee.Noise;

/// <summary>The tokens of Noise rev 34 §7 handshake patterns.</summary>
internal enum Token
{
    E,
    S,
    EE,
    ES,
    SE,
    SS,
    Psk,
}

/// <summary>
/// A handshake pattern as message token lists (initiator first). Sotto uses IXpsk2 (§S4.4); plain
/// IX is here so the cacophony IX vectors can check the same code without the psk modifier.
/// </summary>
internal sealed class HandshakePattern
{
    private HandshakePattern(string name, bool isPsk, params Token[][] messages)
    {
        Name = name;
        IsPsk = isPsk;
        Messages = messages;
    }

    /// <summary>IX: <c>-&gt; e, s</c> / <c>&lt;- e, ee, se, s, es</c>.</summary>
    public static HandshakePattern IX { get; } = new("IX", false,
        [Token.E, Token.S],
        [Token.E, Token.EE, Token.SE, Token.S, Token.ES]);

    /// <summary>IXpsk2: the psk token at the end of the second message (Noise §9.2).</summary>
    public static HandshakePattern IXpsk2 { get; } = new("IXpsk2", true,
        [Token.E, Token.S],
        [Token.E, Token.EE, Token.SE, Token.S, Token.ES, Token.Psk]);

    public string Name { get; }

    /// <summary>With a psk modifier every e token also does MixKey(e.pub) (Noise §9.2).</summary>
    public bool IsPsk { get; }

    public IReadOnlyList<Token[]> Messages { get; }

    public string ProtocolName => $"Noise_{Name}_25519_AESGCM_SHA256";
}
