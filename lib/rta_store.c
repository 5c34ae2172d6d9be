/*
 * rta_store.c: the hot store's files, its writer and its read API
 * (rta_store.h describes the format).
 */
#define _GNU_SOURCE
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_alloc.h"
#include "rta_cols.h"
#include "rta_crc32c.h"
#include "rta_frame.h"
#include "rta_hash.h"
#include "rta_io.h"
#include "rta_keyset.h"
#include "rta_segment.h"
#include "rta_store.h"
#include "rta_store_int.h"
#include "rta_time.h"
#include "rta_value.h"

#define MARKER		"rta-store"
#define MARKER_TEXT	"rta-store 1\n"
#define COMMIT_MAGIC	"RTAC"
#define COMMIT_HDR	12
#define COMMIT_VERSION	1
#define COMMIT_FIXED	60	/* body bytes before the logs */
#define LOG_ENTRY	24
#define COMMITS_READ_MAX ((size_t)RTA_STORE_COMMITS_ROTATE + \
	    2 * ((size_t)RTA_STORE_COMMIT_MAX + COMMIT_HDR))
#define LOG_FLUSH	(256U << 10)	/* write a log's buffer past this */
#define LOG_RESERVE	(8LL << 20)	/* blocks reserved ahead at once */
#define DAY_US		(86400LL * 1000000)
#define HOUR_US		(3600LL * 1000000)

const char *
rta_ds_kind_name(enum rta_ds_kind k)
{
	switch (k) {
	case RTA_DS_EVENTS:
		return "events";
	case RTA_DS_AGGREGATES:
		return "aggregates";
	default:
		return "empty";
	}
}

int
rta_store_name_valid(const char *s)
{
	static const char *const reserved[] = { "lock", "tmp", "commits",
	    MARKER };
	size_t i, n = strlen(s);

	if (n == 0 || n > RTA_STORE_NAME_MAX)
		return 0;
	if (!((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= '0' && s[0] <= '9')))
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		    s[i] == '-'))
			return 0;
	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (strcmp(s, reserved[i]) == 0)
			return 0;
	return 1;
}

/* ---- the store ---------------------------------------------------------- */

/* A directory fit to hold the store's data: ours, not writable by others. */
static int
check_dir(int fd, const char *path, struct rta_error *err)
{
	struct stat sb;

	if (fstat(fd, &sb) != 0)
		return rta_error_set(err, RTA_EIO, "store-io", "%s: %s", path,
		    strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return rta_error_set(err, RTA_EINVAL, "not-a-store",
		    "%s: not a directory", path);
	if (sb.st_uid != geteuid())
		return rta_error_set(err, RTA_EINVAL, "unsafe-store",
		    "%s: owned by another user (uid %lu)", path,
		    (unsigned long)sb.st_uid);
	if ((sb.st_mode & 022) != 0)
		return rta_error_set(err, RTA_EINVAL, "unsafe-store",
		    "%s: writable by group or others (mode %03o)", path,
		    (unsigned)(sb.st_mode & 0777));
	return RTA_OK;
}

/* Open directory name at at; show is its path for messages. */
static int
open_dir_at(int at, const char *name, const char *show,
    struct rta_error *err)
{
	int fd;

	fd = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd < 0) {
		if (errno == ELOOP || errno == ENOTDIR)
			rta_error_set(err, RTA_EINVAL, "unsafe-store",
			    "%s: not a directory (a symlink?)", show);
		else
			rta_error_errno(err, show);
		return -1;
	}
	return fd;
}

static int
open_dir(int at, const char *path, struct rta_error *err)
{
	return open_dir_at(at, path, path, err);
}

/*
 * The error for a failed openat of a file of the store: a symlink (or
 * anything else where a file should be) is an unsafe store, RTA_EINVAL;
 * the rest RTA_EIO.
 */
static int
open_error(const char *dspath, const char *name, struct rta_error *err)
{
	if (errno == ELOOP || errno == EISDIR)
		return rta_error_set(err, RTA_EINVAL, "unsafe-store", "%s/%s: "
		    "not a regular file (a symlink?)", dspath, name);
	return rta_error_set(err, RTA_EIO, "store-io", "%s/%s: %s", dspath,
	    name, strerror(errno));
}

static int
sync_dir(int fd, const char *path, struct rta_error *err)
{
	if (rta_io_fsync(fd) != 0)
		return rta_error_set(err, RTA_EIO, "store-io", "%s: fsync: %s",
		    path, strerror(errno));
	return RTA_OK;
}

static int
has_marker(int fd)
{
	char buf[sizeof(MARKER_TEXT)];
	ssize_t k;
	int mfd;

	mfd = openat(fd, MARKER, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (mfd < 0)
		return 0;
	k = read(mfd, buf, sizeof(buf));
	close(mfd);
	return k == (ssize_t)strlen(MARKER_TEXT) &&
	    memcmp(buf, MARKER_TEXT, (size_t)k) == 0;
}

int
rta_store_init(const char *path, struct rta_error *err)
{
	struct dirent *de;
	DIR *d;
	int fd, mfd, rc, created = 0, empty = 1;

	if (mkdir(path, 0700) == 0)
		created = 1;
	else if (errno != EEXIST)
		return rta_error_errno(err, path);
	if ((fd = open_dir(AT_FDCWD, path, err)) < 0)
		return err != NULL ? err->code : RTA_EIO;
	if (created && fchmod(fd, 0700) != 0) {
		rc = rta_error_errno(err, path);
		close(fd);
		return rc;
	}
	if ((rc = check_dir(fd, path, err)) != RTA_OK) {
		close(fd);
		return rc;
	}
	if (has_marker(fd)) {
		close(fd);
		return RTA_OK;
	}
	(void)created;
	/* Only an empty directory becomes a store. */
	if ((d = fdopendir(dup(fd))) == NULL) {
		rc = rta_error_errno(err, path);
		close(fd);
		return rc;
	}
	/* (a marker left half made by an interrupted init does not count) */
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0 &&
		    strcmp(de->d_name, MARKER ".tmp") != 0)
			empty = 0;
	closedir(d);
	if (!empty) {
		close(fd);
		return rta_error_set(err, RTA_EINVAL, "not-a-store", "%s: not "
		    "empty and not a store", path);
	}
	/* an empty directory given to init becomes the store's: 0700 */
	if (fchmod(fd, 0700) != 0) {
		rc = rta_error_errno(err, path);
		close(fd);
		return rc;
	}
	mfd = openat(fd, MARKER ".tmp", O_WRONLY | O_CREAT | O_TRUNC |
	    O_NOFOLLOW | O_CLOEXEC, 0600);
	if (mfd < 0 || fchmod(mfd, 0600) != 0 ||
	    rta_io_write(mfd, MARKER_TEXT, strlen(MARKER_TEXT)) != 0 ||
	    rta_io_datasync(mfd) != 0 ||
	    rta_io_rename(fd, MARKER ".tmp", MARKER) != 0) {
		rc = rta_error_set(err, RTA_EIO, "store-io", "%s/%s: %s", path,
		    MARKER, strerror(errno));
		if (mfd >= 0)
			close(mfd);
		close(fd);
		return rc;
	}
	close(mfd);
	rc = sync_dir(fd, path, err);
	close(fd);
	return rc;
}

int
rta_store_open(struct rta_store *s, const char *path, struct rta_error *err)
{
	int fd, rc;

	s->fd = -1;
	s->path = NULL;
	if ((fd = open_dir(AT_FDCWD, path, err)) < 0)
		return err != NULL ? err->code : RTA_EIO;
	if ((rc = check_dir(fd, path, err)) != RTA_OK) {
		close(fd);
		return rc;
	}
	if (!has_marker(fd)) {
		close(fd);
		return rta_error_set(err, RTA_EINVAL, "not-a-store", "%s: not "
		    "an rta store (make one with rta-store init)", path);
	}
	if ((s->path = rta_memdup(path, strlen(path) + 1)) == NULL) {
		close(fd);
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	}
	s->fd = fd;
	return RTA_OK;
}

void
rta_store_close(struct rta_store *s)
{
	if (s->fd >= 0)
		close(s->fd);
	rta_free(s->path);
	s->fd = -1;
	s->path = NULL;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
rta_store_names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		rta_free(names[i]);
	rta_free(names);
}

int
rta_store_datasets(struct rta_store *s, char ***names, size_t *n,
    struct rta_error *err)
{
	struct dirent *de;
	struct stat sb;
	char **v = NULL, **nv;
	size_t cap = 0, k = 0;
	DIR *d;
	int fd;

	*names = NULL;
	*n = 0;
	if ((fd = dup(s->fd)) < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return rta_error_errno(err, s->path);
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		if (!rta_store_name_valid(de->d_name) ||
		    fstatat(s->fd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISDIR(sb.st_mode))
			continue;
		if (k == cap) {
			cap = cap ? cap * 2 : 16;
			if ((nv = rta_reallocarray(v, cap, sizeof(*v))) ==
			    NULL)
				goto nomem;
			v = nv;
		}
		if ((v[k] = rta_memdup(de->d_name, strlen(de->d_name) + 1)) ==
		    NULL)
			goto nomem;
		k++;
	}
	closedir(d);
	if (k > 1)
		qsort(v, k, sizeof(*v), cmp_names);
	*names = v;
	*n = k;
	return RTA_OK;
nomem:
	closedir(d);
	rta_store_names_free(v, k);
	return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
}

/* ---- commits ------------------------------------------------------------ */

void
rta_commit_init(struct rta_commit *c)
{
	memset(c, 0, sizeof(*c));
	c->min_ts = INT64_MAX;
	c->max_ts = INT64_MIN;
	c->watermark = INT64_MIN;
	rta_sources_init(&c->src);
}

void
rta_commit_release(struct rta_commit *c)
{
	rta_free(c->logs);
	rta_sources_release(&c->src);
	rta_commit_init(c);
}

int
rta_commit_encode(const struct rta_commit *c, struct rta_buf *b)
{
	size_t start = b->len, body, i;
	unsigned char *p;

	if (rta_buf_reserve(b, COMMIT_HDR + COMMIT_FIXED +
	    c->nlogs * LOG_ENTRY) != 0)
		return -1;
	p = b->data + b->len;
	memcpy(p, COMMIT_MAGIC, 4);
	b->len += COMMIT_HDR;
	p = b->data + b->len;
	p[0] = COMMIT_VERSION;
	p[1] = (unsigned char)c->kind;
	rta_put_u16(p + 2, 0);
	rta_put_u32(p + 4, (uint32_t)(c->width / 1000000));
	rta_put_u64(p + 8, c->seq);
	rta_put_u64(p + 16, (uint64_t)c->time);
	rta_put_u64(p + 24, c->records);
	rta_put_u64(p + 32, (uint64_t)c->min_ts);
	rta_put_u64(p + 40, (uint64_t)c->max_ts);
	rta_put_u64(p + 48, (uint64_t)c->watermark);
	rta_put_u32(p + 56, (uint32_t)c->nlogs);
	p += COMMIT_FIXED;
	for (i = 0; i < c->nlogs; i++, p += LOG_ENTRY) {
		rta_put_u64(p, (uint64_t)c->logs[i].bucket);
		rta_put_u32(p + 8, c->logs[i].gen);
		rta_put_u64(p + 12, c->logs[i].len);
		rta_put_u32(p + 20, c->logs[i].flags);
	}
	b->len += COMMIT_FIXED + c->nlogs * LOG_ENTRY;
	if (rta_sources_encode(&c->src, b) != 0) {
		b->len = start;
		return -1;
	}
	body = b->len - start - COMMIT_HDR;
	if (body > RTA_STORE_COMMIT_MAX) {
		b->len = start;
		errno = EMSGSIZE;
		return -1;
	}
	p = b->data + start;
	rta_put_u32(p + 4, (uint32_t)body);
	rta_put_u32(p + 8, rta_crc32c(0, p + COMMIT_HDR, body));
	return 0;
}

/* Decode one commit body into c (released first): 0, or -1 if it is
 * malformed (or ENOMEM, errno set). */
static int
commit_decode(const unsigned char *p, size_t len, struct rta_commit *c)
{
	const unsigned char *q, *end = p + len;
	uint32_t w, i, n;

	rta_commit_release(c);
	errno = EINVAL;
	if (len < COMMIT_FIXED || p[0] != COMMIT_VERSION ||
	    (p[1] != RTA_DS_EVENTS && p[1] != RTA_DS_AGGREGATES) ||
	    rta_get_u16(p + 2) != 0)
		return -1;
	w = rta_get_u32(p + 4);
	if (w < 3600 || w > 86400 || 86400 % w != 0 || w % 3600 != 0)
		return -1;
	c->kind = p[1];
	c->width = (int64_t)w * 1000000;
	c->seq = rta_get_u64(p + 8);
	c->time = (int64_t)rta_get_u64(p + 16);
	c->records = rta_get_u64(p + 24);
	c->min_ts = (int64_t)rta_get_u64(p + 32);
	c->max_ts = (int64_t)rta_get_u64(p + 40);
	c->watermark = (int64_t)rta_get_u64(p + 48);
	n = rta_get_u32(p + 56);
	if (c->seq == 0 || (size_t)(end - (p + COMMIT_FIXED)) / LOG_ENTRY < n)
		return -1;
	if (n > 0 && (c->logs = rta_calloc(n, sizeof(*c->logs))) == NULL)
		return -1;
	c->logcap = n;
	q = p + COMMIT_FIXED;
	for (i = 0; i < n; i++, q += LOG_ENTRY) {
		struct rta_store_log *l = &c->logs[i];

		l->bucket = (int64_t)rta_get_u64(q);
		l->gen = rta_get_u32(q + 8);
		l->len = rta_get_u64(q + 12);
		l->flags = rta_get_u32(q + 20);
		if (l->bucket < RTA_TIME_MIN || l->bucket > RTA_TIME_MAX ||
		    l->bucket % c->width != 0 || l->gen == 0 ||
		    l->len < RTA_STREAM_HEADER_LEN ||
		    l->len > (uint64_t)INT64_MAX ||
		    (l->flags & ~RTA_STORE_LOG_CLOSED) != 0)
			goto bad;
		/* sorted by bucket, then generation, without repeats */
		if (i > 0 && (l->bucket < l[-1].bucket ||
		    (l->bucket == l[-1].bucket && l->gen <= l[-1].gen)))
			goto bad;
	}
	c->nlogs = n;
	if (rta_sources_decode(&c->src, &q, end) != RTA_OK || q != end)
		goto bad;
	return 0;
bad:
	rta_commit_release(c);
	errno = EINVAL;
	return -1;
}

int
rta_commit_last(const unsigned char *p, size_t len, struct rta_commit *c,
    size_t *valid, uint64_t *records, size_t *damaged)
{
	struct rta_commit t;
	size_t off = 0, body;
	uint64_t n = 0, seq = 0;
	size_t bad = SIZE_MAX;

	rta_commit_release(c);
	rta_commit_init(&t);
	*valid = 0;
	*damaged = SIZE_MAX;
	while (len - off >= COMMIT_HDR) {
		if (memcmp(p + off, COMMIT_MAGIC, 4) != 0)
			goto next;
		body = rta_get_u32(p + off + 4);
		if (body > RTA_STORE_COMMIT_MAX || body > len - off - COMMIT_HDR)
			goto next;
		if (rta_crc32c(0, p + off + COMMIT_HDR, body) !=
		    rta_get_u32(p + off + 8))
			goto next;
		if (commit_decode(p + off + COMMIT_HDR, body, &t) != 0) {
			if (errno == ENOMEM) {
				rta_commit_release(&t);
				return RTA_ENOMEM;
			}
			goto next;
		}
		/* sequence numbers only go up */
		if (t.seq <= seq)
			goto next;
		seq = t.seq;
		rta_commit_release(c);
		*c = t;
		rta_commit_init(&t);
		/* bytes skipped before this record were damage */
		if (bad != SIZE_MAX && *damaged == SIZE_MAX)
			*damaged = bad;
		bad = SIZE_MAX;
		off += COMMIT_HDR + body;
		*valid = off;
		n++;
		continue;
next:
		/* not a record here: look for one further on */
		if (bad == SIZE_MAX)
			bad = off;
		off++;
	}
	rta_commit_release(&t);
	*records = n;
	return RTA_OK;
}

/* pread up to n bytes at off, through EINTR and short reads: the bytes
 * read (fewer at the end of the file), or -1. */
static ssize_t
pread_most(int fd, unsigned char *p, size_t n, uint64_t off)
{
	size_t got = 0;
	ssize_t k;

	while (got < n) {
		k = pread(fd, p + got, n - got, (off_t)(off + got));
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -1;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (ssize_t)got;
}

#define WALK_CHUNK	(64U << 10)
#define WALK_NEED	(COMMIT_HDR + 16)	/* a header and the sequence */

/*
 * A reader's rta_commit_last for the usual file: records back to back
 * from the start to the size, sequence numbers going up, the last one's
 * checksum good.  Then the last record is the answer, and only it is
 * checked and decoded: the walk reads the headers a chunk at a time, not
 * the whole file (a commit file near its rotation size holds thousands
 * of records, and reading, checking and decoding each cost a query on a
 * large store more than the query; damage to an earlier record's body
 * does not change what the last one says, and fsck and the writer find
 * it).  1 when that gave the answer in c, 0 when the file is not that
 * clean (a broken chain, a torn tail a writer is appending, a record
 * that does not decode: the caller goes the full way), -1 on ENOMEM.
 */
static int
commit_last_walk(int fd, uint64_t size, struct rta_commit *c)
{
	unsigned char *buf, *rec = NULL;
	const unsigned char *p;
	uint64_t pos = 0, cstart = 0, last = UINT64_MAX, seq = 0, s;
	size_t clen = 0, body, lastlen = 0;
	ssize_t k;
	int rc = 0;

	if (size > COMMITS_READ_MAX)
		return 0;	/* the full way counts only the start */
	if ((buf = rta_malloc(WALK_CHUNK)) == NULL)
		return -1;
	while (pos < size) {
		if (pos + WALK_NEED > cstart + clen) {
			if ((k = pread_most(fd, buf, WALK_CHUNK, pos)) <
			    (ssize_t)WALK_NEED)
				goto out;
			cstart = pos;
			clen = (size_t)k;
		}
		p = buf + (pos - cstart);
		if (memcmp(p, COMMIT_MAGIC, 4) != 0)
			goto out;
		body = rta_get_u32(p + 4);
		if (body > RTA_STORE_COMMIT_MAX || body < COMMIT_FIXED ||
		    body > size - pos - COMMIT_HDR)
			goto out;
		s = rta_get_u64(p + COMMIT_HDR + 8);
		if (s <= seq)
			goto out;
		seq = s;
		last = pos;
		lastlen = body;
		pos += COMMIT_HDR + body;
	}
	rta_commit_release(c);
	rc = 1;
	if (last == UINT64_MAX)
		goto out;
	if (last + COMMIT_HDR + lastlen <= cstart + clen)
		p = buf + (last - cstart);
	else {
		/* a length checked against the file and the record limit */
		if ((rec = rta_malloc(COMMIT_HDR + lastlen)) == NULL) {
			rc = -1;
			goto out;
		}
		if (pread_most(fd, rec, COMMIT_HDR + lastlen, last) !=
		    (ssize_t)(COMMIT_HDR + lastlen)) {
			rc = 0;
			goto out;
		}
		p = rec;
	}
	if (memcmp(p, COMMIT_MAGIC, 4) != 0 ||
	    rta_get_u32(p + 4) != lastlen ||
	    rta_crc32c(0, p + COMMIT_HDR, lastlen) != rta_get_u32(p + 8))
		rc = 0;
	else if (commit_decode(p + COMMIT_HDR, lastlen, c) != 0)
		rc = errno == ENOMEM ? -1 : 0;
out:
	rta_free(rec);
	rta_free(buf);
	return rc;
}

void
rta_store_log_name(char *buf, size_t size, int64_t bucket, uint32_t gen)
{
	char t[40];

	rta_time_format(t, bucket);
	/* 2026-11-26T10:00:00.000000Z -> 20261126T1000 */
	snprintf(buf, size, "%.4s%.2s%.2sT%.2s%.2s.%lu.log", t, t + 5, t + 8,
	    t + 11, t + 14, (unsigned long)gen);
}

void
rta_store_seg_name(char *buf, size_t size, int64_t bucket, uint32_t gen)
{
	char t[40];

	rta_time_format(t, bucket);
	snprintf(buf, size, "%.4s%.2s%.2sT%.2s%.2s.%lu.seg", t, t + 5, t + 8,
	    t + 11, t + 14, (unsigned long)gen);
}

#define MAN_MAGIC	"RTAM"
#define MAN_ENTRY	40
#define MAN_READ_MAX	(16U << 20)

const struct rta_man_entry *
rta_manifest_find(const struct rta_manifest *m, int64_t bucket)
{
	size_t lo = 0, hi = m->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (m->v[mid].bucket < bucket)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->n && m->v[lo].bucket == bucket ? &m->v[lo] : NULL;
}

static void
manifest_release(struct rta_manifest *m)
{
	rta_free(m->v);
	memset(m, 0, sizeof(*m));
}

/* Set bucket's entry (added in order if new): 0 or -1 (ENOMEM). */
static int
manifest_set(struct rta_manifest *m, const struct rta_man_entry *e)
{
	size_t at;

	for (at = 0; at < m->n && m->v[at].bucket < e->bucket; at++)
		;
	if (at < m->n && m->v[at].bucket == e->bucket) {
		m->v[at] = *e;
		return 0;
	}
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		struct rta_man_entry *v;

		if ((v = rta_reallocarray(m->v, cap, sizeof(*v))) == NULL)
			return -1;
		m->v = v;
		m->cap = cap;
	}
	memmove(&m->v[at + 1], &m->v[at], (m->n - at) * sizeof(*m->v));
	m->v[at] = *e;
	m->n++;
	return 0;
}

/* Read dfd's manifest into m (empty when there is none).  A damaged
 * manifest is an error: what it covers is not in the logs any more. */
static int
read_manifest(int dfd, const char *dspath, struct rta_manifest *m,
    struct rta_error *err)
{
	unsigned char *buf = NULL;
	const unsigned char *b, *q;
	struct stat sb;
	size_t got = 0, blen;
	uint32_t n, i;
	ssize_t k;
	int fd;

