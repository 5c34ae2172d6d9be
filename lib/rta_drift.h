/*
 * rta_drift.h: how live data drifts from its schema.
 *
 * A drift profile is made from one schema: the tree of the fields it
 * declares (properties, through $ref, allOf and the branches of anyOf
 * and oneOf; array items as "*"), each with the types it allows.  Events'
 * payloads are then counted against it:
 *
 *   undeclared	a member the schema does not declare, in an object whose
 *		schema declares members or closes additionalProperties
 *		(members matching patternProperties count as declared);
 *   never seen	a declared field no event had;
 *   mismatch	a field present with a type its schema does not allow;
 *   missing	how often a declared field was absent from an object that
 *		was there (its parent), as a rate.
 *
 * Memory is bounded whatever the stream: the declared tree is at most
 * RTA_DRIFT_MAX_FIELDS nodes and at most RTA_DRIFT_MAX_UNDECLARED distinct
 * undeclared paths are kept per profile (more are counted together).
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
	unsigned	 types;		/* RTA_ST_* allowed */
	int		 required;	/* in its parent's "required" */
	int		 free;		/* members below are not checked */
	uint32_t	 parent;	/* index, UINT32_MAX for the root */
	uint32_t	 first_child, next_sibling;	/* UINT32_MAX: none */
	const char	*key;		/* last token, unescaped ("*": items) */
	size_t		 klen;
	uint64_t	 present;	/* times seen */
	uint64_t	 as_container;	/* times seen as object or array */
	uint64_t	 mismatched;
	unsigned	 seen_types;	/* of the mismatched values */
};

struct rta_drift_undeclared {
	char		*path;
	uint64_t	 count;
};

struct rta_drift {
	const struct rta_schema		*schema;
	struct rta_drift_field		*f;	/* f[0] is the payload */
	size_t				 nf;
	int				 truncated;	/* hit a bound */
	struct rta_drift_undeclared	*u;
	size_t				 nu;
	uint64_t			 more_undeclared;
	uint64_t			 events;
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

struct rta_drift_finding {
	enum rta_drift_kind	 kind;
	const char		*path;		/* under the prefix */
	const struct rta_snode	*node;		/* schema node, or NULL */
	uint64_t		 count;		/* events it applies to */
	uint64_t		 of;		/* out of this many */
	unsigned		 types;		/* declared (mismatch) */
	unsigned		 seen_types;	/* seen (mismatch) */
	int			 required;
};

/*
 * Call fn for every finding, in kind order then path order; stops and
 * returns fn's value when it is not 0.  Missing rates are given for
 * optional fields seen at least once (a required field that is missing
 * makes the event invalid, which rta-validate reports).
 */
int	rta_drift_report(const struct rta_drift *d,
	    int (*fn)(void *, const struct rta_drift_finding *), void *arg);

/* "undeclared", "never-seen", "type-mismatch", "missing". */
const char *rta_drift_kind_name(enum rta_drift_kind k);

#endif
