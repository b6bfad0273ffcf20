#!/usr/bin/env bash
# The key rotation benchmark (issue 9): how fast the re-encryption job moves stored ciphertexts to a new key.
# Per database (a fresh one each): the server starts, one webhook consumer is created through the API, and its secret's
# ciphertext is copied into KR_ROWS webhook_secrets rows in SQL (valid payloads under the current key). Then
# `Consentry rotate-keys` runs against the same database while the server runs; the job (batches of KR_BATCH) rewrites
# every row and then walks once more to verify. Time = the rotation's Completed - Requested (both stamped in the
# database), so it includes the job's poll (200 ms here) and both walks. Writes a "Key rotation" section in
# docs/benchmarks.md.
#
#   bench/keys/run.sh                         # both databases, ~3 minutes on 2 cores
#   KR_DBS=sqlite KR_DOC=- bench/keys/run.sh
#
# Settings: KR_DBS ("sqlite postgres"), KR_ROWS (50000), KR_BATCH (200), KR_DOC (docs/benchmarks.md; "-" = do not
# write), KR_PG_BIN (/usr/lib/postgresql/15/bin), KR_REUSE_APP=1 (reuse the last published server; debugging).
# Everything it starts is stopped on exit; all traffic stays on localhost.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT="$ROOT/bench/keys/out"
DBS=${KR_DBS:-"sqlite postgres"}
ROWS=${KR_ROWS:-50000}
BATCH=${KR_BATCH:-200}
DOC=${KR_DOC:-"$ROOT/docs/benchmarks.md"}
PG_BIN=${KR_PG_BIN:-/usr/lib/postgresql/15/bin}
API_KEY="krbench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
WORK=$(mktemp -d /tmp/consentry-keys-bench.XXXXXX)
chmod 755 "$WORK"
RESULTS="$OUT/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$RESULTS"
APP_PID="" PG_DATA=""

log() { printf '[keys %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
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

COMMIT=$(git -C "$ROOT" rev-parse --short HEAD)
if [[ ${KR_REUSE_APP:-0} == 1 && -x "$OUT/app/Consentry" ]]; then
  log "reusing the server published by the previous run (KR_REUSE_APP=1)"
else
  log "building Consentry $COMMIT (Release, a clean snapshot of HEAD)"
  mkdir -p "$WORK/src"
  git -C "$ROOT" archive --format=tar "$COMMIT" | tar -x -C "$WORK/src"
  rm -rf "$OUT/app"
  timeout 600 dotnet publish "$WORK/src/src/Consentry" -c Release -o "$OUT/app" -nologo -v q -clp:ErrorsOnly >"$RESULTS/build.log" 2>&1 \
    || { tail -30 "$RESULTS/build.log" >&2; die "build failed"; }
fi
mkdir -p "$WORK" && cp -r "$OUT/app" "$WORK/app"

start_pg() {
  PG_PORT=$(free_port)
  PG_DATA="$WORK/pg/data"
  mkdir -p "$WORK/pg" && chown postgres: "$WORK/pg"
  runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$RESULTS/initdb.log" 2>&1 || die "initdb failed"
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -w -t 60 -l "$WORK/pg/server.log" \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $WORK/pg" start >/dev/null || die "PostgreSQL did not start"
  psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -c "CREATE DATABASE consentry" >/dev/null
}

app_env() {
  local db=$1
  ENV=(ASPNETCORE_ENVIRONMENT=Production Consentry__DataProtection__AllowUnprotectedKeys=true Logging__LogLevel__Default=Warning Consentry__Bootstrap__ApiKey="$API_KEY"
    Consentry__DataDirectory="$WORK/$db-data" Consentry__Keys__BatchSize="$BATCH" Consentry__Keys__PollMilliseconds=200
    Consentry__Sync__RunWorker=false Consentry__Webhooks__RunWorker=false Consentry__Webhooks__AllowPrivateNetworks=true)
  [[ $db == postgres ]] && ENV+=(Consentry__Database__Provider=Postgres "ConnectionStrings__Consentry=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=consentry")
  return 0
}

sql() { # sql DB STATEMENT -> rows, tab-separated
  if [[ $1 == postgres ]]; then psql -X -q -A -t -F $'\t' -h 127.0.0.1 -p "$PG_PORT" -U postgres -d consentry -c "$2"
  else python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); [print("\t".join("" if v is None else str(v) for v in r)) for r in c.execute(sys.argv[2])]; c.commit()' "$WORK/sqlite-data/consentry.db" "$2"; fi
}

