/*
 * rta-enrich: join each event with reference tables (CSV or NDJSON files
 * indexed by a key column) and apply privacy rules.  Tables are reloaded
 * without a restart when their files change or on SIGHUP; each event is
 * joined against exactly one version of each table.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "rta_ahead.h"
#include "rta_alloc.h"
#include "rta_cli.h"
#include "rta_field.h"
#include "rta_frame.h"
#include "rta_privacy.h"
#include "rta_reftable.h"
#include "rta_stage.h"
#include "rta_time.h"
#include "rta_value.h"

static const char usage_line[] =
"usage: rta-enrich [-hquV] [-o format] [--dead-letter file] [--keys file]\n"
"               [--max-errors n] [--max-line size] [--metrics file]\n"
"               [--privacy file] [--reload-interval duration] [--strict]\n"
"               [--ref file --on field [--default column=value]\n"
"               [--fields list] [--into name | --prefix prefix]\n"
"               [--missing policy] [--ref-format format]\n"
"               [--ref-key column] [--valid-from column --valid-to column]]\n"
"               ... [file ...]";

enum {
	OPT_DEFAULT = RTA_OPT_STAGE_LAST,
	OPT_FIELDS, OPT_INTO, OPT_KEYS, OPT_MISSING, OPT_ON, OPT_PREFIX,
	OPT_PRIVACY, OPT_REF, OPT_REF_FORMAT, OPT_REF_KEY, OPT_RELOAD,
	OPT_VALID_FROM, OPT_VALID_TO
};

static const struct option longopts[] = {
	RTA_STAGE_LONGOPTS,
	{ "default", required_argument, NULL, OPT_DEFAULT },
	{ "fields", required_argument, NULL, OPT_FIELDS },
	{ "help", no_argument, NULL, 'h' },
	{ "into", required_argument, NULL, OPT_INTO },
	{ "keys", required_argument, NULL, OPT_KEYS },
	{ "missing", required_argument, NULL, OPT_MISSING },
	{ "on", required_argument, NULL, OPT_ON },
	{ "prefix", required_argument, NULL, OPT_PREFIX },
	{ "privacy", required_argument, NULL, OPT_PRIVACY },
	{ "ref", required_argument, NULL, OPT_REF },
	{ "ref-format", required_argument, NULL, OPT_REF_FORMAT },
	{ "ref-key", required_argument, NULL, OPT_REF_KEY },
	{ "reload-interval", required_argument, NULL, OPT_RELOAD },
	{ "valid-from", required_argument, NULL, OPT_VALID_FROM },
	{ "valid-to", required_argument, NULL, OPT_VALID_TO },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

enum missing { MISS_KEEP, MISS_DROP, MISS_DEAD_LETTER, MISS_DEFAULT };

/* What identifies a version of a file without reading it. */
struct filesig {
	dev_t		 dev;
	ino_t		 ino;
	off_t		 size;
	struct timespec	 mtime;
	int		 ok;		/* stat worked */
	int		 err;		/* else its errno */
};

struct table {
	/* options */
	const char		*path;
	const char		*on_text;
	const char		*ref_key;
	char			*ref_key_own;
	char			*fields_copy;
	const char		**fields;
	size_t			 nfields;
	const char		*prefix;
	const char		*into;
	char			*into_own;
	enum missing		 missing;
	int			 missing_set;
	const char		**defaults;
	size_t			 ndefaults;
	enum rta_ref_format	 format;
	const char		*valid_from, *valid_to;
	struct rta_field	 on;
	int			 on_ok;
	struct rta_reftable_opts ro;
	/* state */
	struct rta_reftable	*t;
	uint64_t		 version;
	struct filesig		 sig;		/* of the version in use */
	struct filesig		 tried;		/* last one that failed */
	uint64_t		 reloads, failures, hits, misses;
};

/*
 * Fetching ahead.  A lookup in a big table costs two dependent cache
 * misses (index slot, then row), and the stage hands out one event at a
 * time.  So before each event the frames the reader already holds are
 * walked (rta_ahead) to the events AHEAD_D and 2 * AHEAD_D further on:
 * the slot of the farther one is fetched when it is found, and the row
 * of the nearer one, whose slot should be in cache by then.
 */
