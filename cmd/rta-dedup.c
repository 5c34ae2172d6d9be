/*
 * rta-dedup: at-least-once in, effectively-once out.  Each key's first
 * occurrence goes on; later ones go to --duplicates.  Keys are forgotten
 * only past an event-time horizon (--ttl), never for lack of memory
 * (beyond --max-mem they move to a file), and with --state the set
 * survives kill -9: checkpoint, then a journal of what reached stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rta_ahead.h"
#include "rta_alloc.h"
#include "rta_cli.h"
#include "rta_field.h"
#include "rta_frame.h"
#include "rta_hash.h"
#include "rta_keyset.h"
#include "rta_stage.h"
#include "rta_state.h"
#include "rta_time.h"
#include "rta_value.h"

static const char usage_line[] =
"usage: rta-dedup [-hquV] [-k list] [-o format] [--approx rate]\n"
"               [--beyond-horizon action] [--checkpoint-every interval]\n"
"               [--dead-letter file] [--duplicates file] [--expect n]\n"
"               [--max-delay duration] [--max-errors n] [--max-line size]\n"
"               [--max-mem size] [--metrics file] [--resume]\n"
"               [--state dir] [--strict] [--ttl duration] [file ...]\n"
"       rta-dedup offsets [-hV] [--format style] --state dir";

enum {
	OPT_APPROX = RTA_OPT_STAGE_LAST,
	OPT_BEYOND, OPT_CHECKPOINT, OPT_DUPLICATES, OPT_EXPECT, OPT_FORMAT,
	OPT_MAX_DELAY, OPT_MAX_MEM, OPT_RESUME, OPT_STATE, OPT_TTL
};

static const struct option longopts[] = {
	RTA_STAGE_LONGOPTS,
	{ "approx", required_argument, NULL, OPT_APPROX },
	{ "beyond-horizon", required_argument, NULL, OPT_BEYOND },
	{ "checkpoint-every", required_argument, NULL, OPT_CHECKPOINT },
	{ "duplicates", required_argument, NULL, OPT_DUPLICATES },
	{ "expect", required_argument, NULL, OPT_EXPECT },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "help", no_argument, NULL, 'h' },
	{ "key", required_argument, NULL, 'k' },
	{ "max-delay", required_argument, NULL, OPT_MAX_DELAY },
	{ "max-mem", required_argument, NULL, OPT_MAX_MEM },
	{ "resume", no_argument, NULL, OPT_RESUME },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "ttl", required_argument, NULL, OPT_TTL },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

/* What the process needs besides the key set (reader, output, code):
 * --max-mem is shared out after this much is set aside. */
#define RESERVE		(12ULL << 20)
#define MIN_MEM		(16ULL << 20)
#define DUP_FLUSH	(64U * 1024)
#define VALUE_MAX	((1ULL << 48) - 1)	/* of a position in a key */
#define MAX_TENANTS	10000U
#define TENANT_SLOTS	16384U

enum beyond { BEYOND_PASS, BEYOND_DROP, BEYOND_DEAD };

struct opts {
	const char	*key;
	const char	*state;
	const char	*duplicates;
	int64_t		 ttl;		/* 0: none */
	int64_t		 max_delay;
	enum beyond	 beyond;
	uint64_t	 max_mem;
	double		 approx;
	uint64_t	 expect;
	int64_t		 ck_every;	/* µs of wall clock */
	uint64_t	 ck_records;	/* 0: by time */
	int		 resume;
	int		 json;		/* offsets --format json */
};

struct tenant {
	char		*name;
	size_t		 len;
	uint64_t	 n;
};

/*
 * Fetching ahead.  With millions of keys each lookup waits on a cache
 * miss, and the stage hands out one event at a time.  So before each
 * event the frames the reader already holds are walked (rta_ahead) to
 * the event AHEAD_D further on, and the bucket of each new one's key is
 * fetched.  Keys in time order go to the key set's newest slab, which
 * stays in the cache: the walk would cost more than it saves (a fifth
 * of the stage's own work), so it stops while fewer than one add in
 * AHEAD_COLD of the last AHEAD_CHECK went anywhere else.
 */
#define AHEAD_D		48
#define AHEAD_KEYS	(1U << 17)	/* fewer keys stay in the caches */
#define AHEAD_CHECK	4096U
#define AHEAD_COLD	32U

struct dd {
	struct opts		*o;
	struct rta_stage	*st;
	struct rta_field	*keys;
	size_t			 nkeys;
	struct rta_keyset	 ks;
	int			 ks_ready;
	struct rta_buf		 kb;		/* key bytes */
	struct rta_buf		 line;		/* scratch */
	int64_t			 wm_ctrl;	/* watermark records */
	int64_t			 max_ts;
	int64_t			 horizon;
	struct rta_sources	 src;		/* inputs and how far */
	/* --state */
	int			 lock_fd;
	struct rta_journal	 j;
	int			 journaling;
	int			 jfail;
	uint64_t		 gen;
	struct rta_buf		 pend;		/* keys since the last write */
	int			 out_regular;
	uint64_t		 out_dev, out_ino, out_off;
	int			 out_fmt;	/* what the last run wrote */
	struct rta_cadence	 ck;
	uint64_t		 checkpoints;
	/* counters */
	uint64_t		 dups, beyond, skipped, total_out, total_dups;
	struct tenant		*tenants;
	size_t			 ntenants;
	uint64_t		 other_dups;
	/* --duplicates */
	int			 dup_fd;
	struct rta_buf		 dupbuf;
	/* fetching ahead */
	int			 ahead;		/* the keys are in hints */
	int			 walk;		/* worth it for the last keys */
	unsigned		 since;		/* events since the last look */
	uint64_t		 cold;		/* rta_keyset_cold then */
	struct rta_ahead	 ah;
	struct rta_fp		 afp[RTA_AHEAD_RING];	/* their keys */
	unsigned char		 afp_ok[RTA_AHEAD_RING];
	struct rta_buf		 hb;		/* key bytes of a hint */
};

static int	checkpoint(struct dd *);
static int	dedup_main(struct opts *, struct rta_stage *, int, char **);
static int	offsets_main(struct opts *, int, char **);
static void	help(void);

