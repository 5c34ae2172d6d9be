/*
 * check_rta_compat.c: breaking changes between two schema versions.
 *
 * The table pairs an old and a new schema with the exact set of changes
 * (direction, instance path, reason) that rta_compat_compare must report
 * in a mode.  Where a change is a real break, the case carries a witness:
 * an instance valid under the wider side and invalid under the narrower
 * one, checked with the validator, so the table cannot assert a break
 * that JSON Schema does not have.  Cases without a witness are the
 * conservative reports rta_compat.h documents.
 *
 * The soundness test generates random schema pairs, mostly alike, and
 * random instances (fixed seed): whenever no backward change is reported,
 * every instance valid under old that has only the members old declares
 * (the rule of rta_compat.h) must be valid under new, and the same
 * forward.  Any counterexample is a bug in rta_compat.c.
 */
#include <check.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_alloc.h"
#include "rta_buf.h"
#include "rta_compat.h"
#include "rta_json.h"
#include "rta_regex.h"
#include "rta_schema.h"
#include "rta_validator.h"
#include "rta_value.h"
#include "unit.h"

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))
#define B		RTA_COMPAT_BACKWARD
#define F		RTA_COMPAT_FORWARD
#define FULL		RTA_COMPAT_FULL
#define FMT		RTA_SCHEMA_FORMATS

/* ------------------------------------------------------------ helpers */

static struct rta_schema *
load(const char *text, unsigned flags)
{
	struct rta_schema_problems ps;
	struct rta_schema *s;

	rta_schema_problems_init(&ps);
	s = rta_schema_load(text, strlen(text), "test.json", flags, &ps);
	ck_assert_msg(s != NULL, "schema does not load: %s: %s (%.200s)",
	    ps.n ? ps.p[0].pointer : "?", ps.n ? ps.p[0].text : "?", text);
	rta_schema_problems_release(&ps);
	return s;
}

/* Parse JSON text into a checked value in b. */
static void
value(struct rta_buf *b, const char *text)
{
	struct rta_json j;
	struct rta_error err;

	rta_json_init(&j);
	b->len = 0;
	ck_assert_msg(rta_json_document(&j, text, strlen(text), b, &err) ==
	    RTA_OK, "bad JSON in the test: %s", text);
	rta_json_release(&j);
}

static int
valid(const struct rta_schema *s, const char *text)
{
	struct rta_validator v;
	struct rta_buf b;
	int ok;

	rta_validator_init(&v);
	rta_buf_init(&b);
	value(&b, text);
	ok = rta_validate(&v, s, b.data, "");
	rta_buf_release(&b);
	rta_validator_release(&v);
	return ok;
}

struct want {
	unsigned	 dir;
	const char	*path;
	const char	*reason;
};

#define WANT_MAX	6

/* Every change listed, as "backward /a required-added; ...". */
static const char *
listing(const struct rta_compat *c)
{
	static char out[4096];
	size_t i, len = 0, pl;
	const char *p;

	out[0] = '\0';
	for (i = 0; i < c->n && len < sizeof(out) - 200; i++) {
		p = rta_compat_path(c, i, &pl);
		len += (size_t)snprintf(out + len, sizeof(out) - len,
		    "%s%s '%.*s' %s", i ? "; " : "",
		    rta_compat_direction_name(c->c[i].direction), (int)pl, p,
		    c->c[i].reason);
	}
	return c->n ? out : "none";
}

static int
has(const struct rta_compat *c, unsigned dir, const char *path,
    const char *reason)
{
	size_t i, pl;
	const char *p;

	for (i = 0; i < c->n; i++) {
		p = rta_compat_path(c, i, &pl);
		if (c->c[i].direction == dir && pl == strlen(path) &&
		    memcmp(p, path, pl) == 0 &&
		    strcmp(c->c[i].reason, reason) == 0)
			return 1;
	}
	return 0;
}

/* The changes in c are exactly the set w (duplicates allowed). */
static void
expect(const struct rta_compat *c, const struct want *w, const char *name)
{
	size_t i, k, pl;
	const char *p;

	for (k = 0; k < WANT_MAX && w[k].dir != 0; k++)
		ck_assert_msg(has(c, w[k].dir, w[k].path, w[k].reason),
		    "%s: missing %s '%s' %s; got %s", name,
		    rta_compat_direction_name(w[k].dir), w[k].path,
		    w[k].reason, listing(c));
	for (i = 0; i < c->n; i++) {
		p = rta_compat_path(c, i, &pl);
		for (k = 0; k < WANT_MAX && w[k].dir != 0; k++)
			if (w[k].dir == c->c[i].direction &&
			    strlen(w[k].path) == pl &&
			    memcmp(w[k].path, p, pl) == 0 &&
			    strcmp(w[k].reason, c->c[i].reason) == 0)
				break;
		ck_assert_msg(k < WANT_MAX && w[k].dir != 0, "%s: unexpected "
		    "change; got %s", name, listing(c));
	}
}

/* ------------------------------------------------------------- table */

struct ccase {
	const char	*name;
	const char	*old, *new;
	unsigned	 mode;
	unsigned	 flags;		/* load flags */
	struct want	 w[WANT_MAX];
	const char	*wb;	/* valid under old, not new (backward) */
	const char	*wf;	/* valid under new, not old (forward) */
};

#define OBJ(props)	"{\"type\":\"object\",\"properties\":{" props "}"
#define STR		"{\"type\":\"string\"}"
#define INT		"{\"type\":\"integer\"}"

