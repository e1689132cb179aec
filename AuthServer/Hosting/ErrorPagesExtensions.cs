namespace OAuthDemo.AuthServer.Hosting;

internal static class ErrorPagesExtensions
{
    /// <summary>
    /// Errors OpenIddict cannot redirect to the client (unknown client, unregistered redirect URI)
    /// and other failed page requests are rendered by the /error page; the JSON endpoints keep
    /// their bare status codes and WWW-Authenticate headers, which is what their callers read.
    /// </summary>
    public static WebApplication UseErrorPages(this WebApplication app)
    {
        // Unhandled failures: a problem document for programs (503 temporarily_unavailable while the
        // database is away), the /error page for people; in Development too, as in the web client.
        app.UseWhen(context => IsMachineEndpoint(context.Request.Path), machines => machines.UseProblemDetailsForExceptions());
        app.UseWhen(context => !IsMachineEndpoint(context.Request.Path), pages => pages
            .UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = "/error", StatusCodeSelector = DependencyOutage.StatusCodeOf })
            .UseStatusCodePagesWithReExecute("/error"));
        return app;
    }

    /// <summary>Endpoints answered to programs (JSON, status codes), not to people.</summary>
    public static bool IsMachineEndpoint(PathString path) =>
        PublicClientCorsExtensions.IsBrowserCallable(path)
        || path.StartsWithSegments(ProtocolEndpoints.PathOf(ProtocolEndpoints.Introspection))
        || path.StartsWithSegments(ProtocolEndpoints.PathOf(ProtocolEndpoints.PushedAuthorization))
        || path.StartsWithSegments("/health")
        || path.StartsWithSegments("/alive");
}
