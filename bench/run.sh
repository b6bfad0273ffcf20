#!/usr/bin/env bash
# The Consentry benchmark: builds the server in Release, runs it on SQLite and on PostgreSQL with 100,000 seeded
# companies, drives five endpoints with wrk and writes docs/benchmarks.md. See docs/benchmarks.md ("Method").
#
#   bench/run.sh                      # everything: 8–12 minutes on 2 cores (longer when the machine is busy)
#   BENCH_DBS=sqlite bench/run.sh     # one database only
#   BENCH_ENDPOINTS="ceiling list_companies" bench/run.sh   # the search figure beside the bare endpoint only
#
# Settings (environment): BENCH_DBS ("sqlite postgres"), BENCH_COMPANIES (100000), BENCH_THREADS (2),
# BENCH_CONNECTIONS (32), BENCH_DURATION (20 s), BENCH_WARMUP (15 s: a fresh
# process needs 14–20 s of traffic to finish tiering, see docs/benchmarks.md "Start and idle memory"), BENCH_QUERY (harbour),
# BENCH_DOC (docs/benchmarks.md; "-" = do not write it), BENCH_PG_BIN (/usr/lib/postgresql/15/bin),
# BENCH_SOURCE (head = a clean snapshot of the committed HEAD; worktree = the working tree as it is),
# BENCH_QUIET_WAIT (45: longest wait, in seconds, for an idle machine before each measured run).
#
# Everything it starts (the server, PostgreSQL) is stopped on exit; all traffic goes to 127.0.0.1; raw wrk output,
# seed metadata and server logs stay in bench/out/results/<timestamp>/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH="$ROOT/bench"
APP_DIR="$BENCH/out/app"

DBS=${BENCH_DBS:-"sqlite postgres"}
COMPANIES=${BENCH_COMPANIES:-100000}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
DURATION=${BENCH_DURATION:-20}
WARMUP=${BENCH_WARMUP:-15}
QUERY=${BENCH_QUERY:-harbour}
DOC=${BENCH_DOC:-"$ROOT/docs/benchmarks.md"}
PG_BIN=${BENCH_PG_BIN:-/usr/lib/postgresql/15/bin}
WRK_TIMEOUT=30s   # wrk drops (and does not time) answers slower than this; the SQLite list needs more than 10 s
API_KEY="bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
AUTH="Basic $(printf %s "$API_KEY" | base64 -w0)"

# Endpoints in the order they run: reads before the POST, so the reads see exactly the seeded data set.
# BENCH_ENDPOINTS picks a subset (e.g. "ceiling list_companies" for the search figure); a subset run writes no
# docs/benchmarks.md (the report needs every endpoint), only the raw results and their summary on stderr.
ALL_ENDPOINTS=(ceiling get_company list_companies get_connections post_company)
read -r -a ENDPOINTS <<<"${BENCH_ENDPOINTS:-${ALL_ENDPOINTS[*]}}"
for ep in "${ENDPOINTS[@]}"; do
  [[ " ${ALL_ENDPOINTS[*]} " == *" $ep "* ]] || { echo "BENCH_ENDPOINTS: unknown endpoint '$ep'" >&2; exit 1; }
done

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ "$QUERY" =~ ^[A-Za-z]+$ ]] || die "BENCH_QUERY must be letters only (it goes into a URL unescaped)"
for n in "$COMPANIES" "$THREADS" "$CONNECTIONS" "$DURATION" "$WARMUP"; do
  [[ "$n" =~ ^[0-9]+$ ]] || die "numeric settings must be whole numbers, got '$n'"
done
for db in $DBS; do
  [[ "$db" == sqlite || "$db" == postgres ]] || die "BENCH_DBS: unknown database '$db'"
done
[[ $EUID -eq 0 ]] || die "run as root (it installs wrk and runs PostgreSQL as the user postgres)"

START_EPOCH=$(date +%s)
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS="$BENCH/out/results/$STAMP"
mkdir -p "$RESULTS"
WORK=$(mktemp -d /tmp/consentry-bench.XXXXXX)
chmod 755 "$WORK"

APP_PID=""
PG_DATA=""

