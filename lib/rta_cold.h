/*
 * rta_cold.h: the cold store, a directory of Parquet files in Hive
 * partitions:
 *
 *	DIR/DATASET/tenant_id=T/year=Y/month=M/day=D/part-NNNNN.parquet
 *
 * written by `rta-store export`, bundled by `rta-store archive` and put
 * back by `rta-store restore`.  T is the tenant id percent-encoded (every
 * byte outside A-Z a-z 0-9 - _ . as %XX, upper case); Y, M and D are
 * plain decimal numbers (no leading zeros).  The partition keys are in
 * the path only, never in the files.
 *
 * A partition (one dataset's day of one tenant) is replaced as a whole:
 * its new files are written and synced in a directory under
 * DIR/.rta-staging/, which is then swapped with the partition's directory
 * in one rename (renameat2 RENAME_EXCHANGE) before the old files are
 * removed.  A reader listing the partition sees the old files or the new
 * ones, never a mix and never a half-written file; a crash leaves at most
 * a staging directory, which the next writer removes.  One writer at a
 * time: DIR/.rta-lock is held with flock(2) while the store is open.
 */
#ifndef RTA_COLD_H
#define RTA_COLD_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "rta_err.h"

#define RTA_COLD_STAGING	".rta-staging"
#define RTA_COLD_LOCK		".rta-lock"
#define RTA_COLD_PART_MAX	1024	/* longest partition path */

struct rta_cold {
	int		 fd;		/* DIR */
	int		 lockfd;	/* DIR/.rta-lock, locked */
	char		 path[PATH_MAX];
	unsigned	 seq;		/* staging names */
};

/*
 * Open (with create, making DIR if missing) the cold store at path and
 * take its lock; leftovers of a crashed writer in .rta-staging are
 * removed.  RTA_OK; RTA_EIO (reason "store-busy" when another writer
 * holds the lock), RTA_EOF (no such directory, create not set).
 */
int	rta_cold_open(struct rta_cold *c, const char *path, int create,
	    struct rta_error *err);
void	rta_cold_close(struct rta_cold *c);

/*
 * Percent-encode the len bytes at s into out (NUL-terminated): the
 * length, or -1 if out is too small.
 */
int	rta_cold_pct_encode(char *out, size_t outsz, const char *s,
	    size_t len);
/* Decode: the length, or -1 (a bad escape, or out too small). */
int	rta_cold_pct_decode(char *out, size_t outsz, const char *s,
	    size_t len);

/*
 * "DATASET/tenant_id=T/year=Y/month=M/day=D" for day (days since
 * 1970-01-01, UTC) into buf.  RTA_OK, or RTA_ELIMIT when a path
 * component would be longer than NAME_MAX or the path longer than size.
 */
int	rta_cold_part_path(char *buf, size_t size, const char *dataset,
	    const char *tenant, size_t tlen, int64_t day,
	    struct rta_error *err);

/*
 * Parse the partition directories of rel, a path relative to a cold
 * store ("DATASET/tenant_id=T/year=Y/month=M/day=D" and anything
 * after): the dataset name, the decoded tenant (tenant holds up to 256
 * bytes) and the day.  0, or -1 if rel is not inside a partition.
 */
int	rta_cold_part_parse(const char *rel, char *dataset, size_t dssz,
	    char *tenant, size_t *tlen, int64_t *day);

/*
 * A new empty staging directory; its path relative to DIR into rel.
 */
int	rta_cold_stage(struct rta_cold *c, char *rel, size_t relsz,
	    struct rta_error *err);

/*
 * Make the staging directory stage (whose files the caller has written
 * and synced) the partition part: the staging directory is synced, the
 * partition's parent directories made (and synced) as needed, the two
 * swapped in one rename, the parent synced, and the old files removed.
 * RTA_OK or RTA_EIO.
 */
int	rta_cold_publish(struct rta_cold *c, const char *stage,
	    const char *part, struct rta_error *err);

/*
 * Remove the directory rel (relative to DIR) and everything under it,
 * without following symbolic links; then remove the parents that became
 * empty, up to but not including the dataset directory.  RTA_OK (also
 * when rel does not exist) or RTA_EIO.
 */
int	rta_cold_remove(struct rta_cold *c, const char *rel,
	    struct rta_error *err);

/*
 * The Parquet files of dataset in the cold store at path that can hold
 * records of tenant (NULL: every tenant) in [from, to), as paths under
 * path, sorted by tenant, then day, then name (free with
 * rta_cold_files_free).  Partitions of other tenants and days are not
 * opened (counted in *skipped).  Reads only: no lock is taken.  RTA_OK
 * (none: *n 0), RTA_EOF (no such dataset in the store), RTA_EIO,
 * RTA_ENOMEM.
 */
int	rta_cold_files(const char *path, const char *dataset,
	    const char *tenant, size_t tlen, int64_t from, int64_t to,
	    char ***files, size_t *n, uint64_t *skipped,
	    struct rta_error *err);
void	rta_cold_files_free(char **files, size_t n);

#endif /* RTA_COLD_H */
