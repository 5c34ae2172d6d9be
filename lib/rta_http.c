/*
 * rta_http.c: HTTP/1.1 requests read from a descriptor under limits and
 * deadlines, and answers written back.
 *
 * The input buffer is allocated once and never grows: the limits bound
 * a request (line, header fields, body) and the buffer is their sum, so
 * the parser can reject whatever would not fit before it has to store it.
 * The request being read always starts at buf[0]; bytes that arrived
 * after it (a pipelined request) stay in the buffer and are moved to the
 * front when the next read starts.  Lines are checked byte by byte as
 * they arrive, and each line is parsed as soon as its LF is in, so a bad
 * byte is answered at once rather than after a timeout, and no byte is
 * looked at twice by the scanner however slowly the request trickles in.
 * Names and values are NUL-terminated in place (over the ':', a space or
 * the CR), which is why a request is only borrowed.
 *
 * Deadlines use the monotonic clock: idle_ms while waiting for the first
 * byte of a request, then request_ms from that byte to the last byte of
 * the body, and write_ms for a whole answer.  Writes go after poll(2)
 * says there is room, as much as a socket takes at once without waiting
 * (MSG_DONTWAIT: the descriptor's own blocking mode is left as it is,
 * for it is shared with whoever started us), or to any other descriptor
 * in pieces of at most PIPE_BUF, which a pipe takes without blocking; so
 * a client that stops reading is cut off in time.
 */
#include <sys/socket.h>
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "rta_alloc.h"
#include "rta_time.h"
#include "rta_buf.h"
#include "rta_err.h"
#include "rta_http.h"

#define QUOTE		40	/* bytes of a request quoted in err->text */
#define OBUF_MIN	1024	/* kept: rta_http_error allocates nothing */
#define INLINE_BODY	65536	/* larger bodies are written without a copy */

enum { ST_LINE, ST_HEADERS, ST_BODY };

/* "Not all in yet" and "over its limit", beside RTA_OK and the failures. */
#define MORE	(-1)
#define TOOLONG	(-2)

/* The state of one rta_http_read. */
struct rd {
	struct rta_http_conn	*c;
	struct rta_http_request	*req;
	struct rta_error	*err;
	int			 state;
	size_t			 line;		/* start of the current line */
	size_t			 checked;	/* scanned up to here */
	size_t			 hbytes;	/* field lines so far */
	size_t			 nhdr;
	size_t			 body;		/* where the body starts */
	size_t			 clen;		/* saturates at body_max + 1 */
	const char		*clen_text;	/* first Content-Length */
	int			 nhost;
	int			 te;
	int			 conn_close, conn_keep;
	int			 expect;	/* 100-continue */
};

void
rta_http_limits_init(struct rta_http_limits *lim)
{
	lim->line_max = 8192;
	lim->header_max = 16384;
	lim->headers_max = 64;
	lim->body_max = 65536;
	lim->idle_ms = 5000;
	lim->request_ms = 10000;
	lim->write_ms = 10000;
}

int
rta_http_conn_init(struct rta_http_conn *c, int in, int out,
    const struct rta_http_limits *lim, struct rta_error *err)
{
	struct rta_http_limits l;
	struct stat sb;
	size_t cap;

	memset(c, 0, sizeof(*c));
	rta_buf_init(&c->obuf);
	if (lim == NULL)
		rta_http_limits_init(&l);
	else
		l = *lim;
	if (l.line_max == 0 || l.header_max == 0 || l.headers_max == 0 ||
	    l.body_max == 0 || l.idle_ms <= 0 || l.request_ms <= 0 ||
	    l.write_ms <= 0)
		return rta_error_set(err, RTA_EINVAL, "bad-limit",
		    "http limits must be positive");
	/* a quarter of the address space each: the sum cannot wrap */
	if (l.line_max > SIZE_MAX / 4 || l.header_max > SIZE_MAX / 4 ||
	    l.body_max > SIZE_MAX / 4)
		return rta_error_set(err, RTA_EINVAL, "bad-limit",
		    "http limits too large");
	cap = l.line_max + 2 + l.header_max + 2 + l.body_max;
	if (fstat(out, &sb) == 0 && S_ISSOCK(sb.st_mode))
		c->sock = 1;
	c->buf = rta_malloc(cap);
	c->hdr = rta_reallocarray(NULL, l.headers_max, sizeof(*c->hdr));
	c->path = rta_malloc(l.line_max + 1);
	if (c->buf == NULL || c->hdr == NULL || c->path == NULL ||
	    rta_buf_reserve(&c->obuf, OBUF_MIN) != 0) {
		rta_http_conn_release(c);
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "http connection buffers: out of memory");
	}
	c->cap = cap;
	c->in = in;
	c->out = out;
	c->lim = l;
	c->date = 1;
	return RTA_OK;
}

