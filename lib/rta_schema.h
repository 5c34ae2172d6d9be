/*
 * rta_schema.h: JSON Schema (draft 2020-12) documents compiled for use.
 *
 * A schema document is read once (with the project's JSON parser, so that
 * constants are in the same value encoding as the events they are
 * compared with, and numbers keep their text: "multipleOf": 0.01 is
 * exact) and compiled into a graph of nodes, one per schema object.
 * Evaluation (rta_validator.h), compatibility (rta_compat.h) and drift
 * (rta_drift.h) walk the nodes; none of them reads JSON again.
 *
 * The vocabulary compiled is the one event schemas use:
 *
 *   applicators	allOf anyOf oneOf not if then else dependentSchemas
 *			properties patternProperties additionalProperties
 *			propertyNames prefixItems items contains
 *   assertions		type enum const multipleOf maximum exclusiveMaximum
 *			minimum exclusiveMinimum maxLength minLength pattern
 *			maxItems minItems uniqueItems maxContains minContains
 *			maxProperties minProperties required
 *			dependentRequired format (an assertion on request)
 *   core		$schema (2020-12 only) $id (the root only) $ref
 *			(inside the document: "#", JSON pointers, anchors)
 *			$anchor $defs $comment, and definitions (read as
 *			$defs, for older documents)
 *   annotations	title description default deprecated readOnly
 *			writeOnly examples contentEncoding contentMediaType
 *			contentSchema, and any keyword starting with "x-"
 *
 * Any other keyword (unevaluatedProperties, $dynamicRef, a misspelling) is
 * a load-time problem naming it: a keyword silently ignored would let
 * events through that the author meant to stop.  So are malformed keyword
 * values, patterns our regex engine does not take (rta_regex.h), $refs
 * that do not resolve, and $ref cycles that never reach a value (they
 * would never end).  Loading reports every problem it finds, each with
 * the JSON pointer of the place and, when the text is at hand, its line.
 */
#ifndef RTA_SCHEMA_H
#define RTA_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_regex.h"

/* Instance types as a set (the "type" keyword). */
enum {
	RTA_ST_NULL	= 1 << 0,
	RTA_ST_BOOLEAN	= 1 << 1,
	RTA_ST_OBJECT	= 1 << 2,
	RTA_ST_ARRAY	= 1 << 3,
	RTA_ST_NUMBER	= 1 << 4,
	RTA_ST_STRING	= 1 << 5,
	RTA_ST_INTEGER	= 1 << 6,	/* a number with no fraction */
	RTA_ST_ALL	= 0x7f
};

/* Which keywords a node holds. */
enum {
	RTA_SK_TYPE		= 1u << 0,
	RTA_SK_ENUM		= 1u << 1,	/* enum or const */
	RTA_SK_NUMBER		= 1u << 2,	/* bounds, multipleOf */
	RTA_SK_STRING		= 1u << 3,	/* lengths, pattern, format */
	RTA_SK_OBJECT		= 1u << 4,	/* any object keyword */
	RTA_SK_ARRAY		= 1u << 5,	/* any array keyword */
	RTA_SK_APPLY		= 1u << 6,	/* allOf ... $ref, in place */
	RTA_SK_FALSE		= 1u << 7	/* the schema false */
};

/* A numeric bound from the schema. */
struct rta_snum {
	int		 set;
	int		 is_int;	/* i holds it exactly */
	int64_t		 i;
	double		 d;
	const char	*text;		/* as written (not NUL-terminated) */
	size_t		 len;
};

/* A property name the object keywords mention. */
enum {
	RTA_SP_REQUIRED	= 1 << 0,	/* in "required" */
	RTA_SP_DECLARED	= 1 << 1	/* in "properties" */
};

struct rta_snode;

struct rta_sprop {
	const char		*key;		/* not NUL-terminated */
	uint32_t		 klen;
	uint32_t		 flags;
	struct rta_snode	*schema;	/* properties[key], or NULL */
	const unsigned char	*dflt;		/* its "default", or NULL */
	uint32_t		*dep_required;	/* indices into props */
	uint32_t		 ndep_required;
	struct rta_snode	*dep_schema;	/* dependentSchemas[key] */
};

struct rta_spattern {
	struct rta_regex	*re;
	const char		*src;		/* NUL-terminated */
	struct rta_snode	*schema;
};

/* A string member of an enum, for the quick pass. */
struct rta_sqenum {
	uint64_t		 head;		/* first 8 bytes, zero-padded */
	size_t			 len;
	const char		*s;
};

