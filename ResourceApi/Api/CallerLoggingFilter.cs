using OAuthDemo.ResourceApi.Authentication;

namespace OAuthDemo.ResourceApi.Api;

/// <summary>Logs who called each endpoint: subject, client and token id, never the token.</summary>
internal sealed partial class CallerLoggingFilter(ILogger<CallerLoggingFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var caller = Caller.From(http.User);
        LogCall(logger, http.Request.Method, http.Request.Path, caller.Subject, caller.ClientId, caller.Kind, caller.TokenId);
        return await next(context);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "{Method} {Path} called by subject {Subject} via client {ClientId} ({Kind} token {TokenId})")]
    private static partial void LogCall(ILogger logger, string method, string path, string subject, string? clientId, string kind, string? tokenId);
}
