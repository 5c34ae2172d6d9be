/*
 * check_rta_http.c: the HTTP server connection driven over a socketpair:
 * requests written raw by the test, answers read back byte for byte.
 *
 * Each test holds one end of a socketpair (cli) and serves the other
 * through a struct rta_http_conn in the same process; everything a test
 * sends fits in the socket buffer, so the server never waits for the
 * test.  Where the client must act while the server waits (a trickle, a
 * 100-continue, a big answer) a forked child plays the client.  Timing
 * checks use generous bounds around the configured limits, since the
 * machine may be loaded: they prove a deadline is applied and is not the
 * wrong one, not its precision.
 */
#include <check.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_http.h"

#include "unit.h"

static struct rta_http_conn c;
static struct rta_http_request req;
static struct rta_error err;
static int cli = -1, srv = -1;

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Serve a fresh socketpair under lim (NULL: defaults), without Date. */
static void
serve(const struct rta_http_limits *lim)
{
	int sv[2];

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	cli = sv[0];
	srv = sv[1];
	ck_assert_int_eq(rta_http_conn_init(&c, srv, srv, lim, &err), RTA_OK);
	c.date = 0;
}

/* A new connection on the same socketpair. */
static void
serve_again(const struct rta_http_limits *lim)
{
	ck_assert_int_eq(rta_http_conn_init(&c, srv, srv, lim, &err), RTA_OK);
	c.date = 0;
}

static void
setup(void)
{
	signal(SIGPIPE, SIG_IGN);
	serve(NULL);
}

static void
teardown(void)
{
	rta_http_conn_release(&c);
	ck_assert_ptr_null(c.buf);
	ck_assert_ptr_null(c.hdr);
	ck_assert_ptr_null(c.path);
	ck_assert_ptr_null(c.obuf.data);
	if (cli >= 0)
		close(cli);
	if (srv >= 0)
		close(srv);
	cli = srv = -1;
}

static void
send_raw(const void *p, size_t n)
{
	const char *b = p;
	ssize_t w;

	while (n > 0) {
		w = write(cli, b, n);
		ck_assert_int_gt(w, 0);
		b += w;
		n -= (size_t)w;
	}
}

static void
send_str(const char *s)
{
	send_raw(s, strlen(s));
}

/* Everything the server has written so far, as a C string in b. */
static void
recv_all(struct rta_buf *b)
{
	struct pollfd pfd = { .fd = cli, .events = POLLIN };
	char tmp[4096];
	ssize_t n;

	rta_buf_reset(b);
	while (poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN)) {
		n = read(cli, tmp, sizeof(tmp));
		if (n <= 0)
			break;
		ck_assert_int_eq(rta_buf_add(b, tmp, (size_t)n), 0);
	}
	ck_assert_int_eq(rta_buf_addc(b, '\0'), 0);
	b->len--;
}

static void
expect_response(const char *want)
{
	struct rta_buf b = RTA_BUF_INIT;

	recv_all(&b);
	ck_assert_str_eq((char *)b.data, want);
	rta_buf_release(&b);
}

static int
read_req(void)
{
	return rta_http_read(&c, &req, &err);
}

/* ---- requests ------------------------------------------------------------ */

START_TEST(simple_get)
{
	send_str("GET /v1/datasets HTTP/1.1\r\nHost: localhost:8080\r\n"
	    "User-Agent:  curl/8  \r\nAccept: */*\r\n\r\n");
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_int_eq(req.method, RTA_HTTP_GET);
	ck_assert_str_eq(req.method_name, "GET");
	ck_assert_str_eq(req.target, "/v1/datasets");
	ck_assert_str_eq(req.path, "/v1/datasets");
	ck_assert_str_eq(req.query, "");
	ck_assert_uint_eq(req.query_len, 0);
	ck_assert_int_eq(req.version, 11);
	ck_assert_int_eq(req.keep_alive, 1);
	ck_assert_uint_eq(req.nheaders, 3);
	ck_assert_str_eq(req.headers[0].name, "Host");
	ck_assert_str_eq(rta_http_header(&req, "host"), "localhost:8080");
	ck_assert_str_eq(rta_http_header(&req, "USER-AGENT"), "curl/8");
	ck_assert_ptr_null(rta_http_header(&req, "Cookie"));
	ck_assert_uint_eq(req.body_len, 0);
	ck_assert_int_eq(rta_http_respond(&c, 200, "application/json", "[]",
	    2, NULL, 0, &err), RTA_OK);
	expect_response("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
	    "Content-Length: 2\r\n\r\n[]");
	/* the client goes away: a clean end */
	shutdown(cli, SHUT_WR);
	ck_assert_int_eq(read_req(), RTA_EOF);
}
END_TEST

