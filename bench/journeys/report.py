#!/usr/bin/env python3
"""Turns the raw results of bench/journeys/run.sh into the "Link journeys" section of docs/benchmarks.md.

  report.py --results <dir> --doc <file|-> --section <file>

The section sits between two markers at the end of the document; only that part is replaced, every other section
(bench/run.sh's, the webhooks') is left as it is. bench/journeys/notes.md, when present, is included verbatim (the
hand-written findings, so they survive a re-run).
"""
import argparse
import json
import os
import re

START = "<!-- bench/journeys/run.sh: start -->"
END = "<!-- bench/journeys/run.sh: end -->"
TITLES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
STEPS = [
    ("create_company", "`POST /companies` (API)"),
    ("create_connection", "`POST /companies/{id}/connections` (API)"),
    ("start_page", "`GET` linkUrl: the consent page"),
    ("continue", "`POST ?handler=Continue` → 302 to the sandbox"),
    ("authorize", "sandbox `GET oauth/authorize`: login page"),
    ("login", "sandbox `POST oauth/login`: consent page"),
    ("accept", "sandbox `POST oauth/consent/accept` → 302 to the callback"),
    ("callback", "`GET /link/oauth/callback/{key}` (+ token exchange) → 302 to the app"),
]


def read_env(path):
    env = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    env[k] = v
    return env


def fmt(x, digits=1, unit=""):
    if x is None:
        return "–"
    return f"{x:,.{digits}f}{unit}"


