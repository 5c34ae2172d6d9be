/*
 * check_rta_hash.c: the seeded hash.  It must be a function of the bytes
 * and the seed only, depend on every byte and on the length, spread keys
 * evenly over buckets (also keys that share long prefixes), and take its
 * process seed from RTA_HASH_SEED when set.  The seed tests need fork
 * mode, since the seed is chosen once per process.
 */
#include <check.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rta_hash.h"

#define CHECK(expr, ...) do {						\
	if (!(expr))							\
		ck_abort_msg(__VA_ARGS__);				\
} while (0)

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

START_TEST(deterministic)
{
	static const char key[] = "tenant-0042/event/9f1c";
	unsigned char copy[64];
	uint64_t h;
	size_t n;

	for (n = 0; n <= sizeof(key) - 1; n++) {
		h = rta_hash64(key, n, 12345);
		ck_assert(rta_hash64(key, n, 12345) == h);
		/* the bytes matter, not where they are */
		memcpy(copy + 3, key, n);
		ck_assert(rta_hash64(copy + 3, n, 12345) == h);
		/* and the seed matters */
		ck_assert(rta_hash64(key, n, 12346) != h);
	}
}
END_TEST

/* The pair is the two single hashes, for every length and alignment. */
START_TEST(pair_matches)
{
	unsigned char key[80];
	uint64_t h[2];
	size_t len, at, i;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)(i * 131 + 7);
	for (at = 0; at < 3; at++)
		for (len = 0; len + at <= sizeof(key); len++) {
			rta_hash64_pair(key + at, len, 99, 0x5eed, h);
			ck_assert(h[0] == rta_hash64(key + at, len, 99));
			ck_assert(h[1] == rta_hash64(key + at, len, 0x5eed));
		}
}
END_TEST

/* Same bytes except the length: zero runs of 0..200 bytes all differ. */
START_TEST(length_matters)
{
	static const unsigned char zeros[200];
	uint64_t h[201];
	size_t n;

	for (n = 0; n <= 200; n++)
		h[n] = rta_hash64(zeros, n, 7);
	qsort(h, 201, sizeof(h[0]), cmp_u64);
	for (n = 1; n <= 200; n++)
		ck_assert_msg(h[n] != h[n - 1], "two lengths collide");
}
END_TEST

/* Every single-bit change of a key changes about half the output bits. */
START_TEST(avalanche)
{
	unsigned char key[40];
	size_t len, i;
	int b;

	for (len = 1; len <= sizeof(key); len++) {
		long total = 0, flips = 0;

		for (i = 0; i < len; i++)
			key[i] = (unsigned char)(i * 37 + len);
		for (i = 0; i < len; i++)
			for (b = 0; b < 8; b++) {
				uint64_t h0 = rta_hash64(key, len, 99), h1;

				key[i] ^= (unsigned char)(1 << b);
				h1 = rta_hash64(key, len, 99);
				key[i] ^= (unsigned char)(1 << b);
				CHECK(h0 != h1, "len %zu: flip of byte %zu bit "
				    "%d not seen", len, i, b);
				total += __builtin_popcountll(h0 ^ h1);
				flips++;
			}
		ck_assert_msg(total > flips * 24 && total < flips * 40,
		    "len %zu: %.1f bits change on average", len,
		    (double)total / (double)flips);
	}
}
END_TEST

/* Chi-square of n hashes over 1024 buckets, taking bits at shift. */
static double
chi2(const uint64_t *h, size_t n, int shift)
{
	static unsigned cnt[1024];
	double e = (double)n / 1024, x = 0;
	size_t i;

	memset(cnt, 0, sizeof(cnt));
	for (i = 0; i < n; i++)
		cnt[(h[i] >> shift) & 1023]++;
	for (i = 0; i < 1024; i++)
		x += (cnt[i] - e) * (cnt[i] - e) / e;
	return x;
}