int
main(int argc, char *argv[])
{
	struct opts o;
	struct rta_stage st;
	struct rta_error err;
	int c, offsets = 0;

	memset(&o, 0, sizeof(o));
	o.key = "event_id";
	o.ck_every = 10 * RTA_US_PER_SEC;
	if (argc > 1 && strcmp(argv[1], "offsets") == 0) {
		offsets = 1;
		argc--;
		argv++;
	}
	rta_stage_init(&st, "rta-dedup", usage_line);
	while ((c = getopt_long(argc, argv, ":hk:V" RTA_STAGE_SHORTOPTS,
	    longopts, NULL)) != -1) {
		if (offsets && c != 'h' && c != 'V' && c != OPT_FORMAT &&
		    c != OPT_STATE && c != '?' && c != ':')
			rta_usage_error(usage_line, "offsets takes only "
			    "--state and --format");
		if (!offsets && c == OPT_FORMAT)
			rta_usage_error(usage_line, "--format is an option of "
			    "rta-dedup offsets");
		switch (c) {
		case 'h':
			help();
			return rta_cli_finish(RTA_EXIT_OK);
		case 'k':
			o.key = optarg;
			break;
		case 'V':
			rta_cli_version();
			return rta_cli_finish(RTA_EXIT_OK);
		case OPT_APPROX:
			if (rta_parse_double(optarg, 1e-9, 0.5, &o.approx) != 0)
				rta_usage_error(usage_line, "bad --approx '%s' "
				    "(a false-positive rate from 1e-9 to 0.5)",
				    optarg);
			break;
		case OPT_BEYOND:
			if (strcmp(optarg, "pass") == 0)
				o.beyond = BEYOND_PASS;
			else if (strcmp(optarg, "drop") == 0)
				o.beyond = BEYOND_DROP;
			else if (strcmp(optarg, "dead-letter") == 0)
				o.beyond = BEYOND_DEAD;
			else
				rta_usage_error(usage_line, "bad --beyond-"
				    "horizon '%s' (use pass, drop or "
				    "dead-letter)", optarg);
			break;
		case OPT_CHECKPOINT:
			if (rta_state_interval(optarg, &o.ck_every,
			    &o.ck_records) != 0)
				rta_usage_error(usage_line, "bad "
				    "--checkpoint-every '%s' (a duration, or "
				    "records as 10000r)", optarg);
			break;
		case OPT_DUPLICATES:
			o.duplicates = optarg;
			break;
		case OPT_EXPECT:
			if (rta_parse_u64(optarg, 1, 1ULL << 40, &o.expect) != 0)
				rta_usage_error(usage_line, "bad --expect '%s' "
				    "(a number of keys)", optarg);
			break;
		case OPT_FORMAT:
			if (rta_offsets_style(optarg, &o.json) != 0)
				rta_usage_error(usage_line, "bad --format '%s' "
				    "(use kcat or json)", optarg);
			break;
		case OPT_MAX_DELAY:
		case OPT_TTL:
			if (rta_duration_parse(optarg, c == OPT_TTL ? &o.ttl :
			    &o.max_delay, &err) != RTA_OK || (c == OPT_TTL &&
			    o.ttl <= 0))
				rta_usage_error(usage_line, "bad --%s '%s' (a "
				    "duration such as 90s, 24h)", c == OPT_TTL ?
				    "ttl" : "max-delay", optarg);
			break;
		case OPT_MAX_MEM:
			if (rta_parse_size(optarg, &o.max_mem) != 0 ||
			    o.max_mem < MIN_MEM)
				rta_usage_error(usage_line, "bad --max-mem '%s' "
				    "(a size of at least 16M)", optarg);
			break;
		case OPT_RESUME:
			o.resume = 1;
			break;
		case OPT_STATE:
			o.state = optarg;
			break;
		default:
			if (rta_stage_getopt(&st, c, optarg))
				break;
			rta_cli_bad_option(usage_line, c, argv);
		}
	}
	argc -= optind;
	argv += optind;
	if (offsets)
		return offsets_main(&o, argc, argv);
	return dedup_main(&o, &st, argc, argv);
}

/* ---- sources and positions ---------------------------------------------- */

static void
put_str(struct rta_buf *b, const char *s, size_t len)
{
	rta_buf_add_u32(b, (uint32_t)len);
	rta_buf_add(b, s, len);
}

/* A source was added: the journal says so (kinds 0 lines, 1 bytes, 2
 * Kafka, as in the checkpoint). */
static void
source_new(void *arg, size_t i)
{
	struct dd *d = arg;
	const struct rta_source *x = &d->src.v[i];
	struct rta_buf b = RTA_BUF_INIT;
	unsigned char h[9];

	if (!d->journaling)
		return;
	rta_put_u32(h, (uint32_t)i);
	h[4] = (unsigned char)(x->kind - 1);
	rta_put_u32(h + 5, (uint32_t)x->partition);
	rta_buf_add(&b, h, 9);
	put_str(&b, x->name, x->len);
	if (b.len < 9 + 4 + x->len ||
	    rta_journal_put(&d->j, 'N', b.data, b.len) != 0)
		d->jfail = 1;
	rta_buf_release(&b);
}

/* A source from the checkpoint or the journal, which must be the next
 * one (kinds as source_new writes them). */
static int
source_load(struct dd *d, int kind, int32_t partition, const char *name,
    size_t len)
{
	size_t n = d->src.n;

	if (kind < 0 || kind > 2)
		return -1;
	return rta_sources_get(&d->src, (enum rta_src_kind)(kind + 1),
	    partition, name, len) == n && d->src.n == n + 1 ? 0 : -1;
}

static uint64_t
make_pos(size_t src, uint64_t v)
{
	if (src >= RTA_SOURCES_MAX)
		src = RTA_SOURCES_MAX;		/* none */
	if (v > VALUE_MAX)
		v = VALUE_MAX;
	return (uint64_t)src << 48 | v;
}

static uint64_t
where_value(const struct dd *d)
{
	return rta_sources_where(rta_reader_where(d->st->rd));
}

static void
json_pos(struct rta_buf *b, const struct dd *d, uint64_t pos)
{
	size_t i = (size_t)(pos >> 48) & 0x7fff;
	uint64_t v = pos & VALUE_MAX;
	const struct rta_source *s;

	if (i >= d->src.n) {
		rta_buf_adds(b, "null");
		return;
	}
	s = &d->src.v[i];
	if (s->kind == RTA_SRC_KAFKA) {
		rta_buf_adds(b, "{\"topic\":");
		rta_json_put_bytes_lossy(b, s->name, s->len);
		rta_buf_printf(b, ",\"partition\":%d,\"offset\":%llu}",
		    (int)s->partition, (unsigned long long)v);
		return;
	}
	rta_buf_adds(b, "{\"source\":");
	rta_json_put_bytes_lossy(b, s->name, s->len);
	rta_buf_printf(b, s->kind == RTA_SRC_LINES ? ",\"line\":%llu}" :
	    ",\"byte_offset\":%llu}", (unsigned long long)v);
}

/* ---- the journal -------------------------------------------------------- */

static void
journal_fail(struct dd *d, const struct rta_error *err)
{
	if (!d->jfail)
		rta_warnx("%s", err->text);
	d->jfail = 1;
	rta_cli_status(&d->st->status, RTA_EXIT_IO);
	d->st->stop = 1;
}

static void
put_out_state(struct dd *d)
{
	unsigned char b[25];

	rta_put_u64(b, d->out_dev);
	rta_put_u64(b + 8, d->out_ino);
	rta_put_u64(b + 16, d->out_off);
	b[24] = (unsigned char)d->out_fmt;
	if (rta_journal_put(&d->j, 'S', b, sizeof(b)) != 0)
		d->jfail = 1;
}

/* After each write of the output: what it held goes to the journal. */
static void
written(void *arg)
{
	struct dd *d = arg;
	struct rta_error err;
	size_t i;

	if (!d->journaling || d->jfail)
		return;
	if (d->pend.len > 0 && rta_journal_put(&d->j, 'K', d->pend.data,
	    d->pend.len) != 0)
		d->jfail = 1;
	d->pend.len = 0;
	for (i = 0; i < d->src.n; i++)
		if (d->src.v[i].dirty) {
			unsigned char b[12];

			rta_put_u32(b, (uint32_t)i);
			rta_put_u64(b + 4, d->src.v[i].done);
			if (rta_journal_put(&d->j, 'R', b, 12) != 0)
				d->jfail = 1;
			d->src.v[i].dirty = 0;
		}
	if (d->out_regular) {
		off_t at = lseek(STDOUT_FILENO, 0, SEEK_CUR);

		if (at >= 0) {
			d->out_off = (uint64_t)at;
			d->out_fmt = d->st->out.format;
			put_out_state(d);
		}
	}
	if (d->jfail) {
		rta_error_set(&err, RTA_ENOMEM, "no-memory", "out of memory "
		    "for the journal");
		d->jfail = 0;
		journal_fail(d, &err);
		return;
	}
	if (rta_journal_write(&d->j, &err) != RTA_OK)
		journal_fail(d, &err);
}

