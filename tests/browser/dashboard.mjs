// The rta-query dashboard in Debian's Chromium, driven by playwright-core:
//   node dashboard.mjs URL TOKEN_URL SCREENSHOT
// URL serves a store with tenants t0000 and t0001 of 1-minute windows
// (dataset metrics_1m) and an alerts dataset with one rta.alert of t0001
// at 09:40; TOKEN_URL serves it behind --tokens, where token tok-1 reads
// t0001 only.  The clock is pinned (now= in the hash, RTA_NOW on the
// server).  Prints stable lines; any failed check throws (exit 1).
import { chromium } from 'playwright-core';
import assert from 'node:assert/strict';

const [url, tokenUrl, shot] = process.argv.slice(2);
const NOW = '2026-11-26T10:00:00Z';
// the page's range ends with the bucket after the one now starts: with
// 5-minute buckets, 09:05 to 10:05
const FROM = '2026-11-26T09:05:00.000Z', TO = '2026-11-26T10:05:00.000Z';

async function api(base, q, token) {
	const r = await fetch(new URL('/v1/query?' + new URLSearchParams(q),
	    base), token ? { headers: { Authorization: 'Bearer ' + token } } :
	    {});
	assert.equal(r.status, 200, `${JSON.stringify(q)}: ${r.status}`);
	return (await r.json()).rows;
}

// the chart's points, as the API's rows would make them
async function points(page) {
	return page.$$eval('#chart circle.pt', (cs) => cs.map((c) =>
	    [c.dataset.g, c.dataset.t, Number(c.dataset.v)]));
}
function rowsAsPoints(rows, label) {
	return rows.map((r) => [label(r), new Date(r.start).toISOString(),
	    r.count]);
}
const sorted = (a) => a.map((x) => JSON.stringify(x)).sort();

// wait for a chart drawn from a query with these parameters
async function drawn(page, want) {
	await page.waitForFunction((w) => {
		const q = new URLSearchParams(document.getElementById('chart')
		    .dataset.query || '');
		return Object.entries(w).every(([k, v]) => q.get(k) === v);
	}, want);
}

