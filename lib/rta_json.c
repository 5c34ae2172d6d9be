/*
 * rta_json.c: a single-pass JSON parser that writes typed values.
 *
 * Speed comes from three things: strings are copied in runs found sixteen
 * bytes at a time (one SSE2 compare finds '"', '\\', control bytes and
 * non-ASCII together); numbers take Clinger's exact fast path (at most 19
 * significant digits, a power of ten up to 22, mantissa below 2^53) and
 * fall back to strtod only otherwise, so results are always correctly
 * rounded; and nothing is built but the output encoding itself.
 *
 * Safety: recursion depth is bounded by max_depth before each descent;
 * duplicate keys are found by pairwise comparison in small objects and by a
 * seeded hash table in large ones, so no input makes the check quadratic.
 * The parser never reads past j->end.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rta_hash.h"
#include "rta_json.h"
#include "rta_utf8.h"
#include "rta_value.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Entries on j->keys: where each open object's keys are in out. */
struct keyent {
	size_t		off;
	uint32_t	len;
	uint32_t	hash;	/* low bits of the seeded hash, once hashed */
};

void
rta_json_init(struct rta_json *j)
{
	memset(j, 0, sizeof(*j));
	j->max_depth = RTA_VALUE_MAX_DEPTH;
	j->max_members = RTA_VALUE_MAX_MEMBERS;
	rta_buf_init(&j->keys);
	rta_buf_init(&j->table);
}

void
rta_json_release(struct rta_json *j)
{
	if (j == NULL)
		return;
	rta_buf_release(&j->keys);
	rta_buf_release(&j->table);
}

void
rta_json_begin(struct rta_json *j, const void *s, size_t len,
    struct rta_error *err)
{
	j->start = j->p = s;
	j->end = j->start + len;
	j->err = err;
	j->keys.len = 0;
	j->table.len = 0;
}

int
rta_json_fail(struct rta_json *j, int code, const char *reason,
    const char *what)
{
	size_t off = (size_t)(j->p - j->start);

	if (j->p >= j->end)
		rta_error_set(j->err, code, reason, "%s at end of input",
		    what);
	else
		rta_error_set(j->err, code, reason, "%s at byte %zu", what,
		    off + 1);
	if (j->err != NULL)
		j->err->offset = off;
	return code;
}

static int
nomem(struct rta_json *j)
{
	return rta_json_fail(j, RTA_ENOMEM, "no-memory", "out of memory");
}

/* ---------------------------------------------------------------- strings */

/*
 * Advance over bytes that a string may hold as they are: printable ASCII
 * other than '"' and '\\', and whole valid UTF-8 sequences.  Stops at
 * anything else (or the end).
 */
static void
skip_plain(struct rta_json *j)
{
	const unsigned char *p = j->p, *end = j->end;

	for (;;) {
#if defined(__SSE2__)
		const __m128i q = _mm_set1_epi8('"'),
		    bs = _mm_set1_epi8('\\'), lim = _mm_set1_epi8(0x20);

		while (end - p >= 16) {
			__m128i c = _mm_loadu_si128((const __m128i *)p);
			/* signed compare: catches both < 0x20 and >= 0x80 */
			__m128i m = _mm_or_si128(_mm_or_si128(
			    _mm_cmpeq_epi8(c, q), _mm_cmpeq_epi8(c, bs)),
			    _mm_cmplt_epi8(c, lim));
			int mask = _mm_movemask_epi8(m);

			if (mask != 0) {
				p += __builtin_ctz((unsigned)mask);
				break;
			}
			p += 16;
		}
#endif
		while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' &&
		    *p != '\\')
			p++;
		if (p < end && *p >= 0x80) {
			size_t n = rta_utf8_seqlen(p, (size_t)(end - p));

			if (n == 0)
				break;
			p += n;
			continue;
		}
		break;
	}
	j->p = p;
}

static int
hex4(const unsigned char *p, uint32_t *v)
{
	uint32_t r = 0;
	int i;

	for (i = 0; i < 4; i++) {
		unsigned char c = p[i];

		r <<= 4;
		if (c >= '0' && c <= '9')
			r |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			r |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			r |= (uint32_t)(c - 'A' + 10);
		else
			return -1;
	}
	*v = r;
	return 0;
}

