#!/usr/bin/env bash
# Starts Consentry (already built) on a free loopback port with a fresh SQLite database, runs the SDK tests against
# it, stops it. Writes TAP results to $1 (for test.sh's totals).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tap="${1:-$here/results.tap}"

cd "$here"
npm ci --no-audit --no-fund --loglevel=error >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
data=$(mktemp -d)
key="sdk-compat-key-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
Consentry__DataDirectory="$data" Consentry__Bootstrap__ApiKey="$key" Consentry__Webhooks__AllowPrivateNetworks=true Consentry__Webhooks__PollMilliseconds=100 Logging__LogLevel__Default=Warning \
  dotnet run --project "$root/src/Consentry" --no-build -- --urls "http://127.0.0.1:$port" >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT

for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  kill -0 $server 2>/dev/null || { cat "$data/server.log"; exit 1; }
  sleep 0.5
done

CONSENTRY_URL="http://127.0.0.1:$port" CONSENTRY_API_KEY="$key" \
  node --test --test-reporter=spec --test-reporter-destination=stdout --test-reporter=tap --test-reporter-destination="$tap" platform.test.js webhooks.test.js banking.test.js accounting.test.js
