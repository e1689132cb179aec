namespace OAuthDemo.AppHost;

internal static class DeploymentManifest
{
    /// <summary>
    /// Writes the project into a published manifest as Aspire does (<c>project.v0</c>: path,
    /// arguments, environment, bindings), plus what a platform needs to run it as this AppHost
    /// does: <c>replicas</c> (from <c>WithReplicas</c>) and the health endpoints to probe
    /// (<c>/health</c> for readiness: its dependencies answer; <c>/alive</c> for liveness: the process
    /// answers). Aspire's manifest schema has no field for either; docs/deploy.md says how they map.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDeploymentManifest(this IResourceBuilder<ProjectResource> project) =>
        project.WithManifestPublishingCallback(async context =>
        {
            var resource = project.Resource;
            var metadata = resource.Annotations.OfType<IProjectMetadata>().Last();
            var writer = context.Writer;
            writer.WriteString("type", "project.v0");
            writer.WriteString("path", context.GetManifestRelativePath(metadata.ProjectPath));
            await context.WriteCommandLineArgumentsAsync(resource);
            await context.WriteEnvironmentVariablesAsync(resource);
            context.WriteBindings(resource);

            writer.WriteNumber("replicas", resource.Annotations.OfType<ReplicaAnnotation>().LastOrDefault()?.Replicas ?? 1);
            writer.WriteStartObject("probes");
            writer.WriteString("readiness", "/health");
            writer.WriteString("liveness", "/alive");
            writer.WriteEndObject();
        });
}
