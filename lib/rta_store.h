/*
 * rta_store.h: the hot store on disk, its writer and its read API.
 *
 * A store is a directory (0700, owned by the user, not writable by
 * others) holding a marker file "rta-store" and one directory per
 * dataset.  A dataset holds one kind of record, raw events or aggregate
 * records (rta-window's output), and its files are:
 *
 *	lock		the writer's lock (flock): one writer per dataset
 *	commits		commit records, appended; the last valid one is
 *			the dataset's committed state
 *	B.G.log		the records of time bucket B (its start, UTC,
 *			as YYYYMMDDTHHMM), generation G: an rta frame
 *			stream, records in arrival order
 *
 * A record's bucket is the one holding its event time (an aggregate's
 * window start); buckets are a fixed width per dataset (1 hour to 1
 * day, dividing the day), so a dataset has a few files per bucket, not
 * per tenant: the seed's 10,000 tenants with 14 days of one-minute
 * aggregates in day buckets are 14 logs and one commit file.  Tenant
 * ids are data inside the files, never file names.
 *
 * Durability.  The writer appends frames to the logs (blocks reserved
 * ahead, so a full disk fails a reservation, not a record), and at each
 * commit writes out its buffers, fdatasyncs every log written since the
 * last commit (and the directory when a file was created), then appends
 * a commit record and fdatasyncs the commit file.  Only then is the
 * commit acknowledged.  A commit record is
 *
 *	"RTAC", u32 body length, u32 CRC-32C of the body, the body:
 *	u8 format version (1), u8 kind (1 events, 2 aggregates), u16 0,
 *	u32 bucket width in seconds, u64 sequence number, i64 wall time
 *	(µs), u64 records stored, i64 least and greatest event time
 *	stored, i64 watermark (INT64_MIN: none), u32 count of logs, per
 *	log: i64 bucket start, u32 generation, u64 committed length,
 *	u32 flags (RTA_STORE_LOG_CLOSED or 0); then the source positions
 *	seen (rta_state.h's encoding).  Little-endian.
 *
 * Every commit names every log with its committed length, so the last
 * valid record alone describes the dataset.  When the commit file passes
 * RTA_STORE_COMMITS_ROTATE bytes the writer replaces it (temporary file,
 * fsync, rename, directory fsync) with one holding the last record.
 * Opening the writer truncates the commit file after its last valid
 * record, each log to its committed length, and removes logs that no
 * commit names: what a crash left unacknowledged is gone, and counted.
 *
 * Readers take the last valid commit and read each log only up to its
 * committed length, which is never truncated: they need no lock and
 * never see a partial record, whatever the writer does meanwhile.
 * Every frame read is checked (header check, CRC-32C of the body) before
 * it is returned; damage is an error naming the file and offset.
 *
 * Exactly once.  A raw-event dataset holds each (tenant_id, event_id)
 * once within its horizon: the writer keeps their fingerprints (a
 * keyset, rebuilt on open from the logs whose buckets reach into the
 * horizon), and a record already held is absorbed as a duplicate.  An
 * aggregate dataset keeps every version of a record as written; readers
 * return, for each (tenant_id, record id), only the version with the
 * highest version number (the later one on a tie), so a window update
 * replaces what it updates and early emissions count once.
 */
#ifndef RTA_STORE_H
#define RTA_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_event.h"
#include "rta_state.h"

#define RTA_STORE_NAME_MAX	63		/* bytes in a dataset name */
#define RTA_STORE_COMMITS_ROTATE (1U << 20)
#define RTA_STORE_COMMIT_MAX	(16U << 20)	/* one commit record's body */
#define RTA_STORE_OPEN_LOGS	64		/* log files the writer keeps
						 * open at once */

enum rta_ds_kind {
	RTA_DS_EMPTY = 0,	/* nothing committed yet */
	RTA_DS_EVENTS = 1,
	RTA_DS_AGGREGATES = 2
};

/* "events", "aggregates", "empty". */
const char *rta_ds_kind_name(enum rta_ds_kind k);

