/*
 * check_rta_regex.c: ECMAScript patterns, by hand and against V8.
 *
 * The tables below pin the syntax (accepted, rejected with the offset of
 * the construct at fault), the features rta leaves out, the limits and
 * the meaning of each construct.  Every search here runs three times, on
 * a regex with the default DFA cache, one with no cache (the NFA
 * simulation) and one with a 4096-byte cache that must be flushed again
 * and again, and the three answers must agree.
 *
 * The oracle test runs "node regex_oracle.js" (beside this file; found
 * through $RTA_TEST_DATA/..) which writes about 4,000 seeded random
 * patterns with subjects and V8's answers; rta must give the same ones.
 * It needs Node.js: without it the test fails and says so.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_alloc.h"
#include "rta_err.h"
#include "rta_regex.h"
#include "unit.h"

#define TINY_CACHE	4096
#define ORACLE_MIN	4000	/* patterns the oracle must write */

/* ------------------------------------------------------------ helpers */

/* splitmix64 */
static uint64_t
rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A printable excerpt for failure messages; two can be alive at once. */
static const char *
show(const void *s, size_t len)
{
	static char out[2][300];
	static int k;

	k = !k;
	rta_quote(out[k], sizeof(out[k]), s, len, 100);
	return out[k];
}

/* The same pattern three times: default cache, none, a tiny one. */
struct trio {
	struct rta_regex	*re[3];
};

static int
trio_compile(struct trio *t, const char *pat, size_t len,
    struct rta_error *err)
{
	int rc, i;

	memset(t, 0, sizeof(*t));
	if ((rc = rta_regex_compile(&t->re[0], pat, len, err)) != RTA_OK)
		return rc;
	for (i = 1; i < 3; i++) {
		ck_assert_int_eq(rta_regex_compile(&t->re[i], pat, len, NULL),
		    RTA_OK);
		rta_regex_set_cache(t->re[i], i == 1 ? 0 : TINY_CACHE);
	}
	return RTA_OK;
}

/* The answer, which must not depend on the cache. */
static int
trio_search(struct trio *t, const char *s, size_t len)
{
	int a = rta_regex_search(t->re[0], s, len);
	int b = rta_regex_search(t->re[1], s, len);
	int c = rta_regex_search(t->re[2], s, len);

	ck_assert_msg(a == 0 || a == 1, "search returned %d", a);
	ck_assert_msg(a == b && a == c, "cache changes the answer on '%s': "
	    "default %d, none %d, tiny %d", show(s, len), a, b, c);
	return a;
}

static void
trio_free(struct trio *t)
{
	int i;

	for (i = 0; i < 3; i++)
		rta_regex_free(t->re[i]);
}

/* pat (of length plen) searched in s (of length slen). */
static int
match_n(const char *pat, size_t plen, const char *s, size_t slen)
{
	struct rta_error err;
	struct trio t;
	int rc, m;

	memset(&err, 0, sizeof(err));
	rc = trio_compile(&t, pat, plen, &err);
	ck_assert_msg(rc == RTA_OK, "'%s' does not compile: %s (%s at %zu)",
	    show(pat, plen), err.text, err.reason, err.offset);
	m = trio_search(&t, s, slen);
	trio_free(&t);
	return m;
}

static int
match(const char *pat, const char *s)
{
	return match_n(pat, strlen(pat), s, strlen(s));
}

/* Compile pat, which must fail with code, reason and offset. */
static void
expect_error(const char *pat, size_t len, int code, const char *reason,
    size_t offset, const char *text)
{
	struct rta_regex *re = (struct rta_regex *)&re;
	struct rta_error err;
	int rc;

	memset(&err, 0, sizeof(err));
	rc = rta_regex_compile(&re, pat, len, &err);
	ck_assert_msg(rc == code, "'%s': code %d, want %d (%s: %s)",
	    show(pat, len), rc, code, err.reason ? err.reason : "-",
	    err.text);
	ck_assert_msg(re == (struct rta_regex *)&re, "'%s': *re changed "
	    "on failure", show(pat, len));
	ck_assert_msg(err.code == code && err.reason != NULL &&
	    strcmp(err.reason, reason) == 0, "'%s': reason %s, want %s",
	    show(pat, len), err.reason ? err.reason : "(null)", reason);
	ck_assert_msg(err.offset == offset, "'%s': offset %zu, want %zu "
	    "(%s)", show(pat, len), err.offset, offset, err.text);
	ck_assert_msg(err.text[0] != '\0' && strchr(err.text, '\n') == NULL,
	    "'%s': text '%s'", show(pat, len), err.text);
	if (text != NULL)
		ck_assert_msg(strstr(err.text, text) != NULL, "'%s': text "
		    "'%s' does not say '%s'", show(pat, len), err.text, text);
}

/* ------------------------------------------------------------- syntax */

static const char *const accepted[] = {
	"", "|", "||", "a|", "|a", "()", "(?:)", "(())", "[]", "[^]",
	"^", "$", "^$", "$^", "\\b", "\\B", "a*", "a+", "a?", "a*?", "a+?",
	"a??", "a{0}", "a{2}", "a{2,}", "a{2,3}", "a{2,3}?", "a{3,3}",
	"a{007}", "(?:ab)*", "(a)(b)", "(?<name>a)", "(?<$>a)",
	"(?<_1>a)", "(?<\\u0061b>x)", "(?<\\u{62}>x)",
	"(?<\xc3\xa9t\xc3\xa9>x)",
	"(?<\xf0\x9d\x92\xb3>x)", "(?<a\xe2\x80\x8d>x)", "(?<a>x)(?<b>y)",
	"[a-z]", "[-a]", "[a-]", "[-]", "[a-b-c]", "[\\w-]", "[-\\w]",
	"[\\-]", "[\\b]", "[\\]]", "[[]", "[\\^]", "[^^]", "[\\d\\D]",
	"[\\u{1F600}-\\u{1F64F}]", "[\\uD83D\\uDE00]", "\\uD800",
	"\\d\\D\\w\\W\\s\\S", "\\f\\n\\r\\t\\v", "\\cA\\cz", "\\0",
	"\\0a", "\\x00\\xfF", "\\u0000\\uFFFF", "\\u{0}", "\\u{10FFFF}",
	"\\u{000000000041}", "\\^\\$\\\\\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\/",
	"/", "-", ",", ":", "=", "!", "<", ">", "#", "\xe2\x82\xac",
	"\xf0\x9f\x98\x80+",
};

START_TEST(syntax_accepted)
{
	const char *p = accepted[_i];
	struct rta_regex *re = NULL;
	struct rta_error err;

	memset(&err, 0, sizeof(err));
	ck_assert_msg(rta_regex_compile(&re, p, strlen(p), &err) == RTA_OK,
	    "'%s' rejected: %s at %zu", show(p, strlen(p)), err.text,
	    err.offset);
	ck_assert_ptr_nonnull(re);
	rta_regex_free(re);
}
END_TEST

