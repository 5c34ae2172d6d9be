/*
 * rta_spill.c: sorted runs of entries in numbered buckets (rta_spill.h).
 *
 * Held entries are kept in their file form (length, CRC, key, seq, body)
 * in one buffer per bucket, so that writing a run is sorting offsets and
 * copying.  Readers trust nothing in a file: a length is compared with
 * RTA_SPILL_ENTRY_MAX and with the bytes left in the file before the
 * buffer grows to it, and the CRC is checked before the key length or
 * seq is looked at.  A run is never changed once written; merging runs
 * writes a new one and leaves the old ones for rta_spill_committed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "rta_alloc.h"
#include "rta_crc32c.h"
#include "rta_io.h"
#include "rta_spill.h"

#define MAGIC		"rtaspil\1"
#define HEAD_LEN	28
#define ENT_MIN		16		/* crc, key length, seq */
#define READ_BUF	(64U << 10)

struct rta_spill_src {
	int			 fd;
	int64_t			 bucket;
	uint64_t		 n;
	unsigned char		*buf;
	size_t			 cap, len, at;	/* held; start of the next */
	uint64_t		 left;		/* in the file beyond buf */
	int			 has;		/* cur is an entry */
	struct rta_spill_ent	 cur;
};

static void
run_name(char *name, size_t sz, int64_t bucket, uint64_t n)
{
	snprintf(name, sz, "%" PRId64 "-%" PRIu64 ".run", bucket, n);
}

