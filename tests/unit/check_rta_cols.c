/*
 * check_rta_cols.c: a sealed block's aggregate records as columns.
 *
 * Blocks of random aggregate records (windows a minute apart or not,
 * before 1970 too, few or many distinct group values of every kind,
 * integer, decimal, double and null sums, int and double extremes,
 * moments, counts of 0) build into column bodies that read back, record
 * for record, what the records hold: the window's start and end, each
 * group value byte for byte, and each state's numbers as loading the
 * state gives them.  Building is deterministic; records of more than one
 * shape, or with a state that holds more than numbers, build none; a
 * body cut short is refused, and one changed anywhere is refused or
 * reads only inside itself; and a query fed a block's columns gives the
 * bytes it gives fed the block's records one by one, or declines the
 * block (and is then fed its records) where it cannot promise that:
 * windows across a bucket or past the range, other window types, states
 * it cannot load, and a block with no record in the range that must
 * leave the query as its records would.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_agg.h"
#include "rta_buf.h"
#include "rta_cols.h"
#include "rta_event.h"
#include "rta_field.h"
#include "rta_frame.h"
#include "rta_query.h"
#include "rta_time.h"
#include "rta_value.h"
#include "unit.h"

#define MIN	(60 * RTA_US_PER_SEC)
#define HOUR	(60 * MIN)

/*
 * check records the place of every ck_assert that passes (a write to
 * its result channel each), which loops over many records cannot
 * afford: these fail the same way and cost nothing when they pass.
 */
#define CHECK(e)	do { if (!(e)) ck_abort_msg("assertion '%s' failed", \
			    #e); } while (0)
#define CHECK_MSG(e, ...) do { if (!(e)) ck_abort_msg(__VA_ARGS__); } \
			    while (0)
#define CHECK_OP(a, op, b) do {						\
	unsigned long long a_ = (unsigned long long)(a),		\
	    b_ = (unsigned long long)(b);				\
	if (!(a_ op b_))						\
		ck_abort_msg("'%s' %s '%s' failed: %lld, %lld", #a,	\
		    #op, #b, (long long)a_, (long long)b_);		\
} while (0)
#define CHECK_EQ(a, b)	CHECK_OP(a, ==, b)
#define CHECK_LT(a, b)	CHECK_OP(a, <, b)
#define CHECK_LE(a, b)	CHECK_OP(a, <=, b)
#define CHECK_GT(a, b)	CHECK_OP(a, >, b)
#define CHECK_GE(a, b)	CHECK_OP(a, >=, b)
#define CHECK_MEM(a, b, n) CHECK(memcmp((a), (b), (n)) == 0)
#define CHECK_PTR(p)	CHECK((p) != NULL)
#define CHECK_STR(a, b)	CHECK_MSG(strcmp((a), (b)) == 0, "'%s', not '%s'", \
			    (a), (b))

/* No record of a block is changed, or every one is (block_make). */
#define NONE	UINT32_MAX
#define ALL	(UINT32_MAX - 1)

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A random number below n (n > 0). */
static uint64_t
below(uint64_t n)
{
	return next() % n;
}

/* ---- random blocks -------------------------------------------------- */

/* The states a block's records may hold: their names and types. */
enum { T_COUNT, T_SUM, T_MIN, T_MAX, T_MOMENTS };

static const char *const tnames[] = { "count", "sum", "min", "max",
    "moments" };

static const struct {
	const char	*name;
	int		 type;
} snames[] = {
	{ "count", T_COUNT },
	{ "sum:payload.value", T_SUM },
	{ "min:payload.value", T_MIN },
	{ "max:payload.value", T_MAX },
	{ "stddev:payload.value", T_MOMENTS },
	{ "avg:payload.latency", T_SUM },
	{ "max:payload.latency", T_MAX },
	{ "sum:payload.latency", T_SUM }
};
#define NSNAMES	(sizeof(snames) / sizeof(snames[0]))

/* The group members a block's records may have. */
static const char *const gnames[] = { "tenant_id", "event_type",
    "payload.region" };
#define NGNAMES	(sizeof(gnames) / sizeof(gnames[0]))

/* What the records of one block are like. */
struct shape {
	char		 tenant[16];
	const char	*window;
	uint32_t	 n;
	size_t		 ng, ns;
	unsigned	 g[NGNAMES];	/* gnames, in the records' order */
	unsigned	 gdist[NGNAMES]; /* distinct values of each */
	unsigned	 s[NSNAMES];	/* snames, in the records' order */
	int		 cmode;		/* counts: 0, small, medium, large,
					 * any */
	int		 vmode;		/* numbers: ints, decimals, doubles,
					 * nulls, any */
	int		 tmode;		/* times (times_make) */
	int64_t		 base;		/* about the first window's start */
	int		 shuffled;	/* records not in time order */
};

/* A block: its records as frames, with the times they were given. */
struct block {
	struct shape	 sh;
	struct rta_buf	 frames;
	int64_t		*ts, *end;
};

/* A random order of 0 .. n-1 in v. */
static void
perm(unsigned *v, size_t n)
{
	size_t i, j;
	unsigned t;

	for (i = 0; i < n; i++)
		v[i] = (unsigned)i;
	for (i = n; i > 1; i--) {
		j = (size_t)below(i);
		t = v[i - 1];
		v[i - 1] = v[j];
		v[j] = t;
	}
}

/* A random shape of at most maxn records. */
static void
shape_random(struct shape *sh, uint32_t maxn)
{
	static const unsigned dist[] = { 1, 2, 5, 40, 300, 100000 };
	unsigned p[NSNAMES];
	size_t i;

	memset(sh, 0, sizeof(*sh));
	snprintf(sh->tenant, sizeof(sh->tenant), "t%04u", (unsigned)below(3));
	sh->window = "tumbling";
	sh->n = 1 + (uint32_t)below(maxn);
	sh->ng = (size_t)below(NGNAMES + 1);
	perm(p, NGNAMES);
	for (i = 0; i < sh->ng; i++) {
		sh->g[i] = p[i];
		sh->gdist[i] = dist[below(sizeof(dist) / sizeof(dist[0]))];
	}
	sh->ns = below(16) == 0 ? 0 : 1 + (size_t)below(NSNAMES);
	perm(p, NSNAMES);
	for (i = 0; i < sh->ns; i++)
		sh->s[i] = p[i];
	sh->cmode = (int)below(5);
	sh->vmode = (int)below(5);
	/* mostly 1-minute windows, as rta-window's */
	sh->tmode = (int)below(10);
	sh->tmode = sh->tmode < 3 ? 0 : sh->tmode < 6 ? 1 : sh->tmode - 4;
	/* a minute within 200 years either side of 1970 */
	sh->base = ((int64_t)below(400ULL * 365 * 24 * 60) -
	    200LL * 365 * 24 * 60) * MIN;
	sh->shuffled = below(8) == 0;
}

/* The greatest multiple of m not above t. */
static int64_t
floor_to(int64_t t, int64_t m)
{
	int64_t r = t % m;

	return t - (r < 0 ? r + m : r);
}

/* Each record's window start and end, as the shape's tmode says. */
static void
times_make(const struct shape *sh, int64_t *ts, int64_t *end)
{
	int64_t t = sh->base, x;
	uint32_t i, j;

	if (sh->tmode == 4)
		t = floor_to(t, HOUR);
	for (i = 0; i < sh->n; i++) {
		switch (sh->tmode) {
		case 0:		/* one minute after another */
			ts[i] = t;
			end[i] = t + MIN;
			t += MIN;
			break;
		case 1:		/* several groups a minute, and gaps */
			ts[i] = t;
			end[i] = t + MIN;
			x = (int64_t)below(10);
			t += x < 6 ? 0 : x < 9 ? MIN : (int64_t)below(1000) *
			    MIN;
			break;
		case 2:		/* 2-minute windows at any minute */
			ts[i] = t;
			end[i] = t + 2 * MIN;
			t += (int64_t)below(3) * MIN;
			break;
		case 3:		/* any start, any length up to 10 minutes */
			ts[i] = t + (int64_t)below(MIN);
			end[i] = ts[i] + 1 + (int64_t)below(10 * MIN);
			t += (int64_t)below(3) * MIN;
			break;
		case 4:		/* hours */
			ts[i] = t;
			end[i] = t + HOUR;
			t += (int64_t)below(2) * HOUR;
			break;
		default:	/* now and then empty or backwards */
			ts[i] = t;
			end[i] = below(4) != 0 ? t + MIN : t -
			    (int64_t)below(2) * MIN;
			t += (int64_t)below(2) * MIN;
			break;
		}
	}
	if (!sh->shuffled)
		return;
	for (i = sh->n; i > 1; i--) {
		j = (uint32_t)below(i);
		x = ts[i - 1];
		ts[i - 1] = ts[j];
		ts[j] = x;
		x = end[i - 1];
		end[i - 1] = end[j];
		end[j] = x;
	}
}

/* us as RFC 3339: mostly the canonical form, now and then whole seconds
 * without a fraction, or the same time at an offset of +01:00. */
static void
put_time(struct rta_buf *b, int64_t us)
{
	char t[RTA_TIME_LEN];

	switch (below(6)) {
	case 0:
		rta_time_format(t, us);
		if (us % RTA_US_PER_SEC == 0)
			rta_buf_printf(b, "%.19sZ", t);
		else
			rta_buf_printf(b, "%.*s", RTA_TIME_LEN, t);
		break;
	case 1:
		rta_time_format(t, us + HOUR);
		rta_buf_printf(b, "%.26s+01:00", t);
		break;
	default:
		rta_time_format(t, us);
		rta_buf_printf(b, "%.*s", RTA_TIME_LEN, t);
		break;
	}
}

/* A JSON number or null of the kind mode says: 0 integers, 1 decimals
 * (and other number texts), 2 doubles, 3 null, 4 any of them. */
