/*
 * rta_regex.c: ECMAScript (u flag) regular expressions, searched by a lazy
 * DFA in time linear in the subject.
 *
 * Three stages.  A recursive-descent parser follows the ECMA-262 grammar
 * in [UnicodeMode] and builds a small tree; character sets are sorted
 * lists of code point ranges.  The tree becomes a Thompson NFA (SET,
 * SPLIT, JMP, ASSERT, MATCH) with counted repetitions written out as
 * copies; the size is computed first, so (a{1000}){1000} fails before
 * anything large is allocated.  Last, the code points are cut into
 * classes: two code points share a class when every set of the program
 * (and \w, when \b or \B is used) holds both or neither.  A 128-entry
 * table classifies ASCII, a binary search the rest.
 *
 * The search walks a DFA whose states are made on first use.  A state is
 * the sorted list of NFA "leaves" reached by the input so far: SET
 * instructions waiting for a code point, and the assertions ($, \b, \B)
 * that cannot be decided before the next code point is known.  A step
 * first finishes the closure now that the next code point is known, then
 * consumes it, then follows the epsilon edges from the targets as far as
 * they go without knowing the one after.  ^ is decided in the closures
 * (only the initial state is at the start).  The unanchored search adds
 * the start of the program again after every code point, unless no path
 * from there gets past a ^; then a state can become empty, which ends the
 * search.  Reaching MATCH ends it too, so ^https?:// reads a few bytes.
 *
 * The states live in a cache of at most cache_max bytes.  When it is full
 * it is emptied and the search goes on from the state in hand.  If not
 * even one state fits (or memory runs out), the search goes on stepping
 * sets of leaves without keeping them: the same code, without the cache.
 * Compile allocates all the scratch a step needs, so a search never fails.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_err.h"
#include "rta_regex.h"
#include "rta_utf8.h"

#define CP_LIMIT	0x110000U	/* one past the last code point */
#define NONE		UINT32_MAX
#define INF		UINT32_MAX	/* a repetition without upper bound */
#define REFINE_MAX	(1U << 18)	/* work allowed for merging classes */

/* ------------------------------------------------------- parse tree */

enum ntype { N_EMPTY, N_SET, N_CAT, N_ALT, N_REP, N_ASSERT };
enum akind { A_BOL, A_EOL, A_WORD, A_NWORD };

struct node {
	uint32_t	type;
	uint32_t	arg;		/* N_SET: set; N_ASSERT: enum akind */
	uint32_t	child;		/* N_CAT, N_ALT, N_REP: first child */
	uint32_t	next;		/* next sibling or NONE */
	uint32_t	min, max;	/* N_REP */
	size_t		at;		/* offset in the pattern */
};

struct cset {
	uint32_t	off;		/* first range (lo, hi pair) in rng */
	uint32_t	n;		/* number of ranges */
};

/* A group name or a backreference. */
struct gname {
	size_t		 at;		/* offset of the group or reference */
	uint32_t	 off, len;	/* the name (UTF-8) in the name pool */
	uint32_t	 num;		/* \N: N; 0 for names */
	const unsigned char *p;		/* the name, once parsing is over */
};

enum { B_DOT, B_D, B_ND, B_W, B_NW, B_S, B_NS, B_COUNT };

struct parser {
	const unsigned char *pat;
	size_t		 len, pos;
	struct rta_error *err;
	int		 code;		/* of the error reported */

	struct node	*node;
	size_t		 nnode, node_cap;
	uint32_t	*rng;		/* lo, hi pairs */
	size_t		 nrng, rng_cap;	/* in pairs */
	struct cset	*set;
	size_t		 nset, set_cap;
	uint64_t	*cls;		/* lo << 32 | hi of the class at hand */
	size_t		 ncls, cls_cap;
	unsigned char	*name;		/* the names, UTF-8 */
	size_t		 nname, name_cap;
	struct gname	*grp;		/* named groups */
	size_t		 ngrp, grp_cap;
	struct gname	*ref;		/* backreferences */
	size_t		 nref, ref_cap;

	uint32_t	 builtin[B_COUNT];	/* sets made once */
	uint32_t	 lit[128];		/* sets of ASCII literals */
	uint32_t	 ncapture;
	int		 words;			/* \b or \B is used */
	int		 unsup;
	size_t		 unsup_at;
	char		 unsup_text[120];
	size_t		 big_at;		/* where the program got too big */
};

/* ------------------------------------------------------- programs */

enum op { OP_SET, OP_SPLIT, OP_JMP, OP_ASSERT, OP_MATCH };

struct inst {
	uint32_t	op;
	uint32_t	x;	/* SET: set; SPLIT, JMP: target; ASSERT: kind */
	uint32_t	y;	/* SPLIT: the other target */
};

/* Flags of a DFA state. */
#define F_START		1U	/* at the start of the input */
#define F_WORD		2U	/* the code point before is in \w */

/* Transitions: these, or the row of a state (T_FIRST + k * nec). */
#define T_UNKNOWN	0U
#define T_DEAD		1U
#define T_MATCH		2U
#define T_FIRST		3U
#define T_NOROOM	UINT32_MAX	/* the cache cannot take a state */
#define NO_LOOPS	UINT32_MAX	/* a row's loop column: no room */
#define LOOP_BYTES	32

struct dstate {
	uint32_t	off;	/* first leaf in the pool */
	uint32_t	n;	/* number of leaves, at least 1 */
	uint32_t	hash;
	uint8_t		flags;
	int8_t		end;	/* matches at the end: 1, 0, or -1 unknown */
};

struct rta_regex {
	struct inst	*prog;
	uint32_t	 nprog;
	struct cset	*set;
	uint32_t	 nset;
	uint32_t	*rng;
	uint32_t	 nrng;
	uint32_t	*bnd;		/* interval starts, ascending, bnd[0] 0 */
	uint32_t	*ivec;		/* interval -> class */
	uint32_t	 nb;
	uint32_t	 nec;		/* classes */
	uint32_t	*rep;		/* class -> a code point of it */
	uint8_t		*isword;	/* class -> in \w; NULL without \b \B */
	uint32_t	 ascii_ec[128];
	/*
	 * The class of every byte for the DFA: ASCII as ascii_ec, a byte
	 * of a multibyte sequence the extra column nec, whose transitions
	 * stay T_UNKNOWN; so the search tests one table per byte.
	 */
	uint32_t	 byte_ec[256];
	/*
	 * A row of trans: the nec classes, the never-filled column nec,
	 * at nec + 1 whether the state matches at the end of the subject
	 * (T_MATCH, T_DEAD, or T_UNKNOWN until asked), and at nec + 2 its
	 * state number plus one once loops holds the bytes that lead back
	 * to it (0 until then, and again when a new one is found).
	 */
	uint32_t	 width;
	int		 anchored;
	size_t		 base_mem;

	/* Step scratch, nprog entries each. */
	uint32_t	*mark;
	uint32_t	 gen;
	uint32_t	*stack, *list, *next, *cur;
	uint32_t	 nnext;		/* leaves in next after a transition */
	unsigned	 nextflags;

	/* The DFA cache. */
	size_t		 cache_max;
	uint32_t	 start;		/* row of the initial state or T_* */
	uint32_t	*trans;
	size_t		 tcap;
	struct dstate	*st;
	size_t		 scap, nst;
	uint32_t	*pool;
	size_t		 pcap, plen;
	uint32_t	*hash;		/* state + 1, or 0 for an empty slot */
	size_t		 hcap;
	/*
	 * Per state, LOOP_BYTES: a bit for each byte whose transition is
	 * known to lead back to the state.  A subject's runs of such bytes
	 * (a path's characters under [A-Za-z0-9/._-]*) are then skipped by
	 * testing bits, not by following the transitions one after the
	 * other, each waiting on the load before it.
	 */
	uint8_t		*loops;
	size_t		 lcap;
};

/* ------------------------------------------------------- sets */

static const uint32_t digit_r[] = { '0', '9' };
static const uint32_t word_r[] = { '0', '9', 'A', 'Z', '_', '_', 'a', 'z' };
/* ECMAScript's WhiteSpace and LineTerminator */
static const uint32_t space_r[] = {
	0x09, 0x0d, 0x20, 0x20, 0xa0, 0xa0, 0x1680, 0x1680, 0x2000, 0x200a,
	0x2028, 0x2029, 0x202f, 0x202f, 0x205f, 0x205f, 0x3000, 0x3000,
	0xfeff, 0xfeff
};
static const uint32_t lineterm_r[] = { 0x0a, 0x0a, 0x0d, 0x0d, 0x2028, 0x2029 };

#define NRANGES(a)	(sizeof(a) / sizeof((a)[0]) / 2)

