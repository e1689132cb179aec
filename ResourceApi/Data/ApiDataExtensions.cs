using Microsoft.EntityFrameworkCore;

namespace OAuthDemo.ResourceApi.Data;

internal static class ApiDataExtensions
{
    /// <summary>
    /// <c>apidb</c> through Aspire's EF Core integration: connection string, pooling, retries of
    /// transient failures, health check, tracing and metrics.
    /// </summary>
    public static IHostApplicationBuilder AddApiData(this IHostApplicationBuilder builder)
    {
        builder.Configuration.RequireConnectionString("apidb");
        builder.AddNpgsqlDbContext<ApiDbContext>("apidb");
        return builder;
    }

    /// <summary>Applies migrations before the API listens, so it is healthy only with its schema.</summary>
    public static async Task MigrateApiDatabaseAsync(this WebApplication app, CancellationToken ct = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ApiDbContext>().Database.MigrateAsync(ct);
    }
}
