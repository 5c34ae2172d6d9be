# With --format json or github, the stage's own notices (an operand that
# cannot be opened, stopping at --max-errors) come in that format too, so
# that a tool reading the messages sees nothing else.
cp -R "$DATA/validate/schemas" schemas
for i in 1 2 3 4; do
	printf '{"event_id":"m%s","timestamp":"2026-11-26T09:00:00Z","event_type":"error","tenant_id":"acme","schema_version":1,"payload":{"code":200,"message":"m"}}\n' $i
done >in.ndjson
for f in json github; do
	echo "# $f"
	rta-validate -s schemas --format $f --max-errors 2 nosuch.ndjson \
	    in.ndjson 2>&1 >/dev/null
	echo "exit $?"
done
echo "# every json line parses"
rta-validate -s schemas --format json --max-errors 2 nosuch.ndjson \
    in.ndjson 2>&1 >/dev/null | jq -c '[.stage, .level // "record",
    .reason]'
