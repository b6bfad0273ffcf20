#!/usr/bin/env bash
# Every benchmark, one after the other, then ONE summary table (the figures of issue 18, SQLite and PostgreSQL side by
# side, each beside the bare endpoint of the same run) at the top of docs/benchmarks.md; the rest of the file is kept.
#
#   bench/all.sh                      # everything, full length: about 30 minutes on 2 cores
#   bench/all.sh search startup       # a subset: core search journeys sync webhooks startup
#   BENCH_SHORT=1 bench/all.sh        # short runs (minutes, not an hour): a check that everything works
#
# Parts: core (bench/run.sh: GET ratios, search p99, bare endpoint), search (bench/run.sh with the bare endpoint and
# the search list only), journeys (bench/journeys/run.sh), sync (bench/sync/run.sh), webhooks (bench/webhooks/run.sh),
# startup (bench/startup/run.sh: start to full speed, idle RSS). In full mode each benchmark also writes its own
# section of docs/benchmarks.md as it does alone; in short mode only the summary table is written, marked "short".
# Settings: BENCH_SHORT (0), BENCH_DBS ("sqlite postgres", passed to every part), BENCH_ALL_DOC (docs/benchmarks.md;
# "-" prints the table only). Other settings of each part (BENCH_*, JR_*, SY_*, WH_*, ST_*) pass through.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHORT=${BENCH_SHORT:-0}
DBS=${BENCH_DBS:-"sqlite postgres"}
DOC=${BENCH_ALL_DOC:-"$ROOT/docs/benchmarks.md"}
PARTS=("$@")
[[ ${#PARTS[@]} -gt 0 ]] || PARTS=(core journeys sync webhooks startup)
for part in "${PARTS[@]}"; do
  [[ " core search journeys sync webhooks startup " == *" $part "* ]] || { echo "bench/all.sh: unknown part '$part'" >&2; exit 2; }
done

log() { printf '[all %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
MARK="$ROOT/bench/out/all-$STAMP.started"
mkdir -p "$ROOT/bench/out"
touch "$MARK"
failed=()

run_part() { # name command...: a failing part is reported and the others still run
  local name=$1; shift
  log "$name: $*"
  if ! "$@"; then failed+=("$name"); log "$name FAILED (the summary shows what did run)"; fi
}

short() { [[ $SHORT == 1 ]]; }
for part in "${PARTS[@]}"; do
  case $part in
    core|search)
      env_core=(BENCH_DBS="$DBS")
      [[ $part == search ]] && env_core+=(BENCH_ENDPOINTS="ceiling list_companies")
      short && env_core+=(BENCH_DURATION=5 BENCH_WARMUP=2 BENCH_QUIET_WAIT=5 BENCH_DOC=-)
      run_part "$part" env "${env_core[@]}" "$ROOT/bench/run.sh" ;;
    journeys)
      env_j=(JR_DBS="$DBS")
      short && env_j+=(JR_DEV=1 JR_WARMUP=5 JR_DURATION=10 JR_DOC=-)
      run_part journeys env "${env_j[@]}" "$ROOT/bench/journeys/run.sh" ;;
    sync)
      env_s=(SY_DBS="$DBS")
      short && env_s+=(SY_RECORDS=10000 SY_DOC=-)
      run_part sync env "${env_s[@]}" "$ROOT/bench/sync/run.sh" ;;
    webhooks)
      env_w=(WH_DBS="$DBS")
      short && env_w+=(WH_DEV=1 WH_EVENTS=2000 WH_FANOUT=1 WH_RATE_SECONDS=5 WH_DOC=-)
      run_part webhooks env "${env_w[@]}" "$ROOT/bench/webhooks/run.sh" ;;
    startup)
      env_st=(ST_DBS="$DBS")
      short && env_st+=(ST_LOAD=15 ST_IDLE=3)
      # The server bench/run.sh just published, when there is one, instead of a second build.
      [[ -x "$ROOT/bench/out/app/Consentry" && -z ${ST_APP:-} ]] && env_st+=(ST_APP="$ROOT/bench/out/app")
      run_part startup env "${env_st[@]}" "$ROOT/bench/startup/run.sh" ;;
  esac
done

python3 "$ROOT/bench/summary.py" --since "$MARK" --doc "$DOC" --short "$SHORT" --dbs "$DBS" \
  --commit "$(git -C "$ROOT" rev-parse --short HEAD)" --failed "${failed[*]:-}"
rm -f "$MARK"
[[ ${#failed[@]} -eq 0 ]] || { log "failed parts: ${failed[*]}"; exit 1; }
log "done"
