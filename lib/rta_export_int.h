/*
 * rta_export_int.h: internal to rta_export*.c, not part of the API (see
 * rta_export.h for that).  rta_export_cols.c learns a day's columns from
 * its records and puts records in them; rta_export_state.c keeps
 * DIR/DATASET/.rta-exported; rta_export.c reads the days, tenant by
 * tenant, writes and publishes the files.  This is what they share.
 */
#ifndef RTA_EXPORT_INT_H
#define RTA_EXPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_event.h"
#include "rta_export.h"
#include "rta_parquet.h"

#define DAY_US		(86400LL * 1000000LL)

/* A member's type, as learned from the day's records. */
enum ct {
	CT_NONE, CT_BOOL, CT_INT, CT_DOUBLE, CT_STRING, CT_TIME, CT_SKETCH,
	CT_OBJECT, CT_JSON
};

/* A member path of the payload, as the day's records use it. */
struct node {
	char		*key;
	size_t		 klen;
	int		 parent, child, last, next;
	int		 nchild, depth;
	enum ct		 t;
	int		 sawint, sawdouble, bigint;
	int		 maybe_time, maybe_b64;
	enum ct		 forced;	/* the type a schema gives, or
					 * CT_NONE */
	uint64_t	 present, nulls, empties;
	const char	*reason;	/* why JSON */
	int		 col;		/* its column, or -1 */
	int		 null_is_null;	/* a null means JSON null */
	int		 always;	/* present whenever its parent is,
					 * and so are its ancestors */
	int		 hint;		/* the child matched last */
};

/* The member paths of a tenant's day: node 0 is the payload. */
struct tree {
	struct node	*v;
	size_t		 n, cap;
	uint64_t	 records;	/* of the day */
	int		 agg;
	int		 has_extra;
	struct rta_buf	 back;		/* base64 scratch */
};

/* A column of the file, in order: the envelope's, then the tree's. */
struct column {
	char		*name;
	enum rta_pq_type type;
	int		 node;		/* -1: an envelope column */
};

/* A tenant's day: its tree, then its columns and their metadata. */
struct day {
	struct tree	 t;
	struct column	*cols;
	size_t		 ncols;
	struct rta_pq_column *pc;
	struct rta_buf	 columns_json, objects_json, json_json;
	struct rta_buf	 scratch, b64;
};

/* ---- rta_export_cols.c: the columns of a tenant's day ------------------ */

/*
 * Start a tenant's day in d (released first): an empty tree, seeded with
 * the types o's schemas give.  0, or -1 when out of memory.
 */
int	rta_export_day_start(struct day *d, int agg,
	    const struct rta_export_opts *o);
void	rta_export_day_release(struct day *d);

/*
 * Learn from a record of the day (its payload's members and their
 * types, whether it has extra members): 0, or -1 when out of memory.
 */
int	rta_export_observe(struct day *d, const struct rta_event *ev);

/*
 * The day's columns from what was observed, and the metadata that names
 * them (columns_json, objects_json, json_json, NUL-terminated).  RTA_OK,
 * RTA_ELIMIT (more columns than the limit), RTA_ENOMEM.
 */
int	rta_export_day_columns(struct day *d, struct rta_error *err);

/*
 * Put the record ev in its row of w: 0; -1 out of memory; -2 when ev
 * does not fit the columns (it was not observed: the dataset changed).
 */
int	rta_export_put_record(struct day *d, struct rta_pq_writer *w,
	    const struct rta_event *ev);

/* ---- rta_export_state.c: the state file --------------------------------- */

/* A day exported: its fingerprint and rows (the state file's line). */
struct state_entry {
	int64_t		 day;
	uint64_t	 print;
	uint64_t	 rows;
};

/*
 * Read DIR/name/.rta-exported (new: free with rta_export_state_free); a
 * missing or damaged file reads as empty.  NULL when out of memory.
 */
struct rta_export_state *rta_export_state_read(int cold_fd,
	    const char *name);
/* Record day's print and rows: 0, or -1 when out of memory. */
int	rta_export_state_set(struct rta_export_state *st, int64_t day,
	    uint64_t print, uint64_t rows);
/* The entry of day (borrowed until the next set), or NULL. */
const struct state_entry *rta_export_state_find(
	    const struct rta_export_state *st, int64_t day);
/* Replace the state file with st, synced.  RTA_OK, RTA_EIO, RTA_ENOMEM. */
int	rta_export_state_write(struct rta_cold *c, const char *name,
	    const struct rta_export_state *st, struct rta_error *err);

/* The fingerprint of a day: of every bucket of it that holds data. */
uint64_t rta_export_day_print(const struct rta_dataset *ds, int64_t day);
/* The day (since 1970-01-01) of the time t, in microseconds. */
int64_t	rta_export_day_of(int64_t t);

#endif /* RTA_EXPORT_INT_H */
