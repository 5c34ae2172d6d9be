/*
 * rta_keyset.h: the set of keys rta-dedup has seen, with a horizon, a
 * memory budget, checkpoints and a journal.
 *
 * A key is held as a 128-bit fingerprint (two rta_hash64 of its bytes
 * under two seeds that belong to the set and are saved with it), so n
 * distinct keys collide with probability about n^2 / 2^129.  Each entry
 * keeps the event time and the position of the key's first occurrence.
 *
 * Exact mode: keys that carry a time (rta_keyset_fingerprint_at) go to
 * slabs, one per range of those times, in order, so that keys made in
 * time order share the newest slab and its cache lines; a slab whose
 * entries have all expired is freed whole.  Other keys are cut by the
 * top bits of the fingerprint into RTA_KEYSET_PARTS partitions, each a small open-addressing table
 * (linear probing over 64-byte buckets, so a probe usually stays in one
 * cache line) that grows on its own when three quarters full: a rebuild
 * touches one partition, which fits in cache, never the whole set.  An
 * entry is the fingerprint alone (16 bytes) when the set is made without
 * times and positions (RTA_KEYSET_NO_TIME | RTA_KEYSET_NO_POS), else the
 * fingerprint, time and position (32 bytes).  Each partition has its
 * own range of reserved address space and doubles in place, so memory is
 * touched once, for the largest size each reached.  When the partitions
 * and slabs would pass the budget, they are written as they are, with
 * sequential writes, to the end of a file (keys.table in the directory
 * given, or an unlinked temporary file in $TMPDIR) as a run, and start
 * again empty.  A lookup that misses the tables in memory then asks the
 * runs: a key whose time is past every run's is new at once, others
 * first ask a blocked Bloom filter of the spilled keys (a quarter of the
 * budget), and only a key it holds (a duplicate, or about one new key in
 * a hundred while the filter has ten bits a key) reads its bucket from
 * each run with pread(2), from the page cache.  Nothing of the file is
 * mapped, so the resident set stays within the budget (at least 256 KiB
 * for the tables in memory).  Without a budget, a partition that
 * outgrows its range moves every key to a single table in memory
 * (linear probing, 32-byte entries and a control byte per slot that is
 * probed first, doubling when three quarters full).  Nothing is ever
 * forgotten for lack of memory.
 *
 * Horizon: entries whose first-occurrence time is before the horizon
 * (set by the caller, never decreasing) count as absent at once and are
 * reused or swept when the table is rebuilt; what a lookup answers
 * depends only on the keys added and the horizon, not on when sweeping
 * happens.
 *
 * Approximate mode: a blocked Bloom filter (one 64-byte block per key,
 * k bits in it) sized for a false-positive rate; with a TTL, two filters
 * of event-time generations, the older dropped as the horizon passes.
 * A false positive is a new key taken for one already seen.
 *
 * Checkpoints (rta_keyset_save/load) hold the seeds, the caller's own
 * bytes (meta) and the keys, written to a temporary file, fsynced and
 * renamed into place.  A journal (struct rta_journal) holds what changed
 * since: appended records, each with a CRC-32C, so a torn tail is seen
 * and ignored.
 */
#ifndef RTA_KEYSET_H
#define RTA_KEYSET_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_err.h"

/* A fingerprint; (0, 0) never occurs (it marks an empty slot). */
struct rta_fp {
	uint64_t	 lo, hi;
};

/* One key: its fingerprint, first-occurrence time and position. */
struct rta_keyset_entry {
	uint64_t	 lo, hi;
	int64_t		 ts;
	uint64_t	 pos;		/* caller's; RTA_KEYSET_POS_MAX at most */
};

#define RTA_KEYSET_POS_MAX	(UINT64_MAX >> 1)
#define RTA_KEYSET_ENTRY_SIZE	32
#define RTA_KEYSET_PARTS	64

/* Leaner sets (rta_keyset_opts.lean), exact mode: without times the
 * horizon is ignored and keys never expire (ts reads 0); without
 * positions pos reads RTA_KEYSET_POS_MAX. */
#define RTA_KEYSET_NO_TIME	1U
#define RTA_KEYSET_NO_POS	2U

struct rta_keyset_opts {
	uint64_t	 max_mem;	/* bytes for the set; 0: no limit */
	const char	*dir;		/* spill file here (NULL: $TMPDIR) */
	double		 approx;	/* 0: exact; else the false-positive rate */
	uint64_t	 expect;	/* approx: keys per generation (0: from
					 * max_mem) */
	int64_t		 ttl;		/* approx: generation length; 0: none */
	uint64_t	 seed[2];	/* fingerprint seeds; both 0: choose */
	unsigned	 lean;		/* RTA_KEYSET_NO_TIME, _NO_POS */
};

/* A slab of the exact set in memory: the keys whose time is in its
 * range, in nb buckets of 64 bytes at b. */
struct rta_keyset_slab {
	unsigned char		*b;
	uint32_t		 nb;
	uint32_t		 used;
	int64_t			 max_t;		/* latest key time */
	int64_t			 max_ts;	/* latest first occurrence */
};

