using Microsoft.AspNetCore.DataProtection;
using OAuthDemo.AuthServer.Data;

namespace OAuthDemo.AuthServer.Hosting;

internal static class AuthDatabaseExtensions
{
    /// <summary>
    /// <c>authdb</c> through Aspire's EF Core integration (connection string, pooling, health check,
    /// tracing and metrics), and the Data Protection key ring in it.
    /// </summary>
    public static void AddAuthDatabase(this WebApplicationBuilder builder)
    {
        builder.Configuration.RequireConnectionString("authdb");

        // No automatic retries: OpenIddict's stores and the seeding lock run their own transactions,
        // which EF Core's retrying execution strategy refuses.
        builder.AddNpgsqlDbContext<AuthDbContext>("authdb", settings => settings.DisableRetry = true);

        // Cookies and protected keys must survive restarts and be readable by every replica.
        builder.Services.AddDataProtection()
            .SetApplicationName("OAuthDemo.AuthServer")
            .PersistKeysToDbContext<AuthDbContext>();
    }
}
