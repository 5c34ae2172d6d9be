/*
 * rta_archive_read.c: reading an archive of cold-store partitions back
 * (see rta_archive.h): rta_archive_verify, and rta_archive_restore.
 *
 * Restore checks every entry against the manifest before a byte of it is
 * written, hashes what it writes, and publishes nothing until the last
 * entry has checked out, so a damaged or hostile archive leaves the store
 * as it was.  Only the compressions an archive is written with (and a
 * few more) are read, never through an external program; entries are
 * extracted with libarchive's secure flags into staging directories,
 * under names made from the manifest, not from the entry.
 */
#define _GNU_SOURCE
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_archive.h"
#include "rta_archive_int.h"
#include "rta_buf.h"
#include "rta_io.h"

/* ---- reading an archive ------------------------------------------------- */

static int
bad_entry(struct rta_error *err, const char *reason, const char *path,
    const char *fmt, ...) RTA_PRINTFLIKE(4, 5);

static int
bad_entry(struct rta_error *err, const char *reason, const char *path,
    const char *fmt, ...)
{
	char q[QUOTE + 8], what[100];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	rta_quote(q, sizeof(q), path, strlen(path), QUOTE);
	return rta_error_set(err, RTA_EDATA, reason, "entry %s: %s", q, what);
}

/* libarchive failed reading: the archive is damaged, or the disk. */
static int
damaged(struct rta_error *err, struct archive *a, const char *path)
{
	const char *s = archive_error_string(a);
	char q[QUOTE + 8];

	if (s == NULL)
		s = "unknown error";
	if (archive_errno(a) == EIO)
		return rta_error_set(err, RTA_EIO, "archive-io", "reading: %s",
		    s);
	if (path == NULL)
		return rta_error_set(err, RTA_EDATA, "damaged", "not a "
		    "readable tar archive: %s", s);
	rta_quote(q, sizeof(q), path, strlen(path), QUOTE);
	return rta_error_set(err, RTA_EDATA, "damaged", "entry %s: damaged "
	    "archive: %s", q, s);
}

static int
has_dotdot(const char *p)
{
	const char *s;

	for (;;) {
		s = strchr(p, '/');
		if ((s != NULL ? (size_t)(s - p) : strlen(p)) == 2 &&
		    p[0] == '.' && p[1] == '.')
			return 1;
		if (s == NULL)
			return 0;
		p = s + 1;
	}
}

/* The rules every entry's header must keep; its path into *pathp. */
static int
check_entry(struct archive_entry *e, const char **pathp,
    struct rta_error *err)
{
	const char *path = archive_entry_pathname(e);

	if (path == NULL || *path == '\0')
		return bad_entry(err, "no-path", "", "no path");
	if (path[0] == '/')
		return bad_entry(err, "absolute-path", path, "absolute path");
	if (has_dotdot(path))
		return bad_entry(err, "dot-dot", path, "'..' in the path");
	if (archive_entry_hardlink(e) != NULL)
		return bad_entry(err, "hard-link", path, "a hard link");
	if (archive_entry_filetype(e) == AE_IFLNK)
		return bad_entry(err, "symlink", path, "a symbolic link");
	if (archive_entry_filetype(e) != AE_IFREG)
		return bad_entry(err, "not-regular", path, "not a regular "
		    "file");
	*pathp = path;
	return RTA_OK;
}

struct scan {
	const char			*file;
	int				 fd;
	struct archive			*a;
	struct archive			*disk;	/* restore, else NULL */
	struct rta_archive_manifest	 m;
	unsigned char			*buf;
	uint64_t			 read;	/* file entries */
};

static void
scan_close(struct scan *s)
{
	if (s->a != NULL)
		archive_read_free(s->a);
	if (s->disk != NULL)
		archive_write_free(s->disk);
	if (s->fd >= 0)
		close(s->fd);
	rta_archive_manifest_release(&s->m);
	free(s->buf);
	s->a = s->disk = NULL;
	s->fd = -1;
	s->buf = NULL;
}