/*
 * 1 if s is a dataset name: 1 to RTA_STORE_NAME_MAX bytes of [a-z0-9_-],
 * starting with a letter or digit, and not a name the store uses.
 */
int	rta_store_name_valid(const char *s);

/* ---- the store ---------------------------------------------------------- */

struct rta_store {
	int		 fd;		/* the directory */
	char		*path;
};

/*
 * Make a store at path (the directory is created 0700 if missing, and
 * must then be empty or a store already).  RTA_OK, or RTA_EIO, or
 * RTA_EINVAL ("unsafe-store", "not-a-store") with err saying why.
 */
int	rta_store_init(const char *path, struct rta_error *err);

/*
 * Open the store at path: a directory (not a symlink) owned by the
 * effective user, not writable by group or others, holding the marker.
 * RTA_OK; RTA_EINVAL ("not-a-store", "unsafe-store"); RTA_EIO.
 */
int	rta_store_open(struct rta_store *s, const char *path,
	    struct rta_error *err);
void	rta_store_close(struct rta_store *s);

/*
 * The dataset names of the store, sorted, into *names (an array of
 * *n strings; free with rta_store_names_free).  RTA_OK, RTA_EIO or
 * RTA_ENOMEM.
 */
int	rta_store_datasets(struct rta_store *s, char ***names, size_t *n,
	    struct rta_error *err);
void	rta_store_names_free(char **names, size_t n);

/* ---- committed state ---------------------------------------------------- */

#define RTA_STORE_LOG_CLOSED	1U	/* the writer appends no more */

struct rta_store_log {
	int64_t		 bucket;	/* start, µs */
	uint32_t	 gen;
	uint32_t	 flags;		/* RTA_STORE_LOG_CLOSED */
	uint64_t	 len;		/* committed bytes */
};

struct rta_commit {
	enum rta_ds_kind	 kind;
	int64_t			 width;		/* bucket width, µs */
	uint64_t		 seq;		/* 0: no commit yet */
	int64_t			 time;		/* wall clock, µs */
	uint64_t		 records;
	int64_t			 min_ts, max_ts;
	int64_t			 watermark;
	struct rta_store_log	*logs;		/* by bucket, then gen */
	size_t			 nlogs, logcap;
	struct rta_sources	 src;
};

void	rta_commit_init(struct rta_commit *c);
void	rta_commit_release(struct rta_commit *c);
/* Append c's record (header and body) to b: 0, or -1 (ENOMEM, or a body
 * over RTA_STORE_COMMIT_MAX: EMSGSIZE). */
int	rta_commit_encode(const struct rta_commit *c, struct rta_buf *b);
/*
 * Find the last valid commit record in p[0..len) into c (released
 * first): a record with a good header, checksum and fields whose
 * sequence number is above every earlier valid one's.  Bytes that are
 * not such a record are skipped, so damage in the middle of the file
 * does not hide the records after it.  *valid is set to the end of the
 * last valid record (0: none; what follows is a torn tail), *records to
 * the number of valid records, and *damaged to the offset of the first
 * bytes skipped before the last valid record (SIZE_MAX: none).  RTA_OK
 * (c->seq 0 when there is none) or RTA_ENOMEM.
 */
int	rta_commit_last(const unsigned char *p, size_t len,
	    struct rta_commit *c, size_t *valid, uint64_t *records,
	    size_t *damaged);

/* A log's file name into buf (at least 32 bytes): "YYYYMMDDTHHMM.G.log". */
void	rta_store_log_name(char *buf, size_t size, int64_t bucket,
	    uint32_t gen);
/* A segment's: "YYYYMMDDTHHMM.G.seg". */
void	rta_store_seg_name(char *buf, size_t size, int64_t bucket,
	    uint32_t gen);

/*
 * The manifest (file "segments"), written only by compact and retain
 * (under the dataset's compact.lock), replaced atomically: per bucket,
 * that its logs up to generation gen are covered, by segment
 * BUCKET.GEN.seg (kind 1) or by nothing, the bucket being retired
 * (kind 2).  Readers and the writer skip covered logs, which compact
 * and retain remove once the manifest is durable.  Format: "RTAM", u32
 * body length, u32 CRC-32C of the body; body: u8 version (1), 3 zero
 * bytes, u32 count, per bucket (sorted): i64 bucket, u32 gen, u32 kind,
 * u64 records, u64 bytes, u64 the records' bytes before compression.
 */
