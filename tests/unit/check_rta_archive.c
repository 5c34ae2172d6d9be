/*
 * check_rta_archive.c: archives of cold-store partitions.  The manifest
 * parser is the boundary restore rests on, so most of this is its
 * strictness: every line shape that is not exactly the one written is
 * refused with its line number, sizes and lengths are bounded, and a
 * path is accepted only as a partition file in canonical form.  Then
 * an archive made and read back, and restored into another store.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rta_archive.h"
#include "rta_buf.h"
#include "rta_time.h"
#include "unit.h"

#define H0 "0000000000000000000000000000000000000000000000000000000000000000"
#define H1 "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define PA "ev/tenant_id=acme/year=2026/month=1/day=1/"
#define PB "ev/tenant_id=acme/year=2026/month=1/day=2/"

static int
parse(struct rta_archive_manifest *m, const char *text,
    struct rta_error *err)
{
	return rta_archive_manifest_parse(m, text, strlen(text), err);
}

START_TEST(manifest_good)
{
	struct rta_archive_manifest m;
	struct rta_error err;
	const char *text = "rta-archive 1\n"
	    H1 " 10 " PA "part-00000.parquet\n"
	    H0 " 0 " PA "part-00001.parquet\n"
	    H0 " 9223372036854775797 " PB "part-x_Y-9.parquet\n";

	ck_assert_int_eq(parse(&m, text, &err), RTA_OK);
	ck_assert_uint_eq(m.n, 3);
	ck_assert_uint_eq(m.nparts, 2);
	ck_assert_str_eq(m.v[0].path, PA "part-00000.parquet");
	ck_assert_uint_eq(m.v[0].size, 10);
	ck_assert_uint_eq(m.v[0].sha256[0], 0x00);
	ck_assert_uint_eq(m.v[0].sha256[1], 0x11);
	ck_assert_uint_eq(m.v[0].sha256[31], 0xff);
	ck_assert_uint_eq(m.v[2].size, 9223372036854775797ULL);
	ck_assert_uint_eq(m.v[0].part, 0);
	ck_assert_uint_eq(m.v[1].part, 0);
	ck_assert_uint_eq(m.v[2].part, 1);
	ck_assert_str_eq(m.parts[0].path,
	    "ev/tenant_id=acme/year=2026/month=1/day=1");
	ck_assert_uint_eq(m.parts[0].files, 2);
	ck_assert_uint_eq(m.parts[0].bytes, 10);
	ck_assert_int_eq(rta_archive_manifest_find(&m,
	    PB "part-x_Y-9.parquet"), 2);
	ck_assert_int_eq(rta_archive_manifest_find(&m,
	    PA "part-00000.parquet"), 0);
	ck_assert_int_eq(rta_archive_manifest_find(&m, PA "part-2.parquet"),
	    -1);
	rta_archive_manifest_release(&m);
	ck_assert_ptr_null(m.v);
	ck_assert_uint_eq(m.n, 0);
	/* The header alone: an archive of nothing. */
	ck_assert_int_eq(parse(&m, "rta-archive 1\n", &err), RTA_OK);
	ck_assert_uint_eq(m.n, 0);
	rta_archive_manifest_release(&m);
}
END_TEST

