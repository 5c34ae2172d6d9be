// pipeline_fresh.mjs: the pipeline section's freshness probe.
//
//   poll PORT TENANT FROM STOPFILE MS
//       ask `rta-query --http` on 127.0.0.1:PORT for TENANT's counts of
//       dataset m in one-minute buckets from FROM on, every MS ms (one
//       keep-alive connection), until STOPFILE exists; a line per
//       answer: the wall time it was received (ms since the epoch),
//       then each bucket's start (ms) and count
//   stats TIMES POLLS WARMUP_MS
//       TIMES holds the event times of TENANT's events in the order
//       they were sent (RFC 3339, one a line), POLLS the poll lines.
//       An event's freshness is the receive time of the first answer
//       whose count for its minute includes it (the k-th event of a
//       minute is in once the count reaches k) less its event time,
//       which rta-gen --rate set to the wall time of its sending.  A
//       poll's staleness is its receive time less the event time of
//       the newest event its counts include.  Events and polls of the
//       first WARMUP_MS after the first event are left out.  Prints:
//       events sampled, events never seen, freshness p50, p90, p99,
//       max (ms), polls, staleness p50, p99 (ms), and the minutes whose
//       last count is not the number of the tenant's events in TIMES
//       (0 when the store holds what was sent)
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const [cmd, ...args] = process.argv.slice(2);

// RFC 3339 UTC with up to microseconds -> ms since the epoch
function ms(s) {
	const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?Z$/.exec(s);
	if (!m)
		throw new Error(`bad time '${s}'`);
	const f = ((m[2] || '') + '000000').slice(0, 6);
	return Date.parse(m[1] + 'Z') + Number(f) / 1000;
}

function pct(a, p) {
	if (a.length === 0)
		return NaN;
	return a[Math.min(a.length - 1, Math.ceil(p / 100 * a.length) - 1)];
}

async function poll(port, tenant, from, stop, every) {
	const url = `http://127.0.0.1:${port}/v1/query?dataset=m` +
	    `&tenant=${tenant}&from=${from}&to=2100-01-01T00:00:00Z` +
	    '&bucket=1m&agg=count';
	while (!existsSync(stop)) {
		const t0 = Date.now();
		try {
			const r = await fetch(url);
			const body = await r.json();
			const t1 = Date.now();
			let l = String(t1);
			for (const row of body.rows || [])
				l += ` ${ms(row.start)} ${row.count}`;
			console.log(l);
		} catch (e) {
			console.error(`pipeline_fresh: ${e.message}`);
		}
		const left = every - (Date.now() - t0);
		if (left > 0)
			await sleep(left);
	}
}

function stats(times, polls, warmup) {
	// event times by minute, in the order sent
	const ev = new Map();
	let first = Infinity;
	for (const l of readFileSync(times, 'utf8').split('\n')) {
		if (l === '')
			continue;
		const t = ms(l);
		first = Math.min(first, t);
		const k = Math.floor(t / 60000) * 60000;
		if (!ev.has(k))
			ev.set(k, []);
		ev.get(k).push(t);
	}
	let last = -Infinity;
	for (const e of ev.values())
		last = Math.max(last, e[e.length - 1]);
	const seen = new Map();
	const final = new Map();
	const fresh = [];
	const stale = [];
	let npolls = 0;
	for (const l of readFileSync(polls, 'utf8').split('\n')) {
		const f = l.split(' ').filter((x) => x !== '').map(Number);
		if (f.length === 0)
			continue;
		const recv = f[0];
		let newest = -Infinity;
		for (let i = 1; i + 1 < f.length; i += 2) {
			const e = ev.get(f[i]) || [];
			final.set(f[i], f[i + 1]);
			const c = Math.min(f[i + 1], e.length);
			const was = seen.get(f[i]) || 0;
			for (let k = was; k < c; k++)
				if (e[k] >= first + warmup)
					fresh.push(recv - e[k]);
			if (c > was)
				seen.set(f[i], c);
			if (c > 0)
				newest = Math.max(newest, e[c - 1]);
		}
		// staleness while events were being sent, after the warm-up
		if (recv >= first + warmup && newest > -Infinity &&
		    recv <= last) {
			stale.push(recv - newest);
			npolls++;
		}
	}
	let sampled = 0;
	for (const e of ev.values())
		for (const t of e)
			if (t >= first + warmup)
				sampled++;
	let wrong = 0;
	for (const k of new Set([...ev.keys(), ...final.keys()]))
		if ((final.get(k) || 0) !== (ev.get(k) || []).length)
			wrong++;
	fresh.sort((a, b) => a - b);
	stale.sort((a, b) => a - b);
	const r = (x) => Number.isNaN(x) ? '-' : x.toFixed(1);
	console.log([sampled, sampled - fresh.length, r(pct(fresh, 50)),
	    r(pct(fresh, 90)), r(pct(fresh, 99)),
	    r(fresh.length ? fresh[fresh.length - 1] : NaN), npolls,
	    r(pct(stale, 50)), r(pct(stale, 99)), wrong].join(' '));
}

if (cmd === 'poll' && args.length === 5)
	await poll(args[0], args[1], args[2], args[3], Number(args[4]));
else if (cmd === 'stats' && args.length === 3)
	stats(args[0], args[1], Number(args[2]));
else {
	console.error('usage: pipeline_fresh.mjs poll PORT TENANT FROM ' +
	    'STOPFILE MS | stats TIMES POLLS WARMUP_MS');
	process.exit(2);
}
