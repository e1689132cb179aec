using OAuthDemo.AppHost;
using OAuthDemo.AppHost.Postgres;

var builder = DistributedApplication.CreateBuilder(args);

// PostgreSQL: container, local binaries or an external server (Postgres:Mode); fails fast if none can serve.
var db = builder.AddDemoPostgres();

// Secrets and passwords are generated parameters: never committed, visible in the dashboard.
var secrets = builder.AddDemoSecrets();

var webClient = builder.AddServiceProject<Projects.WebClient>("webclient");

var authServer = builder.AddServiceProject<Projects.AuthServer>("authserver")
    .WithReference(db.AuthDb).WaitFor(db.AuthDb)
    .WithIssuerFromOwnEndpoint()
    .WithDemoClientsAndUsers(webClient, secrets)
    .WithHttpHealthCheck("/health");

var resourceApi = builder.AddServiceProject<Projects.ResourceApi>("resourceapi")
    .WithReference(db.ApiDb).WaitFor(db.ApiDb)
    .WithReference(authServer).WaitFor(authServer)
    // The /spa page calls the API from the browser.
    .WithEnvironment("Cors__AllowedOrigins__0", webClient.PublicEndpoint())
    .WithHttpHealthCheck("/health");

builder.AddServiceProject<Projects.Worker>("worker")
    .WithReference(authServer).WaitFor(authServer)
    .WithReference(resourceApi).WaitFor(resourceApi)
    .WithEnvironment("Worker__ClientSecret", secrets.WorkerSecret)
    .WithHttpHealthCheck("/health");

webClient
    .WithReference(authServer).WaitFor(authServer)
    .WithReference(resourceApi).WaitFor(resourceApi)
    .WithEnvironment("WebClient__ClientSecret", secrets.WebClientSecret)
    .WithDashboardLinks(builder)
    .WithHttpHealthCheck("/health");

builder.Build().Run();
