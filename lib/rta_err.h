/*
 * rta_err.h: how the library reports a failure.
 *
 * Library functions never print and never exit.  They return one of the
 * graded codes below and, when the caller passes a struct rta_error, fill it
 * with a reason code (a short stable token used in dead letters and metrics),
 * the place in the input and a one-line human text.  Only the front ends
 * (cmd/, through rta_cli) turn these into messages and exit statuses.
 */
#ifndef RTA_ERR_H
#define RTA_ERR_H

#include <stddef.h>

enum rta_code {
	RTA_OK = 0,
	RTA_EOF,	/* end of input: not an error */
	RTA_EDATA,	/* this record is bad; the stream is fine */
	RTA_ELIMIT,	/* a configured size, depth or count limit was hit */
	RTA_EIO,	/* system or I/O failure; errno-derived text */
	RTA_ENOMEM,	/* allocation failed */
	RTA_EINVAL	/* the caller asked for something impossible */
};

struct rta_error {
	int		 code;		/* enum rta_code */
	const char	*reason;	/* static token: "bad-json", ... */
	size_t		 offset;	/* byte offset in the record, if known */
	char		 text[160];	/* what went wrong, one line, no newline */
};

#if defined(__GNUC__)
#define RTA_PRINTFLIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define RTA_PRINTFLIKE(f, a)
#endif

/*
 * Fill err (which may be NULL) and return code, so that a failing path reads
 * `return rta_error_set(err, RTA_EDATA, "bad-json", "...")`.
 */
int	rta_error_set(struct rta_error *err, int code, const char *reason,
	    const char *fmt, ...) RTA_PRINTFLIKE(4, 5);

/* Set an RTA_EIO error from errno (saved on entry): "what: strerror". */
int	rta_error_errno(struct rta_error *err, const char *what);

/* Reset to "no error". */
void	rta_error_clear(struct rta_error *err);

/*
 * Quote at most max bytes of s into out (of size outsz) for a message:
 * control characters and invalid UTF-8 become \xNN escapes, and a longer
 * value ends in "...".  Always NUL-terminates.
 */
void	rta_quote(char *out, size_t outsz, const void *s, size_t len,
	    size_t max);

#endif
