# A record read from NDJSON (with --max-line raised) that is too large for
# an rta frame (16 MiB) is rejected when writing rta frames: a dead letter,
# exit 1, and the stream goes on; NDJSON output takes it.
E='"event_id":"x","timestamp":"2026-01-01T00:00:00Z","event_type":"t","tenant_id":"a"'
{
	rta-gen -c 1 -s 1
	printf '{%s,"payload":{"s":"' "$E"
	head -c 17000000 /dev/zero | tr '\0' a
	printf '"}}\n'
	rta-gen -c 1 -s 2
} >in.ndjson
rta-cat --max-line 32M -o rta --dead-letter dl in.ndjson >out.rta
echo "-o rta: exit $?"
rta-cat -o ndjson out.rta >out
{ rta-gen -c 1 -s 1; rta-gen -c 1 -s 2; } | cmp - out && echo "the records around it"
echo "dead letter: $(wc -l <dl) line, reason $(sed 's/.*"reason":"\([^"]*\)".*/\1/' dl), line $(sed 's/.*"line":\([0-9]*\).*/\1/' dl)"
rta-cat --max-line 32M in.ndjson >out2
echo "-o ndjson: exit $?, $(wc -l <out2) records"
