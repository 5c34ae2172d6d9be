/*
 * check_rta_registry.c: schema directories (rta_registry).
 *
 * Each test writes a small directory of schemas into its own temporary
 * directory and loads it: where a schema's event type and version come
 * from (x-rta-event-type/x-rta-version, the last segment of $id, the
 * file name), what is a problem (names that disagree, no version, two
 * files for one type and version, a schema that does not compile), and
 * what a loaded registry answers (find, latest, the version links).
 */
#define _DEFAULT_SOURCE
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_alloc.h"
#include "rta_registry.h"
#include "rta_schema.h"
#include "unit.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static struct rta_registry		reg;
static struct rta_schema_problems	ps;

static void
setup(void)
{
	unit_tmp_setup();
	rta_registry_init(&reg);
	rta_schema_problems_init(&ps);
}

static void
teardown(void)
{
	rta_registry_release(&reg);
	ck_assert_uint_eq(reg.n, 0);
	ck_assert_ptr_null(reg.e);
	ck_assert_ptr_null(reg.table);
	rta_schema_problems_release(&ps);
	ck_assert_uint_eq(ps.n, 0);
	unit_tmp_teardown();
}

/* The test's directory, without unit_path's trailing "/.". */
static const char *
dir(void)
{
	static char d[UNIT_PATH_MAX];
	size_t len;

	snprintf(d, sizeof(d), "%s", unit_path("."));
	len = strlen(d);
	if (len > 2 && strcmp(d + len - 2, "/.") == 0)
		d[len - 2] = '\0';
	return d;
}

