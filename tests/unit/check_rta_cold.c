/*
 * check_rta_cold.c: the cold store's directories.  Partition values are
 * percent-encoded so that any tenant id makes one safe directory name
 * (never "/", "..", "=" or a control byte) and decodes back to itself;
 * partition paths parse back to dataset, tenant and day; publishing a
 * partition replaces all of its files at once; one writer at a time;
 * leftovers of a crashed writer are removed on open; the walk of the
 * partitions reports what it passes by and why, never follows a symbolic
 * link, and does not open the partitions it prunes.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rta_cold.h"
#include "rta_time.h"
#include "unit.h"

START_TEST(pct_round_trip)
{
	char enc[800], dec[300], raw[256];
	int n, i, k;

	n = rta_cold_pct_encode(enc, sizeof(enc), "a/b c=d%e", 9);
	ck_assert_int_eq(n, 17);
	ck_assert_str_eq(enc, "a%2Fb%20c%3Dd%25e");
	ck_assert_int_eq(rta_cold_pct_encode(enc, sizeof(enc), "..", 2), 2);
	ck_assert_str_eq(enc, "..");
	ck_assert_int_eq(rta_cold_pct_encode(enc, sizeof(enc),
	    "\xc3\xa9\n", 3), 9);
	ck_assert_str_eq(enc, "%C3%A9%0A");
	/* Every byte value survives the round trip. */
	for (i = 0; i < 256; i++)
		raw[i] = (char)i;
	n = rta_cold_pct_encode(enc, sizeof(enc), raw, 256);
	ck_assert_int_gt(n, 256);
	ck_assert_ptr_null(strchr(enc, '/'));
	k = rta_cold_pct_decode(dec, sizeof(dec), enc, (size_t)n);
	ck_assert_int_eq(k, 256);
	ck_assert_mem_eq(dec, raw, 256);
	/* Too small a buffer, bad escapes. */
	ck_assert_int_eq(rta_cold_pct_encode(enc, 4, "a/b", 3), -1);
	ck_assert_int_eq(rta_cold_pct_decode(dec, sizeof(dec), "%2", 2), -1);
	ck_assert_int_eq(rta_cold_pct_decode(dec, sizeof(dec), "%G0", 3), -1);
	ck_assert_int_eq(rta_cold_pct_decode(dec, sizeof(dec), "%", 1), -1);
	ck_assert_int_eq(rta_cold_pct_decode(dec, sizeof(dec), "%2f", 3), 1);
	ck_assert_int_eq(dec[0], '/');
}
END_TEST

