/*
 * rta_frame.c: encoding and decoding rta frames.
 *
 * The decoder is the gate for untrusted binary input.  It never trusts a
 * length before comparing it with what is actually there, does length sums
 * in size_t after range checks (no wrap-around: every part is bounded by a
 * u32 and the frame by max_body), and allocates nothing: records point into
 * the caller's buffer.  Each frame header carries its own 16-bit check so
 * that a reader that lost its place (a torn write, two writers interleaved
 * on one pipe) can find the next real frame without trusting garbage as a
 * length.
 */
#include <errno.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "rta_crc32c.h"
#include "rta_frame.h"
#include "rta_time.h"
#include "rta_utf8.h"
#include "rta_value.h"

static uint16_t
header_check(const unsigned char *h)
{
	return (uint16_t)rta_crc32c_6(h);
}

int
rta_frame_put_header(struct rta_buf *out)
{
	if (rta_buf_reserve(out, RTA_STREAM_HEADER_LEN) != 0)
		return -1;
	memcpy(out->data + out->len, RTA_FRAME_MAGIC, 8);
	rta_put_u16(out->data + out->len + 8, RTA_FORMAT_VERSION);
	rta_put_u16(out->data + out->len + 10, 0);
	out->len += RTA_STREAM_HEADER_LEN;
	return 0;
}

/* Reserve a frame header for a body of blen bytes; return the body. */
static unsigned char *
begin_frame(struct rta_buf *out, int type, size_t blen)
{
	unsigned char *h;

	if (blen > RTA_FRAME_MAX) {
		errno = EMSGSIZE;
		return NULL;
	}
	if (rta_buf_reserve(out, RTA_FRAME_HEADER_LEN + blen) != 0)
		return NULL;
	h = out->data + out->len;
	rta_put_u32(h, (uint32_t)blen);
	h[4] = (unsigned char)type;
	h[5] = 0;
	rta_put_u16(h + 6, header_check(h));
	out->len += RTA_FRAME_HEADER_LEN + blen;
	return h + RTA_FRAME_HEADER_LEN;
}

static void
end_frame(unsigned char *body, size_t blen)
{
	rta_put_u32(body - 4, rta_crc32c(0, body, blen));
}

/* Does ev still describe, field for field, the frame of that type it
 * came from? */
static int
unchanged(const struct rta_event *ev, int type)
{
	const unsigned char *b = ev->frame + RTA_FRAME_HEADER_LEN;
	size_t strs = (size_t)ev->id_len + ev->type_len + ev->tenant_len;
	size_t rest;

	if (ev->frame_len < RTA_FRAME_HEADER_LEN + RTA_EVENT_FIXED_LEN ||
	    ev->frame[4] != type ||
	    (int64_t)rta_get_u64(b) != ev->ts ||
	    rta_get_u32(b + 8) != ev->schema_version ||
	    b[12] != ev->id_len || b[13] != ev->type_len ||
	    b[14] != ev->tenant_len ||
	    ev->id != (const char *)b + RTA_EVENT_FIXED_LEN ||
	    ev->type != ev->id + ev->id_len ||
	    ev->tenant != ev->type + ev->type_len ||
	    ev->payload != b + RTA_EVENT_FIXED_LEN + strs ||
	    ev->payload_len != rta_get_u32(b + 16))
		return 0;
	rest = ev->frame_len - RTA_FRAME_HEADER_LEN - RTA_EVENT_FIXED_LEN -
	    strs - ev->payload_len;
	if (ev->extra == NULL)
		return (b[15] & 1) == 0 && rest == 0;
	return (b[15] & 1) && ev->extra == ev->payload + ev->payload_len &&
	    ev->extra_len == rest;
}

