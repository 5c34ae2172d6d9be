/*
 * rta-store: the hot store.  `init` makes a store, `ingest` appends a
 * stream to a dataset with group commits (and says on --ack-fd how far
 * the input is durable), `cat` writes stored records back out, `offsets`
 * says where to resume Kafka consumers.  lib/rta_store.h holds the
 * format and the guarantees.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "rta_archive.h"
#include "rta_cli.h"
#include "rta_cold.h"
#include "rta_export.h"
#include "rta_json.h"
#include "rta_pqrows.h"
#include "rta_event.h"
#include "rta_output.h"
#include "rta_cohort.h"
#include "rta_cohort_store.h"
#include "rta_rollup.h"
#include "rta_stage.h"
#include "rta_state.h"
#include "rta_store.h"
#include "rta_time.h"
#include "rta_value.h"

static const char usage_line[] =
"usage: rta-store init [-hV] [--metrics file] -s dir\n"
"       rta-store ingest [-hqV] -d dataset -s dir [--ack-fd n]\n"
"               [--beyond-horizon action] [--bucket width]\n"
"               [--close-after duration] [--dead-letter file]\n"
"               [--dedup-horizon duration] [--max-errors n]\n"
"               [--max-future duration] [--max-line size] [--max-mem size]\n"
"               [--max-new-buckets n] [--metrics file] [--strict]\n"
"               [--sync-every interval] [file ...]\n"
"       rta-store cat [-hV] [-o format] -d dataset -s dir | --cold dir\n"
"               [--from time] [--metrics file] [--tenant id] [--to time]\n"
"       rta-store offsets [-hV] [--format style] [--metrics file]\n"
"               -d dataset -s dir\n"
"       rta-store compact [-hV] [-d dataset] [--level n] [--metrics file]\n"
"               -s dir\n"
"       rta-store retain [-hV] [-d dataset] [--cold dir] [--days n]\n"
"               [--metrics file] -s dir\n"
"       rta-store export [-hV] -s dir --cold dir [-d dataset]\n"
"               [--before date] [--force] [--level n] [--metrics file]\n"
"               [--row-group-rows n] [--schema file]\n"
"       rta-store fsck [-hV] [-d dataset] [--metrics file] [--repair]\n"
"               -s dir\n"
"       rta-store stats [-hV] [-d dataset] [--metrics file] -s dir\n"
"       rta-store archive [-hV] [-d dataset] -o file --before date\n"
"               --cold dir [--metrics file] [--remove]\n"
"       rta-store restore [-hV] --cold dir [--metrics file] file\n"
"       rta-store rollup [-hV] [--all | --define] [--bucket width]\n"
"               [--from-dataset name] [--metrics file] [--threads n]\n"
"               [--to-dataset name] -s dir\n"
"       rta-store cohort [-hV] [--all | --define] [--activity types]\n"
"               [--bucket width] [--from-dataset name] [--max-users n]\n"
"               [--metrics file] [--to-dataset name] [--user field] -s dir";

enum {
	OPT_ACK_FD = RTA_OPT_STAGE_LAST,
	OPT_BEFORE, OPT_BUCKET, OPT_CLOSE_AFTER, OPT_COLD, OPT_DAYS, OPT_FORCE,
	OPT_ROW_GROUP_ROWS, OPT_SCHEMA, OPT_DEDUP_HORIZON, OPT_BEYOND_HORIZON, OPT_LEVEL, OPT_FORMAT, OPT_FROM, OPT_MAX_FUTURE,
	OPT_MAX_MEM, OPT_MAX_NEW_BUCKETS, OPT_REPAIR, OPT_SYNC_EVERY,
	OPT_TENANT, OPT_TO, OPT_REMOVE, OPT_ALL, OPT_DEFINE, OPT_FROM_DATASET,
	OPT_TO_DATASET, OPT_USER, OPT_ACTIVITY, OPT_MAX_USERS, OPT_THREADS
};

enum sub {
	SUB_INIT, SUB_INGEST, SUB_CAT, SUB_OFFSETS, SUB_COMPACT, SUB_RETAIN,
	SUB_FSCK, SUB_STATS, SUB_EXPORT, SUB_ARCHIVE, SUB_RESTORE, SUB_ROLLUP,
	SUB_COHORT
};

static const struct option longopts[] = {
	{ "ack-fd", required_argument, NULL, OPT_ACK_FD },
	{ "activity", required_argument, NULL, OPT_ACTIVITY },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "before", required_argument, NULL, OPT_BEFORE },
	{ "bucket", required_argument, NULL, OPT_BUCKET },
	{ "close-after", required_argument, NULL, OPT_CLOSE_AFTER },
	{ "cold", required_argument, NULL, OPT_COLD },
	{ "dataset", required_argument, NULL, 'd' },
	{ "days", required_argument, NULL, OPT_DAYS },
	{ "dead-letter", required_argument, NULL, RTA_OPT_DEAD_LETTER },
	{ "dedup-horizon", required_argument, NULL, OPT_DEDUP_HORIZON },
	{ "beyond-horizon", required_argument, NULL, OPT_BEYOND_HORIZON },
	{ "define", no_argument, NULL, OPT_DEFINE },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "from", required_argument, NULL, OPT_FROM },
	{ "from-dataset", required_argument, NULL, OPT_FROM_DATASET },
	{ "help", no_argument, NULL, 'h' },
	{ "level", required_argument, NULL, OPT_LEVEL },
	{ "max-errors", required_argument, NULL, RTA_OPT_MAX_ERRORS },
	{ "max-future", required_argument, NULL, OPT_MAX_FUTURE },
	{ "max-line", required_argument, NULL, RTA_OPT_MAX_LINE },
	{ "max-mem", required_argument, NULL, OPT_MAX_MEM },
	{ "max-new-buckets", required_argument, NULL, OPT_MAX_NEW_BUCKETS },
	{ "max-users", required_argument, NULL, OPT_MAX_USERS },
	{ "metrics", required_argument, NULL, RTA_OPT_METRICS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "remove", no_argument, NULL, OPT_REMOVE },
	{ "repair", no_argument, NULL, OPT_REPAIR },
	{ "row-group-rows", required_argument, NULL, OPT_ROW_GROUP_ROWS },
	{ "schema", required_argument, NULL, OPT_SCHEMA },
	{ "store", required_argument, NULL, 's' },
	{ "strict", no_argument, NULL, RTA_OPT_STRICT },
	{ "sync-every", required_argument, NULL, OPT_SYNC_EVERY },
	{ "tenant", required_argument, NULL, OPT_TENANT },
	{ "threads", required_argument, NULL, OPT_THREADS },
	{ "to", required_argument, NULL, OPT_TO },
	{ "to-dataset", required_argument, NULL, OPT_TO_DATASET },
	{ "user", required_argument, NULL, OPT_USER },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

struct opts {
	enum sub		 sub;
	const char		*store;
	const char		*dataset;
	int			 ack_fd;	/* -1: none */
	struct rta_writer_opts	 w;
	int64_t			 max_future;	/* 0: no limit */
	int64_t			 sync_every;	/* µs */
	uint64_t		 sync_records;	/* 0: by time */
	const char		*tenant;
	const char		*from, *to;
	enum rta_format		 out;		/* cat */
	int			 json;		/* offsets --format json */
	int			 repair;	/* fsck */
	int			 level;		/* compact */
	uint64_t		 days;		/* retain */
	const char		*cold;		/* export, retain, archive,
						 * restore */
	const char		*before;	/* export, archive */
	int			 force;		/* export */
	uint64_t		 row_group_rows; /* export */
	const char		*schemas[64];	/* export --schema */
	size_t			 nschemas;
	const char		*file;		/* archive -o */
	int			 remove;	/* archive */
	struct rta_rollup_def	 rollup;	/* rollup, cohort */
	int			 all, define;	/* rollup, cohort */
	unsigned		 threads;	/* rollup */
	const char		*user, *activity;	/* cohort */
	uint64_t		 max_users;	/* cohort */
};

static void	help(void);

/*
 * --metrics for the subcommands other than ingest (whose stage keeps
 * its own): the common counters, and per dataset what the subcommand
 * did, written once at the end.
 */
struct dsres {
	char			 name[RTA_STORE_NAME_MAX + 1];
	struct rta_maint	 m;
	struct rta_fsck		 f;
	struct rta_export_result x;
	struct rta_rollup_result r;
	struct rta_cohort_result c;
};

/* cat --cold: what the reading skipped, for the metrics */
static struct {
	uint64_t	 files;
	uint64_t	 partitions_skipped;
	uint64_t	 groups_skipped;
	uint64_t	 rejected;
	uint64_t	 dropped;	/* another tenant's rows */
} sub_cold;

static struct {
	int		 on;
	enum sub	 sub;
	struct rta_metrics m;
	struct dsres	*v;
	size_t		 n;
} sm;

static void
family(struct rta_buf *b, const char *name, const char *type,
    const char *help, size_t off)
{
	size_t i;

	rta_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
	    type);
	for (i = 0; i < sm.n; i++)
		rta_buf_printf(b, "%s{dataset=\"%s\"} %llu\n", name,
		    sm.v[i].name, (unsigned long long)*(const uint64_t *)
		    (const void *)((const char *)&sm.v[i] + off));
}

/* One series without labels. */
static void
counter(struct rta_buf *b, const char *name, const char *help, uint64_t v)
{
	rta_buf_printf(b, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n", name,
	    help, name, name, (unsigned long long)v);
}