static const struct ccase cases[] = {
	/* members */
	{ "added optional property", OBJ("\"a\":" STR) "}",
	    OBJ("\"a\":" STR ",\"b\":" INT) "}", FULL, 0, { { 0 } },
	    NULL, NULL },
	{ "added optional property with a default", OBJ("\"a\":" STR) "}",
	    OBJ("\"a\":" STR ",\"b\":{\"type\":\"integer\",\"default\":0}")
	    "}", FULL, 0, { { 0 } }, NULL, NULL },
	{ "added optional property, closed",
	    OBJ("\"a\":" STR) ",\"additionalProperties\":false}",
	    OBJ("\"a\":" STR ",\"b\":" INT) ",\"additionalProperties\":false}",
	    FULL, 0, { { F, "/b", "property-removed" } },
	    NULL, "{\"b\":1}" },
	{ "newly required property", OBJ("\"a\":" STR ",\"b\":" INT) "}",
	    OBJ("\"a\":" STR ",\"b\":" INT) ",\"required\":[\"b\"]}", FULL, 0,
	    { { B, "/b", "required-added" } }, "{\"a\":\"x\"}", NULL },
	{ "newly required new property", OBJ("\"a\":" STR) "}",
	    OBJ("\"a\":" STR ",\"b\":" INT) ",\"required\":[\"b\"]}", FULL, 0,
	    { { B, "/b", "required-added" } }, "{}", NULL },
	{ "required no more", OBJ("\"a\":" STR) ",\"required\":[\"a\"]}",
	    OBJ("\"a\":" STR) "}", FULL, 0,
	    { { F, "/a", "required-added" } }, NULL, "{}" },
	{ "property removed, closed",
	    OBJ("\"a\":" STR ",\"b\":" STR) ",\"additionalProperties\":false}",
	    OBJ("\"a\":" STR) ",\"additionalProperties\":false}", FULL, 0,
	    { { B, "/b", "property-removed" } }, "{\"b\":\"x\"}", NULL },
	{ "property removed, open", OBJ("\"a\":" STR ",\"b\":" STR) "}",
	    OBJ("\"a\":" STR) "}", FULL, 0, { { 0 } }, NULL, NULL },
	{ "additionalProperties closed", OBJ("\"a\":" STR) "}",
	    OBJ("\"a\":" STR) ",\"additionalProperties\":false}", FULL, 0,
	    { { B, "", "additional-closed" } }, "{\"z\":1}", NULL },
	{ "additionalProperties given a schema", OBJ("\"a\":" STR) "}",
	    OBJ("\"a\":" STR) ",\"additionalProperties\":" STR "}", FULL, 0,
	    { { B, "", "additional-narrowed" } }, "{\"z\":1}", NULL },
	{ "required-only property given a type",
	    "{\"type\":\"object\",\"required\":[\"a\"]}",
	    OBJ("\"a\":" STR) ",\"required\":[\"a\"]}", FULL, 0,
	    { { B, "/a", "type-narrowed" } }, "{\"a\":1}", NULL },
	{ "property under additionalProperties declared narrower",
	    OBJ("\"a\":" STR) ",\"additionalProperties\":" STR "}",
	    OBJ("\"a\":" STR ",\"b\":" INT) ",\"additionalProperties\":"
	    STR "}", FULL, 0,
	    { { B, "/b", "type-narrowed" }, { F, "/b", "type-narrowed" } },
	    "{\"b\":\"x\"}", "{\"b\":1}" },
	{ "property declared in a branch, then at the top",
	    "{\"type\":\"object\",\"anyOf\":[{\"properties\":{\"b\":" STR
	    "}},{\"properties\":{\"c\":" STR "}}]}",
	    "{\"type\":\"object\",\"properties\":{\"b\":" INT "},"
	    "\"anyOf\":[{\"properties\":{\"b\":" STR "}},{\"properties\":"
	    "{\"c\":" STR "}}]}", B, 0,
	    { { B, "/b", "type-narrowed" } }, "{\"b\":\"x\"}", NULL },

	/* types */
	{ "type narrowed: null dropped", "{\"type\":[\"string\",\"null\"]}",
	    STR, FULL, 0, { { B, "", "type-narrowed" } }, "null", NULL },
	{ "type narrowed: number to integer", "{\"type\":\"number\"}", INT,
	    FULL, 0, { { B, "", "type-narrowed" } }, "1.5", NULL },
	{ "type widened: null added", STR, "{\"type\":[\"string\",\"null\"]}",
	    FULL, 0, { { F, "", "type-narrowed" } }, NULL, "null" },
	{ "type widened: integer to number", INT, "{\"type\":\"number\"}",
	    FULL, 0, { { F, "", "type-narrowed" } }, NULL, "0.5" },
	{ "integer written as 1.0 is an integer", "{\"enum\":[1.0,2]}", INT,
	    B, 0, { { 0 } }, NULL, NULL },

	/* enum, const */
	{ "enum narrowed", "{\"enum\":[\"a\",\"b\",\"c\"]}",
	    "{\"enum\":[\"a\",\"b\"]}", FULL, 0,
	    { { B, "", "enum-narrowed" } }, "\"c\"", NULL },
	{ "enum widened", "{\"enum\":[\"a\",\"b\"]}",
	    "{\"enum\":[\"a\",\"b\",\"c\"]}", FULL, 0,
	    { { F, "", "enum-narrowed" } }, NULL, "\"c\"" },
	{ "enum reordered", "{\"enum\":[\"a\",\"b\"]}",
	    "{\"enum\":[\"b\",\"a\"]}", FULL, 0, { { 0 } }, NULL, NULL },
	{ "const changed", "{\"const\":1}", "{\"const\":2}", FULL, 0,
	    { { B, "", "const-changed" }, { F, "", "const-changed" } },
	    "1", "2" },
	{ "const added", STR, "{\"type\":\"string\",\"const\":\"x\"}", FULL,
	    0, { { B, "", "const-added" } }, "\"y\"", NULL },
	{ "const true on booleans", "{\"type\":\"boolean\"}",
	    "{\"const\":true}", FULL, 0,
	    { { B, "", "const-changed" } }, "false", NULL },
	{ "enum of every boolean", "{\"type\":\"boolean\"}",
	    "{\"enum\":[false,true]}", FULL, 0, { { 0 } }, NULL, NULL },
	{ "enum value the type already excludes",
	    "{\"type\":\"string\",\"enum\":[\"a\",1]}", "{\"enum\":[\"a\"]}",
	    B, 0, { { 0 } }, NULL, NULL },

	/* numbers */
	{ "minimum tightened", "{\"minimum\":0}", "{\"minimum\":5}", FULL, 0,
	    { { B, "", "bound-tightened" } }, "0", NULL },
	{ "maximum loosened", "{\"maximum\":10}", "{\"maximum\":20}", FULL, 0,
	    { { F, "", "bound-tightened" } }, NULL, "15" },
	{ "inclusive to exclusive minimum", "{\"minimum\":0}",
	    "{\"exclusiveMinimum\":0}", FULL, 0,
	    { { B, "", "bound-tightened" } }, "0", NULL },
	{ "exclusive to inclusive maximum", "{\"exclusiveMaximum\":5}",
	    "{\"maximum\":5}", FULL, 0,
	    { { F, "", "bound-tightened" } }, NULL, "5" },
	{ "minimum 1 and exclusiveMinimum 0 on numbers", "{\"minimum\":1}",
	    "{\"exclusiveMinimum\":0}", FULL, 0,
	    { { F, "", "bound-tightened" } }, NULL, "0.5" },
	{ "minimum 1 and exclusiveMinimum 0 on integers",
	    "{\"type\":\"integer\",\"minimum\":1}",
	    "{\"type\":\"integer\",\"exclusiveMinimum\":0}", FULL, 0,
	    { { 0 } }, NULL, NULL },
	{ "maximum 9 and exclusiveMaximum 10 on integers",
	    "{\"type\":\"integer\",\"maximum\":9}",
	    "{\"type\":\"integer\",\"exclusiveMaximum\":10}", FULL, 0,
	    { { 0 } }, NULL, NULL },
	{ "maximum 4.5 on integers is maximum 4",
	    "{\"type\":\"integer\",\"maximum\":4.5}",
	    "{\"type\":\"integer\",\"maximum\":4}", FULL, 0, { { 0 } },
	    NULL, NULL },
	{ "bounds the same, written apart",
	    "{\"minimum\":0,\"maximum\":10}",
	    "{\"allOf\":[{\"minimum\":0},{\"maximum\":10}]}", FULL, 0,
	    { { 0 } }, NULL, NULL },
	{ "multipleOf 2 to 4", "{\"multipleOf\":2}", "{\"multipleOf\":4}",
	    FULL, 0, { { B, "", "multiple-tightened" } }, "2", NULL },
	{ "multipleOf 4 to 2", "{\"multipleOf\":4}", "{\"multipleOf\":2}",
	    FULL, 0, { { F, "", "multiple-tightened" } }, NULL, "2" },
	{ "multipleOf 0.3 to 0.1, exactly", "{\"multipleOf\":0.3}",
	    "{\"multipleOf\":0.1}", FULL, 0,
	    { { F, "", "multiple-tightened" } }, NULL, "0.1" },
	{ "multipleOf near an integer is not one",
	    "{\"multipleOf\":3.0000000001}", "{\"multipleOf\":1}", B, 0,
	    { { B, "", "multiple-tightened" } }, "3.0000000001", NULL },
	{ "multipleOf 0.5 on integers", INT,
	    "{\"type\":\"integer\",\"multipleOf\":0.5}", FULL, 0, { { 0 } },
	    NULL, NULL },

	/* strings */
	{ "lengths tightened", "{\"minLength\":1,\"maxLength\":10}",
	    "{\"minLength\":2,\"maxLength\":5}", FULL, 0,
	    { { B, "", "length-tightened" } }, "\"a\"", NULL },
	{ "maxLength added", STR, "{\"type\":\"string\",\"maxLength\":3}",
	    FULL, 0, { { B, "", "length-tightened" } }, "\"abcd\"", NULL },
	{ "pattern added", STR, "{\"type\":\"string\",\"pattern\":\"^a\"}",
	    FULL, 0, { { B, "", "pattern-added" } }, "\"b\"", NULL },
	{ "pattern changed", "{\"pattern\":\"^a\"}", "{\"pattern\":\"^b\"}",
	    FULL, 0, { { B, "", "pattern-changed" },
	    { F, "", "pattern-changed" } }, "\"a\"", "\"b\"" },
	{ "pattern rewritten, same strings (conservative)",
	    "{\"pattern\":\"^[0-9]+$\"}", "{\"pattern\":\"^\\\\d+$\"}", FULL,
	    0, { { B, "", "pattern-changed" }, { F, "", "pattern-changed" } },
	    NULL, NULL },
	{ "pattern the same", "{\"pattern\":\"^a\"}", "{\"pattern\":\"^a\"}",
	    FULL, 0, { { 0 } }, NULL, NULL },
	{ "format without --formats", STR,
	    "{\"type\":\"string\",\"format\":\"date\"}", FULL, 0, { { 0 } },
	    NULL, NULL },
	{ "format with --formats", STR,
	    "{\"type\":\"string\",\"format\":\"date\"}", FULL, FMT,
	    { { B, "", "format-added" } }, "\"x\"", NULL },
	{ "format changed with --formats",
	    "{\"type\":\"string\",\"format\":\"uuid\"}",
	    "{\"type\":\"string\",\"format\":\"date\"}", FULL, FMT,
	    { { B, "", "format-added" }, { F, "", "format-added" } },
	    "\"9b2e1a4c-5d6f-4a7b-8c9d-0e1f2a3b4c5d\"", "\"2026-11-26\"" },

	/* arrays */
	{ "items tightened",
	    "{\"type\":\"array\",\"items\":" STR "}",
	    "{\"type\":\"array\",\"items\":{\"type\":\"string\","
	    "\"maxLength\":3}}", FULL, 0,
	    { { B, "/*", "length-tightened" } }, "[\"abcd\"]", NULL },
	{ "prefixItems folded into items",
	    "{\"type\":\"array\",\"prefixItems\":[" STR "," INT "]}",
	    "{\"type\":\"array\",\"prefixItems\":[" STR "],\"items\":" INT
	    "}", FULL, 0, { { B, "/*", "items-narrowed" } },
	    "[\"a\",1,\"x\"]", NULL },
	{ "prefixItems grown, items closed",
	    "{\"type\":\"array\",\"prefixItems\":[" STR "],\"items\":false}",
	    "{\"type\":\"array\",\"prefixItems\":[" STR "," INT "],"
	    "\"items\":false}", FULL, 0,
	    { { F, "/1", "false-schema" } }, NULL, "[\"a\",1]" },
	{ "item counts and uniqueness",
	    "{\"type\":\"array\",\"minItems\":1,\"maxItems\":5}",
	    "{\"type\":\"array\",\"minItems\":2,\"maxItems\":3,"
	    "\"uniqueItems\":true}", FULL, 0,
	    { { B, "", "count-tightened" }, { B, "", "unique-added" } },
	    "[1]", NULL },
	{ "uniqueItems on arrays of one",
	    "{\"type\":\"array\",\"maxItems\":1}",
	    "{\"type\":\"array\",\"maxItems\":1,\"uniqueItems\":true}", FULL,
	    0, { { 0 } }, NULL, NULL },
	{ "contains added", "{\"type\":\"array\"}",
	    "{\"type\":\"array\",\"contains\":" STR "}", FULL, 0,
	    { { B, "", "contains-added" } }, "[1]", NULL },
	{ "contains narrowed",
	    "{\"type\":\"array\",\"contains\":" STR "}",
	    "{\"type\":\"array\",\"contains\":{\"type\":\"string\","
	    "\"minLength\":1}}", FULL, 0,
	    { { B, "/*", "length-tightened" } }, "[\"\"]", NULL },
	{ "minContains raised",
	    "{\"type\":\"array\",\"contains\":" STR "}",
	    "{\"type\":\"array\",\"contains\":" STR ",\"minContains\":2}",
	    FULL, 0, { { B, "", "count-tightened" } }, "[\"a\"]", NULL },
	{ "maxContains over wider items",
	    "{\"type\":\"array\",\"contains\":" STR ",\"maxContains\":2}",
	    "{\"type\":\"array\",\"contains\":{},\"maxContains\":2}", FULL, 0,
	    { { B, "", "count-tightened" }, { F, "/*", "type-narrowed" } },
	    "[\"a\",\"b\",1]", "[1]" },
	{ "contains split over allOf",
	    "{\"type\":\"array\",\"allOf\":[{\"contains\":" STR "},"
	    "{\"contains\":{\"minLength\":1}}]}",
	    "{\"type\":\"array\",\"contains\":{\"type\":\"string\","
	    "\"minLength\":1}}", B, 0,
	    { { B, "/*", "length-tightened" } }, "[\"\",5]", NULL },

	/* objects */
	{ "patternProperties tightened",
	    "{\"type\":\"object\",\"patternProperties\":{\"^x-\":" STR "}}",
	    "{\"type\":\"object\",\"patternProperties\":{\"^x-\":"
	    "{\"type\":\"string\",\"maxLength\":5}}}", FULL, 0,
	    { { B, "", "length-tightened" } }, "{\"x-a\":\"abcdef\"}", NULL },
	{ "patternProperties added", "{\"type\":\"object\"}",
	    "{\"type\":\"object\",\"patternProperties\":{\"^x-\":" STR "}}",
	    FULL, 0, { { B, "", "pattern-added" } }, "{\"x-a\":1}", NULL },
	{ "pattern-matched property declared narrower",
	    "{\"type\":\"object\",\"patternProperties\":{\"^x\":" STR "}}",
	    OBJ("\"xa\":" INT) "}", FULL, 0,
	    { { B, "/xa", "type-narrowed" }, { F, "/xa", "type-narrowed" },
	    { F, "", "pattern-added" } }, "{\"xa\":\"s\"}", "{\"xa\":1}" },
	{ "pattern-matched properties lose their pattern",
	    "{\"type\":\"object\",\"patternProperties\":{\"^x\":" STR "},"
	    "\"additionalProperties\":" INT "}",
	    "{\"type\":\"object\",\"additionalProperties\":" INT "}", B, 0,
	    { { B, "/*", "type-narrowed" } }, "{\"xa\":\"s\"}", NULL },
	{ "propertyNames tightened",
	    "{\"type\":\"object\",\"propertyNames\":{\"maxLength\":5}}",
	    "{\"type\":\"object\",\"propertyNames\":{\"maxLength\":3}}",
	    FULL, 0, { { B, "", "length-tightened" } }, "{\"abcd\":1}",
	    NULL },
	{ "propertyNames added", "{\"type\":\"object\"}",
	    "{\"type\":\"object\",\"propertyNames\":{\"pattern\":"
	    "\"^[a-z]+$\"}}", FULL, 0, { { B, "", "names-narrowed" } },
	    "{\"A\":1}", NULL },
	{ "dependentRequired added", OBJ("\"a\":{},\"b\":{}") "}",
	    OBJ("\"a\":{},\"b\":{}") ",\"dependentRequired\":{\"a\":[\"b\"]}}",
	    FULL, 0, { { B, "/a", "dependency-added" } }, "{\"a\":1}", NULL },
	{ "dependentRequired held by required",
	    OBJ("\"a\":{},\"b\":{}") ",\"required\":[\"b\"]}",
	    OBJ("\"a\":{},\"b\":{}") ",\"required\":[\"b\"],"
	    "\"dependentRequired\":{\"a\":[\"b\"]}}", B, 0, { { 0 } },
	    NULL, NULL },
	{ "dependentSchemas added", OBJ("\"a\":{},\"b\":{}") "}",
	    OBJ("\"a\":{},\"b\":{}") ",\"dependentSchemas\":{\"a\":"
	    "{\"required\":[\"b\"]}}}", FULL, 0,
	    { { B, "", "dependency-added" } }, "{\"a\":1}", NULL },
	{ "dependentSchemas held by required",
	    OBJ("\"a\":{},\"b\":{}") ",\"required\":[\"b\"]}",
	    OBJ("\"a\":{},\"b\":{}") ",\"required\":[\"b\"],"
	    "\"dependentSchemas\":{\"a\":{\"required\":[\"b\"]}}}", B, 0,
	    { { 0 } }, NULL, NULL },
	{ "minProperties held by required names",
	    OBJ("\"a\":{},\"b\":{}") ",\"required\":[\"a\",\"b\"]}",
	    OBJ("\"a\":{},\"b\":{}") ",\"required\":[\"a\",\"b\"],"
	    "\"minProperties\":2}", B, 0, { { 0 } }, NULL, NULL },

	/* applicators */
	{ "anyOf branch removed",
	    "{\"anyOf\":[" STR "," INT "]}", "{\"anyOf\":[" STR "]}", FULL, 0,
	    { { B, "", "branches-narrowed" } }, "1", NULL },
	{ "anyOf branch added",
	    "{\"anyOf\":[" STR "," INT "]}",
	    "{\"anyOf\":[" STR "," INT ",{\"type\":\"null\"}]}", FULL, 0,
	    { { F, "", "branches-narrowed" } }, NULL, "null" },
	{ "type list as anyOf", "{\"type\":[\"string\",\"null\"]}",
	    "{\"anyOf\":[" STR ",{\"type\":\"null\"}]}", FULL, 0, { { 0 } },
	    NULL, NULL },
	{ "oneOf reordered", "{\"oneOf\":[" STR "," INT "]}",
	    "{\"oneOf\":[" INT "," STR "]}", FULL, 0, { { 0 } }, NULL, NULL },
	{ "oneOf branch added, disjoint",
	    "{\"oneOf\":[" STR "," INT "]}",
	    "{\"oneOf\":[" STR "," INT ",{\"type\":\"null\"}]}", FULL, 0,
	    { { F, "", "branches-narrowed" } }, NULL, "null" },
	{ "oneOf branch widened into another",
	    "{\"oneOf\":[{\"type\":\"integer\",\"minimum\":5},"
	    "{\"type\":\"integer\",\"maximum\":0}]}",
	    "{\"oneOf\":[" INT ",{\"type\":\"integer\",\"maximum\":0}]}",
	    FULL, 0, { { B, "", "branches-changed" },
	    { F, "", "branches-narrowed" } }, "-1", "2" },
	{ "oneOf discriminated by a const, branch added",
	    "{\"type\":\"object\",\"required\":[\"kind\"],\"oneOf\":["
	    "{\"properties\":{\"kind\":{\"const\":\"a\"},\"x\":" STR "}},"
	    "{\"properties\":{\"kind\":{\"const\":\"b\"},\"y\":" INT "}}]}",
	    "{\"type\":\"object\",\"required\":[\"kind\"],\"oneOf\":["
	    "{\"properties\":{\"kind\":{\"const\":\"a\"},\"x\":" STR "}},"
	    "{\"properties\":{\"kind\":{\"const\":\"b\"},\"y\":" INT "}},"
	    "{\"properties\":{\"kind\":{\"const\":\"c\"}}}]}", FULL, 0,
	    { { F, "", "branches-narrowed" } }, NULL, "{\"kind\":\"c\"}" },
	{ "oneOf over overlapping branches, new",
	    "{\"type\":\"integer\"}",
	    "{\"oneOf\":[{\"type\":\"integer\"},{\"minimum\":0}]}", B, 0,
	    { { B, "", "branches-changed" } }, "1", NULL },
	{ "not widened", "{\"not\":" STR "}",
	    "{\"not\":{\"type\":[\"string\",\"null\"]}}", FULL, 0,
	    { { B, "", "not-changed" } }, "null", NULL },
	{ "not implied by the type", STR,
	    "{\"type\":\"string\",\"not\":" INT "}", FULL, 0, { { 0 } },
	    NULL, NULL },
	{ "if/then added, implied",
	    OBJ("\"k\":{},\"x\":{}") ",\"required\":[\"k\",\"x\"]}",
	    OBJ("\"k\":{},\"x\":{}") ",\"required\":[\"k\",\"x\"],"
	    "\"if\":{\"properties\":{\"k\":{\"const\":\"a\"}}},"
	    "\"then\":{\"required\":[\"x\"]}}", FULL, 0, { { 0 } },
	    NULL, NULL },
	{ "if/then added",
	    OBJ("\"k\":{},\"x\":{}") "}",
	    OBJ("\"k\":{},\"x\":{}") ",\"if\":{\"properties\":{\"k\":"
	    "{\"const\":\"a\"}},\"required\":[\"k\"]},"
	    "\"then\":{\"required\":[\"x\"]}}", FULL, 0,
	    { { B, "", "conditional-changed" } }, "{\"k\":\"a\"}", NULL },
	{ "if/then: then tightened",
	    OBJ("\"k\":{},\"x\":{},\"y\":{}") ",\"if\":{\"properties\":"
	    "{\"k\":{\"const\":\"a\"}},\"required\":[\"k\"]},"
	    "\"then\":{\"required\":[\"x\"]}}",
	    OBJ("\"k\":{},\"x\":{},\"y\":{}") ",\"if\":{\"properties\":"
	    "{\"k\":{\"const\":\"a\"}},\"required\":[\"k\"]},"
	    "\"then\":{\"required\":[\"x\",\"y\"]}}", FULL, 0,
	    { { B, "/y", "required-added" } }, "{\"k\":\"a\",\"x\":1}", NULL },
	{ "if/then/else the same",
	    "{\"if\":{\"type\":\"string\"},\"then\":{\"minLength\":1},"
	    "\"else\":{\"type\":\"integer\"}}",
	    "{\"if\":{\"type\":\"string\"},\"then\":{\"minLength\":1},"
	    "\"else\":{\"type\":\"integer\"}}", FULL, 0, { { 0 } },
	    NULL, NULL },
	{ "if/then/else: else widened",
	    "{\"if\":{\"type\":\"string\"},\"then\":{\"minLength\":1},"
	    "\"else\":{\"type\":\"integer\"}}",
	    "{\"if\":{\"type\":\"string\"},\"then\":{\"minLength\":1},"
	    "\"else\":{\"type\":\"number\"}}", FULL, 0,
	    { { F, "", "type-narrowed" } }, NULL, "1.5" },

	/* references */
	{ "shared $defs type changed",
	    "{\"$defs\":{\"n\":" INT "},\"type\":\"object\",\"properties\":"
	    "{\"a\":{\"$ref\":\"#/$defs/n\"},\"b\":{\"$ref\":\"#/$defs/n\"}}}",
	    "{\"$defs\":{\"n\":{\"type\":\"integer\",\"minimum\":0}},"
	    "\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":"
	    "\"#/$defs/n\"},\"b\":{\"$ref\":\"#/$defs/n\"}}}", FULL, 0,
	    { { B, "/a", "bound-tightened" }, { B, "/b", "bound-tightened" } },
	    "{\"b\":-1}", NULL },
	{ "$ref replaced by its target",
	    "{\"$defs\":{\"n\":" INT "},\"properties\":{\"a\":{\"$ref\":"
	    "\"#/$defs/n\"}}}", "{\"properties\":{\"a\":" INT "}}", FULL, 0,
	    { { 0 } }, NULL, NULL },
	{ "recursive tree, the same",
	    OBJ("\"v\":" INT ",\"kids\":{\"type\":\"array\",\"items\":"
	    "{\"$ref\":\"#\"}}") "}",
	    OBJ("\"v\":" INT ",\"kids\":{\"type\":\"array\",\"items\":"
	    "{\"$ref\":\"#\"}}") "}", FULL, 0, { { 0 } }, NULL, NULL },
	{ "recursive tree, leaf tightened",
	    OBJ("\"v\":" INT ",\"kids\":{\"type\":\"array\",\"items\":"
	    "{\"$ref\":\"#\"}}") "}",
	    OBJ("\"v\":{\"type\":\"integer\",\"minimum\":0},\"kids\":"
	    "{\"type\":\"array\",\"items\":{\"$ref\":\"#\"}}") "}", FULL, 0,
	    { { B, "/v", "bound-tightened" },
	    { B, "/kids/*/v", "bound-tightened" } },
	    "{\"v\":1,\"kids\":[{\"v\":-1}]}", NULL },
	{ "recursive through $defs",
	    "{\"$ref\":\"#/$defs/node\",\"$defs\":{\"node\":{\"type\":"
	    "\"object\",\"properties\":{\"next\":{\"$ref\":"
	    "\"#/$defs/node\"},\"s\":" STR "}}}}",
	    "{\"$ref\":\"#/$defs/node\",\"$defs\":{\"node\":{\"type\":"
	    "\"object\",\"properties\":{\"next\":{\"$ref\":"
	    "\"#/$defs/node\"},\"s\":{\"type\":\"string\",\"maxLength\":2}}}}}",
	    FULL, 0, { { B, "/s", "length-tightened" },
	    { B, "/next/s", "length-tightened" } },
	    "{\"next\":{\"s\":\"abc\"}}", NULL },

	/* allOf */
	{ "allOf splitting the same constraints",
	    OBJ("\"a\":" STR ",\"b\":{\"type\":\"integer\",\"minimum\":0}")
	    ",\"required\":[\"a\",\"b\"]}",
	    "{\"type\":\"object\",\"allOf\":[{\"properties\":{\"a\":" STR
	    "},\"required\":[\"a\"]},{\"properties\":{\"b\":" INT
	    "},\"required\":[\"b\"]},{\"properties\":{\"b\":{\"minimum\":0}}}"
	    "]}", FULL, 0, { { 0 } }, NULL, NULL },
	{ "allOf member tightened",
	    "{\"allOf\":[" INT ",{\"minimum\":0}]}",
	    "{\"allOf\":[" INT ",{\"minimum\":1}]}", FULL, 0,
	    { { B, "", "bound-tightened" } }, "0", NULL },

	/* boolean schemas */
	{ "true to false", "true", "false", FULL, 0,
	    { { B, "", "false-schema" } }, "1", NULL },
	{ "false to true", "false", "true", FULL, 0,
	    { { F, "", "false-schema" } }, NULL, "1" },
	{ "true and {}", "true", "{}", FULL, 0, { { 0 } }, NULL, NULL },
	{ "property true to false", "{\"properties\":{\"a\":true}}",
	    "{\"properties\":{\"a\":false}}", FULL, 0,
	    { { B, "/a", "false-schema" } }, "{\"a\":1}", NULL },
	{ "property false to removed, closed",
	    "{\"properties\":{\"a\":false},\"additionalProperties\":false}",
	    "{\"additionalProperties\":false}", FULL, 0, { { 0 } },
	    NULL, NULL },
};