static void
put_num(struct rta_buf *b, int mode)
{
	static const char *const odd[] = {
		"1e3", "-0.0", "5.0", "2.5E-3", "0.1", "-0", "1.5e19",
		"-9.3e18", "9223372036854775807.0", "1e308",
		"-1.7976931348623157e308", "4.9e-324"
	};
	double d;

	if (mode == 4)
		mode = (int)below(4);
	switch (mode) {
	case 0:
		switch (below(7)) {
		case 0:
			rta_buf_printf(b, "%lld",
			    (long long)below(2001) - 1000);
			break;
		case 6:
			rta_buf_printf(b, "%lld", (long long)below(1 << 21) -
			    (1 << 20));
			break;
		case 1:
			rta_buf_printf(b, "%lld", (long long)(next() >> 24) -
			    (1LL << 39));
			break;
		case 2:
			rta_buf_printf(b, "%lld", (long long)INT64_MIN);
			break;
		case 3:
			rta_buf_printf(b, "%lld", (long long)INT64_MAX);
			break;
		case 4:
			rta_buf_printf(b, "0");
			break;
		default:
			rta_buf_printf(b, "%lld", (long long)(int64_t)next());
			break;
		}
		break;
	case 1:
		if (below(4) == 0)
			rta_buf_printf(b, "%s",
			    odd[below(sizeof(odd) / sizeof(odd[0]))]);
		else
			rta_buf_printf(b, "%s%llu.%02u", below(2) ? "-" : "",
			    (unsigned long long)below(100000),
			    (unsigned)below(100));
		break;
	case 2:
		d = (double)(int64_t)next() / (double)(1ULL << below(64));
		rta_buf_printf(b, "%.17g", d);
		break;
	default:
		rta_buf_printf(b, "null");
		break;
	}
}

/* A state's count as mode says: 0 zero, 1 small, 2 medium, 3 large,
 * 4 any. */
static uint64_t
count_make(int mode)
{
	if (mode == 4)
		mode = (int)below(4);
	switch (mode) {
	case 0:
		return 0;
	case 1:
		return below(101);
	case 2:
		return below(1 << (8 + below(17)));
	default:
		return next() >> 11;
	}
}

/* A count as JSON: an integer, now and then written as 17.0 (a number
 * that holds an integer). */
static void
put_count(struct rta_buf *b, uint64_t n)
{
	if (below(10) == 0)
		rta_buf_printf(b, "%llu.0", (unsigned long long)n);
	else
		rta_buf_printf(b, "%llu", (unsigned long long)n);
}

/* A state object of type as rta-window writes it, with "type" now and
 * then last, and a min or max now and then where the count is 0. */
static void
put_state(struct rta_buf *b, int type, const struct shape *sh)
{
	uint64_t n = count_make(sh->cmode);
	int last = below(8) == 0;

	if (!last)
		rta_buf_printf(b, "{\"type\":\"%s\",", tnames[type]);
	else
		rta_buf_printf(b, "{");
	rta_buf_printf(b, "\"count\":");
	put_count(b, n);
	switch (type) {
	case T_SUM:
		rta_buf_printf(b, ",\"sum\":");
		put_num(b, sh->vmode);
		break;
	case T_MIN:
	case T_MAX:
		if (n > 0 || below(4) == 0) {
			rta_buf_printf(b, ",\"%s\":", tnames[type]);
			put_num(b, sh->vmode);
		}
		break;
	case T_MOMENTS:
		rta_buf_printf(b, ",\"mean\":");
		put_num(b, sh->vmode);
		rta_buf_printf(b, ",\"m2\":");
		switch (below(4)) {
		case 0:
			rta_buf_printf(b, "0");
			break;
		case 1:
			rta_buf_printf(b, "null");
			break;
		case 2:
			rta_buf_printf(b, "%llu.%u",
			    (unsigned long long)below(1000000),
			    (unsigned)below(10));
			break;
		default:
			rta_buf_printf(b, "%.17g", (double)(next() >> 1) /
			    (double)(1ULL << below(64)));
			break;
		}
		break;
	default:
		break;
	}
	if (last)
		rta_buf_printf(b, ",\"type\":\"%s\"", tnames[type]);
	rta_buf_printf(b, "}");
}

/* A value of group member g (gnames) among dist distinct ones. */
static void
put_gval(struct rta_buf *b, const struct shape *sh, unsigned g,
    unsigned dist)
{
	unsigned k = (unsigned)below(dist);

	switch (g) {
	case 0:		/* tenant_id: the record's own, or many */
		if (dist <= 2)
			rta_buf_printf(b, "\"%s\"", sh->tenant);
		else
			rta_buf_printf(b, "\"t%04u\"", k);
		break;
	case 1:		/* event_type */
		if (k < 2)
			rta_buf_printf(b, "\"%s\"", k ? "click" : "page_view");
		else
			rta_buf_printf(b, "\"ev%u\"", k);
		break;
	default:	/* payload.region: every kind of value; 3 and 3.0
			 * are other bytes but one group */
		switch (k % 9) {
		case 0:
			rta_buf_printf(b, "null");
			break;
		case 1:
			rta_buf_printf(b, "%u", k / 9);
			break;
		case 2:
			rta_buf_printf(b, "%u.0", k / 9);
			break;
		case 3:
			rta_buf_printf(b, "%u.5", k);
			break;
		case 4:
			rta_buf_printf(b, "\"r%u\"", k);
			break;
		case 5:
			rta_buf_printf(b, "%s", k & 2 ? "true" : "false");
			break;
		case 6:
			rta_buf_printf(b, "\"caf\\u00e9%u\"", k);
			break;
		case 7:
			rta_buf_printf(b, "\"caf\xc3\xa9%u\"", k);
			break;
		default:
			rta_buf_printf(b, "[%u,\"x\"]", k);
			break;
		}
		break;
	}
}

/* How a record may differ from the others of its block. */
enum {
	V_NONE,
	V_WINDOW,	/* a sliding window */
	V_GORDER,	/* group members in the other order */
	V_GKEY,		/* a group member of another name */
	V_SEXTRA,	/* one state more */
	V_SFEWER,	/* one state fewer */
	V_SORDER,	/* states in the other order */
	V_DDSKETCH,	/* the first state a sketch or a value: ddsketch, */
	V_HLL,		/* hll, */
	V_FIRST,	/* first, */
	V_TOPK,		/* topk */
	V_OTHERTYPE,	/* the first state of another simple type */
	V_BADSTATE,	/* the first state does not load (count -1) */
	V_END,		/* an end that is not a time */
	V_ENDNUM,	/* an end that is a number */
	V_NOEND,	/* no end */
	V_NOGROUP,	/* a group that is not an object */
	V_NOSTATES,	/* states that are not an object */
	NVARIANTS
};

/* Record i of shape sh with window [ts, end) as an NDJSON line into b,
 * changed as variant says. */
static void
line_make(struct rta_buf *b, const struct shape *sh, uint32_t i, int64_t ts,
    int64_t end, int variant)
{
	char t[RTA_TIME_LEN];
	size_t k, j, ns;
	const char *key;
	int type;

	rta_buf_reset(b);
	rta_time_format(t, ts);
	rta_buf_printf(b, "{\"$rta\":\"aggregate\",\"record_id\":"
	    "\"0190a1b2-c3d4-7e5f-8a9b-%012x\",\"window\":\"%s\","
	    "\"start\":\"%.*s\",\"tenant_id\":\"%s\",\"version\":1,", i,
	    variant == V_WINDOW ? "sliding" : sh->window, RTA_TIME_LEN, t,
	    sh->tenant);
	switch (variant) {
	case V_END:
		rta_buf_printf(b, "\"end\":\"yesterday\",");
		break;
	case V_ENDNUM:
		rta_buf_printf(b, "\"end\":%lld,", (long long)end);
		break;
	case V_NOEND:
		break;
	default:
		rta_buf_printf(b, "\"end\":\"");
		put_time(b, end);
		rta_buf_printf(b, "\",");
		break;
	}
	rta_buf_printf(b, "\"final\":true,\"group\":");
	if (variant == V_NOGROUP)
		rta_buf_printf(b, "[]");
	else {
		rta_buf_printf(b, "{");
		for (k = 0; k < sh->ng; k++) {
			j = variant == V_GORDER ? sh->ng - 1 - k : k;
			key = variant == V_GKEY && j == 0 ? "payload.zone" :
			    gnames[sh->g[j]];
			rta_buf_printf(b, "%s\"%s\":", k ? "," : "", key);
			put_gval(b, sh, sh->g[j], sh->gdist[j]);
		}
		rta_buf_printf(b, "}");
	}
	rta_buf_printf(b, ",\"results\":{\"n\":%u},\"states\":", i);
	if (variant == V_NOSTATES) {
		rta_buf_printf(b, "null}");
		return;
	}
	rta_buf_printf(b, "{");
	ns = sh->ns - (variant == V_SFEWER && sh->ns > 0);
	for (k = 0; k < ns; k++) {
		j = variant == V_SORDER ? sh->ns - 1 - k : k;
		type = snames[sh->s[j]].type;
		rta_buf_printf(b, "%s\"%s\":", k ? "," : "",
		    snames[sh->s[j]].name);
		if (k > 0 || variant < V_DDSKETCH || variant > V_BADSTATE) {
			put_state(b, type, sh);
			continue;
		}
		switch (variant) {
		case V_DDSKETCH:
		case V_HLL:
		case V_TOPK:
			rta_buf_printf(b, "{\"type\":\"%s\",\"count\":1,"
			    "\"sketch\":\"AAAA\"}", variant == V_DDSKETCH ?
			    "ddsketch" : variant == V_HLL ? "hll" : "topk");
			break;
		case V_FIRST:
			rta_buf_printf(b, "{\"type\":\"first\",\"count\":1,"
			    "\"ts\":0,\"value\":3}");
			break;
		case V_OTHERTYPE:
			if (type == T_COUNT)
				rta_buf_printf(b, "{\"type\":\"sum\","
				    "\"count\":1,\"sum\":1}");
			else
				rta_buf_printf(b, "{\"type\":\"count\","
				    "\"count\":1}");
			break;
		default:
			rta_buf_printf(b, "{\"type\":\"%s\",\"count\":-1}",
			    tnames[type]);
			break;
		}
	}
	if (variant == V_SEXTRA)
		rta_buf_printf(b, "%s\"max:payload.other\":{\"type\":\"max\","
		    "\"count\":0}", ns ? "," : "");
	rta_buf_printf(b, "}}");
}