/* At '\\': decode one escape into out and advance past it. */
static int
escape(struct rta_json *j, struct rta_buf *out)
{
	unsigned char u[4];
	uint32_t cp, lo;
	int c;

	if (j->end - j->p < 2) {
		j->p = j->end;
		return rta_json_fail(j, RTA_EDATA, "bad-json",
		    "unterminated string");
	}
	c = j->p[1];
	switch (c) {
	case '"': case '\\': case '/':
		j->p += 2;
		return rta_buf_addc(out, c) == 0 ? RTA_OK : nomem(j);
	case 'b': c = '\b'; break;
	case 'f': c = '\f'; break;
	case 'n': c = '\n'; break;
	case 'r': c = '\r'; break;
	case 't': c = '\t'; break;
	case 'u':
		if (j->end - j->p < 6 || hex4(j->p + 2, &cp) != 0)
			return rta_json_fail(j, RTA_EDATA, "bad-json",
			    "bad \\u escape");
		if (cp >= 0xdc00 && cp <= 0xdfff)
			return rta_json_fail(j, RTA_EDATA, "bad-json",
			    "lone low surrogate in \\u escape");
		if (cp >= 0xd800 && cp <= 0xdbff) {
			if (j->end - j->p < 12 || j->p[6] != '\\' ||
			    j->p[7] != 'u' || hex4(j->p + 8, &lo) != 0 ||
			    lo < 0xdc00 || lo > 0xdfff)
				return rta_json_fail(j, RTA_EDATA, "bad-json",
				    "lone high surrogate in \\u escape");
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			j->p += 6;
		}
		if (cp == 0)
			return rta_json_fail(j, RTA_EDATA, "bad-json",
			    "\\u0000 is not allowed in strings");
		j->p += 6;
		return rta_buf_add(out, u, rta_utf8_encode(u, cp)) == 0 ?
		    RTA_OK : nomem(j);
	default:
		j->p++;
		return rta_json_fail(j, RTA_EDATA, "bad-json",
		    "bad escape in string");
	}
	j->p += 2;
	return rta_buf_addc(out, c) == 0 ? RTA_OK : nomem(j);
}

/* Cursor just after the opening quote: append the decoded contents to out
 * and leave the cursor after the closing quote. */
static int
string_body(struct rta_json *j, struct rta_buf *out)
{
	for (;;) {
		const unsigned char *run = j->p;
		int rc;

		skip_plain(j);
		if (j->p > run && rta_buf_add(out, run,
		    (size_t)(j->p - run)) != 0)
			return nomem(j);
		if (j->p >= j->end)
			return rta_json_fail(j, RTA_EDATA, "bad-json",
			    "unterminated string");
		if (*j->p == '"') {
			j->p++;
			return RTA_OK;
		}
		if (*j->p == '\\') {
			if ((rc = escape(j, out)) != RTA_OK)
				return rc;
			continue;
		}
		if (*j->p < 0x20)
			return rta_json_fail(j, RTA_EDATA, "bad-json",
			    "control character in string");
		return rta_json_fail(j, RTA_EDATA, "bad-utf8",
		    "invalid UTF-8 in string");
	}
}

int
rta_json_string(struct rta_json *j, struct rta_buf *scratch, const char **s,
    size_t *len, int *copied, size_t *scratch_off)
{
	const unsigned char *start = ++j->p;
	size_t off;
	int rc;

	skip_plain(j);
	if (j->p < j->end && *j->p == '"') {
		*s = (const char *)start;
		*len = (size_t)(j->p - start);
		*copied = 0;
		j->p++;
		return RTA_OK;
	}
	off = scratch->len;
	if (rta_buf_add(scratch, start, (size_t)(j->p - start)) != 0)
		return nomem(j);
	if ((rc = string_body(j, scratch)) != RTA_OK)
		return rc;
	*s = (const char *)scratch->data + off;
	*len = scratch->len - off;
	*copied = 1;
	*scratch_off = off;
	return RTA_OK;
}

/* ---------------------------------------------------------------- numbers */