/* A partition of the exact set in memory: nb buckets of 64 bytes. */
struct rta_keyset_part {
	uint32_t		 nb;		/* 0: nothing yet */
	uint32_t		 used;
	uint32_t		 max_nb;	/* buckets ever touched */
};

struct rta_keyset_table {
	struct rta_keyset_entry	*e;
	uint8_t			*ctrl;		/* per slot: 0 empty, else a tag */
	uint64_t		 mask;		/* slots - 1 */
	uint64_t		 used;		/* slots not empty */
	int			 kind;		/* heap or anonymous */
	size_t			 len;		/* bytes allocated */
};

struct rta_keyset_run;		/* spilled tables (rta_keyset.c) */
struct rta_keyset_gone;		/* spilled keys since forgotten */

struct rta_keyset {
	struct rta_keyset_opts	 o;
	char			*dir;
	uint64_t		 seed[2];
	int64_t			 horizon;	/* INT64_MIN: none */
	/* exact, in memory */
	struct rta_keyset_part	*parts;		/* NULL: in t */
	unsigned		 es;		/* entry size: 16 or 32 */
	unsigned char		*map;		/* reserved address space */
	size_t			 map_len;
	unsigned char		*arena;		/* the partitions' ranges */
	unsigned		 range_shift;	/* log2 bytes of a range */
	uint64_t		 arena_used;	/* touched, scratch included */
	uint64_t		 arena_cap;	/* may touch */
	unsigned char		*scratch;	/* a partition while it grows */
	size_t			 scratch_len;
	uint64_t		 nused;		/* entries in parts, slabs */
	struct rta_keyset_slab	*slab;		/* keys with a time, */
	int64_t			*slab_start;	/* from these times on */
	size_t			 nslab;
	size_t			 slab_cap;
	size_t			 slab_done;	/* slabs before: expired */
	/* exact, spilled: runs in a file, a filter of their keys */
	struct rta_keyset_run	*run;
	size_t			 nrun;
	size_t			 run_cap;
	uint64_t		 run_seq;	/* runs ever written */
	uint64_t		 run_keys;	/* slots in use in runs */
	uint64_t		 run_mem;	/* bytes of their descriptions */
	int64_t			 run_max_t;	/* latest key time in a run */
	int			 spill_fd;	/* -1: none yet */
	uint64_t		 spill_end;	/* bytes written to it */
	unsigned char		*sf;		/* the filter: sf_blocks blocks */
	uint64_t		 sf_blocks;
	struct rta_keyset_gone	*gone;
	size_t			 ngone;
	/* exact, one table in memory (no budget, a range outgrown) */
	struct rta_keyset_table	 t;
	uint64_t		 dead;		/* forgotten, not yet swept */
	/* approx */
	unsigned char		*bloom[2];	/* [0] current, [1] previous */
	uint64_t		 nblocks;
	unsigned		 k;
	int64_t			 gen_start;	/* INT64_MIN: not started */
	uint64_t		 added;		/* keys added, per set */
	uint64_t		 cold;		/* adds not to the newest slab */
};

/* Set up an empty set.  RTA_OK, RTA_EINVAL (impossible options, err
 * says which) or RTA_ENOMEM; on failure ks holds nothing. */
int	rta_keyset_init(struct rta_keyset *ks, const struct rta_keyset_opts *o,
	    struct rta_error *err);
/* Free everything (and remove the spill file).  Accepts an empty set. */
void	rta_keyset_release(struct rta_keyset *ks);

/* The fingerprint of key[0..len) under the set's seeds. */
void	rta_keyset_fingerprint(const struct rta_keyset *ks, const void *key,
	    size_t len, struct rta_fp *fp);

/*
 * The same for a key that carries a time at (0 <= at < 2^48, e.g. the
 * milliseconds of a UUIDv7; any other value: none), which must be a
 * function of the key alone.  In exact mode the fingerprint then holds
 * that time and 79 hashed bits (keys of different times never collide),
 * and the set keeps such keys in order of it, so that keys made in time
 * order touch a small, recent part of the set.
 */
#define RTA_KEYSET_AT_MAX	(1LL << 48)
void	rta_keyset_fingerprint_at(const struct rta_keyset *ks,
	    const void *key, size_t len, int64_t at, struct rta_fp *fp);

/*
 * Move the horizon to h (a smaller h is ignored): entries first seen
 * before it are forgotten.  In approximate mode this also rotates the
 * generations.
 */
void	rta_keyset_set_horizon(struct rta_keyset *ks, int64_t h);

/*
 * Add a key first seen at ts (which must not be before the horizon) at
 * position pos.  0: it is new and now held; 1: held already (exact mode:
 * *first, if given, is its entry); -1: failure (RTA_EIO or RTA_ENOMEM
 * in err; the set is unchanged).
 */
int	rta_keyset_add(struct rta_keyset *ks, const struct rta_fp *fp,
	    int64_t ts, uint64_t pos, struct rta_keyset_entry *first,
	    struct rta_error *err);

/* Start loading the cache line a lookup of fp will read first, for a
 * call some events later. */
