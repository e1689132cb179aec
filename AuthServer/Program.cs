using Microsoft.EntityFrameworkCore;
using OAuthDemo.AuthServer.Data;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddDbContext<AuthDbContext>(o => o.UseNpgsql(builder.Configuration.GetConnectionString("authdb")));
builder.Services.AddHealthChecks().AddDbContextCheck<AuthDbContext>("authdb");

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