#define AHEAD_D		16	/* events between the two steps */
#define AHEAD_MIN	(8U << 20)	/* table bytes worth it: a table the
					 * caches hold would only pay the walk */

/* What is kept for each event of the ring (rta_ahead slots). */
struct ahead_ent {
	uint64_t		 walk;		/* when it was found */
	int			 rowed;		/* row fetch issued */
};

struct ahead {
	int			 can;	/* every key a payload member */
	int			 on;	/* ... and a table big enough */
	struct rta_ahead	 a;
	struct ahead_ent	 ent[RTA_AHEAD_RING];
	uint64_t		*h;	/* RTA_AHEAD_RING x ntabs hashes */
	unsigned char		*ok;	/* ... and whether found */
};

struct run {
	struct rta_stage	*st;
	struct ahead		 ah;
	struct table		*tabs;
	size_t			 ntabs;
	const char		*privacy_path, *keys_path;
	struct rta_privacy	*privacy;
	int64_t			 interval;	/* µs between file checks */
	struct rta_buf		 pay[2];
	struct rta_buf		 raw;
};

static volatile sig_atomic_t hup_seen, check_due;

static void	parse_options(struct run *, struct rta_stage *, int, char **);
static int	load_all(struct run *);
static int	enrich_main(struct run *, int, char **);
static void	help(void);

int
main(int argc, char *argv[])
{
	struct rta_stage st;
	struct run r;
	size_t i;
	int status;

	memset(&r, 0, sizeof(r));
	r.st = &st;
	r.interval = RTA_US_PER_SEC;
	rta_stage_init(&st, "rta-enrich", usage_line);
	parse_options(&r, &st, argc, argv);
	argc -= optind;
	argv += optind;
	if ((status = load_all(&r)) == 0)
		status = enrich_main(&r, argc, argv);
	else
		rta_metrics_release(&st.m);
	for (i = 0; i < r.ntabs; i++) {
		struct table *t = &r.tabs[i];

		rta_reftable_free(t->t);
		if (t->on_ok)
			rta_field_release(&t->on);
		rta_free(t->ref_key_own);
		rta_free(t->fields_copy);
		rta_free(t->fields);
		rta_free(t->into_own);
		rta_free(t->defaults);
	}
	rta_free(r.tabs);
	rta_privacy_free(r.privacy);
	rta_buf_release(&r.pay[0]);
	rta_buf_release(&r.pay[1]);
	rta_buf_release(&r.raw);
	rta_free(r.ah.h);
	rta_free(r.ah.ok);
	return status;
}

/* ---- options ------------------------------------------------------------ */

static const char *
opt_name(int c)
{
	size_t i;

	for (i = 0; longopts[i].name != NULL; i++)
		if (longopts[i].val == c)
			return longopts[i].name;
	return "?";
}

static void *
xrealloc(void *p, size_t n, size_t size)
{
	if ((p = rta_reallocarray(p, n, size)) == NULL) {
		rta_warnx("out of memory");
		exit(RTA_EXIT_LIMIT);
	}
	return p;
}

/* The table the option c belongs to: the last --ref. */
static struct table *
current(struct run *r, int c)
{
	if (r->ntabs == 0)
		rta_usage_error(usage_line, "--%s comes before any --ref",
		    opt_name(c));
	return &r->tabs[r->ntabs - 1];
}

static void
set_once(const char **slot, const char *v, int c)
{
	if (*slot != NULL)
		rta_usage_error(usage_line, "--%s given twice for one --ref",
		    opt_name(c));
	*slot = v;
}

/* Split "a,b,c" into the table's field list (empty names refused). */
static void
split_fields(struct table *t, const char *arg)
{
	char *p, *s;

	if (t->fields_copy != NULL)
		rta_usage_error(usage_line, "--fields given twice for one "
		    "--ref");
	if ((t->fields_copy = rta_memdup(arg, strlen(arg))) == NULL) {
		rta_warnx("out of memory");
		exit(RTA_EXIT_LIMIT);
	}
	for (s = t->fields_copy;; s = p + 1) {
		if ((p = strchr(s, ',')) != NULL)
			*p = '\0';
		if (*s == '\0')
			rta_usage_error(usage_line, "bad --fields '%s' (an "
			    "empty column name)", arg);
		t->fields = xrealloc(t->fields, t->nfields + 1,
		    sizeof(*t->fields));
		t->fields[t->nfields++] = s;
		if (p == NULL)
			break;
	}
}