enum { RTA_MAN_SEGMENT = 1, RTA_MAN_RETIRED = 2 };

struct rta_man_entry {
	int64_t		 bucket;
	uint32_t	 gen;
	uint32_t	 kind;
	uint64_t	 records;
	uint64_t	 bytes;
	uint64_t	 raw;
};

struct rta_manifest {
	struct rta_man_entry	*v;
	size_t			 n, cap;
};

/* The entry for bucket, or NULL. */
const struct rta_man_entry *rta_manifest_find(const struct rta_manifest *m,
	    int64_t bucket);

/* ---- reading ------------------------------------------------------------ */

struct rta_kept;

struct rta_dataset {
	struct rta_store	*store;
	char			 name[RTA_STORE_NAME_MAX + 1];
	int			 fd;		/* its directory */
	struct rta_commit	 c;		/* the last commit */
	struct rta_manifest	 man;		/* read after it */
	uint64_t		 stamp[8];	/* what the two files were */
	struct rta_kept		*kept;		/* rta_dataset_keep's */
};

/*
 * Open a dataset for reading at its last commit.  RTA_OK (a dataset with
 * no commit yet reads as empty), RTA_EOF (no such dataset), RTA_EINVAL
 * (a bad name), RTA_EIO, RTA_ENOMEM.
 */
int	rta_dataset_open(struct rta_store *s, const char *name,
	    struct rta_dataset *ds, struct rta_error *err);
void	rta_dataset_close(struct rta_dataset *ds);

/*
 * Bring an open dataset to its last commit, for a reader that answers
 * query after query (rta-query --http): the commit and the manifest are
 * read again only when their files have changed since they were read
 * (*changed then 1), and the dataset's directory again if it was
 * replaced.  RTA_OK, or the errors of rta_dataset_open (RTA_EOF: the
 * dataset is gone; ds is then closed).
 */
int	rta_dataset_refresh(struct rta_dataset *ds, int *changed,
	    struct rta_error *err);
/*
 * Let the scans of ds keep up to n sealed segments mapped after they are
 * done with them, for the scans after (0, the default: each scan maps
 * and unmaps its own).  A kept segment is used again only while its file
 * is the same one (device, inode and size); rta_dataset_close unmaps
 * them.  0, or -1 on ENOMEM (nothing is kept then).
 */
int	rta_dataset_keep(struct rta_dataset *ds, unsigned n);

/* The first bucket at or after t that holds data, or INT64_MAX. */
int64_t	rta_dataset_next_bucket(const struct rta_dataset *ds, int64_t t);
/*
 * A fingerprint of what bucket b holds in this view of the dataset:
 * another value once records are added to it or it is compacted; 0 when
 * it holds no data.
 */
uint64_t rta_bucket_print(const struct rta_dataset *ds, int64_t b);

/*
 * A scan: the records of one tenant (or all, tenant NULL) whose event
 * time (window start) is in [from, to), tenant by tenant (byte order),
 * each tenant's in time order (then by id).  Records borrow from the
 * dataset's mapped files (zero-copy: the frame bytes are the stored
 * ones) until the next call.
 */
struct rta_scan;
struct rta_cols;

int	rta_scan_open(struct rta_dataset *ds, const char *tenant, size_t tlen,
	    int64_t from, int64_t to, struct rta_scan **sc,
	    struct rta_error *err);
/* RTA_OK (rec set), RTA_EOF, or RTA_EDATA ("damaged": file and offset in
 * err), RTA_EIO, RTA_ENOMEM. */
int	rta_scan_next(struct rta_scan *sc, struct rta_record *rec,
	    struct rta_error *err);
/*
 * The scan's next block as columns, where it has them (rta_cols.h): at
 * the start of a block of a sealed segment's that carries columns, *got
 * is 1 and c holds the block's records (all of them, of tenant c->tenant:
 * the caller leaves out those outside [from, to)), till the next call;
 * the scan goes on after them.  Anywhere else *got is 0, and the next
 * record is rta_scan_next's to read (ask again after it).  RTA_OK,
 * RTA_EOF (no more records), or the errors of rta_scan_next.
 */
