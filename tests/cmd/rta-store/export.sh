# export writes each finished day of a raw-event dataset to Parquet files
# in Hive partitions (tenant_id=T/year=Y/month=M/day=D), and two readers
# that share no code with rta read them back: DuckDB finds exactly the
# source events (EXCEPT ALL both ways gives 0 and 0, through the Hive
# folder, so the tenant comes from the path), and hyparquet reads every
# file to the same rows.  The columns are typed from the data; the file
# metadata names the dataset, tenant, day and columns; statistics are
# there for every column.  Timestamps are DELTA_BINARY_PACKED, and so are
# integers unless few distinct values make a dictionary better; doubles
# likewise a dictionary or BYTE_STREAM_SPLIT; repeating strings a dictionary.
. "$DATA/parquet.inc"
rta-gen -s 7 -c 30000 --tenants 4 --eps 0.25 --duplicates 0.05 >in.ndjson
rta-store init -s st
rta-store ingest -s st -d events in.ndjson
rta-store cat -s st -d events -o ndjson >stored.ndjson
echo "stored: $(wc -l <stored.ndjson) events"
# (byte counts depend on the compressor's version: not compared)
rta-store export -s st --cold cold --before 2030-01-01 --metrics m |
    sed -E 's/[0-9]+ bytes/N bytes/'
echo "export: exit $?"
grep '^rta_store_export\|^rta_store_exported\|^rta_store_unchanged' m |
    grep -v bytes
(cd cold && find . -name '*.parquet' | sort)
echo "-- DuckDB, the Hive folder against the stored events"
ev_compare cold stored.ndjson
echo "-- DuckDB, rows per partition from the path"
duck sql "SELECT tenant_id, year, month, day, count(*) AS n FROM read_parquet(
    'cold/events/*/*/*/*/*.parquet', hive_partitioning = true,
    union_by_name = true) GROUP BY ALL ORDER BY ALL"
echo "-- hyparquet, every file"
for f in $(find cold -name '*.parquet' | sort); do
	hyp rows "$f" | sed 's/"timestamp":"[^"]*",//' >h.json
	duck rows "$f" | sed 's/"timestamp":"[^"]*",//' >d.json
	cmp -s h.json d.json && echo "$(wc -l <h.json) rows: the same" ||
	    echo "$f: hyparquet and DuckDB differ"
done
f=cold/events/tenant_id=t0001/year=2026/month=1/day=1/part-00000.parquet
echo "-- schema"
duck schema "$f" | sed 's/"logical_type":"[^"]*",//'
echo "-- metadata"
duck kv "$f" | grep -v rta.columns
duck kv "$f" | jq -r 'select(.key == "rta.columns") | .value' |
    jq -c '.[] | select(.name == "payload_latency_ms" or .name == "timestamp")'
duck file "$f" | sed 's/"file_name":"[^"]*",//; s/"footer_size":[0-9]*,//; s/"file_size_bytes":[0-9]*,//; s/"footer_signing_key_metadata":null,//'
echo "-- encodings"
duck sql "SELECT path_in_schema, encodings FROM parquet_metadata('$f')
    WHERE row_group_id = 0 ORDER BY column_id"
echo "-- statistics on every column"
duck sql "SELECT count(*) AS chunks, count(stats_min_value) AS with_min,
    count(stats_max_value) AS with_max, count(stats_null_count) AS with_nulls
    FROM parquet_metadata('$f')"
duck sql "SELECT path_in_schema, stats_min_value, stats_max_value
    FROM parquet_metadata('$f') WHERE path_in_schema IN ('timestamp',
    'event_type', 'payload_latency_ms') ORDER BY 1"
