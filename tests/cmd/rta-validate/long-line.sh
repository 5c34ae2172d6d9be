# A 10 MiB line is over the default --max-line (1M): rejected as
# too-long without being held (max RSS below the limit + 16 MiB), the
# lines around it read.  With --max-line 16M the same line is validated
# and passes unchanged.
. "$DATA/balance.inc"
. "$DATA/rss.inc"
cp -R "$DATA/validate/schemas" schemas
rta-gen -c 2 -s 3 -t 1 --types error=1 >ev.ndjson
{
	head -1 ev.ndjson
	printf '{"event_id":"big","timestamp":"2026-11-26T09:00:00Z","event_type":"error","tenant_id":"acme","schema_version":1,"payload":{"code":500,"message":"'
	head -c 10485760 /dev/zero | tr '\0' m
	printf '"}}\n'
	tail -1 ev.ndjson
} >in.ndjson
/usr/bin/time -o rss -f %M rta-validate -s schemas --dead-letter dl \
    --metrics m in.ndjson >out
echo "default: exit $?"
cmp ev.ndjson out && echo "the lines around it read"
rss_below 17408 rss
balanced m
echo "dead letter: $(wc -l <dl) line, reason $(jq -r .reason dl), $(jq -r .original dl | tr -d '\n' | wc -c) bytes of original"
rta-validate -s schemas --max-line 16M in.ndjson >out
echo "16M: exit $?"
rta-cat --max-line 16M in.ndjson | cmp - out && echo "all three passed unchanged"
