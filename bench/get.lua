-- get.lua — GetItem of existing keys, chosen at random among the COUNT preloaded ones
-- (item-0000000 .. item-<COUNT-1>, written by helper.py preload). Args: RUN_ID COUNT.
-- All requests are formatted in init(), so request() is a table lookup.
local common = dofile(os.getenv("BENCH_DIR") .. "/common.lua")

local reqs, count

function init(args)
   count = tonumber(args[2]) or 10000
   local frame
   reqs = {}
   for i = 0, count - 1 do
      local body = string.format('{"TableName":"%s","Key":{"pk":{"S":"item-%07d"}}}',
                                 common.table, i)
      frame = frame or common.framer("GetItem", #body)
      reqs[i + 1] = frame(body)
   end
   math.randomseed(1000 + (thread_id or 0))
end

function request()
   return reqs[math.random(count)]
end
