/*
 * rta_prom_int.h: internal to rta_prom*.c, not part of the API (see
 * rta_prom.h for that).  rta_prom.c reads texts into the merge: the
 * arena, the families and samples, the tables that find them;
 * rta_prom_write.c writes the merge out.  This is what they share.
 */
#ifndef RTA_PROM_INT_H
#define RTA_PROM_INT_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_prom.h"

enum { T_UNTYPED, T_COUNTER, T_GAUGE, T_HISTOGRAM, T_SUMMARY, T_N };

/* "untyped", "counter", ...: the names of the types, by T_*. */
extern const char *const rta_prom_types[T_N];

/* The families rta_prom_format writes itself: file up, mtime, drops. */
#define RTA_PROM_NRESERVED	3
extern const char *const rta_prom_reserved[RTA_PROM_NRESERVED];

struct fam {
	size_t		 name, nlen;		/* arena */
	size_t		 help, hlen;
	int		 has_help, typed, type;
	size_t		 first, last, n;	/* samples, index + 1 */
	size_t		 help_src, type_src, sample_src, blocked_src;
	int		 blocked_type;	/* the TYPE refused */
};

struct sample {
	size_t		 fam;
	size_t		 next;		/* next of the family, + 1 */
	size_t		 src;
	size_t		 head;		/* its series' first sample */
	size_t		 last_src;	/* head: last text with it, + 1 */
	size_t		 line, len;	/* arena: normalized line */
	size_t		 nlen;		/* its name's bytes */
	size_t		 llen;		/* its labels' bytes, no {} */
	size_t		 key, klen;	/* arena: the series key */
	int		 collide;	/* head: another text has it */
	int		 has_file;	/* a label named file */
};

struct source {
	char		*name;		/* NULL: the caller's own */
	int		 file, up;
	double		 mtime;
	uint64_t	 drops[RTA_PROM_NDROP];
};

struct slot {
	uint64_t	 h;
	size_t		 v;		/* item + 1; 0: empty */
};

/* Open addressing, at most half full; slots keep their hash. */
struct table {
	struct slot	*s;
	size_t		 cap, n;
};

/* A label: offsets of its name and (escaped) value in l. */
struct span {
	const unsigned char *l;
	size_t		 n, nlen, v, vlen;
};

struct rta_prom {
	struct rta_buf	 a;		/* the arena */
	struct fam	*f;
	size_t		 nf, fcap;
	struct sample	*s;
	size_t		 ns, scap;
	struct source	*src;
	size_t		 nsrc;
	struct table	 ft, st;	/* families by name, series */
	uint64_t	 seed;
	struct span	*lb;		/* the line's labels */
	size_t		 lbcap;
	struct rta_buf	 line, key;	/* the line being built */
};

/* Item's key, for a table's lookups. */
typedef void (*rta_prom_keyfn)(const void *ctx, size_t item,
    const unsigned char **k, size_t *klen);

/* The slot of t holding key k (hash h), or the empty one where it would
 * go; t must have a slot (rta_prom_treserve). */
struct slot *rta_prom_tfind(const struct table *t, uint64_t h,
	    const void *k, size_t klen, rta_prom_keyfn kf, const void *ctx);
/* Room in t for one more entry: 0, or -1 (no memory). */
int	rta_prom_treserve(struct table *t);

/* Label spans in order of their names (qsort). */
int	rta_prom_cmp_span(const void *a, const void *b);
/* name="value",... of spans v[0..n) appended to b: 0 or -1. */
int	rta_prom_put_labels(struct rta_buf *b, const struct span *v,
	    size_t n);

#endif
