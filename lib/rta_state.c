/*
 * rta_state.c: input positions and state files for restarts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rta_alloc.h"
#include "rta_cli.h"
#include "rta_hash.h"
#include "rta_state.h"
#include "rta_time.h"
#include "rta_value.h"

#define VALUE_MAX	RTA_SOURCE_POS_MAX

void
rta_sources_init(struct rta_sources *s)
{
	memset(s, 0, sizeof(*s));
	s->cur_file = s->cur_kafka = RTA_SOURCE_NONE;
}

void
rta_sources_release(struct rta_sources *s)
{
	void (*on_new)(void *, size_t) = s->on_new;
	void *arg = s->on_new_arg;
	size_t i;

	for (i = 0; i < s->n; i++)
		rta_free(s->v[i].name);
	rta_free(s->v);
	rta_free(s->ix);
	rta_sources_init(s);
	s->on_new = on_new;
	s->on_new_arg = arg;
}

static uint64_t
src_hash(enum rta_src_kind kind, int32_t partition, const char *name,
    size_t len)
{
	return rta_hash64(name, len, (uint64_t)kind << 32 ^
	    (uint32_t)partition);
}

/* The slot of the index where the source is, or the empty one where it
 * would go. */
static size_t
slot(const struct rta_sources *s, enum rta_src_kind kind, int32_t partition,
    const char *name, size_t len)
{
	size_t i = (size_t)src_hash(kind, partition, name, len) & s->ixmask;
	const struct rta_source *x;

	for (;; i = (i + 1) & s->ixmask) {
		if (s->ix[i] == 0)
			return i;
		x = &s->v[s->ix[i] - 1];
		if (x->kind == kind && x->partition == partition &&
		    x->len == len && memcmp(x->name, name, len) == 0)
			return i;
	}
}

static size_t
find(const struct rta_sources *s, enum rta_src_kind kind, int32_t partition,
    const char *name, size_t len)
{
	size_t i;

	if (s->ix == NULL)
		return RTA_SOURCE_NONE;
	i = slot(s, kind, partition, name, len);
	return s->ix[i] == 0 ? RTA_SOURCE_NONE : s->ix[i] - 1;
}

