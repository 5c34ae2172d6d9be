/*
 * rta_archive_int.h: internal to rta_archive*.c, not part of the API (see
 * rta_archive.h for that): what the manifest, reading and writing parts
 * of the module share.
 */
#ifndef RTA_ARCHIVE_INT_H
#define RTA_ARCHIVE_INT_H

#define IOBUF	(64 * 1024)	/* bytes read or written at a time */
#define QUOTE	100		/* bytes of a path quoted in a message */

#endif /* RTA_ARCHIVE_INT_H */
