using System.Diagnostics;
using System.Text;

namespace OAuthDemo.IntegrationTests.Infrastructure;

/// <summary>A service's build output started as a process of its own, outside the AppHost.</summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>A connection string nothing listens at: a start must stop before it tries to connect.</summary>
    public static string UnreachableDatabase(string database) => $"Host=127.0.0.1;Port=1;Database={database};Username=nobody;Timeout=1";

    /// <summary>The AuthServer (referenced by this project, so built beside the tests).</summary>
    public static ServiceProcess AuthServer(IReadOnlyDictionary<string, string> environment) =>
        Start(Path.Combine(AppContext.BaseDirectory, "AuthServer.dll"), environment);

    /// <summary>The WebClient, from its own build output (the AppHost's reference builds it).</summary>
    public static ServiceProcess WebClient(IReadOnlyDictionary<string, string> environment)
    {
        // bin/{Configuration}/{TargetFramework}/ of the tests, mirrored under the WebClient project.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var project = Path.GetDirectoryName(new Projects.WebClient().ProjectPath)!;
        return Start(Path.Combine(project, "bin", output.Parent!.Name, output.Name, "WebClient.dll"), environment);
    }

    /// <summary>Development, a free port; <paramref name="environment"/> on top.</summary>
    private static ServiceProcess Start(string assembly, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet", [assembly])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        foreach (var (key, value) in environment)
            info.Environment[key] = value;
        return new ServiceProcess(Process.Start(info)!);
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public async Task<int> WaitForExitAsync(TimeSpan limit, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(limit);
        await _process.WaitForExitAsync(timeout.Token);
        _process.WaitForExit(); // and the output read to its end
        return _process.ExitCode;
    }

    /// <summary>Waits until the process has written <paramref name="text"/>; throws with its output if it exits or time runs out.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan limit, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"The service never wrote '{text}' (exited: {_process.HasExited}):\n{Output}");
            await Task.Delay(100, ct);
        }
    }

    /// <summary>Waits until the service listens; the address it chose (it was given port 0).</summary>
    public async Task<Uri> ListeningAddressAsync(TimeSpan limit, CancellationToken ct)
    {
        await WaitForOutputAsync("Now listening on", limit, ct);
        return new Uri(System.Text.RegularExpressions.Regex.Match(Output, @"Now listening on: (http://\S+)").Groups[1].Value);
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
