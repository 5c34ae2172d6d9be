/*
 * rta-query: range and rollup queries over a store's dataset.  Reads the
 * records of a time range (one tenant's or all), keeps those --where
 * selects, groups them by bucket and --group-by values and prints the
 * --agg results per group as NDJSON, CSV or a table.  Raw events are
 * aggregated as they are read; aggregate records (rta-window's) are
 * merged by their states, so 1-minute windows roll up to hours.
 * --partial prints the groups as aggregate records, which --merge
 * combines: the same answer as one query over all the stores.
 */
#include <sys/file.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <strings.h>

#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_agg.h"
#include "rta_alloc.h"
#include "rta_cli.h"
#include "rta_cols.h"
#include "rta_cohort.h"
#include "rta_cohort_store.h"
#include "rta_cold.h"
#include "rta_expr.h"
#include "rta_http.h"
#include "rta_json.h"
#include "rta_output.h"
#include "rta_pqrows.h"
#include "rta_prom.h"
#include "rta_qcache.h"
#include "rta_query.h"
#include "rta_reader.h"
#include "rta_rollup.h"
#include "rta_store.h"
#include "rta_time.h"
#include "rta_uuid.h"
#include "rta_value.h"

static const char usage_line[] =
"usage: rta-query [-hV] [-o format] -s dir -d dataset [--agg list]\n"
"                 [--bucket width] [--cold dir] [--explain] [--from time]\n"
"                 [--group-by fields] [--limit n] [--max-groups n]\n"
"                 [--order-by keys] [--partial] [--since duration]\n"
"                 [--tenant id] [--to time] [--where expr]\n"
"       rta-query [-hV] [-o format] -s dir -d dataset --cohort first:field\n"
"                 --cohort-bucket width [--activity types] [--cold dir]\n"
"                 [--explain] [--from time] [--limit n] [--max-groups n]\n"
"                 [--periods n] [--since duration] [--tenant id] [--to time]\n"
"                 [--where expr]\n"
"       rta-query --merge [-hV] [-o format] [--agg list] [--bucket width]\n"
"                 [--from time] [--group-by fields] [--limit n]\n"
"                 [--max-groups n] [--order-by keys] [--partial]\n"
"                 [--since duration] [--to time] [file ...]\n"
"       rta-query --http [-hV] -s dir [--cold dir] [--metrics-file file]\n"
"                 [--rate n] [--rate-state file] [--tokens file]";

enum {
	OPT_AGG = 0x100, OPT_BUCKET, OPT_COLD, OPT_EXPLAIN, OPT_FROM,
	OPT_GROUP_BY, OPT_LIMIT,
	OPT_MAX_GROUPS, OPT_MERGE, OPT_ORDER_BY, OPT_PARTIAL, OPT_SINCE,
	OPT_TENANT, OPT_TO, OPT_WHERE, OPT_HTTP, OPT_TOKENS, OPT_RATE,
	OPT_RATE_STATE, OPT_METRICS_FILE, OPT_COHORT, OPT_COHORT_BUCKET,
	OPT_ACTIVITY, OPT_PERIODS
};

static const struct option longopts[] = {
	{ "activity", required_argument, NULL, OPT_ACTIVITY },
	{ "agg", required_argument, NULL, OPT_AGG },
	{ "bucket", required_argument, NULL, OPT_BUCKET },
	{ "cohort", required_argument, NULL, OPT_COHORT },
	{ "cohort-bucket", required_argument, NULL, OPT_COHORT_BUCKET },
	{ "cold", required_argument, NULL, OPT_COLD },
	{ "dataset", required_argument, NULL, 'd' },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "group-by", required_argument, NULL, OPT_GROUP_BY },
	{ "help", no_argument, NULL, 'h' },
	{ "http", no_argument, NULL, OPT_HTTP },
	{ "limit", required_argument, NULL, OPT_LIMIT },
	{ "max-groups", required_argument, NULL, OPT_MAX_GROUPS },
	{ "merge", no_argument, NULL, OPT_MERGE },
	{ "metrics-file", required_argument, NULL, OPT_METRICS_FILE },
	{ "order-by", required_argument, NULL, OPT_ORDER_BY },
	{ "output", required_argument, NULL, 'o' },
	{ "partial", no_argument, NULL, OPT_PARTIAL },
	{ "periods", required_argument, NULL, OPT_PERIODS },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "rate-state", required_argument, NULL, OPT_RATE_STATE },
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "store", required_argument, NULL, 's' },
	{ "tenant", required_argument, NULL, OPT_TENANT },
	{ "to", required_argument, NULL, OPT_TO },
	{ "tokens", required_argument, NULL, OPT_TOKENS },
	{ "version", no_argument, NULL, 'V' },
	{ "where", required_argument, NULL, OPT_WHERE },
	{ NULL, 0, NULL, 0 }
};

enum outfmt { OUT_AUTO, OUT_NDJSON, OUT_CSV, OUT_TABLE, OUT_RTA };

struct opts {
	const char		*store, *dataset, *tenant, *cold, *tokens;
	const char		*rate_state;
	const char		**mfiles;	/* --metrics-file */
	size_t			 nmfiles;
	double			 rate;		/* requests/s a tenant, 0: none */
	const char		*agg, *by, *order, *where;
	const char		*from, *to, *since;
	int64_t			 bucket;
	uint64_t		 limit;		/* 0: all */
	uint64_t		 max_groups;
	int			 merge, partial, explain, http;
	enum outfmt		 out;
	/* --cohort */
	const char		*cohort, *activity;
	int64_t			 cohort_bucket;
	unsigned		 periods;
	int			 agg_set;
};

/* Where the records read go: a query's groups, or a cohort matrix. */
struct sink {
	struct rta_query	*q;
	struct rta_cohort	*c;
	const struct rta_cohort_spec *cs;
	const char		*activity;	/* as the definitions keep it */
};

static void	help(void);
static int	serve_http(const struct opts *);
static int	row_value(const struct rta_query *, size_t, struct rta_buf *,
		    struct rta_buf *);
static int	row_json(const struct rta_query *, size_t, struct rta_buf *,
		    struct rta_buf *);
static int	query_store(const struct opts *, const struct rta_query_spec *,
		    const struct rta_expr *, struct sink *, int *);
static int	cohort_main(const struct opts *);
static int	csv_field(struct rta_buf *, const char *, size_t);
static int	emit_rows(const struct opts *, const struct rta_query *,
		    const struct rta_query_spec *);

/* A query made from the options: what rta_query and the scan need. */
struct plan {
	struct rta_query_spec	 spec;
	struct rta_agg_spec	*aggs;
	size_t			 naggs;
	struct rta_field	*by;
	size_t			 nby;
	struct rta_query_key	*keys;
	size_t			 nkeys;
	struct rta_expr		*where;
};

static void
plan_release(struct plan *p)
{
	rta_expr_free(p->where);
	rta_free(p->keys);
	rta_agg_specs_free(p->aggs, p->naggs);
	rta_field_list_free(p->by, p->nby);
	memset(p, 0, sizeof(*p));
}

/*
 * The range of o's query at time now into spec (from RTA_TIME_MIN when
 * no start is given): 0, or -1 with why (n bytes) saying what is wrong.
 */
static int
range_make(const struct opts *o, int64_t now, struct rta_query_spec *spec,
    char *why, size_t n)
{
	struct rta_error err;
	int64_t d;

	if (o->since != NULL && o->from != NULL) {
		snprintf(why, n, "--since and --from both give the start");
		return -1;
	}
	if (o->tenant != NULL && !rta_tenant_valid(o->tenant,
	    strlen(o->tenant))) {
		snprintf(why, n, "bad --tenant '%s' (a tenant id the store "
		    "holds: letters, digits, _, - and .)", o->tenant);
		return -1;
	}
	spec->from = RTA_TIME_MIN;
	spec->to = now;
	if (o->since != NULL) {
		if (rta_duration_parse(o->since, &d, &err) != RTA_OK ||
		    d <= 0) {
			snprintf(why, n, "bad --since '%s' (a duration: 15m, "
			    "24h, 7d)", o->since);
			return -1;
		}
		spec->from = now - d;
		spec->to = now;
	}
	if (o->from != NULL && rta_time_parse_arg(o->from, now, &spec->from,
	    &err) != RTA_OK) {
		snprintf(why, n, "bad --from '%s' (%s)", o->from, err.text);
		return -1;
	}
	if (o->to != NULL && rta_time_parse_arg(o->to, now, &spec->to,
	    &err) != RTA_OK) {
		snprintf(why, n, "bad --to '%s' (%s)", o->to, err.text);
		return -1;
	}
	if (spec->from >= spec->to) {
		snprintf(why, n, "the range is empty (--from is not before "
		    "--to)");
		return -1;
	}
	return 0;
}

/*
 * The plan of o's query at time now: 0, or -1 with why (n bytes) saying
 * what is wrong, as a usage error does (nothing then held).
 */
static int
plan_make(const struct opts *o, int64_t now, struct plan *p, char *why,
    size_t n)
{
	struct rta_query_spec *spec = &p->spec;
	struct rta_error err;

	memset(p, 0, sizeof(*p));
	if (range_make(o, now, spec, why, n) != 0)
		return -1;
	spec->bucket = o->bucket;
	spec->max_groups = o->max_groups;
	if (o->bucket == 0 && spec->from == RTA_TIME_MIN) {
		snprintf(why, n, "give the start of the range (--from or "
		    "--since), or --bucket");
		return -1;
	}
	if (rta_agg_parse(o->agg, &p->aggs, &p->naggs, &err) != RTA_OK) {
		snprintf(why, n, "%s", err.text);
		goto fail;
	}
	spec->aggs = p->aggs;
	spec->naggs = p->naggs;
	if (o->by != NULL) {
		if (rta_field_list_parse(o->by, &p->by, &p->nby, &err) !=
		    RTA_OK) {
			snprintf(why, n, "bad --group-by '%s': %s", o->by,
			    err.text);
			goto fail;
		}
		spec->by = p->by;
		spec->nby = p->nby;
	}
	if (o->order != NULL && rta_query_keys_parse(spec, o->order, &p->keys,
	    &p->nkeys, &err) != RTA_OK) {
		snprintf(why, n, "bad --order-by '%s': %s", o->order,
		    err.text);
		goto fail;
	}
	if (o->where != NULL && rta_expr_parse(o->where, &p->where, &err) !=
	    RTA_OK) {
		snprintf(why, n, "bad --where: %s", err.text);
		goto fail;
	}
	return 0;
fail:
	plan_release(p);
	return -1;
}