def render(env, data, results_rel):
    target = float(env.get("target", 100))
    out = []
    w = out.append
    w("## Link journeys")
    w("")
    w("Complete hosted Link journeys per second without a browser, produced by `bench/journeys/run.sh`, which rewrites")
    w("this section (its own copy is `bench/journeys/out/section.md`). A journey: create a company and a connection")
    w("with the API key, open the `linkUrl`, **Continue**, sign in at the sandbox (`user_good`), **Allow access**, and")
    w("the callback, where Consentry exchanges the code with the sandbox over real HTTP, links the connection and")
    w("answers 302 to the app. **Target: at least " + f"{target:,.0f}" + " journeys/s on 2 cores.**")
    w("")
    dirty = env.get("dirty", "0") not in ("", "0")
    w(f"- **Date:** {env.get('datetime', '?')}")
    w(f"- **Commit:** `{env.get('commit', '?')}`" + (" plus uncommitted changes under `src/`" if dirty else " (clean snapshot)"))
    mem = int(env.get("mem_kb", "0")) / 1024 / 1024
    w(f"- **Machine:** {env.get('nproc', '?')} vCPU ({env.get('cpu', '?')}), {mem:.1f} GiB RAM, Linux {env.get('kernel', '?')}")
    pg = f", PostgreSQL {env['postgres']}" if "postgres" in data and env.get("postgres") else ""
    w(f"- **Software:** .NET SDK {env.get('dotnet', '?')} (Release build of `src/Consentry`, workstation non-concurrent GC, as src/Consentry/Consentry.csproj sets it){pg}")
    elapsed = int(env.get("elapsed", "0"))
    w(f"- **Load:** {env.get('concurrency')} virtual customers in one process on the same machine, each running journeys "
      f"back to back; {env.get('warmup')} s warm-up{' (PostgreSQL ' + env['warmup_pg'] + ' s)' if 'postgres' in env.get('dbs', '') and env.get('warmup_pg', env.get('warmup')) != env.get('warmup') else ''}, then {env.get('duration')} s measured per database; platforms "
      f"round robin ({env.get('platforms', '').replace(',', ', ')}); the whole run took {elapsed // 60} min {elapsed % 60} s")
    w("")

    verdicts = []
    w("| database | journeys/s | p50 | p99 | errors | HTTP requests / journey | server CPU / journey | PostgreSQL CPU / journey | server cores used | target |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for db, d in data.items():
        r, cpu = d["driver"], d["driver"].get("cpu") or {}
        ok = r["journeys_per_s"] >= target and r["errors"] == 0
        verdicts.append((db, ok))
        j = r["journey"]
        pgcpu = fmt(cpu.get("postgres_ms_per_journey"), 1, " ms") if db == "postgres" else "–"
        w(f"| {TITLES[db]} | **{r['journeys_per_s']:,.1f}** | {fmt(j['p50_ms'], 0, ' ms')} | {fmt(j['p99_ms'], 0, ' ms')} | "
          f"{r['errors']} | {fmt(r['requests_per_journey'], 0)} + 1 | {fmt(cpu.get('server_ms_per_journey'), 1, ' ms')} | "
          f"{pgcpu} | {fmt(cpu.get('server_cores'), 2)} of {cpu.get('cores', '?')} | "
          f"{'pass' if ok else 'FAIL'} (≥ {target:,.0f}/s) |")
    w("")
    w("HTTP requests per journey: the customer's 8 (2 API calls, 6 page and OAuth steps) + 1 that the server makes itself")
    w("(the token request to the sandbox, served by the same process). CPU per journey = user + system time of the")
    w("process(es) over the measured window ÷ journeys completed in it.")
    w("")

    w("Latency per step (p50 / p99, ms, during the measured window):")
    w("")
    dbs = list(data)
    w("| step | " + " | ".join(TITLES[db] for db in dbs) + " |")
    w("|---|" + "---:|" * len(dbs))
    for key, label in STEPS:
        cells = []
        for db in dbs:
            s = data[db]["driver"]["steps"].get(key) or {}
            cells.append(f"{fmt(s.get('p50_ms'), 1)} / {fmt(s.get('p99_ms'), 1)}")
        w(f"| {label} | " + " | ".join(cells) + " |")
    cells = [f"{fmt(data[db]['driver']['journey']['p50_ms'], 1)} / {fmt(data[db]['driver']['journey']['p99_ms'], 1)}" for db in dbs]
    w("| **whole journey** | " + " | ".join(cells) + " |")
    cells = [fmt(data[db]["driver"].get("single_journey_median_ms"), 1) for db in dbs]
    w("| one journey alone on the warm server (median of 5) | " + " | ".join(cells) + " |")
    w("")

    for db, d in data.items():
        r, cpu, srv = d["driver"], d["driver"].get("cpu") or {}, d["server"]
        per_s = r.get("per_second") or []
        bits = []
        bits.append(f"{r['journeys_ok']:,} journeys in {r['duration_s']:g} s; {r['http_requests_per_s']:,.0f} customer requests/s")
        if per_s:
            bits.append(f"per second min {min(per_s)} / max {max(per_s)} (first 5 s avg {sum(per_s[:5]) / max(1, len(per_s[:5])):.0f}, "
                        f"last 5 s avg {sum(per_s[-5:]) / max(1, len(per_s[-5:])):.0f})")
        w(f"- **{TITLES[db]}:** " + "; ".join(bits) + ".")
        checks = (f"  Checks: every journey ended at `https://app.example/done?status=200`"
                  f"{' except the errors above' if r['errors'] else ''}; {r['spot_checks']} spot checks during the load "
                  f"({r['spot_check_failures']} not Linked) and {r['final_checks']} after it ({r['final_check_failures']} not Linked); "
                  f"the database holds {srv.get('linked', '?')} Linked connections for {r['all_journeys_ok']:,} successful journeys "
                  f"(all of the run: warm-up, window, tail and the lone ones).")
        w(checks)
        share = (f"  Where the {cpu.get('cores', 2)} cores went: server {fmt(cpu.get('server_cores'), 2)}, "
                 + (f"PostgreSQL {fmt(cpu.get('postgres_cores'), 2)}, " if db == "postgres" else "")
                 + f"driver {fmt(cpu.get('driver_cores'), 2)} ({fmt(cpu.get('driver_ms_per_journey'), 1)} ms/journey), "
                 f"anything else {fmt(cpu.get('other_cores'), 2)}; machine busy {fmt((cpu.get('machine_busy_share') or 0) * 100, 0)}%.")
        if srv.get("attempt") == "2":
            share += " (Measured a second time: other processes took more than 15% of the machine during the first try.)"
        if (cpu.get("other_cores") or 0) > 0.2:
            share += " **Noise:** other processes used more than 10% of the machine; the numbers are lower than a quiet machine would give."
        w(share)
        extra = []
        if srv.get("VmHWM_kb"):
            extra.append(f"peak RSS {int(srv['VmHWM_kb']) / 1024:,.0f} MiB")
        if srv.get("db_bytes"):
            extra.append(f"database {int(srv['db_bytes']) / 1024 / 1024:,.0f} MiB with {int(srv.get('companies', 0)):,} companies "
                         f"and {int(srv.get('journey_events', 0)):,} journey events at the end")
        if db == "postgres" and srv.get("commits") and r["all_journeys_ok"]:
            extra.append(f"≈{int(srv['commits']) / (r['all_journeys_ok'] + r['all_journeys_failed']):.1f} PostgreSQL transactions "
                         f"(read-only ones included) per journey")
        if r.get("error_kinds"):
            extra.append("errors: " + "; ".join(f"{v}× {k}" for k, v in r["error_kinds"].items()))
        if extra:
            w("  " + "; ".join(extra) + ".")
    w("")
    if all(ok for _, ok in verdicts):
        w(f"**Target: pass** — every database ≥ {target:,.0f} journeys/s without errors.")
    else:
        w("**Target: FAIL** — " + "; ".join(
            f"{'✓' if ok else '✗'} {TITLES[db]} {data[db]['driver']['journeys_per_s']:,.1f} journeys/s" for db, ok in verdicts)
          + f" (target ≥ {target:,.0f}/s, no errors).")
    w("")
    w("Method: `bench/journeys/run.sh` (bash) publishes `src/Consentry` in Release from a clean snapshot of HEAD")
    w("(`git archive`) to `bench/journeys/out/app` and builds the driver `bench/journeys/Driver` (C#, shared framework")
    w("only). Per database, on a fresh, empty database: for PostgreSQL a throwaway PostgreSQL 15 (`initdb` + `pg_ctl` as")
    w("`postgres`, temporary folder, free port, default durability: `fsync`, `synchronous_commit`, `full_page_writes` on);")
    w("the server on a free port with `--urls http://localhost:PORT`, `Consentry__PublicBaseUrl=http://localhost:PORT`,")
    w("a temporary data directory, a random bootstrap API key and `Logging__LogLevel__Default=Warning`. The driver sets")
    w("the profile's `redirectUrl` to `https://app.example/done?status={statusCode}` (allow-listed) and never follows")
    w("that redirect; it keeps each customer's cookies itself (a fresh jar per journey, `__Host-` cookies sent over")
    w("http://localhost) and submits the forms it is shown with their hidden fields (antiforgery tokens included). A")
    w("journey counts when it ends inside the measured window; one that fails anywhere counts as an error. The server")
    w("and PostgreSQL share the 2 cores with the driver, so the numbers are what is left after the load generator.")
    w("Run it with `bench/journeys/run.sh` as root (~8 min); `JR_DBS`, `JR_CONCURRENCY`, `JR_WARMUP`, `JR_DURATION`")
    w(f"change it; `JR_DOC=-` leaves this file alone. Raw results stay in `{results_rel}/` (ignored by git).")
    w("")
    notes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "notes.md")
    if os.path.exists(notes):
        with open(notes, encoding="utf-8") as f:
            w(f.read().strip())
        w("")
    return "\n".join(out), all(ok for _, ok in verdicts)


