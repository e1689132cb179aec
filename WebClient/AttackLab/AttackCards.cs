namespace OAuthDemo.WebClient.AttackLab;

/// <summary>One attack as its card explains it: what it is, what should stop it, and where that defence lives.</summary>
public sealed record AttackCard(string Id, string Title, string Story, string Defence, string Where, string? Warning = null);

/// <summary>The lab's attacks, in the order the page shows them.</summary>
public static class AttackCards
{
    public const string StolenCode = "stolen-code";
    public const string TamperedToken = "tampered-token";
    public const string WrongTokenType = "wrong-token-type";
    public const string MissingScope = "missing-scope";
    public const string RedirectUriSwap = "redirect-uri-swap";
    public const string ForgedCallback = "forged-callback";
    public const string RevokedToken = "revoked-token";
    public const string ReplayedRefreshToken = "replayed-refresh-token";

    public static readonly IReadOnlyList<AttackCard> All =
    [
        new(StolenCode, "Stolen authorization code",
            "An authorization code travels through the browser: its history, a log, a malicious extension or app can see it. "
            + "Here the lab starts a fresh authorization for you (prompt=none, through your browser and your session at the auth server), "
            + "takes the code that comes back, and redeems it as an attacker would: without the code_verifier, then with a wrong one, then with the right one.",
            "PKCE (RFC 7636): the token endpoint hashes the code_verifier and compares it with the code_challenge pushed with the request; "
            + "only whoever started the flow knows the verifier. The lab even sends this app's client secret, as an attacker who also stole it would.",
            "RequireProofKeyForCodeExchange() in AuthServer/Program.cs"),
        new(TamperedToken, "Tampered access token",
            "Your access token is a signed JWT anyone can read. The lab edits its claims to add stats.read and calls GET /api/stats three ways: "
            + "with the original signature, with alg set to none and no signature, and re-signed with an RSA key the auth server never published.",
            "The API checks every token's signature against the keys in the auth server's JWKS, with an algorithm allow-list (RS256, ES256), "
            + "so an edited, unsigned or self-signed token is refused before any claim is read (RFC 8725 §3.1).",
            "ValidAlgorithms and the JWKS (options.Authority) in ResourceApi/Authentication/BearerAuthenticationExtensions.cs"),
        new(WrongTokenType, "ID token sent as an access token",
            "The ID token says who signed in to this web client; it is signed by the same auth server, with the same keys. "
            + "The lab sends it to the API as a bearer token, as a client that mixed them up (or an attacker who got one) would.",
            "The API requires the access-token type (typ at+jwt, RFC 9068) and its own audience (resource-api); an ID token has typ JWT and this web client as its audience.",
            "ValidTypes and ValidAudience in ResourceApi/Authentication/BearerAuthenticationExtensions.cs"),
        new(MissingScope, "A scope you were never given",
            "Your access token allows notes.read and notes.write. The lab calls GET /api/stats with it, a route for machines with stats.read.",
            "The API authorizes each route by scope and caller kind, and says which scope was missing (RFC 6750 §3.1: 403 insufficient_scope).",
            "ResourceApi/Authentication/ApiAccessPolicies.cs and InsufficientScopeResultHandler.cs"),
        new(RedirectUriSwap, "Redirect URI swapped for the attacker's",
            "If an authorization server sent codes wherever a request asked, an attacker would only need a link with their own redirect_uri. "
            + "The lab pushes such a request as this web client, then sends one straight to the authorization endpoint as the SPA client.",
            "Redirect URIs are registered and compared exactly (RFC 9700 §2.1); an unknown one gets an error page, never a redirect, so the code goes nowhere.",
            "ClientSeeder.ToDescriptor in AuthServer/Seeding/ClientSeeder.cs; the error page in AuthServer/Hosting/ErrorPagesExtensions.cs"),
        new(ForgedCallback, "Forged callback (CSRF)",
            "An attacker who makes your browser open this web client's callback with a code of theirs could sign you in as them (login CSRF). "
            + "The lab sends such a callback, with your browser's cookies and a code and state this browser never asked for.",
            "The state must be one this web client made for this browser's own sign-in: it is protected by the web client and tied to a correlation cookie only that browser holds. "
            + "The callback also needs the auth server's iss (RFC 9207). Anything else sends the browser home, signed in as before.",
            "The OIDC handler's state and correlation checks, set up in WebClient/Authentication/WebClientAuthenticationExtensions.cs; the failure in SignInEvents.RemoteFailure"),
        new(RevokedToken, "Revoked access token",
            "You can revoke a token at the auth server (RFC 7009), as sign-out does. The lab introspects your access token, revokes it, introspects it again, and then calls the API with it.",
            "Revocation is immediate at the auth server (introspection, RFC 7662, says active: false). The API validates JWTs alone, without asking the auth server, "
            + "so it accepts the revoked token until it expires: that is why access tokens live only 15 minutes.",
            "SetAccessTokenLifetime in AuthServer/Program.cs; introspection answers in AuthServer/Authorization/IntrospectionResponseHandler.cs"),
        new(ReplayedRefreshToken, "Replayed refresh token",
            "Refresh tokens rotate: each is spent once. The lab refreshes your session, which spends your refresh token for a new one, then presents the spent one again, "
            + "as a thief who copied it earlier would, and finally tries the new one.",
            "Reuse detection (RFC 9700 §4.14.2): a spent refresh token presented again means one of two parties is a thief, so the auth server refuses it and revokes the whole sign-in, "
            + "the new refresh token included.",
            "AuthServer/Authorization/RevokeSignInOnReuseHandler.cs; SetRefreshTokenReuseLeeway in AuthServer/Program.cs",
            Warning: "This ends your session here: its refresh token is revoked with the rest. The lab signs you in again straight away (your session at the auth server is still open)."),
    ];

    public static AttackCard? Find(string? id) => All.FirstOrDefault(card => card.Id == id);
}
