/*
 * check_rta_csv.c: CSV rows as events, through the rta_csv API.
 *
 * Input is fed one physical line at a time, as the reader does, and each
 * event is rendered with rta_ndjson_put and read back with jansson, so the
 * tests look at the types and values a consumer would see.
 */
#define _GNU_SOURCE		/* memmem */
#include <check.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_csv.h"
#include "rta_event.h"
#include "rta_time.h"
#include "rta_uuid.h"

#define MAXROWS	32

/* What one row became. */
struct row {
	int		 rc;
	const char	*reason;
	char		 text[160];
	uint64_t	 line;
	json_t		*ev;		/* the event as JSON or NULL */
};

/* What feeding a whole text gave. */
struct result {
	struct row	 row[MAXROWS];
	int		 nrows;
	int		 feed_errors;
	char		 feed_text[160];
	int		 header_rc;
	char		 header_text[160];
	int		 fatal;
};

static struct rta_csv fc;
static struct result fr;

static void
setup(void)
{
	struct rta_csv_opts o;

	rta_csv_opts_init(&o);
	ck_assert_int_eq(o.delim, ',');
	ck_assert_int_eq(o.no_infer, 0);
	ck_assert_ptr_null(o.type);
	ck_assert_int_eq(rta_csv_init(&fc, &o), RTA_OK);
	memset(&fr, 0, sizeof(fr));
}

static void
teardown(void)
{
	static const struct rta_csv zero;
	int i;

	rta_csv_release(&fc);
	/* release leaves the object empty */
	ck_assert_int_eq(memcmp(&fc, &zero, sizeof(fc)), 0);
	rta_csv_release(NULL);
	for (i = 0; i < fr.nrows; i++)
		json_decref(fr.row[i].ev);
}

static json_t *
event_json(const struct rta_record *rec)
{
	struct rta_buf b = RTA_BUF_INIT;
	json_error_t je;
	json_t *j;

	ck_assert_int_eq(rta_ndjson_put(&b, rec), 0);
	j = json_loadb((const char *)b.data, b.len, 0, &je);
	ck_assert_msg(j != NULL, "unparsable event: %s: %.*s", je.text,
	    (int)b.len, b.data);
	rta_buf_release(&b);
	return j;
}

/* Take every queued row; rows are numbered by the line they began on. */
static void
drain(struct rta_csv *c, struct result *r, uint64_t line, const char *raw,
    size_t rawlen)
{
	struct rta_record rec;
	struct rta_error err;
	int rc;

	for (;;) {
		memset(&rec, 0, sizeof(rec));
		rta_error_clear(&err);
		if (rta_csv_pending(c) == 0)
			return;
		rc = rta_csv_next(c, &rec, line, raw, rawlen, &err);
		if (rc == RTA_EOF)
			continue;	/* the header, or an empty line */
		if (c->fatal && r->header_rc == 0 && r->nrows == 0) {
			/* the header, unusable */
			r->header_rc = rc;
			r->fatal = c->fatal;
			snprintf(r->header_text, sizeof(r->header_text), "%s",
			    err.text);
			continue;
		}
		ck_assert_int_lt(r->nrows, MAXROWS);
		r->row[r->nrows].rc = rc;
		r->row[r->nrows].reason = err.reason;
		r->row[r->nrows].line = line;
		snprintf(r->row[r->nrows].text, sizeof(r->row[0].text), "%s",
		    err.text);
		r->row[r->nrows].ev = rc == RTA_OK ? event_json(&rec) : NULL;
		if (rc == RTA_OK)
			ck_assert_int_eq(rec.kind, RTA_REC_EVENT);
		r->nrows++;
	}
}

