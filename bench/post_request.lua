-- wrk script: POST /open311/v2/requests.json as a 311 app would, form-encoded, with the
-- demo API key, a unique Idempotency-Key per request and a device_id (so both duplicate
-- checks run: the idempotency lookup and the same-device resend fingerprint).
-- Each wrk thread numbers its requests; the thread id and the start time keep keys and
-- bodies unique across threads and runs: a body sent again by the same device within a day
-- is answered with the first case and writes nothing, and the runs before 2026-12-07 (the
-- warm-up, then the measured run, both counting from 1) measured partly such resends.
-- Prints the same JSON line as stats.lua at the end.

local counter = 0
local thread_id = 0
local run = os.time()

function setup(thread)
  thread:set("thread_id", thread_id)
  thread_id = thread_id + 1
end

-- Services of the demo catalogue with their required questions answered.
local services = {
  {"pothole", "&attribute%5Bsize%5D=large"},
  {"streetlight-out", "&attribute%5Bpole_number%5D=MCT-L-0412"},
  {"bin-overflow", "&attribute%5Bbin_type%5D=wheelie_240"},
  {"illegal-dumping", "&attribute%5Bwaste_type%5D%5B%5D=construction&attribute%5Bwaste_type%5D%5B%5D=household"},
  {"damaged-pavement", ""},
}

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

request = function()
  counter = counter + 1
  -- Points spread over central Muscat (inside the municipality), different per request.
  local service = services[(counter % #services) + 1]
  local lat = 23.58 + (counter % 97) * 0.0004
  local lon = 58.38 + (counter % 89) * 0.0006
  local body = "api_key=b311_demo-muscat-app-key-for-local-testing-only"
    .. "&jurisdiction_id=muscat"
    .. "&service_code=" .. service[1] .. service[2]
    .. "&lat=" .. string.format("%.6f", lat)
    .. "&long=" .. string.format("%.6f", lon)
    .. "&description=" .. urlencode("حفرة في الطريق " .. run .. "-" .. thread_id .. "-" .. counter)
    .. "&device_id=bench-" .. thread_id .. "-" .. (counter % 50)
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Idempotency-Key"] = "bench-" .. run .. "-" .. thread_id .. "-" .. counter,
  }
  return wrk.format("POST", "/open311/v2/requests.json", headers, body)
end

local failures = 0
response = function(status, headers, body)
  if status ~= 200 and failures < 3 then
    failures = failures + 1
    io.stderr:write("POST answered " .. status .. ": " .. body:sub(1, 300) .. "\n")
  end
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.2f, "p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, ' ..
    '"non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