START_TEST(table)
{
	const struct ccase *t = &cases[_i];
	struct rta_schema *o = load(t->old, t->flags);
	struct rta_schema *n = load(t->new, t->flags);
	struct rta_compat c;
	long r;

	rta_compat_init(&c);
	r = rta_compat_compare(&c, o, n, t->mode);
	ck_assert_msg(r == (long)c.n, "%s: returned %ld for %zu changes",
	    t->name, r, c.n);
	expect(&c, t->w, t->name);
	if (t->wb != NULL)
		ck_assert_msg(valid(o, t->wb) && !valid(n, t->wb), "%s: %s is "
		    "no backward witness", t->name, t->wb);
	if (t->wf != NULL)
		ck_assert_msg(valid(n, t->wf) && !valid(o, t->wf), "%s: %s is "
		    "no forward witness", t->name, t->wf);
	rta_compat_release(&c);
	ck_assert_ptr_null(c.c);
	ck_assert_uint_eq(c.n, 0);
	rta_schema_free(o);
	rta_schema_free(n);
}
END_TEST

/* A case's direction is the other direction with the sides swapped. */
START_TEST(table_swapped)
{
	const struct ccase *t = &cases[_i];
	struct rta_schema *o = load(t->old, t->flags);
	struct rta_schema *n = load(t->new, t->flags);
	struct rta_compat a, b;
	size_t i, j, pa, pb;
	const char *sa, *sb;

	rta_compat_init(&a);
	rta_compat_init(&b);
	ck_assert_int_ge(rta_compat_compare(&a, o, n, FULL), 0);
	ck_assert_int_ge(rta_compat_compare(&b, n, o, FULL), 0);
	ck_assert_uint_eq(a.n, b.n);
	for (i = 0; i < a.n; i++) {
		sa = rta_compat_path(&a, i, &pa);
		for (j = 0; j < b.n; j++) {
			sb = rta_compat_path(&b, j, &pb);
			if (a.c[i].direction != b.c[j].direction &&
			    pa == pb && memcmp(sa, sb, pa) == 0 &&
			    strcmp(a.c[i].reason, b.c[j].reason) == 0)
				break;
		}
		ck_assert_msg(j < b.n, "%s: %s '%.*s' %s has no mirror",
		    t->name, rta_compat_direction_name(a.c[i].direction),
		    (int)pa, sa, a.c[i].reason);
	}
	rta_compat_release(&a);
	rta_compat_release(&b);
	rta_schema_free(o);
	rta_schema_free(n);
}
END_TEST

