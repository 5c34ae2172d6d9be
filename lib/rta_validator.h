/*
 * rta_validator.h: evaluating compiled schemas against values.
 *
 * The instance is a checked value (rta_value.h): an event's payload as
 * decoded from a frame or an NDJSON line, or a whole JSON document.  The
 * walk is over the schema's nodes and the value's bytes; nothing is
 * parsed or allocated per instance once the scratch space has grown.
 *
 * A failed instance yields its violations, each with the instance path
 * (a JSON pointer), the schema keyword and its location, a reason code
 * and a message.  Violations inside anyOf, oneOf, not, if and contains
 * branches are not listed one by one (a failed branch is not an error by
 * itself); the keyword that failed as a whole is.
 *
 * Evaluation is bounded: instance paths of RTA_VALIDATE_DEPTH segments
 * and recursion through $ref fail as "too-deep" violations rather than
 * exhaust the stack.  A compiled schema must not be evaluated from two
 * threads at once: its patterns' DFA caches change as they search
 * (rta_regex.h); a validator is one thread's too.
 *
 *	struct rta_validator v;
 *	rta_validator_init(&v);
 *	if (!rta_validate(&v, schema, payload, "/payload"))
 *		rta_violations_json(&v, &out);
 *	rta_validator_release(&v);
 */
#ifndef RTA_VALIDATOR_H
#define RTA_VALIDATOR_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_schema.h"

#define RTA_VIOLATIONS_MAX	32	/* kept per instance; more are counted */
#define RTA_VALIDATE_DEPTH	160	/* instance path segments */
#define RTA_VORDER_NODES	64	/* object nodes with a learnt order */
#define RTA_VORDER_KEYS		32	/* members of each */

struct rta_violation {
	const char		*keyword;	/* "pattern" */
	const char		*reason;	/* "pattern-mismatch" */
	const struct rta_snode	*node;		/* the schema that has it */
	size_t			 path_off, path_len;	/* in text */
	size_t			 msg_off, msg_len;	/* in text */
};

struct rta_vseg {
	const char	*key;		/* NULL: an array index */
	size_t		 len;		/* key length, or the index */
};

struct rta_validator {
	/* result of the last rta_validate */
	struct rta_violation	 v[RTA_VIOLATIONS_MAX];
	size_t			 n;
	uint64_t		 more;
	struct rta_buf		 text;
	/* state */
	const struct rta_schema	*schema;
	const char		*prefix;
	int			 collect;
	unsigned		 depth;
	struct rta_vseg		 path[RTA_VALIDATE_DEPTH];
	struct rta_buf		 scratch;
	/*
	 * The order in which objects of a schema node listed their members
	 * last time: events of one producer repeat it, so most names are
	 * found by one comparison instead of a hash lookup.
	 */
	struct rta_vorder {
		const struct rta_snode	*node;
		uint16_t		 prop[RTA_VORDER_KEYS];	/* index + 1 */
	}			 order[RTA_VORDER_NODES];
};

void	rta_validator_init(struct rta_validator *v);
void	rta_validator_release(struct rta_validator *v);

/*
 * Evaluate schema s on the checked value val.  1 if it is valid; 0 if
 * not, with the violations in v (until the next call).  Instance paths
 * start with prefix ("" for a whole document).
 */
int	rta_validate(struct rta_validator *v, const struct rta_schema *s,
	    const unsigned char *val, const char *prefix);

/*
 * 1 if valid, without collecting violations (faster when failing); the
 * violations of an earlier rta_validate are cleared.
 */
int	rta_validate_quick(struct rta_validator *v,
	    const struct rta_schema *s, const unsigned char *val);

/*
 * Append the last result's violations as a JSON array of objects
 * {"path","keyword","schema","reason","message"}; "schema" is the
 * schema's name, '#' and the keyword's JSON pointer.  0 or -1 (ENOMEM).
 */
int	rta_violations_json(const struct rta_validator *v, struct rta_buf *out);

/* The schema location of violation i ("name#/properties/x/pattern",
 * the JSON pointer percent-encoded as a URI fragment: "a b" is "a%20b"),
 * appended to out; 0 or -1. */
int	rta_violation_location(const struct rta_validator *v, size_t i,
	    struct rta_buf *out);

/* A violation's path and message (borrowed, not NUL-terminated). */
static inline const char *
rta_violation_path(const struct rta_validator *v, size_t i, size_t *len)
{
	*len = v->v[i].path_len;
	return (const char *)v->text.data + v->v[i].path_off;
}

static inline const char *
rta_violation_message(const struct rta_validator *v, size_t i, size_t *len)
{
	*len = v->v[i].msg_len;
	return (const char *)v->text.data + v->v[i].msg_off;
}

/*
 * Append to out the value val with the "default" of every absent object
 * member that schema s declares one for (through properties, $ref and
 * allOf, at any depth where the value has an object).  1 if anything was
 * added; 0 if nothing was (out is left as it was); -1 on ENOMEM.
 */
int	rta_fill_defaults(const struct rta_schema *s, const unsigned char *val,
	    struct rta_buf *out);

#endif