/* 1 if cp is in the n sorted ranges r (lo, hi pairs). */
static int
in_ranges(const uint32_t *r, uint32_t n, uint32_t cp)
{
	uint32_t lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (r[2 * mid + 1] < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && r[2 * lo] <= cp;
}

static uint32_t
utf8_value(const unsigned char *p, size_t n)
{
	switch (n) {
	case 1:
		return p[0];
	case 2:
		return (uint32_t)(p[0] & 0x1f) << 6 | (p[1] & 0x3f);
	case 3:
		return (uint32_t)(p[0] & 0x0f) << 12 |
		    (uint32_t)(p[1] & 0x3f) << 6 | (p[2] & 0x3f);
	default:
		return (uint32_t)(p[0] & 0x07) << 18 |
		    (uint32_t)(p[1] & 0x3f) << 12 |
		    (uint32_t)(p[2] & 0x3f) << 6 | (p[3] & 0x3f);
	}
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Sort the leaves of a new state.  Lists are short and this runs only when
 * a state is made, but it must not allocate (qsort may), so: insertion
 * sort for short lists, heapsort for the rest.
 */
static void
sort_u32(uint32_t *a, uint32_t n)
{
	uint32_t i, j, k, c, v;

	if (n <= 24) {
		for (i = 1; i < n; i++) {
			v = a[i];
			for (j = i; j > 0 && a[j - 1] > v; j--)
				a[j] = a[j - 1];
			a[j] = v;
		}
		return;
	}
	for (i = n / 2; i-- > 0;)
		for (k = i; (c = 2 * k + 1) < n; k = c) {
			if (c + 1 < n && a[c + 1] > a[c])
				c++;
			if (a[k] >= a[c])
				break;
			v = a[k], a[k] = a[c], a[c] = v;
		}
	for (i = n - 1; i > 0; i--) {
		v = a[0], a[0] = a[i], a[i] = v;
		for (k = 0; (c = 2 * k + 1) < i; k = c) {
			if (c + 1 < i && a[c + 1] > a[c])
				c++;
			if (a[k] >= a[c])
				break;
			v = a[k], a[k] = a[c], a[c] = v;
		}
	}
}

/* ------------------------------------------------------- parser */

/*
 * arr with room for need more than n elements of sz bytes, moved if it
 * had to grow; NULL on failure (arr is then untouched).
 */
static void *
grow(void *arr, size_t *cap, size_t n, size_t need, size_t sz)
{
	size_t ncap;
	void *p;

	if (need <= *cap - n && arr != NULL)
		return arr;
	ncap = *cap < 8 ? 16 : *cap;
	while (ncap - n < need) {
		if (ncap > SIZE_MAX / 2)
			return NULL;
		ncap *= 2;
	}
	if ((p = rta_reallocarray(arr, ncap, sz)) == NULL)
		return NULL;
	*cap = ncap;
	return p;
}

static int	fail(struct parser *, int, const char *, size_t,
		    const char *, ...) RTA_PRINTFLIKE(5, 6);

static int
fail(struct parser *ps, int code, const char *reason, size_t at,
    const char *fmt, ...)
{
	char text[sizeof(ps->err->text)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ps->code = code;
	rta_error_set(ps->err, code, reason, "%s", text);
	if (ps->err != NULL)
		ps->err->offset = at;
	return -1;
}

#define SYNTAX(ps, at, ...)	fail(ps, RTA_EDATA, "bad-pattern", at, __VA_ARGS__)

static int
nomem(struct parser *ps)
{
	return fail(ps, RTA_ENOMEM, "no-memory", ps->pos,
	    "out of memory compiling the pattern");
}

static void	unsupported(struct parser *, size_t, const char *, ...)
		    RTA_PRINTFLIKE(3, 4);

/*
 * Remember the first unsupported feature and go on parsing: a syntax
 * error later in the pattern is the better report.
 */
static void
unsupported(struct parser *ps, size_t at, const char *fmt, ...)
{
	va_list ap;

	if (ps->unsup)
		return;
	ps->unsup = 1;
	ps->unsup_at = at;
	va_start(ap, fmt);
	vsnprintf(ps->unsup_text, sizeof(ps->unsup_text), fmt, ap);
	va_end(ap);
}

static int
peek_at(const struct parser *ps, size_t k)
{
	return ps->len - ps->pos > k ? ps->pat[ps->pos + k] : -1;
}

static int
peek(const struct parser *ps)
{
	return peek_at(ps, 0);
}

static int
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The pattern was checked to be UTF-8 before parsing began. */
static uint32_t
read_cp(struct parser *ps)
{
	size_t n = rta_utf8_seqlen(ps->pat + ps->pos, ps->len - ps->pos);
	uint32_t cp = utf8_value(ps->pat + ps->pos, n);

	ps->pos += n;
	return cp;
}

static int
new_node(struct parser *ps, uint32_t type, uint32_t arg, size_t at,
    uint32_t *out)
{
	struct node *p;

	if ((p = grow(ps->node, &ps->node_cap, ps->nnode, 1,
	    sizeof(*p))) == NULL)
		return nomem(ps);
	ps->node = p;
	p += ps->nnode;
	p->type = type;
	p->arg = arg;
	p->child = p->next = NONE;
	p->min = p->max = 1;
	p->at = at;
	*out = (uint32_t)ps->nnode++;
	return 0;
}

static int
cls_add(struct parser *ps, uint32_t lo, uint32_t hi)
{
	uint64_t *p;

	if ((p = grow(ps->cls, &ps->cls_cap, ps->ncls, 1, sizeof(*p))) ==
	    NULL)
		return nomem(ps);
	ps->cls = p;
	p[ps->ncls++] = (uint64_t)lo << 32 | hi;
	return 0;
}

/* Add the n ranges r (sorted, disjoint) or their complement. */
static int
cls_add_ranges(struct parser *ps, const uint32_t *r, size_t n, int negate)
{
	uint32_t from = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!negate) {
			if (cls_add(ps, r[2 * i], r[2 * i + 1]) != 0)
				return -1;
			continue;
		}
		if (r[2 * i] > from && cls_add(ps, from, r[2 * i] - 1) != 0)
			return -1;
		from = r[2 * i + 1] + 1;
	}
	if (negate && from < CP_LIMIT && cls_add(ps, from, CP_LIMIT - 1) != 0)
		return -1;
	return 0;
}

/* Turn the ranges collected in cls into a new set (or its complement). */
static int
make_set(struct parser *ps, int negate, uint32_t *out)
{
	uint32_t lo, hi, from = 0, *r;
	struct cset *s;
	size_t i, n = 0, start;

	/* qsort(NULL, 0, ...) is undefined, and [] has no ranges */
	if (ps->ncls > 1)
		qsort(ps->cls, ps->ncls, sizeof(*ps->cls), cmp_u64);
	for (i = 0; i < ps->ncls; i++) {
		lo = (uint32_t)(ps->cls[i] >> 32);
		hi = (uint32_t)ps->cls[i];
		if (n > 0 && lo <= (uint32_t)ps->cls[n - 1] + 1) {
			if (hi > (uint32_t)ps->cls[n - 1])
				ps->cls[n - 1] = (ps->cls[n - 1] &
				    0xffffffff00000000ULL) | hi;
		} else
			ps->cls[n++] = ps->cls[i];
	}
	if ((r = grow(ps->rng, &ps->rng_cap, ps->nrng, n + 1,
	    2 * sizeof(*r))) == NULL)
		return nomem(ps);
	ps->rng = r;
	if ((s = grow(ps->set, &ps->set_cap, ps->nset, 1, sizeof(*s))) ==
	    NULL)
		return nomem(ps);
	ps->set = s;
	start = ps->nrng;
	r += 2 * start;
	for (i = 0; i < n; i++) {
		lo = (uint32_t)(ps->cls[i] >> 32);
		hi = (uint32_t)ps->cls[i];
		if (!negate) {
			*r++ = lo;
			*r++ = hi;
		} else if (lo > from) {
			*r++ = from;
			*r++ = lo - 1;
		}
		from = hi + 1;
	}
	if (negate && from < CP_LIMIT) {
		*r++ = from;
		*r++ = CP_LIMIT - 1;
	}
	ps->nrng = (size_t)(r - ps->rng) / 2;
	s[ps->nset].off = (uint32_t)start;
	s[ps->nset].n = (uint32_t)(ps->nrng - start);
	*out = (uint32_t)ps->nset++;
	ps->ncls = 0;
	return 0;
}

/* Add the ranges of a class escape letter (d D s S w W) to cls. */
static int
cls_add_escape(struct parser *ps, int c)
{
	switch (c) {
	case 'd': case 'D':
		return cls_add_ranges(ps, digit_r, NRANGES(digit_r), c == 'D');
	case 'w': case 'W':
		return cls_add_ranges(ps, word_r, NRANGES(word_r), c == 'W');
	default:
		return cls_add_ranges(ps, space_r, NRANGES(space_r), c == 'S');
	}
}

/* A set node for . or a class escape; each set is made once. */
static int
builtin_node(struct parser *ps, int c, size_t at, uint32_t *out)
{
	static const char letters[] = ".dDwWsS";
	int b = (int)(strchr(letters, c) - letters);

	if (ps->builtin[b] == NONE) {
		if ((c == '.' ? cls_add_ranges(ps, lineterm_r,
		    NRANGES(lineterm_r), 1) : cls_add_escape(ps, c)) != 0 ||
		    make_set(ps, 0, &ps->builtin[b]) != 0)
			return -1;
	}
	return new_node(ps, N_SET, ps->builtin[b], at, out);
}

static int
literal_node(struct parser *ps, uint32_t cp, size_t at, uint32_t *out)
{
	uint32_t set;

	if (cp < 128 && ps->lit[cp] != NONE)
		set = ps->lit[cp];
	else {
		if (cls_add(ps, cp, cp) != 0 || make_set(ps, 0, &set) != 0)
			return -1;
		if (cp < 128)
			ps->lit[cp] = set;
	}
	return new_node(ps, N_SET, set, at, out);
}

/* Digits of a quantifier or a backreference, saturating below INF. */
static uint32_t
read_decimal(struct parser *ps)
{
	uint64_t v = 0;

	while (is_digit(peek(ps))) {
		v = v * 10 + (uint64_t)(peek(ps) - '0');
		if (v > INF - 1)
			v = INF - 1;
		ps->pos++;
	}
	return (uint32_t)v;
}

/* At '{': read {n}, {n,} or {n,m} and return 1, or return 0 in place. */
static int
read_braces(struct parser *ps, uint32_t *min, uint32_t *max)
{
	size_t save = ps->pos;

	ps->pos++;
	if (!is_digit(peek(ps)))
		goto no;
	*min = *max = read_decimal(ps);
	if (peek(ps) == ',') {
		ps->pos++;
		if (peek(ps) == '}')
			*max = INF;
		else if (is_digit(peek(ps)))
			*max = read_decimal(ps);
		else
			goto no;
	}
	if (peek(ps) != '}')
		goto no;
	ps->pos++;
	return 1;
no:
	ps->pos = save;
	return 0;
}

/* Four hex digits into *v and past them, or -1 in place. */
static int
read_hex4(struct parser *ps, uint32_t *v)
{
	size_t i;
	int h;

	*v = 0;
	for (i = 0; i < 4; i++) {
		if ((h = hexval(peek_at(ps, i))) < 0)
			return -1;
		*v = *v << 4 | (uint32_t)h;
	}
	ps->pos += 4;
	return 0;
}

/*
 * At the 'u' of \uHHHH or \u{H...} (the backslash at at).  \uHHHH\uHHHH
 * naming a surrogate pair is one code point, as the u flag says; a lone
 * surrogate stays itself (and never matches UTF-8 input).
 */
static int
read_u_escape(struct parser *ps, size_t at, uint32_t *cp)
{
	uint32_t v = 0, w;
	size_t n = 0, save;
	int h;

	ps->pos++;
	if (peek(ps) == '{') {
		ps->pos++;
		while ((h = hexval(peek(ps))) >= 0) {
			if (v < CP_LIMIT)
				v = v << 4 | (uint32_t)h;
			ps->pos++;
			n++;
		}
		if (n == 0 || peek(ps) != '}')
			return SYNTAX(ps, at, "invalid \\u{...} escape");
		if (v >= CP_LIMIT)
			return SYNTAX(ps, at, "\\u{...} above U+10FFFF");
		ps->pos++;
		*cp = v;
		return 0;
	}
	if (read_hex4(ps, &v) != 0)
		return SYNTAX(ps, at,
		    "\\u must be followed by four hex digits or {...}");
	if (v >= 0xd800 && v <= 0xdbff && peek(ps) == '\\' &&
	    peek_at(ps, 1) == 'u') {
		save = ps->pos;
		ps->pos += 2;
		if (read_hex4(ps, &w) == 0 && w >= 0xdc00 && w <= 0xdfff)
			v = 0x10000 + ((v - 0xd800) << 10) + (w - 0xdc00);
		else
			ps->pos = save;
	}
	*cp = v;
	return 0;
}

/*
 * At '\\': a CharacterEscape (ControlEscape, \cX, \0, \xHH, \u...,
 * identity escape of a syntax character or /, and \- in a class).
 */
static int
read_char_escape(struct parser *ps, int in_class, uint32_t *cp)
{
	size_t at = ps->pos;
	int c = peek_at(ps, 1), h1, h2;

	switch (c) {
	case 'f':
		*cp = '\f';
		break;
	case 'n':
		*cp = '\n';
		break;
	case 'r':
		*cp = '\r';
		break;
	case 't':
		*cp = '\t';
		break;
	case 'v':
		*cp = '\v';
		break;
	case 'c':
		if (!is_alpha(peek_at(ps, 2)))
			return SYNTAX(ps, at, "\\c must be followed by a letter");
		*cp = (uint32_t)peek_at(ps, 2) % 32;
		ps->pos++;
		break;
	case '0':
		if (is_digit(peek_at(ps, 2)))
			return SYNTAX(ps, at, "\\0 followed by a digit");
		*cp = 0;
		break;
	case 'x':
		if ((h1 = hexval(peek_at(ps, 2))) < 0 ||
		    (h2 = hexval(peek_at(ps, 3))) < 0)
			return SYNTAX(ps, at,
			    "\\x must be followed by two hex digits");
		*cp = (uint32_t)(h1 << 4 | h2);
		ps->pos += 2;
		break;
	case 'u':
		ps->pos++;
		return read_u_escape(ps, at, cp);
	case '-':
		if (!in_class)
			return SYNTAX(ps, at, "invalid escape \\- outside a "
			    "character class");
		*cp = '-';
		break;
	default:
		if (c > 0 && strchr("^$\\.*+?()[]{}|/", c) != NULL) {
			*cp = (uint32_t)c;
			break;
		}
		if (c == -1)
			return SYNTAX(ps, at, "\\ at the end of the pattern");
		if (c > ' ' && c < 0x7f)
			return SYNTAX(ps, at, "invalid escape \\%c", c);
		return SYNTAX(ps, at, "invalid escape");
	}
	ps->pos += 2;
	return 0;
}

/*
 * At \p or \P: check the shape \p{Name} or \p{Name=Value} and note that
 * property escapes are not supported (they need Unicode tables).
 */
static int
read_property(struct parser *ps)
{
	size_t at = ps->pos, n = 0;
	int c = peek_at(ps, 1);

	ps->pos += 2;
	if (peek(ps) != '{')
		return SYNTAX(ps, at, "\\%c must be followed by {...}", c);
	ps->pos++;
	while (is_alpha(peek(ps)) || peek(ps) == '_') {
		ps->pos++;
		n++;
	}
	if (n > 0 && peek(ps) == '=') {
		ps->pos++;
		n = 0;
		while (is_alpha(peek(ps)) || is_digit(peek(ps)) ||
		    peek(ps) == '_') {
			ps->pos++;
			n++;
		}
	}
	if (n == 0 || peek(ps) != '}')
		return SYNTAX(ps, at, "invalid property escape");
	ps->pos++;
	unsupported(ps, at, "Unicode property escape %.*s is not supported",
	    ps->pos - at > 40 ? 40 : (int)(ps->pos - at),
	    (const char *)ps->pat + at);
	return 0;
}

/* May cp be in a group name?  Without Unicode tables, see rta_regex.h. */
static int
ident_char(uint32_t cp, int first)
{
	if (cp < 0x80)
		return is_alpha((int)cp) || cp == '$' || cp == '_' ||
		    (!first && is_digit((int)cp));
	if ((cp >= 0xd800 && cp <= 0xdfff) ||
	    in_ranges(space_r, NRANGES(space_r), cp))
		return 0;
	return !first || (cp != 0x200c && cp != 0x200d);
}

/* After "(?<" or "\k<": a group name and its '>'; the name goes to g. */
static int
read_name(struct parser *ps, size_t at, struct gname *g)
{
	size_t start = ps->nname, cat;
	unsigned char *p;
	uint32_t cp;

	for (;;) {
		if (peek(ps) == '>')
			break;
		if (peek(ps) == -1)
			return SYNTAX(ps, at, "unterminated group name");
		cat = ps->pos;
		if (peek(ps) == '\\') {
			if (peek_at(ps, 1) != 'u')
				return SYNTAX(ps, cat,
				    "invalid escape in a group name");
			ps->pos++;
			if (read_u_escape(ps, cat, &cp) != 0)
				return -1;
		} else
			cp = read_cp(ps);
		if (!ident_char(cp, ps->nname == start))
			return SYNTAX(ps, cat, "invalid character in a group "
			    "name");
		if ((p = grow(ps->name, &ps->name_cap, ps->nname, 4, 1)) ==
		    NULL)
			return nomem(ps);
		ps->name = p;
		ps->nname += rta_utf8_encode(p + ps->nname, cp);
	}
	if (ps->nname == start)
		return SYNTAX(ps, at, "empty group name");
	ps->pos++;
	g->at = at;
	g->off = (uint32_t)start;
	g->len = (uint32_t)(ps->nname - start);
	g->num = 0;
	return 0;
}

static int
add_gname(struct parser *ps, struct gname **arr, size_t *n, size_t *cap,
    const struct gname *g)
{
	struct gname *p;

	if ((p = grow(*arr, cap, *n, 1, sizeof(*p))) == NULL)
		return nomem(ps);
	*arr = p;
	p[(*n)++] = *g;
	return 0;
}

/* At '\\' outside a class (not \b or \B). */
static int
parse_atom_escape(struct parser *ps, uint32_t *out)
{
	size_t at = ps->pos;
	int c = peek_at(ps, 1);
	struct gname g;
	char q[64];
	uint32_t cp;

	if (c >= '1' && c <= '9') {
		ps->pos++;
		memset(&g, 0, sizeof(g));
		g.at = at;
		g.num = read_decimal(ps);
		if (add_gname(ps, &ps->ref, &ps->nref, &ps->ref_cap, &g) != 0)
			return -1;
		unsupported(ps, at, "backreference \\%u is not supported",
		    (unsigned)g.num);
		return new_node(ps, N_EMPTY, 0, at, out);
	}
	switch (c) {
	case 'k':
		ps->pos += 2;
		if (peek(ps) != '<')
			return SYNTAX(ps, at, "\\k must be followed by <name>");
		ps->pos++;
		if (read_name(ps, at, &g) != 0 ||
		    add_gname(ps, &ps->ref, &ps->nref, &ps->ref_cap, &g) != 0)
			return -1;
		rta_quote(q, sizeof(q), ps->name + g.off, g.len, 40);
		unsupported(ps, at, "backreference \\k<%s> is not supported",
		    q);
		return new_node(ps, N_EMPTY, 0, at, out);
	case 'p': case 'P':
		if (read_property(ps) != 0)
			return -1;
		return new_node(ps, N_EMPTY, 0, at, out);
	case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
		ps->pos += 2;
		return builtin_node(ps, c, at, out);
	}
	if (read_char_escape(ps, 0, &cp) != 0)
		return -1;
	return literal_node(ps, cp, at, out);
}

/* One ClassAtom: a code point, or (*isset) a class escape added to cls. */
static int
class_atom(struct parser *ps, uint32_t *cp, int *isset)
{
	size_t at = ps->pos;
	int c = peek_at(ps, 1);

	*isset = 0;
	if (peek(ps) != '\\') {
		*cp = read_cp(ps);
		return 0;
	}
	switch (c) {
	case 'b':
		ps->pos += 2;
		*cp = '\b';
		return 0;
	case 'd': case 'D': case 'w': case 'W': case 's': case 'S':
		ps->pos += 2;
		*isset = 1;
		return cls_add_escape(ps, c);
	case 'p': case 'P':
		*isset = 1;
		return read_property(ps);
	}
	if (c >= '1' && c <= '9')
		return SYNTAX(ps, at, "invalid escape \\%c in a character "
		    "class", c);
	return read_char_escape(ps, 1, cp);
}

/* At '[': a character class. */
static int
parse_class(struct parser *ps, uint32_t *out)
{
	size_t at = ps->pos, aat;
	int negate = 0, aset, bset;
	uint32_t a, b, set;

	ps->pos++;
	if (peek(ps) == '^') {
		negate = 1;
		ps->pos++;
	}
	ps->ncls = 0;
	for (;;) {
		if (peek(ps) == -1)
			return SYNTAX(ps, at, "unterminated character class");
		if (peek(ps) == ']')
			break;
		aat = ps->pos;
		if (class_atom(ps, &a, &aset) != 0)
			return -1;
		if (peek(ps) == '-' && peek_at(ps, 1) != -1 &&
		    peek_at(ps, 1) != ']') {
			ps->pos++;
			if (class_atom(ps, &b, &bset) != 0)
				return -1;
			if (aset || bset)
				return SYNTAX(ps, aat, "class escape in a "
				    "character class range");
			if (a > b)
				return SYNTAX(ps, aat, "character class range "
				    "out of order");
			if (cls_add(ps, a, b) != 0)
				return -1;
		} else if (!aset && cls_add(ps, a, a) != 0)
			return -1;
	}
	ps->pos++;
	if (make_set(ps, negate, &set) != 0)
		return -1;
	return new_node(ps, N_SET, set, at, out);
}

static int	parse_disj(struct parser *, unsigned, uint32_t *);

/*
 * At "(?" followed by i, m, s or -: ES2025 modifiers (?ims-ims:...), which
 * are valid but not supported; anything else there is a syntax error.
 */
static int
read_modifiers(struct parser *ps, size_t at)
{
	static const char flags[] = "ims";
	unsigned add = 0, rem = 0, bit, *mask = &add;
	const char *f;
	size_t i = ps->pos + 2;

	for (; i < ps->len; i++) {
		if (ps->pat[i] == '-' && mask == &add) {
			mask = &rem;
			continue;
		}
		if (ps->pat[i] == 0 || (f = strchr(flags, ps->pat[i])) == NULL)
			break;
		bit = 1U << (f - flags);
		if ((add | rem) & bit)
			return SYNTAX(ps, at, "repeated modifier in a group");
		*mask |= bit;
	}
	if (i == ps->len || ps->pat[i] != ':' ||
	    (mask == &rem && add == 0 && rem == 0))
		return SYNTAX(ps, at, "invalid group");
	unsupported(ps, at, "modifiers %.*s are not supported",
	    (int)(i + 1 - at), (const char *)ps->pat + at);
	ps->pos = i + 1;
	return 0;
}

/* At '(': a group; *quantifiable is cleared for lookarounds. */
static int
parse_group(struct parser *ps, unsigned depth, uint32_t *out,
    int *quantifiable)
{
	size_t at = ps->pos;
	int c1, c2, look = 0;
	struct gname g;

	if (depth >= RTA_REGEX_MAX_DEPTH)
		return fail(ps, RTA_ELIMIT, "pattern-too-large", at,
		    "groups nested deeper than %d", RTA_REGEX_MAX_DEPTH);
	if (peek_at(ps, 1) != '?') {
		ps->pos++;
		ps->ncapture++;
	} else {
		c1 = peek_at(ps, 2);
		c2 = peek_at(ps, 3);
		if (c1 == ':')
			ps->pos += 3;
		else if (c1 == '=' || c1 == '!') {
			unsupported(ps, at, "%s (?%c is not supported",
			    c1 == '=' ? "lookahead" : "negative lookahead", c1);
			ps->pos += 3;
			look = 1;
		} else if (c1 == '<' && (c2 == '=' || c2 == '!')) {
			unsupported(ps, at, "%s (?<%c is not supported",
			    c2 == '=' ? "lookbehind" : "negative lookbehind",
			    c2);
			ps->pos += 4;
			look = 1;
		} else if (c1 == '<') {
			ps->pos += 3;
			if (read_name(ps, at, &g) != 0 || add_gname(ps,
			    &ps->grp, &ps->ngrp, &ps->grp_cap, &g) != 0)
				return -1;
			ps->ncapture++;
		} else if (c1 == 'i' || c1 == 'm' || c1 == 's' || c1 == '-') {
			if (read_modifiers(ps, at) != 0)
				return -1;
		} else
			return SYNTAX(ps, at, "invalid group");
	}
	if (parse_disj(ps, depth + 1, out) != 0)
		return -1;
	if (peek(ps) != ')')
		return SYNTAX(ps, at, "unterminated group");
	ps->pos++;
	if (look) {
		/* ECMAScript does not let the u flag repeat a lookaround */
		*quantifiable = 0;
		return new_node(ps, N_EMPTY, 0, at, out);
	}
	return 0;
}

/* After an atom: its quantifier, if any. */
static int
parse_quantifier(struct parser *ps, uint32_t atom, int quantifiable,
    size_t at, uint32_t *out)
{
	size_t qat = ps->pos;
	uint32_t min, max, n;

	switch (peek(ps)) {
	case '*':
		min = 0, max = INF;
		ps->pos++;
		break;
	case '+':
		min = 1, max = INF;
		ps->pos++;
		break;
	case '?':
		min = 0, max = 1;
		ps->pos++;
		break;
	case '{':
		if (!read_braces(ps, &min, &max))
			return SYNTAX(ps, qat, "incomplete quantifier");
		if (min > max)
			return SYNTAX(ps, qat, "numbers out of order in {} "
			    "quantifier");
		break;
	default:
		*out = atom;
		return 0;
	}
	if (!quantifiable)
		return SYNTAX(ps, qat, "nothing to repeat");
	if (peek(ps) == '?')
		ps->pos++;	/* lazy: the same yes or no */
	if (ps->node[atom].type == N_EMPTY || max == 0)
		return new_node(ps, N_EMPTY, 0, at, out);
	if (min == 1 && max == 1) {
		*out = atom;
		return 0;
	}
	if (new_node(ps, N_REP, 0, at, &n) != 0)
		return -1;
	ps->node[n].child = atom;
	ps->node[n].min = min;
	ps->node[n].max = max;
	*out = n;
	return 0;
}

static int
parse_term(struct parser *ps, unsigned depth, uint32_t *out)
{
	size_t at = ps->pos;
	int c = peek(ps), quantifiable = 1;
	uint32_t atom, min, max;

	switch (c) {
	case '^': case '$':
		ps->pos++;
		quantifiable = 0;
		if (new_node(ps, N_ASSERT, c == '^' ? A_BOL : A_EOL, at,
		    &atom) != 0)
			return -1;
		break;
	case '\\':
		if (peek_at(ps, 1) == 'b' || peek_at(ps, 1) == 'B') {
			ps->words = 1;
			quantifiable = 0;
			if (new_node(ps, N_ASSERT, peek_at(ps, 1) == 'b' ?
			    A_WORD : A_NWORD, at, &atom) != 0)
				return -1;
			ps->pos += 2;
		} else if (parse_atom_escape(ps, &atom) != 0)
			return -1;
		break;
	case '(':
		if (parse_group(ps, depth, &atom, &quantifiable) != 0)
			return -1;
		break;
	case '.':
		ps->pos++;
		if (builtin_node(ps, '.', at, &atom) != 0)
			return -1;
		break;
	case '[':
		if (parse_class(ps, &atom) != 0)
			return -1;
		break;
	case '*': case '+': case '?':
		return SYNTAX(ps, at, "nothing to repeat");
	case '{':
		if (read_braces(ps, &min, &max))
			return SYNTAX(ps, at, "nothing to repeat");
		return SYNTAX(ps, at, "lone '{'");
	case '}':
		return SYNTAX(ps, at, "lone '}'");
	case ']':
		return SYNTAX(ps, at, "lone ']'");
	default:
		if (literal_node(ps, read_cp(ps), at, &atom) != 0)
			return -1;
	}
	return parse_quantifier(ps, atom, quantifiable, at, out);
}

/* Terms up to '|', ')' or the end; empty ones are left out. */
static int
parse_alt(struct parser *ps, unsigned depth, uint32_t *out)
{
	uint32_t first = NONE, last = NONE, t, n = 0;
	size_t at = ps->pos;
	int c;

	while ((c = peek(ps)) != -1 && c != '|' && c != ')') {
		if (parse_term(ps, depth, &t) != 0)
			return -1;
		if (ps->node[t].type == N_EMPTY)
			continue;
		if (first == NONE)
			first = t;
		else
			ps->node[last].next = t;
		last = t;
		n++;
	}
	if (n == 1) {
		*out = first;
		return 0;
	}
	if (new_node(ps, n == 0 ? N_EMPTY : N_CAT, 0, at, out) != 0)
		return -1;
	ps->node[*out].child = first;
	return 0;
}

static int
parse_disj(struct parser *ps, unsigned depth, uint32_t *out)
{
	uint32_t first = NONE, last = NONE, a, n = 0;
	size_t at = ps->pos;
	int nonempty = 0;

	for (;;) {
		if (parse_alt(ps, depth, &a) != 0)
			return -1;
		if (ps->node[a].type != N_EMPTY)
			nonempty = 1;
		if (first == NONE)
			first = a;
		else
			ps->node[last].next = a;
		last = a;
		n++;
		if (peek(ps) != '|')
			break;
		ps->pos++;
	}
	if (n == 1 || !nonempty) {
		*out = first;
		return 0;
	}
	if (new_node(ps, N_ALT, 0, at, out) != 0)
		return -1;
	ps->node[*out].child = first;
	return 0;
}

static int
cmp_gname(const void *a, const void *b)
{
	const struct gname *x = a, *y = b;
	uint32_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->p, y->p, n);

	if (c != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return (x->at > y->at) - (x->at < y->at);
}

/*
 * Once the whole pattern is read: group names must be unique, and each
 * backreference must name a group (numbers count all capturing groups,
 * also later ones).  Such errors are syntax errors, not "unsupported".
 */
static int
check_names(struct parser *ps)
{
	struct gname *g, key;
	size_t i, lo, hi, mid, dup = SIZE_MAX;
	int c = 0;

	for (i = 0; i < ps->ngrp; i++)
		ps->grp[i].p = ps->name + ps->grp[i].off;
	if (ps->ngrp > 1)	/* grp is NULL without named groups */
		qsort(ps->grp, ps->ngrp, sizeof(*ps->grp), cmp_gname);
	for (i = 1; i < ps->ngrp; i++)
		if (ps->grp[i].len == ps->grp[i - 1].len &&
		    memcmp(ps->grp[i].p, ps->grp[i - 1].p, ps->grp[i].len) ==
		    0 && ps->grp[i].at < dup)
			dup = ps->grp[i].at;
	if (dup != SIZE_MAX)
		return SYNTAX(ps, dup, "duplicate group name");
	for (i = 0; i < ps->nref; i++) {
		g = &ps->ref[i];
		if (g->num != 0) {
			if (g->num > ps->ncapture)
				return SYNTAX(ps, g->at, "backreference \\%u "
				    "to a group that does not exist",
				    (unsigned)g->num);
			continue;
		}
		key = *g;
		key.p = ps->name + g->off;
		key.at = 0;
		for (lo = 0, hi = ps->ngrp; lo < hi;) {
			mid = lo + (hi - lo) / 2;
			if ((c = cmp_gname(&ps->grp[mid], &key)) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == ps->ngrp || ps->grp[lo].len != key.len ||
		    memcmp(ps->grp[lo].p, key.p, key.len) != 0)
			return SYNTAX(ps, g->at, "\\k<...> names no group");
	}
	return 0;
}

/* ------------------------------------------------------- compiling */

/*
 * With MATCH, a node of RTA_REGEX_MAX_PROG instructions is already too
 * big: the first node to reach that is the one the error points at.
 */
#define SIZE_CAP	((uint64_t)RTA_REGEX_MAX_PROG)

/* Instructions node i compiles to, at most SIZE_CAP. */
static uint64_t
prog_size(struct parser *ps, uint32_t i)
{
	const struct node *n = &ps->node[i];
	uint64_t s = 0, c;
	uint32_t k;

	switch (n->type) {
	case N_EMPTY:
		return 0;
	case N_SET: case N_ASSERT:
		return 1;
	case N_CAT: case N_ALT:
		for (k = n->child; k != NONE && s < SIZE_CAP;
		    k = ps->node[k].next)
			s += prog_size(ps, k) +
			    (n->type == N_ALT && ps->node[k].next != NONE ?
			    2 : 0);
		break;
	default:
		c = prog_size(ps, n->child);
		s = c * n->min;
		if (n->max == INF)
			s += n->min == 0 ? c + 2 : 1;
		else
			s += (uint64_t)(n->max - n->min) * (c + 1);
	}
	if (s >= SIZE_CAP) {
		if (ps->big_at == SIZE_MAX)
			ps->big_at = n->at;
		s = SIZE_CAP;
	}
	return s;
}

struct emitter {
	struct inst		*prog;
	uint32_t		 n;
	const struct parser	*ps;
};

static uint32_t
put(struct emitter *e, uint32_t op, uint32_t x, uint32_t y)
{
	e->prog[e->n].op = op;
	e->prog[e->n].x = x;
	e->prog[e->n].y = y;
	return e->n++;
}

static void	emit(struct emitter *, uint32_t);

/*
 * a|b|c: SPLIT to a or the rest, each alternative but the last ending in
 * a JMP past the end; the JMPs are chained through x until it is known.
 */
static void
emit_alt(struct emitter *e, const struct node *n)
{
	uint32_t k, split, jumps = NONE, j;

	for (k = n->child; e->ps->node[k].next != NONE;
	    k = e->ps->node[k].next) {
		split = put(e, OP_SPLIT, e->n + 1, 0);
		emit(e, k);
		jumps = put(e, OP_JMP, jumps, 0);
		e->prog[split].y = e->n;
	}
	emit(e, k);
	for (; jumps != NONE; jumps = j) {
		j = e->prog[jumps].x;
		e->prog[jumps].x = e->n;
	}
}

/*
 * x{n,m}: n copies, then m-n optional ones, each behind a SPLIT to the
 * end (chained through y until it is known).  x{n,}: the last of the n
 * copies loops back (x* when n is 0).
 */
static void
emit_rep(struct emitter *e, const struct node *n)
{
	uint32_t k, loop, skips = NONE, s;

	for (k = 0; k < n->min; k++) {
		loop = e->n;
		emit(e, n->child);
		if (n->max == INF && k == n->min - 1) {
			put(e, OP_SPLIT, loop, e->n + 1);
			return;
		}
	}
	if (n->max == INF) {
		loop = put(e, OP_SPLIT, e->n + 1, 0);
		emit(e, n->child);
		put(e, OP_JMP, loop, 0);
		e->prog[loop].y = e->n;
		return;
	}
	for (k = n->min; k < n->max; k++) {
		skips = put(e, OP_SPLIT, e->n + 1, skips);
		emit(e, n->child);
	}
	for (; skips != NONE; skips = s) {
		s = e->prog[skips].y;
		e->prog[skips].y = e->n;
	}
}

static void
emit(struct emitter *e, uint32_t i)
{
	const struct node *n = &e->ps->node[i];
	uint32_t k;

	switch (n->type) {
	case N_EMPTY:
		break;
	case N_SET:
		put(e, OP_SET, n->arg, 0);
		break;
	case N_ASSERT:
		put(e, OP_ASSERT, n->arg, 0);
		break;
	case N_CAT:
		for (k = n->child; k != NONE; k = e->ps->node[k].next)
			emit(e, k);
		break;
	case N_ALT:
		emit_alt(e, n);
		break;
	default:
		emit_rep(e, n);
	}
}

/* ------------------------------------------------------- classes */

static uint32_t
class_of(const struct rta_regex *re, uint32_t cp)
{
	uint32_t lo = 0, hi = re->nb - 1, mid;

	if (cp >= re->bnd[hi])
		return re->ivec[hi];
	while (hi - lo > 1) {	/* bnd[lo] <= cp < bnd[hi] */
		mid = lo + (hi - lo) / 2;
		if (re->bnd[mid] <= cp)
			lo = mid;
		else
			hi = mid;
	}
	return re->ivec[lo];
}

/* Index of boundary v (present in bnd), or nb for CP_LIMIT. */
static uint32_t
bnd_index(const struct rta_regex *re, uint32_t v)
{
	uint32_t lo = 0, hi = re->nb, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (re->bnd[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The ranges of the used sets (and \w for \b) as (r, n) pairs: set s for
 * s < nset, word_r for s == nset.
 */
static const uint32_t *
ranges_of(const struct rta_regex *re, uint32_t s, uint32_t *n)
{
	if (s == re->nset) {
		*n = NRANGES(word_r);
		return word_r;
	}
	*n = re->set[s].n;
	return re->rng + 2 * (size_t)re->set[s].off;
}

/*
 * Refine the intervals between boundaries into classes: start with one
 * class and split every class by each set in turn.  Intervals in the set
 * move to a fresh class per old class (stamp marks which old classes got
 * one in this pass).  Costs the number of (set, interval) memberships.
 */
static int
refine(struct rta_regex *re, const uint8_t *used, size_t work)
{
	uint32_t *cls, *stamp, *remap, t = 0, nid = 1, s, n, j, i, i1, o;
	const uint32_t *r;
	int rc = -1;

	cls = rta_calloc(re->nb, sizeof(*cls));
	stamp = rta_calloc(work + 2, sizeof(*stamp));
	remap = rta_calloc(work + 2, sizeof(*remap));
	if (cls == NULL || stamp == NULL || remap == NULL)
		goto out;
	for (s = 0; s <= re->nset; s++) {
		if (!used[s])
			continue;
		t++;
		r = ranges_of(re, s, &n);
		for (j = 0; j < n; j++) {
			i1 = bnd_index(re, r[2 * j + 1] + 1);
			for (i = bnd_index(re, r[2 * j]); i < i1; i++) {
				o = cls[i];
				if (stamp[o] != t) {
					stamp[o] = t;
					remap[o] = nid++;
				}
				cls[i] = remap[o];
			}
		}
	}
	t++;
	re->nec = 0;
	for (i = 0; i < re->nb; i++) {
		o = cls[i];
		if (stamp[o] != t) {
			stamp[o] = t;
			remap[o] = re->nec++;
		}
		re->ivec[i] = remap[o];
	}
	rc = 0;
out:
	rta_free(cls);
	rta_free(stamp);
	rta_free(remap);
	return rc;
}

static int
build_classes(struct rta_regex *re, int words)
{
	uint8_t *used;
	uint32_t s, n, j, i, k;
	const uint32_t *r;
	size_t nb = 1, work = 0;
	int rc = -1;

	if ((used = rta_calloc((size_t)re->nset + 1, 1)) == NULL)
		return -1;
	for (i = 0; i < re->nprog; i++)
		if (re->prog[i].op == OP_SET)
			used[re->prog[i].x] = 1;
	used[re->nset] = (uint8_t)words;
	for (s = 0; s <= re->nset; s++)
		if (used[s]) {
			ranges_of(re, s, &n);
			nb += 2 * (size_t)n;
		}
	if ((re->bnd = rta_reallocarray(NULL, nb, sizeof(*re->bnd))) == NULL)
		goto out;
	nb = 0;
	re->bnd[nb++] = 0;
	for (s = 0; s <= re->nset; s++) {
		if (!used[s])
			continue;
		r = ranges_of(re, s, &n);
		for (j = 0; j < n; j++) {
			re->bnd[nb++] = r[2 * j];
			if (r[2 * j + 1] + 1 < CP_LIMIT)
				re->bnd[nb++] = r[2 * j + 1] + 1;
		}
	}
	qsort(re->bnd, nb, sizeof(*re->bnd), cmp_u32);
	for (i = k = 1; i < nb; i++)
		if (re->bnd[i] != re->bnd[k - 1])
			re->bnd[k++] = re->bnd[i];
	re->nb = k;
	if ((re->ivec = rta_reallocarray(NULL, re->nb,
	    sizeof(*re->ivec))) == NULL)
		goto out;
	for (s = 0; s <= re->nset && work <= REFINE_MAX; s++) {
		if (!used[s])
			continue;
		r = ranges_of(re, s, &n);
		for (j = 0; j < n; j++)
			work += bnd_index(re, r[2 * j + 1] + 1) -
			    bnd_index(re, r[2 * j]);
	}
	if (work <= REFINE_MAX) {
		if (refine(re, used, work) != 0)
			goto out;
	} else {
		/* merging would cost too much: one class per interval */
		for (i = 0; i < re->nb; i++)
			re->ivec[i] = i;
		re->nec = re->nb;
	}
	if ((re->rep = rta_reallocarray(NULL, re->nec,
	    sizeof(*re->rep))) == NULL)
		goto out;
	for (i = re->nb; i-- > 0;)
		re->rep[re->ivec[i]] = re->bnd[i];
	if (words) {
		if ((re->isword = rta_malloc(re->nec)) == NULL)
			goto out;
		for (i = 0; i < re->nec; i++)
			re->isword[i] = (uint8_t)in_ranges(word_r,
			    NRANGES(word_r), re->rep[i]);
	}
	for (i = 0; i < 128; i++)
		re->byte_ec[i] = re->ascii_ec[i] = class_of(re, i);
	for (; i < 256; i++)
		re->byte_ec[i] = re->nec;
	re->width = re->nec + 3;
	rc = 0;
out:
	rta_free(used);
	return rc;
}

/* ------------------------------------------------------- stepping */

static void
bump(struct rta_regex *re)
{
	if (++re->gen == 0) {
		memset(re->mark, 0, re->nprog * sizeof(*re->mark));
		re->gen = 1;
	}
}

static uint32_t
push(struct rta_regex *re, uint32_t sp, uint32_t pc)
{
	if (re->mark[pc] != re->gen) {
		re->mark[pc] = re->gen;
		re->stack[sp++] = pc;
	}
	return sp;
}

static int
assert_holds(uint32_t kind, unsigned flags, int next_word, int at_end)
{
	switch (kind) {
	case A_BOL:
		return (flags & F_START) != 0;
	case A_EOL:
		return at_end;
	case A_WORD:
		return ((flags & F_WORD) != 0) != (next_word != 0);
	default:
		return ((flags & F_WORD) != 0) == (next_word != 0);
	}
}

/*
 * Finish the closure of the leaves set[0..n) now that the next code point
 * is known (next_word) or the input ends (at_end).  The SET instructions
 * reached go to re->list.  -1 if MATCH is reached, else their number.
 */
static long
close_full(struct rta_regex *re, const uint32_t *set, uint32_t n,
    unsigned flags, int next_word, int at_end)
{
	const struct inst *in;
	uint32_t sp = 0, nl = 0, pc, i;

	bump(re);
	for (i = 0; i < n; i++)
		sp = push(re, sp, set[i]);
	while (sp > 0) {
		pc = re->stack[--sp];
		in = &re->prog[pc];
		switch (in->op) {
		case OP_SET:
			re->list[nl++] = pc;
			break;
		case OP_SPLIT:
			sp = push(re, sp, in->y);
			sp = push(re, sp, in->x);
			break;
		case OP_JMP:
			sp = push(re, sp, in->x);
			break;
		case OP_ASSERT:
			if (assert_holds(in->x, flags, next_word, at_end))
				sp = push(re, sp, pc + 1);
			break;
		default:
			return -1;
		}
	}
	return nl;
}

/*
 * Add to re->next (*nn so far) the leaves reachable from pc without
 * knowing the next code point: SETs and the assertions that need it.  ^
 * is decided by flags.  Shares the marks of the caller's generation.  -1
 * if MATCH is reached.
 */
static int
close_part(struct rta_regex *re, uint32_t pc, unsigned flags, uint32_t *nn)
{
	const struct inst *in;
	uint32_t sp = push(re, 0, pc);

	while (sp > 0) {
		pc = re->stack[--sp];
		in = &re->prog[pc];
		switch (in->op) {
		case OP_SET:
			re->next[(*nn)++] = pc;
			break;
		case OP_SPLIT:
			sp = push(re, sp, in->y);
			sp = push(re, sp, in->x);
			break;
		case OP_JMP:
			sp = push(re, sp, in->x);
			break;
		case OP_ASSERT:
			if (in->x != A_BOL)
				re->next[(*nn)++] = pc;
			else if (flags & F_START)
				sp = push(re, sp, pc + 1);
			break;
		default:
			return -1;
		}
	}
	return 0;
}

/*
 * Sort the n leaves just put in re->next by one closure generation.  A
 * big set (a{30000} unanchored holds a leaf per byte read, up to the
 * program's size) is not sorted but read back from the marks, in program
 * order: the leaves are the SETs and the assertions other than ^ marked
 * in this generation.  That costs the program's size instead of n log n.
 */
static void
sort_leaves(struct rta_regex *re, uint32_t n)
{
	const struct inst *in;
	uint32_t pc, k = 0;

	if (n <= 64 || (size_t)n * 8 < re->nprog) {
		sort_u32(re->next, n);
		return;
	}
	for (pc = 0; pc < re->nprog; pc++) {
		in = &re->prog[pc];
		if (re->mark[pc] == re->gen && (in->op == OP_SET ||
		    (in->op == OP_ASSERT && in->x != A_BOL)))
			re->next[k++] = pc;
	}
	assert(k == n);
}

/*
 * One DFA step from the leaves set[0..n) (with flags) over a code point
 * of class ec.  -1 for a match, else the number of leaves of the next
 * state, sorted in re->next (0: no match can follow), its flags *nflags.
 */
static long
step(struct rta_regex *re, const uint32_t *set, uint32_t n, unsigned flags,
    uint32_t ec, unsigned *nflags)
{
	int w = re->isword != NULL && re->isword[ec];
	uint32_t cp = re->rep[ec], nn = 0, i, pc;
	long nl;

	if ((nl = close_full(re, set, n, flags, w, 0)) < 0)
		return -1;
	bump(re);
	*nflags = w ? F_WORD : 0;
	for (i = 0; i < (uint32_t)nl; i++) {
		pc = re->list[i];
		if (in_ranges(re->rng + 2 * (size_t)re->set[re->prog[pc].x].off,
		    re->set[re->prog[pc].x].n, cp) &&
		    close_part(re, pc + 1, 0, &nn) != 0)
			return -1;
	}
	if (!re->anchored && close_part(re, 0, 0, &nn) != 0)
		return -1;
	sort_leaves(re, nn);
	return nn;
}

/* The leaves at the start of the input, in re->next; -1 for a match. */
static long
start_set(struct rta_regex *re)
{
	uint32_t nn = 0;

	bump(re);
	if (close_part(re, 0, F_START, &nn) != 0)
		return -1;
	sort_leaves(re, nn);
	return nn;
}

/* ------------------------------------------------------- DFA cache */

static size_t
cache_bytes(const struct rta_regex *re)
{
	return re->tcap * sizeof(*re->trans) + re->scap * sizeof(*re->st) +
	    re->pcap * sizeof(*re->pool) + re->hcap * sizeof(*re->hash) +
	    re->lcap * LOOP_BYTES;
}

static void
cache_flush(struct rta_regex *re)
{
	re->nst = 0;
	re->plen = 0;
	re->start = T_UNKNOWN;
	if (re->hash != NULL)
		memset(re->hash, 0, re->hcap * sizeof(*re->hash));
}

/*
 * arr (cap elements of sz bytes) grown to hold need, doubling but within
 * the cache budget; NULL if that cannot be done (arr is then untouched).
 */
static void *
cache_grow(struct rta_regex *re, void *arr, size_t *cap, size_t need,
    size_t sz)
{
	size_t other = cache_bytes(re) - *cap * sz, room, ncap;
	void *p;

	if (need <= *cap)
		return arr;
	if (other > re->cache_max || (room = (re->cache_max - other) / sz) <
	    need)
		return NULL;
	ncap = *cap < 64 ? 64 : *cap * 2;
	if (ncap < need)
		ncap = need;
	if (ncap > room)
		ncap = room;
	if ((p = rta_reallocarray(arr, ncap, sz)) == NULL)
		return NULL;
	*cap = ncap;
	return p;
}

static uint32_t
hash_set(const uint32_t *s, uint32_t n, unsigned flags)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ flags ^ (uint64_t)n << 8;
	uint32_t i;

	for (i = 0; i < n; i++) {
		h = (h ^ s[i]) * 0xff51afd7ed558ccdULL;
		h ^= h >> 29;
	}
	return (uint32_t)(h ^ h >> 32);
}

/* Grow the hash table to keep it at most half full with nst states. */
static int
hash_grow(struct rta_regex *re, size_t nst)
{
	size_t ncap, i, k, mask;
	uint32_t *h;

	if (re->hcap >= 2 * nst)
		return 0;
	ncap = re->hcap < 64 ? 64 : re->hcap * 2;
	while (ncap < 2 * nst)
		ncap *= 2;
	if (ncap * sizeof(*h) > re->cache_max || cache_bytes(re) -
	    re->hcap * sizeof(*h) > re->cache_max - ncap * sizeof(*h))
		return -1;
	if ((h = rta_calloc(ncap, sizeof(*h))) == NULL)
		return -1;
	mask = ncap - 1;
	for (k = 0; k < re->nst; k++) {
		for (i = re->st[k].hash & mask; h[i] != 0; i = (i + 1) & mask)
			;
		h[i] = (uint32_t)k + 1;
	}
	rta_free(re->hash);
	re->hash = h;
	re->hcap = ncap;
	return 0;
}

/* The row of the state (set[0..n), flags), made if new, or T_NOROOM. */
static uint32_t
add_state(struct rta_regex *re, const uint32_t *set, uint32_t n,
    unsigned flags)
{
	uint32_t h = hash_set(set, n, flags);
	struct dstate *ds;
	size_t i, mask, k, row;
	void *p;

	if (re->hcap > 0) {
		mask = re->hcap - 1;
		for (i = h & mask; re->hash[i] != 0; i = (i + 1) & mask) {
			ds = &re->st[re->hash[i] - 1];
			if (ds->hash == h && ds->flags == flags &&
			    ds->n == n && memcmp(re->pool + ds->off, set,
			    n * sizeof(*set)) == 0)
				return T_FIRST + (re->hash[i] - 1) * re->width;
		}
	}
	k = re->nst;
	row = T_FIRST + k * re->width;
	if (row + re->width >= T_NOROOM)
		return T_NOROOM;
	if ((p = cache_grow(re, re->trans, &re->tcap, row + re->width,
	    sizeof(*re->trans))) == NULL)
		return T_NOROOM;
	re->trans = p;
	if ((p = cache_grow(re, re->st, &re->scap, k + 1,
	    sizeof(*re->st))) == NULL)
		return T_NOROOM;
	re->st = p;
	if ((p = cache_grow(re, re->pool, &re->pcap, re->plen + n,
	    sizeof(*re->pool))) == NULL)
		return T_NOROOM;
	re->pool = p;
	if (hash_grow(re, k + 1) != 0)
		return T_NOROOM;
	ds = &re->st[k];
	ds->off = (uint32_t)re->plen;
	ds->n = n;
	ds->hash = h;
	ds->flags = (uint8_t)flags;
	ds->end = -1;
	memcpy(re->pool + re->plen, set, n * sizeof(*set));
	re->plen += n;
	memset(re->trans + row, 0, re->width * sizeof(*re->trans));
	mask = re->hcap - 1;
	for (i = h & mask; re->hash[i] != 0; i = (i + 1) & mask)
		;
	re->hash[i] = (uint32_t)k + 1;
	re->nst++;
	return (uint32_t)row;
}

/* Add the state in re->next, emptying a full cache once. */
static uint32_t
add_next(struct rta_regex *re, uint32_t n, unsigned flags)
{
	uint32_t row;

	re->nnext = n;
	re->nextflags = flags;
	if ((row = add_state(re, re->next, n, flags)) != T_NOROOM)
		return row;
	cache_flush(re);
	return add_state(re, re->next, n, flags);
}

static uint32_t
start_state(struct rta_regex *re)
{
	long n = start_set(re);
	uint32_t row;

	if (n <= 0)
		return re->start = n < 0 ? T_MATCH : T_DEAD;
	if ((row = add_next(re, (uint32_t)n, F_START)) != T_NOROOM)
		re->start = row;
	return row;
}

/*
 * The transition of the state at row over class ec, made now.  After a
 * flush the old row is gone: the new state is returned but not linked.
 */
static uint32_t
transition(struct rta_regex *re, uint32_t row, uint32_t ec)
{
	const struct dstate *ds = &re->st[(row - T_FIRST) / re->width];
	unsigned nf;
	uint32_t nx;
	long n;

	n = step(re, re->pool + ds->off, ds->n, ds->flags, ec, &nf);
	if (n <= 0) {
		re->trans[row + ec] = n < 0 ? T_MATCH : T_DEAD;
		return re->trans[row + ec];
	}
	re->nnext = (uint32_t)n;
	re->nextflags = nf;
	if ((nx = add_state(re, re->next, (uint32_t)n, nf)) != T_NOROOM) {
		re->trans[row + ec] = nx;
		if (nx == row)		/* one more byte leads back */
			re->trans[row + re->nec + 2] = 0;
		return nx;
	}
	return add_next(re, (uint32_t)n, nf);
}

/*
 * The state at row (whose transition on some byte leads back to it):
 * the bytes that do, as loops' bits, and its number plus one, which the
 * row then holds; NO_LOOPS, held the same way, if the cache has no room
 * for them (until a new byte leading back clears it).
 */
static uint32_t
loop_bits(struct rta_regex *re, uint32_t row)
{
	size_t k = (row - T_FIRST) / re->width;
	uint8_t *m;
	void *p;
	int b;

	if ((p = cache_grow(re, re->loops, &re->lcap, k + 1, LOOP_BYTES)) ==
	    NULL)
		return re->trans[row + re->nec + 2] = NO_LOOPS;
	re->loops = p;
	m = re->loops + LOOP_BYTES * k;
	memset(m, 0, LOOP_BYTES);
	for (b = 0; b < 256; b++)
		if (re->trans[row + re->byte_ec[b]] == row)
			m[b >> 3] |= (uint8_t)(1U << (b & 7));
	return re->trans[row + re->nec + 2] = (uint32_t)k + 1;
}

static int
end_accepts(struct rta_regex *re, uint32_t row)
{
	uint32_t *e = &re->trans[row + re->nec + 1];
	struct dstate *ds;

	if (*e == T_UNKNOWN) {
		ds = &re->st[(row - T_FIRST) / re->width];
		if (ds->end < 0)
			ds->end = close_full(re, re->pool + ds->off, ds->n,
			    ds->flags, 0, 1) < 0;
		*e = ds->end ? T_MATCH : T_DEAD;
	}
	return *e == T_MATCH;
}

/* ------------------------------------------------------- searching */

/* The code point at *pp (not ASCII), U+FFFD for a bad byte. */
static uint32_t
decode(const unsigned char **pp, const unsigned char *end)
{
	size_t n = rta_utf8_seqlen(*pp, (size_t)(end - *pp));
	uint32_t cp;

	if (n == 0) {
		(*pp)++;
		return 0xfffd;
	}
	cp = utf8_value(*pp, n);
	*pp += n;
	return cp;
}

/*
 * Go on from the state in re->next (n leaves) without the cache: the NFA
 * simulation, one set of leaves per code point.
 */
static int
simulate(struct rta_regex *re, uint32_t n, unsigned flags,
    const unsigned char *p, const unsigned char *end)
{
	uint32_t *t, ec;
	long m;

	t = re->cur, re->cur = re->next, re->next = t;
	while (p < end) {
		ec = *p < 0x80 ? re->ascii_ec[*p++] :
		    class_of(re, decode(&p, end));
		if ((m = step(re, re->cur, n, flags, ec, &flags)) <= 0)
			return m < 0;
		n = (uint32_t)m;
		t = re->cur, re->cur = re->next, re->next = t;
	}
	return close_full(re, re->cur, n, flags, 0, 1) < 0;
}

/* Past the bytes from p whose bits m holds. */
static const unsigned char *
skip_run(const uint8_t *m, const unsigned char *p, const unsigned char *end)
{
	while (p < end && (m[*p >> 3] >> (*p & 7) & 1))
		p++;
	return p;
}

int
rta_regex_search(struct rta_regex *re, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p;
	const uint32_t *trans, *bec;
	uint32_t st, nx, ec;

	if (len > 0)
		end = p + len;
	if ((st = re->start) == T_UNKNOWN)
		st = start_state(re);
	if (st < T_FIRST)
		return st == T_MATCH;
	if (st == T_NOROOM)
		return simulate(re, re->nnext, F_START, p, end);
	trans = re->trans;
	bec = re->byte_ec;
	for (;;) {
		/* known transitions, four bytes a step */
		while (end - p >= 4) {
			uint32_t a, b, c, l;

			if ((a = trans[st + bec[p[0]]]) < T_FIRST)
				break;
			if (a == st) {
				/* a run of bytes that lead back: skip it */
				if ((l = trans[st + re->nec + 2]) == 0)
					l = loop_bits(re, st);
				if (l != NO_LOOPS) {
					p = skip_run(re->loops + LOOP_BYTES *
					    (l - 1), p + 1, end);
					continue;
				}
			}
			if ((b = trans[a + bec[p[1]]]) < T_FIRST) {
				st = a, p += 1;
				break;
			}
			if ((c = trans[b + bec[p[2]]]) < T_FIRST) {
				st = b, p += 2;
				break;
			}
			if ((nx = trans[c + bec[p[3]]]) < T_FIRST) {
				st = c, p += 3;
				break;
			}
			st = nx, p += 4;
		}
		if (p >= end)
			break;
		/* one byte: an end, a state to make, or a multibyte one */
		ec = bec[*p++];
		nx = trans[st + ec];
		if (nx < T_FIRST) {
			if (nx != T_UNKNOWN)
				return nx == T_MATCH;
			if (ec == re->nec) {
				/* not ASCII: the code point's own class */
				p--;
				ec = class_of(re, decode(&p, end));
				if ((nx = trans[st + ec]) >= T_FIRST) {
					st = nx;
					continue;
				}
				if (nx != T_UNKNOWN)
					return nx == T_MATCH;
			}
			nx = transition(re, st, ec);
			if (nx < T_FIRST)
				return nx == T_MATCH;
			if (nx == T_NOROOM)
				return simulate(re, re->nnext, re->nextflags,
				    p, end);
			trans = re->trans;
		}
		st = nx;
	}
	return end_accepts(re, st);
}

/* ------------------------------------------------------- lifecycle */

static void
cache_free(struct rta_regex *re)
{
	rta_free(re->loops);
	re->loops = NULL;
	re->lcap = 0;
	rta_free(re->trans);
	rta_free(re->st);
	rta_free(re->pool);
	rta_free(re->hash);
	re->trans = NULL;
	re->st = NULL;
	re->pool = NULL;
	re->hash = NULL;
	re->tcap = re->scap = re->pcap = re->hcap = 0;
	re->nst = re->plen = 0;
	re->start = T_UNKNOWN;
}

void
rta_regex_set_cache(struct rta_regex *re, size_t bytes)
{
	cache_free(re);
	re->cache_max = bytes;
}

size_t
rta_regex_memory(const struct rta_regex *re)
{
	return re->base_mem + cache_bytes(re);
}

void
rta_regex_free(struct rta_regex *re)
{
	if (re == NULL)
		return;
	cache_free(re);
	rta_free(re->prog);
	rta_free(re->set);
	rta_free(re->rng);
	rta_free(re->bnd);
	rta_free(re->ivec);
	rta_free(re->rep);
	rta_free(re->isword);
	rta_free(re->mark);
	rta_free(re->stack);
	rta_free(re->list);
	rta_free(re->next);
	rta_free(re->cur);
	rta_free(re);
}

/* The program for the tree at root (size instructions with MATCH). */
static int
build(struct parser *ps, uint32_t root, uint32_t size, struct rta_regex **out)
{
	struct rta_regex *re;
	struct emitter e;
	uint32_t nn = 0;

	if ((re = rta_calloc(1, sizeof(*re))) == NULL)
		return nomem(ps);
	re->start = T_UNKNOWN;
	re->cache_max = RTA_REGEX_CACHE_MAX;
	re->nprog = size;
	re->nset = (uint32_t)ps->nset;
	re->nrng = (uint32_t)ps->nrng;
	re->set = ps->set;
	re->rng = ps->rng;
	ps->set = NULL;
	ps->rng = NULL;
	re->prog = rta_reallocarray(NULL, size, sizeof(*re->prog));
	re->mark = rta_calloc(size, sizeof(*re->mark));
	re->stack = rta_reallocarray(NULL, size, sizeof(*re->stack));
	re->list = rta_reallocarray(NULL, size, sizeof(*re->list));
	re->next = rta_reallocarray(NULL, size, sizeof(*re->next));
	re->cur = rta_reallocarray(NULL, size, sizeof(*re->cur));
	if (re->prog == NULL || re->mark == NULL || re->stack == NULL ||
	    re->list == NULL || re->next == NULL || re->cur == NULL)
		goto nomem;
	e.prog = re->prog;
	e.n = 0;
	e.ps = ps;
	emit(&e, root);
	put(&e, OP_MATCH, 0, 0);
	if (build_classes(re, ps->words) != 0)
		goto nomem;
	/* anchored: nothing gets past a ^ when not at the start */
	bump(re);
	re->anchored = close_part(re, 0, 0, &nn) == 0 && nn == 0;
	re->base_mem = sizeof(*re) + size * (sizeof(*re->prog) + 5 *
	    sizeof(uint32_t)) + re->nset * sizeof(*re->set) +
	    re->nrng * 2 * sizeof(*re->rng) + re->nb * 2 * sizeof(uint32_t) +
	    re->nec * (sizeof(*re->rep) + (re->isword != NULL));
	*out = re;
	return 0;
nomem:
	rta_regex_free(re);
	return nomem(ps);
}

int
rta_regex_compile(struct rta_regex **re, const char *pat, size_t len,
    struct rta_error *err)
{
	struct parser ps;
	uint64_t size;
	uint32_t root;
	size_t bad = 0, i;

	memset(&ps, 0, sizeof(ps));
	ps.pat = (const unsigned char *)pat;
	ps.len = len;
	ps.err = err;
	ps.big_at = SIZE_MAX;
	for (i = 0; i < B_COUNT; i++)
		ps.builtin[i] = NONE;
	for (i = 0; i < 128; i++)
		ps.lit[i] = NONE;
	if (len > 0 && !rta_utf8_valid(pat, len, &bad)) {
		SYNTAX(&ps, bad, "invalid UTF-8 in the pattern");
		goto out;
	}
	if (parse_disj(&ps, 0, &root) != 0)
		goto out;
	if (ps.pos < len) {
		SYNTAX(&ps, ps.pos, "unmatched ')'");
		goto out;
	}
	if (check_names(&ps) != 0)
		goto out;
	if (ps.unsup) {
		fail(&ps, RTA_EDATA, "unsupported-pattern", ps.unsup_at, "%s",
		    ps.unsup_text);
		goto out;
	}
	if ((size = prog_size(&ps, root) + 1) > RTA_REGEX_MAX_PROG) {
		fail(&ps, RTA_ELIMIT, "pattern-too-large",
		    ps.big_at == SIZE_MAX ? 0 : ps.big_at, "the pattern "
		    "needs more than %d instructions", RTA_REGEX_MAX_PROG);
		goto out;
	}
	if (build(&ps, root, (uint32_t)size, re) == 0)
		ps.code = RTA_OK;
out:
	rta_free(ps.node);
	rta_free(ps.rng);
	rta_free(ps.set);
	rta_free(ps.cls);
	rta_free(ps.name);
	rta_free(ps.grp);
	rta_free(ps.ref);
	return ps.code;
}