int
main(int argc, char *argv[])
{
	struct plan pl;
	struct rta_query *q = NULL;
	struct rta_error err;
	struct opts o;
	char why[300];
	int c, rc, status = RTA_EXIT_OK;
	uint64_t v;

	rta_cli_init("rta-query");
	memset(&o, 0, sizeof(o));
	o.agg = "count";
	/* at most one --metrics-file an argument */
	if ((o.mfiles = rta_calloc((size_t)argc, sizeof(*o.mfiles))) == NULL) {
		rta_warnx("out of memory");
		return rta_cli_finish(RTA_EXIT_LIMIT);
	}
	while ((c = getopt_long(argc, argv, ":d:ho:s:V", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'd':
			o.dataset = optarg;
			break;
		case 'h':
			help();
			rta_free(o.mfiles);
			return rta_cli_finish(RTA_EXIT_OK);
		case 'o':
			if (strcmp(optarg, "ndjson") == 0)
				o.out = OUT_NDJSON;
			else if (strcmp(optarg, "csv") == 0)
				o.out = OUT_CSV;
			else if (strcmp(optarg, "table") == 0)
				o.out = OUT_TABLE;
			else if (strcmp(optarg, "rta") == 0)
				o.out = OUT_RTA;
			else
				rta_usage_error(usage_line, "bad -o '%s' (use "
				    "ndjson, csv, table or rta)", optarg);
			break;
		case 's':
			o.store = optarg;
			break;
		case 'V':
			rta_cli_version();
			rta_free(o.mfiles);
			return rta_cli_finish(RTA_EXIT_OK);
		case OPT_AGG:
			o.agg = optarg;
			o.agg_set = 1;
			break;
		case OPT_ACTIVITY:
			o.activity = optarg;
			break;
		case OPT_COHORT:
			o.cohort = optarg;
			break;
		case OPT_COHORT_BUCKET:
			if (rta_duration_parse(optarg, &o.cohort_bucket, &err) !=
			    RTA_OK || o.cohort_bucket < 1000000 ||
			    o.cohort_bucket % 1000000 != 0)
				rta_usage_error(usage_line, "bad --cohort-bucket "
				    "'%s' (whole seconds: 1d, 1w)", optarg);
			break;
		case OPT_PERIODS:
			if (rta_parse_u64(optarg, 1, RTA_COHORT_PERIODS_MAX,
			    &v) != 0)
				rta_usage_error(usage_line, "bad --periods '%s' "
				    "(1 to %d)", optarg, RTA_COHORT_PERIODS_MAX);
			o.periods = (unsigned)v;
			break;
		case OPT_BUCKET:
			if (rta_duration_parse(optarg, &o.bucket, &err) !=
			    RTA_OK || o.bucket <= 0)
				rta_usage_error(usage_line, "bad --bucket '%s' "
				    "(a duration: 5m, 1h, 1d)", optarg);
			break;
		case OPT_COLD:
			o.cold = optarg;
			break;
		case OPT_EXPLAIN:
			o.explain = 1;
			break;
		case OPT_FROM:
			o.from = optarg;
			break;
		case OPT_GROUP_BY:
			o.by = optarg;
			break;
		case OPT_LIMIT:
			if (rta_parse_u64(optarg, 1, UINT64_MAX, &o.limit) !=
			    0)
				rta_usage_error(usage_line, "bad --limit '%s' "
				    "(a number of rows, at least 1)", optarg);
			break;
		case OPT_MAX_GROUPS:
			if (rta_parse_u64(optarg, 1, UINT32_MAX - 1, &v) != 0)
				rta_usage_error(usage_line, "bad --max-groups "
				    "'%s' (1 to %u)", optarg, UINT32_MAX - 1);
			o.max_groups = v;
			break;
		case OPT_MERGE:
			o.merge = 1;
			break;
		case OPT_ORDER_BY:
			o.order = optarg;
			break;
		case OPT_PARTIAL:
			o.partial = 1;
			break;
		case OPT_SINCE:
			o.since = optarg;
			break;
		case OPT_TENANT:
			o.tenant = optarg;
			break;
		case OPT_TO:
			o.to = optarg;
			break;
		case OPT_WHERE:
			o.where = optarg;
			break;
		case OPT_HTTP:
			o.http = 1;
			break;
		case OPT_TOKENS:
			o.tokens = optarg;
			break;
		case OPT_RATE:
			if (rta_parse_double(optarg, 0.001, 1e6, &o.rate) != 0)
				rta_usage_error(usage_line, "bad --rate '%s' "
				    "(requests a second a tenant, 0.001 to "
				    "1000000)", optarg);
			break;
		case OPT_RATE_STATE:
			o.rate_state = optarg;
			break;
		case OPT_METRICS_FILE:
			o.mfiles[o.nmfiles++] = optarg;
			break;
		default:
			rta_cli_bad_option(usage_line, c, argv);
		}
	}
	argc -= optind;
	argv += optind;
	if (o.http) {
		if (o.store == NULL || argc > 0 || o.merge || o.partial ||
		    o.explain)
			rta_usage_error(usage_line, "--http serves the store "
			    "-s names; queries come as requests");
		if ((o.rate > 0) != (o.rate_state != NULL))
			rta_usage_error(usage_line, "--rate and --rate-state go "
			    "together: the state file is shared by the "
			    "connections' processes");
		status = serve_http(&o);
		rta_free(o.mfiles);
		return rta_cli_finish(status);
	}
	if (o.tokens != NULL || o.rate > 0 || o.rate_state != NULL)
		rta_usage_error(usage_line, "--tokens, --rate and --rate-state "
		    "are for --http");
	if (o.cohort == NULL && (o.cohort_bucket != 0 || o.activity != NULL ||
	    o.periods != 0))
		rta_usage_error(usage_line, "--cohort-bucket, --activity and "
		    "--periods are for --cohort");
	if (o.cohort != NULL) {
		if (o.merge || o.partial || o.agg_set || o.by != NULL ||
		    o.bucket != 0 || o.order != NULL || argc > 0)
			rta_usage_error(usage_line, "--cohort makes a retention "
			    "matrix: --merge, --partial, --agg, --group-by, "
			    "--bucket, --order-by and operands are for range "
			    "queries");
		if (o.nmfiles > 0)
			rta_usage_error(usage_line, "--metrics-file is for "
			    "--http");
		if (o.store == NULL || o.dataset == NULL)
			rta_usage_error(usage_line, "-s and -d name the store "
			    "and the dataset of raw events");
		if (o.cohort_bucket == 0)
			rta_usage_error(usage_line, "--cohort needs "
			    "--cohort-bucket (1w: weekly cohorts)");
		rta_free(o.mfiles);
		return rta_cli_finish(cohort_main(&o));
	}
	if (o.nmfiles > 0)
		rta_usage_error(usage_line, "--metrics-file is for --http: its "
		    "files are served on /metrics");
	if (!o.merge && (o.store == NULL || o.dataset == NULL))
		rta_usage_error(usage_line, "-s and -d name the store and "
		    "dataset (or --merge reads results)");
	if (!o.merge && argc > 0)
		rta_usage_error(usage_line, "operands are for --merge");
	if (o.merge && (o.store != NULL || o.dataset != NULL ||
	    o.tenant != NULL || o.where != NULL || o.cold != NULL ||
	    o.explain))
		rta_usage_error(usage_line, "--merge reads partial results: "
		    "-s, -d, --tenant, --where, --cold and --explain are for "
		    "store queries");

	if (plan_make(&o, rta_now(), &pl, why, sizeof(why)) != 0)
		rta_usage_error(usage_line, "%s", why);
	if (o.out == OUT_AUTO)
		o.out = o.partial ? OUT_NDJSON : isatty(STDOUT_FILENO) ?
		    OUT_TABLE : OUT_NDJSON;
	if (o.out == OUT_RTA && !o.partial)
		rta_usage_error(usage_line, "-o rta is for --partial results");
	if (o.partial && (o.out == OUT_CSV || o.out == OUT_TABLE))
		rta_usage_error(usage_line, "--partial results are records: "
		    "-o ndjson or rta");
	if (o.out == OUT_RTA && isatty(STDOUT_FILENO))
		rta_usage_error(usage_line, "not writing rta frames to a "
		    "terminal (redirect stdout, or use -o ndjson)");

	if (rta_query_new(&pl.spec, &q, &err) != RTA_OK)
		rta_usage_error(usage_line, "%s", err.text);
	if (o.merge) {
		struct rta_reader_opts ro;
		struct rta_reader *r;
		struct rta_record rec;
		const struct rta_where *wh;
		int i = 0;

		rta_reader_opts_init(&ro);
		if ((r = rta_reader_new(&ro)) == NULL) {
			rta_warnx("out of memory");
			status = RTA_EXIT_LIMIT;
			goto done;
		}
		do {
			const char *in = argc > 0 ? argv[i] : "-";

			if (rta_reader_open(r, in, &err) != RTA_OK) {
				rta_warnx("%s", err.text);
				rta_cli_status(&status, RTA_EXIT_IO);
				continue;
			}
			while ((rc = rta_reader_next(r, &rec, &err)) !=
			    RTA_EOF) {
				if (rc == RTA_OK && (rc = rta_query_add(q, &rec,
				    &err)) == RTA_OK)
					continue;
				wh = rta_reader_where(r);
				if (rc == RTA_EDATA && err.reason != NULL &&
				    strcmp(err.reason, "bad-aggregate") == 0) {
					/* the query cannot be answered */
					rta_warnx("%s: %s", wh->source,
					    err.text);
					status = RTA_EXIT_DATA;
					rta_reader_free(r);
					goto done;
				}
				if (wh->line > 0)
					rta_warnx("%s:%llu: %s", wh->source,
					    (unsigned long long)wh->line,
					    err.text);
				else
					rta_warnx("%s: offset %llu: %s",
					    wh->source, (unsigned long long)
					    wh->offset, err.text);
				if (rc == RTA_EDATA) {
					rta_cli_status(&status, RTA_EXIT_DATA);
					continue;
				}
				rta_cli_status(&status, rta_exit_code(rc));
				break;
			}
		} while (++i < argc);
		rta_reader_free(r);
	} else {
		struct sink k = { q, NULL, NULL, NULL };

		if ((status = query_store(&o, &pl.spec, pl.where, &k,
		    NULL)) != 0)
			goto done;
	}
	if (o.explain)
		goto done;
	if (rta_query_sort(q, pl.keys, pl.nkeys, &err) != RTA_OK) {
		rta_warnx("%s", err.text);
		status = RTA_EXIT_LIMIT;
		goto done;
	}
	rta_cli_status(&status, emit_rows(&o, q, &pl.spec));
done:
	rta_query_free(q);
	plan_release(&pl);
	rta_free(o.mfiles);
	return rta_cli_finish(status);
}

/* ---- reading the hot and the cold store -------------------------------- */

/* A time range, and what reading it found (for --explain). */
struct span {
	int64_t			 from, to;
	uint64_t		 records;
	uint64_t		 cols;		/* of them read as columns */
	uint64_t		 files, skipped;	/* cold */
};

struct spans {
	struct span		*v;
	size_t			 n, cap;
};

static int
span_add(struct spans *s, int64_t from, int64_t to)
{
	struct span *v;

	if (s->n > 0 && s->v[s->n - 1].to == from) {
		s->v[s->n - 1].to = to;
		return 0;
	}
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 16;

		if ((v = rta_reallocarray(s->v, nc, sizeof(*v))) == NULL)
			return -1;
		s->v = v;
		s->cap = nc;
	}
	s->v[s->n].from = from;
	s->v[s->n].to = to;
	s->v[s->n].records = s->v[s->n].cols = 0;
	s->v[s->n].files = s->v[s->n].skipped = 0;
	s->n++;
	return 0;
}

/* Keep r if the query wants it; RTA_OK or the error. */
static int
take(const struct rta_expr *where, struct sink *k,
    const struct rta_record *r, struct rta_error *err)
{
	if (where != NULL && !rta_expr_match(where, &r->ev))
		return RTA_OK;
	return k->c != NULL ? rta_cohort_add(k->c, r, err) :
	    rta_query_add(k->q, r, err);
}

/* The exit status for err (code rc) of reading the store. */
static int
read_status(int rc, const struct rta_error *err)
{
	if (rc == RTA_EDATA)
		return err->reason != NULL && strcmp(err->reason,
		    "bad-aggregate") == 0 ? RTA_EXIT_DATA : RTA_EXIT_IO;
	return rta_exit_code(rc);
}

/*
 * The cold store's rows of [from, to): the files of those days (and the
 * tenant), each read only for rows inside the range, so that ranges the
 * hot store answered are not counted twice.  0, or an exit status.
 */
static int
read_cold(const struct opts *o, const struct rta_expr *where,
    struct sink *q, struct span *sp, struct rta_buf *explain)
{
	int64_t from = sp->from, to = sp->to;
	struct rta_ndjson_parser np;
	struct rta_record rec;
	struct rta_pqrows *pr;
	struct rta_buf line = RTA_BUF_INIT;
	struct rta_error err;
	char **files;
	size_t nf, i, size;
	uint64_t row, g, r, sk;
	void *map;
	int rc, status = 0;

