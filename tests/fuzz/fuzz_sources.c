/*
 * fuzz_sources.c: the table of sources in a checkpoint, on hostile bytes.
 *
 * rta-window reads the table back from its --state directory after a
 * crash, and `rta-window offsets` prints what kcat needs from it, so
 * rta_sources_decode must stay inside the bytes, allocate only for the
 * sources they hold and refuse what the format of rta_state.h does not
 * allow.  Its answer is checked against that format, read here on its
 * own: a count of at most RTA_SOURCES_MAX, then per source a kind of 1
 * to 3, has_done 0 or 1, a position no larger than the table keeps, a
 * name of at most RTA_SOURCE_NAME_MAX bytes inside the input, and no
 * source twice.  A table that decodes must hold what the bytes say,
 * encode again to exactly the bytes consumed (and not decode from one
 * byte fewer), print its offsets (kcat lines as the header gives them,
 * JSON lines that read back to the same values) and resume: a file's
 * records are skipped up to its position and not past it, a Kafka
 * partition's never.  Input starting "RTA-CANARY" is the planted heap
 * over-read every target carries.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_buf.h"
#include "rta_err.h"
#include "rta_state.h"
#include "rta_utf8.h"

#include "canary.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEAD	18	/* kind, partition, has_done, done, name length */

/* A source as the bytes give it. */
struct ref {
	int		 kind;
	int32_t		 partition;
	int		 has_done;
	uint64_t	 done;
	const unsigned char *name;
	size_t		 len;
};

static const uint8_t	*in;
static size_t		 in_size;

static void
fail(const char *what)
{
	size_t i;

	fprintf(stderr, "fuzz_sources: %s\nbytes:", what);
	for (i = 0; i < in_size && i < 256; i++)
		fprintf(stderr, " %02x", in[i]);
	fprintf(stderr, "%s\n", in_size > 256 ? " ..." : "");
	abort();
}

static uint64_t
get_le(const unsigned char *p, int bytes)
{
	uint64_t v = 0;
	int i;

	for (i = bytes - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* The largest position a table keeps: rta_sources_done brings a larger
 * one down to it, and so a checkpoint never holds more. */
static uint64_t
done_limit(void)
{
	static uint64_t limit;
	struct rta_sources s;
	size_t i;

	if (limit != 0)
		return limit;
	rta_sources_init(&s);
	if ((i = rta_sources_get(&s, RTA_SRC_KAFKA, 0, "t", 1)) ==
	    RTA_SOURCE_NONE)
		abort();
	rta_sources_done(&s, i, UINT64_MAX);
	limit = s.v[i].done;
	rta_sources_release(&s);
	return limit;
}

static int
ref_cmp(const void *a, const void *b)
{
	const struct ref *x = *(const struct ref *const *)a;
	const struct ref *y = *(const struct ref *const *)b;

	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->partition != y->partition)
		return x->partition < y->partition ? -1 : 1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->len > 0 ? memcmp(x->name, y->name, x->len) : 0;
}

/*
 * Read the table by the format: RTA_OK with its n sources in *out (free
 * it) and the length they take in *used, or RTA_EDATA.
 */
static int
parse(const unsigned char *p, size_t size, struct ref **out, size_t *n,
    size_t *used)
{
	struct ref *r, **sorted;
	size_t at = 4, i, count;
	int rc = RTA_OK;

	*out = NULL;
	*n = 0;
	if (size < 4)
		return RTA_EDATA;
	count = (size_t)get_le(p, 4);
	if (count > RTA_SOURCES_MAX || count > (size - 4) / HEAD)
		return RTA_EDATA;
	if ((r = calloc(count + 1, sizeof(*r))) == NULL)
		abort();
	for (i = 0; i < count; i++) {
		if (size - at < HEAD) {
			rc = RTA_EDATA;
			break;
		}
		r[i].kind = p[at];
		r[i].partition = (int32_t)(uint32_t)get_le(p + at + 1, 4);
		r[i].has_done = p[at + 5];
		r[i].done = get_le(p + at + 6, 8);
		r[i].len = (size_t)get_le(p + at + 14, 4);
		r[i].name = p + at + HEAD;
		if (r[i].kind < 1 || r[i].kind > 3 || r[i].has_done > 1 ||
		    (r[i].kind != RTA_SRC_KAFKA && r[i].partition != 0) ||
		    r[i].done > done_limit() ||
		    r[i].len > RTA_SOURCE_NAME_MAX ||
		    r[i].len > size - at - HEAD) {
			rc = RTA_EDATA;
			break;
		}
		at += HEAD + r[i].len;
	}
	if (rc == RTA_OK && count > 1) {
		if ((sorted = malloc(count * sizeof(*sorted))) == NULL)
			abort();
		for (i = 0; i < count; i++)
			sorted[i] = &r[i];
		qsort(sorted, count, sizeof(*sorted), ref_cmp);
		for (i = 1; i < count && rc == RTA_OK; i++)
			if (ref_cmp(&sorted[i - 1], &sorted[i]) == 0)
				rc = RTA_EDATA;
		free(sorted);
	}
	if (rc != RTA_OK) {
		free(r);
		return rc;
	}
	*out = r;
	*n = count;
	*used = at;
	return RTA_OK;
}

static int
decode(struct rta_sources *s, const unsigned char *p, size_t size,
    size_t *used)
{
	const unsigned char *q = p;
	int rc;

	rta_sources_init(s);
	rc = rta_sources_decode(s, &q, p + size);
	if (q < p || q > p + size)
		fail("decode moved past the end");
	if (rc != RTA_OK && q != p)
		fail("a failed decode moved the pointer");
	*used = (size_t)(q - p);
	return rc;
}

static void
check_table(const struct rta_sources *s, const struct ref *r, size_t n)
{
	size_t i;

	if (s->n != n)
		fail("another number of sources");
	for (i = 0; i < n; i++) {
		const struct rta_source *x = &s->v[i];

		if ((int)x->kind != r[i].kind ||
		    x->partition != r[i].partition ||
		    !!x->has_done != r[i].has_done ||
		    (r[i].has_done && x->done != r[i].done) ||
		    x->len != r[i].len ||
		    (x->len > 0 && memcmp(x->name, r[i].name, x->len) != 0))
			fail("a source is not what the bytes say");
		if (x->has_resume)
			fail("a decoded source has a resume");
	}
}

/* A topic as Kafka names them: letters, digits, '.', '_' and '-'. */
static int
kafka_name(const unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') ||
		    (p[i] >= 'A' && p[i] <= 'Z') ||
		    (p[i] >= '0' && p[i] <= '9') || p[i] == '.' ||
		    p[i] == '_' || p[i] == '-'))
			return 0;
	return len > 0;
}

