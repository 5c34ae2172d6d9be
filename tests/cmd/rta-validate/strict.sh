# --strict stops at the first bad record, exit 1.
. "$DATA/balance.inc"
cp -R "$DATA/validate/schemas" schemas
for i in 1 2 3 4; do
	printf '{"event_id":"s%s","timestamp":"2026-11-26T09:00:00Z","event_type":"error","tenant_id":"acme","schema_version":1,"payload":{"code":%s,"message":"m"}}\n' $i $((i == 2 ? 200 : 500))
done >in.ndjson
rta-validate -s schemas --strict --metrics m in.ndjson
echo "exit $?"
balanced m
