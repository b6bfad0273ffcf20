-- POST /companies with {"name":"Bench Co"}: one INSERT and one commit per request.
local common = dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
common.auth()
wrk.method = "POST"
wrk.path = "/companies"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"name":"Bench Co"}'
common.report()
