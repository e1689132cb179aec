using System.ComponentModel;
using System.Diagnostics;

namespace OAuthDemo.AppHost.Postgres;

internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public bool Succeeded => ExitCode == 0;
}

/// <summary>Runs a short-lived command to completion with a time limit.</summary>
internal static class ProcessRunner
{
    /// <summary>The command's result, or null when it is not installed or did not finish in time.</summary>
    public static async Task<ProcessResult?> RunAsync(string fileName, IEnumerable<string> args, TimeSpan timeout, CancellationToken ct = default)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);

        Process? process;
        try
        {
            process = Process.Start(info);
        }
        catch (Win32Exception)
        {
            return null; // not installed
        }
        if (process is null)
            return null;

        using (process)
        using (var limit = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            limit.CancelAfter(timeout);
            var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
            var stderr = process.StandardError.ReadToEndAsync(limit.Token);
            try
            {
                await process.WaitForExitAsync(limit.Token);
                return new ProcessResult(process.ExitCode, await stdout, await stderr);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
        }
    }

    /// <summary>Runs a command that must succeed; throws with its output otherwise.</summary>
    public static async Task RunCheckedAsync(string fileName, string[] args, TimeSpan timeout, CancellationToken ct)
    {
        var result = await RunAsync(fileName, args, timeout, ct)
            ?? throw new InvalidOperationException($"{fileName} is not installed or did not finish within {timeout.TotalSeconds:0} s.");
        if (!result.Succeeded)
            throw new InvalidOperationException(
                $"{Path.GetFileName(fileName)} {string.Join(' ', args)} exited with {result.ExitCode}: {result.StandardError}{result.StandardOutput}");
    }
}
