/*
 * rta_alloc.h: the one allocator wrapper of the project.
 *
 * Every allocation in lib/ and cmd/ goes through these functions so that the
 * tests can make the Nth one fail (RTA_FAULT=alloc:N[:persistent]) and prove
 * that a failing allocation is an orderly exit 4, never a crash or a leak.
 * Sizes are checked for overflow before the system allocator sees them.
 */
#ifndef RTA_ALLOC_H
#define RTA_ALLOC_H

#include <stddef.h>

/* malloc(3); NULL (errno ENOMEM) on failure or injected fault. */
void	*rta_malloc(size_t size);
/* calloc(3) with overflow check. */
void	*rta_calloc(size_t n, size_t size);
/* realloc(3); on failure ptr is untouched and NULL returned. */
void	*rta_realloc(void *ptr, size_t size);
/* realloc(ptr, n * size) with an overflow check (OpenBSD reallocarray). */
void	*rta_reallocarray(void *ptr, size_t n, size_t size);
/* strndup-like: a new NUL-terminated copy of len bytes. */
char	*rta_memdup(const void *p, size_t len);
/* free(3); accepts NULL. */
void	 rta_free(void *ptr);

#endif