/* With the u flag, no Annex B: lone braces and odd escapes are errors. */
static const struct {
	const char	*pat;
	size_t		 offset;
	const char	*text;
} rejected[] = {
	{ "ab)", 2, "')'" },
	{ ")", 0, "')'" },
	{ "(ab", 0, "unterminated group" },
	{ "a(?:b", 1, "unterminated group" },
	{ "[ab", 0, "unterminated" },
	{ "a[\\]", 1, "unterminated" },
	{ "*a", 0, "nothing to repeat" },
	{ "a|*", 2, "nothing to repeat" },
	{ "a**", 2, "nothing to repeat" },
	{ "a{2}{3}", 4, "nothing to repeat" },
	{ "a?+", 2, "nothing to repeat" },
	{ "{2}", 0, "nothing to repeat" },
	{ "^*", 1, "nothing to repeat" },
	{ "$+", 1, "nothing to repeat" },
	{ "\\b?", 2, "nothing to repeat" },
	{ "x\\B{2}", 3, "nothing to repeat" },
	{ "a{", 1, NULL },
	{ "a{,5}", 1, NULL },
	{ "a{2", 1, NULL },
	{ "a{2,", 1, NULL },
	{ "a{x}", 1, NULL },
	{ "a{2,1}", 1, "out of order" },
	{ "{", 0, NULL },
	{ "a}", 1, NULL },
	{ "]", 0, NULL },
	{ "\\", 0, NULL },
	{ "ab\\", 2, NULL },
	{ "\\a", 0, "\\a" },
	{ "\\e", 0, NULL },
	{ "\\_", 0, NULL },
	{ "\\ ", 0, NULL },
	{ "x\\-", 1, NULL },
	{ "\\\xc3\xa9", 0, NULL },
	{ "\\c", 0, NULL },
	{ "\\c1", 0, NULL },
	{ "[\\c_]", 1, NULL },
	{ "\\00", 0, NULL },
	{ "\\01", 0, NULL },
	{ "[\\1]", 1, NULL },
	{ "\\1", 0, "does not exist" },
	{ "(a)\\2", 3, "does not exist" },
	{ "(a)\\10", 3, "does not exist" },
	{ "\\x1", 0, NULL },
	{ "\\xg0", 0, NULL },
	{ "x\\u12", 1, NULL },
	{ "\\u{}", 0, NULL },
	{ "\\u{110000}", 0, "10FFFF" },
	{ "\\u{FFFFFFFFFFFF}", 0, NULL },
	{ "\\u{12", 0, NULL },
	{ "[b-a]", 1, "out of order" },
	{ "[\\u{1F64F}-\\u{1F600}]", 1, "out of order" },
	{ "[\\w-z]", 1, NULL },
	{ "[a-\\d]", 1, NULL },
	{ "[\\B]", 1, NULL },
	{ "[\\k]", 1, NULL },
	{ "\\k", 0, NULL },
	{ "\\ka", 0, NULL },
	{ "\\k<a>", 0, "names no group" },
	{ "(?<a>x)\\k<b>", 7, "names no group" },
	{ "(?", 0, NULL },
	{ "(?)", 0, NULL },
	{ "(?a)", 0, NULL },
	{ "(?<>x)", 0, "empty group name" },
	{ "(?<1a>x)", 3, NULL },
	{ "(?<a-b>x)", 4, NULL },
	{ "(?<a", 0, NULL },
	{ "(?<a>", 0, "unterminated group" },
	{ "(?<\\x61>x)", 3, NULL },
	{ "(?<a b>x)", 4, NULL },
	{ "(?<a>x)(?<a>y)", 7, "duplicate" },
	{ "(?<a>x)|(?<a>y)", 8, "duplicate" },
	{ "(?<a>x)(?<\\u0061>y)", 7, "duplicate" },
	{ "(?i)", 0, NULL },
	{ "(?-:a)", 0, NULL },
	{ "(?ii:a)", 0, "repeated" },
	{ "(?i-i:a)", 0, "repeated" },
	{ "(?x:a)", 0, NULL },
	{ "(?=a)*", 5, "nothing to repeat" },
	{ "(?!a){2}", 5, "nothing to repeat" },
	{ "(?<=a)?", 6, "nothing to repeat" },
	{ "\\p", 0, NULL },
	{ "\\p{", 0, NULL },
	{ "\\p{L", 0, NULL },
	{ "\\p{}", 0, NULL },
	{ "\\p{=L}", 0, NULL },
	{ "\\p{L=}", 0, NULL },
	{ "[\\p{L}-z]", 1, NULL },
	{ "a\xff", 1, "UTF-8" },
	{ "\xc3", 0, "UTF-8" },
	{ "ab\xed\xa0\x80", 2, "UTF-8" },
};

START_TEST(syntax_rejected)
{
	expect_error(rejected[_i].pat, strlen(rejected[_i].pat), RTA_EDATA,
	    "bad-pattern", rejected[_i].offset, rejected[_i].text);
}
END_TEST

/* A syntax error anywhere wins over an unsupported feature before it. */
START_TEST(syntax_before_unsupported)
{
	expect_error("(?=a)[", 6, RTA_EDATA, "bad-pattern", 5, NULL);
	expect_error("\\1(a)b)", 7, RTA_EDATA, "bad-pattern", 6, NULL);
	expect_error("\\p{L}(?<a>x)(?<a>y)", 19, RTA_EDATA, "bad-pattern",
	    12, "duplicate");
	expect_error("(?i:a)\\k<b>", 11, RTA_EDATA, "bad-pattern", 6, NULL);
}
END_TEST

/* The length is the length: NUL is a literal, and bytes past len unseen. */
START_TEST(syntax_lengths)
{
	struct rta_regex *re = NULL;

	ck_assert_int_eq(rta_regex_compile(&re, "a)", 1, NULL), RTA_OK);
	ck_assert_int_eq(rta_regex_search(re, "xa", 2), 1);
	rta_regex_free(re);
	ck_assert(match_n("a\0b", 3, "xa\0b", 4));
	ck_assert(!match_n("a\0b", 3, "ab", 2));
	ck_assert(!match_n("^a\0b$", 5, "a", 1));
	ck_assert_int_eq(rta_regex_compile(&re, "", 0, NULL), RTA_OK);
	ck_assert_int_eq(rta_regex_search(re, NULL, 0), 1);
	rta_regex_free(re);
	/* errors without a struct to fill */
	re = NULL;
	ck_assert_int_eq(rta_regex_compile(&re, "(", 1, NULL), RTA_EDATA);
	ck_assert_ptr_null(re);
	rta_regex_free(NULL);
}
END_TEST

/* ------------------------------------------------------- unsupported */

static const struct {
	const char	*pat;
	size_t		 offset;
	const char	*text;
} unsupported[] = {
	{ "a(?=b)", 1, "lookahead (?= is not supported" },
	{ "a(?!b)", 1, "negative lookahead (?! is not supported" },
	{ "(?<=a)b", 0, "lookbehind (?<= is not supported" },
	{ "x(?<!a)b", 1, "negative lookbehind (?<! is not supported" },
	{ "(a)\\1", 3, "backreference \\1 is not supported" },
	{ "\\1(a)", 0, "backreference \\1" },
	{ "(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\\10", 30, "backreference \\10" },
	{ "(?<n>a)\\k<n>", 7, "backreference \\k<n> is not supported" },
	{ "\\k<n>(?<n>a)", 0, "\\k<n>" },
	{ "x\\p{L}", 1, "Unicode property escape \\p{L} is not supported" },
	{ "\\P{Lu}", 0, "\\P{Lu}" },
	{ "[a\\p{Script=Greek}]", 2, "\\p{Script=Greek}" },
	{ "\\p{Nonsense}", 0, "\\p{Nonsense}" },
	{ "(?i:a)", 0, "modifiers (?i: are not supported" },
	{ "b(?-s:a)", 1, "(?-s:" },
	{ "(?ms-i:a)", 0, "(?ms-i:" },
	{ "(?=a)(a)\\1\\p{L}", 0, "lookahead" },
	{ "a(?:b(?!c))", 5, "negative lookahead" },
};

START_TEST(unsupported_features)
{
	expect_error(unsupported[_i].pat, strlen(unsupported[_i].pat),
	    RTA_EDATA, "unsupported-pattern", unsupported[_i].offset,
	    unsupported[_i].text);
}
END_TEST

/* ------------------------------------------------------------ limits */

