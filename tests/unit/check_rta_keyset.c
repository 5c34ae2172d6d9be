/*
 * check_rta_keyset.c: the key set of rta-dedup.  Inserts and lookups
 * through growth, lean entries and forgetting, the horizon, the spill
 * to a mapped file under a small budget (answers must not change),
 * checkpoint round trips, the journal and its torn tail, the approximate
 * filter, and allocation failures.  The tests of the exact set run three
 * times: with keys that carry no time (partitions), with times in order
 * (a new slab every so often) and with times out of order (keys for old
 * slabs, which grow).
 */
#include <check.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_keyset.h"
#include "unit.h"

/* Keys' times: none, in order (three keys a millisecond), or out of
 * order (over 50 seconds); a loop test's index sets it. */
static int key_times;

#define T0	1767225600000LL		/* 2026-01-01, in milliseconds */

static struct rta_fp
fp_of(struct rta_keyset *ks, uint64_t n)
{
	char key[32];
	struct rta_fp fp;
	int64_t at = -1;

	snprintf(key, sizeof(key), "key-%llu", (unsigned long long)n);
	if (key_times == 1)
		at = T0 + (int64_t)(n / 3);
	else if (key_times == 2)
		at = T0 + (int64_t)(n * 7919 % 100003) / 2;
	rta_keyset_fingerprint_at(ks, key, strlen(key), at, &fp);
	return fp;
}

static void
opts_exact(struct rta_keyset_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->seed[0] = 11;
	o->seed[1] = 22;
}

/*
 * A lean set (no times, no positions): 16-byte entries, answers as a
 * full one, no horizon; forgetting moves later keys of a run back, so
 * every other key is still found after half are forgotten.
 */
START_TEST(lean)
{
	struct rta_keyset ks;
	struct rta_keyset_opts o;
	struct rta_keyset_entry first;
	struct rta_fp fp;
	uint64_t i, n = 200000;

	key_times = _i;
	opts_exact(&o);
	o.lean = RTA_KEYSET_NO_TIME | RTA_KEYSET_NO_POS;
	ck_assert_int_eq(rta_keyset_init(&ks, &o, NULL), RTA_OK);
	for (i = 0; i < n; i++) {
		fp = fp_of(&ks, i);
		rta_keyset_prefetch(&ks, &fp);
		ck_assert_int_eq(rta_keyset_add(&ks, &fp, (int64_t)i, i,
		    NULL, NULL), 0);
	}
	ck_assert_uint_eq(rta_keyset_count(&ks), n);
	/* well below the 32-byte entries and control bytes of one table */
	ck_assert_uint_lt(rta_keyset_memory(&ks), n * 48);
	fp = fp_of(&ks, 3);
	ck_assert_int_eq(rta_keyset_add(&ks, &fp, 5, 5, &first, NULL), 1);
	ck_assert_int_eq(first.ts, 0);
	ck_assert_uint_eq(first.pos, RTA_KEYSET_POS_MAX);
	rta_keyset_set_horizon(&ks, INT64_MAX);
	ck_assert_int_eq(rta_keyset_has(&ks, &fp), 1);
	for (i = 0; i < n; i += 2) {
		fp = fp_of(&ks, i);
		ck_assert_int_eq(rta_keyset_forget(&ks, &fp), 1);
	}
	ck_assert_uint_eq(rta_keyset_count(&ks), n / 2);
	for (i = 0; i < n; i++) {
		fp = fp_of(&ks, i);
		ck_assert_int_eq(rta_keyset_has(&ks, &fp), (int)(i & 1));
	}
	rta_keyset_release(&ks);
}
END_TEST

