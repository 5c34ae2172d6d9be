/*
 * rta_drift.h: how live data drifts from its schema.
 *
 * A drift profile is made from one schema: the tree of the fields it
 * declares (properties and required, through $ref, allOf and the
 * branches of anyOf, oneOf, then, else and dependentSchemas; array items,
 * prefixItems and items together, as "*"), each with the types it allows
 * (type, and the types of enum and const).  Where allOf parts declare the
 * same field their types meet; where branches do, they add up.  Events'
 * payloads are then counted against it:
 *
 *   undeclared	a member the schema does not declare, in an object whose
 *		schema declares members or closes additionalProperties
 *		(members matching patternProperties count as declared;
 *		additionalProperties with a schema declares them all);
 *   never seen	a declared field no event had;
 *   mismatch	a field present with a type its schema does not allow;
 *   missing	how often a declared field was absent from an object that
 *		was there (its parent), as a rate.
 *
 * Counts are of occurrences: a field under "*" is counted once per item.
 * A recursive schema is followed until a field's declarations repeat
 * those of an ancestor; below that, members are not checked.
 *
 * Memory is bounded whatever the stream: the declared tree is at most
 * RTA_DRIFT_MAX_FIELDS nodes and at most RTA_DRIFT_MAX_UNDECLARED distinct
 * undeclared paths are kept per profile (occurrences of others are
 * counted together in more_undeclared).  Nothing is allocated once those
 * paths are known.
 */
#ifndef RTA_DRIFT_H
#define RTA_DRIFT_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_schema.h"

#define RTA_DRIFT_MAX_FIELDS		4096
#define RTA_DRIFT_MAX_DEPTH		32
#define RTA_DRIFT_MAX_UNDECLARED	256

struct rta_drift_field {
	char		*path;		/* JSON pointer under the prefix */
	const struct rta_snode *node;	/* first schema node declaring it */
	const struct rta_snode **decl;	/* all of them, a NULL between
					   groups that apply together */
	uint32_t	 ndecl;
	unsigned	 types;		/* RTA_ST_* allowed */
	int		 required;	/* in its parent's "required" */
	int		 free;		/* members below are not checked */
	uint32_t	 parent;	/* index, UINT32_MAX for the root */
	uint32_t	 first_child, next_sibling;	/* UINT32_MAX: none */
	const char	*key;		/* last token, unescaped ("*": items) */
	size_t		 klen;
	uint64_t	 present;	/* times seen */
	uint64_t	 as_container;	/* times seen as an object */
	uint64_t	 mismatched;
	unsigned	 seen_types;	/* of the mismatched values */
};

struct rta_drift_undeclared {
	char		*path;
	uint64_t	 count;		/* occurrences */
	uint32_t	 parent;	/* the field of its object */
};

struct rta_drift {
	const struct rta_schema		*schema;
	struct rta_drift_field		*f;	/* f[0] is the payload */
	size_t				 nf;
	int				 truncated;	/* hit a bound */
	struct rta_drift_undeclared	*u;
	size_t				 nu;
	uint64_t			 more_undeclared; /* occurrences */
	uint64_t			 events;
	uint32_t			*order;	/* f by path */
	struct rta_buf			 path;	/* scratch */
};

/* Build the profile of schema s; 0 or -1 (ENOMEM). */
int	rta_drift_init(struct rta_drift *d, const struct rta_schema *s);
void	rta_drift_release(struct rta_drift *d);

/* Count one payload (a checked value); 0 or -1 (ENOMEM). */
int	rta_drift_add(struct rta_drift *d, const unsigned char *payload);

/* Finding kinds, in report order. */
enum rta_drift_kind {
	RTA_DRIFT_UNDECLARED,
	RTA_DRIFT_NEVER_SEEN,
	RTA_DRIFT_MISMATCH,
	RTA_DRIFT_MISSING
};

/*
 * count out of of:
 *   undeclared	occurrences, out of the objects seen at its parent's place
 *   never seen	0, out of the objects seen at its parent's place
 *   mismatch	values of a wrong type, out of the values seen there
 *   missing	objects at the parent's place without it, out of them all
 */
struct rta_drift_finding {
	enum rta_drift_kind	 kind;
	const char		*path;		/* under the prefix */
	const struct rta_snode	*node;		/* schema node, or NULL */
	uint64_t		 count;
	uint64_t		 of;
	unsigned		 types;		/* declared (not undeclared) */
	unsigned		 seen_types;	/* seen (mismatch) */
	int			 required;	/* in its parent's "required" */
};

/*
 * Call fn for every finding, in kind order then path order; stops and
 * returns fn's value when it is not 0.  Missing rates are given for
 * fields seen at least once (a field never seen is never-seen instead);
 * a required field missing made its event invalid, and says so with
 * required.
 */
int	rta_drift_report(const struct rta_drift *d,
	    int (*fn)(void *, const struct rta_drift_finding *), void *arg);

/* "undeclared", "never-seen", "type-mismatch", "missing". */
const char *rta_drift_kind_name(enum rta_drift_kind k);

#endif