/* A key whose event is in the output buffer, for the next write. */
static void
pend(struct dd *d, const struct rta_fp *fp, int64_t ts, uint64_t pos)
{
	unsigned char b[32];

	if (!d->journaling)
		return;
	rta_put_u64(b, fp->lo);
	rta_put_u64(b + 8, fp->hi);
	rta_put_u64(b + 16, (uint64_t)ts);
	rta_put_u64(b + 24, pos);
	if (rta_buf_add(&d->pend, b, 32) != 0)
		d->jfail = 1;
}

/* ---- checkpoint meta ---------------------------------------------------- */

static void
meta_build(struct dd *d, struct rta_buf *b)
{
	size_t i;

	b->len = 0;
	rta_buf_add_u32(b, 1);
	put_str(b, d->o->key, strlen(d->o->key));
	rta_buf_add_u64(b, d->gen);
	rta_buf_add_u64(b, (uint64_t)d->wm_ctrl);
	rta_buf_add_u64(b, (uint64_t)d->max_ts);
	rta_buf_add_u64(b, d->total_out);
	rta_buf_add_u64(b, d->total_dups);
	rta_buf_add_u64(b, d->out_dev);
	rta_buf_add_u64(b, d->out_ino);
	rta_buf_add_u64(b, d->out_off);
	rta_buf_addc(b, d->out_fmt);
	rta_buf_add_u32(b, (uint32_t)d->src.n);
	for (i = 0; i < d->src.n; i++) {
		const struct rta_source *s = &d->src.v[i];

		rta_buf_addc(b, (char)(s->kind - 1));
		rta_buf_add_u32(b, (uint32_t)s->partition);
		put_str(b, s->name, s->len);
		rta_buf_addc(b, s->has_done);
		rta_buf_add_u64(b, s->done);
	}
}

struct mr {
	const unsigned char	*p;
	size_t			 left;
	int			 bad;
};

static uint64_t
mr_u64(struct mr *m)
{
	uint64_t v;

	if (m->left < 8) {
		m->bad = 1;
		return 0;
	}
	v = rta_get_u64(m->p);
	m->p += 8;
	m->left -= 8;
	return v;
}

static uint32_t
mr_u32(struct mr *m)
{
	uint32_t v;

	if (m->left < 4) {
		m->bad = 1;
		return 0;
	}
	v = rta_get_u32(m->p);
	m->p += 4;
	m->left -= 4;
	return v;
}

static int
mr_u8(struct mr *m)
{
	if (m->left < 1) {
		m->bad = 1;
		return 0;
	}
	m->left--;
	return *m->p++;
}

static const char *
mr_str(struct mr *m, size_t *len)
{
	const char *s;
	uint32_t n = mr_u32(m);

	if (m->bad || n > m->left) {
		m->bad = 1;
		*len = 0;
		return "";
	}
	s = (const char *)m->p;
	m->p += n;
	m->left -= n;
	*len = n;
	return s;
}

/* Read checkpoint meta; 0, or -1 (damaged). */
/* A time from a checkpoint: an event time, or none (INT64_MIN). */
static int
time_ok(int64_t t)
{
	return t == INT64_MIN || (t >= RTA_TIME_MIN && t <= RTA_TIME_MAX);
}

static int
meta_parse(struct dd *d, const unsigned char *p, size_t len,
    const char **key, size_t *klen)
{
	struct mr m = { p, len, 0 };
	uint32_t n, i;

	if (mr_u32(&m) != 1)
		return -1;
	*key = mr_str(&m, klen);
	d->gen = mr_u64(&m);
	d->wm_ctrl = (int64_t)mr_u64(&m);
	d->max_ts = (int64_t)mr_u64(&m);
	d->total_out = mr_u64(&m);
	d->total_dups = mr_u64(&m);
	d->out_dev = mr_u64(&m);
	d->out_ino = mr_u64(&m);
	d->out_off = mr_u64(&m);
	d->out_fmt = mr_u8(&m);
	n = mr_u32(&m);
	if (m.bad || n > RTA_SOURCES_MAX || !time_ok(d->wm_ctrl) ||
	    !time_ok(d->max_ts))
		return -1;
	for (i = 0; i < n && !m.bad; i++) {
		int kind = mr_u8(&m);
		int32_t part = (int32_t)mr_u32(&m);
		size_t sl, at;
		const char *s = mr_str(&m, &sl);
		int has = mr_u8(&m);
		uint64_t v = mr_u64(&m);

		if (m.bad || has > 1 || v > RTA_SOURCE_POS_MAX ||
		    source_load(d, kind, part, s, sl) != 0)
			return -1;
		at = i;
		d->src.v[at].has_done = has;
		d->src.v[at].done = v;
	}
	return m.bad ? -1 : 0;
}

static int
replay_record(void *arg, int type, const unsigned char *p, size_t len)
{
	struct dd *d = arg;
	struct rta_error err;
	struct mr m = { p, len, 0 };
	size_t i, sl;

	switch (type) {
	case 'K':
		if (!d->ks_ready)
			break;	/* rta-dedup offsets: positions only */
		for (i = 0; i + 32 <= len; i += 32) {
			struct rta_fp fp;

			fp.lo = rta_get_u64(p + i);
			fp.hi = rta_get_u64(p + i + 8);
			if (fp.lo == 0 && fp.hi == 0)
				continue;
			if (rta_keyset_add(&d->ks, &fp, (int64_t)rta_get_u64(p +
			    i + 16), rta_get_u64(p + i + 24), NULL, &err) < 0) {
				rta_warnx("%s", err.text);
				return err.code;
			}
		}
		break;
	case 'N': {
		uint32_t at = mr_u32(&m);
		int kind = mr_u8(&m);
		int32_t part = (int32_t)mr_u32(&m);
		const char *s = mr_str(&m, &sl);

		if (m.bad || at != d->src.n ||
		    source_load(d, kind, part, s, sl) != 0)
			return RTA_EDATA;
		break;
	}
	case 'R': {
		uint32_t at = mr_u32(&m);
		uint64_t v = mr_u64(&m);

		if (m.bad || at >= d->src.n || v > RTA_SOURCE_POS_MAX)
			return RTA_EDATA;
		d->src.v[at].has_done = 1;
		d->src.v[at].done = v;
		break;
	}
	case 'S':
		d->out_dev = mr_u64(&m);
		d->out_ino = mr_u64(&m);
		d->out_off = mr_u64(&m);
		d->out_fmt = mr_u8(&m);
		if (m.bad)
			return RTA_EDATA;
		break;
	default:
		break;
	}
	return RTA_OK;
}

/* ---- keys --------------------------------------------------------------- */