int	rta_scan_cols(struct rta_scan *sc, struct rta_cols *c, int *got,
	    struct rta_error *err);
/* Right after rta_scan_cols gave a block: read that block again, as
 * records, with rta_scan_next (rta_scan_cols does not offer it again). */
void	rta_scan_reread(struct rta_scan *sc);
/* Records the scan left out as older versions of an aggregate. */
uint64_t rta_scan_superseded(const struct rta_scan *sc);

/* Let the scan use up to n threads (default 1) to read a bucket: a long
 * log is walked, and a large bucket's entries sorted, by two.  What it
 * returns is the same. */
void	rta_scan_threads(struct rta_scan *sc, unsigned n);

/*
 * For a reader that divides a bucket's records between threads, in place
 * of rta_scan_next at a bucket's start: load the scan's next bucket and
 * set *n to its records, which rta_scan_get then reads by their place
 * in the scan's order (0 to *n - 1), from any thread at once, until the
 * next call of rta_scan_load or rta_scan_next, which goes on after them.
 * *n is 0 for a bucket that is only a segment, which the scan reads
 * block by block: rta_scan_next reads it.  RTA_OK, RTA_EOF (no more
 * buckets), or the errors of rta_scan_next.
 */
int	rta_scan_load(struct rta_scan *sc, size_t *n, struct rta_error *err);
int	rta_scan_get(const struct rta_scan *sc, size_t i,
	    struct rta_record *rec, struct rta_error *err);
/* The first place at or after i (up to n) where a tenant's records
 * begin. */
size_t	rta_scan_tenant_start(const struct rta_scan *sc, size_t i);
void	rta_scan_close(struct rta_scan *sc);

/*
 * The distinct tenant ids of a dataset's committed records, sorted (free
 * with rta_store_names_free).  Reads every log.  RTA_OK, RTA_EDATA
 * ("damaged"), RTA_EIO or RTA_ENOMEM.
 */
int	rta_dataset_tenants(struct rta_dataset *ds, char ***names, size_t *n,
	    struct rta_error *err);

/* ---- stats -------------------------------------------------------------- */

/*
 * What `rta-store stats` says of a dataset, at its last commit.  Times
 * are µs since the epoch, INT64_MIN when there is none: oldest, newest
 * and lag need a record, watermark a watermark seen, last_commit a
 * commit.
 */
struct rta_ds_stats {
	enum rta_ds_kind	 kind;
	uint64_t		 records;	/* committed */
	size_t			 tenants;	/* distinct tenant ids */
	uint64_t		 buckets;	/* time buckets holding data */
	uint64_t		 logs;		/* logs not covered by a segment */
	uint64_t		 segments;
	int64_t			 bucket_width;	/* µs */
	uint64_t		 bytes;		/* on disk: logs, segments,
						 * commits */
	uint64_t		 seg_bytes;	/* the segments' bytes */
	uint64_t		 seg_raw;	/* their records' bytes before
						 * compression */
	int64_t			 oldest, newest;	/* event times */
	int64_t			 watermark;
	int64_t			 last_commit;	/* wall clock */
	int64_t			 lag;		/* now - newest */
};

/*
 * The stats of ds at time now into st.  Counting tenants reads the
 * index of every segment and the frame headers of every log.  RTA_OK;
 * RTA_EDATA ("damaged"), RTA_EIO or RTA_ENOMEM from reading the tenants
 * (st is then unspecified).
 */
int	rta_dataset_stats(struct rta_dataset *ds, int64_t now,
	    struct rta_ds_stats *st, struct rta_error *err);

/*
 * Append to out the stats of every dataset of the store at path, at
 * time now, in the Prometheus text format (0.0.4): gauges named
 * rta_store_* with a dataset label, one family after another.  A store
 * that cannot be opened or listed gives rta_store_up 0, a dataset whose
 * stats cannot be read rta_store_dataset_up{dataset} 0 and nothing
 * else; those are answers, not failures.  RTA_OK, or RTA_ENOMEM (out
 * then holds part of the text).
 */