START_TEST(insert_lookup_growth)
{
	struct rta_keyset ks;
	struct rta_keyset_opts o;
	struct rta_keyset_entry first;
	struct rta_fp fp;
	uint64_t i, n = 100000;

	key_times = _i;
	opts_exact(&o);
	ck_assert_int_eq(rta_keyset_init(&ks, &o, NULL), RTA_OK);
	for (i = 0; i < n; i++) {
		fp = fp_of(&ks, i);
		ck_assert_int_eq(rta_keyset_add(&ks, &fp, (int64_t)i, i + 7,
		    NULL, NULL), 0);
	}
	ck_assert_uint_eq(rta_keyset_count(&ks), n);
	for (i = 0; i < n; i++) {
		fp = fp_of(&ks, i);
		ck_assert_int_eq(rta_keyset_add(&ks, &fp, 999, 1, &first,
		    NULL), 1);
		/* the first occurrence is kept, not the later one */
		ck_assert_int_eq(first.ts, (int64_t)i);
		ck_assert_uint_eq(first.pos, i + 7);
	}
	fp = fp_of(&ks, n + 1);
	ck_assert_int_eq(rta_keyset_has(&ks, &fp), 0);
	ck_assert_int_eq(rta_keyset_forget(&ks, &fp), 0);
	fp = fp_of(&ks, 5);
	ck_assert_int_eq(rta_keyset_forget(&ks, &fp), 1);
	ck_assert_int_eq(rta_keyset_has(&ks, &fp), 0);
	ck_assert_int_eq(rta_keyset_add(&ks, &fp, 1, 1, NULL, NULL), 0);
	rta_keyset_release(&ks);
	ck_assert_ptr_null(ks.t.e);
	ck_assert_uint_eq(rta_keyset_count(&ks), 0);
}
END_TEST

/* The seeds decide the fingerprint; the same seeds give the same one. */
START_TEST(fingerprints)
{
	struct rta_keyset a, b;
	struct rta_keyset_opts o;
	struct rta_fp x, y;

	opts_exact(&o);
	ck_assert_int_eq(rta_keyset_init(&a, &o, NULL), RTA_OK);
	ck_assert_int_eq(rta_keyset_init(&b, &o, NULL), RTA_OK);
	rta_keyset_fingerprint(&a, "abc", 3, &x);
	rta_keyset_fingerprint(&b, "abc", 3, &y);
	ck_assert(x.lo == y.lo && x.hi == y.hi);
	ck_assert(x.lo != x.hi);
	rta_keyset_release(&b);
	o.seed[1] = 23;
	ck_assert_int_eq(rta_keyset_init(&b, &o, NULL), RTA_OK);
	rta_keyset_fingerprint(&b, "abc", 3, &y);
	ck_assert(x.lo == y.lo && x.hi != y.hi);
	rta_keyset_release(&a);
	rta_keyset_release(&b);
}
END_TEST

/* Keys first seen before the horizon are gone, whenever it moves. */
START_TEST(horizon)
{
	struct rta_keyset ks;
	struct rta_keyset_opts o;
	struct rta_fp fp;
	uint64_t i;

	key_times = _i;
	opts_exact(&o);
	ck_assert_int_eq(rta_keyset_init(&ks, &o, NULL), RTA_OK);
	for (i = 0; i < 5000; i++) {
		fp = fp_of(&ks, i);
		ck_assert_int_eq(rta_keyset_add(&ks, &fp, (int64_t)i * 10, 0,
		    NULL, NULL), 0);
	}
	rta_keyset_set_horizon(&ks, 25000);
	rta_keyset_set_horizon(&ks, 100);	/* never back */
	for (i = 0; i < 5000; i++) {
		fp = fp_of(&ks, i);
		ck_assert_int_eq(rta_keyset_has(&ks, &fp), i >= 2500);
	}
	/* an expired key is new again, with its new time */
	fp = fp_of(&ks, 10);
	ck_assert_int_eq(rta_keyset_add(&ks, &fp, 30000, 0, NULL, NULL), 0);
	ck_assert_int_eq(rta_keyset_has(&ks, &fp), 1);
	/* rebuilds sweep the expired ones and keep the rest */
	for (i = 5000; i < 40000; i++) {
		fp = fp_of(&ks, i);
		ck_assert_int_eq(rta_keyset_add(&ks, &fp, (int64_t)i * 10, 0,
		    NULL, NULL), 0);
	}
	for (i = 0; i < 40000; i++) {
		fp = fp_of(&ks, i);
		ck_assert_int_eq(rta_keyset_has(&ks, &fp),
		    i >= 2500 || i == 10);
	}
	rta_keyset_release(&ks);
}
END_TEST

