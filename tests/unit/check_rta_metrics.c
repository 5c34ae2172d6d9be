/*
 * check_rta_metrics.c: the counters and their Prometheus text.
 *
 * The text is checked three ways: exact sample lines for known counts, a
 * small validator of the exposition format written here (every sample
 * has a # TYPE before it, label values are properly escaped, values are
 * numbers), and the file on disk, rewritten by rename with no temporary
 * file left behind.  A program's own series (the extra hook) and the
 * label escaper it uses are checked the same ways.  RTA_NOW pins the
 * clock (set in main).
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rta_metrics.h"
#include "rta_time.h"
#include "unit.h"

#define NOW_TEXT	"2026-01-01T00:01:00Z"
#define NOW_US		(1767225660LL * RTA_US_PER_SEC)

static char mpath[UNIT_PATH_MAX];
static struct rta_metrics fm;
static struct rta_buf ftext;

static void
setup(void)
{
	unit_tmp_setup();
	snprintf(mpath, sizeof(mpath), "%s", unit_path("rta.prom"));
	rta_metrics_init(&fm, "rta-cat");
	ck_assert_int_eq(fm.start, NOW_US);
	ck_assert(fm.max_event_time == INT64_MIN);
	rta_buf_init(&ftext);
}

static void
teardown(void)
{
	rta_metrics_release(&fm);
	/* released: no table, no path, no text */
	ck_assert_ptr_null(fm.tenants);
	ck_assert_ptr_null(fm.path);
	ck_assert_ptr_null(fm.text.data);
	ck_assert_uint_eq(fm.tcap, 0);
	ck_assert_uint_eq(fm.tused, 0);
	rta_metrics_release(NULL);
	rta_buf_release(&ftext);
	unit_tmp_teardown();
}

/* The text as a C string. */
static const char *
format(void)
{
	rta_buf_reset(&ftext);
	ck_assert_int_eq(rta_metrics_format(&fm, &ftext), 0);
	ck_assert_int_eq(rta_buf_addc(&ftext, '\0'), 0);
	ftext.len--;
	return (const char *)ftext.data;
}

/* The text contains line (a whole line). */
static void
has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	const char *p = text;

	while ((p = strstr(p, line)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[n] == '\n')
			return;
		p++;
	}
	ck_abort_msg("no line '%s' in:\n%s", line, text);
}

static void
no_line_with(const char *text, const char *part)
{
	ck_assert_msg(strstr(text, part) == NULL, "'%s' in:\n%s", part, text);
}

/*
 * The Prometheus text exposition format, as far as we use it: # HELP and
 * # TYPE lines, then samples name{label="value",...} number.  Returns the
 * number of samples.
 */
