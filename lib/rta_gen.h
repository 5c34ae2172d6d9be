/*
 * rta_gen.h: a deterministic event generator (the engine of rta-gen).
 *
 * Events follow the seed's scenario: tenants whose users view pages and
 * buy things, with latencies, values and countries.  Everything comes from
 * one seeded PRNG (xoshiro256**), and event time advances by 1/eps second
 * per event from a fixed start, so the same options give byte-identical
 * output on every machine.  Dials add the trouble real streams have:
 * out-of-order stamps, late and future-stamped events, re-sent duplicates
 * and malformed records, each as a fraction of the records written.
 */
#ifndef RTA_GEN_H
#define RTA_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_event.h"
#include "rta_reader.h"

struct rta_gen_type {
	char		*name;
	uint32_t	 weight;
};

struct rta_gen_opts {
	uint64_t	 seed;
	int64_t		 start;		/* event time of the first event, µs */
	double		 eps;		/* events per second of event time */
	uint32_t	 tenants;
	uint32_t	 users;		/* per tenant */
	double		 skew;		/* Zipf exponent over tenants, 0 flat */
	int64_t		 disorder;	/* max backwards jitter, µs */
	double		 late;		/* fractions of records */
	int64_t		 late_by;
	double		 future;
	int64_t		 future_by;
	double		 duplicates;
	double		 malformed;
	int64_t		 watermark_every; /* µs of event time; 0: none */
	struct rta_gen_type types[16];
	size_t		 ntypes;
};

/* What was generated, so tests can check what the stages report. */
struct rta_gen_stats {
	uint64_t	 records;	/* lines or frames written */
	uint64_t	 events;	/* distinct valid events */
	uint64_t	 duplicates;
	uint64_t	 malformed;
	uint64_t	 late;
	uint64_t	 future;
	uint64_t	 watermarks;
};

struct rta_gen;

/* Defaults: seed 1, 2026-01-01T00:00:00Z, 10 tenants, 1 event/s per
 * tenant, 1000 users, page_view 85 / purchase 10 / error 5. */
void	rta_gen_opts_init(struct rta_gen_opts *o);
/* Parse "page_view=85,purchase=10" into o->types; 0 or -1. */
int	rta_gen_parse_types(struct rta_gen_opts *o, const char *list);
void	rta_gen_opts_release(struct rta_gen_opts *o);

struct rta_gen *rta_gen_new(const struct rta_gen_opts *o);
void	rta_gen_free(struct rta_gen *g);

/*
 * Append the next record to out in format (RTA_FMT_NDJSON or RTA_FMT_RTA;
 * for rta the caller writes the stream header first).  0 or -1 (ENOMEM).
 * *ts is set to its nominal event time (for pacing).
 */
int	rta_gen_next(struct rta_gen *g, enum rta_format format,
	    struct rta_buf *out, int64_t *ts);

const struct rta_gen_stats *rta_gen_stats(const struct rta_gen *g);

#endif