struct rta_snode {
	unsigned		 kw;		/* RTA_SK_* */
	unsigned		 types;		/* RTA_ST_*, ALL without "type" */
	char			*loc;		/* JSON pointer, "" for the root */
	const unsigned char	*value;		/* the schema as written */
	/* enum / const */
	const unsigned char	**enums;
	size_t			 nenums;
	int			 has_enum;
	const unsigned char	*const_value;	/* or NULL */
	/* numbers */
	struct rta_snum		 minimum, maximum, xminimum, xmaximum;
	struct rta_snum		 multiple_of;
	/* strings */
	uint64_t		 min_length, max_length;	/* max: UINT64_MAX */
	struct rta_regex	*pattern;
	char			*pattern_src;
	int			 format;	/* enum rta_strfmt, or -1 */
	const char		*format_name;	/* as written, or NULL */
	size_t			 format_len;
	/* objects */
	struct rta_sprop	*props;
	uint32_t		 nprops;
	uint32_t		 nrequired;
	uint32_t		*ptable;	/* hash of props, -1 empty */
	uint32_t		 pmask;
	int			 has_deps;	/* dependent* present */
	struct rta_spattern	*patterns;
	size_t			 npatterns;
	struct rta_snode	*additional;
	struct rta_snode	*property_names;
	uint64_t		 min_props, max_props;
	/* arrays */
	struct rta_snode	**prefix;
	size_t			 nprefix;
	struct rta_snode	*items;
	struct rta_snode	*contains;
	uint64_t		 min_contains, max_contains;
	uint64_t		 min_items, max_items;
	int			 unique;
	/* in place */
	struct rta_snode	**all_of, **any_of, **one_of;
	size_t			 nall_of, nany_of, none_of;
	struct rta_snode	*not_;
	struct rta_snode	*if_, *then_, *else_;
	struct rta_snode	*ref;
	char			*ref_src;
	const unsigned char	*dflt;		/* "default", or NULL */
	/*
	 * The quick pass (rta_validate_quick): a value whose tag
	 * (RTA_V_*) has its bit in quick_tags is checked by the type, the
	 * bounds qlo < number < qhi, the byte lengths, the pattern and the
	 * string members of enum alone; a value that fails these, or any
	 * other, takes the full walk.
	 */
	unsigned		 quick_tags;
	double			 qlo, qhi;
	struct rta_sqenum	*qenums;
	size_t			 nqenums;
	uint32_t		*qtable;	/* hash: index + 1, 0 empty */
	uint32_t		 qmask;
	/* compilation */
	int			 mark;
	struct rta_snode	*next;		/* all nodes of a schema */
};

/* A problem found while loading. */
struct rta_schema_problem {
	char		*file;		/* which document, or NULL */
	char		*pointer;	/* where, as a JSON pointer */
	uint64_t	 line;		/* 1-based, 0 if unknown */
	char		 text[200];
};

#define RTA_SCHEMA_MAX_PROBLEMS	100

struct rta_schema_problems {
	struct rta_schema_problem	 p[RTA_SCHEMA_MAX_PROBLEMS];
	size_t				 n;
	uint64_t			 more;	/* not kept */
	const char			*file;	/* set on those added */
};

void	rta_schema_problems_init(struct rta_schema_problems *ps);
void	rta_schema_problems_release(struct rta_schema_problems *ps);
/* Add a problem about ps->file (pointer and file are copied). */
void	rta_schema_problems_add(struct rta_schema_problems *ps,
	    const char *pointer, const char *fmt, ...) RTA_PRINTFLIKE(3, 4);

/* Load flags. */
enum {
	RTA_SCHEMA_FORMATS = 1 << 0	/* "format" asserts (--formats) */
};

struct rta_schema {
	struct rta_buf		 doc;		/* the document, as a value */
	struct rta_snode	*root;
	struct rta_snode	*nodes;		/* list of all */
	char			*name;		/* file name, for messages */
	char			*id;		/* root $id, or NULL */
	unsigned		 flags;
	/* x-rta-event-type and x-rta-version, if the document has them */
	char			*x_type;
	int64_t			 x_version;	/* 0: none */
};

/*
 * Compile the JSON text[0..len), named name in locations.  A new schema
 * (free with rta_schema_free), or NULL with every problem found added to
 * ps (lines filled in from text).  Out of memory is a problem too.
 */
struct rta_schema *rta_schema_load(const void *text, size_t len,
	    const char *name, unsigned flags, struct rta_schema_problems *ps);

/*
 * Read and compile the file at path (at most RTA_SCHEMA_MAX_FILE bytes);
 * NULL with ps filled when it cannot be read or compiled.
 */
#define RTA_SCHEMA_MAX_FILE	(16u << 20)
struct rta_schema *rta_schema_load_file(const char *path, unsigned flags,
	    struct rta_schema_problems *ps);

/*
 * Append the file at path (at most RTA_SCHEMA_MAX_FILE bytes) to out, as
 * rta_schema_load_file reads it: 0, or -1 with the problem added to ps
 * and out as it was.  For callers that want the text too (lines).
 */
int	rta_schema_read_file(const char *path, struct rta_buf *out,
	    struct rta_schema_problems *ps);

void	rta_schema_free(struct rta_schema *s);

/* A schema node's property entry for key, or NULL. */
const struct rta_sprop *rta_snode_prop(const struct rta_snode *n,
	    const char *key, size_t klen);

/* The first min(len, 8) bytes of s, zero-padded (rta_sqenum.head). */
uint64_t rta_sqenum_head(const char *s, size_t len);

/* The first slot of a string enum member in qtable. */
static inline uint32_t
rta_sqenum_slot(uint64_t head, size_t len, uint32_t mask)
{
	return (uint32_t)(((head ^ len) * 0x9e3779b97f4a7c15ull) >> 40) & mask;
}

/* The type set name of one RTA_ST_ bit ("string"), for messages. */
const char *rta_stype_name(unsigned bit);

/*
 * A type set for messages into buf[0..size): the names joined by sep
 * ("string or null"), integer left out when number is in, "nothing" for
 * the empty set.
 */
void	rta_stype_list(unsigned types, const char *sep, char *buf,
	    size_t size);
/* The RTA_ST_ bit of an instance value's type (integers are INTEGER). */
unsigned rta_value_stype(const unsigned char *v);

/*
 * The byte offset in text[0..len) of the value that the JSON pointer ptr
 * names; 0 and *off set, or -1 if the text does not parse or has no such
 * place.  For turning a problem's pointer into a line.
 */
int	rta_json_pointer_offset(const void *text, size_t len,
	    const char *ptr, size_t *off);

/* The line (from 1) of that place, or 0 if there is none. */
uint64_t rta_json_pointer_line(const void *text, size_t len,
	    const char *ptr);

/* Append s[0..len) to out as one JSON pointer token ("~0", "~1"). */
int	rta_pointer_escape(struct rta_buf *out, const char *s, size_t len);

#endif