/* Open s->file and read its manifest into s->m. */
static int
scan_open(struct scan *s, struct rta_error *err)
{
	struct archive_entry *e;
	const char *path;
	char t[sizeof(err->text)];
	int64_t size;
	size_t got = 0;
	la_ssize_t n;
	char *text;
	int rc;

	s->a = s->disk = NULL;
	s->read = 0;
	memset(&s->m, 0, sizeof(s->m));
	if ((s->buf = malloc(IOBUF)) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "oom", "out of memory");
	if ((s->fd = open(s->file, O_RDONLY | O_CLOEXEC)) < 0)
		return rta_error_set(err, RTA_EIO, "archive-io", "%s",
		    strerror(errno));
	if ((s->a = archive_read_new()) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "oom", "out of memory");
	/*
	 * Not filter_all: it would hand an unknown compression of a
	 * hostile file to an external program (lrzip, lzop, grzip).
	 */
	archive_read_support_filter_gzip(s->a);
	archive_read_support_filter_bzip2(s->a);
	archive_read_support_filter_xz(s->a);
	archive_read_support_filter_lzma(s->a);
	archive_read_support_filter_zstd(s->a);
	archive_read_support_filter_lz4(s->a);
	archive_read_support_format_tar(s->a);
	if (archive_read_open_fd(s->a, s->fd, IOBUF) != ARCHIVE_OK)
		return damaged(err, s->a, NULL);
	rc = archive_read_next_header(s->a, &e);
	if (rc == ARCHIVE_EOF)
		return rta_error_set(err, RTA_EDATA, "no-manifest", "no "
		    "manifest: the archive is empty");
	if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
		return damaged(err, s->a, NULL);
	if ((path = archive_entry_pathname(e)) == NULL ||
	    strcmp(path, RTA_ARCHIVE_MANIFEST) != 0)
		return bad_entry(err, "no-manifest", path != NULL ? path : "",
		    "no manifest (the first entry must be MANIFEST)");
	if ((rc = check_entry(e, &path, err)) != RTA_OK)
		return rc;
	size = archive_entry_size(e);
	if (!archive_entry_size_is_set(e) || size < 0 ||
	    size > RTA_ARCHIVE_MANIFEST_MAX)
		return bad_entry(err, "bad-manifest", path, "bad manifest: "
		    "longer than %d bytes", RTA_ARCHIVE_MANIFEST_MAX);
	if ((text = malloc((size_t)size + 1)) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "oom", "out of memory");
	while (got <= (size_t)size && (n = archive_read_data(s->a, text + got,
	    (size_t)size + 1 - got)) > 0)
		got += (size_t)n;
	if (got != (size_t)size || n < 0) {
		free(text);
		return damaged(err, s->a, path);
	}
	rc = rta_archive_manifest_parse(&s->m, text, got, err);
	free(text);
	if (rc == RTA_EDATA) {
		snprintf(t, sizeof(t), "%s", err->text);
		return rta_error_set(err, RTA_EDATA, "bad-manifest", "entry "
		    RTA_ARCHIVE_MANIFEST ": %s", t);
	}
	return rc;
}

/*
 * Read the entries after the manifest, each checked against it; with
 * stage (restore) write each into its partition's staging directory
 * (paths relative to the working directory, which is the store).
 */