	rc = rta_cold_files(o->cold, o->dataset, o->tenant, o->tenant != NULL ?
	    strlen(o->tenant) : 0, from, to, &files, &nf, &sk, &err);
	if (rc == RTA_EOF)
		return 0;		/* nothing of the dataset is cold */
	if (rc != RTA_OK) {
		rta_warnx("%s", err.text);
		return rta_exit_code(rc);
	}
	sp->files = nf;
	sp->skipped = sk;
	rta_ndjson_parser_init(&np);
	for (i = 0; i < nf && status == 0; i++) {
		uint64_t before = sp->records;

		if (rta_cold_map(files[i], &map, &size, &err) != RTA_OK) {
			rta_warnx("%s", err.text);
			status = RTA_EXIT_IO;
			break;
		}
		if ((rc = rta_pqrows_open(map, size, files[i], files[i], &pr,
		    &err)) != RTA_OK) {
			rta_warnx("%s", err.text);
			status = RTA_EXIT_IO;
			rta_cold_unmap(map, size);
			break;
		}
		rta_pqrows_range(pr, from, to);
		while ((rc = rta_pqrows_next(pr, &line, &row, &err)) ==
		    RTA_OK) {
			if (rta_buf_reserve(&line, 16) != 0) {
				rc = rta_error_set(&err, RTA_ENOMEM,
				    "no-memory", "out of memory");
				break;
			}
			memset(line.data + line.len, 0, 16);
			if ((rc = rta_ndjson_parse(&np, line.data, line.len,
			    &rec, &err)) != RTA_OK)
				break;
			/* a file of another writer may hold other tenants */
			if (o->tenant != NULL &&
			    (rec.ev.tenant_len != strlen(o->tenant) ||
			    memcmp(rec.ev.tenant, o->tenant,
			    rec.ev.tenant_len) != 0))
				continue;
			sp->records++;
			if ((rc = take(where, q, &rec, &err)) != RTA_OK)
				break;
		}
		if (rc != RTA_EOF) {
			if (err.reason != NULL && strcmp(err.reason,
			    "bad-aggregate") == 0)
				rta_warnx("%s", err.text);
			else
				rta_warnx("%s:%llu: %s", files[i],
				    (unsigned long long)row, err.text);
			status = rc == RTA_EDATA || rc == RTA_EIO ?
			    read_status(RTA_EDATA, &err) : rta_exit_code(rc);
		}
		rta_pqrows_skipped(pr, &g, &r);
		if (o->explain) {
			char tmp[PATH_MAX + 200];
			int tl;

			tl = snprintf(tmp, sizeof(tmp), "  %s: %llu records, "
			    "%llu row groups skipped by their statistics, "
			    "%llu rows outside the range\n", files[i],
			    (unsigned long long)(sp->records - before),
			    (unsigned long long)g, (unsigned long long)r);
			if (tl > 0 && rta_buf_add(explain, tmp,
			    (size_t)tl < sizeof(tmp) ? (size_t)tl :
			    sizeof(tmp) - 1) != 0)
				status = RTA_EXIT_LIMIT;
		}
		rta_pqrows_close(pr);
		rta_cold_unmap(map, size);
	}
	rta_ndjson_parser_release(&np);
	rta_buf_release(&line);
	rta_cold_files_free(files, nf);
	return status;
}

/* Count a record of time ts in its hot span, for --explain. */
static void
span_count(struct spans *hot, int64_t ts, int cols)
{
	size_t k;

	for (k = 0; k < hot->n && ts >= hot->v[k].to; k++)
		;
	if (k < hot->n && ts >= hot->v[k].from) {
		hot->v[k].records++;
		hot->v[k].cols += cols;
	}
}

/*
 * The scan's next record for the caller to take; on the way, for a
 * query with no --where (not a cohort), the blocks whose columns
 * rta_query_add_cols adds as their records would be.  Counts what it
 * read in hot's spans (--explain; NULL: no counting).  RTA_OK (rec
 * set), RTA_EOF, or an error.
 */
static int
next_record(struct rta_scan *sc, const struct rta_expr *where,
    struct sink *k, struct rta_cols *cols, struct spans *hot,
    struct rta_record *rec, struct rta_error *err)
{
	uint32_t i;
	int got, took, rc;

	while (where == NULL && k->c == NULL) {
		if ((rc = rta_scan_cols(sc, cols, &got, err)) != RTA_OK)
			return rc;
		if (!got)
			break;
		if ((rc = rta_query_add_cols(k->q, cols, &took, err)) !=
		    RTA_OK)
			return rc;
		if (!took) {
			rta_scan_reread(sc);
			break;
		}
		for (i = 0; hot != NULL && i < cols->n; i++)
			span_count(hot, rta_cols_ts(cols, i), 1);
	}
	if ((rc = rta_scan_next(sc, rec, err)) == RTA_OK && hot != NULL)
		span_count(hot, rec->ev.ts, 0);
	return rc;
}

/*
 * rta-query --http answers query after query: the store and the datasets
 * it has read stay open between them, each brought to its last commit
 * before it is read again (rta_dataset_refresh: a stat of its two files
 * when nothing changed), with the sealed segments it read kept mapped.
 * The store is opened again if its directory is replaced.
 */
#define HELD_DATASETS	8	/* datasets kept open */
#define HELD_SEGMENTS	64	/* segments kept mapped, a dataset */

static struct {
	int			 on;		/* serve_http sets it */
	int			 open;
	struct rta_store	 s;
	struct {
		struct rta_dataset	 ds;
		int			 open;
		uint64_t		 used;
	} v[HELD_DATASETS];
	uint64_t		 clock;
} held;

static void
held_close(void)
{
	size_t i;

	for (i = 0; i < HELD_DATASETS; i++)
		if (held.v[i].open) {
			rta_dataset_close(&held.v[i].ds);
			held.v[i].open = 0;
		}
	if (held.open)
		rta_store_close(&held.s);
	held.open = 0;
}

/* Open the store at path into *s, or, serving HTTP, the one held open. */
static int
store_get(const char *path, struct rta_store *s, struct rta_store **sp,
    struct rta_error *err)
{
	struct stat a, b;
	int rc;

	if (!held.on) {
		*sp = s;
		return rta_store_open(s, path, err);
	}
	if (held.open && (stat(path, &a) != 0 || fstat(held.s.fd, &b) != 0 ||
	    a.st_dev != b.st_dev || a.st_ino != b.st_ino))
		held_close();
	if (!held.open) {
		if ((rc = rta_store_open(&held.s, path, err)) != RTA_OK)
			return rc;
		held.open = 1;
	}
	*sp = &held.s;
	return RTA_OK;
}

static void
store_put(struct rta_store *s)
{
	if (!held.on)
		rta_store_close(s);
}

/* Open dataset name of store s into *ds, or, serving HTTP, find the one
 * held open and bring it to its last commit: as rta_dataset_open. */
static int
dataset_get(struct rta_store *s, const char *name, struct rta_dataset *ds,
    struct rta_dataset **dsp, struct rta_error *err)
{
	size_t i, slot = HELD_DATASETS;
	int rc, changed;

	if (!held.on) {
		*dsp = ds;
		return rta_dataset_open(s, name, ds, err);
	}
	for (i = 0; i < HELD_DATASETS; i++) {
		if (held.v[i].open && strcmp(held.v[i].ds.name, name) == 0) {
			rc = rta_dataset_refresh(&held.v[i].ds, &changed, err);
			if (rc != RTA_OK) {
				held.v[i].open = 0;	/* closed */
				return rc;
			}
			held.v[i].used = ++held.clock;
			*dsp = &held.v[i].ds;
			return RTA_OK;
		}
		if (slot == HELD_DATASETS || !held.v[i].open ||
		    (held.v[slot].open && held.v[i].used < held.v[slot].used))
			slot = i;
	}
	if (held.v[slot].open) {
		rta_dataset_close(&held.v[slot].ds);
		held.v[slot].open = 0;
	}
	if ((rc = rta_dataset_open(s, name, &held.v[slot].ds, err)) != RTA_OK)
		return rc;
	/* without the segments kept, it is read as a command would */
	(void)rta_dataset_keep(&held.v[slot].ds, HELD_SEGMENTS);
	held.v[slot].open = 1;
	held.v[slot].used = ++held.clock;
	*dsp = &held.v[slot].ds;
	return RTA_OK;
}

static void
dataset_put(struct rta_dataset *ds)
{
	if (!held.on)
		rta_dataset_close(ds);
}

/*
 * Read the range: the hot store's buckets that hold data, and, with
 * --cold, the cold store for the rest of the range (the buckets retain
 * dropped after export).  A time is read from exactly one of them: the
 * hot store where its bucket holds data, else the cold store.  0, or an
 * exit status.
 */
static int
query_store(const struct opts *o, const struct rta_query_spec *spec,
    const struct rta_expr *where, struct sink *q, int *cold_read)
{
	struct spans hot = { NULL, 0, 0 }, cold = { NULL, 0, 0 };
	struct rta_store s_own, *s;
	struct rta_dataset ds_own, *ds = NULL;
	struct rta_scan *sc = NULL;
	struct rta_record rec;
	struct rta_cols cols;
	struct rta_error err;
	int64_t t, b, w, lo, hi, from = spec->from;
	struct rta_buf explain = RTA_BUF_INIT;
	size_t i;
	int rc, status = 0, have = 0;
	char t0[RTA_TIME_LEN + 1], t1[RTA_TIME_LEN + 1];
	char dsname[RTA_STORE_NAME_MAX + 1];

	snprintf(dsname, sizeof(dsname), "%s", o->dataset);
	if ((rc = store_get(o->store, &s_own, &s, &err)) != RTA_OK) {
		rta_warnx("%s", err.text);
		return rc == RTA_EDATA ? RTA_EXIT_IO : rc == RTA_EINVAL ?
		    RTA_EXIT_USAGE : rta_exit_code(rc);
	}
	/* a rollup of the dataset that holds the answer, merged already,
	 * or for a cohort matrix a cohort dataset (whose users' records
	 * lie at their cohorts' starts: only the range's are read) */
	rc = RTA_OK;
	if (q->c != NULL && o->cold == NULL && where == NULL) {
		if ((rc = rta_cohort_choose(s, o->dataset, q->cs->user->text,
		    q->cs->width, q->activity, q->cs->to, dsname,
		    o->explain ? &explain : NULL, &err)) == RTA_OK &&
		    strcmp(dsname, o->dataset) != 0)
			from = q->cs->from;
	} else if (q->c != NULL && o->explain && rta_buf_printf(&explain,
	    "cohort datasets: not read with %s\n", where != NULL ?
	    "--where" : "--cold") != 0)
		rc = rta_error_set(&err, RTA_ENOMEM, "nomem", "out of memory");
	if (q->c != NULL && rc != RTA_OK) {
		rta_warnx("%s", err.text);
		store_put(s);
		rta_buf_release(&explain);
		return rc == RTA_ENOMEM ? RTA_EXIT_LIMIT : RTA_EXIT_IO;
	}
	if (q->c == NULL && o->cold == NULL && (rc = rta_rollup_choose(s,
	    o->dataset, spec->from, spec->to, spec->bucket, dsname,
	    o->explain ? &explain : NULL, &err)) != RTA_OK) {
		rta_warnx("%s", err.text);
		store_put(s);
		rta_buf_release(&explain);
		return rc == RTA_ENOMEM ? RTA_EXIT_LIMIT : RTA_EXIT_IO;
	}
	if (o->explain && explain.len > 0) {
		fwrite(explain.data, 1, explain.len, stdout);
		printf("reading %s\n", dsname);
	}
	rta_buf_reset(&explain);
	rc = dataset_get(s, dsname, &ds_own, &ds, &err);
	if (rc == RTA_EOF && o->cold == NULL) {
		rta_warnx("%s: no dataset '%s'", o->store, o->dataset);
		store_put(s);
		return RTA_EXIT_USAGE;
	}
	if (rc != RTA_OK && rc != RTA_EOF) {
		rta_warnx("%s", err.text);
		store_put(s);
		return rc == RTA_EINVAL ? RTA_EXIT_USAGE : rc == RTA_EDATA ?
		    RTA_EXIT_IO : rta_exit_code(rc);
	}
	have = rc == RTA_OK;
	/* the hot store's buckets in the range that hold data */
	w = have ? ds->c.width : 0;
	for (t = from; have && w > 0 && t < spec->to; t = b + w) {
		b = rta_dataset_next_bucket(ds, t - (t % w + w) % w);
		if (b >= spec->to || b == INT64_MAX)
			break;
		lo = b > from ? b : from;
		hi = b > spec->to - w ? spec->to : b + w;
		if (span_add(&hot, lo, hi) != 0)
			goto nomem;
	}
	/* the rest of the range, for the cold store */
	for (t = from, i = 0; o->cold != NULL && t < spec->to;) {
		hi = i < hot.n ? hot.v[i].from : spec->to;
		if (hi > t && span_add(&cold, t, hi) != 0)
			goto nomem;
		if (i >= hot.n)
			break;
		t = hot.v[i++].to;
	}
	if (have && hot.n > 0) {
		rc = rta_scan_open(ds, o->tenant, o->tenant != NULL ?
		    strlen(o->tenant) : 0, from, spec->to, &sc, &err);
		rta_cols_init(&cols);
		while (rc == RTA_OK && (rc = next_record(sc, where, q, &cols,
		    o->explain ? &hot : NULL, &rec, &err)) == RTA_OK) {
			if ((rc = take(where, q, &rec, &err)) != RTA_OK)
				break;
		}
		rta_cols_release(&cols);
		if (rc != RTA_EOF) {
			rta_warnx("%s", err.text);
			status = read_status(rc, &err);
		}
		rta_scan_close(sc);
	}
	for (i = 0; i < hot.n && o->explain && status == 0; i++) {
		rta_time_format(t0, hot.v[i].from);
		rta_time_format(t1, hot.v[i].to);
		t0[RTA_TIME_LEN] = t1[RTA_TIME_LEN] = '\0';
		printf("hot %s to %s: %llu records", t0, t1,
		    (unsigned long long)hot.v[i].records);
		if (hot.v[i].cols > 0)
			printf(" (%llu read as columns)",
			    (unsigned long long)hot.v[i].cols);
		printf(", from buckets of %llds\n", (long long)(w / 1000000));
	}
	if (cold_read != NULL)
		*cold_read = cold.n > 0;
	for (i = 0; i < cold.n && status == 0; i++) {
		rta_buf_reset(&explain);
		status = read_cold(o, where, q, &cold.v[i], &explain);
		if (!o->explain || status != 0)
			continue;
		rta_time_format(t0, cold.v[i].from);
		rta_time_format(t1, cold.v[i].to);
		t0[RTA_TIME_LEN] = t1[RTA_TIME_LEN] = '\0';
		printf("cold %s to %s: %llu records from %llu files, %llu "
		    "partitions of other tenants or days not opened\n", t0, t1,
		    (unsigned long long)cold.v[i].records,
		    (unsigned long long)cold.v[i].files,
		    (unsigned long long)cold.v[i].skipped);
		fwrite(explain.data, 1, explain.len, stdout);
	}
	if (o->explain && status == 0 && q->c == NULL)
		printf("groups: %zu\n", rta_query_nrows(q->q));
	if (o->explain && status == 0 && q->c != NULL)
		printf("users: %llu\n", (unsigned long long)
		    rta_cohort_counts(q->c)->users);
	goto out;
nomem:
	rta_warnx("out of memory");
	status = RTA_EXIT_LIMIT;
out:
	rta_free(hot.v);
	rta_free(cold.v);
	rta_buf_release(&explain);
	if (have)
		dataset_put(ds);
	store_put(s);
	return status;
}

