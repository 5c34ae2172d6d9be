# Nesting deeper than the reader's limit (64) is rejected as too-deep
# before validation, in bounded memory, 10,000 and 100,000 levels alike;
# nesting just inside the limit is validated through a recursive $ref,
# and a violation at the bottom has its full instance path.
. "$DATA/balance.inc"
. "$DATA/rss.inc"
cp "$DATA/validate/tree.json" tree.json
E='"event_id":"x","timestamp":"2026-11-26T09:00:00Z","event_type":"t","tenant_id":"a","schema_version":1'
for n in 10000 100000; do
	{
		printf '{%s,"payload":{"tree":' "$E"
		head -c $n /dev/zero | tr '\0' '['
		head -c $n /dev/zero | tr '\0' ']'
		printf '}}\n{%s,"payload":{"tree":1}}\n' "$E"
	} >deep.ndjson
	/usr/bin/time -o rss -f %M rta-validate --schema tree.json \
	    --dead-letter dl$n --metrics m deep.ndjson >out
	echo "$n: exit $?, $(wc -l <out) out"
	rss_below 32768 rss
	balanced m
	jq -r .reason dl$n
done
for leaf in 9 10; do
	printf '{%s,"payload":{"tree":' "$E"
	head -c 62 /dev/zero | tr '\0' '['
	printf %s $leaf
	head -c 62 /dev/zero | tr '\0' ']'
	printf '}}\n'
done >limit.ndjson
rta-validate --schema tree.json --dead-letter dl limit.ndjson >out 2>err
echo "62 levels: exit $?, $(wc -l <out) valid"
jq -r '.violations[] | "\(.path)\n\(.keyword) \(.schema) \(.message)"' dl
