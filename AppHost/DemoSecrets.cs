namespace OAuthDemo.AppHost;

/// <summary>The generated secrets and demo passwords (SPEC §1 parameter names).</summary>
public sealed record DemoSecrets(
    IResourceBuilder<ParameterResource> AlicePassword,
    IResourceBuilder<ParameterResource> BobPassword,
    IResourceBuilder<ParameterResource> WebClientSecret,
    IResourceBuilder<ParameterResource> WorkerSecret,
    IResourceBuilder<ParameterResource> ResourceApiSecret);

internal static class DemoSecretsBuilderExtensions
{
    public static DemoSecrets AddDemoSecrets(this IDistributedApplicationBuilder builder) => new(
        Generated(builder, "alice-password"),
        Generated(builder, "bob-password"),
        Generated(builder, "webclient-secret"),
        Generated(builder, "worker-secret"),
        Generated(builder, "resource-api-secret"));

    // Generated once and kept in the AppHost's user secrets, so a demo password stays the same
    // between runs; `Parameters__<name>=...` in the environment overrides it (tests do that).
    private static IResourceBuilder<ParameterResource> Generated(IDistributedApplicationBuilder builder, string name) =>
        builder.AddParameter(name, new GenerateParameterDefault { MinLength = 24, Special = false }, secret: true, persist: true);
}
