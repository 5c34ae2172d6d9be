/*
 * fuzz_schema.c: the JSON Schema compiler and validator.
 *
 * The input is a schema's text, a NUL byte, then an instance's text; a
 * second NUL followed by a byte with its low bit set loads the schema
 * with formats asserted.  Without a NUL, the whole input is the schema
 * and its own document is the instance.  For every input:
 *   - loading fails with at least one problem, each with a JSON pointer,
 *     or succeeds with none;
 *   - a loaded schema is evaluated on the instance (when it is JSON) and
 *     on the schema document itself: rta_validate and rta_validate_quick
 *     agree, a valid verdict has no violations and an invalid one at
 *     least one, a path prefix changes nothing but the paths, and the
 *     violations read back as JSON (jansson) with all their fields;
 *   - defaults filled in make a well-formed value, which is evaluated
 *     in turn.
 * Any difference aborts.  Input starting "RTA-CANARY" is a planted heap
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
#include "rta_schema.h"
#include "rta_validator.h"
#include "rta_value.h"

#include "canary.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t	*cur_data;
static size_t		 cur_size;

static void
fail(const char *what)
{
	char q[300];

	rta_quote(q, sizeof(q), cur_data, cur_size, 200);
	fprintf(stderr, "fuzz_schema: %s\ninput: '%s'\n", what, q);
	abort();
}

/* The violations of the last result as JSON: an array of n objects. */
static void
check_json(const struct rta_validator *v)
{
	static const char *const fields[] = {
		"path", "keyword", "schema", "reason", "message"
	};
	struct rta_buf out;
	json_error_t err;
	json_t *doc, *o, *f;
	size_t i, k;

	rta_buf_init(&out);
	if (rta_violations_json(v, &out) != 0)
		fail("rta_violations_json failed");
	doc = json_loadb((const char *)out.data, out.len, 0, &err);
	if (!json_is_array(doc) || json_array_size(doc) != v->n)
		fail("the violations are not a JSON array of them all");
	json_array_foreach(doc, i, o)
		for (k = 0; k < sizeof(fields) / sizeof(fields[0]); k++) {
			f = json_object_get(o, fields[k]);
			if (!json_is_string(f))
				fail("a violation lacks a field");
		}
	json_decref(doc);
	rta_buf_release(&out);
}

/* Evaluate s on val every way; the verdict. */
static int
evaluate(struct rta_validator *v, const struct rta_schema *s,
    const unsigned char *val)
{
	size_t n, i, len, plen;
	const char *p, *q;
	char **paths;
	int ok, quick;

	quick = rta_validate_quick(v, s, val);
	ok = rta_validate(v, s, val, "");
	if (ok != quick)
		fail("rta_validate and rta_validate_quick disagree");
	if (ok != (v->n == 0) || (ok && v->more != 0))
		fail("the verdict and the violations disagree");
	check_json(v);
	n = v->n;
	if ((paths = calloc(n + 1, sizeof(*paths))) == NULL)
		return ok;
	for (i = 0; i < n; i++) {
		p = rta_violation_path(v, i, &len);
		if ((paths[i] = malloc(len + 1)) != NULL) {
			memcpy(paths[i], p, len);
			paths[i][len] = '\0';
			if (len > 0 && p[0] != '/')
				fail("a path is not a JSON pointer");
		}
	}
	if (rta_validate(v, s, val, "/p") != ok || v->n != n)
		fail("a path prefix changes the verdict");
	for (i = 0; i < n; i++) {
		q = rta_violation_path(v, i, &plen);
		if (paths[i] != NULL && (plen != strlen(paths[i]) + 2 ||
		    memcmp(q, "/p", 2) != 0 ||
		    memcmp(q + 2, paths[i], plen - 2) != 0))
			fail("a path prefix changes a path");
		free(paths[i]);
	}
	free(paths);
	return ok;
}

/* Fill in defaults; a result must be a value the checker accepts. */
static void
defaults(struct rta_validator *v, const struct rta_schema *s,
    const unsigned char *val)
{
	struct rta_buf out;
	struct rta_error err;
	int rc;

	rta_buf_init(&out);
	rc = rta_fill_defaults(s, val, &out);
	if (rc < -1 || rc > 1 || (rc != 1 && out.len != 0))
		fail("rta_fill_defaults: a bad return or a partial result");
	if (rc == 1) {
		if (rta_value_check(out.data, out.len, 1024, (size_t)-1,
		    &err) != RTA_OK || rta_value_size(out.data) != out.len)
			fail("defaults filled in make a bad value");
		evaluate(v, s, out.data);
	}
	rta_buf_release(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rta_schema_problems ps;
	struct rta_schema *s;
	struct rta_validator v;
	struct rta_json j;
	struct rta_buf val;
	struct rta_error err;
	const uint8_t *nul, *inst = NULL, *nul2;
	size_t slen = size, ilen = 0, i;
	unsigned flags = 0;

	if (canary(data, size))
		return 0;
	cur_data = data;
	cur_size = size;
	if ((nul = memchr(data, 0, size)) != NULL) {
		slen = (size_t)(nul - data);
		inst = nul + 1;
		ilen = size - slen - 1;
		if ((nul2 = memchr(inst, 0, ilen)) != NULL) {
			if (nul2 + 1 < data + size && (nul2[1] & 1))
				flags = RTA_SCHEMA_FORMATS;
			ilen = (size_t)(nul2 - inst);
		}
	}

	rta_schema_problems_init(&ps);
	s = rta_schema_load(data, slen, "fuzz.json", flags, &ps);
	if ((s == NULL) != (ps.n + ps.more > 0))
		fail("a load result and its problems disagree");
	for (i = 0; i < ps.n; i++)
		if (ps.p[i].pointer == NULL || (ps.p[i].pointer[0] != '\0' &&
		    ps.p[i].pointer[0] != '/') || ps.p[i].text[0] == '\0')
			fail("a problem without a pointer or a text");
	rta_schema_problems_release(&ps);
	if (s == NULL)
		return 0;

	rta_validator_init(&v);
	rta_buf_init(&val);
	evaluate(&v, s, s->doc.data);
	defaults(&v, s, s->doc.data);
	if (inst != NULL) {
		rta_json_init(&j);
		if (rta_json_document(&j, inst, ilen, &val, &err) == RTA_OK) {
			evaluate(&v, s, val.data);
			defaults(&v, s, val.data);
		}
		rta_json_release(&j);
	}
	rta_buf_release(&val);
	rta_validator_release(&v);
	rta_schema_free(s);
	return 0;
}
