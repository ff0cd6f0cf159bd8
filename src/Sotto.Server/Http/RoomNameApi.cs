using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Sotto.Rooms;
using Sotto.Rooms.Names;

namespace Sotto.Server.Http;

/// <summary>
/// The room-name generator and strength estimate, offered to clients so there is one implementation.
/// The estimate is a POST so a typed name never lands in a proxy's access log.
/// </summary>
internal static class RoomNameApi
{
    private const int MaxBodyBytes = 4096;

    public static void MapRoomNameApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/rooms/suggest", static (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return Results.Json(new SuggestionResponse(RoomNameGenerator.Generate(), Math.Round(RoomNameGenerator.EntropyBits, 1)), ApiJsonContext.Default.SuggestionResponse);
        });

        endpoints.MapPost("/api/rooms/strength", static async (HttpContext context) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            if (context.Request.ContentLength > MaxBodyBytes)
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            // Read at most MaxBodyBytes + 1, whether or not the client declared a length.
            var body = new byte[MaxBodyBytes + 1];
            var length = 0;
            int read;
            while (length < body.Length && (read = await context.Request.Body.ReadAsync(body.AsMemory(length), context.RequestAborted)) > 0)
                length += read;
            if (length > MaxBodyBytes)
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            StrengthRequest? request;
            try
            {
                request = System.Text.Json.JsonSerializer.Deserialize(body.AsSpan(0, length), ApiJsonContext.Default.StrengthRequest);
            }
            catch (System.Text.Json.JsonException)
            {
                return Results.BadRequest();
            }
            if (request?.Name is null)
                return Results.BadRequest();
            if (!RoomKey.TryParse(request.Name, out var key))
                return Results.Json(new StrengthResponse(false, true, 0, [RoomNameStrength.TooShort]), ApiJsonContext.Default.StrengthResponse);
            var assessment = RoomNameStrength.Evaluate(key.Name);
            return Results.Json(new StrengthResponse(true, assessment.IsWeak, assessment.Bits, [.. assessment.Reasons]), ApiJsonContext.Default.StrengthResponse);
        });
    }
}

internal sealed record SuggestionResponse(string Name, double Bits);

internal sealed record StrengthRequest(string? Name);

internal sealed record StrengthResponse(bool Valid, bool Weak, double Bits, string[] Reasons);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SuggestionResponse))]
[JsonSerializable(typeof(StrengthRequest))]
[JsonSerializable(typeof(StrengthResponse))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;