START_TEST(part_paths)
{
	char buf[RTA_COLD_PART_MAX], ds[64], tenant[257], big[300];
	struct rta_error err;
	int64_t day, d2;
	size_t tlen;

	day = rta_days_from_civil(2026, 11, 26);
	ck_assert_int_eq(rta_cold_part_path(buf, sizeof(buf), "events",
	    "acme/eu", 7, day, &err), RTA_OK);
	ck_assert_str_eq(buf,
	    "events/tenant_id=acme%2Feu/year=2026/month=11/day=26");
	ck_assert_int_eq(rta_cold_part_parse(buf, ds, sizeof(ds), tenant,
	    &tlen, &d2), 0);
	ck_assert_str_eq(ds, "events");
	ck_assert_uint_eq(tlen, 7);
	ck_assert_mem_eq(tenant, "acme/eu", 7);
	ck_assert_int_eq(d2, day);
	/* Single-digit months and days have no leading zero. */
	ck_assert_int_eq(rta_cold_part_path(buf, sizeof(buf), "m", "t", 1,
	    rta_days_from_civil(2027, 1, 5), &err), RTA_OK);
	ck_assert_str_eq(buf, "m/tenant_id=t/year=2027/month=1/day=5");
	/* With a file name after it. */
	ck_assert_int_eq(rta_cold_part_parse(
	    "m/tenant_id=t/year=2027/month=1/day=5/part-00000.parquet", ds,
	    sizeof(ds), tenant, &tlen, &d2), 0);
	ck_assert_int_eq(d2, rta_days_from_civil(2027, 1, 5));
	/* Not partitions. */
	ck_assert_int_eq(rta_cold_part_parse("m/tenant_id=t/year=2027/"
	    "month=01/day=5", ds, sizeof(ds), tenant, &tlen, &d2), -1);
	ck_assert_int_eq(rta_cold_part_parse("m/tenant_id=t/year=2027/"
	    "month=13/day=5", ds, sizeof(ds), tenant, &tlen, &d2), -1);
	ck_assert_int_eq(rta_cold_part_parse("m/tenant=t/year=2027/"
	    "month=1/day=5", ds, sizeof(ds), tenant, &tlen, &d2), -1);
	ck_assert_int_eq(rta_cold_part_parse("tenant_id=t/year=2027/"
	    "month=1/day=5", ds, sizeof(ds), tenant, &tlen, &d2), -1);
	ck_assert_int_eq(rta_cold_part_parse("m/tenant_id=%zz/year=2027/"
	    "month=1/day=5", ds, sizeof(ds), tenant, &tlen, &d2), -1);
	/* A tenant id whose encoding would not fit one directory name. */
	memset(big, '/', 200);
	ck_assert_int_eq(rta_cold_part_path(buf, sizeof(buf), "m", big, 200,
	    day, &err), RTA_ELIMIT);
	ck_assert_str_eq(err.reason, "tenant-too-long");
}
END_TEST

static void
put(const char *rel, const char *text)
{
	char path[2 * RTA_COLD_PART_MAX + 8];

	snprintf(path, sizeof(path), "cold/%s", rel);
	unit_write_str(path, text);
}

static int
exists(const char *rel)
{
	char path[2 * RTA_COLD_PART_MAX];
	struct stat st;

	snprintf(path, sizeof(path), "cold/%s", rel);
	return stat(unit_path(path), &st) == 0;
}

START_TEST(publish_replaces)
{
	char stage[128], buf[RTA_COLD_PART_MAX], path[RTA_COLD_PART_MAX + 64];
	struct rta_cold c, c2;
	struct rta_error err;
	int64_t day = rta_days_from_civil(2026, 11, 26);

	ck_assert_int_eq(rta_cold_open(&c, unit_path("cold"), 0, &err),
	    RTA_EOF);
	ck_assert_int_eq(rta_cold_open(&c, unit_path("cold"), 1, &err),
	    RTA_OK);
	/* A second writer is refused. */
	ck_assert_int_eq(rta_cold_open(&c2, unit_path("cold"), 1, &err),
	    RTA_EIO);
	ck_assert_str_eq(err.reason, "store-busy");

	ck_assert_int_eq(rta_cold_part_path(buf, sizeof(buf), "ev", "acme",
	    4, day, &err), RTA_OK);
	/* First publish: two files. */
	ck_assert_int_eq(rta_cold_stage(&c, stage, sizeof(stage), &err),
	    RTA_OK);
	snprintf(path, sizeof(path), "%s/part-00000.parquet", stage);
	put(path, "one");
	snprintf(path, sizeof(path), "%s/part-00001.parquet", stage);
	put(path, "two");
	ck_assert_int_eq(rta_cold_publish(&c, stage, buf, &err), RTA_OK);
	ck_assert(exists("ev/tenant_id=acme/year=2026/month=11/day=26/"
	    "part-00001.parquet"));
	ck_assert(!exists(stage));
	/* Again with one file: the partition holds only the new one. */
	ck_assert_int_eq(rta_cold_stage(&c, stage, sizeof(stage), &err),
	    RTA_OK);
	snprintf(path, sizeof(path), "%s/part-00000.parquet", stage);
	put(path, "three");
	ck_assert_int_eq(rta_cold_publish(&c, stage, buf, &err), RTA_OK);
	ck_assert(exists("ev/tenant_id=acme/year=2026/month=11/day=26/"
	    "part-00000.parquet"));
	ck_assert(!exists("ev/tenant_id=acme/year=2026/month=11/day=26/"
	    "part-00001.parquet"));
	snprintf(path, sizeof(path), "cold/%s/part-00000.parquet", buf);
	{
		struct rta_buf b = RTA_BUF_INIT;

		unit_read(unit_path(path), &b);
		ck_assert_uint_eq(b.len, 5);
		ck_assert_mem_eq(b.data, "three", 5);
		rta_buf_release(&b);
	}
	/* A crashed writer's staging directory goes on the next open. */
	ck_assert_int_eq(rta_cold_stage(&c, stage, sizeof(stage), &err),
	    RTA_OK);
	snprintf(path, sizeof(path), "%s/part-00000.parquet", stage);
	put(path, "half");
	close(c.lockfd);
	c.lockfd = -1;
	close(c.fd);
	ck_assert(exists(stage));
	ck_assert_int_eq(rta_cold_open(&c, unit_path("cold"), 0, &err),
	    RTA_OK);
	ck_assert(!exists(stage));
	/* Removing a partition takes its empty parents, not the dataset. */
	ck_assert_int_eq(rta_cold_remove(&c, buf, &err), RTA_OK);
	ck_assert(!exists("ev/tenant_id=acme"));
	ck_assert(exists("ev"));
	ck_assert_int_eq(rta_cold_remove(&c, buf, &err), RTA_OK);
	rta_cold_close(&c);
}
END_TEST

