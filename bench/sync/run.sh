#!/usr/bin/env bash
# The sync benchmark (issue 5): how fast the sync engine reads a company's data from a platform into the cache.
# One company, the accounting sandbox (sbac) holding SY_RECORDS records in all (its own customers and accounts, and
# invoices added through the sandbox's control API); a journey links it over HTTP, and the clock runs from the
# callback's answer (the reads are queued in that transaction) until every data type is Complete in dataStatus.
# Then 1% of the invoices change and one incremental read of the invoices is timed. SQLite and PostgreSQL, each on a
# fresh database. Writes a "Sync" section at the end of docs/benchmarks.md.
#
#   bench/sync/run.sh                     # both databases, ~2 minutes on 2 cores
#   SY_DBS=sqlite SY_DOC=- bench/sync/run.sh
#
# Settings: SY_DBS ("sqlite postgres"), SY_RECORDS (50000), SY_TARGET (20000 records/s), SY_DOC (docs/benchmarks.md;
# "-" = do not write), SY_PG_BIN (/usr/lib/postgresql/15/bin), SY_PAGE_SIZE (500), SY_CONCURRENCY (8, the worker's),
# SY_WARMUPS (8: 20,000-record reads before the measured one, not counted), SY_COMMIT (HEAD: the commit to build, e.g. main, for a before/after pair run back to back), SY_APP (a server already
# published in Release from SY_COMMIT: no build), SY_DRIVER (the driver already built), SY_KEEP_DRIVER (copy the driver
# built here to that folder), SY_BUILD_TIMEOUT (600 s).
# After the measured read the bare endpoint (GET /branding/sbac/logo-square.svg, no auth, no database) is measured on
# the same warm server with wrk (2 threads, 32 connections, 5 s), so the records/s can be read beside it.
# Everything it starts is stopped on exit; all traffic stays on localhost.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT="$ROOT/bench/sync/out"
DBS=${SY_DBS:-"sqlite postgres"}
RECORDS=${SY_RECORDS:-50000}
TARGET=${SY_TARGET:-20000}
DOC=${SY_DOC:-"$ROOT/docs/benchmarks.md"}
PG_BIN=${SY_PG_BIN:-/usr/lib/postgresql/15/bin}
PAGE_SIZE=${SY_PAGE_SIZE:-500}
CONCURRENCY=${SY_CONCURRENCY:-8}
# Eight, not three: after three warm-up reads the runtime was still compiling the read path's hot methods (tiered PGO:
# 5,128 methods jitted during the measured read, libclrjit 15-25 % of its CPU); after eight, 477 and most at tier 1.
WARMUPS=${SY_WARMUPS:-8}
API_KEY="sybench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
WORK=$(mktemp -d /tmp/consentry-sync-bench.XXXXXX)
chmod 755 "$WORK"
RESULTS="$OUT/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$RESULTS"
APP_PID="" PG_DATA="" PG_PID=""

