/*
 * fuzz_expr.c: the --where compiler and evaluator on hostile text.
 *
 * The input is an expression, and after a NUL byte, optionally, a JSON
 * payload.  An expression that fails to compile must say why the way
 * rta_expr.h promises (code, reason, "column N: ..." with N inside the
 * text and err->offset N - 1, one line) and leave *e alone.  One that
 * compiles is evaluated on a few fixed events and on an event carrying
 * the payload (when it parses), twice each (the answer must not depend
 * on what the first search left in a regex's cache); its fields must be
 * listed.  Then "not (E)" must compile too, unless a limit is reached,
 * and give the opposite answer on every event: the two-valued semantics
 * leave no third case.
 *
 * Any disagreement aborts.  Input starting "RTA-CANARY" is a planted heap
 * over-read (test D4): a sanitizer build must stop on it.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_err.h"
#include "rta_event.h"
#include "rta_expr.h"

#include "canary.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const lines[] = {
	"{\"event_id\":\"e1\",\"timestamp\":\"2026-11-26T10:00:00.5Z\","
	"\"event_type\":\"pv\",\"tenant_id\":\"acme\",\"schema_version\":3,"
	"\"payload\":{\"i\":5,\"n\":2.5,\"big\":9007199254740993,\"s\":"
	"\"h\\u00e9llo\",\"t\":true,\"f\":false,\"z\":null,\"o\":{\"a\":1,"
	"\"b\":{\"c\":\"x\"}},\"arr\":[1,\"a\"],\"a.b\":-0.0}}",
	"{\"event_id\":\"x\",\"timestamp\":\"0001-01-01T00:00:00Z\","
	"\"event_type\":\"\\u00e9\",\"tenant_id\":\"t\",\"schema_version\":0,"
	"\"payload\":{}}",
	"{\"$rta\":\"aggregate\",\"record_id\":\"r1\",\"window\":"
	"\"tumbling\",\"start\":\"2026-11-26T10:00:00.000000Z\","
	"\"tenant_id\":\"acme\",\"version\":2,\"group\":{\"country\":\"DE\"},"
	"\"results\":{\"count\":120,\"avg\":1.5,\"p\":1e300}}",
};

#define NFIXED	(sizeof(lines) / sizeof(lines[0]))

static struct rta_ndjson_parser fixed_np[NFIXED], np;
static struct rta_event fixed[NFIXED];
static int ready;

static void
fail(const char *what, const char *expr)
{
	char q[300];

	rta_quote(q, sizeof(q), expr, strlen(expr), 200);
	fprintf(stderr, "fuzz_expr: %s\nexpression: '%s'\n", what, q);
	abort();
}

static void
setup(void)
{
	struct rta_record rec;
	struct rta_error err;
	size_t i;

	for (i = 0; i < NFIXED; i++) {
		rta_ndjson_parser_init(&fixed_np[i]);
		if (rta_ndjson_parse(&fixed_np[i], lines[i], strlen(lines[i]),
		    &rec, &err) != RTA_OK)
			fail("a fixed event does not parse", lines[i]);
		fixed[i] = rec.ev;
	}
	rta_ndjson_parser_init(&np);
	ready = 1;
}

/* A failed compile must be reported as rta_expr.h says. */
static void
check_error(int rc, const struct rta_expr *e, const struct rta_expr *was,
    const struct rta_error *err, const char *expr)
{
	unsigned long col;
	char *end;

	if (e != was)
		fail("a failed compile changed *e", expr);
	if (err->code != rc || err->reason == NULL)
		fail("the error's code disagrees", expr);
	if (rc == RTA_ENOMEM)
		return;
	if ((rc != RTA_EINVAL && rc != RTA_ELIMIT) ||
	    strcmp(err->reason, "bad-where") != 0)
		fail("an unknown code or reason", expr);
	if (strchr(err->text, '\n') != NULL)
		fail("the error text is not one line", expr);
	if (strncmp(err->text, "column ", 7) != 0) {
		if (rc != RTA_ELIMIT || strlen(expr) <= RTA_EXPR_MAX_LEN)
			fail("the error text names no column", expr);
		return;
	}
	col = strtoul(err->text + 7, &end, 10);
	if (strncmp(end, ": ", 2) != 0 || end[2] == '\0')
		fail("the error text is not 'column N: what'", expr);
	if (col < 1 || col > strlen(expr) + 1 || err->offset != col - 1)
		fail("the column is outside the text or not the offset", expr);
}

/* Evaluate e on ev twice: the answer, the same both times. */
static int
match2(const struct rta_expr *e, const struct rta_event *ev,
    const char *expr)
{
	int a = rta_expr_match(e, ev), b = rta_expr_match(e, ev);

	if ((a != 0 && a != 1) || a != b)
		fail("evaluation is not a stable 0 or 1", expr);
	return a;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rta_expr *e, *ne, *sentinel = (struct rta_expr *)&e;
	const uint8_t *nul;
	struct rta_event evs[NFIXED + 1];
	struct rta_record rec;
	struct rta_error err;
	size_t elen, i, nev = NFIXED;
	char *expr, *neg, line[4096];
	int rc, answers[NFIXED + 1], n;

	if (canary(data, size))
		return 0;
	if (!ready)
		setup();
	nul = size > 0 ? memchr(data, 0, size) : NULL;
	elen = nul != NULL ? (size_t)(nul - data) : size;
	if ((expr = malloc(elen + 1)) == NULL)
		return 0;
	memcpy(expr, data, elen);
	expr[elen] = '\0';
	memcpy(evs, fixed, sizeof(fixed));
	/* the payload after the NUL, in an event of its own */
	if (nul != NULL && size - elen - 1 < sizeof(line) - 200) {
		n = snprintf(line, sizeof(line), "{\"event_id\":\"f\","
		    "\"timestamp\":\"2026-11-26T10:00:00Z\",\"event_type\":"
		    "\"t\",\"tenant_id\":\"acme\",\"schema_version\":1,"
		    "\"payload\":%.*s}", (int)(size - elen - 1),
		    (const char *)nul + 1);
		if (n > 0 && (size_t)n < sizeof(line) &&
		    rta_ndjson_parse(&np, line, (size_t)n, &rec, &err) ==
		    RTA_OK && rec.kind == RTA_REC_EVENT)
			evs[nev++] = rec.ev;
	}

	memset(&err, 0, sizeof(err));
	e = sentinel;
	if ((rc = rta_expr_parse(expr, &e, &err)) != RTA_OK) {
		check_error(rc, e, sentinel, &err, expr);
		free(expr);
		return 0;
	}
	for (i = 0; i < rta_expr_nfields(e); i++)
		if (rta_expr_field(e, i) == NULL)
			fail("a listed field is missing", expr);
	if (rta_expr_field(e, i) != NULL)
		fail("a field past the list", expr);
	for (i = 0; i < nev; i++)
		answers[i] = match2(e, &evs[i], expr);

	if ((neg = malloc(elen + 8)) != NULL) {
		snprintf(neg, elen + 8, "not (%s)", expr);
		ne = sentinel;
		rc = rta_expr_parse(neg, &ne, &err);
		if (rc == RTA_OK) {
			for (i = 0; i < nev; i++)
				if (match2(ne, &evs[i], neg) == answers[i])
					fail("not (E) gives E's answer", expr);
			rta_expr_free(ne);
		} else if (rc != RTA_ELIMIT && rc != RTA_ENOMEM)
			fail("not (E) does not compile", expr);
		else
			check_error(rc, ne, sentinel, &err, neg);
		free(neg);
	}
	rta_expr_free(e);
	free(expr);
	return 0;
}
