/*
 * fuzz_regex.c: the regex compiler and the lazy DFA on hostile patterns.
 *
 * The input is a pattern, a NUL byte and a subject; without a NUL it is a
 * pattern, searched in itself.  A pattern that fails to compile must say
 * why the way rta_regex.h promises (code, reason, offset within it, one
 * line of text) and leave *re alone.  One that compiles is compiled three
 * times, with the default DFA cache, none (the NFA simulation) and a
 * small one (a size from the input, 1 to 4096 bytes, so that states fill
 * it, or cannot even fit, mid-search).  The three must answer alike on
 * the subject, on the pattern and on the subject again (the states made
 * the first time serve the last), and hold no more memory than their
 * program and cache cap.  Then the pattern P is wrapped two ways that
 * mean the same for an unanchored search, ^[\s\S]*(?:P) (an anchored
 * program, whose states can die) and (?:P)[\s\S]*$, which must compile
 * too (unless a limit is hit) and give the same answer.
 *
 * The search costs up to the program's size per byte (a{30000} keeps a
 * thread for each byte of a run of a's), so the subject is cut to keep
 * program size times length bounded: the fuzzer looks for wrong answers
 * and crashes, not slow units, which the unit tests cover.
 *
 * Any disagreement aborts.  Input starting "RTA-CANARY" is a planted heap
 * over-read (test D4): a sanitizer build must stop on it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_err.h"
#include "rta_regex.h"

#include "canary.h"

/* Program memory times subject bytes searched, at most. */
#define WORK_MAX	((size_t)64 << 20)

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fail(const char *what, const void *pat, size_t plen, const void *s,
    size_t slen)
{
	char q[300], r[300];

	rta_quote(q, sizeof(q), pat, plen, 200);
	rta_quote(r, sizeof(r), s, slen, 200);
	fprintf(stderr, "fuzz_regex: %s\npattern: '%s'\nsubject: '%s'\n",
	    what, q, r);
	abort();
}

/* The failure must be reported as rta_regex.h says. */
static void
check_error(int rc, const struct rta_regex *re, const struct rta_regex *was,
    const struct rta_error *err, const char *pat, size_t plen)
{
	const char *want;

	switch (rc) {
	case RTA_EDATA:
		want = err->reason != NULL && strcmp(err->reason,
		    "unsupported-pattern") == 0 ? "unsupported-pattern" :
		    "bad-pattern";
		break;
	case RTA_ELIMIT:
		want = "pattern-too-large";
		break;
	case RTA_ENOMEM:
		return;
	default:
		fail("compile returned an unknown code", pat, plen, "", 0);
		return;
	}
	if (re != was)
		fail("a failed compile changed *re", pat, plen, "", 0);
	if (err->code != rc || err->reason == NULL ||
	    strcmp(err->reason, want) != 0)
		fail("the error's code and reason disagree", pat, plen, "", 0);
	if (err->offset > plen)
		fail("the error offset is past the pattern", pat, plen, "", 0);
	if (err->text[0] == '\0' || strchr(err->text, '\n') != NULL)
		fail("the error text is empty or not one line", pat, plen,
		    "", 0);
}

/*
 * The answer of pre P post on s (of length len), or -1 if the wrapped
 * pattern reaches a limit.  It must not be a syntax error.
 */
static int
wrapped(const char *pre, const char *pat, size_t plen, const char *post,
    const char *s, size_t len)
{
	size_t a = strlen(pre), b = strlen(post);
	struct rta_regex *re;
	char *w;
	int rc, m;

	if ((w = malloc(a + plen + b + 1)) == NULL)
		return -1;
	memcpy(w, pre, a);
	memcpy(w + a, pat, plen);
	memcpy(w + a + plen, post, b);
	rc = rta_regex_compile(&re, w, a + plen + b, NULL);
	free(w);
	if (rc == RTA_ELIMIT || rc == RTA_ENOMEM)
		return -1;
	if (rc != RTA_OK)
		fail("the wrapped pattern does not compile", pat, plen, "", 0);
	m = rta_regex_search(re, s, len);
	rta_regex_free(re);
	return m;
}

/* Search s with the three regexes: the answer, the same from each. */
static int
search3(struct rta_regex *re[3], const char *pat, size_t plen,
    const char *s, size_t len)
{
	int a, b, c;

	a = rta_regex_search(re[0], s, len);
	b = rta_regex_search(re[1], s, len);
	c = rta_regex_search(re[2], s, len);
	if ((a != 0 && a != 1) || a != b || a != c)
		fail("the cache changes the answer", pat, plen, s, len);
	return a;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data, *pat, *sub, *nul;
	struct rta_regex *re[3], *sentinel = (struct rta_regex *)&re;
	size_t plen, slen, base, tiny, cap[3], limit;
	struct rta_error err;
	int rc, i, first, m;

	if (canary(data, size))
		return 0;
	pat = in;
	if (size > 0 && (nul = memchr(in, 0, size)) != NULL) {
		plen = (size_t)(nul - in);
		sub = nul + 1;
		slen = size - plen - 1;
	} else {
		plen = slen = size;
		sub = in;
	}
	memset(&err, 0, sizeof(err));
	re[0] = sentinel;
	rc = rta_regex_compile(&re[0], pat, plen, &err);
	if (rc != RTA_OK) {
		check_error(rc, re[0], sentinel, &err, pat, plen);
		return 0;
	}
	tiny = 1 + (size * 2654435761U) % 4096;
	cap[0] = RTA_REGEX_CACHE_MAX;
	cap[1] = 0;
	cap[2] = tiny;
	for (i = 1; i < 3; i++) {
		if (rta_regex_compile(&re[i], pat, plen, &err) != RTA_OK)
			fail("a pattern compiles once, not twice", pat, plen,
			    "", 0);
		rta_regex_set_cache(re[i], cap[i]);
	}
	base = rta_regex_memory(re[1]);
	for (i = 0; i < 3; i++)
		if (rta_regex_memory(re[i]) != base)
			fail("memory differs before any search", pat, plen, "",
			    0);

	limit = WORK_MAX / base;
	if (slen > limit)
		slen = limit;
	first = search3(re, pat, plen, sub, slen);
	search3(re, pat, plen, pat, plen < limit ? plen : limit);
	if (search3(re, pat, plen, sub, slen) != first)
		fail("the same search gives another answer", pat, plen, sub,
		    slen);
	if ((m = wrapped("^[\\s\\S]*(?:", pat, plen, ")", sub, slen)) >= 0 &&
	    m != first)
		fail("^[\\s\\S]*(?:P) gives another answer", pat, plen, sub,
		    slen);
	if ((m = wrapped("(?:", pat, plen, ")[\\s\\S]*$", sub, slen)) >= 0 &&
	    m != first)
		fail("(?:P)[\\s\\S]*$ gives another answer", pat, plen, sub,
		    slen);

	for (i = 0; i < 3; i++) {
		if (rta_regex_memory(re[i]) > base + cap[i])
			fail("memory beyond the program and the cache cap",
			    pat, plen, sub, slen);
		rta_regex_free(re[i]);
	}
	return 0;
}
