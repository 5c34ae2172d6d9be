/*
 * rta_metrics.h: the counters every stage keeps, and their Prometheus
 * text form (the node_exporter textfile convention).
 *
 * Every program counts records in, out, rejected (by reason) and dropped,
 * so that in = out + rejected + dropped can be checked at any time; event
 * counts per tenant (the first max_tenants tenants seen one by one, the
 * rest summed in rta_tenant_other_records_*_total); the largest event
 * time seen and the watermark.  --metrics FILE rewrites the file
 * atomically (write a temporary file beside it, rename) every few seconds
 * and at exit; SIGUSR1 prints the same text on stderr.
 */
#ifndef RTA_METRICS_H
#define RTA_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_err.h"

#define RTA_METRICS_TENANTS	10000
#define RTA_METRICS_INTERVAL	(5 * 1000000LL)	/* µs between rewrites */

enum rta_tenant_count {
	RTA_TENANT_OUT,
	RTA_TENANT_REJECTED
};

struct rta_metrics_reason {
	const char	*reason;	/* static string */
	uint64_t	 n;
};

struct rta_metrics_tenant;

struct rta_metrics {
	const char			*stage;
	char				*path;
	int64_t				 start;
	int64_t				 last_write;
	uint64_t			 in, out, rejected, dropped;
	struct rta_metrics_reason	 reasons[32];
	size_t				 nreasons;
	struct rta_metrics_tenant	*tenants;
	size_t				 tcap, tused, max_tenants;
	uint64_t			 other[2];
	int64_t				 max_event_time;	/* INT64_MIN: none */
	int64_t				 watermark;		/* INT64_MIN: none */
	struct rta_buf			 text;
	/* a program's own series, appended after the common ones */
	int				(*extra)(void *arg, struct rta_buf *out);
	void				*extra_arg;
};

void	rta_metrics_init(struct rta_metrics *m, const char *stage);
void	rta_metrics_release(struct rta_metrics *m);

/* Write to path from now on; writes it once at once, so a bad path is
 * found before any input is read.  RTA_OK or RTA_EIO. */
int	rta_metrics_open(struct rta_metrics *m, const char *path,
	    struct rta_error *err);

/* Count a rejected record under its reason (a static string). */
void	rta_metrics_reject(struct rta_metrics *m, const char *reason);

/* Count an event for its tenant (only when a metrics file is open). */
void	rta_metrics_tenant(struct rta_metrics *m, const char *tenant,
	    size_t len, enum rta_tenant_count which);

/* Note an event time. */
static inline void
rta_metrics_event_time(struct rta_metrics *m, int64_t ts)
{
	if (ts > m->max_event_time)
		m->max_event_time = ts;
}

/* Append s[0..len) as a label value (\\, \" and \n escaped); 0 or -1. */
int	rta_metrics_label(struct rta_buf *b, const char *s, size_t len);
/* Append a family's "# HELP name help" and "# TYPE name type" lines;
 * 0, or -1 when b cannot grow. */
int	rta_metrics_head(struct rta_buf *b, const char *name,
	    const char *type, const char *help);

/* Append the Prometheus text to out; 0 or -1. */
int	rta_metrics_format(struct rta_metrics *m, struct rta_buf *out);

/* Rewrite the file if one is open and the interval passed (or force). */
int	rta_metrics_write(struct rta_metrics *m, int force,
	    struct rta_error *err);

#endif
