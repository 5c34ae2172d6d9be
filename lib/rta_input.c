/*
 * rta_input.c: operands, decompression, archives, follow mode.
 *
 * Detection reads the first bytes of an operand itself, before libarchive
 * is involved: plain NDJSON and rta frames (the common, fast case) are then
 * read with read(2) and no library in between.  Only when a compression or
 * archive signature is seen does libarchive take over, through a read
 * callback that first replays the bytes already read, so stdin and pipes
 * work as well as files (no seeking back).
 *
 * Reads that may block (pipes, terminals, sockets) are preceded by a poll
 * with no timeout; if nothing is ready the idle hook runs, then the input
 * waits in one-second polls, calling the hook again each second.
 *
 * Follow mode is tail -F's: at the end of a plain file, wait; if the path
 * now names another file (rotation), finish the old one and reopen; if the
 * file shrank (truncation), start again from its beginning.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "rta_alloc.h"
#include "rta_input.h"
#include "rta_libarchive.h"

#define PEEK_MAX	4096
#define ARBUF_SIZE	(256 * 1024)
#define FOLLOW_SLEEP_MS	200

static void
pipe_grow(int fd)
{
#ifdef F_SETPIPE_SZ
	struct stat st;

	/* Bigger pipe buffers mean fewer, larger reads (DESIGN §7). */
	if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode))
		(void)fcntl(fd, F_SETPIPE_SZ, 1 << 20);
#else
	(void)fd;
#endif
}

/*
 * Wait until fd is readable, calling the idle hook first and then once a
 * second.  Regular files never block.
 */
static void
wait_readable(struct rta_input *in, int fd)
{
	struct pollfd pfd;

	if (in->regular)
		return;
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, 0) == 1)
		return;
	for (;;) {
		int n;

		if (in->idle != NULL)
			in->idle(in->idle_arg);
		n = poll(&pfd, 1, 1000);
		if (n > 0 || (n < 0 && errno != EINTR))
			return;		/* ready, or an error read will tell */
		/* timeout or a signal (SIGUSR1): run the idle hook again */
	}
}

static ssize_t
raw_read(struct rta_input *in, int fd, void *buf, size_t n)
{
	ssize_t r;

	for (;;) {
		wait_readable(in, fd);
		r = read(fd, buf, n);
		if (r >= 0 || errno != EINTR)
			return r;
		if (in->idle != NULL)
			in->idle(in->idle_arg);
	}
}

static la_ssize_t
ar_read_cb(struct archive *a, void *arg, const void **buf)
{
	struct rta_input *in = arg;
	ssize_t r;

	(void)a;
	if (in->peek_pos < in->peek_len) {
		*buf = in->peek + in->peek_pos;
		r = (ssize_t)(in->peek_len - in->peek_pos);
		in->peek_pos = in->peek_len;
		return r;
	}
	r = raw_read(in, in->fd, in->arbuf, ARBUF_SIZE);
	if (r < 0) {
		in->la->set_error(a, errno, "%s", strerror(errno));
		return -1;
	}
	in->pos += r;
	*buf = in->arbuf;
	return r;
}

static int
is_compressed_or_archive(const unsigned char *p, size_t n)
{
	static const struct { const char *m; size_t len; } sig[] = {
		{ "\x1f\x8b", 2 },			/* gzip */
		{ "BZh", 3 },				/* bzip2 */
		{ "\xfd" "7zXZ\0", 6 },			/* xz */
		{ "\x28\xb5\x2f\xfd", 4 },		/* zstd */
		{ "\x04\x22\x4d\x18", 4 },		/* lz4 */
		{ "\x1f\x9d", 2 },			/* compress */
		{ "PK\x03\x04", 4 },			/* zip */
		{ "PK\x05\x06", 4 },			/* empty zip */
		{ "7z\xbc\xaf\x27\x1c", 6 },		/* 7-zip */
		{ "070707", 6 }, { "070701", 6 }, { "070702", 6 }, /* cpio */
	};
	size_t i;

	for (i = 0; i < sizeof(sig) / sizeof(sig[0]); i++)
		if (n >= sig[i].len && memcmp(p, sig[i].m, sig[i].len) == 0)
			return 1;
	if (n >= 262 && memcmp(p + 257, "ustar", 5) == 0)
		return 1;				/* tar */
	return 0;
}

