/*
 * rta_ahead.c: walking the frames a reader holds past the current record.
 */
#include <string.h>

#include "rta_ahead.h"

void
rta_ahead_reset(struct rta_ahead *a)
{
	memset(a, 0, sizeof(*a));
}

void
rta_ahead_walk(struct rta_ahead *a, const struct rta_reader *rd,
    unsigned want, void (*found)(void *, unsigned, const struct rta_frame_hint *),
    void *arg)
{
	const struct rta_where *w = rta_reader_where(rd);
	const unsigned char *p, *raw;
	struct rta_frame_hint fh;
	uint64_t at, total;
	size_t len, rawlen, off, size;
	unsigned slot;

	rta_reader_raw(rd, &raw, &rawlen, &total);
	rta_reader_ahead(rd, &p, &len);
	at = w->offset + rawlen;		/* the member offset of p */
	if (w->source != a->source || at < a->last) {
		/* another input, or another member of it */
		a->head = a->n = 0;
		a->source = w->source;
		a->cur = at;
	}
	a->last = at;
	a->walks++;
	if (a->cur < at)
		a->cur = at;	/* the reader went past what was walked */
	while (a->n > 0 && a->end[a->head] <= at) {
		a->head = (a->head + 1) & (RTA_AHEAD_RING - 1);
		a->n--;
	}
	if (want >= RTA_AHEAD_RING)
		want = RTA_AHEAD_RING - 1;
	off = (size_t)(a->cur - at);
	while (a->n < want && off < len) {
		if (!rta_frame_peek(p + off, len - off, &size, &fh) ||
		    size > len - off)
			break;		/* wait for more, or not a frame */
		if (fh.type == RTA_FRAME_EVENT) {
			slot = (a->head + a->n) & (RTA_AHEAD_RING - 1);
			a->start[slot] = at + off;
			a->end[slot] = at + off + size;
			a->n++;
			found(arg, slot, &fh);
		}
		off += size;
	}
	a->cur = at + off;
}

int
rta_ahead_current(const struct rta_ahead *a, const struct rta_reader *rd,
    unsigned *slot)
{
	const struct rta_where *w = rta_reader_where(rd);
	const unsigned char *raw;
	uint64_t at, total;
	size_t rawlen;
	unsigned i, k;

	if (w->source != a->source)
		return 0;
	rta_reader_raw(rd, &raw, &rawlen, &total);
	at = w->offset + rawlen;
	for (i = 0; i < a->n; i++) {
		k = (a->head + i) & (RTA_AHEAD_RING - 1);
		if (a->end[k] > at)
			break;
		if (a->end[k] == at && a->start[k] == w->offset) {
			*slot = k;
			return 1;
		}
	}
	return 0;
}
