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

    public async Task<IActionResult> OnGetAsync()
    {
        var request = HttpContext.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        if (request.ClientId is { Length: > 0 } clientId && await applications.FindByClientIdAsync(clientId, HttpContext.RequestAborted) is { } application)
            ApplicationName = await applications.GetLocalizedDisplayNameAsync(application, HttpContext.RequestAborted);

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
