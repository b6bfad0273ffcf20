#!/usr/bin/env bash
# The soak run (issue 9; not part of CI): a local cluster (deploy/local-cluster.sh: PostgreSQL, 2 instances, nginx)
# under steady traffic for a bounded time — Link journeys through nginx (bench/journeys/Driver), each one queueing
# sync reads and webhook deliveries to a local receiver (bench/webhooks/Receiver) — while every SOAK_SAMPLE seconds
# the resident memory (VmRSS), open handles (/proc/PID/fd) and threads of each instance are recorded. Memory and
# handles should level off, not climb. Writes a "Soak" section at the end of docs/benchmarks.md.
#
#   bench/soak/run.sh                 # 10 minutes
#   bench/soak/run.sh -m 3            # 3 minutes (SOAK_MINUTES=3 works too)
#   SOAK_DOC=- bench/soak/run.sh -m 1 # a try-out that leaves the doc alone
#
# Settings (environment): SOAK_MINUTES (10; 1..60), SOAK_INSTANCES (2), SOAK_CONCURRENCY (4 customers),
# SOAK_SAMPLE (10 s), SOAK_PORT (18580), SOAK_DOC (docs/benchmarks.md; "-" = do not write it), SOAK_APP (a published
# Consentry folder to use instead of building one, e.g. bench/cluster/out/app).
# Everything it starts is stopped on exit; traffic goes to 127.0.0.1 only; samples stay in bench/soak/out/<timestamp>/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MINUTES=${SOAK_MINUTES:-10}
while getopts "m:" opt; do case "$opt" in m) MINUTES=$OPTARG ;; *) echo "usage: $0 [-m minutes]" >&2; exit 2 ;; esac; done
INSTANCES=${SOAK_INSTANCES:-2}
CONCURRENCY=${SOAK_CONCURRENCY:-4}
SAMPLE=${SOAK_SAMPLE:-10}
PORT=${SOAK_PORT:-18580}
DOC=${SOAK_DOC:-"$ROOT/docs/benchmarks.md"}
OUT="$ROOT/bench/soak/out/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
export CLUSTER_DIR="/tmp/consentry-soak-$$"
export CLUSTER_APP="${SOAK_APP:-$ROOT/bench/soak/out/app}"
export CLUSTER_API_KEY="soak-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
CLUSTER="$ROOT/deploy/local-cluster.sh"
RECV_PID="" DRIVER_PID=""

log() { printf '[soak %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
for n in "$MINUTES" "$INSTANCES" "$CONCURRENCY" "$SAMPLE" "$PORT"; do [[ "$n" =~ ^[0-9]+$ ]] || die "numeric settings only"; done
[[ $MINUTES -ge 1 && $MINUTES -le 60 ]] || die "1 <= minutes <= 60"

cleanup() {
  local status=$?
  for pid in "$DRIVER_PID" "$RECV_PID"; do [[ -n "$pid" ]] && { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }; done
  "$CLUSTER" stop >/dev/null 2>&1 || true
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "building Consentry (Release), the journey driver and the receiver"
if [[ -z "${SOAK_APP:-}" ]]; then
  rm -rf "$CLUSTER_APP"
  dotnet publish "$ROOT/src/Consentry" -c Release -o "$CLUSTER_APP" -nologo -v q -clp:ErrorsOnly >"$OUT/build.log" 2>&1 || { tail -30 "$OUT/build.log" >&2; die "build failed"; }
fi
dotnet build "$ROOT/bench/journeys/Driver" -c Release -nologo -v q -clp:ErrorsOnly >>"$OUT/build.log" 2>&1 || die "driver build failed"
dotnet build "$ROOT/bench/webhooks/Receiver" -c Release -nologo -v q -clp:ErrorsOnly >>"$OUT/build.log" 2>&1 || die "receiver build failed"

recv_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"$ROOT/bench/webhooks/Receiver/bin/Release/net10.0/Receiver" --port "$recv_port" >"$OUT/receiver.out" 2>&1 &
RECV_PID=$!
CLUSTER_ENV="Consentry__RateLimits__Enabled=${BENCH_RATE_LIMITS:-false} ${CLUSTER_ENV:-}" "$CLUSTER" start -n "$INSTANCES" -p "$PORT" >/dev/null 2>"$OUT/cluster.log"
BASE="http://127.0.0.1:$PORT"
curl -fsS -o /dev/null -H "Authorization: Basic $(printf %s "$CLUSTER_API_KEY" | base64 -w0)" -H 'Content-Type: application/json' \
  -d "{\"url\":\"http://127.0.0.1:$recv_port/hook/soak\",\"eventTypes\":[\"company.created\",\"connection.connected\",\"read.completed\"]}" "$BASE/webhooks"

SECONDS_TOTAL=$((MINUTES * 60))
log "$INSTANCES instances, $CONCURRENCY customers for $MINUTES min; sampling every ${SAMPLE}s into ${OUT#"$ROOT"/}/samples.csv"
"$ROOT/bench/journeys/Driver/bin/Release/net10.0/Driver" --base "$BASE" --key "$CLUSTER_API_KEY" --concurrency "$CONCURRENCY" \
  --warmup 0 --duration "$SECONDS_TOTAL" --out "$OUT/driver.json" >"$OUT/driver.txt" 2>&1 &
DRIVER_PID=$!

echo "elapsed_s,instance,pid,rss_kb,fds,threads" >"$OUT/samples.csv"
start=$(date +%s)
while kill -0 "$DRIVER_PID" 2>/dev/null && [[ $(( $(date +%s) - start )) -le $((SECONDS_TOTAL + 120)) ]]; do
  for k in $(seq 1 "$INSTANCES"); do
    pid=$(cat "$CLUSTER_DIR/instance-$k.pid")
    [[ -d /proc/$pid ]] || die "instance $k is gone"
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
    threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
    fds=$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
    echo "$(( $(date +%s) - start )),$k,$pid,$rss,$fds,$threads" >>"$OUT/samples.csv"
  done
  sleep "$SAMPLE"
done
wait "$DRIVER_PID" || true
DRIVER_PID=""
deliveries=$(curl -fsS "http://127.0.0.1:$recv_port/count" || echo "?")
{
  echo "minutes=$MINUTES"
  echo "instances=$INSTANCES"
  echo "concurrency=$CONCURRENCY"
  echo "deliveries=$deliveries"
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit=$(git -C "$ROOT" rev-parse --short HEAD)"
  echo "loadavg=$(cut -d' ' -f1-3 /proc/loadavg)"
} >"$OUT/run.env"
python3 "$ROOT/bench/soak/report.py" --out "$OUT" --doc "$DOC"