/* Room for one more source: 0 or -1 (ENOMEM). */
static int
grow(struct rta_sources *s)
{
	struct rta_source *v;
	uint32_t *ix;
	size_t cap, n, i;

	if (s->n == s->cap) {
		cap = s->cap == 0 ? 8 : s->cap * 2;
		if ((v = rta_reallocarray(s->v, cap, sizeof(*v))) == NULL)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	if (s->ix != NULL && (s->n + 1) * 2 <= s->ixmask + 1)
		return 0;
	n = s->ix == NULL ? 16 : (s->ixmask + 1) * 2;
	if ((ix = rta_calloc(n, sizeof(*ix))) == NULL)
		return -1;
	rta_free(s->ix);
	s->ix = ix;
	s->ixmask = n - 1;
	for (i = 0; i < s->n; i++)
		s->ix[slot(s, s->v[i].kind, s->v[i].partition, s->v[i].name,
		    s->v[i].len)] = (uint32_t)i + 1;
	return 0;
}

/* A Kafka topic name: [A-Za-z0-9._-]{1,249}. */
static int
kafka_name(const char *s, size_t len)
{
	size_t i;

	if (len < 1 || len > 249)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

size_t
rta_sources_get(struct rta_sources *s, enum rta_src_kind kind,
    int32_t partition, const char *name, size_t len)
{
	struct rta_source *v;
	size_t i = find(s, kind, partition, name, len);

	if (i != RTA_SOURCE_NONE || s->n >= RTA_SOURCES_MAX ||
	    len > RTA_SOURCE_NAME_MAX || grow(s) != 0)
		return i;
	v = &s->v[s->n];
	memset(v, 0, sizeof(*v));
	if ((v->name = rta_memdup(name, len)) == NULL)
		return RTA_SOURCE_NONE;
	v->kind = kind;
	v->partition = partition;
	v->len = len;
	s->ix[slot(s, kind, partition, name, len)] = (uint32_t)s->n + 1;
	if (s->on_new != NULL)
		s->on_new(s->on_new_arg, s->n);
	return s->n++;
}

void
rta_sources_done(struct rta_sources *s, size_t i, uint64_t v)
{
	struct rta_source *x;

	if (i == RTA_SOURCE_NONE || i >= s->n)
		return;
	x = &s->v[i];
	if (v > VALUE_MAX)
		v = VALUE_MAX;
	if (!x->has_done || x->done < v) {
		x->has_done = 1;
		x->done = v;
		x->dirty = 1;
	}
}

uint64_t
rta_sources_where(const struct rta_where *w)
{
	return w->line > 0 ? w->line : w->offset;
}

void
rta_sources_end(struct rta_sources *s)
{
	if (s->cur_kafka != RTA_SOURCE_NONE)
		rta_sources_done(s, s->cur_kafka, (uint64_t)s->cur_kafka_off);
	s->cur_kafka = RTA_SOURCE_NONE;
}

void
rta_sources_track(struct rta_sources *s, const struct rta_where *w)
{
	const char *name;
	enum rta_src_kind kind = w->line > 0 ? RTA_SRC_LINES : RTA_SRC_BYTES;

	if (s->tracked && w->serial == s->cur_serial && kind == s->cur_kind)
		return;
	/* a new input (the reader's serial changed): its messages afresh */
	if (s->tracked && w->serial != s->cur_serial)
		rta_sources_end(s);
	s->tracked = 1;
	s->cur_serial = w->serial;
	s->cur_kind = kind;
	name = w->source != NULL ? w->source : "<input>";
	s->cur_name = name;
	s->cur_file = rta_sources_get(s, kind, 0, name, strlen(name));
}

void
rta_sources_position(struct rta_sources *s, const struct rta_position *p)
{
	rta_sources_end(s);
	if (p->offset < 0)
		return;
	s->cur_kafka = rta_sources_get(s, RTA_SRC_KAFKA, p->partition,
	    p->topic, p->topic_len);
	s->cur_kafka_off = p->offset;
}

void
rta_sources_handled(struct rta_sources *s, const struct rta_where *w)
{
	rta_sources_done(s, s->cur_file, rta_sources_where(w));
}

int
rta_sources_mid_message(const struct rta_sources *s)
{
	return s->cur_kafka != RTA_SOURCE_NONE;
}

void
rta_sources_arm_resume(struct rta_sources *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		s->v[i].has_resume = s->v[i].has_done &&
		    s->v[i].kind != RTA_SRC_KAFKA;
		s->v[i].resume = s->v[i].done;
	}
}

int
rta_sources_resumed(const struct rta_sources *s, const struct rta_where *w)
{
	const struct rta_source *x;

	if (s->cur_file == RTA_SOURCE_NONE)
		return 0;
	x = &s->v[s->cur_file];
	return x->has_resume && rta_sources_where(w) <= x->resume;
}

int
rta_sources_encode(const struct rta_sources *s, struct rta_buf *b)
{
	unsigned char h[1 + 4 + 1 + 8 + 4];
	size_t i;

	if (rta_buf_add_u32(b, (uint32_t)s->n) != 0)
		return -1;
	for (i = 0; i < s->n; i++) {
		const struct rta_source *x = &s->v[i];

		h[0] = (unsigned char)x->kind;
		rta_put_u32(h + 1, (uint32_t)x->partition);
		h[5] = (unsigned char)(x->has_done != 0);
		rta_put_u64(h + 6, x->done);
		rta_put_u32(h + 14, (uint32_t)x->len);
		if (rta_buf_add(b, h, sizeof(h)) != 0 ||
		    rta_buf_add(b, x->name, x->len) != 0)
			return -1;
	}
	return 0;
}

int
rta_sources_decode(struct rta_sources *s, const unsigned char **pp,
    const unsigned char *end)
{
	const unsigned char *p = *pp;
	uint32_t n, i, len;
	int32_t part;
	size_t k, had;
	int rc = RTA_EDATA;

	if (end - p < 4)
		return RTA_EDATA;
	n = rta_get_u32(p);
	p += 4;
	if (n > RTA_SOURCES_MAX)
		return RTA_EDATA;
	for (i = 0; i < n; i++) {
		if (end - p < 18)
			goto fail;
		len = rta_get_u32(p + 14);
		part = (int32_t)rta_get_u32(p + 1);
		if (p[0] < RTA_SRC_LINES || p[0] > RTA_SRC_KAFKA || p[5] > 1 ||
		    (p[0] != RTA_SRC_KAFKA && part != 0) ||
		    len > RTA_SOURCE_NAME_MAX || (size_t)(end - p - 18) < len ||
		    rta_get_u64(p + 6) > VALUE_MAX || find(s, (enum rta_src_kind)p[0], part,
		    (const char *)p + 18, len) != RTA_SOURCE_NONE)
			goto fail;
		had = s->n;
		k = rta_sources_get(s, (enum rta_src_kind)p[0], part,
		    (const char *)p + 18, len);
		if (k == RTA_SOURCE_NONE || k != had) {
			rc = RTA_ENOMEM;
			goto fail;
		}
		s->v[k].has_done = p[5];
		s->v[k].done = rta_get_u64(p + 6);
		p += 18 + len;
	}
	*pp = p;
	return RTA_OK;
fail:
	rta_sources_release(s);
	return rc;
}

int
rta_sources_offsets(const struct rta_sources *s, int json,
    struct rta_buf *out)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < s->n && rc == 0; i++) {
		const struct rta_source *x = &s->v[i];

		if (!x->has_done)
			continue;
		if (x->kind == RTA_SRC_KAFKA && !json) {
			if (kafka_name(x->name, x->len))
				rc = rta_buf_printf(out, "-t %.*s -p %d -o "
				    "%llu\n", (int)x->len, x->name,
				    (int)x->partition,
				    (unsigned long long)x->done + 1);
		} else if (x->kind == RTA_SRC_KAFKA)
			rc = rta_buf_adds(out, "{\"topic\":") ||
			    rta_json_put_bytes_lossy(out, x->name, x->len) ||
			    rta_buf_printf(out, ",\"partition\":%d,\"offset\":"
			    "%llu}\n", (int)x->partition,
			    (unsigned long long)x->done + 1);
		else if (json)
			rc = rta_buf_adds(out, "{\"input\":") ||
			    rta_json_put_bytes_lossy(out, x->name, x->len) ||
			    rta_buf_printf(out, x->kind == RTA_SRC_LINES ?
			    ",\"line\":%llu}\n" : ",\"byte_offset\":%llu}\n",
			    (unsigned long long)x->done);
	}
	return rc != 0 ? -1 : 0;
}

