/*
 * rta_registry.c: loading a schema directory and finding schemas in it.
 *
 * Files are read in name order, so problems come out the same way on
 * every machine.  Only regular *.json files directly in the directory
 * count; a schema's type and version come from the names it gives itself
 * and its file name, which must agree.  Event types from the stream never
 * become paths: lookups go through the table built here.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rta_alloc.h"
#include "rta_buf.h"
#include "rta_event.h"
#include "rta_registry.h"
#include "rta_schema.h"

void
rta_registry_init(struct rta_registry *r)
{
	memset(r, 0, sizeof(*r));
}

void
rta_registry_release(struct rta_registry *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		rta_free(r->e[i].type);
		rta_free(r->e[i].path);
		rta_schema_free(r->e[i].schema);
	}
	rta_free(r->e);
	rta_free(r->table);
	memset(r, 0, sizeof(*r));
}

int
rta_schema_name_parse(const char *name, size_t len, size_t *type_len,
    uint32_t *version)
{
	size_t i, d;
	uint64_t v = 0;

	if (len > 5 && memcmp(name + len - 5, ".json", 5) == 0)
		len -= 5;
	for (d = len; d > 0 && name[d - 1] >= '0' && name[d - 1] <= '9'; d--)
		;
	if (d == len || len - d > 10 || d < 3 || name[d - 1] != 'v' ||
	    name[d - 2] != '.' || name[d] == '0')
		return 0;
	for (i = d; i < len; i++)
		v = v * 10 + (uint64_t)(name[i] - '0');
	if (v > UINT32_MAX)
		return 0;
	*type_len = d - 2;
	*version = (uint32_t)v;
	return 1;
}

static uint32_t
entry_hash(const char *type, size_t len, uint32_t version)
{
	uint32_t h = 2166136261u ^ version;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)type[i]) * 16777619u;
	return h ^ (h >> 15);
}

/*
 * Where the type and version of one file come from, and the JSON pointer
 * of the members that say so ("" for the file name).
 */
struct naming {
	const char	*what;
	const char	*type;
	size_t		 type_len;
	uint32_t	 version;	/* 0: none */
	const char	*type_ptr, *version_ptr;
};

static void
name_from(struct naming *nm, const char *what, const char *ptr,
    const char *s, size_t len)
{
	size_t tl;
	uint32_t v;

	nm->what = what;
	nm->type = NULL;
	nm->version = 0;
	nm->type_ptr = nm->version_ptr = ptr;
	if (rta_schema_name_parse(s, len, &tl, &v)) {
		nm->type = s;
		nm->type_len = tl;
		nm->version = v;
	}
}

/* Give the problems added since first the lines of their pointers. */
static void
set_lines(struct rta_schema_problems *ps, size_t first,
    const struct rta_buf *text)
{
	size_t i, k, off;

	for (i = first; i < ps->n; i++) {
		if (ps->p[i].line != 0 || ps->p[i].pointer == NULL ||
		    ps->p[i].pointer[0] == '\0' ||
		    rta_json_pointer_offset(text->data, text->len,
		    ps->p[i].pointer, &off) != 0)
			continue;
		ps->p[i].line = 1;
		for (k = 0; k < off; k++)
			if (text->data[k] == '\n')
				ps->p[i].line++;
	}
}

