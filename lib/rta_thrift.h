/*
 * rta_thrift.h: the Thrift compact protocol, read from a bounded byte
 * range and written to a struct rta_buf: what Parquet's footer and page
 * headers are made of (rta_parquet).
 */
#ifndef RTA_THRIFT_H
#define RTA_THRIFT_H

#include <stddef.h>
#include <stdint.h>

struct rta_buf;

#define RTA_TR_DEPTH_MAX	32	/* nesting read: the footer needs 7 */

/* Compact field and element types. */
enum {
	RTA_TT_STOP, RTA_TT_TRUE, RTA_TT_FALSE, RTA_TT_I8, RTA_TT_I16,
	RTA_TT_I32, RTA_TT_I64, RTA_TT_DOUBLE, RTA_TT_BINARY, RTA_TT_LIST,
	RTA_TT_SET, RTA_TT_MAP, RTA_TT_STRUCT
};

/* ---- reading ------------------------------------------------------------ */

/*
 * A reader over [p, end): the caller sets p and end, why to NULL and
 * depth to 0.  Every call returns 0, or -1 with why set to the first
 * problem (a static string: "truncated", "bad varint", ...).  Strings
 * read point into the range (borrowed from the caller's bytes).
 */
struct rta_tr {
	const unsigned char	*p, *end;
	const char		*why;		/* the first problem */
	int			 depth;
};

/* Fail with why unless a problem is already recorded; -1. */
int	rta_tr_fail(struct rta_tr *t, const char *why);
/* At least n bytes left, or fail "truncated". */
int	rta_tr_need(struct rta_tr *t, size_t n);
/* A zigzag varint in [lo, hi]; an i32 value. */
int	rta_tr_int(struct rta_tr *t, int64_t lo, int64_t hi, int64_t *v);
int	rta_tr_i32(struct rta_tr *t, int32_t *v);
/* A binary value: *s points at its *n bytes inside the range. */
int	rta_tr_bin(struct rta_tr *t, const unsigned char **s, size_t *n);

/*
 * The fields of a struct, one call of fn(t, arg, id, type) per field;
 * fn reads the value of the fields it knows and returns 0, or returns 1
 * for the others, which are skipped (newer writers add fields, and a
 * known id with an unexpected type is a field this reader does not
 * know), or -1 to stop.  A bool field's value is its type (RTA_TT_TRUE,
 * RTA_TT_FALSE).
 */
int	rta_tr_struct(struct rta_tr *t,
	    int (*fn)(struct rta_tr *, void *, int, int), void *arg);
/* A list of structs, each read by each(t, arg); 0 or -1. */
int	rta_tr_structs(struct rta_tr *t,
	    int (*each)(struct rta_tr *, void *), void *arg);

/* ---- writing ------------------------------------------------------------ */

/*
 * A writer appending to b (borrowed).  A failed append sets fail and
 * the output is then to be discarded; structs nest up to 15 deep
 * (assert).
 */
struct rta_tw {
	struct rta_buf	*b;
	int		 fail;
	int		 depth;
	int		 last[16];
};

void	rta_tw_init(struct rta_tw *t, struct rta_buf *b);
/* Raw bytes, one byte, an unsigned varint, a zigzag varint. */
void	rta_tw_raw(struct rta_tw *t, const void *p, size_t n);
void	rta_tw_byte(struct rta_tw *t, unsigned c);
void	rta_tw_uleb(struct rta_tw *t, uint64_t v);
void	rta_tw_zigzag(struct rta_tw *t, int64_t v);
/* A field header: type and id (a delta from the struct's last id). */
void	rta_tw_field(struct rta_tw *t, int type, int id);
/* Fields with their values. */
void	rta_tw_i32(struct rta_tw *t, int id, int32_t v);
void	rta_tw_i64(struct rta_tw *t, int id, int64_t v);
void	rta_tw_bool(struct rta_tw *t, int id, int v);
void	rta_tw_bin(struct rta_tw *t, int id, const void *p, size_t n);
/* Enter a struct: as field id, or (id 0) as a list element; end it. */
void	rta_tw_begin(struct rta_tw *t, int id);
void	rta_tw_end(struct rta_tw *t);
/* A struct with no fields, as field id. */
void	rta_tw_empty(struct rta_tw *t, int id);
/* A list field's header: n elements of type elem follow. */
void	rta_tw_list(struct rta_tw *t, int id, int elem, size_t n);

#endif /* RTA_THRIFT_H */
