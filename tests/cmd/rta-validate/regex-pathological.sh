# A pattern that backtracking engines take exponential time on, ^(a|a)*$,
# against long strings that match and that fail at the last character:
# it finishes (linear time) with the right verdicts.
cat >re.json <<'END'
{
  "type": "object",
  "properties": {
    "s": {"type": "string", "pattern": "^(a|a)*$"},
    "t": {"type": "string", "pattern": "^(a+)+$"}
  }
}
END
E='"event_id":"x","timestamp":"2026-11-26T09:00:00Z","event_type":"t","tenant_id":"a","schema_version":1'
for n in 30 5000 500000; do
	for k in s t; do
		a=$(head -c $n /dev/zero | tr '\0' a)
		printf '{%s,"payload":{"%s":"%s"}}\n{%s,"payload":{"%s":"%sb"}}\n' \
		    "$E" $k "$a" "$E" $k "$a"
	done
done >in.ndjson
rta-validate --schema re.json --dead-letter dl in.ndjson >out
echo "exit $?: $(wc -l <out) matched, $(wc -l <dl) did not"
jq -r '"line \(.line): \(.violations[0].path) \(.violations[0].reason)"' dl