static const double pow10tab[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

static int
isdig(const unsigned char *p, const unsigned char *end)
{
	return p < end && *p >= '0' && *p <= '9';
}

int
rta_json_number(struct rta_json *j, struct rta_json_num *n)
{
	const unsigned char *p = j->p, *end = j->end, *start = j->p;
	uint64_t m = 0;
	int neg = 0, sig = 0, trunc = 0, is_int = 1;
	long e10 = 0, ex = 0;

	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (!isdig(p, end)) {
		j->p = p;
		return rta_json_fail(j, RTA_EDATA, "bad-json",
		    "bad number");
	}
	if (*p == '0') {
		p++;
	} else {
		while (isdig(p, end)) {
			if (sig < 19) {
				m = m * 10 + (uint64_t)(*p - '0');
				sig++;
			} else {
				trunc = 1;
				e10++;
			}
			p++;
		}
	}
	if (p < end && *p == '.') {
		is_int = 0;
		p++;
		if (!isdig(p, end)) {
			j->p = p;
			return rta_json_fail(j, RTA_EDATA, "bad-json",
			    "expected digits after '.'");
		}
		while (isdig(p, end)) {
			if (m == 0 && *p == '0') {
				e10--;		/* leading zero: no significance */
			} else if (sig < 19) {
				m = m * 10 + (uint64_t)(*p - '0');
				sig++;
				e10--;
			} else
				trunc = 1;
			p++;
		}
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		int eneg = 0;

		is_int = 0;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		if (!isdig(p, end)) {
			j->p = p;
			return rta_json_fail(j, RTA_EDATA, "bad-json",
			    "expected digits in exponent");
		}
		while (isdig(p, end)) {
			if (ex < 100000)
				ex = ex * 10 + (*p - '0');
			p++;
		}
		e10 += eneg ? -ex : ex;
	}
	n->text = (const char *)start;
	n->len = (size_t)(p - start);
	j->p = p;
	if (is_int && !trunc && !(neg && m == 0)) {
		if (!neg && m <= INT64_MAX) {
			n->is_int = 1;
			n->i = (int64_t)m;
			n->d = (double)m;
			return RTA_OK;
		}
		if (neg && m <= (uint64_t)INT64_MAX + 1) {
			n->is_int = 1;
			n->i = m == (uint64_t)INT64_MAX + 1 ? INT64_MIN :
			    -(int64_t)m;
			n->d = -(double)m;
			return RTA_OK;
		}
	}
	if (is_int && !(neg && m == 0)) {
		j->p = start;
		return rta_json_fail(j, RTA_EDATA, "bad-json",
		    "integer out of range");
	}
	n->is_int = 0;
	if (!trunc && m <= (1ULL << 53) && e10 >= -22 && e10 <= 22) {
		double d = (double)m;

		d = e10 < 0 ? d / pow10tab[-e10] : d * pow10tab[e10];
		n->d = neg ? -d : d;
		return RTA_OK;
	}
	if (m == 0 && !trunc) {
		n->d = neg ? -0.0 : 0.0;
		return RTA_OK;
	}
	{
		char small[64], *buf = small;
		double d;

		if (n->len >= sizeof(small) &&
		    (buf = malloc(n->len + 1)) == NULL)
			return nomem(j);
		memcpy(buf, start, n->len);
		buf[n->len] = '\0';
		errno = 0;
		d = strtod(buf, NULL);
		if (buf != small)
			free(buf);
		if (!isfinite(d)) {
			j->p = start;
			return rta_json_fail(j, RTA_EDATA, "bad-json",
			    "number out of range");
		}
		n->d = d;
	}
	return RTA_OK;
}

/* --------------------------------------------------------------- objects */

static uint32_t
key_hash(const unsigned char *k, uint32_t len)
{
	return (uint32_t)rta_hash64(k, len, rta_hash_seed()) | 1;
}

/*
 * The table of the innermost large object sits at the top of j->table:
 * a u32 slot count, then slots holding key index + 1 (0 is empty).
 */
static int
table_insert(struct rta_json *j, size_t tbase, struct keyent *keys,
    uint32_t idx, const unsigned char *outdata)
{
	uint32_t nslots = rta_get_u32(j->table.data + tbase);
	unsigned char *slots = j->table.data + tbase + 4;
	uint32_t h = keys[idx].hash, i = h & (nslots - 1);

	for (;;) {
		uint32_t v = rta_get_u32(slots + 4 * i);
		struct keyent *o;

		if (v == 0) {
			rta_put_u32(slots + 4 * i, idx + 1);
			return 0;
		}
		o = &keys[v - 1];
		if (o->hash == h && o->len == keys[idx].len &&
		    memcmp(outdata + o->off, outdata + keys[idx].off,
		    o->len) == 0)
			return 1;
		i = (i + 1) & (nslots - 1);
	}
}

static int
table_build(struct rta_json *j, size_t tbase, uint32_t nslots,
    struct keyent *keys, uint32_t count, const unsigned char *outdata)
{
	uint32_t i;

	j->table.len = tbase;
	if (rta_buf_reserve(&j->table, 4 + 4 * (size_t)nslots) != 0)
		return -1;
	rta_put_u32(j->table.data + tbase, nslots);
	memset(j->table.data + tbase + 4, 0, 4 * (size_t)nslots);
	j->table.len = tbase + 4 + 4 * (size_t)nslots;
	for (i = 0; i < count; i++) {
		if (keys[i].hash == 0)
			keys[i].hash = key_hash(outdata + keys[i].off,
			    keys[i].len);
		(void)table_insert(j, tbase, keys, i, outdata);
	}
	return 0;
}

static int
object(struct rta_json *j, struct rta_buf *out, unsigned depth)
{
	size_t off, kbase, tbase = j->table.len;
	uint32_t count = 0, nslots = 0;
	int rc;

	if ((off = rta_venc_begin(out, RTA_V_OBJECT)) == (size_t)-1)
		return nomem(j);
	j->p++;
	rta_json_ws(j);
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		rta_venc_end(out, off, 0);
		return RTA_OK;
	}
	kbase = j->keys.len;
	for (;;) {
		struct keyent ke, *keys;
		size_t lenpos;
		uint32_t i;

		if (j->p >= j->end || *j->p != '"')
			return rta_json_fail(j, RTA_EDATA, "bad-json",
			    "expected a string key");
		if (count >= j->max_members)
			return rta_json_fail(j, RTA_ELIMIT, "too-many-members",
			    "too many object members");
		lenpos = out->len;
		if (rta_buf_add_u32(out, 0) != 0)
			return nomem(j);
		j->p++;
		if ((rc = string_body(j, out)) != RTA_OK)
			return rc;
		ke.off = lenpos + 4;
		ke.len = (uint32_t)(out->len - ke.off);
		ke.hash = 0;
		rta_put_u32(out->data + lenpos, ke.len);
		if (rta_buf_add(&j->keys, &ke, sizeof(ke)) != 0)
			return nomem(j);
		keys = (struct keyent *)(void *)(j->keys.data + kbase);
		if (count < 16) {
			for (i = 0; i < count; i++)
				if (keys[i].len == ke.len &&
				    memcmp(out->data + keys[i].off,
				    out->data + ke.off, ke.len) == 0)
					goto dup;
		} else {
			if (nslots == 0 || (count + 1) * 2 > nslots) {
				nslots = nslots == 0 ? 64 : nslots * 2;
				if (table_build(j, tbase, nslots, keys, count,
				    out->data) != 0)
					return nomem(j);
			}
			keys[count].hash = key_hash(out->data + ke.off,
			    ke.len);
			if (table_insert(j, tbase, keys, count, out->data))
				goto dup;
		}
		count++;
		rta_json_ws(j);
		if (j->p >= j->end || *j->p != ':')
			return rta_json_fail(j, RTA_EDATA, "bad-json",
			    "expected ':' after key");
		j->p++;
		rta_json_ws(j);
		if ((rc = rta_json_value(j, out, depth + 1)) != RTA_OK)
			return rc;
		rta_json_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			rta_json_ws(j);
			continue;
		}
		if (j->p < j->end && *j->p == '}') {
			j->p++;
			break;
		}
		return rta_json_fail(j, RTA_EDATA, "bad-json",
		    "expected ',' or '}' in object");
	}
	j->keys.len = kbase;
	j->table.len = tbase;
	rta_venc_end(out, off, count);
	return RTA_OK;