/* Feed text line by line (each with its newline), then the end. */
static void
feed_text(struct rta_csv *c, struct result *r, const char *text)
{
	struct rta_error err;
	const char *p = text, *start = text;
	uint64_t line = 0, row_line = 1;

	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);

		line++;
		rta_error_clear(&err);
		if (rta_csv_feed(c, p, n, 0, &err) != RTA_OK) {
			ck_assert_str_eq(err.reason, "bad-csv");
			r->feed_errors++;
			snprintf(r->feed_text, sizeof(r->feed_text), "%s",
			    err.text);
			p += n;
			start = p;
			row_line = line + 1;
			continue;
		}
		p += n;
		if (rta_csv_pending(c) > 0) {
			drain(c, r, row_line, start, (size_t)(p - start));
			start = p;
			row_line = line + 1;
		}
	}
	rta_error_clear(&err);
	if (rta_csv_feed(c, NULL, 0, 1, &err) != RTA_OK) {
		ck_assert_str_eq(err.reason, "bad-csv");
		r->feed_errors++;
		snprintf(r->feed_text, sizeof(r->feed_text), "%s", err.text);
	}
	drain(c, r, row_line, start, (size_t)(p - start));
}

/* Feed with options of one's own. */
static void
feed_opts(const struct rta_csv_opts *o, const char *text)
{
	rta_csv_release(&fc);
	ck_assert_int_eq(rta_csv_init(&fc, o), RTA_OK);
	feed_text(&fc, &fr, text);
}

static const char *
jstr(json_t *ev, const char *key)
{
	json_t *v = json_object_get(ev, key);

	ck_assert_msg(json_is_string(v), "%s is not a string", key);
	return json_string_value(v);
}

static json_t *
pget(json_t *ev, const char *key)
{
	json_t *p = json_object_get(ev, "payload");

	ck_assert(json_is_object(p));
	return json_object_get(p, key);
}

static void
assert_ok_rows(int n)
{
	int i;

	ck_assert_int_eq(fr.header_rc, RTA_OK);
	ck_assert_int_eq(fr.nrows, n);
	for (i = 0; i < n; i++)
		ck_assert_msg(fr.row[i].rc == RTA_OK, "row %d: rc %d (%s)", i,
		    fr.row[i].rc, fr.row[i].text);
}

/* ---- header mapping ---------------------------------------------------- */

START_TEST(header_default_names)
{
	json_t *ev;

	feed_text(&fc, &fr, "tenant_id,value,timestamp,event_type,event_id,"
	    "schema_version,note\n"
	    "acme,12,2026-01-01T00:00:01Z,click,id-1,3,hi\n");
	assert_ok_rows(1);
	ev = fr.row[0].ev;
	ck_assert_str_eq(jstr(ev, "event_id"), "id-1");
	ck_assert_str_eq(jstr(ev, "timestamp"), "2026-01-01T00:00:01.000000Z");
	ck_assert_str_eq(jstr(ev, "event_type"), "click");
	ck_assert_str_eq(jstr(ev, "tenant_id"), "acme");
	ck_assert_int_eq(json_integer_value(json_object_get(ev,
	    "schema_version")), 3);
	/* every other column, in column order, is the payload */
	ck_assert_uint_eq(json_object_size(json_object_get(ev, "payload")), 2);
	ck_assert_int_eq(json_integer_value(pget(ev, "value")), 12);
	ck_assert_str_eq(json_string_value(pget(ev, "note")), "hi");
	{
		const char *k = json_object_iter_key(json_object_iter(
		    json_object_get(ev, "payload")));

		ck_assert_str_eq(k, "value");
	}
}
END_TEST

START_TEST(header_custom_names)
{
	struct rta_csv_opts o;
	json_t *ev;

	rta_csv_opts_init(&o);
	o.id_col = "uuid";
	o.time_col = "when";
	o.type_col = "kind";
	o.tenant_col = "org";
	o.version_col = "v";
	feed_opts(&o, "org,when,kind,uuid,v,timestamp,event_type\n"
	    "acme,1767225600,buy,x1,2,not a time,also payload\n");
	assert_ok_rows(1);
	ev = fr.row[0].ev;
	ck_assert_str_eq(jstr(ev, "event_id"), "x1");
	ck_assert_str_eq(jstr(ev, "timestamp"), "2026-01-01T00:00:00.000000Z");
	ck_assert_str_eq(jstr(ev, "event_type"), "buy");
	ck_assert_str_eq(jstr(ev, "tenant_id"), "acme");
	ck_assert_int_eq(json_integer_value(json_object_get(ev,
	    "schema_version")), 2);
	/* the default names are plain columns now */
	ck_assert_str_eq(json_string_value(pget(ev, "timestamp")),
	    "not a time");
	ck_assert_str_eq(json_string_value(pget(ev, "event_type")),
	    "also payload");
}
END_TEST

