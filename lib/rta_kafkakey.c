/*
 * rta_kafkakey.c: "key<TAB>json" lines for kcat -P -K '\t'.  The record
 * is encoded as NDJSON after the key; on any failure the buffer is cut
 * back to where it was, so a rejected record leaves nothing behind.
 */
#include <stddef.h>

#include "rta_kafkakey.h"

int
rta_kafka_key_put(struct rta_buf *b, const struct rta_field *f,
    const struct rta_record *rec, struct rta_error *err)
{
	struct rta_fval v;
	char tmp[RTA_FVAL_TMP];
	const char *s;
	size_t len, i, mark = b->len;

	if (!rta_field_get(f, &rec->ev, &v) ||
	    !rta_fval_text(&v, tmp, &s, &len) || len == 0)
		return rta_error_set(err, RTA_EDATA, "no-key",
		    "no Kafka key: %s is missing, empty or not a scalar",
		    f->text);
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return rta_error_set(err, RTA_EDATA, "bad-key",
			    "Kafka key %s holds a control character",
			    f->text);
	if (rta_buf_add(b, s, len) != 0 || rta_buf_add(b, "\t", 1) != 0 ||
	    rta_ndjson_put(b, rec) != 0) {
		b->len = mark;
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	}
	return RTA_OK;
}