static char *
repeat(const char *unit, size_t n, const char *tail)
{
	size_t u = strlen(unit), t = strlen(tail), i;
	char *s = malloc(u * n + t + 1);

	ck_assert_ptr_nonnull(s);
	for (i = 0; i < n; i++)
		memcpy(s + i * u, unit, u);
	memcpy(s + n * u, tail, t + 1);
	return s;
}

START_TEST(limits_program)
{
	struct rta_regex *re = NULL;
	char *s;

	expect_error("a{40000}", 8, RTA_ELIMIT, "pattern-too-large", 0,
	    "instructions");
	expect_error("xy(a{1000}){1000}", 17, RTA_ELIMIT,
	    "pattern-too-large", 2, NULL);
	expect_error("a{50000,}", 9, RTA_ELIMIT, "pattern-too-large", 0,
	    NULL);
	expect_error("b|a{99999999999999999999}", 25, RTA_ELIMIT,
	    "pattern-too-large", 2, NULL);
	expect_error("((((a{10}){10}){10}){10}){10}", 29, RTA_ELIMIT,
	    "pattern-too-large", 0, NULL);
	/*
	 * ^, a{32766} and MATCH make exactly RTA_REGEX_MAX_PROG.  (Anchored,
	 * so that a state holds one thread: unanchored, the search starts a
	 * new one at every byte and each step costs up to 32768 of them.)
	 */
	ck_assert_int_eq(rta_regex_compile(&re, "^a{32766}", 9, NULL),
	    RTA_OK);
	s = repeat("a", 32767, "");
	ck_assert_int_eq(rta_regex_search(re, s, 32765), 0);
	ck_assert_int_eq(rta_regex_search(re, s, 32766), 1);
	ck_assert_int_eq(rta_regex_search(re, s, 32767), 1);
	free(s);
	rta_regex_free(re);
	/* too large as a whole, or because of one repetition */
	expect_error("^a{32767}", 9, RTA_ELIMIT, "pattern-too-large", 0,
	    NULL);
	expect_error("xya{32767}", 10, RTA_ELIMIT, "pattern-too-large", 0,
	    NULL);
	expect_error("xya{32768}", 10, RTA_ELIMIT, "pattern-too-large", 2,
	    NULL);
	/* a syntax error still wins */
	expect_error("a{40000}(", 9, RTA_EDATA, "bad-pattern", 8, NULL);
}
END_TEST

START_TEST(limits_depth)
{
	struct rta_regex *re = NULL;
	char *open, *close, *pat;
	size_t n = RTA_REGEX_MAX_DEPTH;

	open = repeat("(", n, "a");
	close = repeat(")", n, "");
	pat = malloc(2 * n + 2);
	ck_assert_ptr_nonnull(pat);
	snprintf(pat, 2 * n + 2, "%s%s", open, close);
	ck_assert_int_eq(rta_regex_compile(&re, pat, 2 * n + 1, NULL),
	    RTA_OK);
	ck_assert_int_eq(rta_regex_search(re, "xa", 2), 1);
	ck_assert_int_eq(rta_regex_search(re, "x", 1), 0);
	rta_regex_free(re);
	free(open);
	free(close);
	free(pat);

	/* one more, with (?: groups: fails at the deepest '(' */
	open = repeat("(?:", n + 1, "a");
	close = repeat(")", n + 1, "");
	pat = malloc(5 * n + 10);
	ck_assert_ptr_nonnull(pat);
	snprintf(pat, 5 * n + 10, "%s%s", open, close);
	expect_error(pat, strlen(pat), RTA_ELIMIT, "pattern-too-large",
	    3 * n, "deeper");
	/* unterminated, far deeper: the limit, not the stack, stops it */
	free(open);
	open = repeat("(", 100000, "");
	expect_error(open, 100000, RTA_ELIMIT, "pattern-too-large", n,
	    NULL);
	free(open);
	free(close);
	free(pat);
}
END_TEST

/* Classes and alternations do not nest, however long: no limit. */
START_TEST(limits_long_flat)
{
	char *p;

	p = repeat("[a-c\\d]y|", 2000, "x");
	ck_assert(match(p, "zzx"));
	ck_assert(match(p, "z1y"));
	ck_assert(!match(p, "1z"));
	free(p);
	p = repeat("\\u{1F600}", 5000, "");
	ck_assert(!match(p, "\xf0\x9f\x98\x80"));
	free(p);
}
END_TEST

/*
 * 1000 code points in one class and 300 sets that span them: too much
 * work to merge code points into classes, so each interval between
 * boundaries is a class of its own (and a DFA row is too big for the
 * tiny cache).  The answers must not change.
 */
START_TEST(limits_many_intervals)
{
	char *p = malloc(20000), *q;
	char s[16];
	struct trio t;
	int k;

	ck_assert_ptr_nonnull(p);
	q = p + sprintf(p, "^[");
	for (k = 0; k < 1000; k++)
		q += sprintf(q, "\\u{%x}", 0x100 + 2 * k);
	q += sprintf(q, "](?:[^x]");
	for (k = 0; k < 299; k++)
		q += sprintf(q, "|[^x]");
	sprintf(q, ")$");
	ck_assert_int_eq(trio_compile(&t, p, strlen(p), NULL), RTA_OK);
	for (k = 0; k < 0x700; k += 7) {	/* two-byte UTF-8 */
		snprintf(s, sizeof(s), "%c%c%c", 0xc0 | (0x100 + k) >> 6,
		    0x80 | ((0x100 + k) & 0x3f), k % 3 ? 'a' : 'x');
		ck_assert_msg(trio_search(&t, s, 3) == (k % 2 == 0 &&
		    k % 3 != 0), "U+%04X", 0x100 + k);
	}
	trio_free(&t);
	free(p);
}
END_TEST

/* --------------------------------------------------------- semantics */

#define S(x)	x, sizeof(x) - 1

