using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OAuthDemo.AppHost;

public static partial class NextSteps
{
    public const string LoggerCategory = "OAuthDemo.AppHost.NextSteps";

    /// <summary>
    /// Once the web client is ready (it waits for the auth server and the API), the console says what
    /// to do next: where to sign in, where the passwords are, how to get a machine token by hand.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithNextStepsInTheConsole(
        this IResourceBuilder<ProjectResource> webClient, IResourceBuilder<ProjectResource> authServer)
    {
        var told = 0;
        webClient.ApplicationBuilder.Eventing.Subscribe<ResourceReadyEvent>(webClient.Resource, (ready, _) =>
        {
            if (Interlocked.Exchange(ref told, 1) == 0)
            {
                var logger = ready.Services.GetRequiredService<ILoggerFactory>().CreateLogger(LoggerCategory);
                var site = webClient.PublicEndpoint().Url;
                LogReady(logger, site, $"{site}/flow", $"{site}/spa", $"{authServer.PublicEndpoint().Url}/connect/token");
            }
            return Task.CompletedTask;
        });
        return webClient;
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = """
        OAuthDemo is ready. Next:
          1. Sign in at {WebClient} as alice or bob; the passwords are in the dashboard under Parameters (alice-password, bob-password).
          2. Watch every step of that sign-in in the flow inspector: {FlowInspector}; the same flow run by the browser alone: {Spa}
          3. Get a token as the worker (client credentials) by hand:
             curl -d grant_type=client_credentials -d scope=stats.read -d client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer -d client_assertion=$(dotnet run tools/client-assertion.cs) {TokenEndpoint}
        """)]
    private static partial void LogReady(ILogger logger, string webClient, string flowInspector, string spa, string tokenEndpoint);
}
