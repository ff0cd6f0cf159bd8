using System.Text.Json;
using Sotto.E2ee.Noise;
using Sotto.E2ee.Primitives;

namespace Sotto.E2ee.Tests.Noise;

/// <summary>
/// The cacophony Noise rev 34 vectors for Noise_IXpsk2_25519_AESGCM_SHA256 and plain IX
/// (TestData/web/noise-ixpsk2.json, linked from web/e2ee/testdata; the same bytes as the shared
/// conformance copy of haskell-cryptography/cacophony vectors/cacophony.txt).
/// </summary>
public sealed class CacophonyVectorTests
{
    public static TheoryData<string> Protocols => new() { "Noise_IX_25519_AESGCM_SHA256", "Noise_IXpsk2_25519_AESGCM_SHA256" };

    private static JsonElement Vector(string protocol)
    {
        using JsonDocument doc = TestData.Load("web/noise-ixpsk2.json");
        foreach (JsonElement v in doc.RootElement.GetProperty("vectors").EnumerateArray())
            if (v.GetProperty("protocol_name").GetString() == protocol)
                return v.Clone();
        throw new InvalidOperationException(protocol);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public void Handshake_and_transport_messages_match_byte_for_byte(string protocol)
    {
        JsonElement v = Vector(protocol);
        HandshakePattern pattern = protocol.Contains("psk", StringComparison.Ordinal) ? HandshakePattern.IXpsk2 : HandshakePattern.IX;
        Assert.Equal(protocol, pattern.ProtocolName);
        byte[] psk = v.TryGetProperty("init_psks", out JsonElement psks) ? psks[0].Hex() : [];
        using var initiator = new HandshakeState(pattern, true, v.GetProperty("init_prologue").Hex(),
            X25519KeyPair.FromPrivateKey(v.GetProperty("init_static").Hex()), X25519KeyPair.FromPrivateKey(v.GetProperty("init_ephemeral").Hex()), psk);
        using var responder = new HandshakeState(pattern, false, v.GetProperty("resp_prologue").Hex(),
            X25519KeyPair.FromPrivateKey(v.GetProperty("resp_static").Hex()), X25519KeyPair.FromPrivateKey(v.GetProperty("resp_ephemeral").Hex()), psk);
        JsonElement[] messages = [.. v.GetProperty("messages").EnumerateArray()];

        Assert.True(initiator.TryWriteMessage(messages[0].GetProperty("payload").Hex(), out byte[] msg1, out _));
        Assert.Equal(messages[0].GetProperty("ciphertext").GetString(), TestData.ToHex(msg1));
        Assert.True(responder.TryReadMessage(msg1, out byte[] payload1, out _));
        Assert.Equal(messages[0].GetProperty("payload").Hex(), payload1);

        Assert.True(responder.TryWriteMessage(messages[1].GetProperty("payload").Hex(), out byte[] msg2, out _));
        Assert.Equal(messages[1].GetProperty("ciphertext").GetString(), TestData.ToHex(msg2));
        Assert.True(initiator.TryReadMessage(msg2, out byte[] payload2, out _));
        Assert.Equal(messages[1].GetProperty("payload").Hex(), payload2);

        Assert.True(initiator.IsComplete && responder.IsComplete);
        Assert.Equal(v.GetProperty("handshake_hash").GetString(), TestData.ToHex(initiator.HandshakeHash));
        Assert.Equal(v.GetProperty("handshake_hash").GetString(), TestData.ToHex(responder.HandshakeHash));

        var (iToR, rToI) = initiator.Split();
        var (iToRAtResponder, rToIAtResponder) = responder.Split();
        for (int m = 2; m < messages.Length; m++)
        {
            bool fromInitiator = m % 2 == 0;
            CipherState sender = fromInitiator ? iToR : rToIAtResponder;
            CipherState receiver = fromInitiator ? iToRAtResponder : rToI;
            byte[] ct = sender.EncryptWithAd([], messages[m].GetProperty("payload").Hex());
            Assert.Equal(messages[m].GetProperty("ciphertext").GetString(), TestData.ToHex(ct));
            Assert.True(receiver.TryDecryptWithAd([], ct, out byte[] pt));
            Assert.Equal(messages[m].GetProperty("payload").Hex(), pt);
        }
    }

    [Fact]
    public void A_different_psk_fails_the_second_message_while_the_same_psk_passes()
    {
        JsonElement v = Vector("Noise_IXpsk2_25519_AESGCM_SHA256");
        byte[] psk = v.GetProperty("init_psks")[0].Hex();
        foreach (bool samePsk in new[] { true, false })
        {
            byte[] responderPsk = (byte[])psk.Clone();
            if (!samePsk)
                responderPsk[0] ^= 1;
            using var initiator = new HandshakeState(HandshakePattern.IXpsk2, true, [], X25519KeyPair.Generate(), null, psk);
            using var responder = new HandshakeState(HandshakePattern.IXpsk2, false, [], X25519KeyPair.Generate(), null, responderPsk);
            Assert.True(initiator.TryWriteMessage([], out byte[] msg1, out _));
            Assert.True(responder.TryReadMessage(msg1, out _, out _));
            Assert.True(responder.TryWriteMessage([], out byte[] msg2, out _));
            Assert.Equal(96, msg1.Length);
            Assert.Equal(96, msg2.Length);
            bool ok = initiator.TryReadMessage(msg2, out _, out HandshakeFailure failure);
            Assert.Equal(samePsk, ok);
            Assert.Equal(samePsk ? HandshakeFailure.None : HandshakeFailure.DecryptFailed, failure);
        }
    }

    /// <summary>Low-order points (RFC 7748 §6.1 / cr.yp.to list) give an all-zero DH: abort (§S1).</summary>
    public static TheoryData<string> LowOrderPoints => new()
    {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    };

    [Theory]
    [MemberData(nameof(LowOrderPoints))]
    public void A_low_order_ephemeral_aborts_the_handshake(string point)
    {
        byte[] prologue = [1, 2, 3];
        byte[] psk = new byte[32];
        var attackerStatic = X25519KeyPair.Generate();

        // Positive control: a well-formed msg1 built the same way with a real ephemeral is accepted.
        byte[] honest = ForgeMessage1(X25519KeyPair.Generate().PublicKey, attackerStatic.PublicKey, prologue);
        using (var control = new HandshakeState(HandshakePattern.IXpsk2, false, prologue, X25519KeyPair.Generate(), null, psk))
        {
            Assert.True(control.TryReadMessage(honest, out _, out _));
            Assert.True(control.TryWriteMessage([], out _, out _));
        }

        // The attacker knows every input of msg1's keys, so it can send a valid msg1 whose e is a
        // low-order point; reading succeeds (no DH yet), and the first DH (ee) must abort.
        byte[] forged = ForgeMessage1(TestData.Hex(point), attackerStatic.PublicKey, prologue);
        using var responder = new HandshakeState(HandshakePattern.IXpsk2, false, prologue, X25519KeyPair.Generate(), null, psk);
        Assert.True(responder.TryReadMessage(forged, out _, out _));
        Assert.False(responder.TryWriteMessage([], out byte[] msg2, out HandshakeFailure failure));
        Assert.Equal(HandshakeFailure.ZeroSharedSecret, failure);
        Assert.Empty(msg2);
        Assert.True(responder.IsFailed);
    }

    /// <summary>msg1 of IXpsk2 (-> e, s) with an arbitrary e public value, as an attacker builds it.</summary>
    private static byte[] ForgeMessage1(byte[] ephemeralPublic, byte[] staticPublic, byte[] prologue)
    {
        using var symmetric = new SymmetricState(HandshakePattern.IXpsk2.ProtocolName);
        symmetric.MixHash(prologue);
        symmetric.MixHash(ephemeralPublic);
        symmetric.MixKey(ephemeralPublic);
        return [.. ephemeralPublic, .. symmetric.EncryptAndHash(staticPublic), .. symmetric.EncryptAndHash([])];
    }

    [Fact]
    public void Rekey_changes_the_key_and_old_state_no_longer_decrypts()
    {
        var a = new CipherState();
        a.InitializeKey(new byte[32]);
        var b = a.Clone();
        byte[] before = a.KeyForVectors.ToArray();
        a.Rekey();
        Assert.NotEqual(before, a.KeyForVectors.ToArray());
        byte[] ct = a.EncryptWithAd([], [1, 2, 3]);
        var rekeyed = b.Clone();
        rekeyed.Rekey();
        Assert.True(rekeyed.TryDecryptWithAd([], ct, out _)); // positive control
        Assert.False(b.TryDecryptWithAd([], ct, out _));
    }
}
