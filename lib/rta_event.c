/*
 * rta_event.c: the record envelope, read from and written to NDJSON.
 *
 * The parser walks the top-level object once.  Envelope strings without
 * escapes are not copied (they point into the line); the payload is
 * encoded as it is read; anything else at the top level is kept, in order,
 * as an "extra" object so that no producer field is lost.  A "$rta" key
 * marks a control record; those are rare, so the line is simply parsed
 * again as a plain document and read from the value.
 *
 * Rules (man/rta-format.5 states them for users): event_id, timestamp,
 * event_type and tenant_id are required; schema_version defaults to 1 and
 * payload to {} (null counts as absent); ids are 1 to 255 bytes; duplicate
 * keys are an error at every level.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "rta_event.h"
#include "rta_utf8.h"
#include "rta_value.h"

const unsigned char rta_empty_object[9] = { RTA_V_OBJECT };

enum field {
	F_ID, F_TS, F_TYPE, F_TENANT, F_VERSION, F_PAYLOAD, F_CONTROL,
	F_OTHER
};

static const char *const field_names[] = {
	"event_id", "timestamp", "event_type", "tenant_id", "schema_version",
	"payload"
};

static enum field
field_of(const char *k, size_t n)
{
	switch (n) {
	case 4:
		return memcmp(k, "$rta", 4) == 0 ? F_CONTROL : F_OTHER;
	case 7:
		return memcmp(k, "payload", 7) == 0 ? F_PAYLOAD : F_OTHER;
	case 8:
		return memcmp(k, "event_id", 8) == 0 ? F_ID : F_OTHER;
	case 9:
		if (memcmp(k, "timestamp", 9) == 0)
			return F_TS;
		return memcmp(k, "tenant_id", 9) == 0 ? F_TENANT : F_OTHER;
	case 10:
		return memcmp(k, "event_type", 10) == 0 ? F_TYPE : F_OTHER;
	case 14:
		return memcmp(k, "schema_version", 14) == 0 ? F_VERSION :
		    F_OTHER;
	default:
		return F_OTHER;
	}
}

void
rta_ndjson_parser_init(struct rta_ndjson_parser *np)
{
	memset(np, 0, sizeof(*np));
	rta_json_init(&np->json);
	rta_buf_init(&np->payload);
	rta_buf_init(&np->extra);
	rta_buf_init(&np->strings);
}

void
rta_ndjson_parser_release(struct rta_ndjson_parser *np)
{
	if (np == NULL)
		return;
	rta_json_release(&np->json);
	rta_buf_release(&np->payload);
	rta_buf_release(&np->extra);
	rta_buf_release(&np->strings);
}

/* 1 if the n bytes at p are ASCII without NUL (the usual case for ids). */
static inline int
ascii(const char *p, size_t n)
{
	return rta_plain_ascii(p, n);
}

static int
id_check(const char *name, const char *s, size_t len, struct rta_error *err)
{
	if (len > 0 && len <= RTA_ID_MAX && ascii(s, len))
		return RTA_OK;
	if (len == 0)
		return rta_error_set(err, RTA_EDATA, "bad-field",
		    "%s is empty", name);
	if (len > RTA_ID_MAX)
		return rta_error_set(err, RTA_EDATA, "bad-field",
		    "%s is longer than %d bytes", name, RTA_ID_MAX);
	if (!rta_utf8_valid(s, len, NULL))
		return rta_error_set(err, RTA_EDATA, "bad-utf8",
		    "%s is not valid UTF-8", name);
	if (memchr(s, 0, len) != NULL)
		return rta_error_set(err, RTA_EDATA, "bad-field",
		    "%s holds U+0000", name);
	return RTA_OK;
}

int
rta_event_check(const struct rta_event *ev, struct rta_error *err)
{
	int rc;

	if ((rc = id_check("event_id", ev->id, ev->id_len, err)) != RTA_OK ||
	    (rc = id_check("event_type", ev->type, ev->type_len, err)) !=
	    RTA_OK ||
	    (rc = id_check("tenant_id", ev->tenant, ev->tenant_len, err)) !=
	    RTA_OK)
		return rc;
	if (ev->ts < RTA_TIME_MIN || ev->ts > RTA_TIME_MAX)
		return rta_error_set(err, RTA_EDATA, "bad-timestamp",
		    "timestamp out of range");
	return RTA_OK;
}