stop_app() {
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    kill -TERM "$APP_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$APP_PID" 2>/dev/null || true
    wait "$APP_PID" 2>/dev/null || true
  fi
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
  stop_app
  stop_pg
  rm -rf "$WORK"
  if [[ $status -ne 0 ]]; then log "failed (exit $status); logs and partial results in $RESULTS"; fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# ------------------------------------------------------------------ 1. tools and build
if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
command -v wrk >/dev/null || die "wrk is not installed"
command -v curl >/dev/null || die "curl is required"
if [[ " $DBS " == *" postgres "* ]]; then
  [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] || die "PostgreSQL server binaries not found in $PG_BIN"
  command -v psql >/dev/null || die "psql is required"
  id postgres >/dev/null 2>&1 || die "the user postgres is required"
fi

# By default the committed HEAD is measured, from a clean snapshot (git archive): other people's half-done edits
# in the working tree cannot break the run, and the commit in the report is exactly what ran.
# BENCH_SOURCE=worktree measures the working tree as it is instead.
if [[ ${BENCH_SOURCE:-head} == worktree ]]; then
  SRC="$ROOT"
  COMMIT="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  DIRTY=$(git -C "$ROOT" status --porcelain -- src 2>/dev/null | wc -l)
else
  SRC="$WORK/src"
  mkdir -p "$SRC"
  COMMIT=$(git -C "$ROOT" rev-parse --short HEAD) || die "not a git checkout (use BENCH_SOURCE=worktree)"
  git -C "$ROOT" archive --format=tar "$COMMIT" | tar -x -C "$SRC" || die "git archive failed"
  DIRTY=0
fi
log "building $COMMIT$([[ $DIRTY != 0 ]] && echo ' + working-tree changes') (Release) into bench/out/app"
rm -rf "$APP_DIR"
dotnet publish "$SRC/src/Consentry" -c Release -o "$APP_DIR" -nologo -v q -clp:ErrorsOnly >"$RESULTS/build.log" 2>&1 \
  || { tail -30 "$RESULTS/build.log" >&2; die "build failed"; }

# ------------------------------------------------------------------ helpers for one database run
api() { # method path [body] -> prints the body; fails on a non-2xx status
  local method=$1 path=$2 body=${3:-}
  local args=(-sS --noproxy '*' --max-time 30 -X "$method" -H "Authorization: $AUTH" -w '\n%{http_code}')
  [[ -n "$body" ]] && args+=(-H 'Content-Type: application/json' --data "$body")
  local out code
  out=$(curl "${args[@]}" "http://127.0.0.1:$APP_PORT$path") || die "curl $method $path failed"
  code=${out##*$'\n'}
  [[ "$code" == 2?? ]] || die "$method $path answered $code: ${out%$'\n'*}"
  printf '%s' "${out%$'\n'*}"
}

# start_app <db> <logfile>: a fresh server process on a free port; waits until /healthz answers.
start_app() {
  local db=$1 logfile=$2
  APP_PORT=$(free_port)
  local env=(
    ASPNETCORE_ENVIRONMENT=Production
    # Throwaway benchmark data: the key ring stays unprotected, by the named opt-out (docs/security.md).
    Consentry__DataProtection__AllowUnprotectedKeys=true
    Logging__LogLevel__Default=Warning
    Consentry__Bootstrap__ApiKey="$API_KEY"
    Consentry__DataDirectory="$WORK/$db-data"
    # The benchmarks drive one client from one address far past the abuse limits; BENCH_RATE_LIMITS=true keeps them on.
    Consentry__RateLimits__Enabled="${BENCH_RATE_LIMITS:-false}"
  )
  if [[ $db == postgres ]]; then
    env+=(Consentry__Database__Provider=Postgres
          "ConnectionStrings__Consentry=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=consentry")
  else
    env+=(Consentry__Database__Provider=Sqlite)
  fi
  # exec: the subshell's pid is the server's pid (for /proc/<pid>/status). The cwd is the content root.
  (cd "$APP_DIR" && exec env -u ConnectionStrings__Consentry -u Consentry__PublicBaseUrl "${env[@]}" \
     ./Consentry --urls "http://127.0.0.1:$APP_PORT" >>"$logfile" 2>&1) &
  APP_PID=$!
  for _ in $(seq 1 240); do
    kill -0 "$APP_PID" 2>/dev/null || { tail -30 "$logfile" >&2; die "the server exited at start"; }
    curl -fsS --noproxy '*' --max-time 2 -o /dev/null "http://127.0.0.1:$APP_PORT/healthz" 2>/dev/null && return 0
    sleep 0.25
  done
  tail -30 "$logfile" >&2
  die "the server did not answer /healthz within 60 s"
}

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
     'full_page_writes','wal_sync_method','shared_buffers','max_connections','wal_level','work_mem',
     'effective_cache_size','server_version') ORDER BY name" >"$RESULTS/postgres/settings.txt"
}

