/*
 * check_rta_drift.c: drift profiles and what payloads make of them.
 *
 * Each case builds a profile from a schema, feeds payloads and compares
 * every finding rta_drift_report gives (kind, path, count, of, types,
 * required; in report order) with the list the case expects.  The bound
 * tests check RTA_DRIFT_MAX_UNDECLARED, RTA_DRIFT_MAX_FIELDS and the
 * depth limit, and that a million payloads leave the profile's memory as
 * it was once the distinct paths had been met.
 */
#include <check.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_alloc.h"
#include "rta_buf.h"
#include "rta_drift.h"
#include "rta_json.h"
#include "rta_schema.h"
#include "unit.h"

#if defined(__SANITIZE_ADDRESS__)
size_t	__sanitizer_get_current_allocated_bytes(void);
#endif

#define NELEM(a)	((int)(sizeof(a) / sizeof((a)[0])))

#define UND		RTA_DRIFT_UNDECLARED
#define NEVER		RTA_DRIFT_NEVER_SEEN
#define MIS		RTA_DRIFT_MISMATCH
#define MISS		RTA_DRIFT_MISSING

#define T_NULL		RTA_ST_NULL
#define T_BOOL		RTA_ST_BOOLEAN
#define T_OBJ		RTA_ST_OBJECT
#define T_ARR		RTA_ST_ARRAY
#define T_NUM		(RTA_ST_NUMBER | RTA_ST_INTEGER)
#define T_INT		RTA_ST_INTEGER
#define T_STR		RTA_ST_STRING
#define T_ALL		RTA_ST_ALL

/* ------------------------------------------------------------ helpers */

static struct rta_schema *
load(const char *text)
{
	struct rta_schema_problems ps;
	struct rta_schema *s;

	rta_schema_problems_init(&ps);
	s = rta_schema_load(text, strlen(text), "test.json", 0, &ps);
	ck_assert_msg(s != NULL, "schema does not load: %s: %s (%.200s)",
	    ps.n ? ps.p[0].pointer : "?", ps.n ? ps.p[0].text : "?", text);
	rta_schema_problems_release(&ps);
	return s;
}

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

static void
feed(struct rta_drift *d, const char *text)
{
	struct rta_buf b;

	rta_buf_init(&b);
	value(&b, text);
	ck_assert_int_eq(rta_drift_add(d, b.data), 0);
	rta_buf_release(&b);
}

struct want {
	enum rta_drift_kind	 kind;
	const char		*path;
	uint64_t		 count, of;
	unsigned		 types;		/* declared */
	unsigned		 seen;		/* seen (mismatch) */
	int			 required;
};

#define WANT_MAX	10

struct got {
	struct rta_drift_finding f[64];
	char			 path[64][128];
	size_t			 n;
};

static int
collect(void *arg, const struct rta_drift_finding *f)
{
	struct got *g = arg;

	ck_assert_uint_lt(g->n, 64);
	g->f[g->n] = *f;
	snprintf(g->path[g->n], sizeof(g->path[0]), "%s", f->path);
	g->f[g->n].path = g->path[g->n];
	g->n++;
	return 0;
}

static const char *
listing(const struct got *g)
{
	static char out[4096];
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < g->n && len < sizeof(out) - 200; i++)
		len += (size_t)snprintf(out + len, sizeof(out) - len,
		    "%s%s %s %llu/%llu types %#x seen %#x%s", i ? "; " : "",
		    rta_drift_kind_name(g->f[i].kind), g->f[i].path,
		    (unsigned long long)g->f[i].count,
		    (unsigned long long)g->f[i].of, g->f[i].types,
		    g->f[i].seen_types, g->f[i].required ? " required" : "");
	return g->n ? out : "none";
}

