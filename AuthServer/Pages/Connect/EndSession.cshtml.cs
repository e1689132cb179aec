using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OAuthDemo.AuthServer.Data;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;

namespace OAuthDemo.AuthServer.Pages.Connect;

/// <summary>
/// RP-initiated logout. OpenIddict has checked id_token_hint and that post_logout_redirect_uri is
/// registered for the client; signing out needs a confirmation POST (with antiforgery) so that a
/// link or image on another site cannot sign the user out.
/// </summary>
public sealed partial class EndSessionModel(SignInManager<ApplicationUser> signInManager, IOpenIddictApplicationManager applications, ILogger<EndSessionModel> logger) : PageModel
{
    public string? ApplicationName { get; private set; }

    public IReadOnlyList<KeyValuePair<string, string?>> RequestParameters { get; private set; } = [];

    /// <summary>
    /// Where "Stay signed in" goes: the application's own site (OpenIddict has already matched
    /// post_logout_redirect_uri against its registration), else this server's home page. Not the
    /// post-logout URI itself: that one tells the application the user signed out.
    /// </summary>
    public string CancelUrl { get; private set; } = "/";

    public async Task<IActionResult> OnGetAsync()
    {
        var request = HttpContext.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        // Clients often send only id_token_hint (ASP.NET Core's OIDC handler does): OpenIddict has
        // validated it, and its audience names the application.
        var hint = await HttpContext.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var clientId = request.ClientId is { Length: > 0 } sent ? sent : hint.Principal?.GetAudiences().FirstOrDefault();
        if (clientId is { Length: > 0 } && await applications.FindByClientIdAsync(clientId, HttpContext.RequestAborted) is { } application)
            ApplicationName = await applications.GetLocalizedDisplayNameAsync(application, HttpContext.RequestAborted);

        if (Uri.TryCreate(request.PostLogoutRedirectUri, UriKind.Absolute, out var returnTo))
            CancelUrl = returnTo.GetLeftPart(UriPartial.Authority) + "/";

        RequestParameters = Request.Query.SelectMany(p => p.Value.Select(v => KeyValuePair.Create(p.Key, v))).ToList();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var subject = User.Identity?.IsAuthenticated == true ? signInManager.UserManager.GetUserId(User) : null;
        await signInManager.SignOutAsync();
        LogSignedOut(logger, subject);

        // OpenIddict redirects to the validated post_logout_redirect_uri, with state, or to "/".
        return SignOut(new AuthenticationProperties { RedirectUri = "/" }, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information, Message = "User {Subject} signed out")]
    private static partial void LogSignedOut(ILogger logger, string? subject);
}
