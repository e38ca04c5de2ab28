-- wrk script for benchmarks/web.py: GETs random URLs from a file, counts response-cache hits and non-200s,
-- keeps the server's own time (Server-Timing), and writes wrk's latency percentiles as JSON.
--   wrk -t2 -c50 -d20s -s web_wrk.lua http://127.0.0.1:PORT -- urls.txt result.json SEED
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("number", #threads)
end

function init(args)
  urls = {}
  for line in io.lines(args[1]) do
    if #line > 0 then urls[#urls + 1] = line end
  end
  out = args[2]
  math.randomseed(tonumber(args[3] or "7") * 1000 + number)
  hits, misses, bad = 0, 0, 0
  app = {}
end

function request()
  return wrk.format("GET", urls[math.random(#urls)])
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
  local cache = headers["x-cache"]
  if cache == "hit" then hits = hits + 1 elseif cache == "miss" then misses = misses + 1 end
  local timing = headers["server-timing"]
  if timing then
    local dur = timing:match("dur=([%d%.]+)")
    if dur and #app < 200000 then app[#app + 1] = tonumber(dur) end
  end
end

local function pct(sorted, p)
  if #sorted == 0 then return nil end
  local i = math.floor(p / 100 * (#sorted - 1) + 0.5) + 1
  return sorted[i]
end

function done(summary, latency, requests)
  local h, m, b, all = 0, 0, 0, {}
  for _, t in ipairs(threads) do
    h = h + t:get("hits")
    m = m + t:get("misses")
    b = b + t:get("bad")
    for _, v in ipairs(t:get("app")) do all[#all + 1] = v end
  end
  table.sort(all)
  local e = summary.errors
  local function num(v) return v and string.format("%.3f", v) or "null" end
  local f = assert(io.open(threads[1]:get("out"), "w"))
  f:write(string.format(
    '{"requests": %d, "duration_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, ' ..
    '"timeout": %d, "non200": %d}, "hits": %d, "misses": %d, "latency_us": {"p50": %d, "p95": %d, "p99": %d, ' ..
    '"max": %d, "mean": %.1f}, "app_ms": {"p50": %s, "p95": %s}}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout, b, h, m,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean,
    num(pct(all, 50)), num(pct(all, 95))))
  f:close()
end
