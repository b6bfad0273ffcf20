#!/usr/bin/env bash
# Start-up and idle memory (issue 18, item 5 measured; item 6): for each database, a fresh server process on an
# empty database, and
#   - first answer: seconds from process launch to the first 200 of GET /healthz, and the CPU seconds (user + system)
#     the process used until then, which a loaded machine inflates far less than the wall-clock figure;
#   - idle RSS: VmRSS of the process after ST_IDLE seconds of no traffic following that first answer;
#   - full speed: the first answer plus the seconds of load (wrk, 32 connections, authenticated GET /companies/{id},
#     in one-second slices) until a slice first reaches 90% of the warm rate, the median of the last 5 slices of
#     ST_LOAD seconds (the idle wait is not counted: a server warms up under traffic, not while idle);
#     full_speed_cpu_s is the process's CPU seconds at the end of that slice;
#   - the bare endpoint (GET /branding/sbac/logo-square.svg) of the same warm process, for comparison;
#   - peak RSS: VmHWM of the process after all that traffic.
# Writes bench/startup/out/results/<timestamp>/<db>.json (read by bench/all.sh); never writes docs/benchmarks.md.
#
#   bench/startup/run.sh                          # both databases, ~3 minutes
#   ST_DBS=sqlite ST_LOAD=20 bench/startup/run.sh # short
#
# Settings: ST_DBS ("sqlite postgres"), ST_IDLE (10 s), ST_LOAD (60 s), ST_PG_BIN (/usr/lib/postgresql/15/bin),
# ST_APP (a published server folder to reuse; default: publish like bench/run.sh, BENCH_SOURCE=head|worktree).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DBS=${ST_DBS:-"sqlite postgres"}
IDLE=${ST_IDLE:-10}
LOAD=${ST_LOAD:-60}
PG_BIN=${ST_PG_BIN:-/usr/lib/postgresql/15/bin}
RESULTS="$ROOT/bench/startup/out/results/$(date -u +%Y%m%dT%H%M%SZ)"
API_KEY="startup-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
AUTH="Basic $(printf %s "$API_KEY" | base64 -w0)"
WORK=$(mktemp -d /tmp/consentry-startup.XXXXXX)
chmod 755 "$WORK"
mkdir -p "$RESULTS"
APP_PID=""
PG_DATA=""