static void
table_option(struct run *r, int c, const char *arg)
{
	struct table *t = current(r, c);

	switch (c) {
	case OPT_DEFAULT:
		if (strchr(arg, '=') == NULL || arg[0] == '=')
			rta_usage_error(usage_line, "bad --default '%s' (use "
			    "COLUMN=VALUE)", arg);
		t->defaults = xrealloc(t->defaults, t->ndefaults + 1,
		    sizeof(*t->defaults));
		t->defaults[t->ndefaults++] = arg;
		break;
	case OPT_FIELDS:
		split_fields(t, arg);
		break;
	case OPT_INTO:
		if (arg[0] == '\0')
			rta_usage_error(usage_line, "bad --into '' (a member "
			    "name)");
		set_once(&t->into, arg, c);
		break;
	case OPT_MISSING:
		if (t->missing_set)
			rta_usage_error(usage_line, "--missing given twice for "
			    "one --ref");
		t->missing_set = 1;
		if (strcmp(arg, "keep") == 0)
			t->missing = MISS_KEEP;
		else if (strcmp(arg, "drop") == 0)
			t->missing = MISS_DROP;
		else if (strcmp(arg, "dead-letter") == 0)
			t->missing = MISS_DEAD_LETTER;
		else if (strcmp(arg, "default") == 0)
			t->missing = MISS_DEFAULT;
		else
			rta_usage_error(usage_line, "bad --missing '%s' (use "
			    "keep, drop, dead-letter or default)", arg);
		break;
	case OPT_ON:
		set_once(&t->on_text, arg, c);
		break;
	case OPT_PREFIX:
		set_once(&t->prefix, arg, c);
		break;
	case OPT_REF_FORMAT:
		if (rta_ref_format_parse(arg, &t->format) != 0)
			rta_usage_error(usage_line, "bad --ref-format '%s' "
			    "(use csv or ndjson)", arg);
		break;
	case OPT_REF_KEY:
		set_once(&t->ref_key, arg, c);
		break;
	case OPT_VALID_FROM:
		set_once(&t->valid_from, arg, c);
		break;
	case OPT_VALID_TO:
		set_once(&t->valid_to, arg, c);
		break;
	}
}

/* The base name of path without its extension: "data/users.csv" is
 * "users". */
static char *
base_name(const char *path)
{
	const char *b = strrchr(path, '/'), *dot;
	char *s;

	b = b != NULL ? b + 1 : path;
	dot = strrchr(b, '.');
	if ((s = rta_memdup(b, dot != NULL && dot != b ? (size_t)(dot - b) :
	    strlen(b))) == NULL) {
		rta_warnx("out of memory");
		exit(RTA_EXIT_LIMIT);
	}
	return s;
}

