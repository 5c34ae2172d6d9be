/*
 * rta_buf.c: growth policy of struct rta_buf.
 *
 * Capacity doubles (at least 256 bytes) so appends are amortised O(1); the
 * size arithmetic is checked so a huge request fails instead of wrapping.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

#include "rta_alloc.h"
#include "rta_buf.h"

void
rta_buf_init(struct rta_buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
}

void
rta_buf_release(struct rta_buf *b)
{
	if (b == NULL)
		return;
	rta_free(b->data);
	rta_buf_init(b);
}

int
rta_buf_grow_slow(struct rta_buf *b, size_t n)
{
	size_t need, cap;
	unsigned char *p;

	if (n > SIZE_MAX - b->len) {
		errno = ENOMEM;
		return -1;
	}
	need = b->len + n;
	cap = b->cap < 256 ? 256 : b->cap;
	while (cap < need) {
		if (cap > SIZE_MAX / 2) {
			cap = need;
			break;
		}
		cap *= 2;
	}
	if ((p = rta_realloc(b->data, cap)) == NULL)
		return -1;
	b->data = p;
	b->cap = cap;
	return 0;
}

int
rta_buf_printf(struct rta_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || rta_buf_reserve(b, (size_t)n + 1) != 0)
		return -1;
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}
