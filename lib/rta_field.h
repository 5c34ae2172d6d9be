/*
 * rta_field.h: fields of an event named on a command line.
 *
 * A field is an envelope field (event_id, timestamp, event_type,
 * tenant_id, schema_version), the payload as a whole ("payload"), or a
 * member of it, nested objects joined by dots: "payload.user.id".  A dot
 * or backslash inside a member name is written with a backslash before
 * it ("payload.a\.b" is the member "a.b").  Lists are comma-separated
 * ("tenant_id,payload.order_id"); a comma inside a name is "\,".
 *
 *	struct rta_field f;
 *	if (rta_field_parse(&f, "payload.user_id", &err) != RTA_OK) ...
 *	struct rta_fval v;
 *	if (rta_field_get(&f, &ev, &v) && v.kind == RTA_FV_STRING) ...
 *	rta_field_release(&f);
 */
#ifndef RTA_FIELD_H
#define RTA_FIELD_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_event.h"

#define RTA_FIELD_MAX_PARTS	32	/* members on one path */

enum rta_field_root {
	RTA_F_EVENT_ID,
	RTA_F_TIMESTAMP,
	RTA_F_EVENT_TYPE,
	RTA_F_TENANT_ID,
	RTA_F_SCHEMA_VERSION,
	RTA_F_PAYLOAD
};

struct rta_field_part {
	char	*name;
	size_t	 len;
};

struct rta_field {
	enum rta_field_root	 root;
	char			*text;		/* the path as written */
	struct rta_field_part	*parts;		/* payload members */
	size_t			 nparts;
};

/* Parse one path.  RTA_OK, RTA_EINVAL ("bad-field", err says why) or
 * RTA_ENOMEM.  The field owns copies of the names. */
int	rta_field_parse(struct rta_field *f, const char *s,
	    struct rta_error *err);
/* The same for s[0..len). */
int	rta_field_parse_n(struct rta_field *f, const char *s, size_t len,
	    struct rta_error *err);
void	rta_field_release(struct rta_field *f);

/* Parse a comma-separated list into a new array of *n fields (at least
 * one; empty items are an error). */
int	rta_field_list_parse(const char *list, struct rta_field **fs,
	    size_t *n, struct rta_error *err);
void	rta_field_list_free(struct rta_field *fs, size_t n);

enum rta_fval_kind {
	RTA_FV_MISSING = 0,	/* absent (or a path through a non-object) */
	RTA_FV_STRING,		/* s[0..len): event_id, event_type, tenant_id */
	RTA_FV_TIME,		/* i: µs since the epoch (timestamp) */
	RTA_FV_UINT,		/* i: schema_version */
	RTA_FV_VALUE		/* v: a payload value (any type) */
};

struct rta_fval {
	enum rta_fval_kind	 kind;
	const char		*s;
	size_t			 len;
	int64_t			 i;
	const unsigned char	*v;
};

/* The field's value in ev (borrowed from ev); 1 if present, else 0 with
 * out->kind RTA_FV_MISSING.  A payload string is RTA_FV_VALUE: use
 * rta_fval_text for its bytes. */
int	rta_field_get(const struct rta_field *f, const struct rta_event *ev,
	    struct rta_fval *out);

/*
 * The value as text, as a join or a key compares it: strings as their
 * bytes; integers and numbers as their decimal text (numbers as they
 * were written); true, false; a timestamp in the canonical RFC 3339
 * form.  tmp (RTA_FVAL_TMP bytes) holds the text when it is not in the
 * event.  1, or 0 for a missing value, null, an array or an object.
 */
#define RTA_FVAL_TMP	40
int	rta_fval_text(const struct rta_fval *v, char *tmp, const char **s,
	    size_t *len);

/*
 * Append an encoding of v to b that is equal for equal values and
 * different for different ones, whatever their type (a string "1" and
 * the number 1 differ; a missing field and null differ): one type byte,
 * then for scalars their text as rta_fval_text gives it (numbers by
 * value, so 1.0 and 1 are one key), for arrays and objects their
 * compact JSON (objects in their member order).  Keys of several fields are these encodings one after
 * another, each length-prefixed.  0 or -1 (ENOMEM).
 */
int	rta_fval_key(struct rta_buf *b, const struct rta_fval *v);

/*
 * The time a key made by rta_fval_key carries: when its first part is a
 * string holding a UUIDv7 (36 characters, 8-4-4-4-12 hex digits with
 * the version digit 7) or a ULID (26 characters of Crockford's base 32),
 * the milliseconds since the epoch its first 48 bits hold; else -1.
 * Only the dashes and the version digit of a UUID are checked: for any
 * other string of that shape the value is still a function of the key,
 * which is all rta_keyset_fingerprint_at needs.
 */
int64_t	rta_key_time(const void *key, size_t len);

#endif
