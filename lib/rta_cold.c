/*
 * rta_cold.c: the cold store's directories (see rta_cold.h): the lock,
 * partition paths, and publishing and removing partitions.  Walking the
 * partitions is in rta_cold_walk.c.
 */
#define _GNU_SOURCE
#include <sys/file.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_cold.h"
#include "rta_io.h"
#include "rta_store.h"
#include "rta_time.h"

static int
io_error(struct rta_error *err, const char *dir, const char *name,
    const char *what)
{
	return rta_error_set(err, RTA_EIO, "cold-io", "%s/%s: %s: %s", dir,
	    name, what, strerror(errno));
}

static int
sync_at(int dfd, const char *rel)
{
	int fd, rc;

	fd = openat(dfd, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = rta_io_fsync(fd);
	close(fd);
	return rc;
}

/* Remove everything under the directory fd (which is then closed). */
static int
empty_dir(int fd)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int sub, rc = 0;

	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (fstatat(fd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			rc = -1;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			sub = openat(fd, de->d_name, O_RDONLY | O_DIRECTORY |
			    O_NOFOLLOW | O_CLOEXEC);
			if (sub < 0 || empty_dir(sub) != 0 ||
			    rta_io_unlink(fd, de->d_name, AT_REMOVEDIR) != 0)
				rc = -1;
		} else if (rta_io_unlink(fd, de->d_name, 0) != 0)
			rc = -1;
	}
	closedir(d);
	return rc;
}

static int
rmtree(int dfd, const char *rel)
{
	int fd;

	fd = openat(dfd, rel, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	if (empty_dir(fd) != 0)
		return -1;
	if (rta_io_unlink(dfd, rel, AT_REMOVEDIR) != 0 && errno != ENOENT)
		return -1;
	return 0;
}

int
rta_cold_open(struct rta_cold *c, const char *path, int create,
    struct rta_error *err)
{
	int fd;

	c->fd = c->lockfd = -1;
	c->seq = 0;
	if (strlen(path) >= sizeof(c->path))
		return rta_error_set(err, RTA_EINVAL, "cold-path",
		    "%s: path too long", path);
	snprintf(c->path, sizeof(c->path), "%s", path);
	if (create && mkdir(path, 0777) != 0 && errno != EEXIST)
		return rta_error_set(err, RTA_EIO, "cold-io", "%s: mkdir: %s",
		    path, strerror(errno));
	c->fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->fd < 0) {
		if (errno == ENOENT)
			return rta_error_set(err, RTA_EOF, "cold-missing",
			    "%s: no such directory", path);
		return rta_error_set(err, RTA_EIO, "cold-io", "%s: %s", path,
		    strerror(errno));
	}
	fd = openat(c->fd, RTA_COLD_LOCK, O_RDWR | O_CREAT | O_NOFOLLOW |
	    O_CLOEXEC, 0666);
	if (fd < 0) {
		io_error(err, path, RTA_COLD_LOCK, "open");
		rta_cold_close(c);
		return RTA_EIO;
	}
	c->lockfd = fd;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		rta_error_set(err, RTA_EIO, "store-busy", "%s: another export, "
		    "archive or restore is using this directory", path);
		rta_cold_close(c);
		return RTA_EIO;
	}
	if (rmtree(c->fd, RTA_COLD_STAGING) != 0) {
		io_error(err, path, RTA_COLD_STAGING, "removing leftovers");
		rta_cold_close(c);
		return RTA_EIO;
	}
	return RTA_OK;
}

void
rta_cold_close(struct rta_cold *c)
{
	if (c->fd >= 0 && c->lockfd >= 0)
		(void)rmtree(c->fd, RTA_COLD_STAGING);
	if (c->lockfd >= 0)
		close(c->lockfd);
	if (c->fd >= 0)
		close(c->fd);
	c->fd = c->lockfd = -1;
}

static int
plain_byte(unsigned char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' || ch == '.';
}