	manifest_release(m);
	fd = openat(dfd, "segments", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return RTA_OK;
		return rta_error_set(err, RTA_EIO, "store-io", "%s/segments: "
		    "%s", dspath, strerror(errno));
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    sb.st_size > (off_t)MAN_READ_MAX || sb.st_size < 12) {
		close(fd);
		return rta_error_set(err, RTA_EDATA, "damaged", "%s/segments: "
		    "not a manifest", dspath);
	}
	if ((buf = rta_malloc((size_t)sb.st_size)) == NULL) {
		close(fd);
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	}
	while (got < (size_t)sb.st_size) {
		k = pread(fd, buf + got, (size_t)sb.st_size - got, (off_t)got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	blen = got >= 12 ? rta_get_u32(buf + 4) : 0;
	if (got < 12 || memcmp(buf, MAN_MAGIC, 4) != 0 || blen != got - 12 ||
	    blen < 8 || rta_crc32c(0, buf + 12, blen) != rta_get_u32(buf + 8))
		goto bad;
	b = buf + 12;
	n = rta_get_u32(b + 4);
	if (b[0] != 1 || b[1] || b[2] || b[3] || (blen - 8) / MAN_ENTRY != n ||
	    (blen - 8) % MAN_ENTRY != 0)
		goto bad;
	if (n > 0 && (m->v = rta_calloc(n, sizeof(*m->v))) == NULL) {
		rta_free(buf);
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	}
	m->cap = n;
	for (i = 0, q = b + 8; i < n; i++, q += MAN_ENTRY) {
		struct rta_man_entry *e = &m->v[i];

		e->bucket = (int64_t)rta_get_u64(q);
		e->gen = rta_get_u32(q + 8);
		e->kind = rta_get_u32(q + 12);
		e->records = rta_get_u64(q + 16);
		e->bytes = rta_get_u64(q + 24);
		e->raw = rta_get_u64(q + 32);
		if (e->bucket < RTA_TIME_MIN || e->bucket > RTA_TIME_MAX ||
		    e->gen == 0 || (e->kind != RTA_MAN_SEGMENT &&
		    e->kind != RTA_MAN_RETIRED) ||
		    (i > 0 && e->bucket <= e[-1].bucket)) {
			manifest_release(m);
			goto bad;
		}
		m->n++;
	}
	rta_free(buf);
	return RTA_OK;
bad:
	rta_free(buf);
	return rta_error_set(err, RTA_EDATA, "damaged", "%s/segments: damaged "
	    "manifest", dspath);
}

/* Replace dfd's manifest by m: temporary file, sync, rename, sync dir. */
static int
write_manifest(int dfd, const char *dspath, const struct rta_manifest *m,
    struct rta_error *err)
{
	struct rta_buf b = RTA_BUF_INIT;
	unsigned char *q;
	size_t i;
	int fd, rc = RTA_OK;

	if (rta_buf_reserve(&b, 20 + m->n * MAN_ENTRY) != 0)
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	q = b.data;
	memcpy(q, MAN_MAGIC, 4);
	rta_put_u32(q + 4, (uint32_t)(8 + m->n * MAN_ENTRY));
	q[12] = 1;
	q[13] = q[14] = q[15] = 0;
	rta_put_u32(q + 16, (uint32_t)m->n);
	for (i = 0, q += 20; i < m->n; i++, q += MAN_ENTRY) {
		rta_put_u64(q, (uint64_t)m->v[i].bucket);
		rta_put_u32(q + 8, m->v[i].gen);
		rta_put_u32(q + 12, m->v[i].kind);
		rta_put_u64(q + 16, m->v[i].records);
		rta_put_u64(q + 24, m->v[i].bytes);
		rta_put_u64(q + 32, m->v[i].raw);
	}
	b.len = 20 + m->n * MAN_ENTRY;
	rta_put_u32(b.data + 8, rta_crc32c(0, b.data + 12, b.len - 12));
	fd = openat(dfd, "segments.tmp", O_WRONLY | O_CREAT | O_TRUNC |
	    O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || fchmod(fd, 0600) != 0 ||
	    rta_io_write(fd, b.data, b.len) != 0 ||
	    rta_io_datasync(fd) != 0 ||
	    rta_io_rename(dfd, "segments.tmp", "segments") != 0 ||
	    rta_io_fsync(dfd) != 0)
		rc = rta_error_set(err, RTA_EIO, "store-io", "%s/segments: %s",
		    dspath, strerror(errno));
	if (fd >= 0)
		close(fd);
	rta_buf_release(&b);
	return rc;
}

/* 1 if log (bucket, gen) is covered by the manifest. */
static int
covered(const struct rta_manifest *m, int64_t bucket, uint32_t gen)
{
	const struct rta_man_entry *e = rta_manifest_find(m, bucket);

	return e != NULL && gen <= e->gen;
}

/* Read the commit file of the dataset at dfd into c.  *size is the file's
 * size and *valid the end of its last valid record, *damaged as
 * rta_commit_last says (a reader that needs neither passes NULLs, and
 * gets the last commit the fast way); *fdp, if given, receives the file
 * open for writing (created if missing). */
static int
read_commits(int dfd, const char *path, struct rta_commit *c, int *fdp,
    uint64_t *size, size_t *valid, size_t *damaged, struct rta_error *err)
{
	struct stat sb;
	unsigned char *buf = NULL;
	size_t got = 0, nvalid, ndamaged;
	uint64_t nrec;
	ssize_t k;
	int fd, rc;

	*size = 0;
	if (valid != NULL) {
		*valid = 0;
		*damaged = SIZE_MAX;
	}
	if (fdp != NULL)
		fd = openat(dfd, "commits", O_RDWR | O_CREAT | O_NOFOLLOW |
		    O_CLOEXEC, 0600);
	else
		fd = openat(dfd, "commits", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT && fdp == NULL)
			return RTA_OK;
		return open_error(path, "commits", err);
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return rta_error_set(err, RTA_EIO, "store-io", "%s/commits: "
		    "not a regular file", path);
	}
	*size = (uint64_t)sb.st_size;
	if (valid == NULL && *size > 0 &&
	    (rc = commit_last_walk(fd, *size, c)) != 0) {
		close(fd);
		return rc > 0 ? RTA_OK : rta_error_set(err, RTA_ENOMEM, "nomem",
		    "out of memory");
	}
	/* Past the largest size the writer leaves, only the start counts. */
	if (*size > 0) {
		size_t want = *size > COMMITS_READ_MAX ? COMMITS_READ_MAX :
		    (size_t)*size;

		if ((buf = rta_malloc(want)) == NULL) {
			close(fd);
			return rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
		}
		while (got < want) {
			k = pread(fd, buf + got, want - got, (off_t)got);
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				break;
			got += (size_t)k;
		}
	}
	rc = valid == NULL ? rta_commit_last(buf, got, c, &nvalid, &nrec,
	    &ndamaged) : rta_commit_last(buf, got, c, valid, &nrec, damaged);
	rta_free(buf);
	if (rc != RTA_OK) {
		close(fd);
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	}
	if (fdp != NULL)
		*fdp = fd;
	else
		close(fd);
	return RTA_OK;
}

/* ---- reading ------------------------------------------------------------ */

/* What file name in dfd is now (inode, size, modification time), for
 * rta_dataset_refresh to see whether it changed; zeros if it is not
 * there. */
static void
file_stamp(int dfd, const char *name, uint64_t v[4])
{
	struct stat sb;

	memset(v, 0, 4 * sizeof(v[0]));
	if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
		return;
	v[0] = (uint64_t)sb.st_ino;
	v[1] = (uint64_t)sb.st_size;
	v[2] = (uint64_t)sb.st_mtim.tv_sec;
	v[3] = (uint64_t)sb.st_mtim.tv_nsec;
}

/* (Re)read a dataset's state: its last commit, then its manifest (in
 * that order: a log the writer no longer names is covered by a manifest
 * at least as new as the one read after it). */
static int
dataset_load(struct rta_dataset *ds, const char *path, struct rta_error *err)
{
	uint64_t size;
	int rc;

	/* the files as they are before they are read: a change after
	 * this is seen by the next rta_dataset_refresh */
	file_stamp(ds->fd, "commits", ds->stamp);
	file_stamp(ds->fd, "segments", ds->stamp + 4);
	/* only the last commit: no account of damage (fsck's job) */
	if ((rc = read_commits(ds->fd, path, &ds->c, NULL, &size, NULL,
	    NULL, err)) != RTA_OK)
		return rc;
	return read_manifest(ds->fd, path, &ds->man, err);
}

int
rta_dataset_open(struct rta_store *s, const char *name,
    struct rta_dataset *ds, struct rta_error *err)
{
	char path[PATH_MAX];
	int rc;

	memset(ds, 0, sizeof(*ds));
	ds->fd = -1;
	rta_commit_init(&ds->c);
	if (!rta_store_name_valid(name))
		return rta_error_set(err, RTA_EINVAL, "bad-dataset", "bad "
		    "dataset name '%s' (1 to %d of a-z, 0-9, _ and -)", name,
		    RTA_STORE_NAME_MAX);
	snprintf(path, sizeof(path), "%s/%s", s->path, name);
	ds->fd = openat(s->fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (ds->fd < 0) {
		if (errno == ENOENT)
			return RTA_EOF;
		if (errno == ELOOP || errno == ENOTDIR)
			return rta_error_set(err, RTA_EINVAL, "unsafe-store",
			    "%s: not a directory (a symlink?)", path);
		return rta_error_errno(err, path);
	}
	if ((rc = check_dir(ds->fd, path, err)) != RTA_OK ||
	    (rc = dataset_load(ds, path, err)) != RTA_OK) {
		rta_dataset_close(ds);
		return rc;
	}
	ds->store = s;
	memcpy(ds->name, name, strlen(name) + 1);
	return RTA_OK;
}

static void kept_free(struct rta_kept *k);
static void kept_prune(struct rta_dataset *ds, int all);

int
rta_dataset_refresh(struct rta_dataset *ds, int *changed,
    struct rta_error *err)
{
	struct stat a, b;
	uint64_t now[8];
	char path[PATH_MAX];
	int fd, rc, again = 0;

	*changed = 0;
	snprintf(path, sizeof(path), "%s/%s", ds->store->path, ds->name);
	if (fstatat(ds->store->fd, ds->name, &a, AT_SYMLINK_NOFOLLOW) != 0 ||
	    fstat(ds->fd, &b) != 0 || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino) {
		/* removed, or replaced by another directory */
		fd = openat(ds->store->fd, ds->name, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			rc = errno == ENOENT ? RTA_EOF : errno == ELOOP ||
			    errno == ENOTDIR ? rta_error_set(err, RTA_EINVAL,
			    "unsafe-store", "%s: not a directory (a symlink?)",
			    path) : rta_error_errno(err, path);
			rta_dataset_close(ds);
			return rc;
		}
		if ((rc = check_dir(fd, path, err)) != RTA_OK) {
			close(fd);
			rta_dataset_close(ds);
			return rc;
		}
		close(ds->fd);
		ds->fd = fd;
		again = 1;
	}
	file_stamp(ds->fd, "commits", now);
	file_stamp(ds->fd, "segments", now + 4);
	if (!again && memcmp(now, ds->stamp, sizeof(now)) == 0)
		return RTA_OK;
	*changed = 1;
	if ((rc = dataset_load(ds, path, err)) != RTA_OK) {
		rta_dataset_close(ds);
		return rc;
	}
	kept_prune(ds, again);
	return RTA_OK;
}

void
rta_dataset_close(struct rta_dataset *ds)
{
	if (ds->fd >= 0)
		close(ds->fd);
	ds->fd = -1;
	rta_commit_release(&ds->c);
	manifest_release(&ds->man);
	kept_free(ds->kept);
	ds->kept = NULL;
}

/* A sealed segment kept mapped for the scans of a dataset after the one
 * that mapped it (rta_dataset_keep). */
struct kept_seg {
	char			 name[48];
	uint64_t		 dev, ino, size;	/* the file mapped */
	const unsigned char	*p;		/* NULL: a free slot */
	size_t			 len;
	int64_t			 bucket;
	struct rta_seg		 seg;		/* as rta_seg_open filled it */
	unsigned		 refs;		/* scans reading it now */
	uint64_t		 used;		/* when last taken */
};

struct rta_kept {
	struct kept_seg		*v;
	unsigned		 n;
	uint64_t		 clock;
};

/* Bytes to read records from: a mapped log or segment, or a block of a
 * segment decompressed into buf. */
struct map {
	const unsigned char	*p;
	size_t			 len;
	int			 mapped;
	struct kept_seg		*kept;		/* borrowed from it, if set */
	struct rta_buf		 buf;
	char			 name[48];
};

/* Map the first len bytes of file name: RTA_OK, RTA_EOF (no such file),
 * RTA_EDATA (shorter than len), RTA_EIO. */
static int
map_file(int dfd, const char *dspath, const char *name, uint64_t len,
    struct map *m, struct rta_error *err)
{
	struct stat sb;
	void *p;
	int fd;

	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%s", name);
	if (len > SIZE_MAX)
		return rta_error_set(err, RTA_EDATA, "damaged", "%s/%s: "
		    "length %llu too large", dspath, name,
		    (unsigned long long)len);
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT) {
			rta_error_set(err, RTA_EDATA, "damaged", "%s/%s: "
			    "missing", dspath, name);
			return RTA_EOF;
		}
		return rta_error_set(err, RTA_EIO, "store-io", "%s/%s: %s",
		    dspath, name, strerror(errno));
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    (uint64_t)sb.st_size < len) {
		close(fd);
		return rta_error_set(err, RTA_EDATA, "damaged", "%s/%s: "
		    "shorter than its %llu bytes", dspath, name,
		    (unsigned long long)len);
	}
	if (len == 0)
		len = (uint64_t)sb.st_size;
	if (len == 0) {
		close(fd);
		return RTA_OK;
	}
	p = mmap(NULL, (size_t)len, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return rta_error_set(err, RTA_EIO, "store-io", "%s/%s: mmap: "
		    "%s", dspath, name, strerror(errno));
	m->p = p;
	m->len = (size_t)len;
	m->mapped = 1;
	return RTA_OK;
}

/* Map the committed part of a log. */
static int
map_log(int dfd, const char *dspath, const struct rta_store_log *l,
    struct map *m, struct rta_error *err)
{
	char name[48];

	rta_store_log_name(name, sizeof(name), l->bucket, l->gen);
	return map_file(dfd, dspath, name, l->len, m, err);
}

static void
unmap_log(struct map *m)
{
	if (m->mapped && m->p != NULL)
		munmap((void *)(uintptr_t)m->p, m->len);
	if (m->kept != NULL)
		m->kept->refs--;
	rta_buf_release(&m->buf);
	m->p = NULL;
	m->mapped = 0;
	m->kept = NULL;
}

/* ---- segments kept mapped ------------------------------------------------ */

static void
kept_drop(struct kept_seg *e)
{
	if (e->p != NULL)
		munmap((void *)(uintptr_t)e->p, e->len);
	memset(e, 0, sizeof(*e));
}

static void
kept_free(struct rta_kept *k)
{
	unsigned i;

	if (k == NULL)
		return;
	for (i = 0; i < k->n; i++)
		kept_drop(&k->v[i]);
	rta_free(k->v);
	rta_free(k);
}

int
rta_dataset_keep(struct rta_dataset *ds, unsigned n)
{
	struct rta_kept *k = NULL;

	kept_free(ds->kept);
	ds->kept = NULL;
	if (n == 0)
		return 0;
	if ((k = rta_calloc(1, sizeof(*k))) == NULL ||
	    (k->v = rta_calloc(n, sizeof(*k->v))) == NULL) {
		rta_free(k);
		return -1;
	}
	k->n = n;
	ds->kept = k;
	return 0;
}

/*
 * Drop the kept segments no scan is reading that the manifest no longer
 * names (compacted again, or retired), or all of them (the directory
 * was replaced): their files are gone or going, and a mapping would
 * hold their disk space.
 */
static void
kept_prune(struct rta_dataset *ds, int all)
{
	const struct rta_man_entry *me;
	struct kept_seg *e;
	char name[48];
	unsigned i;

	for (i = 0; ds->kept != NULL && i < ds->kept->n; i++) {
		e = &ds->kept->v[i];
		if (e->p == NULL || e->refs > 0)
			continue;
		me = rta_manifest_find(&ds->man, e->bucket);
		if (!all && me != NULL && me->kind == RTA_MAN_SEGMENT) {
			rta_store_seg_name(name, sizeof(name), me->bucket,
			    me->gen);
			if (strcmp(name, e->name) == 0)
				continue;
		}
		kept_drop(e);
	}
}

/*
 * Segment name of the dataset, for a scan, into m and seg: the kept
 * mapping when it is of the file there now, else a new one, kept in a
 * free slot or in place of the one least recently taken that no scan is
 * reading (with none such, m is the scan's own mapping).  RTA_OK, or the
 * errors of map_file, or RTA_EDATA for a segment that does not open.
 */
static int
kept_map(const struct rta_dataset *ds, const char *dspath, const char *name,
    int64_t bucket, struct map *m, struct rta_seg *seg,
    struct rta_error *err)
{
	struct rta_kept *k = ds->kept;
	struct kept_seg *e = NULL, *slot = NULL, *lru = NULL;
	struct rta_error e2;
	struct stat sb;
	unsigned i;
	int rc;

