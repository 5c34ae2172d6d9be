/*
 * rta_kafkakey.h: keyed lines for kcat's producer.
 *
 * `kcat -P -K '\t'` splits each input line at its first TAB into the
 * message key and the message; the default partitioner sends equal keys
 * to one partition.  rta-cat --kafka-key FIELD writes each event as
 * "key<TAB>json" so that, keyed by tenant_id, every tenant's events stay
 * on one partition and in order.
 *
 * The key is the field's value as rta_fval_text gives it (a string's
 * bytes, a number as written).  A key that is missing, null, an array,
 * an object or empty cannot be written ("no-key"), nor one holding a
 * control character ("bad-key"): a TAB would move the split, a newline
 * would end the message, and escaping either would change the key that
 * the partitioner hashes.
 */
#ifndef RTA_KAFKAKEY_H
#define RTA_KAFKAKEY_H

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_event.h"
#include "rta_field.h"

/*
 * Append rec (an event or aggregate record) to b as "key<TAB>json\n".
 * RTA_OK; RTA_EDATA ("no-key", "bad-key") or RTA_ENOMEM with err set, b
 * then unchanged.
 */
int	rta_kafka_key_put(struct rta_buf *b, const struct rta_field *f,
	    const struct rta_record *rec, struct rta_error *err);

#endif
