/*
 * check_rta_spill.c: spilled entries read back once each, in (key, seq)
 * order, through runs written at the budget and merge passes past the
 * fan-in; the runs a checkpoint names survive a restart and the others
 * go; damaged files (a flipped byte, a huge length, a cut file, a bad
 * header) are errors that name the file, never a crash or a large
 * allocation.
 */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "rta_buf.h"
#include "rta_spill.h"
#include "unit.h"

struct ref {
	unsigned char	 key[8];
	uint32_t	 klen;
	uint64_t	 seq;
	uint32_t	 body;		/* its body: 4 bytes, then seq */
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t
rng(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static int
ref_cmp(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	uint32_t l = x->klen < y->klen ? x->klen : y->klen;
	int c = memcmp(x->key, y->key, l);

	if (c != 0)
		return c;
	if (x->klen != y->klen)
		return x->klen < y->klen ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static size_t
runs_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0, l;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		l = strlen(de->d_name);
		if (l > 4 && strcmp(de->d_name + l - 4, ".run") == 0)
			n++;
	}
	closedir(d);
	return n;
}

/* n entries into bucket 7 (keys of 0 to 3 bytes from a small alphabet,
 * so that many share a key or a prefix), sorted into v. */
static void
fill(struct rta_spill *s, struct ref *v, size_t n)
{
	struct rta_error err;
	unsigned char body[12];
	size_t i, j;

	for (i = 0; i < n; i++) {
		v[i].klen = (uint32_t)(rng() % 4);
		for (j = 0; j < v[i].klen; j++)
			v[i].key[j] = (unsigned char)('a' + rng() % 3);
		v[i].seq = i + 1;
		v[i].body = (uint32_t)rng();
		memcpy(body, &v[i].body, 4);
		memcpy(body + 4, &v[i].seq, 8);
		ck_assert_int_eq(rta_spill_add(s, 7, v[i].key, v[i].klen,
		    v[i].seq, body, sizeof(body), &err), RTA_OK);
	}
	qsort(v, n, sizeof(*v), ref_cmp);
}

static void
read_all(struct rta_spill *s, const struct ref *v, size_t n)
{
	struct rta_spill_reader rd;
	struct rta_spill_ent e;
	struct rta_error err;
	size_t i = 0;
	int k;

	ck_assert_int_eq(rta_spill_read(s, 7, &rd, &err), RTA_OK);
	ck_assert_uint_le(rd.n, RTA_SPILL_FANIN);
	while ((k = rta_spill_next(&rd, &e, &err)) > 0) {
		ck_assert_uint_lt(i, n);
		ck_assert_uint_eq(e.klen, v[i].klen);
		ck_assert(memcmp(e.key, v[i].key, e.klen) == 0);
		ck_assert_uint_eq(e.seq, v[i].seq);
		ck_assert_uint_eq(e.blen, 12);
		ck_assert(memcmp(e.body, &v[i].body, 4) == 0);
		i++;
	}
	ck_assert_int_eq(k, 0);
	ck_assert_uint_eq(i, n);
	rta_spill_read_close(&rd);
}

START_TEST(test_order)
{
	struct rta_spill s;
	struct rta_error err;
	struct ref *v = calloc(5000, sizeof(*v));
	int64_t id;

	ck_assert_ptr_nonnull(v);
	/* a budget of about 100 entries: 50 runs, merged in passes */
	ck_assert_int_eq(rta_spill_open(&s, unit_path("sp"), 3000, 0, &err),
	    RTA_OK);
	ck_assert_int_eq(rta_spill_first(&s, &id), 0);
	ck_assert_int_eq(rta_spill_bucket(&s, 9, &err), RTA_OK);
	ck_assert_int_eq(rta_spill_bucket(&s, -3, &err), RTA_OK);
	fill(&s, v, 5000);
	ck_assert_uint_gt(s.runs, RTA_SPILL_FANIN * 2);
	ck_assert_int_eq(rta_spill_first(&s, &id), 1);
	ck_assert_int_eq(id, -3);
	ck_assert(rta_spill_has(&s, 7) && rta_spill_has(&s, 9) &&
	    !rta_spill_has(&s, 8));
	read_all(&s, v, 5000);
	/* read again: the same, from the runs merge passes left */
	read_all(&s, v, 5000);
	ck_assert_int_eq(rta_spill_drop(&s, 7, &err), RTA_OK);
	ck_assert(!rta_spill_has(&s, 7));
	ck_assert_uint_gt(runs_in(unit_path("sp")), 0);
	rta_spill_committed(&s);
	ck_assert_uint_eq(runs_in(unit_path("sp")), 0);
	/* an empty bucket reads as nothing */
	{
		struct rta_spill_reader rd;
		struct rta_spill_ent e;

		ck_assert_int_eq(rta_spill_read(&s, 9, &rd, &err), RTA_OK);
		ck_assert_int_eq(rta_spill_next(&rd, &e, &err), 0);
		rta_spill_read_close(&rd);
	}
	rta_spill_close(&s);
	free(v);
}
END_TEST

START_TEST(test_restart)
{
	struct rta_spill s, t;
	struct rta_error err;
	struct rta_buf ck = RTA_BUF_INIT;
	struct ref *v = calloc(600, sizeof(*v));
	const unsigned char *p;

	ck_assert_ptr_nonnull(v);
	ck_assert_int_eq(rta_spill_open(&s, unit_path("sp"), 4000, 1, &err),
	    RTA_OK);
	fill(&s, v, 600);
	ck_assert_int_eq(rta_spill_flush(&s, &err), RTA_OK);
	ck_assert_int_eq(rta_spill_encode(&s, &ck), 0);
	/* after the checkpoint: more runs, and reading merges some */
	{
		unsigned char b[12] = { 0 };

		ck_assert_int_eq(rta_spill_add(&s, 8, "z", 1, 1, b, 12, &err),
		    RTA_OK);
		ck_assert_int_eq(rta_spill_flush(&s, &err), RTA_OK);
	}
	read_all(&s, v, 600);
	rta_spill_close(&s);	/* a crash: nothing committed */
	unit_write_str("sp/99-99.run", "not named");
	ck_assert_int_eq(rta_spill_open(&t, unit_path("sp"), 4000, 1, &err),
	    RTA_OK);
	p = ck.data;
	ck_assert_int_eq(rta_spill_decode(&t, &p, ck.data + ck.len, &err),
	    RTA_OK);
	ck_assert_ptr_eq(p, ck.data + ck.len);
	ck_assert(!rta_spill_has(&t, 8));
	ck_assert_uint_eq(runs_in(unit_path("sp")), t.b[0].nruns);
	read_all(&t, v, 600);
	rta_spill_close(&t);
	/* a damaged list */
	ck_assert_int_eq(rta_spill_open(&t, unit_path("sp"), 4000, 1, &err),
	    RTA_OK);
	p = ck.data;
	ck_assert_int_eq(rta_spill_decode(&t, &p, ck.data + ck.len - 1,
	    &err), RTA_EDATA);
	ck_assert_uint_eq(t.nb, 0);
	rta_spill_close(&t);
	/* a start with no checkpoint: every run goes */
	ck_assert_uint_gt(runs_in(unit_path("sp")), 0);
	ck_assert_int_eq(rta_spill_open(&t, unit_path("sp"), 4000, 1, &err),
	    RTA_OK);
	ck_assert_int_eq(rta_spill_sweep(&t, &err), RTA_OK);
	ck_assert_uint_eq(runs_in(unit_path("sp")), 0);
	rta_spill_close(&t);
	rta_buf_release(&ck);
	free(v);
}
END_TEST

/* One run of entries in bucket 7, the checkpoint in ck, its file name
 * in name. */
static void
one_run(struct rta_buf *ck, char *name, size_t sz)
{
	struct rta_spill s;
	struct rta_error err;
	struct ref v[50];

	ck_assert_int_eq(rta_spill_open(&s, unit_path("sp"), 1 << 20, 0,
	    &err), RTA_OK);
	fill(&s, v, 50);
	ck_assert_int_eq(rta_spill_flush(&s, &err), RTA_OK);
	ck_assert_int_eq(rta_spill_encode(&s, ck), 0);
	snprintf(name, sz, "sp/7-%llu.run", (unsigned long long)
	    s.b[0].runs[0].n);
	rta_spill_close(&s);
}

/* Damage the file at off with len bytes of p, then read: the error. */
static int
damaged_read(const struct rta_buf *ck, const char *name, long off,
    const void *p, size_t len, int cut, char *text)
{
	struct rta_spill s;
	struct rta_spill_reader rd;
	struct rta_spill_ent e;
	struct rta_error err;
	const unsigned char *q = ck->data;
	int fd, rc, k;

	fd = open(unit_path(name), O_WRONLY);
	ck_assert_int_ge(fd, 0);
	if (cut)
		ck_assert_int_eq(ftruncate(fd, off), 0);
	else
		ck_assert_int_eq(pwrite(fd, p, len, off), (ssize_t)len);
	close(fd);
	ck_assert_int_eq(rta_spill_open(&s, unit_path("sp"), 1 << 20, 0,
	    &err), RTA_OK);
	rc = rta_spill_decode(&s, &q, ck->data + ck->len, &err);
	if (rc == RTA_OK) {
		rc = rta_spill_read(&s, 7, &rd, &err);
		while (rc == RTA_OK && (k = rta_spill_next(&rd, &e, &err)) !=
		    0)
			if (k < 0)
				rc = err.code;
		rta_spill_read_close(&rd);
	}
	strcpy(text, rc != RTA_OK ? err.text : "");
	rta_spill_close(&s);
	return rc;
}

START_TEST(test_damage)
{
	struct rta_buf ck = RTA_BUF_INIT, orig = RTA_BUF_INIT;
	char name[64], text[256];
	unsigned char huge[4] = { 0xff, 0xff, 0xff, 0x7f };

	one_run(&ck, name, sizeof(name));
	unit_read(unit_path(name), &orig);
	/* a flipped byte in an entry */
	ck_assert_int_eq(damaged_read(&ck, name, 200, "\x5a", 1, 0, text),
	    RTA_EDATA);
	ck_assert_ptr_nonnull(strstr(text, "damaged spill file (bad "));
	ck_assert_ptr_nonnull(strstr(text, name + 3));
	unit_write(name, orig.data, orig.len);
	/* the first entry's length, 2 GiB: refused before any allocation */
	ck_assert_int_eq(damaged_read(&ck, name, 28, huge, 4, 0, text),
	    RTA_EDATA);
	ck_assert_ptr_nonnull(strstr(text, "(bad length)"));
	unit_write(name, orig.data, orig.len);
	/* the header */
	ck_assert_int_eq(damaged_read(&ck, name, 9, "\x01", 1, 0, text),
	    RTA_EDATA);
	ck_assert_ptr_nonnull(strstr(text, "(bad header)"));
	unit_write(name, orig.data, orig.len);
	/* cut short: its size is not the one written */
	ck_assert_int_eq(damaged_read(&ck, name, 100, NULL, 0, 1, text),
	    RTA_EDATA);
	ck_assert_ptr_nonnull(strstr(text, "100 bytes"));
	/* gone */
	ck_assert_int_eq(unlink(unit_path(name)), 0);
	{
		struct rta_spill s;
		struct rta_error err;
		const unsigned char *q = ck.data;

		ck_assert_int_eq(rta_spill_open(&s, unit_path("sp"), 1 << 20,
		    0, &err), RTA_OK);
		ck_assert_int_eq(rta_spill_decode(&s, &q, ck.data + ck.len,
		    &err), RTA_EDATA);
		rta_spill_close(&s);
	}
	rta_buf_release(&ck);
	rta_buf_release(&orig);
}
END_TEST

/* Add, write runs, merge and read, encode, drop, with the nth
 * allocation failing and every later one: a clean RTA_ENOMEM (1), or
 * every entry read (0). */
static int
alloc_child(unsigned long n)
{
	struct rta_spill s;
	struct rta_spill_reader rd;
	struct rta_spill_ent e;
	struct rta_error err;
	struct rta_buf ck = RTA_BUF_INIT;
	unsigned char body[12] = { 0 }, key[2];
	char env[64];
	uint64_t i, seen = 0;
	int rc, k;

	snprintf(env, sizeof(env), "alloc:%lu:persistent", n);
	setenv("RTA_FAULT", env, 1);
	if ((rc = rta_spill_open(&s, unit_path("sp"), 600, 0, &err)) !=
	    RTA_OK)
		return rc == RTA_ENOMEM ? 1 : 2;
	for (i = 0; i < 400; i++) {
		key[0] = (unsigned char)('a' + i % 7);
		key[1] = (unsigned char)('a' + i % 3);
		if ((rc = rta_spill_add(&s, 7, key, 2, i + 1, body,
		    sizeof(body), &err)) != RTA_OK)
			goto out;
	}
	if ((rc = rta_spill_read(&s, 7, &rd, &err)) != RTA_OK)
		goto out;
	while ((k = rta_spill_next(&rd, &e, &err)) > 0)
		seen++;
	rta_spill_read_close(&rd);
	if (k < 0) {
		rc = err.code;
		goto out;
	}
	if (seen != 400) {
		rta_spill_close(&s);
		return 3;
	}
	if (rta_spill_encode(&s, &ck) != 0) {
		rc = RTA_ENOMEM;
		goto out;
	}
	if ((rc = rta_spill_drop(&s, 7, &err)) == RTA_OK)
		rta_spill_committed(&s);
out:
	rta_buf_release(&ck);
	rta_spill_close(&s);
	if (rc == RTA_OK)
		return 0;
	return rc == RTA_ENOMEM ? 1 : 4;
}

static const char *
alloc_why(int code)
{
	return code == 3 ? "entries lost" : code == 4 ? "an error other than "
	    "ENOMEM" : "open failed otherwise";
}

START_TEST(test_alloc_failures)
{
	ck_assert_uint_ge(unit_alloc_failures(alloc_child, alloc_why), 20);
}
END_TEST

static Suite *
spill_suite(void)
{
	Suite *s = suite_create("rta_spill");
	TCase *tc = tcase_create("spill");

	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, test_order);
	tcase_add_test(tc, test_restart);
	tcase_add_test(tc, test_damage);
	tcase_add_test(tc, test_alloc_failures);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(spill_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
