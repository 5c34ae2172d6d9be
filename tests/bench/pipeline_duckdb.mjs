// pipeline_duckdb.mjs NDJSON USERS DB: the pipeline section's DuckDB
// anchor, the work of the rta pipeline in SQL, on two threads, into the
// database file DB (removed first):
//
//   validate  each line parsed as JSON (lines that are not: dropped);
//             the envelope (event_id, timestamp a time, event_type one
//             of the three, tenant_id, schema_version 1) and the
//             members and types tests/bench/data/pipeline/ requires of
//             the payload of its type; failing rows dropped
//   dedup     the first row of each event_id
//   enrich    LEFT JOIN of payload.user_id with USERS (loaded here, as
//             rta-enrich loads it at each run)
//   store     the joined rows kept as table events, and count and
//             sum(payload.value) per tenant, event type and minute as
//             table m
//
// Prints the lines read (those that are not JSON too), the rows valid,
// the rows after dedup, the joined rows with a user, the rows of m, the
// sum of m's counts and the wall seconds of the whole (from opening the
// database to its last CHECKPOINT).  Errors go to stderr with exit status 1.
import { DuckDBInstance } from '@duckdb/node-api';
import { performance } from 'node:perf_hooks';
import { rmSync } from 'node:fs';

const [file, users, db] = process.argv.slice(2);
if (!file || !users || !db) {
	console.error('usage: pipeline_duckdb.mjs NDJSON USERS DB');
	process.exit(2);
}
const q = (s) => "'" + String(s).replaceAll("'", "''") + "'";
for (const f of [db, db + '.wal'])
	rmSync(f, { force: true });

// json_type names of a JSON number that is an integer, and of any number
const int = "IN ('UBIGINT', 'BIGINT')";
const num = "IN ('UBIGINT', 'BIGINT', 'DOUBLE')";
const str = (p) => `json_type(j, '${p}') = 'VARCHAR'`;
const payload = {
	page_view: [str('$.payload.url'), str('$.payload.user_id'),
	    `json_type(j, '$.payload.value') ${num}`,
	    `json_type(j, '$.payload.latency_ms') ${int}`,
	    str('$.payload.country'), str('$.payload.device')],
	purchase: [str('$.payload.order_id'), str('$.payload.user_id'),
	    `json_type(j, '$.payload.value') ${num}`, str('$.payload.currency'),
	    `json_type(j, '$.payload.items') ${int}`,
	    str('$.payload.country')],
	error: [str('$.payload.url'), `json_type(j, '$.payload.code') ${int}`,
	    str('$.payload.message'),
	    `json_type(j, '$.payload.latency_ms') ${int}`],
};
const bytype = Object.entries(payload).map(([t, c]) =>
    `(json_extract_string(j, '$.event_type') = '${t}' AND ` +
    `${c.join(' AND ')})`).join(' OR ');

const t0 = performance.now();
const inst = await DuckDBInstance.create(db, { threads: '2' });
const con = await inst.connect();
await con.run("SET TimeZone = 'UTC'");
const one = async (sql) => (await con.runAndReadAll(sql)).getRows()[0];

await con.run(`CREATE TABLE users AS SELECT * FROM read_csv(${q(users)},
    header = true, columns = {'user_id': 'VARCHAR', 'plan': 'VARCHAR',
    'country': 'VARCHAR', 'segment': 'VARCHAR', 'signup_date': 'DATE',
    'lifetime_value': 'DOUBLE'})`);
// The lines as JSON, in file order (rn); a line that is not JSON is
// left out by ignore_errors.
await con.run(`CREATE TEMP TABLE lines AS
    SELECT row_number() OVER () AS rn, json AS j
    FROM read_json_objects(${q(file)}, format = 'newline_delimited',
        ignore_errors = true)`);
await con.run(`CREATE TEMP TABLE valid AS
    SELECT rn, json_extract_string(j, '$.event_id') AS event_id,
        CAST(json_extract_string(j, '$.timestamp') AS TIMESTAMPTZ) AS ts,
        json_extract_string(j, '$.event_type') AS event_type,
        json_extract_string(j, '$.tenant_id') AS tenant_id,
        json_extract(j, '$.payload') AS payload,
        json_extract_string(j, '$.payload.user_id') AS user_id,
        CAST(json_extract_string(j, '$.payload.value') AS DOUBLE) AS value
    FROM lines
    WHERE ${str('$.event_id')} AND ${str('$.tenant_id')}
        AND ${str('$.timestamp')}
        AND try_cast(json_extract_string(j, '$.timestamp')
            AS TIMESTAMPTZ) IS NOT NULL
        AND json_type(j, '$.schema_version') ${int}
        AND json_extract_string(j, '$.schema_version') = '1'
        AND json_type(j, '$.payload') = 'OBJECT'
        AND (${bytype})`);
// The first occurrence of each event_id, joined with its user.
await con.run(`CREATE TABLE events AS
    SELECT v.event_id, v.ts AS "timestamp", v.event_type, v.tenant_id,
        v.payload, v.value, u.plan, u.country, u.segment, u.signup_date,
        u.lifetime_value
    FROM (SELECT * FROM valid
        QUALIFY row_number() OVER (PARTITION BY event_id ORDER BY rn) = 1)
        v LEFT JOIN users u ON v.user_id = u.user_id`);
await con.run(`CREATE TABLE m AS
    SELECT tenant_id, event_type,
        time_bucket(INTERVAL 1 minute, "timestamp") AS minute,
        count(*) AS count, sum(value) AS sum
    FROM events GROUP BY ALL`);
await con.run('CHECKPOINT');
const t1 = performance.now();

const lines = (await one('SELECT count(*) FROM lines'))[0];
const valid = (await one('SELECT count(*) FROM valid'))[0];
const [rows, joined] = await one(
    'SELECT count(*), count(plan) FROM events');
const [groups, total] = await one('SELECT count(*), sum(count) FROM m');
console.log(`${lines} ${valid} ${rows} ${joined} ${groups} ${total} ` +
    `${((t1 - t0) / 1000).toFixed(4)}`);
