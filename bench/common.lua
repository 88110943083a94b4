-- common.lua — shared by the bench/*.lua wrk scripts (loaded with dofile from $BENCH_DIR).
-- Frames DynamoDB JSON requests with the headers every server here accepts, numbers wrk's
-- threads, and prints one result line that bench/run.sh parses. Workload scripts define
-- init(args) and request(); they do not define response(), so wrk skips body parsing.
-- The Authorization header is SigV4-shaped but unsigned: DynamoDB Local needs one (else
-- MissingAuthenticationToken) and uses its access key id and region to pick the database.

local common = {}

common.headers = {
   ["Content-Type"]  = "application/x-amz-json-1.0",
   ["Authorization"] = "AWS4-HMAC-SHA256 Credential=bench/20260101/us-east-1/dynamodb/aws4_request, "
                       .. "SignedHeaders=host;x-amz-date, Signature=0000",
   ["X-Amz-Date"]    = "20260101T000000Z",
}

common.table = "bench"
common.payload = string.rep("x", 250)   -- with the key and other attributes, ~300-byte items

-- Returns the HTTP request for operation op (e.g. "PutItem") and JSON body.
function common.request(op, body)
   local h = {}
   for k, v in pairs(common.headers) do h[k] = v end
   h["X-Amz-Target"] = "DynamoDB_20120810." .. op
   return wrk.format("POST", "/", h, body)
end

-- Returns a function(body) giving the request for op, for bodies of one fixed length: the
-- header block is formatted once and only the body is appended (cheap enough not to limit
-- the load generator on the ceiling probe).
function common.framer(op, body_len)
   local sample = string.rep(" ", body_len)
   local head = common.request(op, sample)
   head = string.sub(head, 1, #head - body_len)
   return function(body)
      assert(#body == body_len, "body length changed")
      return head .. body
   end
end

-- The JSON of a benchmark item with key `key` and number attribute n (0 <= n < 9e9; written
-- as 1e9 + n so that its length is fixed).
function common.item_json(key, n)
   return string.format('{"pk":{"S":"%s"},"payload":{"S":"%s"},"n":{"N":"%d"},"flag":{"BOOL":true}}',
                        key, common.payload, 1000000000 + n)
end

-- setup() runs in wrk's main Lua state once per thread: give each thread a distinct id.
local next_id = 0
function setup(thread)
   next_id = next_id + 1
   thread:set("thread_id", next_id)
end

-- One line for run.sh: requests, duration (µs), p50 and p99 latency (µs), HTTP errors
-- (status > 399, wrk's count) and socket errors (connect + read + write + timeout).
function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format("BENCH_RESULT %d %d %d %d %d %d\n",
                          summary.requests, summary.duration,
                          latency:percentile(50), latency:percentile(99),
                          e.status, e.connect + e.read + e.write + e.timeout))
end

return common
