using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using OAuthDemo.WebClient.Authentication;
using OAuthDemo.WebClient.FlowInspector;

namespace OAuthDemo.WebClient.AttackLab;

/// <summary>What a run gives the page: an outcome to show, and where the browser goes next (if anywhere).</summary>
public sealed record LabRun(LabOutcome? Outcome, string? ContinueAt = null);

/// <summary>
/// Performs each attack for real, against the running auth server and API, with the signed-in
/// user's own session and tokens only: nothing here can reach another user's. Every answer is the
/// server's own; the lab only says whether the defence held.
/// </summary>
public sealed partial class AttackRunner(
    LabHttpClient lab,
    IOptionsMonitor<OpenIdConnectOptions> oidc,
    IOptions<WebClientSettings> settings,
    SessionRefresher refresher,
    IDataProtectionProvider dataProtection,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<AttackRunner> logger)
{
    public static readonly ActivitySource Telemetry = new("OAuthDemo.WebClient.AttackLab");

    /// <summary>Where the stolen-code attack's authorization comes back (registered for <c>webclient</c> by the AppHost).</summary>
    public const string CallbackPath = "/lab/callback";

    private const string PendingCookie = "oauthdemo.lab";
    private static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(5);
    private const string AttackerRedirectUri = "https://attacker.example/callback";

    private readonly ITimeLimitedDataProtector _pending = dataProtection.CreateProtector("OAuthDemo.WebClient.AttackLab.Pending").ToTimeLimitedDataProtector();

    public async Task<LabRun> RunAsync(AttackCard card, HttpContext http)
    {
        using var span = Telemetry.StartActivity($"Attack lab: {card.Title}");
        var session = await SessionAsync(http);
        if (session is null)
            return new LabRun(Incomplete(card, [], "This session holds no tokens (it may have ended): sign in again and retry."));

        var ct = http.RequestAborted;
        var run = card.Id switch
        {
            AttackCards.StolenCode => await StartStolenCodeAsync(card, http, ct),
            AttackCards.TamperedToken => new LabRun(await TamperedTokenAsync(card, session, ct)),
            AttackCards.WrongTokenType => new LabRun(await WrongTokenTypeAsync(card, session, ct)),
            AttackCards.MissingScope => new LabRun(await MissingScopeAsync(card, session, ct)),
            AttackCards.RedirectUriSwap => new LabRun(await RedirectUriSwapAsync(card, ct)),
            AttackCards.ForgedCallback => new LabRun(await ForgedCallbackAsync(card, http, ct)),
            AttackCards.RevokedToken => new LabRun(await RevokedTokenAsync(card, session, ct)),
            AttackCards.ReplayedRefreshToken => await ReplayedRefreshTokenAsync(card, session, http, ct),
            _ => new LabRun(null),
        };
        if (run.Outcome is { } outcome)
            LogRun(logger, card.Id, outcome.Result);
        return run;
    }

    private sealed record Session(AuthenticationProperties Properties, string AccessToken, string? IdToken, string? RefreshToken);

    private static async Task<Session?> SessionAsync(HttpContext http)
    {
        var result = await http.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return result.Properties?.GetTokenValue("access_token") is { } accessToken
            ? new Session(result.Properties, accessToken, result.Properties.GetTokenValue("id_token"), result.Properties.GetTokenValue("refresh_token"))
            : null;
    }

    // ---- Stolen authorization code ------------------------------------------------------------

    /// <summary>Pushes a fresh authorization request (prompt=none) and sends the browser on with it; <see cref="FinishStolenCodeAsync"/> takes the code.</summary>
    private async Task<LabRun> StartStolenCodeAsync(AttackCard card, HttpContext http, CancellationToken ct)
    {
        var (options, server) = await ServerAsync(ct);
        var verifier = RandomValue();
        var state = RandomValue();
        var redirectUri = Origin(http) + CallbackPath;
        // The smallest request the user already consented to; no offline_access, so no refresh token is left behind.
        var push = await lab.PostFormAsync("Authorization request pushed, prompt=none (your open session at the auth server answers; no page)",
            server.PushedAuthorizationRequestEndpoint,
            [
                .. ClientCredentials(options),
                .. CodeRequest(redirectUri, "openid notes.read", state, TokenInspector.S256(verifier)),
                new("prompt", "none"),
            ], ct);
        if (push.Field("request_uri") is not { } requestUri)
            return new LabRun(Incomplete(card, [push.Shown], "The auth server did not take the pushed request; its answer is above."));

        var pending = new PendingAuthorization(state, verifier, redirectUri, push.Shown);
        http.Response.Cookies.Append(PendingCookie, _pending.Protect(JsonSerializer.Serialize(pending), PendingLifetime), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax, // it must come back with the auth server's redirect, a top-level GET
            Secure = http.Request.IsHttps,
            Path = CallbackPath,
            MaxAge = PendingLifetime,
        });
        return new LabRun(null, QueryHelpers.AddQueryString(server.AuthorizationEndpoint, new Dictionary<string, string?>
        {
            ["client_id"] = options.ClientId,
            ["request_uri"] = requestUri,
        }));
    }

    private sealed record PendingAuthorization(string State, string Verifier, string RedirectUri, LabExchange Push);

    /// <summary>The authorization came back to <see cref="CallbackPath"/>: the lab redeems its code as an attacker, then as its owner.</summary>
    public async Task<LabOutcome> FinishStolenCodeAsync(HttpContext http)
    {
        var card = AttackCards.Find(AttackCards.StolenCode)!;
        using var span = Telemetry.StartActivity($"Attack lab: {card.Title}");
        var ct = http.RequestAborted;
        var pending = ReadPending(http);
        http.Response.Cookies.Delete(PendingCookie, new CookieOptions { Path = CallbackPath });
        var query = http.Request.Query;
        // The lab's own callback is a client like any other: it takes only the answer to the request it sent.
        if (pending is null || query["state"] != pending.State)
            return Incomplete(card, [], "This answer does not belong to an attack this browser started in the last five minutes (its state does not match); nothing was redeemed. Try again.");
        if (query["error"].ToString() is { Length: > 0 } error)
            return Incomplete(card, [pending.Push],
                $"The auth server issued no code: {error} ({query["error_description"]}). With prompt=none it never shows a page, so your session there must be open: sign in again and retry.");

        var (options, server) = await ServerAsync(ct);
        var code = query["code"].ToString();
        var redemption = ClientCredentials(options).Concat(
        [
            new("grant_type", "authorization_code"),
            new("code", code),
            new("redirect_uri", pending.RedirectUri),
        ]).ToList();
        var withoutVerifier = await lab.PostFormAsync("The code redeemed without a code_verifier (even with this app's client secret)", server.TokenEndpoint, redemption, ct);
        var wrongVerifier = await lab.PostFormAsync("The code redeemed with a code_verifier of the attacker's own", server.TokenEndpoint,
            [.. redemption, new("code_verifier", RandomValue())], ct);
        var rightVerifier = await lab.PostFormAsync("The code redeemed by its owner, with the right code_verifier", server.TokenEndpoint,
            [.. redemption, new("code_verifier", pending.Verifier)], ct);
        List<LabExchange> exchanges = [pending.Push, withoutVerifier.Shown, wrongVerifier.Shown, rightVerifier.Shown];
        if (rightVerifier.Field("access_token") is { } issued)
            exchanges.Add((await lab.PostFormAsync("Clean-up: the access token the lab just got, revoked", server.RevocationEndpoint,
                [.. ClientCredentials(options), new("token", issued), new("token_type_hint", "access_token")], ct)).Shown);

        // Without a verifier the request is incomplete (invalid_request); with a wrong one the grant is (invalid_grant).
        var refused = withoutVerifier.Shown is { Status: 400, Error: "invalid_request" or "invalid_grant" } && IsInvalidGrant(wrongVerifier);
        var owner = rightVerifier.Shown.Status == 200
            ? "With the right verifier the code still worked: a failed PKCE check does not spend it, so the attacker cannot even deny its owner the code."
            : $"With the right verifier it was refused too ({rightVerifier.Shown.Error}): the server spent the code at the first misuse.";
        var outcome = Outcome(card, exchanges, refused,
            refused ? $"Refused twice: without a verifier ({withoutVerifier.Shown.Error}) and with a wrong one (invalid_grant). Without its verifier the code is worth nothing. {owner}" : "NOT refused: a code was redeemed without its verifier.",
            note: $"The auth server sent your browser back to {CallbackPath} with a code ({TokenInspector.Fingerprint(code)}), the state and iss; the lab took the code from there.");
        LogRun(logger, card.Id, outcome.Result);
        return outcome;
    }

    private PendingAuthorization? ReadPending(HttpContext http)
    {
        if (http.Request.Cookies[PendingCookie] is not { } protectedValue)
            return null;
        try
        {
            return JsonSerializer.Deserialize<PendingAuthorization>(_pending.Unprotect(protectedValue));
        }
        catch (Exception e) when (e is CryptographicException or JsonException)
        {
            return null; // expired, or not made here
        }
    }

    // ---- Tokens sent to the API -----------------------------------------------------------------

    private async Task<LabOutcome> TamperedTokenAsync(AttackCard card, Session session, CancellationToken ct)
    {
        var token = new JsonWebToken(session.AccessToken);
        var claims = JsonNode.Parse(Base64UrlEncoder.Decode(token.EncodedPayload))!.AsObject();
        claims["scope"] = $"{claims["scope"]} stats.read".Trim();
        var payload = Base64UrlEncoder.Encode(claims.ToJsonString());
        var stats = Api("api/stats");

        var edited = await lab.GetAsync("Claims edited (stats.read added), the auth server's signature kept", stats, ct,
            bearer: $"{token.EncodedHeader}.{payload}.{token.EncodedSignature}");
        var unsigned = await lab.GetAsync("alg: none, and no signature at all", stats, ct,
            bearer: $"{Encode(new { alg = "none", typ = "at+jwt" })}.{payload}.");
        using var attackerKey = RSA.Create(2048);
        var header = Encode(new { alg = "RS256", typ = "at+jwt", kid = "attacker-key" });
        var signature = Base64UrlEncoder.Encode(attackerKey.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        var resigned = await lab.GetAsync("Re-signed (RS256) with the attacker's own key, which the JWKS does not list", stats, ct,
            bearer: $"{header}.{payload}.{signature}");

        var refused = new[] { edited, unsigned, resigned }.All(IsInvalidToken);
        return Outcome(card, [edited.Shown, unsigned.Shown, resigned.Shown], refused,
            refused ? "Refused three times: 401 invalid_token. No claim of an edited, unsigned or self-signed token was trusted." : "NOT refused: the API accepted a token the auth server did not sign.");
    }

    private async Task<LabOutcome> WrongTokenTypeAsync(AttackCard card, Session session, CancellationToken ct)
    {
        if (session.IdToken is null)
            return Incomplete(card, [], "This session holds no ID token.");
        var idToken = new JsonWebToken(session.IdToken);
        var answer = await lab.GetAsync("The ID token sent to the API as a bearer token", Api("api/me"), ct, bearer: session.IdToken);
        var refused = IsInvalidToken(answer);
        return Outcome(card, [answer.Shown], refused,
            refused ? "Refused: 401 invalid_token. An ID token is not an access token, although the same server signed it." : "NOT refused: the API accepted an ID token.",
            note: $"The ID token's typ is {idToken.Typ}, its audience {string.Join(", ", idToken.Audiences)}; the API takes only typ at+jwt with audience {TokenInspector.ApiAudience}.");
    }

    private async Task<LabOutcome> MissingScopeAsync(AttackCard card, Session session, CancellationToken ct)
    {
        var answer = await lab.GetAsync("Your access token sent to a route it has no scope for", Api("api/stats"), ct, bearer: session.AccessToken);
        var refused = answer.Shown.Status == 403 && answer.Shown.WwwAuthenticate?.Contains("insufficient_scope", StringComparison.Ordinal) == true;
        var scopes = new JsonWebToken(session.AccessToken).TryGetPayloadValue<string>("scope", out var scope) ? scope : "";
        return Outcome(card, [answer.Shown], refused,
            refused ? "Refused: 403 insufficient_scope. A valid token gets only what its scopes allow." : "NOT refused: the route answered without its scope.",
            note: $"Your access token's scopes: {scopes}.");
    }

    private async Task<LabOutcome> RevokedTokenAsync(AttackCard card, Session session, CancellationToken ct)
    {
        var (options, server) = await ServerAsync(ct);
        List<KeyValuePair<string, string>> aboutTheToken = [.. ClientCredentials(options), new("token", session.AccessToken), new("token_type_hint", "access_token")];
        var before = await lab.PostFormAsync("Introspected before the revocation", server.IntrospectionEndpoint, aboutTheToken, ct);
        var revoked = await lab.PostFormAsync("Revoked at the revocation endpoint", server.RevocationEndpoint, aboutTheToken, ct);
        var after = await lab.PostFormAsync("Introspected after the revocation", server.IntrospectionEndpoint, aboutTheToken, ct);
        var api = await lab.GetAsync("The API called with the revoked token", Api("api/me"), ct, bearer: session.AccessToken);

        // The session should not go on with a revoked token: it gets a new one with its refresh token.
        var renewed = await refresher.RefreshAsync(session.Properties) is Refreshed;
        var inactive = after.Json?.TryGetProperty("active", out var active) == true && active.ValueKind == JsonValueKind.False;
        var expiresAt = new JsonWebToken(session.AccessToken).ValidTo;
        var minutes = Math.Max(0, (int)Math.Ceiling((expiresAt - clock.GetUtcNow().UtcDateTime).TotalMinutes));
        return Outcome(card, [before.Shown, revoked.Shown, after.Shown, api.Shown], inactive,
            inactive
                ? $"Revoked at the auth server: introspection now says active: false. The API still answered {api.Shown.StatusLine}: it validates the JWT alone, so the revoked token works there until it expires, within {minutes} min."
                : "NOT revoked: introspection still calls the token active.",
            note: renewed ? "Your session then got a new access token with its refresh token, so it no longer uses the revoked one." : null);
    }

    // ---- Requests the auth server or this client must refuse -------------------------------------

    private async Task<LabOutcome> RedirectUriSwapAsync(AttackCard card, CancellationToken ct)
    {
        var (options, server) = await ServerAsync(ct);
        var challenge = TokenInspector.S256(RandomValue());
        var pushed = await lab.PostFormAsync("Pushed as this web client, with the attacker's redirect_uri", server.PushedAuthorizationRequestEndpoint,
            [.. ClientCredentials(options), .. CodeRequest(AttackerRedirectUri, "openid", RandomValue(), challenge)], ct);
        var direct = await lab.GetAsync("Sent to the authorization endpoint as the SPA client (it may send plain requests), with the attacker's redirect_uri",
            server.AuthorizationEndpoint, ct,
            query: [new("client_id", settings.Value.SpaClientId), .. CodeRequest(AttackerRedirectUri, "openid", RandomValue(), challenge)]);
        var refused = pushed.Shown.Status == 400 && direct.Shown.Status >= 400 && direct.Shown.Location is null;
        return Outcome(card, [pushed.Shown, direct.Shown], refused,
            refused ? $"Refused both ways: the push with {pushed.Shown.Error}, the plain request with the auth server's error page ({direct.Shown.StatusLine}) and no redirect, so no code left for {AttackerRedirectUri}."
                : "NOT refused: the auth server would send a code to an unregistered address.");
    }

    private async Task<LabOutcome> ForgedCallbackAsync(AttackCard card, HttpContext http, CancellationToken ct)
    {
        var (options, server) = await ServerAsync(ct);
        var forged = await lab.GetAsync("This web client's callback, with a code and a state this browser never asked for", Origin(http) + options.CallbackPath, ct,
            cookies: http.Request.Headers.Cookie.ToString(),
            query: [new("code", RandomValue()), new("state", RandomValue()), new("iss", server.Issuer)]);
        var refused = forged.Shown.Status == 302 && forged.Shown.Location?.Contains(SignInEvents.ErrorQuery, StringComparison.Ordinal) == true;
        return Outcome(card, [forged.Shown], refused,
            refused ? "Refused: the callback sent the browser home with \"Signing in failed\"; no code was redeemed and no one was signed in. You are still signed in as before."
                : "NOT refused: the callback took a code it had not asked for.");
    }

    // ---- Refresh token replay ------------------------------------------------------------------

    private async Task<LabRun> ReplayedRefreshTokenAsync(AttackCard card, Session session, HttpContext http, CancellationToken ct)
    {
        if (session.RefreshToken is not { } spent)
            return new LabRun(Incomplete(card, [], "This session holds no refresh token."));
        // The real path: the session refreshes as it does before its token expires, and stores the new tokens.
        if (await refresher.RefreshAsync(session.Properties) is not Refreshed)
            return new LabRun(Incomplete(card, [], "The session could not refresh first (the auth server may be busy); nothing was replayed. Try again."));
        var current = session.Properties.GetTokenValue("refresh_token")!;

        var (options, server) = await ServerAsync(ct);
        var replay = await lab.PostFormAsync("The spent refresh token presented again, as a thief who copied it would", server.TokenEndpoint,
            [.. ClientCredentials(options), new("grant_type", "refresh_token"), new("refresh_token", spent)], ct);
        var next = await lab.PostFormAsync("Then the new one, which your session now holds", server.TokenEndpoint,
            [.. ClientCredentials(options), new("grant_type", "refresh_token"), new("refresh_token", current)], ct);

        // Its tokens are dead: this session ends, and the sign-in starts again at once.
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        var refused = IsInvalidGrant(replay) && IsInvalidGrant(next);
        var outcome = Outcome(card, [replay.Shown, next.Shown], refused,
            refused ? "Refused: invalid_grant for the spent token, and then for the new one too. The replay revoked the whole sign-in, so a thief's copy is worthless, and so is the session's."
                : "NOT refused: a spent refresh token, or the family after its replay, still worked.",
            note: $"Your session refreshed first ({TokenInspector.Fingerprint(spent)} → {TokenInspector.Fingerprint(current)}). After the replay it ended here, and you were signed in again.");
        return new LabRun(outcome, $"/account/login?returnUrl={Uri.EscapeDataString($"/lab#{card.Id}")}");
    }

    // ---- Helpers -------------------------------------------------------------------------------

    private async Task<(OpenIdConnectOptions Options, OpenIdConnectConfiguration Server)> ServerAsync(CancellationToken ct)
    {
        var options = oidc.Get(OpenIdConnectDefaults.AuthenticationScheme);
        return (options, await options.ConfigurationManager!.GetConfigurationAsync(ct));
    }

    /// <summary>This web client, as its registered client: the secret goes in the form, as the OIDC handler sends it.</summary>
    private static KeyValuePair<string, string>[] ClientCredentials(OpenIdConnectOptions options) =>
        [new("client_id", options.ClientId!), new("client_secret", options.ClientSecret!)];

    /// <summary>An authorization request for a code, with its PKCE challenge (S256, the only method the server takes).</summary>
    private static KeyValuePair<string, string>[] CodeRequest(string redirectUri, string scope, string state, string challenge) =>
    [
        new("response_type", "code"),
        new("redirect_uri", redirectUri),
        new("scope", scope),
        new("state", state),
        new("code_challenge", challenge),
        new("code_challenge_method", "S256"),
    ];

    private string Api(string path) => $"{ServiceUrls.ResourceApi(configuration).TrimEnd('/')}/{path}";

    private static string Origin(HttpContext http) => $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";

    private static string RandomValue() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    private static string Encode(object header) => Base64UrlEncoder.Encode(JsonSerializer.Serialize(header));

    private static bool IsInvalidGrant(LabAnswer answer) => answer.Shown.Status == 400 && answer.Shown.Error == "invalid_grant";

    private static bool IsInvalidToken(LabAnswer answer) =>
        answer.Shown.Status == 401 && answer.Shown.WwwAuthenticate?.Contains("invalid_token", StringComparison.Ordinal) == true;

    private LabOutcome Outcome(AttackCard card, IReadOnlyList<LabExchange> exchanges, bool refused, string verdict, string? note = null) =>
        new(card.Id, clock.GetUtcNow(), exchanges, refused ? LabResult.Refused : LabResult.NotRefused, verdict,
            Activity.Current?.TraceId.ToString(), Activity.Current?.SpanId.ToString(), note);

    private LabOutcome Incomplete(AttackCard card, IReadOnlyList<LabExchange> exchanges, string why) =>
        new(card.Id, clock.GetUtcNow(), exchanges, LabResult.Incomplete, why, Activity.Current?.TraceId.ToString(), Activity.Current?.SpanId.ToString());

    [LoggerMessage(EventId = 5301, Level = LogLevel.Information, Message = "Attack lab: {Attack} tried; {Result}")]
    private static partial void LogRun(ILogger logger, string attack, LabResult result);
}