/* The block of shape sh whose windows are ts, end (n of them, copied),
 * record bad (or ALL of them, or NONE) changed as variant says. */
static void
block_times(struct block *bk, const struct shape *sh, const int64_t *ts,
    const int64_t *end, uint32_t bad, int variant)
{
	struct rta_ndjson_parser np;
	struct rta_buf line = RTA_BUF_INIT;
	struct rta_record rec;
	struct rta_error err;
	uint32_t i;

	bk->sh = *sh;
	rta_buf_init(&bk->frames);
	bk->ts = calloc(sh->n, sizeof(*bk->ts));
	bk->end = calloc(sh->n, sizeof(*bk->end));
	CHECK(bk->ts != NULL && bk->end != NULL);
	memcpy(bk->ts, ts, sh->n * sizeof(*ts));
	memcpy(bk->end, end, sh->n * sizeof(*end));
	rta_ndjson_parser_init(&np);
	for (i = 0; i < sh->n; i++) {
		line_make(&line, sh, i, ts[i], end[i], bad == ALL ||
		    bad == i ? variant : V_NONE);
		CHECK_MSG(rta_ndjson_parse(&np, line.data, line.len, &rec,
		    &err) == RTA_OK, "%s: %.*s", err.text, (int)line.len,
		    (const char *)line.data);
		CHECK_EQ(rec.kind, RTA_REC_AGGREGATE);
		CHECK_EQ(rec.ev.ts, ts[i]);
		CHECK_EQ(rta_frame_put(&bk->frames, &rec), 0);
	}
	rta_ndjson_parser_release(&np);
	rta_buf_release(&line);
}

/* The block of shape sh with times of its own. */
static void
block_make(struct block *bk, const struct shape *sh, uint32_t bad,
    int variant)
{
	int64_t *ts = calloc(sh->n, sizeof(*ts)), *end = calloc(sh->n,
	    sizeof(*end));

	CHECK(ts != NULL && end != NULL);
	times_make(sh, ts, end);
	block_times(bk, sh, ts, end, bad, variant);
	free(ts);
	free(end);
}

static void
block_free(struct block *bk)
{
	rta_buf_release(&bk->frames);
	free(bk->ts);
	free(bk->end);
}

/* The block's records, decoded as a reader does (borrowing from it). */
static struct rta_record *
decode_all(const struct block *bk)
{
	const unsigned char *p = bk->frames.data;
	struct rta_record *r;
	struct rta_error err;
	size_t off = 0, size;
	uint32_t i;
	int hdr;

	r = calloc(bk->sh.n, sizeof(*r));
	CHECK_PTR(r);
	for (i = 0; i < bk->sh.n; i++) {
		CHECK_EQ(rta_frame_probe(p + off, bk->frames.len - off,
		    RTA_FRAME_MAX, &hdr, &size, &err), RTA_OK);
		CHECK(!hdr);
		CHECK_MSG(rta_frame_decode(p + off, size,
		    RTA_VALUE_MAX_DEPTH, RTA_VALUE_MAX_MEMBERS, &r[i], &err) ==
		    RTA_OK, "record %u: %s", i, err.text);
		off += size;
	}
	CHECK_EQ(off, bk->frames.len);
	return r;
}

/* ---- reading back ---------------------------------------------------- */

/*
 * The columns c of block bk read back what its records hold: the window
 * type and template, each record's start and end, its group members'
 * values byte for byte, and its states' numbers as rta_agg_num_read
 * gives them (doubles by their bits, so that NaN and -0 count).  The
 * widths of the columns seen are or-ed into *widths (1 << width).
 */
static void
check_cols(const struct rta_cols *c, const struct block *bk,
    unsigned *widths)
{
	struct rta_record *r = decode_all(bk);
	struct rta_agg_parts pp;
	struct rta_viter it;
	struct rta_agg_num x;
	struct rta_agg_acc a;
	enum rta_agg_kind kind;
	const unsigned char *v, *g;
	const char *k, *s;
	size_t kl, sl;
	int64_t end, pat;
	uint32_t i, j;

	CHECK_EQ(c->n, bk->sh.n);
	CHECK_EQ(c->wtlen, r[0].ev.type_len);
	CHECK_MEM(c->wtype, r[0].ev.type, c->wtlen);
	CHECK_EQ(c->tmpl_len, r[0].ev.payload_len);
	CHECK_MEM(c->tmpl, r[0].ev.payload, c->tmpl_len);
	CHECK_EQ(c->ngroup, bk->sh.ng);
	CHECK_EQ(c->nstates, bk->sh.ns);
	*widths |= 1u << c->ts.width | 1u << c->end.width;
	for (j = 0; j < c->ngroup; j++)
		*widths |= 1u << c->g[j].codes.width;
	for (j = 0; j < c->nstates; j++)
		*widths |= 1u << c->s[j].n.width | 1u << c->s[j].x.width |
		    1u << c->s[j].mean.width;
	memset(&pat, 0x5a, sizeof(pat));
	for (i = 0; i < c->n; i++) {
		CHECK_EQ(rta_cols_ts(c, i), r[i].ev.ts);
		CHECK_EQ(rta_cols_ts(c, i), bk->ts[i]);
		rta_aggregate_parts(r[i].ev.payload, &pp);
		CHECK(pp.end != NULL && rta_value_str(pp.end, &s, &sl));
		CHECK_EQ(rta_time_parse(s, sl, &end, NULL), RTA_OK);
		CHECK_EQ(end, bk->end[i]);
		CHECK_EQ(rta_cols_end(c, i), end);
		rta_viter_init(&it, pp.group);
		for (j = 0; rta_viter_member(&it, &k, &kl, &v); j++) {
			CHECK_LT(j, c->ngroup);
			g = rta_cols_gval(c, j, i);
			CHECK_EQ(rta_value_size(g), rta_value_size(v));
			CHECK_MSG(memcmp(g, v, rta_value_size(v)) == 0,
			    "record %u: group member %u differs", i, j);
		}
		CHECK_EQ(j, c->ngroup);
		rta_viter_init(&it, pp.states);
		for (j = 0; rta_viter_member(&it, &k, &kl, &v); j++) {
			CHECK_LT(j, c->nstates);
			CHECK_EQ(rta_agg_state_kind(v, &kind), 0);
			CHECK_EQ(c->s[j].kind, kind);
			CHECK_EQ(rta_agg_num_read(kind, v, &x), 0);
			memset(&a, 0x5a, sizeof(a));
			rta_cols_acc(c, j, i, &a);
			CHECK_MSG(a.n == x.n && a.is_int == x.is_int &&
			    a.isum == x.isum, "record %u state %.*s: n %llu "
			    "is_int %d isum %lld, loaded n %llu is_int %d "
			    "isum %lld", i, (int)kl, k,
			    (unsigned long long)a.n, a.is_int,
			    (long long)a.isum, (unsigned long long)x.n,
			    x.is_int, (long long)x.isum);
			CHECK_MSG(memcmp(&a.sum, &x.sum, 8) == 0 &&
			    memcmp(&a.mean, &x.mean, 8) == 0 &&
			    memcmp(&a.m2, &x.m2, 8) == 0, "record %u state "
			    "%.*s: sum %.17g mean %.17g m2 %.17g, loaded "
			    "%.17g %.17g %.17g", i, (int)kl, k, a.sum, a.mean,
			    a.m2, x.sum, x.mean, x.m2);
			/* the rest of the accumulator is left alone */
			CHECK(a.ts == pat);
		}
		CHECK_EQ(j, c->nstates);
	}
	/* rta_cols_sum of a column's integers [lo, n): what adding them
	 * one by one gives (64-bit, wrapping) */
	for (j = 0; j <= c->nstates; j++) {
		const struct rta_cols_int *col[4];
		uint32_t lo = c->n / 3, m, ncol = 1;
		uint64_t t;

		if (j == c->nstates)
			col[0] = &c->ts;
		else {
			col[0] = &c->s[j].n;
			col[ncol++] = &c->s[j].x;
			col[ncol++] = &c->s[j].mean;
			col[ncol++] = &c->s[j].m2;
		}
		for (m = 0; m < ncol; m++) {
			for (t = 0, i = lo; i < c->n; i++)
				t += rta_cols_u64(col[m], i);
			CHECK_EQ(rta_cols_sum(col[m], lo, c->n - lo), t);
		}
	}
	free(r);
}

/*
 * Random blocks of 1 to 300 records, of every shape shape_random makes,
 * build into columns that read back what their records hold; and the
 * columns' widths seen include 0 (one value), 1, 2, 4 and 8 bytes, so
 * the blocks did reach all of them.
 */