/* Check one table's options and fill in their defaults. */
static void
finish_table(struct run *r, struct table *t)
{
	struct rta_error err;
	const struct rta_field_part *last;

	if (t->on_text == NULL)
		rta_usage_error(usage_line, "--ref %s needs --on FIELD",
		    t->path);
	if (rta_field_parse(&t->on, t->on_text, &err) != RTA_OK)
		rta_usage_error(usage_line, "bad --on '%s': %s", t->on_text,
		    err.text);
	t->on_ok = 1;
	if (t->ref_key == NULL) {
		/* the column named like the last part of --on */
		if (t->on.nparts > 0) {
			last = &t->on.parts[t->on.nparts - 1];
			t->ref_key_own = rta_memdup(last->name, last->len);
		} else if (t->on.root != RTA_F_PAYLOAD)
			t->ref_key_own = rta_memdup(t->on_text,
			    strlen(t->on_text));
		else
			rta_usage_error(usage_line, "--on payload needs "
			    "--ref-key");
		if (t->ref_key_own == NULL) {
			rta_warnx("out of memory");
			exit(RTA_EXIT_LIMIT);
		}
		t->ref_key = t->ref_key_own;
	}
	if ((t->valid_from == NULL) != (t->valid_to == NULL))
		rta_usage_error(usage_line, "--valid-from and --valid-to go "
		    "together (--ref %s)", t->path);
	if (t->prefix != NULL && t->into != NULL)
		rta_usage_error(usage_line, "--prefix and --into exclude each "
		    "other (--ref %s)", t->path);
	if (t->prefix == NULL && t->into == NULL)
		t->into = t->into_own = base_name(t->path);
	if (t->into != NULL && t->into[0] == '\0')
		rta_usage_error(usage_line, "--ref %s: no --into name from "
		    "the file name (give --into or --prefix)", t->path);
	if (t->ndefaults > 0 && !t->missing_set)
		t->missing = MISS_DEFAULT;
	if (t->ndefaults > 0 && t->missing != MISS_DEFAULT)
		rta_usage_error(usage_line, "--default goes with --missing "
		    "default (--ref %s)", t->path);
	if (t->missing == MISS_DEFAULT && t->ndefaults == 0)
		rta_usage_error(usage_line, "--missing default needs "
		    "--default COLUMN=VALUE (--ref %s)", t->path);
	if (t->format == RTA_REF_AUTO &&
	    (t->format = rta_ref_format_guess(t->path)) == RTA_REF_AUTO)
		rta_usage_error(usage_line, "cannot tell the format of %s from "
		    "its name (use --ref-format csv or ndjson)", t->path);
	rta_reftable_opts_init(&t->ro);
	t->ro.format = t->format;
	t->ro.key = t->ref_key;
	t->ro.fields = t->fields;
	t->ro.nfields = t->nfields;
	t->ro.prefix = t->prefix;
	t->ro.valid_from = t->valid_from;
	t->ro.valid_to = t->valid_to;
	t->ro.defaults = t->defaults;
	t->ro.ndefaults = t->ndefaults;
	t->ro.max_line = r->st->ropts.max_line;
}

