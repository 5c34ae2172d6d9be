/*
 * rta_io.c: durable-write calls with fault injection (see rta_io.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_io.h"

static int		fault_state = -1;	/* -1 unread, 0 off, 1 on */
static unsigned long	fault_at, calls;
static int		fault_persistent;
static int		fault_errno = EIO;

static void
fault_init(void)
{
	const char *s = getenv("RTA_FAULT");
	char *end;
	unsigned long e;

	fault_state = 0;
	if (s == NULL || strncmp(s, "io:", 3) != 0)
		return;
	fault_at = strtoul(s + 3, &end, 10);
	if (fault_at == 0)
		return;
	if (strncmp(end, ":persistent", 11) == 0) {
		fault_persistent = 1;
		end += 11;
	}
	if (*end == ':') {
		e = strtoul(end + 1, &end, 10);
		if (e > 0 && e < 4096)
			fault_errno = (int)e;
	}
	fault_state = 1;
}

/* 1 if this call must fail (errno set). */
static int
fault_now(void)
{
	unsigned long n;

	if (fault_state < 0)
		fault_init();
	/* (the store syncs in a second thread) */
	n = __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
	if (fault_state == 0)
		return 0;
	if (n == fault_at || (fault_persistent && n > fault_at)) {
		errno = fault_errno;
		return 1;
	}
	return 0;
}

unsigned long
rta_io_calls(void)
{
	return __atomic_load_n(&calls, __ATOMIC_RELAXED);
}

int
rta_io_write(int fd, const void *p, size_t len)
{
	const unsigned char *q = p;
	ssize_t k;

	if (fault_now())
		return -1;
	while (len > 0) {
		if ((k = write(fd, q, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (k == 0) {
			errno = EIO;
			return -1;
		}
		q += k;
		len -= (size_t)k;
	}
	return 0;
}

int
rta_io_pwrite(int fd, const void *p, size_t len, off_t off)
{
	const unsigned char *q = p;
	ssize_t k;

	if (fault_now())
		return -1;
	while (len > 0) {
		if ((k = pwrite(fd, q, len, off)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (k == 0) {
			errno = EIO;
			return -1;
		}
		q += k;
		len -= (size_t)k;
		off += k;
	}
	return 0;
}

int
rta_io_datasync(int fd)
{
	if (fault_now())
		return -1;
	return fdatasync(fd);
}

int
rta_io_fsync(int fd)
{
	if (fault_now())
		return -1;
	return fsync(fd);
}

int
rta_io_truncate(int fd, off_t len)
{
	int r;

	if (fault_now())
		return -1;
	while ((r = ftruncate(fd, len)) != 0 && errno == EINTR)
		;
	return r;
}

int
rta_io_reserve(int fd, off_t off, off_t len)
{
	int r;

	if (fault_now())
		return -1;
	while ((r = fallocate(fd, FALLOC_FL_KEEP_SIZE, off, len)) != 0 &&
	    errno == EINTR)
		;
	if (r != 0 && (errno == EOPNOTSUPP || errno == ENOSYS))
		return 0;
	return r;
}

int
rta_io_rename(int dfd, const char *from, const char *to)
{
	if (fault_now())
		return -1;
	return renameat(dfd, from, dfd, to);
}

int
rta_io_renameat(int fromfd, const char *from, int tofd, const char *to)
{
	if (fault_now())
		return -1;
	return renameat(fromfd, from, tofd, to);
}

int
rta_io_exchange(int afd, const char *a, int bfd, const char *b)
{
	if (fault_now())
		return -1;
	return renameat2(afd, a, bfd, b, RENAME_EXCHANGE);
}

int
rta_io_unlink(int dfd, const char *name, int flags)
{
	if (fault_now())
		return -1;
	return unlinkat(dfd, name, flags);
}