/*
 * The kcat lines, as the header gives them, of the Kafka sources
 * handled, in the table's order.  The header does not say how a topic
 * that is no Kafka name (a space, a newline, a NUL) is written on such
 * a line, so a table with one is only printed.
 */
static void
check_kcat(const struct rta_sources *s, const struct ref *r, size_t n)
{
	struct rta_buf got = RTA_BUF_INIT, want = RTA_BUF_INIT;
	char num[64];
	size_t i;

	if (rta_sources_offsets(s, 0, &got) != 0)
		fail("offsets failed");
	for (i = 0; i < n; i++) {
		if (r[i].kind != RTA_SRC_KAFKA || !r[i].has_done)
			continue;
		if (!kafka_name(r[i].name, r[i].len))
			goto out;
		snprintf(num, sizeof(num), " -p %d -o %llu\n",
		    (int)r[i].partition, (unsigned long long)r[i].done + 1);
		if (rta_buf_add(&want, "-t ", 3) != 0 ||
		    rta_buf_add(&want, r[i].name, r[i].len) != 0 ||
		    rta_buf_add(&want, num, strlen(num)) != 0)
			abort();
	}
	if (got.len != want.len || (got.len > 0 &&
	    memcmp(got.data, want.data, got.len) != 0))
		fail("kcat offsets are not the table's");
out:
	rta_buf_release(&got);
	rta_buf_release(&want);
}

