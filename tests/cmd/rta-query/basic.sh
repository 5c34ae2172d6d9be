# A raw-event dataset grouped by tenant and event type: count, sum, avg,
# min and max equal what jq computes from the same events, and distinct
# user counts are within HyperLogLog's error of the exact ones.  Buckets
# cut the range at multiples of their width.
rta-gen -s 11 -c 4000 --tenants 3 >in.ndjson
rta-store init -s st
rta-store ingest -s st -d ev in.ndjson
rta-query -s st -d ev --from 2026-01-01 --to 2026-01-02 \
    --group-by tenant_id,event_type \
    --agg count,sum:payload.items,avg:payload.latency_ms,min:payload.latency_ms,max:payload.latency_ms,distinct:payload.user_id >q.ndjson
echo "exit $?"
cat q.ndjson
jq -s -c 'group_by(.tenant_id, .event_type)[] |
    { t: .[0].tenant_id, e: .[0].event_type, count: length,
      items: ([.[].payload.items | numbers] | add // 0),
      lat: [.[].payload.latency_ms | numbers],
      users: ([.[].payload.user_id | strings] | unique | length) } |
    { t, e, count, items,
      avg: (if (.lat | length) > 0 then (.lat | add / length) else null end),
      min: (.lat | min), max: (.lat | max), users }' in.ndjson >want.ndjson
jq -c '{ t: .tenant_id, e: .event_type, count, items: ."sum:payload.items",
    avg: ."avg:payload.latency_ms", min: ."min:payload.latency_ms",
    max: ."max:payload.latency_ms", users: ."distinct:payload.user_id" }' \
    q.ndjson >got.ndjson
# exact but for the average's last bits and HLL's estimate (1% here)
jq -n -r --slurpfile w want.ndjson --slurpfile g got.ndjson '
    [range($w | length) | . as $i | $w[$i] as $a | $g[$i] as $b |
     select($a.t != $b.t or $a.e != $b.e or $a.count != $b.count or
        $a.items != $b.items or $a.min != $b.min or $a.max != $b.max or
        (($a.avg == null) != ($b.avg == null)) or
        ($a.avg != null and (($a.avg - $b.avg) | fabs) > 1e-9 * $a.avg) or
        ((($a.users - $b.users) | fabs) > 0.02 * $a.users + 1))] |
    "groups: \($w | length) expected, \($g | length) got, \(length) differ"'
echo "-- 10-minute buckets, one tenant"
rta-query -s st -d ev --from 2026-01-01 --to 2026-01-02 --bucket 10m \
    --tenant t0001 --agg count -o csv
jq -r 'select(.tenant_id == "t0001") | .timestamp[11:15]' in.ndjson |
    sort | uniq -c | awk '{ print $2 "0: " $1 }'