START_TEST(manifest_strict)
{
	static const struct {
		const char	*text, *want;
	} bad[] = {
		{ "", "bad manifest: line 1: not 'rta-archive 1'" },
		{ "rta-archive 1", "bad manifest: line 1: not 'rta-archive 1'" },
		{ "rta-archive 2\n", "bad manifest: line 1: not 'rta-archive "
		    "1'" },
		{ "RTA-ARCHIVE 1\n", "bad manifest: line 1: not 'rta-archive "
		    "1'" },
		{ "rta-archive 1\r\n", "bad manifest: line 1: not "
		    "'rta-archive 1'" },
		{ "rta-archive 1\n\n", "bad manifest: line 2: bad checksum "
		    "(64 lower-case hex digits)" },
		{ "rta-archive 1\n" H1 " 1 " PA "part-0.parquet",
		    "bad manifest: line 2: no newline at its end" },
		{ "rta-archive 1\n" "00112233445566778899AABBCCDDEEFF00112233"
		    "445566778899aabbccddeeff 1 " PA "part-0.parquet\n",
		    "bad manifest: line 2: bad checksum (64 lower-case hex "
		    "digits)" },
		{ "rta-archive 1\n" H1 "0 1 " PA "part-0.parquet\n",
		    "bad manifest: line 2: bad checksum (64 lower-case hex "
		    "digits)" },
		{ "rta-archive 1\n" H1 "  1 " PA "part-0.parquet\n",
		    "bad manifest: line 2: bad size (a decimal number)" },
		{ "rta-archive 1\n" H1 " 01 " PA "part-0.parquet\n",
		    "bad manifest: line 2: bad size (a decimal number)" },
		{ "rta-archive 1\n" H1 " +1 " PA "part-0.parquet\n",
		    "bad manifest: line 2: bad size (a decimal number)" },
		{ "rta-archive 1\n" H1 " -1 " PA "part-0.parquet\n",
		    "bad manifest: line 2: bad size (a decimal number)" },
		{ "rta-archive 1\n" H1 " 0x10 " PA "part-0.parquet\n",
		    "bad manifest: line 2: bad size (a decimal number)" },
		{ "rta-archive 1\n" H1 " 9223372036854775808 " PA
		    "part-0.parquet\n",
		    "bad manifest: line 2: bad size (a decimal number)" },
		{ "rta-archive 1\n" H1 " 99999999999999999999999 " PA
		    "part-0.parquet\n",
		    "bad manifest: line 2: bad size (a decimal number)" },
		{ "rta-archive 1\n" H1 " 1\t" PA "part-0.parquet\n",
		    "bad manifest: line 2: bad size (a decimal number)" },
		{ "rta-archive 1\n" H1 " 1 " PA "part-0.parquet \n",
		    "bad manifest: line 2: not a partition file "
		    "'ev/tenant_id=acme/year=2026/month=1/day=1/part-0.parquet "
		    "'" },
		{ "rta-archive 1\n" H1 " 1 " PA "part-0.parquet\r\n",
		    "bad manifest: line 2: not a partition file "
		    "'ev/tenant_id=acme/year=2026/month=1/day=1/part-0.parquet"
		    "\\x0d'" },
		{ "rta-archive 1\n" H1 " 1 " PA
		    "part-00000000000000000000.txt\n",
		    "bad manifest: line 2: not a partition file "
		    "'ev/tenant_id=acme/year=2026/month=1/day=1/part-"
		    "0000000000000...'" },
		{ "rta-archive 1\n" H1 " 1 /etc/passwd\n",
		    "bad manifest: line 2: not a partition file '/etc/passwd'" },
		{ "rta-archive 1\n" H1 " 1 ../x\n",
		    "bad manifest: line 2: not a partition file '../x'" },
		{ "rta-archive 1\n" H1 " 1 \n",
		    "bad manifest: line 2: not a partition file ''" },
		{ "rta-archive 1\n" H1 " 1 " PA "part-1.parquet\n"
		    H1 " 1 " PA "part-0.parquet\n",
		    "bad manifest: line 3: paths out of order" },
		{ "rta-archive 1\n" H1 " 1 " PA "part-0.parquet\n"
		    H1 " 1 " PA "part-0.parquet\n",
		    "bad manifest: line 3: a path listed twice" },
		{ "rta-archive 1\n" H1 " 9223372036854775807 " PA
		    "part-0.parquet\n" H1 " 1 " PA "part-1.parquet\n",
		    "bad manifest: line 3: sizes add up to more than 2^63 "
		    "bytes" },
	};
	struct rta_archive_manifest m;
	struct rta_error err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(parse(&m, bad[i].text, &err) == RTA_EDATA,
		    "case %zu accepted", i);
		ck_assert_str_eq(err.reason, "bad-manifest");
		ck_assert_msg(strcmp(err.text, bad[i].want) == 0,
		    "case %zu: %s", i, err.text);
		rta_archive_manifest_release(&m);
	}
	/* NUL bytes, wherever they are. */
	ck_assert_int_eq(rta_archive_manifest_parse(&m, "rta-archive 1\n\0",
	    15, &err), RTA_EDATA);
	ck_assert_str_eq(err.text, "bad manifest: a NUL byte");
	rta_archive_manifest_release(&m);
}
END_TEST

