/*
 * rta_gen.c: the load generator.
 *
 * Each record costs a handful of PRNG draws and one encoding pass straight
 * into the output buffer, so rta-gen can feed benchmarks faster than the
 * stages it feeds.  Determinism is the contract: no wall clock, no hash
 * seeds, no locale; doubles are formatted from integers (cents), never
 * printed with %f.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_frame.h"
#include "rta_gen.h"
#include "rta_time.h"
#include "rta_utf8.h"
#include "rta_uuid.h"
#include "rta_value.h"

#define RING	256

struct rta_gen {
	struct rta_gen_opts	 o;
	uint64_t		 s[4];
	uint64_t		 n;		/* events given a nominal time */
	uint32_t		 type_total;
	double			 zh1, zhn, zs;	/* Zipf sampler constants */
	int			 tenant_width;
	struct rta_buf		 payload;
	struct rta_buf		 scratch;
	struct rta_buf		 ring[RING];
	size_t			 ring_n, ring_pos;
	int64_t			 max_ts;
	int64_t			 next_wm;
	struct rta_gen_stats	 st;
};

static double	zipf_h(const struct rta_gen *, double);
static double	zipf_hint(const struct rta_gen *, double);
static double	zipf_hinv(const struct rta_gen *, double);

static uint64_t
splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
next64(struct rta_gen *g)
{
	uint64_t *s = g->s, r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

static double
unif(struct rta_gen *g)
{
	return (double)(next64(g) >> 11) * 0x1.0p-53;
}

static uint32_t
below(struct rta_gen *g, uint32_t n)
{
	return (uint32_t)(((next64(g) >> 32) * (uint64_t)n) >> 32);
}

void
rta_gen_opts_init(struct rta_gen_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->seed = 1;
	o->start = 1767225600LL * RTA_US_PER_SEC;	/* 2026-01-01T00:00:00Z */
	o->tenants = 10;
	o->eps = 10;
	o->users = 1000;
	o->late_by = 600 * RTA_US_PER_SEC;
	o->future_by = 3600 * RTA_US_PER_SEC;
}

int
rta_gen_parse_types(struct rta_gen_opts *o, const char *list)
{
	const char *p = list;

	rta_gen_opts_release(o);
	while (*p != '\0') {
		const char *end = strchr(p, ','), *eq;
		size_t len = end ? (size_t)(end - p) : strlen(p), nl;
		unsigned long w = 1;

		if (o->ntypes == sizeof(o->types) / sizeof(o->types[0]))
			return -1;
		eq = memchr(p, '=', len);
		nl = eq ? (size_t)(eq - p) : len;
		if (nl == 0 || nl > RTA_ID_MAX || !rta_utf8_valid(p, nl, NULL) ||
		    memchr(p, 0, nl) != NULL)
			return -1;
		if (eq != NULL) {
			char num[16], *e;

			if (len - nl - 1 == 0 || len - nl - 1 >= sizeof(num))
				return -1;
			memcpy(num, eq + 1, len - nl - 1);
			num[len - nl - 1] = '\0';
			w = strtoul(num, &e, 10);
			if (*e != '\0' || w == 0 || w > 1000000)
				return -1;
		}
		if ((o->types[o->ntypes].name = rta_memdup(p, nl)) == NULL)
			return -1;
		o->types[o->ntypes++].weight = (uint32_t)w;
		p += len;
		if (*p == ',')
			p++;
	}
	return o->ntypes > 0 ? 0 : -1;
}

void
rta_gen_opts_release(struct rta_gen_opts *o)
{
	size_t i;

	for (i = 0; i < o->ntypes; i++)
		rta_free(o->types[i].name);
	o->ntypes = 0;
}

struct rta_gen *
rta_gen_new(const struct rta_gen_opts *o)
{
	struct rta_gen *g;
	uint64_t x;
	size_t i;

	if ((g = rta_calloc(1, sizeof(*g))) == NULL)
		return NULL;
	g->o = *o;
	g->o.ntypes = 0;
	if (o->ntypes == 0) {
		if (rta_gen_parse_types(&g->o,
		    "page_view=85,purchase=10,error=5") != 0)
			goto fail;
	} else {
		for (i = 0; i < o->ntypes; i++) {
			g->o.types[i].weight = o->types[i].weight;
			if ((g->o.types[i].name = rta_memdup(o->types[i].name,
			    strlen(o->types[i].name))) == NULL)
				goto fail;
			g->o.ntypes++;
		}
	}
	for (i = 0; i < g->o.ntypes; i++)
		g->type_total += g->o.types[i].weight;
	if (g->o.tenants == 0)
		g->o.tenants = 1;
	if (g->o.users == 0)
		g->o.users = 1;
	if (!(g->o.eps > 0))
		g->o.eps = 1;
	x = o->seed;
	for (i = 0; i < 4; i++)
		g->s[i] = splitmix(&x);
	g->tenant_width = snprintf(NULL, 0, "%u", g->o.tenants - 1);
	if (g->tenant_width < 4)
		g->tenant_width = 4;
	if (g->o.skew > 0) {
		g->zh1 = zipf_hint(g, 1.5) - 1.0;
		g->zhn = zipf_hint(g, g->o.tenants + 0.5);
		g->zs = 2 - zipf_hinv(g, zipf_hint(g, 2.5) - zipf_h(g, 2));
	}
	g->max_ts = INT64_MIN;
	g->next_wm = g->o.start + g->o.watermark_every;
	return g;
fail:
	rta_gen_free(g);
	return NULL;
}

void
rta_gen_free(struct rta_gen *g)
{
	size_t i;

	if (g == NULL)
		return;
	rta_gen_opts_release(&g->o);
	rta_buf_release(&g->payload);
	rta_buf_release(&g->scratch);
	for (i = 0; i < RING; i++)
		rta_buf_release(&g->ring[i]);
	rta_free(g);
}

const struct rta_gen_stats *
rta_gen_stats(const struct rta_gen *g)
{
	return &g->st;
}

/*
 * Zipf-distributed tenants by rejection-inversion (Hormann and Derflinger,
 * 1996): constant memory and time whatever the number of tenants, where a
 * table of probabilities would need 8 bytes per tenant.  zipf_h is the
 * density x^-s, zipf_hint its integral and zipf_hinv the inverse of that.
 */
static double
helper1(double x)
{
	return fabs(x) > 1e-8 ? log1p(x) / x :
	    1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x));
}

