-- GET /companies?pageSize=100&query=name~X : a search by part of the name, first page of 100.
local common = dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
common.auth()
local term = os.getenv("BENCH_QUERY")
assert(term and #term > 0, "BENCH_QUERY is not set")
wrk.method = "GET"
-- "~" is unreserved in URLs; the term is plain letters (checked by run.sh).
wrk.path = "/companies?pageSize=100&query=name~" .. term
common.report()
