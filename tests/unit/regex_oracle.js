'use strict';
/*
 * regex_oracle.js: random ECMAScript patterns and subjects, answered by
 * V8, for the differential test in check_rta_regex.c.
 *
 *	node regex_oracle.js [patterns [seed]]
 *
 * A seeded generator writes patterns from the grammar rta_regex.h
 * supports (classes, escapes, groups, quantifiers, assertions), some with
 * a feature rta leaves out (lookaround, backreferences, \p{...},
 * modifiers) and some with one or two random edits, which mostly make
 * syntax errors.  Each pattern gets subjects: strings the pattern's tree
 * produces, the same with an edit, random strings, and the empty string,
 * some holding bytes that are not UTF-8.  The output, one record a line,
 * fields separated by one space, text in hex:
 *
 *	P <pattern> <ok|bad> <plain|unsup>
 *	S <subject> <0|1>
 *	E <number of patterns>
 *
 * "ok" or "bad" is whether new RegExp(p, 'u') compiles, asked of V8 in
 * a way that does not depend on its version and keeps to what
 * rta_regex.h documents: ES2025 modifiers (?ims-ims: are asked as (?:
 * and a well-formed \p{Name} as \p{L} (both are unsupported, not wrong,
 * whatever V8 knows of them); a group name used twice is "bad" even where
 * ES2025 allows it; a non-ASCII character in a group name that is not an
 * identifier character is asked as one (rta has no Unicode tables).
 * "unsup" says the pattern uses a feature rta does not implement.
 *
 * S lines follow the P line of their pattern only when that is "ok
 * plain".  The answer is V8's, each byte that is not UTF-8 read as
 * U+FFFD as rta reads it, with a V8 quirk undone (see v8test()).  A
 * subject V8 takes more than two seconds on (it backtracks) is left out;
 * subjects are kept short for the patterns that risk that.
 */

const vm = require('vm');

const N_PATTERNS = Number(process.argv[2] || 4000);
let state = (Number(process.argv[3] || 20240601) >>> 0) || 1;

/* xorshift32 */
function rnd() {
	state ^= state << 13;
	state >>>= 0;
	state ^= state >>> 17;
	state ^= state << 5;
	state >>>= 0;
	return state;
}

function rint(n) {
	return rnd() % n;
}

function pick(a) {
	return a[rint(a.length)];
}

function chance(pct) {
	return rint(100) < pct;
}

const cp = (c) => c.codePointAt(0);
const ch = (n) => String.fromCodePoint(n);

/* Literal characters a pattern may hold as they are. */
const LITERALS = ['a', 'b', 'c', 'x', 'A', 'Z', '0', '9', '_', ' ', '-',
	',', ':', '=', '!', '<', '>', '#', '\u00e9', '\u03bb', '\u20ac',
	'\u{1f600}', '\u{1d4b3}', '\u00a0', '\u2028', '\n', '\t', '\ufffd'];
/* The same inside a class, where ] \ ^ - are left out. */
const CLASS_LITERALS = LITERALS.filter((c) => c !== '-');
/* What subjects are made of. */
const POOL = ['a', 'b', 'c', 'x', 'y', 'A', 'Z', '0', '5', '9', '_', ' ',
	'-', '\n', '\r', '\t', '\u000b', '\u000c', '\u0008', '\u0000',
	'\u0001', '\u001a', '\u0085', '\u00a0', '\u1680', '\u2000', '\u2028',
	'\u2029', '\u202f', '\u3000', '\ufeff', '\u00e9', '\u03bb', '\u20ac',
	'\ufffd', '\u{1f600}', '\u{1d4b3}', '\u{10ffff}', '.', '*', '(', '[',
	'\\', '/', '{', '}', '^', '$', '|', ',', ':', '#'];
const SYNTAX_CHARS = '^$\\.*+?()[]{}|/';

function isDigit(c) {
	return c >= 0x30 && c <= 0x39;
}

