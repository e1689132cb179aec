using Microsoft.AspNetCore.Identity;
using OAuthDemo.AuthServer.Data;

namespace OAuthDemo.AuthServer.Authorization;

internal static class SignInPolicy
{
    /// <summary>
    /// Whether the account may still sign in (confirmed as Identity requires, not locked out).
    /// Checked again whenever an existing session or grant is used, not only at the password.
    /// </summary>
    public static async Task<bool> MayStillSignInAsync(this SignInManager<ApplicationUser> signIn, ApplicationUser user) =>
        await signIn.CanSignInAsync(user) && !await signIn.UserManager.IsLockedOutAsync(user);
}
