/*
 * rta_cli.c: messages, exit codes and option parsing for the programs.
 */
#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <nettle/version.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zstd.h>

#include "rta_cli.h"
#include "rta_libarchive.h"
#include "rta_version.h"

const char *rta_progname = "rta";

/*
 * A program started with fd 0, 1 or 2 closed would hand that number to
 * the next file it opens (a dead-letter file would receive the output).
 * Occupy each closed one with /dev/null opened the wrong way round, so
 * that using it fails with EBADF exactly as the closed fd would have.
 */
static void
reserve_std_fds(void)
{
	int fd;

	for (fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) == -1 && errno == EBADF)
			(void)open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
}

void
rta_cli_init(const char *progname)
{
	struct sigaction sa;

	rta_progname = progname;
	opterr = 0;	/* our own messages, with a fixed program name */
	reserve_std_fds();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGPIPE, &sa, NULL);
}

void
rta_warnx(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "%s: ", rta_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
rta_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", rta_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%s\nTry '%s --help' for more information.\n",
	    usage, rta_progname);
	exit(RTA_EXIT_USAGE);
}

void
rta_cli_bad_option(const char *usage, int c, char **argv)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		rta_usage_error(usage, "option '%s' needs a value", arg);
	if (optopt != 0 && strncmp(arg, "--", 2) != 0)
		rta_usage_error(usage, "unknown option '-%c'", optopt);
	rta_usage_error(usage, "unknown option '%s'", arg);
}

void
rta_cli_version(void)
{
	printf("%s (rta) %s\n", rta_progname, RTA_VERSION);
	{
		/* libarchive, otherwise loaded at the first compressed input */
		const struct rta_la *la = rta_la(NULL);

		printf("%s\n", la != NULL ? la->version_details() :
		    "libarchive not found");
	}
	printf("zstd %s\n", ZSTD_versionString());
	printf("libcsv %d.%d.%d\n", CSV_MAJOR, CSV_MINOR, CSV_RELEASE);
	printf("nettle %d.%d\n", nettle_version_major(),
	    nettle_version_minor());
}

int
rta_exit_code(int code)
{
	switch (code) {
	case RTA_OK:
	case RTA_EOF:
		return RTA_EXIT_OK;
	case RTA_EDATA:
		return RTA_EXIT_DATA;
	case RTA_EINVAL:
		return RTA_EXIT_USAGE;
	case RTA_EIO:
		return RTA_EXIT_IO;
	case RTA_ELIMIT:
	case RTA_ENOMEM:
	default:
		return RTA_EXIT_LIMIT;
	}
}

int
rta_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *v)
{
	unsigned long long x;
	char *end;

	if (*s == '\0' || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || x < min || x > max)
		return -1;
	*v = x;
	return 0;
}

int
rta_parse_double(const char *s, double min, double max, double *v)
{
	char *end;
	double x;

	if (*s == '\0')
		return -1;
	errno = 0;
	x = strtod(s, &end);
	if (errno != 0 || *end != '\0' || !isfinite(x) || x < min || x > max)
		return -1;
	*v = x;
	return 0;
}

int
rta_parse_size(const char *s, uint64_t *v)
{
	unsigned long long x;
	char *end;
	int shift = 0;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	switch (*end) {
	case '\0': break;
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: return -1;
	}
	if (*end == 'i' || *end == 'B')
		end += *end == 'i' && end[1] == 'B' ? 2 : 1;
	if (*end != '\0' || x > (UINT64_MAX >> shift))
		return -1;
	*v = (uint64_t)x << shift;
	return 0;
}

void
rta_cli_check_pipe(int err_no)
{
	if (err_no == EPIPE) {
		signal(SIGPIPE, SIG_DFL);
		raise(SIGPIPE);
	}
}

int
rta_cli_finish(int status)
{
	int bad = fflush(stdout) != 0 || ferror(stdout);

	if (bad)
		rta_cli_check_pipe(errno);
	if (fclose(stdout) != 0 && !bad) {
		bad = 1;
		rta_cli_check_pipe(errno);
	}
	if (bad) {
		fprintf(stderr, "%s: write error: %s\n", rta_progname,
		    strerror(errno));
		rta_cli_status(&status, RTA_EXIT_IO);
	}
	return status;
}
