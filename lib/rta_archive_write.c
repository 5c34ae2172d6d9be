/*
 * rta_archive_write.c: `rta-store archive`, old cold-store partitions
 * into one archive file (see rta_archive.h): rta_archive_create.
 *
 * The partitions are found by a strict rta_cold_walk: a symbolic link is
 * never archived or followed, and a partition holding anything but
 * partition files is left alone as a whole.  Each file is hashed for the
 * manifest, then read again into the archive and must hash the same, so
 * a file changed in between fails the archive rather than slipping into
 * it.  The archive is written under a temporary name, synced and renamed
 * into place, never over an existing file; with --remove it is read back
 * and checked before anything is removed.
 */
#define _GNU_SOURCE
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_archive.h"
#include "rta_archive_int.h"
#include "rta_buf.h"
#include "rta_export.h"
#include "rta_io.h"

/* ---- archive ------------------------------------------------------------ */

struct cfile {
	char		*path;
	uint64_t	 size;
	unsigned	 mode;
	int64_t		 mtime;
};

struct collect {
	struct rta_cold			*c;
	const struct rta_archive_opts	*o;
	struct rta_archive_result	*r;
	struct cfile			*v;
	size_t				 n, cap;
	struct rta_error		*err;
};

static void
left_alone(struct collect *k, const char *rel, const char *what)
{
	char q[QUOTE + 8], line[PATH_MAX + QUOTE + 128];

	k->r->skipped++;
	if (k->o->warn == NULL)
		return;
	rta_quote(q, sizeof(q), rel, strlen(rel), QUOTE);
	snprintf(line, sizeof(line), "%s/%s: %s", k->c->path, q, what);
	k->o->warn(k->o->arg, line);
}

static int
oom(struct rta_error *err)
{
	return rta_error_set(err, RTA_ENOMEM, "oom", "out of memory");
}

/* A partition file found: archived unless the walk leaves it alone. */
static int
collect_file(void *arg, const struct rta_cold_entry *e)
{
	struct collect *k = arg;
	struct cfile *nv;

	if (k->n == k->cap) {
		k->cap = k->cap ? 2 * k->cap : 64;
		if ((nv = reallocarray(k->v, k->cap, sizeof(*nv))) == NULL)
			return oom(k->err);
		k->v = nv;
	}
	if ((k->v[k->n].path = strdup(e->rel)) == NULL)
		return oom(k->err);
	k->v[k->n].size = (uint64_t)e->st->st_size;
	k->v[k->n].mode = e->st->st_mode & 0777;
	k->v[k->n].mtime = e->st->st_mtime;
	k->n++;
	return RTA_OK;
}

static void
collect_skip(void *arg, const struct rta_cold_entry *e,
    enum rta_cold_skip why)
{
	struct collect *k = arg;

	const char *slash = strchr(e->rel, '/');

	switch (why) {
	case RTA_COLD_NOT_DIR:
		/* export's own record beside a dataset's partitions, there
		 * after every export: not a stray, and not archived */
		if (slash != NULL && strchr(slash + 1, '/') == NULL &&
		    strcmp(slash + 1, RTA_EXPORT_STATE) == 0)
			break;
		/* FALLTHROUGH */
	case RTA_COLD_NOT_PART:
		left_alone(k, e->rel, "not a partition directory; left alone");
		break;
	case RTA_COLD_NOT_FILE:
		left_alone(k, e->rel, "not a partition file; its partition "
		    "is left alone");
		break;
	case RTA_COLD_PRUNED:
		break;		/* a day not asked for */
	}
}

/*
 * The partition files of the days before o->before, of o->dataset or
 * every dataset, strictly: a partition with anything odd in it is left
 * alone as a whole, and links are not followed.
 */
static int
collect(struct collect *k)
{
	struct rta_cold_walk w;
	int rc;

	memset(&w, 0, sizeof(w));
	w.dataset = k->o->dataset;
	w.from = INT64_MIN;
	w.to = k->o->before;
	w.flags = RTA_COLD_STRICT;
	w.file = collect_file;
	w.skip = collect_skip;
	w.arg = k;
	rc = rta_cold_walk(k->c->fd, k->c->path, &w, k->err);
	if (rc == RTA_EOF)
		rc = rta_error_set(k->err, RTA_EINVAL, "no-dataset", "%s: no "
		    "dataset '%s'", k->c->path, k->o->dataset);
	return rc;
}

