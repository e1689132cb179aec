using Microsoft.Extensions.Logging;
using Npgsql;

namespace OAuthDemo.AppHost.Postgres;

/// <summary>
/// A database on a local or external server, created by the AppHost if missing. It turns
/// Running only once the database exists, so projects that WaitFor it start against a real one.
/// </summary>
public sealed class ProvisionedDatabaseResource(string name, string databaseName, IResourceWithConnectionString server)
    : Resource(name), IResourceWithParent<IResourceWithConnectionString>, IResourceWithConnectionString
{
    public string DatabaseName { get; } = databaseName;

    public IResourceWithConnectionString Parent { get; } = server;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}

internal static class ProvisionedDatabaseBuilderExtensions
{
    private static readonly TimeSpan ServerWaitLimit = TimeSpan.FromSeconds(60);

    public static IResourceBuilder<ProvisionedDatabaseResource> AddProvisionedDatabase(
        this IDistributedApplicationBuilder builder, IResourceBuilder<IResourceWithConnectionString> server, string name, string modeDescription)
    {
        var database = new ProvisionedDatabaseResource(name, name, server.Resource);

        builder.Eventing.Subscribe<InitializeResourceEvent>(database, (e, ct) =>
        {
            // Runs in the background: initialisation events must not block the other resources.
            _ = Task.Run(() => ProvisionAsync(database, e.Notifications, e.Logger, modeDescription, ct), ct);
            return Task.CompletedTask;
        });

        return builder.AddResource(database)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgreSQL database",
                State = KnownResourceStates.Waiting,
                Properties = [new("postgres.mode", modeDescription)],
            });
    }

    private static async Task ProvisionAsync(
        ProvisionedDatabaseResource database, ResourceNotificationService notifications, ILogger logger, string modeDescription, CancellationToken ct)
    {
        logger.LogInformation("PostgreSQL mode: {Mode}", modeDescription);
        try
        {
            if (database.Parent is LocalPostgresServerResource local)
                await notifications.WaitForResourceHealthyAsync(local.Name, ct).WaitAsync(ServerWaitLimit, ct);

            var serverConnectionString = await database.Parent.ConnectionStringExpression.GetValueAsync(ct)
                ?? throw new InvalidOperationException("The PostgreSQL server has no connection string.");

            await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Starting });
            var created = await EnsureDatabaseAsync(serverConnectionString, database.DatabaseName, ct);
            logger.LogInformation(created ? "Created database {Database}" : "Database {Database} already exists", database.DatabaseName);

            await notifications.PublishUpdateAsync(database, s => s with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
            });
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogError("Database {Database} could not be provisioned: {Error}", database.DatabaseName, ex.Message);
            await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.FailedToStart });
        }
    }

    /// <summary>Creates the database if missing, retrying while the server is still coming up.</summary>
    private static async Task<bool> EnsureDatabaseAsync(string serverConnectionString, string databaseName, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + ServerWaitLimit;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(serverConnectionString);
                await connection.OpenAsync(ct);

                await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
                exists.Parameters.AddWithValue("name", databaseName);
                if (await exists.ExecuteScalarAsync(ct) is not null)
                    return false;

                // Identifiers cannot be parameters; the name is ours (a resource name), quoted anyway.
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{databaseName.Replace("\"", "\"\"")}\"", connection);
                await create.ExecuteNonQueryAsync(ct);
                return true;
            }
            catch (NpgsqlException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
            }
        }
    }
}
