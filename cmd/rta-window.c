/*
 * rta-window: event-time windows over the stream.  Each event goes to
 * the windows its time falls in (tumbling, or sliding), per group of the
 * --by fields; a window closes when the watermark reaches its end and
 * its aggregate record (results and mergeable states) is written; late
 * events within --allowed-lateness update it again, later ones go to
 * --late.  Output depends only on the input: the same records in any
 * chunks, at any speed, give the same bytes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "rta_agg.h"
#include "rta_alloc.h"
#include "rta_cli.h"
#include "rta_deadletter.h"
#include "rta_field.h"
#include "rta_hash.h"
#include "rta_query.h"
#include "rta_reader.h"
#include "rta_shift.h"
#include "rta_crc32c.h"
#include "rta_frame.h"
#include "rta_spill.h"
#include "rta_stage.h"
#include "rta_state.h"
#include "rta_time.h"
#include "rta_uuid.h"
#include "rta_value.h"

static const char usage_line[] =
"usage: rta-window [-hquV] [-o format] [--agg list] [--alerts file]\n"
"                  [--allowed-lateness duration] [--at-cap action]\n"
"                  [--baseline duration] [--baseline-from file] [--by list]\n"
"                  [--checkpoint-every interval] [--dead-letter file]\n"
"                  [--detect method] [--drift field] [--drift-alert psi]\n"
"                  [--emit-every duration] [--every duration]\n"
"                  [--funnel steps] [--history n] [--idle duration]\n"
"                  [--late file] [--max-delay duration] [--max-errors n]\n"
"                  [--max-future duration] [--max-groups n]\n"
"                  [--max-line size] [--metrics file] [--min-history n]\n"
"                  [--resume] [--session gap] [--sliding duration]\n"
"                  [--state dir] [--strict] [--tumbling duration]\n"
"                  [--user field] [--within duration] [file ...]\n"
"       rta-window offsets [-hV] [--format style] --state dir";

enum {
	OPT_AGG = RTA_OPT_STAGE_LAST,
	OPT_ALERTS, OPT_BY, OPT_CHECKPOINT, OPT_FORMAT, OPT_RESUME, OPT_STATE, OPT_DETECT, OPT_EMIT_EVERY, OPT_EVERY, OPT_FUNNEL,
	OPT_HISTORY, OPT_IDLE, OPT_LATE, OPT_LATENESS, OPT_MAX_DELAY, OPT_MAX_FUTURE,
	OPT_MAX_GROUPS, OPT_MIN_HISTORY, OPT_SESSION, OPT_SLIDING, OPT_TUMBLING,
	OPT_USER, OPT_WITHIN, OPT_AT_CAP, OPT_DRIFT, OPT_BASELINE,
	OPT_DRIFT_ALERT, OPT_BASELINE_FROM
};

static const struct option longopts[] = {
	RTA_STAGE_LONGOPTS,
	{ "agg", required_argument, NULL, OPT_AGG },
	{ "alerts", required_argument, NULL, OPT_ALERTS },
	{ "allowed-lateness", required_argument, NULL, OPT_LATENESS },
	{ "at-cap", required_argument, NULL, OPT_AT_CAP },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "baseline-from", required_argument, NULL, OPT_BASELINE_FROM },
	{ "by", required_argument, NULL, OPT_BY },
	{ "checkpoint-every", required_argument, NULL, OPT_CHECKPOINT },
	{ "detect", required_argument, NULL, OPT_DETECT },
	{ "drift", required_argument, NULL, OPT_DRIFT },
	{ "drift-alert", required_argument, NULL, OPT_DRIFT_ALERT },
	{ "emit-every", required_argument, NULL, OPT_EMIT_EVERY },
	{ "every", required_argument, NULL, OPT_EVERY },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "funnel", required_argument, NULL, OPT_FUNNEL },
	{ "help", no_argument, NULL, 'h' },
	{ "history", required_argument, NULL, OPT_HISTORY },
	{ "idle", required_argument, NULL, OPT_IDLE },
	{ "late", required_argument, NULL, OPT_LATE },
	{ "max-delay", required_argument, NULL, OPT_MAX_DELAY },
	{ "max-future", required_argument, NULL, OPT_MAX_FUTURE },
	{ "max-groups", required_argument, NULL, OPT_MAX_GROUPS },
	{ "min-history", required_argument, NULL, OPT_MIN_HISTORY },
	{ "resume", no_argument, NULL, OPT_RESUME },
	{ "session", required_argument, NULL, OPT_SESSION },
	{ "sliding", required_argument, NULL, OPT_SLIDING },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "tumbling", required_argument, NULL, OPT_TUMBLING },
	{ "user", required_argument, NULL, OPT_USER },
	{ "version", no_argument, NULL, 'V' },
	{ "within", required_argument, NULL, OPT_WITHIN },
	{ NULL, 0, NULL, 0 }
};

#define MAX_GROUPS_DEFAULT	1000000ULL
#define ALL_TENANTS		"_all"

enum wkind { W_TUMBLING = 1, W_SLIDING, W_SESSION };
enum detect { D_NONE, D_ZSCORE, D_EWMA };

#define HISTORY_MAX	100000
#define FUNNEL_MAX	32		/* steps */
/* 1000 years: sums of times and durations stay far inside an int64 */
#define DURATION_MAX	(1000LL * 366 * 86400 * RTA_US_PER_SEC)

struct opts {
	enum wkind	 kind;
	int64_t		 size;		/* µs; the gap of sessions */
	int64_t		 slide;		/* µs; size for tumbling, sessions */
	const char	*by;
	const char	*agg;
	int64_t		 max_delay;
	int64_t		 lateness;
	int64_t		 max_future;	/* 0: no limit */
	int64_t		 emit_every;	/* 0: when closing only */
	int64_t		 idle;		/* µs of quiet input; 0: never */
	const char	*late;
	uint64_t	 max_groups;
	int		 spill;		/* --at-cap spill */
	/* --detect */
	enum detect	 detect;
	double		 threshold;
	const char	*detect_agg;	/* NULL: the first aggregate */
	uint64_t	 history;
	uint64_t	 min_history;
	const char	*alerts;
	/* --drift */
	const char	*drift;		/* the field */
	int		 drift_cat;	/* categorical */
	int64_t		 baseline;
	const char	*baseline_from;	/* a stored baseline's file */
	double		 drift_psi, drift_qdist;
	/* --funnel */
	const char	*funnel;
	const char	*user;
	int64_t		 within;
	/* --state */
	const char	*state;
	int		 resume;
	int64_t		 ck_every;	/* µs of wall clock */
	uint64_t	 ck_records;	/* 0: by time */
	int		 json;		/* offsets --format json */
};

/* A queue entry: ordered by k, then s. */
struct qent {
	int64_t		 k;
	uint64_t	 s;
	void		*p;
	uint32_t	 aux;
};

struct queue {
	struct qent	*v;
	size_t		 n, cap;
};

/*
 * --funnel: one user of one group.  Its step events are taken in event
 * time order once the watermark (less the allowed lateness) passes them.
 * An attempt starts at a first step and lasts --within; the steps after
 * it count in order.  The attempt's entry decides its window, where the
 * user counts once, at the farthest step any of its attempts there
 * reached.
 */
struct track {
	struct track		*next;		/* hash chain */
	uint64_t		 h;
	uint64_t		 seq;		/* creation order */
	int64_t			 entry;		/* INT64_MIN: no attempt */
	unsigned		 level;		/* steps the attempt reached */
	int64_t			 cw;		/* window counted in, or
						 * INT64_MIN */
	unsigned		 clevel;	/* steps counted there */
	int64_t			 qk;		/* its expiry queue entry's
						 * key; INT64_MIN: none */
	uint32_t		 npending;	/* step events waiting */
	uint64_t		 ix;		/* its number in a checkpoint */
	uint32_t		 klen, gklen;	/* key: group key, user key */
	size_t			 glen;
	unsigned char		*key;
	unsigned char		*group;
};

/* Per group, the values of the aggregate --detect watches, window by
 * window: a ring of the last history values, or the EWMA's mean and
 * variance. */
struct hist {
	struct hist		*next;
	uint64_t		 h;
	int64_t			 last_end;	/* INT64_MIN: none yet */
	uint64_t		 n;		/* values seen, up to history */
	size_t			 pos;
	double			 mean, var;	/* ewma */
	uint32_t		 klen;
	unsigned char		*key;
	double			 v[];
};

/* Where a file written to ended at the checkpoint: standard output,
 * --late, --alerts. */
enum { M_OUT, M_LATE, M_ALERTS, NMARK };

struct fmark {
	int		 has;		/* a regular file */
	uint64_t	 dev, ino, size;
};

/* One window, or session, of one group. */
struct win {
	/* what finding it reads first, together */
	struct win		*next;		/* the pool */
	uint64_t		 h;
	int64_t			 start;		/* a session's first event
						 * time */
	uint32_t		 klen;
	unsigned char		*key;		/* rta_fval_key of --by */
	int64_t			 end;		/* a session's last */
	int64_t			 id_start;	/* the start its record id
						 * holds (sessions: the start
						 * when first written) */
	int64_t			 due;		/* heap key: when it closes
						 * (end; a session's end +
						 * gap), then that + lateness
						 * once fired */
	size_t			 heap_at;
	uint32_t		 version;	/* emissions so far */
	uint8_t			 fired;		/* the final record is out */
	uint8_t			 finals;	/* a final record went out */
	uint8_t			 dirty;		/* changed since emitted */
	const char		*tenant;	/* in key, or ALL_TENANTS */
	uint8_t			 tenant_len;
	unsigned char		*group;		/* the group object value */
	size_t			 glen;
	uint64_t		*fc;		/* --funnel: users per step */
	size_t			 cap;		/* bytes of the block */
	struct rta_agg_acc	 acc[];
};

/*
 * Closed windows' blocks are kept, their accumulators emptied, for the
 * windows that open next (a group's next minute), so that a window's
 * sketches are not freed and allocated again each time: while open and
 * kept blocks together are fewer than the most windows open at once
 * (so no more memory than that peak already took), or POOL_MIN kept.
 * Bounding the kept ones by the windows open now instead freed a third
 * of them at each minute's close, when the next minute's windows are
 * few, only to allocate them again during that minute.
 */
#define POOL_MIN	1024

/*
 * The open windows, by win_hash: linear probing in slots that hold the
 * hash beside the block, at most half full.  A lookup reads slots until
 * one with its hash, and only then the block, whose lines (head,
 * accumulators, key) it asks for together: one wait on memory rather
 * than one per line, and none for the windows a chain would walk past.
 */
struct slot {
	uint64_t		 h;
	struct win		*x;		/* NULL: empty */
};

struct wn {
	const struct opts	*o;
	struct rta_stage	*st;
	struct rta_agg_spec	*specs;
	size_t			 nspecs;	/* all, sessions' own after */
	size_t			 nout;		/* of them, --agg's */
	struct rta_field	*by;
	size_t			 nby;
	int			 tenant_by;	/* index of tenant_id in by, or -1 */
	char			 spec_id[64];	/* hashed description */
	/* windows */
	struct slot		*tab;		/* open addressing */
	size_t			 tmask;
	size_t			 keyat;		/* a block's key offset */
	uint64_t		 nwin;
	struct win		**heap;
	size_t			 nheap, heapcap;
	struct win		*pool;		/* closed windows for reuse */
	uint64_t		 npool;
	uint64_t		 peak;		/* most windows open at once */
	uint64_t		 seed;
	/* time */
	int64_t			 max_ts;	/* INT64_MIN: none yet */
	int64_t			 wm_up;		/* from upstream records */
	int64_t			 wm;		/* INT64_MIN: none yet */
	int64_t			 emitted_wm;	/* last written downstream */
	int64_t			 tick;		/* --emit-every period index */
	int64_t			 last_input;	/* --idle: monotonic µs */
	/* output */
	struct rta_buf		 key;		/* scratch */
	struct rta_buf		 gbuf;
	struct rta_buf		 idb;
	struct rta_buf		 payload;
	char			 id[RTA_UUID_LEN];
	struct rta_deadletter	 late;
	int			 late_open;
	/* --detect */
	size_t			 det;		/* the aggregate watched */
	struct hist		**htab;
	size_t			 hmask;
	uint64_t		 nhist;
	int			 alerts_fd;
	struct rta_buf		 alert;
	uint64_t		 nalerts;
	uint64_t		 unwatched;	/* windows --detect could not
						 * follow (--max-groups) */
	/* --drift */
	struct rta_shift_watch	*watch;
	size_t			 dspec;		/* the aggregate it reads */
	uint64_t		 ndrift;	/* drift records */
	uint64_t		 drift_unwatched;
	struct rta_buf		 gkey;		/* group_key's */
	/* --funnel */
	char			**steps;
	size_t			 nsteps;
	struct rta_field	 user;
	struct track		**ttab;
	size_t			 ttmask;
	uint64_t		 ntracks, tseq;
	struct queue		 pending;	/* step events by time */
	struct queue		 expiry;	/* tracks by when to forget */
	int64_t			 frontier;	/* steps taken up to here */
	uint64_t		 skipped;	/* not a step, or no user */
	/* --state */
	struct rta_sources	 src;
	char			*desc;		/* what the state must match */
	int			 lock_fd;
	struct rta_cadence	 ck;
	uint64_t		 checkpoints;
	uint64_t		 resumed;	/* records skipped by --resume */
	struct fmark		 mark[NMARK];	/* files written, as of the
						 * checkpoint */
	/* counts */
	uint64_t		 aggregated;	/* events in some window */
	uint64_t		 late_events;
	uint64_t		 emitted;	/* aggregate records */
	uint64_t		 updates;	/* of them, after the final */
	uint64_t		 merged;	/* sessions joined into others */
	uint64_t		 limited;	/* refused at --max-groups */
	/* --at-cap spill */
	struct rta_spill	 spill;
	struct win		*sx;		/* a spilled window read back */
	struct rta_buf		 sbuf, skey, sgroup;
	uint64_t		 spill_seq;	/* events spilled */
	uint64_t		 spilled;	/* windows spilled */
	uint64_t		 spill_ents;	/* window events spilled */
	int			 failed;
};

static void	help(void);
static int	offsets_main(const struct opts *, int);
static int64_t	watermark_now(const struct wn *);
static int	put_num(struct rta_buf *, double);
static int	funnel_run(struct wn *, int64_t);
static int	put_marks(const struct wn *, struct rta_buf *);
static int	funnel_put(struct wn *, const struct win *, struct rta_buf *,
		    int);
static int	window_main(const struct opts *, struct rta_stage *, int,
		    char **);
static int	spill_emit(struct wn *, int64_t);
static int	put_blob(struct rta_buf *, const void *, size_t);

static void
duration_opt(const char *name, const char *arg, int64_t *v, int positive)
{
	struct rta_error err;

	if (rta_duration_parse(arg, v, &err) != RTA_OK || *v < 0 ||
	    (positive && *v == 0) || *v > DURATION_MAX)
		rta_usage_error(usage_line, "bad --%s '%s' (a duration such "
		    "as 90s, 5m, 1h; at most 1000 years)", name, arg);
}

/* --detect zscore:3 or ewma:2.5, then an aggregate name (":count"). */
static void
detect_opt(struct opts *o, const char *arg)
{
	const char *c = strchr(arg, ':'), *c2;
	char num[32];
	size_t ml = c != NULL ? (size_t)(c - arg) : 0, nl;

	if (c == NULL)
		goto bad;
	if (ml == 6 && memcmp(arg, "zscore", 6) == 0)
		o->detect = D_ZSCORE;
	else if (ml == 4 && memcmp(arg, "ewma", 4) == 0)
		o->detect = D_EWMA;
	else
		goto bad;
	c2 = strchr(c + 1, ':');
	nl = c2 != NULL ? (size_t)(c2 - c - 1) : strlen(c + 1);
	if (nl == 0 || nl >= sizeof(num))
		goto bad;
	memcpy(num, c + 1, nl);
	num[nl] = '\0';
	if (rta_parse_double(num, 0.1, 1000, &o->threshold) != 0)
		goto bad;
	o->detect_agg = c2 != NULL ? c2 + 1 : NULL;
	if (o->detect_agg != NULL && *o->detect_agg == '\0')
		goto bad;
	return;
bad:
	rta_usage_error(usage_line, "bad --detect '%s' (zscore:T or ewma:T, "
	    "T a threshold from 0.1 to 1000, then :AGG to watch an aggregate "
	    "other than the first)", arg);
}

