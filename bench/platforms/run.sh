#!/usr/bin/env bash
# The real-platform benchmark (issue 15): how long a typical small business takes to read from Xero and QuickBooks
# Online through their connectors, against the simulators. The simulator's user_big holds 5,000 invoices and bills,
# 1,000 contacts and 200 accounts; a journey links it over HTTP (the Link page, the simulator's sign-in and consent
# pages); the clock runs from the callback's answer until every data type is Complete in dataStatus. Each platform runs
# twice on a fresh SQLite database: with the simulator enforcing the vendor's real limits (Xero: 60 calls a minute,
# 5 at once per organisation; QuickBooks: 500 a minute, 10 at once per company), and with them off (records/s).
# Writes a "Real platforms" section at the end of docs/benchmarks.md.
#
#   bench/platforms/run.sh                 # ~3 minutes on 2 cores
#   PB_PLATFORMS=gbol PB_DOC=- bench/platforms/run.sh
#
# Settings: PB_PLATFORMS ("gbol qhyg"), PB_DOC (docs/benchmarks.md; "-" = do not write), PB_PAGE_SIZE (the sync worker's
# page size, 1000). Everything it starts is stopped on exit; all traffic stays on localhost.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PLATFORMS=${PB_PLATFORMS:-"gbol qhyg"}
DOC=${PB_DOC:-"$ROOT/docs/benchmarks.md"}
PAGE_SIZE=${PB_PAGE_SIZE:-1000}
API_KEY="pbbench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
WORK=$(mktemp -d /tmp/consentry-platform-bench.XXXXXX)
RESULTS="$ROOT/bench/platforms/out/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$RESULTS"
APP_PID=""