static const struct {
	const char	*pat;
	const char	*s;
	size_t		 len;
	int		 want;
} table[] = {
	/* unanchored search, ^ and $ only at the ends */
	{ "a", S("cat"), 1 },
	{ "a", S("xyz"), 0 },
	{ "", S(""), 1 },
	{ "", S("xyz"), 1 },
	{ "cat", S("concatenate"), 1 },
	{ "^cat", S("concatenate"), 0 },
	{ "cat$", S("concatenate"), 0 },
	{ "^cat$", S("cat"), 1 },
	{ "^cat$", S("cat\n"), 0 },
	{ "^cat$", S("\ncat"), 0 },
	{ "^b", S("a\nb"), 0 },
	{ "a$", S("a\nb"), 0 },
	{ "a^b", S("ab"), 0 },
	{ "a$b", S("ab"), 0 },
	{ "a\\^b", S("a^b"), 1 },
	{ "^$", S(""), 1 },
	{ "^$", S("\n"), 0 },
	{ "$^", S(""), 1 },
	{ "$^", S("a"), 0 },
	{ "(?:^|,)x", S(",x"), 1 },
	{ "(?:^|,)x", S("x"), 1 },
	{ "(?:^|,)x", S("yx"), 0 },
	{ "x(?:$|,)", S("ax"), 1 },
	{ "x(?:$|,)", S("xa"), 0 },
	{ "^(?:^a)+$", S("a"), 1 },
	{ "^(?:^a)+$", S("aa"), 0 },
	{ "(?:$)*a", S("a"), 1 },
	{ "a(?:$)?b", S("ab"), 1 },
	{ "a(?:$)+b", S("ab"), 0 },
	{ "^(?:a|$)+$", S("aaa"), 1 },
	/* classes */
	{ "[abc]", S("xbx"), 1 },
	{ "[abc]", S("xyz"), 0 },
	{ "[^abc]", S("abc"), 0 },
	{ "[^abc]", S("abcd"), 1 },
	{ "[a-c]", S("b"), 1 },
	{ "[a-c]", S("d"), 0 },
	{ "^[a-c-e]$", S("-"), 1 },
	{ "^[a-c-e]$", S("e"), 1 },
	{ "^[a-c-e]$", S("d"), 0 },
	{ "[-a]", S("-"), 1 },
	{ "[a-]", S("-"), 1 },
	{ "^[\\-]$", S("-"), 1 },
	{ "[]", S("a"), 0 },
	{ "[]", S(""), 0 },
	{ "^[]*$", S(""), 1 },
	{ "[^]", S("\n"), 1 },
	{ "[^]", S(""), 0 },
	{ "^[\\d]$", S("7"), 1 },
	{ "[^\\d]", S("123"), 0 },
	{ "^[\\w-]+$", S("a-b_c9"), 1 },
	{ "[\\b]", S("\b"), 1 },
	{ "[\\b]", S("b"), 0 },
	{ "[^\\s\\S]", S("a"), 0 },
	{ "[\\s\\S]", S("\n"), 1 },
	{ "[^\\W]", S("_"), 1 },
	{ "[^\\W]", S("-"), 0 },
	{ "^[\\u0041-\\u005A]+$", S("ABZ"), 1 },
	{ "^[\\u0041-\\u005A]+$", S("AbZ"), 0 },
	{ "^[\\]\\\\]+$", S("]\\]"), 1 },
	{ "^[\xc3\xa0-\xc3\xbf]$", S("\xc3\xa9"), 1 },
	{ "^[\xc3\xa0-\xc3\xbf]$", S("\xc3\x9f"), 0 },
	{ "^[\\u{1F600}-\\u{1F64F}]$", S("\xf0\x9f\x98\x80"), 1 },
	{ "^[\\u{1F600}-\\u{1F64F}]$", S("\xf0\x9f\x99\x8f"), 1 },
	{ "^[\\u{1F600}-\\u{1F64F}]$", S("\xf0\x9f\x99\x90"), 0 },
	{ "^[\xf0\x9f\x98\x80-\xf0\x9f\x99\x8f]$", S("\xf0\x9f\x99\x82"), 1 },
	{ "^[^a]$", S("\xf0\x9f\x98\x80"), 1 },
	{ "^[\\uD83D\\uDE00]$", S("\xf0\x9f\x98\x80"), 1 },
	{ "^[\\uD83D]", S("\xf0\x9f\x98\x80"), 0 },
	{ "\\uD83D", S("\xf0\x9f\x98\x80"), 0 },
	{ "[\\uD800-\\uDFFF]", S("\xf0\x9f\x98\x80\xef\xbf\xbd"), 0 },
	{ "^[^\\uD800-\\uDFFF]$", S("\xf0\x9f\x98\x80"), 1 },
	{ "^[\\0-\\u{10FFFF}]$", S("\xf4\x8f\xbf\xbf"), 1 },
	{ "[\\t-\\r]", S("\v"), 1 },
	{ "[\\f-\\r]", S("\v"), 0 },
	/* class escapes: ASCII \d and \w, ECMAScript's \s */
	{ "\\d", S("a1"), 1 },
	{ "\\d", S("abc"), 0 },
	{ "\\d", S("\xd9\xa3"), 0 },
	{ "\\D", S("123"), 0 },
	{ "\\D", S("12a"), 1 },
	{ "^\\w+$", S("abc_XYZ_09"), 1 },
	{ "\\w", S("\xc3\xa9"), 0 },
	{ "\\W", S("\xc3\xa9"), 1 },
	{ "\\W", S("a_1"), 0 },
	{ "^\\s$", S("\t"), 1 },
	{ "^\\s$", S("\n"), 1 },
	{ "^\\s$", S("\v"), 1 },
	{ "^\\s$", S("\f"), 1 },
	{ "^\\s$", S("\r"), 1 },
	{ "^\\s$", S(" "), 1 },
	{ "^\\s$", S("\xc2\xa0"), 1 },
	{ "^\\s$", S("\xe1\x9a\x80"), 1 },
	{ "^\\s$", S("\xe2\x80\x80"), 1 },
	{ "^\\s$", S("\xe2\x80\x8a"), 1 },
	{ "^\\s$", S("\xe2\x80\xa8"), 1 },
	{ "^\\s$", S("\xe2\x80\xa9"), 1 },
	{ "^\\s$", S("\xe2\x80\xaf"), 1 },
	{ "^\\s$", S("\xe2\x81\x9f"), 1 },
	{ "^\\s$", S("\xe3\x80\x80"), 1 },
	{ "^\\s$", S("\xef\xbb\xbf"), 1 },
	{ "\\s", S("\xc2\x85"), 0 },
	{ "\\s", S("\xe2\x80\x8b"), 0 },
	{ "\\s", S("\xe1\xa0\x8e"), 0 },
	{ "\\s", S("\x1c"), 0 },
	{ "\\S", S(" \t\n"), 0 },
	{ "\\S", S(" \t\nx"), 1 },
	/* \b and \B: ASCII word characters */
	{ "\\bfoo\\b", S("a foo."), 1 },
	{ "\\bfoo\\b", S("afoo"), 0 },
	{ "\\bfoo\\b", S("foo_"), 0 },
	{ "\\bfoo\\b", S("\xc3\xa9" "foo" "\xc3\xa9"), 1 },
	{ "\\Bfoo", S("afoo"), 1 },
	{ "\\Bfoo", S("a foo"), 0 },
	{ "^\\b", S("a"), 1 },
	{ "^\\b", S(" "), 0 },
	{ "^\\B", S(" "), 1 },
	{ "\\b$", S("a"), 1 },
	{ "\\b$", S("a "), 0 },
	{ "\\B$", S("a "), 1 },
	{ "\\b", S(""), 0 },
	{ "\\B", S(""), 1 },
	{ "a\\b\\B", S("a b"), 0 },
	{ "\\b\\w+\\b\\s\\b", S("ab cd"), 1 },
	{ "(?:\\b)+a", S("a"), 1 },
	{ "^(?:\\b\\w+\\b\\s*)+$", S("ab cd ef"), 1 },
	{ "^(?:\\b\\w+\\s*)+$", S("ab cd ef!"), 0 },
	/* character escapes */
	{ "\\t", S("\t"), 1 },
	{ "\\n", S("\n"), 1 },
	{ "\\r\\n", S("\r\n"), 1 },
	{ "\\v", S("\v"), 1 },
	{ "\\f", S("\f"), 1 },
	{ "\\cJ", S("\n"), 1 },
	{ "\\cj", S("\n"), 1 },
	{ "\\cI", S("\t"), 1 },
	{ "[\\cA-\\cC]", S("\x02"), 1 },
	{ "\\0", S("\0"), 1 },
	{ "\\0", S("0"), 0 },
	{ "a\\0b", S("a\0b"), 1 },
	{ "\\x41", S("A"), 1 },
	{ "\\x4a\\x4A", S("JJ"), 1 },
	{ "\\xe9", S("\xc3\xa9"), 1 },
	{ "\\u00e9", S("\xc3\xa9"), 1 },
	{ "\\u{e9}", S("\xc3\xa9"), 1 },
	{ "\\u{0000e9}", S("\xc3\xa9"), 1 },
	{ "\\u{1F600}", S("\xf0\x9f\x98\x80"), 1 },
	{ "\\uD83D\\uDE00", S("\xf0\x9f\x98\x80"), 1 },
	{ "\\uD83D\\u{DE00}", S("\xf0\x9f\x98\x80"), 0 },
	{ "\\u{10FFFF}", S("\xf4\x8f\xbf\xbf"), 1 },
	{ "\\u{FFFD}", S("\xef\xbf\xbd"), 1 },
	{ "\\^\\$\\\\\\.\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\/",
	    S("^$\\.*+?()[]{}|/"), 1 },
	{ "/", S("a/b"), 1 },
	/* . is any code point but a line terminator */
	{ "^.$", S("a"), 1 },
	{ "^.$", S("\n"), 0 },
	{ "^.$", S("\r"), 0 },
	{ "^.$", S("\xe2\x80\xa8"), 0 },
	{ "^.$", S("\xe2\x80\xa9"), 0 },
	{ "^.$", S("\xc2\x85"), 1 },
	{ "^.$", S("\xf0\x9f\x98\x80"), 1 },
	{ "^.$", S("\t"), 1 },
	{ "^.$", S("\0"), 1 },
	{ "^..$", S("\xf0\x9f\x98\x80"), 0 },
	{ "^...$", S("a\xc3\xa9\xe2\x82\xac"), 1 },
	{ "a.c", S("a\nc"), 0 },
	{ "a.c", S("a\xe2\x82\xac" "c"), 1 },
	/* alternation, empty alternatives */
	{ "cat|dog", S("hotdog"), 1 },
	{ "cat|dog", S("cow"), 0 },
	{ "^(?:cat|dog)$", S("catdog"), 0 },
	{ "^(?:a|ab)(?:c|bcd)$", S("abcd"), 1 },
	{ "^(?:a|ab)(?:c|bcd)$", S("abc"), 1 },
	{ "^(?:a|ab)(?:c|bcd)$", S("abd"), 0 },
	{ "a||b", S("x"), 1 },
	{ "^(|a)$", S(""), 1 },
	{ "^(|a)$", S("a"), 1 },
	{ "^(|a)$", S("aa"), 0 },
	{ "^(?:a|)+$", S("aaa"), 1 },
	{ "^(?:x|y|z|)$", S("z"), 1 },
	{ "^(?:x|y|z|)$", S("w"), 0 },
	/* quantifiers, counted and nested */
	{ "^a*$", S(""), 1 },
	{ "^a+$", S(""), 0 },
	{ "^a?$", S("aa"), 0 },
	{ "^a{3}$", S("aaa"), 1 },
	{ "^a{3}$", S("aa"), 0 },
	{ "^a{3}$", S("aaaa"), 0 },
	{ "^a{2,}$", S("a"), 0 },
	{ "^a{2,}$", S("aa"), 1 },
	{ "^a{2,}$", S("aaaaaaa"), 1 },
	{ "^a{2,4}$", S("a"), 0 },
	{ "^a{2,4}$", S("aa"), 1 },
	{ "^a{2,4}$", S("aaaa"), 1 },
	{ "^a{2,4}$", S("aaaaa"), 0 },
	{ "^a{0}$", S(""), 1 },
	{ "^a{0}$", S("a"), 0 },
	{ "^a{0,0}b$", S("b"), 1 },
	{ "^a{0,1}$", S("a"), 1 },
	{ "^a{1,1}$", S("a"), 1 },
	{ "^(?:ab){2}$", S("abab"), 1 },
	{ "^(?:ab){2}$", S("aba"), 0 },
	{ "^a{2}?$", S("aa"), 1 },
	{ "^a*?$", S("aaa"), 1 },
	{ "^a+?b$", S("aab"), 1 },
	{ "^a??b$", S("ab"), 1 },
	{ "^(a*)*b$", S("aaab"), 1 },
	{ "^(a*)*b$", S("aaa"), 0 },
	{ "^(?:a*)+$", S(""), 1 },
	{ "^(?:a?){3}a{3}$", S("aaa"), 1 },
	{ "^(?:a?){3}a{3}$", S("aaaaaa"), 1 },
	{ "^(?:a?){3}a{3}$", S("aaaaaaa"), 0 },
	{ "^(?:a|bc){2,3}$", S("abca"), 1 },
	{ "^(?:a|bc){2,3}$", S("bcbcbcbc"), 0 },
	{ "^(?:(?:a{2}){2}){2}$", S("aaaaaaaa"), 1 },
	{ "^(?:(?:a{2}){2}){2}$", S("aaaaaaa"), 0 },
	{ "^(\\d{1,3}\\.){3}\\d{1,3}$", S("192.168.0.1"), 1 },
	{ "^(\\d{1,3}\\.){3}\\d{1,3}$", S("192.168.0"), 0 },
	{ "^(\\d{1,3}\\.){3}\\d{1,3}$", S("1234.1.1.1"), 0 },
	{ "^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", S("a.b@example.org"), 1 },
	{ "^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", S("a@b"), 0 },
	{ "^\\u{1F600}{2}$", S("\xf0\x9f\x98\x80\xf0\x9f\x98\x80"), 1 },
	{ "^\xf0\x9f\x98\x80+$", S("\xf0\x9f\x98\x80\xf0\x9f\x98\x80"), 1 },
	{ "^\\uD83D\\uDE00{2}$", S("\xf0\x9f\x98\x80\xf0\x9f\x98\x80"), 1 },
	{ "^\xc3\xa9{2}$", S("\xc3\xa9\xc3\xa9"), 1 },
	{ "^\xc3\xa9{2}$", S("\xc3\xa9\xa9"), 0 },
	/* groups */
	{ "^(?<year>\\d{4})-(?<m>\\d\\d)$", S("2024-06"), 1 },
	{ "^(?<year>\\d{4})-(?<m>\\d\\d)$", S("2024-6"), 0 },
	{ "^(?<\xc3\xa9t\xc3\xa9>a)$", S("a"), 1 },
	{ "^((((a))))$", S("a"), 1 },
	{ "^(?:)$", S(""), 1 },
	{ "^()+$", S(""), 1 },
	{ "^(?:x()y)+$", S("xyxy"), 1 },
	/* bytes that are not UTF-8 read as U+FFFD, one each */
	{ "^\\uFFFD$", S("\xff"), 1 },
	{ "^.$", S("\xff"), 1 },
	{ "^.$", S("\x80"), 1 },
	{ "^[^a]$", S("\xc0"), 1 },
	{ "^\\uFFFD{2}$", S("\xc0\xaf"), 1 },
	{ "^\\uFFFD{2}$", S("\xe2\x82"), 1 },
	{ "^\\uFFFD{2}a$", S("\xe2\x82" "a"), 1 },
	{ "^\\uFFFD{3}$", S("\xed\xa0\x80"), 1 },
	{ "^\\uFFFD{4}$", S("\xf4\x90\x80\x80"), 1 },
	{ "^\\uFFFD{3}$", S("\xf0\x9f\x98"), 1 },
	{ "^\\uFFFD\xc3\xa9$", S("\xc3\xc3\xa9"), 1 },
	{ "^\\uFFFD\\uFFFD$", S("\xef\xbf\xbd\xff"), 1 },
	{ "\\W", S("\xff"), 1 },
	{ "\\b", S("\xff"), 0 },
	{ "\\B", S("\xfe\xff"), 1 },
	{ "[\\uFFFD]", S("\xc3\xa9"), 0 },
};

