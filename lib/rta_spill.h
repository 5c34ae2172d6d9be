/*
 * rta_spill.h: sorted runs of entries on disk, in numbered buckets, for
 * a stage that must hold more than its memory cap allows (rta-window
 * --at-cap spill).
 *
 * An entry is a key (bytes), a sequence number and a body (bytes).
 * Entries are added to a bucket (an int64: rta-window's window end) in
 * any order.  They are held in memory up to a budget over all buckets;
 * past it, each bucket's are sorted and written as one run file.
 * Reading a bucket merges its runs: every entry once, in (key, seq)
 * order, keys compared as bytes with a proper prefix first.  Memory is
 * the budget plus, while reading, RTA_SPILL_FANIN read buffers and the
 * largest entry, whatever the number of entries: a bucket of more runs
 * than that is merged in passes first.
 *
 * Files: dir/<bucket>-<run>.run, numbers only (never a key's text),
 * where run is never reused in the life of the spill (its checkpoint
 * carries the next number).  A file starts with "rtaspil\1", the bucket
 * (i64) and run number (u64), and a CRC-32C of those 24 bytes; then its
 * entries, each: u32 length of the rest, u32 CRC-32C of what follows
 * it, u32 key length, key, u64 seq, body.  Little-endian.  Files read
 * back are untrusted: the header, each length (at most
 * RTA_SPILL_ENTRY_MAX and within the file), each CRC and the file's
 * size (the one written) are checked before anything is allocated or
 * used, and any damage is RTA_EDATA ("bad-spill") naming the file.
 *
 * Durability, for a stage that checkpoints: with sync set, each run is
 * fsync'd, and the directory, as it is written.  rta_spill_encode (after
 * rta_spill_flush) names the runs that hold the buckets.  Runs that are
 * read and done with (rta_spill_drop, and runs merged into others) are
 * only removed by rta_spill_committed, once the next checkpoint is
 * safely written, so that a restart from the one before finds them
 * still; rta_spill_decode removes the files no checkpoint names (written
 * after it by a run that crashed).
 */
#ifndef RTA_SPILL_H
#define RTA_SPILL_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_err.h"

#define RTA_SPILL_FANIN		16		/* runs read at once */
#define RTA_SPILL_ENTRY_MAX	(64U << 20)	/* bytes of one entry */
#define RTA_SPILL_BUCKETS_MAX	(1U << 20)

struct rta_spill_run {
	int64_t		 bucket;
	uint64_t	 n;
	uint64_t	 size;		/* bytes written */
};

struct rta_spill_bucket {
	int64_t			 id;
	struct rta_spill_run	*runs;
	size_t			 nruns, cap;
	struct rta_buf		 pend;		/* entries not written yet */
	size_t			 npend;
};

struct rta_spill {
	int			 dfd;
	char			*dir;		/* for messages */
	struct rta_spill_bucket	*b;		/* by id, ascending */
	size_t			 nb, cap;
	uint64_t		 next_run;
	size_t			 held;		/* bytes of pend, all buckets */
	size_t			 budget;
	int			 sync;
	struct rta_spill_run	*doomed;	/* to remove once committed */
	size_t			 ndoomed, dcap;
	uint64_t		 runs;		/* written */
	uint64_t		 bytes;		/* written, merge passes too */
};

/* An entry read: borrowed until the next rta_spill_next. */
struct rta_spill_ent {
	const unsigned char	*key;
	uint32_t		 klen;
	uint64_t		 seq;
	const unsigned char	*body;
	size_t			 blen;
};

struct rta_spill_src;

struct rta_spill_reader {
	struct rta_spill	*s;
	struct rta_spill_src	*src;		/* n of them */
	size_t			 n;
	size_t			 last;		/* returned last; n: none */
};

/*
 * Set s up in dir (made if missing): RTA_OK, or RTA_EIO with err (then s
 * holds nothing).  budget: bytes of entries held before runs are
 * written; sync: fsync runs as they are written.
 */
int	rta_spill_open(struct rta_spill *s, const char *dir, size_t budget,
	    int sync, struct rta_error *err);
/* Free what s holds, leaving its files.  Accepts a zeroed s. */
void	rta_spill_close(struct rta_spill *s);

/* 1 if bucket id exists (made by rta_spill_bucket or an add). */
int	rta_spill_has(const struct rta_spill *s, int64_t id);
/* Make bucket id (empty) if missing: RTA_OK, RTA_ELIMIT (more than
 * RTA_SPILL_BUCKETS_MAX) or RTA_ENOMEM. */
int	rta_spill_bucket(struct rta_spill *s, int64_t id,
	    struct rta_error *err);
/* The smallest bucket in *id: 1, or 0 when there is none. */
int	rta_spill_first(const struct rta_spill *s, int64_t *id);

/*
 * Add an entry to bucket id (made if missing); may write runs.  RTA_OK,
 * RTA_ELIMIT (an entry over RTA_SPILL_ENTRY_MAX, too many buckets),
 * RTA_ENOMEM (s unchanged) or RTA_EIO (writing runs failed; the entry
 * is held).
 */
int	rta_spill_add(struct rta_spill *s, int64_t id, const void *key,
	    uint32_t klen, uint64_t seq, const void *body, size_t blen,
	    struct rta_error *err);
/* Write every bucket's held entries as runs: RTA_OK, RTA_ENOMEM or
 * RTA_EIO. */
int	rta_spill_flush(struct rta_spill *s, struct rta_error *err);

/*
 * Read bucket id in order: its held entries are written first, and its
 * runs merged in passes down to RTA_SPILL_FANIN.  RTA_OK (rd set up),
 * RTA_EDATA (a damaged run), RTA_EIO or RTA_ENOMEM.  rta_spill_next
 * gives the next entry: 1, 0 at the end, or -1 with err (RTA_EDATA,
 * RTA_EIO, RTA_ENOMEM).  rta_spill_read_close accepts a zeroed rd.
 */
int	rta_spill_read(struct rta_spill *s, int64_t id,
	    struct rta_spill_reader *rd, struct rta_error *err);
int	rta_spill_next(struct rta_spill_reader *rd, struct rta_spill_ent *e,
	    struct rta_error *err);
void	rta_spill_read_close(struct rta_spill_reader *rd);
/* Done with bucket id: it goes, its runs are removed once committed.
 * RTA_OK or RTA_ENOMEM (then it stays). */
int	rta_spill_drop(struct rta_spill *s, int64_t id, struct rta_error *err);
/* A checkpoint naming the runs is written: remove the ones done with. */
void	rta_spill_committed(struct rta_spill *s);

/*
 * Append the runs (after rta_spill_flush: nothing held): u64 next run,
 * runs and bytes written, u32 buckets, each i64 id, u32 runs, each u64
 * number and size.  0, or -1 (ENOMEM).
 */
int	rta_spill_encode(const struct rta_spill *s, struct rta_buf *b);
/*
 * Read an encoding at *p (before end) into s (open, empty), moving *p
 * on; each run named must be in the directory with its size, and the
 * files there that none names are removed.  RTA_OK, RTA_EDATA
 * ("bad-spill"), RTA_EIO or RTA_ENOMEM (then s is empty).
 */
int	rta_spill_decode(struct rta_spill *s, const unsigned char **p,
	    const unsigned char *end, struct rta_error *err);
/* Remove the run files in the directory that no bucket names (at a
 * start with no checkpoint, those of a run that crashed before its
 * first): RTA_OK or RTA_EIO. */
int	rta_spill_sweep(struct rta_spill *s, struct rta_error *err);

#endif