void
rta_http_conn_release(struct rta_http_conn *c)
{
	if (c == NULL)
		return;
	rta_free(c->buf);
	rta_free(c->hdr);
	rta_free(c->path);
	rta_buf_release(&c->obuf);
	c->buf = NULL;
	c->hdr = NULL;
	c->path = NULL;
	c->cap = c->len = c->next = 0;
}

/* ---- small helpers ---------------------------------------------------- */

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* tchar of RFC 9110 5.6.2 */
static int
is_tchar(unsigned char ch)
{
	if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
	    (ch >= 'A' && ch <= 'Z'))
		return 1;
	return ch != '\0' && strchr("!#$%&'*+-.^_`|~", ch) != NULL;
}

static int
is_token(const char *s, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++)
		if (!is_tchar((unsigned char)s[i]))
			return 0;
	return 1;
}

static int
hexval(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

static int
lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

/* ASCII case-insensitive equality of s[0..n) and the string t. */
static int
eq_nocase(const char *s, size_t n, const char *t)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i] == '\0' || lower((unsigned char)s[i]) != lower(t[i]))
			return 0;
	return t[n] == '\0';
}

static int
fail(struct rd *r, int status, const char *reason, const char *fmt, ...)
    RTA_PRINTFLIKE(4, 5);

/* Give up on the request: it is to be answered with status, then closed. */
static int
fail(struct rd *r, int status, const char *reason, const char *fmt, ...)
{
	char text[sizeof(r->err->text)];
	va_list ap;
	int code;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	code = status == 408 || status == 413 || status == 414 ||
	    status == 431 ? RTA_ELIMIT : RTA_EDATA;
	r->c->status = status;
	r->c->closing = 1;
	r->c->pending = 1;
	return rta_error_set(r->err, code, reason, "%s", text);
}

/* ---- input ------------------------------------------------------------- */

enum { FILL_OK, FILL_EOF, FILL_TIMEOUT, FILL_ERROR };

/* Read what has arrived into the free end of the buffer (never full). */
static int
fill(struct rta_http_conn *c, int64_t deadline)
{
	struct pollfd pfd;
	int64_t left;
	ssize_t n;
	int rc;

	if (c->eof)
		return FILL_EOF;
	for (;;) {
		if (c->io != NULL) {
			n = c->io->read(c->io->arg, c->buf + c->len,
			    c->cap - c->len);
		} else {
			left = deadline - now_ms();
			if (left <= 0)
				return FILL_TIMEOUT;
			pfd.fd = c->in;
			pfd.events = POLLIN;
			pfd.revents = 0;
			rc = poll(&pfd, 1, left > INT_MAX ? INT_MAX :
			    (int)left);
			if (rc < 0 && errno != EINTR)
				return FILL_ERROR;
			if (rc <= 0)
				continue;
			n = read(c->in, c->buf + c->len, c->cap - c->len);
		}
		if (n < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return FILL_ERROR;
		}
		if (n == 0) {
			c->eof = 1;
			return FILL_EOF;
		}
		c->len += (size_t)n;
		return FILL_OK;
	}
}

/*
 * Scan the current line from r->checked, but not past wend (where the
 * line would break its limit): RTA_OK with *eol at its LF, MORE when
 * the line is not all in yet, TOOLONG when its LF cannot come before
 * wend, or a failure.  A request line holds printable ASCII and spaces
 * only; a field line may also hold HTAB and bytes from 0x80 (obs-text).
 * A CR is only allowed right before the LF.  Stopping at wend makes the
 * outcome the same however the bytes are split into reads: whichever
 * comes first in the line, a bad byte or the limit, is what is answered.
 */
