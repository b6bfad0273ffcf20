#!/usr/bin/env bash
# Quick request-path benchmark (issue 18, items 1 and 5): one published build, SQLite, a small data set made through
# the API (50 companies, 3 connections each), then wrk on the bare endpoint, GET /companies/{id} and
# GET /companies/{id}/connections back to back in the same process, plus start-up and idle-memory figures.
#
#   bench/hotpath/run.sh <published app dir> [out dir]
#
# Settings (environment): HP_DURATION (10 s), HP_WARMUP (5 s), HP_CONNECTIONS (32), HP_COMPANIES (50).
# Everything it starts is stopped on exit; traffic goes to 127.0.0.1 only.
set -euo pipefail
APP=${1:?published app directory}
OUT=${2:-$(mktemp -d /tmp/hotpath-bench.XXXXXX)}
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=${HP_DURATION:-10}; WARMUP=${HP_WARMUP:-5}; CONNS=${HP_CONNECTIONS:-32}; COMPANIES=${HP_COMPANIES:-50}
KEY="hp-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
AUTH="Basic $(printf %s "$KEY" | base64 -w0)"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
DATA=$(mktemp -d /tmp/hotpath-data.XXXXXX)
mkdir -p "$OUT"
PID=""
cleanup() { [[ -n "$PID" ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$DATA"; }
trap cleanup EXIT

T0=$(date +%s.%N)
(cd "$APP" && exec env ASPNETCORE_ENVIRONMENT=Production Consentry__DataProtection__AllowUnprotectedKeys=true \
   Logging__LogLevel__Default=Warning Consentry__Bootstrap__ApiKey="$KEY" Consentry__DataDirectory="$DATA" \
   Consentry__RateLimits__Enabled=false Consentry__Database__Provider=Sqlite \
   ./Consentry --urls "http://127.0.0.1:$PORT" >"$OUT/server.log" 2>&1) &
PID=$!
until curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null; do sleep 0.05; done
T1=$(date +%s.%N)
echo "start_to_healthz_s=$(python3 -c "print(round($T1-$T0,2))")" | tee "$OUT/summary.txt"
sleep 10
echo "idle_rss_kb_after_10s=$(awk '/VmRSS/{print $2}' /proc/$PID/status)" | tee -a "$OUT/summary.txt"

api() { curl -fsS -X "$1" -H "Authorization: $AUTH" -H 'Content-Type: application/json' ${3:+--data "$3"} "http://127.0.0.1:$PORT$2"; }
: >"$OUT/ids.txt"
for i in $(seq 1 "$COMPANIES"); do
  id=$(api POST /companies "{\"name\":\"Bench $i\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  for p in sbac sbbk sbcm; do api POST "/companies/$id/connections" "{\"platformKey\":\"$p\"}" >/dev/null; done
  echo "$id" >>"$OUT/ids.txt"
done

# First requests of a fresh process: how long until a GET /companies/{id} is as fast as when warm.
python3 - "$PORT" "$AUTH" "$OUT/ids.txt" <<'PY' | tee -a "$OUT/summary.txt"
import sys, time, urllib.request
port, auth, ids = sys.argv[1], sys.argv[2], open(sys.argv[3]).read().split()
def one(i):
    r = urllib.request.Request(f"http://127.0.0.1:{port}/companies/{ids[i % len(ids)]}", headers={"Authorization": auth})
    t = time.perf_counter(); urllib.request.urlopen(r).read(); return (time.perf_counter() - t) * 1000
first = [one(i) for i in range(200)]
print(f"first_request_ms={first[0]:.1f} median_of_first_100_ms={sorted(first[:100])[50]:.2f} median_of_next_100_ms={sorted(first[100:])[50]:.2f}")
PY

run() { # name lua ids
  BENCH_LUA_DIR="$BENCH/lua" BENCH_AUTH="${4:-}" BENCH_IDS="$3" wrk -t2 -c"$CONNS" -d"${WARMUP}s" -s "$BENCH/lua/$2.lua" "http://127.0.0.1:$PORT/" >/dev/null 2>&1
  local c0; c0=$(awk '{print $14+$15}' /proc/$PID/stat)
  BENCH_LUA_DIR="$BENCH/lua" BENCH_AUTH="${4:-}" BENCH_IDS="$3" wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency -s "$BENCH/lua/$2.lua" "http://127.0.0.1:$PORT/" >"$OUT/$1.txt" 2>&1
  local c1; c1=$(awk '{print $14+$15}' /proc/$PID/stat)
  local rps; rps=$(awk '/^Requests\/sec/{print $2}' "$OUT/$1.txt")
  local p99; p99=$(awk '$1=="99%"{print $2}' "$OUT/$1.txt")
  local non2xx; non2xx=$(awk '/Non-2xx/{print $5}' "$OUT/$1.txt")
  echo "$1 rps=$rps p99=$p99 non2xx=${non2xx:-0} server_cpu_us_per_req=$(python3 -c "print(round(($c1-$c0)*10000/($rps*$DURATION)))")" | tee -a "$OUT/summary.txt"
}
run ceiling ceiling "$OUT/ids.txt"
run get_company get_company "$OUT/ids.txt" "$AUTH"
run get_connections get_connections "$OUT/ids.txt" "$AUTH"
run ceiling_again ceiling "$OUT/ids.txt"
echo "peak_rss_kb=$(awk '/VmHWM/{print $2}' /proc/$PID/status) rss_after_kb=$(awk '/VmRSS/{print $2}' /proc/$PID/status)" | tee -a "$OUT/summary.txt"
python3 - "$OUT/summary.txt" <<'PY' | tee -a "$OUT/summary.txt"
import re, sys
v = {m[0]: float(m[1]) for m in re.findall(r"^(\w+) rps=([\d.]+)", open(sys.argv[1]).read(), re.M)}
ceil = max(v["ceiling"], v["ceiling_again"])
print(f"ratio get_company={v['get_company']/ceil:.3f} get_connections={v['get_connections']/ceil:.3f} (ceiling {ceil:.0f})")
PY
echo "results in $OUT"
