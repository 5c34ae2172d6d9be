/*
 * check_rta_prom.c: checking and merging Prometheus text.
 *
 * Lines one at a time (which are kept, which dropped and why), then
 * merges of several texts compared with the exact text expected, then
 * files (missing, too big, not regular, paths that need escaping), then
 * texts made at random, hostile ones included, whose merge must always
 * be valid exposition by a checker written here: each family's HELP and
 * TYPE once and before its samples, its samples together, no series
 * twice.  A merged text taken again on its own must come back the same,
 * with nothing dropped.  RTA_HASH_SEED is pinned in main, though no
 * answer may depend on it.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rta_alloc.h"
#include "rta_metrics.h"
#include "rta_prom.h"
#include "unit.h"

static struct rta_buf out;

/* The merge of texts t[0..n) (t[0] the own one when own): a C string. */
static const char *
merge(int own, const char *const *t, size_t n, uint64_t drops[][5])
{
	struct rta_prom *p = rta_prom_new();
	uint64_t d[RTA_PROM_NDROP];
	char name[24];
	size_t i;

	ck_assert_ptr_nonnull(p);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "t%zu", i);
		ck_assert_int_eq(rta_prom_add(p, own && i == 0 ? NULL : name,
		    t[i], strlen(t[i]), d), RTA_OK);
		if (drops != NULL)
			memcpy(drops[i], d, sizeof(d));
	}
	rta_buf_reset(&out);
	ck_assert_int_eq(rta_prom_format(p, &out), RTA_OK);
	ck_assert_int_eq(rta_buf_addc(&out, 0), 0);
	out.len--;
	rta_prom_free(p);
	return (const char *)out.data;
}

/* What became of one line on its own: -1 kept, else a drop reason. */
static int
line_fate(const void *l, size_t len)
{
	struct rta_prom *p = rta_prom_new();
	uint64_t d[RTA_PROM_NDROP], sum = 0;
	int i, why = -1;

	ck_assert_int_eq(rta_prom_add(p, "x", l, len, d), RTA_OK);
	for (i = 0; i < RTA_PROM_NDROP; i++)
		if (d[i] > 0) {
			why = i;
			sum += d[i];
		}
	ck_assert_uint_le(sum, 1);
	rta_prom_free(p);
	return why;
}

static void
setup(void)
{
	rta_buf_init(&out);
}

static void
teardown(void)
{
	rta_buf_release(&out);
}

/* ------------------------------------------------------------- lines */

static const char *const good_line[] = {
	"a 1", "a{b=\"c\"} 1", "a { b = \"c\" , } 1 123", "a{} 1",
	"a NaN", "a +Inf", "a -Inf", "a Inf", "a 1e-3", "a .5", "a 5.",
	"a -1.5E+10", "a:b 1", "_x 1", "a\t1", "  a 1  ", "a{b=\"c\"}1",
	"a{b=\"\\\\\\\"\\n\"} 1", "a{b=\"\xc3\xbc \xe2\x82\xac\"} 1",
	"a 1 -1000", "a 1 9223372036854775807", "a{b=\"\"} 0",
	"a{_b=\"1\",c2=\"2\"} 3", "# HELP a Some \\\\ help\\n.",
	"# HELP a", "# TYPE a counter", "# TYPE a untyped  ",
	"#\tTYPE\ta\tsummary",
};

static const char *const bad_line[] = {
	"a", "1a 1", "a-b 1", "a{b} 1", "a{b=\"c} 1", "a{b=\"c\"",
	"a{__name__=\"x\"} 1", "a{b=\"1\",b=\"2\"} 1", "a{b=\"\\x\"} 1",
	"a nan", "a Infinity", "a 0x10", "a 1_000", "a 1 2 3", "a 1 1.5",
	"a 1 99999999999999999999", "a 1 9223372036854775808", "a{b=\"c\"}",
	"a{1b=\"c\"} 1", "a{b='c'} 1", "a{b=\"c\" d=\"e\"} 1", "a{,} 1",
	"a 1e", "a .", "a +", "a{b=\"c\"} 1 x", "a\xff 1",
	"a{b=\"\xff\"} 1", "a{b=\"\xc0\xaf\"} 1", "a 1\x01", "a{b=\"\x7f\"} 1",
	"# HELP", "# TYPE", "# HELP 1a x", "# HELP a bad\\escape",
	"# HELP a tail\\",
	"# TYPE a bogus", "# TYPE a counter extra", "# TYPE a",
	"# TYPE a Counter", "# HELP a\xfe", "a{b=\"c\"\"d\"} 1",
};

static const char *const comments[] = {
	"# hello", "#HELP a x", "# HELPER a x", "#", "# TYPEa", "#  help a x",
};

START_TEST(good_lines)
{
	size_t i;

	for (i = 0; i < sizeof(good_line) / sizeof(good_line[0]); i++)
		ck_assert_msg(line_fate(good_line[i], strlen(good_line[i])) ==
		    -1, "dropped: '%s'", good_line[i]);
}
END_TEST

