/*
 * frames.h: for fuzz targets that feed rta frames, a copy of the input
 * with every frame header check and body CRC made right, so that
 * mutations reach what lies behind the checksums.
 */
#ifndef RTA_FUZZ_FRAMES_H
#define RTA_FUZZ_FRAMES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rta_buf.h"
#include "rta_crc32c.h"
#include "rta_frame.h"

/* A copy with every header check and body CRC made right (free it). */
static unsigned char *
repaired(const uint8_t *data, size_t size)
{
	unsigned char *q = malloc(size > 0 ? size : 1);
	size_t pos = 0;
	uint32_t len;

	if (q == NULL)
		return NULL;
	memcpy(q, data, size);
	while (size - pos >= RTA_FRAME_HEADER_LEN) {
		if (rta_frame_is_magic(q + pos, 8)) {
			pos += RTA_STREAM_HEADER_LEN;
			continue;
		}
		len = rta_get_u32(q + pos);
		if (len > RTA_FRAME_MAX || len > size - pos -
		    RTA_FRAME_HEADER_LEN)
			break;
		rta_put_u16(q + pos + 6, (uint16_t)rta_crc32c(0, q + pos, 6));
		rta_put_u32(q + pos + 8, rta_crc32c(0, q + pos +
		    RTA_FRAME_HEADER_LEN, len));
		pos += RTA_FRAME_HEADER_LEN + len;
	}
	return q;
}

#endif