/* A symbolic link inside the store is never followed out of it. */
START_TEST(no_symlinks)
{
	char stage[128], buf[RTA_COLD_PART_MAX], path[RTA_COLD_PART_MAX];
	struct rta_cold c;
	struct rta_error err;
	struct stat st;
	int64_t day = rta_days_from_civil(2026, 11, 26);

	ck_assert_int_eq(mkdir(unit_path("outside"), 0777), 0);
	ck_assert_int_eq(mkdir(unit_path("outside/year=2026"), 0777), 0);
	ck_assert_int_eq(mkdir(unit_path("outside/year=2026/month=11"), 0777),
	    0);
	ck_assert_int_eq(mkdir(unit_path("outside/year=2026/month=11/day=26"),
	    0777), 0);
	unit_write_str("outside/year=2026/month=11/day=26/part-00000.parquet",
	    "theirs");
	ck_assert_int_eq(rta_cold_open(&c, unit_path("cold"), 1, &err),
	    RTA_OK);
	ck_assert_int_eq(mkdir(unit_path("cold/ev"), 0777), 0);
	ck_assert_int_eq(symlink(unit_path("outside"),
	    unit_path("cold/ev/tenant_id=acme")), 0);
	ck_assert_int_eq(rta_cold_part_path(buf, sizeof(buf), "ev", "acme",
	    4, day, &err), RTA_OK);
	ck_assert_int_eq(rta_cold_stage(&c, stage, sizeof(stage), &err),
	    RTA_OK);
	snprintf(path, sizeof(path), "%s/part-00000.parquet", stage);
	put(path, "ours");
	ck_assert_int_eq(rta_cold_publish(&c, stage, buf, &err), RTA_EINVAL);
	ck_assert_str_eq(err.reason, "unsafe-cold");
	ck_assert_int_eq(rta_cold_remove(&c, buf, &err), RTA_EINVAL);
	/* the files outside are as they were */
	ck_assert_int_eq(stat(unit_path("outside/year=2026/month=11/day=26/"
	    "part-00000.parquet"), &st), 0);
	ck_assert_int_eq(st.st_size, 6);
	rta_cold_close(&c);
}
END_TEST

/* ---- rta_cold_walk ------------------------------------------------------ */

/* What a walk reported, a line each: "file REL" or "WHY REL". */
struct seen {
	struct rta_buf	 b;
	int		 files, stop;	/* file fails at the stop-th */
};

