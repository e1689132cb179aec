using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OAuthDemo.AppHost;
using OAuthDemo.IntegrationTests;
using OAuthDemo.IntegrationTests.Infrastructure;

[assembly: AssemblyFixture(typeof(AppHostFixture))]

namespace OAuthDemo.IntegrationTests;

/// <summary>
/// Starts the whole system once for the test assembly (each AppHost start costs ~20 s):
/// real PostgreSQL in a fresh data folder, real processes, real HTTP.
/// </summary>
public partial class AppHostFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    public const string KeyRingCertificateParameter = "keyring-certificate";
    public const string WorkerClientKeyParameter = "worker-client-key";

    public static readonly string[] ServiceProjects = ["authserver", "resourceapi", "worker", "webclient"];

    public static readonly string[] Resources = ["postgres", "authdb", "apidb", "webdb", "authserver", "resourceapi", "worker", "webclient"];

    /// <summary>A client only the tests use: confidential, implicit consent (no consent page).</summary>
    public const string ImplicitClientId = "harness-implicit";

    /// <summary>
    /// The web client's registration without its PAR requirement: the tests of the code flow send
    /// plain authorization requests, as any client that is not required to push may.
    /// </summary>
    public const string CodeClientId = "harness-code";

    /// <summary>Registered like the worker (private_key_jwt, its own key), so its tokens do not count as the worker's.</summary>
    public const string AssertionClientId = "harness-jwt";
    public const string ImplicitClientRedirectUri = "http://127.0.0.1:9/callback";

    /// <summary>The implicit-consent client again (same secret), with refresh tokens that stop <see cref="CappedRefreshMaxLifetime"/> after sign-in.</summary>
    public const string CappedRefreshClientId = "harness-capped";
    public static readonly TimeSpan CappedRefreshMaxLifetime = TimeSpan.FromSeconds(10);

    /// <summary>The implicit-consent client again (same secret), whose token writes a test makes fail.</summary>
    public const string FailingWritesClientId = "harness-failing";

    /// <summary>Where the web client believes the dashboard is (none runs in the tests).</summary>
    public const string DashboardUrl = "http://dashboard.test";

    /// <summary>A user only the lockout test signs in as, so locking it disturbs no other test.</summary>
    public const string LockoutUser = "carol";

    public const string ResourceApiRedirectUri = "http://127.0.0.1:9/api-callback";

    /// <summary>A user a test locks out in the database, to see the login page answer as for a wrong password.</summary>
    public const string LockedUser = "lena";

    /// <summary>A user for the consent-memory test, so no other test's consent is remembered for it.</summary>
    public const string ConsentUser = "grace";

    /// <summary>Users of the web client's refresh tests: one is refreshed, one gets locked out.</summary>
    public const string RefreshUser = "erin";
    public const string RefusedRefreshUser = "dave";

    /// <summary>
    /// A user only the wrong-password test uses: a failed attempt is counted on the user, and the
    /// next good sign-in resets the count, which concurrent sign-ins of one user would race on.
    /// </summary>
    public const string WrongPasswordUser = "judy";

    /// <summary>Users of the replica tests: one signs in across auth-server replicas, one uses the web client's.</summary>
    public const string ReplicaUser = "heidi";
    public const string WebReplicaUser = "ivan";

    /// <summary>A user only the RFC 9207 (iss) tests sign in as, to the web client.</summary>
    public const string MixUpUser = "kim";

    /// <summary>
    /// A user only the trace test signs in as: its consent to the web client must not spare another
    /// test (bob's) the consent page that test expects.
    /// </summary>
    public const string TraceUser = "tara";

    /// <summary>A user only the attack lab's browser test signs in as: one of its attacks ends her session.</summary>
    public const string LabUser = "lara";

    /// <summary>The web client renews a minute before expiry, so with 70 s tokens it refreshes after 10 s.</summary>
    public static readonly TimeSpan WebClientTokenLifetime = TimeSpan.FromSeconds(70);

    /// <summary>
    /// The tests' own machine client (stats.read): tokens tests fetch never mix with the worker's,
    /// whose token requests a test counts.
    /// </summary>
    public const string MachineClientId = "harness-m2m";

    /// <summary>A machine client a test changes in the database, to see the change reach the server at once.</summary>
    public const string ChangingClientId = "harness-changing";

    /// <summary>A machine client whose access tokens live five seconds, for expiry tests.</summary>
    public const string ShortLivedClientId = "harness-short";

    /// <summary>A scope whose tokens are for another API (audience other-api).</summary>
    public const string OtherApiScope = "other.read";

    /// <summary>The worker polls often and its tokens are short, so caching is visible within a test.</summary>
    public static readonly TimeSpan WorkerInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan WorkerTokenLifetime = TimeSpan.FromSeconds(20);

    /// <summary>While its calls fail the worker waits longer each time, up to this: it backs off, and is back soon after its dependency.</summary>
    public static readonly TimeSpan WorkerMaxBackoff = TimeSpan.FromSeconds(4);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"oauthdemo-tests-{Guid.NewGuid():N}");
    private readonly Dictionary<string, ConcurrentQueue<string>> _logs = ServiceProjects.Append("postgres").ToDictionary(p => p, _ => new ConcurrentQueue<string>());
    private readonly ConcurrentQueue<string> _errorLines = new();
    private readonly CancellationTokenSource _stopWatching = new();

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>The traces and logs every service exported, as the dashboard would receive them.</summary>
    public TelemetryReceiver Telemetry { get; private set; } = null!;

    /// <summary>What the AppHost told its console (the next-steps message).</summary>
    public AppHostLog AppHostLog { get; } = new();

    /// <summary>The secrets and passwords the running system was given, read back from its parameters.</summary>
    public TestSecrets Secrets { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["Postgres:Mode=local", $"Postgres:DataDirectory={_dataDirectory}"],
            (options, _) => options.DisableDashboard = true);

        appHost.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning)
            // A stopped service's failed health checks, with their stacks, would bury a failure's
            // message in the test output (tests that stop services wait for health themselves).
            .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
            .AddProvider(AppHostLog)
            .AddFilter<AppHostLog>(NextSteps.LoggerCategory, LogLevel.Information));
        AddTestClientsAndUsers(appHost);
        Customize(appHost);

        // No dashboard runs here; the flow inspector still links each step to its span there.
        appHost.CreateResourceBuilder<ProjectResource>("webclient").WithEnvironment("WebClient__DashboardUrl", DashboardUrl);

        // A small clock skew, so a five-second token is expired a few seconds later.
        appHost.CreateResourceBuilder<ProjectResource>("resourceapi")
            .WithEnvironment("Authentication__ClockSkew", "00:00:01");
        appHost.CreateResourceBuilder<ProjectResource>("worker")
            .WithEnvironment("Worker__Interval", WorkerInterval.ToString("c"))
            .WithEnvironment("Worker__MaxBackoff", WorkerMaxBackoff.ToString("c"))
            .WithEnvironment("Worker__UnhealthyAfterFailures", "2");

        // No dashboard here: the services export their telemetry to the tests' own receiver, over
        // OTLP/HTTP, as often as the dashboard's (Aspire sets one-second batches in Development).
        Telemetry = await TelemetryReceiver.StartAsync();
        foreach (var project in appHost.Resources.OfType<ProjectResource>())
        {
            appHost.CreateResourceBuilder(project).WithEnvironment(context =>
            {
                foreach (var key in context.EnvironmentVariables.Keys.Where(k => k.StartsWith("OTEL_EXPORTER_OTLP_", StringComparison.Ordinal)).ToList())
                    context.EnvironmentVariables.Remove(key);
                context.EnvironmentVariables["OTEL_EXPORTER_OTLP_ENDPOINT"] = Telemetry.Endpoint.ToString();
                context.EnvironmentVariables["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            });
        }

        // Every secret parameter (the AppHost's and the tests' own) gets a fresh value for this
        // run, never the developer's persisted ones; tests read the values back from the parameters.
        var secretParameters = appHost.Resources.OfType<ParameterResource>().Where(p => p.Secret).ToList();
        foreach (var parameter in secretParameters)
            appHost.Configuration[$"Parameters:{parameter.Name}"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var (certificate, certificatePassword) = KeyRingCertificate.Create("tests");
        appHost.Configuration[$"Parameters:{KeyRingCertificateParameter}"] = certificate;
        appHost.Configuration[$"Parameters:{KeyRingCertificateParameter}-password"] = certificatePassword;
        appHost.Configuration[$"Parameters:{WorkerClientKeyParameter}"] = ClientKey.Create();
        appHost.Configuration[$"Parameters:{AssertionClientId}-key"] = ClientKey.Create();

        App = await appHost.BuildAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        Secrets = await TestSecrets.ReadAsync(secretParameters, timeout.Token);
        await App.StartAsync(timeout.Token);
        foreach (var (project, log) in _logs)
            _ = CollectLogsAsync(project, log, _stopWatching.Token);
        foreach (var resource in Resources)
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);

        // What the dashboard would have shown in red on this first run (fresh databases), before any test ran.
        await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token);
        StartupErrors = [.. _errorLines, .. _logs.SelectMany(log => ErrorsOf(log.Key))];
    }

    /// <summary>Every line a resource wrote to stderr so far (the dashboard shows them in red).</summary>
    public IReadOnlyCollection<string> StderrLines => _errorLines;

    /// <summary>Lines written to stderr, and services' errors, while the system started on fresh databases.</summary>
    public IReadOnlyList<string> StartupErrors { get; private set; } = [];

    /// <summary>What a fixture for particular tests changes in the system it starts.</summary>
    protected virtual void Customize(IDistributedApplicationTestingBuilder appHost)
    {
    }

    /// <summary>
    /// The clients and users only the tests use, declared like the sample's own (AppHost/DemoClients.cs),
    /// and the sample's clients adjusted for tests.
    /// </summary>
    private static void AddTestClientsAndUsers(IDistributedApplicationTestingBuilder appHost)
    {
        var authServer = appHost.CreateResourceBuilder<ProjectResource>("authserver");
        var webClient = appHost.CreateResourceBuilder<ProjectResource>("webclient");
        var testUserPassword = appHost.AddParameter(TestSecrets.TestUserPasswordName, secret: true);
        var implicitConsentClient = new DemoClient(ImplicitClientId)
        {
            Secret = appHost.AddParameter($"{ImplicitClientId}-secret", secret: true),
            RedirectUris = [ReferenceExpression.Create($"{ImplicitClientRedirectUri}")],
            GrantTypes = ["authorization_code", "refresh_token"],
            Scopes = ["openid", "offline_access", "notes.read", "notes.write", "profile"],
            ConsentType = "implicit",
        };

        authServer
            .WithUser(new DemoUser(LockoutUser, testUserPassword))
            .WithUser(new DemoUser(LockedUser, testUserPassword))
            .WithUser(new DemoUser(ConsentUser, testUserPassword))
            .WithUser(new DemoUser(RefreshUser, testUserPassword) { DisplayName = "Erin Example" })
            .WithUser(new DemoUser(RefusedRefreshUser, testUserPassword) { DisplayName = "Dave Example" })
            .WithUser(new DemoUser(WrongPasswordUser, testUserPassword))
            .WithUser(new DemoUser(ReplicaUser, testUserPassword))
            .WithUser(new DemoUser(WebReplicaUser, testUserPassword) { DisplayName = "Ivan Example" })
            .WithUser(new DemoUser(MixUpUser, testUserPassword))
            .WithUser(new DemoUser(TraceUser, testUserPassword))
            .WithUser(new DemoUser(LabUser, testUserPassword) { DisplayName = "Lara Example" })
            // Short-lived tokens, so refreshes and renewals happen within a test.
            .WithClient(DemoClients.WebClient(webClient, Parameter(appHost, "webclient-secret")) with { AccessTokenLifetime = WebClientTokenLifetime })
            .WithClient(DemoClients.WebClient(webClient, appHost.AddParameter($"{CodeClientId}-secret", secret: true)) with
            {
                ClientId = CodeClientId,
                RequirePushedAuthorization = false,
                AccessTokenLifetime = WebClientTokenLifetime,
            })
            .WithClient(DemoClients.Worker(Parameter(appHost, WorkerClientKeyParameter)) with { AccessTokenLifetime = WorkerTokenLifetime })
            .WithClient(DemoClients.Worker(appHost.AddParameter($"{AssertionClientId}-key", secret: true)) with { ClientId = AssertionClientId })
            // Lets a test get an ID token whose audience is resource-api: then only its type
            // (JWT, not at+jwt) tells the API it is not an access token.
            .WithClient(DemoClients.ResourceApi(Parameter(appHost, "resource-api-secret")) with
            {
                GrantTypes = ["authorization_code"],
                RedirectUris = [ReferenceExpression.Create($"{ResourceApiRedirectUri}")],
                Scopes = ["openid"],
                ConsentType = "implicit",
            })
            .WithClient(implicitConsentClient)
            .WithClient(implicitConsentClient with { ClientId = CappedRefreshClientId, RefreshTokenMaxLifetime = CappedRefreshMaxLifetime })
            .WithClient(implicitConsentClient with { ClientId = FailingWritesClientId })
            .WithClient(new DemoClient(MachineClientId)
            {
                Secret = appHost.AddParameter($"{MachineClientId}-secret", secret: true),
                GrantTypes = ["client_credentials"],
                Scopes = ["stats.read"],
            })
            .WithClient(new DemoClient(ChangingClientId)
            {
                Secret = appHost.AddParameter($"{ChangingClientId}-secret", secret: true),
                GrantTypes = ["client_credentials"],
                Scopes = ["stats.read", OtherApiScope],
            })
            .WithClient(new DemoClient(ShortLivedClientId)
            {
                Secret = appHost.AddParameter($"{ShortLivedClientId}-secret", secret: true),
                GrantTypes = ["client_credentials"],
                Scopes = ["stats.read", OtherApiScope],
                AccessTokenLifetime = TimeSpan.FromSeconds(5),
            })
            // A scope whose tokens are for another API, as an operator would add it.
            .WithEnvironment($"AuthServer__Scopes__{OtherApiScope}__Resources__0", "other-api")
            // Every test request comes from 127.0.0.1: the per-address limits would add up the
            // failures of unrelated tests. FailedAttemptLimitTests checks them on a system of its own.
            .WithEnvironment("AuthServer__FailedAttempts__SignInsPerAddress", "1000")
            .WithEnvironment("AuthServer__FailedAttempts__ClientAuthenticationsPerClientAndAddress", "1000");
    }

    private static IResourceBuilder<ParameterResource> Parameter(IDistributedApplicationTestingBuilder appHost, string name) =>
        appHost.CreateResourceBuilder(appHost.Resources.OfType<ParameterResource>().Single(p => p.Name == name));

    public HttpClient CreateHttpClient(string resource) => App.CreateHttpClient(resource);

    public Uri EndpointOf(string resource) => App.GetEndpoint(resource, "http");

    /// <summary>How the services reach a database (or the server, <c>postgres</c>), for tests that look beneath them.</summary>
    public async Task<string> ConnectionStringOfAsync(string resource) =>
        await App.GetConnectionStringAsync(resource, Ct) ?? throw new InvalidOperationException($"{resource} has no connection string");

    /// <summary>A fresh client with its own cookie jar: one browser, one session.</summary>
    public AuthServerClient CreateAuthServerClient() => new(EndpointOf("authserver"));

    /// <summary>The webclient's registered redirect URI, as the AppHost declared it.</summary>
    public string WebClientRedirectUri => new Uri(EndpointOf("webclient"), "/signin-oidc").ToString();

    public string WebClientPostLogoutRedirectUri => new Uri(EndpointOf("webclient"), "/signout-callback-oidc").ToString();

    public string SpaRedirectUri => new Uri(EndpointOf("webclient"), "/spa").ToString();

    public HttpClient CreateApiClient() => new() { BaseAddress = EndpointOf("resourceapi"), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Everything a service (all its replicas) has logged so far.</summary>
    public IReadOnlyCollection<string> LogOf(string project) => _logs[project];

    /// <summary>A service's warnings and errors so far, each with its message line, for a failed test's output.</summary>
    public IEnumerable<string> WarningsOf(string project) => LinesAtLevel(project, "warn:", "fail:", "crit:");

    private IEnumerable<string> ErrorsOf(string project) => LinesAtLevel(project, "fail:", "crit:");

    private IEnumerable<string> LinesAtLevel(string project, params string[] levels)
    {
        // The console logger colours the level (ANSI escapes) when DCP captures it.
        var lines = _logs[project].Select(line => AnsiEscape().Replace(line, "")).ToList();
        for (var i = 0; i < lines.Count; i++)
            if (levels.Any(level => lines[i].StartsWith(level, StringComparison.Ordinal)))
                yield return i + 1 < lines.Count ? $"{project}: {lines[i]} {lines[i + 1].Trim()}" : $"{project}: {lines[i]}";
    }

    [System.Text.RegularExpressions.GeneratedRegex("\u001b\\[[0-9;]*m")]
    private static partial System.Text.RegularExpressions.Regex AnsiEscape();

    public IReadOnlyCollection<string> AuthServerLog => LogOf("authserver");

    public IReadOnlyCollection<string> WorkerLog => LogOf("worker");

    private async Task CollectLogsAsync(string resource, ConcurrentQueue<string> sink, CancellationToken ct)
    {
        try
        {
            var logs = App.Services.GetRequiredService<ResourceLoggerService>();
            var model = App.Services.GetRequiredService<DistributedApplicationModel>();
            // Logs are kept per running instance (a DCP name with a suffix); this overload finds them.
            await foreach (var batch in logs.WatchAsync(model.Resources.Single(r => r.Name == resource)).WithCancellation(ct))
                foreach (var line in batch)
                {
                    sink.Enqueue(line.Content);
                    // DCP marks what a process writes to stderr; the dashboard shows it as an error.
                    if (line.IsErrorMessage)
                        _errorLines.Enqueue($"{resource} (stderr): {line.Content}");
                }
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
        if (Telemetry is not null)
            await Telemetry.DisposeAsync();

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
