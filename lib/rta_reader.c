/*
 * rta_reader.c: splitting inputs into records.
 *
 * One buffer per reader holds the unread bytes buf[lo..hi).  Records are
 * decoded in place and borrow from it, so a record is valid only until the
 * next call, which may move or overwrite the bytes.  The buffer grows only
 * as far as one unit needs: a line up to max_line, a frame up to max_frame
 * plus its header.  A longer line is reported as soon as max_line bytes
 * are seen and the rest of it is skipped as it streams past; a frame
 * header declaring too much is rejected before anything is allocated.
 *
 * After damage in a binary stream the reader looks for the next stream
 * header or frame header whose check matches, reports the bytes in between
 * as one bad record (first 4 KiB kept for the dead letter), and goes on.
 *
 * An end-of-stream frame ends a binary stream; what follows is detected
 * again, so concatenated files of either encoding read as one stream.
 *
 * With a read-ahead thread (rta_input_ahead) the thread also checks the
 * frames of each read (check_ahead), as many as keep it from holding the
 * reader up; the reader then only fills those records in.  A caller that
 * keeps records' bytes past the next call (rta_output_lender) is told
 * before they change (o.moving).
 */
#include <string.h>

#include "rta_alloc.h"
#include "rta_frame.h"
#include "rta_input.h"
#include "rta_pqrows.h"
#include "rta_reader.h"
#include "rta_value.h"

#define BUF_INITIAL	(1U << 20)
#define BUF_PAD		64	/* zeroed bytes after cap: see rta_json.h padded */
#define CARRY		(64U * 1024)	/* room for a unit's start before
					 * read-ahead data */
#define READ_CHUNK	(64U * 1024)
#define CHECK_MIN	(16U * 1024)	/* least the read-ahead checks */
#define GARBAGE_KEEP	4096
#define LONG_LINE_KEEP	(64U * 1024)
#define RTA_PARQUET_MAX	((size_t)4 << 30)	/* largest Parquet input */

enum { SWITCH_TO_RTA = 100 };

struct rta_reader {
	struct rta_reader_opts	 o;
	struct rta_input	 in;
	int			 open;
	int			 member_fresh;
	int			 member_done;
	unsigned char		*buf;
	size_t			 cap, lo, hi, scan;
	unsigned char		*alt;		/* read-ahead target */
	size_t			 altcap;
	int			 pending;	/* a read-ahead is under way */
	/*
	 * Frames the read-ahead thread checked (check_ahead): what it was
	 * given when the read was posted, what it found, and, once the
	 * new bytes are taken, the checked frames in buf: vnext is the
	 * next one's start, vend the end of the last.
	 */
	const unsigned char	*chk_from;	/* buf[lo..hi) when posted */
	size_t			 chk_len;
	unsigned char		*chk_dst;	/* alt */
	int			 chk_ok;
	size_t			 chk_tail;	/* bytes of the cut frame */
	const unsigned char	*chk_end;
	const unsigned char	*chk_cut;	/* where it starts, if known */
	const unsigned char	*chk_next;	/* the next cut, if found */
	size_t			 chk_budget;	/* bytes it checks, at most */
	int			 chk_on;	/* a second core to check on */
	const unsigned char	*vnext, *vend;
	uint64_t		 off;		/* member offset of buf[lo] */
	uint64_t		 line;
	enum rta_format		 mode;
	enum rta_format		 encoding;
	int			 abandon;	/* rest of member unreadable */
	int			 in_stream;	/* binary header read, no end yet */
	struct rta_where	 where;
	const unsigned char	*raw;
	size_t			 raw_len;
	uint64_t		 raw_total;
	struct rta_buf		 garbage;
	struct rta_ndjson_parser np;
	/* kcat -J */
	struct rta_json		 kj;
	struct rta_buf		 kscratch;
	int			 kpending;
	const char		*kpayload;
	size_t			 kpayload_len;
	const unsigned char	*kline_raw;	/* the envelope, for dead letters */
	size_t			 kline_len;
	uint64_t		 kline;
	/* CSV */
	struct rta_csv		 csv;
	int			 csv_ready;
	int			 csv_final;
	struct rta_buf		 csvraw;
	uint64_t		 csv_row_line;
	/* Parquet */
	struct rta_pqrows	*pq;
	int			 pq_done;
	struct rta_buf		 pqline;
};

int
rta_format_parse(const char *s, enum rta_format *f)
{
	static const struct { const char *name; enum rta_format f; } t[] = {
		{ "auto", RTA_FMT_AUTO }, { "ndjson", RTA_FMT_NDJSON },
		{ "json", RTA_FMT_NDJSON }, { "rta", RTA_FMT_RTA },
		{ "csv", RTA_FMT_CSV }, { "kcat-json", RTA_FMT_KCAT },
		{ "parquet", RTA_FMT_PARQUET },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(s, t[i].name) == 0) {
			*f = t[i].f;
			return 0;
		}
	return -1;
}

const char *
rta_format_name(enum rta_format f)
{
	switch (f) {
	case RTA_FMT_NDJSON: return "ndjson";
	case RTA_FMT_RTA: return "rta";
	case RTA_FMT_CSV: return "csv";
	case RTA_FMT_KCAT: return "kcat-json";
	case RTA_FMT_VALUES: return "json-values";
	case RTA_FMT_PARQUET: return "parquet";
	default: return "auto";
	}
}