START_TEST(manifest_bounds)
{
	struct rta_archive_manifest m;
	struct rta_error err;
	struct rta_buf b = RTA_BUF_INIT;
	size_t i;

	/* Longer than the bound: refused before it is looked at. */
	ck_assert_int_eq(rta_archive_manifest_parse(&m, "",
	    (size_t)RTA_ARCHIVE_MANIFEST_MAX + 1, &err), RTA_EDATA);
	ck_assert_str_eq(err.text, "bad manifest: longer than 16777216 bytes");
	rta_archive_manifest_release(&m);
	/* Many lines within it: fine, and found by binary search. */
	rta_buf_adds(&b, "rta-archive 1\n");
	for (i = 0; i < 20000; i++)
		rta_buf_printf(&b, H0 " %zu " PA "part-%06zu.parquet\n", i, i);
	ck_assert_int_eq(rta_archive_manifest_parse(&m, (const char *)b.data,
	    b.len, &err), RTA_OK);
	ck_assert_uint_eq(m.n, 20000);
	ck_assert_uint_eq(m.nparts, 1);
	ck_assert_int_eq(rta_archive_manifest_find(&m,
	    PA "part-012345.parquet"), 12345);
	rta_archive_manifest_release(&m);
	rta_buf_release(&b);
}
END_TEST

START_TEST(paths)
{
	static const char *const good[] = {
		PA "part-0.parquet",
		"a/tenant_id=a%2Fb/year=2026/month=12/day=31/part-00000.parquet",
		"m_1-x/tenant_id=A.b-c_d/year=1970/month=1/day=1/part-Z.parquet",
	};
	static const char *const bad[] = {
		"", "MANIFEST", "/" PA "part-0.parquet", PA "part-0.parquet/",
		PA "../part-0.parquet", PA "./part-0.parquet",
		PA "part-.parquet", PA "part-0.parquet.sh", PA "part-a.b.parquet",
		PA "Part-0.parquet", PA "part-0.PARQUET", PA "x/part-0.parquet",
		PA, "ev/tenant_id=acme/year=2026/month=1/day=1",
		"ev/tenant_id=acme/year=2026/month=01/day=1/part-0.parquet",
		"ev/tenant_id=acme/year=02026/month=1/day=1/part-0.parquet",
		"ev/tenant_id=acme/year=2026/month=2/day=30/part-0.parquet",
		"ev/tenant_id=acme/year=2026/month=13/day=1/part-0.parquet",
		"ev/tenant_id=a%2fb/year=2026/month=1/day=1/part-0.parquet",
		"ev/tenant_id=a%41/year=2026/month=1/day=1/part-0.parquet",
		"ev/tenant_id=/year=2026/month=1/day=1/part-0.parquet",
		"Ev/tenant_id=a/year=2026/month=1/day=1/part-0.parquet",
		"../tenant_id=a/year=2026/month=1/day=1/part-0.parquet",
		"./ev/tenant_id=a/year=2026/month=1/day=1/part-0.parquet",
		"ev//tenant_id=a/year=2026/month=1/day=1/part-0.parquet",
		"lock/tenant_id=a/year=2026/month=1/day=1/part-0.parquet",
		"ev/tenant=a/year=2026/month=1/day=1/part-0.parquet",
	};
	size_t i, n;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(rta_archive_path_valid(good[i], &n) == 1, "%s",
		    good[i]);
	ck_assert_int_eq(rta_archive_path_valid(PA "part-0.parquet", &n), 1);
	ck_assert_uint_eq(n, strlen(PA) - 1);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(rta_archive_path_valid(bad[i], NULL) == 0, "%s",
		    bad[i]);

	ck_assert_str_eq(rta_archive_filter("a.tar.zst"), "zstd");
	ck_assert_str_eq(rta_archive_filter("/x/a.tar.gz"), "gzip");
	ck_assert_str_eq(rta_archive_filter("a.tar.xz"), "xz");
	ck_assert_str_eq(rta_archive_filter("a.tar"), "none");
	ck_assert_ptr_null(rta_archive_filter(".tar"));
	ck_assert_ptr_null(rta_archive_filter("d/.tar.zst"));
	ck_assert_ptr_null(rta_archive_filter("a.zst"));
	ck_assert_ptr_null(rta_archive_filter("a.tar.bz2"));
	ck_assert_ptr_null(rta_archive_filter("a.tgz"));
}
END_TEST

