#!/usr/bin/env python3
"""Links a Xero (simulator) user through Link over HTTP and times the first reads until every data type is Complete.

Usage: xero_link_read.py BASE_URL API_KEY USERNAME  -> prints one JSON object.
The clock starts when the OAuth callback has answered (the first reads are queued in that transaction)."""
import base64, html, http.cookiejar, json, re, sys, time, urllib.error, urllib.parse, urllib.request

base, key, user = sys.argv[1:4]
auth = {"Authorization": "Basic " + base64.b64encode(key.encode()).decode(), "Content-Type": "application/json"}
TYPES = {"company": "info", "chartOfAccounts": "accounts", "customers": "customers", "suppliers": "suppliers",
         "invoices": "invoices", "bills": "bills", "payments": "payments"}

def api(method, path, body=None):
    req = urllib.request.Request(base + path, method=method, headers=auth, data=None if body is None else json.dumps(body).encode())
    with urllib.request.urlopen(req) as r:
        text = r.read().decode()
        return json.loads(text) if text else None

class LocalhostJar(http.cookiejar.CookieJar):
    """Browsers treat http://localhost as a secure context and send its Secure cookies; urllib does not unless told."""
    def add_cookie_header(self, request):
        for cookie in self:
            cookie.secure = False
        super().add_cookie_header(request)

browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(LocalhostJar()))

def page(url, fields=None):
    data = None if fields is None else urllib.parse.urlencode(fields).encode()
    try:
        with browser.open(urllib.request.Request(url, data=data)) as r:
            return r.geturl(), r.read().decode()
    except urllib.error.HTTPError as e:
        raise SystemExit(f"{e.code} at {e.geturl()}: {re.sub(r'<[^>]+>', ' ', e.read().decode())[-600:]}")

def form(url, text, action_contains, extra):
    for m in re.finditer(r'<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>', text, re.S):
        action = html.unescape(m.group(1))
        if action_contains in action:
            inputs = [dict(re.findall(r'([a-z-]+)="([^"]*)"', tag)) for tag in re.findall(r"<input[^>]*>", m.group(2))]
            fields = {html.unescape(i["name"]): html.unescape(i.get("value", "")) for i in inputs if i.get("type") == "hidden" and "name" in i}
            fields.update(extra)
            return page(urllib.parse.urljoin(url, action), fields)
    raise SystemExit(f"no form with {action_contains} at {url}")

company = api("POST", "/companies", {"name": "Xero Benchmark Ltd"})["id"]
connection = api("POST", f"/companies/{company}/connections", {"platformKey": "gbol"})
url, text = page(connection["linkUrl"])
url, text = form(url, text, "handler=Continue", {})
url, text = form(url, text, "/connect/login", {"username": user, "password": "pass_good"})
url, text = form(url, text, "/consent/allow", {"org-1": "on"})
start = time.monotonic()
status = {}
while time.monotonic() - start < 900:
    status = api("GET", f"/companies/{company}/dataStatus")
    if all(status.get(t, {}).get("currentStatus") == "Complete" for t in TYPES):
        break
    if any(status.get(t, {}).get("currentStatus") in ("FetchError", "AuthError", "RateLimitError", "PermissionsError") for t in TYPES):
        raise SystemExit(f"a read failed: {json.dumps(status)}")
    time.sleep(0.1)
elapsed = time.monotonic() - start
counts = {t: 1 if p == "info" else api("GET", f"/companies/{company}/data/{p}?pageSize=1")["totalResults"] for t, p in TYPES.items()}
print(json.dumps({"seconds": round(elapsed, 2), "records": sum(counts.values()), "recordsPerSecond": round(sum(counts.values()) / elapsed),
                  "counts": counts, "complete": all(status[t]["currentStatus"] == "Complete" for t in TYPES)}))