int
rta_position_from_value(const unsigned char *obj, struct rta_position *pos)
{
	const unsigned char *m;
	int64_t i;

	if (obj[0] != RTA_V_OBJECT ||
	    (m = rta_value_member(obj, "topic", 5)) == NULL ||
	    !rta_value_str(m, &pos->topic, &pos->topic_len) ||
	    pos->topic_len == 0 || pos->topic_len > RTA_TOPIC_MAX)
		return -1;
	if ((m = rta_value_member(obj, "partition", 9)) == NULL ||
	    m[0] != RTA_V_INT || !rta_value_i64(m, &i) || i < 0 ||
	    i > INT32_MAX)
		return -1;
	pos->partition = (int32_t)i;
	if ((m = rta_value_member(obj, "offset", 6)) == NULL ||
	    m[0] != RTA_V_INT || !rta_value_i64(m, &i) || i < 0)
		return -1;
	pos->offset = i;
	return 0;
}

int
rta_event_check_values(const struct rta_event *ev, unsigned max_depth,
    size_t max_members, struct rta_error *err)
{
	return rta_event_check_values_padded(ev, max_depth, max_members, 0,
	    err);
}

/*
 * The values' checks of an event: the full ones (shape 0) or their shape
 * alone (rta_value_check_shape).
 */
static int
check_values(const struct rta_event *ev, unsigned max_depth,
    size_t max_members, int padded, int shape, struct rta_error *err)
{
	struct rta_viter it;
	const unsigned char *v;
	const char *k;
	size_t kl;
	int rc;

	if (ev->payload == NULL || ev->payload_len == 0 ||
	    ev->payload[0] != RTA_V_OBJECT)
		return rta_error_set(err, RTA_EDATA, "bad-field",
		    "payload is not an object");
	/* the payload sits inside the envelope: one level down */
	rc = shape ? rta_value_check_shape(ev->payload, ev->payload_len,
	    max_depth > 0 ? max_depth - 1 : 0, max_members, err) :
	    rta_value_check_padded(ev->payload, ev->payload_len,
	    max_depth > 0 ? max_depth - 1 : 0, max_members, padded, err);
	if (rc != RTA_OK)
		return rc;
	if (ev->extra == NULL)
		return RTA_OK;
	if (ev->extra_len == 0 || ev->extra[0] != RTA_V_OBJECT)
		return rta_error_set(err, RTA_EDATA, "bad-field",
		    "extra fields are not an object");
	/* the extra object stands for the envelope itself */
	rc = shape ? rta_value_check_shape(ev->extra, ev->extra_len,
	    max_depth, max_members, err) : rta_value_check_padded(ev->extra,
	    ev->extra_len, max_depth, max_members, padded, err);
	if (rc != RTA_OK)
		return rc;
	if (rta_value_count(ev->extra) + 6 > max_members)
		return rta_error_set(err, RTA_ELIMIT, "too-many-members",
		    "too many object members");
	rta_viter_init(&it, ev->extra);
	while (rta_viter_member(&it, &k, &kl, &v))
		if (field_of(k, kl) != F_OTHER)
			return rta_error_set(err, RTA_EDATA, "bad-field",
			    "extra field named like an envelope field");
	return RTA_OK;
}

int
rta_event_check_values_padded(const struct rta_event *ev, unsigned max_depth,
    size_t max_members, int padded, struct rta_error *err)
{
	return check_values(ev, max_depth, max_members, padded, 0, err);
}

int
rta_event_check_shape(const struct rta_event *ev, unsigned max_depth,
    size_t max_members, struct rta_error *err)
{
	return check_values(ev, max_depth, max_members, 0, 1, err);
}

/* A string field of the envelope; zero copy unless it has escapes. */
struct sfield {
	const char	*s;
	size_t		 len;
	int		 copied;
	size_t		 off;
};

