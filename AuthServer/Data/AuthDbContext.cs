using Microsoft.EntityFrameworkCore;

namespace OAuthDemo.AuthServer.Data;

public sealed class AuthDbContext(DbContextOptions<AuthDbContext> options) : DbContext(options);