int
rta_frame_verbatim(const struct rta_record *rec)
{
	int type = rec->kind == RTA_REC_EVENT ? RTA_FRAME_EVENT :
	    RTA_FRAME_AGGREGATE;

	return (rec->kind == RTA_REC_EVENT || rec->kind == RTA_REC_AGGREGATE) &&
	    rec->ev.frame != NULL && unchanged(&rec->ev, type);
}

int
rta_frame_put(struct rta_buf *out, const struct rta_record *rec)
{
	const struct rta_event *ev = &rec->ev;
	unsigned char *b, *q;
	size_t blen;
	int type;

	switch (rec->kind) {
	case RTA_REC_EVENT:
	case RTA_REC_AGGREGATE:
		type = rec->kind == RTA_REC_EVENT ? RTA_FRAME_EVENT :
		    RTA_FRAME_AGGREGATE;
		if (ev->frame != NULL && unchanged(ev, type))
			return rta_buf_add(out, ev->frame, ev->frame_len);
		if (type == RTA_FRAME_AGGREGATE && ev->extra != NULL) {
			errno = EINVAL;	/* an aggregate has no extra object */
			return -1;
		}
		blen = RTA_EVENT_FIXED_LEN + (size_t)ev->id_len +
		    ev->type_len + ev->tenant_len + ev->payload_len +
		    (ev->extra != NULL ? ev->extra_len : 0);
		if (ev->payload_len > UINT32_MAX) {
			errno = EMSGSIZE;
			return -1;
		}
		if ((b = begin_frame(out, type, blen)) == NULL)
			return -1;
		rta_put_u64(b, (uint64_t)ev->ts);
		rta_put_u32(b + 8, ev->schema_version);
		b[12] = ev->id_len;
		b[13] = ev->type_len;
		b[14] = ev->tenant_len;
		b[15] = ev->extra != NULL ? 1 : 0;
		rta_put_u32(b + 16, (uint32_t)ev->payload_len);
		q = b + RTA_EVENT_FIXED_LEN;
		memcpy(q, ev->id, ev->id_len);
		q += ev->id_len;
		memcpy(q, ev->type, ev->type_len);
		q += ev->type_len;
		memcpy(q, ev->tenant, ev->tenant_len);
		q += ev->tenant_len;
		memcpy(q, ev->payload, ev->payload_len);
		q += ev->payload_len;
		if (ev->extra != NULL)
			memcpy(q, ev->extra, ev->extra_len);
		break;
	case RTA_REC_WATERMARK:
		blen = 8;
		if ((b = begin_frame(out, RTA_FRAME_WATERMARK, blen)) == NULL)
			return -1;
		rta_put_u64(b, (uint64_t)rec->watermark);
		break;
	case RTA_REC_POSITION:
		blen = 12 + rec->pos.topic_len;
		if (rec->pos.topic_len > RTA_TOPIC_MAX) {
			errno = EMSGSIZE;
			return -1;
		}
		if ((b = begin_frame(out, RTA_FRAME_POSITION, blen)) == NULL)
			return -1;
		rta_put_u32(b, (uint32_t)rec->pos.partition);
		rta_put_u64(b + 4, (uint64_t)rec->pos.offset);
		memcpy(b + 12, rec->pos.topic, rec->pos.topic_len);
		break;
	case RTA_REC_END:
		blen = 0;
		if ((b = begin_frame(out, RTA_FRAME_END, blen)) == NULL)
			return -1;
		break;
	default:
		errno = EINVAL;		/* a plain value has no frame form */
		return -1;
	}
	end_frame(b, blen);
	return 0;
}

int
rta_frame_is_magic(const unsigned char *p, size_t avail)
{
	return memcmp(p, RTA_FRAME_MAGIC, avail < 8 ? avail : 8) == 0;
}

static int
frame_fail(struct rta_error *err, const char *reason, const char *what)
{
	return rta_error_set(err, RTA_EDATA, reason, "%s", what);
}

