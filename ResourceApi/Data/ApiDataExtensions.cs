using Microsoft.EntityFrameworkCore;

namespace OAuthDemo.ResourceApi.Data;

internal static class ApiDataExtensions
{
    public static IHostApplicationBuilder AddApiData(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("apidb");
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException("ConnectionStrings:apidb is not set: give the API its PostgreSQL database (ConnectionStrings__apidb).");

        builder.Services.AddDbContext<ApiDbContext>(options => options.UseNpgsql(connectionString));
        builder.Services.AddHealthChecks().AddDbContextCheck<ApiDbContext>("apidb");
        return builder;
    }

    /// <summary>Applies migrations before the API listens, so it is healthy only with its schema.</summary>
    public static async Task MigrateApiDatabaseAsync(this WebApplication app, CancellationToken ct = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ApiDbContext>().Database.MigrateAsync(ct);
    }
}