static int
scan_entries(struct scan *s, int restore, struct rta_error *err)
{
	unsigned char digest[RTA_ARCHIVE_SHA256];
	struct rta_archive_file *f;
	struct archive_entry *e;
	struct sha256_ctx sha;
	char dest[RTA_COLD_PART_MAX];
	const char *path;
	uint64_t got;
	la_ssize_t n;
	size_t i;
	long k;
	int rc;

	dest[0] = '\0';
	for (;;) {
		rc = archive_read_next_header(s->a, &e);
		if (rc == ARCHIVE_EOF)
			break;
		if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN)
			return damaged(err, s->a, NULL);
		s->read++;
		if ((rc = check_entry(e, &path, err)) != RTA_OK)
			return rc;
		if (!rta_archive_path_valid(path, NULL))
			return bad_entry(err, "not-partition", path, "not a "
			    "partition file");
		if ((k = rta_archive_manifest_find(&s->m, path)) < 0)
			return bad_entry(err, "not-in-manifest", path, "not in "
			    "the manifest");
		f = &s->m.v[k];
		path = f->path;		/* the entry's is rewritten below */
		if (f->seen)
			return bad_entry(err, "duplicate", path, "a duplicate "
			    "entry");
		f->seen = 1;
		if (!archive_entry_size_is_set(e) ||
		    archive_entry_size(e) != (int64_t)f->size)
			return bad_entry(err, "size-mismatch", path, "size "
			    "mismatch: %lld bytes, the manifest says %llu",
			    (long long)archive_entry_size(e),
			    (unsigned long long)f->size);
		if (restore) {
			snprintf(dest, sizeof(dest), "%s/%s",
			    s->m.parts[f->part].stage, strrchr(f->path, '/') +
			    1);
			archive_entry_copy_pathname(e, dest);
			archive_entry_set_perm(e, (archive_entry_perm(e) &
			    0666) | 0600);
			if (archive_write_header(s->disk, e) != ARCHIVE_OK)
				return rta_error_set(err, RTA_EIO, "cold-io",
				    "%s: %s", dest,
				    archive_error_string(s->disk));
		}
		sha256_init(&sha);
		got = 0;
		while ((n = archive_read_data(s->a, s->buf, IOBUF)) > 0) {
			sha256_update(&sha, (size_t)n, s->buf);
			got += (uint64_t)n;
			if (restore && archive_write_data(s->disk, s->buf,
			    (size_t)n) != n)
				return rta_error_set(err, RTA_EIO, "cold-io",
				    "%s: %s", dest,
				    archive_error_string(s->disk));
		}
		if (n < 0)
			return damaged(err, s->a, path);
		if (restore && archive_write_finish_entry(s->disk) !=
		    ARCHIVE_OK)
			return rta_error_set(err, RTA_EIO, "cold-io", "%s: %s",
			    dest, archive_error_string(s->disk));
		if (got != f->size)
			return bad_entry(err, "size-mismatch", path, "size "
			    "mismatch: %llu bytes, the manifest says %llu",
			    (unsigned long long)got,
			    (unsigned long long)f->size);
		sha256_digest(&sha, sizeof(digest), digest);
		if (memcmp(digest, f->sha256, sizeof(digest)) != 0)
			return bad_entry(err, "checksum-mismatch", path,
			    "checksum mismatch");
	}
	for (i = 0; i < s->m.n; i++)
		if (!s->m.v[i].seen)
			return bad_entry(err, "missing", s->m.v[i].path,
			    "missing (listed in the manifest, not in the "
			    "archive)");
	return RTA_OK;
}

int
rta_archive_verify(const char *file, struct rta_archive_result *r,
    struct rta_error *err)
{
	struct scan s;
	int rc;

	memset(r, 0, sizeof(*r));
	memset(&s, 0, sizeof(s));
	s.file = file;
	s.fd = -1;
	if ((rc = scan_open(&s, err)) == RTA_OK &&
	    (rc = scan_entries(&s, 0, err)) == RTA_OK) {
		r->partitions = s.m.nparts;
		r->files = s.m.n;
	}
	r->read = s.read;
	scan_close(&s);
	return rc;
}

/* ---- restore ------------------------------------------------------------ */

/*
 * Every directory of part that exists must be a directory, not a
 * symbolic link (rta_cold_publish would follow one in the middle).
 */
