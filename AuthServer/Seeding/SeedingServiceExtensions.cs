namespace OAuthDemo.AuthServer.Seeding;

internal static class SeedingServiceExtensions
{
    /// <summary>The seeders that create or update clients, scopes and users from AuthServer:* at start-up.</summary>
    public static IServiceCollection AddConfigurationSeeding(this IServiceCollection services) => services
        .AddScoped<ScopeSeeder>()
        .AddScoped<ClientSeeder>()
        .AddScoped<UserSeeder>();
}
