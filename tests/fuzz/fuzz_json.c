/*
 * fuzz_json.c: the JSON parser against jansson (reliability plan D5).
 *
 * rta_json_document() and json_loadb(JSON_DECODE_ANY |
 * JSON_REJECT_DUPLICATES) must agree on accept or reject; for accepted
 * input on the value, numbers by value (rta keeps "-0" as a real, jansson
 * makes it 0) and object members in order.  rta's own JSON text of the
 * value must mean the same to jansson and read back into the same
 * encoding, and the padded mode the reader uses (16 readable bytes after
 * the input) must give the same answer as an exact copy.
 *
 * Not compared, as in tests/unit/check_rta_json.c: input beyond rta's
 * depth (64) and member (1024) limits, which rta must refuse with
 * RTA_ELIMIT; and input holding a NUL byte, which jansson 2.14 sometimes
 * skips (after a number or literal) and rta must always refuse.
 *
 * Any disagreement aborts.  Input starting "RTA-CANARY" is a planted heap
 * over-read (test D4): a sanitizer build must stop on it.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_json.h"
#include "rta_value.h"

#include "canary.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what, const void *data, size_t size)
{
	char q[300];

	rta_quote(q, sizeof(q), data, size, 200);
	fprintf(stderr, "fuzz_json: %s\ninput: '%s'\n", what, q);
	abort();
}

static json_t *
to_jansson(const unsigned char *v)
{
	struct rta_viter it;
	const unsigned char *item;
	const char *s;
	size_t n;
	int64_t i;
	double d;
	json_t *c;

	switch (rta_value_tag(v)) {
	case RTA_V_NULL:
		return json_null();
	case RTA_V_FALSE:
		return json_false();
	case RTA_V_TRUE:
		return json_true();
	case RTA_V_INT:
		rta_value_i64(v, &i);
		return json_integer(i);
	case RTA_V_DOUBLE:
	case RTA_V_NUMBER:
		rta_value_num(v, &d);
		return json_real(d);
	case RTA_V_STRING:
		rta_value_str(v, &s, &n);
		return json_stringn(s, n);
	case RTA_V_ARRAY:
		c = json_array();
		rta_viter_init(&it, v);
		while (rta_viter_item(&it, &item))
			json_array_append_new(c, to_jansson(item));
		return c;
	case RTA_V_OBJECT:
		c = json_object();
		rta_viter_init(&it, v);
		while (rta_viter_member(&it, &s, &n, &item))
			json_object_setn_new(c, s, n, to_jansson(item));
		if (json_object_size(c) != rta_value_count(v)) {
			json_decref(c);
			return NULL;	/* duplicate keys in rta's output */
		}
		return c;
	default:
		return NULL;
	}
}

/* Equal as rta and jansson values should be (see the top comment). */
static int
same(json_t *a, json_t *b)
{
	size_t i;
	void *ia, *ib;

	if (a == NULL || b == NULL)
		return 0;
	if (json_is_number(a) && json_is_number(b)) {
		double x = json_number_value(a), y = json_number_value(b);

		if (json_is_integer(a) && json_is_integer(b))
			return json_integer_value(a) == json_integer_value(b);
		if (json_is_real(a) && json_is_real(b))
			return memcmp(&x, &y, sizeof(x)) == 0;
		return x == 0 && y == 0;	/* "-0" */
	}
	if (json_typeof(a) != json_typeof(b))
		return 0;
	switch (json_typeof(a)) {
	case JSON_STRING:
		return json_string_length(a) == json_string_length(b) &&
		    memcmp(json_string_value(a), json_string_value(b),
		    json_string_length(a)) == 0;
	case JSON_ARRAY:
		if (json_array_size(a) != json_array_size(b))
			return 0;
		for (i = 0; i < json_array_size(a); i++)
			if (!same(json_array_get(a, i), json_array_get(b, i)))
				return 0;
		return 1;
	case JSON_OBJECT:
		if (json_object_size(a) != json_object_size(b))
			return 0;
		for (ia = json_object_iter(a), ib = json_object_iter(b);
		    ia != NULL && ib != NULL; ia = json_object_iter_next(a, ia),
		    ib = json_object_iter_next(b, ib))
			if (json_object_iter_key_len(ia) !=
			    json_object_iter_key_len(ib) ||
			    memcmp(json_object_iter_key(ia),
			    json_object_iter_key(ib),
			    json_object_iter_key_len(ia)) != 0 ||
			    !same(json_object_iter_value(ia),
			    json_object_iter_value(ib)))
				return 0;
		return 1;
	default:
		return 1;
	}
}

