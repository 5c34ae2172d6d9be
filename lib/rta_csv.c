/*
 * rta_csv.c: libcsv callbacks, header mapping, type inference.
 *
 * libcsv is a push parser: it calls back per field and per row while bytes
 * are fed.  Fields are collected into a flat buffer; each finished row is
 * queued, and rta_csv_next turns queued rows into events one at a time, so
 * the reader above can hand out one record per call like every other
 * format.  Feeding line by line keeps positions exact: the reader knows on
 * which line each row began.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_csv.h"
#include "rta_json.h"
#include "rta_utf8.h"
#include "rta_uuid.h"
#include "rta_value.h"

enum { C_ID, C_TS, C_TYPE, C_TENANT, C_VERSION };

/* Without a usable header no row can be read: every header error says so. */
static const char rest_skipped[] = "; the rest of this input is not read";

void
rta_csv_opts_init(struct rta_csv_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->delim = ',';
}

/* RFC 4180: spaces are part of a field; libcsv would trim them. */
static int
no_space(unsigned char c)
{
	(void)c;
	return 0;
}

int
rta_csv_init(struct rta_csv *c, const struct rta_csv_opts *o)
{
	memset(c, 0, sizeof(*c));
	c->opts = *o;
	if (csv_init(&c->parser, CSV_STRICT | CSV_STRICT_FINI |
	    CSV_EMPTY_IS_NULL) != 0)
		return rta_error_set(NULL, RTA_ENOMEM, "no-memory", "csv");
	csv_set_delim(&c->parser, o->delim ? o->delim : ',');
	csv_set_space_func(&c->parser, no_space);
	c->parser_ok = 1;
	return RTA_OK;
}

void
rta_csv_release(struct rta_csv *c)
{
	if (c == NULL)
		return;
	if (c->parser_ok)
		csv_free(&c->parser);
	rta_buf_release(&c->names);
	rta_buf_release(&c->row);
	rta_buf_release(&c->done);
	rta_buf_release(&c->payload);
	rta_buf_release(&c->strings);
	memset(c, 0, sizeof(*c));
}

static void
field_cb(void *s, size_t len, void *arg)
{
	struct rta_csv *c = arg;
	unsigned char hdr[5];

	hdr[0] = s == NULL;
	rta_put_u32(hdr + 1, (uint32_t)len);
	if (rta_buf_add(&c->row, hdr, 5) != 0 ||
	    (len > 0 && rta_buf_add(&c->row, s, len) != 0))
		c->row_error = 1;
	c->row_fields++;
}

static void
row_cb(int term, void *arg)
{
	struct rta_csv *c = arg;

	(void)term;
	if (rta_buf_add_u32(&c->done, (uint32_t)c->row_fields) != 0 ||
	    rta_buf_add(&c->done, c->row.data, c->row.len) != 0)
		c->row_error = 1;
	c->done_rows++;
	rta_buf_reset(&c->row);
	c->row_fields = 0;
}

void
rta_csv_drop_row(struct rta_csv *c)
{
	csv_free(&c->parser);
	c->parser_ok = csv_init(&c->parser, CSV_STRICT | CSV_STRICT_FINI |
	    CSV_EMPTY_IS_NULL) == 0;
	if (c->parser_ok) {
		csv_set_delim(&c->parser, c->opts.delim ? c->opts.delim : ',');
		csv_set_space_func(&c->parser, no_space);
	}
	rta_buf_reset(&c->row);
	c->row_fields = 0;
}

int
rta_csv_feed(struct rta_csv *c, const void *p, size_t len, int final,
    struct rta_error *err)
{
	if (!c->parser_ok)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	if (c->done_pos == c->done.len) {
		rta_buf_reset(&c->done);
		c->done_pos = 0;
	}
	if (len > 0 && csv_parse(&c->parser, p, len, field_cb, row_cb, c) !=
	    len) {
		int e = csv_error(&c->parser);

		rta_csv_drop_row(c);
		return rta_error_set(err, RTA_EDATA, "bad-csv", "%s",
		    e == CSV_EPARSE ? "malformed quoting" : csv_strerror(e));
	}
	if (final && csv_fini(&c->parser, field_cb, row_cb, c) != 0) {
		rta_csv_drop_row(c);
		return rta_error_set(err, RTA_EDATA, "bad-csv",
		    "unterminated quoted field at end of input");
	}
	if (c->row_error) {
		c->row_error = 0;
		rta_csv_drop_row(c);
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	}
	return RTA_OK;
}