START_TEST(semantics_table)
{
	ck_assert_msg(match_n(table[_i].pat, strlen(table[_i].pat),
	    table[_i].s, table[_i].len) == table[_i].want,
	    "'%s' on '%s': want %d", show(table[_i].pat,
	    strlen(table[_i].pat)), show(table[_i].s, table[_i].len),
	    table[_i].want);
}
END_TEST

/* One regex, many subjects in turn: states made for one serve the next. */
START_TEST(semantics_reuse)
{
	static const char *const pats[] = { "^[a-z]+\\d*$", "\\bx+\\b",
	    "(?:ab|a)c$", "^(?:.{2})*$" };
	static const char *const subj[] = { "abc", "abc1", "ab c", "x",
	    "a x b", "axb", "abc", "ac", "", "ab", "abc",
	    "\xf0\x9f\x98\x80\xc3\xa9", "x\n" };
	struct trio t;
	size_t i, j, k;
	int first[sizeof(subj) / sizeof(subj[0])];

	for (i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
		ck_assert_int_eq(trio_compile(&t, pats[i], strlen(pats[i]),
		    NULL), RTA_OK);
		for (k = 0; k < 3; k++)
			for (j = 0; j < sizeof(subj) / sizeof(subj[0]); j++) {
				int m = trio_search(&t, subj[j],
				    strlen(subj[j]));

				if (k == 0)
					first[j] = m;
				ck_assert_msg(m == first[j], "'%s' on '%s' "
				    "changed on round %zu", pats[i], subj[j],
				    k);
				ck_assert_int_eq(m, match(pats[i], subj[j]));
			}
		trio_free(&t);
	}
}
END_TEST