/* How the registry names a file of the test's directory. */
static const char *
path_of(const char *name)
{
	static char p[2 * UNIT_PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", dir(), name);
	return p;
}

static int
load(void)
{
	return rta_registry_load(&reg, dir(), 0, &ps);
}

/* The problems as one line, for messages. */
static const char *
problems(void)
{
	static char out[2000];
	size_t i, len = 0;

	out[0] = '\0';
	for (i = 0; i < ps.n && len < sizeof(out) - 1; i++) {
		snprintf(out + len, sizeof(out) - len, "[%s: %s: %s] ",
		    ps.p[i].file ? ps.p[i].file : "-", ps.p[i].pointer,
		    ps.p[i].text);
		len = strlen(out);
	}
	return out;
}

/* The problem whose text holds want, which must be there. */
static const struct rta_schema_problem *
problem_with(const char *want)
{
	size_t i;

	for (i = 0; i < ps.n; i++)
		if (strstr(ps.p[i].text, want) != NULL)
			return &ps.p[i];
	ck_abort_msg("no problem '%s' in %s", want, problems());
	return NULL;
}

/* The file name part of a problem's file. */
static const char *
base(const struct rta_schema_problem *p)
{
	const char *s;

	ck_assert_ptr_nonnull(p->file);
	s = strrchr(p->file, '/');
	return s != NULL ? s + 1 : p->file;
}

static const struct rta_registry_entry *
find(const char *type, uint32_t version)
{
	return rta_registry_find(&reg, type, strlen(type), version);
}

static const struct rta_registry_entry *
latest(const char *type)
{
	return rta_registry_latest(&reg, type, strlen(type));
}

/* ------------------------------------------------------------ naming */

START_TEST(names_from_files)
{
	const struct rta_registry_entry *v1, *v2, *v10, *c1;

	unit_write_str("page_view.v1.json", "{\"type\": \"object\"}");
	unit_write_str("page_view.v2.json", "{\"required\": [\"url\"]}");
	unit_write_str("page_view.v10.json", "{\"required\": [\"url\", "
	    "\"ref\"]}");
	unit_write_str("click.v1.json", "true");
	ck_assert_msg(load() == 0, "%s", problems());
	ck_assert_uint_eq(ps.n, 0);
	ck_assert_uint_eq(reg.n, 4);

	v1 = find("page_view", 1);
	v2 = find("page_view", 2);
	v10 = find("page_view", 10);
	c1 = find("click", 1);
	ck_assert_ptr_nonnull(v1);
	ck_assert_ptr_nonnull(v2);
	ck_assert_ptr_nonnull(v10);
	ck_assert_ptr_nonnull(c1);
	ck_assert_str_eq(v2->type, "page_view");
	ck_assert_uint_eq(v2->type_len, 9);
	ck_assert_uint_eq(v2->version, 2);
	ck_assert_str_eq(v2->path, path_of("page_view.v2.json"));
	ck_assert_ptr_nonnull(v2->schema);
	ck_assert_uint_eq(v2->schema->root->nrequired, 1);
	ck_assert_uint_eq(v10->schema->root->nrequired, 2);

	/* versions are numbers: 10 is after 2 */
	ck_assert_ptr_eq(latest("page_view"), v10);
	ck_assert_ptr_eq(v1->latest, v10);
	ck_assert_ptr_eq(v10->previous, v2);
	ck_assert_ptr_eq(v2->previous, v1);
	ck_assert_ptr_null(v1->previous);
	ck_assert_ptr_eq(latest("click"), c1);
	ck_assert_ptr_eq(c1->latest, c1);
	ck_assert_ptr_null(c1->previous);

	/* what is not there */
	ck_assert_ptr_null(find("page_view", 3));
	ck_assert_ptr_null(find("page_view", 0));
	ck_assert_ptr_null(find("click", 2));
	ck_assert_ptr_null(find("page", 1));
	ck_assert_ptr_null(find("page_view_", 1));
	ck_assert_ptr_null(find("Page_view", 1));
	ck_assert_ptr_null(find("", 1));
	ck_assert_ptr_null(latest("page"));
	ck_assert_ptr_null(latest("page_views"));
	ck_assert_ptr_null(latest("a"));
	ck_assert_ptr_null(latest("zzz"));
	ck_assert_ptr_null(latest(""));
	/* the type is compared with its length, not as a C string */
	ck_assert_ptr_eq(rta_registry_find(&reg, "click.v9", 5, 1), c1);
	ck_assert_ptr_eq(rta_registry_latest(&reg, "clickety", 5), c1);

	/* repeated lookups, as for a run of one type, give the same */
	ck_assert_ptr_eq(find("page_view", 2), v2);
	ck_assert_ptr_eq(find("page_view", 2), v2);
	ck_assert_ptr_eq(find("click", 1), c1);
	ck_assert_ptr_eq(find("page_view", 2), v2);
	ck_assert_ptr_null(find("page_view", 4));
	ck_assert_ptr_eq(find("page_view", 2), v2);
}
END_TEST

/* x-rta-event-type and x-rta-version name a file of any name. */
START_TEST(names_from_document)
{
	const struct rta_registry_entry *e;

	unit_write_str("anything.json", "{\"x-rta-event-type\": \"signup\", "
	    "\"x-rta-version\": 3, \"type\": \"object\"}");
	unit_write_str("ok.v2.json", "{\"x-rta-event-type\": \"ok\", "
	    "\"x-rta-version\": 2}");
	ck_assert_msg(load() == 0, "%s", problems());
	ck_assert_uint_eq(reg.n, 2);
	e = find("signup", 3);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->path, path_of("anything.json"));
	ck_assert_ptr_eq(latest("signup"), e);
	ck_assert_ptr_nonnull(find("ok", 2));
}
END_TEST

/* The last segment of $id, read like a file name, fragment ignored. */
START_TEST(names_from_id)
{
	const struct rta_registry_entry *e;

	unit_write_str("s1.json", "{\"$id\": \"https://example.com/schemas/"
	    "order.v4.json\"}");
	unit_write_str("s2.json", "{\"$id\": "
	    "\"https://example.com/refund.v1#\"}");
	unit_write_str("s3.json", "{\"$id\": \"cart.v2\"}");
	/* a $id without a version says nothing; the file name does */
	unit_write_str("promo.v7.json", "{\"$id\": \"https://example.com/"
	    "schemas/promo\"}");
	ck_assert_msg(load() == 0, "%s", problems());
	ck_assert_uint_eq(reg.n, 4);
	e = find("order", 4);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->path, path_of("s1.json"));
	ck_assert_ptr_nonnull(find("refund", 1));
	ck_assert_ptr_nonnull(find("cart", 2));
	ck_assert_ptr_nonnull(find("promo", 7));
}
END_TEST

