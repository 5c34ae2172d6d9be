/*
 * check_rta_reftable.c: reference tables, through the rta_reftable API.
 *
 * Tables come from tests/unit/data/reftable or from small files written
 * into the test's directory; every join is rendered as compact JSON with
 * rta_value_to_json so the tests compare what a consumer would see.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_event.h"
#include "rta_json.h"
#include "rta_reftable.h"
#include "rta_time.h"
#include "rta_value.h"
#include "unit.h"

static char datapath[UNIT_PATH_MAX];

static const char *
data(const char *name)
{
	const char *d = getenv("RTA_TEST_DATA");

	snprintf(datapath, sizeof(datapath), "%s/reftable/%s",
	    d != NULL ? d : "tests/unit/data", name);
	return datapath;
}

static struct rta_reftable *
load_ok(const char *path, const struct rta_reftable_opts *o)
{
	struct rta_reftable *t;
	struct rta_error err;
	uint64_t line;
	int rc;

	rc = rta_reftable_load(&t, path, o, &line, &err);
	ck_assert_msg(rc == RTA_OK, "%s:%llu: %s", path,
	    (unsigned long long)line, err.text);
	ck_assert_ptr_nonnull(t);
	return t;
}

/* Load text written to a file named name; the code, line and text. */
static int
load_text(const char *name, const char *text, const struct rta_reftable_opts *o,
    uint64_t *line, struct rta_error *err)
{
	struct rta_reftable *t;
	int rc;

	unit_write_str(name, text);
	rc = rta_reftable_load(&t, unit_path(name), o, line, err);
	if (rc == RTA_OK)
		rta_reftable_free(t);
	else
		ck_assert_ptr_null(t);
	return rc;
}

/* The payload in JSON text joined with key's row (NULL: no row). */
static char *
join(const struct rta_reftable *t, const char *key, int64_t ts,
    const char *payload, const char *into)
{
	struct rta_buf p = RTA_BUF_INIT, out = RTA_BUF_INIT, js = RTA_BUF_INIT;
	struct rta_refrow row;
	struct rta_json j;
	struct rta_error err;
	char *s;

	if (!rta_reftable_lookup(t, key, strlen(key), ts, &row))
		return NULL;
	rta_json_init(&j);
	ck_assert_int_eq(rta_json_document(&j, payload, strlen(payload), &p,
	    &err), RTA_OK);
	rta_json_release(&j);
	ck_assert_int_eq(rta_reftable_join(&out, p.data, &row, into,
	    into ? strlen(into) : 0, &err), RTA_OK);
	ck_assert_int_eq(rta_value_check(out.data, out.len, 64, 1024, &err),
	    RTA_OK);
	ck_assert_int_eq(rta_value_to_json(&js, out.data), 0);
	s = rta_memdup(js.data, js.len);
	rta_buf_release(&p);
	rta_buf_release(&out);
	rta_buf_release(&js);
	return s;
}

static void
join_is(const struct rta_reftable *t, const char *key, int64_t ts,
    const char *payload, const char *into, const char *want)
{
	char *got = join(t, key, ts, payload, into);

	if (want == NULL)
		ck_assert_msg(got == NULL, "key %s: want no row, got %s", key,
		    got);
	else {
		ck_assert_msg(got != NULL, "key %s: no row", key);
		ck_assert_str_eq(got, want);
	}
	rta_free(got);
}

static int64_t
at(const char *s)
{
	int64_t us;

	ck_assert_int_eq(rta_time_parse(s, strlen(s), &us, NULL), RTA_OK);
	return us;
}

/* ------------------------------------------------------------- CSV */