/* A budget far below the keys' size: the answers stay exact. */
START_TEST(spill)
{
	struct rta_keyset ks;
	struct rta_keyset_opts o;
	struct rta_keyset_entry first;
	struct rta_fp fp;
	uint64_t i, n = 300000;

	key_times = _i;
	opts_exact(&o);
	o.max_mem = 1U << 20;
	o.dir = unit_path(".");
	ck_assert_int_eq(rta_keyset_init(&ks, &o, NULL), RTA_OK);
	for (i = 0; i < n; i++) {
		fp = fp_of(&ks, i);
		ck_assert_int_eq(rta_keyset_add(&ks, &fp, (int64_t)i, i, NULL,
		    NULL), 0);
	}
	/* the keys since the last run are in memory */
	ck_assert_uint_eq(rta_keyset_count(&ks), n);
	ck_assert_uint_gt(rta_keyset_spilled(&ks), n / 2);
	ck_assert_uint_lt(rta_keyset_spilled(&ks), n);
	ck_assert_uint_le(rta_keyset_memory(&ks), o.max_mem);
	ck_assert_uint_gt(ks.nrun, 0);
	ck_assert_int_eq(access(unit_path("keys.table"), F_OK), 0);
	for (i = 0; i < n + 1000; i++) {
		fp = fp_of(&ks, i);
		ck_assert_int_eq(rta_keyset_add(&ks, &fp, 0, 0, &first, NULL),
		    i < n);
		if (i < n)
			ck_assert_uint_eq(first.pos, i);
	}
	rta_keyset_release(&ks);
	ck_assert_int_ne(access(unit_path("keys.table"), F_OK), 0);
}
END_TEST

/*
 * Spilled runs under a horizon, forgetting and a checkpoint: expired
 * keys are absent (and may be added again), a forgotten spilled key is
 * absent until added again, and the checkpoint holds exactly the live
 * keys, from the runs and from memory.
 */
START_TEST(spill_horizon_state)
{
	struct rta_keyset ks, back;
	struct rta_keyset_opts o;
	struct rta_keyset_entry first;
	struct rta_buf meta = RTA_BUF_INIT;
	struct rta_error err;
	struct rta_fp fp;
	uint64_t i, n = 200000, seed[2];
	int approx;

	key_times = _i;
	opts_exact(&o);
	o.max_mem = 1U << 20;
	ck_assert_int_eq(rta_keyset_init(&ks, &o, NULL), RTA_OK);
	for (i = 0; i < n; i++) {
		fp = fp_of(&ks, i);
		ck_assert_int_eq(rta_keyset_add(&ks, &fp, (int64_t)i, i, NULL,
		    NULL), 0);
	}
	ck_assert_uint_gt(ks.nrun, 1);
	rta_keyset_set_horizon(&ks, (int64_t)n / 2);
	fp = fp_of(&ks, 10);
	ck_assert_int_eq(rta_keyset_has(&ks, &fp), 0);
	ck_assert_int_eq(rta_keyset_add(&ks, &fp, (int64_t)n, 77, NULL,
	    NULL), 0);
	ck_assert_int_eq(rta_keyset_add(&ks, &fp, (int64_t)n, 78, &first,
	    NULL), 1);
	ck_assert_uint_eq(first.pos, 77);
	/* a spilled key forgotten, then added again */
	fp = fp_of(&ks, n / 2 + 5);
	ck_assert_int_eq(rta_keyset_forget(&ks, &fp), 1);
	ck_assert_int_eq(rta_keyset_has(&ks, &fp), 0);
	ck_assert_int_eq(rta_keyset_forget(&ks, &fp), 0);
	ck_assert_int_eq(rta_keyset_add(&ks, &fp, (int64_t)n, 99, NULL,
	    NULL), 0);
	ck_assert_int_eq(rta_keyset_add(&ks, &fp, (int64_t)n, 1, &first,
	    NULL), 1);
	ck_assert_uint_eq(first.pos, 99);
	ck_assert_uint_le(rta_keyset_memory(&ks), o.max_mem);
	ck_assert_int_eq(rta_keyset_save(&ks, unit_path("."), "ck", "", 0,
	    &err), RTA_OK);
	ck_assert_int_eq(rta_keyset_peek(unit_path("."), "ck", seed, &approx,
	    &meta, &err), RTA_OK);
	o.max_mem = 0;
	ck_assert_int_eq(rta_keyset_init(&back, &o, NULL), RTA_OK);
	ck_assert_int_eq(rta_keyset_load(&back, unit_path("."), "ck", &err),
	    RTA_OK);
	ck_assert_uint_eq(rta_keyset_count(&back), n / 2 + 1);
	for (i = 0; i < n; i++) {
		fp = fp_of(&back, i);
		ck_assert_int_eq(rta_keyset_has(&back, &fp), i >= n / 2 ||
		    i == 10);
		ck_assert_int_eq(rta_keyset_has(&ks, &fp), i >= n / 2 ||
		    i == 10);
	}
	rta_keyset_release(&back);
	rta_keyset_release(&ks);
	rta_buf_release(&meta);
}
END_TEST

