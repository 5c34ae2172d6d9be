/*
 * rta_cohort.c: users' first buckets and activity, and the retention
 * matrix made from them (rta_cohort.h).
 *
 * Users live in one array, found by an open-addressing table of their
 * indices keyed by a hash of the tenant and the user's text, which are
 * kept in one arena.  A user's activity is a bit set over the periods
 * of its cohort; when an earlier event moves its first bucket back, the
 * set shifts with it (activity past the last period kept is dropped:
 * no query can ask for it).
 */
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_cohort.h"
#include "rta_hash.h"
#include "rta_time.h"
#include "rta_value.h"

#define WORDS		(RTA_COHORT_BITS / 64)
#define DAY_US		(INT64_C(86400) * 1000000)
#define WEEK_US		(7 * DAY_US)
#define USER_MAX	1024		/* bytes of a user's text */

struct user {
	uint64_t		 hash;
	size_t			 off;		/* tenant, then user text */
	uint32_t		 ulen;
	uint8_t			 tlen;
	int64_t			 first;		/* bucket index */
	int64_t			 was;		/* at the mark; INT64_MIN */
	uint64_t		 bits[WORDS], bits0[WORDS];
};

struct row {
	size_t			 user;		/* one of its users */
	int64_t			 start;
	uint64_t		 users;
	size_t			 active;	/* into c->counts_v */
};

struct rta_cohort {
	const struct rta_cohort_spec *spec;
	uint64_t		 max_users;
	uint64_t		 seed;
	int64_t			 origin;	/* where buckets are aligned */

	struct user		*u;
	size_t			 n, cap;
	uint32_t		*slots;		/* index + 1, 0: empty */
	size_t			 nslots;	/* a power of two */
	struct rta_buf		 arena;

	struct row		*rows;
	size_t			 nrows;
	uint64_t		*cv;		/* rows x (periods + 1) */
	struct rta_cohort_counts counts;
};

static int
nomem(struct rta_error *err)
{
	return rta_error_set(err, RTA_ENOMEM, "no-memory", "out of memory");
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && a < 0);
}

static int64_t
origin_of(int64_t width)
{
	return width % WEEK_US == 0 ? 4 * DAY_US : 0;	/* a Monday */
}

size_t
rta_cohort_split(char *s, char **items, size_t max)
{
	char *p, *q;
	size_t n = 0;

	for (p = *s != '\0' ? s : NULL; p != NULL && n < max; p = q) {
		if ((q = strchr(p, ',')) != NULL)
			*q++ = '\0';
		items[n++] = p;
	}
	return n;
}

int64_t
rta_cohort_bucket(int64_t t, int64_t width)
{
	int64_t o = origin_of(width);

	return o + floor_div(t - o, width) * width;
}

int
rta_cohort_new(const struct rta_cohort_spec *spec, struct rta_cohort **cp,
    struct rta_error *err)
{
	struct rta_cohort *c;

	*cp = NULL;
	if (spec->width <= 0 || spec->periods < 1 ||
	    spec->periods > RTA_COHORT_PERIODS_MAX || spec->from >= spec->to ||
	    spec->user == NULL)
		return rta_error_set(err, RTA_EINVAL, "bad-cohort", "a cohort "
		    "needs a user field, a bucket width, 1 to %d periods and "
		    "a range", RTA_COHORT_PERIODS_MAX);
	if ((c = rta_calloc(1, sizeof(*c))) == NULL)
		return nomem(err);
	c->spec = spec;
	c->max_users = spec->max_users ? spec->max_users :
	    RTA_COHORT_USERS_DEFAULT;
	if (c->max_users > UINT32_MAX - 1)
		c->max_users = UINT32_MAX - 1;
	c->seed = rta_hash_seed();
	c->origin = origin_of(spec->width);
	rta_buf_init(&c->arena);
	*cp = c;
	return RTA_OK;
}

void
rta_cohort_free(struct rta_cohort *c)
{
	if (c == NULL)
		return;
	rta_free(c->u);
	rta_free(c->slots);
	rta_free(c->rows);
	rta_free(c->cv);
	rta_buf_release(&c->arena);
	rta_free(c);
}

const struct rta_cohort_counts *
rta_cohort_counts(const struct rta_cohort *c)
{
	return &c->counts;
}

/* ---- users ---------------------------------------------------------------- */

static int
grow_slots(struct rta_cohort *c)
{
	size_t ns = c->nslots ? c->nslots * 2 : 1024, i, j;
	uint32_t *s;

	if ((s = rta_calloc(ns, sizeof(*s))) == NULL)
		return -1;
	for (i = 0; i < c->n; i++) {
		for (j = c->u[i].hash & (ns - 1); s[j] != 0;
		    j = (j + 1) & (ns - 1))
			;
		s[j] = (uint32_t)(i + 1);
	}
	rta_free(c->slots);
	c->slots = s;
	c->nslots = ns;
	return 0;
}