static int
scan_line(struct rd *r, size_t wend, size_t *eol)
{
	const unsigned char *b = r->c->buf;
	size_t i, len = r->c->len, end = len < wend ? len : wend;
	unsigned char ch;
	int field = r->state == ST_HEADERS;

	for (i = r->checked; i < end; i++) {
		ch = b[i];
		if (ch == '\n') {
			if (i == r->line || b[i - 1] != '\r')
				return fail(r, 400, "http-syntax",
				    "line ends in a bare LF");
			*eol = i;
			r->checked = i + 1;
			return RTA_OK;
		}
		if (ch == '\r') {
			if (i + 1 >= wend)
				return TOOLONG;
			if (i + 1 == len) {
				/* look again when what follows is in */
				r->checked = i;
				return MORE;
			}
			if (b[i + 1] != '\n')
				return fail(r, 400, "http-syntax",
				    "bare CR in a line");
			continue;
		}
		if ((ch >= 0x20 && ch < 0x7f) || (field && (ch == '\t' ||
		    ch >= 0x80)))
			continue;
		return fail(r, 400, "http-syntax",
		    "control byte 0x%02x in the %s", ch,
		    field ? "header fields" : "request line");
	}
	r->checked = end;
	return end == wend ? TOOLONG : MORE;
}

/* Percent-decode and normalize the path p[0..n) into c->path. */
static int
decode_path(struct rd *r, const char *p, size_t n)
{
	char *out = r->c->path;
	size_t i, j, d = 0, w = 0, seg;
	int hi, lo;
	unsigned char ch;

	for (i = 0; i < n; i++) {
		ch = (unsigned char)p[i];
		if (ch == '%') {
			if (i + 2 >= n || (hi = hexval((unsigned char)p[i + 1]))
			    < 0 || (lo = hexval((unsigned char)p[i + 2])) < 0)
				return fail(r, 400, "http-syntax",
				    "bad percent-encoding in the path");
			ch = (unsigned char)(hi << 4 | lo);
			i += 2;
			if (ch < 0x20 || ch == 0x7f)
				return fail(r, 400, "http-syntax",
				    "control byte in the path");
		}
		out[d++] = (char)ch;
	}
	/*
	 * Decoded first, then split, so that "%2e%2e" and "..%2f" cannot
	 * slip past the segment checks.  Each segment written was read
	 * after at least one '/', so w stays at or behind i.
	 */
	for (i = 0; i < d; i = j) {
		if (out[i] == '/') {
			j = i + 1;
			continue;
		}
		for (j = i; j < d && out[j] != '/'; j++)
			;
		seg = j - i;
		if (seg == 1 && out[i] == '.')
			continue;
		if (seg == 2 && out[i] == '.' && out[i + 1] == '.')
			return fail(r, 400, "http-syntax",
			    "\"..\" in the path");
		out[w++] = '/';
		memmove(out + w, out + i, seg);
		w += seg;
	}
	if (w == 0)
		out[w++] = '/';
	out[w] = '\0';
	return RTA_OK;
}

/* Every escape in the query well formed, and none a NUL. */
static int
check_query(struct rd *r, const char *q, size_t n)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (q[i] != '%')
			continue;
		if (i + 2 >= n || (hi = hexval((unsigned char)q[i + 1])) < 0 ||
		    (lo = hexval((unsigned char)q[i + 2])) < 0)
			return fail(r, 400, "http-syntax",
			    "bad percent-encoding in the query");
		if (hi == 0 && lo == 0)
			return fail(r, 400, "http-syntax", "NUL in the query");
		i += 2;
	}
	return RTA_OK;
}

