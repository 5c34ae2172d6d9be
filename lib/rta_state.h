/*
 * rta_state.h: what a stage keeps in its --state directory to go on
 * after a restart: how far each input was handled, and files replaced
 * atomically.
 *
 * Sources.  A stage notes, for every record it handles, where it came
 * from (struct rta_where, from the reader):
 *
 *	an input operand (by name; "<input>" for standard input), as the
 *	line number of the record (NDJSON) or the byte offset of its
 *	frame (rta frames);
 *	a Kafka partition (topic, partition), from the position records
 *	rta-cat writes before each message's records: a message is
 *	handled once the next position record of its input comes (or the
 *	input ends), and the partition's position is its offset.
 *
 * An input is known by its name: the same file given twice is one
 * source, whose position is the farthest either pass reached (so
 * --resume skips the second pass as far as the first went).  Positions
 * are at most RTA_SOURCE_POS_MAX (larger ones are taken as that).
 *
 * After a restart, `--resume` skips the records of each input operand up
 * to its handled position (the same files given again), and Kafka
 * consumers start again at the offset after each partition's
 * (rta_sources_offsets).  At most RTA_SOURCES_MAX sources are kept; the
 * rest are not tracked.
 *
 * Encoding (in a stage's checkpoint): u32 count, then per source: kind
 * (1 byte: 1 lines, 2 bytes, 3 Kafka), i32 partition, u8 has_done, u64
 * done, u32 name length, name.  Little-endian.
 */
#ifndef RTA_STATE_H
#define RTA_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_event.h"
#include "rta_reader.h"

enum rta_src_kind {
	RTA_SRC_LINES = 1,
	RTA_SRC_BYTES,
	RTA_SRC_KAFKA
};

#define RTA_SOURCES_MAX		32767U
#define RTA_SOURCE_NONE		((size_t)-1)
#define RTA_SOURCE_NAME_MAX	4096	/* longer names are not tracked */
#define RTA_SOURCE_POS_MAX	((1ULL << 62) - 1)

struct rta_source {
	enum rta_src_kind	 kind;
	int32_t			 partition;	/* Kafka */
	char			*name;		/* operand, or topic */
	size_t			 len;
	int			 has_done;
	uint64_t		 done;		/* line, byte offset, offset */
	int			 dirty;		/* done moved since the caller
						 * cleared this */
	int			 has_resume;
	uint64_t		 resume;	/* --resume: skip up to this */
};

struct rta_sources {
	struct rta_source	*v;
	size_t			 n, cap;
	uint32_t		*ix;		/* hash index: v's index + 1 */
	size_t			 ixmask;
	int			 tracked;	/* cur_* are set */
	/* the record being handled */
	size_t			 cur_file;
	const char		*cur_name;
	uint64_t		 cur_serial;
	enum rta_src_kind	 cur_kind;
	size_t			 cur_kafka;	/* its message's partition */
	int64_t			 cur_kafka_off;
	/* called when a source is added (index i), if set */
	void			(*on_new)(void *arg, size_t i);
	void			*on_new_arg;
};

void	rta_sources_init(struct rta_sources *s);
void	rta_sources_release(struct rta_sources *s);
/* The index of a source, added if new; RTA_SOURCE_NONE past the limit,
 * for a name too long, or on ENOMEM. */
size_t	rta_sources_get(struct rta_sources *s, enum rta_src_kind kind,
	    int32_t partition, const char *name, size_t len);
/* Source i is handled up to v (positions only go forward). */
void	rta_sources_done(struct rta_sources *s, size_t i, uint64_t v);
/* Note the input of the record just read (call before handling it). */
void	rta_sources_track(struct rta_sources *s, const struct rta_where *w);
/* The record's place in its input: its line, or its byte offset. */
uint64_t rta_sources_where(const struct rta_where *w);
/* A position record: the message before it (if any) is handled. */
void	rta_sources_position(struct rta_sources *s,
	    const struct rta_position *p);
/* The end of the input: its last message is handled. */
void	rta_sources_end(struct rta_sources *s);
/* The record just tracked is handled. */
void	rta_sources_handled(struct rta_sources *s, const struct rta_where *w);
/* Whether a Kafka message is open (its records may be partly handled). */
int	rta_sources_mid_message(const struct rta_sources *s);
/* For --resume: skip each source's records up to what was handled. */
void	rta_sources_arm_resume(struct rta_sources *s);
/* 1 if the record just tracked was handled before the restart. */
int	rta_sources_resumed(const struct rta_sources *s,
	    const struct rta_where *w);

