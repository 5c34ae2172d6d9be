// export_duckdb.mjs: the export section's anchor and checks, DuckDB on
// the same rows as `rta-store export`.
//
//   load NDJSON DB PARQUET   make the database file DB holding table ev:
//                            the events of NDJSON with the typed columns
//                            of PARQUET (one of rta's files: its
//                            rta.columns metadata gives each column's
//                            path and type) and tenant_id; prints rows
//   copy DB DIR THREADS      COPY table ev to DIR as zstd Parquet in the
//                            partitions of rta's cold store (tenant_id,
//                            year, month, day), timing only the COPY;
//                            prints rows, its wall seconds and the CPU
//                            seconds the process spent in it
//   check RTA DUCK           rows of the Hive folders RTA and DUCK, and
//                            the rows of RTA not in DUCK on a sample of
//                            columns (EXCEPT ALL); prints the three
//   scan DIR COLUMN RUNS     sum a column of the files under DIR (one
//                            thread), RUNS times; prints the rows read,
//                            the best wall and CPU seconds and the sum
//                            (a timestamp
//                            column's microseconds wrapped to 64 bits,
//                            as tests/bench/pq_scan.c sums them)
//
// Errors go to stderr with exit status 1.
import { DuckDBInstance } from '@duckdb/node-api';
import { performance } from 'node:perf_hooks';

const [cmd, ...args] = process.argv.slice(2);
const q = (s) => "'" + String(s).replaceAll("'", "''") + "'";
const id = (s) => '"' + String(s).replaceAll('"', '""') + '"';
const types = {
	bool: 'BOOLEAN', int64: 'BIGINT', double: 'DOUBLE',
	timestamp: 'TIMESTAMPTZ', string: 'VARCHAR', json: 'JSON',
	binary: 'BLOB',
};
// rta's partitions: the tenant and the UTC date of the event
const parts = 'tenant_id, year("timestamp") AS year, ' +
    'month("timestamp") AS month, day("timestamp") AS day';
const sample = 'tenant_id, year, month, day, event_id, "timestamp", ' +
    'event_type, payload_value, payload_url, payload_latency_ms';

async function open(path, threads) {
	const inst = await DuckDBInstance.create(path, { threads: threads });
	const con = await inst.connect();
	await con.run("SET TimeZone = 'UTC'");
	return con;
}

async function one(con, sql) {
	const r = await con.runAndReadAll(sql);
	return r.getRows()[0];
}

// The struct type of the members under path prefix pre, from the column
// list of rta.columns: { name, path, type }.
function struct(cols, depth, pre) {
	const kids = new Map();
	for (const c of cols) {
		if (c.path.length <= depth ||
		    c.path.slice(0, depth).join('\0') !== pre.join('\0'))
			continue;
		const k = c.path[depth];
		if (c.path.length === depth + 1)
			kids.set(k, types[c.type]);
		else if (!kids.has(k))
			kids.set(k, struct(cols, depth + 1, c.path.slice(0,
			    depth + 1)));
	}
	return 'STRUCT(' + [...kids].map(([k, t]) => `${id(k)} ${t}`)
	    .join(', ') + ')';
}

async function load(src, db, pq) {
	const con = await open(db, '2');
	const kv = await one(con, `SELECT decode(value) FROM
	    parquet_kv_metadata(${q(pq)}) WHERE decode(key) = 'rta.columns'`);
	if (kv === undefined)
		throw new Error(`${pq}: no rta.columns metadata`);
	const cols = JSON.parse(kv[0]);
	// read_json's columns: the envelope and one struct per top member
	const top = new Map([['tenant_id', 'VARCHAR']]);
	for (const c of cols) {
		const k = c.path[0];
		if (c.path.length === 1)
			top.set(k, types[c.type]);
		else if (!top.has(k))
			top.set(k, struct(cols, 1, [k]));
	}
	const spec = '{' + [...top].map(([k, t]) => `${q(k)}: ${q(t)}`)
	    .join(', ') + '}';
	const sel = cols.map((c) => c.path.map(id).join('.') + ' AS ' +
	    id(c.name)).join(', ');
	await con.run('DROP TABLE IF EXISTS ev');
	await con.run(`CREATE TABLE ev AS SELECT ${sel}, tenant_id
	    FROM read_json(${q(src)}, format = 'newline_delimited',
	    columns = ${spec}, timestampformat = '%Y-%m-%dT%H:%M:%S.%fZ')`);
	await con.run('CHECKPOINT');
	const n = await one(con, 'SELECT count(*) FROM ev');
	console.log(`${n[0]}`);
}

async function copy(db, dir, threads) {
	const con = await open(db, threads);
	const c0 = process.cpuUsage();
	const t0 = performance.now();
	await con.run(`COPY (SELECT * EXCLUDE (tenant_id), ${parts} FROM ev)
	    TO ${q(dir)} (FORMAT parquet, COMPRESSION zstd,
	    PARTITION_BY (tenant_id, year, month, day))`);
	const t1 = performance.now();
	const c = process.cpuUsage(c0);
	const n = await one(con, 'SELECT count(*) FROM ev');
	console.log(`${n[0]} ${((t1 - t0) / 1000).toFixed(4)} ` +
	    `${((c.user + c.system) / 1e6).toFixed(2)}`);
}

function hive(dir) {
	return `read_parquet(${q(dir + '/**/*.parquet')},
	    hive_partitioning = true)`;
}

async function check(rta, duck) {
	const con = await open(':memory:', '2');
	const a = await one(con, `SELECT count(*) FROM ${hive(rta)}`);
	const b = await one(con, `SELECT count(*) FROM ${hive(duck)}`);
	const d = await one(con, `SELECT count(*) FROM (
	    SELECT ${sample} FROM ${hive(rta)} EXCEPT ALL
	    SELECT ${sample} FROM ${hive(duck)})`);
	console.log(`${a[0]} ${d[0]} ${b[0]}`);
}

async function scan(dir, col, runs) {
	const con = await open(':memory:', '1');
	const src = `read_parquet(${q(dir + '/**/*.parquet')},
	    hive_partitioning = false)`;
	const ts = col === 'timestamp';
	const sql = ts ?
	    `SELECT count(*), sum(epoch_us("timestamp")) FROM ${src}` :
	    `SELECT count(*), sum(${id(col)}) FROM ${src}`;
	let best = Infinity;
	let cbest = Infinity;
	let r;
	for (let i = 0; i < runs; i++) {
		const c0 = process.cpuUsage();
		const t0 = performance.now();
		r = await one(con, sql);
		const t = (performance.now() - t0) / 1000;
		const c = process.cpuUsage(c0);
		best = Math.min(best, t);
		cbest = Math.min(cbest, (c.user + c.system) / 1e6);
	}
	const sum = ts ? BigInt.asIntN(64, BigInt(r[1])) : r[1];
	console.log(`${r[0]} ${best.toFixed(4)} ${cbest.toFixed(4)} ${sum}`);
}

try {
	if (cmd === 'load' && args.length === 3)
		await load(...args);
	else if (cmd === 'copy' && args.length === 3)
		await copy(...args);
	else if (cmd === 'check' && args.length === 2)
		await check(...args);
	else if (cmd === 'scan' && args.length === 3)
		await scan(args[0], args[1], Number(args[2]) || 1);
	else {
		console.error('usage: export_duckdb.mjs load|copy|check|scan ...');
		process.exit(2);
	}
} catch (e) {
	console.error(`export_duckdb: ${e.message}`);
	process.exit(1);
}
