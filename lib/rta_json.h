/*
 * rta_json.h: the project's JSON text parser, producing typed values.
 *
 * One pass over the bytes, no tree: each value is appended to a struct
 * rta_buf in the encoding of rta_value.h as it is read.  The grammar is
 * RFC 8259 in full (escapes, surrogate pairs, number syntax), with the same
 * answers as jansson in its default mode where they overlap: invalid UTF-8,
 * lone surrogates, \u0000, integers beyond int64 and numbers beyond the
 * double range are rejected.  Duplicate object keys are rejected too.
 * Limits (nesting depth, members per object) bound what a hostile line can
 * make the parser do.
 *
 * rta_event.c drives the same parser over the record envelope; the entry
 * points for that are below rta_json_document().
 */
#ifndef RTA_JSON_H
#define RTA_JSON_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_err.h"

struct rta_json {
	const unsigned char	*start;
	const unsigned char	*p;
	const unsigned char	*end;
	unsigned		 max_depth;	/* nested containers */
	size_t			 max_members;	/* per object */
	int			 padded;	/* 16 readable bytes after end */
	struct rta_buf		 table;		/* large objects' key tables */
	struct rta_error	*err;
};

/* Default limits are RTA_VALUE_MAX_DEPTH and RTA_VALUE_MAX_MEMBERS. */
void	rta_json_init(struct rta_json *j);
void	rta_json_release(struct rta_json *j);

/* Start reading len bytes at s; errors go to err (may be NULL). */
void	rta_json_begin(struct rta_json *j, const void *s, size_t len,
	    struct rta_error *err);

/*
 * Parse s as exactly one JSON text (surrounding whitespace allowed) and
 * append its value to out.  RTA_OK, or RTA_EDATA/RTA_ELIMIT/RTA_ENOMEM with
 * err set (err->offset is the byte offset of the problem); out is then
 * left with partial contents the caller should discard.
 */
int	rta_json_document(struct rta_json *j, const void *s, size_t len,
	    struct rta_buf *out, struct rta_error *err);

/* ---- cursor-level entry points (used by the envelope parser) ---- */

static inline void
rta_json_ws(struct rta_json *j)
{
	/* compact JSON has none: one compare decides */
	while (j->p < j->end && *j->p <= ' ' && (*j->p == ' ' ||
	    *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

/* Parse the value at the cursor into out; depth is the number of
 * containers around it. */
int	rta_json_value(struct rta_json *j, struct rta_buf *out,
	    unsigned depth);

/*
 * Parse the string at the cursor (which must be at '"').  When it holds no
 * escape, *s points into the input (zero copy) and *copied is 0.  Otherwise
 * the decoded bytes are appended to scratch, *s points at them (valid until
 * scratch next grows) and *copied is 1, with *scratch_off their offset.
 */
int	rta_json_string(struct rta_json *j, struct rta_buf *scratch,
	    const char **s, size_t *len, int *copied, size_t *scratch_off);

/*
 * The string at the cursor (at a quote) if it holds no escape: 1, with *s
 * and *len pointing into the input and the cursor after the closing quote;
 * else 0 and the cursor unmoved (the caller takes the general path).
 */
int	rta_json_plain_string(struct rta_json *j, const char **s, size_t *len);

/* A parsed number: an integer in int64, or a real with its text. */
struct rta_json_num {
	int		 is_int;
	int64_t		 i;
	double		 d;
	const char	*text;
	size_t		 len;
};

/* Parse the number at the cursor. */
int	rta_json_number(struct rta_json *j, struct rta_json_num *n);

/*
 * After an object member's value: skip blanks, then step over ',' (1: a
 * member follows) or '}' (0: the object is done); anything else is an
 * error (-1, err set).
 */
int	rta_json_member_end(struct rta_json *j);

/* Set err for a syntax error at the cursor: "what at byte N". */
int	rta_json_fail(struct rta_json *j, int code, const char *reason,
	    const char *what);

#endif
