/*
 * rta_archive.h: old cold-store partitions bundled into one file
 * (`rta-store archive`) and put back (`rta-store restore`).
 *
 * An archive is a pax tar file, compressed as its name says: .tar.zst
 * (zstd), .tar.gz, .tar.xz, or .tar (none).  Its first entry is
 * MANIFEST, text:
 *
 *	rta-archive 1
 *	<sha256: 64 lower-case hex digits> <size: decimal> <path>
 *	...
 *
 * a line per file, each ending in a newline, paths in strictly
 * increasing byte order; then the files, in the same order.  A path is
 * relative to the cold store and names a partition file in the form
 * rta_cold_part_path writes,
 *
 *	DATASET/tenant_id=T/year=Y/month=M/day=D/part-NAME.parquet
 *
 * (DATASET a hot-store dataset name, NAME of A-Z a-z 0-9 _ -), and
 * nothing else: so it can name no file outside a partition of the store,
 * whatever the bytes.
 *
 * Restoring trusts nothing in the archive.  Every entry after MANIFEST
 * must be a regular file (no link, directory or device) whose path is a
 * partition file listed in the manifest, once, with that size and
 * SHA-256; every file listed must come.  Entries are extracted with
 * libarchive's secure flags (no absolute path, no "..", no symbolic link
 * followed) into a staging directory per partition under the store's
 * .rta-staging/, hashed as they are written.  Only once the whole
 * archive has checked out are the files synced and each partition
 * published (rta_cold_publish: it replaces the partition's files as a
 * whole); on any failure nothing is published and the staging
 * directories are removed.
 *
 * Errors about the archive file itself (reason "archive-io", and every
 * RTA_EDATA of restore and verify) do not name the file: the caller
 * prefixes it, as in "FILE: entry PATH: checksum mismatch".
 */
#ifndef RTA_ARCHIVE_H
#define RTA_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "rta_cold.h"
#include "rta_err.h"

#define RTA_ARCHIVE_MANIFEST	 "MANIFEST"
#define RTA_ARCHIVE_HEADER	 "rta-archive 1\n"
#define RTA_ARCHIVE_MANIFEST_MAX (16 << 20)	/* bytes */
#define RTA_ARCHIVE_SHA256	 32

struct rta_archive_file {
	const char	*path;		/* into the manifest's text */
	uint64_t	 size;
	unsigned char	 sha256[RTA_ARCHIVE_SHA256];
	size_t		 part;		/* index in parts */
	int		 seen;		/* restore: its entry came */
};

struct rta_archive_part {
	char		*path;		/* DATASET/tenant_id=.../day=D */
	char		 stage[64];	/* restore: staging dir, or "" */
	uint64_t	 files, bytes;
};

/* A parsed manifest: files by path, and their partitions, in order. */
struct rta_archive_manifest {
	char			*text;
	struct rta_archive_file	*v;
	size_t			 n;
	struct rta_archive_part	*parts;
	size_t			 nparts;
};

/*
 * Parse len bytes of manifest text into m (which the caller releases,
 * also on failure).  Strict: the header line, then lines as above, each
 * ending in a newline, no NUL byte, at most RTA_ARCHIVE_MANIFEST_MAX
 * bytes.  RTA_OK; RTA_EDATA (reason "bad-manifest", text
 * "bad manifest: line N: ..."); RTA_ENOMEM.
 */
int	rta_archive_manifest_parse(struct rta_archive_manifest *m,
	    const char *text, size_t len, struct rta_error *err);
void	rta_archive_manifest_release(struct rta_archive_manifest *m);

/* The index of path in m, or -1. */
long	rta_archive_manifest_find(const struct rta_archive_manifest *m,
	    const char *path);

/*
 * Whether path is a partition file path (see above): 1 or 0.  With
 * partlen non-NULL, the length of its partition directory part.
 */
int	rta_archive_path_valid(const char *path, size_t *partlen);

/*
 * The compression for an archive's file name: "zstd", "gzip", "xz" or
 * "none" (static strings), or NULL for a name not ending in .tar.zst,
 * .tar.gz, .tar.xz or .tar.
 */
const char *rta_archive_filter(const char *file);

struct rta_archive_opts {
	const char	*dataset;	/* archive: one dataset, or NULL */
	int64_t		 before;	/* archive: days before this day */
	int		 remove;	/* archive: remove what it holds */
	int64_t		 mtime;		/* archive: MANIFEST's time, s */
	/* each partition archived (then removed, with remove) or restored */
	void		(*partition)(void *arg, const char *part,
			    uint64_t files, uint64_t bytes);
	/* archive: something in the store left alone, one line */
	void		(*warn)(void *arg, const char *line);
	void		*arg;
};

struct rta_archive_result {
	uint64_t	 partitions, files, bytes;	/* archived, restored */
	uint64_t	 removed;	/* archive: partitions removed */
	uint64_t	 skipped;	/* archive: partitions left alone */
	uint64_t	 read;		/* restore: file entries read */
};

/*
 * Archive the partitions of c (which the caller has open, so locked)
 * whose day is before o->before, of o->dataset or every dataset, into
 * file: written as file.tmp beside it, synced, renamed to file (which
 * must not exist) and the directory synced.  With o->remove the archive
 * is then read back and checked against its manifest, and only then are
 * the partitions removed.  A partition holding anything but partition
 * files, and anything in a dataset that is not a partition directory, is
 * reported through o->warn, counted in skipped and left alone; symbolic
 * links are never followed.  RTA_OK; RTA_EOF when there is nothing to
 * archive (no file is written); RTA_EINVAL (file exists or would be
 * inside the store, a bad name, no such dataset); RTA_EIO; RTA_EDATA (a file changed while archived, or
 * the archive read back differs); RTA_ENOMEM.  r is filled in all cases.
 */
int	rta_archive_create(struct rta_cold *c, const char *file,
	    const struct rta_archive_opts *o, struct rta_archive_result *r,
	    struct rta_error *err);

/*
 * Read file and check every entry against its manifest, as restore
 * does, writing nothing.  RTA_OK, RTA_EDATA (what is wrong: "entry
 * PATH: ..."), RTA_EIO, RTA_ENOMEM.
 */
int	rta_archive_verify(const char *file, struct rta_archive_result *r,
	    struct rta_error *err);

/*
 * Restore the archive file into c (see above).  The working directory
 * is DIR while entries are extracted (libarchive writes by path), and
 * is restored before returning.  RTA_OK; RTA_EDATA with reason and text
 * "entry PATH: what" for an archive that breaks a rule (nothing is
 * published); RTA_EINVAL when a partition's place in the store is taken
 * by something that is not a directory, such as a symbolic link (nothing
 * is published); RTA_EIO (when a partition fails to publish, those
 * before it stay published); RTA_ENOMEM.
 */
int	rta_archive_restore(struct rta_cold *c, const char *file,
	    const struct rta_archive_opts *o, struct rta_archive_result *r,
	    struct rta_error *err);

#endif /* RTA_ARCHIVE_H */
