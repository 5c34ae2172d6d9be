/*
 * rta_emit.h: the producer API.
 *
 * A service that wants to emit events links librta (pkg-config rta) and
 * writes envelopes to a file descriptor or a FILE: each call builds an
 * event with a fresh UUID v7 event_id and the current time, and writes it
 * at once as one NDJSON line or one rta frame.  On a file descriptor every
 * event is a single write(2), so processes appending to one file or pipe
 * never interleave partial lines (below PIPE_BUF, 4096 bytes).
 *
 *	struct rta_emitter *em = rta_emitter_fd(1, RTA_EMIT_NDJSON);
 *	rta_emit(em, "page_view", "acme", "{\"url\":\"/\",\"latency_ms\":12}");
 *	rta_emitter_free(em);
 *
 * examples/producer.c is a complete program.
 */
#ifndef RTA_EMIT_H
#define RTA_EMIT_H

#include <stdint.h>
#include <stdio.h>

#include "rta_event.h"

enum rta_emit_format {
	RTA_EMIT_NDJSON = 0,
	RTA_EMIT_RTA		/* binary frames (rta-format(5)) */
};

struct rta_emitter;

/* New emitters writing to fd or fp (neither is closed by free); NULL when
 * out of memory. */
struct rta_emitter *rta_emitter_fd(int fd, enum rta_emit_format format);
struct rta_emitter *rta_emitter_fp(FILE *fp, enum rta_emit_format format);

/* schema_version of the events that follow (default 1). */
void	rta_emitter_set_version(struct rta_emitter *em, uint32_t version);

/*
 * Emit one event now.  payload_json is a JSON object (or NULL for {}).
 * 0 on success; -1 with rta_emitter_error() saying why (a bad argument,
 * bad JSON, or a write error).
 */
int	rta_emit(struct rta_emitter *em, const char *event_type,
	    const char *tenant_id, const char *payload_json);

/* Emit an event built by the caller (all fields set). 0 or -1. */
int	rta_emit_event(struct rta_emitter *em, const struct rta_event *ev);

/* Why the last call failed (borrowed, valid until the next call). */
const char *rta_emitter_error(const struct rta_emitter *em);

/* Finish (an end-of-stream frame for binary output) and free.  0 or -1
 * if that last write failed.  Accepts NULL. */
int	rta_emitter_free(struct rta_emitter *em);

#endif
