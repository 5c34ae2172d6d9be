# Rollups equal windows computed directly at each size: 1-minute
# windows rolled up to hours, and the hours to days (a chain of two
# definitions refreshed by --all), against rta-window --tumbling 1h and
# 1d over the same events.  Counts, integer sums, min, max, avg of
# integers and distinct counts (HyperLogLog registers merge exactly) are
# equal; a sum of decimals differs at most in its last digits (the
# order of additions); the 95th percentile is within the sketch's 1%.
A=count,sum:payload.latency_ms,sum:payload.value,min:payload.value
A=$A,max:payload.value,avg:payload.latency_ms,p95:payload.latency_ms
A=$A,distinct:payload.user_id
rta-gen -s 7 -t 2 --eps 1 -d 49h --start 2026-11-20T00:00:00Z -o rta >ev.rta
rta-window --tumbling 1m --by tenant_id --agg $A -o rta ev.rta >w1m.rta
for w in 1h 1d; do
	rta-window --tumbling $w --by tenant_id --agg $A -o ndjson ev.rta \
	    >want$w
done
rta-store init -s st
rta-store ingest -s st -d metrics_1m w1m.rta
rta-store rollup -s st --define --from-dataset metrics_1m \
    --to-dataset metrics_1h --bucket 1h
rta-store rollup -s st --define --from-dataset metrics_1h \
    --to-dataset metrics_1d --bucket 1d
echo "define: exit $?"
cat st/rollups.conf
rta-store rollup -s st --all
echo "refresh: exit $?"
# One line per window: tenant, start, end, group, then the results.
line='select(."$rta" == "aggregate") | [.tenant_id, .start, .end,
    (.group | tojson), .results.count, .results["sum:payload.latency_ms"],
    .results["min:payload.value"], .results["max:payload.value"],
    .results["avg:payload.latency_ms"],
    .results["distinct:payload.user_id"]] | map(tostring) | join(" ")'
num='select(."$rta" == "aggregate") | [.tenant_id, .start,
    .results["sum:payload.value"], .results["p95:payload.latency_ms"]] |
    map(tostring) | join(" ")'
for w in 1h 1d; do
	rta-store cat -s st -d metrics_$w -o ndjson >got$w
	jq -r "$line" got$w | sort >a
	jq -r "$line" want$w | sort >b
	echo "$w: $(wc -l <a) rolled up, $(wc -l <b) direct"
	cmp -s a b && echo "$w: count, sums, min, max, avg, distinct equal"
	jq -r "$num" got$w | sort >a
	jq -r "$num" want$w | sort >b
	paste -d ' ' a b | awk -v w=$w '
	    function off(x, y) { return (x > y ? x - y : y - x) / (y > 0 ? y : 1) }
	    $1 != $5 || $2 != $6 { k++ }
	    off($3, $7) > 1e-12 { s++ }
	    off($4, $8) > 0.01 { p++ }
	    END { printf "%s: %d unmatched, %d sums of decimals off, " \
	        "%d p95 beyond 1%%\n", w, k, s, p }'
done
jq -r '.version' got1h | sort -u
