using Microsoft.Extensions.Options;
using OAuthDemo.AuthServer.Configuration;
using OpenIddict.Abstractions;

namespace OAuthDemo.AuthServer.Seeding;

/// <summary>Creates or updates the configured API scopes and the audiences they grant.</summary>
internal sealed class ScopeSeeder(IOpenIddictScopeManager scopes, IOptions<AuthServerSettings> settings, ILogger<ScopeSeeder> logger)
{
    public async Task SeedAsync(CancellationToken ct)
    {
        foreach (var (name, scope) in settings.Value.Scopes)
        {
            var descriptor = new OpenIddictScopeDescriptor { Name = name, DisplayName = scope.DisplayName ?? name };
            descriptor.Resources.UnionWith(scope.Resources);

            if (await scopes.FindByNameAsync(name, ct) is { } existing)
                await scopes.UpdateAsync(existing, descriptor, ct);
            else
                await scopes.CreateAsync(descriptor, ct);

            logger.LogInformation("Scope {Scope} grants audiences {Resources}", name, scope.Resources);
        }
    }
}
