#!/usr/bin/env python3
"""Seeds the Consentry benchmark data set straight into the database (much faster than over HTTP).

Run by bench/run.sh after the app has started once (so the migrations created the schema and the bootstrap client
exists) and after one company and three connections were created through the API: those "probe" rows tell us what
EF Core writes (id and date formats on SQLite) and the integration ids/names of the sandbox platforms, so the seeded
rows look exactly like rows the app wrote itself.

Data set (deterministic for a given --seed):
  * N companies of the client "Default", names "<First> <Second> <Suffix>" from fixed word lists, created at random
    moments of the last 365 days; ~30% have a description, ~20% one tag (region=uk|us|de|fr|au|nl);
  * ~10% of the companies have 1 or 2 connections on distinct sandbox platforms (sbac/sbbk/sbcm), status
    PendingAuth or Linked (the schema allows at most one non-Unlinked accounting connection per company).

Writes into --out: ids_all.txt (every seeded company), ids_connected.txt (those with connections) and meta.json.
Only the Python standard library is used; PostgreSQL is loaded with psql's \\copy.
"""
import argparse
import csv
import json
import os
import random
import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import datetime, timezone

FIRST = [
    "Acme", "Apex", "Atlas", "Aurora", "Beacon", "Birch", "Blue", "Bright", "Cedar", "Citadel", "Cobalt", "Copper",
    "Crown", "Delta", "Eagle", "Ember", "Evergreen", "Falcon", "Fern", "Fox", "Granite", "Green", "Harbour", "Hazel",
    "Horizon", "Iron", "Ivy", "Juniper", "Keystone", "Lake", "Lumen", "Maple", "Meadow", "Mercury", "North", "Oak",
    "Onyx", "Orchid", "Pine", "Pioneer", "Quartz", "Raven", "Red", "River", "Rose", "Sage", "Silver", "Sky", "Slate",
    "Solar", "Spruce", "Stone", "Summit", "Swift", "Thistle", "Titan", "Union", "Valley", "Willow", "Zenith",
]
SECOND = [
    "Accounting", "Analytics", "Bakery", "Builders", "Cafe", "Catering", "Cleaning", "Clinic", "Construction",
    "Consulting", "Dental", "Design", "Electrical", "Engineering", "Events", "Farms", "Fitness", "Florists", "Foods",
    "Freight", "Furniture", "Garage", "Hardware", "Interiors", "Joinery", "Landscaping", "Legal", "Logistics",
    "Media", "Motors", "Nursery", "Optics", "Pharmacy", "Plumbing", "Printing", "Properties", "Retail", "Software",
    "Textiles", "Trading", "Travel", "Ventures", "Wholesale", "Wines",
]
SUFFIX = ["Ltd", "Limited", "LLC", "Inc", "GmbH", "Group", "Holdings", "& Co", "PLC", "Partners"]
REGIONS = ["uk", "us", "de", "fr", "au", "nl"]
DESCRIPTIONS = [
    "Family business since 1987", "Independent retailer", "Seasonal trade, two sites", "Invoices monthly",
    "Franchise member", "Sole trader", "Online and in store", "Exports to the EU",
]
PLATFORMS = ["sbac", "sbbk", "sbcm"]
STATUSES = ["PendingAuth", "Linked"]

TICKS_PER_SECOND = 10_000_000
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def ticks_from_iso(text):
    """'2026-11-21T23:19:57.4254374Z' -> 100 ns ticks since the Unix epoch (exact, unlike datetime's microseconds)."""
    text = text.rstrip("Z")
    if text.endswith("+00:00"):
        text = text[:-6]
    whole, _, frac = text.partition(".")
    seconds = int((datetime.fromisoformat(whole).replace(tzinfo=timezone.utc) - EPOCH).total_seconds())
    return seconds * TICKS_PER_SECOND + int((frac + "0000000")[:7])


def sqlite_time(ticks):
    """What EF Core's SQLite provider writes for a DateTime: 'yyyy-MM-dd HH:mm:ss.FFFFFFF' (trailing zeros dropped)."""
    seconds, rest = divmod(ticks, TICKS_PER_SECOND)
    text = datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    frac = f"{rest:07d}".rstrip("0")
    return f"{text}.{frac}" if frac else text


def pg_time(ticks):
    """timestamp with time zone literal, microsecond precision (PostgreSQL's resolution)."""
    seconds, rest = divmod(ticks, TICKS_PER_SECOND)
    text = datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    return f"{text}.{rest // 10:06d}+00"


def sqlite_guid(value):
    """EF Core's SQLite provider stores Guids as upper-case TEXT."""
    return str(value).upper()