/* ------------------------------------------------- identical schemas */

static const char *const same[] = {
	"true", "false", "{}",
	OBJ("\"a\":" STR ",\"n\":{\"type\":\"integer\",\"minimum\":0,"
	"\"exclusiveMaximum\":100,\"multipleOf\":5}") ",\"required\":[\"a\"],"
	"\"additionalProperties\":false}",
	"{\"type\":\"array\",\"prefixItems\":[" STR "],\"items\":" INT ","
	"\"contains\":" INT ",\"minContains\":1,\"maxContains\":3,"
	"\"uniqueItems\":true,\"maxItems\":9}",
	"{\"type\":\"string\",\"pattern\":\"^[a-z]+$\",\"minLength\":1,"
	"\"maxLength\":9,\"enum\":[\"ab\",\"cd\"]}",
	"{\"oneOf\":[" STR "," INT ",{\"type\":\"object\",\"required\":"
	"[\"k\"]}]}",
	"{\"anyOf\":[" STR "," INT "],\"not\":{\"const\":\"x\"}}",
	"{\"if\":{\"properties\":{\"k\":{\"const\":1}}},\"then\":{\"required\":"
	"[\"x\"]},\"else\":{\"required\":[\"y\"]}}",
	"{\"type\":\"object\",\"patternProperties\":{\"^x-\":" STR "},"
	"\"propertyNames\":{\"maxLength\":8},\"dependentRequired\":{\"a\":"
	"[\"b\"]},\"dependentSchemas\":{\"c\":{\"required\":[\"d\"]}},"
	"\"minProperties\":1,\"maxProperties\":5}",
	"{\"$defs\":{\"t\":{\"type\":\"object\",\"properties\":{\"l\":"
	"{\"$ref\":\"#/$defs/t\"},\"r\":{\"$ref\":\"#/$defs/t\"}}}},\"$ref\":"
	"\"#/$defs/t\"}",
	"{\"type\":\"object\",\"additionalProperties\":{\"$ref\":\"#\"}}",
};

