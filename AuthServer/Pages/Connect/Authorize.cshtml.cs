using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Primitives;
using OAuthDemo.AuthServer.Authorization;
using OAuthDemo.AuthServer.Data;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OAuthDemo.AuthServer.Pages.Connect;

/// <summary>
/// The authorization endpoint, after OpenIddict has validated the request (client, exact
/// redirect URI, response type, PKCE S256 challenge). Decides between login, consent and a
/// code, honouring prompt=login|consent|none and max_age.
/// </summary>
internal sealed class AuthorizeModel(
    IOpenIddictApplicationManager applications,
    IOpenIddictAuthorizationManager authorizations,
    IOpenIddictScopeManager scopes,
    UserManager<ApplicationUser> users,
    SignInManager<ApplicationUser> signInManager,
    TokenPrincipalFactory principals) : PageModel
{
    private static readonly Dictionary<string, string> StandardScopeDescriptions = new(StringComparer.Ordinal)
    {
        [Scopes.OpenId] = "Sign you in with your OAuthDemo account",
        [Scopes.Profile] = "See your name and user name",
        [Scopes.Email] = "See your email address",
        [Scopes.OfflineAccess] = "Keep access while you are away (refresh tokens)",
    };

    public string ApplicationName { get; private set; } = "";

    public string UserName { get; private set; } = "";

    public IReadOnlyList<(string Name, string Description)> RequestedScopes { get; private set; } = [];

    /// <summary>The original request, posted back with the decision so OpenIddict validates it again.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> RequestParameters { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        var request = HttpContext.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        var login = await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        // max_age counts from the password sign-in (auth_time), not from the cookie's issue time,
        // which sliding renewal moves; a session without auth_time is too old for any max_age.
        var tooOld = request.MaxAge is { } maxAge
                     && (AuthenticatedAt(login) is not { } signedInAt || DateTimeOffset.UtcNow - signedInAt > TimeSpan.FromSeconds(maxAge));
        if (!login.Succeeded || request.HasPromptValue(PromptValues.Login) || tooOld)
        {
            if (request.HasPromptValue(PromptValues.None))
                return Forbid(Errors.LoginRequired, "The user is not signed in.");

            // Back here after the login page, without prompt=login so it does not loop.
            return Challenge(new AuthenticationProperties { RedirectUri = UrlWithoutLoginPrompt(request) }, IdentityConstants.ApplicationScheme);
        }

        var user = await CurrentUserAsync(login);
        if (user is null)
            return Challenge(new AuthenticationProperties { RedirectUri = UrlWithoutLoginPrompt(request) }, IdentityConstants.ApplicationScheme);

        var application = await applications.FindByClientIdAsync(request.ClientId!, HttpContext.RequestAborted)
            ?? throw new InvalidOperationException("The client was validated by OpenIddict but cannot be found.");

        var consented = await HasConsentedAsync(user, application, request);
        var consentType = await applications.GetConsentTypeAsync(application, HttpContext.RequestAborted);

        // Implicit consent (first-party clients), or consent already given: issue the code.
        if (consentType == ConsentTypes.Implicit || (consented && !request.HasPromptValue(PromptValues.Consent)))
            return Issue(user, request, AuthenticatedAt(login));

        if (request.HasPromptValue(PromptValues.None))
            return Forbid(Errors.ConsentRequired, "The user has not allowed this client yet.");

        await DescribeAsync(application, user, request);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromForm] string? decision)
    {
        var request = HttpContext.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        var login = await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var user = await CurrentUserAsync(login);
        if (user is null)
            return Challenge(new AuthenticationProperties { RedirectUri = UrlWithoutLoginPrompt(request) }, IdentityConstants.ApplicationScheme);

        if (decision != "allow")
            // The client gets error=access_denied on its redirect URI (RFC 6749 §4.1.2.1).
            return Forbid(Errors.AccessDenied, "The user denied the request.");

        var application = await applications.FindByClientIdAsync(request.ClientId!, HttpContext.RequestAborted)
            ?? throw new InvalidOperationException("The client was validated by OpenIddict but cannot be found.");

        // Remember the consent, so the user is asked again only with prompt=consent or new scopes.
        if (!await HasConsentedAsync(user, application, request))
        {
            var principal = principals.CreateForUser(user, request.GetScopes(), null);
            await authorizations.CreateAsync(principal, user.Id, (await applications.GetIdAsync(application, HttpContext.RequestAborted))!,
                AuthorizationTypes.Permanent, principal.GetScopes(), HttpContext.RequestAborted);
        }

        return Issue(user, request, AuthenticatedAt(login));
    }

    /// <summary>
    /// The signed-in user, if the account still exists and may sign in (not locked out): a session
    /// cookie alone must not keep issuing codes for an account that has been locked.
    /// </summary>
    private async Task<ApplicationUser?> CurrentUserAsync(AuthenticateResult login)
    {
        var user = login.Succeeded ? await users.GetUserAsync(login.Principal!) : null;
        if (user is not null && !await signInManager.MayStillSignInAsync(user))
        {
            await signInManager.SignOutAsync();
            return null;
        }
        return user;
    }

    private static DateTimeOffset? AuthenticatedAt(AuthenticateResult login) =>
        login.Principal is { } principal ? TokenPrincipalFactory.AuthenticatedAt(principal) : null;

    private async Task<bool> HasConsentedAsync(ApplicationUser user, object application, OpenIddictRequest request)
    {
        var applicationId = await applications.GetIdAsync(application, HttpContext.RequestAborted);
        await foreach (var _ in authorizations.FindAsync(user.Id, applicationId, Statuses.Valid, AuthorizationTypes.Permanent, request.GetScopes(), HttpContext.RequestAborted))
            return true;
        return false;
    }

    // The code gets its own ad-hoc authorization (no authorization id is attached here): that
    // authorization is the token family that a refresh token replay revokes, one per sign-in.
    private Microsoft.AspNetCore.Mvc.SignInResult Issue(ApplicationUser user, OpenIddictRequest request, DateTimeOffset? authenticatedAt) =>
        SignIn(principals.CreateForUser(user, request.GetScopes(), authenticatedAt), OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

    private ForbidResult Forbid(string error, string description) =>
        Forbid(OpenIddictErrors.Properties(error, description), OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

    private string UrlWithoutLoginPrompt(OpenIddictRequest request)
    {
        var prompt = string.Join(' ', request.GetPromptValues().Remove(PromptValues.Login));
        var parameters = OriginalParameters()
            .Where(p => p.Key != Parameters.Prompt)
            .Select(p => KeyValuePair.Create(p.Key, new StringValues(p.Value)))
            .ToList();
        if (prompt.Length > 0)
            parameters.Add(KeyValuePair.Create(Parameters.Prompt, new StringValues(prompt)));
        return Request.PathBase + Request.Path + QueryString.Create(parameters);
    }

    private IEnumerable<KeyValuePair<string, string?>> OriginalParameters() =>
        (Request.HasFormContentType ? Request.Form.AsEnumerable() : Request.Query.AsEnumerable())
            .Where(p => p.Key is not ("__RequestVerificationToken" or "decision"))
            .SelectMany(p => p.Value.Select(v => KeyValuePair.Create(p.Key, v)));

    private async Task DescribeAsync(object application, ApplicationUser user, OpenIddictRequest request)
    {
        ApplicationName = await applications.GetLocalizedDisplayNameAsync(application, HttpContext.RequestAborted) ?? request.ClientId!;
        UserName = user.DisplayName ?? user.UserName ?? user.Id;
        RequestParameters = OriginalParameters().ToList();

        var described = new List<(string, string)>();
        foreach (var name in request.GetScopes())
        {
            if (StandardScopeDescriptions.TryGetValue(name, out var text))
                described.Add((name, text));
            else if (await scopes.FindByNameAsync(name, HttpContext.RequestAborted) is { } scope)
                described.Add((name, await scopes.GetLocalizedDisplayNameAsync(scope, HttpContext.RequestAborted) ?? name));
        }
        RequestedScopes = described;
    }
}