START_TEST(csv_types)
{
	struct rta_reftable_opts o;
	struct rta_reftable *t;

	rta_reftable_opts_init(&o);
	o.key = "user_id";
	t = load_ok(data("users.csv"), &o);
	ck_assert_uint_eq(rta_reftable_rows(t), 4);
	/* numbers as written, booleans, the empty cell absent */
	join_is(t, "u1", 0, "{}", NULL, "{\"name\":\"Ann\",\"plan\":\"pro\","
	    "\"score\":7,\"vip\":true,\"ratio\":1.50}");
	/* a quoted empty cell is the empty string; quoted commas */
	join_is(t, "u2", 0, "{}", NULL, "{\"name\":\"Bob, Jr.\",\"plan\":"
	    "\"free\",\"score\":-3,\"vip\":false,\"note\":\"\","
	    "\"ratio\":1e3}");
	/* not JSON numbers or booleans: strings; a field over two lines */
	join_is(t, "u3", 0, "{}", NULL, "{\"name\":\"007\",\"plan\":\"\","
	    "\"score\":\"x\",\"vip\":\"TRUE\",\"note\":\"line\\none\","
	    "\"ratio\":-0}");
	/* integers beyond int64 are not JSON numbers to rta: strings;
	 * so is "null" */
	join_is(t, "42", 0, "{}", NULL, "{\"name\":\"Zo\u00eb\",\"plan\":"
	    "\"team\",\"score\":\"12345678901234567890\",\"vip\":\"null\","
	    "\"note\":\"ok\",\"ratio\":0.1}");
	join_is(t, "u4", 0, "{}", NULL, NULL);
	join_is(t, "u", 0, "{}", NULL, NULL);
	join_is(t, "", 0, "{}", NULL, NULL);
	rta_reftable_free(t);
	rta_reftable_free(NULL);
}
END_TEST

START_TEST(csv_fields_prefix)
{
	static const char *const fields[] = { "score", "name" };
	struct rta_reftable_opts o;
	struct rta_reftable *t;

	rta_reftable_opts_init(&o);
	o.key = "user_id";
	o.fields = fields;
	o.nfields = 2;
	o.prefix = "u_";
	t = load_ok(data("users.csv"), &o);
	/* in --fields order, prefixed, after the payload's own members */
	join_is(t, "u1", 0, "{\"a\":1}", NULL,
	    "{\"a\":1,\"u_score\":7,\"u_name\":\"Ann\"}");
	/* a member of the same name is replaced */
	join_is(t, "u1", 0, "{\"u_name\":\"x\",\"b\":[1],\"u_score\":0}",
	    NULL, "{\"b\":[1],\"u_score\":7,\"u_name\":\"Ann\"}");
	/* into an object, which replaces a member of its name */
	join_is(t, "u1", 0, "{\"users\":1,\"c\":null}", "users",
	    "{\"c\":null,\"users\":{\"u_score\":7,\"u_name\":\"Ann\"}}");
	rta_reftable_free(t);
}
END_TEST

START_TEST(csv_key_text)
{
	struct rta_reftable_opts o;
	struct rta_reftable *t;

	rta_reftable_opts_init(&o);
	o.key = "name";
	unit_write_str("k.csv", "name,v\n42,a\n1.50,b\ntrue,c\n");
	t = load_ok(unit_path("k.csv"), &o);
	/* keys are the cell's text, as rta_fval_text gives event values */
	join_is(t, "42", 0, "{}", NULL, "{\"v\":\"a\"}");
	join_is(t, "1.50", 0, "{}", NULL, "{\"v\":\"b\"}");
	join_is(t, "1.5", 0, "{}", NULL, NULL);
	join_is(t, "true", 0, "{}", NULL, "{\"v\":\"c\"}");
	rta_reftable_free(t);
}
END_TEST

START_TEST(csv_crlf_blank_lines)
{
	struct rta_reftable_opts o;
	struct rta_reftable *t;
	struct rta_error err;
	uint64_t line;

	rta_reftable_opts_init(&o);
	o.key = "id";
	unit_write_str("c.csv", "id,v\r\n\r\na,1\r\n\nb,2");
	t = load_ok(unit_path("c.csv"), &o);
	ck_assert_uint_eq(rta_reftable_rows(t), 2);
	join_is(t, "a", 0, "{}", NULL, "{\"v\":1}");
	join_is(t, "b", 0, "{}", NULL, "{\"v\":2}");
	rta_reftable_free(t);
	/* lines are still counted right after blank ones */
	ck_assert_int_eq(load_text("d.csv", "id,v\n\na,1\n\n\na,2\n", &o,
	    &line, &err), RTA_EDATA);
	ck_assert_uint_eq(line, 6);
	ck_assert_str_eq(err.text, "duplicate key 'a' (first on line 3)");
}
END_TEST