/* Could more bytes still turn the prefix p[0..n) into a signature? */
static int
needs_more(const unsigned char *p, size_t n)
{
	if (n == 0)
		return 1;
	switch (p[0]) {
	case '{': case '[': case ' ': case '\t': case '\r': case '\n':
	case 0x89: case 0xef:
		return 0;	/* JSON, rta frames, a BOM: decided */
	}
	if (n < 6)
		return 1;
	return n < 262;		/* a tar header needs 262 bytes */
}

static int
fill_peek(struct rta_input *in, struct rta_error *err)
{
	while (needs_more(in->peek, in->peek_len) && in->peek_len < PEEK_MAX) {
		ssize_t r = raw_read(in, in->fd, in->peek + in->peek_len,
		    PEEK_MAX - in->peek_len);

		if (r < 0)
			return rta_error_set(err, RTA_EIO, "io", "%s: %s",
			    in->name, strerror(errno));
		if (r == 0)
			break;
		in->pos += r;
		in->peek_len += (size_t)r;
	}
	return RTA_OK;
}

/* Position on the next regular archive member; 1, 0 at the end, -1. */
static int
ar_advance(struct rta_input *in, struct rta_error *err)
{
	struct archive_entry *e;
	int r;

	for (;;) {
		r = in->la->read_next_header(in->ar, &e);
		if (r == ARCHIVE_EOF) {
			in->ar_entry_open = 0;
			return 0;
		}
		if (r < ARCHIVE_WARN) {
			rta_error_set(err, RTA_EIO, "io", "%s: %s", in->name,
			    in->la->error_string(in->ar) ?
			    in->la->error_string(in->ar) : "archive error");
			return -1;
		}
		in->ar_members = in->la->format(in->ar) != ARCHIVE_FORMAT_RAW;
		if (in->ar_members &&
		    in->la->entry_filetype(e) != AE_IFREG)
			continue;
		rta_free(in->member_name);
		in->member_name = NULL;
		if (in->ar_members) {
			const char *m = in->la->entry_pathname(e);
			size_t n = strlen(in->name) + (m ? strlen(m) : 0) + 3;

			if ((in->member_name = rta_malloc(n)) == NULL) {
				rta_error_errno(err, in->name);
				return -1;
			}
			snprintf(in->member_name, n, "%s(%s)", in->name,
			    m ? m : "");
		}
		in->ar_entry_open = 1;
		in->blk_left = 0;
		in->ar_pos = 0;
		in->ar_hole = 0;
		return 1;
	}
}

