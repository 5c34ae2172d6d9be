# Messages that echo long values (a 65- or 255-byte tenant_id, a 255-byte
# event_id, a 62-level instance path) still say the whole of what is
# wrong: the echoed value is cut, not the end of the message.
cp -R "$DATA/validate/schemas" schemas
cp "$DATA/validate/tree.json" tree.json
a60=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
a255=$a60$a60$a60$a60$(printf %s $a60 | cut -c1-15)
for t in "${a60}aaaaa" "$a255"; do
	for id in e "$a255"; do
		printf '{"event_id":"%s","timestamp":"2026-11-26T09:00:00Z","event_type":"error","tenant_id":"%s","schema_version":1,"payload":{"code":500,"message":"m"}}\n' "$id" "$t"
	done
done >tenants.ndjson
rta-validate -s schemas --dead-letter dl tenants.ndjson 2>err
echo "tenants: exit $?, $(wc -l <dl) rejected, $(wc -l <err) messages"
echo "$(grep -c 'not first \. or -)$' err) end with the rule"
echo "$(jq -r .error dl | grep -c 'not first \. or -)$') dead letters too"
{
	printf '{"event_id":"x","timestamp":"2026-11-26T09:00:00Z","event_type":"t","tenant_id":"a","schema_version":1,"payload":{"tree":'
	head -c 62 /dev/zero | tr '\0' '['
	printf 10
	head -c 62 /dev/zero | tr '\0' ']'
	printf '}}\n'
} >deep.ndjson
rta-validate --schema tree.json --dead-letter dl2 deep.ndjson 2>err
echo "deep: exit $?"
echo "$(grep -c 'is greater than the maximum 9$' err) message ends with the verdict"
echo "$(jq -r .error dl2 | grep -c 'is greater than the maximum 9$') dead letter too"