START_TEST(header_delimiters)
{
	struct rta_csv_opts o;

	rta_csv_opts_init(&o);
	o.delim = ';';
	feed_opts(&o, "timestamp;event_type;tenant_id;a\n"
	    "2026-01-01T00:00:00Z;t;acme;1,5\n");
	assert_ok_rows(1);
	ck_assert_str_eq(json_string_value(pget(fr.row[0].ev, "a")), "1,5");
	json_decref(fr.row[0].ev);
	memset(&fr, 0, sizeof(fr));
	o.delim = '\t';
	feed_opts(&o, "timestamp\tevent_type\ttenant_id\ta b\n"
	    "2026-01-01T00:00:00Z\tt\tacme\tx,y\n");
	assert_ok_rows(1);
	ck_assert_str_eq(json_string_value(pget(fr.row[0].ev, "a b")), "x,y");
}
END_TEST

/* ---- defaults, constants ----------------------------------------------- */

START_TEST(defaults)
{
	json_t *ev;
	const char *id;
	unsigned char v;

	feed_text(&fc, &fr, "timestamp,event_type,tenant_id\n"
	    "2026-01-01T00:00:00Z,t,acme\n");
	assert_ok_rows(1);
	ev = fr.row[0].ev;
	ck_assert_int_eq(json_integer_value(json_object_get(ev,
	    "schema_version")), 1);
	ck_assert_uint_eq(json_object_size(json_object_get(ev, "payload")), 0);
	/* no id column: a UUID v8 */
	id = jstr(ev, "event_id");
	ck_assert_uint_eq(strlen(id), RTA_UUID_LEN);
	ck_assert_int_eq(id[14], '8');
	v = (unsigned char)id[19];
	ck_assert(v == '8' || v == '9' || v == 'a' || v == 'b');
}
END_TEST

START_TEST(constants)
{
	struct rta_csv_opts o;

	rta_csv_opts_init(&o);
	o.type = "page_view";
	o.tenant = "acme";
	feed_opts(&o, "timestamp,x\n2026-01-01T00:00:00Z,1\n"
	    "2026-01-01T00:00:01Z,2\n");
	assert_ok_rows(2);
	ck_assert_str_eq(jstr(fr.row[0].ev, "event_type"), "page_view");
	ck_assert_str_eq(jstr(fr.row[1].ev, "tenant_id"), "acme");
	ck_assert_int_eq(json_integer_value(pget(fr.row[1].ev, "x")), 2);
}
END_TEST

/* A constant stands in only when there is no column of that name. */
START_TEST(constants_and_columns)
{
	struct rta_csv_opts o;

	rta_csv_opts_init(&o);
	o.type = "fallback";
	o.tenant = "acme";
	feed_opts(&o, "timestamp,event_type\n2026-01-01T00:00:00Z,real\n");
	assert_ok_rows(1);
	ck_assert_str_eq(jstr(fr.row[0].ev, "event_type"), "real");
	ck_assert_str_eq(jstr(fr.row[0].ev, "tenant_id"), "acme");
}
END_TEST