START_TEST(round_trip)
{
	struct rta_buf body = RTA_BUF_INIT;
	struct rta_error err;
	struct rta_cols c;
	struct shape sh;
	struct block bk;
	unsigned widths = 0, i;

	rta_cols_init(&c);
	for (i = 0; i < 400; i++) {
		shape_random(&sh, 300);
		block_make(&bk, &sh, NONE, V_NONE);
		CHECK_EQ(rta_cols_build(bk.frames.data, bk.frames.len,
		    sh.n, &body), 1);
		CHECK_MSG(rta_cols_parse(&c, body.data, body.len, &err) ==
		    RTA_OK, "block %u: %s", i, err.text);
		check_cols(&c, &bk, &widths);
		block_free(&bk);
	}
	CHECK_EQ(widths & 0x117, 0x117);
	rta_cols_release(&c);
	rta_buf_release(&body);
}
END_TEST

/*
 * The same records build the same bytes: twice from the same frames,
 * from a copy of them elsewhere in memory, and into a buffer that held
 * something before (which is replaced, not added to).
 */
START_TEST(deterministic)
{
	struct rta_buf a = RTA_BUF_INIT, b = RTA_BUF_INIT;
	struct shape sh;
	struct block bk;
	unsigned char *copy;
	unsigned i;

	for (i = 0; i < 100; i++) {
		shape_random(&sh, 300);
		block_make(&bk, &sh, NONE, V_NONE);
		CHECK_EQ(rta_cols_build(bk.frames.data, bk.frames.len,
		    sh.n, &a), 1);
		rta_buf_reset(&b);
		CHECK_EQ(rta_buf_add(&b, "leftover", 8), 0);
		copy = malloc(bk.frames.len);
		CHECK_PTR(copy);
		memcpy(copy, bk.frames.data, bk.frames.len);
		CHECK_EQ(rta_cols_build(copy, bk.frames.len, sh.n, &b),
		    1);
		CHECK_EQ(a.len, b.len);
		CHECK_MEM(a.data, b.data, a.len);
		CHECK_EQ(rta_cols_build(bk.frames.data, bk.frames.len,
		    sh.n, &b), 1);
		CHECK_EQ(a.len, b.len);
		CHECK_MEM(a.data, b.data, a.len);
		free(copy);
		block_free(&bk);
	}
	rta_buf_release(&a);
	rta_buf_release(&b);
}
END_TEST

/* The least width that holds d, as rta_cols.h says a column has. */
static unsigned
width_of(uint64_t d)
{
	return d == 0 ? 0 : d <= 0xff ? 1 : d <= 0xffff ? 2 :
	    d <= 0xffffffffULL ? 4 : 8;
}

/*
 * The columns are frames of reference as rta_cols.h describes them.
 * Three records whose sums are x + d, x and x + 1 (x 0, -1000 and
 * INT64_MIN; d at each width's limits, up to 2^64 - 1) and whose counts
 * are d, 0 and 1 (where d fits a count): a column of base x (the least,
 * though not the first), step 1 and the least width that holds d, and
 * the numbers read back.  Windows a minute apart: a step of a minute
 * and a byte each.  Sums all integers: is_int a column of width 0.  One
 * record: every column of width 0.
 */
START_TEST(widths)
{
	static const uint64_t ds[] = {
		1, 0xff, 0x100, 0xffff, 0x10000, 0xffffffffULL,
		0x100000000ULL, 0x7fffffffffffffffULL, 0xffffffffffffffffULL
	};
	static const int64_t xs[] = { 0, -1000, INT64_MIN };
	struct rta_ndjson_parser np;
	struct rta_buf line = RTA_BUF_INIT, frames = RTA_BUF_INIT,
	    body = RTA_BUF_INIT;
	struct rta_record rec;
	struct rta_error err;
	struct rta_agg_acc a;
	struct rta_cols c;
	char t[RTA_TIME_LEN], e[RTA_TIME_LEN];
	int64_t v[3], cnt[3], t0 = 29000000LL * MIN;
	uint64_t d;
	size_t i, j;
	uint32_t r, n;

	rta_cols_init(&c);
	rta_ndjson_parser_init(&np);
	for (i = 0; i < sizeof(xs) / sizeof(xs[0]); i++)
		for (j = 0; j < sizeof(ds) / sizeof(ds[0]); j++) {
			d = ds[j];
			/* x + d must be an i64 */
			if (d > (uint64_t)INT64_MAX - (uint64_t)xs[i])
				continue;
			v[0] = (int64_t)((uint64_t)xs[i] + d);
			v[1] = xs[i];
			v[2] = (int64_t)((uint64_t)xs[i] + 1);
			cnt[0] = d <= (uint64_t)INT64_MAX ? (int64_t)d : 0;
			cnt[1] = 0;
			cnt[2] = 1;
			n = j == 0 && i == 0 ? 1 : 3;
			rta_buf_reset(&frames);
			for (r = 0; r < n; r++) {
				rta_time_format(t, t0 + r * MIN);
				rta_time_format(e, t0 + (r + 1) * MIN);
				rta_buf_reset(&line);
				rta_buf_printf(&line, "{\"$rta\":\"aggregate\","
				    "\"record_id\":\"r%u\",\"window\":"
				    "\"tumbling\",\"start\":\"%.*s\","
				    "\"tenant_id\":\"t0000\",\"version\":1,"
				    "\"end\":\"%.*s\",\"group\":{},"
				    "\"states\":{\"count\":{\"type\":"
				    "\"count\",\"count\":%lld},\"sum:x\":"
				    "{\"type\":\"sum\",\"count\":1,"
				    "\"sum\":%lld}}}", r, RTA_TIME_LEN, t,
				    RTA_TIME_LEN, e, (long long)cnt[r],
				    (long long)v[r]);
				CHECK_MSG(rta_ndjson_parse(&np, line.data,
				    line.len, &rec, &err) == RTA_OK, "%s",
				    err.text);
				CHECK_EQ(rta_frame_put(&frames, &rec), 0);
			}
			CHECK_EQ(rta_cols_build(frames.data, frames.len, n,
			    &body), 1);
			CHECK_EQ(rta_cols_parse(&c, body.data, body.len, &err),
			    RTA_OK);
			CHECK_EQ(c.nstates, 2);
			CHECK_EQ(c.ts.width, n > 1);
			CHECK_EQ(c.ts.base, t0);
			CHECK_EQ(c.end.width, n > 1);
			CHECK_EQ(c.end.base, t0 + MIN);
			if (n > 1) {
				CHECK_EQ(c.ts.step, MIN);
				CHECK_EQ(c.end.step, MIN);
			}
			CHECK_EQ(c.s[1].is_int.width, 0);
			CHECK_EQ(c.s[1].is_int.base, 1);
			CHECK_MSG(c.s[1].x.width == (n > 1 ? width_of(d) : 0) &&
			    c.s[1].x.base == (uint64_t)(n > 1 ? xs[i] :
			    v[0]) &&
			    (n == 1 || c.s[1].x.step == 1), "x %lld d %llu: "
			    "width %u base %lld step %llu", (long long)xs[i],
			    (unsigned long long)d, c.s[1].x.width,
			    (long long)c.s[1].x.base,
			    (unsigned long long)c.s[1].x.step);
			CHECK_EQ(c.s[0].n.width, n > 1 ? width_of((uint64_t)
			    cnt[0] > 1 ? (uint64_t)cnt[0] : 1) : 0);
			for (r = 0; r < n; r++) {
				CHECK_EQ(rta_cols_ts(&c, r), t0 + r * MIN);
				rta_cols_acc(&c, 1, r, &a);
				CHECK_EQ(a.isum, v[r]);
				CHECK_EQ(a.is_int, 1);
				rta_cols_acc(&c, 0, r, &a);
				CHECK_EQ(a.n, cnt[r]);
			}
		}
	rta_ndjson_parser_release(&np);
	rta_cols_release(&c);
	rta_buf_release(&line);
	rta_buf_release(&frames);
	rta_buf_release(&body);
}
END_TEST

/* ---- records that do not make columns ------------------------------- */

/* A shape of n records with group {tenant_id, event_type} and states
 * count, sum:payload.value, max:payload.value. */
static void
shape_fixed(struct shape *sh, uint32_t n)
{
	memset(sh, 0, sizeof(*sh));
	snprintf(sh->tenant, sizeof(sh->tenant), "t0000");
	sh->window = "tumbling";
	sh->n = n;
	sh->ng = 2;
	sh->g[0] = 0;
	sh->g[1] = 1;
	sh->gdist[0] = 1;
	sh->gdist[1] = 3;
	sh->ns = 3;
	sh->s[0] = 0;
	sh->s[1] = 1;
	sh->s[2] = 3;
	sh->cmode = 4;
	sh->vmode = 4;
	sh->tmode = 1;
	sh->base = 29000000LL * MIN;
}

/* Build block bk's count records into out (filled with junk first):
 * the return code, with out empty unless it is 1. */
static int
build(const struct block *bk, uint32_t count, struct rta_buf *out)
{
	int rc;

	rta_buf_reset(out);
	CHECK_EQ(rta_buf_add(out, "junk", 4), 0);
	rc = rta_cols_build(bk->frames.data, bk->frames.len, count, out);
	if (rc != 1)
		CHECK_EQ(out->len, 0);
	return rc;
}

/*
 * A block builds no columns (0, out empty) when one record, first, in
 * the middle or last, differs from the others: another window type,
 * group members in another order or of another name, a state more or
 * fewer or in another order, a state of another type under the same
 * name, one that holds a sketch or a value, one that does not load, an
 * end that is no time, no end, no group or states object.  The same
 * block unchanged builds (1).  So does one whose records all have a
 * sliding window (uniform: the query declines it), but not one whose
 * records all hold a sketch or have no end.  Frames that are not a
 * block of count aggregate records build none either: a count of 0 or
 * one off, bytes after the last, a stream header or a raw event inside.
 */
