-- batch.lua — BatchWriteItem of 25 ~300-byte items per request (one table), keys never written
-- before. Args: RUN_ID (distinct per wrk run, so warm-up and each run write new keys).
-- Key b-<run>-<thread>-<counter>: fixed width within a run, so the request length never changes
-- and the header block is formatted once (common.framer).
local common = dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local PER_REQUEST = 25   -- BatchWriteItem's limit
local frame, prefix, n

local function body()
   local parts = {}
   for i = 1, PER_REQUEST do
      n = n + 1
      parts[i] = string.format('{"PutRequest":{"Item":%s}}',
                               common.item_json(prefix .. string.format("%09d", n), n))
   end
   return string.format('{"RequestItems":{"%s":[%s]}}', common.table, table.concat(parts, ","))
end

function init(args)
   prefix = string.format("b-%s-%03d-", args[1] or "run", thread_id or 0)
   n = 0
   frame = common.framer("BatchWriteItem", #body())
   n = 0
end

function request()
   return frame(body())
end
