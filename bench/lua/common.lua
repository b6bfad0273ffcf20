-- Shared by every wrk script of the Consentry benchmark (loaded with dofile).
-- Environment (set by bench/run.sh):
--   BENCH_AUTH      the whole Authorization header value ("Basic base64(key)"); absent for anonymous endpoints
--   BENCH_IDS       a file with one company id per line, for scripts that pick random ids
--   BENCH_QUERY     the name~X search term of list_companies.lua
local M = {}

function M.auth()
  local auth = os.getenv("BENCH_AUTH")
  if auth and #auth > 0 then
    wrk.headers["Authorization"] = auth
  end
  wrk.headers["Accept"] = "application/json"
end

-- Reads the id file once per Lua state (each wrk thread has its own); bounded by the file's size.
function M.load_ids()
  local path = os.getenv("BENCH_IDS")
  assert(path and #path > 0, "BENCH_IDS is not set")
  local ids = {}
  for line in io.lines(path) do
    if #line > 0 then
      ids[#ids + 1] = line
    end
  end
  assert(#ids > 0, "no ids in " .. path)
  return ids
end

-- Each thread gets its own random seed so the threads do not walk the same id sequence.
local counter = 0
function M.seed_threads()
  function setup(thread)
    counter = counter + 1
    thread:set("seed", os.time() * 1000 + counter * 7919)
  end

  function init(args)
    math.randomseed(seed or os.time())
  end
end

-- One machine-readable line for bench/report.py (latencies in microseconds), beside wrk's own --latency text.
function M.report()
  function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
      'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"connect_errors":%d,"read_errors":%d,' ..
      '"write_errors":%d,"status_errors":%d,"timeouts":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
      '"max_us":%d,"mean_us":%.1f,"stdev_us":%.1f}\n',
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
      latency.stdev))
  end
end

return M