START_TEST(non_uniform)
{
	static const uint32_t where[] = { 0, 3, 6 };
	struct rta_buf out = RTA_BUF_INIT, x = RTA_BUF_INIT,
	    line = RTA_BUF_INIT;
	struct rta_ndjson_parser np;
	struct rta_record rec;
	struct rta_error err;
	struct rta_cols c;
	struct shape sh;
	struct block bk;
	size_t w;
	int v;

	rta_cols_init(&c);
	shape_fixed(&sh, 7);
	for (v = V_WINDOW; v < NVARIANTS; v++)
		for (w = 0; w < sizeof(where) / sizeof(where[0]); w++) {
			block_make(&bk, &sh, where[w], v);
			CHECK_MSG(build(&bk, sh.n, &out) == 0,
			    "variant %d in record %u built", v, where[w]);
			block_free(&bk);
		}
	block_make(&bk, &sh, NONE, V_NONE);
	CHECK_EQ(build(&bk, sh.n, &out), 1);
	CHECK_EQ(rta_cols_parse(&c, out.data, out.len, &err), RTA_OK);
	/* the frames themselves */
	CHECK_EQ(build(&bk, 0, &out), 0);
	CHECK_EQ(build(&bk, sh.n - 1, &out), 0);
	CHECK_EQ(build(&bk, sh.n + 1, &out), 0);
	rta_buf_reset(&x);
	CHECK_EQ(rta_buf_add(&x, bk.frames.data, bk.frames.len), 0);
	CHECK_EQ(rta_buf_add(&x, "", 1), 0);
	CHECK_EQ(rta_cols_build(x.data, x.len, sh.n, &out), 0);
	CHECK_EQ(out.len, 0);
	rta_buf_reset(&x);
	CHECK_EQ(rta_frame_put_header(&x), 0);
	CHECK_EQ(rta_buf_add(&x, bk.frames.data, bk.frames.len), 0);
	CHECK_EQ(rta_cols_build(x.data, x.len, sh.n + 1, &out), 0);
	CHECK_EQ(rta_cols_build(x.data, x.len, sh.n, &out), 0);
	/* a raw event after the aggregate records */
	rta_ndjson_parser_init(&np);
	rta_buf_printf(&line, "{\"event_id\":\"e1\",\"timestamp\":"
	    "\"2026-01-01T00:00:00Z\",\"event_type\":\"page_view\","
	    "\"tenant_id\":\"t0000\",\"schema_version\":1,\"payload\":"
	    "{\"value\":3}}");
	CHECK_EQ(rta_ndjson_parse(&np, line.data, line.len, &rec,
	    &err), RTA_OK);
	CHECK_EQ(rec.kind, RTA_REC_EVENT);
	rta_buf_reset(&x);
	CHECK_EQ(rta_buf_add(&x, bk.frames.data, bk.frames.len), 0);
	CHECK_EQ(rta_frame_put(&x, &rec), 0);
	CHECK_EQ(rta_cols_build(x.data, x.len, sh.n + 1, &out), 0);
	CHECK_EQ(rta_cols_build(x.data, x.len, sh.n, &out), 0);
	rta_ndjson_parser_release(&np);
	block_free(&bk);
	/* all records alike */
	block_make(&bk, &sh, ALL, V_WINDOW);
	CHECK_EQ(build(&bk, sh.n, &out), 1);
	CHECK_EQ(rta_cols_parse(&c, out.data, out.len, &err), RTA_OK);
	CHECK_EQ(c.wtlen, 7);
	CHECK_MEM(c.wtype, "sliding", 7);
	block_free(&bk);
	for (v = V_DDSKETCH; v <= V_TOPK; v++) {
		block_make(&bk, &sh, ALL, v);
		CHECK_MSG(build(&bk, sh.n, &out) == 0, "variant %d", v);
		block_free(&bk);
	}
	for (v = V_END; v <= V_NOSTATES; v++) {
		block_make(&bk, &sh, ALL, v);
		CHECK_MSG(build(&bk, sh.n, &out) == 0, "variant %d", v);
		block_free(&bk);
	}
	rta_cols_release(&c);
	rta_buf_release(&out);
	rta_buf_release(&x);
	rta_buf_release(&line);
}
END_TEST

/* ---- damage ---------------------------------------------------------- */

/* A field of a column body's header: where it starts and how long. */
struct field {
	size_t		 off, len;
};

/* A column's header (width, base, step) at *off, and its numbers. */
static void
layout_col(const unsigned char *p, size_t len, uint32_t n, size_t *off,
    struct field *f, size_t *nf)
{
	unsigned width;

	CHECK_LE(*off + 17, len);
	width = p[*off];
	CHECK(width == 0 || width == 1 || width == 2 || width == 4 ||
	    width == 8);
	f[(*nf)++] = (struct field){ *off, 1 };
	f[(*nf)++] = (struct field){ *off + 1, 8 };
	f[(*nf)++] = (struct field){ *off + 9, 8 };
	*off += 17 + (size_t)n * width;
}

/*
 * The header fields of a good column body (counts, lengths, kinds,
 * dictionary sizes and value lengths, each column's width, base and
 * step), found by walking it as rta_cols.h describes it: so the body is
 * also checked to be laid out as documented, to its last byte.  Returns
 * the number of fields (f holds room for them all).
 */
static size_t
layout(const unsigned char *p, size_t len, struct field *f)
{
	size_t off = 0, nf = 0;
	uint32_t n, l, ng, ns, j, k, nd;
	const unsigned char *kinds;

	CHECK_GE(len, 8);
	n = rta_get_u32(p);
	f[nf++] = (struct field){ 0, 4 };
	l = rta_get_u32(p + 4);
	f[nf++] = (struct field){ 4, 4 };
	off = 8 + l;
	f[nf++] = (struct field){ off, 4 };
	off += 4 + rta_get_u32(p + off);
	f[nf++] = (struct field){ off, 4 };
	f[nf++] = (struct field){ off + 4, 4 };
	ng = rta_get_u32(p + off);
	ns = rta_get_u32(p + off + 4);
	off += 8;
	kinds = p + off;
	f[nf++] = (struct field){ off, ns };
	off += ns;
	layout_col(p, len, n, &off, f, &nf);	/* times */
	layout_col(p, len, n, &off, f, &nf);	/* ends */
	for (j = 0; j < ng; j++) {
		nd = rta_get_u32(p + off);
		CHECK(nd >= 1 && nd <= n);
		f[nf++] = (struct field){ off, 4 };
		off += 4;
		for (k = 0; k < nd; k++) {
			f[nf++] = (struct field){ off, 4 };
			off += 4 + rta_get_u32(p + off);
		}
		layout_col(p, len, n, &off, f, &nf);
	}
	for (j = 0; j < ns; j++) {
		layout_col(p, len, n, &off, f, &nf);	/* counts */
		switch (kinds[j]) {
		case RTA_AGG_COUNT:
			break;
		case RTA_AGG_SUM:
		case RTA_AGG_MIN:
		case RTA_AGG_MAX:
		case RTA_AGG_STDDEV:
			layout_col(p, len, n, &off, f, &nf);
			layout_col(p, len, n, &off, f, &nf);
			break;
		default:
			ck_abort_msg("state kind %u", kinds[j]);
		}
	}
	CHECK_EQ(off, len);
	return nf;
}

/* Column x lies inside [p, p + len) for n numbers. */
static void
inside_col(const struct rta_cols_int *x, uint32_t n, const unsigned char *p,
    size_t len)
{
	CHECK(x->width == 0 || x->width == 1 || x->width == 2 ||
	    x->width == 4 || x->width == 8);
	if (x->width != 0)
		CHECK(x->p >= p && (size_t)(x->p - p) <= len &&
		    (size_t)n * x->width <= len - (size_t)(x->p - p));
}

/*
 * Columns c that rta_cols_parse took from the len bytes at p read only
 * inside them: every column, template and dictionary value lies inside,
 * every code names a dictionary value, and every accessor for every
 * record (a sample of them when a changed count makes millions of
 * records of columns of no bytes) returns without reading elsewhere
 * (ASan says so in build-san).  A query given the columns copes too.
 */
static void
check_inside(struct rta_cols *c, const unsigned char *p, size_t len,
    const struct rta_query_spec *qs)
{
	struct rta_buf json = RTA_BUF_INIT;
	struct rta_agg_acc a;
	struct rta_query *q;
	struct rta_error err;
	const unsigned char *g;
	uint32_t i, j, k, n = c->n, step;
	int took;

	CHECK_GT(n, 0);
	CHECK((const unsigned char *)c->wtype >= p &&
	    (const unsigned char *)c->wtype + c->wtlen <= p + len);
	CHECK(c->tmpl >= p && c->tmpl + c->tmpl_len <= p + len);
	inside_col(&c->ts, n, p, len);
	inside_col(&c->end, n, p, len);
	for (j = 0; j < c->ngroup; j++) {
		inside_col(&c->g[j].codes, n, p, len);
		CHECK(c->g[j].nd >= 1 && c->g[j].nd <= n);
		for (k = 0; k < c->g[j].nd; k++) {
			g = c->g[j].dict[k];
			CHECK(g >= p && g < p + len &&
			    rta_value_size(g) <= (size_t)(p + len - g));
		}
	}
	for (j = 0; j < c->nstates; j++) {
		inside_col(&c->s[j].n, n, p, len);
		inside_col(&c->s[j].is_int, n, p, len);
		inside_col(&c->s[j].x, n, p, len);
		inside_col(&c->s[j].mean, n, p, len);
		inside_col(&c->s[j].m2, n, p, len);
	}
	step = n > 100000 ? n / 1000 : 1;
	for (j = 0; j < c->ngroup; j++)
		for (k = 0; k < c->g[j].nd; k++) {
			rta_buf_reset(&json);
			CHECK_EQ(rta_value_to_json(&json, c->g[j].dict[k]), 0);
		}
	rta_buf_release(&json);
	for (i = 0; i < n; i += step) {
		(void)rta_cols_ts(c, i);
		(void)rta_cols_end(c, i);
		for (j = 0; j < c->ngroup; j++) {
			k = (uint32_t)rta_cols_u64(&c->g[j].codes, i);
			CHECK_LT(rta_cols_u64(&c->g[j].codes, i),
			    c->g[j].nd);
			CHECK(rta_cols_gval(c, j, i) == c->g[j].dict[k]);
		}
		for (j = 0; j < c->nstates; j++)
			rta_cols_acc(c, j, i, &a);
	}
	if (step != 1)
		return;
	c->tenant = "t0000";
	c->tlen = 5;
	CHECK_EQ(rta_query_new(qs, &q, &err), RTA_OK);
	(void)rta_query_add_cols(q, c, &took, &err);
	rta_query_free(q);
}