static int
validate(const char *text)
{
	char typed[64][80];
	int ntyped = 0, samples = 0;
	const char *p = text;

	ck_assert_msg(*text != '\0' && text[strlen(text) - 1] == '\n',
	    "text does not end in a newline");
	while (*p != '\0') {
		const char *nl = strchr(p, '\n'), *q;
		char name[80], line[1024];
		size_t n = (size_t)(nl - p);
		int i, found = 0;
		char *end;

		ck_assert_uint_lt(n, sizeof(line));
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl + 1;
		if (strncmp(line, "# HELP ", 7) == 0)
			continue;
		if (strncmp(line, "# TYPE ", 7) == 0) {
			char type[32];

			ck_assert_int_eq(sscanf(line + 7, "%79s %31s", name,
			    type), 2);
			ck_assert_msg(strcmp(type, "counter") == 0 ||
			    strcmp(type, "gauge") == 0, "type '%s'", type);
			for (i = 0; i < ntyped; i++)
				ck_assert_msg(strcmp(typed[i], name) != 0,
				    "%s typed twice", name);
			ck_assert_int_lt(ntyped, 64);
			snprintf(typed[ntyped++], sizeof(typed[0]), "%s", name);
			continue;
		}
		ck_assert_msg(line[0] != '#', "bad comment '%s'", line);
		/* the metric name */
		for (q = line; (*q >= 'a' && *q <= 'z') || *q == '_' ||
		    (*q >= '0' && *q <= '9'); q++)
			;
		ck_assert_msg(q > line, "no name in '%s'", line);
		snprintf(name, sizeof(name), "%.*s", (int)(q - line), line);
		for (i = 0; i < ntyped; i++)
			found |= strcmp(typed[i], name) == 0;
		ck_assert_msg(found, "'%s' has no # TYPE before it", name);
		/* labels */
		if (*q == '{') {
			q++;
			for (;;) {
				while ((*q >= 'a' && *q <= 'z') || *q == '_')
					q++;
				ck_assert_msg(q[0] == '=' && q[1] == '"',
				    "bad label in '%s'", line);
				q += 2;
				while (*q != '"') {
					ck_assert_msg(*q != '\0' && *q != '\n',
					    "open label value in '%s'", line);
					if (*q == '\\') {
						ck_assert_msg(q[1] == '\\' ||
						    q[1] == '"' || q[1] == 'n',
						    "bad escape in '%s'", line);
						q++;
					}
					q++;
				}
				q++;
				if (*q == ',') {
					q++;
					continue;
				}
				ck_assert_msg(*q == '}', "bad labels in '%s'",
				    line);
				q++;
				break;
			}
		}
		ck_assert_msg(*q == ' ', "no value in '%s'", line);
		errno = 0;
		(void)strtod(q + 1, &end);
		ck_assert_msg(errno == 0 && end > q + 1 && *end == '\0',
		    "bad value in '%s'", line);
		samples++;
	}
	return samples;
}

/* ---- counters ---------------------------------------------------------- */

START_TEST(counters)
{
	const char *t;

	fm.in = 10;
	fm.out = 6;
	fm.dropped = 1;
	rta_metrics_reject(&fm, "bad-json");
	rta_metrics_reject(&fm, "bad-json");
	rta_metrics_reject(&fm, "too-long");
	ck_assert_uint_eq(fm.rejected, 3);
	ck_assert_uint_eq(fm.in, fm.out + fm.rejected + fm.dropped);
	t = format();
	validate(t);
	has_line(t, "# TYPE rta_records_in_total counter");
	has_line(t, "rta_records_in_total{stage=\"rta-cat\"} 10");
	has_line(t, "rta_records_out_total{stage=\"rta-cat\"} 6");
	has_line(t, "rta_records_rejected_total{stage=\"rta-cat\"} 3");
	has_line(t, "rta_records_dropped_total{stage=\"rta-cat\"} 1");
	/* reasons */
	has_line(t, "rta_records_rejected_total{stage=\"rta-cat\","
	    "reason=\"bad-json\"} 2");
	has_line(t, "rta_records_rejected_total{stage=\"rta-cat\","
	    "reason=\"too-long\"} 1");
	has_line(t, "rta_start_time_seconds{stage=\"rta-cat\"} "
	    "1767225660.000000");
	/* no event time seen: no event-time gauges */
	no_line_with(t, "rta_event_time_max_seconds{");
	no_line_with(t, "rta_watermark_seconds{");
}
END_TEST

START_TEST(reasons)
{
	char other[32];
	const char *t;

	/* equal strings at other addresses are the same reason */
	snprintf(other, sizeof(other), "%s", "bad-utf8");
	rta_metrics_reject(&fm, "bad-utf8");
	rta_metrics_reject(&fm, other);
	rta_metrics_reject(&fm, NULL);
	t = format();
	validate(t);
	has_line(t, "rta_records_rejected_total{stage=\"rta-cat\","
	    "reason=\"bad-utf8\"} 2");
	has_line(t, "rta_records_rejected_total{stage=\"rta-cat\","
	    "reason=\"error\"} 1");
	has_line(t, "rta_records_rejected_total{stage=\"rta-cat\"} 3");
}
END_TEST

