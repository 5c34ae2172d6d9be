/*
 * rta_store_stats.c: what a dataset holds, as `rta-store stats` prints
 * it (JSON) and `rta-query --http` serves it on /metrics (Prometheus
 * text).
 *
 * Everything comes from the last commit and the manifest, except the
 * tenant count, which reads the segments' indexes and the logs' frame
 * headers, and the bytes on disk, which stat each live file.  A log
 * covered by the manifest (compacted into a segment, or retired) is
 * counted neither as a log nor as a bucket of its own: a bucket is one
 * that still holds records, in open logs or in its segment.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rta_alloc.h"
#include "rta_metrics.h"
#include "rta_store.h"
#include "rta_time.h"

int
rta_dataset_stats(struct rta_dataset *ds, int64_t now,
    struct rta_ds_stats *st, struct rta_error *err)
{
	struct stat sb;
	char **tenants, logname[48];
	size_t j, nt;
	int64_t last = INT64_MIN;
	int rc;

	memset(st, 0, sizeof(*st));
	if ((rc = rta_dataset_tenants(ds, &tenants, &nt, err)) != RTA_OK)
		return rc;
	rta_store_names_free(tenants, nt);
	st->tenants = nt;
	for (j = 0; j < ds->c.nlogs; j++) {
		const struct rta_man_entry *me = rta_manifest_find(&ds->man,
		    ds->c.logs[j].bucket);

		if (me != NULL && ds->c.logs[j].gen <= me->gen)
			continue;
		rta_store_log_name(logname, sizeof(logname),
		    ds->c.logs[j].bucket, ds->c.logs[j].gen);
		if (fstatat(ds->fd, logname, &sb, AT_SYMLINK_NOFOLLOW) == 0)
			st->bytes += (uint64_t)sb.st_blocks * 512;
		st->logs++;
		/* a bucket with a segment is counted with the segments */
		if (ds->c.logs[j].bucket != last &&
		    (me == NULL || me->kind != RTA_MAN_SEGMENT))
			st->buckets++;
		last = ds->c.logs[j].bucket;
	}
	for (j = 0; j < ds->man.n; j++) {
		if (ds->man.v[j].kind != RTA_MAN_SEGMENT)
			continue;
		st->segments++;
		st->buckets++;
		st->seg_raw += ds->man.v[j].raw;
		st->seg_bytes += ds->man.v[j].bytes;
		st->bytes += ds->man.v[j].bytes;
	}
	if (fstatat(ds->fd, "commits", &sb, AT_SYMLINK_NOFOLLOW) == 0)
		st->bytes += (uint64_t)sb.st_blocks * 512;
	st->kind = ds->c.kind;
	st->records = ds->c.records;
	st->bucket_width = ds->c.width;
	st->oldest = st->newest = st->lag = INT64_MIN;
	if (ds->c.records > 0) {
		st->oldest = ds->c.min_ts;
		st->newest = ds->c.max_ts;
		st->lag = now - ds->c.max_ts;
	}
	st->watermark = ds->c.watermark;
	st->last_commit = ds->c.seq > 0 ? ds->c.time : INT64_MIN;
	return RTA_OK;
}

/* ---- Prometheus text ---------------------------------------------------- */

/* A dataset's stats for the text: ok 0 when they could not be read. */
struct dsv {
	const char		*name;
	int			 ok;
	struct rta_ds_stats	 st;
};

enum val { V_RECORDS, V_TENANTS, V_BUCKETS, V_LOGS, V_SEGMENTS, V_WIDTH,
	V_BYTES, V_RATIO, V_OLDEST, V_NEWEST, V_WATERMARK, V_COMMIT, V_LAG };

static const struct {
	const char	*name;
	enum val	 v;
	const char	*help;
} fams[] = {
	{ "rta_store_records", V_RECORDS, "Records committed." },
	{ "rta_store_tenants", V_TENANTS, "Distinct tenant ids stored." },
	{ "rta_store_buckets", V_BUCKETS, "Time buckets holding records." },
	{ "rta_store_logs", V_LOGS, "Logs not yet compacted." },
	{ "rta_store_segments", V_SEGMENTS, "Compacted segments." },
	{ "rta_store_bucket_seconds", V_WIDTH, "Width of a time bucket." },
	{ "rta_store_bytes", V_BYTES,
	    "Bytes on disk: logs, segments and commits." },
	{ "rta_store_compression_ratio", V_RATIO,
	    "Bytes of the segments' records before compression per byte "
	    "stored." },
	{ "rta_store_oldest_timestamp_seconds", V_OLDEST,
	    "Oldest event time stored." },
	{ "rta_store_newest_timestamp_seconds", V_NEWEST,
	    "Newest event time stored." },
	{ "rta_store_watermark_timestamp_seconds", V_WATERMARK,
	    "Event-time watermark of the last commit." },
	{ "rta_store_last_commit_timestamp_seconds", V_COMMIT,
	    "Wall-clock time of the last commit." },
	{ "rta_store_lag_seconds", V_LAG,
	    "Wall clock minus the newest event time stored." },
};

