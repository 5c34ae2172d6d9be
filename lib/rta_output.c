/*
 * rta_output.c: buffered, optionally compressed record output.
 *
 * The buffer is written when it passes flush_at (256 KiB: big enough that
 * write(2) costs little per record, small enough to stay in cache), at
 * each explicit flush, and at close.  Writes loop over short writes and
 * EINTR; a failure is sticky, so a filter notices it at its next record
 * and stops instead of computing output that cannot be delivered.
 *
 * Lent frames are kept as runs (pointer and length) and count towards
 * flush_at as if copied; a write sends the buffer and then the runs with
 * one writev.  Whatever the output copies goes after the runs, so they
 * are copied into the buffer first (absorb): a write never happens
 * between a record's being handed over and its being in the output.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <zstd.h>

#include "rta_frame.h"
#include "rta_output.h"

#define FLUSH_AT	(256U * 1024)

void
rta_output_init(struct rta_output *o, int fd, const char *name,
    enum rta_format format)
{
	struct stat st;

	memset(o, 0, sizeof(*o));
	o->fd = fd;
	o->name = name;
	o->format = format == RTA_FMT_RTA ? RTA_FMT_RTA : RTA_FMT_NDJSON;
	o->flush_at = FLUSH_AT;
	rta_buf_init(&o->buf);
	rta_buf_init(&o->zbuf);
#ifdef F_SETPIPE_SZ
	if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
		(void)fcntl(fd, F_SETPIPE_SZ, 1 << 20);
#else
	(void)st;
#endif
}

int
rta_output_compress(struct rta_output *o, int level, struct rta_error *err)
{
	ZSTD_CCtx *zc = ZSTD_createCCtx();

	if (zc == NULL)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	ZSTD_CCtx_setParameter(zc, ZSTD_c_compressionLevel, level);
	ZSTD_CCtx_setParameter(zc, ZSTD_c_checksumFlag, 1);
	o->zc = zc;
	return RTA_OK;
}

/*
 * Write the buffer's n bytes at p, then the lent runs, in one writev
 * when there are runs (a single write(2) otherwise).
 */
static int
write_out(struct rta_output *o, const unsigned char *p, size_t n,
    struct rta_error *err)
{
	struct iovec iov[RTA_OUTPUT_SPANS + 1], *v = iov;
	size_t k = 0, i;

	if (n > 0) {
		iov[k].iov_base = (void *)(uintptr_t)p;
		iov[k++].iov_len = n;
	}
	for (i = 0; i < o->nspan; i++) {
		iov[k].iov_base = (void *)(uintptr_t)o->span[i].p;
		iov[k++].iov_len = o->span[i].len;
	}
	while (k > 0) {
		ssize_t w = k == 1 ? write(o->fd, v->iov_base, v->iov_len) :
		    writev(o->fd, v, (int)k);
		size_t left;

		if (w < 0) {
			if (errno == EINTR)
				continue;
			o->failed = 1;
			o->fail_errno = errno;
			return rta_error_set(err, RTA_EIO, "io",
			    "write error: %s", strerror(errno));
		}
		o->bytes += (uint64_t)w;
		for (left = (size_t)w; k > 0 && left >= v->iov_len; v++, k--)
			left -= v->iov_len;
		if (k > 0) {
			v->iov_base = (char *)v->iov_base + left;
			v->iov_len -= left;
		}
	}
	return RTA_OK;
}

/* Push o->buf through zstd (mode: continue, flush or end) into fd. */
static int
drain(struct rta_output *o, int mode, struct rta_error *err)
{
	ZSTD_inBuffer in;
	int rc;

	if (o->failed)
		return rta_error_set(err, RTA_EIO, "io", "write error: %s",
		    strerror(o->fail_errno));
	if (o->zc == NULL) {
		rc = write_out(o, o->buf.data, o->buf.len, err);
		o->buf.len = 0;
		o->nspan = 0;
		o->span_bytes = 0;
		if (rc == RTA_OK && o->written != NULL)
			o->written(o->written_arg);
		return rc;
	}
	in.src = o->buf.data;
	in.size = o->buf.len;
	in.pos = 0;
	for (;;) {
		ZSTD_outBuffer out;
		size_t left, cap = ZSTD_CStreamOutSize();

		if (rta_buf_reserve(&o->zbuf, cap) != 0)
			return rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory");
		out.dst = o->zbuf.data;
		out.size = cap;
		out.pos = 0;
		left = ZSTD_compressStream2(o->zc, &out, &in,
		    (ZSTD_EndDirective)mode);
		if (ZSTD_isError(left))
			return rta_error_set(err, RTA_EIO, "io", "zstd: %s",
			    ZSTD_getErrorName(left));
		/* (compressed output holds no lent runs) */
		if ((rc = write_out(o, out.dst, out.pos, err)) != RTA_OK)
			return rc;
		if (mode == ZSTD_e_continue ? in.pos == in.size : left == 0)
			break;
	}
	o->buf.len = 0;
	if (o->written != NULL)
		o->written(o->written_arg);
	return RTA_OK;
}

void
rta_output_lender(struct rta_output *o,
    int (*lends)(void *, const void *, size_t), void *arg)
{
	o->lends = lends;
	o->lends_arg = arg;
}

int
rta_output_settle(struct rta_output *o, struct rta_error *err)
{
	if (o->nspan == 0)
		return RTA_OK;
	return drain(o, ZSTD_e_continue, err);
}

/*
 * Copy the kept runs into the buffer (their bytes are still lent), so
 * that what the caller appends next goes after them without a write
 * first: a write, and the written hook after it, must never come
 * between a record the caller has handed over and its being in the
 * output (rta-dedup journals a record's key from that hook).  0, or -1
 * out of memory (the runs not copied are still kept).
 */
