/*
 * rta_cohort_store.h: cohort datasets, kept up to date from a raw-event
 * dataset, and the choice of one to answer a cohort query.
 *
 * A cohort dataset holds one state record a user (rta_cohort.h): the
 * bucket of its first event and the periods of its cohort it was active
 * in, for one user field, bucket width and set of activity types.  Its
 * records are written through the store's writer as aggregate records:
 *
 *	record_id	a UUID v8 hashed from the target, the tenant and the
 *			user, so a user always has the same id
 *	start		the user's cohort; a user whose cohort moves earlier
 *			leaves a "moved" record at the old start
 *	version		the target's commit sequence number at the refresh
 *			that wrote it (the store keeps the highest)
 *
 * Incremental.  As rollups do (rta_rollup.h), the target's commits record
 * what each source storage bucket held when it was last read (positions
 * "rollup:SOURCE:WIDTH:BUCKET").  A refresh loads the target's states,
 * merges in the events of every source bucket that changed since (new
 * events, late ones into old buckets), and writes the users whose state
 * changed with the new positions in one commit.  States only grow (an
 * earlier first bucket, more activity), so reading a bucket again
 * changes nothing: a second refresh with nothing new writes nothing, a
 * crash before the commit leaves the target as it was and the next
 * refresh does the work again, and a refresh racing ingest reads each
 * source bucket as of one commit and reads it again next time.  Retired
 * source buckets are not read again: the target keeps what it learnt
 * from them (that is the point: a user first seen a year ago is not new
 * today), for as long as its own retention says.
 *
 * Definitions.  The store's file "cohorts.conf" holds one a line,
 * "SOURCE TARGET WIDTH USER ACTIVITY" (WIDTH in seconds, USER a field,
 * ACTIVITY event types joined by commas, sorted, or "*" for any),
 * replaced atomically.  A target has one definition.
 */
#ifndef RTA_COHORT_STORE_H
#define RTA_COHORT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_store.h"

#define RTA_COHORT_FILE		"cohorts.conf"
#define RTA_COHORT_DEFS_MAX	256
#define RTA_COHORT_FIELD_MAX	255	/* bytes of the user field's path */
#define RTA_COHORT_ACTIVITY_MAX	1023	/* bytes of the activity list */

struct rta_cohort_def {
	char		 from[RTA_STORE_NAME_MAX + 1];
	char		 to[RTA_STORE_NAME_MAX + 1];
	int64_t		 width;		/* µs, whole seconds */
	char		 user[RTA_COHORT_FIELD_MAX + 1];
	char		 activity[RTA_COHORT_ACTIVITY_MAX + 1];	/* "": any */
};

/* What a refresh did. */
struct rta_cohort_result {
	uint64_t	 changed;	/* source buckets read */
	uint64_t	 states_in;	/* state records loaded */
	uint64_t	 events_in;	/* source events read */
	uint64_t	 no_user;	/* of which without a user */
	uint64_t	 users;		/* users known */
	uint64_t	 records_out;	/* state records written */
	uint64_t	 moved;		/* users whose cohort moved earlier */
	uint64_t	 commit;	/* the target's commit (0: none made) */
};

/*
 * Put the activity list s (RTA_COHORT_ACTIVITY_MAX + 1 bytes) in order:
 * its types sorted, each once; "*" means any type, as "" does.  0, or -1
 * if a type is empty or holds white space.
 */
int	rta_cohort_activity_order(char *s);

/*
 * Check a definition and put its activity list in order (sorted, each
 * type once): names valid and different, width whole seconds from 1s
 * to 366 days, the user a field path without white space, the types
 * without white space or commas.  RTA_OK or RTA_EINVAL ("bad-cohort").
 */
int	rta_cohort_def_check(struct rta_cohort_def *d, struct rta_error *err);

/* The store's definitions into a new array *v of *n (none: NULL, 0).
 * RTA_OK, RTA_EDATA ("bad-cohorts", naming the line), RTA_EIO,
 * RTA_ENOMEM. */
int	rta_cohort_defs_read(struct rta_store *s, struct rta_cohort_def **v,
	    size_t *n, struct rta_error *err);

/* Add d to the definitions (the same again changes nothing; a target
 * defined otherwise is RTA_EINVAL "bad-cohort").  *added: 1 when the
 * file changed. */
int	rta_cohort_define(struct rta_store *s, struct rta_cohort_def *d,
	    int *added, struct rta_error *err);

/*
 * Refresh d's target, as above, holding at most max_users users (0: the
 * default).  RTA_OK; RTA_EOF (no source); RTA_EINVAL ("bad-cohort": the
 * source holds aggregates, or the target raw events); RTA_EDATA (a
 * damaged record: nothing committed); RTA_EIO ("store-busy");
 * RTA_ELIMIT ("too-many-users"); RTA_ENOMEM.
 */
int	rta_cohort_refresh(struct rta_store *s, const struct rta_cohort_def *d,
	    uint64_t max_users, struct rta_cohort_result *r,
	    struct rta_error *err);

/*
 * The dataset to read for a cohort query of dataset name (user field,
 * width, activity list as rta_cohort_def_check orders it) up to to: a
 * cohort dataset defined from name for the same user, width and
 * activity, refreshed since every source bucket last changed, none of
 * its buckets before to retired (users of a retired bucket would be new
 * again at their next activity).  Into best: name when none
 * serves.  With why, a line per definition considered.  RTA_OK or an
 * error reading the definitions or a dataset.
 */
int	rta_cohort_choose(struct rta_store *s, const char *name,
	    const char *user, int64_t width, const char *activity,
	    int64_t to, char *best, struct rta_buf *why,
	    struct rta_error *err);

#endif