size_t
rta_csv_pending(const struct rta_csv *c)
{
	return c->done_rows;
}

struct field {
	int			 null;
	const char		*s;
	size_t			 len;
};

static const unsigned char *
field_at(const unsigned char *p, struct field *f)
{
	f->null = p[0];
	f->len = rta_get_u32(p + 1);
	f->s = (const char *)p + 5;
	return p + 5 + f->len;
}

static int
header(struct rta_csv *c, const unsigned char *p, size_t n,
    struct rta_error *err)
{
	static const char *const defaults[5] = { "event_id", "timestamp",
	    "event_type", "tenant_id", "schema_version" };
	const char *want[5];
	struct field f;
	size_t i, k;
	int j;

	want[C_ID] = c->opts.id_col ? c->opts.id_col : defaults[C_ID];
	want[C_TS] = c->opts.time_col ? c->opts.time_col : defaults[C_TS];
	want[C_TYPE] = c->opts.type_col ? c->opts.type_col : defaults[C_TYPE];
	want[C_TENANT] = c->opts.tenant_col ? c->opts.tenant_col :
	    defaults[C_TENANT];
	want[C_VERSION] = c->opts.version_col ? c->opts.version_col :
	    defaults[C_VERSION];
	for (j = 0; j < 5; j++)
		c->col[j] = -1;
	c->fatal = 1;
	c->have_header = 1;
	rta_buf_reset(&c->names);
	for (i = 0; i < n; i++) {
		const unsigned char *q = c->names.data;

		p = field_at(p, &f);
		if (f.len == 0)
			return rta_error_set(err, RTA_EDATA, "bad-csv",
			    "bad CSV header: column %zu has no name%s", i + 1,
			    rest_skipped);
		if (!rta_utf8_valid(f.s, f.len, NULL))
			return rta_error_set(err, RTA_EDATA, "bad-csv",
			    "bad CSV header: column %zu is not UTF-8%s", i + 1,
			    rest_skipped);
		for (k = 0; k < i; k++) {
			uint32_t l = rta_get_u32(q);

			if (l == f.len && memcmp(q + 4, f.s, l) == 0) {
				char qn[80];

				rta_quote(qn, sizeof(qn), f.s, f.len, 40);
				return rta_error_set(err, RTA_EDATA,
				    "bad-csv", "bad CSV header: duplicate "
				    "column '%s'%s", qn, rest_skipped);
			}
			q += 4 + l;
		}
		if (rta_buf_add_u32(&c->names, (uint32_t)f.len) != 0 ||
		    rta_buf_add(&c->names, f.s, f.len) != 0)
			return rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory");
		for (j = 0; j < 5; j++)
			if (strlen(want[j]) == f.len &&
			    memcmp(want[j], f.s, f.len) == 0)
				c->col[j] = (long)i;
	}
	c->ncols = n;
	{
		size_t mapped = 0;

		for (j = 0; j < 5; j++)
			mapped += c->col[j] >= 0;
		if (n - mapped > RTA_VALUE_MAX_MEMBERS)
			return rta_error_set(err, RTA_EDATA, "bad-csv",
			    "bad CSV header: more than %d payload columns%s",
			    RTA_VALUE_MAX_MEMBERS, rest_skipped);
	}
	if (c->col[C_TS] < 0)
		return rta_error_set(err, RTA_EDATA, "bad-csv",
		    "bad CSV header: no column '%s' (name it with "
		    "--time-col)%s", want[C_TS], rest_skipped);
	if (c->col[C_TYPE] < 0 && c->opts.type == NULL)
		return rta_error_set(err, RTA_EDATA, "bad-csv",
		    "bad CSV header: no column '%s' (name it with --type-col "
		    "or set --type)%s", want[C_TYPE], rest_skipped);
	if (c->col[C_TENANT] < 0 && c->opts.tenant == NULL)
		return rta_error_set(err, RTA_EDATA, "bad-csv",
		    "bad CSV header: no column '%s' (name it with "
		    "--tenant-col or set --tenant)%s", want[C_TENANT],
		    rest_skipped);
	if (c->opts.id_col != NULL && c->col[C_ID] < 0)
		return rta_error_set(err, RTA_EDATA, "bad-csv",
		    "bad CSV header: no column '%s' (from --id-col)%s",
		    c->opts.id_col, rest_skipped);
	if (c->opts.version_col != NULL && c->col[C_VERSION] < 0)
		return rta_error_set(err, RTA_EDATA, "bad-csv",
		    "bad CSV header: no column '%s' (from --version-col)%s",
		    c->opts.version_col, rest_skipped);
	c->fatal = 0;
	return RTA_OK;
}