int	rta_store_stats_prom(const char *path, int64_t now,
	    struct rta_buf *out, struct rta_error *err);

/* ---- writing ------------------------------------------------------------ */

struct rta_writer_opts {
	int64_t		 width;		/* bucket width for a new dataset, µs
					 * (0: one day) */
	int64_t		 horizon;	/* raw events: dedup horizon, µs */
	int		 beyond_store;	/* raw events older than the horizon:
					 * stored unchecked (else refused,
					 * "beyond-horizon") */
	uint64_t	 max_mem;	/* dedup key set budget (0: none) */
	unsigned	 max_new_buckets;	/* per run; 0: no limit */
	int		 repair;	/* for fsck: open despite missing or
					 * short logs, keep no dedup keys */
	int64_t		 close_after;	/* close a bucket's log once the
					 * watermark (or the newest event
					 * time) passes its end by this */
};

void	rta_writer_opts_init(struct rta_writer_opts *o);

/* What opening the writer found and repaired. */
struct rta_recovery {
	uint64_t	 commit_bytes;	/* torn bytes cut from commits */
	uint64_t	 log_bytes;	/* uncommitted bytes cut from logs */
	uint64_t	 logs_removed;	/* logs no commit named */
	uint64_t	 keys;		/* dedup keys rebuilt */
	size_t		 commit_damage;	/* offset of damaged bytes before
					 * the last valid commit, which
					 * supersedes them (SIZE_MAX: none) */
};

struct rta_writer;

/*
 * Open dataset name of s for writing, creating it if missing: take its
 * lock (RTA_EIO, reason "store-busy", when another writer holds it),
 * cut what the last crash left uncommitted (told in *rec), and rebuild
 * the dedup keys.  The first record decides a new dataset's kind.
 */
int	rta_writer_open(struct rta_store *s, const char *name,
	    const struct rta_writer_opts *o, struct rta_writer **w,
	    struct rta_recovery *rec, struct rta_error *err);

/*
 * Add an event or aggregate record.  RTA_OK: stored (not yet durable);
 * 1: a raw event already held (absorbed); RTA_EDATA ("wrong-kind" for a
 * record of the other kind, "bad-tenant", "bucket-limit"); RTA_EIO (the
 * writer is then unusable: nothing after the last commit counts).
 */
int	rta_writer_add(struct rta_writer *w, const struct rta_record *rec,
	    struct rta_error *err);

/* Note a watermark seen in the input. */
void	rta_writer_watermark(struct rta_writer *w, int64_t wm);

/* The source positions the next commit records (the caller keeps them
 * up to date: rta_state.h). */
struct rta_sources *rta_writer_sources(struct rta_writer *w);

/*
 * The input has ended: the next commit also closes the logs of buckets
 * the stream has left behind (by --close-after) that took records since
 * the last commit.  (Otherwise a log is closed only after a commit
 * interval without records, so a trickle of late events into an old
 * bucket keeps one log open rather than making one per commit.)
 */
void	rta_writer_ending(struct rta_writer *w);

/* Records added since the last commit (absorbed duplicates included). */
uint64_t rta_writer_pending(const struct rta_writer *w);

/*
 * Make everything added durable and commit it.  RTA_OK (c, if given,
 * is the new commit: valid until the next call; NULL when the dataset
 * has no record yet, so no kind, and nothing was committed) or RTA_EIO:
 * then nothing since the last commit is acknowledged and the writer must
 * be closed.
 */
int	rta_writer_commit(struct rta_writer *w, const struct rta_commit **c,
	    struct rta_error *err);

/*
 * Asynchronous commits.  After rta_writer_async, rta_writer_commit_async
 * makes the commit's data ready (buffers written, its record encoded)
 * and hands the syncs to a thread, returning at once, so that records
 * go on being added while the disk syncs; fn(arg, seq, records, tag) is
 * called from that thread once the commit is durable (tag is the
 * caller's, e.g. how much input the commit covers).  At most one commit
 * is in flight: the next waits for it.  rta_writer_wait waits for the
 * one in flight.  A failed sync is reported (RTA_EIO) by the next call
 * of either, fn is never called for it or after it, and the writer is
 * then unusable.  rta_writer_close waits too.  RTA_OK or RTA_ENOMEM.
 */
