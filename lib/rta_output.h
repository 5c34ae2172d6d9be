/*
 * rta_output.h: where records go.
 *
 * Records are encoded straight into one buffer (NDJSON lines or rta
 * frames, optionally zstd-compressed) that is written to the file
 * descriptor in large writes.  A filter calls rta_output_record per record
 * and rta_output_flush before it may block on input; -u makes every record
 * a flush.  Output to a pipe asks for a 1 MiB pipe buffer.  Frames passed
 * on unchanged from a lender's bytes (a stage's reader) are not copied
 * but written from there, after the buffer (rta_output_lender).
 */
#ifndef RTA_OUTPUT_H
#define RTA_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_event.h"
#include "rta_reader.h"

#define RTA_OUTPUT_SPANS	255	/* runs of lent frames held at most */

struct rta_output {
	int		 fd;
	const char	*name;		/* for messages: "<stdout>" */
	enum rta_format	 format;	/* RTA_FMT_NDJSON or RTA_FMT_RTA */
	int		 unbuffered;
	int		 header_done;
	size_t		 flush_at;
	struct rta_buf	 buf;		/* encoded, not yet compressed */
	void		*zc;		/* ZSTD_CCtx when compressing */
	struct rta_buf	 zbuf;		/* compressed, not yet written */
	int		 failed;	/* a write failed: errno in fail_errno */
	int		 fail_errno;
	uint64_t	 records;
	uint64_t	 bytes;		/* bytes written to fd */
	/* called after each write of the whole buffer has returned (a
	 * program that journals what reached the output sets it after
	 * rta_output_init) */
	void		(*written)(void *arg);
	void		*written_arg;
	/*
	 * Frames passed on unchanged are not copied when their bytes are
	 * lent (rta_output_lender): the output keeps runs of them where
	 * they lie, after the buffer, and writes them with it in one
	 * writev.  lends says whether n bytes at p may be kept so; whoever
	 * lends them calls rta_output_settle before they change.
	 */
	int		(*lends)(void *arg, const void *p, size_t n);
	void		*lends_arg;
	struct rta_span {
		const unsigned char *p;
		size_t		 len;
	}		 span[RTA_OUTPUT_SPANS];	/* the runs of lent frames */
	size_t		 nspan;
	size_t		 span_bytes;
};

/* Start writing to fd in format (RTA_FMT_NDJSON or RTA_FMT_RTA). */
void	rta_output_init(struct rta_output *o, int fd, const char *name,
	    enum rta_format format);

/* Compress with zstd at level (1 to 19); RTA_OK or RTA_ENOMEM. */
int	rta_output_compress(struct rta_output *o, int level,
	    struct rta_error *err);

/* Append one record.  RTA_OK; RTA_EDATA ("too-large") for a record that
 * no frame can hold (nothing is written; the stream goes on); or
 * RTA_EIO/RTA_ENOMEM with err set (o->fail_errno is EPIPE when the reader
 * went away). */
int	rta_output_record(struct rta_output *o, const struct rta_record *rec,
	    struct rta_error *err);

/* Append bytes as they are (for formats the caller encodes itself). */
int	rta_output_bytes(struct rta_output *o, const void *p, size_t len,
	    struct rta_error *err);

/*
 * Frames that lends(arg, p, n) says may be kept where they are are not
 * copied (rta frames, uncompressed, buffered output only).
 */
void	rta_output_lender(struct rta_output *o,
	    int (*lends)(void *, const void *, size_t), void *arg);

/* Write out the lent frames kept so far (and what is buffered before
 * them), because their bytes are about to change. */
int	rta_output_settle(struct rta_output *o, struct rta_error *err);

/* Write out everything buffered (and a zstd flush, so a reader can
 * decode it all now). */
int	rta_output_flush(struct rta_output *o, struct rta_error *err);

/* Finish: an end frame for rta output, the zstd epilogue, a last write.
 * Frees the buffers; the fd is not closed. */
int	rta_output_close(struct rta_output *o, struct rta_error *err);

/* Free buffers without writing (after a failure). */
void	rta_output_release(struct rta_output *o);

#endif
