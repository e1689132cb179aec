using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace OAuthDemo.WebClient.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the web client.</summary>
internal sealed class WebDbContextDesignTimeFactory : IDesignTimeDbContextFactory<WebDbContext>
{
    public WebDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<WebDbContext>().UseNpgsql("Host=localhost;Database=webdb").Options);
}
