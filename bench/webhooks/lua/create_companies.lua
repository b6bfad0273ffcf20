-- POST /companies until this thread has WH_QUOTA successful answers, then the thread stops (bench/webhooks/run.sh).
-- Each created company is one company.created event in the outbox (one delivery per consumer). A thread also stops
-- after 100 failed answers. wrk itself runs until its -d duration even when every thread has stopped, so a stopping
-- thread appends a line to WH_DONE_FILE and run.sh interrupts wrk (SIGINT: it still prints its summary) once every
-- thread has. Environment: WH_AUTH (the Authorization header value), WH_QUOTA (successes per thread), WH_DONE_FILE.
local auth = os.getenv("WH_AUTH")
local done_file = os.getenv("WH_DONE_FILE")
quota = tonumber(os.getenv("WH_QUOTA") or "")
assert(auth and #auth > 0, "WH_AUTH is not set")
assert(quota and quota > 0, "WH_QUOTA is not set")
assert(done_file and #done_file > 0, "WH_DONE_FILE is not set")

wrk.method = "POST"
wrk.path = "/companies"
wrk.headers["Authorization"] = auth
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.body = '{"name":"Webhook Bench Co"}'

local threads = {}
function setup(thread)
  thread:set("quota", quota)
  table.insert(threads, thread)
end

ok = 0
bad = 0
local stopped = false
function response(status, headers, body)
  if status >= 200 and status < 300 then
    ok = ok + 1
  else
    bad = bad + 1
  end
  if not stopped and (ok >= quota or bad >= 100) then
    stopped = true
    local f = assert(io.open(done_file, "a"))
    f:write(string.format("%d %d\n", ok, bad))
    f:close()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local total_ok, total_bad = 0, 0
  for _, t in ipairs(threads) do
    total_ok = total_ok + t:get("ok")
    total_bad = total_bad + t:get("bad")
  end
  io.write(string.format('WH_JSON {"ok":%d,"failed":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d}\n',
    total_ok, total_bad, summary.duration, latency:percentile(50), latency:percentile(99)))
end
