/*
 * producer: emit events from a program with the rta producer API
 * (rta_emit.h).  A shop's web server would call rta_emit() where it serves
 * a page or takes an order; this program emits one short session (three
 * page views and a purchase) for a tenant on stdout, as NDJSON or, with
 * -b, as rta frames, ready for rta-cat or any later stage:
 *
 *	cc -o producer producer.c $(pkg-config --cflags --libs rta)
 *	./producer acme | rta-cat --dead-letter dlq.ndjson
 *
 * Each event gets a fresh UUID v7 event_id and the current time (RTA_NOW
 * fixes the time, for tests), and goes out in a single write(2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rta_emit.h"

static const char *const pages[] = { "/", "/pricing", "/checkout" };

static void	usage(void);

int
main(int argc, char *argv[])
{
	struct rta_emitter *em;
	enum rta_emit_format format = RTA_EMIT_NDJSON;
	const char *tenant = "acme";
	char payload[256];
	size_t i;
	int c;

	while ((c = getopt(argc, argv, "b")) != -1) {
		switch (c) {
		case 'b':
			format = RTA_EMIT_RTA;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1)
		usage();
	if (argc == 1)
		tenant = argv[0];

	if ((em = rta_emitter_fd(STDOUT_FILENO, format)) == NULL) {
		fprintf(stderr, "producer: out of memory\n");
		return 4;
	}
	/* The payload is any JSON object; rta_emit checks it and the ids. */
	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		snprintf(payload, sizeof(payload), "{\"url\":\"%s\","
		    "\"user_id\":\"u-17\",\"latency_ms\":%zu}", pages[i],
		    40 + 15 * i);
		if (rta_emit(em, "page_view", tenant, payload) != 0)
			goto fail;
	}
	/* Schema version 2 of purchase carries the currency. */
	rta_emitter_set_version(em, 2);
	if (rta_emit(em, "purchase", tenant, "{\"order_id\":\"o-1001\","
	    "\"user_id\":\"u-17\",\"value\":175.55,\"currency\":\"EUR\","
	    "\"items\":[\"sku-1\",\"sku-9\"]}") != 0)
		goto fail;
	/* Freeing finishes the stream (an end frame for rta frames). */
	if (rta_emitter_free(em) != 0) {
		fprintf(stderr, "producer: write error\n");
		return 3;
	}
	return 0;
fail:
	/* A bad tenant, bad JSON or a failed write: say which, stop. */
	fprintf(stderr, "producer: %s\n", rta_emitter_error(em));
	rta_emitter_free(em);
	return 1;
}

static void
usage(void)
{
	fprintf(stderr, "usage: producer [-b] [tenant]\n");
	exit(2);
}
