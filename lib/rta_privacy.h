/*
 * rta_privacy.h: privacy rules applied to events (rta-enrich --privacy).
 *
 * A rules file names one field path per line and what to do with it:
 * drop the member, mask all but its last characters, pseudonymise it with
 * HMAC-SHA-256 under a named key (the key id is written into the token),
 * truncate an IP address to a prefix, or coarsen a time.  A value a rule
 * cannot transform is removed from the event and counted, never passed
 * through.  man/rta-privacy.5 describes the rules and keys files.
 *
 *	struct rta_privacy *p;
 *	if (rta_privacy_load(&p, "rules", "keys", &err) != RTA_OK) ...
 *	for each event:
 *		if (rta_privacy_apply(p, &ev, &err) != RTA_OK) ...
 *	rta_privacy_free(p);
 */
#ifndef RTA_PRIVACY_H
#define RTA_PRIVACY_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_event.h"

struct rta_privacy;

/*
 * Load rules (and, when keys_path is not NULL, the keys file).  RTA_OK,
 * or RTA_EDATA/RTA_EIO/RTA_ENOMEM with err->text "FILE:LINE: what" for a
 * bad rule or key.
 */
int	rta_privacy_load(struct rta_privacy **pp, const char *rules_path,
	    const char *keys_path, struct rta_error *err);
/* Accepts NULL.  The key material is wiped before it is freed. */
void	rta_privacy_free(struct rta_privacy *p);

/*
 * Apply every rule to ev.  On change, ev's payload (and timestamp and id
 * fields when a rule names them) point into p's own buffers, valid until
 * the next call, and ev->frame is set to NULL.  RTA_OK, or RTA_ENOMEM.
 *
 * An event no rule touches is left exactly as it was (its frame too).
 * A value a rule cannot transform is removed from the payload and
 * counted; the event is never dropped.  ev may be what the previous call
 * made (the payload is built in one of two buffers in turn).  Rules with
 * tenant-keys read ev->tenant.  One struct rta_privacy per thread.
 */
int	rta_privacy_apply(struct rta_privacy *p, struct rta_event *ev,
	    struct rta_error *err);

/*
 * Prometheus series for --metrics (rules applied per action, values
 * removed because a rule could not apply), appended to out; 0 or -1.
 */
int	rta_privacy_metrics(const struct rta_privacy *p, struct rta_buf *out);

/* The stage label of those series ("rta-enrich" unless set; at most 31
 * bytes are kept). */
void	rta_privacy_set_stage(struct rta_privacy *p, const char *stage);

/* Values removed so far because a rule could not apply, all rules. */
uint64_t rta_privacy_removed(const struct rta_privacy *p);

#endif