int
rta_input_open(struct rta_input *in, const char *operand, int follow,
    void (*idle)(void *), void *idle_arg, struct rta_error *err)
{
	struct stat st;
	int rc;

	memset(in, 0, sizeof(*in));
	in->fd = -1;
	in->idle = idle;
	in->idle_arg = idle_arg;
	if (operand == NULL || strcmp(operand, "-") == 0) {
		in->fd = STDIN_FILENO;
		in->name = rta_memdup("<stdin>", 7);
	} else {
		in->path = rta_memdup(operand, strlen(operand));
		in->name = rta_memdup(operand, strlen(operand));
		if (in->path != NULL && in->name != NULL &&
		    (in->fd = open(operand, O_RDONLY | O_CLOEXEC)) < 0) {
			rc = rta_error_set(err, RTA_EIO, "io", "%s: %s",
			    operand, strerror(errno));
			rta_input_close(in);
			return rc;
		}
	}
	if (in->name == NULL || (in->peek = rta_malloc(PEEK_MAX)) == NULL) {
		rc = rta_error_errno(err, operand ? operand : "<stdin>");
		rta_input_close(in);
		return rc;
	}
	if (fstat(in->fd, &st) == 0) {
		in->regular = S_ISREG(st.st_mode);
		in->dev = st.st_dev;
		in->ino = st.st_ino;
		if (S_ISDIR(st.st_mode)) {
			rc = rta_error_set(err, RTA_EIO, "io", "%s: %s",
			    in->name, strerror(EISDIR));
			rta_input_close(in);
			return rc;
		}
	}
	pipe_grow(in->fd);
	in->follow = follow && in->regular;
	if ((rc = fill_peek(in, err)) != RTA_OK) {
		rta_input_close(in);
		return rc;
	}
	if (!is_compressed_or_archive(in->peek, in->peek_len))
		return RTA_OK;
	in->follow = 0;
	if ((in->la = rta_la(err)) == NULL) {
		rta_input_close(in);
		return RTA_EIO;
	}
	if ((in->arbuf = rta_malloc(ARBUF_SIZE)) == NULL ||
	    (in->ar = in->la->read_new()) == NULL) {
		rc = rta_error_errno(err, in->name);
		rta_input_close(in);
		return rc;
	}
	in->la->read_support_filter_all(in->ar);
	/*
	 * Not format_all: its mtree reader bids on plain text and would
	 * claim a compressed NDJSON file as a directory listing.
	 */
	in->la->read_support_format_tar(in->ar);
	in->la->read_support_format_zip(in->ar);
	in->la->read_support_format_cpio(in->ar);
	in->la->read_support_format_7zip(in->ar);
	in->la->read_support_format_empty(in->ar);
	in->la->read_support_format_raw(in->ar);
	if (in->la->read_open(in->ar, in, NULL, ar_read_cb, NULL) !=
	    ARCHIVE_OK) {
		rc = rta_error_set(err, RTA_EIO, "io", "%s: %s", in->name,
		    in->la->error_string(in->ar) ?
		    in->la->error_string(in->ar) : "cannot read archive");
		rta_input_close(in);
		return rc;
	}
	if (ar_advance(in, err) < 0) {
		rta_input_close(in);
		return RTA_EIO;
	}
	return RTA_OK;
}

/* Follow mode at end of file: 1 when there may be more to read. */
static int
follow_wait(struct rta_input *in, struct rta_error *err)
{
	struct timespec ts = { 0, FOLLOW_SLEEP_MS * 1000000L };
	struct stat st, pst;

	if (fstat(in->fd, &st) == 0 && st.st_size > in->pos)
		return 1;	/* grew between our read and the check */
	if (st.st_size < in->pos) {
		/* truncated under us: read it again from the start */
		if (lseek(in->fd, 0, SEEK_SET) == 0)
			in->pos = 0;
		return 1;
	}
	if (stat(in->path, &pst) == 0 &&
	    (pst.st_dev != in->dev || pst.st_ino != in->ino)) {
		int fd = open(in->path, O_RDONLY | O_CLOEXEC);

		if (fd < 0)
			goto sleep;
		/* the old file is finished: its tail was read already */
		close(in->fd);
		in->fd = fd;
		in->dev = pst.st_dev;
		in->ino = pst.st_ino;
		in->pos = 0;
		return 1;
	}
sleep:
	if (in->idle != NULL)
		in->idle(in->idle_arg);
	(void)err;
	nanosleep(&ts, NULL);
	return 1;
}

/*
 * Member data from libarchive's own blocks.  archive_read_data would copy
 * several blocks per call and, when a later one fails (a truncated gzip
 * file), return only the error: the good data before the damage would be
 * lost.  Block by block, it all arrives before the error does.
 */