static int
sub_metrics(void *arg, struct rta_buf *out)
{
	(void)arg;
	if (sm.sub == SUB_COMPACT) {
		family(out, "rta_store_compacted_buckets_total", "counter",
		    "Buckets merged into new segments.",
		    offsetof(struct dsres, m.buckets));
		family(out, "rta_store_compacted_records_total", "counter",
		    "Records written to new segments.",
		    offsetof(struct dsres, m.records_out));
		family(out, "rta_store_superseded_records_total", "counter",
		    "Older aggregate versions left out of new segments.",
		    offsetof(struct dsres, m.records_in));
		family(out, "rta_store_compacted_bytes_in_total", "counter",
		    "Bytes of logs and segments merged.",
		    offsetof(struct dsres, m.bytes_in));
		family(out, "rta_store_compacted_bytes_out_total", "counter",
		    "Bytes of the new segments.",
		    offsetof(struct dsres, m.bytes_out));
	} else if (sm.sub == SUB_RETAIN) {
		family(out, "rta_store_retired_buckets_total", "counter",
		    "Buckets retired.", offsetof(struct dsres, m.buckets));
		family(out, "rta_store_retired_bytes_total", "counter",
		    "Bytes of the buckets retired.",
		    offsetof(struct dsres, m.bytes_in));
	} else if (sm.sub == SUB_FSCK) {
		family(out, "rta_store_fsck_records", "gauge",
		    "Records checked.", offsetof(struct dsres, f.records));
		family(out, "rta_store_fsck_damaged", "gauge",
		    "Damage found.", offsetof(struct dsres, f.damaged));
		family(out, "rta_store_fsck_repaired", "gauge",
		    "Damage repaired.", offsetof(struct dsres, f.repaired));
		family(out, "rta_store_fsck_pending", "gauge",
		    "Leftovers of interrupted runs.",
		    offsetof(struct dsres, f.pending));
	} else if (sm.sub == SUB_EXPORT) {
		family(out, "rta_store_exported_days_total", "counter",
		    "Days exported.", offsetof(struct dsres, x.days));
		family(out, "rta_store_unchanged_days_total", "counter",
		    "Days left as they were exported before.",
		    offsetof(struct dsres, x.unchanged));
		family(out, "rta_store_exported_files_total", "counter",
		    "Parquet files written.",
		    offsetof(struct dsres, x.partitions));
		family(out, "rta_store_exported_rows_total", "counter",
		    "Rows written.", offsetof(struct dsres, x.rows));
		family(out, "rta_store_exported_bytes_total", "counter",
		    "Bytes written.", offsetof(struct dsres, x.bytes));
		family(out, "rta_store_export_rejected_total", "counter",
		    "Records that could not be exported.",
		    offsetof(struct dsres, x.rejected));
		family(out, "rta_store_stale_partitions_removed_total",
		    "counter", "Partitions of tenants no longer in a day.",
		    offsetof(struct dsres, x.removed));
	}
	if (sm.sub == SUB_CAT && sub_cold.files + sub_cold.partitions_skipped >
	    0) {
		counter(out, "rta_store_cold_files_read_total",
		    "Parquet files read.", sub_cold.files);
		counter(out, "rta_store_cold_partitions_skipped_total",
		    "Partitions left unread: another tenant or day.",
		    sub_cold.partitions_skipped);
		counter(out, "rta_store_cold_row_groups_skipped_total",
		    "Row groups left unread by their statistics.",
		    sub_cold.groups_skipped);
		counter(out, "rta_store_cold_rows_rejected_total",
		    "Rows or files that could not be read as records.",
		    sub_cold.rejected);
	}
	if (sm.sub == SUB_ROLLUP) {
		family(out, "rta_store_rollup_changed_buckets_total",
		    "counter", "Source buckets changed since the last refresh.",
		    offsetof(struct dsres, r.changed));
		family(out, "rta_store_rollup_buckets_total", "counter",
		    "Rollup buckets recomputed.",
		    offsetof(struct dsres, r.buckets));
		family(out, "rta_store_rollup_skipped_buckets_total",
		    "counter", "Rollup buckets left alone: part of their "
		    "source was retired.", offsetof(struct dsres, r.skipped));
		family(out, "rta_store_rollup_records_read_total", "counter",
		    "Source records merged.",
		    offsetof(struct dsres, r.records_in));
		family(out, "rta_store_rollup_records_written_total",
		    "counter", "Rollup records written.",
		    offsetof(struct dsres, r.records_out));
	}
	if (sm.sub == SUB_COHORT) {
		family(out, "rta_store_cohort_changed_buckets_total",
		    "counter", "Source buckets read: changed since the last "
		    "refresh.", offsetof(struct dsres, c.changed));
		family(out, "rta_store_cohort_events_read_total", "counter",
		    "Source events read.", offsetof(struct dsres, c.events_in));
		family(out, "rta_store_cohort_events_without_user_total",
		    "counter", "Source events with no user to count.",
		    offsetof(struct dsres, c.no_user));
		family(out, "rta_store_cohort_users", "gauge",
		    "Users known.", offsetof(struct dsres, c.users));
		family(out, "rta_store_cohort_records_written_total",
		    "counter", "User state records written.",
		    offsetof(struct dsres, c.records_out));
		family(out, "rta_store_cohort_moved_users_total", "counter",
		    "Users whose cohort moved earlier (a late event).",
		    offsetof(struct dsres, c.moved));
	}
	if (sm.sub == SUB_RETAIN)
		family(out, "rta_store_unexported_buckets", "gauge",
		    "Buckets kept: not exported to --cold as they are.",
		    offsetof(struct dsres, m.kept));
	if (sm.sub == SUB_COMPACT || sm.sub == SUB_RETAIN) {
		family(out, "rta_store_files_removed_total", "counter",
		    "Files removed.", offsetof(struct dsres, m.files_removed));
		family(out, "rta_store_open_buckets", "gauge",
		    "Buckets left alone: a log is still written.",
		    offsetof(struct dsres, m.open_skipped));
	}
	return 0;
}

/* Open --metrics FILE for a subcommand: 0 or an exit status. */
static int
sub_metrics_start(const struct rta_stage *st, enum sub sub)
{
	struct rta_error err;

	if (st->metrics_path == NULL)
		return 0;
	rta_metrics_init(&sm.m, "rta-store");
	sm.sub = sub;
	sm.m.extra = sub_metrics;
	if (rta_metrics_open(&sm.m, st->metrics_path, &err) != RTA_OK) {
		rta_warnx("%s", err.text);
		rta_metrics_release(&sm.m);
		return RTA_EXIT_IO;
	}
	sm.on = 1;
	return 0;
}

/* A dataset's results, kept for the metrics. */
static void
sub_metrics_add(const char *name, const struct rta_maint *m,
    const struct rta_fsck *f, const struct rta_export_result *x)
{
	struct dsres *v;

	if (!sm.on || (v = realloc(sm.v, (sm.n + 1) * sizeof(*v))) == NULL)
		return;
	sm.v = v;
	memset(&v[sm.n], 0, sizeof(v[sm.n]));
	snprintf(v[sm.n].name, sizeof(v[sm.n].name), "%s", name);
	if (m != NULL)
		v[sm.n].m = *m;
	if (f != NULL)
		v[sm.n].f = *f;
	if (x != NULL)
		v[sm.n].x = *x;
	sm.n++;
}

/* A rollup's results (labelled with its dataset), for the metrics. */
static void
sub_metrics_rollup(const char *name, const struct rta_rollup_result *r)
{
	sub_metrics_add(name, NULL, NULL, NULL);
	if (sm.on && sm.n > 0 && strcmp(sm.v[sm.n - 1].name, name) == 0)
		sm.v[sm.n - 1].r = *r;
}

/* A cohort dataset's results, for the metrics. */
static void
sub_metrics_cohort(const char *name, const struct rta_cohort_result *r)
{
	sub_metrics_add(name, NULL, NULL, NULL);
	if (sm.on && sm.n > 0 && strcmp(sm.v[sm.n - 1].name, name) == 0)
		sm.v[sm.n - 1].c = *r;
}

/* Write the metrics (with out records written out) and finish. */
static int
sub_finish(int status, uint64_t out)
{
	struct rta_error err;

	if (sm.on) {
		sm.m.in = sm.m.out = out;
		/* cat --cold: rows read but not written */
		sm.m.rejected = sub_cold.rejected;
		sm.m.dropped = sub_cold.dropped;
		sm.m.in += sub_cold.rejected + sub_cold.dropped;
		if (rta_metrics_write(&sm.m, 1, &err) != RTA_OK) {
			rta_warnx("%s", err.text);
			rta_cli_status(&status, RTA_EXIT_IO);
		}
		rta_metrics_release(&sm.m);
		free(sm.v);
		sm.on = 0;
	}
	return rta_cli_finish(status);
}

/* Which options each subcommand takes (beyond -h and -V). */
static int
allowed(enum sub sub, int c)
{
	if (sub == SUB_ARCHIVE || sub == SUB_RESTORE)
		return c == 'h' || c == 'V' || c == RTA_OPT_METRICS ||
		    c == OPT_COLD || (sub == SUB_ARCHIVE && (c == 'd' ||
		    c == 'o' || c == OPT_BEFORE || c == OPT_REMOVE));
	switch (c) {
	case 'h':
	case 'V':
	case 's':
	case RTA_OPT_METRICS:
		return 1;
	case 'd':
		return sub != SUB_INIT && sub != SUB_ROLLUP &&
		    sub != SUB_COHORT;
	case OPT_ALL:
	case OPT_DEFINE:
	case OPT_FROM_DATASET:
	case OPT_TO_DATASET:
		return sub == SUB_ROLLUP || sub == SUB_COHORT;
	case OPT_USER:
	case OPT_ACTIVITY:
	case OPT_MAX_USERS:
		return sub == SUB_COHORT;
	case OPT_THREADS:
		return sub == SUB_ROLLUP;
	case OPT_BUCKET:
		return sub == SUB_INGEST || sub == SUB_ROLLUP ||
		    sub == SUB_COHORT;
	case 'o':
	case OPT_FROM:
	case OPT_TENANT:
	case OPT_TO:
		return sub == SUB_CAT;
	case OPT_FORMAT:
		return sub == SUB_OFFSETS;
	case OPT_REPAIR:
		return sub == SUB_FSCK;
	case OPT_LEVEL:
		return sub == SUB_COMPACT || sub == SUB_EXPORT;
	case OPT_DAYS:
		return sub == SUB_RETAIN;
	case OPT_COLD:
		return sub == SUB_RETAIN || sub == SUB_EXPORT ||
		    sub == SUB_CAT;
	case OPT_BEFORE:
	case OPT_FORCE:
	case OPT_ROW_GROUP_ROWS:
	case OPT_SCHEMA:
		return sub == SUB_EXPORT;
	default:
		return sub == SUB_INGEST;
	}
}

static const char *
opt_name(int c, char **argv)
{
	size_t i;

	for (i = 0; longopts[i].name != NULL; i++)
		if (longopts[i].val == c)
			return longopts[i].name;
	(void)argv;
	return "?";
}

/* The exit status for a store library failure: another writer 5, an
 * unsafe store or bad name 2, damage 3, else by code. */
static int
store_exit(int rc, const struct rta_error *err)
{
	if (err->reason != NULL && strcmp(err->reason, "store-busy") == 0)
		return RTA_EXIT_BUSY;
	if (rc == RTA_EINVAL)
		return RTA_EXIT_USAGE;
	if (rc == RTA_EDATA)
		return RTA_EXIT_IO;
	return rta_exit_code(rc);
}

static int
open_store(const struct opts *o, struct rta_store *s)
{
	struct rta_error err;
	int rc;

	if ((rc = rta_store_open(s, o->store, &err)) != RTA_OK) {
		rta_warnx("%s", err.text);
		return store_exit(rc, &err);
	}
	return 0;
}

/* ---- init --------------------------------------------------------------- */

static int
init_main(const struct opts *o)
{
	struct rta_error err;
	int rc;

	if ((rc = rta_store_init(o->store, &err)) != RTA_OK) {
		rta_warnx("%s", err.text);
		return sub_finish(store_exit(rc, &err), 0);
	}
	return sub_finish(RTA_EXIT_OK, 0);
}

/* ---- ingest ------------------------------------------------------------- */

struct ingest {
	const struct opts	*o;
	struct rta_stage	*st;
	struct rta_writer	*w;
	struct rta_cadence	 cad;
	int64_t			 future;	/* latest time accepted */
	uint64_t		 stored, dups, commits;
	int			 ack_errno;	/* a write to --ack-fd failed */
	int			 failed;	/* the writer failed: stop */
	int			 status;
	struct rta_buf		 ack;
};

static void
set_future(struct ingest *in)
{
	in->future = in->o->max_future > 0 &&
	    rta_now() <= RTA_TIME_MAX - in->o->max_future ?
	    rta_now() + in->o->max_future : RTA_TIME_MAX;
}

/*
 * A commit is durable (called from the writer's sync thread, in commit
 * order): say so on --ack-fd.  A failed write stops the run, by a flag
 * the main thread reads at its next commit.
 */
static void
durable(void *arg, uint64_t seq, uint64_t records, uint64_t handled)
{
	struct ingest *in = arg;
	char line[128];
	int n;

	__atomic_add_fetch(&in->commits, 1, __ATOMIC_RELAXED);
	if (in->o->ack_fd < 0 || __atomic_load_n(&in->ack_errno,
	    __ATOMIC_RELAXED) != 0)
		return;
	n = snprintf(line, sizeof(line), "{\"commit\":%llu,\"handled\":%llu,"
	    "\"stored\":%llu}\n", (unsigned long long)seq,
	    (unsigned long long)handled, (unsigned long long)records);
	if (write(in->o->ack_fd, line, (size_t)n) != n)
		__atomic_store_n(&in->ack_errno, errno ? errno : EIO,
		    __ATOMIC_RELAXED);
}