/* The user (tenant, text), made with no state if new: its index, or -1
 * with err set. */
static long long
find_user(struct rta_cohort *c, const char *tenant, size_t tlen,
    const char *s, size_t len, int64_t first, struct rta_error *err)
{
	uint64_t h;
	size_t j, nc;
	struct user *u, *nu;

	h = rta_hash64(s, len, rta_hash64(tenant, tlen, c->seed));
	if (c->nslots > 0)
		for (j = h & (c->nslots - 1); c->slots[j] != 0;
		    j = (j + 1) & (c->nslots - 1)) {
			u = &c->u[c->slots[j] - 1];
			if (u->hash == h && u->tlen == tlen && u->ulen == len &&
			    memcmp(c->arena.data + u->off, tenant, tlen) == 0 &&
			    memcmp(c->arena.data + u->off + tlen, s, len) == 0)
				return (long long)(c->slots[j] - 1);
		}
	if (c->n >= c->max_users)
		return rta_error_set(err, RTA_ELIMIT, "too-many-users", "more "
		    "than %llu users (raise the limit, or narrow the range "
		    "or the tenant)", (unsigned long long)c->max_users), -1;
	if ((c->n + 1) * 2 > c->nslots && grow_slots(c) != 0)
		return nomem(err), -1;
	if (c->n == c->cap) {
		nc = c->cap ? c->cap * 2 : 1024;
		if ((nu = rta_reallocarray(c->u, nc, sizeof(*nu))) == NULL)
			return nomem(err), -1;
		c->u = nu;
		c->cap = nc;
	}
	u = &c->u[c->n];
	memset(u, 0, sizeof(*u));
	u->hash = h;
	u->off = c->arena.len;
	u->tlen = (uint8_t)tlen;
	u->ulen = (uint32_t)len;
	u->first = first;
	u->was = INT64_MIN;
	if (rta_buf_add(&c->arena, tenant, tlen) != 0 ||
	    rta_buf_add(&c->arena, s, len) != 0)
		return nomem(err), -1;
	for (j = h & (c->nslots - 1); c->slots[j] != 0;
	    j = (j + 1) & (c->nslots - 1))
		;
	c->slots[j] = (uint32_t)(c->n + 1);
	c->counts.users++;
	return (long long)c->n++;
}

/* b <<= k (bit i to bit i + k), dropping what passes the top. */
static void
shift_up(uint64_t *b, int64_t k)
{
	uint64_t t[WORDS] = { 0 };
	int64_t w = k / 64, s = k % 64, i;

	if (k <= 0)
		return;
	for (i = WORDS - 1; i >= w; i--) {
		t[i] = b[i - w] << s;
		if (s != 0 && i - w - 1 >= 0)
			t[i] |= b[i - w - 1] >> (64 - s);
	}
	memcpy(b, t, sizeof(t));
}

/* Merge activity bits (relative to bucket first) into user u. */
static void
merge(struct user *u, int64_t first, const uint64_t *bits)
{
	uint64_t t[WORDS];
	size_t i;

	memcpy(t, bits, sizeof(t));
	if (first < u->first) {
		shift_up(u->bits, u->first - first);
		u->first = first;
	} else if (first - u->first >= RTA_COHORT_BITS)
		return;
	else
		shift_up(t, first - u->first);
	for (i = 0; i < WORDS; i++)
		u->bits[i] |= t[i];
}

static int
is_activity(const struct rta_cohort *c, const struct rta_event *ev)
{
	size_t i;

	if (c->spec->nactivity == 0)
		return 1;
	for (i = 0; i < c->spec->nactivity; i++)
		if (strlen(c->spec->activity[i]) == ev->type_len &&
		    memcmp(c->spec->activity[i], ev->type, ev->type_len) == 0)
			return 1;
	return 0;
}

static int
add_event(struct rta_cohort *c, const struct rta_event *ev,
    struct rta_error *err)
{
	struct rta_fval v;
	char tmp[RTA_FVAL_TMP];
	const char *s;
	size_t len;
	uint64_t bits[WORDS] = { 0 };
	int64_t k;
	long long i;

	if (ev->ts >= c->spec->to) {
		c->counts.outside++;
		return RTA_OK;
	}
	c->counts.events++;
	if (!rta_field_get(c->spec->user, ev, &v) ||
	    !rta_fval_text(&v, tmp, &s, &len) || len > USER_MAX) {
		c->counts.no_user++;
		return RTA_OK;
	}
	k = floor_div(ev->ts - c->origin, c->spec->width);
	if ((i = find_user(c, ev->tenant, ev->tenant_len, s, len, k, err)) <
	    0)
		return err->code;
	if (is_activity(c, ev))
		bits[0] = 1;
	merge(&c->u[i], k, bits);
	return RTA_OK;
}

