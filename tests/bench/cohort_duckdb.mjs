// cohort_duckdb.mjs DIR TENANTS RUNS THREADS CHECK: the rollup section's
// cohort anchor, DuckDB computing the weekly retention matrix of one
// tenant over 8 weeks from the Parquet export of the raw events (DIR:
// `rta-store export`'s folder of the dataset, Hive partitions
// tenant_id=T/year=Y/month=M/day=D; the tenant's folder is named, as a
// caller knowing the layout would).
//
// Query i (from 0) asks for tenant i mod TENANTS ("t0000" on): users by
// the week (from Monday) of their first event, the cohorts of the 8
// weeks from 2026-01-05, and for each the users with a page_view in
// each of the 8 weeks after it, up to 2026-03-02 (later weeks null), as
// rta-query --cohort first:payload.user_id --cohort-bucket 1w
// --activity page_view --periods 8 answers it.
//
// The RUNS queries run once untimed (DuckDB and the page cache warm),
// then again, each timed on its own.  Query 0's matrix is compared with
// CHECK, rta-query's NDJSON for the same question.
//
// Prints "RUNS P50 P90 P99 MAX MEAN ROWS MATCH" as query_duckdb.mjs
// does.  Errors go to stderr with exit status 1.
import { DuckDBInstance } from '@duckdb/node-api';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const [dir, tenants, runs, threads, check] = process.argv.slice(2);
const q = (s) => "'" + String(s).replaceAll("'", "''") + "'";
const WEEK = 7n * 86400n * 1000000n;
const MONDAY = 4n * 86400n * 1000000n;	// 1970-01-05
const FROM = BigInt(Date.UTC(2026, 0, 5)) * 1000n;
const TO = FROM + 8n * WEEK;
const P = 8;

function sql(i) {
	const tenant = 't' + String(i % Number(tenants)).padStart(4, '0');
	const src = `read_parquet(${q(`${dir}/tenant_id=${tenant}/**/*.parquet`)},
	    hive_partitioning = true)`;
	return `WITH e AS (
	    SELECT payload_user_id AS u, event_type AS t,
		(epoch_us(timestamp) - ${MONDAY}) // ${WEEK} AS w
	    FROM ${src}
	    WHERE payload_user_id IS NOT NULL AND epoch_us(timestamp) < ${TO}),
	f AS (SELECT u, min(w) AS c FROM e GROUP BY u),
	a AS (SELECT DISTINCT e.u, e.w - f.c AS k FROM e JOIN f USING (u)
	    WHERE e.t = 'page_view' AND e.w - f.c BETWEEN 1 AND ${P}),
	sz AS (SELECT c, count(*) AS users FROM f
	    WHERE c >= (${FROM} - ${MONDAY}) // ${WEEK} GROUP BY c),
	m AS (SELECT f.c, a.k, count(*) AS n FROM f JOIN a USING (u)
	    GROUP BY f.c, a.k)
	SELECT sz.c, sz.users, list(CASE WHEN sz.c + g.k <
	    (${TO} - ${MONDAY}) // ${WEEK} THEN coalesce(m.n, 0) END
	    ORDER BY g.k) AS periods
	FROM sz CROSS JOIN range(1, ${P + 1}) g(k)
	LEFT JOIN m ON m.c = sz.c AND m.k = g.k
	GROUP BY sz.c, sz.users ORDER BY sz.c`;
}

// query 0's rows against rta-query's: null if the same, else why not
function compare(rows, file) {
	const want = readFileSync(file, 'utf8').split('\n')
	    .filter((l) => l !== '').map((l) => JSON.parse(l));
	if (rows.length !== want.length)
		return `${rows.length} cohorts, rta-query ${want.length}`;
	for (let k = 0; k < rows.length; k++) {
		const [c, users, periods] = rows[k];
		const w = want[k];
		const start = BigInt(c) * WEEK + MONDAY;
		const got = JSON.stringify(periods.items.map((x) =>
		    x === null ? null : Number(x)));
		if (start !== BigInt(Date.parse(w.cohort)) * 1000n)
			return `row ${k + 1}: cohort ${start}, rta-query ` +
			    `${w.cohort}`;
		if (Number(users) !== w.users)
			return `row ${k + 1}: ${users} users, rta-query ` +
			    `${w.users}`;
		if (got !== JSON.stringify(w.periods))
			return `row ${k + 1}: ${got}, rta-query ` +
			    `${JSON.stringify(w.periods)}`;
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
	const inst = await DuckDBInstance.create(':memory:',
	    { threads: threads });
	const con = await inst.connect();
	await con.run("SET TimeZone = 'UTC'");
	const n = Number(runs);
	const first = (await con.runAndReadAll(sql(0))).getRows();
	const why = compare(first, check);
	if (why !== null)
		console.error(`cohort_duckdb: tenant t0000: ${why}`);
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
	console.error(`cohort_duckdb: ${e.message}`);
	process.exit(1);
}
