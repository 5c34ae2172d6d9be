/*
 * fuzz_keyset.c: rta-dedup's checkpoint reader on hostile files.
 *
 * A checkpoint (rta_keyset_save) comes back from disk after a crash, a
 * full disk or someone else's hands, so rta_keyset_peek and
 * rta_keyset_load must stay inside the file, allocate no more than its
 * size allows and refuse what is not whole.  The input is written as
 * the checkpoint in a private directory and read the way rta-dedup
 * reads its --state: peek for the seeds, the mode and the meta bytes,
 * set up a set with those seeds, load.  What either call answers is
 * checked against the format of rta_keyset.h, read here on its own:
 * the header, the meta bytes and the checksum decide peek; for an exact
 * set every key of the file must then be held when its first live
 * occurrence is not before the horizon, for an approximate one the
 * filter must be the file's.  The set must then answer, save a
 * checkpoint that loads to the same keys (an approximate one to the
 * same filter), take and forget keys as rta-dedup does and stay within a
 * memory bound that follows from the file's size.
 *
 * Exact sets are loaded three times: with no budget and no horizon;
 * under a horizon taken from the first key, with a budget so small that
 * the keys move to the one table in a file, after which the horizon
 * moves on to the last key; and with a budget whose share a partition
 * outgrows, so that the keys move to the one table in memory (given a
 * file of many keys in one partition).  Approximate sets are loaded
 * without a TTL and with one, whose generations then turn.  Load is also
 * called on files peek refused, as another caller might, and each input
 * is tried a second time with its checksum made right, so that mutations
 * reach the parsers behind it.  Input starting "RTA-CANARY" is the
 * planted heap over-read every target carries.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_buf.h"
#include "rta_crc32c.h"
#include "rta_err.h"
#include "rta_keyset.h"

#include "canary.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEAD		40		/* magic, version, mode, seeds, mlen */
#define BLOCK		64		/* a Bloom block */
#define TTL		(3600LL * 1000000)	/* one hour, in microseconds */
#define NOW		1767225600000000LL	/* 2026-01-01, microseconds */
#define NEW_KEYS	8
/* Memory a set may hold beyond what the file's keys need: a page for
 * each partition, the scratch room of one, the first tables. */
#define SLACK		(2U << 20)

/* What the bytes of a checkpoint say, by the format in rta_keyset.h. */
struct ref {
	int		 head;		/* header, seeds and meta readable */
	int		 peek;		/* and whole, with the right checksum */
	int		 crc;		/* the checksum is right */
	int		 mode;		/* 0 exact, 1 approximate */
	uint64_t	 seed[2];
	const unsigned char *meta;
	size_t		 mlen;
	size_t		 left;		/* bytes after the meta */
	/* exact */
	int		 keys;		/* the n keys are there to read */
	uint64_t	 n;
	const unsigned char *ent;
	/* approximate */
	int		 filt;		/* a filter the loader accepts */
	uint64_t	 nb, kw, gs, added;
	unsigned	 gens;
	int		 whole;		/* nothing before the checksum left */
};

/* One distinct key of the file, as a set must hold it. */
struct grp {
	uint64_t	 lo, hi;
	int64_t		 ts;		/* of its first live occurrence */
	uint64_t	 pos;
	size_t		 first;		/* index of its first occurrence */
};

static const char *const names[] = {
	"checkpoint", "checkpoint.tmp", "again", "again.tmp", "keys.table"
};

#define FUZZ_NAME	"fuzz_keyset"
#include "statedir.h"


/* ---- the format --------------------------------------------------------- */