log() { printf '[startup %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

cleanup() {
  local status=$?
  if [[ -n "$APP_PID" ]]; then kill -TERM "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  if [[ -n "$PG_DATA" ]]; then runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM
command -v wrk >/dev/null || die "wrk is not installed (bench/run.sh installs it)"

APP=${ST_APP:-}
if [[ -z "$APP" ]]; then
  APP="$WORK/app"
  SRC="$ROOT"
  if [[ ${BENCH_SOURCE:-head} != worktree ]]; then
    SRC="$WORK/src"; mkdir -p "$SRC"
    git -C "$ROOT" archive --format=tar HEAD | tar -x -C "$SRC"
  fi
  log "publishing $(git -C "$ROOT" rev-parse --short HEAD) (Release)"
  dotnet publish "$SRC/src/Consentry" -c Release -o "$APP" -nologo -v q -clp:ErrorsOnly >"$RESULTS/build.log" 2>&1 \
    || { tail -20 "$RESULTS/build.log" >&2; die "build failed"; }
fi

measure() {
  local db=$1 port env=() pg_port
  port=$(free_port)
  env=(ASPNETCORE_ENVIRONMENT=Production Consentry__DataProtection__AllowUnprotectedKeys=true
       Logging__LogLevel__Default=Warning Consentry__Bootstrap__ApiKey="$API_KEY" Consentry__RateLimits__Enabled=false
       Consentry__DataDirectory="$WORK/$db-data")
  if [[ $db == postgres ]]; then
    pg_port=$(free_port); PG_DATA="$WORK/pg/data"; mkdir -p "$WORK/pg"; chown postgres: "$WORK/pg"
    runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -l "$WORK/pg/log" \
      -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $WORK/pg" start >/dev/null
    psql -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "CREATE DATABASE consentry" >/dev/null
    env+=(Consentry__Database__Provider=Postgres "ConnectionStrings__Consentry=Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=consentry")
  else
    env+=(Consentry__Database__Provider=Sqlite)
  fi
  local launched first=""
  launched=$(now)
  (cd "$APP" && exec env -u ConnectionStrings__Consentry "${env[@]}" ./Consentry --urls "http://127.0.0.1:$port" >"$RESULTS/$db.log" 2>&1) &
  APP_PID=$!
  for _ in $(seq 1 2400); do
    kill -0 "$APP_PID" 2>/dev/null || die "$db: the server exited at start"
    if curl -fsS --noproxy '*' --max-time 1 -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null; then first=$(now); break; fi
    sleep 0.025
  done
  [[ -n "$first" ]] || die "$db: no answer from /healthz within 60 s"
  local first_cpu
  first_cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$APP_PID/stat")
  sleep "$IDLE"
  local idle_rss
  idle_rss=$(awk '/^VmRSS/{print $2}' "/proc/$APP_PID/status")
  local id
  id=$(curl -fsS --noproxy '*' -H "Authorization: $AUTH" -H 'Content-Type: application/json' --data '{"name":"Startup Co"}' \
       "http://127.0.0.1:$port/companies" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  # One-second wrk slices back to back: the rate over time since launch.
  local slices="$RESULTS/$db.slices.txt" end load_start
  : >"$slices"
  load_start=$(now)
  end=$(( $(date +%s) + LOAD ))
  while (( $(date +%s) < end )); do
    local at rps cpu
    at=$(now)
    rps=$(wrk -t2 -c32 -d1s -H "Authorization: $AUTH" "http://127.0.0.1:$port/companies/$id" 2>/dev/null | awk '/^Requests\/sec/{print $2}')
    cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) / hz}' "/proc/$APP_PID/stat")
    echo "$(python3 -c "print(round($at - $load_start + 1, 2))") ${rps:-0} $cpu" >>"$slices"
  done
  local bare
  bare=$(wrk -t2 -c32 -d3s "http://127.0.0.1:$port/branding/sbac/logo-square.svg" 2>/dev/null | awk '/^Requests\/sec/{print $2}')
  local peak_rss
  peak_rss=$(awk '/^VmHWM/{print $2}' "/proc/$APP_PID/status")
  python3 - "$slices" "$RESULTS/$db.json" "$db" "$(python3 -c "print($first - $launched)")" "$idle_rss" "${bare:-0}" "$first_cpu" "$peak_rss" <<'PY'
import json, statistics, sys
slices_path, out, db, first, idle_rss, bare, first_cpu, peak_rss = sys.argv[1:9]
slices = [tuple(map(float, l.split())) for l in open(slices_path) if l.strip()]
warm = statistics.median(s[1] for s in slices[-5:]) if slices else 0.0
hit = next((s for s in slices if s[1] >= 0.9 * warm), None) if warm else None
full = round(float(first) + hit[0], 1) if hit is not None else None
# The process's CPU seconds (user + system) at the end of that slice: what the ramp cost, which a loaded machine
# inflates far less than the wall-clock figure.
full_cpu = round(hit[2], 1) if hit is not None else None
r = {"database": db, "first_200_s": round(float(first), 2), "first_200_cpu_s": round(float(first_cpu), 2), "full_speed_s": full, "full_speed_cpu_s": full_cpu, "warm_rps": round(warm, 1),
     "idle_rss_mib": round(int(idle_rss) / 1024), "peak_rss_mib": round(int(peak_rss) / 1024), "bare_rps": float(bare), "slices": slices}
json.dump(r, open(out, "w"), indent=2)
print(f"{db}: first 200 after {r['first_200_s']} s ({r['first_200_cpu_s']} s CPU), 90% of warm ({warm:,.0f} req/s) after {full} s ({full_cpu} s CPU), idle RSS {r['idle_rss_mib']} MiB, peak {r['peak_rss_mib']} MiB, bare {float(bare):,.0f} req/s ({warm / float(bare) if float(bare) else 0:.3f})", file=sys.stderr)
PY
  kill -TERM "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; APP_PID=""
  if [[ $db == postgres ]]; then runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null; PG_DATA=""; fi
}

for db in $DBS; do
  log "$db: fresh server on an empty database"
  measure "$db"
done
echo "$RESULTS" >"$ROOT/bench/startup/out/latest-run.txt"
log "results in ${RESULTS#"$ROOT"/}"
