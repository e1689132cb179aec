using Microsoft.AspNetCore.Identity;
using OAuthDemo.AuthServer.Authorization;
using OAuthDemo.AuthServer.Data;

namespace OAuthDemo.UnitTests;

/// <summary>An unknown user name costs the same password-hash check as a known one, and never succeeds.</summary>
public class UnknownUserPasswordCheckTests
{
    private sealed class CountingHasher : IPasswordHasher<ApplicationUser>
    {
        private readonly PasswordHasher<ApplicationUser> _real = new();

        public int Verifications { get; private set; }

        public string HashPassword(ApplicationUser user, string password) => _real.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(ApplicationUser user, string hashedPassword, string providedPassword)
        {
            Verifications++;
            return _real.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }

    [Fact]
    public void Each_check_runs_one_real_hash_verification_and_fails()
    {
        var hasher = new CountingHasher();
        var check = new UnknownUserPasswordCheck(hasher);

        var first = check.Check("correct horse battery staple");
        var second = check.Check("");

        Assert.Equal(2, hasher.Verifications);
        Assert.False(first.Succeeded);
        Assert.False(second.Succeeded);
        Assert.False(first.IsLockedOut);
    }
}
