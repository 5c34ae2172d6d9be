/*
 * rta_archive.c: archives of cold-store partitions (see rta_archive.h):
 * the paths an archive may hold and its manifest.
 *
 * The manifest is the archive's only authority: restore parses it
 * strictly (rta_archive_read.c) and the writer parses back the text it
 * made before writing a byte (rta_archive_write.c), so it cannot write
 * an archive restore would refuse.  A path is accepted only in the
 * canonical form rta_cold_part_path writes, so whatever its bytes it
 * names a partition file of the store and nothing else.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_archive.h"
#include "rta_archive_int.h"
#include "rta_buf.h"

/* ---- paths -------------------------------------------------------------- */

int
rta_archive_path_valid(const char *path, size_t *partlen)
{
	int64_t day;
	long n;

	if ((n = rta_cold_part_canon(path, &day)) < 0 || path[n] != '/' ||
	    !rta_cold_name_valid(path + n + 1))
		return 0;
	if (partlen != NULL)
		*partlen = (size_t)n;
	return 1;
}

const char *
rta_archive_filter(const char *file)
{
	static const struct {
		const char	*suffix, *filter;
	} tab[] = {
		{ ".tar.zst", "zstd" }, { ".tar.gz", "gzip" },
		{ ".tar.xz", "xz" }, { ".tar", "none" }
	};
	size_t n = strlen(file), i, k;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		k = strlen(tab[i].suffix);
		if (n > k && strcmp(file + n - k, tab[i].suffix) == 0 &&
		    file[n - k - 1] != '/')
			return tab[i].filter;
	}
	return NULL;
}

/* ---- the manifest ------------------------------------------------------- */

static int
bad_manifest(struct rta_error *err, size_t line, const char *fmt, ...)
    RTA_PRINTFLIKE(3, 4);

static int
bad_manifest(struct rta_error *err, size_t line, const char *fmt, ...)
{
	char what[120];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return rta_error_set(err, RTA_EDATA, "bad-manifest",
	    "bad manifest: line %zu: %s", line, what);
}

static int
hexlower(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* One line (NUL-terminated) into f; 0, or -1 with what is wrong. */
static int
parse_line(char *p, struct rta_archive_file *f, const char **why)
{
	uint64_t v = 0;
	int i, hi, lo;
	char *q;

	for (i = 0; i < RTA_ARCHIVE_SHA256; i++) {
		if ((hi = hexlower(p[2 * i])) < 0 ||
		    (lo = hexlower(p[2 * i + 1])) < 0) {
			*why = "bad checksum (64 lower-case hex digits)";
			return -1;
		}
		f->sha256[i] = (unsigned char)(hi << 4 | lo);
	}
	*why = "bad checksum (64 lower-case hex digits)";
	if (p[64] != ' ')
		return -1;
	*why = "bad size (a decimal number)";
	for (q = p + 65; *q >= '0' && *q <= '9'; q++) {
		if (v > (uint64_t)(INT64_MAX - (*q - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*q - '0');
	}
	if (q == p + 65 || *q != ' ' || (p[65] == '0' && q != p + 66))
		return -1;
	f->size = v;
	f->path = q + 1;
	*why = NULL;
	return 0;
}

int
rta_archive_manifest_parse(struct rta_archive_manifest *m, const char *text,
    size_t len, struct rta_error *err)
{
	size_t hl = sizeof(RTA_ARCHIVE_HEADER) - 1, line = 1, cap = 0, plen;
	struct rta_archive_part *pp;
	struct rta_archive_file *f;
	uint64_t total = 0;
	char *p, *end, *nl, q[QUOTE + 8];
	const char *why;
	void *nv;
	int c;

	memset(m, 0, sizeof(*m));
	if (len > RTA_ARCHIVE_MANIFEST_MAX)
		return rta_error_set(err, RTA_EDATA, "bad-manifest", "bad "
		    "manifest: longer than %d bytes", RTA_ARCHIVE_MANIFEST_MAX);
	if (memchr(text, '\0', len) != NULL)
		return rta_error_set(err, RTA_EDATA, "bad-manifest", "bad "
		    "manifest: a NUL byte");
	if (len < hl || memcmp(text, RTA_ARCHIVE_HEADER, hl) != 0)
		return bad_manifest(err, 1, "not 'rta-archive 1'");
	if ((m->text = malloc(len + 1)) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "oom", "out of memory");
	memcpy(m->text, text, len);
	m->text[len] = '\0';
	end = m->text + len;
	for (p = m->text + hl; p < end; p = nl + 1) {
		line++;
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return bad_manifest(err, line, "no newline at its end");
		*nl = '\0';
		if (m->n == cap) {
			cap = cap ? 2 * cap : 64;
			if ((nv = reallocarray(m->v, cap, sizeof(*m->v))) ==
			    NULL)
				return rta_error_set(err, RTA_ENOMEM, "oom",
				    "out of memory");
			m->v = nv;
		}
		f = &m->v[m->n];
		memset(f, 0, sizeof(*f));
		if (parse_line(p, f, &why) != 0)
			return bad_manifest(err, line, "%s", why);
		if (!rta_archive_path_valid(f->path, &plen)) {
			rta_quote(q, sizeof(q), f->path, strlen(f->path), 60);
			return bad_manifest(err, line, "not a partition file "
			    "'%s'", q);
		}
		if (m->n > 0 && (c = strcmp(m->v[m->n - 1].path, f->path)) >=
		    0)
			return bad_manifest(err, line, c == 0 ? "a path listed "
			    "twice" : "paths out of order");
		if ((total += f->size) > INT64_MAX)
			return bad_manifest(err, line, "sizes add up to more "
			    "than 2^63 bytes");
		pp = m->nparts > 0 ? &m->parts[m->nparts - 1] : NULL;
		if (pp == NULL || strncmp(pp->path, f->path, plen) != 0 ||
		    pp->path[plen] != '\0') {
			/* Sorted paths keep a partition's files together. */
			if ((nv = reallocarray(m->parts, m->nparts + 1,
			    sizeof(*m->parts))) == NULL)
				return rta_error_set(err, RTA_ENOMEM, "oom",
				    "out of memory");
			m->parts = nv;
			pp = &m->parts[m->nparts];
			memset(pp, 0, sizeof(*pp));
			if ((pp->path = strndup(f->path, plen)) == NULL)
				return rta_error_set(err, RTA_ENOMEM, "oom",
				    "out of memory");
			m->nparts++;
		}
		f->part = m->nparts - 1;
		pp->files++;
		pp->bytes += f->size;
		m->n++;
	}
	return RTA_OK;
}

void
rta_archive_manifest_release(struct rta_archive_manifest *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nparts; i++)
		free(m->parts[i].path);
	free(m->parts);
	free(m->v);
	free(m->text);
	memset(m, 0, sizeof(*m));
}

long
rta_archive_manifest_find(const struct rta_archive_manifest *m,
    const char *path)
{
	size_t lo = 0, hi = m->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(path, m->v[mid].path)) == 0)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}
