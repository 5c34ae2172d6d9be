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

/*
 * Digit values of Crockford's base 32 for rta_key_time (any case; I and
 * L read as 1, O as 0) in the low five bits with 0x80 set, 0x40 also set
 * for 0-9 and A-F; 0 for other bytes.
 */
static const unsigned char key_digit[256] = {
#define D(c, v) [c] = (v)
	D('0', 0xc0), D('1', 0xc1), D('2', 0xc2), D('3', 0xc3),
	D('4', 0xc4), D('5', 0xc5), D('6', 0xc6), D('7', 0xc7),
	D('8', 0xc8), D('9', 0xc9),
	D('a', 0xca), D('b', 0xcb), D('c', 0xcc), D('d', 0xcd),
	D('e', 0xce), D('f', 0xcf),
	D('A', 0xca), D('B', 0xcb), D('C', 0xcc), D('D', 0xcd),
	D('E', 0xce), D('F', 0xcf),
	D('g', 0x90), D('h', 0x91), D('j', 0x92), D('k', 0x93),
	D('m', 0x94), D('n', 0x95), D('p', 0x96), D('q', 0x97),
	D('r', 0x98), D('s', 0x99), D('t', 0x9a), D('v', 0x9b),
	D('w', 0x9c), D('x', 0x9d), D('y', 0x9e), D('z', 0x9f),
	D('G', 0x90), D('H', 0x91), D('J', 0x92), D('K', 0x93),
	D('M', 0x94), D('N', 0x95), D('P', 0x96), D('Q', 0x97),
	D('R', 0x98), D('S', 0x99), D('T', 0x9a), D('V', 0x9b),
	D('W', 0x9c), D('X', 0x9d), D('Y', 0x9e), D('Z', 0x9f),
	D('i', 0x81), D('l', 0x81), D('o', 0x80),
	D('I', 0x81), D('L', 0x81), D('O', 0x80),
#undef D
};

/*
 * The value of n (4 or 8) hex digits of any case, the first in the
 * lowest byte of x, eight at a time: each byte's low four bits, plus 9
 * for a letter; other bytes give some value too (see rta_key_time).
 */
static uint64_t
hex_digits(uint64_t x, unsigned n)
{
	x = (x & 0x0f0f0f0f0f0f0f0fULL) + (x >> 6 & 0x0101010101010101ULL) * 9;
	/* two digits a byte, in the low byte of each 16-bit lane */
	x = (x & 0x000f000f000f000fULL) << 4 | (x >> 8 & 0x000f000f000f000fULL);
	if (n == 4)
		return (x & 0xff) << 8 | (x >> 16 & 0xff);
	return (x & 0xff) << 24 | (x >> 16 & 0xff) << 16 |
	    (x >> 32 & 0xff) << 8 | (x >> 48 & 0xff);
}

int64_t
rta_key_time(const void *key, size_t len)
{
	const unsigned char *k = key, *s = k + 5;
	unsigned char all = 0x80, d;
	uint64_t t = 0;
	size_t i;

	if (len < 5 || k[0] != K_STR)
		return -1;
	switch (rta_get_u32(k + 1) <= len - 5 ? rta_get_u32(k + 1) : 0) {
	case 36:
		/* 8-4-4-4-12 hex digits, version 7: the time is the first 12 */
		if (s[8] != '-' || s[13] != '-' || s[18] != '-' ||
		    s[23] != '-' || s[14] != '7')
			return -1;
		return (int64_t)(hex_digits(rta_get_u64(s), 8) << 16 |
		    hex_digits(rta_get_u32(s + 9), 4));
	case 26:
		/* 10 digits of time (the first at most 7), 16 of randomness */
		for (i = 0; i < 26; i++) {
			d = key_digit[s[i]];
			all &= d;
			if (i < 10)
				t = t << 5 | (d & 0x1f);
		}
		return all != 0 && key_digit[s[0]] <= 0xc7 &&
		    key_digit[s[0]] >= 0xc0 ? (int64_t)t : -1;
	default:
		return -1;
	}
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
