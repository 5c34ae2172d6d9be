/*
 * rta_deadletter.c: rejected records as NDJSON lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "rta_alloc.h"
#include "rta_deadletter.h"
#include "rta_time.h"
#include "rta_utf8.h"
#include "rta_value.h"

#define ORIGINAL_MAX	(1U << 20)	/* bytes of the original kept */

int
rta_deadletter_open(struct rta_deadletter *d, const char *path,
    const char *stage, struct rta_error *err)
{
	memset(d, 0, sizeof(*d));
	d->stage = stage;
	rta_buf_init(&d->line);
	if ((d->path = rta_memdup(path, strlen(path))) == NULL)
		return rta_error_errno(err, path);
	d->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (d->fd < 0) {
		int rc = rta_error_set(err, RTA_EIO, "io", "%s: %s", path,
		    strerror(errno));

		rta_free(d->path);
		d->path = NULL;
		return rc;
	}
	return RTA_OK;
}

int
rta_base64(struct rta_buf *out, const void *s, size_t len)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = s;
	size_t i;

	if (rta_buf_reserve(out, (len + 2) / 3 * 4) != 0)
		return -1;
	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 |
		    p[i + 2];

		out->data[out->len++] = (unsigned char)tab[v >> 18];
		out->data[out->len++] = (unsigned char)tab[(v >> 12) & 63];
		out->data[out->len++] = (unsigned char)tab[(v >> 6) & 63];
		out->data[out->len++] = (unsigned char)tab[v & 63];
	}
	if (i < len) {
		uint32_t v = (uint32_t)p[i] << 16 |
		    (i + 1 < len ? (uint32_t)p[i + 1] << 8 : 0);

		out->data[out->len++] = (unsigned char)tab[v >> 18];
		out->data[out->len++] = (unsigned char)tab[(v >> 12) & 63];
		out->data[out->len++] = i + 1 < len ?
		    (unsigned char)tab[(v >> 6) & 63] : '=';
		out->data[out->len++] = '=';
	}
	return 0;
}

static int
put_u64(struct rta_buf *b, const char *key, uint64_t v)
{
	char num[24];
	size_t n = rta_fmt_i64(num, (int64_t)v);

	return rta_buf_addc(b, ',') || rta_buf_addc(b, '"') ||
	    rta_buf_adds(b, key) || rta_buf_add(b, "\":", 2) ||
	    rta_buf_add(b, num, n);
}

int
rta_deadletter_put(struct rta_deadletter *d, const struct rta_where *w,
    const struct rta_error *e, const void *raw, size_t len, uint64_t total,
    struct rta_error *err)
{
	return rta_deadletter_put_detail(d, w, e, raw, len, total, NULL, 0,
	    err);
}

int
rta_deadletter_put_detail(struct rta_deadletter *d,
    const struct rta_where *w, const struct rta_error *e, const void *raw,
    size_t len, uint64_t total, const char *detail, size_t dlen,
    struct rta_error *err)
{
	struct rta_buf *b = &d->line;
	char ts[RTA_TIME_LEN];
	const unsigned char *p;
	size_t off;
	ssize_t n;
	int bad = 0;

	rta_buf_reset(b);
	rta_time_format(ts, rta_now());
	if (len > ORIGINAL_MAX)
		len = ORIGINAL_MAX;
	bad |= rta_buf_adds(b, "{\"time\":\"");
	bad |= rta_buf_add(b, ts, sizeof(ts));
	bad |= rta_buf_adds(b, "\",\"stage\":");
	bad |= rta_json_put_string(b, d->stage, strlen(d->stage));
	bad |= rta_buf_adds(b, ",\"reason\":");
	bad |= rta_json_put_string(b, e->reason ? e->reason : "error",
	    strlen(e->reason ? e->reason : "error"));
	bad |= rta_buf_adds(b, ",\"error\":");
	bad |= rta_json_put_bytes_lossy(b, e->text, strlen(e->text));
	if (w != NULL && w->source != NULL) {
		bad |= rta_buf_adds(b, ",\"source\":");
		bad |= rta_json_put_bytes_lossy(b, w->source,
		    strlen(w->source));
	}
	if (w != NULL && w->has_kafka) {
		bad |= rta_buf_adds(b, ",\"topic\":");
		bad |= rta_json_put_bytes_lossy(b, w->kafka.topic,
		    w->kafka.topic_len);
		bad |= put_u64(b, "partition", (uint64_t)w->kafka.partition);
		bad |= put_u64(b, "offset", (uint64_t)w->kafka.offset);
	}
	if (w != NULL && w->line > 0)
		bad |= put_u64(b, "line", w->line);
	else if (w != NULL)
		bad |= put_u64(b, "byte_offset", w->offset);
	p = raw;
	if (raw != NULL && rta_utf8_valid(p, len, &off)) {
		bad |= rta_buf_adds(b, ",\"original\":");
		bad |= rta_json_put_string(b, raw, len);
	} else if (raw != NULL) {
		bad |= rta_buf_adds(b, ",\"original_base64\":\"");
		bad |= rta_base64(b, raw, len);
		bad |= rta_buf_addc(b, '"');
	}
	if (raw != NULL && total > len)
		bad |= put_u64(b, "original_length", total);
	if (dlen > 0) {
		bad |= rta_buf_addc(b, ',');
		bad |= rta_buf_add(b, detail, dlen);
	}
	bad |= rta_buf_add(b, "}\n", 2);
	if (bad)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	do
		n = write(d->fd, b->data, b->len);
	while (n < 0 && errno == EINTR);
	if (n < 0 || (size_t)n != b->len)
		return rta_error_set(err, RTA_EIO, "io", "%s: %s", d->path,
		    n < 0 ? strerror(errno) : "short write");
	d->count++;
	return RTA_OK;
}

int
rta_deadletter_close(struct rta_deadletter *d, struct rta_error *err)
{
	int rc = RTA_OK;

	if (d->fd >= 0 && d->path != NULL && close(d->fd) != 0)
		rc = rta_error_set(err, RTA_EIO, "io", "%s: %s", d->path,
		    strerror(errno));
	rta_free(d->path);
	d->path = NULL;
	d->fd = -1;
	rta_buf_release(&d->line);
	return rc;
}