START_TEST(schema_version_values)
{
	static const char *const bad[] = { "x", "-1", "4294967296", "1.5",
	    "", "2x" };
	char text[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct rta_csv_opts o;
		int k;

		for (k = 0; k < fr.nrows; k++)
			json_decref(fr.row[k].ev);
		memset(&fr, 0, sizeof(fr));
		rta_csv_opts_init(&o);
		snprintf(text, sizeof(text), "timestamp,event_type,tenant_id,"
		    "schema_version\n2026-01-01T00:00:00Z,t,a,%s\n"
		    "2026-01-01T00:00:00Z,t,a,4294967295\n", bad[i]);
		feed_opts(&o, text);
		ck_assert_int_eq(fr.nrows, 2);
		ck_assert_msg(fr.row[0].rc == RTA_EDATA, "version '%s' "
		    "accepted", bad[i]);
		ck_assert_str_eq(fr.row[0].reason, "bad-field");
		ck_assert_int_eq(fr.row[1].rc, RTA_OK);
		ck_assert_int_eq(json_integer_value(json_object_get(
		    fr.row[1].ev, "schema_version")), 4294967295LL);
	}
}
END_TEST

/* ---- type inference ---------------------------------------------------- */

START_TEST(inference)
{
	json_t *ev, *v;

	feed_text(&fc, &fr, "timestamp,event_type,tenant_id,i,neg,r,e,t,f,"
	    "empty,qempty,s,lead0,dot,minus,plus,qspace,TRUE,null,comma,quote,"
	    "qnum\n"
	    "2026-01-01T00:00:00Z,t,a,42,-7,3.25,1e3,true,false,,\"\",abc,"
	    "01,1.,-,+1,\" 42\",TRUE,null,\"a,b\",\"say \"\"hi\"\"\",\"17\"\n");
	assert_ok_rows(1);
	ev = fr.row[0].ev;
	ck_assert(json_is_integer(pget(ev, "i")));
	ck_assert_int_eq(json_integer_value(pget(ev, "i")), 42);
	ck_assert_int_eq(json_integer_value(pget(ev, "neg")), -7);
	ck_assert(json_is_real(pget(ev, "r")));
	ck_assert(json_real_value(pget(ev, "r")) == 3.25);
	ck_assert(json_is_number(pget(ev, "e")));
	ck_assert(json_number_value(pget(ev, "e")) == 1000.0);
	ck_assert(json_is_true(pget(ev, "t")));
	ck_assert(json_is_false(pget(ev, "f")));
	/* empty unquoted is null; empty quoted is the empty string */
	v = pget(ev, "empty");
	ck_assert_msg(json_is_null(v), "empty field is not null");
	v = pget(ev, "qempty");
	ck_assert(json_is_string(v));
	ck_assert_str_eq(json_string_value(v), "");
	/* text that is not JSON number syntax stays text */
	ck_assert_str_eq(json_string_value(pget(ev, "s")), "abc");
	ck_assert_str_eq(json_string_value(pget(ev, "lead0")), "01");
	ck_assert_str_eq(json_string_value(pget(ev, "dot")), "1.");
	ck_assert_str_eq(json_string_value(pget(ev, "minus")), "-");
	ck_assert_str_eq(json_string_value(pget(ev, "plus")), "+1");
	ck_assert_str_eq(json_string_value(pget(ev, "qspace")), " 42");
	ck_assert_str_eq(json_string_value(pget(ev, "TRUE")), "TRUE");
	ck_assert_str_eq(json_string_value(pget(ev, "null")), "null");
	ck_assert_str_eq(json_string_value(pget(ev, "comma")), "a,b");
	ck_assert_str_eq(json_string_value(pget(ev, "quote")), "say \"hi\"");
	/* quoting does not hide a number */
	ck_assert_int_eq(json_integer_value(pget(ev, "qnum")), 17);
}
END_TEST

/* RFC 4180: "Spaces are considered part of a field and should not be
 * ignored."  So " 42" is not the number 42, and "a " keeps its space. */
START_TEST(spaces_are_data)
{
	json_t *ev;

	feed_text(&fc, &fr, "timestamp,event_type,tenant_id,lead,trail,both\n"
	    "2026-01-01T00:00:00Z,t,a, 42,abc , x \n");
	assert_ok_rows(1);
	ev = fr.row[0].ev;
	ck_assert_msg(json_is_string(pget(ev, "lead")), "' 42' lost its "
	    "space and became a number");
	ck_assert_str_eq(json_string_value(pget(ev, "lead")), " 42");
	ck_assert_str_eq(json_string_value(pget(ev, "trail")), "abc ");
	ck_assert_str_eq(json_string_value(pget(ev, "both")), " x ");
}
END_TEST