	if (fstatat(ds->fd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(sb.st_mode)) {
		for (i = 0; i < k->n; i++) {
			struct kept_seg *x = &k->v[i];

			if (x->p != NULL && strcmp(x->name, name) == 0) {
				if (x->dev == (uint64_t)sb.st_dev &&
				    x->ino == (uint64_t)sb.st_ino &&
				    x->size == (uint64_t)sb.st_size) {
					e = x;
					break;
				}
				if (x->refs == 0)
					kept_drop(x);	/* another file now */
			}
			if (x->p == NULL) {
				if (slot == NULL)
					slot = x;
			} else if (x->refs == 0 && (lru == NULL ||
			    x->used < lru->used))
				lru = x;
		}
		if (e == NULL && slot == NULL && lru != NULL) {
			kept_drop(lru);
			slot = lru;
		}
	}
	if (e == NULL) {
		if ((rc = map_file(ds->fd, dspath, name, 0, m, err)) != RTA_OK)
			return rc;
		if (rta_seg_open(m->p, m->len, seg, &e2) != RTA_OK)
			return rta_error_set(err, RTA_EDATA, "damaged",
			    "%s/%s: %s", dspath, name, e2.text);
		if (slot == NULL || !m->mapped)
			return RTA_OK;		/* the scan's own */
		e = slot;
		snprintf(e->name, sizeof(e->name), "%s", name);
		e->dev = (uint64_t)sb.st_dev;
		e->ino = (uint64_t)sb.st_ino;
		e->size = (uint64_t)sb.st_size;
		e->p = m->p;
		e->len = m->len;
		e->seg = *seg;
		e->seg.dctx = NULL;
		e->bucket = bucket;
		m->mapped = 0;
	}
	e->refs++;
	e->used = ++k->clock;
	memset(m, 0, sizeof(*m));
	snprintf(m->name, sizeof(m->name), "%s", name);
	m->p = e->p;
	m->len = e->len;
	m->kept = e;
	*seg = e->seg;
	return RTA_OK;
}

/*
 * The fixed part of an event or aggregate frame of size bytes (its
 * header already checked by rta_frame_probe) into h: 0, or -1 if it is
 * another type or its lengths do not fit.  The body's checksum is not
 * checked here.
 */
static int
frame_ids(const unsigned char *p, size_t size, struct rta_frame_hint *h)
{
	const unsigned char *b = p + RTA_FRAME_HEADER_LEN;
	size_t blen = size - RTA_FRAME_HEADER_LEN, strs;

	memset(h, 0, sizeof(*h));
	h->type = p[4];
	if ((h->type != RTA_FRAME_EVENT && h->type != RTA_FRAME_AGGREGATE) ||
	    blen < RTA_EVENT_FIXED_LEN)
		return -1;
	strs = (size_t)b[12] + b[13] + b[14];
	if (strs > blen - RTA_EVENT_FIXED_LEN)
		return -1;
	h->ts = (int64_t)rta_get_u64(b);
	h->schema_version = rta_get_u32(b + 8);
	h->id_len = b[12];
	h->etype_len = b[13];
	h->tenant_len = b[14];
	h->id = (const char *)b + RTA_EVENT_FIXED_LEN;
	h->etype = h->id + h->id_len;
	h->tenant = h->etype + h->etype_len;
	return 0;
}

/*
 * Walk the frames of p[0..len) (a log, which starts with a stream
 * header, or a segment's block, which does not): for each event or
 * aggregate frame whose header (and, with crc, body checksum) is good,
 * call fn with its offset, size and ids.  Anything else is damage, and
 * so is a frame for which fn returns RTA_EDATA (its own checks).
 *
 * The walk reads a line or two of each frame, hundreds of bytes apart:
 * too sparse for the hardware to fetch ahead, so each frame waited on
 * memory (a quarter of an hour's rollup was this walk).  The bytes
 * WALK_AHEAD on are fetched as the walk goes.
 */
#define WALK_AHEAD	4096

typedef int (*walk_fn)(void *arg, size_t off, size_t size,
    const struct rta_frame_hint *h);

static int
walk_frames(const unsigned char *p, size_t len, int crc, walk_fn fn,
    void *arg, size_t *bad)
{
	struct rta_frame_hint h;
	struct rta_error e;
	size_t off = 0, size, pf = 0, lim;
	int is_header, rc;

	while (off < len) {
		lim = len - off > WALK_AHEAD ? off + WALK_AHEAD : len;
		for (; pf < lim; pf += 64)
			__builtin_prefetch(p + pf);
		rc = rta_frame_probe(p + off, len - off, RTA_FRAME_MAX,
		    &is_header, &size, &e);
		if (rc != RTA_OK || size > len - off)
			goto damaged;
		if (is_header) {
			off += size;
			continue;
		}
		if (frame_ids(p + off, size, &h) != 0)
			goto damaged;
		if (crc && rta_crc32c(0, p + off + RTA_FRAME_HEADER_LEN,
		    size - RTA_FRAME_HEADER_LEN) != rta_get_u32(p + off + 8))
			goto damaged;
		if ((rc = fn(arg, off, size, &h)) != RTA_OK) {
			if (rc == RTA_EDATA)
				goto damaged;
			return rc;
		}
		off += size;
	}
	return RTA_OK;
damaged:
	*bad = off;
	return RTA_EDATA;
}

static int
walk_log(const struct map *m, const char *dspath, int crc, walk_fn fn,
    void *arg, struct rta_error *err)
{
	size_t bad = 0;
	int rc;

	if (m->len < RTA_STREAM_HEADER_LEN || !rta_frame_is_magic(m->p, 8))
		return rta_error_set(err, RTA_EDATA, "damaged", "%s/%s: "
		    "offset 0: not an rta stream", dspath, m->name);
	rc = walk_frames(m->p, m->len, crc, fn, arg, &bad);
	if (rc == RTA_EDATA)
		return rta_error_set(err, RTA_EDATA, "damaged", "%s/%s: "
		    "offset %zu: damaged frame", dspath, m->name, bad);
	return rc;
}

struct rta_scan {
	struct rta_dataset	*ds;
	char			 dspath[PATH_MAX];
	char			 tenant[RTA_ID_MAX + 1];
	size_t			 tlen;
	int			 all;
	int64_t			 from, to;
	int64_t			 next;		/* first bucket not yet read */
	struct map		*maps;		/* the current bucket's */
	size_t			 nmaps, mapcap;
	struct scan_ent		*ent;
	size_t			 nent, entcap, pos;
	struct scan_ent		*ent2;		/* second halves of divided
						 * walks, till sorted in */
	size_t			 nent2;
	uint64_t		 superseded;
	uint32_t		 cur_map;
	size_t			 cur_base;	/* offset of the walked bytes in
						 * the current map */
	/* a bucket that is only a segment is read block by block, in
	 * the segment's order, with nothing to sort */
	int			 stream;
	/* a scan of every tenant checks the checksums of a log's records
	 * as it collects them, in the log's order, which the memory
	 * fetches ahead, rather than in the scan's, which it cannot: the
	 * records are then decoded as RTA_DECODE_SUMMED */
	int			 summed;
	int			 crc_walk;	/* the walk is of a log */
	unsigned		 threads;	/* rta_scan_threads */
	struct rta_seg		 seg;
	char			 segname[48];
	uint32_t		 blk;		/* next block */
	struct rta_buf		 bbuf;		/* the current block */
	uint32_t		 rows_blk;	/* rta_scan_reread's block, */
	int			 rows_set;	/* if set */
	size_t			 boff;
	uint64_t		 bstart;	/* its offset in the segment */
	const char		*btenant;
	size_t			 btlen;
	void			*dctx;
};

static int
scan_collect(void *arg, size_t off, size_t size,
    const struct rta_frame_hint *h)
{
	struct rta_scan *sc = arg;
	struct scan_ent *e;

	if (h->ts < sc->from || h->ts >= sc->to)
		return RTA_OK;
	if (!sc->all && (h->tenant_len != sc->tlen ||
	    memcmp(h->tenant, sc->tenant, sc->tlen) != 0))
		return RTA_OK;
	if (sc->crc_walk) {
		const unsigned char *p = sc->maps[sc->cur_map].p +
		    sc->cur_base + off;

		if (rta_crc32c(0, p + RTA_FRAME_HEADER_LEN,
		    size - RTA_FRAME_HEADER_LEN) != rta_get_u32(p + 8))
			return RTA_EDATA;
	}
	if (sc->nent == sc->entcap) {
		size_t ncap = sc->entcap ? sc->entcap * 2 : 1024;
		struct scan_ent *n;

		if ((n = rta_reallocarray(sc->ent, ncap, sizeof(*n))) == NULL)
			return RTA_ENOMEM;
		sc->ent = n;
		sc->entcap = ncap;
	}
	e = &sc->ent[sc->nent++];
	e->ts = h->ts;
	e->tlen = h->tenant_len;
	e->idlen = h->id_len;
	e->elen = h->etype_len;
	e->tkey = rta_scan_prefix_key(h->tenant, h->tenant_len);
	e->ikey = rta_scan_prefix_key(h->id, h->id_len);
	e->frame = sc->maps[sc->cur_map].p + sc->cur_base + off;
	e->size = (uint32_t)size;
	e->version = h->schema_version;
	e->map = sc->cur_map;
	return RTA_OK;
}



static void
scan_unmap(struct rta_scan *sc)
{
	size_t i;

	for (i = 0; i < sc->nmaps; i++)
		unmap_log(&sc->maps[i]);
	sc->nmaps = 0;
	sc->nent = 0;
	rta_free(sc->ent2);
	sc->ent2 = NULL;
	sc->nent2 = 0;
	sc->pos = 0;
	sc->stream = 0;
}

static struct map *
scan_new_map(struct rta_scan *sc)
{
	struct map *m;

	if (sc->nmaps == sc->mapcap) {
		size_t ncap = sc->mapcap ? sc->mapcap * 2 : 4;

		if ((m = rta_reallocarray(sc->maps, ncap, sizeof(*m))) == NULL)
			return NULL;
		sc->maps = m;
		sc->mapcap = ncap;
	}
	m = &sc->maps[sc->nmaps];
	memset(m, 0, sizeof(*m));
	sc->cur_map = (uint32_t)sc->nmaps++;
	return m;
}

/* The smallest bucket at or after t that has data (commit or manifest
 * segment), or INT64_MAX. */
static int64_t
next_bucket(const struct rta_dataset *ds, int64_t t)
{
	int64_t best = INT64_MAX;
	size_t i;

	for (i = 0; i < ds->c.nlogs; i++)
		if (ds->c.logs[i].bucket >= t &&
		    ds->c.logs[i].bucket < best &&
		    !covered(&ds->man, ds->c.logs[i].bucket, ds->c.logs[i].gen))
			best = ds->c.logs[i].bucket;
	for (i = 0; i < ds->man.n; i++)
		if (ds->man.v[i].kind == RTA_MAN_SEGMENT &&
		    ds->man.v[i].bucket >= t && ds->man.v[i].bucket < best)
			best = ds->man.v[i].bucket;
	return best;
}

int64_t
rta_dataset_next_bucket(const struct rta_dataset *ds, int64_t t)
{
	return next_bucket(ds, t);
}

uint64_t
rta_bucket_print(const struct rta_dataset *ds, int64_t b)
{
	const struct rta_man_entry *me = rta_manifest_find(&ds->man, b);
	uint64_t h, v[4];
	size_t i;
	int any = 0;

	h = 0x6a09e667f3bcc908ULL ^ (uint64_t)b;
	if (me != NULL && me->kind == RTA_MAN_SEGMENT) {
		v[0] = (uint64_t)b;
		v[1] = me->gen;
		v[2] = me->records;
		v[3] = me->bytes;
		h = rta_hash64(v, sizeof(v), h);
		any = 1;
	}
	for (i = 0; i < ds->c.nlogs; i++) {
		if (ds->c.logs[i].bucket != b ||
		    covered(&ds->man, b, ds->c.logs[i].gen))
			continue;
		v[0] = (uint64_t)b;
		v[1] = ds->c.logs[i].gen;
		v[2] = ds->c.logs[i].len;
		v[3] = 0;
		h = rta_hash64(v, sizeof(v), h);
		any = 1;
	}
	return any ? (h != 0 ? h : 1) : 0;
}

/* Collect the matching records of bucket b's segment. */
static int
scan_segment(struct rta_scan *sc, const struct rta_man_entry *me,
    struct rta_error *err)
{
	struct rta_seg_entry e;
	struct rta_seg seg;
	struct rta_error e2;
	struct map *sm, *m;
	char name[48];
	uint32_t i;
	size_t bad = 0;
	int rc;