START_TEST(bad_lines)
{
	size_t i;

	for (i = 0; i < sizeof(bad_line) / sizeof(bad_line[0]); i++)
		ck_assert_msg(line_fate(bad_line[i], strlen(bad_line[i])) ==
		    RTA_PROM_SYNTAX, "not a syntax error: '%s'", bad_line[i]);
	/* a NUL inside a line */
	ck_assert_int_eq(line_fate("a{b=\"\0\"} 1", 11), RTA_PROM_SYNTAX);
	for (i = 0; i < sizeof(comments) / sizeof(comments[0]); i++)
		ck_assert_msg(line_fate(comments[i], strlen(comments[i])) ==
		    RTA_PROM_COMMENT, "not a comment: '%s'", comments[i]);
	ck_assert_str_eq(rta_prom_drop_name(RTA_PROM_LONG), "long");
	ck_assert_str_eq(rta_prom_drop_name(RTA_PROM_NDROP), "");
}
END_TEST

START_TEST(line_ends)
{
	uint64_t d[1][5];

	/* CRLF and no newline at the end are fine; a bare CR is not */
	ck_assert_str_eq(merge(0, (const char *[]){ "a 1\r\nb 2\r\nc 3" }, 1,
	    d), "a 1\nb 2\nc 3\n");
	ck_assert_uint_eq(d[0][RTA_PROM_SYNTAX], 0);
	ck_assert_str_eq(merge(0, (const char *[]){ "a 1\rb 2\nc 3\r\r\n" },
	    1, d), "");
	ck_assert_uint_eq(d[0][RTA_PROM_SYNTAX], 2);
	/* blank lines are skipped, not counted */
	ck_assert_str_eq(merge(0, (const char *[]){ "\n\n  \t\r\na 1\n\n" },
	    1, d), "a 1\n");
	ck_assert_uint_eq(d[0][RTA_PROM_SYNTAX] + d[0][RTA_PROM_COMMENT], 0);
}
END_TEST

START_TEST(long_lines)
{
	struct rta_buf b = RTA_BUF_INIT;
	uint64_t d[1][5];
	size_t pad;

	/* exactly the limit passes; one byte more is dropped */
	ck_assert_int_eq(rta_buf_adds(&b, "a{b=\""), 0);
	pad = RTA_PROM_LINE_MAX - strlen("a{b=\"\"} 1");
	while (pad-- > 0)
		ck_assert_int_eq(rta_buf_addc(&b, 'x'), 0);
	ck_assert_int_eq(rta_buf_adds(&b, "\"} 1"), 0);
	ck_assert_uint_eq(b.len, RTA_PROM_LINE_MAX);
	ck_assert_int_eq(line_fate(b.data, b.len), -1);
	ck_assert_int_eq(rta_buf_adds(&b, "\r"), 0);
	ck_assert_int_eq(line_fate(b.data, b.len), -1);
	b.len--;
	ck_assert_int_eq(rta_buf_adds(&b, " "), 0);
	ck_assert_int_eq(line_fate(b.data, b.len), RTA_PROM_LONG);
	/* a long line of garbage between good ones costs only itself */
	ck_assert_int_eq(rta_buf_adds(&b, "\nz 1\x01\n"), 0);
	ck_assert_int_eq(rta_buf_addc(&b, 0), 0);
	memmove(b.data + 4, b.data, b.len);
	memcpy(b.data, "y 1\n", 4);
	b.len += 4;
	ck_assert_str_eq(merge(0, (const char *[]){ (const char *)b.data }, 1,
	    d), "y 1\n");
	ck_assert_uint_eq(d[0][RTA_PROM_LONG], 1);
	ck_assert_uint_eq(d[0][RTA_PROM_SYNTAX], 1);
	rta_buf_release(&b);
}
END_TEST

/* ------------------------------------------------------------- merge */

START_TEST(normalized)
{
	ck_assert_str_eq(merge(0, (const char *[]){
	    "  a { b = \"c\" , d=\"e\",} 1   17 \n"
	    "a{ }\t2\n" }, 1, NULL),
	    "a{b=\"c\",d=\"e\"} 1 17\n"
	    "a 2\n");
}
END_TEST

START_TEST(families_merged)
{
	static const char *const t[] = {
		"# HELP x_total Xs.\n# TYPE x_total counter\n"
		"x_total{stage=\"a\"} 1\ny 5\nx_total{stage=\"b\"} 2\n",
		"# TYPE x_total counter\n# HELP x_total Xs.\n"
		"x_total{stage=\"c\"} 3\n# HELP z Zs.\nz 9\n",
		"y{k=\"v\"} 6\nx_total{stage=\"d\"} 4\n",
	};
	uint64_t d[3][5];
	int i, j;

	ck_assert_str_eq(merge(0, t, 3, d),
	    "# HELP x_total Xs.\n# TYPE x_total counter\n"
	    "x_total{stage=\"a\"} 1\nx_total{stage=\"b\"} 2\n"
	    "x_total{stage=\"c\"} 3\nx_total{stage=\"d\"} 4\n"
	    "y 5\ny{k=\"v\"} 6\n"
	    "# HELP z Zs.\nz 9\n");
	for (i = 0; i < 3; i++)
		for (j = 0; j < RTA_PROM_NDROP; j++)
			ck_assert_uint_eq(d[i][j], 0);
}
END_TEST

