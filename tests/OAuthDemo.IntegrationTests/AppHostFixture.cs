using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OAuthDemo.IntegrationTests;
using OAuthDemo.IntegrationTests.Infrastructure;

[assembly: AssemblyFixture(typeof(AppHostFixture))]

namespace OAuthDemo.IntegrationTests;

/// <summary>
/// Starts the whole system once for the test assembly (each AppHost start costs ~20 s):
/// real PostgreSQL in a fresh data folder, real processes, real HTTP.
/// </summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    public static readonly string[] Resources = ["postgres", "authdb", "apidb", "authserver", "resourceapi", "worker", "webclient"];

    /// <summary>A client only the tests use: confidential, implicit consent (no consent page).</summary>
    public const string ImplicitClientId = "harness-implicit";
    public const string ImplicitClientRedirectUri = "http://127.0.0.1:9/callback";

    /// <summary>A user only the lockout test signs in as, so locking it disturbs no other test.</summary>
    public const string LockoutUser = "carol";

    public const string ResourceApiRedirectUri = "http://127.0.0.1:9/api-callback";

    /// <summary>A user for the consent-memory test, so no other test's consent is remembered for it.</summary>
    public const string ConsentUser = "grace";

    /// <summary>Users of the web client's refresh tests: one is refreshed, one gets locked out.</summary>
    public const string RefreshUser = "erin";
    public const string RefusedRefreshUser = "dave";

    /// <summary>The web client renews a minute before expiry, so with 70 s tokens it refreshes after 10 s.</summary>
    public static readonly TimeSpan WebClientTokenLifetime = TimeSpan.FromSeconds(70);

    /// <summary>
    /// The tests' own machine client (stats.read): tokens tests fetch never mix with the worker's,
    /// whose token requests a test counts.
    /// </summary>
    public const string MachineClientId = "harness-m2m";

    /// <summary>A machine client whose access tokens live five seconds, for expiry tests.</summary>
    public const string ShortLivedClientId = "harness-short";

    /// <summary>A scope whose tokens are for another API (audience other-api).</summary>
    public const string OtherApiScope = "other.read";

    /// <summary>The worker polls often and its tokens are short, so caching is visible within a test.</summary>
    public static readonly TimeSpan WorkerInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan WorkerTokenLifetime = TimeSpan.FromSeconds(20);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"oauthdemo-tests-{Guid.NewGuid():N}");
    private readonly ConcurrentQueue<string> _authServerLog = new();
    private readonly ConcurrentQueue<string> _workerLog = new();
    private readonly CancellationTokenSource _stopWatching = new();

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>Secrets the AppHost would generate, fixed here so tests can sign in.</summary>
    public TestSecrets Secrets { get; } = new();

    public async ValueTask InitializeAsync()
    {
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
        [
            "Postgres:Mode=local",
            $"Postgres:DataDirectory={_dataDirectory}",
            .. Secrets.AsParameterArguments(),
        ],
        (options, _) => options.DisableDashboard = true);

        appHost.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));

        // Extra configuration layered onto the auth server, as an operator would add it.
        appHost.CreateResourceBuilder<ProjectResource>("authserver")
            .WithEnvironment($"AuthServer__Users__{LockoutUser}__Password", Secrets.TestUserPassword)
            .WithEnvironment($"AuthServer__Users__{ConsentUser}__Password", Secrets.TestUserPassword)
            .WithEnvironment($"AuthServer__Users__{RefreshUser}__Password", Secrets.TestUserPassword)
            .WithEnvironment($"AuthServer__Users__{RefreshUser}__DisplayName", "Erin Example")
            .WithEnvironment($"AuthServer__Users__{RefusedRefreshUser}__Password", Secrets.TestUserPassword)
            .WithEnvironment($"AuthServer__Users__{RefusedRefreshUser}__DisplayName", "Dave Example")
            .WithEnvironment("AuthServer__Clients__webclient__AccessTokenLifetime", WebClientTokenLifetime.ToString("c"))
            // Lets a test get an ID token whose audience is resource-api: then only its type
            // (JWT, not at+jwt) tells the API it is not an access token.
            .WithEnvironment("AuthServer__Clients__resource-api__GrantTypes__0", "authorization_code")
            .WithEnvironment("AuthServer__Clients__resource-api__RedirectUris__0", ResourceApiRedirectUri)
            .WithEnvironment("AuthServer__Clients__resource-api__Scopes__0", "openid")
            .WithEnvironment("AuthServer__Clients__resource-api__ConsentType", "implicit")
            .WithEnvironment($"AuthServer__Clients__{ImplicitClientId}__ClientSecret", Secrets.ImplicitClientSecret)
            .WithEnvironment($"AuthServer__Clients__{ImplicitClientId}__ConsentType", "implicit")
            .WithEnvironment($"AuthServer__Clients__{ImplicitClientId}__RedirectUris__0", ImplicitClientRedirectUri)
            .WithEnvironment($"AuthServer__Clients__{ImplicitClientId}__GrantTypes__0", "authorization_code")
            .WithEnvironment($"AuthServer__Clients__{ImplicitClientId}__GrantTypes__1", "refresh_token")
            .WithEnvironment($"AuthServer__Clients__{ImplicitClientId}__Scopes__0", "openid")
            .WithEnvironment($"AuthServer__Clients__{ImplicitClientId}__Scopes__1", "offline_access")
            .WithEnvironment($"AuthServer__Clients__{ImplicitClientId}__Scopes__2", "notes.read")
            .WithEnvironment($"AuthServer__Clients__{ImplicitClientId}__Scopes__3", "notes.write")
            .WithEnvironment($"AuthServer__Clients__{ImplicitClientId}__Scopes__4", "profile")
            .WithEnvironment($"AuthServer__Scopes__{OtherApiScope}__Resources__0", "other-api")
            .WithEnvironment($"AuthServer__Clients__{MachineClientId}__ClientSecret", Secrets.MachineClientSecret)
            .WithEnvironment($"AuthServer__Clients__{MachineClientId}__GrantTypes__0", "client_credentials")
            .WithEnvironment($"AuthServer__Clients__{MachineClientId}__Scopes__0", "stats.read")
            .WithEnvironment($"AuthServer__Clients__{ShortLivedClientId}__ClientSecret", Secrets.ShortLivedClientSecret)
            .WithEnvironment($"AuthServer__Clients__{ShortLivedClientId}__GrantTypes__0", "client_credentials")
            .WithEnvironment($"AuthServer__Clients__{ShortLivedClientId}__Scopes__0", "stats.read")
            .WithEnvironment($"AuthServer__Clients__{ShortLivedClientId}__Scopes__1", OtherApiScope)
            .WithEnvironment($"AuthServer__Clients__{ShortLivedClientId}__AccessTokenLifetime", "00:00:05")
            .WithEnvironment("AuthServer__Clients__worker__AccessTokenLifetime", WorkerTokenLifetime.ToString("c"));

        // A small clock skew, so a five-second token is expired a few seconds later.
        appHost.CreateResourceBuilder<ProjectResource>("resourceapi")
            .WithEnvironment("Authentication__ClockSkew", "00:00:01");
        appHost.CreateResourceBuilder<ProjectResource>("worker")
            .WithEnvironment("Worker__Interval", WorkerInterval.ToString("c"));

        // No dashboard here, so nothing receives telemetry: without this, each service's OTLP
        // exporter retries a dead endpoint on shutdown for ~11 s, longer than DCP waits to stop it.
        foreach (var project in appHost.Resources.OfType<ProjectResource>())
        {
            appHost.CreateResourceBuilder(project).WithEnvironment(context =>
            {
                foreach (var key in context.EnvironmentVariables.Keys.Where(k => k.StartsWith("OTEL_EXPORTER_OTLP_", StringComparison.Ordinal)).ToList())
                    context.EnvironmentVariables.Remove(key);
            });
        }

        App = await appHost.BuildAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await App.StartAsync(timeout.Token);
        _ = CollectLogsAsync("authserver", _authServerLog, _stopWatching.Token);
        _ = CollectLogsAsync("worker", _workerLog, _stopWatching.Token);
        foreach (var resource in Resources)
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
    }

    public HttpClient CreateHttpClient(string resource) => App.CreateHttpClient(resource);

    public Uri EndpointOf(string resource) => App.GetEndpoint(resource, "http");

    /// <summary>A fresh client with its own cookie jar: one browser, one session.</summary>
    public AuthServerClient CreateAuthServerClient() => new(EndpointOf("authserver"));

    /// <summary>The webclient's registered redirect URI, as the AppHost declared it.</summary>
    public string WebClientRedirectUri => new Uri(EndpointOf("webclient"), "/signin-oidc").ToString();

    public string WebClientPostLogoutRedirectUri => new Uri(EndpointOf("webclient"), "/signout-callback-oidc").ToString();

    public string SpaRedirectUri => new Uri(EndpointOf("webclient"), "/spa").ToString();

    public HttpClient CreateApiClient() => new() { BaseAddress = EndpointOf("resourceapi"), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Everything the auth server has logged so far.</summary>
    public IReadOnlyCollection<string> AuthServerLog => _authServerLog;

    /// <summary>Everything the worker has logged so far.</summary>
    public IReadOnlyCollection<string> WorkerLog => _workerLog;

    private async Task CollectLogsAsync(string resource, ConcurrentQueue<string> sink, CancellationToken ct)
    {
        try
        {
            var logs = App.Services.GetRequiredService<ResourceLoggerService>();
            var model = App.Services.GetRequiredService<DistributedApplicationModel>();
            // Logs are kept per running instance (a DCP name with a suffix); this overload finds them.
            await foreach (var batch in logs.WatchAsync(model.Resources.Single(r => r.Name == resource)).WithCancellation(ct))
                foreach (var line in batch)
                    sink.Enqueue(line.Content);
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopWatching.CancelAsync();
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }

        // The server may still be shutting down: clean up what we can, the rest is in /tmp.
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

public sealed class TestSecrets
{
    public string AlicePassword { get; } = Generate();
    public string BobPassword { get; } = Generate();
    public string WebClientSecret { get; } = Generate();
    public string WorkerSecret { get; } = Generate();
    public string ResourceApiSecret { get; } = Generate();
    /// <summary>The password of the test-only users (carol, dave, erin, grace).</summary>
    public string TestUserPassword { get; } = Generate();
    public string ImplicitClientSecret { get; } = Generate();
    public string ShortLivedClientSecret { get; } = Generate();
    public string MachineClientSecret { get; } = Generate();

    public IEnumerable<string> AsParameterArguments() =>
    [
        $"Parameters:alice-password={AlicePassword}",
        $"Parameters:bob-password={BobPassword}",
        $"Parameters:webclient-secret={WebClientSecret}",
        $"Parameters:worker-secret={WorkerSecret}",
        $"Parameters:resource-api-secret={ResourceApiSecret}",
    ];

    private static string Generate() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
}
