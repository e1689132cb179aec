namespace OAuthDemo.AppHost.Postgres;

/// <summary>
/// PostgreSQL writes every log line to stderr, and the dashboard shows stderr in red: a healthy
/// start ("database system is ready to accept connections") looked like a failure. The server is
/// started through bash, which passes LOG/INFO/NOTICE lines to stdout and keeps WARNING, ERROR,
/// FATAL and PANIC lines (with their DETAIL/HINT/STATEMENT lines) on stderr, so real errors stay red.
/// </summary>
internal static class PostgresLogRouting
{
    public const string Shell = "/bin/bash";

    // "exec" keeps the server's process id, so DCP's stop signal reaches PostgreSQL itself; the
    // reading loop ends when the server closes its stderr. A line without a severity (a DETAIL, a
    // statement's next line) goes where the line before it went.
    private const string Script = """
        exec "$@" 2> >(
          to=out
          while IFS= read -r line; do
            case "$line" in
              *" WARNING:  "*|*" ERROR:  "*|*" FATAL:  "*|*" PANIC:  "*) to=err ;;
              *" LOG:  "*|*" INFO:  "*|*" NOTICE:  "*|*" DEBUG"[1-5]":  "*) to=out ;;
            esac
            if [ "$to" = err ]; then printf '%s\n' "$line" >&2; else printf '%s\n' "$line"; fi
          done
        )
        """;

    /// <summary>The arguments that make <see cref="Shell"/> run <paramref name="command"/> with its log routed.</summary>
    public static string[] Arguments(params string[] command) => ["-c", Script, "postgres", .. command];
}