def generate(count, client_id, probe_connections, now_ticks, rng):
    """Yields (companies, tags, connections) as lists of dicts with ticks; formatting is per database."""
    companies, tags, connections = [], [], []
    year = 365 * 24 * 3600 * TICKS_PER_SECOND
    for _ in range(count):
        cid = uuid.UUID(int=rng.getrandbits(128), version=4)
        created = now_ticks - rng.randrange(year) - TICKS_PER_SECOND * 3600
        name = f"{rng.choice(FIRST)} {rng.choice(SECOND)} {rng.choice(SUFFIX)}"
        description = rng.choice(DESCRIPTIONS) if rng.random() < 0.30 else None
        companies.append({"id": cid, "name": name, "description": description, "created": created})
        if rng.random() < 0.20:
            tags.append({"company": cid, "key": "region", "value": rng.choice(REGIONS)})
        if rng.random() < 0.10:
            for n, platform in enumerate(rng.sample(PLATFORMS, rng.choice((1, 2)))):
                probe = probe_connections[platform]
                connections.append({
                    "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                    "company": cid,
                    "key": platform,
                    "integration_id": probe["integrationId"],
                    "source_id": probe["sourceId"],
                    "source_type": probe["sourceType"],
                    "platform_name": probe["platformName"],
                    "status": rng.choice(STATUSES),
                    "created": created + (n + 1) * rng.randrange(60, 3600) * TICKS_PER_SECOND,
                })
    return companies, tags, connections


def read_probe(path):
    with open(path, encoding="utf-8") as f:
        probe = json.load(f)
    by_key = {c["integrationKey"]: c for c in probe["connections"]}
    missing = [p for p in PLATFORMS if p not in by_key]
    if missing:
        sys.exit(f"seed.py: the probe has no connection for {missing}")
    return probe["company"], by_key


# ---------------------------------------------------------------- SQLite

def seed_sqlite(args, probe_company, probe_connections, rng):
    db = sqlite3.connect(args.sqlite, timeout=30)
    try:
        row = db.execute('SELECT "Id" FROM clients WHERE "Name" = ?', ("Default",)).fetchone()
        if row is None:
            sys.exit("seed.py: no client 'Default' in the SQLite database")
        client_id = row[0]

        # Self-check: our formats reproduce what EF Core wrote for the company created through the API.
        stored = db.execute('SELECT "Id", "Created" FROM companies WHERE "Id" = ?',
                            (sqlite_guid(probe_company["id"]),)).fetchone()
        if stored is None:
            sys.exit(f"seed.py: the probe company {probe_company['id']} is not stored as upper-case TEXT")
        expected = sqlite_time(ticks_from_iso(probe_company["created"]))
        if stored[1] != expected:
            sys.exit(f"seed.py: EF wrote Created as {stored[1]!r}, our format gives {expected!r}")

        companies, tags, connections = generate(args.count, client_id, probe_connections, args.now_ticks, rng)
        started = time.monotonic()
        with db:
            db.executemany(
                'INSERT INTO companies ("Id", "ClientId", "Name", "Description", "Created", "LastSync", "SyncSettings") '
                "VALUES (?, ?, ?, ?, ?, NULL, NULL)",
                ((sqlite_guid(c["id"]), client_id, c["name"], c["description"], sqlite_time(c["created"]))
                 for c in companies))
            db.executemany(
                'INSERT INTO company_tags ("CompanyId", "Key", "Value") VALUES (?, ?, ?)',
                ((sqlite_guid(t["company"]), t["key"], t["value"]) for t in tags))
            db.executemany(
                'INSERT INTO connections ("Id", "ClientId", "CompanyId", "IntegrationKey", "IntegrationId", "SourceId", '
                '"SourceType", "PlatformName", "Status", "Created", "LastSync") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)',
                ((sqlite_guid(c["id"]), client_id, sqlite_guid(c["company"]), c["key"], sqlite_guid(c["integration_id"]),
                  sqlite_guid(c["source_id"]), c["source_type"], c["platform_name"], c["status"], sqlite_time(c["created"]))
                 for c in connections))
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        elapsed = time.monotonic() - started
        total = db.execute('SELECT count(*) FROM companies WHERE "ClientId" = ?', (client_id,)).fetchone()[0]
    finally:
        db.close()
    return client_id, companies, tags, connections, elapsed, total


# ---------------------------------------------------------------- PostgreSQL

def psql(args, *extra, input_text=None):
    cmd = ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", args.pg_host, "-p", str(args.pg_port),
           "-U", args.pg_user, "-d", args.pg_db, *extra]
    result = subprocess.run(cmd, input=input_text, capture_output=True, text=True, timeout=600, check=False)
    if result.returncode != 0:
        sys.exit(f"seed.py: psql failed: {result.stderr.strip()}")
    return result.stdout