int
rta_registry_add_file(struct rta_registry *r, const char *path,
    unsigned flags, struct rta_schema_problems *ps)
{
	struct rta_schema *s = NULL;
	struct rta_registry_entry *e;
	struct naming fn, id, x;
	const struct naming *tsrc = NULL, *vsrc = NULL, *all[3];
	const char *base, *seg, *end, *saved = ps->file;
	struct rta_buf text;
	size_t i, first = ps->n;
	int bad = 0;

	ps->file = path;
	rta_buf_init(&text);
	if (rta_schema_read_file(path, &text, ps) != 0 ||
	    (s = rta_schema_load(text.data, text.len, path, flags,
	    ps)) == NULL)
		goto fail;
	base = strrchr(path, '/');
	base = base != NULL ? base + 1 : path;
	name_from(&fn, "the file name", "", base, strlen(base));
	memset(&id, 0, sizeof(id));
	if (s->id != NULL) {
		end = strchr(s->id, '#');
		end = end != NULL ? end : s->id + strlen(s->id);
		for (seg = end; seg > s->id && seg[-1] != '/'; seg--)
			;
		name_from(&id, "$id", "/$id", seg, (size_t)(end - seg));
	}
	x.what = "x-rta-event-type/x-rta-version";
	x.type = s->x_type;
	x.type_len = s->x_type != NULL ? strlen(s->x_type) : 0;
	x.version = (uint32_t)s->x_version;
	x.type_ptr = "/x-rta-event-type";
	x.version_ptr = "/x-rta-version";
	all[0] = &x;
	all[1] = &id;
	all[2] = &fn;
	/*
	 * A schema whose names disagree is not used: which would be meant?
	 * The problem is at the member of the one that takes precedence.
	 */
	for (i = 0; i < 3; i++) {
		if (all[i]->type != NULL) {
			if (tsrc == NULL)
				tsrc = all[i];
			else if (tsrc->type_len != all[i]->type_len ||
			    memcmp(tsrc->type, all[i]->type,
			    tsrc->type_len) != 0) {
				rta_schema_problems_add(ps, tsrc->type_ptr,
				    "%s names event type '%.*s' but %s "
				    "names '%.*s'", tsrc->what,
				    (int)tsrc->type_len, tsrc->type,
				    all[i]->what, (int)all[i]->type_len,
				    all[i]->type);
				bad = 1;
			}
		}
		if (all[i]->version != 0) {
			if (vsrc == NULL)
				vsrc = all[i];
			else if (vsrc->version != all[i]->version) {
				rta_schema_problems_add(ps, vsrc->version_ptr,
				    "%s says version %u but %s says %u",
				    vsrc->what, vsrc->version, all[i]->what,
				    all[i]->version);
				bad = 1;
			}
		}
	}
	if (bad)
		goto fail;
	if (tsrc == NULL || vsrc == NULL) {
		rta_schema_problems_add(ps, "", "no event type and version: "
		    "name the file TYPE.vN.json or set x-rta-event-type and "
		    "x-rta-version");
		goto fail;
	}
	if (tsrc->type_len == 0 || tsrc->type_len > RTA_ID_MAX) {
		rta_schema_problems_add(ps, tsrc->type_ptr, "event type must "
		    "be 1 to %d bytes", RTA_ID_MAX);
		goto fail;
	}
	for (i = 0; i < r->n; i++)
		if (r->e[i].version == vsrc->version &&
		    r->e[i].type_len == tsrc->type_len &&
		    memcmp(r->e[i].type, tsrc->type, tsrc->type_len) == 0) {
			rta_schema_problems_add(ps, vsrc->version_ptr, "%.*s "
			    "v%u is also defined by %s", (int)tsrc->type_len,
			    tsrc->type, vsrc->version, r->e[i].path);
			goto fail;
		}
	if ((r->n & (r->n + 1)) == 0 || r->n == 0) {
		e = rta_reallocarray(r->e, 2 * r->n + 2, sizeof(*e));
		if (e == NULL)
			goto oom;
		r->e = e;
	}
	e = &r->e[r->n];
	memset(e, 0, sizeof(*e));
	if ((e->type = rta_memdup(tsrc->type, tsrc->type_len)) == NULL ||
	    (e->path = rta_memdup(path, strlen(path))) == NULL) {
		rta_free(e->type);
		goto oom;
	}
	e->type_len = tsrc->type_len;
	e->version = vsrc->version;
	e->schema = s;
	r->n++;
	r->last = NULL;		/* r->e may have moved */
	rta_buf_release(&text);
	ps->file = saved;
	return 0;
oom:
	rta_schema_problems_add(ps, "", "out of memory");
fail:
	set_lines(ps, first, &text);
	rta_schema_free(s);
	rta_buf_release(&text);
	ps->file = saved;
	return -1;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct rta_registry_entry *x = a, *y = b;
	int c = strcmp(x->type, y->type);

	if (c != 0)
		return c;
	return x->version < y->version ? -1 : x->version > y->version;
}

