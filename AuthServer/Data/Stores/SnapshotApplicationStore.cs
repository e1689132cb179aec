using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore;
using OpenIddict.EntityFrameworkCore.Models;

namespace OAuthDemo.AuthServer.Data.Stores;

/// <summary>
/// OpenIddict's EF Core application store, answering client_id lookups from <see cref="ClientSnapshots"/>.
/// Writes are OpenIddict's own; a trigger announces them (see the AnnounceClientChanges migration).
/// </summary>
internal sealed class SnapshotApplicationStore(
    IMemoryCache cache,
    IOpenIddictEntityFrameworkCoreContext context,
    IOptionsMonitor<OpenIddictEntityFrameworkCoreOptions> options,
    ClientSnapshots snapshots)
    : OpenIddictEntityFrameworkCoreApplicationStore<OpenIddictEntityFrameworkCoreApplication, OpenIddictEntityFrameworkCoreAuthorization, OpenIddictEntityFrameworkCoreToken, string>(cache, context, options)
{
    public override async ValueTask<OpenIddictEntityFrameworkCoreApplication?> FindByClientIdAsync(string identifier, CancellationToken cancellationToken)
    {
        var db = await Context.GetDbContextAsync(cancellationToken);
        var applications = db.Set<OpenIddictEntityFrameworkCoreApplication>();

        // Already tracked by this request: that instance, as a query would return.
        if (applications.Local.FirstOrDefault(a => a.ClientId == identifier) is { } tracked)
            return tracked;

        if (snapshots.Find(identifier) is { } copy)
        {
            applications.Attach(copy); // tracked and unchanged, exactly as if just queried
            return copy;
        }

        var generation = snapshots.Generation; // taken before the read: a change heard meanwhile wins
        var application = await base.FindByClientIdAsync(identifier, cancellationToken);
        if (application is not null)
            snapshots.Remember(application, generation);
        return application;
    }
}
