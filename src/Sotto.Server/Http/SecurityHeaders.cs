using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Sotto.Server.Http;

/// <summary>
/// Headers on every response, error pages included (set in OnStarting, so even a response produced after an
/// exception or by the status-code page carries them).
/// </summary>
internal static class SecurityHeaders
{
    // The client loads nothing from other origins (DESIGN.md §1.4). 'self' covers same-origin ws:/wss:.
    public const string ContentSecurityPolicy =
        "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; frame-ancestors 'none'";

    public const string PermissionsPolicy =
        "camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()";

    public const string StrictTransportSecurity = "max-age=31536000";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(static (context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                var ctx = (HttpContext)state;
                var headers = ctx.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers["Referrer-Policy"] = "no-referrer"; // room links must not leak to anyone
                headers.XContentTypeOptions = "nosniff";
                headers["Permissions-Policy"] = PermissionsPolicy;
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Cross-Origin-Resource-Policy"] = "same-origin";
                headers.XFrameOptions = "DENY";
                if (ctx.Request.IsHttps)
                    headers.StrictTransportSecurity = StrictTransportSecurity;
                return Task.CompletedTask;
            }, context);
            return next(context);
        });
}