START_TEST(duplicates_in_one_text)
{
	uint64_t d[1][5];

	ck_assert_str_eq(merge(0, (const char *[]){
	    "# HELP a One.\n# TYPE a gauge\n# HELP a One.\n# TYPE a gauge\n"
	    "a{x=\"1\",y=\"2\"} 1\na{ y=\"2\",x=\"1\"} 2\na{x=\"1\"} 3\n"
	    "b 1\n# TYPE b gauge\n" }, 1, d),
	    "# HELP a One.\n# TYPE a gauge\na{x=\"1\",y=\"2\"} 1\n"
	    "a{x=\"1\"} 3\nb 1\n");
	ck_assert_uint_eq(d[0][RTA_PROM_DUPLICATE], 3);
	/* a TYPE after the family's samples */
	ck_assert_uint_eq(d[0][RTA_PROM_SYNTAX], 1);
}
END_TEST

START_TEST(type_conflicts)
{
	static const char *const t[] = {
		"# HELP a As.\n# TYPE a counter\na{s=\"1\"} 1\n",
		"# HELP a Other.\n# TYPE a gauge\na{s=\"2\"} 2\n",
		"# HELP a As.\n# TYPE a counter\na{s=\"3\"} 3\n",
		"# HELP a Third.\na{s=\"4\"} 4\n",
	};
	uint64_t d[4][5];

	ck_assert_str_eq(merge(0, t, 4, d),
	    "# HELP a As.\n# TYPE a counter\n"
	    "a{s=\"1\"} 1\na{s=\"3\"} 3\na{s=\"4\"} 4\n");
	/* the gauge's TYPE, its samples; a different HELP (before the
	 * TYPE, so not known to be of a refused type) */
	ck_assert_uint_eq(d[1][RTA_PROM_CONFLICT], 3);
	ck_assert_uint_eq(d[2][RTA_PROM_CONFLICT], 0);
	ck_assert_uint_eq(d[3][RTA_PROM_CONFLICT], 1);
}
END_TEST

START_TEST(typed_later)
{
	static const char *const t[] = {
		"x 1\nh_sum 1\n",
		"# TYPE x gauge\nx{b=\"1\"} 2\n# TYPE h summary\nh 3\n",
	};
	uint64_t d[2][5];

	/* an untyped family takes a counter, gauge or untyped TYPE, not a
	 * summary whose _sum was taken as a family of its own */
	ck_assert_str_eq(merge(0, t, 2, d),
	    "# TYPE x gauge\nx 1\nx{b=\"1\"} 2\nh_sum 1\n");
	ck_assert_uint_eq(d[1][RTA_PROM_CONFLICT], 2);
}
END_TEST

START_TEST(histograms)
{
	static const char *const t[] = {
		"# TYPE h histogram\nh_bucket{le=\"1\"} 1\n"
		"h_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\nh 9\n"
		"# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_sum 4\ns_count 1\n"
		"s_bucket 7\n",
		"h_count{stage=\"b\"} 5\ns_sum{stage=\"b\"} 6\n"
		"h_bucket{le=\"x\"} 1\ns{quantile=\"\"} 1\n"
		"s{quantile=\"+Inf\",le=\"x\"} 8\n",
		"# TYPE h_sum gauge\n# TYPE s_count counter\n",
	};
	uint64_t d[3][5];

	ck_assert_str_eq(merge(0, t, 3, d),
	    "# TYPE h histogram\nh_bucket{le=\"1\"} 1\n"
	    "h_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n"
	    "h_count{stage=\"b\"} 5\n"
	    "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_sum 4\ns_count 1\n"
	    "s_sum{stage=\"b\"} 6\ns{quantile=\"+Inf\",le=\"x\"} 8\n"
	    "s_bucket 7\n");
	/* h itself is no sample of a histogram */
	ck_assert_uint_eq(d[0][RTA_PROM_CONFLICT], 1);
	ck_assert_uint_eq(d[1][RTA_PROM_CONFLICT], 0);
	/* an le or quantile that is not a number */
	ck_assert_uint_eq(d[1][RTA_PROM_SYNTAX], 2);
	/* a family named like another's samples */
	ck_assert_uint_eq(d[2][RTA_PROM_CONFLICT], 2);
	/* a histogram TYPE refused: the text's samples of it go too */
	ck_assert_str_eq(merge(0, (const char *[]){ "h_sum 1\n",
	    "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\n" }, 2,
	    d), "h_sum 1\n");
	ck_assert_uint_eq(d[1][RTA_PROM_CONFLICT], 3);
	ck_assert_str_eq(merge(0, (const char *[]){ "# TYPE h counter\nh 1\n",
	    "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\n" }, 2, d),
	    "# TYPE h counter\nh 1\n");
	ck_assert_uint_eq(d[1][RTA_PROM_CONFLICT], 3);
}
END_TEST

START_TEST(same_series_labelled)
{
	static const char *const t[] = {
		"# TYPE r counter\nr 1\nr{k=\"v\"} 1\nu 1\n",
		"# TYPE r counter\nr 2\nw 2\n",
		"r 3\nr{k=\"v\"} 3\n",
	};

	/* only the series two texts give get the label, each copy */
	ck_assert_str_eq(merge(0, t, 3, NULL),
	    "# TYPE r counter\n"
	    "r{file=\"t0\"} 1\nr{k=\"v\",file=\"t0\"} 1\nr{file=\"t1\"} 2\n"
	    "r{file=\"t2\"} 3\nr{k=\"v\",file=\"t2\"} 3\nu 1\nw 2\n");
	/* the caller's own series keep their labels */
	ck_assert_str_eq(merge(1, t, 3, NULL),
	    "# TYPE r counter\n"
	    "r 1\nr{k=\"v\"} 1\nr{file=\"t1\"} 2\n"
	    "r{file=\"t2\"} 3\nr{k=\"v\",file=\"t2\"} 3\nu 1\nw 2\n");
}
END_TEST

