#!/usr/bin/env bash
# A local Consentry cluster on 127.0.0.1, one command: a temporary PostgreSQL 15, N Consentry instances (the Release
# build of src/Consentry, each on its own port, one database, one Data Protection key ring — it lives in the database)
# and nginx as the load balancer in front of them. Everything is a child of this machine's loopback; nothing listens
# elsewhere. See docs/operations.md.
#
#   deploy/local-cluster.sh start [-n N] [-p PORT]   # start (default 2 instances, nginx on 127.0.0.1:8080), return
#   deploy/local-cluster.sh run   [-n N] [-p PORT]   # the same in the foreground; Ctrl-C stops everything
#   deploy/local-cluster.sh status                   # what runs, with /healthz/ready of each instance
#   deploy/local-cluster.sh stop                     # stop nginx, the instances, PostgreSQL; remove the state folder
#   deploy/local-cluster.sh kill K | restart K       # SIGKILL instance K (1..N) / start it again (fault drills)
#   deploy/local-cluster.sh restart-all              # stop every instance, start them all together (new CLUSTER_ENV)
#
# Environment: CLUSTER_INSTANCES (2), CLUSTER_PORT (8080), CLUSTER_DIR (state: pid files, logs, the database;
# /tmp/consentry-cluster), CLUSTER_APP (a published Consentry folder; default: built into $CLUSTER_DIR/app from this
# checkout), CLUSTER_API_KEY (the bootstrap client's API key; default: generated, saved in $CLUSTER_DIR/api-key),
# CLUSTER_PG_BIN (/usr/lib/postgresql/15/bin), CLUSTER_ENV (extra "Name=value" settings for every instance, space
# separated, e.g. "Consentry__Sync__RunWorker=false").
#
# PostgreSQL refuses to run as root, so as root it runs as the user postgres (as the tests and benchmarks do).
# nginx is installed from Debian (apt-get install nginx) when missing.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR=${CLUSTER_DIR:-/tmp/consentry-cluster}
PG_BIN=${CLUSTER_PG_BIN:-/usr/lib/postgresql/15/bin}
INSTANCES=${CLUSTER_INSTANCES:-2}
PORT=${CLUSTER_PORT:-8080}