def seed_postgres(args, probe_company, probe_connections, rng):
    client_id = psql(args, "-Atc", 'SELECT "Id" FROM clients WHERE "Name" = \'Default\'').strip()
    if not client_id:
        sys.exit("seed.py: no client 'Default' in the PostgreSQL database")
    found = psql(args, "-Atc", f"SELECT count(*) FROM companies WHERE \"Id\" = '{probe_company['id']}'").strip()
    if found != "1":
        sys.exit(f"seed.py: the probe company {probe_company['id']} is not in PostgreSQL")

    companies, tags, connections = generate(args.count, client_id, probe_connections, args.now_ticks, rng)
    workdir = args.out
    files = {
        "companies": os.path.join(workdir, "pg_companies.csv"),
        "company_tags": os.path.join(workdir, "pg_company_tags.csv"),
        "connections": os.path.join(workdir, "pg_connections.csv"),
    }
    with open(files["companies"], "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        for c in companies:
            w.writerow([c["id"], client_id, c["name"], c["description"], pg_time(c["created"])])
    with open(files["company_tags"], "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        for t in tags:
            w.writerow([t["company"], t["key"], t["value"]])
    with open(files["connections"], "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        for c in connections:
            w.writerow([c["id"], client_id, c["company"], c["key"], c["integration_id"], c["source_id"],
                        c["source_type"], c["platform_name"], c["status"], pg_time(c["created"])])

    started = time.monotonic()
    # csv: an empty unquoted field is NULL (Description), which is what we want.
    script = "\n".join([
        "BEGIN;",
        f"\\copy companies (\"Id\", \"ClientId\", \"Name\", \"Description\", \"Created\") FROM '{files['companies']}' WITH (FORMAT csv)",
        f"\\copy company_tags (\"CompanyId\", \"Key\", \"Value\") FROM '{files['company_tags']}' WITH (FORMAT csv)",
        f"\\copy connections (\"Id\", \"ClientId\", \"CompanyId\", \"IntegrationKey\", \"IntegrationId\", \"SourceId\", "
        f"\"SourceType\", \"PlatformName\", \"Status\", \"Created\") FROM '{files['connections']}' WITH (FORMAT csv)",
        "COMMIT;",
        # What autovacuum would do within a minute anyway: statistics and the visibility map, so the plans are the
        # ones a settled production database gets.
        "VACUUM ANALYZE companies;",
        "VACUUM ANALYZE company_tags;",
        "VACUUM ANALYZE connections;",
    ]) + "\n"
    psql(args, input_text=script)
    elapsed = time.monotonic() - started
    for path in files.values():
        os.remove(path)
    total = int(psql(args, "-Atc", f"SELECT count(*) FROM companies WHERE \"ClientId\" = '{client_id}'").strip())
    return client_id, companies, tags, connections, elapsed, total


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", choices=["sqlite", "postgres"], required=True)
    p.add_argument("--sqlite", help="path of consentry.db")
    p.add_argument("--pg-host", default="127.0.0.1")
    p.add_argument("--pg-port", type=int)
    p.add_argument("--pg-user", default="postgres")
    p.add_argument("--pg-db", default="consentry")
    p.add_argument("--probe", required=True, help="JSON file: {company: <API answer>, connections: [<API answers>]}")
    p.add_argument("--count", type=int, default=100_000)
    p.add_argument("--query-term", default="harbour", help="the name~X term whose matches are counted")
    p.add_argument("--seed", type=int, default=20261121)
    p.add_argument("--out", required=True)
    args = p.parse_args()
    if not 1 <= args.count <= 5_000_000:
        sys.exit("seed.py: --count must be between 1 and 5,000,000")
    os.makedirs(args.out, exist_ok=True)

    probe_company, probe_connections = read_probe(args.probe)
    args.now_ticks = ticks_from_iso(probe_company["created"])
    rng = random.Random(args.seed)
    if args.db == "sqlite":
        client_id, companies, tags, connections, elapsed, total = seed_sqlite(args, probe_company, probe_connections, rng)
    else:
        client_id, companies, tags, connections, elapsed, total = seed_postgres(args, probe_company, probe_connections, rng)

    connected = sorted({c["company"] for c in connections}, key=str)
    with open(os.path.join(args.out, "ids_all.txt"), "w", encoding="utf-8") as f:
        f.writelines(f"{c['id']}\n" for c in companies)
    with open(os.path.join(args.out, "ids_connected.txt"), "w", encoding="utf-8") as f:
        f.writelines(f"{c}\n" for c in connected)

    term = args.query_term.lower()
    # The probe company is named "Probe": it never matches a term taken from the word lists.
    matches = sum(1 for c in companies if term in c["name"].lower())
    meta = {
        "database": args.db,
        "client_id": client_id,
        "companies_seeded": len(companies),
        "companies_total": total,
        "companies_with_connections": len(connected),
        "connections": len(connections),
        "tags": len(tags),
        "query_term": args.query_term,
        "query_matches": matches,
        "query_fraction": matches / max(total, 1),
        "seed_seconds": round(elapsed, 2),
    }
    with open(os.path.join(args.out, "meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2)
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
