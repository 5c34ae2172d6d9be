/*
 * rta_cold_walk.c: walking the cold store's partitions (see rta_cold.h):
 * rta_cold_walk, and rta_cold_files on top of it.
 *
 * One walk serves readers (rta_cold_files) and writers (rta-store
 * archive); only what each accepts as a partition file differs.
 * Whatever is in the tree is untrusted: nothing is followed through a
 * symbolic link, names are sorted so that reports come in one order
 * everywhere, and every path is built with its length checked.
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_cold.h"
#include "rta_store.h"

/* A name in a listed directory, with its readdir type. */
struct dent {
	char		*name;
	unsigned char	 type;
};

struct walker {
	int				 fd;	/* DIR */
	const char			*path;
	const struct rta_cold_walk	*w;
	const char			*dataset;
	struct rta_cold_entry		 e;
	char				 tenant[257];
	struct rta_error		*err;
	int				 errnum; /* of an RTA_EIO */
};

static int
dent_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dent *)a)->name,
	    ((const struct dent *)b)->name);
}

static void
dents_free(struct dent *v, size_t n)
{
	while (n > 0)
		free(v[--n].name);
	free(v);
}

static int
walk_io(struct walker *k, const char *rel)
{
	k->errnum = errno;
	return rta_error_set(k->err, RTA_EIO, "cold-io", "%s/%s: %s", k->path,
	    rel, strerror(k->errnum));
}

/*
 * The entries of the directory fd (which stays open), sorted, so that
 * what is reported comes in the same order on every file system.
 */
static int
list_dir(struct walker *k, int fd, const char *rel, struct dent **vp,
    size_t *np)
{
	struct dent *v = NULL, *nv;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int dfd;

	if ((dfd = dup(fd)) < 0 || (d = fdopendir(dfd)) == NULL) {
		if (dfd >= 0)
			close(dfd);
		return walk_io(k, rel);
	}
	/* A dup shares its offset: start from the top. */
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			if ((nv = reallocarray(v, cap, sizeof(*v))) == NULL)
				goto fail;
			v = nv;
		}
		if ((v[n].name = strdup(de->d_name)) == NULL)
			goto fail;
		v[n++].type = de->d_type;
	}
	closedir(d);
	if (n > 0)
		qsort(v, n, sizeof(*v), dent_cmp);
	*vp = v;
	*np = n;
	return RTA_OK;
fail:
	closedir(d);
	dents_free(v, n);
	return rta_error_set(k->err, RTA_ENOMEM, "oom", "out of memory");
}