START_TEST(checkpoint_round_trip)
{
	struct rta_keyset ks, back;
	struct rta_keyset_opts o;
	struct rta_buf meta = RTA_BUF_INIT;
	struct rta_error err;
	struct rta_fp fp;
	uint64_t seed[2], i;
	int approx;

	key_times = _i;
	opts_exact(&o);
	o.seed[0] = o.seed[1] = 0;	/* chosen by the set */
	ck_assert_int_eq(rta_keyset_init(&ks, &o, NULL), RTA_OK);
	for (i = 0; i < 20000; i++) {
		fp = fp_of(&ks, i);
		ck_assert_int_eq(rta_keyset_add(&ks, &fp, (int64_t)i, i, NULL,
		    NULL), 0);
	}
	rta_keyset_set_horizon(&ks, 1000);
	ck_assert_int_eq(rta_keyset_peek(unit_path("."), "ck", seed, &approx,
	    &meta, &err), RTA_EOF);
	ck_assert_int_eq(rta_keyset_save(&ks, unit_path("."), "ck", "hello",
	    5, &err), RTA_OK);
	ck_assert_int_ne(access(unit_path("ck.tmp"), F_OK), 0);
	ck_assert_int_eq(rta_keyset_peek(unit_path("."), "ck", seed, &approx,
	    &meta, &err), RTA_OK);
	ck_assert_int_eq(approx, 0);
	ck_assert(seed[0] == ks.seed[0] && seed[1] == ks.seed[1]);
	ck_assert_uint_eq(meta.len, 5);
	ck_assert_mem_eq(meta.data, "hello", 5);
	o.seed[0] = seed[0];
	o.seed[1] = seed[1];
	ck_assert_int_eq(rta_keyset_init(&back, &o, NULL), RTA_OK);
	ck_assert_int_eq(rta_keyset_load(&back, unit_path("."), "ck", &err),
	    RTA_OK);
	/* expired keys are not saved */
	ck_assert_uint_eq(rta_keyset_count(&back), 19000);
	for (i = 0; i < 20000; i++) {
		fp = fp_of(&back, i);
		ck_assert_int_eq(rta_keyset_has(&back, &fp), i >= 1000);
	}
	rta_keyset_release(&back);
	/* other seeds cannot read it */
	o.seed[0]++;
	ck_assert_int_eq(rta_keyset_init(&back, &o, NULL), RTA_OK);
	ck_assert_int_eq(rta_keyset_load(&back, unit_path("."), "ck", &err),
	    RTA_EINVAL);
	rta_keyset_release(&back);
	rta_keyset_release(&ks);
	rta_buf_release(&meta);
}
END_TEST

/* One flipped byte anywhere is found by the checksum. */
START_TEST(checkpoint_damaged)
{
	struct rta_keyset ks;
	struct rta_keyset_opts o;
	struct rta_buf b = RTA_BUF_INIT, meta = RTA_BUF_INIT;
	struct rta_error err;
	struct rta_fp fp;
	uint64_t seed[2];
	int approx;

	opts_exact(&o);
	ck_assert_int_eq(rta_keyset_init(&ks, &o, NULL), RTA_OK);
	fp = fp_of(&ks, 1);
	rta_keyset_add(&ks, &fp, 1, 1, NULL, NULL);
	ck_assert_int_eq(rta_keyset_save(&ks, unit_path("."), "ck", "m", 1,
	    &err), RTA_OK);
	unit_read(unit_path("ck"), &b);
	b.data[b.len - 10] ^= 1;
	unit_write("ck", b.data, b.len);
	ck_assert_int_eq(rta_keyset_peek(unit_path("."), "ck", seed, &approx,
	    &meta, &err), RTA_EDATA);
	ck_assert_ptr_nonnull(strstr(err.text, "checksum"));
	unit_write("ck", b.data, 20);
	ck_assert_int_eq(rta_keyset_peek(unit_path("."), "ck", seed, &approx,
	    &meta, &err), RTA_EDATA);
	rta_keyset_release(&ks);
	rta_buf_release(&b);
	rta_buf_release(&meta);
}
END_TEST