/* The findings are exactly w, in this order. */
static void
expect(const struct rta_drift *d, const struct want *w, const char *name)
{
	struct got g;
	size_t k;

	memset(&g, 0, sizeof(g));
	ck_assert_int_eq(rta_drift_report(d, collect, &g), 0);
	for (k = 0; k < WANT_MAX && w[k].path != NULL; k++) {
		ck_assert_msg(k < g.n, "%s: finding %zu (%s %s) missing; got "
		    "%s", name, k, rta_drift_kind_name(w[k].kind), w[k].path,
		    listing(&g));
		ck_assert_msg(g.f[k].kind == w[k].kind &&
		    strcmp(g.f[k].path, w[k].path) == 0 &&
		    g.f[k].count == w[k].count && g.f[k].of == w[k].of &&
		    (w[k].kind == UND || g.f[k].types == w[k].types) &&
		    g.f[k].seen_types == w[k].seen &&
		    g.f[k].required == w[k].required,
		    "%s: finding %zu: want %s %s %llu/%llu types %#x seen %#x "
		    "required %d; got %s", name, k,
		    rta_drift_kind_name(w[k].kind), w[k].path,
		    (unsigned long long)w[k].count,
		    (unsigned long long)w[k].of, w[k].types, w[k].seen,
		    w[k].required, listing(&g));
		if (w[k].kind == UND)
			ck_assert_ptr_null(g.f[k].node);
		else
			ck_assert_ptr_nonnull(g.f[k].node);
	}
	ck_assert_msg(k == g.n, "%s: %zu findings expected; got %s", name, k,
	    listing(&g));
}

/* ------------------------------------------------------------- table */

struct dcase {
	const char	*name;
	const char	*schema;
	const char	*payloads[6];
	struct want	 w[WANT_MAX];
};

