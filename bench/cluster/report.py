#!/usr/bin/env python3
"""Turns bench/cluster/run.sh results into the "Cluster" section of docs/benchmarks.md and docs/cluster-scaling.svg.

python3 has no matplotlib here, so the picture is plain SVG written by hand: one line per workload (throughput with N
instances divided by throughput with 1), the ideal (N times) as a dashed line, the 1.7x target as a dotted one.
"""
import argparse, json, os, re

START, END = "<!-- cluster-bench:start -->", "<!-- cluster-bench:end -->"


def env(path):
    out = {}
    if os.path.exists(path):
        for line in open(path):
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                out[k] = v
    return out


def load(results):
    run = env(os.path.join(results, "run.env"))
    rows = []
    for n in run["instances"].split():
        j = json.load(open(os.path.join(results, f"journeys-{n}.json")))
        w = json.load(open(os.path.join(results, f"webhooks-{n}.json")))
        cpu = j.get("cpu") or {}
        span = max(1e-9, w["lastArrival"] - w["firstArrival"])
        rows.append({
            "n": int(n),
            "journeys": j["journeys_per_s"],
            "journeys_failed": j.get("journeys_failed", 0),
            "busy": cpu.get("machine_busy_cores"),
            "pg": cpu.get("postgres_cores"),
            "deliveries": round(w["unique"] / span, 1),
            "duplicates": w.get("duplicates", 0),
            "wh_busy": env(os.path.join(results, f"webhooks-{n}.env")).get("busy_cores"),
        })
    return run, rows


def svg(rows, path):
    width, height, left, bottom, top, right = 600, 340, 60, 50, 30, 190
    ns = [r["n"] for r in rows]
    max_n = max(ns + [2])
    base = rows[0]
    series = [
        ("Link journeys/s", "#1f77b4", [(r["n"], r["journeys"] / base["journeys"]) for r in rows]),
        ("webhook deliveries/s", "#d62728", [(r["n"], r["deliveries"] / base["deliveries"]) for r in rows]),
    ]
    max_y = max([max_n] + [y for _, _, pts in series for _, y in pts]) * 1.1

    def x(n):
        return left + (n - 1) / max(1, max_n - 1) * (width - left - right)

    def y(v):
        return height - bottom - v / max_y * (height - top - bottom)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<text x="{left}" y="18" font-size="14">Throughput with N instances / with 1 (nginx, one PostgreSQL, 2 cores)</text>']
    for t in range(0, int(max_y) + 1):
        parts.append(f'<line x1="{left}" y1="{y(t):.1f}" x2="{width - right}" y2="{y(t):.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 8}" y="{y(t) + 4:.1f}" text-anchor="end">{t}x</text>')
    for n in range(1, max_n + 1):
        parts.append(f'<text x="{x(n):.1f}" y="{height - bottom + 18}" text-anchor="middle">{n}</text>')
    parts.append(f'<text x="{(left + width - right) / 2:.1f}" y="{height - 12}" text-anchor="middle">instances</text>')
    parts.append(f'<line x1="{x(1):.1f}" y1="{y(1):.1f}" x2="{x(max_n):.1f}" y2="{y(max_n):.1f}" stroke="#888" stroke-dasharray="6,4"/>')
    parts.append(f'<line x1="{x(2) - 8:.1f}" y1="{y(1.7):.1f}" x2="{x(2) + 8:.1f}" y2="{y(1.7):.1f}" stroke="#888" stroke-width="2"/>')
    parts.append(f'<text x="{x(2) - 12:.1f}" y="{y(1.7) + 4:.1f}" fill="#555" text-anchor="end">target 1.7x</text>')
    legend = [("ideal (N x)", "#888", True)] + [(name, colour, False) for name, colour, _ in series]
    for i, (name, colour, dashed) in enumerate(legend):
        ly = top + 20 + i * 18
        dash = ' stroke-dasharray="6,4"' if dashed else ""
        parts.append(f'<line x1="{width - right + 10}" y1="{ly}" x2="{width - right + 30}" y2="{ly}" stroke="{colour}" stroke-width="2"{dash}/>')
        parts.append(f'<text x="{width - right + 35}" y="{ly + 4}">{name}</text>')
    for _, colour, pts in series:
        d = " ".join(f"{'M' if i == 0 else 'L'}{x(n):.1f},{y(v):.1f}" for i, (n, v) in enumerate(pts))
        parts.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for n, v in pts:
            parts.append(f'<circle cx="{x(n):.1f}" cy="{y(v):.1f}" r="4" fill="{colour}"/>')
            parts.append(f'<text x="{x(n) + 6:.1f}" y="{y(v) - 6:.1f}" fill="{colour}">{v:.2f}x</text>')
    parts.append("</svg>")
    open(path, "w").write("\n".join(parts) + "\n")


def section(run, rows):
    lines = [START, "## Cluster (nginx + N instances + PostgreSQL)", "",
             f"`bench/cluster/run.sh`, {run['date']}, commit {run['commit']}, {run['nproc']} cores ({run['cpu']}); "
             f"load average before {run['loadavg_before']}, after {run.get('loadavg_after', '?')}. "
             f"Each row is a fresh cluster from `deploy/local-cluster.sh` (PostgreSQL 15, N instances, nginx; all on 127.0.0.1). "
             f"Journeys: {run['concurrency']} virtual customers through nginx, {run['warmup']} s warm-up, {run['duration']} s measured "
             f"(the driver of bench/journeys). Webhooks: a backlog of {run['events']} `company.created` events created through nginx "
             f"with the delivery worker off, then every instance restarted with it on; deliveries/s over first to last receipt.", "",
             "| instances | journeys/s | vs 1 | machine busy (cores) | PostgreSQL (cores) | deliveries/s | vs 1 | machine busy (cores) | duplicates |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    base = rows[0]
    for r in rows:
        lines.append(f"| {r['n']} | {r['journeys']} | {r['journeys'] / base['journeys']:.2f}x | {r['busy']} | {r['pg']} | "
                     f"{r['deliveries']} | {r['deliveries'] / base['deliveries']:.2f}x | {r['wh_busy']} | {r['duplicates']} |")
    lines += ["", "![Scaling curve: throughput with N instances relative to one](cluster-scaling.svg)", "",
              "<!-- cluster-bench:notes -->", END]
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--results", required=True)
    p.add_argument("--doc", required=True)
    p.add_argument("--svg", required=True)
    a = p.parse_args()
    run, rows = load(a.results)
    text = section(run, rows)
    open(os.path.join(a.results, "section.md"), "w").write(text)
    print(text)
    if a.doc == "-":
        return
    svg(rows, a.svg)
    doc = open(a.doc).read()
    if START in doc:
        old = doc[doc.index(START):doc.index(END) + len(END)]
        # Hand-written notes below the table survive a new run.
        notes = old.split("<!-- cluster-bench:notes -->", 1)[1].rsplit(END, 1)[0] if "<!-- cluster-bench:notes -->" in old else ""
        text = text.replace("<!-- cluster-bench:notes -->\n", "<!-- cluster-bench:notes -->" + notes)
        doc = doc.replace(old + "\n", text) if old + "\n" in doc else doc.replace(old, text.rstrip("\n"))
    else:
        doc = doc.rstrip("\n") + "\n\n" + text
    open(a.doc, "w").write(doc)


if __name__ == "__main__":
    main()