/* ------------------------------------------------------ linear time */

/*
 * Patterns that make a backtracking engine take exponential time.  The
 * test measures no time: it only needs the searches to end, which they
 * do because the search reads each byte once.
 */
START_TEST(linear_pathological)
{
	static const struct {
		const char	*pat;
		const char	*unit;
		const char	*tail;
		size_t		 len;
	} cases[] = {
		{ "(a*)*b", "a", "", 100000 },
		{ "^(a+)+$", "a", "!", 1 << 20 },
		{ "(x+x+)+y", "x", "", 1 << 20 },
		{ "(a|aa)*c", "a", "", 1 << 20 },
		{ "^(\\w+\\s?)*$", "ab ", "!", 1 << 20 },
		{ "(.*a){12}z", "ba", "", 1 << 20 },
		{ "(?:a?){25}a{25}", "aaaaaaaaaaaaaaaaaaaaaaaab", "", 1 << 20 },
		{ "^(?:(?:a|b)*(?:b|c)*)*d", "abcbcab", "", 1 << 20 },
		{ "(?:\\b\\w+\\b\\W*){3}\\d", "ab ", "", 1 << 20 },
	};
	struct trio t;
	size_t i, n;
	char *s;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		n = cases[i].len / strlen(cases[i].unit);
		s = repeat(cases[i].unit, n, cases[i].tail);
		ck_assert_int_eq(trio_compile(&t, cases[i].pat,
		    strlen(cases[i].pat), NULL), RTA_OK);
		ck_assert_msg(trio_search(&t, s, strlen(s)) == 0,
		    "'%s' matched", cases[i].pat);
		trio_free(&t);
		free(s);
	}
}
END_TEST

/*
 * x[\s\S]{16}$ needs a DFA state per last-17-characters pattern: 2^17
 * of them, far beyond any cache, so the cache fills and flushes all
 * through a 512 KB subject.  Its answer is known: is the 17th character
 * from the end an x?  The longer ones make states of 40 and 80 leaves
 * (the y{400} makes the program large beside the states).
 */
START_TEST(linear_state_explosion)
{
	static const struct {
		const char	*pat;
		size_t		 back;	/* the x, from the end */
		size_t		 len;
	} cases[] = {
		{ "[\\s\\S]*x[\\s\\S]{16}$", 17, 1 << 19 },
		{ "x[\\s\\S]{40}$|y{400}", 41, 1 << 18 },
		{ "x[\\s\\S]{80}$", 81, 1 << 18 },
	};
	uint64_t seed = 7;
	struct trio t;
	size_t c, i, k, len;
	char *s;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		len = cases[c].len;
		s = malloc(len);
		ck_assert_ptr_nonnull(s);
		ck_assert_int_eq(trio_compile(&t, cases[c].pat,
		    strlen(cases[c].pat), NULL), RTA_OK);
		for (k = 0; k < 4; k++) {
			for (i = 0; i < len; i++)
				s[i] = rng_next(&seed) & 1 ? 'x' : 'z';
			s[len - cases[c].back] = k & 1 ? 'x' : 'z';
			ck_assert_msg(trio_search(&t, s, len) == (int)(k & 1),
			    "'%s', round %zu", cases[c].pat, k);
			ck_assert_uint_le(rta_regex_memory(t.re[0]),
			    rta_regex_memory(t.re[1]) + RTA_REGEX_CACHE_MAX);
			ck_assert_uint_le(rta_regex_memory(t.re[2]),
			    rta_regex_memory(t.re[1]) + TINY_CACHE);
		}
		trio_free(&t);
		free(s);
	}
}
END_TEST

/*
 * Unanchored, a{N} holds a thread for every byte of a run of a's: states
 * of thousands of leaves.  The answers must still be exact.
 */
START_TEST(linear_big_states)
{
	struct trio t;
	char *s;

	s = repeat("a", 3000, "");
	ck_assert_int_eq(trio_compile(&t, "a{2000}b|a{2999}$", 17, NULL),
	    RTA_OK);
	ck_assert_int_eq(trio_search(&t, s, 2998), 0);
	ck_assert_int_eq(trio_search(&t, s, 2999), 1);
	ck_assert_int_eq(trio_search(&t, s, 3000), 1);
	s[2500] = 'b';
	ck_assert_int_eq(trio_search(&t, s, 3000), 1);
	s[2500] = 'c';
	ck_assert_int_eq(trio_search(&t, s, 3000), 0);
	trio_free(&t);
	free(s);
}
END_TEST

/* ------------------------------------------------------------- cache */

static const char *const cache_pats[] = {
	"^[a-z]+\\d*$", "(?:a|b)*abb(?:a|b)*$", "\\b\\w{3}\\b",
	"[\\s\\S]*a[\\s\\S]{6}$", "(?:.{3})*\xc3\xa9$", "x[^x]{4}x|^\\d+$",
	"^(?:[a-c]{2}|\\W)*$", "a{3,7}b{0,2}c", "(?:\\u{1F600}|[^a])+z",
	"\\B(?:ab|ba)+\\b", "[\\u0080-\\u{10FFFF}]{2}", "^$|^\\s+$",
};

/* A random subject over a few letters, some non-ASCII and bad bytes. */
static size_t
random_subject(uint64_t *seed, char *s, size_t max)
{
	static const char *const units[] = { "a", "b", "c", "x", "z", " ",
	    "1", "\n", "-", "\xc3\xa9", "\xf0\x9f\x98\x80", "\xff",
	    "\xe2\x80\xa8", "_" };
	size_t n = rng_next(seed) % max, len = 0, u;
	const char *p;

	while (n-- > 0) {
		p = units[rng_next(seed) % (sizeof(units) / sizeof(units[0]))];
		u = strlen(p);
		if (len + u > max)
			break;
		memcpy(s + len, p, u);
		len += u;
	}
	return len;
}

/*
 * The same answers with the default cache, none and a tiny one, and the
 * memory each holds within its program and cache cap.
 */
START_TEST(cache_answers_and_memory)
{
	const char *pat = cache_pats[_i];
	uint64_t seed = 0x5eed + (uint64_t)_i;
	size_t base, len, k;
	struct trio t;
	char s[120];
	int grew = 0;

	ck_assert_int_eq(trio_compile(&t, pat, strlen(pat), NULL), RTA_OK);
	base = rta_regex_memory(t.re[1]);
	ck_assert_uint_eq(rta_regex_memory(t.re[0]), base);
	ck_assert_uint_eq(rta_regex_memory(t.re[2]), base);
	for (k = 0; k < 3000; k++) {
		len = random_subject(&seed, s, sizeof(s));
		trio_search(&t, s, len);
		grew |= rta_regex_memory(t.re[0]) > base;
		ck_assert_uint_le(rta_regex_memory(t.re[0]),
		    base + RTA_REGEX_CACHE_MAX);
		ck_assert_uint_le(rta_regex_memory(t.re[2]),
		    base + TINY_CACHE);
		ck_assert_uint_eq(rta_regex_memory(t.re[1]), base);
	}
	ck_assert_msg(grew, "'%s': the default cache was never used", pat);
	/* setting the cache empties it */
	rta_regex_set_cache(t.re[0], RTA_REGEX_CACHE_MAX);
	ck_assert_uint_eq(rta_regex_memory(t.re[0]), base);
	trio_free(&t);
}
END_TEST

