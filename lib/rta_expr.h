/*
 * rta_expr.h: filter expressions over events (rta-query --where).
 *
 * An expression is compiled once and then asked one question per event:
 * does it hold?  Aggregate records are held in the same struct rta_event
 * (rta_event.h), so the same expressions filter them too:
 * payload.group.country, payload.results.count.
 *
 *	struct rta_expr *e;
 *	if (rta_expr_parse("event_type = 'purchase' and "
 *	    "payload.amount >= 100", &e, &err) != RTA_OK) ...
 *	if (rta_expr_match(e, &ev)) ...
 *	rta_expr_free(e);
 *
 * Grammar (keywords in any case, whitespace anywhere between tokens):
 *
 *	expr	:= and { "or" and }
 *	and	:= unary { "and" unary }
 *	unary	:= "not" unary | "(" expr ")" | test
 *	test	:= field op value
 *		 | field ["not"] "in" "(" value { "," value } ")"
 *		 | field "~" string		regex search (rta_regex.h)
 *		 | field "^=" string		starts with
 *		 | field "exists"		present (JSON null included)
 *	op	:= "=" | "==" | "!=" | "<>" | "<" | "<=" | ">" | ">="
 *	value	:= number | string | "true" | "false" | "null"
 *
 * So not binds tighter than and, and tighter than or.  A field is a path
 * as rta_field.h reads it (event_id, timestamp, event_type, tenant_id,
 * schema_version, payload, payload.a.b, "\." and "\\" and "\," inside a
 * member name); it ends at whitespace or at one of ( ) , ' " = ! < > ~ ^.
 * A number has JSON's syntax (-1, 2.5e3; integers within int64).  A
 * string is quoted with ' or " and may hold the escapes \\ \' \" \n \t
 * and \uXXXX (a surrogate pair for characters beyond U+FFFF); it must be
 * valid UTF-8.
 *
 * Semantics: two-valued, as in jq; a test is true or false, never
 * unknown.
 *   - A missing field (also a path through a non-object) reads as null:
 *     `f = null` holds when f is missing or JSON null; `f exists` when it
 *     is present, null included.
 *   - `f != v` is exactly `not (f = v)`, `f not in (...)` exactly
 *     `not (f in (...))`: both hold for a missing field.
 *   - `=` and `in` compare by type.  A number equals a number of the same
 *     value (payload integers and numbers, schema_version; 1 = 1.0):
 *     integers compare exactly as int64, an integer and a computed double
 *     exactly, and numbers from JSON text by their decimal value when
 *     their doubles tie.  A string equals a string (an envelope string or
 *     a payload string) byte for byte; true and false equal booleans;
 *     null equals null and missing.  Values of different types are never
 *     equal, and arrays and objects equal nothing.
 *   - `<`, `<=`, `>`, `>=` order numbers against numbers (as above),
 *     strings against strings (bytes, unsigned, a prefix first), and the
 *     timestamp against an RFC 3339 time.  Anything else is false: a
 *     missing field, null, a boolean, mixed types.
 *   - timestamp compared with a string (=, the orders, in) reads the
 *     string as an RFC 3339 time (rta_time_parse) once, when the
 *     expression is compiled, and compares microseconds; a string that is
 *     not a time is an error then.  timestamp is not a string: `~` and
 *     `^=` on it are false.
 *   - `~` searches the string with an ECMAScript regex, unanchored (write
 *     ^ and $ for a whole match); `^=` tests a byte prefix.  Both are
 *     false for anything but a string.
 *
 * Examples:
 *	event_type in ('purchase', 'refund') and payload.amount > 0
 *	timestamp >= '2026-11-26T00:00:00Z' and not payload.test exists
 *	payload.user.email ~ '@example\\.com$' or tenant_id ^= "acme-"
 *	payload.results.count >= 100		(aggregate records)
 *
 * Limits: RTA_EXPR_MAX_LEN bytes of text, parentheses and nots nested at
 * most RTA_EXPR_MAX_DEPTH deep, at most RTA_EXPR_MAX_IN `in` items in all.
 */
#ifndef RTA_EXPR_H
#define RTA_EXPR_H

#include <stddef.h>

#include "rta_err.h"
#include "rta_event.h"
#include "rta_field.h"

#define RTA_EXPR_MAX_LEN	65536	/* bytes of expression text */
#define RTA_EXPR_MAX_DEPTH	64	/* nested parentheses and nots */
#define RTA_EXPR_MAX_IN		1024	/* in items, all lists together */

struct rta_expr;

/*
 * Compile the NUL-terminated expression s.  RTA_OK with *e a new
 * expression (free it with rta_expr_free), or *e untouched and:
 *   RTA_EINVAL, reason "bad-where": a syntax error, an unknown field, a
 *     bad string, number, regex or time; err->text is "column N: what is
 *     wrong", N the 1-based byte column of the token at fault (within a
 *     regex, of the construct rta_regex names), and err->offset is N - 1;
 *   RTA_ELIMIT, reason "bad-where": a limit above (or a regex too
 *     large), with the same kind of text, but for a text too long:
 *     "expression longer than 65536 bytes" (err->offset 65536);
 *   RTA_ENOMEM, reason "no-memory".
 */
int	rta_expr_parse(const char *s, struct rta_expr **e,
	    struct rta_error *err);

/*
 * 1 if ev satisfies e, else 0.  Allocates nothing (but for the DFA
 * states a regex builds on its first searches) and never fails.  The
 * regexes of e keep a cache that each search updates: use an expression
 * from one thread at a time (compile one per thread).
 */
int	rta_expr_match(const struct rta_expr *e, const struct rta_event *ev);

/* Free e and everything it holds.  Accepts NULL. */
void	rta_expr_free(struct rta_expr *e);

/*
 * The distinct fields e reads (as written: "payload.a" twice is one
 * field), in the order they first appear, for callers that fetch them
 * ahead.  Borrowed from e until rta_expr_free.
 */
size_t	rta_expr_nfields(const struct rta_expr *e);
const struct rta_field *rta_expr_field(const struct rta_expr *e, size_t i);

#endif
