/*
 * rta-validate: schema enforcement in an rta pipeline, and schema checks
 * for CI.  Each event is checked against the JSON Schema of its event
 * type and version from a schema directory (and its envelope always);
 * valid events go on, invalid ones to the dead-letter file with every
 * violation.  `check`, `compat` and `drift` lint schemas, compare
 * versions and report how live data has drifted from its schemas.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rta_alloc.h"
#include "rta_cli.h"
#include "rta_compat.h"
#include "rta_drift.h"
#include "rta_registry.h"
#include "rta_stage.h"
#include "rta_time.h"
#include "rta_validator.h"
#include "rta_value.h"

static const char usage_line[] =
"usage: rta-validate [-hquV] [-o format] [-s dir] [--dead-letter file]\n"
"               [--format style] [--formats] [--max-errors n]\n"
"               [--max-future duration] [--max-line size]\n"
"               [--max-past duration] [--metrics file] [--raw]\n"
"               [--schema file] [--strict] [--unknown action] [--upgrade]\n"
"               [file ...]\n"
"       rta-validate check [-hV] [--format style] [--formats] path ...\n"
"       rta-validate compat [-hV] [--format style] [--formats]\n"
"               [--mode mode] old new | dir\n"
"       rta-validate drift [-hquV] [-o format] [-s dir] [--format style]\n"
"               [--max-line size] [--report file] [--schema file]\n"
"               [file ...]";

enum {
	OPT_FORMAT = RTA_OPT_STAGE_LAST,
	OPT_FORMATS, OPT_MAX_FUTURE, OPT_MAX_PAST, OPT_MODE, OPT_RAW,
	OPT_REPORT, OPT_SCHEMA, OPT_UNKNOWN, OPT_UPGRADE, OPT_COUNT
};

static const struct option longopts[] = {
	RTA_STAGE_LONGOPTS,
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "formats", no_argument, NULL, OPT_FORMATS },
	{ "help", no_argument, NULL, 'h' },
	{ "max-future", required_argument, NULL, OPT_MAX_FUTURE },
	{ "max-past", required_argument, NULL, OPT_MAX_PAST },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "raw", no_argument, NULL, OPT_RAW },
	{ "report", required_argument, NULL, OPT_REPORT },
	{ "schema", required_argument, NULL, OPT_SCHEMA },
	{ "schemas", required_argument, NULL, 's' },
	{ "unknown", required_argument, NULL, OPT_UNKNOWN },
	{ "upgrade", no_argument, NULL, OPT_UPGRADE },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

enum cmd { CMD_VALIDATE, CMD_CHECK, CMD_COMPAT, CMD_DRIFT };

static const char *const cmd_names[] = {
	"validation", "check", "compat", "drift"
};

struct opts {
	enum cmd		 cmd;
	const char		*schemas;	/* -s */
	const char		*schema;	/* --schema */
	const char		*report;
	unsigned		 flags;		/* RTA_SCHEMA_FORMATS */
	enum rta_msg_format	 style;
	int			 raw;
	int			 pass_unknown;
	int			 upgrade;
	int64_t			 max_future, max_past;	/* -1: no bound */
	unsigned		 mode;		/* RTA_COMPAT_* */
};

/* Counters per schema, for --metrics. */
struct tally {
	uint64_t	 valid, invalid, upgraded;
};

#define MAX_REASONS	64

struct run {
	struct opts		*o;
	struct rta_stage	*st;
	struct rta_registry	 reg;
	struct rta_schema	*one;		/* --schema */
	struct rta_validator	 v;
	struct rta_buf		 detail, payload, raw, text;
	struct tally		*tally;		/* per registry entry */
	struct tally		 one_tally;
	uint64_t		 unknown_passed, unknown_rejected;
	struct rta_metrics_reason reasons[MAX_REASONS];
	size_t			 nreasons;
	uint64_t		 other_reasons;
};

static int	validate_main(struct opts *, struct rta_stage *, int, char **);
static int	check_main(struct opts *, int, char **);
static int	compat_main(struct opts *, int, char **);
static int	drift_main(struct opts *, struct rta_stage *, int, char **);
static void	help(void);

/* Which options each subcommand takes, by option code. */
static int
allowed(enum cmd cmd, int c)
{
	switch (c) {
	case 'h': case 'V': case OPT_FORMAT:
		return 1;
	case OPT_FORMATS:
		return cmd != CMD_DRIFT;
	case OPT_MODE:
		return cmd == CMD_COMPAT;
	case 's': case OPT_SCHEMA:
		return cmd == CMD_VALIDATE || cmd == CMD_DRIFT;
	case OPT_REPORT:
		return cmd == CMD_DRIFT;
	case 'o': case 'q': case 'u': case RTA_OPT_MAX_LINE:
		return cmd == CMD_VALIDATE || cmd == CMD_DRIFT;
	default:
		return cmd == CMD_VALIDATE;
	}
}

/* An option by its names: "--raw", "-q/--quiet". */
static const char *
option_name(int c)
{
	static char buf[64];
	size_t i;

	for (i = 0; longopts[i].name != NULL; i++)
		if (longopts[i].val == c)
			break;
	if (c < 0x100 && longopts[i].name != NULL)
		snprintf(buf, sizeof(buf), "-%c/--%s", c, longopts[i].name);
	else if (c < 0x100)
		snprintf(buf, sizeof(buf), "-%c", c);
	else
		snprintf(buf, sizeof(buf), "--%s", longopts[i].name != NULL ?
		    longopts[i].name : "?");
	return buf;
}