int
rta_frame_probe(const unsigned char *p, size_t avail, size_t max_body,
    int *is_header, size_t *size, struct rta_error *err)
{
	uint32_t len;

	if (avail < RTA_FRAME_HEADER_LEN)
		return RTA_EOF;
	if (rta_frame_is_magic(p, 8)) {
		uint16_t ver = rta_get_u16(p + 8), flags = rta_get_u16(p + 10);

		if (ver != RTA_FORMAT_VERSION)
			return rta_error_set(err, RTA_EDATA, "bad-version",
			    "unsupported rta format version %u", ver);
		if (flags != 0)
			return frame_fail(err, "bad-frame",
			    "unknown stream header flags");
		*is_header = 1;
		*size = RTA_STREAM_HEADER_LEN;
		return RTA_OK;
	}
	len = rta_get_u32(p);
	if (rta_get_u16(p + 6) != header_check(p))
		return frame_fail(err, "bad-frame",
		    "bad frame header (check mismatch)");
	if (len > max_body)
		return rta_error_set(err, RTA_EDATA, "bad-frame",
		    "frame length %u exceeds the limit of %zu", len,
		    max_body);
	if (p[5] != 0)
		return frame_fail(err, "bad-frame", "unknown frame flags");
	*is_header = 0;
	*size = RTA_FRAME_HEADER_LEN + (size_t)len;
	return RTA_OK;
}

/*
 * 1 if the n bytes of ids at q are ASCII without NUL.  The 16 bytes
 * before q are the event's fixed part and the frame header, readable
 * too: the last (or only) vector ends where the ids do and may start
 * before them, its extra bytes masked off, so a load never passes the
 * ids' end and the usual three short ids take two or three vectors
 * instead of a word loop.
 */
static inline int
plain_ids(const unsigned char *q, size_t n)
{
#if defined(__SSE2__)
	/* per byte, so no borrows: b | (0x80 - b) has its top bit exactly
	 * for 0x00 and 0x80 and above */
	const __m128i h = _mm_set1_epi8((char)0x80);
	__m128i v, acc = _mm_setzero_si128();
	unsigned m;

	while (n > 16) {
		v = _mm_loadu_si128((const __m128i *)q);
		acc = _mm_or_si128(acc, _mm_or_si128(v, _mm_sub_epi8(h, v)));
		q += 16;
		n -= 16;
	}
	v = _mm_loadu_si128((const __m128i *)(q + n - 16));
	m = (unsigned)_mm_movemask_epi8(_mm_or_si128(v, _mm_sub_epi8(h, v)));
	m = m >> (16 - n) | (unsigned)_mm_movemask_epi8(acc);
	return m == 0;
#else
	return rta_plain_ascii(q, n);
#endif
}

static int
decode_event(const unsigned char *b, size_t blen, unsigned max_depth,
    size_t max_members, int flags, struct rta_record *rec,
    struct rta_error *err)
{
	struct rta_event *ev = &rec->ev;
	size_t strs, pl, rest;
	const unsigned char *q;
	int rc;

