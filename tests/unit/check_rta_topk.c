/*
 * check_rta_topk.c: the Space-Saving top-k sketch.  Its bounds against
 * exact counts over many seeded streams (Zipf of several exponents,
 * uniform, heavy items arriving last, rare items first, all distinct,
 * one item, a cycle one item longer than the capacity, weights other than
 * 1), merges in several orders and groupings against the exact counts of
 * the concatenated stream, the order of rta_topk_top, the format (a
 * hand-made encoding, round trips, copies that go on to behave the
 * same), every class of malformed input, allocation failures and the
 * memory bound.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_topk.h"
#include "unit.h"

/*
 * check records every passing ck_assert (a write per call), too slow for
 * the loops below over every counter and item: they test with this.
 */
#define REQUIRE(c) do {							\
	if (!(c))							\
		ck_abort_msg("%s", #c);					\
} while (0)
#define REQUIRE_MSG(c, ...) do {					\
	if (!(c))							\
		ck_abort_msg(__VA_ARGS__);				\
} while (0)

#define U	50000U		/* the ids of the streams' items */
#define NEV	20000U		/* events in a stream */
#define NKINDS	12

static uint64_t rng;

static uint64_t
next(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t
below(uint64_t n)
{
	return next() % n;
}

struct stream {
	uint32_t	*id;
	uint64_t	*w;
	size_t		 n;
};

/* A Zipf draw of exponent s over ids 0..nid-1, cdf precomputed. */
static double *
zipf_cdf(size_t nid, double s)
{
	double *c = malloc(nid * sizeof(*c)), sum = 0;
	size_t i;

	ck_assert_ptr_nonnull(c);
	for (i = 0; i < nid; i++)
		c[i] = (sum += 1 / pow((double)(i + 1), s));
	for (i = 0; i < nid; i++)
		c[i] /= sum;
	return c;
}

static uint32_t
zipf_draw(const double *c, size_t nid)
{
	double u = (double)(next() >> 11) / 9007199254740992.0;
	size_t lo = 0, hi = nid - 1, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (c[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (uint32_t)lo;
}

static const char *const kind_name[NKINDS] = {
	"zipf 0.7", "zipf 1.0", "zipf 1.3", "zipf 2.0", "uniform",
	"heavy last", "all distinct", "one item", "weighted zipf 1.1",
	"rare first", "cycle", "huge weights"
};

/* Stream kind k from seed, NEV events. */
static void
gen(int kind, uint64_t seed, struct stream *st)
{
	static const double ex[] = { 0.7, 1.0, 1.3, 2.0 };
	double *c = NULL;
	uint32_t *cnt;
	size_t i, j, k;

	rng = seed * 0x2545f4914f6cdd1dULL + (uint64_t)kind;
	st->n = NEV;
	st->id = malloc(NEV * sizeof(*st->id));
	st->w = malloc(NEV * sizeof(*st->w));
	ck_assert(st->id != NULL && st->w != NULL);
	if (kind <= 3 || kind == 8 || kind == 9 || kind == 11)
		c = zipf_cdf(U, kind <= 3 ? ex[kind] : kind == 8 ? 1.1 :
		    kind == 9 ? 1.2 : 1.0);
	for (i = 0; i < NEV; i++) {
		st->w[i] = 1;
		switch (kind) {
		case 4:
			st->id[i] = (uint32_t)below(U);
			break;
		case 5:
			/* singles, then ten heavy items at the end */
			st->id[i] = i < NEV * 7 / 10 ? (uint32_t)(100 + i) :
			    (uint32_t)below(10);
			break;
		case 6:
			st->id[i] = (uint32_t)i;
			break;
		case 7:
			st->id[i] = 42;
			break;
		case 10:
			st->id[i] = (uint32_t)(i % 257);
			break;
		default:
			st->id[i] = zipf_draw(c, U);
			break;
		}
		if (kind == 8)
			st->w[i] = 1 + below(1000);
		if (kind == 11)
			st->w[i] = 1 + below(1ULL << 40);
	}
	if (kind == 9) {
		/* the same items, grouped, the rarest first */
		cnt = calloc(U, sizeof(*cnt));
		ck_assert_ptr_nonnull(cnt);
		for (i = 0; i < NEV; i++)
			cnt[st->id[i]]++;
		k = 0;
		for (j = 1; k < NEV; j++)
			for (i = 0; i < U; i++)
				if (cnt[i] == j) {
					while (cnt[i]-- > 0)
						st->id[k++] = (uint32_t)i;
				}
		free(cnt);
	}
	free(c);
}

static void
stream_free(struct stream *st)
{
	free(st->id);
	free(st->w);
}

static size_t
item_of(uint32_t id, char *buf)
{
	return (size_t)sprintf(buf, "%u", id);
}

static uint32_t
id_of(const struct rta_topk_entry *e)
{
	char buf[16];

	REQUIRE(e->len > 0 && e->len < sizeof(buf));
	memcpy(buf, e->item, e->len);
	buf[e->len] = '\0';
	return (uint32_t)strtoul(buf, NULL, 10);
}

static void
add_range(struct rta_topk *t, const struct stream *st, size_t from,
    size_t to, uint64_t *exact)
{
	char buf[16];
	size_t i;

	for (i = from; i < to; i++) {
		REQUIRE(rta_topk_add(t, buf, item_of(st->id[i], buf),
		    st->w[i]) == RTA_OK);
		if (exact != NULL)
			exact[st->id[i]] += st->w[i];
	}
}

static int
entry_before(const struct rta_topk_entry *a, const struct rta_topk_entry *b)
{
	size_t m = a->len < b->len ? a->len : b->len;
	int c;

	if (a->count != b->count)
		return a->count > b->count;
	c = m > 0 ? memcmp(a->item, b->item, m) : 0;
	return c < 0 || (c == 0 && a->len < b->len);
}

/*
 * What every sketch must satisfy on its own (decoded ones too): the
 * order, count - error >= 1, errors at most the smallest count, the
 * counts' sum at most the total, and exactness while not full.  Fills
 * e with the counters and returns how many.
 */
static size_t
check_shape(const struct rta_topk *t, struct rta_topk_entry *e)
{
	unsigned cap = rta_topk_capacity(t);
	uint64_t total = rta_topk_total(t), sum = 0, m = rta_topk_min(t);
	size_t n = rta_topk_top(t, e, cap), i;

	REQUIRE(n == rta_topk_size(t));
	REQUIRE(n <= cap);
	for (i = 0; i < n; i++) {
		REQUIRE_MSG(i == 0 || entry_before(&e[i - 1], &e[i]),
		    "counter %zu out of order", i);
		REQUIRE(e[i].error < e[i].count);
		REQUIRE(e[i].count <= total - sum);
		sum += e[i].count;
		if (n < cap)
			REQUIRE(e[i].error == 0);
		else
			REQUIRE(e[i].error <= m);
	}
	if (n < cap) {
		REQUIRE(m == 0);
		REQUIRE(sum == total);
	} else
		REQUIRE(m == e[n - 1].count);
	return n;
}

/*
 * The guarantees against the exact counts: each counter's true count in
 * [count - error, count], error <= total / capacity, and every item
 * without a counter at most the smallest count (0 when not full), so
 * every item above total / capacity held.
 */
static void
check_bounds(const struct rta_topk *t, const uint64_t *exact,
    const char *what)
{
	static struct rta_topk_entry e[RTA_TOPK_CAP_MAX];
	static unsigned char held[U];
	struct rta_topk_entry g;
	unsigned cap = rta_topk_capacity(t);
	uint64_t total = 0, m = rta_topk_min(t), f;
	size_t n, i;
	uint32_t id;
	char buf[16];

	for (i = 0; i < U; i++)
		total += exact[i];
	REQUIRE_MSG(rta_topk_total(t) == total, "%s: total", what);
	n = check_shape(t, e);
	memset(held, 0, sizeof(held));
	for (i = 0; i < n; i++) {
		id = id_of(&e[i]);
		REQUIRE(id < U && !held[id]);
		held[id] = 1;
		f = exact[id];
		REQUIRE_MSG(e[i].count - e[i].error <= f && f <= e[i].count,
		    "%s: item %u: true %llu outside [%llu - %llu, %llu]",
		    what, id, (unsigned long long)f,
		    (unsigned long long)e[i].count,
		    (unsigned long long)e[i].error,
		    (unsigned long long)e[i].count);
		REQUIRE_MSG(e[i].error <= total / cap,
		    "%s: error %llu above total / capacity", what,
		    (unsigned long long)e[i].error);
	}
	for (i = 0; i < U; i++) {
		if (held[i] || exact[i] == 0)
			continue;
		REQUIRE_MSG(exact[i] <= m, "%s: item %zu (count %llu) not "
		    "held, smallest count %llu", what, i,
		    (unsigned long long)exact[i], (unsigned long long)m);
		REQUIRE_MSG(exact[i] <= total / cap, "%s: heavy item %zu "
		    "not held", what, i);
	}
	/* get agrees with top, and bounds the items it does not hold */
	for (i = 0; i < 50; i++) {
		id = (uint32_t)(i < 25 ? i : below(U));
		if (rta_topk_get(t, buf, item_of(id, buf), &g)) {
			REQUIRE(held[id]);
			REQUIRE(g.len == strlen(buf) &&
			    memcmp(g.item, buf, g.len) == 0);
		} else {
			REQUIRE(!held[id]);
			REQUIRE(g.item == NULL);
			REQUIRE(g.count == m);
			REQUIRE(g.error == m);
		}
		REQUIRE(g.count - g.error <= exact[id] &&
		    exact[id] <= g.count);
	}
}

static void
encode_to(const struct rta_topk *t, struct rta_buf *b)
{
	rta_buf_reset(b);
	ck_assert_int_eq(rta_topk_encode(t, b), 0);
}

static int
same_state(const struct rta_topk *a, const struct rta_topk *b)
{
	struct rta_buf x = RTA_BUF_INIT, y = RTA_BUF_INIT;
	int same;

	encode_to(a, &x);
	encode_to(b, &y);
	same = x.len == y.len && memcmp(x.data, y.data, x.len) == 0;
	rta_buf_release(&x);
	rta_buf_release(&y);
	return same;
}

/* Decode what t encodes: the same answers, the same bytes again. */
static void
check_round_trip(const struct rta_topk *t)
{
	static struct rta_topk_entry e1[RTA_TOPK_CAP_MAX],
	    e2[RTA_TOPK_CAP_MAX];
	struct rta_buf b = RTA_BUF_INIT, b2 = RTA_BUF_INIT;
	struct rta_topk d;
	struct rta_error err;
	size_t n, i;

	encode_to(t, &b);
	REQUIRE(rta_topk_decode(&d, b.data, b.len, &err) == RTA_OK);
	REQUIRE(rta_topk_capacity(&d) == rta_topk_capacity(t));
	REQUIRE(rta_topk_total(&d) == rta_topk_total(t));
	REQUIRE(rta_topk_min(&d) == rta_topk_min(t));
	n = rta_topk_top(t, e1, RTA_TOPK_CAP_MAX);
	REQUIRE(rta_topk_top(&d, e2, RTA_TOPK_CAP_MAX) == n);
	for (i = 0; i < n; i++) {
		REQUIRE(e1[i].len == e2[i].len && e1[i].count ==
		    e2[i].count && e1[i].error == e2[i].error);
		REQUIRE(e1[i].len == 0 ||
		    memcmp(e1[i].item, e2[i].item, e1[i].len) == 0);
	}
	encode_to(&d, &b2);
	REQUIRE(b.len == b2.len && memcmp(b.data, b2.data, b.len) == 0);
	rta_topk_release(&d);
	rta_buf_release(&b);
	rta_buf_release(&b2);
}

static const unsigned caps[] = { 1, 7, 64, 200, 2000 };
#define NCAPS	(sizeof(caps) / sizeof(caps[0]))

/*
 * Every stream kind, capacity and seed: the bounds hold after every
 * quarter of the stream, and the sketch survives a round trip.
 */
START_TEST(accuracy)
{
	static uint64_t exact[U];
	struct rta_topk t;
	struct stream st;
	char what[64];
	uint64_t seed;
	size_t c, q;

	for (seed = 1; seed <= 3; seed++) {
		gen(_i, seed, &st);
		for (c = 0; c < NCAPS; c++) {
			memset(exact, 0, sizeof(exact));
			ck_assert_int_eq(rta_topk_init(&t, caps[c]), RTA_OK);
			for (q = 0; q < 4; q++) {
				add_range(&t, &st, st.n * q / 4,
				    st.n * (q + 1) / 4, exact);
				snprintf(what, sizeof(what), "%s, seed %llu, "
				    "capacity %u, part %zu", kind_name[_i],
				    (unsigned long long)seed, caps[c], q);
				check_bounds(&t, exact, what);
			}
			check_round_trip(&t);
			rta_topk_release(&t);
		}
		stream_free(&st);
	}
}
END_TEST

/* A Space-Saving sketch with enough counters finds the heavy items of
 * a skewed stream with their counts nearly exact. */
START_TEST(heavy_found)
{
	static uint64_t exact[U];
	struct rta_topk_entry e[10];
	struct rta_topk t;
	struct stream st;
	size_t i, j, n;

	gen(2, 7, &st);				/* zipf 1.3 */
	memset(exact, 0, sizeof(exact));
	ck_assert_int_eq(rta_topk_init(&t, 100), RTA_OK);
	add_range(&t, &st, 0, st.n, exact);
	n = rta_topk_top(&t, e, 10);
	ck_assert_uint_eq(n, 10);
	/* the true top 10 by count are ids 0..9 (or tie with them) */
	for (i = 0; i < n; i++) {
		uint32_t id = id_of(&e[i]);
		size_t above = 0;

		for (j = 0; j < U; j++)
			above += exact[j] > exact[id];
		ck_assert_uint_lt(above, 10);
		ck_assert_uint_le(e[i].error * 20, e[i].count);
	}
	rta_topk_release(&t);
	stream_free(&st);
}
END_TEST

/* The order of top: by count descending then item bytes ascending,
 * whatever k; k below the size gives the first k. */
START_TEST(top_order)
{
	static const char *const items[] = { "b", "a", "ab", "", "c", "ba",
	    "\xff", "a\0", "aa" };
	static const uint64_t w[] = { 5, 5, 5, 5, 9, 1, 5, 2, 2 };
	struct rta_topk_entry all[16], some[16];
	struct rta_topk t;
	size_t i, k, n;
	static const char *const want[] = { "c", "", "a", "ab", "b", "\xff",
	    "a\0", "aa", "ba" };
	static const size_t want_len[] = { 1, 0, 1, 2, 1, 1, 2, 2, 2 };

	ck_assert_int_eq(rta_topk_init(&t, 16), RTA_OK);
	for (i = 0; i < 9; i++)
		ck_assert_int_eq(rta_topk_add(&t, items[i], i == 7 ? 2 :
		    strlen(items[i]), w[i]), RTA_OK);
	ck_assert_uint_eq(rta_topk_top(&t, NULL, 0), 0);
	n = rta_topk_top(&t, all, 16);
	ck_assert_uint_eq(n, 9);
	for (i = 0; i < n; i++) {
		ck_assert_uint_eq(all[i].len, want_len[i]);
		ck_assert(memcmp(all[i].item, want[i], want_len[i]) == 0);
		ck_assert_ptr_nonnull(all[i].item);
	}
	for (k = 1; k <= 9; k++) {
		ck_assert_uint_eq(rta_topk_top(&t, some, k), k);
		for (i = 0; i < k; i++)
			ck_assert(some[i].item == all[i].item &&
			    some[i].count == all[i].count);
	}
	rta_topk_release(&t);
}
END_TEST

/*
 * Replacing: the counter that comes last (smallest count, then largest
 * item bytes) goes, and the newcomer's error is its count.
 */
START_TEST(replacement_rule)
{
	struct rta_topk t;
	struct rta_topk_entry e;

	ck_assert_int_eq(rta_topk_init(&t, 2), RTA_OK);
	ck_assert_int_eq(rta_topk_add(&t, "a", 1, 1), RTA_OK);
	ck_assert_int_eq(rta_topk_add(&t, "b", 1, 1), RTA_OK);
	ck_assert_uint_eq(rta_topk_min(&t), 1);
	ck_assert_int_eq(rta_topk_add(&t, "c", 1, 3), RTA_OK);
	ck_assert_int_eq(rta_topk_get(&t, "b", 1, &e), 0);
	ck_assert_uint_eq(e.count, 1);
	ck_assert_int_eq(rta_topk_get(&t, "a", 1, &e), 1);
	ck_assert(e.count == 1 && e.error == 0);
	ck_assert_int_eq(rta_topk_get(&t, "c", 1, &e), 1);
	ck_assert(e.count == 4 && e.error == 1);
	/* "a" is now the smallest */
	ck_assert_int_eq(rta_topk_add(&t, "b", 1, 1), RTA_OK);
	ck_assert_int_eq(rta_topk_get(&t, "a", 1, &e), 0);
	ck_assert_int_eq(rta_topk_get(&t, "b", 1, &e), 1);
	ck_assert(e.count == 2 && e.error == 1);
	ck_assert_uint_eq(rta_topk_total(&t), 6);
	rta_topk_release(&t);
}
END_TEST

/* The format, written by hand from the header: capacity 2, adds b a a c
 * (c replaces b: count 2, error 1). */
START_TEST(encoding_by_hand)
{
	static const unsigned char want[] = { 'K', 1, 2, 4, 2,
	    1, 'a', 2, 0,
	    1, 'c', 0, 1 };
	static const unsigned char want_big[] = { 'K', 1, 0x80, 0x80, 0x04,
	    0xac, 0x02, 1,
	    0, 0xac, 0x02, 0 };
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_topk t;

	ck_assert_int_eq(rta_topk_init(&t, 2), RTA_OK);
	rta_topk_add(&t, "b", 1, 1);
	rta_topk_add(&t, "a", 1, 1);
	rta_topk_add(&t, "a", 1, 1);
	rta_topk_add(&t, "c", 1, 1);
	ck_assert_int_eq(rta_buf_add(&b, "x", 1), 0);
	ck_assert_int_eq(rta_topk_encode(&t, &b), 0);	/* appends */
	ck_assert_uint_eq(b.len, 1 + sizeof(want));
	ck_assert(memcmp(b.data + 1, want, sizeof(want)) == 0);
	rta_topk_release(&t);
	/* capacity 65536, the empty item counted 300 times */
	ck_assert_int_eq(rta_topk_init(&t, RTA_TOPK_CAP_MAX), RTA_OK);
	ck_assert_int_eq(rta_topk_add(&t, NULL, 0, 300), RTA_OK);
	encode_to(&t, &b);
	ck_assert_uint_eq(b.len, sizeof(want_big));
	ck_assert(memcmp(b.data, want_big, b.len) == 0);
	rta_topk_release(&t);
	rta_buf_release(&b);
}
END_TEST

/* Copies, decoded sketches and reset ones behave as the original from
 * then on: the state decides everything. */
START_TEST(state_decides)
{
	struct rta_topk t, c, d, r;
	struct rta_buf b = RTA_BUF_INIT;
	struct stream st;
	int kind;

	for (kind = 0; kind < NKINDS; kind++) {
		gen(kind, 11, &st);
		ck_assert_int_eq(rta_topk_init(&t, 50), RTA_OK);
		ck_assert_int_eq(rta_topk_init(&r, 50), RTA_OK);
		add_range(&t, &st, 0, st.n / 2, NULL);
		add_range(&r, &st, st.n / 2, st.n, NULL);
		rta_topk_reset(&r);
		ck_assert_uint_eq(rta_topk_size(&r), 0);
		ck_assert_uint_eq(rta_topk_total(&r), 0);
		add_range(&r, &st, 0, st.n / 2, NULL);
		ck_assert_int_eq(rta_topk_copy(&c, &t), RTA_OK);
		encode_to(&t, &b);
		ck_assert_int_eq(rta_topk_decode(&d, b.data, b.len, NULL),
		    RTA_OK);
		ck_assert(same_state(&t, &r));
		add_range(&t, &st, st.n / 2, st.n, NULL);
		add_range(&c, &st, st.n / 2, st.n, NULL);
		add_range(&d, &st, st.n / 2, st.n, NULL);
		add_range(&r, &st, st.n / 2, st.n, NULL);
		ck_assert(same_state(&t, &c));
		ck_assert(same_state(&t, &d));
		ck_assert(same_state(&t, &r));
		rta_topk_release(&t);
		rta_topk_release(&c);
		rta_topk_release(&d);
		rta_topk_release(&r);
		stream_free(&st);
	}
	rta_buf_release(&b);
}
END_TEST

/* While exact, the order of the adds does not matter. */
START_TEST(exact_any_order)
{
	struct rta_topk a, b;
	struct stream st;
	size_t i, j;
	uint32_t tid;
	uint64_t tw;

	gen(3, 5, &st);		/* zipf 2.0: few distinct items */
	ck_assert_int_eq(rta_topk_init(&a, 4000), RTA_OK);
	ck_assert_int_eq(rta_topk_init(&b, 4000), RTA_OK);
	add_range(&a, &st, 0, st.n, NULL);
	ck_assert_uint_lt(rta_topk_size(&a), 4000);
	for (i = st.n - 1; i > 0; i--) {
		j = below(i + 1);
		tid = st.id[i], st.id[i] = st.id[j], st.id[j] = tid;
		tw = st.w[i], st.w[i] = st.w[j], st.w[j] = tw;
	}
	add_range(&b, &st, 0, st.n, NULL);
	ck_assert(same_state(&a, &b));
	rta_topk_release(&a);
	rta_topk_release(&b);
	stream_free(&st);
}
END_TEST

/* ---- merge ------------------------------------------------------------- */

#define MAXP	8

static void
merge_ok(struct rta_topk *into, const struct rta_topk *from)
{
	struct rta_error err;

	ck_assert_int_eq(rta_topk_merge(into, from, &err), RTA_OK);
}

/* Merge list[0..nl) pairwise, level by level, into list[0]. */
static void
merge_tree(struct rta_topk *list, size_t nl)
{
	size_t a;

	while (nl > 1) {
		for (a = 0; 2 * a + 1 < nl; a++) {
			merge_ok(&list[2 * a], &list[2 * a + 1]);
			rta_topk_release(&list[2 * a + 1]);
			list[a] = list[2 * a];
		}
		if (nl % 2 == 1)
			list[nl / 2] = list[nl - 1];
		nl = (nl + 1) / 2;
	}
}

/* Merge two of list[0..nl) chosen at random until one is left. */
static void
merge_random(struct rta_topk *list, size_t nl)
{
	size_t a, b;

	while (nl > 1) {
		a = below(nl);
		b = below(nl - 1);
		if (b >= a)
			b++;
		merge_ok(&list[a], &list[b]);
		rta_topk_release(&list[b]);
		list[b] = list[--nl];
	}
}

/*
 * The stream cut in P parts (contiguous at random places, or each event
 * dealt at random), one sketch per part, merged four ways: left to
 * right, right to left, as a balanced tree, and two at a time at random.
 * Every result within the bounds of the whole stream; merge(a, b) ==
 * merge(b, a); more adds after a merge keep the bounds.
 */
START_TEST(merge_groupings)
{
	static uint64_t exact[U];
	static const unsigned mcaps[] = { 5, 64, 300 };
	struct rta_topk part[MAXP], acc, tmp, list[MAXP];
	struct stream st;
	char what[96], buf[16];
	size_t c, p, q, i, P, cut[MAXP + 1];
	uint64_t seed;
	int way, dealt;

	for (seed = 1; seed <= 2; seed++) {
		gen(_i, seed + 20, &st);
		dealt = (int)(seed & 1);
		for (c = 0; c < 3; c++) {
			P = 2 + (size_t)below(MAXP - 1);
			memset(exact, 0, sizeof(exact));
			for (p = 0; p < P; p++)
				ck_assert_int_eq(rta_topk_init(&part[p],
				    mcaps[c]), RTA_OK);
			if (dealt) {
				for (i = 0; i < st.n; i++) {
					p = below(P);
					ck_assert_int_eq(rta_topk_add(&part[p],
					    buf, item_of(st.id[i], buf),
					    st.w[i]), RTA_OK);
					exact[st.id[i]] += st.w[i];
				}
			} else {
				cut[0] = 0;
				cut[P] = st.n;
				for (p = 1; p < P; p++) {
					cut[p] = below(st.n + 1);
					for (q = p; q > 1 && cut[q - 1] >
					    cut[q]; q--)
						i = cut[q], cut[q] =
						    cut[q - 1], cut[q - 1] = i;
				}
				for (p = 0; p < P; p++)
					add_range(&part[p], &st, cut[p],
					    cut[p + 1], exact);
			}
			for (way = 0; way < 4; way++) {
				snprintf(what, sizeof(what), "%s, seed %llu, "
				    "capacity %u, %zu parts, way %d",
				    kind_name[_i], (unsigned long long)seed,
				    mcaps[c], P, way);
				if (way == 0) {
					ck_assert_int_eq(rta_topk_copy(&acc,
					    &part[0]), RTA_OK);
					for (p = 1; p < P; p++)
						merge_ok(&acc, &part[p]);
				} else if (way == 1) {
					ck_assert_int_eq(rta_topk_copy(&acc,
					    &part[P - 1]), RTA_OK);
					for (p = P - 1; p-- > 0; )
						merge_ok(&acc, &part[p]);
				} else {
					for (p = 0; p < P; p++)
						ck_assert_int_eq(rta_topk_copy(
						    &list[p], &part[p]),
						    RTA_OK);
					if (way == 2)
						merge_tree(list, P);
					else
						merge_random(list, P);
					acc = list[0];
				}
				check_bounds(&acc, exact, what);
				if (way == 3) {
					/* then more adds: the first quarter
					 * again */
					add_range(&acc, &st, 0, st.n / 4,
					    exact);
					check_bounds(&acc, exact, what);
				}
				rta_topk_release(&acc);
			}
			/* commutative, exactly */
			ck_assert_int_eq(rta_topk_copy(&acc, &part[0]), RTA_OK);
			ck_assert_int_eq(rta_topk_copy(&tmp, &part[1]), RTA_OK);
			merge_ok(&acc, &part[1]);
			merge_ok(&tmp, &part[0]);
			ck_assert(same_state(&acc, &tmp));
			check_round_trip(&acc);
			rta_topk_release(&tmp);
			rta_topk_release(&acc);
			for (p = 0; p < P; p++)
				rta_topk_release(&part[p]);
		}
		stream_free(&st);
	}
}
END_TEST

/* Merging a sketch with itself doubles it; with an empty one, nothing
 * changes; when all is exact, the merge equals the sketch of the
 * concatenation. */
START_TEST(merge_special)
{
	static uint64_t exact[U];
	struct rta_topk a, b, e, whole;
	struct stream st;
	size_t i;

	gen(1, 3, &st);
	memset(exact, 0, sizeof(exact));
	ck_assert_int_eq(rta_topk_init(&a, 64), RTA_OK);
	add_range(&a, &st, 0, st.n, exact);
	for (i = 0; i < U; i++)
		exact[i] *= 2;
	ck_assert_int_eq(rta_topk_copy(&b, &a), RTA_OK);
	merge_ok(&b, &b);
	check_bounds(&b, exact, "merged with itself");
	rta_topk_release(&b);
	ck_assert_int_eq(rta_topk_init(&e, 64), RTA_OK);
	ck_assert_int_eq(rta_topk_copy(&b, &a), RTA_OK);
	merge_ok(&b, &e);
	ck_assert(same_state(&a, &b));
	merge_ok(&e, &a);
	ck_assert(same_state(&a, &e));
	rta_topk_release(&a);
	rta_topk_release(&b);
	rta_topk_release(&e);
	stream_free(&st);

	gen(3, 4, &st);		/* zipf 2.0, fewer than 4000 distinct */
	ck_assert_int_eq(rta_topk_init(&whole, 4000), RTA_OK);
	add_range(&whole, &st, 0, st.n, NULL);
	ck_assert_uint_lt(rta_topk_size(&whole), 4000);
	ck_assert_int_eq(rta_topk_init(&a, 4000), RTA_OK);
	ck_assert_int_eq(rta_topk_init(&b, 4000), RTA_OK);
	add_range(&a, &st, 0, st.n / 3, NULL);
	add_range(&b, &st, st.n / 3, st.n, NULL);
	merge_ok(&a, &b);
	ck_assert(same_state(&a, &whole));
	rta_topk_release(&a);
	rta_topk_release(&b);
	rta_topk_release(&whole);
	stream_free(&st);
}
END_TEST

/* Different capacities do not merge; totals may not wrap; into is left
 * as it was. */
START_TEST(merge_refused)
{
	struct rta_topk a, b, a0;
	struct rta_error err;

	ck_assert_int_eq(rta_topk_init(&a, 10), RTA_OK);
	ck_assert_int_eq(rta_topk_init(&b, 11), RTA_OK);
	rta_topk_add(&a, "x", 1, 3);
	rta_topk_add(&b, "x", 1, 3);
	ck_assert_int_eq(rta_topk_copy(&a0, &a), RTA_OK);
	ck_assert_int_eq(rta_topk_merge(&a, &b, &err), RTA_EINVAL);
	ck_assert_str_eq(err.reason, "sketch-mismatch");
	ck_assert(same_state(&a, &a0));
	rta_topk_release(&b);
	ck_assert_int_eq(rta_topk_init(&b, 10), RTA_OK);
	ck_assert_int_eq(rta_topk_add(&b, "y", 1, UINT64_MAX - 2), RTA_OK);
	ck_assert_int_eq(rta_topk_merge(&a, &b, &err), RTA_ELIMIT);
	ck_assert_str_eq(err.reason, "sketch-overflow");
	ck_assert(same_state(&a, &a0));
	ck_assert_int_eq(rta_topk_add(&a, "y", 1, 1), RTA_OK);
	ck_assert_int_eq(rta_topk_add(&b, "y", 1, 5), RTA_ELIMIT);
	ck_assert_int_eq(rta_topk_merge(&a, &b, &err), RTA_ELIMIT);
	rta_topk_release(&a);
	ck_assert_int_eq(rta_topk_init(&a, 10), RTA_OK);
	rta_topk_add(&a, "x", 1, 2);
	ck_assert_int_eq(rta_topk_merge(&a, &b, &err), RTA_OK);
	ck_assert_uint_eq(rta_topk_total(&a), UINT64_MAX);
	rta_topk_release(&a);
	rta_topk_release(&a0);
	rta_topk_release(&b);
}
END_TEST

/* ---- arguments, life, memory ------------------------------------------- */

START_TEST(arguments)
{
	static char big[RTA_TOPK_ITEM_MAX + 1];
	struct rta_topk t;
	struct rta_topk_entry e;

	ck_assert_int_eq(rta_topk_init(&t, 0), RTA_EINVAL);
	ck_assert_int_eq(rta_topk_init(&t, RTA_TOPK_CAP_MAX + 1), RTA_EINVAL);
	rta_topk_release(&t);
	ck_assert_int_eq(rta_topk_init(&t, RTA_TOPK_CAP_MAX), RTA_OK);
	ck_assert_uint_eq(rta_topk_capacity(&t), RTA_TOPK_CAP_MAX);
	ck_assert_int_eq(rta_topk_add(&t, big, sizeof(big), 1), RTA_EINVAL);
	ck_assert_int_eq(rta_topk_add(&t, "a", 1, 0), RTA_EINVAL);
	ck_assert_uint_eq(rta_topk_total(&t), 0);
	ck_assert_int_eq(rta_topk_add(&t, big, sizeof(big) - 1, 1), RTA_OK);
	ck_assert_int_eq(rta_topk_get(&t, big, sizeof(big), &e), 0);
	ck_assert_int_eq(rta_topk_get(&t, big, sizeof(big) - 1, &e), 1);
	ck_assert_int_eq(rta_topk_add(&t, "a", 1, UINT64_MAX - 1), RTA_OK);
	ck_assert_int_eq(rta_topk_add(&t, "a", 1, 1), RTA_ELIMIT);
	ck_assert_int_eq(rta_topk_add(&t, "b", 1, 1), RTA_ELIMIT);
	ck_assert_uint_eq(rta_topk_total(&t), UINT64_MAX);
	ck_assert_uint_eq(rta_topk_size(&t), 2);
	check_round_trip(&t);
	rta_topk_release(&t);
	ck_assert_uint_eq(rta_topk_capacity(&t), 0);
	ck_assert_uint_eq(rta_topk_size(&t), 0);
	ck_assert_uint_eq(rta_topk_memory(&t), 0);
	ck_assert_ptr_null(t.slot);
	rta_topk_release(&t);
	rta_topk_release(NULL);
}
END_TEST

/*
 * Memory: below capacity * (ITEM_MAX + OVERHEAD) whatever the items,
 * and set by the items' real lengths when they are short; nothing is
 * allocated for counters never used.
 */
START_TEST(memory_bound)
{
	static unsigned char item[RTA_TOPK_ITEM_MAX];
	struct rta_topk t;
	size_t i, len, peak = 0;
	unsigned cap;

	for (i = 0; i < sizeof(item); i++)
		item[i] = (unsigned char)next();
	for (cap = 1; cap <= 1000; cap *= 10) {
		ck_assert_int_eq(rta_topk_init(&t, cap), RTA_OK);
		for (i = 0; i < 30000; i++) {
			len = below(RTA_TOPK_ITEM_MAX + 1);
			memcpy(item, &i, sizeof(i) < len ? sizeof(i) : len);
			ck_assert_int_eq(rta_topk_add(&t, item, len, 1),
			    RTA_OK);
			if (rta_topk_memory(&t) > peak)
				peak = rta_topk_memory(&t);
		}
		ck_assert_uint_le(peak, (size_t)cap * (RTA_TOPK_ITEM_MAX +
		    RTA_TOPK_OVERHEAD));
		rta_topk_release(&t);
		peak = 0;
		ck_assert_int_eq(rta_topk_init(&t, cap), RTA_OK);
		for (i = 0; i < 30000; i++) {
			char buf[32];

			len = (size_t)sprintf(buf, "u%zu", i % (3 * cap + 1));
			ck_assert_int_eq(rta_topk_add(&t, buf, len, 1), RTA_OK);
		}
		ck_assert_uint_le(rta_topk_memory(&t), (size_t)cap *
		    (8 + RTA_TOPK_OVERHEAD));
		rta_topk_release(&t);
	}
	ck_assert_int_eq(rta_topk_init(&t, RTA_TOPK_CAP_MAX), RTA_OK);
	ck_assert_uint_eq(rta_topk_memory(&t), 0);
	for (i = 0; i < 3; i++)
		ck_assert_int_eq(rta_topk_add(&t, "abc", i + 1, 1), RTA_OK);
	ck_assert_uint_le(rta_topk_memory(&t), 4 * RTA_TOPK_OVERHEAD + 16);
	rta_topk_release(&t);
}
END_TEST

/* ---- malformed input --------------------------------------------------- */

static void
expect_bad(const void *p, size_t len, const char *what)
{
	struct rta_topk t;
	struct rta_error err;

	rta_error_clear(&err);
	REQUIRE_MSG(rta_topk_decode(&t, p, len, &err) == RTA_EDATA,
	    "%s: accepted", what);
	REQUIRE(strcmp(err.reason, "bad-sketch") == 0);
	REQUIRE_MSG(strstr(err.text, "top-k sketch: ") == err.text, "%s",
	    err.text);
	REQUIRE(t.slot == NULL);
	REQUIRE(rta_topk_size(&t) == 0);
	rta_topk_release(&t);
}

/* A few sketches of different shapes, encoded. */
static size_t
samples(struct rta_buf *b, size_t max)
{
	static unsigned char big[RTA_TOPK_ITEM_MAX];
	struct rta_topk t;
	struct stream st;
	size_t n = 0;

	ck_assert_uint_ge(max, 6);
	rta_topk_init(&t, 5);				/* empty */
	encode_to(&t, &b[n++]);
	rta_topk_add(&t, "x", 1, 2);			/* not full */
	rta_topk_add(&t, "", 0, 1);
	rta_topk_add(&t, "yz", 2, 300);
	encode_to(&t, &b[n++]);
	rta_topk_release(&t);
	rta_topk_init(&t, 3);				/* full, errors */
	rta_topk_add(&t, "a", 1, 1);
	rta_topk_add(&t, "b", 1, 1);
	rta_topk_add(&t, "c", 1, 1);
	rta_topk_add(&t, "d", 1, 200);
	rta_topk_add(&t, "e", 1, 1);
	encode_to(&t, &b[n++]);
	rta_topk_release(&t);
	rta_topk_init(&t, 2);				/* a long item */
	memset(big, 'q', sizeof(big));
	rta_topk_add(&t, big, sizeof(big), 1ULL << 40);
	encode_to(&t, &b[n++]);
	rta_topk_release(&t);
	gen(0, 9, &st);					/* zipf, full */
	rta_topk_init(&t, 12);
	add_range(&t, &st, 0, 3000, NULL);
	encode_to(&t, &b[n++]);
	rta_topk_release(&t);
	stream_free(&st);
	gen(8, 9, &st);					/* merged */
	{
		struct rta_topk u;

		rta_topk_init(&t, 8);
		rta_topk_init(&u, 8);
		add_range(&t, &st, 0, 1000, NULL);
		add_range(&u, &st, 1000, 2000, NULL);
		merge_ok(&t, &u);
		rta_topk_release(&u);
	}
	encode_to(&t, &b[n++]);
	rta_topk_release(&t);
	stream_free(&st);
	return n;
}

/* Every proper prefix of an encoding is refused; so is a byte more. */
START_TEST(truncations)
{
	struct rta_buf b[8];
	size_t n, i, l;
	unsigned char *q;

	memset(b, 0, sizeof(b));
	n = samples(b, 8);
	for (i = 0; i < n; i++) {
		for (l = 0; l < b[i].len; l++) {
			q = malloc(l + 1);
			memcpy(q, b[i].data, l);
			expect_bad(q, l, "a prefix");
			free(q);
		}
		ck_assert_int_eq(rta_buf_addc(&b[i], 0), 0);
		expect_bad(b[i].data, b[i].len, "a byte more");
		rta_buf_release(&b[i]);
	}
}
END_TEST

/*
 * A changed byte anywhere: refused, or a sketch whose shape holds and
 * which encodes to exactly the changed bytes.
 */
START_TEST(flipped_bytes)
{
	static const unsigned masks[] = { 0x01, 0x02, 0x10, 0x40, 0x80, 0xff };
	static struct rta_topk_entry e[RTA_TOPK_CAP_MAX];
	struct rta_buf b[8], re = RTA_BUF_INIT;
	struct rta_topk t;
	struct rta_error err;
	size_t n, i, pos, m, accepted = 0, refused = 0;
	unsigned char *q;

	memset(b, 0, sizeof(b));
	n = samples(b, 8);
	for (i = 0; i < n; i++) {
		for (pos = 0; pos < b[i].len; pos++)
			for (m = 0; m < sizeof(masks) / sizeof(masks[0]);
			    m++) {
				q = malloc(b[i].len);
				memcpy(q, b[i].data, b[i].len);
				q[pos] ^= (unsigned char)masks[m];
				if (rta_topk_decode(&t, q, b[i].len, &err) !=
				    RTA_OK) {
					REQUIRE(err.code == RTA_EDATA);
					REQUIRE(strcmp(err.reason,
					    "bad-sketch") == 0);
					rta_topk_release(&t);
					free(q);
					refused++;
					continue;
				}
				accepted++;
				(void)check_shape(&t, e);
				encode_to(&t, &re);
				REQUIRE_MSG(re.len == b[i].len &&
				    memcmp(re.data, q, re.len) == 0,
				    "sample %zu, byte %zu ^ %02x: decodes but "
				    "is not canonical", i, pos, masks[m]);
				rta_topk_release(&t);
				free(q);
			}
		rta_buf_release(&b[i]);
	}
	/* both outcomes occur: item bytes may change freely */
	REQUIRE(accepted > 0);
	REQUIRE(refused > 0);
	rta_buf_release(&re);
}
END_TEST

/* Hand-made bad inputs, one per rule. */
static size_t
vput(unsigned char *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

struct bad_case {
	const char	*what;
	size_t		 len;
	unsigned char	 b[48];
};

START_TEST(malformed)
{
	static const struct bad_case cases[] = {
	    { "empty", 0, { 0 } },
	    { "type", 5, { 'H', 1, 2, 0, 0 } },
	    { "version 0", 5, { 'K', 0, 2, 0, 0 } },
	    { "version 2", 5, { 'K', 2, 2, 0, 0 } },
	    { "capacity 0", 5, { 'K', 1, 0, 0, 0 } },
	    { "capacity 65537", 7, { 'K', 1, 0x81, 0x80, 0x04, 0, 0 } },
	    { "capacity non-minimal", 6, { 'K', 1, 0x82, 0x00, 0, 0 } },
	    { "total non-minimal", 6, { 'K', 1, 2, 0x80, 0x00, 0 } },
	    { "total of 11 bytes", 15, { 'K', 1, 2, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0x81, 0, 0 } },
	    { "total of 65 bits", 14, { 'K', 1, 2, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0 } },
	    { "more counters than capacity", 14, { 'K', 1, 2, 3, 3,
		1, 'a', 1, 0, 1, 'b', 1, 0, 0 } },
	    { "counter count without bytes", 8, { 'K', 1, 0x80, 0x80,
		0x04, 0, 0x84, 0x01 } },
	    { "item too long", 13, { 'K', 1, 2, 1, 1, 0x81, 0x08, 'a',
		1, 0 } },
	    { "item past the end", 9, { 'K', 1, 2, 1, 1, 5, 'a', 1, 0 } },
	    { "count 0", 9, { 'K', 1, 2, 0, 1, 1, 'a', 0, 0 } },
	    { "later count 0", 13, { 'K', 1, 3, 4, 2, 1, 'a', 2, 0,
		1, 'b', 2, 0 } },
	    { "count below 0", 13, { 'K', 1, 3, 4, 2, 1, 'a', 2, 0,
		1, 'b', 3, 0 } },
	    { "equal counts, items out of order", 13, { 'K', 1, 3, 4, 2,
		1, 'b', 2, 0, 1, 'a', 0, 0 } },
	    { "equal counts, item repeated", 13, { 'K', 1, 3, 4, 2,
		1, 'a', 2, 0, 1, 'a', 0, 0 } },
	    { "item repeated, other count", 13, { 'K', 1, 3, 3, 2,
		1, 'a', 2, 0, 1, 'a', 1, 0 } },
	    { "prefix after longer item", 14, { 'K', 1, 3, 2, 2,
		2, 'a', 'a', 1, 0, 1, 'a', 0, 0 } },
	    { "error equal to count", 9, { 'K', 1, 1, 2, 1, 1, 'a', 2, 2 } },
	    { "error above smallest", 13, { 'K', 1, 2, 10, 2,
		1, 'a', 7, 3, 1, 'b', 5, 0 } },
	    { "counts above total", 13, { 'K', 1, 2, 3, 2,
		1, 'a', 2, 0, 1, 'b', 0, 0 } },
	    { "not full, error", 9, { 'K', 1, 2, 2, 1, 1, 'a', 2, 1 } },
	    { "not full, total above counts", 9, { 'K', 1, 2, 3, 1,
		1, 'a', 2, 0 } },
	    { "empty, total", 5, { 'K', 1, 2, 1, 0 } },
	    { "trailing byte", 6, { 'K', 1, 2, 0, 0, 0 } },
	};
	static const unsigned char ok[][13] = {
	    { 'K', 1, 2, 4, 2, 1, 'a', 2, 0, 1, 'b', 0, 0 },
	    { 'K', 1, 2, 9, 2, 1, 'a', 7, 2, 1, 'b', 5, 1 },
	};
	unsigned char big[40];
	struct rta_topk t;
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_bad(cases[i].b, cases[i].len, cases[i].what);
	/* and the nearest good ones are taken */
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(rta_topk_decode(&t, ok[i], sizeof(ok[i]),
		    NULL), RTA_OK);
		rta_topk_release(&t);
	}
	/* two counts of 2^63 under a total of 2^64 - 1: the sum must not
	 * wrap */
	n = 0;
	big[n++] = 'K';
	big[n++] = 1;
	big[n++] = 2;
	n += vput(big + n, UINT64_MAX);
	big[n++] = 2;
	big[n++] = 1;
	big[n++] = 'a';
	n += vput(big + n, 1ULL << 63);
	big[n++] = 0;
	big[n++] = 1;
	big[n++] = 'b';
	big[n++] = 0;
	big[n++] = 0;
	ck_assert_uint_le(n, sizeof(big));
	expect_bad(big, n, "counts summing above 64 bits");
	/* one less for b, and it is taken */
	big[n - 2] = 1;
	ck_assert_int_eq(rta_topk_decode(&t, big, n, NULL), RTA_OK);
	rta_topk_release(&t);
}
END_TEST

/* ---- allocation failures ------------------------------------------------ */

struct snap {
	size_t			 n;
	uint64_t		 total;
	struct rta_topk_entry	 e[32];
	unsigned char		 bytes[32][200];
};

static void
snap_take(const struct rta_topk *t, struct snap *s)
{
	size_t i;

	s->total = rta_topk_total(t);
	s->n = rta_topk_top(t, s->e, 32);
	for (i = 0; i < s->n; i++) {
		memcpy(s->bytes[i], s->e[i].item, s->e[i].len);
		s->e[i].item = NULL;
	}
}

/* t holds what s saw: the same counters, each found by its item. */
static int
snap_same(const struct rta_topk *t, const struct snap *s)
{
	static struct snap now;
	struct rta_topk_entry g;
	size_t i;

	snap_take(t, &now);
	if (now.n != s->n || now.total != s->total)
		return 0;
	for (i = 0; i < s->n; i++)
		if (now.e[i].len != s->e[i].len ||
		    now.e[i].count != s->e[i].count ||
		    now.e[i].error != s->e[i].error ||
		    memcmp(now.bytes[i], s->bytes[i], s->e[i].len) != 0 ||
		    rta_topk_get(t, s->bytes[i], s->e[i].len, &g) != 1 ||
		    g.count != s->e[i].count)
			return 0;
	return 1;
}

static const char *
alloc_why(int code)
{
	switch (code) {
	case 3:
		return "a failed add changed the sketch";
	case 4:
		return "a failed copy or decode left something behind";
	case 5:
		return "a failed merge changed the sketch";
	case 6:
		return "a failed encode changed the buffer";
	default:
		return "wrong answer";
	}
}

static int
alloc_child(unsigned long n)
{
	static struct snap before;
	struct rta_topk t, c, d;
	struct rta_buf b = RTA_BUF_INIT;
	char env[64], item[200];
	size_t i, len, blen;
	int rc;

	snprintf(env, sizeof(env), "alloc:%lu:persistent", n);
	setenv("RTA_FAULT", env, 1);
	rng = 99;
	if (rta_topk_init(&t, 16) != RTA_OK)
		return 2;
	for (i = 0; i < 1500; i++) {
		/* lengths grow, so replaced counters must grow their item */
		len = (size_t)snprintf(item, sizeof(item), "%0*llu",
		    (int)(1 + i / 150 * 15), (unsigned long long)below(40));
		snap_take(&t, &before);
		if ((rc = rta_topk_add(&t, item, len, 1 + i % 3)) != RTA_OK) {
			if (rc != RTA_ENOMEM || !snap_same(&t, &before))
				return 3;
			rta_topk_release(&t);
			return 1;
		}
	}
	if (rta_topk_copy(&c, &t) != RTA_OK) {
		if (c.slot != NULL || rta_topk_size(&c) != 0)
			return 4;
		rta_topk_release(&t);
		return 1;
	}
	rta_topk_add(&c, "other", 5, 1000);
	snap_take(&t, &before);
	if (rta_topk_merge(&t, &c, NULL) != RTA_OK) {
		if (!snap_same(&t, &before))
			return 5;
		rta_topk_release(&t);
		rta_topk_release(&c);
		return 1;
	}
	rta_topk_release(&c);
	if (rta_buf_add(&b, "ab", 2) != 0) {
		rta_topk_release(&t);
		return 1;
	}
	blen = b.len;
	if (rta_topk_encode(&t, &b) != 0) {
		if (b.len != blen || memcmp(b.data, "ab", 2) != 0)
			return 6;
		rta_topk_release(&t);
		rta_buf_release(&b);
		return 1;
	}
	if ((rc = rta_topk_decode(&d, b.data + 2, b.len - 2, NULL)) !=
	    RTA_OK) {
		if (rc != RTA_ENOMEM || d.slot != NULL)
			return 4;
		rta_topk_release(&t);
		rta_buf_release(&b);
		return 1;
	}
	snap_take(&t, &before);
	rc = snap_same(&d, &before) ? 0 : 7;
	rta_topk_release(&d);
	rta_topk_release(&t);
	rta_buf_release(&b);
	return rc;
}

START_TEST(alloc_failures)
{
	/* every add, copy, merge, encode and decode path meets a fault */
	ck_assert_uint_ge(unit_alloc_failures(alloc_child, alloc_why), 100);
}
END_TEST

static Suite *
topk_suite(void)
{
	Suite *s = suite_create("rta_topk");
	TCase *tc = tcase_create("sketch");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, arguments);
	tcase_add_test(tc, top_order);
	tcase_add_test(tc, replacement_rule);
	tcase_add_loop_test(tc, accuracy, 0, NKINDS);
	tcase_add_test(tc, heavy_found);
	tcase_add_test(tc, state_decides);
	tcase_add_test(tc, exact_any_order);
	tcase_add_test(tc, memory_bound);
	suite_add_tcase(s, tc);
	tc = tcase_create("merge");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, merge_groupings, 0, NKINDS);
	tcase_add_test(tc, merge_special);
	tcase_add_test(tc, merge_refused);
	suite_add_tcase(s, tc);
	tc = tcase_create("format");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, encoding_by_hand);
	tcase_add_test(tc, truncations);
	tcase_add_test(tc, flipped_bytes);
	tcase_add_test(tc, malformed);
	tcase_add_test(tc, alloc_failures);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(topk_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