/* The key bytes and fingerprint of an event. */
static int
event_key(struct dd *d, const struct rta_event *ev, struct rta_fp *fp)
{
	struct rta_fval v;
	size_t i;

	d->kb.len = 0;
	for (i = 0; i < d->nkeys; i++) {
		rta_field_get(&d->keys[i], ev, &v);
		if (rta_fval_key(&d->kb, &v) != 0)
			return -1;
	}
	rta_keyset_fingerprint_at(&d->ks, d->kb.data, d->kb.len,
	    rta_key_time(d->kb.data, d->kb.len), fp);
	return 0;
}

/* Fetching ahead needs keys of envelope fields or payload members. */
static void
ahead_init(struct dd *d)
{
	size_t i;

	rta_ahead_reset(&d->ah);
	d->ahead = 1;
	d->walk = 1;
	for (i = 0; i < d->nkeys; i++)
		if (d->keys[i].root == RTA_F_PAYLOAD &&
		    d->keys[i].nparts == 0)
			d->ahead = 0;
}

/*
 * The fingerprint the key of the event in hint h would have, when the
 * hint holds it: 1, or 0 (a payload key that is not a string, a cut
 * frame).  The key bytes are those event_key makes of the same values.
 */
static int
ahead_fp(struct dd *d, const struct rta_frame_hint *h, struct rta_fp *fp)
{
	const unsigned char *v, *end;
	struct rta_fval fv;
	size_t i, j;

	if (h->id == NULL)
		return 0;
	d->hb.len = 0;
	for (i = 0; i < d->nkeys; i++) {
		const struct rta_field *f = &d->keys[i];

		memset(&fv, 0, sizeof(fv));
		fv.kind = RTA_FV_STRING;
		switch (f->root) {
		case RTA_F_EVENT_ID:
			fv.s = h->id, fv.len = h->id_len;
			break;
		case RTA_F_EVENT_TYPE:
			fv.s = h->etype, fv.len = h->etype_len;
			break;
		case RTA_F_TENANT_ID:
			fv.s = h->tenant, fv.len = h->tenant_len;
			break;
		case RTA_F_TIMESTAMP:
			fv.kind = RTA_FV_TIME, fv.i = h->ts;
			break;
		case RTA_F_SCHEMA_VERSION:
			fv.kind = RTA_FV_UINT, fv.i = h->schema_version;
			break;
		case RTA_F_PAYLOAD:
			if ((v = h->payload) == NULL)
				return 0;
			end = v + h->payload_len;
			for (j = 0; j < f->nparts && v != NULL; j++)
				v = rta_value_member_hint(v, end,
				    f->parts[j].name, f->parts[j].len);
			if (v == NULL || !rta_value_str_hint(v, end, &fv.s,
			    &fv.len))
				return 0;
			break;
		}
		if (rta_fval_key(&d->hb, &fv) != 0)
			return 0;
	}
	rta_keyset_fingerprint_at(&d->ks, d->hb.data, d->hb.len,
	    rta_key_time(d->hb.data, d->hb.len), fp);
	return 1;
}

/* Every AHEAD_CHECK events: whether the keys call for the walk. */
static void
ahead_check(struct dd *d)
{
	uint64_t cold = rta_keyset_cold(&d->ks);
	int walk = cold - d->cold >= AHEAD_CHECK / AHEAD_COLD;

	if (walk && !d->walk)
		rta_ahead_reset(&d->ah);	/* what it held is stale */
	d->walk = walk;
	d->cold = cold;
	d->since = 0;
}

/* A new event ahead: fetch its key's bucket. */
static void
ahead_found(void *arg, unsigned slot, const struct rta_frame_hint *h)
{
	struct dd *d = arg;

	if ((d->afp_ok[slot] = (unsigned char)ahead_fp(d, h, &d->afp[slot])))
		rta_keyset_prefetch(&d->ks, &d->afp[slot]);
}

static void
update_horizon(struct dd *d)
{
	int64_t wm = d->wm_ctrl, h;

	if (d->o->ttl <= 0)
		return;
	if (d->max_ts != INT64_MIN && d->max_ts - d->o->max_delay > wm)
		wm = d->max_ts - d->o->max_delay;
	if (wm == INT64_MIN)
		return;
	h = wm - d->o->ttl;
	if (h > d->horizon) {
		d->horizon = h;
		rta_keyset_set_horizon(&d->ks, h);
	}
}

/* ---- stdout read back --------------------------------------------------- */

static void
readback_event(struct dd *d, const struct rta_record *rec, uint64_t at,
    size_t src)
{
	struct rta_fp fp;
	struct rta_error err;
	int r;

	if (rec->kind != RTA_REC_EVENT)
		return;
	if (rec->ev.ts > d->max_ts)
		d->max_ts = rec->ev.ts;
	if (d->o->ttl > 0 && rec->ev.ts < d->horizon)
		return;
	if (event_key(d, &rec->ev, &fp) != 0)
		return;
	r = rta_keyset_add(&d->ks, &fp, rec->ev.ts, make_pos(src, at), NULL,
	    &err);
	if (r == 0)
		pend(d, &fp, rec->ev.ts, make_pos(src, at));
}

/*
 * Output written after the last journaled offset (a batch that reached
 * stdout before kill -9 let the journal know) is read back and its keys
 * added; a torn last record is cut off so that what follows is clean.
 */