int
main(int argc, char *argv[])
{
	struct opts o;
	struct rta_stage st;
	struct rta_error err;
	int c;

	memset(&o, 0, sizeof(o));
	o.mode = RTA_COMPAT_BACKWARD;
	o.max_future = o.max_past = -1;
	if (argc > 1 && strcmp(argv[1], "check") == 0)
		o.cmd = CMD_CHECK;
	else if (argc > 1 && strcmp(argv[1], "compat") == 0)
		o.cmd = CMD_COMPAT;
	else if (argc > 1 && strcmp(argv[1], "drift") == 0)
		o.cmd = CMD_DRIFT;
	if (o.cmd != CMD_VALIDATE) {
		argc--;
		argv++;
	}
	rta_stage_init(&st, "rta-validate", usage_line);
	while ((c = getopt_long(argc, argv, ":hs:V" RTA_STAGE_SHORTOPTS,
	    longopts, NULL)) != -1) {
		if (c != '?' && c != ':' && !allowed(o.cmd, c))
			rta_usage_error(usage_line, "%s takes no %s option",
			    cmd_names[o.cmd], option_name(c));
		switch (c) {
		case 'h':
			help();
			return rta_cli_finish(RTA_EXIT_OK);
		case 's':
			o.schemas = optarg;
			break;
		case 'V':
			rta_cli_version();
			return rta_cli_finish(RTA_EXIT_OK);
		case OPT_FORMAT:
			if (strcmp(optarg, "text") == 0)
				o.style = RTA_MSG_TEXT;
			else if (strcmp(optarg, "json") == 0)
				o.style = RTA_MSG_JSON;
			else if (strcmp(optarg, "github") == 0)
				o.style = RTA_MSG_GITHUB;
			else
				rta_usage_error(usage_line, "bad --format '%s' "
				    "(use text, json or github)", optarg);
			st.msg_format = o.style;
			break;
		case OPT_FORMATS:
			o.flags |= RTA_SCHEMA_FORMATS;
			break;
		case OPT_MAX_FUTURE:
		case OPT_MAX_PAST:
			if (rta_duration_parse(optarg, c == OPT_MAX_FUTURE ?
			    &o.max_future : &o.max_past, &err) != RTA_OK)
				rta_usage_error(usage_line, "bad %s: %s",
				    option_name(c), err.text);
			break;
		case OPT_MODE:
			if ((o.mode = rta_compat_mode_parse(optarg)) == 0)
				rta_usage_error(usage_line, "bad --mode '%s' "
				    "(use backward, forward or full)", optarg);
			break;
		case OPT_RAW:
			o.raw = 1;
			break;
		case OPT_REPORT:
			o.report = optarg;
			break;
		case OPT_SCHEMA:
			o.schema = optarg;
			break;
		case OPT_UNKNOWN:
			if (strcmp(optarg, "reject") == 0)
				o.pass_unknown = 0;
			else if (strcmp(optarg, "pass") == 0)
				o.pass_unknown = 1;
			else
				rta_usage_error(usage_line, "bad --unknown '%s' "
				    "(use reject or pass)", optarg);
			break;
		case OPT_UPGRADE:
			o.upgrade = 1;
			break;
		default:
			if (rta_stage_getopt(&st, c, optarg))
				break;
			rta_cli_bad_option(usage_line, c, argv);
		}
	}
	argc -= optind;
	argv += optind;
	switch (o.cmd) {
	case CMD_CHECK:
		return check_main(&o, argc, argv);
	case CMD_COMPAT:
		return compat_main(&o, argc, argv);
	case CMD_DRIFT:
		return drift_main(&o, &st, argc, argv);
	default:
		return validate_main(&o, &st, argc, argv);
	}
}

/* ---- shared: schemas and where problems are ---------------------------- */

/* The line of the JSON pointer ptr in the file at path; 0 if unknown. */
static uint64_t
pointer_line(const char *path, const char *ptr, struct rta_buf *cache,
    const char **cached)
{
	struct rta_schema_problems ps;
	int rc;

	if (*cached == NULL || strcmp(*cached, path) != 0) {
		*cached = NULL;
		cache->len = 0;
		rta_schema_problems_init(&ps);
		rc = rta_schema_read_file(path, cache, &ps);
		rta_schema_problems_release(&ps);
		if (rc != 0)
			return 0;
		*cached = path;
	}
	return rta_json_pointer_line(cache->data, cache->len, ptr);
}

/* One finding about a file on stdout, in the --format asked for. */
static void
finding(const struct opts *o, FILE *fp, const char *level, const char *file,
    uint64_t line, const char *json_members, const char *text)
{
	struct rta_buf b = RTA_BUF_INIT;

	switch (o->style) {
	case RTA_MSG_GITHUB:
		rta_buf_printf(&b, "::%s file=", level);
		rta_github_escape(&b, file, strlen(file), 1);
		if (line > 0)
			rta_buf_printf(&b, ",line=%llu",
			    (unsigned long long)line);
		rta_buf_adds(&b, "::");
		rta_github_escape(&b, text, strlen(text), 0);
		break;
	case RTA_MSG_JSON:
		rta_buf_adds(&b, "{\"file\":");
		rta_json_put_bytes_lossy(&b, file, strlen(file));
		if (line > 0)
			rta_buf_printf(&b, ",\"line\":%llu",
			    (unsigned long long)line);
		rta_buf_printf(&b, ",%s,\"message\":", json_members);
		rta_json_put_bytes_lossy(&b, text, strlen(text));
		rta_buf_addc(&b, '}');
		break;
	default:
		rta_buf_adds(&b, file);
		if (line > 0)
			rta_buf_printf(&b, ":%llu", (unsigned long long)line);
		rta_buf_printf(&b, ": %s", text);
		break;
	}
	rta_buf_addc(&b, '\n');
	fwrite(b.data, 1, b.len, fp);
	rta_buf_release(&b);
}

static void
problem_finding(const struct opts *o, FILE *fp,
    const struct rta_schema_problem *p)
{
	struct rta_buf m = RTA_BUF_INIT, t = RTA_BUF_INIT;
	const char *file = p->file != NULL ? p->file : "<schema>";

	rta_buf_adds(&m, "\"pointer\":");
	rta_json_put_bytes_lossy(&m, p->pointer ? p->pointer : "",
	    p->pointer ? strlen(p->pointer) : 0);
	rta_buf_adds(&m, ",\"problem\":\"schema\"");
	rta_buf_addc(&m, '\0');
	if (p->pointer != NULL && p->pointer[0] != '\0')
		rta_buf_printf(&t, "#%s: %s", p->pointer, p->text);
	else
		rta_buf_adds(&t, p->text);
	rta_buf_addc(&t, '\0');
	finding(o, fp, "error", file, p->line, (const char *)m.data,
	    (const char *)t.data);
	rta_buf_release(&m);
	rta_buf_release(&t);
}

/* Schema problems as errors on stderr, for the stream subcommands. */
static void
warn_problems(const struct opts *o, const struct rta_schema_problems *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		const struct rta_schema_problem *p = &ps->p[i];
		const char *ptr = p->pointer != NULL ? p->pointer : "";
		char line[32] = "";

		if (o->style != RTA_MSG_TEXT) {
			problem_finding(o, stderr, p);
			continue;
		}
		if (p->line > 0)
			snprintf(line, sizeof(line), ":%llu",
			    (unsigned long long)p->line);
		rta_warnx("%s%s: %s%s%s%s", p->file ? p->file : "<schema>",
		    line, *ptr ? "#" : "", ptr, *ptr ? ": " : "", p->text);
	}
	if (ps->more > 0)
		rta_warnx("and %llu more problems",
		    (unsigned long long)ps->more);
}

