using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace OAuthDemo.AuthServer.Data.Stores;

/// <summary>
/// OpenIddict's EF Core token store, with new tokens written by <see cref="TokenInsertBatcher"/>
/// instead of a change-tracked SaveChanges per token. Reads, updates (redemption, revocation) and
/// deletes are OpenIddict's own; a token created inside a transaction goes with that transaction.
/// </summary>
internal sealed class BatchedTokenStore(
    IMemoryCache cache,
    IOpenIddictEntityFrameworkCoreContext context,
    IOptionsMonitor<OpenIddictEntityFrameworkCoreOptions> options,
    TokenInsertBatcher batcher)
    : OpenIddictEntityFrameworkCoreTokenStore<OpenIddictEntityFrameworkCoreToken, OpenIddictEntityFrameworkCoreApplication, OpenIddictEntityFrameworkCoreAuthorization, string>(cache, context, options)
{
    public override async ValueTask CreateAsync(OpenIddictEntityFrameworkCoreToken token, CancellationToken cancellationToken)
    {
        var db = await Context.GetDbContextAsync(cancellationToken);
        if (db.Database.CurrentTransaction is not null || System.Transactions.Transaction.Current is not null)
        {
            await base.CreateAsync(token, cancellationToken);
            return;
        }

        // The key EF Core would have generated; OpenIddict reads it back as the token id.
        token.Id ??= Guid.NewGuid().ToString();
        // Left untracked: OpenIddict's request cache hands this same instance to a later update in
        // this request (it stores an authorization code's payload after creating its entry), and the
        // store attaches it then, as it does any token it did not load.
        await batcher.InsertAsync(token);
    }
}
