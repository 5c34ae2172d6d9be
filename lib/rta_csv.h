/*
 * rta_csv.h: CSV rows as events (RFC 4180 through libcsv).
 *
 * The first row names the columns.  Columns named event_id, timestamp,
 * event_type, tenant_id and schema_version (or the names given in the
 * options) fill the envelope; every other column becomes a payload field,
 * in column order.  Unless inference is off, a field that reads as a JSON
 * number becomes a number, true/false a boolean, and an empty unquoted
 * field null; anything else is a string.  Without an id column each row
 * gets a UUID v8 derived from its line number and bytes, the same on every
 * run over the same file.
 */
#ifndef RTA_CSV_H
#define RTA_CSV_H

#include <csv.h>
#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_event.h"

struct rta_csv_opts {
	unsigned char	 delim;		/* ',' */
	int		 no_infer;	/* every field a string */
	const char	*id_col;	/* column names (NULL: the defaults) */
	const char	*time_col;
	const char	*type_col;
	const char	*tenant_col;
	const char	*version_col;
	const char	*type;		/* constants when there is no column */
	const char	*tenant;
	enum rta_epoch_unit epoch_unit;
};

struct rta_csv {
	struct csv_parser	 parser;
	struct rta_csv_opts	 opts;
	int			 parser_ok;
	int			 have_header;
	int			 fatal;		/* header unusable */
	struct rta_buf		 names;		/* header: u32 len + bytes */
	size_t			 ncols;
	long			 col[5];	/* id, ts, type, tenant, version */
	/* the row being assembled: fields as u8 null flag, u32 len, bytes */
	struct rta_buf		 row;
	size_t			 row_fields;
	int			 row_error;	/* a field callback failed */
	/* complete rows waiting, same layout with a u32 count first */
	struct rta_buf		 done;
	size_t			 done_pos;
	size_t			 done_rows;
	/* the event built from the last row */
	struct rta_buf		 payload;
	struct rta_buf		 strings;
	char			 idbuf[40];
};

void	rta_csv_opts_init(struct rta_csv_opts *o);
int	rta_csv_init(struct rta_csv *c, const struct rta_csv_opts *o);
void	rta_csv_release(struct rta_csv *c);

/*
 * Feed bytes (normally one physical line with its newline; final marks the
 * end of the input).  Complete rows are queued.  RTA_OK, or RTA_EDATA
 * ("bad-csv") when the bytes break the CSV syntax: the row being built is
 * dropped and the parser starts afresh on the next line.
 */
int	rta_csv_feed(struct rta_csv *c, const void *p, size_t len, int final,
	    struct rta_error *err);

/*
 * Turn the next queued row into an event.  RTA_OK; RTA_EOF when no row is
 * queued; RTA_EDATA ("bad-csv", "bad-timestamp", "missing-field", ...) for
 * a bad row.  The first row is the header and yields no record: RTA_EOF,
 * or RTA_EDATA with c->fatal set when it cannot be used.  line and raw
 * (the row's first line number and original bytes) derive the id when
 * there is no id column.
 */
int	rta_csv_next(struct rta_csv *c, struct rta_record *rec, uint64_t line,
	    const void *raw, size_t rawlen, struct rta_error *err);

/* Forget the row being assembled and restart the parser (the header is
 * kept): after a syntax error or an overlong row. */
void	rta_csv_drop_row(struct rta_csv *c);

/* Rows queued and not yet taken. */
size_t	rta_csv_pending(const struct rta_csv *c);

#endif
