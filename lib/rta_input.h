/*
 * rta_input.h: where bytes come from.
 *
 * An input is a file operand ("-" or none is stdin).  Compressed data
 * (gzip, bzip2, xz, lz4, zstd, compress) and archives (tar, zip, cpio,
 * 7z, ...) are recognised by their first bytes and read through libarchive;
 * anything else is read with read(2) straight into the caller's buffer.
 * An archive is a sequence of members, each read in order and named in
 * positions as "logs.tar(day1.ndjson)", like ar's lib.a(obj.o).
 *
 * Before any read that may block, the input calls an idle hook, so that a
 * filter can flush its output first (a trickle is then never held back)
 * and keep its metrics fresh while it waits.
 */
#ifndef RTA_INPUT_H
#define RTA_INPUT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "rta_err.h"

struct archive;
struct rta_la;

struct rta_input {
	char		*path;		/* operand as given; NULL for stdin */
	char		*name;		/* for messages: "<stdin>", path */
	char		*member_name;	/* "path(member)" inside archives */
	int		 fd;
	int		 follow;	/* -f: wait for more, track rotation */
	struct archive	*ar;
	const struct rta_la *la;	/* libarchive, loaded for ar */
	int		 ar_members;	/* an archive format, not raw */
	int		 ar_entry_open;
	const unsigned char *blk;	/* libarchive's current data block */
	size_t		 blk_left;
	int64_t		 ar_pos;	/* member offset of blk */
	int64_t		 ar_hole;	/* zero bytes due (a sparse member) */
	unsigned char	*peek;		/* bytes read while detecting */
	size_t		 peek_len, peek_pos;
	unsigned char	*arbuf;		/* libarchive read-callback block */
	dev_t		 dev;
	ino_t		 ino;
	off_t		 pos;		/* bytes read from fd (plain files) */
	int		 regular;
	void		(*idle)(void *);
	void		*idle_arg;
	struct rta_error *cb_err;
	/* reading ahead (rta_input_ahead) */
	int		 ahead;		/* a thread serves the reads */
	pthread_t	 thread;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	void		*req_buf;	/* a posted read ... */
	size_t		 req_len;
	void		(*then)(void *, size_t);	/* ... its follow-up */
	void		*then_arg;
	int		 sync_req;	/* ... served on collect, or */
	int		 req;		/* ... given to the thread, not done */
	int		 waited;	/* collect found it not done yet */
	int		 done;		/* its result is ready: */
	ssize_t		 res;
	int		 res_errno;
	int		 quit;
};

/*
 * Open operand (NULL or "-" is stdin).  RTA_OK, or RTA_EIO with err set
 * ("cannot open": "nosuch.ndjson: No such file or directory").  With
 * follow, a plain file is followed like tail -F.
 */
int	rta_input_open(struct rta_input *in, const char *operand, int follow,
	    void (*idle)(void *), void *idle_arg, struct rta_error *err);

/*
 * Read up to n bytes of the current member into buf.  Returns the count,
 * 0 at the end of the member, or -1 with err set (RTA_EIO).
 */
ssize_t	rta_input_read(struct rta_input *in, void *buf, size_t n,
	    struct rta_error *err);

/*
 * Move to the next archive member.  1 if there is one (its name is in
 * rta_input_name), 0 when the input is done, -1 on error.  A plain input
 * has exactly one member, already current after open.
 */
int	rta_input_next_member(struct rta_input *in, struct rta_error *err);

/*
 * Read ahead: a thread of the input's own performs the reads of a plain
 * (not compressed, not followed) input, so that they overlap with the
 * caller's work on a second core.  1 when started; 0 when the input is
 * not eligible or no thread could be made (reads are then synchronous).
 * Then rta_input_post(buf, n) starts a read into buf, which the caller
 * must not touch until rta_input_collect returns its result (the count,
 * 0 at the end, -1 with err set), waiting and running the idle hook as
 * rta_input_read does.
 */
int	rta_input_ahead(struct rta_input *in);
void	rta_input_post(struct rta_input *in, void *buf, size_t n);
/*
 * The same, and when the thread has read n > 0 bytes it calls then(arg,
 * n) before the read counts as done, so that work on the new bytes also
 * runs on the second core.  A synchronous read (no thread) skips it.
 */
void	rta_input_post_then(struct rta_input *in, void *buf, size_t n,
	    void (*then)(void *, size_t), void *arg);
ssize_t	rta_input_collect(struct rta_input *in, struct rta_error *err);
/* 1 if the last rta_input_collect had to wait for the thread. */
int	rta_input_waited(const struct rta_input *in);

/* How many cores this process may run on (taskset -c 0 gives 1). */
int	rta_input_cores(void);

/* Name for positions: "<stdin>", "events.ndjson", "logs.tar(a.ndjson)". */
const char *rta_input_name(const struct rta_input *in);

/* Size of a regular plain file, for progress; -1 if unknown. */
off_t	rta_input_size(const struct rta_input *in);
/* Bytes read so far from the file (before decompression). */
off_t	rta_input_offset(const struct rta_input *in);

void	rta_input_close(struct rta_input *in);

#endif
