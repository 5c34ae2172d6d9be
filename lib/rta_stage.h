/*
 * rta_stage.h: the record loop every filter shares.
 *
 * A stage reads records from its operands (stdin when there are none),
 * hands good ones to the program, and deals with everything else the same
 * way in every program: a bad record is reported (file:line: what), sent
 * to the dead-letter file, counted, and skipped; --max-errors/--strict
 * decide when to stop; an unreadable operand is reported and the next one
 * read; output is flushed before input may block; --metrics and SIGUSR1
 * report the counters; a terminal gets progress for long runs.  Counters
 * always balance: in = out + rejected + dropped, except after a fatal
 * error (a failed write, a record the output cannot encode at all), when
 * the stage stops with the record it was writing counted in only.
 *
 * Like rta_cli, this is front-end code: it prints on stderr.
 *
 *	rta_stage_init(&st, "rta-x", usage_line);
 *	while ((c = getopt_long(argc, argv, ...)) != -1)
 *		switch (c) { ...; default: if (!rta_stage_getopt(&st, c,
 *		    optarg)) usage(); }
 *	if ((status = rta_stage_start(&st, argc - optind, argv + optind)))
 *		return status;
 *	while (rta_stage_next(&st, &rec) == RTA_OK)
 *		if (rta_stage_emit(&st, &rec) != RTA_OK)
 *			break;
 *	return rta_stage_finish(&st);
 */
#ifndef RTA_STAGE_H
#define RTA_STAGE_H

#include <getopt.h>
#include <stdint.h>

#include "rta_deadletter.h"
#include "rta_event.h"
#include "rta_metrics.h"
#include "rta_output.h"
#include "rta_reader.h"

enum {
	RTA_OPT_DEAD_LETTER = 0x1000,
	RTA_OPT_MAX_ERRORS,
	RTA_OPT_METRICS,
	RTA_OPT_STRICT,
	RTA_OPT_MAX_LINE,
	RTA_OPT_STAGE_LAST
};

/* Options every stage takes; the program adds its own around them. */
#define RTA_STAGE_SHORTOPTS	"o:qu"
#define RTA_STAGE_LONGOPTS \
	{ "dead-letter", required_argument, NULL, RTA_OPT_DEAD_LETTER }, \
	{ "max-errors", required_argument, NULL, RTA_OPT_MAX_ERRORS }, \
	{ "max-line", required_argument, NULL, RTA_OPT_MAX_LINE }, \
	{ "metrics", required_argument, NULL, RTA_OPT_METRICS }, \
	{ "quiet", no_argument, NULL, 'q' }, \
	{ "strict", no_argument, NULL, RTA_OPT_STRICT }, \
	{ "to", required_argument, NULL, 'o' }, \
	{ "unbuffered", no_argument, NULL, 'u' }

/* Their lines in --help, in the programs' common wording. */
#define RTA_STAGE_HELP \
"      --dead-letter FILE  append rejected records to FILE (NDJSON)\n" \
"      --max-errors N      stop after N bad records (default: never)\n" \
"      --max-line SIZE     longest NDJSON or CSV line (default 1M)\n" \
"      --metrics FILE      keep Prometheus counters in FILE\n" \
"  -o, --to FORMAT         write ndjson or rta frames (default: as read)\n" \
"  -q, --quiet             do not report bad records on stderr\n" \
"      --strict            stop at the first bad record\n" \
"  -u, --unbuffered        flush after every record\n"

/* How bad records are reported on stderr (--format). */
enum rta_msg_format {
	RTA_MSG_TEXT = 0,	/* prog: file:line: what (the first ten) */
	RTA_MSG_GITHUB,		/* ::error file=…,line=…::what (all) */
	RTA_MSG_JSON		/* one JSON object per line (all) */
};

/*
 * Append s[0..len) escaped for a GitHub workflow command: %, CR and LF,
 * and in a property (file=...) also : and ,.
 */
