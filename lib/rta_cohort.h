/*
 * rta_cohort.h: cohort retention matrices, from raw events or from a
 * cohort dataset.
 *
 * Users are the values of a field (payload.user_id), compared as text
 * (rta_fval_text: the string "42" and the number 42 are one user),
 * within a tenant.  Time is cut into buckets of one width: a width of
 * whole weeks starts on Mondays (ISO weeks, 1970-01-05 + k weeks), any
 * other is aligned to the epoch.  A user belongs to the cohort of the
 * bucket of its first event (of any type), and is active in period k of
 * its cohort when it has an activity event (one of the listed types;
 * any event when none are listed) in bucket cohort + k.  A row of the
 * matrix is one tenant's cohort: its users, and for k = 1 .. periods
 * the users active in period k.  A period whose bucket starts at or
 * after the end of the range is still to come: unknown, not 0.
 *
 *	struct rta_cohort *c;
 *	rta_cohort_new(&spec, &c, &err);
 *	while (a record r, in any order)
 *		rta_cohort_add(c, &r, &err);
 *	rta_cohort_rows(c, &err);
 *	for (i = 0; i < rta_cohort_nrows(c); i++)
 *		rta_cohort_row(c, i, &row);
 *
 * What is kept is a user's state: its first bucket and the periods 0 ..
 * RTA_COHORT_BITS - 1 of its cohort it was active in.  States merge
 * (the earlier first, the union of activity), in any order and any
 * number of times, so a cohort dataset keeps one state record a user
 * and a refresh merges new events into it (rta_cohort_store.h).  Such a
 * record is an aggregate record of window "cohort":
 *
 *	start	the start of the user's first bucket; tenant_id its tenant
 *	payload	{"end": "...", "user": "u1", "periods": [0, 1, 4]}
 *
 * When a user's first bucket moves earlier (a late event), the record at
 * its old start is replaced by one with "moved": true instead of
 * "periods", which readers skip.
 *
 * Memory is bounded by max_users (RTA_ELIMIT "too-many-users").
 */
#ifndef RTA_COHORT_H
#define RTA_COHORT_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_event.h"
#include "rta_field.h"

#define RTA_COHORT_BITS		128	/* periods 0 .. 127 kept a user */
#define RTA_COHORT_PERIODS_MAX	(RTA_COHORT_BITS - 1)
#define RTA_COHORT_USERS_DEFAULT 10000000
#define RTA_COHORT_WINDOW	"cohort"	/* the records' window */

struct rta_cohort_spec {
	const struct rta_field	*user;
	int64_t			 width;		/* µs, > 0 */
	char *const		*activity;	/* event types; none: any */
	size_t			 nactivity;
	unsigned		 periods;	/* 1 .. RTA_COHORT_PERIODS_MAX */
	int64_t			 from, to;	/* cohorts starting in
						 * [from, to); events before
						 * to */
	uint64_t		 max_users;	/* 0: the default */
};

struct rta_cohort_row {
	const char		*tenant;
	size_t			 tlen;
	int64_t			 start;		/* the cohort's bucket */
	uint64_t		 users;
	const uint64_t		*active;	/* [1 .. periods] */
	unsigned		 known;		/* periods 1 .. known have
						 * begun before to */
};

struct rta_cohort_counts {
	uint64_t		 events;	/* raw events read */
	uint64_t		 states;	/* state records merged */
	uint64_t		 no_user;	/* events without a user (a
						 * missing, null, array or
						 * object value) */
	uint64_t		 outside;	/* at or after to */
	uint64_t		 users;
};

/* A user's state, for writing a cohort dataset. */
struct rta_cohort_user {
	const char		*tenant;
	size_t			 tlen;
	const char		*user;
	size_t			 ulen;
	int64_t			 start;		/* its cohort's bucket */
	int64_t			 was;		/* the start it was merged
						 * with, or INT64_MIN */
	uint64_t		 bits[RTA_COHORT_BITS / 64];
	int			 changed;	/* since rta_cohort_mark */
};

struct rta_cohort;

/* Cut the comma list s in place into its items, at most max: how many
 * (0 for ""). */
size_t	rta_cohort_split(char *s, char **items, size_t max);

/* The start of the bucket of width holding t (weeks on Mondays). */
int64_t	rta_cohort_bucket(int64_t t, int64_t width);

/* A new empty matrix (the spec's arrays must outlive it).  RTA_OK,
 * RTA_EINVAL ("bad-cohort") or RTA_ENOMEM. */
int	rta_cohort_new(const struct rta_cohort_spec *spec,
	    struct rta_cohort **cp, struct rta_error *err);
void	rta_cohort_free(struct rta_cohort *c);

/*
 * Add a record: a raw event, or a state record of a cohort dataset
 * (merged; a moved one skipped).  Control records are ignored.  RTA_OK;
 * RTA_EDATA ("bad-aggregate": an aggregate record that is not a user's
 * state, or a damaged one); RTA_ELIMIT ("too-many-users"); RTA_ENOMEM.
 */
int	rta_cohort_add(struct rta_cohort *c, const struct rta_record *r,
	    struct rta_error *err);

/* Count the matrix's rows (tenant, then cohort).  RTA_OK or RTA_ENOMEM. */
int	rta_cohort_rows(struct rta_cohort *c, struct rta_error *err);
size_t	rta_cohort_nrows(const struct rta_cohort *c);
void	rta_cohort_row(const struct rta_cohort *c, size_t i,
	    struct rta_cohort_row *row);
const struct rta_cohort_counts *rta_cohort_counts(const struct rta_cohort *c);

/* The users: after this, each remembers its state as merged so far
 * (was, and changed clear). */
void	rta_cohort_mark(struct rta_cohort *c);
size_t	rta_cohort_nusers(const struct rta_cohort *c);
void	rta_cohort_user(const struct rta_cohort *c, size_t i,
	    struct rta_cohort_user *u);

/* The payload of u's state record (moved: the record at start was, saying
 * the user moved) into b, reset first.  0 or -1 (ENOMEM). */
int	rta_cohort_payload(struct rta_buf *b, const struct rta_cohort_user *u,
	    int64_t width, int moved);

#endif