static ssize_t
ar_read(struct rta_input *in, void *buf, size_t n, struct rta_error *err)
{
	size_t k;

	if (!in->ar_entry_open)
		return 0;
	while (in->blk_left == 0 && in->ar_hole == 0) {
		const void *b;
		size_t sz;
		la_int64_t off;
		int r = in->la->read_data_block(in->ar, &b, &sz, &off);

		if (r == ARCHIVE_EOF)
			return 0;
		if (r == ARCHIVE_RETRY)
			continue;
		if (r < ARCHIVE_WARN) {
			rta_error_set(err, RTA_EIO, "io", "%s: %s",
			    rta_input_name(in),
			    in->la->error_string(in->ar) ?
			    in->la->error_string(in->ar) : "read error");
			return -1;
		}
		if (off > in->ar_pos)
			in->ar_hole = off - in->ar_pos;
		in->blk = b;
		in->blk_left = sz;
		in->ar_pos = off + (la_int64_t)sz;
	}
	if (in->ar_hole > 0) {
		k = (uint64_t)in->ar_hole < n ? (size_t)in->ar_hole : n;
		memset(buf, 0, k);
		in->ar_hole -= (int64_t)k;
		return (ssize_t)k;
	}
	k = in->blk_left < n ? in->blk_left : n;
	memcpy(buf, in->blk, k);
	in->blk += k;
	in->blk_left -= k;
	return (ssize_t)k;
}

ssize_t
rta_input_read(struct rta_input *in, void *buf, size_t n,
    struct rta_error *err)
{
	ssize_t r;

	if (in->ar != NULL)
		return ar_read(in, buf, n, err);
	if (in->peek_pos < in->peek_len) {
		size_t k = in->peek_len - in->peek_pos;

		if (k > n)
			k = n;
		memcpy(buf, in->peek + in->peek_pos, k);
		in->peek_pos += k;
		return (ssize_t)k;
	}
	for (;;) {
		r = raw_read(in, in->fd, buf, n);
		if (r < 0) {
			rta_error_set(err, RTA_EIO, "io", "%s: %s", in->name,
			    strerror(errno));
			return -1;
		}
		in->pos += r;
		if (r > 0 || !in->follow)
			return r;
		follow_wait(in, err);
	}
}

int
rta_input_next_member(struct rta_input *in, struct rta_error *err)
{
	if (in->ar == NULL || !in->ar_entry_open)
		return 0;
	return ar_advance(in, err);
}

/*
 * The read-ahead thread: one read at a time, posted by rta_input_post.
 * Signals are blocked here, so that SIGUSR1 and the like reach the main
 * thread, which waits with a timeout and runs the idle hook.
 */
static void *
ahead_main(void *arg)
{
	struct rta_input *in = arg;
	ssize_t r;
	int old, e;

	/* cancellable only inside read(2), where no lock is held */
	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	pthread_mutex_lock(&in->mu);
	for (;;) {
		while (!in->req && !in->quit)
			pthread_cond_wait(&in->cv, &in->mu);
		if (in->quit)
			break;
		pthread_mutex_unlock(&in->mu);
		pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, &old);
		do
			r = read(in->fd, in->req_buf, in->req_len);
		while (r < 0 && errno == EINTR);
		pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
		e = r < 0 ? errno : 0;
		if (r > 0 && in->then != NULL)
			in->then(in->then_arg, (size_t)r);
		pthread_mutex_lock(&in->mu);
		in->res = r;
		in->res_errno = e;
		in->req = 0;
		in->done = 1;
		pthread_cond_broadcast(&in->cv);
	}
	pthread_mutex_unlock(&in->mu);
	return NULL;
}

