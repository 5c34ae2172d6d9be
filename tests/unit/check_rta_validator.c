/*
 * check_rta_validator.c: compiled JSON Schemas (rta_schema) evaluated on
 * values (rta_validator).
 *
 * Most cases are data: tests/unit/data/schema/<keyword>.json, in the
 * shape of the JSON Schema test suite,
 *
 *	[{"description": ..., "schema": ..., "formats": false,
 *	  "tests": [{"description": ..., "data": ..., "valid": bool,
 *	             "violations": [{"path", "keyword", "reason",
 *	                             "schema"}], "formats": bool}]}]
 *
 * read with jansson (the oracle), the schema turned back into text and
 * compiled with rta_schema_load (RTA_SCHEMA_FORMATS where "formats" is
 * true, on the group or the test), the data read with rta_json.
 * rta_validate and rta_validate_quick must agree with each other and with
 * "valid"; where "violations" is given the reported set must be exactly
 * it (path, keyword and reason, in any order, and "schema", the keyword's
 * JSON pointer in the schema, where an entry has it).  Every case also
 * runs with an instance path prefix, and its violations must read back
 * as JSON with all five fields.
 *
 * The text is written here, not by json_dumps alone: jansson prints reals
 * with 17 digits (0.1 as 0.10000000000000001), which would change what
 * multipleOf and the bounds mean.  Reals are printed in the shortest form
 * that reads back as the same double, which is the form they were written
 * in whenever it has at most 15 significant digits; "data_json" and
 * "schema_json" give exact text where that is not enough ("-0", 19
 * digits).  Strings go
 * through json_dumps, and each case runs twice: once with UTF-8 as it is,
 * once with every non-ASCII character and "/" escaped (\u00e9,
 * \ud83d\ude00, \/), so escapes are covered everywhere.
 *
 * invalid-schemas.json lists schemas that must not load: each with the
 * "problem" text expected (a substring), and where given its "pointer"
 * and "line" ("schema_text" holds the schema as text where lines or bad
 * JSON matter).
 *
 * The rest is C: the JSON of violations, the cap on violations kept,
 * defaults, deep instances, allocation failures and bounded memory.
 */
#define _DEFAULT_SOURCE
#include <sys/wait.h>

#include <check.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_alloc.h"
#include "rta_buf.h"
#include "rta_err.h"
#include "rta_json.h"
#include "rta_regex.h"
#include "rta_schema.h"
#include "rta_validator.h"
#include "rta_value.h"
#include "unit.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* Keyword groups that must have a data file. */
static const char *const keyword_files[] = {
	"type", "enum", "const", "properties", "required",
	"additionalProperties", "patternProperties", "propertyNames",
	"items", "contains", "minItems", "uniqueItems", "minProperties",
	"minimum", "multipleOf", "minLength", "pattern", "allOf", "anyOf",
	"oneOf", "not", "if-then-else", "dependentRequired",
	"dependentSchemas", "ref", "boolean", "default", "format"
};

#define MAX_FILES	64

static char	*files[MAX_FILES];
static int	 nfiles;