/* A number keeps the text it was written with. */
START_TEST(inference_number_text)
{
	static const char text[] = "timestamp,event_type,tenant_id,x\n"
	    "2026-01-01T00:00:00Z,t,a,175.550\n";
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_record rec;
	struct rta_error err;

	ck_assert_int_eq(rta_csv_feed(&fc, text, strlen(text), 1, &err),
	    RTA_OK);
	ck_assert_int_eq(rta_csv_next(&fc, &rec, 1, "", 0, &err), RTA_EOF);
	ck_assert_int_eq(rta_csv_next(&fc, &rec, 2, "r", 1, &err), RTA_OK);
	ck_assert_int_eq(rta_ndjson_put(&b, &rec), 0);
	ck_assert_msg(memmem(b.data, b.len, "\"x\":175.550}", 12) != NULL,
	    "%.*s", (int)b.len, b.data);
	rta_buf_release(&b);
}
END_TEST

START_TEST(no_infer)
{
	struct rta_csv_opts o;
	json_t *ev;

	rta_csv_opts_init(&o);
	o.no_infer = 1;
	feed_opts(&o, "timestamp,event_type,tenant_id,i,t,empty,s\n"
	    "1767225600000,t,a,42,true,,abc\n");
	assert_ok_rows(1);
	ev = fr.row[0].ev;
	ck_assert_str_eq(json_string_value(pget(ev, "i")), "42");
	ck_assert_str_eq(json_string_value(pget(ev, "t")), "true");
	ck_assert_str_eq(json_string_value(pget(ev, "empty")), "");
	ck_assert_str_eq(json_string_value(pget(ev, "s")), "abc");
	/* the envelope still reads its timestamp as a time */
	ck_assert_str_eq(jstr(ev, "timestamp"), "2026-01-01T00:00:00.000000Z");
}
END_TEST

START_TEST(epoch_units)
{
	struct rta_csv_opts o;

	rta_csv_opts_init(&o);
	o.epoch_unit = RTA_EPOCH_MS;
	feed_opts(&o, "timestamp,event_type,tenant_id\n1500,t,a\n"
	    "2026-01-01T00:00:00+01:00,t,a\n1.5,t,a\n");
	assert_ok_rows(3);
	ck_assert_str_eq(jstr(fr.row[0].ev, "timestamp"),
	    "1970-01-01T00:00:01.500000Z");
	ck_assert_str_eq(jstr(fr.row[1].ev, "timestamp"),
	    "2025-12-31T23:00:00.000000Z");
	ck_assert_str_eq(jstr(fr.row[2].ev, "timestamp"),
	    "1970-01-01T00:00:00.001500Z");
}
END_TEST

/* ---- ids --------------------------------------------------------------- */

/* The id of the single row of text at line, from a fresh parser. */
static void
id_of(const char *row, uint64_t line, char *id)
{
	struct rta_csv c;
	struct rta_csv_opts o;
	struct rta_record rec;
	struct rta_error err;
	static const char hdr[] = "timestamp,event_type,tenant_id,x\n";

	rta_csv_opts_init(&o);
	ck_assert_int_eq(rta_csv_init(&c, &o), RTA_OK);
	ck_assert_int_eq(rta_csv_feed(&c, hdr, strlen(hdr), 0, &err), RTA_OK);
	ck_assert_int_eq(rta_csv_next(&c, &rec, 1, hdr, strlen(hdr), &err),
	    RTA_EOF);
	ck_assert_int_eq(rta_csv_feed(&c, row, strlen(row), 1, &err), RTA_OK);
	ck_assert_int_eq(rta_csv_next(&c, &rec, line, row, strlen(row), &err),
	    RTA_OK);
	ck_assert_uint_eq(rec.ev.id_len, RTA_UUID_LEN);
	memcpy(id, rec.ev.id, RTA_UUID_LEN);
	id[RTA_UUID_LEN] = '\0';
	rta_csv_release(&c);
}

