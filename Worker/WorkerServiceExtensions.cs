using Microsoft.Extensions.Options;
using OAuthDemo.Worker.Stats;
using OAuthDemo.Worker.Tokens;

namespace OAuthDemo.Worker;

internal static class WorkerServiceExtensions
{
    public static IHostApplicationBuilder AddStatsWorker(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WorkerSettings>().BindConfiguration(WorkerSettings.SectionName)
            .Validate(s => ClientAssertions.IsUsableKey(s.ClientKey),
                "Worker:ClientKey is missing or not an ECDSA P-256 private key in PEM: the worker signs its client assertions with it (the AppHost sets it).")
            .Validate(s => s.Interval > TimeSpan.Zero, "Worker:Interval must be positive.")
            .Validate(s => s.MaxBackoff >= s.Interval, "Worker:MaxBackoff must be at least Worker:Interval.")
            .ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PollerStatus>();

        // The auth server: Authentication:Authority, else service discovery. Token requests get the
        // standard resilience pipeline too (ServiceDefaults).
        var authority = builder.Configuration.GetAuthority();
        services.AddHttpClient(ClientCredentialsTokenProvider.HttpClientName, http => http.BaseAddress = new Uri(authority.TrimEnd('/') + "/"));
        services.AddSingleton<ClientAssertions>();
        services.AddSingleton<ClientCredentialsTokenProvider>();
        services.AddTransient<TokenCachingHandler>();

        services.AddHttpClient<StatsClient>((sp, http) =>
            {
                http.BaseAddress = sp.GetRequiredService<IOptions<WorkerSettings>>().Value.ResourceApi;
                // A poll that gets no answer (from the API, or the auth server for its token) fails
                // after 10 s, retries included, and the next one backs off; not 30 s per poll.
                http.Timeout = TimeSpan.FromSeconds(10);
            })
            .AddHttpMessageHandler<TokenCachingHandler>();

        services.AddHostedService<StatsPoller>();
        services.AddHealthChecks().AddCheck<StatsPollerHealthCheck>("stats-poller");
        return builder;
    }
}
