-- put.lua — PutItem of ~300-byte items with keys never written before.
-- Args: RUN_ID (distinct per wrk run, so warm-up and each run write new keys).
-- Key p-<run>-<thread>-<counter>: fixed width within a run, so the head is formatted once.
local common = dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local frame, prefix, n

function init(args)
   prefix = string.format("p-%s-%03d-", args[1] or "run", thread_id or 0)
   n = 0
   local body = string.format('{"TableName":"%s","Item":%s}', common.table,
                              common.item_json(prefix .. string.format("%09d", 0), 0))
   frame = common.framer("PutItem", #body)
end

function request()
   n = n + 1
   local key = prefix .. string.format("%09d", n)
   return frame(string.format('{"TableName":"%s","Item":%s}', common.table,
                              common.item_json(key, n)))
end
