# In text, the first ten bad records are reported, then one summary line.
cp -R "$DATA/validate/schemas" schemas
i=0
while [ $i -lt 25 ]; do
	i=$((i + 1))
	printf '{"event_id":"m%s","timestamp":"2026-11-26T09:00:00Z","event_type":"error","tenant_id":"acme","schema_version":1,"payload":{"code":200,"message":"m"}}\n' $i
done >in.ndjson
rta-validate -s schemas --dead-letter dl in.ndjson
echo "exit $?, $(wc -l <dl) dead letters"