	rta_store_seg_name(name, sizeof(name), me->bucket, me->gen);
	if ((sm = scan_new_map(sc)) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	if ((rc = map_file(sc->ds->fd, sc->dspath, name, 0, sm, err)) !=
	    RTA_OK)
		return rc;
	if (rta_seg_open(sm->p, sm->len, &seg, &e2) != RTA_OK)
		return rta_error_set(err, RTA_EDATA, "damaged", "%s/%s: %s",
		    sc->dspath, name, e2.text);
	if (sc->dctx == NULL && (sc->dctx = rta_seg_dctx_new()) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	seg.dctx = sc->dctx;
	i = 0;
	if (!sc->all && rta_seg_find(&seg, sc->tenant, sc->tlen, &i) != 0)
		return rta_error_set(err, RTA_EDATA, "damaged",
		    "%s/%s: index entry %u checksum mismatch", sc->dspath,
		    name, i);
	for (; i < seg.nblocks; i++) {
		if (rta_seg_entry(&seg, i, &e) != 0)
			return rta_error_set(err, RTA_EDATA, "damaged",
			    "%s/%s: index entry %u out of bounds", sc->dspath,
			    name, i);
		if (!sc->all && (e.tlen != sc->tlen ||
		    memcmp(e.tenant, sc->tenant, sc->tlen) != 0))
			break;
		if (e.max_ts < sc->from || e.min_ts >= sc->to)
			continue;
		if ((m = scan_new_map(sc)) == NULL)
			return rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
		snprintf(m->name, sizeof(m->name), "%s", name);
		/* the map array may have moved */
		if ((rc = rta_seg_block(&seg, i, &m->buf, &e2)) != RTA_OK)
			return rta_error_set(err, rc, rc == RTA_ENOMEM ?
			    "nomem" : "damaged", "%s/%s: %s", sc->dspath,
			    name, e2.text);
		m->p = m->buf.data;
		m->len = m->buf.len;
		sc->cur_base = 0;
		rc = walk_frames(m->p, m->len, 0, scan_collect, sc, &bad);
		if (rc == RTA_EDATA)
			return rta_error_set(err, RTA_EDATA, "damaged",
			    "%s/%s: block at offset %llu: damaged frame",
			    sc->dspath, name, (unsigned long long)e.off);
		if (rc != RTA_OK)
			return rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
	}
	return RTA_OK;
}

/*
 * A long log is walked by two threads, when the scan may use them: the
 * second from a frame found past the middle (a header whose check holds
 * and whose body's checksum does), the first up to there, which proves
 * that a frame starts there.  If it does not (the first walk fails), the
 * log is walked again whole by one thread, which reports any damage.
 */
#define SPLIT_MIN	((size_t)32 << 20)
#define SPLIT_SEEK	((size_t)1 << 20)	/* how far to look past it */

struct half {
	struct rta_scan		 sc;		/* a copy, with its own entries */
	const struct map	*m;
	size_t			 from, bad;
	int			 rc;
};

static void *
half_main(void *arg)
{
	struct half *h = arg;

	h->rc = walk_frames(h->m->p + h->from, h->m->len - h->from, 0,
	    scan_collect, &h->sc, &h->bad);
	return NULL;
}

/* Where a frame seems to start at or after off: an offset, or 0. */
static size_t
split_point(const unsigned char *p, size_t len, size_t off)
{
	struct rta_frame_hint h;
	struct rta_error e;
	size_t end = len - off > SPLIT_SEEK ? off + SPLIT_SEEK : len, size;
	int is_header;

	for (off--; off + 1 < end; ) {
		off += rta_frame_resync(p + off, end - off, RTA_FRAME_MAX);
		if (off >= end || rta_frame_probe(p + off, len - off,
		    RTA_FRAME_MAX, &is_header, &size, &e) != RTA_OK ||
		    size > len - off)
			continue;
		if (is_header)
			return off;
		if (frame_ids(p + off, size, &h) == 0 && rta_crc32c(0,
		    p + off + RTA_FRAME_HEADER_LEN, size -
		    RTA_FRAME_HEADER_LEN) == rta_get_u32(p + off + 8))
			return off;
	}
	return 0;
}

static int
walk_log_split(struct rta_scan *sc, const struct map *m, struct rta_error *err)
{
	struct scan_ent *v;
	struct half h;
	pthread_t tid;
	size_t split, nbefore = sc->nent, bad = 0;
	int rc;

	if (sc->threads < 2 || m->len < SPLIT_MIN ||
	    !rta_frame_is_magic(m->p, 8) ||
	    (split = split_point(m->p, m->len, m->len / 2)) == 0)
		return walk_log(m, sc->dspath, 0, scan_collect, sc, err);
	memcpy(&h.sc, sc, sizeof(h.sc));
	h.sc.ent = NULL;
	h.sc.nent = h.sc.entcap = 0;
	h.sc.cur_base = split;
	h.m = m;
	h.from = split;
	h.bad = 0;
	if (pthread_create(&tid, NULL, half_main, &h) != 0)
		return walk_log(m, sc->dspath, 0, scan_collect, sc, err);
	rc = walk_frames(m->p, split, 0, scan_collect, sc, &bad);
	(void)pthread_join(tid, NULL);
	if (rc == RTA_OK && h.rc == RTA_OK) {
		/* kept apart: the sort takes both */
		if (sc->nent2 == 0) {
			rta_free(sc->ent2);
			sc->ent2 = h.sc.ent;
			sc->nent2 = h.sc.nent;
			return RTA_OK;
		}
		if (h.sc.nent > 0) {
			if ((v = rta_reallocarray(sc->ent2, sc->nent2 +
			    h.sc.nent, sizeof(*v))) == NULL) {
				rta_free(h.sc.ent);
				return RTA_ENOMEM;
			}
			sc->ent2 = v;
			memcpy(sc->ent2 + sc->nent2, h.sc.ent,
			    h.sc.nent * sizeof(*v));
			sc->nent2 += h.sc.nent;
		}
		rta_free(h.sc.ent);
		return RTA_OK;
	}
	rta_free(h.sc.ent);
	if (rc == RTA_ENOMEM || h.rc == RTA_ENOMEM)
		return RTA_ENOMEM;
	if (rc == RTA_OK && h.rc == RTA_EDATA)
		/* a frame starts at the split: the damage is past it */
		return rta_error_set(err, RTA_EDATA, "damaged", "%s/%s: "
		    "offset %zu: damaged frame", sc->dspath, m->name,
		    split + h.bad);
	if (rc != RTA_OK && rc != RTA_EDATA)
		return rc;
	if (h.rc != RTA_OK && h.rc != RTA_EDATA)
		return h.rc;
	sc->nent = nbefore;
	return walk_log(m, sc->dspath, 0, scan_collect, sc, err);
}

/* Collect bucket b: its segment, then its logs not covered. */
static int
scan_one(struct rta_scan *sc, int64_t b, struct rta_error *err)
{
	const struct rta_dataset *ds = sc->ds;
	const struct rta_man_entry *me = rta_manifest_find(&ds->man, b);
	struct map *m;
	size_t i;
	int rc;

	if (me != NULL && me->kind == RTA_MAN_SEGMENT &&
	    (rc = scan_segment(sc, me, err)) != RTA_OK)
		return rc;
	for (i = 0; i < ds->c.nlogs; i++) {
		const struct rta_store_log *l = &ds->c.logs[i];

		if (l->bucket != b || covered(&ds->man, b, l->gen))
			continue;
		if ((m = scan_new_map(sc)) == NULL)
			return rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
		if ((rc = map_log(ds->fd, sc->dspath, l, m, err)) != RTA_OK)
			return rc;
		sc->cur_base = 0;
		sc->crc_walk = sc->summed;
		rc = walk_log_split(sc, m, err);
		sc->crc_walk = 0;
		if (rc == RTA_ENOMEM)
			return rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
		if (rc != RTA_OK)
			return rc;
	}
	return RTA_OK;
}

/*
 * If bucket b is a segment and nothing else, make it the scan's stream:
 * STREAM_READY.  RTA_OK if it is not (the general path reads it),
 * RTA_EOF if its file is gone, or an error.
 */
#define STREAM_READY	100
static int
scan_stream(struct rta_scan *sc, int64_t b, struct rta_error *err)
{
	const struct rta_dataset *ds = sc->ds;
	const struct rta_man_entry *me = rta_manifest_find(&ds->man, b);
	struct rta_error e2;
	struct map *m;
	size_t i;
	int rc;

	if (me == NULL || me->kind != RTA_MAN_SEGMENT)
		return 0;
	for (i = 0; i < ds->c.nlogs; i++)
		if (ds->c.logs[i].bucket == b &&
		    !covered(&ds->man, b, ds->c.logs[i].gen))
			return 0;
	rta_store_seg_name(sc->segname, sizeof(sc->segname), me->bucket,
	    me->gen);
	if ((m = scan_new_map(sc)) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	if (ds->kept != NULL) {
		if ((rc = kept_map(ds, sc->dspath, sc->segname, b, m,
		    &sc->seg, err)) != RTA_OK)
			return rc;
	} else {
		if ((rc = map_file(ds->fd, sc->dspath, sc->segname, 0, m,
		    err)) != RTA_OK)
			return rc;
		if (rta_seg_open(m->p, m->len, &sc->seg, &e2) != RTA_OK)
			return rta_error_set(err, RTA_EDATA, "damaged",
			    "%s/%s: %s", sc->dspath, sc->segname, e2.text);
	}
	if (sc->dctx == NULL && (sc->dctx = rta_seg_dctx_new()) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	sc->seg.dctx = sc->dctx;
	sc->blk = 0;
	sc->rows_set = 0;
	if (!sc->all && rta_seg_find(&sc->seg, sc->tenant, sc->tlen,
	    &sc->blk) != 0)
		return rta_error_set(err, RTA_EDATA, "damaged",
		    "%s/%s: index entry %u checksum mismatch", sc->dspath,
		    sc->segname, sc->blk);
	sc->bbuf.len = 0;
	sc->boff = 0;
	sc->stream = 1;
	return STREAM_READY;
}

/* The next record of the stream: RTA_OK, RTA_EOF (its end), an error. */
static int
stream_next(struct rta_scan *sc, struct rta_record *rec,
    struct rta_error *err)
{
	struct rta_seg_entry e;
	struct rta_error e2;
	size_t size;
	int is_header, rc;

	for (;;) {
		if (sc->boff < sc->bbuf.len) {
			const unsigned char *p = sc->bbuf.data + sc->boff;

			rc = rta_frame_probe(p, sc->bbuf.len - sc->boff,
			    RTA_FRAME_MAX, &is_header, &size, &e2);
			if (rc != RTA_OK || is_header ||
			    size > sc->bbuf.len - sc->boff)
				goto damaged;
			/* rta_seg_block checked the block's checksum and
			 * left 16 bytes after it */
			rc = rta_frame_decode_padded(p, size,
			    RTA_VALUE_MAX_DEPTH, RTA_VALUE_MAX_MEMBERS,
			    RTA_DECODE_PADDED | RTA_DECODE_SUMMED, rec, &e2);
			if (rc != RTA_OK || rec->ev.tenant_len != sc->btlen ||
			    memcmp(rec->ev.tenant, sc->btenant,
			    sc->btlen) != 0 || rec->kind !=
			    (sc->ds->c.kind == RTA_DS_EVENTS ? RTA_REC_EVENT :
			    RTA_REC_AGGREGATE))
				goto damaged;
			sc->boff += size;
			if (rec->ev.ts < sc->from || rec->ev.ts >= sc->to)
				continue;
			return RTA_OK;
		}
		if (sc->blk >= sc->seg.nblocks)
			return RTA_EOF;
		if (rta_seg_entry(&sc->seg, sc->blk, &e) != 0)
			return rta_error_set(err, RTA_EDATA, "damaged",
			    "%s/%s: index entry %u out of bounds", sc->dspath,
			    sc->segname, sc->blk);
		if (!sc->all && (e.tlen != sc->tlen ||
		    memcmp(e.tenant, sc->tenant, sc->tlen) != 0))
			return RTA_EOF;
		sc->blk++;
		if (e.max_ts < sc->from || e.min_ts >= sc->to)
			continue;
		if ((rc = rta_seg_block(&sc->seg, sc->blk - 1, &sc->bbuf,
		    &e2)) != RTA_OK)
			return rta_error_set(err, rc, rc == RTA_ENOMEM ?
			    "nomem" : "damaged", "%s/%s: %s", sc->dspath,
			    sc->segname, e2.text);
		sc->boff = 0;
		sc->bstart = e.off;
		sc->btenant = e.tenant;
		sc->btlen = e.tlen;
	}
damaged:
	return rta_error_set(err, RTA_EDATA, "damaged", "%s/%s: block at "
	    "offset %llu: frame at %zu: damaged", sc->dspath, sc->segname,
	    (unsigned long long)sc->bstart, sc->boff);
}

/* Read the next bucket that overlaps [from, to): RTA_OK, RTA_EOF (no
 * more), or an error. */
static int
scan_bucket(struct rta_scan *sc, struct rta_error *err)
{
	struct rta_dataset *ds = sc->ds;
	size_t j, k;
	int64_t b;
	struct scan_ent *sorted;
	int rc, tries;

	for (;;) {
		scan_unmap(sc);
		if (ds->c.width <= 0)
			return RTA_EOF;
		b = next_bucket(ds, sc->next);
		if (b == INT64_MAX || b >= sc->to)
			return RTA_EOF;
		if (b + ds->c.width <= sc->from) {
			sc->next = b + ds->c.width;
			continue;
		}
		/* a file compaction or retention removed since the state
		 * was read: read the state again */
		for (tries = 0; (rc = scan_stream(sc, b, err)) == RTA_EOF &&
		    tries < 8; tries++) {
			scan_unmap(sc);
			if ((rc = dataset_load(ds, sc->dspath, err)) != RTA_OK)
				return rc;
		}
		if (rc == RTA_EOF)
			rc = RTA_EDATA;
		if (rc != RTA_OK && rc != STREAM_READY)
			return rc;
		if (rc == STREAM_READY) {
			sc->next = b + ds->c.width;
			return RTA_OK;
		}
		for (tries = 0; (rc = scan_one(sc, b, err)) == RTA_EOF &&
		    tries < 8; tries++) {
			scan_unmap(sc);
			if ((rc = dataset_load(ds, sc->dspath, err)) != RTA_OK)
				return rc;
		}
		if (rc == RTA_EOF)
			rc = RTA_EDATA;
		if (rc != RTA_OK)
			return rc;
		sc->next = b + ds->c.width;
		if (sc->nent + sc->nent2 == 0)
			continue;
		rc = rta_scan_sort(sc->ent, sc->nent, sc->ent2, sc->nent2,
		    sc->threads, &sorted);
		rta_free(sc->ent2);
		sc->ent2 = NULL;
		if (rc != 0) {
			sc->nent2 = 0;
			return rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
		}
		if (sorted != NULL) {
			rta_free(sc->ent);
			sc->ent = sorted;
			sc->nent += sc->nent2;
			sc->entcap = sc->nent;
		}
		sc->nent2 = 0;
		if (ds->c.kind == RTA_DS_AGGREGATES) {
			/* keep the last of each (tenant, id) */
			for (j = 0, k = 0; j < sc->nent; j++) {
				if (j + 1 < sc->nent &&
				    sc->ent[j + 1].ts == sc->ent[j].ts &&
				    sc->ent[j + 1].ikey == sc->ent[j].ikey &&
				    sc->ent[j + 1].tkey == sc->ent[j].tkey &&
				    rta_bytes_cmp(scan_ent_tenant(&sc->ent[j]),
				    sc->ent[j].tlen,
				    scan_ent_tenant(&sc->ent[j + 1]),
				    sc->ent[j + 1].tlen) == 0 &&
				    rta_bytes_cmp(scan_ent_id(&sc->ent[j]),
				    sc->ent[j].idlen, scan_ent_id(&sc->ent[j + 1]),
				    sc->ent[j + 1].idlen) == 0) {
					sc->superseded++;
					continue;
				}
				if (k != j)
					sc->ent[k] = sc->ent[j];
				k++;
			}
			sc->nent = k;
		}
		return RTA_OK;
	}
}

int
rta_scan_open(struct rta_dataset *ds, const char *tenant, size_t tlen,
    int64_t from, int64_t to, struct rta_scan **scp, struct rta_error *err)
{
	struct rta_scan *sc;

	*scp = NULL;
	if (tenant != NULL && tlen > RTA_ID_MAX)
		return rta_error_set(err, RTA_EINVAL, "bad-tenant", "tenant "
		    "id longer than %d bytes", RTA_ID_MAX);
	if ((sc = rta_calloc(1, sizeof(*sc))) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	sc->ds = ds;
	snprintf(sc->dspath, sizeof(sc->dspath), "%s/%s",
	    ds->store != NULL ? ds->store->path : ".", ds->name);
	sc->all = tenant == NULL;
	sc->summed = sc->all;
	if (tenant != NULL) {
		memcpy(sc->tenant, tenant, tlen);
		sc->tlen = tlen;
	}
	sc->from = from;
	sc->to = to;
	sc->next = INT64_MIN;
	*scp = sc;
	return RTA_OK;
}

/*
 * The scan's order jumps about a log: each record read waited on memory
 * (the decoding's checks were a fifth of an hour's rollup).  The first
 * kilobyte of the record FETCH_AHEAD places on is fetched as each one
 * is returned.
 */
#define FETCH_AHEAD	16

static void
fetch(const struct scan_ent *f)
{
	const unsigned char *q = f->frame;
	size_t k, lim = f->size < 1024 ? f->size : 1024;

	for (k = 0; k < lim; k += 64)
		__builtin_prefetch(q + k);
	__builtin_prefetch(q + lim - 1);
}

/* Decode entry e of the loaded bucket into rec. */
static int
scan_decode(const struct rta_scan *sc, const struct scan_ent *e,
    struct rta_record *rec, struct rta_error *err)
{
	const struct map *m = &sc->maps[e->map];
	struct rta_error e2;
	int rc;

	/* logs' and segments' records were checked whole when stored;
	 * their checksums say they are still what was checked (a segment's
	 * block's, or each log record's, checked here or as collected) */
	rc = rta_frame_decode_padded(e->frame, e->size,
	    RTA_VALUE_MAX_DEPTH, RTA_VALUE_MAX_MEMBERS, sc->summed ?
	    RTA_DECODE_SUMMED : RTA_DECODE_STORED, rec, &e2);
	if (rc != RTA_OK || rec->ev.ts != e->ts ||
	    rec->ev.tenant_len != e->tlen ||
	    !rta_key_eq((const unsigned char *)rec->ev.tenant,
	    scan_ent_tenant(e), e->tlen) ||
	    rec->kind != (sc->ds->c.kind == RTA_DS_EVENTS ? RTA_REC_EVENT :
	    RTA_REC_AGGREGATE))
		return rta_error_set(err, RTA_EDATA, "damaged", "%s/%s: "
		    "offset %llu: %s", sc->dspath, m->name,
		    (unsigned long long)(e->frame - m->p), rc != RTA_OK ?
		    e2.text : "record does not match its header");
	return RTA_OK;
}

int
rta_scan_next(struct rta_scan *sc, struct rta_record *rec,
    struct rta_error *err)
{
	int rc;

	for (;;) {
		if (sc->stream) {
			if ((rc = stream_next(sc, rec, err)) != RTA_EOF)
				return rc;
			sc->stream = 0;
		} else if (sc->pos < sc->nent)
			break;
		if ((rc = scan_bucket(sc, err)) != RTA_OK)
			return rc;
	}
	if (sc->pos + FETCH_AHEAD < sc->nent)
		fetch(&sc->ent[sc->pos + FETCH_AHEAD]);
	return scan_decode(sc, &sc->ent[sc->pos++], rec, err);
}

int
rta_scan_cols(struct rta_scan *sc, struct rta_cols *c, int *got,
    struct rta_error *err)
{
	struct rta_seg_entry e;
	struct rta_error e2;
	const unsigned char *body = NULL;
	size_t blen = 0;
	int rc;

	*got = 0;
	for (;;) {
		if (sc->stream) {
			if (sc->boff < sc->bbuf.len)
				return RTA_OK;		/* amid a block's rows */
			if (sc->blk >= sc->seg.nblocks)
				goto ended;
			if (rta_seg_entry(&sc->seg, sc->blk, &e) != 0)
				return rta_error_set(err, RTA_EDATA, "damaged",
				    "%s/%s: index entry %u out of bounds",
				    sc->dspath, sc->segname, sc->blk);
			if (!sc->all && (e.tlen != sc->tlen ||
			    memcmp(e.tenant, sc->tenant, sc->tlen) != 0))
				goto ended;
			if (e.max_ts < sc->from || e.min_ts >= sc->to) {
				sc->blk++;
				continue;
			}
			if (e.cols == 0 || (sc->rows_set &&
			    sc->rows_blk == sc->blk))
				return RTA_OK;		/* rows */
			if ((rc = rta_seg_cols(&sc->seg, sc->blk, &body,
			    &blen, &e2)) == RTA_OK && (rc = rta_cols_parse(c,
			    body, blen, &e2)) == RTA_OK && c->n != e.count)
				rc = rta_error_set(&e2, RTA_EDATA, "damaged",
				    "columns: record count differs from the "
				    "index");
			if (rc != RTA_OK)
				return rta_error_set(err, rc, rc == RTA_ENOMEM ?
				    "nomem" : "damaged", "%s/%s: block at "
				    "offset %llu: %s", sc->dspath, sc->segname,
				    (unsigned long long)e.off, e2.text);
			c->tenant = e.tenant;
			c->tlen = e.tlen;
			sc->blk++;
			*got = 1;
			return RTA_OK;
		} else if (sc->pos < sc->nent)
			return RTA_OK;
		if ((rc = scan_bucket(sc, err)) != RTA_OK)
			return rc;
		continue;
ended:
		sc->stream = 0;
		if ((rc = scan_bucket(sc, err)) != RTA_OK)
			return rc;
	}
}

void
rta_scan_reread(struct rta_scan *sc)
{
	if (sc->stream && sc->blk > 0 && sc->boff >= sc->bbuf.len) {
		sc->rows_blk = --sc->blk;
		sc->rows_set = 1;
	}
}

int
rta_scan_load(struct rta_scan *sc, size_t *n, struct rta_error *err)
{
	int rc;

	*n = 0;
	if ((rc = scan_bucket(sc, err)) != RTA_OK)
		return rc;
	if (sc->stream)
		return RTA_OK;
	*n = sc->nent;
	sc->pos = sc->nent;
	return RTA_OK;
}

int
rta_scan_get(const struct rta_scan *sc, size_t i, struct rta_record *rec,
    struct rta_error *err)
{
	if (i + FETCH_AHEAD < sc->nent)
		fetch(&sc->ent[i + FETCH_AHEAD]);
	return scan_decode(sc, &sc->ent[i], rec, err);
}

size_t
rta_scan_tenant_start(const struct rta_scan *sc, size_t i)
{
	for (; i > 0 && i < sc->nent; i++)
		if (sc->ent[i].tlen != sc->ent[i - 1].tlen ||
		    memcmp(scan_ent_tenant(&sc->ent[i]),
		    scan_ent_tenant(&sc->ent[i - 1]), sc->ent[i].tlen) != 0)
			break;
	return i < sc->nent ? i : sc->nent;
}

void
rta_scan_threads(struct rta_scan *sc, unsigned n)
{
	sc->threads = n;
}

uint64_t
rta_scan_superseded(const struct rta_scan *sc)
{
	return sc->superseded;
}

void
rta_scan_close(struct rta_scan *sc)
{
	if (sc == NULL)
		return;
	scan_unmap(sc);
	rta_free(sc->maps);
	rta_free(sc->ent);
	rta_buf_release(&sc->bbuf);
	rta_seg_dctx_free(sc->dctx);
	rta_free(sc);
}

/* ---- writing ------------------------------------------------------------ */

struct wlog {
	int64_t		 bucket;
	uint32_t	 gen;
	int		 fd;		/* -1: closed */
	uint64_t	 len;		/* bytes in the file and buffer */
	uint64_t	 flushed;	/* bytes in the file */
	uint64_t	 reserved;	/* blocks reserved up to here */
	int		 dirty;		/* written since the last sync */
	int		 appended;	/* records since the last commit */
	uint64_t	 used;		/* clock of the last use (LRU) */
	struct rta_buf	 buf;
};

struct rta_writer {
	struct rta_store	*s;
	struct rta_writer_opts	 o;
	char			 name[RTA_STORE_NAME_MAX + 1];
	char			 path[PATH_MAX];
	int			 dfd, lockfd, cfd;
	uint64_t		 csize;		/* commit file size */
	struct rta_commit	 c;		/* the state to commit next */
	struct wlog		*logs;		/* as c.logs, same order */
	size_t			 cur;		/* last log used */
	size_t			 nopen;
	uint64_t		 clock;
	uint64_t		 pending;
	unsigned		 new_buckets;
	int			 dir_dirty;
	int			 failed;
	int			 keys_on;
	int			 ending;	/* the input has ended */
	int			 rewrite;	/* replace the commit file */
	struct rta_keyset	 ks;
	struct rta_buf		 cbuf, frame;
	struct rta_manifest	 man;		/* compact's and retain's */
	struct stat		 man_sb;	/* when it was read */
	/* asynchronous commits: a thread syncs one commit while the
	 * next is being filled */
	struct sync_job		*job;		/* NULL: synchronous */
};

/*
 * A commit handed to the sync thread: descriptors (dups) of the logs
 * to fdatasync, whether the directory needs an fsync, and the encoded
 * commit record to append once they are durable.  The thread owns the
 * commit file (cfd, csize) from the first asynchronous commit on.
 */
struct sync_job {
	pthread_t		 thr;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	int			 busy;		/* submitted, not yet done */
	int			 quit;
	int			 failed;	/* a job failed: errno, what */
	int			 err_no;
	char			 what[64];
	int			*fds;
	size_t			 nfds, fdcap;
	int			 dir;
	int			 rewrite;
	struct rta_buf		 rec;
	uint64_t		 seq, records, tag;
	rta_durable_fn		 fn;
	void			*arg;
	struct rta_writer	*w;
};

void
rta_writer_opts_init(struct rta_writer_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->width = DAY_US;
	o->horizon = 14 * DAY_US;
	o->max_new_buckets = 1000;
	o->close_after = HOUR_US;
}

static int
werr(struct rta_writer *w, struct rta_error *err, const char *what)
{
	w->failed = 1;
	return rta_error_set(err, RTA_EIO, "store-io", "%s/%s: %s", w->path,
	    what, strerror(errno));
}

/* Parse "YYYYMMDDTHHMM.G.log" into bucket and gen: 0 or -1. */
static int
parse_log_name(const char *s, int64_t *bucket, uint32_t *gen)
{
	unsigned y, mo, d, h, mi;
	unsigned long g;
	char *end;
	int n = 0;

	if (strlen(s) < 19 || sscanf(s, "%4u%2u%2uT%2u%2u.%n", &y, &mo, &d,
	    &h, &mi, &n) != 5 || n != 14 || s[14] < '1' || s[14] > '9')
		return -1;
	g = strtoul(s + 14, &end, 10);
	if (strcmp(end, ".log") != 0 || g > UINT32_MAX || mo < 1 || mo > 12 ||
	    d < 1 || d > 31 || h > 23 || mi > 59 || y < 1)
		return -1;
	*bucket = (rta_days_from_civil(y, mo, d) * 86400 + h * 3600 +
	    mi * 60) * 1000000LL;
	*gen = (uint32_t)g;
	return 0;
}

static int
log_index(const struct rta_commit *c, int64_t bucket, uint32_t gen)
{
	size_t i;

	for (i = 0; i < c->nlogs; i++)
		if (c->logs[i].bucket == bucket && c->logs[i].gen == gen)
			return (int)i;
	return -1;
}

/* Drop the logs the manifest covers from the state to commit. */
static void
writer_prune(struct rta_writer *w)
{
	size_t i, k;

	for (i = 0, k = 0; i < w->c.nlogs; i++) {
		if (covered(&w->man, w->c.logs[i].bucket, w->c.logs[i].gen)) {
			if (w->logs != NULL) {
				if (w->logs[i].fd >= 0) {
					close(w->logs[i].fd);
					w->nopen--;
				}
				rta_buf_release(&w->logs[i].buf);
			}
			continue;
		}
		w->c.logs[k] = w->c.logs[i];
		if (w->logs != NULL)
			w->logs[k] = w->logs[i];
		k++;
	}
	w->c.nlogs = k;
	w->cur = 0;
}

/* Read the manifest again if compact or retain replaced it. */
static int
writer_manifest(struct rta_writer *w, struct rta_error *err)
{
	struct stat sb;
	int rc;

	if (fstatat(w->dfd, "segments", &sb, AT_SYMLINK_NOFOLLOW) != 0)
		memset(&sb, 0, sizeof(sb));
	if (sb.st_ino == w->man_sb.st_ino && sb.st_size == w->man_sb.st_size &&
	    sb.st_mtim.tv_sec == w->man_sb.st_mtim.tv_sec &&
	    sb.st_mtim.tv_nsec == w->man_sb.st_mtim.tv_nsec)
		return RTA_OK;
	if ((rc = read_manifest(w->dfd, w->path, &w->man, err)) != RTA_OK)
		return rc;
	w->man_sb = sb;
	writer_prune(w);
	return RTA_OK;
}

/* Cut the logs back to the commit and remove those it does not name. */
static int
recover_logs(struct rta_writer *w, struct rta_recovery *rec,
    struct rta_error *err)
{
	struct dirent *de;
	struct stat sb;
	int64_t bucket;
	uint32_t gen;
	DIR *d;
	int fd, i, rc = RTA_OK, removed = 0;

	if ((fd = dup(w->dfd)) < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return rta_error_errno(err, w->path);
	}
	rewinddir(d);
	while (rc == RTA_OK && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, "commits.tmp") == 0 ||
		    (strlen(de->d_name) > 8 && strcmp(de->d_name +
		    strlen(de->d_name) - 8, ".log.tmp") == 0)) {
			if (rta_io_unlink(w->dfd, de->d_name, 0) != 0)
				rc = werr(w, err, de->d_name);
			removed = 1;
			continue;
		}
		if (parse_log_name(de->d_name, &bucket, &gen) != 0)
			continue;
		if (fstatat(w->dfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
			rc = werr(w, err, de->d_name);
			break;
		}
		if (!S_ISREG(sb.st_mode)) {
			rc = rta_error_set(err, RTA_EINVAL, "unsafe-store",
			    "%s/%s: not a regular file", w->path, de->d_name);
			break;
		}
		if (covered(&w->man, bucket, gen)) {
			/* compacted or retired; a maintenance run stopped
			 * before removing it */
			if (rta_io_unlink(w->dfd, de->d_name, 0) != 0)
				rc = werr(w, err, de->d_name);
			removed = 1;
			continue;
		}
		if ((i = log_index(&w->c, bucket, gen)) < 0) {
			if (rta_io_unlink(w->dfd, de->d_name, 0) != 0)
				rc = werr(w, err, de->d_name);
			rec->logs_removed++;
			rec->log_bytes += (uint64_t)sb.st_size;
			removed = 1;
			continue;
		}
		if ((uint64_t)sb.st_size < w->c.logs[i].len) {
			if (w->o.repair)
				continue;	/* fsck's to mend */
			rc = rta_error_set(err, RTA_EDATA, "damaged", "%s/%s: "
			    "%llu bytes, shorter than its committed %llu "
			    "(run rta-store fsck)", w->path, de->d_name,
			    (unsigned long long)sb.st_size,
			    (unsigned long long)w->c.logs[i].len);
			break;
		}
		if ((uint64_t)sb.st_size > w->c.logs[i].len) {
			int lfd = openat(w->dfd, de->d_name, O_WRONLY |
			    O_NOFOLLOW | O_CLOEXEC);

			if (lfd < 0 || rta_io_truncate(lfd,
			    (off_t)w->c.logs[i].len) != 0 ||
			    rta_io_datasync(lfd) != 0)
				rc = werr(w, err, de->d_name);
			if (lfd >= 0)
				close(lfd);
			rec->log_bytes += (uint64_t)sb.st_size -
			    w->c.logs[i].len;
		}
	}
	closedir(d);
	if (rc == RTA_OK && removed)
		rc = sync_dir(w->dfd, w->path, err);
	/* every committed log must be there */
	for (i = 0; rc == RTA_OK && (size_t)i < w->c.nlogs; i++) {
		char name[48];

		rta_store_log_name(name, sizeof(name), w->c.logs[i].bucket,
		    w->c.logs[i].gen);
		if (fstatat(w->dfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0 &&
		    !w->o.repair && !covered(&w->man, w->c.logs[i].bucket,
		    w->c.logs[i].gen))
			rc = rta_error_set(err, RTA_EDATA, "damaged", "%s/%s: "
			    "committed but missing (run rta-store fsck)",
			    w->path, name);
	}
	return rc;
}

/* The dedup key of an event: tenant, NUL, event id. */
static void
event_fp(struct rta_keyset *ks, const char *tenant, size_t tlen,
    const char *id, size_t idlen, struct rta_fp *fp)
{
	char key[2 * RTA_ID_MAX + 1];

	memcpy(key, tenant, tlen);
	key[tlen] = '\0';
	memcpy(key + tlen + 1, id, idlen);
	rta_keyset_fingerprint(ks, key, tlen + 1 + idlen, fp);
}

static int
rebuild_one(void *arg, size_t off, size_t size,
    const struct rta_frame_hint *h)
{
	struct rta_writer *w = arg;
	struct rta_error e;
	struct rta_fp fp;

	(void)off;
	(void)size;
	if (h->ts < w->ks.horizon)
		return RTA_OK;
	event_fp(&w->ks, h->tenant, h->tenant_len, h->id, h->id_len, &fp);
	if (rta_keyset_add(&w->ks, &fp, h->ts, 0, NULL, &e) < 0)
		return e.code;
	return RTA_OK;
}

/* Fill the dedup keys from the committed logs within the horizon. */
static int
rebuild_keys(struct rta_writer *w, struct rta_recovery *rec,
    struct rta_error *err)
{
	struct map m;
	size_t i;
	int rc;

	if (w->c.max_ts != INT64_MIN)
		rta_keyset_set_horizon(&w->ks, w->c.max_ts - w->o.horizon);
	for (i = 0; i < w->c.nlogs; i++) {
		if (w->c.logs[i].bucket + w->c.width <= w->ks.horizon)
			continue;
		if ((rc = map_log(w->dfd, w->path, &w->c.logs[i], &m,
		    err)) != RTA_OK)
			return rc;
		rc = walk_log(&m, w->path, 1, rebuild_one, w, err);
		unmap_log(&m);
		if (rc == RTA_ENOMEM || rc == RTA_EIO)
			return rta_error_set(err, rc, "nomem", "dedup keys: %s",
			    rc == RTA_ENOMEM ? "out of memory" : "I/O error");
		if (rc != RTA_OK)
			return rc;
	}
	/* and the segments of buckets that reach into it */
	for (i = 0; i < w->man.n; i++) {
		const struct rta_man_entry *me = &w->man.v[i];
		struct rta_seg seg;
		struct rta_error e2;
		char name[48];
		uint32_t j;
		size_t bad;

		if (me->kind != RTA_MAN_SEGMENT ||
		    me->bucket + w->c.width <= w->ks.horizon)
			continue;
		rta_store_seg_name(name, sizeof(name), me->bucket, me->gen);
		if ((rc = map_file(w->dfd, w->path, name, 0, &m, err)) !=
		    RTA_OK)
			return rc == RTA_EOF ? RTA_EDATA : rc;
		rc = rta_seg_open(m.p, m.len, &seg, &e2);
		for (j = 0; rc == RTA_OK && j < seg.nblocks; j++) {
			if ((rc = rta_seg_block(&seg, j, &w->frame, &e2)) !=
			    RTA_OK)
				break;
			if ((rc = walk_frames(w->frame.data, w->frame.len, 1,
			    rebuild_one, w, &bad)) == RTA_EDATA)
				snprintf(e2.text, sizeof(e2.text), "block %u: "
				    "damaged frame", j);
		}
		unmap_log(&m);
		if (rc != RTA_OK)
			return rta_error_set(err, rc == RTA_EDATA ? RTA_EDATA :
			    rc, rc == RTA_EDATA ? "damaged" : "nomem",
			    "%s/%s: %s", w->path, name, rc == RTA_EDATA ?
			    e2.text : "out of memory");
	}
	rec->keys = rta_keyset_count(&w->ks);
	return RTA_OK;
}

int
rta_writer_open(struct rta_store *s, const char *name,
    const struct rta_writer_opts *o, struct rta_writer **wp,
    struct rta_recovery *rec, struct rta_error *err)
{
	struct rta_writer *w;
	struct rta_keyset_opts ko;
	size_t valid, damaged, i;
	int rc, created = 0;

	*wp = NULL;
	memset(rec, 0, sizeof(*rec));
	if (!rta_store_name_valid(name))
		return rta_error_set(err, RTA_EINVAL, "bad-dataset", "bad "
		    "dataset name '%s' (1 to %d of a-z, 0-9, _ and -)", name,
		    RTA_STORE_NAME_MAX);
	if ((w = rta_calloc(1, sizeof(*w))) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	w->s = s;
	w->o = *o;
	w->dfd = w->lockfd = w->cfd = -1;
	rta_commit_init(&w->c);
	memcpy(w->name, name, strlen(name) + 1);
	snprintf(w->path, sizeof(w->path), "%s/%s", s->path, name);
	if (mkdirat(s->fd, name, 0700) == 0)
		created = 1;
	else if (errno != EEXIST) {
		rc = rta_error_errno(err, w->path);
		goto fail;
	}
	if ((w->dfd = open_dir_at(s->fd, name, w->path, err)) < 0) {
		rc = err != NULL ? err->code : RTA_EIO;
		goto fail;
	}
	if (created && (fchmod(w->dfd, 0700) != 0 ||
	    sync_dir(s->fd, s->path, err) != RTA_OK)) {
		rc = rta_error_errno(err, w->path);
		goto fail;
	}
	if ((rc = check_dir(w->dfd, w->path, err)) != RTA_OK)
		goto fail;
	w->lockfd = openat(w->dfd, "lock", O_RDWR | O_CREAT | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (w->lockfd < 0) {
		rc = open_error(w->path, "lock", err);
		goto fail;
	}
	if (flock(w->lockfd, LOCK_EX | LOCK_NB) != 0) {
		rc = rta_error_set(err, RTA_EIO, "store-busy", "%s: another "
		    "rta-store is writing to this dataset", w->path);
		goto fail;
	}
	if ((rc = read_commits(w->dfd, w->path, &w->c, &w->cfd, &w->csize,
	    &valid, &damaged, err)) != RTA_OK)
		goto fail;
	rec->commit_damage = damaged;
	if (w->csize == 0 && (rc = sync_dir(w->dfd, w->path, err)) != RTA_OK)
		goto fail;
	if (w->csize > valid) {
		rec->commit_bytes = w->csize - valid;
		if (rta_io_truncate(w->cfd, (off_t)valid) != 0 ||
		    rta_io_datasync(w->cfd) != 0) {
			rc = werr(w, err, "commits");
			goto fail;
		}
		w->csize = valid;
	}
	if (w->c.seq == 0)
		w->c.width = o->width;
	if ((rc = writer_manifest(w, err)) != RTA_OK ||
	    (rc = recover_logs(w, rec, err)) != RTA_OK)
		goto fail;
	writer_prune(w);
	if (w->c.logcap > 0 &&
	    (w->logs = rta_calloc(w->c.logcap, sizeof(*w->logs))) == NULL) {
		rc = rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
		goto fail;
	}
	for (i = 0; i < w->c.nlogs; i++) {
		w->logs[i].bucket = w->c.logs[i].bucket;
		w->logs[i].gen = w->c.logs[i].gen;
		w->logs[i].fd = -1;
		w->logs[i].len = w->logs[i].flushed = w->c.logs[i].len;
		w->logs[i].reserved = w->c.logs[i].len;
	}
	if (w->c.kind != RTA_DS_AGGREGATES && !o->repair) {
		memset(&ko, 0, sizeof(ko));
		ko.max_mem = o->max_mem;
		ko.dir = NULL;
		ko.lean = RTA_KEYSET_NO_POS;
		if ((rc = rta_keyset_init(&w->ks, &ko, err)) != RTA_OK)
			goto fail;
		w->keys_on = 1;
		if ((rc = rebuild_keys(w, rec, err)) != RTA_OK)
			goto fail;
	}
	*wp = w;
	return RTA_OK;
fail:
	rta_writer_close(w);
	return rc;
}

void
rta_writer_watermark(struct rta_writer *w, int64_t wm)
{
	if (wm > w->c.watermark)
		w->c.watermark = wm;
}

struct rta_sources *
rta_writer_sources(struct rta_writer *w)
{
	return &w->c.src;
}

void
rta_writer_ending(struct rta_writer *w)
{
	w->ending = 1;
	w->pending++;
}

uint64_t
rta_writer_pending(const struct rta_writer *w)
{
	return w->pending;
}

/* Write out a log's buffer (reserving blocks first). */
static int
log_flush(struct rta_writer *w, struct wlog *l, struct rta_error *err)
{
	char name[48];
	uint64_t need;

	if (l->buf.len == 0)
		return RTA_OK;
	rta_store_log_name(name, sizeof(name), l->bucket, l->gen);
	need = l->flushed + l->buf.len;
	if (need > l->reserved) {
		uint64_t n = need - l->reserved, ahead;

		/* ahead of the data by as much as the log holds, from
		 * 64 KiB to LOG_RESERVE: small logs reserve little */
		ahead = l->flushed < (64U << 10) ? (64U << 10) :
		    l->flushed > (uint64_t)LOG_RESERVE ? (uint64_t)LOG_RESERVE :
		    l->flushed;
		if (n < ahead)
			n = ahead;
		if (rta_io_reserve(l->fd, (off_t)l->reserved, (off_t)n) != 0)
			return werr(w, err, name);
		l->reserved += n;
	}
	if (rta_io_pwrite(l->fd, l->buf.data, l->buf.len,
	    (off_t)l->flushed) != 0)
		return werr(w, err, name);
	l->flushed += l->buf.len;
	l->buf.len = 0;
	l->dirty = 1;
	return RTA_OK;
}

/*
 * Give back the blocks reserved past a log's data: setting its size to
 * what it is frees them.  The size and bytes do not change, so readers
 * are not affected; a failure only wastes space.
 */
static void
release_reserve(struct wlog *l)
{
	/* (a run killed before it could do this left its reservation:
	 * freed here too) */
	(void)ftruncate(l->fd, (off_t)l->flushed);
	l->reserved = l->flushed;
}

static int
log_sync_close(struct rta_writer *w, struct wlog *l, struct rta_error *err)
{
	char name[48];
	int rc;

	if (l->fd < 0)
		return RTA_OK;
	if ((rc = log_flush(w, l, err)) != RTA_OK)
		return rc;
	rta_store_log_name(name, sizeof(name), l->bucket, l->gen);
	if (l->dirty && rta_io_datasync(l->fd) != 0)
		return werr(w, err, name);
	l->dirty = 0;
	release_reserve(l);
	close(l->fd);
	l->fd = -1;
	w->nopen--;
	return RTA_OK;
}

/* Open log i for writing (creating it when new), closing the least
 * recently used one if too many are open. */
static int
log_open(struct rta_writer *w, size_t i, int create, struct rta_error *err)
{
	struct wlog *l = &w->logs[i], *old = NULL;
	unsigned char hdr[RTA_STREAM_HEADER_LEN];
	struct rta_buf hb = RTA_BUF_INIT;
	char name[48];
	size_t j;
	int rc;

	if (w->nopen >= RTA_STORE_OPEN_LOGS) {
		for (j = 0; j < w->c.nlogs; j++)
			if (w->logs[j].fd >= 0 &&
			    (old == NULL || w->logs[j].used < old->used))
				old = &w->logs[j];
		if (old != NULL && (rc = log_sync_close(w, old, err)) != RTA_OK)
			return rc;
	}
	rta_store_log_name(name, sizeof(name), l->bucket, l->gen);
	l->fd = openat(w->dfd, name, O_WRONLY | O_NOFOLLOW | O_CLOEXEC |
	    (create ? O_CREAT | O_EXCL : 0), 0600);
	if (l->fd < 0)
		return werr(w, err, name);
	w->nopen++;
	if (create) {
		if (fchmod(l->fd, 0600) != 0)
			return werr(w, err, name);
		if (rta_frame_put_header(&hb) != 0) {
			rta_buf_release(&hb);
			return rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
		}
		memcpy(hdr, hb.data, sizeof(hdr));
		rta_buf_release(&hb);
		if (rta_buf_add(&l->buf, hdr, sizeof(hdr)) != 0)
			return rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
		l->len = sizeof(hdr);
		w->dir_dirty = 1;
	}
	return RTA_OK;
}

/* The log for bucket (the newest generation), added if new. */
static int
log_for(struct rta_writer *w, int64_t bucket, struct wlog **lp,
    struct rta_error *err)
{
	const struct rta_man_entry *me;
	struct rta_store_log *nl;
	struct wlog *nw;
	size_t i, at, cap;
	uint32_t gen;
	int rc;

	if (w->cur < w->c.nlogs && w->logs[w->cur].bucket == bucket &&
	    !(w->c.logs[w->cur].flags & RTA_STORE_LOG_CLOSED) &&
	    (w->cur + 1 == w->c.nlogs ||
	    w->logs[w->cur + 1].bucket != bucket)) {
		i = w->cur;
		goto found;
	}
	/* the last entry of that bucket: its newest generation */
	for (at = 0; at < w->c.nlogs && w->logs[at].bucket <= bucket; at++)
		;
	if (at > 0 && w->logs[at - 1].bucket == bucket &&
	    !(w->c.logs[at - 1].flags & RTA_STORE_LOG_CLOSED)) {
		i = at - 1;
		goto found;
	}
	/* a new log: the bucket's next generation */
	gen = at > 0 && w->logs[at - 1].bucket == bucket ?
	    w->logs[at - 1].gen : 0;
	if ((me = rta_manifest_find(&w->man, bucket)) != NULL &&
	    me->gen > gen)
		gen = me->gen;
	if (gen == UINT32_MAX)
		return rta_error_set(err, RTA_ELIMIT, "bucket-limit", "no "
		    "generation left for a bucket's log");
	gen++;
	if (w->o.max_new_buckets > 0 && gen == 1 &&
	    w->new_buckets >= w->o.max_new_buckets)
		return rta_error_set(err, RTA_EDATA, "bucket-limit", "more "
		    "than %u new time buckets in one run", w->o.max_new_buckets);
	if (w->c.nlogs == w->c.logcap) {
		cap = w->c.logcap ? w->c.logcap * 2 : 8;
		if ((nl = rta_reallocarray(w->c.logs, cap,
		    sizeof(*nl))) == NULL)
			return rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
		w->c.logs = nl;
		if ((nw = rta_reallocarray(w->logs, cap, sizeof(*nw))) ==
		    NULL)
			return rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
		w->logs = nw;
		w->c.logcap = cap;
	}
	memmove(&w->c.logs[at + 1], &w->c.logs[at],
	    (w->c.nlogs - at) * sizeof(*w->c.logs));
	memmove(&w->logs[at + 1], &w->logs[at],
	    (w->c.nlogs - at) * sizeof(*w->logs));
	w->c.nlogs++;
	memset(&w->c.logs[at], 0, sizeof(w->c.logs[at]));
	memset(&w->logs[at], 0, sizeof(w->logs[at]));
	w->c.logs[at].bucket = w->logs[at].bucket = bucket;
	w->c.logs[at].gen = w->logs[at].gen = gen;
	w->logs[at].fd = -1;
	if (gen == 1)
		w->new_buckets++;
	i = at;
	if ((rc = log_open(w, i, 1, err)) != RTA_OK) {
		/* an I/O failure: the writer is done; leave the entry
		 * consistent (its file, if any, is removed at the next
		 * open) */
		w->c.logs[i].len = w->logs[i].len = RTA_STREAM_HEADER_LEN;
		return rc;
	}
	goto opened;
found:
	if (w->logs[i].fd < 0 && (rc = log_open(w, i, 0, err)) != RTA_OK)
		return rc;
opened:
	w->cur = i;
	w->logs[i].used = ++w->clock;
	*lp = &w->logs[i];
	return RTA_OK;
}

int
rta_writer_add(struct rta_writer *w, const struct rta_record *rec,
    struct rta_error *err)
{
	const struct rta_event *ev = &rec->ev;
	enum rta_ds_kind kind;
	struct wlog *l = NULL;
	struct rta_fp fp;
	int64_t bucket;
	int rc, fresh = 0;

	if (w->failed)
		return rta_error_set(err, RTA_EIO, "store-io", "%s: the writer "
		    "failed earlier", w->path);
	kind = rec->kind == RTA_REC_EVENT ? RTA_DS_EVENTS :
	    RTA_DS_AGGREGATES;
	if (w->c.kind == RTA_DS_EMPTY) {
		w->c.kind = kind;
		fresh = 1;
		if (kind == RTA_DS_AGGREGATES && w->keys_on) {
			rta_keyset_release(&w->ks);
			w->keys_on = 0;
		}
	} else if (kind != w->c.kind)
		return rta_error_set(err, RTA_EDATA, "wrong-kind", "%s record "
		    "in a dataset of %s", kind == RTA_DS_EVENTS ? "an event" :
		    "an aggregate", rta_ds_kind_name(w->c.kind));
	if (!rta_tenant_valid(ev->tenant, ev->tenant_len)) {
		rc = rta_error_set(err, RTA_EDATA, "bad-tenant", "tenant id "
		    "not fit for the store (1 to %d of A-Z, a-z, 0-9, _, - "
		    "and ., not starting with . or -)", RTA_TENANT_MAX);
		goto refuse;
	}
	bucket = ev->ts >= 0 ? ev->ts / w->c.width * w->c.width :
	    -((-ev->ts + w->c.width - 1) / w->c.width) * w->c.width;
	if (kind == RTA_DS_EVENTS) {
		if (w->c.max_ts == INT64_MIN || ev->ts > w->c.max_ts)
			rta_keyset_set_horizon(&w->ks, ev->ts - w->o.horizon);
		if (ev->ts < w->ks.horizon && !w->o.beyond_store) {
			/* its id can no longer be checked: a second copy
			 * would be stored again */
			rc = rta_error_set(err, RTA_EDATA, "beyond-horizon",
			    "event time more than the dedup horizon before "
			    "the newest event stored");
			goto refuse;
		}
		if (ev->ts >= w->ks.horizon) {
			event_fp(&w->ks, ev->tenant, ev->tenant_len, ev->id,
			    ev->id_len, &fp);
			if ((rc = rta_keyset_has(&w->ks, &fp)) == 1) {
				w->pending++;
				return 1;
			}
		}
	}
	if ((rc = log_for(w, bucket, &l, err)) != RTA_OK)
		goto refuse;
	if (ev->frame != NULL) {
		if (rta_buf_add(&l->buf, ev->frame, ev->frame_len) != 0)
			goto nomem;
	} else {
		size_t before = l->buf.len;

		if (rta_frame_put(&l->buf, rec) != 0) {
			l->buf.len = before;
			if (errno == ENOMEM)
				goto nomem;
			rc = rta_error_set(err, RTA_EDATA, "too-large",
			    "record does not fit a frame");
			goto refuse;
		}
	}
	if (kind == RTA_DS_EVENTS && ev->ts >= w->ks.horizon &&
	    rta_keyset_add(&w->ks, &fp, ev->ts, 0, NULL, err) < 0) {
		w->failed = 1;
		return err != NULL ? err->code : RTA_EIO;
	}
	l->len = l->flushed + l->buf.len;
	l->appended = 1;
	w->c.logs[l - w->logs].len = l->len;
	w->c.records++;
	if (ev->ts < w->c.min_ts)
		w->c.min_ts = ev->ts;
	if (ev->ts > w->c.max_ts)
		w->c.max_ts = ev->ts;
	w->pending++;
	if (l->buf.len >= LOG_FLUSH)
		return log_flush(w, l, err);
	return RTA_OK;
nomem:
	w->failed = 1;
	return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
refuse:
	if (fresh && rc == RTA_EDATA)
		w->c.kind = RTA_DS_EMPTY;
	if (rc != RTA_EDATA)
		w->failed = 1;
	return rc;
}

/*
 * Append the encoded commit record p[0..len) to the commit file and sync
 * it, or (rewrite, or the file grown past RTA_STORE_COMMITS_ROTATE)
 * replace the file by one holding only that record: temporary file,
 * sync, rename, sync of the directory.  0, or -1 with errno set and
 * *what naming the file.  Touches only cfd and csize, so that the sync
 * thread can run it.
 */
static int
commit_append(struct rta_writer *w, const unsigned char *p, size_t len,
    int rewrite, const char **what)
{
	int fd;

	*what = "commits";
	if (!rewrite && w->csize + len <= RTA_STORE_COMMITS_ROTATE) {
		if (rta_io_pwrite(w->cfd, p, len, (off_t)w->csize) != 0 ||
		    rta_io_datasync(w->cfd) != 0)
			return -1;
		w->csize += len;
		return 0;
	}
	fd = openat(w->dfd, "commits.tmp", O_WRONLY | O_CREAT | O_TRUNC |
	    O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 || fchmod(fd, 0600) != 0 || rta_io_write(fd, p, len) != 0 ||
	    rta_io_datasync(fd) != 0 ||
	    rta_io_rename(w->dfd, "commits.tmp", "commits") != 0) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		errno = e;
		return -1;
	}
	close(w->cfd);
	w->cfd = fd;
	w->csize = len;
	*what = ".";
	return rta_io_fsync(w->dfd);
}

/*
 * The main thread's part of a commit: close the logs the stream has
 * left behind, write the buffers out, note what must be synced (synced
 * here when j is NULL; else dups of the descriptors go into j), and
 * encode the commit record into rec.
 */
static int
commit_prepare(struct rta_writer *w, struct sync_job *j, struct rta_buf *rec,
    int *dir, struct rta_error *err)
{
	int64_t progress;
	size_t i;
	int rc, fd;

	if ((rc = writer_manifest(w, err)) != RTA_OK) {
		w->failed = 1;
		return rc;
	}
	progress = w->c.watermark > w->c.max_ts ? w->c.watermark :
	    w->c.max_ts;
	if (j != NULL)
		j->nfds = 0;
	for (i = 0; i < w->c.nlogs; i++) {
		struct wlog *l = &w->logs[i];
		char name[48];

		/* a bucket the stream has left behind, and no record came
		 * for it since the last commit (or the input has ended):
		 * no more appends */
		if (!(w->c.logs[i].flags & RTA_STORE_LOG_CLOSED) &&
		    (!l->appended || w->ending) && progress != INT64_MIN &&
		    l->bucket <= progress - w->c.width - w->o.close_after) {
			if ((rc = log_sync_close(w, l, err)) != RTA_OK)
				return rc;
			w->c.logs[i].flags |= RTA_STORE_LOG_CLOSED;
			continue;
		}
		l->appended = 0;
		if (l->fd < 0)
			continue;
		if ((rc = log_flush(w, l, err)) != RTA_OK)
			return rc;
		if (!l->dirty)
			continue;
		rta_store_log_name(name, sizeof(name), l->bucket, l->gen);
		if (j == NULL) {
			if (rta_io_datasync(l->fd) != 0)
				return werr(w, err, name);
		} else {
			if (j->nfds == j->fdcap) {
				size_t cap = j->fdcap ? j->fdcap * 2 : 8;
				int *v = rta_reallocarray(j->fds, cap,
				    sizeof(*v));

				if (v == NULL) {
					w->failed = 1;
					return rta_error_set(err, RTA_ENOMEM,
					    "nomem", "out of memory");
				}
				j->fds = v;
				j->fdcap = cap;
			}
			if ((fd = fcntl(l->fd, F_DUPFD_CLOEXEC, 0)) < 0)
				return werr(w, err, name);
			j->fds[j->nfds++] = fd;
		}
		l->dirty = 0;
	}
	*dir = w->dir_dirty;
	if (w->dir_dirty && j == NULL) {
		if ((rc = sync_dir(w->dfd, w->path, err)) != RTA_OK) {
			w->failed = 1;
			return rc;
		}
	}
	w->dir_dirty = 0;
	w->c.seq++;
	w->c.time = rta_now();
	rec->len = 0;
	if (rta_commit_encode(&w->c, rec) != 0) {
		w->failed = 1;
		w->c.seq--;
		if (errno == EMSGSIZE)
			return rta_error_set(err, RTA_ELIMIT, "commit-limit",
			    "%s: commit record over %u bytes (too many "
			    "sources?)", w->path, RTA_STORE_COMMIT_MAX);
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	}
	return RTA_OK;
}

/* The sync thread: each job's logs, directory, then commit record. */
static void *
sync_main(void *arg)
{
	struct sync_job *j = arg;
	struct rta_writer *w = j->w;
	const char *what;
	size_t i;
	int bad;

	pthread_mutex_lock(&j->mu);
	for (;;) {
		while (!j->busy && !j->quit)
			pthread_cond_wait(&j->cv, &j->mu);
		if (!j->busy)
			break;
		pthread_mutex_unlock(&j->mu);
		bad = 0;
		what = "a log";
		for (i = 0; i < j->nfds; i++) {
			if (!bad && rta_io_datasync(j->fds[i]) != 0)
				bad = errno;
			close(j->fds[i]);
		}
		if (!bad && j->dir && rta_io_fsync(w->dfd) != 0) {
			bad = errno;
			what = ".";
		}
		if (!bad && commit_append(w, j->rec.data, j->rec.len,
		    j->rewrite, &what) != 0)
			bad = errno;
		/* the acknowledgement, in commit order, before the next
		 * job can start */
		if (!bad && j->fn != NULL)
			j->fn(j->arg, j->seq, j->records, j->tag);
		pthread_mutex_lock(&j->mu);
		if (bad) {
			j->failed = 1;
			j->err_no = bad;
			snprintf(j->what, sizeof(j->what), "%s", what);
		}
		j->busy = 0;
		pthread_cond_broadcast(&j->cv);
	}
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

int
rta_writer_async(struct rta_writer *w, rta_durable_fn fn, void *arg,
    struct rta_error *err)
{
	struct sync_job *j;

	if (w->job != NULL)
		return RTA_OK;
	if ((j = rta_calloc(1, sizeof(*j))) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	j->fn = fn;
	j->arg = arg;
	j->w = w;
	if (pthread_mutex_init(&j->mu, NULL) != 0 ||
	    pthread_cond_init(&j->cv, NULL) != 0 ||
	    pthread_create(&j->thr, NULL, sync_main, j) != 0) {
		rta_free(j);
		return rta_error_set(err, RTA_ENOMEM, "nomem", "cannot start "
		    "the sync thread");
	}
	w->job = j;
	return RTA_OK;
}

int
rta_writer_wait(struct rta_writer *w, struct rta_error *err)
{
	struct sync_job *j = w->job;
	int failed, e;

	if (j == NULL)
		return RTA_OK;
	pthread_mutex_lock(&j->mu);
	while (j->busy)
		pthread_cond_wait(&j->cv, &j->mu);
	failed = j->failed;
	e = j->err_no;
	pthread_mutex_unlock(&j->mu);
	if (failed) {
		w->failed = 1;
		return rta_error_set(err, RTA_EIO, "store-io", "%s/%s: %s",
		    w->path, j->what, strerror(e));
	}
	return RTA_OK;
}

int
rta_writer_commit_async(struct rta_writer *w, uint64_t tag,
    struct rta_error *err)
{
	struct sync_job *j = w->job;
	int rc, dir;

	if (j == NULL)
		return rta_writer_commit(w, NULL, err);
	if ((rc = rta_writer_wait(w, err)) != RTA_OK)
		return rc;
	if (w->failed)
		return rta_error_set(err, RTA_EIO, "store-io", "%s: the writer "
		    "failed earlier", w->path);
	if (w->c.kind == RTA_DS_EMPTY) {
		w->pending = 0;
		return RTA_OK;
	}
	if ((rc = commit_prepare(w, j, &j->rec, &dir, err)) != RTA_OK)
		return rc;
	j->dir = dir;
	j->rewrite = w->rewrite;
	w->rewrite = 0;
	j->seq = w->c.seq;
	j->records = w->c.records;
	j->tag = tag;
	w->pending = 0;
	pthread_mutex_lock(&j->mu);
	j->busy = 1;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
	return RTA_OK;
}

int
rta_writer_commit(struct rta_writer *w, const struct rta_commit **cp,
    struct rta_error *err)
{
	const char *what;
	int rc, dir;

	if (cp != NULL)
		*cp = NULL;
	if ((rc = rta_writer_wait(w, err)) != RTA_OK)
		return rc;
	if (w->failed)
		return rta_error_set(err, RTA_EIO, "store-io", "%s: the writer "
		    "failed earlier", w->path);
	if (w->c.kind == RTA_DS_EMPTY) {
		/* nothing stored yet: nothing to commit but positions,
		 * which need a kind; they are committed with the first
		 * record */
		w->pending = 0;
		return RTA_OK;
	}
	if ((rc = commit_prepare(w, NULL, &w->cbuf, &dir, err)) != RTA_OK)
		return rc;
	if (commit_append(w, w->cbuf.data, w->cbuf.len, w->rewrite,
	    &what) != 0)
		return werr(w, err, what);
	w->rewrite = 0;
	w->pending = 0;
	if (cp != NULL)
		*cp = &w->c;
	return RTA_OK;
}

void
rta_writer_close(struct rta_writer *w)
{
	size_t i;

	if (w == NULL)
		return;
	if (w->job != NULL) {
		struct sync_job *j = w->job;

		pthread_mutex_lock(&j->mu);
		while (j->busy)
			pthread_cond_wait(&j->cv, &j->mu);
		j->quit = 1;
		pthread_cond_broadcast(&j->cv);
		pthread_mutex_unlock(&j->mu);
		pthread_join(j->thr, NULL);
		pthread_mutex_destroy(&j->mu);
		pthread_cond_destroy(&j->cv);
		rta_free(j->fds);
		rta_buf_release(&j->rec);
		rta_free(j);
		w->job = NULL;
	}
	for (i = 0; w->logs != NULL && i < w->c.nlogs; i++) {
		if (w->logs[i].fd >= 0) {
			release_reserve(&w->logs[i]);
			close(w->logs[i].fd);
		}
		rta_buf_release(&w->logs[i].buf);
	}
	rta_free(w->logs);
	if (w->keys_on)
		rta_keyset_release(&w->ks);
	rta_commit_release(&w->c);
	rta_buf_release(&w->cbuf);
	rta_buf_release(&w->frame);
	manifest_release(&w->man);
	if (w->cfd >= 0)
		close(w->cfd);
	if (w->lockfd >= 0)
		close(w->lockfd);
	if (w->dfd >= 0)
		close(w->dfd);
	rta_free(w);
}

/* ---- checking ----------------------------------------------------------- */

struct fsck_walk {
	uint64_t	 records;
	int64_t		 min_ts, max_ts;
	size_t		 good;		/* end of the last good frame */
	size_t		 bad;		/* offset of damage, or SIZE_MAX */
	char		 what[160];
};

/* Walk a mapped log decoding every frame in full; stop at damage. */
static void
fsck_bytes(const struct map *m, enum rta_ds_kind kind, int stream,
    struct fsck_walk *fw)
{
	struct rta_frame_hint h;
	struct rta_record rec;
	struct rta_error e;
	size_t off = 0, size;
	int is_header;

	fw->records = 0;
	fw->min_ts = INT64_MAX;
	fw->max_ts = INT64_MIN;
	fw->good = 0;
	fw->bad = SIZE_MAX;
	if (stream && (m->len < RTA_STREAM_HEADER_LEN ||
	    !rta_frame_is_magic(m->p, 8))) {
		fw->bad = 0;
		snprintf(fw->what, sizeof(fw->what), "not an rta stream");
		return;
	}
	while (off < m->len) {
		if (rta_frame_probe(m->p + off, m->len - off, RTA_FRAME_MAX,
		    &is_header, &size, &e) != RTA_OK) {
			snprintf(fw->what, sizeof(fw->what), "%s", e.text);
			break;
		}
		if (size > m->len - off) {
			snprintf(fw->what, sizeof(fw->what), "frame of %zu "
			    "bytes cut by the committed length", size);
			break;
		}
		if (!is_header) {
			if (frame_ids(m->p + off, size, &h) != 0 ||
			    h.type != (kind == RTA_DS_EVENTS ?
			    RTA_FRAME_EVENT : RTA_FRAME_AGGREGATE)) {
				snprintf(fw->what, sizeof(fw->what), "not a "
				    "record of the dataset's kind");
				break;
			}
			if (rta_frame_decode(m->p + off, size,
			    RTA_VALUE_MAX_DEPTH, RTA_VALUE_MAX_MEMBERS, &rec,
			    &e) != RTA_OK) {
				snprintf(fw->what, sizeof(fw->what), "%s",
				    e.text);
				break;
			}
			if (!rta_tenant_valid(rec.ev.tenant,
			    rec.ev.tenant_len)) {
				snprintf(fw->what, sizeof(fw->what), "a tenant "
				    "id the store does not take");
				break;
			}
			fw->records++;
			if (rec.ev.ts < fw->min_ts)
				fw->min_ts = rec.ev.ts;
			if (rec.ev.ts > fw->max_ts)
				fw->max_ts = rec.ev.ts;
		}
		off += size;
		fw->good = off;
	}
	if (off < m->len)
		fw->bad = off;
}

static void
fsck_say(rta_fsck_fn fn, void *arg, const char *fmt, ...)
    RTA_PRINTFLIKE(3, 4);

static void
fsck_say(rta_fsck_fn fn, void *arg, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fn(arg, line);
}

/*
 * Check segment entry me of the dataset at dfd: index, every block's
 * checksum and every frame in full.  0 if it is sound (*records, *bytes
 * set), 1 if damaged (what says why), or -1 with err (I/O).
 */
static int
fsck_segment(int dfd, const char *dspath, enum rta_ds_kind kind,
    const struct rta_man_entry *me, uint64_t *records, uint64_t *bytes,
    char *what, size_t wsize, struct rta_error *err)
{
	struct rta_seg seg;
	struct rta_error e2;
	struct fsck_walk fw;
	struct map m, blk;
	struct rta_buf made = RTA_BUF_INIT;
	const unsigned char *cbody = NULL;
	size_t clen = 0;
	char name[48];
	uint32_t j;
	int rc, bad = 0;

	*records = *bytes = 0;
	rta_store_seg_name(name, sizeof(name), me->bucket, me->gen);
	memset(&blk, 0, sizeof(blk));
	rc = map_file(dfd, dspath, name, 0, &m, err);
	if (rc == RTA_EOF || rc == RTA_EDATA) {
		snprintf(what, wsize, "%s/%s: missing", dspath, name);
		return 1;
	}
	if (rc != RTA_OK)
		return -1;
	if (rta_seg_open(m.p, m.len, &seg, &e2) != RTA_OK ||
	    rta_seg_check(&seg, &e2) != RTA_OK) {
		snprintf(what, wsize, "%s/%s: %s", dspath, name, e2.text);
		bad = 1;
	}
	for (j = 0; !bad && j < seg.nblocks; j++) {
		struct rta_seg_entry e;

		(void)rta_seg_entry(&seg, j, &e);	/* checked above */
		if ((rc = rta_seg_block(&seg, j, &blk.buf, &e2)) != RTA_OK) {
			if (rc == RTA_ENOMEM) {
				unmap_log(&m);
				rta_buf_release(&blk.buf);
				rta_error_set(err, RTA_ENOMEM, "nomem",
				    "out of memory");
				return -1;
			}
			snprintf(what, wsize, "%s/%s: %s", dspath, name,
			    e2.text);
			bad = 1;
			break;
		}
		blk.p = blk.buf.data;
		blk.len = blk.buf.len;
		fsck_bytes(&blk, kind, 0, &fw);
		if (fw.bad != SIZE_MAX || fw.records != e.count) {
			snprintf(what, wsize, "%s/%s: block at offset %llu: %s",
			    dspath, name, (unsigned long long)e.off,
			    fw.bad != SIZE_MAX ? fw.what : "record count "
			    "differs from the index");
			bad = 1;
			break;
		}
		*records += fw.records;
		/* the columns are the records' again, made as compaction
		 * makes them */
		if (e.cols == 0)
			continue;
		e2.text[0] = '\0';
		if ((rc = rta_seg_cols(&seg, j, &cbody, &clen, &e2)) ==
		    RTA_OK) {
			int built = rta_cols_build(blk.buf.data, blk.buf.len,
			    e.count, &made);

			if (built < 0)
				rc = RTA_ENOMEM;
			else if (built == 0 || made.len != clen ||
			    memcmp(made.data, cbody, clen) != 0)
				rc = RTA_EDATA;	/* e2 says nothing: they differ */
		}
		if (rc == RTA_ENOMEM) {
			unmap_log(&m);
			rta_buf_release(&blk.buf);
			rta_buf_release(&made);
			rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
			return -1;
		}
		if (rc != RTA_OK) {
			snprintf(what, wsize, "%s/%s: block at offset %llu: %s",
			    dspath, name, (unsigned long long)e.off,
			    e2.text[0] != '\0' ? e2.text :
			    "columns differ from the records");
			bad = 1;
			break;
		}
	}
	*bytes = m.len;
	unmap_log(&m);
	rta_buf_release(&blk.buf);
	rta_buf_release(&made);
	return bad;
}

/* Copy p[0..len) to quarantine/name (made 0700/0600). */
static int
quarantine(int dfd, const char *dspath, const char *name,
    const unsigned char *p, size_t len, struct rta_error *err)
{
	int qfd, fd;

	if (mkdirat(dfd, "quarantine", 0700) != 0 && errno != EEXIST)
		return rta_error_set(err, RTA_EIO, "store-io", "%s/quarantine: "
		    "%s", dspath, strerror(errno));
	if ((qfd = open_dir(dfd, "quarantine", err)) < 0)
		return err != NULL ? err->code : RTA_EIO;
	fd = openat(qfd, name, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0 || fchmod(fd, 0600) != 0 || rta_io_write(fd, p, len) != 0 ||
	    rta_io_datasync(fd) != 0 || rta_io_fsync(qfd) != 0 ||
	    rta_io_fsync(dfd) != 0) {
		int rc = rta_error_set(err, RTA_EIO, "store-io", "%s/"
		    "quarantine/%s: %s", dspath, name, strerror(errno));

		if (fd >= 0)
			close(fd);
		close(qfd);
		return rc;
	}
	close(fd);
	close(qfd);
	return RTA_OK;
}

/* Map a log's first len bytes (len may be below the committed length). */
static int
map_prefix(int dfd, const char *dspath, const struct rta_store_log *l,
    uint64_t len, struct map *m, struct rta_error *err)
{
	struct rta_store_log t = *l;

	t.len = len;
	if (len == 0) {
		rta_store_log_name(m->name, sizeof(m->name), l->bucket,
		    l->gen);
		m->p = NULL;
		m->len = 0;
		return RTA_OK;
	}
	return map_log(dfd, dspath, &t, m, err);
}

/*
 * Replace log name by a new file holding p[0..len): readers that have
 * the old one mapped keep reading it whole, never a file cut under them.
 */
static int
replace_prefix(struct rta_writer *w, const char *name,
    const unsigned char *p, size_t len, struct rta_error *err)
{
	char tmp[64];
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", name);
	fd = openat(w->dfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0 || fchmod(fd, 0600) != 0 || rta_io_write(fd, p, len) != 0 ||
	    rta_io_datasync(fd) != 0 || rta_io_rename(w->dfd, tmp, name) != 0) {
		int rc = werr(w, err, name);

		if (fd >= 0)
			close(fd);
		(void)unlinkat(w->dfd, tmp, 0);
		return rc;
	}
	close(fd);
	return sync_dir(w->dfd, w->path, err);
}

static int	maint_lock(int, const char *, struct rta_error *);

/*
 * Check the writer's dataset's segments; move a damaged one to
 * quarantine/ and retire its bucket in the manifest (under compact.lock).
 */
static int
fsck_repair_segments(struct rta_writer *w, rta_fsck_fn fn, void *arg,
    struct rta_fsck *r, struct rta_error *err)
{
	struct rta_manifest nm;
	char what[PATH_MAX + 512], name[48], qpath[80];
	uint64_t nrec, nbytes;
	size_t i;
	int lockfd, rc = RTA_OK, bad, changed = 0, qfd;

	if (w->man.n == 0)
		return RTA_OK;
	if ((lockfd = maint_lock(w->dfd, w->path, err)) < 0)
		return RTA_EIO;
	memset(&nm, 0, sizeof(nm));
	/* the manifest as it is now that no compaction runs */
	if ((rc = read_manifest(w->dfd, w->path, &w->man, err)) != RTA_OK)
		goto out;
	for (i = 0; i < w->man.n; i++) {
		struct rta_man_entry e = w->man.v[i];

		if (e.kind == RTA_MAN_SEGMENT) {
			r->segments++;
			bad = fsck_segment(w->dfd, w->path, w->c.kind, &e,
			    &nrec, &nbytes, what, sizeof(what), err);
			if (bad < 0) {
				rc = err->code;
				goto out;
			}
			if (bad == 0) {
				r->records += nrec;
				r->bytes += nbytes;
			} else {
				rta_store_seg_name(name, sizeof(name),
				    e.bucket, e.gen);
				snprintf(qpath, sizeof(qpath), "quarantine/%s",
				    name);
				if ((mkdirat(w->dfd, "quarantine", 0700) != 0 &&
				    errno != EEXIST) ||
				    (qfd = open_dir(w->dfd, "quarantine",
				    err)) < 0 ||
				    (close(qfd), rta_io_rename(w->dfd, name,
				    qpath) != 0 && errno != ENOENT)) {
					rc = werr(w, err, name);
					goto out;
				}
				fsck_say(fn, arg, "%s: its bucket retired, the "
				    "segment moved to %s", what, qpath);
				e.kind = RTA_MAN_RETIRED;
				r->damaged++;
				r->repaired++;
				changed = 1;
			}
		}
		if (manifest_set(&nm, &e) != 0) {
			rc = rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
			goto out;
		}
	}
	if (changed)
		rc = write_manifest(w->dfd, w->path, &nm, err);
out:
	manifest_release(&nm);
	close(lockfd);
	return rc;
}

static int
fsck_repair(struct rta_store *s, const char *name, rta_fsck_fn fn,
    void *arg, struct rta_fsck *r, struct rta_error *err)
{
	struct rta_writer_opts o;
	struct rta_recovery rec;
	struct rta_writer *w;
	struct fsck_walk fw;
	struct stat sb;
	struct map m;
	uint64_t records = 0, size;
	int64_t min_ts = INT64_MAX, max_ts = INT64_MIN;
	size_t i, k;
	int rc, changed = 0;

	rta_writer_opts_init(&o);
	o.repair = 1;
	if ((rc = rta_writer_open(s, name, &o, &w, &rec, err)) != RTA_OK)
		return rc;
	if (rec.commit_damage != SIZE_MAX) {
		struct map cm;
		char qname[64];

		snprintf(qname, sizeof(qname), "commits.at-%zu",
		    rec.commit_damage);
		if ((rc = map_file(w->dfd, w->path, "commits", 0, &cm,
		    err)) != RTA_OK)
			goto out;
		rc = quarantine(w->dfd, w->path, qname, cm.p, cm.len, err);
		unmap_log(&cm);
		if (rc != RTA_OK)
			goto out;
		fsck_say(fn, arg, "%s/commits: offset %zu: damaged bytes "
		    "before the last valid commit: the file rewritten with "
		    "that commit, the old one kept as quarantine/%s", w->path,
		    rec.commit_damage, qname);
		r->damaged++;
		r->repaired++;
		w->rewrite = 1;
		changed = 1;
	}
	if (rec.commit_bytes > 0 || rec.log_bytes > 0 || rec.logs_removed > 0)
		fsck_say(fn, arg, "%s: cut %llu uncommitted bytes from the "
		    "commit file and %llu from the logs, removed %llu "
		    "uncommitted logs", w->path,
		    (unsigned long long)rec.commit_bytes,
		    (unsigned long long)rec.log_bytes,
		    (unsigned long long)rec.logs_removed);
	for (i = 0, k = 0; i < w->c.nlogs; i++) {
		struct rta_store_log *l = &w->c.logs[i];

		rta_store_log_name(m.name, sizeof(m.name), l->bucket, l->gen);
		r->logs++;
		if (fstatat(w->dfd, m.name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
			fsck_say(fn, arg, "%s/%s: committed but missing: "
			    "dropped from the dataset", w->path, m.name);
			r->damaged++;
			r->repaired++;
			changed = 1;
			continue;
		}
		size = (uint64_t)sb.st_size < l->len ? (uint64_t)sb.st_size :
		    l->len;
		if ((rc = map_prefix(w->dfd, w->path, l, size, &m, err)) !=
		    RTA_OK)
			goto out;
		fsck_bytes(&m, w->c.kind, 1, &fw);
		if (fw.bad != SIZE_MAX || size < l->len) {
			char qname[80];
			uint64_t cut = fw.bad != SIZE_MAX ? fw.bad : size;

			if (fw.bad == SIZE_MAX)
				snprintf(fw.what, sizeof(fw.what), "%llu bytes, "
				    "shorter than its committed %llu",
				    (unsigned long long)size,
				    (unsigned long long)l->len);
			snprintf(qname, sizeof(qname), "%s.at-%llu", m.name,
			    (unsigned long long)cut);
			rc = quarantine(w->dfd, w->path, qname, m.p + cut,
			    (size_t)(size - cut), err);
			if (rc == RTA_OK && cut >= RTA_STREAM_HEADER_LEN)
				rc = replace_prefix(w, m.name, m.p, (size_t)cut,
				    err);
			unmap_log(&m);
			if (rc != RTA_OK)
				goto out;
			fsck_say(fn, arg, "%s/%s: offset %llu: %s: the rest "
			    "(%llu bytes) moved to quarantine/%s", w->path,
			    m.name, (unsigned long long)cut, fw.what,
			    (unsigned long long)(size - cut), qname);
			r->damaged++;
			r->repaired++;
			changed = 1;
			if (cut < RTA_STREAM_HEADER_LEN) {
				/* nothing left: drop the log */
				(void)rta_io_unlink(w->dfd, m.name, 0);
				continue;
			}
			l->len = cut;
		} else
			unmap_log(&m);
		records += fw.records;
		if (fw.min_ts < min_ts)
			min_ts = fw.min_ts;
		if (fw.max_ts > max_ts)
			max_ts = fw.max_ts;
		r->records += fw.records;
		r->bytes += l->len;
		w->c.logs[k] = *l;
		w->logs[k] = w->logs[i];
		w->logs[k].len = w->logs[k].flushed = w->logs[k].reserved =
		    l->len;
		k++;
	}
	w->c.nlogs = k;
	if ((rc = fsck_repair_segments(w, fn, arg, r, err)) != RTA_OK)
		goto out;
	/* (with segments, the commit's count is of records written, which
	 * compaction does not change) */
	if (changed || (w->man.n == 0 && records != w->c.records)) {
		if (w->man.n == 0) {
			w->c.records = records;
			w->c.min_ts = min_ts;
			w->c.max_ts = max_ts;
		}
		w->pending = 1;
		if ((rc = rta_writer_commit(w, NULL, err)) != RTA_OK)
			goto out;
	}
	rc = RTA_OK;
out:
	rta_writer_close(w);
	return rc;
}

int
rta_dataset_fsck(struct rta_store *s, const char *name, int repair,
    rta_fsck_fn fn, void *arg, struct rta_fsck *r, struct rta_error *err)
{
	struct rta_dataset ds;
	struct rta_commit c;
	struct fsck_walk fw;
	struct dirent *de;
	struct stat sb;
	struct map m;
	char path[PATH_MAX];
	uint64_t size, records = 0;
	size_t valid, damaged, i;
	int64_t bucket;
	uint32_t gen;
	DIR *d;
	int rc, fd, li;

	memset(r, 0, sizeof(*r));
	if (repair)
		return fsck_repair(s, name, fn, arg, r, err);
	if ((rc = rta_dataset_open(s, name, &ds, err)) != RTA_OK)
		return rc;
	rta_commit_init(&c);
	if ((rc = read_commits(ds.fd, name, &c, NULL, &size, &valid, &damaged,
	    err)) != RTA_OK)
		goto out;
	rta_commit_release(&c);
	if (damaged != SIZE_MAX) {
		fsck_say(fn, arg, "%s/%s/commits: offset %zu: damaged bytes "
		    "before the last valid commit (superseded by it)",
		    s->path, name, damaged);
		r->damaged++;
	}
	if (size > valid) {
		fsck_say(fn, arg, "%s/%s/commits: %llu bytes after the last "
		    "valid commit (uncommitted: the next writer cuts them)",
		    s->path, name, (unsigned long long)(size - valid));
		r->pending++;
	}
	snprintf(path, sizeof(path), "%s/%s", s->path, name);
	for (i = 0; i < ds.man.n; i++) {
		uint64_t nrec, nbytes;
		char what[PATH_MAX + 512];
		int bad;

		if (ds.man.v[i].kind != RTA_MAN_SEGMENT)
			continue;
		r->segments++;
		bad = fsck_segment(ds.fd, path, ds.c.kind, &ds.man.v[i], &nrec,
		    &nbytes, what, sizeof(what), err);
		if (bad < 0) {
			rc = err->code;
			goto out;
		}
		if (bad) {
			fsck_say(fn, arg, "%s", what);
			r->damaged++;
			continue;
		}
		r->records += nrec;
		r->bytes += nbytes;
	}
	for (i = 0; i < ds.c.nlogs; i++) {
		const struct rta_store_log *l = &ds.c.logs[i];

		if (covered(&ds.man, l->bucket, l->gen))
			continue;
		r->logs++;
		rc = map_log(ds.fd, path, l, &m, err);
		if (rc == RTA_EDATA || rc == RTA_EOF) {
			fsck_say(fn, arg, "%s", err->text);
			r->damaged++;
			continue;
		}
		if (rc != RTA_OK)
			goto out;
		fsck_bytes(&m, ds.c.kind, 1, &fw);
		unmap_log(&m);
		if (fw.bad != SIZE_MAX) {
			fsck_say(fn, arg, "%s/%s: offset %zu: %s", path, m.name,
			    fw.bad, fw.what);
			r->damaged++;
		}
		records += fw.records;
		r->records += fw.records;
		r->bytes += l->len;
	}
	if (ds.man.n == 0 && records != ds.c.records && r->damaged == 0) {
		fsck_say(fn, arg, "%s/%s: the commit counts %llu records, the "
		    "logs hold %llu", s->path, name,
		    (unsigned long long)ds.c.records,
		    (unsigned long long)records);
		r->damaged++;
	}
	/* files a writer would cut or remove */
	if ((fd = dup(ds.fd)) < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		rc = rta_error_errno(err, name);
		goto out;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		if (parse_log_name(de->d_name, &bucket, &gen) != 0)
			continue;
		if (fstatat(ds.fd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (!S_ISREG(sb.st_mode)) {
			fsck_say(fn, arg, "%s/%s/%s: not a regular file",
			    s->path, name, de->d_name);
			r->damaged++;
		} else if (covered(&ds.man, bucket, gen)) {
			fsck_say(fn, arg, "%s/%s/%s: compacted or retired (the "
			    "next compact removes it)", s->path, name,
			    de->d_name);
			r->pending++;
		} else if ((li = log_index(&ds.c, bucket, gen)) < 0) {
			fsck_say(fn, arg, "%s/%s/%s: uncommitted log (the next "
			    "writer removes it)", s->path, name, de->d_name);
			r->pending++;
		} else if ((uint64_t)sb.st_size > ds.c.logs[li].len) {
			fsck_say(fn, arg, "%s/%s/%s: %llu uncommitted bytes "
			    "(the next writer cuts them)", s->path, name,
			    de->d_name, (unsigned long long)((uint64_t)
			    sb.st_size - ds.c.logs[li].len));
			r->pending++;
		}
	}
	closedir(d);
	rc = RTA_OK;
out:
	rta_dataset_close(&ds);
	return rc;
}

/* ---- tenants ------------------------------------------------------------ */

struct tenant_set {
	char		**v;		/* hash table of names */
	size_t		 mask, n;
	int		 nomem;
};

static int
tenant_add(void *arg, size_t off, size_t size, const struct rta_frame_hint *h)
{
	struct tenant_set *t = arg;
	uint64_t hv;
	size_t i;

	(void)off;
	(void)size;
	if (t->n * 2 >= t->mask) {
		size_t nmask = t->mask ? t->mask * 2 + 1 : 255, j;
		char **nv = rta_calloc(nmask + 1, sizeof(*nv));

		if (nv == NULL)
			return RTA_ENOMEM;
		for (j = 0; t->v != NULL && j <= t->mask; j++) {
			if (t->v[j] == NULL)
				continue;
			i = rta_hash64(t->v[j], strlen(t->v[j]), 0) & nmask;
			while (nv[i] != NULL)
				i = (i + 1) & nmask;
			nv[i] = t->v[j];
		}
		rta_free(t->v);
		t->v = nv;
		t->mask = nmask;
	}
	hv = rta_hash64(h->tenant, h->tenant_len, 0);
	for (i = hv & t->mask; t->v[i] != NULL; i = (i + 1) & t->mask)
		if (strlen(t->v[i]) == h->tenant_len &&
		    memcmp(t->v[i], h->tenant, h->tenant_len) == 0)
			return RTA_OK;
	if ((t->v[i] = rta_malloc((size_t)h->tenant_len + 1)) == NULL)
		return RTA_ENOMEM;
	memcpy(t->v[i], h->tenant, h->tenant_len);
	t->v[i][h->tenant_len] = '\0';
	t->n++;
	return RTA_OK;
}

int
rta_dataset_tenants(struct rta_dataset *ds, char ***names, size_t *n,
    struct rta_error *err)
{
	struct tenant_set t;
	char path[PATH_MAX];
	struct map m;
	size_t i, k;
	int rc = RTA_OK;

	*names = NULL;
	*n = 0;
	memset(&t, 0, sizeof(t));
	snprintf(path, sizeof(path), "%s/%s", ds->store != NULL ?
	    ds->store->path : ".", ds->name);
	for (i = 0; i < ds->man.n && rc == RTA_OK; i++) {
		const struct rta_man_entry *me = &ds->man.v[i];
		struct rta_frame_hint h;
		struct rta_seg_entry e;
		struct rta_seg seg;
		struct rta_error e2;
		char name[48];
		uint32_t j;

		if (me->kind != RTA_MAN_SEGMENT)
			continue;
		rta_store_seg_name(name, sizeof(name), me->bucket, me->gen);
		if ((rc = map_file(ds->fd, path, name, 0, &m, err)) != RTA_OK) {
			if (rc == RTA_EOF)
				rc = RTA_EDATA;
			break;
		}
		if (rta_seg_open(m.p, m.len, &seg, &e2) != RTA_OK)
			rc = rta_error_set(err, RTA_EDATA, "damaged", "%s/%s: "
			    "%s", path, name, e2.text);
		memset(&h, 0, sizeof(h));
		for (j = 0; rc == RTA_OK && j < seg.nblocks; j++) {
			if (rta_seg_entry(&seg, j, &e) != 0) {
				rc = rta_error_set(err, RTA_EDATA, "damaged",
				    "%s/%s: index entry %u out of bounds",
				    path, name, j);
				break;
			}
			h.tenant = e.tenant;
			h.tenant_len = e.tlen;
			if ((rc = tenant_add(&t, 0, 0, &h)) != RTA_OK)
				rta_error_set(err, RTA_ENOMEM, "nomem",
				    "out of memory");
		}
		unmap_log(&m);
	}
	for (i = 0; i < ds->c.nlogs && rc == RTA_OK; i++) {
		if (covered(&ds->man, ds->c.logs[i].bucket,
		    ds->c.logs[i].gen))
			continue;
		if ((rc = map_log(ds->fd, path, &ds->c.logs[i], &m, err)) !=
		    RTA_OK) {
			if (rc == RTA_EOF)
				rc = RTA_EDATA;
			break;
		}
		rc = walk_log(&m, path, 0, tenant_add, &t, err);
		unmap_log(&m);
		if (rc == RTA_ENOMEM)
			rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
	}
	for (i = 0, k = 0; t.v != NULL && i <= t.mask; i++)
		if (t.v[i] != NULL)
			t.v[k++] = t.v[i];
	if (rc != RTA_OK) {
		rta_store_names_free(t.v, k);
		return rc;
	}
	if (k > 1)
		qsort(t.v, k, sizeof(*t.v), cmp_names);
	*names = t.v;
	*n = k;
	return RTA_OK;
}

/* ---- maintenance -------------------------------------------------------- */

static void
note(rta_note_fn fn, void *arg, const char *fmt, ...) RTA_PRINTFLIKE(3, 4);

static void
note(rta_note_fn fn, void *arg, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (fn == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fn(arg, line);
}

/* Take the dataset's maintenance lock: a descriptor, or -1. */
static int
maint_lock(int dfd, const char *path, struct rta_error *err)
{
	int fd;

	fd = openat(dfd, "compact.lock", O_RDWR | O_CREAT | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0) {
		rta_error_set(err, RTA_EIO, "store-io", "%s/compact.lock: %s",
		    path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		rta_error_set(err, RTA_EIO, "store-busy", "%s: another "
		    "compact or retain is running on this dataset", path);
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * Remove what the manifest covers or no longer names: covered logs,
 * segments other than the current ones, temporary files.  Files the
 * writer still names are never touched.
 */
static int
maint_sweep(struct rta_dataset *ds, const char *path, struct rta_maint *r,
    struct rta_error *err)
{
	const struct rta_man_entry *me;
	struct dirent *de;
	int64_t bucket;
	uint32_t gen;
	size_t n;
	DIR *d;
	int fd, removed = 0, rm;

	if ((fd = dup(ds->fd)) < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return rta_error_errno(err, path);
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		rm = 0;
		if (strcmp(de->d_name, "segments.tmp") == 0 ||
		    (n > 8 && strcmp(de->d_name + n - 8, ".seg.tmp") == 0))
			rm = 1;
		else if (n > 4 && strcmp(de->d_name + n - 4, ".seg") == 0) {
			char t[48];

			snprintf(t, sizeof(t), "%.*s.log", (int)(n - 4),
			    de->d_name);
			if (parse_log_name(t, &bucket, &gen) == 0) {
				me = rta_manifest_find(&ds->man, bucket);
				rm = me == NULL || me->gen != gen ||
				    me->kind != RTA_MAN_SEGMENT;
			}
		} else if (parse_log_name(de->d_name, &bucket, &gen) == 0)
			rm = covered(&ds->man, bucket, gen);
		if (!rm)
			continue;
		if (rta_io_unlink(ds->fd, de->d_name, 0) != 0 &&
		    errno != ENOENT) {
			closedir(d);
			return rta_error_set(err, RTA_EIO, "store-io", "%s/%s: "
			    "%s", path, de->d_name, strerror(errno));
		}
		r->files_removed++;
		removed = 1;
	}
	closedir(d);
	return removed ? sync_dir(ds->fd, path, err) : RTA_OK;
}

/* Open a dataset for maintenance: lock, state. */
static int
maint_open(struct rta_store *s, const char *name, struct rta_dataset *ds,
    int *lockfd, char *path, size_t psize, struct rta_error *err)
{
	int rc;

	*lockfd = -1;
	if ((rc = rta_dataset_open(s, name, ds, err)) != RTA_OK)
		return rc;
	snprintf(path, psize, "%s/%s", s->path, name);
	if ((*lockfd = maint_lock(ds->fd, path, err)) < 0) {
		rta_dataset_close(ds);
		return RTA_EIO;
	}
	/* the state again, now that no other maintenance runs */
	if ((rc = dataset_load(ds, path, err)) != RTA_OK) {
		close(*lockfd);
		rta_dataset_close(ds);
	}
	return rc;
}

/*
 * Publish a maintenance run: replace the manifest by nm (taken over)
 * when changed, then remove what the manifest covers or no longer
 * names.
 */
static int
maint_publish(struct rta_dataset *ds, const char *path,
    struct rta_manifest *nm, int changed, struct rta_maint *r,
    struct rta_error *err)
{
	int rc;

	if (changed) {
		if ((rc = write_manifest(ds->fd, path, nm, err)) != RTA_OK)
			return rc;
		manifest_release(&ds->man);
		ds->man = *nm;
		memset(nm, 0, sizeof(*nm));
	}
	return maint_sweep(ds, path, r, err);
}

/* Merge bucket b (segment and closed logs up to gen) into a new segment. */
static int
compact_bucket(struct rta_dataset *ds, const char *path, int64_t b,
    uint32_t gen, int level, struct rta_man_entry *out, struct rta_maint *r,
    struct rta_error *err)
{
	struct rta_record rec;
	struct rta_scan *sc;
	struct rta_segw *sw = NULL;
	char name[48], tmp[64];
	uint64_t size, records, raw;
	int fd, rc;

	rta_store_seg_name(name, sizeof(name), b, gen);
	snprintf(tmp, sizeof(tmp), "%s.tmp", name);
	fd = openat(ds->fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0 || fchmod(fd, 0600) != 0) {
		rc = rta_error_set(err, RTA_EIO, "store-io", "%s/%s: %s", path,
		    tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	if ((rc = rta_segw_new(fd, level, &sw, err)) != RTA_OK)
		goto fail;
	if (ds->c.kind == RTA_DS_AGGREGATES)
		rta_segw_columns(sw);
	if ((rc = rta_scan_open(ds, NULL, 0, b, b + ds->c.width, &sc,
	    err)) != RTA_OK)
		goto fail;
	while ((rc = rta_scan_next(sc, &rec, err)) == RTA_OK) {
		if ((rc = rta_segw_add(sw, rec.ev.tenant, rec.ev.tenant_len,
		    rec.ev.ts, rec.ev.frame, rec.ev.frame_len, err)) != RTA_OK)
			break;
	}
	r->records_in += rta_scan_superseded(sc);
	rta_scan_close(sc);
	if (rc != RTA_EOF)
		goto fail;
	if ((rc = rta_segw_finish(sw, &size, &raw, &records, err)) != RTA_OK)
		goto fail;
	rta_segw_free(sw);
	sw = NULL;
	if (close(fd) != 0 || rta_io_rename(ds->fd, tmp, name) != 0) {
		fd = -1;
		rc = rta_error_set(err, RTA_EIO, "store-io", "%s/%s: %s", path,
		    name, strerror(errno));
		goto fail;
	}
	fd = -1;
	if ((rc = sync_dir(ds->fd, path, err)) != RTA_OK)
		goto fail;
	memset(out, 0, sizeof(*out));
	out->bucket = b;
	out->gen = gen;
	out->kind = RTA_MAN_SEGMENT;
	out->records = records;
	out->bytes = size;
	out->raw = raw;
	r->records_in += records;
	r->records_out += records;
	r->bytes_out += size;
	return RTA_OK;
fail:
	rta_segw_free(sw);
	if (fd >= 0)
		close(fd);
	(void)unlinkat(ds->fd, tmp, 0);
	return rc;
}

int
rta_dataset_compact(struct rta_store *s, const char *name, int level,
    rta_note_fn fn, void *arg, struct rta_maint *r, struct rta_error *err)
{
	struct rta_dataset ds;
	struct rta_manifest nm;
	struct rta_man_entry ne;
	const struct rta_man_entry *me;
	char path[PATH_MAX], sname[48];
	size_t i, j;
	int lockfd, rc, open_log, any;
	uint32_t gen;
	uint64_t before;
	int64_t b;

	memset(r, 0, sizeof(*r));
	memset(&nm, 0, sizeof(nm));
	if ((rc = maint_open(s, name, &ds, &lockfd, path, sizeof(path),
	    err)) != RTA_OK)
		return rc;
	if ((rc = maint_sweep(&ds, path, r, err)) != RTA_OK)
		goto out;
	for (i = 0; i < ds.man.n; i++)
		if (manifest_set(&nm, &ds.man.v[i]) != 0)
			goto nomem;
	for (i = 0; i < ds.c.nlogs; i = j) {
		b = ds.c.logs[i].bucket;
		open_log = any = 0;
		gen = 0;
		before = 0;
		for (j = i; j < ds.c.nlogs && ds.c.logs[j].bucket == b; j++) {
			if (covered(&ds.man, b, ds.c.logs[j].gen))
				continue;
			any = 1;
			if (!(ds.c.logs[j].flags & RTA_STORE_LOG_CLOSED))
				open_log = 1;
			gen = ds.c.logs[j].gen;
			before += ds.c.logs[j].len;
		}
		if (!any)
			continue;
		if (open_log) {
			r->open_skipped++;
			continue;
		}
		me = rta_manifest_find(&ds.man, b);
		if (me != NULL && me->kind == RTA_MAN_SEGMENT)
			before += me->bytes;
		if ((rc = compact_bucket(&ds, path, b, gen, level, &ne, r,
		    err)) != RTA_OK)
			goto out;
		r->bytes_in += before;
		r->buckets++;
		if (manifest_set(&nm, &ne) != 0)
			goto nomem;
		rta_store_seg_name(sname, sizeof(sname), b, gen);
		note(fn, arg, "%s/%s: %llu records, %llu bytes of logs and "
		    "segment -> %llu", path, sname,
		    (unsigned long long)ne.records,
		    (unsigned long long)before,
		    (unsigned long long)ne.bytes);
	}
	if (r->buckets > 0)
		rc = maint_publish(&ds, path, &nm, 1, r, err);
	goto out;
nomem:
	rc = rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
out:
	manifest_release(&nm);
	close(lockfd);
	rta_dataset_close(&ds);
	return rc;
}

int
rta_dataset_retain(struct rta_store *s, const char *name, int64_t cutoff,
    rta_retain_fn ok, void *okarg, rta_note_fn fn, void *arg,
    struct rta_maint *r, struct rta_error *err)
{
	struct rta_dataset ds;
	struct rta_manifest nm;
	struct rta_man_entry ne;
	const struct rta_man_entry *me;
	char path[PATH_MAX], bname[48];
	size_t i, j;
	int lockfd, rc, open_log;
	uint32_t gen;
	uint64_t recs, bytes;
	int64_t b;

	memset(r, 0, sizeof(*r));
	memset(&nm, 0, sizeof(nm));
	if ((rc = maint_open(s, name, &ds, &lockfd, path, sizeof(path),
	    err)) != RTA_OK)
		return rc;
	for (i = 0; i < ds.man.n; i++)
		if (manifest_set(&nm, &ds.man.v[i]) != 0)
			goto nomem;
	/* every bucket with data, from the logs and the manifest */
	for (b = next_bucket(&ds, INT64_MIN); b != INT64_MAX &&
	    b <= cutoff - ds.c.width; b = next_bucket(&ds, b + ds.c.width)) {
		open_log = 0;
		me = rta_manifest_find(&ds.man, b);
		gen = me != NULL ? me->gen : 0;
		recs = me != NULL ? me->records : 0;
		bytes = me != NULL ? me->bytes : 0;
		for (j = 0; j < ds.c.nlogs; j++) {
			if (ds.c.logs[j].bucket != b ||
			    covered(&ds.man, b, ds.c.logs[j].gen))
				continue;
			if (!(ds.c.logs[j].flags & RTA_STORE_LOG_CLOSED))
				open_log = 1;
			if (ds.c.logs[j].gen > gen)
				gen = ds.c.logs[j].gen;
			bytes += ds.c.logs[j].len;
		}
		if (open_log) {
			r->open_skipped++;
			continue;
		}
		if (ok != NULL && !ok(okarg, &ds, b)) {
			r->kept++;
			continue;
		}
		memset(&ne, 0, sizeof(ne));
		ne.bucket = b;
		ne.gen = gen;
		ne.kind = RTA_MAN_RETIRED;
		if (manifest_set(&nm, &ne) != 0)
			goto nomem;
		r->buckets++;
		r->records_in += recs;
		r->bytes_in += bytes;
		rta_store_log_name(bname, sizeof(bname), b, gen);
		note(fn, arg, "%s: bucket %.13s retired (%llu bytes)", path,
		    bname, (unsigned long long)bytes);
	}
	/* (retired entries stay in the manifest: a writer could still
	 * name a log they cover) */
	rc = maint_publish(&ds, path, &nm, r->buckets > 0, r, err);
	goto out;
nomem:
	rc = rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
out:
	manifest_release(&nm);
	close(lockfd);
	rta_dataset_close(&ds);
	return rc;
}
