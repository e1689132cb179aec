using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OAuthDemo.AuthServer.Configuration;
using OAuthDemo.AuthServer.Data;

namespace OAuthDemo.AuthServer.Seeding;

/// <summary>Creates or updates the configured users; passwords are stored hashed by Identity.</summary>
internal sealed class UserSeeder(UserManager<ApplicationUser> users, IOptions<AuthServerSettings> settings, ILogger<UserSeeder> logger)
{
    public async Task SeedAsync(CancellationToken ct)
    {
        foreach (var (userName, configured) in settings.Value.Users)
        {
            ct.ThrowIfCancellationRequested();
            var user = await users.FindByNameAsync(userName);
            var created = user is null;
            user ??= new ApplicationUser { UserName = userName };

            // The operator chose these passwords in configuration, so the self-service password
            // policy is not applied; the hash is Identity's own (PBKDF2).
            var passwordChanged = created || users.PasswordHasher.VerifyHashedPassword(user, user.PasswordHash ?? "", configured.Password!) == PasswordVerificationResult.Failed;
            var displayName = configured.DisplayName ?? userName;
            // An unchanged user is not written: another replica may be signing them in right now,
            // and a write would change the concurrency stamp under it.
            if (!passwordChanged && user.Email == configured.Email && user.DisplayName == displayName)
                continue;

            user.Email = configured.Email;
            user.EmailConfirmed = configured.Email is not null;
            user.DisplayName = displayName;
            if (passwordChanged)
                user.PasswordHash = users.PasswordHasher.HashPassword(user, configured.Password!);

            var result = created ? await users.CreateAsync(user) : await users.UpdateAsync(user);
            if (!result.Succeeded)
                throw new InvalidOperationException(
                    $"{AuthServerSettings.SectionName}:Users:{userName} could not be saved: {string.Join("; ", result.Errors.Select(e => e.Description))}");
            if (passwordChanged && !created)
                await users.UpdateSecurityStampAsync(user); // signs out sessions made with the old password

            logger.LogInformation(created ? "Created user {UserName} ({UserId})" : "Updated user {UserName} ({UserId})", userName, user.Id);
        }
    }
}