/* Where all three name the schema, they must agree. */
START_TEST(names_agree)
{
	unit_write_str("page_view.v2.json", "{\"$id\": \"https://example.com/"
	    "page_view.v2.json\", \"x-rta-event-type\": \"page_view\", "
	    "\"x-rta-version\": 2}");
	ck_assert_msg(load() == 0, "%s", problems());
	ck_assert_ptr_nonnull(find("page_view", 2));
}
END_TEST

START_TEST(names_disagree_version)
{
	const struct rta_schema_problem *p;

	unit_write_str("page_view.v1.json", "{\"x-rta-version\": 2}");
	unit_write_str("click.v1.json", "{}");
	ck_assert_int_eq(load(), -1);
	p = problem_with("x-rta-event-type/x-rta-version says version 2 but "
	    "the file name says 1");
	ck_assert_str_eq(base(p), "page_view.v1.json");
	ck_assert_str_eq(p->pointer, "/x-rta-version");
	ck_assert_uint_eq(p->line, 1);
	/* the ambiguous schema is not used; the others are */
	ck_assert_ptr_null(find("page_view", 1));
	ck_assert_ptr_null(find("page_view", 2));
	ck_assert_ptr_nonnull(find("click", 1));
	ck_assert_uint_eq(reg.n, 1);
}
END_TEST

START_TEST(names_disagree_type)
{
	const struct rta_schema_problem *p;

	unit_write_str("page_view.v1.json", "{\n\"x-rta-version\": 1,\n"
	    "\"x-rta-event-type\": \"click\"\n}");
	unit_write_str("b.json", "{\"$id\": "
	    "\"https://x.example/order.v1.json\", "
	    "\"x-rta-event-type\": \"refund\", \"x-rta-version\": 1}");
	unit_write_str("cart.v3.json", "{\"$id\": "
	    "\"https://x.example/cart.v4\"}");
	ck_assert_int_eq(load(), -1);
	p = problem_with("names event type 'click' but the file name names "
	    "'page_view'");
	ck_assert_str_eq(base(p), "page_view.v1.json");
	ck_assert_str_eq(p->pointer, "/x-rta-event-type");
	ck_assert_uint_eq(p->line, 3);
	p = problem_with("x-rta-event-type/x-rta-version names event type "
	    "'refund' but $id names 'order'");
	ck_assert_str_eq(base(p), "b.json");
	ck_assert_str_eq(p->pointer, "/x-rta-event-type");
	p = problem_with("$id says version 4 but the file name says 3");
	ck_assert_str_eq(base(p), "cart.v3.json");
	ck_assert_str_eq(p->pointer, "/$id");
	ck_assert_uint_eq(p->line, 1);
	ck_assert_uint_eq(reg.n, 0);
	ck_assert_ptr_null(find("click", 1));
	ck_assert_ptr_null(find("page_view", 1));
}
END_TEST

START_TEST(names_missing)
{
	const struct rta_schema_problem *p;

	unit_write_str("page_view.json", "{}");
	unit_write_str("t.json", "{\"x-rta-event-type\": \"t\"}");
	unit_write_str("v.json", "{\"x-rta-version\": 1}");
	unit_write_str("good.v1.json", "{}");
	ck_assert_int_eq(load(), -1);
	ck_assert_uint_eq(ps.n, 3);
	p = problem_with("no event type and version");
	ck_assert_str_eq(base(p), "page_view.json");
	ck_assert_str_eq(p->pointer, "");
	ck_assert_uint_eq(p->line, 0);
	ck_assert_str_eq(base(&ps.p[1]), "t.json");
	ck_assert_str_eq(base(&ps.p[2]), "v.json");
	ck_assert_uint_eq(reg.n, 1);
	ck_assert_ptr_nonnull(find("good", 1));
}
END_TEST

