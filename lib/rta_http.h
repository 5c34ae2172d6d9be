/*
 * rta_http.h: a hardened HTTP/1.1 server connection on two file
 * descriptors (rta-query --http behind `socat ... EXEC:`).
 *
 * One connection per process: requests are read from the input
 * descriptor one at a time (keep-alive and pipelining included) and each
 * is answered on the output descriptor before the next is read.  Routing
 * is the caller's; this module only speaks the protocol:
 *
 *	while ((rc = rta_http_read(&c, &req, &err)) == RTA_OK)
 *		route(&c, &req);	(ends with rta_http_respond or _error)
 *	if (c.status != 0)
 *		rta_http_error(&c, c.status);
 *
 * What a request may be, and what it is answered when it is not:
 *   - Request line `METHOD SP /origin-form SP HTTP/1.x CRLF`, exactly
 *     one space each; lines end in CRLF, and a bare LF or CR is 400.
 *     Empty lines before a request line are skipped (RFC 9112 2.2).
 *   - Methods GET, HEAD and POST (case-sensitive); any other token is
 *     501.  HTTP/1.0 and 1.1 (another 1.x reads as 1.1); another major
 *     version is 505.  An absolute-form or "*" target is 400.
 *   - The path is percent-decoded, then split at "/": empty and "."
 *     segments are dropped, and a ".." segment, a bad escape or a
 *     decoded control byte (NUL included) is 400.  So %2F separates
 *     segments like "/" does.  The query must decode cleanly too.
 *   - Header fields are `name: value`; a name that is not a token, a
 *     space before the colon, a control byte in a value (other than
 *     HTAB) or a folded line (obs-fold) is 400.  HTTP/1.1 needs exactly
 *     one Host (400 otherwise).
 *   - Content-Length is plain digits; two that differ, or one beside
 *     Transfer-Encoding, is 400 (request smuggling); over body_max is
 *     413 before any of the body is read.  Transfer-Encoding alone is
 *     501: chunked bodies are not supported.  "Expect: 100-continue"
 *     is answered with 100 before the body is read.
 *   - Limits: a request line over line_max is 414; header fields over
 *     header_max bytes or headers_max lines are 431; a request whose
 *     bytes have not all arrived request_ms after its first byte is 408.
 *     A connection idle for idle_ms between requests is closed without
 *     an answer (RTA_EOF), as is one closed by the client there; one
 *     closed in the middle of a request is 400.
 * Every answer to a bad request is sent as soon as the offending byte
 * has arrived, never after a timeout, and closes the connection.
 *
 * Memory is bounded by the limits: one input buffer of line_max +
 * header_max + body_max + 4 bytes and a header table of headers_max
 * entries, both allocated by rta_http_conn_init; no length read from a
 * request is ever allocated.  Responses are built in a growable buffer
 * from what the caller hands over, and written under a deadline
 * (write_ms) in pieces of PIPE_BUF so that a client that stops reading
 * cannot hold the process for ever.
 */
#ifndef RTA_HTTP_H
#define RTA_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "rta_buf.h"
#include "rta_err.h"

struct rta_http_limits {
	size_t	line_max;	/* request line, CRLF not counted: 8 KiB */
	size_t	header_max;	/* all field lines with their CRLFs: 16 KiB */
	size_t	headers_max;	/* field lines: 64 */
	size_t	body_max;	/* Content-Length: 64 KiB */
	int	idle_ms;	/* wait for a request to start: 5 s */
	int	request_ms;	/* first byte to last of a request: 10 s */
	int	write_ms;	/* a whole response taken by the client: 10 s */
};

/* A header field: NUL-terminated name and value. */
struct rta_http_header {
	const char	*name;
	const char	*value;
};

enum rta_http_method {
	RTA_HTTP_GET = 1,
	RTA_HTTP_HEAD,
	RTA_HTTP_POST
};

/*
 * A request, borrowed from the connection: every pointer is valid until
 * the next rta_http_read or rta_http_conn_release.  Strings are
 * NUL-terminated and hold no NUL.
 */
struct rta_http_request {
	int				 method;	/* rta_http_method */
	const char			*method_name;	/* "GET" */
	const char			*target;	/* raw: "/a%20b?x=1" */
	const char			*path;		/* decoded: "/a b" */
	const char			*query;		/* raw, no '?'; "" */
	size_t				 query_len;
	int				 version;	/* 10 or 11 */
	int				 keep_alive;	/* RFC 9112 9.3 */
	const struct rta_http_header	*headers;	/* in arrival order */
	size_t				 nheaders;
	const unsigned char		*body;		/* Content-Length */
	size_t				 body_len;
};

/*
 * Test hook: when set, reads and writes go through these instead of
 * poll(2), read(2) and write(2), and no deadline applies.  read returns
 * a byte count, 0 at end of input or -1 with errno; write the bytes it
 * took (at least one) or -1 with errno.
 */
struct rta_http_io {
	ssize_t	(*read)(void *arg, void *p, size_t n);
	ssize_t	(*write)(void *arg, const void *p, size_t n);
	void	*arg;
};

