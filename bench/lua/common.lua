-- Shared by the wrk scripts: unique emails per thread and request, realistic Segment messages
-- (analytics.js-like context), a check of every answer, and one machine-readable summary line
-- (BENCH_RESULT ...) that bench/run.sh parses.
--
-- wrk runs one Lua state per thread plus a main one: setup() runs in the main state once per
-- thread, then init() and request()/response() run in the thread's state, done() in the main state.

local M = {}

local threads = {}

function M.setup(thread)
  threads[#threads + 1] = thread
  thread:set("tid", #threads)
end

function M.init(args)
  -- args[1]: run tag, so repeated runs never reuse an email; args[2]: messages per batch request
  M.tag = args[1] or tostring(os.time())
  M.batch_size = tonumber(args[2] or "100")
  M.counter = 0
  M.now = os.date("!%Y-%m-%dT%H:%M:%S.000Z")
  M.tid = tid or 0
  -- read back by done() through thread:get
  ok_responses = 0
  bad_status = 0
  partly_rejected = 0
end

-- 200 with {"success":true} is an accepted request; a batch answer listing "rejected" messages
-- means some of its messages were refused (the sample bodies should never cause that).
function M.response(status, headers, body)
  if status ~= 200 then
    bad_status = bad_status + 1
  elseif body and string.find(body, '"rejected"', 1, true) then
    partly_rejected = partly_rejected + 1
  else
    ok_responses = ok_responses + 1
  end
end

local CONTEXT = '"context":{"library":{"name":"analytics.js","version":"4.1.0"},'
  .. '"ip":"203.0.113.17","locale":"en-US","timezone":"Europe/Berlin",'
  .. '"userAgent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",'
  .. '"page":{"path":"/checkout","url":"https://shop.example.com/checkout","referrer":"https://shop.example.com/cart"}}'

function M.next_id()
  M.counter = M.counter + 1
  return string.format("%s-t%d-%d", M.tag, M.tid, M.counter)
end

function M.track(id)
  return '{"type":"track","userId":"user-' .. id .. '","anonymousId":"anon-' .. id .. '",'
    .. '"messageId":"msg-' .. id .. '","timestamp":"' .. M.now .. '",'
    .. '"event":"Order Completed","properties":{"email":"bench-' .. id .. '@example.com",'
    .. '"order_id":"order-' .. id .. '","revenue":42.5,"currency":"USD","coupon":"SPRING",'
    .. '"products":[{"product_id":"sku-1","name":"Tea","price":12.5,"quantity":1},'
    .. '{"product_id":"sku-2","name":"Mug","price":30,"quantity":1}]},'
    .. CONTEXT .. ',"integrations":{"All":true}}'
end

function M.identify(id)
  return '{"type":"identify","userId":"user-' .. id .. '","anonymousId":"anon-' .. id .. '",'
    .. '"messageId":"msg-' .. id .. '","timestamp":"' .. M.now .. '",'
    .. '"traits":{"email":"bench-' .. id .. '@example.com","firstName":"Ada","lastName":"Lovelace",'
    .. '"phone":"+15555550100","plan":"pro","address":{"city":"Berlin","country":"DE"}},'
    .. CONTEXT .. ',"integrations":{"All":true}}'
end

-- Totals, answer checks and latency percentiles (microseconds), on one line.
function M.done(summary, latency, requests)
  local ok, bad, partly = 0, 0, 0
  for _, thread in ipairs(threads) do
    ok = ok + (thread:get("ok_responses") or 0)
    bad = bad + (thread:get("bad_status") or 0)
    partly = partly + (thread:get("partly_rejected") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d ok=%d bad_status=%d partly_rejected=%d "
      .. "connect_errors=%d read_errors=%d write_errors=%d timeouts=%d "
      .. "p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f\n",
    summary.requests, summary.duration, ok, bad, partly, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end

return M