/* Cache sizes around what one state needs: every one gives the answer. */
START_TEST(cache_every_size)
{
	const char *pat = "(?:a|b)*a(?:a|b){3}c|\\bz+\\d";
	uint64_t seed = 99;
	struct rta_regex *ref, *re;
	size_t bytes, base, len, k;
	char s[64];

	ck_assert_int_eq(rta_regex_compile(&ref, pat, strlen(pat), NULL),
	    RTA_OK);
	rta_regex_set_cache(ref, 0);
	base = rta_regex_memory(ref);
	for (bytes = 1; bytes < 3000; bytes += bytes < 600 ? 1 : 37) {
		ck_assert_int_eq(rta_regex_compile(&re, pat, strlen(pat),
		    NULL), RTA_OK);
		rta_regex_set_cache(re, bytes);
		for (k = 0; k < 40; k++) {
			len = random_subject(&seed, s, sizeof(s) - 8);
			if (k % 4 == 0)
				len += (size_t)snprintf(s + len,
				    sizeof(s) - len, "abbbc");
			ck_assert_msg(rta_regex_search(re, s, len) ==
			    rta_regex_search(ref, s, len), "cache of %zu "
			    "bytes, subject '%s'", bytes, show(s, len));
			ck_assert_uint_le(rta_regex_memory(re), base + bytes);
		}
		rta_regex_free(re);
	}
	rta_regex_free(ref);
}
END_TEST

/*
 * States that loop on many bytes skip their runs by a bitmap of those
 * bytes, which grows as transitions become known and which a tiny cache
 * may have no room for: long runs cut anywhere, against the search
 * without a cache.
 */
static const char *const loop_pats[] = {
	"^/[A-Za-z0-9/?=&._-]*$", "^(?:ab|a)*c", "[a-c]*d$", "^x*y*z*$",
	"q[^q]*q", "\\d+-\\d+", "^(?:https?://[a-z0-9.-]+(?:/[a-z/]*)?)?$"
};

START_TEST(loop_runs)
{
	static const char *const units[] = { "/", "a", "b", "c", "d", "x",
	    "y", "z", "q", "-", "1", "9", ".", "?", "&", "h", "t", "p", "s",
	    ":", "\xc3\xa9", "\xff" };
	const char *pat = loop_pats[_i];
	uint64_t seed = 7 + (uint64_t)_i;
	struct trio t;
	char s[400];
	size_t len, run, k, n, u;
	int hits = 0;

	ck_assert_int_eq(trio_compile(&t, pat, strlen(pat), NULL), RTA_OK);
	for (k = 0; k < 3000; k++) {
		/* a run of one or two units, broken by another at a random
		 * place, or not at all */
		len = 0;
		if (k % 3 == 0 && _i == 0)
			s[len++] = '/';
		run = rng_next(&seed) % 300;
		for (n = 0; n < run && len + 4 < sizeof(s); n++) {
			const char *p = units[(k + (n % 2 ?
			    rng_next(&seed) % 2 : 0)) % (sizeof(units) /
			    sizeof(units[0]))];

			if (rng_next(&seed) % 97 == 0)
				p = units[rng_next(&seed) % (sizeof(units) /
				    sizeof(units[0]))];
			u = strlen(p);
			memcpy(s + len, p, u);
			len += u;
		}
		hits += trio_search(&t, s, len);
	}
	trio_free(&t);
	/* both answers came up */
	ck_assert_int_gt(hits, 0);
	ck_assert_int_lt(hits, 3000);
}
END_TEST

/*
 * Allocation failures (RTA_FAULT=alloc:N:persistent, in a child each):
 * compile fails with RTA_ENOMEM and leaves *re alone, or succeeds and
 * then every search still gives the right answer without its cache.
 */
static const struct {
	const char	*pat;
	const char	*s;
	int		 want;
} fault_table[] = {
	{ "^(?:a|b)*abb$", "babaabb", 1 },
	{ "^(?:a|b)*abb$", "babaab", 0 },
	{ "\\bfo+\\b", "x foooo y", 1 },
	{ "[\\u{1F600}-\\u{1F64F}]{2}",
	    "a\xf0\x9f\x98\x80\xf0\x9f\x98\x81", 1 },
	{ "(?<g>x|y){2,3}$", "zxyz", 0 },
};

static const char *
regex_why(int code)
{
	return code == 10 ? "bad failure of compile" : "wrong answer";
}

static int
fault_child(unsigned long n)
{
	struct rta_regex *re = (struct rta_regex *)&re;
	struct rta_error err;
	char spec[64];
	size_t i, k;
	void *p;
	int rc;

	snprintf(spec, sizeof(spec), "alloc:%lu:persistent", n);
	setenv("RTA_FAULT", spec, 1);
	for (k = 0; k < sizeof(fault_table) / sizeof(fault_table[0]); k++) {
		rc = rta_regex_compile(&re, fault_table[k].pat,
		    strlen(fault_table[k].pat), &err);
		if (rc != RTA_OK) {
			if (rc != RTA_ENOMEM || err.code != RTA_ENOMEM ||
			    re != (struct rta_regex *)&re)
				return 10;
			continue;
		}
		for (i = 0; i < 3; i++)
			if (rta_regex_search(re, fault_table[k].s,
			    strlen(fault_table[k].s)) != fault_table[k].want)
				return 11;
		rta_regex_free(re);
		re = (struct rta_regex *)&re;
	}
	/*
	 * 1: the fault was hit, try the next N; 0: all ran before it.  With
	 * N = 1 the first allocation must have failed.
	 */
	if ((p = rta_malloc(1)) == NULL)
		return 1;
	rta_free(p);
	return n == 1 ? 12 : 0;
}

START_TEST(cache_allocation_failures)
{
	unsigned long n;
	const char *fork_env = getenv("CK_FORK");

	/* RTA_FAULT is read once per process: other tests may have read it */
	if (fork_env != NULL && strcmp(fork_env, "no") == 0) {
		fprintf(stderr, "cache_allocation_failures: not run with "
		    "CK_FORK=no\n");
		return;
	}
	n = unit_alloc_failures(fault_child, regex_why);
	ck_assert_uint_gt(n, 20);
}
END_TEST

/* ------------------------------------------------------------ oracle */

static int
unhex(const char *h, size_t n, char *out)
{
	size_t i;
	int a, b;

	for (i = 0; i + 1 < n; i += 2) {
		a = h[i] <= '9' ? h[i] - '0' : h[i] - 'a' + 10;
		b = h[i + 1] <= '9' ? h[i + 1] - '0' : h[i + 1] - 'a' + 10;
		if (a < 0 || a > 15 || b < 0 || b > 15)
			return -1;
		out[i / 2] = (char)(a << 4 | b);
	}
	return n % 2 == 0 ? 0 : -1;
}

/* Is the construct at p one that rta_regex.h says is not supported? */
static int
is_unsupported_at(const char *p, size_t n)
{
	static const char *const heads[] = { "(?=", "(?!", "(?<=", "(?<!",
	    "(?i", "(?m", "(?s", "(?-", "\\k<", "\\p{", "\\P{" };
	size_t i, l;

	if (n >= 2 && p[0] == '\\' && p[1] >= '1' && p[1] <= '9')
		return 1;
	for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
		l = strlen(heads[i]);
		if (n >= l && memcmp(p, heads[i], l) == 0)
			return 1;
	}
	return 0;
}

