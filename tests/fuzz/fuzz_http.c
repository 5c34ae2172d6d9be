/*
 * fuzz_http.c: the HTTP server connection on hostile bytes.
 *
 * The first input byte picks the limits (bit 4: small ones, so that every
 * limit is within reach) and how the rest arrives: in reads of 1 to 15
 * bytes (low four bits), or all at once (0).  The rest is served as one
 * connection through the module's io hook until RTA_EOF or a failure,
 * answering each request (200 with a fixed body) or failure
 * (rta_http_error), twice: in the chosen pieces and all at once.  Both
 * runs must read the same requests and write the same bytes, since how
 * bytes are split by the network must not change what they mean.  Every
 * request must be sane (a normalized path with no "..", no control byte
 * in the path, target, names or values, a body inside the limits), and
 * every answer may hold only the module's own header fields, never a
 * byte of the request.  Input starting "RTA-CANARY" is the planted
 * over-read every target carries (canary.h).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_http.h"

#include "canary.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t	*in_data;
static size_t		 in_size;

static void
fail(const char *what)
{
	size_t i;

	fprintf(stderr, "fuzz_http: %s\nbytes:", what);
	for (i = 0; i < in_size && i < 256; i++)
		fprintf(stderr, " %02x", in_data[i]);
	fprintf(stderr, "%s\n", in_size > 256 ? " ..." : "");
	abort();
}

struct feed {
	const uint8_t	*p;
	size_t		 len, pos, step;
	struct rta_buf	 out;
};

static ssize_t
feed_read(void *arg, void *p, size_t n)
{
	struct feed *f = arg;

	if (f->step > 0 && n > f->step)
		n = f->step;
	if (n > f->len - f->pos)
		n = f->len - f->pos;
	if (n > 0)
		memcpy(p, f->p + f->pos, n);
	f->pos += n;
	return (ssize_t)n;
}

static ssize_t
feed_write(void *arg, const void *p, size_t n)
{
	struct feed *f = arg;

	if (rta_buf_add(&f->out, p, n) != 0) {
		errno = ENOMEM;
		return -1;
	}
	return (ssize_t)n;
}

static int
clean(const char *s)
{
	for (; *s != '\0'; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
			return 0;
	return 1;
}

/* Drop the interim 100 answers: they depend on whether the body had
 * arrived with the header fields. */
static void
drop_continue(struct rta_buf *b)
{
	static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";
	size_t i = 0, o = 0, n = sizeof(cont) - 1;

	while (i < b->len) {
		if (b->len - i >= n && memcmp(b->data + i, cont, n) == 0) {
			i += n;
			continue;
		}
		b->data[o++] = b->data[i++];
	}
	b->len = o;
}

