# Column types come from the data of each file (a tenant's day): ints, doubles (ints and
# fractions mixed), strings, booleans, nested objects flattened with "_"
# (a clashing name gets "_2"), and JSON columns, with the reason in the
# metadata, for arrays, mixed types, nesting past the limit, and a member
# that is null in some records but missing in others.  An object that
# is always there, even empty, is recorded as such in the metadata.
. "$DATA/parquet.inc"
ev() {
	printf '{"event_id":"e%s","timestamp":"2026-11-20T10:00:0%sZ","event_type":"t","tenant_id":"%s","schema_version":1%s,"payload":%s}\n' "$@"
}
{
	ev 1 1 acme ',"source":"web"' '{"n":1,"f":1.5,"s":"x","b":true,"obj":{"k":1,"deep":{"a":{"b":{"c":1}}}},"arr":[1,2],"mixed":1,"nul":null,"maybe":1,"big":9007199254740993,"e":{}}'
	ev 2 2 acme '' '{"n":2,"f":2,"s":"y","b":false,"obj":{"k":2},"arr":[],"mixed":"one","nul":null,"big":1,"e":{}}'
	ev 3 3 'b.c-d_e' '' '{"n":3,"f":3.25,"s":"z","b":true,"mixed":true,"nul":null,"maybe":null,"big":2,"e":{},"a_b":1,"a":{"b":2}}'
	ev 4 4 'b.c-d_e' '' '{"n":4,"f":-0.5,"s":"\u00e9","b":false,"nul":null,"big":3,"e":{}}'
} >in.ndjson
rta-store init -s st
rta-store ingest -s st -d ev in.ndjson
rta-store export -s st --cold cold --before 2026-11-21 | sed -E 's/[0-9]+ bytes/N bytes/'
echo "export: exit $?"
(cd cold && find . -name '*.parquet' | sort)
for f in $(find cold -name '*.parquet' | sort); do
	echo "-- ${f#cold/}"
	duck sql "SELECT string_agg(name || ' ' || duckdb_type ||
	    CASE WHEN repetition_type = 'REQUIRED' THEN ' required' ELSE ''
	    END, ', ') AS columns FROM parquet_schema('$f')
	    WHERE name <> 'schema'" | jq -r .columns | fold -s -w 72 | sed "s/ *$//"
	echo "JSON columns and why:"
	duck kv "$f" | jq -r 'select(.key == "rta.json_columns") | .value' |
	    jq -c '.[]'
	echo "objects:"
	duck kv "$f" | jq -r 'select(.key == "rta.objects") | .value' |
	    jq -c '.[]'
done
echo "-- rows, with the tenant from the path (files differ: union_by_name)"
duck sql "SELECT * EXCLUDE (timestamp, year, month, day) FROM read_parquet(
    'cold/ev/*/*/*/*/*.parquet', hive_partitioning = true,
    union_by_name = true) ORDER BY event_id"