void	rta_github_escape(struct rta_buf *b, const char *s, size_t len,
	    int property);

struct rta_stage {
	const char		*name;
	const char		*usage;
	/* options */
	enum rta_format		 to;		/* AUTO: as the input */
	int			 quiet;
	int			 unbuffered;
	uint64_t		 max_errors;	/* 0: no limit */
	const char		*dead_letter;
	const char		*metrics_path;
	int			 compress;	/* zstd level, 0: none */
	enum rta_msg_format	 msg_format;
	struct rta_reader_opts	 ropts;
	/* state */
	struct rta_reader	*rd;
	struct rta_output	 out;
	int			 out_ready;
	int			 out_continues;	/* set before the output starts:
						 * it goes on with a stream
						 * already written (no frame
						 * stream header) */
	int			 out_reported;	/* its failure was reported */
	int			 sink;		/* set before the input starts:
						 * the stage writes no records
						 * (rta-store ingest), so
						 * stdout stays untouched */
	struct rta_deadletter	 dlq;
	int			 dlq_open;
	struct rta_metrics	 m;
	char			**operands;
	int			 noperands, next_operand;
	int			 status;
	int			 stop;
	uint64_t		 errors, shown;
	enum rta_format		 seen_encoding;
	int			 progress;
	int64_t			 progress_at;
	int64_t			 progress_next;
	uint64_t		 ticks;
};

void	rta_stage_init(struct rta_stage *st, const char *name,
	    const char *usage);

/* Handle a common option; 1 if c was one of them (bad values exit 2). */
int	rta_stage_getopt(struct rta_stage *st, int c, const char *arg);

/*
 * Open the dead-letter and metrics files and prepare to read operands.
 * 0, or the exit status to return at once.
 */
int	rta_stage_start(struct rta_stage *st, int argc, char **argv);

/* The next good record (never an end record): RTA_OK, or RTA_EOF when
 * the input is exhausted or the stage must stop. */
int	rta_stage_next(struct rta_stage *st, struct rta_record *rec);

/* Write a record downstream and count it; RTA_OK or an error (the stage
 * is then stopping). */
int	rta_stage_emit(struct rta_stage *st, const struct rta_record *rec);

/*
 * Write a record the stage made from others (rta-window's aggregates):
 * as rta_stage_emit, but not counted out, since the records it stands
 * for were (rta_stage_absorb).
 */
int	rta_stage_emit_derived(struct rta_stage *st,
	    const struct rta_record *rec);

/* Count an input record as out: it went into derived records. */
static inline void
rta_stage_absorb(struct rta_stage *st)
{
	st->m.out++;
}

/*
 * Reject a record the program itself found bad (as the reader does for
 * malformed ones): message, dead letter, counters (per tenant when ev is
 * given), --max-errors.
 */
void	rta_stage_reject(struct rta_stage *st, const struct rta_event *ev,
	    const struct rta_error *e, const void *raw, size_t len);

/*
 * The same with more members for the dead letter and JSON messages:
 * detail[0..dlen) is JSON object members ("\"violations\":[…]").
 */
void	rta_stage_reject_detail(struct rta_stage *st,
	    const struct rta_event *ev, const struct rta_error *e,
	    const void *raw, size_t len, const char *detail, size_t dlen);

/* Count a record dropped on purpose. */
static inline void
rta_stage_drop(struct rta_stage *st)
{
	st->m.dropped++;
}

/* Choose the output encoding now (normally decided at the first record). */
void	rta_stage_set_output(struct rta_stage *st, enum rta_format f);

/* Flush, close, write metrics, report; return the exit status. */
int	rta_stage_finish(struct rta_stage *st);

/* The idle hook (flush, metrics, SIGUSR1), for programs that wait on
 * something other than the reader.  It is the reader's unless the
 * program set ropts.idle before rta_stage_start, to a hook of its own
 * that calls this one. */
void	rta_stage_idle(void *st);

#endif