static int
seen_file(void *arg, const struct rta_cold_entry *e)
{
	struct seen *s = arg;

	ck_assert_ptr_nonnull(e->tenant);
	ck_assert_str_eq(e->name, strrchr(e->rel, '/') + 1);
	ck_assert_int_eq(strncmp(e->rel, e->dataset, strlen(e->dataset)), 0);
	rta_buf_printf(&s->b, "file %s%s\n", e->rel, e->st == NULL ? "" :
	    S_ISREG(e->st->st_mode) ? " (regular)" : " (odd)");
	return ++s->files == s->stop ? RTA_EIO : RTA_OK;
}

static void
seen_skip(void *arg, const struct rta_cold_entry *e, enum rta_cold_skip why)
{
	static const char *const whys[] = { "?", "not-dir", "not-part",
	    "not-file", "pruned" };
	struct seen *s = arg;

	rta_buf_printf(&s->b, "%s %s\n", whys[why], e->rel);
}

static int
walk_str(struct seen *s, const char *dataset, const char *tenant,
    int64_t from, int64_t to, int flags, struct rta_error *err)
{
	struct rta_cold_walk w;
	int fd, rc;

	memset(&w, 0, sizeof(w));
	w.dataset = dataset;
	w.tenant = tenant;
	w.tlen = tenant != NULL ? strlen(tenant) : 0;
	w.from = from;
	w.to = to;
	w.flags = flags;
	w.file = seen_file;
	w.skip = seen_skip;
	w.arg = s;
	rta_buf_reset(&s->b);
	s->files = 0;
	fd = open(unit_path("cold"), O_RDONLY | O_DIRECTORY);
	ck_assert_int_ge(fd, 0);
	rc = rta_cold_walk(fd, "cold", &w, err);
	close(fd);
	rta_buf_addc(&s->b, '\0');
	return rc;
}

/* mkdir -p rel, inside the test's directory. */
static void
mkdirs(const char *rel)
{
	char path[UNIT_PATH_MAX], *p;

	snprintf(path, sizeof(path), "%s", rel);
	for (p = path; (p = strchr(p, '/')) != NULL; *p++ = '/') {
		*p = '\0';
		ck_assert(mkdir(unit_path(path), 0777) == 0 || errno == EEXIST);
	}
	ck_assert(mkdir(unit_path(path), 0777) == 0 || errno == EEXIST);
}

/* The file ev/TENANT_DIR/YMD/FILE in the store, and its directories. */
static void
part(const char *tenant_dir, const char *ymd, const char *file)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "cold/ev/%s/%s", tenant_dir, ymd);
	mkdirs(rel);
	snprintf(rel, sizeof(rel), "ev/%s/%s/%s", tenant_dir, ymd, file);
	put(rel, "x");
}

/*
 * A store with what export writes and what it never would: a stray
 * file in a partition, a partition name not in canonical form, a file
 * where a directory belongs, and symbolic links to partitions outside.
 */
static void
odd_store(void)
{
	part("tenant_id=good", "year=2026/month=1/day=1", "part-00000.parquet");
	part("tenant_id=good", "year=2026/month=1/day=1", "part-00001.parquet");
	part("tenant_id=good", "year=2026/month=1/day=2", "part-00000.parquet");
	part("tenant_id=stray", "year=2026/month=1/day=1",
	    "part-00000.parquet");
	put("ev/tenant_id=stray/year=2026/month=1/day=1/README", "notes");
	part("tenant_id=zeros", "year=2026/month=01/day=1",
	    "part-00000.parquet");
	part("tenant_id=%61", "year=2026/month=1/day=1", "x.parquet");
	put("ev/tenant_id=good/year=2026/file", "x");
	mkdirs("outside/year=2026/month=1/day=1");
	unit_write_str("outside/year=2026/month=1/day=1/part-00000.parquet",
	    "theirs");
	ck_assert_int_eq(symlink(unit_path("outside"),
	    unit_path("cold/ev/tenant_id=linked")), 0);
	ck_assert_int_eq(symlink(unit_path("outside/year=2026/month=1/day=1/"
	    "part-00000.parquet"), unit_path("cold/ev/tenant_id=good/"
	    "year=2026/month=1/day=2/part-00009.parquet")), 0);
	ck_assert_int_eq(symlink(unit_path("cold/ev"),
	    unit_path("cold/evlink")), 0);
	put(".rta-lock", "");
	mkdirs("cold/lost+found/tenant_id=x/year=2026/month=1/day=1");
	mkdirs("cold/.rta-staging/1.0");
}

