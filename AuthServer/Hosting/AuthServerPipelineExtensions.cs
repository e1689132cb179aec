using OAuthDemo.AuthServer.Endpoints;

namespace OAuthDemo.AuthServer.Hosting;

internal static class AuthServerPipelineExtensions
{
    public static WebApplication UseAuthServer(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error");
            app.UseHsts();
        }

        // Errors OpenIddict cannot redirect to the client (unknown client, unregistered
        // redirect URI) are rendered by the /error page for browsers; the JSON endpoints keep
        // their bare status codes and WWW-Authenticate headers.
        app.UseWhen(context => !IsMachineEndpoint(context.Request.Path), browser => browser.UseStatusCodePagesWithReExecute("/error"));
        app.UseStaticFiles();
        app.UseWhen(context => IsBrowserCallableEndpoint(context.Request.Path), api => api.UseCors(AuthServerServiceExtensions.PublicClientCorsPolicy));
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    private static bool IsMachineEndpoint(PathString path) =>
        IsBrowserCallableEndpoint(path) || path.StartsWithSegments("/connect/introspect") ||
        path.StartsWithSegments("/health") || path.StartsWithSegments("/alive");

    /// <summary>JSON endpoints that public clients call from the browser with fetch.</summary>
    private static bool IsBrowserCallableEndpoint(PathString path) =>
        path.StartsWithSegments("/connect/token") || path.StartsWithSegments("/connect/userinfo") ||
        path.StartsWithSegments("/connect/revoke") || path.StartsWithSegments("/.well-known");

    public static WebApplication MapAuthServerEndpoints(this WebApplication app)
    {
        app.MapTokenEndpoint();
        app.MapUserInfoEndpoint();
        app.MapRazorPages();
        return app;
    }
}
