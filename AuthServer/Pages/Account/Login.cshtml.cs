using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OAuthDemo.AuthServer.Authorization;
using OAuthDemo.AuthServer.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OAuthDemo.AuthServer.Pages.Account;

public sealed partial class LoginModel(
    SignInManager<ApplicationUser> signInManager, UnknownUserPasswordCheck unknownUser, FailedAttemptLimiter failures, ILogger<LoginModel> logger) : PageModel
{
    /// <summary>
    /// One answer for a wrong password, an unknown user name and a locked account, so the page tells
    /// nobody which accounts exist or are locked.
    /// </summary>
    public const string Refused = "The user name or password is incorrect.";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public string? ErrorMessage { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Username) || string.IsNullOrEmpty(Password))
        {
            ErrorMessage = "Enter your user name and password.";
            return Page();
        }

        // A source that has failed too often waits, right password or not: otherwise it could
        // go on guessing (AuthServer:FailedAttempts; only failures count, so sign-ins never wait).
        var sources = FailedAttemptLimiter.SignInSources(HttpContext.Connection.RemoteIpAddress, Username);
        if (failures.MustWait(sources, out var retryAfter))
        {
            LogThrottled(logger, HttpContext.Connection.RemoteIpAddress?.ToString());
            Password = null;
            FailedAttemptLimiter.AnswerTooManyRequests(Response, retryAfter);
            ErrorMessage = $"Too many failed sign-ins. Try again in {Math.Max(1, (int)Math.Ceiling(retryAfter.TotalMinutes))} minute(s).";
            return Page();
        }

        var user = await signInManager.UserManager.FindByNameAsync(Username);
        var result = user is null
            ? unknownUser.Check(Password) // as slow as a real check: the time tells nothing either
            : await signInManager.CheckPasswordSignInAsync(user, Password, lockoutOnFailure: true);
        // Identity refuses a locked account before it hashes anything: spend the same check, so a
        // quick answer does not tell that the account exists and is locked.
        if (result.IsLockedOut)
            unknownUser.Check(Password);
        Password = null;

        if (result.Succeeded)
        {
            // auth_time is when the password was entered, kept in the cookie as a claim: the
            // cookie's own issue time moves with every sliding renewal (OIDC Core §2, max_age).
            await signInManager.SignInWithClaimsAsync(user!, isPersistent: false,
                [new Claim("amr", "pwd"), new Claim(Claims.AuthenticationTime, DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))]);
            LogSignedIn(logger, user!.Id);
            // Only local return URLs: the login page must not become an open redirector.
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
        }

        await failures.RecordFailureAsync(sources, HttpContext.RequestAborted);
        // Logged by user id, never by what was typed: people type passwords into the user name field.
        if (result.IsLockedOut)
            LogLockedOut(logger, user?.Id);
        else
            LogFailed(logger, user?.Id ?? "(unknown user name)");
        ErrorMessage = Refused;
        return Page();
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "User {UserId} signed in")]
    private static partial void LogSignedIn(ILogger logger, string userId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Sign-in failed for user {UserId}")]
    private static partial void LogFailed(ILogger logger, string userId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "User {UserId} is locked out")]
    private static partial void LogLockedOut(ILogger logger, string? userId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Sign-in refused: too many failures from {Address}")]
    private static partial void LogThrottled(ILogger logger, string? address);
}