START_TEST(event_time_gauges)
{
	const char *t;

	rta_metrics_event_time(&fm, NOW_US - 90 * RTA_US_PER_SEC);
	rta_metrics_event_time(&fm, NOW_US - 60 * RTA_US_PER_SEC + 500000);
	rta_metrics_event_time(&fm, NOW_US - 120 * RTA_US_PER_SEC);
	fm.watermark = NOW_US - 75 * RTA_US_PER_SEC;
	t = format();
	validate(t);
	has_line(t, "rta_event_time_max_seconds{stage=\"rta-cat\"} "
	    "1767225600.500000");
	has_line(t, "rta_event_time_lag_seconds{stage=\"rta-cat\"} 59.500000");
	has_line(t, "rta_watermark_seconds{stage=\"rta-cat\"} "
	    "1767225585.000000");
	has_line(t, "# TYPE rta_watermark_seconds gauge");
}
END_TEST

/* ---- tenants ----------------------------------------------------------- */

START_TEST(tenants_only_with_a_file)
{
	const char *t;

	rta_metrics_tenant(&fm, "acme", 4, RTA_TENANT_OUT);
	ck_assert_uint_eq(fm.tused, 0);
	t = format();
	no_line_with(t, "tenant=");
}
END_TEST

/* Tenants come out sorted by name, whatever their arrival order. */
START_TEST(tenants_sorted)
{
	struct rta_error err;
	const char *t, *p, *prev = NULL;
	char name[32];
	int i, k, lines = 0;

	ck_assert_int_eq(rta_metrics_open(&fm, mpath, &err), RTA_OK);
	for (i = 0; i < 200; i++) {
		k = (i * 37) % 100;
		snprintf(name, sizeof(name), "t%d", k);
		rta_metrics_tenant(&fm, name, strlen(name), RTA_TENANT_OUT);
		if (k % 10 == 0)
			rta_metrics_tenant(&fm, name, strlen(name),
			    RTA_TENANT_REJECTED);
	}
	ck_assert_uint_eq(fm.tused, 100);
	t = format();
	validate(t);
	has_line(t, "rta_tenant_records_out_total{stage=\"rta-cat\","
	    "tenant=\"t7\"} 2");
	has_line(t, "rta_tenant_records_rejected_total{stage=\"rta-cat\","
	    "tenant=\"t30\"} 2");
	/* a tenant with nothing rejected has no rejected line */
	no_line_with(t, "rta_tenant_records_rejected_total{stage=\"rta-cat\","
	    "tenant=\"t7\"}");
	for (p = t; (p = strstr(p, "rta_tenant_records_out_total{")) != NULL;
	    p++) {
		const char *q = strstr(p, "tenant=\"");

		ck_assert_ptr_nonnull(q);
		q += 8;
		if (prev != NULL)
			ck_assert_msg(strcmp(prev, q) < 0, "tenants out of "
			    "order: %.8s before %.8s", prev, q);
		prev = q;
		lines++;
	}
	ck_assert_int_eq(lines, 100);
	no_line_with(t, "rta_tenant_other_records");
}
END_TEST

/* Backslash, double quote and newline are escaped in label values. */
START_TEST(label_escaping)
{
	static const char odd[] = "a\\b\"c\nd";
	struct rta_error err;
	const char *t;

	ck_assert_int_eq(rta_metrics_open(&fm, mpath, &err), RTA_OK);
	rta_metrics_tenant(&fm, odd, sizeof(odd) - 1, RTA_TENANT_OUT);
	/* "_other" is a tenant like any other */
	rta_metrics_tenant(&fm, "_other", 6, RTA_TENANT_OUT);
	/* a tenant is told apart from its prefix */
	rta_metrics_tenant(&fm, "abc", 3, RTA_TENANT_OUT);
	rta_metrics_tenant(&fm, "ab", 2, RTA_TENANT_OUT);
	rta_metrics_tenant(&fm, "abc", 3, RTA_TENANT_OUT);
	t = format();
	validate(t);
	has_line(t, "rta_tenant_records_out_total{stage=\"rta-cat\","
	    "tenant=\"a\\\\b\\\"c\\nd\"} 1");
	has_line(t, "rta_tenant_records_out_total{stage=\"rta-cat\","
	    "tenant=\"ab\"} 1");
	has_line(t, "rta_tenant_records_out_total{stage=\"rta-cat\","
	    "tenant=\"abc\"} 2");
	has_line(t, "rta_tenant_records_out_total{stage=\"rta-cat\","
	    "tenant=\"_other\"} 1");
	ck_assert_uint_eq(fm.tused, 4);
}
END_TEST