def write_doc(doc, section):
    block = f"{START}\n{section.rstrip()}\n{END}\n"
    if os.path.exists(doc):
        with open(doc, encoding="utf-8") as f:
            text = f.read()
        if START in text and END in text:
            text = re.sub(re.escape(START) + r".*?" + re.escape(END) + r"\n?", lambda _: block, text, flags=re.S)
        else:
            text = text.rstrip("\n") + "\n\n" + block
    else:
        text = "# Benchmarks\n\n" + block
    with open(doc, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--results", required=True)
    p.add_argument("--doc", default="-")
    p.add_argument("--section", required=True)
    a = p.parse_args()
    env = read_env(os.path.join(a.results, "run.env"))
    data = {}
    for db in env.get("dbs", "").split():
        with open(os.path.join(a.results, db, "driver.json"), encoding="utf-8") as f:
            driver = json.load(f)
        data[db] = {"driver": driver, "server": read_env(os.path.join(a.results, db, "server.env"))}
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    rel = os.path.relpath(os.path.abspath(a.results), root)
    section, ok = render(env, data, re.sub(r"/[^/]+$", "/<timestamp>", rel))
    os.makedirs(os.path.dirname(os.path.abspath(a.section)), exist_ok=True)
    with open(a.section, "w", encoding="utf-8") as f:
        f.write(section + "\n")
    print(section)
    if a.doc != "-":
        write_doc(a.doc, section)
        print(f"wrote the Link journeys section of {a.doc}")
    print(f"target: {'PASS' if ok else 'FAIL'}")


if __name__ == "__main__":
    main()
