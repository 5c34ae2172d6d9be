/*
 * rta_reader.h: records from inputs, whatever their encoding.
 *
 * One reader serves every program.  It opens operands through rta_input,
 * tells NDJSON from rta frames and Parquet files by the first bytes (a
 * magic header starts a binary stream, "PAR1" a Parquet file, which is
 * read whole and decoded by rta_pqrows; anything else is NDJSON), or
 * reads the format it is told
 * (CSV, kcat -J envelopes), splits lines or frames, decodes them and keeps
 * track of where each record came from, for messages and dead letters.
 * Memory is bounded by the limits in the options, never by the input:
 * a line longer than max_line is rejected without being held whole.
 */
#ifndef RTA_READER_H
#define RTA_READER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "rta_csv.h"
#include "rta_err.h"
#include "rta_event.h"

#define RTA_LINE_MAX	(1U << 20)	/* default NDJSON/CSV line limit */

enum rta_format {
	RTA_FMT_AUTO = 0,	/* NDJSON or rta frames, by the first bytes */
	RTA_FMT_NDJSON,
	RTA_FMT_RTA,
	RTA_FMT_CSV,
	RTA_FMT_KCAT,		/* kcat -J: one message envelope per line */
	RTA_FMT_VALUES,		/* any JSON document per line (no envelope) */
	RTA_FMT_PARQUET		/* a Parquet file: a record per row */
};

/* "auto", "ndjson", "rta", "csv", "kcat-json", "parquet"; 0 or -1.  (VALUES is
 * chosen by programs, not named by users.) */
int	rta_format_parse(const char *s, enum rta_format *f);
const char *rta_format_name(enum rta_format f);

struct rta_reader_opts {
	enum rta_format		 format;
	size_t			 max_line;
	size_t			 max_frame;
	unsigned		 max_depth;
	size_t			 max_members;
	enum rta_epoch_unit	 epoch_unit;
	int			 follow;
	int			 ahead;		/* read ahead in a thread */
	struct rta_csv_opts	 csv;
	void			(*idle)(void *);
	void			*idle_arg;
	/* called before bytes of records already returned change (a
	 * buffer is reused), for a caller that keeps them meanwhile
	 * (rta_output_lender) */
	void			(*moving)(void *);
	void			*moving_arg;
};

void	rta_reader_opts_init(struct rta_reader_opts *o);

/* Where the last record, or the last bad one, came from. */
struct rta_where {
	const char		*source;	/* input or member name */
	uint64_t		 line;		/* 1-based; 0 for frames */
	uint64_t		 offset;	/* byte offset in the member */
	int			 has_kafka;
	struct rta_position	 kafka;		/* for kcat input */
	uint64_t		 serial;	/* changes with the source */
};

struct rta_reader;

/* A new reader (NULL on ENOMEM); o is copied. */
struct rta_reader *rta_reader_new(const struct rta_reader_opts *o);
void	rta_reader_free(struct rta_reader *r);

/* Open the next operand (NULL or "-" is stdin); RTA_OK or RTA_EIO. */
int	rta_reader_open(struct rta_reader *r, const char *operand,
	    struct rta_error *err);

/*
 * The next record of the open operand.
 *   RTA_OK		rec is set; it borrows from the reader until the next
 *			call.
 *   RTA_EOF		the operand is finished (the reader closed it).
 *   RTA_EDATA		a bad record (reason in err): rta_reader_where and
 *   RTA_ELIMIT		rta_reader_raw describe it; call again to go on.
 *   RTA_EIO, RTA_ENOMEM  the operand failed; the reader closed it.
 */
int	rta_reader_next(struct rta_reader *r, struct rta_record *rec,
	    struct rta_error *err);

const struct rta_where *rta_reader_where(const struct rta_reader *r);

/*
 * The original bytes of the last record or bad record: *len of them at
 * *p, out of *total (more when a long line or run of garbage was cut).
 */
void	rta_reader_raw(const struct rta_reader *r, const unsigned char **p,
	    size_t *len, uint64_t *total);

/*
 * A look-ahead hint: the bytes already read past the last record, *len
 * of them at *p (none: *len 0), so that a stage can start fetching what
 * the next records will need before it asks for them.  They follow the
 * last record's raw bytes (rta_reader_raw) in the input: for rta frames
 * the next frames, from member offset where->offset + raw length on; for
 * NDJSON the next lines (after the newline the raw bytes leave out).
 * CSV and kcat -J inputs give none, since their records do not end where
 * their bytes do.  They are the input as it is, checked for nothing: they may
 * end inside a record, hold damage or a stream header, or belong to
 * another encoding after an end frame.  Valid until the next call on the
 * reader; none when no operand is open.
 */
void	rta_reader_ahead(const struct rta_reader *r, const unsigned char **p,
	    size_t *len);

/* Encoding of the current input: RTA_FMT_NDJSON or RTA_FMT_RTA once
 * known (CSV and kcat inputs report NDJSON), else RTA_FMT_AUTO. */
enum rta_format rta_reader_encoding(const struct rta_reader *r);

/* Progress of the open operand: bytes read and total (-1 if unknown). */
void	rta_reader_progress(const struct rta_reader *r, off_t *done,
	    off_t *total);

/*
 * 1 if the n bytes at p are inside the reader's buffer, where the bytes
 * of returned records stay unchanged until o.moving is called.
 */
int	rta_reader_holds(const struct rta_reader *r, const void *p, size_t n);

/* 1 while an operand is open. */
int	rta_reader_is_open(const struct rta_reader *r);

/* Close the open operand, if any. */
void	rta_reader_close(struct rta_reader *r);

#endif
