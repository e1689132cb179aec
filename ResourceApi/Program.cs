using OAuthDemo.ResourceApi.Authentication;
using OAuthDemo.ResourceApi.Data;
using OAuthDemo.ResourceApi.Hosting;
using OAuthDemo.ResourceApi.Notes;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApiData();
builder.AddBearerAuthentication();
builder.Services.AddApiAccessPolicies();
builder.Services.AddProblemDetails();
builder.Services.AddApiDocument();
builder.Services.AddBrowserClientCors(builder.Configuration);
builder.Services.AddSingleton(TimeProvider.System);

var app = builder.Build();

// The schema is migrated before the API listens.
await app.MigrateApiDatabaseAsync();

// Malformed JSON is the caller's fault: 400, not 500.
app.UseExceptionHandler(new ExceptionHandlerOptions { StatusCodeSelector = ex => ex is BadHttpRequestException bad ? bad.StatusCode : 500 });
app.UseStatusCodePages();
app.UseCors();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapOpenApi();
app.MapNotesEndpoints();

app.Run();