for db in $DBS; do
  log "$db: fresh database, $ROWS ciphertexts"
  [[ $db == postgres ]] && start_pg
  app_env "$db"
  APP_PORT=$(free_port)
  (cd "$WORK/app" && exec env "${ENV[@]}" ./Consentry --urls "http://localhost:$APP_PORT" >>"$RESULTS/$db-server.log" 2>&1) &
  APP_PID=$!
  for _ in $(seq 1 240); do curl -fsS --max-time 2 -o /dev/null "http://localhost:$APP_PORT/healthz" 2>/dev/null && break; sleep 0.25; done
  curl -fsS -o /dev/null -X POST "http://localhost:$APP_PORT/webhooks" -H "Authorization: Basic $(printf %s "$API_KEY" | base64 -w0)" \
    -H 'Content-Type: application/json' -d '{"url":"http://127.0.0.1:9/hook","eventTypes":["company.created"],"companyTags":["never:matched"]}'
  if [[ $db == postgres ]]; then
    sql "$db" "INSERT INTO webhook_secrets (\"Id\", \"ClientId\", \"ConsumerId\", \"ProtectedKey\", \"Created\")
      SELECT gen_random_uuid(), s.\"ClientId\", s.\"ConsumerId\", s.\"ProtectedKey\", s.\"Created\" FROM webhook_secrets s, generate_series(2, $ROWS)" >/dev/null
  else
    python3 - "$WORK/sqlite-data/consentry.db" "$ROWS" <<'PY'
import sqlite3, sys, uuid
c = sqlite3.connect(sys.argv[1]); client, consumer, key, created = c.execute('SELECT "ClientId","ConsumerId","ProtectedKey","Created" FROM webhook_secrets').fetchone()
c.executemany('INSERT INTO webhook_secrets ("Id","ClientId","ConsumerId","ProtectedKey","Created") VALUES (?,?,?,?,?)',
              ((str(uuid.uuid4()).upper(), client, consumer, key, created) for _ in range(int(sys.argv[2]) - 1)))
c.commit()
PY
  fi
  [[ $(sql "$db" 'SELECT COUNT(*) FROM webhook_secrets') == "$ROWS" ]] || die "seeding failed"
  (cd "$WORK/app" && env "${ENV[@]}" ./Consentry rotate-keys >"$RESULTS/$db-rotate.txt" 2>&1) || die "rotate-keys failed"
  for _ in $(seq 1 1200); do
    done_at=$(sql "$db" 'SELECT "Completed" FROM key_rotations WHERE "Completed" IS NOT NULL')
    [[ -n "$done_at" ]] && break
    sleep 0.5
  done
  [[ -n "$done_at" ]] || die "the rotation did not complete within 10 minutes"
  if [[ $db == postgres ]]; then
    sql "$db" 'SELECT EXTRACT(EPOCH FROM ("Completed" - "Requested")), "RewrittenTotal", "Pass" FROM key_rotations' >"$RESULTS/$db.tsv"
  else
    sql "$db" "SELECT (julianday(\"Completed\") - julianday(\"Requested\")) * 86400, \"RewrittenTotal\", \"Pass\" FROM key_rotations" >"$RESULTS/$db.tsv"
  fi
  log "$db: seconds, rewritten, extra walks: $(cat "$RESULTS/$db.tsv")"
  stop_app
  stop_pg
done

python3 - "$RESULTS" "$DOC" "$COMMIT" "$ROWS" "$BATCH" "$DBS" <<'PY'
import os, platform, sys, datetime, re
results, doc, commit, rows, batch, dbs = sys.argv[1:7]
titles = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "unknown")
lines = []
for db in dbs.split():
    seconds, rewritten, passes = open(os.path.join(results, f"{db}.tsv")).read().split("\t")
    seconds = float(seconds)
    lines.append(f"| {titles[db]} | {int(rows):,} | {int(rewritten):,} | {int(passes) + 1} | {seconds:.1f} s | **{int(rows) / seconds:,.0f}** |")
section = f"""<!-- bench/keys/run.sh: start -->
## Key rotation

`bench/keys/run.sh`: {int(rows):,} webhook-secret ciphertexts under the current key (one made through the API, copied in
SQL), then `Consentry rotate-keys` while the server runs; the re-encryption job rewrites them in batches of {batch} (one
transaction per batch: decrypt, encrypt, one conditional `UPDATE` per row, the cursor) and walks once more to verify.
Time = the rotation's `Completed - Requested`, so it includes the job's 200 ms poll and both walks.

- **Date:** {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC
- **Commit:** `{commit}` (clean snapshot, Release build)
- **Machine:** {os.cpu_count()} vCPU ({cpu}), Linux {platform.release()}, shared with other work

| database | ciphertexts | rewritten | walks | rotation time | ciphertexts/s |
|---|---|---|---|---|---|
""" + "\n".join(lines) + "\n<!-- bench/keys/run.sh: end -->\n"
open(os.path.join(results, "section.md"), "w").write(section)
print(section)
if doc != "-":
    text = open(doc).read()
    pattern = re.compile(r"<!-- bench/keys/run.sh: start -->.*?<!-- bench/keys/run.sh: end -->\n", re.S)
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else text.rstrip("\n") + "\n\n" + section
    open(doc, "w").write(text)
PY
