using OAuthDemo.WebClient.Api;
using OAuthDemo.WebClient.Authentication;
using OAuthDemo.WebClient.Spa;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
// Cookie session (tokens in a server-side store) + OpenID Connect code flow with PKCE.
builder.AddWebClientAuthentication();
builder.Services.AddNotesApiClient(builder.Configuration);
builder.Services.AddRazorPages();

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
    app.UseHsts();
}

app.UseStaticFiles();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapDefaultEndpoints();
app.MapAccountEndpoints();
app.MapSpa();
app.MapRazorPages();

app.Run();