	if (blen < RTA_EVENT_FIXED_LEN)
		return frame_fail(err, "bad-frame", "event frame too short");
	ev->ts = (int64_t)rta_get_u64(b);
	ev->schema_version = rta_get_u32(b + 8);
	ev->id_len = b[12];
	ev->type_len = b[13];
	ev->tenant_len = b[14];
	if (b[15] & ~1U)
		return frame_fail(err, "bad-frame", "unknown event flags");
	pl = rta_get_u32(b + 16);
	strs = (size_t)ev->id_len + ev->type_len + ev->tenant_len;
	if (strs > blen - RTA_EVENT_FIXED_LEN ||
	    pl > blen - RTA_EVENT_FIXED_LEN - strs)
		return frame_fail(err, "bad-frame",
		    "event lengths exceed the frame");
	q = b + RTA_EVENT_FIXED_LEN;
	ev->id = (const char *)q;
	ev->type = (const char *)q + ev->id_len;
	ev->tenant = ev->type + ev->type_len;
	if (ev->id_len == 0 || ev->type_len == 0 || ev->tenant_len == 0 ||
	    ev->ts < RTA_TIME_MIN || ev->ts > RTA_TIME_MAX ||
	    !plain_ids(q, strs)) {
		/* the rare path: say precisely what is wrong */
		if ((rc = rta_event_check(ev, err)) != RTA_OK)
			return rc;
	}
	q += strs;
	ev->payload = q;
	ev->payload_len = pl;
	rest = blen - RTA_EVENT_FIXED_LEN - strs - pl;
	ev->extra = NULL;
	ev->extra_len = 0;
	if (b[15] & 1) {
		if (rest == 0)
			return frame_fail(err, "bad-frame",
			    "event extra flag without extra fields");
		ev->extra = q + pl;
		ev->extra_len = rest;
	} else if (rest != 0)
		return frame_fail(err, "bad-frame",
		    "bytes after the event payload");
	if (flags & RTA_DECODE_CHECKED)
		rc = RTA_OK;
	else if (flags & (RTA_DECODE_SUMMED | RTA_DECODE_STORED))
		rc = rta_event_check_shape(ev, max_depth, max_members, err);
	else
		rc = rta_event_check_values_padded(ev, max_depth,
		    max_members, flags & RTA_DECODE_PADDED, err);
	if (rc != RTA_OK)
		return rc;
	rec->kind = RTA_REC_EVENT;
	return RTA_OK;
}

int
rta_frame_decode(const unsigned char *p, size_t size, unsigned max_depth,
    size_t max_members, struct rta_record *rec, struct rta_error *err)
{
	return rta_frame_decode_padded(p, size, max_depth, max_members, 0, rec,
	    err);
}

int
rta_frame_decode_padded(const unsigned char *p, size_t size,
    unsigned max_depth, size_t max_members, int flags,
    struct rta_record *rec, struct rta_error *err)
{
	const unsigned char *b = p + RTA_FRAME_HEADER_LEN;
	size_t blen = size - RTA_FRAME_HEADER_LEN;
	int64_t v;
	int rc;

	if (!(flags & (RTA_DECODE_SUMMED | RTA_DECODE_CHECKED)) &&
	    rta_crc32c(0, b, blen) != rta_get_u32(p + 8))
		return frame_fail(err, "bad-crc", "frame checksum mismatch");
	switch (p[4]) {
	case RTA_FRAME_EVENT:
		rec->ev.frame = p;
		rec->ev.frame_len = size;
		return decode_event(b, blen, max_depth, max_members, flags,
		    rec, err);
	case RTA_FRAME_AGGREGATE:
		/* an event's layout, without the extra object */
		if (blen >= RTA_EVENT_FIXED_LEN && (b[15] & 1))
			return frame_fail(err, "bad-frame",
			    "aggregate frame with extra fields");
		rec->ev.frame = p;
		rec->ev.frame_len = size;
		if ((rc = decode_event(b, blen, max_depth, max_members,
		    flags, rec, err)) != RTA_OK ||
		    (!(flags & (RTA_DECODE_CHECKED | RTA_DECODE_SUMMED |
		    RTA_DECODE_STORED)) &&
		    (rc = rta_aggregate_check(&rec->ev, err)) != RTA_OK))
			return rc;
		rec->kind = RTA_REC_AGGREGATE;
		return RTA_OK;
	case RTA_FRAME_WATERMARK:
		if (blen != 8)
			return frame_fail(err, "bad-frame",
			    "watermark frame of wrong length");
		v = (int64_t)rta_get_u64(b);
		if (v < RTA_TIME_MIN || v > RTA_TIME_MAX)
			return frame_fail(err, "bad-frame",
			    "watermark out of range");
		rec->kind = RTA_REC_WATERMARK;
		rec->watermark = v;
		return RTA_OK;
	case RTA_FRAME_POSITION:
		if (blen < 13 || blen - 12 > RTA_TOPIC_MAX)
			return frame_fail(err, "bad-frame",
			    "position frame of wrong length");
		rec->pos.partition = (int32_t)rta_get_u32(b);
		rec->pos.offset = (int64_t)rta_get_u64(b + 4);
		rec->pos.topic = (const char *)b + 12;
		rec->pos.topic_len = blen - 12;
		if (rec->pos.partition < 0 || rec->pos.offset < 0 ||
		    !rta_utf8_valid(rec->pos.topic, rec->pos.topic_len, NULL) ||
		    memchr(rec->pos.topic, 0, rec->pos.topic_len) != NULL)
			return frame_fail(err, "bad-frame",
			    "bad position frame");
		rec->kind = RTA_REC_POSITION;
		return RTA_OK;
	case RTA_FRAME_END:
		if (blen != 0)
			return frame_fail(err, "bad-frame",
			    "end frame with a body");
		rec->kind = RTA_REC_END;
		return RTA_OK;
	default:
		return rta_error_set(err, RTA_EDATA, "bad-frame",
		    "unknown frame type 0x%02x", p[4]);
	}
}