static const char *
data_dir(void)
{
	const char *d = getenv("RTA_TEST_DATA");

	return d != NULL && *d != '\0' ? d : "tests/unit/data";
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The keyword data files (every *.json but invalid-schemas.json). */
static void
find_files(void)
{
	char dir[512];
	struct dirent *e;
	DIR *d;
	size_t len;

	snprintf(dir, sizeof(dir), "%s/schema", data_dir());
	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL && nfiles < MAX_FILES) {
		len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0 ||
		    strcmp(e->d_name, "invalid-schemas.json") == 0)
			continue;
		files[nfiles++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(files, (size_t)nfiles, sizeof(*files), name_cmp);
}

static json_t *
load_data(const char *name)
{
	char path[600];
	json_error_t err;
	json_t *doc;

	snprintf(path, sizeof(path), "%s/schema/%s", data_dir(), name);
	doc = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
	ck_assert_msg(doc != NULL, "%s:%d: %s", path, err.line, err.text);
	ck_assert_msg(json_is_array(doc) && json_array_size(doc) > 0,
	    "%s: not a non-empty array of cases", path);
	return doc;
}

/* ------------------------------------------------------ JSON text out */

/* Flags of the second run: every non-ASCII character and '/' escaped. */
#define ESCAPED	(JSON_ENSURE_ASCII | JSON_ESCAPE_SLASH)

static void
emit_string(struct rta_buf *b, const char *s, size_t len, size_t flags)
{
	json_t *j = json_stringn(s, len);
	char *t;

	ck_assert_ptr_nonnull(j);
	t = json_dumps(j, JSON_ENCODE_ANY | flags);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(rta_buf_adds(b, t), 0);
	free(t);
	json_decref(j);
}

/* The shortest text that reads back as d, always a real. */
static void
emit_real(struct rta_buf *b, double d)
{
	char t[40];
	int p;

	for (p = 1; p <= 17; p++) {
		snprintf(t, sizeof(t), "%.*g", p, d);
		if (strtod(t, NULL) == d)
			break;
	}
	if (strpbrk(t, ".e") == NULL)
		strcat(t, ".0");
	ck_assert_int_eq(rta_buf_adds(b, t), 0);
}

/* v as JSON text, members in their order, strings through json_dumps. */
static void
emit(struct rta_buf *b, json_t *v, size_t flags)
{
	const char *k;
	json_t *m;
	size_t i;
	int first = 1;

	switch (json_typeof(v)) {
	case JSON_OBJECT:
		rta_buf_addc(b, '{');
		json_object_foreach(v, k, m) {
			if (!first)
				rta_buf_addc(b, ',');
			first = 0;
			emit_string(b, k, strlen(k), flags);
			rta_buf_addc(b, ':');
			emit(b, m, flags);
		}
		rta_buf_addc(b, '}');
		break;
	case JSON_ARRAY:
		rta_buf_addc(b, '[');
		json_array_foreach(v, i, m) {
			if (i > 0)
				rta_buf_addc(b, ',');
			emit(b, m, flags);
		}
		rta_buf_addc(b, ']');
		break;
	case JSON_STRING:
		emit_string(b, json_string_value(v), json_string_length(v),
		    flags);
		break;
	case JSON_INTEGER:
		rta_buf_printf(b, "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		break;
	case JSON_REAL:
		emit_real(b, json_real_value(v));
		break;
	case JSON_TRUE:
		rta_buf_adds(b, "true");
		break;
	case JSON_FALSE:
		rta_buf_adds(b, "false");
		break;
	case JSON_NULL:
		rta_buf_adds(b, "null");
		break;
	}
}

/* Parse text into val with rta_json; 0, or -1 with err set. */
static int
parse_value(const void *text, size_t len, struct rta_buf *val,
    struct rta_error *err)
{
	struct rta_json j;
	int rc;

	rta_json_init(&j);
	rta_buf_reset(val);
	rc = rta_json_document(&j, text, len, val, err);
	rta_json_release(&j);
	return rc == RTA_OK ? 0 : -1;
}

static struct rta_schema *
load_text(const char *text, unsigned flags, struct rta_schema_problems *ps)
{
	rta_schema_problems_init(ps);
	return rta_schema_load(text, strlen(text), "t.json", flags, ps);
}

/* Load a schema that must load; fails the test with its problems. */
static struct rta_schema *
must_load(const char *text, unsigned flags)
{
	struct rta_schema_problems ps;
	struct rta_schema *s;

	s = load_text(text, flags, &ps);
	ck_assert_msg(s != NULL, "schema %s: %s: %s", text,
	    ps.n > 0 ? ps.p[0].pointer : "?", ps.n > 0 ? ps.p[0].text : "?");
	rta_schema_problems_release(&ps);
	return s;
}

/* A value from JSON text that must parse (the caller releases val). */
static void
must_parse(const char *text, struct rta_buf *val)
{
	struct rta_error err;

	rta_buf_init(val);
	ck_assert_msg(parse_value(text, strlen(text), val, &err) == 0,
	    "%s: %s", text, err.text);
}

/* -------------------------------------------------- failure reporting */

struct run {
	const char	*file;
	const char	*group;
	const char	*test;
	const char	*variant;
	unsigned	 cases, failures;
	struct rta_buf	 log;
};

static void oops(struct run *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* Note one failure; the test fails at the end with all of them. */
static void
oops(struct run *r, const char *fmt, ...)
{
	char msg[600];
	va_list ap;

	r->failures++;
	if (r->log.len > 6000)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rta_buf_printf(&r->log, "\n  %s: '%s' / '%s' (%s): %s", r->file,
	    r->group, r->test != NULL ? r->test : "", r->variant, msg);
}

/* ------------------------------------------------- checking one case */

static const char *
str_member(json_t *o, const char *key)
{
	json_t *m = json_object_get(o, key);

	return json_is_string(m) ? json_string_value(m) : NULL;
}

/* The violations of v as one line, for messages. */
static const char *
got_text(const struct rta_validator *v)
{
	static char out[1200];
	struct rta_buf b;
	size_t i, len;
	const char *p;

	rta_buf_init(&b);
	for (i = 0; i < v->n; i++) {
		p = rta_violation_path(v, i, &len);
		rta_buf_printf(&b, "%s{'%.*s' %s %s}", i ? " " : "", (int)len,
		    p, v->v[i].keyword, v->v[i].reason);
	}
	if (v->more)
		rta_buf_printf(&b, " +%llu", (unsigned long long)v->more);
	snprintf(out, sizeof(out), "[%.*s]", (int)b.len,
	    b.data != NULL ? (const char *)b.data : "");
	rta_buf_release(&b);
	return out;
}

/*
 * 1 if frag is the JSON pointer ptr written as a URI fragment: only the
 * characters RFC 3986 allows there, every other byte as %XX.
 */
static int
fragment_is(const char *frag, const char *ptr)
{
	char out[1024];
	size_t n = 0;
	unsigned x;

	for (; *frag != '\0' && n < sizeof(out) - 1; frag++) {
		if (*frag == '%') {
			if (sscanf(frag + 1, "%2x", &x) != 1 ||
			    !isxdigit((unsigned char)frag[1]) ||
			    !isxdigit((unsigned char)frag[2]))
				return 0;
			out[n++] = (char)x;
			frag += 2;
		} else if (isalnum((unsigned char)*frag) ||
		    strchr("-._~!$&'()*+,;=:@/?", *frag) != NULL)
			out[n++] = *frag;
		else
			return 0;
	}
	out[n] = '\0';
	return strcmp(out, ptr) == 0;
}

/* Does violation i of v have the path, keyword, reason (and schema)? */
static int
same_violation(const struct rta_validator *v, size_t i, json_t *want)
{
	const char *path = str_member(want, "path");
	const char *kw = str_member(want, "keyword");
	const char *reason = str_member(want, "reason");
	const char *loc = str_member(want, "schema");
	const char *p, *hash;
	struct rta_buf b;
	size_t len;
	int same;

	p = rta_violation_path(v, i, &len);
	if (strlen(path) != len || memcmp(path, p, len) != 0 ||
	    strcmp(kw, v->v[i].keyword) != 0 ||
	    strcmp(reason, v->v[i].reason) != 0)
		return 0;
	if (loc == NULL)
		return 1;
	rta_buf_init(&b);
	ck_assert_int_eq(rta_violation_location(v, i, &b), 0);
	rta_buf_addc(&b, '\0');
	hash = strchr((const char *)b.data, '#');
	same = hash != NULL && fragment_is(hash + 1, loc);
	rta_buf_release(&b);
	return same;
}

/* The reported violations are exactly those listed, in any order. */
static void
check_violations(struct run *r, const struct rta_validator *v, json_t *want)
{
	char used[RTA_VIOLATIONS_MAX];
	json_t *w;
	size_t i, k;

	if (v->n != json_array_size(want) || v->more != 0) {
		oops(r, "%zu violations wanted, got %zu: %s",
		    json_array_size(want), v->n, got_text(v));
		return;
	}
	memset(used, 0, sizeof(used));
	json_array_foreach(want, k, w) {
		if (str_member(w, "path") == NULL ||
		    str_member(w, "keyword") == NULL ||
		    str_member(w, "reason") == NULL) {
			oops(r, "violation %zu lacks path, keyword or reason",
			    k);
			return;
		}
		for (i = 0; i < v->n; i++)
			if (!used[i] && same_violation(v, i, w))
				break;
		if (i == v->n) {
			oops(r, "no violation {'%s' %s %s%s%s} in %s",
			    str_member(w, "path"), str_member(w, "keyword"),
			    str_member(w, "reason"),
			    str_member(w, "schema") ? " at " : "",
			    str_member(w, "schema") ? str_member(w, "schema") :
			    "", got_text(v));
			return;
		}
		used[i] = 1;
	}
}

/* rta_violations_json is a JSON array of v->n complete objects. */
static void
check_violations_json(struct run *r, const struct rta_validator *v)
{
	static const char *const fields[] = {
		"path", "keyword", "schema", "reason", "message"
	};
	struct rta_buf out;
	json_error_t err;
	json_t *doc, *o;
	size_t i, k, len;
	const char *p;

	rta_buf_init(&out);
	if (rta_violations_json(v, &out) != 0) {
		oops(r, "rta_violations_json failed");
		goto out;
	}
	doc = json_loadb((const char *)out.data, out.len, 0, &err);
	if (!json_is_array(doc) || json_array_size(doc) != v->n) {
		oops(r, "violations JSON: %s: %.*s", err.text, (int)out.len,
		    out.data);
		json_decref(doc);
		goto out;
	}
	json_array_foreach(doc, i, o) {
		for (k = 0; k < NELEM(fields); k++)
			if (str_member(o, fields[k]) == NULL)
				oops(r, "violations JSON: item %zu has no "
				    "string \"%s\"", i, fields[k]);
		p = rta_violation_path(v, i, &len);
		if (str_member(o, "path") != NULL &&
		    (strlen(str_member(o, "path")) != len ||
		    memcmp(str_member(o, "path"), p, len) != 0))
			oops(r, "violations JSON: item %zu path differs", i);
		if (str_member(o, "message") != NULL &&
		    str_member(o, "message")[0] == '\0')
			oops(r, "violations JSON: item %zu has no message", i);
	}
	json_decref(doc);
out:
	rta_buf_release(&out);
}

/* The same result with an instance path prefix: each path prefixed. */
static void
check_prefix(struct run *r, struct rta_validator *v,
    const struct rta_schema *s, const unsigned char *val, int ok)
{
	struct rta_buf before;
	size_t i, n = v->n, len, *offs;
	const char *p;

	rta_buf_init(&before);
	offs = calloc(n + 1, sizeof(*offs));
	ck_assert_ptr_nonnull(offs);
	for (i = 0; i < n; i++) {
		p = rta_violation_path(v, i, &len);
		offs[i] = before.len;
		rta_buf_add(&before, p, len);
	}
	offs[n] = before.len;
	if (rta_validate(v, s, val, "/payload") != ok || v->n != n) {
		oops(r, "with a prefix: another verdict or count");
		goto out;
	}
	for (i = 0; i < n; i++) {
		p = rta_violation_path(v, i, &len);
		if (len != 8 + offs[i + 1] - offs[i] ||
		    memcmp(p, "/payload", 8) != 0 || (len > 8 &&
		    memcmp(p + 8, before.data + offs[i], len - 8) != 0))
			oops(r, "with a prefix: path %zu is '%.*s'", i,
			    (int)len, p);
	}
out:
	free(offs);
	rta_buf_release(&before);
}

static void
run_test(struct run *r, json_t *t, const struct rta_schema *s,
    struct rta_validator *v, size_t flags)
{
	json_t *valid = json_object_get(t, "valid");
	json_t *want = json_object_get(t, "violations");
	json_t *data = json_object_get(t, "data");
	const char *exact = str_member(t, "data_json");
	struct rta_buf text, val;
	struct rta_error err;
	int ok, quick;

	r->cases++;
	if (!json_is_boolean(valid) || (data == NULL && exact == NULL) ||
	    (want != NULL && !json_is_array(want))) {
		oops(r, "a test needs data (or data_json), a boolean valid "
		    "and violations as an array");
		return;
	}
	if (want != NULL && json_is_true(valid) && json_array_size(want))
		oops(r, "valid, yet violations are listed");
	rta_buf_init(&text);
	rta_buf_init(&val);
	if (exact != NULL)
		rta_buf_adds(&text, exact);
	else
		emit(&text, data, flags);
	if (parse_value(text.data, text.len, &val, &err) != 0) {
		oops(r, "rta_json rejects the data %.*s: %s", (int)text.len,
		    text.data, err.text);
		goto out;
	}
	quick = rta_validate_quick(v, s, val.data);
	ok = rta_validate(v, s, val.data, "");
	if (ok != quick)
		oops(r, "rta_validate says %d, rta_validate_quick %d", ok,
		    quick);
	if (ok != json_is_true(valid)) {
		oops(r, "%s, want %s: %s", ok ? "valid" : "invalid",
		    ok ? "invalid" : "valid", got_text(v));
		goto out;
	}
	if (ok && (v->n != 0 || v->more != 0))
		oops(r, "valid with violations %s", got_text(v));
	if (!ok && v->n == 0)
		oops(r, "invalid without a violation");
	if (want != NULL && !ok)
		check_violations(r, v, want);
	check_violations_json(r, v);
	check_prefix(r, v, s, val.data, ok);
out:
	rta_buf_release(&text);
	rta_buf_release(&val);
}

static int
wants_formats(json_t *o, int dflt)
{
	json_t *f = json_object_get(o, "formats");

	return f == NULL ? dflt : json_is_true(f);
}

/* One group of tests, with the schema as text written with flags. */
static void
run_group(struct run *r, json_t *g, size_t flags)
{
	struct rta_schema *s[2] = { NULL, NULL };
	struct rta_schema_problems ps;
	struct rta_validator v;
	struct rta_buf text;
	json_t *schema = json_object_get(g, "schema");
	json_t *tests = json_object_get(g, "tests");
	const char *exact = str_member(g, "schema_json");
	json_t *t;
	size_t i;
	int fg = wants_formats(g, 0), f;

	r->group = str_member(g, "description");
	r->test = NULL;
	if (r->group == NULL || (schema == NULL) == (exact == NULL) ||
	    !json_is_array(tests) || json_array_size(tests) == 0) {
		r->group = r->group != NULL ? r->group : "?";
		oops(r, "a group needs a description, one of schema or "
		    "schema_json, and tests");
		return;
	}
	rta_buf_init(&text);
	if (exact != NULL)
		rta_buf_adds(&text, exact);
	else
		emit(&text, schema, flags);
	rta_buf_addc(&text, '\0');
	rta_validator_init(&v);
	json_array_foreach(tests, i, t) {
		r->test = str_member(t, "description");
		if (r->test == NULL) {
			oops(r, "test %zu has no description", i);
			continue;
		}
		f = wants_formats(t, fg);
		if (s[f] == NULL) {
			s[f] = load_text((const char *)text.data,
			    f ? RTA_SCHEMA_FORMATS : 0, &ps);
			if (s[f] == NULL) {
				oops(r, "the schema does not load: %s: %s",
				    ps.n ? ps.p[0].pointer : "?",
				    ps.n ? ps.p[0].text : "?");
				rta_schema_problems_release(&ps);
				break;
			}
			if (ps.n != 0)
				oops(r, "loaded with problems");
			rta_schema_problems_release(&ps);
		}
		run_test(r, t, s[f], &v, flags);
	}
	rta_validator_release(&v);
	rta_schema_free(s[0]);
	rta_schema_free(s[1]);
	rta_buf_release(&text);
}

START_TEST(data_file)
{
	struct run r;
	json_t *doc, *g;
	size_t i;
	int k;

	memset(&r, 0, sizeof(r));
	rta_buf_init(&r.log);
	r.file = files[_i];
	doc = load_data(files[_i]);
	for (k = 0; k < 2; k++) {
		r.variant = k == 0 ? "UTF-8" : "escaped";
		json_array_foreach(doc, i, g)
			run_group(&r, g, k == 0 ? 0 : ESCAPED);
	}
	json_decref(doc);
	ck_assert_msg(r.cases > 0, "%s: no tests", files[_i]);
	ck_assert_msg(r.failures == 0, "%u of %u cases failed:%.*s",
	    r.failures, r.cases, (int)r.log.len, r.log.data);
	rta_buf_release(&r.log);
}
END_TEST

/* Every keyword group has its file, so none can silently go missing. */
START_TEST(data_files_present)
{
	char name[64];
	size_t k;
	int i;

	ck_assert_msg(nfiles > 0, "no data files in %s/schema", data_dir());
	for (k = 0; k < NELEM(keyword_files); k++) {
		snprintf(name, sizeof(name), "%s.json", keyword_files[k]);
		for (i = 0; i < nfiles; i++)
			if (strcmp(files[i], name) == 0)
				break;
		ck_assert_msg(i < nfiles, "no %s/schema/%s", data_dir(), name);
	}
}
END_TEST

/* ------------------------------------------------- schemas that fail */

START_TEST(invalid_schemas)
{
	struct rta_schema_problems ps;
	struct rta_schema *s;
	struct rta_buf text;
	struct run r;
	json_t *doc, *c, *line;
	const char *want, *ptr, *st;
	size_t i, k;
	unsigned flags;

	memset(&r, 0, sizeof(r));
	rta_buf_init(&r.log);
	rta_buf_init(&text);
	r.file = "invalid-schemas.json";
	r.variant = "load";
	doc = load_data(r.file);
	json_array_foreach(doc, i, c) {
		r.cases++;
		r.group = str_member(c, "description");
		want = str_member(c, "problem");
		ptr = str_member(c, "pointer");
		st = str_member(c, "schema_text");
		line = json_object_get(c, "line");
		if (r.group == NULL || want == NULL ||
		    (st == NULL) == (json_object_get(c, "schema") == NULL) ||
		    (line != NULL && !json_is_integer(line))) {
			r.group = r.group != NULL ? r.group : "?";
			oops(&r, "needs a description, a problem and one of "
			    "schema or schema_text");
			continue;
		}
		rta_buf_reset(&text);
		if (st != NULL)
			rta_buf_adds(&text, st);
		else
			emit(&text, json_object_get(c, "schema"), 0);
		rta_buf_addc(&text, '\0');
		flags = wants_formats(c, 0) ? RTA_SCHEMA_FORMATS : 0;
		s = load_text((const char *)text.data, flags, &ps);
		if (s != NULL) {
			oops(&r, "loaded");
			rta_schema_free(s);
			continue;
		}
		for (k = 0; k < ps.n; k++) {
			if (ps.p[k].file != NULL || ps.p[k].pointer == NULL ||
			    (ps.p[k].pointer[0] != '\0' &&
			    ps.p[k].pointer[0] != '/'))
				oops(&r, "problem %zu: file or pointer wrong",
				    k);
			if (strstr(ps.p[k].text, want) != NULL &&
			    (ptr == NULL || strcmp(ptr, ps.p[k].pointer) ==
			    0) && (line == NULL || (json_int_t)ps.p[k].line ==
			    json_integer_value(line)))
				break;
		}
		if (ps.n == 0 || k == ps.n)
			oops(&r, "no problem '%s'%s%s at line %lld; got "
			    "%zu: '%s' at '%s' line %llu", want,
			    ptr ? " at " : "", ptr ? ptr : "",
			    line ? (long long)json_integer_value(line) : -1,
			    ps.n, ps.n ? ps.p[0].text : "",
			    ps.n ? ps.p[0].pointer : "",
			    ps.n ? (unsigned long long)ps.p[0].line : 0);
		rta_schema_problems_release(&ps);
	}
	json_decref(doc);
	rta_buf_release(&text);
	ck_assert_int_gt(r.cases, 0);
	ck_assert_msg(r.failures == 0, "%u of %u cases failed:%.*s",
	    r.failures, r.cases, (int)r.log.len, r.log.data);
	rta_buf_release(&r.log);
}
END_TEST

/* ------------------------------------------------------- violations */

/* The violations of text on schema as parsed JSON (new reference). */
static json_t *
violations_of(const char *schema, const char *text, int *ok)
{
	struct rta_schema *s = must_load(schema, 0);
	struct rta_validator v;
	struct rta_buf val, out;
	json_error_t err;
	json_t *doc;

	must_parse(text, &val);
	rta_validator_init(&v);
	rta_buf_init(&out);
	*ok = rta_validate(&v, s, val.data, "");
	ck_assert_int_eq(rta_violations_json(&v, &out), 0);
	doc = json_loadb((const char *)out.data, out.len, 0, &err);
	ck_assert_msg(json_is_array(doc), "%s: %.*s", err.text, (int)out.len,
	    out.data);
	rta_buf_release(&out);
	rta_buf_release(&val);
	rta_validator_release(&v);
	rta_schema_free(s);
	return doc;
}

static const char *
field(json_t *doc, size_t i, const char *key)
{
	json_t *m = json_object_get(json_array_get(doc, i), key);

	ck_assert_msg(json_is_string(m), "item %zu: no string %s", i, key);
	return json_string_value(m);
}

START_TEST(violations_json_fields)
{
	json_t *doc;
	int ok;

	doc = violations_of("{\"properties\": {\"a/b\": {\"pattern\": \"^x\"}, "
	    "\"q\\\"\\\\\": {\"maxLength\": 2}, \"n\": {\"enum\": [1]}}}",
	    "{\"a/b\": \"line\\nbreak \\\"quoted\\\"\", "
	    "\"q\\\"\\\\\": \"\\u00e9\\u00e9\\u00e9\", \"n\": {\"deep\": [1]}}",
	    &ok);
	ck_assert_int_eq(ok, 0);
	ck_assert_uint_eq(json_array_size(doc), 3);
	ck_assert_str_eq(field(doc, 0, "path"), "/a~1b");
	ck_assert_str_eq(field(doc, 0, "keyword"), "pattern");
	ck_assert_str_eq(field(doc, 0, "schema"),
	    "t.json#/properties/a~1b/pattern");
	ck_assert_str_eq(field(doc, 0, "reason"), "pattern-mismatch");
	/* the value is quoted in the message, control characters escaped */
	ck_assert_ptr_nonnull(strstr(field(doc, 0, "message"), "line"));
	ck_assert_ptr_null(strchr(field(doc, 0, "message"), '\n'));
	ck_assert_ptr_nonnull(strstr(field(doc, 0, "message"), "^x"));
	ck_assert_str_eq(field(doc, 1, "path"), "/q\"\\");
	ck_assert_str_eq(field(doc, 1, "schema"),
	    "t.json#/properties/q%22%5C/maxLength");
	ck_assert_str_eq(field(doc, 1, "reason"), "too-long");
	ck_assert_ptr_nonnull(strstr(field(doc, 1, "message"), "\xc3\xa9"));
	ck_assert_str_eq(field(doc, 2, "path"), "/n");
	ck_assert_str_eq(field(doc, 2, "reason"), "not-in-enum");
	ck_assert_ptr_nonnull(strstr(field(doc, 2, "message"),
	    "{\"deep\":[1]}"));
	json_decref(doc);

	/* no violations: an empty array */
	doc = violations_of("{\"type\": \"string\"}", "\"s\"", &ok);
	ck_assert_int_eq(ok, 1);
	ck_assert_uint_eq(json_array_size(doc), 0);
	json_decref(doc);
}
END_TEST

/* Long values are cut in messages, and every message is short. */
START_TEST(violations_message_bounded)
{
	char *text = malloc(20000);
	json_t *doc;
	int ok;

	ck_assert_ptr_nonnull(text);
	text[0] = '"';
	memset(text + 1, 'z', 19990);
	strcpy(text + 19991, "\"");
	doc = violations_of("{\"maxLength\": 3, \"pattern\": \"^a\", "
	    "\"enum\": [\"a\"]}", text, &ok);
	ck_assert_int_eq(ok, 0);
	ck_assert_uint_eq(json_array_size(doc), 3);
	ck_assert_int_lt(strlen(field(doc, 0, "message")), 300);
	ck_assert_int_lt(strlen(field(doc, 1, "message")), 300);
	ck_assert_int_lt(strlen(field(doc, 2, "message")), 300);
	json_decref(doc);
	free(text);
}
END_TEST

static void
expect_location(const char *schema, const char *text, const char *want)
{
	struct rta_schema *s = must_load(schema, 0);
	struct rta_validator v;
	struct rta_buf val, loc;

	must_parse(text, &val);
	rta_validator_init(&v);
	rta_buf_init(&loc);
	ck_assert_int_eq(rta_validate(&v, s, val.data, ""), 0);
	ck_assert_uint_eq(v.n, 1);
	ck_assert_int_eq(rta_violation_location(&v, 0, &loc), 0);
	rta_buf_addc(&loc, '\0');
	ck_assert_str_eq((const char *)loc.data, want);
	rta_buf_release(&loc);
	rta_buf_release(&val);
	rta_validator_release(&v);
	rta_schema_free(s);
}

START_TEST(violation_locations)
{
	expect_location("false", "1", "t.json#");
	expect_location("{\"allOf\": [true, false]}", "1", "t.json#/allOf/1");
	expect_location("{\"$defs\": {\"x\": {\"type\": \"null\"}}, "
	    "\"items\": {\"$ref\": \"#/$defs/x\"}}", "[null, 1]",
	    "t.json#/$defs/x/type");
	expect_location("{\"properties\": {\"a\": false}}", "{\"a\": 1}",
	    "t.json#/properties");
	expect_location("{\"items\": {\"minimum\": 3}}", "[3, 2]",
	    "t.json#/items/minimum");
}
END_TEST

/* RTA_VIOLATIONS_MAX are kept; the rest are counted in more. */
START_TEST(violations_max)
{
	struct rta_schema *s = must_load("{\"items\": {\"type\": "
	    "\"string\"}}", 0);
	struct rta_validator v;
	struct rta_buf val, text, out;
	json_error_t err;
	json_t *doc;
	size_t i, len;
	const char *p;
	char want[32];
	int n;

	rta_validator_init(&v);
	for (n = 1; n <= RTA_VIOLATIONS_MAX + 9; n += 4) {
		rta_buf_init(&text);
		rta_buf_addc(&text, '[');
		for (i = 0; i < (size_t)n; i++)
			rta_buf_printf(&text, "%s%zu", i ? "," : "", i);
		rta_buf_adds(&text, "]");
		rta_buf_addc(&text, '\0');
		must_parse((const char *)text.data, &val);
		ck_assert_int_eq(rta_validate_quick(&v, s, val.data), 0);
		ck_assert_int_eq(rta_validate(&v, s, val.data, "/p"), 0);
		ck_assert_uint_eq(v.n, n < RTA_VIOLATIONS_MAX ? (size_t)n :
		    RTA_VIOLATIONS_MAX);
		ck_assert_uint_eq(v.n + v.more, (size_t)n);
		for (i = 0; i < v.n; i++) {
			snprintf(want, sizeof(want), "/p/%zu", i);
			p = rta_violation_path(&v, i, &len);
			ck_assert_uint_eq(len, strlen(want));
			ck_assert(memcmp(p, want, len) == 0);
		}
		rta_buf_init(&out);
		ck_assert_int_eq(rta_violations_json(&v, &out), 0);
		doc = json_loadb((const char *)out.data, out.len, 0, &err);
		ck_assert_ptr_nonnull(doc);
		ck_assert_uint_eq(json_array_size(doc), v.n);
		json_decref(doc);
		rta_buf_release(&out);
		rta_buf_release(&val);
		rta_buf_release(&text);
	}
	/* the next result replaces the last */
	must_parse("[\"a\"]", &val);
	ck_assert_int_eq(rta_validate(&v, s, val.data, ""), 1);
	ck_assert_uint_eq(v.n, 0);
	ck_assert_uint_eq(v.more, 0);
	rta_buf_release(&val);
	rta_validator_release(&v);
	ck_assert_uint_eq(v.n, 0);
	rta_schema_free(s);
}
END_TEST

/* ---------------------------------------------------------- defaults */

/* Fill the defaults of schema into text; the JSON of the result. */
static void
expect_fill(const char *schema, const char *text, int want_rc,
    const char *want)
{
	struct rta_schema *s = must_load(schema, 0);
	struct rta_validator v;
	struct rta_buf val, out, json;
	int rc;

	must_parse(text, &val);
	rta_buf_init(&out);
	rta_buf_init(&json);
	rta_buf_adds(&out, "keep");
	rc = rta_fill_defaults(s, val.data, &out);
	ck_assert_msg(rc == want_rc, "%s on %s: %d, want %d", schema, text,
	    rc, want_rc);
	if (rc == 0) {
		ck_assert_uint_eq(out.len, 4);
		ck_assert(memcmp(out.data, "keep", 4) == 0);
	} else {
		ck_assert(memcmp(out.data, "keep", 4) == 0);
		ck_assert_int_eq(rta_value_to_json(&json, out.data + 4), 0);
		rta_buf_addc(&json, '\0');
		ck_assert_str_eq((const char *)json.data, want);
		ck_assert_uint_eq(rta_value_size(out.data + 4), out.len - 4);
		/* the result is a well-formed value, and still valid */
		ck_assert_int_eq(rta_value_check(out.data + 4, out.len - 4,
		    RTA_VALUE_MAX_DEPTH, RTA_VALUE_MAX_MEMBERS, NULL), RTA_OK);
		rta_validator_init(&v);
		ck_assert_int_eq(rta_validate(&v, s, val.data, ""),
		    rta_validate(&v, s, out.data + 4, ""));
		rta_validator_release(&v);
	}
	rta_buf_release(&json);
	rta_buf_release(&out);
	rta_buf_release(&val);
	rta_schema_free(s);
}

START_TEST(defaults_properties)
{
	static const char schema[] = "{\"type\": \"object\", \"properties\": {"
	    "\"level\": {\"type\": \"string\", \"default\": \"info\"}, "
	    "\"ratio\": {\"type\": \"number\", \"default\": 1.50}, "
	    "\"tags\": {\"type\": \"array\", \"default\": [\"a\", "
	    "{\"b\": null}]}}, \"required\": [\"id\"]}";

	expect_fill(schema, "{\"id\": 7}", 1,
	    "{\"id\":7,\"level\":\"info\",\"ratio\":1.50,"
	    "\"tags\":[\"a\",{\"b\":null}]}");
	/* present members are left as they are, null included */
	expect_fill(schema, "{\"id\": 7, \"level\": null, \"tags\": []}", 1,
	    "{\"id\":7,\"level\":null,\"tags\":[],\"ratio\":1.50}");
	expect_fill(schema, "{\"level\": \"x\", \"ratio\": 2, \"tags\": [], "
	    "\"id\": 1}", 0, NULL);
	/* not an object: nothing to do */
	expect_fill(schema, "[1, 2]", 0, NULL);
	expect_fill(schema, "\"s\"", 0, NULL);
	/* a schema without defaults */
	expect_fill("{\"properties\": {\"a\": {}}}", "{}", 0, NULL);
	expect_fill("true", "{}", 0, NULL);
}
END_TEST

START_TEST(defaults_nested)
{
	expect_fill("{\"properties\": {\"p\": {\"properties\": {\"q\": "
	    "{\"default\": {\"r\": 1}}}}}}", "{\"p\": {}, \"z\": 0}", 1,
	    "{\"p\":{\"q\":{\"r\":1}},\"z\":0}");
	/* p itself absent and without a default: nothing */
	expect_fill("{\"properties\": {\"p\": {\"properties\": {\"q\": "
	    "{\"default\": 1}}}}}", "{}", 0, NULL);
	/* p gets its default; the default's own members are not filled */
	expect_fill("{\"properties\": {\"p\": {\"default\": {}, "
	    "\"properties\": {\"q\": {\"default\": 1}}}}}", "{}", 1,
	    "{\"p\":{}}");
}
END_TEST

START_TEST(defaults_ref_allof)
{
	expect_fill("{\"$defs\": {\"opts\": {\"properties\": {\"retries\": "
	    "{\"type\": \"integer\", \"default\": 3}}}}, \"properties\": "
	    "{\"opts\": {\"$ref\": \"#/$defs/opts\"}}}",
	    "{\"opts\": {\"timeout\": 1}}", 1,
	    "{\"opts\":{\"timeout\":1,\"retries\":3}}");
	expect_fill("{\"$ref\": \"#/$defs/base\", \"$defs\": {\"base\": "
	    "{\"properties\": {\"v\": {\"default\": 1}}}}}", "{}", 1,
	    "{\"v\":1}");
	expect_fill("{\"allOf\": [{\"properties\": {\"a\": {\"default\": 1}}}, "
	    "{\"properties\": {\"a\": {\"default\": 2}, \"b\": {\"default\": "
	    "[true]}}}]}", "{}", 1, "{\"a\":1,\"b\":[true]}");
	/* allOf inside a $ref inside properties */
	expect_fill("{\"$defs\": {\"x\": {\"allOf\": [{\"properties\": "
	    "{\"k\": {\"default\": \"v\"}}}]}}, \"properties\": {\"o\": "
	    "{\"$ref\": \"#/$defs/x\"}}}", "{\"o\": {}}", 1,
	    "{\"o\":{\"k\":\"v\"}}");
	/* the same part twice adds the member once */
	expect_fill("{\"$defs\": {\"d\": {\"properties\": {\"m\": "
	    "{\"default\": 0}}}}, \"allOf\": [{\"$ref\": \"#/$defs/d\"}, "
	    "{\"$ref\": \"#/$defs/d\"}]}", "{}", 1, "{\"m\":0}");
	/* recursion through $ref "#" reaches every level */
	expect_fill("{\"properties\": {\"n\": {\"default\": 0}, \"kids\": "
	    "{\"items\": {\"$ref\": \"#\"}}}}",
	    "{\"kids\": [{\"kids\": [{}]}, {\"n\": 5}]}", 1,
	    "{\"kids\":[{\"kids\":[{\"n\":0}],\"n\":0},{\"n\":5}],\"n\":0}");
}
END_TEST

START_TEST(defaults_items)
{
	expect_fill("{\"prefixItems\": [{\"properties\": {\"x\": {\"default\": "
	    "0}}}], \"items\": {\"properties\": {\"y\": {\"default\": "
	    "\"z\"}}}}", "[{}, {}, {\"y\": \"w\"}, 5]", 1,
	    "[{\"x\":0},{\"y\":\"z\"},{\"y\":\"w\"},5]");
	/* items missing from the array are not made up */
	expect_fill("{\"prefixItems\": [{\"default\": 1}]}", "[]", 0, NULL);
	expect_fill("{\"properties\": {\"list\": {\"items\": {\"properties\": "
	    "{\"qty\": {\"default\": 1}}}}}}",
	    "{\"list\": [{\"sku\": \"a\"}, {\"qty\": 4}]}", 1,
	    "{\"list\":[{\"sku\":\"a\",\"qty\":1},{\"qty\":4}]}");
}
END_TEST

/* ------------------------------------------------------------- depth */

/* n nested arrays around 1 (or objects {"a": ...} if obj). */
static void
deep_value(unsigned n, int obj, struct rta_buf *val)
{
	struct rta_buf text;
	struct rta_error err;
	struct rta_json j;
	unsigned i;

	rta_buf_init(&text);
	for (i = 0; i < n; i++)
		rta_buf_adds(&text, obj ? "{\"a\":" : "[");
	rta_buf_adds(&text, "1");
	for (i = 0; i < n; i++)
		rta_buf_adds(&text, obj ? "}" : "]");
	rta_json_init(&j);
	j.max_depth = n + 8;
	rta_buf_init(val);
	ck_assert_int_eq(rta_json_document(&j, text.data, text.len, val, &err),
	    RTA_OK);
	rta_json_release(&j);
	rta_buf_release(&text);
}

static unsigned
path_depth(const struct rta_validator *v, size_t i)
{
	size_t len, k;
	const char *p = rta_violation_path(v, i, &len);
	unsigned n = 0;

	for (k = 0; k < len; k++)
		n += p[k] == '/';
	return n;
}

START_TEST(deep_instances)
{
	struct rta_schema *arr = must_load("{\"items\": {\"$ref\": \"#\"}}", 0);
	struct rta_schema *obj = must_load("{\"additionalProperties\": "
	    "{\"$ref\": \"#\"}, \"type\": [\"object\", \"integer\"]}", 0);
	struct rta_validator v;
	struct rta_buf val;

	rta_validator_init(&v);
	deep_value(RTA_VALIDATE_DEPTH - 1, 0, &val);
	ck_assert_int_eq(rta_validate(&v, arr, val.data, ""), 1);
	ck_assert_int_eq(rta_validate_quick(&v, arr, val.data), 1);
	rta_buf_release(&val);

	deep_value(RTA_VALIDATE_DEPTH + 40, 0, &val);
	ck_assert_int_eq(rta_validate_quick(&v, arr, val.data), 0);
	ck_assert_int_eq(rta_validate(&v, arr, val.data, ""), 0);
	ck_assert_uint_eq(v.n, 1);
	ck_assert_str_eq(v.v[0].reason, "too-deep");
	ck_assert_str_eq(v.v[0].keyword, "items");
	ck_assert_uint_eq(path_depth(&v, 0), RTA_VALIDATE_DEPTH);
	rta_buf_release(&val);

	deep_value(RTA_VALIDATE_DEPTH - 1, 1, &val);
	ck_assert_int_eq(rta_validate(&v, obj, val.data, ""), 1);
	rta_buf_release(&val);
	deep_value(RTA_VALIDATE_DEPTH + 1, 1, &val);
	ck_assert_int_eq(rta_validate_quick(&v, obj, val.data), 0);
	ck_assert_int_eq(rta_validate(&v, obj, val.data, "/x"), 0);
	ck_assert_uint_eq(v.n, 1);
	ck_assert_str_eq(v.v[0].reason, "too-deep");
	ck_assert_str_eq(v.v[0].keyword, "properties");
	ck_assert_uint_eq(path_depth(&v, 0), RTA_VALIDATE_DEPTH + 1);
	rta_buf_release(&val);

	rta_validator_release(&v);
	rta_schema_free(arr);
	rta_schema_free(obj);
}
END_TEST

/*
 * A recursive schema that applies k schemas in a row at each level:
 * $defs r0 ... r{k-1} refer each to the next, the last to r0 through
 * items.
 */
static char *
ref_ladder(unsigned k)
{
	struct rta_buf b;
	unsigned i;

	rta_buf_init(&b);
	rta_buf_adds(&b, "{\"$ref\": \"#/$defs/r0\", \"$defs\": {");
	for (i = 0; i + 1 < k; i++)
		rta_buf_printf(&b, "\"r%u\": {\"$ref\": \"#/$defs/r%u\"}, ", i,
		    i + 1);
	rta_buf_printf(&b, "\"r%u\": {\"type\": [\"array\", \"integer\"], "
	    "\"items\": {\"$ref\": \"#/$defs/r0\"}}}}", k - 1);
	rta_buf_addc(&b, '\0');
	return (char *)b.data;
}

/* Deep recursion through long $ref chains fails as a violation. */
START_TEST(deep_ref_nesting)
{
	char *text = ref_ladder(100);
	struct rta_schema *s = must_load(text, 0);
	struct rta_validator v;
	struct rta_buf val;

	rta_validator_init(&v);
	deep_value(5, 0, &val);
	ck_assert_int_eq(rta_validate(&v, s, val.data, ""), 1);
	ck_assert_int_eq(rta_validate_quick(&v, s, val.data), 1);
	rta_buf_release(&val);
	deep_value(60, 0, &val);
	ck_assert_int_eq(rta_validate_quick(&v, s, val.data), 0);
	ck_assert_int_eq(rta_validate(&v, s, val.data, ""), 0);
	ck_assert_uint_eq(v.n, 1);
	ck_assert_str_eq(v.v[0].keyword, "$ref");
	ck_assert_str_eq(v.v[0].reason, "too-deep");
	rta_buf_release(&val);
	rta_validator_release(&v);
	rta_schema_free(s);
	free(text);
}
END_TEST

/* A chain of $refs is bounded, however the definitions are ordered. */
START_TEST(long_ref_chains)
{
	struct rta_schema_problems ps;
	struct rta_schema *s;
	struct rta_buf b;
	unsigned n, i;
	int rev;

	for (rev = 0; rev < 2; rev++)
		for (n = 250; n <= 270; n += 20) {
			rta_buf_init(&b);
			rta_buf_printf(&b, "{\"$ref\": \"#/$defs/a0\", "
			    "\"$defs\": {");
			for (i = 0; i < n; i++) {
				unsigned k = rev ? n - 1 - i : i;

				rta_buf_printf(&b, "\"a%u\": {\"$ref\": "
				    "\"#/$defs/a%u\"}, ", k, k + 1);
			}
			rta_buf_printf(&b, "\"a%u\": {\"type\": \"null\"}}}",
			    n);
			rta_buf_addc(&b, '\0');
			s = load_text((const char *)b.data, 0, &ps);
			if (n < 256) {
				ck_assert_msg(s != NULL, "chain of %u: %s", n,
				    ps.n ? ps.p[0].text : "?");
			} else {
				ck_assert_msg(s == NULL, "a chain of %u loaded",
				    n);
				ck_assert_ptr_nonnull(strstr(ps.p[0].text,
				    "more than 256 schemas applied in a row"));
			}
			rta_schema_free(s);
			rta_schema_problems_release(&ps);
			rta_buf_release(&b);
		}
}
END_TEST

/* --------------------------------------------------------- schemas */

START_TEST(schema_problems_overflow)
{
	struct rta_schema_problems ps;
	struct rta_buf b;
	unsigned i;

	rta_buf_init(&b);
	rta_buf_addc(&b, '{');
	for (i = 0; i < 150; i++)
		rta_buf_printf(&b, "%s\n\"bad%u\": 1", i ? "," : "", i);
	rta_buf_adds(&b, "}");
	rta_buf_addc(&b, '\0');
	ck_assert_ptr_null(load_text((const char *)b.data, 0, &ps));
	ck_assert_uint_eq(ps.n, RTA_SCHEMA_MAX_PROBLEMS);
	ck_assert_uint_eq(ps.more, 150 - RTA_SCHEMA_MAX_PROBLEMS);
	for (i = 0; i < ps.n; i++) {
		char want[32];

		snprintf(want, sizeof(want), "/bad%u", i);
		ck_assert_str_eq(ps.p[i].pointer, want);
		ck_assert_uint_eq(ps.p[i].line, i + 2);
	}
	rta_schema_problems_release(&ps);
	ck_assert_uint_eq(ps.n, 0);
	ck_assert_uint_eq(ps.more, 0);
	rta_buf_release(&b);
}
END_TEST

/* What a loaded schema tells about itself. */
START_TEST(schema_fields)
{
	struct rta_schema *s = must_load("{\"$schema\": "
	    "\"https://json-schema.org/draft/2020-12/schema#\", \"$id\": "
	    "\"https://example.com/page_view.v2.json\", \"x-rta-event-type\": "
	    "\"page_view\", \"x-rta-version\": 2, \"properties\": {\"url\": "
	    "{\"type\": \"string\", \"default\": \"/\"}}, \"required\": "
	    "[\"url\", \"ts\"]}", 0);
	const struct rta_sprop *p;

	ck_assert_str_eq(s->name, "t.json");
	ck_assert_str_eq(s->id, "https://example.com/page_view.v2.json");
	ck_assert_str_eq(s->x_type, "page_view");
	ck_assert_int_eq(s->x_version, 2);
	ck_assert_uint_eq(s->flags, 0);
	ck_assert_ptr_nonnull(s->root);
	ck_assert_str_eq(s->root->loc, "");
	ck_assert_uint_eq(s->root->nrequired, 2);
	p = rta_snode_prop(s->root, "url", 3);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->flags, RTA_SP_REQUIRED | RTA_SP_DECLARED);
	ck_assert_ptr_nonnull(p->schema);
	ck_assert_str_eq(p->schema->loc, "/properties/url");
	ck_assert_uint_eq(p->schema->types, RTA_ST_STRING);
	ck_assert_ptr_nonnull(p->dflt);
	p = rta_snode_prop(s->root, "ts", 2);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->flags, RTA_SP_REQUIRED);
	ck_assert_ptr_null(p->schema);
	ck_assert_ptr_null(rta_snode_prop(s->root, "u", 1));
	ck_assert_ptr_null(rta_snode_prop(s->root, "urls", 4));
	rta_schema_free(s);
	rta_schema_free(NULL);

	s = must_load("{\"format\": \"uuid\"}", RTA_SCHEMA_FORMATS);
	ck_assert_uint_eq(s->flags, RTA_SCHEMA_FORMATS);
	ck_assert_ptr_null(s->id);
	ck_assert_ptr_null(s->x_type);
	ck_assert_int_eq(s->x_version, 0);
	rta_schema_free(s);
}
END_TEST

START_TEST(schema_nesting_limit)
{
	struct rta_schema_problems ps;
	struct rta_buf b;
	unsigned i, n;

	for (n = 60; n <= 200; n += 140) {
		rta_buf_init(&b);
		for (i = 0; i < n; i++)
			rta_buf_adds(&b, "{\"not\":");
		rta_buf_adds(&b, "{}");
		for (i = 0; i < n; i++)
			rta_buf_adds(&b, "}");
		rta_buf_addc(&b, '\0');
		if (n < 100) {
			rta_schema_free(must_load((const char *)b.data, 0));
		} else {
			ck_assert_ptr_null(load_text((const char *)b.data, 0,
			    &ps));
			ck_assert_uint_eq(ps.n, 1);
			ck_assert_ptr_nonnull(strstr(ps.p[0].text, "deep"));
			rta_schema_problems_release(&ps);
		}
		rta_buf_release(&b);
	}
}
END_TEST

START_TEST(schema_load_file)
{
	struct rta_schema_problems ps;
	struct rta_schema *s;
	char path[UNIT_PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s", unit_path("a.json"));
	unit_write_str("a.json", "{\n  \"type\": \"strin\"\n}\n");
	rta_schema_problems_init(&ps);
	ck_assert_ptr_null(rta_schema_load_file(path, 0, &ps));
	ck_assert_uint_eq(ps.n, 1);
	ck_assert_uint_eq(ps.p[0].line, 2);
	ck_assert_str_eq(ps.p[0].pointer, "/type");
	rta_schema_problems_release(&ps);

	unit_write_str("a.json", "{\"type\": \"string\"}");
	s = rta_schema_load_file(path, 0, &ps);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s->name, path);
	rta_schema_free(s);

	ck_assert_ptr_null(rta_schema_load_file(unit_path("."), 0, &ps));
	ck_assert_uint_eq(ps.n, 1);
	ck_assert_str_eq(ps.p[0].text, strerror(EISDIR));
	rta_schema_problems_release(&ps);
	ck_assert_ptr_null(rta_schema_load_file(unit_path("none.json"), 0,
	    &ps));
	ck_assert_uint_eq(ps.n, 1);
	ck_assert_str_eq(ps.p[0].text, strerror(ENOENT));
	rta_schema_problems_release(&ps);

	/* larger than RTA_SCHEMA_MAX_FILE: refused before parsing */
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(fseek(f, RTA_SCHEMA_MAX_FILE, SEEK_SET), 0);
	fputc(' ', f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_ptr_null(rta_schema_load_file(path, 0, &ps));
	ck_assert_uint_eq(ps.n, 1);
	ck_assert_ptr_nonnull(strstr(ps.p[0].text, "larger than 16 MiB"));
	rta_schema_problems_release(&ps);
}
END_TEST

START_TEST(schema_pointer_offset)
{
	static const char text[] = "{\n \"a\": [10, {\"b/c\": \"x\", "
	    "\"d~e\": [true]}],\n \"\": null}";
	static const struct {
		const char	*ptr;
		const char	*at;	/* text at the offset, or NULL */
	} cases[] = {
		{ "", "{" },
		{ "/a", "[10" },
		{ "/a/0", "10" },
		{ "/a/1", "{\"b/c\"" },
		{ "/a/1/b~1c", "\"x\"" },
		{ "/a/1/d~0e/0", "true" },
		{ "/", "null" },
		{ "/a/2", NULL },
		{ "/a/01", NULL },
		{ "/a/-", NULL },
		{ "/x", NULL },
		{ "a", NULL },
		{ "/a/1/b~1c/0", NULL }
	};
	size_t i, off;
	int rc;

	for (i = 0; i < NELEM(cases); i++) {
		rc = rta_json_pointer_offset(text, sizeof(text) - 1,
		    cases[i].ptr, &off);
		if (cases[i].at == NULL) {
			ck_assert_msg(rc == -1, "'%s' found", cases[i].ptr);
			continue;
		}
		ck_assert_msg(rc == 0, "'%s' not found", cases[i].ptr);
		ck_assert_msg(strncmp(text + off, cases[i].at,
		    strlen(cases[i].at)) == 0, "'%s' at %zu", cases[i].ptr,
		    off);
	}
	/* text cut short before the value */
	ck_assert_int_eq(rta_json_pointer_offset("{\"a\": ", 6, "/a", &off),
	    -1);
	ck_assert_int_eq(rta_json_pointer_offset("", 0, "", &off), -1);
}
END_TEST

START_TEST(schema_helpers)
{
	struct rta_buf b, val;

	rta_buf_init(&b);
	ck_assert_int_eq(rta_pointer_escape(&b, "a/b~c", 5), 0);
	ck_assert_uint_eq(b.len, 7);
	ck_assert(memcmp(b.data, "a~1b~0c", 7) == 0);
	rta_buf_release(&b);

	ck_assert_str_eq(rta_stype_name(RTA_ST_NULL), "null");
	ck_assert_str_eq(rta_stype_name(RTA_ST_INTEGER), "integer");
	ck_assert_str_eq(rta_stype_name(RTA_ST_STRING), "string");
	ck_assert_str_eq(rta_stype_name(RTA_ST_NULL | RTA_ST_STRING), "?");
	must_parse("[null, true, 1, 1.0, 1.5, \"s\", [], {}, -0.0]", &val);
	{
		static const unsigned want[] = {
			RTA_ST_NULL, RTA_ST_BOOLEAN, RTA_ST_INTEGER,
			RTA_ST_INTEGER, RTA_ST_NUMBER, RTA_ST_STRING,
			RTA_ST_ARRAY, RTA_ST_OBJECT, RTA_ST_INTEGER
		};
		struct rta_viter it;
		const unsigned char *item;
		size_t i = 0;

		rta_viter_init(&it, val.data);
		while (rta_viter_item(&it, &item)) {
			ck_assert_uint_eq(rta_value_stype(item), want[i]);
			i++;
		}
		ck_assert_uint_eq(i, NELEM(want));
	}
	rta_buf_release(&val);
}
END_TEST

/* --------------------------------------------------------- memory */

struct rng {
	uint64_t	s;
};

static uint64_t
rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(rng_next(r) % n);
}

/* A random instance of bounded size for the memory schema below. */
static void
random_instance(struct rng *r, struct rta_buf *text)
{
	static const char *const words[] = {
		"click", "view", "a b", "\\u00e9t\\u00e9", "\\ud83d\\ude00",
		"x-1", "ZZZ", "", "longer-word-here", "12345"
	};
	uint32_t i, n;

	rta_buf_reset(text);
	if (rng_below(r, 2) == 0) {
		/* one that the schema below accepts */
		rta_buf_printf(text, "{\"id\": %u, \"k%u\": %u, \"name\": "
		    "\"%.*s\", \"tags\": [\"click\"%s], \"n\": %u}",
		    rng_below(r, 1000), rng_below(r, 10), rng_below(r, 501),
		    (int)rng_below(r, 12) + 1, "abcdefghijkl",
		    rng_below(r, 2) ? ", \"view\"" : "", 3 * rng_below(r, 100));
		return;
	}
	rta_buf_adds(text, "{");
	n = rng_below(r, 12);
	for (i = 0; i < n; i++)
		rta_buf_printf(text, "\"k%u%s\": %u, ", i,
		    rng_below(r, 4) == 0 ? "~/" : "", rng_below(r, 1000));
	rta_buf_printf(text, "\"name\": \"%s%s\", \"tags\": [",
	    words[rng_below(r, NELEM(words))],
	    words[rng_below(r, NELEM(words))]);
	n = rng_below(r, 40);
	for (i = 0; i < n; i++)
		rta_buf_printf(text, "%s\"%s\"", i ? ", " : "",
		    words[rng_below(r, NELEM(words))]);
	rta_buf_printf(text, "], \"n\": %d}", (int)rng_below(r, 200) - 100);
}

static const char memory_schema[] = "{\"type\": \"object\", "
    "\"properties\": {\"name\": {\"type\": \"string\", \"pattern\": "
    "\"^[a-z]+$\", \"maxLength\": 12}, \"tags\": {\"uniqueItems\": true, "
    "\"items\": {\"enum\": [\"click\", \"view\", \"x-1\"]}, \"contains\": "
    "{\"const\": \"click\"}}, \"n\": {\"minimum\": 0, \"multipleOf\": 3}}, "
    "\"patternProperties\": {\"^k[0-9]$\": {\"maximum\": 500}}, "
    "\"propertyNames\": {\"maxLength\": 4}, \"required\": [\"name\", "
    "\"id\"], \"additionalProperties\": {\"type\": \"integer\"}}";

/*
 * 100,000 instances through one validator: its buffers and the pattern's
 * DFA stop growing at a bound set by the largest instance, not by how
 * many came before.
 */
START_TEST(memory_bounded)
{
	struct rta_schema *s = must_load(memory_schema, 0);
	struct rta_validator v;
	struct rta_buf text, val, out;
	struct rta_error err;
	struct rta_json j;
	struct rng r = { 42 };
	size_t text_cap = 0, scratch_cap = 0, out_cap = 0;
	unsigned long i, invalid = 0;
	const struct rta_snode *name;
	int ok;

	name = rta_snode_prop(s->root, "name", 4)->schema;
	ck_assert_ptr_nonnull(name->pattern);
	rta_validator_init(&v);
	rta_json_init(&j);
	rta_buf_init(&text);
	rta_buf_init(&val);
	rta_buf_init(&out);
	for (i = 0; i < 100000; i++) {
		random_instance(&r, &text);
		rta_buf_reset(&val);
		ck_assert_int_eq(rta_json_document(&j, text.data, text.len,
		    &val, &err), RTA_OK);
		ok = rta_validate_quick(&v, s, val.data);
		ck_assert_int_eq(rta_validate(&v, s, val.data, "/payload"),
		    ok);
		invalid += !ok;
		rta_buf_reset(&out);
		ck_assert_int_eq(rta_violations_json(&v, &out), 0);
		if (i == 9999) {
			text_cap = v.text.cap;
			scratch_cap = v.scratch.cap;
			out_cap = out.cap;
		}
	}
	/* both verdicts came up, many times */
	ck_assert_uint_gt(invalid, 1000);
	ck_assert_uint_lt(invalid, 99000);
	ck_assert_uint_le(v.text.cap, 64 * 1024);
	ck_assert_uint_le(v.scratch.cap, 64 * 1024);
	ck_assert_uint_le(v.text.cap, 2 * text_cap);
	ck_assert_uint_le(v.scratch.cap, 2 * scratch_cap + 4096);
	ck_assert_uint_le(out.cap, 2 * out_cap);
	ck_assert_uint_le(rta_regex_memory(name->pattern),
	    RTA_REGEX_CACHE_MAX + 64 * 1024);

	/* one instance again and again: nothing grows after the first */
	random_instance(&r, &text);
	rta_buf_reset(&val);
	ck_assert_int_eq(rta_json_document(&j, text.data, text.len, &val,
	    &err), RTA_OK);
	rta_validate(&v, s, val.data, "");
	text_cap = v.text.cap;
	scratch_cap = v.scratch.cap;
	for (i = 0; i < 10000; i++)
		rta_validate(&v, s, val.data, "");
	ck_assert_uint_eq(v.text.cap, text_cap);
	ck_assert_uint_eq(v.scratch.cap, scratch_cap);

	rta_buf_release(&out);
	rta_buf_release(&val);
	rta_buf_release(&text);
	rta_json_release(&j);
	rta_validator_release(&v);
	ck_assert_ptr_null(v.text.data);
	ck_assert_ptr_null(v.scratch.data);
	rta_schema_free(s);
}
END_TEST

/* ------------------------------------------------ allocation failure */

static const char alloc_schema[] = "{\"$defs\": {\"id\": {\"type\": "
    "\"string\", \"pattern\": \"^[a-f0-9]{4,}$\", \"$anchor\": \"id\"}}, "
    "\"type\": \"object\", \"required\": [\"id\", \"tags\"], "
    "\"properties\": {\"id\": {\"$ref\": \"#id\"}, \"tags\": {\"items\": "
    "{\"type\": \"string\"}, \"uniqueItems\": true}, \"n\": {\"default\": "
    "1, \"multipleOf\": 0.5}}, \"patternProperties\": {\"^x-\": true}, "
    "\"propertyNames\": {\"maxLength\": 300}, \"dependentRequired\": "
    "{\"n\": [\"id\"]}, \"allOf\": [{\"not\": {\"required\": "
    "[\"secret\"]}}]}";

/*
 * The Nth allocation fails, in a child each: loading either succeeds or
 * fails with problems, and a loaded schema still gives right answers
 * (a validator that cannot grow its buffers counts its violations in
 * more, and finds duplicates without its hash table).  The child exits
 * normally, so that LeakSanitizer (SANITIZE=1) checks it leaked nothing.
 */
static int
alloc_child(void)
{
	static const char bad[] = "{\"id\": \"zz\", \"tags\": [\"a\", \"b\", "
	    "\"c\", \"d\", \"e\", \"f\", \"g\", \"h\", \"i\", \"j\", \"k\", "
	    "\"l\", \"m\", \"n\", \"o\", \"p\", \"q\", \"a\"], \"n\": 0.25, "
	    "\"secret\": 1, \"x-y\": 2}";
	static const char good[] = "{\"id\": \"beef\", \"tags\": [\"a\"], "
	    "\"n\": 1.5}";
	struct rta_schema_problems ps;
	struct rta_schema *s;
	struct rta_validator v;
	struct rta_buf val, out;
	struct rta_error err;
	int rc = 0;

	rta_schema_problems_init(&ps);
	s = rta_schema_load(alloc_schema, sizeof(alloc_schema) - 1, "t.json",
	    0, &ps);
	if (s == NULL) {
		rc = ps.n + ps.more > 0 ? 0 : 10;
		rta_schema_problems_release(&ps);
		return rc;
	}
	if (ps.n != 0)
		rc = 11;
	rta_validator_init(&v);
	rta_buf_init(&val);
	rta_buf_init(&out);
	if (parse_value(bad, sizeof(bad) - 1, &val, &err) == 0) {
		if (rta_validate(&v, s, val.data, "") != 0 ||
		    rta_validate_quick(&v, s, val.data) != 0)
			rc = 12;
		if (rta_validate(&v, s, val.data, "") == 0 &&
		    v.n + v.more != 4)
			rc = 13;
		rta_violations_json(&v, &out);
	}
	if (parse_value(good, sizeof(good) - 1, &val, &err) == 0) {
		if (rta_validate(&v, s, val.data, "") != 1 ||
		    rta_validate_quick(&v, s, val.data) != 1)
			rc = 14;
		rta_buf_reset(&out);
		if (rta_fill_defaults(s, val.data, &out) == 1)
			rc = 15;
	}
	rta_buf_release(&out);
	rta_buf_release(&val);
	rta_validator_release(&v);
	rta_schema_free(s);
	return rc;
}

/* Run alloc_child in a child with RTA_FAULT=spec; its exit status. */
static int
alloc_run(const char *spec, int probe)
{
	int status, rc;
	pid_t pid;

	fflush(NULL);
	if ((pid = fork()) == 0) {
		setenv("RTA_FAULT", spec, 1);
		rc = alloc_child();
		/* with a persistent fault not reached yet, this one works */
		if (rc == 0 && probe) {
			void *p = rta_malloc(1);

			rc = p != NULL ? 99 : 0;
			rta_free(p);
		}
		exit(rc);
	}
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "%s: died of signal %d", spec,
	    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return WEXITSTATUS(status);
}

START_TEST(alloc_failures)
{
	char spec[40];
	int n, rc;

	for (n = 1; n < 2000; n++) {
		snprintf(spec, sizeof(spec), "alloc:%d", n);
		rc = alloc_run(spec, 0);
		ck_assert_msg(rc == 0, "%s: exit %d", spec, rc);
		snprintf(spec, sizeof(spec), "alloc:%d:persistent", n);
		rc = alloc_run(spec, 1);
		if (rc == 99)
			break;		/* past the last allocation */
		ck_assert_msg(rc == 0, "%s: exit %d", spec, rc);
	}
	ck_assert_int_lt(n, 2000);
	ck_assert_int_gt(n, 20);
	/* and with no fault at all, the same checks pass */
	ck_assert_int_eq(alloc_child(), 0);
}
END_TEST

/* ------------------------------------------------------------- suite */

static Suite *
validator_suite(int forking)
{
	Suite *s = suite_create("rta_validator");
	TCase *tc;

	find_files();
	tc = tcase_create("data");
	tcase_add_test(tc, data_files_present);
	tcase_add_loop_test(tc, data_file, 0, nfiles);
	tcase_add_test(tc, invalid_schemas);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);

	tc = tcase_create("violations");
	tcase_add_test(tc, violations_json_fields);
	tcase_add_test(tc, violations_message_bounded);
	tcase_add_test(tc, violation_locations);
	tcase_add_test(tc, violations_max);
	suite_add_tcase(s, tc);

	tc = tcase_create("defaults");
	tcase_add_test(tc, defaults_properties);
	tcase_add_test(tc, defaults_nested);
	tcase_add_test(tc, defaults_ref_allof);
	tcase_add_test(tc, defaults_items);
	suite_add_tcase(s, tc);

	tc = tcase_create("depth");
	tcase_add_test(tc, deep_instances);
	tcase_add_test(tc, deep_ref_nesting);
	tcase_add_test(tc, long_ref_chains);
	suite_add_tcase(s, tc);

	tc = tcase_create("schema");
	tcase_add_test(tc, schema_problems_overflow);
	tcase_add_test(tc, schema_fields);
	tcase_add_test(tc, schema_nesting_limit);
	tcase_add_test(tc, schema_pointer_offset);
	tcase_add_test(tc, schema_helpers);
	suite_add_tcase(s, tc);

	tc = tcase_create("files");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, schema_load_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("memory");
	tcase_add_test(tc, memory_bounded);
	tcase_set_timeout(tc, 300);
	suite_add_tcase(s, tc);

	/* RTA_FAULT is read once per process: children of a forked test */
	if (forking) {
		tc = tcase_create("alloc");
		tcase_add_test(tc, alloc_failures);
		tcase_set_timeout(tc, 300);
		suite_add_tcase(s, tc);
	}
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed, i;

	sr = srunner_create(NULL);
	srunner_add_suite(sr, validator_suite(srunner_fork_status(sr) !=
	    CK_NOFORK));
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	for (i = 0; i < nfiles; i++)
		free(files[i]);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