/* Whether the entry of the directory fd is a directory (not a link). */
static int
is_dir(int fd, const struct dent *de)
{
	struct stat st;

	if (de->type != DT_UNKNOWN)
		return de->type == DT_DIR;
	return fstatat(fd, de->name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISDIR(st.st_mode);
}

static void
report(struct walker *k, const char *rel, const char *name,
    enum rta_cold_skip why)
{
	if (k->w->skip == NULL)
		return;
	k->e.rel = rel;
	k->e.name = name;
	k->e.st = NULL;
	k->w->skip(k->w->arg, &k->e, why);
}

/* The entries of the partition rel (its directory open as fd). */
static int
walk_files(struct walker *k, int fd, const char *rel)
{
	char fr[RTA_COLD_PART_MAX + NAME_MAX + 2];
	int strict = k->w->flags & RTA_COLD_STRICT;
	struct stat *sv = NULL;
	struct dent *v;
	size_t n, i, l;
	int rc, plen;

	if ((rc = list_dir(k, fd, rel, &v, &n)) != RTA_OK)
		return rc;
	if (strict && n > 0 && (sv = calloc(n, sizeof(*sv))) == NULL) {
		dents_free(v, n);
		return rta_error_set(k->err, RTA_ENOMEM, "oom",
		    "out of memory");
	}
	/* Strict: the partition as a whole, or nothing of it. */
	for (i = 0; strict && i < n; i++) {
		plen = snprintf(fr, sizeof(fr), "%s/%s", rel, v[i].name);
		if (plen < 0 || (size_t)plen >= RTA_COLD_PART_MAX - 1 ||
		    fstatat(fd, v[i].name, &sv[i], AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(sv[i].st_mode) || !rta_cold_name_valid(v[i].name)) {
			fr[RTA_COLD_PART_MAX - 1] = '\0';
			report(k, fr, v[i].name, RTA_COLD_NOT_FILE);
			goto out;
		}
	}
	for (i = 0; i < n && rc == RTA_OK; i++) {
		snprintf(fr, sizeof(fr), "%s/%s", rel, v[i].name);
		l = strlen(v[i].name);
		if (!strict && (l < 9 || strcmp(v[i].name + l - 8,
		    ".parquet") != 0)) {
			report(k, fr, v[i].name, RTA_COLD_NOT_FILE);
			continue;
		}
		k->e.rel = fr;
		k->e.name = v[i].name;
		k->e.st = strict ? &sv[i] : NULL;
		rc = k->w->file(k->w->arg, &k->e);
	}
out:
	free(sv);
	dents_free(v, n);
	return rc;
}

/* A directory at a partition's depth: rel, open as fd. */
static int
walk_part(struct walker *k, int fd, const char *rel)
{
	const struct rta_cold_walk *w = k->w;
	char ds[256];
	int64_t day;
	int rc = RTA_OK;

	if (((w->flags & RTA_COLD_STRICT) &&
	    rta_cold_part_canon(rel, &day) != (long)strlen(rel)) ||
	    rta_cold_part_parse(rel, ds, sizeof(ds), k->tenant, &k->e.tlen,
	    &day) != 0) {
		report(k, rel, strrchr(rel, '/') + 1, RTA_COLD_NOT_PART);
		return RTA_OK;
	}
	k->e.tenant = k->tenant;
	k->e.day = day;
	if ((w->tenant != NULL && (k->e.tlen != w->tlen ||
	    memcmp(k->tenant, w->tenant, w->tlen) != 0)) || day < w->from ||
	    day >= w->to)
		report(k, rel, strrchr(rel, '/') + 1, RTA_COLD_PRUNED);
	else
		rc = walk_files(k, fd, rel);
	k->e.tenant = NULL;
	k->e.tlen = 0;
	k->e.day = 0;
	return rc;
}

/*
 * DATASET/tenant_id=T/year=Y/month=M below the dataset: rel is at depth
 * (0 the dataset), its directory open as fd.
 */
static int
walk_dir(struct walker *k, int fd, const char *rel, int depth)
{
	char sub[RTA_COLD_PART_MAX];
	struct dent *v;
	size_t n, i;
	int cfd, rc;

	if ((rc = list_dir(k, fd, rel, &v, &n)) != RTA_OK)
		return rc;
	for (i = 0; i < n && rc == RTA_OK; i++) {
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", rel,
		    v[i].name) >= sizeof(sub) - 1 || !is_dir(fd, &v[i])) {
			report(k, sub, v[i].name, RTA_COLD_NOT_DIR);
			continue;
		}
		cfd = openat(fd, v[i].name, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		if (cfd < 0) {
			if (errno != ENOENT)
				rc = walk_io(k, sub);
			continue;
		}
		if (depth + 1 == 4)
			rc = walk_part(k, cfd, sub);
		else
			rc = walk_dir(k, cfd, sub, depth + 1);
		close(cfd);
	}
	dents_free(v, n);
	return rc;
}

static int
walk_dataset(struct walker *k, const char *name)
{
	int fd, rc;

	fd = openat(k->fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR || errno == ELOOP))
		return rta_error_set(k->err, RTA_EOF, "cold-missing",
		    "%s: no dataset '%s'", k->path, name);
	if (fd < 0)
		return walk_io(k, name);
	k->e.dataset = name;
	rc = walk_dir(k, fd, name, 0);
	close(fd);
	return rc;
}

/* rta_cold_walk, with errno of an RTA_EIO into *errnum. */
static int
cold_walk(int fd, const char *path, const struct rta_cold_walk *w, int *errnum,
    struct rta_error *err)
{
	struct walker k;
	struct dent *v;
	size_t n, i;
	int rc;

	memset(&k, 0, sizeof(k));
	k.fd = fd;
	k.path = path;
	k.w = w;
	k.err = err;
	if (w->dataset != NULL)
		rc = walk_dataset(&k, w->dataset);
	else if ((rc = list_dir(&k, fd, ".", &v, &n)) == RTA_OK) {
		for (i = 0; i < n && rc == RTA_OK; i++) {
			if (!rta_store_name_valid(v[i].name) ||
			    !is_dir(fd, &v[i]))
				continue;
			/* Gone since listed: passed by, as below. */
			if ((rc = walk_dataset(&k, v[i].name)) == RTA_EOF)
				rc = RTA_OK;
		}
		dents_free(v, n);
	}
	*errnum = k.errnum;
	return rc;
}

int
rta_cold_walk(int fd, const char *path, const struct rta_cold_walk *w,
    struct rta_error *err)
{
	int errnum;

	return cold_walk(fd, path, w, &errnum, err);
}

/* ---- reading ------------------------------------------------------------ */

struct cfile {
	char	*tenant;	/* decoded */
	size_t	 tlen;
	int64_t	 day;
	char	*path;
};

struct cfiles {
	const char	*path;	/* the store */
	struct cfile	*v;
	size_t		 n, cap;
	uint64_t	 skipped;
	struct rta_error *err;
};

static int
cfile_cmp(const void *a, const void *b)
{
	const struct cfile *x = a, *y = b;
	size_t n = x->tlen < y->tlen ? x->tlen : y->tlen;
	int c = memcmp(x->tenant, y->tenant, n);

	if (c != 0)
		return c;
	if (x->tlen != y->tlen)
		return x->tlen < y->tlen ? -1 : 1;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return strcmp(x->path, y->path);
}