static int
get_string(struct rta_ndjson_parser *np, enum field f, struct sfield *sf)
{
	struct rta_json *j = &np->json;

	if (j->p >= j->end || *j->p != '"')
		return rta_json_fail(j, RTA_EDATA, "bad-field",
		    f == F_ID ? "event_id must be a string" :
		    f == F_TYPE ? "event_type must be a string" :
		    "tenant_id must be a string");
	return rta_json_string(j, &np->strings, &sf->s, &sf->len,
	    &sf->copied, &sf->off);
}

static int
get_timestamp(struct rta_ndjson_parser *np, int64_t *ts,
    struct rta_error *err)
{
	struct rta_json *j = &np->json;
	struct rta_json_num num;
	struct sfield sf;
	char q[80];
	int rc;

	if (j->p < j->end && *j->p == '"') {
		if ((rc = rta_json_string(j, &np->strings, &sf.s, &sf.len,
		    &sf.copied, &sf.off)) != RTA_OK)
			return rc;
		if (rta_time_parse(sf.s, sf.len, ts, err) == RTA_OK)
			return RTA_OK;
		rta_quote(q, sizeof(q), sf.s, sf.len, 40);
	} else if (j->p < j->end && (*j->p == '-' ||
	    (*j->p >= '0' && *j->p <= '9'))) {
		if ((rc = rta_json_number(j, &num)) != RTA_OK)
			return rc;
		if (num.is_int ? rta_time_from_epoch_i64(num.i,
		    np->opts.epoch_unit, ts, err) == RTA_OK :
		    rta_time_from_epoch(num.d, np->opts.epoch_unit, ts, err) ==
		    RTA_OK)
			return RTA_OK;
		rta_quote(q, sizeof(q), num.text, num.len, 40);
	} else
		return rta_json_fail(j, RTA_EDATA, "bad-timestamp",
		    "timestamp must be an RFC 3339 string or an epoch number");
	{
		char why[sizeof(err->text)];

		memcpy(why, err != NULL ? err->text : "", err != NULL ?
		    sizeof(why) : 1);
		return rta_error_set(err, RTA_EDATA, "bad-timestamp",
		    "bad timestamp '%s': %s", q, why);
	}
}

int
rta_aggregate_check(const struct rta_event *ev, struct rta_error *err)
{
	struct rta_viter it;
	const unsigned char *m;
	const char *k, *name;
	size_t kl;

	if (ev->extra != NULL)
		return rta_error_set(err, RTA_EDATA, "bad-frame",
		    "aggregate record with extra fields");
	rta_viter_init(&it, ev->payload);
	while (rta_viter_member(&it, &k, &kl, &m)) {
		/* by length: every stored record's members pass here */
		switch (kl) {
		case 4:
			name = "$rta";
			break;
		case 5:
			name = "start";
			break;
		case 6:
			name = "window";
			break;
		case 7:
			name = "version";
			break;
		case 9:
			name = k[0] == 'r' ? "record_id" : "tenant_id";
			break;
		default:
			continue;
		}
		if (rta_key_eq((const unsigned char *)k, name, kl))
			return rta_error_set(err, RTA_EDATA, "bad-field",
			    "aggregate payload member \"%s\" is one of the "
			    "record's own fields", name);
	}
	return RTA_OK;
}

/* A time given as an RFC 3339 string or integer microseconds (control
 * and aggregate records: never seconds by magnitude). */
static int
value_time(const unsigned char *m, int64_t *t, struct rta_error *err)
{
	const char *s;
	size_t sl;
	int64_t i;

	if (rta_value_str(m, &s, &sl))
		return rta_time_parse(s, sl, t, err) == RTA_OK ? 0 : -1;
	if (rta_value_i64(m, &i) && rta_time_from_epoch_i64(i, RTA_EPOCH_US,
	    t, err) == RTA_OK)
		return 0;
	return -1;
}