static void
parse(struct ref *r, const uint8_t *p, size_t size)
{
	uint64_t mlen, max;

	memset(r, 0, sizeof(*r));
	r->crc = size >= 4 && rta_crc32c(0, p, size - 4) ==
	    rta_get_u32(p + size - 4);
	if (size < HEAD || memcmp(p, "RTADEDUP", 8) != 0 ||
	    rta_get_u32(p + 8) != 2 || rta_get_u32(p + 12) > 1)
		return;
	r->mode = (int)rta_get_u32(p + 12);
	r->seed[0] = rta_get_u64(p + 16);
	r->seed[1] = rta_get_u64(p + 24);
	mlen = rta_get_u64(p + 32);
	if (mlen > size - HEAD)
		return;
	r->head = 1;
	r->meta = p + HEAD;
	r->mlen = (size_t)mlen;
	r->left = size - HEAD - r->mlen;
	r->peek = r->left >= 4 && r->crc;
	p += HEAD + r->mlen;
	if (r->mode == 0) {
		if (r->left < 8)
			return;
		r->n = rta_get_u64(p);
		if (r->n > (r->left - 8) / RTA_KEYSET_ENTRY_SIZE)
			return;
		r->keys = 1;
		r->ent = p + 8;
		r->whole = r->left - 8 - r->n * RTA_KEYSET_ENTRY_SIZE == 4;
		return;
	}
	if (r->left < 32)
		return;
	r->nb = rta_get_u64(p);
	r->kw = rta_get_u64(p + 8);
	r->gs = rta_get_u64(p + 16);
	r->added = rta_get_u64(p + 24);
	r->gens = (r->kw >> 32 & 1) ? 2 : 1;
	max = (r->left - 32) / BLOCK / r->gens;
	if (r->nb == 0 || r->nb > max || (r->kw & 0xffffffff) < 1 ||
	    (r->kw & 0xffffffff) > 16)
		return;
	/* a generation start is none, or a time within +-2^62 (so that
	 * differences with other times cannot overflow) */
	if ((int64_t)r->gs != INT64_MIN && ((int64_t)r->gs < -(1LL << 62) ||
	    (int64_t)r->gs > (1LL << 62)))
		return;
	r->filt = 1;
	r->whole = r->left - 32 - r->nb * BLOCK * r->gens == 4;
}

/* What rta_keyset_load must answer for the file. */
static int
expect_load(const struct ref *r)
{
	if (!r->head)
		return RTA_EDATA;
	if (r->seed[0] == 0 && r->seed[1] == 0)
		return RTA_EINVAL;	/* the set chose other seeds */
	if (r->mode == 0)
		return r->keys && r->whole && r->crc ? RTA_OK : RTA_EDATA;
	return r->filt && r->whole && r->crc ? RTA_OK : RTA_EDATA;
}

static int
grp_cmp(const void *a, const void *b)
{
	const struct grp *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return 0;
}

/*
 * The distinct keys of the file, sorted, each with the entry a set
 * loaded under horizon h holds: its first occurrence, or the first
 * after that one had expired (an expired entry is taken over).
 */
static struct grp *
groups(const struct ref *r, int64_t h, size_t *ng)
{
	struct grp *g;
	size_t i, j, n = 0;

	*ng = 0;
	if ((g = malloc((size_t)(r->n > 0 ? r->n : 1) * sizeof(*g))) == NULL)
		abort();
	for (i = 0; i < r->n; i++) {
		const unsigned char *e = r->ent + i * RTA_KEYSET_ENTRY_SIZE;

		g[n].lo = rta_get_u64(e);
		g[n].hi = rta_get_u64(e + 8);
		if (g[n].lo == 0 && g[n].hi == 0)
			continue;	/* never a key: skipped */
		g[n].ts = (int64_t)rta_get_u64(e + 16);
		g[n].pos = rta_get_u64(e + 24);
		g[n].first = i;
		n++;
	}
	qsort(g, n, sizeof(*g), grp_cmp);
	for (i = j = 0; i < n; i++) {
		if (j > 0 && g[j - 1].lo == g[i].lo && g[j - 1].hi == g[i].hi) {
			if (g[j - 1].ts < h) {
				g[j - 1].ts = g[i].ts;
				g[j - 1].pos = g[i].pos;
			}
			continue;
		}
		g[j++] = g[i];
	}
	*ng = j;
	return g;
}