size_t
rta_frame_resync(const unsigned char *p, size_t avail, size_t max_body)
{
	size_t i;

	for (i = 1; i < avail; i++) {
		size_t left = avail - i;

		if (p[i] == 0x89 && rta_frame_is_magic(p + i, left))
			return i;
		if (left < RTA_FRAME_HEADER_LEN)
			return i;	/* may be a cut header: keep it */
		if (p[i + 5] == 0 && strchr("EAWPZ", p[i + 4]) != NULL &&
		    p[i + 4] != 0 && rta_get_u32(p + i) <= max_body &&
		    rta_get_u16(p + i + 6) == header_check(p + i))
			return i;
	}
	return avail;
}

int
rta_frame_peek(const unsigned char *p, size_t avail, size_t *size,
    struct rta_frame_hint *h)
{
	const unsigned char *b = p + RTA_FRAME_HEADER_LEN;
	size_t blen, strs, pl, room;

	memset(h, 0, sizeof(*h));
	if (avail < RTA_FRAME_HEADER_LEN)
		return 0;
	if (p[0] == 0x89 && rta_frame_is_magic(p, 8)) {
		*size = RTA_STREAM_HEADER_LEN;
		return 1;
	}
	blen = rta_get_u32(p);
	if (blen > RTA_FRAME_MAX || p[5] != 0 ||
	    rta_get_u16(p + 6) != header_check(p))
		return 0;
	*size = RTA_FRAME_HEADER_LEN + blen;
	h->type = p[4];
	room = avail - RTA_FRAME_HEADER_LEN;
	if (h->type != RTA_FRAME_EVENT || blen < RTA_EVENT_FIXED_LEN ||
	    room < RTA_EVENT_FIXED_LEN)
		return 1;
	strs = (size_t)b[12] + b[13] + b[14];
	pl = rta_get_u32(b + 16);
	if (strs > blen - RTA_EVENT_FIXED_LEN ||
	    pl > blen - RTA_EVENT_FIXED_LEN - strs ||
	    RTA_EVENT_FIXED_LEN + strs >= room)
		return 1;
	h->ts = (int64_t)rta_get_u64(b);
	h->schema_version = rta_get_u32(b + 8);
	h->id_len = b[12];
	h->etype_len = b[13];
	h->tenant_len = b[14];
	h->id = (const char *)b + RTA_EVENT_FIXED_LEN;
	h->etype = h->id + h->id_len;
	h->tenant = h->etype + h->etype_len;
	room -= RTA_EVENT_FIXED_LEN + strs;
	h->payload = b + RTA_EVENT_FIXED_LEN + strs;
	h->payload_len = pl < room ? pl : room;
	return 1;
}