/* Past max_tenants, new tenants are summed in series of their own. */
START_TEST(tenant_cap)
{
	struct rta_error err;
	char name[32];
	const char *t;
	int i, named = 0;
	const char *p;

	ck_assert_int_eq(rta_metrics_open(&fm, mpath, &err), RTA_OK);
	fm.max_tenants = 3;
	for (i = 0; i < 10; i++) {
		snprintf(name, sizeof(name), "t%d", i);
		rta_metrics_tenant(&fm, name, strlen(name), RTA_TENANT_OUT);
		rta_metrics_tenant(&fm, name, strlen(name), RTA_TENANT_OUT);
	}
	rta_metrics_tenant(&fm, "t9", 2, RTA_TENANT_REJECTED);
	/* the first ones keep counting */
	rta_metrics_tenant(&fm, "t1", 2, RTA_TENANT_OUT);
	ck_assert_uint_eq(fm.tused, 3);
	t = format();
	validate(t);
	has_line(t, "rta_tenant_records_out_total{stage=\"rta-cat\","
	    "tenant=\"t0\"} 2");
	has_line(t, "rta_tenant_records_out_total{stage=\"rta-cat\","
	    "tenant=\"t1\"} 3");
	has_line(t, "rta_tenant_records_out_total{stage=\"rta-cat\","
	    "tenant=\"t2\"} 2");
	has_line(t, "# TYPE rta_tenant_other_records_out_total counter");
	has_line(t, "rta_tenant_other_records_out_total{stage=\"rta-cat\"} 14");
	has_line(t, "rta_tenant_other_records_rejected_total{stage="
	    "\"rta-cat\"} 1");
	/* no tenant series stands for the rest: a tenant could be named so */
	no_line_with(t, "_other\"");
	for (p = t; (p = strstr(p, "rta_tenant_records_out_total{")) != NULL;
	    p++)
		named++;
	ck_assert_int_eq(named, 3);
}
END_TEST

/* The default cap holds with many more tenants than it. */
START_TEST(tenant_cap_default)
{
	struct rta_error err;
	char name[32];
	int i;

	ck_assert_int_eq(rta_metrics_open(&fm, mpath, &err), RTA_OK);
	ck_assert_uint_eq(fm.max_tenants, RTA_METRICS_TENANTS);
	for (i = 0; i < RTA_METRICS_TENANTS + 5000; i++) {
		snprintf(name, sizeof(name), "tenant-%06d", i);
		rta_metrics_tenant(&fm, name, strlen(name), RTA_TENANT_OUT);
	}
	ck_assert_uint_eq(fm.tused, RTA_METRICS_TENANTS);
	ck_assert(fm.other[RTA_TENANT_OUT] == 5000);
	ck_assert_uint_le(fm.tcap, 4 * RTA_METRICS_TENANTS);
	validate(format());
	has_line(format(), "rta_tenant_other_records_out_total{stage="
	    "\"rta-cat\"} 5000");
}
END_TEST

/* ---- the file ---------------------------------------------------------- */