int
main(int argc, char *argv[])
{
	struct opts o;
	struct rta_stage st;
	int64_t every = 0;
	int c, agg_set = 0, offsets = 0;

	memset(&o, 0, sizeof(o));
	o.by = "tenant_id";
	o.agg = "count";
	o.max_groups = MAX_GROUPS_DEFAULT;
	o.history = 60;
	o.min_history = 10;
	o.ck_every = 10 * RTA_US_PER_SEC;
	if (argc > 1 && strcmp(argv[1], "offsets") == 0) {
		offsets = 1;
		argc--;
		argv++;
	}
	rta_stage_init(&st, "rta-window", usage_line);
	while ((c = getopt_long(argc, argv, ":hV" RTA_STAGE_SHORTOPTS,
	    longopts, NULL)) != -1) {
		if (offsets && c != 'h' && c != 'V' && c != OPT_FORMAT &&
		    c != OPT_STATE && c != '?' && c != ':')
			rta_usage_error(usage_line, "offsets takes only "
			    "--state and --format");
		if (!offsets && c == OPT_FORMAT)
			rta_usage_error(usage_line, "--format is an option of "
			    "rta-window offsets");
		switch (c) {
		case 'h':
			help();
			return rta_cli_finish(RTA_EXIT_OK);
		case 'V':
			rta_cli_version();
			return rta_cli_finish(RTA_EXIT_OK);
		case OPT_AGG:
			o.agg = optarg;
			agg_set = 1;
			break;
		case OPT_FUNNEL:
			o.funnel = optarg;
			break;
		case OPT_CHECKPOINT:
			if (rta_state_interval(optarg, &o.ck_every,
			    &o.ck_records) != 0 || o.ck_every > DURATION_MAX)
				rta_usage_error(usage_line, "bad "
				    "--checkpoint-every '%s' (a duration, or "
				    "records as 10000r)", optarg);
			break;
		case OPT_FORMAT:
			if (rta_offsets_style(optarg, &o.json) != 0)
				rta_usage_error(usage_line, "bad --format '%s' "
				    "(use kcat or json)", optarg);
			break;
		case OPT_RESUME:
			o.resume = 1;
			break;
		case OPT_STATE:
			o.state = optarg;
			break;
		case OPT_USER:
			o.user = optarg;
			break;
		case OPT_WITHIN:
			duration_opt("within", optarg, &o.within, 1);
			break;
		case OPT_ALERTS:
			o.alerts = optarg;
			break;
		case OPT_DETECT:
			detect_opt(&o, optarg);
			break;
		case OPT_DRIFT:
			o.drift_cat = strncmp(optarg, "cat:", 4) == 0;
			o.drift = strncmp(optarg, "cat:", 4) == 0 ||
			    strncmp(optarg, "num:", 4) == 0 ? optarg + 4 :
			    optarg;
			if (*o.drift == '\0')
				rta_usage_error(usage_line, "bad --drift '%s' "
				    "(a field, num:FIELD or cat:FIELD)",
				    optarg);
			break;
		case OPT_BASELINE:
			duration_opt("baseline", optarg, &o.baseline, 1);
			break;
		case OPT_BASELINE_FROM:
			o.baseline_from = optarg;
			break;
		case OPT_DRIFT_ALERT: {
			char *e;

			o.drift_psi = strtod(optarg, &e);
			o.drift_qdist = *e == ',' ? strtod(e + 1, &e) :
			    RTA_SHIFT_QDIST_DEFAULT;
			if (*e != '\0' || !(o.drift_psi > 0) ||
			    !(o.drift_psi <= 100) || !(o.drift_qdist > 0) ||
			    !(o.drift_qdist <= 1000))
				rta_usage_error(usage_line, "bad --drift-alert "
				    "'%s' (PSI[,QDIST]: 0.25,1)", optarg);
			break;
		}
		case OPT_HISTORY:
		case OPT_MIN_HISTORY:
			if (rta_parse_u64(optarg, 1, HISTORY_MAX, c ==
			    OPT_HISTORY ? &o.history : &o.min_history) != 0)
				rta_usage_error(usage_line, "bad --%s '%s' (1 "
				    "to %d windows)", c == OPT_HISTORY ?
				    "history" : "min-history", optarg,
				    HISTORY_MAX);
			break;
		case OPT_BY:
			o.by = optarg;
			break;
		case OPT_EMIT_EVERY:
			duration_opt("emit-every", optarg, &o.emit_every, 1);
			break;
		case OPT_EVERY:
			duration_opt("every", optarg, &every, 1);
			break;
		case OPT_IDLE:
			duration_opt("idle", optarg, &o.idle, 1);
			break;
		case OPT_LATE:
			o.late = optarg;
			break;
		case OPT_LATENESS:
			duration_opt("allowed-lateness", optarg, &o.lateness, 0);
			break;
		case OPT_MAX_DELAY:
			duration_opt("max-delay", optarg, &o.max_delay, 0);
			break;
		case OPT_MAX_FUTURE:
			duration_opt("max-future", optarg, &o.max_future, 1);
			break;
		case OPT_AT_CAP:
			if (strcmp(optarg, "reject") != 0 &&
			    strcmp(optarg, "spill") != 0)
				rta_usage_error(usage_line, "bad --at-cap '%s' "
				    "(reject or spill)", optarg);
			o.spill = strcmp(optarg, "spill") == 0;
			break;
		case OPT_MAX_GROUPS:
			if (rta_parse_u64(optarg, 1, 1ULL << 32,
			    &o.max_groups) != 0)
				rta_usage_error(usage_line, "bad --max-groups "
				    "'%s' (1 to 4294967296)", optarg);
			break;
		case OPT_SESSION:
		case OPT_SLIDING:
		case OPT_TUMBLING:
			if (o.kind != 0)
				rta_usage_error(usage_line, "give one of "
				    "--tumbling, --sliding and --session");
			o.kind = c == OPT_TUMBLING ? W_TUMBLING : c ==
			    OPT_SLIDING ? W_SLIDING : W_SESSION;
			duration_opt(c == OPT_TUMBLING ? "tumbling" : c ==
			    OPT_SLIDING ? "sliding" : "session", optarg,
			    &o.size, 1);
			break;
		default:
			if (rta_stage_getopt(&st, c, optarg))
				break;
			rta_cli_bad_option(usage_line, c, argv);
		}
	}
	if (offsets)
		return offsets_main(&o, argc - optind);
	if (o.resume && o.state == NULL)
		rta_usage_error(usage_line, "--resume needs --state DIR");
	if (o.drift == NULL && (o.baseline != 0 || o.drift_psi != 0 ||
	    o.baseline_from != NULL))
		rta_usage_error(usage_line, "--baseline, --baseline-from and "
		    "--drift-alert go with --drift");
	if (o.baseline != 0 && o.baseline_from != NULL)
		rta_usage_error(usage_line, "--baseline or --baseline-from, "
		    "not both");
	if (o.baseline_from != NULL && strcmp(o.baseline_from, "-") == 0) {
		int k, in = optind == argc;

		for (k = optind; k < argc; k++)
			in |= strcmp(argv[k], "-") == 0;
		if (in)
			rta_usage_error(usage_line, "--baseline-from - and the "
			    "input both read stdin");
	}
	if (o.drift != NULL) {
		/* --drift F --every 1h: hourly windows, each against the
		 * baseline before it */
		if (o.kind == 0 && every != 0) {
			o.kind = W_TUMBLING;
			o.size = every;
			every = 0;
		}
		if (o.kind != W_TUMBLING || o.funnel != NULL)
			rta_usage_error(usage_line, "--drift compares "
			    "--tumbling windows (or --every DUR): not "
			    "--sliding, --session or --funnel");
		if (o.spill)
			rta_usage_error(usage_line, "--at-cap spill writes no "
			    "drift: no --drift with it");
		if (o.baseline == 0 && o.baseline_from == NULL)
			o.baseline = 7 * 86400 * RTA_US_PER_SEC;
		if (o.baseline_from == NULL && o.baseline < o.size)
			rta_usage_error(usage_line, "--baseline is shorter "
			    "than a window");
		if (o.baseline / o.size > RTA_SHIFT_RING_MAX)
			rta_usage_error(usage_line, "--baseline holds more "
			    "than %d windows", RTA_SHIFT_RING_MAX);
		if (o.drift_psi == 0) {
			o.drift_psi = RTA_SHIFT_PSI_DEFAULT;
			o.drift_qdist = RTA_SHIFT_QDIST_DEFAULT;
		}
	}
	if (o.kind == 0)
		rta_usage_error(usage_line, "a window is needed: --tumbling, "
		    "--sliding or --session");
	if (o.kind == W_SESSION && o.detect != D_NONE)
		rta_usage_error(usage_line, "--detect goes with --tumbling or "
		    "--sliding");
	if (o.detect == D_NONE && o.drift == NULL && o.alerts != NULL)
		rta_usage_error(usage_line, "--alerts goes with --detect or "
		    "--drift");
	if (o.funnel != NULL) {
		if (o.kind != W_TUMBLING)
			rta_usage_error(usage_line, "--funnel goes with "
			    "--tumbling");
		if (o.user == NULL || o.within == 0)
			rta_usage_error(usage_line, "--funnel needs --user and "
			    "--within");
		if (agg_set || o.detect != D_NONE)
			rta_usage_error(usage_line, "--funnel counts its own "
			    "results: no --agg or --detect with it");
	} else if (o.user != NULL || o.within != 0)
		rta_usage_error(usage_line, "--user and --within go with "
		    "--funnel");
	if (o.spill && o.state == NULL)
		rta_usage_error(usage_line, "--at-cap spill needs --state DIR");
	if (o.spill && (o.kind == W_SESSION || o.funnel != NULL ||
	    o.detect != D_NONE))
		rta_usage_error(usage_line, "--at-cap spill goes with the "
		    "aggregates of --tumbling or --sliding windows: not "
		    "--session, --funnel or --detect");
	if (o.spill && (o.lateness > 0 || o.emit_every > 0))
		rta_usage_error(usage_line, "--at-cap spill writes each window "
		    "once: no --allowed-lateness or --emit-every with it");
	if (o.detect != D_NONE && o.min_history > o.history)
		rta_usage_error(usage_line, "--min-history is more than "
		    "--history");
	if (o.kind == W_SLIDING) {
		if (every == 0)
			rta_usage_error(usage_line, "--sliding needs --every");
		if (every > o.size || o.size % every != 0)
			rta_usage_error(usage_line, "--every must divide the "
			    "--sliding size");
		if (o.size / every > 1000)
			rta_usage_error(usage_line, "--sliding windows may "
			    "overlap at most 1000 times");
		o.slide = every;
	} else {
		if (every != 0)
			rta_usage_error(usage_line, "--every goes with "
			    "--sliding");
		o.slide = o.size;
	}
	return window_main(&o, &st, argc - optind, argv + optind);
}

/* ---- windows ------------------------------------------------------------- */

/* When x closes: a window at its end, a session a gap after its last
 * event. */
static int64_t
close_at(const struct wn *w, const struct win *x)
{
	return w->o->kind == W_SESSION ? x->end + w->o->size : x->end;
}

/* Heap order: due time, then group key, then start: the order in which
 * windows close, and so the order of the output. */
static int
win_before(const struct win *a, const struct win *b)
{
	int c;

	if (a->due != b->due)
		return a->due < b->due;
	c = memcmp(a->key, b->key, a->klen < b->klen ? a->klen : b->klen);
	if (c != 0)
		return c < 0;
	if (a->klen != b->klen)
		return a->klen < b->klen;
	return a->start < b->start;
}

static void
heap_set(struct wn *w, size_t i, struct win *x)
{
	w->heap[i] = x;
	x->heap_at = i;
}

static void
heap_up(struct wn *w, size_t i)
{
	struct win *x = w->heap[i];

	while (i > 0 && win_before(x, w->heap[(i - 1) / 2])) {
		heap_set(w, i, w->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_set(w, i, x);
}

static void
heap_down(struct wn *w, size_t i)
{
	struct win *x = w->heap[i];
	size_t c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= w->nheap)
			break;
		if (c + 1 < w->nheap && win_before(w->heap[c + 1], w->heap[c]))
			c++;
		if (!win_before(w->heap[c], x))
			break;
		heap_set(w, i, w->heap[c]);
		i = c;
	}
	heap_set(w, i, x);
}

static int
heap_push(struct wn *w, struct win *x)
{
	if (w->nheap == w->heapcap) {
		size_t cap = w->heapcap == 0 ? 1024 : w->heapcap * 2;
		struct win **h = rta_reallocarray(w->heap, cap, sizeof(*h));

		if (h == NULL)
			return -1;
		w->heap = h;
		w->heapcap = cap;
	}
	w->heap[w->nheap++] = x;
	heap_up(w, w->nheap - 1);
	return 0;
}

static struct win *
heap_pop(struct wn *w)
{
	struct win *x = w->heap[0];

	if (--w->nheap > 0) {
		heap_set(w, 0, w->heap[w->nheap]);
		heap_down(w, 0);
	}
	return x;
}

/* Take x out of the heap. */
static void
heap_remove(struct wn *w, struct win *x)
{
	size_t i = x->heap_at;
	struct win *y;

	if (--w->nheap > i) {
		y = w->heap[w->nheap];
		heap_set(w, i, y);
		heap_up(w, i);
		heap_down(w, y->heap_at);
	}
}

/* x's due time changed. */
static void
heap_fix(struct wn *w, struct win *x)
{
	heap_up(w, x->heap_at);
	heap_down(w, x->heap_at);
}

static uint64_t
win_hash(const struct wn *w, int64_t start, const void *key, size_t klen)
{
	return rta_hash64(key, klen, w->seed ^ (uint64_t)start *
	    0x9e3779b97f4a7c15ULL);
}

static void
tab_put(struct slot *t, size_t mask, uint64_t h, struct win *x)
{
	size_t i = h & mask;

	while (t[i].x != NULL)
		i = (i + 1) & mask;
	t[i].h = h;
	t[i].x = x;
}

static int
tab_grow(struct wn *w)
{
	size_t n = w->tmask == 0 ? 2048 : (w->tmask + 1) * 2, i;
	struct slot *t = rta_calloc(n, sizeof(*t));

	if (t == NULL)
		return -1;
	for (i = 0; w->tab != NULL && i <= w->tmask; i++)
		if (w->tab[i].x != NULL)
			tab_put(t, n - 1, w->tab[i].h, w->tab[i].x);
	rta_free(w->tab);
	w->tab = t;
	w->tmask = n - 1;
	return 0;
}

static struct win *
win_find(const struct wn *w, uint64_t h, int64_t start, const void *key,
    size_t klen)
{
	const struct slot *s;
	struct win *x;
	size_t i, at;

	for (i = h & w->tmask; (s = &w->tab[i])->x != NULL;
	    i = (i + 1) & w->tmask) {
		if (s->h != h)
			continue;
		x = s->x;
		for (at = 64; at < w->keyat + klen + 63; at += 64)
			__builtin_prefetch((const char *)x + at);
		if (x->start == start && x->klen == klen &&
		    memcmp(x->key, key, klen) == 0)
			return x;
	}
	return NULL;
}

/* Out of the table; the slots after it that may fill its place move up
 * (no tombstones, so lookups stay short however many windows closed). */
static void
win_unlink(struct wn *w, struct win *x)
{
	struct slot *t = w->tab;
	size_t mask = w->tmask, i = x->h & mask, j, k;

	while (t[i].x != x)
		i = (i + 1) & mask;
	for (j = i;;) {
		j = (j + 1) & mask;
		if (t[j].x == NULL)
			break;
		k = t[j].h & mask;
		/* j's entry stays unless its home is outside (i, j] */
		if (i <= j ? (k <= i || k > j) : (k <= i && k > j)) {
			t[i] = t[j];
			i = j;
		}
	}
	t[i].x = NULL;
	t[i].h = 0;
	w->nwin--;
}

/* Done with x: into the pool, or freed. */
static void
win_free(struct wn *w, struct win *x)
{
	struct rta_error err;

	if ((w->npool + w->nwin < w->peak || w->npool < POOL_MIN) &&
	    rta_agg_reset(w->specs, w->nspecs, x->acc, &err) == RTA_OK) {
		x->next = w->pool;
		w->pool = x;
		w->npool++;
		return;
	}
	rta_agg_release(w->specs, w->nspecs, x->acc);
	rta_free(x);
}

/* Free the pool. */
static void
pool_free(struct wn *w)
{
	struct win *x;

	while ((x = w->pool) != NULL) {
		w->pool = x->next;
		rta_agg_release(w->specs, w->nspecs, x->acc);
		rta_free(x);
	}
	w->npool = 0;
}

/*
 * The group object of an event: {"<field>": value, ...} for the --by
 * fields, missing ones as null; and the event's tenant when tenant_id is
 * one of them.
 */
static int
group_of(struct wn *w, const struct rta_event *ev, struct rta_buf *b)
{
	struct rta_fval v;
	size_t off = rta_venc_begin(b, RTA_V_OBJECT), i;
	char t[RTA_TIME_LEN];
	int rc = off == (size_t)-1;

	for (i = 0; i < w->nby && !rc; i++) {
		rc = rta_venc_key(b, w->by[i].text, strlen(w->by[i].text));
		if (rc)
			break;
		rta_field_get(&w->by[i], ev, &v);
		switch (v.kind) {
		case RTA_FV_STRING:
			rc = rta_venc_string(b, v.s, v.len);
			break;
		case RTA_FV_TIME:
			rta_time_format(t, v.i);
			rc = rta_venc_string(b, t, RTA_TIME_LEN);
			break;
		case RTA_FV_UINT:
			rc = rta_venc_int(b, v.i);
			break;
		case RTA_FV_VALUE:
			rc = rta_buf_add(b, v.v, rta_value_size(v.v));
			break;
		default:
			rc = rta_venc_null(b);
			break;
		}
	}
	if (rc)
		return -1;
	rta_venc_end(b, off, (uint32_t)w->nby);
	return 0;
}

/* The tenant of window x, as its group holds it (or ALL_TENANTS). */
static void
win_tenant(const struct wn *w, struct win *x)
{
	const char *ts;

	if (w->tenant_by >= 0) {
		ts = (const char *)rta_value_member(x->group, "tenant_id", 9);
		x->tenant = ts + 5;
		x->tenant_len = (uint8_t)rta_get_u32((const unsigned char *)
		    ts + 1);
	} else {
		x->tenant = ALL_TENANTS;
		x->tenant_len = sizeof(ALL_TENANTS) - 1;
	}
}

/* A new window (or session) for a group (its key in w->key, its group
 * object at group): one block with its accumulators (or funnel counts),
 * key and group object. */
static struct win *
win_new(struct wn *w, const unsigned char *group, size_t glen, uint64_t h,
    int64_t start, int64_t end)
{
	size_t head = offsetof(struct win, acc) +
	    w->nspecs * sizeof(struct rta_agg_acc);
	size_t fsz = w->nsteps * sizeof(uint64_t);
	size_t need = head + fsz + w->key.len + glen;
	struct win *x;
	struct rta_error err;

	if (w->nwin + 1 > (w->tmask + 1) / 2 && tab_grow(w) != 0)
		return NULL;
	if ((x = w->pool) != NULL) {
		w->pool = x->next;
		w->npool--;
		if (x->cap < need) {
			/*
			 * A longer key: grow the block rather than drop it,
			 * so that its accumulators keep the sketches' bins
			 * (groups of several key lengths would otherwise
			 * set up fresh sketches for every other window).
			 */
			struct win *nx;

			need = (need + 63) & ~(size_t)63;
			if ((nx = rta_realloc(x, need)) == NULL) {
				rta_agg_release(w->specs, w->nspecs, x->acc);
				rta_free(x);
				return NULL;
			}
			x = nx;
			x->cap = need;
		}
	}
	if (x != NULL) {
		/* emptied on the way in: clear all but the accumulators */
		need = x->cap;
		memset(x, 0, offsetof(struct win, acc));
		memset((unsigned char *)x + head, 0, fsz);
	} else {
		need = (need + 63) & ~(size_t)63;	/* room to reuse */
		if ((x = rta_malloc(need)) == NULL)
			return NULL;
		memset(x, 0, head + fsz);
		if (rta_agg_init(w->specs, w->nspecs, x->acc, &err) !=
		    RTA_OK) {
			rta_free(x);
			return NULL;
		}
	}
	x->cap = need;
	x->fc = (uint64_t *)(void *)((unsigned char *)x + head);
	head += fsz;
	w->keyat = head;
	x->key = (unsigned char *)x + head;
	memcpy(x->key, w->key.data, w->key.len);
	x->group = x->key + w->key.len;
	memcpy(x->group, group, glen);
	x->glen = glen;
	x->klen = (uint32_t)w->key.len;
	x->h = h;
	x->start = start;
	x->end = end;
	x->id_start = w->o->kind == W_SESSION ? INT64_MIN : start;
	x->due = close_at(w, x);
	win_tenant(w, x);
	if (heap_push(w, x) != 0) {
		win_free(w, x);
		return NULL;
	}
	tab_put(w->tab, w->tmask, h, x);
	if (++w->nwin > w->peak)
		w->peak = w->nwin;
	return x;
}