START_TEST(id_derivation)
{
	static const char r1[] = "2026-01-01T00:00:00Z,t,a,1\n";
	static const char r2[] = "2026-01-01T00:00:00Z,t,a,2\n";
	char a[40], b[40];

	/* stable: the same line and bytes, the same id, every run */
	id_of(r1, 2, a);
	id_of(r1, 2, b);
	ck_assert_str_eq(a, b);
	/* the same bytes on another line: two events, two ids */
	id_of(r1, 3, b);
	ck_assert_str_ne(a, b);
	/* other bytes on the same line */
	id_of(r2, 2, b);
	ck_assert_str_ne(a, b);
	/* an id column wins */
	feed_text(&fc, &fr, "event_id,timestamp,event_type,tenant_id\n"
	    "mine,2026-01-01T00:00:00Z,t,a\n");
	assert_ok_rows(1);
	ck_assert_str_eq(jstr(fr.row[0].ev, "event_id"), "mine");
}
END_TEST

/* Identical rows in one file get different ids, and a rerun the same. */
START_TEST(id_identical_rows)
{
	static const char text[] = "timestamp,event_type,tenant_id\n"
	    "2026-01-01T00:00:00Z,t,a\n2026-01-01T00:00:00Z,t,a\n";
	struct result again;
	struct rta_csv c;
	struct rta_csv_opts o;
	int i;

	feed_text(&fc, &fr, text);
	assert_ok_rows(2);
	ck_assert_str_ne(jstr(fr.row[0].ev, "event_id"),
	    jstr(fr.row[1].ev, "event_id"));
	memset(&again, 0, sizeof(again));
	rta_csv_opts_init(&o);
	ck_assert_int_eq(rta_csv_init(&c, &o), RTA_OK);
	feed_text(&c, &again, text);
	ck_assert_int_eq(again.nrows, 2);
	for (i = 0; i < 2; i++) {
		ck_assert_str_eq(jstr(fr.row[i].ev, "event_id"),
		    jstr(again.row[i].ev, "event_id"));
		json_decref(again.row[i].ev);
	}
	rta_csv_release(&c);
}
END_TEST

/* ---- bad rows ---------------------------------------------------------- */

START_TEST(field_count)
{
	feed_text(&fc, &fr, "timestamp,event_type,tenant_id\n"
	    "2026-01-01T00:00:00Z,t\n"
	    "2026-01-01T00:00:00Z,t,a,extra\n"
	    "2026-01-01T00:00:00Z,t,a\n");
	ck_assert_int_eq(fr.nrows, 3);
	ck_assert_int_eq(fr.row[0].rc, RTA_EDATA);
	ck_assert_str_eq(fr.row[0].reason, "bad-csv");
	ck_assert_str_eq(fr.row[0].text, "row has 2 fields, the header has 3");
	ck_assert_int_eq(fr.row[1].rc, RTA_EDATA);
	ck_assert_str_eq(fr.row[1].text, "row has 4 fields, the header has 3");
	ck_assert_int_eq(fr.row[2].rc, RTA_OK);
	ck_assert_uint_eq(fr.row[2].line, 4);
}
END_TEST