# run_wrk <db> <endpoint> <ids-file>: warm-up (discarded), then the measured run with CPU accounting.
run_wrk() {
  local db=$1 name=$2 ids=$3 out="$RESULTS/$1"
  local url="http://127.0.0.1:$APP_PORT/"
  local wrk_env=(BENCH_LUA_DIR="$BENCH/lua" BENCH_QUERY="$QUERY" BENCH_IDS="$ids")
  [[ $name != ceiling ]] && wrk_env+=(BENCH_AUTH="$AUTH")
  # A wrk run that ends leaves the server finishing the requests it abandoned; start each run on a quiet machine.
  # Bounded: waits and repeats stop once the whole run is past 8 minutes, so it stays under ~12 at worst.
  local quiet max_wait=${BENCH_QUIET_WAIT:-45} retries=2
  if (( $(date +%s) - START_EPOCH > 480 )); then max_wait=5; retries=1; fi
  quiet=$(python3 "$BENCH/measure.py" wait-quiet --busy 0.25 --max-seconds "$max_wait")
  log "$db: $name (machine busy before: $quiet; warm-up ${WARMUP}s, then ${DURATION}s)"
  if [[ $WARMUP -gt 0 ]]; then
    env "${wrk_env[@]}" timeout $((WARMUP + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"${WARMUP}s" --timeout "$WRK_TIMEOUT" \
      -s "$BENCH/lua/$name.lua" "$url" >"$out/$name.warmup.txt" 2>&1 || die "wrk warm-up of $name failed"
  fi
  # Other people's processes share this machine: a measured run during which they took more than 15% of it is
  # repeated once (after waiting for quiet again); the report flags whatever noise remains.
  local attempt other
  for attempt in $(seq 1 "$retries"); do
    python3 "$BENCH/measure.py" run --server-pid "$APP_PID" --out "$out/$name.cpu.json" --timeout $((DURATION + 90)) -- \
      env "${wrk_env[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --timeout "$WRK_TIMEOUT" --latency \
      -s "$BENCH/lua/$name.lua" "$url" >"$out/$name.txt" 2>&1 || die "wrk run of $name failed (see $out/$name.txt)"
    other=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["other_share"])' "$out/$name.cpu.json")
    if [[ $attempt -lt $retries ]] && python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) > 0.15 else 1)' "$other"; then
      mv "$out/$name.txt" "$out/$name.noisy.txt"; mv "$out/$name.cpu.json" "$out/$name.noisy.cpu.json"
      quiet=$(python3 "$BENCH/measure.py" wait-quiet --busy 0.25 --max-seconds "$max_wait")
      log "$db: $name: other processes took $other of the machine; measuring again (busy before: $quiet)"
      continue
    fi
    break
  done
  echo "$quiet" >"$out/$name.quiet.txt"
  grep -m1 '^Requests/sec' "$out/$name.txt" >&2 || true
  kill -0 "$APP_PID" 2>/dev/null || die "the server died during $name"
}

# unloaded <db>: sequential single requests (no concurrency) per endpoint: what one request costs on its own.
unloaded() {
  local db=$1 dir="$RESULTS/$1" base="http://127.0.0.1:$APP_PORT"
  local m=(python3 "$BENCH/measure.py" unloaded --count 7)
  {
    printf '{"ceiling": %s,\n' "$("${m[@]}" --url "$base/branding/sbac/logo-square.svg")"
    printf '"get_company": %s,\n' "$("${m[@]}" --auth "$AUTH" --ids "$dir/ids_all.txt" --url "$base/companies/{id}")"
    printf '"list_companies": %s,\n' "$("${m[@]}" --auth "$AUTH" --url "$base/companies?pageSize=100&query=name~$QUERY")"
    printf '"get_connections": %s,\n' "$("${m[@]}" --auth "$AUTH" --ids "$dir/ids_connected.txt" --url "$base/companies/{id}/connections")"
    printf '"post_company": %s}\n' "$("${m[@]}" --auth "$AUTH" --method POST --body '{"name":"Bench Co"}' --url "$base/companies")"
  } >"$dir/unloaded.json" || die "unloaded measurements failed"
}

# smoke <db>: every endpoint answers 200 with the expected shape before we measure it.
smoke() {
  local db=$1 dir="$RESULTS/$1"
  local first conn_first
  first=$(head -1 "$dir/ids_all.txt"); conn_first=$(head -1 "$dir/ids_connected.txt")
  api GET "/companies/$first" >"$dir/smoke_get_company.json"
  api GET "/companies?pageSize=100&query=name~$QUERY" >"$dir/smoke_list.json"
  api GET "/companies/$conn_first/connections" >"$dir/smoke_connections.json"
  curl -fsS --noproxy '*' --max-time 10 -o /dev/null "http://127.0.0.1:$APP_PORT/branding/sbac/logo-square.svg" \
    || die "the ceiling endpoint does not answer"
  python3 - "$dir" <<'PY' || die "smoke checks failed"
import json, sys
d = sys.argv[1]
meta = json.load(open(f"{d}/meta.json"))
company = json.load(open(f"{d}/smoke_get_company.json"))
assert company["id"].lower() == open(f"{d}/ids_all.txt").readline().strip().lower(), "GET /companies/{id}: wrong company"
page = json.load(open(f"{d}/smoke_list.json"))
assert page["totalResults"] == meta["query_matches"], f"list: totalResults {page['totalResults']} != {meta['query_matches']} seeded matches"
assert len(page["results"]) == min(100, meta["query_matches"]), "list: wrong page length"
assert all(meta["query_term"].lower() in r["name"].lower() for r in page["results"]), "list: a result does not match"
conns = json.load(open(f"{d}/smoke_connections.json"))
assert 1 <= conns["totalResults"] <= 2, "connections: expected 1-2 connections"
meta["list_page_results"] = len(page["results"])
json.dump(meta, open(f"{d}/meta.json", "w"), indent=2)
PY
}

