-- wrk -s get_client.lua: GET a random client of $BENCH_FIXTURES/ids.txt with the token in
-- $BENCH_FIXTURES/token.txt (written by bench/rest_bench).
local dir = os.getenv("BENCH_FIXTURES") or "."
local reqs = {}

init = function()
  math.randomseed(os.time())
  local token = io.lines(dir .. "/token.txt")()
  for id in io.lines(dir .. "/ids.txt") do
    reqs[#reqs + 1] = wrk.format("GET", "/v1/clients/" .. id, { Authorization = "Bearer " .. token })
  end
end

request = function()
  return reqs[math.random(#reqs)]
end

done = function(summary, latency, _)
  local e = summary.errors
  io.write(string.format("RESULT req/s=%.0f p50_ms=%.2f p99_ms=%.2f requests=%d non2xx=%d errors=%d\n",
    summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, summary.requests, e.status,
    e.connect + e.read + e.write + e.timeout))
end
