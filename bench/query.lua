-- query.lua — Query of one partition of the "benchq" table (hash pk S + range sk N), each
-- returning its 10 items. Args: RUN_ID PARTITIONS (partitions q-0000000 .. loaded by
-- bench/query_scan_bench.py load). All requests are formatted in init().
local common = dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local reqs, count

function init(args)
   count = tonumber(args[2]) or 1000
   reqs = {}
   local frame
   for i = 0, count - 1 do
      local body = string.format('{"TableName":"benchq","KeyConditionExpression":"pk = :p",'
                                 .. '"ExpressionAttributeValues":{":p":{"S":"q-%07d"}}}', i)
      frame = frame or common.framer("Query", #body)
      reqs[i + 1] = frame(body)
   end
   math.randomseed(2000 + (thread_id or 0))
end

function request()
   return reqs[math.random(count)]
end
