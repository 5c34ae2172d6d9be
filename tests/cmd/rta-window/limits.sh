# An event too far ahead of the watermark is rejected (dead letter,
# reason too-far-ahead) and does not move it; an event that would open
# more windows than --max-groups is rejected (too-many-groups).  Counts
# balance: in = out + rejected + dropped.
printf '%s\n' \
 '{"event_id":"a","timestamp":"2026-01-01T00:00:10Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"b","timestamp":"2026-01-02T00:00:00Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"c","timestamp":"2026-01-01T00:00:20Z","event_type":"v","tenant_id":"y"}' \
 '{"event_id":"d","timestamp":"2026-01-01T00:00:30Z","event_type":"v","tenant_id":"z"}' \
 '{"event_id":"e","timestamp":"2026-01-01T00:00:40Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"f","timestamp":"2026-01-01T00:00:50Z","event_type":"w","tenant_id":"x"' \
 >in.ndjson
rta-window --tumbling 1m --max-future 1h --max-groups 2 --dead-letter dl \
    --metrics m in.ndjson | grep -o '"group":{[^}]*},"results":{[^}]*}'
echo "exit $?"
grep -o '"reason":"[a-z-]*"' dl
grep -E '^rta_(records|window)_[a-z_]+' m | sed 's/{stage="rta-window"}//'
# Windows must lie in the years 1 to 9999: an event whose window would
# not is rejected, the others go on.
printf '%s\n' \
 '{"event_id":"a","timestamp":"9999-12-31T23:59:59Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"b","timestamp":"0001-01-01T00:00:00Z","event_type":"v","tenant_id":"x"}' \
 '{"event_id":"c","timestamp":"9999-12-31T22:00:00Z","event_type":"v","tenant_id":"x"}' \
 >edge.ndjson
rta-window --tumbling 1h edge.ndjson 2>&1 |
    grep -o 'edge.ndjson:[0-9]*: [a-z ]*\|"start":"[^"]*","tenant_id":"x","version":1,"end":"[^"]*"'
echo "-- 7d windows"
rta-window --tumbling 7d edge.ndjson 2>&1 | grep -c 'outside the years'
# integers past 2^53 keep their order in min and max
printf '%s\n' \
 '{"event_id":"a","timestamp":"2026-01-01T00:00:01Z","event_type":"v","tenant_id":"x","payload":{"n":9007199254740992}}' \
 '{"event_id":"b","timestamp":"2026-01-01T00:00:02Z","event_type":"v","tenant_id":"x","payload":{"n":9007199254740993}}' \
 >big.ndjson
rta-window --tumbling 1m --agg min:payload.n,max:payload.n big.ndjson |
    grep -o '"results":{[^}]*}'
# a sum past the double range: null in the results and in the state,
# and the record still reads back
printf '%s\n' \
 '{"event_id":"a","timestamp":"2026-01-01T00:00:01Z","event_type":"v","tenant_id":"x","payload":{"n":1e308}}' \
 '{"event_id":"b","timestamp":"2026-01-01T00:00:02Z","event_type":"v","tenant_id":"x","payload":{"n":1e308}}' \
 >huge.ndjson
rta-window --tumbling 1m --agg sum:payload.n,stddev:payload.n huge.ndjson >h.out
grep -o '"results":{[^}]*}\|"sum:payload.n":{[^}]*}' h.out
rta-cat h.out | grep -c aggregate
echo "-- a record too large for a frame goes to the dead-letter file"
awk 'BEGIN { s = "x"; while (length(s) < 900000) s = s s; s = substr(s, 1, 900000);
    printf "{\"event_id\":\"a\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"event_type\":\"v\",\"tenant_id\":\"t\",\"payload\":{\"a\":\"%s\",\"b\":\"%s\",\"c\":\"%s\",\"d\":\"%s\",\"e\":\"%s\"}}\n", s, s, s, s, s }' >big.ndjson
rta-window --max-line 8M --tumbling 1m -o rta --dead-letter big.dl \
    --agg first:payload.a,last:payload.a,first:payload.b,last:payload.b,first:payload.c,last:payload.c,first:payload.d,last:payload.d,first:payload.e,last:payload.e \
    big.ndjson >big.rta 2>err
echo "exit $?, aggregates out: $(rta-cat -o ndjson big.rta | grep -c aggregate)"
head -c 120 err; echo
grep -o '"reason":"[a-z-]*"\|"original":"{\\"$rta\\":\\"aggregate\\"\|"original_length":[0-9]*' big.dl