function isWord(c) {
	return isDigit(c) || (c >= 0x41 && c <= 0x5a) || c === 0x5f ||
	    (c >= 0x61 && c <= 0x7a);
}

function isLineTerm(c) {
	return c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029;
}

function isSpace(c) {
	return (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0xa0 ||
	    c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 ||
	    c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 ||
	    c === 0xfeff;
}

function hex(n, width) {
	let s = n.toString(16).padStart(width, '0');

	return chance(50) ? s.toUpperCase() : s;
}

/* A code point from POOL and extra for which has() holds, if any. */
function sampleSet(has, extra) {
	const all = POOL.map(cp).concat(extra);
	const ok = all.filter(has);

	return ch(ok.length > 0 ? pick(ok) : pick(all));
}

/*
 * The pattern tree: every generator returns { src, size, sample }, the
 * text, about how many NFA instructions rta makes of it, and a function
 * that returns a string it matches (assertions aside).
 */
function setNode(src, has, extra) {
	return { src, size: 1, sample: () => sampleSet(has, extra), has,
	    extra };
}

const CLASS_ESCAPES = {
	d: isDigit,
	D: (c) => !isDigit(c),
	w: isWord,
	W: (c) => !isWord(c),
	s: isSpace,
	S: (c) => !isSpace(c)
};

/* A CharacterEscape: { src, cp }, cp -1 for a lone surrogate. */
function charEscape(inClass) {
	let c;

	switch (rint(inClass ? 11 : 9)) {
	case 0: {
		const e = pick(['f', 'n', 'r', 't', 'v']);

		return { src: '\\' + e, cp: cp({ f: '\f', n: '\n', r: '\r',
		    t: '\t', v: '\v' }[e]) };
	}
	case 1: {
		const l = ch(0x41 + rint(26) + (chance(50) ? 32 : 0));

		return { src: '\\c' + l, cp: cp(l) % 32 };
	}
	case 2:
		return { src: '\\0', cp: 0 };
	case 3:
		c = cp(pick(POOL.filter((x) => cp(x) < 256)));
		return { src: '\\x' + hex(c, 2), cp: c };
	case 4:
		c = cp(pick(POOL));
		if (c < 0x10000)
			return { src: '\\u' + hex(c, 4), cp: c };
		return { src: '\\u' + hex(0xd800 + ((c - 0x10000) >> 10), 4) +
		    '\\u' + hex(0xdc00 + ((c - 0x10000) & 0x3ff), 4), cp: c };
	case 5:
		c = cp(pick(POOL));
		return { src: '\\u{' + '0'.repeat(rint(3)) + hex(c, 1) + '}',
		    cp: c };
	case 6:
		return { src: '\\u' + hex(0xd800 + rint(0x800), 4), cp: -1 };
	case 7:
	case 8:
		c = pick(SYNTAX_CHARS);
		return { src: '\\' + c, cp: cp(c) };
	case 9:
		return { src: '\\-', cp: 0x2d };
	default:
		return { src: '\\b', cp: 8 };
	}
}

function literal() {
	const c = pick(LITERALS);

	return { src: c, size: 1, sample: () => c };
}

function escapeAtom() {
	if (chance(40)) {
		const e = pick(Object.keys(CLASS_ESCAPES));

		return setNode('\\' + e, CLASS_ESCAPES[e], []);
	}
	const e = charEscape(false);

	return { src: e.src, size: 1,
	    sample: () => (e.cp < 0 ? '' : ch(e.cp)) };
}

/* One end of a class range: a literal or an escape, and its code point. */
function classChar() {
	if (chance(60)) {
		const c = pick(CLASS_LITERALS);

		return { src: c, cp: cp(c) };
	}
	return charEscape(true);
}

function charClass() {
	const neg = chance(25);
	const items = [];
	let src = '[' + (neg ? '^' : ''), n = rint(5);

	while (n-- > 0) {
		const k = rint(10);

		if (k < 4) {
			const a = classChar();

			src += a.src;
			items.push({ has: (c) => c === a.cp, cps: [a.cp] });
		} else if (k < 7) {
			let a = classChar(), b = classChar();

			if (a.cp > b.cp && !chance(10))
				[a, b] = [b, a];
			src += a.src + '-' + b.src;
			items.push({ has: (c) => c >= a.cp && c <= b.cp,
			    cps: [a.cp, b.cp] });
		} else {
			const e = pick(Object.keys(CLASS_ESCAPES));

			src += '\\' + e;
			items.push({ has: CLASS_ESCAPES[e], cps: [] });
		}
	}
	src += ']';
	const inside = (c) => items.some((it) => it.has(c));
	const extra = [].concat(...items.map((it) => it.cps)).filter(
	    (c) => c >= 0 && c < 0x110000);

	return setNode(src, neg ? (c) => !inside(c) : inside, extra);
}

let nameCount = 0;

/* A new group name, written plainly or with a \u escape first. */
function groupName() {
	const first = pick(['n', 'N', '_', '$', '\u00e9', '\u03bb']);
	const rest = String(nameCount++);

	switch (rint(4)) {
	case 0:
		return '\\u' + hex(cp(first), 4) + rest;
	case 1:
		return '\\u{' + hex(cp(first), 1) + '}' + rest;
	default:
		return first + rest;
	}
}

function group(depth) {
	const inner = disjunction(depth + 1);
	let open;

	switch (rint(3)) {
	case 0:
		open = '(';
		break;
	case 1:
		open = '(?:';
		break;
	default:
		open = '(?<' + groupName() + '>';
	}
	return { src: open + inner.src + ')', size: inner.size,
	    sample: inner.sample, risky: inner.risky };
}

function atom(depth) {
	const k = rint(100);

	if (k < 35)
		return literal();
	if (k < 52)
		return escapeAtom();
	if (k < 60)
		return setNode('.', (c) => !isLineTerm(c), []);
	if (k < 80 || depth >= 3)
		return charClass();
	return group(depth);
}

function quantified(a) {
	let min, max, q;

	switch (rint(6)) {
	case 0:
		[min, max, q] = [0, Infinity, '*'];
		break;
	case 1:
		[min, max, q] = [1, Infinity, '+'];
		break;
	case 2:
		[min, max, q] = [0, 1, '?'];
		break;
	case 3:
		min = max = rint(4);
		q = '{' + min + '}';
		break;
	case 4:
		min = rint(4);
		max = Infinity;
		q = '{' + min + ',}';
		break;
	default:
		min = rint(4);
		max = min + rint(4);
		q = '{' + min + ',' + max + '}';
	}
	if (chance(20))
		q += '?';
	const size = a.size * min + (max === Infinity ?
	    (min === 0 ? a.size + 2 : 1) : (max - min) * (a.size + 1));

	/* a repeated group: V8 may take exponential time */
	const risky = a.risky || (max > 1 && a.src[0] === '(');

	return { src: a.src + q, size, risky, sample: () => {
		let n = min + rint(3), s = '';

		if (n > max)
			n = max;
		while (n-- > 0)
			s += a.sample();
		return s;
	} };
}

function term(depth) {
	if (chance(10)) {
		const a = pick(['^', '$', '\\b', '\\B']);

		return { src: a, size: 1, sample: () => '' };
	}
	const a = atom(depth);

	return chance(35) ? quantified(a) : a;
}

function alternative(depth) {
	const terms = [];
	let n = rint(depth === 0 ? 6 : 4);

	while (n-- > 0)
		terms.push(term(depth));
	return { src: terms.map((t) => t.src).join(''),
	    size: terms.reduce((s, t) => s + t.size, 0),
	    sample: () => terms.map((t) => t.sample()).join(''),
	    risky: terms.some((t) => t.risky) };
}

function disjunction(depth) {
	const alts = [alternative(depth)];

	while (alts.length < 4 && chance(25))
		alts.push(alternative(depth));
	return { src: alts.map((a) => a.src).join('|'),
	    size: alts.reduce((s, a) => s + a.size + 2, 0),
	    sample: () => pick(alts).sample(),
	    risky: alts.some((a) => a.risky) };
}

/* Valid ECMA-262 that rta does not implement, as a term. */
function unsupportedTerm() {
	const small = alternative(2);
	const name = groupName();

	switch (rint(8)) {
	case 0:
		return pick(['(?=', '(?!', '(?<=', '(?<!']) + small.src + ')';
	case 1:
		return '(' + small.src + ')\\1';
	case 2:
		return '(?<' + name + '>' + small.src + ')\\k<' + name + '>';
	case 3:
		return pick(['\\p{L}', '\\P{Lu}', '\\p{Script=Greek}',
		    '\\p{General_Category=Decimal_Number}', '\\p{Nonsense}']);
	case 4:
		return '[a' + pick(['\\p{N}', '\\P{L}']) + ']';
	case 5:
		return pick(['(?i:', '(?-i:', '(?ms-i:', '(?s:']) + small.src +
		    ')';
	case 6:
		return '\\k<' + name + '>(?<' + name + '>a)';
	default:
		return '(?<=(?!' + small.src + '))';
	}
}

/* One or two random edits, by code point: most make syntax errors. */
function mutate(src) {
	const a = Array.from(src);
	const ins = Array.from('()[]{}|*+?^$\\-,:<>=!.abu');
	let n = 1 + rint(2);

	while (n-- > 0) {
		const at = rint(a.length + 1);

		switch (rint(3)) {
		case 0:
			a.splice(at, 0, pick(ins));
			break;
		case 1:
			/* never join two numbers: the limit test is not here */
			if (at < a.length && a[at] !== ',' && a[at] !== '\\')
				a.splice(at, 1);
			break;
		default:
			if (at < a.length)
				a.splice(at, 0, a[at]);
		}
	}
	return a.join('');
}

/* Patterns worth asking about, before the random ones. */
const FIXED = [
	'', '|', '||a', '()', '(?:)', '[]', '[^]', '^$', '$^', 'a|', '|a',
	'a{,5}', 'a{2,1}', 'a{1}?', 'a{0}', 'a{0,0}b', '{', '}', ']', 'a]',
	'a**', 'a*?', 'a+?', 'a???', '\\', 'a\\', '(', ')', '(a', 'a)',
	'(?', '(?)', '(?a)', '(?<a>x)(?<a>y)', '(?<a>x)|(?<a>y)',
	'(?<a>x)(?<b>y)', '(?<>x)', '(?<1a>x)', '(?<a', '(?<a>',
	'(?<\\u0061>x)', '(?<\\u{61}b>x)', '(?<\\x61>x)', '(?<a\\u200d>x)',
	'(?<\u{1d4b3}>a)', '\\u{110000}', '\\u{10FFFF}', '\\u{}', '\\u{0}',
	'\\u{00000000061}', '\\u12', '\\x1', '\\xg0', '\\c', '\\c1', '[\\c1]',
	'\\c_', '\\ca', '\\cZ', '\\0', '\\00', '\\01', '[\\0]', '[\\00]',
	'[\\1]', '\\1', '(a)\\1', '(a)\\2', '\\8', '(a)(b)(c)(d)(e)(f)(g)(h)' +
	'(i)(j)\\10', '(a)\\10', '[z-a]', '[a-z]', '[\\w-z]', '[a-\\d]',
	'[\\w-]', '[-\\w]', '[a-b-c]', '[-]', '[a-]', '[\\-]', '\\-',
	'[\\b]', '\\b', '\\B', '[\\B]', '\\k', '\\k<a>', '(?<a>.)\\k<a>',
	'(?<a>.)\\k<b>', '\\k<a>(?<a>.)', '(?=a)*', '(?!a)+', '(?<=a)?',
	'(?<!a){2}', '^*', '$+', '\\b+', '\\B{2}', '(?=a)', '(?<=a)b',
	'(?i:a)', '(?i)', '(?-:a)', '(?ii:a)', '(?i-i:a)', '(?-i:a)',
	'(?ims:a)', '(?x:a)', '\\p{L}', '\\p', '\\p{', '\\p{L', '\\p{}',
	'\\P{Ll}', '\\p{Script=Latin}', '\\p{=L}', '\\p{L=}', '[\\p{L}-z]',
	'[\\p{L}]', '\\/', '/', '\\a', '\\e', '\\_', '\\ ', '\\\u00e9',
	'\\u{1F600}', '\\uD83D\\uDE00', '\\uD83D', '\\uDE00', '[\\uD83D]',
	'\\uD83D\\u{DE00}', '[\\uD83D\\uDE00-\\uD83D\\uDE4F]', '.', '..',
	'^.$', '^..$', '\\w\\b', '\\b\\w', '^\\b', '\\b$', '\\B$', '^\\B',
	'(a*)*b', '(a|a)*b', '(?:a?){3}a{3}', '((a+)+)+$', '^(a|ab)*c$',
	'x{3}', 'x{3,}', 'x{3,5}', 'x{0,}', 'x{1,1}', '\\d{2,4}-\\d',
	'\\s+', '\\S+', '\\W', '\\D', '[^\\s\\S]', '[\\s\\S]', '[^\\d]',
	'[^\\W]', '\u2028', '[\u2028]', '.\u2029', '\\n', '\\r\\n', '\\t',
	'\\v', '\\f', '[\\f-\\r]', '\u{1f600}', '[\u{1f600}]', '[^\u{1f600}]',
	'[\u{1f600}-\u{1f64f}]', '^.\u{1f600}', '\ufffd', '^\ufffd$',
	'^\ufffd{2}$', '^\ufffd{3}$', '^\ufffd{4}$', 'a\ufffdb', 'x\\0y',
	/* with subjects of their own */
	['\\B', '0\u{1f600}y', '\u{1f600}', '\u{1f600}\u{1f600}', 'a'],
	['\\b', '\u{1f600}a', '\u{1f600}'],
	['\\uDE00', '\u{1f600}'], ['\\uD83D', '\u{1f600}'],
	['^.$', '\u{1f600}'], ['(?:)', '\u{1f600}'],
	['^[^x]{2}$', '\u{1f600}', '\u{1f600}\u{1f600}']
];

const parts = [];

/* The reader may stop early, on a failure: that is no error here. */
process.stdout.on('error', (e) => {
	if (e.code !== 'EPIPE')
		throw e;
	process.exit(0);
});

function out(line) {
	parts.push(line);
	if (parts.length >= 4096)
		flush();
}

function flush() {
	process.stdout.write(parts.join('\n') + '\n');
	parts.length = 0;
}

const utf8hex = (s) => Buffer.from(s, 'utf8').toString('hex');

/* \u escapes in a group name, undone, so that names compare. */
function unescapeName(n) {
	return n.replace(/\\u\{([0-9a-fA-F]+)\}|\\u([0-9a-fA-F]{4})/g,
	    (m, a, b) => (a !== undefined ? (parseInt(a, 16) < 0x110000 ?
	    String.fromCodePoint(parseInt(a, 16)) : m) :
	    String.fromCharCode(parseInt(b, 16))));
}

/*
 * The name as V8 should be asked about it.  rta has no Unicode tables and
 * takes any non-ASCII character but \s (and, first, ZWNJ and ZWJ) in a
 * name, as rta_regex.h says; such a character that is not ID_Start (or
 * ID_Continue after the first) is asked as a letter that is.
 */
function v8Name(raw) {
	const n = Array.from(unescapeName(raw));
	let changed = false;

	for (let i = 0; i < n.length; i++) {
		const c = cp(n[i]);

		if (c < 0x80 || isSpace(c) || (c >= 0xd800 && c <= 0xdfff) ||
		    (i === 0 && (c === 0x200c || c === 0x200d)))
			continue;
		if (/^\p{ID_Start}$/u.test(n[i]) || (i > 0 &&
		    (/^\p{ID_Continue}$/u.test(n[i]) || c === 0x200c ||
		    c === 0x200d)))
			continue;
		n[i] = '\u01c2';
		changed = true;
	}
	return changed ? n.join('') : raw;
}

/*
 * Walk the pattern the way V8 reads it, far enough to find the features
 * rta leaves out.  Returns the pattern to ask V8 (modifiers as (?:, a
 * well-formed \p{...} as \p{L}), whether such a feature was seen, and
 * whether a group name repeats.
 */
function scan(p) {
	let q = '', unsup = false, inClass = false, i = 0;
	const names = new Set();
	let dup = false;

	while (i < p.length) {
		const c = p[i], rest = p.slice(i);
		let m;

		if (c === '\\') {
			const d = p[i + 1];

			if (d === undefined) {
				q += c;
				i++;
				continue;
			}
			if (!inClass && /[1-9k]/.test(d))
				unsup = true;
			if ((m = /^\\[pP]\{[A-Za-z_]+(=[A-Za-z0-9_]+)?\}/.
			    exec(rest)) !== null) {
				unsup = true;
				q += '\\p{L}';
				i += m[0].length;
				continue;
			}
			q += c + d;
			i += 2;
			continue;
		}
		if (inClass) {
			inClass = c !== ']';
		} else if (c === '[') {
			inClass = true;
		} else if (/^\(\?(=|!|<=|<!)/.test(rest)) {
			unsup = true;
		} else if ((m = /^\(\?([ims]*)(?:-([ims]*))?:/.exec(rest)) !==
		    null && m[0] !== '(?:') {
			const f = m[1] + (m[2] || '');

			if (new Set(f).size === f.length && f.length > 0) {
				unsup = true;
				q += '(?:';
				i += m[0].length;
				continue;
			}
		} else if ((m = /^\(\?<([^>]*)>/.exec(rest)) !== null) {
			const n = unescapeName(m[1]);

			if (names.has(n))
				dup = true;
			names.add(n);
			q += '(?<' + v8Name(m[1]) + '>';
			i += m[0].length;
			continue;
		}
		q += c;
		i++;
	}
	return { q, unsup, dup };
}

/* Invalid UTF-8 pieces, as rta reads them: one U+FFFD a byte. */
const BAD_BYTES = [[0x80], [0xbf], [0xc0, 0xaf], [0xff], [0xfe],
	[0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf8, 0x88, 0x80],
	[0xe2, 0x82, 0x61], [0xf0, 0x9f, 0x98, 0x20], [0xc3, 0x41]];

/*
 * A subject as { bytes, str }: the UTF-8 rta gets and the string V8
 * gets.  Each bad piece is followed by ASCII or ends the subject, so it
 * cannot join its neighbours into a valid sequence.
 */
function subject(s, bad) {
	const cps = Array.from(s);
	const bytes = [];
	let str = '';

	for (let i = 0; i <= cps.length; i++) {
		if (bad && chance(15)) {
			const b = pick(BAD_BYTES);
			const n = b[b.length - 1] < 0x80 ? b.length - 1 :
			    b.length;

			bytes.push(...b);
			str += '\ufffd'.repeat(n) +
			    (n < b.length ? ch(b[n]) : '');
		}
		if (i < cps.length) {
			bytes.push(...Buffer.from(cps[i], 'utf8'));
			str += cps[i];
		}
	}
	return { bytes: Buffer.from(bytes), str };
}

function randomString(max) {
	let s = '', n = rint(max + 1);

	while (n-- > 0)
		s += pick(POOL);
	return s;
}

/* One edit of s, by code point. */
function editString(s) {
	const a = Array.from(s);
	const at = rint(a.length + 1);

	if (a.length > 0 && chance(50))
		a.splice(Math.min(at, a.length - 1), 1);
	else
		a.splice(at, 0, pick(POOL));
	return a.join('');
}

function clip(s, max) {
	return Array.from(s).slice(0, max).join('');
}

/*
 * The P line of src and, if V8 accepts it, S lines.  Subjects are cut
 * short for a risky pattern (a repeated group, or an edit that may have
 * made one), which V8 might otherwise take long to try.
 */
function emit(src, tree, risky, extra) {
	const sc = scan(src);
	let ok = true, re = null, sticky = null;

	try {
		re = new RegExp(sc.q, 'u');
		sticky = new RegExp(sc.q, 'uy');
	} catch (e) {
		ok = false;
	}
	if (sc.dup)
		ok = false;
	out('P ' + utf8hex(src) + ' ' + (ok ? 'ok' : 'bad') + ' ' +
	    (sc.unsup ? 'unsup' : 'plain'));
	if (!ok || sc.unsup)
		return;
	const subjects = [''].concat(extra || []);

	for (let k = 0; k < 9; k++) {
		let s;

		if (tree !== null && k < 6) {
			s = tree.sample();
			if (k >= 3)
				s = editString(s);
			if (chance(30))
				s = randomString(3) + s + randomString(3);
		} else
			s = randomString(12);
		subjects.push(clip(s, risky ? 10 : 40));
	}
	for (const s of subjects) {
		const sub = subject(s, chance(20));
		const m = test(re, sticky, sub.str);

		if (m !== null)
			out('S ' + sub.bytes.toString('hex') + ' ' + m);
	}
}

/* Is index i of s between the two halves of a surrogate pair? */
function insidePair(s, i) {
	return i > 0 && i < s.length && (s.charCodeAt(i - 1) & 0xfc00) ===
	    0xd800 && (s.charCodeAt(i) & 0xfc00) === 0xdc00;
}

/*
 * Does re match s?  V8 (as of Node 20) also tries the positions inside a
 * surrogate pair, where ECMA-262 with the u flag never starts a match:
 * /\B/u matches "0\u{1F600}y" at index 2.  A match found there is tried
 * again at each code point with the sticky copy of re.
 */
function v8test(re, sticky, s) {
	const m = re.exec(s);

	if (m === null)
		return 0;
	if (!insidePair(s, m.index))
		return 1;
	for (let i = 0; i <= s.length; i++) {
		sticky.lastIndex = i;
		if (!insidePair(s, i) && sticky.test(s))
			return 1;
	}
	return 0;
}

/*
 * v8test() as 1 or 0, or null if V8 takes more than a moment: it
 * backtracks, and some patterns here, like (a*)*b, take it exponential
 * time.  Such a subject is left out.
 */
const sandbox = vm.createContext({ v8test, re: null, sticky: null, s: '' });
const testScript = new vm.Script('v8test(re, sticky, s)');

function test(re, sticky, s) {
	sandbox.re = re;
	sandbox.sticky = sticky;
	sandbox.s = s;
	try {
		return testScript.runInContext(sandbox, { timeout: 2000 });
	} catch (e) {
		if (e.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT')
			return null;
		throw e;
	}
}

let count = 0;

for (const p of FIXED) {
	if (typeof p === 'string')
		emit(p, null, true);
	else
		emit(p[0], null, true, p.slice(1));
	count++;
}
while (count < N_PATTERNS) {
	let tree = disjunction(0), src = tree.src;

	if (tree.size > 2000)
		continue;
	if (chance(6)) {
		const u = unsupportedTerm();

		src = chance(50) ? u + src : src + u;
	}
	let risky = tree.risky;

	if (chance(25)) {
		src = mutate(src);
		risky = true;
		if (chance(50))
			tree = null;
	}
	emit(src, tree, risky);
	count++;
}
out('E ' + count);
flush();
