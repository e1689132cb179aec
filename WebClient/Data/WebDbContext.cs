using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace OAuthDemo.WebClient.Data;

/// <summary>
/// <c>webdb</c>: what every replica of the web client shares. Sessions and flow records are
/// encrypted with Data Protection before they are stored; its key ring lives here too, encrypted
/// with the key-ring certificate.
/// </summary>
public sealed class WebDbContext(DbContextOptions<WebDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<WebSession> Sessions => Set<WebSession>();

    public DbSet<FlowStepEntry> FlowSteps => Set<FlowStepEntry>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.Entity<WebSession>(session =>
        {
            session.HasKey(s => s.Key);
            session.Property(s => s.Key).HasMaxLength(64);
            session.HasIndex(s => s.ExpiresAt);
        });

        builder.Entity<FlowStepEntry>(step =>
        {
            step.Property(s => s.FlowId).HasMaxLength(32);
            step.Property(s => s.Key).HasMaxLength(64);
            step.HasIndex(s => new { s.FlowId, s.Id });
            step.HasIndex(s => s.At);
        });
    }
}

/// <summary>One signed-in browser: the session ticket (claims and tokens), encrypted.</summary>
public sealed class WebSession
{
    /// <summary>The random key the session cookie carries.</summary>
    public required string Key { get; init; }

    /// <summary>The serialized ticket, protected with Data Protection.</summary>
    public required byte[] Ticket { get; set; }

    /// <summary>When the session ends unless renewed; the cleanup removes it after that.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>When the ticket's access token expires: tells newer tokens from older ones without decrypting.</summary>
    public DateTimeOffset? TokensExpireAt { get; set; }

    /// <summary>
    /// When a request started redeeming the refresh token; no other starts one for
    /// <see cref="Authentication.SessionTicketStore.RefreshLease"/> (the token is spent once redeemed).
    /// </summary>
    public DateTimeOffset? RefreshStartedAt { get; set; }
}

/// <summary>One step of a sign-in or refresh, as the flow inspector shows it, encrypted.</summary>
public sealed class FlowStepEntry
{
    public long Id { get; init; }

    public required string FlowId { get; init; }

    public DateTimeOffset At { get; init; }

    /// <summary>
    /// Which step this is (FlowSteps), in the clear so that flows never completed can be found and
    /// expired (<see cref="ExpiredSessionCleanup"/>) without opening every record.
    /// </summary>
    public required string Key { get; init; }

    /// <summary>The step as JSON, protected with Data Protection (it holds spent codes and the user's claims).</summary>
    public required byte[] Step { get; init; }
}