# ------------------------------------------------------------------ 2-4. one run per database
run_database() {
  local db=$1 dir="$RESULTS/$1"
  mkdir -p "$dir"
  local applog="$dir/server.log"
  [[ $db == postgres ]] && start_pg

  log "$db: first start (migrations, bootstrap client), probe company + connections through the API"
  start_app "$db" "$applog"
  local company cid
  company=$(api POST /companies '{"name":"Probe"}')
  cid=$(printf '%s' "$company" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  {
    printf '{"company": %s, "connections": [' "$company"
    api POST "/companies/$cid/connections" '{"platformKey":"sbac"}'; printf ','
    api POST "/companies/$cid/connections" '{"platformKey":"sbbk"}'; printf ','
    api POST "/companies/$cid/connections" '{"platformKey":"sbcm"}'
    printf ']}\n'
  } >"$dir/probe.json"
  stop_app

  log "$db: seeding $COMPANIES companies"
  local seed_args=(--db "$db" --probe "$dir/probe.json" --count "$COMPANIES" --query-term "$QUERY" --out "$dir")
  if [[ $db == sqlite ]]; then
    seed_args+=(--sqlite "$WORK/$db-data/consentry.db")
  else
    seed_args+=(--pg-port "$PG_PORT")
  fi
  python3 "$BENCH/seed.py" "${seed_args[@]}" >"$dir/seed.log" 2>&1 || { cat "$dir/seed.log" >&2; die "seeding failed"; }
  log "$db: $(tail -1 "$dir/seed.log")"

  log "$db: fresh server process for the measurements"
  cat /proc/loadavg >"$dir/loadavg_before.txt"
  start_app "$db" "$applog"
  smoke "$db"
  unloaded "$db"

  for name in "${ENDPOINTS[@]}"; do
    local ids="$dir/ids_all.txt"
    [[ $name == get_connections ]] && ids="$dir/ids_connected.txt"
    run_wrk "$db" "$name" "$ids"
  done

  # Peak and current resident memory of the server process over the whole run.
  grep -E '^(VmHWM|VmRSS):' "/proc/$APP_PID/status" >"$dir/memory.txt" || die "cannot read /proc/$APP_PID/status"
  log "$db: $(tr '\n' ' ' <"$dir/memory.txt")"
  stop_app
  if [[ $db == postgres ]]; then
    du -sh "$PG_DATA" | cut -f1 >"$dir/db_size.txt"
    stop_pg
  else
    du -sh "$WORK/$db-data" | cut -f1 >"$dir/db_size.txt"
  fi
}

for db in $DBS; do
  run_database "$db"
done

# ------------------------------------------------------------------ 5. the report
{
  echo "date=$(date -u +%Y-%m-%d)"
  echo "datetime=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit=$COMMIT"
  echo "dirty=$DIRTY"
  echo "nproc=$(nproc)"
  echo "mem_kb=$(awk '/^MemTotal/{print $2}' /proc/meminfo)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "kernel=$(uname -r)"
  echo "dotnet=$(dotnet --version 2>/dev/null || echo unknown)"
  echo "wrk=$(wrk -v 2>&1 | head -1 | awk '{print $2}')"
  echo "postgres=$("$PG_BIN/postgres" --version 2>/dev/null | awk '{print $3}')"
  echo "threads=$THREADS"
  echo "connections=$CONNECTIONS"
  echo "duration=$DURATION"
  echo "warmup=$WARMUP"
  echo "companies=$COMPANIES"
  echo "query=$QUERY"
  echo "dbs=$DBS"
  echo "elapsed=$(( $(date +%s) - START_EPOCH ))"
} >"$RESULTS/run.env"

echo "$RESULTS" >"$BENCH/out/results/latest-run.txt"
if [[ ${#ENDPOINTS[@]} -lt ${#ALL_ENDPOINTS[@]} ]]; then
  for db in $DBS; do
    for name in "${ENDPOINTS[@]}"; do
      log "$db $name: $(python3 "$BENCH/measure.py" wrk-summary "$RESULTS/$db/$name.txt")"
    done
  done
else
  python3 "$BENCH/report.py" --results "$RESULTS" --doc "$DOC"
fi
log "done in $(( $(date +%s) - START_EPOCH )) s; raw results in ${RESULTS#"$ROOT"/}"
