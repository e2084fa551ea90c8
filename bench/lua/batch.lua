-- wrk script: POST /v1/batch with {"batch":[N messages]} (default N=100): for each person an
-- identify followed by a track, so half identify, half track, each person a fresh email.
-- Usage: wrk ... -s bench/lua/batch.lua http://127.0.0.1:PORT -- <run-tag> [events-per-batch]
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
  local parts = {}
  local n = common.batch_size
  local i = 0
  while i < n do
    local id = common.next_id()
    parts[#parts + 1] = common.identify(id)
    i = i + 1
    if i < n then
      parts[#parts + 1] = common.track(id)
      i = i + 1
    end
  end
  local body = '{"batch":[' .. table.concat(parts, ",") .. '],"sentAt":"' .. common.now .. '"}'
  return wrk.format("POST", "/v1/batch", headers, body)
end