int
rta_registry_index(struct rta_registry *r)
{
	uint32_t cap = 8, i, j;
	size_t k;

	if (r->n > 1)
		qsort(r->e, r->n, sizeof(*r->e), entry_cmp);
	for (k = 0; k < r->n; k++) {
		size_t last = k;

		r->e[k].previous = k > 0 && strcmp(r->e[k - 1].type,
		    r->e[k].type) == 0 ? &r->e[k - 1] : NULL;
		while (last + 1 < r->n &&
		    strcmp(r->e[last + 1].type, r->e[k].type) == 0)
			last++;
		r->e[k].latest = &r->e[last];
	}
	while (cap < 2 * r->n)
		cap *= 2;
	rta_free(r->table);
	if ((r->table = rta_malloc(cap * sizeof(*r->table))) == NULL)
		return -1;
	memset(r->table, 0xff, cap * sizeof(*r->table));
	r->mask = cap - 1;
	for (i = 0; i < r->n; i++) {
		j = entry_hash(r->e[i].type, r->e[i].type_len,
		    r->e[i].version) & r->mask;
		while (r->table[j] != UINT32_MAX)
			j = (j + 1) & r->mask;
		r->table[j] = i;
	}
	r->last = NULL;
	return 0;
}

static int
json_name(const char *name)
{
	size_t len = strlen(name);

	return len > 5 && name[0] != '.' &&
	    strcmp(name + len - 5, ".json") == 0;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
rta_registry_load(struct rta_registry *r, const char *dir, unsigned flags,
    struct rta_schema_problems *ps)
{
	DIR *d;
	struct dirent *de;
	struct stat st;
	char **names = NULL, **nn;
	size_t n = 0, cap = 0, i;
	struct rta_buf path;
	int rc = 0;

	ps->file = dir;
	if ((d = opendir(dir)) == NULL) {
		rta_schema_problems_add(ps, "", "%s", strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (!json_name(de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			if ((nn = rta_reallocarray(names, cap,
			    sizeof(*names))) == NULL)
				goto oom;
			names = nn;
		}
		if ((names[n] = rta_memdup(de->d_name,
		    strlen(de->d_name))) == NULL)
			goto oom;
		n++;
	}
	closedir(d);
	d = NULL;
	if (n > 1)
		qsort(names, n, sizeof(*names), name_cmp);
	rta_buf_init(&path);
	for (i = 0; i < n; i++) {
		path.len = 0;
		if (rta_buf_printf(&path, "%s%s%s", dir,
		    dir[0] != '\0' && dir[strlen(dir) - 1] == '/' ? "" : "/",
		    names[i]) != 0) {
			rta_buf_release(&path);
			goto oom;
		}
		if (stat((const char *)path.data, &st) != 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (rta_registry_add_file(r, (const char *)path.data, flags,
		    ps) != 0)
			rc = -1;
	}
	rta_buf_release(&path);
	for (i = 0; i < n; i++)
		rta_free(names[i]);
	rta_free(names);
	ps->file = dir;
	if (r->n == 0 && rc == 0) {
		rta_schema_problems_add(ps, "", "no schemas (*.json files) in "
		    "the directory");
		rc = -1;
	}
	if (rta_registry_index(r) != 0) {
		rta_schema_problems_add(ps, "", "out of memory");
		rc = -1;
	}
	ps->file = NULL;
	return rc;
oom:
	if (d != NULL)
		closedir(d);
	for (i = 0; i < n; i++)
		rta_free(names[i]);
	rta_free(names);
	rta_schema_problems_add(ps, "", "out of memory");
	ps->file = NULL;
	return -1;
}

const struct rta_registry_entry *
rta_registry_find(struct rta_registry *r, const char *type, size_t len,
    uint32_t version)
{
	const struct rta_registry_entry *e = r->last;
	uint32_t i;

	if (e != NULL && e->version == version && e->type_len == len &&
	    memcmp(e->type, type, len) == 0)
		return e;
	if (r->table == NULL)
		return NULL;
	for (i = entry_hash(type, len, version) & r->mask;
	    r->table[i] != UINT32_MAX; i = (i + 1) & r->mask) {
		e = &r->e[r->table[i]];
		if (e->version == version && e->type_len == len &&
		    memcmp(e->type, type, len) == 0) {
			r->last = e;
			return e;
		}
	}
	return NULL;
}

const struct rta_registry_entry *
rta_registry_latest(struct rta_registry *r, const char *type, size_t len)
{
	size_t lo = 0, hi = r->n;

	/* entries are sorted by type: binary search, then its last */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(r->e[mid].type, type, len);

		if (c == 0 && r->e[mid].type_len > len)
			c = 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < r->n && r->e[lo].type_len == len &&
	    memcmp(r->e[lo].type, type, len) == 0)
		return r->e[lo].latest;
	return NULL;
}
