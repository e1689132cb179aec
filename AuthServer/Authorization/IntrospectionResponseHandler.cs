using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace OAuthDemo.AuthServer.Authorization;

/// <summary>
/// RFC 7662 §2.2: a token the caller may not introspect, that is of an unknown kind or that is
/// garbage must come back as <c>{"active": false}</c>, never as an error that tells them apart.
/// Errors about the caller itself (invalid_client, unauthorized_client) stay errors.
/// </summary>
internal sealed class IntrospectionResponseHandler : IOpenIddictServerHandler<ApplyIntrospectionResponseContext>
{
    public ValueTask HandleAsync(ApplyIntrospectionResponseContext context)
    {
        if (context.Response.Error is Errors.UnsupportedTokenType or Errors.InvalidToken)
            context.Transaction.Response = new OpenIddictResponse { [Claims.Active] = false };
        return default;
    }
}