/* The len bytes at p in a heap block of exactly that size, so that ASan
 * sees any read past them. */
static unsigned char *
exact_copy(const unsigned char *p, size_t len)
{
	unsigned char *q = malloc(len ? len : 1);

	CHECK_PTR(q);
	memcpy(q, p, len);
	return q;
}

/*
 * Damage.  A good body cut short anywhere (every length from 0 to one
 * byte short), or with a byte after it, is refused (RTA_EDATA).  Every
 * byte of every header field changed (xor with 1, 0x80, 0xff and a
 * random byte; each u32 field also set to 0, 1, one off, 2^31 - 1 and
 * 2^32 - 1), and random bytes anywhere changed, is either refused or
 * parsed into columns that read only inside the body (check_inside).
 * Some changes are taken (a step or a base changed: other numbers, in
 * bounds) and many refused, or the test did not reach what it meant to.
 * The record count alone stays below 2^24 (its top byte is left, and it
 * is set to twice itself and 2^24 - 1 instead): parsing checks every
 * record's code of every group member, so where all columns are of
 * width 0 a count of billions is taken, after seconds (the body's
 * checksum and the index's count keep such a count from a reader).
 */
START_TEST(damage)
{
	static const unsigned char xors[] = { 0x01, 0x80, 0xff, 0 };
	struct rta_buf body = RTA_BUF_INIT;
	struct rta_agg_spec *aggs;
	struct rta_field *by;
	struct rta_query_spec qs;
	struct rta_error err;
	struct rta_cols c;
	struct shape sh;
	struct block bk;
	struct field *f;
	unsigned char *q;
	size_t nf, i, b, cut, naggs, nby;
	uint32_t v, vals[6];
	unsigned blk, x;
	unsigned long ok = 0, refused = 0;
	int rc;

	CHECK_EQ(rta_agg_parse("count,sum:payload.value",
	    &aggs, &naggs, &err), RTA_OK);
	CHECK_EQ(rta_field_list_parse("event_type,tenant_id", &by,
	    &nby, &err), RTA_OK);
	memset(&qs, 0, sizeof(qs));
	qs.from = INT64_MIN;
	qs.to = INT64_MAX;
	qs.bucket = MIN;
	qs.by = by;
	qs.nby = nby;
	qs.aggs = aggs;
	qs.naggs = naggs;
	rta_cols_init(&c);
	for (blk = 0; blk < 40; blk++) {
		shape_random(&sh, blk < 10 ? 3 : 120);
		block_make(&bk, &sh, NONE, V_NONE);
		CHECK_EQ(rta_cols_build(bk.frames.data, bk.frames.len,
		    sh.n, &body), 1);
		f = calloc(body.len, sizeof(*f));
		CHECK_PTR(f);
		nf = layout(body.data, body.len, f);
		/* cut short, or a byte more */
		for (cut = 0; cut < body.len; cut++) {
			q = exact_copy(body.data, cut);
			CHECK_MSG(rta_cols_parse(&c, q, cut, &err) ==
			    RTA_EDATA, "block %u cut to %zu of %zu taken", blk,
			    cut, body.len);
			free(q);
		}
		CHECK_EQ(rta_buf_add(&body, "", 1), 0);
		CHECK_EQ(rta_cols_parse(&c, body.data, body.len, &err),
		    RTA_EDATA);
		body.len--;
		/* every byte of every header field */
		for (i = 0; i < nf; i++) {
			for (b = f[i].off; b < f[i].off + f[i].len; b++)
				for (x = 0; x < sizeof(xors); x++) {
					/* not the record count's top byte:
					 * see below */
					if (b == 3)
						continue;
					q = exact_copy(body.data, body.len);
					q[b] ^= xors[x] ? xors[x] :
					    (unsigned char)(1 + below(255));
					rc = rta_cols_parse(&c, q, body.len,
					    &err);
					CHECK(rc == RTA_OK ||
					    rc == RTA_EDATA);
					if (rc == RTA_OK) {
						check_inside(&c, q, body.len,
						    &qs);
						ok++;
					} else
						refused++;
					free(q);
				}
			if (f[i].len != 4)
				continue;
			v = rta_get_u32(body.data + f[i].off);
			vals[0] = 0;
			vals[1] = 1;
			vals[2] = v - 1;
			vals[3] = v + 1;
			vals[4] = i == 0 ? 2 * v : INT32_MAX;
			vals[5] = i == 0 ? 0xffffff : UINT32_MAX;
			for (x = 0; x < 6; x++) {
				q = exact_copy(body.data, body.len);
				rta_put_u32(q + f[i].off, vals[x]);
				rc = rta_cols_parse(&c, q, body.len, &err);
				CHECK(rc == RTA_OK || rc == RTA_EDATA);
				if (rc == RTA_OK) {
					check_inside(&c, q, body.len, &qs);
					ok++;
				} else
					refused++;
				free(q);
			}
		}
		/* random bytes anywhere, one to three at a time */
		for (i = 0; i < 300; i++) {
			q = exact_copy(body.data, body.len);
			for (x = 0; x < 1 + below(3); x++)
				if ((b = (size_t)below(body.len)) != 3)
					q[b] ^= (unsigned char)(1 +
					    below(255));
			rc = rta_cols_parse(&c, q, body.len, &err);
			CHECK(rc == RTA_OK || rc == RTA_EDATA);
			if (rc == RTA_OK) {
				check_inside(&c, q, body.len, &qs);
				ok++;
			} else
				refused++;
			free(q);
		}
		/* and the body itself still reads */
		CHECK_EQ(rta_cols_parse(&c, body.data, body.len, &err),
		    RTA_OK);
		free(f);
		block_free(&bk);
	}
	CHECK_GT(ok, 1000);
	CHECK_GT(refused, 1000);
	rta_cols_release(&c);
	rta_buf_release(&body);
	rta_agg_specs_free(aggs, naggs);
	rta_field_list_free(by, nby);
}
END_TEST

/* ---- queries --------------------------------------------------------- */

/* A query's spec with what it owns, and a line saying what it is. */
struct qrun {
	struct rta_query_spec	 sp;
	struct rta_agg_spec	*aggs;
	struct rta_field	*by;
	size_t			 naggs, nby;
	char			 desc[300];
};

static void
qrun_init(struct qrun *qr, const char *aggs, const char *by, int64_t bucket,
    int64_t from, int64_t to, uint64_t max_groups)
{
	struct rta_error err;

	memset(qr, 0, sizeof(*qr));
	CHECK_MSG(rta_agg_parse(aggs, &qr->aggs, &qr->naggs, &err) ==
	    RTA_OK, "%s: %s", aggs, err.text);
	if (by != NULL)
		CHECK_EQ(rta_field_list_parse(by, &qr->by, &qr->nby,
		    &err), RTA_OK);
	qr->sp.from = from;
	qr->sp.to = to;
	qr->sp.bucket = bucket;
	qr->sp.by = qr->by;
	qr->sp.nby = qr->nby;
	qr->sp.aggs = qr->aggs;
	qr->sp.naggs = qr->naggs;
	qr->sp.max_groups = max_groups;
	snprintf(qr->desc, sizeof(qr->desc), "aggs %s by %s bucket %lld "
	    "range [%lld, %lld) max_groups %llu", aggs, by ? by : "-",
	    (long long)bucket, (long long)from, (long long)to,
	    (unsigned long long)max_groups);
}

static void
qrun_free(struct qrun *qr)
{
	rta_agg_specs_free(qr->aggs, qr->naggs);
	if (qr->by != NULL)
		rta_field_list_free(qr->by, qr->nby);
}

/* Add the block's records to q one by one: RTA_OK, or the first
 * error. */
static int
feed_records(struct rta_query *q, const struct block *bk,
    struct rta_error *err)
{
	struct rta_record *r = decode_all(bk);
	uint32_t i;
	int rc = RTA_OK;

	for (i = 0; i < bk->sh.n && rc == RTA_OK; i++)
		rc = rta_query_add(q, &r[i], err);
	free(r);
	return rc;
}

/* A value as JSON, for messages (a static buffer). */
static const char *
json(const unsigned char *v, size_t len)
{
	static struct rta_buf b;

	rta_buf_reset(&b);
	if (len == 0 || rta_value_to_json(&b, v) != 0)
		rta_buf_reset(&b);
	rta_buf_add(&b, "", 1);
	return (const char *)b.data;
}

/* Queries a and b have the same rows, in the same order, with the same
 * buckets, group objects, results and states, byte for byte, and have
 * merged as many aggregate records. */
