using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;

namespace Microsoft.Extensions.Hosting;

/// <summary>What every OAuthDemo service shares: telemetry, health, service discovery, resilience.</summary>
public static class ServiceDefaultsExtensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.Services.AddCredentialRedaction(); // no secret or token in any log line, at any level
        builder.AddDefaultHealthChecks();
        builder.AddTransportSecurity();            // https outside Development; forwarded headers from known proxies only

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Retries only for GET-like requests: a retried POST could spend a one-time value
            // twice (a refresh token or code, whose reuse revokes the whole grant) or write twice.
            http.AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());
            http.AddServiceDiscovery();
        });

        return builder;
    }

    private static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [HealthTags.Live]);
        return builder;
    }

    /// <summary>
    /// <c>/health</c>: every check (ready to serve, dependencies included), as JSON naming each
    /// check and its status; <c>/alive</c>: only the process itself.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health", new() { ResponseWriter = HealthReportWriter.WriteAsync });
        app.MapHealthChecks("/alive", new() { Predicate = check => check.Tags.Contains(HealthTags.Live) });
        return app;
    }
}

public static class HealthTags
{
    public const string Live = "live";
}