/* One bad file: the code, reason, line and text it gives. */
struct bad {
	const char	*text;
	const char	*key;
	int		 rc;
	const char	*reason;
	uint64_t	 line;
	const char	*msg;
};

static const struct bad bad_csv[] = {
	{ "id,v\na,1\nb,2,3\n", "id", RTA_EDATA, "ragged-row", 3,
	    "row has 3 fields, the header has 2" },
	{ "id,v\na,1\nb\n", "id", RTA_EDATA, "ragged-row", 3,
	    "row has 1 fields, the header has 2" },
	{ "id,v\na,1\nb,2\na,3\n", "id", RTA_EDATA, "duplicate-key", 4,
	    "duplicate key 'a' (first on line 2)" },
	{ "id,v\na,\"x\ny\"\nb,\xff\n", "id", RTA_EDATA, "bad-utf8", 4,
	    "column 'v' is not valid UTF-8 or holds a NUL byte" },
	{ "id,v\xc3\n", "id", RTA_EDATA, "bad-utf8", 1,
	    "column 2 of the header is not UTF-8" },
	{ "key,v\na,1\n", "id", RTA_EDATA, "no-column", 1,
	    "no key column 'id' in the header" },
	{ "id,v\na,1\n,2\n", "id", RTA_EDATA, "empty-key", 3,
	    "empty key (column 'id')" },
	{ "id,v\n\"\",2\n", "id", RTA_EDATA, "empty-key", 2,
	    "empty key (column 'id')" },
	{ "id,v\na,\"1\n", "id", RTA_EDATA, "bad-csv", 2,
	    "unterminated quoted field at the end of the file" },
	{ "id,v\na,1\"x\"\n", "id", RTA_EDATA, "bad-csv", 2,
	    "malformed quoting" },
	{ "", "id", RTA_EDATA, "no-column", 1, "empty file: no header row" },
	{ "id,,v\n", "id", RTA_EDATA, "no-column", 1,
	    "column 2 of the header has no name" },
};

/* Loading text b as file must fail as b says: code, reason, line and
 * (where given) the message. */
static void
expect_bad(const char *file, const struct bad *b,
    const struct rta_reftable_opts *o)
{
	struct rta_error err;
	uint64_t line;

	ck_assert_int_eq(load_text(file, b->text, o, &line, &err), b->rc);
	ck_assert_str_eq(err.reason, b->reason);
	ck_assert_uint_eq(line, b->line);
	if (b->msg != NULL)
		ck_assert_str_eq(err.text, b->msg);
}

START_TEST(csv_bad)
{
	const struct bad *b = &bad_csv[_i];
	struct rta_reftable_opts o;

	ck_assert_ptr_nonnull(b->msg);
	rta_reftable_opts_init(&o);
	o.key = b->key;
	expect_bad("bad.csv", b, &o);
}
END_TEST

START_TEST(csv_options_bad)
{
	static const char *const nofield[] = { "v", "w" };
	static const char *const twice[] = { "v", "v" };
	static const char *const def_uncopied[] = { "id=1" };
	static const char *const def_bad[] = { "v" };
	struct rta_reftable_opts o;
	struct rta_error err;
	uint64_t line;

	rta_reftable_opts_init(&o);
	o.key = "id";
	o.fields = nofield;
	o.nfields = 2;
	ck_assert_int_eq(load_text("o.csv", "id,v\na,1\n", &o, &line, &err),
	    RTA_EDATA);
	ck_assert_uint_eq(line, 1);
	ck_assert_str_eq(err.text, "no column 'w' (--fields) in the header");
	o.fields = twice;
	ck_assert_int_eq(load_text("o.csv", "id,v\na,1\n", &o, &line, &err),
	    RTA_EDATA);
	ck_assert_str_eq(err.text, "--fields names 'v' twice");
	o.nfields = 0;
	o.defaults = def_uncopied;
	o.ndefaults = 1;
	ck_assert_int_eq(load_text("o.csv", "id,v\na,1\n", &o, &line, &err),
	    RTA_EDATA);
	ck_assert_str_eq(err.text, "default for 'id', which is not copied");
	o.defaults = def_bad;
	ck_assert_int_eq(load_text("o.csv", "id,v\na,1\n", &o, &line, &err),
	    RTA_EDATA);
	ck_assert_str_eq(err.reason, "bad-default");
	o.ndefaults = 0;
	o.valid_from = "f";
	ck_assert_int_eq(load_text("o.csv", "id,v\na,1\n", &o, &line, &err),
	    RTA_EINVAL);
	o.valid_to = "t";
	ck_assert_int_eq(load_text("o.csv", "id,v\na,1\n", &o, &line, &err),
	    RTA_EDATA);
	ck_assert_str_eq(err.text, "no column 'f' (--valid-from) in the "
	    "header");
	o.valid_from = o.valid_to = NULL;
	ck_assert_int_eq(load_text("o.txt", "id,v\na,1\n", &o, &line, &err),
	    RTA_EINVAL);
	ck_assert_str_eq(err.reason, "bad-format");
	o.format = RTA_REF_CSV;
	ck_assert_int_eq(load_text("o.txt", "id,v\na,1\n", &o, &line, &err),
	    RTA_OK);
	ck_assert_int_eq(rta_reftable_load(&(struct rta_reftable *){ NULL },
	    unit_path("nosuch.csv"), &o, &line, &err), RTA_EIO);
	ck_assert_uint_eq(line, 0);
	ck_assert_str_eq(err.text, "No such file or directory");
}
END_TEST

