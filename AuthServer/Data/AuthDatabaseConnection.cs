using Npgsql;

namespace OAuthDemo.AuthServer.Data;

/// <summary>authdb's connection string, with the pool settings everything that uses it shares.</summary>
internal static class AuthDatabaseConnection
{
    public const string Name = "authdb";

    public static string ConnectionString(IConfiguration configuration) => WithPoolSettings(configuration.GetConnectionString(Name));

    public static string WithPoolSettings(string? connectionString) => new NpgsqlConnectionStringBuilder(DependencyOutage.WithIdleConnectionChecks(connectionString))
    {
        // Every token request runs the same few statements: parse and plan them once per connection.
        MaxAutoPrepare = 20,
        AutoPrepareMinUsages = 2,
        // No reset between uses, so code on pooled connections must leave no session state behind:
        // no SET, LISTEN, temporary tables or session-level locks. The seeding lock and LISTEN have
        // connections of their own, outside the pool; transactions end when a connection closes.
        NoResetOnClose = true,
    }.ConnectionString;
}
