#!/usr/bin/env python3
"""The one summary table of bench/all.sh: the figures of issue 18 from the newest results of each benchmark that ran
since --since (a marker file), SQLite and PostgreSQL side by side, written between markers at the top of
docs/benchmarks.md (everything else in the file is kept)."""
import math
import argparse
import datetime
import json
import os
import sys

BENCH = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, BENCH)
from report import parse_wrk  # noqa: E402  (bench/report.py, the core benchmark's parser)

START, END = "<!-- bench/all.sh: summary start -->", "<!-- bench/all.sh: summary end -->"
TITLES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}


def newest(folder, since):
    """The newest results folder under folder made after the marker, or None."""
    if not os.path.isdir(folder):
        return None
    dirs = [os.path.join(folder, d) for d in os.listdir(folder) if os.path.isdir(os.path.join(folder, d))]
    dirs = [d for d in dirs if os.path.getmtime(d) >= since]
    return max(dirs, key=os.path.getmtime) if dirs else None


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def wrk(path):
    return parse_wrk(path) if os.path.exists(path) else None


def core(results, db):
    d = os.path.join(results, db) if results else None
    if not d or not os.path.isdir(d):
        return {}
    runs = {n: wrk(os.path.join(d, f"{n}.txt")) for n in ("ceiling", "get_company", "get_connections", "list_companies")}
    other = []
    for n in runs:
        cpu = load_json(os.path.join(d, f"{n}.cpu.json"))
        if cpu:
            other.append(cpu.get("other_share", 0.0))
    return {"runs": runs, "other": max(other) if other else None}


def fmt_rps(v):
    return f"{v:,.0f}" if v >= 100 else f"{v:,.1f}"


def figures(since, dbs):
    core_dir = newest(os.path.join(BENCH, "out", "results"), since)
    journeys_dir = newest(os.path.join(BENCH, "journeys", "out", "results"), since)
    sync_dir = newest(os.path.join(BENCH, "sync", "out", "results"), since)
    hooks_dir = newest(os.path.join(BENCH, "webhooks", "out", "results"), since)
    start_dir = newest(os.path.join(BENCH, "startup", "out", "results"), since)
    hooks = load_json(os.path.join(hooks_dir, "summary.json")) if hooks_dir else None
    rows = {k: {} for k in ("bare", "get", "connections", "search", "journeys", "sync", "webhooks", "start", "rss")}
    noise = {}
    for db in dbs:
        c = core(core_dir, db)
        runs = c.get("runs", {})
        bare = runs.get("ceiling")
        if bare:
            rows["bare"][db] = f"{fmt_rps(bare['rps'])} req/s"
            noise[db] = c.get("other")
        for key, name in (("get", "get_company"), ("connections", "get_connections")):
            r = runs.get(name)
            if r and bare:
                rows[key][db] = f"**{r['rps'] / bare['rps']:.2f}** ({fmt_rps(r['rps'])} / {fmt_rps(bare['rps'])} req/s)"
        s = runs.get("list_companies")
        if s:
            p99 = s["p99_us"] / 1000
            shown = f"{p99 / 1000:.2f} s" if p99 >= 1000 else f"{p99:.1f} ms"
            beside = f"; bare {fmt_rps(bare['rps'])}" if bare else ""
            rows["search"][db] = f"**{shown}** ({fmt_rps(s['rps'])} req/s{beside})"
        j = load_json(os.path.join(journeys_dir, db, "driver.json")) if journeys_dir else None
        if j:
            rows["journeys"][db] = f"**{j['journeys_per_s']:,.1f}**"
        sy = load_json(os.path.join(sync_dir, f"{db}.json")) if sync_dir else None
        if sy:
            rows["sync"][db] = f"**{sy['recordsPerSecond']:,.0f}**"
        d1 = (hooks or {}).get(db, {}).get("drain1")
        if d1 and d1.get("rate"):
            # The drain starts with the server (its first seconds are the tiering ramp of the start-up row); the
            # per-second median in between is the warm rate. The figure is the whole drain's.
            steady = d1.get("per_second_median")
            known = isinstance(steady, (int, float)) and not math.isnan(steady) and steady > 0
            rows["webhooks"][db] = f"**{d1['rate']:,.0f}**" + (f" from a fresh start (steady {steady:,.0f}/s)" if known else "")
        st = load_json(os.path.join(start_dir, f"{db}.json")) if start_dir else None
        if st:
            full = f"{st['full_speed_s']:.1f} s" if st.get("full_speed_s") is not None else "not reached"
            rows["start"][db] = (f"**{full}** (first 200 after {st['first_200_s']:.1f} s; warm {fmt_rps(st['warm_rps'])} req/s, "
                                 f"bare {fmt_rps(st['bare_rps'])} req/s)")
            rows["rss"][db] = f"**{st['idle_rss_mib']} MiB**"
    return rows, noise