static const struct dcase cases[] = {
	{ "nested objects",
	    "{\"type\":\"object\",\"properties\":{\"user\":{\"type\":"
	    "\"object\",\"properties\":{\"id\":{\"type\":\"string\"},"
	    "\"age\":{\"type\":\"integer\"}},\"required\":[\"id\"]},"
	    "\"n\":{\"type\":\"number\"}},\"required\":[\"user\"]}",
	    { "{\"user\":{\"id\":\"u1\",\"age\":3},\"n\":1}",
	    "{\"user\":{\"id\":\"u2\",\"extra\":true},\"n\":\"x\",\"z\":1}",
	    "{\"user\":{\"id\":5}}" },
	    { { UND, "/user/extra", 1, 3, 0, 0, 0 },
	    { UND, "/z", 1, 3, 0, 0, 0 },
	    { MIS, "/n", 1, 2, T_NUM, T_STR, 0 },
	    { MIS, "/user/id", 1, 3, T_STR, T_INT, 1 },
	    { MISS, "/n", 1, 3, T_NUM, 0, 0 },
	    { MISS, "/user/age", 2, 3, T_INT, 0, 0 } } },
	{ "never seen, required or not",
	    "{\"type\":\"object\",\"properties\":{\"a\":{},\"b\":"
	    "{\"type\":\"string\"},\"c\":{\"type\":\"object\",\"properties\":"
	    "{\"d\":{}}}},\"required\":[\"b\"]}",
	    { "{\"a\":1}", "{\"a\":[]}" },
	    { { NEVER, "/b", 0, 2, T_STR, 0, 1 },
	    { NEVER, "/c", 0, 2, T_OBJ, 0, 0 } } },
	{ "missing, required",
	    "{\"type\":\"object\",\"properties\":{\"a\":{}},"
	    "\"required\":[\"a\"]}",
	    { "{\"a\":1}", "{}", "{}" },
	    { { MISS, "/a", 2, 3, T_ALL, 0, 1 } } },
	{ "arrays of objects as *",
	    "{\"type\":\"object\",\"properties\":{\"items\":{\"type\":"
	    "\"array\",\"items\":{\"type\":\"object\",\"properties\":"
	    "{\"sku\":{\"type\":\"string\"},\"qty\":{\"type\":\"integer\"}},"
	    "\"required\":[\"sku\"]}}}}",
	    { "{\"items\":[{\"sku\":\"a\",\"qty\":1},{\"sku\":\"b\",\"note\":"
	    "\"x\"},{\"sku\":\"c\",\"note\":\"y\"},7]}", "{\"items\":[]}" },
	    { { UND, "/items/*/note", 2, 3, 0, 0, 0 },
	    { MIS, "/items/*", 1, 4, T_OBJ, T_INT, 0 },
	    { MISS, "/items/*/qty", 2, 3, T_INT, 0, 0 } } },
	{ "prefixItems and items together",
	    "{\"type\":\"array\",\"prefixItems\":[{\"type\":\"string\"}],"
	    "\"items\":{\"type\":\"integer\"}}",
	    { "[\"a\",1,true]", "[null]" },
	    { { MIS, "/*", 2, 4, T_STR | T_INT, T_BOOL | T_NULL, 0 } } },
	{ "$ref to a shared type",
	    "{\"$defs\":{\"addr\":{\"type\":\"object\",\"properties\":"
	    "{\"city\":{\"type\":\"string\"}},\"additionalProperties\":"
	    "false}},\"properties\":{\"home\":{\"$ref\":\"#/$defs/addr\"},"
	    "\"work\":{\"$ref\":\"#/$defs/addr\"}}}",
	    { "{\"home\":{\"city\":\"x\",\"zip\":1},\"work\":{\"city\":2}}" },
	    { { UND, "/home/zip", 1, 1, 0, 0, 0 },
	    { MIS, "/work/city", 1, 1, T_STR, T_INT, 0 } } },
	{ "items through $ref",
	    "{\"$defs\":{\"p\":{\"type\":\"object\",\"properties\":{\"n\":"
	    "{\"type\":\"string\"}}}},\"type\":\"object\",\"properties\":"
	    "{\"list\":{\"type\":\"array\",\"items\":{\"$ref\":"
	    "\"#/$defs/p\"}}}}",
	    { "{\"list\":[{\"n\":1},7]}" },
	    { { MIS, "/list/*", 1, 2, T_OBJ, T_INT, 0 },
	    { MIS, "/list/*/n", 1, 1, T_STR, T_INT, 0 } } },
	{ "allOf parts declare one object between them",
	    "{\"allOf\":[{\"properties\":{\"o\":{\"type\":\"object\","
	    "\"properties\":{\"x\":{\"type\":\"integer\"}}}},\"required\":"
	    "[\"o\"]},{\"properties\":{\"o\":{\"properties\":{\"y\":"
	    "{\"type\":[\"string\",\"null\"]}}}}},{\"properties\":{\"o\":"
	    "{\"properties\":{\"y\":{\"type\":\"string\"}}}}}]}",
	    { "{\"o\":{\"x\":1,\"y\":null,\"z\":0}}", "{\"o\":[]}" },
	    { { UND, "/o/z", 1, 1, 0, 0, 0 },
	    { MIS, "/o", 1, 2, T_OBJ, T_ARR, 1 },
	    { MIS, "/o/y", 1, 1, T_STR, T_NULL, 0 } } },
	{ "anyOf branches",
	    "{\"type\":\"object\",\"properties\":{\"kind\":{\"type\":"
	    "\"string\"}},\"required\":[\"kind\"],\"anyOf\":[{\"properties\":"
	    "{\"kind\":{\"const\":\"click\"},\"x\":{\"type\":\"integer\"}}},"
	    "{\"properties\":{\"kind\":{\"const\":\"view\"},\"url\":"
	    "{\"type\":\"string\"}}}]}",
	    { "{\"kind\":\"click\",\"x\":1}", "{\"kind\":\"view\",\"url\":"
	    "\"u\"}", "{\"kind\":\"view\",\"url\":3,\"q\":1}",
	    "{\"kind\":false}" },
	    { { UND, "/q", 1, 4, 0, 0, 0 },
	    { MIS, "/kind", 1, 4, T_STR, T_BOOL, 1 },
	    { MIS, "/url", 1, 2, T_STR, T_INT, 0 },
	    { MISS, "/url", 2, 4, T_STR, 0, 0 },
	    { MISS, "/x", 3, 4, T_INT, 0, 0 } } },
	{ "oneOf branches add up their types",
	    "{\"type\":\"object\",\"oneOf\":[{\"properties\":{\"v\":{\"type\":"
	    "\"string\"}}},{\"properties\":{\"v\":{\"type\":\"integer\"}}}]}",
	    { "{\"v\":\"a\"}", "{\"v\":2}", "{\"v\":2.5}" },
	    { { MIS, "/v", 1, 3, T_STR | T_INT, T_NUM & ~T_INT, 0 } } },
	{ "patternProperties declare what they match",
	    "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":"
	    "\"string\"}},\"patternProperties\":{\"^x-\":{}}}",
	    { "{\"id\":\"a\",\"x-trace\":1,\"y\":2}" },
	    { { UND, "/y", 1, 1, 0, 0, 0 } } },
	{ "patternProperties in a branch",
	    "{\"type\":\"object\",\"properties\":{\"id\":{}},\"anyOf\":["
	    "{\"patternProperties\":{\"^x-\":{}}},{}]}",
	    { "{\"id\":1,\"x-a\":1,\"y\":2}" },
	    { { UND, "/y", 1, 1, 0, 0, 0 } } },
	{ "additionalProperties with a schema declares every member",
	    "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":"
	    "\"string\"}},\"additionalProperties\":{\"type\":\"integer\"}}",
	    { "{\"a\":\"s\",\"b\":1,\"c\":\"str\"}" },
	    { { 0, NULL, 0, 0, 0, 0, 0 } } },
	{ "an object that declares nothing is free",
	    "{\"type\":\"object\",\"properties\":{\"meta\":{\"type\":"
	    "\"object\"}}}",
	    { "{\"meta\":{\"anything\":1}}" },
	    { { 0, NULL, 0, 0, 0, 0, 0 } } },
	{ "closed object with no properties",
	    "{\"type\":\"object\",\"additionalProperties\":false}",
	    { "{\"a\":1}", "{\"a\":2}", "{}" },
	    { { UND, "/a", 2, 3, 0, 0, 0 } } },
	{ "const and enum give types",
	    "{\"type\":\"object\",\"properties\":{\"e\":{\"const\":\"x\"},"
	    "\"f\":{\"enum\":[1,null]}}}",
	    { "{\"e\":1,\"f\":\"a\"}", "{\"e\":\"x\",\"f\":null}" },
	    { { MIS, "/e", 1, 2, T_STR, T_INT, 0 },
	    { MIS, "/f", 1, 2, T_INT | T_NULL, T_STR, 0 } } },
	{ "a payload of the wrong type",
	    "{\"type\":\"object\",\"properties\":{\"a\":{}}}",
	    { "5", "{\"a\":1}" },
	    { { MIS, "", 1, 2, T_OBJ, T_INT, 0 } } },
	{ "recursive schema, bounded",
	    "{\"type\":\"object\",\"properties\":{\"v\":{\"type\":"
	    "\"integer\"},\"kids\":{\"type\":\"array\",\"items\":{\"$ref\":"
	    "\"#\"}}}}",
	    { "{\"v\":1,\"kids\":[{\"v\":\"x\",\"w\":1,\"kids\":[{\"v\":2,"
	    "\"zz\":1,\"kids\":[{\"v\":\"deep\"}]}]}]}" },
	    { { UND, "/kids/*/w", 1, 1, 0, 0, 0 },
	    { MIS, "/kids/*/v", 1, 1, T_INT, T_STR, 0 } } },
	{ "escaped names",
	    "{\"type\":\"object\",\"properties\":{\"a/b\":{\"type\":"
	    "\"object\",\"properties\":{\"c~d\":{\"type\":\"string\"}}}}}",
	    { "{\"a/b\":{\"c~d\":1,\"e/f\":2}}" },
	    { { UND, "/a~1b/e~1f", 1, 1, 0, 0, 0 },
	    { MIS, "/a~1b/c~0d", 1, 1, T_STR, T_INT, 0 } } },
};

