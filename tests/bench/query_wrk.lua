-- query_wrk.lua: the query section's uncached HTTP case, for wrk.
--
--	wrk -s query_wrk.lua URL -- TENANTS DAYS THREADS
--
-- Request i (counting the requests of all threads) asks rta-query
-- --http the question tests/bench/query_lat.c asks in its run i: tenant
-- i mod TENANTS ("t0000" on), the 24 hours from 12:00 of day i mod DAYS
-- (2026-01-01 on) to 12:00 the day after, in 5-minute buckets, count
-- and sum:payload.value of dataset m.  Each request also carries
-- limit=1000000+i: above the 288 rows an answer has, so the answer is
-- the same, but part of the near-cache's key, so that no answer can come
-- from the cache even where the tenant and day come round again.

local START = 1767225600	-- 2026-01-01T00:00:00Z, store_fill.c's
local n = 0

function setup(thread)
	thread:set("id", n)
	n = n + 1
end

function init(args)
	tenants = tonumber(args[1])
	days = tonumber(args[2])
	stride = tonumber(args[3])
	i = id
end

function request()
	local from = START + (i % days) * 86400 + 43200
	local path = string.format("/v1/query?dataset=m&tenant=t%04d" ..
	    "&from=%s&to=%s&bucket=5m&agg=count,sum:payload.value" ..
	    "&limit=%d", i % tenants, os.date("!%Y-%m-%dT%H:%M:%SZ", from),
	    os.date("!%Y-%m-%dT%H:%M:%SZ", from + 86400), 1000000 + i)
	i = i + stride
	return wrk.format(nil, path)
end