START_TEST(identical)
{
	static const unsigned modes[] = { B, F, FULL };
	struct rta_schema *o = load(same[_i], FMT);
	struct rta_schema *n = load(same[_i], FMT);
	struct rta_compat c;
	size_t m;

	rta_compat_init(&c);
	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
		ck_assert_int_eq(rta_compat_compare(&c, o, n, modes[m]), 0);
		ck_assert_msg(c.n == 0, "%s: %s", same[_i], listing(&c));
		/* and against itself */
		ck_assert_int_eq(rta_compat_compare(&c, o, o, modes[m]), 0);
	}
	rta_compat_release(&c);
	rta_schema_free(o);
	rta_schema_free(n);
}
END_TEST

/* ------------------------------------------------- records and bounds */

START_TEST(change_fields)
{
	struct rta_schema *o = load(OBJ("\"a\":" STR) "}", 0);
	struct rta_schema *n = load(OBJ("\"a\":{\"type\":\"string\","
	    "\"maxLength\":3}") ",\"required\":[\"a\"]}", 0);
	struct rta_compat c;
	const char *s;
	size_t len, i;

	rta_compat_init(&c);
	ck_assert_int_eq(rta_compat_compare(&c, o, n, B), 2);
	for (i = 0; i < c.n; i++) {
		ck_assert_uint_eq(c.c[i].direction, B);
		ck_assert_ptr_eq(c.c[i].schema, n);
		s = rta_compat_path(&c, i, &len);
		ck_assert_uint_eq(len, 2);
		ck_assert_int_eq(memcmp(s, "/a", 2), 0);
		s = rta_compat_message(&c, i, &len);
		ck_assert_uint_gt(len, 10);
		if (strcmp(c.c[i].reason, "required-added") == 0) {
			ck_assert_str_eq(c.c[i].keyword, "required");
			ck_assert_ptr_eq(c.c[i].node, n->root);
			ck_assert_int_eq(memcmp(s, "'a' is required in new "
			    "but not in old", len), 0);
		} else {
			ck_assert_str_eq(c.c[i].reason, "length-tightened");
			ck_assert_str_eq(c.c[i].keyword, "maxLength");
			ck_assert_str_eq(c.c[i].node->loc, "/properties/a");
		}
	}
	/* a second pair adds to the list */
	ck_assert_int_eq(rta_compat_compare(&c, n, o, F), 2);
	ck_assert_uint_eq(c.n, 4);
	ck_assert_uint_eq(c.c[3].direction, F);
	ck_assert_ptr_eq(c.c[3].schema, n);
	rta_compat_release(&c);
	rta_schema_free(o);
	rta_schema_free(n);
}
END_TEST

START_TEST(names_and_modes)
{
	ck_assert_uint_eq(rta_compat_mode_parse("backward"), B);
	ck_assert_uint_eq(rta_compat_mode_parse("forward"), F);
	ck_assert_uint_eq(rta_compat_mode_parse("full"), FULL);
	ck_assert_uint_eq(rta_compat_mode_parse("Full"), 0);
	ck_assert_uint_eq(rta_compat_mode_parse(""), 0);
	ck_assert_str_eq(rta_compat_direction_name(B), "backward");
	ck_assert_str_eq(rta_compat_direction_name(F), "forward");
	ck_assert_str_eq(rta_compat_direction_name(FULL), "full");
	ck_assert_ptr_null(rta_compat_direction_name(0));
	ck_assert_ptr_null(rta_compat_direction_name(4));
}
END_TEST

/* More than RTA_COMPAT_MAX_CHANGES: kept up to it, the rest counted. */
START_TEST(many_changes)
{
	struct rta_buf a, b;
	struct rta_schema *o, *n, *o1, *n1;
	struct rta_compat c;
	int i, extra = 40;

	/* two changes per property: type and minimum */
	rta_buf_init(&a);
	rta_buf_init(&b);
	rta_buf_adds(&a, "{\"type\":\"object\",\"properties\":{");
	rta_buf_adds(&b, "{\"type\":\"object\",\"properties\":{");
	for (i = 0; i < (RTA_COMPAT_MAX_CHANGES + extra) / 2; i++) {
		rta_buf_printf(&a, "%s\"p%d\":{}", i ? "," : "", i);
		rta_buf_printf(&b, "%s\"p%d\":{\"type\":\"integer\","
		    "\"minimum\":0}", i ? "," : "", i);
	}
	rta_buf_adds(&a, "}}");
	rta_buf_adds(&b, "}}");
	rta_buf_addc(&a, '\0');
	rta_buf_addc(&b, '\0');
	o = load((const char *)a.data, 0);
	n = load((const char *)b.data, 0);
	o1 = load(STR, 0);
	n1 = load(INT, 0);
	rta_compat_init(&c);
	ck_assert_int_eq(rta_compat_compare(&c, o, n, B),
	    RTA_COMPAT_MAX_CHANGES + extra);
	ck_assert_uint_eq(c.n, RTA_COMPAT_MAX_CHANGES);
	ck_assert_uint_eq(c.more, (uint64_t)extra);
	/* a full list still says how many a later pair has */
	ck_assert_int_eq(rta_compat_compare(&c, o1, n1, B), 1);
	ck_assert_uint_eq(c.more, (uint64_t)extra + 1);
	ck_assert_int_eq(rta_compat_compare(&c, o1, o1, B), 0);
	rta_compat_release(&c);
	rta_schema_free(o);
	rta_schema_free(n);
	rta_schema_free(o1);
	rta_schema_free(n1);
	rta_buf_release(&a);
	rta_buf_release(&b);
}
END_TEST

