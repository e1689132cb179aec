using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace OAuthDemo.AuthServer.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the server.</summary>
internal sealed class AuthDbContextDesignTimeFactory : IDesignTimeDbContextFactory<AuthDbContext>
{
    public AuthDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<AuthDbContext>().UseNpgsql("Host=localhost;Database=authdb").Options);
}
