# The envelope's tenant_id must be 1 to 64 of A-Z a-z 0-9 _ . - and not
# start with . or -: others are rejected with reason bad-tenant.
cp -R "$DATA/validate/schemas" schemas
t64=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
for t in acme "ac me" $t64 ${t64}b .acme -acme A.b_c-9 a/b 'caf\u00e9' _x .. \
    'a\u0000b'; do
	printf '{"event_id":"e","timestamp":"2026-11-26T09:00:00Z","event_type":"error","tenant_id":"%s","schema_version":1,"payload":{"code":500,"message":"m"}}\n' "$t"
done >in.ndjson
rta-validate -s schemas --dead-letter dl in.ndjson >out 2>err
echo "exit $?"
sed 's/.*"tenant_id":"\([^"]*\)".*/passed: \1/' out
jq -r '"rejected: line \(.line): \(.reason)"' dl
grep -v ":4: " err
