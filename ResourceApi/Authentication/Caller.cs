using System.Security.Claims;

namespace OAuthDemo.ResourceApi.Authentication;

/// <summary>Who is calling, read from a validated access token.</summary>
public sealed record Caller(string Subject, string? ClientId, IReadOnlySet<string> Scopes, string? TokenId)
{
    /// <summary>
    /// A client-credentials token has the client as its own subject (see the README); any other token
    /// acts for a user.
    /// </summary>
    public bool IsClient => ClientId is not null && Subject == ClientId;

    public string Kind => IsClient ? "client" : "user";

    public static Caller From(ClaimsPrincipal principal) => new(
        principal.FindFirstValue("sub") ?? throw new InvalidOperationException("A validated access token has no sub claim."),
        principal.FindFirstValue("client_id"),
        (principal.FindFirstValue("scope") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal),
        principal.FindFirstValue("jti"));
}
