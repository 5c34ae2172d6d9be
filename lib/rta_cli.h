/*
 * rta_cli.h: what every rta program does the same way.
 *
 * The front-end half of the project (with rta_stage): it prints and exits,
 * which lib/ otherwise never does.  Program name, diagnostics in the shape
 *	rta-cat: events.ndjson:42: bad timestamp '2026-13-01': month out of range
 * the exit codes of DESIGN §3, --help/--version conventions, and option
 * value parsers that check range and trailing junk.
 */
#ifndef RTA_CLI_H
#define RTA_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "rta_err.h"

enum rta_exit {
	RTA_EXIT_OK = 0,	/* every record processed, no problems */
	RTA_EXIT_DATA = 1,	/* some records were bad (reported, skipped) */
	RTA_EXIT_USAGE = 2,	/* bad option, value or operands */
	RTA_EXIT_IO = 3,	/* cannot read an input, write failed, ... */
	RTA_EXIT_LIMIT = 4,	/* out of memory or a configured cap reached */
	RTA_EXIT_BUSY = 5	/* the store has another writer */
};

extern const char *rta_progname;

/* Set the program name used in messages; reset SIGPIPE to its default
 * so that `rta-x | head -1` ends quietly. */
void	rta_cli_init(const char *progname);

/* "prog: message" on stderr. */
void	rta_warnx(const char *fmt, ...) RTA_PRINTFLIKE(1, 2);

/*
 * A usage error: "prog: message", the usage line, and "Try 'prog --help'
 * for more information." on stderr; exit 2.
 */
void	rta_usage_error(const char *usage, const char *fmt, ...)
	    RTA_PRINTFLIKE(2, 3) __attribute__((noreturn));

/*
 * Report what getopt_long returned for a bad option (c is '?' or ':',
 * with opterr 0 and an optstring starting with ':') as a usage error.
 */
void	rta_cli_bad_option(const char *usage, int c, char **argv)
	    __attribute__((noreturn));

/* "prog (rta) VERSION" and the linked libraries' versions, on stdout. */
void	rta_cli_version(void);

/* The exit code for a library result code. */
int	rta_exit_code(int rta_code);

/* Raise *status to code if code is more severe (higher wins). */
static inline void
rta_cli_status(int *status, int code)
{
	if (code > *status)
		*status = code;
}

/* Option values.  Each returns 0, or -1 for junk or out of range. */
int	rta_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *v);
int	rta_parse_double(const char *s, double min, double max, double *v);
/* "512", "64K", "16M", "1G" (powers of 1024). */
int	rta_parse_size(const char *s, uint64_t *v);

/*
 * Flush and close stdout, raising status to 3 on failure (with "write
 * error: ..." on stderr); if the reader went away (EPIPE), die quietly of
 * SIGPIPE as a filter should.  Returns the final status.
 */
int	rta_cli_finish(int status);

/* Die of SIGPIPE if err says the reader of stdout went away. */
void	rta_cli_check_pipe(int err_no);

#endif
