using OAuthDemo.AuthServer.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OAuthDemo.AuthServer.Hosting;

/// <summary>
/// A code or refresh token is marked redeemed before the tokens that replace it are made. If
/// anything after that fails (the database going away mid-request), the client is told 503 and
/// tries again with the same code or refresh token, which must then still work: a redeemed one
/// would make the retry look like a replay and revoke the whole sign-in (RFC 9700 §4.14.2). So a
/// redemption and everything its request writes commit together, before the answer is sent, or
/// not at all. Client credentials redeem nothing and keep the batched token inserts.
/// </summary>
internal static class RedemptionTransactions
{
    public static IApplicationBuilder UseRedemptionTransactions(this IApplicationBuilder app) =>
        app.UseWhen(context => HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType
                               && context.Request.Path.StartsWithSegments(ProtocolEndpoints.PathOf(ProtocolEndpoints.Token)),
            tokenRequests => tokenRequests.Use(async (context, next) =>
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                if (form[Parameters.GrantType] is not [GrantTypes.AuthorizationCode or GrantTypes.RefreshToken])
                {
                    await next(context);
                    return;
                }

                var db = context.RequestServices.GetRequiredService<AuthDbContext>();
                await using var transaction = await db.Database.BeginTransactionAsync(context.RequestAborted);
                // Committed as the answer starts: a client never holds tokens the database does not.
                // New tokens for a client that has gone (its timeout) are not committed: it will retry
                // with the same code or token. A refusal (4xx) always commits, so a detected replay
                // revokes its sign-in even if the caller hangs up.
                context.Response.OnStarting(() =>
                    context.Response.StatusCode >= 500 || (context.Response.StatusCode < 300 && context.RequestAborted.IsCancellationRequested)
                        ? Task.CompletedTask
                        : transaction.CommitAsync());
                await next(context);
                if (!context.Response.HasStarted)
                    await context.Response.StartAsync(context.RequestAborted);
            }));
}