struct seen {
	int		 n;
	char		 last[64];
};

static int
collect(void *arg, int type, const unsigned char *p, size_t len)
{
	struct seen *s = arg;

	s->n++;
	s->last[0] = (char)type;
	memcpy(s->last + 1, p, len < 60 ? len : 60);
	s->last[1 + (len < 60 ? len : 60)] = '\0';
	return RTA_OK;
}

START_TEST(journal_torn_tail)
{
	struct rta_journal j;
	struct rta_error err;
	struct rta_buf b = RTA_BUF_INIT;
	struct seen s;
	uint64_t valid, whole;
	int applied, torn;

	ck_assert_int_eq(rta_journal_create(&j, unit_path("."), "jr", 7, &err),
	    RTA_OK);
	ck_assert_int_eq(rta_journal_put(&j, 'A', "one", 3), 0);
	ck_assert_int_eq(rta_journal_put(&j, 'B', "two", 3), 0);
	ck_assert_int_eq(rta_journal_write(&j, &err), RTA_OK);
	ck_assert_int_eq(rta_journal_put(&j, 'C', "three", 5), 0);
	ck_assert_int_eq(rta_journal_write(&j, &err), RTA_OK);
	rta_journal_close(&j);
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(rta_journal_replay(unit_path("."), "jr", 7, collect,
	    &s, &applied, &torn, &valid, &err), RTA_OK);
	ck_assert(applied && !torn && s.n == 3);
	ck_assert_str_eq(s.last, "Cthree");
	whole = valid;
	/* another generation is not applied */
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(rta_journal_replay(unit_path("."), "jr", 8, collect,
	    &s, &applied, &torn, &valid, &err), RTA_OK);
	ck_assert(!applied && s.n == 0);
	/* cut inside the last record: the first two stay */
	unit_read(unit_path("jr"), &b);
	unit_write("jr", b.data, b.len - 3);
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(rta_journal_replay(unit_path("."), "jr", 7, collect,
	    &s, &applied, &torn, &valid, &err), RTA_OK);
	ck_assert(applied && torn && s.n == 2);
	ck_assert_uint_eq(valid, whole - 17);
	/* going on after the torn tail cuts it off first */
	ck_assert_int_eq(rta_journal_append(&j, unit_path("."), "jr", 7,
	    valid, &err), RTA_OK);
	ck_assert_int_eq(rta_journal_put(&j, 'D', "four", 4), 0);
	ck_assert_int_eq(rta_journal_write(&j, &err), RTA_OK);
	rta_journal_close(&j);
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(rta_journal_replay(unit_path("."), "jr", 7, collect,
	    &s, &applied, &torn, &valid, &err), RTA_OK);
	ck_assert(!torn && s.n == 3);
	ck_assert_str_eq(s.last, "Dfour");
	/* a damaged body stops the replay there */
	unit_read(unit_path("jr"), &b);
	b.data[16 + 9] ^= 0x20;
	unit_write("jr", b.data, b.len);
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(rta_journal_replay(unit_path("."), "jr", 7, collect,
	    &s, &applied, &torn, &valid, &err), RTA_OK);
	ck_assert(torn && s.n == 0);
	/* a huge length in a header allocates nothing */
	unit_read(unit_path("jr"), &b);
	b.data[16 + 9] ^= 0x20;
	b.data[16 + 7] = 0x7f;
	unit_write("jr", b.data, b.len);
	ck_assert_int_eq(rta_journal_replay(unit_path("."), "jr", 7, collect,
	    &s, &applied, &torn, &valid, &err), RTA_OK);
	ck_assert(torn);
	rta_buf_release(&b);
}
END_TEST

