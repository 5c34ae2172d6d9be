# rta-cat reads the cold store's Parquet files back into the stream:
# every record exactly as stored (numbers by value: jq -S normalises both
# sides), raw events and aggregate records alike, the awkward members of
# export-types too (JSON columns, nulls and missing members, empty
# objects, deep nesting, extra envelope members).  A DuckDB-written file
# reads by column name, with the tenant from its Hive directory.
. "$DATA/parquet.inc"
norm() { jq -cS . | sort; }
rta-store init -s st
rta-gen -s 5 -c 5000 --tenants 3 --eps 0.05 >ev.ndjson
rta-store ingest -s st -d events ev.ndjson
rta-window --tumbling 1h --by tenant_id,event_type \
    --agg count,sum:payload.value,min:payload.value,avg:payload.latency_ms,p95:payload.latency_ms,distinct:payload.user_id,top3:payload.url,first:payload.url \
    ev.ndjson 2>/dev/null | rta-store ingest -s st -d m1h
ev() {
	printf '{"event_id":"e%s","timestamp":"2026-11-20T10:00:0%sZ","event_type":"t","tenant_id":"%s","schema_version":1%s,"payload":%s}\n' "$@"
}
{
	ev 1 1 acme ',"source":"web","n":{"a":[1]}' '{"n":1,"f":1.5,"s":"x\"y\\z","b":true,"obj":{"k":1,"deep":{"a":{"b":{"c":1}}}},"arr":[1,2],"mixed":1,"nul":null,"maybe":1,"big":9007199254740993,"e":{},"u":"\u00e9\u2603"}'
	ev 2 2 acme '' '{"n":2,"f":2,"s":"y","b":false,"obj":{"k":2},"arr":[],"mixed":"one","nul":null,"big":1,"e":{}}'
	ev 3 3 b.c '' '{"n":3,"f":3.25,"s":"z","b":true,"mixed":true,"nul":null,"maybe":null,"big":2,"e":{},"a_b":1,"a":{"b":2},"o":{"p":{}}}'
	ev 4 4 b.c '' '{"n":4,"f":-0.5,"s":"","b":false,"nul":null,"big":3,"e":{},"o":{"p":{"q":null}}}'
} >odd.ndjson
rta-store ingest -s st -d odd odd.ndjson
rta-store export -s st --cold cold --before 2030-01-01 >/dev/null
echo "export: exit $?"
for d in events m1h odd; do
	rta-store cat -s st -d $d -o ndjson | norm >want
	find cold/$d -name '*.parquet' | sort | xargs rta-cat -o ndjson --metrics m |
	    norm >got
	echo "$d: $(wc -l <got) records, $(cmp -s want got && echo "as stored" ||
	    echo DIFFERENT) ($(grep -o 'rta_records_in_total{[^}]*} [0-9]*' m))"
	cmp -s want got || diff want got | head -5
done
echo "-- as rta frames, through a pipe"
cat cold/odd/tenant_id=acme/year=2026/month=11/day=20/part-00000.parquet |
    rta-cat -o rta | rta-cat -o ndjson | norm | head -1
echo "-- a file DuckDB wrote, in a Hive directory"
mkdir -p duck/tenant_id=acme%2Feu
duck sql "COPY (SELECT 'd' || i AS event_id,
    TIMESTAMPTZ '2026-11-26 10:00:00+00' + to_microseconds(i * 1500000) AS ts,
    'page_view' AS event_type, 1 AS schema_version, i * 0.5::DOUBLE AS value,
    CASE WHEN i % 2 = 0 THEN 'x' END AS note FROM range(3) t(i))
    TO 'duck/tenant_id=acme%2Feu/part.parquet' (FORMAT parquet,
    COMPRESSION zstd)" >/dev/null
rta-cat -o ndjson duck/tenant_id=acme%2Feu/part.parquet
echo "-- not Parquet after all, and a damaged file"
printf 'PAR1 not really' >fake.parquet
rta-cat -o ndjson fake.parquet
echo "exit $?"
f=cold/events/tenant_id=t0000/year=2026/month=1/day=1/part-00000.parquet
head -c 20000 "$f" >cut.parquet
rta-cat -o ndjson cut.parquet >out
echo "exit $?, $(wc -l <out) records"
echo "-- a page damaged inside the file: its CRC-32 says so"
cp "$f" bad.parquet
printf 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX' |
    dd of=bad.parquet bs=1 seek=3000 conv=notrunc status=none
rta-cat -o ndjson --metrics m bad.parquet >out
echo "exit $?, $(wc -l <out) records"
. "$DATA/balance.inc"
balanced m