static const struct grp *
grp_find(const struct grp *g, size_t ng, const struct rta_fp *fp)
{
	size_t lo = 0, hi = ng;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (g[mid].lo == fp->lo && g[mid].hi == fp->hi)
			return &g[mid];
		if (g[mid].lo < fp->lo || (g[mid].lo == fp->lo &&
		    g[mid].hi < fp->hi))
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- exact sets --------------------------------------------------------- */

struct cfg {
	uint64_t	 max_mem;
	int		 horizon;	/* from the first key, then the last */
};

static const struct cfg exact_cfg[] = {
	{ 0, 0 },
	{ 8 << 10, 1 },		/* spills soon: the one table in a file */
	{ 1 << 20, 0 },		/* a partition outgrows its range: the one
				 * table in memory */
};

static int
set_init(struct rta_keyset *ks, const struct ref *r, int approx,
    const struct cfg *c, int64_t ttl)
{
	struct rta_keyset_opts o;
	struct rta_error err;

	memset(&o, 0, sizeof(o));
	o.max_mem = c != NULL ? c->max_mem : 0;
	o.dir = dir;
	o.seed[0] = r->seed[0];
	o.seed[1] = r->seed[1];
	if (approx) {
		o.approx = 0.01;
		o.expect = 1000;
		o.ttl = ttl;
	}
	return rta_keyset_init(ks, &o, &err);
}

/* Every key is held exactly when its entry is not before h; the count
 * is of slots, so it may include expired keys not yet swept. */
static void
check_keys(struct rta_keyset *ks, const struct grp *g, size_t ng, int64_t h,
    const uint8_t *data, size_t size)
{
	uint64_t count = rta_keyset_count(ks), live = 0;
	size_t i;

	for (i = 0; i < ng; i++) {
		struct rta_fp fp = { g[i].lo, g[i].hi };
		int want = g[i].ts >= h;

		rta_keyset_prefetch(ks, &fp);
		if (rta_keyset_has(ks, &fp) != want)
			fail(want ? "a key of the checkpoint is not held" :
			    "a key past the horizon is held", data, size);
		live += (uint64_t)want;
	}
	if (count < live || count > ng)
		fail("the count is not that of the keys", data, size);
	if (h == INT64_MIN && count != ng)
		fail("the count is not that of the keys", data, size);
	if (rta_keyset_memory(ks) > SLACK + 16 * (uint64_t)size)
		fail("more memory than the file's keys need", data, size);
}

/* Save, peek and load again: the live keys, the seeds and the meta. */
static void
round_trip(struct rta_keyset *ks, const struct ref *r, const struct cfg *c,
    const struct grp *g, size_t ng, const uint8_t *data, size_t size)
{
	struct rta_keyset ks2;
	struct rta_buf meta = RTA_BUF_INIT;
	struct rta_error err;
	uint64_t seed[2], live = 0;
	size_t i;
	int approx = -1;

	if (rta_keyset_save(ks, dir, "again", r->meta, r->mlen, &err) !=
	    RTA_OK)
		fail("save failed", data, size);
	if (rta_keyset_peek(dir, "again", seed, &approx, &meta, &err) !=
	    RTA_OK || seed[0] != r->seed[0] || seed[1] != r->seed[1] ||
	    approx != 0 || meta.len != r->mlen || (r->mlen > 0 &&
	    memcmp(meta.data, r->meta, r->mlen) != 0))
		fail("a saved checkpoint peeks otherwise", data, size);
	rta_buf_release(&meta);
	if (set_init(&ks2, r, 0, c, 0) != RTA_OK)
		fail("init failed", data, size);
	rta_keyset_set_horizon(&ks2, ks->horizon);
	if (rta_keyset_load(&ks2, dir, "again", &err) != RTA_OK)
		fail("a saved checkpoint does not load", data, size);
	for (i = 0; i < ng; i++)
		live += g[i].ts >= ks->horizon;
	check_keys(&ks2, g, ng, ks->horizon, data, size);
	if (rta_keyset_count(&ks2) != live)
		fail("a saved checkpoint holds other keys", data, size);
	rta_keyset_release(&ks2);
}

/* Keys of the file again, and new ones. */
static void
add_keys(struct rta_keyset *ks, const struct grp *g, size_t ng,
    const uint8_t *data, size_t size)
{
	struct rta_keyset_entry first;
	struct rta_error err;
	int64_t ts = ks->horizon != INT64_MIN ? ks->horizon : NOW;
	uint64_t count;
	size_t i;
	int r;

	for (i = 0; i < ng; i++) {
		struct rta_fp fp = { g[i].lo, g[i].hi };
		int live = g[i].ts >= ks->horizon;

		r = rta_keyset_add(ks, &fp, ts, 7, &first, &err);
		if (r != !!live)
			fail(live ? "a held key is added again" :
			    "an expired key is not taken as new", data, size);
		if (live && (first.lo != g[i].lo || first.hi != g[i].hi ||
		    first.ts != g[i].ts ||
		    first.pos != (g[i].pos & RTA_KEYSET_POS_MAX)))
			fail("a held key has another first occurrence", data,
			    size);
		if (rta_keyset_has(ks, &fp) != 1)
			fail("an added key is not held", data, size);
	}
	for (i = 0; i < NEW_KEYS; i++) {
		struct rta_fp fp;
		char key[32];
		int len = snprintf(key, sizeof(key), "fuzz-keyset-%zu", i);

		/* half of them carry a time, as UUIDv7 keys do */
		rta_keyset_fingerprint_at(ks, key, (size_t)len, i % 2 == 0 ?
		    NOW / 1000 + (int64_t)i : -1, &fp);
		count = rta_keyset_count(ks);
		r = rta_keyset_add(ks, &fp, ts, i, &first, &err);
		if (r < 0 || r != (grp_find(g, ng, &fp) != NULL))
			fail("a new key is not taken as new", data, size);
		if (rta_keyset_has(ks, &fp) != 1)
			fail("an added key is not held", data, size);
		if (r == 0 && ks->horizon == INT64_MIN &&
		    rta_keyset_count(ks) != count + 1)
			fail("a new key is not counted", data, size);
		/* rta-dedup forgets a key whose event the output refused */
		if (i % 2 == 1 && (rta_keyset_forget(ks, &fp) != 1 ||
		    rta_keyset_has(ks, &fp) != 0 ||
		    rta_keyset_forget(ks, &fp) != 0 ||
		    rta_keyset_add(ks, &fp, ts, i, &first, &err) != 0 ||
		    rta_keyset_has(ks, &fp) != 1))
			fail("a forgotten key is held, or not new again", data,
			    size);
	}
	/* and keys of the file: the live ones are held until then */
	for (i = 0; i < ng && i < NEW_KEYS; i++) {
		struct rta_fp fp = { g[i].lo, g[i].hi };

		if (rta_keyset_forget(ks, &fp) != 1 ||
		    rta_keyset_has(ks, &fp) != 0)
			fail("a key of the file is not forgotten", data, size);
	}
}

static void
exact(const struct ref *r, const struct cfg *c, const uint8_t *data,
    size_t size)
{
	struct rta_keyset ks;
	struct rta_error err;
	struct grp *g = NULL;
	size_t ng = 0;
	int64_t h = INT64_MIN, last;
	int rc, want = expect_load(r);

	if (set_init(&ks, r, 0, c, 0) != RTA_OK)
		fail("init failed", data, size);
	/* rta-dedup moves the horizon before it loads */
	if (c->horizon && r->keys && r->n > 0)
		h = (int64_t)rta_get_u64(r->ent + 16);
	rta_keyset_set_horizon(&ks, h);
	rc = rta_keyset_load(&ks, dir, "checkpoint", &err);
	if (rc != want)
		fail(want == RTA_OK ? "a whole checkpoint does not load" :
		    "a damaged checkpoint loads, or fails otherwise", data,
		    size);
	if (rc != RTA_OK && (rc != err.code || err.reason == NULL))
		fail("a failure that err does not give", data, size);
	if (want == RTA_EINVAL || !r->keys) {
		if (rta_keyset_count(&ks) != 0)
			fail("a refused checkpoint left keys", data, size);
		goto out;
	}
	g = groups(r, h, &ng);
	if (rc != RTA_OK) {
		/* part of the keys, perhaps: none but the file's */
		if (rta_keyset_count(&ks) > ng)
			fail("a refused checkpoint left other keys", data,
			    size);
		goto out;
	}
	check_keys(&ks, g, ng, h, data, size);
	if (c->horizon && r->n > 0) {
		last = (int64_t)rta_get_u64(r->ent + (r->n - 1) *
		    RTA_KEYSET_ENTRY_SIZE + 16);
		if (last > h) {
			rta_keyset_set_horizon(&ks, last);
			check_keys(&ks, g, ng, last, data, size);
		}
	}
	round_trip(&ks, r, c, g, ng, data, size);
	add_keys(&ks, g, ng, data, size);
out:
	free(g);
	rta_keyset_release(&ks);
}

/* ---- approximate sets --------------------------------------------------- */

/*
 * What a checkpoint of the loaded filter must be: the input itself, but
 * with only the bits of the k word that mean something and, when a set
 * with a TTL loaded a filter of one generation, a second, empty one.
 */
static void
approx_resave(struct rta_keyset *ks, const struct ref *r, unsigned gens,
    const uint8_t *data, size_t size)
{
	struct rta_error err;
	struct rta_buf want = RTA_BUF_INIT;
	unsigned char *got, kw[8];
	size_t at = HEAD + r->mlen + 8, len;
	size_t filt = (size_t)r->nb * BLOCK * r->gens;

	if (rta_keyset_save(ks, dir, "again", r->meta, r->mlen, &err) !=
	    RTA_OK)
		fail("save failed", data, size);
	rta_put_u64(kw, (r->kw & 0xffffffff) | (gens == 2 ? 1ULL << 32 : 0));
	/* the header up to the k word, the k word, the rest */
	if (rta_buf_add(&want, data, at) != 0 ||
	    rta_buf_add(&want, kw, 8) != 0 ||
	    rta_buf_add(&want, data + at + 8, 16 + filt) != 0 ||
	    rta_buf_reserve(&want, filt + 4) != 0)
		abort();
	if (gens > r->gens) {
		memset(want.data + want.len, 0, filt);
		want.len += filt;
	}
	rta_put_u32(want.data + want.len, rta_crc32c(0, want.data,
	    want.len));
	want.len += 4;
	if ((got = get_file("again", &len)) == NULL || len != want.len ||
	    memcmp(got, want.data, len) != 0)
		fail("a loaded filter saves to other bytes", data, size);
	free(got);
	rta_buf_release(&want);
}

static void
approx(const struct ref *r, int64_t ttl, const uint8_t *data, size_t size)
{
	struct rta_keyset ks;
	struct rta_error err;
	struct rta_fp fp[NEW_KEYS];
	uint64_t count, before;
	unsigned gens;
	int64_t gs;
	double rate;
	size_t i;
	int rc, want = expect_load(r);

	if (set_init(&ks, r, 1, NULL, ttl) != RTA_OK)
		fail("init failed", data, size);
	if (ttl > 0)
		rta_keyset_set_horizon(&ks, NOW - ttl);
	before = rta_keyset_memory(&ks);
	rc = rta_keyset_load(&ks, dir, "checkpoint", &err);
	if (rc != want)
		fail(want == RTA_OK ? "a whole checkpoint does not load" :
		    "a damaged checkpoint loads, or fails otherwise", data,
		    size);
	if (rc != RTA_OK) {
		if (rc != err.code || err.reason == NULL)
			fail("a failure that err does not give", data, size);
		if (rta_keyset_memory(&ks) > before &&
		    rta_keyset_memory(&ks) > size)
			fail("a refused filter takes more memory than the "
			    "file", data, size);
		goto out;
	}
	/* a set with a TTL keeps two generations, the second maybe empty */
	gens = r->gens == 2 || ttl > 0 ? 2 : 1;
	if (rta_keyset_count(&ks) != r->added ||
	    rta_keyset_memory(&ks) != r->nb * BLOCK * gens ||
	    ks.k != (r->kw & 0xffffffff))
		fail("the loaded filter is not the file's", data, size);
	rate = rta_keyset_fp_rate(&ks);
	if (!(rate >= 0 && rate <= 1))
		fail("a false-positive rate that is none", data, size);
	approx_resave(&ks, r, gens, data, size);
	/* later events move the horizon on from the file's generation */
	if (ttl > 0)
		rta_keyset_set_horizon(&ks, NOW);
	for (i = 0; i < NEW_KEYS; i++) {
		char key[32];
		int len = snprintf(key, sizeof(key), "fuzz-keyset-%zu", i);

		rta_keyset_fingerprint(&ks, key, (size_t)len, &fp[i]);
		count = rta_keyset_count(&ks);
		rc = rta_keyset_add(&ks, &fp[i], NOW, i, NULL, &err);
		if (rc < 0 || rta_keyset_has(&ks, &fp[i]) != 1)
			fail("an added key is not held", data, size);
		if (rc == 0 && rta_keyset_count(&ks) != count + 1)
			fail("a new key is not counted", data, size);
	}
	gs = ks.gen_start;
	if (ttl <= 0 || gs == INT64_MIN || gs > INT64_MAX - 3 * ttl)
		goto out;
	/* one generation on, the keys are still there; two, gone */
	rta_keyset_set_horizon(&ks, gs + ttl);
	for (i = 0; i < NEW_KEYS; i++)
		if (rta_keyset_has(&ks, &fp[i]) != 1)
			fail("a key is lost one generation on", data, size);
	rta_keyset_set_horizon(&ks, gs + 3 * ttl);
	if (ks.bloom[1] != NULL && rta_keyset_count(&ks) != 0)
		fail("keys are left two generations on", data, size);
	rate = rta_keyset_fp_rate(&ks);
	if (!(rate >= 0 && rate <= 1))
		fail("a false-positive rate that is none", data, size);
out:
	rta_keyset_release(&ks);
}

/* ---- one file ----------------------------------------------------------- */

static void
one(const uint8_t *data, size_t size)
{
	struct ref r;
	struct rta_buf meta = RTA_BUF_INIT;
	struct rta_error err;
	struct rta_keyset ks;
	uint64_t seed[2] = { 0, 0 };
	size_t i;
	int rc, mode = -1;

	parse(&r, data, size);
	put_file("checkpoint", data, size);
	rc = rta_keyset_peek(dir, "checkpoint", seed, &mode, &meta, &err);
	if (rc != (r.peek ? RTA_OK : RTA_EDATA))
		fail(r.peek ? "a whole checkpoint does not peek" :
		    "a damaged checkpoint peeks, or fails otherwise", data,
		    size);
	if (rc == RTA_OK && (seed[0] != r.seed[0] || seed[1] != r.seed[1] ||
	    mode != r.mode || meta.len != r.mlen || (r.mlen > 0 &&
	    memcmp(meta.data, r.meta, r.mlen) != 0)))
		fail("peek gives what the file does not hold", data, size);
	if (rc != RTA_OK && (err.code != RTA_EDATA || err.reason == NULL ||
	    strcmp(err.reason, "bad-state") != 0))
		fail("a refusal that is not RTA_EDATA bad-state", data, size);
	rta_buf_release(&meta);
	if (!r.head)
		return;
	if (r.mode == 0)
		for (i = 0; i < sizeof(exact_cfg) / sizeof(exact_cfg[0]); i++)
			exact(&r, &exact_cfg[i], data, size);
	else {
		approx(&r, 0, data, size);
		approx(&r, TTL, data, size);
	}
	/* a set of the other mode is refused */
	if (set_init(&ks, &r, !r.mode, NULL, 0) != RTA_OK)
		fail("init failed", data, size);
	if (rta_keyset_load(&ks, dir, "checkpoint", &err) != RTA_EINVAL)
		fail("a checkpoint loads into a set of the other mode", data,
		    size);
	rta_keyset_release(&ks);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *fixed;

	if (canary(data, size))
		return 0;
	if (setup() != 0)
		return 0;
	one(data, size);
	/* the same with the checksum made right */
	if (size < 4 || rta_crc32c(0, data, size - 4) ==
	    rta_get_u32(data + size - 4))
		return 0;
	if ((fixed = malloc(size)) == NULL)
		return 0;
	memcpy(fixed, data, size);
	rta_put_u32(fixed + size - 4, rta_crc32c(0, fixed, size - 4));
	one(fixed, size);
	free(fixed);
	return 0;
}
