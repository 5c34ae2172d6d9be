/*
 * rta_reftable.h: reference tables for joins (rta-enrich --ref).
 *
 * A table is read whole from a CSV file with a header row or from an
 * NDJSON file of objects, and indexed by the text of one key column.
 * Each row keeps the members it contributes to an event already encoded
 * (rta_value.h object members: u32 name length, name, value), names with
 * the prefix applied, so that a join is a lookup and a copy.
 *
 * CSV cells are typed as a Miller or DuckDB user expects: a cell that
 * reads as a JSON number is a number (an int when it is an integer that
 * fits int64), true and false are booleans, anything else is a string.
 * An empty cell (nothing between the delimiters) is absent: the row adds
 * no member for it.  A quoted empty cell ("") is the empty string.
 * NDJSON members are copied as they are, null included.
 *
 * Keys are compared as text, the text rta_fval_text gives for a value:
 * a CSV key "42" matches an event's 42 and "42", not 42.0.
 *
 * With valid_from/valid_to (effective dating) a key may have several
 * rows whose intervals [from, to) do not overlap; an empty (CSV) or
 * missing/null (NDJSON) bound is open.  A lookup then finds the row
 * valid at the event's time.
 *
 *	struct rta_reftable *t;
 *	uint64_t line;
 *	if (rta_reftable_load(&t, "users.csv", &o, &line, &err) != RTA_OK)
 *		warn "users.csv:<line>: <err.text>";
 *	if (rta_reftable_lookup(t, key, klen, ev.ts, &row))
 *		rta_reftable_join(&out, ev.payload, &row, NULL, 0, &err);
 *	rta_reftable_free(t);
 */
#ifndef RTA_REFTABLE_H
#define RTA_REFTABLE_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_time.h"

enum rta_ref_format {
	RTA_REF_AUTO = 0,	/* by extension: .csv, .ndjson or .jsonl */
	RTA_REF_CSV,
	RTA_REF_NDJSON
};

/* "csv", "ndjson"; 0 or -1. */
int	rta_ref_format_parse(const char *s, enum rta_ref_format *f);
/* The format a file name says (.csv; .ndjson or .jsonl), or
 * RTA_REF_AUTO when it says none. */
enum rta_ref_format rta_ref_format_guess(const char *path);

/* Nesting allowed in NDJSON table values (they land inside payloads). */
#define RTA_REF_MAX_DEPTH	32

struct rta_reftable_opts {
	enum rta_ref_format	 format;
	const char		*key;		/* key column (required) */
	const char *const	*fields;	/* columns to copy, in order */
	size_t			 nfields;	/* 0: all but key and validity */
	const char		*prefix;	/* before member names; NULL: "" */
	const char		*valid_from;	/* both or neither; NULL: not */
	const char		*valid_to;	/* effective-dated */
	const char *const	*defaults;	/* "COL=VALUE" for missing keys */
	size_t			 ndefaults;
	size_t			 max_line;	/* longest row; 0: 1 MiB */
	enum rta_epoch_unit	 epoch_unit;	/* numbers as validity bounds */
};

void	rta_reftable_opts_init(struct rta_reftable_opts *o);

struct rta_reftable;

/*
 * Read and index the table at path.  On success *tp is a new table (free
 * it with rta_reftable_free) and RTA_OK is returned.  Otherwise *tp is
 * NULL, *line is the 1-based line of the problem (0 when it is not about
 * a line: the file cannot be read, an option names no column) and err
 * says what, without the path:
 *   RTA_EIO	the file cannot be opened or read (err: strerror)
 *   RTA_EDATA	"ragged-row", "duplicate-key", "bad-utf8", "no-key",
 *		"empty-key", "bad-time", "bad-csv", "bad-json", "no-column",
 *		"bad-default"
 *   RTA_ELIMIT	a row longer than max_line ("line-too-long")
 *   RTA_EINVAL	the format cannot be told from the name ("bad-format")
 *   RTA_ENOMEM
 * Sizes in the file never decide an allocation on their own: rows are
 * bounded by max_line and buffers grow geometrically.
 */
int	rta_reftable_load(struct rta_reftable **tp, const char *path,
	    const struct rta_reftable_opts *o, uint64_t *line,
	    struct rta_error *err);

/* Accepts NULL. */
void	rta_reftable_free(struct rta_reftable *t);

/* Rows loaded (every version of an effective-dated key counts). */
size_t	rta_reftable_rows(const struct rta_reftable *t);

/* What one row adds: count encoded members, len bytes (borrowed from the
 * table until it is freed). */
struct rta_refrow {
	const unsigned char	*members;
	size_t			 len;
	uint32_t		 count;
};

/*
 * The row for the key text key[0..len), valid at time ts when the table
 * is effective-dated (ts is ignored otherwise).  1 with *row set, or 0.
 */
int	rta_reftable_lookup(const struct rta_reftable *t, const char *key,
	    size_t len, int64_t ts, struct rta_refrow *row);

/*
 * Fetching ahead.  A lookup that hits costs two dependent cache misses,
 * the index slot and then the row; a stage that knows the keys of the
 * events to come can start both early, in two steps some events apart:
 *
 *	h = rta_reftable_hash(t, key, len);	(event i + 2D)
 *	rta_reftable_prefetch_slot(t, h);
 *	...
 *	rta_reftable_prefetch_row(t, h);	(event i + D: slot cached)
 *	...
 *	rta_reftable_lookup(t, key, len, ts, &row);	(event i)
 *
 * None of these changes anything or can fail; a hash is only good for
 * the table it was computed for.  A wrong key costs a wasted fetch.
 */
uint64_t rta_reftable_hash(const struct rta_reftable *t, const char *key,
	    size_t len);
/* Start fetching the index slot of the key hashed to h. */
void	rta_reftable_prefetch_slot(const struct rta_reftable *t, uint64_t h);
/* Read that slot (it should be in cache by now) and start fetching the
 * row it points to. */
void	rta_reftable_prefetch_row(const struct rta_reftable *t, uint64_t h);
/* Bytes the index and rows take: fetching ahead pays only for a table
 * much bigger than the caches close to the core. */
size_t	rta_reftable_bytes(const struct rta_reftable *t);
/* Hash and prefetch the slot in one call. */
void	rta_reftable_prefetch(const struct rta_reftable *t, const char *key,
	    size_t len);

/* The row built from the defaults: 1 with *row set, or 0 if none were
 * given. */
int	rta_reftable_defaults(const struct rta_reftable *t,
	    struct rta_refrow *row);

/*
 * Append to out (emptied first) the object payload (a checked object
 * value) with row's members added after the payload's own: with into
 * NULL each at the top level, where a payload member of the same name is
 * dropped (the row's value wins); else together as one object member
 * into[0..intolen), which replaces any payload member of that name.  RTA_OK, RTA_ELIMIT ("too-many-members": the
 * result would have more than RTA_VALUE_MAX_MEMBERS members) or
 * RTA_ENOMEM, with err set.
 */
int	rta_reftable_join(struct rta_buf *out, const unsigned char *payload,
	    const struct rta_refrow *row, const char *into, size_t intolen,
	    struct rta_error *err);

#endif