START_TEST(defaults)
{
	static const char *const defs[] = { "plan=none", "score=0",
	    "vip=false", "note=" };
	struct rta_reftable_opts o;
	struct rta_reftable *t;
	struct rta_refrow row;
	struct rta_buf out = RTA_BUF_INIT, js = RTA_BUF_INIT;
	struct rta_error err;

	rta_reftable_opts_init(&o);
	o.key = "user_id";
	o.prefix = "p.";
	t = load_ok(data("users.csv"), &o);
	ck_assert_int_eq(rta_reftable_defaults(t, &row), 0);
	rta_reftable_free(t);
	o.defaults = defs;
	o.ndefaults = 4;
	t = load_ok(data("users.csv"), &o);
	ck_assert_int_eq(rta_reftable_defaults(t, &row), 1);
	ck_assert_uint_eq(row.count, 4);
	ck_assert_int_eq(rta_reftable_join(&out, rta_empty_object, &row, NULL,
	    0, &err), RTA_OK);
	ck_assert_int_eq(rta_value_to_json(&js, out.data), 0);
	ck_assert_int_eq(rta_buf_addc(&js, '\0'), 0);
	ck_assert_str_eq((char *)js.data, "{\"p.plan\":\"none\",\"p.score\":0,"
	    "\"p.vip\":false,\"p.note\":\"\"}");
	rta_buf_release(&out);
	rta_buf_release(&js);
	rta_reftable_free(t);
}
END_TEST

START_TEST(long_lines)
{
	struct rta_reftable_opts o;
	struct rta_error err;
	struct rta_buf b = RTA_BUF_INIT;
	uint64_t line;
	int i;

	rta_reftable_opts_init(&o);
	o.key = "id";
	o.max_line = 64;
	/* a line far over the limit is refused without being held whole */
	ck_assert_int_eq(rta_buf_adds(&b, "id,v\na,1\nb,"), 0);
	for (i = 0; i < 1 << 20; i++)
		ck_assert_int_eq(rta_buf_addc(&b, 'x'), 0);
	ck_assert_int_eq(rta_buf_adds(&b, "\nc,3\n"), 0);
	unit_write("long.csv", b.data, b.len);
	ck_assert_int_eq(rta_reftable_load(&(struct rta_reftable *){ NULL },
	    unit_path("long.csv"), &o, &line, &err), RTA_ELIMIT);
	ck_assert_uint_eq(line, 3);
	ck_assert_str_eq(err.text, "line longer than 64 bytes");
	ck_assert_str_eq(err.reason, "line-too-long");
	/* the same for NDJSON, and for a last line without a newline */
	b.len = 0;
	ck_assert_int_eq(rta_buf_adds(&b, "{\"id\":\"a\"}\n\n{\"id\":\""),
	    0);
	for (i = 0; i < 1 << 20; i++)
		ck_assert_int_eq(rta_buf_addc(&b, 'x'), 0);
	unit_write("long.ndjson", b.data, b.len);
	ck_assert_int_eq(rta_reftable_load(&(struct rta_reftable *){ NULL },
	    unit_path("long.ndjson"), &o, &line, &err), RTA_ELIMIT);
	ck_assert_uint_eq(line, 3);
	/* a quoted row over several short lines counts as one row */
	ck_assert_int_eq(load_text("rows.csv", "id,v\na,\"0123456789\n"
	    "0123456789\n0123456789\n0123456789\n0123456789\n0123456789\n"
	    "0123456789\"\n", &o, &line, &err), RTA_ELIMIT);
	ck_assert_uint_eq(line, 2);
	ck_assert_str_eq(err.text, "row longer than 64 bytes");
	/* exactly at the limit is fine */
	o.max_line = 8;
	ck_assert_int_eq(load_text("fit.csv", "id,v\nabcdef,1\n", &o, &line,
	    &err), RTA_ELIMIT);
	ck_assert_int_eq(load_text("fit.csv", "id,v\nabcde,1\n", &o, &line,
	    &err), RTA_OK);
	rta_buf_release(&b);
}
END_TEST

