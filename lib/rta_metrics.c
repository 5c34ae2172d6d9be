/*
 * rta_metrics.c: counters and the textfile writer.
 *
 * Tenants are kept in an open-addressing table keyed by a seeded hash; it
 * stops growing at max_tenants, so a stream with a million tenant ids
 * costs a bounded amount of memory and text (the overflow is summed in
 * separate series, so no tenant's name can collide with it).
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_alloc.h"
#include "rta_hash.h"
#include "rta_metrics.h"
#include "rta_time.h"

struct rta_metrics_tenant {
	char		*name;		/* NULL: empty slot */
	size_t		 len;
	uint64_t	 n[2];
};

void
rta_metrics_init(struct rta_metrics *m, const char *stage)
{
	memset(m, 0, sizeof(*m));
	m->stage = stage;
	m->max_tenants = RTA_METRICS_TENANTS;
	m->max_event_time = INT64_MIN;
	m->watermark = INT64_MIN;
	m->start = rta_now();
	rta_buf_init(&m->text);
}

void
rta_metrics_release(struct rta_metrics *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->tcap; i++)
		rta_free(m->tenants[i].name);
	rta_free(m->tenants);
	rta_free(m->path);
	rta_buf_release(&m->text);
	m->tenants = NULL;
	m->path = NULL;
	m->tcap = m->tused = 0;
}

int
rta_metrics_open(struct rta_metrics *m, const char *path,
    struct rta_error *err)
{
	if ((m->path = rta_memdup(path, strlen(path))) == NULL)
		return rta_error_errno(err, path);
	return rta_metrics_write(m, 1, err);
}

void
rta_metrics_reject(struct rta_metrics *m, const char *reason)
{
	size_t i;

	m->rejected++;
	if (reason == NULL)
		reason = "error";
	for (i = 0; i < m->nreasons; i++)
		if (m->reasons[i].reason == reason ||
		    strcmp(m->reasons[i].reason, reason) == 0) {
			m->reasons[i].n++;
			return;
		}
	if (m->nreasons < sizeof(m->reasons) / sizeof(m->reasons[0])) {
		m->reasons[m->nreasons].reason = reason;
		m->reasons[m->nreasons++].n = 1;
	}
}

static int
tenant_grow(struct rta_metrics *m)
{
	size_t ncap = m->tcap ? m->tcap * 2 : 64, i;
	struct rta_metrics_tenant *nt;

	if ((nt = rta_calloc(ncap, sizeof(*nt))) == NULL)
		return -1;
	for (i = 0; i < m->tcap; i++) {
		struct rta_metrics_tenant *t = &m->tenants[i];
		size_t j;

		if (t->name == NULL)
			continue;
		j = rta_hash64(t->name, t->len, rta_hash_seed()) & (ncap - 1);
		while (nt[j].name != NULL)
			j = (j + 1) & (ncap - 1);
		nt[j] = *t;
	}
	rta_free(m->tenants);
	m->tenants = nt;
	m->tcap = ncap;
	return 0;
}

void
rta_metrics_tenant(struct rta_metrics *m, const char *tenant, size_t len,
    enum rta_tenant_count which)
{
	size_t j;

	if (m->path == NULL)
		return;
	if ((m->tused + 1) * 2 > m->tcap && m->tused < m->max_tenants &&
	    tenant_grow(m) != 0) {
		m->other[which]++;
		return;
	}
	if (m->tcap == 0) {
		m->other[which]++;
		return;
	}
	j = rta_hash64(tenant, len, rta_hash_seed()) & (m->tcap - 1);
	while (m->tenants[j].name != NULL) {
		if (m->tenants[j].len == len &&
		    memcmp(m->tenants[j].name, tenant, len) == 0) {
			m->tenants[j].n[which]++;
			return;
		}
		j = (j + 1) & (m->tcap - 1);
	}
	if (m->tused >= m->max_tenants ||
	    (m->tenants[j].name = rta_memdup(tenant, len)) == NULL) {
		m->other[which]++;
		return;
	}
	m->tenants[j].len = len;
	m->tenants[j].n[which] = 1;
	m->tused++;
}

