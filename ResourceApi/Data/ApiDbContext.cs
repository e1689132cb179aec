using Microsoft.EntityFrameworkCore;

namespace OAuthDemo.ResourceApi.Data;

/// <summary>The API's own database, <c>apidb</c>.</summary>
public sealed class ApiDbContext(DbContextOptions<ApiDbContext> options) : DbContext(options);