/* Two files for one (type, version): the second is a problem. */
START_TEST(duplicates)
{
	const struct rta_schema_problem *p;

	unit_write_str("a.v1.json", "{\"type\": \"string\"}");
	unit_write_str("b.json", "{\"x-rta-event-type\": \"a\",\n"
	    "  \"x-rta-version\": 1}");
	unit_write_str("c.json", "{\"$id\": "
	    "\"https://example.com/a.v1.json\"}");
	unit_write_str("d.v2.json", "{}");
	unit_write_str("e.json", "{\"$id\": \"d.v2\"}");
	ck_assert_int_eq(load(), -1);
	ck_assert_uint_eq(ps.n, 3);
	p = problem_with("a v1 is also defined by ");
	/* files are read in name order: a.v1.json came first */
	ck_assert_str_eq(base(p), "b.json");
	ck_assert_ptr_nonnull(strstr(p->text, "a.v1.json"));
	/* at the member that gives the second its version */
	ck_assert_str_eq(p->pointer, "/x-rta-version");
	ck_assert_uint_eq(p->line, 2);
	ck_assert_str_eq(base(&ps.p[1]), "c.json");
	ck_assert_str_eq(ps.p[1].pointer, "/$id");
	ck_assert_str_eq(base(&ps.p[2]), "e.json");
	ck_assert_ptr_nonnull(strstr(ps.p[2].text, "d v2 is also defined"));
	ck_assert_uint_eq(reg.n, 2);
	ck_assert_str_eq(find("a", 1)->path, path_of("a.v1.json"));
}
END_TEST

/* A schema's own problems carry its file name and line. */
START_TEST(schema_problems)
{
	const struct rta_schema_problem *p;

	unit_write_str("bad.v1.json", "{\n  \"type\": \"object\",\n"
	    "  \"properties\": {\"a\": {\"tpye\": \"string\"}}\n}\n");
	unit_write_str("broken.v1.json", "{\"type\": ");
	unit_write_str("fine.v1.json", "{}");
	ck_assert_int_eq(load(), -1);
	p = problem_with("unknown keyword 'tpye'");
	ck_assert_str_eq(base(p), "bad.v1.json");
	ck_assert_str_eq(p->pointer, "/properties/a/tpye");
	ck_assert_uint_eq(p->line, 3);
	p = problem_with("expected a value");
	ck_assert_str_eq(base(p), "broken.v1.json");
	ck_assert_uint_eq(p->line, 1);
	ck_assert_uint_eq(reg.n, 1);
	ck_assert_ptr_nonnull(find("fine", 1));
	ck_assert_ptr_null(find("bad", 1));
}
END_TEST

START_TEST(event_type_too_long)
{
	char doc[400];

	snprintf(doc, sizeof(doc), "{\"x-rta-event-type\": \"%0256d\", "
	    "\"x-rta-version\": 1}", 0);
	unit_write_str("long.json", doc);
	snprintf(doc, sizeof(doc), "{\"x-rta-event-type\": \"%0255d\", "
	    "\"x-rta-version\": 1}", 0);
	unit_write_str("max.json", doc);
	ck_assert_int_eq(load(), -1);
	ck_assert_str_eq(base(problem_with("event type must be 1 to 255 "
	    "bytes")), "long.json");
	ck_assert_str_eq(problem_with("event type must")->pointer,
	    "/x-rta-event-type");
	ck_assert_uint_eq(reg.n, 1);
	ck_assert_uint_eq(reg.e[0].type_len, 255);
}
END_TEST

/* ----------------------------------------------------------- the dir */

/* Only regular *.json files directly in the directory count. */
START_TEST(dir_only_json_files)
{
	char sub[UNIT_PATH_MAX];

	unit_write_str("a.v1.json", "{}");
	unit_write_str("README.md", "not a schema");
	unit_write_str("a.v2.json.bak", "{");
	unit_write_str(".hidden.v1.json", "{");
	unit_write_str(".json", "{");
	unit_write_str("b.v1.JSON", "{");
	snprintf(sub, sizeof(sub), "%s", unit_path("c.v1.json"));
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	snprintf(sub, sizeof(sub), "%s", unit_path("nested"));
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	unit_write_str("nested/d.v1.json", "{}");
	ck_assert_int_eq(symlink("a.v1.json", unit_path("e.v1.json")), 0);
	ck_assert_int_eq(symlink("nowhere.json", unit_path("f.v1.json")), 0);
	ck_assert_msg(load() == 0, "%s", problems());
	ck_assert_uint_eq(reg.n, 2);
	ck_assert_ptr_nonnull(find("a", 1));
	/* a link to a regular file is a regular file */
	ck_assert_ptr_nonnull(find("e", 1));
	ck_assert_ptr_null(find("c", 1));
	ck_assert_ptr_null(find("d", 1));
}
END_TEST

