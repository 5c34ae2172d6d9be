# 10,000 and 100,000 levels of nesting (arrays and objects, in the payload
# and in an extra top-level field) are rejected as too deep, with no crash,
# in bounded memory.
. "$DATA/balance.inc"
. "$DATA/rss.inc"
E='"event_id":"x","timestamp":"2026-01-01T00:00:00Z","event_type":"t","tenant_id":"a"'
for n in 10000 100000; do
	{
		printf '{%s,"payload":{"d":' "$E"
		head -c $n /dev/zero | tr '\0' '['
		head -c $n /dev/zero | tr '\0' ']'
		printf '}}\n{%s,"payload":' "$E"
		awk -v n=$n 'BEGIN { for (i = 0; i < n; i++) printf "{\"a\":"
		    printf "1"; for (i = 0; i < n; i++) printf "}" }'
		printf '}\n{%s,"x":' "$E"
		head -c $n /dev/zero | tr '\0' '['
		head -c $n /dev/zero | tr '\0' ']'
		printf '}\n{%s}\n' "$E"
	} >deep.ndjson
	/usr/bin/time -o rss -f %M rta-cat --dead-letter dl$n --metrics m deep.ndjson >out
	echo "$n: exit $?, $(wc -l <out) out"
	rss_below 32768 rss
	balanced m
	sed 's/.*"reason":"\([^"]*\)".*/\1/' dl$n
done
