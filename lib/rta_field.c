/*
 * rta_field.c: fields of an event named on a command line.
 */
#include <string.h>

#include "rta_alloc.h"
#include "rta_field.h"
#include "rta_value.h"

static const struct {
	const char		*name;
	enum rta_field_root	 root;
} roots[] = {
	{ "event_id", RTA_F_EVENT_ID },
	{ "timestamp", RTA_F_TIMESTAMP },
	{ "event_type", RTA_F_EVENT_TYPE },
	{ "tenant_id", RTA_F_TENANT_ID },
	{ "schema_version", RTA_F_SCHEMA_VERSION },
	{ "payload", RTA_F_PAYLOAD }
};

void
rta_field_release(struct rta_field *f)
{
	size_t i;

	for (i = 0; i < f->nparts; i++)
		rta_free(f->parts[i].name);
	rta_free(f->parts);
	rta_free(f->text);
	memset(f, 0, sizeof(*f));
}

/*
 * Cut s[0..len) at unescaped dots into names, unescaping "\." and "\\".
 * Returns the number of names written to parts (at most max), or -1 on
 * a bad escape, an empty name or too many names, with *why set.
 */
static int
split_path(const char *s, size_t len, struct rta_field_part *parts,
    size_t max, char *buf, const char **why)
{
	size_t i, n = 0, start = 0, o = 0;

	for (i = 0; i <= len; i++) {
		if (i == len || s[i] == '.') {
			if (o == start) {
				*why = "empty member name";
				return -1;
			}
			if (n == max) {
				*why = "too many members on the path";
				return -1;
			}
			parts[n].name = buf + start;
			parts[n].len = o - start;
			n++;
			buf[o++] = '\0';
			start = o;
			continue;
		}
		if (s[i] == '\\') {
			if (i + 1 == len || (s[i + 1] != '.' &&
			    s[i + 1] != '\\' && s[i + 1] != ',')) {
				*why = "'\\' escapes only '.', ',' and '\\'";
				return -1;
			}
			i++;
		}
		buf[o++] = s[i];
	}
	return (int)n;
}

int
rta_field_parse_n(struct rta_field *f, const char *s, size_t len,
    struct rta_error *err)
{
	struct rta_field_part tmp[RTA_FIELD_MAX_PARTS + 1];
	char quoted[80];
	const char *why = NULL;
	char *buf;
	size_t i;
	int n;

