/*
 * rta_event.h: records of the rta stream and their NDJSON form.
 *
 * A record is an event (the envelope of DESIGN §2 with a typed payload) or
 * a control record: a watermark (event-time progress), a source position
 * (the Kafka topic/partition/offset the records after it come from) or the
 * end of a stream.  Every string and value in a record is borrowed: it
 * points into the input line, a frame, or the parser's scratch, and stays
 * valid until the next record is read from the same source.
 *
 * NDJSON form of an event (canonical: this key order, compact, the
 * timestamp with six fraction digits; extra top-level keys follow the
 * payload in their input order):
 *
 *   {"event_id":"…","timestamp":"2026-11-26T10:00:00.123456Z",
 *    "event_type":"page_view","tenant_id":"acme","schema_version":1,
 *    "payload":{…}}
 *
 * and of control records (the "$rta" key marks them):
 *
 *   {"$rta":"watermark","watermark":"2026-11-26T10:00:00.000000Z"}
 *   {"$rta":"position","topic":"events","partition":3,"offset":1234}
 *   {"$rta":"end"}
 *
 * An aggregate record (rta-window's output: one window of one group) is
 * held in the same struct rta_event: id is its record id, ts the start
 * of its window, type the kind of window, tenant its tenant and
 * schema_version its version; the payload holds the rest (the window's
 * end, the group, the results and the mergeable states), and there is no
 * extra object.  In NDJSON those fields are named for what they are, and
 * the payload's members follow them at the top level:
 *
 *   {"$rta":"aggregate","record_id":"…","window":"tumbling",
 *    "start":"2026-11-26T10:00:00.000000Z","tenant_id":"acme",
 *    "version":1,"end":"…","group":{…},"results":{…},"states":{…}}
 */
#ifndef RTA_EVENT_H
#define RTA_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_json.h"
#include "rta_time.h"

#define RTA_ID_MAX	255	/* bytes in event_id, event_type, tenant_id */
#define RTA_TOPIC_MAX	249	/* Kafka's own limit on topic names */
#define RTA_TENANT_MAX	64	/* a tenant id fit for paths and labels */

struct rta_event {
	int64_t			 ts;		/* event time, µs UTC */
	uint32_t		 schema_version;
	uint8_t			 id_len, type_len, tenant_len;
	const char		*id;
	const char		*type;
	const char		*tenant;
	const unsigned char	*payload;	/* an object value */
	size_t			 payload_len;
	const unsigned char	*extra;		/* object value or NULL */
	size_t			 extra_len;
	/*
	 * The frame this event was decoded from (header and body), or NULL.
	 * While every field above still holds what was decoded, the frame
	 * encoder copies these bytes, checksums included, instead of
	 * encoding again: a pass-through stage costs little more than the
	 * pipe.  Changing any field (a new pointer or value) makes the event
	 * be encoded anew; code that builds events sets this to NULL.
	 */
	const unsigned char	*frame;
	size_t			 frame_len;
};

struct rta_position {
	const char	*topic;
	size_t		 topic_len;
	int32_t		 partition;
	int64_t		 offset;
};

enum rta_kind {
	RTA_REC_EVENT = 1,
	RTA_REC_WATERMARK,
	RTA_REC_POSITION,
	RTA_REC_END,
	RTA_REC_VALUE,		/* a plain JSON document (rta-validate --raw) */
	RTA_REC_AGGREGATE	/* in ev, as above */
};

struct rta_record {
	enum rta_kind		 kind;
	struct rta_event	 ev;		/* RTA_REC_EVENT, _AGGREGATE */
	int64_t			 watermark;	/* RTA_REC_WATERMARK */
	struct rta_position	 pos;		/* RTA_REC_POSITION */
	const unsigned char	*value;		/* RTA_REC_VALUE */
	size_t			 value_len;
};

/* How to read numbers given as the timestamp. */
struct rta_envelope_opts {
	enum rta_epoch_unit	 epoch_unit;
};

/* The value of an empty object, for events without a payload. */
extern const unsigned char rta_empty_object[9];

/*
 * Check an envelope built by hand (rta_emit, CSV, rta-gen): ids within
 * RTA_ID_MAX, non-empty, valid UTF-8, timestamp in range.  Payloads are
 * not checked here.
 */
int	rta_event_check(const struct rta_event *ev, struct rta_error *err);

/*
 * Check the payload and extra values as a reader does: the payload an
 * object nested at most max_depth - 1 deep (the envelope is the first
 * level), the extra object at most max_members - 6 members, none named
 * like an envelope field or "$rta", and no string anywhere holding U+0000.
 */
int	rta_event_check_values(const struct rta_event *ev, unsigned max_depth,
	    size_t max_members, struct rta_error *err);
/* The same when 16 readable bytes follow the values (see
 * rta_value_check_padded). */
int	rta_event_check_values_padded(const struct rta_event *ev,
	    unsigned max_depth, size_t max_members, int padded,
	    struct rta_error *err);
/* The same with only the values' shape checked (rta_value_check_shape):
 * for events read back from bytes under a verified checksum. */
int	rta_event_check_shape(const struct rta_event *ev, unsigned max_depth,
	    size_t max_members, struct rta_error *err);

/*
 * Check what an aggregate record holds beyond an event's checks: its
 * payload has no member named like one of the NDJSON form's own fields
 * ("$rta", "record_id", "window", "start", "tenant_id", "version"), so
 * that the two forms map one to one.
 */
int	rta_aggregate_check(const struct rta_event *ev, struct rta_error *err);

/*
 * 1 if s[0..len) is a tenant id that may name files and metric labels
 * as it is: 1 to RTA_TENANT_MAX bytes of ASCII letters, digits, '_', '-'
 * and '.', starting with a letter, digit or '_' (so never "." or "..").
 * rta-validate holds tenants to this; rta-store will refuse others.
 */
int	rta_tenant_valid(const char *s, size_t len);

/*
 * Read topic, partition and offset from an object value (a "$rta"
 * position record, a kcat -J envelope) into pos, which then borrows the
 * topic from obj.  0, or -1 if one is missing or out of range.
 */
int	rta_position_from_value(const unsigned char *obj,
	    struct rta_position *pos);

/* ---- NDJSON ---- */

struct rta_ndjson_parser {
	struct rta_json		 json;
	struct rta_buf		 payload;	/* encoded payload */
	struct rta_buf		 extra;		/* encoded extra members */
	struct rta_buf		 strings;	/* unescaped envelope strings */
	struct rta_envelope_opts opts;
};

void	rta_ndjson_parser_init(struct rta_ndjson_parser *np);
void	rta_ndjson_parser_release(struct rta_ndjson_parser *np);

/*
 * Parse one line (without its newline) into rec.  RTA_OK; or RTA_EDATA /
 * RTA_ELIMIT / RTA_ENOMEM with err set: reason "bad-json", "bad-utf8",
 * "duplicate-key", "too-deep", "too-many-members", "missing-field",
 * "bad-field", "bad-timestamp" or "bad-control".  rec borrows from line
 * and from np until the next call.
 */
int	rta_ndjson_parse(struct rta_ndjson_parser *np, const void *line,
	    size_t len, struct rta_record *rec, struct rta_error *err);

/* Append rec as one NDJSON line (with '\n').  End records write nothing:
 * in NDJSON the end of a stream is the end of the bytes; a plain value is
 * written as compact JSON.  0 or -1. */
int	rta_ndjson_put(struct rta_buf *out, const struct rta_record *rec);

#endif
