#!/usr/bin/env bash
# The webhook delivery benchmark (issue 4): deliveries per second to a local receiver and commit-to-receipt latency,
# on SQLite and PostgreSQL. Writes a "Webhooks" section at the end of docs/benchmarks.md (and bench/webhooks/out/section.md).
#
#   bench/webhooks/run.sh                   # everything, ~5-8 minutes on 2 cores
#   WH_DBS=sqlite bench/webhooks/run.sh     # one database only
#
# Method, per database (a fresh database each time):
#   1. backlog: the server runs with Consentry__Webhooks__RunWorker=false, one consumer is registered, and WH_EVENTS
#      companies are created through the API with wrk (each one a company.created event in the outbox); the server stops.
#   2. drain: the server starts again with the worker on; deliveries/s = deliveries / (last receipt - server ready).
#   3. latency: with the worker on, companies are created at WH_RATE/s for WH_RATE_SECONDS s; latency = receipt time -
#      the event's generatedDate (stamped just before the commit; both on this machine's clock).
#   4. fan-out: WH_FANOUT consumers in all; a backlog of WH_EVENTS / WH_FANOUT events (so the same number of deliveries)
#      is drained as in 2, then the latency run of 3 is repeated (WH_FANOUT deliveries per event).
#
# Settings (environment): WH_DBS ("sqlite postgres"), WH_EVENTS (20000), WH_FANOUT (4; 1 = skip fan-out),
# WH_RATE (200), WH_RATE_SECONDS (20), WH_LOAD_CONNECTIONS (32), WH_DRAIN_TIMEOUT (300 s), WH_TARGET (1000),
# WH_DOC (docs/benchmarks.md; "-" = do not write it), WH_PG_BIN (/usr/lib/postgresql/15/bin),
# WH_SOURCE (head = a clean snapshot of the committed HEAD; worktree = the working tree as it is), WH_COMMIT (HEAD: the
# commit to build with WH_SOURCE=head, e.g. main, for a before/after pair run back to back),
# WH_APP_ENV (extra NAME=value settings for the server, space-separated, e.g. "Consentry__Webhooks__MaxConcurrency=128"),
# WH_WAIT_MAX (1800 s: how long to wait for another benchmark, bench/run.sh, to finish before measuring),
# WH_QUIET_MAX (120 s: how long to wait, before each measured phase, for the machine to be idle),
# WH_DEV=1 (a debugging run: does not wait for bench/run.sh and never writes docs/benchmarks.md),
# WH_REUSE_APP=1 (debugging: reuse the server published by the previous run instead of building it again).
#
# Everything it starts (server, receiver, PostgreSQL) is stopped on exit; all traffic goes to 127.0.0.1; raw numbers,
# receiver records (CSV) and server logs stay in bench/webhooks/out/results/<timestamp>/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
WB="$ROOT/bench/webhooks"
OUT="$WB/out"
APP_DIR="$OUT/app"

DBS=${WH_DBS:-"sqlite postgres"}
EVENTS=${WH_EVENTS:-20000}
FANOUT=${WH_FANOUT:-4}
RATE=${WH_RATE:-200}
RATE_SECONDS=${WH_RATE_SECONDS:-20}
LOAD_CONNECTIONS=${WH_LOAD_CONNECTIONS:-32}
DRAIN_TIMEOUT=${WH_DRAIN_TIMEOUT:-300}
TARGET=${WH_TARGET:-1000}
DOC=${WH_DOC:-"$ROOT/docs/benchmarks.md"}
PG_BIN=${WH_PG_BIN:-/usr/lib/postgresql/15/bin}
WAIT_MAX=${WH_WAIT_MAX:-1800}
QUIET_MAX=${WH_QUIET_MAX:-120}
APP_ENV_EXTRA=${WH_APP_ENV:-}
DEV=${WH_DEV:-0}
[[ $DEV == 1 ]] && DOC=-
API_KEY="whbench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
AUTH="Basic $(printf %s "$API_KEY" | base64 -w0)"

