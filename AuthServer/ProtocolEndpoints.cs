namespace OAuthDemo.AuthServer;

/// <summary>
/// Where the protocol endpoints live, named once. OpenIddict takes them relative to the issuer
/// (<c>connect/token</c>); ASP.NET Core routes take them as paths (<see cref="PathOf"/>).
/// </summary>
public static class ProtocolEndpoints
{
    public const string Authorization = "connect/authorize";
    public const string PushedAuthorization = "connect/par";
    public const string Token = "connect/token";
    public const string UserInfo = "connect/userinfo";
    public const string EndSession = "connect/endsession";
    public const string Revocation = "connect/revoke";
    public const string Introspection = "connect/introspect";

    /// <summary>Discovery and the JWKS, both under <c>/.well-known</c> (OpenIddict's defaults).</summary>
    public const string WellKnown = ".well-known";

    public static PathString PathOf(string endpoint) => new("/" + endpoint);
}
