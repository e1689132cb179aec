namespace OAuthDemo.AppHost.Postgres;

/// <summary>The server and the two databases every service needs, whichever mode provides them.</summary>
public sealed record DemoDatabases(
    IResourceBuilder<IResource> Server,
    IResourceBuilder<IResourceWithConnectionString> AuthDb,
    IResourceBuilder<IResourceWithConnectionString> ApiDb);

internal static class DemoPostgresBuilderExtensions
{
    /// <summary>
    /// Adds the <c>postgres</c> resource with databases <c>authdb</c> and <c>apidb</c> in the mode
    /// <c>Postgres:Mode</c> selects; throws <see cref="PostgresUnavailableException"/> at once when none can serve.
    /// </summary>
    public static DemoDatabases AddDemoPostgres(this IDistributedApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var decision = PostgresModeSelector.Decide(
            config[PostgresModeSelector.ModeSetting],
            hasConnectionString: !string.IsNullOrWhiteSpace(config[PostgresModeSelector.ConnectionStringSetting]),
            containerRuntimeIsHealthy: () => PostgresProbes.ContainerRuntimeIsHealthy(config["ASPIRE_CONTAINER_RUNTIME"]),
            findBinDirectory: () => PostgresProbes.FindBinDirectory(config[PostgresModeSelector.BinDirectorySetting]));

        Console.WriteLine($"PostgreSQL mode: {decision.Mode.ToString().ToLowerInvariant()} ({decision.Reason})");
        var description = $"{decision.Mode.ToString().ToLowerInvariant()} ({decision.Reason})";

        switch (decision.Mode)
        {
            case PostgresMode.Container:
            {
                var server = builder.AddPostgres("postgres").WithDataVolume();
                return new(server, server.AddDatabase("authdb"), server.AddDatabase("apidb"));
            }
            case PostgresMode.Local:
            {
                var server = builder.AddLocalPostgres("postgres", decision.BinDirectory!, config["Postgres:DataDirectory"]);
                return new(server,
                    builder.AddProvisionedDatabase(server, "authdb", description),
                    builder.AddProvisionedDatabase(server, "apidb", description));
            }
            default:
            {
                var server = builder.AddConnectionString("postgres");
                return new(server,
                    builder.AddProvisionedDatabase(server, "authdb", description),
                    builder.AddProvisionedDatabase(server, "apidb", description));
            }
        }
    }
}