/* ---- output -------------------------------------------------------------- */

static int
nomem(struct wn *w)
{
	rta_warnx("out of memory");
	rta_cli_status(&w->st->status, RTA_EXIT_LIMIT);
	w->failed = 1;
	return -1;
}

/* The record id of x: the window spec, its start, the group key. */
static int
record_id(struct wn *w, struct win *x, char id[RTA_UUID_LEN])
{
	unsigned char idin[64 + 8 + 4];

	if (x->id_start == INT64_MIN)
		x->id_start = x->start;
	memcpy(idin, w->spec_id, 64);
	rta_put_u64(idin + 64, (uint64_t)x->id_start);
	rta_put_u32(idin + 72, x->klen);
	w->idb.len = 0;
	if (rta_buf_add(&w->idb, idin, sizeof(idin)) != 0 ||
	    rta_buf_add(&w->idb, x->key, x->klen) != 0)
		return nomem(w);
	rta_uuid_v8_hash(id, w->idb.data, w->idb.len);
	return 0;
}

/* A session's own members: {"duration": seconds, "events": n,
 * "first_type": t, "last_type": t}. */
static int
session_info(struct wn *w, const struct win *x, struct rta_buf *p)
{
	const struct rta_agg_acc *a = &x->acc[w->nout];
	size_t off = rta_venc_begin(p, RTA_V_OBJECT);
	int rc, i;

	rc = off == (size_t)-1 || rta_venc_key(p, "duration", 8) ||
	    put_num(p, (double)(x->end - x->start) / RTA_US_PER_SEC) ||
	    rta_venc_key(p, "events", 6) ||
	    rta_venc_int(p, (int64_t)a[0].n);
	for (i = 1; i <= 2 && !rc; i++)
		rc = rta_venc_key(p, i == 1 ? "first_type" : "last_type",
		    i == 1 ? 10 : 9) || (a[i].n > 0 ?
		    rta_buf_add(p, a[i].value.data, a[i].value.len) :
		    rta_venc_null(p));
	if (rc)
		return -1;
	rta_venc_end(p, off, 4);
	return 0;
}

/* Write the record of x (a new version of it); merged_into, the id of
 * the session x was joined into (x's accumulators then empty). */
static int
emit(struct wn *w, struct win *x, int final, const char *merged_into)
{
	struct rta_record rec;
	struct rta_buf *p = &w->payload;
	char t[RTA_TIME_LEN];
	size_t off;
	int rc, session = w->o->kind == W_SESSION;

	p->len = 0;
	off = rta_venc_begin(p, RTA_V_OBJECT);
	rta_time_format(t, x->end);
	rc = off == (size_t)-1 || rta_venc_key(p, "end", 3) ||
	    rta_venc_string(p, t, RTA_TIME_LEN) ||
	    rta_venc_key(p, "final", 5) || rta_venc_bool(p, final) ||
	    rta_venc_key(p, "group", 5) ||
	    rta_buf_add(p, x->group, x->glen);
	if (!rc && merged_into != NULL)
		rc = rta_venc_key(p, "merged_into", 11) ||
		    rta_venc_string(p, merged_into, RTA_UUID_LEN);
	rc = rc || rta_venc_key(p, "results", 7) || (w->nsteps > 0 ?
	    funnel_put(w, x, p, 0) :
	    rta_agg_results(w->specs, w->nout, x->acc, p));
	if (!rc && session)
		rc = rta_venc_key(p, "session", 7) || session_info(w, x, p);
	rc = rc || rta_venc_key(p, "states", 6) || (w->nsteps > 0 ?
	    funnel_put(w, x, p, 1) :
	    rta_agg_states(w->specs, w->nout, x->acc, p));
	if (rc)
		return nomem(w);
	rta_venc_end(p, off, 5 + session + (merged_into != NULL));
	if (record_id(w, x, w->id) != 0)
		return -1;
	memset(&rec, 0, sizeof(rec));
	rec.kind = RTA_REC_AGGREGATE;
	rec.ev.id = w->id;
	rec.ev.id_len = RTA_UUID_LEN;
	rec.ev.type = w->nsteps > 0 ? "funnel" : w->o->kind == W_TUMBLING ?
	    "tumbling" : session ? "session" : "sliding";
	rec.ev.type_len = (uint8_t)strlen(rec.ev.type);
	rec.ev.tenant = x->tenant;
	rec.ev.tenant_len = x->tenant_len;
	rec.ev.ts = x->start;
	rec.ev.schema_version = ++x->version;
	rec.ev.payload = p->data;
	rec.ev.payload_len = p->len;
	x->dirty = 0;
	w->emitted++;
	if (x->finals)
		w->updates++;
	if (final)
		x->finals = 1;
	if (rta_stage_emit_derived(w->st, &rec) != RTA_OK) {
		w->failed = 1;
		return -1;
	}
	return 0;
}

static int
emit_watermark(struct wn *w, int64_t wm)
{
	struct rta_record rec;

	if (wm <= w->emitted_wm)
		return 0;
	w->emitted_wm = wm;
	memset(&rec, 0, sizeof(rec));
	rec.kind = RTA_REC_WATERMARK;
	rec.watermark = wm;
	return rta_stage_emit_derived(w->st, &rec) == RTA_OK ? 0 : -1;
}

/* ---- anomalies ----------------------------------------------------------- */

/* Forget the histories of groups with no window in the last --history
 * (window ends up to end). */
static void
hist_sweep(struct wn *w, int64_t end)
{
	int64_t span = (int64_t)w->o->history * w->o->slide;
	struct hist **pp, *e;
	size_t i;

	for (i = 0; w->htab != NULL && i <= w->hmask; i++)
		for (pp = &w->htab[i]; (e = *pp) != NULL;)
			if (e->last_end != INT64_MIN && e->last_end <= end - span) {
				*pp = e->next;
				rta_free(e);
				w->nhist--;
			} else
				pp = &e->next;
}

/* x's group's history, made if new; NULL on ENOMEM, or with *full set
 * when --max-groups histories are held and none is old enough to go. */
static struct hist *
hist_get(struct wn *w, const struct win *x, int *full)
{
	uint64_t h = rta_hash64(x->key, x->klen, w->seed);
	struct hist *e, **t;
	size_t i, n;

	*full = 0;
	if (w->htab != NULL)
		for (e = w->htab[h & w->hmask]; e != NULL; e = e->next)
			if (e->h == h && e->klen == x->klen &&
			    memcmp(e->key, x->key, x->klen) == 0)
				return e;
	if (w->nhist >= w->o->max_groups) {
		hist_sweep(w, x->end);
		if (w->nhist >= w->o->max_groups) {
			*full = 1;
			return NULL;
		}
	}
	if (w->nhist + 1 > w->hmask + 1 || w->htab == NULL) {
		n = w->htab == NULL ? 256 : (w->hmask + 1) * 2;
		if ((t = rta_calloc(n, sizeof(*t))) == NULL)
			return NULL;
		for (i = 0; w->htab != NULL && i <= w->hmask; i++)
			while ((e = w->htab[i]) != NULL) {
				w->htab[i] = e->next;
				e->next = t[e->h & (n - 1)];
				t[e->h & (n - 1)] = e;
			}
		rta_free(w->htab);
		w->htab = t;
		w->hmask = n - 1;
	}
	n = w->o->detect == D_ZSCORE ? (size_t)w->o->history : 0;
	if ((e = rta_calloc(1, sizeof(*e) + n * sizeof(double) +
	    x->klen)) == NULL)
		return NULL;
	e->h = h;
	e->last_end = INT64_MIN;
	e->klen = x->klen;
	e->key = (unsigned char *)&e->v[n];
	memcpy(e->key, x->key, x->klen);
	e->next = w->htab[h & w->hmask];
	w->htab[h & w->hmask] = e;
	w->nhist++;
	return e;
}

/* Take in the value of one more window. */
static void
hist_push(const struct wn *w, struct hist *e, double v)
{
	double a, d, inc;

	if (w->o->detect == D_ZSCORE) {
		e->v[e->pos] = v;
		e->pos = (e->pos + 1) % w->o->history;
		if (e->n < w->o->history)
			e->n++;
		return;
	}
	/* EWMA over about history windows: alpha = 2 / (history + 1) */
	a = 2.0 / ((double)w->o->history + 1);
	if (e->n == 0) {
		e->mean = v;
		e->var = 0;
	} else {
		d = v - e->mean;
		inc = a * d;
		e->mean += inc;
		e->var = (1 - a) * (e->var + d * inc);
	}
	if (e->n < w->o->history)
		e->n++;
}

/* What the history expects: its mean and standard deviation. */
static void
hist_expect(const struct wn *w, const struct hist *e, double *mean,
    double *sd)
{
	double m = 0, q = 0, d;
	uint64_t i;

	if (w->o->detect == D_EWMA) {
		*mean = e->mean;
		*sd = sqrt(e->var);
		return;
	}
	for (i = 0; i < e->n; i++)
		m += e->v[i];
	m /= (double)e->n;
	for (i = 0; i < e->n; i++) {
		d = e->v[i] - m;
		q += d * d;
	}
	*mean = m;
	*sd = e->n > 1 ? sqrt(q / (double)(e->n - 1)) : 0;
}

static int
put_num(struct rta_buf *b, double d)
{
	return isfinite(d) ? rta_venc_double(b, d == 0 ? 0 : d) :
	    rta_venc_null(b);
}