void
rta_cadence_start(struct rta_cadence *c, int64_t every, uint64_t records)
{
	c->every = every;
	c->records = records;
	rta_cadence_done(c);
}

void
rta_cadence_done(struct rta_cadence *c)
{
	c->since = 0;
	c->next = rta_now() + c->every;
}

int
rta_cadence_due(const struct rta_cadence *c)
{
	return c->records > 0 ? c->since >= c->records : rta_now() >= c->next;
}

int
rta_cadence_tick(struct rta_cadence *c)
{
	c->since++;
	if (c->records > 0)
		return c->since >= c->records;
	return (c->since & 1023) == 0 && rta_now() >= c->next;
}

int
rta_state_interval(const char *arg, int64_t *us, uint64_t *records)
{
	struct rta_error err;
	size_t n = strlen(arg);
	char num[32];

	*us = 0;
	*records = 0;
	if (n > 1 && arg[n - 1] == 'r') {
		if (n - 1 >= sizeof(num))
			return -1;
		memcpy(num, arg, n - 1);
		num[n - 1] = '\0';
		return rta_parse_u64(num, 1, UINT64_MAX, records) == 0 ? 0 : -1;
	}
	return rta_duration_parse(arg, us, &err) == RTA_OK && *us > 0 ? 0 : -1;
}

/* ---- files --------------------------------------------------------------- */

static int
path_of(char *buf, size_t size, const char *dir, const char *name,
    struct rta_error *err)
{
	int n = snprintf(buf, size, "%s/%s", dir, name);

	if (n < 0 || (size_t)n >= size)
		return rta_error_set(err, RTA_EIO, "state-path", "%s: path too "
		    "long", dir);
	return RTA_OK;
}

int
rta_offsets_style(const char *s, int *json)
{
	if (strcmp(s, "kcat") == 0)
		*json = 0;
	else if (strcmp(s, "json") == 0)
		*json = 1;
	else
		return -1;
	return 0;
}

int
rta_state_lock(const char *dir, struct rta_error *err)
{
	char path[4096];
	int fd;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		rta_error_set(err, RTA_EIO, "state-dir", "%s: %s", dir,
		    strerror(errno));
		return -1;
	}
	if (path_of(path, sizeof(path), dir, "lock", err) != RTA_OK)
		return -1;
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) < 0) {
		rta_error_set(err, RTA_EIO, "state-dir", "%s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		rta_error_set(err, RTA_EIO, "state-busy", "%s: in use by "
		    "another process", dir);
		close(fd);
		return -1;
	}
	return fd;
}