static int
is_dir(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/*
 * Load -s DIR or --schema FILE for the stream subcommands: 0, or the exit
 * status (problems are printed).
 */
static int
load_schemas(const struct opts *o, struct rta_registry *reg,
    struct rta_schema **one)
{
	struct rta_schema_problems ps;
	int rc = 0;

	rta_schema_problems_init(&ps);
	if (o->schema != NULL) {
		if (access(o->schema, R_OK) != 0) {
			rta_warnx("%s: %s", o->schema, strerror(errno));
			rc = RTA_EXIT_IO;
		} else if (is_dir(o->schema)) {
			rta_warnx("%s: is a directory (use -s for a schema "
			    "directory)", o->schema);
			rc = RTA_EXIT_IO;
		} else if ((ps.file = o->schema, *one =
		    rta_schema_load_file(o->schema, o->flags, &ps)) == NULL) {
			warn_problems(o, &ps);
			rc = RTA_EXIT_USAGE;
		}
	} else {
		if (!is_dir(o->schemas)) {
			rta_warnx("%s: %s", o->schemas, access(o->schemas,
			    F_OK) == 0 ? "not a directory" : strerror(errno));
			rc = RTA_EXIT_IO;
		} else if (rta_registry_load(reg, o->schemas, o->flags,
		    &ps) != 0) {
			warn_problems(o, &ps);
			rc = RTA_EXIT_USAGE;
		} else if (reg->n == 0) {
			rta_warnx("%s: no schemas (*.json) in the directory",
			    o->schemas);
			rc = RTA_EXIT_USAGE;
		}
	}
	if (rc == RTA_EXIT_USAGE && o->style == RTA_MSG_TEXT)
		rta_warnx("not starting: fix the schemas first (rta-validate "
		    "check)");
	rta_schema_problems_release(&ps);
	return rc;
}

/* ---- validate ----------------------------------------------------------- */

static void
count_reason(struct run *r, const char *reason)
{
	size_t i;

	for (i = 0; i < r->nreasons; i++)
		if (strcmp(r->reasons[i].reason, reason) == 0) {
			r->reasons[i].n++;
			return;
		}
	if (r->nreasons == MAX_REASONS) {
		r->other_reasons++;
		return;
	}
	r->reasons[r->nreasons].reason = reason;
	r->reasons[r->nreasons++].n = 1;
}

static int
put_tally(struct rta_buf *out, const char *labels, const struct tally *t)
{
	static const char *const names[] = { "valid", "invalid", "upgraded" };
	uint64_t v[3];
	int i;

	v[0] = t->valid;
	v[1] = t->invalid;
	v[2] = t->upgraded;
	for (i = 0; i < 3; i++)
		if (rta_buf_printf(out, "rta_validate_events_total{%s,"
		    "result=\"%s\"} %llu\n", labels, names[i],
		    (unsigned long long)v[i]) != 0)
			return -1;
	return 0;
}

/* The program's own series, after the common ones (--metrics). */
static int
metrics_extra(void *arg, struct rta_buf *out)
{
	struct run *r = arg;
	struct rta_buf l = RTA_BUF_INIT;
	size_t i;
	int rc = 0;

	rc |= rta_buf_adds(out, "# HELP rta_validate_events_total Events by "
	    "schema and result.\n# TYPE rta_validate_events_total counter\n");
	if (r->one != NULL) {
		rc |= rta_buf_adds(&l, "schema=\"");
		rc |= rta_metrics_label(&l, r->one->name, strlen(r->one->name));
		rc |= rta_buf_adds(&l, "\"");
		rc |= rta_buf_addc(&l, '\0');
		rc |= put_tally(out, (const char *)l.data, &r->one_tally);
	}
	for (i = 0; i < r->reg.n; i++) {
		const struct rta_registry_entry *e = &r->reg.e[i];

		l.len = 0;
		rc |= rta_buf_adds(&l, "event_type=\"");
		rc |= rta_metrics_label(&l, e->type, e->type_len);
		rc |= rta_buf_printf(&l, "\",schema_version=\"%u\"",
		    (unsigned)e->version);
		rc |= rta_buf_addc(&l, '\0');
		rc |= put_tally(out, (const char *)l.data, &r->tally[i]);
	}
	rta_buf_release(&l);
	rc |= rta_buf_printf(out, "# HELP rta_validate_unknown_total Events "
	    "of an event type or version with no schema.\n"
	    "# TYPE rta_validate_unknown_total counter\n"
	    "rta_validate_unknown_total{action=\"passed\"} %llu\n"
	    "rta_validate_unknown_total{action=\"rejected\"} %llu\n",
	    (unsigned long long)r->unknown_passed,
	    (unsigned long long)r->unknown_rejected);
	rc |= rta_buf_adds(out, "# HELP rta_validate_violations_total Schema "
	    "violations by reason.\n"
	    "# TYPE rta_validate_violations_total counter\n");
	for (i = 0; i < r->nreasons; i++)
		rc |= rta_buf_printf(out, "rta_validate_violations_total{"
		    "reason=\"%s\"} %llu\n", r->reasons[i].reason,
		    (unsigned long long)r->reasons[i].n);
	if (r->other_reasons > 0)
		rc |= rta_buf_printf(out, "rta_validate_violations_total{"
		    "reason=\"other\"} %llu\n",
		    (unsigned long long)r->other_reasons);
	return rc != 0 ? -1 : 0;
}

/* The original of the current record: its line, or NDJSON for a frame. */
static void
original(struct run *r, const struct rta_record *rec, const void **p,
    size_t *len)
{
	const unsigned char *raw;
	uint64_t total;

	if (rec->kind == RTA_REC_EVENT &&
	    rta_reader_encoding(r->st->rd) == RTA_FMT_RTA) {
		r->raw.len = 0;
		if (rta_ndjson_put(&r->raw, rec) == 0) {
			*p = r->raw.data;
			*len = r->raw.len;
			if (*len > 0 && r->raw.data[*len - 1] == '\n')
				(*len)--;
			return;
		}
	}
	rta_reader_raw(r->st->rd, &raw, len, &total);
	*p = raw;
}

static void
reject(struct run *r, const struct rta_record *rec, const char *reason,
    const char *detail, size_t dlen, const char *fmt, ...)
    RTA_PRINTFLIKE(6, 7);

static void
reject(struct run *r, const struct rta_record *rec, const char *reason,
    const char *detail, size_t dlen, const char *fmt, ...)
{
	struct rta_error e;
	va_list ap;
	const void *p;
	size_t len;

	memset(&e, 0, sizeof(e));
	e.code = RTA_EDATA;
	e.reason = reason;
	va_start(ap, fmt);
	vsnprintf(e.text, sizeof(e.text), fmt, ap);
	va_end(ap);
	original(r, rec, &p, &len);
	rta_stage_reject_detail(r->st, rec->kind == RTA_REC_EVENT ?
	    &rec->ev : NULL, &e, p, len, detail, dlen);
}

/* Echoed data in messages: at most ECHO_MAX bytes, controls escaped. */
#define ECHO_MAX	40

struct echo {
	char	 id[ECHO_MAX * 4 + 8];
	char	 s[ECHO_MAX * 4 + 8];
};

static const char *
echo_id(struct echo *q, const struct rta_event *ev)
{
	rta_quote(q->id, sizeof(q->id), ev->id, ev->id_len, ECHO_MAX);
	return q->id;
}

static const char *
echo(struct echo *q, const char *s, size_t len)
{
	rta_quote(q->s, sizeof(q->s), s, len, ECHO_MAX);
	return q->s;
}

/* Reject for schema violations, with all of them in the dead letter. */
static void
reject_violations(struct run *r, const struct rta_record *rec,
    const char *reason, const char *what)
{
	const struct rta_validator *v = &r->v;
	size_t i, plen, mlen;
	const char *path, *msg;
	char pq[256];

	for (i = 0; i < v->n; i++)
		count_reason(r, v->v[i].reason);
	r->detail.len = 0;
	if (rta_buf_adds(&r->detail, "\"violations\":") != 0 ||
	    rta_violations_json(v, &r->detail) != 0)
		r->detail.len = 0;
	path = rta_violation_path(v, 0, &plen);
	msg = rta_violation_message(v, 0, &mlen);
	/* a deep path keeps its end, where the value is */
	if (plen == 0)
		snprintf(pq, sizeof(pq), "/");
	else if (plen > 60) {
		snprintf(pq, sizeof(pq), "...");
		rta_quote(pq + 3, sizeof(pq) - 3, path + plen - 57, 57, 57);
	} else
		rta_quote(pq, sizeof(pq), path, plen, 60);
	/* the whole list is in the dead letter; the message has the first */
	if (v->n + v->more > 1)
		reject(r, rec, reason, (const char *)r->detail.data,
		    r->detail.len, "%s: %s: %.*s (and %llu more)", what, pq,
		    (int)mlen, msg, (unsigned long long)(v->n + v->more - 1));
	else
		reject(r, rec, reason, (const char *)r->detail.data,
		    r->detail.len, "%s: %s: %.*s", what, pq, (int)mlen, msg);
}

/* The envelope checks every event gets; 0 if it passes. */
static int
check_envelope(struct run *r, const struct rta_record *rec, int64_t now)
{
	const struct rta_event *ev = &rec->ev;
	const char *late = NULL, *bound = NULL;
	struct echo q;
	char t[40];

	if (!rta_tenant_valid(ev->tenant, ev->tenant_len)) {
		reject(r, rec, "bad-tenant", NULL, 0, "event %s: bad tenant_id "
		    "'%s' (1 to %d of A-Za-z0-9_.-, not first . or -)",
		    echo_id(&q, ev), echo(&q, ev->tenant, ev->tenant_len),
		    RTA_TENANT_MAX);
		return -1;
	}
	if (r->o->max_future >= 0 && ev->ts > now + r->o->max_future) {
		late = "future-timestamp";
		bound = "--max-future ahead";
	} else if (r->o->max_past >= 0 && ev->ts < now - r->o->max_past) {
		late = "old-timestamp";
		bound = "--max-past old";
	}
	if (late != NULL) {
		rta_time_format(t, ev->ts);
		t[27] = '\0';
		reject(r, rec, late, NULL, 0, "event %s: timestamp %s is more "
		    "than %s", echo_id(&q, ev), t, bound);
		return -1;
	}
	return 0;
}

/* --upgrade: fill the latest version's defaults; 0 or -1 (rejected). */
static int
upgrade(struct run *r, struct rta_record *rec,
    const struct rta_registry_entry *e)
{
	const struct rta_registry_entry *to = e->latest;
	struct rta_record orig = *rec;
	struct echo q;
	char what[512];
	int rc;

	r->payload.len = 0;
	if ((rc = rta_fill_defaults(to->schema, rec->ev.payload,
	    &r->payload)) < 0) {
		reject(r, rec, "out-of-memory", NULL, 0, "out of memory");
		return -1;
	}
	if (rc == 1) {
		rec->ev.payload = r->payload.data;
		rec->ev.payload_len = r->payload.len;
	}
	rec->ev.schema_version = to->version;
	rec->ev.frame = NULL;
	if (!rta_validate_quick(&r->v, to->schema, rec->ev.payload) &&
	    !rta_validate(&r->v, to->schema, rec->ev.payload, "/payload")) {
		snprintf(what, sizeof(what), "event %s: upgrading to v%u",
		    echo_id(&q, &rec->ev), (unsigned)to->version);
		/* the dead letter holds the event as it came */
		reject_violations(r, &orig, "upgrade-failed", what);
		r->tally[e - r->reg.e].invalid++;
		return -1;
	}
	return 0;
}

/* Check one event; 1 to emit it, 0 if it was rejected. */
static int
validate_event(struct run *r, struct rta_record *rec, int64_t now)
{
	const struct rta_registry_entry *e = NULL;
	const struct rta_schema *s;
	struct tally *t;
	struct echo q;
	char what[512];

	if (check_envelope(r, rec, now) != 0)
		return 0;
	if (r->one != NULL) {
		s = r->one;
		t = &r->one_tally;
	} else {
		e = rta_registry_find(&r->reg, rec->ev.type,
		    rec->ev.type_len, rec->ev.schema_version);
		if (e == NULL) {
			int known = rta_registry_latest(&r->reg, rec->ev.type,
			    rec->ev.type_len) != NULL;

			if (r->o->pass_unknown) {
				r->unknown_passed++;
				return 1;
			}
			r->unknown_rejected++;
			if (known)
				reject(r, rec, "unknown-schema-version", NULL,
				    0, "event %s: no schema for %s version %u",
				    echo_id(&q, &rec->ev), echo(&q,
				    rec->ev.type, rec->ev.type_len),
				    (unsigned)rec->ev.schema_version);
			else
				reject(r, rec, "unknown-event-type", NULL, 0,
				    "event %s: no schema for event type '%s'",
				    echo_id(&q, &rec->ev), echo(&q,
				    rec->ev.type, rec->ev.type_len));
			return 0;
		}
		s = e->schema;
		t = &r->tally[e - r->reg.e];
	}
	/* most events pass: check fast, and collect only for the others */
	if (!rta_validate_quick(&r->v, s, rec->ev.payload) &&
	    !rta_validate(&r->v, s, rec->ev.payload, "/payload")) {
		snprintf(what, sizeof(what), "event %s (%s v%u)",
		    echo_id(&q, &rec->ev), echo(&q, rec->ev.type,
		    rec->ev.type_len), (unsigned)rec->ev.schema_version);
		reject_violations(r, rec, "schema-violation", what);
		t->invalid++;
		return 0;
	}
	if (r->o->upgrade && e != NULL && e->latest != e) {
		if (upgrade(r, rec, e) != 0)
			return 0;
		t->upgraded++;
		return 1;
	}
	t->valid++;
	return 1;
}

/* --raw: one JSON document; 1 to emit it. */
static int
validate_value(struct run *r, struct rta_record *rec)
{
	if (rta_validate_quick(&r->v, r->one, rec->value) ||
	    rta_validate(&r->v, r->one, rec->value, "")) {
		r->one_tally.valid++;
		return 1;
	}
	reject_violations(r, rec, "schema-violation", "document");
	r->one_tally.invalid++;
	return 0;
}

static int
validate_main(struct opts *o, struct rta_stage *st, int argc, char **argv)
{
	struct run *r;
	struct rta_record rec;
	int status, bounded;
	int64_t now = 0;

	if (o->schemas != NULL && o->schema != NULL)
		rta_usage_error(usage_line, "give -s DIR or --schema FILE, "
		    "not both");
	if (o->schemas == NULL && o->schema == NULL)
		rta_usage_error(usage_line, "no schemas: give -s DIR (a "
		    "schema directory) or --schema FILE");
	if (o->raw && o->schema == NULL)
		rta_usage_error(usage_line, "--raw checks documents against "
		    "one --schema FILE");
	if (o->raw && (o->upgrade || o->max_future >= 0 ||
	    o->max_past >= 0 || o->pass_unknown))
		rta_usage_error(usage_line, "--raw documents have no envelope "
		    "(no --upgrade, --max-future, --max-past or --unknown)");
	if (o->upgrade && o->schemas == NULL)
		rta_usage_error(usage_line, "--upgrade needs a schema "
		    "directory (-s DIR) to find the latest versions");
	if (o->raw) {
		if (st->to == RTA_FMT_RTA)
			rta_usage_error(usage_line, "--raw writes NDJSON "
			    "documents; rta frames hold only events");
		st->ropts.format = RTA_FMT_VALUES;
		st->to = RTA_FMT_NDJSON;
	}
	if (st->to == RTA_FMT_RTA && isatty(STDOUT_FILENO))
		rta_usage_error(usage_line, "not writing rta frames to a "
		    "terminal (redirect stdout, or use -o ndjson)");
	if ((r = rta_calloc(1, sizeof(*r))) == NULL) {
		rta_warnx("out of memory");
		return RTA_EXIT_LIMIT;
	}
	r->o = o;
	r->st = st;
	rta_registry_init(&r->reg);
	rta_validator_init(&r->v);
	rta_buf_init(&r->detail);
	rta_buf_init(&r->payload);
	rta_buf_init(&r->raw);
	rta_buf_init(&r->text);
	if ((status = load_schemas(o, &r->reg, &r->one)) != 0)
		goto out;
	if (r->reg.n > 0 && (r->tally = rta_calloc(r->reg.n,
	    sizeof(*r->tally))) == NULL) {
		rta_warnx("out of memory");
		status = RTA_EXIT_LIMIT;
		goto out;
	}
	r->st->m.extra = metrics_extra;
	r->st->m.extra_arg = r;
	if ((status = rta_stage_start(r->st, argc, argv)) != 0)
		goto out;
	bounded = o->max_future >= 0 || o->max_past >= 0;
	while (rta_stage_next(r->st, &rec) == RTA_OK) {
		/* the bounds move with the clock in a long-running pipeline */
		if (bounded && rec.kind == RTA_REC_EVENT)
			now = rta_now();
		if ((rec.kind == RTA_REC_EVENT && !validate_event(r, &rec,
		    now)) || (rec.kind == RTA_REC_VALUE &&
		    !validate_value(r, &rec)))
			continue;
		if (rta_stage_emit(r->st, &rec) != RTA_OK)
			break;
	}
	status = rta_stage_finish(r->st);
out:
	rta_validator_release(&r->v);
	rta_registry_release(&r->reg);
	rta_schema_free(r->one);
	rta_buf_release(&r->detail);
	rta_buf_release(&r->payload);
	rta_buf_release(&r->raw);
	rta_buf_release(&r->text);
	rta_free(r->tally);
	rta_free(r);
	return status;
}

/* ---- check -------------------------------------------------------------- */

static int
check_main(struct opts *o, int argc, char **argv)
{
	struct rta_schema_problems ps;
	struct rta_registry reg;
	struct rta_schema *s;
	uint64_t problems = 0, schemas = 0;
	int i, status = RTA_EXIT_OK;
	size_t k;

	if (argc == 0)
		rta_usage_error(usage_line, "check needs a schema directory "
		    "or schema files");
	rta_cli_init("rta-validate");
	for (i = 0; i < argc; i++) {
		rta_schema_problems_init(&ps);
		rta_registry_init(&reg);
		if (is_dir(argv[i])) {
			rta_registry_load(&reg, argv[i], o->flags, &ps);
			schemas += reg.n;
		} else if (access(argv[i], R_OK) != 0) {
			rta_warnx("%s: %s", argv[i], strerror(errno));
			rta_cli_status(&status, RTA_EXIT_IO);
		} else if ((ps.file = argv[i], s = rta_schema_load_file(argv[i],
		    o->flags, &ps)) != NULL) {
			rta_schema_free(s);
			schemas++;
		}
		for (k = 0; k < ps.n; k++)
			problem_finding(o, stdout, &ps.p[k]);
		problems += ps.n + ps.more;
		if (ps.more > 0)
			rta_warnx("%s: and %llu more problems", argv[i],
			    (unsigned long long)ps.more);
		rta_registry_release(&reg);
		rta_schema_problems_release(&ps);
	}
	if (problems > 0)
		rta_cli_status(&status, RTA_EXIT_DATA);
	if (o->style == RTA_MSG_TEXT)
		fprintf(stderr, "rta-validate: check: %llu schema%s loaded, "
		    "%llu problem%s\n", (unsigned long long)schemas,
		    schemas == 1 ? "" : "s", (unsigned long long)problems,
		    problems == 1 ? "" : "s");
	return rta_cli_finish(status);
}

/* ---- compat ------------------------------------------------------------- */

struct pair {
	const char		*old_path, *new_path;
	const struct rta_schema	*old, *new;
	const char		*label;		/* "page_view v1 -> v2" */
};

static void
compat_report(const struct opts *o, const struct rta_compat *c,
    size_t from, const struct pair *pr, struct rta_buf *cache,
    const char **cached)
{
	struct rta_buf ptr = RTA_BUF_INIT, m = RTA_BUF_INIT, t = RTA_BUF_INIT;
	size_t i, plen, mlen;
	const char *path, *msg, *file;
	uint64_t line;

	for (i = from; i < c->n; i++) {
		const struct rta_compat_change *ch = &c->c[i];
		const char *dir = rta_compat_direction_name(ch->direction);

		file = ch->schema == pr->new ? pr->new_path : pr->old_path;
		ptr.len = 0;
		rta_buf_adds(&ptr, ch->node->loc);
		if (strcmp(ch->keyword, "false") != 0) {
			rta_buf_addc(&ptr, '/');
			rta_buf_adds(&ptr, ch->keyword);
		}
		rta_buf_addc(&ptr, '\0');
		line = pointer_line(file, (const char *)ptr.data, cache,
		    cached);
		if (line == 0)
			line = pointer_line(file, ch->node->loc, cache,
			    cached);
		path = rta_compat_path(c, i, &plen);
		msg = rta_compat_message(c, i, &mlen);
		m.len = 0;
		rta_buf_adds(&m, "\"old\":");
		rta_json_put_bytes_lossy(&m, pr->old_path,
		    strlen(pr->old_path));
		rta_buf_adds(&m, ",\"new\":");
		rta_json_put_bytes_lossy(&m, pr->new_path,
		    strlen(pr->new_path));
		rta_buf_printf(&m, ",\"direction\":\"%s\",\"path\":", dir);
		rta_json_put_bytes_lossy(&m, path, plen);
		rta_buf_printf(&m, ",\"keyword\":\"%s\",\"reason\":\"%s\","
		    "\"schema\":", ch->keyword, ch->reason);
		rta_buf_adds(&t, "");
		t.len = 0;
		rta_buf_adds(&t, file);
		rta_buf_addc(&t, '#');
		rta_buf_add(&t, ptr.data, ptr.len - 1);
		rta_json_put_bytes_lossy(&m, t.data, t.len);
		rta_buf_addc(&m, '\0');
		t.len = 0;
		rta_buf_printf(&t, "%s: %s: %.*s: %.*s (%s)", pr->label, dir,
		    (int)(plen ? plen : 1), plen ? path : "/", (int)mlen, msg,
		    ch->keyword);
		rta_buf_addc(&t, '\0');
		finding(o, stdout, "error", file, line, (const char *)m.data,
		    (const char *)t.data);
	}
	rta_buf_release(&ptr);
	rta_buf_release(&m);
	rta_buf_release(&t);
}

static int
compat_pairs(const struct opts *o, struct pair *pr, size_t n)
{
	struct rta_compat c;
	struct rta_buf cache = RTA_BUF_INIT;
	const char *cached = NULL;
	const char *mode = rta_compat_direction_name(o->mode);
	size_t i, from, bad = 0;
	long k;
	int status = RTA_EXIT_OK;

	rta_compat_init(&c);
	for (i = 0; i < n; i++) {
		from = c.n;
		if ((k = rta_compat_compare(&c, pr[i].old, pr[i].new,
		    o->mode)) < 0) {
			rta_warnx("out of memory");
			status = RTA_EXIT_LIMIT;
			break;
		}
		compat_report(o, &c, from, &pr[i], &cache, &cached);
		if (k > 0)
			bad++;
		if (o->style == RTA_MSG_TEXT)
			printf("%s: %s (%s)\n", pr[i].label, k == 0 ?
			    "compatible" : "INCOMPATIBLE", mode);
		c.n = 0;
		c.text.len = 0;
	}
	if (c.more > 0)
		rta_warnx("and %llu more changes", (unsigned long long)c.more);
	if (bad > 0)
		rta_cli_status(&status, RTA_EXIT_DATA);
	rta_compat_release(&c);
	rta_buf_release(&cache);
	return status;
}

static int
compat_main(struct opts *o, int argc, char **argv)
{
	struct rta_schema_problems ps;
	struct rta_registry reg;
	struct rta_schema *s[2] = { NULL, NULL };
	struct pair *pr = NULL;
	char (*labels)[160] = NULL;
	size_t i, n = 0;
	int status = RTA_EXIT_OK, j;

	rta_cli_init("rta-validate");
	if (argc == 1 && !is_dir(argv[0]))
		rta_usage_error(usage_line, "compat takes two schema files "
		    "(old new) or one schema directory");
	if (argc != 1 && argc != 2)
		rta_usage_error(usage_line, "compat takes two schema files "
		    "(old new) or one schema directory");
	rta_schema_problems_init(&ps);
	rta_registry_init(&reg);
	if (argc == 1) {
		if (rta_registry_load(&reg, argv[0], o->flags, &ps) != 0) {
			for (i = 0; i < ps.n; i++)
				problem_finding(o, stdout, &ps.p[i]);
			status = RTA_EXIT_DATA;
			goto out;
		}
		pr = rta_calloc(reg.n + 1, sizeof(*pr));
		labels = rta_calloc(reg.n + 1, sizeof(*labels));
		if (pr == NULL || labels == NULL) {
			rta_warnx("out of memory");
			status = RTA_EXIT_LIMIT;
			goto out;
		}
		for (i = 0; i < reg.n; i++) {
			const struct rta_registry_entry *e = &reg.e[i];

			if (e->previous == NULL)
				continue;
			snprintf(labels[n], sizeof(labels[n]), "%s v%u -> v%u",
			    e->type, (unsigned)e->previous->version,
			    (unsigned)e->version);
			pr[n].old_path = e->previous->path;
			pr[n].new_path = e->path;
			pr[n].old = e->previous->schema;
			pr[n].new = e->schema;
			pr[n].label = labels[n];
			n++;
		}
		if (n == 0 && o->style == RTA_MSG_TEXT)
			fprintf(stderr, "rta-validate: compat: %s: no event "
			    "type has two versions\n", argv[0]);
		status = compat_pairs(o, pr, n);
		goto out;
	}
	for (j = 0; j < 2; j++) {
		if (is_dir(argv[j]))
			rta_usage_error(usage_line, "%s is a directory: compat "
			    "takes two schema files (old new) or one "
			    "directory", argv[j]);
		if (access(argv[j], R_OK) != 0) {
			rta_warnx("%s: %s", argv[j], strerror(errno));
			status = RTA_EXIT_IO;
			goto out;
		}
		ps.file = argv[j];
		if ((s[j] = rta_schema_load_file(argv[j], o->flags,
		    &ps)) == NULL) {
			for (i = 0; i < ps.n; i++)
				problem_finding(o, stdout, &ps.p[i]);
			status = RTA_EXIT_DATA;
			goto out;
		}
	}
	{
		struct pair one;
		char label[600];

		snprintf(label, sizeof(label), "%s -> %s", argv[0], argv[1]);
		one.old_path = argv[0];
		one.new_path = argv[1];
		one.old = s[0];
		one.new = s[1];
		one.label = label;
		status = compat_pairs(o, &one, 1);
	}
out:
	rta_schema_free(s[0]);
	rta_schema_free(s[1]);
	rta_registry_release(&reg);
	rta_schema_problems_release(&ps);
	rta_free(pr);
	rta_free(labels);
	return rta_cli_finish(status);
}

/* ---- drift -------------------------------------------------------------- */

struct drift_run {
	const struct opts	*o;
	FILE			*out;
	const char		*file;		/* the schema's */
	const char		*label;		/* "page_view v2" */
	struct rta_buf		 cache;
	const char		*cached;
	uint64_t		 findings;
};

static int
drift_finding(void *arg, const struct rta_drift_finding *f)
{
	struct drift_run *d = arg;
	struct rta_buf m = RTA_BUF_INIT, t = RTA_BUF_INIT;
	const char *kind = rta_drift_kind_name(f->kind);
	char a[96], b[96];
	uint64_t line = 0;

	if (f->node != NULL)
		line = pointer_line(d->file, f->node->loc, &d->cache,
		    &d->cached);
	if (d->label != NULL)
		rta_buf_printf(&t, "%s: ", d->label);
	rta_buf_printf(&t, "/payload%s: ", f->path);
	switch (f->kind) {
	case RTA_DRIFT_UNDECLARED:
		rta_buf_printf(&t, "not declared, seen %llu time%s",
		    (unsigned long long)f->count, f->count == 1 ? "" : "s");
		break;
	case RTA_DRIFT_NEVER_SEEN:
		rta_buf_printf(&t, "declared%s, never seen in %llu "
		    "object%s", f->required ? " and required" : "",
		    (unsigned long long)f->of, f->of == 1 ? "" : "s");
		break;
	case RTA_DRIFT_MISMATCH:
		rta_stype_list(f->types, " or ", a, sizeof(a));
		rta_stype_list(f->seen_types, " or ", b, sizeof(b));
		rta_buf_printf(&t, "%s expected, %s seen in %llu of %llu "
		    "values", a, b, (unsigned long long)f->count,
		    (unsigned long long)f->of);
		break;
	case RTA_DRIFT_MISSING:
		rta_buf_printf(&t, "missing in %llu of %llu (%.1f%%)%s",
		    (unsigned long long)f->count, (unsigned long long)f->of,
		    100.0 * (double)f->count / (double)f->of,
		    f->required ? ", required" : "");
		break;
	}
	rta_buf_addc(&t, '\0');
	rta_buf_printf(&m, "\"kind\":\"%s\"", kind);
	if (d->label != NULL) {
		rta_buf_adds(&m, ",\"label\":");
		rta_json_put_bytes_lossy(&m, d->label, strlen(d->label));
	}
	rta_buf_adds(&m, ",\"path\":");
	rta_buf_adds(&t, "");
	{
		struct rta_buf p = RTA_BUF_INIT;

		rta_buf_printf(&p, "/payload%s", f->path);
		rta_json_put_bytes_lossy(&m, p.data, p.len);
		rta_buf_release(&p);
	}
	rta_buf_printf(&m, ",\"count\":%llu,\"of\":%llu",
	    (unsigned long long)f->count, (unsigned long long)f->of);
	if (f->kind == RTA_DRIFT_MISMATCH) {
		rta_stype_list(f->types, " or ", a, sizeof(a));
		rta_stype_list(f->seen_types, " or ", b, sizeof(b));
		rta_buf_printf(&m, ",\"expected\":\"%s\",\"seen\":\"%s\"", a,
		    b);
	}
	if (f->kind == RTA_DRIFT_MISSING || f->kind == RTA_DRIFT_NEVER_SEEN)
		rta_buf_printf(&m, ",\"required\":%s", f->required ? "true" :
		    "false");
	rta_buf_addc(&m, '\0');
	finding(d->o, d->out, "warning", d->file, line, (const char *)m.data,
	    (const char *)t.data);
	d->findings++;
	rta_buf_release(&m);
	rta_buf_release(&t);
	return 0;
}

/* Past RTA_DRIFT_MAX_UNDECLARED paths only a count is kept. */
static void
more_undeclared(struct drift_run *d, uint64_t n)
{
	char members[64], text[300];

	snprintf(members, sizeof(members), "\"kind\":\"more-undeclared\","
	    "\"count\":%llu", (unsigned long long)n);
	snprintf(text, sizeof(text), "%s%sand %llu more occurrences of "
	    "undeclared fields (only %d paths are listed)",
	    d->label ? d->label : "",
	    d->label ? ": " : "", (unsigned long long)n,
	    RTA_DRIFT_MAX_UNDECLARED);
	finding(d->o, d->out, "warning", d->file, 0, members, text);
}

static int
drift_main(struct opts *o, struct rta_stage *st, int argc, char **argv)
{
	struct rta_registry reg;
	struct rta_schema *one = NULL;
	struct rta_drift *prof = NULL;
	struct rta_record rec;
	struct drift_run d;
	uint64_t unknown = 0;
	size_t i, np;
	int status, pass = o->report != NULL;
	char label[160];

	if (o->schemas != NULL && o->schema != NULL)
		rta_usage_error(usage_line, "give -s DIR or --schema FILE, "
		    "not both");
	if (o->schemas == NULL && o->schema == NULL)
		rta_usage_error(usage_line, "drift needs -s DIR or --schema "
		    "FILE");
	if (pass && st->to == RTA_FMT_RTA && isatty(STDOUT_FILENO))
		rta_usage_error(usage_line, "not writing rta frames to a "
		    "terminal (redirect stdout, or use -o ndjson)");
	memset(&d, 0, sizeof(d));
	rta_buf_init(&d.cache);
	d.o = o;
	d.out = stdout;
	rta_registry_init(&reg);
	if ((status = load_schemas(o, &reg, &one)) != 0)
		goto out;
	np = one != NULL ? 1 : reg.n;
	if ((prof = rta_calloc(np, sizeof(*prof))) == NULL)
		goto nomem;
	for (i = 0; i < np; i++)
		if (rta_drift_init(&prof[i], one != NULL ? one :
		    reg.e[i].schema) != 0)
			goto nomem;
	if (pass && (d.out = fopen(o->report, "w")) == NULL) {
		rta_warnx("%s: %s", o->report, strerror(errno));
		status = RTA_EXIT_IO;
		goto out;
	}
	if ((status = rta_stage_start(st, argc, argv)) != 0)
		goto out;
	while (rta_stage_next(st, &rec) == RTA_OK) {
		if (rec.kind == RTA_REC_EVENT) {
			const struct rta_registry_entry *e = NULL;
			struct rta_drift *p = &prof[0];

			if (one == NULL) {
				e = rta_registry_find(&reg, rec.ev.type,
				    rec.ev.type_len, rec.ev.schema_version);
				p = e != NULL ? &prof[e - reg.e] : NULL;
			}
			if (p == NULL)
				unknown++;
			else if (rta_drift_add(p, rec.ev.payload) != 0) {
				rta_warnx("out of memory");
				rta_cli_status(&st->status, RTA_EXIT_LIMIT);
				break;
			}
		}
		if (!pass) {
			if (rec.kind == RTA_REC_EVENT)
				rta_stage_drop(st);
			continue;
		}
		if (rta_stage_emit(st, &rec) != RTA_OK)
			break;
	}
	for (i = 0; i < np; i++) {
		/* with one schema, the file name says it all */
		snprintf(label, sizeof(label), "%s v%u", one != NULL ? "" :
		    reg.e[i].type, one != NULL ? 0 : (unsigned)reg.e[i].version);
		d.label = one != NULL ? NULL : label;
		d.file = one != NULL ? o->schema : reg.e[i].path;
		d.findings = 0;
		if (prof[i].events == 0)
			continue;
		rta_drift_report(&prof[i], drift_finding, &d);
		if (o->style == RTA_MSG_TEXT)
			fprintf(d.out, "%s: %llu event%s, %llu finding%s%s\n",
			    one != NULL ? o->schema : label,
			    (unsigned long long)prof[i].events,
			    prof[i].events == 1 ? "" : "s",
			    (unsigned long long)d.findings,
			    d.findings == 1 ? "" : "s", prof[i].truncated ?
			    " (schema too large: fields past 4096 not "
			    "profiled)" : "");
		if (prof[i].more_undeclared > 0)
			more_undeclared(&d, prof[i].more_undeclared);
	}
	if (unknown > 0 && o->style == RTA_MSG_TEXT)
		fprintf(d.out, "%llu event%s of a type or version with no "
		    "schema\n", (unsigned long long)unknown, unknown == 1 ?
		    "" : "s");
	if (pass && fclose(d.out) != 0) {
		rta_warnx("%s: %s", o->report, strerror(errno));
		rta_cli_status(&st->status, RTA_EXIT_IO);
	}
	d.out = stdout;
	status = rta_stage_finish(st);
	goto out;
nomem:
	rta_warnx("out of memory");
	status = RTA_EXIT_LIMIT;
out:
	if (prof != NULL)
		for (i = 0; i < np; i++)
			rta_drift_release(&prof[i]);
	rta_free(prof);
	rta_schema_free(one);
	rta_registry_release(&reg);
	rta_buf_release(&d.cache);
	return status;
}

static void
help(void)
{
	printf("%s\n\n", usage_line);
	fputs(
"Check each event against the JSON Schema (draft 2020-12) of its event\n"
"type and schema version in a schema directory, and its envelope; write\n"
"the valid ones on, the invalid ones to the dead-letter file with every\n"
"violation (instance path, keyword, schema location, reason).\n"
"\n"
"  -s, --schemas DIR       schema directory: TYPE.vN.json files (or $id,\n"
"                          x-rta-event-type and x-rta-version inside)\n"
"      --schema FILE       check every payload against one schema\n"
"      --raw               read plain JSON documents, one per line, and\n"
"                          check each whole against --schema FILE\n"
"      --formats           make \"format\" an assertion (date-time, date,\n"
"                          time, uuid, email, ipv4, ipv6, hostname, uri)\n"
"      --unknown ACTION    reject (default) or pass events of a type or\n"
"                          version with no schema\n"
"      --upgrade           fill the latest version's defaults into older\n"
"                          events and mark them with its version\n"
"      --max-future DUR    reject timestamps more than DUR ahead (5m, 1h)\n"
"      --max-past DUR      reject timestamps more than DUR old (7d)\n"
"      --format STYLE      bad records on stderr as text, json or github\n"
"                          (::error annotations)\n"
RTA_STAGE_HELP
"  -h, --help              show this help\n"
"  -V, --version           show the version and library versions\n"
"\n"
"rta-validate check PATH...   lint schema directories or files: parse,\n"
"    compile, versions consistent, every $ref resolves, no unsupported\n"
"    keyword; problems on stdout as FILE:LINE: #POINTER: what.\n"
"rta-validate compat OLD NEW | DIR   list the breaking changes between\n"
"    two versions (or each version in DIR and its predecessor).\n"
"      --mode MODE         backward (default: NEW reads what OLD wrote),\n"
"                          forward (OLD reads what NEW writes), or full\n"
"rta-validate drift -s DIR [FILE...]   report, per event type and\n"
"    version, fields the schema does not declare, declared fields never\n"
"    seen, type mismatches and missing-field rates.\n"
"      --report FILE       write the report to FILE and pass the events\n"
"                          through to stdout\n"
"\n"
"Example:\n"
"  rta-cat -o rta events.ndjson | rta-validate -s schemas/ \\\n"
"      --dead-letter invalid.ndjson --max-future 5m | rta-store ...\n"
"  rta-validate check --format github schemas/ && rta-validate compat \\\n"
"      --mode full schemas/\n"
"\n"
"Exit status: 0 ok, 1 invalid events or schema problems, 2 usage or bad\n"
"schemas, 3 I/O error, 4 resource limit.\n"
"See rta-validate(1), rta-format(5), rta(7).\n", stdout);
}