static void
mkdirs(const char *rel)
{
	char buf[UNIT_PATH_MAX], *p;

	snprintf(buf, sizeof(buf), "%s", rel);
	for (p = strchr(buf, '/'); p != NULL; p = strchr(p + 1, '/')) {
		*p = '\0';
		ck_assert(mkdir(unit_path(buf), 0777) == 0 || errno == EEXIST);
		*p = '/';
	}
}

static void
put(const char *rel, const char *text)
{
	mkdirs(rel);
	unit_write_str(rel, text);
}

static void
is(const char *rel, const char *want)
{
	struct rta_buf b = RTA_BUF_INIT;

	unit_read(unit_path(rel), &b);
	ck_assert_str_eq((const char *)b.data, want);
	rta_buf_release(&b);
}

START_TEST(round_trip)
{
	struct rta_archive_result r;
	struct rta_archive_opts o;
	struct rta_error err;
	struct rta_cold c;
	struct stat st;
	char file[UNIT_PATH_MAX];

	put("a/ev/tenant_id=t/year=2026/month=1/day=1/part-0.parquet", "one");
	put("a/ev/tenant_id=t/year=2026/month=1/day=1/part-1.parquet", "1b");
	put("a/ev/tenant_id=t/year=2026/month=1/day=9/part-0.parquet", "new");
	snprintf(file, sizeof(file), "%s", unit_path("x.tar.zst"));
	memset(&o, 0, sizeof(o));
	o.before = rta_days_from_civil(2026, 1, 9);
	o.remove = 1;
	ck_assert_int_eq(rta_cold_open(&c, unit_path("a"), 0, &err), RTA_OK);
	ck_assert_int_eq(rta_archive_create(&c, file, &o, &r, &err), RTA_OK);
	ck_assert_uint_eq(r.partitions, 1);
	ck_assert_uint_eq(r.files, 2);
	ck_assert_uint_eq(r.bytes, 5);
	ck_assert_uint_eq(r.removed, 1);
	ck_assert_uint_eq(r.skipped, 0);
	ck_assert_int_ne(stat(unit_path("a/ev/tenant_id=t/year=2026/month=1/"
	    "day=1"), &st), 0);
	is("a/ev/tenant_id=t/year=2026/month=1/day=9/part-0.parquet", "new");
	/* Never over an existing archive; nothing left: EOF. */
	ck_assert_int_eq(rta_archive_create(&c, file, &o, &r, &err),
	    RTA_EINVAL);
	ck_assert_int_eq(rta_archive_create(&c, unit_path("y.tar"), &o, &r,
	    &err), RTA_EOF);
	rta_cold_close(&c);

	ck_assert_int_eq(rta_archive_verify(file, &r, &err), RTA_OK);
	ck_assert_uint_eq(r.files, 2);
	ck_assert_uint_eq(r.read, 2);
	ck_assert_int_eq(rta_cold_open(&c, unit_path("b"), 1, &err), RTA_OK);
	memset(&o, 0, sizeof(o));
	ck_assert_int_eq(rta_archive_restore(&c, file, &o, &r, &err), RTA_OK);
	ck_assert_uint_eq(r.partitions, 1);
	ck_assert_uint_eq(r.files, 2);
	rta_cold_close(&c);
	is("b/ev/tenant_id=t/year=2026/month=1/day=1/part-0.parquet", "one");
	is("b/ev/tenant_id=t/year=2026/month=1/day=1/part-1.parquet", "1b");
	ck_assert_int_ne(stat(unit_path("b/.rta-staging"), &st), 0);

	/* Not an archive at all. */
	unit_write_str("junk.tar", "junk");
	ck_assert_int_eq(rta_archive_verify(unit_path("junk.tar"), &r, &err),
	    RTA_EDATA);
	ck_assert_str_eq(err.reason, "damaged");
	ck_assert_int_eq(rta_archive_verify(unit_path("none.tar"), &r, &err),
	    RTA_EIO);
	ck_assert_str_eq(err.reason, "archive-io");
}
END_TEST

static Suite *
archive_suite(void)
{
	Suite *s = suite_create("rta_archive");
	TCase *tc = tcase_create("manifest");
	TCase *tf = tcase_create("files");

	tcase_add_test(tc, manifest_good);
	tcase_add_test(tc, manifest_strict);
	tcase_add_test(tc, manifest_bounds);
	tcase_add_test(tc, paths);
	suite_add_tcase(s, tc);
	tcase_add_unchecked_fixture(tf, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tf, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tf, round_trip);
	suite_add_tcase(s, tf);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(archive_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