static double
helper2(double x)
{
	return fabs(x) > 1e-8 ? expm1(x) / x :
	    1 + x * 0.5 * (1 + x * (1.0 / 3) * (1 + 0.25 * x));
}

static double
zipf_h(const struct rta_gen *g, double x)
{
	return exp(-g->o.skew * log(x));
}

static double
zipf_hint(const struct rta_gen *g, double x)
{
	double lx = log(x);

	return helper2((1 - g->o.skew) * lx) * lx;
}

static double
zipf_hinv(const struct rta_gen *g, double x)
{
	double t = x * (1 - g->o.skew);

	if (t < -1)
		t = -1;
	return exp(helper1(t) * x);
}

static uint32_t
pick_tenant(struct rta_gen *g)
{
	if (g->o.skew <= 0)
		return below(g, g->o.tenants);
	for (;;) {
		double u = g->zhn + unif(g) * (g->zh1 - g->zhn);
		double x = zipf_hinv(g, u);
		double k = floor(x + 0.5);

		if (k < 1)
			k = 1;
		else if (k > g->o.tenants)
			k = g->o.tenants;
		if (k - x <= g->zs || u >= zipf_hint(g, k + 0.5) - zipf_h(g, k))
			return (uint32_t)k - 1;
	}
}

static const char *const countries[] = {
	"US", "US", "US", "US", "DE", "DE", "GB", "GB", "FR", "IN", "IN",
	"BR", "JP", "CA", "AU", "NL", "ES", "IT", "SE", "PL", "MX"
};
static const char *const devices[] = { "desktop", "desktop", "mobile",
	"mobile", "mobile", "tablet" };
/* Page paths; those ending in a separator get a number appended. */
static const char *const pages[] = { "/", "/products/", "/products/",
	"/products/", "/cart", "/checkout", "/search?q=item",
	"/blog/post-", "/account", "/help/article-" };
static const char *const currencies[] = { "USD", "USD", "EUR", "GBP" };
static const char *const errors[] = { "upstream timeout",
	"connection reset", "internal error", "bad gateway", "rate limited" };
static const int error_codes[] = { 504, 502, 500, 502, 429 };

static int
put_str(struct rta_buf *b, const char *k, const char *v)
{
	return rta_venc_key(b, k, strlen(k)) ||
	    rta_venc_string(b, v, strlen(v));
}

static int
put_int(struct rta_buf *b, const char *k, int64_t v)
{
	return rta_venc_key(b, k, strlen(k)) || rta_venc_int(b, v);
}

