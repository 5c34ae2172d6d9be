/*
 * rta_libarchive.c: libarchive's reading functions, resolved on first
 * use (see rta_libarchive.h for why).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <string.h>

#include "rta_libarchive.h"

/*
 * The ABI rta is built against (libarchive 3's); not the unversioned
 * name, which may be another ABI than the headers'.
 */
static const char *const sonames[] = { "libarchive.so.13" };

static struct rta_la	 la;
static int		 la_ok;
static char		 la_why[200];
static pthread_once_t	 la_once = PTHREAD_ONCE_INIT;

/*
 * dlsym returns an object pointer; POSIX guarantees it converts to a
 * function pointer, which ISO C does not say, hence the memcpy.
 */
#define SYM(field, name) do {						\
	void *p_ = dlsym(h, name);					\
	if (p_ == NULL) {						\
		missing = name;						\
		goto fail;						\
	}								\
	memcpy(&la.field, &p_, sizeof(p_));				\
} while (0)

static void
la_load(void)
{
	const char *missing = NULL, *e;
	void *h = NULL;
	size_t i;

	for (i = 0; h == NULL && i < sizeof(sonames) / sizeof(sonames[0]);
	    i++)
		h = dlopen(sonames[i], RTLD_NOW | RTLD_LOCAL);
	if (h == NULL) {
		e = dlerror();
		strncpy(la_why, e != NULL ? e : "cannot load libarchive",
		    sizeof(la_why) - 1);
		return;
	}
	SYM(read_new, "archive_read_new");
	SYM(read_support_filter_all, "archive_read_support_filter_all");
	SYM(read_support_format_tar, "archive_read_support_format_tar");
	SYM(read_support_format_zip, "archive_read_support_format_zip");
	SYM(read_support_format_cpio, "archive_read_support_format_cpio");
	SYM(read_support_format_7zip, "archive_read_support_format_7zip");
	SYM(read_support_format_empty, "archive_read_support_format_empty");
	SYM(read_support_format_raw, "archive_read_support_format_raw");
	SYM(read_open, "archive_read_open");
	SYM(read_next_header, "archive_read_next_header");
	SYM(read_data_block, "archive_read_data_block");
	SYM(read_free, "archive_read_free");
	SYM(format, "archive_format");
	SYM(error_string, "archive_error_string");
	SYM(set_error, "archive_set_error");
	SYM(entry_filetype, "archive_entry_filetype");
	SYM(entry_pathname, "archive_entry_pathname");
	SYM(version_details, "archive_version_details");
	la_ok = 1;
	return;
fail:
	/* the handle stays open: a half-resolved library is never used */
	strncpy(la_why, "libarchive has no ", sizeof(la_why) - 1);
	strncat(la_why, missing, sizeof(la_why) - strlen(la_why) - 1);
}

const struct rta_la *
rta_la(struct rta_error *err)
{
	if (pthread_once(&la_once, la_load) != 0 || !la_ok) {
		if (err != NULL)
			rta_error_set(err, RTA_EIO, "io", "compressed input "
			    "or archive: %s", la_why[0] != '\0' ? la_why :
			    "cannot load libarchive");
		return NULL;
	}
	return &la;
}
