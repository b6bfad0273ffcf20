#!/usr/bin/env python3
"""Summarises bench/soak/run.sh samples into the "Soak" section of docs/benchmarks.md.

Per instance: memory (VmRSS) and handles (/proc/PID/fd) at the start, after the first quarter (once warm), at the
end and at most; the trend is the change from the second quarter's median to the last quarter's, per minute.
"""
import argparse, csv, json, os, statistics

START, END = "<!-- soak:start -->", "<!-- soak:end -->"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--doc", required=True)
    a = p.parse_args()
    run = dict(line.rstrip("\n").split("=", 1) for line in open(os.path.join(a.out, "run.env")) if "=" in line)
    rows = list(csv.DictReader(open(os.path.join(a.out, "samples.csv"))))
    driver = {}
    if os.path.exists(os.path.join(a.out, "driver.json")):
        driver = json.load(open(os.path.join(a.out, "driver.json")))
    lines = [START, "## Soak", "",
             f"`bench/soak/run.sh -m {run['minutes']}`, {run['date']}, commit {run['commit']}: {run['instances']} instances behind nginx "
             f"on PostgreSQL, {run['concurrency']} virtual customers running Link journeys without pause (each link queues sync reads "
             f"and webhook events; the sync and delivery workers run on every instance). "
             f"{driver.get('journeys_ok', '?')} journeys ({driver.get('journeys_per_s', '?')}/s), {driver.get('journeys_failed', '?')} failed; "
             f"{run['deliveries']} webhook deliveries received; load average at the end {run['loadavg']}.", "",
             "| instance | samples | RSS start → warm → end (max), MB | RSS trend after warm-up, MB/min | handles start → warm → end (max) | handle trend, /min | threads end |",
             "|---:|---:|---|---:|---|---:|---:|"]
    for k in sorted({r["instance"] for r in rows}, key=int):
        mine = [r for r in rows if r["instance"] == k]
        t = [int(r["elapsed_s"]) for r in mine]
        rss = [int(r["rss_kb"]) / 1024 for r in mine]
        fds = [int(r["fds"]) for r in mine]
        q = max(1, len(mine) // 4)
        minutes = max(1e-9, (statistics.median(t[-q:]) - statistics.median(t[q:2 * q])) / 60)

        def trend(v):
            return (statistics.median(v[-q:]) - statistics.median(v[q:2 * q])) / minutes

        lines.append(f"| {k} | {len(mine)} | {rss[0]:.0f} → {rss[q]:.0f} → {rss[-1]:.0f} ({max(rss):.0f}) | {trend(rss):+.1f} | "
                     f"{fds[0]} → {fds[q]} → {fds[-1]} ({max(fds)}) | {trend(fds):+.2f} | {mine[-1]['threads']} |")
    lines += ["", "<!-- soak:notes -->", END]
    text = "\n".join(lines) + "\n"
    open(os.path.join(a.out, "section.md"), "w").write(text)
    print(text)
    if a.doc == "-":
        return
    doc = open(a.doc).read()
    if START in doc:
        old = doc[doc.index(START):doc.index(END) + len(END)]
        notes = old.split("<!-- soak:notes -->", 1)[1].rsplit(END, 1)[0] if "<!-- soak:notes -->" in old else "\n"
        doc = doc.replace(old, text.rstrip("\n").replace("<!-- soak:notes -->\n", "<!-- soak:notes -->" + notes))
    else:
        doc = doc.rstrip("\n") + "\n\n" + text
    open(a.doc, "w").write(doc)


if __name__ == "__main__":
    main()