/* A decimal with two places from an integer number of cents. */
static int
put_cents(struct rta_buf *b, const char *k, uint32_t cents)
{
	char txt[32];
	int n = snprintf(txt, sizeof(txt), "%u.%02u", cents / 100,
	    cents % 100);

	return rta_venc_key(b, k, strlen(k)) ||
	    rta_venc_number(b, cents / 100.0, txt, (size_t)n);
}

/* Latency in ms: mostly tens to hundreds, with a heavy tail. */
static int64_t
latency(struct rta_gen *g)
{
	double u = unif(g);

	if (below(g, 1000) < 5)
		return 1000 + below(g, 4000);
	return 20 + (int64_t)(400 * u * u * u) + below(g, 20);
}

static int
build_payload(struct rta_gen *g, const char *type, uint32_t tenant)
{
	struct rta_buf *b = &g->payload;
	char s[64];
	size_t off;
	uint32_t n = 0;
	int bad = 0;

	rta_buf_reset(b);
	if ((off = rta_venc_begin(b, RTA_V_OBJECT)) == (size_t)-1)
		return -1;
	{
		const char *pg = pages[below(g, 10)];
		size_t pl = strlen(pg);
		uint32_t num = below(g, 500);

		if (pl > 1 && strchr("/-m", pg[pl - 1]) != NULL)
			snprintf(s, sizeof(s), "%s%u", pg, num);
		else
			snprintf(s, sizeof(s), "%s", pg);
	}
	if (strcmp(type, "purchase") == 0) {
		snprintf(s, sizeof(s), "o-%u-%08u", tenant,
		    (unsigned)(next64(g) % 100000000));
		bad |= put_str(b, "order_id", s); n++;
		snprintf(s, sizeof(s), "u%06u", below(g, g->o.users));
		bad |= put_str(b, "user_id", s); n++;
		bad |= put_cents(b, "value", 500 + below(g, 49500)); n++;
		bad |= put_str(b, "currency", currencies[below(g, 4)]); n++;
		bad |= put_int(b, "items", 1 + below(g, 5)); n++;
		bad |= put_str(b, "country", countries[below(g, 21)]); n++;
	} else if (strcmp(type, "error") == 0) {
		uint32_t e = below(g, 5);

		bad |= put_str(b, "url", s); n++;
		bad |= put_int(b, "code", error_codes[e]); n++;
		bad |= put_str(b, "message", errors[e]); n++;
		bad |= put_int(b, "latency_ms", latency(g) * 3); n++;
	} else {
		bad |= put_str(b, "url", s); n++;
		snprintf(s, sizeof(s), "u%06u", below(g, g->o.users));
		bad |= put_str(b, "user_id", s); n++;
		bad |= put_cents(b, "value", below(g, 10000)); n++;
		bad |= put_int(b, "latency_ms", latency(g)); n++;
		bad |= put_str(b, "country", countries[below(g, 21)]); n++;
		bad |= put_str(b, "device", devices[below(g, 6)]); n++;
	}
	rta_venc_end(b, off, n);
	return bad ? -1 : 0;
}

static int
encode(enum rta_format f, struct rta_buf *out, const struct rta_record *rec)
{
	return f == RTA_FMT_RTA ? rta_frame_put(out, rec) :
	    rta_ndjson_put(out, rec);
}

/* Turn the valid NDJSON line in b into one of several kinds of bad line. */
static void
mangle_ndjson(struct rta_gen *g, struct rta_buf *b)
{
	char *s = (char *)b->data, *p;
	size_t len = b->len - 1;	/* without the newline */

	switch (below(g, 6)) {
	case 0:		/* cut short */
		len /= 2;
		break;
	case 1:		/* impossible date */
		if ((p = strstr(s, "\"timestamp\":\"")) != NULL)
			memcpy(p + 18, "13", 2);
		break;
	case 2:		/* tenant_id renamed away: a missing field */
		if ((p = strstr(s, "\"tenant_id\"")) != NULL)
			memcpy(p + 1, "tenant_ix", 9);
		break;
	case 3:		/* invalid UTF-8 inside a string */
		if ((p = strstr(s, "\"event_type\":\"")) != NULL)
			p[14] = (char)0xff;
		break;
	case 4:		/* event_id of the wrong type (blanks are JSON space) */
		if ((p = strstr(s, "\"event_id\":\"")) != NULL) {
			memset(p + 11, ' ', RTA_UUID_LEN + 2);
			memcpy(p + 11, "42", 2);
		}
		break;
	default:	/* not JSON at all */
		len = (size_t)snprintf(s, b->cap, "garbage %08x",
		    (unsigned)next64(g));
		break;
	}
	b->len = len;
	(void)rta_buf_addc(b, '\n');
}

