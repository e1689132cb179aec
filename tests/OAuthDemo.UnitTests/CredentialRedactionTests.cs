using Microsoft.Extensions.Hosting;

namespace OAuthDemo.UnitTests;

public class CredentialRedactionTests
{
    [Theory]
    [InlineData("GET http://a/connect/token?client_secret=s3cret&grant_type=x", "GET http://a/connect/token?client_secret=[redacted]&grant_type=x")]
    [InlineData("?access_token=eyJabc.def.ghi", "?access_token=[redacted]")]
    [InlineData("/signin-oidc?state=abc&code=xyz&iss=http%3A%2F%2Fa", "/signin-oidc?state=abc&code=[redacted]&iss=http%3A%2F%2Fa")]
    [InlineData("refresh_token=a&CODE_VERIFIER=b&id_token_hint=c", "refresh_token=[redacted]&CODE_VERIFIER=[redacted]&id_token_hint=[redacted]")]
    [InlineData("token=t&client_assertion=j&password=p", "token=[redacted]&client_assertion=[redacted]&password=[redacted]")]
    [InlineData("{ \"code_verifier\": \"KfW\", \"grant_type\": \"authorization_code\" }", "{ \"code_verifier\": \"[redacted]\", \"grant_type\": \"authorization_code\" }")]
    [InlineData("\"client_secret\":\"[redacted]\"", "\"client_secret\":\"[redacted]\"")]
    public void Credential_parameters_lose_their_values(string logged, string expected) =>
        Assert.Equal(expected, CredentialRedaction.Redact(logged));

    [Theory]
    [InlineData("GET /api/notes?page=2&state=abc")]
    [InlineData("qrcode=1&encoded=2&token_type_hint=refresh_token")]
    [InlineData("no parameters at all")]
    public void Other_parameters_are_left_alone(string logged) =>
        Assert.Equal(logged, CredentialRedaction.Redact(logged));
}
