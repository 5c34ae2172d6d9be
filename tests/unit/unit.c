/*
 * unit.c: the temporary directories and file helpers of unit.h.
 *
 * Two levels of directory: check's parent process makes the base
 * directory before it forks the tests of a TCase and removes it after
 * them (an unchecked fixture), and each test makes its own directory
 * inside it.  A test that crashes before its teardown leaves its
 * directory inside the base one, which the parent still removes.  Paths
 * that would not fit a buffer fail the test instead of being cut short:
 * a cut path could name some other file, and the teardowns run rm -rf.
 * A directory's name is cleared when it is removed or could not be made,
 * so a teardown never removes anything twice or by a stale name.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "unit.h"

#define NPATHS	8	/* unit_path results alive at once */

static char basedir[UNIT_PATH_MAX];	/* per TCase, made by the parent */
static char tmpdir[UNIT_PATH_MAX];	/* per test, inside basedir */

/* out = dir/name, which must fit; empty if it does not. */
static void
join(char *out, const char *dir, const char *name)
{
	int n = snprintf(out, UNIT_PATH_MAX, "%s/%s", dir, name);

	if (n < 0 || n >= UNIT_PATH_MAX) {
		out[0] = '\0';
		ck_abort_msg("path too long: %s/%s", dir, name);
	}
}

/* dir = a new directory in parent, from template tmpl; empty on failure. */
static void
make_dir(char *dir, const char *parent, const char *tmpl)
{
	int e;

	join(dir, parent, tmpl);
	if (mkdtemp(dir) == NULL) {
		e = errno;
		dir[0] = '\0';
		ck_abort_msg("cannot make a directory in %s: %s", parent,
		    strerror(e));
	}
}

/* Remove dir and all it holds, then forget it. */
static void
remove_tree(char *dir)
{
	char cmd[UNIT_PATH_MAX + 16];

	if (dir[0] == '\0')
		return;		/* never made */
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	dir[0] = '\0';
	ck_assert_int_eq(system(cmd), 0);
}

void
unit_base_setup(void)
{
	const char *t = getenv("TMPDIR");

	make_dir(basedir, t != NULL && *t != '\0' ? t : "/tmp",
	    "rta-check-XXXXXX");
}

void
unit_base_teardown(void)
{
	remove_tree(basedir);
}

void
unit_tmp_setup(void)
{
	ck_assert_msg(basedir[0] != '\0', "unit_tmp_setup without a base "
	    "directory (unit_base_setup)");
	make_dir(tmpdir, basedir, "t-XXXXXX");
}

void
unit_tmp_teardown(void)
{
	remove_tree(tmpdir);
}

const char *
unit_path(const char *name)
{
	static char p[NPATHS][UNIT_PATH_MAX];
	static int k;

	/* without a directory, the path would be in the root directory */
	ck_assert_msg(tmpdir[0] != '\0', "unit_path outside unit_tmp_setup "
	    "and unit_tmp_teardown");
	k = (k + 1) % NPATHS;
	join(p[k], tmpdir, name);
	return p[k];
}

static void
write_flags(const char *name, const void *p, size_t len, int flags)
{
	const char *path = unit_path(name);
	int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);

	ck_assert_msg(fd >= 0, "cannot write %s: %s", path, strerror(errno));
	ck_assert_int_eq(write(fd, p, len), (ssize_t)len);
	ck_assert_int_eq(close(fd), 0);
}

void
unit_write(const char *name, const void *p, size_t len)
{
	write_flags(name, p, len, O_TRUNC);
}

void
unit_write_str(const char *name, const char *s)
{
	write_flags(name, s, strlen(s), O_TRUNC);
}

void
unit_append(const char *name, const void *p, size_t len)
{
	write_flags(name, p, len, O_APPEND);
}

void
unit_read(const char *path, struct rta_buf *b)
{
	char chunk[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	ck_assert_msg(fd >= 0, "cannot read %s: %s", path, strerror(errno));
	rta_buf_reset(b);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		ck_assert_int_eq(rta_buf_add(b, chunk, (size_t)n), 0);
	ck_assert_msg(n == 0, "cannot read %s: %s", path, strerror(errno));
	ck_assert_int_eq(close(fd), 0);
	ck_assert_int_eq(rta_buf_addc(b, '\0'), 0);
	b->len--;
}

unsigned long
unit_alloc_failures(int (*child)(unsigned long n),
    const char *(*why)(int code))
{
	unsigned long n;
	int status, code = 1;
	pid_t pid;

	for (n = 1; code == 1; n++) {
		ck_assert_msg(n < 100000, "no end to the allocations");
		pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0)
			_exit(child(n));
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		ck_assert_msg(WIFEXITED(status), "RTA_FAULT=alloc:%lu:"
		    "persistent: the child died (signal %d)", n,
		    WIFSIGNALED(status) ? WTERMSIG(status) : 0);
		code = WEXITSTATUS(status);
		ck_assert_msg(code != 12, "RTA_FAULT is not in effect: it "
		    "is read once per process, so run this test forked");
		/* make check-unit gives the sanitizers this exit code */
		ck_assert_msg(code != 86, "RTA_FAULT=alloc:%lu:persistent: "
		    "a sanitizer found an error (see above)", n);
		ck_assert_msg(code == 0 || code == 1, "RTA_FAULT=alloc:%lu:"
		    "persistent: %s", n, why != NULL ? why(code) :
		    "wrong answer");
	}
	return n;
}

void
unit_json_member_is(json_t *j, const char *key, const char *want)
{
	json_error_t je;
	json_t *w = json_loads(want, JSON_DECODE_ANY, &je);

	ck_assert_msg(w != NULL, "bad want %s: %s", want, je.text);
	ck_assert_msg(json_equal(json_object_get(j, key), w), "member %s "
	    "differs from %s", key, want);
	json_decref(w);
}
