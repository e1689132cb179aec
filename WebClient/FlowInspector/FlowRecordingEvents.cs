using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using OAuthDemo.WebClient.Authentication;

namespace OAuthDemo.WebClient.FlowInspector;

/// <summary>
/// Writes each step of the authorization code + PKCE flow into the <see cref="FlowJournal"/> as
/// the OIDC handler performs it. The client secret is never recorded; opaque tokens only as
/// fingerprints.
/// </summary>
public sealed class FlowRecordingEvents(
    FlowJournal journal, TokenInspector inspector, IOptions<WebClientSettings> settings, TimeProvider clock, SessionFixationDefence fixation, ILogger<SignInEvents> logger)
    : SignInEvents(fixation, logger)
{
    public override Task RedirectToIdentityProvider(RedirectContext context)
    {
        // The handler then adds state (which carries the record's id), pushes the request and
        // redirects; the push's answer and the redirect are recorded once the redirect is written:
        // exactly what the browser is sent.
        var properties = context.Properties;
        journal.Start(properties);
        var http = context.HttpContext;
        http.Response.OnStarting(async () =>
        {
            var ct = http.RequestAborted;
            if (PushedAuthorizationObserver.AnswerFor(http) is { } answer)
                await journal.RecordAsync(properties, FlowSteps.PushedAuthorizationResponse, answer, ct);
            if (Uri.TryCreate(http.Response.Headers.Location.ToString(), UriKind.Absolute, out var location))
            {
                var query = QueryHelpers.ParseQuery(location.Query).Select(p => KeyValuePair.Create(p.Key, p.Value.ToString()));
                await journal.RecordAsync(properties, FlowSteps.AuthorizationRequest, query, ct, url: location.ToString());
            }
        });
        return Task.CompletedTask;
    }

    public override async Task PushAuthorization(PushedAuthorizationContext context)
    {
        // What the handler posts to the pushed authorization endpoint; it adds the client secret
        // after this event, and that is never recorded.
        var pushed = context.ProtocolMessage.Parameters
            .Where(p => !string.IsNullOrEmpty(p.Value))
            .Select(p => KeyValuePair.Create(p.Key, p.Value))
            .Append(KeyValuePair.Create("client_secret", "(sent; never shown or logged)"));
        // Options.Configuration is only set for a fixed configuration; discovery's is the manager's (cached).
        var ct = context.HttpContext.RequestAborted;
        var server = await context.Options.ConfigurationManager!.GetConfigurationAsync(ct);
        await journal.RecordAsync(context.Properties, FlowSteps.PushedAuthorizationRequest, pushed, ct, url: server.PushedAuthorizationRequestEndpoint);
    }

    public override async Task AuthorizationCodeReceived(AuthorizationCodeReceivedContext context)
    {
        var response = context.ProtocolMessage;
        var ct = context.HttpContext.RequestAborted;
        await journal.RecordAsync(context.Properties, FlowSteps.AuthorizationResponse,
            Present(("code", response.Code), ("state", context.Request.Query["state"].ToString()), ("iss", response.Iss)), ct);

        var request = context.TokenEndpointRequest!;
        await journal.RecordAsync(context.Properties, FlowSteps.TokenRequest,
            Present(
                ("grant_type", request.GrantType),
                ("code", request.Code),
                ("redirect_uri", request.RedirectUri),
                ("code_verifier", request.Parameters.TryGetValue("code_verifier", out var verifier) ? verifier : null),
                ("client_id", request.ClientId),
                ("client_secret", request.ClientSecret is null ? null : "(sent; never shown or logged)")), ct);
    }

    public override async Task TokenResponseReceived(TokenResponseReceivedContext context)
    {
        var response = context.TokenEndpointResponse;
        var ct = context.HttpContext.RequestAborted;
        var tokens = new List<DecodedToken>();
        if (response.IdToken is { } idToken)
            tokens.Add(await inspector.DecodeAsync("ID token", idToken, settings.Value.ClientId, ct));
        if (response.AccessToken is { } accessToken)
            tokens.Add(await inspector.DecodeAsync("Access token", accessToken, TokenInspector.ApiAudience, ct));

        await journal.RecordAsync(context.Properties, FlowSteps.TokenResponse,
            Present(
                ("token_type", response.TokenType),
                ("expires_in", response.ExpiresIn),
                ("scope", response.Scope),
                ("refresh_token", response.RefreshToken is null ? null : TokenInspector.Fingerprint(response.RefreshToken))),
            ct, tokens: tokens);
    }

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        var ct = context.HttpContext.RequestAborted;
        var idToken = context.SecurityToken.Payload;
        await journal.RecordAsync(context.Properties, FlowSteps.IdTokenValidated,
            Present(("sub", context.Principal?.FindFirst("sub")?.Value), ("nonce", idToken.Nonce)), ct);

        // What happened at the auth server, as far as the answer tells it.
        var authTime = idToken.AuthTime is { } seconds ? DateTimeOffset.FromUnixTimeSeconds(seconds) : (DateTimeOffset?)null;
        await journal.RecordAsync(context.Properties, FlowSteps.AuthServerSignIn,
            Present(
                ("sub", idToken.Sub),
                ("auth_time", authTime is null ? null : $"{ReadableTimes.Format(authTime.Value)} ({ReadableTimes.Relative(authTime.Value, clock.GetUtcNow())})"),
                ("scopes asked for", string.Join(" ", context.Options.Scope)),
                ("scopes granted", context.TokenEndpointResponse?.Scope)), ct);
    }

    public override async Task UserInformationReceived(UserInformationReceivedContext context)
    {
        var ct = context.HttpContext.RequestAborted;
        var server = await context.Options.ConfigurationManager!.GetConfigurationAsync(ct);
        var claims = context.User.RootElement.EnumerateObject().Select(p => (p.Name, (string?)p.Value.ToString())).ToArray();
        await journal.RecordAsync(context.Properties, FlowSteps.UserInfo,
            Present([("Authorization", $"Bearer {TokenInspector.Mask(context.ProtocolMessage.AccessToken)}"), .. claims]), ct, url: server.UserInfoEndpoint);
    }

    internal static IEnumerable<KeyValuePair<string, string>> Present(params (string Key, string? Value)[] parameters) =>
        parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => KeyValuePair.Create(p.Key, p.Value!));
}