static void
same_results(const struct rta_query *a, const struct rta_query *b,
    const char *what)
{
	struct rta_buf ra = RTA_BUF_INIT, rb = RTA_BUF_INIT;
	struct rta_query_row x, y;
	size_t i, la, lb;
	int pass;

	CHECK_MSG(rta_query_nrows(a) == rta_query_nrows(b), "%s: %zu "
	    "rows from the records, %zu from the columns", what,
	    rta_query_nrows(a), rta_query_nrows(b));
	for (i = 0; rta_query_row(a, i, &x); i++) {
		CHECK(rta_query_row(b, i, &y));
		CHECK_MSG(x.start == y.start && x.end == y.end, "%s: row "
		    "%zu: bucket [%lld, %lld) from the records, [%lld, %lld) "
		    "from the columns", what, i, (long long)x.start,
		    (long long)x.end, (long long)y.start, (long long)y.end);
		la = rta_value_size(x.group);
		lb = rta_value_size(y.group);
		CHECK_MSG(la == lb && memcmp(x.group, y.group, la) == 0,
		    "%s: row %zu: group %s from the records", what, i,
		    json(x.group, la));
		for (pass = 0; pass < 2; pass++) {
			rta_buf_reset(&ra);
			rta_buf_reset(&rb);
			CHECK_EQ(pass ? rta_query_states(a, i, &ra) :
			    rta_query_results(a, i, &ra), 0);
			CHECK_EQ(pass ? rta_query_states(b, i, &rb) :
			    rta_query_results(b, i, &rb), 0);
			if (ra.len == rb.len && memcmp(ra.data, rb.data,
			    ra.len) == 0)
				continue;
			{
				char t[600];

				snprintf(t, sizeof(t), "%s", json(ra.data,
				    ra.len));
				ck_abort_msg("%s: row %zu (group %s): %s %s "
				    "from the records, %s from the columns",
				    what, i, json(x.group, la), pass ?
				    "states" : "results", t, json(rb.data,
				    rb.len));
			}
		}
	}
	CHECK_MSG(rta_query_counts(a)->aggregates ==
	    rta_query_counts(b)->aggregates, "%s: %llu records merged, %llu "
	    "from the columns", what,
	    (unsigned long long)rta_query_counts(a)->aggregates,
	    (unsigned long long)rta_query_counts(b)->aggregates);
	rta_buf_release(&ra);
	rta_buf_release(&rb);
}

/* How the columns fared. */
struct qstats {
	unsigned long	 took, declined, failed, rows;
};

/*
 * Feed blocks bk[0..nb) to a query of qr record by record, and to
 * another block by block from their columns (bodies body[], parsed into
 * c one after another, as rta_scan_cols does, tenant set), with the
 * records of each block the columns are declined for: the same return
 * code and the same results.  *took (when not NULL) says whether each
 * block's columns were taken, bit k for block k.
 */
static void
run_both(const struct qrun *qr, const struct block *bk,
    const struct rta_buf *body, size_t nb, struct rta_cols *c,
    struct qstats *st, unsigned *tookp)
{
	struct rta_query *a, *b;
	struct rta_error ea, eb;
	int ra = RTA_OK, rb = RTA_OK, took;
	size_t k;

	if (tookp != NULL)
		*tookp = 0;
	CHECK_EQ(rta_query_new(&qr->sp, &a, &ea), RTA_OK);
	CHECK_EQ(rta_query_new(&qr->sp, &b, &eb), RTA_OK);
	for (k = 0; k < nb && ra == RTA_OK; k++)
		ra = feed_records(a, &bk[k], &ea);
	for (k = 0; k < nb && rb == RTA_OK; k++) {
		CHECK_EQ(rta_cols_parse(c, body[k].data, body[k].len,
		    &eb), RTA_OK);
		c->tenant = bk[k].sh.tenant;
		c->tlen = strlen(bk[k].sh.tenant);
		took = -1;
		rb = rta_query_add_cols(b, c, &took, &eb);
		CHECK(took == 0 || took == 1);
		if (took) {
			st->took++;
			if (tookp != NULL)
				*tookp |= 1u << k;
		} else {
			st->declined++;
			if (rb == RTA_OK)
				rb = feed_records(b, &bk[k], &eb);
		}
	}
	CHECK_MSG(ra == rb, "%s: the records give %d (%s), the columns "
	    "%d (%s)", qr->desc, ra, ra != RTA_OK ? ea.text : "", rb,
	    rb != RTA_OK ? eb.text : "");
	if (ra != RTA_OK) {
		st->failed++;
		CHECK_STR(ea.reason, eb.reason);
	}
	same_results(a, b, qr->desc);
	st->rows += rta_query_nrows(a);
	rta_query_free(a);
	rta_query_free(b);
}

/*
 * Random queries over runs of one to three random blocks (of one shape
 * or several with the same states, one tenant or several): buckets of
 * the whole range, 1, 5 and 7 minutes and an hour; no group-by, or by
 * event_type, tenant_id (a group member, or the record's tenant where
 * the group has none) and payload.region; aggregates the blocks' states
 * give (under their own names or others: avg from sum) and some they do
 * not; ranges that hold the blocks whole, cut them in the middle, or
 * miss them; a few with a small max_groups.  Records with windows that
 * cross a bucket, are empty or end after the range must make the
 * columns decline, not differ.  Both ways give the same bytes (rows,
 * buckets, groups, results and states), and both ways were taken often.
 */
START_TEST(query_equivalence)
{
	static const char *const pool[] = {
		"count", "sum:payload.value", "avg:payload.value",
		"min:payload.value", "max:payload.value",
		"stddev:payload.value", "avg:payload.latency",
		"sum:payload.latency", "max:payload.latency"
	};
	static const char *const bys[] = {
		NULL, "event_type", "tenant_id", "event_type,tenant_id",
		"tenant_id,payload.region", "payload.region"
	};
	static const int64_t buckets[] = { 0, MIN, 5 * MIN, 7 * MIN, HOUR };
	struct block bk[3];
	struct rta_buf body[3];
	struct qstats st;
	struct qrun qr;
	struct rta_cols c;
	struct shape sh;
	char aggs[200];
	unsigned order[NSNAMES];
	const char *name;
	int64_t lo, hi, from, to, t;
	size_t nb, k, na, m, p;
	uint32_t i;
	unsigned run, qn;

	memset(&st, 0, sizeof(st));
	rta_cols_init(&c);
	for (k = 0; k < 3; k++)
		rta_buf_init(&body[k]);
	for (run = 0; run < 250; run++) {
		nb = 1 + (size_t)below(3);
		shape_random(&sh, 300);
		lo = INT64_MAX;
		hi = INT64_MIN;
		for (k = 0; k < nb; k++) {
			if (k > 0 && below(2) == 0) {
				/* the same kind of records, later */
				sh.base = bk[k - 1].ts[sh.n - 1] +
				    (int64_t)below(3) * MIN;
				sh.n = 1 + (uint32_t)below(300);
			} else if (k > 0) {
				/* another shape with the same states, in
				 * another order (a change of states is
				 * query_block_outside's) */
				shape_random(&sh, 300);
				sh.ns = bk[0].sh.ns;
				perm(order, sh.ns);
				for (m = 0; m < sh.ns; m++)
					sh.s[m] = bk[0].sh.s[order[m]];
			}
			block_make(&bk[k], &sh, NONE, V_NONE);
			CHECK_EQ(rta_cols_build(bk[k].frames.data,
			    bk[k].frames.len, sh.n, &body[k]), 1);
			for (i = 0; i < sh.n; i++) {
				lo = bk[k].ts[i] < lo ? bk[k].ts[i] : lo;
				hi = bk[k].ts[i] > hi ? bk[k].ts[i] : hi;
				hi = bk[k].end[i] > hi ? bk[k].end[i] : hi;
			}
		}
		for (qn = 0; qn < 8; qn++) {
			/* aggregates: mostly from the first block's states */
			aggs[0] = '\0';
			na = 1 + (size_t)below(4);
			for (m = 0; m < na; m++) {
				if (bk[0].sh.ns > 0 && below(8) != 0) {
					name = snames[bk[0].sh.s[below(
					    bk[0].sh.ns)]].name;
					if (below(3) == 0 && strncmp(name,
					    "sum:", 4) == 0)
						name = "avg:payload.value";
					else if (below(3) == 0 && strncmp(name,
					    "avg:", 4) == 0)
						name = "sum:payload.latency";
				} else
					name = pool[below(sizeof(pool) /
					    sizeof(pool[0]))];
				/* each once: rta_agg_parse refuses repeats */
				for (p = 0; aggs[p] != '\0'; p++)
					if ((p == 0 || aggs[p - 1] == ',') &&
					    strncmp(aggs + p, name,
					    strlen(name)) == 0 &&
					    (aggs[p + strlen(name)] == ',' ||
					    aggs[p + strlen(name)] == '\0'))
						break;
				if (aggs[p] != '\0')
					continue;
				snprintf(aggs + strlen(aggs), sizeof(aggs) -
				    strlen(aggs), "%s%s", aggs[0] ? "," : "",
				    name);
			}
			switch (below(4)) {
			case 0:		/* the blocks whole */
				from = lo - (int64_t)below(2) * MIN;
				to = hi + 1 + (int64_t)below(2) * MIN;
				break;
			case 1:		/* from one record's start to
					 * another's, or near them */
				k = (size_t)below(nb);
				from = bk[k].ts[below(bk[k].sh.n)] +
				    (int64_t)below(2);
				k = (size_t)below(nb);
				to = bk[k].ts[below(bk[k].sh.n)] +
				    (int64_t)below(3) * MIN;
				if (to <= from) {
					t = from;
					from = to;
					to = t + 1;
				}
				break;
			case 2:		/* anywhere over the blocks */
				from = lo + (int64_t)below((uint64_t)(hi -
				    lo) + 1);
				to = from + 1 + (int64_t)below(2 * HOUR);
				break;
			default:	/* the first block's end, within a
					 * bucket of 0 */
				from = lo;
				to = bk[0].end[below(bk[0].sh.n)];
				if (to <= from)
					to = from + 1;
				break;
			}
			qrun_init(&qr, aggs, bys[below(sizeof(bys) /
			    sizeof(bys[0]))], buckets[below(sizeof(buckets) /
			    sizeof(buckets[0]))], from, to, below(10) == 0 ?
			    1 + below(20) : 0);
			run_both(&qr, bk, body, nb, &c, &st, NULL);
			qrun_free(&qr);
		}
		for (k = 0; k < nb; k++)
			block_free(&bk[k]);
	}
	CHECK_MSG(st.took > 1000 && st.declined > 500 && st.failed > 100 &&
	    st.rows > 20000, "took %lu, declined %lu, failed %lu, rows %lu",
	    st.took, st.declined, st.failed, st.rows);
	for (k = 0; k < 3; k++)
		rta_buf_release(&body[k]);
	rta_cols_release(&c);
}
END_TEST

