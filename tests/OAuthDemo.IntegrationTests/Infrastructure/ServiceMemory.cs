using System.Globalization;

namespace OAuthDemo.IntegrationTests.Infrastructure;

/// <summary>How much memory the running services hold, read from Linux's /proc.</summary>
public static class ServiceMemory
{
    /// <summary>
    /// The resident memory (RSS) of each running instance of <paramref name="resource"/>, by instance
    /// id. Aspire starts a project with <c>dotnet run</c>; the service is that process's child.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, long>> ResidentBytesAsync(this AppHostFixture fixture, string resource, int instances) =>
        (await fixture.App.WaitForReplicasAsync(resource, instances, Ct)).ToDictionary(r => r.Id, r => ResidentBytes(ServiceProcessOf(r.ProcessId)));

    private static int ServiceProcessOf(int dotnetRun) =>
        Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ParentOf(pid) == dotnetRun)
            .DefaultIfEmpty(dotnetRun).First();

    private static int ParentOf(int pid)
    {
        try
        {
            // /proc/<pid>/stat: "pid (name) state ppid ...": the name may hold spaces, so count from its ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static long ResidentBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