int
rta_input_ahead(struct rta_input *in)
{
	sigset_t all, old;
	int rc;

	if (in->ar != NULL || in->follow || in->ahead)
		return in->ahead;
	if (pthread_mutex_init(&in->mu, NULL) != 0)
		return 0;
	if (pthread_cond_init(&in->cv, NULL) != 0) {
		pthread_mutex_destroy(&in->mu);
		return 0;
	}
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&in->thread, NULL, ahead_main, in);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		pthread_cond_destroy(&in->cv);
		pthread_mutex_destroy(&in->mu);
		return 0;
	}
	in->ahead = 1;
	return 1;
}

void
rta_input_post(struct rta_input *in, void *buf, size_t n)
{
	rta_input_post_then(in, buf, n, NULL, NULL);
}

void
rta_input_post_then(struct rta_input *in, void *buf, size_t n,
    void (*then)(void *, size_t), void *arg)
{
	if (!in->ahead || in->peek_pos < in->peek_len) {
		/* synchronous: remember the request, serve it on collect */
		in->req_buf = buf;
		in->req_len = n;
		in->sync_req = 1;
		return;
	}
	pthread_mutex_lock(&in->mu);
	in->req_buf = buf;
	in->req_len = n;
	in->then = then;
	in->then_arg = arg;
	in->done = 0;
	in->req = 1;
	pthread_cond_broadcast(&in->cv);
	pthread_mutex_unlock(&in->mu);
}

ssize_t
rta_input_collect(struct rta_input *in, struct rta_error *err)
{
	struct timespec ts;
	ssize_t r;

	if (in->sync_req) {
		in->sync_req = 0;
		return rta_input_read(in, in->req_buf, in->req_len, err);
	}
	pthread_mutex_lock(&in->mu);
	in->waited = !in->done;
	while (!in->done) {
		/* flush downstream before waiting, then every second */
		pthread_mutex_unlock(&in->mu);
		if (in->idle != NULL)
			in->idle(in->idle_arg);
		pthread_mutex_lock(&in->mu);
		if (in->done)
			break;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		(void)pthread_cond_timedwait(&in->cv, &in->mu, &ts);
	}
	in->done = 0;
	r = in->res;
	errno = in->res_errno;
	pthread_mutex_unlock(&in->mu);
	if (r < 0) {
		rta_error_set(err, RTA_EIO, "io", "%s: %s", in->name,
		    strerror(errno));
		return -1;
	}
	in->pos += r;
	return r;
}

int
rta_input_cores(void)
{
#if defined(__linux__)
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		return CPU_COUNT(&set);
#endif
	return 2;	/* not known: assume the thread has a core */
}

int
rta_input_waited(const struct rta_input *in)
{
	return in->waited;
}

static void
ahead_stop(struct rta_input *in)
{
	if (!in->ahead)
		return;
	pthread_mutex_lock(&in->mu);
	in->quit = 1;
	pthread_cond_broadcast(&in->cv);
	pthread_mutex_unlock(&in->mu);
	/* a read on a pipe may never return: read(2) is a cancellation
	 * point, and the thread holds no lock while in it */
	pthread_cancel(in->thread);
	pthread_join(in->thread, NULL);
	pthread_cond_destroy(&in->cv);
	pthread_mutex_destroy(&in->mu);
	in->ahead = 0;
}

const char *
rta_input_name(const struct rta_input *in)
{
	return in->member_name != NULL ? in->member_name : in->name;
}

off_t
rta_input_size(const struct rta_input *in)
{
	struct stat st;

	if (!in->regular || fstat(in->fd, &st) != 0)
		return -1;
	return st.st_size;
}

off_t
rta_input_offset(const struct rta_input *in)
{
	return in->pos;
}

void
rta_input_close(struct rta_input *in)
{
	ahead_stop(in);
	if (in->ar != NULL)
		in->la->read_free(in->ar);
	if (in->fd >= 0 && in->fd != STDIN_FILENO)
		close(in->fd);
	rta_free(in->path);
	rta_free(in->name);
	rta_free(in->member_name);
	rta_free(in->peek);
	rta_free(in->arbuf);
	memset(in, 0, sizeof(*in));
	in->fd = -1;
}
