# The sketch aggregates against exact answers worked out here from the
# same events: the 95th percentile within 1% of the value at rank
# floor(0.95 (n - 1)), the distinct count within three standard errors
# (0.81% each), and top3 counts that bound
# the true ones (count - error <= true <= count).
rta-gen -c 6000 --eps 20 --users 300 -o ndjson >in.ndjson
rta-window --tumbling 1m --by event_type \
    --agg p95:payload.latency_ms,distinct:payload.user_id,top3:payload.url \
    in.ndjson | grep '"\$rta":"aggregate"' >out
echo "exit $? windows $(wc -l <out)"
# exact answers per window start and type
awk '{ ts = $0; sub(/.*"timestamp":"/, "", ts);
    start = substr(ts, 1, 16);
    y = $0; sub(/.*"event_type":"/, "", y); sub(/".*/, "", y);
    print start, y, $0 }' in.ndjson >keyed
ok=0; bad=0
while read -r line; do
	start=$(printf '%s' "$line" | sed 's/.*"start":"\([^"]*\)".*/\1/' | cut -c1-16)
	type=$(printf '%s' "$line" | sed 's/.*"group":{"event_type":"\([^"]*\)".*/\1/')
	res=$(printf '%s' "$line" | sed 's/.*"results":{\(.*\)},"states".*/\1/')
	p95=$(printf '%s' "$res" | sed 's/.*"p95:payload.latency_ms":\([^,}]*\).*/\1/')
	dist=$(printf '%s' "$res" | sed 's/.*"distinct:payload.user_id":\([0-9]*\).*/\1/')
	grep "^$start $type " keyed | cut -d' ' -f3- >ev
	if [ "$p95" = null ]; then
		grep -c '"latency_ms"' ev >/dev/null && bad=$((bad + 1))
	else
		want=$(grep -o '"latency_ms":[0-9.]*' ev | cut -d: -f2 | sort -g |
		    awk '{ v[NR - 1] = $1 } END { print v[int(0.95 * (NR - 1))] }')
		awk -v a="$p95" -v b="$want" 'BEGIN { d = a - b; if (d < 0) d = -d;
		    exit !(d <= 0.01 * b + 1e-9) }' && ok=$((ok + 1)) || {
			bad=$((bad + 1)); echo "p95 $start $type: $p95 vs $want"; }
	fi
	dwant=$(grep -o '"user_id":"[^"]*"' ev | sort -u | wc -l)
	awk -v a="$dist" -v b="$dwant" 'BEGIN { d = a - b; if (d < 0) d = -d;
	    exit !(d <= 3 * 0.0081 * b) }' && ok=$((ok + 1)) || {
		bad=$((bad + 1)); echo "distinct $start $type: $dist vs $dwant"; }
	# top3: each reported value's true count within its bounds
	printf '%s' "$res" | grep -o '{"value":"[^"]*","count":[0-9]*,"error":[0-9]*}' |
	while read -r e; do
		v=$(printf '%s' "$e" | sed 's/{"value":"\([^"]*\)".*/\1/')
		c=$(printf '%s' "$e" | sed 's/.*"count":\([0-9]*\).*/\1/')
		er=$(printf '%s' "$e" | sed 's/.*"error":\([0-9]*\).*/\1/')
		t=$(grep -c "\"url\":\"$v\"" ev)
		[ "$t" -le "$c" ] && [ "$t" -ge $((c - er)) ] ||
		    echo "top3 $start $type $v: $t not in [$((c - er)), $c]"
	done
done <out
echo "checks passed $ok, failed $bad"