START_TEST(same_series_file_label)
{
	static const char *const t[] = {
		"q{file=\"t1\"} 1\nq{file=\"x\"} 2\n",
		"q 3\nq{file=\"x\"} 4\n",
		"q 5\n",
	};
	uint64_t d[3][5];

	/* t1's q, labelled, would be t0's q{file="t1"}, and its
	 * q{file="x"} cannot be told from t0's by a label: both are left
	 * out rather than a series written twice */
	ck_assert_str_eq(merge(0, t, 3, d),
	    "q{file=\"t1\"} 1\nq{file=\"x\"} 2\nq{file=\"t2\"} 5\n");
	ck_assert_uint_eq(d[1][RTA_PROM_DUPLICATE], 0);
}
END_TEST

START_TEST(reserved_names)
{
	uint64_t d[1][5];

	ck_assert_str_eq(merge(0, (const char *[]){
	    "# HELP rta_query_metrics_file_up Mine.\n"
	    "# TYPE rta_query_metrics_file_dropped_lines gauge\n"
	    "rta_query_metrics_file_up{file=\"x\"} 1\n"
	    "rta_query_metrics_file_mtime_seconds 1\n"
	    "rta_query_metrics_file_up_total 1\n" }, 1, d),
	    "rta_query_metrics_file_up_total 1\n");
	ck_assert_uint_eq(d[0][RTA_PROM_CONFLICT], 4);
}
END_TEST

START_TEST(empty_families_left_out)
{
	ck_assert_str_eq(merge(0, (const char *[]){
	    "# HELP a A.\n# TYPE a counter\n# HELP b B.\nb 1\n" }, 1, NULL),
	    "# HELP b B.\nb 1\n");
	ck_assert_str_eq(merge(0, (const char *[]){ "" }, 1, NULL), "");
	ck_assert_str_eq(merge(0, NULL, 0, NULL), "");
}
END_TEST

/* A stage's own text merges with nothing dropped. */
static int
extra(void *arg, struct rta_buf *b)
{
	(void)arg;
	return rta_buf_adds(b, "# HELP rta_x_total X.\n# TYPE rta_x_total "
	    "counter\nrta_x_total{tenant=\"a\\\"b\\\\c\\nd\"} 3\n") ? -1 : 0;
}

START_TEST(stage_text)
{
	struct rta_metrics m;
	struct rta_buf t = RTA_BUF_INIT;
	uint64_t d[2][5];
	const char *texts[2];
	int i, j;

	rta_metrics_init(&m, "rta-cat");
	m.path = rta_memdup("unused", 6);
	m.extra = extra;
	m.in = 5;
	rta_metrics_reject(&m, "bad-json");
	rta_metrics_tenant(&m, "acme", 4, RTA_TENANT_OUT);
	m.max_event_time = 1;
	ck_assert_int_eq(rta_metrics_format(&m, &t), 0);
	ck_assert_int_eq(rta_buf_addc(&t, 0), 0);
	texts[0] = texts[1] = (const char *)t.data;
	merge(0, texts, 2, d);
	for (i = 0; i < 2; i++)
		for (j = 0; j < RTA_PROM_NDROP; j++)
			ck_assert_uint_eq(d[i][j], 0);
	ck_assert_ptr_nonnull(strstr((const char *)out.data,
	    "\nrta_x_total{tenant=\"a\\\"b\\\\c\\nd\",file=\"t1\"} 3\n"));
	rta_metrics_release(&m);
	rta_buf_release(&t);
}
END_TEST

/* ------------------------------------------------------ the checker */

static char why[256];

#define BAD(...) do {							\
	snprintf(why, sizeof(why), __VA_ARGS__);			\
	goto out;							\
} while (0)

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The series key of sample line s (its name, then its labels sorted)
 * into b, or -1 (why says why): the value must be a number strtod takes
 * whole.
 */
static int
sample_key(const char *s, struct rta_buf *b)
{
	char *lab[256], *v = NULL, *end;
	size_t n = 0, i, nlen = strcspn(s, "{ ");
	const char *p = s + nlen, *q;
	int rc = -1;

	rta_buf_reset(b);
	if (nlen == 0)
		BAD("no name: %s", s);
	if (*p == '{') {
		for (p++; *p != '}'; p = q + (q[1] == ',' ? 2 : 1)) {
			if ((q = strchr(p, '"')) == NULL || n == 256)
				BAD("labels: %s", s);
			for (q++; *q != '"'; q++)
				if (*q == '\0' || (*q == '\\' && *++q == '\0'))
					BAD("labels: %s", s);
			lab[n++] = strndup(p, (size_t)(q - p + 1));
		}
		p++;
	}
	if (*p != ' ')
		BAD("no value: %s", s);
	v = strndup(p + 1, strcspn(p + 1, " "));
	(void)strtod(v, &end);
	if (*v == '\0' || *end != '\0')
		BAD("value '%s'", v);
	qsort(lab, n, sizeof(*lab), cmp_str);
	rta_buf_add(b, s, nlen);
	for (i = 0; i < n; i++) {
		if (i > 0 && strcmp(lab[i - 1], lab[i]) == 0)
			BAD("label twice: %s", s);
		rta_buf_printf(b, "%c%s", i ? ',' : '|', lab[i]);
	}
	rta_buf_addc(b, 0);
	rc = 0;
out:
	for (i = 0; i < n; i++)
		free(lab[i]);
	free(v);
	return rc;
}