static int
write_all(int fd, const void *p, size_t len)
{
	const unsigned char *q = p;
	ssize_t k;

	while (len > 0) {
		if ((k = write(fd, q, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		q += k;
		len -= (size_t)k;
	}
	return 0;
}

/*
 * Write an event of x's window made by the stage (type rta.alert or
 * rta.drift, payload in w->payload), to --alerts or stdout; its id is
 * the window's record id hashed with mark (6 bytes).
 */
static int
put_event(struct wn *w, const struct win *x, const char *type,
    const char *mark)
{
	struct rta_record rec;
	unsigned char in[RTA_UUID_LEN + 6];
	char id[RTA_UUID_LEN];

	memcpy(in, w->id, RTA_UUID_LEN);
	memcpy(in + RTA_UUID_LEN, mark, 6);
	rta_uuid_v8_hash(id, in, sizeof(in));
	memset(&rec, 0, sizeof(rec));
	rec.kind = RTA_REC_EVENT;
	rec.ev.id = id;
	rec.ev.id_len = RTA_UUID_LEN;
	rec.ev.type = type;
	rec.ev.type_len = (uint8_t)strlen(type);
	rec.ev.tenant = x->tenant;
	rec.ev.tenant_len = x->tenant_len;
	rec.ev.ts = x->start;
	rec.ev.schema_version = 1;
	rec.ev.payload = w->payload.data;
	rec.ev.payload_len = w->payload.len;
	if (w->alerts_fd < 0)
		return rta_stage_emit_derived(w->st, &rec) == RTA_OK ? 0 : -1;
	w->alert.len = 0;
	if (rta_ndjson_put(&w->alert, &rec) != 0 ||
	    write_all(w->alerts_fd, w->alert.data, w->alert.len) != 0) {
		rta_warnx("%s: %s", w->o->alerts, strerror(errno));
		rta_cli_status(&w->st->status, RTA_EXIT_IO);
		return -1;
	}
	return 0;
}

/* Write an alert: an event of type rta.alert, to --alerts or stdout. */
static int
alert(struct wn *w, const struct win *x, double v, double mean, double sd,
    double z, uint64_t n)
{
	const struct rta_agg_spec *sp = &w->specs[w->det];
	struct rta_buf *p = &w->payload;
	char t1[RTA_TIME_LEN], t2[RTA_TIME_LEN];
	size_t off;
	int rc;

	p->len = 0;
	off = rta_venc_begin(p, RTA_V_OBJECT);
	rta_time_format(t1, x->start);
	rta_time_format(t2, x->end);
	rc = off == (size_t)-1 || rta_venc_key(p, "window_start", 12) ||
	    rta_venc_string(p, t1, RTA_TIME_LEN) ||
	    rta_venc_key(p, "window_end", 10) ||
	    rta_venc_string(p, t2, RTA_TIME_LEN) ||
	    rta_venc_key(p, "record_id", 9) ||
	    rta_venc_string(p, w->id, RTA_UUID_LEN) ||
	    rta_venc_key(p, "group", 5) ||
	    rta_buf_add(p, x->group, x->glen) ||
	    rta_venc_key(p, "aggregate", 9) ||
	    rta_venc_string(p, sp->name, sp->name_len) ||
	    rta_venc_key(p, "method", 6) ||
	    rta_venc_string(p, w->o->detect == D_ZSCORE ? "zscore" : "ewma",
	    w->o->detect == D_ZSCORE ? 6 : 4) ||
	    rta_venc_key(p, "observed", 8) || put_num(p, v) ||
	    rta_venc_key(p, "expected", 8) || put_num(p, mean) ||
	    rta_venc_key(p, "stddev", 6) || put_num(p, sd) ||
	    rta_venc_key(p, "score", 5) || put_num(p, z) ||
	    rta_venc_key(p, "threshold", 9) ||
	    put_num(p, w->o->threshold) ||
	    rta_venc_key(p, "history", 7) || rta_venc_int(p, (int64_t)n);
	if (rc) {
		rta_warnx("out of memory");
		rta_cli_status(&w->st->status, RTA_EXIT_LIMIT);
		return -1;
	}
	rta_venc_end(p, off, 12);
	w->nalerts++;
	return put_event(w, x, "rta.alert", "/alert");
}

/*
 * A window of x's group has closed (its record just written): compare
 * the watched aggregate with the group's history, alert when it is
 * --detect's threshold or more standard deviations away, then add it.
 * Windows of the group that never opened count as 0 for count, sum and
 * distinct, and are skipped for the others.
 */
static int
detect(struct wn *w, const struct win *x)
{
	const struct rta_agg_spec *sp = &w->specs[w->det];
	struct hist *e;
	double v, mean, sd, z;
	int64_t gap;
	int full;

	if (!rta_agg_number(sp, &x->acc[w->det], &v))
		return 0;
	if ((e = hist_get(w, x, &full)) == NULL && full) {
		w->unwatched++;
		return 0;
	}
	if (e == NULL) {
		rta_warnx("out of memory");
		rta_cli_status(&w->st->status, RTA_EXIT_LIMIT);
		return -1;
	}
	if (e->last_end != INT64_MIN && (sp->kind == RTA_AGG_COUNT ||
	    sp->kind == RTA_AGG_SUM || sp->kind == RTA_AGG_DISTINCT)) {
		/* the group's windows that started after its last one and
		 * before this one, and so held nothing */
		gap = (x->start - (e->last_end - w->o->size)) / w->o->slide - 1;
		if (gap > (int64_t)w->o->history)
			gap = (int64_t)w->o->history;
		while (gap-- > 0)
			hist_push(w, e, 0);
	}
	if (x->end > e->last_end)
		e->last_end = x->end;
	if (e->n >= w->o->min_history) {
		hist_expect(w, e, &mean, &sd);
		if (sd > 0)
			z = (v - mean) / sd;
		else
			z = v == mean ? 0 : v > mean ? HUGE_VAL : -HUGE_VAL;
		if (fabs(z) >= w->o->threshold &&
		    alert(w, x, v, mean, sd, z, e->n) != 0)
			return -1;
	}
	hist_push(w, e, v);
	return 0;
}

/*
 * Whether a scored window drifted: PSI past --drift-alert's and past
 * what windows of its size reach by chance, or (numbers) a quantile
 * moved past both --drift-alert's distance and the chance one.
 */
static int
drifted(const struct wn *w, const struct rta_shift *sc)
{
	return (sc->psi >= w->o->drift_psi && sc->psi >= sc->psi_critical) ||
	    (!w->o->drift_cat && sc->qdist >= w->o->drift_qdist &&
	    sc->qdist >= sc->qdist_critical);
}

/* Write a drift event (rta.drift) or its alert (rta.alert) to --alerts
 * or stdout. */
static int
drift_put(struct wn *w, const struct win *x, const struct rta_shift *sc,
    const struct rta_shift_base *bs, uint64_t count, int is_alert)
{
	struct rta_buf *p = &w->payload;
	char t1[RTA_TIME_LEN], t2[RTA_TIME_LEN];
	size_t off, arr, i;
	uint32_t n = 0;
	int rc;

	p->len = 0;
	off = rta_venc_begin(p, RTA_V_OBJECT);
	rta_time_format(t1, x->start);
	rta_time_format(t2, x->end);
#define KEY(k) rta_venc_key(p, k, sizeof(k) - 1)
	rc = off == (size_t)-1 || KEY("window_start") ||
	    rta_venc_string(p, t1, RTA_TIME_LEN) || KEY("window_end") ||
	    rta_venc_string(p, t2, RTA_TIME_LEN) || KEY("group") ||
	    rta_buf_add(p, x->group, x->glen) || KEY("field") ||
	    rta_venc_string(p, w->o->drift, strlen(w->o->drift)) ||
	    KEY("kind") || (w->o->drift_cat ?
	    rta_venc_string(p, "categorical", 11) :
	    rta_venc_string(p, "numeric", 7)) || KEY("psi") ||
	    put_num(p, sc->psi) || KEY("psi_critical") ||
	    put_num(p, sc->psi_critical);
	n = 7;
	if (!rc && is_alert) {
		rc = KEY("method") || rta_venc_string(p, "drift", 5) ||
		    KEY("score") || put_num(p, sc->psi) ||
		    KEY("threshold") || put_num(p, w->o->drift_psi);
		n += 3;
	}
	if (!rc && !w->o->drift_cat) {
		rc = KEY("quantile_distance") || put_num(p, sc->qdist) ||
		    KEY("quantile_critical") ||
		    put_num(p, sc->qdist_critical) ||
		    KEY("quantile_threshold") || put_num(p, w->o->drift_qdist);
		n += 3;
	} else if (!rc) {
		rc = KEY("new_share") || put_num(p, sc->new_share);
		n++;
	}
	rc = rc || KEY("count") || rta_venc_int(p, (int64_t)count) ||
	    KEY("baseline_count") || rta_venc_int(p, (int64_t)bs->count) ||
	    KEY("baseline_windows") || rta_venc_int(p,
	    (int64_t)bs->windows) || KEY("drifted") ||
	    rta_venc_bool(p, drifted(w, sc)) || KEY("shifted");
	n += 5;
	if (!rc && (arr = rta_venc_begin(p, RTA_V_ARRAY)) != (size_t)-1) {
		for (i = 0; i < sc->n && !rc; i++) {
			size_t o2 = rta_venc_begin(p, RTA_V_OBJECT);

			if (w->o->drift_cat)
				rc = o2 == (size_t)-1 || KEY("category") ||
				    (sc->cat[i].item == NULL ?
				    rta_venc_null(p) : rta_venc_string(p,
				    sc->cat[i].item, sc->cat[i].len)) ||
				    KEY("baseline") ||
				    put_num(p, sc->cat[i].base) ||
				    KEY("current") ||
				    put_num(p, sc->cat[i].cur);
			else
				rc = o2 == (size_t)-1 || KEY("quantile") ||
				    put_num(p, sc->q[i].q) ||
				    KEY("baseline") ||
				    put_num(p, sc->q[i].base) ||
				    KEY("current") || put_num(p, sc->q[i].cur);
			if (!rc)
				rta_venc_end(p, o2, 3);
		}
		if (!rc)
			rta_venc_end(p, arr, (uint32_t)sc->n);
	} else
		rc = -1;
#undef KEY
	if (rc) {
		rta_warnx("out of memory");
		rta_cli_status(&w->st->status, RTA_EXIT_LIMIT);
		return -1;
	}
	rta_venc_end(p, off, n);
	if (is_alert)
		w->nalerts++;
	else
		w->ndrift++;
	return put_event(w, x, is_alert ? "rta.alert" : "rta.drift",
	    is_alert ? "/dalrt" : "/drift");
}

/*
 * The key of a group object for a stored baseline: each --by field's
 * member (null when missing) as rta_fval_key has it, so that a group
 * read from a file and a window's agree whatever their values' encoding.
 */
static int
group_key(const struct wn *w, const unsigned char *group, struct rta_buf *b)
{
	static const unsigned char vnull[1] = { RTA_V_NULL };
	struct rta_fval v;
	size_t i;

	b->len = 0;
	memset(&v, 0, sizeof(v));
	v.kind = RTA_FV_VALUE;
	for (i = 0; i < w->nby; i++) {
		v.v = rta_value_member(group, w->by[i].text,
		    strlen(w->by[i].text));
		if (v.v == NULL)
			v.v = vnull;
		if (rta_fval_key(b, &v) != 0)
			return -1;
	}
	return 0;
}

/*
 * --baseline-from: the file's records (aggregate records with a state
 * that gives the drift aggregate, or raw events) merged per group, as
 * rta-query --merge does, each group's sketch then its fixed baseline.
 * 0, or an exit status (a bad record stops: a baseline is all or none).
 */
static int
baseline_load(struct wn *w, const char *path)
{
	struct rta_query_spec qs;
	struct rta_query *q = NULL;
	struct rta_reader_opts ro;
	struct rta_reader *r = NULL;
	struct rta_record rec;
	struct rta_query_row row;
	const struct rta_where *wh;
	struct rta_error err;
	size_t i, n, nset = 0;
	int rc, status = 0;

	memset(&qs, 0, sizeof(qs));
	qs.from = INT64_MIN;
	qs.to = INT64_MAX;
	qs.by = w->by;
	qs.nby = w->nby;
	qs.aggs = &w->specs[w->dspec];
	qs.naggs = 1;
	qs.max_groups = w->o->max_groups;
	/* the input's limits (--max-line), read here and now */
	ro = w->st->ropts;
	ro.follow = 0;
	ro.ahead = 0;
	ro.idle = NULL;
	ro.idle_arg = NULL;
	ro.moving = NULL;
	ro.moving_arg = NULL;
	if (rta_query_new(&qs, &q, &err) != RTA_OK ||
	    (r = rta_reader_new(&ro)) == NULL) {
		rta_warnx("out of memory");
		status = RTA_EXIT_LIMIT;
		goto done;
	}
	if (rta_reader_open(r, path, &err) != RTA_OK) {
		rta_warnx("%s", err.text);
		status = RTA_EXIT_IO;
		goto done;
	}
	while ((rc = rta_reader_next(r, &rec, &err)) != RTA_EOF) {
		if (rc == RTA_OK && (rc = rta_query_add(q, &rec, &err)) ==
		    RTA_OK)
			continue;
		wh = rta_reader_where(r);
		if (wh->line > 0)
			rta_warnx("%s:%llu: %s", wh->source,
			    (unsigned long long)wh->line, err.text);
		else
			rta_warnx("%s: offset %llu: %s", wh->source,
			    (unsigned long long)wh->offset, err.text);
		status = rc == RTA_EDATA ? RTA_EXIT_DATA : rta_exit_code(rc);
		goto done;
	}
	n = rta_query_nrows(q);
	for (i = 0; i < n; i++) {
		if (!rta_query_row(q, i, &row) ||
		    group_key(w, row.group, &w->gkey) != 0) {
			rta_warnx("out of memory");
			status = RTA_EXIT_LIMIT;
			goto done;
		}
		if ((rc = rta_shift_watch_fix(w->watch, w->gkey.data,
		    w->gkey.len, row.acc[0].sketch, &err)) != RTA_OK) {
			rta_warnx("%s: %s", path, err.text);
			status = rta_exit_code(rc);
			goto done;
		}
		nset += (w->o->drift_cat ? rta_topk_total(row.acc[0].sketch) :
		    rta_dds_count(row.acc[0].sketch)) > 0;
	}
	if (nset == 0) {
		rta_warnx("%s: no baseline: no values of %s in its events or "
		    "aggregate records", path, w->o->drift);
		status = RTA_EXIT_DATA;
	}
done:
	rta_reader_free(r);
	rta_query_free(q);
	return status;
}

/*
 * A window of x's group has closed: score the distribution of --drift's
 * field against the group's baseline, write the drift record (and an
 * alert past --drift-alert), then keep the window for later baselines.
 */
static int
drift(struct wn *w, const struct win *x)
{
	const struct rta_agg_acc *a = &x->acc[w->dspec];
	struct rta_shift sc;
	struct rta_shift_base bs;
	struct rta_error err;
	const void *key = x->key;
	size_t klen = x->klen;
	uint64_t count;
	int rc, full, scored;

	count = w->o->drift_cat ? rta_topk_total(a->sketch) :
	    rta_dds_count(a->sketch);
	if (w->o->baseline_from != NULL) {
		if (group_key(w, x->group, &w->gkey) != 0) {
			rta_warnx("out of memory");
			rta_cli_status(&w->st->status, RTA_EXIT_LIMIT);
			return -1;
		}
		key = w->gkey.data;
		klen = w->gkey.len;
	}
	if ((rc = rta_shift_watch_close(w->watch, key, klen, x->start,
	    a->sketch, &sc, &bs, &scored, &full, &err)) != RTA_OK) {
		rta_warnx("%s", err.text);
		rta_cli_status(&w->st->status, rc == RTA_ENOMEM ?
		    RTA_EXIT_LIMIT : RTA_EXIT_DATA);
		return -1;
	}
	if (full || (w->o->baseline_from != NULL && count > 0 &&
	    bs.windows == 0)) {
		w->drift_unwatched++;
		return 0;
	}
	if (!scored)
		return 0;
	if (drift_put(w, x, &sc, &bs, count, 0) != 0)
		return -1;
	if (drifted(w, &sc) && drift_put(w, x, &sc, &bs, count, 1) != 0)
		return -1;
	return 0;
}

/* Windows due by the watermark: the open ones close (their final
 * record), the fired ones leave once past their lateness. */
static int
fire(struct wn *w, int64_t upto, int all)
{
	struct win *x;
	int64_t sp;
	int any = 0;

	for (;;) {
		/* a spilled window end has no window left in memory: it
		 * goes whole, in its turn */
		if (w->o->spill && rta_spill_first(&w->spill, &sp) &&
		    (all || sp <= upto) && (w->nheap == 0 ||
		    sp <= w->heap[0]->due)) {
			if (spill_emit(w, sp) != 0)
				return -1;
			any = 1;
			continue;
		}
		if (w->nheap == 0 || (!all && w->heap[0]->due > upto))
			break;
		x = heap_pop(w);
		if (!x->fired) {
			if (emit(w, x, 1, NULL) != 0)
				return -1;
			if (w->o->detect != D_NONE && detect(w, x) != 0)
				return -1;
			if (w->watch != NULL && drift(w, x) != 0)
				return -1;
			x->fired = 1;
			any = 1;
			if (w->o->lateness > 0 && !all && w->nsteps == 0) {
				x->due += w->o->lateness;
				if (heap_push(w, x) != 0)
					return -1;
				continue;
			}
		} else if (x->dirty && emit(w, x, 1, NULL) != 0)
			return -1;
		win_unlink(w, x);
		win_free(w, x);
	}
	if (any && !all)
		return emit_watermark(w, upto);
	return 0;
}

static int
cmp_win(const void *a, const void *b)
{
	const struct win *x = *(struct win *const *)a;
	const struct win *y = *(struct win *const *)b;

	if (win_before(x, y))
		return -1;
	return win_before(y, x);
}

/* --emit-every: the open windows changed since their last record. */
static int
emit_early(struct wn *w)
{
	struct win **v;
	size_t i, n = 0;
	int rc = 0;

	if (w->nheap == 0)
		return 0;
	if ((v = rta_reallocarray(NULL, w->nheap, sizeof(*v))) == NULL)
		return -1;
	for (i = 0; i < w->nheap; i++)
		if (w->heap[i]->dirty && !w->heap[i]->fired)
			v[n++] = w->heap[i];
	qsort(v, n, sizeof(*v), cmp_win);
	for (i = 0; i < n && rc == 0; i++)
		rc = emit(w, v[i], 0, NULL);
	rta_free(v);
	return rc;
}

/* The watermark moved to wm: windows close, then early records. */
static int
advance(struct wn *w, int64_t wm)
{
	int64_t tick;

	if (wm <= w->wm && w->wm != INT64_MIN)
		return 0;
	w->wm = wm;
	w->st->m.watermark = wm;
	if (w->nsteps > 0 && funnel_run(w, wm - w->o->lateness) != 0)
		return -1;
	if (fire(w, wm, 0) != 0)
		return -1;
	if (w->o->emit_every > 0) {
		/* when the watermark crosses into a new period */
		tick = wm / w->o->emit_every - (wm % w->o->emit_every < 0);
		if (tick != w->tick) {
			if (w->tick != INT64_MIN && emit_early(w) != 0)
				return -1;
			w->tick = tick;
		}
	}
	return 0;
}

/* ---- idle input ------------------------------------------------------------ */

static int64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * RTA_US_PER_SEC + ts.tv_nsec / 1000;
}

/*
 * The reader's idle hook: before the input may block, and each second
 * while it does.  With --idle, once the input has been quiet that long,
 * event time is taken to go on at the wall clock's pace: the watermark
 * moves to the last one the stream implied plus the quiet time, and the
 * windows it passes close, so that a live dashboard does not wait for the
 * next event.
 */
static void
window_idle(void *arg)
{
	struct wn *w = arg;
	int64_t quiet, wm;

	if (w->o->idle > 0 && !w->failed && !w->st->stop) {
		quiet = mono_us() - w->last_input;
		wm = watermark_now(w);
		if (quiet >= w->o->idle && wm != INT64_MIN &&
		    wm < RTA_TIME_MAX - quiet)
			(void)advance(w, wm + quiet);
	}
	rta_stage_idle(w->st);
}

/* ---- events -------------------------------------------------------------- */

static void
send_late(struct wn *w, const struct rta_record *rec)
{
	const unsigned char *raw;
	size_t len;
	uint64_t total;
	struct rta_error e, err;
	char t[RTA_TIME_LEN + 1], detail[64];
	int n;

	w->late_events++;
	rta_stage_drop(w->st);
	if (!w->late_open)
		return;
	rta_time_format(t, w->wm);
	t[RTA_TIME_LEN] = '\0';
	rta_error_set(&e, RTA_EDATA, "late", "event time before the "
	    "watermark %s and past the allowed lateness", t);
	n = snprintf(detail, sizeof(detail), "\"watermark\":\"%s\"", t);
	rta_reader_raw(w->st->rd, &raw, &len, &total);
	(void)rec;
	if (rta_deadletter_put_detail(&w->late, rta_reader_where(w->st->rd),
	    &e, raw, len, total, detail, (size_t)n, &err) != RTA_OK) {
		rta_warnx("%s", err.text);
		rta_cli_status(&w->st->status, RTA_EXIT_IO);
		w->failed = 1;
	}
}

static void
reject(struct wn *w, const struct rta_record *rec, const char *reason,
    const char *text)
{
	const unsigned char *raw;
	size_t len;
	uint64_t total;
	struct rta_error e;

	rta_error_set(&e, RTA_EDATA, reason, "%s", text);
	rta_reader_raw(w->st->rd, &raw, &len, &total);
	rta_stage_reject(w->st, &rec->ev, &e, raw, len);
}

/* ---- funnels -------------------------------------------------------------- */

static int
q_before(const struct qent *a, const struct qent *b)
{
	return a->k != b->k ? a->k < b->k : a->s < b->s;
}

static int
q_push(struct queue *q, int64_t k, uint64_t s, void *p, uint32_t aux)
{
	struct qent e = { k, s, p, aux };
	size_t i, up;

	if (q->n == q->cap) {
		size_t cap = q->cap == 0 ? 256 : q->cap * 2;
		struct qent *v = rta_reallocarray(q->v, cap, sizeof(*v));

		if (v == NULL)
			return -1;
		q->v = v;
		q->cap = cap;
	}
	for (i = q->n++; i > 0; i = up) {
		up = (i - 1) / 2;
		if (!q_before(&e, &q->v[up]))
			break;
		q->v[i] = q->v[up];
	}
	q->v[i] = e;
	return 0;
}

static struct qent
q_pop(struct queue *q)
{
	struct qent top = q->v[0], e = q->v[--q->n];
	size_t i = 0, c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= q->n)
			break;
		if (c + 1 < q->n && q_before(&q->v[c + 1], &q->v[c]))
			c++;
		if (!q_before(&q->v[c], &e))
			break;
		q->v[i] = q->v[c];
		i = c;
	}
	if (q->n > 0)
		q->v[i] = e;
	return top;
}

static int
track_grow(struct wn *w)
{
	size_t n = w->ttmask == 0 ? 1024 : (w->ttmask + 1) * 2, i;
	struct track **t = rta_calloc(n, sizeof(*t)), *x, *nx;

	if (t == NULL)
		return -1;
	for (i = 0; w->ttab != NULL && i <= w->ttmask; i++)
		for (x = w->ttab[i]; x != NULL; x = nx) {
			nx = x->next;
			x->next = t[x->h & (n - 1)];
			t[x->h & (n - 1)] = x;
		}
	rta_free(w->ttab);
	w->ttab = t;
	w->ttmask = n - 1;
	return 0;
}

static void
track_free(struct wn *w, struct track *t)
{
	struct track **pp = &w->ttab[t->h & w->ttmask];

	while (*pp != t)
		pp = &(*pp)->next;
	*pp = t->next;
	w->ntracks--;
	rta_free(t);
}

/* When t may be forgotten: its attempt over, its window's time past. */
static int64_t
track_expiry(const struct wn *w, const struct track *t)
{
	int64_t a = t->entry == INT64_MIN ? INT64_MIN : t->entry +
	    w->o->within;
	int64_t b = t->cw == INT64_MIN ? INT64_MIN : t->cw + w->o->size;

	return a > b ? a : b;
}

/* The user counts in its attempt's window up to the step it reached. */
static int
credit(struct wn *w, struct track *t)
{
	const struct opts *o = w->o;
	int64_t ws = t->entry / o->size * o->size;
	struct win *x;
	uint64_t h;
	unsigned i;

	if (t->entry % o->size < 0)
		ws -= o->size;
	if (t->cw != ws) {
		t->cw = ws;
		t->clevel = 0;
	}
	if (t->level <= t->clevel)
		return 0;
	w->key.len = 0;
	if (rta_buf_add(&w->key, t->key, t->gklen) != 0)
		return nomem(w);
	h = win_hash(w, ws, t->key, t->gklen);
	if ((x = win_find(w, h, ws, t->key, t->gklen)) == NULL) {
		if ((x = win_new(w, t->group, t->glen, h, ws, ws + o->size)) ==
		    NULL)
			return nomem(w);
		/* complete once every attempt entering it has ended, and
		 * the lateness passed */
		x->due = x->end + o->within + o->lateness;
		heap_fix(w, x);
	}
	for (i = t->clevel; i < t->level; i++)
		x->fc[i]++;
	t->clevel = t->level;
	x->dirty = 1;
	return 0;
}

/* A step event of t, in event time order. */
static int
funnel_step(struct wn *w, struct track *t, int64_t ts, unsigned step)
{
	if (t->entry != INT64_MIN && ts - t->entry > w->o->within)
		t->entry = INT64_MIN;		/* the attempt is over */
	if (t->entry == INT64_MIN) {
		if (step != 0)
			return 0;
		t->entry = ts;
		t->level = 1;
	} else if (step == t->level)
		t->level++;
	else
		return 0;
	return credit(w, t);
}

/* Take the step events up to f, in time order; forget the users whose
 * time is past. */
