/*
 * rta_export.c: a dataset's days from the hot store to Parquet files in
 * the cold store (see rta_export.h).
 *
 * Each day is read once, tenant by tenant (each in time order): while a
 * tenant's records come, their columns are learned (the payload's
 * members and their types) and the records held; then its file is
 * written from them.  A tenant's day too large to hold is read again.
 * Each file is written in a staging directory and published whole
 * (rta_cold_publish); finishing one overlaps reading the next tenant.
 * The columns are learned in rta_export_cols.c, and what has been
 * exported is kept in rta_export_state.c.
 */
#define _GNU_SOURCE
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_buf.h"
#include "rta_event.h"
#include "rta_export.h"
#include "rta_export_int.h"
#include "rta_io.h"
#include "rta_parquet.h"
#include "rta_time.h"
#include "rta_version.h"

#define PART_FILE	"part-00000.parquet"

/* ---- a day -------------------------------------------------------------- */

struct part {
	struct rta_cold		*c;
	struct rta_pq_writer	*w;
	int			 fd;
	char			 stage[128];
	char			 path[RTA_COLD_PART_MAX];
	char			 tenant[256];
	size_t			 tlen;
	int			 skip;		/* tenant rejected */
};

static int
part_open(struct part *p, struct day *d, const char *name, int64_t day,
    const struct rta_export_opts *o, struct rta_error *err)
{
	struct rta_pq_writer_opts wo;
	struct rta_pq_kv kv[9];
	char fname[sizeof(p->stage) + 32], tenant[257], dstr[32];
	char created[64];
	unsigned m, dd;
	int64_t y;
	int rc;

	if ((rc = rta_cold_stage(p->c, p->stage, sizeof(p->stage), err)) !=
	    RTA_OK)
		return rc;
	snprintf(fname, sizeof(fname), "%s/%s.tmp", p->stage, PART_FILE);
	p->fd = openat(p->c->fd, fname, O_WRONLY | O_CREAT | O_EXCL |
	    O_NOFOLLOW | O_CLOEXEC, 0666);
	if (p->fd < 0)
		return rta_error_set(err, RTA_EIO, "cold-io", "%s/%s: %s",
		    p->c->path, fname, strerror(errno));
	memcpy(tenant, p->tenant, p->tlen);
	tenant[p->tlen] = '\0';
	rta_civil_from_days(day, &y, &m, &dd);
	snprintf(dstr, sizeof(dstr), "%04lld-%02u-%02u", (long long)y, m, dd);
	snprintf(created, sizeof(created), "rta-store version %s",
	    RTA_VERSION);
	kv[0].key = "rta.version";
	kv[0].value = RTA_VERSION;
	kv[1].key = "rta.dataset";
	kv[1].value = name;
	kv[2].key = "rta.kind";
	kv[2].value = d->t.agg ? "aggregates" : "events";
	kv[3].key = "rta.tenant_id";
	kv[3].value = tenant;
	kv[4].key = "rta.day";
	kv[4].value = dstr;
	kv[5].key = "rta.columns";
	kv[5].value = (const char *)d->columns_json.data;
	kv[6].key = "rta.objects";
	kv[6].value = (const char *)d->objects_json.data;
	kv[7].key = "rta.json_columns";
	kv[7].value = (const char *)d->json_json.data;
	rta_pq_writer_opts_init(&wo);
	if (o->row_group_rows > 0)
		wo.row_group_rows = o->row_group_rows;
	wo.level = o->level;
	wo.created_by = created;
	wo.kv = kv;
	wo.nkv = 8;
	return rta_pq_writer_open(p->fd, d->pc, d->ncols, &wo, &p->w, err);
}

static void
part_abort(struct part *p)
{
	if (p->w != NULL)
		rta_pq_writer_free(p->w);
	p->w = NULL;
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}

static int
part_close(struct part *p, struct rta_export_result *r,
    struct rta_error *err)
{
	char from[sizeof(p->stage) + 32], to[sizeof(p->stage) + 32];
	int rc;