/* Encode one payload field with type inference. */
static int
put_field(struct rta_csv *c, const struct field *f)
{
	struct rta_json j;
	struct rta_json_num num;
	int rc = 0;

	if (c->opts.no_infer)
		return rta_venc_string(&c->payload, f->s, f->len);
	if (f->null)
		return rta_venc_null(&c->payload);
	if (f->len == 4 && memcmp(f->s, "true", 4) == 0)
		return rta_venc_bool(&c->payload, 1);
	if (f->len == 5 && memcmp(f->s, "false", 5) == 0)
		return rta_venc_bool(&c->payload, 0);
	if (f->len > 0 && (f->s[0] == '-' || (f->s[0] >= '0' &&
	    f->s[0] <= '9'))) {
		rta_json_init(&j);
		rta_json_begin(&j, f->s, f->len, NULL);
		if (rta_json_number(&j, &num) == RTA_OK && j.p == j.end)
			rc = num.is_int ? rta_venc_int(&c->payload, num.i) :
			    rta_venc_number(&c->payload, num.d, num.text,
			    num.len);
		else
			rc = 1;
		rta_json_release(&j);
		if (rc <= 0)
			return rc;
	}
	return rta_venc_string(&c->payload, f->s, f->len);
}

static int
envelope_string(const char *name, const struct field *f, const char **s,
    uint8_t *len, struct rta_error *err)
{
	if (f->null || f->len == 0)
		return rta_error_set(err, RTA_EDATA, "missing-field",
		    "missing %s", name);
	if (f->len > RTA_ID_MAX)
		return rta_error_set(err, RTA_EDATA, "bad-field",
		    "%s is longer than %d bytes", name, RTA_ID_MAX);
	*s = f->s;
	*len = (uint8_t)f->len;
	return RTA_OK;
}

