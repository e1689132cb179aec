using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OAuthDemo.AuthServer.Configuration;
using OAuthDemo.AuthServer.Data;
using OAuthDemo.AuthServer.Keys;

namespace OAuthDemo.AuthServer.Seeding;

internal static class AuthServerInitializer
{
    // Any constant works: it only has to be the same for every replica.
    private const long StartupLockKey = 0x0A_07_D3_30;

    /// <summary>
    /// Runs before the server listens, so it reports healthy only once the schema is migrated, the
    /// token keys are loaded, and clients, scopes and users are seeded.
    /// </summary>
    public static async Task InitializeAuthServerAsync(this WebApplication app, CancellationToken ct = default)
    {
        // Bad configuration stops here, with the setting named, before anything is written.
        _ = app.Services.GetRequiredService<IOptions<AuthServerSettings>>().Value;

        // One replica at a time migrates, loads the keys and seeds.
        await using var startupLock = await PostgresStartupLock.AcquireAsync(AuthDatabaseConnection.ConnectionString(app.Configuration), StartupLockKey, ct);

        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await services.GetRequiredService<AuthDbContext>().Database.ApplyMigrationsAsync(ct);

        // The keys the schedule asks for (the first ones on a new database), loaded for OpenIddict.
        await services.GetRequiredService<TokenKeyStore>().FollowScheduleAsync(ct);

        await services.GetRequiredService<ScopeSeeder>().SeedAsync(ct);
        await services.GetRequiredService<ClientSeeder>().SeedAsync(ct);
        await services.GetRequiredService<UserSeeder>().SeedAsync(ct);
    }
}
