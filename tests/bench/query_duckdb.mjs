// query_duckdb.mjs MODE DIR TENANTS DAYS RUNS THREADS CHECK: the query
// section's anchor, DuckDB answering rta-query's question over the cold
// Parquet of the store (DIR: `rta-store export`'s folder of dataset m,
// Hive partitions tenant_id=T/year=Y/month=M/day=D).  MODE "glob"
// reads read_parquet('DIR/**/*.parquet', hive_partitioning = true),
// every file of the store, which DuckDB lists at each query before the
// WHERE prunes them; "tenant" names the tenant's folder instead
// ('DIR/tenant_id=T/**/*.parquet'), as a caller knowing the layout
// would.
//
// Query i (from 0), as tests/bench/query_lat.c makes them: tenant i mod
// TENANTS ("t0000" on), the 24 hours from 12:00 of day i mod DAYS
// (2026-01-01 on) to 12:00 the day after, in 5-minute buckets, the sum
// of the stored one-minute counts and sums (the records' count and
// sum:payload.value states).  The tenant, the two days' partitions and
// the time range are in WHERE, so that DuckDB opens only those files.
//
// The RUNS queries run once untimed (DuckDB and the page cache warm),
// then again, each timed on its own (performance.now() around the
// query and the reading of its rows).  Query 0's answer is compared with
// CHECK, rta-query's NDJSON for the same question: the same buckets, the
// counts exactly, the sums to 1e-9 relative.
//
// Prints "RUNS P50 P90 P99 MAX MEAN ROWS MATCH": the times in ms
// (nearest rank), query 0's rows, and "same" or "differ" (the first
// difference then on stderr).  Errors go to stderr with exit status 1.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const [mode, dir, tenants, days, runs, threads, check] =
    process.argv.slice(2);
const q = (s) => "'" + String(s).replaceAll("'", "''") + "'";
const START = Date.UTC(2026, 0, 1);	// tests/bench/store_fill.c's
const DAY = 86400000;

function sql(i) {
	const tenant = 't' + String(i % Number(tenants)).padStart(4, '0');
	const glob = mode === 'glob' ? `${dir}/**/*.parquet` :
	    `${dir}/tenant_id=${tenant}/**/*.parquet`;
	const src = `read_parquet(${q(glob)}, hive_partitioning = true)`;
	const from = START + (i % Number(days)) * DAY + DAY / 2;
	const to = from + DAY;
	const ts = (t) => `TIMESTAMPTZ ${q(new Date(t).toISOString())}`;
	// the partitions of the two days the range touches
	const part = [from, to - 1].map((t) => {
		const d = new Date(t);
		return `(year = ${d.getUTCFullYear()} AND month = ` +
		    `${d.getUTCMonth() + 1} AND day = ${d.getUTCDate()})`;
	}).join(' OR ');
	return `SELECT time_bucket(INTERVAL 5 MINUTE, "start") AS b,
	    sum(states_count_count) AS n,
	    sum("states_sum:payload.value_sum") AS s
	    FROM ${src}
	    WHERE tenant_id = ${q(tenant)} AND (${part})
	    AND "start" >= ${ts(from)} AND "start" < ${ts(to)}
	    GROUP BY b ORDER BY b`;
}

// query 0's rows against rta-query's: null if the same, else why not
function compare(rows, file) {
	const want = readFileSync(file, 'utf8').split('\n')
	    .filter((l) => l !== '').map((l) => JSON.parse(l));
	if (rows.length !== want.length)
		return `${rows.length} rows, rta-query ${want.length}`;
	for (let k = 0; k < rows.length; k++) {
		const [b, n, s] = rows[k];
		const w = want[k];
		const t = Number(b.micros / 1000n);
		const ws = w['sum:payload.value'];
		if (t !== Date.parse(w.start))
			return `row ${k + 1}: bucket ` +
			    `${new Date(t).toISOString()}, rta-query ${w.start}`;
		if (String(n) !== String(w.count))
			return `row ${k + 1} (${w.start}): count ${n}, ` +
			    `rta-query ${w.count}`;
		if (Math.abs(s - ws) > 1e-9 * Math.abs(ws))
			return `row ${k + 1} (${w.start}): sum ${s}, ` +
			    `rta-query ${ws}`;
	}
	return null;
}

function at(t, p) {
	let i = Math.floor(p * t.length);
	if (i < p * t.length)
		i++;
	return t[Math.max(i, 1) - 1];
}

try {
	if (mode !== 'glob' && mode !== 'tenant')
		throw new Error(`mode '${mode}': glob or tenant`);
	const inst = await DuckDBInstance.create(':memory:',
	    { threads: threads });
	const con = await inst.connect();
	await con.run("SET TimeZone = 'UTC'");
	const n = Number(runs);
	const first = (await con.runAndReadAll(sql(0))).getRows();
	const why = compare(first, check);
	if (why !== null)
		console.error(`query_duckdb: tenant t0000, day 0: ${why}`);
	for (let i = 1; i < n; i++)
		await con.runAndReadAll(sql(i));
	const t = [];
	let sum = 0;
	for (let i = 0; i < n; i++) {
		const text = sql(i);
		const t0 = performance.now();
		await con.runAndReadAll(text);
		t.push(performance.now() - t0);
		sum += t[i];
	}
	t.sort((a, b) => a - b);
	const f = (x) => x.toFixed(3);
	console.log([n, f(at(t, 0.5)), f(at(t, 0.9)), f(at(t, 0.99)),
	    f(t[n - 1]), f(sum / n), first.length,
	    why === null ? 'same' : 'differ'].join(' '));
} catch (e) {
	console.error(`query_duckdb: ${e.message}`);
	process.exit(1);
}
