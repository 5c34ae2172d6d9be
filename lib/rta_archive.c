/*
 * rta_archive.c: archives of cold-store partitions (see rta_archive.h).
 *
 * The manifest is the archive's only authority: restore parses it
 * strictly, checks every entry against it before a byte is written,
 * hashes what it writes, and publishes nothing until the last entry has
 * checked out, so a damaged or hostile archive leaves the store as it
 * was.  The writer makes the manifest text and parses it back before
 * writing a byte, so it cannot write an archive restore would refuse.
 * Paths in the store are walked with O_NOFOLLOW throughout: a symbolic
 * link is never archived, never followed and never written through.
 */
#define _GNU_SOURCE
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_archive.h"
#include "rta_buf.h"
#include "rta_io.h"

#define IOBUF	(64 * 1024)
#define QUOTE	100		/* bytes of a path quoted in a message */

/* ---- paths -------------------------------------------------------------- */

int
rta_archive_path_valid(const char *path, size_t *partlen)
{
	int64_t day;
	long n;

	if ((n = rta_cold_part_canon(path, &day)) < 0 || path[n] != '/' ||
	    !rta_cold_name_valid(path + n + 1))
		return 0;
	if (partlen != NULL)
		*partlen = (size_t)n;
	return 1;
}

const char *
rta_archive_filter(const char *file)
{
	static const struct {
		const char	*suffix, *filter;
	} tab[] = {
		{ ".tar.zst", "zstd" }, { ".tar.gz", "gzip" },
		{ ".tar.xz", "xz" }, { ".tar", "none" }
	};
	size_t n = strlen(file), i, k;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		k = strlen(tab[i].suffix);
		if (n > k && strcmp(file + n - k, tab[i].suffix) == 0 &&
		    file[n - k - 1] != '/')
			return tab[i].filter;
	}
	return NULL;
}

/* ---- the manifest ------------------------------------------------------- */

static int
bad_manifest(struct rta_error *err, size_t line, const char *fmt, ...)
    RTA_PRINTFLIKE(3, 4);

static int
bad_manifest(struct rta_error *err, size_t line, const char *fmt, ...)
{
	char what[120];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return rta_error_set(err, RTA_EDATA, "bad-manifest",
	    "bad manifest: line %zu: %s", line, what);
}

static int
hexlower(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* One line (NUL-terminated) into f; 0, or -1 with what is wrong. */
static int
parse_line(char *p, struct rta_archive_file *f, const char **why)
{
	uint64_t v = 0;
	int i, hi, lo;
	char *q;

	for (i = 0; i < RTA_ARCHIVE_SHA256; i++) {
		if ((hi = hexlower(p[2 * i])) < 0 ||
		    (lo = hexlower(p[2 * i + 1])) < 0) {
			*why = "bad checksum (64 lower-case hex digits)";
			return -1;
		}
		f->sha256[i] = (unsigned char)(hi << 4 | lo);
	}
	*why = "bad checksum (64 lower-case hex digits)";
	if (p[64] != ' ')
		return -1;
	*why = "bad size (a decimal number)";
	for (q = p + 65; *q >= '0' && *q <= '9'; q++) {
		if (v > (uint64_t)(INT64_MAX - (*q - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*q - '0');
	}
	if (q == p + 65 || *q != ' ' || (p[65] == '0' && q != p + 66))
		return -1;
	f->size = v;
	f->path = q + 1;
	*why = NULL;
	return 0;
}

int
rta_archive_manifest_parse(struct rta_archive_manifest *m, const char *text,
    size_t len, struct rta_error *err)
{
	size_t hl = sizeof(RTA_ARCHIVE_HEADER) - 1, line = 1, cap = 0, plen;
	struct rta_archive_part *pp;
	struct rta_archive_file *f;
	uint64_t total = 0;
	char *p, *end, *nl, q[QUOTE + 8];
	const char *why;
	void *nv;
	int c;

	memset(m, 0, sizeof(*m));
	if (len > RTA_ARCHIVE_MANIFEST_MAX)
		return rta_error_set(err, RTA_EDATA, "bad-manifest", "bad "
		    "manifest: longer than %d bytes", RTA_ARCHIVE_MANIFEST_MAX);
	if (memchr(text, '\0', len) != NULL)
		return rta_error_set(err, RTA_EDATA, "bad-manifest", "bad "
		    "manifest: a NUL byte");
	if (len < hl || memcmp(text, RTA_ARCHIVE_HEADER, hl) != 0)
		return bad_manifest(err, 1, "not 'rta-archive 1'");
	if ((m->text = malloc(len + 1)) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "oom", "out of memory");
	memcpy(m->text, text, len);
	m->text[len] = '\0';
	end = m->text + len;
	for (p = m->text + hl; p < end; p = nl + 1) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return bad_manifest(err, line, "no newline at its end");
		*nl = '\0';
		if (m->n == cap) {
			cap = cap ? 2 * cap : 64;
			if ((nv = reallocarray(m->v, cap, sizeof(*m->v))) ==
			    NULL)
				return rta_error_set(err, RTA_ENOMEM, "oom",
				    "out of memory");
			m->v = nv;
		}
		f = &m->v[m->n];
		memset(f, 0, sizeof(*f));
		if (parse_line(p, f, &why) != 0)
			return bad_manifest(err, line, "%s", why);
		if (!rta_archive_path_valid(f->path, &plen)) {
			rta_quote(q, sizeof(q), f->path, strlen(f->path), 60);
			return bad_manifest(err, line, "not a partition file "
			    "'%s'", q);
		}
		if (m->n > 0 && (c = strcmp(m->v[m->n - 1].path, f->path)) >=
		    0)
			return bad_manifest(err, line, c == 0 ? "a path listed "
			    "twice" : "paths out of order");
		if ((total += f->size) > INT64_MAX)
			return bad_manifest(err, line, "sizes add up to more "
			    "than 2^63 bytes");
		pp = m->nparts > 0 ? &m->parts[m->nparts - 1] : NULL;
		if (pp == NULL || strncmp(pp->path, f->path, plen) != 0 ||
		    pp->path[plen] != '\0') {
			/* Sorted paths keep a partition's files together. */
			if ((nv = reallocarray(m->parts, m->nparts + 1,
			    sizeof(*m->parts))) == NULL)
				return rta_error_set(err, RTA_ENOMEM, "oom",
				    "out of memory");
			m->parts = nv;
			pp = &m->parts[m->nparts];
			memset(pp, 0, sizeof(*pp));
			if ((pp->path = strndup(f->path, plen)) == NULL)
				return rta_error_set(err, RTA_ENOMEM, "oom",
				    "out of memory");
			m->nparts++;
		}
		f->part = m->nparts - 1;
		pp->files++;
		pp->bytes += f->size;
		m->n++;
	}
	return RTA_OK;
}

void
rta_archive_manifest_release(struct rta_archive_manifest *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nparts; i++)
		free(m->parts[i].path);
	free(m->parts);
	free(m->v);
	free(m->text);
	memset(m, 0, sizeof(*m));
}

long
rta_archive_manifest_find(const struct rta_archive_manifest *m,
    const char *path)
{
	size_t lo = 0, hi = m->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(path, m->v[mid].path)) == 0)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

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

	switch (why) {
	case RTA_COLD_NOT_DIR:
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
