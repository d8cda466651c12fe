-- wrk -s healthz.lua: the baseline — a bare gateway round trip with no pipeline or database.
dofile((os.getenv("BENCH_DIR") or "bench") .. "/report.lua")

done = function(summary, latency, _) report(summary, latency) end
