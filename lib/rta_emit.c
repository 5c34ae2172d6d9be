/*
 * rta_emit.c: building and writing single events for producers.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "rta_alloc.h"
#include "rta_emit.h"
#include "rta_frame.h"
#include "rta_json.h"
#include "rta_time.h"
#include "rta_uuid.h"
#include "rta_value.h"

struct rta_emitter {
	int			 fd;
	FILE			*fp;
	enum rta_emit_format	 format;
	uint32_t		 version;
	int			 header_done;
	struct rta_json		 json;
	struct rta_buf		 payload;
	struct rta_buf		 out;
	struct rta_error	 err;
};

static struct rta_emitter *
emitter_new(int fd, FILE *fp, enum rta_emit_format format)
{
	struct rta_emitter *em;

	if ((em = rta_calloc(1, sizeof(*em))) == NULL)
		return NULL;
	em->fd = fd;
	em->fp = fp;
	em->format = format;
	em->version = 1;
	rta_json_init(&em->json);
	em->json.max_depth = RTA_VALUE_MAX_DEPTH - 1;	/* inside the envelope */
	return em;
}

struct rta_emitter *
rta_emitter_fd(int fd, enum rta_emit_format format)
{
	return emitter_new(fd, NULL, format);
}

struct rta_emitter *
rta_emitter_fp(FILE *fp, enum rta_emit_format format)
{
	return emitter_new(-1, fp, format);
}

void
rta_emitter_set_version(struct rta_emitter *em, uint32_t version)
{
	em->version = version;
}

const char *
rta_emitter_error(const struct rta_emitter *em)
{
	return em->err.text;
}

static int
put(struct rta_emitter *em)
{
	const unsigned char *p = em->out.data;
	size_t n = em->out.len;

	if (em->fp != NULL) {
		if (fwrite(p, 1, n, em->fp) != n) {
			rta_error_errno(&em->err, "write error");
			return -1;
		}
		return 0;
	}
	while (n > 0) {
		ssize_t w = write(em->fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			rta_error_errno(&em->err, "write error");
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
rta_emit_event(struct rta_emitter *em, const struct rta_event *ev)
{
	struct rta_record rec;

	rta_error_clear(&em->err);
	if (rta_event_check(ev, &em->err) != RTA_OK ||
	    rta_event_check_values(ev, RTA_VALUE_MAX_DEPTH,
	    RTA_VALUE_MAX_MEMBERS, &em->err) != RTA_OK)
		return -1;
	memset(&rec, 0, sizeof(rec));
	rec.kind = RTA_REC_EVENT;
	rec.ev = *ev;
	rec.ev.frame = NULL;	/* callers need not know about it */
	rec.ev.frame_len = 0;
	rta_buf_reset(&em->out);
	if (em->format == RTA_EMIT_RTA) {
		if (!em->header_done && rta_frame_put_header(&em->out) != 0)
			goto nomem;
		em->header_done = 1;
		if (rta_frame_put(&em->out, &rec) != 0)
			goto nomem;
	} else if (rta_ndjson_put(&em->out, &rec) != 0)
		goto nomem;
	return put(em);
nomem:
	rta_error_set(&em->err, RTA_ENOMEM, "no-memory", "out of memory");
	return -1;
}

int
rta_emit(struct rta_emitter *em, const char *event_type,
    const char *tenant_id, const char *payload_json)
{
	struct rta_event ev;
	char id[RTA_UUID_LEN];
	size_t tl, nl;

	rta_error_clear(&em->err);
	if (event_type == NULL || tenant_id == NULL ||
	    (tl = strlen(event_type)) > RTA_ID_MAX ||
	    (nl = strlen(tenant_id)) > RTA_ID_MAX) {
		rta_error_set(&em->err, RTA_EINVAL, "bad-field",
		    "event_type and tenant_id must be 1 to %d bytes",
		    RTA_ID_MAX);
		return -1;
	}
	memset(&ev, 0, sizeof(ev));
	rta_buf_reset(&em->payload);
	if (payload_json != NULL) {
		if (rta_json_document(&em->json, payload_json,
		    strlen(payload_json), &em->payload, &em->err) != RTA_OK)
			return -1;
		if (em->payload.data[0] != RTA_V_OBJECT) {
			rta_error_set(&em->err, RTA_EINVAL, "bad-field",
			    "payload must be a JSON object");
			return -1;
		}
		ev.payload = em->payload.data;
		ev.payload_len = em->payload.len;
	} else {
		ev.payload = rta_empty_object;
		ev.payload_len = sizeof(rta_empty_object);
	}
	ev.ts = rta_now();
	rta_uuid_v7(id, ev.ts / 1000);
	ev.id = id;
	ev.id_len = RTA_UUID_LEN;
	ev.type = event_type;
	ev.type_len = (uint8_t)tl;
	ev.tenant = tenant_id;
	ev.tenant_len = (uint8_t)nl;
	ev.schema_version = em->version;
	return rta_emit_event(em, &ev);
}

int
rta_emitter_free(struct rta_emitter *em)
{
	struct rta_record end;
	int rc = 0;

	if (em == NULL)
		return 0;
	if (em->format == RTA_EMIT_RTA && em->header_done) {
		memset(&end, 0, sizeof(end));
		end.kind = RTA_REC_END;
		rta_buf_reset(&em->out);
		if (rta_frame_put(&em->out, &end) != 0 || put(em) != 0)
			rc = -1;
	}
	rta_json_release(&em->json);
	rta_buf_release(&em->payload);
	rta_buf_release(&em->out);
	rta_free(em);
	return rc;
}