/* The end of a failed ack: report it and stop. */
static int
ack_failed(struct ingest *in)
{
	int e = __atomic_load_n(&in->ack_errno, __ATOMIC_RELAXED);

	if (e == 0)
		return 0;
	rta_warnx("--ack-fd %d: %s", in->o->ack_fd, strerror(e));
	rta_cli_status(&in->status, RTA_EXIT_IO);
	in->failed = 1;
	in->st->stop = 1;
	return -1;
}

/* Commit what is pending: its syncs run in the writer's thread while
 * records go on being read; durable() acknowledges it. */
static int
commit(struct ingest *in)
{
	struct rta_error err;
	int rc;

	if (in->failed || ack_failed(in) != 0)
		return -1;
	rta_cadence_done(&in->cad);
	if (rta_writer_pending(in->w) == 0)
		return 0;
	if ((rc = rta_writer_commit_async(in->w, in->st->m.in, &err)) !=
	    RTA_OK) {
		rta_warnx("%s", err.text);
		rta_cli_status(&in->status, rc == RTA_ELIMIT ? RTA_EXIT_LIMIT :
		    rc == RTA_ENOMEM ? RTA_EXIT_LIMIT : RTA_EXIT_IO);
		in->failed = 1;
		in->st->stop = 1;
		return -1;
	}
	set_future(in);
	return 0;
}

/* Wait for the last commit to be durable. */
static void
commit_wait(struct ingest *in)
{
	struct rta_error err;

	if (rta_writer_wait(in->w, &err) != RTA_OK && !in->failed) {
		rta_warnx("%s", err.text);
		rta_cli_status(&in->status, RTA_EXIT_IO);
		in->failed = 1;
	}
	(void)ack_failed(in);
}

/* Before the reader blocks: commit, so that a trickle is acknowledged
 * as it comes. */
static void
ingest_idle(void *arg)
{
	struct ingest *in = arg;

	(void)commit(in);
	rta_stage_idle(in->st);
}

static int
ingest_metrics(void *arg, struct rta_buf *out)
{
	struct ingest *in = arg;

	return rta_buf_printf(out,
	    "# HELP rta_store_records_stored_total Records appended.\n"
	    "# TYPE rta_store_records_stored_total counter\n"
	    "rta_store_records_stored_total %llu\n"
	    "# HELP rta_store_duplicates_total Raw events already stored, "
	    "absorbed.\n"
	    "# TYPE rta_store_duplicates_total counter\n"
	    "rta_store_duplicates_total %llu\n"
	    "# HELP rta_store_commits_total Commits made durable.\n"
	    "# TYPE rta_store_commits_total counter\n"
	    "rta_store_commits_total %llu\n",
	    (unsigned long long)in->stored, (unsigned long long)in->dups,
	    (unsigned long long)__atomic_load_n(&in->commits, __ATOMIC_RELAXED));
}

static void
record(struct ingest *in, const struct rta_record *rec)
{
	struct rta_stage *st = in->st;
	const unsigned char *raw;
	struct rta_error err;
	uint64_t total;
	size_t len;
	int rc;

	if (rec->ev.ts > in->future) {
		rta_error_set(&err, RTA_EDATA, "too-far-future", "event time "
		    "more than --max-future ahead of the clock");
		goto reject;
	}
	rc = rta_writer_add(in->w, rec, &err);
	if (rc == RTA_OK) {
		in->stored++;
		rta_stage_absorb(st);
		rta_metrics_tenant(&st->m, rec->ev.tenant, rec->ev.tenant_len,
		    RTA_TENANT_OUT);
		return;
	}
	if (rc == 1) {
		in->dups++;
		rta_stage_drop(st);
		return;
	}
	if (rc == RTA_EDATA)
		goto reject;
	rta_warnx("%s", err.text);
	rta_cli_status(&in->status, rc == RTA_ENOMEM ? RTA_EXIT_LIMIT :
	    rta_exit_code(rc));
	in->failed = 1;
	st->stop = 1;
	return;
reject:
	rta_reader_raw(st->rd, &raw, &len, &total);
	rta_stage_reject(st, &rec->ev, &err, raw, len);
}

static int
ingest_main(const struct opts *o, struct rta_stage *st, int argc,
    char **argv)
{
	struct rta_recovery recov;
	struct rta_store s;
	struct rta_sources *src;
	struct rta_record rec;
	struct rta_error err;
	struct ingest in;
	int rc, status, done = 0;

	memset(&in, 0, sizeof(in));
	in.o = o;
	in.st = st;
	if (o->ack_fd >= 0 && fcntl(o->ack_fd, F_GETFD) < 0)
		rta_usage_error(usage_line, "--ack-fd %d: not an open file "
		    "descriptor", o->ack_fd);
	if ((status = open_store(o, &s)) != 0)
		return rta_cli_finish(status);
	rc = rta_writer_open(&s, o->dataset, &o->w, &in.w, &recov, &err);
	if (rc != RTA_OK) {
		rta_warnx("%s", err.text);
		rta_store_close(&s);
		return rta_cli_finish(store_exit(rc, &err));
	}
	if (recov.commit_damage != SIZE_MAX)
		rta_warnx("%s/%s/commits: offset %zu: damaged bytes before the "
		    "last valid commit, which supersedes them (rta-store fsck "
		    "--repair rewrites the file)", o->store, o->dataset,
		    recov.commit_damage);
	if (recov.commit_bytes > 0 || recov.log_bytes > 0 ||
	    recov.logs_removed > 0)
		rta_warnx("%s/%s: recovered from an interrupted run: cut %llu "
		    "uncommitted bytes from the commit file and %llu from the "
		    "logs, removed %llu uncommitted logs", o->store,
		    o->dataset, (unsigned long long)recov.commit_bytes,
		    (unsigned long long)recov.log_bytes,
		    (unsigned long long)recov.logs_removed);
	if (rta_writer_async(in.w, durable, &in, &err) != RTA_OK) {
		rta_warnx("%s", err.text);
		rta_writer_close(in.w);
		rta_store_close(&s);
		return rta_cli_finish(RTA_EXIT_LIMIT);
	}
	src = rta_writer_sources(in.w);
	set_future(&in);
	rta_cadence_start(&in.cad, o->sync_every, o->sync_records);
	st->ropts.idle = ingest_idle;
	st->ropts.idle_arg = &in;
	st->sink = 1;
	st->m.extra = ingest_metrics;
	st->m.extra_arg = &in;
	if ((status = rta_stage_start(st, argc, argv)) != 0) {
		rta_writer_close(in.w);
		rta_store_close(&s);
		return status;
	}
	for (;;) {
		if (rta_stage_next(st, &rec) != RTA_OK) {
			done = !st->stop;
			break;
		}
		rta_sources_track(src, rta_reader_where(st->rd));
		rta_sources_handled(src, rta_reader_where(st->rd));
		switch (rec.kind) {
		case RTA_REC_EVENT:
		case RTA_REC_AGGREGATE:
			record(&in, &rec);
			break;
		case RTA_REC_POSITION:
			rta_sources_position(src, &rec.pos);
			break;
		case RTA_REC_WATERMARK:
			rta_writer_watermark(in.w, rec.watermark);
			break;
		default:
			break;
		}
		if (in.failed)
			break;
		if (rta_cadence_tick(&in.cad) && commit(&in) != 0)
			break;
	}
	if (done) {
		rta_sources_end(src);
		rta_writer_ending(in.w);
	}
	if (!in.failed)
		(void)commit(&in);
	commit_wait(&in);
	status = rta_stage_finish(st);
	rta_cli_status(&status, in.status);
	rta_writer_close(in.w);
	rta_store_close(&s);
	rta_buf_release(&in.ack);
	return status;
}

/* ---- cat ---------------------------------------------------------------- */

static int
parse_time(const char *what, const char *s, int64_t *us)
{
	struct rta_error err;

	if (rta_time_parse_arg(s, rta_now(), us, &err) != RTA_OK)
		rta_usage_error(usage_line, "bad %s '%s': %s", what, s,
		    err.text);
	return 0;
}

/*
 * cat --cold: the partitions that can hold the range (by their paths),
 * each file's row groups that can (by their statistics), each row in it.
 */
static int
cat_cold(const struct opts *o, enum rta_format f, int64_t from, int64_t to)
{
	struct rta_ndjson_parser np;
	struct rta_output out;
	struct rta_record rec;
	struct rta_pqrows *pr;
	struct rta_buf line = RTA_BUF_INIT;
	struct rta_error err;
	char **files;
	size_t nf, i, size;
	uint64_t skipped, row, g, r;
	void *map;
	int rc, status = RTA_EXIT_OK;

	rc = rta_cold_files(o->cold, o->dataset, o->tenant, o->tenant != NULL ?
	    strlen(o->tenant) : 0, from, to, &files, &nf, &skipped, &err);
	if (rc != RTA_OK) {
		rta_warnx("%s", err.text);
		return sub_finish(rc == RTA_EOF ? RTA_EXIT_USAGE :
		    rta_exit_code(rc), 0);
	}
	sub_cold.partitions_skipped = skipped;
	rta_ndjson_parser_init(&np);
	rta_output_init(&out, STDOUT_FILENO, "<stdout>", f);
	for (i = 0; i < nf && status != RTA_EXIT_IO; i++) {
		if ((rc = rta_cold_map(files[i], &map, &size, &err)) !=
		    RTA_OK) {
			rta_warnx("%s", err.text);
			rta_cli_status(&status, rc == RTA_EDATA ?
			    RTA_EXIT_DATA : RTA_EXIT_IO);
			continue;
		}
		sub_cold.files++;
		if ((rc = rta_pqrows_open(map, size, files[i], files[i], &pr,
		    &err)) != RTA_OK) {
			rta_warnx("%s", err.text);
			rta_cli_status(&status, RTA_EXIT_DATA);
			sub_cold.rejected++;
			rta_cold_unmap(map, size);
			continue;
		}
		rta_pqrows_range(pr, from, to);
		while ((rc = rta_pqrows_next(pr, &line, &row, &err)) !=
		    RTA_EOF) {
			if (rc == RTA_OK && (rta_buf_reserve(&line, 16) != 0 ||
			    (memset(line.data + line.len, 0, 16), 0)))
				rc = rta_error_set(&err, RTA_ENOMEM,
				    "no-memory", "out of memory");
			if (rc == RTA_OK)
				rc = rta_ndjson_parse(&np, line.data, line.len,
				    &rec, &err);
			if (rc == RTA_OK && o->tenant != NULL &&
			    (rec.ev.tenant_len != strlen(o->tenant) ||
			    memcmp(rec.ev.tenant, o->tenant,
			    rec.ev.tenant_len) != 0)) {
				sub_cold.dropped++;
				continue;
			}
			if (rc == RTA_OK) {
				if ((rc = rta_output_record(&out, &rec,
				    &err)) != RTA_OK) {
					status = RTA_EXIT_IO;
					break;
				}
				continue;
			}
			rta_warnx("%s:%llu: %s", files[i],
			    (unsigned long long)row, err.text);
			sub_cold.rejected++;
			rta_cli_status(&status, RTA_EXIT_DATA);
			if (rc == RTA_ENOMEM || rc == RTA_EIO)
				break;
		}
		rta_pqrows_skipped(pr, &g, &r);
		sub_cold.groups_skipped += g;
		rta_pqrows_close(pr);
		rta_cold_unmap(map, size);
	}
	if (status != RTA_EXIT_IO) {
		if (rta_output_close(&out, &err) != RTA_OK) {
			if (out.failed)
				rta_cli_check_pipe(out.fail_errno);
			rta_warnx("%s", err.text);
			status = RTA_EXIT_IO;
		}
	} else {
		if (out.failed)
			rta_cli_check_pipe(out.fail_errno);
		rta_warnx("%s", err.text);
		rta_output_release(&out);
	}
	rta_ndjson_parser_release(&np);
	rta_buf_release(&line);
	rta_cold_files_free(files, nf);
	return sub_finish(status, out.records);
}