/* One JSON line per source handled, whose values are the table's. */
static void
check_json(const struct rta_sources *s, const struct ref *r, size_t n)
{
	struct rta_buf b = RTA_BUF_INIT;
	const char *line = NULL, *end = NULL, *nl;
	size_t i;

	if (rta_sources_offsets(s, 1, &b) != 0)
		fail("offsets failed");
	if (b.len > 0) {
		line = (const char *)b.data;
		end = line + b.len;
	}
	for (i = 0; i < n; i++) {
		json_error_t je;
		json_t *j, *name;
		const char *key, *pos;
		uint64_t want;

		if (!r[i].has_done)
			continue;
		if (line == NULL || line >= end ||
		    (nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			fail("a JSON offset line is missing");
		if ((j = json_loadb(line, (size_t)(nl - line), JSON_ALLOW_NUL |
		    JSON_REJECT_DUPLICATES, &je)) == NULL)
			fail("a JSON offset line does not parse");
		if (r[i].kind == RTA_SRC_KAFKA) {
			key = "topic";
			want = r[i].done + 1;
			if (json_object_size(j) != 3 ||
			    !json_is_integer(json_object_get(j, "partition")) ||
			    json_integer_value(json_object_get(j,
			    "partition")) != r[i].partition)
				fail("a JSON offset line has another "
				    "partition");
			pos = "offset";
		} else {
			key = "input";
			want = r[i].done;
			pos = r[i].kind == RTA_SRC_LINES ? "line" :
			    "byte_offset";
			if (json_object_size(j) != 2)
				fail("a JSON offset line has other members");
		}
		if (!json_is_integer(json_object_get(j, pos)) ||
		    (uint64_t)json_integer_value(json_object_get(j, pos)) !=
		    want)
			fail("a JSON offset line has another position");
		name = json_object_get(j, key);
		if (!json_is_string(name))
			fail("a JSON offset line has no name");
		if (rta_utf8_valid(r[i].name, r[i].len, NULL) &&
		    (json_string_length(name) != r[i].len ||
		    memcmp(json_string_value(name), r[i].name, r[i].len) != 0))
			fail("a JSON offset line has another name");
		json_decref(j);
		line = nl + 1;
	}
	if (line != NULL && line != end)
		fail("more JSON offset lines than sources handled");
	rta_buf_release(&b);
}

/* After --resume, a file's records up to its position are skipped. */
static void
check_resume(struct rta_sources *s, const struct ref *r, size_t n)
{
	struct rta_where w;
	uint64_t serial = 1;
	size_t i;
	int k;

	rta_sources_arm_resume(s);
	for (i = 0; i < n; i++) {
		int want = r[i].has_done && r[i].kind != RTA_SRC_KAFKA;

		if (!!s->v[i].has_resume != want ||
		    (want && s->v[i].resume != r[i].done))
			fail("armed otherwise than the table says");
	}
	for (i = 0; i < n; i++) {
		/* a record's input names a file with partition 0, by a C
		 * string; a line is never 0 */
		if (r[i].kind == RTA_SRC_KAFKA || r[i].partition != 0 ||
		    !r[i].has_done || memchr(r[i].name, '\0', r[i].len) ||
		    (r[i].kind == RTA_SRC_LINES && r[i].done == 0))
			continue;
		for (k = 0; k < 2; k++) {
			memset(&w, 0, sizeof(w));
			w.source = (const char *)s->v[i].name;
			w.serial = ++serial;
			if (r[i].kind == RTA_SRC_LINES)
				w.line = r[i].done + (uint64_t)k;
			else
				w.offset = r[i].done + (uint64_t)k;
			rta_sources_track(s, &w);
			if (s->cur_file != i)
				fail("a record is not of its source");
			if (rta_sources_resumed(s, &w) != !k)
				fail(k ? "a record past the position is "
				    "skipped" : "a record handled is not "
				    "skipped");
		}
	}
	if (s->n != n)
		fail("resuming added sources");
}

static void
one(const unsigned char *p, size_t size)
{
	struct rta_sources s, t;
	struct rta_buf b = RTA_BUF_INIT;
	struct ref *r;
	size_t n, want_used = 0, used, u2;
	int want, rc;

	want = parse(p, size, &r, &n, &want_used);
	rc = decode(&s, p, size, &used);
	if (rc != want)
		fail(want == RTA_OK ? "a whole table does not decode" :
		    "a damaged table decodes, or fails otherwise");
	if (rc != RTA_OK) {
		rta_sources_release(&s);
		if (s.n != 0 || s.v != NULL)
			fail("release left sources");
		return;
	}
	if (used != want_used)
		fail("decode took another length than the table's");
	check_table(&s, r, n);
	if (rta_sources_encode(&s, &b) != 0)
		fail("encode failed");
	if (b.len != used || memcmp(b.data, p, used) != 0)
		fail("a decoded table encodes to other bytes");
	rta_buf_release(&b);
	if (decode(&t, p, used - 1, &u2) != RTA_EDATA)
		fail("a table decodes from one byte fewer");
	rta_sources_release(&t);
	check_kcat(&s, r, n);
	check_json(&s, r, n);
	check_resume(&s, r, n);
	rta_sources_release(&s);
	free(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (canary(data, size))
		return 0;
	in = data;
	in_size = size;
	one(data, size);
	return 0;
}
