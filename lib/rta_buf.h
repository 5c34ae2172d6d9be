/*
 * rta_buf.h: a growable byte buffer (git's strbuf, without the NUL promise).
 *
 * Used for encoding frames and JSON, and as parser scratch.  The data may
 * move whenever the buffer grows, so keep offsets, not pointers, across
 * appends.  A failed growth leaves the buffer as it was (adlist's rule) and
 * returns -1 with errno ENOMEM.
 */
#ifndef RTA_BUF_H
#define RTA_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct rta_buf {
	unsigned char	*data;
	size_t		 len;
	size_t		 cap;
};

#define RTA_BUF_INIT	{ NULL, 0, 0 }

void	rta_buf_init(struct rta_buf *b);
/* Free the storage; b is empty and reusable afterwards.  Accepts NULL. */
void	rta_buf_release(struct rta_buf *b);
/* Make room for n more bytes beyond len.  0, or -1 (ENOMEM). */
int	rta_buf_grow_slow(struct rta_buf *b, size_t n);
/* Append printf output; 0 or -1. */
int	rta_buf_printf(struct rta_buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

static inline int
rta_buf_reserve(struct rta_buf *b, size_t n)
{
	if (b->cap - b->len >= n)
		return 0;
	return rta_buf_grow_slow(b, n);
}

static inline void
rta_buf_reset(struct rta_buf *b)
{
	b->len = 0;
}

static inline int
rta_buf_add(struct rta_buf *b, const void *p, size_t n)
{
	if (rta_buf_reserve(b, n) != 0)
		return -1;
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

static inline int
rta_buf_addc(struct rta_buf *b, int c)
{
	if (rta_buf_reserve(b, 1) != 0)
		return -1;
	b->data[b->len++] = (unsigned char)c;
	return 0;
}

static inline int
rta_buf_adds(struct rta_buf *b, const char *s)
{
	return rta_buf_add(b, s, strlen(s));
}

/* Little-endian stores and loads, safe at any alignment. */
static inline void
rta_put_u16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static inline void
rta_put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
	p[2] = (unsigned char)(v >> 16);
	p[3] = (unsigned char)(v >> 24);
}

static inline void
rta_put_u64(unsigned char *p, uint64_t v)
{
	rta_put_u32(p, (uint32_t)v);
	rta_put_u32(p + 4, (uint32_t)(v >> 32));
}

static inline uint16_t
rta_get_u16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t
rta_get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t
rta_get_u64(const unsigned char *p)
{
	return (uint64_t)rta_get_u32(p) | (uint64_t)rta_get_u32(p + 4) << 32;
}

/* Unsigned LEB128, as the sketch encodings use it: at most
 * RTA_VARINT_MAX bytes. */
#define RTA_VARINT_MAX	10

/* Bytes of v as a varint. */
static inline size_t
rta_varint_len(uint64_t v)
{
	size_t n = 1;

	while (v >= 0x80) {
		v >>= 7;
		n++;
	}
	return n;
}

/* Write v as a varint at p (room for RTA_VARINT_MAX bytes); its length. */
static inline size_t
rta_put_varint(unsigned char *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (unsigned char)v;
	return n;
}

static inline int
rta_buf_add_u32(struct rta_buf *b, uint32_t v)
{
	if (rta_buf_reserve(b, 4) != 0)
		return -1;
	rta_put_u32(b->data + b->len, v);
	b->len += 4;
	return 0;
}

static inline int
rta_buf_add_u64(struct rta_buf *b, uint64_t v)
{
	if (rta_buf_reserve(b, 8) != 0)
		return -1;
	rta_put_u64(b->data + b->len, v);
	b->len += 8;
	return 0;
}

#endif