START_TEST(approx)
{
	struct rta_keyset ks;
	struct rta_keyset_opts o;
	struct rta_fp fp;
	uint64_t i, n = 50000, fps = 0;
	double est;

	memset(&o, 0, sizeof(o));
	o.approx = 0.01;
	o.expect = n;
	o.seed[0] = 3;
	o.seed[1] = 4;
	ck_assert_int_eq(rta_keyset_init(&ks, &o, NULL), RTA_OK);
	for (i = 0; i < n; i++) {
		fp = fp_of(&ks, i);
		fps += rta_keyset_add(&ks, &fp, 0, 0, NULL, NULL) == 1;
	}
	/* every key added is found: no false negatives */
	for (i = 0; i < n; i++) {
		fp = fp_of(&ks, i);
		ck_assert_int_eq(rta_keyset_has(&ks, &fp), 1);
	}
	for (i = n; i < 2 * n; i++) {
		fp = fp_of(&ks, i);
		fps += rta_keyset_has(&ks, &fp);
	}
	est = rta_keyset_fp_rate(&ks);
	ck_assert_msg(est > 0.001 && est < 0.03, "estimate %g", est);
	ck_assert_msg(fps < 2 * n * 0.03, "%llu false positives",
	    (unsigned long long)fps);
	rta_keyset_release(&ks);
	/* no size, no filter */
	o.expect = 0;
	ck_assert_int_eq(rta_keyset_init(&ks, &o, NULL), RTA_EINVAL);
}
END_TEST

/* Generations: a key is held at least one TTL of horizon progress. */
START_TEST(approx_generations)
{
	struct rta_keyset ks;
	struct rta_keyset_opts o;
	struct rta_fp fp;

	memset(&o, 0, sizeof(o));
	o.approx = 0.001;
	o.expect = 1000;
	o.ttl = 100;
	ck_assert_int_eq(rta_keyset_init(&ks, &o, NULL), RTA_OK);
	rta_keyset_set_horizon(&ks, 0);
	fp = fp_of(&ks, 1);
	ck_assert_int_eq(rta_keyset_add(&ks, &fp, 0, 0, NULL, NULL), 0);
	rta_keyset_set_horizon(&ks, 150);
	ck_assert_int_eq(rta_keyset_has(&ks, &fp), 1);
	rta_keyset_set_horizon(&ks, 199);
	ck_assert_int_eq(rta_keyset_has(&ks, &fp), 1);
	rta_keyset_set_horizon(&ks, 200);
	ck_assert_int_eq(rta_keyset_has(&ks, &fp), 0);
	rta_keyset_release(&ks);
}
END_TEST

/*
 * A key's time is in its fingerprint, and only there (exact mode): the
 * same key with another time, or none, is another key; an approximate
 * set's filter takes all of hi, so there it is ignored.
 */
START_TEST(fingerprint_times)
{
	struct rta_keyset ks;
	struct rta_keyset_opts o;
	struct rta_fp a, b, c;

	opts_exact(&o);
	ck_assert_int_eq(rta_keyset_init(&ks, &o, NULL), RTA_OK);
	rta_keyset_fingerprint_at(&ks, "k", 1, T0, &a);
	rta_keyset_fingerprint_at(&ks, "k", 1, T0 + 1, &b);
	rta_keyset_fingerprint_at(&ks, "k", 1, -1, &c);
	ck_assert(a.lo == b.lo && a.hi != b.hi && a.hi != c.hi);
	ck_assert_int_eq((int64_t)((a.hi << 1) >> 16), T0);
	ck_assert_uint_eq(c.hi >> 63, 0);
	/* out of range: no time */
	rta_keyset_fingerprint_at(&ks, "k", 1, RTA_KEYSET_AT_MAX, &b);
	ck_assert(b.lo == c.lo && b.hi == c.hi);
	ck_assert_int_eq(rta_keyset_add(&ks, &a, 0, 0, NULL, NULL), 0);
	ck_assert_int_eq(rta_keyset_has(&ks, &c), 0);
	ck_assert_int_eq(rta_keyset_add(&ks, &c, 0, 0, NULL, NULL), 0);
	ck_assert_uint_eq(rta_keyset_count(&ks), 2);
	rta_keyset_release(&ks);
	o.approx = 0.01;
	o.expect = 1000;
	ck_assert_int_eq(rta_keyset_init(&ks, &o, NULL), RTA_OK);
	rta_keyset_fingerprint_at(&ks, "k", 1, T0, &a);
	rta_keyset_fingerprint(&ks, "k", 1, &b);
	ck_assert(a.lo == b.lo && a.hi == b.hi);
	rta_keyset_release(&ks);
}
END_TEST

/*
 * Keys in time order fill one slab after another, each about a
 * megabyte; once the horizon passes all of a slab's entries its memory
 * is given back at once, while the answers stay those of the horizon.
 */
