namespace OAuthDemo.IntegrationTests.Infrastructure;

/// <summary>Folders of this repository, found through the project metadata Aspire generates.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository's root: the folder that holds the service projects.</summary>
    public static readonly string Root = Path.GetDirectoryName(Path.GetDirectoryName(new Projects.Worker().ProjectPath))!;

    public static readonly string AppHost = Path.Combine(Root, "AppHost");
}