/* The string value m as one of an aggregate's ids (1 to 255 bytes). */
static int
agg_id(const unsigned char *m, const char **s, uint8_t *len)
{
	size_t sl;

	if (m == NULL || !rta_value_str(m, s, &sl) || sl == 0 ||
	    sl > RTA_ID_MAX)
		return -1;
	*len = (uint8_t)sl;
	return 0;
}

/*
 * The aggregate record in v (the whole line, decoded): its named fields
 * to the envelope, every other member (but "$rta") to a payload object
 * built in np->extra, in their order.
 */
static int
parse_aggregate(struct rta_ndjson_parser *np, const unsigned char *v,
    struct rta_record *rec, struct rta_error *err)
{
	static const char *const names[] = {
		"record_id", "window", "start", "tenant_id", "version"
	};
	struct rta_event *ev = &rec->ev;
	const unsigned char *f[5], *m;
	struct rta_viter it;
	const char *k;
	size_t kl, off, i;
	uint32_t n = 0;
	int64_t ver;

	memset(ev, 0, sizeof(*ev));
	memset(f, 0, sizeof(f));
	rta_buf_reset(&np->extra);
	if ((off = rta_venc_begin(&np->extra, RTA_V_OBJECT)) == (size_t)-1)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	rta_viter_init(&it, v);
	while (rta_viter_member(&it, &k, &kl, &m)) {
		for (i = 0; i < 5; i++)
			if (strlen(names[i]) == kl &&
			    memcmp(names[i], k, kl) == 0)
				break;
		if (i < 5) {
			f[i] = m;
			continue;
		}
		if (kl == 4 && memcmp(k, "$rta", 4) == 0)
			continue;
		if (rta_venc_key(&np->extra, k, kl) != 0 ||
		    rta_buf_add(&np->extra, m, rta_value_size(m)) != 0)
			return rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory");
		n++;
	}
	rta_venc_end(&np->extra, off, n);
	for (i = 0; i < 5; i++)
		if (f[i] == NULL)
			return rta_error_set(err, RTA_EDATA, "missing-field",
			    "aggregate record without \"%s\"", names[i]);
	if (agg_id(f[0], &ev->id, &ev->id_len) != 0 ||
	    agg_id(f[1], &ev->type, &ev->type_len) != 0 ||
	    agg_id(f[3], &ev->tenant, &ev->tenant_len) != 0)
		return rta_error_set(err, RTA_EDATA, "bad-field",
		    "aggregate record_id, window and tenant_id must be "
		    "strings of 1 to %d bytes", RTA_ID_MAX);
	if (value_time(f[2], &ev->ts, err) != 0)
		return rta_error_set(err, RTA_EDATA, "bad-timestamp",
		    "aggregate start must be an RFC 3339 string or integer "
		    "microseconds");
	if (!rta_value_i64(f[4], &ver) || ver < 0 || ver > UINT32_MAX)
		return rta_error_set(err, RTA_EDATA, "bad-field",
		    "aggregate version must be an integer from 0 to "
		    "4294967295");
	ev->schema_version = (uint32_t)ver;
	ev->payload = np->extra.data;
	ev->payload_len = np->extra.len;
	rec->kind = RTA_REC_AGGREGATE;
	return rta_event_check(ev, err);
}

static int
parse_control(struct rta_ndjson_parser *np, const void *line, size_t len,
    struct rta_record *rec, struct rta_error *err)
{
	const unsigned char *v, *kind, *m;
	const char *s;
	size_t sl;
	int rc;