static int
absorb(struct rta_output *o)
{
	size_t i;

	for (i = 0; i < o->nspan; i++)
		if (rta_buf_add(&o->buf, o->span[i].p, o->span[i].len) != 0) {
			memmove(o->span, o->span + i,
			    (o->nspan - i) * sizeof(o->span[0]));
			o->nspan -= i;
			return -1;
		}
	o->nspan = 0;
	o->span_bytes = 0;
	return 0;
}

/* Keep the unchanged frame of rec where it lies, if its bytes are lent:
 * 1 if kept (and counted), 0 to copy it, -1 on a write error. */
static int
keep_frame(struct rta_output *o, const struct rta_record *rec,
    struct rta_error *err)
{
	const unsigned char *f = rec->ev.frame;
	size_t n = rec->ev.frame_len;

	if (o->lends == NULL || o->zc != NULL || o->unbuffered ||
	    !rta_frame_verbatim(rec) || !o->lends(o->lends_arg, f, n))
		return 0;
	if (o->nspan > 0 && o->span[o->nspan - 1].p +
	    o->span[o->nspan - 1].len == f)
		o->span[o->nspan - 1].len += n;
	else {
		o->span[o->nspan].p = f;
		o->span[o->nspan++].len = n;
	}
	o->span_bytes += n;
	o->records++;
	/* as a copied record would: written once there is enough */
	if ((o->nspan == RTA_OUTPUT_SPANS ||
	    o->buf.len + o->span_bytes >= o->flush_at) &&
	    drain(o, ZSTD_e_continue, err) != RTA_OK)
		return -1;
	return 1;
}

int
rta_output_bytes(struct rta_output *o, const void *p, size_t len,
    struct rta_error *err)
{
	if (o->failed)
		return rta_error_set(err, RTA_EIO, "io", "write error: %s",
		    strerror(o->fail_errno));
	/* bytes go after the lent frames */
	if (absorb(o) != 0)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	if (rta_buf_add(&o->buf, p, len) != 0)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	if (o->unbuffered)
		return rta_output_flush(o, err);
	if (o->buf.len >= o->flush_at)
		return drain(o, ZSTD_e_continue, err);
	return RTA_OK;
}

int
rta_output_record(struct rta_output *o, const struct rta_record *rec,
    struct rta_error *err)
{
	int r;

	if (o->failed)
		return rta_error_set(err, RTA_EIO, "io", "write error: %s",
		    strerror(o->fail_errno));
	if (o->format == RTA_FMT_RTA) {
		if (!o->header_done) {
			if (rta_frame_put_header(&o->buf) != 0)
				goto nomem;
			o->header_done = 1;
		}
		if ((r = keep_frame(o, rec, err)) < 0)
			return err->code;
		if (r > 0)
			return RTA_OK;
		if (absorb(o) != 0)
			goto nomem;
		r = rta_frame_put(&o->buf, rec);
	} else
		r = rta_ndjson_put(&o->buf, rec);
	if (r != 0 && errno == EMSGSIZE)
		return rta_error_set(err, RTA_EDATA, "too-large",
		    "record too large for an rta frame (%u bytes at most)",
		    RTA_FRAME_MAX);
	if (r != 0 && errno == EINVAL)
		return rta_error_set(err, RTA_EINVAL, "no-frame",
		    "a plain JSON value has no rta frame form (use -o ndjson)");
	if (r != 0)
		goto nomem;
	o->records++;
	/*
	 * Unbuffered, a position record waits for the records it
	 * introduces (rta-format(5)), so that they go out in one write:
	 * another writer to the same pipe (one rta-cat per Kafka
	 * partition) cannot come between them and have its records taken
	 * for this position's.
	 */
	if (o->unbuffered && rec->kind != RTA_REC_POSITION)
		return rta_output_flush(o, err);
	if (o->buf.len >= o->flush_at)
		return drain(o, ZSTD_e_continue, err);
	return RTA_OK;
nomem:
	return rta_error_set(err, RTA_ENOMEM, "no-memory", "out of memory");
}

int
rta_output_flush(struct rta_output *o, struct rta_error *err)
{
	if (o->buf.len == 0 && o->nspan == 0 && o->zc == NULL)
		return o->failed ? rta_error_set(err, RTA_EIO, "io",
		    "write error: %s", strerror(o->fail_errno)) : RTA_OK;
	return drain(o, ZSTD_e_flush, err);
}

int
rta_output_close(struct rta_output *o, struct rta_error *err)
{
	struct rta_record end;
	int rc = RTA_OK;

	if (!o->failed && o->format == RTA_FMT_RTA) {
		/* a binary stream always says it ended cleanly */
		if (absorb(o) != 0) {
			rta_output_release(o);
			return rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory");
		}
		memset(&end, 0, sizeof(end));
		end.kind = RTA_REC_END;
		if ((!o->header_done && rta_frame_put_header(&o->buf) != 0) ||
		    rta_frame_put(&o->buf, &end) != 0)
			rc = rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory");
		o->header_done = 1;
	}
	if (rc == RTA_OK)
		rc = drain(o, ZSTD_e_end, err);
	rta_output_release(o);
	return rc;
}

void
rta_output_release(struct rta_output *o)
{
	if (o->zc != NULL)
		ZSTD_freeCCtx(o->zc);
	o->zc = NULL;
	o->nspan = 0;
	o->span_bytes = 0;
	rta_buf_release(&o->buf);
	rta_buf_release(&o->zbuf);
}