static int
funnel_run(struct wn *w, int64_t f)
{
	struct qent e;
	struct track *t;
	int64_t x;

	if (f <= w->frontier)
		return 0;
	w->frontier = f;
	while (w->pending.n > 0 && w->pending.v[0].k <= f) {
		e = q_pop(&w->pending);
		t = e.p;
		t->npending--;
		if (funnel_step(w, t, e.k, e.aux) != 0)
			return -1;
		if (t->npending == 0 && t->qk == INT64_MIN) {
			t->qk = track_expiry(w, t);
			if (q_push(&w->expiry, t->qk, t->seq, t, 0) != 0)
				return nomem(w);
		}
	}
	while (w->expiry.n > 0 && w->expiry.v[0].k <= f) {
		e = q_pop(&w->expiry);
		t = e.p;
		t->qk = INT64_MIN;
		if (t->npending > 0)
			continue;	/* queued again when they are taken */
		if ((x = track_expiry(w, t)) <= f) {
			track_free(w, t);
			continue;
		}
		t->qk = x;
		if (q_push(&w->expiry, x, t->seq, t, 0) != 0)
			return nomem(w);
	}
	return 0;
}

/* A step event waits, in its user's track, for the watermark. */
static int
funnel_event(struct wn *w, const struct rta_record *rec)
{
	const struct rta_event *ev = &rec->ev;
	const struct opts *o = w->o;
	struct rta_fval v;
	struct track *t;
	const char *s;
	char tmp[RTA_FVAL_TMP];
	size_t i, gk, len;
	uint64_t h;

	for (i = 0; i < w->nsteps; i++)
		if (strlen(w->steps[i]) == ev->type_len &&
		    memcmp(w->steps[i], ev->type, ev->type_len) == 0)
			break;
	rta_field_get(&w->user, ev, &v);
	if (i == w->nsteps || !rta_fval_text(&v, tmp, &s, &len)) {
		/* not a step, or no user to follow */
		w->skipped++;
		rta_stage_drop(w->st);
		return 0;
	}
	/* steps up to the frontier were taken; one at it comes after
	 * those of its time, as it would have */
	if (ev->ts < w->frontier) {
		send_late(w, rec);
		return 0;
	}
	if (ev->ts > RTA_TIME_MAX - o->size - o->within ||
	    ev->ts - ev->ts % o->size - (ev->ts % o->size < 0 ? o->size : 0) <
	    RTA_TIME_MIN) {
		reject(w, rec, "bad-window", "a window of this event would "
		    "start or end outside the years 1 to 9999");
		return 1;
	}
	gk = w->key.len;
	if (rta_fval_key(&w->key, &v) != 0)
		return nomem(w);
	h = rta_hash64(w->key.data, w->key.len, w->seed);
	for (t = w->ttab != NULL ? w->ttab[h & w->ttmask] : NULL; t != NULL;
	    t = t->next)
		if (t->h == h && t->klen == w->key.len &&
		    memcmp(t->key, w->key.data, t->klen) == 0)
			break;
	if (t == NULL) {
		if (w->ntracks + w->pending.n >= o->max_groups) {
			w->limited++;
			reject(w, rec, "too-many-groups", "more users and "
			    "waiting steps than --max-groups");
			return 0;
		}
		w->gbuf.len = 0;
		if ((w->ntracks + 1 > w->ttmask + 1 || w->ttab == NULL) &&
		    track_grow(w) != 0)
			return nomem(w);
		if (group_of(w, ev, &w->gbuf) != 0 ||
		    (t = rta_malloc(sizeof(*t) + w->key.len +
		    w->gbuf.len)) == NULL)
			return nomem(w);
		memset(t, 0, sizeof(*t));
		t->h = h;
		t->seq = w->tseq++;
		t->entry = t->cw = t->qk = INT64_MIN;
		t->key = (unsigned char *)(t + 1);
		memcpy(t->key, w->key.data, w->key.len);
		t->klen = (uint32_t)w->key.len;
		t->gklen = (uint32_t)gk;
		t->group = t->key + t->klen;
		memcpy(t->group, w->gbuf.data, w->gbuf.len);
		t->glen = w->gbuf.len;
		t->next = w->ttab[h & w->ttmask];
		w->ttab[h & w->ttmask] = t;
		w->ntracks++;
	} else if (w->ntracks + w->pending.n >= o->max_groups) {
		w->limited++;
		reject(w, rec, "too-many-groups", "more users and waiting "
		    "steps than --max-groups");
		return 0;
	}
	if (q_push(&w->pending, ev->ts, w->tseq++, t, (uint32_t)i) != 0)
		return nomem(w);
	t->npending++;
	w->aggregated++;
	rta_stage_absorb(w->st);
	return 0;
}

/* A funnel's results: {"steps":[...],"users":[...],"conversion":[...]};
 * its state: {"type":"funnel","steps":[...],"users":[...],"within":µs}. */
static int
funnel_put(struct wn *w, const struct win *x, struct rta_buf *p, int state)
{
	size_t off = rta_venc_begin(p, RTA_V_OBJECT), a, i;
	int rc = off == (size_t)-1 || rta_venc_key(p, "funnel", 6);
	size_t off2 = rc ? 0 : rta_venc_begin(p, RTA_V_OBJECT);

	rc = rc || off2 == (size_t)-1;
	if (!rc && !state) {
		rc = rta_venc_key(p, "conversion", 10) ||
		    (a = rta_venc_begin(p, RTA_V_ARRAY)) == (size_t)-1;
		for (i = 0; i < w->nsteps && !rc; i++)
			rc = put_num(p, x->fc[0] == 0 ? 0 :
			    (double)x->fc[i] / (double)x->fc[0]);
		if (!rc)
			rta_venc_end(p, a, (uint32_t)w->nsteps);
	}
	rc = rc || rta_venc_key(p, "steps", 5) ||
	    (a = rta_venc_begin(p, RTA_V_ARRAY)) == (size_t)-1;
	for (i = 0; i < w->nsteps && !rc; i++)
		rc = rta_venc_string(p, w->steps[i], strlen(w->steps[i]));
	if (!rc)
		rta_venc_end(p, a, (uint32_t)w->nsteps);
	if (!rc && state)
		rc = rta_venc_key(p, "type", 4) ||
		    rta_venc_string(p, "funnel", 6);
	rc = rc || rta_venc_key(p, "users", 5) ||
	    (a = rta_venc_begin(p, RTA_V_ARRAY)) == (size_t)-1;
	for (i = 0; i < w->nsteps && !rc; i++)
		rc = rta_venc_int(p, (int64_t)x->fc[i]);
	if (!rc)
		rta_venc_end(p, a, (uint32_t)w->nsteps);
	if (!rc && state)
		rc = rta_venc_key(p, "within", 6) ||
		    rta_venc_int(p, w->o->within);
	if (rc)
		return -1;
	rta_venc_end(p, off2, 3 + state);
	rta_venc_end(p, off, 1);
	return 0;
}

/* --funnel's steps: 2 to FUNNEL_MAX distinct event types (1 to 255
 * bytes).  0, or -1 when they are not. */
static int
funnel_parse(struct wn *w, const char *list)
{
	char *copy, *p, *c;
	size_t n = 1, i, j;

	for (p = (char *)list; *p != '\0'; p++)
		n += *p == ',';
	if (n < 2 || n > FUNNEL_MAX)
		return -1;
	if ((copy = rta_malloc(strlen(list) + 1)) == NULL ||
	    (w->steps = rta_calloc(n, sizeof(*w->steps))) == NULL) {
		rta_warnx("out of memory");
		exit(rta_cli_finish(RTA_EXIT_LIMIT));
	}
	memcpy(copy, list, strlen(list) + 1);
	for (i = 0, p = copy; i < n; i++, p = c + 1) {
		if ((c = strchr(p, ',')) != NULL)
			*c = '\0';
		w->steps[i] = p;
		if (*p == '\0' || strlen(p) > 255)
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp(w->steps[j], p) == 0)
				return -1;
		if (c == NULL)
			break;
	}
	w->nsteps = n;
	return 0;
}

/* Empty x's accumulators. */
static int
acc_reset(struct wn *w, struct win *x)
{
	struct rta_error err;

	rta_agg_release(w->specs, w->nspecs, x->acc);
	if (rta_agg_init(w->specs, w->nspecs, x->acc, &err) != RTA_OK) {
		memset(x->acc, 0, w->nspecs * sizeof(x->acc[0]));
		return nomem(w);
	}
	return 0;
}

/*
 * b joins a, one group's sessions which an event bridges.  The session
 * whose record went out first keeps its id; a record of the other, if
 * one went out, is replaced by an empty one saying where its events went,
 * so that a store upserting by record id counts them once.
 */
static struct win *
session_join(struct wn *w, struct win *a, struct win *b)
{
	struct rta_error err;
	struct win *t;
	char id[RTA_UUID_LEN];

	if (b->version > 0 && (a->version == 0 || b->id_start < a->id_start)) {
		t = a;
		a = b;
		b = t;
	}
	if (rta_agg_merge(w->specs, w->nspecs, a->acc, b->acc, &err) !=
	    RTA_OK)
		return nomem(w), NULL;
	if (b->start < a->start)
		a->start = b->start;
	if (b->end > a->end)
		a->end = b->end;
	a->dirty = 1;
	w->merged++;
	if (b->version > 0 && (record_id(w, a, id) != 0 ||
	    acc_reset(w, b) != 0 || emit(w, b, 1, id) != 0))
		return NULL;
	heap_remove(w, b);
	win_unlink(w, b);
	win_free(w, b);
	return a;
}

/*
 * An event into its group's sessions: the sessions within a gap of it
 * (at most two: one before, one after) and it become one; alone, it
 * opens a session, unless that would be past its lateness already.
 */
static int
session_event(struct wn *w, const struct rta_record *rec)
{
	const struct rta_event *ev = &rec->ev;
	const struct opts *o = w->o;
	struct rta_error err;
	struct win *x, *a = NULL, *b = NULL;
	uint64_t h = win_hash(w, 0, w->key.data, w->key.len);
	size_t i;

	for (i = h & w->tmask; w->tab[i].x != NULL; i = (i + 1) & w->tmask) {
		if (w->tab[i].h != h)
			continue;
		x = w->tab[i].x;
		if (x->klen == w->key.len &&
		    memcmp(x->key, w->key.data, x->klen) == 0 &&
		    ev->ts - x->end < o->size && x->start - ev->ts < o->size) {
			if (a == NULL)
				a = x;
			else
				b = x;
		}
	}
	if (a == NULL) {
		if (ev->ts > RTA_TIME_MAX - o->size) {
			reject(w, rec, "bad-window", "a session of this event "
			    "would end outside the years 1 to 9999");
			return 1;
		}
		if (w->wm != INT64_MIN &&
		    ev->ts + o->size <= w->wm - o->lateness) {
			send_late(w, rec);
			return 0;
		}
		if (w->nwin >= o->max_groups) {
			w->limited++;
			reject(w, rec, "too-many-groups", "more open sessions "
			    "than --max-groups");
			return 0;
		}
		w->gbuf.len = 0;
		if (group_of(w, ev, &w->gbuf) != 0 || (a = win_new(w,
		    w->gbuf.data, w->gbuf.len, h, ev->ts, ev->ts)) == NULL)
			return nomem(w);
	} else if (b != NULL && (a = session_join(w, a, b)) == NULL)
		return -1;
	if (rta_agg_add(w->specs, w->nspecs, a->acc, ev, &err) != RTA_OK)
		return nomem(w);
	if (ev->ts < a->start)
		a->start = ev->ts;
	if (ev->ts > a->end)
		a->end = ev->ts;
	a->dirty = 1;
	if (a->fired && w->wm != INT64_MIN && close_at(w, a) > w->wm)
		a->fired = 0;	/* open again: it closes anew */
	a->due = close_at(w, a) + (a->fired ? o->lateness : 0);
	heap_fix(w, a);
	if (a->fired && emit(w, a, 1, NULL) != 0)
		return -1;
	w->aggregated++;
	rta_stage_absorb(w->st);
	return 0;
}

/* ---- spilling ------------------------------------------------------------ */

/*
 * --at-cap spill.  When a new window would pass --max-groups, the
 * windows of its end go to the spill files (rta_spill.h, in --state
 * DIR/spill), each as its key, group and states (seq 0), and are freed;
 * from then on, every event of a window of that end goes there too, as
 * its frame, numbered in arrival order.  When the watermark closes that
 * end, the files are read back in key order, and each window's state is
 * loaded and its events added after it, in the order they came: the
 * same additions as without a cap, so the same results to the last bit
 * (sums of fractions and full top-N sketches depend on that order, a
 * merge of partial states would not give them), and the records go out
 * in the heap's order (end, then key).  Only the windows of one end,
 * one at a time, and the read buffers are in memory then.
 */
#define SPILL_BUDGET	(8U << 20)	/* bytes of entries held */

static int
spill_fail(struct wn *w, const struct rta_error *err)
{
	rta_warnx("%s", err->text);
	rta_cli_status(&w->st->status, err->code == RTA_ENOMEM ||
	    err->code == RTA_ELIMIT ? RTA_EXIT_LIMIT : RTA_EXIT_IO);
	w->failed = 1;
	return -1;
}

/* The windows of end go to the spill files, which take that end's
 * events from now on. */
static int
spill_end(struct wn *w, int64_t end)
{
	struct rta_error err;
	struct rta_buf *b = &w->payload;	/* w->sbuf holds the event */
	struct win **v, *x;
	size_t i, n = 0, at;
	int rc = 0;

	if (rta_spill_bucket(&w->spill, end, &err) != RTA_OK)
		return spill_fail(w, &err);
	if ((v = rta_reallocarray(NULL, w->nheap + 1, sizeof(*v))) == NULL)
		return nomem(w);
	for (i = 0; i < w->nheap; i++)
		if (w->heap[i]->end == end && !w->heap[i]->fired)
			v[n++] = w->heap[i];
	for (i = 0; i < n && rc == 0; i++) {
		x = v[i];
		b->len = 0;
		if (put_blob(b, x->group, x->glen) || (at = b->len,
		    rta_buf_add_u32(b, 0)) || rta_agg_states(w->specs,
		    w->nspecs, x->acc, b)) {
			rc = nomem(w);
			break;
		}
		rta_put_u32(b->data + at, (uint32_t)(b->len - at - 4));
		if (rta_spill_add(&w->spill, end, x->key, x->klen, 0, b->data,
		    b->len, &err) != RTA_OK) {
			rc = spill_fail(w, &err);
			break;
		}
		heap_remove(w, x);
		win_unlink(w, x);
		win_free(w, x);
		w->spilled++;
	}
	rta_free(v);
	return rc;
}

/* The event (its key in w->key) into the spill files, for its window
 * of end; *seq: its number, 0 until it has one. */
static int
spill_event(struct wn *w, const struct rta_record *rec, int64_t end,
    uint64_t *seq)
{
	struct rta_error err;

	if (*seq == 0) {
		w->sbuf.len = 0;
		if (rta_frame_put(&w->sbuf, rec) != 0) {
			rta_error_set(&err, RTA_ELIMIT, "too-large", "an event "
			    "too large to spill: %s", strerror(errno));
			return spill_fail(w, &err);
		}
		*seq = ++w->spill_seq;
	}
	if (rta_spill_add(&w->spill, end, w->key.data, (uint32_t)w->key.len,
	    *seq, w->sbuf.data, w->sbuf.len, &err) != RTA_OK)
		return spill_fail(w, &err);
	w->spill_ents++;
	return 0;
}

static int
spill_bad(struct wn *w, int64_t end, const char *what)
{
	struct rta_error err;

	rta_error_set(&err, RTA_EDATA, "bad-spill", "%s: damaged spill file "
	    "of the windows ending %lld (%s)", w->spill.dir, (long long)end,
	    what);
	return spill_fail(w, &err);
}

/* A group object as a window holds it: checked, as read from a file. */
static int
group_ok(const struct wn *w, const unsigned char *g, size_t len)
{
	const unsigned char *t;
	struct rta_error err;

	if (rta_value_check(g, len, RTA_VALUE_MAX_DEPTH,
	    RTA_VALUE_MAX_MEMBERS, &err) != RTA_OK ||
	    rta_value_size(g) != len || rta_value_tag(g) != RTA_V_OBJECT)
		return 0;
	return w->tenant_by < 0 || ((t = rta_value_member(g, "tenant_id",
	    9)) != NULL && rta_value_tag(t) == RTA_V_STRING);
}

/* Decode an event spilled: 0, or -1 (damaged). */
static int
spill_decode(const struct rta_spill_ent *e, struct rta_record *rec)
{
	struct rta_error err;

	return rta_frame_decode(e->body, e->blen, RTA_VALUE_MAX_DEPTH,
	    RTA_VALUE_MAX_MEMBERS, rec, &err) == RTA_OK &&
	    rec->kind == RTA_REC_EVENT ? 0 : -1;
}

/* Start the window of the entry e (its first) in w->sx. */
static int
spill_start(struct wn *w, int64_t end, const struct rta_spill_ent *e)
{
	struct win *x = w->sx;
	struct rta_error err;
	struct rta_record rec;
	const unsigned char *g, *st;
	uint32_t gl, sl;

	if (rta_agg_reset(w->specs, w->nspecs, x->acc, &err) != RTA_OK) {
		memset(x->acc, 0, w->nspecs * sizeof(x->acc[0]));
		(void)rta_agg_init(w->specs, w->nspecs, x->acc, &err);
		return nomem(w);
	}
	w->skey.len = 0;
	w->sgroup.len = 0;
	if (rta_buf_add(&w->skey, e->key, e->klen) != 0)
		return nomem(w);
	if (e->seq == 0) {
		/* a window spilled: group, states */
		if (e->blen < 8 || (gl = rta_get_u32(e->body)) > e->blen - 8 ||
		    (sl = rta_get_u32(e->body + 4 + gl)) != e->blen - 8 - gl)
			return spill_bad(w, end, "bad window");
		g = e->body + 4;
		st = g + gl + 4;
		if (!group_ok(w, g, gl) || rta_value_check(st, sl,
		    RTA_VALUE_MAX_DEPTH, RTA_VALUE_MAX_MEMBERS, &err) !=
		    RTA_OK || rta_agg_load(w->specs, w->nspecs, x->acc, st,
		    &err) != RTA_OK)
			return spill_bad(w, end, "bad window");
		if (rta_buf_add(&w->sgroup, g, gl) != 0)
			return nomem(w);
	} else {
		/* a window first seen once its end was spilled */
		if (spill_decode(e, &rec) != 0)
			return spill_bad(w, end, "bad event");
		if (group_of(w, &rec.ev, &w->sgroup) != 0)
			return nomem(w);
	}
	memset(x, 0, offsetof(struct win, acc));
	x->key = w->skey.data;
	x->klen = e->klen;
	x->group = w->sgroup.data;
	x->glen = w->sgroup.len;
	x->start = end - w->o->size;
	x->end = end;
	x->id_start = x->start;
	x->due = end;
	win_tenant(w, x);
	return 0;
}

