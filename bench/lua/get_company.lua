-- GET /companies/{id} for random existing company ids (BENCH_IDS: every seeded company).
local common = dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
common.auth()
local ids = common.load_ids()
common.seed_threads()
common.report()

function request()
  return wrk.format("GET", "/companies/" .. ids[math.random(#ids)])
end