int
rta_spill_open(struct rta_spill *s, const char *dir, size_t budget,
    int sync, struct rta_error *err)
{
	memset(s, 0, sizeof(*s));
	s->dfd = -1;
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return rta_error_errno(err, dir);
	if ((s->dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return rta_error_errno(err, dir);
	if ((s->dir = rta_memdup(dir, strlen(dir) + 1)) == NULL) {
		close(s->dfd);
		s->dfd = -1;
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	}
	s->budget = budget;
	s->sync = sync;
	return RTA_OK;
}

void
rta_spill_close(struct rta_spill *s)
{
	size_t i;

	for (i = 0; i < s->nb; i++) {
		rta_free(s->b[i].runs);
		rta_buf_release(&s->b[i].pend);
	}
	rta_free(s->b);
	rta_free(s->doomed);
	rta_free(s->dir);
	if (s->dfd >= 0)
		close(s->dfd);
	memset(s, 0, sizeof(*s));
	s->dfd = -1;
}

/* The index of bucket id, or where it would go (*found 0). */
static size_t
find(const struct rta_spill *s, int64_t id, int *found)
{
	size_t lo = 0, hi = s->nb, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->b[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < s->nb && s->b[lo].id == id;
	return lo;
}

int
rta_spill_has(const struct rta_spill *s, int64_t id)
{
	int found;

	if (s->nb == 0)
		return 0;
	(void)find(s, id, &found);
	return found;
}

int
rta_spill_first(const struct rta_spill *s, int64_t *id)
{
	if (s->nb == 0)
		return 0;
	*id = s->b[0].id;
	return 1;
}

/* Bucket id, made if missing: its address, or NULL with err. */
static struct rta_spill_bucket *
bucket_get(struct rta_spill *s, int64_t id, struct rta_error *err)
{
	struct rta_spill_bucket *v;
	size_t i, cap;
	int found;

	i = find(s, id, &found);
	if (found)
		return &s->b[i];
	if (s->nb >= RTA_SPILL_BUCKETS_MAX) {
		rta_error_set(err, RTA_ELIMIT, "too-many-buckets", "more than "
		    "%u buckets spilled", RTA_SPILL_BUCKETS_MAX);
		return NULL;
	}
	if (s->nb == s->cap) {
		cap = s->cap == 0 ? 16 : s->cap * 2;
		if ((v = rta_reallocarray(s->b, cap, sizeof(*v))) == NULL) {
			rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
			return NULL;
		}
		s->b = v;
		s->cap = cap;
	}
	memmove(&s->b[i + 1], &s->b[i], (s->nb - i) * sizeof(s->b[0]));
	memset(&s->b[i], 0, sizeof(s->b[0]));
	s->b[i].id = id;
	s->nb++;
	return &s->b[i];
}

int
rta_spill_bucket(struct rta_spill *s, int64_t id, struct rta_error *err)
{
	return bucket_get(s, id, err) != NULL ? RTA_OK : err != NULL ?
	    err->code : RTA_ENOMEM;
}

static int
run_add(struct rta_spill_bucket *b, int64_t id, uint64_t n, uint64_t size)
{
	struct rta_spill_run *v;
	size_t cap;

	if (b->nruns == b->cap) {
		cap = b->cap == 0 ? 4 : b->cap * 2;
		if ((v = rta_reallocarray(b->runs, cap, sizeof(*v))) == NULL)
			return -1;
		b->runs = v;
		b->cap = cap;
	}
	b->runs[b->nruns].bucket = id;
	b->runs[b->nruns].n = n;
	b->runs[b->nruns].size = size;
	b->nruns++;
	return 0;
}

/* Room for n more runs to remove. */
static int
doom_room(struct rta_spill *s, size_t n)
{
	struct rta_spill_run *v;
	size_t cap = s->dcap == 0 ? 16 : s->dcap;

	if (s->dcap - s->ndoomed >= n)
		return 0;
	while (cap - s->ndoomed < n)
		cap *= 2;
	if ((v = rta_reallocarray(s->doomed, cap, sizeof(*v))) == NULL)
		return -1;
	s->doomed = v;
	s->dcap = cap;
	return 0;
}

/* Entry order: key bytes (a proper prefix first), then seq. */
static int
ent_cmp(const unsigned char *ak, uint32_t al, uint64_t as,
    const unsigned char *bk, uint32_t bl, uint64_t bs)
{
	int c = memcmp(ak, bk, al < bl ? al : bl);

	if (c != 0)
		return c;
	if (al != bl)
		return al < bl ? -1 : 1;
	return as < bs ? -1 : as > bs;
}

/* ---- writing ---------------------------------------------------------- */

/* A run being written: a buffer in front of the file. */
struct wrun {
	int		 fd;
	struct rta_buf	 out;
	uint64_t	 size;
	char		 name[64];
};

static int
wrun_start(struct rta_spill *s, struct wrun *w, int64_t bucket, uint64_t n,
    struct rta_error *err)
{
	unsigned char h[HEAD_LEN];

	memset(w, 0, sizeof(*w));
	run_name(w->name, sizeof(w->name), bucket, n);
	memcpy(h, MAGIC, 8);
	rta_put_u64(h + 8, (uint64_t)bucket);
	rta_put_u64(h + 16, n);
	rta_put_u32(h + 24, rta_crc32c(0, h, 24));
	if ((w->fd = openat(s->dfd, w->name, O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC, 0644)) < 0)
		return rta_error_set(err, RTA_EIO, "io", "%s/%s: %s", s->dir,
		    w->name, strerror(errno));
	if (rta_buf_add(&w->out, h, HEAD_LEN) != 0) {
		close(w->fd);
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	}
	return RTA_OK;
}

static int
wrun_io(struct rta_spill *s, struct wrun *w, struct rta_error *err)
{
	int e = errno;

	rta_buf_release(&w->out);
	close(w->fd);
	(void)unlinkat(s->dfd, w->name, 0);
	return rta_error_set(err, RTA_EIO, "io", "%s/%s: %s", s->dir, w->name,
	    strerror(e));
}

/* Append one entry in file form (length first). */
static int
wrun_put(struct rta_spill *s, struct wrun *w, const unsigned char *p,
    size_t len, struct rta_error *err)
{
	if (w->out.len >= READ_BUF) {
		if (rta_io_write(w->fd, w->out.data, w->out.len) != 0)
			return wrun_io(s, w, err);
		w->size += w->out.len;
		w->out.len = 0;
	}
	if (rta_buf_add(&w->out, p, len) != 0) {
		errno = ENOMEM;
		rta_buf_release(&w->out);
		close(w->fd);
		(void)unlinkat(s->dfd, w->name, 0);
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	}
	return RTA_OK;
}

static int
wrun_end(struct rta_spill *s, struct wrun *w, struct rta_error *err)
{
	if ((w->out.len > 0 && rta_io_write(w->fd, w->out.data,
	    w->out.len) != 0) || (s->sync && (rta_io_datasync(w->fd) != 0 ||
	    rta_io_fsync(s->dfd) != 0)))
		return wrun_io(s, w, err);
	w->size += w->out.len;
	rta_buf_release(&w->out);
	if (close(w->fd) != 0) {
		w->fd = -1;
		return rta_error_set(err, RTA_EIO, "io", "%s/%s: %s", s->dir,
		    w->name, strerror(errno));
	}
	s->bytes += w->size;
	s->runs++;
	return RTA_OK;
}

static const unsigned char *sort_base;

static int
off_cmp(const void *a, const void *b)
{
	const unsigned char *p = sort_base + *(const size_t *)a;
	const unsigned char *q = sort_base + *(const size_t *)b;
	uint32_t pl = rta_get_u32(p + 8), ql = rta_get_u32(q + 8);

	return ent_cmp(p + 12, pl, rta_get_u64(p + 12 + pl), q + 12, ql,
	    rta_get_u64(q + 12 + ql));
}

/* Write b's held entries as a run, sorted. */
static int
bucket_write(struct rta_spill *s, struct rta_spill_bucket *b,
    struct rta_error *err)
{
	struct wrun w;
	size_t *off, i, at;
	int rc;

	if (b->npend == 0)
		return RTA_OK;
	if ((off = rta_reallocarray(NULL, b->npend, sizeof(*off))) == NULL ||
	    run_add(b, b->id, s->next_run, 0) != 0) {
		rta_free(off);
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	}
	b->nruns--;	/* room made; counted once written */
	for (i = 0, at = 0; i < b->npend; i++) {
		off[i] = at;
		at += 4 + rta_get_u32(b->pend.data + at);
	}
	sort_base = b->pend.data;
	qsort(off, b->npend, sizeof(*off), off_cmp);
	rc = wrun_start(s, &w, b->id, s->next_run, err);
	for (i = 0; i < b->npend && rc == RTA_OK; i++)
		rc = wrun_put(s, &w, b->pend.data + off[i], 4 +
		    rta_get_u32(b->pend.data + off[i]), err);
	rta_free(off);
	if (rc == RTA_OK)
		rc = wrun_end(s, &w, err);
	if (rc != RTA_OK)
		return rc;
	(void)run_add(b, b->id, s->next_run++, w.size);
	s->held -= b->pend.len;
	b->pend.len = 0;
	b->npend = 0;
	/* many buckets may wait: none keeps a buffer it does not use */
	rta_buf_release(&b->pend);
	return RTA_OK;
}

int
rta_spill_flush(struct rta_spill *s, struct rta_error *err)
{
	size_t i;
	int rc;

	for (i = 0; i < s->nb; i++)
		if ((rc = bucket_write(s, &s->b[i], err)) != RTA_OK)
			return rc;
	return RTA_OK;
}

int
rta_spill_add(struct rta_spill *s, int64_t id, const void *key,
    uint32_t klen, uint64_t seq, const void *body, size_t blen,
    struct rta_error *err)
{
	struct rta_spill_bucket *b;
	size_t len = (size_t)ENT_MIN + klen + blen, at;

	if (blen > RTA_SPILL_ENTRY_MAX || len > RTA_SPILL_ENTRY_MAX)
		return rta_error_set(err, RTA_ELIMIT, "too-large", "an entry "
		    "of %zu bytes is more than a spill file takes", len);
	if ((b = bucket_get(s, id, err)) == NULL)
		return err != NULL ? err->code : RTA_ENOMEM;
	at = b->pend.len;
	if (rta_buf_reserve(&b->pend, 4 + len) != 0)
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	rta_buf_add_u32(&b->pend, (uint32_t)len);
	rta_buf_add_u32(&b->pend, 0);
	rta_buf_add_u32(&b->pend, klen);
	rta_buf_add(&b->pend, key, klen);
	rta_buf_add_u64(&b->pend, seq);
	rta_buf_add(&b->pend, body, blen);
	rta_put_u32(b->pend.data + at + 4, rta_crc32c(0, b->pend.data + at +
	    8, len - 4));
	b->npend++;
	s->held += 4 + len;
	if (s->held > s->budget)
		return rta_spill_flush(s, err);
	return RTA_OK;
}

/* ---- reading ---------------------------------------------------------- */

static int
src_open(struct rta_spill *s, struct rta_spill_src *r,
    const struct rta_spill_run *run, struct rta_error *err)
{
	unsigned char h[HEAD_LEN];
	char name[64];
	struct stat sb;
	ssize_t k;

	memset(r, 0, sizeof(*r));
	r->bucket = run->bucket;
	r->n = run->n;
	run_name(name, sizeof(name), run->bucket, run->n);
	if ((r->fd = openat(s->dfd, name, O_RDONLY | O_CLOEXEC)) < 0)
		return rta_error_set(err, RTA_EIO, "io", "%s/%s: %s", s->dir,
		    name, strerror(errno));
	if (fstat(r->fd, &sb) != 0)
		return rta_error_set(err, RTA_EIO, "io", "%s/%s: %s", s->dir,
		    name, strerror(errno));
	if ((uint64_t)sb.st_size != run->size)
		return rta_error_set(err, RTA_EDATA, "bad-spill", "%s/%s: "
		    "damaged spill file (%lld bytes, %llu written)", s->dir,
		    name, (long long)sb.st_size, (unsigned long long)run->size);
	do
		k = read(r->fd, h, HEAD_LEN);
	while (k < 0 && errno == EINTR);
	if (k < 0)
		return rta_error_set(err, RTA_EIO, "io", "%s/%s: %s", s->dir,
		    name, strerror(errno));
	if (k != HEAD_LEN || memcmp(h, MAGIC, 8) != 0 ||
	    rta_get_u32(h + 24) != rta_crc32c(0, h, 24) ||
	    (int64_t)rta_get_u64(h + 8) != run->bucket ||
	    rta_get_u64(h + 16) != run->n)
		return rta_error_set(err, RTA_EDATA, "bad-spill", "%s/%s: "
		    "damaged spill file (bad header)", s->dir, name);
	r->left = run->size - HEAD_LEN;
	return RTA_OK;
}

static void
src_close(struct rta_spill_src *r)
{
	if (r->fd >= 0)
		close(r->fd);
	rta_free(r->buf);
	r->fd = -1;
	r->buf = NULL;
}

static int
src_bad(struct rta_spill *s, const struct rta_spill_src *r, const char *what,
    struct rta_error *err)
{
	char name[64];

	run_name(name, sizeof(name), r->bucket, r->n);
	return rta_error_set(err, RTA_EDATA, "bad-spill", "%s/%s: damaged "
	    "spill file (%s)", s->dir, name, what);
}

/* Have want bytes from r->at in the buffer (want checked against the
 * file before). */
static int
src_fill(struct rta_spill *s, struct rta_spill_src *r, size_t want,
    struct rta_error *err)
{
	size_t have = r->len - r->at, cap, ask;
	unsigned char *nb;
	ssize_t k;
	char name[64];

	if (have >= want)
		return RTA_OK;
	if (r->at > 0) {
		memmove(r->buf, r->buf + r->at, have);
		r->len = have;
		r->at = 0;
	}
	if (want > r->cap) {
		cap = want > READ_BUF ? want : READ_BUF;
		if ((nb = rta_realloc(r->buf, cap)) == NULL)
			return rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
		r->buf = nb;
		r->cap = cap;
	}
	while (r->len < want) {
		ask = r->cap - r->len;
		if (ask > r->left)
			ask = (size_t)r->left;
		k = read(r->fd, r->buf + r->len, ask);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			run_name(name, sizeof(name), r->bucket, r->n);
			if (k == 0)
				return src_bad(s, r, "cut short", err);
			return rta_error_set(err, RTA_EIO, "io", "%s/%s: %s",
			    s->dir, name, strerror(errno));
		}
		r->len += (size_t)k;
		r->left -= (uint64_t)k;
	}
	return RTA_OK;
}

/* The next entry of r into r->cur (r->has 0 at the end). */
static int
src_next(struct rta_spill *s, struct rta_spill_src *r, struct rta_error *err)
{
	const unsigned char *p;
	uint32_t len, klen;
	int rc;

	r->has = 0;
	if (r->len == r->at && r->left == 0)
		return RTA_OK;
	if (r->left + (r->len - r->at) < 4)
		return src_bad(s, r, "cut short", err);
	if ((rc = src_fill(s, r, 4, err)) != RTA_OK)
		return rc;
	len = rta_get_u32(r->buf + r->at);
	if (len < ENT_MIN || len > RTA_SPILL_ENTRY_MAX ||
	    len > r->left + (r->len - r->at) - 4)
		return src_bad(s, r, "bad length", err);
	if ((rc = src_fill(s, r, 4 + (size_t)len, err)) != RTA_OK)
		return rc;
	p = r->buf + r->at;
	if (rta_crc32c(0, p + 8, len - 4) != rta_get_u32(p + 4))
		return src_bad(s, r, "bad checksum", err);
	klen = rta_get_u32(p + 8);
	if (klen > len - ENT_MIN)
		return src_bad(s, r, "bad key length", err);
	r->cur.key = p + 12;
	r->cur.klen = klen;
	r->cur.seq = rta_get_u64(p + 12 + klen);
	r->cur.body = p + 20 + klen;
	r->cur.blen = len - ENT_MIN - klen;
	r->at += 4 + (size_t)len;
	r->has = 1;
	return RTA_OK;
}

static int
reader_open(struct rta_spill *s, const struct rta_spill_run *runs, size_t n,
    struct rta_spill_reader *rd, struct rta_error *err)
{
	size_t i;
	int rc = RTA_OK;

	memset(rd, 0, sizeof(*rd));
	rd->s = s;
	if (n > 0 && (rd->src = rta_calloc(n, sizeof(*rd->src))) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	for (i = 0; i < n; i++)
		rd->src[i].fd = -1;
	rd->n = n;
	rd->last = n;
	for (i = 0; i < n && rc == RTA_OK; i++)
		if ((rc = src_open(s, &rd->src[i], &runs[i], err)) == RTA_OK)
			rc = src_next(s, &rd->src[i], err);
	if (rc != RTA_OK)
		rta_spill_read_close(rd);
	return rc;
}

int
rta_spill_next(struct rta_spill_reader *rd, struct rta_spill_ent *e,
    struct rta_error *err)
{
	struct rta_spill_src *r, *m = NULL;
	size_t i;

	if (rd->last < rd->n && src_next(rd->s, &rd->src[rd->last], err) !=
	    RTA_OK)
		return -1;
	rd->last = rd->n;
	for (i = 0; i < rd->n; i++) {
		r = &rd->src[i];
		if (r->has && (m == NULL || ent_cmp(r->cur.key, r->cur.klen,
		    r->cur.seq, m->cur.key, m->cur.klen, m->cur.seq) < 0))
			m = r;
	}
	if (m == NULL)
		return 0;
	*e = m->cur;
	rd->last = (size_t)(m - rd->src);
	return 1;
}

void
rta_spill_read_close(struct rta_spill_reader *rd)
{
	size_t i;

	for (i = 0; i < rd->n; i++)
		src_close(&rd->src[i]);
	rta_free(rd->src);
	memset(rd, 0, sizeof(*rd));
}

/* Merge b's first RTA_SPILL_FANIN runs into one. */
static int
merge_pass(struct rta_spill *s, struct rta_spill_bucket *b,
    struct rta_error *err)
{
	struct rta_spill_reader rd;
	struct rta_spill_ent e;
	struct wrun w;
	unsigned char h[20];
	size_t i, len;
	int rc, k;

	if (doom_room(s, RTA_SPILL_FANIN) != 0)
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	if ((rc = reader_open(s, b->runs, RTA_SPILL_FANIN, &rd, err)) !=
	    RTA_OK)
		return rc;
	if ((rc = wrun_start(s, &w, b->id, s->next_run, err)) != RTA_OK) {
		rta_spill_read_close(&rd);
		return rc;
	}
	while (rc == RTA_OK && (k = rta_spill_next(&rd, &e, err)) != 0) {
		if (k < 0) {
			rc = err != NULL ? err->code : RTA_EDATA;
			close(w.fd);
			rta_buf_release(&w.out);
			(void)unlinkat(s->dfd, w.name, 0);
			break;
		}
		/* the entry as read, its CRC just checked, is copied */
		len = ENT_MIN + e.klen + e.blen;
		rta_put_u32(h, (uint32_t)len);
		memcpy(h + 4, e.key - 8, 4);
		rc = wrun_put(s, &w, h, 8, err);
		if (rc == RTA_OK)
			rc = wrun_put(s, &w, e.key - 4, len - 4, err);
	}
	rta_spill_read_close(&rd);
	if (rc == RTA_OK)
		rc = wrun_end(s, &w, err);
	if (rc != RTA_OK)
		return rc;
	for (i = 0; i < RTA_SPILL_FANIN; i++)
		s->doomed[s->ndoomed++] = b->runs[i];	/* room made above */
	b->runs[0].n = s->next_run++;
	b->runs[0].size = w.size;
	memmove(&b->runs[1], &b->runs[RTA_SPILL_FANIN], (b->nruns -
	    RTA_SPILL_FANIN) * sizeof(b->runs[0]));
	b->nruns -= RTA_SPILL_FANIN - 1;
	return RTA_OK;
}

int
rta_spill_read(struct rta_spill *s, int64_t id, struct rta_spill_reader *rd,
    struct rta_error *err)
{
	struct rta_spill_bucket *b;
	int found, rc;
	size_t i;

	memset(rd, 0, sizeof(*rd));
	i = find(s, id, &found);
	if (!found)
		return reader_open(s, NULL, 0, rd, err);
	b = &s->b[i];
	if ((rc = bucket_write(s, b, err)) != RTA_OK)
		return rc;
	while (b->nruns > RTA_SPILL_FANIN)
		if ((rc = merge_pass(s, b, err)) != RTA_OK)
			return rc;
	return reader_open(s, b->runs, b->nruns, rd, err);
}

int
rta_spill_drop(struct rta_spill *s, int64_t id, struct rta_error *err)
{
	struct rta_spill_bucket *b;
	int found;
	size_t i = find(s, id, &found), j;

	if (!found)
		return RTA_OK;
	b = &s->b[i];
	if (doom_room(s, b->nruns) != 0)
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	for (j = 0; j < b->nruns; j++)
		s->doomed[s->ndoomed++] = b->runs[j];
	s->held -= b->pend.len;
	rta_free(b->runs);
	rta_buf_release(&b->pend);
	memmove(&s->b[i], &s->b[i + 1], (s->nb - i - 1) * sizeof(s->b[0]));
	s->nb--;
	return RTA_OK;
}

void
rta_spill_committed(struct rta_spill *s)
{
	char name[64];
	size_t i;

	for (i = 0; i < s->ndoomed; i++) {
		run_name(name, sizeof(name), s->doomed[i].bucket,
		    s->doomed[i].n);
		(void)unlinkat(s->dfd, name, 0);
	}
	s->ndoomed = 0;
}

int
rta_spill_encode(const struct rta_spill *s, struct rta_buf *b)
{
	const struct rta_spill_bucket *k;
	size_t i, j;
	int rc;

	rc = rta_buf_add_u64(b, s->next_run) || rta_buf_add_u64(b, s->runs) ||
	    rta_buf_add_u64(b, s->bytes) || rta_buf_add_u32(b,
	    (uint32_t)s->nb);
	for (i = 0; i < s->nb && !rc; i++) {
		k = &s->b[i];
		rc = rta_buf_add_u64(b, (uint64_t)k->id) ||
		    rta_buf_add_u32(b, (uint32_t)k->nruns);
		for (j = 0; j < k->nruns && !rc; j++)
			rc = rta_buf_add_u64(b, k->runs[j].n) ||
			    rta_buf_add_u64(b, k->runs[j].size);
	}
	return rc ? -1 : 0;
}

/* 1 if name is a run the buckets name. */
static int
named(const struct rta_spill *s, const char *name)
{
	char want[64];
	size_t i, j;

	for (i = 0; i < s->nb; i++)
		for (j = 0; j < s->b[i].nruns; j++) {
			run_name(want, sizeof(want), s->b[i].id,
			    s->b[i].runs[j].n);
			if (strcmp(want, name) == 0)
				return 1;
		}
	return 0;
}

int
rta_spill_sweep(struct rta_spill *s, struct rta_error *err)
{
	struct dirent *de;
	DIR *d;
	int fd;
	size_t l;

	if ((fd = dup(s->dfd)) < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		return rta_error_errno(err, s->dir);
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		l = strlen(de->d_name);
		if (l > 4 && strcmp(de->d_name + l - 4, ".run") == 0 &&
		    !named(s, de->d_name))
			(void)unlinkat(s->dfd, de->d_name, 0);
	}
	closedir(d);
	return RTA_OK;
}

int
rta_spill_decode(struct rta_spill *s, const unsigned char **p,
    const unsigned char *end, struct rta_error *err)
{
	const unsigned char *q = *p;
	struct rta_spill_bucket *b;
	struct stat sb;
	char name[64];
	uint64_t next, runs, bytes, n, size;
	uint32_t nb, nr, i, j;
	int64_t id, prev = INT64_MIN;
	int rc = RTA_EDATA;

	if (end - q < 28)
		goto bad;
	next = rta_get_u64(q);
	runs = rta_get_u64(q + 8);
	bytes = rta_get_u64(q + 16);
	nb = rta_get_u32(q + 24);
	q += 28;
	if (nb > RTA_SPILL_BUCKETS_MAX || nb > (size_t)(end - q) / 12)
		goto bad;
	for (i = 0; i < nb; i++) {
		if (end - q < 12)
			goto bad;
		id = (int64_t)rta_get_u64(q);
		nr = rta_get_u32(q + 8);
		q += 12;
		if ((i > 0 && id <= prev) || nr > (size_t)(end - q) / 16)
			goto bad;
		prev = id;
		if ((b = bucket_get(s, id, err)) == NULL) {
			rc = err != NULL ? err->code : RTA_ENOMEM;
			goto out;
		}
		for (j = 0; j < nr; j++, q += 16) {
			n = rta_get_u64(q);
			size = rta_get_u64(q + 8);
			if (n >= next || size < HEAD_LEN)
				goto bad;
			run_name(name, sizeof(name), id, n);
			if (fstatat(s->dfd, name, &sb, 0) != 0) {
				rc = rta_error_set(err, errno == ENOENT ?
				    RTA_EDATA : RTA_EIO, "bad-spill", "%s/%s: "
				    "%s", s->dir, name, strerror(errno));
				goto out;
			}
			if ((uint64_t)sb.st_size != size) {
				rc = rta_error_set(err, RTA_EDATA, "bad-spill",
				    "%s/%s: damaged spill file (%lld bytes, "
				    "%llu written)", s->dir, name,
				    (long long)sb.st_size,
				    (unsigned long long)size);
				goto out;
			}
			if (run_add(b, id, n, size) != 0) {
				rc = rta_error_set(err, RTA_ENOMEM, "nomem",
				    "out of memory");
				goto out;
			}
		}
	}
	s->next_run = next;
	s->runs = runs;
	s->bytes = bytes;
	if ((rc = rta_spill_sweep(s, err)) != RTA_OK)
		goto out;
	*p = q;
	return RTA_OK;
bad:
	rc = rta_error_set(err, RTA_EDATA, "bad-spill", "%s: damaged list "
	    "of spill files", s->dir);
out:
	for (i = 0; i < s->nb; i++) {
		rta_free(s->b[i].runs);
		rta_buf_release(&s->b[i].pend);
	}
	s->nb = 0;
	return rc;
}
