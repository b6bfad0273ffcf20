#!/usr/bin/env bash
# The cluster benchmark (issue 9): Link journeys per second and webhook deliveries per second through nginx, with 1
# and with 2 Consentry instances on one PostgreSQL (deploy/local-cluster.sh starts each cluster, fresh every time).
# Reuses the journey driver (bench/journeys/Driver) and the webhook receiver (bench/webhooks/Receiver). Writes a
# "Cluster" section at the end of docs/benchmarks.md and draws docs/cluster-scaling.svg (bench/cluster/plot.py).
#
#   bench/cluster/run.sh                         # ~6 minutes on 2 cores
#   CB_DEV=1 CB_WARMUP=10 CB_DURATION=10 CB_EVENTS=2000 bench/cluster/run.sh   # a short debugging run (no doc)
#
# Method, for N = each of CB_INSTANCES ("1 2"):
#   journeys: a cluster of N instances (sync worker off: bench/sync measures reads); the driver runs CB_CONCURRENCY
#     virtual customers through nginx, CB_WARMUP s of warm-up then CB_DURATION s measured (journeys/s as in
#     bench/journeys); the machine's busy cores and PostgreSQL's cores over the window come from /proc.
#   webhooks: a cluster of N instances with the delivery worker off; one consumer (the receiver on 127.0.0.1) and
#     CB_EVENTS companies created through nginx (the backlog); then every instance restarts at once with the worker on
#     (deploy/local-cluster.sh restart-all) and deliveries/s = deliveries / (last receipt - first receipt).
#
# Settings (environment): CB_INSTANCES ("1 2"), CB_CONCURRENCY (32), CB_WARMUP (60), CB_DURATION (30), CB_EVENTS
# (10000), CB_PORT (18480), CB_DOC (docs/benchmarks.md; "-" = do not write it), CB_DEV=1 (never writes the doc),
# CB_REUSE_APP=1 (debugging: reuse the server published by the previous run).
# Everything it starts is stopped on exit; all traffic goes to 127.0.0.1; raw results stay in
# bench/cluster/out/results/<timestamp>/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CB="$ROOT/bench/cluster"
OUT="$CB/out"
INSTANCE_COUNTS=${CB_INSTANCES:-"1 2"}
CONCURRENCY=${CB_CONCURRENCY:-32}
WARMUP=${CB_WARMUP:-60}
DURATION=${CB_DURATION:-30}
EVENTS=${CB_EVENTS:-10000}
PORT=${CB_PORT:-18480}
DOC=${CB_DOC:-"$ROOT/docs/benchmarks.md"}
[[ ${CB_DEV:-0} == 1 ]] && DOC=-
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS="$OUT/results/$STAMP"
mkdir -p "$RESULTS"
export CLUSTER_DIR="/tmp/consentry-cluster-bench-$$"
export CLUSTER_APP="$OUT/app"
export CLUSTER_API_KEY="cbbench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
CLUSTER="$ROOT/deploy/local-cluster.sh"
BASE="http://127.0.0.1:$PORT"
AUTH="Basic $(printf %s "$CLUSTER_API_KEY" | base64 -w0)"
RECV_PID=""

