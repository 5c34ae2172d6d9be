# With --schema, the members a payload schema names get its types on
# every day, so all days' files have the same columns: a number column
# stays double on a day of whole numbers, a member missing from a day is
# still a column (of nulls), an object is flattened; a value of another
# type makes the column JSON, and so do schemas that disagree.
. "$DATA/parquet.inc"
cat >pv.json <<'S'
{"type":"object","properties":{"value":{"type":"number"},
 "user":{"type":["string","null"]},"geo":{"type":"object",
 "properties":{"cc":{"type":"string"},"lat":{"type":"number"}}},
 "tags":{"type":"array"},"n":{"type":"integer"}}}
S
cat >other.json <<'S'
{"type":"object","properties":{"n":{"type":"string"},"qty":{"type":"integer"}}}
S
ev() {
	printf '{"event_id":"e%s","timestamp":"%sT10:00:00Z","event_type":"t","tenant_id":"acme","schema_version":1,"payload":%s}\n' "$@"
}
{
	ev 1 2026-11-20 '{"value":3,"user":"u1","geo":{"cc":"PL","lat":50.1},"tags":["a"],"n":1}'
	ev 2 2026-11-21 '{"value":4}'
	ev 3 2026-11-22 '{"value":"high"}'
} >in.ndjson
rta-store init -s st
rta-store ingest -s st -d ev in.ndjson
rta-store export -s st --cold cold --before 2026-11-23 --schema pv.json |
    sed -E 's/[0-9]+ bytes/N bytes/'
for d in 20 21 22; do
	f=cold/ev/tenant_id=acme/year=2026/month=11/day=$d/part-00000.parquet
	echo "-- 2026-11-$d: $(duck sql "SELECT string_agg(name || ' ' ||
	    duckdb_type, ', ') AS c FROM parquet_schema('$f')
	    WHERE name LIKE 'payload_%'" | jq -r .c)"
	duck kv "$f" | jq -r 'select(.key == "rta.json_columns") | .value'
done
echo "-- two schemas that disagree on n"
rta-store export -s st --cold cold2 --before 2026-11-21 --schema pv.json \
    --schema other.json >/dev/null
f=cold2/ev/tenant_id=acme/year=2026/month=11/day=20/part-00000.parquet
duck kv "$f" | jq -r 'select(.key == "rta.json_columns") | .value'
duck sql "SELECT payload_n, payload_qty FROM read_parquet('$f')"
echo "-- the records come back as they were"
find cold -name '*.parquet' | sort | xargs rta-cat -o ndjson | jq -cS .payload
echo "-- a schema that is not JSON"
echo '{"type":' >bad.json
rta-store export -s st --cold cold3 --schema bad.json
echo "exit $?"
rta-store export -s st --cold cold3 --schema nosuch.json
echo "exit $?"
