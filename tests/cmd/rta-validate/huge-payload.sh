# Big payloads: 1,000 members that each break the schema keep the first
# 32 violations and count the rest; a 600,000-byte string is measured in
# code points (300,000 is the maximum, 300,001 is over); uniqueItems over
# 100,000 items finishes.
cat >big.json <<'END'
{
  "type": "object",
  "additionalProperties": {"type": "integer"},
  "properties": {
    "s": {"type": "string", "maxLength": 300000},
    "ids": {"type": "array", "uniqueItems": true}
  }
}
END
E='"event_id":"x","timestamp":"2026-11-26T09:00:00Z","event_type":"t","tenant_id":"a","schema_version":1'
{
	printf '{%s,"payload":{' "$E"
	awk 'BEGIN { for (i = 1; i <= 1000; i++) printf "\"k%d\":\"v\",", i }'
	printf '"z":1}}\n'
	for n in 300000 300001; do
		printf '{%s,"payload":{"s":"' "$E"
		awk -v n=$n 'BEGIN { for (i = 0; i < n; i++) printf "\303\251" }'
		printf '"}}\n'
	done
	for last in 0 100000; do
		printf '{%s,"payload":{"ids":[' "$E"
		awk -v l=$last 'BEGIN { for (i = 1; i <= 100000; i++) printf "%d,", i; printf "%d", l }'
		printf ']}}\n'
	done
} >in.ndjson
rta-validate --schema big.json --max-line 2M --dead-letter dl in.ndjson >out 2>err
echo "exit $?, $(wc -l <out) valid"
jq -r '"line \(.line): \(.violations | length) violations; \(.error[0:90])"' dl
sed -n 1p dl | jq -r '.violations[0,31] | "\(.path) \(.reason)"'
