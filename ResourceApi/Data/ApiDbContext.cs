using Microsoft.EntityFrameworkCore;

namespace OAuthDemo.ResourceApi.Data;

/// <summary>The API's own database, <c>apidb</c>.</summary>
public sealed class ApiDbContext(DbContextOptions<ApiDbContext> options) : DbContext(options)
{
    public DbSet<Note> Notes => Set<Note>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.Entity<Note>(note =>
        {
            note.HasKey(n => n.Id);
            note.Property(n => n.OwnerSubject).HasMaxLength(200);
            note.Property(n => n.Text).HasMaxLength(Note.MaxTextLength);
            // Every query filters by owner, newest first.
            note.HasIndex(n => new { n.OwnerSubject, n.CreatedAt });
        });
    }
}