/* ---- cohorts ------------------------------------------------------------- */

/* A cohort query made from the options. */
struct cplan {
	struct rta_field	 user;
	int			 has_user;
	char			 act[RTA_COHORT_ACTIVITY_MAX + 1];	/* split */
	char			 list[RTA_COHORT_ACTIVITY_MAX + 1];	/* whole */
	char			*types[RTA_COHORT_ACTIVITY_MAX / 2 + 1];
	struct rta_cohort_spec	 cs;
	struct rta_query_spec	 read;		/* what is read */
	struct rta_expr		*where;
};

static void
cplan_release(struct cplan *p)
{
	if (p->has_user)
		rta_field_release(&p->user);
	rta_expr_free(p->where);
	memset(p, 0, sizeof(*p));
}

/*
 * The cohort query of o at time now: 0, or -1 with why (n bytes).  The
 * range is rounded out to whole buckets; users' first events are looked
 * for in everything before its end.
 */
static int
cplan_make(const struct opts *o, int64_t now, struct cplan *p, char *why,
    size_t n)
{
	struct rta_cohort_spec *cs = &p->cs;
	struct rta_error err;
	int64_t w = o->cohort_bucket;

	memset(p, 0, sizeof(*p));
	if (strncmp(o->cohort, "first:", 6) != 0) {
		snprintf(why, n, "bad --cohort '%s' (first:FIELD: users by "
		    "their first event)", o->cohort);
		return -1;
	}
	if (rta_field_parse(&p->user, o->cohort + 6, &err) != RTA_OK) {
		snprintf(why, n, "bad --cohort field: %s", err.text);
		return -1;
	}
	p->has_user = 1;
	if (o->activity != NULL && (strlen(o->activity) >
	    RTA_COHORT_ACTIVITY_MAX || (snprintf(p->act, sizeof(p->act), "%s",
	    o->activity), rta_cohort_activity_order(p->act) != 0))) {
		snprintf(why, n, "bad --activity (event types joined by "
		    "commas, at most %d bytes)", RTA_COHORT_ACTIVITY_MAX);
		goto fail;
	}
	cs->nactivity = rta_cohort_split(p->act, p->types,
	    sizeof(p->types) / sizeof(p->types[0]));
	/* the list as definitions keep it (types point into act) */
	snprintf(p->list, sizeof(p->list), "%s", o->activity != NULL ?
	    o->activity : "");
	(void)rta_cohort_activity_order(p->list);
	if (range_make(o, now, &p->read, why, n) != 0)
		goto fail;
	cs->user = &p->user;
	cs->activity = p->types;
	cs->width = w;
	cs->periods = o->periods ? o->periods : 8;
	cs->max_users = o->max_groups;
	cs->from = p->read.from == RTA_TIME_MIN ? RTA_TIME_MIN :
	    rta_cohort_bucket(p->read.from, w);
	if (cs->from < RTA_TIME_MIN)
		cs->from = RTA_TIME_MIN;
	cs->to = rta_cohort_bucket(p->read.to - 1, w);
	cs->to = cs->to > RTA_TIME_MAX - w ? RTA_TIME_MAX : cs->to + w;
	p->read.from = RTA_TIME_MIN;
	p->read.to = cs->to;
	if (o->where != NULL && rta_expr_parse(o->where, &p->where, &err) !=
	    RTA_OK) {
		snprintf(why, n, "bad --where: %s", err.text);
		goto fail;
	}
	return 0;
fail:
	cplan_release(p);
	return -1;
}

/* Row i as a JSON object. */
static int
cohort_json(const struct rta_cohort *c, size_t i, unsigned periods,
    struct rta_buf *b)
{
	struct rta_cohort_row row;
	char t[RTA_TIME_LEN + 1];
	unsigned k;
	int rc;

	rta_cohort_row(c, i, &row);
	rta_time_format(t, row.start);
	t[RTA_TIME_LEN] = '\0';
	rc = rta_buf_add(b, "{\"tenant_id\":", 13) ||
	    rta_json_put_string(b, row.tenant, row.tlen) ||
	    rta_buf_printf(b, ",\"cohort\":\"%s\",\"users\":%llu,\"periods\":[",
	    t, (unsigned long long)row.users);
	for (k = 1; k <= periods && rc == 0; k++) {
		if (k > 1 && rta_buf_add(b, ",", 1) != 0)
			return -1;
		rc = k <= row.known ? rta_buf_printf(b, "%llu",
		    (unsigned long long)row.active[k]) :
		    rta_buf_add(b, "null", 4);
	}
	return rc || rta_buf_add(b, "]}", 2) ? -1 : 0;
}

/* The matrix on stdout: 0 or an exit status. */
static int
emit_cohort(const struct opts *o, const struct rta_cohort *c,
    unsigned periods)
{
	struct rta_buf b = RTA_BUF_INIT, cells = RTA_BUF_INIT;
	struct rta_cohort_row row;
	size_t nrows = rta_cohort_nrows(c), ncols = 3 + periods, i, j;
	size_t *off = NULL, *width = NULL, w;
	char t[RTA_TIME_LEN + 1];
	unsigned k;
	int status = RTA_EXIT_OK;

	if (o->limit > 0 && o->limit < nrows)
		nrows = (size_t)o->limit;
	if (o->out == OUT_NDJSON) {
		for (i = 0; i < nrows; i++) {
			rta_buf_reset(&b);
			if (cohort_json(c, i, periods, &b) != 0 ||
			    rta_buf_add(&b, "\n", 1) != 0)
				goto nomem;
			if (fwrite(b.data, 1, b.len, stdout) != b.len)
				break;
		}
		goto flush;
	}
	/* CSV and the table: every cell's text first, for the widths */
	if ((off = rta_reallocarray(NULL, (nrows + 1) * ncols + 1,
	    sizeof(*off))) == NULL ||
	    (width = rta_calloc(ncols, sizeof(*width))) == NULL)
		goto nomem;
	off[0] = 0;
	j = 0;
#define CELL(...) do {							\
	if (rta_buf_printf(&cells, __VA_ARGS__) != 0)			\
		goto nomem;						\
	off[++j] = cells.len;						\
} while (0)
	CELL("tenant_id");
	CELL("cohort");
	CELL("users");
	for (k = 1; k <= periods; k++)
		CELL("p%u", k);
	for (i = 0; i < nrows; i++) {
		rta_cohort_row(c, i, &row);
		if (o->out == OUT_CSV) {
			rta_buf_reset(&b);
			if (csv_field(&b, row.tenant, row.tlen) != 0)
				goto nomem;
			CELL("%.*s", (int)b.len, (const char *)b.data);
		} else
			CELL("%.*s", (int)row.tlen, row.tenant);
		rta_time_format(t, row.start);
		t[RTA_TIME_LEN] = '\0';
		CELL("%s", t);
		CELL("%llu", (unsigned long long)row.users);
		for (k = 1; k <= periods; k++)
			if (k <= row.known)
				CELL("%llu", (unsigned long long)
				    row.active[k]);
			else
				CELL("%s", "");
	}
#undef CELL
	for (i = 0; i <= nrows; i++)
		for (j = 0; j < ncols; j++) {
			w = off[i * ncols + j + 1] - off[i * ncols + j];
			width[j] = w > width[j] ? w : width[j];
		}
	for (i = 0; i <= nrows; i++) {
		rta_buf_reset(&b);
		for (j = 0; j < ncols; j++) {
			const char *s = (const char *)cells.data +
			    off[i * ncols + j];

			w = off[i * ncols + j + 1] - off[i * ncols + j];
			if (j > 0 && rta_buf_add(&b, o->out == OUT_CSV ? "," :
			    "  ", o->out == OUT_CSV ? 1 : 2) != 0)
				goto nomem;
			/* counts right-aligned, tenant and cohort left */
			while (o->out == OUT_TABLE && j >= 2 && w < width[j]) {
				if (rta_buf_add(&b, " ", 1) != 0)
					goto nomem;
				w++;
			}
			if (rta_buf_add(&b, s, off[i * ncols + j + 1] -
			    off[i * ncols + j]) != 0)
				goto nomem;
			while (o->out == OUT_TABLE && j < 2 && w++ < width[j])
				if (rta_buf_add(&b, " ", 1) != 0)
					goto nomem;
		}
		while (b.len > 0 && b.data[b.len - 1] == ' ')
			b.len--;
		if (rta_buf_add(&b, "\n", 1) != 0)
			goto nomem;
		if (fwrite(b.data, 1, b.len, stdout) != b.len)
			break;
	}
flush:
	if (fflush(stdout) != 0 || ferror(stdout)) {
		rta_cli_check_pipe(errno);
		rta_warnx("<stdout>: %s", strerror(errno));
		status = RTA_EXIT_IO;
	}
	goto out;
nomem:
	rta_warnx("out of memory");
	status = RTA_EXIT_LIMIT;