	if ((rc = rta_pq_writer_finish(p->w, err)) != RTA_OK) {
		part_abort(p);
		return rc;
	}
	r->rows += rta_pq_writer_rows(p->w);
	r->bytes += rta_pq_writer_bytes(p->w);
	r->partitions++;
	rta_pq_writer_free(p->w);
	p->w = NULL;
	snprintf(from, sizeof(from), "%s/%s.tmp", p->stage, PART_FILE);
	snprintf(to, sizeof(to), "%s/%s", p->stage, PART_FILE);
	if (rta_io_fsync(p->fd) != 0 || close(p->fd) != 0 ||
	    (p->fd = -1, rta_io_rename(p->c->fd, from, to)) != 0) {
		rc = rta_error_set(err, RTA_EIO, "cold-io", "%s/%s: %s",
		    p->c->path, from, strerror(errno));
		part_abort(p);
		return rc;
	}
	p->fd = -1;
	return rta_cold_publish(p->c, p->stage, p->path, err);
}

/*
 * Finishing a file (its last row group encoded and compressed, the file
 * synced, renamed and published) runs in a thread while the next
 * tenant's records are read: one file at a time in flight.
 */
struct closer {
	pthread_t		 th;
	int			 running;
	struct part		 p;
	struct rta_export_result r;
	struct rta_error	 err;
	int			 rc;
};

static void *
closer_main(void *arg)
{
	struct closer *k = arg;

	k->rc = part_close(&k->p, &k->r, &k->err);
	return NULL;
}

/* Wait for the file in flight; add what it wrote to r. */
static int
closer_wait(struct closer *k, struct rta_export_result *r,
    struct rta_error *err)
{
	if (!k->running)
		return RTA_OK;
	pthread_join(k->th, NULL);
	k->running = 0;
	r->rows += k->r.rows;
	r->bytes += k->r.bytes;
	r->partitions += k->r.partitions;
	if (k->rc != RTA_OK) {
		*err = k->err;
		part_abort(&k->p);
		return k->rc;
	}
	return RTA_OK;
}

/* Hand p's file to the closer (p keeps no writer or descriptor). */
static int
closer_start(struct closer *k, struct part *p, struct rta_export_result *r,
    struct rta_error *err)
{
	int rc;

	if ((rc = closer_wait(k, r, err)) != RTA_OK)
		return rc;
	k->p = *p;
	p->w = NULL;
	p->fd = -1;
	memset(&k->r, 0, sizeof(k->r));
	if (pthread_create(&k->th, NULL, closer_main, k) != 0) {
		/* no thread: finish it here */
		rc = part_close(&k->p, r, err);
		if (rc != RTA_OK)
			part_abort(&k->p);
		return rc;
	}
	k->running = 1;
	return RTA_OK;
}

/* Encoded tenant directory names written for the day, to find the stale
 * ones. */
struct names {
	char	**v;
	size_t	  n, cap;
};

static int
names_add(struct names *ns, const char *s)
{
	char **nv;

	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 64;

		if ((nv = realloc(ns->v, cap * sizeof(*nv))) == NULL)
			return -1;
		ns->v = nv;
		ns->cap = cap;
	}
	if ((ns->v[ns->n] = strdup(s)) == NULL)
		return -1;
	ns->n++;
	return 0;
}

static void
names_free(struct names *ns)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		free(ns->v[i]);
	free(ns->v);
	memset(ns, 0, sizeof(*ns));
}

static int
names_has(const struct names *ns, const char *s)
{
	size_t i;

	for (i = 0; i < ns->n; i++)
		if (strcmp(ns->v[i], s) == 0)
			return 1;
	return 0;
}

/* Remove the day's partitions of tenants not in written. */
static int
remove_stale(struct rta_cold *c, const char *name, int64_t day,
    const struct names *written, struct rta_export_result *r,
    struct rta_error *err)
{
	char rel[RTA_COLD_PART_MAX + RTA_STORE_NAME_MAX + 2], sub[RTA_COLD_PART_MAX];
	struct dirent *de;
	struct stat st;
	unsigned m, d;
	int64_t y;
	DIR *dir;
	int fd, rc = RTA_OK;

