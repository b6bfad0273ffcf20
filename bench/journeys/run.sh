#!/usr/bin/env bash
# The Link journey benchmark (issue 3): complete journeys per second without a browser — create a company and a
# connection with the API, then the consent page, Continue, the sandbox's login and consent pages and the callback
# (where Consentry exchanges the code with the sandbox over real HTTP) until the 302 back to the app says
# statusCode=200 — on SQLite and on PostgreSQL. Writes a "Link journeys" section at the end of docs/benchmarks.md
# (and bench/journeys/out/section.md).
#
#   bench/journeys/run.sh                    # everything, ~5-6 minutes on 2 cores (at most ~8)
#   JR_DBS=sqlite bench/journeys/run.sh      # one database only
#   JR_DEV=1 JR_WARMUP=5 JR_DURATION=10 bench/journeys/run.sh   # a short debugging run (never writes the doc)
#
# Method, per database (a fresh, empty database each time):
#   1. for PostgreSQL, a throwaway PostgreSQL 15 (initdb + pg_ctl as the user postgres, temporary folder, free port,
#      default durability); then the server (the Release build) on a free port of localhost, with
#      Consentry__PublicBaseUrl=http://localhost:PORT (the sandbox's registered redirect URIs derive from it);
#   2. the driver (bench/journeys/Driver, C#) sets the profile's redirect URL to
#      https://app.example/done?status={statusCode}, runs one journey alone (a check), then JR_CONCURRENCY virtual
#      customers run journeys in a loop: JR_WARMUP s of warm-up (not counted), then JR_DURATION s measured; a journey
#      counts when it ends inside the measured window. Every 20th journey is followed by a GET of the connection
#      (must be Linked); after the load 25 random linked connections are read again and 5 journeys run alone;
#   3. CPU: user+system time of the server, of PostgreSQL (postmaster + backends) and of the driver over the measured
#      window, from /proc; the server's peak RSS (VmHWM).
#
# Settings (environment): JR_DBS ("sqlite postgres"), JR_CONCURRENCY (32), JR_WARMUP (90 s on SQLite, 180 s on PostgreSQL: a fresh server runs tier-0 and instrumented JIT code for the first minutes of load, and on PostgreSQL, where the database takes half the cores, its JIT needs about three minutes; round 9 of notes.md), JR_DURATION (30 s),
# JR_PLATFORMS (sbac,sbbk,sbcm: round robin), JR_TARGET (100 journeys/s), JR_DOC (docs/benchmarks.md; "-" = do not
# write it), JR_PG_BIN (/usr/lib/postgresql/15/bin), JR_SOURCE (head = a clean snapshot of the committed HEAD;
# worktree = the working tree as it is; /path = another source tree, for experiments), JR_PG_CONN_EXTRA (appended to
# the PostgreSQL connection string, e.g. ";No Reset On Close=true"), JR_WAIT_MAX (90 s: how long to wait for another benchmark — bench/run.sh,
# bench/webhooks/run.sh — to finish before building and measuring), JR_QUIET_MAX (30 s: how long to wait, before each
# measured run, for the machine to be idle), JR_DEV=1 (does not wait for other benchmarks, never writes the doc).
#
# Everything it starts (the server, PostgreSQL, the driver) is stopped on exit; all traffic goes to localhost; raw
# results (driver JSON, server logs) stay in bench/journeys/out/results/<timestamp>/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
JB="$ROOT/bench/journeys"
OUT="$JB/out"
APP_DIR="$OUT/app"

DBS=${JR_DBS:-"sqlite postgres"}
CONCURRENCY=${JR_CONCURRENCY:-32}
WARMUP=${JR_WARMUP:-90}
WARMUP_PG=${JR_WARMUP:-180}
DURATION=${JR_DURATION:-30}
PLATFORMS=${JR_PLATFORMS:-sbac,sbbk,sbcm}
TARGET=${JR_TARGET:-100}
DOC=${JR_DOC:-"$ROOT/docs/benchmarks.md"}
PG_BIN=${JR_PG_BIN:-/usr/lib/postgresql/15/bin}
WAIT_MAX=${JR_WAIT_MAX:-90}
QUIET_MAX=${JR_QUIET_MAX:-30}
DEV=${JR_DEV:-0}
PG_CONN_EXTRA=${JR_PG_CONN_EXTRA:-}
[[ $DEV == 1 ]] && DOC=-
API_KEY="jrbench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"