int
rta_state_replace(const char *dir, const char *name, const void *p,
    size_t len, struct rta_error *err)
{
	char path[4096], tmp[4096];
	const unsigned char *q = p;
	ssize_t k;
	int fd, e = 0;

	if (path_of(path, sizeof(path), dir, name, err) != RTA_OK ||
	    snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return rta_error_set(err, RTA_EIO, "state-path", "%s: path "
		    "too long", dir);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) < 0)
		return rta_error_set(err, RTA_EIO, "state-write", "%s: %s",
		    tmp, strerror(errno));
	while (len > 0 && e == 0) {
		if ((k = write(fd, q, len)) < 0) {
			if (errno != EINTR)
				e = errno;
			continue;
		}
		q += k;
		len -= (size_t)k;
	}
	if (e == 0 && fsync(fd) != 0)
		e = errno;
	if (close(fd) != 0 && e == 0)
		e = errno;
	if (e == 0 && rename(tmp, path) != 0)
		e = errno;
	if (e != 0) {
		(void)unlink(tmp);
		return rta_error_set(err, RTA_EIO, "state-write", "%s: %s",
		    path, strerror(e));
	}
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		if (fsync(fd) != 0)
			e = errno;
		close(fd);
	}
	if (e != 0)
		return rta_error_set(err, RTA_EIO, "state-write", "%s: %s",
		    dir, strerror(e));
	return RTA_OK;
}

int
rta_state_lines(const char *dir, const char *name, size_t max,
    int (*line)(void *, const char *, size_t), void *arg, const char *reason,
    const char *what, struct rta_error *err)
{
	struct rta_buf b;
	const char *p, *end, *nl;
	size_t lineno = 0;
	int rc;

	rta_buf_init(&b);
	if ((rc = rta_state_read(dir, name, max, &b, err)) != RTA_OK) {
		rta_buf_release(&b);
		return rc == RTA_EOF ? RTA_OK : rc;
	}
	p = (const char *)b.data;
	end = p + b.len;
	for (; p < end && rc == RTA_OK; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		lineno++;
		if (nl != p && *p != '#' && line(arg, p, (size_t)(nl - p)) != 0)
			rc = rta_error_set(err, RTA_EDATA, reason, "%s/%s:%zu: %s",
			    dir, name, lineno, what);
	}
	rta_buf_release(&b);
	return rc;
}

struct defs {
	unsigned char	*v;
	size_t		 n, maxn, size;
	int		(*def)(const char *, size_t, void *);
};

static int
defs_line(void *arg, const char *p, size_t len)
{
	struct defs *d = arg;

	if (d->n == d->maxn || d->def(p, len, d->v + d->n * d->size) != 0)
		return -1;
	d->n++;
	return 0;
}

int
rta_state_defs(const char *dir, const char *name, size_t max, size_t maxn,
    size_t size, int (*def)(const char *, size_t, void *), void **vp,
    size_t *np, const char *reason, const char *what, struct rta_error *err)
{
	struct defs d;
	int rc;

	*vp = NULL;
	*np = 0;
	if ((d.v = rta_calloc(maxn, size)) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	d.n = 0;
	d.maxn = maxn;
	d.size = size;
	d.def = def;
	if ((rc = rta_state_lines(dir, name, max, defs_line, &d, reason, what,
	    err)) != RTA_OK || d.n == 0) {
		rta_free(d.v);
		return rc;
	}
	*vp = d.v;
	*np = d.n;
	return RTA_OK;
}

int
rta_state_read(const char *dir, const char *name, size_t max,
    struct rta_buf *out, struct rta_error *err)
{
	char path[4096];
	struct stat sb;
	ssize_t k;
	size_t want;
	int fd;

	if (path_of(path, sizeof(path), dir, name, err) != RTA_OK)
		return RTA_EIO;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return RTA_EOF;
		return rta_error_set(err, RTA_EIO, "state-read", "%s: %s",
		    path, strerror(errno));
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return rta_error_set(err, RTA_EIO, "state-read", "%s: not a "
		    "regular file", path);
	}
	if ((uint64_t)sb.st_size > max) {
		close(fd);
		return rta_error_set(err, RTA_EDATA, "state-too-large", "%s: "
		    "larger than %zu bytes", path, max);
	}
	want = (size_t)sb.st_size;
	out->len = 0;
	if (rta_buf_reserve(out, want + 1) != 0) {
		close(fd);
		return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
	}
	while (out->len < want) {
		k = read(fd, out->data + out->len, want - out->len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			int e = k < 0 ? errno : EIO;

			close(fd);
			return rta_error_set(err, RTA_EIO, "state-read",
			    "%s: %s", path, k < 0 ? strerror(e) :
			    "shorter than it was");
		}
		out->len += (size_t)k;
	}
	close(fd);
	return RTA_OK;
}