/* One sample's value as text into v (64 bytes); 0 when it has none. */
static int
value(const struct rta_ds_stats *st, enum val which, char *v)
{
	int64_t t = INT64_MIN;
	uint64_t n;

	switch (which) {
	case V_RECORDS:
		n = st->records;
		break;
	case V_TENANTS:
		n = st->tenants;
		break;
	case V_BUCKETS:
		n = st->buckets;
		break;
	case V_LOGS:
		n = st->logs;
		break;
	case V_SEGMENTS:
		n = st->segments;
		break;
	case V_WIDTH:
		n = (uint64_t)(st->bucket_width / RTA_US_PER_SEC);
		break;
	case V_BYTES:
		n = st->bytes;
		break;
	case V_RATIO:
		if (st->seg_bytes == 0)
			return 0;
		snprintf(v, 64, "%.4f", (double)st->seg_raw /
		    (double)st->seg_bytes);
		return 1;
	default:
		t = which == V_OLDEST ? st->oldest : which == V_NEWEST ?
		    st->newest : which == V_WATERMARK ? st->watermark :
		    which == V_COMMIT ? st->last_commit : st->lag;
		if (t == INT64_MIN)
			return 0;
		snprintf(v, 64, "%.6f", (double)t / RTA_US_PER_SEC);
		return 1;
	}
	snprintf(v, 64, "%llu", (unsigned long long)n);
	return 1;
}

/* name{dataset="d"[,kind="k"]} v */
static int
sample(struct rta_buf *b, const char *name, const char *ds,
    const char *kind, const char *v)
{
	return rta_buf_printf(b, "%s{dataset=\"", name) ||
	    rta_metrics_label(b, ds, strlen(ds)) ||
	    (kind != NULL && (rta_buf_adds(b, "\",kind=\"") ||
	    rta_metrics_label(b, kind, strlen(kind)))) ||
	    rta_buf_printf(b, "\"} %s\n", v);
}

static int
format(const struct dsv *d, size_t n, struct rta_buf *out)
{
	struct rta_buf tmp = RTA_BUF_INIT;
	size_t i, f;
	char v[64];
	int bad = 0;

	bad |= rta_metrics_head(out, "rta_store_dataset_up", "gauge",
	    "Whether the dataset's stats could be read.");
	for (i = 0; i < n; i++)
		bad |= sample(out, "rta_store_dataset_up", d[i].name, NULL,
		    d[i].ok ? "1" : "0");
	bad |= rta_metrics_head(out, "rta_store_info", "gauge",
	    "The kind of records a dataset holds (events, aggregates, "
	    "empty), as a label.");
	for (i = 0; i < n; i++)
		if (d[i].ok)
			bad |= sample(out, "rta_store_info", d[i].name,
			    rta_ds_kind_name(d[i].st.kind), "1");
	for (f = 0; f < sizeof(fams) / sizeof(fams[0]); f++) {
		/* a family none of the datasets has is left out */
		rta_buf_reset(&tmp);
		for (i = 0; i < n; i++)
			if (d[i].ok && value(&d[i].st, fams[f].v, v))
				bad |= sample(&tmp, fams[f].name, d[i].name,
				    NULL, v);
		if (tmp.len > 0)
			bad |= rta_metrics_head(out, fams[f].name, "gauge",
			    fams[f].help) || rta_buf_add(out, tmp.data,
			    tmp.len);
	}
	rta_buf_release(&tmp);
	return bad;
}

int
rta_store_stats_prom(const char *path, int64_t now, struct rta_buf *out,
    struct rta_error *err)
{
	struct rta_store s;
	struct rta_dataset ds;
	struct rta_error e2;
	struct dsv *d = NULL;
	char **names = NULL;
	size_t n = 0, i;
	int up, rc, bad = 0;

	up = rta_store_open(&s, path, &e2) == RTA_OK;
	if (up && rta_store_datasets(&s, &names, &n, &e2) != RTA_OK) {
		rta_store_close(&s);
		up = 0;
	}
	bad |= rta_metrics_head(out, "rta_store_up", "gauge",
	    "Whether the store could be opened and its datasets listed.");
	bad |= rta_buf_printf(out, "rta_store_up %d\n", up);
	if (!up || bad)
		goto out;
	if (n > 0 && (d = rta_calloc(n, sizeof(*d))) == NULL) {
		bad = 1;
		goto close;
	}
	for (i = 0; i < n; i++) {
		d[i].name = names[i];
		if (rta_dataset_open(&s, names[i], &ds, &e2) != RTA_OK)
			continue;
		rc = rta_dataset_stats(&ds, now, &d[i].st, &e2);
		rta_dataset_close(&ds);
		d[i].ok = rc == RTA_OK;
		if (rc == RTA_ENOMEM) {
			bad = 1;
			goto close;
		}
	}
	bad |= format(d, n, out);
close:
	rta_free(d);
	rta_store_names_free(names, n);
	rta_store_close(&s);
out:
	if (bad)
		return rta_error_set(err, RTA_ENOMEM, "nomem",
		    "out of memory");
	return RTA_OK;
}
