-- GET /companies/{id}/connections for random companies that have 1-2 connections (BENCH_IDS: those companies).
local common = dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
common.auth()
local ids = common.load_ids()
common.seed_threads()
common.report()

function request()
  return wrk.format("GET", "/companies/" .. ids[math.random(#ids)] .. "/connections")
end
