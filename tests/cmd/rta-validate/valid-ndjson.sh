# Valid events of every type and version in the directory pass unchanged:
# the output is the input byte for byte (rta-gen writes the canonical form
# rta-cat writes), and it is what rta-cat copies.
cp -R "$DATA/validate/schemas" schemas
rta-gen -c 5000 -s 7 -t 20 >in.ndjson
cat >v2.ndjson <<'END'
{"event_id":"v2-1","timestamp":"2026-01-01T00:00:00.000000Z","event_type":"page_view","tenant_id":"t1","schema_version":2,"payload":{"url":"/","user_id":"u000001","referrer":"search","consent":{"ads":true}}}
{"event_id":"v2-2","timestamp":"2026-01-01T00:00:01.000000Z","event_type":"page_view","tenant_id":"t1","schema_version":2,"payload":{"url":"/a","user_id":"u000002"}}
END
cat v2.ndjson >>in.ndjson
rta-validate -s schemas in.ndjson >out
echo "exit $?"
cmp in.ndjson out && echo "output = input"
rta-cat in.ndjson | cmp - out && echo "output = rta-cat's copy"
echo "$(wc -l <out) events; types: $(sed 's/.*"event_type":"\([^"]*\)".*/\1/' out | sort -u | tr '\n' ' ')"