log() { printf '[platforms %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
stop_app() {
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    kill -TERM "$APP_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$APP_PID" 2>/dev/null || true
  fi
  APP_PID=""
}
cleanup() { local s=$?; stop_app; rm -rf "$WORK"; exit $s; }
trap cleanup EXIT
trap 'exit 130' INT TERM
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

COMMIT=$(git -C "$ROOT" rev-parse --short HEAD)
log "building Consentry $COMMIT (Release, a clean snapshot of HEAD) and the driver"
mkdir -p "$WORK/src"
git -C "$ROOT" archive --format=tar "$COMMIT" | tar -x -C "$WORK/src"
timeout 600 dotnet publish "$WORK/src/src/Consentry" -c Release -o "$WORK/app" -nologo -v q -clp:ErrorsOnly >"$RESULTS/build.log" 2>&1 \
  || { tail -30 "$RESULTS/build.log" >&2; die "build failed"; }
timeout 300 dotnet build "$WORK/src/bench/journeys/Driver" -c Release -o "$WORK/driver" -nologo -v q -clp:ErrorsOnly >"$RESULTS/driver-build.log" 2>&1 \
  || { tail -30 "$RESULTS/driver-build.log" >&2; die "driver build failed"; }

start_app() {
  local name=$1 limits=$2
  APP_PORT=$(free_port)
  rm -rf "$WORK/data-$name"
  (cd "$WORK/app" && exec env ASPNETCORE_ENVIRONMENT=Production Consentry__DataProtection__AllowUnprotectedKeys=true Logging__LogLevel__Default=Warning \
    Consentry__PublicBaseUrl="http://localhost:$APP_PORT" Consentry__Bootstrap__ApiKey="$API_KEY" \
    Consentry__DataDirectory="$WORK/data-$name" Consentry__Sync__PageSize="$PAGE_SIZE" \
    Consentry__RateLimits__Enabled=false Consentry__Platforms__UseSimulators=true \
    Consentry__Simulators__Xero__EnforceLimits="$limits" Consentry__Simulators__QuickBooks__EnforceLimits="$limits" \
    ./Consentry --urls "http://localhost:$APP_PORT" >>"$RESULTS/$name-server.log" 2>&1) &
  APP_PID=$!
  for _ in $(seq 1 240); do
    kill -0 "$APP_PID" 2>/dev/null || { tail -30 "$RESULTS/$name-server.log" >&2; die "the server exited at start"; }
    curl -fsS --max-time 2 -o /dev/null "http://localhost:$APP_PORT/healthz" 2>/dev/null && return 0
    sleep 0.25
  done
  die "the server did not answer /healthz within 60 s"
}

for platform in $PLATFORMS; do
  for limits in true false; do
    name="$platform-limits-$limits"
    log "$name"
    start_app "$name" "$limits"
    # One warm-up journey on a small user lets the JIT and the pools settle (not measured).
    "$WORK/driver/Driver" platform --base "http://localhost:$APP_PORT" --key "$API_KEY" --platform "$platform" --user user_good >"$RESULTS/$name-warmup.json"
    "$WORK/driver/Driver" platform --base "http://localhost:$APP_PORT" --key "$API_KEY" --platform "$platform" --user user_big --out "$RESULTS/$name.json" >/dev/null
    log "$name: $(tr -d '\n ' <"$RESULTS/$name.json" | cut -c1-200)"
    stop_app
  done
done

python3 - "$RESULTS" "$DOC" "$COMMIT" "$PLATFORMS" "$PAGE_SIZE" <<'PY'
import json, os, platform as pf, sys, datetime, re
results, doc, commit, platforms, page = sys.argv[1:6]
names = {"gbol": "Xero", "qhyg": "QuickBooks Online"}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
rows = []
for p in platforms.split():
    on = json.load(open(os.path.join(results, f"{p}-limits-true.json")))
    off = json.load(open(os.path.join(results, f"{p}-limits-false.json")))
    rows.append(f"| {names.get(p, p)} | {on['records']:,} | {', '.join(on['dataTypes'])} | **{on['secondsToComplete']:.1f} s** "
                f"({'✓' if on['secondsToComplete'] <= 60 else '✗'} ≤ 60 s) | {off['secondsToComplete']:.2f} s | **{off['recordsPerSecond']:,.0f}** "
                f"({'✓' if off['recordsPerSecond'] >= 20000 else '✗'} ≥ 20,000/s) |")
section = f"""<!-- bench/platforms/run.sh: start -->
## Real platforms (Xero, QuickBooks Online)

`bench/platforms/run.sh`: a typical small business (the simulator's `user_big`: 5,000 invoices and bills, 1,000
contacts, 200 accounts, and payments) links through the Link page and the simulator's own sign-in pages over HTTP; the
clock runs from the callback's answer (the first reads are queued in that transaction) until every data type is
`Complete` in `dataStatus`. Each platform runs on a fresh SQLite database twice: with the simulator enforcing the
vendor's published limits (Xero: 60 calls a minute and 5 at once per organisation; QuickBooks Online: 500 a minute and
10 at once per company), and with them off. The connectors talk real HTTP to the simulators (served by the same
process, so their CPU counts against us). **Aim: every type `Complete` within 60 s with the limits on; at least
20,000 records/s with them off.**

- **Date:** {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC
- **Commit:** `{commit}` (clean snapshot, Release build)
- **Machine:** {os.cpu_count()} vCPU ({cpu}), {pf.system()} {pf.release()}
- **Settings:** `Consentry__Sync__PageSize={page}`, `Consentry__Platforms__UseSimulators=true`; one warm-up journey first (not counted)

| platform | records | data types | limits on: time to Complete | limits off: time | limits off: records/s |
|---|---:|---|---:|---:|---:|
""" + "\n".join(rows) + "\n<!-- bench/platforms/run.sh: end -->\n"
if doc != "-":
    text = open(doc).read()
    text = re.sub(r"<!-- bench/platforms/run.sh: start -->.*?<!-- bench/platforms/run.sh: end -->\n", "", text, flags=re.S)
    open(doc, "w").write(text.rstrip("\n") + "\n\n" + section)
print(section)
PY
