using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;

namespace OAuthDemo.WebClient.Flow;

/// <summary>
/// Writes each step of the authorization code + PKCE flow into the <see cref="FlowJournal"/> as
/// the OIDC handler performs it. The client secret is never recorded; opaque tokens only as
/// fingerprints.
/// </summary>
public sealed class FlowRecordingEvents(FlowJournal journal, TokenInspector inspector, IOptions<WebClientSettings> settings) : OpenIdConnectEvents
{
    private static string? FlowId(AuthenticationProperties? properties) =>
        properties?.Items.TryGetValue(FlowJournal.PropertyKey, out var id) == true ? id : null;

    public override Task AuthorizationCodeReceived(AuthorizationCodeReceivedContext context)
    {
        var id = FlowId(context.Properties);
        var response = context.ProtocolMessage;
        journal.Record(id, "Authorization response",
            "The auth server sent the browser back to the redirect URI with a one-time code. The client checks that state is the value it sent (CSRF) and iss is the server it expects (RFC 9207).",
            Present(("code", response.Code), ("state", context.Request.Query["state"].ToString()), ("iss", response.Iss)));

        var request = context.TokenEndpointRequest!;
        journal.Record(id, "Token request",
            "Back channel: the server-side client posts the code and the PKCE code_verifier to the token endpoint. Only the party that made the code_challenge knows the verifier, so a stolen code is useless.",
            Present(
                ("grant_type", request.GrantType),
                ("code", request.Code),
                ("redirect_uri", request.RedirectUri),
                ("code_verifier", request.Parameters.TryGetValue("code_verifier", out var verifier) ? verifier : null),
                ("client_id", request.ClientId),
                ("client_secret", request.ClientSecret is null ? null : "(sent; never shown or logged)")));
        return Task.CompletedTask;
    }

    public override async Task TokenResponseReceived(TokenResponseReceivedContext context)
    {
        var response = context.TokenEndpointResponse;
        var ct = context.HttpContext.RequestAborted;
        var tokens = new List<DecodedToken>();
        if (response.IdToken is { } idToken)
            tokens.Add(await inspector.DecodeAsync("ID token", idToken, settings.Value.ClientId, ct));
        if (response.AccessToken is { } accessToken)
            tokens.Add(await inspector.DecodeAsync("Access token", accessToken, "resource-api", ct));

        journal.Record(FlowId(context.Properties), "Token response",
            "The token endpoint answered with an ID token (who signed in), an access token for the API, and a refresh token. They stay on this server; the browser only gets a session cookie.",
            Present(
                ("token_type", response.TokenType),
                ("expires_in", response.ExpiresIn),
                ("scope", response.Scope),
                ("refresh_token", response.RefreshToken is null ? null : TokenInspector.Fingerprint(response.RefreshToken))),
            tokens: tokens);
    }

    public override Task TokenValidated(TokenValidatedContext context)
    {
        journal.Record(FlowId(context.Properties), "ID token validated",
            "The OIDC handler validated the ID token: signature against the JWKS, issuer, audience, expiry, and the nonce it put in the authorization request.",
            Present(("sub", context.Principal?.FindFirst("sub")?.Value), ("nonce", context.SecurityToken.Payload.Nonce)));
        return Task.CompletedTask;
    }

    private static IEnumerable<KeyValuePair<string, string>> Present(params (string Key, string? Value)[] parameters) =>
        parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => KeyValuePair.Create(p.Key, p.Value!));
}
