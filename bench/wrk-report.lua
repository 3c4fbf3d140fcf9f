-- wrk script used by every bench/ load run.
--
-- It counts responses per wall-clock second (to show a throughput dip around a
-- fault or a reload), non-2xx responses and responses per worker (from the
-- "worker" field of the sample app's JSON), and prints one machine-readable
-- RESULT line plus one BUCKET line per second, which bench/lib.sh parses.
--
-- Pacing: wrk (unlike wrk2) has no rate limit. When WRK_DELAY_MS is set, every
-- connection waits that many milliseconds (on average: the fraction is dithered)
-- before each request, through wrk's delay() hook. With C connections the rate
-- is then about C * 1000 / (WRK_DELAY_MS + latency) requests per second, which
-- bench/reload-under-load.sh uses to run at roughly half the measured capacity.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local pace_ms = tonumber(os.getenv("WRK_DELAY_MS") or "") or 0

if pace_ms > 0 then
  function delay()
    local base = math.floor(pace_ms)
    if math.random() < pace_ms - base then
      return base + 1
    end
    return base
  end
end

function init(args)
  buckets = {}
  non2xx = 0
  statuses = {}
  workers = {}
end

function response(status, headers, body)
  local second = os.time()
  buckets[second] = (buckets[second] or 0) + 1
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
  -- Which worker served it: the sample app names it in every body
  local worker = body and string.match(body, '"worker":(%d+)')
  if worker then
    workers[worker] = (workers[worker] or 0) + 1
  end
end

function done(summary, latency, requests)
  local all, codes, served, non = {}, {}, {}, 0
  for _, thread in ipairs(threads) do
    for second, count in pairs(thread:get("buckets") or {}) do
      all[second] = (all[second] or 0) + count
    end
    for code, count in pairs(thread:get("statuses") or {}) do
      codes[code] = (codes[code] or 0) + count
    end
    for worker, count in pairs(thread:get("workers") or {}) do
      served[worker] = (served[worker] or 0) + count
    end
    non = non + (thread:get("non2xx") or 0)
  end
  local servedlist = {}
  for worker, count in pairs(served) do
    table.insert(servedlist, worker .. ":" .. count)
  end
  table.sort(servedlist)
  local codelist = {}
  for code, count in pairs(codes) do
    table.insert(codelist, code .. ":" .. count)
  end
  table.sort(codelist)
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d connect=%d read=%d write=%d timeout=%d non2xx=%d codes=%s workers=%s p50_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, non,
    (#codelist > 0) and table.concat(codelist, ",") or "-",
    (#servedlist > 0) and table.concat(servedlist, ",") or "-",
    latency:percentile(50), latency:percentile(99), latency.max))
  local seconds = {}
  for second in pairs(all) do
    table.insert(seconds, second)
  end
  table.sort(seconds)
  for _, second in ipairs(seconds) do
    io.write(string.format("BUCKET %d %d\n", second, all[second]))
  end
end
