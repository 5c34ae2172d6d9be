// pq-duckdb.mjs: DuckDB as an independent Parquet reader for the tests.
//
//   node pq-duckdb.mjs rows FILE      rows of a file, one JSON object a line
//   node pq-duckdb.mjs hive GLOB      rows of a Hive-partitioned folder
//   node pq-duckdb.mjs schema FILE    parquet_schema()
//   node pq-duckdb.mjs meta FILE      parquet_metadata(): chunks and stats
//   node pq-duckdb.mjs kv FILE        key-value metadata, as text
//   node pq-duckdb.mjs file FILE      parquet_file_metadata()
//   node pq-duckdb.mjs sql "SQL"      any query
//
// Values print as JSON: BigInts as numbers when they are safe integers
// (strings otherwise), timestamps as RFC 3339 text, blobs as hex.
// Errors go to stderr with exit status 1.
import { DuckDBInstance } from '@duckdb/node-api';
import { plain } from './plain.mjs';

const [cmd, arg] = process.argv.slice(2);
const q = (s) => "'" + String(s).replaceAll("'", "''") + "'";
const queries = {
	rows: (f) => `SELECT * FROM read_parquet(${q(f)}, hive_partitioning = false)`,
	hive: (g) => `SELECT * FROM read_parquet(${q(g)}, hive_partitioning = true)`,
	schema: (f) => `SELECT name, type, repetition_type, converted_type,
	    logical_type, duckdb_type FROM parquet_schema(${q(f)})`,
	meta: (f) => `SELECT * FROM parquet_metadata(${q(f)})`,
	kv: (f) => `SELECT decode(key) AS key, decode(value) AS value
	    FROM parquet_kv_metadata(${q(f)})`,
	file: (f) => `SELECT * FROM parquet_file_metadata(${q(f)})`,
	sql: (s) => s,
};
if (!(cmd in queries) || arg === undefined) {
	console.error('usage: pq-duckdb.mjs rows|hive|schema|meta|kv|file|sql ARG');
	process.exit(2);
}

try {
	const inst = await DuckDBInstance.create(':memory:', { threads: '2' });
	const con = await inst.connect();
	const r = await con.runAndReadAll(queries[cmd](arg));
	const names = r.columnNames();
	const out = [];
	for (const row of r.getRows()) {
		const o = {};
		names.forEach((n, i) => { o[n] = plain(row[i]); });
		out.push(JSON.stringify(o));
	}
	if (out.length)
		process.stdout.write(out.join('\n') + '\n');
} catch (e) {
	console.error(`pq-duckdb: ${e.message}`);
	process.exit(1);
}