static void
check_path(const char *p)
{
	if (p[0] != '/')
		fail("path does not start with /");
	if (strstr(p, "//") != NULL || strstr(p, "/./") != NULL ||
	    strstr(p, "/../") != NULL)
		fail("path not normalized");
	if (strcmp(p, "/.") == 0 || strcmp(p, "/..") == 0 ||
	    (strlen(p) >= 3 && strcmp(p + strlen(p) - 3, "/..") == 0) ||
	    (strlen(p) >= 2 && strcmp(p + strlen(p) - 2, "/.") == 0))
		fail("path ends in a dot segment");
	if (strlen(p) > 1 && p[strlen(p) - 1] == '/')
		fail("path ends in /");
	for (; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			fail("control byte in the path");
}

/* Record the request in t and check what the module promises. */
static void
note_request(const struct rta_http_request *req,
    const struct rta_http_limits *lim, struct rta_buf *t)
{
	struct rta_buf n = RTA_BUF_INIT, v = RTA_BUF_INIT;
	size_t i, pos = 0, pairs = 0;
	int rc;

	if (req->method < RTA_HTTP_GET || req->method > RTA_HTTP_POST ||
	    (req->version != 10 && req->version != 11))
		fail("bad method or version");
	check_path(req->path);
	if (req->target[0] != '/' || !clean(req->target) ||
	    strlen(req->target) > lim->line_max)
		fail("bad target");
	if (strlen(req->query) != req->query_len)
		fail("query length");
	if (req->body_len > lim->body_max || req->nheaders >
	    lim->headers_max)
		fail("over a limit");
	rta_buf_printf(t, "%s %s %s?%s %d %d %zu %zu\n", req->method_name,
	    req->target, req->path, req->query, req->version,
	    req->keep_alive, req->nheaders, req->body_len);
	for (i = 0; i < req->nheaders; i++) {
		if (req->headers[i].name[0] == '\0' ||
		    !clean(req->headers[i].name) ||
		    !clean(req->headers[i].value))
			fail("bad header field");
		rta_buf_printf(t, "%s=%s\n", req->headers[i].name,
		    req->headers[i].value);
	}
	rta_buf_add(t, req->body, req->body_len);
	while ((rc = rta_http_query_next(req, &pos, &n, &v)) == 1) {
		if (strlen((char *)n.data) != n.len ||
		    strlen((char *)v.data) != v.len)
			fail("NUL in a query parameter");
		if (rta_http_query_param(req, (char *)n.data, &v) != 1)
			fail("a parameter walked is not found");
		if (++pairs > req->query_len)
			fail("more parameters than bytes");
	}
	if (rc != 0)
		fail("query walk failed");
	rta_buf_release(&n);
	rta_buf_release(&v);
}

/* Every header field of every answer is one the module writes. */
static void
check_output(const struct rta_buf *o)
{
	const char *p = (const char *)o->data, *end, *e;
	size_t cl;
	int nobody;

	if (o->len == 0)
		return;
	end = p + o->len;
	while (p < end) {
		if ((size_t)(end - p) < 13 || memcmp(p, "HTTP/1.1 ", 9) != 0)
			fail("answer does not start with a status line");
		nobody = memcmp(p + 9, "204", 3) == 0;
		if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
			fail("unterminated status line");
		p = e + 1;
		cl = 0;
		for (;;) {
			if ((e = memchr(p, '\n', (size_t)(end - p))) == NULL)
				fail("unterminated header");
			if (e - p == 1)
				break;
			if (strncmp(p, "Content-Length: ", 16) == 0)
				cl = strtoul(p + 16, NULL, 10);
			else if (strncmp(p, "Content-Type: application/json\r",
			    31) != 0 && strncmp(p, "Content-Type: text/plain\r",
			    25) != 0 && strncmp(p, "Connection: close\r", 18) !=
			    0 && strncmp(p, "Connection: keep-alive\r", 23) !=
			    0)
				fail("an answer holds a foreign header field");
			p = e + 1;
		}
		p = e + 1;
		/* a HEAD answer has no body: skip only what is there */
		if (!nobody && (size_t)(end - p) >= cl &&
		    ((size_t)(end - p) == cl || ((size_t)(end - p) - cl >= 9 &&
		    memcmp(p + cl, "HTTP/1.1 ", 9) == 0)))
			p += cl;
	}
}

static void
serve(const uint8_t *data, size_t size, size_t step,
    const struct rta_http_limits *lim, struct rta_buf *t, struct feed *f)
{
	struct rta_http_conn c;
	struct rta_http_request req;
	struct rta_http_io io;
	struct rta_error err;
	int rc, n = 0;

	f->p = data;
	f->len = size;
	f->pos = 0;
	f->step = step;
	rta_buf_init(&f->out);
	io.read = feed_read;
	io.write = feed_write;
	io.arg = f;
	if (rta_http_conn_init(&c, -1, -1, lim, &err) != RTA_OK)
		fail("conn_init");
	c.io = &io;
	c.date = 0;
	while ((rc = rta_http_read(&c, &req, &err)) == RTA_OK) {
		note_request(&req, lim, t);
		if (rta_http_respond(&c, n % 3 == 2 ? 204 : 200,
		    "text/plain", "ok\n", 3, NULL, 0, &err) != RTA_OK)
			fail("respond failed");
		if (++n > 100000)
			fail("endless requests");
	}
	rta_buf_printf(t, "end %d %d %s\n", rc, c.status,
	    err.reason != NULL ? err.reason : "-");
	if (rc == RTA_EDATA || rc == RTA_ELIMIT) {
		if (c.status < 400 || c.status > 505)
			fail("failure without a status");
		if (rta_http_error(&c, c.status, &err) != RTA_OK)
			fail("error answer failed");
	} else if (rc != RTA_EOF)
		fail("unexpected code");
	if (rta_http_read(&c, &req, &err) != RTA_EOF)
		fail("read after the end");
	rta_http_conn_release(&c);
	check_output(&f->out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rta_http_limits lim;
	struct rta_buf t1 = RTA_BUF_INIT, t2 = RTA_BUF_INIT;
	struct feed f1, f2;

	if (canary(data, size))
		return 0;
	if (size < 1)
		return 0;
	in_data = data;
	in_size = size;
	rta_http_limits_init(&lim);
	if (data[0] & 0x10) {
		lim.line_max = 64;
		lim.header_max = 128;
		lim.headers_max = 4;
		lim.body_max = 32;
	}
	serve(data + 1, size - 1, data[0] & 0x0f, &lim, &t1, &f1);
	serve(data + 1, size - 1, 0, &lim, &t2, &f2);
	drop_continue(&f1.out);
	drop_continue(&f2.out);
	if (t1.len != t2.len || (t1.len > 0 && memcmp(t1.data, t2.data,
	    t1.len) != 0))
		fail("requests differ with how the bytes arrive");
	if (f1.out.len != f2.out.len || (f1.out.len > 0 &&
	    memcmp(f1.out.data, f2.out.data, f1.out.len) != 0))
		fail("answers differ with how the bytes arrive");
	rta_buf_release(&t1);
	rta_buf_release(&t2);
	rta_buf_release(&f1.out);
	rta_buf_release(&f2.out);
	return 0;
}