	rta_buf_reset(&np->payload);
	if ((rc = rta_json_document(&np->json, line, len, &np->payload,
	    err)) != RTA_OK)
		return rc;
	v = np->payload.data;
	kind = rta_value_member(v, "$rta", 4);
	if (kind == NULL || !rta_value_str(kind, &s, &sl))
		goto bad;
	if (sl == 9 && memcmp(s, "aggregate", 9) == 0)
		return parse_aggregate(np, v, rec, err);
	if (sl == 9 && memcmp(s, "watermark", 9) == 0) {
		rec->kind = RTA_REC_WATERMARK;
		if ((m = rta_value_member(v, "watermark", 9)) == NULL ||
		    rta_value_count(v) != 2)
			goto bad;
		if (rta_value_str(m, &s, &sl)) {
			if (rta_time_parse(s, sl, &rec->watermark, err) !=
			    RTA_OK)
				return RTA_EDATA;
		} else if (value_time(m, &rec->watermark, err) != 0)
			goto bad;
		return RTA_OK;
	}
	if (sl == 8 && memcmp(s, "position", 8) == 0) {
		rec->kind = RTA_REC_POSITION;
		if (rta_value_count(v) != 4 ||
		    rta_position_from_value(v, &rec->pos) != 0)
			goto bad;
		return RTA_OK;
	}
	if (sl == 3 && memcmp(s, "end", 3) == 0) {
		if (rta_value_count(v) != 1)
			goto bad;
		rec->kind = RTA_REC_END;
		return RTA_OK;
	}
bad:
	return rta_error_set(err, RTA_EDATA, "bad-control",
	    "bad control record (see rta-format(5))");
}

/* Match the literal lit at the cursor and step over it. */
static int
lit(struct rta_json *j, const char *lit, size_t n)
{
	if ((size_t)(j->end - j->p) < n || memcmp(j->p, lit, n) != 0)
		return 0;
	j->p += n;
	return 1;
}

/*
 * The canonical envelope, as rta writes it: the six keys in order, no
 * escapes in the ids, the timestamp in its 27-byte form, no extra keys.
 * Most lines in a pipeline are exactly that, and matching it literally
 * skips six key parses and their bookkeeping.  On any difference this
 * returns 0 and the general parser starts over, so errors and unusual
 * input are always handled (and reported) by one code path.
 */
static int
canonical(struct rta_ndjson_parser *np, const void *line, size_t len,
    struct rta_record *rec)
{
	struct rta_json *j = &np->json;
	struct rta_event *ev = &rec->ev;
	struct rta_json_num num;
	const char *id, *type, *tenant, *ts;
	size_t idl, typel, tenantl;

	rta_json_begin(j, line, len, NULL);
	if (!lit(j, "{\"event_id\":", 12) ||
	    !rta_json_plain_string(j, &id, &idl) ||
	    !lit(j, ",\"timestamp\":\"", 14) || j->end - j->p < 28 ||
	    j->p[RTA_TIME_LEN] != '"')
		return 0;
	ts = (const char *)j->p;
	j->p += RTA_TIME_LEN + 1;
	if (!lit(j, ",\"event_type\":", 14) ||
	    !rta_json_plain_string(j, &type, &typel) ||
	    !lit(j, ",\"tenant_id\":", 13) ||
	    !rta_json_plain_string(j, &tenant, &tenantl) ||
	    !lit(j, ",\"schema_version\":", 18) || j->p >= j->end ||
	    *j->p < '0' || *j->p > '9' ||
	    rta_json_number(j, &num) != RTA_OK || !num.is_int ||
	    num.i > UINT32_MAX || !lit(j, ",\"payload\":{", 12))
		return 0;
	if (idl == 0 || idl > RTA_ID_MAX || typel == 0 || typel > RTA_ID_MAX ||
	    tenantl == 0 || tenantl > RTA_ID_MAX ||
	    !ascii(id, idl) || !ascii(type, typel) || !ascii(tenant, tenantl) ||
	    rta_time_parse(ts, RTA_TIME_LEN, &ev->ts, NULL) != RTA_OK)
		return 0;
	j->p--;
	rta_buf_reset(&np->payload);
	if (rta_json_value(j, &np->payload, 1) != RTA_OK || !lit(j, "}", 1))
		return 0;
	rta_json_ws(j);
	if (j->p != j->end)
		return 0;
	rec->kind = RTA_REC_EVENT;
	ev->schema_version = (uint32_t)num.i;
	ev->id = id;
	ev->id_len = (uint8_t)idl;
	ev->type = type;
	ev->type_len = (uint8_t)typel;
	ev->tenant = tenant;
	ev->tenant_len = (uint8_t)tenantl;
	ev->payload = np->payload.data;
	ev->payload_len = np->payload.len;
	ev->extra = NULL;
	ev->extra_len = 0;
	ev->frame = NULL;
	ev->frame_len = 0;
	return 1;
}