/* Names in the directory other than the metrics file. */
static int
strays(char *first, size_t n)
{
	DIR *d = opendir(unit_path("."));
	struct dirent *e;
	int k = 0;

	ck_assert_ptr_nonnull(d);
	first[0] = '\0';
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 ||
		    strcmp(e->d_name, "..") == 0 ||
		    strcmp(e->d_name, "rta.prom") == 0)
			continue;
		if (k++ == 0)
			snprintf(first, n, "%s", e->d_name);
	}
	closedir(d);
	return k;
}

START_TEST(file_written_at_open)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_error err;
	char stray[256];

	fm.in = 5;
	ck_assert_int_eq(rta_metrics_open(&fm, mpath, &err), RTA_OK);
	unit_read(mpath, &b);
	ck_assert_str_eq((const char *)b.data, format());
	has_line((const char *)b.data,
	    "rta_records_in_total{stage=\"rta-cat\"} 5");
	ck_assert_msg(strays(stray, sizeof(stray)) == 0, "left behind: %s",
	    stray);
	rta_buf_release(&b);
}
END_TEST

START_TEST(file_rewritten_atomically)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_error err;
	struct stat st1, st2;
	char stray[256];

	ck_assert_int_eq(rta_metrics_open(&fm, mpath, &err), RTA_OK);
	ck_assert_int_eq(stat(mpath, &st1), 0);
	fm.out = 77;
	/* the clock is pinned: the interval has not passed */
	ck_assert_int_eq(rta_metrics_write(&fm, 0, &err), RTA_OK);
	unit_read(mpath, &b);
	no_line_with((const char *)b.data, "} 77\n");
	/* forced: the new text, in a new file renamed over the old */
	ck_assert_int_eq(rta_metrics_write(&fm, 1, &err), RTA_OK);
	unit_read(mpath, &b);
	has_line((const char *)b.data,
	    "rta_records_out_total{stage=\"rta-cat\"} 77");
	ck_assert_int_eq(stat(mpath, &st2), 0);
	ck_assert(st1.st_ino != st2.st_ino);
	ck_assert_msg(strays(stray, sizeof(stray)) == 0, "left behind: %s",
	    stray);
	/* once the interval has passed, an unforced write happens */
	fm.last_write -= RTA_METRICS_INTERVAL;
	fm.out = 78;
	ck_assert_int_eq(rta_metrics_write(&fm, 0, &err), RTA_OK);
	unit_read(mpath, &b);
	has_line((const char *)b.data,
	    "rta_records_out_total{stage=\"rta-cat\"} 78");
	rta_buf_release(&b);
}
END_TEST

START_TEST(file_errors)
{
	struct rta_error err;
	const char *p = unit_path("no/such/rta.prom");
	char stray[256];

	/* a directory that does not exist: found at open */
	rta_error_clear(&err);
	ck_assert_int_eq(rta_metrics_open(&fm, p, &err), RTA_EIO);
	ck_assert_ptr_nonnull(strstr(err.text, "No such file or directory"));
	rta_metrics_release(&fm);
	rta_metrics_init(&fm, "rta-cat");
	/* a path that names a directory: the rename fails, and the
	 * temporary file is removed */
	ck_assert_int_eq(mkdir(mpath, 0755), 0);
	rta_error_clear(&err);
	ck_assert_int_eq(rta_metrics_open(&fm, mpath, &err), RTA_EIO);
	ck_assert_msg(strays(stray, sizeof(stray)) == 0, "left behind: %s",
	    stray);
	/* no file: writing is a no-op */
	rta_metrics_release(&fm);
	rta_metrics_init(&fm, "rta-cat");
	ck_assert_int_eq(rta_metrics_write(&fm, 1, &err), RTA_OK);
}
END_TEST

/* ---- a program's own series -------------------------------------------- */

struct extra_state {
	int		 calls;
	int		 fail;
	const char	*kind;		/* label value, escaped */
	uint64_t	 n;
};