log() { printf '[cluster-bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

for n in "$CONCURRENCY" "$WARMUP" "$DURATION" "$EVENTS" "$PORT"; do [[ "$n" =~ ^[0-9]+$ ]] || die "numeric settings only"; done
[[ $EUID -eq 0 ]] || die "run as root (PostgreSQL runs as the user postgres)"

cleanup() {
  local status=$?
  [[ -n "$RECV_PID" ]] && { kill -TERM "$RECV_PID" 2>/dev/null || true; wait "$RECV_PID" 2>/dev/null || true; }
  "$CLUSTER" stop >/dev/null 2>&1 || true
  [[ $status -ne 0 ]] && log "failed (exit $status); logs in ${RESULTS#"$ROOT"/}"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

# busy_cores_since <file written by snap>: the machine's busy cores since then (from /proc/stat).
snap() { head -1 /proc/stat >"$1"; date +%s.%N >>"$1"; }
busy_cores_since() {
  python3 - "$1" <<'PY'
import sys, time
a, t0 = open(sys.argv[1]).read().split("\n")[:2]
b = open("/proc/stat").readline()
va, vb = [int(x) for x in a.split()[1:9]], [int(x) for x in b.split()[1:9]]
total = sum(vb) - sum(va); idle = (vb[3] + vb[4]) - (va[3] + va[4])
import os
print(round((total - idle) / max(1, total) * (os.cpu_count() or 1), 2))
PY
}

log "building Consentry (Release) into ${CLUSTER_APP#"$ROOT"/}, the journey driver and the webhook receiver"
if [[ ${CB_REUSE_APP:-0} != 1 || ! -f "$CLUSTER_APP/Consentry.dll" ]]; then
  rm -rf "$CLUSTER_APP"
  dotnet publish "$ROOT/src/Consentry" -c Release -o "$CLUSTER_APP" -nologo -v q -clp:ErrorsOnly >"$RESULTS/build.log" 2>&1 || { tail -30 "$RESULTS/build.log" >&2; die "build failed"; }
fi
dotnet build "$ROOT/bench/journeys/Driver" -c Release -nologo -v q -clp:ErrorsOnly >>"$RESULTS/build.log" 2>&1 || die "driver build failed"
dotnet build "$ROOT/bench/webhooks/Receiver" -c Release -nologo -v q -clp:ErrorsOnly >>"$RESULTS/build.log" 2>&1 || die "receiver build failed"
DRIVER="$ROOT/bench/journeys/Driver/bin/Release/net10.0/Driver"
RECEIVER="$ROOT/bench/webhooks/Receiver/bin/Release/net10.0/Receiver"

pg_pid() { head -1 "$CLUSTER_DIR/pg/data/postmaster.pid"; }

journeys() {
  local n=$1
  CLUSTER_ENV="Consentry__RateLimits__Enabled=${BENCH_RATE_LIMITS:-false} Consentry__Sync__RunWorker=false" "$CLUSTER" start -n "$n" -p "$PORT" >/dev/null 2>"$RESULTS/journeys-$n-cluster.log"
  log "journeys, $n instance(s): $CONCURRENCY customers, ${WARMUP}s warm-up, ${DURATION}s measured"
  "$DRIVER" --base "$BASE" --key "$CLUSTER_API_KEY" --concurrency "$CONCURRENCY" --warmup "$WARMUP" --duration "$DURATION" \
    --server-pid "$(cat "$CLUSTER_DIR/instance-1.pid")" --pg-pid "$(pg_pid)" --clk-tck "$(getconf CLK_TCK)" \
    --out "$RESULTS/journeys-$n.json" >"$RESULTS/journeys-$n.txt" 2>&1 || { cat "$RESULTS/journeys-$n.txt" >&2; die "driver failed"; }
  tail -3 "$RESULTS/journeys-$n.txt" >&2
  "$CLUSTER" stop >/dev/null 2>&1
}

webhooks() {
  local n=$1 recv_port
  recv_port=$(free_port)
  DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 "$RECEIVER" --port "$recv_port" >"$RESULTS/receiver-$n.out" 2>&1 &
  RECV_PID=$!
  for _ in $(seq 1 100); do curl -fsS -o /dev/null "http://127.0.0.1:$recv_port/count" 2>/dev/null && break; sleep 0.1; done
  CLUSTER_ENV="Consentry__RateLimits__Enabled=${BENCH_RATE_LIMITS:-false} Consentry__Sync__RunWorker=false Consentry__Webhooks__RunWorker=false" "$CLUSTER" start -n "$n" -p "$PORT" >/dev/null 2>"$RESULTS/webhooks-$n-cluster.log"
  curl -fsS -o /dev/null -H "Authorization: $AUTH" -H 'Content-Type: application/json' \
    -d "{\"url\":\"http://127.0.0.1:$recv_port/hook/c1\",\"eventTypes\":[\"company.created\"]}" "$BASE/webhooks"
  log "webhooks, $n instance(s): a backlog of $EVENTS company.created events through nginx"
  python3 - "$BASE" "$AUTH" "$EVENTS" <<'PY'
import http.client, json, sys, threading
base, auth, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
host, port = base.split("//")[1].split(":")
lock, state = threading.Lock(), {"next": 0, "failed": 0}
def work():
    c = http.client.HTTPConnection(host, int(port), timeout=30)
    while True:
        with lock:
            i = state["next"]; state["next"] += 1
        if i >= total: return
        c.request("POST", "/companies", json.dumps({"name": f"Backlog {i}"}), {"Authorization": auth, "Content-Type": "application/json"})
        r = c.getresponse(); r.read()
        if r.status != 200:
            with lock: state["failed"] += 1
threads = [threading.Thread(target=work) for _ in range(16)]
[t.start() for t in threads]; [t.join() for t in threads]
if state["failed"]: sys.exit(f"{state['failed']} companies not created")
PY
  snap "$RESULTS/webhooks-$n.cpu"
  CLUSTER_ENV="Consentry__RateLimits__Enabled=${BENCH_RATE_LIMITS:-false} Consentry__Sync__RunWorker=false" "$CLUSTER" restart-all 2>>"$RESULTS/webhooks-$n-cluster.log"
  local deadline=$(( $(date +%s) + 600 )) count=0
  while [[ $(date +%s) -lt $deadline ]]; do
    count=$(curl -fsS "http://127.0.0.1:$recv_port/count" 2>/dev/null || echo 0)
    [[ $count -ge $EVENTS ]] && break
    sleep 0.5
  done
  [[ $count -ge $EVENTS ]] || die "only $count of $EVENTS deliveries arrived within 600 s"
  echo "busy_cores=$(busy_cores_since "$RESULTS/webhooks-$n.cpu")" >"$RESULTS/webhooks-$n.env"
  curl -fsS "http://127.0.0.1:$recv_port/stats" >"$RESULTS/webhooks-$n.json"
  kill -TERM "$RECV_PID" 2>/dev/null || true; wait "$RECV_PID" 2>/dev/null || true; RECV_PID=""
  python3 - "$RESULTS/webhooks-$n.json" >&2 <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
print("%d deliveries, %.1f/s, duplicates %d" % (s["unique"], s["unique"] / max(1e-9, s["lastArrival"] - s["firstArrival"]), s["duplicates"]))
PY
  "$CLUSTER" stop >/dev/null 2>&1
}

{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit=$(git -C "$ROOT" rev-parse --short HEAD)"
  echo "nproc=$(nproc)"
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "loadavg_before=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "instances=$INSTANCE_COUNTS"
  echo "concurrency=$CONCURRENCY"
  echo "warmup=$WARMUP"
  echo "duration=$DURATION"
  echo "events=$EVENTS"
} >"$RESULTS/run.env"
for n in $INSTANCE_COUNTS; do journeys "$n"; webhooks "$n"; done
echo "loadavg_after=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$RESULTS/run.env"

python3 "$CB/report.py" --results "$RESULTS" --doc "$DOC" --svg "$ROOT/docs/cluster-scaling.svg"
log "done; results in ${RESULTS#"$ROOT"/}"
