/*
 * rta_crc32c.h: CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the
 * checksum of every rta frame and stored record; and the gzip CRC-32.
 */
#ifndef RTA_CRC32C_H
#define RTA_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/*
 * Continue a CRC: pass 0 to start.  rta_crc32c(0, "123456789", 9) is
 * 0xE3069283, the check value of the CRC catalogue.
 */
uint32_t	rta_crc32c(uint32_t crc, const void *p, size_t len);

/* CRC-32C of exactly six bytes (the frame header check), fast. */
uint32_t	rta_crc32c_6(const void *p);

/*
 * CRC-32 (the reflected polynomial 0xEDB88320 of gzip and zlib), as
 * Parquet's page headers carry it; rta_crc32(0, "123456789", 9) is
 * 0xCBF43926.
 */
uint32_t	rta_crc32(uint32_t crc, const void *p, size_t len);

/* The table-driven path, always available; for tests that compare paths. */
uint32_t	rta_crc32c_sw(uint32_t crc, const void *p, size_t len);

#endif