/*
 * Strict: only canonical partitions holding only regular part files;
 * every odd entry reported once, in name order, with its partition left
 * alone as a whole; links never followed (to a tenant directory, a file
 * or a dataset); what is not a dataset directory passed by quietly.
 */
START_TEST(walk_strict)
{
	struct seen s = { RTA_BUF_INIT, 0, 0 };
	struct rta_error err;

	odd_store();
	ck_assert_int_eq(walk_str(&s, NULL, NULL, INT64_MIN, INT64_MAX,
	    RTA_COLD_STRICT, &err), RTA_OK);
	ck_assert_str_eq((char *)s.b.data,
	    "not-part ev/tenant_id=%61/year=2026/month=1/day=1\n"
	    "not-dir ev/tenant_id=good/year=2026/file\n"
	    "file ev/tenant_id=good/year=2026/month=1/day=1/"
	    "part-00000.parquet (regular)\n"
	    "file ev/tenant_id=good/year=2026/month=1/day=1/"
	    "part-00001.parquet (regular)\n"
	    "not-file ev/tenant_id=good/year=2026/month=1/day=2/"
	    "part-00009.parquet\n"
	    "not-dir ev/tenant_id=linked\n"
	    "not-file ev/tenant_id=stray/year=2026/month=1/day=1/README\n"
	    "not-part ev/tenant_id=zeros/year=2026/month=01/day=1\n");
	rta_buf_release(&s.b);
}
END_TEST

/*
 * Lenient, as readers walk: any partition that parses, and in it every
 * *.parquet entry, whatever it is (the reader opens it with O_NOFOLLOW);
 * the rest of a partition is still read.
 */
START_TEST(walk_lenient)
{
	struct seen s = { RTA_BUF_INIT, 0, 0 };
	struct rta_error err;

	odd_store();
	ck_assert_int_eq(walk_str(&s, "ev", NULL, INT64_MIN, INT64_MAX, 0,
	    &err), RTA_OK);
	ck_assert_str_eq((char *)s.b.data,
	    "file ev/tenant_id=%61/year=2026/month=1/day=1/x.parquet\n"
	    "not-dir ev/tenant_id=good/year=2026/file\n"
	    "file ev/tenant_id=good/year=2026/month=1/day=1/"
	    "part-00000.parquet\n"
	    "file ev/tenant_id=good/year=2026/month=1/day=1/"
	    "part-00001.parquet\n"
	    "file ev/tenant_id=good/year=2026/month=1/day=2/"
	    "part-00000.parquet\n"
	    "file ev/tenant_id=good/year=2026/month=1/day=2/"
	    "part-00009.parquet\n"
	    "not-dir ev/tenant_id=linked\n"
	    "not-file ev/tenant_id=stray/year=2026/month=1/day=1/README\n"
	    "file ev/tenant_id=stray/year=2026/month=1/day=1/"
	    "part-00000.parquet\n"
	    "not-part ev/tenant_id=zeros/year=2026/month=01/day=1\n");
	/* A file callback's failure ends the walk. */
	s.stop = 2;
	ck_assert_int_eq(walk_str(&s, "ev", NULL, INT64_MIN, INT64_MAX, 0,
	    &err), RTA_EIO);
	ck_assert_int_eq(s.files, 2);
	s.stop = 0;
	/* No dataset, or a link where it would be. */
	ck_assert_int_eq(walk_str(&s, "nosuch", NULL, INT64_MIN, INT64_MAX,
	    0, &err), RTA_EOF);
	ck_assert_str_eq(err.reason, "cold-missing");
	ck_assert_str_eq(err.text, "cold: no dataset 'nosuch'");
	ck_assert_int_eq(walk_str(&s, "evlink", NULL, INT64_MIN, INT64_MAX,
	    0, &err), RTA_EOF);
	ck_assert_str_eq((char *)s.b.data, "");
	rta_buf_release(&s.b);
}
END_TEST