static int
extra_series(void *arg, struct rta_buf *out)
{
	struct extra_state *x = arg;

	x->calls++;
	if (x->fail)
		return -1;
	if (rta_buf_adds(out, "# HELP rta_test_checks_total Checks made.\n"
	    "# TYPE rta_test_checks_total counter\n"
	    "rta_test_checks_total{stage=\"rta-cat\",kind=\"") != 0 ||
	    rta_metrics_label(out, x->kind, strlen(x->kind)) != 0 ||
	    rta_buf_printf(out, "\"} %llu\n", (unsigned long long)x->n) != 0)
		return -1;
	return 0;
}

#define EXTRA_TEXT(kind, n) "# HELP rta_test_checks_total Checks made.\n" \
	"# TYPE rta_test_checks_total counter\n" \
	"rta_test_checks_total{stage=\"rta-cat\",kind=\"" kind "\"} " n "\n"

/* The text ends with what s ends with. */
static void
ends_with(const char *text, const char *s)
{
	size_t n = strlen(text), k = strlen(s);

	ck_assert_msg(n >= k && strcmp(text + n - k, s) == 0,
	    "text does not end with:\n%s\ntext:\n%s", s, text);
}

/* The hook's series come last, after the common ones, once. */
START_TEST(extra_hook)
{
	struct extra_state x = { 0, 0, "type", 7 };
	char common[8192];
	const char *t;
	int samples;

	ck_assert(fm.extra == NULL);
	ck_assert_ptr_null(fm.extra_arg);
	fm.in = 3;
	t = format();
	samples = validate(t);
	snprintf(common, sizeof(common), "%s", t);
	ends_with(t, "rta_start_time_seconds{stage=\"rta-cat\"} "
	    "1767225660.000000\n");
	fm.extra = extra_series;
	fm.extra_arg = &x;
	t = format();
	ck_assert_int_eq(x.calls, 1);
	ck_assert_int_eq(validate(t), samples + 1);
	/* the common text unchanged, then the hook's */
	ck_assert_uint_eq(strlen(t), strlen(common) +
	    strlen(EXTRA_TEXT("type", "7")));
	ck_assert_int_eq(strncmp(t, common, strlen(common)), 0);
	ends_with(t, EXTRA_TEXT("type", "7"));
	/* called afresh each time, with the argument it was given */
	x.n = 8;
	x.kind = "say \"hi\"\\\n";
	t = format();
	ck_assert_int_eq(x.calls, 2);
	validate(t);
	ends_with(t, EXTRA_TEXT("say \\\"hi\\\"\\\\\\n", "8"));
}
END_TEST

/* The file holds the hook's series too. */
START_TEST(extra_hook_in_file)
{
	struct extra_state x = { 0, 0, "format", 12 };
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_error err;

	fm.extra = extra_series;
	fm.extra_arg = &x;
	ck_assert_int_eq(rta_metrics_open(&fm, mpath, &err), RTA_OK);
	ck_assert_int_eq(x.calls, 1);
	x.n = 13;
	ck_assert_int_eq(rta_metrics_write(&fm, 1, &err), RTA_OK);
	unit_read(mpath, &b);
	validate((const char *)b.data);
	ends_with((const char *)b.data, EXTRA_TEXT("format", "13"));
	ck_assert_str_eq((const char *)b.data, format());
	rta_buf_release(&b);
}
END_TEST

/* A failing hook fails the text, and the file keeps its last contents. */
START_TEST(extra_hook_fails)
{
	struct extra_state x = { 0, 0, "k", 1 };
	struct rta_buf before = RTA_BUF_INIT, after = RTA_BUF_INIT;
	struct rta_error err;
	char stray[256];

	fm.extra = extra_series;
	fm.extra_arg = &x;
	ck_assert_int_eq(rta_metrics_open(&fm, mpath, &err), RTA_OK);
	unit_read(mpath, &before);
	x.fail = 1;
	rta_buf_reset(&ftext);
	ck_assert_int_eq(rta_metrics_format(&fm, &ftext), -1);
	fm.out = 5;
	rta_error_clear(&err);
	ck_assert_int_ne(rta_metrics_write(&fm, 1, &err), RTA_OK);
	ck_assert_int_ne(err.code, RTA_OK);
	unit_read(mpath, &after);
	ck_assert_uint_eq(after.len, before.len);
	ck_assert_int_eq(memcmp(after.data, before.data, before.len), 0);
	ck_assert_msg(strays(stray, sizeof(stray)) == 0, "left behind: %s",
	    stray);
	rta_buf_release(&before);
	rta_buf_release(&after);
}
END_TEST

