using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using OAuthDemo.AppHost;
using OAuthDemo.IntegrationTests.Infrastructure;

namespace OAuthDemo.IntegrationTests.Deployment;

/// <summary>
/// The manifest `dotnet run --project AppHost -- --publisher manifest` writes is something a platform
/// can deploy: every resource of a deployable kind, every secret a secret parameter, no path of this
/// machine, the replicas and health probes of each service (docs/deploy.md).
/// </summary>
public partial class PublishManifestTests
{
    private static readonly string[] Services = ["authserver", "resourceapi", "worker", "webclient"];
    private static readonly string[] Databases = ["authdb", "apidb", "webdb"];

    private static readonly string[] SecretParameters =
    [
        "alice-password", "bob-password", "webclient-secret", "resource-api-secret", "key-admin-secret",
        "worker-client-key", "keyring-certificate", "keyring-certificate-password",
    ];

    private static readonly HashSet<string> DeployableTypes =
        ["container.v0", "container.v1", "project.v0", "project.v1", "parameter.v0", "value.v0", "annotated.string"];

    [Fact]
    public async Task The_manifest_runs_postgres_as_a_container_and_holds_no_secret()
    {
        var (manifest, planted) = await PublishAsync(new Dictionary<string, string>());
        var resources = manifest.GetProperty("resources");

        var postgres = resources.GetProperty("postgres");
        Assert.Equal("container.v0", postgres.GetProperty("type").GetString());
        Assert.StartsWith("docker.io/library/postgres", postgres.GetProperty("image").GetString());
        Assert.NotEmpty(postgres.GetProperty("volumes").EnumerateArray());
        AssertSecretParameter(resources, "postgres-password");
        AssertDeployable(manifest, planted);
    }

    [Fact]
    public async Task With_an_external_server_the_connection_string_is_a_secret_parameter()
    {
        var (manifest, planted) = await PublishAsync(new Dictionary<string, string>
        {
            ["Postgres__Mode"] = "external",
            ["ConnectionStrings__postgres"] = $"Host=db.internal;Username=app;Password={Marker()}",
        });
        var resources = manifest.GetProperty("resources");

        var postgres = resources.GetProperty("postgres");
        Assert.Equal("parameter.v0", postgres.GetProperty("type").GetString());
        Assert.True(postgres.GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean());
        AssertDeployable(manifest, planted);
    }

    private static void AssertDeployable(JsonElement manifest, IReadOnlyCollection<string> planted)
    {
        var resources = manifest.GetProperty("resources");
        var text = manifest.GetRawText();

        // Every resource is of a kind a platform runs; none is this machine's executable or unsupported.
        foreach (var resource in resources.EnumerateObject())
        {
            Assert.False(resource.Value.TryGetProperty("error", out _), $"{resource.Name}: {resource.Value}");
            Assert.Contains(resource.Value.GetProperty("type").GetString()!, DeployableTypes);
        }
        foreach (var database in Databases)
            Assert.Contains($"Database={database}", resources.GetProperty(database).GetProperty("connectionString").GetString());

        // Secrets: parameters marked secret, referenced by the services, never written out.
        foreach (var name in SecretParameters)
            AssertSecretParameter(resources, name);
        Assert.All(planted, value => Assert.DoesNotContain(value, text));
        foreach (var service in Services)
        {
            var project = resources.GetProperty(service);
            Assert.Equal("project.v0", project.GetProperty("type").GetString());
            foreach (var variable in project.GetProperty("env").EnumerateObject().Where(v => SecretName().IsMatch(v.Name)))
                Assert.Matches(ParameterReference(), variable.Value.GetString());
            // Health endpoints a platform probes: ready when the dependencies answer, alive when the process does.
            Assert.Equal("/health", project.GetProperty("probes").GetProperty("readiness").GetString());
            Assert.Equal("/alive", project.GetProperty("probes").GetProperty("liveness").GetString());
        }
        foreach (var connectionString in Strings(manifest).Where(s => s.Contains("Password=", StringComparison.OrdinalIgnoreCase)))
            Assert.Matches(@"Password=\{[^}]+\}", connectionString);

        // No path of this machine: project paths are relative to the manifest, and nothing names the
        // repository's location, the PostgreSQL binaries or the local data folder.
        foreach (var service in Services)
        {
            var path = resources.GetProperty(service).GetProperty("path").GetString()!;
            Assert.False(Path.IsPathRooted(path), path);
            Assert.Matches(@"^(\.\./)+[A-Za-z]+/[A-Za-z]+\.csproj$", path);
        }
        foreach (var machinePath in new[] { RepositoryPaths.Root, "/usr/lib/postgresql", "/var/lib/oauthdemo", "setpriv", Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) })
            Assert.DoesNotContain(machinePath, text);

