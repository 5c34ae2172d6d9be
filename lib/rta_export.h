/*
 * rta_export.h: `rta-store export --cold`: a dataset's finished days, from
 * the hot store to Parquet files in the cold store (see rta_cold.h for
 * the directories and rta_parquet.h for the files).
 *
 * One file per partition (a tenant's day), part-00000.parquet.  Columns:
 *
 *	raw events	event_id (string), timestamp (timestamp), event_type
 *			(string), schema_version (int64), the payload's
 *			members as payload_<key>, and extra (json) when the
 *			event has members outside the envelope;
 *	aggregates	record_id (string), window (string), start
 *			(timestamp), version (int64), then the payload's
 *			members by their own names: end (timestamp), final,
 *			group_<key>, results_<name>, states_<name>_<member>
 *			with each sketch as binary.
 *
 * Objects are flattened to typed columns, names joined with "_" (a
 * clash gets "_2", "_3"...), down to RTA_EXPORT_DEPTH levels; a member's
 * type comes from the payload schemas given (their "properties" and
 * "type": such columns exist, with their type, whatever a file holds), or
 * else from the data of the file (a tenant's day): bool, int64, double
 * (ints and doubles mixed), string.  Files of one dataset may so have
 * different columns: readers join them by name (DuckDB's union_by_name).  A member holding arrays, objects deeper than the
 * limit or with more than RTA_EXPORT_MEMBERS members, more than one type,
 * or null in some records while missing in others, is one JSON column,
 * and the file's metadata says which and why.  A null is a Parquet null;
 * the metadata records whether it stands for a JSON null or a missing
 * member, so `rta-cat` rebuilds every record's members and values
 * (numbers by value, members in column order).
 * The partition keys (tenant_id, year, month, day) are in the path only.
 *
 * Key-value metadata: rta.version, rta.dataset, rta.kind ("events" or
 * "aggregates"), rta.tenant_id, rta.day (YYYY-MM-DD), rta.columns (JSON:
 * per column name, path, type, and "null": "null" or "missing"),
 * rta.objects (JSON: the flattened objects' paths and whether every
 * record has them), rta.json_columns (JSON: name and reason).
 *
 * Idempotent and incremental: DIR/DATASET/.rta-exported records, per day
 * exported, a fingerprint of the hot buckets it was made from; a day
 * whose buckets have not changed since is skipped (unless forced), a day
 * that changed (late records, compaction) is exported again and replaces
 * each of its partitions as a whole; partitions of that day whose tenant
 * no longer has records are removed.
 */
#ifndef RTA_EXPORT_H
#define RTA_EXPORT_H

#include <stdint.h>

#include "rta_cold.h"
#include "rta_err.h"
#include "rta_store.h"

#define RTA_EXPORT_DEPTH	4	/* levels of objects flattened */
#define RTA_EXPORT_MEMBERS	256	/* members of one flattened object */
#define RTA_EXPORT_STATE	".rta-exported"
#define RTA_EXPORT_HOLD		(256U << 20)	/* a tenant's day held in
						 * memory, read once */

struct rta_export_opts {
	int64_t		 before;	/* export the days before this one
					 * (days since 1970-01-01);
					 * INT64_MIN: the day of the
					 * dataset's watermark (or today,
					 * without one) */
	uint64_t	 row_group_rows; /* 0: the writer's default */
	int		 level;		/* zstd level */
	int		 force;		/* export unchanged days too */
	const unsigned char **schemas;	/* payload JSON Schemas (as
					 * checked values): the types of
					 * the members they name */
	size_t		 nschemas;
	rta_note_fn	 note;		/* a line per day, or NULL */
	void		*arg;
};

struct rta_export_result {
	uint64_t	 days;		/* exported */
	uint64_t	 unchanged;	/* skipped: exported before as is */
	uint64_t	 partitions;	/* files written */
	uint64_t	 rows;
	uint64_t	 bytes;
	uint64_t	 removed;	/* stale partitions removed */
	uint64_t	 rejected;	/* records not exported */
	uint64_t	 json_columns;
};

/*
 * Export the dataset name of s into the cold store c (which the caller
 * opened, holding its lock).  RTA_OK; RTA_EDATA with err set when some
 * records could not be exported (a tenant id too long for a directory
 * name: counted in rejected, the rest exported); RTA_EOF (no such
 * dataset); RTA_EIO, RTA_ENOMEM, RTA_ELIMIT.
 */
int	rta_dataset_export(struct rta_store *s, const char *name,
	    struct rta_cold *c, const struct rta_export_opts *o,
	    struct rta_export_result *r, struct rta_error *err);

/*
 * For retain --cold: 1 if bucket b of ds is in a day that the cold store
 * at cold_fd (a descriptor of its directory) holds, exported from the
 * buckets ds has now; else 0.  The state is read once per dataset and
 * kept in *state (free with rta_export_state_free).
 */
struct rta_export_state;
int	rta_export_covers(int cold_fd, const char *name,
	    const struct rta_dataset *ds, int64_t b,
	    struct rta_export_state **state);
void	rta_export_state_free(struct rta_export_state *st);

#endif /* RTA_EXPORT_H */
