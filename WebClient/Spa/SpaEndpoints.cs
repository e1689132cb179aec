using Microsoft.Extensions.Options;

namespace OAuthDemo.WebClient.Spa;

/// <summary>The /spa page: static HTML and script, plus the addresses it needs.</summary>
internal static class SpaEndpoints
{
    public static IEndpointRouteBuilder MapSpa(this IEndpointRouteBuilder app)
    {
        // Served at exactly /spa, the redirect URI registered for the spa client.
        app.MapGet("/spa", (IWebHostEnvironment env) =>
            Results.File(env.WebRootFileProvider.GetFileInfo("spa/index.html").CreateReadStream(), "text/html; charset=utf-8"));

        app.MapGet("/spa/config.json", (HttpContext http, IConfiguration config, IOptions<WebClientSettings> settings) => Results.Json(new
        {
            authority = WithSlash(ServiceUrls.AuthServer(config)),
            api = WithSlash(ServiceUrls.ResourceApi(config)),
            clientId = settings.Value.SpaClientId,
            redirectUri = $"{http.Request.Scheme}://{http.Request.Host}/spa",
            // offline_access: a refresh token, which rotates on every use (this public client has no secret).
            scope = "openid profile offline_access notes.read notes.write",
        }));
        return app;
    }

    private static string WithSlash(string url) => url.EndsWith('/') ? url : url + "/";
}
