namespace OAuthDemo.AppHost.Postgres;

/// <summary>
/// A PostgreSQL server run from the machine's own binaries (no container runtime needed).
/// Its superuser password is generated once per data folder and kept beside it.
/// </summary>
public sealed class LocalPostgresServerResource(string name, string command, string workingDirectory, LocalPostgresLayout layout)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    public LocalPostgresLayout Layout { get; } = layout;

    public EndpointReference Endpoint => new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={Endpoint.Property(EndpointProperty.Host)};Port={Endpoint.Property(EndpointProperty.Port)};Username=postgres;Password={Layout.ReadPassword()}");
}

/// <summary>Where a local server keeps its files.</summary>
public sealed record LocalPostgresLayout(string BinDirectory, string BaseDirectory, bool RunAsPostgresUser)
{
    public string DataDirectory => Path.Combine(BaseDirectory, "data");

    public string PasswordFile => Path.Combine(BaseDirectory, "superuser-password");

    public bool IsInitialized => File.Exists(Path.Combine(DataDirectory, "PG_VERSION"));

    public string ReadPassword() => File.Exists(PasswordFile) ? File.ReadAllText(PasswordFile).Trim() : "";

    /// <summary>
    /// The default base folder: the user's local app data. As root, the server runs as the
    /// <c>postgres</c> user, who cannot enter /root, so a system folder is used instead.
    /// </summary>
    public static string DefaultBaseDirectory(bool runAsPostgresUser) => runAsPostgresUser
        ? "/var/lib/oauthdemo/postgres"
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "OAuthDemo", "postgres");
}