START_TEST(query_decoding)
{
	struct rta_buf n = RTA_BUF_INIT, v = RTA_BUF_INIT;
	static const char *const want[][2] = {
		{ "from", "2024-01-01T00:00Z" }, { "where", "a = 1&b" },
		{ "flag", "" }, { "empty", "" }, { "x", "1" }, { "x", "2" },
		{ "name", "caf\xc3\xa9 +" }
	};
	size_t pos = 0, i = 0;

	send_str("GET /v1/query?from=2024-01-01T00%3a00Z&where=a+%3D+1%26b&"
	    "&flag&empty=&x=1&x=2&na%6De=caf%C3%A9+%2B HTTP/1.1\r\n"
	    "Host: x\r\n\r\n");
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_str_eq(req.path, "/v1/query");
	ck_assert_str_eq(req.query, "from=2024-01-01T00%3a00Z&where=a+%3D+1"
	    "%26b&&flag&empty=&x=1&x=2&na%6De=caf%C3%A9+%2B");
	ck_assert_uint_eq(req.query_len, strlen(req.query));
	ck_assert_int_eq(rta_http_query_param(&req, "where", &v), 1);
	ck_assert_str_eq((char *)v.data, "a = 1&b");
	ck_assert_uint_eq(v.len, 7);
	ck_assert_int_eq(rta_http_query_param(&req, "flag", &v), 1);
	ck_assert_uint_eq(v.len, 0);
	ck_assert_str_eq((char *)v.data, "");
	ck_assert_int_eq(rta_http_query_param(&req, "x", &v), 1);
	ck_assert_str_eq((char *)v.data, "1");
	ck_assert_int_eq(rta_http_query_param(&req, "name", &v), 1);
	ck_assert_str_eq((char *)v.data, "caf\xc3\xa9 +");
	ck_assert_int_eq(rta_http_query_param(&req, "fla", &v), 0);
	ck_assert_int_eq(rta_http_query_param(&req, "flagg", &v), 0);
	ck_assert_int_eq(rta_http_query_param(&req, "", &v), 0);
	ck_assert_int_eq(rta_http_query_repeated(&req), 1);	/* x, x */
	while (rta_http_query_next(&req, &pos, &n, &v) == 1) {
		ck_assert_uint_lt(i, sizeof(want) / sizeof(want[0]));
		ck_assert_str_eq((char *)n.data, want[i][0]);
		ck_assert_str_eq((char *)v.data, want[i][1]);
		i++;
	}
	ck_assert_uint_eq(i, sizeof(want) / sizeof(want[0]));
	ck_assert_int_eq(rta_http_query_next(&req, &pos, &n, &v), 0);
	rta_buf_release(&n);
	rta_buf_release(&v);
}
END_TEST

/* Names compared decoded: "n%61me" is "name"; names that only share a
 * prefix, or a value, are not repeats. */
START_TEST(query_repeated)
{
	static const char *const cases[][2] = {
		{ "a=1&b=2&c=3", "0" }, { "a=1&b=2&a=3", "1" },
		{ "name=x&n%61me=y", "1" }, { "ab=1&a=1&b=1", "0" },
		{ "a=b&b=a", "0" }, { "a&&a=", "1" }, { "a+b=1&a%20b=2", "1" },
		{ "", "0" }, { "x=1", "0" },
	};
	char line[200];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(line, sizeof(line), "GET /v1/query?%s HTTP/1.1\r\n"
		    "Host: x\r\n\r\n", cases[i][0]);
		send_str(line);
		ck_assert_int_eq(read_req(), RTA_OK);
		ck_assert_msg(rta_http_query_repeated(&req) ==
		    cases[i][1][0] - '0', "'%s'", cases[i][0]);
	}
}
END_TEST

START_TEST(path_normalized)
{
	static const char *const cases[][2] = {
		{ "/", "/" }, { "/./", "/" }, { "//", "/" },
		{ "/a//b/./c/", "/a/b/c" }, { "/%7Euser/%20x", "/~user/ x" },
		{ "/a%2Fb", "/a/b" }, { "/.a/..b/b..", "/.a/..b/b.." },
		{ "/%2e", "/" }, { "/caf%c3%a9?q", "/caf\xc3\xa9" },
		{ "/a?b/../c", "/a" }
	};
	char line[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(line, sizeof(line), "GET %s HTTP/1.1\r\nHost: x\r\n"
		    "\r\n", cases[i][0]);
		send_str(line);
		ck_assert_int_eq(read_req(), RTA_OK);
		ck_assert_str_eq(req.target, cases[i][0]);
		ck_assert_str_eq(req.path, cases[i][1]);
		ck_assert_int_eq(rta_http_respond(&c, 204, NULL, NULL, 0,
		    NULL, 0, &err), RTA_OK);
		expect_response("HTTP/1.1 204 No Content\r\n\r\n");
	}
}
END_TEST

START_TEST(keep_alive_pipelined)
{
	/* two requests in one write, and a blank line before the second */
	send_str("GET /a HTTP/1.1\r\nHost: x\r\n\r\n"
	    "\r\nPOST /b?k=v HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n"
	    "hello");
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_str_eq(req.path, "/a");
	ck_assert_int_eq(req.keep_alive, 1);
	ck_assert_int_eq(rta_http_respond(&c, 200, "text/plain", "one", 3,
	    NULL, 0, &err), RTA_OK);
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_int_eq(req.method, RTA_HTTP_POST);
	ck_assert_str_eq(req.path, "/b");
	ck_assert_str_eq(req.query, "k=v");
	ck_assert_uint_eq(req.body_len, 5);
	ck_assert_mem_eq(req.body, "hello", 5);
	ck_assert_int_eq(rta_http_respond(&c, 200, "text/plain", "two", 3,
	    NULL, 0, &err), RTA_OK);
	expect_response("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
	    "Content-Length: 3\r\n\r\none"
	    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
	    "Content-Length: 3\r\n\r\ntwo");
	/* the third request arrives later, in two pieces */
	send_str("GET /c HTTP/1.1\r\nHo");
	send_str("st: x\r\nConnection: close\r\n\r\nGET /d HTTP/1.1\r\n");
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_str_eq(req.path, "/c");
	ck_assert_int_eq(req.keep_alive, 0);
	ck_assert_int_eq(rta_http_respond(&c, 200, NULL, "3", 1, NULL, 0,
	    &err), RTA_OK);
	expect_response("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n"
	    "Connection: close\r\n\r\n3");
	/* closed by that answer: what follows is not read */
	ck_assert_int_eq(read_req(), RTA_EOF);
}
END_TEST