/*
 * Partitions of other tenants and days are reported pruned and never
 * opened: nothing in them is looked at.
 */
START_TEST(walk_pruning)
{
	int64_t d1 = rta_days_from_civil(2026, 1, 1);
	struct seen s = { RTA_BUF_INIT, 0, 0 };
	struct rta_error err;
	char **files;
	uint64_t skipped;
	size_t n;

	odd_store();
	ck_assert_int_eq(walk_str(&s, "ev", "good", d1, d1 + 1,
	    RTA_COLD_STRICT, &err), RTA_OK);
	ck_assert_str_eq((char *)s.b.data,
	    "not-part ev/tenant_id=%61/year=2026/month=1/day=1\n"
	    "not-dir ev/tenant_id=good/year=2026/file\n"
	    "file ev/tenant_id=good/year=2026/month=1/day=1/"
	    "part-00000.parquet (regular)\n"
	    "file ev/tenant_id=good/year=2026/month=1/day=1/"
	    "part-00001.parquet (regular)\n"
	    "pruned ev/tenant_id=good/year=2026/month=1/day=2\n"
	    "not-dir ev/tenant_id=linked\n"
	    "pruned ev/tenant_id=stray/year=2026/month=1/day=1\n"
	    "not-part ev/tenant_id=zeros/year=2026/month=01/day=1\n");
	/* A tenant id is decoded before it is compared. */
	ck_assert_int_eq(walk_str(&s, "ev", "a", INT64_MIN, INT64_MAX, 0,
	    &err), RTA_OK);
	ck_assert_int_eq(s.files, 1);
	rta_buf_release(&s.b);

	/* rta_cold_files: microseconds, sorted by tenant, day, name. */
	ck_assert_int_eq(rta_cold_files(unit_path("cold"), "ev", "good", 4,
	    d1 * 86400000000LL + 1, (d1 + 1) * 86400000000LL + 1, &files, &n,
	    &skipped, &err), RTA_OK);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(skipped, 2);	/* stray's day, a */
	ck_assert_ptr_nonnull(strstr(files[0], "/day=1/part-00000.parquet"));
	ck_assert_ptr_nonnull(strstr(files[3], "/day=2/part-00009.parquet"));
	rta_cold_files_free(files, n);
	ck_assert_int_eq(rta_cold_files(unit_path("cold"), "ev", NULL, 0,
	    d1 * 86400000000LL, d1 * 86400000000LL + 1, &files, &n,
	    &skipped, &err), RTA_OK);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(skipped, 1);
	ck_assert_ptr_nonnull(strstr(files[0], "tenant_id=%61/"));
	rta_cold_files_free(files, n);
	ck_assert_int_eq(rta_cold_files(unit_path("cold"), "evlink", NULL, 0,
	    INT64_MIN, INT64_MAX, &files, &n, &skipped, &err), RTA_OK);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(rta_cold_files(unit_path("cold"), "nosuch", NULL, 0,
	    INT64_MIN, INT64_MAX, &files, &n, &skipped, &err), RTA_EOF);
}
END_TEST

static Suite *
cold_suite(void)
{
	Suite *s = suite_create("rta_cold");
	TCase *tc = tcase_create("cold");

	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, pct_round_trip);
	tcase_add_test(tc, part_paths);
	tcase_add_test(tc, publish_replaces);
	tcase_add_test(tc, no_symlinks);
	tcase_add_test(tc, walk_strict);
	tcase_add_test(tc, walk_lenient);
	tcase_add_test(tc, walk_pruning);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(cold_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