	memset(f, 0, sizeof(*f));
	rta_quote(quoted, sizeof(quoted), s, len, 60);
	if (len == 0)
		return rta_error_set(err, RTA_EINVAL, "bad-field",
		    "empty field name");
	if ((buf = rta_malloc(len + 1)) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	n = split_path(s, len, tmp, RTA_FIELD_MAX_PARTS + 1, buf, &why);
	if (n < 0) {
		rta_free(buf);
		return rta_error_set(err, RTA_EINVAL, "bad-field",
		    "bad field '%s': %s", quoted, why);
	}
	for (i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if (strcmp(tmp[0].name, roots[i].name) == 0)
			break;
	if (i == sizeof(roots) / sizeof(roots[0])) {
		rta_free(buf);
		return rta_error_set(err, RTA_EINVAL, "bad-field",
		    "unknown field '%s': fields are event_id, timestamp, "
		    "event_type, tenant_id, schema_version and payload.NAME",
		    quoted);
	}
	f->root = roots[i].root;
	if (n > 1 && f->root != RTA_F_PAYLOAD) {
		rta_free(buf);
		return rta_error_set(err, RTA_EINVAL, "bad-field",
		    "bad field '%s': only payload has members", quoted);
	}
	f->text = rta_memdup(s, len);
	if (n > 1 && (f->parts = rta_calloc((size_t)n - 1,
	    sizeof(*f->parts))) == NULL)
		goto nomem;
	/* counted only once there is room: release frees what is counted */
	f->nparts = (size_t)n - 1;
	if (f->text == NULL)
		goto nomem;
	for (i = 0; i < f->nparts; i++) {
		f->parts[i].len = tmp[i + 1].len;
		if ((f->parts[i].name = rta_memdup(tmp[i + 1].name,
		    tmp[i + 1].len)) == NULL)
			goto nomem;
	}
	rta_free(buf);
	return RTA_OK;
nomem:
	rta_free(buf);
	rta_field_release(f);
	return rta_error_set(err, RTA_ENOMEM, "no-memory", "out of memory");
}

int
rta_field_parse(struct rta_field *f, const char *s, struct rta_error *err)
{
	return rta_field_parse_n(f, s, strlen(s), err);
}

void
rta_field_list_free(struct rta_field *fs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		rta_field_release(&fs[i]);
	rta_free(fs);
}

int
rta_field_list_parse(const char *list, struct rta_field **fsp, size_t *np,
    struct rta_error *err)
{
	struct rta_field *fs;
	size_t n = 1, i, start, k = 0, len = strlen(list);
	int rc;

	for (i = 0; i < len; i++) {
		if (list[i] == '\\' && i + 1 < len)
			i++;
		else if (list[i] == ',')
			n++;
	}
	if ((fs = rta_calloc(n, sizeof(*fs))) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	for (i = start = 0; i <= len; i++) {
		if (i < len && list[i] == '\\' && i + 1 < len) {
			i++;
			continue;
		}
		if (i < len && list[i] != ',')
			continue;
		if ((rc = rta_field_parse_n(&fs[k], list + start, i - start,
		    err)) != RTA_OK) {
			rta_field_list_free(fs, k);
			return rc;
		}
		k++;
		start = i + 1;
	}
	*fsp = fs;
	*np = k;
	return RTA_OK;
}

int
rta_field_get(const struct rta_field *f, const struct rta_event *ev,
    struct rta_fval *out)
{
	const unsigned char *v;
	size_t i;

	memset(out, 0, sizeof(*out));
	switch (f->root) {
	case RTA_F_EVENT_ID:
		out->s = ev->id, out->len = ev->id_len;
		break;
	case RTA_F_EVENT_TYPE:
		out->s = ev->type, out->len = ev->type_len;
		break;
	case RTA_F_TENANT_ID:
		out->s = ev->tenant, out->len = ev->tenant_len;
		break;
	case RTA_F_TIMESTAMP:
		out->kind = RTA_FV_TIME;
		out->i = ev->ts;
		return 1;
	case RTA_F_SCHEMA_VERSION:
		out->kind = RTA_FV_UINT;
		out->i = ev->schema_version;
		return 1;
	case RTA_F_PAYLOAD:
		v = ev->payload;
		for (i = 0; i < f->nparts && v != NULL; i++) {
			if (v[0] != RTA_V_OBJECT)
				return 0;
			v = rta_value_member(v, f->parts[i].name,
			    f->parts[i].len);
		}
		if (v == NULL)
			return 0;
		out->kind = RTA_FV_VALUE;
		out->v = v;
		return 1;
	}
	out->kind = RTA_FV_STRING;
	return 1;
}

int
rta_fval_text(const struct rta_fval *v, char *tmp, const char **s,
    size_t *len)
{
	int64_t i;

	switch (v->kind) {
	case RTA_FV_MISSING:
		return 0;
	case RTA_FV_STRING:
		*s = v->s, *len = v->len;
		return 1;
	case RTA_FV_TIME:
		rta_time_format(tmp, v->i);
		*s = tmp, *len = 27;
		return 1;
	case RTA_FV_UINT:
		*s = tmp, *len = rta_fmt_i64(tmp, v->i);
		return 1;
	case RTA_FV_VALUE:
		break;
	}
	switch (rta_value_tag(v->v)) {
	case RTA_V_STRING:
		return rta_value_str(v->v, s, len);
	case RTA_V_TRUE:
		*s = "true", *len = 4;
		return 1;
	case RTA_V_FALSE:
		*s = "false", *len = 5;
		return 1;
	case RTA_V_INT:
		rta_value_i64(v->v, &i);
		*s = tmp, *len = rta_fmt_i64(tmp, i);
		return 1;
	case RTA_V_NUMBER:
		/* as written: "1.50" stays "1.50" */
		*len = rta_get_u32(v->v + 9);
		*s = (const char *)v->v + 13;
		return 1;
	case RTA_V_DOUBLE:
		{
			double d;

			rta_value_num(v->v, &d);
			*s = tmp, *len = rta_fmt_double(tmp, d);
			return 1;
		}
	default:
		return 0;
	}
}

/* Type bytes of a key: one per kind of value, so no two kinds meet. */
enum {
	K_MISSING = 'm', K_NULL = 'z', K_BOOL = 'b', K_NUM = 'n',
	K_STR = 's', K_TIME = 't', K_JSON = 'j'
};

static int
key_part(struct rta_buf *b, int type, const char *s, size_t len)
{
	if (rta_buf_reserve(b, 5 + len) != 0)
		return -1;
	b->data[b->len++] = (unsigned char)type;
	rta_put_u32(b->data + b->len, (uint32_t)len);
	b->len += 4;
	memcpy(b->data + b->len, s, len);
	b->len += len;
	return 0;
}

int
rta_fval_key(struct rta_buf *b, const struct rta_fval *v)
{
	char tmp[RTA_NUM_CANON_MAX];
	const char *s;
	size_t len, at;

	switch (v->kind) {
	case RTA_FV_MISSING:
		return key_part(b, K_MISSING, "", 0);
	case RTA_FV_STRING:
		return key_part(b, K_STR, v->s, v->len);
	case RTA_FV_TIME:
		rta_time_format(tmp, v->i);
		return key_part(b, K_TIME, tmp, 27);
	case RTA_FV_UINT:
		return key_part(b, K_NUM, tmp, rta_fmt_i64(tmp, v->i));
	case RTA_FV_VALUE:
		break;
	}
	switch (rta_value_tag(v->v)) {
	case RTA_V_NULL:
		return key_part(b, K_NULL, "", 0);
	case RTA_V_TRUE:
		return key_part(b, K_BOOL, "1", 1);
	case RTA_V_FALSE:
		return key_part(b, K_BOOL, "0", 1);
	case RTA_V_INT:
	case RTA_V_DOUBLE:
	case RTA_V_NUMBER:
		return key_part(b, K_NUM, tmp, rta_value_num_canon(v->v, tmp));
	case RTA_V_STRING:
		rta_value_str(v->v, &s, &len);
		return key_part(b, K_STR, s, len);
	default:
		if (key_part(b, K_JSON, "", 0) != 0)
			return -1;
		at = b->len;
		if (rta_value_to_json(b, v->v) != 0)
			return -1;
		rta_put_u32(b->data + at - 4, (uint32_t)(b->len - at));
		return 0;
	}
}
