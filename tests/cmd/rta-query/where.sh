# --where keeps the records its expression holds for, on envelope and
# payload fields: the counts equal what jq selects from the same events.
# On aggregate records the fields are the record's (payload.group.*).
# A bad expression is a usage error naming the column.
rta-gen -s 13 -c 4000 --tenants 3 >in.ndjson
rta-store init -s st
rta-store ingest -s st -d ev in.ndjson
R='--from 2026-01-01 --to 2026-01-02'
q() {
	# $1 the --where expression, $2 the jq condition
	# shellcheck disable=SC2086
	got=$(rta-query -s st -d ev $R --where "$1" --agg count |
	    jq '.count')
	want=$(jq -c "select($2)" in.ndjson | wc -l)
	echo "$1: $got ($([ "$got" = "$want" ] && echo "= jq" ||
	    echo "jq: $want"))"
}
q "event_type = 'purchase'" '.event_type == "purchase"'
q "event_type != 'purchase'" '.event_type != "purchase"'
q "payload.value > 100 and payload.country in ('PL', 'DE')" \
    '(.payload.value | numbers) > 100 and (.payload.country == "PL" or .payload.country == "DE")'
# a missing value is not > 100, so not (…) holds for it
q "not payload.value > 100" '[.payload.value | numbers | select(. > 100)] | length == 0'
q "payload.url ^= '/products/'" '(.payload.url // "") | startswith("/products/")'
q "payload.url ~ '^/(cart|checkout)\$'" '(.payload.url // "") | test("^/(cart|checkout)$")'
q "payload.order_id exists or tenant_id = 't0000'" \
    '(.payload | has("order_id")) or .tenant_id == "t0000"'
q "timestamp >= '2026-01-01T00:05:00Z' and timestamp < '2026-01-01T00:06:00Z'" \
    '.timestamp >= "2026-01-01T00:05:00" and .timestamp < "2026-01-01T00:06:00"'
q "payload.latency_ms = null" '.payload.latency_ms == null'
echo "-- aggregate records"
rta-window --tumbling 1m --by tenant_id,event_type --agg count -o ndjson \
    in.ndjson | rta-store ingest -s st -d m1
# shellcheck disable=SC2086
rta-query -s st -d m1 $R --where "payload.group.event_type = 'error'" \
    --group-by tenant_id --agg count
jq -r 'select(.event_type == "error") | .tenant_id' in.ndjson | sort |
    uniq -c | awk '{ print $2 ": " $1 }'
echo "-- errors"
rta-query -s st -d ev $R --where "payload.x = " 2>&1 | head -1
rta-query -s st -d ev $R --where "timestamp > 'yesterday'" 2>&1 | head -1
rta-query -s st -d ev $R --where "payload.x ~ '('" 2>&1 | head -1
