/*
 * rta_err.c: error records and the quoting of untrusted bytes in messages.
 *
 * Messages echo pieces of input (a bad timestamp, a tenant id).  Those bytes
 * are hostile: rta_quote makes sure a record holding an ANSI escape or a
 * newline cannot forge a second log line or drive the terminal.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rta_err.h"
#include "rta_utf8.h"

int
rta_error_set(struct rta_error *err, int code, const char *reason,
    const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return code;
	err->code = code;
	err->reason = reason;
	va_start(ap, fmt);
	vsnprintf(err->text, sizeof(err->text), fmt, ap);
	va_end(ap);
	return code;
}

int
rta_error_errno(struct rta_error *err, const char *what)
{
	int saved = errno;

	if (saved == ENOMEM)
		return rta_error_set(err, RTA_ENOMEM, "no-memory", "%s: %s",
		    what, strerror(saved));
	return rta_error_set(err, RTA_EIO, "io", "%s: %s", what,
	    strerror(saved));
}

void
rta_error_clear(struct rta_error *err)
{
	if (err == NULL)
		return;
	err->code = RTA_OK;
	err->reason = NULL;
	err->offset = 0;
	err->text[0] = '\0';
}

void
rta_quote(char *out, size_t outsz, const void *s, size_t len, size_t max)
{
	const unsigned char *p = s;
	size_t i = 0, o = 0;

	if (outsz == 0)
		return;
	while (i < len && i < max) {
		size_t n = rta_utf8_seqlen(p + i, len - i);

		if (n > 1) {
			if (o + n + 4 >= outsz)
				break;
			memcpy(out + o, p + i, n);
			o += n;
			i += n;
			continue;
		}
		if (n == 1 && p[i] >= 0x20 && p[i] != 0x7f) {
			if (o + 5 >= outsz)
				break;
			out[o++] = (char)p[i++];
			continue;
		}
		/* control byte or invalid UTF-8 */
		if (o + 8 >= outsz)
			break;
		o += (size_t)snprintf(out + o, outsz - o, "\\x%02x", p[i]);
		i++;
	}
	if (i < len && o + 4 < outsz) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}