/* A label value: backslash, double quote and newline escaped. */
static int
label(struct rta_buf *b, const char *s, size_t len)
{
	size_t i;
	int bad = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\' || s[i] == '"')
			bad |= rta_buf_addc(b, '\\') || rta_buf_addc(b, s[i]);
		else if (s[i] == '\n')
			bad |= rta_buf_add(b, "\\n", 2);
		else
			bad |= rta_buf_addc(b, s[i]);
	}
	return bad;
}

int
rta_metrics_head(struct rta_buf *b, const char *name, const char *type,
    const char *help)
{
	return rta_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help,
	    name, type) != 0 ? -1 : 0;
}

static int
counter(struct rta_buf *b, struct rta_metrics *m, const char *name,
    const char *help, uint64_t v)
{
	return rta_metrics_head(b, name, "counter", help) || rta_buf_printf(b,
	    "%s{stage=\"%s\"} %llu\n", name, m->stage,
	    (unsigned long long)v);
}

static int
cmp_tenant(const void *a, const void *b)
{
	const struct rta_metrics_tenant *x = *(struct rta_metrics_tenant *const *)a;
	const struct rta_metrics_tenant *y = *(struct rta_metrics_tenant *const *)b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->name, y->name, n);

	return c != 0 ? c : (x->len > y->len) - (x->len < y->len);
}

int
rta_metrics_format(struct rta_metrics *m, struct rta_buf *b)
{
	static const char *const tn[2] = { "rta_tenant_records_out_total",
	    "rta_tenant_records_rejected_total" };
	static const char *const th[2] = { "Events written, per tenant.",
	    "Events rejected, per tenant." };
	static const char *const on[2] = {
	    "rta_tenant_other_records_out_total",
	    "rta_tenant_other_records_rejected_total" };
	static const char *const oh[2] = {
	    "Events written of tenants beyond the ones counted one by one.",
	    "Events rejected of tenants beyond the ones counted one by one." };
	struct rta_metrics_tenant **sorted = NULL;
	size_t i, k = 0;
	int bad = 0, w;
	int64_t now = rta_now();

	bad |= counter(b, m, "rta_records_in_total",
	    "Records read (events and bad records; not control records).",
	    m->in);
	bad |= counter(b, m, "rta_records_out_total", "Records written.",
	    m->out);
	bad |= rta_metrics_head(b, "rta_records_rejected_total", "counter",
	    "Records rejected (dead-lettered), by reason.");
	bad |= rta_buf_printf(b, "rta_records_rejected_total{stage=\"%s\"} "
	    "%llu\n", m->stage, (unsigned long long)m->rejected);
	for (i = 0; i < m->nreasons; i++)
		bad |= rta_buf_printf(b, "rta_records_rejected_total{stage="
		    "\"%s\",reason=\"%s\"} %llu\n", m->stage,
		    m->reasons[i].reason, (unsigned long long)m->reasons[i].n);
	bad |= counter(b, m, "rta_records_dropped_total",
	    "Records dropped on purpose (duplicates, filters).", m->dropped);
	if (m->tused > 0 && (sorted = rta_reallocarray(NULL, m->tused,
	    sizeof(*sorted))) != NULL) {
		for (i = 0; i < m->tcap; i++)
			if (m->tenants[i].name != NULL)
				sorted[k++] = &m->tenants[i];
		qsort(sorted, k, sizeof(*sorted), cmp_tenant);
	}
	for (w = 0; w < 2; w++) {
		bad |= rta_metrics_head(b, tn[w], "counter", th[w]);
		for (i = 0; i < k; i++) {
			if (sorted[i]->n[w] == 0)
				continue;
			bad |= rta_buf_printf(b, "%s{stage=\"%s\",tenant=\"",
			    tn[w], m->stage);
			bad |= label(b, sorted[i]->name, sorted[i]->len);
			bad |= rta_buf_printf(b, "\"} %llu\n",
			    (unsigned long long)sorted[i]->n[w]);
		}
	}
	for (w = 0; w < 2; w++) {
		if (m->other[w] == 0)
			continue;
		bad |= rta_metrics_head(b, on[w], "counter", oh[w]);
		bad |= rta_buf_printf(b, "%s{stage=\"%s\"} %llu\n", on[w],
		    m->stage, (unsigned long long)m->other[w]);
	}
	rta_free(sorted);
	if (m->max_event_time != INT64_MIN) {
		bad |= rta_metrics_head(b, "rta_event_time_max_seconds",
		    "gauge", "Largest event time seen.");
		bad |= rta_buf_printf(b, "rta_event_time_max_seconds{stage="
		    "\"%s\"} %.6f\n", m->stage, m->max_event_time / 1e6);
		bad |= rta_metrics_head(b, "rta_event_time_lag_seconds",
		    "gauge", "Wall clock minus the largest event time seen.");
		bad |= rta_buf_printf(b, "rta_event_time_lag_seconds{stage="
		    "\"%s\"} %.6f\n", m->stage,
		    (now - m->max_event_time) / 1e6);
	}
	if (m->watermark != INT64_MIN) {
		bad |= rta_metrics_head(b, "rta_watermark_seconds", "gauge",
		    "Event-time watermark.");
		bad |= rta_buf_printf(b, "rta_watermark_seconds{stage=\"%s\"} "
		    "%.6f\n", m->stage, m->watermark / 1e6);
	}
	bad |= rta_metrics_head(b, "rta_start_time_seconds", "gauge",
	    "When the stage started.");
	bad |= rta_buf_printf(b, "rta_start_time_seconds{stage=\"%s\"} %.6f\n",
	    m->stage, m->start / 1e6);
	if (m->extra != NULL)
		bad |= m->extra(m->extra_arg, b) != 0;
	return bad ? -1 : 0;
}