/* ---------------------------------------------------------- NDJSON */

START_TEST(ndjson_rows)
{
	static const char *const fields[] = { "score", "name", "nothere" };
	struct rta_reftable_opts o;
	struct rta_reftable *t;

	rta_reftable_opts_init(&o);
	o.key = "user_id";
	t = load_ok(data("users.ndjson"), &o);
	ck_assert_uint_eq(rta_reftable_rows(t), 3);
	/* members as they are, null included, nesting kept */
	join_is(t, "u1", 0, "{\"x\":1}", "u", "{\"x\":1,\"u\":{\"name\":"
	    "\"Ann\",\"tags\":[\"a\",\"b\"],\"addr\":{\"city\":\"Oslo\"},"
	    "\"gone\":null}}");
	/* a number key is its text */
	join_is(t, "7", 0, "{}", NULL, "{\"name\":\"Seven\",\"score\":1.50}");
	join_is(t, "u3", 0, "{}", NULL, "{\"name\":\"Nobody-left-out\"}");
	rta_reftable_free(t);
	o.fields = fields;
	o.nfields = 3;
	o.prefix = "r_";
	t = load_ok(data("users.ndjson"), &o);
	join_is(t, "7", 0, "{}", NULL, "{\"r_score\":1.50,\"r_name\":"
	    "\"Seven\"}");
	join_is(t, "u1", 0, "{}", NULL, "{\"r_name\":\"Ann\"}");
	rta_reftable_free(t);
}
END_TEST

static const struct bad bad_ndjson[] = {
	{ "{\"id\":\"a\"}\n{\"id\":\"a\"}\n", "id", RTA_EDATA,
	    "duplicate-key", 2, "duplicate key 'a' (first on line 1)" },
	{ "{\"id\":\"a\"}\n[1]\n", "id", RTA_EDATA, "bad-json", 2,
	    "not a JSON object" },
	{ "{\"id\":\"a\"}\n{\"v\":1}\n", "id", RTA_EDATA, "no-key", 2,
	    "no key member 'id'" },
	{ "{\"id\":null}\n", "id", RTA_EDATA, "no-key", 1,
	    "key 'id' is null, an array or an object" },
	{ "{\"id\":\"\"}\n", "id", RTA_EDATA, "empty-key", 1,
	    "empty key (member 'id')" },
	{ "\n\n{\"id\":\"\xff\"}\n", "id", RTA_EDATA, "bad-utf8", 3, NULL },
	{ "{\"id\":\"a\",}\n", "id", RTA_EDATA, "bad-json", 1, NULL },
};

START_TEST(ndjson_bad)
{
	const struct bad *b = &bad_ndjson[_i];
	struct rta_reftable_opts o;

	rta_reftable_opts_init(&o);
	o.key = b->key;
	expect_bad("bad.ndjson", b, &o);
}
END_TEST

/* ----------------------------------------------------- effective dating */