/* The request line s[0..n) (CR excluded; its bytes already scanned). */
static int
parse_request_line(struct rd *r, char *s, size_t n)
{
	struct rta_http_request *req = r->req;
	char *sp1, *sp2, *v, *q, *end = s + n;
	char quoted[QUOTE * 4 + 8];
	size_t tlen;
	int rc;

	if ((sp1 = memchr(s, ' ', n)) == NULL ||
	    (sp2 = memchr(sp1 + 1, ' ', (size_t)(end - sp1 - 1))) == NULL)
		return fail(r, 400, "http-syntax",
		    "request line is not: method target version");
	v = sp2 + 1;
	if (end - v != 8 || memcmp(v, "HTTP/", 5) != 0 || v[5] < '0' ||
	    v[5] > '9' || v[6] != '.' || v[7] < '0' || v[7] > '9')
		return fail(r, 400, "http-syntax", "bad HTTP version");
	if (!is_token(s, (size_t)(sp1 - s)))
		return fail(r, 400, "http-syntax", "bad method");
	if ((tlen = (size_t)(sp2 - sp1 - 1)) == 0)
		return fail(r, 400, "http-syntax", "bad request target");
	if (v[5] != '1')
		return fail(r, 505, "http-version",
		    "HTTP version %c.%c not supported", v[5], v[7]);
	req->version = r->c->version = v[7] == '0' ? 10 : 11;
	*sp1 = '\0';
	*sp2 = '\0';
	req->method_name = s;
	if (strcmp(s, "GET") == 0)
		req->method = RTA_HTTP_GET;
	else if (strcmp(s, "HEAD") == 0)
		req->method = RTA_HTTP_HEAD;
	else if (strcmp(s, "POST") == 0)
		req->method = RTA_HTTP_POST;
	else {
		rta_quote(quoted, sizeof(quoted), s, (size_t)(sp1 - s), QUOTE);
		return fail(r, 501, "http-method", "method '%s' not supported",
		    quoted);
	}
	r->c->head = req->method == RTA_HTTP_HEAD;
	req->target = sp1 + 1;
	if (req->target[0] != '/')
		return fail(r, 400, "http-syntax",
		    "request target is not a path");
	if ((q = memchr(req->target, '?', tlen)) != NULL) {
		req->query = q + 1;
		req->query_len = (size_t)(sp2 - q - 1);
		if ((rc = check_query(r, req->query, req->query_len)) !=
		    RTA_OK)
			return rc;
	} else {
		req->query = "";
		req->query_len = 0;
		q = sp2;
	}
	if ((rc = decode_path(r, req->target, (size_t)(q - req->target))) !=
	    RTA_OK)
		return rc;
	req->path = r->c->path;
	return RTA_OK;
}

/* Content-Length: digits only; saturates past body_max. */
static int
content_length(struct rd *r, const char *v)
{
	const char *d;
	size_t n = 0, max = r->c->lim.body_max;

	if (*v == '\0' || strspn(v, "0123456789") != strlen(v))
		return fail(r, 400, "http-syntax", "bad Content-Length");
	for (d = v; *d == '0' && d[1] != '\0'; d++)
		;
	if (r->clen_text != NULL) {
		if (strcmp(d, r->clen_text) != 0)
			return fail(r, 400, "http-syntax",
			    "conflicting Content-Length fields");
		return RTA_OK;
	}
	r->clen_text = d;
	for (; *d != '\0'; d++) {
		if ((size_t)(*d - '0') > max ||
		    n > (max - (size_t)(*d - '0')) / 10) {
			n = max + 1;
			break;
		}
		n = n * 10 + (size_t)(*d - '0');
	}
	r->clen = n;
	return RTA_OK;
}

/* The comma-separated options of Connection. */
static void
connection(struct rd *r, const char *v)
{
	const char *e;
	size_t n;

	for (;;) {
		while (*v == ' ' || *v == '\t' || *v == ',')
			v++;
		if (*v == '\0')
			return;
		for (e = v; *e != '\0' && *e != ','; e++)
			;
		for (n = (size_t)(e - v); n > 0 && (v[n - 1] == ' ' ||
		    v[n - 1] == '\t'); n--)
			;
		if (eq_nocase(v, n, "close"))
			r->conn_close = 1;
		else if (eq_nocase(v, n, "keep-alive"))
			r->conn_keep = 1;
		v = e;
	}
}