void	rta_keyset_prefetch(const struct rta_keyset *ks,
	    const struct rta_fp *fp);

/* 1 if the key is held (and live), else 0. */
int	rta_keyset_has(struct rta_keyset *ks, const struct rta_fp *fp);

/* Forget a key (exact mode); 1 if it was held. */
int	rta_keyset_forget(struct rta_keyset *ks, const struct rta_fp *fp);

/* Adds so far that went to a random place in a table too large to stay
 * in the cache: those worth rta_keyset_prefetch.  Keys in time order
 * mostly go to the newest slab, which in a lean set (16-byte entries)
 * stays in the cache. */
static inline uint64_t
rta_keyset_cold(const struct rta_keyset *ks)
{
	return ks->cold;
}

/* Slots in use (exact: live keys and expired ones not yet swept), or
 * keys added to the current generation (approx). */
uint64_t rta_keyset_count(struct rta_keyset *ks);
/* Of the slots in use, how many are in the spill file's runs. */
uint64_t rta_keyset_spilled(const struct rta_keyset *ks);
/* Bytes of memory the set holds (heap and anonymous maps). */
uint64_t rta_keyset_memory(const struct rta_keyset *ks);
/* Approx: the false-positive rate the filters' fill gives now (0 for
 * an exact set). */
double	rta_keyset_fp_rate(const struct rta_keyset *ks);

/*
 * Write a checkpoint: DIR/name.tmp with the seeds, meta[0..mlen) and
 * the live keys, fsync, rename to DIR/name, fsync DIR.  RTA_OK or
 * RTA_EIO/RTA_ENOMEM (the old checkpoint is left as it was).
 */
int	rta_keyset_save(struct rta_keyset *ks, const char *dir,
	    const char *name, const void *meta, size_t mlen,
	    struct rta_error *err);

/*
 * Read the seeds and the caller's meta bytes of DIR/name into *seed and
 * meta (replaced), without the keys.  RTA_OK, RTA_EOF (no checkpoint),
 * RTA_EDATA (damaged: err says how) or RTA_EIO.
 */
int	rta_keyset_peek(const char *dir, const char *name, uint64_t seed[2],
	    int *approx, struct rta_buf *meta, struct rta_error *err);

/*
 * Load the keys of DIR/name into ks, which must have been set up with
 * the seeds rta_keyset_peek gave and the same mode.  RTA_OK, RTA_EDATA,
 * RTA_EIO or RTA_ENOMEM (ks then holds part of the keys).  In
 * approximate mode the saved filter wins over the size ks was set up
 * with; a set with a TTL that loads a filter saved without one keeps an
 * empty second generation and ages from then on.  A saved generation
 * start must be none or within +-2^62 (RTA_EDATA otherwise), so that no
 * difference with a horizon overflows.
 */
int	rta_keyset_load(struct rta_keyset *ks, const char *dir,
	    const char *name, struct rta_error *err);

/* ---- journal ----------------------------------------------------------- */

/*
 * A journal file: a header with a generation number, then records
 * (u8 type, 3 zero bytes, u32 length, the bytes, u32 CRC-32C of all
 * before it in the record).  Records are buffered by rta_journal_put
 * and written with one write(2) by rta_journal_write.
 */
struct rta_journal {
	int		 fd;
	char		*path;
	uint64_t	 gen;
	struct rta_buf	 buf;
	uint64_t	 bytes;		/* written, header included */
};

#define RTA_JOURNAL_RECORD_MAX	(64U << 20)

/* Start a new, empty journal DIR/name of generation gen (written under
 * a temporary name and renamed over any old one). */
int	rta_journal_create(struct rta_journal *j, const char *dir,
	    const char *name, uint64_t gen, struct rta_error *err);
/* Go on appending to DIR/name of generation gen after its first valid
 * bytes (what rta_journal_replay found whole; a torn tail is cut). */
int	rta_journal_append(struct rta_journal *j, const char *dir,
	    const char *name, uint64_t gen, uint64_t valid,
	    struct rta_error *err);
/* Buffer one record; 0 or -1 (ENOMEM). */
int	rta_journal_put(struct rta_journal *j, int type, const void *p,
	    size_t len);
/* Write what is buffered; RTA_OK or RTA_EIO. */
int	rta_journal_write(struct rta_journal *j, struct rta_error *err);
/* fsync; RTA_OK or RTA_EIO. */
int	rta_journal_sync(struct rta_journal *j, struct rta_error *err);
void	rta_journal_close(struct rta_journal *j);

/*
 * Call fn for every whole record of DIR/name if its generation is gen,
 * stopping at the first torn or damaged one (*torn is then set); *valid
 * is the length of the header and the whole records.  RTA_OK (also when
 * there is no journal, or one of another generation: *applied says
 * whether it was read), RTA_EIO, or what fn returned when it was not
 * RTA_OK.
 */
int	rta_journal_replay(const char *dir, const char *name, uint64_t gen,
	    int (*fn)(void *arg, int type, const unsigned char *p,
	    size_t len), void *arg, int *applied, int *torn, uint64_t *valid,
	    struct rta_error *err);

#endif