START_TEST(table)
{
	const struct dcase *t = &cases[_i];
	struct rta_schema *s = load(t->schema);
	struct rta_drift d;
	int i;

	ck_assert_int_eq(rta_drift_init(&d, s), 0);
	ck_assert_ptr_eq(d.schema, s);
	for (i = 0; i < NELEM(t->payloads) && t->payloads[i] != NULL; i++)
		feed(&d, t->payloads[i]);
	ck_assert_uint_eq(d.events, (uint64_t)i);
	ck_assert_int_eq(d.truncated, 0);
	expect(&d, t->w, t->name);
	rta_drift_release(&d);
	ck_assert_ptr_null(d.f);
	ck_assert_ptr_null(d.u);
	ck_assert_uint_eq(d.nf, 0);
	ck_assert_uint_eq(d.nu, 0);
	rta_schema_free(s);
}
END_TEST

/* ------------------------------------------------------- the profile */

static uint32_t
field(const struct rta_drift *d, const char *path)
{
	uint32_t i;

	for (i = 0; i < d->nf; i++)
		if (strcmp(d->f[i].path, path) == 0)
			return i;
	ck_abort_msg("no field %s", path);
	return UINT32_MAX;
}

START_TEST(tree)
{
	struct rta_schema *s = load("{\"type\":\"object\",\"properties\":"
	    "{\"v\":{\"type\":\"integer\"},\"kids\":{\"type\":\"array\","
	    "\"items\":{\"$ref\":\"#\"}}},\"required\":[\"v\"]}");
	struct rta_drift d;
	uint32_t v, k, star, kv, kk;

	ck_assert_int_eq(rta_drift_init(&d, s), 0);
	/* root, v, kids and below it the item, its v and its kids */
	ck_assert_uint_eq(d.nf, 6);
	v = field(&d, "/v");
	k = field(&d, "/kids");
	star = field(&d, "/kids/*");
	kv = field(&d, "/kids/*/v");
	kk = field(&d, "/kids/*/kids");
	ck_assert_str_eq(d.f[0].path, "");
	ck_assert_uint_eq(d.f[0].parent, UINT32_MAX);
	ck_assert_uint_eq(d.f[0].types, T_OBJ);
	ck_assert_uint_eq(d.f[v].types, T_INT);
	ck_assert_int_eq(d.f[v].required, 1);
	ck_assert_uint_eq(d.f[v].parent, 0);
	ck_assert_int_eq(d.f[k].required, 0);
	ck_assert_uint_eq(d.f[star].parent, k);
	ck_assert_uint_eq(d.f[star].klen, 1);
	ck_assert_int_eq(d.f[star].key[0], '*');
	ck_assert_uint_eq(d.f[star].types, T_OBJ);
	ck_assert_int_eq(d.f[star].free, 0);
	ck_assert_int_eq(d.f[kv].required, 1);
	ck_assert_uint_eq(d.f[kk].types, T_ARR);
	ck_assert_int_eq(d.f[kk].free, 1);
	ck_assert_uint_eq(d.f[kk].first_child, UINT32_MAX);
	ck_assert_ptr_eq(d.f[v].node, rta_snode_prop(s->root, "v", 1)->schema);
	ck_assert_str_eq(d.f[v].node->loc, "/properties/v");
	rta_drift_release(&d);
	rta_schema_free(s);
}
END_TEST