START_TEST(slabs)
{
	struct rta_keyset ks;
	struct rta_keyset_opts o;
	struct rta_fp fp;
	uint64_t i, n = 200000, mem;

	key_times = 1;
	opts_exact(&o);
	ck_assert_int_eq(rta_keyset_init(&ks, &o, NULL), RTA_OK);
	for (i = 0; i < n; i++) {
		fp = fp_of(&ks, i);
		ck_assert_int_eq(rta_keyset_add(&ks, &fp, (int64_t)i, i,
		    NULL, NULL), 0);
	}
	ck_assert_uint_ge(ks.nslab, 6);
	ck_assert_uint_eq(rta_keyset_count(&ks), n);
	mem = rta_keyset_memory(&ks);
	/* the partitions were never used */
	for (i = 0; i < RTA_KEYSET_PARTS; i++)
		ck_assert_uint_eq(ks.parts[i].nb, 0);
	rta_keyset_set_horizon(&ks, (int64_t)n / 2);
	ck_assert_uint_lt(rta_keyset_memory(&ks), mem * 2 / 3);
	ck_assert_uint_lt(rta_keyset_count(&ks), n * 2 / 3);
	for (i = 0; i < n; i++) {
		fp = fp_of(&ks, i);
		ck_assert_int_eq(rta_keyset_has(&ks, &fp), i >= n / 2);
	}
	/* an expired key of a freed slab is new again, and found */
	fp = fp_of(&ks, 7);
	ck_assert_int_eq(rta_keyset_add(&ks, &fp, (int64_t)n, 1, NULL, NULL),
	    0);
	ck_assert_int_eq(rta_keyset_has(&ks, &fp), 1);
	ck_assert_int_eq(rta_keyset_add(&ks, &fp, (int64_t)n, 1, NULL, NULL),
	    1);
	ck_assert_int_eq(rta_keyset_forget(&ks, &fp), 1);
	ck_assert_int_eq(rta_keyset_has(&ks, &fp), 0);
	rta_keyset_release(&ks);
}
END_TEST

static int
alloc_child(unsigned long n)
{
	struct rta_keyset ks;
	struct rta_keyset_opts o;
	struct rta_fp fp;
	uint64_t i;
	char env[64];

	snprintf(env, sizeof(env), "alloc:%lu:persistent", n);
	setenv("RTA_FAULT", env, 1);
	opts_exact(&o);
	if (rta_keyset_init(&ks, &o, NULL) != RTA_OK)
		return 1;
	for (i = 0; i < 20000; i++) {
		fp = fp_of(&ks, i);
		if (rta_keyset_add(&ks, &fp, 0, i, NULL, NULL) < 0) {
			uint64_t j;

			/* what was added before the failure is all there */
			for (j = 0; j < i; j++) {
				fp = fp_of(&ks, j);
				if (!rta_keyset_has(&ks, &fp))
					return 3;
			}
			rta_keyset_release(&ks);
			return 1;
		}
	}
	rta_keyset_release(&ks);
	return 0;
}

START_TEST(alloc_failures)
{
	key_times = _i;
	ck_assert_uint_ge(unit_alloc_failures(alloc_child, NULL), 2);
}
END_TEST

static Suite *
keyset_suite(void)
{
	Suite *s = suite_create("rta_keyset");
	TCase *tc = tcase_create("set");

	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, insert_lookup_growth, 0, 3);
	tcase_add_test(tc, fingerprints);
	tcase_add_test(tc, fingerprint_times);
	tcase_add_loop_test(tc, lean, 0, 3);
	tcase_add_loop_test(tc, horizon, 0, 3);
	tcase_add_test(tc, slabs);
	tcase_add_loop_test(tc, spill, 0, 3);
	tcase_add_test(tc, approx);
	tcase_add_test(tc, approx_generations);
	tcase_add_loop_test(tc, alloc_failures, 0, 3);
	suite_add_tcase(s, tc);
	tc = tcase_create("state");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_loop_test(tc, checkpoint_round_trip, 0, 3);
	tcase_add_loop_test(tc, spill_horizon_state, 0, 3);
	tcase_add_test(tc, checkpoint_damaged);
	tcase_add_test(tc, journal_torn_tail);
	tcase_set_timeout(tc, 60);	/* fsync on a loaded machine */
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(keyset_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
