using Microsoft.EntityFrameworkCore;

namespace OAuthDemo.ResourceApi.Data;

internal static class ApiDataExtensions
{
    /// <summary>
    /// <c>apidb</c> through Aspire's EF Core integration: connection string, pooling, health check,
    /// tracing and metrics. No retries: while the database is away a request fails at once with 503
    /// and Retry-After (ServiceDefaults' DependencyOutage), and the caller decides whether to repeat
    /// it, rather than hanging for the retries' half minute.
    /// </summary>
    public static IHostApplicationBuilder AddApiData(this IHostApplicationBuilder builder)
    {
        builder.Configuration.RequireConnectionString("apidb");
        builder.AddNpgsqlDbContext<ApiDbContext>("apidb", settings =>
        {
            settings.DisableRetry = true;
            settings.ConnectionString = DependencyOutage.WithIdleConnectionChecks(settings.ConnectionString);
        });
        return builder;
    }

    // Any constant works: it only has to be the same for every replica.
    private const long StartupLockKey = 0x0A_07_D3_50;

    /// <summary>
    /// Applies migrations before the API listens, so it is healthy only with its schema; one
    /// replica at a time, should it be scaled out.
    /// </summary>
    public static async Task MigrateApiDatabaseAsync(this WebApplication app, CancellationToken ct = default)
    {
        await using var startupLock = await PostgresStartupLock.AcquireAsync(app.Configuration.GetConnectionString("apidb")!, StartupLockKey, ct);
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ApiDbContext>().Database.ApplyMigrationsAsync(ct);
    }
}