START_TEST(dir_trailing_slash)
{
	char d[UNIT_PATH_MAX + 1];
	const struct rta_registry_entry *e;

	unit_write_str("a.v1.json", "{}");
	snprintf(d, sizeof(d), "%s/", dir());
	ck_assert_int_eq(rta_registry_load(&reg, d, 0, &ps), 0);
	e = find("a", 1);
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->path, path_of("a.v1.json"));
}
END_TEST

START_TEST(dir_empty)
{
	unit_write_str("notes.txt", "x");
	ck_assert_int_eq(load(), -1);
	ck_assert_uint_eq(ps.n, 1);
	ck_assert_ptr_nonnull(strstr(ps.p[0].text, "no schemas"));
	ck_assert_str_eq(ps.p[0].file, dir());
	ck_assert_uint_eq(reg.n, 0);
	ck_assert_ptr_null(find("a", 1));
	ck_assert_ptr_null(latest("a"));
	/* the problems' file is not left pointing at the caller's string */
	ck_assert_ptr_null(ps.file);
}
END_TEST

START_TEST(dir_missing)
{
	ck_assert_int_eq(rta_registry_load(&reg, unit_path("nope"), 0, &ps),
	    -1);
	ck_assert_uint_eq(ps.n, 1);
	ck_assert_str_eq(ps.p[0].text, strerror(ENOENT));
	ck_assert_str_eq(ps.p[0].file, unit_path("nope"));
	ck_assert_uint_eq(reg.n, 0);
}
END_TEST

/* Formats are asserted by every schema of a registry loaded with them. */
START_TEST(dir_flags)
{
	unit_write_str("a.v1.json", "{\"format\": \"uuid\"}");
	ck_assert_int_eq(rta_registry_load(&reg, dir(), RTA_SCHEMA_FORMATS,
	    &ps), 0);
	ck_assert_uint_eq(find("a", 1)->schema->flags, RTA_SCHEMA_FORMATS);
	rta_registry_release(&reg);
	rta_registry_init(&reg);
	unit_write_str("b.v1.json", "{\"format\": \"colour\"}");
	ck_assert_int_eq(rta_registry_load(&reg, dir(), RTA_SCHEMA_FORMATS,
	    &ps), -1);
	problem_with("unknown format 'colour'");
}
END_TEST

/* Files added one by one, then indexed. */
START_TEST(add_file_then_index)
{
	const char *saved = "caller";

	unit_write_str("x.v2.json", "{}");
	unit_write_str("x.v1.json", "{}");
	unit_write_str("y.json", "{}");
	ps.file = saved;
	ck_assert_int_eq(rta_registry_add_file(&reg, unit_path("x.v2.json"), 0,
	    &ps), 0);
	ck_assert_ptr_eq(ps.file, saved);
	ck_assert_int_eq(rta_registry_add_file(&reg, unit_path("x.v1.json"), 0,
	    &ps), 0);
	ck_assert_int_eq(rta_registry_add_file(&reg, unit_path("y.json"), 0,
	    &ps), -1);
	ck_assert_ptr_eq(ps.file, saved);
	ck_assert_int_eq(rta_registry_add_file(&reg, unit_path("z.v1.json"), 0,
	    &ps), -1);
	ck_assert_uint_eq(ps.n, 2);
	ck_assert_str_eq(ps.p[1].text, strerror(ENOENT));
	ck_assert_int_eq(rta_registry_index(&reg), 0);
	ck_assert_ptr_eq(latest("x"), find("x", 2));
	ck_assert_ptr_eq(find("x", 2)->previous, find("x", 1));
	ps.file = NULL;
}
END_TEST

/* A file added after loading: found once the registry is indexed. */
START_TEST(add_after_load)
{
	char name[32];
	int i;

	unit_write_str("a.v1.json", "{}");
	ck_assert_int_eq(load(), 0);
	ck_assert_ptr_nonnull(find("a", 1));	/* the last answer, cached */
	/* enough files for the entries to move in memory */
	for (i = 2; i <= 40; i++) {
		snprintf(name, sizeof(name), "a.v%d.json", i);
		unit_write_str(name, "{}");
		ck_assert_int_eq(rta_registry_add_file(&reg, path_of(name), 0,
		    &ps), 0);
		ck_assert_ptr_nonnull(find("a", 1));
	}
	ck_assert_int_eq(rta_registry_index(&reg), 0);
	ck_assert_uint_eq(reg.n, 40);
	ck_assert_ptr_eq(latest("a"), find("a", 40));
	ck_assert_ptr_eq(find("a", 40)->previous, find("a", 39));
	ck_assert_ptr_eq(find("a", 1)->latest, find("a", 40));
}
END_TEST

