#!/usr/bin/env bash
# The platforms benchmark (issue 15): a typical small business on Xero (the simulator's user_big: 200 accounts, 1,000
# contacts, 4,000 invoices, 1,000 bills, 2,000 payments) links through Link over HTTP; the clock runs from the OAuth
# callback's answer until every Xero data type is Complete in dataStatus. Run twice on SQLite, each on a fresh
# database: with the simulator enforcing Xero's limits (60 calls/minute, 5 at once, 5,000/day per organisation), and
# with them off (records/s, after one warm-up link). Writes a "Platforms" section at the end of docs/benchmarks.md.
#
#   bench/platforms/xero.sh            # ~1 minute after the build
#   PB_DOC=- bench/platforms/xero.sh   # do not write the doc
#
# Settings: PB_PAGE_SIZE (500), PB_DOC (docs/benchmarks.md), PB_APP (a Release publish to use instead of building). Everything it starts is stopped on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DOC=${PB_DOC:-"$ROOT/docs/benchmarks.md"}
PAGE_SIZE=${PB_PAGE_SIZE:-500}
API_KEY="pbbench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
WORK=$(mktemp -d /tmp/consentry-platforms-bench.XXXXXX)
APP_PID=""

log() { printf '[platforms %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
stop_app() { [[ -n "$APP_PID" ]] && kill -TERM "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true; APP_PID=""; }
cleanup() { local s=$?; stop_app; rm -rf "$WORK"; exit $s; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

COMMIT=$(git -C "$ROOT" rev-parse --short HEAD)
if [[ -n "${PB_APP:-}" ]]; then
  ln -s "$PB_APP" "$WORK/app"   # a Release publish made beforehand (of the same commit)
else
  log "building Consentry $COMMIT (Release, a clean snapshot of HEAD)"
  mkdir -p "$WORK/src"
  git -C "$ROOT" archive --format=tar "$COMMIT" | tar -x -C "$WORK/src"
  timeout 900 dotnet publish "$WORK/src/src/Consentry" -c Release -o "$WORK/app" -nologo -v q -clp:ErrorsOnly >"$WORK/build.log" 2>&1 \
    || { tail -30 "$WORK/build.log" >&2; exit 1; }
fi

start_app() {
  local limits=$1
  PORT=$(free_port)
  (cd "$WORK/app" && exec env ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning \
    Consentry__PublicBaseUrl="http://localhost:$PORT" Consentry__Bootstrap__ApiKey="$API_KEY" \
    Consentry__DataDirectory="$WORK/data-$limits" Consentry__Sync__PageSize="$PAGE_SIZE" Consentry__Sync__PollMilliseconds=50 Consentry__RateLimits__Enabled=false \
    Consentry__Platforms__UseSimulators=true Consentry__Simulators__Xero__EnforceLimits="$limits" \
    ./Consentry --urls "http://localhost:$PORT" >>"$WORK/server-$limits.log" 2>&1) &
  APP_PID=$!
  for _ in $(seq 1 240); do
    curl -fsS --max-time 2 -o /dev/null "http://localhost:$PORT/healthz" 2>/dev/null && return 0
    kill -0 "$APP_PID" 2>/dev/null || { tail -30 "$WORK/server-$limits.log" >&2; exit 1; }
    sleep 0.25
  done
  log "the server did not start"; exit 1
}

LINK="$ROOT/bench/platforms/xero_link_read.py"
start_app true
log "limits on: linking user_big"
ON=$(python3 "$LINK" "http://localhost:$PORT" "$API_KEY" "user_big+limits")
log "limits on: $ON"
stop_app
start_app false
python3 "$LINK" "http://localhost:$PORT" "$API_KEY" "user_big+warmup" >/dev/null
OFF=$(python3 "$LINK" "http://localhost:$PORT" "$API_KEY" "user_big+nolimits")
log "limits off: $OFF"
stop_app

[[ "$DOC" == "-" ]] && exit 0
python3 - "$DOC" "$COMMIT" "$PAGE_SIZE" "$ON" "$OFF" <<'PY'
import json, os, platform, sys, datetime, re
doc, commit, page, on, off = sys.argv[1:6]
on, off = json.loads(on), json.loads(off)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
ok_on, ok_off = on["seconds"] <= 60, off["recordsPerSecond"] >= 20000
section = f"""<!-- bench/platforms/xero.sh: start -->
## Platforms (Xero)

`bench/platforms/xero.sh`: a typical small business on Xero (the simulator's `user_big`) links through Link over HTTP;
the clock runs from the OAuth callback's answer until all seven Xero data types (company, chartOfAccounts, customers,
suppliers, invoices, bills, payments) are `Complete`. SQLite, a fresh database each run, pages of {page} (Xero's
`pageSize`), the connector keeping at most 5 calls in flight per organisation.

- **Date:** {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC
- **Commit:** `{commit}` (clean snapshot, Release build)
- **Machine:** {os.cpu_count()} vCPU ({cpu}), Linux {platform.release()}; load average {open("/proc/loadavg").read().split()[0]} when written (figures from a busy machine are not throughput)

| simulator limits | records | time to Complete | records/s | aim |
|---|---:|---:|---:|---|
| on (60/minute, 5 at once, 5,000/day) | {on['records']:,} | **{on['seconds']:.2f} s** | {on['recordsPerSecond']:,} | {'PASS' if ok_on else 'FAIL'} (≤ 60 s) |
| off (after one warm-up link) | {off['records']:,} | {off['seconds']:.2f} s | **{off['recordsPerSecond']:,}** | {'PASS' if ok_off else 'FAIL'} (≥ 20,000/s) |

Records per type: {', '.join(f"{k} {v:,}" for k, v in on['counts'].items())}.
<!-- bench/platforms/xero.sh: end -->
"""
text = open(doc).read()
text = re.sub(r"<!-- bench/platforms/xero.sh: start -->.*?<!-- bench/platforms/xero.sh: end -->\n?", "", text, flags=re.S).rstrip("\n") + "\n\n" + section
open(doc, "w").write(text)
PY
log "written to $DOC"