int
rta_csv_next(struct rta_csv *c, struct rta_record *rec, uint64_t line,
    const void *raw, size_t rawlen, struct rta_error *err)
{
	struct rta_event *ev = &rec->ev;
	const unsigned char *p, *names;
	struct field f[1];
	uint32_t n;
	size_t i, off;
	int rc;

	if (c->done_rows == 0)
		return RTA_EOF;
	p = c->done.data + c->done_pos;
	n = rta_get_u32(p);
	p += 4;
	{
		/* find the end of this row first, so errors can skip it */
		const unsigned char *q = p;

		for (i = 0; i < n; i++)
			q = field_at(q, f);
		c->done_pos = (size_t)(q - c->done.data);
		c->done_rows--;
	}
	if (!c->have_header) {
		if ((rc = header(c, p, n, err)) != RTA_OK)
			return rc;
		return RTA_EOF;
	}
	if (c->fatal)
		return RTA_EOF;
	if (n == 1 && p[0] == 1)
		return RTA_EOF;		/* an empty line: not a row */
	if (n != c->ncols)
		return rta_error_set(err, RTA_EDATA, "bad-csv",
		    "row has %u fields, the header has %zu", n, c->ncols);
	rta_buf_reset(&c->payload);
	rta_buf_reset(&c->strings);
	memset(ev, 0, sizeof(*ev));
	ev->schema_version = 1;
	if (c->opts.type != NULL) {
		ev->type = c->opts.type;
		ev->type_len = (uint8_t)strlen(c->opts.type);
	}
	if (c->opts.tenant != NULL) {
		ev->tenant = c->opts.tenant;
		ev->tenant_len = (uint8_t)strlen(c->opts.tenant);
	}
	if ((off = rta_venc_begin(&c->payload, RTA_V_OBJECT)) == (size_t)-1)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	names = c->names.data;
	{
		uint32_t members = 0;
		int have_ts = 0;

		for (i = 0; i < n; i++) {
			uint32_t kl = rta_get_u32(names);
			const char *k = (const char *)names + 4;

			names += 4 + kl;
			p = field_at(p, f);
			if (!rta_utf8_valid(f->s, f->len, NULL) ||
			    memchr(f->s, 0, f->len) != NULL) {
				char qn[80];

				rta_quote(qn, sizeof(qn), k, kl, 40);
				return rta_error_set(err, RTA_EDATA,
				    "bad-utf8", "field '%s' is not valid "
				    "UTF-8 or holds a NUL byte", qn);
			}
			if ((long)i == c->col[C_ID])
				rc = envelope_string("event_id", f, &ev->id,
				    &ev->id_len, err);
			else if ((long)i == c->col[C_TYPE])
				rc = envelope_string("event_type", f,
				    &ev->type, &ev->type_len, err);
			else if ((long)i == c->col[C_TENANT])
				rc = envelope_string("tenant_id", f,
				    &ev->tenant, &ev->tenant_len, err);
			else if ((long)i == c->col[C_TS]) {
				rc = f->null ? rta_error_set(err, RTA_EDATA,
				    "missing-field", "missing timestamp") :
				    rta_time_parse_any(f->s, f->len,
				    c->opts.epoch_unit, &ev->ts, err);
				if (rc != RTA_OK && !f->null && err != NULL) {
					char q[80], why[sizeof(err->text)];

					rta_quote(q, sizeof(q), f->s, f->len, 40);
					memcpy(why, err->text, sizeof(why));
					rta_error_set(err, RTA_EDATA,
					    "bad-timestamp",
					    "bad timestamp '%s': %s", q, why);
				}
				have_ts = 1;
			} else if ((long)i == c->col[C_VERSION]) {
				char tmp[16];
				char *end;
				unsigned long long v;

				rc = RTA_OK;
				if (f->null || f->len == 0 ||
				    f->len >= sizeof(tmp))
					rc = rta_error_set(err, RTA_EDATA,
					    "bad-field", "bad schema_version");
				else {
					memcpy(tmp, f->s, f->len);
					tmp[f->len] = '\0';
					v = strtoull(tmp, &end, 10);
					if (*end != '\0' || tmp[0] == '-' ||
					    v > UINT32_MAX)
						rc = rta_error_set(err,
						    RTA_EDATA, "bad-field",
						    "bad schema_version");
					ev->schema_version = (uint32_t)v;
				}
			} else {
				if (rta_venc_key(&c->payload, k, kl) != 0 ||
				    put_field(c, f) != 0)
					return rta_error_set(err, RTA_ENOMEM,
					    "no-memory", "out of memory");
				members++;
				rc = RTA_OK;
			}
			if (rc != RTA_OK)
				return rc;
		}
		if (!have_ts)
			return rta_error_set(err, RTA_EDATA, "missing-field",
			    "missing timestamp");
		rta_venc_end(&c->payload, off, members);
	}
	if (ev->id == NULL) {
		unsigned char lb[8];

		/* the line number keeps two identical rows apart */
		rta_put_u64(lb, line);
		rta_buf_reset(&c->strings);
		if (rta_buf_add(&c->strings, lb, 8) != 0 ||
		    rta_buf_add(&c->strings, raw, rawlen) != 0)
			return rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory");
		rta_uuid_v8_hash(c->idbuf, c->strings.data, c->strings.len);
		ev->id = c->idbuf;
		ev->id_len = RTA_UUID_LEN;
	}
	if (ev->type == NULL || ev->tenant == NULL)
		return rta_error_set(err, RTA_EDATA, "missing-field",
		    ev->type == NULL ? "missing event_type" :
		    "missing tenant_id");
	ev->payload = c->payload.data;
	ev->payload_len = c->payload.len;
	rec->kind = RTA_REC_EVENT;
	return rta_event_check(ev, err);
}
