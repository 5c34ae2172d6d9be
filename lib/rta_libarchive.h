/*
 * rta_libarchive.h: libarchive's reading functions, loaded on first use.
 *
 * Most runs read plain files and pipes.  On Debian, libarchive brings
 * libxml2, ICU and libstdc++ with it, and mapping and relocating them
 * takes about a millisecond at every start: a fifth of a short query, and
 * of every connection rta-query --http serves.  So the input layer does
 * not link the reading functions; it resolves them with dlopen when the
 * first compressed input or archive arrives, and a run that never meets
 * one never loads the library.  (rta-store, whose archive command writes
 * with libarchive, links it as usual; dlopen then finds it loaded.)
 */
#ifndef RTA_LIBARCHIVE_H
#define RTA_LIBARCHIVE_H

#include <sys/types.h>

#include <archive.h>
#include <archive_entry.h>

#include "rta_err.h"

struct rta_la {
	struct archive	*(*read_new)(void);
	int		 (*read_support_filter_all)(struct archive *);
	int		 (*read_support_format_tar)(struct archive *);
	int		 (*read_support_format_zip)(struct archive *);
	int		 (*read_support_format_cpio)(struct archive *);
	int		 (*read_support_format_7zip)(struct archive *);
	int		 (*read_support_format_empty)(struct archive *);
	int		 (*read_support_format_raw)(struct archive *);
	int		 (*read_open)(struct archive *, void *,
			    archive_open_callback *, archive_read_callback *,
			    archive_close_callback *);
	int		 (*read_next_header)(struct archive *,
			    struct archive_entry **);
	int		 (*read_data_block)(struct archive *, const void **,
			    size_t *, la_int64_t *);
	int		 (*read_free)(struct archive *);
	int		 (*format)(struct archive *);
	const char	*(*error_string)(struct archive *);
	void		 (*set_error)(struct archive *, int, const char *, ...);
	mode_t		 (*entry_filetype)(struct archive_entry *);
	const char	*(*entry_pathname)(struct archive_entry *);
	const char	*(*version_details)(void);
};

/*
 * The functions, loaded once (thread-safe).  NULL when libarchive cannot
 * be loaded: err (may be NULL) then says why ("io").
 */
const struct rta_la *rta_la(struct rta_error *err);

#endif