/*
 * Windows against buckets, by hand: 2-minute windows at every even
 * minute from 0 to 20 (two records each), in 7-minute buckets (and 5,
 * 1, 60 and the whole range).  A range whose windows all lie inside
 * their buckets is taken from the columns; one that holds a window
 * across a bucket (6 to 8, 20 to 22 against 21) is declined, and its
 * records are refused.  The same for a bucket shorter than the windows,
 * a range of one bucket that a window ends after (by a minute, or by
 * 1 µs), a window 1 µs across its bucket's end, a sliding window, a
 * state whose type is not its name's (count of type sum), and a window
 * that ends where it starts (in the range, or out of it).  In every
 * case both ways give the same.
 */
START_TEST(query_crossing)
{
	static const struct {
		int64_t		 bucket, from, to;
		int		 took;
	} cases[] = {
		{ 7 * MIN, 0, 6 * MIN, 1 },
		{ 7 * MIN, 0, 7 * MIN, 0 },
		{ 7 * MIN, 8 * MIN, 14 * MIN, 1 },
		{ 7 * MIN, 8 * MIN, 20 * MIN, 1 },
		{ 7 * MIN, 7 * MIN, 21 * MIN, 0 },
		{ 7 * MIN, -HOUR, HOUR, 0 },
		{ 5 * MIN, 10 * MIN, 14 * MIN, 1 },
		{ 5 * MIN, 10 * MIN, 15 * MIN, 0 },
		{ MIN, 0, 2 * MIN, 0 },
		{ 0, 0, 22 * MIN, 1 },
		{ 0, 0, 21 * MIN, 0 },
		{ 0, 0, 22 * MIN - 1, 0 },
		{ 0, 3 * MIN, 9 * MIN, 0 },
		{ 0, 2 * MIN, 10 * MIN, 1 },
		{ HOUR, -HOUR, HOUR, 1 },
	};
	struct block bk;
	struct rta_buf body = RTA_BUF_INIT;
	struct qstats st;
	struct qrun qr;
	struct rta_cols c;
	struct shape sh;
	int64_t ts[22], end[22];
	size_t i;
	unsigned took;

	memset(&st, 0, sizeof(st));
	rta_cols_init(&c);
	shape_fixed(&sh, 22);
	for (i = 0; i < 22; i++) {
		ts[i] = (int64_t)(i / 2) * 2 * MIN;
		end[i] = ts[i] + 2 * MIN;
	}
	block_times(&bk, &sh, ts, end, NONE, V_NONE);
	CHECK_EQ(rta_cols_build(bk.frames.data, bk.frames.len, sh.n,
	    &body), 1);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		qrun_init(&qr, "count,avg:payload.value,max:payload.value",
		    i % 2 ? "event_type" : NULL, cases[i].bucket,
		    cases[i].from, cases[i].to, 0);
		run_both(&qr, &bk, &body, 1, &c, &st, &took);
		CHECK_MSG((int)took == cases[i].took, "case %zu: %s: "
		    "took %u", i, qr.desc, took);
		qrun_free(&qr);
	}
	CHECK_EQ(st.failed, st.declined);
	block_free(&bk);

	/* sliding windows: declined, and refused record by record */
	block_times(&bk, &sh, ts, end, ALL, V_WINDOW);
	CHECK_EQ(rta_cols_build(bk.frames.data, bk.frames.len, sh.n,
	    &body), 1);
	qrun_init(&qr, "count", NULL, 0, -HOUR, HOUR, 0);
	run_both(&qr, &bk, &body, 1, &c, &st, &took);
	CHECK_EQ(took, 0);
	qrun_free(&qr);
	block_free(&bk);

	/* a state named count of type sum in every record: it builds, but
	 * count cannot be loaded from it, so the query declines (and the
	 * records are refused); the other states still serve */
	block_times(&bk, &sh, ts, end, ALL, V_OTHERTYPE);
	CHECK_EQ(rta_cols_build(bk.frames.data, bk.frames.len, sh.n,
	    &body), 1);
	qrun_init(&qr, "count", NULL, 0, -HOUR, HOUR, 0);
	run_both(&qr, &bk, &body, 1, &c, &st, &took);
	CHECK_EQ(took, 0);
	qrun_free(&qr);
	qrun_init(&qr, "avg:payload.value", NULL, 0, -HOUR, HOUR, 0);
	run_both(&qr, &bk, &body, 1, &c, &st, &took);
	CHECK_EQ(took, 1);
	qrun_free(&qr);
	block_free(&bk);

	/* a window 1 µs across its bucket's end (12 to 14 min + 1 µs) */
	end[12] = 14 * MIN + 1;
	block_times(&bk, &sh, ts, end, NONE, V_NONE);
	CHECK_EQ(rta_cols_build(bk.frames.data, bk.frames.len, sh.n,
	    &body), 1);
	qrun_init(&qr, "count", "event_type", 7 * MIN, 8 * MIN, 14 * MIN, 0);
	run_both(&qr, &bk, &body, 1, &c, &st, &took);
	CHECK_EQ(took, 0);
	qrun_free(&qr);
	qrun_init(&qr, "count", "event_type", 7 * MIN, 8 * MIN, 12 * MIN, 0);
	run_both(&qr, &bk, &body, 1, &c, &st, &took);
	CHECK_EQ(took, 1);
	qrun_free(&qr);
	block_free(&bk);
	end[12] = ts[12] + 2 * MIN;

	/* a window that ends where it starts, at minute 10 */
	end[10] = ts[10];
	block_times(&bk, &sh, ts, end, NONE, V_NONE);
	CHECK_EQ(rta_cols_build(bk.frames.data, bk.frames.len, sh.n,
	    &body), 1);
	qrun_init(&qr, "count", NULL, 7 * MIN, 0, 6 * MIN, 0);
	run_both(&qr, &bk, &body, 1, &c, &st, &took);
	CHECK_EQ(took, 1);
	qrun_free(&qr);
	qrun_init(&qr, "count", NULL, 0, 0, 30 * MIN, 0);
	run_both(&qr, &bk, &body, 1, &c, &st, &took);
	CHECK_EQ(took, 0);
	qrun_free(&qr);
	block_free(&bk);
	rta_buf_release(&body);
	rta_cols_release(&c);
}
END_TEST

/*
 * A block whose records all lie outside the range adds nothing, and
 * must leave the query as adding its records one by one does (each
 * only counted outside).  Here its states are those of an older
 * configuration, avg:payload.latency (of type sum) only; the next
 * block's, in the range, are count and sum:payload.latency.  A query
 * for sum:payload.latency over both blocks reads the first block's avg
 * (the first record's state that gives it) and refuses the second
 * block's records, both ways; over a range that holds only the second
 * block's records, record by record it reads sum:payload.latency, and
 * from the columns it must too.
 */
START_TEST(query_block_outside)
{
	struct block bk[2];
	struct rta_buf body[2];
	struct qstats st;
	struct qrun qr;
	struct rta_cols c;
	struct shape sh;
	int64_t ts[4], end[4];
	unsigned took;
	size_t i;

	memset(&st, 0, sizeof(st));
	rta_cols_init(&c);
	shape_fixed(&sh, 2);
	sh.ns = 1;
	sh.s[0] = 5;		/* avg:payload.latency */
	sh.cmode = 1;
	sh.vmode = 0;
	ts[0] = 0;
	ts[1] = 10 * MIN;
	for (i = 0; i < 2; i++)
		end[i] = ts[i] + MIN;
	block_times(&bk[0], &sh, ts, end, NONE, V_NONE);
	sh.n = 4;
	sh.ns = 2;
	sh.s[0] = 0;		/* count */
	sh.s[1] = 7;		/* sum:payload.latency */
	for (i = 0; i < 4; i++) {
		ts[i] = (int64_t)(3 + i) * MIN;
		end[i] = ts[i] + MIN;
	}
	block_times(&bk[1], &sh, ts, end, NONE, V_NONE);
	for (i = 0; i < 2; i++) {
		rta_buf_init(&body[i]);
		CHECK_EQ(rta_cols_build(bk[i].frames.data,
		    bk[i].frames.len, bk[i].sh.n, &body[i]), 1);
	}
	qrun_init(&qr, "sum:payload.latency", NULL, 0, -HOUR, HOUR, 0);
	run_both(&qr, bk, body, 2, &c, &st, &took);
	CHECK_EQ(took, 1);
	CHECK_EQ(st.failed, 1);
	qrun_free(&qr);
	qrun_init(&qr, "sum:payload.latency", NULL, 0, 2 * MIN, 8 * MIN, 0);
	run_both(&qr, bk, body, 2, &c, &st, &took);
	qrun_free(&qr);
	for (i = 0; i < 2; i++) {
		block_free(&bk[i]);
		rta_buf_release(&body[i]);
	}
	rta_cols_release(&c);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("rta_cols");
	TCase *tc = tcase_create("cols");
	SRunner *sr;
	int nf;

	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, deterministic);
	tcase_add_test(tc, widths);
	tcase_add_test(tc, non_uniform);
	tcase_add_test(tc, damage);
	tcase_add_test(tc, query_equivalence);
	tcase_add_test(tc, query_crossing);
	tcase_add_test(tc, query_block_outside);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