int
rta_ndjson_parse(struct rta_ndjson_parser *np, const void *line, size_t len,
    struct rta_record *rec, struct rta_error *err)
{
	struct rta_json *j = &np->json;
	struct sfield sf[3];	/* id, type, tenant */
	unsigned seen = 0;
	size_t extra_off = (size_t)-1;
	uint32_t nextra = 0;
	struct rta_event *ev = &rec->ev;
	struct rta_json_num num;
	int rc, i;

	if (len > 100 && canonical(np, line, len, rec))
		return RTA_OK;
	rta_buf_reset(&np->payload);
	rta_buf_reset(&np->extra);
	rta_buf_reset(&np->strings);
	rta_json_begin(j, line, len, err);
	rta_json_ws(j);
	if (j->p >= j->end || *j->p != '{')
		return rta_json_fail(j, RTA_EDATA, "bad-json",
		    j->p < j->end && (*j->p == '[' || *j->p == '"' ||
		    *j->p == '-' || (*j->p >= '0' && *j->p <= '9') ||
		    *j->p == 't' || *j->p == 'f' || *j->p == 'n') ?
		    "record is not a JSON object" : "expected '{'");
	j->p++;
	rta_json_ws(j);
	ev->schema_version = 1;
	ev->payload = NULL;
	if (j->p < j->end && *j->p == '}') {
		j->p++;
		goto close;
	}
	for (;;) {
		const char *k;
		size_t kl, koff;
		int kcopied;
		enum field f;

		/* k stays valid until np->strings grows: used at once */

		if (j->p >= j->end || *j->p != '"')
			return rta_json_fail(j, RTA_EDATA, "bad-json",
			    "expected a string key");
		if ((rc = rta_json_string(j, &np->strings, &k, &kl, &kcopied,
		    &koff)) != RTA_OK)
			return rc;
		f = field_of(k, kl);
		if (f == F_CONTROL)
			return parse_control(np, line, len, rec, err);
		rta_json_ws(j);
		if (j->p >= j->end || *j->p != ':')
			return rta_json_fail(j, RTA_EDATA, "bad-json",
			    "expected ':' after key");
		j->p++;
		rta_json_ws(j);
		if (f != F_OTHER) {
			if (seen & (1U << f))
				return rta_error_set(err, RTA_EDATA,
				    "duplicate-key", "duplicate key \"%s\"",
				    field_names[f]);
			seen |= 1U << f;
		}
		switch (f) {
		case F_ID:
			rc = get_string(np, f, &sf[0]);
			break;
		case F_TYPE:
			rc = get_string(np, f, &sf[1]);
			break;
		case F_TENANT:
			rc = get_string(np, f, &sf[2]);
			break;
		case F_TS:
			rc = get_timestamp(np, &ev->ts, err);
			break;
		case F_VERSION:
			if (j->p >= j->end || (*j->p != '-' &&
			    (*j->p < '0' || *j->p > '9')))
				return rta_json_fail(j, RTA_EDATA, "bad-field",
				    "schema_version must be an integer");
			if ((rc = rta_json_number(j, &num)) != RTA_OK)
				return rc;
			if (!num.is_int || num.i < 0 || num.i > UINT32_MAX)
				return rta_error_set(err, RTA_EDATA,
				    "bad-field", "schema_version must be an "
				    "integer from 0 to 4294967295");
			ev->schema_version = (uint32_t)num.i;
			break;
		case F_PAYLOAD:
			if (j->end - j->p >= 4 &&
			    memcmp(j->p, "null", 4) == 0) {
				j->p += 4;	/* absent: the default {} */
				rc = RTA_OK;
				break;
			}
			if (j->p >= j->end || *j->p != '{')
				return rta_json_fail(j, RTA_EDATA, "bad-field",
				    "payload must be an object");
			rc = rta_json_value(j, &np->payload, 1);
			break;
		default:
			if (extra_off == (size_t)-1 &&
			    (extra_off = rta_venc_begin(&np->extra,
			    RTA_V_OBJECT)) == (size_t)-1)
				return rta_json_fail(j, RTA_ENOMEM, "no-memory",
				    "out of memory");
			if (nextra + 6 >= j->max_members)
				return rta_json_fail(j, RTA_ELIMIT,
				    "too-many-members",
				    "too many object members");
			if (rta_venc_key(&np->extra, k, kl) != 0)
				return rta_json_fail(j, RTA_ENOMEM, "no-memory",
				    "out of memory");
			rc = rta_json_value(j, &np->extra, 1);
			nextra++;
			break;
		}
		if (rc != RTA_OK)
			return rc;
		if ((rc = rta_json_member_end(j)) < 0)
			return err != NULL ? err->code : RTA_EDATA;
		if (rc == 0)
			break;
	}
close:
	rta_json_ws(j);
	if (j->p != j->end)
		return rta_json_fail(j, RTA_EDATA, "bad-json",
		    "unexpected text after the JSON value");
	for (i = 0; i < 4; i++) {
		static const enum field req[4] = { F_ID, F_TS, F_TYPE,
		    F_TENANT };

		if (!(seen & (1U << req[i])))
			return rta_error_set(err, RTA_EDATA, "missing-field",
			    "missing %s", field_names[req[i]]);
	}
	for (i = 0; i < 3; i++) {
		static const char *const names[3] = { "event_id",
		    "event_type", "tenant_id" };

		if (sf[i].copied)
			sf[i].s = (const char *)np->strings.data + sf[i].off;
		if ((rc = id_check(names[i], sf[i].s, sf[i].len, err)) !=
		    RTA_OK)
			return rc;
	}
	rec->kind = RTA_REC_EVENT;
	ev->id = sf[0].s;
	ev->id_len = (uint8_t)sf[0].len;
	ev->type = sf[1].s;
	ev->type_len = (uint8_t)sf[1].len;
	ev->tenant = sf[2].s;
	ev->tenant_len = (uint8_t)sf[2].len;
	if (np->payload.len > 0) {
		ev->payload = np->payload.data;
		ev->payload_len = np->payload.len;
	} else {
		ev->payload = rta_empty_object;
		ev->payload_len = sizeof(rta_empty_object);
	}
	ev->extra = NULL;
	ev->extra_len = 0;
	ev->frame = NULL;
	ev->frame_len = 0;
	if (extra_off != (size_t)-1) {
		rta_venc_end(&np->extra, extra_off, nextra);
		/* duplicate extra keys: the checker sorts, so this is n log n */
		if ((rc = rta_value_check(np->extra.data, np->extra.len,
		    j->max_depth, j->max_members, err)) != RTA_OK)
			return rc;
		ev->extra = np->extra.data;
		ev->extra_len = np->extra.len;
	}
	return RTA_OK;
}

