#!/usr/bin/env python3
"""Turns one bench/run.sh results folder into docs/benchmarks.md (keeping the file's "History" section)."""
import argparse
import json
import os
import re
import sys

ENDPOINTS = [
    # name, label, kind (target class)
    ("get_company", "`GET /companies/{id}`", "read"),
    ("list_companies", "`GET /companies?pageSize=100&query=name~{q}`", "read"),
    ("get_connections", "`GET /companies/{id}/connections`", "read"),
    ("post_company", "`POST /companies`", "write"),
    ("ceiling", "ceiling: `GET /branding/sbac/logo-square.svg`", "ceiling"),
]
DB_TITLES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}

READ_TARGET = 0.40        # reads >= 40% of the ceiling
WRITE_TARGET = 0.15       # POST /companies >= 15% of the ceiling (SQLite)
P99_TARGET_MS = 20.0      # p99 < 20 ms at 32 connections

HISTORY_HEADER = (
    "| date | commit | database | GET id | list | connections | POST | ceiling (req/s) | p99 max (ms) | peak RSS | targets |\n"
    "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|"
)


def read_env(path):
    env = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, _, value = line.rstrip("\n").partition("=")
            env[key] = value
    return env


def parse_wrk(path):
    """Numbers of one wrk run: the BENCH_JSON line of our Lua done(), checked against wrk's own text."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    match = re.search(r"^BENCH_JSON (\{.*\})$", text, re.M)
    if not match:
        sys.exit(f"report.py: no BENCH_JSON line in {path}:\n{text}")
    r = json.loads(match.group(1))
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    rps_text = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    r["rps_wrk"] = float(rps_text.group(1)) if rps_text else None
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    r["non2xx"] = int(non2xx.group(1)) if non2xx else 0
    r["errors"] = r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"] + r["non2xx"]
    if r["requests"] == 0:
        r["errors"] = max(r["errors"], 1)
    # wrk's --latency distribution, for the record (same histogram as the percentiles above).
    r["latency_text"] = {m.group(1): m.group(2) for m in re.finditer(r"^\s+(50|75|90|99)%\s+(\S+)$", text, re.M)}
    return r


def ms(us):
    return us / 1000.0


def fmt_ms(us):
    v = ms(us)
    if v >= 1000:
        return f"{v / 1000:.2f} s"
    return f"{v:.2f} ms" if v < 10 else f"{v:.1f} ms"


def read_memory(path):
    mem = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                key, _, value = line.partition(":")
                mem[key.strip()] = int(value.split()[0])
    return mem


def load_db(results, db):
    d = os.path.join(results, db)
    runs = {}
    for name, _, _ in ENDPOINTS:
        r = parse_wrk(os.path.join(d, f"{name}.txt"))
        cpu_path = os.path.join(d, f"{name}.cpu.json")
        if os.path.exists(cpu_path):
            with open(cpu_path, encoding="utf-8") as f:
                cpu = json.load(f)
            if r["requests"]:
                r["server_cpu_us_per_req"] = cpu["server_cpu_s"] * 1e6 / r["requests"]
                r["db_cpu_us_per_req"] = cpu["postgres_cpu_s"] * 1e6 / r["requests"]
            capacity = max(cpu["machine_capacity_s"], 1e-9)
            r["share"] = {k: cpu.get(f"{k}_cpu_s", 0.0) / capacity
                          for k in ("server", "postgres", "wrk", "interrupts", "other")}
            r["remeasured"] = os.path.exists(os.path.join(d, f"{name}.noisy.cpu.json"))
        runs[name] = r
    unloaded_path = os.path.join(d, "unloaded.json")
    unloaded = {}
    if os.path.exists(unloaded_path):
        with open(unloaded_path, encoding="utf-8") as f:
            unloaded = json.load(f)
    for name, r in runs.items():
        r["unloaded_ms"] = unloaded.get(name, {}).get("median_ms")
    with open(os.path.join(d, "meta.json"), encoding="utf-8") as f:
        meta = json.load(f)
    mem = read_memory(os.path.join(d, "memory.txt"))
    settings = {}
    settings_path = os.path.join(d, "settings.txt")
    if os.path.exists(settings_path):
        with open(settings_path, encoding="utf-8") as f:
            for line in f:
                k, _, v = line.strip().partition("=")
                if k:
                    settings[k] = v
    size_path = os.path.join(d, "db_size.txt")
    size = open(size_path, encoding="utf-8").read().strip() if os.path.exists(size_path) else "?"
    return {"runs": runs, "meta": meta, "mem": mem, "settings": settings, "size": size}


def verdicts(db, data):
    """(ok, list of human-readable checks) for one database."""
    runs = data["runs"]
    ceiling = runs["ceiling"]["rps"]
    checks = []
    for name, label, kind in ENDPOINTS:
        r = runs[name]
        if kind == "read":
            share = r["rps"] / ceiling
            checks.append((share >= READ_TARGET, f"{name} {share:.1%} of ceiling (target ≥ {READ_TARGET:.0%})"))
        if kind == "write" and db == "sqlite":
            share = r["rps"] / ceiling
            checks.append((share >= WRITE_TARGET, f"{name} {share:.1%} of ceiling (target ≥ {WRITE_TARGET:.0%})"))
        if r["requests"] == 0:
            checks.append((False, f"{name}: no request completed within the wrk timeout"))
        elif kind != "ceiling":
            checks.append((ms(r["p99_us"]) < P99_TARGET_MS, f"{name} p99 {fmt_ms(r['p99_us'])} (target < {P99_TARGET_MS:.0f} ms)"))
        if r["errors"] and r["requests"]:
            checks.append((False, f"{name}: {r['errors']} errors, timeouts or non-2xx answers"))
    return all(ok for ok, _ in checks), checks


def table(db, data, query):
    runs = data["runs"]
    ceiling = runs["ceiling"]["rps"]
    lines = [
        "| endpoint | req/s | p50 | p99 | % of ceiling | errors | 1 request alone | server CPU / req"
        + (" | PostgreSQL CPU / req |" if db == "postgres" else " |"),
        "|---|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if db == "postgres" else ""),
    ]
    for name, label, _ in ENDPOINTS:
        r = runs[name]
        cpu = f"{r['server_cpu_us_per_req']:,.0f} µs" if "server_cpu_us_per_req" in r else "–"
        alone = fmt_ms(r["unloaded_ms"] * 1000) if r.get("unloaded_ms") is not None else "–"
        p50 = fmt_ms(r["p50_us"]) if r["requests"] else "–"
        p99 = fmt_ms(r["p99_us"]) if r["requests"] else "–"
        row = (f"| {label.replace('{q}', query)} | {r['rps']:,.1f} | {p50} | {p99} | {r['rps'] / ceiling:.0%} | "
               f"{r['errors']:,} | {alone} | {cpu} |")
        if db == "postgres":
            row += f" {r['db_cpu_us_per_req']:,.0f} µs |" if "db_cpu_us_per_req" in r else " – |"
        lines.append(row)
    return "\n".join(lines)


def extract_history(doc_path):
    """The rows of the existing document's History table (everything after its header), or []."""
    if not os.path.exists(doc_path):
        return []
    with open(doc_path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^## History\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    if not m:
        return []
    rows = []
    for line in m.group(1).splitlines():
        line = line.strip()
        if not line.startswith("|") or line.startswith("|---") or line.startswith("| date "):
            continue
        rows.append(line)
    return rows


def extract_notes(doc_path):
    """The hand-written "## Notes" section of the existing document (kept verbatim), or ""."""
    if not os.path.exists(doc_path):
        return ""
    with open(doc_path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^## Notes\s*$(.*?)(?=^## |\Z)", text, re.M | re.S)
    return m.group(1) if m else ""


OWN_SECTIONS = {"Latest run", "Method", "Notes", "History", "Summary"}
SUMMARY_START, SUMMARY_END = "<!-- bench/all.sh: summary start -->", "<!-- bench/all.sh: summary end -->"


def extract_summary(doc_path):
    """bench/all.sh's summary table (between its markers), kept at the top of the file, or ""."""
    if not os.path.exists(doc_path):
        return ""
    with open(doc_path, encoding="utf-8") as f:
        text = f.read()
    if SUMMARY_START not in text or SUMMARY_END not in text:
        return ""
    return text[text.index(SUMMARY_START):text.index(SUMMARY_END) + len(SUMMARY_END)]


def extract_other_sections(doc_path):
    """Sections other harnesses write into the same file (e.g. "## Webhooks", "## Link journeys"), kept verbatim."""
    if not os.path.exists(doc_path):
        return ""
    with open(doc_path, encoding="utf-8") as f:
        text = f.read()
    kept = [m.group(0).rstrip("\n") for m in re.finditer(r"^## (.+?)\s*$.*?(?=^## |\Z)", text, re.M | re.S)
            if m.group(1).strip() not in OWN_SECTIONS]
    return "\n\n".join(kept)


def history_rows(env, dbs, data):
    rows = []
    commit = env["commit"] + (" (+ local changes)" if env.get("dirty", "0") not in ("", "0") else "")
    for db in dbs:
        runs = data[db]["runs"]
        ok, _ = verdicts(db, data[db])
        p99 = max(ms(runs[n]["p99_us"]) for n, _, k in ENDPOINTS if k != "ceiling")
        hwm = data[db]["mem"].get("VmHWM")
        rss_text = f"{hwm / 1024:.0f} MiB" if hwm else "?"
        rows.append(
            f"| {env['date']} | {commit} | {DB_TITLES[db]} | {runs['get_company']['rps']:,.0f} | "
            f"{runs['list_companies']['rps']:,.0f} | {runs['get_connections']['rps']:,.0f} | "
            f"{runs['post_company']['rps']:,.0f} | {runs['ceiling']['rps']:,.0f} | {p99:.1f} | "
            f"{rss_text} | {'pass' if ok else 'FAIL'} |")
    return rows


def render(env, dbs, data, history, notes, others="", summary=""):
    q = env["query"]
    out = []
    w = out.append
    w("# Benchmarks")
    w("")
    w("Throughput and latency of the Platform API on one small machine, produced by `bench/run.sh`, which rewrites")
    w("this file: the \"Notes\" section (hand-written) is kept verbatim and the History table grows by one row per")
    w("database and run.")
    w("")
    if summary:
        w(summary)
        w("")
    w("## Latest run")
    w("")
    w(f"- **Date:** {env['datetime']}")
    dirty = env.get("dirty", "0") not in ("", "0")
    w(f"- **Commit:** `{env['commit']}`" + (" plus uncommitted changes under `src/`" if dirty else " (clean snapshot)"))
    w(f"- **Machine:** {env['nproc']} vCPU ({env['cpu']}), {int(env['mem_kb']) / 1024 / 1024:.1f} GiB RAM, "
      f"Linux {env['kernel']}, ext4 on a virtual disk")
    w(f"- **Software:** .NET SDK {env['dotnet']} (Release build, workstation non-concurrent GC, as src/Consentry/Consentry.csproj sets it), wrk {env['wrk']}"
      + (f", PostgreSQL {env['postgres']}" if "postgres" in dbs else ""))
    w(f"- **Load:** wrk, {env['threads']} threads, {env['connections']} connections, {env['warmup']} s warm-up "
      f"then {env['duration']} s measured per endpoint; the whole run took {int(env['elapsed']) // 60} min "
      f"{int(env['elapsed']) % 60} s")
    w("")
    for db in dbs:
        d = data[db]
        meta = d["meta"]
        ok, checks = verdicts(db, d)
        w(f"### {DB_TITLES[db]}")
        w("")
        w(table(db, d, q))
        w("")
        hwm, rss = d["mem"].get("VmHWM"), d["mem"].get("VmRSS")
        w(f"- **Peak RSS of the server** (VmHWM of the measured process, from its start to the end of the POST run): "
          f"{hwm / 1024:.0f} MiB (RSS at the end {rss / 1024:.0f} MiB)" if hwm else "- Peak RSS: not measured")
        w(f"- **Data:** {meta['companies_total']:,} companies before the POST run "
          f"({meta['companies_with_connections']:,} with {meta['connections']:,} connections, {meta['tags']:,} tags); "
          f"`name~{q}` matches {meta['query_matches']:,} of them ({meta['query_fraction']:.1%}); "
          f"database on disk after the run: {d['size']}")
        shares = [(n, r["share"]) for n, r in d["runs"].items() if "share" in r]
        if shares:
            def part(key):
                values = [s[key] for _, s in shares]
                lo, hi = f"{min(values):.0%}", f"{max(values):.0%}"
                return lo if lo == hi else f"{lo}–{hi}"
            w(f"- **Where the {env['nproc']} cores went during the measured runs:** server {part('server')}, "
              + (f"PostgreSQL {part('postgres')}, " if db == "postgres" else "")
              + f"wrk {part('wrk')}, interrupts (loopback networking) {part('interrupts')}, other processes on the "
              f"machine {part('other')}")
            again = [n for n, r in d["runs"].items() if r.get("remeasured")]
            if again:
                w(f"- **Measured twice** because other processes took more than 15% of the machine the first time: "
                  f"{', '.join(again)} (the first attempt is kept as `<endpoint>.noisy.txt`)")
            noisy = [n for n, s in shares if s["other"] > 0.10]
            if noisy:
                w(f"- **Noise:** other processes used more than 10% of the machine during {', '.join(noisy)}; "
                  "those numbers are lower than a quiet machine would give")
        if db == "postgres" and d["settings"]:
            s = d["settings"]
            keys = ["fsync", "synchronous_commit", "full_page_writes", "wal_sync_method", "shared_buffers",
                    "max_connections"]
            w("- **PostgreSQL settings** (initdb defaults, durability not relaxed): "
              + ", ".join(f"`{k}={s[k]}`" for k in keys if k in s))
        if db == "sqlite":
            w("- **SQLite settings** (as the app sets them): WAL journal, `synchronous=NORMAL` (durable across "
              "process crashes; the last commits may be lost on power loss), `busy_timeout=10000`")
        w(f"- **Targets: {'PASS' if ok else 'FAIL'}** — " + "; ".join(("✓ " if c else "✗ ") + t for c, t in checks))
        w("")
    w("## Method")
    w("")
    w("`bench/run.sh` (bash; `bench/seed.py`, `bench/measure.py` and `bench/report.py` are standard-library Python 3;")
    w("the wrk scripts are in `bench/lua/`). It publishes `src/Consentry` in Release to `bench/out/app` from a clean")
    w("snapshot of the committed HEAD (`git archive`, so concurrent edits in the working tree are not measured;")
    w("`BENCH_SOURCE=worktree` builds the working tree instead), then for each database:")
    w("")
    w("1. for PostgreSQL, starts a throwaway server first: `initdb` + `pg_ctl` from `/usr/lib/postgresql/15/bin` as the")
    w("   user `postgres`, in a temporary folder, on a free port, `-A trust`, **default durability** (`fsync=on`,")
    w("   `synchronous_commit=on`, `full_page_writes=on`: nothing relaxed), and creates the database `consentry`;")
    w("2. starts the server on `127.0.0.1` on a free port with a random `Consentry__Bootstrap__ApiKey`, a temporary")
    w("   `Consentry__DataDirectory`, `Logging__LogLevel__Default=Warning` (logging every request at Information costs")
    w("   throughput) and, for PostgreSQL, `Consentry__Database__Provider=Postgres` +")
    w("   `ConnectionStrings__Consentry=Host=127.0.0.1;Port=…;Username=postgres;Database=consentry`. The app migrates")
    w("   the schema and creates the client `Default`;")
    w("3. creates one company and one connection per sandbox platform (sbac, sbbk, sbcm) **through the API**;")
    w("   `seed.py` checks that its formats reproduce what EF Core wrote (SQLite: upper-case GUID text, `Created` as")
    w("   `yyyy-MM-dd HH:mm:ss.FFFFFFF`) and copies the platforms' integrationId/sourceId/platformName from them;")
    w(f"4. stops the server and seeds {int(env['companies']):,} companies of the client `Default` directly in the")
    w("   database (SQLite: one transaction of INSERTs, no `ANALYZE` since the app never runs one; PostgreSQL: `\\copy`,")
    w("   then `VACUUM ANALYZE` as autovacuum would do within a minute): names `<First> <Second> <Suffix>` from word")
    w("   lists (60 × 44 × 10 combinations), `Created` spread over the last year, ~30% with a description, ~20% with a")
    w("   `region` tag, ~10% with 1–2 connections on distinct sandbox platforms, status PendingAuth or Linked;")
    w("5. starts a **fresh** server process (its peak RSS is the number reported), checks every endpoint once (status")
    w("   200; the list's `totalResults` equals the seeded match count), and times 7 sequential requests per endpoint")
    w("   (\"1 request alone\", the median: the cost of a request without any concurrency);")
    w("6. for each endpoint: waits (at most 45 s) until the machine is idle — the server may still be finishing")
    w("   requests that the previous wrk run abandoned —, runs wrk for the warm-up (discarded), then for the measured")
    w(f"   period with `--latency` and `--timeout 30s` ({env['threads']} threads, {env['connections']} connections).")
    w("   req/s, p50 and p99 come from wrk (our Lua `done()` prints them as JSON beside wrk's own text); \"errors\"")
    w("   counts socket errors, timeouts and non-2xx answers. CPU per request is the user+system time of the server")
    w("   process (and of every `postgres` process) over the measured period divided by the requests served;")
    w("7. reads the server's peak RSS (`VmHWM` in `/proc/<pid>/status`), stops the server (and PostgreSQL).")
    w("")
    w("The endpoints, in the order they run (reads before the POST run, so they see the seeded data):")
    w("")
    w("- **ceiling** — `GET /branding/sbac/logo-square.svg`: anonymous, the bytes of an SVG held in memory. It goes")
    w("  through the whole middleware pipeline (correlation id, exception handler, status-code pages, body limit,")
    w("  authentication, authorization, routing) but touches no database, so it is the most this server answers per")
    w("  second on this machine. (`/healthz` is a database round trip and `/openapi/v1.json` a large generated")
    w("  document, so neither is a ceiling.)")
    w("- `GET /companies/{id}` — a random one of the seeded companies per request;")
    frac = data[dbs[0]]["meta"]["query_fraction"]
    w(f"- `GET /companies?pageSize=100&query=name~{q}` — a case-insensitive substring search; `{q}` is one of the 60")
    w(f"  first words, so it matches {frac:.1%} of the companies: a realistic \"search box\" query that fills a page of")
    w("  100 and has to count the rest;")
    w("- `GET /companies/{id}/connections` — a random one of the companies **that have connections** (1–2 each);")
    w("- `POST /companies` with `{\"name\":\"Bench Co\"}` — one insert and one commit per request.")
    w("")
    w("Targets: every read ≥ 40% of the ceiling, `POST /companies` ≥ 15% of the ceiling on SQLite, p99 < 20 ms at")
    w("32 connections (every endpoint, both databases).")
    w("")
    w("Caveats: wrk, the server and PostgreSQL share the same cores, so every number (the ceiling included) is what")
    w("is left after the load generator, and the percentages of the ceiling are the comparable figures. The run")
    w("records how the cores were shared, measures an endpoint a second time when other processes took more than")
    w("15% of the machine, and flags endpoints during which they still took more than 10%.")
    w("")
    w("Run it again with `bench/run.sh` (as root; installs wrk if missing; 6–10 minutes). `BENCH_DBS=sqlite`,")
    w("`BENCH_DURATION`, `BENCH_WARMUP`, `BENCH_COMPANIES` shorten it; `BENCH_DOC=-` leaves this file alone. Raw wrk")
    w("output, seed metadata, CPU accounting and server logs stay in `bench/out/results/<timestamp>/` (ignored by git).")
    w("")
    if notes:
        w("## Notes")
        w("")
        out.append(notes.strip("\n"))
        w("")
    w("## History")
    w("")
    w(HISTORY_HEADER)
    out.extend(history)
    w("")
    if others:
        out.append(others)
        w("")
    return "\n".join(out)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--results", required=True)
    p.add_argument("--doc", required=True, help='the Markdown file to write, or "-" to print a summary only')
    args = p.parse_args()
    env = read_env(os.path.join(args.results, "run.env"))
    dbs = env["dbs"].split()
    data = {db: load_db(args.results, db) for db in dbs}

    summary = {db: {n: {"rps": round(r["rps"], 1), "p50_ms": round(ms(r["p50_us"]), 2), "p99_ms": round(ms(r["p99_us"]), 2),
                        "errors": r["errors"]} for n, r in data[db]["runs"].items()} for db in dbs}
    for db in dbs:
        summary[db]["peak_rss_mib"] = round(data[db]["mem"].get("VmHWM", 0) / 1024)
        summary[db]["targets"] = "pass" if verdicts(db, data[db])[0] else "fail"
    with open(os.path.join(args.results, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)

    for db in dbs:
        print(f"\n{DB_TITLES[db]}\n" + table(db, data[db], env["query"]))
        ok, checks = verdicts(db, data[db])
        print(f"targets: {'PASS' if ok else 'FAIL'}")
        for c, t in checks:
            print(("  ok   " if c else "  FAIL ") + t)

    if args.doc == "-":
        return
    history = extract_history(args.doc) + history_rows(env, dbs, data)
    notes = extract_notes(args.doc)  # read before the file is truncated below
    others = extract_other_sections(args.doc)
    all_summary = extract_summary(args.doc)
    os.makedirs(os.path.dirname(os.path.abspath(args.doc)), exist_ok=True)
    with open(args.doc, "w", encoding="utf-8") as f:
        f.write(render(env, dbs, data, history, notes, others, all_summary))
    print(f"\nwrote {args.doc}")


if __name__ == "__main__":
    main()