log() { printf '[webhooks %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for n in "$EVENTS" "$FANOUT" "$RATE" "$RATE_SECONDS" "$LOAD_CONNECTIONS" "$DRAIN_TIMEOUT" "$TARGET" "$WAIT_MAX" "$QUIET_MAX"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "numeric settings must be whole numbers, got '$n'"
done
[[ $EVENTS -ge 100 && $FANOUT -ge 1 && $FANOUT -le 50 && $RATE -ge 1 && $RATE_SECONDS -ge 1 ]] \
  || die "WH_EVENTS >= 100, 1 <= WH_FANOUT <= 50, WH_RATE and WH_RATE_SECONDS >= 1"
for db in $DBS; do
  [[ "$db" == sqlite || "$db" == postgres ]] || die "WH_DBS: unknown database '$db'"
done
for kv in $APP_ENV_EXTRA; do
  [[ "$kv" =~ ^[A-Za-z_][A-Za-z0-9_.]*=[^[:space:]]*$ ]] || die "WH_APP_ENV: '$kv' is not NAME=value"
done
[[ $EUID -eq 0 ]] || die "run as root (it runs PostgreSQL as the user postgres)"
for tool in wrk curl python3 dotnet git; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is required"
done
if [[ " $DBS " == *" postgres "* ]]; then
  [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] || die "PostgreSQL server binaries not found in $PG_BIN"
  command -v psql >/dev/null || die "psql is required"
  id postgres >/dev/null 2>&1 || die "the user postgres is required"
fi

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS="$OUT/results/$STAMP"
mkdir -p "$RESULTS"
WORK=$(mktemp -d /tmp/consentry-whbench.XXXXXX)
chmod 755 "$WORK"

APP_PID=""
RECV_PID=""
WRK_PID=""
PG_DATA=""

stop_app() {
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    kill -TERM "$APP_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$APP_PID" 2>/dev/null || true
  fi
  [[ -n "$APP_PID" ]] && { wait "$APP_PID" 2>/dev/null || true; }
  APP_PID=""
}

stop_receiver() {
  if [[ -n "$RECV_PID" ]] && kill -0 "$RECV_PID" 2>/dev/null; then
    kill -TERM "$RECV_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$RECV_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$RECV_PID" 2>/dev/null || true
  fi
  [[ -n "$RECV_PID" ]] && { wait "$RECV_PID" 2>/dev/null || true; }
  RECV_PID=""
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
  [[ -n "$WRK_PID" ]] && { kill -TERM "$WRK_PID" 2>/dev/null || true; }
  stop_app
  stop_receiver
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

now() { date +%s.%N; }

# ------------------------------------------------------------------ 0. a quiet machine
# Another benchmark (bench/run.sh) on the same 2 cores would make both sets of numbers meaningless: wait for it.
wait_for_other_bench() {
  [[ $DEV == 1 ]] && return 0
  local waited=0
  while pgrep -f "bench/run.sh" >/dev/null 2>&1; do
    [[ $waited -ge $WAIT_MAX ]] && die "bench/run.sh still runs after ${WAIT_MAX}s; not measuring on a busy machine"
    [[ $waited -eq 0 ]] && log "bench/run.sh is running; waiting for it to finish (polling every 30 s, at most ${WAIT_MAX}s)"
    sleep 30
    waited=$((waited + 30))
  done
  [[ $waited -gt 0 ]] && log "bench/run.sh finished after ~${waited}s of waiting"
  return 0
}

# wait_quiet: until the whole machine is nearly idle (under 0.3 cores busy for 3 s in a row; our own idle server
# included), at most WH_QUIET_MAX s; then measures anyway and the report shows how busy it was. Prints the busy share.
wait_quiet() {
  python3 - "$QUIET_MAX" <<'PY'
import sys, time
def snap():
    v = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    return sum(v[:8]), v[3] + v[4]
import os
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


# ------------------------------------------------------------------ 1. build
if [[ ${WH_SOURCE:-head} == worktree ]]; then
  SRC="$ROOT"
  COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  DIRTY=$(git -C "$ROOT" status --porcelain -- src 2>/dev/null | wc -l)
else
  # The committed HEAD from a clean snapshot: other people's half-done edits cannot break the run, and the commit in
  # the report is exactly what ran.
  SRC="$WORK/src"
  mkdir -p "$SRC"
  COMMIT=$(git -C "$ROOT" rev-parse --short "${WH_COMMIT:-HEAD}") || die "not a git checkout (use WH_SOURCE=worktree)"
  git -C "$ROOT" archive --format=tar "$COMMIT" | tar -x -C "$SRC" || die "git archive failed"
  DIRTY=0
fi
if [[ ${WH_REUSE_APP:-0} == 1 && -x "$APP_DIR/Consentry" && -f "$APP_DIR/.bench-commit" ]]; then
  # Debugging only: the server published by an earlier run, as it was.
  read -r COMMIT DIRTY <"$APP_DIR/.bench-commit"
  log "reusing the server already published in ${APP_DIR#"$ROOT"/} ($COMMIT)"
else
  log "building Consentry $COMMIT$([[ $DIRTY != 0 ]] && echo ' + working-tree changes') (Release) into ${APP_DIR#"$ROOT"/}"
  rm -rf "$APP_DIR"
  dotnet publish "$SRC/src/Consentry" -c Release -o "$APP_DIR" -nologo -v q -clp:ErrorsOnly >"$RESULTS/build.log" 2>&1 \
    || { tail -30 "$RESULTS/build.log" >&2; die "build of Consentry failed"; }
  echo "$COMMIT $DIRTY" >"$APP_DIR/.bench-commit"
fi
log "building the receiver (bench/webhooks/Receiver, Release)"
dotnet build "$WB/Receiver" -c Release -nologo -v q -clp:ErrorsOnly >"$RESULTS/receiver-build.log" 2>&1 \
  || { tail -30 "$RESULTS/receiver-build.log" >&2; die "build of the receiver failed"; }
RECEIVER_BIN="$WB/Receiver/bin/Release/net10.0/Receiver"
[[ -x "$RECEIVER_BIN" ]] || die "receiver binary not found at $RECEIVER_BIN"

# ------------------------------------------------------------------ helpers
api() { # method path [body] -> prints the body; fails on a non-2xx status
  local method=$1 path=$2 body=${3:-}
  local args=(-sS --noproxy '*' --max-time 60 -X "$method" -H "Authorization: $AUTH" -w '\n%{http_code}')
  [[ -n "$body" ]] && args+=(-H 'Content-Type: application/json' --data "$body")
  local out code
  out=$(curl "${args[@]}" "http://127.0.0.1:$APP_PORT$path") || die "curl $method $path failed"
  code=${out##*$'\n'}
  [[ "$code" == 2?? ]] || die "$method $path answered $code: ${out%$'\n'*}"
  printf '%s' "${out%$'\n'*}"
}

json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

receiver() { # method path -> body
  curl -fsS --noproxy '*' --max-time 120 -X "$1" "http://127.0.0.1:$RECV_PORT$2"
}

start_receiver() {
  RECV_PORT=$(free_port)
  # The receiver stands in for a consumer on another machine: thread-pool spinning off, so that it takes as little
  # as possible of the cores it shares with the server under test (about 10 µs of CPU per request).
  DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 DOTNET_gcServer=0 \
    "$RECEIVER_BIN" --port "$RECV_PORT" --capacity 2000000 >"$RESULTS/receiver.out" 2>"$RESULTS/receiver.err" &
  RECV_PID=$!
  for _ in $(seq 1 200); do
    kill -0 "$RECV_PID" 2>/dev/null || { cat "$RESULTS/receiver.err" >&2; die "the receiver exited at start"; }
    curl -fsS --noproxy '*' --max-time 2 -o /dev/null "http://127.0.0.1:$RECV_PORT/count" 2>/dev/null && return 0
    sleep 0.1
  done
  die "the receiver did not answer within 20 s"
}

# start_app <db> <worker true|false> <logfile>: a server process on a free port; sets APP_PID, APP_PORT, APP_LAUNCHED,
# APP_READY (the time /healthz first answered, polled every 20 ms).
start_app() {
  local db=$1 worker=$2 logfile=$3
  APP_PORT=$(free_port)
  local env=(
    ASPNETCORE_ENVIRONMENT=Production
    # Throwaway benchmark data: the key ring stays unprotected, by the named opt-out (docs/security.md).
    Consentry__DataProtection__AllowUnprotectedKeys=true
    Logging__LogLevel__Default=Warning
    Consentry__Bootstrap__ApiKey="$API_KEY"
    Consentry__DataDirectory="$WORK/$db-data"
    Consentry__Webhooks__AllowPrivateNetworks=true
    Consentry__Webhooks__RunWorker="$worker"
    # The benchmarks drive one client from one address far past the abuse limits; BENCH_RATE_LIMITS=true keeps them on.
    Consentry__RateLimits__Enabled="${BENCH_RATE_LIMITS:-false}"
  )
  if [[ $db == postgres ]]; then
    env+=(Consentry__Database__Provider=Postgres
          "ConnectionStrings__Consentry=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=consentry")
  else
    env+=(Consentry__Database__Provider=Sqlite)
  fi
  # shellcheck disable=SC2206
  [[ -n "$APP_ENV_EXTRA" ]] && env+=($APP_ENV_EXTRA)
  echo "--- start $(date -u +%H:%M:%S) worker=$worker" >>"$logfile"
  APP_LAUNCHED=$(now)
  (cd "$APP_DIR" && exec env -u ConnectionStrings__Consentry -u Consentry__PublicBaseUrl "${env[@]}" \
     ./Consentry --urls "http://127.0.0.1:$APP_PORT" >>"$logfile" 2>&1) &
  APP_PID=$!
  for _ in $(seq 1 3000); do
    kill -0 "$APP_PID" 2>/dev/null || { tail -30 "$logfile" >&2; die "the server exited at start"; }
    if curl -fsS --noproxy '*' --max-time 2 -o /dev/null "http://127.0.0.1:$APP_PORT/healthz" 2>/dev/null; then
      APP_READY=$(now)
      return 0
    fi
    sleep 0.02
  done
  tail -30 "$logfile" >&2
  die "the server did not answer /healthz within 60 s"
}

start_pg() {
  PG_PORT=$(free_port)
  PG_DATA="$WORK/pg/data"
  mkdir -p "$WORK/pg" "$RESULTS/postgres"
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
}

company_count() { api GET "/companies?page=1&pageSize=1" | json_field totalResults; }

register_consumer() { # name -> the consumer's id
  api POST /webhooks "{\"url\":\"http://127.0.0.1:$RECV_PORT/hook/$1\",\"eventTypes\":[\"company.created\"]}" | json_field id
}

# backlog <events> <out-prefix>: creates about <events> companies with wrk (the server runs without its worker); sets
# CREATED to how many were created (counted through the API).
backlog() {
  local events=$1 prefix=$2 threads=2 before after
  before=$(company_count)
  local quota=$(( (events + threads - 1) / threads ))
  local done_file="$prefix.done" wrk_pid
  rm -f "$done_file"
  WH_AUTH="$AUTH" WH_QUOTA="$quota" WH_DONE_FILE="$done_file" wrk -t"$threads" -c"$LOAD_CONNECTIONS" -d300s \
    --timeout 30s -s "$WB/lua/create_companies.lua" "http://127.0.0.1:$APP_PORT/" >"$prefix.wrk.txt" 2>&1 &
  wrk_pid=$!
  WRK_PID=$wrk_pid
  # wrk runs for its whole -d even when every thread has stopped: interrupt it once they all have (bounded by -d).
  while kill -0 "$wrk_pid" 2>/dev/null; do
    if [[ -f "$done_file" && $(wc -l <"$done_file") -ge $threads ]]; then
      kill -INT "$wrk_pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
  done
  wait "$wrk_pid" || die "wrk (backlog) failed: $(tail -3 "$prefix.wrk.txt")"
  WRK_PID=""
  grep -q '"failed":0' "$prefix.wrk.txt" || die "the backlog had failed requests: $(grep WH_JSON "$prefix.wrk.txt")"
  after=$(company_count)
  CREATED=$((after - before))
}

# cpu_snapshot <file>: time, /proc/stat totals, and the server's and receiver's CPU ticks.
cpu_snapshot() {
  {
    echo "time $(now)"
    head -1 /proc/stat
    echo "app $(awk '{print $14, $15}' "/proc/$APP_PID/stat")"
    echo "receiver $(awk '{print $14, $15}' "/proc/$RECV_PID/stat")"
    echo "clk_tck $(getconf CLK_TCK)"
    if [[ -n "$PG_DATA" && -f "$PG_DATA/postmaster.pid" ]]; then
      local pm pid
      pm=$(head -1 "$PG_DATA/postmaster.pid")
      for pid in "$pm" $(pgrep -P "$pm"); do
        [[ -r "/proc/$pid/stat" ]] && echo "pg $pid $(awk '{print $14, $15}' "/proc/$pid/stat" 2>/dev/null)"
      done
    fi
  } >"$1"
}

# wait_receipts <expected> <timeout>: until the receiver has <expected> deliveries; gives up after <timeout> s or
# 60 s without progress (the result then shows how many arrived).
wait_receipts() {
  local expected=$1 timeout=$2 start last_n=-1 last_change n
  start=$(date +%s); last_change=$start
  while true; do
    n=$(receiver GET /count) || die "the receiver does not answer"
    [[ $n -ge $expected ]] && return 0
    [[ $n -ne $last_n ]] && { last_n=$n; last_change=$(date +%s); }
    if (( $(date +%s) - start >= timeout )); then log "WARNING: only $n of $expected deliveries after ${timeout}s"; return 0; fi
    if (( $(date +%s) - last_change >= 60 )); then log "WARNING: stuck at $n of $expected deliveries for 60 s"; return 0; fi
    kill -0 "$APP_PID" 2>/dev/null || die "the server died while delivering"
    sleep 0.25
  done
}

# drain <db> <name> <expected> <attempts already recorded> <consumer ids...>: restarts the server with its worker on
# and times the delivery of the whole backlog. Files: <name>.json (phase facts), <name>.stats.json, <name>.csv,
# <name>.cpu0/1.txt.
drain() {
  local db=$1 name=$2 expected=$3 baseline=$4; shift 4
  local dir="$RESULTS/$db" busy
  busy=$(wait_quiet)
  receiver POST /reset >/dev/null
  start_app "$db" true "$dir/server.log"
  cpu_snapshot "$dir/$name.cpu0.txt"
  wait_receipts "$expected" "$DRAIN_TIMEOUT"
  cpu_snapshot "$dir/$name.cpu1.txt"
  receiver GET /stats >"$dir/$name.stats.json"
  receiver GET /records >"$dir/$name.csv"
  # The worker records attempts in batches after sending: wait (bounded) until every one is in the database.
  local recorded=0 id n
  for _ in $(seq 1 60); do
    recorded=$((-baseline))
    for id in "$@"; do
      n=$(api GET "/webhooks/$id/attempts?page=1&pageSize=1" | json_field totalResults)
      recorded=$((recorded + n))
    done
    [[ $recorded -ge $expected ]] && break
    sleep 0.5
  done
  local failed=0
  for id in "$@"; do
    n=$(api GET "/webhooks/$id/attempts?page=1&pageSize=1&query=succeeded%3Dfalse" | json_field totalResults)
    failed=$((failed + n))
  done
  printf '{"expected": %s, "launched": %s, "ready": %s, "busy_before": %s, "attempts_recorded": %s, "attempts_failed": %s}\n' \
    "$expected" "$APP_LAUNCHED" "$APP_READY" "$busy" "$recorded" "$failed" >"$dir/$name.json"
  log "$db: $name: $(python3 "$WB/analyze.py" --quick "$dir/$name")"
}

# latency <db> <name> <consumers>: companies at a fixed rate with the worker on; every delivery's receipt - generatedDate.
latency() {
  local db=$1 name=$2 consumers=$3 dir="$RESULTS/$1" busy
  busy=$(wait_quiet)
  receiver POST /reset >/dev/null
  cpu_snapshot "$dir/$name.cpu0.txt"
  local t0; t0=$(now)
  python3 "$WB/paced.py" --port "$APP_PORT" --auth "$AUTH" --rate "$RATE" --seconds "$RATE_SECONDS" \
    --name-prefix "Latency $name" >"$dir/$name.paced.json" || die "the paced load failed"
  local ok; ok=$(json_field ok <"$dir/$name.paced.json")
  wait_receipts $((ok * consumers)) 120
  cpu_snapshot "$dir/$name.cpu1.txt"
  receiver GET /stats >"$dir/$name.stats.json"
  receiver GET /records >"$dir/$name.csv"
  printf '{"expected": %s, "started": %s, "busy_before": %s, "rate": %s, "seconds": %s, "consumers": %s}\n' \
    "$((ok * consumers))" "$t0" "$busy" "$RATE" "$RATE_SECONDS" "$consumers" >"$dir/$name.json"
  log "$db: $name: $(python3 "$WB/analyze.py" --quick "$dir/$name")"
}

# ------------------------------------------------------------------ 2-5. one run per database
run_database() {
  local db=$1 dir="$RESULTS/$1"
  mkdir -p "$dir"
  local applog="$dir/server.log"
  [[ $db == postgres ]] && start_pg

  # 1. backlog, one consumer, worker off
  log "$db: server without its worker; one consumer; a backlog of $EVENTS company.created events through the API"
  receiver POST /reset >/dev/null
  start_app "$db" false "$applog"
  local c1; c1=$(register_consumer c1)
  backlog "$EVENTS" "$dir/backlog1"
  local created=$CREATED
  log "$db: backlog of $created events ($(grep -o 'p99_us":[0-9]*' "$dir/backlog1.wrk.txt" | head -1)); stopping the server"
  stop_app
  local early; early=$(receiver GET /count)
  [[ $early -eq 0 ]] || die "$early deliveries arrived while the worker was off"

  # 2. drain it
  log "$db: server with its worker on: draining $created deliveries (1 consumer)"
  drain "$db" drain1 "$created" 0 "$c1"

  # 3. latency at a fixed rate, one consumer
  log "$db: latency: $RATE companies/s for ${RATE_SECONDS}s, 1 consumer"
  latency "$db" latency1 1

  if [[ $FANOUT -gt 1 ]]; then
    # 4. fan-out backlog: FANOUT consumers, EVENTS / FANOUT events (the same number of deliveries)
    stop_app
    receiver POST /reset >/dev/null
    start_app "$db" false "$applog"
    local ids=("$c1") k
    for k in $(seq 2 "$FANOUT"); do ids+=("$(register_consumer "c$k")"); done
    local fan_events=$(( EVENTS / FANOUT ))
    log "$db: fan-out: $FANOUT consumers, backlog of $fan_events events"
    # c1's attempts from 2 and 3 are already in the database: drain's attempts check starts from them.
    local c1_before; c1_before=$(api GET "/webhooks/$c1/attempts?page=1&pageSize=1" | json_field totalResults)
    backlog "$fan_events" "$dir/backlog$FANOUT"
    created=$CREATED
    stop_app
    early=$(receiver GET /count)
    [[ $early -eq 0 ]] || die "$early deliveries arrived while the worker was off"
    log "$db: server with its worker on: draining $((created * FANOUT)) deliveries ($FANOUT consumers)"
    drain "$db" "drain$FANOUT" "$((created * FANOUT))" "$c1_before" "${ids[@]}"
    log "$db: latency: $RATE companies/s for ${RATE_SECONDS}s, $FANOUT consumers"
    latency "$db" "latency$FANOUT" "$FANOUT"
  fi

  grep -E '^(VmHWM|VmRSS):' "/proc/$APP_PID/status" >"$dir/memory.txt" || true
  # The bare endpoint (no auth, no database) on the same warm server: the figure to read the deliveries/s beside.
  wrk -t2 -c32 -d5s "http://127.0.0.1:$APP_PORT/branding/sbac/logo-square.svg" 2>&1 | awk '/Requests\/sec/{print $2}' >"$dir/bare.txt" || true
  stop_app
  if [[ $db == postgres ]]; then
    du -sh "$PG_DATA" | cut -f1 >"$dir/db_size.txt"
    cp "$WORK/pg/server.log" "$RESULTS/postgres/server.log" 2>/dev/null || true
    stop_pg
  else
    du -sh "$WORK/$db-data" | cut -f1 >"$dir/db_size.txt"
  fi
}

wait_for_other_bench
START_EPOCH=$(date +%s)
start_receiver
for db in $DBS; do
  # Checked again before each database: if the other benchmark started meanwhile, this one's numbers are void.
  [[ $DEV != 1 ]] && pgrep -f "bench/run.sh" >/dev/null 2>&1 && die "bench/run.sh started during this run; numbers would be unreliable"
  run_database "$db"
done
[[ $DEV != 1 ]] && pgrep -f "bench/run.sh" >/dev/null 2>&1 && die "bench/run.sh started during this run; numbers would be unreliable"
stop_receiver

# ------------------------------------------------------------------ 6. the report
{
  echo "date=$(date -u +%Y-%m-%d)"
  echo "datetime=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit=$COMMIT"
  echo "dirty=$DIRTY"
  echo "nproc=$(nproc)"
  echo "mem_kb=$(awk '/^MemTotal/{print $2}' /proc/meminfo)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "kernel=$(uname -r)"
  echo "dotnet=$(dotnet --list-runtimes 2>/dev/null | awk '/Microsoft.NETCore.App/{v=$2} END{print v}')"
  echo "postgres=$("$PG_BIN/postgres" --version 2>/dev/null | awk '{print $3}')"
  echo "events=$EVENTS"
  echo "fanout=$FANOUT"
  echo "rate=$RATE"
  echo "rate_seconds=$RATE_SECONDS"
  echo "load_connections=$LOAD_CONNECTIONS"
  echo "target=$TARGET"
  echo "dbs=$DBS"
  echo "app_env=$APP_ENV_EXTRA"
  echo "elapsed=$(( $(date +%s) - START_EPOCH ))"
} >"$RESULTS/run.env"

SECTION="$OUT/section.md"
[[ $DEV == 1 ]] && SECTION="$RESULTS/section.md"
python3 "$WB/analyze.py" --results "$RESULTS" --doc "$DOC" --section "$SECTION"
log "done in $(( $(date +%s) - START_EPOCH )) s; raw results in ${RESULTS#"$ROOT"/}"
