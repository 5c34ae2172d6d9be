# An aggregate dataset exports one row per record id (the latest
# version), with the window's start and end as timestamps, the group's
# keys and the results as columns, and each state's sketch as binary:
# DuckDB finds the stored records' results and sketches byte for byte
# (base64 of the binary column equals the stored sketch).
. "$DATA/parquet.inc"
rta-gen -s 11 -c 20000 --tenants 3 --eps 0.5 --disorder 30s >in.ndjson
rta-window --tumbling 1h --max-delay 1m --by tenant_id,event_type \
    --agg count,sum:payload.value,p95:payload.latency_ms,distinct:payload.user_id,top3:payload.url \
    --emit-every 10m in.ndjson >agg.ndjson 2>/dev/null
rta-store init -s st
rta-store ingest -s st -d m1h agg.ndjson
rta-store cat -s st -d m1h -o ndjson >stored.ndjson
echo "window: $(grep -c '"\$rta":"aggregate"' agg.ndjson) records," \
    "stored: $(wc -l <stored.ndjson) (the latest version of each)"
rta-store export -s st --cold cold --before 2030-01-01 |
    sed -E 's/[0-9]+ bytes/N bytes/'
echo "export: exit $?"
f=$(find cold -name '*.parquet' | sort | head -1)
echo "-- columns of ${f#cold/}"
duck sql "SELECT name, duckdb_type FROM parquet_schema('$f')
    WHERE name <> 'schema'"
echo "-- against the stored records"
duck sql "
WITH p AS (SELECT record_id, epoch_us(start) AS s, epoch_us(\"end\") AS e,
    version, tenant_id, group_event_type, results_count,
    \"results_sum:payload.value\" AS sum,
    \"results_distinct:payload.user_id\" AS dist,
    base64(\"states_p95:payload.latency_ms_sketch\") AS dd,
    base64(\"states_distinct:payload.user_id_sketch\") AS hll,
    base64(\"states_top3:payload.url_sketch\") AS topk
    FROM read_parquet('cold/m1h/*/*/*/*/*.parquet', hive_partitioning = true)),
r AS (SELECT record_id, epoch_us(start::TIMESTAMPTZ) AS s,
    epoch_us(\"end\"::TIMESTAMPTZ) AS e, version::BIGINT, tenant_id,
    \"group\".event_type, results.count,
    results.\"sum:payload.value\", results.\"distinct:payload.user_id\",
    states.\"p95:payload.latency_ms\".sketch,
    states.\"distinct:payload.user_id\".sketch,
    states.\"top3:payload.url\".sketch
    FROM read_ndjson('stored.ndjson', columns = {record_id: 'VARCHAR',
    start: 'VARCHAR', \"end\": 'VARCHAR', version: 'INTEGER',
    tenant_id: 'VARCHAR', \"group\": 'STRUCT(event_type VARCHAR)',
    results: 'STRUCT(\"count\" BIGINT, \"sum:payload.value\" DOUBLE,
        \"distinct:payload.user_id\" BIGINT)',
    states: 'STRUCT(\"p95:payload.latency_ms\" STRUCT(sketch VARCHAR),
        \"distinct:payload.user_id\" STRUCT(sketch VARCHAR),
        \"top3:payload.url\" STRUCT(sketch VARCHAR))'}))
SELECT (SELECT count(*) FROM p) AS parquet_rows,
    (SELECT count(*) FROM r) AS stored_rows,
    (SELECT count(*) FROM (SELECT * FROM p EXCEPT ALL SELECT * FROM r))
        AS only_in_parquet,
    (SELECT count(*) FROM (SELECT * FROM r EXCEPT ALL SELECT * FROM p))
        AS only_in_stored"