static int
bad_state(const struct rta_event *ev, const char *why, struct rta_error *err)
{
	return rta_error_set(err, RTA_EDATA, "bad-aggregate", "aggregate "
	    "record %.*s: %s", (int)ev->id_len, ev->id, why);
}

static int
add_state(struct rta_cohort *c, const struct rta_event *ev,
    struct rta_error *err)
{
	const unsigned char *end, *user, *per, *mv, *it;
	struct rta_viter vi;
	uint64_t bits[WORDS] = { 0 };
	const char *s;
	size_t len;
	int64_t t, k, p;
	long long i;

	if (ev->type_len != strlen(RTA_COHORT_WINDOW) || memcmp(ev->type,
	    RTA_COHORT_WINDOW, ev->type_len) != 0)
		return bad_state(ev, "a cohort is computed from raw events or "
		    "a cohort dataset (rta-store cohort), not from windows",
		    err);
	end = rta_value_member(ev->payload, "end", 3);
	user = rta_value_member(ev->payload, "user", 4);
	if (end == NULL || !rta_value_str(end, &s, &len) ||
	    rta_time_parse(s, len, &t, err) != RTA_OK ||
	    user == NULL || !rta_value_str(user, &s, &len) || len > USER_MAX)
		return bad_state(ev, "not a user's cohort state", err);
	if (rta_cohort_bucket(ev->ts, c->spec->width) != ev->ts ||
	    t - ev->ts != c->spec->width)
		return bad_state(ev, "a cohort of another bucket width", err);
	if ((mv = rta_value_member(ev->payload, "moved", 5)) != NULL &&
	    rta_value_tag(mv) == RTA_V_TRUE)
		return RTA_OK;
	if (ev->ts >= c->spec->to) {
		c->counts.outside++;
		return RTA_OK;
	}
	if ((per = rta_value_member(ev->payload, "periods", 7)) == NULL ||
	    rta_value_tag(per) != RTA_V_ARRAY)
		return bad_state(ev, "not a user's cohort state", err);
	rta_viter_init(&vi, per);
	while (rta_viter_item(&vi, &it)) {
		if (!rta_value_i64(it, &p) || p < 0 || p >= RTA_COHORT_BITS)
			return bad_state(ev, "a period out of range", err);
		bits[p / 64] |= UINT64_C(1) << (p % 64);
	}
	c->counts.states++;
	k = floor_div(ev->ts - c->origin, c->spec->width);
	if ((i = find_user(c, ev->tenant, ev->tenant_len, s, len, k, err)) <
	    0)
		return err->code;
	merge(&c->u[i], k, bits);
	return RTA_OK;
}

int
rta_cohort_add(struct rta_cohort *c, const struct rta_record *r,
    struct rta_error *err)
{
	if (r->kind == RTA_REC_EVENT)
		return add_event(c, &r->ev, err);
	if (r->kind == RTA_REC_AGGREGATE)
		return add_state(c, &r->ev, err);
	return RTA_OK;
}

void
rta_cohort_mark(struct rta_cohort *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		c->u[i].was = c->u[i].first;
		memcpy(c->u[i].bits0, c->u[i].bits, sizeof(c->u[i].bits));
	}
}

size_t
rta_cohort_nusers(const struct rta_cohort *c)
{
	return c->n;
}

void
rta_cohort_user(const struct rta_cohort *c, size_t i,
    struct rta_cohort_user *out)
{
	const struct user *u = &c->u[i];

	out->tenant = (const char *)c->arena.data + u->off;
	out->tlen = u->tlen;
	out->user = out->tenant + u->tlen;
	out->ulen = u->ulen;
	out->start = c->origin + u->first * c->spec->width;
	out->was = u->was == INT64_MIN ? INT64_MIN :
	    c->origin + u->was * c->spec->width;
	memcpy(out->bits, u->bits, sizeof(out->bits));
	out->changed = u->was != u->first ||
	    memcmp(u->bits, u->bits0, sizeof(u->bits)) != 0;
}

