/*
 * rta-gen: a deterministic load generator.  Writes the seed's scenario
 * (tenants viewing pages and buying) as NDJSON or rta frames, as fast as
 * possible or paced at a rate, with dials for out-of-order, late, future,
 * duplicate and malformed records.  The same options give the same bytes.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rta_cli.h"
#include "rta_frame.h"
#include "rta_gen.h"
#include "rta_output.h"
#include "rta_time.h"

static const char usage_line[] =
"usage: rta-gen [-hquV] [-c count] [-d duration] [-o format] [-r rate]\n"
"               [-s seed] [-t tenants] [--disorder duration]\n"
"               [--duplicates fraction] [--eps rate] [--future fraction]\n"
"               [--future-by duration] [--late fraction] [--late-by duration]\n"
"               [--malformed fraction] [--skew exponent] [--start time]\n"
"               [--stats] [--types list] [--users count]\n"
"               [--watermark-every duration]";

enum {
	OPT_DISORDER = 0x100, OPT_DUPLICATES, OPT_EPS, OPT_FUTURE,
	OPT_FUTURE_BY, OPT_LATE, OPT_LATE_BY, OPT_MALFORMED, OPT_SKEW,
	OPT_START, OPT_STATS, OPT_TYPES, OPT_USERS, OPT_WATERMARK_EVERY
};

static const struct option longopts[] = {
	{ "count", required_argument, NULL, 'c' },
	{ "disorder", required_argument, NULL, OPT_DISORDER },
	{ "duplicates", required_argument, NULL, OPT_DUPLICATES },
	{ "duration", required_argument, NULL, 'd' },
	{ "eps", required_argument, NULL, OPT_EPS },
	{ "future", required_argument, NULL, OPT_FUTURE },
	{ "future-by", required_argument, NULL, OPT_FUTURE_BY },
	{ "help", no_argument, NULL, 'h' },
	{ "late", required_argument, NULL, OPT_LATE },
	{ "late-by", required_argument, NULL, OPT_LATE_BY },
	{ "malformed", required_argument, NULL, OPT_MALFORMED },
	{ "quiet", no_argument, NULL, 'q' },
	{ "rate", required_argument, NULL, 'r' },
	{ "seed", required_argument, NULL, 's' },
	{ "skew", required_argument, NULL, OPT_SKEW },
	{ "start", required_argument, NULL, OPT_START },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "tenants", required_argument, NULL, 't' },
	{ "to", required_argument, NULL, 'o' },
	{ "types", required_argument, NULL, OPT_TYPES },
	{ "unbuffered", no_argument, NULL, 'u' },
	{ "users", required_argument, NULL, OPT_USERS },
	{ "version", no_argument, NULL, 'V' },
	{ "watermark-every", required_argument, NULL, OPT_WATERMARK_EVERY },
	{ NULL, 0, NULL, 0 }
};

struct args {
	struct rta_gen_opts	 g;
	uint64_t		 count;
	int64_t			 duration;
	double			 rate;
	enum rta_format		 to;
	int			 unbuffered;
	int			 stats;
	int			 eps_set;
	int			 unlimited;	/* -c 0 */
};

static void	parse(struct args *, int, char **);
static int	run(struct args *);
static void	help(void);

int
main(int argc, char *argv[])
{
	struct args a;
	int status;

	rta_cli_init("rta-gen");
	parse(&a, argc, argv);
	status = run(&a);
	rta_gen_opts_release(&a.g);
	return rta_cli_finish(status);
}

static double
fraction(const char *opt, const char *arg)
{
	double v;

	if (rta_parse_double(arg, 0, 1, &v) != 0)
		rta_usage_error(usage_line, "bad %s '%s' (a fraction from 0 "
		    "to 1)", opt, arg);
	return v;
}

static int64_t
duration(const char *opt, const char *arg)
{
	struct rta_error err;
	int64_t v;

	if (rta_duration_parse(arg, &v, &err) != RTA_OK)
		rta_usage_error(usage_line, "bad %s: %s", opt, err.text);
	return v;
}

