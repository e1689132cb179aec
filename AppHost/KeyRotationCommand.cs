namespace OAuthDemo.AppHost;

internal static class KeyRotationCommand
{
    /// <summary>
    /// A dashboard command on the auth server, "Rotate signing key now": it calls
    /// <c>POST /admin/keys/rotate</c> with a secret only the AppHost and the auth server share, so
    /// nothing else can rotate the keys.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithKeyRotationCommand(this IResourceBuilder<ProjectResource> authServer, IResourceBuilder<ParameterResource> adminSecret) =>
        authServer
            .WithEnvironment("AuthServer__Keys__AdminSecret", adminSecret)
            .WithHttpCommand("/admin/keys/rotate", "Rotate signing key now", commandName: "rotate-signing-key", commandOptions: new()
            {
                Method = HttpMethod.Post,
                Description = "The next signing key is published now and signs as soon as every instance has it (within two minutes); the current one stays in the JWKS until its tokens have expired.",
                ConfirmationMessage = "Rotate the signing key now? Tokens already issued keep working.",
                IconName = "KeyReset",
                PrepareRequest = async context =>
                    context.Request.Headers.Add("X-Admin-Secret", await adminSecret.Resource.GetValueAsync(context.CancellationToken)),
            });
}