START_TEST(malformed_quoting)
{
	static const char *const bad[] = {
		"2026-01-01T00:00:00Z,t,a\"b\n",
		"2026-01-01T00:00:00Z,t,\"ab\"c\n",
	};
	char text[256];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int k;

		for (k = 0; k < fr.nrows; k++)
			json_decref(fr.row[k].ev);
		memset(&fr, 0, sizeof(fr));
		rta_csv_release(&fc);
		{
			struct rta_csv_opts o;

			rta_csv_opts_init(&o);
			ck_assert_int_eq(rta_csv_init(&fc, &o), RTA_OK);
		}
		snprintf(text, sizeof(text), "timestamp,event_type,tenant_id\n"
		    "%s2026-01-01T00:00:01Z,t,ok\n", bad[i]);
		feed_text(&fc, &fr, text);
		ck_assert_msg(fr.feed_errors == 1, "'%s': %d feed errors",
		    bad[i], fr.feed_errors);
		ck_assert_str_eq(fr.feed_text, "malformed quoting");
		/* the parser starts afresh on the next line */
		ck_assert_int_eq(fr.nrows, 1);
		ck_assert_int_eq(fr.row[0].rc, RTA_OK);
		ck_assert_str_eq(jstr(fr.row[0].ev, "tenant_id"), "ok");
	}
}
END_TEST

START_TEST(unterminated_quote)
{
	feed_text(&fc, &fr, "timestamp,event_type,tenant_id\n"
	    "2026-01-01T00:00:00Z,t,ok\n"
	    "2026-01-01T00:00:00Z,t,\"never closed\n");
	ck_assert_int_eq(fr.nrows, 1);
	ck_assert_int_eq(fr.row[0].rc, RTA_OK);
	ck_assert_int_eq(fr.feed_errors, 1);
	ck_assert_str_eq(fr.feed_text,
	    "unterminated quoted field at end of input");
}
END_TEST

START_TEST(multi_line_fields)
{
	feed_text(&fc, &fr, "timestamp,event_type,tenant_id,msg\n"
	    "2026-01-01T00:00:00Z,t,a,\"line one\n"
	    "line two, with a comma\n"
	    "\"\"three\"\"\"\n"
	    "2026-01-01T00:00:01Z,t,a,single\n");
	assert_ok_rows(2);
	ck_assert_str_eq(json_string_value(pget(fr.row[0].ev, "msg")),
	    "line one\nline two, with a comma\n\"three\"");
	ck_assert_uint_eq(fr.row[0].line, 2);
	ck_assert_str_eq(json_string_value(pget(fr.row[1].ev, "msg")),
	    "single");
	ck_assert_uint_eq(fr.row[1].line, 5);
}
END_TEST

START_TEST(bad_envelope_fields)
{
	char longname[300], text[600];

	memset(longname, 'n', 256);
	longname[256] = '\0';
	snprintf(text, sizeof(text), "timestamp,event_type,tenant_id,p\n"
	    "2026-13-01T00:00:00Z,t,a,1\n"
	    ",t,a,2\n"
	    "2026-01-01T00:00:00Z,,a,3\n"
	    "2026-01-01T00:00:00Z,t,%s,4\n"
	    "2026-01-01T00:00:00Z,t,a,\xff\n"
	    "2026-01-01T00:00:00Z,t,\xc3\x28,6\n"
	    "10000-01-01T00:00:00Z,t,a,7\n"
	    "2026-01-01T00:00:00Z,t,a,8\n", longname);
	feed_text(&fc, &fr, text);
	ck_assert_int_eq(fr.nrows, 8);
	ck_assert_str_eq(fr.row[0].reason, "bad-timestamp");
	ck_assert_str_eq(fr.row[1].reason, "missing-field");
	ck_assert_str_eq(fr.row[2].reason, "missing-field");
	ck_assert_ptr_nonnull(strstr(fr.row[2].text, "event_type"));
	ck_assert_str_eq(fr.row[3].reason, "bad-field");
	ck_assert_str_eq(fr.row[4].reason, "bad-utf8");
	ck_assert_str_eq(fr.row[5].reason, "bad-utf8");
	ck_assert_str_eq(fr.row[6].reason, "bad-timestamp");
	ck_assert_int_eq(fr.row[7].rc, RTA_OK);
	ck_assert_int_eq(json_integer_value(pget(fr.row[7].ev, "p")), 8);
}
END_TEST