int
rta_metrics_label(struct rta_buf *b, const char *s, size_t len)
{
	return label(b, s, len) ? -1 : 0;
}

int
rta_metrics_write(struct rta_metrics *m, int force, struct rta_error *err)
{
	struct stat st;
	int64_t now;
	char *tmp;
	size_t n;
	int fd, rc = RTA_OK;
	ssize_t w;

	if (m->path == NULL)
		return RTA_OK;
	now = rta_now();
	if (!force && now - m->last_write < RTA_METRICS_INTERVAL)
		return RTA_OK;
	m->last_write = now;
	rta_buf_reset(&m->text);
	if (rta_metrics_format(m, &m->text) != 0)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	/*
	 * The file is replaced by rename, which would replace a device node
	 * or a symlink just as well: only a regular file (or none) is ours.
	 */
	if (lstat(m->path, &st) == 0 && !S_ISREG(st.st_mode))
		return rta_error_set(err, RTA_EIO, "io",
		    "%s: not a regular file", m->path);
	n = strlen(m->path) + 32;
	if ((tmp = rta_malloc(n)) == NULL)
		return rta_error_errno(err, m->path);
	snprintf(tmp, n, "%s.tmp.%ld", m->path, (long)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
	    0644);
	if (fd < 0) {
		rc = rta_error_set(err, RTA_EIO, "io", "%s: %s", m->path,
		    strerror(errno));
		rta_free(tmp);
		return rc;
	}
	do
		w = write(fd, m->text.data, m->text.len);
	while (w < 0 && errno == EINTR);
	if (w < 0 || (size_t)w != m->text.len)
		rc = rta_error_set(err, RTA_EIO, "io", "%s: %s", m->path,
		    w < 0 ? strerror(errno) : "short write");
	if (close(fd) != 0 && rc == RTA_OK)
		rc = rta_error_set(err, RTA_EIO, "io", "%s: %s", m->path,
		    strerror(errno));
	if (rc == RTA_OK && rename(tmp, m->path) != 0)
		rc = rta_error_set(err, RTA_EIO, "io", "%s: %s", m->path,
		    strerror(errno));
	if (rc != RTA_OK)
		unlink(tmp);
	rta_free(tmp);
	return rc;
}
