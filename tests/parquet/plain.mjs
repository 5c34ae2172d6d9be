// plain.mjs: values the readers return, as plain JSON for comparison:
// BigInts as numbers when they are safe integers (strings otherwise),
// dates as RFC 3339 text, byte arrays as hex; other objects (DuckDB's
// timestamps, say) by their own text.
export function plain(v) {
	if (v === null || v === undefined)
		return null;
	if (typeof v === 'bigint')
		return Number.isSafeInteger(Number(v)) ? Number(v) : String(v);
	if (v instanceof Date)
		return v.toISOString();
	if (v instanceof Uint8Array)
		return Buffer.from(v).toString('hex');
	if (Array.isArray(v))
		return v.map(plain);
	if (typeof v === 'object') {
		if (typeof v.toString === 'function' && v.constructor &&
		    v.constructor.name !== 'Object')
			return v.toString();
		const o = {};
		for (const [k, x] of Object.entries(v))
			o[k] = plain(x);
		return o;
	}
	return v;
}
