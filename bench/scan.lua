-- scan.lua — Scan of the "benchs" table from its start: every request reads one full 1 MB page
-- (the table holds more than 1 MB; bench/query_scan_bench.py load-scan fills it).
local common = dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local req

function init(args)
   req = common.request("Scan", '{"TableName":"benchs"}')
end

function request()
   return req
end