START_TEST(dated_boundaries)
{
	struct rta_reftable_opts o;
	struct rta_reftable *t;

	rta_reftable_opts_init(&o);
	o.key = "sku";
	o.valid_from = "valid_from";
	o.valid_to = "valid_to";
	t = load_ok(data("prices.csv"), &o);
	ck_assert_uint_eq(rta_reftable_rows(t), 4);
	/* from <= ts < to, rows given out of order */
	join_is(t, "A", at("2025-12-31T23:59:59.999999Z"), "{}", NULL, NULL);
	join_is(t, "A", at("2026-01-01T00:00:00Z"), "{}", NULL,
	    "{\"price\":10}");
	join_is(t, "A", at("2026-01-31T23:59:59.999999Z"), "{}", NULL,
	    "{\"price\":10}");
	join_is(t, "A", at("2026-02-01T00:00:00Z"), "{}", NULL,
	    "{\"price\":20}");
	join_is(t, "A", at("2026-02-28T23:59:59.999999Z"), "{}", NULL,
	    "{\"price\":20}");
	join_is(t, "A", at("2026-03-01T00:00:00Z"), "{}", NULL,
	    "{\"price\":30}");
	/* open ends */
	join_is(t, "A", RTA_TIME_MAX, "{}", NULL, "{\"price\":30}");
	join_is(t, "B", RTA_TIME_MIN, "{}", NULL, "{\"price\":1}");
	join_is(t, "B", at("2026-01-01T00:00:00Z"), "{}", NULL, NULL);
	rta_reftable_free(t);
}
END_TEST

START_TEST(dated_ndjson)
{
	struct rta_reftable_opts o;
	struct rta_reftable *t;

	rta_reftable_opts_init(&o);
	o.key = "k";
	o.valid_from = "from";
	o.valid_to = "to";
	unit_write_str("d.ndjson",
	    "{\"k\":\"x\",\"from\":1767225600,\"to\":null,\"v\":2}\n"
	    "{\"k\":\"x\",\"to\":\"2026-01-01T00:00:00Z\",\"v\":1}\n");
	t = load_ok(unit_path("d.ndjson"), &o);
	join_is(t, "x", at("2025-06-01T00:00:00Z"), "{}", NULL, "{\"v\":1}");
	join_is(t, "x", at("2026-01-01T00:00:00Z"), "{}", NULL, "{\"v\":2}");
	rta_reftable_free(t);
}
END_TEST

static const struct bad bad_dated[] = {
	{ "k,f,t,v\na,2026-01-01T00:00:00Z,2026-02-01T00:00:00Z,1\n"
	    "a,2026-01-31T00:00:00Z,2026-03-01T00:00:00Z,2\n", "k", RTA_EDATA,
	    "duplicate-key", 3,
	    "key 'a' is valid at times line 2 already covers" },
	{ "k,f,t,v\na,2026-02-01T00:00:00Z,,1\n"
	    "a,,2026-02-01T00:00:01Z,2\n", "k", RTA_EDATA,
	    "duplicate-key", 3,
	    "key 'a' is valid at times line 2 already covers" },
	{ "k,f,t,v\na,2026-02-01T00:00:00Z,,1\n"
	    "a,2026-02-01T00:00:00Z,,2\n", "k", RTA_EDATA,
	    "duplicate-key", 3,
	    "key 'a' is valid at times line 2 already covers" },
	{ "k,f,t,v\na,2026-02-01T00:00:00Z,2026-02-01T00:00:00Z,1\n", "k",
	    RTA_EDATA, "bad-time", 2, "valid-to is not after valid-from" },
	{ "k,f,t,v\na,2026-13-01,,1\n", "k", RTA_EDATA, "bad-time", 2, NULL },
	{ "k,f,t,v\na,,soon,1\n", "k", RTA_EDATA, "bad-time", 2, NULL },
};

START_TEST(dated_bad)
{
	const struct bad *b = &bad_dated[_i];
	struct rta_reftable_opts o;

	rta_reftable_opts_init(&o);
	o.key = b->key;
	o.valid_from = "f";
	o.valid_to = "t";
	expect_bad("bad.csv", b, &o);
}
END_TEST

