#!/usr/bin/env python3
"""The auth-flow monitoring benchmark: see run.sh for usage. Everything it starts is stopped on exit."""
import collections
import datetime as dt
import http.client
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "bench", "monitoring", "out")
DBS = os.environ.get("MB_DBS", "sqlite postgres").split()
COMPANIES = int(os.environ.get("MB_COMPANIES", "1000000"))
EVENTS_PER_COMPANY = 10
REQUESTS = int(os.environ.get("MB_REQUESTS", "50"))
DOC = os.environ.get("MB_DOC", os.path.join(ROOT, "docs", "benchmarks.md"))
PG_BIN = os.environ.get("MB_PG_BIN", "/usr/lib/postgresql/15/bin")
API_KEY = "mbench-" + os.urandom(12).hex()
START = "<!-- bench/monitoring/run.sh: start -->"
END = "<!-- bench/monitoring/run.sh: end -->"
DAYS = 365
TODAY = dt.date.today()
FIRST_DAY = TODAY - dt.timedelta(days=DAYS - 1)
PLATFORMS = ["sbac", "sbbk", "sbcm", "gbol", "qhyg", "tgff"]

# Per pattern (company index % 10): the ten events, and the marks the rollups hold for them.
# (step, uses the platform, failure reason)
PATTERNS = {
    "completed": ([("Opened", 0, None), ("ConsentViewed", 0, None), ("IntegrationSelected", 1, None), ("OAuthStarted", 1, None), ("Authorized", 1, None)] * 2,
                  ["Started", "Opened", "ConsentViewed", "IntegrationSelected", "BeganFlow", "OAuthStarted", "Authorized", "Completed"]),
    "failed": ([("Opened", 0, None), ("ConsentViewed", 0, None), ("IntegrationSelected", 1, None), ("OAuthStarted", 1, None), ("Failed", 1, "cancelled")] * 2,
               ["Started", "Opened", "ConsentViewed", "IntegrationSelected", "BeganFlow", "OAuthStarted", "Failed", "Failed:cancelled"]),
    "landing": ([("Opened", 0, None), ("ConsentViewed", 0, None)] * 5, ["Started", "Opened", "ConsentViewed"]),
    "byo": ([("Opened", 1, None), ("ConsentViewed", 1, None), ("OAuthStarted", 1, None), ("Authorized", 1, None), ("Opened", 1, None),
             ("ConsentViewed", 1, None), ("OAuthStarted", 1, None), ("Failed", 1, "token_exchange_failed"), ("Opened", 1, None), ("ConsentViewed", 1, None)],
            ["Started", "Opened", "ConsentViewed", "OAuthStarted", "BeganFlow", "BeganFlowEstimated", "Authorized", "Completed", "Failed", "Failed:token_exchange_failed"]),
}
PATTERN_OF = ["completed"] * 6 + ["failed"] * 2 + ["landing", "byo"]


