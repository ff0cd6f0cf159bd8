using Sotto.Transport.Dtls;

namespace Sotto.Transport.Tests.Dtls;

public sealed class DtlsFingerprintTests
{
    // Chromium's a=fingerprint from a captured offer (tests/Sotto.Rtc.Tests/TestData/sdp/a-publish-audio-video-offer.sdp).
    private const string Chromium = "sha-256 09:FB:06:89:67:8F:1B:E3:DA:20:FB:58:57:C9:2E:DB:48:99:45:19:E2:AC:8E:5A:DB:25:2B:EC:A2:28:60:0C";

    [Fact]
    public void Parses_and_writes_the_SDP_form()
    {
        Assert.True(DtlsFingerprint.TryParse(Chromium, out var fingerprint));
        Assert.Equal(0x09, fingerprint.Hash[0]);
        Assert.Equal(0x0C, fingerprint.Hash[31]);
        Assert.Equal(Chromium, fingerprint.ToString());
    }

    [Fact]
    public void The_hash_name_and_hex_digits_are_case_insensitive()
    {
        Assert.True(DtlsFingerprint.TryParse(Chromium.ToLowerInvariant().Replace("sha-256", "SHA-256", StringComparison.Ordinal), out var lower));
        Assert.Equal(DtlsFingerprint.Parse(Chromium), lower);
    }

    [Theory]
    [InlineData("")]
    [InlineData("sha-1 09:FB:06:89:67:8F:1B:E3:DA:20:FB:58:57:C9:2E:DB:48:99:45:19")] // weaker hash: refused
    [InlineData("sha-256 09:FB:06")] // too short
    [InlineData("sha-256 09FB:06:89:67:8F:1B:E3:DA:20:FB:58:57:C9:2E:DB:48:99:45:19:E2:AC:8E:5A:DB:25:2B:EC:A2:28:60:0C:")] // misplaced colon
    [InlineData("sha-256 ZZ:FB:06:89:67:8F:1B:E3:DA:20:FB:58:57:C9:2E:DB:48:99:45:19:E2:AC:8E:5A:DB:25:2B:EC:A2:28:60:0C")] // not hex
    [InlineData("sha-25609:FB:06:89:67:8F:1B:E3:DA:20:FB:58:57:C9:2E:DB:48:99:45:19:E2:AC:8E:5A:DB:25:2B:EC:A2:28:60:0C")] // no space
    public void Malformed_values_are_refused(string value) => Assert.False(DtlsFingerprint.TryParse(value, out _));

    [Fact]
    public void Generated_certificates_have_distinct_fingerprints_of_their_DER()
    {
        var a = DtlsCertificate.Generate();
        var b = DtlsCertificate.Generate();
        Assert.NotEqual(a.Fingerprint, b.Fingerprint);
        Assert.Equal(DtlsFingerprint.Compute(a.Der), a.Fingerprint);
        Assert.False(default(DtlsFingerprint) == a.Fingerprint);
    }
}