LABELS = [
    ("bare", "bare endpoint `GET /branding/sbac/logo-square.svg` (same run)", "", ""),
    ("get", "`GET /companies/{id}` vs bare endpoint", "0.15", "0.40"),
    ("connections", "`GET /companies/{id}/connections` vs bare endpoint", "0.15", "0.40"),
    ("search", "`GET /companies?pageSize=100&query=name~harbour`, 100k companies, p99 at 32 connections", "50 ms", "10 ms"),
    ("journeys", "complete Link journeys per second", "200", "500"),
    ("sync", "sync records per second", "40,000", "100,000"),
    ("webhooks", "webhook deliveries per second (1 consumer)", "4,000", "10,000"),
    ("start", "process start to serving at full speed (90% of warm)", "5 s", "1 s"),
    ("rss", "idle memory (RSS) after start", "120 MB", "80 MB"),
]


def render(rows, noise, dbs, args):
    when = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    mode = "**short mode** (`BENCH_SHORT=1`: a few seconds per measurement, not the published figures)" if args.short == "1" \
        else "full length"
    out = [START, "## Summary", "",
           f"`bench/all.sh`, {when}, commit `{args.commit}`, {mode}. The sections below give each benchmark's method; "
           "\"–\" = not measured in this run" + (f"; **failed parts:** {args.failed}" if args.failed else "") + ".",
           "", "| what | " + " | ".join(TITLES[d] for d in dbs) + " | at least | aim |",
           "|---|" + "---:|" * len(dbs) + "---|---|"]
    for key, label, least, aim in LABELS:
        out.append(f"| {label} | " + " | ".join(rows[key].get(d, "–") for d in dbs) + f" | {least} | {aim} |")
    shares = [f"{TITLES[d]} {noise[d]:.0%}" for d in dbs if noise.get(d) is not None]
    if shares:
        out += ["", "Other processes' share of the 2 cores during the core runs (at most, per database): "
                + ", ".join(shares) + ". Above ~10% the figures are lower than a quiet machine gives."]
    out += [END, ""]
    return "\n".join(out)


def write(doc, block):
    text = open(doc, encoding="utf-8").read() if os.path.exists(doc) else "# Benchmarks\n"
    if START in text:
        text = text[:text.index(START)] + block.rstrip("\n") + text[text.index(END) + len(END):]
    else:
        # After the title and its first paragraph, before the first "## " section.
        at = text.find("\n## ")
        text = (text[:at + 1] + block + "\n" + text[at + 1:]) if at >= 0 else text.rstrip("\n") + "\n\n" + block
    with open(doc, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--since", required=True, help="a marker file: only results newer than it count")
    p.add_argument("--doc", required=True)
    p.add_argument("--short", default="0")
    p.add_argument("--dbs", default="sqlite postgres")
    p.add_argument("--commit", default="?")
    p.add_argument("--failed", default="")
    args = p.parse_args()
    dbs = args.dbs.split()
    rows, noise = figures(os.path.getmtime(args.since), dbs)
    block = render(rows, noise, dbs, args)
    print(block)
    if args.doc != "-":
        write(args.doc, block)
        print(f"wrote the summary into {args.doc}", file=sys.stderr)


if __name__ == "__main__":
    main()