static int
beyond_limits(json_t *v, unsigned depth)
{
	const char *k;
	json_t *m;
	size_t i;

	if (!json_is_array(v) && !json_is_object(v))
		return 0;
	if (depth >= RTA_VALUE_MAX_DEPTH)
		return 1;
	if (json_is_object(v)) {
		if (json_object_size(v) > RTA_VALUE_MAX_MEMBERS)
			return 1;
		json_object_foreach(v, k, m)
			if (beyond_limits(m, depth + 1))
				return 1;
		return 0;
	}
	json_array_foreach(v, i, m)
		if (beyond_limits(m, depth + 1))
			return 1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	static struct rta_json j, jp;
	static struct rta_buf out, out2, text;
	struct rta_error err;
	json_error_t jerr;
	json_t *jv, *rv, *pv;
	unsigned char *padded;
	int rc, rc2, ok;

	if (canary(data, size))
		return 0;
	if (!ready) {
		rta_json_init(&j);
		rta_json_init(&jp);
		jp.padded = 1;
		ready = 1;
	}
	rta_buf_reset(&out);
	rc = rta_json_document(&j, data, size, &out, &err);
	if (rc != RTA_OK && (err.offset > size || err.reason == NULL))
		fail("bad error report", data, size);

	/* the reader's padded mode: whatever follows, the same answer */
	if ((padded = malloc(size + 16)) == NULL)
		return 0;
	memcpy(padded, data, size);
	memset(padded + size, size % 2 ? '"' : '\\', 16);
	rta_buf_reset(&out2);
	rc2 = rta_json_document(&jp, padded, size, &out2, &err);
	free(padded);
	if (rc2 != rc || (rc == RTA_OK && (out2.len != out.len ||
	    memcmp(out2.data, out.data, out.len) != 0)))
		fail("padded input gives another answer", data, size);

	if (size > 0 && memchr(data, 0, size) != NULL) {
		if (rc == RTA_OK)
			fail("a NUL byte accepted", data, size);
		return 0;
	}
	jv = json_loadb((const char *)data, size, JSON_DECODE_ANY |
	    JSON_REJECT_DUPLICATES, &jerr);
	if (jv != NULL && beyond_limits(jv, 0)) {
		json_decref(jv);
		if (rc != RTA_ELIMIT)
			fail("beyond the limits but not RTA_ELIMIT", data,
			    size);
		return 0;
	}
	if (jv == NULL) {
		if (rc == RTA_OK)
			fail("rta accepts what jansson rejects", data, size);
		return 0;
	}
	if (rc != RTA_OK)
		fail("rta rejects what jansson accepts", data, size);
	if (rta_value_check(out.data, out.len, RTA_VALUE_MAX_DEPTH,
	    RTA_VALUE_MAX_MEMBERS, &err) != RTA_OK)
		fail("the parser wrote a value the checker refuses", data,
		    size);
	rv = to_jansson(out.data);
	ok = same(rv, jv);
	json_decref(rv);
	if (!ok)
		fail("the values differ", data, size);

	rta_buf_reset(&text);
	if (rta_value_to_json(&text, out.data) != 0)
		fail("printing failed", data, size);
	pv = json_loadb((const char *)text.data, text.len, JSON_DECODE_ANY |
	    JSON_REJECT_DUPLICATES, &jerr);
	ok = same(pv, jv);
	json_decref(pv);
	json_decref(jv);
	if (!ok)
		fail("rta's text of the value means something else", data,
		    size);
	rta_buf_reset(&out2);
	if (rta_json_document(&j, text.data, text.len, &out2, &err) !=
	    RTA_OK || out2.len != out.len || memcmp(out2.data, out.data,
	    out.len) != 0)
		fail("rta's text does not read back the same", data, size);
	return 0;
}