START_TEST(blank_lines_and_crlf)
{
	feed_text(&fc, &fr, "timestamp,event_type,tenant_id,x\r\n"
	    "2026-01-01T00:00:00Z,t,a,1\r\n"
	    "\r\n"
	    "\n"
	    "2026-01-01T00:00:01Z,t,a,2\r\n");
	assert_ok_rows(2);
	ck_assert_int_eq(json_integer_value(pget(fr.row[0].ev, "x")), 1);
	ck_assert_int_eq(json_integer_value(pget(fr.row[1].ev, "x")), 2);
}
END_TEST

/* ---- bad headers ------------------------------------------------------- */

static void
bad_header(const struct rta_csv_opts *o, const char *hdr, const char *what)
{
	char text[512];
	int k;

	for (k = 0; k < fr.nrows; k++)
		json_decref(fr.row[k].ev);
	memset(&fr, 0, sizeof(fr));
	snprintf(text, sizeof(text), "%s\n2026-01-01T00:00:00Z,t,a,b\n"
	    "2026-01-01T00:00:00Z,t,a,b\n", hdr);
	feed_opts(o, text);
	ck_assert_msg(fr.header_rc == RTA_EDATA, "header '%s' accepted", hdr);
	ck_assert(fr.fatal);
	ck_assert_msg(strstr(fr.header_text, what) != NULL, "header '%s': "
	    "'%s' lacks '%s'", hdr, fr.header_text, what);
	/* nothing after an unusable header becomes an event */
	ck_assert_int_eq(fr.nrows, 0);
}

START_TEST(bad_headers)
{
	struct rta_csv_opts o;

	rta_csv_opts_init(&o);
	bad_header(&o, "timestamp,event_type,tenant_id,timestamp",
	    "duplicate column 'timestamp'");
	bad_header(&o, "timestamp,event_type,tenant_id,x,x",
	    "duplicate column 'x'");
	bad_header(&o, "timestamp,,tenant_id,x", "column 2 has no name");
	bad_header(&o, "timestamp,event_type,tenant_id,\"\"",
	    "column 4 has no name");
	bad_header(&o, "time,event_type,tenant_id,x", "no column 'timestamp'");
	bad_header(&o, "timestamp,type,tenant_id,x", "no column 'event_type'");
	bad_header(&o, "timestamp,event_type,tenant,x", "no column 'tenant_id'");
	bad_header(&o, "timestamp,event_type,tenant_id,\xff", "not UTF-8");
	o.time_col = "ts";
	bad_header(&o, "timestamp,event_type,tenant_id,x", "no column 'ts'");
	rta_csv_opts_init(&o);
	o.id_col = "uuid";
	bad_header(&o, "timestamp,event_type,tenant_id,x", "no column 'uuid'");
	rta_csv_opts_init(&o);
	o.version_col = "v";
	bad_header(&o, "timestamp,event_type,tenant_id,x", "no column 'v'");
}
END_TEST

static Suite *
csv_suite(void)
{
	Suite *s = suite_create("rta_csv");
	TCase *tc;

	tc = tcase_create("header");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, header_default_names);
	tcase_add_test(tc, header_custom_names);
	tcase_add_test(tc, header_delimiters);
	tcase_add_test(tc, bad_headers);
	suite_add_tcase(s, tc);

	tc = tcase_create("envelope");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, constants);
	tcase_add_test(tc, constants_and_columns);
	tcase_add_test(tc, schema_version_values);
	tcase_add_test(tc, epoch_units);
	tcase_add_test(tc, bad_envelope_fields);
	suite_add_tcase(s, tc);

	tc = tcase_create("infer");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, inference);
	tcase_add_test(tc, inference_number_text);
	tcase_add_test(tc, spaces_are_data);
	tcase_add_test(tc, no_infer);
	suite_add_tcase(s, tc);

	tc = tcase_create("id");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, id_derivation);
	tcase_add_test(tc, id_identical_rows);
	suite_add_tcase(s, tc);

	tc = tcase_create("rows");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, field_count);
	tcase_add_test(tc, malformed_quoting);
	tcase_add_test(tc, unterminated_quote);
	tcase_add_test(tc, multi_line_fields);
	tcase_add_test(tc, blank_lines_and_crlf);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(csv_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