out:
	rta_free(off);
	rta_free(width);
	rta_buf_release(&b);
	rta_buf_release(&cells);
	return status;
}

/* rta-query --cohort: 0 or an exit status. */
static int
cohort_main(const struct opts *o)
{
	struct opts oo = *o;
	struct cplan p;
	struct sink k = { NULL, NULL, NULL, NULL };
	struct rta_error err;
	char why[300];
	int status;

	if (cplan_make(o, rta_now(), &p, why, sizeof(why)) != 0)
		rta_usage_error(usage_line, "%s", why);
	if (oo.out == OUT_AUTO)
		oo.out = isatty(STDOUT_FILENO) ? OUT_TABLE : OUT_NDJSON;
	if (oo.out == OUT_RTA)
		rta_usage_error(usage_line, "-o rta is for --partial results");
	if (rta_cohort_new(&p.cs, &k.c, &err) != RTA_OK)
		rta_usage_error(usage_line, "%s", err.text);
	k.cs = &p.cs;
	k.activity = p.list;
	status = query_store(&oo, &p.read, p.where, &k, NULL);
	if (status == 0 && !oo.explain && rta_cohort_rows(k.c, &err) !=
	    RTA_OK) {
		rta_warnx("%s", err.text);
		status = RTA_EXIT_LIMIT;
	}
	if (status == 0 && !oo.explain)
		status = emit_cohort(&oo, k.c, p.cs.periods);
	rta_cohort_free(k.c);
	cplan_release(&p);
	return status;
}

/* ---- HTTP ----------------------------------------------------------------- */

#define TOKENS_LINE_MAX	65536

/* A bearer token, by its SHA-256, and the tenants it may read. */
struct token {
	unsigned char		 hash[SHA256_DIGEST_SIZE];
	int			 all;		/* "*": every tenant */
	char			*tenants;	/* "a,b,c" */
};

struct tokens {
	struct token		*v;
	size_t			 n;
};

static void
tokens_free(struct tokens *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		rta_free(t->v[i].tenants);
	rta_free(t->v);
	t->v = NULL;
	t->n = 0;
}

static int
hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ?
	    c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/*
 * Load the tokens file: one token a line, the SHA-256 of the token in
 * hex, blanks, then "*" or its tenants separated by commas; # starts a
 * comment.  0, or -1 with a message printed (path:line: what).
 */
