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

#include <sys/stat.h>

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
 * 1 if name is a partition file's name as the store's writers make it,
 * "part-NAME.parquet" with NAME one or more of A-Z a-z 0-9 _ -, and at
 * most NAME_MAX bytes; else 0.
 */
int	rta_cold_name_valid(const char *name);

/*
 * The length of the partition directory rel starts with, when it is in
 * canonical form (byte for byte what rta_cold_part_path writes, of a
 * valid dataset name and a non-empty tenant) and followed by "/" or the
 * end of rel; its day into *day.  -1 otherwise.
 */
long	rta_cold_part_canon(const char *rel, int64_t *day);

/* ---- walking the partitions ---------------------------------------------
 *
 * rta_cold_walk visits DATASET/tenant_id=T/year=Y/month=M/day=D/FILE
 * under the store, in byte order of the names at every level, and never
 * follows a symbolic link: an entry is looked at with lstat semantics
 * (readdir's type, or fstatat with AT_SYMLINK_NOFOLLOW) and a directory
 * opened with O_NOFOLLOW.  Every directory at the four levels below a
 * dataset is entered whatever its name; what is where a directory
 * belongs but is none, what is at a partition's depth but is no
 * partition, and what is in a partition but is no partition file is
 * reported to skip and passed by.  A directory that vanishes between
 * being listed and being opened is passed by without a report (a
 * writer removed it).
 */

/* Why rta_cold_walk passed an entry by. */
enum rta_cold_skip {
	RTA_COLD_NOT_DIR = 1,	/* not a directory where one belongs (a
				 * file, a symbolic link), or a path longer
				 * than RTA_COLD_PART_MAX - 2 */
	RTA_COLD_NOT_PART,	/* a directory at a partition's depth that
				 * is not one (RTA_COLD_STRICT: not in
				 * canonical form) */
	RTA_COLD_NOT_FILE,	/* in a partition: not a partition file */
	RTA_COLD_PRUNED		/* a partition of another tenant, or of a day
				 * outside [from, to): not opened */
};

/* An entry reported; every pointer borrowed until the callback returns. */
struct rta_cold_entry {
	const char		*rel;	/* its path relative to the store */
	const char		*name;	/* its last component (in rel) */
	const char		*dataset;
	const char		*tenant; /* decoded, tlen bytes; NULL above
					  * a partition */
	size_t			 tlen;
	int64_t			 day;	/* with tenant */
	const struct stat	*st;	/* a file with RTA_COLD_STRICT: its
					 * lstat; else NULL */
};

/*
 * Which partition files are reported.  Lenient (0, for readers): any
 * partition rta_cold_part_parse accepts, and in it every entry whose
 * name ends in ".parquet" after at least one byte, whatever its type
 * (opening it with O_NOFOLLOW is the reader's check); the other entries
 * are NOT_FILE.  RTA_COLD_STRICT (for writers, which move and remove
 * files): only partitions in canonical form (rta_cold_part_canon), and
 * only those holding nothing but regular files with valid names
 * (rta_cold_name_valid) and paths shorter than RTA_COLD_PART_MAX - 1:
 * the first entry that is not is reported NOT_FILE and none of its
 * partition's files are (the partition is left alone as a whole).
 */
#define RTA_COLD_STRICT		0x1

struct rta_cold_walk {
	const char	*dataset;	/* one dataset; NULL: every entry of
					 * DIR that is a directory with a valid
					 * dataset name (rta_store_name_valid),
					 * passing the rest (.rta-lock,
					 * .rta-staging, lost+found) by without
					 * a report */
	const char	*tenant;	/* only this tenant (tlen bytes), or
					 * NULL */
	size_t		 tlen;
	int64_t		 from, to;	/* only days in [from, to) */
	int		 flags;		/* RTA_COLD_STRICT */
	/*
	 * A partition file, in order; RTA_OK to go on, or a code (with the
	 * caller's error set) that ends the walk.
	 */
	int		(*file)(void *arg, const struct rta_cold_entry *e);
	/* An entry passed by and why; NULL: not told. */
	void		(*skip)(void *arg, const struct rta_cold_entry *e,
			    enum rta_cold_skip why);
	void		*arg;
};

/*
 * Walk the cold store whose directory is fd (path names it in messages;
 * neither is taken) as w says.  Reads only: no lock is taken.  RTA_OK;
 * RTA_EOF (reason "cold-missing", "PATH: no dataset 'X'") when w->dataset
 * is missing or not a directory; RTA_EIO ("PATH/REL: strerror") when a
 * directory cannot be opened or listed; RTA_ENOMEM; or what file
 * returned.  Files reported before a failure stay reported.
 */
int	rta_cold_walk(int fd, const char *path, const struct rta_cold_walk *w,
	    struct rta_error *err);

/*
 * The Parquet files of dataset in the cold store at path that can hold
 * records of tenant (NULL: every tenant) in [from, to) (microseconds),
 * as paths under path, sorted by tenant, then day, then name (free with
 * rta_cold_files_free): those of a lenient rta_cold_walk.  Partitions of
 * other tenants and days are not opened (counted in *skipped).  Reads
 * only: no lock is taken.  RTA_OK (none: *n 0; also when dataset is a
 * symbolic link or a file), RTA_EOF (no such dataset in the store),
 * RTA_EIO, RTA_ENOMEM.
 */
int	rta_cold_files(const char *path, const char *dataset,
	    const char *tenant, size_t tlen, int64_t from, int64_t to,
	    char ***files, size_t *n, uint64_t *skipped,
	    struct rta_error *err);
void	rta_cold_files_free(char **files, size_t n);

/*
 * Map one of those files for reading (*map NULL for an empty file; a
 * symbolic link is refused).  RTA_OK; RTA_EDATA when it cannot be opened
 * or is not a regular file, RTA_EIO when it cannot be mapped; err says
 * "file: why".  rta_cold_unmap undoes it.
 */
int	rta_cold_map(const char *file, void **map, size_t *size,
	    struct rta_error *err);
void	rta_cold_unmap(void *map, size_t size);

#endif /* RTA_COLD_H */
