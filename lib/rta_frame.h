/*
 * rta_frame.h: the binary stream ("rta frames"), the fast path between
 * stages.  man/rta-format.5 is the specification; in short:
 *
 * A stream starts with a 12-byte header, which may recur (so that
 * `cat a.rta b.rta` is a valid stream):
 *	8 bytes magic 89 52 54 41 0D 0A 1A 0A, u16 version (1), u16 flags (0)
 * then frames, each a 12-byte header and a body:
 *	u32 body length, u8 type, u8 flags (0),
 *	u16 header check (low 16 bits of CRC-32C of the 6 bytes before it),
 *	u32 CRC-32C of the body
 * Types: 'E' event, 'W' watermark, 'P' source position, 'Z' end of stream.
 * The magic, read as a frame length, exceeds any allowed body, so the two
 * can never be confused.  All integers are little-endian.
 *
 * Event body, fixed places first:
 *	i64 timestamp (µs UTC), u32 schema_version,
 *	u8 event_id length, u8 event_type length, u8 tenant_id length,
 *	u8 flags (bit 0: an extra object follows the payload),
 *	u32 payload length, then the three strings, the payload (an object
 *	value, rta_value.h) and the extra object if flagged.
 * Watermark body: i64 µs.  Position body: i32 partition, i64 offset, topic
 * bytes (the rest).  End body: empty.
 */
#ifndef RTA_FRAME_H
#define RTA_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_event.h"

#define RTA_FRAME_MAGIC		"\x89RTA\r\n\x1a\n"
#define RTA_FORMAT_VERSION	1
#define RTA_STREAM_HEADER_LEN	12
#define RTA_FRAME_HEADER_LEN	12
#define RTA_FRAME_MAX		(16U << 20)	/* default body limit */
#define RTA_EVENT_FIXED_LEN	20

enum rta_frame_type {
	RTA_FRAME_EVENT = 'E',
	RTA_FRAME_AGGREGATE = 'A',
	RTA_FRAME_WATERMARK = 'W',
	RTA_FRAME_POSITION = 'P',
	RTA_FRAME_END = 'Z'
};

/* Append the stream header; 0 or -1 (ENOMEM). */
int	rta_frame_put_header(struct rta_buf *out);

/*
 * Append rec as one frame; 0, or -1 with errno ENOMEM, EMSGSIZE when the
 * body would exceed RTA_FRAME_MAX or a field its width (a topic longer
 * than RTA_TOPIC_MAX), or EINVAL for a record kind with no frame form
 * (RTA_REC_VALUE).  Nothing is appended on failure.
 */
int	rta_frame_put(struct rta_buf *out, const struct rta_record *rec);

/* 1 if rta_frame_put would write rec as the bytes of the frame it was
 * decoded from (ev.frame), which are then its frame as they are. */
int	rta_frame_verbatim(const struct rta_record *rec);

/* 1 if the avail bytes at p start with the stream magic (or, when fewer
 * than 8 are given, with a prefix of it). */
int	rta_frame_is_magic(const unsigned char *p, size_t avail);

/*
 * Look at the unit that starts at p (avail bytes present).  RTA_OK: *size
 * is its total length (header + body) and *is_header says whether it is a
 * stream header; the caller must then have *size bytes before decoding.
 * RTA_EOF: fewer than 12 bytes present, call again with more.  RTA_EDATA
 * ("bad-frame"): not a valid header (bad magic, flags, header check, or a
 * length above max_body); "bad-version": a stream header of a version this
 * code does not read, so nothing after it can be read either.  Nothing is allocated, whatever the
 * declared length.
 */
int	rta_frame_probe(const unsigned char *p, size_t avail, size_t max_body,
	    int *is_header, size_t *size, struct rta_error *err);

/*
 * Decode the complete frame of size bytes at p into rec (which then
 * borrows from p).  Checks the CRC ("bad-crc") and the whole body
 * ("bad-frame", "bad-utf8", "too-deep", ...) so that nothing it returns
 * needs checking again.
 */
int	rta_frame_decode(const unsigned char *p, size_t size,
	    unsigned max_depth, size_t max_members, struct rta_record *rec,
	    struct rta_error *err);

/*
 * The same with flags: RTA_DECODE_PADDED for a frame followed in memory
 * by at least 16 readable bytes, which lets the checks read whole
 * vectors (the reader pads its buffer for this); RTA_DECODE_SUMMED for a
 * frame inside bytes whose own checksum the caller has just verified (a
 * store segment's block, whose records were checked whole when ingested
 * and compacted): the frame's checksum is not checked again, and of its
 * values only their shape (rta_value_check_shape), which is what keeps
 * every later read inside them; an aggregate payload's member names are
 * not checked either (a record's meaning was checked when it was
 * ingested; what a changed file can break is the reading).  Every other
 * check is made as by rta_frame_decode.  RTA_DECODE_STORED is for a
 * frame of a store's log, written there only after it was checked whole:
 * its checksum is checked (bytes that changed since are refused), and of
 * its values only their shape, as for RTA_DECODE_SUMMED.  RTA_DECODE_CHECKED is for a frame that this function
 * has already decoded without error, with the same limits and
 * RTA_DECODE_PADDED, in bytes that have not changed since (the reader's
 * read-ahead thread checks frames before they are used): the record is
 * filled in again and nothing is checked.
 */
#define RTA_DECODE_PADDED	1
#define RTA_DECODE_SUMMED	2
#define RTA_DECODE_STORED	4
#define RTA_DECODE_CHECKED	8

int	rta_frame_decode_padded(const unsigned char *p, size_t size,
	    unsigned max_depth, size_t max_members, int flags,
	    struct rta_record *rec, struct rta_error *err);

/*
 * After damage: the offset of the first position in p[1..avail) where a
 * stream header, or a frame header of a known type with a valid check,
 * starts (or a prefix of one that the end of the bytes cuts), or avail if
 * there is none.  A candidate is only that: the caller confirms a frame by
 * its body checksum before trusting its length.
 */
size_t	rta_frame_resync(const unsigned char *p, size_t avail,
	    size_t max_body);

/*
 * A look at unchecked bytes, for fetching ahead (see rta_reader_ahead):
 * what the unit at p seems to be, reading only p[0..avail).
 */
struct rta_frame_hint {
	int			 type;		/* frame type (0: header) */
	const unsigned char	*payload;	/* event: its payload value, */
	size_t			 payload_len;	/* as much as avail holds */
	/* event, when its ids are all within avail (else id is NULL) */
	int64_t			 ts;
	uint32_t		 schema_version;
	const char		*id, *etype, *tenant;
	uint8_t			 id_len, etype_len, tenant_len;
};

/*
 * 1 if the avail bytes at p start with a stream header or a frame header
 * with a good header check and a body length within RTA_FRAME_MAX: then
 * *size is the unit's total length (it may exceed avail) and h says what
 * it is; for an event whose fixed part is there and whose lengths agree
 * with the frame's, h->id, h->etype and h->tenant point at its ids, with
 * h->ts and h->schema_version, and h->payload at the payload (else they
 * are NULL).  0 for
 * anything else, a cut header included.  Nothing is checked beyond that
 * (no body CRC, no UTF-8, no payload structure): the result is a hint to
 * be confirmed by rta_frame_decode, never a substitute for it.
 */
int	rta_frame_peek(const unsigned char *p, size_t avail, size_t *size,
	    struct rta_frame_hint *h);

#endif