/* Past 64 nested levels the comparison stops and says so, once. */
START_TEST(too_deep)
{
	struct rta_buf a;
	struct rta_schema *o, *n;
	struct rta_compat c;
	int i, depth = 80;

	/* a chain of $defs, each a member holding the next */
	rta_buf_init(&a);
	rta_buf_adds(&a, "{\"$ref\":\"#/$defs/d0\",\"$defs\":{");
	for (i = 0; i < depth; i++)
		rta_buf_printf(&a, "\"d%d\":{\"properties\":{\"a\":"
		    "{\"$ref\":\"#/$defs/d%d\"}}},", i, i + 1);
	rta_buf_printf(&a, "\"d%d\":{}}}", depth);
	rta_buf_addc(&a, '\0');
	o = load((const char *)a.data, 0);
	n = load((const char *)a.data, 0);
	rta_compat_init(&c);
	ck_assert_int_eq(rta_compat_compare(&c, o, n, FULL), 2);
	ck_assert_str_eq(c.c[0].reason, "too-complex");
	ck_assert_str_eq(c.c[1].reason, "too-complex");
	ck_assert_uint_eq(c.c[0].direction, B);
	ck_assert_uint_eq(c.c[1].direction, F);
	rta_compat_release(&c);
	rta_schema_free(o);
	rta_schema_free(n);
	rta_buf_release(&a);
}
END_TEST

/* rta_sparts_of: a node, its $ref and its allOf members, once each. */
START_TEST(parts)
{
	struct rta_schema *s = load("{\"$defs\":{\"d\":{\"allOf\":[" INT
	    ",{\"$ref\":\"#/$defs/e\"}]},\"e\":{\"minimum\":0}},"
	    "\"allOf\":[{\"$ref\":\"#/$defs/d\"},{\"$ref\":\"#/$defs/e\"}]}",
	    0);
	struct rta_schema *f = load("{\"allOf\":[true,false]}", 0);
	struct rta_sparts p;

	rta_sparts_of(&p, s->root);
	/* root, ref d, d, int, ref e, e, ref e (second) */
	ck_assert_uint_eq(p.len, 7);
	ck_assert_ptr_eq(p.n[0], s->root);
	ck_assert_int_eq(p.none, 0);
	rta_sparts_add(&p, s->root);
	ck_assert_uint_eq(p.len, 7);
	rta_sparts_of(&p, f->root);
	ck_assert_uint_eq(p.len, 3);
	ck_assert_int_eq(p.none, 1);
	rta_schema_free(s);
	rta_schema_free(f);
}
END_TEST

/* ---------------------------------------------- allocation failures */

static int
fault_child(unsigned long n)
{
	static const char *const old = OBJ("\"a\":" STR ",\"b\":{\"oneOf\":["
	    STR "," INT "]}") ",\"additionalProperties\":false}";
	static const char *const new = OBJ("\"a\":{\"type\":\"string\","
	    "\"maxLength\":3},\"b\":{\"oneOf\":[" STR "," INT ",{\"type\":"
	    "\"null\"}]},\"c\":{}") ",\"required\":[\"c\"],"
	    "\"additionalProperties\":false}";
	struct rta_schema_problems ps;
	struct rta_schema *o, *s;
	struct rta_compat c;
	char spec[64];
	long r;
	void *p;

	snprintf(spec, sizeof(spec), "alloc:%lu:persistent", n);
	setenv("RTA_FAULT", spec, 1);
	rta_schema_problems_init(&ps);
	o = rta_schema_load(old, strlen(old), "o", 0, &ps);
	s = rta_schema_load(new, strlen(new), "n", 0, &ps);
	rta_schema_problems_release(&ps);
	if (o == NULL || s == NULL) {
		rta_schema_free(o);
		rta_schema_free(s);
		return 1;
	}
	rta_compat_init(&c);
	r = rta_compat_compare(&c, o, s, FULL);
	/* backward: maxLength, required; forward: oneOf, property c */
	if (r != -1 && r != 4)
		return 11;
	rta_compat_release(&c);
	rta_schema_free(o);
	rta_schema_free(s);
	if (r == -1)
		return 1;
	if ((p = rta_malloc(1)) == NULL)
		return 1;
	rta_free(p);
	return n == 1 ? 12 : 0;
}

START_TEST(allocation_failures)
{
	unsigned long n;

	n = unit_alloc_failures(fault_child, NULL);
	ck_assert_uint_gt(n, 10);
}
END_TEST

/* ------------------------------------------------------- soundness */

/* splitmix64 */
static uint64_t
rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * The generator writes two schemas at once, old (side 1) and new (side
 * 2): each keyword is mostly the same on both, sometimes on one side
 * only or different, so that many pairs differ a little.
 */
#define GEN_DEPTH	16

struct gen {
	uint64_t	 s;
	struct rta_buf	 out[2];
	int		 first[2][GEN_DEPTH];
	int		 lvl[2];
	int		 deep;		/* depth from which leaves only */
};

static unsigned
rnd(struct gen *g, unsigned n)
{
	return (unsigned)(rng_next(&g->s) % n);
}

static int
chance(struct gen *g, unsigned pct)
{
	return rnd(g, 100) < pct;
}

