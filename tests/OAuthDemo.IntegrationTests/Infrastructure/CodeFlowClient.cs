using Microsoft.AspNetCore.WebUtilities;

namespace OAuthDemo.IntegrationTests.Infrastructure;

/// <summary>An authorization code + PKCE client, as its requests look on the wire.</summary>
public sealed class CodeFlowClient(AuthServerClient server, string clientId, string redirectUri, string? clientSecret)
{
    public string ClientId { get; } = clientId;
    public string RedirectUri { get; } = redirectUri;

    public Pkce Pkce { get; } = Pkce.Create();
    public string State { get; } = Pkce.NewState();
    public string Nonce { get; } = Pkce.NewState();

    public string AuthorizeUrl(string scope, IDictionary<string, string?>? overrides = null) =>
        QueryHelpers.AddQueryString("/connect/authorize", AuthorizationParameters(scope, overrides).Select(p => KeyValuePair.Create(p.Key, (string?)p.Value)));

    /// <summary>Pushes the authorization request (RFC 9126), authenticated like a token request.</summary>
    public Task<TokenResponse> PushAsync(string scope, CancellationToken ct, IDictionary<string, string?>? overrides = null) =>
        server.PostFormAsync("/connect/par", WithClient(AuthorizationParameters(scope, overrides).Where(p => p.Key != "client_id").ToList()), Basic, ct);

    /// <summary>The browser's side of a pushed request: client_id and request_uri only.</summary>
    public string AuthorizeUrlFor(string requestUri) =>
        QueryHelpers.AddQueryString("/connect/authorize", new Dictionary<string, string?> { ["client_id"] = ClientId, ["request_uri"] = requestUri });

    private IEnumerable<KeyValuePair<string, string>> AuthorizationParameters(string scope, IDictionary<string, string?>? overrides)
    {
        var parameters = new Dictionary<string, string?>
        {
            ["client_id"] = ClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = RedirectUri,
            ["scope"] = scope,
            ["state"] = State,
            ["nonce"] = Nonce,
            ["code_challenge"] = Pkce.Challenge,
            ["code_challenge_method"] = "S256",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            parameters[key] = value;
        return parameters.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, p.Value!));
    }

    public Task<TokenResponse> ExchangeAsync(string code, CancellationToken ct, string? verifier = null, string? redirectUri = null) =>
        server.TokenAsync(WithClient(
        [
            new("grant_type", "authorization_code"),
            new("code", code),
            new("redirect_uri", redirectUri ?? RedirectUri),
            new("code_verifier", verifier ?? Pkce.Verifier),
        ]), Basic, ct);

    /// <summary>The code redeemed as someone who stole it would: without the code_verifier.</summary>
    public Task<TokenResponse> ExchangeWithoutVerifierAsync(string code, CancellationToken ct) =>
        server.TokenAsync(WithClient([new("grant_type", "authorization_code"), new("code", code), new("redirect_uri", RedirectUri)]), Basic, ct);

    public Task<TokenResponse> RefreshAsync(string refreshToken, CancellationToken ct) =>
        server.TokenAsync(WithClient([new("grant_type", "refresh_token"), new("refresh_token", refreshToken)]), Basic, ct);

    public Task<TokenResponse> RevokeAsync(string token, string? hint, CancellationToken ct) =>
        server.PostFormAsync("/connect/revoke", WithClient(hint is null ? [new("token", token)] : [new("token", token), new("token_type_hint", hint)]), Basic, ct);

    private (string, string)? Basic => clientSecret is null ? null : (ClientId, clientSecret);

    // Public clients identify themselves with client_id in the body; confidential ones use Basic.
    private List<KeyValuePair<string, string>> WithClient(List<KeyValuePair<string, string>> form)
    {
        if (clientSecret is null)
            form.Add(new("client_id", ClientId));
        return form;
    }
}
