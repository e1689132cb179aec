using Microsoft.EntityFrameworkCore;

namespace OAuthDemo.ResourceApi.Data;

internal static class ApiDataExtensions
{
    public static IHostApplicationBuilder AddApiData(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString("apidb")
            ?? throw new InvalidOperationException("ConnectionStrings:apidb is not set: give the API its PostgreSQL database.");

        builder.Services.AddDbContext<ApiDbContext>(options => options.UseNpgsql(connectionString));
        builder.Services.AddHealthChecks().AddDbContextCheck<ApiDbContext>("apidb");
        return builder;
    }
}
