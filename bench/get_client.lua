-- wrk -s get_client.lua: GET a random client of $BENCH_FIXTURES/ids.txt with the token in
-- $BENCH_FIXTURES/token.txt (written by bench/rest_bench). $BENCH_SUFFIX (e.g. "/intake") reads
-- a resource of the client instead of the client itself; $BENCH_IDS names another list of paths
-- below /v1/clients/ (e.g. note-paths.txt: "<client id>/notes/<note id>").
local dir = os.getenv("BENCH_FIXTURES") or "."
dofile((os.getenv("BENCH_DIR") or "bench") .. "/report.lua")
local suffix = os.getenv("BENCH_SUFFIX") or ""
local reqs = {}

init = function()
  math.randomseed(os.time())
  local token = io.lines(dir .. "/token.txt")()
  for id in io.lines(dir .. "/" .. (os.getenv("BENCH_IDS") or "ids.txt")) do
    reqs[#reqs + 1] = wrk.format("GET", "/v1/clients/" .. id .. suffix, { Authorization = "Bearer " .. token })
  end
end

request = function()
  return reqs[math.random(#reqs)]
end

done = function(summary, latency, _) report(summary, latency) end