dup:
	j->p--;
	return rta_json_fail(j, RTA_EDATA, "duplicate-key",
	    "duplicate object key");
}

static int
array(struct rta_json *j, struct rta_buf *out, unsigned depth)
{
	size_t off;
	uint32_t count = 0;
	int rc;

	if ((off = rta_venc_begin(out, RTA_V_ARRAY)) == (size_t)-1)
		return nomem(j);
	j->p++;
	rta_json_ws(j);
	if (j->p < j->end && *j->p == ']') {
		j->p++;
		rta_venc_end(out, off, 0);
		return RTA_OK;
	}
	for (;;) {
		if ((rc = rta_json_value(j, out, depth + 1)) != RTA_OK)
			return rc;
		if (count == UINT32_MAX)
			return rta_json_fail(j, RTA_ELIMIT, "too-large",
			    "array too long");
		count++;
		rta_json_ws(j);
		if (j->p < j->end && *j->p == ',') {
			j->p++;
			rta_json_ws(j);
			continue;
		}
		if (j->p < j->end && *j->p == ']') {
			j->p++;
			break;
		}
		return rta_json_fail(j, RTA_EDATA, "bad-json",
		    "expected ',' or ']' in array");
	}
	rta_venc_end(out, off, count);
	return RTA_OK;
}