int
rta_cold_pct_encode(char *out, size_t outsz, const char *s, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, k = 0;
	unsigned char ch;

	for (i = 0; i < len; i++) {
		ch = (unsigned char)s[i];
		if (plain_byte(ch)) {
			if (k + 1 >= outsz)
				return -1;
			out[k++] = (char)ch;
		} else {
			if (k + 3 >= outsz)
				return -1;
			out[k++] = '%';
			out[k++] = hex[ch >> 4];
			out[k++] = hex[ch & 15];
		}
	}
	if (k >= outsz)
		return -1;
	out[k] = '\0';
	return (int)k;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
rta_cold_pct_decode(char *out, size_t outsz, const char *s, size_t len)
{
	size_t i, k = 0;
	int hi, lo;

	for (i = 0; i < len; i++) {
		if (k + 1 >= outsz)
			return -1;
		if (s[i] != '%') {
			out[k++] = s[i];
			continue;
		}
		if (i + 2 >= len)
			return -1;
		if ((hi = hexval(s[i + 1])) < 0 || (lo = hexval(s[i + 2])) < 0)
			return -1;
		out[k++] = (char)(hi << 4 | lo);
		i += 2;
	}
	if (k >= outsz)
		return -1;
	out[k] = '\0';
	return (int)k;
}

int
rta_cold_part_path(char *buf, size_t size, const char *dataset,
    const char *tenant, size_t tlen, int64_t day, struct rta_error *err)
{
	char enc[3 * 256 + 1];
	unsigned m, d;
	int64_t y;
	int n;

	n = rta_cold_pct_encode(enc, sizeof(enc), tenant, tlen);
	if (n < 0 || (size_t)n + sizeof("tenant_id=") - 1 > NAME_MAX)
		return rta_error_set(err, RTA_ELIMIT, "tenant-too-long",
		    "tenant id of %zu bytes: its partition directory name "
		    "would be longer than %d bytes", tlen, NAME_MAX);
	rta_civil_from_days(day, &y, &m, &d);
	n = snprintf(buf, size, "%s/tenant_id=%s/year=%lld/month=%u/day=%u",
	    dataset, enc, (long long)y, m, d);
	if (n < 0 || (size_t)n >= size)
		return rta_error_set(err, RTA_ELIMIT, "path-too-long",
		    "%s: partition path too long", dataset);
	return RTA_OK;
}

/* The decimal number of s[0, len) (no sign, no leading zeros). */
static int
parse_num(const char *s, size_t len, int64_t max, int64_t *v)
{
	size_t i;

	if (len == 0 || len > 6 || (len > 1 && s[0] == '0'))
		return -1;
	*v = 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return *v <= max ? 0 : -1;
}

/* The next component of *p ("key=value"), value into v/vlen. */
static int
component(const char **p, const char *key, const char **v, size_t *vlen)
{
	size_t klen = strlen(key), n;
	const char *s = *p, *slash;

	slash = strchr(s, '/');
	n = slash != NULL ? (size_t)(slash - s) : strlen(s);
	if (n <= klen || strncmp(s, key, klen) != 0 || s[klen] != '=')
		return -1;
	*v = s + klen + 1;
	*vlen = n - klen - 1;
	*p = slash != NULL ? slash + 1 : s + n;
	return 0;
}

int
rta_cold_part_parse(const char *rel, char *dataset, size_t dssz,
    char *tenant, size_t *tlen, int64_t *day)
{
	const char *p = rel, *slash, *v;
	int64_t y, m, d;
	size_t vlen;
	int n;

	if ((slash = strchr(p, '/')) == NULL || slash == p ||
	    (size_t)(slash - p) >= dssz)
		return -1;
	memcpy(dataset, p, (size_t)(slash - p));
	dataset[slash - p] = '\0';
	p = slash + 1;
	if (component(&p, "tenant_id", &v, &vlen) != 0 ||
	    (n = rta_cold_pct_decode(tenant, 257, v, vlen)) < 0 || n > 255)
		return -1;
	*tlen = (size_t)n;
	if (component(&p, "year", &v, &vlen) != 0 ||
	    parse_num(v, vlen, 9999, &y) != 0 ||
	    component(&p, "month", &v, &vlen) != 0 ||
	    parse_num(v, vlen, 12, &m) != 0 || m < 1 ||
	    component(&p, "day", &v, &vlen) != 0 ||
	    parse_num(v, vlen, 31, &d) != 0 || d < 1)
		return -1;
	*day = rta_days_from_civil(y, (unsigned)m, (unsigned)d);
	return 0;
}

static int
name_byte(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
}

int
rta_cold_name_valid(const char *s)
{
	size_t n = strlen(s), i;

	if (n <= sizeof("part-.parquet") - 1 || n > NAME_MAX ||
	    strncmp(s, "part-", 5) != 0 || strcmp(s + n - 8, ".parquet") != 0)
		return 0;
	for (i = 5; i < n - 8; i++)
		if (!name_byte(s[i]))
			return 0;
	return 1;
}

long
rta_cold_part_canon(const char *rel, int64_t *day)
{
	char ds[RTA_STORE_NAME_MAX + 1], tenant[257], buf[RTA_COLD_PART_MAX];
	size_t tlen, n;

	/* Rebuilt from what it parses to and compared. */
	if (strlen(rel) >= RTA_COLD_PART_MAX ||
	    rta_cold_part_parse(rel, ds, sizeof(ds), tenant, &tlen, day) != 0 ||
	    tlen == 0 || !rta_store_name_valid(ds) ||
	    rta_cold_part_path(buf, sizeof(buf), ds, tenant, tlen, *day,
	    NULL) != RTA_OK)
		return -1;
	n = strlen(buf);
	if (strncmp(rel, buf, n) != 0 || (rel[n] != '/' && rel[n] != '\0'))
		return -1;
	return (long)n;
}

int
rta_cold_stage(struct rta_cold *c, char *rel, size_t relsz,
    struct rta_error *err)
{
	if (mkdirat(c->fd, RTA_COLD_STAGING, 0777) != 0 && errno != EEXIST)
		return io_error(err, c->path, RTA_COLD_STAGING, "mkdir");
	for (;;) {
		snprintf(rel, relsz, "%s/%ld.%u", RTA_COLD_STAGING,
		    (long)getpid(), c->seq++);
		if (mkdirat(c->fd, rel, 0777) == 0)
			return RTA_OK;
		if (errno != EEXIST)
			return io_error(err, c->path, rel, "mkdir");
	}
}

/*
 * Open the directory holding the last component of rel, never following
 * a symbolic link (the cold store's directories are trusted, what is in
 * them is not): with create, the missing directories are made and each
 * new one's parent synced.  A descriptor with *last set to the last
 * component; -2 when a directory is missing (create not set); -1 with
 * err set.
 */
static int
walk(struct rta_cold *c, const char *rel, int create, const char **last,
    struct rta_error *err)
{
	char comp[NAME_MAX + 1];
	const char *p = rel, *slash;
	size_t n;
	int fd, nfd;

	if ((fd = openat(c->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		io_error(err, c->path, ".", "open");
		return -1;
	}
	while ((slash = strchr(p, '/')) != NULL) {
		n = (size_t)(slash - p);
		if (n == 0 || n > NAME_MAX) {
			close(fd);
			rta_error_set(err, RTA_EINVAL, "cold-path", "%s/%s: "
			    "bad path", c->path, rel);
			return -1;
		}
		memcpy(comp, p, n);
		comp[n] = '\0';
		if (create && mkdirat(fd, comp, 0777) == 0) {
			if (rta_io_fsync(fd) != 0) {
				close(fd);
				io_error(err, c->path, rel, "fsync");
				return -1;
			}
		} else if (create && errno != EEXIST) {
			close(fd);
			io_error(err, c->path, rel, "mkdir");
			return -1;
		}
		nfd = openat(fd, comp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		close(fd);
		if (nfd < 0) {
			if (errno == ENOENT && !create)
				return -2;
			if (errno == ELOOP || errno == ENOTDIR)
				rta_error_set(err, RTA_EINVAL, "unsafe-cold",
				    "%s/%.*s: not a directory (a symbolic "
				    "link?)", c->path, (int)(slash - rel), rel);
			else
				io_error(err, c->path, rel, "open");
			return -1;
		}
		fd = nfd;
		p = slash + 1;
	}
	*last = p;
	return fd;
}

int
rta_cold_publish(struct rta_cold *c, const char *stage, const char *part,
    struct rta_error *err)
{
	char old[RTA_COLD_PART_MAX];
	const char *last;
	struct stat st;
	int pfd, rc = RTA_OK;

	if (sync_at(c->fd, stage) != 0)
		return io_error(err, c->path, stage, "fsync");
	if (strlen(part) >= RTA_COLD_PART_MAX)
		return rta_error_set(err, RTA_ELIMIT, "path-too-long",
		    "%s: partition path too long", part);
	if ((pfd = walk(c, part, 1, &last, err)) < 0)
		return err->code;
	if (fstatat(pfd, last, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			rc = rta_error_set(err, RTA_EINVAL, "unsafe-cold",
			    "%s/%s: not a directory (a symbolic link?)",
			    c->path, part);
			goto out;
		}
		if (rta_io_exchange(c->fd, stage, pfd, last) != 0) {
			if (errno != EINVAL && errno != ENOSYS) {
				rc = io_error(err, c->path, part, "rename");
				goto out;
			}
			/*
			 * No RENAME_EXCHANGE here: move the old partition
			 * aside first.  A reader may briefly find the
			 * partition missing, never half of it.
			 */
			snprintf(old, sizeof(old), "%s.old", stage);
			if (rta_io_renameat(pfd, last, c->fd, old) != 0) {
				rc = io_error(err, c->path, part, "rename");
				goto out;
			}
			if (rta_io_renameat(c->fd, stage, pfd, last) != 0) {
				rc = io_error(err, c->path, stage, "rename");
				goto out;
			}
			stage = old;
		}
	} else if (errno != ENOENT) {
		rc = io_error(err, c->path, part, "stat");
		goto out;
	} else if (rta_io_renameat(c->fd, stage, pfd, last) != 0) {
		rc = io_error(err, c->path, stage, "rename");
		goto out;
	}
	if (rta_io_fsync(pfd) != 0) {
		rc = io_error(err, c->path, part, "fsync");
		goto out;
	}
	/* stage now names the old files, if any. */
	if (rmtree(c->fd, stage) != 0)
		rc = io_error(err, c->path, stage, "removing");
out:
	close(pfd);
	return rc;
}

int
rta_cold_remove(struct rta_cold *c, const char *rel, struct rta_error *err)
{
	char buf[RTA_COLD_PART_MAX], *slash;
	const char *last;
	int pfd;

	if (strlen(rel) >= sizeof(buf))
		return rta_error_set(err, RTA_ELIMIT, "path-too-long",
		    "%s: path too long", rel);
	if ((pfd = walk(c, rel, 0, &last, err)) == -2)
		return RTA_OK;
	if (pfd < 0)
		return err->code;
	if (rmtree(pfd, last) != 0 || rta_io_fsync(pfd) != 0) {
		close(pfd);
		return io_error(err, c->path, rel, "removing");
	}
	close(pfd);
	/* Parents that became empty, but never the dataset directory. */
	snprintf(buf, sizeof(buf), "%s", rel);
	while ((slash = strrchr(buf, '/')) != NULL) {
		*slash = '\0';
		if (strchr(buf, '/') == NULL)
			break;
		if ((pfd = walk(c, buf, 0, &last, err)) < 0)
			break;
		if (unlinkat(pfd, last, AT_REMOVEDIR) != 0 ||
		    rta_io_fsync(pfd) != 0) {
			close(pfd);
			break;
		}
		close(pfd);
	}
	rta_error_clear(err);
	return RTA_OK;
}
