# 1-minute windows stored by rta-store and rolled up by rta-query to 5
# minutes equal rta-window's own 5-minute windows over the same events:
# counts, extremes, the percentile, distinct and top values exactly (the
# sketches merge without loss here), sums and averages to the rounding of
# their order.  The stored windows have no avg: the query takes it from
# the sum state, and p99 and top2 from the p95 and top3 sketches.
# 1-minute windows cannot be cut into 30-second buckets, and sliding
# windows do not roll up.
rta-gen -s 5 -c 6000 --tenants 2 >in.ndjson
A=count,sum:payload.value,avg:payload.value,min:payload.latency_ms,max:payload.latency_ms,p95:payload.latency_ms,distinct:payload.user_id,top3:payload.country
rta-window --tumbling 1m --by tenant_id,event_type \
    --agg "$(echo "$A" | sed 's/avg:payload.value,//')" -o ndjson \
    in.ndjson >w1.ndjson
rta-window --tumbling 5m --by tenant_id,event_type --agg "$A" -o ndjson \
    in.ndjson >w5.ndjson
rta-store init -s st
rta-store ingest -s st -d minutely w1.ndjson
rta-query -s st -d minutely --from 2026-01-01 --to 2026-01-02 --bucket 5m \
    --group-by tenant_id,event_type --agg "$A" >q5.ndjson
echo "exit $?"
jq -c 'select(."$rta" == "aggregate") |
    [.start, .group.tenant_id, .group.event_type, .results]' w5.ndjson |
    sort >want
jq -c '[.start, .tenant_id, .event_type, del(.start, .end, .tenant_id,
    .event_type)]' q5.ndjson | sort >got
echo "windows: $(wc -l <want), rows: $(wc -l <got)"
jq -n -r --slurpfile w want --slurpfile g got '
    def close(a; b): (a == b) or (a != null and b != null and
        ((a - b) | fabs) <= 1e-9 * ([a, b] | map(fabs) | max));
    [range($w | length) | . as $i | $w[$i] as $a | $g[$i] as $b |
     select($a[0:3] != $b[0:3] or
        ($a[3] | del(."sum:payload.value", ."avg:payload.value")) !=
        ($b[3] | del(."sum:payload.value", ."avg:payload.value")) or
        (close($a[3]."sum:payload.value"; $b[3]."sum:payload.value") |
        not) or
        (close($a[3]."avg:payload.value"; $b[3]."avg:payload.value") |
        not))] | "differ: \(length)"'
echo "-- p99 and top2 from other sketches, against rta-window's own"
rta-query -s st -d minutely --from 2026-01-01 --to 2026-01-02 \
    --group-by event_type --agg p99:payload.latency_ms,top2:payload.country \
    --tenant t0000 -o csv
rta-window --tumbling 1d --by tenant_id,event_type \
    --agg p99:payload.latency_ms,top2:payload.country -o ndjson in.ndjson |
    jq -r 'select(."$rta" == "aggregate" and .tenant_id == "t0000") |
    [.group.event_type, .results."p99:payload.latency_ms",
    (.results."top2:payload.country" | tojson)] | @csv' | sort
echo "-- a state no record has"
rta-query -s st -d minutely --from 2026-01-01 --to 2026-01-02 \
    --agg stddev:payload.value
echo "exit $?"
echo "-- buckets shorter than the windows"
rta-query -s st -d minutely --from 2026-01-01 --to 2026-01-02 \
    --bucket 30s --agg count
echo "exit $?"
echo "-- sliding windows"
rta-window --sliding 2m --every 1m --agg count -o ndjson in.ndjson |
    rta-store ingest -s st -d sliding
rta-query -s st -d sliding --from 2026-01-01 --to 2026-01-02 --agg count
echo "exit $?"