static int
cfiles_add(void *arg, const struct rta_cold_entry *e)
{
	struct cfiles *cf = arg;
	struct cfile *nv;

	if (cf->n == cf->cap) {
		size_t cap = cf->cap ? cf->cap * 2 : 64;

		if ((nv = realloc(cf->v, cap * sizeof(*nv))) == NULL)
			goto nomem;
		cf->v = nv;
		cf->cap = cap;
	}
	nv = &cf->v[cf->n];
	nv->tlen = e->tlen;
	nv->day = e->day;
	nv->tenant = malloc(e->tlen + 1);
	if (asprintf(&nv->path, "%s/%s", cf->path, e->rel) < 0)
		nv->path = NULL;
	if (nv->tenant == NULL || nv->path == NULL) {
		free(nv->tenant);
		free(nv->path);
		goto nomem;
	}
	memcpy(nv->tenant, e->tenant, e->tlen);
	cf->n++;
	return RTA_OK;
nomem:
	return rta_error_set(cf->err, RTA_ENOMEM, "no-memory",
	    "out of memory");
}

static void
cfiles_pruned(void *arg, const struct rta_cold_entry *e,
    enum rta_cold_skip why)
{
	struct cfiles *cf = arg;

	(void)e;
	if (why == RTA_COLD_PRUNED)
		cf->skipped++;
}

void
rta_cold_files_free(char **files, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
}

int
rta_cold_map(const char *file, void **map, size_t *size,
    struct rta_error *err)
{
	struct stat sb;
	int fd;

	*map = NULL;
	*size = 0;
	fd = open(file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		rta_error_set(err, RTA_EDATA, "io", "%s: %s", file, fd < 0 ?
		    strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return RTA_EDATA;
	}
	if (sb.st_size > 0 && (*map = mmap(NULL, (size_t)sb.st_size,
	    PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
		*map = NULL;
		rta_error_set(err, RTA_EIO, "io", "%s: %s", file,
		    strerror(errno));
		close(fd);
		return RTA_EIO;
	}
	close(fd);
	*size = (size_t)sb.st_size;
	return RTA_OK;
}

void
rta_cold_unmap(void *map, size_t size)
{
	if (map != NULL)
		munmap(map, size);
}

#define DAY_US	(86400LL * 1000000LL)

/* a / DAY_US rounded down, and up. */
static int64_t
day_floor(int64_t a)
{
	return a / DAY_US - (a % DAY_US < 0);
}

static int64_t
day_ceil(int64_t a)
{
	return a / DAY_US + (a % DAY_US > 0);
}

int
rta_cold_files(const char *path, const char *dataset, const char *tenant,
    size_t tlen, int64_t from, int64_t to, char ***files, size_t *n,
    uint64_t *skipped, struct rta_error *err)
{
	struct cfiles cf = { path, NULL, 0, 0, 0, err };
	struct rta_cold_walk w;
	size_t k;
	int rc, dfd, errnum;

	*files = NULL;
	*n = 0;
	*skipped = 0;
	if ((dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return rta_error_set(err, errno == ENOENT ? RTA_EOF : RTA_EIO,
		    "cold-io", "%s: %s", path, strerror(errno));
	memset(&w, 0, sizeof(w));
	w.dataset = dataset;
	w.tenant = tenant;
	w.tlen = tlen;
	/* A day's partition can hold [day, day + 1) * DAY_US. */
	w.from = day_floor(from);
	w.to = day_ceil(to);
	w.file = cfiles_add;
	w.skip = cfiles_pruned;
	w.arg = &cf;
	rc = cold_walk(dfd, path, &w, &errnum, err);
	if (rc == RTA_EOF && faccessat(dfd, dataset, F_OK,
	    AT_SYMLINK_NOFOLLOW) == 0)
		rc = RTA_OK;		/* a link or a file: nothing in it */
	else if (rc == RTA_EIO)
		rta_error_set(err, RTA_EIO, "cold-io", "%s/%s: %s", path,
		    dataset, strerror(errnum));
	else if (rc == RTA_ENOMEM)
		rta_error_set(err, RTA_ENOMEM, "no-memory", "out of memory");
	if (rc == RTA_OK && cf.n > 0) {
		qsort(cf.v, cf.n, sizeof(cf.v[0]), cfile_cmp);
		if ((*files = malloc(cf.n * sizeof(char *))) == NULL)
			rc = rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory");
	}
	if (rc == RTA_OK) {
		for (k = 0; k < cf.n; k++) {
			(*files)[k] = cf.v[k].path;
			cf.v[k].path = NULL;
		}
		*n = cf.n;
		*skipped = cf.skipped;
	}
	for (k = 0; k < cf.n; k++) {
		free(cf.v[k].tenant);
		free(cf.v[k].path);
	}
	free(cf.v);
	close(dfd);
	return rc;
}
