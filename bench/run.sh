#!/usr/bin/env bash
# OAuthDemo's benchmark, one command: installs what a fresh machine lacks, builds the services in
# Release (and the AppHost for the cold-start figure), then runs bench.mjs, which starts a
# throwaway PostgreSQL, the AuthServer and ResourceApi standalone, and oidc-provider beside them.
# Options go to bench.mjs: --rounds N --duration S --connections 1,10,50 --only cc,api,refresh,login,startup
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v node >/dev/null || missing+=(nodejs npm)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || command -v pg_config >/dev/null || missing+=(postgresql)
[ -x /usr/bin/setpriv ] || missing+=(util-linux)
if ((${#missing[@]})); then
    echo "[bench] installing: ${missing[*]}"
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

echo "[bench] npm ci (autocannon, oidc-provider)"
npm ci --no-audit --no-fund --loglevel=error

echo "[bench] dotnet build (Release services, AppHost)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build ../AuthServer -c Release -nologo -v q
dotnet build ../ResourceApi -c Release -nologo -v q
dotnet build ../AppHost -nologo -v q

exec node bench.mjs "$@"
