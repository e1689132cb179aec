using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OAuthDemo.IntegrationTests;

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

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"oauthdemo-tests-{Guid.NewGuid():N}");

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
        appHost.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());

        App = await appHost.BuildAsync();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await App.StartAsync(timeout.Token);
        foreach (var resource in Resources)
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
    }

    public HttpClient CreateHttpClient(string resource) => App.CreateHttpClient(resource);

    public async ValueTask DisposeAsync()
    {
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

    public IEnumerable<string> AsParameterArguments() =>
    [
        $"Parameters:alice-password={AlicePassword}",
        $"Parameters:bob-password={BobPassword}",
        $"Parameters:webclient-secret={WebClientSecret}",
        $"Parameters:worker-secret={WorkerSecret}",
        $"Parameters:resource-api-secret={ResourceApiSecret}",
    ];

    private static string Generate() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', 'x').Replace('/', 'y') + "-Aa1";
}