/* rta_metrics_label on s (len bytes) after a prefix is prefix + want. */
static void
label_is(const char *s, size_t len, const char *want, size_t wlen)
{
	struct rta_buf b = RTA_BUF_INIT;

	ck_assert_int_eq(rta_buf_adds(&b, "pre="), 0);
	ck_assert_int_eq(rta_metrics_label(&b, s, len), 0);
	ck_assert_msg(b.len == 4 + wlen && memcmp(b.data, "pre=", 4) == 0 &&
	    memcmp(b.data + 4, want, wlen) == 0, "label of '%.*s' is '%.*s', "
	    "want '%.*s'", (int)len, s, (int)b.len, b.data, (int)wlen, want);
	rta_buf_release(&b);
}

#define LABEL_IS(s, want) label_is(s, sizeof(s) - 1, want, sizeof(want) - 1)

/* Backslash, double quote and line feed escaped; every other byte as is. */
START_TEST(label_function)
{
	char one[1];
	int c;

	LABEL_IS("", "");
	LABEL_IS("acme", "acme");
	LABEL_IS("a\\b", "a\\\\b");
	LABEL_IS("\"q\"", "\\\"q\\\"");
	LABEL_IS("l1\nl2\n", "l1\\nl2\\n");
	LABEL_IS("\\n", "\\\\n");
	LABEL_IS("\\\"\n", "\\\\\\\"\\n");
	LABEL_IS("tab\tcr\r", "tab\tcr\r");
	LABEL_IS("caf\xc3\xa9 \xe2\x82\xac", "caf\xc3\xa9 \xe2\x82\xac");
	LABEL_IS("nul\0inside", "nul\0inside");
	/* the length is what counts, not a NUL */
	label_is("abc\\def", 3, "abc", 3);
	for (c = 0; c < 256; c++) {
		one[0] = (char)c;
		if (c == '\\')
			label_is(one, 1, "\\\\", 2);
		else if (c == '"')
			label_is(one, 1, "\\\"", 2);
		else if (c == '\n')
			label_is(one, 1, "\\n", 2);
		else
			label_is(one, 1, one, 1);
	}
}
END_TEST

static Suite *
metrics_suite(void)
{
	Suite *s = suite_create("rta_metrics");
	TCase *tc;

	tc = tcase_create("counters");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, counters);
	tcase_add_test(tc, reasons);
	tcase_add_test(tc, event_time_gauges);
	suite_add_tcase(s, tc);

	tc = tcase_create("tenants");
	tcase_set_timeout(tc, 30);
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, tenants_only_with_a_file);
	tcase_add_test(tc, tenants_sorted);
	tcase_add_test(tc, label_escaping);
	tcase_add_test(tc, tenant_cap);
	tcase_add_test(tc, tenant_cap_default);
	suite_add_tcase(s, tc);

	tc = tcase_create("extra");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, extra_hook);
	tcase_add_test(tc, extra_hook_in_file);
	tcase_add_test(tc, extra_hook_fails);
	tcase_add_test(tc, label_function);
	suite_add_tcase(s, tc);

	tc = tcase_create("file");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, file_written_at_open);
	tcase_add_test(tc, file_rewritten_atomically);
	tcase_add_test(tc, file_errors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	setenv("RTA_NOW", NOW_TEXT, 1);
	setenv("RTA_HASH_SEED", "1", 1);
	sr = srunner_create(metrics_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