/* Whether sample name s (n bytes) is of family f typed t (2 histogram,
 * 3 summary, else 0 or 1). */
static int
of_family(const char *f, int t, const char *s, size_t n)
{
	size_t k = strlen(f);

	if (n == k && strncmp(s, f, n) == 0)
		return t != 2;
	if (t < 2 || n <= k || strncmp(s, f, k) != 0)
		return 0;
	s += k;
	n -= k;
	return (t == 2 && n == 7 && strncmp(s, "_bucket", 7) == 0) ||
	    (n == 4 && strncmp(s, "_sum", 4) == 0) ||
	    (n == 6 && strncmp(s, "_count", 6) == 0);
}

/*
 * Whether text is valid exposition: every line a HELP, TYPE or sample;
 * each family's lines together, its HELP and TYPE at most once each and
 * before its samples; no series twice.  The number of samples, or -1
 * (why says why).
 */
static long
exposition(const char *text)
{
	struct rta_buf k = RTA_BUF_INIT;
	char **seen = NULL, **keys = NULL, *line = NULL, *cur = NULL;
	size_t nseen = 0, nkeys = 0, i, n;
	const char *p, *nl;
	int type = 0, help = 0, samples = 0;
	long rc = -1;

	if (*text != '\0' && text[strlen(text) - 1] != '\n')
		BAD("no newline at the end");
	for (p = text; *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		free(line);
		line = strndup(p, (size_t)(nl - p));
		if (strncmp(line, "# HELP ", 7) == 0 ||
		    strncmp(line, "# TYPE ", 7) == 0) {
			n = strcspn(line + 7, " ");
			if (cur == NULL || strlen(cur) != n ||
			    strncmp(cur, line + 7, n) != 0)
				cur = NULL;
			else if (samples)
				BAD("after samples: %s", line);
		} else {
			if (line[0] == '#' || line[0] == '\0')
				BAD("line '%s'", line);
			n = strcspn(line, "{ ");
			if (cur != NULL && !of_family(cur, type, line, n))
				cur = NULL;
		}
		if (cur == NULL) {
			const char *name = line[0] == '#' ? line + 7 : line;

			for (i = 0; i < nseen; i++)
				if (strlen(seen[i]) == n &&
				    strncmp(seen[i], name, n) == 0)
					BAD("family %s in two places", seen[i]);
			seen = realloc(seen, (nseen + 1) * sizeof(*seen));
			cur = seen[nseen++] = strndup(name, n);
			type = help = samples = 0;
		}
		if (line[0] != '#') {
			samples = 1;
			if (sample_key(line, &k) != 0)
				goto out;
			keys = realloc(keys, (nkeys + 1) * sizeof(*keys));
			keys[nkeys++] = strdup((const char *)k.data);
		} else if (line[2] == 'H' && help++)
			BAD("HELP twice: %s", line);
		else if (line[2] == 'T') {
			if (type)
				BAD("TYPE twice: %s", line);
			type = strcmp(line + 8 + n, "histogram") == 0 ? 2 :
			    strcmp(line + 8 + n, "summary") == 0 ? 3 : 1;
		}
	}
	if (nkeys > 1)
		qsort(keys, nkeys, sizeof(*keys), cmp_str);
	for (i = 1; i < nkeys; i++)
		if (strcmp(keys[i - 1], keys[i]) == 0)
			BAD("series %s twice", keys[i]);
	rc = (long)nkeys;
out:
	for (i = 0; i < nkeys; i++)
		free(keys[i]);
	for (i = 0; i < nseen; i++)
		free(seen[i]);
	free(seen);
	free(keys);
	free(line);
	rta_buf_release(&k);
	return rc;
}

/* text is valid exposition: the number of its samples. */
static size_t
check_exposition(const char *text)
{
	long n = exposition(text);

	ck_assert_msg(n >= 0, "%s in:\n%s", why, text);
	return (size_t)n;
}

static const char *const wrong[] = {
	"a 1\nb 1\na 2\n", "a 1\na 1\n",
	"a{x=\"1\",y=\"2\"} 1\na{y=\"2\",x=\"1\"} 2\n",
	"# TYPE a gauge\n# TYPE a gauge\na 1\n", "a 1\n# HELP a A.\n", "a 1",
	"a x\n", "# TYPE h histogram\nh 1\n", "# HELP a A.\n\na 1\n",
	"a{x=\"1\",x=\"1\"} 1\n", "# odd\n",
};

START_TEST(checker_catches)
{
	/* the checker itself: each of these is wrong, the fixed one not */
	ck_assert_msg(exposition(wrong[_i]) == -1, "passed: %s", wrong[_i]);
	ck_assert_int_eq(exposition("# HELP h H.\n# TYPE h histogram\n"
	    "h_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\nh_x 1\n"), 4);
}
END_TEST

/* ------------------------------------------------------------- files */