START_TEST(kind_names)
{
	ck_assert_str_eq(rta_drift_kind_name(UND), "undeclared");
	ck_assert_str_eq(rta_drift_kind_name(NEVER), "never-seen");
	ck_assert_str_eq(rta_drift_kind_name(MIS), "type-mismatch");
	ck_assert_str_eq(rta_drift_kind_name(MISS), "missing");
	ck_assert_str_eq(rta_drift_kind_name((enum rta_drift_kind)9), "?");
}
END_TEST

static int
stop_at_second(void *arg, const struct rta_drift_finding *f)
{
	int *n = arg;

	(void)f;
	return ++*n == 2 ? 42 : 0;
}

START_TEST(report_stops)
{
	struct rta_schema *s = load("{\"type\":\"object\",\"properties\":"
	    "{\"a\":{},\"b\":{}}}");
	struct rta_drift d;
	int n = 0;

	ck_assert_int_eq(rta_drift_init(&d, s), 0);
	feed(&d, "{\"x\":1,\"y\":2}");
	ck_assert_int_eq(rta_drift_report(&d, stop_at_second, &n), 42);
	ck_assert_int_eq(n, 2);
	rta_drift_release(&d);
	rta_schema_free(s);
}
END_TEST

/* ------------------------------------------------------------ bounds */