struct oracle {
	char		*pat;	/* the pattern of the last P line */
	size_t		 plen;
	int		 compiled;
	struct trio	 t;
	unsigned long	 npat, nsub, nmatch, nok, nbad, nunsup;
};

/* A P line: the pattern (hex h, n digits) and what V8 says of it. */
static void
oracle_pattern(struct oracle *o, const char *h, size_t n, const char *v)
{
	struct rta_error err;
	int rc;

	if (o->compiled)
		trio_free(&o->t);
	o->compiled = 0;
	free(o->pat);
	o->plen = n / 2;
	o->pat = malloc(o->plen + 1);
	ck_assert_ptr_nonnull(o->pat);
	ck_assert_int_eq(unhex(h, n, o->pat), 0);
	o->npat++;
	memset(&err, 0, sizeof(err));
	rc = trio_compile(&o->t, o->pat, o->plen, &err);
	if (rc != RTA_OK)
		ck_assert_msg(err.offset <= o->plen && err.reason != NULL,
		    "'%s': bad error report", show(o->pat, o->plen));
	if (strncmp(v, "bad ", 4) == 0) {
		ck_assert_msg(rc == RTA_EDATA &&
		    strcmp(err.reason, "bad-pattern") == 0, "'%s': V8 "
		    "rejects it, rta says %s %s", show(o->pat, o->plen),
		    rc == RTA_OK ? "ok" : err.reason, err.text);
		o->nbad++;
	} else if (strcmp(v, "ok unsup") == 0) {
		ck_assert_msg(rc == RTA_EDATA &&
		    strcmp(err.reason, "unsupported-pattern") == 0 &&
		    is_unsupported_at(o->pat + err.offset, o->plen -
		    err.offset), "'%s': has an unsupported feature, rta "
		    "says %s at %zu: %s", show(o->pat, o->plen),
		    rc == RTA_OK ? "ok" : err.reason, err.offset, err.text);
		o->nunsup++;
	} else {
		ck_assert_msg(strcmp(v, "ok plain") == 0, "oracle: '%s'", v);
		ck_assert_msg(rc == RTA_OK, "'%s': V8 accepts it, rta says "
		    "%s at %zu: %s", show(o->pat, o->plen), err.reason,
		    err.offset, err.text);
		o->compiled = 1;
		o->nok++;
	}
}

/* An S line: a subject of the last pattern and V8's answer. */
static void
oracle_subject(struct oracle *o, const char *h, size_t n, const char *v)
{
	size_t len = n / 2;
	int want = strcmp(v, "1") == 0, m;
	char *s;

	ck_assert_msg(o->compiled, "oracle: a subject without a pattern");
	ck_assert_msg(want || strcmp(v, "0") == 0, "oracle: '%s'", v);
	s = malloc(len + 1);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(unhex(h, n, s), 0);
	m = trio_search(&o->t, s, len);
	ck_assert_msg(m == want, "'%s' on '%s': V8 says %d, rta %d",
	    show(o->pat, o->plen), show(s, len), want, m);
	free(s);
	o->nsub++;
	o->nmatch += (unsigned long)m;
}

static const char *
oracle_script(void)
{
	static char path[512];
	const char *d = getenv("RTA_TEST_DATA");

	snprintf(path, sizeof(path), "%s/../regex_oracle.js",
	    d != NULL && *d != '\0' ? d : "tests/unit/data");
	return path;
}

START_TEST(oracle_v8)
{
	char cmd[600], *line = NULL, *sp1, *sp2;
	unsigned long end = 0;
	struct oracle o;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int status;

	memset(&o, 0, sizeof(o));
	ck_assert_msg(access(oracle_script(), R_OK) == 0, "%s: not found",
	    oracle_script());
	snprintf(cmd, sizeof(cmd), "node '%s' %d", oracle_script(),
	    ORACLE_MIN);
	f = popen(cmd, "r");
	ck_assert_msg(f != NULL, "cannot run %s", cmd);
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		sp1 = strchr(line, ' ');
		sp2 = sp1 != NULL ? strchr(sp1 + 1, ' ') : NULL;
		if (line[0] == 'E' && sp1 == line + 1) {
			end = strtoul(sp1 + 1, NULL, 10);
			continue;
		}
		ck_assert_msg(sp2 != NULL && sp1 == line + 1, "oracle: bad "
		    "line '%s'", show(line, (size_t)n));
		if (line[0] == 'P')
			oracle_pattern(&o, sp1 + 1, (size_t)(sp2 - sp1 - 1),
			    sp2 + 1);
		else if (line[0] == 'S')
			oracle_subject(&o, sp1 + 1, (size_t)(sp2 - sp1 - 1),
			    sp2 + 1);
		else
			ck_abort_msg("oracle: bad line '%s'",
			    show(line, (size_t)n));
	}
	free(line);
	status = pclose(f);
	ck_assert_msg(status != -1 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0 && end > 0, "'%s' failed (status %d): "
	    "the oracle needs Node.js (the nodejs package) on PATH", cmd,
	    status);
	ck_assert_uint_eq(end, o.npat);
	ck_assert_uint_ge(o.npat, ORACLE_MIN);
	/* the generator must reach every kind of answer, in numbers */
	ck_assert_uint_ge(o.nok, ORACLE_MIN / 2);
	ck_assert_uint_ge(o.nbad, ORACLE_MIN / 20);
	ck_assert_uint_ge(o.nunsup, ORACLE_MIN / 50);
	ck_assert_uint_ge(o.nmatch, o.nsub / 5);
	ck_assert_uint_ge(o.nsub - o.nmatch, o.nsub / 5);
	if (o.compiled)
		trio_free(&o.t);
	free(o.pat);
}
END_TEST

/* ------------------------------------------------------------- suite */

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

static Suite *
regex_suite(void)
{
	Suite *s = suite_create("rta_regex");
	TCase *tc;

	tc = tcase_create("syntax");
	tcase_add_loop_test(tc, syntax_accepted, 0, NELEM(accepted));
	tcase_add_loop_test(tc, syntax_rejected, 0, NELEM(rejected));
	tcase_add_test(tc, syntax_before_unsupported);
	tcase_add_test(tc, syntax_lengths);
	suite_add_tcase(s, tc);

	tc = tcase_create("unsupported");
	tcase_add_loop_test(tc, unsupported_features, 0, NELEM(unsupported));
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, limits_program);
	tcase_add_test(tc, limits_depth);
	tcase_add_test(tc, limits_long_flat);
	tcase_add_test(tc, limits_many_intervals);
	suite_add_tcase(s, tc);

	tc = tcase_create("semantics");
	tcase_add_loop_test(tc, semantics_table, 0, NELEM(table));
	tcase_add_test(tc, semantics_reuse);
	suite_add_tcase(s, tc);

	tc = tcase_create("linear");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, linear_pathological);
	tcase_add_test(tc, linear_state_explosion);
	tcase_add_test(tc, linear_big_states);
	suite_add_tcase(s, tc);

	tc = tcase_create("cache");
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, cache_answers_and_memory, 0,
	    NELEM(cache_pats));
	tcase_add_test(tc, cache_every_size);
	tcase_add_loop_test(tc, loop_runs, 0,
	    sizeof(loop_pats) / sizeof(loop_pats[0]));
	tcase_add_test(tc, cache_allocation_failures);
	suite_add_tcase(s, tc);

	tc = tcase_create("oracle");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, oracle_v8);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(regex_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