log() { printf '[journeys %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for n in "$CONCURRENCY" "$WARMUP" "$WARMUP_PG" "$DURATION" "$TARGET" "$WAIT_MAX" "$QUIET_MAX"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "numeric settings must be whole numbers, got '$n'"
done
[[ $CONCURRENCY -ge 1 && $CONCURRENCY -le 256 && $DURATION -ge 1 && $DURATION -le 300 && $WARMUP -le 300 && $WARMUP_PG -le 300 ]] \
  || die "1 <= JR_CONCURRENCY <= 256, 1 <= JR_DURATION <= 300, JR_WARMUP <= 300"
[[ -z "$PG_CONN_EXTRA" || "$PG_CONN_EXTRA" =~ ^(\;[A-Za-z][A-Za-z\ ]*=[A-Za-z0-9]+)+$ ]] || die "JR_PG_CONN_EXTRA: ';Name=value' pairs"
[[ "$PLATFORMS" =~ ^(sbac|sbbk|sbcm)(,(sbac|sbbk|sbcm))*$ ]] || die "JR_PLATFORMS: comma-separated sandbox keys (sbac, sbbk, sbcm)"
for db in $DBS; do
  [[ "$db" == sqlite || "$db" == postgres ]] || die "JR_DBS: unknown database '$db'"
done
[[ $EUID -eq 0 ]] || die "run as root (it runs PostgreSQL as the user postgres)"
for tool in curl python3 dotnet git; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is required"
done
if [[ " $DBS " == *" postgres "* ]]; then
  [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] || die "PostgreSQL server binaries not found in $PG_BIN"
  command -v psql >/dev/null || die "psql is required"
  id postgres >/dev/null 2>&1 || die "the user postgres is required"
fi

START_EPOCH=$(date +%s)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS="$OUT/results/$STAMP"
mkdir -p "$RESULTS"
WORK=$(mktemp -d /tmp/consentry-jrbench.XXXXXX)
chmod 755 "$WORK"

APP_PID=""
DRIVER_PID=""
PG_DATA=""

stop_driver() {
  if [[ -n "$DRIVER_PID" ]] && kill -0 "$DRIVER_PID" 2>/dev/null; then
    kill -TERM "$DRIVER_PID" 2>/dev/null || true
    for _ in $(seq 1 25); do kill -0 "$DRIVER_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$DRIVER_PID" 2>/dev/null || true
  fi
  [[ -n "$DRIVER_PID" ]] && { wait "$DRIVER_PID" 2>/dev/null || true; }
  DRIVER_PID=""
}

stop_app() {
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    kill -TERM "$APP_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$APP_PID" 2>/dev/null || true
  fi
  [[ -n "$APP_PID" ]] && { wait "$APP_PID" 2>/dev/null || true; }
  APP_PID=""
}

stop_pg() {
  if [[ -n "$PG_DATA" && -f "$PG_DATA/postmaster.pid" ]]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 || {
      local pid
      pid=$(head -1 "$PG_DATA/postmaster.pid" 2>/dev/null || true)
      [[ "$pid" =~ ^[0-9]+$ ]] && kill -QUIT "$pid" 2>/dev/null || true
    }
  fi
  PG_DATA=""
}

cleanup() {
  local status=$?
  stop_driver
  stop_app
  stop_pg
  rm -rf "$WORK"
  if [[ $status -ne 0 ]]; then log "failed (exit $status); logs and partial results in ${RESULTS#"$ROOT"/}"; fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# ------------------------------------------------------------------ 0. a quiet machine
# Another benchmark on the same 2 cores would make both sets of numbers meaningless (and our build would disturb it):
# wait for it, bounded.
OTHER_BENCH='bench/run\.sh|bench/webhooks/run\.sh'
wait_for_other_bench() {
  [[ $DEV == 1 ]] && return 0
  local waited=0
  while pgrep -f "$OTHER_BENCH" >/dev/null 2>&1; do
    [[ $waited -ge $WAIT_MAX ]] && die "another benchmark ($(pgrep -af "$OTHER_BENCH" | head -1 | cut -c1-80)) still runs after ${WAIT_MAX}s; not measuring on a busy machine (JR_WAIT_MAX)"
    [[ $waited -eq 0 ]] && log "another benchmark is running; waiting for it (polling every 10 s, at most ${WAIT_MAX}s)"
    sleep 10
    waited=$((waited + 10))
  done
  return 0
}

# wait_quiet: until the whole machine is nearly idle (under 0.3 cores busy for 3 s in a row; our own idle server
# included), at most JR_QUIET_MAX s; then measures anyway and the report shows how busy it was. Prints the busy share.
wait_quiet() {
  python3 - "$QUIET_MAX" <<'PY'
import os, sys, time
def snap():
    v = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    return sum(v[:8]), v[3] + v[4]
limit, n = float(sys.argv[1]), os.cpu_count() or 1
start, calm, busy = time.monotonic(), 0, 1.0
t0, i0 = snap()
while True:
    time.sleep(1)
    t1, i1 = snap()
    busy = 1 - (i1 - i0) / max(1, t1 - t0)
    t0, i0 = t1, i1
    calm = calm + 1 if busy * n < 0.3 else 0
    if calm >= 3 or time.monotonic() - start >= limit:
        break
print(f"{busy:.2f}")
PY
}

wait_for_other_bench

# ------------------------------------------------------------------ 1. build
if [[ ${JR_SOURCE:-head} == worktree ]]; then
  SRC="$ROOT"
  COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  DIRTY=$(git -C "$ROOT" status --porcelain -- src 2>/dev/null | wc -l)
elif [[ ${JR_SOURCE:-head} == /* ]]; then
  # An experiment: another source tree (e.g. a patched snapshot); reported as HEAD with local changes.
  [[ -d "$JR_SOURCE/src/Consentry" ]] || die "JR_SOURCE: $JR_SOURCE/src/Consentry not found"
  SRC="$JR_SOURCE"
  COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  DIRTY=1
else
  # The committed HEAD from a clean snapshot: other people's half-done edits cannot break the run, concurrent builds
  # in the working tree do not share obj/ folders with ours, and the commit in the report is exactly what ran.
  SRC="$WORK/src"
  mkdir -p "$SRC"
  COMMIT=$(git -C "$ROOT" rev-parse --short HEAD) || die "not a git checkout (use JR_SOURCE=worktree)"
  git -C "$ROOT" archive --format=tar "$COMMIT" | tar -x -C "$SRC" || die "git archive failed"
  DIRTY=0
fi
log "building Consentry $COMMIT$([[ $DIRTY != 0 ]] && echo ' + working-tree changes') (Release) into ${APP_DIR#"$ROOT"/}"
BUILD_START=$(date +%s)
rm -rf "$APP_DIR"
timeout 600 dotnet publish "$SRC/src/Consentry" -c Release -o "$APP_DIR" -nologo -v q -clp:ErrorsOnly >"$RESULTS/build.log" 2>&1 \
  || { tail -30 "$RESULTS/build.log" >&2; die "build of Consentry failed"; }
log "building the driver (bench/journeys/Driver, Release)"
timeout 300 dotnet build "$JB/Driver" -c Release -nologo -v q -clp:ErrorsOnly >"$RESULTS/driver-build.log" 2>&1 \
  || { tail -30 "$RESULTS/driver-build.log" >&2; die "build of the driver failed"; }
DRIVER_BIN="$JB/Driver/bin/Release/net10.0/Driver"
[[ -x "$DRIVER_BIN" ]] || die "driver binary not found at $DRIVER_BIN"
BUILD_SECONDS=$(( $(date +%s) - BUILD_START ))

# ------------------------------------------------------------------ 2. helpers for one database run
start_pg() {
  PG_PORT=$(free_port)
  PG_DATA="$WORK/pg/data"
  mkdir -p "$WORK/pg"
  chown postgres: "$WORK/pg"
  log "postgres: initdb + start on port $PG_PORT (default durability: fsync, synchronous_commit, full_page_writes on)"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
    >"$RESULTS/postgres/initdb.log" 2>&1 || { tail "$RESULTS/postgres/initdb.log" >&2; die "initdb failed"; }
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -t 60 -l "$WORK/pg/server.log" \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $WORK/pg" start >/dev/null \
    || { tail "$WORK/pg/server.log" >&2; die "PostgreSQL did not start"; }
  psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE consentry" >/dev/null
  psql -X -h 127.0.0.1 -p "$PG_PORT" -U postgres -d consentry -At -F '=' -c \
    "SELECT name, setting || coalesce(unit, '') FROM pg_settings WHERE name IN ('fsync','synchronous_commit',
     'full_page_writes','wal_sync_method','shared_buffers','max_connections','server_version') ORDER BY name" \
    >"$RESULTS/postgres/settings.txt"
  PG_PID=$(head -1 "$PG_DATA/postmaster.pid")
}

pg_query() { psql -X -h 127.0.0.1 -p "$PG_PORT" -U postgres -d consentry -At -c "$1"; }

# start_app <db> <logfile>: a fresh server process on a free port of localhost; waits until /healthz answers.
start_app() {
  local db=$1 logfile=$2
  APP_PORT=$(free_port)
  local env=(
    ASPNETCORE_ENVIRONMENT=Production
    # Throwaway benchmark data: the key ring stays unprotected, by the named opt-out (docs/security.md).
    Consentry__DataProtection__AllowUnprotectedKeys=true
    Logging__LogLevel__Default=Warning
    Consentry__PublicBaseUrl="http://localhost:$APP_PORT"
    Consentry__Bootstrap__ApiKey="$API_KEY"
    Consentry__DataDirectory="$WORK/$db-data"
    # Each journey links a connection, which queues reads of thousands of records; those are measured by
    # bench/sync/run.sh, so this benchmark measures the journey alone.
    Consentry__Sync__RunWorker=false
    # The benchmarks drive one client from one address far past the abuse limits; BENCH_RATE_LIMITS=true keeps them on.
    Consentry__RateLimits__Enabled="${BENCH_RATE_LIMITS:-false}"
  )
  if [[ $db == postgres ]]; then
    env+=(Consentry__Database__Provider=Postgres
          "ConnectionStrings__Consentry=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=consentry$PG_CONN_EXTRA")
  else
    env+=(Consentry__Database__Provider=Sqlite)
  fi
  # exec: the subshell's pid is the server's pid (for /proc/<pid>/stat). The cwd is the content root.
  (cd "$APP_DIR" && exec env -u ConnectionStrings__Consentry -u Consentry__Sandbox__BaseUrl "${env[@]}" \
     ./Consentry --urls "http://localhost:$APP_PORT" >>"$logfile" 2>&1) &
  APP_PID=$!
  for _ in $(seq 1 240); do
    kill -0 "$APP_PID" 2>/dev/null || { tail -30 "$logfile" >&2; die "the server exited at start"; }
    curl -fsS --noproxy '*' --max-time 2 -o /dev/null "http://localhost:$APP_PORT/healthz" 2>/dev/null && return 0
    sleep 0.25
  done
  tail -30 "$logfile" >&2
  die "the server did not answer /healthz within 60 s"
}

# ------------------------------------------------------------------ 3. one run per database
CLK_TCK=$(getconf CLK_TCK)
# measure_db <db> <attempt>: a fresh database and server, the driver, the numbers; everything stopped at the end.
measure_db() {
  local db=$1 attempt=$2
  mkdir -p "$RESULTS/$db"
  PG_PID=""
  rm -rf "$WORK/$db-data"
  if [[ $db == postgres ]]; then
    mkdir -p "$RESULTS/postgres"
    rm -rf "$WORK/pg"
    start_pg
  fi
  start_app "$db" "$RESULTS/$db/server.log"
  log "$db: server pid $APP_PID on http://localhost:$APP_PORT"
  wait_for_other_bench
  busy=$(wait_quiet)
  warmup=$WARMUP
  [[ $db == postgres ]] && warmup=$WARMUP_PG
  log "$db: machine busy before: $busy; $CONCURRENCY customers, warm-up ${warmup}s, then ${DURATION}s measured"
  commits_before=""
  [[ $db == postgres ]] && commits_before=$(pg_query "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'consentry'")
  "$DRIVER_BIN" --base "http://localhost:$APP_PORT" --key "$API_KEY" --concurrency "$CONCURRENCY" \
    --warmup "$warmup" --duration "$DURATION" --platforms "$PLATFORMS" --server-pid "$APP_PID" \
    --pg-pid "$PG_PID" --clk-tck "$CLK_TCK" --out "$RESULTS/$db/driver.json" >"$RESULTS/$db/driver.txt" 2>&1 &
  DRIVER_PID=$!
  # Bounded: the driver stops starting journeys at the end of the window; its requests time out after 30 s.
  deadline=$(( $(date +%s) + warmup + DURATION + 150 ))
  while kill -0 "$DRIVER_PID" 2>/dev/null; do
    if [[ $(date +%s) -gt $deadline ]]; then stop_driver; die "$db: the driver did not finish in time"; fi
    sleep 1
  done
  wait "$DRIVER_PID" || { cat "$RESULTS/$db/driver.txt" >&2; DRIVER_PID=""; die "$db: the driver failed"; }
  DRIVER_PID=""
  cat "$RESULTS/$db/driver.txt" >&2
  {
    echo "busy_before=$busy"
    echo "attempt=$attempt"
    grep -E '^(VmHWM|VmRSS):' "/proc/$APP_PID/status" | awk '{print $1 "=" $2}' | tr -d ':' | sed 's/=/_kb=/'
    if [[ $db == postgres ]]; then
      echo "commits=$(( $(pg_query "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'consentry'") - commits_before ))"
      echo "db_bytes=$(pg_query "SELECT pg_database_size('consentry')")"
      echo "journey_events=$(pg_query "SELECT count(*) FROM journey_events")"
      echo "companies=$(pg_query "SELECT count(*) FROM companies")"
      echo "linked=$(pg_query "SELECT count(*) FROM connections WHERE \"Status\" = 'Linked'")"
    else
      python3 - "$WORK/$db-data/consentry.db" <<'PY'
import os, sqlite3, sys
db = sys.argv[1]
c = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
print("db_bytes=%d" % sum(os.path.getsize(db + s) for s in ("", "-wal") if os.path.exists(db + s)))
print("journey_events=%d" % c.execute("SELECT count(*) FROM journey_events").fetchone()[0])
print("companies=%d" % c.execute("SELECT count(*) FROM companies").fetchone()[0])
print("linked=%d" % c.execute("SELECT count(*) FROM connections WHERE Status = 'Linked'").fetchone()[0])
PY
    fi
  } >"$RESULTS/$db/server.env"
  stop_app
  if [[ $db == postgres ]]; then stop_pg; fi
}

for db in $DBS; do
  measure_db "$db" 1
  # Other processes (another session's build or tests) took a real share of the 2 cores during the window: measure
  # once more on a fresh database, if the run is young enough to stay within its time budget.
  other=$(python3 -c 'import json, sys; print((json.load(open(sys.argv[1])).get("cpu") or {}).get("other_cores") or 0)' "$RESULTS/$db/driver.json")
  if python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) > 0.3 else 1)' "$other" && (( $(date +%s) - START_EPOCH < 240 )); then
    log "$db: other processes used $other cores during the window; measuring $db again"
    mv "$RESULTS/$db" "$RESULTS/$db.noisy"
    measure_db "$db" 2
  fi
done

# ------------------------------------------------------------------ 4. report
{
  echo "commit=$COMMIT"
  echo "dirty=$DIRTY"
  echo "datetime=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "date=$(date -u +%Y-%m-%d)"
  echo "nproc=$(nproc)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "mem_kb=$(awk '/MemTotal/ {print $2}' /proc/meminfo)"
  echo "kernel=$(uname -r)"
  echo "dotnet=$(dotnet --version 2>/dev/null || echo '?')"
  echo "postgres=$("$PG_BIN/postgres" --version 2>/dev/null | awk '{print $3}')"
  echo "dbs=$DBS"
  echo "concurrency=$CONCURRENCY"
  echo "warmup=$WARMUP"
  echo "warmup_pg=$WARMUP_PG"
  echo "duration=$DURATION"
  echo "platforms=$PLATFORMS"
  echo "target=$TARGET"
  echo "build_seconds=$BUILD_SECONDS"
  echo "elapsed=$(( $(date +%s) - START_EPOCH ))"
} >"$RESULTS/run.env"
SECTION="$OUT/section.md"
[[ $DEV == 1 ]] && SECTION="$RESULTS/section.md"
python3 "$JB/report.py" --results "$RESULTS" --doc "$DOC" --section "$SECTION"
log "done in $(( $(date +%s) - START_EPOCH ))s; results in ${RESULTS#"$ROOT"/}"