START_TEST(http10)
{
	send_str("GET /old HTTP/1.0\r\n\r\n");
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_int_eq(req.version, 10);
	ck_assert_int_eq(req.keep_alive, 0);
	ck_assert_int_eq(rta_http_respond(&c, 404, NULL, NULL, 0, NULL, 0,
	    &err), RTA_OK);
	expect_response("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
	    "Connection: close\r\n\r\n");
	send_str("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
	ck_assert_int_eq(read_req(), RTA_EOF);
}
END_TEST

START_TEST(http10_keep_alive)
{
	send_str("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"
	    "GET / HTTP/1.0\r\nconnection: foo, keep-alive , close\r\n\r\n");
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_int_eq(req.keep_alive, 1);
	ck_assert_int_eq(rta_http_respond(&c, 200, NULL, "a", 1, NULL, 0,
	    &err), RTA_OK);
	expect_response("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n"
	    "Connection: keep-alive\r\n\r\na");
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_int_eq(req.keep_alive, 0);
	rta_http_respond(&c, 200, NULL, NULL, 0, NULL, 0, &err);
}
END_TEST

START_TEST(http19_reads_as_11)
{
	send_str("GET / HTTP/1.9\r\nHost: x\r\n\r\n");
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_int_eq(req.version, 11);
	ck_assert_int_eq(req.keep_alive, 1);
}
END_TEST

START_TEST(head_no_body)
{
	send_str("HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
	    "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_int_eq(req.method, RTA_HTTP_HEAD);
	ck_assert_int_eq(rta_http_respond(&c, 200, "text/plain", "ok\n", 3,
	    NULL, 0, &err), RTA_OK);
	expect_response("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
	    "Content-Length: 3\r\n\r\n");
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_int_eq(req.method, RTA_HTTP_GET);
	ck_assert_int_eq(rta_http_respond(&c, 200, "text/plain", "ok\n", 3,
	    NULL, 0, &err), RTA_OK);
	expect_response("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
	    "Content-Length: 3\r\n\r\nok\n");
}
END_TEST

/* No Content-Length and no Transfer-Encoding: an empty body. */
START_TEST(post_without_length)
{
	send_str("POST /p HTTP/1.1\r\nHost: x\r\n\r\nGET /q HTTP/1.1\r\n"
	    "Host: x\r\n\r\n");
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_int_eq(req.method, RTA_HTTP_POST);
	ck_assert_uint_eq(req.body_len, 0);
	rta_http_respond(&c, 200, NULL, NULL, 0, NULL, 0, &err);
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_str_eq(req.path, "/q");
}
END_TEST

/* Empty lines and then the end: a clean close, not a bad request. */
START_TEST(blank_lines_then_eof)
{
	send_str("\r\n\r\n");
	shutdown(cli, SHUT_WR);
	ck_assert_int_eq(read_req(), RTA_EOF);
	ck_assert_int_eq(c.status, 0);
}
END_TEST

START_TEST(duplicate_same_length)
{
	send_str("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
	    "Content-Length: 003\r\n\r\nabc");
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_uint_eq(req.body_len, 3);
	ck_assert_mem_eq(req.body, "abc", 3);
}
END_TEST

START_TEST(body_at_limit)
{
	char *body = malloc(65536), head[128];

	ck_assert_ptr_nonnull(body);
	memset(body, 'b', 65536);
	snprintf(head, sizeof(head), "POST /x HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: 65536\r\n\r\n");
	send_str(head);
	send_raw(body, 65536);
	send_str("GET /y HTTP/1.1\r\nHost: x\r\n\r\n");
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_uint_eq(req.body_len, 65536);
	ck_assert_mem_eq(req.body, body, 65536);
	rta_http_respond(&c, 200, NULL, NULL, 0, NULL, 0, &err);
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_str_eq(req.path, "/y");
	free(body);
}
END_TEST

/* The client waits for 100 Continue before it sends the body. */
START_TEST(expect_continue)
{
	char got[64];
	size_t n = 0;
	ssize_t r;
	pid_t pid;
	int st;

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		static const char want[] = "HTTP/1.1 100 Continue\r\n\r\n";

		send_str("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue"
		    "\r\nContent-Length: 4\r\n\r\n");
		while (n < sizeof(want) - 1 && (r = read(cli, got + n,
		    sizeof(want) - 1 - n)) > 0)
			n += (size_t)r;
		if (n != sizeof(want) - 1 || memcmp(got, want, n) != 0)
			_exit(1);
		send_str("body");
		_exit(0);
	}
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_uint_eq(req.body_len, 4);
	ck_assert_mem_eq(req.body, "body", 4);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}
END_TEST

/* ---- bad requests -------------------------------------------------------- */

struct bad {
	const char	*name;
	const char	*req;
	size_t		 len;		/* 0: strlen */
	int		 status;
	const char	*reason;
};

#define H	"Host: x\r\n"
static const struct bad bads[] = {
	{ "unknown method", "PUT / HTTP/1.1\r\n" H "\r\n", 0, 501,
	    "http-method" },
	{ "lower-case method", "get / HTTP/1.1\r\n" H "\r\n", 0, 501,
	    "http-method" },
	{ "bad method token", "G(T / HTTP/1.1\r\n" H "\r\n", 0, 400,
	    "http-syntax" },
	{ "bad version", "GET / HTTP/2.0\r\n" H "\r\n", 0, 505,
	    "http-version" },
	{ "version 0.9", "GET / HTTP/0.9\r\n\r\n", 0, 505, "http-version" },
	{ "garbled version", "GET / HTTP/1.1x\r\n" H "\r\n", 0, 400,
	    "http-syntax" },
	{ "no version", "GET /\r\n\r\n", 0, 400, "http-syntax" },
	{ "two spaces", "GET  / HTTP/1.1\r\n" H "\r\n", 0, 400,
	    "http-syntax" },
	{ "missing Host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 0, 400,
	    "http-syntax" },
	{ "two Hosts", "GET / HTTP/1.1\r\n" H H "\r\n", 0, 400,
	    "http-syntax" },
	{ "obs-fold", "GET / HTTP/1.1\r\n" H "X-A: a\r\n b\r\n\r\n", 0, 400,
	    "http-syntax" },
	{ "space before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 0,
	    400, "http-syntax" },
	{ "no colon", "GET / HTTP/1.1\r\n" H "Junk\r\n\r\n", 0, 400,
	    "http-syntax" },
	{ "control byte in a value", "GET / HTTP/1.1\r\n" H
	    "X-A: a\x01b\r\n\r\n", 0, 400, "http-syntax" },
	{ "bare LF", "GET / HTTP/1.1\n" H "\n", 0, 400, "http-syntax" },
	{ "bare CR", "GET / HTTP/1.1\r\n" H "X-A: a\rb\r\n\r\n", 0, 400,
	    "http-syntax" },
	{ "CL and TE", "POST / HTTP/1.1\r\n" H "Content-Length: 3\r\n"
	    "Transfer-Encoding: chunked\r\n\r\nabc", 0, 400, "http-syntax" },
	{ "TE and CL", "POST / HTTP/1.1\r\n" H "Transfer-Encoding: chunked"
	    "\r\nContent-Length: 3\r\n\r\nabc", 0, 400, "http-syntax" },
	{ "chunked", "POST / HTTP/1.1\r\n" H "Transfer-Encoding: chunked"
	    "\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 0, 501,
	    "http-transfer-encoding" },
	{ "two lengths", "POST / HTTP/1.1\r\n" H "Content-Length: 3\r\n"
	    "Content-Length: 4\r\n\r\nabcd", 0, 400, "http-syntax" },
	{ "length list", "POST / HTTP/1.1\r\n" H "Content-Length: 3, 3\r\n"
	    "\r\nabc", 0, 400, "http-syntax" },
	{ "signed length", "POST / HTTP/1.1\r\n" H "Content-Length: +3\r\n"
	    "\r\nabc", 0, 400, "http-syntax" },
	{ "huge length", "POST / HTTP/1.1\r\n" H "Content-Length: "
	    "99999999999999999999999999999\r\n\r\n", 0, 413, "http-body-big" },
	{ "length over the limit", "POST / HTTP/1.1\r\n" H
	    "Content-Length: 65537\r\n\r\n", 0, 413, "http-body-big" },
	{ "bad escape", "GET /a%2 HTTP/1.1\r\n" H "\r\n", 0, 400,
	    "http-syntax" },
	{ "bad hex", "GET /a%zz HTTP/1.1\r\n" H "\r\n", 0, 400,
	    "http-syntax" },
	{ "bad query escape", "GET /a?x=%G1 HTTP/1.1\r\n" H "\r\n", 0, 400,
	    "http-syntax" },
	{ "NUL in the query", "GET /a?x=%00 HTTP/1.1\r\n" H "\r\n", 0, 400,
	    "http-syntax" },
	{ "dot-dot", "GET /a/../etc/passwd HTTP/1.1\r\n" H "\r\n", 0, 400,
	    "http-syntax" },
	{ "encoded dot-dot", "GET /%2e%2E/x HTTP/1.1\r\n" H "\r\n", 0, 400,
	    "http-syntax" },
	{ "dot-dot slash", "GET /..%2fx HTTP/1.1\r\n" H "\r\n", 0, 400,
	    "http-syntax" },
	{ "trailing dot-dot", "GET /a/.. HTTP/1.1\r\n" H "\r\n", 0, 400,
	    "http-syntax" },
	{ "NUL in the target", "GET /a\0b HTTP/1.1\r\n" H "\r\n", 30, 400,
	    "http-syntax" },
	{ "encoded NUL", "GET /a%00b HTTP/1.1\r\n" H "\r\n", 0, 400,
	    "http-syntax" },
	{ "encoded newline", "GET /a%0d%0aSet-Cookie:x HTTP/1.1\r\n" H
	    "\r\n", 0, 400, "http-syntax" },
	{ "absolute form", "GET http://x/ HTTP/1.1\r\n" H "\r\n", 0, 400,
	    "http-syntax" },
	{ "asterisk", "GET * HTTP/1.1\r\n" H "\r\n", 0, 400, "http-syntax" },
	{ "high byte in the target", "GET /caf\xc3\xa9 HTTP/1.1\r\n" H
	    "\r\n", 0, 400, "http-syntax" },
	{ "TLS hello", "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 0, 400,
	    "http-syntax" },
};

START_TEST(bad_request)
{
	const struct bad *b = &bads[_i];
	char want[256], body[96];
	int64_t t0;
	struct rta_buf got = RTA_BUF_INIT;

	send_raw(b->req, b->len != 0 ? b->len : strlen(b->req));
	t0 = now_ms();
	ck_assert_int_eq(read_req(), b->status == 413 ? RTA_ELIMIT :
	    RTA_EDATA);
	/* answered at once, not at a deadline (10 s by default) */
	ck_assert_int_lt(now_ms() - t0, 2000);
	ck_assert_msg(c.status == b->status, "%s: status %d, want %d",
	    b->name, c.status, b->status);
	ck_assert_str_eq(err.reason, b->reason);
	ck_assert_int_eq(rta_http_error(&c, c.status, &err), RTA_OK);
	snprintf(body, sizeof(body), "{\"error\":\"%s\",\"status\":%d}\n",
	    rta_http_reason(b->status), b->status);
	snprintf(want, sizeof(want), "HTTP/1.1 %d %s\r\nContent-Type: "
	    "application/json\r\nContent-Length: %zu\r\nConnection: close"
	    "\r\n\r\n%s", b->status, rta_http_reason(b->status),
	    strlen(body), body);
	recv_all(&got);
	ck_assert_msg(strcmp((char *)got.data, want) == 0, "%s: got %s",
	    b->name, (char *)got.data);
	rta_buf_release(&got);
	/* the connection is done */
	ck_assert_int_eq(read_req(), RTA_EOF);
	ck_assert_int_ne(rta_http_respond(&c, 200, NULL, NULL, 0, NULL, 0,
	    &err), RTA_OK);
}
END_TEST

/* A bad answer to a request not echoed into the header, and not the
 * query either. */
START_TEST(error_body_fixed)
{
	send_str("HEAD /x HTTP/1.1\r\n" H "\r\n");
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_int_eq(rta_http_error(&c, 404, &err), RTA_OK);
	expect_response("HTTP/1.1 404 Not Found\r\nContent-Type: "
	    "application/json\r\nContent-Length: 35\r\n\r\n");
	/* a route's error keeps the connection */
	send_str("GET /x HTTP/1.1\r\n" H "\r\n");
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_int_eq(rta_http_error(&c, 429, &err), RTA_OK);
	expect_response("HTTP/1.1 429 Too Many Requests\r\nContent-Type: "
	    "application/json\r\nContent-Length: 43\r\n\r\n"
	    "{\"error\":\"Too Many Requests\",\"status\":429}\n");
	send_str("GET /x HTTP/1.1\r\n" H "\r\n");
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_int_eq(rta_http_error(&c, 200, &err), RTA_EINVAL);
}
END_TEST

START_TEST(long_line)
{
	struct rta_buf b = RTA_BUF_INIT;

	ck_assert_int_eq(rta_buf_adds(&b, "GET /"), 0);
	while (b.len < 8192)
		ck_assert_int_eq(rta_buf_addc(&b, 'a'), 0);
	ck_assert_int_eq(rta_buf_adds(&b, " HTTP/1.1\r\n" H "\r\n"), 0);
	send_raw(b.data, b.len);
	ck_assert_int_eq(read_req(), RTA_ELIMIT);
	ck_assert_int_eq(c.status, 414);
	ck_assert_str_eq(err.reason, "http-line-long");
	rta_buf_release(&b);
}
END_TEST

/* A line longer than the limit is refused before its end arrives. */
START_TEST(long_line_unfinished)
{
	struct rta_http_limits lim;
	char line[200];
	int64_t t0;

	teardown();
	rta_http_limits_init(&lim);
	lim.line_max = 100;
	serve(&lim);
	memset(line, 'a', sizeof(line));
	memcpy(line, "GET /", 5);
	send_raw(line, sizeof(line));
	t0 = now_ms();
	ck_assert_int_eq(read_req(), RTA_ELIMIT);
	ck_assert_int_lt(now_ms() - t0, 2000);
	ck_assert_int_eq(c.status, 414);
}
END_TEST

/* Exactly line_max bytes of request line is accepted. */
START_TEST(line_at_limit)
{
	struct rta_http_limits lim;
	char line[128];

	teardown();
	rta_http_limits_init(&lim);
	lim.line_max = 30;
	serve(&lim);
	/* 4 + 17 + 9 = 30 */
	snprintf(line, sizeof(line), "GET /0123456789abcdef HTTP/1.1\r\n"
	    H "\r\n");
	send_str(line);
	ck_assert_int_eq(read_req(), RTA_OK);
	rta_http_respond(&c, 200, NULL, NULL, 0, NULL, 0, &err);
	snprintf(line, sizeof(line), "GET /0123456789abcdefg HTTP/1.1\r\n"
	    H "\r\n");
	send_str(line);
	ck_assert_int_eq(read_req(), RTA_ELIMIT);
	ck_assert_int_eq(c.status, 414);
}
END_TEST

START_TEST(too_many_headers)
{
	char line[64];
	int i;

	send_str("GET / HTTP/1.1\r\n" H);
	for (i = 0; i < 64; i++) {
		snprintf(line, sizeof(line), "X-%d: %d\r\n", i, i);
		send_str(line);
	}
	send_str("\r\n");
	ck_assert_int_eq(read_req(), RTA_ELIMIT);
	ck_assert_int_eq(c.status, 431);
	ck_assert_str_eq(err.reason, "http-headers-big");
}
END_TEST

START_TEST(headers_at_count_limit)
{
	char line[64];
	int i;

	send_str("GET / HTTP/1.1\r\n" H);
	for (i = 0; i < 63; i++) {
		snprintf(line, sizeof(line), "X-%d: %d\r\n", i, i);
		send_str(line);
	}
	send_str("\r\n");
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_uint_eq(req.nheaders, 64);
	ck_assert_str_eq(rta_http_header(&req, "x-62"), "62");
}
END_TEST

START_TEST(header_too_big)
{
	struct rta_buf b = RTA_BUF_INIT;

	ck_assert_int_eq(rta_buf_adds(&b, "GET / HTTP/1.1\r\n" H "X-Big: "),
	    0);
	while (b.len < 17000)
		ck_assert_int_eq(rta_buf_addc(&b, 'v'), 0);
	/* refused before the line ends */
	send_raw(b.data, b.len);
	ck_assert_int_eq(read_req(), RTA_ELIMIT);
	ck_assert_int_eq(c.status, 431);
	rta_buf_release(&b);
}
END_TEST

/* header_max counts field lines with their CRLFs, not the blank line. */
START_TEST(header_bytes_at_limit)
{
	struct rta_http_limits lim;

	teardown();
	rta_http_limits_init(&lim);
	lim.header_max = 18;
	serve(&lim);
	send_str("GET / HTTP/1.1\r\nHost: x\r\nX-A: 12\r\n\r\n");
	ck_assert_int_eq(read_req(), RTA_OK);
	rta_http_respond(&c, 200, NULL, NULL, 0, NULL, 0, &err);
	send_str("GET / HTTP/1.1\r\nHost: x\r\nX-A: 123\r\n\r\n");
	ck_assert_int_eq(read_req(), RTA_ELIMIT);
	ck_assert_int_eq(c.status, 431);
}
END_TEST

START_TEST(truncated)
{
	send_str("GET / HTTP/1.1\r\nHost: x\r\n");
	shutdown(cli, SHUT_WR);
	ck_assert_int_eq(read_req(), RTA_EDATA);
	ck_assert_int_eq(c.status, 400);
	ck_assert_str_eq(err.reason, "http-truncated");
}
END_TEST

START_TEST(truncated_body)
{
	send_str("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n"
	    "abc");
	shutdown(cli, SHUT_WR);
	ck_assert_int_eq(read_req(), RTA_EDATA);
	ck_assert_int_eq(c.status, 400);
}
END_TEST

/* ---- time ---------------------------------------------------------------- */

static void
small_times(int idle, int request)
{
	struct rta_http_limits lim;

	teardown();
	rta_http_limits_init(&lim);
	lim.idle_ms = idle;
	lim.request_ms = request;
	serve(&lim);
}

START_TEST(slow_request_408)
{
	int64_t t0, dt;

	small_times(5000, 200);
	send_str("GET / HTTP/1.1\r\nHost: x\r\n");
	t0 = now_ms();
	ck_assert_int_eq(read_req(), RTA_ELIMIT);
	dt = now_ms() - t0;
	ck_assert_int_eq(c.status, 408);
	ck_assert_str_eq(err.reason, "http-timeout");
	ck_assert_int_ge(dt, 150);
	ck_assert_int_lt(dt, 4000);
	ck_assert_int_eq(rta_http_error(&c, 408, &err), RTA_OK);
	expect_response("HTTP/1.1 408 Request Timeout\r\nContent-Type: "
	    "application/json\r\nContent-Length: 41\r\nConnection: close\r\n"
	    "\r\n{\"error\":\"Request Timeout\",\"status\":408}\n");
}
END_TEST

/* A client that keeps sending a byte now and then is still cut off. */
START_TEST(trickle_408)
{
	int64_t t0, dt;
	pid_t pid;
	int i;

	small_times(5000, 300);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct timespec ts = { 0, 40 * 1000000L };

		send_str("GET / HTTP/1.1\r\n");
		for (i = 0; i < 200; i++) {
			if (write(cli, "X-A: b\r\n", 8) != 8)
				_exit(0);
			nanosleep(&ts, NULL);
		}
		_exit(0);
	}
	t0 = now_ms();
	ck_assert_int_eq(read_req(), RTA_ELIMIT);
	dt = now_ms() - t0;
	/* 64 lines would be 431; the clock must win long before */
	ck_assert_int_eq(c.status, 408);
	ck_assert_int_ge(dt, 250);
	ck_assert_int_lt(dt, 4000);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}
