#!/usr/bin/env bash
# Runs every test suite of Consentry and prints the totals as one line: "N passed, N failed, N skipped".
# Needs only what a fresh machine has plus what this script installs itself: the .NET SDK builds and runs the
# tests; the PostgreSQL tests start their own server from the PostgreSQL binaries (see PostgresServer.cs).
set -uo pipefail
cd "$(dirname "$0")"

results=".tmp/test-results"
rm -rf "$results"
mkdir -p "$results"

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && [ -z "${CONSENTRY_TEST_POSTGRES:-}" ]; then
  echo "PostgreSQL server binaries not found: installing them (Debian package postgresql)." >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) || true
fi

# The browser tests (tests/Consentry.Browser.Tests) drive Debian's chromium through Playwright's bundled driver;
# no browser is ever downloaded.
if ! command -v chromium >/dev/null; then
  echo "chromium not found: installing it (Debian package chromium) for the browser tests." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# The cluster tests (tests/Consentry.Api.Tests/Cluster) put Debian's nginx in front of several Consentry processes.
if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  echo "nginx not found: installing it (Debian package nginx) for the cluster tests." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi

# The PostgreSQL servers the test hosts start stop when their process exits; a host killed by the test runner cannot,
# so stop whatever is left of them (only our own temporary clusters) when this script ends.
stop_test_postgres() {
  for data in /tmp/consentry-pg-*/data; do
    [ -f "$data/postmaster.pid" ] || continue
    pg_ctl=$(ls /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort | tail -1)
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
    else "$pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true; fi
    rm -rf "$(dirname "$data")"
  done
}
# Likewise the cluster tests' nginx (its pid file is in its own temporary folder).
stop_test_nginx() {
  for pidfile in /tmp/consentry-nginx-*/nginx.pid; do
    [ -f "$pidfile" ] && kill -QUIT "$(cat "$pidfile")" 2>/dev/null || true
  done
}
trap 'stop_test_postgres; stop_test_nginx' EXIT

status=0
assets_failed=0
# The portal's chart library is installed from npm (assets/portal) and served from wwwroot/portal/lib: the committed
# copy must be byte-for-byte the locked package's file.
if ! (cd assets/portal && npm ci --no-audit --no-fund --silent && npm run --silent check); then
  echo "Portal assets: src/Consentry/wwwroot/portal/lib differs from the npm package (cd assets/portal && npm ci && npm run copy)." >&2
  assets_failed=1
fi
dotnet build Consentry.slnx -nologo -v q -clp:ErrorsOnly || status=$?
if [ "$status" -eq 0 ]; then
  dotnet test Consentry.slnx --no-build -nologo --logger "trx" --results-directory "$results" -- RunConfiguration.TreatNoTestsAsError=true || status=$?
fi

# Codat's official TypeScript SDK against a running Consentry (npm packages are installed by the script itself).
if [ "$status" -eq 0 ] || [ -f src/Consentry/bin/Debug/net10.0/Consentry.dll ]; then
  tests/sdk-compat/run.sh "$PWD/$results/sdk-compat.tap" || status=$?
fi

# The Link SDK: type check, committed build up to date, unit tests (npm packages are installed by the script itself).
sdk/link/run-tests.sh "$PWD/$results/sdk-link.tap" || status=$?

[ "$assets_failed" -eq 0 ] || status=1

# Sum the counters of every suite (TRX reports from dotnet test, TAP from node's test runner) into one line.
python3 - "$results" "$status" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(f"{sys.argv[1]}/**/*.trx", recursive=True):
    counters = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    skipped += int(counters.get("notExecuted", 0)) + int(counters.get("inconclusive", 0))
import re
for path in glob.glob(f"{sys.argv[1]}/*.tap"):
    text = open(path).read()
    for name, value in re.findall(r"^# (pass|fail|skipped|todo|cancelled) (\d+)$", text, re.M):
        if name == "pass": passed += int(value)
        elif name in ("fail", "cancelled"): failed += int(value)
        else: skipped += int(value)
if sys.argv[2] != "0" and failed == 0:
    failed = 1  # the build or a test host failed before reporting
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit "$status"
