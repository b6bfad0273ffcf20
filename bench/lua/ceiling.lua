-- The ceiling: GET /branding/sbac/logo-square.svg, anonymous, answered from bytes held in memory (no database).
-- It goes through the same middleware as every API call (correlation id, exception handler, authentication),
-- so it is what this server can do per request before any database work.
local common = dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
wrk.method = "GET"
wrk.path = "/branding/sbac/logo-square.svg"
wrk.headers["Accept"] = "image/svg+xml"
common.report()