/* The windows of a spilled end close: read back, in key order. */
static int
spill_emit(struct wn *w, int64_t end)
{
	struct rta_spill_reader rd;
	struct rta_spill_ent e;
	struct rta_record rec;
	struct rta_error err;
	struct win *x = w->sx;
	int k, open = 0, rc = -1;

	if (rta_spill_read(&w->spill, end, &rd, &err) != RTA_OK)
		return spill_fail(w, &err);
	while ((k = rta_spill_next(&rd, &e, &err)) > 0) {
		if (open && (e.klen != x->klen ||
		    memcmp(e.key, x->key, e.klen) != 0)) {
			if (emit(w, x, 1, NULL) != 0)
				goto out;
			open = 0;
		}
		if (!open) {
			if (spill_start(w, end, &e) != 0)
				goto out;
			open = 1;
			if (e.seq == 0)
				continue;
		} else if (e.seq == 0) {
			spill_bad(w, end, "a window twice");
			goto out;
		}
		if (spill_decode(&e, &rec) != 0) {
			spill_bad(w, end, "bad event");
			goto out;
		}
		if (rta_agg_add(w->specs, w->nspecs, x->acc, &rec.ev, &err) !=
		    RTA_OK) {
			nomem(w);
			goto out;
		}
	}
	if (k < 0) {
		spill_fail(w, &err);
		goto out;
	}
	if (open && emit(w, x, 1, NULL) != 0)
		goto out;
	if (rta_spill_drop(&w->spill, end, &err) != RTA_OK) {
		spill_fail(w, &err);
		goto out;
	}
	rc = 0;
out:
	rta_spill_read_close(&rd);
	return rc;
}

/* An event into its windows: 0; 1 when it was rejected for its time,
 * which then must not move the watermark; -1 when the stage must stop. */
static int
event(struct wn *w, const struct rta_record *rec)
{
	const struct rta_event *ev = &rec->ev;
	const struct opts *o = w->o;
	struct rta_fval v;
	struct rta_error err;
	struct win *x;
	int64_t first, s, limit;
	uint64_t h, seq = 0;
	size_t i;
	int placed = 0, any = 0;

	if (o->max_future > 0 && w->wm != INT64_MIN &&
	    ev->ts > w->wm + o->max_delay + o->max_future) {
		reject(w, rec, "too-far-ahead", "event time too far ahead of "
		    "the stream (--max-future)");
		return 1;
	}
	w->key.len = 0;
	for (i = 0; i < w->nby; i++) {
		rta_field_get(&w->by[i], ev, &v);
		if (rta_fval_key(&w->key, &v) != 0)
			goto nomem;
	}
	if (o->kind == W_SESSION)
		return session_event(w, rec);
	if (w->nsteps > 0)
		return funnel_event(w, rec);
	/* the windows holding ts: starts at multiples of the slide */
	s = ev->ts / o->slide * o->slide;
	if (ev->ts % o->slide < 0)
		s -= o->slide;
	first = s - o->size + o->slide;
	if (first < RTA_TIME_MIN || s + o->size > RTA_TIME_MAX) {
		reject(w, rec, "bad-window", "a window of this event would "
		    "start or end outside the years 1 to 9999");
		return 1;
	}
	limit = w->wm == INT64_MIN ? INT64_MIN : w->wm - o->lateness;
	for (; first <= s; first += o->slide) {
		if (first + o->size <= limit)
			continue;	/* past its lateness */
		any = 1;
		if (w->spill.nb > 0 && rta_spill_has(&w->spill, first +
		    o->size)) {
			if (spill_event(w, rec, first + o->size, &seq) != 0)
				return -1;
			placed = 1;
			continue;
		}
		h = win_hash(w, first, w->key.data, w->key.len);
		if ((x = win_find(w, h, first, w->key.data, w->key.len)) ==
		    NULL) {
			if (w->nwin >= o->max_groups && o->spill) {
				if (spill_end(w, first + o->size) != 0 ||
				    spill_event(w, rec, first + o->size,
				    &seq) != 0)
					return -1;
				placed = 1;
				continue;
			}
			if (w->nwin >= o->max_groups) {
				w->limited++;
				continue;
			}
			w->gbuf.len = 0;
			if (group_of(w, ev, &w->gbuf) != 0 ||
			    (x = win_new(w, w->gbuf.data, w->gbuf.len, h, first,
			    first + o->size)) == NULL)
				goto nomem;
		}
		if (rta_agg_add(w->specs, w->nspecs, x->acc, ev, &err) !=
		    RTA_OK)
			goto nomem;
		x->dirty = 1;
		placed = 1;
		if (x->fired && emit(w, x, 1, NULL) != 0)
			return -1;
	}
	if (!any) {
		send_late(w, rec);
		return 0;
	}
	if (!placed) {
		reject(w, rec, "too-many-groups", "more open windows than "
		    "--max-groups");
		return 0;
	}
	w->aggregated++;
	rta_stage_absorb(w->st);
	return 0;
nomem:
	rta_warnx("out of memory");
	rta_cli_status(&w->st->status, RTA_EXIT_LIMIT);
	w->failed = 1;
	return -1;
}

/* ---- state ----------------------------------------------------------------- */

/*
 * The checkpoint in --state DIR: everything the output still depends on,
 * as of the last record handled, with how far each input was handled.
 * Little-endian, ending with a CRC-32C of all before it:
 *
 *	"rtawin" 0 1, the options' description (u32 length, bytes),
 *	max_ts, wm_up, wm, emitted_wm, tick, frontier (i64),
 *	aggregated, late, emitted, updates, merged, limited, alerts,
 *	skipped, tseq, unwatched (u64), the sources (rta_state.h), the
 *	output, --late and --alerts files (each u8 1, dev, inode, size as
 *	u64; or u8 0),
 *	windows: u64 n, each start, end, id_start, due (i64), version
 *	(u32), fired, dirty (u8), key, group (u32 length, bytes), funnel
 *	counts (u64 each), the states of --agg's aggregates and of a
 *	session's own (u32 length, value each),
 *	histories: u64 n, each key, last_end, n, pos, mean, var, values,
 *	users: u64 n, each seq, entry, level, cw, clevel, key, group key
 *	length, group; then u64 n waiting steps: ts, seq, user, step;
 *	with --at-cap spill, then: events spilled, windows spilled, window
 *	events spilled (u64), and the spill files (rta_spill_encode).
 */
#define CK_MAGIC	"rtawin\0\1"
#define CK_MAX		(64ULL << 30)

static int
put_blob(struct rta_buf *b, const void *p, size_t len)
{
	return rta_buf_add_u32(b, (uint32_t)len) || rta_buf_add(b, p, len);
}

static int
put_states(struct wn *w, struct rta_buf *b, const struct rta_agg_spec *sp,
    size_t n, const struct rta_agg_acc *acc)
{
	size_t at = b->len;

	if (rta_buf_add_u32(b, 0) != 0 || rta_agg_states(sp, n, acc, b) != 0)
		return -1;
	rta_put_u32(b->data + at, (uint32_t)(b->len - at - 4));
	(void)w;
	return 0;
}

static int
ck_build(struct wn *w, struct rta_buf *b)
{
	const int64_t tv[] = { w->max_ts, w->wm_up, w->wm, w->emitted_wm,
	    w->tick, w->frontier };
	const uint64_t cv[] = { w->aggregated, w->late_events, w->emitted,
	    w->updates, w->merged, w->limited, w->nalerts, w->skipped,
	    w->tseq, w->unwatched };
	struct track *t, **tv2 = NULL;
	struct hist *e;
	size_t i, j, k, nslots;
	int rc;

	b->len = 0;
	rc = rta_buf_add(b, CK_MAGIC, 8) ||
	    put_blob(b, w->desc, strlen(w->desc));
	for (i = 0; i < 6 && !rc; i++)
		rc = rta_buf_add_u64(b, (uint64_t)tv[i]);
	for (i = 0; i < 10 && !rc; i++)
		rc = rta_buf_add_u64(b, cv[i]);
	rc = rc || rta_sources_encode(&w->src, b) ||
	    put_marks(w, b) || rta_buf_add_u64(b, w->nheap);
	for (i = 0; i < w->nheap && !rc; i++) {
		const struct win *x = w->heap[i];
		unsigned char h[4 * 8 + 4 + 2];

		rta_put_u64(h, (uint64_t)x->start);
		rta_put_u64(h + 8, (uint64_t)x->end);
		rta_put_u64(h + 16, (uint64_t)x->id_start);
		rta_put_u64(h + 24, (uint64_t)x->due);
		rta_put_u32(h + 32, x->version);
		h[36] = (unsigned char)(x->fired | x->finals << 1);
		h[37] = x->dirty;
		rc = rta_buf_add(b, h, sizeof(h)) ||
		    put_blob(b, x->key, x->klen) ||
		    put_blob(b, x->group, x->glen);
		for (j = 0; j < w->nsteps && !rc; j++)
			rc = rta_buf_add_u64(b, x->fc[j]);
		rc = rc || put_states(w, b, w->specs, w->nout, x->acc) ||
		    put_states(w, b, w->specs + w->nout, w->nspecs - w->nout,
		    x->acc + w->nout);
	}
	nslots = w->o->detect == D_ZSCORE ? (size_t)w->o->history : 0;
	rc = rc || rta_buf_add_u64(b, w->nhist);
	for (i = 0; w->htab != NULL && i <= w->hmask && !rc; i++)
		for (e = w->htab[i]; e != NULL && !rc; e = e->next) {
			rc = put_blob(b, e->key, e->klen) ||
			    rta_buf_add_u64(b, (uint64_t)e->last_end) ||
			    rta_buf_add_u64(b, e->n) ||
			    rta_buf_add_u64(b, e->pos) ||
			    rta_buf_add(b, &e->mean, 8) ||
			    rta_buf_add(b, &e->var, 8);
			for (j = 0; j < nslots && !rc; j++)
				rc = rta_buf_add(b, &e->v[j], 8);
		}
	/* users, numbered for their waiting steps */
	if (!rc && w->ntracks > 0 &&
	    (tv2 = rta_reallocarray(NULL, w->ntracks, sizeof(*tv2))) == NULL)
		rc = -1;
	k = 0;
	for (i = 0; w->ttab != NULL && i <= w->ttmask && !rc; i++)
		for (t = w->ttab[i]; t != NULL; t = t->next) {
			t->ix = k;
			tv2[k++] = t;
		}
	rc = rc || rta_buf_add_u64(b, k);
	for (i = 0; i < k && !rc; i++) {
		t = tv2[i];
		rc = rta_buf_add_u64(b, t->seq) ||
		    rta_buf_add_u64(b, (uint64_t)t->entry) ||
		    rta_buf_add_u32(b, t->level) ||
		    rta_buf_add_u64(b, (uint64_t)t->cw) ||
		    rta_buf_add_u32(b, t->clevel) ||
		    put_blob(b, t->key, t->klen) ||
		    rta_buf_add_u32(b, t->gklen) ||
		    put_blob(b, t->group, t->glen);
	}
	rc = rc || rta_buf_add_u64(b, w->pending.n);
	for (i = 0; i < w->pending.n && !rc; i++) {
		const struct qent *q = &w->pending.v[i];

		rc = rta_buf_add_u64(b, (uint64_t)q->k) ||
		    rta_buf_add_u64(b, q->s) ||
		    rta_buf_add_u64(b, ((struct track *)q->p)->ix) ||
		    rta_buf_add_u32(b, q->aux);
	}
	rta_free(tv2);
	if (!rc && w->watch != NULL)
		rc = rta_shift_watch_save(w->watch, b);
	if (!rc && w->o->spill)
		rc = rta_buf_add_u64(b, w->spill_seq) ||
		    rta_buf_add_u64(b, w->spilled) ||
		    rta_buf_add_u64(b, w->spill_ents) ||
		    rta_spill_encode(&w->spill, b);
	return rc || rta_buf_add_u32(b, rta_crc32c(0, b->data, b->len)) ?
	    -1 : 0;
}

static int
mark_fd(const struct wn *w, int m)
{
	switch (m) {
	case M_OUT:
		return STDOUT_FILENO;
	case M_LATE:
		return w->late_open ? w->late.fd : -1;
	default:
		return w->alerts_fd;
	}
}

/* Where the files written end, those that are regular files. */
static void
marks_note(struct wn *w)
{
	struct stat sb;
	int m, fd;

	for (m = 0; m < NMARK; m++) {
		struct fmark *f = &w->mark[m];

		fd = mark_fd(w, m);
		f->has = fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
		f->dev = f->has ? (uint64_t)sb.st_dev : 0;
		f->ino = f->has ? (uint64_t)sb.st_ino : 0;
		f->size = f->has ? (uint64_t)sb.st_size : 0;
	}
}

static int
put_marks(const struct wn *w, struct rta_buf *b)
{
	int m;

	for (m = 0; m < NMARK; m++)
		if (rta_buf_add(b, w->mark[m].has ? "\1" : "\0", 1) ||
		    rta_buf_add_u64(b, w->mark[m].dev) ||
		    rta_buf_add_u64(b, w->mark[m].ino) ||
		    rta_buf_add_u64(b, w->mark[m].size))
			return -1;
	return 0;
}

/*
 * A restart appending to the files the crashed run wrote: what it wrote
 * after the checkpoint (the records, late events and alerts about to be
 * written again, a torn one last) is cut, so that each file ends up as
 * an uninterrupted run's.  Not for compressed output, whose zstd frame
 * the cut would leave open.
 */
static int
marks_cut(struct wn *w)
{
	static const char *const what[] = { "standard output", "--late",
	    "--alerts" };
	struct stat sb;
	int m, fd;

	for (m = 0; m < NMARK; m++) {
		const struct fmark *f = &w->mark[m];

		fd = mark_fd(w, m);
		if (!f->has || fd < 0 || (m == M_OUT && w->st->compress > 0) ||
		    fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
		    (uint64_t)sb.st_dev != f->dev ||
		    (uint64_t)sb.st_ino != f->ino ||
		    (uint64_t)sb.st_size < f->size)
			continue;
		if ((uint64_t)sb.st_size > f->size &&
		    ftruncate(fd, (off_t)f->size) != 0) {
			rta_warnx("%s: %s", what[m], strerror(errno));
			return -1;
		}
		/* the stream goes on: no second frame stream header */
		if (m == M_OUT)
			w->st->out_continues = f->size > 0;
	}
	return 0;
}

/* Everything the output depends on is in the checkpoint: the output
 * written first, so that what the state says went out did. */
static int
checkpoint(struct wn *w)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_error err;
	int rc;

	if (w->st->out_ready && (w->st->out.failed ||
	    rta_output_flush(&w->st->out, &err) != RTA_OK))
		return -1;
	/* the spill files it names are written first, too */
	if (w->o->spill && rta_spill_flush(&w->spill, &err) != RTA_OK)
		return spill_fail(w, &err);
	marks_note(w);
	if (ck_build(w, &b) != 0) {
		rta_buf_release(&b);
		return nomem(w);
	}
	rc = rta_state_replace(w->o->state, "checkpoint", b.data, b.len,
	    &err);
	rta_buf_release(&b);
	if (rc != RTA_OK) {
		rta_warnx("%s", err.text);
		rta_cli_status(&w->st->status, RTA_EXIT_IO);
		w->failed = 1;
		return -1;
	}
	w->checkpoints++;
	if (w->o->spill)
		rta_spill_committed(&w->spill);
	rta_cadence_done(&w->ck);
	return 0;
}

/*
 * After a record: a checkpoint when one is due.  Records of a Kafka
 * message (after its position record) are handled whole or not at all:
 * within one, the checkpoint waits for the next position record
 * (ck_boundary), when the message is done and the next not begun.
 */
static void
maybe_checkpoint(struct wn *w)
{
	if (w->o->state != NULL && rta_cadence_tick(&w->ck) &&
	    !rta_sources_mid_message(&w->src))
		(void)checkpoint(w);
}

static void
ck_boundary(struct wn *w)
{
	if (w->o->state != NULL && rta_cadence_due(&w->ck))
		(void)checkpoint(w);
}

/* A time in a checkpoint: none, or within reach of event times (the
 * watermark may trail them by up to a duration, or lead by one). */
static int
tm_ok(int64_t t)
{
	return t == INT64_MIN || (t >= RTA_TIME_MIN - 4 * DURATION_MAX &&
	    t <= RTA_TIME_MAX + 4 * DURATION_MAX);
}

struct ckr {
	const unsigned char	*p, *end;
	int			 bad;
};

static uint64_t
get64(struct ckr *r)
{
	uint64_t v;

	if (r->end - r->p < 8) {
		r->bad = 1;
		return 0;
	}
	v = rta_get_u64(r->p);
	r->p += 8;
	return v;
}

static uint32_t
get32(struct ckr *r)
{
	uint32_t v;

	if (r->end - r->p < 4) {
		r->bad = 1;
		return 0;
	}
	v = rta_get_u32(r->p);
	r->p += 4;
	return v;
}

static const unsigned char *
get_blob(struct ckr *r, uint32_t *len)
{
	const unsigned char *q;

	*len = get32(r);
	if (r->bad || (size_t)(r->end - r->p) < *len) {
		r->bad = 1;
		*len = 0;
		return NULL;
	}
	q = r->p;
	r->p += *len;
	return q;
}

/* A value in the checkpoint: checked before use. */
static const unsigned char *
get_value(struct ckr *r, uint32_t *len)
{
	const unsigned char *q = get_blob(r, len);
	struct rta_error err;

	if (q != NULL && rta_value_check(q, *len, RTA_VALUE_MAX_DEPTH,
	    RTA_VALUE_MAX_MEMBERS, &err) != RTA_OK)
		r->bad = 1;
	return r->bad ? NULL : q;
}