/* ------------------------------------------------------------------ write */

/* An aggregate record: its named fields, then the payload's members. */
static int
put_aggregate(struct rta_buf *out, const struct rta_event *ev)
{
	char num[24];
	size_t n, at;

	if (ev->extra != NULL) {
		errno = EINVAL;
		return -1;
	}
	if (rta_buf_adds(out, "{\"$rta\":\"aggregate\",\"record_id\":") ||
	    rta_json_put_string(out, ev->id, ev->id_len) ||
	    rta_buf_adds(out, ",\"window\":") ||
	    rta_json_put_string(out, ev->type, ev->type_len) ||
	    rta_buf_adds(out, ",\"start\":\"") ||
	    rta_buf_reserve(out, RTA_TIME_LEN))
		return -1;
	rta_time_format((char *)out->data + out->len, ev->ts);
	out->len += RTA_TIME_LEN;
	if (rta_buf_adds(out, "\",\"tenant_id\":") ||
	    rta_json_put_string(out, ev->tenant, ev->tenant_len) ||
	    rta_buf_adds(out, ",\"version\":"))
		return -1;
	n = rta_fmt_i64(num, ev->schema_version);
	if (rta_buf_add(out, num, n) != 0)
		return -1;
	/* the payload object's members continue this object */
	at = out->len;
	if (rta_value_to_json(out, ev->payload) != 0)
		return -1;
	if (out->len - at == 2)		/* {} */
		out->len = at;
	else
		out->data[at] = ',';
	if (out->len == at)
		return rta_buf_adds(out, "}\n");
	return rta_buf_addc(out, '\n');
}