typedef void (*rta_durable_fn)(void *arg, uint64_t seq, uint64_t records,
    uint64_t tag);

int	rta_writer_async(struct rta_writer *w, rta_durable_fn fn, void *arg,
	    struct rta_error *err);
int	rta_writer_commit_async(struct rta_writer *w, uint64_t tag,
	    struct rta_error *err);
int	rta_writer_wait(struct rta_writer *w, struct rta_error *err);

/* Close without committing (what was not committed is cut at the next
 * open). */
void	rta_writer_close(struct rta_writer *w);

/* ---- maintenance -------------------------------------------------------- */

/* What compact or retain did. */
struct rta_maint {
	uint64_t	 buckets;	/* compacted or retired */
	uint64_t	 records_in, records_out;
	uint64_t	 bytes_in, bytes_out;
	uint64_t	 files_removed;
	uint64_t	 open_skipped;	/* buckets with a log still written */
	uint64_t	 kept;		/* retain: buckets its filter kept */
};

typedef void (*rta_note_fn)(void *arg, const char *line);

/*
 * Compact: for each bucket whose logs the writer has closed, merge them
 * (with the bucket's segment, if any) into a new segment: sorted,
 * indexed, zstd-compressed at level, an aggregate record's older
 * versions dropped.  Publish it in the manifest, then remove what it
 * covers.  Takes compact.lock (RTA_EIO "store-busy" if held).  Leftovers
 * of an interrupted run are removed first.
 */
int	rta_dataset_compact(struct rta_store *s, const char *name, int level,
	    rta_note_fn fn, void *arg, struct rta_maint *r,
	    struct rta_error *err);

/*
 * Retain: retire every bucket that ends at or before cutoff (event
 * time), unless a log of it is still open for writing (counted in
 * open_skipped) or ok, when given, returns 0 for it (counted in kept;
 * ok sees the view of the dataset retain works on).  Takes compact.lock.
 */
typedef int (*rta_retain_fn)(void *arg, const struct rta_dataset *ds,
    int64_t bucket);

int	rta_dataset_retain(struct rta_store *s, const char *name,
	    int64_t cutoff, rta_retain_fn ok, void *okarg, rta_note_fn fn,
	    void *arg, struct rta_maint *r, struct rta_error *err);

/* ---- checking ----------------------------------------------------------- */

struct rta_fsck {
	uint64_t	 logs;		/* logs checked */
	uint64_t	 segments;	/* segments checked */
	uint64_t	 records;	/* good records in them */
	uint64_t	 bytes;		/* committed bytes */
	uint64_t	 damaged;	/* findings of damage */
	uint64_t	 repaired;	/* of them, mended */
	uint64_t	 pending;	/* uncommitted leftovers a writer cuts */
};

typedef void (*rta_fsck_fn)(void *arg, const char *line);

/*
 * Check a dataset: its last commit, every committed log read in full
 * (every frame decoded and its checksum checked, of the dataset's kind,
 * with a tenant id the store takes), the record count, and the files a
 * writer would cut or remove.  Each finding is one line to fn.
 * Without repair nothing is changed and no lock is taken.  With repair
 * (the writer's lock held: RTA_EIO "store-busy" if another has it) what
 * an interrupted run left is cut, and a damaged or short log is cut at
 * its first bad frame, the bytes from there on copied to
 * quarantine/NAME.at-OFFSET first; a missing log is dropped; then a new
 * commit records the result.  Never a guess: nothing after damage is
 * kept in the dataset.  RTA_OK (r says what was found), RTA_EOF (no such
 * dataset) or an error.
 */
int	rta_dataset_fsck(struct rta_store *s, const char *name, int repair,
	    rta_fsck_fn fn, void *arg, struct rta_fsck *r,
	    struct rta_error *err);

#endif
