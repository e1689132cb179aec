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
        builder.Configuration.RequireConnectionString(AuthDatabaseConnection.Name);

        builder.AddNpgsqlDbContext<AuthDbContext>(AuthDatabaseConnection.Name, settings =>
        {
            // No automatic retries: OpenIddict's stores and the seeding lock run their own
            // transactions, which EF Core's retrying execution strategy refuses.
            settings.DisableRetry = true;
            settings.ConnectionString = AuthDatabaseConnection.WithPoolSettings(settings.ConnectionString);
        });

        // Cookies and protected token keys must survive restarts and be readable by every replica;
        // the key ring is encrypted with a certificate, so an authdb backup alone cannot forge tokens.
        builder.Services.AddDataProtection()
            .SetApplicationName("OAuthDemo.AuthServer")
            .PersistKeysToDbContext<AuthDbContext>()
            .ProtectKeysWithConfiguredCertificate(builder);
    }
}