static void
parse(struct args *a, int argc, char **argv)
{
	struct rta_error err;
	uint64_t v;
	int c;

	memset(a, 0, sizeof(*a));
	rta_gen_opts_init(&a->g);
	a->count = 1000;
	a->to = RTA_FMT_NDJSON;
	while ((c = getopt_long(argc, argv, ":c:d:ho:qr:s:t:uV", longopts,
	    NULL)) != -1) {
		switch (c) {
		case 'c':
			if (rta_parse_u64(optarg, 0, UINT64_MAX, &a->count) != 0)
				rta_usage_error(usage_line, "bad --count '%s'",
				    optarg);
			a->unlimited = a->count == 0;
			break;
		case 'd':
			a->duration = duration("--duration", optarg);
			if (a->duration <= 0)
				rta_usage_error(usage_line, "bad --duration '%s' "
				    "(more than zero)", optarg);
			break;
		case 'h':
			help();
			exit(rta_cli_finish(RTA_EXIT_OK));
		case 'o':
			if (rta_format_parse(optarg, &a->to) != 0 ||
			    (a->to != RTA_FMT_NDJSON && a->to != RTA_FMT_RTA))
				rta_usage_error(usage_line, "bad output format "
				    "'%s' (use ndjson or rta)", optarg);
			break;
		case 'q':
			break;		/* rta-gen reports nothing else */
		case 'r':
			if (rta_parse_double(optarg, 1e-3, 1e9, &a->rate) != 0)
				rta_usage_error(usage_line, "bad --rate '%s' "
				    "(events per second)", optarg);
			break;
		case 's':
			if (rta_parse_u64(optarg, 0, UINT64_MAX, &a->g.seed) !=
			    0)
				rta_usage_error(usage_line, "bad --seed '%s'",
				    optarg);
			break;
		case 't':
			if (rta_parse_u64(optarg, 1, 100000000, &v) != 0)
				rta_usage_error(usage_line, "bad --tenants '%s' "
				    "(1 to 100000000)", optarg);
			a->g.tenants = (uint32_t)v;
			break;
		case 'u':
			a->unbuffered = 1;
			break;
		case 'V':
			rta_cli_version();
			exit(rta_cli_finish(RTA_EXIT_OK));
		case OPT_DISORDER:
			a->g.disorder = duration("--disorder", optarg);
			break;
		case OPT_DUPLICATES:
			a->g.duplicates = fraction("--duplicates", optarg);
			break;
		case OPT_EPS:
			if (rta_parse_double(optarg, 1e-6, 1e12, &a->g.eps) != 0)
				rta_usage_error(usage_line, "bad --eps '%s'",
				    optarg);
			a->eps_set = 1;
			break;
		case OPT_FUTURE:
			a->g.future = fraction("--future", optarg);
			break;
		case OPT_FUTURE_BY:
			a->g.future_by = duration("--future-by", optarg);
			break;
		case OPT_LATE:
			a->g.late = fraction("--late", optarg);
			break;
		case OPT_LATE_BY:
			a->g.late_by = duration("--late-by", optarg);
			break;
		case OPT_MALFORMED:
			a->g.malformed = fraction("--malformed", optarg);
			break;
		case OPT_SKEW:
			if (rta_parse_double(optarg, 0, 10, &a->g.skew) != 0)
				rta_usage_error(usage_line, "bad --skew '%s' "
				    "(0 to 10)", optarg);
			break;
		case OPT_START:
			if (rta_time_parse_arg(optarg, rta_now(), &a->g.start,
			    &err) != RTA_OK)
				rta_usage_error(usage_line, "bad --start: %s",
				    err.text);
			break;
		case OPT_STATS:
			a->stats = 1;
			break;
		case OPT_TYPES:
			if (rta_gen_parse_types(&a->g, optarg) != 0)
				rta_usage_error(usage_line, "bad --types '%s' "
				    "(use e.g. page_view=90,purchase=10)",
				    optarg);
			break;
		case OPT_USERS:
			if (rta_parse_u64(optarg, 1, UINT32_MAX, &v) != 0)
				rta_usage_error(usage_line, "bad --users '%s'",
				    optarg);
			a->g.users = (uint32_t)v;
			break;
		case OPT_WATERMARK_EVERY:
			a->g.watermark_every = duration("--watermark-every",
			    optarg);
			break;
		default:
			rta_cli_bad_option(usage_line, c, argv);
		}
	}
	if (optind < argc)
		rta_usage_error(usage_line, "unexpected operand '%s'",
		    argv[optind]);
	if (a->g.malformed + a->g.duplicates > 1)
		rta_usage_error(usage_line, "--malformed and --duplicates "
		    "add up to more than 1");
	if (a->g.late + a->g.future > 1)
		rta_usage_error(usage_line, "--late and --future add up to "
		    "more than 1");
	if (a->to == RTA_FMT_RTA && isatty(STDOUT_FILENO))
		rta_usage_error(usage_line, "not writing rta frames to a "
		    "terminal (redirect stdout, or use -o ndjson)");
	if (!a->eps_set)
		a->g.eps = a->rate > 0 ? a->rate : (double)a->g.tenants;
	if (a->duration > 0) {
		/* the events stamped within the duration, at least one */
		double x = (double)a->duration / 1e6 * a->g.eps;

		a->count = (uint64_t)x;
		if ((double)a->count < x - 1e-6)
			a->count++;
		a->unlimited = 0;
	}
}

