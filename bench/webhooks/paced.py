#!/usr/bin/env python3
"""Creates companies at a fixed rate (open loop) for the webhook latency measurement of bench/webhooks/run.sh.

Request i is due at start + i / rate whatever happened to earlier requests; several threads with one keep-alive
connection each share the schedule, so one slow answer does not delay the others. Prints one JSON object: how many
were sent and succeeded, the achieved rate, how late requests went out, and the API's answer times.

  paced.py --port 5000 --auth "Basic ..." --rate 200 --seconds 20 [--threads 8] [--name-prefix lat]
"""
import argparse
import http.client
import json
import threading
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--auth", required=True)
    p.add_argument("--rate", type=float, required=True)
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--name-prefix", default="Paced")
    p.add_argument("--timeout", type=float, default=30)
    a = p.parse_args()
    if a.rate <= 0 or a.seconds <= 0 or a.threads <= 0:
        raise SystemExit("rate, seconds and threads must be positive")

    total = int(round(a.rate * a.seconds))
    start = time.monotonic() + 0.2
    lock = threading.Lock()
    answers, late, errors = [], [], []
    ok = [0]

    def worker(k):
        conn = http.client.HTTPConnection("127.0.0.1", a.port, timeout=a.timeout)
        for i in range(k, total, a.threads):
            due = start + i / a.rate
            now = time.monotonic()
            if due > now:
                time.sleep(due - now)
            sent = time.monotonic()
            body = json.dumps({"name": f"{a.name_prefix} {i}"})
            try:
                conn.request("POST", "/companies", body=body, headers={
                    "Authorization": a.auth, "Content-Type": "application/json", "Accept": "application/json"})
                resp = conn.getresponse()
                resp.read()
                status = resp.status
            except (OSError, http.client.HTTPException) as e:
                status = None
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", a.port, timeout=a.timeout)
                err = repr(e)
            done = time.monotonic()
            with lock:
                late.append(sent - due)
                answers.append(done - sent)
                if status is not None and 200 <= status < 300:
                    ok[0] += 1
                else:
                    errors.append(status if status is not None else err)
        conn.close()

    threads = [threading.Thread(target=worker, args=(k,), daemon=True) for k in range(a.threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(a.seconds + a.timeout * 3 + 60)
    elapsed = time.monotonic() - start

    def pct(values, q):
        if not values:
            return 0.0
        v = sorted(values)
        return v[min(len(v) - 1, max(0, int(-(-q * len(v) // 100)) - 1))]

    print(json.dumps({
        "planned": total,
        "sent": len(answers),
        "ok": ok[0],
        "errors": len(errors),
        "error_samples": [str(e) for e in errors[:5]],
        "rate_planned": a.rate,
        "rate_achieved": round(len(answers) / elapsed, 1) if elapsed > 0 else 0,
        "late_p99_ms": round(pct(late, 99) * 1000, 2),
        "late_max_ms": round(max(late, default=0) * 1000, 2),
        "api_p50_ms": round(pct(answers, 50) * 1000, 2),
        "api_p99_ms": round(pct(answers, 99) * 1000, 2),
        "api_max_ms": round(max(answers, default=0) * 1000, 2),
    }))


if __name__ == "__main__":
    main()
