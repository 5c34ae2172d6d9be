/*
 * rta_io.h: the durable-write calls of the store, with fault injection.
 *
 * Every write, sync, truncation, reservation and rename that the store's
 * durability rests on goes through these wrappers, so that tests can
 * make the Nth of them fail as a disk would:
 *
 *	RTA_FAULT=io:N[:persistent][:ERRNO]
 *
 * fails the Nth call (counting from 1) once, or it and every later one
 * with :persistent, with errno ERRNO (a number; default EIO, 5).  The
 * variable is read once.  Each wrapper retries EINTR and short writes
 * itself, and returns 0, or -1 with errno set.
 */
#ifndef RTA_IO_H
#define RTA_IO_H

#include <stddef.h>
#include <sys/types.h>

/* Write all len bytes at the file offset (append) or at off. */
int	rta_io_write(int fd, const void *p, size_t len);
int	rta_io_pwrite(int fd, const void *p, size_t len, off_t off);

/* fdatasync(2) and fsync(2) (the latter for directories). */
int	rta_io_datasync(int fd);
int	rta_io_fsync(int fd);

/* ftruncate(2). */
int	rta_io_truncate(int fd, off_t len);

/*
 * Reserve disk blocks for [off, off + len) without changing the file's
 * size, so that a full disk shows at the reservation instead of in the
 * middle of a record.  A file system that cannot reserve (EOPNOTSUPP)
 * is not an error: the writes then report a full disk themselves.
 */
int	rta_io_reserve(int fd, off_t off, off_t len);

/* renameat(2) and unlinkat(2). */
int	rta_io_rename(int dfd, const char *from, const char *to);
/* renameat(2) between two directories. */
int	rta_io_renameat(int fromfd, const char *from, int tofd, const char *to);
/*
 * Swap the names a (in directory afd) and b (in bfd), both existing, in
 * one step: renameat2(2) with RENAME_EXCHANGE.  EINVAL where the file
 * system cannot.
 */
int	rta_io_exchange(int afd, const char *a, int bfd, const char *b);
int	rta_io_unlink(int dfd, const char *name, int flags);

/* How many calls the wrappers have made (for tests that count them). */
unsigned long rta_io_calls(void);

#endif
