using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OAuthDemo.AuthServer.Data;

namespace OAuthDemo.AuthServer.Pages.Account;

public sealed partial class LoginModel(SignInManager<ApplicationUser> signInManager, ILogger<LoginModel> logger) : PageModel
{
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

        // Failed attempts count towards lockout, so guessing passwords is slow.
        var result = await signInManager.PasswordSignInAsync(Username, Password, isPersistent: false, lockoutOnFailure: true);
        Password = null;

        if (result.Succeeded)
        {
            LogSignedIn(logger, Username);
            // Only local return URLs: the login page must not become an open redirector.
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
        }

        // Logged by user id, never by what was typed: people type passwords into the user name field.
        var userId = (await signInManager.UserManager.FindByNameAsync(Username))?.Id;
        if (result.IsLockedOut)
        {
            LogLockedOut(logger, userId);
            ErrorMessage = "Too many failed attempts: this account is locked for a few minutes.";
            return Page();
        }

        // The same message whether the user exists or not.
        LogFailed(logger, userId ?? "(unknown user name)");
        ErrorMessage = "The user name or password is incorrect.";
        return Page();
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "User {UserName} signed in")]
    private static partial void LogSignedIn(ILogger logger, string userName);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Sign-in failed for user {UserId}")]
    private static partial void LogFailed(ILogger logger, string userId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "User {UserId} is locked out")]
    private static partial void LogLockedOut(ILogger logger, string? userId);
}