int
rta_cohort_payload(struct rta_buf *b, const struct rta_cohort_user *u,
    int64_t width, int moved)
{
	char t[RTA_TIME_LEN];
	size_t off, arr;
	uint32_t n = 0;
	unsigned k;
	int rc;

	rta_buf_reset(b);
	rta_time_format(t, (moved ? u->was : u->start) + width);
	off = rta_venc_begin(b, RTA_V_OBJECT);
	rc = off == (size_t)-1 || rta_venc_key(b, "end", 3) ||
	    rta_venc_string(b, t, RTA_TIME_LEN) ||
	    rta_venc_key(b, "user", 4) ||
	    rta_venc_string(b, u->user, u->ulen);
	if (rc)
		return -1;
	if (moved) {
		if (rta_venc_key(b, "moved", 5) || rta_venc_bool(b, 1))
			return -1;
		rta_venc_end(b, off, 3);
		return 0;
	}
	if (rta_venc_key(b, "periods", 7) ||
	    (arr = rta_venc_begin(b, RTA_V_ARRAY)) == (size_t)-1)
		return -1;
	for (k = 0; k < RTA_COHORT_BITS; k++)
		if (u->bits[k / 64] >> (k % 64) & 1) {
			if (rta_venc_int(b, (int64_t)k) != 0)
				return -1;
			n++;
		}
	rta_venc_end(b, arr, n);
	rta_venc_end(b, off, 3);
	return 0;
}

/* ---- the matrix ----------------------------------------------------------- */

static const struct rta_cohort *sort_c;

static int
cmp_user(const void *a, const void *b)
{
	const struct user *x = &sort_c->u[*(const size_t *)a];
	const struct user *y = &sort_c->u[*(const size_t *)b];
	size_t n = x->tlen < y->tlen ? x->tlen : y->tlen;
	int r;

	r = memcmp(sort_c->arena.data + x->off, sort_c->arena.data + y->off,
	    n);
	if (r != 0)
		return r;
	if (x->tlen != y->tlen)
		return x->tlen < y->tlen ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

int
rta_cohort_rows(struct rta_cohort *c, struct rta_error *err)
{
	const struct rta_cohort_spec *sp = c->spec;
	size_t *ix, n = 0, i, P = sp->periods, nr = 0;
	struct row *r;
	struct user *u, *prev = NULL;
	int64_t start, known;
	unsigned k;

	rta_free(c->rows);
	rta_free(c->cv);
	c->rows = NULL;
	c->cv = NULL;
	c->nrows = 0;
	if (c->n == 0)
		return RTA_OK;
	if ((ix = rta_reallocarray(NULL, c->n, sizeof(*ix))) == NULL)
		return nomem(err);
	for (i = 0; i < c->n; i++) {
		start = c->origin + c->u[i].first * sp->width;
		if (start >= sp->from && start < sp->to)
			ix[n++] = i;
	}
	/* qsort has no context argument in C11 */
	sort_c = c;
	qsort(ix, n, sizeof(*ix), cmp_user);
	sort_c = NULL;
	for (i = 0; i < n; i++) {
		u = &c->u[ix[i]];
		if (prev == NULL || prev->first != u->first ||
		    prev->tlen != u->tlen || memcmp(c->arena.data + prev->off,
		    c->arena.data + u->off, u->tlen) != 0)
			nr++;
		prev = u;
	}
	if (n > 0 && ((c->rows = rta_calloc(nr, sizeof(*c->rows))) == NULL ||
	    (c->cv = rta_calloc(nr * (P + 1), sizeof(*c->cv))) == NULL)) {
		rta_free(ix);
		return nomem(err);
	}
	for (i = 0, prev = NULL, r = NULL; i < n; i++) {
		u = &c->u[ix[i]];
		if (prev == NULL || prev->first != u->first ||
		    prev->tlen != u->tlen || memcmp(c->arena.data + prev->off,
		    c->arena.data + u->off, u->tlen) != 0) {
			r = &c->rows[c->nrows];
			r->user = ix[i];
			r->start = c->origin + u->first * sp->width;
			r->active = c->nrows * (P + 1);
			c->nrows++;
		}
		prev = u;
		r->users++;
		known = (sp->to - r->start - 1) / sp->width;
		for (k = 1; k <= P && (int64_t)k <= known; k++)
			c->cv[r->active + k] += u->bits[k / 64] >> (k % 64) & 1;
	}
	rta_free(ix);
	return RTA_OK;
}

size_t
rta_cohort_nrows(const struct rta_cohort *c)
{
	return c->nrows;
}

void
rta_cohort_row(const struct rta_cohort *c, size_t i,
    struct rta_cohort_row *row)
{
	const struct row *r = &c->rows[i];
	const struct user *u = &c->u[r->user];
	int64_t known = (c->spec->to - r->start - 1) / c->spec->width;

	row->tenant = (const char *)c->arena.data + u->off;
	row->tlen = u->tlen;
	row->start = r->start;
	row->users = r->users;
	row->active = c->cv + r->active;
	row->known = known >= (int64_t)c->spec->periods ? c->spec->periods :
	    (unsigned)known;
}
