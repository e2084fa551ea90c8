-- Shared helpers for the wrk scripts: unique-ish emails per thread and request, realistic Segment
-- messages (analytics.js-like context), and a machine-readable summary line for bench/run.sh.
-- wrk runs one Lua state per thread; setup() runs in the main state and hands each thread an id.

local M = {}

local thread_count = 0
function M.setup(thread)
  thread_count = thread_count + 1
  thread:set("tid", thread_count)
end

function M.init(args)
  -- args[1]: a run tag so repeated runs do not reuse emails; args[2]: events per batch
  M.tag = args[1] or tostring(os.time())
  M.batch_size = tonumber(args[2] or "100")
  M.counter = 0
  M.now = os.date("!%Y-%m-%dT%H:%M:%S.000Z")
  M.tid = tid or 0
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

-- One line bench/run.sh parses: totals and latency percentiles in microseconds.
function M.done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d bytes=%d connect_errors=%d read_errors=%d "
      .. "write_errors=%d status_errors=%d timeouts=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f\n",
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end

return M