def log(msg):
    print(f"[monitoring {dt.datetime.now(dt.UTC):%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def categories():
    catalogue = json.load(open(os.path.join(ROOT, "src", "Consentry", "Features", "Integrations", "integrations.json")))
    items = catalogue if isinstance(catalogue, list) else catalogue.get("integrations", [])
    return {i["key"]: i.get("sourceType", "Accounting") for i in items if i["key"] in PLATFORMS}


def daily_counts():
    """The rollup counters for the seeded companies: company i starts on day i % 365, pattern i % 10, platform i % 6."""
    cats = categories()
    combos = collections.Counter((i % DAYS, i % 10, i % len(PLATFORMS)) for i in range(COMPANIES))
    counts = collections.Counter()
    for (day, p, k), n in combos.items():
        events, marks = PATTERNS[PATTERN_OF[p]]
        platform = PLATFORMS[k]
        for mark in marks:
            counts[(day, "", mark)] += n
            counts[(day, "c:" + cats[platform], mark)] += n
        for mark in integration_marks(events):
            counts[(day, "i:" + platform, mark)] += n
    return counts


def integration_marks(events):
    """The marks of the events that carry the platform (what the rollups count in the integration's scope)."""
    steps = [(step, reason) for step, uses, reason in events if uses]
    if not steps:
        return []
    marks = {"Started"} | {step for step, _ in steps if step != "Completed"}
    marks |= {"Failed:" + reason for step, reason in steps if step == "Failed"}
    begins = [step for step, _ in steps if step in ("IntegrationSelected", "OAuthStarted", "Authorized", "Failed")]
    if begins:
        marks.add("BeganFlow")
        if begins[0] != "IntegrationSelected":
            marks.add("BeganFlowEstimated")
    if "Authorized" in marks:
        marks.add("Completed")
    return sorted(marks)


def guid(prefix, i):
    return f"{prefix:08X}-0000-7000-8000-{i:012X}"


class Server:
    def __init__(self, db, work, conn):
        self.port = free_port()
        env = dict(os.environ)
        env.update({
            "ASPNETCORE_ENVIRONMENT": "Production",
            "Consentry__DataProtection__AllowUnprotectedKeys": "true",  # throwaway benchmark data
            "Consentry__Database__Provider": "Sqlite" if db == "sqlite" else "Postgres",
            "Consentry__DataDirectory": os.path.join(work, "data"),
            "Consentry__Bootstrap__ApiKey": API_KEY,
            "Consentry__PublicBaseUrl": f"http://127.0.0.1:{self.port}",
            "Logging__LogLevel__Default": "Warning",
            # The benchmarks measure throughput, not the abuse limits (BENCH_RATE_LIMITS=true keeps them on).
            "Consentry__RateLimits__Enabled": os.environ.get("BENCH_RATE_LIMITS", "false"),
        })
        if conn:
            env["ConnectionStrings__Consentry"] = conn
        self.log = open(os.path.join(work, "server.log"), "w")
        self.proc = subprocess.Popen(["dotnet", os.path.join(OUT, "app", "Consentry.dll"), "--urls", f"http://127.0.0.1:{self.port}"],
                                     env=env, stdout=self.log, stderr=subprocess.STDOUT, cwd=work)
        for _ in range(600):
            try:
                c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                c.request("GET", "/healthz")
                if c.getresponse().status == 200:
                    return
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise SystemExit("the server exited; see " + self.log.name)
            time.sleep(0.5)
        raise SystemExit("the server did not answer /healthz")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def seed_sqlite(path, counts):
    db = sqlite3.connect(path, timeout=60)
    client = db.execute("SELECT \"Id\" FROM clients WHERE \"Name\" = 'Default'").fetchone()[0]
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-1000000")  # 1 GB: the index builds of a bulk load stay in memory
    db.create_function("guid", 2, guid, deterministic=True)
    db.create_function("step", 2, lambda i, j: PATTERNS[PATTERN_OF[i % 10]][0][j][0], deterministic=True)
    db.create_function("uses", 2, lambda i, j: PATTERNS[PATTERN_OF[i % 10]][0][j][1], deterministic=True)
    db.create_function("reason", 2, lambda i, j: PATTERNS[PATTERN_OF[i % 10]][0][j][2], deterministic=True)
    cats = categories()
    db.create_function("platform", 1, lambda i: PLATFORMS[i % len(PLATFORMS)], deterministic=True)
    db.create_function("category", 1, lambda i: cats[PLATFORMS[i % len(PLATFORMS)]], deterministic=True)
    first = FIRST_DAY.isoformat()
    log(f"sqlite: {COMPANIES:,} companies")
    db.execute("BEGIN")
    db.execute(f"""WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {COMPANIES - 1})
        INSERT INTO companies ("Id", "ClientId", "Name", "Created") SELECT guid(1, i), ?, 'Bench company ' || i,
        date(?, '+' || (i % {DAYS}) || ' days') || ' 09:00:00' FROM n""", (client, first))
    log(f"sqlite: {COMPANIES * EVENTS_PER_COMPANY:,} journey events")
    db.execute(f"""WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {COMPANIES - 1}),
        j(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM j WHERE j < {EVENTS_PER_COMPANY - 1})
        INSERT INTO journey_events ("Id", "ClientId", "CompanyId", "ConnectionId", "Step", "SourceType", "PlatformKey", "Detail", "At")
        SELECT guid(2 + j, i), ?, guid(1, i), CASE WHEN uses(i, j) THEN guid(20, i) END, step(i, j), category(i),
               CASE WHEN uses(i, j) THEN platform(i) END, reason(i, j),
               date(?, '+' || (i % {DAYS}) || ' days') || ' 10:' || printf('%02d', j) || ':00'
        FROM n, j""", (client, first))
    log(f"sqlite: {len(counts):,} daily counter rows")
    db.executemany("INSERT INTO journey_daily_counts (\"ClientId\", \"Day\", \"Scope\", \"Mark\", \"Count\") VALUES (?, ?, ?, ?, ?)",
                   [(client, (FIRST_DAY + dt.timedelta(days=d)).isoformat(), s, m, n) for (d, s, m), n in counts.items()])
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.close()


def seed_postgres(psql, counts, work):
    client = psql("SELECT \"Id\" FROM clients WHERE \"Name\" = 'Default'").strip()
    cats = categories()
    steps = []
    for p, name in enumerate(PATTERN_OF):
        for j, (step, uses, reason) in enumerate(PATTERNS[name][0]):
            steps.append(f"({p}, {j}, '{step}', {str(bool(uses)).lower()}, {('NULL' if reason is None else repr(reason))})")
    platforms = ", ".join(f"({k}, '{p}', '{cats[p]}')" for k, p in enumerate(PLATFORMS))
    log(f"postgres: {COMPANIES:,} companies")
    psql(f"""INSERT INTO companies ("Id", "ClientId", "Name", "Created")
        SELECT ('00000001-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, '{client}', 'Bench company ' || i,
               (DATE '{FIRST_DAY}' + (i % {DAYS}))::timestamp + interval '9 hours'
        FROM generate_series(0, {COMPANIES - 1}) i""")
    log(f"postgres: {COMPANIES * EVENTS_PER_COMPANY:,} journey events")
    psql(f"""WITH s(p, j, step, uses, reason) AS (VALUES {", ".join(steps)}), pl(k, key, cat) AS (VALUES {platforms})
        INSERT INTO journey_events ("Id", "ClientId", "CompanyId", "ConnectionId", "Step", "SourceType", "PlatformKey", "Detail", "At")
        SELECT (lpad(to_hex(2 + s.j), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, '{client}',
               ('00000001-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
               CASE WHEN s.uses THEN ('00000014-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid END,
               s.step, pl.cat, CASE WHEN s.uses THEN pl.key END, s.reason,
               (DATE '{FIRST_DAY}' + (i % {DAYS}))::timestamp + interval '10 hours' + s.j * interval '1 minute'
        FROM generate_series(0, {COMPANIES - 1}) i
        JOIN s ON s.p = i % 10 JOIN pl ON pl.k = i % {len(PLATFORMS)}""")
    log(f"postgres: {len(counts):,} daily counter rows")
    path = os.path.join(work, "counts.csv")
    with open(path, "w") as f:
        for (d, s, m), n in counts.items():
            f.write(f"{client},{FIRST_DAY + dt.timedelta(days=d)},\"{s}\",{m},{n}\n")
    psql(f"\\copy journey_daily_counts (\"ClientId\", \"Day\", \"Scope\", \"Mark\", \"Count\") FROM '{path}' WITH (FORMAT csv)")
    psql("VACUUM ANALYZE")


def measure(port):
    auth = "Basic " + __import__("base64").b64encode(API_KEY.encode()).decode()
    queries = {
        "last 30 days": f"/monitoring/authFlow?from={TODAY - dt.timedelta(days=29)}&to={TODAY}",
        "last 365 days": f"/monitoring/authFlow?from={FIRST_DAY}&to={TODAY}",
        "last 365 days, sourceType=Banking": f"/monitoring/authFlow?from={FIRST_DAY}&to={TODAY}&sourceType=Banking",
    }
    results = {}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for name, path in queries.items():
        times = []
        body = None
        for n in range(5 + REQUESTS):
            t0 = time.perf_counter()
            conn.request("GET", path, headers={"Authorization": auth})
            response = conn.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - t0) * 1000
            if response.status != 200:
                raise SystemExit(f"{path}: {response.status} {body[:300]!r}")
            if n >= 5:
                times.append(elapsed)
        times.sort()
        funnel = json.loads(body)["funnel"]
        results[name] = {"p50": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1], "max": times[-1],
                         "started": funnel["started"], "completed": funnel["completed"]}
        log(f"  {name}: p50 {results[name]['p50']:.1f} ms, p95 {results[name]['p95']:.1f} ms (started {funnel['started']:,})")
    return results