int
rta_ndjson_put(struct rta_buf *out, const struct rta_record *rec)
{
	const struct rta_event *ev = &rec->ev;
	char num[24];
	size_t n;

	switch (rec->kind) {
	case RTA_REC_EVENT:
		break;
	case RTA_REC_WATERMARK:
		if (rta_buf_reserve(out, 64) != 0)
			return -1;
		rta_buf_adds(out, "{\"$rta\":\"watermark\",\"watermark\":\"");
		rta_time_format((char *)out->data + out->len, rec->watermark);
		out->len += RTA_TIME_LEN;
		return rta_buf_adds(out, "\"}\n");
	case RTA_REC_POSITION:
		if (rta_buf_adds(out, "{\"$rta\":\"position\",\"topic\":") ||
		    rta_json_put_string(out, rec->pos.topic,
		    rec->pos.topic_len) ||
		    rta_buf_adds(out, ",\"partition\":"))
			return -1;
		n = rta_fmt_i64(num, rec->pos.partition);
		if (rta_buf_add(out, num, n) ||
		    rta_buf_adds(out, ",\"offset\":"))
			return -1;
		n = rta_fmt_i64(num, rec->pos.offset);
		if (rta_buf_add(out, num, n) || rta_buf_adds(out, "}\n"))
			return -1;
		return 0;
	case RTA_REC_END:
		return 0;
	case RTA_REC_VALUE:
		if (rta_value_to_json(out, rec->value) != 0)
			return -1;
		return rta_buf_addc(out, '\n');
	case RTA_REC_AGGREGATE:
		return put_aggregate(out, ev);
	}
	if (rta_buf_reserve(out, 128 + ev->id_len + ev->type_len +
	    ev->tenant_len + ev->payload_len) != 0)
		return -1;
	memcpy(out->data + out->len, "{\"event_id\":", 12);
	out->len += 12;
	if (rta_json_put_string(out, ev->id, ev->id_len) != 0 ||
	    rta_buf_reserve(out, 16 + RTA_TIME_LEN) != 0)
		return -1;
	memcpy(out->data + out->len, ",\"timestamp\":\"", 14);
	out->len += 14;
	rta_time_format((char *)out->data + out->len, ev->ts);
	out->len += RTA_TIME_LEN;
	if (rta_buf_add(out, "\",\"event_type\":", 15) != 0 ||
	    rta_json_put_string(out, ev->type, ev->type_len) != 0 ||
	    rta_buf_add(out, ",\"tenant_id\":", 13) != 0 ||
	    rta_json_put_string(out, ev->tenant, ev->tenant_len) != 0 ||
	    rta_buf_add(out, ",\"schema_version\":", 18) != 0)
		return -1;
	n = rta_fmt_i64(num, ev->schema_version);
	if (rta_buf_add(out, num, n) != 0 ||
	    rta_buf_add(out, ",\"payload\":", 11) != 0 ||
	    rta_value_to_json(out, ev->payload) != 0)
		return -1;
	if (ev->extra != NULL) {
		struct rta_viter it;
		const char *k;
		size_t kl;
		const unsigned char *v;

		rta_viter_init(&it, ev->extra);
		while (rta_viter_member(&it, &k, &kl, &v))
			if (rta_buf_addc(out, ',') != 0 ||
			    rta_json_put_string(out, k, kl) != 0 ||
			    rta_buf_addc(out, ':') != 0 ||
			    rta_value_to_json(out, v) != 0)
				return -1;
	}
	return rta_buf_add(out, "}\n", 2);
}

int
rta_tenant_valid(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > RTA_TENANT_MAX || s[0] == '.' || s[0] == '-')
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
			return 0;
	}
	return 1;
}
