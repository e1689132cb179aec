#!/usr/bin/env bash
# Measures wall time from `dotnet run --project AppHost --no-build` to every service answering
# /health with "Healthy" (http profile, local PostgreSQL with an existing data folder).
# Usage: bench/startup-time.sh [runs]   (build first: dotnet build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
ports=(5100 5200 5300 5400)

for run in $(seq 1 "$runs"); do
    start=$(date +%s.%N)
    dotnet run --project AppHost --no-build > /tmp/oauthdemo-startup.log 2>&1 &
    pid=$!
    for attempt in $(seq 1 600); do
        healthy=0
        for port in "${ports[@]}"; do
            curl -sf -m 1 "http://localhost:$port/health" | grep -q '"status":"Healthy"' && healthy=$((healthy + 1)) || true
        done
        [ "$healthy" -eq "${#ports[@]}" ] && break
        sleep 0.1
    done
    end=$(date +%s.%N)
    awk -v r="$run" -v s="$start" -v e="$end" 'BEGIN { printf "run %d: all healthy after %.1f s\n", r, e - s }'
    kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
    pkill -TERM -f "bin/Debug/net10.0/AppHost" 2>/dev/null || true
    sleep 15 # let DCP stop the children before the next run
done