def run_db(db, counts):
    work = tempfile.mkdtemp(prefix=f"consentry-mbench-{db}-")
    os.makedirs(os.path.join(work, "data"))
    pg = None
    try:
        conn = None
        if db == "postgres":
            data = os.path.join(work, "pg")
            port = free_port()
            shutil.chown(work, "postgres")
            subprocess.run(["runuser", "-u", "postgres", "--", f"{PG_BIN}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"],
                           check=True, stdout=subprocess.DEVNULL)
            subprocess.run(["runuser", "-u", "postgres", "--", f"{PG_BIN}/pg_ctl", "start", "-D", data, "-w", "-t", "60", "-l", os.path.join(work, "pg.log"),
                            "-o", f"-p {port} -k {work} -c listen_addresses=127.0.0.1 -c max_wal_size=4GB -c shared_buffers=256MB"], check=True, stdout=subprocess.DEVNULL)
            pg = data
            subprocess.run(["psql", "-X", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-c", "CREATE DATABASE consentry"], check=True, stdout=subprocess.DEVNULL)
            conn = f"Host=127.0.0.1;Port={port};Username=postgres;Database=consentry"

            def psql(sql):
                return subprocess.run(["psql", "-X", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", "consentry", "-At", "-c", sql],
                                      check=True, capture_output=True, text=True).stdout
        server = Server(db, work, conn)
        try:
            t0 = time.monotonic()
            if db == "sqlite":
                seed_sqlite(os.path.join(work, "data", "consentry.db"), counts)
            else:
                seed_postgres(psql, counts, work)
            seed_seconds = time.monotonic() - t0
            load_at = open("/proc/loadavg").read().split()[0]
            log(f"{db}: seeded in {seed_seconds:.0f} s; measuring (load average {load_at})")
            results = measure(server.port)
        finally:
            server.stop()
        size = (os.path.getsize(os.path.join(work, "data", "consentry.db")) if db == "sqlite"
                else int(psql("SELECT pg_database_size('consentry')").strip()))
        return {"results": results, "seed_seconds": seed_seconds, "size": size, "counter_rows": len(counts), "load": load_at}
    finally:
        if pg:
            subprocess.run(["runuser", "-u", "postgres", "--", f"{PG_BIN}/pg_ctl", "-D", pg, "-m", "fast", "-w", "stop"], stdout=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)


def render(runs, commit, load):
    w = []
    w.append("## Auth-flow monitoring")
    w.append("")
    w.append("`GET /monitoring/authFlow` over **" + f"{COMPANIES:,} companies and {COMPANIES * EVENTS_PER_COMPANY:,} journey events" + "**, produced by")
    w.append("`bench/monitoring/run.sh`, which rewrites this section. **Target: under 200 ms.**")
    w.append("")
    w.append(f"- **Date:** {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; commit `{commit}` (Release build); load average before the run: {load}")
    w.append(f"- **Data:** one client; each company starts on one of the last {DAYS} days and has {EVENTS_PER_COMPANY} journey events")
    w.append("  (60 % authorize, 20 % fail at the platform, 10 % leave at the landing/consent pages, 10 % build-your-own journeys")
    w.append("  that authorize once and fail once), spread over six integrations in three categories; seeded with bulk SQL, and")
    w.append("  the daily counters (`journey_daily_counts`) written as the rollups would hold them for those events (with each")
    w.append("  company's one category as its only required one). The per-company `journey_marks` are not seeded: the overview")
    w.append("  never reads them; they are read by primary key when an event is recorded.")
    w.append(f"- **Measure:** {REQUESTS} sequential requests per query after 5 warm-up requests, one keep-alive connection, wall time at the client.")
    w.append("")
    w.append("| database | query | p50 | p95 | max | started | completed |")
    w.append("|---|---|---:|---:|---:|---:|---:|")
    for db, run in runs.items():
        for name, r in run["results"].items():
            w.append(f"| {'SQLite' if db == 'sqlite' else 'PostgreSQL'} | {name} | {r['p50']:.1f} ms | {r['p95']:.1f} ms | {r['max']:.1f} ms | {r['started']:,} | {r['completed']:,} |")
    w.append("")
    for db, run in runs.items():
        w.append(f"- {'SQLite' if db == 'sqlite' else 'PostgreSQL'}: database {run['size'] / 1e9:.2f} GB after seeding ({run['seed_seconds']:.0f} s); "
                 f"{run['counter_rows']:,} counter rows for the year; load average when measuring: {run['load']} (2 cores shared with other work).")
    w.append("")
    per_day = next(iter(runs.values()))["counter_rows"] / DAYS if runs else 0
    w.append("Why it is fast: the overview sums the counter rows of the range (one client's days × scopes × marks: about")
    w.append(f"{per_day:.0f} per day here), through a covering index (client, scope, mark, day, count), and never touches the")
    w.append("events. Recording a journey event costs a few more statements in its transaction (insert-if-absent of its marks,")
    w.append("then one upsert of the counters), see docs/portal.md.")
    return "\n".join(w) + "\n"


def write_doc(section):
    text = open(DOC).read() if os.path.exists(DOC) else ""
    block = f"{START}\n{section}{END}\n"
    if START in text and END in text:
        text = text[:text.index(START)] + block + text[text.index(END) + len(END) + 1:]
    else:
        text = text.rstrip("\n") + "\n\n" + block
    open(DOC, "w").write(text)


def main():
    os.makedirs(OUT, exist_ok=True)
    load = open("/proc/loadavg").read().split()[0]
    commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    src = os.path.join(OUT, "src")
    shutil.rmtree(src, ignore_errors=True)
    os.makedirs(src)
    subprocess.run(f"git -C '{ROOT}' archive --format=tar HEAD | tar -x -C '{src}'", shell=True, check=True)
    log(f"building {commit} (Release)")
    shutil.rmtree(os.path.join(OUT, "app"), ignore_errors=True)
    subprocess.run(["dotnet", "build", os.path.join(src, "src", "Consentry"), "-c", "Release", "-o", os.path.join(OUT, "app"), "-nologo", "-v", "q", "-clp:ErrorsOnly"], check=True)
    counts = daily_counts()
    runs = {db: run_db(db, counts) for db in DBS}
    section = render(runs, commit, load)
    open(os.path.join(OUT, "section.md"), "w").write(section)
    if DOC != "-":
        write_doc(section)
        log(f"wrote the section into {os.path.relpath(DOC, ROOT)}")
    print(section)


if __name__ == "__main__":
    main()
