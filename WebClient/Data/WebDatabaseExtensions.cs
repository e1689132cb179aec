using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace OAuthDemo.WebClient.Data;

internal static class WebDatabaseExtensions
{
    public const string ConnectionName = "webdb";

    // Any constant works: it only has to be the same for every replica.
    private const long StartupLockKey = 0x0A_07_D3_40;

    /// <summary>
    /// <c>webdb</c> through Aspire's EF Core integration, the Data Protection key ring in it, and the
    /// cleanup of expired sessions and flow records. Several replicas share all of it.
    /// </summary>
    public static WebApplicationBuilder AddWebDatabase(this WebApplicationBuilder builder)
    {
        builder.Configuration.RequireConnectionString(ConnectionName);
        // No automatic retries: a session's refresh runs in a transaction of its own (SessionTicketStore).
        builder.AddNpgsqlDbContext<WebDbContext>(ConnectionName, settings =>
        {
            settings.DisableRetry = true;
            settings.ConnectionString = DependencyOutage.WithIdleConnectionChecks(settings.ConnectionString);
        });

        // Cookies, OIDC state and stored sessions must be readable by every replica and survive
        // restarts; the key ring is encrypted with a certificate, so a webdb backup reveals nothing.
        builder.Services.AddDataProtection()
            .SetApplicationName("OAuthDemo.WebClient")
            .PersistKeysToDbContext<WebDbContext>()
            .ProtectKeysWithConfiguredCertificate(builder);

        builder.Services.AddHostedService<ExpiredSessionCleanup>();
        return builder;
    }

    /// <summary>Applies migrations (and makes the first key) before the web client listens, one replica at a time.</summary>
    public static async Task MigrateWebDatabaseAsync(this WebApplication app, CancellationToken ct = default)
    {
        await using var startupLock = await PostgresStartupLock.AcquireAsync(
            app.Configuration.GetConnectionString(ConnectionName)!, StartupLockKey, ct);
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WebDbContext>().Database.ApplyMigrationsAsync(ct);
        // The first Data Protection key too, under the lock: replicas starting together on a new
        // database would otherwise each create one, and cookies of one would not open on the other.
        app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("OAuthDemo.WebClient.Startup").Protect([0]);
    }
}