	fd = openat(c->fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd < 0)
		return RTA_OK;
	if ((dir = fdopendir(fd)) == NULL) {
		close(fd);
		return RTA_OK;
	}
	rta_civil_from_days(day, &y, &m, &d);
	while ((de = readdir(dir)) != NULL && rc == RTA_OK) {
		if (strncmp(de->d_name, "tenant_id=", 10) != 0 ||
		    names_has(written, de->d_name))
			continue;
		snprintf(sub, sizeof(sub), "%s/year=%lld/month=%u/day=%u",
		    de->d_name, (long long)y, m, d);
		if (fstatat(fd, sub, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISDIR(st.st_mode))
			continue;
		snprintf(rel, sizeof(rel), "%s/%s", name, sub);
		if ((rc = rta_cold_remove(c, rel, err)) == RTA_OK)
			r->removed++;
	}
	closedir(dir);
	return rc;
}

/*
 * A tenant's records of the day, held while the scan reads them so that
 * the day is read once: the columns are learned as they come, then the
 * file is written from what was held.  Past RTA_EXPORT_HOLD bytes the
 * records are no longer held and the tenant's day is read again.
 */
struct held {
	int64_t		 ts;
	uint32_t	 sv;
	uint8_t		 id_len, type_len;
	size_t		 off;		/* id, type, payload, extra */
	size_t		 payload_len, extra_len;
};

struct hold {
	struct rta_buf	 arena;
	struct held	*v;
	size_t		 n, cap;
	int		 over;		/* too much: read again */
};

static int
hold_add(struct hold *h, const struct rta_event *ev)
{
	struct held *nv, *e;
	size_t need;

	if (h->over)
		return 0;
	need = (size_t)ev->id_len + ev->type_len + ev->payload_len +
	    (ev->extra != NULL ? ev->extra_len : 0);
	if (h->arena.len + need > RTA_EXPORT_HOLD) {
		h->over = 1;
		h->n = 0;
		rta_buf_release(&h->arena);
		return 0;
	}
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 1024;

		if ((nv = realloc(h->v, cap * sizeof(*nv))) == NULL)
			return -1;
		h->v = nv;
		h->cap = cap;
	}
	e = &h->v[h->n];
	e->ts = ev->ts;
	e->sv = ev->schema_version;
	e->id_len = ev->id_len;
	e->type_len = ev->type_len;
	e->off = h->arena.len;
	e->payload_len = ev->payload_len;
	e->extra_len = ev->extra != NULL ? ev->extra_len : 0;
	if (rta_buf_add(&h->arena, ev->id, ev->id_len) != 0 ||
	    rta_buf_add(&h->arena, ev->type, ev->type_len) != 0 ||
	    rta_buf_add(&h->arena, ev->payload, ev->payload_len) != 0 ||
	    (ev->extra != NULL && rta_buf_add(&h->arena, ev->extra,
	    ev->extra_len) != 0))
		return -1;
	h->n++;
	return 0;
}

static void
hold_reset(struct hold *h)
{
	h->n = 0;
	h->over = 0;
	h->arena.len = 0;
}

/* Write the tenant's file: from what was held, or read again. */
static int
tenant_write(struct rta_dataset *ds, const char *name, struct day *d,
    struct hold *h, struct part *p, struct closer *k, int64_t day,
    const struct rta_export_opts *o, struct rta_export_result *r,
    struct rta_error *err)
{
	struct rta_scan *sc = NULL;
	struct rta_record rec;
	struct rta_event ev;
	const struct held *e;
	size_t i;
	int rc, vr;