/* Undeclared findings in path order, each seen `want` times. */
struct bound_check {
	char		 last[128];
	uint64_t	 want, of;
	size_t		 n;
};

static int
check_undeclared(void *arg, const struct rta_drift_finding *f)
{
	struct bound_check *b = arg;

	ck_assert_int_eq(f->kind, UND);
	ck_assert_msg(strcmp(b->last, f->path) < 0, "%s after %s", f->path,
	    b->last);
	snprintf(b->last, sizeof(b->last), "%s", f->path);
	ck_assert_uint_eq(f->count, b->want);
	ck_assert_uint_eq(f->of, b->of);
	b->n++;
	return 0;
}

/* More distinct undeclared paths than kept: the rest are counted. */
START_TEST(undeclared_bound)
{
	struct rta_schema *s = load("{\"type\":\"object\",\"properties\":"
	    "{\"a\":{}}}");
	struct rta_drift d;
	struct bound_check b;
	char text[64];
	int i, round, extra = 44;

	ck_assert_int_eq(rta_drift_init(&d, s), 0);
	for (round = 0; round < 2; round++)
		for (i = 0; i < RTA_DRIFT_MAX_UNDECLARED + extra; i++) {
			snprintf(text, sizeof(text), "{\"k%03d\":1,\"a\":0}",
			    i);
			feed(&d, text);
		}
	ck_assert_uint_eq(d.nu, RTA_DRIFT_MAX_UNDECLARED);
	ck_assert_uint_eq(d.more_undeclared, 2 * (uint64_t)extra);
	memset(&b, 0, sizeof(b));
	b.want = 2;
	b.of = d.events;
	ck_assert_int_eq(rta_drift_report(&d, check_undeclared, &b), 0);
	ck_assert_uint_eq(b.n, RTA_DRIFT_MAX_UNDECLARED);
	/* the first ones met are those kept */
	ck_assert_str_eq(b.last, "/k255");
	rta_drift_release(&d);
	rta_schema_free(s);
}
END_TEST

static size_t
heap_in_use(void)
{
#if defined(__SANITIZE_ADDRESS__)
	return __sanitizer_get_current_allocated_bytes();
#else
	return mallinfo2().uordblks;
#endif
}

/*
 * A million payloads, with undeclared members past the bound now and
 * then: once the distinct paths have been met, the profile allocates
 * nothing more.
 */
