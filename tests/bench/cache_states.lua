-- wrk script: count the answers' X-Page-Cache states (hit, stale, miss, waited, none) over all
-- threads and print them as one line "cache-states hit=... stale=..." after wrk's report.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  states = {}
end

function response(status, headers, body)
  local state = headers["X-Page-Cache"] or headers["x-page-cache"] or "none"
  states[state] = (states[state] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local counted = thread:get("states")
    for state, n in pairs(counted) do
      total[state] = (total[state] or 0) + n
    end
  end
  local parts = {}
  for state, n in pairs(total) do
    table.insert(parts, state .. "=" .. n)
  end
  table.sort(parts)
  io.write("cache-states " .. table.concat(parts, " ") .. "\n")
end
