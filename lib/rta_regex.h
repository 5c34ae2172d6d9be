/*
 * rta_regex.h: ECMAScript regular expressions for JSON Schema "pattern".
 *
 * JSON Schema 2020-12 ("pattern", "patternProperties") uses ECMA-262
 * regular expressions and recommends reading them with the u flag.  This
 * module compiles such a pattern once and then answers one question per
 * string: does the pattern match anywhere in it?  Patterns are not
 * anchored ("a" matches "cat"); write ^ and $ for a whole-string match.
 *
 * The search never backtracks.  It walks a DFA built lazily from the
 * pattern's NFA, one table lookup per ASCII byte, so its time is linear in
 * the input for every pattern ((a*)*b included), and the memory a regex
 * holds is bounded: its program plus at most RTA_REGEX_CACHE_MAX bytes of
 * DFA, flushed and rebuilt when full.
 *
 * Differences from ECMA-262 with the u flag:
 *   - Backreferences (\1 to \9... and \k<name>), lookahead ((?= and (?!),
 *     lookbehind ((?<= and (?<!) and Unicode property escapes (\p{...},
 *     \P{...}) are not implemented: such a pattern fails to compile with
 *     reason "unsupported-pattern".  So do ES2025 modifiers ((?i:...)).
 *   - Only whether the pattern matches is computed: no captures, no
 *     matched text.  Greedy and lazy quantifiers are therefore the same.
 *   - No flag but u: no i, m, s or v.  ^ and $ match only at the start and
 *     end of the input, . matches no line terminator, case matters.
 *   - Counted repetitions are expanded into copies.  A pattern whose
 *     program would pass RTA_REGEX_MAX_PROG instructions (a{40000},
 *     (a{1000}){1000}, a{50000,}) or whose groups nest deeper than
 *     RTA_REGEX_MAX_DEPTH fails with RTA_ELIMIT "pattern-too-large".
 *   - Group names: ASCII characters must make an ECMAScript identifier,
 *     but any non-ASCII character outside \s is accepted (there are no
 *     Unicode tables).  A name used twice is an error even in different
 *     alternatives, as before ES2025.
 *   - The subject is UTF-8 and so holds no lone surrogates: a pattern
 *     asking for one (\uD800) never matches it.  A byte that is not valid
 *     UTF-8 in the subject reads as U+FFFD.
 *
 * A regex is not safe for concurrent searches from several threads (the
 * search updates its DFA cache); compile one per thread.
 */
#ifndef RTA_REGEX_H
#define RTA_REGEX_H

#include <stddef.h>

#include "rta_err.h"

#define RTA_REGEX_MAX_PROG	32768	/* NFA instructions, 12 bytes each */
#define RTA_REGEX_MAX_DEPTH	200	/* nested groups */
#define RTA_REGEX_CACHE_MAX	(1024 * 1024)	/* default DFA cache bytes */

struct rta_regex;

/*
 * Compile the UTF-8 pattern pat[0..len).  Returns RTA_OK with *re set to a
 * new regex (free it with rta_regex_free), or fails with *re untouched:
 *   RTA_EDATA, reason "bad-pattern": a syntax error (also invalid UTF-8);
 *   RTA_EDATA, reason "unsupported-pattern": valid ECMA-262 that this
 *     module does not implement (see above);
 *   RTA_ELIMIT, reason "pattern-too-large";
 *   RTA_ENOMEM.
 * On RTA_EDATA and RTA_ELIMIT, err->offset is the byte offset in the
 * pattern of the construct at fault and err->text says what it is, e.g.
 * "lookahead (?= is not supported".  When a pattern has both, a syntax
 * error is reported rather than an unsupported feature.
 */
int	rta_regex_compile(struct rta_regex **re, const char *pat, size_t len,
	    struct rta_error *err);

/*
 * 1 if the pattern matches anywhere in s[0..len), else 0.  s should be
 * valid UTF-8 (see above for invalid bytes).  Never fails: if the DFA
 * cache cannot grow, the search simulates the NFA directly (slower, same
 * answer).  After the first searches have built the states they need, a
 * search allocates nothing.
 */
int	rta_regex_search(struct rta_regex *re, const char *s, size_t len);

/*
 * Bound the DFA cache of re to bytes (the default is RTA_REGEX_CACHE_MAX);
 * the cache is emptied.  0 turns it off: every search then simulates the
 * NFA, one set of states per code point.  Answers never depend on it.
 */
void	rta_regex_set_cache(struct rta_regex *re, size_t bytes);

/* Bytes held by re now: its program and scratch plus its DFA cache. */
size_t	rta_regex_memory(const struct rta_regex *re);

/* Free re and everything it holds.  Accepts NULL. */
void	rta_regex_free(struct rta_regex *re);

#endif
