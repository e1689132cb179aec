using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using OAuthDemo.AuthServer.Data;

namespace OAuthDemo.AuthServer.Authorization;

/// <summary>
/// Spends on an unknown user name (or a locked account, which Identity refuses without a check) the
/// same password-hash check a known one costs, so the time an answer takes does not tell which user
/// names exist. Always fails.
/// </summary>
public sealed class UnknownUserPasswordCheck(IPasswordHasher<ApplicationUser> hasher)
{
    private static readonly ApplicationUser Nobody = new();

    // A hash of a random password, made once per process with the same hasher (and so the same
    // cost) as real ones.
    private static string? s_hash;

    public SignInResult Check(string password)
    {
        hasher.VerifyHashedPassword(Nobody, s_hash ??= hasher.HashPassword(Nobody, RandomNumberGenerator.GetHexString(32)), password);
        return SignInResult.Failed;
    }
}