static int
cat_main(const struct opts *o)
{
	struct rta_output out;
	struct rta_dataset ds;
	struct rta_record rec;
	struct rta_scan *sc = NULL;
	struct rta_store s;
	struct rta_error err;
	enum rta_format f = o->out;
	int64_t from = RTA_TIME_MIN, to = RTA_TIME_MAX;
	int rc, status;

	if (o->from != NULL)
		parse_time("--from", o->from, &from);
	if (o->to != NULL)
		parse_time("--to", o->to, &to);
	if (o->tenant != NULL && !rta_tenant_valid(o->tenant,
	    strlen(o->tenant)))
		rta_usage_error(usage_line, "bad --tenant '%s' (a tenant id "
		    "the store holds: letters, digits, _, - and .)", o->tenant);
	if (f == RTA_FMT_AUTO)
		f = isatty(STDOUT_FILENO) ? RTA_FMT_NDJSON : RTA_FMT_RTA;
	if (f == RTA_FMT_RTA && isatty(STDOUT_FILENO))
		rta_usage_error(usage_line, "not writing rta frames to a "
		    "terminal (redirect stdout, or use -o ndjson)");
	if (o->cold != NULL)
		return cat_cold(o, f, from, to);
	if ((status = open_store(o, &s)) != 0)
		return sub_finish(status, 0);
	rc = rta_dataset_open(&s, o->dataset, &ds, &err);
	if (rc == RTA_EOF) {
		rta_warnx("%s: no dataset '%s'", o->store, o->dataset);
		rta_store_close(&s);
		return sub_finish(RTA_EXIT_USAGE, 0);
	}
	if (rc != RTA_OK) {
		rta_warnx("%s", err.text);
		rta_store_close(&s);
		return sub_finish(store_exit(rc, &err), 0);
	}
	rta_output_init(&out, STDOUT_FILENO, "<stdout>", f);
	rc = rta_scan_open(&ds, o->tenant, o->tenant != NULL ?
	    strlen(o->tenant) : 0, from, to, &sc, &err);
	while (rc == RTA_OK && (rc = rta_scan_next(sc, &rec, &err)) == RTA_OK)
		if ((rc = rta_output_record(&out, &rec, &err)) != RTA_OK)
			break;
	if (rc == RTA_EOF)
		rc = rta_output_close(&out, &err);
	else
		rta_output_release(&out);
	if (rc != RTA_OK) {
		if (out.failed)
			rta_cli_check_pipe(out.fail_errno);
		rta_warnx("%s", err.text);
		status = rc == RTA_EDATA ? RTA_EXIT_IO : rta_exit_code(rc);
	}
	rta_scan_close(sc);
	rta_dataset_close(&ds);
	rta_store_close(&s);
	return sub_finish(status, out.records);
}

/* ---- offsets ------------------------------------------------------------ */

static int
offsets_main(const struct opts *o)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_dataset ds;
	struct rta_store s;
	struct rta_error err;
	int rc, status;

	if ((status = open_store(o, &s)) != 0)
		return sub_finish(status, 0);
	rc = rta_dataset_open(&s, o->dataset, &ds, &err);
	if (rc == RTA_EOF) {
		rta_warnx("%s: no dataset '%s'", o->store, o->dataset);
		rta_store_close(&s);
		return sub_finish(RTA_EXIT_USAGE, 0);
	}
	if (rc != RTA_OK) {
		rta_warnx("%s", err.text);
		rta_store_close(&s);
		return sub_finish(store_exit(rc, &err), 0);
	}
	if (rta_sources_offsets(&ds.c.src, o->json, &b) != 0) {
		rta_warnx("out of memory");
		status = RTA_EXIT_LIMIT;
	} else if (b.len > 0)
		fwrite(b.data, 1, b.len, stdout);
	rta_buf_release(&b);
	rta_dataset_close(&ds);
	rta_store_close(&s);
	return sub_finish(status, 0);
}

/* ---- fsck and stats ---------------------------------------------------- */

/* The datasets a subcommand covers: -d, or every one in the store. */
static int
datasets(const struct opts *o, struct rta_store *s, char ***names,
    size_t *n)
{
	struct rta_error err;
	int rc;

	if (o->dataset != NULL) {
		if (!rta_store_name_valid(o->dataset))
			rta_usage_error(usage_line, "bad dataset name '%s'",
			    o->dataset);
		if ((*names = calloc(1, sizeof(**names))) == NULL ||
		    ((*names)[0] = strdup(o->dataset)) == NULL) {
			rta_warnx("out of memory");
			return RTA_EXIT_LIMIT;
		}
		*n = 1;
		return 0;
	}
	if ((rc = rta_store_datasets(s, names, n, &err)) != RTA_OK) {
		rta_warnx("%s", err.text);
		return rta_exit_code(rc);
	}
	return 0;
}

static void
fsck_line(void *arg, const char *line)
{
	(void)arg;
	printf("%s\n", line);
}

static int
fsck_main(const struct opts *o)
{
	struct rta_store s;
	struct rta_fsck r;
	struct rta_error err;
	char **names;
	size_t n, i;
	int rc, status;

	if ((status = open_store(o, &s)) != 0)
		return sub_finish(status, 0);
	if ((status = datasets(o, &s, &names, &n)) != 0) {
		rta_store_close(&s);
		return sub_finish(status, 0);
	}
	for (i = 0; i < n; i++) {
		rc = rta_dataset_fsck(&s, names[i], o->repair, fsck_line, NULL,
		    &r, &err);
		if (rc == RTA_EOF) {
			rta_warnx("%s: no dataset '%s'", o->store, names[i]);
			rta_cli_status(&status, RTA_EXIT_USAGE);
			continue;
		}
		if (rc != RTA_OK) {
			rta_warnx("%s", err.text);
			rta_cli_status(&status, store_exit(rc, &err));
			continue;
		}
		sub_metrics_add(names[i], NULL, &r, NULL);
		printf("%s/%s: %llu logs, %llu segments, %llu records, %llu "
		    "bytes: %s\n", o->store, names[i],
		    (unsigned long long)r.logs, (unsigned long long)r.segments,
		    (unsigned long long)r.records, (unsigned long long)r.bytes,
		    r.damaged == 0 ? "clean" : r.repaired == r.damaged ?
		    "repaired" : "DAMAGED");
		if (r.damaged > r.repaired)
			rta_cli_status(&status, RTA_EXIT_DATA);
	}
	rta_store_names_free(names, n);
	rta_store_close(&s);
	return sub_finish(status, 0);
}

static void
say_line(void *arg, const char *line)
{
	(void)arg;
	printf("%s\n", line);
}

/* retain --cold: a bucket may go once its day is in the cold store. */
struct exported {
	int			 fd;
	const char		*name;
	struct rta_export_state	*st;
};

static int
exported_ok(void *arg, const struct rta_dataset *ds, int64_t bucket)
{
	struct exported *ex = arg;

	return rta_export_covers(ex->fd, ex->name, ds, bucket, &ex->st);
}

static const char *
kept_text(const struct opts *o, const struct rta_maint *r)
{
	static char buf[96];

	if (o->cold == NULL)
		return "";
	snprintf(buf, sizeof(buf), ", %llu kept (not exported as they are)",
	    (unsigned long long)r->kept);
	return buf;
}

static int
maint_main(const struct opts *o)
{
	struct rta_store s;
	struct rta_maint r;
	struct rta_error err;
	char **names;
	size_t n, i;
	int64_t cutoff;
	int rc, status, cold_fd = -1;

	if ((status = open_store(o, &s)) != 0)
		return sub_finish(status, 0);
	if ((status = datasets(o, &s, &names, &n)) != 0) {
		rta_store_close(&s);
		return sub_finish(status, 0);
	}
	if (o->cold != NULL && (cold_fd = open(o->cold, O_RDONLY |
	    O_DIRECTORY | O_CLOEXEC)) < 0) {
		rta_warnx("%s: %s", o->cold, strerror(errno));
		rta_store_names_free(names, n);
		rta_store_close(&s);
		return sub_finish(RTA_EXIT_IO, 0);
	}
	cutoff = rta_now() - (int64_t)o->days * 86400 * RTA_US_PER_SEC;
	for (i = 0; i < n; i++) {
		struct exported ex = { cold_fd, names[i], NULL };

		if (o->sub == SUB_COMPACT)
			rc = rta_dataset_compact(&s, names[i], o->level,
			    say_line, NULL, &r, &err);
		else
			rc = rta_dataset_retain(&s, names[i], cutoff,
			    o->cold != NULL ? exported_ok : NULL, &ex,
			    say_line, NULL, &r, &err);
		rta_export_state_free(ex.st);
		if (rc == RTA_EOF) {
			rta_warnx("%s: no dataset '%s'", o->store, names[i]);
			rta_cli_status(&status, RTA_EXIT_USAGE);
			continue;
		}
		if (rc != RTA_OK) {
			rta_warnx("%s", err.text);
			rta_cli_status(&status, store_exit(rc, &err));
			continue;
		}
		sub_metrics_add(names[i], &r, NULL, NULL);
		if (o->sub == SUB_COMPACT)
			printf("%s/%s: %llu buckets compacted, %llu records "
			    "(%llu before), %llu bytes (%llu before), %llu "
			    "files removed, %llu buckets still open\n",
			    o->store, names[i], (unsigned long long)r.buckets,
			    (unsigned long long)r.records_out,
			    (unsigned long long)r.records_in,
			    (unsigned long long)r.bytes_out,
			    (unsigned long long)r.bytes_in,
			    (unsigned long long)r.files_removed,
			    (unsigned long long)r.open_skipped);
		else
			printf("%s/%s: %llu buckets retired, %llu bytes, %llu "
			    "files removed, %llu buckets still open%s\n",
			    o->store, names[i], (unsigned long long)r.buckets,
			    (unsigned long long)r.bytes_in,
			    (unsigned long long)r.files_removed,
			    (unsigned long long)r.open_skipped,
			    kept_text(o, &r));
	}
	if (cold_fd >= 0)
		close(cold_fd);
	rta_store_names_free(names, n);
	rta_store_close(&s);
	return sub_finish(status, 0);
}

/* ---- export ------------------------------------------------------------- */

#define SCHEMA_MAX	(16U << 20)

