// duckdb_window.mjs FILE: the window section's DuckDB anchor.  Counts and
// sums of payload.value per tenant, event type and minute, straight from
// the NDJSON file, on two threads; prints the groups and the events they
// hold, for the run's check against rta-window.
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
const inst = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await inst.connect();
const quoted = "'" + file.replaceAll("'", "''") + "'";
const r = await con.runAndReadAll(`
    SELECT tenant_id, event_type,
           time_bucket(INTERVAL 1 minute, CAST(timestamp AS TIMESTAMP)) AS minute,
           count(*) AS n, sum(payload.value) AS s
    FROM read_json(${quoted}, format = 'newline_delimited')
    GROUP BY ALL`);
const rows = r.getRows();
let n = 0n;
for (const row of rows)
	n += BigInt(row[3]);
console.log(`${rows.length} ${n}`);
