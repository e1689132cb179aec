#!/usr/bin/env bash
# Regenerates the screenshots in this folder: starts the system on a new database (a temporary
# PostgreSQL data folder), walks the README's tour in headless Chromium (tools/screenshots.cs,
# Playwright for .NET) and stops the system again.
# Needs what `dotnet test` needs: the PostgreSQL server binaries and /usr/bin/chromium.
set -euo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d)
chmod 755 "$work" # local PostgreSQL runs as the postgres user when this runs as root
apphost=
cleanup() {
    if [[ -n "$apphost" ]]; then kill -TERM "$apphost" 2>/dev/null || true; wait "$apphost" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

dotnet build AppHost -v q -nologo
echo "Starting the AppHost (log: $work/apphost.log)"
Postgres__DataDirectory="$work/postgres" dotnet run --project AppHost --no-build >"$work/apphost.log" 2>&1 &
apphost=$!

for _ in $(seq 240); do
    grep -q "OAuthDemo is ready" "$work/apphost.log" && break
    if ! kill -0 "$apphost" 2>/dev/null; then cat "$work/apphost.log"; exit 1; fi
    sleep 1
done
grep -q "OAuthDemo is ready" "$work/apphost.log" || { tail -50 "$work/apphost.log"; echo "The AppHost was not ready within 4 minutes."; exit 1; }

# The password the AppHost generated for alice (kept in its user secrets since the first run).
ALICE_PASSWORD=$(dotnet user-secrets list --project AppHost | sed -n 's/^Parameters:alice-password = //p')
export ALICE_PASSWORD
# The dashboard's login link, with the one-time token the AppHost printed.
DASHBOARD_LOGIN_URL=$(grep -o 'http://localhost:15888/login?t=[0-9a-f]*' "$work/apphost.log" | head -1)
export DASHBOARD_LOGIN_URL
dotnet run tools/screenshots.cs -- docs/images