        // The auth server gets the worker's public key set, never its private key; the key set is public.
        var authServer = resources.GetProperty("authserver").GetProperty("env");
        Assert.Equal("{worker-client-key-jwks.value}", authServer.GetProperty("AuthServer__Clients__worker__JsonWebKeySet").GetString());
        Assert.DoesNotContain("{worker-client-key.value}", authServer.GetRawText());
        Assert.False(resources.GetProperty("worker-client-key-jwks").GetProperty("inputs").GetProperty("value").TryGetProperty("secret", out _));

        // As many replicas as the AppHost runs.
        Assert.True(resources.GetProperty("authserver").GetProperty("replicas").GetInt32() >= 2);
        Assert.True(resources.GetProperty("webclient").GetProperty("replicas").GetInt32() >= 2);
    }

    private static void AssertSecretParameter(JsonElement resources, string name)
    {
        var parameter = resources.GetProperty(name);
        Assert.Equal("parameter.v0", parameter.GetProperty("type").GetString());
        Assert.True(parameter.GetProperty("inputs").GetProperty("value").GetProperty("secret").GetBoolean(), $"{name} is not secret");
    }

    /// <summary>
    /// Publishes the manifest into a temporary folder, with a known value configured for every
    /// secret (and the developer's own persisted ones, if any): none of them may appear in it.
    /// </summary>
    private static async Task<(JsonElement Manifest, IReadOnlyCollection<string> Planted)> PublishAsync(Dictionary<string, string> environment)
    {
        // A temporary folder beside the projects (as a manifest is usually kept with the AppHost), so
        // that the relative project paths say nothing about where the repository lives.
        var folder = Directory.CreateDirectory(Path.Combine(RepositoryPaths.AppHost, "obj", $"manifest-{Guid.NewGuid():N}"));
        try
        {
            var planted = new List<string>();
            foreach (var name in SecretParameters.Append("postgres-password"))
            {
                var value = name == "worker-client-key" ? ClientKey.Create() : Marker();
                environment[$"Parameters__{name}"] = value;
                planted.Add(name == "worker-client-key" ? value.Split('\n')[1] : value);
            }
            planted.AddRange(environment.Where(e => e.Key.StartsWith("ConnectionStrings__", StringComparison.Ordinal))
                .Select(e => e.Value.Split("Password=")[1]));
            planted.AddRange(DevelopersPersistedSecrets());

            var output = Path.Combine(folder.FullName, "manifest.json");
            var info = new ProcessStartInfo("dotnet",
                ["run", "--project", RepositoryPaths.AppHost, "--no-build", "--no-launch-profile", "--",
                 "--publisher", "manifest", "--output-path", output])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var (key, value) in environment)
                info.Environment[key] = value;
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync(Ct);
            var stderr = process.StandardError.ReadToEndAsync(Ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0 && File.Exists(output), $"exit {process.ExitCode}: {await stdout} {await stderr}");

            using var document = JsonDocument.Parse(await File.ReadAllTextAsync(output, Ct));
            return (document.RootElement.Clone(), planted);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Values a developer's earlier `dotnet run` kept in the AppHost's user secrets.</summary>
    private static IEnumerable<string> DevelopersPersistedSecrets()
    {
        var file = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".microsoft", "usersecrets", "oauthdemo-apphost-6f1c2a", "secrets.json");
        if (!File.Exists(file))
            return [];
        using var secrets = JsonDocument.Parse(File.ReadAllText(file));
        return secrets.RootElement.EnumerateObject()
            .Where(p => p.Name.StartsWith("Parameters:", StringComparison.Ordinal) && p.Value.GetString() is { Length: >= 12 })
            .Select(p => p.Value.GetString()!.Split('\n')[0] is var first && first.StartsWith("-----", StringComparison.Ordinal) ? p.Value.GetString()!.Split('\n')[1] : p.Value.GetString()!)
            .ToList();
    }

    private static string Marker() => $"planted-{Guid.NewGuid():N}";

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    [GeneratedRegex("secret|password|certificate|clientkey|jsonwebkeyset", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"^\{[a-z0-9-]+\.value\}$")]
    private static partial Regex ParameterReference();
}