static int
tokens_load(const char *path, struct tokens *t)
{
	FILE *fp;
	char *line = NULL, *p, *q, *e;
	size_t cap = 0, ln = 0, i;
	ssize_t len;
	struct token *nv, tok;
	int hi, lo;

	t->v = NULL;
	t->n = 0;
	if ((fp = fopen(path, "r")) == NULL) {
		rta_warnx("%s: %s", path, strerror(errno));
		return -1;
	}
	while ((len = getline(&line, &cap, fp)) >= 0) {
		ln++;
		if (len > TOKENS_LINE_MAX) {
			rta_warnx("%s:%zu: line longer than %d bytes", path,
			    ln, TOKENS_LINE_MAX);
			goto fail;
		}
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		for (e = p + strlen(p); e > p && (e[-1] == '\n' ||
		    e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'); e--)
			;
		*e = '\0';
		if (*p == '\0')
			continue;
		memset(&tok, 0, sizeof(tok));
		for (i = 0; i < SHA256_DIGEST_SIZE; i++) {
			if ((hi = hexval(p[2 * i])) < 0 ||
			    (lo = hexval(p[2 * i + 1])) < 0)
				break;
			tok.hash[i] = (unsigned char)(hi << 4 | lo);
		}
		q = p + 2 * i;
		if (i < SHA256_DIGEST_SIZE || (*q != ' ' && *q != '\t')) {
			rta_warnx("%s:%zu: expected the token's SHA-256 in "
			    "hex (64 digits), then its tenants", path, ln);
			goto fail;
		}
		while (*q == ' ' || *q == '\t')
			q++;
		if (strcmp(q, "*") == 0)
			tok.all = 1;
		else {
			for (p = q; *p != '\0'; p = e + (*e == ',')) {
				e = strchr(p, ',');
				if (e == NULL)
					e = p + strlen(p);
				if (!rta_tenant_valid(p, (size_t)(e - p))) {
					rta_warnx("%s:%zu: bad tenant id '%.*s'",
					    path, ln, (int)(e - p), p);
					goto fail;
				}
			}
			if ((tok.tenants = rta_memdup(q, strlen(q) + 1)) ==
			    NULL)
				goto nomem;
		}
		if ((nv = rta_reallocarray(t->v, t->n + 1,
		    sizeof(*nv))) == NULL) {
			rta_free(tok.tenants);
			goto nomem;
		}
		t->v = nv;
		t->v[t->n++] = tok;
	}
	if (ferror(fp)) {
		rta_warnx("%s: %s", path, strerror(errno));
		goto fail;
	}
	free(line);
	fclose(fp);
	return 0;
nomem:
	rta_warnx("out of memory");
fail:
	free(line);
	fclose(fp);
	tokens_free(t);
	return -1;
}

/* The token of an "Authorization: Bearer X" header, or NULL. */
static const struct token *
tokens_find(const struct tokens *t, const char *auth)
{
	struct sha256_ctx ctx;
	unsigned char h[SHA256_DIGEST_SIZE];
	size_t i;

	if (auth == NULL || strncasecmp(auth, "Bearer ", 7) != 0)
		return NULL;
	auth += 7;
	while (*auth == ' ')
		auth++;
	if (*auth == '\0')
		return NULL;
	sha256_init(&ctx);
	sha256_update(&ctx, strlen(auth), (const uint8_t *)auth);
	sha256_digest(&ctx, sizeof(h), h);
	for (i = 0; i < t->n; i++)
		if (memcmp(t->v[i].hash, h, sizeof(h)) == 0)
			return &t->v[i];
	return NULL;
}

#define RATE_FILE_MAX	(1U << 20)	/* the state file read at most */
#define RATE_KEY_MAX	80

/*
 * Take one request from key's bucket in the state file shared by every
 * connection's process (flock): a token bucket of rate tokens a second,
 * holding at most max(rate, 1).  1 when the request may go, 0 when the
 * bucket is empty (429), -1 when the file cannot be used (the request
 * is refused then too: a limit that cannot be kept is not kept open).
 * The file holds one line a key: key, tokens, time of the last update
 * (µs); keys idle for an hour are dropped.
 */
static int
rate_take(const char *path, double rate, const char *key)
{
	struct rta_buf in = RTA_BUF_INIT, out = RTA_BUF_INIT;
	double burst = rate > 1 ? rate : 1, tokens = burst, t;
	int64_t now = rta_now(), last;
	char k[RATE_KEY_MAX + 1], line[RATE_KEY_MAX + 64];
	int fd, ok = -1, nl;
	ssize_t r;
	char *p, *e;

	if ((fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	    0600)) < 0) {
		rta_warnx("%s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX) != 0 || rta_buf_reserve(&in, 65536) != 0)
		goto out;
	while ((r = read(fd, in.data + in.len, in.cap - in.len - 1)) > 0) {
		in.len += (size_t)r;
		if (in.len >= RATE_FILE_MAX)
			break;
		if (in.cap - in.len < 4096 &&
		    rta_buf_reserve(&in, in.cap) != 0)
			goto out;
	}
	if (r < 0)
		goto out;
	in.data[in.len] = '\0';
	for (p = (char *)in.data; *p != '\0'; p = e + (*e == '\n')) {
		e = strchr(p, '\n');
		if (e == NULL)
			e = p + strlen(p);
		if (sscanf(p, "%80s %lf %" SCNd64, k, &t, &last) != 3 ||
		    !(t >= 0) || (last <= now &&
		    now - last > INT64_C(3600000000)))
			continue;
		if (strcmp(k, key) == 0) {
			/* refill since the last request (none if the clock
			 * went back), then take one */
			tokens = t + (last < now ? (double)(now - last) / 1e6 *
			    rate : 0);
			tokens = tokens > burst ? burst : tokens;
			continue;
		}
		if (rta_buf_add(&out, p, (size_t)(e - p)) != 0 ||
		    rta_buf_add(&out, "\n", 1) != 0)
			goto out;
	}
	ok = tokens >= 1;
	if (ok)
		tokens -= 1;
	nl = snprintf(line, sizeof(line), "%s %.6f %" PRId64 "\n", key,
	    tokens, now);
	if (nl < 0 || (size_t)nl >= sizeof(line) ||
	    rta_buf_add(&out, line, (size_t)nl) != 0 ||
	    ftruncate(fd, 0) != 0 || pwrite(fd, out.data, out.len, 0) !=
	    (ssize_t)out.len)
		ok = -1;
out:
	if (ok < 0)
		rta_warnx("%s: the rate state cannot be kept", path);
	close(fd);		/* releases the lock */
	rta_buf_release(&in);
	rta_buf_release(&out);
	return ok;
}

/* Whether tok may read tenant. */
static int
token_allows(const struct token *tok, const char *tenant)
{
	const char *p, *e;
	size_t len = strlen(tenant);

	if (tok == NULL || tok->all)
		return 1;
	for (p = tok->tenants; *p != '\0'; p = e + (*e == ',')) {
		e = strchr(p, ',');
		if (e == NULL)
			e = p + strlen(p);
		if ((size_t)(e - p) == len && memcmp(p, tenant, len) == 0)
			return 1;
	}
	return 0;
}

/* Answer status with {"error":why,"status":status}. */
static int
http_fail(struct rta_http_conn *c, int status, const char *why)
{
	struct rta_buf b = RTA_BUF_INIT;
	char tail[32];
	int rc;

	snprintf(tail, sizeof(tail), ",\"status\":%d}\n", status);
	if (rta_buf_add(&b, "{\"error\":", 9) != 0 ||
	    rta_json_put_string(&b, why, strlen(why)) != 0 ||
	    rta_buf_add(&b, tail, strlen(tail)) != 0) {
		rta_buf_release(&b);
		return rta_http_error(c, 500, NULL);
	}
	rc = rta_http_respond(c, status, "application/json", b.data, b.len,
	    NULL, 0, NULL);
	rta_buf_release(&b);
	return rc;
}

static int
http_json(struct rta_http_conn *c, const struct rta_buf *b)
{
	return rta_http_respond(c, 200, "application/json", b->data, b->len,
	    NULL, 0, NULL);
}

/* The query parameters the API takes, and the options they set. */
enum {
	P_DATASET, P_TENANT, P_FROM, P_TO, P_SINCE, P_WHERE, P_GROUP_BY,
	P_BUCKET, P_AGG, P_ORDER_BY, P_LIMIT, P_MAX_GROUPS, P_N
};
static const char *const pnames[P_N] = {
	"dataset", "tenant", "from", "to", "since", "where", "group_by",
	"bucket", "agg", "order_by", "limit", "max_groups"
};

/*
 * The near-cache's key of a query: the parameters that shape the answer,
 * with the range as resolved (since=24h asked twice a second apart is
 * two ranges).  The token is not in it: it was checked against the
 * tenant before, and the answer depends on the query alone.
 */
static int
cache_key(struct rta_buf *key, const struct rta_buf *v, const int *has,
    const struct opts *o, const struct rta_query_spec *spec)
{
	static const int text[] = {
		P_DATASET, P_TENANT, P_WHERE, P_GROUP_BY, P_AGG, P_ORDER_BY
	};
	int64_t num[5];
	size_t i;
	unsigned char flag;

	rta_buf_reset(key);
	for (i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		flag = has[text[i]] != 0;
		if (rta_buf_add(key, &flag, 1) != 0 || (flag &&
		    rta_buf_add(key, v[text[i]].data, v[text[i]].len + 1) != 0))
			return -1;
	}
	num[0] = spec->from;
	num[1] = spec->to;
	num[2] = o->bucket;
	num[3] = (int64_t)o->limit;
	num[4] = (int64_t)o->max_groups;
	return rta_buf_add(key, num, sizeof(num));
}

/*
 * Whether a request names a dataset and a tenant its token may read: 1,
 * or 0 with the 400 or 403 answered (*rc its result).  A token of some
 * tenants reads one of them at a time.
 */
static int
http_scoped(struct rta_http_conn *c, const struct opts *o,
    const struct token *tok, int *rc)
{
	if (o->dataset == NULL || !rta_store_name_valid(o->dataset)) {
		*rc = http_fail(c, 400, "dataset: a dataset name is needed");
		return 0;
	}
	if (tok != NULL && !tok->all && (o->tenant == NULL ||
	    !token_allows(tok, o->tenant))) {
		*rc = http_fail(c, 403, o->tenant == NULL ? "tenant: name one "
		    "of the tenants your token may read" : "tenant: not one "
		    "your token may read");
		return 0;
	}
	return 1;
}

/* The answer to a query the store could not answer (exit status). */
static int
http_read_fail(struct rta_http_conn *c, int status)
{
	return http_fail(c, status == RTA_EXIT_USAGE ? 404 :
	    status == RTA_EXIT_IO ? 500 : 422, status == RTA_EXIT_USAGE ?
	    "no such dataset" : status == RTA_EXIT_IO ? "the store cannot be "
	    "read" : status == RTA_EXIT_DATA ? "the stored records cannot "
	    "answer the query" : "the query is too large");
}

/*
 * GET /v1/query?dataset=…&from=…: the rows as {"rows":[…]}, from the
 * near-cache when the dataset has not committed since the same query.
 */
static int
http_query(struct rta_http_conn *c, const struct rta_http_request *req,
    const struct opts *base, const struct token *tok, struct rta_qcache *qc)
{
	struct rta_buf v[P_N], b = RTA_BUF_INIT;
	struct rta_buf scratch = RTA_BUF_INIT, key = RTA_BUF_INIT;
	struct rta_qcache_stamp stamp;
	const struct rta_buf *hit;
	struct opts o = *base;
	struct plan pl;
	struct rta_query *q = NULL;
	struct rta_error err;
	char why[300];
	size_t i, nrows;
	int has[P_N], rc = RTA_OK, status, cacheable, cold_read = 0;

	for (i = 0; i < P_N; i++) {
		rta_buf_init(&v[i]);
		if ((has[i] = rta_http_query_param(req, pnames[i], &v[i])) < 0)
			goto nomem;
	}
#define PARAM(k) (has[k] ? (const char *)v[k].data : NULL)
	o.dataset = PARAM(P_DATASET);
	o.tenant = PARAM(P_TENANT);
	o.from = PARAM(P_FROM);
	o.to = PARAM(P_TO);
	o.since = PARAM(P_SINCE);
	o.where = PARAM(P_WHERE);
	o.by = PARAM(P_GROUP_BY);
	o.order = PARAM(P_ORDER_BY);
	o.agg = has[P_AGG] ? (const char *)v[P_AGG].data : "count";
	o.explain = 0;
	o.bucket = 0;
	o.limit = 0;
	o.max_groups = 0;
#undef PARAM
	if (!http_scoped(c, &o, tok, &rc))
		goto out;
	if (has[P_BUCKET] && (rta_duration_parse((const char *)
	    v[P_BUCKET].data, &o.bucket, &err) != RTA_OK || o.bucket <= 0)) {
		rc = http_fail(c, 400, "bucket: a duration (5m, 1h, 1d)");
		goto out;
	}
	if ((has[P_LIMIT] && rta_parse_u64((const char *)v[P_LIMIT].data, 1,
	    UINT64_MAX, &o.limit) != 0) || (has[P_MAX_GROUPS] &&
	    rta_parse_u64((const char *)v[P_MAX_GROUPS].data, 1,
	    UINT32_MAX - 1, &o.max_groups) != 0)) {
		rc = http_fail(c, 400, "limit and max_groups: numbers from 1");
		goto out;
	}
	if (plan_make(&o, rta_now(), &pl, why, sizeof(why)) != 0) {
		rc = http_fail(c, 400, why);
		goto out;
	}
	/* the stamp before the query: a commit during it makes it stale */
	cacheable = rta_qcache_stamp(o.store, o.dataset, &stamp) == 0;
	if (cacheable && cache_key(&key, v, has, &o, &pl.spec) != 0) {
		plan_release(&pl);
		goto nomem;
	}
	if (cacheable && (hit = rta_qcache_get(qc, key.data, key.len,
	    &stamp)) != NULL) {
		plan_release(&pl);
		rc = http_json(c, hit);
		goto out;
	}
	if (rta_query_new(&pl.spec, &q, &err) != RTA_OK) {
		plan_release(&pl);
		rc = http_fail(c, 400, err.text);
		goto out;
	}
	{
		struct sink k = { q, NULL, NULL, NULL };

		status = query_store(&o, &pl.spec, pl.where, &k, &cold_read);
	}
	if (status == 0 && rta_query_sort(q, pl.keys, pl.nkeys, &err) !=
	    RTA_OK)
		status = RTA_EXIT_LIMIT;
	if (status != 0) {
		rc = http_read_fail(c, status);
		goto done;
	}
	nrows = rta_query_nrows(q);
	if (o.limit > 0 && o.limit < nrows)
		nrows = (size_t)o.limit;
	if (rta_buf_add(&b, "{\"rows\":[", 9) != 0)
		goto nomem_q;
	for (i = 0; i < nrows; i++)
		if ((i > 0 && rta_buf_addc(&b, ',') != 0) ||
		    row_json(q, i, &b, &scratch) != 0)
			goto nomem_q;
	if (rta_buf_add(&b, "]}\n", 3) != 0)
		goto nomem_q;
	/* a failure to keep it costs only a later miss */
	if (cacheable && !cold_read)
		(void)rta_qcache_put(qc, key.data, key.len, &stamp, b.data,
		    b.len);
	rc = http_json(c, &b);
done:
	rta_query_free(q);
	plan_release(&pl);
	goto out;
nomem_q:
	rta_query_free(q);
	plan_release(&pl);
nomem:
	rc = rta_http_error(c, 500, NULL);
out:
	for (i = 0; i < P_N; i++)
		rta_buf_release(&v[i]);
	rta_buf_release(&b);
	rta_buf_release(&scratch);
	rta_buf_release(&key);
	return rc;
}

/*
 * GET /v1/cohort?dataset=…&user=payload.user_id&bucket=1w&activity=…:
 * the retention matrix as {"rows":[…]}, as --cohort prints it.
 */
static int
http_cohort(struct rta_http_conn *c, const struct rta_http_request *req,
    const struct opts *base, const struct token *tok)
{
	static const char *const names[] = { "dataset", "tenant", "from",
	    "to", "since", "where", "user", "bucket", "activity", "periods" };
	enum { N = sizeof(names) / sizeof(names[0]) };
	struct rta_buf v[N], b = RTA_BUF_INIT;
	struct opts o = *base;
	struct cplan p;
	struct sink k = { NULL, NULL, NULL, NULL };
	struct rta_error err;
	char why[300], cohort[RTA_COHORT_FIELD_MAX + 8];
	uint64_t periods = 8;
	size_t i;
	int has[N], rc = RTA_OK, status;

	for (i = 0; i < N; i++) {
		rta_buf_init(&v[i]);
		if ((has[i] = rta_http_query_param(req, names[i], &v[i])) < 0)
			goto nomem;
	}
#define PARAM(i) (has[i] ? (const char *)v[i].data : NULL)
	o.dataset = PARAM(0);
	o.tenant = PARAM(1);
	o.from = PARAM(2);
	o.to = PARAM(3);
	o.since = PARAM(4);
	o.where = PARAM(5);
	o.activity = PARAM(8);
	o.explain = 0;
	o.limit = 0;
	o.max_groups = 0;
	o.cohort_bucket = 7 * 86400 * INT64_C(1000000);
	snprintf(cohort, sizeof(cohort), "first:%s", has[6] ? PARAM(6) :
	    "payload.user_id");
	o.cohort = cohort;
#undef PARAM
	if (!http_scoped(c, &o, tok, &rc))
		goto out;
	if ((has[6] && v[6].len > RTA_COHORT_FIELD_MAX) ||
	    (has[7] && (rta_duration_parse((const char *)v[7].data,
	    &o.cohort_bucket, &err) != RTA_OK || o.cohort_bucket < 1000000 ||
	    o.cohort_bucket % 1000000 != 0)) || (has[9] &&
	    rta_parse_u64((const char *)v[9].data, 1, RTA_COHORT_PERIODS_MAX,
	    &periods) != 0)) {
		rc = http_fail(c, 400, "user: a field; bucket: whole seconds "
		    "(1d, 1w); periods: 1 to 127");
		goto out;
	}
	o.periods = (unsigned)periods;
	if (cplan_make(&o, rta_now(), &p, why, sizeof(why)) != 0) {
		rc = http_fail(c, 400, why);
		goto out;
	}
	if (rta_cohort_new(&p.cs, &k.c, &err) != RTA_OK) {
		cplan_release(&p);
		rc = http_fail(c, 400, err.text);
		goto out;
	}
	k.cs = &p.cs;
	k.activity = p.list;
	status = query_store(&o, &p.read, p.where, &k, NULL);
	if (status == 0 && rta_cohort_rows(k.c, &err) != RTA_OK)
		status = RTA_EXIT_LIMIT;
	if (status != 0) {
		rc = http_read_fail(c, status);
		goto done;
	}
	if (rta_buf_add(&b, "{\"rows\":[", 9) != 0)
		goto nomem_c;
	for (i = 0; i < rta_cohort_nrows(k.c); i++)
		if ((i > 0 && rta_buf_add(&b, ",", 1) != 0) ||
		    cohort_json(k.c, i, p.cs.periods, &b) != 0)
			goto nomem_c;
	if (rta_buf_add(&b, "]}\n", 3) != 0)
		goto nomem_c;
	rc = http_json(c, &b);
done:
	rta_cohort_free(k.c);
	cplan_release(&p);
	goto out;
nomem_c:
	rta_cohort_free(k.c);
	cplan_release(&p);
nomem:
	rc = rta_http_error(c, 500, NULL);
out:
	for (i = 0; i < N; i++)
		rta_buf_release(&v[i]);
	rta_buf_release(&b);
	return rc;
}

/* GET /v1/datasets: [{"name":…,"kind":…}]; GET /v1/tenants?dataset=… */
static int
http_list(struct rta_http_conn *c, const struct rta_http_request *req,
    const struct opts *base, int tenants, const struct token *tok)
{
	size_t nout = 0;
	struct rta_buf b = RTA_BUF_INIT, name = RTA_BUF_INIT;
	struct rta_store s;
	struct rta_dataset ds;
	struct rta_error err;
	char **names = NULL;
	size_t n = 0, i;
	int rc, dsrc;
	const char *k;

	if ((rc = rta_store_open(&s, base->store, &err)) != RTA_OK) {
		rta_warnx("%s", err.text);
		return http_fail(c, 500, "the store cannot be read");
	}
	if (tenants) {
		if (rta_http_query_param(req, "dataset", &name) != 1 ||
		    !rta_store_name_valid((const char *)name.data)) {
			rta_store_close(&s);
			rta_buf_release(&name);
			return http_fail(c, 400, "dataset: a dataset name is "
			    "needed");
		}
		dsrc = rta_dataset_open(&s, (const char *)name.data, &ds,
		    &err);
		rta_buf_release(&name);
		if (dsrc != RTA_OK) {
			rta_store_close(&s);
			return http_fail(c, dsrc == RTA_EOF ? 404 : 500,
			    dsrc == RTA_EOF ? "no such dataset" :
			    "the store cannot be read");
		}
		rc = rta_dataset_tenants(&ds, &names, &n, &err);
		rta_dataset_close(&ds);
	} else
		rc = rta_store_datasets(&s, &names, &n, &err);
	if (rc != RTA_OK) {
		rta_warnx("%s", err.text);
		rta_store_close(&s);
		return http_fail(c, 500, "the store cannot be read");
	}
	rc = rta_buf_add(&b, "[", 1);
	for (i = 0; i < n && rc == 0; i++) {
		/* only the tenants the token may read */
		if (tenants && !token_allows(tok, names[i]))
			continue;
		rc = (nout++ > 0 && rta_buf_add(&b, ",", 1)) ||
		    (!tenants && rta_buf_add(&b, "{\"name\":", 8)) ||
		    rta_json_put_string(&b, names[i], strlen(names[i]));
		if (rc == 0 && !tenants) {
			k = "unknown";
			if (rta_dataset_open(&s, names[i], &ds, &err) ==
			    RTA_OK) {
				k = rta_ds_kind_name(ds.c.kind);
				rta_dataset_close(&ds);
			}
			rc = rta_buf_add(&b, ",\"kind\":", 8) ||
			    rta_json_put_string(&b, k, strlen(k)) ||
			    rta_buf_add(&b, "}", 1);
		}
	}
	if (rc == 0)
		rc = rta_buf_add(&b, "]\n", 2);
	rta_store_names_free(names, n);
	rta_store_close(&s);
	rc = rc != 0 ? rta_http_error(c, 500, NULL) : http_json(c, &b);
	rta_buf_release(&b);
	return rc;
}

/*
 * The rate limit's key of a request: its tenant parameter when it is a
 * valid tenant id the token may read, else the token (a prefix of its
 * hash), else "-".  A tenant the token may not read is not charged, or
 * one tenant's client could spend another's requests.
 */
static const char *
rate_key(const struct rta_http_request *req, const struct token *tok,
    char *key)
{
	struct rta_buf v = RTA_BUF_INIT;
	size_t i;

	strcpy(key, "-");
	if (rta_http_query_param(req, "tenant", &v) == 1 &&
	    rta_tenant_valid((const char *)v.data, v.len) &&
	    token_allows(tok, (const char *)v.data))
		snprintf(key, RATE_KEY_MAX + 1, "t:%s",
		    (const char *)v.data);
	else if (tok != NULL) {
		strcpy(key, "k:");
		for (i = 0; i < 8; i++)
			snprintf(key + 2 + 2 * i, 3, "%02x", tok->hash[i]);
	}
	rta_buf_release(&v);
	return key;
}

/*
 * GET /metrics: the store's stats and the --metrics-file files, merged
 * into one text in the Prometheus format (rta_prom.h says how; a file
 * that cannot be read is a series saying so, never a failed answer).
 * The stages count events per tenant, so only a token for every tenant
 * may read it.
 */
static int
http_metrics(struct rta_http_conn *c, const struct opts *o,
    const struct token *tok)
{
	struct rta_buf own = RTA_BUF_INIT, b = RTA_BUF_INIT;
	struct rta_error err;
	struct rta_prom *p;
	size_t i;
	int rc;

	if (tok != NULL && !tok->all)
		return http_fail(c, 403, "metrics: they count every tenant; "
		    "a token for all (*) is needed");
	if ((p = rta_prom_new()) == NULL)
		return rta_http_error(c, 500, NULL);
	rc = rta_store_stats_prom(o->store, rta_now(), &own, &err);
	if (rc == RTA_OK)
		rc = rta_prom_add(p, NULL, own.data, own.len, NULL);
	for (i = 0; i < o->nmfiles && rc == RTA_OK; i++)
		rc = rta_prom_add_file(p, o->mfiles[i], RTA_PROM_FILE_MAX);
	if (rc == RTA_OK)
		rc = rta_prom_format(p, &b);
	rta_prom_free(p);
	rc = rc != RTA_OK ? rta_http_error(c, 500, NULL) :
	    rta_http_respond(c, 200, "text/plain; version=0.0.4; "
	    "charset=utf-8", b.data, b.len, NULL, 0, NULL);
	rta_buf_release(&own);
	rta_buf_release(&b);
	return rc;
}

/* The dashboard page, made from cmd/rta-query-dashboard.html by make. */
extern const unsigned char rta_dashboard_html[];
extern const size_t rta_dashboard_html_len;

/*
 * GET /: the dashboard.  It holds no data (its script asks the API, with
 * the token the user gives it), so it needs no token itself; the policy
 * lets it run its own inline script and style and talk to this origin
 * only, and no other site may frame it.
 */
static int
http_page(struct rta_http_conn *c)
{
	static const struct rta_http_header h[] = {
		{ "Content-Security-Policy", "default-src 'none'; "
		    "script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
		    "connect-src 'self'; img-src data:; base-uri 'none'; "
		    "form-action 'none'; frame-ancestors 'none'" },
		{ "X-Content-Type-Options", "nosniff" },
		{ "Referrer-Policy", "no-referrer" },
		{ "Cache-Control", "no-cache" },
	};

	return rta_http_respond(c, 200, "text/html; charset=utf-8",
	    rta_dashboard_html, rta_dashboard_html_len, h,
	    sizeof(h) / sizeof(h[0]), NULL);
}

/* Whether path is open without a token: the health check and the page. */
static int
open_path(const char *path)
{
	return strcmp(path, "/healthz") == 0 || strcmp(path, "/") == 0;
}

/*
 * One connection on stdin and stdout (socat ... fork EXEC:), request
 * after request until the client goes or a request is malformed.
 */
static int
serve_http(const struct opts *o)
{
	struct rta_http_conn c;
	struct rta_http_request req;
	struct rta_error err;
	struct tokens toks = { NULL, 0 };
	const struct token *tok = NULL;
	static const char ok[] = "{\"status\":\"ok\"}\n";
	static const struct rta_http_header bearer = {
		"WWW-Authenticate", "Bearer"
	};
	char key[RATE_KEY_MAX + 1];
	struct rta_qcache *qc;
	int rc;

	if (o->tokens != NULL && tokens_load(o->tokens, &toks) != 0)
		return RTA_EXIT_USAGE;
	if ((qc = rta_malloc(sizeof(*qc))) == NULL) {
		rta_warnx("out of memory");
		tokens_free(&toks);
		return RTA_EXIT_LIMIT;
	}
	rta_qcache_init(qc);
	held.on = 1;
	if (rta_http_conn_init(&c, STDIN_FILENO, STDOUT_FILENO, NULL,
	    &err) != RTA_OK) {
		rta_warnx("%s", err.text);
		tokens_free(&toks);
		rta_free(qc);
		return rta_exit_code(err.code);
	}
	while ((rc = rta_http_read(&c, &req, &err)) == RTA_OK) {
		if (o->tokens != NULL && !open_path(req.path) &&
		    (tok = tokens_find(&toks, rta_http_header(&req,
		    "Authorization"))) == NULL) {
			static const char body[] =
			    "{\"error\":\"Unauthorized\",\"status\":401}\n";

			rc = rta_http_respond(&c, 401, "application/json",
			    body, sizeof(body) - 1, &bearer, 1, NULL);
		} else if (rta_http_query_repeated(&req))
			rc = http_fail(&c, 400, "a parameter is given twice");
		else if (o->rate > 0 && !open_path(req.path) &&
		    rate_take(o->rate_state, o->rate, rate_key(&req, tok,
		    key)) != 1)
			rc = rta_http_error(&c, 429, NULL);
		else if (req.method == RTA_HTTP_POST)
			rc = rta_http_error(&c, 405, NULL);
		else if (strcmp(req.path, "/healthz") == 0)
			rc = rta_http_respond(&c, 200, "application/json", ok,
			    sizeof(ok) - 1, NULL, 0, NULL);
		else if (strcmp(req.path, "/") == 0)
			rc = http_page(&c);
		else if (strcmp(req.path, "/v1/query") == 0)
			rc = http_query(&c, &req, o, tok, qc);
		else if (strcmp(req.path, "/v1/cohort") == 0)
			rc = http_cohort(&c, &req, o, tok);
		else if (strcmp(req.path, "/v1/datasets") == 0)
			rc = http_list(&c, &req, o, 0, tok);
		else if (strcmp(req.path, "/v1/tenants") == 0)
			rc = http_list(&c, &req, o, 1, tok);
		else if (strcmp(req.path, "/metrics") == 0)
			rc = http_metrics(&c, o, tok);
		else
			rc = rta_http_error(&c, 404, NULL);
		if (rc != RTA_OK)
			break;
	}
	if (rc != RTA_OK && rc != RTA_EOF && c.status != 0)
		(void)rta_http_error(&c, c.status, NULL);
	rta_http_conn_release(&c);
	tokens_free(&toks);
	rta_qcache_release(qc);
	rta_free(qc);
	held_close();
	return RTA_EXIT_OK;
}

/* ---- output ------------------------------------------------------------- */

/* Append a time as a string value. */
static int
put_time(struct rta_buf *b, int64_t t)
{
	char s[RTA_TIME_LEN];

	rta_time_format(s, t);
	return rta_venc_string(b, s, RTA_TIME_LEN);
}

/* Append the members of object value obj to the object being built. */
static int
put_members(struct rta_buf *b, const unsigned char *obj, uint32_t *n)
{
	struct rta_viter it;
	const unsigned char *v;
	const char *k;
	size_t klen;

	rta_viter_init(&it, obj);
	while (rta_viter_member(&it, &k, &klen, &v)) {
		if (rta_venc_key(b, k, klen) != 0 ||
		    rta_buf_add(b, v, rta_value_size(v)) != 0)
			return -1;
		(*n)++;
	}
	return 0;
}

/*
 * Row i as one object value in b: start and end of its bucket, its
 * group's values, its results.
 */
static int
row_value(const struct rta_query *q, size_t i, struct rta_buf *b,
    struct rta_buf *tmp)
{
	struct rta_query_row row;
	size_t off;
	uint32_t n = 2;

	rta_query_row(q, i, &row);
	rta_buf_reset(tmp);
	if (rta_query_results(q, i, tmp) != 0 ||
	    (off = rta_venc_begin(b, RTA_V_OBJECT)) == (size_t)-1 ||
	    rta_venc_key(b, "start", 5) || put_time(b, row.start) ||
	    rta_venc_key(b, "end", 3) || put_time(b, row.end) ||
	    put_members(b, row.group, &n) || put_members(b, tmp->data, &n))
		return -1;
	rta_venc_end(b, off, n);
	return 0;
}

/* Append the members of object value obj as JSON members, each after a
 * comma (the object is open and has a member). */
static int
json_members(struct rta_buf *b, const unsigned char *obj)
{
	struct rta_viter it;
	const unsigned char *v;
	const char *k;
	size_t klen;

	rta_viter_init(&it, obj);
	while (rta_viter_member(&it, &k, &klen, &v))
		if (rta_buf_addc(b, ',') != 0 ||
		    rta_json_put_string(b, k, klen) != 0 ||
		    rta_buf_addc(b, ':') != 0 || rta_value_to_json(b, v) != 0)
			return -1;
	return 0;
}

/*
 * Row i as JSON in b, the text of row_value's object (an answer over
 * HTTP is written straight, without the value between).  A time is a
 * string that needs no escapes.
 */
static int
row_json(const struct rta_query *q, size_t i, struct rta_buf *b,
    struct rta_buf *tmp)
{
	struct rta_query_row row;
	char t[RTA_TIME_LEN];

	rta_query_row(q, i, &row);
	rta_buf_reset(tmp);
	if (rta_query_results(q, i, tmp) != 0 ||
	    rta_buf_add(b, "{\"start\":\"", 10) != 0)
		return -1;
	rta_time_format(t, row.start);
	if (rta_buf_add(b, t, RTA_TIME_LEN) != 0 ||
	    rta_buf_add(b, "\",\"end\":\"", 9) != 0)
		return -1;
	rta_time_format(t, row.end);
	if (rta_buf_add(b, t, RTA_TIME_LEN) != 0 ||
	    rta_buf_addc(b, '"') != 0 || json_members(b, row.group) != 0 ||
	    json_members(b, tmp->data) != 0)
		return -1;
	return rta_buf_addc(b, '}');
}

/*
 * Row i as an aggregate record (the --partial form): a tumbling window
 * of the bucket, with the group, results and states; its id a hash of
 * the bucket and group, so that the same group of two stores has one.
 */
static int
row_record(const struct rta_query *q, size_t i, struct rta_buf *pl,
    struct rta_buf *tmp, struct rta_record *rec, char *id)
{
	struct rta_query_row row;
	const unsigned char *tv;
	const char *t;
	size_t off, tlen;
	unsigned char b[8];

	rta_query_row(q, i, &row);
	rta_buf_reset(pl);
	rta_buf_reset(tmp);
	rta_put_u64(b, (uint64_t)row.start);
	if (rta_buf_add(tmp, "rta-query partial", 17) ||
	    rta_buf_add(tmp, b, 8) ||
	    rta_buf_add(tmp, row.group, rta_value_size(row.group)))
		return -1;
	rta_uuid_v8_hash(id, tmp->data, tmp->len);
	if ((off = rta_venc_begin(pl, RTA_V_OBJECT)) == (size_t)-1 ||
	    rta_venc_key(pl, "end", 3) || put_time(pl, row.end) ||
	    rta_venc_key(pl, "final", 5) || rta_venc_bool(pl, 1) ||
	    rta_venc_key(pl, "group", 5) ||
	    rta_buf_add(pl, row.group, rta_value_size(row.group)) ||
	    rta_venc_key(pl, "results", 7) || rta_query_results(q, i, pl) ||
	    rta_venc_key(pl, "states", 6) || rta_query_states(q, i, pl))
		return -1;
	rta_venc_end(pl, off, 5);
	memset(rec, 0, sizeof(*rec));
	rec->kind = RTA_REC_AGGREGATE;
	rec->ev.ts = row.start;
	rec->ev.schema_version = 1;
	rec->ev.id = id;
	rec->ev.id_len = RTA_UUID_LEN;
	rec->ev.type = "tumbling";
	rec->ev.type_len = 8;
	/* the group's tenant when it has one, else "all" */
	tv = rta_value_member(row.group, "tenant_id", 9);
	if (tv != NULL && rta_value_str(tv, &t, &tlen) &&
	    rta_tenant_valid(t, tlen)) {
		rec->ev.tenant = t;
		rec->ev.tenant_len = (uint8_t)tlen;
	} else {
		rec->ev.tenant = "all";
		rec->ev.tenant_len = 3;
	}
	rec->ev.payload = pl->data;
	rec->ev.payload_len = pl->len;
	return 0;
}

/* A cell of CSV or the table: v's text (strings bare, null empty). */
static int
cell_text(const unsigned char *v, struct rta_buf *out)
{
	const char *s;
	size_t len;

	if (v == NULL || rta_value_tag(v) == RTA_V_NULL)
		return 0;
	if (rta_value_str(v, &s, &len))
		return rta_buf_add(out, s, len);
	return rta_value_to_json(out, v);
}

static int
csv_field(struct rta_buf *line, const char *s, size_t len)
{
	size_t i;

	if (memchr(s, ',', len) == NULL && memchr(s, '"', len) == NULL &&
	    memchr(s, '\n', len) == NULL && memchr(s, '\r', len) == NULL)
		return rta_buf_add(line, s, len);
	if (rta_buf_add(line, "\"", 1))
		return -1;
	for (i = 0; i < len; i++)
		if ((s[i] == '"' && rta_buf_add(line, "\"", 1)) ||
		    rta_buf_add(line, s + i, 1))
			return -1;
	return rta_buf_add(line, "\"", 1);
}

static int
emit_rows(const struct opts *o, const struct rta_query *q,
    const struct rta_query_spec *spec)
{
	struct rta_buf b = RTA_BUF_INIT, tmp = RTA_BUF_INIT;
	struct rta_buf cells = RTA_BUF_INIT;
	struct rta_output out;
	struct rta_error err;
	struct rta_record rec;
	size_t nrows = rta_query_nrows(q), ncols, i, j, *off = NULL;
	size_t *width = NULL;
	char id[RTA_UUID_LEN + 1];
	int rc = RTA_OK;

	if (o->limit > 0 && o->limit < nrows)
		nrows = (size_t)o->limit;
	if (o->out == OUT_NDJSON || o->out == OUT_RTA) {
		rta_output_init(&out, STDOUT_FILENO, "<stdout>",
		    o->out == OUT_RTA ? RTA_FMT_RTA : RTA_FMT_NDJSON);
		for (i = 0; i < nrows && rc == RTA_OK; i++) {
			rta_buf_reset(&b);
			if (o->partial) {
				if (row_record(q, i, &b, &tmp, &rec, id) != 0)
					goto nomem;
			} else {
				if (row_value(q, i, &b, &tmp) != 0)
					goto nomem;
				memset(&rec, 0, sizeof(rec));
				rec.kind = RTA_REC_VALUE;
				rec.value = b.data;
				rec.value_len = b.len;
			}
			rc = rta_output_record(&out, &rec, &err);
		}
		if (rc == RTA_OK)
			rc = rta_output_close(&out, &err);
		else
			rta_output_release(&out);
		if (rc != RTA_OK) {
			if (out.failed)
				rta_cli_check_pipe(out.fail_errno);
			rta_warnx("%s", err.text);
		}
		goto out;
	}
	/* CSV and the table: every cell's text first, for the widths */
	ncols = 2 + spec->nby + spec->naggs;
	if ((off = rta_reallocarray(NULL, (nrows + 1) * ncols + 1,
	    sizeof(*off))) == NULL)
		goto nomem;
	off[0] = 0;
#define CELL(s, n) do {							\
	if (rta_buf_add(&cells, (s), (n)) != 0)				\
		goto nomem;						\
	off[++j] = cells.len;						\
} while (0)
	j = 0;
	CELL("start", 5);
	CELL("end", 3);
	for (i = 0; i < spec->nby; i++)
		CELL(spec->by[i].text, strlen(spec->by[i].text));
	for (i = 0; i < spec->naggs; i++)
		CELL(spec->aggs[i].name, spec->aggs[i].name_len);
	for (i = 0; i < nrows; i++) {
		struct rta_query_row row;
		struct rta_viter it;
		const unsigned char *v;
		const char *k;
		size_t klen;
		char t[RTA_TIME_LEN];

		rta_query_row(q, i, &row);
		rta_time_format(t, row.start);
		CELL(t, RTA_TIME_LEN);
		rta_time_format(t, row.end);
		CELL(t, RTA_TIME_LEN);
		rta_viter_init(&it, row.group);
		while (rta_viter_member(&it, &k, &klen, &v)) {
			if (cell_text(v, &cells) != 0)
				goto nomem;
			off[++j] = cells.len;
		}
		rta_buf_reset(&tmp);
		if (rta_query_results(q, i, &tmp) != 0)
			goto nomem;
		rta_viter_init(&it, tmp.data);
		while (rta_viter_member(&it, &k, &klen, &v)) {
			if (cell_text(v, &cells) != 0)
				goto nomem;
			off[++j] = cells.len;
		}
	}
#undef CELL
	if ((width = rta_calloc(ncols, sizeof(*width))) == NULL)
		goto nomem;
	for (i = 0; i <= nrows; i++)
		for (j = 0; j < ncols; j++) {
			size_t w = off[i * ncols + j + 1] - off[i * ncols + j];

			width[j] = w > width[j] ? w : width[j];
		}
	for (i = 0; i <= nrows; i++) {
		rta_buf_reset(&b);
		for (j = 0; j < ncols; j++) {
			const char *s = (const char *)cells.data +
			    off[i * ncols + j];
			size_t w = off[i * ncols + j + 1] - off[i * ncols + j];

			if (j > 0 && rta_buf_add(&b, o->out == OUT_CSV ? "," :
			    "  ", o->out == OUT_CSV ? 1 : 2) != 0)
				goto nomem;
			if (o->out == OUT_CSV) {
				if (csv_field(&b, s, w) != 0)
					goto nomem;
				continue;
			}
			/* results right-aligned, the rest left */
			if (j >= 2 + spec->nby)
				while (w < width[j] && w++ < width[j])
					if (rta_buf_add(&b, " ", 1) != 0)
						goto nomem;
			if (rta_buf_add(&b, s, off[i * ncols + j + 1] -
			    off[i * ncols + j]) != 0)
				goto nomem;
			if (j < 2 + spec->nby && j + 1 < ncols)
				while (w++ < width[j])
					if (rta_buf_add(&b, " ", 1) != 0)
						goto nomem;
		}
		while (b.len > 0 && b.data[b.len - 1] == ' ')
			b.len--;
		if (rta_buf_add(&b, "\n", 1) != 0)
			goto nomem;
		if (fwrite(b.data, 1, b.len, stdout) != b.len)
			break;
	}
	if (fflush(stdout) != 0 || ferror(stdout)) {
		rta_cli_check_pipe(errno);
		rta_warnx("<stdout>: %s", strerror(errno));
		rc = RTA_EIO;
	}
	goto out;
nomem:
	rta_warnx("out of memory");
	rc = RTA_ENOMEM;
out:
	rta_free(off);
	rta_free(width);
	rta_buf_release(&b);
	rta_buf_release(&tmp);
	rta_buf_release(&cells);
	return rc == RTA_OK ? RTA_EXIT_OK : rta_exit_code(rc);
}

static void
help(void)
{
	printf("%s\n\n", usage_line);
	fputs(
"Range and rollup queries: the records of a time range, grouped by bucket\n"
"and --group-by values, with the --agg results of each group.\n"
"\n"
"  -s, --store dir      the store\n"
"  -d, --dataset name   the dataset: raw events, or aggregate records\n"
"                       (rta-window's), whose states are merged\n"
"  --from time          start of the range (RFC 3339, a date, epoch, now,\n"
"                       -24h); --to time, its end (default now)\n"
"  --since duration     the last duration up to now (24h, 7d)\n"
"  --tenant id          one tenant's records\n"
"  --cold dir           read what the hot store no longer holds from the\n"
"                       cold store (rta-store export) in dir\n"
"  --explain            print what the query reads, from where (which\n"
"                       rollup of the dataset, and why), instead of\n"
"                       its rows\n"
"  --where expr         only records that match (rta-query(1) has the\n"
"                       language: payload.country = 'PL' and not ...)\n"
"  --group-by fields    group by these fields (tenant_id,payload.country)\n"
"  --bucket width       cut the range into buckets (5m, 1h, 1d); default\n"
"                       one bucket for the whole range\n"
"  --agg list           count, sum:f, avg:f, min:f, max:f, stddev:f,\n"
"                       first:f, last:f, distinct:f, pNN:f, topN:f\n"
"                       (default count)\n"
"  --order-by keys      start, a --group-by field or an --agg name, each\n"
"                       then asc or desc: 'count desc,start'\n"
"  --limit n            the first n rows\n"
"  --max-groups n       refuse a query past n groups (default 1000000)\n"
"  -o, --output format  ndjson (on a pipe), table (on a terminal), csv; or\n"
"                       rta for --partial\n"
"  --partial            print each group as an aggregate record, with its\n"
"                       states, for --merge\n"
"  --merge              read partial results (files or stdin) instead of\n"
"                       a store, and combine them\n"
"  --cohort first:F     a retention matrix: users (values of F) by the\n"
"                       bucket of their first event, and how many were\n"
"                       active in each period after it\n"
"  --cohort-bucket W    cohorts and periods of W (1w: weeks from Monday)\n"
"  --activity types     event types that make a user active (default any)\n"
"  --periods n          periods after the cohort's own (default 8)\n"
"  --http               answer HTTP/1.1 requests on stdin and stdout (for\n"
"                       socat ... fork EXEC:): /v1/query, /v1/datasets,\n"
"                       /v1/tenants, /metrics, /healthz, and / (the\n"
"                       dashboard)\n"
"  --metrics-file file  a stage's --metrics file, merged into /metrics with\n"
"                       the store's stats (repeatable)\n"
"  --tokens file        bearer tokens (their SHA-256) and the tenants each\n"
"                       may read; without a known token a request gets 401\n"
"                       (but / and /healthz)\n"
"  --rate n             requests a second a tenant (429 past it), counted\n"
"                       in --rate-state file, shared by every connection\n"
"  -h, --help           this help; -V, --version: the version\n"
"\n"
"Exit status: 0 ok, 1 an aggregate record cannot answer the query (or\n"
"with --merge a bad input line), 2 usage, 3 I/O or a damaged store, 4 a\n"
"limit or out of memory.\n", stdout);
}
