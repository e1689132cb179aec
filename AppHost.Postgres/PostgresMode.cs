namespace OAuthDemo.AppHost.Postgres;

/// <summary>How the AppHost provides PostgreSQL (setting <c>Postgres:Mode</c>).</summary>
public enum PostgresMode
{
    Auto,
    Container,
    Local,
    External,
}

/// <summary>The mode that will run, and why, in words fit for the dashboard and the console.</summary>
public sealed record PostgresModeDecision(PostgresMode Mode, string Reason, string? BinDirectory = null)
{
    /// <summary>For example "local (auto: no container runtime answered; …)".</summary>
    public string Description => $"{Mode.ToString().ToLowerInvariant()} ({Reason})";
}

/// <summary>Raised when no PostgreSQL mode can serve; the message says what to install or set.</summary>
public sealed class PostgresUnavailableException(string message) : Exception(message);

/// <summary>
/// Picks the PostgreSQL mode. Pure: the probes are passed in and are only called when the
/// decision needs them, so an explicit <c>external</c> never shells out to a container runtime.
/// </summary>
public static class PostgresModeSelector
{
    public const string ModeSetting = "Postgres:Mode";
    public const string ConnectionStringSetting = "ConnectionStrings:postgres";
    public const string BinDirectorySetting = "Postgres:BinDirectory";
    public const string DataDirectorySetting = "Postgres:DataDirectory";

    public static PostgresModeDecision Decide(
        string? configuredMode,
        bool hasConnectionString,
        Func<bool> containerRuntimeIsHealthy,
        Func<string?> findBinDirectory)
    {
        var mode = Parse(configuredMode);

        switch (mode)
        {
            case PostgresMode.External:
                return hasConnectionString
                    ? new(PostgresMode.External, $"{ModeSetting}=external")
                    : throw new PostgresUnavailableException(
                        $"{ModeSetting}=external needs a connection string: set {ConnectionStringSetting} " +
                        "(for example ConnectionStrings__postgres=\"Host=localhost;Port=5432;Username=postgres;Password=...\").");

            case PostgresMode.Container:
                return containerRuntimeIsHealthy()
                    ? new(PostgresMode.Container, $"{ModeSetting}=container")
                    : throw new PostgresUnavailableException(
                        $"{ModeSetting}=container, but no container runtime answered (`docker info` / `podman info` failed). " +
                        "Start Docker or Podman, or choose another mode: Postgres__Mode=local (PostgreSQL server binaries) " +
                        $"or Postgres__Mode=external with {ConnectionStringSetting}.");

            case PostgresMode.Local:
                return findBinDirectory() is { } localBin
                    ? new(PostgresMode.Local, $"{ModeSetting}=local", localBin)
                    : throw new PostgresUnavailableException(
                        $"{ModeSetting}=local, but no PostgreSQL server binaries (initdb, postgres) were found with " +
                        "`pg_config --bindir` or under /usr/lib/postgresql/*/bin. Install them (Debian/Ubuntu: " +
                        $"apt-get install postgresql) or point {BinDirectorySetting} at the folder that holds them.");
        }

        if (hasConnectionString)
            return new(PostgresMode.External, $"auto: {ConnectionStringSetting} is set");

        if (containerRuntimeIsHealthy())
            return new(PostgresMode.Container, "auto: a container runtime answered");

        if (findBinDirectory() is { } bin)
            return new(PostgresMode.Local, $"auto: no container runtime answered; PostgreSQL binaries found in {bin}", bin);

        throw new PostgresUnavailableException(
            "No way to run PostgreSQL was found (Postgres:Mode=auto). Do one of: start Docker or Podman; install the " +
            "PostgreSQL server binaries (Debian/Ubuntu: apt-get install postgresql, or set Postgres:BinDirectory); " +
            $"or set {ConnectionStringSetting} to an existing server.");
    }

    public static PostgresMode Parse(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? PostgresMode.Auto
            : Enum.TryParse<PostgresMode>(value, ignoreCase: true, out var mode) && Enum.IsDefined(mode)
                ? mode
                : throw new PostgresUnavailableException(
                    $"{ModeSetting} is '{value}'; use one of: auto, container, local, external.");
}
