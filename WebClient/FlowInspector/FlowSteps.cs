namespace OAuthDemo.WebClient.FlowInspector;

/// <summary>The steps the inspector records, by key, with what the page says about each.</summary>
public static class FlowSteps
{
    public const string AuthorizationRequest = "authorization-request";
    public const string AuthorizationResponse = "authorization-response";
    public const string TokenRequest = "token-request";
    public const string TokenResponse = "token-response";
    public const string IdTokenValidated = "id-token-validated";
    public const string Refresh = "refresh";
    public const string RefreshRefused = "refresh-refused";

    public static (string Title, string Explanation) Describe(string key) => key switch
    {
        AuthorizationRequest => ("Authorization request",
            "The browser is redirected to the auth server's authorization endpoint. code_challenge is the SHA-256 (S256) of a random code_verifier that stays on this server; state protects against CSRF and nonce binds the ID token to this request."),
        AuthorizationResponse => ("Authorization response",
            "The auth server sent the browser back to the redirect URI with a one-time code. The client checks that state is the value it sent (CSRF) and iss is the server it expects (RFC 9207)."),
        TokenRequest => ("Token request",
            "Back channel: the server-side client posts the code and the PKCE code_verifier to the token endpoint. Only the party that made the code_challenge knows the verifier, so a stolen code is useless."),
        TokenResponse => ("Token response",
            "The token endpoint answered with an ID token (who signed in), an access token for the API, and a refresh token. They stay on this server; the browser only gets a session cookie."),
        IdTokenValidated => ("ID token validated",
            "The OIDC handler validated the ID token: signature against the JWKS, issuer, audience, expiry, and the nonce it put in the authorization request."),
        Refresh => ("Refresh",
            "The access token was about to expire, so the server-side client spent its refresh token for a new one. Refresh tokens rotate: the old one is now dead, and presenting it again would revoke the whole family."),
        RefreshRefused => ("Refresh refused",
            "The auth server refused the refresh token (revoked, expired, or replayed), so this session ends and the user signs in again."),
        _ => (key, ""),
    };
}