/* Many types and versions: every one is found through the table. */
START_TEST(many_entries)
{
	char name[64];
	unsigned t, v;

	for (t = 0; t < 30; t++)
		for (v = 1; v <= 7; v++) {
			snprintf(name, sizeof(name), "type%u.v%u.json", t, v);
			unit_write_str(name, "{}");
		}
	ck_assert_msg(load() == 0, "%s", problems());
	ck_assert_uint_eq(reg.n, 210);
	for (t = 0; t < 30; t++) {
		snprintf(name, sizeof(name), "type%u", t);
		for (v = 1; v <= 7; v++) {
			const struct rta_registry_entry *e = find(name, v);

			ck_assert_ptr_nonnull(e);
			ck_assert_str_eq(e->type, name);
			ck_assert_uint_eq(e->version, v);
			ck_assert_ptr_eq(e->latest, find(name, 7));
			if (v > 1)
				ck_assert_ptr_eq(e->previous,
				    find(name, v - 1));
		}
		ck_assert_ptr_null(find(name, 8));
		ck_assert_ptr_eq(latest(name), find(name, 7));
	}
}
END_TEST

/* ------------------------------------------------- out of memory */

/*
 * The registry of the test's directory loaded with allocation N failing
 * (and, if persistent, every one after it), in a child: it loads, or it
 * fails with problems; every entry it holds has its schema, and when it
 * loads, each is found.  The child exits
 * normally, so that LeakSanitizer (SANITIZE=1) checks it leaked nothing.
 * 99: N was past the last allocation.
 */
static int
alloc_child(const char *spec, int probe)
{
	struct rta_registry r;
	struct rta_schema_problems p;
	size_t i;
	int rc, status = 0;
	void *m;

	setenv("RTA_FAULT", spec, 1);
	rta_registry_init(&r);
	rta_schema_problems_init(&p);
	rc = rta_registry_load(&r, dir(), 0, &p);
	if (rc == 0 && (p.n != 0 || r.n != 3))
		status = 10;
	if (rc != 0 && p.n + p.more == 0)
		status = 11;
	for (i = 0; i < r.n; i++)
		if (r.e[i].schema == NULL || (rc == 0 &&
		    rta_registry_find(&r, r.e[i].type, r.e[i].type_len,
		    r.e[i].version) != &r.e[i]))
			status = 12;
	rta_registry_release(&r);
	rta_schema_problems_release(&p);
	if (status == 0 && probe) {
		m = rta_malloc(1);
		status = m != NULL ? 99 : 0;
		rta_free(m);
	}
	return status;
}