static int
cfile_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cfile *)a)->path,
	    ((const struct cfile *)b)->path);
}

/*
 * Read the file f (relative to the store) through, hashing it; with a,
 * write it to a as well.  It must still be f->size bytes (and match
 * want, when given).
 */
static int
hash_file(struct rta_cold *c, const struct cfile *f, unsigned char *buf,
    struct archive *a, const unsigned char *want, unsigned char *out,
    struct rta_error *err)
{
	struct sha256_ctx sha;
	uint64_t got = 0;
	ssize_t n = 0;
	int fd, rc = RTA_OK;

	if ((fd = openat(c->fd, f->path, O_RDONLY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return rta_error_set(err, RTA_EIO, "cold-io", "%s/%s: %s",
		    c->path, f->path, strerror(errno));
	sha256_init(&sha);
	while (got < f->size) {
		n = read(fd, buf, f->size - got < IOBUF ?
		    (size_t)(f->size - got) : IOBUF);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		sha256_update(&sha, (size_t)n, buf);
		got += (uint64_t)n;
		if (a != NULL && archive_write_data(a, buf, (size_t)n) != n) {
			rc = rta_error_set(err, RTA_EIO, "archive-io", "%s",
			    archive_error_string(a));
			goto out;
		}
	}
	if (n < 0) {
		rc = rta_error_set(err, RTA_EIO, "cold-io", "%s/%s: %s",
		    c->path, f->path, strerror(errno));
		goto out;
	}
	sha256_digest(&sha, RTA_ARCHIVE_SHA256, out);
	if (got != f->size || read(fd, buf, 1) != 0 ||
	    (want != NULL && memcmp(out, want, RTA_ARCHIVE_SHA256) != 0))
		rc = rta_error_set(err, RTA_EDATA, "changed", "%s/%s: changed "
		    "while being archived", c->path, f->path);
out:
	close(fd);
	return rc;
}

static int
put_header(struct archive *a, const char *path, uint64_t size, unsigned mode,
    int64_t mtime, struct rta_error *err)
{
	struct archive_entry *e;
	int rc;

	if ((e = archive_entry_new()) == NULL)
		return oom(err);
	archive_entry_set_pathname(e, path);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, mode);
	archive_entry_set_size(e, (int64_t)size);
	archive_entry_set_mtime(e, (time_t)mtime, 0);
	rc = archive_write_header(a, e);
	archive_entry_free(e);
	if (rc != ARCHIVE_OK)
		return rta_error_set(err, RTA_EIO, "archive-io", "%s",
		    archive_error_string(a));
	return RTA_OK;
}

/* Write the archive to fd: the manifest text, then the files. */
static int
write_archive(struct rta_cold *c, int fd, const char *filter,
    const struct rta_buf *text, const struct rta_archive_manifest *m,
    const struct cfile *v, int64_t mtime, struct rta_error *err)
{
	unsigned char digest[RTA_ARCHIVE_SHA256], *buf;
	struct archive *a;
	size_t i;
	int rc;

	if ((buf = malloc(IOBUF)) == NULL || (a = archive_write_new()) ==
	    NULL) {
		free(buf);
		return oom(err);
	}
	archive_write_set_format_pax_restricted(a);
	if (strcmp(filter, "zstd") == 0)
		rc = archive_write_add_filter_zstd(a);
	else if (strcmp(filter, "gzip") == 0)
		rc = archive_write_add_filter_gzip(a);
	else if (strcmp(filter, "xz") == 0)
		rc = archive_write_add_filter_xz(a);
	else
		rc = archive_write_add_filter_none(a);
	if ((rc != ARCHIVE_OK && rc != ARCHIVE_WARN) ||
	    archive_write_open_fd(a, fd) != ARCHIVE_OK) {
		rc = rta_error_set(err, RTA_EIO, "archive-io", "%s",
		    archive_error_string(a));
		goto out;
	}
	if ((rc = put_header(a, RTA_ARCHIVE_MANIFEST, text->len, 0644, mtime,
	    err)) != RTA_OK)
		goto out;
	if (archive_write_data(a, text->data, text->len) !=
	    (la_ssize_t)text->len) {
		rc = rta_error_set(err, RTA_EIO, "archive-io", "%s",
		    archive_error_string(a));
		goto out;
	}
	for (i = 0; i < m->n; i++) {
		if ((rc = put_header(a, v[i].path, v[i].size, v[i].mode,
		    v[i].mtime, err)) != RTA_OK ||
		    (rc = hash_file(c, &v[i], buf, a, m->v[i].sha256, digest,
		    err)) != RTA_OK)
			goto out;
	}
	if (archive_write_close(a) != ARCHIVE_OK)
		rc = rta_error_set(err, RTA_EIO, "archive-io", "%s",
		    archive_error_string(a));
out:
	archive_write_free(a);
	free(buf);
	return rc;
}

static int
sync_dir_of(const char *file)
{
	const char *slash = strrchr(file, '/');
	char dir[PATH_MAX];
	int fd, rc;

	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == file)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - file), file);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	rc = rta_io_fsync(fd);
	close(fd);
	return rc;
}