/* Sleep until record k is due at the given rate from t0. */
static void
pace(struct rta_output *o, double rate, int64_t t0, uint64_t k)
{
	struct rta_error err;
	struct timespec now, ts;
	int64_t due = t0 + (int64_t)((double)k / rate * 1e6), cur;

	clock_gettime(CLOCK_MONOTONIC, &now);
	cur = (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000;
	if (cur >= due)
		return;
	(void)rta_output_flush(o, &err);	/* a failure shows at the next write */
	ts.tv_sec = (due - cur) / 1000000;
	ts.tv_nsec = (long)((due - cur) % 1000000) * 1000;
	nanosleep(&ts, NULL);
}

static int
run(struct args *a)
{
	struct rta_gen *g;
	struct rta_output o;
	struct rta_buf rec = RTA_BUF_INIT;
	struct rta_error err;
	struct timespec t;
	uint64_t k, batch;
	int64_t t0, nominal;
	int rc = RTA_OK, status = RTA_EXIT_OK;

	if ((g = rta_gen_new(&a->g)) == NULL) {
		rta_warnx("out of memory");
		return RTA_EXIT_LIMIT;
	}
	rta_output_init(&o, STDOUT_FILENO, "<stdout>", a->to);
	o.unbuffered = a->unbuffered;
	if (a->to == RTA_FMT_RTA) {
		if (rta_frame_put_header(&rec) != 0)
			goto nomem;
		o.header_done = 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t);
	t0 = (int64_t)t.tv_sec * 1000000 + t.tv_nsec / 1000;
	batch = a->rate > 0 ? (uint64_t)(a->rate / 200) + 1 : 0;
	for (k = 0; a->unlimited || k < a->count; k++) {
		if (batch > 0 && k % batch == 0)
			pace(&o, a->rate, t0, k);
		if (rta_gen_next(g, a->to, &rec, &nominal) != 0)
			goto nomem;
		if (rec.len >= 64 * 1024 || o.unbuffered || batch > 0) {
			if ((rc = rta_output_bytes(&o, rec.data, rec.len,
			    &err)) != RTA_OK)
				break;
			rta_buf_reset(&rec);
		}
	}
	if (rc == RTA_OK && rec.len > 0)
		rc = rta_output_bytes(&o, rec.data, rec.len, &err);
	if (rc == RTA_OK)
		rc = rta_output_close(&o, &err);
	else
		rta_output_release(&o);
	if (rc != RTA_OK) {
		rta_cli_check_pipe(o.fail_errno);
		rta_warnx("%s", err.text);
		status = rta_exit_code(rc);
	}
	if (a->stats) {
		const struct rta_gen_stats *s = rta_gen_stats(g);

		fprintf(stderr, "rta-gen: %llu records: %llu events, %llu "
		    "duplicates, %llu malformed, %llu late, %llu future, %llu "
		    "watermarks\n", (unsigned long long)s->records,
		    (unsigned long long)s->events,
		    (unsigned long long)s->duplicates,
		    (unsigned long long)s->malformed,
		    (unsigned long long)s->late, (unsigned long long)s->future,
		    (unsigned long long)s->watermarks);
	}
	rta_buf_release(&rec);
	rta_gen_free(g);
	return status;
nomem:
	rta_warnx("out of memory");
	rta_output_release(&o);
	rta_buf_release(&rec);
	rta_gen_free(g);
	return RTA_EXIT_LIMIT;
}

static void
help(void)
{
	printf("%s\n\n", usage_line);
	fputs(
"Write a deterministic stream of events like the seed scenario: tenants\n"
"whose users view pages (url, user_id, value, latency_ms, country, device),\n"
"buy (order_id, value, currency, items) and hit errors.  Event time starts\n"
"at --start and advances 1/eps second per event.\n"
"\n"
"  -c, --count N           records to write (default 1000; 0: no end)\n"
"  -d, --duration DUR      write DUR of event time (count = DUR x eps)\n"
"  -o, --to FORMAT         ndjson (default) or rta frames\n"
"  -r, --rate N            pace output at N records per second of wall\n"
"                          clock (and eps defaults to N)\n"
"  -s, --seed N            PRNG seed (default 1)\n"
"  -t, --tenants N         number of tenants (default 10)\n"
"  -u, --unbuffered        flush after every record\n"
"      --disorder DUR      stamp events up to DUR early (out of order)\n"
"      --duplicates F      fraction of records that re-send a recent event\n"
"      --eps N             events per second of event time (default:\n"
"                          one per tenant)\n"
"      --future F          fraction stamped --future-by (1h) or more ahead\n"
"      --future-by DUR\n"
"      --late F            fraction stamped --late-by (10m) or more behind\n"
"      --late-by DUR\n"
"      --malformed F       fraction of broken records (bad JSON, bad\n"
"                          timestamps, missing fields, bad UTF-8; bad\n"
"                          checksums in rta frames)\n"
"      --skew S            Zipf exponent of tenant popularity (default 0)\n"
"      --start TIME        event time of the first event (default\n"
"                          2026-01-01T00:00:00Z; 'now' for live streams)\n"
"      --stats             print what was generated on stderr at the end\n"
"      --types LIST        event types and weights (default\n"
"                          page_view=85,purchase=10,error=5)\n"
"      --users N           users per tenant (default 1000)\n"
"      --watermark-every DUR  add watermark records every DUR of event time\n"
"  -h, --help              show this help\n"
"  -V, --version           show the version\n"
"\n"
"Example:\n"
"  rta-gen --start now --rate 1000 --tenants 50 -o rta | rta-cat -o ndjson\n"
"\n"
"Exit status: 0 ok, 2 usage, 3 write error, 4 out of memory.\n"
"See rta-gen(1), rta(7).\n", stdout);
}
