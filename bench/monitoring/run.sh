#!/usr/bin/env bash
# The auth-flow monitoring benchmark (issue 7): GET /monitoring/authFlow over 1M companies and 10M journey events, on
# SQLite and on PostgreSQL. Builds the committed HEAD (Release), seeds each database in bulk (SQL), measures the
# endpoint and rewrites the "Auth-flow monitoring" section of docs/benchmarks.md (between its markers).
#
#   bench/monitoring/run.sh                              # both databases, 1M companies × 10 events (~15-25 min on 2 cores)
#   MB_DBS=sqlite MB_COMPANIES=100000 MB_DOC=- bench/monitoring/run.sh   # a small trial that does not write the doc
#
# Settings: MB_DBS ("sqlite postgres"), MB_COMPANIES (1000000), MB_REQUESTS (50 per query), MB_DOC (docs/benchmarks.md;
# "-" = do not write), MB_PG_BIN (/usr/lib/postgresql/15/bin). Run as root (PostgreSQL runs as the user postgres).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
exec python3 "$ROOT/bench/monitoring/bench.py" "$@"
