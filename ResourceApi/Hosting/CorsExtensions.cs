namespace OAuthDemo.ResourceApi.Hosting;

internal static class CorsExtensions
{
    /// <summary>
    /// Browser apps on the origins in <c>Cors:AllowedOrigins</c> (the SPA page) may call the API
    /// with a bearer token; no cookies are involved, so credentials stay off.
    /// </summary>
    public static IServiceCollection AddBrowserClientCors(this IServiceCollection services, IConfiguration config)
    {
        var origins = config.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [];
        return services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .WithOrigins(origins)
            .WithMethods(HttpMethods.Get, HttpMethods.Post, HttpMethods.Delete)
            .WithHeaders("Authorization", "Content-Type")
            .WithExposedHeaders("WWW-Authenticate", "Location")));
    }
}