START_TEST(dated_many)
{
	struct rta_reftable_opts o;
	struct rta_reftable *t;
	struct rta_buf b = RTA_BUF_INIT;
	char want[32];
	int i;

	/* many versions of each key, in time order and reversed */
	rta_reftable_opts_init(&o);
	o.key = "k";
	o.valid_from = "f";
	o.valid_to = "t";
	ck_assert_int_eq(rta_buf_adds(&b, "k,f,t,v\n"), 0);
	for (i = 0; i < 500; i++)
		ck_assert_int_eq(rta_buf_printf(&b, "a,%d,%d,%d\nb,%d,%d,%d\n",
		    i * 10, i * 10 + 10, i, (499 - i) * 10, (499 - i) * 10 + 10,
		    499 - i), 0);
	unit_write("m.csv", b.data, b.len);
	t = load_ok(unit_path("m.csv"), &o);
	ck_assert_uint_eq(rta_reftable_rows(t), 1000);
	for (i = 0; i < 500; i += 37) {
		snprintf(want, sizeof(want), "{\"v\":%d}", i);
		join_is(t, "a", (int64_t)i * 10 * RTA_US_PER_SEC + 5, "{}",
		    NULL, want);
		join_is(t, "b", (int64_t)i * 10 * RTA_US_PER_SEC + 9999999,
		    "{}", NULL, want);
	}
	join_is(t, "a", 5000 * RTA_US_PER_SEC, "{}", NULL, NULL);
	rta_reftable_free(t);
	rta_buf_release(&b);
}
END_TEST

/* ------------------------------------------------------------ joins */

START_TEST(join_limits)
{
	struct rta_reftable_opts o;
	struct rta_reftable *t;
	struct rta_refrow row;
	struct rta_buf p = RTA_BUF_INIT, out = RTA_BUF_INIT;
	struct rta_error err;
	size_t off;
	char k[16];
	int i;

	rta_reftable_opts_init(&o);
	o.key = "id";
	unit_write_str("j.csv", "id,a,b\nx,1,2\n");
	t = load_ok(unit_path("j.csv"), &o);
	ck_assert_int_eq(rta_reftable_lookup(t, "x", 1, 0, &row), 1);
	off = rta_venc_begin(&p, RTA_V_OBJECT);
	for (i = 0; i < 1023; i++) {
		snprintf(k, sizeof(k), "m%d", i);
		ck_assert_int_eq(rta_venc_key(&p, k, strlen(k)), 0);
		ck_assert_int_eq(rta_venc_null(&p), 0);
	}
	rta_venc_end(&p, off, 1023);
	/* 1023 + 2 members is one too many; into adds one: fine */
	ck_assert_int_eq(rta_reftable_join(&out, p.data, &row, NULL, 0, &err),
	    RTA_ELIMIT);
	ck_assert_str_eq(err.reason, "too-many-members");
	ck_assert_int_eq(rta_reftable_join(&out, p.data, &row, "j", 1, &err),
	    RTA_OK);
	ck_assert_uint_eq(rta_value_count(out.data), 1024);
	rta_buf_release(&p);
	rta_buf_release(&out);
	rta_reftable_free(t);
}
END_TEST

START_TEST(formats)
{
	enum rta_ref_format f;

	ck_assert_int_eq(rta_ref_format_guess("a/users.csv"), RTA_REF_CSV);
	ck_assert_int_eq(rta_ref_format_guess("u.ndjson"), RTA_REF_NDJSON);
	ck_assert_int_eq(rta_ref_format_guess("u.jsonl"), RTA_REF_NDJSON);
	ck_assert_int_eq(rta_ref_format_guess("u.json"), RTA_REF_AUTO);
	ck_assert_int_eq(rta_ref_format_guess(".csv"), RTA_REF_AUTO);
	ck_assert_int_eq(rta_ref_format_parse("csv", &f), 0);
	ck_assert_int_eq(f, RTA_REF_CSV);
	ck_assert_int_eq(rta_ref_format_parse("ndjson", &f), 0);
	ck_assert_int_eq(f, RTA_REF_NDJSON);
	ck_assert_int_eq(rta_ref_format_parse("tsv", &f), -1);
}
END_TEST

