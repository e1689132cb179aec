namespace OAuthDemo.AppHost.Postgres;

/// <summary>Looks at the machine: is a container runtime up, where are the PostgreSQL binaries.</summary>
internal static class PostgresProbes
{
    /// <summary>True when `docker info` (or `podman info`) answers within a few seconds.</summary>
    public static bool ContainerRuntimeIsHealthy(string? preferredRuntime)
    {
        // Aspire honours ASPIRE_CONTAINER_RUNTIME; ask that runtime first, then the usual two.
        var runtimes = new[] { preferredRuntime, "docker", "podman" }
            .Where(r => !string.IsNullOrWhiteSpace(r))
            .Distinct(StringComparer.OrdinalIgnoreCase);

        return runtimes.Any(runtime => Run(runtime!, ["info", "--format", "{{.ServerVersion}}"], TimeSpan.FromSeconds(10)) is not null);
    }

    /// <summary>The folder holding <c>initdb</c> and <c>postgres</c>, or null.</summary>
    public static string? FindBinDirectory(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
            return HasServerBinaries(configured) ? configured : null;

        if (Run("pg_config", ["--bindir"], TimeSpan.FromSeconds(5))?.Trim() is { Length: > 0 } fromPgConfig
            && HasServerBinaries(fromPgConfig))
            return fromPgConfig;

        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot))
            return null;

        // Highest major version first.
        return Directory.GetDirectories(debianRoot)
            .Select(dir => (dir, version: int.TryParse(Path.GetFileName(dir), out var v) ? v : -1))
            .OrderByDescending(x => x.version)
            .Select(x => Path.Combine(x.dir, "bin"))
            .FirstOrDefault(HasServerBinaries);
    }

    private static bool HasServerBinaries(string dir) =>
        File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "postgres"));

    private static string? Run(string fileName, string[] args, TimeSpan timeout) =>
        ProcessRunner.RunAsync(fileName, args, timeout).GetAwaiter().GetResult() is { Succeeded: true } result ? result.StandardOutput : null;
}