	d->t.v[0].present = d->t.records;
	if ((rc = rta_export_day_columns(d, err)) != RTA_OK)
		return rc;
	if ((rc = part_open(p, d, name, day, o, err)) != RTA_OK)
		return rc;
	memset(&ev, 0, sizeof(ev));
	ev.tenant = p->tenant;
	ev.tenant_len = (uint8_t)p->tlen;
	if (h->over)
		rc = rta_scan_open(ds, p->tenant, p->tlen, day * DAY_US,
		    (day + 1) * DAY_US, &sc, err);
	for (i = 0; rc == RTA_OK; i++) {
		if (h->over) {
			if ((rc = rta_scan_next(sc, &rec, err)) != RTA_OK)
				break;
			vr = rta_export_put_record(d, p->w, &rec.ev);
		} else {
			if (i == h->n) {
				rc = RTA_EOF;
				break;
			}
			e = &h->v[i];
			ev.ts = e->ts;
			ev.schema_version = e->sv;
			ev.id = (const char *)h->arena.data + e->off;
			ev.id_len = e->id_len;
			ev.type = ev.id + e->id_len;
			ev.type_len = e->type_len;
			ev.payload = (const unsigned char *)ev.type +
			    e->type_len;
			ev.payload_len = e->payload_len;
			ev.extra = e->extra_len > 0 ? ev.payload +
			    e->payload_len : NULL;
			ev.extra_len = e->extra_len;
			vr = rta_export_put_record(d, p->w, &ev);
		}
		if (vr == -1)
			rc = rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
		else if (vr != 0)
			rc = rta_error_set(err, RTA_EIO, "export-changed",
			    "%s: the dataset changed during the export of a "
			    "day; run it again", name);
		else
			rc = rta_pq_row(p->w, err);
	}
	if (sc != NULL)
		rta_scan_close(sc);
	if (rc != RTA_EOF)
		return rc;
	for (i = 0; i < d->t.n; i++)
		if (d->t.v[i].t == CT_JSON && d->t.v[i].col >= 0)
			r->json_columns++;
	return closer_start(k, p, r, err);
}

static int
export_day(struct rta_dataset *ds, const char *name, struct rta_cold *c,
    int64_t day, const struct rta_export_opts *o,
    struct rta_export_result *r, struct rta_error *err)
{
	struct day d;
	struct part p;
	struct hold h;
	struct closer k;
	struct names written = { NULL, 0, 0 };
	struct rta_scan *sc = NULL;
	struct rta_record rec;
	struct rta_error e2;
	char enc[RTA_COLD_PART_MAX], *slash;
	uint64_t rows0 = r->rows, files0 = r->partitions, rejected = 0;
	int rc, agg = ds->c.kind == RTA_DS_AGGREGATES, have = 0;

	memset(&d, 0, sizeof(d));
	memset(&p, 0, sizeof(p));
	memset(&h, 0, sizeof(h));
	memset(&k, 0, sizeof(k));
	p.c = c;
	p.fd = -1;
	rc = rta_scan_open(ds, NULL, 0, day * DAY_US, (day + 1) * DAY_US, &sc,
	    err);
	while (rc == RTA_OK && (rc = rta_scan_next(sc, &rec, err)) == RTA_OK) {
		if (!have || p.tlen != rec.ev.tenant_len ||
		    memcmp(p.tenant, rec.ev.tenant, p.tlen) != 0) {
			if (have && !p.skip && (rc = tenant_write(ds, name, &d,
			    &h, &p, &k, day, o, r, err)) != RTA_OK)
				break;
			have = 1;
			memcpy(p.tenant, rec.ev.tenant, rec.ev.tenant_len);
			p.tlen = rec.ev.tenant_len;
			p.skip = 0;
			hold_reset(&h);
			if (rta_export_day_start(&d, agg, o) != 0)
				goto nomem;
			if (rta_cold_part_path(p.path, sizeof(p.path), name,
			    p.tenant, p.tlen, day, &e2) != RTA_OK) {
				p.skip = 1;
				if (rejected == 0)
					*err = e2;
			} else {
				slash = strchr(p.path, '/');
				snprintf(enc, sizeof(enc), "%.*s",
				    (int)(strchr(slash + 1, '/') - slash - 1),
				    slash + 1);
				if (names_add(&written, enc) != 0)
					goto nomem;
			}
		}
		if (p.skip) {
			rejected++;
			continue;
		}
		if (rta_export_observe(&d, &rec.ev) != 0 ||
		    hold_add(&h, &rec.ev) != 0)
			goto nomem;
	}
	rta_scan_close(sc);
	sc = NULL;
	if (rc == RTA_EOF && have && !p.skip)
		rc = tenant_write(ds, name, &d, &h, &p, &k, day, o, r, err);
	else if (rc == RTA_EOF)
		rc = RTA_OK;
	if (rc == RTA_OK)
		rc = closer_wait(&k, r, err);
	if (rc != RTA_OK)
		goto out;
	if ((rc = remove_stale(c, name, day, &written, r, err)) != RTA_OK)
		goto out;
	r->rejected += rejected;
	r->days++;
	if (o->note != NULL) {
		char line[PATH_MAX + 512];
		unsigned m, dd;
		int64_t y;

		rta_civil_from_days(day, &y, &m, &dd);
		snprintf(line, sizeof(line), "%s/%s: %04lld-%02u-%02u: %llu "
		    "rows, %llu files", c->path, name, (long long)y, m, dd,
		    (unsigned long long)(r->rows - rows0),
		    (unsigned long long)(r->partitions - files0));
		o->note(o->arg, line);
	}
	rc = rejected > 0 ? RTA_EDATA : RTA_OK;
	goto out;
nomem:
	rc = rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
out:
	if (sc != NULL)
		rta_scan_close(sc);
	if (k.running) {
		struct rta_error e3;

		(void)closer_wait(&k, r, &e3);
	}
	part_abort(&p);
	names_free(&written);
	rta_export_day_release(&d);
	rta_buf_release(&h.arena);
	free(h.v);
	return rc;
}

