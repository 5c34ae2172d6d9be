/*
 * rta_alloc.c: allocation with overflow checks and fault injection.
 *
 * RTA_FAULT=alloc:N makes the Nth allocation (counting from 1) fail once;
 * alloc:N:persistent makes it and every later one fail.  The variable is read
 * once, on the first allocation.  Outside tests the cost is one
 * well-predicted branch per allocation.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"

static int		fault_state = -1;	/* -1 unread, 0 off, 1 on */
static unsigned long	fault_at, fault_count;
static int		fault_persistent;

static void
fault_init(void)
{
	const char *s = getenv("RTA_FAULT");
	char *end;

	fault_state = 0;
	if (s == NULL || strncmp(s, "alloc:", 6) != 0)
		return;
	fault_at = strtoul(s + 6, &end, 10);
	if (fault_at == 0)
		return;
	fault_persistent = strcmp(end, ":persistent") == 0;
	fault_state = 1;
}

static int
fault_now(void)
{
	if (fault_state < 0)
		fault_init();
	if (fault_state == 0)
		return 0;
	fault_count++;
	if (fault_count == fault_at ||
	    (fault_persistent && fault_count > fault_at)) {
		errno = ENOMEM;
		return 1;
	}
	return 0;
}

void *
rta_malloc(size_t size)
{
	if (fault_now())
		return NULL;
	return malloc(size ? size : 1);
}

void *
rta_calloc(size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	if (fault_now())
		return NULL;
	return calloc(n ? n : 1, size ? size : 1);
}

void *
rta_realloc(void *ptr, size_t size)
{
	if (fault_now())
		return NULL;
	return realloc(ptr, size ? size : 1);
}

void *
rta_reallocarray(void *ptr, size_t n, size_t size)
{
	if (size != 0 && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	return rta_realloc(ptr, n * size);
}

char *
rta_memdup(const void *p, size_t len)
{
	char *s;

	if (len == SIZE_MAX) {
		errno = ENOMEM;
		return NULL;
	}
	if ((s = rta_malloc(len + 1)) == NULL)
		return NULL;
	if (len > 0)
		memcpy(s, p, len);
	s[len] = '\0';
	return s;
}

void
rta_free(void *ptr)
{
	free(ptr);
}
