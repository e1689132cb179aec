using OAuthDemo.ResourceApi.Api;
using OAuthDemo.ResourceApi.Authentication;
using OAuthDemo.ResourceApi.Data;
using OAuthDemo.ResourceApi.Hosting;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiData();                            // apidb (the notes), through Aspire's EF Core integration
// Access tokens are validated here alone, against the auth server's JWKS: issuer, audience
// resource-api, lifetime, RS256/ES256 only, typ at+jwt (Authentication/BearerAuthenticationExtensions).
builder.AddBearerAuthentication();
builder.Services.AddApiAccessPolicies();         // each route's scope, for users or clients; RFC 6750 errors
builder.Services.AddOutageProblemDetails();      // bad input is a 400 problem document; no database, 503
builder.Services.AddApiDocument();               // OpenAPI, with the bearer scheme
builder.Services.AddBrowserClientCors(builder.Configuration);   // the /spa page calls from the browser
builder.Services.AddSingleton(TimeProvider.System);
// Answers echo what callers stored (a note's text): <, > and & are written as \u003C … so no
// answer can pass for HTML, whatever reads it.
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Default);

var app = builder.Build();

// The schema is migrated before the API listens.
await app.MigrateApiDatabaseAsync();

// Malformed JSON is the caller's fault: 400; a database outage is 503 with Retry-After; never internals.
app.UseProblemDetailsForExceptions();
app.UseStatusCodePages();
app.UseBrowserDefences(ContentSecurityPolicy.ForApi); // a JSON answer is never run, sniffed or framed
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();   // /health, /alive
app.MapOpenApi();            // /openapi/v1.json
app.MapApiEndpoints();       // /api/me, /api/notes, /api/stats

app.Run();
