-- wrk script: POST /v1/track, one Segment track event per request, a fresh email each time.
-- Usage: wrk ... -s bench/lua/track.lua http://127.0.0.1:PORT -- <run-tag>
local dir = debug.getinfo(1, "S").source:match("^@(.*)/[^/]*$") or "."
package.path = dir .. "/?.lua;" .. package.path
local common = require("common")

local headers = { ["Content-Type"] = "application/json" }

setup = common.setup
done = common.done
response = common.response

function init(args)
  common.init(args)
  -- keep wrk's -H headers (run.sh passes the write key as HTTP Basic there)
  for name, value in pairs(wrk.headers) do
    headers[name] = value
  end
end

function request()
  return wrk.format("POST", "/v1/track", headers, common.track(common.next_id()))
end
