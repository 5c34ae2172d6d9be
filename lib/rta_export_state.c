/*
 * rta_export_state.c: DIR/DATASET/.rta-exported, what export has done
 * (see rta_export.h): a line per day exported, "YYYY-MM-DD <fingerprint
 * of its hot buckets, 16 hex digits> <rows>", in day order.
 *
 * The file is replaced whole (written beside, synced, renamed, the
 * directory synced) after each day, so a crash loses at most the record
 * of the day in flight, which is then exported again.  A file that does
 * not read back as such lines reads as empty: every day is exported
 * again, which is safe, never skipped wrongly.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_buf.h"
#include "rta_export.h"
#include "rta_export_int.h"
#include "rta_hash.h"
#include "rta_io.h"
#include "rta_time.h"

/* ---- the state file ----------------------------------------------------- */

struct rta_export_state {
	struct state_entry	*v;
	size_t			 n, cap;
};

void
rta_export_state_free(struct rta_export_state *st)
{
	if (st == NULL)
		return;
	free(st->v);
	free(st);
}

int
rta_export_state_set(struct rta_export_state *st, int64_t day, uint64_t print,
    uint64_t rows)
{
	struct state_entry *nv;
	size_t i;

	for (i = 0; i < st->n; i++)
		if (st->v[i].day == day) {
			st->v[i].print = print;
			st->v[i].rows = rows;
			return 0;
		}
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 64;

		if ((nv = realloc(st->v, cap * sizeof(*nv))) == NULL)
			return -1;
		st->v = nv;
		st->cap = cap;
	}
	for (i = st->n; i > 0 && st->v[i - 1].day > day; i--)
		st->v[i] = st->v[i - 1];
	st->v[i].day = day;
	st->v[i].print = print;
	st->v[i].rows = rows;
	st->n++;
	return 0;
}

const struct state_entry *
rta_export_state_find(const struct rta_export_state *st, int64_t day)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (st->v[i].day == day)
			return &st->v[i];
	return NULL;
}

/*
 * Read DIR/name/.rta-exported: lines "YYYY-MM-DD <16 hex> <rows>".  A
 * missing or damaged file reads as empty (every day is then exported
 * again, which is safe).
 */
struct rta_export_state *
rta_export_state_read(int cold_fd, const char *name)
{
	struct rta_export_state *st;
	char path[RTA_STORE_NAME_MAX + 32], line[128];
	unsigned long long print, rows;
	int y, m, d, fd, dfd;
	FILE *fp;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		return NULL;
	(void)path;
	if ((dfd = openat(cold_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) < 0)
		return st;
	fd = openat(dfd, RTA_EXPORT_STATE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	close(dfd);
	if (fd < 0)
		return st;
	if ((fp = fdopen(fd, "r")) == NULL) {
		close(fd);
		return st;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, "%4d-%2d-%2d %16llx %llu", &y, &m, &d, &print,
		    &rows) != 5 || m < 1 || m > 12 || d < 1 || d > 31 ||
		    rta_export_state_set(st, rta_days_from_civil(y, (unsigned)m,
		    (unsigned)d), print, rows) != 0) {
			st->n = 0;
			break;
		}
	}
	fclose(fp);
	return st;
}

int
rta_export_state_write(struct rta_cold *c, const char *name,
    const struct rta_export_state *st, struct rta_error *err)
{
	char path[RTA_STORE_NAME_MAX + 32], tmp[RTA_STORE_NAME_MAX + 40];
	struct rta_buf b = RTA_BUF_INIT;
	unsigned m, d;
	int64_t y;
	size_t i;
	int fd, dfd, rc = RTA_OK;

	for (i = 0; i < st->n; i++) {
		rta_civil_from_days(st->v[i].day, &y, &m, &d);
		if (rta_buf_printf(&b, "%04lld-%02u-%02u %016llx %llu\n",
		    (long long)y, m, d, (unsigned long long)st->v[i].print,
		    (unsigned long long)st->v[i].rows) != 0) {
			rta_buf_release(&b);
			return rta_error_set(err, RTA_ENOMEM, "nomem",
			    "out of memory");
		}
	}
	snprintf(path, sizeof(path), "%s/%s", name, RTA_EXPORT_STATE);
	snprintf(tmp, sizeof(tmp), "%s.tmp", RTA_EXPORT_STATE);
	dfd = openat(c->fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	fd = dfd < 0 ? -1 : openat(dfd, tmp, O_WRONLY | O_CREAT | O_TRUNC |
	    O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0 || rta_io_write(fd, b.data, b.len) != 0 ||
	    rta_io_fsync(fd) != 0 ||
	    rta_io_rename(dfd, tmp, RTA_EXPORT_STATE) != 0 ||
	    rta_io_fsync(dfd) != 0)
		rc = rta_error_set(err, RTA_EIO, "cold-io", "%s/%s: %s",
		    c->path, path, strerror(errno));
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	rta_buf_release(&b);
	return rc;
}

uint64_t
rta_export_day_print(const struct rta_dataset *ds, int64_t day)
{
	int64_t b, end = (day + 1) * DAY_US;
	uint64_t h = 0x243f6a8885a308d3ULL, p;

	for (b = rta_dataset_next_bucket(ds, day * DAY_US); b < end;
	    b = rta_dataset_next_bucket(ds, b + ds->c.width)) {
		p = rta_bucket_print(ds, b);
		h = rta_hash64(&p, sizeof(p), h);
	}
	return h != 0 ? h : 1;
}

int64_t
rta_export_day_of(int64_t t)
{
	return t >= 0 ? t / DAY_US : -((-t + DAY_US - 1) / DAY_US);
}

int
rta_export_covers(int cold_fd, const char *name, const struct rta_dataset *ds,
    int64_t b, struct rta_export_state **state)
{
	const struct state_entry *e;
	int64_t day = rta_export_day_of(b);

	if (*state == NULL && (*state = rta_export_state_read(cold_fd, name)) == NULL)
		return 0;
	e = rta_export_state_find(*state, day);
	return e != NULL && e->print == rta_export_day_print(ds, day);
}