static int
check_place(struct rta_cold *c, const char *part, struct rta_error *err)
{
	char buf[RTA_COLD_PART_MAX], *p = buf;
	struct stat st;

	snprintf(buf, sizeof(buf), "%s", part);
	for (;;) {
		if ((p = strchr(p, '/')) != NULL)
			*p = '\0';
		if (fstatat(c->fd, buf, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			if (errno == ENOENT)
				return RTA_OK;
			return rta_error_set(err, RTA_EIO, "cold-io", "%s/%s: "
			    "%s", c->path, buf, strerror(errno));
		}
		if (!S_ISDIR(st.st_mode))
			return rta_error_set(err, RTA_EINVAL, "cold-unsafe",
			    "%s/%s: %s", c->path, buf, S_ISLNK(st.st_mode) ?
			    "a symbolic link where a directory belongs (not "
			    "followed)" : "not a directory");
		if (p == NULL)
			return RTA_OK;
		*p++ = '/';
	}
}

/* Sync each restored file, then publish each partition. */
static int
publish(struct rta_cold *c, struct scan *s, const struct rta_archive_opts *o,
    struct rta_archive_result *r, struct rta_error *err)
{
	struct rta_archive_part *pp;
	char rel[RTA_COLD_PART_MAX];
	size_t i;
	int fd, rc;

	for (i = 0; i < s->m.n; i++) {
		snprintf(rel, sizeof(rel), "%s/%s",
		    s->m.parts[s->m.v[i].part].stage,
		    strrchr(s->m.v[i].path, '/') + 1);
		fd = openat(c->fd, rel, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0 || rta_io_datasync(fd) != 0) {
			rc = rta_error_set(err, RTA_EIO, "cold-io", "%s/%s: "
			    "fsync: %s", c->path, rel, strerror(errno));
			if (fd >= 0)
				close(fd);
			return rc;
		}
		close(fd);
	}
	for (i = 0; i < s->m.nparts; i++) {
		pp = &s->m.parts[i];
		if ((rc = rta_cold_publish(c, pp->stage, pp->path, err)) !=
		    RTA_OK)
			return rc;
		pp->stage[0] = '\0';
		r->partitions++;
		r->files += pp->files;
		r->bytes += pp->bytes;
		if (o != NULL && o->partition != NULL)
			o->partition(o->arg, pp->path, pp->files, pp->bytes);
	}
	return RTA_OK;
}

static int
restore_entries(struct rta_cold *c, struct scan *s, struct rta_error *err)
{
	int cwd, rc;

	if ((s->disk = archive_write_disk_new()) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "oom", "out of memory");
	archive_write_disk_set_options(s->disk,
	    ARCHIVE_EXTRACT_SECURE_NODOTDOT | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
	    ARCHIVE_EXTRACT_SECURE_NOABSOLUTEPATHS |
	    ARCHIVE_EXTRACT_NO_OVERWRITE | ARCHIVE_EXTRACT_NO_AUTODIR |
	    ARCHIVE_EXTRACT_TIME);
	/*
	 * libarchive writes by path, and with NOABSOLUTEPATHS only relative
	 * ones: extract from inside the store, as tar -C does.
	 */
	if ((cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return rta_error_errno(err, "opening the working directory");
	if (fchdir(c->fd) != 0) {
		rc = rta_error_set(err, RTA_EIO, "cold-io", "%s: chdir: %s",
		    c->path, strerror(errno));
		close(cwd);
		return rc;
	}
	rc = scan_entries(s, 1, err);
	if (fchdir(cwd) != 0 && rc == RTA_OK)
		rc = rta_error_errno(err, "back to the working directory");
	close(cwd);
	return rc;
}

int
rta_archive_restore(struct rta_cold *c, const char *file,
    const struct rta_archive_opts *o, struct rta_archive_result *r,
    struct rta_error *err)
{
	struct rta_error e2;
	struct scan s;
	size_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	memset(&s, 0, sizeof(s));
	s.file = file;
	s.fd = -1;
	if ((rc = scan_open(&s, err)) != RTA_OK)
		goto out;
	for (i = 0; i < s.m.nparts; i++)
		if ((rc = check_place(c, s.m.parts[i].path, err)) != RTA_OK)
			goto out;
	for (i = 0; i < s.m.nparts; i++)
		if ((rc = rta_cold_stage(c, s.m.parts[i].stage,
		    sizeof(s.m.parts[i].stage), err)) != RTA_OK)
			goto out;
	if ((rc = restore_entries(c, &s, err)) != RTA_OK)
		goto out;
	rc = publish(c, &s, o, r, err);
out:
	for (i = 0; i < s.m.nparts; i++)
		if (s.m.parts[i].stage[0] != '\0')
			(void)rta_cold_remove(c, s.m.parts[i].stage, &e2);
	r->read = s.read;
	scan_close(&s);
	return rc;
}