struct rta_http_conn {
	int			 in, out;	/* descriptors, not owned */
	struct rta_http_limits	 lim;
	const struct rta_http_io *io;		/* NULL: the descriptors */
	int			 date;		/* send Date (1 after init) */
	int			 status;	/* to answer a failed read */
	/* private */
	unsigned char		*buf;		/* input, cap bytes */
	size_t			 cap, len;
	size_t			 next;		/* the next request's start */
	struct rta_http_header	*hdr;		/* lim.headers_max entries */
	char			*path;		/* lim.line_max + 1 bytes */
	struct rta_buf		 obuf;		/* the response being sent */
	int			 pending;	/* a request awaits answer */
	int			 head;		/* answering a HEAD */
	int			 keep_alive;	/* of the request answered */
	int			 version;
	int			 closing;	/* no more requests */
	int			 eof;		/* the input has ended */
	int			 sock;		/* out is a socket */
};

/* The defaults above. */
void	rta_http_limits_init(struct rta_http_limits *lim);

/*
 * Set up c to serve descriptors in and out (not owned: never closed
 * here) under lim (NULL: the defaults).  RTA_OK; RTA_EINVAL when a
 * limit is zero or negative, or a size over SIZE_MAX / 4; RTA_ENOMEM.  On
 * failure c holds nothing and may be released.
 */
int	rta_http_conn_init(struct rta_http_conn *c, int in, int out,
	    const struct rta_http_limits *lim, struct rta_error *err);
/* Free what c holds; accepts NULL and a released or failed conn. */
void	rta_http_conn_release(struct rta_http_conn *c);

/*
 * Read the next request into req.
 *   RTA_OK	a request, which the caller must answer (rta_http_respond
 *		or rta_http_error) before reading the next one;
 *   RTA_EOF	no more requests: the client closed or stayed idle between
 *		requests, or the last answer closed the connection;
 *   RTA_EDATA	a malformed request (400, 501, 505), and
 *   RTA_ELIMIT	a limit hit (408, 413, 414, 431): c->status holds the
 *		status to answer with rta_http_error;
 *   RTA_EIO	the input failed (c->status 0: nobody to answer).
 * err (may be NULL) says why, with a reason token ("http-syntax",
 * "http-method", "http-version", "http-transfer-encoding",
 * "http-line-long", "http-headers-big", "http-body-big", "http-timeout",
 * "http-truncated", "io").  After any failure the connection is done:
 * the answer closes it, and reading again gives RTA_EOF.
 */
int	rta_http_read(struct rta_http_conn *c, struct rta_http_request *req,
	    struct rta_error *err);

/*
 * The first value of header name (compared case-insensitively), or
 * NULL; borrowed like req.
 */
const char *rta_http_header(const struct rta_http_request *req,
	    const char *name);

/*
 * Query parameters, percent-decoded with '+' as a space.
 * rta_http_query_param puts the value of the first parameter called name
 * into value (replacing what it held; a NUL follows, not counted) and
 * returns 1, or returns 0 when there is none ("a" and "a=" both have the
 * empty value).  rta_http_query_next walks all of them from *pos (0 at
 * the start): 1 with the next name and value, 0 at the end.  Both return
 * -1 (errno ENOMEM) when a buffer cannot grow.  The query was checked by
 * rta_http_read, so decoding cannot fail.
 */
int	rta_http_query_param(const struct rta_http_request *req,
	    const char *name, struct rta_buf *value);
int	rta_http_query_next(const struct rta_http_request *req, size_t *pos,
	    struct rta_buf *name, struct rta_buf *value);
/* 1 when two parameters have the same (decoded) name, else 0: a server
 * that reads the first of each refuses such a query rather than let a
 * check and a use see different values. */
int	rta_http_query_repeated(const struct rta_http_request *req);

/*
 * Answer the request last read: status (200..599), Content-Type
 * content_type (NULL: none), len bytes of body, and nextra more header
 * fields from the caller.  Content-Length is always sent, Connection:
 * close when the connection is to end (the client asked, HTTP/1.0
 * without keep-alive, or the read failed), and Date when c->date is set
 * (the time rta_now gives: RTA_NOW pins it for tests).
 * A HEAD request, 204 and 304 get the header fields only.  Nothing of the
 * request is ever copied into the header; a content type or extra field
 * holding a control byte (or a name that is not a token) is refused with
 * RTA_EINVAL before anything is written.  RTA_OK; RTA_EIO when the
 * write fails or write_ms passes (the connection then ends); RTA_ENOMEM.
 */
int	rta_http_respond(struct rta_http_conn *c, int status,
	    const char *content_type, const void *body, size_t len,
	    const struct rta_http_header *extra, size_t nextra,
	    struct rta_error *err);

/*
 * Answer status (400..599) with a JSON body
 * {"error":"<reason phrase>","status":N}; the phrase is fixed per status,
 * never taken from the request.  It closes the connection after a failed
 * read, and otherwise keeps it open as rta_http_respond does.  Allocates
 * nothing, so it can answer 500 after RTA_ENOMEM.  Returns as
 * rta_http_respond.
 */
int	rta_http_error(struct rta_http_conn *c, int status,
	    struct rta_error *err);

/* The reason phrase of status ("Not Found"), or "" when it has none. */
const char *rta_http_reason(int status);

#endif
