namespace OAuthDemo.IntegrationTests.AuthServer;

/// <summary>
/// The tests on the <see cref="RotatingKeysFixture"/> system: one system for all of them (each
/// AppHost start costs ~30 s), run alone after the parallel tests, one class after another.
/// </summary>
[CollectionDefinition(nameof(RotatingKeysTests), DisableParallelization = true)]
public sealed class RotatingKeysTests : ICollectionFixture<RotatingKeysFixture>;

/// <summary>
/// A second system whose keys rotate in seconds: a new signing and encryption key every
/// <see cref="RotationInterval"/>, published <see cref="PrepublishPeriod"/> before it signs, the old
/// one kept <see cref="RetirementPeriod"/> after; access tokens live <see cref="AccessTokenLifetime"/>,
/// pushed authorization requests <see cref="PushedRequestLifetime"/>, the sign-in cookie
/// <see cref="SignInLifetime"/> (sliding); the web client keeps sign-ins that never completed
/// <see cref="PendingFlowLifetime"/>. Failed-attempt limits are low
/// and short (<see cref="FailedAttemptWindow"/>), so that tests can reach them and see them pass.
/// Every service logs every category at Debug, so a test can look for secrets in everything logged.
/// </summary>
public sealed class RotatingKeysFixture : AppHostFixture
{
    public static readonly TimeSpan RotationInterval = TimeSpan.FromSeconds(20);
    public static readonly TimeSpan PrepublishPeriod = TimeSpan.FromSeconds(6);
    public static readonly TimeSpan RetirementPeriod = TimeSpan.FromSeconds(12);
    public static readonly TimeSpan AccessTokenLifetime = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan PushedRequestLifetime = TimeSpan.FromSeconds(12);
    public static readonly TimeSpan SignInLifetime = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan PendingFlowLifetime = TimeSpan.FromSeconds(4);
    public static readonly TimeSpan FailedAttemptWindow = TimeSpan.FromSeconds(15);
    public const int SignInsPerUserAndAddress = 3;
    public const int SignInsPerAddress = 5;
    public const int ClientAuthenticationsPerClientAndAddress = 3;

    /// <summary>Default, and every category the services' appsettings set higher.</summary>
    private static readonly string[] DebugCategories =
        ["Default", "Microsoft.AspNetCore", "Microsoft.EntityFrameworkCore", "OpenIddict", "System.Net.Http.HttpClient", "Polly"];

    protected override void Customize(IDistributedApplicationTestingBuilder appHost)
    {
        appHost.CreateResourceBuilder<ProjectResource>("authserver")
            .WithEnvironment("AuthServer__Keys__RotationInterval", RotationInterval.ToString("c"))
            .WithEnvironment("AuthServer__Keys__PrepublishPeriod", PrepublishPeriod.ToString("c"))
            .WithEnvironment("AuthServer__Keys__RetirementPeriod", RetirementPeriod.ToString("c"))
            .WithEnvironment("AuthServer__AccessTokenLifetime", AccessTokenLifetime.ToString("c"))
            .WithEnvironment("AuthServer__PushedRequestLifetime", PushedRequestLifetime.ToString("c"))
            .WithEnvironment("AuthServer__SignInLifetime", SignInLifetime.ToString("c"))
            .WithEnvironment("AuthServer__FailedAttempts__Window", FailedAttemptWindow.ToString("c"))
            .WithEnvironment("AuthServer__FailedAttempts__SignInsPerUserAndAddress", SignInsPerUserAndAddress.ToString())
            .WithEnvironment("AuthServer__FailedAttempts__SignInsPerAddress", SignInsPerAddress.ToString())
            .WithEnvironment("AuthServer__FailedAttempts__ClientAuthenticationsPerClientAndAddress", ClientAuthenticationsPerClientAndAddress.ToString())
            // Nothing may outlive the retirement of the key that signed it.
            .WithEnvironment("AuthServer__Clients__webclient__AccessTokenLifetime", AccessTokenLifetime.ToString("c"))
            .WithEnvironment("AuthServer__Clients__worker__AccessTokenLifetime", AccessTokenLifetime.ToString("c"))
            .WithEnvironment($"AuthServer__Clients__{CodeClientId}__AccessTokenLifetime", AccessTokenLifetime.ToString("c"));
        appHost.CreateResourceBuilder<ProjectResource>("webclient")
            .WithEnvironment("WebClient__PendingFlowLifetime", PendingFlowLifetime.ToString("c"));
        foreach (var project in ServiceProjects)
        {
            var service = appHost.CreateResourceBuilder<ProjectResource>(project);
            foreach (var category in DebugCategories)
                service.WithEnvironment($"Logging__LogLevel__{category}", "Debug");
        }
        // The API may look up a new kid every second (a minute by default).
        appHost.CreateResourceBuilder<ProjectResource>("resourceapi")
            .WithEnvironment("Authentication__KeyRefreshInterval", "00:00:01");
    }
}
