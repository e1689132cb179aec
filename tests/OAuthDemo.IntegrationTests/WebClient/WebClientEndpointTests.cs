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
}
