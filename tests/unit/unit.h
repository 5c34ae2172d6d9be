/*
 * unit.h: helpers the unit suites share: a temporary directory for each
 * test, paths inside it, and whole-file writes and reads.
 *
 * Every helper checks what it does with ck_assert, so a failed open,
 * write or read fails the test where it happened; none returns an error.
 * A suite with files adds both fixtures to each TCase that needs them:
 *
 *	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
 *	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
 *
 * or its own checked fixture that calls unit_tmp_setup first and
 * unit_tmp_teardown last.
 */
#ifndef UNIT_H
#define UNIT_H

#include <stddef.h>

#include <jansson.h>

#include "rta_buf.h"

/* Path buffer size, NUL included: what unit_path returns always fits. */
#define UNIT_PATH_MAX	512

/*
 * Unchecked fixture: make a base directory under $TMPDIR (or /tmp), and
 * remove it with all it holds.  They run in check's parent process, so
 * nothing is left behind even when a test dies before its own teardown.
 */
void		 unit_base_setup(void);
void		 unit_base_teardown(void);

/*
 * Checked fixture: make a fresh, empty directory for one test inside the
 * base directory, and remove it with all it holds.
 */
void		 unit_tmp_setup(void);
void		 unit_tmp_teardown(void);

/*
 * The path of name inside the test's directory; unit_path(".") is the
 * directory itself.  Borrowed: a static buffer that stays valid for the
 * next 7 calls, so that several paths can be used together.  Fails the
 * test outside the checked fixture, or if the path would not fit in
 * UNIT_PATH_MAX (so would the fixtures, for a very long $TMPDIR).
 */
const char	*unit_path(const char *name);

/*
 * Write len bytes from p (or the string s) to name inside the test's
 * directory: unit_write and unit_write_str create or truncate the file
 * (mode 0644), unit_append adds to its end (creating it if need be).
 */
void		 unit_write(const char *name, const void *p, size_t len);
void		 unit_write_str(const char *name, const char *s);
void		 unit_append(const char *name, const void *p, size_t len);

/*
 * Replace the contents of b with the whole file at path (any path, not
 * only in the test's directory).  A NUL follows the data without being
 * counted in b->len, so a text file reads as a C string.
 */
void		 unit_read(const char *path, struct rta_buf *b);

/* Member key of j equals the JSON text want (compared by value). */
void		 unit_json_member_is(json_t *j, const char *key,
		    const char *want);

/*
 * Allocation failures, one at a time: for n = 1, 2, ... fork a child
 * that runs child(n), which sets RTA_FAULT=alloc:n:persistent, does its
 * work and exits 0 when it finished without meeting the fault (the loop
 * is over), 1 when the work failed cleanly, 12 when the fault was not in
 * effect, or another code for a wrong answer (why(code) says which, when
 * why is given).  Any other exit or a signal fails the test.  Returns
 * the number of steps taken, for the caller to check it is plausible.
 */
unsigned long	 unit_alloc_failures(int (*child)(unsigned long n),
		    const char *(*why)(int code));

#endif