START_TEST(alloc_failures)
{
	char spec[40];
	int n, k, status;
	pid_t pid;

	unit_write_str("a.v1.json", "{\"properties\": {\"x\": {\"pattern\": "
	    "\"^[a-z]+$\"}}, \"required\": [\"x\"]}");
	unit_write_str("a.v2.json", "{\"$defs\": {\"d\": {\"type\": "
	    "\"string\"}}, \"$ref\": \"#/$defs/d\"}");
	unit_write_str("b.json", "{\"x-rta-event-type\": \"b\", "
	    "\"x-rta-version\": 4}");
	for (n = 1; n < 3000; n++)
		for (k = 0; k < 2; k++) {
			snprintf(spec, sizeof(spec), "alloc:%d%s", n,
			    k ? ":persistent" : "");
			fflush(NULL);
			if ((pid = fork()) == 0)
				exit(alloc_child(spec, k));
			ck_assert_int_gt(pid, 0);
			ck_assert_int_eq(waitpid(pid, &status, 0), pid);
			ck_assert_msg(WIFEXITED(status), "%s: signal %d", spec,
			    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
			if (k && WEXITSTATUS(status) == 99)
				goto done;
			ck_assert_msg(WEXITSTATUS(status) == 0, "%s: exit %d",
			    spec, WEXITSTATUS(status));
		}
done:
	ck_assert_int_lt(n, 3000);
	ck_assert_int_gt(n, 10);
}
END_TEST

/* --------------------------------------------------- name_parse */

START_TEST(name_parse)
{
	static const struct {
		const char	*name;
		int		 ok;
		size_t		 type_len;
		uint32_t	 version;
	} cases[] = {
		{ "page_view.v2.json", 1, 9, 2 },
		{ "page_view.v2", 1, 9, 2 },
		{ "a.v1", 1, 1, 1 },
		{ "a.b.v3.json", 1, 3, 3 },
		{ "x.v10.json", 1, 1, 10 },
		{ "x.v4294967295", 1, 1, 4294967295u },
		{ "x.v4294967296", 0, 0, 0 },
		{ "x.v12345678901", 0, 0, 0 },
		{ "x.v0", 0, 0, 0 },
		{ "x.v01", 0, 0, 0 },
		{ "x.v", 0, 0, 0 },
		{ "x.vx", 0, 0, 0 },
		{ "x.V1", 0, 0, 0 },
		{ "x-v1", 0, 0, 0 },
		{ "xv1", 0, 0, 0 },
		{ ".v1", 0, 0, 0 },
		{ "v1", 0, 0, 0 },
		{ "", 0, 0, 0 },
		{ "page_view.json", 0, 0, 0 },
		{ "page_view", 0, 0, 0 },
		{ "a.v1.JSON", 0, 0, 0 },
		{ "a.v1.json.json", 0, 0, 0 },
		{ "a.v2x", 0, 0, 0 },
		{ "a.v-1", 0, 0, 0 },
		{ ".json", 0, 0, 0 }
	};
	size_t i, tl;
	uint32_t v;
	int ok;

	for (i = 0; i < NELEM(cases); i++) {
		tl = 12345;
		v = 54321;
		ok = rta_schema_name_parse(cases[i].name,
		    strlen(cases[i].name), &tl, &v);
		ck_assert_msg(ok == cases[i].ok, "'%s': %d", cases[i].name,
		    ok);
		if (ok) {
			ck_assert_msg(tl == cases[i].type_len &&
			    v == cases[i].version, "'%s': %zu, %u",
			    cases[i].name, tl, (unsigned)v);
		} else {
			/* nothing set on failure */
			ck_assert_uint_eq(tl, 12345);
			ck_assert_uint_eq(v, 54321);
		}
	}
	/* only len bytes are read */
	ck_assert_int_eq(rta_schema_name_parse("ab.v12.json", 5, &tl, &v), 1);
	ck_assert_uint_eq(tl, 2);
	ck_assert_uint_eq(v, 1);
}
END_TEST

static Suite *
registry_suite(int forking)
{
	Suite *s = suite_create("rta_registry");
	TCase *tc;

	tc = tcase_create("naming");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, names_from_files);
	tcase_add_test(tc, names_from_document);
	tcase_add_test(tc, names_from_id);
	tcase_add_test(tc, names_agree);
	tcase_add_test(tc, names_disagree_version);
	tcase_add_test(tc, names_disagree_type);
	tcase_add_test(tc, names_missing);
	tcase_add_test(tc, duplicates);
	tcase_add_test(tc, schema_problems);
	tcase_add_test(tc, event_type_too_long);
	suite_add_tcase(s, tc);

	tc = tcase_create("directory");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, dir_only_json_files);
	tcase_add_test(tc, dir_trailing_slash);
	tcase_add_test(tc, dir_empty);
	tcase_add_test(tc, dir_missing);
	tcase_add_test(tc, dir_flags);
	tcase_add_test(tc, add_file_then_index);
	tcase_add_test(tc, add_after_load);
	tcase_add_test(tc, many_entries);
	suite_add_tcase(s, tc);

	/* RTA_FAULT is read once per process: children of a forked test */
	if (forking) {
		tc = tcase_create("alloc");
		tcase_add_unchecked_fixture(tc, unit_base_setup,
		    unit_base_teardown);
		tcase_add_checked_fixture(tc, setup, teardown);
		tcase_add_test(tc, alloc_failures);
		tcase_set_timeout(tc, 300);
		suite_add_tcase(s, tc);
	}

	tc = tcase_create("name_parse");
	tcase_add_test(tc, name_parse);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(NULL);
	srunner_add_suite(sr, registry_suite(srunner_fork_status(sr) !=
	    CK_NOFORK));
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
