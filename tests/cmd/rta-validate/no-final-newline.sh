# A last line without a newline is read (valid: written with one; invalid:
# rejected with its line number).
cp -R "$DATA/validate/schemas" schemas
E='"event_id":"n1","timestamp":"2026-11-26T09:00:00Z","event_type":"error","tenant_id":"acme","schema_version":1'
printf '{%s,"payload":{"code":500,"message":"m"}}' "$E" >good.ndjson
printf '{%s,"payload":{"code":500,"message":"m"}}\n{%s,"payload":{"code":200}}' \
    "$E" "$E" >bad.ndjson
rta-validate -s schemas good.ndjson
echo "exit $?"
rta-validate -s schemas bad.ndjson
echo "exit $?"