static void
distribution(const char *what, uint64_t *h, size_t n)
{
	static const int shifts[] = { 0, 10, 27, 40, 54 };
	size_t i;

	/* 1023 degrees of freedom: mean 1023, sd ~45; 1250 is 5 sd */
	for (i = 0; i < sizeof(shifts) / sizeof(shifts[0]); i++) {
		double x = chi2(h, n, shifts[i]);

		ck_assert_msg(x < 1250, "%s: chi-square %.0f on bits %d..%d",
		    what, x, shifts[i], shifts[i] + 9);
	}
	/* no 64-bit collisions */
	qsort(h, n, sizeof(h[0]), cmp_u64);
	for (i = 1; i < n; i++)
		CHECK(h[i] != h[i - 1], "%s: a 64-bit collision", what);
}

START_TEST(distribution_counters)
{
	const size_t n = 200000;
	uint64_t *h = malloc(n * sizeof(*h));
	char key[32];
	size_t i;

	ck_assert_ptr_nonnull(h);
	for (i = 0; i < n; i++) {
		int k = snprintf(key, sizeof(key), "key%zu", i);

		h[i] = rta_hash64(key, (size_t)k, 0x5eed);
	}
	distribution("key<N>", h, n);
	/* binary little-endian counters, 8 bytes each */
	for (i = 0; i < n; i++) {
		uint64_t v = i;

		h[i] = rta_hash64(&v, sizeof(v), 0x5eed);
	}
	distribution("u64 counters", h, n);
	free(h);
}
END_TEST

/* Equal lengths, long shared prefixes: the keys an attacker would pick. */
START_TEST(distribution_shared_prefix)
{
	const size_t n = 100000;
	uint64_t *h = malloc(n * sizeof(*h));
	char key[128];
	size_t i, len;

	ck_assert_ptr_nonnull(h);
	for (len = 20; len <= 120; len += 50) {
		memset(key, 'a', sizeof(key));
		for (i = 0; i < n; i++) {
			snprintf(key + len - 6, 7, "%06zu", i);
			h[i] = rta_hash64(key, len, 0x5eed);
		}
		distribution("shared prefix", h, n);
	}
	free(h);
}
END_TEST

/* ---- the process seed -------------------------------------------------- */

START_TEST(seed_from_env)
{
	static const struct { const char *s; uint64_t v; } t[] = {
		{ "42", 42 }, { "0x10", 16 }, { "0", 0 },
		{ "18446744073709551615", UINT64_MAX },
	};

	setenv("RTA_HASH_SEED", t[_i].s, 1);
	ck_assert(rta_hash_seed() == t[_i].v);
	/* fixed for the life of the process */
	setenv("RTA_HASH_SEED", "7", 1);
	ck_assert(rta_hash_seed() == t[_i].v);
}
END_TEST

/* The seed of a child process, through a pipe. */
static uint64_t
child_seed(void)
{
	uint64_t v = 0;
	int fd[2], st;
	pid_t pid;

	ck_assert_int_eq(pipe(fd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		v = rta_hash_seed();
		_exit(write(fd[1], &v, sizeof(v)) == sizeof(v) ? 0 : 1);
	}
	close(fd[1]);
	ck_assert_int_eq(read(fd[0], &v, sizeof(v)), (ssize_t)sizeof(v));
	close(fd[0]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return v;
}

START_TEST(seed_random_per_process)
{
	uint64_t a, b;

	unsetenv("RTA_HASH_SEED");
	a = child_seed();
	b = child_seed();
	ck_assert_msg(a != b, "two processes drew the same seed");
	/* and with the variable set, every process agrees */
	setenv("RTA_HASH_SEED", "123456789", 1);
	ck_assert(child_seed() == 123456789);
	ck_assert(child_seed() == 123456789);
	/* stable within one process */
	ck_assert(rta_hash_seed() == rta_hash_seed());
}
END_TEST

static Suite *
hash_suite(int forking)
{
	Suite *s = suite_create("rta_hash");
	TCase *tc;

	tc = tcase_create("hash64");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, deterministic);
	tcase_add_test(tc, pair_matches);
	tcase_add_test(tc, length_matters);
	tcase_add_test(tc, avalanche);
	tcase_add_test(tc, distribution_counters);
	tcase_add_test(tc, distribution_shared_prefix);
	suite_add_tcase(s, tc);

	if (forking) {
		tc = tcase_create("seed");
		tcase_add_loop_test(tc, seed_from_env, 0, 4);
		tcase_add_test(tc, seed_random_per_process);
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(NULL);
	srunner_add_suite(sr, hash_suite(srunner_fork_status(sr) != CK_NOFORK));
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
