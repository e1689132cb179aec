using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace OAuthDemo.AuthServer.Data;

/// <summary>
/// <c>authdb</c>: ASP.NET Core Identity users, OpenIddict's applications, authorizations,
/// scopes and tokens, the token signing and encryption keys, and the Data Protection key ring. Everything a
/// second replica of the auth server needs is here, none of it on the local disk.
/// </summary>
public sealed class AuthDbContext(DbContextOptions<AuthDbContext> options)
    : IdentityDbContext<ApplicationUser>(options), IDataProtectionKeyContext
{
    public DbSet<TokenKey> TokenKeys => Set<TokenKey>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<UsedClientAssertion> UsedClientAssertions => Set<UsedClientAssertion>();

    public DbSet<FailedAttempt> FailedAttempts => Set<FailedAttempt>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.UseOpenIddict();

        builder.Entity<TokenKey>(key =>
        {
            key.HasKey(k => k.Id);
            key.Property(k => k.Id).HasMaxLength(64);
            key.Property(k => k.Use).HasMaxLength(8);
            key.Property(k => k.Algorithm).HasMaxLength(32);
            key.HasIndex(k => new { k.Use, k.ActivatesAt });
        });

        builder.Entity<UsedClientAssertion>(used =>
        {
            used.HasKey(u => new { u.ClientId, u.JwtId });
            used.Property(u => u.ClientId).HasMaxLength(100);
            used.Property(u => u.JwtId).HasMaxLength(100);
            used.HasIndex(u => u.ExpiresAt);
        });

        builder.Entity<FailedAttempt>(attempt =>
        {
            attempt.HasKey(a => a.Source);
            attempt.Property(a => a.Source).HasMaxLength(64);
            attempt.HasIndex(a => a.WindowStart);
        });
    }
}
