using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Microsoft.Extensions.Hosting;

public static class DatabaseMigrations
{
    /// <summary>
    /// Applies the context's migrations. On a new database Npgsql's provider reads the migration
    /// history before the table exists (npgsql/efcore.pg#3407), and PostgreSQL and EF each log that
    /// failed read as an error on every first run; creating the empty history table first, with
    /// EF's own idempotent script, leaves a healthy first run without red lines. Run it under
    /// <see cref="PostgresStartupLock"/> when replicas start together.
    /// </summary>
    public static async Task ApplyMigrationsAsync(this DatabaseFacade database, CancellationToken ct)
    {
        var history = database.GetService<IHistoryRepository>();
        await database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), ct);
        await database.MigrateAsync(ct);
    }
}