/* Rename, never replacing an existing file. */
static int
rename_new(const char *from, const char *to)
{
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -1;
	if (link(from, to) != 0)
		return -1;
	return unlink(from);
}

/* The manifest text for the sorted files v, hashing each. */
static int
make_manifest(struct rta_cold *c, const struct cfile *v, size_t n,
    struct rta_buf *text, struct rta_error *err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char digest[RTA_ARCHIVE_SHA256], *buf;
	char h[2 * RTA_ARCHIVE_SHA256 + 1];
	size_t i, j;
	int rc = RTA_OK;

	if ((buf = malloc(IOBUF)) == NULL ||
	    rta_buf_adds(text, RTA_ARCHIVE_HEADER) != 0) {
		free(buf);
		return oom(err);
	}
	for (i = 0; i < n && rc == RTA_OK; i++) {
		if ((rc = hash_file(c, &v[i], buf, NULL, NULL, digest, err)) !=
		    RTA_OK)
			break;
		for (j = 0; j < RTA_ARCHIVE_SHA256; j++) {
			h[2 * j] = hex[digest[j] >> 4];
			h[2 * j + 1] = hex[digest[j] & 15];
		}
		h[2 * RTA_ARCHIVE_SHA256] = '\0';
		if (rta_buf_printf(text, "%s %llu %s\n", h,
		    (unsigned long long)v[i].size, v[i].path) != 0)
			rc = oom(err);
	}
	free(buf);
	return rc;
}

/* Write, sync and rename the archive of k's files into place. */
static int
create_file(struct rta_cold *c, const char *file, const char *filter,
    struct collect *k, struct rta_archive_manifest *m, struct rta_error *err)
{
	struct rta_buf text = RTA_BUF_INIT;
	char *tmp = NULL;
	int fd = -1, rc;

	if ((rc = make_manifest(c, k->v, k->n, &text, err)) != RTA_OK)
		goto out;
	/* What restore would refuse is never written. */
	if ((rc = rta_archive_manifest_parse(m, (const char *)text.data,
	    text.len, err)) != RTA_OK)
		goto out;
	if (asprintf(&tmp, "%s.tmp", file) < 0) {
		tmp = NULL;
		rc = oom(err);
		goto out;
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0666)) < 0) {
		rc = rta_error_errno(err, tmp);
		goto out;
	}
	if ((rc = write_archive(c, fd, filter, &text, m, k->v, k->o->mtime,
	    err)) != RTA_OK)
		goto out;
	if (rta_io_fsync(fd) != 0 || close(fd) != 0) {
		fd = -1;
		rc = rta_error_errno(err, tmp);
		goto out;
	}
	fd = -1;
	if (rename_new(tmp, file) != 0) {
		rc = errno == EEXIST ? rta_error_set(err, RTA_EINVAL, "exists",
		    "%s: already exists; not overwritten", file) :
		    rta_error_errno(err, file);
		goto out;
	}
	free(tmp);
	tmp = NULL;
	if (sync_dir_of(file) != 0)
		rc = rta_error_errno(err, file);