/* A payload schema file as a checked value in out: 0, or -1 (said). */
static int
load_schema(const char *path, struct rta_buf *out)
{
	struct rta_buf text = RTA_BUF_INIT;
	struct rta_error err;
	struct rta_json j;
	char buf[65536];
	size_t n;
	FILE *fp;
	int rc = -1;

	if ((fp = fopen(path, "rb")) == NULL) {
		rta_warnx("%s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
		if (text.len + n > SCHEMA_MAX || rta_buf_add(&text, buf, n)) {
			rta_warnx("%s: larger than %u bytes", path,
			    SCHEMA_MAX);
			goto out;
		}
	if (ferror(fp)) {
		rta_warnx("%s: %s", path, strerror(errno));
		goto out;
	}
	rta_json_init(&j);
	out->len = 0;
	if (rta_json_document(&j, text.data, text.len, out, &err) != RTA_OK)
		rta_warnx("%s: byte %llu: %s", path,
		    (unsigned long long)err.offset, err.text);
	else if (rta_value_tag(out->data) != RTA_V_OBJECT)
		rta_warnx("%s: not a JSON Schema (an object)", path);
	else
		rc = 0;
	rta_json_release(&j);
out:
	fclose(fp);
	rta_buf_release(&text);
	return rc;
}

static int
export_run(const struct opts *o, const unsigned char **sv)
{
	struct rta_export_opts eo;
	struct rta_export_result r;
	struct rta_store s;
	struct rta_cold c;
	struct rta_error err;
	char **names;
	size_t n, i;
	int64_t before = INT64_MIN;
	int rc, status;

	if (o->before != NULL) {
		int64_t ago;

		/* a bare duration is that long ago, as for retain --days */
		if (strspn(o->before, "0123456789") < strlen(o->before) &&
		    rta_duration_parse(o->before, &ago, &err) == RTA_OK &&
		    ago >= 0)
			before = rta_now() - ago;
		else if (rta_time_parse_arg(o->before, rta_now(), &before,
		    &err) != RTA_OK)
			rta_usage_error(usage_line, "bad --before '%s' (a date "
			    "such as 2026-11-20, or 7d for a week ago)",
			    o->before);
		before = before >= 0 ? before / (86400 * RTA_US_PER_SEC) :
		    -((-before + 86400 * RTA_US_PER_SEC - 1) /
		    (86400 * RTA_US_PER_SEC));
	}
	if ((status = open_store(o, &s)) != 0)
		return sub_finish(status, 0);
	if ((status = datasets(o, &s, &names, &n)) != 0) {
		rta_store_close(&s);
		return sub_finish(status, 0);
	}
	if ((rc = rta_cold_open(&c, o->cold, 1, &err)) != RTA_OK) {
		rta_warnx("%s", err.text);
		rta_store_names_free(names, n);
		rta_store_close(&s);
		return sub_finish(store_exit(rc, &err), 0);
	}
	memset(&eo, 0, sizeof(eo));
	eo.before = before;
	eo.row_group_rows = o->row_group_rows;
	eo.level = o->level;
	eo.force = o->force;
	eo.schemas = sv;
	eo.nschemas = o->nschemas;
	eo.note = say_line;
	for (i = 0; i < n; i++) {
		rc = rta_dataset_export(&s, names[i], &c, &eo, &r, &err);
		if (rc == RTA_EOF) {
			rta_warnx("%s: no dataset '%s'", o->store, names[i]);
			rta_cli_status(&status, RTA_EXIT_USAGE);
			continue;
		}
		if (rc != RTA_OK && rc != RTA_EDATA) {
			rta_warnx("%s", err.text);
			rta_cli_status(&status, store_exit(rc, &err));
			continue;
		}
		if (rc == RTA_EDATA) {
			rta_warnx("%s (%llu records not exported)", err.text,
			    (unsigned long long)r.rejected);
			rta_cli_status(&status, RTA_EXIT_DATA);
		}
		sub_metrics_add(names[i], NULL, NULL, &r);
		printf("%s/%s: %llu days exported (%llu unchanged), %llu "
		    "files, %llu rows, %llu bytes, %llu stale partitions "
		    "removed\n", o->cold, names[i],
		    (unsigned long long)r.days, (unsigned long long)r.unchanged,
		    (unsigned long long)r.partitions,
		    (unsigned long long)r.rows, (unsigned long long)r.bytes,
		    (unsigned long long)r.removed);
	}
	rta_cold_close(&c);
	rta_store_names_free(names, n);
	rta_store_close(&s);
	return sub_finish(status, 0);
}

static int
export_main(const struct opts *o)
{
	struct rta_buf sb[sizeof(o->schemas) / sizeof(o->schemas[0])];
	const unsigned char *sv[sizeof(o->schemas) / sizeof(o->schemas[0])];
	size_t i;
	int status = -1;

	memset(sb, 0, sizeof(sb));
	for (i = 0; i < o->nschemas; i++) {
		if (load_schema(o->schemas[i], &sb[i]) != 0) {
			status = sub_finish(RTA_EXIT_USAGE, 0);
			break;
		}
		sv[i] = sb[i].data;
	}
	if (status == -1)
		status = export_run(o, sv);
	for (i = 0; i < o->nschemas; i++)
		rta_buf_release(&sb[i]);
	return status;
}

static void
put_time(struct rta_buf *b, const char *key, int64_t t, int valid)
{
	char ts[40];

	if (!valid) {
		rta_buf_printf(b, ",\"%s\":null", key);
		return;
	}
	rta_time_format(ts, t);
	rta_buf_printf(b, ",\"%s\":\"%.27s\"", key, ts);
}

static int
stats_main(const struct opts *o)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_ds_stats st;
	struct rta_dataset ds;
	struct rta_store s;
	struct rta_error err;
	char **names;
	size_t n, i;
	int64_t now = rta_now();
	int rc, status;

	if ((status = open_store(o, &s)) != 0)
		return sub_finish(status, 0);
	if ((status = datasets(o, &s, &names, &n)) != 0) {
		rta_store_close(&s);
		return sub_finish(status, 0);
	}
	for (i = 0; i < n; i++) {
		rc = rta_dataset_open(&s, names[i], &ds, &err);
		if (rc == RTA_EOF) {
			rta_warnx("%s: no dataset '%s'", o->store, names[i]);
			rta_cli_status(&status, RTA_EXIT_USAGE);
			continue;
		}
		if (rc == RTA_OK && (rc = rta_dataset_stats(&ds, now, &st,
		    &err)) != RTA_OK)
			rta_dataset_close(&ds);
		if (rc != RTA_OK) {
			rta_warnx("%s", err.text);
			rta_cli_status(&status, store_exit(rc, &err));
			continue;
		}
		rta_dataset_close(&ds);
		b.len = 0;
		rta_buf_printf(&b, "{\"dataset\":\"%s\",\"kind\":\"%s\","
		    "\"records_written\":%llu,\"tenants\":%zu,"
		    "\"buckets\":%llu,\"logs\":%llu,\"segments\":%llu,"
		    "\"bucket_seconds\":%lld,\"bytes\":%llu",
		    names[i], rta_ds_kind_name(st.kind),
		    (unsigned long long)st.records, st.tenants,
		    (unsigned long long)st.buckets, (unsigned long long)st.logs,
		    (unsigned long long)st.segments,
		    (long long)(st.bucket_width / RTA_US_PER_SEC),
		    (unsigned long long)st.bytes);
		if (st.seg_bytes > 0)
			rta_buf_printf(&b, ",\"compression\":%.2f",
			    (double)st.seg_raw / (double)st.seg_bytes);
		else
			rta_buf_adds(&b, ",\"compression\":null");
		put_time(&b, "oldest", st.oldest, st.oldest != INT64_MIN);
		put_time(&b, "newest", st.newest, st.newest != INT64_MIN);
		put_time(&b, "watermark", st.watermark,
		    st.watermark != INT64_MIN);
		put_time(&b, "last_commit", st.last_commit,
		    st.last_commit != INT64_MIN);
		if (st.lag != INT64_MIN)
			rta_buf_printf(&b, ",\"lag_seconds\":%.3f",
			    (double)st.lag / RTA_US_PER_SEC);
		else
			rta_buf_adds(&b, ",\"lag_seconds\":null");
		if (rta_buf_adds(&b, "}\n") != 0) {
			rta_warnx("out of memory");
			rta_cli_status(&status, RTA_EXIT_LIMIT);
		} else
			fwrite(b.data, 1, b.len, stdout);
	}
	rta_buf_release(&b);
	rta_store_names_free(names, n);
	rta_store_close(&s);
	return sub_finish(status, 0);
}

/* ---- archive and restore ------------------------------------------------ */

/* What archive or restore did per dataset, for --metrics. */
struct coldres {
	char		 name[RTA_STORE_NAME_MAX + 1];
	uint64_t	 partitions, files, bytes;
};

static struct {
	struct coldres	*v;
	size_t		 n;
	uint64_t	 removed;
} cm;

static void
cold_partition(void *arg, const char *part, uint64_t files, uint64_t bytes)
{
	size_t len = strcspn(part, "/"), i;
	struct coldres *v;

	(void)arg;
	for (i = 0; i < cm.n; i++)
		if (strlen(cm.v[i].name) == len &&
		    strncmp(cm.v[i].name, part, len) == 0)
			break;
	if (i == cm.n) {
		if (len >= sizeof(v->name) ||
		    (v = realloc(cm.v, (cm.n + 1) * sizeof(*v))) == NULL)
			return;
		cm.v = v;
		memset(&v[cm.n], 0, sizeof(v[cm.n]));
		memcpy(v[cm.n].name, part, len);
		cm.n++;
	}
	cm.v[i].partitions++;
	cm.v[i].files += files;
	cm.v[i].bytes += bytes;
}

static void
cold_warn(void *arg, const char *line)
{
	(void)arg;
	rta_warnx("%s", line);
}

static int
cold_metrics(void *arg, struct rta_buf *out)
{
	static const char *const what[] = { "partitions", "files", "bytes" };
	const char *verb = sm.sub == SUB_ARCHIVE ? "archived" : "restored";
	size_t i, j;
	uint64_t v;

	(void)arg;
	for (j = 0; j < 3; j++) {
		rta_buf_printf(out, "# HELP rta_store_%s_%s_total %c%s %s.\n"
		    "# TYPE rta_store_%s_%s_total counter\n", verb, what[j],
		    what[j][0] - 'a' + 'A', what[j] + 1, verb, verb, what[j]);
		for (i = 0; i < cm.n; i++) {
			v = j == 0 ? cm.v[i].partitions : j == 1 ?
			    cm.v[i].files : cm.v[i].bytes;
			rta_buf_printf(out, "rta_store_%s_%s_total{dataset=\""
			    "%s\"} %llu\n", verb, what[j], cm.v[i].name,
			    (unsigned long long)v);
		}
	}
	if (sm.sub == SUB_ARCHIVE)
		rta_buf_printf(out, "# HELP rta_store_archive_removed_"
		    "partitions_total Partitions removed once archived.\n"
		    "# TYPE rta_store_archive_removed_partitions_total counter\n"
		    "rta_store_archive_removed_partitions_total %llu\n",
		    (unsigned long long)cm.removed);
	return 0;
}

/*
 * Write the metrics and finish: in files came (archive: were found),
 * out were archived or restored, the rest rejected for reason.
 */
static int
cold_finish(int status, uint64_t in, uint64_t out, const char *reason)
{
	struct rta_error err;
	uint64_t i;

	if (sm.on) {
		sm.m.in = in;
		sm.m.out = out;
		for (i = out; i < in; i++)
			rta_metrics_reject(&sm.m, reason);
		if (rta_metrics_write(&sm.m, 1, &err) != RTA_OK) {
			rta_warnx("%s", err.text);
			rta_cli_status(&status, RTA_EXIT_IO);
		}
		rta_metrics_release(&sm.m);
		sm.on = 0;
	}
	free(cm.v);
	return rta_cli_finish(status);
}

/* A library failure: the message, prefixed by the archive's name when
 * it is about the archive; the exit status. */
static int
cold_error(int rc, const struct rta_error *err, const char *file)
{
	if (rc == RTA_EDATA || (err->reason != NULL &&
	    strcmp(err->reason, "archive-io") == 0))
		rta_warnx("%s: %s", file, err->text);
	else
		rta_warnx("%s", err->text);
	if (rc == RTA_EDATA)
		return RTA_EXIT_DATA;
	if (rc == RTA_EOF)
		return RTA_EXIT_IO;
	return store_exit(rc, err);
}

static int
archive_main(const struct opts *o, struct rta_cold *c, int64_t day)
{
	struct rta_archive_opts ao;
	struct rta_archive_result r;
	struct rta_error err;
	unsigned m, d;
	int64_t y;
	int rc, status = RTA_EXIT_OK;

	memset(&ao, 0, sizeof(ao));
	ao.dataset = o->dataset;
	ao.before = day;
	ao.remove = o->remove;
	ao.mtime = rta_now() / RTA_US_PER_SEC;
	ao.partition = cold_partition;
	ao.warn = cold_warn;
	rc = rta_archive_create(c, o->file, &ao, &r, &err);
	if (r.skipped > 0)
		status = RTA_EXIT_DATA;
	if (rc == RTA_EOF) {
		rta_civil_from_days(day, &y, &m, &d);
		rta_warnx("%s: nothing to archive before %04lld-%02u-%02u",
		    o->cold, (long long)y, m, d);
	} else if (rc == RTA_EDATA) {
		/* A file changed under us, or the archive read back wrong. */
		rta_warnx("%s", err.text);
		rta_cli_status(&status, RTA_EXIT_IO);
	} else if (rc != RTA_OK)
		rta_cli_status(&status, cold_error(rc, &err, o->file));
	if (r.partitions > 0)
		rta_warnx("%s: %llu partitions, %llu files, %llu bytes "
		    "archived%s%s", o->file, (unsigned long long)r.partitions,
		    (unsigned long long)r.files, (unsigned long long)r.bytes,
		    r.removed > 0 ? ", removed from " : "",
		    r.removed > 0 ? o->cold : "");
	cm.removed = r.removed;
	rta_cold_close(c);
	return cold_finish(status, r.files, r.files, NULL);
}

static int
restore_main(const struct opts *o, struct rta_cold *c, const char *file)
{
	struct rta_archive_opts ao;
	struct rta_archive_result r;
	struct rta_error err;
	const char *reason = NULL;
	int rc, status = RTA_EXIT_OK;

	memset(&ao, 0, sizeof(ao));
	ao.partition = cold_partition;
	rc = rta_archive_restore(c, file, &ao, &r, &err);
	if (rc != RTA_OK) {
		status = cold_error(rc, &err, file);
		reason = err.reason;
	}
	if (rc == RTA_OK || r.partitions > 0)
		rta_warnx("%s: %llu partitions, %llu files, %llu bytes "
		    "restored into %s", file, (unsigned long long)r.partitions,
		    (unsigned long long)r.files, (unsigned long long)r.bytes,
		    o->cold);
	else if (rc != RTA_OK)
		rta_warnx("%s: nothing restored (%llu files read, %llu "
		    "rejected)", file, (unsigned long long)r.read,
		    (unsigned long long)r.read);
	rta_cold_close(c);
	return cold_finish(status, r.read > r.files ? r.read : r.files,
	    r.files, reason);
}

/* archive and restore: the cold store, not the hot one. */
static int
cold_main(const struct opts *o, struct rta_stage *st, int argc, char **argv)
{
	struct rta_error err;
	struct rta_cold c;
	struct stat sb;
	int64_t us, day = 0;
	size_t n;
	int rc;

	if (o->cold == NULL)
		rta_usage_error(usage_line, "--cold DIR (the cold store) is "
		    "needed");
	if (o->sub == SUB_ARCHIVE) {
		if (o->file == NULL)
			rta_usage_error(usage_line, "-o FILE (the archive) is "
			    "needed");
		if (o->before == NULL)
			rta_usage_error(usage_line, "--before DATE is needed");
		if (argc > 0)
			rta_usage_error(usage_line, "rta-store archive takes "
			    "no operands");
		if (rta_archive_filter(o->file) == NULL)
			rta_usage_error(usage_line, "bad -o '%s' (a file "
			    "name ending in .tar.zst, .tar.gz, .tar.xz or "
			    ".tar)", o->file);
		if (o->dataset != NULL && !rta_store_name_valid(o->dataset))
			rta_usage_error(usage_line, "bad dataset name '%s'",
			    o->dataset);
		/*
		 * "30d" as well as "-30d": a duration with its unit looks
		 * back (a bare number stays epoch seconds).
		 */
		n = strlen(o->before);
		if (n > 0 && o->before[n - 1] >= 'a' &&
		    o->before[n - 1] <= 'z' &&
		    rta_duration_parse(o->before, &us, &err) == RTA_OK &&
		    us >= 0 && us <= rta_now() - RTA_TIME_MIN)
			us = rta_now() - us;
		else
			parse_time("--before", o->before, &us);
		day = us / (86400 * RTA_US_PER_SEC);
		if (us % (86400 * RTA_US_PER_SEC) < 0)
			day--;
	} else if (argc != 1)
		rta_usage_error(usage_line, "rta-store restore takes one "
		    "archive");
	if ((rc = sub_metrics_start(st, o->sub)) != 0)
		return rta_cli_finish(rc);
	if (sm.on)
		sm.m.extra = cold_metrics;
	/* A missing archive makes no cold store. */
	if (o->sub == SUB_RESTORE && stat(argv[0], &sb) != 0) {
		rta_warnx("%s: %s", argv[0], strerror(errno));
		return cold_finish(RTA_EXIT_IO, 0, 0, NULL);
	}
	if ((rc = rta_cold_open(&c, o->cold, o->sub == SUB_RESTORE, &err)) !=
	    RTA_OK)
		return cold_finish(cold_error(rc, &err, o->cold), 0, 0, NULL);
	if (o->sub == SUB_ARCHIVE)
		return archive_main(o, &c, day);
	return restore_main(o, &c, argv[0]);
}

/* ---- main --------------------------------------------------------------- */

static int
bucket_width(const char *s, int64_t *us)
{
	struct rta_error err;

	if (rta_duration_parse(s, us, &err) != RTA_OK ||
	    *us % (3600 * RTA_US_PER_SEC) != 0 || *us <= 0 ||
	    (86400 * RTA_US_PER_SEC) % *us != 0)
		return -1;
	return 0;
}

/* ---- rollup ------------------------------------------------------------- */

static void
rollup_width(const char *arg, struct rta_rollup_def *d)
{
	struct rta_error err;

	if (rta_duration_parse(arg, &d->width, &err) != RTA_OK ||
	    rta_rollup_check(&(struct rta_rollup_def){ "a", "b", d->width },
	    &err) != RTA_OK)
		rta_usage_error(usage_line, "bad --bucket '%s' (whole seconds "
		    "from 1s to 366d: 1h, 1d)", arg);
}

static void
rollup_name(const char *arg, char *name)
{
	if (!rta_store_name_valid(arg))
		rta_usage_error(usage_line, "bad dataset name '%.64s' (a-z, "
		    "0-9, _ and -)", arg);
	memcpy(name, arg, strlen(arg) + 1);
}

static void
rollup_check(const struct opts *o)
{
	const struct rta_rollup_def *d = &o->rollup;
	struct rta_error err;
	int given = d->from[0] != '\0' || d->to[0] != '\0' || d->width != 0;

	if (o->all && (o->define || given))
		rta_usage_error(usage_line, "--all refreshes the defined "
		    "rollups: it takes no --define, --from-dataset, "
		    "--to-dataset or --bucket");
	if (o->all)
		return;
	if (d->from[0] == '\0' || d->to[0] == '\0' || d->width == 0)
		rta_usage_error(usage_line, "rollup needs --all, or "
		    "--from-dataset, --to-dataset and --bucket");
	if (rta_rollup_check(d, &err) != RTA_OK)
		rta_usage_error(usage_line, "%s", err.text);
}

/* --threads: at most */
#define THREADS_MAX	64

/* Refresh one rollup and say what it did: 0 or an exit status. */
static int
rollup_one(struct rta_store *s, const struct rta_rollup_def *d, int all,
    unsigned threads, uint64_t *out)
{
	struct rta_rollup_result r;
	struct rta_error err;
	int rc;

	/* --all from cron: a source not made yet has nothing to roll up */
	if ((rc = rta_rollup_refresh(s, d, threads, &r, &err)) == RTA_EOF && all)
		memset(&r, 0, sizeof(r));
	else if (rc != RTA_OK) {
		rta_warnx("rollup %s: %s", d->to, err.text);
		return rc == RTA_EOF ? RTA_EXIT_USAGE : store_exit(rc, &err);
	}
	*out += r.records_out;
	sub_metrics_rollup(d->to, &r);
	printf("{\"rollup\":\"%s\",\"from\":\"%s\",\"bucket_seconds\":%lld,"
	    "\"changed_buckets\":%llu,\"buckets\":%llu,"
	    "\"skipped_buckets\":%llu,\"records_in\":%llu,"
	    "\"records_out\":%llu,\"commit\":%llu}\n", d->to, d->from,
	    (long long)(d->width / 1000000), (unsigned long long)r.changed,
	    (unsigned long long)r.buckets, (unsigned long long)r.skipped,
	    (unsigned long long)r.records_in,
	    (unsigned long long)r.records_out, (unsigned long long)r.commit);
	return 0;
}

static int
rollup_main(const struct opts *o)
{
	struct rta_rollup_def *v;
	struct rta_store s;
	struct rta_error err;
	uint64_t out = 0;
	size_t n, i;
	unsigned threads = o->threads;
	int rc, added, status;
	long ncpu;

	/* by default a thread a processor, as many as THREADS_MAX */
	if (threads == 0) {
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		threads = ncpu < 1 ? 1 : ncpu > THREADS_MAX ? THREADS_MAX :
		    (unsigned)ncpu;
	}
	if ((status = open_store(o, &s)) != 0)
		return sub_finish(status, 0);
	if (o->define) {
		if ((rc = rta_rollup_define(&s, &o->rollup, &added, &err)) !=
		    RTA_OK) {
			rta_warnx("%s", err.text);
			status = store_exit(rc, &err);
		}
	} else if (!o->all)
		status = rollup_one(&s, &o->rollup, 0, threads, &out);
	else if ((rc = rta_rollup_defs_read(&s, &v, &n, &err)) != RTA_OK) {
		rta_warnx("%s", err.text);
		status = store_exit(rc, &err);
	} else {
		/* A failed rollup leaves the others to run, but not the
		 * rollups of its target, which would be stale. */
		rta_rollup_order(v, n);
		for (i = 0; i < n; i++) {
			size_t k;

			for (k = 0; k < i; k++)
				if (v[k].width == 0 &&
				    strcmp(v[k].to, v[i].from) == 0)
					break;
			if (k < i) {
				v[i].width = 0;
				continue;
			}
			if ((rc = rollup_one(&s, &v[i], 1, threads, &out)) != 0) {
				rta_cli_status(&status, rc);
				v[i].width = 0;
			}
		}
		free(v);
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		rta_cli_status(&status, RTA_EXIT_IO);
	rta_store_close(&s);
	return sub_finish(status, out);
}

/* ---- cohort ------------------------------------------------------------- */

/* The definition the options give (o's rollup holds the names and
 * width). */
static void
cohort_def(const struct opts *o, struct rta_cohort_def *d)
{
	memset(d, 0, sizeof(*d));
	memcpy(d->from, o->rollup.from, sizeof(d->from));
	memcpy(d->to, o->rollup.to, sizeof(d->to));
	d->width = o->rollup.width;
	if (o->user != NULL)
		snprintf(d->user, sizeof(d->user), "%s", o->user);
	if (o->activity != NULL)
		snprintf(d->activity, sizeof(d->activity), "%s", o->activity);
	/* as definitions keep it (a bad list is cohort_check's to say) */
	(void)rta_cohort_activity_order(d->activity);
}

static void
cohort_check(const struct opts *o)
{
	struct rta_cohort_def d;
	struct rta_error err;
	int given = o->rollup.from[0] != '\0' || o->rollup.to[0] != '\0' ||
	    o->rollup.width != 0 || o->user != NULL || o->activity != NULL;

	if (o->all && (o->define || given))
		rta_usage_error(usage_line, "--all refreshes the defined "
		    "cohort datasets: it takes no --define, --from-dataset, "
		    "--to-dataset, --bucket, --user or --activity");
	if (o->all)
		return;
	if (o->rollup.from[0] == '\0' || o->rollup.to[0] == '\0' ||
	    o->rollup.width == 0 || o->user == NULL)
		rta_usage_error(usage_line, "cohort needs --all, or "
		    "--from-dataset, --to-dataset, --bucket and --user");
	if ((o->user != NULL && strlen(o->user) > RTA_COHORT_FIELD_MAX) ||
	    (o->activity != NULL && strlen(o->activity) >
	    RTA_COHORT_ACTIVITY_MAX))
		rta_usage_error(usage_line, "--user or --activity too long");
	cohort_def(o, &d);
	if (rta_cohort_def_check(&d, &err) != RTA_OK)
		rta_usage_error(usage_line, "%s", err.text);
}

/* Refresh one cohort dataset and say what it did: 0 or an exit status. */
static int
cohort_one(struct rta_store *s, const struct rta_cohort_def *d, int all,
    uint64_t max_users, uint64_t *out)
{
	struct rta_cohort_result r;
	struct rta_error err;
	struct rta_buf b = RTA_BUF_INIT;
	int rc;

	if ((rc = rta_cohort_refresh(s, d, max_users, &r, &err)) == RTA_EOF &&
	    all)
		memset(&r, 0, sizeof(r));
	else if (rc != RTA_OK) {
		rta_warnx("cohort %s: %s", d->to, err.text);
		return rc == RTA_EOF ? RTA_EXIT_USAGE : store_exit(rc, &err);
	}
	*out += r.records_out;
	sub_metrics_cohort(d->to, &r);
	if (rta_buf_printf(&b, "{\"cohort\":\"%s\",\"from\":\"%s\","
	    "\"bucket_seconds\":%lld,\"user\":", d->to, d->from,
	    (long long)(d->width / 1000000)) != 0 ||
	    rta_json_put_string(&b, d->user, strlen(d->user)) != 0 ||
	    rta_buf_add(&b, ",\"activity\":", 12) != 0 ||
	    rta_json_put_string(&b, d->activity[0] ? d->activity : "*",
	    d->activity[0] ? strlen(d->activity) : 1) != 0 ||
	    rta_buf_printf(&b, ",\"changed_buckets\":%llu,\"events_in\":%llu,"
	    "\"no_user\":%llu,\"states_in\":%llu,\"users\":%llu,"
	    "\"moved\":%llu,\"records_out\":%llu,\"commit\":%llu}\n",
	    (unsigned long long)r.changed, (unsigned long long)r.events_in,
	    (unsigned long long)r.no_user,
	    (unsigned long long)r.states_in, (unsigned long long)r.users,
	    (unsigned long long)r.moved, (unsigned long long)r.records_out,
	    (unsigned long long)r.commit) != 0) {
		rta_buf_release(&b);
		rta_warnx("out of memory");
		return RTA_EXIT_LIMIT;
	}
	fwrite(b.data, 1, b.len, stdout);
	rta_buf_release(&b);
	return 0;
}

static int
cohort_main(const struct opts *o)
{
	struct rta_cohort_def *v, d;
	struct rta_store s;
	struct rta_error err;
	uint64_t out = 0;
	size_t n, i;
	int rc, added, status;

	if ((status = open_store(o, &s)) != 0)
		return sub_finish(status, 0);
	cohort_def(o, &d);
	if (o->define) {
		if ((rc = rta_cohort_define(&s, &d, &added, &err)) != RTA_OK) {
			rta_warnx("%s", err.text);
			status = store_exit(rc, &err);
		}
	} else if (!o->all)
		status = cohort_one(&s, &d, 0, o->max_users, &out);
	else if ((rc = rta_cohort_defs_read(&s, &v, &n, &err)) != RTA_OK) {
		rta_warnx("%s", err.text);
		status = store_exit(rc, &err);
	} else {
		/* a failed one leaves the others to run */
		for (i = 0; i < n; i++)
			if ((rc = cohort_one(&s, &v[i], 1, o->max_users,
			    &out)) != 0)
				rta_cli_status(&status, rc);
		free(v);
	}
	if (fflush(stdout) != 0 || ferror(stdout))
		rta_cli_status(&status, RTA_EXIT_IO);
	rta_store_close(&s);
	return sub_finish(status, out);
}

int
main(int argc, char *argv[])
{
	struct rta_stage st;
	struct opts o;
	uint64_t n;
	int c;

	rta_stage_init(&st, "rta-store", usage_line);
	memset(&o, 0, sizeof(o));
	o.ack_fd = -1;
	o.max_future = 86400 * RTA_US_PER_SEC;
	o.sync_every = 100000;
	o.level = 3;
	o.days = 14;
	rta_writer_opts_init(&o.w);
	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
		    strcmp(argv[1], "--help") == 0)) {
			help();
			return rta_cli_finish(RTA_EXIT_OK);
		}
		if (argc >= 2 && (strcmp(argv[1], "-V") == 0 ||
		    strcmp(argv[1], "--version") == 0)) {
			rta_cli_version();
			return rta_cli_finish(RTA_EXIT_OK);
		}
		rta_usage_error(usage_line, "a subcommand is needed: init, "
		    "ingest, cat, offsets, compact, retain, export, fsck, "
		    "stats, archive, restore, rollup or cohort");
	}
	if (strcmp(argv[1], "init") == 0)
		o.sub = SUB_INIT;
	else if (strcmp(argv[1], "ingest") == 0)
		o.sub = SUB_INGEST;
	else if (strcmp(argv[1], "cat") == 0)
		o.sub = SUB_CAT;
	else if (strcmp(argv[1], "offsets") == 0)
		o.sub = SUB_OFFSETS;
	else if (strcmp(argv[1], "compact") == 0)
		o.sub = SUB_COMPACT;
	else if (strcmp(argv[1], "retain") == 0)
		o.sub = SUB_RETAIN;
	else if (strcmp(argv[1], "fsck") == 0)
		o.sub = SUB_FSCK;
	else if (strcmp(argv[1], "stats") == 0)
		o.sub = SUB_STATS;
	else if (strcmp(argv[1], "export") == 0)
		o.sub = SUB_EXPORT;
	else if (strcmp(argv[1], "archive") == 0)
		o.sub = SUB_ARCHIVE;
	else if (strcmp(argv[1], "restore") == 0)
		o.sub = SUB_RESTORE;
	else if (strcmp(argv[1], "rollup") == 0)
		o.sub = SUB_ROLLUP;
	else if (strcmp(argv[1], "cohort") == 0)
		o.sub = SUB_COHORT;
	else
		rta_usage_error(usage_line, "unknown subcommand '%s'", argv[1]);
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, ":d:ho:qs:V", longopts, NULL)) !=
	    -1) {
		if (c == '?' || c == ':')
			rta_cli_bad_option(usage_line, c, argv);
		if (!allowed(o.sub, c)) {
			if (c == 'o' || c == 'q')
				rta_usage_error(usage_line, "-%c is not an "
				    "option of rta-store %s", c, argv[0]);
			rta_usage_error(usage_line, "--%s is not an option of "
			    "rta-store %s", opt_name(c, argv), argv[0]);
		}
		switch (c) {
		case 'd':
			o.dataset = optarg;
			break;
		case 'h':
			help();
			return rta_cli_finish(RTA_EXIT_OK);
		case 'o':
			if (o.sub == SUB_ARCHIVE) {
				o.file = optarg;
				break;
			}
			if (rta_format_parse(optarg, &o.out) != 0 ||
			    (o.out != RTA_FMT_NDJSON && o.out != RTA_FMT_RTA))
				rta_usage_error(usage_line, "bad -o '%s' (use "
				    "ndjson or rta)", optarg);
			break;
		case 's':
			o.store = optarg;
			break;
		case 'V':
			rta_cli_version();
			return rta_cli_finish(RTA_EXIT_OK);
		case OPT_ACK_FD:
			if (rta_parse_u64(optarg, 0, 1 << 20, &n) != 0)
				rta_usage_error(usage_line, "bad --ack-fd '%s' "
				    "(a file descriptor number)", optarg);
			o.ack_fd = (int)n;
			break;
		case OPT_BUCKET:
			if (o.sub == SUB_ROLLUP || o.sub == SUB_COHORT) {
				rollup_width(optarg, &o.rollup);
				break;
			}
			if (bucket_width(optarg, &o.w.width) != 0)
				rta_usage_error(usage_line, "bad --bucket '%s' "
				    "(whole hours that divide a day: 1h, 2h, "
				    "3h, 4h, 6h, 8h, 12h or 1d)", optarg);
			break;
		case OPT_ALL:
			o.all = 1;
			break;
		case OPT_THREADS:
			if (rta_parse_u64(optarg, 1, THREADS_MAX, &n) != 0)
				rta_usage_error(usage_line, "bad --threads '%s' "
				    "(1 to %d)", optarg, THREADS_MAX);
			o.threads = (unsigned)n;
			break;
		case OPT_DEFINE:
			o.define = 1;
			break;
		case OPT_FROM_DATASET:
		case OPT_TO_DATASET:
			rollup_name(optarg, c == OPT_FROM_DATASET ?
			    o.rollup.from : o.rollup.to);
			break;
		case OPT_DEDUP_HORIZON: {
			struct rta_error err;

			if (rta_duration_parse(optarg, &o.w.horizon, &err) !=
			    RTA_OK || o.w.horizon <= 0)
				rta_usage_error(usage_line, "bad "
				    "--dedup-horizon '%s' (a duration such as "
				    "7d)", optarg);
			break;
		}
		case OPT_BEYOND_HORIZON:
			if (strcmp(optarg, "reject") != 0 &&
			    strcmp(optarg, "store") != 0)
				rta_usage_error(usage_line, "bad "
				    "--beyond-horizon '%s' (reject or store)",
				    optarg);
			o.w.beyond_store = strcmp(optarg, "store") == 0;
			break;
		case OPT_FORMAT:
			if (rta_offsets_style(optarg, &o.json) != 0)
				rta_usage_error(usage_line, "bad --format '%s' "
				    "(use kcat or json)", optarg);
			break;
		case OPT_FROM:
			o.from = optarg;
			break;
		case OPT_MAX_FUTURE: {
			struct rta_error err;

			if (rta_duration_parse(optarg, &o.max_future, &err) !=
			    RTA_OK || o.max_future < 0)
				rta_usage_error(usage_line, "bad --max-future "
				    "'%s' (a duration; 0 for no limit)",
				    optarg);
			break;
		}
		case OPT_MAX_MEM:
			if (rta_parse_size(optarg, &o.w.max_mem) != 0 ||
			    o.w.max_mem < (16ULL << 20))
				rta_usage_error(usage_line, "bad --max-mem '%s' "
				    "(a size of 16M or more)", optarg);
			break;
		case OPT_MAX_NEW_BUCKETS:
			if (rta_parse_u64(optarg, 0, 1000000, &n) != 0)
				rta_usage_error(usage_line, "bad "
				    "--max-new-buckets '%s' (0 to 1000000; 0 "
				    "for no limit)", optarg);
			o.w.max_new_buckets = (unsigned)n;
			break;
		case OPT_REPAIR:
			o.repair = 1;
			break;
		case OPT_LEVEL:
			if (rta_parse_u64(optarg, 1, 19, &n) != 0)
				rta_usage_error(usage_line, "bad --level '%s' "
				    "(a zstd level from 1 to 19)", optarg);
			o.level = (int)n;
			break;
		case OPT_COLD:
			o.cold = optarg;
			break;
		case OPT_BEFORE:
			o.before = optarg;
			break;
		case OPT_FORCE:
			o.force = 1;
			break;
		case OPT_SCHEMA:
			if (o.nschemas == sizeof(o.schemas) /
			    sizeof(o.schemas[0]))
				rta_usage_error(usage_line, "at most %zu "
				    "--schema files", o.nschemas);
			o.schemas[o.nschemas++] = optarg;
			break;
		case OPT_ROW_GROUP_ROWS:
			if (rta_parse_u64(optarg, 1, 1ULL << 30,
			    &o.row_group_rows) != 0)
				rta_usage_error(usage_line, "bad "
				    "--row-group-rows '%s' (1 to 1073741824)",
				    optarg);
			break;
		case OPT_DAYS:
			if (rta_parse_u64(optarg, 0, 3650000, &o.days) != 0)
				rta_usage_error(usage_line, "bad --days '%s' "
				    "(a number of days)", optarg);
			break;
		case OPT_CLOSE_AFTER: {
			struct rta_error err;

			if (rta_duration_parse(optarg, &o.w.close_after,
			    &err) != RTA_OK || o.w.close_after < 0)
				rta_usage_error(usage_line, "bad --close-after "
				    "'%s' (a duration such as 1h)", optarg);
			break;
		}
		case OPT_SYNC_EVERY:
			if (rta_state_interval(optarg, &o.sync_every,
			    &o.sync_records) != 0)
				rta_usage_error(usage_line, "bad --sync-every "
				    "'%s' (a duration such as 100ms, or records "
				    "as 10000r)", optarg);
			break;
		case OPT_TENANT:
			o.tenant = optarg;
			break;
		case OPT_TO:
			o.to = optarg;
			break;
		case OPT_REMOVE:
			o.remove = 1;
			break;
		case OPT_USER:
			o.user = optarg;
			break;
		case OPT_ACTIVITY:
			o.activity = optarg;
			break;
		case OPT_MAX_USERS:
			if (rta_parse_u64(optarg, 1, UINT32_MAX - 1,
			    &o.max_users) != 0)
				rta_usage_error(usage_line, "bad --max-users "
				    "'%s' (1 to %u)", optarg, UINT32_MAX - 1);
			break;
		default:
			if (!rta_stage_getopt(&st, c, optarg))
				rta_usage_error(usage_line, "bad option");
			break;
		}
	}
	if (o.sub == SUB_ARCHIVE || o.sub == SUB_RESTORE)
		return cold_main(&o, &st, argc - optind, argv + optind);
	if (o.sub == SUB_CAT && o.store != NULL && o.cold != NULL)
		rta_usage_error(usage_line, "cat reads -s DIR (the hot store) "
		    "or --cold DIR, not both");
	if (o.store == NULL && !(o.sub == SUB_CAT && o.cold != NULL) &&
	    o.sub != SUB_ARCHIVE && o.sub != SUB_RESTORE)
		rta_usage_error(usage_line, "-s DIR (the store) is needed");
	if ((o.sub == SUB_INGEST || o.sub == SUB_CAT ||
	    o.sub == SUB_OFFSETS) && o.dataset == NULL)
		rta_usage_error(usage_line, "-d DATASET is needed");
	if (o.sub == SUB_EXPORT && o.cold == NULL)
		rta_usage_error(usage_line, "--cold DIR (where the Parquet "
		    "files go) is needed");
	if (o.sub == SUB_ROLLUP)
		rollup_check(&o);
	if (o.sub == SUB_COHORT)
		cohort_check(&o);
	if (o.sub != SUB_INGEST && optind < argc)
		rta_usage_error(usage_line, "rta-store %s takes no operands",
		    argv[0]);
	if (o.sub != SUB_INGEST && (c = sub_metrics_start(&st, o.sub)) != 0)
		return rta_cli_finish(c);
	switch (o.sub) {
	case SUB_INIT:
		return init_main(&o);
	case SUB_INGEST:
		return ingest_main(&o, &st, argc - optind, argv + optind);
	case SUB_CAT:
		return cat_main(&o);
	case SUB_COMPACT:
	case SUB_RETAIN:
		return maint_main(&o);
	case SUB_FSCK:
		return fsck_main(&o);
	case SUB_STATS:
		return stats_main(&o);
	case SUB_EXPORT:
		return export_main(&o);
	case SUB_ROLLUP:
		return rollup_main(&o);
	case SUB_COHORT:
		return cohort_main(&o);
	default:
		return offsets_main(&o);
	}
}

