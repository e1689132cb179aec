using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace OAuthDemo.ResourceApi.Authentication;

/// <summary>
/// RFC 6750 §3.1: a valid token without the right scope is 403 with
/// <c>WWW-Authenticate: Bearer error="insufficient_scope", scope="…"</c>, so the client knows what
/// to ask for. (JwtBearer alone answers a bare 403.)
/// </summary>
internal sealed class InsufficientScopeResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult result)
    {
        var failed = result.AuthorizationFailure?.FailedRequirements.OfType<ApiAccessRequirement>().FirstOrDefault();
        if (result.Forbidden && failed is not null)
        {
            var description = failed.ForClients
                ? $"This endpoint needs a client token (client credentials) with the {failed.Scope} scope."
                : $"This endpoint needs a user token with the {failed.Scope} scope.";
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.Headers.WWWAuthenticate =
                $"Bearer error=\"insufficient_scope\", error_description=\"{description}\", scope=\"{failed.Scope}\"";
            return;
        }

        await _default.HandleAsync(next, context, policy, result);
    }
}