static int
readback(struct dd *d)
{
	struct rta_ndjson_parser np;
	struct rta_record rec;
	struct rta_error err;
	struct stat sb;
	unsigned char *map;
	uint64_t p, end, good;
	size_t src;
	int fd, is_hdr;

	if (!d->out_regular || fstat(STDOUT_FILENO, &sb) != 0 ||
	    (uint64_t)sb.st_dev != d->out_dev ||
	    (uint64_t)sb.st_ino != d->out_ino ||
	    (uint64_t)sb.st_size <= d->out_off)
		return 0;
	end = (uint64_t)sb.st_size;
	if ((fd = open("/proc/self/fd/1", O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	map = mmap(NULL, (size_t)end, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return 0;
	/* what the last run wrote: its own stream header says rta frames */
	if (rta_frame_is_magic(map + d->out_off, (size_t)(end - d->out_off)))
		d->out_fmt = RTA_FMT_RTA;
	else if (d->out_fmt != RTA_FMT_RTA && map[d->out_off] != '{') {
		munmap(map, (size_t)end);
		return 0;	/* not ours to read, and never to cut */
	}
	src = rta_sources_get(&d->src, RTA_SRC_BYTES, 0, "<stdout>", 8);
	rta_ndjson_parser_init(&np);
	good = p = d->out_off;
	while (p < end) {
		const unsigned char *q = map + p;
		size_t avail = (size_t)(end - p), size;

		if (d->out_fmt == RTA_FMT_RTA) {
			if (rta_frame_probe(q, avail, RTA_FRAME_MAX, &is_hdr,
			    &size, &err) != RTA_OK || size > avail)
				break;
			if (!is_hdr && rta_frame_decode(q, size, 64, 100000,
			    &rec, &err) != RTA_OK)
				break;
			if (!is_hdr)
				readback_event(d, &rec, p, src);
			p += size;
		} else {
			const unsigned char *nl = memchr(q, '\n', avail);

			if (nl == NULL)
				break;
			size = (size_t)(nl - q) + 1;
			if (rta_ndjson_parse(&np, q, size - 1, &rec, &err) ==
			    RTA_OK)
				readback_event(d, &rec, p, src);
			p += size;
		}
		good = p;
	}
	rta_ndjson_parser_release(&np);
	munmap(map, (size_t)end);
	if (good < end) {
		if (ftruncate(STDOUT_FILENO, (off_t)good) != 0) {
			rta_warnx("<stdout>: cannot cut a torn last record: %s",
			    strerror(errno));
			return RTA_EXIT_IO;
		}
		if (!d->st->quiet)
			rta_warnx("<stdout>: cut a torn last record (%llu "
			    "bytes) left by an earlier run",
			    (unsigned long long)(end - good));
	}
	d->out_off = good;
	return 0;
}

/* ---- state -------------------------------------------------------------- */

static int
state_lock(struct dd *d)
{
	char path[4096];

	if (mkdir(d->o->state, 0755) != 0 && errno != EEXIST) {
		rta_warnx("%s: %s", d->o->state, strerror(errno));
		return RTA_EXIT_IO;
	}
	snprintf(path, sizeof(path), "%s/lock", d->o->state);
	if ((d->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644)) <
	    0) {
		rta_warnx("%s: %s", path, strerror(errno));
		return RTA_EXIT_IO;
	}
	if (flock(d->lock_fd, LOCK_EX | LOCK_NB) != 0) {
		rta_warnx("%s: in use by another rta-dedup", d->o->state);
		return RTA_EXIT_IO;
	}
	return 0;
}

/* Load checkpoint and journal; 0 or an exit status. */
static int
state_load(struct dd *d, struct rta_keyset_opts *ko)
{
	struct rta_buf meta = RTA_BUF_INIT;
	struct rta_error err;
	const char *key;
	size_t klen;
	uint64_t valid;
	int rc, approx = 0, applied, torn;

	rc = rta_keyset_peek(d->o->state, "checkpoint", ko->seed, &approx,
	    &meta, &err);
	if (rc == RTA_EOF) {
		rta_buf_release(&meta);
		ko->seed[0] = ko->seed[1] = 0;
		rc = rta_keyset_init(&d->ks, ko, &err);
		if (rc != RTA_OK)
			goto fail;
		d->ks_ready = 1;
		/* the seeds must be on disk before any journal uses them */
		if (checkpoint(d) != 0)
			return RTA_EXIT_IO;
		d->journaling = 1;
		return 0;
	}
	if (rc != RTA_OK) {
		rta_buf_release(&meta);
		goto fail;
	}
	if (meta_parse(d, meta.data, meta.len, &key, &klen) != 0) {
		rta_warnx("%s/checkpoint: damaged", d->o->state);
		rta_buf_release(&meta);
		return RTA_EXIT_IO;
	}
	if (klen != strlen(d->o->key) || memcmp(key, d->o->key, klen) != 0 ||
	    approx != (d->o->approx > 0)) {
		rta_warnx("%s: made with --key %.*s%s; use the same options "
		    "or another --state", d->o->state, (int)klen, key,
		    approx ? " --approx" : "");
		rta_buf_release(&meta);
		return RTA_EXIT_USAGE;
	}
	rta_buf_release(&meta);
	if ((rc = rta_keyset_init(&d->ks, ko, &err)) != RTA_OK)
		goto fail;
	d->ks_ready = 1;
	update_horizon(d);
	if ((rc = rta_keyset_load(&d->ks, d->o->state, "checkpoint", &err)) !=
	    RTA_OK)
		goto fail;
	rc = rta_journal_replay(d->o->state, "journal", d->gen, replay_record,
	    d, &applied, &torn, &valid, &err);
	if (rc == RTA_EDATA) {
		rta_warnx("%s/journal: damaged", d->o->state);
		return RTA_EXIT_IO;
	}
	if (rc != RTA_OK)
		goto fail;
	if (applied)
		rc = rta_journal_append(&d->j, d->o->state, "journal", d->gen,
		    valid, &err);
	else
		rc = rta_journal_create(&d->j, d->o->state, "journal", d->gen,
		    &err);
	if (rc != RTA_OK)
		goto fail;
	d->journaling = 1;
	return 0;
fail:
	rta_warnx("%s", err.text);
	/* a damaged state is a failed state, as a damaged journal is */
	return rc == RTA_EDATA ? RTA_EXIT_IO : rta_exit_code(rc);
}

static int
checkpoint(struct dd *d)
{
	struct rta_buf meta = RTA_BUF_INIT;
	struct rta_error err;
	int rc;

	if (d->jfail || (d->st->out_ready && d->st->out.failed))
		return -1;
	if (d->st->out_ready && rta_output_flush(&d->st->out, &err) !=
	    RTA_OK)
		return -1;
	if (d->jfail)
		return -1;
	d->gen++;
	meta_build(d, &meta);
	rc = rta_keyset_save(&d->ks, d->o->state, "checkpoint", meta.data,
	    meta.len, &err);
	rta_buf_release(&meta);
	if (rc != RTA_OK) {
		d->gen--;
		journal_fail(d, &err);
		return -1;
	}
	rta_journal_close(&d->j);
	d->pend.len = 0;
	if (rta_journal_create(&d->j, d->o->state, "journal", d->gen, &err) !=
	    RTA_OK) {
		d->journaling = 0;
		journal_fail(d, &err);
		return -1;
	}
	d->checkpoints++;
	rta_cadence_done(&d->ck);
	return 0;
}

static void
maybe_checkpoint(struct dd *d)
{
	if (d->journaling && rta_cadence_tick(&d->ck))
		(void)checkpoint(d);
}

/* ---- duplicates and metrics --------------------------------------------- */

static void
count_tenant(struct dd *d, const char *t, size_t len)
{
	size_t i;

	if (d->st->m.path == NULL)
		return;
	if (d->tenants == NULL && (d->tenants = rta_calloc(TENANT_SLOTS,
	    sizeof(*d->tenants))) == NULL) {
		d->other_dups++;
		return;
	}
	i = (size_t)rta_hash64(t, len, 7) & (TENANT_SLOTS - 1);
	for (;; i = (i + 1) & (TENANT_SLOTS - 1)) {
		struct tenant *x = &d->tenants[i];

		if (x->name == NULL) {
			if (d->ntenants >= MAX_TENANTS ||
			    (x->name = rta_memdup(t, len)) == NULL) {
				d->other_dups++;
				return;
			}
			x->len = len;
			d->ntenants++;
		}
		if (x->len == len && memcmp(x->name, t, len) == 0) {
			x->n++;
			return;
		}
	}
}

static int
dup_flush(struct dd *d)
{
	size_t off = 0;

	while (off < d->dupbuf.len) {
		ssize_t n = write(d->dup_fd, d->dupbuf.data + off,
		    d->dupbuf.len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rta_warnx("%s: %s", d->o->duplicates, strerror(errno));
			rta_cli_status(&d->st->status, RTA_EXIT_IO);
			d->st->stop = 1;
			d->dupbuf.len = 0;
			return -1;
		}
		off += (size_t)n;
	}
	d->dupbuf.len = 0;
	return 0;
}

static void
key_json(struct dd *d, struct rta_buf *b, const struct rta_event *ev)
{
	struct rta_fval v;
	char t[RTA_TIME_LEN];
	size_t i;

	rta_buf_addc(b, '[');
	for (i = 0; i < d->nkeys; i++) {
		if (i > 0)
			rta_buf_addc(b, ',');
		rta_field_get(&d->keys[i], ev, &v);
		switch (v.kind) {
		case RTA_FV_STRING:
			rta_json_put_bytes_lossy(b, v.s, v.len);
			break;
		case RTA_FV_TIME:
			rta_time_format(t, v.i);
			rta_buf_addc(b, '"');
			rta_buf_add(b, t, RTA_TIME_LEN);
			rta_buf_addc(b, '"');
			break;
		case RTA_FV_UINT:
			rta_buf_printf(b, "%lld", (long long)v.i);
			break;
		case RTA_FV_VALUE:
			rta_value_to_json(b, v.v);
			break;
		default:
			rta_buf_adds(b, "null");
			break;
		}
	}
	rta_buf_addc(b, ']');
}

static void
duplicate(struct dd *d, const struct rta_record *rec, uint64_t pos,
    const struct rta_keyset_entry *first)
{
	struct rta_buf *b = &d->dupbuf;

	d->dups++;
	d->total_dups++;
	count_tenant(d, rec->ev.tenant, rec->ev.tenant_len);
	rta_stage_drop(d->st);
	if (d->dup_fd < 0)
		return;
	rta_buf_adds(b, "{\"stage\":\"rta-dedup\",\"key\":");
	key_json(d, b, &rec->ev);
	rta_buf_adds(b, ",\"first\":");
	if (first != NULL)
		json_pos(b, d, first->pos);
	else
		rta_buf_adds(b, "null");
	rta_buf_adds(b, ",\"at\":");
	json_pos(b, d, pos);
	rta_buf_adds(b, ",\"event\":");
	d->line.len = 0;
	if (rta_ndjson_put(&d->line, rec) == 0 && d->line.len > 0)
		rta_buf_add(b, d->line.data, d->line.len - 1);
	else
		rta_buf_adds(b, "null");
	rta_buf_adds(b, "}\n");
	if (b->len >= DUP_FLUSH)
		(void)dup_flush(d);
}

static int
metrics_extra(void *arg, struct rta_buf *out)
{
	struct dd *d = arg;
	size_t i;
	int rc = 0;

	rc |= rta_buf_adds(out, "# HELP rta_dedup_duplicates_total "
	    "Duplicates dropped, by tenant.\n"
	    "# TYPE rta_dedup_duplicates_total counter\n");
	for (i = 0; d->tenants != NULL && i < TENANT_SLOTS; i++) {
		const struct tenant *t = &d->tenants[i];

		if (t->name == NULL)
			continue;
		rc |= rta_buf_adds(out, "rta_dedup_duplicates_total{tenant=\"");
		rc |= rta_metrics_label(out, t->name, t->len);
		rc |= rta_buf_printf(out, "\"} %llu\n",
		    (unsigned long long)t->n);
	}
	if (d->other_dups > 0)
		rc |= rta_buf_printf(out, "rta_dedup_other_duplicates_total "
		    "%llu\n", (unsigned long long)d->other_dups);
	rc |= rta_buf_printf(out,
	    "# HELP rta_dedup_keys Keys held (expired ones until swept).\n"
	    "# TYPE rta_dedup_keys gauge\nrta_dedup_keys %llu\n"
	    "# HELP rta_dedup_spilled_keys Keys written out to the key file.\n"
	    "# TYPE rta_dedup_spilled_keys gauge\n"
	    "rta_dedup_spilled_keys %llu\n"
	    "# HELP rta_dedup_beyond_horizon_total Events older than the "
	    "horizon (not checked).\n"
	    "# TYPE rta_dedup_beyond_horizon_total counter\n"
	    "rta_dedup_beyond_horizon_total %llu\n"
	    "# HELP rta_dedup_resume_skipped_total Records skipped by "
	    "--resume.\n"
	    "# TYPE rta_dedup_resume_skipped_total counter\n"
	    "rta_dedup_resume_skipped_total %llu\n"
	    "# HELP rta_dedup_checkpoints_total Checkpoints written.\n"
	    "# TYPE rta_dedup_checkpoints_total counter\n"
	    "rta_dedup_checkpoints_total %llu\n",
	    (unsigned long long)rta_keyset_count(&d->ks),
	    (unsigned long long)rta_keyset_spilled(&d->ks),
	    (unsigned long long)d->beyond, (unsigned long long)d->skipped,
	    (unsigned long long)d->checkpoints);
	if (d->o->approx > 0)
		rc |= rta_buf_printf(out, "# HELP rta_dedup_false_positive_rate "
		    "Estimated chance that a new key is taken for a "
		    "duplicate.\n"
		    "# TYPE rta_dedup_false_positive_rate gauge\n"
		    "rta_dedup_false_positive_rate %.3g\n"
		    "rta_dedup_false_positive_rate_target %.3g\n",
		    rta_keyset_fp_rate(&d->ks), d->o->approx);
	return rc != 0 ? -1 : 0;
}

/* ---- the record loop ---------------------------------------------------- */

static void
emit_hooked(struct dd *d)
{
	if (!d->st->out_ready) {
		rta_stage_set_output(d->st, d->st->to);
		d->st->out.written = written;
		d->st->out.written_arg = d;
	}
}

/* Handle one event (with its key's fingerprint when hint is not NULL);
 * 0 to go on, -1 to stop. */
static int
event(struct dd *d, struct rta_record *rec, const struct rta_fp *hint)
{
	struct rta_keyset_entry first;
	struct rta_error err;
	struct rta_fp fp;
	const struct rta_event *ev = &rec->ev;
	uint64_t pos, out;
	int r;

	if (ev->ts > d->max_ts) {
		d->max_ts = ev->ts;
		update_horizon(d);
	}
	if (d->src.cur_kafka != RTA_SOURCE_NONE)
		pos = make_pos(d->src.cur_kafka, (uint64_t)d->src.cur_kafka_off);
	else
		pos = make_pos(d->src.cur_file, where_value(d));
	if (d->o->ttl > 0 && ev->ts < d->horizon) {
		d->beyond++;
		switch (d->o->beyond) {
		case BEYOND_DROP:
			rta_stage_drop(d->st);
			return 0;
		case BEYOND_DEAD: {
			const unsigned char *raw;
			size_t len;
			uint64_t total;
			char t[RTA_TIME_LEN + 1], h[RTA_TIME_LEN + 1];

			rta_time_format(t, ev->ts);
			rta_time_format(h, d->horizon);
			t[RTA_TIME_LEN] = h[RTA_TIME_LEN] = '\0';
			rta_error_set(&err, RTA_EDATA, "beyond-horizon",
			    "event time %s is before the horizon %s: cannot "
			    "check for duplicates", t, h);
			rta_reader_raw(d->st->rd, &raw, &len, &total);
			rta_stage_reject(d->st, ev, &err, raw, len);
			return 0;
		}
		default:
			emit_hooked(d);
			return rta_stage_emit(d->st, rec) == RTA_OK ? 0 : -1;
		}
	}
	if (hint != NULL)
		fp = *hint;
	else if (event_key(d, ev, &fp) != 0) {
		rta_warnx("out of memory");
		rta_cli_status(&d->st->status, RTA_EXIT_LIMIT);
		return -1;
	}
	r = rta_keyset_add(&d->ks, &fp, ev->ts, pos, &first, &err);
	if (r < 0) {
		rta_warnx("%s", err.text);
		rta_cli_status(&d->st->status, rta_exit_code(err.code));
		return -1;
	}
	if (r == 1) {
		duplicate(d, rec, pos, d->o->approx > 0 ? NULL : &first);
		return 0;
	}
	pend(d, &fp, ev->ts, pos);
	out = d->st->m.out;
	emit_hooked(d);
	if (rta_stage_emit(d->st, rec) != RTA_OK)
		return -1;
	if (d->st->m.out == out) {
		/* rejected by the output (too large): not seen after all */
		rta_keyset_forget(&d->ks, &fp);
		if (d->pend.len >= 32)
			d->pend.len -= 32;
	} else
		d->total_out++;
	return 0;
}

/* --resume: 1 if the record was handled before the restart. */
static int
resumed(struct dd *d, const struct rta_record *rec)
{
	if (!d->o->resume ||
	    !rta_sources_resumed(&d->src, rta_reader_where(d->st->rd)))
		return 0;
	if (rec->kind == RTA_REC_EVENT) {
		d->skipped++;
		rta_stage_drop(d->st);
	} else if (rec->kind == RTA_REC_POSITION)
		rta_sources_position(&d->src, &rec->pos);
	else if (rec->kind == RTA_REC_WATERMARK && rec->watermark >
	    d->wm_ctrl) {
		d->wm_ctrl = rec->watermark;
		update_horizon(d);
	}
	return 1;
}

static void
release(struct dd *d)
{
	size_t i;

	if (d->ks_ready)
		rta_keyset_release(&d->ks);
	rta_field_list_free(d->keys, d->nkeys);
	rta_sources_release(&d->src);
	for (i = 0; d->tenants != NULL && i < TENANT_SLOTS; i++)
		rta_free(d->tenants[i].name);
	rta_free(d->tenants);
	rta_buf_release(&d->kb);
	rta_buf_release(&d->hb);
	rta_buf_release(&d->line);
	rta_buf_release(&d->pend);
	rta_buf_release(&d->dupbuf);
	if (d->j.path != NULL)
		rta_journal_close(&d->j);
	if (d->dup_fd >= 0)
		close(d->dup_fd);
	if (d->lock_fd >= 0)
		close(d->lock_fd);
}

static int
setup(struct dd *d)
{
	struct rta_keyset_opts ko;
	struct rta_error err;
	struct stat sb;
	size_t i;
	int rc;

	memset(&ko, 0, sizeof(ko));
	if (d->o->max_mem > 0)
		ko.max_mem = d->o->max_mem - RESERVE;
	ko.dir = d->o->state;
	ko.approx = d->o->approx;
	ko.expect = d->o->expect;
	ko.ttl = d->o->ttl;
	/* what no one will ask for is not kept: smaller entries */
	if (d->o->state == NULL && d->o->ttl == 0)
		ko.lean |= RTA_KEYSET_NO_TIME;
	if (d->o->state == NULL && d->o->duplicates == NULL)
		ko.lean |= RTA_KEYSET_NO_POS;
	if (fstat(STDOUT_FILENO, &sb) == 0 && S_ISREG(sb.st_mode)) {
		d->out_regular = 1;
	}
	if (d->o->state == NULL) {
		if ((rc = rta_keyset_init(&d->ks, &ko, &err)) != RTA_OK) {
			rta_warnx("%s", err.text);
			return rta_exit_code(rc);
		}
		d->ks_ready = 1;
		return 0;
	}
	if ((rc = state_lock(d)) != 0 || (rc = state_load(d, &ko)) != 0)
		return rc;
	if (!d->journaling) {
		if ((rc = rta_journal_create(&d->j, d->o->state, "journal",
		    d->gen, &err)) != RTA_OK) {
			rta_warnx("%s", err.text);
			return rta_exit_code(rc);
		}
		d->journaling = 1;
	}
	for (i = 0; i < d->src.n; i++) {
		d->src.v[i].has_resume = d->src.v[i].has_done;
		d->src.v[i].resume = d->src.v[i].done;
	}
	if ((rc = readback(d)) != 0)
		return rc;
	if (d->out_regular) {
		d->out_dev = (uint64_t)sb.st_dev;
		d->out_ino = (uint64_t)sb.st_ino;
		if (fstat(STDOUT_FILENO, &sb) == 0)
			d->out_off = (uint64_t)sb.st_size;
		put_out_state(d);
	}
	if (d->pend.len > 0 && rta_journal_put(&d->j, 'K', d->pend.data,
	    d->pend.len) != 0) {
		rta_warnx("out of memory");
		return RTA_EXIT_LIMIT;
	}
	d->pend.len = 0;
	if ((rc = rta_journal_write(&d->j, &err)) != RTA_OK) {
		rta_warnx("%s", err.text);
		return rta_exit_code(rc);
	}
	rta_cadence_start(&d->ck, d->o->ck_every, d->o->ck_records);
	return 0;
}

static int
dedup_main(struct opts *o, struct rta_stage *st, int argc, char **argv)
{
	struct rta_record rec;
	struct rta_error err;
	struct dd d;
	int status, done = 0;

	if (o->resume && o->state == NULL)
		rta_usage_error(usage_line, "--resume needs --state DIR");
	if (o->expect > 0 && o->approx == 0)
		rta_usage_error(usage_line, "--expect sizes the --approx "
		    "filter");
	if (o->approx > 0 && o->expect == 0 && o->max_mem == 0)
		rta_usage_error(usage_line, "--approx needs --expect N or "
		    "--max-mem SIZE to size its filter");
	if (o->max_delay > 0 && o->ttl == 0)
		rta_usage_error(usage_line, "--max-delay only matters with "
		    "--ttl");
	if (st->to == RTA_FMT_RTA && isatty(STDOUT_FILENO))
		rta_usage_error(usage_line, "not writing rta frames to a "
		    "terminal (redirect stdout, or use -o ndjson)");
	memset(&d, 0, sizeof(d));
	d.o = o;
	d.st = st;
	d.lock_fd = d.dup_fd = -1;
	d.j.fd = -1;
	d.wm_ctrl = d.max_ts = d.horizon = INT64_MIN;
	rta_sources_init(&d.src);
	d.src.on_new = source_new;
	d.src.on_new_arg = &d;
	if (rta_field_list_parse(o->key, &d.keys, &d.nkeys, &err) != RTA_OK) {
		if (err.code == RTA_ENOMEM) {
			rta_warnx("out of memory");
			return RTA_EXIT_LIMIT;
		}
		rta_usage_error(usage_line, "bad --key '%s': %s", o->key,
		    err.text);
	}
	ahead_init(&d);
	if ((status = setup(&d)) != 0)
		goto out;
	if (o->duplicates != NULL && (d.dup_fd = open(o->duplicates,
	    O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) < 0) {
		rta_warnx("%s: %s", o->duplicates, strerror(errno));
		status = RTA_EXIT_IO;
		goto out;
	}
	st->m.extra = metrics_extra;
	st->m.extra_arg = &d;
	if ((status = rta_stage_start(st, argc, argv)) != 0)
		goto out;
	for (;;) {
		if (rta_stage_next(st, &rec) != RTA_OK) {
			done = !st->stop;
			break;
		}
		rta_sources_track(&d.src, rta_reader_where(st->rd));
		if (resumed(&d, &rec))
			continue;
		rta_sources_handled(&d.src, rta_reader_where(st->rd));
		if (rec.kind == RTA_REC_EVENT) {
			const struct rta_fp *hint = NULL;
			struct rta_fp hfp;
			unsigned slot;

			if (++d.since == AHEAD_CHECK)
				ahead_check(&d);
			if (d.ahead && d.walk && rta_reader_encoding(st->rd) ==
			    RTA_FMT_RTA && rta_keyset_count(&d.ks) >= AHEAD_KEYS) {
				/* its key, found from the same bytes */
				if (rta_ahead_current(&d.ah, st->rd, &slot) &&
				    d.afp_ok[slot]) {
					hfp = d.afp[slot];
					hint = &hfp;
				}
				rta_ahead_walk(&d.ah, st->rd, AHEAD_D,
				    ahead_found, &d);
			}
			if (event(&d, &rec, hint) != 0)
				break;
		} else {
			if (rec.kind == RTA_REC_WATERMARK &&
			    rec.watermark > d.wm_ctrl) {
				d.wm_ctrl = rec.watermark;
				update_horizon(&d);
			} else if (rec.kind == RTA_REC_POSITION)
				rta_sources_position(&d.src, &rec.pos);
			emit_hooked(&d);
			if (rta_stage_emit(st, &rec) != RTA_OK)
				break;
		}
		if (d.jfail)
			break;
		maybe_checkpoint(&d);
	}
	if (done)
		rta_sources_end(&d.src);
	if (d.dup_fd >= 0)
		(void)dup_flush(&d);
	if (o->approx > 0 && !st->quiet)
		rta_warnx("approximate: %llu keys, false-positive rate %.3g "
		    "configured, %.3g estimated from the filter's fill",
		    (unsigned long long)rta_keyset_count(&d.ks), o->approx,
		    rta_keyset_fp_rate(&d.ks));
	status = rta_stage_finish(st);
	if (d.journaling && !d.jfail && !st->out.failed &&
	    checkpoint(&d) != 0)
		rta_cli_status(&status, RTA_EXIT_IO);
out:
	release(&d);
	return status;
}

/* ---- offsets ------------------------------------------------------------ */

static int
offsets_main(struct opts *o, int argc, char **argv)
{
	struct rta_keyset_opts ko;
	struct rta_buf meta = RTA_BUF_INIT, b = RTA_BUF_INIT;
	struct rta_error err;
	struct dd d;
	const char *key;
	size_t klen, i;
	uint64_t valid;
	int rc, approx, applied, torn, status = 0;

	(void)argv;
	if (o->state == NULL)
		rta_usage_error(usage_line, "offsets needs --state DIR");
	if (argc > 0)
		rta_usage_error(usage_line, "offsets takes no operands");
	memset(&d, 0, sizeof(d));
	memset(&ko, 0, sizeof(ko));
	d.o = o;
	rta_sources_init(&d.src);
	d.lock_fd = d.dup_fd = -1;
	d.j.fd = -1;
	rc = rta_keyset_peek(o->state, "checkpoint", ko.seed, &approx, &meta,
	    &err);
	if (rc == RTA_EOF) {
		rta_warnx("%s: no checkpoint", o->state);
		rta_buf_release(&meta);
		return rta_cli_finish(RTA_EXIT_IO);
	}
	if (rc != RTA_OK) {
		rta_warnx("%s", err.text);
		rta_buf_release(&meta);
		return rta_cli_finish(rc == RTA_EDATA ? RTA_EXIT_IO :
		    rta_exit_code(rc));
	}
	if (meta_parse(&d, meta.data, meta.len, &key, &klen) != 0) {
		rta_warnx("%s/checkpoint: damaged", o->state);
		status = RTA_EXIT_IO;
		goto out;
	}
	/* keys are not loaded: the journal's K records are skipped */
	d.ks.bloom[0] = NULL;
	rc = rta_journal_replay(o->state, "journal", d.gen, replay_record, &d,
	    &applied, &torn, &valid, &err);
	if (rc != RTA_OK) {
		rta_warnx("%s/journal: damaged", o->state);
		status = RTA_EXIT_IO;
		goto out;
	}
	/* rta-dedup's own output, read back after a crash, is not an input */
	for (i = 0; i < d.src.n; i++)
		if (d.src.v[i].kind == RTA_SRC_BYTES && d.src.v[i].len == 8 &&
		    memcmp(d.src.v[i].name, "<stdout>", 8) == 0)
			d.src.v[i].has_done = 0;
	b.len = 0;
	if (rta_sources_offsets(&d.src, o->json, &b) != 0) {
		rta_warnx("out of memory");
		status = RTA_EXIT_LIMIT;
	} else
		fwrite(b.data, 1, b.len, stdout);
	rta_buf_release(&b);
out:
	rta_buf_release(&meta);
	release(&d);
	return rta_cli_finish(status);
}

static void
help(void)
{
	printf("%s\n\n", usage_line);
	fputs(
"Pass the first occurrence of each key and drop the rest (to --duplicates\n"
"FILE).  Keys are 128-bit fingerprints: n keys collide with probability\n"
"about n*n/2^129.  With --ttl, keys are forgotten in event time only, so\n"
"a replay gives the live run's output.\n"
"\n"
"  -k, --key LIST          fields that make the key (default event_id):\n"
"                          tenant_id,payload.order_id\n"
"      --ttl DUR           forget keys first seen more than DUR before\n"
"                          the watermark (default: never)\n"
"      --max-delay DUR     watermark = max event time - DUR, or the\n"
"                          stream's watermark records if later (0)\n"
"      --beyond-horizon ACTION  events older than the horizon cannot be\n"
"                          checked: pass (default), drop or dead-letter\n"
"      --max-mem SIZE      keep the resident set within SIZE; keys beyond\n"
"                          it are written to a file (in --state DIR, or\n"
"                          $TMPDIR), never forgotten\n"
"      --approx RATE       lossy mode: a Bloom filter with false-positive\n"
"                          rate RATE (a first occurrence dropped as a\n"
"                          duplicate); the estimated rate is reported\n"
"      --expect N          keys the --approx filter is sized for\n"
"      --duplicates FILE   append each duplicate as NDJSON (key, first\n"
"                          and this position, event)\n"
"      --state DIR         checkpoint and journal the key set in DIR;\n"
"                          after kill -9 a restart goes on exactly\n"
"      --checkpoint-every INTERVAL  a duration of wall clock (default\n"
"                          10s) or a record count such as 10000r\n"
"      --resume            skip records of each input that the state\n"
"                          says were handled\n"
RTA_STAGE_HELP
"  -h, --help              show this help\n"
"  -V, --version           show the version and library versions\n"
"\n"
"rta-dedup offsets --state DIR   print where to resume each Kafka\n"
"    partition (the offset after the last one handled).\n"
"      --format STYLE      kcat (-t topic -p partition -o offset, the\n"
"                          default) or json (also inputs' last lines)\n"
"\n"
"Example:\n"
"  rta-cat -o rta events.ndjson | rta-dedup --ttl 24h --state st/ \\\n"
"      --duplicates dups.ndjson >> out.rta\n"
"\n"
"Exit status: 0 ok, 1 bad records, 2 usage, 3 I/O error, 4 resource\n"
"limit.\n"
"See rta-dedup(1), rta-format(5), rta(7).\n", stdout);
}