int
rta_dataset_export(struct rta_store *s, const char *name, struct rta_cold *c,
    const struct rta_export_opts *o, struct rta_export_result *r,
    struct rta_error *err)
{
	struct rta_export_state *st = NULL;
	const struct state_entry *se;
	struct rta_dataset ds;
	struct rta_error e2;
	uint64_t print, rows0;
	int64_t b, day, before, last = INT64_MIN;
	int rc, status = RTA_OK, dfd;

	memset(r, 0, sizeof(*r));
	if ((rc = rta_dataset_open(s, name, &ds, err)) != RTA_OK)
		return rc;
	if (mkdirat(c->fd, name, 0777) != 0 && errno != EEXIST) {
		rc = rta_error_set(err, RTA_EIO, "cold-io", "%s/%s: mkdir: %s",
		    c->path, name, strerror(errno));
		goto out;
	}
	if ((dfd = openat(c->fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0) {
		rc = rta_error_set(err, RTA_EINVAL, "unsafe-cold", "%s/%s: "
		    "not a directory (a symbolic link?)", c->path, name);
		goto out;
	}
	close(dfd);
	before = o->before;
	if (before == INT64_MIN)
		before = rta_export_day_of(ds.c.watermark != INT64_MIN ? ds.c.watermark :
		    rta_now());
	if ((st = rta_export_state_read(c->fd, name)) == NULL) {
		rc = rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
		goto out;
	}
	for (b = rta_dataset_next_bucket(&ds, INT64_MIN); b != INT64_MAX;
	    b = rta_dataset_next_bucket(&ds, b + ds.c.width)) {
		day = rta_export_day_of(b);
		if (day == last)
			continue;
		last = day;
		if (day >= before)
			break;
		print = rta_export_day_print(&ds, day);
		se = rta_export_state_find(st, day);
		if (!o->force && se != NULL && se->print == print) {
			r->unchanged++;
			continue;
		}
		rows0 = r->rows;
		rc = export_day(&ds, name, c, day, o, r, &e2);
		if (rc == RTA_EDATA) {
			/* exported but for the rejected records: not
			 * recorded, so the next run tries again */
			if (status == RTA_OK)
				*err = e2;
			status = RTA_EDATA;
			continue;
		}
		if (rc != RTA_OK) {
			*err = e2;
			goto out;
		}
		if (rta_export_state_set(st, day, print, r->rows - rows0) != 0) {
			rc = rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
			goto out;
		}
		if ((rc = rta_export_state_write(c, name, st, err)) != RTA_OK)
			goto out;
	}
	rc = status;
out:
	rta_export_state_free(st);
	rta_dataset_close(&ds);
	return rc;
}
