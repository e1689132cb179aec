using OAuthDemo.AuthServer.Configuration;
using OAuthDemo.AuthServer.Observability;

namespace OAuthDemo.UnitTests;

/// <summary>Metric tags from unauthenticated requests stay within the configured clients and grants.</summary>
public class TokenMetricTagTests
{
    private static readonly Dictionary<string, ClientSettings> Registered = new(StringComparer.Ordinal) { ["worker"] = new() };

    [Fact]
    public void A_registered_client_keeps_its_id() => Assert.Equal("worker", TokenMetrics.ClientTag("worker", Registered));

    [Theory]
    [InlineData("attacker-1")]
    [InlineData("WORKER")]
    [InlineData("worker ")]
    public void Any_other_client_id_is_one_tag(string clientId) =>
        Assert.Equal(TokenMetrics.Unregistered, TokenMetrics.ClientTag(clientId, Registered));

    [Fact]
    public void No_client_id_is_none() => Assert.Equal("none", TokenMetrics.ClientTag(null, Registered));

    [Theory]
    [InlineData("client_credentials", "client_credentials")]
    [InlineData("refresh_token", "refresh_token")]
    [InlineData("password", TokenMetrics.Unregistered)]
    [InlineData("urn:made:up:1", TokenMetrics.Unregistered)]
    [InlineData(null, "none")]
    public void Grant_types_are_the_supported_ones_or_one_tag(string? grantType, string tag) =>
        Assert.Equal(tag, TokenMetrics.GrantTag(grantType));
}