static int
literal(struct rta_json *j, const char *word, size_t n)
{
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, word, n) != 0)
		return rta_json_fail(j, RTA_EDATA, "bad-json",
		    "invalid literal");
	j->p += n;
	return RTA_OK;
}

int
rta_json_value(struct rta_json *j, struct rta_buf *out, unsigned depth)
{
	struct rta_json_num num;
	size_t lenpos;
	int rc;

	if (j->p >= j->end)
		return rta_json_fail(j, RTA_EDATA, "bad-json",
		    "expected a value");
	switch (*j->p) {
	case '"':
		lenpos = out->len;
		if (rta_buf_reserve(out, 5) != 0)
			return nomem(j);
		out->data[out->len] = RTA_V_STRING;
		out->len += 5;
		j->p++;
		if ((rc = string_body(j, out)) != RTA_OK)
			return rc;
		rta_put_u32(out->data + lenpos + 1,
		    (uint32_t)(out->len - lenpos - 5));
		return RTA_OK;
	case '{':
	case '[':
		if (depth >= j->max_depth)
			return rta_json_fail(j, RTA_ELIMIT, "too-deep",
			    "nesting too deep");
		return *j->p == '{' ? object(j, out, depth) :
		    array(j, out, depth);
	case 't':
		if ((rc = literal(j, "true", 4)) != RTA_OK)
			return rc;
		return rta_venc_bool(out, 1) == 0 ? RTA_OK : nomem(j);
	case 'f':
		if ((rc = literal(j, "false", 5)) != RTA_OK)
			return rc;
		return rta_venc_bool(out, 0) == 0 ? RTA_OK : nomem(j);
	case 'n':
		if ((rc = literal(j, "null", 4)) != RTA_OK)
			return rc;
		return rta_venc_null(out) == 0 ? RTA_OK : nomem(j);
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		if ((rc = rta_json_number(j, &num)) != RTA_OK)
			return rc;
		if (num.is_int)
			rc = rta_venc_int(out, num.i);
		else
			rc = rta_venc_number(out, num.d, num.text, num.len);
		return rc == 0 ? RTA_OK : nomem(j);
	default:
		return rta_json_fail(j, RTA_EDATA, "bad-json",
		    "unexpected character");
	}
}

int
rta_json_document(struct rta_json *j, const void *s, size_t len,
    struct rta_buf *out, struct rta_error *err)
{
	int rc;

	rta_json_begin(j, s, len, err);
	rta_json_ws(j);
	if ((rc = rta_json_value(j, out, 0)) != RTA_OK)
		return rc;
	rta_json_ws(j);
	if (j->p != j->end)
		return rta_json_fail(j, RTA_EDATA, "bad-json",
		    "unexpected text after the JSON value");
	return RTA_OK;
}
