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


void
rta_json_init(struct rta_json *j)
{
	memset(j, 0, sizeof(*j));
	j->max_depth = RTA_VALUE_MAX_DEPTH;
	j->max_members = RTA_VALUE_MAX_MEMBERS;
	rta_buf_init(&j->table);
}

void
rta_json_release(struct rta_json *j)
{
	if (j == NULL)
		return;
	rta_buf_release(&j->table);
}

void
rta_json_begin(struct rta_json *j, const void *s, size_t len,
    struct rta_error *err)
{
	j->start = j->p = s;
	j->end = j->start + len;
	j->err = err;
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
 * anything else (or the end).  With a padded input (j->padded: sixteen
 * readable bytes after j->end) the vector loop runs to the very end,
 * treating lanes past it as stops, so short strings near the end of a
 * line take no scalar path.
 */
static void
skip_plain(struct rta_json *j)
{
	const unsigned char *p = j->p, *end = j->end;

	for (;;) {
#if defined(__SSE2__)
		const __m128i q = _mm_set1_epi8('"'),
		    bs = _mm_set1_epi8('\\'), lim = _mm_set1_epi8(0x20);

		while (j->padded ? p < end : end - p >= 16) {
			__m128i c = _mm_loadu_si128((const __m128i *)p);
			/* signed compare: catches both < 0x20 and >= 0x80 */
			__m128i m = _mm_or_si128(_mm_or_si128(
			    _mm_cmpeq_epi8(c, q), _mm_cmpeq_epi8(c, bs)),
			    _mm_cmplt_epi8(c, lim));
			unsigned mask = (unsigned)_mm_movemask_epi8(m);

			if (end - p < 16)
				mask |= ~0U << (end - p);
			if (mask != 0) {
				p += __builtin_ctz(mask);
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

/*
 * Most keys and many values are short plain strings.  With a padded input,
 * one vector at the cursor (just after the opening quote) shows whether
 * the closing quote comes within sixteen bytes with nothing before it that
 * needs a closer look; if so the vector is stored at dst whole (the caller
 * reserved sixteen bytes) and the length returned, else -1 and the general
 * path runs.  It saves the layers of calls a string costs otherwise.
 */
static inline int
short_plain(struct rta_json *j, unsigned char *dst)
{
#if defined(__SSE2__)
	__m128i c;
	unsigned quote, other;
	int k;

	if (!j->padded)
		return -1;
	c = _mm_loadu_si128((const __m128i *)j->p);
	quote = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(c,
	    _mm_set1_epi8('"')));
	other = (unsigned)_mm_movemask_epi8(_mm_or_si128(
	    _mm_cmpeq_epi8(c, _mm_set1_epi8('\\')),
	    _mm_cmplt_epi8(c, _mm_set1_epi8(0x20))));
	if (quote == 0)
		return -1;
	k = __builtin_ctz(quote);
	if ((other & ((1U << k) - 1)) != 0 || j->end - j->p <= k)
		return -1;
	_mm_storeu_si128((__m128i *)dst, c);
	return k;
#else
	(void)j;
	(void)dst;
	return -1;
#endif
}

/* Append the n bytes at src (inside the input) to out. */
static int
copy_run(struct rta_json *j, struct rta_buf *out, const unsigned char *src,
    size_t n)
{
#if defined(__SSE2__)
	if (j->padded) {
		unsigned char *d;
		size_t i;

		/* whole vectors: the input is padded, the output reserved */
		if (rta_buf_reserve(out, n + 16) != 0)
			return -1;
		d = out->data + out->len;
		for (i = 0; i < n; i += 16)
			_mm_storeu_si128((__m128i *)(d + i),
			    _mm_loadu_si128((const __m128i *)(src + i)));
		out->len += n;
		return 0;
	}
#endif
	(void)j;
	return rta_buf_add(out, src, n);
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
		if (j->p > run && copy_run(j, out, run,
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

int
rta_json_plain_string(struct rta_json *j, const char **s, size_t *len)
{
	const unsigned char *start = j->p + 1;

	if (j->p >= j->end || *j->p != '"')
		return 0;
	j->p = start;
	skip_plain(j);
	if (j->p < j->end && *j->p == '"') {
		*s = (const char *)start;
		*len = (size_t)(j->p - start);
		j->p++;
		return 1;
	}
	j->p = start - 1;
	return 0;
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
	int neg = 0, sig = 0, trunc = 0, is_int = 1, huge = 0;
	long e10 = 0, ex = 0;

	/* defined on every path, errors included (and GCC can tell) */
	n->is_int = 0;
	n->i = 0;
	n->d = 0;
	n->text = (const char *)start;
	n->len = 0;

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
			else
				huge = 1;	/* strtod will judge it */
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
	if (!trunc && !huge && m <= (1ULL << 53) && e10 >= -22 && e10 <= 22) {
		double d = (double)m;

		d = e10 < 0 ? d / pow10tab[-e10] : d * pow10tab[e10];
		n->d = neg ? -d : d;
		return RTA_OK;
	}
	if (m == 0 && !trunc) {
		/* zero whatever the exponent: 0e999999 is 0 */
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

/*
 * Duplicate keys.  A key is compared with earlier ones only when a 64-bit
 * filter on (length, first and last byte) says it might equal one, and a
 * small object then walks its members already encoded in out.  From 16
 * members on, a hash table seeded per process holds the keys' offsets (one
 * table per open large object, stacked on j->table), so no input makes the
 * check quadratic.
 */
static uint64_t
key_bit(const unsigned char *k, uint32_t n)
{
	return n == 0 ? 1 : 1ULL << ((n * 7 + k[0] * 3 + k[n - 1]) & 63);
}

/* Among the first count members of the object at obj, is there key k? */
static int
small_has_key(const unsigned char *obj, uint32_t count, const unsigned char *k,
    uint32_t n)
{
	const unsigned char *p = obj + 9;
	uint32_t i;

	for (i = 0; i < count; i++) {
		uint32_t kl = rta_get_u32(p);

		if (kl == n && memcmp(p + 4, k, n) == 0)
			return 1;
		p += 4 + kl;
		p += rta_value_size(p);
	}
	return 0;
}

/*
 * The table at j->table.data + tbase: u32 slot count (a power of two),
 * then slots of u32 key offset from obj plus one (0: empty).  Insert the
 * key at obj + koff; 1 if an equal key is there already.
 */
static int
table_insert(struct rta_json *j, size_t tbase, const unsigned char *obj,
    uint32_t koff)
{
	unsigned char *t = j->table.data + tbase;
	uint32_t nslots = rta_get_u32(t), n = rta_get_u32(obj + koff);
	const unsigned char *k = obj + koff + 4;
	uint32_t i = (uint32_t)rta_hash64(k, n, rta_hash_seed()) &
	    (nslots - 1);

	for (;;) {
		uint32_t v = rta_get_u32(t + 4 + 4 * (size_t)i);

		if (v == 0) {
			rta_put_u32(t + 4 + 4 * (size_t)i, koff + 1);
			return 0;
		}
		if (rta_get_u32(obj + v - 1) == n &&
		    memcmp(obj + v - 1 + 4, k, n) == 0)
			return 1;
		i = (i + 1) & (nslots - 1);
	}
}

static int
table_build(struct rta_json *j, size_t tbase, uint32_t nslots,
    const unsigned char *obj, uint32_t count)
{
	const unsigned char *p = obj + 9;
	uint32_t i;

	j->table.len = tbase;
	if (rta_buf_reserve(&j->table, 4 + 4 * (size_t)nslots) != 0)
		return -1;
	rta_put_u32(j->table.data + tbase, nslots);
	memset(j->table.data + tbase + 4, 0, 4 * (size_t)nslots);
	j->table.len = tbase + 4 + 4 * (size_t)nslots;
	for (i = 0; i < count; i++) {
		uint32_t kl = rta_get_u32(p);

		(void)table_insert(j, tbase, obj, (uint32_t)(p - obj));
		p += 4 + kl;
		p += rta_value_size(p);
	}
	return 0;
}

int
rta_json_member_end(struct rta_json *j)
{
	rta_json_ws(j);
	if (j->p < j->end && *j->p == ',') {
		j->p++;
		rta_json_ws(j);
		return 1;
	}
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		return 0;
	}
	rta_json_fail(j, RTA_EDATA, "bad-json",
	    "expected ',' or '}' in object");
	return -1;
}

static int
object(struct rta_json *j, struct rta_buf *out, unsigned depth)
{
	size_t off, tbase = j->table.len;
	uint32_t count = 0, nslots = 0;
	uint64_t seen = 0;
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
	for (;;) {
		size_t lenpos;
		uint32_t klen;
		const unsigned char *kp;

		if (j->p >= j->end || *j->p != '"')
			return rta_json_fail(j, RTA_EDATA, "bad-json",
			    "expected a string key");
		if (count >= j->max_members)
			return rta_json_fail(j, RTA_ELIMIT, "too-many-members",
			    "too many object members");
		lenpos = out->len;
		if (rta_buf_reserve(out, 4 + 16) != 0)
			return nomem(j);
		out->len += 4;
		j->p++;
		if ((rc = short_plain(j, out->data + out->len)) >= 0) {
			out->len += (size_t)rc;
			j->p += rc + 1;
		} else if ((rc = string_body(j, out)) != RTA_OK)
			return rc;
		klen = (uint32_t)(out->len - lenpos - 4);
		rta_put_u32(out->data + lenpos, klen);
		kp = out->data + lenpos + 4;
		if (count < 16) {
			uint64_t bit = key_bit(kp, klen);

			if ((seen & bit) != 0 &&
			    small_has_key(out->data + off, count, kp, klen))
				goto dup;
			seen |= bit;
		} else {
			if (nslots == 0 || (count + 1) * 2 > nslots) {
				nslots = nslots == 0 ? 64 : nslots * 2;
				if (table_build(j, tbase, nslots,
				    out->data + off, count) != 0)
					return nomem(j);
			}
			if (table_insert(j, tbase, out->data + off,
			    (uint32_t)(lenpos - off)))
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
		if ((rc = rta_json_member_end(j)) < 0)
			return j->err != NULL ? j->err->code : RTA_EDATA;
		if (rc == 0)
			break;
	}
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
		if (rta_buf_reserve(out, 5 + 16) != 0)
			return nomem(j);
		out->data[out->len] = RTA_V_STRING;
		out->len += 5;
		j->p++;
		if ((rc = short_plain(j, out->data + out->len)) >= 0) {
			rta_put_u32(out->data + lenpos + 1, (uint32_t)rc);
			out->len += (size_t)rc;
			j->p += rc + 1;
			return RTA_OK;
		}
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
