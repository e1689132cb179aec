using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace OAuthDemo.ResourceApi.Data;

/// <summary>Lets `dotnet ef migrations add` build the model without starting the API.</summary>
internal sealed class ApiDbContextDesignTimeFactory : IDesignTimeDbContextFactory<ApiDbContext>
{
    public ApiDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ApiDbContext>().UseNpgsql("Host=localhost;Database=apidb").Options);
}