START_TEST(big_table)
{
	struct rta_reftable_opts o;
	struct rta_reftable *t;
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_refrow row;
	char k[32];
	int i;

	/* enough rows for the index to grow many times */
	rta_reftable_opts_init(&o);
	o.key = "id";
	ck_assert_int_eq(rta_buf_adds(&b, "id,v\n"), 0);
	for (i = 0; i < 100000; i++)
		ck_assert_int_eq(rta_buf_printf(&b, "k%d,%d\n", i * 7, i), 0);
	unit_write("big.csv", b.data, b.len);
	t = load_ok(unit_path("big.csv"), &o);
	ck_assert_uint_eq(rta_reftable_rows(t), 100000);
	for (i = 0; i < 700000; i += 1) {
		snprintf(k, sizeof(k), "k%d", i);
		ck_assert_int_eq(rta_reftable_lookup(t, k, strlen(k), 0, &row),
		    i % 7 == 0);
	}
	rta_reftable_free(t);
	rta_buf_release(&b);
}
END_TEST

/* ------------------------------------------------ allocation failures */

static int
fault_child(unsigned long n)
{
	static const char *const defs[] = { "v=0" };
	struct rta_reftable_opts o;
	struct rta_reftable *t = NULL, *d = NULL;
	struct rta_refrow row;
	struct rta_buf out = RTA_BUF_INIT;
	struct rta_error err;
	uint64_t line;
	char spec[64];
	void *p;
	int rc;

	snprintf(spec, sizeof(spec), "alloc:%lu:persistent", n);
	setenv("RTA_FAULT", spec, 1);
	rta_reftable_opts_init(&o);
	o.key = "user_id";
	o.defaults = defs;
	o.ndefaults = 1;
	o.fields = (const char *const[]){ "v", "name" };
	o.nfields = 2;
	if ((rc = rta_reftable_load(&t, data("users.ndjson"), &o, &line,
	    &err)) != RTA_OK)
		return rc == RTA_ENOMEM && t == NULL ? 1 : 10;
	o.key = "sku";
	o.valid_from = "valid_from";
	o.valid_to = "valid_to";
	o.fields = NULL;
	o.nfields = 0;
	o.ndefaults = 0;
	if ((rc = rta_reftable_load(&d, data("prices.csv"), &o, &line,
	    &err)) != RTA_OK) {
		rta_reftable_free(t);
		return rc == RTA_ENOMEM && d == NULL ? 1 : 10;
	}
	if (!rta_reftable_lookup(t, "7", 1, 0, &row) ||
	    !rta_reftable_lookup(d, "A", 1, 0x7fffffffffffffLL, &row))
		return 11;
	rc = rta_reftable_join(&out, rta_empty_object, &row, "p", 1, &err);
	rta_buf_release(&out);
	rta_reftable_free(t);
	rta_reftable_free(d);
	if (rc != RTA_OK)
		return rc == RTA_ENOMEM ? 1 : 10;
	if ((p = rta_malloc(1)) == NULL)
		return 1;
	rta_free(p);
	return n == 1 ? 12 : 0;
}

static const char *
fault_why(int code)
{
	return code == 10 ? "a failure that is not ENOMEM, or a table left" :
	    "a row lost";
}

START_TEST(allocation_failures)
{
	ck_assert_uint_gt(unit_alloc_failures(fault_child, fault_why), 10);
}
END_TEST

/* ------------------------------------------------------------- suite */

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static Suite *
reftable_suite(void)
{
	Suite *s = suite_create("rta_reftable");
	TCase *tc;

	tc = tcase_create("csv");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, csv_types);
	tcase_add_test(tc, csv_fields_prefix);
	tcase_add_test(tc, csv_key_text);
	tcase_add_test(tc, csv_crlf_blank_lines);
	tcase_add_loop_test(tc, csv_bad, 0, NELEM(bad_csv));
	tcase_add_test(tc, csv_options_bad);
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, long_lines);
	tcase_add_test(tc, big_table);
	tcase_set_timeout(tc, 60);	/* a big table, also under ASan */
	suite_add_tcase(s, tc);

	tc = tcase_create("ndjson");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, ndjson_rows);
	tcase_add_loop_test(tc, ndjson_bad, 0, NELEM(bad_ndjson));
	suite_add_tcase(s, tc);

	tc = tcase_create("dated");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, dated_boundaries);
	tcase_add_test(tc, dated_ndjson);
	tcase_add_loop_test(tc, dated_bad, 0, NELEM(bad_dated));
	tcase_add_test(tc, dated_many);
	suite_add_tcase(s, tc);

	tc = tcase_create("join");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, join_limits);
	tcase_add_test(tc, formats);
	tcase_add_test(tc, allocation_failures);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(reftable_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
