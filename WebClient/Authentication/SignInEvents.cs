using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace OAuthDemo.WebClient.Authentication;

/// <summary>
/// The OIDC handler's events the protocol needs: every sign-in gets a new session key
/// (<see cref="SessionFixationDefence"/>), and a sign-in that fails at the callback (the user
/// denied consent, the correlation cookie or state is missing or forged, the code was refused)
/// sends the user home saying so, never to an error page with a 500. (Denied consent goes home
/// through <c>AccessDeniedPath</c>.)
/// </summary>
public partial class SignInEvents(SessionFixationDefence fixation, ILogger<SignInEvents> logger) : OpenIdConnectEvents
{
    public const string ErrorQuery = "signin_error";

    /// <summary>
    /// RFC 9207: the authorization response names the server that issued it (iss). One from any
    /// other server (a mix-up attack), or none from a server that promises it, is refused before
    /// its code is redeemed. ASP.NET Core's handler does not check it; this does.
    /// </summary>
    public override async Task MessageReceived(MessageReceivedContext context)
    {
        if (context.ProtocolMessage.Code is null || context.Options.ConfigurationManager is not { } manager)
            return;
        var server = await manager.GetConfigurationAsync(context.HttpContext.RequestAborted);
        var iss = context.ProtocolMessage.Iss;
        if (iss is null ? server.AuthorizationResponseIssParameterSupported : !string.Equals(iss, server.Issuer, StringComparison.Ordinal))
            context.Fail($"The authorization response's iss is {(iss is null ? "missing" : "not the expected issuer")} (RFC 9207).");
    }

    /// <summary>The sign-in succeeded; the cookie handler stores the session next, under a new key.</summary>
    public override Task TicketReceived(TicketReceivedContext context) => fixation.EndCurrentSessionAsync(context.HttpContext);

    public override Task RemoteFailure(RemoteFailureContext context)
    {
        // The message names what failed (correlation, state, the auth server's error), never a code or token.
        LogSignInFailed(logger, context.Failure?.Message);
        context.Response.Redirect($"/?{ErrorQuery}=failed");
        context.HandleResponse();
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Sign-in failed at the callback: {Failure}")]
    private static partial void LogSignInFailed(ILogger logger, string? failure);
}