const browser = await chromium.launch({
	executablePath: '/usr/bin/chromium',
	// no sandbox as root; no calls home from a machine without network
	args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
	    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
	const ctx = await browser.newContext({ viewport: { width: 1280,
	    height: 800 }, timezoneId: 'UTC', locale: 'en-US' });
	// a CSP violation or a script error is a console error; the API's
	// 4xx answers, asked for below, are reported there too
	const problems = [];
	const watch = (p) => {
		p.on('pageerror', (e) => problems.push(e.message));
		p.on('console', (m) => {
			if (m.type() === 'error' &&
			    !/status of 4\d\d/.test(m.text()))
				problems.push(m.text());
		});
		return p;
	};
	const page = watch(await ctx.newPage());

	await page.goto(url + '#dataset=metrics_1m&tenant=t0001&metric=count' +
	    `&range=1h&bucket=5m&now=${NOW}`);
	await drawn(page, { tenant: 't0001', bucket: '5m' });
	const q = { dataset: 'metrics_1m', from: FROM, to: TO, bucket: '5m',
	    agg: 'count' };
	const r1 = await api(url, { ...q, tenant: 't0001' });
	const p1 = await points(page);
	assert.deepEqual(sorted(p1), sorted(rowsAsPoints(r1, () => 'count')));
	console.log(`t0001: ${p1.length} points, ${r1.length} rows`);
	console.log('alerts dataset:', await page.inputValue('#alerts'));
	const marks = await page.$$eval('.alert-mark', (ms) => ms.map((m) =>
	    `${m.dataset.t} ${m.dataset.n}`));
	console.log('alert marks:', marks.join(', '));
	console.log('legend:', await page.textContent('#alert-count'));
	console.log('freshness:', await page.textContent('#fresh'),
	    await page.getAttribute('#fresh', 'class'));

	// the tooltip of the bucket of the burst
	const burst = page.locator('circle.pt[data-t="2026-11-26T09:40:00.000Z"]');
	await burst.hover();
	console.log('tooltip:', JSON.stringify(await page.textContent('#tip')));
	await page.screenshot({ path: shot });

	// grouped: a series and a table row per event type
	await page.fill('#group', 'event_type');
	await page.press('#group', 'Enter');
	await drawn(page, { tenant: 't0001', group_by: 'event_type' });
	const g1 = await api(url, { ...q, tenant: 't0001',
	    group_by: 'event_type' });
	const pg = await points(page);
	assert.deepEqual(sorted(pg), sorted(rowsAsPoints(g1,
	    (r) => r.event_type)));
	console.log(`t0001 by event_type: ${pg.length} points, ` +
	    `${g1.length} rows`);
	const top = await api(url, { dataset: 'metrics_1m', from: FROM, to: TO,
	    tenant: 't0001', agg: 'count', group_by: 'event_type',
	    order_by: 'count desc', limit: 10 });
	await page.waitForFunction((n) => document.querySelector('#top tbody')
	    .rows.length === n, top.length);
	const table = await page.$$eval('#top tbody tr', (trs) => trs.map((tr) =>
	    [...tr.cells].map((c) => c.textContent)));
	assert.deepEqual(table, top.map((r) => [r.event_type, String(r.count)]));
	for (const row of table)
		console.log('top:', row.join(' '));

	// the other tenant: other points, and no alert
	await page.selectOption('#tenant', 't0000');
	await drawn(page, { tenant: 't0000', group_by: 'event_type' });
	const g0 = await api(url, { ...q, tenant: 't0000',
	    group_by: 'event_type' });
	const p0 = await points(page);
	assert.deepEqual(sorted(p0), sorted(rowsAsPoints(g0,
	    (r) => r.event_type)));
	assert.notDeepEqual(sorted(p0), sorted(pg));
	console.log(`t0000 by event_type: ${p0.length} points, ` +
	    `${g0.length} rows, differ from t0001's`);
	console.log('alert marks:', await page.locator('.alert-mark').count());
	console.log('hash:', decodeURIComponent(await page.evaluate(() =>
	    location.hash)));

	// a link reproduces the view
	const link = page.url();
	const again = watch(await ctx.newPage());
	await again.goto(link);
	await drawn(again, { tenant: 't0000', group_by: 'event_type' });
	assert.deepEqual(sorted(await points(again)), sorted(p0));
	console.log('link: same points');
	await again.close();

	// an API error is a banner, its text shown as text
	await page.fill('#metric', 'p95:<b>x</b>');
	await page.press('#metric', 'Enter');
	await page.waitForSelector('#error:not([hidden])');
	console.log('banner:', await page.textContent('#error'));
	assert.equal(await page.$eval('#error', (e) => e.childElementCount), 0);

	// at a phone's width nothing sticks out sideways
	await page.fill('#metric', 'count');
	await page.press('#metric', 'Enter');
	await page.setViewportSize({ width: 390, height: 844 });
	await page.waitForSelector('#error', { state: 'hidden' });
	await page.waitForFunction(() => document.querySelector('#chart svg')
	    .getAttribute('width') <= innerWidth);
	assert.ok(await page.evaluate(() =>
	    document.documentElement.scrollWidth <= innerWidth));
	console.log('phone width: fits');

	// the retention heat map: the cells are /v1/cohort's counts, as
	// shares of each cohort's users; periods to come are blank
	const cp = watch(await ctx.newPage());
	await cp.goto(url + '#dataset=metrics_1m&tenant=t0001' +
	    `&activity=page_view&now=${NOW}`);
	await cp.waitForSelector('#cohorts tbody tr');
	assert.equal(await cp.inputValue('#cdataset'), 'events');
	const cr = await (await fetch(new URL('/v1/cohort?' +
	    new URLSearchParams({ dataset: 'events', tenant: 't0001',
	    user: 'payload.user_id', bucket: '1w', periods: 8, since: '63d',
	    to: NOW, activity: 'page_view' }), url))).json();
	const cells = await cp.$$eval('#cohorts tbody tr', (trs) => trs.map(
	    (tr) => [...tr.cells].map((c) => c.classList.contains('future') ?
	    null : c.dataset.active !== undefined ? [Number(c.dataset.active),
	    c.textContent] : c.textContent)));
	assert.equal(cells.length, cr.rows.length);
	let shown = 0, future = 0;
	cr.rows.forEach((r, i) => {
		assert.equal(cells[i][0], r.cohort.slice(0, 10));
		assert.equal(cells[i][1], String(r.users));
		r.periods.forEach((n, k) => {
			const c = cells[i][2 + k];
			if (n === null) {
				assert.equal(c, null);
				future++;
				return;
			}
			assert.deepEqual(c, [n, Math.round(n / r.users * 100) +
			    '%']);
			shown++;
		});
	});
	assert.ok(shown > 0 && future > 0);
	console.log(`retention: ${cr.rows.length} cohorts, ${shown} cells, ` +
	    `${future} to come; first ${cells[0].slice(0, 4).join(' ')}`);
	assert.ok(!cp.url().includes('cohort='));

	// behind --tokens: 401 until a token is given, then its tenants only
	const tp = watch(await ctx.newPage());
	await tp.goto(tokenUrl + '#dataset=metrics_1m&range=1h&bucket=5m');
	await tp.waitForSelector('#error:not([hidden])');
	console.log('no token:', await tp.textContent('#error'));
	await tp.fill('#token', 'tok-1');
	await tp.press('#token', 'Enter');
	// no now= here: the page takes the time from the server's Date
	// (RTA_NOW, 10:00), so its range is FROM to TO as above
	await drawn(tp, { tenant: 't0001', from: FROM, to: TO });
	const opts = await tp.$$eval('#tenant option', (os) =>
	    os.map((o) => o.value));
	console.log('token tenants:', opts.join(' '));
	const rt = await api(tokenUrl, { dataset: 'metrics_1m', from: FROM,
	    to: TO, bucket: '5m', agg: 'count', tenant: 't0001' }, 'tok-1');
	assert.deepEqual(sorted(await points(tp)),
	    sorted(rowsAsPoints(rt, () => 'count')));
	console.log(`token t0001: ${rt.length} points`);
	assert.equal(await tp.evaluate(() =>
	    sessionStorage.getItem('rta-dashboard-token')), 'tok-1');
	assert.ok(!tp.url().includes('tok-1'));
	// all tenants is refused (403) to a token of one: the choice goes,
	// and the page shows the token's tenant again, with no error left
	await tp.selectOption('#tenant', '*');
	await tp.waitForFunction(() => ![...document.querySelectorAll(
	    '#tenant option')].some((o) => o.value === '*'));
	await drawn(tp, { tenant: 't0001', from: FROM, to: TO });
	assert.ok(await tp.$eval('#error', (e) => e.hidden));
	console.log('token tenants after all were refused:', (await tp.$$eval(
	    '#tenant option', (os) => os.map((o) => o.value))).join(' '));

	assert.deepEqual(problems, []);
} finally {
	await browser.close();
}
