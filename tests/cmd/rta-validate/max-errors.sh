# --max-errors N stops after the Nth bad record (exit 1), having written
# the good ones before it; the counts still balance.
. "$DATA/balance.inc"
cp -R "$DATA/validate/schemas" schemas
for i in 1 2 3 4 5 6 7 8 9 10; do
	printf '{"event_id":"m%s","timestamp":"2026-11-26T09:00:00Z","event_type":"error","tenant_id":"acme","schema_version":1,"payload":{"code":%s,"message":"m"}}\n' $i $((i % 2 ? 200 : 500))
done >in.ndjson
rta-validate -s schemas --max-errors 3 --metrics m in.ndjson
echo "exit $?"
balanced m
grep '^rta_records_in_total' m