int
rta_gen_next(struct rta_gen *g, enum rta_format f, struct rta_buf *out,
    int64_t *nominal)
{
	struct rta_record rec;
	struct rta_event *ev = &rec.ev;
	char id[RTA_UUID_LEN], tenant[24];
	const char *type;
	uint32_t t, w, i;
	int64_t ts;
	double u;
	int late = 0, future = 0, malformed;

	ts = g->o.start + (int64_t)((double)g->n * 1e6 / g->o.eps);
	*nominal = ts;
	memset(&rec, 0, sizeof(rec));
	if (g->o.watermark_every > 0 && ts >= g->next_wm &&
	    g->max_ts != INT64_MIN) {
		rec.kind = RTA_REC_WATERMARK;
		rec.watermark = g->max_ts - g->o.disorder;
		g->next_wm += g->o.watermark_every;
		g->st.records++;
		g->st.watermarks++;
		return encode(f, out, &rec);
	}
	u = unif(g);
	malformed = u < g->o.malformed;
	if (!malformed && u < g->o.malformed + g->o.duplicates &&
	    g->ring_n > 0) {
		struct rta_buf *r = &g->ring[below(g, (uint32_t)g->ring_n)];

		g->st.records++;
		g->st.duplicates++;
		return rta_buf_add(out, r->data, r->len);
	}
	g->n++;
	t = pick_tenant(g);
	snprintf(tenant, sizeof(tenant), "t%0*u", g->tenant_width, t);
	w = below(g, g->type_total);
	for (i = 0; i + 1 < g->o.ntypes && w >= g->o.types[i].weight; i++)
		w -= g->o.types[i].weight;
	type = g->o.types[i].name;
	if (build_payload(g, type, t) != 0)
		return -1;
	if (g->o.disorder > 0)
		ts -= (int64_t)(unif(g) * (double)g->o.disorder);
	u = unif(g);
	if (u < g->o.late) {
		ts -= g->o.late_by + (int64_t)(unif(g) * (double)g->o.late_by);
		late = 1;
	} else if (u < g->o.late + g->o.future) {
		ts += g->o.future_by +
		    (int64_t)(unif(g) * (double)g->o.future_by);
		future = 1;
	}
	if (ts < RTA_TIME_MIN)
		ts = RTA_TIME_MIN;
	if (ts > RTA_TIME_MAX)
		ts = RTA_TIME_MAX;
	rta_uuid_v7_from(id, ts / 1000, next64(g), next64(g));
	rec.kind = RTA_REC_EVENT;
	ev->ts = ts;
	ev->schema_version = 1;
	ev->id = id;
	ev->id_len = RTA_UUID_LEN;
	ev->type = type;
	ev->type_len = (uint8_t)strlen(type);
	ev->tenant = tenant;
	ev->tenant_len = (uint8_t)strlen(tenant);
	ev->payload = g->payload.data;
	ev->payload_len = g->payload.len;
	if (malformed) {
		rta_buf_reset(&g->scratch);
		if (encode(f, &g->scratch, &rec) != 0)
			return -1;
		if (f == RTA_FMT_RTA)	/* a flipped bit: checksum mismatch */
			g->scratch.data[RTA_FRAME_HEADER_LEN + 5 +
			    below(g, (uint32_t)(g->scratch.len -
			    RTA_FRAME_HEADER_LEN - 5))] ^= 0x10;
		else
			mangle_ndjson(g, &g->scratch);
		g->st.records++;
		g->st.malformed++;
		return rta_buf_add(out, g->scratch.data, g->scratch.len);
	}
	if (ts > g->max_ts && !future)
		g->max_ts = ts;
	{
		struct rta_buf *r = &g->ring[g->ring_pos];
		size_t start = out->len;

		if (encode(f, out, &rec) != 0)
			return -1;
		rta_buf_reset(r);
		if (g->o.duplicates > 0 &&
		    rta_buf_add(r, out->data + start, out->len - start) != 0)
			return -1;
		if (g->o.duplicates > 0) {
			g->ring_pos = (g->ring_pos + 1) % RING;
			if (g->ring_n < RING)
				g->ring_n++;
		}
	}
	g->st.records++;
	g->st.events++;
	g->st.late += late;
	g->st.future += future;
	return 0;
}
