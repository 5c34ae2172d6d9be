/*
 * rta_compat.h: breaking changes between two versions of a schema.
 *
 * Version NEW is backward compatible with OLD when every event valid
 * under OLD is valid under NEW (consumers on NEW read what producers on
 * OLD wrote); forward compatible when every event valid under NEW is
 * valid under OLD (consumers still on OLD read what producers on NEW
 * write); fully compatible when both hold.
 *
 * Deciding inclusion of JSON Schemas exactly is out of reach in general,
 * so the comparison is structural and errs on the side of reporting: it
 * walks both compiled schemas side by side, by property, item and
 * applicator, and reports each place where the narrower side constrains
 * what the wider side allows.  A change it cannot prove harmless (a
 * pattern rewritten, an if/then/else added) is reported, and says so.
 *
 * One rule makes the common evolution pass: a property that a schema
 * does not declare is taken as absent from the events written under it,
 * since producers write what their schema declares.  So adding an
 * optional property is backward compatible even when additionalProperties
 * is left open; removing a declared property is breaking only where the
 * other side closes additionalProperties (or still requires it).
 */
#ifndef RTA_COMPAT_H
#define RTA_COMPAT_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_schema.h"

enum {
	RTA_COMPAT_BACKWARD	= 1 << 0,
	RTA_COMPAT_FORWARD	= 1 << 1,
	RTA_COMPAT_FULL		= RTA_COMPAT_BACKWARD | RTA_COMPAT_FORWARD
};

#define RTA_COMPAT_MAX_CHANGES	1000	/* kept; more are counted */

struct rta_compat_change {
	unsigned		 direction;	/* RTA_COMPAT_BACKWARD or _FORWARD */
	const char		*keyword;	/* "required" */
	const char		*reason;	/* "required-added" */
	const struct rta_snode	*node;		/* the narrower side's node */
	const struct rta_schema	*schema;	/* ... and its schema */
	size_t			 path_off, path_len;	/* in text */
	size_t			 msg_off, msg_len;	/* in text */
};

struct rta_compat {
	struct rta_compat_change *c;
	size_t			 n, cap;
	uint64_t		 more;
	struct rta_buf		 text;
	int			 nomem;
	/* walk state */
	unsigned		 direction;
	const struct rta_schema	*wide, *narrow;
	const char		*wide_name, *narrow_name;
	struct rta_buf		 path;
	void			*seen;
	size_t			 nseen, seen_cap;
	unsigned		 depth;
	size_t			 work;
};

void	rta_compat_init(struct rta_compat *c);
void	rta_compat_release(struct rta_compat *c);

/*
 * Compare old and new for the directions in mode (RTA_COMPAT_*), adding
 * every breaking change found to c (earlier results are kept, so several
 * pairs can be compared into one list).  Returns the number of changes
 * added, or -1 on ENOMEM.
 */
long	rta_compat_compare(struct rta_compat *c, const struct rta_schema *old,
	    const struct rta_schema *new, unsigned mode);

/*
 * The parts of a schema node: the node, what its $ref points to and its
 * allOf members, recursively; all of them apply to an instance at once.
 * At most RTA_SPARTS_MAX are listed (deeper ones are left out).
 */
#define RTA_SPARTS_MAX	64

struct rta_sparts {
	const struct rta_snode	*n[RTA_SPARTS_MAX];
	size_t			 len;
	int			 none;		/* holds false: accepts nothing */
};

void	rta_sparts_of(struct rta_sparts *p, const struct rta_snode *n);
/* Add n and its parts to p (no duplicates). */
void	rta_sparts_add(struct rta_sparts *p, const struct rta_snode *n);

/* Change i's instance path and message (borrowed, not NUL-terminated). */
static inline const char *
rta_compat_path(const struct rta_compat *c, size_t i, size_t *len)
{
	*len = c->c[i].path_len;
	return (const char *)c->text.data + c->c[i].path_off;
}

static inline const char *
rta_compat_message(const struct rta_compat *c, size_t i, size_t *len)
{
	*len = c->c[i].msg_len;
	return (const char *)c->text.data + c->c[i].msg_off;
}

/* The name of a direction ("backward"), or NULL. */
const char *rta_compat_direction_name(unsigned direction);

/* Parse "backward", "forward" or "full"; the RTA_COMPAT_ mask or 0. */
unsigned rta_compat_mode_parse(const char *s);

#endif
