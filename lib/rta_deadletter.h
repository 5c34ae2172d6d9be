/*
 * rta_deadletter.h: the one dead-letter writer of all programs.
 *
 * Each rejected record becomes one NDJSON line, appended with a single
 * write(2) to a file opened O_APPEND, so several stages may share a file:
 *
 *   {"time":"…","stage":"rta-cat","reason":"bad-json",
 *    "error":"expected ':' after key at byte 17",
 *    "source":"events.ndjson","line":42,"original":"…"}
 *
 * The position is "line" for text inputs, "byte_offset" for rta frames,
 * and "topic"/"partition"/"offset" as well for Kafka messages.  The original bytes are
 * a JSON string when they are UTF-8, else "original_base64"; a cut
 * original (a huge line, a run of garbage) adds "original_length".
 */
#ifndef RTA_DEADLETTER_H
#define RTA_DEADLETTER_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_reader.h"

struct rta_deadletter {
	int		 fd;
	char		*path;
	const char	*stage;
	struct rta_buf	 line;
	uint64_t	 count;
};

/* Open path for appending (created 0644); RTA_OK or RTA_EIO. */
int	rta_deadletter_open(struct rta_deadletter *d, const char *path,
	    const char *stage, struct rta_error *err);

/*
 * Append one dead letter: where from (w), why (e: reason and text), and
 * the original bytes raw[0..len) of total.  RTA_OK or RTA_EIO.
 */
int	rta_deadletter_put(struct rta_deadletter *d, const struct rta_where *w,
	    const struct rta_error *e, const void *raw, size_t len,
	    uint64_t total, struct rta_error *err);

/*
 * The same, with more members: detail[0..dlen) is written after the
 * others, as it is ("\"violations\":[...]").
 */
int	rta_deadletter_put_detail(struct rta_deadletter *d,
	    const struct rta_where *w, const struct rta_error *e,
	    const void *raw, size_t len, uint64_t total, const char *detail,
	    size_t dlen, struct rta_error *err);

/* Close (fsync'ing nothing: dead letters are not acknowledged data). */
int	rta_deadletter_close(struct rta_deadletter *d, struct rta_error *err);

/* Append s[0..len) to out as standard base64 with padding. */
int	rta_base64(struct rta_buf *out, const void *s, size_t len);

#endif