/* Append the encoding: 0, or -1 (ENOMEM). */
int	rta_sources_encode(const struct rta_sources *s, struct rta_buf *b);
/* Read an encoding at *p (before end) into s (empty), moving *p on:
 * RTA_OK, or RTA_EDATA (damaged) or RTA_ENOMEM, s then empty and *p
 * where it was.  A file source's partition must be 0. */
int	rta_sources_decode(struct rta_sources *s, const unsigned char **p,
	    const unsigned char *end);
/*
 * Append where to go on from: with json 0, a `-t topic -p partition -o
 * offset` line per Kafka partition (for kcat) whose topic is a Kafka name
 * ([A-Za-z0-9._-], 1 to 249 bytes: others cannot come from Kafka, and
 * would not make a command line); with json 1, one object per partition
 * and per input ({"input":…,"line":N} or "byte_offset").
 * 0, or -1 (ENOMEM).
 */
int	rta_sources_offsets(const struct rta_sources *s, int json,
	    struct rta_buf *out);
/* The style of printed offsets (--format): "kcat" sets *json 0, "json"
 * 1; 0, or -1 for anything else. */
int	rta_offsets_style(const char *s, int *json);

/*
 * When to write a checkpoint: every `every` µs of wall clock, or, with
 * records set, every that many records.  rta_cadence_start and
 * rta_cadence_done (after a checkpoint) start the interval;
 * rta_cadence_tick counts a record and says whether one is due (the
 * clock is read every 1024 records); rta_cadence_due says so now.
 */
struct rta_cadence {
	int64_t		 every;
	uint64_t	 records;
	int64_t		 next;
	uint64_t	 since;
};

void	rta_cadence_start(struct rta_cadence *c, int64_t every,
	    uint64_t records);
void	rta_cadence_done(struct rta_cadence *c);
int	rta_cadence_tick(struct rta_cadence *c);
int	rta_cadence_due(const struct rta_cadence *c);

/*
 * A checkpoint interval (--checkpoint-every): a duration ("10s"), or a
 * count of records ("10000r").  0, with *us or *records set and the
 * other 0; -1 for anything else.
 */
int	rta_state_interval(const char *arg, int64_t *us, uint64_t *records);

/*
 * Files of a state directory.  rta_state_lock makes dir if missing and
 * takes an exclusive lock on dir/lock for the process's life: a file
 * descriptor, or -1 with err (RTA_EIO; reason "state-busy" when another
 * process holds it).  rta_state_replace writes dir/name
 * atomically: a temporary file, fsync, rename, fsync of dir.
 * rta_state_read reads dir/name whole, refusing one larger than max:
 * RTA_OK, RTA_EOF (no such file), RTA_EDATA (too large), RTA_EIO,
 * RTA_ENOMEM.
 */
int	rta_state_lock(const char *dir, struct rta_error *err);
int	rta_state_replace(const char *dir, const char *name, const void *p,
	    size_t len, struct rta_error *err);
int	rta_state_read(const char *dir, const char *name, size_t max,
	    struct rta_buf *out, struct rta_error *err);

/*
 * Read dir/name (at most max bytes) as text lines and call line(arg,
 * p, len) for each but empty ones and those starting with '#'.  A call
 * that returns non-zero stops it: RTA_EDATA with err->reason as given
 * ("bad-rollups") and the text "dir/name:N: what" (what: the text
 * given).  RTA_OK also when there is no such file (no lines), or
 * rta_state_read's errors.
 */
int	rta_state_lines(const char *dir, const char *name, size_t max,
	    int (*line)(void *, const char *, size_t), void *arg,
	    const char *reason, const char *what, struct rta_error *err);

/*
 * A definitions file (rollups.conf, cohorts.conf): its lines, read as
 * rta_state_lines does, each set into the next of at most maxn elements
 * of size bytes by def(p, len, elem) (0, or non-zero for a line that is
 * not a definition), in a new zeroed array *vp of *np (NULL and 0 when
 * there are none).  A line def refuses, or one past maxn, is RTA_EDATA
 * as rta_state_lines says; RTA_ENOMEM.
 */
int	rta_state_defs(const char *dir, const char *name, size_t max,
	    size_t maxn, size_t size, int (*def)(const char *, size_t, void *),
	    void **vp, size_t *np, const char *reason, const char *what,
	    struct rta_error *err);

#endif
