// store_parquet.mjs NDJSON PARQUET: the store section's size anchor.
// DuckDB reads the aggregate records of NDJSON (one day of the store, as
// `rta-store cat -o ndjson` writes them) and writes the same rows to
// PARQUET, zstd-compressed; prints the rows written.
import { DuckDBInstance } from '@duckdb/node-api';

const [src, dst] = process.argv.slice(2);
const q = (s) => "'" + s.replaceAll("'", "''") + "'";
const inst = await DuckDBInstance.create(':memory:', { threads: '2' });
const con = await inst.connect();
await con.run(`
    COPY (SELECT * FROM read_json(${q(src)}, format = 'newline_delimited'))
    TO ${q(dst)} (FORMAT parquet, COMPRESSION zstd)`);
const r = await con.runAndReadAll(
    `SELECT count(*) FROM read_parquet(${q(dst)})`);
console.log(`${r.getRows()[0][0]}`);