static int
get_states(struct wn *w, struct ckr *r, const struct rta_agg_spec *sp,
    size_t n, struct rta_agg_acc *acc)
{
	struct rta_error err;
	uint32_t len;
	const unsigned char *v = get_value(r, &len);

	if (v == NULL || rta_agg_load(sp, n, acc, v, &err) != RTA_OK) {
		r->bad = 1;
		return -1;
	}
	(void)w;
	return 0;
}

/* Set up w from a checkpoint: 0, or -1 with a message. */
static int
ck_load(struct wn *w, const unsigned char *p, size_t len)
{
	struct ckr r;
	struct track **tv = NULL, *t;
	struct win *x;
	struct hist *e;
	const unsigned char *k, *g;
	uint64_t n, i, j, nt;
	uint32_t kl, gl;
	int full;
	int64_t tv6[6];
	uint64_t cv[10];
	size_t nslots;

	if (len < 12 || memcmp(p, CK_MAGIC, 8) != 0 ||
	    rta_crc32c(0, p, len - 4) != rta_get_u32(p + len - 4)) {
		rta_warnx("%s/checkpoint: damaged", w->o->state);
		return -1;
	}
	r.p = p + 8;
	r.end = p + len - 4;
	r.bad = 0;
	k = get_blob(&r, &kl);
	if (r.bad || kl != strlen(w->desc) || memcmp(k, w->desc, kl) != 0) {
		rta_warnx("%s: made with other options (%.*s)", w->o->state,
		    r.bad ? 0 : (int)(kl > 200 ? 200 : kl), k != NULL ?
		    (const char *)k : "");
		return -1;
	}
	for (i = 0; i < 6; i++)
		tv6[i] = (int64_t)get64(&r);
	for (i = 0; i < 10; i++)
		cv[i] = get64(&r);
	for (i = 0; i < 6; i++)
		if (!tm_ok(tv6[i]) && !(i == 5 && tv6[i] == INT64_MAX))
			goto bad;
	w->max_ts = tv6[0];
	w->wm_up = tv6[1];
	w->wm = tv6[2];
	w->emitted_wm = tv6[3];
	w->tick = tv6[4];
	w->frontier = tv6[5];
	w->aggregated = cv[0];
	w->late_events = cv[1];
	w->emitted = cv[2];
	w->updates = cv[3];
	w->merged = cv[4];
	w->limited = cv[5];
	w->nalerts = cv[6];
	w->skipped = cv[7];
	w->tseq = cv[8];
	w->unwatched = cv[9];
	if (r.bad || rta_sources_decode(&w->src, &r.p, r.end) != RTA_OK)
		goto bad;
	for (i = 0; i < NMARK; i++) {
		if (r.end - r.p < 1 || r.p[0] > 1)
			goto bad;
		w->mark[i].has = *r.p++;
		w->mark[i].dev = get64(&r);
		w->mark[i].ino = get64(&r);
		w->mark[i].size = get64(&r);
	}
	n = get64(&r);
	for (i = 0; i < n && !r.bad; i++) {
		int64_t h4[4];
		uint32_t ver;
		uint8_t fired, dirty;

		for (j = 0; j < 4; j++)
			h4[j] = (int64_t)get64(&r);
		ver = get32(&r);
		if (r.end - r.p < 2)
			goto bad;
		fired = r.p[0];
		dirty = r.p[1];
		r.p += 2;
		k = get_blob(&r, &kl);
		g = get_value(&r, &gl);
		if (r.bad || fired > 3 || dirty > 1 || !tm_ok(h4[0]) ||
		    !tm_ok(h4[1]) || !tm_ok(h4[2]) || !tm_ok(h4[3]) ||
		    h4[0] == INT64_MIN || h4[1] < h4[0] ||
		    rta_value_tag(g) != RTA_V_OBJECT ||
		    (w->tenant_by >= 0 && (rta_value_member(g, "tenant_id", 9)
		    == NULL || rta_value_tag(rta_value_member(g, "tenant_id",
		    9)) != RTA_V_STRING)))
			goto bad;
		w->key.len = 0;
		if (rta_buf_add(&w->key, k, kl) != 0 ||
		    (x = win_new(w, g, gl, win_hash(w, w->o->kind ==
		    W_SESSION ? 0 : h4[0], k, kl), h4[0], h4[1])) == NULL)
			return nomem(w);
		x->id_start = h4[2];
		x->due = h4[3];
		heap_fix(w, x);
		x->version = ver;
		x->fired = fired & 1;
		x->finals = fired >> 1;
		x->dirty = dirty;
		for (j = 0; j < w->nsteps; j++)
			x->fc[j] = get64(&r);
		if (get_states(w, &r, w->specs, w->nout, x->acc) != 0 ||
		    get_states(w, &r, w->specs + w->nout, w->nspecs - w->nout,
		    x->acc + w->nout) != 0)
			goto bad;
	}
	nslots = w->o->detect == D_ZSCORE ? (size_t)w->o->history : 0;
	n = get64(&r);
	for (i = 0; i < n && !r.bad; i++) {
		struct win tmp;

		k = get_blob(&r, &kl);
		if (r.bad)
			goto bad;
		memset(&tmp, 0, sizeof(tmp));
		tmp.key = (unsigned char *)(uintptr_t)k;
		tmp.klen = kl;
		if ((e = hist_get(w, &tmp, &full)) == NULL) {
			if (full)
				goto bad;
			return nomem(w);
		}
		e->last_end = (int64_t)get64(&r);
		e->n = get64(&r);
		e->pos = (size_t)get64(&r);
		if (r.bad || r.end - r.p < (ptrdiff_t)(16 + 8 * nslots) ||
		    !tm_ok(e->last_end) || e->n > w->o->history ||
		    (nslots > 0 && e->pos >= nslots))
			goto bad;
		memcpy(&e->mean, r.p, 8);
		memcpy(&e->var, r.p + 8, 8);
		r.p += 16;
		for (j = 0; j < nslots; j++, r.p += 8)
			memcpy(&e->v[j], r.p, 8);
	}
	nt = get64(&r);
	if (r.bad || nt > (uint64_t)(r.end - r.p) / 8)
		goto bad;
	if (nt > 0 && (tv = rta_reallocarray(NULL, nt, sizeof(*tv))) == NULL)
		return nomem(w);
	for (i = 0; i < nt && !r.bad; i++) {
		uint64_t seq = get64(&r), cw;
		int64_t entry = (int64_t)get64(&r);
		uint32_t level = get32(&r), clevel, gk;
		uint64_t h;

		cw = get64(&r);
		clevel = get32(&r);
		k = get_blob(&r, &kl);
		gk = get32(&r);
		g = get_value(&r, &gl);
		if (r.bad || level > w->nsteps || clevel > w->nsteps ||
		    !tm_ok(entry) || !tm_ok((int64_t)cw) ||
		    gk > kl || rta_value_tag(g) != RTA_V_OBJECT)
			goto bad2;
		if ((w->ntracks + 1 > w->ttmask + 1 || w->ttab == NULL) &&
		    track_grow(w) != 0)
			goto nomem;
		if ((t = rta_malloc(sizeof(*t) + kl + gl)) == NULL)
			goto nomem;
		memset(t, 0, sizeof(*t));
		h = rta_hash64(k, kl, w->seed);
		t->h = h;
		t->seq = seq;
		t->entry = entry;
		t->level = level;
		t->cw = (int64_t)cw;
		t->clevel = clevel;
		t->qk = INT64_MIN;
		t->key = (unsigned char *)(t + 1);
		memcpy(t->key, k, kl);
		t->klen = kl;
		t->gklen = gk;
		t->group = t->key + kl;
		memcpy(t->group, g, gl);
		t->glen = gl;
		t->next = w->ttab[h & w->ttmask];
		w->ttab[h & w->ttmask] = t;
		w->ntracks++;
		tv[i] = t;
	}
	n = get64(&r);
	for (i = 0; i < n && !r.bad; i++) {
		int64_t ts = (int64_t)get64(&r);
		uint64_t seq = get64(&r), ti = get64(&r);
		uint32_t step = get32(&r);

		if (r.bad || ti >= nt || step >= w->nsteps || !tm_ok(ts) ||
		    ts == INT64_MIN)
			goto bad2;
		if (q_push(&w->pending, ts, seq, tv[ti], step) != 0)
			goto nomem;
		tv[ti]->npending++;
	}
	if (w->watch != NULL) {
		struct rta_error err;
		size_t used;

		if (r.bad)
			goto bad2;
		if (rta_shift_watch_load(w->watch, r.p, (size_t)(r.end - r.p),
		    &used, &err) != RTA_OK) {
			rta_free(tv);
			if (err.code == RTA_ENOMEM)
				return nomem(w);
			rta_warnx("%s/checkpoint: %s", w->o->state, err.text);
			return -1;
		}
		r.p += used;
	}
	if (w->o->spill) {
		struct rta_error err;

		w->spill_seq = get64(&r);
		w->spilled = get64(&r);
		w->spill_ents = get64(&r);
		if (r.bad)
			goto bad2;
		if (rta_spill_decode(&w->spill, &r.p, r.end, &err) != RTA_OK) {
			rta_free(tv);
			if (err.code == RTA_ENOMEM)
				return nomem(w);
			rta_warnx("%s", err.text);
			return -1;
		}
	}
	if (r.bad || r.p != r.end)
		goto bad2;
	/* the users with no step waiting wait to be forgotten */
	for (i = 0; i < nt; i++)
		if (tv[i]->npending == 0) {
			tv[i]->qk = track_expiry(w, tv[i]);
			if (q_push(&w->expiry, tv[i]->qk, tv[i]->seq, tv[i],
			    0) != 0)
				goto nomem;
		}
	rta_free(tv);
	if (w->wm != INT64_MIN)
		w->st->m.watermark = w->wm;
	return 0;
nomem:
	rta_free(tv);
	return nomem(w);
bad2:
	rta_free(tv);
bad:
	rta_warnx("%s/checkpoint: damaged", w->o->state);
	return -1;
}

/* The watermark the stream implies now. */
static int64_t
watermark_now(const struct wn *w)
{
	int64_t wm = w->wm_up;

	if (w->max_ts != INT64_MIN && w->max_ts - w->o->max_delay > wm)
		wm = w->max_ts - w->o->max_delay;
	return wm;
}

static int
metrics_extra(void *arg, struct rta_buf *out)
{
	const struct wn *w = arg;
	int rc;

	rc = rta_buf_printf(out,
	    "# HELP rta_window_events_aggregated_total Events added to "
	    "windows.\n"
	    "# TYPE rta_window_events_aggregated_total counter\n"
	    "rta_window_events_aggregated_total %llu\n"
	    "# HELP rta_window_events_late_total Events past the allowed "
	    "lateness.\n"
	    "# TYPE rta_window_events_late_total counter\n"
	    "rta_window_events_late_total %llu\n"
	    "# HELP rta_window_records_total Aggregate records written.\n"
	    "# TYPE rta_window_records_total counter\n"
	    "rta_window_records_total %llu\n"
	    "# HELP rta_window_updates_total Records updating a closed "
	    "window.\n"
	    "# TYPE rta_window_updates_total counter\n"
	    "rta_window_updates_total %llu\n",
	    (unsigned long long)w->aggregated,
	    (unsigned long long)w->late_events,
	    (unsigned long long)w->emitted, (unsigned long long)w->updates);
	if (rc == 0 && w->o->kind == W_SESSION)
		rc = rta_buf_printf(out,
		    "# HELP rta_window_sessions_merged_total Sessions joined "
		    "into others by an event between them.\n"
		    "# TYPE rta_window_sessions_merged_total counter\n"
		    "rta_window_sessions_merged_total %llu\n",
		    (unsigned long long)w->merged);
	if (rc == 0 && w->o->detect != D_NONE)
		rc = rta_buf_printf(out,
		    "# HELP rta_window_detect_unwatched_total Closed windows "
		    "not compared: --max-groups histories held.\n"
		    "# TYPE rta_window_detect_unwatched_total counter\n"
		    "rta_window_detect_unwatched_total %llu\n",
		    (unsigned long long)w->unwatched);
	if (rc == 0 && w->watch != NULL)
		rc = rta_buf_printf(out,
		    "# HELP rta_window_drift_records_total Drift records "
		    "written: windows scored against their baseline.\n"
		    "# TYPE rta_window_drift_records_total counter\n"
		    "rta_window_drift_records_total %llu\n"
		    "# HELP rta_window_drift_unwatched_total Closed windows "
		    "not scored: --max-groups baselines held, or no stored "
		    "baseline for their group.\n"
		    "# TYPE rta_window_drift_unwatched_total counter\n"
		    "rta_window_drift_unwatched_total %llu\n",
		    (unsigned long long)w->ndrift,
		    (unsigned long long)w->drift_unwatched);
	if (rc == 0 && w->o->spill)
		rc = rta_buf_printf(out,
		    "# HELP rta_window_spilled_windows_total Windows written "
		    "to spill files at --max-groups.\n"
		    "# TYPE rta_window_spilled_windows_total counter\n"
		    "rta_window_spilled_windows_total %llu\n"
		    "# HELP rta_window_spilled_events_total Events of spilled "
		    "windows written to spill files.\n"
		    "# TYPE rta_window_spilled_events_total counter\n"
		    "rta_window_spilled_events_total %llu\n"
		    "# HELP rta_window_spill_bytes_total Bytes of spill files "
		    "written.\n"
		    "# TYPE rta_window_spill_bytes_total counter\n"
		    "rta_window_spill_bytes_total %llu\n"
		    "# HELP rta_window_open_peak Most windows held at once.\n"
		    "# TYPE rta_window_open_peak gauge\n"
		    "rta_window_open_peak %llu\n",
		    (unsigned long long)w->spilled,
		    (unsigned long long)w->spill_ents,
		    (unsigned long long)w->spill.bytes,
		    (unsigned long long)w->peak);
	if (rc == 0 && w->o->state != NULL)
		rc = rta_buf_printf(out,
		    "# HELP rta_window_checkpoints_total Checkpoints written "
		    "to --state.\n"
		    "# TYPE rta_window_checkpoints_total counter\n"
		    "rta_window_checkpoints_total %llu\n"
		    "# HELP rta_window_resume_skipped_total Records skipped "
		    "by --resume.\n"
		    "# TYPE rta_window_resume_skipped_total counter\n"
		    "rta_window_resume_skipped_total %llu\n",
		    (unsigned long long)w->checkpoints,
		    (unsigned long long)w->resumed);
	return rc != 0 || rta_buf_printf(out,
	    "# HELP rta_window_alerts_total Anomaly alerts written.\n"
	    "# TYPE rta_window_alerts_total counter\n"
	    "rta_window_alerts_total %llu\n"
	    "# HELP rta_window_open Windows held.\n"
	    "# TYPE rta_window_open gauge\nrta_window_open %llu\n",
	    (unsigned long long)w->nalerts,
	    (unsigned long long)w->nwin) != 0 ? -1 : 0;
}

/* Free what w holds. */
static void
window_free(struct wn *w)
{
	size_t i;

	while (w->nheap > 0) {
		struct win *x = heap_pop(w);

		win_unlink(w, x);
		win_free(w, x);
	}
	for (i = 0; w->htab != NULL && i <= w->hmask; i++)
		while (w->htab[i] != NULL) {
			struct hist *e = w->htab[i];

			w->htab[i] = e->next;
			rta_free(e);
		}
	rta_free(w->htab);
	rta_shift_watch_free(w->watch);
	for (i = 0; w->ttab != NULL && i <= w->ttmask; i++)
		while (w->ttab[i] != NULL) {
			struct track *t = w->ttab[i];

			w->ttab[i] = t->next;
			rta_free(t);
		}
	rta_free(w->ttab);
	rta_free(w->pending.v);
	rta_free(w->expiry.v);
	if (w->steps != NULL) {
		rta_free(w->steps[0]);
		rta_free(w->steps);
		rta_field_release(&w->user);
	}
	rta_buf_release(&w->alert);
	if (w->sx != NULL) {
		rta_agg_release(w->specs, w->nspecs, w->sx->acc);
		rta_free(w->sx);
	}
	rta_spill_close(&w->spill);
	rta_buf_release(&w->sbuf);
	rta_buf_release(&w->skey);
	rta_buf_release(&w->sgroup);
	pool_free(w);
	rta_free(w->tab);
	rta_free(w->heap);
	rta_buf_release(&w->key);
	rta_buf_release(&w->gkey);
	rta_buf_release(&w->gbuf);
	rta_buf_release(&w->idb);
	rta_buf_release(&w->payload);
	rta_agg_specs_free(w->specs, w->nspecs);
	rta_field_list_free(w->by, w->nby);
	rta_sources_release(&w->src);
	rta_free(w->desc);
	if (w->lock_fd >= 0)
		close(w->lock_fd);
}

/* --state: lock the directory and load its checkpoint, if any; 0 or an
 * exit status. */
static int
state_open(struct wn *w)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_error err;
	int rc;

	rta_cadence_start(&w->ck, w->o->ck_every, w->o->ck_records);
	if ((w->lock_fd = rta_state_lock(w->o->state, &err)) < 0) {
		rta_warnx("%s", err.text);
		return RTA_EXIT_IO;
	}
	if (w->o->spill) {
		size_t head = offsetof(struct win, acc) + w->nspecs *
		    sizeof(struct rta_agg_acc);

		if (rta_buf_printf(&b, "%s/spill", w->o->state) != 0 ||
		    rta_buf_addc(&b, '\0') != 0 ||
		    (w->sx = rta_calloc(1, head)) == NULL) {
			rta_buf_release(&b);
			nomem(w);
			return RTA_EXIT_LIMIT;
		}
		if (rta_agg_init(w->specs, w->nspecs, w->sx->acc, &err) !=
		    RTA_OK) {
			rta_free(w->sx);
			w->sx = NULL;
			rta_buf_release(&b);
			nomem(w);
			return RTA_EXIT_LIMIT;
		}
		rc = rta_spill_open(&w->spill, (const char *)b.data,
		    SPILL_BUDGET, 1, &err);
		b.len = 0;
		if (rc != RTA_OK) {
			rta_warnx("%s", err.text);
			rta_buf_release(&b);
			return RTA_EXIT_IO;
		}
	}
	rc = rta_state_read(w->o->state, "checkpoint", CK_MAX, &b, &err);
	if (rc == RTA_EOF) {
		rta_buf_release(&b);
		if (w->o->spill && rta_spill_sweep(&w->spill, &err) != RTA_OK) {
			rta_warnx("%s", err.text);
			return RTA_EXIT_IO;
		}
		return 0;
	}
	if (rc != RTA_OK) {
		rta_warnx("%s", err.text);
		rta_buf_release(&b);
		return rc == RTA_ENOMEM ? RTA_EXIT_LIMIT : RTA_EXIT_IO;
	}
	rc = ck_load(w, b.data, b.len);
	rta_buf_release(&b);
	if (rc != 0)
		return w->failed ? RTA_EXIT_LIMIT : RTA_EXIT_IO;
	if (marks_cut(w) != 0)
		return RTA_EXIT_IO;
	if (w->o->resume)
		rta_sources_arm_resume(&w->src);
	return 0;
}