log() { printf '[cluster %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stop_pid <pidfile> [seconds]: SIGTERM, wait (bounded), then SIGKILL; removes the pid file.
stop_pid() {
  local file=$1 seconds=${2:-20} pid
  [[ -f "$file" ]] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((seconds * 5))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}

ensure_nginx() {
  command -v nginx >/dev/null 2>&1 && return 0
  [[ $EUID -eq 0 ]] || die "nginx is not installed (apt-get install nginx, as root)"
  log "nginx not found: installing it (Debian package nginx)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null || die "could not install nginx"
}

build_app() {
  if [[ -n "${CLUSTER_APP:-}" ]]; then
    [[ -x "$CLUSTER_APP/Consentry" || -f "$CLUSTER_APP/Consentry.dll" ]] || die "CLUSTER_APP: no Consentry build in $CLUSTER_APP"
    APP=$CLUSTER_APP
    return 0
  fi
  APP="$DIR/app"
  log "building Consentry (Release) into $APP"
  dotnet publish "$ROOT/src/Consentry" -c Release -o "$APP" -nologo -v q -clp:ErrorsOnly >"$DIR/build.log" 2>&1 \
    || { tail -30 "$DIR/build.log" >&2; die "build failed"; }
}

start_postgres() {
  local pg_port
  pg_port=$(free_port)
  mkdir -p "$DIR/pg"
  [[ $EUID -eq 0 ]] && chown postgres: "$DIR/pg"
  log "PostgreSQL: initdb + start on 127.0.0.1:$pg_port"
  as_pg "$PG_BIN/initdb" -D "$DIR/pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$DIR/pg-initdb.log" 2>&1 \
    || { tail "$DIR/pg-initdb.log" >&2; die "initdb failed"; }
  as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -w -t 60 -l "$DIR/pg/server.log" \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -k $DIR/pg -c max_connections=300" start >/dev/null \
    || { tail "$DIR/pg/server.log" >&2; die "PostgreSQL did not start"; }
  as_pg "$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c "CREATE DATABASE consentry" >/dev/null
  echo "$pg_port" >"$DIR/pg-port"
}

stop_postgres() {
  [[ -f "$DIR/pg/data/postmaster.pid" ]] || return 0
  as_pg "$PG_BIN/pg_ctl" -D "$DIR/pg/data" -m fast -w -t 30 stop >/dev/null 2>&1 || {
    local pid
    pid=$(head -1 "$DIR/pg/data/postmaster.pid" 2>/dev/null || true)
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -QUIT "$pid" 2>/dev/null || true
  }
}

# start_instance K: instance K on its saved port (the port is chosen once, so nginx's upstream list stays right).
start_instance() {
  local k=$1 port
  port=$(cat "$DIR/instance-$k.port")
  local env=(
    ASPNETCORE_ENVIRONMENT=Production
    Logging__LogLevel__Default=Warning
    Logging__LogLevel__Consentry.Startup=Information
    Consentry__PublicBaseUrl="http://127.0.0.1:$PORT"
    Consentry__Bootstrap__ApiKey="$(cat "$DIR/api-key")"
    # The key ring's key-encryption key: one file for every instance, outside their data directories (docs/security.md).
    Consentry__DataProtection__KeyEncryptionKeyFile="$DIR/keyring.key"
    Consentry__DataDirectory="$DIR/instance-$k"
    Consentry__Database__Provider=Postgres
    "ConnectionStrings__Consentry=Host=127.0.0.1;Port=$(cat "$DIR/pg-port");Username=postgres;Database=consentry"
    # Webhook consumers on this machine (the tests' and benchmarks' receivers) are allowed in a local cluster only.
    Consentry__Webhooks__AllowPrivateNetworks=true
    # nginx (on this machine) is the one proxy whose X-Forwarded-For is believed: per-IP limits see the customers.
    Consentry__TrustedProxies__Proxies__0=127.0.0.1
  )
  # shellcheck disable=SC2206
  [[ -n "${CLUSTER_ENV:-}" ]] && env+=($CLUSTER_ENV)
  local cmd=(./Consentry)
  [[ -x "$APP/Consentry" ]] || cmd=(dotnet Consentry.dll)
  # setsid: the instance outlives this script (start) and gets no terminal signals; exec: the pid is the server's.
  (cd "$APP" && exec setsid env "${env[@]}" "${cmd[@]}" --urls "http://127.0.0.1:$port" >>"$DIR/instance-$k.log" 2>&1 </dev/null) &
  echo $! >"$DIR/instance-$k.pid"
}

wait_ready() {
  local k=$1 port
  port=$(cat "$DIR/instance-$k.port")
  for _ in $(seq 1 600); do
    alive "$DIR/instance-$k.pid" || { tail -30 "$DIR/instance-$k.log" >&2; die "instance $k exited at start"; }
    curl -fsS --noproxy '*' --max-time 2 -o /dev/null "http://127.0.0.1:$port/healthz/ready" 2>/dev/null && return 0
    sleep 0.2
  done
  die "instance $k was not ready within 120 s"
}

render_nginx() {
  mkdir -p "$DIR/nginx/tmp"
  chmod 1777 "$DIR/nginx/tmp" # nginx's workers run as nobody when started by root
  local servers="" k
  for k in $(seq 1 "$INSTANCES"); do
    servers+="server 127.0.0.1:$(cat "$DIR/instance-$k.port") max_fails=1 fail_timeout=3s; "
  done
  python3 - "$ROOT/deploy/nginx/consentry.conf.template" "$DIR/nginx/nginx.conf" "$DIR/nginx" "127.0.0.1:$PORT" \
    "$servers" "server 127.0.0.1:$(cat "$DIR/instance-1.port");" <<'PY'
import sys
template, out, prefix, listen, servers, sandbox = sys.argv[1:]
text = open(template).read()
for key, value in {"@PREFIX@": prefix, "@LISTEN@": listen, "@SERVERS@": servers, "@SANDBOX@": sandbox}.items():
    text = text.replace(key, value)
open(out, "w").write(text)
PY
}

start_nginx() {
  nginx -t -q -c "$DIR/nginx/nginx.conf" -p "$DIR/nginx" 2>>"$DIR/nginx/error.log" || { cat "$DIR/nginx/error.log" >&2; die "nginx rejected its configuration"; }
  (exec setsid nginx -c "$DIR/nginx/nginx.conf" -p "$DIR/nginx" </dev/null >>"$DIR/nginx/error.log" 2>&1) &
  for _ in $(seq 1 100); do
    curl -fsS --noproxy '*' --max-time 2 -o /dev/null "http://127.0.0.1:$PORT/lb-status" 2>/dev/null && return 0
    sleep 0.1
  done
  die "nginx did not answer on 127.0.0.1:$PORT"
}

stop_all() {
  stop_pid "$DIR/nginx/nginx.pid" 10
  local f
  for f in "$DIR"/instance-*.pid; do [[ -e "$f" ]] && stop_pid "$f" 20; done
  stop_postgres
}

cmd_start() {
  [[ "$INSTANCES" =~ ^[0-9]+$ && $INSTANCES -ge 1 && $INSTANCES -le 16 ]] || die "1 <= instances <= 16"
  [[ "$PORT" =~ ^[0-9]+$ ]] || die "the port must be a number"
  if [[ -f "$DIR/cluster.env" ]]; then die "a cluster already runs from $DIR (deploy/local-cluster.sh stop first)"; fi
  [[ -x "$PG_BIN/initdb" ]] || die "PostgreSQL server binaries not found in $PG_BIN"
  for tool in curl python3 dotnet setsid; do command -v "$tool" >/dev/null 2>&1 || die "$tool is required"; done
  ensure_nginx
  rm -rf "$DIR"
  mkdir -p "$DIR"
  chmod 755 "$DIR"
  # Anything half started is stopped again when start fails.
  trap 'status=$?; if [[ $status -ne 0 ]]; then log "start failed; stopping what was started"; stop_all; rm -f "$DIR/cluster.env"; fi' EXIT
  build_app
  echo "${CLUSTER_API_KEY:-cluster-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')}" >"$DIR/api-key"
  chmod 600 "$DIR/api-key"
  [ -f "$DIR/keyring.key" ] || head -c 32 /dev/urandom | base64 >"$DIR/keyring.key"
  chmod 600 "$DIR/keyring.key"
  {
    echo "INSTANCES=$INSTANCES"
    echo "PORT=$PORT"
    echo "APP=$APP"
  } >"$DIR/cluster.env"
  start_postgres
  local k
  for k in $(seq 1 "$INSTANCES"); do free_port >"$DIR/instance-$k.port"; done
  # All at once, on the empty database: the start-up migrations must cope (EF Core's migration lock).
  log "starting $INSTANCES instances at once on the empty database"
  for k in $(seq 1 "$INSTANCES"); do start_instance "$k"; done
  for k in $(seq 1 "$INSTANCES"); do wait_ready "$k"; log "instance $k ready on 127.0.0.1:$(cat "$DIR/instance-$k.port") (pid $(cat "$DIR/instance-$k.pid"))"; done
  render_nginx
  start_nginx
  trap - EXIT
  log "nginx on http://127.0.0.1:$PORT -> $INSTANCES instances; API key in $DIR/api-key; state in $DIR"
  echo "http://127.0.0.1:$PORT"
}

load_env() {
  [[ -f "$DIR/cluster.env" ]] || die "no cluster runs from $DIR"
  # shellcheck disable=SC1091
  source "$DIR/cluster.env"
}

cmd_status() {
  load_env
  local k port state
  alive "$DIR/nginx/nginx.pid" && echo "nginx      http://127.0.0.1:$PORT  pid $(cat "$DIR/nginx/nginx.pid")" || echo "nginx      DOWN"
  [[ -f "$DIR/pg/data/postmaster.pid" ]] && echo "postgres   127.0.0.1:$(cat "$DIR/pg-port")  pid $(head -1 "$DIR/pg/data/postmaster.pid")" || echo "postgres   DOWN"
  for k in $(seq 1 "$INSTANCES"); do
    port=$(cat "$DIR/instance-$k.port")
    if alive "$DIR/instance-$k.pid"; then
      state=$(curl -sS --noproxy '*' --max-time 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz/ready" 2>/dev/null || true)
      echo "instance $k 127.0.0.1:$port  pid $(cat "$DIR/instance-$k.pid")  ready=$([[ $state == 200 ]] && echo yes || echo "no ($state)")"
    else
      echo "instance $k 127.0.0.1:$port  DOWN"
    fi
  done
}

cmd_stop() {
  [[ -d "$DIR" ]] || { log "nothing to stop in $DIR"; return 0; }
  stop_all
  rm -rf "$DIR"
  log "stopped"
}

# instance_number K: K must name an instance of the running cluster.
instance_number() {
  load_env
  [[ "$1" =~ ^[0-9]+$ && $1 -ge 1 && $1 -le $INSTANCES ]] || die "instance number 1..$INSTANCES"
}

cmd_kill() {
  instance_number "$1"
  alive "$DIR/instance-$1.pid" || die "instance $1 is not running"
  kill -KILL "$(cat "$DIR/instance-$1.pid")"
  rm -f "$DIR/instance-$1.pid"
  log "instance $1 killed (SIGKILL)"
}

cmd_restart() {
  instance_number "$1"
  alive "$DIR/instance-$1.pid" && stop_pid "$DIR/instance-$1.pid" 20
  start_instance "$1"
  wait_ready "$1"
  log "instance $1 ready again (pid $(cat "$DIR/instance-$1.pid"))"
}

# restart-all: every instance stops, then all start together (with the current CLUSTER_ENV), e.g. to switch a worker on.
cmd_restart_all() {
  load_env
  local k
  for k in $(seq 1 "$INSTANCES"); do stop_pid "$DIR/instance-$k.pid" 20; done
  for k in $(seq 1 "$INSTANCES"); do start_instance "$k"; done
  for k in $(seq 1 "$INSTANCES"); do wait_ready "$k"; done
  log "all $INSTANCES instances restarted"
}

command=${1:-}
[[ $# -gt 0 ]] && shift
case "$command" in
  start|run)
    while getopts "n:p:" opt; do
      case "$opt" in
        n) INSTANCES=$OPTARG ;;
        p) PORT=$OPTARG ;;
        *) die "usage: $0 $command [-n instances] [-p port]" ;;
      esac
    done
    cmd_start
    if [[ $command == run ]]; then
      trap 'cmd_stop; exit 0' INT TERM
      log "running; Ctrl-C stops the cluster"
      while true; do sleep 1; done
    fi
    ;;
  status) cmd_status ;;
  stop) cmd_stop ;;
  kill) cmd_kill "${1:?instance number}" ;;
  restart) cmd_restart "${1:?instance number}" ;;
  restart-all) cmd_restart_all ;;
  *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