void
rta_reader_opts_init(struct rta_reader_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = RTA_FMT_AUTO;
	o->max_line = RTA_LINE_MAX;
	o->max_frame = RTA_FRAME_MAX;
	o->max_depth = RTA_VALUE_MAX_DEPTH;
	o->max_members = RTA_VALUE_MAX_MEMBERS;
	rta_csv_opts_init(&o->csv);
}

struct rta_reader *
rta_reader_new(const struct rta_reader_opts *o)
{
	struct rta_reader *r;

	if ((r = rta_calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->o = *o;
	if ((r->buf = rta_malloc(BUF_INITIAL + BUF_PAD)) == NULL) {
		rta_free(r);
		return NULL;
	}
	r->cap = BUF_INITIAL;
	memset(r->buf + r->cap, 0, BUF_PAD);
	rta_ndjson_parser_init(&r->np);
	r->np.json.max_depth = o->max_depth;
	r->np.json.max_members = o->max_members;
	r->np.json.padded = 1;	/* lines and kcat payloads both are */
	r->np.opts.epoch_unit = o->epoch_unit;
	rta_json_init(&r->kj);
	r->kj.max_depth = o->max_depth;
	r->kj.max_members = o->max_members;
	r->in.fd = -1;
	return r;
}

void
rta_reader_free(struct rta_reader *r)
{
	if (r == NULL)
		return;
	rta_reader_close(r);
	rta_ndjson_parser_release(&r->np);
	rta_json_release(&r->kj);
	rta_buf_release(&r->kscratch);
	rta_buf_release(&r->garbage);
	rta_buf_release(&r->csvraw);
	rta_buf_release(&r->pqline);
	rta_free(r->buf);
	rta_free(r->alt);
	rta_free(r);
}

/* The bytes of records already returned are about to change. */
static void
moving(struct rta_reader *r)
{
	if (r->o.moving != NULL)
		r->o.moving(r->o.moving_arg);
}

int
rta_reader_holds(const struct rta_reader *r, const void *p, size_t n)
{
	const unsigned char *q = p;

	return r->buf != NULL && q >= r->buf && q <= r->buf + r->hi &&
	    n <= (size_t)(r->buf + r->hi - q);
}

static void
member_reset(struct rta_reader *r)
{
	moving(r);
	r->lo = r->hi = r->scan = 0;
	r->vnext = r->vend = NULL;
	r->off = 0;
	r->line = 0;
	r->member_done = 0;
	r->member_fresh = 1;
	r->abandon = 0;
	r->in_stream = 0;
	r->kpending = 0;
	if (r->csv_ready) {
		rta_csv_release(&r->csv);
		r->csv_ready = 0;
	}
	rta_pqrows_close(r->pq);
	r->pq = NULL;
	r->pq_done = 0;
}

int
rta_reader_open(struct rta_reader *r, const char *operand,
    struct rta_error *err)
{
	int rc;

	rta_reader_close(r);
	if ((rc = rta_input_open(&r->in, operand, r->o.follow, r->o.idle,
	    r->o.idle_arg, err)) != RTA_OK)
		return rc;
	r->open = 1;
	r->encoding = RTA_FMT_AUTO;
	member_reset(r);
	r->where.source = rta_input_name(&r->in);
	r->where.serial++;
	if (r->o.ahead && r->alt == NULL &&
	    (r->alt = rta_malloc(BUF_INITIAL + BUF_PAD)) != NULL) {
		r->altcap = BUF_INITIAL;
		memset(r->alt + r->altcap, 0, BUF_PAD);
	}
	r->chk_ok = 0;
	r->chk_budget = BUF_INITIAL;	/* all it reads, to begin with */
	/* on one core, checks moved to the thread only cost more */
	r->chk_on = rta_input_cores() > 1;
	if (r->o.ahead && r->alt != NULL)
		(void)rta_input_ahead(&r->in);	/* or synchronous reads */
	return RTA_OK;
}

void
rta_reader_close(struct rta_reader *r)
{
	moving(r);
	if (r->open)
		rta_input_close(&r->in);	/* stops a read-ahead too */
	r->open = 0;
	r->pending = 0;
	if (r->csv_ready) {
		rta_csv_release(&r->csv);
		r->csv_ready = 0;
	}
	rta_pqrows_close(r->pq);
	r->pq = NULL;
}

int
rta_reader_is_open(const struct rta_reader *r)
{
	return r->open;
}

const struct rta_where *
rta_reader_where(const struct rta_reader *r)
{
	return &r->where;
}

void
rta_reader_raw(const struct rta_reader *r, const unsigned char **p,
    size_t *len, uint64_t *total)
{
	*p = r->raw;
	*len = r->raw_len;
	*total = r->raw_total;
}

void
rta_reader_ahead(const struct rta_reader *r, const unsigned char **p,
    size_t *len)
{
	*p = NULL;
	*len = 0;
	if (!r->open || r->lo >= r->hi || (r->mode != RTA_FMT_RTA &&
	    r->mode != RTA_FMT_NDJSON && r->mode != RTA_FMT_VALUES))
		return;
	*p = r->buf + r->lo;
	*len = r->hi - r->lo;
}

enum rta_format
rta_reader_encoding(const struct rta_reader *r)
{
	return r->encoding;
}

void
rta_reader_progress(const struct rta_reader *r, off_t *done, off_t *total)
{
	if (!r->open) {
		*done = 0;
		*total = -1;
		return;
	}
	*done = rta_input_offset(&r->in);
	*total = rta_input_size(&r->in);
}

static void
advance(struct rta_reader *r, size_t k)
{
	r->lo += k;
	r->off += k;
	if (r->scan < r->lo)
		r->scan = r->lo;
}

/*
 * Make room for need bytes from lo: move the unread bytes to the front,
 * and grow (doubling, but never past what one unit of the current
 * encoding can need: a line of max_line, a frame of max_frame, each plus
 * one read).  0, or -1 with err set.
 */
static int
make_room(struct rta_reader *r, size_t need, struct rta_error *err)
{
	if (r->lo > 0 && (r->lo == r->hi || r->cap - r->lo < need ||
	    r->cap - r->hi < READ_CHUNK)) {
		moving(r);
		memmove(r->buf, r->buf + r->lo, r->hi - r->lo);
		r->vnext = r->vend = NULL;
		r->chk_ok = 0;
		r->hi -= r->lo;
		r->scan -= r->lo;
		r->lo = 0;
	}
	if (r->cap < need) {
		size_t limit = (r->mode == RTA_FMT_RTA ? r->o.max_frame +
		    RTA_FRAME_HEADER_LEN : r->o.max_line) + READ_CHUNK;
		size_t ncap = r->cap * 2 < limit ? r->cap * 2 : limit;
		unsigned char *nb;

		if (ncap < need)
			ncap = need;
		moving(r);
		if ((nb = rta_realloc(r->buf, ncap + BUF_PAD)) == NULL) {
			rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory");
			return -1;
		}
		r->buf = nb;
		r->cap = ncap;
		r->vnext = r->vend = NULL;
		r->chk_ok = 0;
		memset(r->buf + r->cap, 0, BUF_PAD);
	}
	return 0;
}

/*
 * Run by the read-ahead thread when it has read n bytes of frames into
 * alt + CARRY: check them there, so that the caller's core only fills
 * records in (RTA_DECODE_CHECKED).  The frames it checks are the ones
 * frame_next will meet: from the start of the frame the read cut,
 * found by walking the headers of the unread bytes as they were when
 * posted and copied before the new bytes as take_ahead will copy it, up
 * to the first frame that is incomplete, fails, or ends the stream.
 * These are the same calls frame_next makes, on the same bytes.  Only
 * reads here: the caller reads the same old bytes meanwhile and touches
 * nothing else until the read is collected.
 */
/*
 * Where the frames from p stop fitting before end, walking their
 * headers as frame_next does: the start of the frame cut there (or
 * end).  NULL if frame_next's way cannot be known from here: a header
 * it would not take, or an end frame, after which it reads anew.
 */
static const unsigned char *
cut_of(const struct rta_reader *r, const unsigned char *p,
    const unsigned char *end)
{
	struct rta_error err;
	size_t size;
	int hdr;

	while ((size_t)(end - p) >= RTA_FRAME_HEADER_LEN) {
		if (rta_frame_probe(p, (size_t)(end - p), r->o.max_frame,
		    &hdr, &size, &err) != RTA_OK ||
		    (!hdr && p[4] == RTA_FRAME_END))
			return NULL;
		if (size > (size_t)(end - p))
			break;
		p += size;
	}
	return p;
}

static void
check_ahead(void *arg, size_t n)
{
	struct rta_reader *r = arg;
	const unsigned char *p = r->chk_from, *end = p + r->chk_len;
	unsigned char *q, *qend;
	struct rta_record rec;
	struct rta_error err;
	const unsigned char *stop;
	size_t size, part;
	int hdr;

	/* from where the last check stopped, if it found that */
	if ((p = cut_of(r, r->chk_cut != NULL ? r->chk_cut : p, end)) ==
	    NULL || (part = (size_t)(end - p)) > CARRY)
		return;
	q = r->chk_dst + CARRY - part;
	memcpy(q, p, part);
	qend = r->chk_dst + CARRY + n;
	stop = (size_t)(qend - q) > r->chk_budget ? q + r->chk_budget : qend;
	for (;;) {
		if ((size_t)(qend - q) < RTA_FRAME_HEADER_LEN)
			break;
		if (rta_frame_probe(q, (size_t)(qend - q), r->o.max_frame,
		    &hdr, &size, &err) != RTA_OK)
			break;
		if (size > (size_t)(qend - q))
			break;
		if (hdr) {
			q += size;
			continue;
		}
		if (q >= stop)
			break;		/* the rest is the caller's share */
		/* alt has BUF_PAD bytes after its end too: padded */
		if (rta_frame_decode_padded(q, size, r->o.max_depth,
		    r->o.max_members, RTA_DECODE_PADDED, &rec, &err) != RTA_OK)
			break;
		q += size;
		if (rec.kind == RTA_REC_END)
			break;
	}
	r->chk_end = q;
	/* the cut the next read will make (the caller will stop there
	 * too, unless damage moves it) */
	r->chk_next = cut_of(r, q, qend);
	r->chk_tail = part;
	r->chk_ok = 1;
}

/* With a read-ahead thread: start reading into the other buffer. */
static void
post_ahead(struct rta_reader *r)
{
	if (!r->in.ahead || r->alt == NULL || r->member_done)
		return;
	moving(r);	/* alt may be the buffer records came from */
	/* where the frame the read cuts starts, if the last check found it */
	r->chk_cut = r->chk_ok && r->chk_dst == r->buf &&
	    r->chk_next != NULL && r->chk_next >= r->buf + r->lo &&
	    r->chk_next <= r->buf + r->hi ? r->chk_next : NULL;
	r->chk_ok = 0;
	if (r->mode == RTA_FMT_RTA && !r->abandon && r->chk_on) {
		r->chk_from = r->buf + r->lo;
		r->chk_len = r->hi - r->lo;
		r->chk_dst = r->alt;
		rta_input_post_then(&r->in, r->alt + CARRY,
		    r->altcap - CARRY, check_ahead, r);
	} else
		rta_input_post(&r->in, r->alt + CARRY, r->altcap - CARRY);
	r->pending = 1;
}

/*
 * Take what the read-ahead brought.  The unread bytes (the start of a
 * unit) are copied just before it in the other buffer, and the buffers
 * change places: the new data is never copied.  A unit longer than the
 * carry room (a big frame) takes the slow way, appended to the buffer.
 */
static int
take_ahead(struct rta_reader *r, struct rta_error *err)
{
	size_t part = r->hi - r->lo;
	ssize_t n = rta_input_collect(&r->in, err);
	unsigned char *t;
	size_t tc;

	r->pending = 0;
	if (n < 0)
		return -1;
	if (n == 0) {
		r->member_done = 1;
		return 0;
	}
	/*
	 * Share the checks between the cores: when this thread had to wait
	 * for the read-ahead, that one checks less next time; when the
	 * bytes were ready, more.
	 */
	if (r->chk_ok) {
		if (rta_input_waited(&r->in))
			r->chk_budget -= r->chk_budget / 8;
		else
			r->chk_budget += r->chk_budget / 8;
		if (r->chk_budget < CHECK_MIN)
			r->chk_budget = CHECK_MIN;
		if (r->chk_budget > r->altcap)
			r->chk_budget = r->altcap;
	}
	r->vnext = r->vend = NULL;
	if (part <= CARRY) {
		/* the thread's checks hold if frame_next stopped where it
		 * said the cut frame starts (it copied that frame too) */
		if (r->chk_ok && r->chk_dst == r->alt &&
		    r->buf + r->hi == r->chk_from + r->chk_len &&
		    part == r->chk_tail) {
			r->vnext = r->alt + CARRY - part;
			r->vend = r->chk_end;
		} else
			memcpy(r->alt + CARRY - part, r->buf + r->lo, part);
		t = r->buf;
		r->buf = r->alt;
		r->alt = t;
		tc = r->cap;
		r->cap = r->altcap;
		r->altcap = tc;
		r->scan = CARRY - part + (r->scan - r->lo);
		r->lo = CARRY - part;
		r->hi = CARRY + (size_t)n;
	} else {
		if (make_room(r, part + (size_t)n, err) != 0)
			return -1;
		memcpy(r->buf + r->hi, r->alt + CARRY, (size_t)n);
		r->hi += (size_t)n;
	}
	post_ahead(r);
	return 1;
}

/*
 * Have at least need bytes from lo in the buffer if the input has them.
 * 1: bytes were added; 0: the member is finished; -1: read error.
 */
static int
fill(struct rta_reader *r, size_t need, struct rta_error *err)
{
	ssize_t n;

	if (r->member_done)
		return 0;
	if (r->pending)
		return take_ahead(r, err);
	if (make_room(r, need, err) != 0)
		return -1;
	n = rta_input_read(&r->in, r->buf + r->hi, r->cap - r->hi, err);
	if (n < 0)
		return -1;
	if (n == 0) {
		r->member_done = 1;
		return 0;
	}
	r->hi += (size_t)n;
	post_ahead(r);
	return 1;
}

static void
set_raw(struct rta_reader *r, const unsigned char *p, size_t len,
    uint64_t total)
{
	r->raw = p;
	r->raw_len = len;
	r->raw_total = total;
}

static int
is_blank(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r')
			return 0;
	return 1;
}

/*
 * A line is longer than max_line: keep its start for the dead letter and
 * read on to its end, holding no more than a read's worth at a time, so
 * that the record reports the line's true length.
 */
static int
long_line(struct rta_reader *r, struct rta_error *err)
{
	uint64_t total = r->hi - r->lo;
	unsigned char *nl;
	int rc;

	r->line++;
	r->where.line = r->line;
	r->where.offset = r->off;
	rta_buf_reset(&r->garbage);
	(void)rta_buf_add(&r->garbage, r->buf + r->lo,
	    total < LONG_LINE_KEEP ? total : LONG_LINE_KEEP);
	advance(r, r->hi - r->lo);
	for (;;) {
		if ((rc = fill(r, READ_CHUNK, err)) < 0)
			return err->code;
		if (rc == 0)
			break;
		nl = memchr(r->buf + r->lo, '\n', r->hi - r->lo);
		if (nl != NULL) {
			total += (size_t)(nl - (r->buf + r->lo));
			advance(r, (size_t)(nl - (r->buf + r->lo)) + 1);
			break;
		}
		total += r->hi - r->lo;
		advance(r, r->hi - r->lo);
	}
	set_raw(r, r->garbage.data, r->garbage.len, total);
	return rta_error_set(err, RTA_ELIMIT, "too-long",
	    "line longer than %zu bytes", r->o.max_line);
}

/*
 * The next line (without its newline).  RTA_OK, RTA_EOF, RTA_ELIMIT (too
 * long; the rest of it will be skipped), RTA_EIO/RTA_ENOMEM, or
 * SWITCH_TO_RTA when a binary stream header starts here (auto mode).
 */
static int
next_line(struct rta_reader *r, const unsigned char **line, size_t *len,
    struct rta_error *err)
{
	unsigned char *nl;
	int rc = 0;

	for (;;) {
		if (r->o.format == RTA_FMT_AUTO && r->lo < r->hi &&
		    r->buf[r->lo] == 0x89 && r->scan == r->lo) {
			/* a binary stream only if the whole magic is there */
			while (r->hi - r->lo < 8 && (rc = fill(r, 8, err)) > 0)
				;
			if (rc < 0)
				return err->code;
			if (r->hi - r->lo >= 8 &&
			    rta_frame_is_magic(r->buf + r->lo, 8))
				return SWITCH_TO_RTA;
		}
		nl = memchr(r->buf + r->scan, '\n', r->hi - r->scan);
		if (nl != NULL) {
			*line = r->buf + r->lo;
			*len = (size_t)(nl - *line);
			r->line++;
			r->where.line = r->line;
			r->where.offset = r->off;
			advance(r, *len + 1);
			if (*len > r->o.max_line) {
				set_raw(r, *line, LONG_LINE_KEEP < *len ?
				    LONG_LINE_KEEP : *len, *len);
				return rta_error_set(err, RTA_ELIMIT,
				    "too-long", "line longer than %zu bytes",
				    r->o.max_line);
			}
			return RTA_OK;
		}
		r->scan = r->hi;
		if (r->hi - r->lo > r->o.max_line)
			return long_line(r, err);
		if ((rc = fill(r, r->hi - r->lo + READ_CHUNK, err)) < 0)
			return err->code;
		if (rc == 0) {
			if (r->lo == r->hi)
				return RTA_EOF;
			/* a last line without a newline */
			*line = r->buf + r->lo;
			*len = r->hi - r->lo;
			r->line++;
			r->where.line = r->line;
			r->where.offset = r->off;
			advance(r, *len);
			return RTA_OK;
		}
	}
}

/* The next line that is not blank, noted as the record's raw bytes. */
static int
record_line(struct rta_reader *r, const unsigned char **line, size_t *len,
    struct rta_error *err)
{
	int rc;

	do {
		if ((rc = next_line(r, line, len, err)) != RTA_OK)
			return rc;
	} while (is_blank(*line, *len));
	set_raw(r, *line, *len, *len);
	return RTA_OK;
}

static int
ndjson_next(struct rta_reader *r, struct rta_record *rec,
    struct rta_error *err)
{
	const unsigned char *line;
	size_t len;
	int rc;

	if ((rc = record_line(r, &line, &len, err)) != RTA_OK)
		return rc;
	return rta_ndjson_parse(&r->np, line, len, rec, err);
}

/* A JSON document per line, whatever its shape. */
static int
values_next(struct rta_reader *r, struct rta_record *rec,
    struct rta_error *err)
{
	const unsigned char *line;
	size_t len;
	int rc;

	if ((rc = record_line(r, &line, &len, err)) != RTA_OK)
		return rc;
	r->kscratch.len = 0;
	if ((rc = rta_json_document(&r->kj, line, len, &r->kscratch,
	    err)) != RTA_OK)
		return rc;
	memset(rec, 0, sizeof(*rec));
	rec->kind = RTA_REC_VALUE;
	rec->value = r->kscratch.data;
	rec->value_len = r->kscratch.len;
	return RTA_OK;
}

/* Keep up to GARBAGE_KEEP damaged bytes for the dead letter. */
static void
keep_garbage(struct rta_reader *r, size_t k)
{
	if (k > 0 && r->garbage.len < GARBAGE_KEEP)
		(void)rta_buf_add(&r->garbage, r->buf + r->lo,
		    k < GARBAGE_KEEP - r->garbage.len ? k :
		    GARBAGE_KEEP - r->garbage.len);
}

/*
 * Skip damaged bytes up to the next plausible unit, reported as one bad
 * record.  A frame header found there is never trusted for more than the
 * next attempt: if its frame fails its checksum or runs past the end of
 * the input, the scan starts again one byte after it, so a false header
 * (its 16-bit check matches by chance about once in 65,536 candidates)
 * cannot make the reader skip the real frames it seems to cover.
 */
static int
resync(struct rta_reader *r, struct rta_error *err)
{
	struct rta_error first = *err;
	uint64_t total = 0;
	size_t k, size;
	int rc, is_hdr;

	rta_buf_reset(&r->garbage);
	r->where.offset = r->off;
	r->where.line = 0;
	for (;;) {
		k = rta_frame_resync(r->buf + r->lo, r->hi - r->lo,
		    r->o.max_frame);
		keep_garbage(r, k);
		total += k;
		advance(r, k);
		if (r->hi - r->lo < RTA_FRAME_HEADER_LEN) {
			if ((rc = fill(r, RTA_FRAME_HEADER_LEN, err)) < 0)
				return err->code;
			if (rc == 0) {
				k = r->hi - r->lo;
				keep_garbage(r, k);
				total += k;
				advance(r, k);
				/* the damage ran to the end: it was reported
				 * here, so no separate "no-end" follows */
				r->in_stream = 0;
				break;
			}
			if (r->hi - r->lo < RTA_FRAME_HEADER_LEN)
				continue;
		}
		if (rta_frame_is_magic(r->buf + r->lo, 8) ||
		    rta_frame_probe(r->buf + r->lo, r->hi - r->lo,
		    r->o.max_frame, &is_hdr, &size, NULL) == RTA_OK)
			break;	/* frame_next judges it */
		/* not a frame after all: scan on from the next byte */
		keep_garbage(r, 1);
		total++;
		advance(r, 1);
	}
	set_raw(r, r->garbage.data, r->garbage.len, total);
	*err = first;
	return rta_error_set(err, first.code, first.reason,
	    "%s; skipped %llu bytes", first.text, (unsigned long long)total);
}

static int
frame_next(struct rta_reader *r, struct rta_record *rec,
    struct rta_error *err)
{
	const unsigned char *p;
	size_t avail, size;
	int rc, is_hdr, checked;

	if (r->abandon)
		return RTA_EOF;
	for (;;) {
		avail = r->hi - r->lo;
		if (avail < RTA_FRAME_HEADER_LEN) {
			if ((rc = fill(r, RTA_FRAME_HEADER_LEN, err)) < 0)
				return err->code;
			if (rc > 0)
				continue;
			if (avail == 0 && r->in_stream) {
				/* cut at a frame boundary: the writer never
				 * finished; say so once */
				r->in_stream = 0;
				r->where.offset = r->off;
				r->where.line = 0;
				set_raw(r, NULL, 0, 0);
				return rta_error_set(err, RTA_EDATA, "no-end",
				    "stream ends without an end frame");
			}
			if (avail == 0)
				return RTA_EOF;
			r->where.offset = r->off;
			r->where.line = 0;
			set_raw(r, r->buf + r->lo, avail, avail);
			advance(r, avail);
			r->in_stream = 0;	/* reported: no "no-end" too */
			return rta_error_set(err, RTA_EDATA, "truncated",
			    "stream ends inside a frame header");
		}
		rc = rta_frame_probe(r->buf + r->lo, avail, r->o.max_frame,
		    &is_hdr, &size, err);
		if (rc != RTA_OK && strcmp(err->reason, "bad-version") == 0) {
			/* a newer format: nothing after this header is ours */
			char why[sizeof(err->text)];

			memcpy(why, err->text, sizeof(why));
			r->where.offset = r->off;
			r->where.line = 0;
			set_raw(r, r->buf + r->lo, RTA_STREAM_HEADER_LEN,
			    RTA_STREAM_HEADER_LEN);
			r->abandon = 1;
			return rta_error_set(err, RTA_EDATA, "bad-version",
			    "%.100s; the rest of this input is not read", why);
		}
		if (rc != RTA_OK)
			return resync(r, err);
		p = r->buf + r->lo;
		checked = p == r->vnext && size <= (size_t)(r->vend - p);
		if (checked)
			r->vnext = p + size;
		if (is_hdr) {
			advance(r, size);
			r->in_stream = 1;
			continue;
		}
		if (avail < size) {
			if ((rc = fill(r, size, err)) < 0)
				return err->code;
			if (rc > 0)
				continue;
			/* the header may be false: what is left may still
			 * hold frames, so look at it rather than skip it */
			rta_error_set(err, RTA_EDATA, "truncated",
			    "stream ends inside a frame (%zu of %zu bytes)",
			    avail, size);
			return resync(r, err);
		}
		r->where.offset = r->off;
		r->where.line = 0;
		set_raw(r, r->buf + r->lo, size, size);
		/* the buffer has BUF_PAD bytes after its end: padded */
		rc = rta_frame_decode_padded(p, size, r->o.max_depth,
		    r->o.max_members, RTA_DECODE_PADDED |
		    (checked ? RTA_DECODE_CHECKED : 0), rec, err);
		if (rc != RTA_OK && strcmp(err->reason, "bad-crc") == 0) {
			/*
			 * The length may be what is wrong (a torn write, two
			 * writers on one pipe): look for the next header from
			 * here rather than trusting it.
			 */
			return resync(r, err);
		}
		advance(r, size);
		if (rc == RTA_OK && rec->kind == RTA_REC_END) {
			r->in_stream = 0;
			r->mode = r->o.format;	/* detect what follows */
		}
		return rc;
	}
}

static int
kcat_next(struct rta_reader *r, struct rta_record *rec,
    struct rta_error *err)
{
	const unsigned char *line, *v, *m;
	const char *s;
	size_t len, sl;
	int rc;

	if (r->kpending) {
		int pending = r->kpending;

		r->kpending = 0;
		r->where.line = r->kline;
		if (pending == 2) {
			/* still in the buffer: nothing was read since */
			set_raw(r, r->kline_raw, r->kline_len, r->kline_len);
			return rta_error_set(err, RTA_EDATA, "no-payload",
			    "message has no payload");
		}
		set_raw(r, (const unsigned char *)r->kpayload,
		    r->kpayload_len, r->kpayload_len);
		return rta_ndjson_parse(&r->np, r->kpayload, r->kpayload_len,
		    rec, err);
	}
	if ((rc = record_line(r, &line, &len, err)) != RTA_OK)
		return rc;
	r->where.has_kafka = 0;
	rta_buf_reset(&r->kscratch);
	if ((rc = rta_json_document(&r->kj, line, len, &r->kscratch, err)) !=
	    RTA_OK)
		return rc;
	/* the payload string inside must be padded for the event parser */
	if (rta_buf_reserve(&r->kscratch, 16) != 0)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	memset(r->kscratch.data + r->kscratch.len, 0, 16);
	v = r->kscratch.data;
	if (rta_position_from_value(v, &rec->pos) != 0)
		goto bad;
	rec->kind = RTA_REC_POSITION;
	r->where.has_kafka = 1;
	r->where.kafka = rec->pos;
	r->kline = r->where.line;
	m = rta_value_member(v, "payload", 7);
	r->kline_raw = line;
	r->kline_len = len;
	if (m == NULL || m[0] == RTA_V_NULL)
		r->kpending = 2;
	else if (rta_value_str(m, &s, &sl)) {
		r->kpending = 1;
		r->kpayload = s;
		r->kpayload_len = sl;
	} else
		goto bad;
	return RTA_OK;
bad:
	return rta_error_set(err, RTA_EDATA, "bad-kcat",
	    "not a kcat -J envelope (needs topic, partition, offset and a "
	    "string payload)");
}

/* Drop "name: " from the front of err's text: the caller says where. */
static void
unname(struct rta_error *err, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(err->text, name, n) == 0 && err->text[n] == ':' &&
	    err->text[n + 1] == ' ')
		memmove(err->text, err->text + n + 2,
		    strlen(err->text + n + 2) + 1);
}

/*
 * A Parquet file: read the member whole (its footer is at its end), then
 * a record per row, made NDJSON by rta_pqrows and decoded as a line.  A
 * file that cannot be read, or whose rest is damaged, is one bad record.
 */
static int
parquet_next(struct rta_reader *r, struct rta_record *rec,
    struct rta_error *err)
{
	uint64_t row;
	int rc;

	if (r->pq_done)
		return RTA_EOF;
	if (r->pq == NULL) {
		while ((rc = fill(r, 2 * (r->hi - r->lo) + READ_CHUNK,
		    err)) > 0)
			if (r->hi - r->lo > RTA_PARQUET_MAX)
				break;
		if (rc < 0)
			return RTA_EIO;
		r->where.line = 0;
		r->where.offset = 0;
		set_raw(r, r->buf + r->lo, 0, r->hi - r->lo);
		if (r->hi - r->lo > RTA_PARQUET_MAX) {
			r->pq_done = 1;
			return rta_error_set(err, RTA_ELIMIT, "too-large",
			    "%s: a Parquet file over %llu bytes",
			    r->where.source,
			    (unsigned long long)RTA_PARQUET_MAX);
		}
		if ((rc = rta_pqrows_open(r->buf + r->lo, r->hi - r->lo,
		    r->where.source, r->where.source, &r->pq, err)) !=
		    RTA_OK) {
			r->pq_done = 1;
			unname(err, r->where.source);
			return rc == RTA_ENOMEM ? rc : RTA_EDATA;
		}
	}
	rc = rta_pqrows_next(r->pq, &r->pqline, &row, err);
	if (rc != RTA_OK && rc != RTA_EOF)
		unname(err, r->where.source);
	r->where.line = row;
	r->where.offset = 0;
	set_raw(r, r->pqline.data, r->pqline.len, r->pqline.len);
	if (rc == RTA_EOF || rc == RTA_EIO) {
		r->pq_done = 1;
		rta_pqrows_close(r->pq);
		r->pq = NULL;
		advance(r, r->hi - r->lo);
		return rc == RTA_EOF ? RTA_EOF : RTA_EDATA;
	}
	if (rc != RTA_OK)
		return rc;
	/* the parser reads lines padded (np.json.padded) */
	if (rta_buf_reserve(&r->pqline, 16) != 0)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	memset(r->pqline.data + r->pqline.len, 0, 16);
	return rta_ndjson_parse(&r->np, r->pqline.data, r->pqline.len, rec,
	    err);
}

static int
csv_next(struct rta_reader *r, struct rta_record *rec,
    struct rta_error *err)
{
	const unsigned char *line;
	size_t len;
	int rc;

	if (!r->csv_ready) {
		if (rta_csv_init(&r->csv, &r->o.csv) != RTA_OK)
			return rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory");
		r->csv_ready = 1;
		r->csv_final = 0;
		rta_buf_reset(&r->csvraw);
	}
	for (;;) {
		if (r->csv.fatal)
			return RTA_EOF;
		if (rta_csv_pending(&r->csv) > 0) {
			r->where.line = r->csv_row_line;
			set_raw(r, r->csvraw.data, r->csvraw.len, r->csvraw.len);
			rc = rta_csv_next(&r->csv, rec, r->csv_row_line,
			    r->csvraw.data, r->csvraw.len, err);
			if (rc == RTA_EOF)
				continue;	/* the header, or an empty row */
			return rc;
		}
		if (r->csv_final)
			return RTA_EOF;
		rc = next_line(r, &line, &len, err);
		if (rc == RTA_EOF) {
			r->csv_final = 1;
			if ((rc = rta_csv_feed(&r->csv, NULL, 0, 1, err)) !=
			    RTA_OK) {
				set_raw(r, r->csvraw.data, r->csvraw.len,
				    r->csvraw.len);
				r->where.line = r->csv_row_line;
				return rc;
			}
			continue;
		}
		if (rc != RTA_OK) {
			rta_buf_reset(&r->csvraw);
			return rc;
		}
		if (r->csv.parser.pstate == 0) {
			/* this line starts a row */
			rta_buf_reset(&r->csvraw);
			r->csv_row_line = r->line;
		}
		if (r->csvraw.len + len + 1 > r->o.max_line) {
			/* a quoted field that never ends must not grow us */
			rta_buf_reset(&r->csvraw);
			rta_csv_drop_row(&r->csv);
			r->where.line = r->csv_row_line;
			set_raw(r, line, len, len);
			return rta_error_set(err, RTA_ELIMIT, "too-long",
			    "CSV row longer than %zu bytes", r->o.max_line);
		}
		if (rta_buf_add(&r->csvraw, line, len) != 0 ||
		    rta_buf_addc(&r->csvraw, '\n') != 0)
			return rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory");
		if ((rc = rta_csv_feed(&r->csv, line, len, 0, err)) != RTA_OK ||
		    (rc = rta_csv_feed(&r->csv, "\n", 1, 0, err)) != RTA_OK) {
			r->where.line = r->csv_row_line;
			set_raw(r, r->csvraw.data, r->csvraw.len,
			    r->csvraw.len);
			return rc;
		}
	}
}

int
rta_reader_next(struct rta_reader *r, struct rta_record *rec,
    struct rta_error *err)
{
	int rc;

	rta_error_clear(err);
	if (!r->open)
		return RTA_EOF;
	for (;;) {
		if (r->member_fresh) {
			r->member_fresh = 0;
			r->mode = r->o.format;
			r->where.source = rta_input_name(&r->in);
			r->where.serial++;
			r->where.has_kafka = 0;
			if (r->o.format != RTA_FMT_RTA) {
				/* a UTF-8 byte order mark is not data */
				if ((rc = fill(r, 3, err)) < 0)
					goto fail;
				if (r->hi - r->lo >= 3 &&
				    memcmp(r->buf + r->lo, "\xef\xbb\xbf", 3) == 0)
					advance(r, 3);
			}
		}
		switch (r->mode) {
		case RTA_FMT_AUTO:
			if (r->lo == r->hi && (rc = fill(r, 1, err)) <= 0) {
				if (rc < 0)
					goto fail;
				rc = RTA_EOF;
				break;
			}
			/* NDJSON unless the whole magic is there; a line that
			 * starts with 0x89 and no more is bad NDJSON */
			r->mode = RTA_FMT_NDJSON;
			if (r->buf[r->lo] == 'P') {
				rc = 0;
				while (r->hi - r->lo < 4 &&
				    (rc = fill(r, 4, err)) > 0)
					;
				if (rc < 0)
					goto fail;
				if (r->hi - r->lo >= 4 &&
				    memcmp(r->buf + r->lo, "PAR1", 4) == 0)
					r->mode = RTA_FMT_PARQUET;
			}
			if (r->buf[r->lo] == 0x89) {
				rc = 0;
				while (r->hi - r->lo < 8 &&
				    (rc = fill(r, 8, err)) > 0)
					;
				if (rc < 0)
					goto fail;
				if (r->hi - r->lo >= 8 &&
				    rta_frame_is_magic(r->buf + r->lo, 8))
					r->mode = RTA_FMT_RTA;
			}
			continue;
		case RTA_FMT_NDJSON:
			rc = ndjson_next(r, rec, err);
			break;
		case RTA_FMT_RTA:
			rc = frame_next(r, rec, err);
			break;
		case RTA_FMT_CSV:
			rc = csv_next(r, rec, err);
			break;
		case RTA_FMT_KCAT:
			rc = kcat_next(r, rec, err);
			break;
		case RTA_FMT_VALUES:
			rc = values_next(r, rec, err);
			break;
		case RTA_FMT_PARQUET:
			rc = parquet_next(r, rec, err);
			break;
		default:
			rc = RTA_EOF;
			break;
		}
		if (rc == SWITCH_TO_RTA) {
			r->mode = RTA_FMT_RTA;
			continue;
		}
		if (rc == RTA_OK || rc == RTA_EDATA || rc == RTA_ELIMIT) {
			if (r->encoding == RTA_FMT_AUTO)
				r->encoding = r->mode == RTA_FMT_RTA ?
				    RTA_FMT_RTA : RTA_FMT_NDJSON;
			return rc;
		}
		if (rc != RTA_EOF)
			goto fail;
		if ((rc = rta_input_next_member(&r->in, err)) > 0) {
			member_reset(r);
			continue;
		}
		if (rc < 0)
			goto fail;
		rta_reader_close(r);
		return RTA_EOF;
	}
fail:
	rc = err->code != RTA_OK ? err->code : RTA_EIO;
	rta_reader_close(r);
	return rc;
}
