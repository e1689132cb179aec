namespace OAuthDemo.AppHost.Postgres;

/// <summary>
/// A PostgreSQL server provided in the mode <c>Postgres:Mode</c> selects, and the databases on it.
/// Projects reference the databases; how the server runs is this integration's business.
/// </summary>
public sealed class PostgresServer
{
    private readonly IDistributedApplicationBuilder _builder;

    internal PostgresServer(IDistributedApplicationBuilder builder, IResourceBuilder<IResourceWithConnectionString> resource, PostgresModeDecision decision)
    {
        _builder = builder;
        Resource = resource;
        Decision = decision;
    }

    /// <summary>The server resource (<c>postgres</c> in the dashboard).</summary>
    public IResourceBuilder<IResourceWithConnectionString> Resource { get; }

    /// <summary>The mode that runs and why.</summary>
    public PostgresModeDecision Decision { get; }

    /// <summary>
    /// A database on this server, created if missing. It turns Running only once it exists, so a
    /// project that <c>WaitFor</c>s it starts against a real database.
    /// </summary>
    public IResourceBuilder<IResourceWithConnectionString> AddDatabase(string name) =>
        Resource is IResourceBuilder<PostgresServerResource> container
            ? container.AddDatabase(name)
            : _builder.AddProvisionedDatabase(Resource, name, Decision.Description);
}

public static class PostgresServerBuilderExtensions
{
    /// <summary>
    /// Adds a PostgreSQL server: Aspire's container where a container runtime answers, the
    /// machine's own binaries, or an existing server from <c>ConnectionStrings:postgres</c>
    /// (see <see cref="PostgresModeSelector"/>). Throws <see cref="PostgresUnavailableException"/>
    /// at once, with what to install or set, when none can serve.
    /// </summary>
    public static PostgresServer AddPostgresServer(this IDistributedApplicationBuilder builder, string name)
    {
        var config = builder.Configuration;
        if (builder.ExecutionContext.IsPublishMode)
            return AddPublishedPostgresServer(builder, name);
        var decision = PostgresModeSelector.Decide(
            config[PostgresModeSelector.ModeSetting],
            hasConnectionString: !string.IsNullOrWhiteSpace(config[PostgresModeSelector.ConnectionStringSetting]),
            containerRuntimeIsHealthy: () => PostgresProbes.ContainerRuntimeIsHealthy(config["ASPIRE_CONTAINER_RUNTIME"]),
            findBinDirectory: () => PostgresProbes.FindBinDirectory(config[PostgresModeSelector.BinDirectorySetting]));

        Console.WriteLine($"PostgreSQL mode: {decision.Description}");

        IResourceBuilder<IResourceWithConnectionString> server = decision.Mode switch
        {
            PostgresMode.Container => builder.AddPostgres(name).WithDataVolume(),
            PostgresMode.Local => builder.AddLocalPostgres(name, decision.BinDirectory!, config[PostgresModeSelector.DataDirectorySetting]),
            _ => builder.AddConnectionString(name),
        };
        return new PostgresServer(builder, server, decision);
    }

    /// <summary>
    /// What a publish (a manifest, a Helm chart) describes: something a platform can run, never this
    /// machine's binaries, paths or passwords. Aspire's PostgreSQL container with a data volume and
    /// a generated secret password; or, with <c>Postgres:Mode=external</c> (a managed server), a
    /// connection string the operator supplies as a secret parameter.
    /// </summary>
    private static PostgresServer AddPublishedPostgresServer(IDistributedApplicationBuilder builder, string name)
    {
        if (PostgresModeSelector.Parse(builder.Configuration[PostgresModeSelector.ModeSetting]) is PostgresMode.External)
            return new PostgresServer(builder, builder.AddConnectionString(name), new(PostgresMode.External, "publish: an existing server"));

        // Its password is a generated secret parameter (postgres-password), as in container mode.
        var server = builder.AddPostgres(name).WithDataVolume();
        return new PostgresServer(builder, server, new(PostgresMode.Container, "publish: Aspire's PostgreSQL container"));
    }
}
