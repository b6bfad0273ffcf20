#!/usr/bin/env python3
"""Turns the raw results of bench/webhooks/run.sh into numbers and the "Webhooks" section of docs/benchmarks.md.

  analyze.py --quick <results>/<db>/<phase>         one line about one phase (drain1, latency1, drain4, ...)
  analyze.py --results <dir> --doc <file|-> --section <file>

Per phase run.sh leaves: <phase>.json (facts from the script), <phase>.stats.json (the receiver's summary),
<phase>.csv (one row per delivery received: consumer, webhook_id, generated_unix_us, arrival_unix_us) and
<phase>.cpu0.txt / <phase>.cpu1.txt (/proc snapshots at the start and the end).
"""
import argparse
import csv
import json
import math
import os
import re
import statistics

DB_TITLES = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
START = "<!-- bench/webhooks/run.sh: start -->"
END = "<!-- bench/webhooks/run.sh: end -->"


def pct(sorted_values, q):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, max(0, math.ceil(q / 100 * len(sorted_values)) - 1))]


def read_cpu(path):
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if not parts:
                continue
            if parts[0] == "time":
                out["time"] = float(parts[1])
            elif parts[0] == "cpu":
                v = [int(x) for x in parts[1:]]
                out["total"] = sum(v[:8])  # user..steal (guest is already inside user)
                out["idle"] = v[3] + v[4]
            elif parts[0] in ("app", "receiver"):
                out[parts[0]] = int(parts[1]) + int(parts[2])
            elif parts[0] == "pg" and len(parts) == 4:
                out.setdefault("pg", {})[parts[1]] = int(parts[2]) + int(parts[3])
            elif parts[0] == "clk_tck":
                out["hz"] = int(parts[1])
    return out


def cpu_use(prefix):
    """Cores used over the phase by the server, the receiver, and everything (all cores busy = nproc)."""
    a, b = read_cpu(prefix + ".cpu0.txt"), read_cpu(prefix + ".cpu1.txt")
    wall = b["time"] - a["time"]
    hz = a.get("hz", 100)
    ticks = b["total"] - a["total"]
    busy_share = 1 - (b["idle"] - a["idle"]) / ticks if ticks > 0 else float("nan")
    ncpu = os.cpu_count() or 1
    # PostgreSQL: the postmaster and its children present at the end (a backend that started meanwhile counts from 0).
    pg0, pg1 = a.get("pg", {}), b.get("pg", {})
    pg_ticks = sum(v - pg0.get(pid, 0) for pid, v in pg1.items())
    cores = lambda ticks: ticks / hz / wall if wall > 0 else float("nan")
    out = {
        "wall_s": wall,
        "app_cores": cores(b["app"] - a["app"]),
        "receiver_cores": cores(b["receiver"] - a["receiver"]),
        "pg_cores": cores(pg_ticks) if pg1 else 0.0,
        "machine_cores": busy_share * ncpu,
        "app_cpu_s": (b["app"] - a["app"]) / hz,
    }
    # Everything else: load generator, run.sh's polling, and anything foreign to the benchmark.
    out["other_cores"] = out["machine_cores"] - out["app_cores"] - out["receiver_cores"] - out["pg_cores"]
    return out


