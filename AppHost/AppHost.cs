using OAuthDemo.AppHost;
using OAuthDemo.AppHost.Postgres;

// A start-up problem a newcomer can fix (no PostgreSQL, a port in use) ends the AppHost with one
// line saying what to do, not a stack trace.
StartupProblems.ReportPlainly();

var builder = DistributedApplication.CreateBuilder(args);

// PostgreSQL from a container, the machine's binaries or an existing server (Postgres:Mode);
// the AppHost stops at once, saying what to install, if none can serve.
var postgres = builder.AddPostgresServer("postgres");
var authDb = postgres.AddDatabase("authdb");
var apiDb = postgres.AddDatabase("apidb");
var webDb = postgres.AddDatabase("webdb");

// Generated on first run, kept in the AppHost's user secrets, shown in the dashboard's Parameters tab.
var alicePassword = builder.AddGeneratedSecret("alice-password");
var bobPassword = builder.AddGeneratedSecret("bob-password");
var webClientSecret = builder.AddGeneratedSecret("webclient-secret");
// The worker has no secret: it signs its client assertions with this key (private_key_jwt).
var workerClientKey = builder.AddClientKey("worker-client-key");
var resourceApiSecret = builder.AddGeneratedSecret("resource-api-secret");
var keyAdminSecret = builder.AddGeneratedSecret("key-admin-secret");
// Encrypts the Data Protection key rings (cookies, sessions, the token keys) stored in PostgreSQL.
var keyRingCertificate = builder.AddKeyRingCertificate("keyring-certificate");

// Declared first because the auth server registers redirect URIs on the web client's endpoint;
// the web client's own references follow at the end.
var webClient = builder.AddServiceProject<Projects.WebClient>("webclient")
    // Two replicas behind Aspire's proxy: sessions and flow records live in webdb, not in a process.
    .WithReplicas(2)
    .WithLinks(("Sign in", "/account/login"), ("Flow inspector", "/flow"), ("SPA", "/spa"));

// The OAuth 2.0 / OpenID Connect provider, the issuer of every token in the system.
var authServer = builder.AddServiceProject<Projects.AuthServer>("authserver")
    // Two replicas: keys, codes, tokens, sign-in cookies' keys all live in authdb.
    .WithReplicas(2)
    .WithReference(authDb).WaitFor(authDb)
    .WithKeyRingCertificate(keyRingCertificate)
    // Tokens name the issuer browsers and services use; clients compare it exactly.
    .WithOwnEndpointAs("AuthServer__Issuer")
    .WithClient(DemoClients.WebClient(webClient, webClientSecret))
    .WithClient(DemoClients.Spa(webClient))
    .WithClient(DemoClients.Worker(workerClientKey))
    .WithClient(DemoClients.ResourceApi(resourceApiSecret))
    .WithUser(new DemoUser("alice", alicePassword) { Email = "alice@example.com", DisplayName = "Alice Liddell" })
    .WithUser(new DemoUser("bob", bobPassword) { Email = "bob@example.com", DisplayName = "Bob Builder" })
    // Signing keys rotate on a schedule (AuthServer:Keys); this command rotates now, to watch the JWKS change.
    .WithKeyRotationCommand(keyAdminSecret)
    .WithLinks(("Discovery document", "/.well-known/openid-configuration"), ("JWKS", "/.well-known/jwks"))
    .WithHttpHealthCheck("/health");

// The protected API: validates access tokens alone, against the auth server's JWKS.
var resourceApi = builder.AddServiceProject<Projects.ResourceApi>("resourceapi")
    .WithReference(apiDb).WaitFor(apiDb)
    .WithReference(authServer).WaitFor(authServer)
    // The /spa page calls the API from the browser.
    .WithEnvironment("Cors__AllowedOrigins__0", webClient.PublicEndpoint())
    .WithLinks(("OpenAPI", "/openapi/v1.json"))
    .WithHttpHealthCheck("/health");

// Machine to machine: client credentials, a cached token, GET /api/stats on a timer.
builder.AddServiceProject<Projects.Worker>("worker")
    .WithReference(authServer).WaitFor(authServer)
    .WithReference(resourceApi).WaitFor(resourceApi)
    .WithEnvironment("Worker__ClientKey", workerClientKey)
    .WithEndpointLinkTo("/health", "Health") // it has no page: its health shows what it last did
    .WithHttpHealthCheck("/health");

// The user-facing app: authorization code + PKCE as a confidential client (BFF), and /spa.
webClient
    .WithReference(webDb).WaitFor(webDb)
    .WithReference(authServer).WaitFor(authServer)
    .WithReference(resourceApi).WaitFor(resourceApi)
    .WithEnvironment("WebClient__ClientSecret", webClientSecret)
    .WithKeyRingCertificate(keyRingCertificate)
    .WithDashboardLinks(builder)
    .WithHttpHealthCheck("/health")
    // Once it is ready, the console says where to sign in and where the passwords are.
    .WithNextStepsInTheConsole(authServer);

builder.RequireFreePorts();
builder.Build()
    .RequireTrustedCertificateForHttps() // the https profile: a trusted development certificate, or one line saying how
    .Run();
