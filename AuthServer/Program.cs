using OAuthDemo.AuthServer.Hosting;
using OAuthDemo.AuthServer.Seeding;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddAuthServer();

var app = builder.Build();

// Migrate, load the signing keys and seed clients, scopes and users before listening.
await app.InitializeAuthServerAsync();

app.UseAuthServer();
app.MapDefaultEndpoints();
app.MapAuthServerEndpoints();

app.Run();