/* --resume: a record handled before the restart. */
static void
skip_resumed(struct wn *w, const struct rta_record *rec)
{
	w->resumed++;
	if (rec->kind == RTA_REC_EVENT)
		rta_stage_drop(w->st);
	else if (rec->kind == RTA_REC_POSITION)
		rta_sources_position(&w->src, &rec->pos);
}

/* rta-window offsets: where to go on from. */
static int
offsets_main(const struct opts *o, int nargs)
{
	struct wn w;
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_error err;
	const unsigned char *p, *end;
	int rc;

	if (o->state == NULL)
		rta_usage_error(usage_line, "offsets needs --state DIR");
	if (nargs > 0)
		rta_usage_error(usage_line, "offsets takes no operands");
	memset(&w, 0, sizeof(w));
	rta_sources_init(&w.src);
	rc = rta_state_read(o->state, "checkpoint", CK_MAX, &b, &err);
	if (rc == RTA_EOF) {
		rta_warnx("%s: no checkpoint", o->state);
		rta_buf_release(&b);
		return rta_cli_finish(RTA_EXIT_IO);
	}
	if (rc != RTA_OK) {
		rta_warnx("%s", err.text);
		rta_buf_release(&b);
		return rta_cli_finish(RTA_EXIT_IO);
	}
	/* the sources follow the magic, the description, 6 times and 10
	 * counts */
	p = b.data;
	end = b.data + b.len;
	if (b.len < 12 + 4 || memcmp(p, CK_MAGIC, 8) != 0 ||
	    rta_crc32c(0, p, b.len - 4) != rta_get_u32(end - 4) ||
	    (size_t)(end - 4 - (p + 12)) < rta_get_u32(p + 8) + 16 * 8) {
		rta_warnx("%s/checkpoint: damaged", o->state);
		rta_buf_release(&b);
		return rta_cli_finish(RTA_EXIT_IO);
	}
	p += 12 + rta_get_u32(p + 8) + 16 * 8;
	if (rta_sources_decode(&w.src, &p, end - 4) != RTA_OK) {
		rta_warnx("%s/checkpoint: damaged", o->state);
		rc = RTA_EXIT_IO;
	} else {
		b.len = 0;
		if (rta_sources_offsets(&w.src, o->json, &b) != 0) {
			rta_warnx("out of memory");
			rc = RTA_EXIT_LIMIT;
		} else {
			fwrite(b.data, 1, b.len, stdout);
			rc = 0;
		}
	}
	rta_buf_release(&b);
	rta_sources_release(&w.src);
	return rta_cli_finish(rc);
}

static int
window_main(const struct opts *o, struct rta_stage *st, int argc,
    char **argv)
{
	struct wn w;
	struct rta_record rec;
	struct rta_error err;
	struct rta_buf desc = RTA_BUF_INIT;
	int status, i, r;

	memset(&w, 0, sizeof(w));
	w.spill.dfd = -1;
	w.o = o;
	w.st = st;
	w.max_ts = w.wm_up = w.wm = w.emitted_wm = INT64_MIN;
	w.tick = INT64_MIN;
	w.tenant_by = -1;
	w.seed = rta_hash_seed();
	if (rta_agg_parse(o->agg, &w.specs, &w.nspecs, &err) != RTA_OK ||
	    rta_field_list_parse(o->by, &w.by, &w.nby, &err) != RTA_OK)
		rta_usage_error(usage_line, "%s", err.text);
	w.nout = w.nspecs;
	w.frontier = INT64_MIN;
	if (o->funnel != NULL) {
		if (funnel_parse(&w, o->funnel) != 0)
			rta_usage_error(usage_line, "bad --funnel '%s' (2 to "
			    "%d distinct event types, comma-separated)",
			    o->funnel, FUNNEL_MAX);
		if (rta_field_parse(&w.user, o->user, &err) != RTA_OK)
			rta_usage_error(usage_line, "%s", err.text);
		/* counts, not aggregates */
		rta_agg_specs_free(w.specs, w.nspecs);
		w.specs = NULL;
		w.nspecs = w.nout = 0;
	}
	if (o->kind == W_SESSION) {
		/* a session's events, first and last types, after --agg's */
		struct rta_agg_spec *own, *all;
		size_t nown;

		if (rta_agg_parse("count,first:event_type,last:event_type",
		    &own, &nown, &err) != RTA_OK ||
		    (all = rta_reallocarray(w.specs, w.nspecs + nown,
		    sizeof(*all))) == NULL) {
			rta_warnx("out of memory");
			return rta_cli_finish(RTA_EXIT_LIMIT);
		}
		memcpy(all + w.nspecs, own, nown * sizeof(*own));
		rta_free(own);
		w.specs = all;
		w.nspecs += nown;
	}
	for (i = 0; (size_t)i < w.nby; i++) {
		size_t j;

		if (w.by[i].root == RTA_F_TENANT_ID && w.tenant_by < 0)
			w.tenant_by = i;
		for (j = 0; j < (size_t)i; j++)
			if (strcmp(w.by[i].text, w.by[j].text) == 0)
				rta_usage_error(usage_line, "--by names '%s' "
				    "twice", w.by[i].text);
	}
	w.alerts_fd = -1;
	if (o->detect != D_NONE) {
		for (w.det = 0; o->detect_agg != NULL && w.det < w.nspecs;
		    w.det++)
			if (strcmp(w.specs[w.det].name, o->detect_agg) == 0)
				break;
		if (w.det == w.nspecs)
			rta_usage_error(usage_line, "--detect watches '%s', "
			    "which is not in --agg", o->detect_agg);
		if (w.specs[w.det].kind == RTA_AGG_FIRST ||
		    w.specs[w.det].kind == RTA_AGG_LAST ||
		    w.specs[w.det].kind == RTA_AGG_TOPK)
			rta_usage_error(usage_line, "--detect needs a number: "
			    "'%s' is not one", w.specs[w.det].name);
	}
	if (o->drift != NULL) {
		struct rta_agg_spec *own, *all;
		size_t nown;
		char name[RTA_AGG_NAME_MAX + 16];

		/* an aggregate of the field that keeps its distribution, or
		 * one of our own after --agg's */
		for (w.dspec = 0; w.dspec < w.nspecs; w.dspec++)
			if (w.specs[w.dspec].kind == (o->drift_cat ?
			    RTA_AGG_TOPK : RTA_AGG_QUANTILE) &&
			    strcmp(w.specs[w.dspec].field.text, o->drift) == 0)
				break;
		if (w.dspec == w.nspecs) {
			snprintf(name, sizeof(name), "%s:%.*s", o->drift_cat ?
			    "top10" : "p50", RTA_AGG_NAME_MAX, o->drift);
			if (rta_agg_parse(name, &own, &nown, &err) != RTA_OK)
				rta_usage_error(usage_line, "bad --drift: %s",
				    err.text);
			if ((all = rta_reallocarray(w.specs, w.nspecs + nown,
			    sizeof(*all))) == NULL) {
				rta_warnx("out of memory");
				return rta_cli_finish(RTA_EXIT_LIMIT);
			}
			memcpy(all + w.nspecs, own, nown * sizeof(*own));
			rta_free(own);
			w.specs = all;
			w.nspecs += nown;
		}
		if (rta_shift_watch_new(o->drift_cat, o->baseline, o->size,
		    (unsigned)(o->min_history < (uint64_t)(o->baseline /
		    o->size) ? o->min_history : (uint64_t)(o->baseline /
		    o->size)), o->baseline_from != NULL ? 0 : o->max_groups,
		    &w.watch, &err) != RTA_OK) {
			rta_warnx("out of memory");
			return rta_cli_finish(RTA_EXIT_LIMIT);
		}
		if (o->baseline_from != NULL &&
		    (status = baseline_load(&w, o->baseline_from)) != 0) {
			w.lock_fd = -1;
			window_free(&w);
			return rta_cli_finish(status);
		}
	}
	/* what makes record ids: the window and the names of the output */
	if (rta_buf_printf(&desc, "rta-window/1 %d %lld %lld by=%s agg=%s",
	    o->kind, (long long)o->size, (long long)o->slide, o->by,
	    o->agg) != 0 || (o->funnel != NULL && rta_buf_printf(&desc,
	    " funnel=%s within=%lld user=%s", o->funnel, (long long)o->within,
	    o->user) != 0) || tab_grow(&w) != 0) {
		rta_warnx("out of memory");
		return rta_cli_finish(RTA_EXIT_LIMIT);
	}
	for (i = 0; i < 8; i++)
		rta_put_u64((unsigned char *)w.spec_id + 8 * i,
		    rta_hash64(desc.data, desc.len, 0x7274612d77696eULL + i));
	/* what a checkpoint must match: that, and what shapes the state */
	if (rta_buf_printf(&desc, " detect=%d:%.17g:%zu history=%llu",
	    o->detect, o->threshold, w.det, (unsigned long long)o->history) !=
	    0 || (o->spill && rta_buf_printf(&desc, " at-cap=spill") != 0) ||
	    (o->drift != NULL && rta_buf_printf(&desc, " drift=%d:%s "
	    "baseline=%lld min=%llu", o->drift_cat, o->drift,
	    (long long)o->baseline, (unsigned long long)o->min_history) !=
	    0) ||
	    (w.desc = rta_memdup(desc.data, desc.len + 1)) == NULL) {
		rta_warnx("out of memory");
		return rta_cli_finish(RTA_EXIT_LIMIT);
	}
	w.desc[desc.len] = '\0';
	rta_buf_release(&desc);
	if (o->alerts != NULL && (w.alerts_fd = open(o->alerts, O_WRONLY |
	    O_CREAT | O_APPEND | O_CLOEXEC, 0644)) < 0) {
		rta_warnx("%s: %s", o->alerts, strerror(errno));
		return rta_cli_finish(RTA_EXIT_IO);
	}
	if (o->late != NULL) {
		if (rta_deadletter_open(&w.late, o->late, "rta-window", &err) !=
		    RTA_OK) {
			rta_warnx("%s", err.text);
			return rta_cli_finish(RTA_EXIT_IO);
		}
		w.late_open = 1;
	}
	st->m.extra = metrics_extra;
	st->m.extra_arg = &w;
	st->ropts.idle = window_idle;
	st->ropts.idle_arg = &w;
	w.last_input = mono_us();
	rta_sources_init(&w.src);
	w.lock_fd = -1;
	if (o->state != NULL && (status = state_open(&w)) != 0) {
		window_free(&w);
		return rta_cli_finish(status);
	}
	if ((status = rta_stage_start(st, argc, argv)) != 0) {
		window_free(&w);
		return status;
	}
	while (!w.failed && rta_stage_next(st, &rec) == RTA_OK) {
		const struct rta_where *wh = rta_reader_where(st->rd);

		if (o->idle > 0)
			w.last_input = mono_us();
		if (o->state != NULL) {
			rta_sources_track(&w.src, wh);
			if (o->resume && rta_sources_resumed(&w.src, wh)) {
				skip_resumed(&w, &rec);
				continue;
			}
		}
		switch (rec.kind) {
		case RTA_REC_EVENT:
			/* an event rejected for its time does not move the
			 * watermark */
			if ((r = event(&w, &rec)) < 0)
				break;
			if (r == 0 && rec.ev.ts > w.max_ts)
				w.max_ts = rec.ev.ts;
			(void)advance(&w, watermark_now(&w));
			/* a late event may have opened a window already due */
			if (w.wm != INT64_MIN && w.nheap > 0 &&
			    w.heap[0]->due <= w.wm)
				(void)fire(&w, w.wm, 0);
			break;
		case RTA_REC_WATERMARK:
			if (rec.watermark > w.wm_up)
				w.wm_up = rec.watermark;
			(void)advance(&w, watermark_now(&w));
			break;
		case RTA_REC_POSITION:
			/* consumed: the records out depend on many inputs;
			 * the message before it is done */
			if (o->state != NULL) {
				rta_sources_end(&w.src);
				ck_boundary(&w);
				rta_sources_position(&w.src, &rec.pos);
			}
			break;
		default:
			(void)rta_stage_emit(st, &rec);
			break;
		}
		if (o->state != NULL) {
			rta_sources_handled(&w.src, wh);
			maybe_checkpoint(&w);
		}
	}
	/* the end of the input closes every window */
	if (!w.failed && !st->stop) {
		int64_t last = INT64_MIN;
		size_t k;

		if (w.nsteps > 0)
			(void)funnel_run(&w, INT64_MAX);
		for (k = 0; k < w.nheap; k++)
			if (close_at(&w, w.heap[k]) > last)
				last = close_at(&w, w.heap[k]);
		if (w.spill.nb > 0 && w.spill.b[w.spill.nb - 1].id > last)
			last = w.spill.b[w.spill.nb - 1].id;
		if (fire(&w, 0, 1) == 0 && last != INT64_MIN)
			(void)emit_watermark(&w, last);
	}
	if (o->baseline_from != NULL && w.drift_unwatched > 0 && !st->quiet)
		rta_warnx("%llu closed window%s not scored: %s has no baseline "
		    "for %s group", (unsigned long long)w.drift_unwatched,
		    w.drift_unwatched == 1 ? "" : "s", o->baseline_from,
		    w.drift_unwatched == 1 ? "its" : "their");
	/* the state as the run leaves it: windows closed at the end of the
	 * input, or kept open when a signal stopped it */
	if (o->state != NULL && !w.failed) {
		rta_sources_end(&w.src);
		(void)checkpoint(&w);
	}
	while (w.nheap > 0) {
		struct win *x = heap_pop(&w);

		win_unlink(&w, x);
		win_free(&w, x);
	}
	if (w.late_open && rta_deadletter_close(&w.late, &err) != RTA_OK) {
		rta_warnx("%s", err.text);
		rta_cli_status(&st->status, RTA_EXIT_IO);
	}
	if (w.alerts_fd >= 0 && close(w.alerts_fd) != 0) {
		rta_warnx("%s: %s", o->alerts, strerror(errno));
		rta_cli_status(&st->status, RTA_EXIT_IO);
	}
	status = rta_stage_finish(st);
	window_free(&w);
	return status;
}

static void
help(void)
{
	printf("%s\n\n", usage_line);
	fputs(
"Group events into event-time windows and write one aggregate record per\n"
"window and group: its results and the mergeable state of each aggregate.\n"
"A window closes when the watermark (the largest event time seen, less\n"
"--max-delay, or a later watermark record read) reaches its end; the end\n"
"of the input closes every window.\n"
"\n"
"      --tumbling DUR      windows of DUR, one after another\n"
"      --sliding DUR       windows of DUR starting every --every\n"
"      --every DUR         the step of --sliding (dividing DUR)\n"
"      --session GAP       per group, events less than GAP apart make one\n"
"                          session; its record adds duration, events and\n"
"                          first and last event types\n"
"      --by LIST           group fields (default tenant_id)\n"
"      --agg LIST          aggregates (default count): count, sum:F,\n"
"                          avg:F, min:F, max:F, stddev:F, first:F,\n"
"                          last:F, distinct:F, pNN:F, topN:F\n"
"      --max-delay DUR     how far events may arrive out of order\n"
"      --allowed-lateness DUR  keep closed windows this long after the\n"
"                          watermark passed them; late events update them\n"
"      --late FILE         append events later than that to FILE\n"
"      --max-future DUR    reject events this far ahead of the watermark\n"
"      --emit-every DUR    also write changed open windows each time the\n"
"                          watermark passes a multiple of DUR\n"
"      --idle DUR          when no input came for DUR, move the watermark\n"
"                          on by the wall clock (live streams only)\n"
"      --max-groups N      most windows held at once (default 1000000)\n"
"      --at-cap ACTION     at --max-groups: reject the events of new\n"
"                          windows (reject, the default), or spill the\n"
"                          windows of their end and its later events to\n"
"                          --state DIR, read back when it closes (spill)\n"
"      --funnel STEPS      count users reaching each of the event types\n"
"                          STEPS in order (with --tumbling)\n"
"      --user F            the field naming the user, for --funnel\n"
"      --within DUR        the time from a user's first step to its last\n"
"      --detect M:T[:AGG]  alert when a closed window's AGG (default the\n"
"                          first aggregate) is T standard deviations or\n"
"                          more from its group's history: M is zscore\n"
"                          (mean of the last --history windows) or ewma\n"
"      --history N         windows of history (default 60)\n", stdout);
	fputs(
"      --min-history N     windows needed before alerting (default 10)\n"
"      --drift F           score each closed window's distribution of F\n"
"                          (num:F, the default, or cat:F for categories)\n"
"                          against its group's --baseline before it, and\n"
"                          write rta.drift events (--every DUR alone\n"
"                          makes tumbling windows of DUR)\n"
"      --baseline DUR      the windows compared with (default 7d)\n"
"      --baseline-from FILE  compare with a stored baseline instead: FILE's\n"
"                          aggregate records (or events), merged per group\n"
"      --drift-alert P[,Q] alert at PSI P or more, or a quantile moved by\n"
"                          Q interquartile ranges (default 0.25,1)\n"
"      --alerts FILE       append alerts (and drift events) to FILE\n"
"                          instead of stdout\n"
"      --state DIR         keep open windows, sketches and how far each\n"
"                          input was handled in DIR, to go on after a\n"
"                          restart, even after kill -9\n"
"      --checkpoint-every I  write the state every I of wall clock\n"
"                          (default 10s), or every N records as Nr\n"
"      --resume            with --state: skip the records of each input\n"
"                          file the state says were handled\n"
RTA_STAGE_HELP
"  -h, --help              print this help and exit\n"
"  -V, --version           print the version and exit\n"
"\n"
"rta-window offsets prints, for each Kafka partition in the state, the\n"
"offset to go on from (-t topic -p partition -o offset, for kcat);\n"
"--format json prints objects, input files included.\n", stdout);
}