/* A field line s[0..n) (CR excluded; its bytes already scanned). */
static int
parse_field(struct rd *r, char *s, size_t n)
{
	struct rta_http_header *h;
	char *colon, *v, *e;

	if (s[0] == ' ' || s[0] == '\t')
		return fail(r, 400, "http-syntax",
		    "folded header line (obs-fold)");
	if ((colon = memchr(s, ':', n)) == NULL)
		return fail(r, 400, "http-syntax", "header line without ':'");
	if (!is_token(s, (size_t)(colon - s)))
		return fail(r, 400, "http-syntax", "bad header name");
	if (r->nhdr == r->c->lim.headers_max)
		return fail(r, 431, "http-headers-big",
		    "more than %zu header fields", r->c->lim.headers_max);
	for (v = colon + 1, e = s + n; v < e && (*v == ' ' || *v == '\t'); v++)
		;
	while (e > v && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	*colon = '\0';
	*e = '\0';		/* at most over the CR */
	h = &r->c->hdr[r->nhdr++];
	h->name = s;
	h->value = v;
	if (eq_nocase(s, (size_t)(colon - s), "content-length"))
		return content_length(r, v);
	if (eq_nocase(s, (size_t)(colon - s), "transfer-encoding"))
		r->te = 1;
	else if (eq_nocase(s, (size_t)(colon - s), "host"))
		r->nhost++;
	else if (eq_nocase(s, (size_t)(colon - s), "connection"))
		connection(r, v);
	else if (eq_nocase(s, (size_t)(colon - s), "expect") &&
	    eq_nocase(v, strlen(v), "100-continue"))
		r->expect = 1;
	return RTA_OK;
}

static int	write_all(struct rta_http_conn *, const void *, size_t,
		    int64_t, struct rta_error *);

/* After the blank line: the checks that need every field. */
static int
end_of_fields(struct rd *r)
{
	struct rta_http_conn *c = r->c;
	struct rta_http_request *req = r->req;
	static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
	int rc;

	if (r->nhost > 1)
		return fail(r, 400, "http-syntax", "more than one Host field");
	if (r->nhost == 0 && req->version == 11)
		return fail(r, 400, "http-syntax", "no Host field");
	if (r->te && r->clen_text != NULL)
		return fail(r, 400, "http-syntax",
		    "both Transfer-Encoding and Content-Length");
	if (r->te)
		return fail(r, 501, "http-transfer-encoding",
		    "Transfer-Encoding not supported");
	if (r->clen > c->lim.body_max)
		return fail(r, 413, "http-body-big",
		    "body longer than %zu bytes", c->lim.body_max);
	req->headers = c->hdr;
	req->nheaders = r->nhdr;
	if (req->version == 11)
		req->keep_alive = !r->conn_close;
	else
		req->keep_alive = r->conn_keep && !r->conn_close;
	r->body = r->checked;
	r->state = ST_BODY;
	/* the client may wait for this before it sends the body */
	if (r->expect && req->version == 11 && r->clen > 0 &&
	    c->len - r->body < r->clen && (rc = write_all(c, cont,
	    sizeof(cont) - 1, now_ms() + c->lim.write_ms, r->err)) !=
	    RTA_OK) {
		c->closing = 1;
		return rc;
	}
	return RTA_OK;
}

/* Drop empty lines before a request line (RFC 9112 2.2). */
static void
skip_empty_lines(struct rd *r)
{
	struct rta_http_conn *c = r->c;
	size_t k = 0;

	while (k + 1 < c->len && c->buf[k] == '\r' && c->buf[k + 1] == '\n')
		k += 2;
	if (k == 0)
		return;
	memmove(c->buf, c->buf + k, c->len - k);
	c->len -= k;
	r->checked = r->checked > k ? r->checked - k : 0;
}

/*
 * Parse what has arrived: RTA_OK when the request is complete, MORE when
 * more bytes are needed, or a failure code.
 */
static int
advance(struct rd *r)
{
	struct rta_http_conn *c = r->c;
	size_t eol, n, room;
	int rc;

	for (;;) {
		switch (r->state) {
		case ST_LINE:
			skip_empty_lines(r);
			rc = scan_line(r, c->lim.line_max + 2, &eol);
			if (rc == TOOLONG)
				return fail(r, 414, "http-line-long",
				    "request line longer than %zu bytes",
				    c->lim.line_max);
			if (rc != RTA_OK)
				return rc;
			if ((rc = parse_request_line(r, (char *)c->buf,
			    eol - 1)) != RTA_OK)
				return rc;
			r->line = eol + 1;
			r->state = ST_HEADERS;
			break;
		case ST_HEADERS:
			/* room for field lines; the blank one fits */
			room = c->lim.header_max - r->hbytes;
			rc = scan_line(r, r->line + (room > 2 ? room : 2),
			    &eol);
			if (rc == TOOLONG)
				return fail(r, 431, "http-headers-big",
				    "header fields longer than %zu bytes",
				    c->lim.header_max);
			if (rc != RTA_OK)
				return rc;
			n = eol + 1 - r->line;
			if (n == 2) {
				r->line = eol + 1;
				if ((rc = end_of_fields(r)) != RTA_OK)
					return rc;
				break;
			}
			if (n > room)
				return fail(r, 431, "http-headers-big",
				    "header fields longer than %zu bytes",
				    c->lim.header_max);
			r->hbytes += n;
			if ((rc = parse_field(r, (char *)c->buf + r->line,
			    n - 2)) != RTA_OK)
				return rc;
			r->line = eol + 1;
			break;
		default:
			if (c->len - r->body < r->clen)
				return MORE;
			r->req->body = c->buf + r->body;
			r->req->body_len = r->clen;
			c->next = r->body + r->clen;
			return RTA_OK;
		}
	}
}

int
rta_http_read(struct rta_http_conn *c, struct rta_http_request *req,
    struct rta_error *err)
{
	struct rd r;
	int64_t deadline;
	int rc, started;

	rta_error_clear(err);
	memset(req, 0, sizeof(*req));
	c->status = 0;
	c->pending = 0;
	c->head = 0;
	c->keep_alive = 0;
	c->version = 11;
	if (c->closing || c->buf == NULL)
		return RTA_EOF;
	if (c->next > 0) {
		memmove(c->buf, c->buf + c->next, c->len - c->next);
		c->len -= c->next;
		c->next = 0;
	}
	memset(&r, 0, sizeof(r));
	r.c = c;
	r.req = req;
	r.err = err;
	r.state = ST_LINE;
	started = c->len > 0;
	deadline = now_ms() + (started ? c->lim.request_ms : c->lim.idle_ms);
	for (;;) {
		if ((rc = advance(&r)) == RTA_OK)
			break;
		if (rc != MORE)
			return rc;
		switch (fill(c, deadline)) {
		case FILL_OK:
			if (!started) {
				started = 1;
				deadline = now_ms() + c->lim.request_ms;
			}
			break;
		case FILL_EOF:
			if (r.state == ST_LINE && c->len == 0) {
				c->closing = 1;
				return RTA_EOF;
			}
			return fail(&r, 400, "http-truncated",
			    "connection closed inside a request");
		case FILL_TIMEOUT:
			if (!started) {
				c->closing = 1;
				return RTA_EOF;
			}
			return fail(&r, 408, "http-timeout",
			    "request not complete within %d ms",
			    c->lim.request_ms);
		default:
			c->closing = 1;
			return rta_error_errno(err, "read");
		}
	}
	c->keep_alive = req->keep_alive;
	c->pending = 1;
	return RTA_OK;
}

const char *
rta_http_header(const struct rta_http_request *req, const char *name)
{
	size_t i;

	for (i = 0; i < req->nheaders; i++)
		if (eq_nocase(req->headers[i].name,
		    strlen(req->headers[i].name), name))
			return req->headers[i].value;
	return NULL;
}

/* ---- query parameters ------------------------------------------------ */

/* The next decoded byte of p[*i..n), '+' a space; *i moves past it. */
static unsigned char
qbyte(const char *p, size_t n, size_t *i)
{
	unsigned char ch = (unsigned char)p[*i];

	if (ch == '+') {
		(*i)++;
		return ' ';
	}
	if (ch == '%' && *i + 2 < n && hexval((unsigned char)p[*i + 1])
	    >= 0 && hexval((unsigned char)p[*i + 2]) >= 0) {
		ch = (unsigned char)(hexval((unsigned char)p[*i + 1]) << 4 |
		    hexval((unsigned char)p[*i + 2]));
		*i += 3;
		return ch;
	}
	(*i)++;
	return ch;
}

static int
qdecode(struct rta_buf *b, const char *p, size_t n)
{
	size_t i = 0;

	rta_buf_reset(b);
	if (rta_buf_reserve(b, n + 1) != 0)
		return -1;
	while (i < n)
		b->data[b->len++] = qbyte(p, n, &i);
	b->data[b->len] = '\0';
	return 0;
}

/* The next pair at *pos: its name [*ns, *ne) and value [*vs, *ve). */
static int
qsplit(const struct rta_http_request *req, size_t *pos, size_t *ns,
    size_t *ne, size_t *vs, size_t *ve)
{
	const char *q = req->query, *amp, *eq;
	size_t n = req->query_len;

	while (*pos < n) {
		*ns = *pos;
		amp = memchr(q + *pos, '&', n - *pos);
		*ve = amp != NULL ? (size_t)(amp - q) : n;
		*pos = amp != NULL ? *ve + 1 : n;
		if (*ve == *ns)
			continue;
		eq = memchr(q + *ns, '=', *ve - *ns);
		*ne = eq != NULL ? (size_t)(eq - q) : *ve;
		*vs = eq != NULL ? *ne + 1 : *ve;
		return 1;
	}
	return 0;
}

int
rta_http_query_next(const struct rta_http_request *req, size_t *pos,
    struct rta_buf *name, struct rta_buf *value)
{
	size_t ns, ne, vs, ve;

	if (!qsplit(req, pos, &ns, &ne, &vs, &ve))
		return 0;
	if (qdecode(name, req->query + ns, ne - ns) != 0 ||
	    qdecode(value, req->query + vs, ve - vs) != 0)
		return -1;
	return 1;
}

int
rta_http_query_repeated(const struct rta_http_request *req)
{
	size_t p1 = 0, p2, ns1, ne1, ns2, ne2, vs, ve, i, j;
	int same;

	while (qsplit(req, &p1, &ns1, &ne1, &vs, &ve)) {
		p2 = p1;
		while (qsplit(req, &p2, &ns2, &ne2, &vs, &ve)) {
			i = ns1;
			j = ns2;
			same = 1;
			while (same && i < ne1 && j < ne2)
				same = qbyte(req->query, ne1, &i) ==
				    qbyte(req->query, ne2, &j);
			if (same && i == ne1 && j == ne2)
				return 1;
		}
	}
	return 0;
}

int
rta_http_query_param(const struct rta_http_request *req, const char *name,
    struct rta_buf *value)
{
	size_t pos = 0, ns, ne, vs, ve, i, k;

	while (qsplit(req, &pos, &ns, &ne, &vs, &ve)) {
		for (i = ns, k = 0; i < ne && name[k] != '\0'; k++)
			if (qbyte(req->query, ne, &i) !=
			    (unsigned char)name[k])
				break;
		if (i == ne && name[k] == '\0')
			return qdecode(value, req->query + vs, ve - vs) != 0 ?
			    -1 : 1;
	}
	return 0;
}

/* ---- output ------------------------------------------------------------ */

/* Write all n bytes by the deadline. */
static int
write_all(struct rta_http_conn *c, const void *p, size_t n, int64_t deadline,
    struct rta_error *err)
{
	const unsigned char *b = p;
	struct pollfd pfd;
	int64_t left;
	ssize_t w;
	int rc;

	while (n > 0) {
		if (c->io != NULL)
			w = c->io->write(c->io->arg, b, n);
		else {
			if ((left = deadline - now_ms()) <= 0) {
				errno = ETIMEDOUT;
				return rta_error_errno(err, "write");
			}
			pfd.fd = c->out;
			pfd.events = POLLOUT;
			pfd.revents = 0;
			rc = poll(&pfd, 1, left > INT_MAX ? INT_MAX :
			    (int)left);
			if (rc < 0 && errno != EINTR)
				return rta_error_errno(err, "write");
			if (rc <= 0)
				continue;
			if (c->sock)
				w = send(c->out, b, n, MSG_DONTWAIT |
				    MSG_NOSIGNAL);
			else
				w = write(c->out, b, n < PIPE_BUF ? n :
				    PIPE_BUF);
		}
		if (w < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return rta_error_errno(err, "write");
		}
		if (w == 0) {
			errno = EIO;
			return rta_error_errno(err, "write");
		}
		b += w;
		n -= (size_t)w;
	}
	return RTA_OK;
}

/* A field value we are asked to send: no control byte but HTAB. */
static int
value_ok(const char *v)
{
	const unsigned char *p = (const unsigned char *)v;

	for (; *p != '\0'; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
			return 0;
	return 1;
}

/* IMF-fixdate of now, without the locale's names. */
static int
add_date(struct rta_buf *b)
{
	static const char days[][4] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char months[][4] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
		"Oct", "Nov", "Dec"
	};
	struct tm tm;
	/* the wall clock, or RTA_NOW's, so that tests can pin it */
	time_t t = (time_t)(rta_now() / RTA_US_PER_SEC);

	if (gmtime_r(&t, &tm) == NULL || tm.tm_wday < 0 || tm.tm_wday > 6 ||
	    tm.tm_mon < 0 || tm.tm_mon > 11)
		return 0;
	return rta_buf_printf(b,
	    "Date: %s, %02d %s %04d %02d:%02d:%02d GMT\r\n", days[tm.tm_wday],
	    tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
}

const char *
rta_http_reason(int status)
{
	switch (status) {
	case 100: return "Continue";
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 206: return "Partial Content";
	case 301: return "Moved Permanently";
	case 302: return "Found";
	case 304: return "Not Modified";
	case 307: return "Temporary Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 406: return "Not Acceptable";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 411: return "Length Required";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 502: return "Bad Gateway";
	case 503: return "Service Unavailable";
	case 504: return "Gateway Timeout";
	case 505: return "HTTP Version Not Supported";
	default: return "";
	}
}

int
rta_http_respond(struct rta_http_conn *c, int status,
    const char *content_type, const void *body, size_t len,
    const struct rta_http_header *extra, size_t nextra,
    struct rta_error *err)
{
	struct rta_buf *b = &c->obuf;
	int64_t deadline;
	size_t i;
	int close, nobody, rc;

	if (!c->pending || status < 200 || status > 599)
		return rta_error_set(err, RTA_EINVAL, "bad-call",
		    "no request to answer, or status %d out of range", status);
	if (content_type != NULL && !value_ok(content_type))
		return rta_error_set(err, RTA_EINVAL, "bad-header",
		    "control byte in the content type");
	for (i = 0; i < nextra; i++)
		if (!is_token(extra[i].name, strlen(extra[i].name)) ||
		    !value_ok(extra[i].value))
			return rta_error_set(err, RTA_EINVAL, "bad-header",
			    "bad response header field %zu", i);
	close = c->closing || !c->keep_alive;
	nobody = c->head || status == 204 || status == 304;
	rta_buf_reset(b);
	rc = rta_buf_printf(b, "HTTP/1.1 %d %s\r\n", status,
	    rta_http_reason(status));
	if (rc == 0 && c->date)
		rc = add_date(b);
	if (rc == 0 && content_type != NULL)
		rc = rta_buf_printf(b, "Content-Type: %s\r\n", content_type);
	if (rc == 0 && status != 204)
		rc = rta_buf_printf(b, "Content-Length: %zu\r\n", len);
	for (i = 0; rc == 0 && i < nextra; i++)
		rc = rta_buf_printf(b, "%s: %s\r\n", extra[i].name,
		    extra[i].value);
	if (rc == 0 && close)
		rc = rta_buf_adds(b, "Connection: close\r\n");
	else if (rc == 0 && c->version == 10)
		rc = rta_buf_adds(b, "Connection: keep-alive\r\n");
	if (rc == 0)
		rc = rta_buf_adds(b, "\r\n");
	if (rc == 0 && !nobody && len <= INLINE_BODY)
		rc = rta_buf_add(b, body, len);
	if (rc != 0)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "http response: out of memory");
	c->pending = 0;
	if (close)
		c->closing = 1;
	deadline = now_ms() + c->lim.write_ms;
	if ((rc = write_all(c, b->data, b->len, deadline, err)) == RTA_OK &&
	    !nobody && len > INLINE_BODY)
		rc = write_all(c, body, len, deadline, err);
	if (rc != RTA_OK)
		c->closing = 1;
	return rc;
}

int
rta_http_error(struct rta_http_conn *c, int status, struct rta_error *err)
{
	char body[96];
	int n;

	if (status < 400 || status > 599)
		return rta_error_set(err, RTA_EINVAL, "bad-call",
		    "status %d is not an error", status);
	n = snprintf(body, sizeof(body), "{\"error\":\"%s\",\"status\":%d}\n",
	    rta_http_reason(status), status);
	return rta_http_respond(c, status, "application/json", body,
	    (size_t)n, NULL, 0, err);
}