static void
set_mtime(const char *path)
{
	struct timespec ts[2] = { { 1767225600, 500000000 },
	    { 1767225600, 500000000 } };

	ck_assert_int_eq(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static void
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	for (; (p = strstr(p, line)) != NULL; p++)
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return;
	ck_abort_msg("no line '%s' in:\n%s", line, text);
}

START_TEST(files)
{
	struct rta_prom *p = rta_prom_new();
	char good[UNIT_PATH_MAX], weird[UNIT_PATH_MAX], exact[UNIT_PATH_MAX];
	char want[UNIT_PATH_MAX * 2 + 100];
	const char *paths[5];
	const char *t;
	size_t i;

	unit_write_str("good.prom", "# HELP a As.\na 1\n# odd\n");
	unit_write_str("exact.prom", "b 1\nc 2\nd 3\ne 4\n");
	unit_write_str("big.prom", "b 1\nc 2\nd 3\ne 4\nf 5\n");
	unit_write_str("we\"ir\\d\nx.prom", "a 2\n");
	ck_assert_int_eq(mkdir(unit_path("dir"), 0755), 0);
	ck_assert_int_eq(mkfifo(unit_path("fifo"), 0644), 0);
	snprintf(good, sizeof(good), "%s", unit_path("good.prom"));
	snprintf(weird, sizeof(weird), "%s", unit_path("we\"ir\\d\nx.prom"));
	snprintf(exact, sizeof(exact), "%s", unit_path("exact.prom"));
	set_mtime(good);
	set_mtime(weird);
	set_mtime(exact);
	paths[0] = unit_path("nosuch.prom");
	paths[1] = unit_path("dir");
	paths[2] = unit_path("fifo");		/* must not block */
	paths[3] = unit_path("big.prom");
	ck_assert_int_eq(rta_prom_add_file(p, good, 100), RTA_OK);
	for (i = 0; i < 4; i++)
		ck_assert_int_eq(rta_prom_add_file(p, paths[i], 16), RTA_OK);
	/* 16 bytes is not too big for 16 */
	ck_assert_int_eq(rta_prom_add_file(p, exact, 16), RTA_OK);
	ck_assert_int_eq(rta_prom_add_file(p, good, 100), RTA_OK);
	ck_assert_int_eq(rta_prom_add_file(p, weird, 16), RTA_OK);
	ck_assert_int_eq(rta_prom_format(p, &out), RTA_OK);
	ck_assert_int_eq(rta_buf_addc(&out, 0), 0);
	t = (const char *)out.data;
	check_exposition(t);
	snprintf(want, sizeof(want), "a{file=\"%s\"} 1", good);
	has_line(t, want);
	snprintf(want, sizeof(want), "a{file=\"%.*swe\\\"ir\\\\d\\nx.prom\"} 2",
	    (int)(strlen(good) - strlen("good.prom")), good);
	has_line(t, want);
	has_line(t, "b 1");
	has_line(t, "e 4");
	ck_assert_ptr_null(strstr(t, "f 5"));
	snprintf(want, sizeof(want), "rta_query_metrics_file_up{file=\"%s\"} "
	    "1", good);
	has_line(t, want);
	for (i = 0; i < 4; i++) {
		snprintf(want, sizeof(want), "rta_query_metrics_file_up{file="
		    "\"%s\"} 0", paths[i]);
		has_line(t, want);
	}
	snprintf(want, sizeof(want), "rta_query_metrics_file_mtime_seconds{"
	    "file=\"%s\"} 1767225600.500", exact);
	has_line(t, want);
	snprintf(want, sizeof(want), "rta_query_metrics_file_dropped_lines{"
	    "file=\"%s\",reason=\"comment\"} 1", good);
	has_line(t, want);
	/* each path once: its series and its file series */
	ck_assert_uint_eq(check_exposition(t), 6 + 7 + 3 + 3 * 5);
	rta_prom_free(p);
}
END_TEST

START_TEST(late_duplicates_counted)
{
	struct rta_prom *p = rta_prom_new();
	char want[UNIT_PATH_MAX + 100];

	unit_write_str("a", "q{file=\"x\"} 1\n");
	unit_write_str("b", "q{file=\"x\"} 2\n");
	ck_assert_int_eq(rta_prom_add_file(p, unit_path("a"), 100), RTA_OK);
	ck_assert_int_eq(rta_prom_add_file(p, unit_path("b"), 100), RTA_OK);
	ck_assert_int_eq(rta_prom_format(p, &out), RTA_OK);
	ck_assert_int_eq(rta_buf_addc(&out, 0), 0);
	snprintf(want, sizeof(want), "rta_query_metrics_file_dropped_lines{"
	    "file=\"%s\",reason=\"duplicate\"} 1", unit_path("b"));
	has_line((const char *)out.data, want);
	ck_assert_ptr_null(strstr((const char *)out.data, "} 2\n"));
	rta_prom_free(p);
}
END_TEST

/* ------------------------------------------------------------ random */

/* splitmix64 */
static uint64_t
rng(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

#define PICK(s, v)	((v)[rng(s) % (sizeof(v) / sizeof((v)[0]))])

/* A text of n lines, most of them nearly right, some garbage. */
static void
gen_text(uint64_t *s, struct rta_buf *b, int n)
{
	static const char *const names[] = { "a", "a_total", "h", "h_bucket",
	    "h_sum", "h_count", "s", "s_sum", "s_count", "x:y", "_z",
	    "rta_query_metrics_file_up", "1bad", "a-b" };
	static const char *const labels[] = { "le", "quantile", "file",
	    "stage", "tenant", "__name__", "b" };
	static const char *const values[] = { "1", "0", "NaN", "+Inf",
	    "-Inf", "-1e3", ".5", "nan", "1_0", "", "0x1" };
	static const char *const lvals[] = { "1", "+Inf", "a\\\"b",
	    "\\\\", "\\n", "\xc3\xa9", "\\q", "x\"y", "" };
	static const char *const types[] = { "counter", "gauge", "histogram",
	    "summary", "untyped", "bogus" };
	static const char *const ends[] = { "\n", "\n", "\n", "\r\n", "\r" };
	int i, j, k;

	rta_buf_reset(b);
	for (i = 0; i < n; i++) {
		switch (rng(s) % 10) {
		case 0:
			rta_buf_printf(b, "# HELP %s help %d", PICK(s, names),
			    (int)(rng(s) % 3));
			break;
		case 1:
			rta_buf_printf(b, "# TYPE %s %s", PICK(s, names),
			    PICK(s, types));
			break;
		case 2:
			/* garbage, now and then a long line of it */
			k = rng(s) % 50 == 0 ? RTA_PROM_LINE_MAX + 10 :
			    (int)(rng(s) % 40);
			for (j = 0; j < k; j++)
				rta_buf_addc(b, (int)(rng(s) % 256));
			break;
		case 3:
			rta_buf_adds(b, rng(s) % 2 ? "# a comment" : "");
			break;
		default:
			rta_buf_adds(b, PICK(s, names));
			k = (int)(rng(s) % 4);
			if (k > 0 || rng(s) % 4 == 0)
				rta_buf_adds(b, rng(s) % 8 ? "{" : " { ");
			for (j = 0; j < k; j++)
				rta_buf_printf(b, "%s%s=\"%s\"", j ? "," : "",
				    PICK(s, labels), PICK(s, lvals));
			if (k > 0 || rng(s) % 4 == 0)
				rta_buf_adds(b, rng(s) % 8 ? "}" : ",}");
			rta_buf_printf(b, " %s", PICK(s, values));
			if (rng(s) % 8 == 0)
				rta_buf_printf(b, " %d", (int)(rng(s) % 5));
		}
		if (i + 1 < n || rng(s) % 2)
			rta_buf_adds(b, PICK(s, ends));
	}
}

START_TEST(random_texts)
{
	struct rta_buf t[4] = { RTA_BUF_INIT, RTA_BUF_INIT, RTA_BUF_INIT,
	    RTA_BUF_INIT };
	struct rta_buf first = RTA_BUF_INIT;
	struct rta_prom *p;
	uint64_t s = 42 + (uint64_t)_i, d[RTA_PROM_NDROP];
	int iter, i, j, n, own;

	for (iter = 0; iter < 300; iter++) {
		n = 1 + (int)(rng(&s) % 4);
		own = (int)(rng(&s) % 2);
		p = rta_prom_new();
		for (i = 0; i < n; i++) {
			gen_text(&s, &t[i], (int)(rng(&s) % 40));
			ck_assert_int_eq(rta_prom_add(p, own && i == 0 ? NULL :
			    i % 2 ? "odd" : "e\"v\\en", t[i].data, t[i].len,
			    d), RTA_OK);
		}
		rta_buf_reset(&out);
		ck_assert_int_eq(rta_prom_format(p, &out), RTA_OK);
		/* twice, the same */
		rta_buf_reset(&first);
		rta_buf_add(&first, out.data, out.len);
		rta_buf_reset(&out);
		ck_assert_int_eq(rta_prom_format(p, &out), RTA_OK);
		ck_assert(first.len == out.len && (out.len == 0 ||
		    memcmp(first.data, out.data, out.len) == 0));
		rta_prom_free(p);
		rta_buf_addc(&first, 0);
		check_exposition((const char *)first.data);
		/* the merged text taken again comes back as it was */
		p = rta_prom_new();
		ck_assert_int_eq(rta_prom_add(p, "again", first.data,
		    first.len - 1, d), RTA_OK);
		for (j = 0; j < RTA_PROM_NDROP; j++)
			ck_assert_msg(d[j] == 0, "%s dropped again in:\n%s",
			    rta_prom_drop_name(j), first.data);
		rta_buf_reset(&out);
		ck_assert_int_eq(rta_prom_format(p, &out), RTA_OK);
		ck_assert_int_eq(rta_buf_addc(&out, 0), 0);
		ck_assert_str_eq((const char *)out.data,
		    (const char *)first.data);
		rta_prom_free(p);
	}
	for (i = 0; i < 4; i++)
		rta_buf_release(&t[i]);
	rta_buf_release(&first);
}
END_TEST

/* Bytes at random: no crash, no leak, valid text out. */
START_TEST(binary_garbage)
{
	struct rta_buf t = RTA_BUF_INIT;
	struct rta_prom *p = rta_prom_new();
	uint64_t s = 7, d[RTA_PROM_NDROP];
	int i;

	for (i = 0; i < 1 << 16; i++)
		rta_buf_addc(&t, (int)(rng(&s) % 256));
	ck_assert_int_eq(rta_prom_add(p, "bin", t.data, t.len, d), RTA_OK);
	ck_assert_uint_gt(d[RTA_PROM_SYNTAX] + d[RTA_PROM_LONG], 0);
	ck_assert_int_eq(rta_prom_format(p, &out), RTA_OK);
	ck_assert_int_eq(rta_buf_addc(&out, 0), 0);
	check_exposition((const char *)out.data);
	rta_prom_free(p);
	rta_buf_release(&t);
}
END_TEST

/* ------------------------------------------------ allocation failures */

static const char *const fault_texts[] = {
	"# HELP a_total As.\n# TYPE a_total counter\na_total{s=\"1\"} 1\n"
	"# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",
	"# TYPE a_total counter\na_total{s=\"1\"} 2\nb 1\nbad line\n",
};
static char fault_want[8192];

/* The merge of fault_texts and a file into *b: RTA_OK or RTA_ENOMEM. */
static int
fault_merge(struct rta_buf *b, const char *file)
{
	struct rta_prom *p;
	size_t i;
	int rc = RTA_OK;

	if ((p = rta_prom_new()) == NULL)
		return RTA_ENOMEM;
	for (i = 0; i < 2 && rc == RTA_OK; i++)
		rc = rta_prom_add(p, i ? "two" : NULL, fault_texts[i],
		    strlen(fault_texts[i]), NULL);
	if (rc == RTA_OK)
		rc = rta_prom_add_file(p, file, 1000);
	if (rc == RTA_OK)
		rc = rta_prom_format(p, b);
	rta_prom_free(p);
	return rc;
}

static int
fault_child(unsigned long n)
{
	struct rta_buf b = RTA_BUF_INIT;
	char spec[64];
	void *q;
	int rc;

	snprintf(spec, sizeof(spec), "alloc:%lu:persistent", n);
	setenv("RTA_FAULT", spec, 1);
	rc = fault_merge(&b, unit_path("f.prom"));
	if (rc == RTA_OK && (b.len != strlen(fault_want) ||
	    memcmp(b.data, fault_want, b.len) != 0))
		return 13;
	rta_buf_release(&b);
	if (rc != RTA_OK)
		return rc == RTA_ENOMEM ? 1 : 14;
	if ((q = rta_malloc(1)) == NULL)
		return 1;
	rta_free(q);
	return n == 1 ? 12 : 0;
}

#define DROPS(r)	"rta_query_metrics_file_dropped_lines{file=\"%s\"," \
			"reason=\"" r "\"} 0\n"

START_TEST(allocation_failures)
{
	const char *f = unit_path("f.prom");

	unit_write_str("f.prom", "b 2\nh_count{s=\"2\"} 3\n");
	set_mtime(f);
	/* written out: working it out here would read RTA_FAULT too soon */
	snprintf(fault_want, sizeof(fault_want),
	    "# HELP a_total As.\n# TYPE a_total counter\n"
	    "a_total{s=\"1\"} 1\na_total{s=\"1\",file=\"two\"} 2\n"
	    "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n"
	    "h_count{s=\"2\"} 3\nb{file=\"two\"} 1\nb{file=\"%s\"} 2\n"
	    "# HELP rta_query_metrics_file_up Whether the metrics file could "
	    "be read (0: missing, unreadable, not a regular file or too "
	    "big).\n# TYPE rta_query_metrics_file_up gauge\n"
	    "rta_query_metrics_file_up{file=\"%s\"} 1\n"
	    "# HELP rta_query_metrics_file_mtime_seconds When the metrics "
	    "file was last written.\n"
	    "# TYPE rta_query_metrics_file_mtime_seconds gauge\n"
	    "rta_query_metrics_file_mtime_seconds{file=\"%s\"} "
	    "1767225600.500\n"
	    "# HELP rta_query_metrics_file_dropped_lines Lines of the metrics "
	    "file left out, by reason.\n"
	    "# TYPE rta_query_metrics_file_dropped_lines gauge\n"
	    DROPS("syntax") DROPS("long") DROPS("comment") DROPS("duplicate")
	    DROPS("conflict"),
	    f, f, f, f, f, f, f, f);
	ck_assert_uint_gt(unit_alloc_failures(fault_child, NULL), 10);
}
END_TEST

static Suite *
prom_suite(void)
{
	Suite *s = suite_create("rta_prom");
	TCase *tc;

	tc = tcase_create("lines");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, good_lines);
	tcase_add_test(tc, bad_lines);
	tcase_add_test(tc, line_ends);
	tcase_add_test(tc, long_lines);
	tcase_add_test(tc, normalized);
	suite_add_tcase(s, tc);

	tc = tcase_create("merge");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, families_merged);
	tcase_add_test(tc, duplicates_in_one_text);
	tcase_add_test(tc, type_conflicts);
	tcase_add_test(tc, typed_later);
	tcase_add_test(tc, histograms);
	tcase_add_test(tc, same_series_labelled);
	tcase_add_test(tc, same_series_file_label);
	tcase_add_test(tc, reserved_names);
	tcase_add_test(tc, empty_families_left_out);
	tcase_add_test(tc, stage_text);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, files);
	tcase_add_test(tc, late_duplicates_counted);
	tcase_add_test(tc, allocation_failures);
	suite_add_tcase(s, tc);

	tc = tcase_create("random");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, checker_catches, 0,
	    sizeof(wrong) / sizeof(wrong[0]));
	tcase_add_loop_test(tc, random_texts, 0, 4);
	tcase_add_test(tc, binary_garbage);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	setenv("RTA_HASH_SEED", "1", 1);
	sr = srunner_create(prom_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