START_TEST(memory_constant)
{
	static const char *const texts[] = {
		"{\"user\":{\"id\":\"u1\",\"age\":3},\"n\":1,\"tags\":[{\"t\":"
		"\"a\"},{\"t\":1,\"u\":2}]}",
		"{\"user\":{\"id\":5,\"extra\":true},\"n\":\"x\",\"z\":1}",
		"{\"user\":{},\"tags\":[7,{}]}",
		"[1,2,3]",
		NULL,	/* an undeclared member of its own */
	};
	struct rta_schema *s = load("{\"type\":\"object\",\"properties\":"
	    "{\"user\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":"
	    "\"string\"},\"age\":{\"type\":\"integer\"}},\"required\":"
	    "[\"id\"]},\"n\":{\"type\":\"number\"},\"tags\":{\"type\":"
	    "\"array\",\"items\":{\"type\":\"object\",\"properties\":{\"t\":"
	    "{\"type\":\"string\"}}}}}}");
	struct rta_buf pay[NELEM(texts)], many[RTA_DRIFT_MAX_UNDECLARED + 10];
	struct rta_drift d;
	size_t heap, nf, nu, cap;
	uint64_t want;
	char text[64];
	long i, lost;
	int k;

	for (k = 0; k < NELEM(texts); k++) {
		rta_buf_init(&pay[k]);
		if (texts[k] != NULL)
			value(&pay[k], texts[k]);
	}
	for (k = 0; k < NELEM(many); k++) {
		rta_buf_init(&many[k]);
		snprintf(text, sizeof(text), "{\"m%04d\":{\"deep\":1}}", k);
		value(&many[k], text);
	}
	ck_assert_int_eq(rta_drift_init(&d, s), 0);
	/* meet every distinct path once */
	for (k = 0; k < NELEM(texts) - 1; k++)
		ck_assert_int_eq(rta_drift_add(&d, pay[k].data), 0);
	ck_assert_uint_eq(d.nu, 3);	/* /tags/ * /u, /user/extra, /z */
	for (k = 0; k < NELEM(many); k++)
		ck_assert_int_eq(rta_drift_add(&d, many[k].data), 0);
	ck_assert_uint_eq(d.nu, RTA_DRIFT_MAX_UNDECLARED);
	nf = d.nf;
	nu = d.nu;
	cap = d.path.cap;
	heap = heap_in_use();
	for (i = 0; i < 1000000; i++) {
		k = (int)(i % NELEM(texts));
		ck_assert_int_eq(rta_drift_add(&d, k < NELEM(texts) - 1 ?
		    pay[k].data : many[(i / NELEM(texts)) % NELEM(many)].data),
		    0);
	}
	ck_assert_uint_eq(heap_in_use(), heap);
	ck_assert_uint_eq(d.nf, nf);
	ck_assert_uint_eq(d.nu, nu);
	ck_assert_uint_eq(d.path.cap, cap);
	ck_assert_uint_eq(d.events, 1000000 + NELEM(texts) - 1 + NELEM(many));
	/* the "many" paths met past the bound are counted at each visit */
	lost = NELEM(many) - (RTA_DRIFT_MAX_UNDECLARED - 3);
	for (want = lost, i = 0; i < 1000000 / NELEM(texts); i++)
		if (i % NELEM(many) >= NELEM(many) - lost)
			want++;
	ck_assert_uint_eq(d.more_undeclared, want);
	rta_drift_release(&d);
	rta_schema_free(s);
	for (k = 0; k < NELEM(texts); k++)
		rta_buf_release(&pay[k]);
	for (k = 0; k < NELEM(many); k++)
		rta_buf_release(&many[k]);
}
END_TEST

/* A schema declaring more than RTA_DRIFT_MAX_FIELDS fields. */
START_TEST(fields_bound)
{
	struct rta_buf t;
	struct rta_schema *s;
	struct rta_drift d;
	int i, j;

	rta_buf_init(&t);
	rta_buf_adds(&t, "{\"type\":\"object\",\"properties\":{");
	for (i = 0; i < 80; i++) {
		rta_buf_printf(&t, "%s\"o%d\":{\"type\":\"object\","
		    "\"properties\":{", i ? "," : "", i);
		for (j = 0; j < 60; j++)
			rta_buf_printf(&t, "%s\"f%d\":{\"type\":\"integer\"}",
			    j ? "," : "", j);
		rta_buf_adds(&t, "}}");
	}
	rta_buf_adds(&t, "}}");
	rta_buf_addc(&t, '\0');
	s = load((const char *)t.data);
	ck_assert_int_eq(rta_drift_init(&d, s), 0);
	ck_assert_uint_eq(d.nf, RTA_DRIFT_MAX_FIELDS);
	ck_assert_int_eq(d.truncated, 1);
	/* what was kept still counts */
	feed(&d, "{\"o0\":{\"f0\":\"x\"}}");
	ck_assert_uint_eq(d.f[field(&d, "/o0/f0")].mismatched, 1);
	rta_drift_release(&d);
	rta_schema_free(s);
	rta_buf_release(&t);
}
END_TEST

