#!/usr/bin/env python3
"""CPU accounting around one wrk run, and waiting for a quiet machine (used by bench/run.sh).

  measure.py run --server-pid P --out FILE.cpu.json [--pg-user postgres] -- wrk ARGS...
      runs the command (its stdout/stderr are inherited), then writes the CPU time used during the run by the
      server process, by PostgreSQL (every process of the user postgres), by the command itself (wrk), by
      interrupts and by the whole machine, so the report can say how much of the cores went to something else.
      "other_share" is the share of the machine that other processes took.
  measure.py wait-quiet [--busy 0.25] [--max-seconds 90]
      waits (bounded) until the machine's CPU is under --busy for a 1-second window: the server has finished
      the requests a previous wrk run abandoned, and nobody else is hogging the cores.
  measure.py unloaded --url URL [--auth HEADER] [--ids FILE] [--count 7]
      median and max time of sequential single requests (no concurrency), in milliseconds, as JSON.
  measure.py wrk-summary FILE
      one line for a wrk output file of bench/lua (req/s, p50, p99, errors), for runs that write no report.
"""
import argparse
import json
import os
import pwd
import random
import resource
import statistics
import subprocess
import sys
import time
import urllib.request

CLK_TCK = os.sysconf("SC_CLK_TCK")


def machine_ticks():
    """(busy, total, interrupts) jiffies of all CPUs. Interrupt time (irq + softirq: mostly the loopback network
    stack at these request rates) is busy time that no process is charged for."""
    with open("/proc/stat", encoding="ascii") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    total = sum(fields[:8])  # user nice system idle iowait irq softirq steal (guest is inside user)
    idle = fields[3] + fields[4]
    return total - idle, total, fields[5] + fields[6]


def process_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            parts = f.read().rsplit(")", 1)[1].split()
        return int(parts[11]) + int(parts[12])  # utime stime (fields 14 and 15)
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0


def user_ticks(user):
    """Sum of utime+stime of the live processes of one user (PostgreSQL's postmaster and backends)."""
    try:
        uid = pwd.getpwnam(user).pw_uid
    except KeyError:
        return 0
    total = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    total += process_ticks(entry)
            except FileNotFoundError:
                continue
    return total


def cmd_run(args):
    if not args.command or args.command[0] != "--" or len(args.command) < 2:
        sys.exit("measure.py run: give the command after --")
    command = args.command[1:]
    busy0, total0, irq0 = machine_ticks()
    server0, pg0 = process_ticks(args.server_pid), user_ticks(args.pg_user)
    children0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    status = subprocess.run(command, check=False, timeout=args.timeout).returncode
    wall = time.monotonic() - started
    children1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy1, total1, irq1 = machine_ticks()
    server1, pg1 = process_ticks(args.server_pid), user_ticks(args.pg_user)
    result = {
        "wall_s": wall,
        "cpus": os.cpu_count(),
        "server_cpu_s": (server1 - server0) / CLK_TCK,
        "postgres_cpu_s": max(pg1 - pg0, 0) / CLK_TCK,
        "wrk_cpu_s": (children1.ru_utime - children0.ru_utime) + (children1.ru_stime - children0.ru_stime),
        "machine_busy_s": (busy1 - busy0) / CLK_TCK,
        "interrupts_cpu_s": (irq1 - irq0) / CLK_TCK,
        "machine_capacity_s": (total1 - total0) / CLK_TCK,
    }
    result["other_cpu_s"] = max(0.0, result["machine_busy_s"] - result["server_cpu_s"] - result["postgres_cpu_s"]
                                - result["wrk_cpu_s"] - result["interrupts_cpu_s"])
    result["other_share"] = result["other_cpu_s"] / max(result["machine_capacity_s"], 1e-9)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2)
    return status


def cmd_wait_quiet(args):
    deadline = time.monotonic() + args.max_seconds
    share = 1.0
    while True:
        busy0, total0, _ = machine_ticks()
        time.sleep(1.0)
        busy1, total1, _ = machine_ticks()
        share = (busy1 - busy0) / max(total1 - total0, 1)
        if share < args.busy:
            print(f"{share:.2f}")
            return 0
        if time.monotonic() >= deadline:
            print(f"{share:.2f} (still busy after {args.max_seconds} s)")
            return 0


def cmd_unloaded(args):
    ids = []
    if args.ids:
        with open(args.ids, encoding="utf-8") as f:
            ids = [line.strip() for line in f if line.strip()]
    rng = random.Random(7)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    times = []
    for _ in range(args.count):
        url = args.url.replace("{id}", rng.choice(ids)) if ids else args.url
        request = urllib.request.Request(url, method=args.method, data=args.body.encode() if args.body else None)
        if args.auth:
            request.add_header("Authorization", args.auth)
        if args.body:
            request.add_header("Content-Type", "application/json")
        started = time.perf_counter()
        with opener.open(request, timeout=120) as response:
            response.read()
            if response.status != 200:
                sys.exit(f"measure.py unloaded: {url} answered {response.status}")
        times.append((time.perf_counter() - started) * 1000)
    print(json.dumps({"median_ms": statistics.median(times), "max_ms": max(times), "count": len(times)}))
    return 0


def cmd_wrk_summary(args):
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    from report import parse_wrk  # pylint: disable=import-outside-toplevel
    r = parse_wrk(args.file)
    print(f"{r['rps']:.1f} req/s, p50 {r['p50_us'] / 1000:.2f} ms, p99 {r['p99_us'] / 1000:.2f} ms, errors {r['errors']}")
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--server-pid", type=int, required=True)
    r.add_argument("--pg-user", default="postgres")
    r.add_argument("--out", required=True)
    r.add_argument("--timeout", type=float, default=600)
    r.add_argument("command", nargs=argparse.REMAINDER)
    q = sub.add_parser("wait-quiet")
    q.add_argument("--busy", type=float, default=0.25)
    q.add_argument("--max-seconds", type=float, default=90)
    u = sub.add_parser("unloaded")
    u.add_argument("--url", required=True, help="may contain {id}, replaced by a random id of --ids")
    u.add_argument("--ids")
    u.add_argument("--auth")
    u.add_argument("--method", default="GET")
    u.add_argument("--body")
    u.add_argument("--count", type=int, default=7)
    s = sub.add_parser("wrk-summary")
    s.add_argument("file")
    args = p.parse_args()
    handler = {"run": cmd_run, "wait-quiet": cmd_wait_quiet, "unloaded": cmd_unloaded, "wrk-summary": cmd_wrk_summary}[args.cmd]
    sys.exit(handler(args))


if __name__ == "__main__":
    main()
