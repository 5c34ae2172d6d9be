# An object may have 1,024 members; 1,025 or 1,000,000 are rejected as
# too-many-members (with the line limit raised so the line is read), in
# bounded memory; an array of 1,000,000 items is read.
. "$DATA/rss.inc"
E='"event_id":"x","timestamp":"2026-01-01T00:00:00Z","event_type":"t","tenant_id":"a"'
for n in 1024 1025 1000000; do
	awk -v n=$n -v e="$E" 'BEGIN { printf "{%s,\"payload\":{", e
	    for (i = 0; i < n; i++) printf "%s\"k%d\":%d", (i ? "," : ""), i, i
	    print "}}" }' >in.ndjson
	/usr/bin/time -o rss -f %M rta-cat --max-line 64M in.ndjson >out
	echo "$n keys: exit $?, $(wc -l <out) out"
	rss_below 65536 rss
done
awk -v e="$E" 'BEGIN { printf "{%s,\"payload\":{\"a\":[", e
    for (i = 0; i < 1000000; i++) printf "%s%d", (i ? "," : ""), i
    print "]}}" }' >in.ndjson
/usr/bin/time -o rss -f %M rta-cat --max-line 64M -o rta in.ndjson >out.rta
echo "1000000 items: exit $?"
rss_below 65536 rss
rta-cat -o ndjson out.rta | rta-cat --max-line 64M -o rta | cmp - out.rta && echo "round trip"
