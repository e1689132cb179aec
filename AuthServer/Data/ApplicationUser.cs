using Microsoft.AspNetCore.Identity;

namespace OAuthDemo.AuthServer.Data;

public sealed class ApplicationUser : IdentityUser
{
    /// <summary>Shown on pages and released as the <c>name</c> claim with the profile scope.</summary>
    public string? DisplayName { get; set; }
}