out:
	if (fd >= 0)
		close(fd);
	if (tmp != NULL) {
		(void)unlink(tmp);
		free(tmp);
	}
	rta_buf_release(&text);
	return rc;
}

/* Read the archive back; then remove the partitions it holds. */
static int
remove_archived(struct rta_cold *c, const char *file,
    const struct rta_archive_manifest *m, struct rta_archive_result *r,
    struct rta_error *err)
{
	struct rta_archive_result vr;
	char t[sizeof(err->text)];
	size_t i;
	int rc;

	if ((rc = rta_archive_verify(file, &vr, err)) != RTA_OK) {
		snprintf(t, sizeof(t), "%s", err->text);
		return rta_error_set(err, rc == RTA_EDATA ? RTA_EIO : rc,
		    "verify", "%s: read back: %s; nothing removed", file, t);
	}
	if (vr.files != m->n || vr.partitions != m->nparts)
		return rta_error_set(err, RTA_EIO, "verify", "%s: read back: "
		    "%llu files, %zu written; nothing removed", file,
		    (unsigned long long)vr.files, m->n);
	for (i = 0; i < m->nparts; i++) {
		if ((rc = rta_cold_remove(c, m->parts[i].path, err)) != RTA_OK)
			return rc;
		r->removed++;
	}
	return RTA_OK;
}

/*
 * Whether file would be inside the store (where --remove could take
 * the archive away with a partition).
 */
static int
inside(struct rta_cold *c, const char *file)
{
	const char *slash = strrchr(file, '/');
	char dir[PATH_MAX], rdir[PATH_MAX], rstore[PATH_MAX];
	size_t n;

	if (slash == NULL)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - file + 1),
		    file);
	if (realpath(dir, rdir) == NULL || realpath(c->path, rstore) == NULL)
		return 0;
	n = strlen(rstore);
	return strncmp(rdir, rstore, n) == 0 && (rdir[n] == '/' ||
	    rdir[n] == '\0' || n == 1);
}

int
rta_archive_create(struct rta_cold *c, const char *file,
    const struct rta_archive_opts *o, struct rta_archive_result *r,
    struct rta_error *err)
{
	struct rta_archive_manifest m;
	struct collect k;
	const char *filter;
	struct stat st;
	size_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	memset(&m, 0, sizeof(m));
	if ((filter = rta_archive_filter(file)) == NULL)
		return rta_error_set(err, RTA_EINVAL, "bad-name", "%s: not a "
		    ".tar.zst, .tar.gz, .tar.xz or .tar name", file);
	if (lstat(file, &st) == 0)
		return rta_error_set(err, RTA_EINVAL, "exists", "%s: already "
		    "exists; not overwritten", file);
	if (inside(c, file))
		return rta_error_set(err, RTA_EINVAL, "inside", "%s: inside "
		    "the cold store %s", file, c->path);
	memset(&k, 0, sizeof(k));
	k.c = c;
	k.o = o;
	k.r = r;
	k.err = err;
	if ((rc = collect(&k)) != RTA_OK)
		goto out;
	if (k.n == 0) {
		rc = RTA_EOF;
		goto out;
	}
	qsort(k.v, k.n, sizeof(*k.v), cfile_cmp);
	if ((rc = create_file(c, file, filter, &k, &m, err)) != RTA_OK)
		goto out;
	for (i = 0; i < m.nparts; i++) {
		r->partitions++;
		r->files += m.parts[i].files;
		r->bytes += m.parts[i].bytes;
		if (o->partition != NULL)
			o->partition(o->arg, m.parts[i].path,
			    m.parts[i].files, m.parts[i].bytes);
	}
	if (o->remove)
		rc = remove_archived(c, file, &m, r, err);
out:
	for (i = 0; i < k.n; i++)
		free(k.v[i].path);
	free(k.v);
	rta_archive_manifest_release(&m);
	return rc;
}
