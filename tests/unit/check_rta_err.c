/*
 * check_rta_err.c: error records and the quoting of untrusted bytes.
 * rta_quote is what keeps a hostile record from forging log lines or
 * driving a terminal, so every byte class is checked: printable ASCII
 * passes, valid UTF-8 passes whole, control bytes and invalid UTF-8 become
 * \xNN, and long values are cut with "..." without splitting a sequence.
 */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "rta_err.h"

START_TEST(set_and_clear)
{
	struct rta_error err;
	int rc;

	rc = rta_error_set(&err, RTA_EDATA, "bad-json", "at byte %d", 7);
	ck_assert_int_eq(rc, RTA_EDATA);
	ck_assert_int_eq(err.code, RTA_EDATA);
	ck_assert_str_eq(err.reason, "bad-json");
	ck_assert_str_eq(err.text, "at byte 7");
	rta_error_clear(&err);
	ck_assert_int_eq(err.code, RTA_OK);
	ck_assert_ptr_null(err.reason);
	ck_assert_str_eq(err.text, "");
	/* a NULL error is allowed and the code still comes back */
	ck_assert_int_eq(rta_error_set(NULL, RTA_EIO, "io", "x"), RTA_EIO);
	rta_error_clear(NULL);
}
END_TEST

START_TEST(text_is_cut_not_overrun)
{
	struct rta_error err;
	char big[1000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memset(&err, 0x55, sizeof(err));
	rta_error_set(&err, RTA_EDATA, "r", "%s", big);
	ck_assert_uint_eq(strlen(err.text), sizeof(err.text) - 1);
}
END_TEST

START_TEST(errno_grades)
{
	struct rta_error err;

	errno = ENOENT;
	ck_assert_int_eq(rta_error_errno(&err, "x.ndjson"), RTA_EIO);
	ck_assert_str_eq(err.text, "x.ndjson: No such file or directory");
	errno = ENOMEM;
	ck_assert_int_eq(rta_error_errno(&err, "buf"), RTA_ENOMEM);
	ck_assert_str_eq(err.reason, "no-memory");
}
END_TEST

static const char *
quote(const void *s, size_t len, size_t max)
{
	static char out[256];

	rta_quote(out, sizeof(out), s, len, max);
	return out;
}

START_TEST(quote_classes)
{
	ck_assert_str_eq(quote("plain text", 10, 60), "plain text");
	ck_assert_str_eq(quote("caf\xc3\xa9", 5, 60), "caf\xc3\xa9");
	ck_assert_str_eq(quote("\x1b[2J", 4, 60), "\\x1b[2J");
	ck_assert_str_eq(quote("a\r\nb", 4, 60), "a\\x0d\\x0ab");
	ck_assert_str_eq(quote("x\x7fy", 3, 60), "x\\x7fy");
	ck_assert_str_eq(quote("n\0ul", 4, 60), "n\\x00ul");
	/* invalid UTF-8: a lone continuation, an overlong, a surrogate */
	ck_assert_str_eq(quote("\x80", 1, 60), "\\x80");
	ck_assert_str_eq(quote("\xc0\xaf", 2, 60), "\\xc0\\xaf");
	ck_assert_str_eq(quote("\xed\xa0\x80", 3, 60), "\\xed\\xa0\\x80");
}
END_TEST

START_TEST(quote_cut)
{
	char long_s[200];

	memset(long_s, 'z', sizeof(long_s));
	ck_assert_str_eq(quote(long_s, sizeof(long_s), 5), "zzzzz...");
	/* a cut never splits a UTF-8 sequence: the limit is in input bytes */
	ck_assert_str_eq(quote("ab\xc3\xa9" "cd", 6, 3), "ab\xc3\xa9...");
	ck_assert_str_eq(quote("", 0, 5), "");
}
END_TEST

START_TEST(quote_small_outputs)
{
	char out[8];
	size_t n;

	/* whatever the input, the output is NUL-terminated and in bounds */
	for (n = 1; n <= sizeof(out); n++) {
		memset(out, 'X', sizeof(out));
		rta_quote(out, n, "\x01\x02\x03\x04 abcdef", 11, 60);
		ck_assert(memchr(out, '\0', n) != NULL);
	}
	rta_quote(out, 0, "abc", 3, 60);	/* nothing written, no crash */
}
END_TEST

static Suite *
err_suite(void)
{
	Suite *s = suite_create("rta_err");
	TCase *tc = tcase_create("error");

	tcase_add_test(tc, set_and_clear);
	tcase_add_test(tc, text_is_cut_not_overrun);
	tcase_add_test(tc, errno_grades);
	suite_add_tcase(s, tc);
	tc = tcase_create("quote");
	tcase_add_test(tc, quote_classes);
	tcase_add_test(tc, quote_cut);
	tcase_add_test(tc, quote_small_outputs);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(err_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