static void
emit(struct gen *g, unsigned mask, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
emit(struct gen *g, unsigned mask, const char *fmt, ...)
{
	va_list ap;
	char buf[256];
	int i;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (i = 0; i < 2; i++)
		if (mask & (1u << i))
			rta_buf_adds(&g->out[i], buf);
}

static void
open_obj(struct gen *g, unsigned mask)
{
	int i;

	emit(g, mask, "{");
	for (i = 0; i < 2; i++)
		if (mask & (1u << i))
			g->first[i][++g->lvl[i]] = 1;
}

static void
close_obj(struct gen *g, unsigned mask)
{
	int i;

	emit(g, mask, "}");
	for (i = 0; i < 2; i++)
		if (mask & (1u << i))
			g->lvl[i]--;
}

/* A member name, after the comma its side needs. */
static void
key(struct gen *g, unsigned mask, const char *k)
{
	int i;

	for (i = 0; i < 2; i++)
		if (mask & (1u << i)) {
			if (!g->first[i][g->lvl[i]])
				rta_buf_adds(&g->out[i], ",");
			g->first[i][g->lvl[i]] = 0;
			rta_buf_printf(&g->out[i], "\"%s\":", k);
		}
}

static const char *const gvalues[] = { "null", "true", "false", "0", "1",
    "2", "-1", "1.5", "\"\"", "\"a\"", "\"b\"", "\"ab\"", "[]", "{}" };
static const char *const gtypes[] = { "null", "boolean", "object",
    "array", "number", "integer", "string" };
static const char *const gbounds[] = { "-1", "0", "0.5", "1", "2" };
static const char *const gmults[] = { "1", "2", "4", "0.5" };
static const char *const gpats[] = { "^a", "a", "b$", "^[ab]*$" };
static const char *const gkeys[] = { "a", "b", "c" };

#define GN(a)	((unsigned)(sizeof(a) / sizeof((a)[0])))

static void	gschema(struct gen *, unsigned, int);

typedef void	kwfn(struct gen *, unsigned, int);

/* Keyword fn on the sides in mask, with probability pct on each. */
static void
maybe(struct gen *g, unsigned mask, int depth, unsigned pct, kwfn *fn)
{
	unsigned m = 0;

	if (mask == 3 && chance(g, 85)) {
		if (!chance(g, pct))
			return;
		if (chance(g, 85))
			fn(g, 3, depth);
		else {
			fn(g, 1, depth);
			fn(g, 2, depth);
		}
		return;
	}
	if ((mask & 1) && chance(g, pct))
		m |= 1;
	if ((mask & 2) && chance(g, pct))
		m |= 2;
	if (m & 1)
		fn(g, 1, depth);
	if (m & 2)
		fn(g, 2, depth);
}

static void
k_type(struct gen *g, unsigned m, int d)
{
	unsigned a = rnd(g, GN(gtypes)), b = rnd(g, GN(gtypes));

	(void)d;
	key(g, m, "type");
	if (chance(g, 50))
		emit(g, m, "\"%s\"", gtypes[a]);
	else
		emit(g, m, "[\"%s\",\"%s\"]", gtypes[a], gtypes[a == b ?
		    (b + 1) % GN(gtypes) : b]);
}

static void
k_enum(struct gen *g, unsigned m, int d)
{
	unsigned n = 1 + rnd(g, 3), i, j, v[3];

	(void)d;
	if (chance(g, 30)) {
		key(g, m, "const");
		emit(g, m, "%s", gvalues[rnd(g, GN(gvalues))]);
		return;
	}
	key(g, m, "enum");
	emit(g, m, "[");
	for (i = 0; i < n; i++) {
		v[i] = rnd(g, GN(gvalues));
		for (j = 0; j < i; j++)
			if (v[j] == v[i])
				break;
		if (j == i)
			emit(g, m, "%s%s", i ? "," : "", gvalues[v[i]]);
	}
	emit(g, m, "]");
}

static void
k_num(struct gen *g, unsigned m, int d)
{
	static const char *const kw[] = { "minimum", "maximum",
	    "exclusiveMinimum", "exclusiveMaximum", "multipleOf" };
	unsigned k = rnd(g, GN(kw));

	(void)d;
	key(g, m, kw[k]);
	emit(g, m, "%s", k == 4 ? gmults[rnd(g, GN(gmults))] :
	    gbounds[rnd(g, GN(gbounds))]);
}

static void
k_str(struct gen *g, unsigned m, int d)
{
	unsigned k = rnd(g, 3);

	(void)d;
	if (k == 2) {
		key(g, m, "pattern");
		emit(g, m, "\"%s\"", gpats[rnd(g, GN(gpats))]);
		return;
	}
	key(g, m, k ? "maxLength" : "minLength");
	emit(g, m, "%u", rnd(g, 3));
}

static void
k_props(struct gen *g, unsigned m, int d)
{
	unsigned i, s;

	key(g, m, "properties");
	open_obj(g, m);
	for (i = 0; i < GN(gkeys); i++) {
		s = 0;
		if (m == 3 && chance(g, 80))
			s = chance(g, 50) ? 3 : 0;
		else {
			if ((m & 1) && chance(g, 50))
				s |= 1;
			if ((m & 2) && chance(g, 50))
				s |= 2;
		}
		if (s == 0)
			continue;
		key(g, s, gkeys[i]);
		gschema(g, s, d + 1);
	}
	close_obj(g, m);
}

static void
k_required(struct gen *g, unsigned m, int d)
{
	unsigned i;
	int any = 0;

	(void)d;
	key(g, m, "required");
	emit(g, m, "[");
	for (i = 0; i < GN(gkeys); i++)
		if (chance(g, 40)) {
			emit(g, m, "%s\"%s\"", any ? "," : "", gkeys[i]);
			any = 1;
		}
	emit(g, m, "]");
}

static void
k_addl(struct gen *g, unsigned m, int d)
{
	key(g, m, "additionalProperties");
	if (chance(g, 50))
		emit(g, m, "false");
	else
		gschema(g, m, d + 1);
}

static void
k_patprops(struct gen *g, unsigned m, int d)
{
	key(g, m, "patternProperties");
	open_obj(g, m);
	key(g, m, chance(g, 50) ? "^a" : "^[bc]");
	gschema(g, m, d + 1);
	close_obj(g, m);
}

static void
k_objmisc(struct gen *g, unsigned m, int d)
{
	switch (rnd(g, 5)) {
	case 0:
		key(g, m, "propertyNames");
		emit(g, m, "%s", chance(g, 50) ? "{\"maxLength\":1}" :
		    "{\"pattern\":\"^[ab]$\"}");
		break;
	case 1:
		key(g, m, chance(g, 50) ? "minProperties" : "maxProperties");
		emit(g, m, "%u", rnd(g, 3));
		break;
	case 2:
		key(g, m, "dependentRequired");
		emit(g, m, "{\"a\":[\"b\"]}");
		break;
	default:
		key(g, m, "dependentSchemas");
		open_obj(g, m);
		key(g, m, gkeys[rnd(g, GN(gkeys))]);
		gschema(g, m, d + 1);
		close_obj(g, m);
		break;
	}
}

static void
k_items(struct gen *g, unsigned m, int d)
{
	if (chance(g, 30)) {
		key(g, m, "prefixItems");
		emit(g, m, "[");
		gschema(g, m, d + 1);
		if (chance(g, 50)) {
			emit(g, m, ",");
			gschema(g, m, d + 1);
		}
		emit(g, m, "]");
		return;
	}
	key(g, m, "items");
	gschema(g, m, d + 1);
}

static void
k_arrmisc(struct gen *g, unsigned m, int d)
{
	switch (rnd(g, 4)) {
	case 0:
		key(g, m, chance(g, 50) ? "minItems" : "maxItems");
		emit(g, m, "%u", rnd(g, 3));
		break;
	case 1:
		key(g, m, "uniqueItems");
		emit(g, m, "true");
		break;
	default:
		key(g, m, "contains");
		gschema(g, m, d + 1);
		if (chance(g, 40)) {
			key(g, m, chance(g, 50) ? "minContains" :
			    "maxContains");
			emit(g, m, "%u", rnd(g, 3));
		}
		break;
	}
}

static void
k_apply(struct gen *g, unsigned m, int d)
{
	static const char *const kw[] = { "allOf", "anyOf", "oneOf" };
	unsigned k = rnd(g, 5), n, i;

	if (k < 3) {
		key(g, m, kw[k]);
		emit(g, m, "[");
		n = 1 + rnd(g, 3);
		for (i = 0; i < n; i++) {
			if (i)
				emit(g, m, ",");
			gschema(g, m, d + 1);
		}
		emit(g, m, "]");
	} else if (k == 3) {
		key(g, m, "not");
		gschema(g, m, d + 1);
	} else {
		key(g, m, "if");
		gschema(g, m, d + 1);
		if (chance(g, 80)) {
			key(g, m, "then");
			gschema(g, m, d + 1);
		}
		if (chance(g, 60)) {
			key(g, m, "else");
			gschema(g, m, d + 1);
		}
	}
}

static void
k_ref(struct gen *g, unsigned m, int d)
{
	key(g, m, "$ref");
	emit(g, m, "%s", d > 0 && chance(g, 50) ? "\"#\"" : "\"#/$defs/d\"");
}

static void
gschema(struct gen *g, unsigned mask, int depth)
{
	int i;

	if (chance(g, 8)) {
		if (mask == 3 && chance(g, 80))
			emit(g, 3, "%s", chance(g, 80) ? "true" : "false");
		else
			for (i = 0; i < 2; i++)
				if (mask & (1u << i))
					emit(g, 1u << i, "%s", chance(g, 80) ?
					    "true" : "false");
		return;
	}
	open_obj(g, mask);
	maybe(g, mask, depth, 40, k_type);
	maybe(g, mask, depth, 10, k_enum);
	maybe(g, mask, depth, 15, k_num);
	maybe(g, mask, depth, 15, k_str);
	if (depth < g->deep) {
		maybe(g, mask, depth, 40, k_props);
		maybe(g, mask, depth, 15, k_addl);
		maybe(g, mask, depth, 8, k_patprops);
		maybe(g, mask, depth, 12, k_items);
		maybe(g, mask, depth, 15, k_apply);
		maybe(g, mask, depth, 6, k_ref);
	}
	maybe(g, mask, depth, 20, k_required);
	maybe(g, mask, depth, 10, k_objmisc);
	maybe(g, mask, depth, 10, k_arrmisc);
	close_obj(g, mask);
}

/* A pair of schemas, both with a $defs/d (maybe different). */
static void
gen_pair(struct gen *g)
{
	g->out[0].len = g->out[1].len = 0;
	g->lvl[0] = g->lvl[1] = 0;
	g->deep = 2 + (int)rnd(g, 2);
	emit(g, 3, "{\"allOf\":[");
	gschema(g, 3, 0);
	emit(g, 3, "],\"$defs\":{\"d\":");
	gschema(g, 3, 1);
	emit(g, 3, "}}");
}

static const char *const gsvals[] = { "\"\"", "\"a\"", "\"b\"", "\"ab\"",
    "\"ba\"", "\"c\"", "\"aa\"" };
static const char *const gnvals[] = { "0", "1", "2", "-1", "1.5", "0.5",
    "4", "3" };
static const char *const gikeys[] = { "a", "b", "c", "x" };

static void
gvalue(struct gen *g, struct rta_buf *b, int depth)
{
	unsigned n, i;

	switch (rnd(g, depth >= 3 ? 4 : 6)) {
	case 0:
		rta_buf_adds(b, rnd(g, 3) == 0 ? "null" : rnd(g, 2) ? "true" :
		    "false");
		break;
	case 1:
		rta_buf_adds(b, gnvals[rnd(g, GN(gnvals))]);
		break;
	case 2:
	case 3:
		rta_buf_adds(b, gsvals[rnd(g, GN(gsvals))]);
		break;
	case 4:
		n = rnd(g, 4);
		rta_buf_adds(b, "[");
		for (i = 0; i < n; i++) {
			if (i)
				rta_buf_adds(b, ",");
			gvalue(g, b, depth + 1);
		}
		rta_buf_adds(b, "]");
		break;
	default:
		rta_buf_adds(b, "{");
		for (n = 0, i = 0; i < GN(gikeys); i++)
			if (chance(g, 40)) {
				rta_buf_printf(b, "%s\"%s\":", n++ ? "," : "",
				    gikeys[i]);
				gvalue(g, b, depth + 1);
			}
		rta_buf_adds(b, "}");
		break;
	}
}

/*
 * The rule of rta_compat.h, as a filter on instances: every member of
 * every object is one the schema declares at that place (names it,
 * matches it by a pattern, or gives it a schema of substance through
 * additionalProperties), in a node that applies there or in a branch.
 */
static int
trivial_node(const struct rta_snode *n)
{
	struct rta_sparts p;
	size_t i;

	rta_sparts_of(&p, n);
	for (i = 0; i < p.len; i++) {
		const struct rta_snode *x = p.n[i];

		if (x->kw != 0 && x->kw != RTA_SK_APPLY)
			return 0;
		if (x->nany_of || x->none_of || x->not_ || x->then_ ||
		    x->else_)
			return 0;
	}
	return 1;
}

static void
ext_add(struct rta_sparts *e, const struct rta_snode *n)
{
	size_t i, j;

	rta_sparts_add(e, n);
	for (i = 0; i < e->len; i++) {
		const struct rta_snode *x = e->n[i];

		for (j = 0; j < x->nany_of; j++)
			rta_sparts_add(e, x->any_of[j]);
		for (j = 0; j < x->none_of; j++)
			rta_sparts_add(e, x->one_of[j]);
		rta_sparts_add(e, x->then_);
		rta_sparts_add(e, x->else_);
		for (j = 0; j < x->nprops; j++)
			rta_sparts_add(e, x->props[j].dep_schema);
	}
}

static int
declared_member(const struct rta_sparts *e, const char *k, size_t kl,
    struct rta_sparts *c)
{
	size_t i, j;
	int ok = 0;

	c->len = 0;
	c->none = 0;
	for (i = 0; i < e->len; i++) {
		const struct rta_snode *x = e->n[i];
		const struct rta_sprop *p = x->nprops ?
		    rta_snode_prop(x, k, kl) : NULL;
		int decl = p != NULL && (p->flags & RTA_SP_DECLARED);
		int matched = 0;

		if (p != NULL)
			ok = 1;
		if (decl)
			ext_add(c, p->schema);
		for (j = 0; j < x->npatterns; j++)
			if (rta_regex_search(x->patterns[j].re, k, kl)) {
				matched = ok = 1;
				ext_add(c, x->patterns[j].schema);
			}
		if (!decl && !matched && x->additional != NULL) {
			ext_add(c, x->additional);
			if (!(x->additional->kw & RTA_SK_FALSE) &&
			    !trivial_node(x->additional))
				ok = 1;
		}
	}
	return ok;
}

static int
written_under(const struct rta_sparts *e, const unsigned char *v, int depth)
{
	struct rta_sparts c;
	struct rta_viter it;
	const unsigned char *m;
	const char *k;
	size_t kl, i, idx = 0;

	if (v[0] == RTA_V_OBJECT) {
		rta_viter_init(&it, v);
		while (rta_viter_member(&it, &k, &kl, &m))
			if (!declared_member(e, k, kl, &c) ||
			    !written_under(&c, m, depth + 1))
				return 0;
	} else if (v[0] == RTA_V_ARRAY) {
		rta_viter_init(&it, v);
		while (rta_viter_item(&it, &m)) {
			c.len = 0;
			c.none = 0;
			for (i = 0; i < e->len; i++)
				ext_add(&c, idx < e->n[i]->nprefix ?
				    e->n[i]->prefix[idx] : e->n[i]->items);
			if (!written_under(&c, m, depth + 1))
				return 0;
			idx++;
		}
	}
	return 1;
}

static struct rta_schema *
load_gen(const struct rta_buf *b)
{
	struct rta_schema_problems ps;
	struct rta_schema *s;

	rta_schema_problems_init(&ps);
	s = rta_schema_load(b->data, b->len, "gen", 0, &ps);
	rta_schema_problems_release(&ps);
	return s;
}

#define SOUND_PAIRS	3000
#define SOUND_VALUES	150

struct sound {
	struct gen		 g;
	struct rta_validator	 v;
	struct rta_json		 j;
	struct rta_buf		 text, val;
	long			 quiet, tested;
};

/*
 * Instances of wide that have only its declared members must be
 * instances of narrow; none may be a counterexample.
 */
static void
sound_side(struct sound *s, const struct rta_schema *wide,
    const struct rta_schema *narrow, const char *dir)
{
	struct rta_sparts e;
	struct rta_error err;
	int i;

	e.len = 0;
	e.none = 0;
	ext_add(&e, wide->root);
	for (i = 0; i < SOUND_VALUES; i++) {
		s->text.len = 0;
		gvalue(&s->g, &s->text, 0);
		s->val.len = 0;
		ck_assert_int_eq(rta_json_document(&s->j, s->text.data,
		    s->text.len, &s->val, &err), RTA_OK);
		if (!rta_validate_quick(&s->v, wide, s->val.data) ||
		    !written_under(&e, s->val.data, 0))
			continue;
		s->tested++;
		ck_assert_msg(rta_validate_quick(&s->v, narrow, s->val.data),
		    "no %s change reported, but %.*s is valid under\n"
		    "old %.*s\nand not under\nnew %.*s", dir,
		    (int)s->text.len, (const char *)s->text.data,
		    (int)s->g.out[0].len, (const char *)s->g.out[0].data,
		    (int)s->g.out[1].len, (const char *)s->g.out[1].data);
	}
}

START_TEST(soundness)
{
	struct sound s;
	struct rta_compat c, r;
	struct rta_schema *o, *n;
	long p, loaded = 0, differ = 0, nb, nf, ns;

	memset(&s, 0, sizeof(s));
	s.g.s = 0x5eed0001u + (uint64_t)_i;
	rta_buf_init(&s.g.out[0]);
	rta_buf_init(&s.g.out[1]);
	rta_buf_init(&s.text);
	rta_buf_init(&s.val);
	rta_validator_init(&s.v);
	rta_json_init(&s.j);
	for (p = 0; p < SOUND_PAIRS; p++) {
		gen_pair(&s.g);
		if ((o = load_gen(&s.g.out[0])) == NULL)
			continue;
		if ((n = load_gen(&s.g.out[1])) == NULL) {
			rta_schema_free(o);
			continue;
		}
		loaded++;
		rta_compat_init(&c);
		rta_compat_init(&r);
		/* counts include changes past RTA_COMPAT_MAX_CHANGES */
		ck_assert_int_ge((nb = rta_compat_compare(&c, o, n, B)), 0);
		ck_assert_int_ge((nf = rta_compat_compare(&c, o, n, F)), 0);
		/* forward is backward with the sides swapped */
		ck_assert_int_ge((ns = rta_compat_compare(&r, n, o, B)), 0);
		ck_assert_msg(nf == ns, "forward %ld, backward swapped %ld: "
		    "%s\nold %.*s\nnew %.*s", nf, ns, listing(&r),
		    (int)s.g.out[0].len, (const char *)s.g.out[0].data,
		    (int)s.g.out[1].len, (const char *)s.g.out[1].data);
		if (s.g.out[0].len != s.g.out[1].len ||
		    memcmp(s.g.out[0].data, s.g.out[1].data,
		    s.g.out[0].len) != 0)
			differ++;
		if (nb == 0) {
			s.quiet++;
			sound_side(&s, o, n, "backward");
		}
		if (nf == 0) {
			s.quiet++;
			sound_side(&s, n, o, "forward");
		}
		rta_compat_release(&c);
		rta_compat_release(&r);
		rta_schema_free(o);
		rta_schema_free(n);
	}
	/* the generator must give the test something to chew on */
	ck_assert_int_gt(loaded, SOUND_PAIRS * 8 / 10);
	ck_assert_int_gt(differ, SOUND_PAIRS / 3);
	ck_assert_int_gt(s.quiet, SOUND_PAIRS / 4);
	ck_assert_int_gt(s.tested, SOUND_PAIRS * 5);
	rta_json_release(&s.j);
	rta_validator_release(&s.v);
	rta_buf_release(&s.g.out[0]);
	rta_buf_release(&s.g.out[1]);
	rta_buf_release(&s.text);
	rta_buf_release(&s.val);
}
END_TEST

/* ------------------------------------------------------------- suite */

static Suite *
compat_suite(void)
{
	Suite *s = suite_create("rta_compat");
	TCase *tc;

	tc = tcase_create("table");
	tcase_add_loop_test(tc, table, 0, NELEM(cases));
	tcase_add_loop_test(tc, table_swapped, 0, NELEM(cases));
	tcase_add_loop_test(tc, identical, 0, NELEM(same));
	suite_add_tcase(s, tc);

	tc = tcase_create("records");
	tcase_add_test(tc, change_fields);
	tcase_add_test(tc, names_and_modes);
	tcase_add_test(tc, many_changes);
	tcase_add_test(tc, too_deep);
	tcase_add_test(tc, parts);
	tcase_add_test(tc, allocation_failures);
	suite_add_tcase(s, tc);

	tc = tcase_create("soundness");
	tcase_set_timeout(tc, 600);
	tcase_add_loop_test(tc, soundness, 0, 4);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(compat_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