log() { printf '[sync %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

stop_app() {
  if [[ -n "$APP_PID" ]] && kill -0 "$APP_PID" 2>/dev/null; then
    kill -TERM "$APP_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$APP_PID" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$APP_PID" 2>/dev/null || true
  fi
  APP_PID=""
}

stop_pg() {
  [[ -n "$PG_DATA" && -f "$PG_DATA/postmaster.pid" ]] && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 30 stop >/dev/null 2>&1 || true
  PG_DATA=""
}

cleanup() { local s=$?; stop_app; stop_pg; rm -rf "$WORK"; exit $s; }
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

COMMIT=$(git -C "$ROOT" rev-parse --short "${SY_COMMIT:-HEAD}")
log "building Consentry $COMMIT (Release, a clean snapshot of HEAD) and the driver"
mkdir -p "$WORK/src"
git -C "$ROOT" archive --format=tar "$COMMIT" | tar -x -C "$WORK/src"
if [[ -n ${SY_APP:-} ]]; then
  # A server already published (Release) from SY_COMMIT, e.g. to run main and a branch back to back without two builds.
  cp -r "$SY_APP" "$WORK/app"
else
  timeout "${SY_BUILD_TIMEOUT:-600}" dotnet publish "$WORK/src/src/Consentry" -c Release -o "$WORK/app" -nologo -v q -clp:ErrorsOnly >"$RESULTS/build.log" 2>&1 \
    || { tail -30 "$RESULTS/build.log" >&2; die "build failed"; }
fi
if [[ -n ${SY_DRIVER:-} ]]; then
  cp -r "$SY_DRIVER" "$WORK/driver"
else
  timeout "${SY_BUILD_TIMEOUT:-300}" dotnet build "$WORK/src/bench/journeys/Driver" -c Release -o "$WORK/driver" -nologo -v q -clp:ErrorsOnly >"$RESULTS/driver-build.log" 2>&1 \
    || { tail -30 "$RESULTS/driver-build.log" >&2; die "driver build failed"; }
  [[ -n ${SY_KEEP_DRIVER:-} ]] && cp -r "$WORK/driver" "$SY_KEEP_DRIVER"
fi

start_pg() {
  PG_PORT=$(free_port)
  PG_DATA="$WORK/pg/data"
  mkdir -p "$WORK/pg" && chown postgres: "$WORK/pg"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$RESULTS/initdb.log" 2>&1 || die "initdb failed"
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -t 60 -l "$WORK/pg/server.log" \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $WORK/pg" start >/dev/null || die "PostgreSQL did not start"
  psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE consentry" >/dev/null
  PG_PID=$(head -1 "$PG_DATA/postmaster.pid")
}

start_app() {
  local db=$1
  APP_PORT=$(free_port)
  local env=(ASPNETCORE_ENVIRONMENT=Production Consentry__DataProtection__AllowUnprotectedKeys=true Logging__LogLevel__Default=Warning
    Consentry__PublicBaseUrl="http://localhost:$APP_PORT" Consentry__Bootstrap__ApiKey="$API_KEY"
    Consentry__DataDirectory="$WORK/$db-data" Consentry__Sync__PageSize="$PAGE_SIZE" Consentry__Sync__MaxConcurrency="$CONCURRENCY"
    Consentry__RateLimits__Enabled="${BENCH_RATE_LIMITS:-false}")  # the benchmarks measure throughput, not the abuse limits
  if [[ $db == postgres ]]; then
    env+=(Consentry__Database__Provider=Postgres "ConnectionStrings__Consentry=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=consentry")
  fi
  (cd "$WORK/app" && exec env "${env[@]}" ./Consentry --urls "http://localhost:$APP_PORT" >>"$RESULTS/$db-server.log" 2>&1) &
  APP_PID=$!
  for _ in $(seq 1 240); do
    kill -0 "$APP_PID" 2>/dev/null || { tail -30 "$RESULTS/$db-server.log" >&2; die "the server exited at start"; }
    curl -fsS --max-time 2 -o /dev/null "http://localhost:$APP_PORT/healthz" 2>/dev/null && return 0
    sleep 0.25
  done
  die "the server did not answer /healthz within 60 s"
}

for db in $DBS; do
  log "$db: fresh database, $RECORDS records at the platform"
  PG_PID=""
  [[ $db == postgres ]] && start_pg
  start_app "$db"
  # Warm-up reads let tiered compilation reach tier 1 and fill the connection pools (not measured).
  for w in $(seq 1 "$WARMUPS"); do "$WORK/driver/Driver" sync --base "http://localhost:$APP_PORT" --key "$API_KEY" --records 20000 >"$RESULTS/$db-warmup-$w.json"; done
  "$WORK/driver/Driver" sync --base "http://localhost:$APP_PORT" --key "$API_KEY" --records "$RECORDS" \
    --server-pid "$APP_PID" --pg-pid "$PG_PID" --out "$RESULTS/$db.json" >/dev/null
  grep -h VmHWM "/proc/$APP_PID/status" | awk '{print $2}' >"$RESULTS/$db-rss-kb.txt" || true
  wrk -t2 -c32 -d5s "http://localhost:$APP_PORT/branding/sbac/logo-square.svg" 2>&1 | awk '/Requests\/sec/{print $2}' >"$RESULTS/$db-bare.txt" || true
  log "$db: $(tr -d '\n ' <"$RESULTS/$db.json" | cut -c1-200)"
  stop_app
  stop_pg
done

python3 - "$RESULTS" "$DOC" "$COMMIT" "$RECORDS" "$TARGET" "$PAGE_SIZE" "$CONCURRENCY" "$DBS" "$WARMUPS" <<'PY'
import json, os, platform, sys, datetime, re, subprocess
results, doc, commit, records, target, page, conc, dbs, warmups = sys.argv[1:10]
target = int(target)
titles = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
rows, verdicts = [], []
for db in dbs.split():
    r = json.load(open(os.path.join(results, f"{db}.json")))
    rss = open(os.path.join(results, f"{db}-rss-kb.txt")).read().strip() or "0"
    bare_path = os.path.join(results, f"{db}-bare.txt")
    bare = open(bare_path).read().strip() if os.path.exists(bare_path) else ""
    bare = f"{float(bare):,.0f} req/s" if bare else "–"
    ok = r["recordsPerSecond"] >= target and r["storedInvoices"] == r["invoices"]
    verdicts.append(f"{'✓' if ok else '✗'} {titles[db]} {r['recordsPerSecond']:,.0f} records/s")
    pg = f"{r['postgresCpuSeconds']:.1f} s" if r.get("postgresCpuSeconds") is not None else "–"
    rows.append(f"| {titles[db]} | {r['records']:,} | **{r['recordsPerSecond']:,.0f}** | {r['fullSeconds']:.2f} s | {r['serverCpuSeconds']:.1f} s | {pg} | "
                f"{int(rss)//1024} MiB | {bare} | {r['changed']:,} | {r['incrementalSeconds']:.2f} s | {'PASS' if ok else 'FAIL'} (≥ {target:,}/s) |")
section = f"""<!-- bench/sync/run.sh: start -->
## Sync

`bench/sync/run.sh`: one company whose accounting sandbox (`sbac`) holds {int(records):,} records (company, accounts,
customers and invoices; invoices added through the sandbox's control API). A journey links it over HTTP; the clock runs
from the callback's answer (the first reads are queued in that transaction) until `dataStatus` shows every data type
`Complete` (polled every 20 ms). Then 1% of the invoices change at the platform and `POST …/data/queue/invoices` is
timed until that dataset is `Complete` (an incremental read: only the changed records come back).
Records travel over real HTTP from the sandbox (served by the same process) in pages of {page}, are mapped to Codat's
shape and upserted with their progress, the pages that have already arrived together (up to `Sync:PagesPerTransaction`, 4, per transaction). **Target: at least {target:,} records/s on 2 cores.**

- **Date:** {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC
- **Commit:** `{commit}` (clean snapshot, Release build)
- **Machine:** {os.cpu_count()} vCPU ({cpu}), Linux {platform.release()}
- **Settings:** `Consentry__Sync__PageSize={page}`, `Consentry__Sync__MaxConcurrency={conc}`; a fresh database each; {warmups} warm-up reads of 20,000 records first (not counted: a fresh process runs tier-0 and instrumented JIT code for a while)

| database | records | records/s | time to Complete | server CPU | PostgreSQL CPU | peak RSS | bare endpoint, same server | changed | incremental read | target |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|
""" + "\n".join(rows) + f"""

**Target:** {'; '.join(verdicts)} (≥ {target:,}/s, every invoice stored).
<!-- bench/sync/run.sh: end -->
"""
os.makedirs(os.path.dirname(os.path.join(results, "..", "..", "section.md")), exist_ok=True)
open(os.path.join(results, "..", "..", "section.md"), "w").write(section)
if doc != "-":
    text = open(doc).read()
    start, end = "<!-- bench/sync/run.sh: start -->", "<!-- bench/sync/run.sh: end -->"
    if start in text:
        text = text[:text.index(start)] + section.rstrip("\n") + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    open(doc, "w").write(text)
print(section)
PY
