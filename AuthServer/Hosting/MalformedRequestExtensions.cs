using System.Text.Json;
using Microsoft.Extensions.Primitives;

namespace OAuthDemo.AuthServer.Hosting;

internal static class MalformedRequestExtensions
{
    private static readonly byte[] InvalidRequest = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
    {
        ["error"] = "invalid_request",
        ["error_description"] = "A parameter is not valid text: it contains a NUL character or an invalid encoding.",
    });

    /// <summary>
    /// A query or form value that is not text (a NUL character, which PostgreSQL refuses; an encoding
    /// ASP.NET Core's form reader rejects) is the caller's error: 400 <c>invalid_request</c> before
    /// anything reads the request, instead of a 500 from deep inside. Protocol endpoints get the
    /// OAuth error as JSON (RFC 6749 §5.2); pages get the error page.
    /// </summary>
    public static WebApplication UseMalformedRequestRejection(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            if (!await IsMalformedAsync(context.Request))
            {
                await next();
                return;
            }

            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            if (ErrorPagesExtensions.IsMachineEndpoint(context.Request.Path))
            {
                context.Response.ContentType = "application/json";
                context.Response.Headers.CacheControl = "no-store";
                await context.Response.Body.WriteAsync(InvalidRequest, context.RequestAborted);
            }
        });
        return app;
    }

    private static async Task<bool> IsMalformedAsync(HttpRequest request)
    {
        static bool HasNul(IEnumerable<KeyValuePair<string, StringValues>> parameters) =>
            parameters.Any(p => p.Key.Contains('\0') || p.Value.Any(v => v?.Contains('\0') == true));

        try
        {
            return HasNul(request.Query)
                || request.HasFormContentType && HasNul(await request.ReadFormAsync(request.HttpContext.RequestAborted));
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException)
        {
            return true; // the form reader refused it: %00, a value over its limits, a broken body
        }
    }
}