def read_rows(path):
    rows = []
    with open(path, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            gen = int(r["generated_unix_us"]) / 1e6 if r["generated_unix_us"] else None
            rows.append((r["consumer"], r["webhook_id"], gen, int(r["arrival_unix_us"]) / 1e6))
    return rows


def drain_phase(prefix):
    facts = json.load(open(prefix + ".json", encoding="utf-8"))
    rows = read_rows(prefix + ".csv")
    arrivals = sorted(r[3] for r in rows)
    unique = len({(r[0], r[1]) for r in rows})
    expected = facts["expected"]
    out = {"kind": "drain", "expected": expected, "received": len(rows), "unique": unique,
           "duplicates": len(rows) - unique, "complete": unique >= expected,
           "attempts_recorded": facts.get("attempts_recorded"), "attempts_failed": facts.get("attempts_failed"),
           "busy_before": facts.get("busy_before"), "startup_s": facts["ready"] - facts["launched"]}
    per_consumer = {}
    for r in rows:
        per_consumer[r[0]] = per_consumer.get(r[0], 0) + 1
    out["per_consumer"] = per_consumer
    if arrivals:
        t0 = min(facts["ready"], arrivals[0])
        out["first_after_ready_s"] = arrivals[0] - facts["ready"]
        out["duration_s"] = arrivals[-1] - t0
        out["rate"] = unique / out["duration_s"] if out["duration_s"] > 0 else float("nan")
        span = arrivals[-1] - arrivals[0]
        out["rate_first_to_last"] = (len(arrivals) - 1) / span if span > 0 else float("nan")
        # Per-second counts over the whole seconds between the first and the last receipt: the steady rate.
        buckets = {}
        for t in arrivals:
            k = int(t - arrivals[0])
            buckets[k] = buckets.get(k, 0) + 1
        full = [buckets.get(k, 0) for k in range(1, int(span))]
        out["per_second_median"] = statistics.median(full) if full else float("nan")
        out["per_second_min"] = min(full) if full else float("nan")
        out["per_second_max"] = max(full) if full else float("nan")
    out["cpu"] = cpu_use(prefix)
    if out["cpu"]["app_cpu_s"] and unique:
        out["app_cpu_us_per_delivery"] = out["cpu"]["app_cpu_s"] / unique * 1e6
    return out


def latency_phase(prefix):
    facts = json.load(open(prefix + ".json", encoding="utf-8"))
    rows = read_rows(prefix + ".csv")
    lat = sorted((r[3] - r[2]) * 1000 for r in rows if r[2] is not None)
    unique = len({(r[0], r[1]) for r in rows})
    paced = json.load(open(prefix + ".paced.json", encoding="utf-8"))
    return {"kind": "latency", "expected": facts["expected"], "received": len(rows), "unique": unique,
            "duplicates": len(rows) - unique, "complete": unique >= facts["expected"], "busy_before": facts.get("busy_before"),
            "rate": facts["rate"], "seconds": facts["seconds"], "consumers": facts["consumers"], "paced": paced,
            "p50_ms": pct(lat, 50), "p90_ms": pct(lat, 90), "p99_ms": pct(lat, 99),
            "max_ms": lat[-1] if lat else float("nan"), "mean_ms": statistics.fmean(lat) if lat else float("nan"),
            "cpu": cpu_use(prefix)}


def phase(prefix):
    name = os.path.basename(prefix)
    return drain_phase(prefix) if name.startswith("drain") else latency_phase(prefix)


def quick(prefix):
    p = phase(prefix)
    c = p["cpu"]
    cpu = (f"cores: server {c['app_cores']:.2f}, receiver {c['receiver_cores']:.2f}, postgres {c['pg_cores']:.2f}, "
           f"other {c['other_cores']:.2f}, all {c['machine_cores']:.2f}; busy before {p['busy_before']}")
    if p["kind"] == "drain":
        return (f"{p['unique']:,}/{p['expected']:,} delivered ({p['duplicates']} duplicates) in {p.get('duration_s', 0):.2f}s "
                f"from ready: {p.get('rate', 0):,.0f}/s (first-to-last {p.get('rate_first_to_last', 0):,.0f}/s, "
                f"per-second median {p.get('per_second_median', 0):,.0f}); attempts recorded "
                f"{p['attempts_recorded']}, failed {p['attempts_failed']}; {cpu}")
    pc = p["paced"]
    return (f"{p['unique']:,}/{p['expected']:,} delivered ({p['duplicates']} duplicates); latency p50 {p['p50_ms']:.1f} "
            f"p99 {p['p99_ms']:.1f} max {p['max_ms']:.1f} ms; API rate {pc['rate_achieved']}/s, POST p99 "
            f"{pc['api_p99_ms']} ms, errors {pc['errors']}; {cpu}")


def read_env(path):
    env = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                env[k] = v
    return env


def fmt_ms(v):
    return "–" if v != v else (f"{v:.1f}" if v < 100 else f"{v:,.0f}")


BARE = {}  # db -> the bare endpoint's req/s on the same server after the run (bare.txt)


def render(env, data, results_rel):
    target = int(env["target"])
    fan = int(env["fanout"])
    events = int(env["events"])
    out = []
    w = out.append
    w("## Webhooks")
    w("")
    w(f"Webhook delivery (issue 4): deliveries per second from the outbox to a local receiver, and commit-to-receipt")
    w(f"latency, produced by `bench/webhooks/run.sh`, which rewrites this section (its own copy is")
    w(f"`bench/webhooks/out/section.md`). **Target: at least {target:,} deliveries/s on 2 cores.**")
    w("")
    mem_gib = int(env["mem_kb"]) / 1024 / 1024
    commit = env["commit"] + (" (+ local changes)" if env.get("dirty", "0") not in ("", "0") else "")
    w(f"Run {env['datetime']}, commit `{commit}`; {env['nproc']} cores ({env['cpu']}), {mem_gib:.0f} GiB, Linux "
      f"{env['kernel']}, .NET {env['dotnet']}" + (f", PostgreSQL {env['postgres']}" if env.get("postgres") else "") + ".")
    if env.get("app_env"):
        w(f"Server settings changed for this run: `{env['app_env']}`.")
    w("")
    verdicts = []
    for db, d in data.items():
        w(f"### {DB_TITLES[db]}")
        w("")
        w("| measurement | result |")
        w("|---|---|")
        d1 = d.get("drain1")
        if d1:
            ok = d1["complete"] and d1["rate"] >= target
            verdicts.append((db, ok, d1["rate"]))
            w(f"| **deliveries/s, 1 consumer** (backlog of {d1['expected']:,}) | **{d1['rate']:,.0f}/s** "
              f"({d1['unique']:,} in {d1['duration_s']:.1f} s from server ready; steady {d1['per_second_median']:,.0f}/s"
              f"{'' if d1['complete'] else '; INCOMPLETE'}) |")
        bare = BARE.get(db)
        if bare:
            w(f"| bare endpoint `GET /branding/sbac/logo-square.svg`, same server after the run (wrk, 32 connections, 5 s) | {bare:,.0f} req/s |")
        dn = d.get(f"drain{fan}")
        if dn:
            w(f"| deliveries/s, {fan} consumers (backlog of {dn['expected'] // fan:,} events × {fan}) | **{dn['rate']:,.0f}/s** "
              f"({dn['unique']:,} in {dn['duration_s']:.1f} s; steady {dn['per_second_median']:,.0f}/s"
              f"{'' if dn['complete'] else '; INCOMPLETE'}) |")
        for name, label in (("latency1", "1 consumer"), (f"latency{fan}", f"{fan} consumers")):
            l = d.get(name)
            if not l or (name == f"latency{fan}" and fan == 1):
                continue
            w(f"| latency at {l['rate']} events/s, {label} ({l['rate'] * l['consumers']} deliveries/s): p50 / p99 / max | "
              f"**{fmt_ms(l['p50_ms'])} / {fmt_ms(l['p99_ms'])} / {fmt_ms(l['max_ms'])} ms** "
              f"({l['unique']:,} deliveries{'' if l['complete'] else ', INCOMPLETE'}; API {l['paced']['rate_achieved']:,.0f} "
              f"creates/s, POST p99 {l['paced']['api_p99_ms']:.0f} ms) |")
        for name in ("drain1", f"drain{fan}") if fan > 1 else ("drain1",):
            dd = d.get(name)
            if not dd:
                continue
            c = dd["cpu"]
            pg = f", PostgreSQL {c['pg_cores']:.2f}" if db == "postgres" else ""
            w(f"| cores busy while draining ({'1 consumer' if name == 'drain1' else f'{fan} consumers'}), of "
              f"{env['nproc']} | server {c['app_cores']:.2f}{pg}, receiver {c['receiver_cores']:.2f}, other "
              f"{max(0.0, c['other_cores']):.2f}; all {c['machine_cores']:.2f} "
              f"({dd.get('app_cpu_us_per_delivery', float('nan')):,.0f} µs of server CPU per delivery) |")
        if d1:
            dup = sum(p.get("duplicates", 0) for p in d.values() if isinstance(p, dict) and "duplicates" in p)
            failed = sum(p.get("attempts_failed") or 0 for k, p in d.items() if k.startswith("drain"))
            rec_ok = all(p.get("attempts_recorded") == p["expected"] for k, p in d.items() if k.startswith("drain"))
            w(f"| checks | {dup} duplicate deliveries, {failed} failed attempts, every attempt recorded in the database: "
              f"{'yes' if rec_ok else 'NO'} |")
        noisy = [k for k, p in sorted(d.items()) if (p.get("busy_before") or 0) * int(env["nproc"]) >= 0.3
                 or p["cpu"]["other_cores"] > (0.3 if p["kind"] == "drain" else 0.4)]
        if noisy:
            w(f"| warning | other processes used the machine during: {', '.join(noisy)} (see the CPU rows) |")
        if d1:
            w(f"| **target: ≥ {target:,} deliveries/s (1 consumer)** | **{'pass' if verdicts[-1][1] else 'FAIL'}** |")
        w("")
    w("### Method")
    w("")
    w(f"- The server is published in Release and started with `Logging__LogLevel__Default=Warning`,")
    w(f"  `Consentry__Webhooks__AllowPrivateNetworks=true` and otherwise default webhook settings (BatchSize 200,")
    w(f"  MaxConcurrency 64), on a fresh SQLite file, then on a fresh PostgreSQL 15 (`initdb` defaults: fsync,")
    w(f"  synchronous_commit and full_page_writes on). The receiver (`bench/webhooks/Receiver`, Kestrel, shared")
    w(f"  framework only) answers 200 with an empty body and records each delivery's `webhook-id`, arrival time and the")
    w(f"  envelope's `generatedDate`. Server, receiver, load generator and database share the same {env['nproc']} cores.")
    w(f"- **Deliveries/s**: with the worker off (`Consentry__Webhooks__RunWorker=false`) one consumer is registered and")
    w(f"  {events:,} companies are created through the API with wrk ({env['load_connections']} connections), each one a")
    w(f"  `company.created` event in the outbox; the server stops and starts again with the worker on. Deliveries/s =")
    w(f"  deliveries / (last receipt − the moment `/healthz` first answered, or the first receipt if earlier), so server")
    w(f"  start-up after `/healthz` and the whole tail count; \"steady\" is the median per-second count in between.")
    if fan > 1:
        w(f"  Fan-out: {fan} consumers, a backlog of {events // fan:,} events, so the same number of deliveries.")
    w(f"- **Latency**: with the worker on, companies are created at a fixed {env['rate']}/s for {env['rate_seconds']} s")
    w(f"  (open loop, `bench/webhooks/paced.py`); latency = receipt time − the event's `generatedDate`, which the server")
    w(f"  stamps just before the transaction commits, both on this machine's clock: commit + wake-up + claim + sign +")
    w(f"  HTTP. Every delivery of the run counts (no warm-up trimmed; the server is warm from the drain).")
    w(f"- Checks: the receiver counts duplicate `webhook-id`s per consumer; the attempts API must list one successful")
    w(f"  attempt per delivery after each drain. Raw data (per-delivery CSV, CPU snapshots, server logs) stays in")
    w(f"  `{results_rel}/` (ignored by git).")
    w("")
    return "\n".join(out) + "\n", verdicts


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
    os.makedirs(os.path.dirname(os.path.abspath(doc)), exist_ok=True)
    with open(doc, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--quick")
    p.add_argument("--results")
    p.add_argument("--doc", default="-")
    p.add_argument("--section")
    a = p.parse_args()
    if a.quick:
        print(quick(a.quick))
        return
    env = read_env(os.path.join(a.results, "run.env"))
    data = {}
    for db in env["dbs"].split():
        d = {}
        for name in sorted(os.listdir(os.path.join(a.results, db))):
            m = re.fullmatch(r"((?:drain|latency)\d+)\.json", name)
            if m:
                d[m.group(1)] = phase(os.path.join(a.results, db, m.group(1)))
        data[db] = d
        bare = os.path.join(a.results, db, "bare.txt")
        if os.path.exists(bare) and open(bare).read().strip():
            BARE[db] = float(open(bare).read().strip())
    with open(os.path.join(a.results, "summary.json"), "w", encoding="utf-8") as f:
        json.dump(data, f, indent=2, default=str)
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    rel = os.path.relpath(os.path.abspath(a.results), root)
    section, verdicts = render(env, data, re.sub(r"/[^/]+$", "/<timestamp>", rel))
    if a.section:
        os.makedirs(os.path.dirname(os.path.abspath(a.section)), exist_ok=True)
        with open(a.section, "w", encoding="utf-8") as f:
            f.write(section)
    print(section)
    for db, ok, rate in verdicts:
        print(f"{DB_TITLES[db]}: {rate:,.0f} deliveries/s (1 consumer): {'PASS' if ok else 'FAIL'} (target {env['target']}/s)")
    if a.doc != "-":
        write_doc(a.doc, section)
        print(f"wrote the Webhooks section of {a.doc}")


if __name__ == "__main__":
    main()
