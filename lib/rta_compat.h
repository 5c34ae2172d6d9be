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
 * other side closes additionalProperties (or still requires it).  A
 * property counts as declared where the schema names it (properties,
 * required, dependentRequired), matches it by patternProperties or gives
 * it a schema of substance through additionalProperties, in the schema
 * itself, through $ref and allOf, or in a branch (anyOf, oneOf, then,
 * else, dependentSchemas).  Closing or constraining additionalProperties
 * is still reported: it is where that assumption would fail.
 *
 * Some changes are reported although they may be harmless, because the
 * comparison cannot prove them so:
 *
 *	pattern-changed		a different pattern (the same one is fine)
 *	pattern-added		patternProperties not on the other side
 *	conditional-changed	an if/then/else whose condition differs and
 *				whose branches do not both hold
 *	branches-narrowed	anyOf/oneOf branches that together, but no
 *				one of them, cover the other side (except by
 *				type: ["string","null"] fits anyOf string,
 *				null)
 *	branches-changed	oneOf branches not shown disjoint
 *	not-changed		a not that the other side does not imply
 *	names-narrowed		propertyNames, against declared names
 *	enum-added, const-added	a list of values where the other side has
 *				none (null and booleans are listed)
 *	count-tightened		maxContains, where the items matching it
 *				are not shown to match the other side's
 *				contains
 *	too-complex		past 64 nested levels, 200,000 steps or 64
 *				parts of one node (keyword "$ref")
 *	additional-closed, additional-narrowed (above)
 *
 * A change's path is an instance path: "/name" for a member, "/0" for a
 * prefix item, and a last token "*" for items past the prefix, for the
 * items of contains and for members additionalProperties governs;
 * changes of patternProperties and dependentSchemas are at the object's
 * path.
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
	int			 strict;	/* no member taken as absent */
	unsigned		 probe;		/* nested trial comparisons */
	int			 limited;	/* too-complex reported */
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
 * found, those past RTA_COMPAT_MAX_CHANGES (counted in more) included,
 * so 0 means compatible; or -1 on ENOMEM.
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

/*
 * The types an instance of the parts p may have (RTA_ST_*), integer
 * implied by number in each part: what type and the lists of values
 * allow, and the branches of anyOf and oneOf (to a small depth, as they
 * may be recursive).  0 when p holds false.
 */
unsigned rta_sparts_types(const struct rta_sparts *p);

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
