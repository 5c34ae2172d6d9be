# The nesting limit is 64 levels counting the record itself: a payload
# with 62 nested arrays is read (and round-trips through rta frames), 63
# is too deep.
E='"event_id":"x","timestamp":"2026-01-01T00:00:00Z","event_type":"t","tenant_id":"a"'
for n in 62 63; do
	{
		printf '{%s,"payload":{"d":' "$E"
		head -c $n /dev/zero | tr '\0' '['
		head -c $n /dev/zero | tr '\0' ']'
		printf '}}\n'
	} >in.ndjson
	rta-cat -o rta in.ndjson >out.rta
	s1=$?
	rta-cat -o ndjson out.rta >back
	echo "$n: exit $s1, $(wc -l <back) events back"
done