END_TEST

START_TEST(idle_close)
{
	int64_t t0, dt;

	small_times(200, 5000);
	t0 = now_ms();
	ck_assert_int_eq(read_req(), RTA_EOF);
	dt = now_ms() - t0;
	ck_assert_int_ge(dt, 150);
	ck_assert_int_lt(dt, 4000);
	ck_assert_int_eq(c.status, 0);
	expect_response("");
}
END_TEST

/* The idle deadline runs from the end of the last answer. */
START_TEST(idle_after_request)
{
	int64_t t0, dt;

	small_times(200, 5000);
	send_str("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
	ck_assert_int_eq(read_req(), RTA_OK);
	rta_http_respond(&c, 200, NULL, NULL, 0, NULL, 0, &err);
	t0 = now_ms();
	ck_assert_int_eq(read_req(), RTA_EOF);
	dt = now_ms() - t0;
	ck_assert_int_ge(dt, 150);
	ck_assert_int_lt(dt, 4000);
}
END_TEST

/* An 8 MiB answer to a client that does not read: cut off at write_ms
 * (200 ms). */
static void
answer_cut_off(void)
{
	size_t big = 8 << 20;
	char *body = malloc(big);
	int64_t t0, dt;

	ck_assert_ptr_nonnull(body);
	memset(body, 'z', big);
	t0 = now_ms();
	ck_assert_int_eq(rta_http_respond(&c, 200, NULL, body, big, NULL, 0,
	    &err), RTA_EIO);
	dt = now_ms() - t0;
	ck_assert_int_ge(dt, 150);
	ck_assert_int_lt(dt, 4000);
	free(body);
}

/* A client that does not read is cut off at write_ms. */
START_TEST(slow_reader)
{
	struct rta_http_limits lim;

	teardown();
	rta_http_limits_init(&lim);
	lim.write_ms = 200;
	serve(&lim);
	ck_assert_int_eq(c.sock, 1);
	send_str("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\n"
	    "Host: x\r\n\r\n");
	ck_assert_int_eq(read_req(), RTA_OK);
	answer_cut_off();
	/* the connection is over, pipelined request or not */
	ck_assert_int_eq(read_req(), RTA_EOF);
}
END_TEST

/* The same through a pipe (written PIPE_BUF at a time, not sent). */
START_TEST(slow_reader_pipe)
{
	struct rta_http_limits lim;
	int p[2];

	teardown();
	rta_http_limits_init(&lim);
	lim.write_ms = 200;
	serve(&lim);
	rta_http_conn_release(&c);
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(rta_http_conn_init(&c, srv, p[1], &lim, &err),
	    RTA_OK);
	ck_assert_int_eq(c.sock, 0);
	c.date = 0;
	send_str("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
	ck_assert_int_eq(read_req(), RTA_OK);
	answer_cut_off();
	close(p[0]);
	close(p[1]);
}
END_TEST

/* ---- answers ------------------------------------------------------------- */

START_TEST(big_answer)
{
	static const char head[] = "HTTP/1.1 200 OK\r\n"
	    "Content-Length: 300000\r\n\r\n";
	size_t big = 300000, n = 0;
	char *body = malloc(big), *got = malloc(big + 256);
	ssize_t r;
	pid_t pid;
	int st;

	ck_assert_ptr_nonnull(body);
	ck_assert_ptr_nonnull(got);
	for (n = 0; n < big; n++)
		body[n] = (char)('a' + n % 26);
	send_str("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
	ck_assert_int_eq(read_req(), RTA_OK);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		_exit(rta_http_respond(&c, 200, NULL, body, big, NULL, 0,
		    &err) == RTA_OK ? 0 : 1);
	}
	close(srv);
	srv = -1;
	n = 0;
	while (n < big + 256 && (r = read(cli, got + n, big + 256 - n)) > 0)
		n += (size_t)r;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	ck_assert_uint_eq(n, strlen(head) + big);
	ck_assert_mem_eq(got, head, strlen(head));
	ck_assert_mem_eq(got + strlen(head), body, big);
	free(body);
	free(got);
}
END_TEST

START_TEST(extra_headers)
{
	static const struct rta_http_header extra[] = {
		{ "Cache-Control", "no-store" },
		{ "X-Rta-Commit", "42" }
	};
	static const struct rta_http_header inject[] = {
		{ "X-A", "a\r\nSet-Cookie: x=1" }
	};
	static const struct rta_http_header badname[] = {
		{ "X A", "b" }
	};

	send_str("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_int_eq(rta_http_respond(&c, 200, "text/plain", "x", 1,
	    inject, 1, &err), RTA_EINVAL);
	ck_assert_int_eq(rta_http_respond(&c, 200, "text/plain", "x", 1,
	    badname, 1, &err), RTA_EINVAL);
	ck_assert_int_eq(rta_http_respond(&c, 200, "text/plain\n", "x", 1,
	    NULL, 0, &err), RTA_EINVAL);
	ck_assert_int_eq(rta_http_respond(&c, 99, NULL, NULL, 0, NULL, 0,
	    &err), RTA_EINVAL);
	/* nothing was sent by the refused calls */
	expect_response("");
	ck_assert_int_eq(rta_http_respond(&c, 200, "text/plain", "x", 1,
	    extra, 2, &err), RTA_OK);
	expect_response("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
	    "Content-Length: 1\r\nCache-Control: no-store\r\n"
	    "X-Rta-Commit: 42\r\n\r\nx");
	/* one answer per request */
	ck_assert_int_eq(rta_http_respond(&c, 200, NULL, NULL, 0, NULL, 0,
	    &err), RTA_EINVAL);
}
END_TEST

/* A client gone before its answer: RTA_EIO, and the connection ends. */
START_TEST(client_gone)
{
	send_str("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
	ck_assert_int_eq(read_req(), RTA_OK);
	close(cli);
	cli = -1;
	ck_assert_int_eq(rta_http_respond(&c, 200, NULL, "x", 1, NULL, 0,
	    &err), RTA_EIO);
	ck_assert_str_eq(err.reason, "io");
	ck_assert_int_eq(read_req(), RTA_EOF);
}
END_TEST

START_TEST(date_header)
{
	struct rta_buf b = RTA_BUF_INIT;
	const char *d;

	c.date = 1;
	send_str("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_int_eq(rta_http_respond(&c, 200, NULL, NULL, 0, NULL, 0,
	    &err), RTA_OK);
	recv_all(&b);
	d = strstr((char *)b.data, "\r\nDate: ");
	ck_assert_ptr_nonnull(d);
	/* "Sun, 06 Nov 1994 08:49:37 GMT" */
	ck_assert_int_eq(d[8 + 3], ',');
	ck_assert_str_eq(d + 8 + 25, " GMT\r\nContent-Length: 0\r\n\r\n");
	rta_buf_release(&b);
}
END_TEST

START_TEST(reasons)
{
	ck_assert_str_eq(rta_http_reason(413), "Content Too Large");
	ck_assert_str_eq(rta_http_reason(431),
	    "Request Header Fields Too Large");
	ck_assert_str_eq(rta_http_reason(299), "");
}
END_TEST

/* ---- the io hook: one byte at a time ----------------------------------- */

struct feed {
	const char	*p;
	size_t		 len, pos, step;
	struct rta_buf	 out;
};

static ssize_t
feed_read(void *arg, void *p, size_t n)
{
	struct feed *f = arg;

	if (n > f->step)
		n = f->step;
	if (n > f->len - f->pos)
		n = f->len - f->pos;
	memcpy(p, f->p + f->pos, n);
	f->pos += n;
	return (ssize_t)n;
}

static ssize_t
feed_write(void *arg, const void *p, size_t n)
{
	struct feed *f = arg;

	if (n > 3)
		n = 3;
	return rta_buf_add(&f->out, p, n) == 0 ? (ssize_t)n : -1;
}

START_TEST(byte_at_a_time)
{
	static const char in[] = "\r\nGET /a?b=c HTTP/1.1\r\nHost: x\r\n"
	    "X-Y:\tz \r\n\r\nPOST /p HTTP/1.1\r\nHost: x\r\n"
	    "Content-Length: 2\r\n\r\nhiGET / HTTP/1.1\r\nHost: x\r\n\r\r\n";
	struct feed f = { in, sizeof(in) - 1, 0, 1, RTA_BUF_INIT };
	struct rta_http_io io = { feed_read, feed_write, &f };

	c.io = &io;
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_str_eq(req.path, "/a");
	ck_assert_str_eq(req.query, "b=c");
	ck_assert_str_eq(rta_http_header(&req, "x-y"), "z");
	ck_assert_int_eq(rta_http_respond(&c, 200, NULL, "12345", 5, NULL, 0,
	    &err), RTA_OK);
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_uint_eq(req.body_len, 2);
	ck_assert_mem_eq(req.body, "hi", 2);
	ck_assert_int_eq(rta_http_respond(&c, 200, NULL, NULL, 0, NULL, 0,
	    &err), RTA_OK);
	/* a bare CR seen across reads */
	ck_assert_int_eq(read_req(), RTA_EDATA);
	ck_assert_int_eq(c.status, 400);
	ck_assert_uint_eq(f.out.len, strlen("HTTP/1.1 200 OK\r\n"
	    "Content-Length: 5\r\n\r\n12345HTTP/1.1 200 OK\r\n"
	    "Content-Length: 0\r\n\r\n"));
	rta_buf_release(&f.out);
}
END_TEST

/* The limits hold to the byte when the request comes a byte at a time. */
START_TEST(limits_byte_at_a_time)
{
	static const char ok[] = "GET /0123456789abcdef HTTP/1.1\r\n"
	    "Host: x\r\nX-A: 12\r\n\r\n";
	static const char *const over[] = {
		"GET /0123456789abcdefg HTTP/1.1\r\nHost: x\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: x\r\nX-A: 123\r\n\r\n"
	};
	static const int status[] = { 414, 431 };
	struct rta_http_limits lim;
	struct feed f = { ok, sizeof(ok) - 1, 0, 1, RTA_BUF_INIT };
	struct rta_http_io io = { feed_read, feed_write, &f };
	size_t i;

	teardown();
	rta_http_limits_init(&lim);
	lim.line_max = 30;
	lim.header_max = 18;
	serve(&lim);
	c.io = &io;
	ck_assert_int_eq(read_req(), RTA_OK);
	ck_assert_str_eq(rta_http_header(&req, "x-a"), "12");
	for (i = 0; i < 2; i++) {
		rta_http_conn_release(&c);
		serve_again(&lim);
		c.io = &io;
		f.p = over[i];
		f.len = strlen(over[i]);
		f.pos = 0;
		ck_assert_int_eq(read_req(), RTA_ELIMIT);
		ck_assert_int_eq(c.status, status[i]);
	}
	rta_buf_release(&f.out);
}
END_TEST

/* ---- set-up -------------------------------------------------------------- */

START_TEST(bad_limits)
{
	struct rta_http_conn z;
	struct rta_http_limits lim;

	rta_http_limits_init(&lim);
	lim.body_max = 0;
	ck_assert_int_eq(rta_http_conn_init(&z, 0, 1, &lim, &err),
	    RTA_EINVAL);
	rta_http_conn_release(&z);
	rta_http_limits_init(&lim);
	lim.idle_ms = -1;
	ck_assert_int_eq(rta_http_conn_init(&z, 0, 1, &lim, &err),
	    RTA_EINVAL);
	rta_http_limits_init(&lim);
	lim.body_max = SIZE_MAX - 100;
	ck_assert_int_eq(rta_http_conn_init(&z, 0, 1, &lim, &err),
	    RTA_EINVAL);
	rta_http_conn_release(&z);
	rta_http_conn_release(NULL);
}
END_TEST

static int
alloc_child(unsigned long n)
{
	struct rta_http_conn z;
	char env[64];
	int rc;

	snprintf(env, sizeof(env), "alloc:%lu:persistent", n);
	setenv("RTA_FAULT", env, 1);
	rc = rta_http_conn_init(&z, 0, 1, NULL, NULL);
	rta_http_conn_release(&z);
	return rc == RTA_OK ? 0 : rc == RTA_ENOMEM ? 1 : 2;
}

START_TEST(alloc_failures)
{
	ck_assert_uint_ge(unit_alloc_failures(alloc_child, NULL), 4);
}
END_TEST

static Suite *
http_suite(int forking)
{
	Suite *s = suite_create("rta_http");
	TCase *tc;

	tc = tcase_create("requests");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, simple_get);
	tcase_add_test(tc, query_decoding);
	tcase_add_test(tc, query_repeated);
	tcase_add_test(tc, path_normalized);
	tcase_add_test(tc, keep_alive_pipelined);
	tcase_add_test(tc, http10);
	tcase_add_test(tc, http10_keep_alive);
	tcase_add_test(tc, http19_reads_as_11);
	tcase_add_test(tc, head_no_body);
	tcase_add_test(tc, post_without_length);
	tcase_add_test(tc, blank_lines_then_eof);
	tcase_add_test(tc, duplicate_same_length);
	tcase_add_test(tc, body_at_limit);
	if (forking)
		tcase_add_test(tc, expect_continue);
	tcase_add_test(tc, byte_at_a_time);
	tcase_add_test(tc, limits_byte_at_a_time);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad_requests");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, bad_request, 0,
	    (int)(sizeof(bads) / sizeof(bads[0])));
	tcase_add_test(tc, error_body_fixed);
	tcase_add_test(tc, long_line);
	tcase_add_test(tc, long_line_unfinished);
	tcase_add_test(tc, line_at_limit);
	tcase_add_test(tc, too_many_headers);
	tcase_add_test(tc, headers_at_count_limit);
	tcase_add_test(tc, header_too_big);
	tcase_add_test(tc, header_bytes_at_limit);
	tcase_add_test(tc, truncated);
	tcase_add_test(tc, truncated_body);
	suite_add_tcase(s, tc);

	tc = tcase_create("time");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, slow_request_408);
	if (forking)
		tcase_add_test(tc, trickle_408);
	tcase_add_test(tc, idle_close);
	tcase_add_test(tc, idle_after_request);
	tcase_add_test(tc, slow_reader);
	tcase_add_test(tc, slow_reader_pipe);
	suite_add_tcase(s, tc);

	tc = tcase_create("answers");
	tcase_add_checked_fixture(tc, setup, teardown);
	if (forking)
		tcase_add_test(tc, big_answer);
	tcase_add_test(tc, extra_headers);
	tcase_add_test(tc, client_gone);
	tcase_add_test(tc, date_header);
	tcase_add_test(tc, reasons);
	suite_add_tcase(s, tc);

	tc = tcase_create("setup");
	tcase_add_test(tc, bad_limits);
	if (forking)
		tcase_add_test(tc, alloc_failures);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(NULL);
	srunner_add_suite(sr, http_suite(srunner_fork_status(sr) !=
	    CK_NOFORK));
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
