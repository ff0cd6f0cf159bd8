namespace Sotto.Rtc.Tests.Stun;

internal static class StunTestData
{
    /// <summary>Hex as printed in RFCs (spaces, line breaks) to bytes.</summary>
    public static byte[] Hex(string text) =>
        Convert.FromHexString(string.Concat(text.Where(Uri.IsHexDigit)));

    public static byte[] Seed(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "TestData", "fuzz", "stun", name));

    /// <summary>Password and USERNAME of the Chromium-shaped seeds (TestData/fuzz/make_seeds.py).</summary>
    public const string SeedPassword = "sottoIcePasswordFor24chr";
    public const string SeedUsername = "S0ttoUfrag12:aB3d";
}
