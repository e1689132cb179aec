using OAuthDemo.AuthServer.Configuration;

namespace OAuthDemo.AuthServer.Hosting;

internal static class PublicClientCorsExtensions
{
    private const string PolicyName = "public-clients";

    /// <summary>
    /// Browser-based public clients call the token, userinfo and revocation endpoints (and
    /// discovery) with fetch: CORS is allowed for the origins of their redirect URIs, no other.
    /// </summary>
    public static IServiceCollection AddPublicClientCors(this IServiceCollection services, AuthServerSettings settings)
    {
        var origins = settings.Clients.Values
            .Where(client => client.IsPublic)
            .SelectMany(client => client.RedirectUris)
            .Select(uri => Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && !parsed.IsFile ? parsed.GetLeftPart(UriPartial.Authority) : null)
            .OfType<string>()
            .Distinct()
            .ToArray();
        return services.AddCors(cors => cors.AddPolicy(PolicyName, policy => policy
            .WithOrigins(origins)
            .WithMethods(HttpMethods.Get, HttpMethods.Post)
            .WithHeaders("Authorization", "Content-Type")));
    }

    public static WebApplication UsePublicClientCors(this WebApplication app)
    {
        app.UseWhen(context => IsBrowserCallable(context.Request.Path), cors => cors.UseCors(PolicyName));
        return app;
    }

    /// <summary>The JSON endpoints that public clients call from the browser.</summary>
    public static bool IsBrowserCallable(PathString path) =>
        path.StartsWithSegments(ProtocolEndpoints.PathOf(ProtocolEndpoints.Token))
        || path.StartsWithSegments(ProtocolEndpoints.PathOf(ProtocolEndpoints.UserInfo))
        || path.StartsWithSegments(ProtocolEndpoints.PathOf(ProtocolEndpoints.Revocation))
        || path.StartsWithSegments(ProtocolEndpoints.PathOf(ProtocolEndpoints.WellKnown));
}