/* A chain of declarations deeper than RTA_DRIFT_MAX_DEPTH. */
START_TEST(depth_bound)
{
	struct rta_buf t;
	struct rta_schema *s;
	struct rta_drift d;
	int i, depth = 50;

	rta_buf_init(&t);
	rta_buf_adds(&t, "{\"$ref\":\"#/$defs/d0\",\"$defs\":{");
	for (i = 0; i < depth; i++)
		rta_buf_printf(&t, "\"d%d\":{\"type\":\"object\","
		    "\"properties\":{\"a\":{\"$ref\":\"#/$defs/d%d\"}}},", i,
		    i + 1);
	rta_buf_printf(&t, "\"d%d\":{}}}", depth);
	rta_buf_addc(&t, '\0');
	s = load((const char *)t.data);
	ck_assert_int_eq(rta_drift_init(&d, s), 0);
	/* the payload and a chain of RTA_DRIFT_MAX_DEPTH members */
	ck_assert_uint_eq(d.nf, RTA_DRIFT_MAX_DEPTH + 1);
	ck_assert_int_eq(d.f[d.nf - 1].free, 1);
	ck_assert_uint_eq(d.f[d.nf - 1].first_child, UINT32_MAX);
	rta_drift_release(&d);
	rta_schema_free(s);
	rta_buf_release(&t);
}
END_TEST

/* ---------------------------------------------- allocation failures */

static const char *
drift_why(int code)
{
	return code == 10 ? "init left a profile" : "wrong answer";
}

static int
fault_child(unsigned long n)
{
	static const char *const schema = "{\"type\":\"object\","
	    "\"properties\":{\"a\":{\"type\":\"object\",\"properties\":"
	    "{\"b\":{\"type\":\"string\"}}},\"l\":{\"type\":\"array\","
	    "\"items\":{\"$ref\":\"#/properties/a\"}}},\"anyOf\":["
	    "{\"properties\":{\"c\":{}}},{}]}";
	static const char *const payload = "{\"a\":{\"b\":1,\"x\":2},"
	    "\"l\":[{\"y\":1}],\"z\":3}";
	struct rta_schema_problems ps;
	struct rta_schema *s;
	struct rta_drift d;
	struct rta_buf v;
	struct rta_json j;
	struct rta_error err;
	char spec[64];
	void *p;
	int rc;

	snprintf(spec, sizeof(spec), "alloc:%lu:persistent", n);
	setenv("RTA_FAULT", spec, 1);
	rta_schema_problems_init(&ps);
	s = rta_schema_load(schema, strlen(schema), "s", 0, &ps);
	rta_schema_problems_release(&ps);
	if (s == NULL)
		return 1;
	rta_buf_init(&v);
	rta_json_init(&j);
	if (rta_json_document(&j, payload, strlen(payload), &v, &err) !=
	    RTA_OK) {
		rta_json_release(&j);
		rta_buf_release(&v);
		rta_schema_free(s);
		return 1;
	}
	rta_json_release(&j);
	if (rta_drift_init(&d, s) != 0) {
		/* released: empty */
		if (d.f != NULL || d.nf != 0)
			return 10;
		rta_buf_release(&v);
		rta_schema_free(s);
		return 1;
	}
	rc = rta_drift_add(&d, v.data);
	if (rc == 0 && (d.nu != 3 || d.f[field(&d, "/a/b")].mismatched != 1))
		return 11;
	rta_drift_release(&d);
	rta_buf_release(&v);
	rta_schema_free(s);
	if (rc != 0)
		return 1;
	if ((p = rta_malloc(1)) == NULL)
		return 1;
	rta_free(p);
	return n == 1 ? 12 : 0;
}

START_TEST(allocation_failures)
{
	unsigned long n;

	n = unit_alloc_failures(fault_child, drift_why);
	ck_assert_uint_gt(n, 10);
}
END_TEST

/* ------------------------------------------------------------- suite */

static Suite *
drift_suite(void)
{
	Suite *s = suite_create("rta_drift");
	TCase *tc;

	tc = tcase_create("findings");
	tcase_add_loop_test(tc, table, 0, NELEM(cases));
	tcase_add_test(tc, report_stops);
	tcase_add_test(tc, kind_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("profile");
	tcase_add_test(tc, tree);
	tcase_add_test(tc, allocation_failures);
	suite_add_tcase(s, tc);

	tc = tcase_create("bounds");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, undeclared_bound);
	tcase_add_test(tc, memory_constant);
	tcase_add_test(tc, fields_bound);
	tcase_add_test(tc, depth_bound);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(drift_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
