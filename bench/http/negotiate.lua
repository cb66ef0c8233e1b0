-- wrk script: one pre-generated SPNEGO token per request ("Authorization: Negotiate <base64>"),
-- on wrk's keep-alive connections.
--
--   wrk -tT -cC -dD -s negotiate.lua URL -- TOKENS T [cycle]
--
-- TOKENS: a file of base64 tokens, one a line (tokgen).  Thread k of T sends lines k, k+T, ...,
-- so no token goes out twice (T must be wrk's -t: each thread's Lua state is separate and
-- cannot count the others).  When a thread has sent all of its tokens it stops, and the run is
-- marked "exhausted" (rates are then over the time the threads actually ran, see done()).
-- "cycle": start over instead (only for a URL that ignores the header, e.g. /noauth, where the
-- token is there so both modes send the same bytes).
--
-- done() prints one line "NEGOTIATE-BENCH {json}": 200s, other statuses by code, 200s that
-- carried a "WWW-Authenticate: Negotiate <token>" (mutual), latency percentiles of all
-- responses, socket errors and the loaded interval.
local ffi = require("ffi")
ffi.cdef [[
struct bench_ts { long sec; long nsec; };
int clock_gettime(int clock, struct bench_ts *ts);
]]
local ts = ffi.new("struct bench_ts")
local function monotonic()
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.sec) + tonumber(ts.nsec) / 1e9
end

-- main state: setup() runs here for every thread, before that thread's init()
local all_threads = {}
function setup(thread)
  thread:set("thread_index", #all_threads)
  all_threads[#all_threads + 1] = thread
end

-- per-thread state (each wrk thread has its own Lua state; done() reads these with get())
local list = {}
local position = 0
local cycle = false
local parsed = false
sent_tokens, ok, other, mutual, ran_out = 0, 0, 0, 0, 0
by_code = {}
first_request, last_response = 0, 0

function init(args)
  local path = args[1]
  local stride = tonumber(args[2]) or 1
  cycle = args[3] == "cycle"
  local n = 0
  for line in io.lines(path) do
    if n % stride == thread_index and line ~= "" then list[#list + 1] = line end
    n = n + 1
  end
  -- wrk builds one request in thread 0 before the run only to parse it: do not spend a token
  parsed = thread_index ~= 0
end

local function with_token(i)
  return wrk.format("GET", wrk.path, { ["Authorization"] = "Negotiate " .. list[i] })
end

function request()
  if not parsed then
    parsed = true
    return with_token(1)
  end
  if first_request == 0 then first_request = monotonic() end
  position = position + 1
  if position > #list then
    if cycle then
      position = 1
    else
      ran_out = 1
      wrk.thread:stop()
      return wrk.format("GET", wrk.path) -- never read back: the thread is stopping
    end
  end
  sent_tokens = sent_tokens + 1
  return with_token(position)
end

function response(status, headers, body)
  last_response = monotonic()
  if status ~= 200 then
    other = other + 1
    by_code[status] = (by_code[status] or 0) + 1
    return
  end
  ok = ok + 1
  for name, value in pairs(headers) do
    if name:lower() == "www-authenticate" and value:lower():match("^negotiate%s+%S") then
      mutual = mutual + 1
      return
    end
  end
end

function done(summary, latency, requests)
  local total = { ok = 0, other = 0, mutual = 0, ran_out = 0, sent_tokens = 0 }
  local codes, start, finish = {}, nil, 0
  for _, t in ipairs(all_threads) do
    for k in pairs(total) do total[k] = total[k] + (t:get(k) or 0) end
    for code, n in pairs(t:get("by_code") or {}) do codes[code] = (codes[code] or 0) + n end
    local f, l = t:get("first_request") or 0, t:get("last_response") or 0
    if f > 0 and (start == nil or f < start) then start = f end
    if l > finish then finish = l end
  end
  -- wrk's own duration always spans -d; a thread out of tokens stopped earlier
  local wrk_seconds = summary.duration / 1e6
  local seconds = wrk_seconds
  if total.ran_out > 0 and start and finish > start then seconds = finish - start end
  local code_list = {}
  for code, n in pairs(codes) do code_list[#code_list + 1] = string.format('"%d": %d', code, n) end
  local e = summary.errors
  io.write("NEGOTIATE-BENCH ", string.format(
    '{"ok": %d, "non200": %d, "codes": {%s}, "mutual": %d, "responses": %d, "tokens_sent": %d, ' ..
    '"seconds": %.3f, "exhausted": %s, "p50_ms": %.3f, "p90_ms": %.3f, "p99_ms": %.3f, ' ..
    '"max_ms": %.3f, "sock_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "status": %d}}\n',
    total.ok, total.other, table.concat(code_list, ", "), total.mutual, summary.requests,
    total.sent_tokens, seconds, total.ran_out > 0 and "true" or "false",
    latency:percentile(50) / 1e3, latency:percentile(90) / 1e3, latency:percentile(99) / 1e3,
    latency.max / 1e3, e.connect, e.read, e.write, e.timeout, e.status))
end