static void
parse_options(struct run *r, struct rta_stage *st, int argc, char **argv)
{
	struct rta_error err;
	size_t i;
	int c;

	while ((c = getopt_long(argc, argv, ":hV" RTA_STAGE_SHORTOPTS,
	    longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			help();
			exit(rta_cli_finish(RTA_EXIT_OK));
		case 'V':
			rta_cli_version();
			exit(rta_cli_finish(RTA_EXIT_OK));
		case OPT_KEYS:
			r->keys_path = optarg;
			break;
		case OPT_PRIVACY:
			r->privacy_path = optarg;
			break;
		case OPT_RELOAD:
			if (rta_duration_parse(optarg, &r->interval, &err) !=
			    RTA_OK || r->interval < 1000)
				rta_usage_error(usage_line, "bad "
				    "--reload-interval '%s' (a duration of "
				    "1ms or more)", optarg);
			break;
		case OPT_REF:
			r->tabs = xrealloc(r->tabs, r->ntabs + 1,
			    sizeof(*r->tabs));
			memset(&r->tabs[r->ntabs], 0, sizeof(*r->tabs));
			r->tabs[r->ntabs++].path = optarg;
			break;
		case OPT_DEFAULT: case OPT_FIELDS: case OPT_INTO:
		case OPT_MISSING: case OPT_ON: case OPT_PREFIX:
		case OPT_REF_FORMAT: case OPT_REF_KEY: case OPT_VALID_FROM:
		case OPT_VALID_TO:
			table_option(r, c, optarg);
			break;
		default:
			if (rta_stage_getopt(st, c, optarg))
				break;
			rta_cli_bad_option(usage_line, c, argv);
		}
	}
	if (r->ntabs == 0 && r->privacy_path == NULL)
		rta_usage_error(usage_line, "nothing to do: give --ref FILE "
		    "--on FIELD, or --privacy FILE");
	if (r->keys_path != NULL && r->privacy_path == NULL)
		rta_usage_error(usage_line, "--keys goes with --privacy");
	for (i = 0; i < r->ntabs; i++)
		finish_table(r, &r->tabs[i]);
}

/* ---- loading and reloading ---------------------------------------------- */

static void
file_sig(const char *path, struct filesig *s)
{
	struct stat sb;

	memset(s, 0, sizeof(*s));
	if (stat(path, &sb) != 0) {
		s->err = errno;
		return;
	}
	s->ok = 1;
	s->dev = sb.st_dev;
	s->ino = sb.st_ino;
	s->size = sb.st_size;
	s->mtime = sb.st_mtim;
}

static int
same_sig(const struct filesig *a, const struct filesig *b)
{
	if (a->ok != b->ok)
		return 0;
	if (!a->ok)
		return a->err == b->err;
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	    a->mtime.tv_sec == b->mtime.tv_sec &&
	    a->mtime.tv_nsec == b->mtime.tv_nsec;
}

/* "FILE:LINE: what" (or "FILE: what") into out. */
static void
load_message(char *out, size_t n, const struct table *t, uint64_t line,
    const struct rta_error *err)
{
	if (line > 0)
		snprintf(out, n, "%s:%llu: %s", t->path,
		    (unsigned long long)line, err->text);
	else
		snprintf(out, n, "%s: %s", t->path, err->text);
}

/*
 * Load a table's file into a new version beside the one in use, and swap
 * it in only if it loaded whole.  Called between events.
 */
static void
reload(struct table *t, const struct filesig *sig)
{
	struct rta_reftable *nt;
	struct rta_error err;
	uint64_t line;
	char msg[512];

	if (rta_reftable_load(&nt, t->path, &t->ro, &line, &err) != RTA_OK) {
		t->failures++;
		t->tried = *sig;
		load_message(msg, sizeof(msg), t, line, &err);
		rta_warnx("%s; keeping version %llu", msg,
		    (unsigned long long)t->version);
		return;
	}
	rta_reftable_free(t->t);
	t->t = nt;
	t->version++;
	t->reloads++;
	t->sig = *sig;
	memset(&t->tried, 0, sizeof(t->tried));
}

/* Reload the tables whose files changed (or all, after SIGHUP). */
static void
check_tables(struct run *r)
{
	struct filesig s;
	size_t i;
	int all = hup_seen;

	hup_seen = 0;
	check_due = 0;
	for (i = 0; i < r->ntabs; i++) {
		struct table *t = &r->tabs[i];

		file_sig(t->path, &s);
		if (!all && (same_sig(&s, &t->sig) || same_sig(&s, &t->tried)))
			continue;
		if (!s.ok) {
			/* say it once per change, keep going */
			t->failures++;
			t->tried = s;
			rta_warnx("%s: %s; keeping version %llu", t->path,
			    strerror(s.err), (unsigned long long)t->version);
			continue;
		}
		reload(t, &s);
	}
}

static void
on_hup(int sig)
{
	(void)sig;
	hup_seen = 1;
}

static void
on_alarm(int sig)
{
	(void)sig;
	check_due = 1;
}

static void
start_watching(struct run *r)
{
	struct sigaction sa;
	struct itimerval it;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	sa.sa_handler = on_hup;
	sigaction(SIGHUP, &sa, NULL);
	if (r->ntabs == 0)
		return;
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	memset(&it, 0, sizeof(it));
	it.it_interval.tv_sec = r->interval / RTA_US_PER_SEC;
	it.it_interval.tv_usec = r->interval % RTA_US_PER_SEC;
	it.it_value = it.it_interval;
	setitimer(ITIMER_REAL, &it, NULL);
}

static void
stop_watching(void)
{
	struct itimerval it;

	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
}

/* The first load of every table and of the privacy rules: 0, or the exit
 * status. */
static int
load_all(struct run *r)
{
	struct rta_error err;
	uint64_t line;
	char msg[512];
	size_t i;
	int rc;

	for (i = 0; i < r->ntabs; i++) {
		struct table *t = &r->tabs[i];

		file_sig(t->path, &t->sig);
		if ((rc = rta_reftable_load(&t->t, t->path, &t->ro, &line,
		    &err)) != RTA_OK) {
			load_message(msg, sizeof(msg), t, line, &err);
			rta_warnx("%s", msg);
			return rc == RTA_EIO ? RTA_EXIT_IO :
			    rc == RTA_ENOMEM ? RTA_EXIT_LIMIT : RTA_EXIT_USAGE;
		}
		t->version = 1;
	}
	if (r->privacy_path != NULL && (rc = rta_privacy_load(&r->privacy,
	    r->privacy_path, r->keys_path, &err)) != RTA_OK) {
		rta_warnx("%s", err.text);
		return rc == RTA_EIO ? RTA_EXIT_IO : rc == RTA_ENOMEM ?
		    RTA_EXIT_LIMIT : RTA_EXIT_USAGE;
	}
	return 0;
}

/* ---- the stream --------------------------------------------------------- */

enum verdict { PASS, DROP, REJECT, FATAL };

static int
metrics_extra(void *arg, struct rta_buf *out)
{
	struct run *r = arg;
	struct rta_buf l = RTA_BUF_INIT;
	size_t i;
	int rc = 0;
	static const char *const heads =
	    "# HELP rta_enrich_table_version Version of each reference table "
	    "in use (1: the first load).\n"
	    "# TYPE rta_enrich_table_version gauge\n";

	rc |= rta_buf_adds(out, heads);
	for (i = 0; i < r->ntabs; i++) {
		const struct table *t = &r->tabs[i];

		l.len = 0;
		rc |= rta_buf_printf(&l, "ref=\"%zu\",table=\"", i + 1);
		rc |= rta_metrics_label(&l, t->path, strlen(t->path));
		rc |= rta_buf_adds(&l, "\"");
		rc |= rta_buf_addc(&l, '\0');
		rc |= rta_buf_printf(out, "rta_enrich_table_version{%s} %llu\n",
		    (const char *)l.data, (unsigned long long)t->version);
		rc |= rta_buf_printf(out, "rta_enrich_table_rows{%s} %zu\n",
		    (const char *)l.data, rta_reftable_rows(t->t));
		rc |= rta_buf_printf(out, "rta_enrich_reloads_total{%s} %llu\n",
		    (const char *)l.data, (unsigned long long)t->reloads);
		rc |= rta_buf_printf(out, "rta_enrich_reload_failures_total{%s} "
		    "%llu\n", (const char *)l.data,
		    (unsigned long long)t->failures);
		rc |= rta_buf_printf(out, "rta_enrich_lookups_total{%s,"
		    "result=\"hit\"} %llu\n", (const char *)l.data,
		    (unsigned long long)t->hits);
		rc |= rta_buf_printf(out, "rta_enrich_lookups_total{%s,"
		    "result=\"miss\"} %llu\n", (const char *)l.data,
		    (unsigned long long)t->misses);
	}
	rta_buf_release(&l);
	if (r->privacy != NULL)
		rc |= rta_privacy_metrics(r->privacy, out);
	return rc != 0 ? -1 : 0;
}

/* Reject the event (as read: orig) with a message. */
static void
reject(struct run *r, const struct rta_event *orig, const char *reason,
    const char *fmt, ...) RTA_PRINTFLIKE(4, 5);

static void
reject(struct run *r, const struct rta_event *orig, const char *reason,
    const char *fmt, ...)
{
	struct rta_record rec;
	struct rta_error e;
	const unsigned char *raw;
	const void *p;
	size_t len;
	uint64_t total;
	va_list ap;

	memset(&e, 0, sizeof(e));
	e.code = RTA_EDATA;
	e.reason = reason;
	va_start(ap, fmt);
	vsnprintf(e.text, sizeof(e.text), fmt, ap);
	va_end(ap);
	if (rta_reader_encoding(r->st->rd) == RTA_FMT_RTA) {
		memset(&rec, 0, sizeof(rec));
		rec.kind = RTA_REC_EVENT;
		rec.ev = *orig;
		r->raw.len = 0;
		rta_ndjson_put(&r->raw, &rec);
		p = r->raw.data;
		len = r->raw.len > 0 ? r->raw.len - 1 : 0;
	} else {
		rta_reader_raw(r->st->rd, &raw, &len, &total);
		p = raw;
	}
	rta_stage_reject(r->st, orig, &e, p, len);
}

/* ---- fetching ahead ------------------------------------------------------ */

/* Look ahead only when every table's key is a payload member. */
static void
ahead_init(struct run *r)
{
	struct ahead *a = &r->ah;
	size_t i;

	memset(a, 0, sizeof(*a));
	if (r->ntabs == 0)
		return;
	for (i = 0; i < r->ntabs; i++)
		if (r->tabs[i].on.root != RTA_F_PAYLOAD ||
		    r->tabs[i].on.nparts == 0)
			return;
	a->h = rta_reallocarray(NULL, RTA_AHEAD_RING * r->ntabs,
	    sizeof(*a->h));
	a->ok = rta_calloc(RTA_AHEAD_RING * r->ntabs, 1);
	a->can = a->h != NULL && a->ok != NULL;
}

/* Start afresh (after a reload too: the tables may have grown or shrunk). */
static void
ahead_clear(struct run *r)
{
	struct ahead *a = &r->ah;
	size_t i;

	rta_ahead_reset(&a->a);
	a->on = 0;
	for (i = 0; a->can && i < r->ntabs; i++)
		if (rta_reftable_bytes(r->tabs[i].t) >= AHEAD_MIN)
			a->on = 1;
}

/* A new event ahead, in ring slot e: hash its keys and fetch their
 * slots. */
static void
ahead_found(void *arg, unsigned e, const struct rta_frame_hint *fh)
{
	struct run *r = arg;
	const unsigned char *end, *v;
	const char *s;
	size_t i, j, sl;

	r->ah.ent[e].walk = r->ah.a.walks;
	r->ah.ent[e].rowed = 0;
	if (fh->payload == NULL) {
		memset(r->ah.ok + e * r->ntabs, 0, r->ntabs);
		return;
	}
	end = fh->payload + fh->payload_len;
	for (i = 0; i < r->ntabs; i++) {
		const struct table *t = &r->tabs[i];
		size_t k = e * r->ntabs + i;

		v = fh->payload;
		for (j = 0; j < t->on.nparts && v != NULL; j++)
			v = rta_value_member_hint(v, end, t->on.parts[j].name,
			    t->on.parts[j].len);
		r->ah.ok[k] = v != NULL && rta_value_str_hint(v, end, &s, &sl);
		if (!r->ah.ok[k])
			continue;
		r->ah.h[k] = rta_reftable_hash(t->t, s, sl);
		rta_reftable_prefetch_slot(t->t, r->ah.h[k]);
	}
}

/* Before the event just read: walk on to 2 * AHEAD_D events ahead, and
 * fetch the row of the one AHEAD_D on. */
static void
ahead_step(struct run *r)
{
	struct ahead *a = &r->ah;
	unsigned i;
	size_t k;

	rta_ahead_walk(&a->a, r->st->rd, 2 * AHEAD_D, ahead_found, r);
	if (rta_ahead_count(&a->a) < AHEAD_D)
		return;
	i = rta_ahead_slot(&a->a, AHEAD_D);
	if (a->ent[i].rowed || a->ent[i].walk == a->a.walks)
		return;		/* its slot fetch was just issued */
	a->ent[i].rowed = 1;
	for (k = 0; k < r->ntabs; k++)
		if (a->ok[i * r->ntabs + k])
			rta_reftable_prefetch_row(r->tabs[k].t,
			    a->h[i * r->ntabs + k]);
}

/* Join ev with every table in turn, then apply the privacy rules. */
static enum verdict
enrich(struct run *r, struct rta_event *ev)
{
	const struct rta_event orig = *ev;
	struct rta_refrow row;
	struct rta_fval v;
	struct rta_error err;
	char tmp[RTA_FVAL_TMP], q[80];
	const char *s;
	size_t i, len;
	int cur = 0, rc;

	for (i = 0; i < r->ntabs; i++) {
		struct table *t = &r->tabs[i];
		int have;

		rta_field_get(&t->on, ev, &v);
		have = rta_fval_text(&v, tmp, &s, &len);
		if (have && rta_reftable_lookup(t->t, s, len, ev->ts, &row))
			t->hits++;
		else {
			t->misses++;
			switch (t->missing) {
			case MISS_KEEP:
				continue;
			case MISS_DROP:
				return DROP;
			case MISS_DEAD_LETTER:
				if (have) {
					rta_quote(q, sizeof(q), s, len, 40);
					reject(r, &orig, "no-reference",
					    "no row in %s for %s '%s'", t->path,
					    t->on_text, q);
				} else
					reject(r, &orig, "no-reference",
					    "no %s to look up in %s",
					    t->on_text, t->path);
				return REJECT;
			case MISS_DEFAULT:
				rta_reftable_defaults(t->t, &row);
				break;
			}
		}
		if ((rc = rta_reftable_join(&r->pay[cur], ev->payload, &row,
		    t->into, t->into != NULL ? strlen(t->into) : 0,
		    &err)) != RTA_OK) {
			if (rc == RTA_ENOMEM) {
				rta_warnx("out of memory");
				rta_cli_status(&r->st->status, RTA_EXIT_LIMIT);
				return FATAL;
			}
			reject(r, &orig, err.reason, "%s (joining %s)",
			    err.text, t->path);
			return REJECT;
		}
		ev->payload = r->pay[cur].data;
		ev->payload_len = r->pay[cur].len;
		ev->frame = NULL;
		cur ^= 1;
	}
	if (r->privacy != NULL && rta_privacy_apply(r->privacy, ev,
	    &err) != RTA_OK) {
		rta_warnx("%s", err.text);
		rta_cli_status(&r->st->status, rta_exit_code(err.code));
		return FATAL;
	}
	return PASS;
}

static int
enrich_main(struct run *r, int argc, char **argv)
{
	struct rta_stage *st = r->st;
	struct rta_record rec;
	int status;

	st->m.extra = metrics_extra;
	st->m.extra_arg = r;
	if ((status = rta_stage_start(st, argc, argv)) != 0)
		return status;
	start_watching(r);
	ahead_init(r);
	ahead_clear(r);
	while (rta_stage_next(st, &rec) == RTA_OK) {
		if (check_due | hup_seen) {
			check_tables(r);
			ahead_clear(r);
		}
		if (rec.kind == RTA_REC_EVENT) {
			enum verdict v;

			if (r->ah.on &&
			    rta_reader_encoding(st->rd) == RTA_FMT_RTA)
				ahead_step(r);
			v = enrich(r, &rec.ev);

			if (v == DROP) {
				rta_stage_drop(st);
				continue;
			}
			if (v == REJECT)
				continue;
			if (v == FATAL)
				break;
		}
		if (rta_stage_emit(st, &rec) != RTA_OK)
			break;
	}
	stop_watching();
	return rta_stage_finish(st);
}

static void
help(void)
{
	printf("%s\n\n", usage_line);
	fputs(
"Join each event with reference tables (CSV with a header row, or NDJSON\n"
"objects) by a key, then apply privacy rules.  Tables are reloaded when\n"
"their files change or on SIGHUP, without a restart.\n"
"\n"
"      --ref FILE          a reference table; the options up to the next\n"
"                          --ref are its own:\n"
"      --on FIELD          event field holding the key (payload.user_id)\n"
"      --ref-key COLUMN    key column (default: the last part of --on)\n"
"      --fields LIST       columns to copy (default: all but the key and\n"
"                          the validity columns)\n"
"      --into NAME         copy into the object payload.NAME (default:\n"
"                          the file's base name, e.g. users)\n"
"      --prefix PREFIX     copy into the payload as PREFIX + column\n"
"      --missing POLICY    no row for the key: keep (default), drop,\n"
"                          dead-letter, or default\n"
"      --default COL=VAL   a value for missing keys (repeatable; implies\n"
"                          --missing default)\n"
"      --valid-from COLUMN  effective dating: the row valid at the\n"
"      --valid-to COLUMN    event's timestamp (from <= ts < to)\n"
"      --ref-format FORMAT  csv or ndjson (default: by the extension)\n"
"      --reload-interval DUR  check the table files every DUR (default 1s)\n"
"      --privacy FILE      privacy rules applied after the joins\n"
"      --keys FILE         keys for pseudonymising rules\n"
RTA_STAGE_HELP
"  -h, --help              show this help\n"
"  -V, --version           show the version and library versions\n"
"\n"
"Example:\n"
"  rta-gen -o rta | rta-enrich --ref users.csv --on payload.user_id \\\n"
"      --fields plan,country --missing dead-letter --dead-letter dl.ndjson\n"
"\n"
"Exit status: 0 ok, 1 rejected events, 2 usage or a bad reference file,\n"
"3 I/O error, 4 resource limit.\n"
"See rta-enrich(1), rta-format(5), rta(7).\n", stdout);
}
