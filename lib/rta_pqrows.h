/*
 * rta_pqrows.h: the rows of a Parquet file as records, for rta_reader
 * (so that `rta-cat part-00000.parquet` and every other program read
 * the cold store).
 *
 * Each row becomes the NDJSON text of one record, which the reader then
 * decodes like any other line.  A file written by `rta-store export`
 * (rta_export.h) carries the columns' paths and null meanings in its
 * metadata, and rebuilds every record with the same members and values
 * (numbers by value, members in column order): raw events with their
 * payload and extra members, aggregate records with their results and
 * states (sketches back in base64); the tenant is the file's.  Any other
 * file (DuckDB's, say) maps by column name: event_id, timestamp (or ts),
 * event_type, tenant_id (else the tenant_id=T directory of the file's
 * path) and schema_version make the envelope, and every other column is
 * a payload member of its name.  Timestamps become RFC 3339 text,
 * binary values base64, NaN and infinities null.
 */
#ifndef RTA_PQROWS_H
#define RTA_PQROWS_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_err.h"

struct rta_pqrows;

/*
 * Open the Parquet file of len bytes at p (borrowed until
 * rta_pqrows_close), named name in messages; path, when it names the
 * file, gives the tenant of a Hive partition.  RTA_OK, RTA_EDATA (not a
 * Parquet file, damaged metadata) or RTA_ENOMEM.
 */
int	rta_pqrows_open(const unsigned char *p, size_t len, const char *name,
	    const char *path, struct rta_pqrows **pr, struct rta_error *err);

/*
 * The next row as one line of NDJSON (no newline) in line, replaced;
 * *row is its number, from 1.  RTA_OK, RTA_EOF after the last row,
 * RTA_EDATA (a row that cannot be a record: invalid UTF-8, say; call
 * again for the next), or RTA_EIO when the file is damaged (no more rows
 * then), RTA_ENOMEM.
 */
int	rta_pqrows_next(struct rta_pqrows *pr, struct rta_buf *line,
	    uint64_t *row, struct rta_error *err);

/*
 * Give only the rows whose envelope time (a timestamp column) is in
 * [from, to): a row group whose statistics rule the range out is not
 * read at all.  A file without a timestamp envelope column gives all its
 * rows.
 */
void	rta_pqrows_range(struct rta_pqrows *pr, int64_t from, int64_t to);
/* Row groups skipped by their statistics, and rows read but left out. */
void	rta_pqrows_skipped(const struct rta_pqrows *pr, uint64_t *groups,
	    uint64_t *rows);

void	rta_pqrows_close(struct rta_pqrows *pr);

#endif /* RTA_PQROWS_H */