static void
help(void)
{
	printf("%s\n\n", usage_line);
	fputs(
"The hot store: datasets of raw events or aggregate records in a\n"
"directory, appended with group commits, read back by tenant and time.\n"
"\n"
"  -s, --store DIR         the store (made by rta-store init)\n"
"  -d, --dataset NAME      the dataset (a-z, 0-9, _ and -); ingest makes\n"
"                          it, and its first record decides its kind\n"
"\n"
"ingest: append the records of the inputs (stdin when none), either\n"
"encoding.  Raw events are stored once per tenant and event_id within\n"
"the dedup horizon; aggregate records are kept by record id, the latest\n"
"version winning.\n"
"      --sync-every INTERVAL  group commit: fsync and commit every\n"
"                          INTERVAL of wall clock (default 100ms) or\n"
"                          every N records (10000r), and whenever the\n"
"                          input pauses\n"
"      --ack-fd N          after each commit write a line to descriptor\n"
"                          N: {\"commit\":SEQ,\"handled\":RECORDS,\n"
"                          \"stored\":TOTAL}; the first RECORDS records\n"
"                          read are durable\n"
"      --bucket WIDTH      time bucket of a new dataset: 1h to 1d,\n"
"                          dividing the day (default 1d)\n"
"      --close-after DUR   close a bucket's log once the watermark (or\n"
"                          the newest event time) is DUR past its end, so\n"
"                          compact can seal it (default 1h)\n"
"      --dedup-horizon DUR  raw events: keep event ids for DUR of event\n"
"                          time before the newest (default 14d)\n"
"      --beyond-horizon ACTION  raw events older than that: reject\n"
"                          (default; reason beyond-horizon) or store\n"
"                          (unchecked: a copy is stored again)\n"
"      --max-mem SIZE      memory for the event ids; beyond it they move\n"
"                          to a mapped file\n"
"      --max-future DUR    reject records stamped more than DUR after the\n"
"                          clock (default 1d; 0: no limit)\n"
"      --max-new-buckets N  reject records that would open more than N\n"
"                          new buckets in one run (default 1000)\n"
"      --dead-letter FILE  append rejected records to FILE (NDJSON)\n"
"      --max-errors N      stop after N bad records (default: never)\n"
"      --max-line SIZE     longest NDJSON line (default 1M)\n"
"      --metrics FILE      keep Prometheus counters in FILE\n"
"  -q, --quiet             do not report bad records on stderr\n"
"      --strict            stop at the first bad record\n"
"\n", stdout);
	fputs(
"cat: write a dataset's records back out, bucket by bucket, each\n"
"tenant's in time order.\n"
"      --tenant ID         only this tenant's records\n"
"      --from TIME         from this event time on (RFC 3339, a date,\n"
"                          epoch seconds, or -24h)\n"
"      --to TIME           before this event time\n"
"      --cold DIR          read the Parquet files of the cold store DIR\n"
"                          (written by export) instead of the hot store\n"
"  -o FORMAT               ndjson or rta (default: rta, or ndjson on a\n"
"                          terminal)\n"
"\n"
"compact: merge each bucket whose logs the writer closed into a sorted,\n"
"indexed, zstd-compressed segment (datasets -d, or all).\n"
"      --level N           zstd level (default 3)\n"
"\n"
"retain: remove buckets whose event time ended --days days before the\n"
"clock (and not still written).\n"
"      --days N            days to keep (default 14)\n"
"      --cold DIR          keep buckets until export has put their day in\n"
"                          DIR as they are now\n"
"\n"
"export: write each finished day of the datasets (-d, or all) to Parquet\n"
"files in DIR/DATASET/tenant_id=T/year=Y/month=M/day=D/; a day exported\n"
"before and unchanged since is skipped, a changed one replaced.\n"
"      --cold DIR          the cold store (made if missing)\n"
"      --before DATE       export the days before DATE (a date, or 7d for a\n"
"                          week ago; default: the day of the dataset's\n"
"                          watermark)\n"
"      --force             export unchanged days again\n"
"      --level N           zstd level (default 3)\n"
"      --row-group-rows N  rows per row group (default 1048576)\n"
"      --schema FILE       a payload JSON Schema: the members it names get\n"
"                          its types, every day (repeatable)\n"
"\n"
"fsck: check every commit, log and record of the datasets (-d, or all);\n"
"exit 1 if damage is found.\n"
"      --repair            cut what an interrupted run left, and cut a\n"
"                          damaged log at its first bad record, the rest\n"
"                          kept in quarantine/ (takes the writer's lock)\n"
"\n"
"stats: one JSON object per dataset: kind, records, tenants, buckets,\n"
"bytes on disk, oldest and newest event time, ingest lag.\n"
"\n"
"archive: bundle the cold store's partitions of days before DATE (of\n"
"every dataset, or -d) into FILE, a tar file with a MANIFEST of\n"
"SHA-256 checksums; restore: check an archive against its manifest and\n"
"only then put its partitions back, each replacing its namesake whole.\n"
"      --cold DIR          the cold store (restore makes it if missing)\n"
"  -o FILE                 archive: the archive to make, a .tar.zst,\n"
"                          .tar.gz, .tar.xz or .tar that must not exist\n"
"      --before DATE       archive: partitions of days before DATE's\n"
"                          (RFC 3339, a date, or -30d)\n"
"      --remove            archive: once the archive is synced and read\n"
"                          back, remove the partitions it holds\n"
"\n", stdout);
	fputs(
"rollup: merge the windows of an aggregate dataset into coarser buckets\n"
"of another, reading only the source buckets changed since the last\n"
"refresh; one JSON line per rollup on stdout.\n"
"      --from-dataset NAME  the source (aggregate records)\n"
"      --to-dataset NAME   the rollup (made if missing)\n"
"      --bucket WIDTH      its buckets: 1s to 366d (1h, 1d)\n"
"      --define            keep the rollup in the store, for --all\n"
"      --all               refresh every rollup kept, sources first\n"
"      --threads N         merge a bucket's tenants on N threads\n"
"                          (default: a processor each, up to 64)\n"
"\n"
"cohort: keep each user's first bucket and the periods after it that it\n"
"was active in, from a dataset of raw events, for rta-query --cohort;\n"
"reads only the source buckets changed since the last refresh.\n"
"      --from-dataset NAME  the source (raw events)\n"
"      --to-dataset NAME   the cohort dataset (made if missing)\n"
"      --bucket WIDTH      cohorts and periods: 1s to 366d (1w: weeks\n"
"                          from Monday)\n"
"      --user FIELD        the field naming the user (payload.user_id)\n"
"      --activity TYPES    event types that make a user active (default\n"
"                          any)\n"
"      --define            keep the definition in the store, for --all\n"
"      --all               refresh every cohort dataset kept\n"
"      --max-users N       refuse a refresh past N users (default\n"
"                          10000000)\n"
"\n"
"offsets: where to resume each Kafka partition (the offset after the\n"
"last one stored).\n"
"      --format STYLE      kcat (-t topic -p partition -o offset, the\n"
"                          default) or json (also inputs' last lines)\n"
"\n"
"      --metrics FILE      (every subcommand) keep Prometheus counters in\n"
"                          FILE\n"
"  -h, --help              show this help\n"
"  -V, --version           show the version and library versions\n"
"\n"
"Example:\n"
"  rta-store init -s /var/lib/rta\n"
"  rta-window ... -o rta < ev.rta | rta-store ingest -s /var/lib/rta \\\n"
"      -d metrics_1m\n"
"  rta-store cat -s /var/lib/rta -d metrics_1m --tenant acme --from -24h\n"
"  rta-store rollup -s /var/lib/rta --define --from-dataset metrics_1m \\\n"
"      --to-dataset metrics_1h --bucket 1h\n"
"  rta-store rollup -s /var/lib/rta --all\n"
"\n"
"Exit status: 0 ok, 1 bad records, 2 usage or an unsafe store, 3 I/O\n"
"error, 4 resource limit, 5 the dataset has another writer.\n"
"See rta-store(1), rta-format(5), rta(7).\n", stdout);
}
