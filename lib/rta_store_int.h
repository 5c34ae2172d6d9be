/*
 * rta_store_int.h: what the files of the store module share.
 */
#ifndef RTA_STORE_INT_H
#define RTA_STORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "rta_frame.h"

/*
 * A record of a bucket being scanned: its frame, in which map.  48 bytes
 * (a bucket of an hour can hold millions): the id and tenant are found
 * from the frame (after its header and the event's fixed part: id, event
 * type, tenant), not kept as pointers.
 */
struct scan_ent {
	int64_t			 ts;
	uint64_t		 tkey, ikey;	/* first 8 bytes of tenant and
						 * id, big-endian, zero-padded */
	const unsigned char	*frame;
	uint32_t		 size;
	uint32_t		 version;
	uint32_t		 map;		/* index in the scan's maps */
	uint8_t			 tlen, idlen, elen;
};

static inline const char *
scan_ent_id(const struct scan_ent *e)
{
	return (const char *)e->frame + RTA_FRAME_HEADER_LEN +
	    RTA_EVENT_FIXED_LEN;
}

static inline const char *
scan_ent_tenant(const struct scan_ent *e)
{
	return scan_ent_id(e) + e->idlen + e->elen;
}

/* a[0..al) against b[0..bl): by their bytes, a proper prefix first. */
int	rta_bytes_cmp(const char *a, size_t al, const char *b, size_t bl);

/* The first 8 bytes of s[0..len) as a big-endian integer, zero-padded. */
uint64_t rta_scan_prefix_key(const char *s, size_t len);

/* The scan's order: tenant, time, id (each by its bytes), then version,
 * map and offset, so that the last of a record's versions comes last. */
int	rta_scan_ent_cmp(const void *a, const void *b);

/*
 * Sort v[0..n) and v2[0..n2), the entries of a bucket, as
 * rta_scan_ent_cmp orders them, into *out (a new array the caller frees;
 * NULL when n2 is 0 and v itself was sorted in place), on up to threads
 * threads (two at most).  0, or -1 (ENOMEM).
 */
int	rta_scan_sort(struct scan_ent *v, size_t n, struct scan_ent *v2,
	    size_t n2, unsigned threads, struct scan_ent **out);

#endif
