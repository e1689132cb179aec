using Microsoft.EntityFrameworkCore;
using OAuthDemo.AuthServer.Data;
using OAuthDemo.AuthServer.Data.Stores;
using OpenIddict.EntityFrameworkCore.Models;

namespace OAuthDemo.UnitTests;

/// <summary>
/// The client snapshots and the batched token insert name columns by hand; an OpenIddict upgrade
/// that adds one must fail here, not silently drop or null it.
/// </summary>
public class TokenIssuanceStoreModelTests
{
    private static readonly AuthDbContext Db = new AuthDbContextDesignTimeFactory().CreateDbContext([]);

    [Fact]
    public void A_client_snapshot_copies_every_mapped_property()
    {
        var properties = Db.Model.FindEntityType(typeof(OpenIddictEntityFrameworkCoreApplication))!.GetProperties()
            .Where(p => !p.IsShadowProperty()).Select(p => p.PropertyInfo!).ToList();
        var original = new OpenIddictEntityFrameworkCoreApplication();
        foreach (var property in properties)
            property.SetValue(original, $"value of {property.Name}");

        var copy = ClientSnapshots.Copy(original);

        Assert.NotEmpty(properties);
        Assert.All(properties, p => Assert.Equal(p.GetValue(original), p.GetValue(copy)));
    }

    [Fact]
    public void The_batched_insert_writes_every_property_of_a_token()
    {
        var model = Db.Model.FindEntityType(typeof(OpenIddictEntityFrameworkCoreToken))!.GetProperties().Select(p => p.Name).Order();

        Assert.Equal(model, TokenInsertBatcher.Columns.Order());
    }
}
