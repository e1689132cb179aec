namespace OAuthDemo.WebClient.FlowInspector;

/// <summary>The steps the inspector records, by key, with what the page says about each.</summary>
public static class FlowSteps
{
    public const string PushedAuthorizationRequest = "pushed-authorization-request";
    public const string PushedAuthorizationResponse = "pushed-authorization-response";
    public const string AuthorizationRequest = "authorization-request";
    public const string AuthServerSignIn = "auth-server-sign-in";
    public const string AuthorizationResponse = "authorization-response";
    public const string TokenRequest = "token-request";
    public const string TokenResponse = "token-response";
    public const string IdTokenValidated = "id-token-validated";
    public const string UserInfo = "userinfo";
    public const string FirstApiCall = "first-api-call";
    public const string Refresh = "refresh";
    public const string RefreshRefused = "refresh-refused";

    public static (string Title, string Explanation) Describe(string key) => key switch
    {
        PushedAuthorizationRequest => ("Pushed authorization request (PAR)",
            "Back channel, before the browser goes anywhere: this server posts the whole authorization request to the auth server, authenticated with its client secret (RFC 9126). code_challenge is the SHA-256 (S256) of a random code_verifier that stays on this server; state protects against CSRF and nonce binds the ID token to this request."),
        PushedAuthorizationResponse => ("Pushed authorization response",
            "The auth server checked the client and the request before any user sees a login page, stored it, and answered with a one-time request_uri that expires in expires_in seconds."),
        AuthorizationRequest => ("Authorization request",
            "The browser is redirected to the authorization endpoint with only client_id and request_uri: nothing in the URL can be read or changed on the way (scopes, redirect URI, PKCE challenge stay on the back channel)."),
        AuthServerSignIn => ("Sign-in and consent at the auth server",
            "Between the redirect and the answer the browser was at the auth server: the user typed the password there (never here), unless a session at the auth server was still open, and allowed the scopes on its consent page. This server only learns the outcome: who (sub), when the password was typed (auth_time), and which scopes were granted."),
        AuthorizationResponse => ("Authorization response",
            "The auth server sent the browser back to the redirect URI with a one-time code. The client checks that state is the value it sent (CSRF) and iss is the server it expects (RFC 9207)."),
        TokenRequest => ("Token request",
            "Back channel: the server-side client posts the code and the PKCE code_verifier to the token endpoint. Only the party that made the code_challenge knows the verifier, so a stolen code is useless."),
        TokenResponse => ("Token response",
            "The token endpoint answered with an ID token (who signed in), an access token for the API, and a refresh token. They stay on this server; the browser only gets a session cookie."),
        IdTokenValidated => ("ID token validated",
            "The OIDC handler validated the ID token: signature against the JWKS, issuer, audience, expiry, and the nonce it put in the authorization request."),
        UserInfo => ("Userinfo request",
            "Back channel: with the new access token, the handler asked the userinfo endpoint for the user's profile claims (OIDC Core §5.3), which keeps the ID token small. The answer must be about the same sub as the ID token."),
        FirstApiCall => ("First call to the API",
            "The access token goes to the notes API as a bearer token (RFC 6750) in the Authorization header; the API checks its signature against the JWKS, its issuer, audience, type and lifetime, then the scope for the route. Later calls work the same; only the first is recorded."),
        Refresh => ("Refresh",
            "The access token was about to expire, so the server-side client spent its refresh token for a new one. Refresh tokens rotate: the old one is now dead, and presenting it again would revoke the whole family."),
        RefreshRefused => ("Refresh refused",
            "The auth server refused the refresh token (revoked, expired, or replayed), so this session ends and the user signs in again."),
        _ => (key, ""),
    };
}
