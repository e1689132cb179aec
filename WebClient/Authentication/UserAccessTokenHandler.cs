using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication;

namespace OAuthDemo.WebClient.Authentication;

/// <summary>Sends the signed-in user's access token, from the server-side session, as a bearer token.</summary>
public sealed class UserAccessTokenHandler(IHttpContextAccessor accessor) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (accessor.HttpContext is { } http && await http.GetTokenAsync("access_token") is { } token)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await base.SendAsync(request, cancellationToken);
    }
}
