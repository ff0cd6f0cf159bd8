using System.Text.Json;

namespace Sotto.E2ee.Tests;

/// <summary>Vector files copied next to the test assembly (never read from /work/shared at run time).</summary>
internal static class TestData
{
    public static string PathOf(string relative) => Path.Combine(AppContext.BaseDirectory, "TestData", relative);

    public static JsonDocument Load(string relative) => JsonDocument.Parse(File.ReadAllText(PathOf(relative)));

    public static byte[] Hex(this JsonElement element) => Convert.FromHexString(element.GetString()!);

    public static byte[] Hex(string hex) => Convert.FromHexString(hex);

    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
