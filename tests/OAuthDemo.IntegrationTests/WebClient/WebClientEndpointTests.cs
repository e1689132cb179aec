namespace OAuthDemo.IntegrationTests.WebClient;

/// <summary>The web client's endpoints, over plain HTTP.</summary>
public class WebClientEndpointTests(AppHostFixture fixture)
{
    [Fact]
    public async Task Sign_out_without_an_antiforgery_token_is_a_bad_request()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.EndpointOf("webclient") };

        using var response = await http.PostAsync("/account/logout", new FormUrlEncodedContent([]), Ct);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("/signin-oidc?code=forged&state=forged")]         // no correlation cookie, unreadable state
    [InlineData("/signin-oidc?error=access_denied&state=forged")]
    public async Task A_callback_that_cannot_be_trusted_sends_the_user_home_saying_so_not_a_500(string callback)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = fixture.EndpointOf("webclient") };

        using var response = await http.GetAsync(callback, Ct);

        Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/?signin_error=failed", response.Headers.Location?.OriginalString);
        var home = await http.GetStringAsync(response.Headers.Location, Ct);
        Assert.Contains("data-testid=\"signin-error\"", home);
    }
}
