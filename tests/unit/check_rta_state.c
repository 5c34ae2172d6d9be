/*
 * check_rta_state.c: what a stage keeps in its --state directory.  The
 * table of sources as a stage fills it (track, position records, end,
 * handled), with positions built by hand; the checkpoint encoding, byte
 * for byte as the header gives it, and its decoder on damaged bytes;
 * --resume; the offsets printed for kcat and as JSON; the limits; and
 * the lock, atomic replace and whole-file read of the state directory.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rta_alloc.h"
#include "rta_state.h"
#include "unit.h"

#define HEAD	18	/* kind, partition, has_done, done, name length */

/* ---- helpers ------------------------------------------------------------ */

static struct rta_where
at_line(const char *source, uint64_t serial, uint64_t line)
{
	struct rta_where w;

	memset(&w, 0, sizeof(w));
	w.source = source;
	w.serial = serial;
	w.line = line;
	w.offset = line * 100;	/* readers know both; the line wins */
	return w;
}

static struct rta_where
at_offset(const char *source, uint64_t serial, uint64_t offset)
{
	struct rta_where w;

	memset(&w, 0, sizeof(w));
	w.source = source;
	w.serial = serial;
	w.offset = offset;
	return w;
}

static struct rta_position
pos_of(const char *topic, int32_t partition, int64_t offset)
{
	struct rta_position p;

	p.topic = topic;
	p.topic_len = strlen(topic);
	p.partition = partition;
	p.offset = offset;
	return p;
}

/* One record as a stage handles it: note its input, take its position
 * record if it is one (the message before it ends), then handled. */
static void
record(struct rta_sources *s, const struct rta_where *w,
    const struct rta_position *p)
{
	rta_sources_track(s, w);
	if (p != NULL)
		rta_sources_position(s, p);
	rta_sources_handled(s, w);
}

/* The index of a source that must be in the table already. */
static size_t
index_of(struct rta_sources *s, enum rta_src_kind kind, int32_t partition,
    const char *name, size_t len)
{
	size_t n = s->n, i;

	i = rta_sources_get(s, kind, partition, name, len);
	ck_assert_msg(i != RTA_SOURCE_NONE && s->n == n, "source %.*s "
	    "(kind %d, partition %d) is not in the table", (int)len, name,
	    (int)kind, (int)partition);
	return i;
}

static void
assert_done(struct rta_sources *s, enum rta_src_kind kind,
    int32_t partition, const char *name, uint64_t done)
{
	size_t i = index_of(s, kind, partition, name, strlen(name));

	ck_assert_msg(s->v[i].has_done, "%s/%d: nothing handled", name,
	    (int)partition);
	ck_assert_msg(s->v[i].done == done, "%s/%d: done %llu, want %llu",
	    name, (int)partition, (unsigned long long)s->v[i].done,
	    (unsigned long long)done);
}

static void
assert_not_done(struct rta_sources *s, enum rta_src_kind kind,
    int32_t partition, const char *name)
{
	size_t i = index_of(s, kind, partition, name, strlen(name));

	ck_assert_msg(!s->v[i].has_done, "%s/%d: done %llu, want nothing",
	    name, (int)partition, (unsigned long long)s->v[i].done);
}

static void
assert_empty(const struct rta_sources *s)
{
	ck_assert_uint_eq(s->n, 0);
	ck_assert_ptr_null(s->v);
	ck_assert_uint_eq(s->cur_file, RTA_SOURCE_NONE);
	ck_assert_uint_eq(s->cur_kafka, RTA_SOURCE_NONE);
	ck_assert_int_eq(rta_sources_mid_message(s), 0);
}

static void
release(struct rta_sources *s)
{
	rta_sources_release(s);
	assert_empty(s);
}

/* Little-endian, written here from the header's description. */
static void
put_le(unsigned char *p, uint64_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		p[i] = (unsigned char)(v >> (8 * i) & 0xff);
}

static void
le(struct rta_buf *b, uint64_t v, int bytes)
{
	unsigned char p[8];

	put_le(p, v, bytes);
	ck_assert_int_eq(rta_buf_add(b, p, (size_t)bytes), 0);
}

/* The fields of one source before its name. */
static void
put_head(unsigned char *h, int kind, int32_t partition, int has_done,
    uint64_t done, size_t len)
{
	put_le(h, (uint64_t)kind, 1);
	put_le(h + 1, (uint32_t)partition, 4);
	put_le(h + 5, (uint64_t)has_done, 1);
	put_le(h + 6, done, 8);
	put_le(h + 14, len, 4);
}

/* One source of an encoding, field by field. */
static void
put_source(struct rta_buf *b, int kind, int32_t partition, int has_done,
    uint64_t done, const void *name, size_t len)
{
	unsigned char h[HEAD];

	put_head(h, kind, partition, has_done, done, len);
	ck_assert_int_eq(rta_buf_add(b, h, sizeof(h)), 0);
	ck_assert_int_eq(rta_buf_add(b, name, len), 0);
}

/*
 * The same into a fixed array, for the tests of allocation failures:
 * RTA_FAULT is read at the library's first allocation, so the process
 * that forks the children must not have made one.
 */
struct bytes {
	unsigned char	 d[512];
	size_t		 len;
};

static void
bytes_source(struct bytes *b, int kind, int32_t partition, int has_done,
    uint64_t done, const void *name, size_t len)
{
	ck_assert_uint_le(b->len + HEAD + len, sizeof(b->d));
	put_head(b->d + b->len, kind, partition, has_done, done, len);
	memcpy(b->d + b->len + HEAD, name, len);
	b->len += HEAD + len;
}

/* Decode len bytes (in a block of exactly that size, so that a read
 * past them is a sanitizer report); the consumed length in *used. */
static int
decode(struct rta_sources *s, const void *p, size_t len, size_t *used)
{
	unsigned char *copy = malloc(len > 0 ? len : 1);
	const unsigned char *q;
	int rc;

	ck_assert_ptr_nonnull(copy);
	if (len > 0)
		memcpy(copy, p, len);
	q = copy;
	rc = rta_sources_decode(s, &q, copy + len);
	ck_assert_msg(q >= copy && q <= copy + len, "decode moved past "
	    "the end");
	if (rc != RTA_OK)
		ck_assert_msg(q == copy, "a failed decode moved the pointer");
	if (used != NULL)
		*used = (size_t)(q - copy);
	free(copy);
	return rc;
}

/* The decoder answers RTA_EDATA for these bytes. */
static void
assert_refused(const struct rta_buf *b, const char *why)
{
	struct rta_sources s;
	int rc;

	rta_sources_init(&s);
	rc = decode(&s, b->data, b->len, NULL);
	ck_assert_msg(rc == RTA_EDATA, "%s: decode gave %d, want RTA_EDATA",
	    why, rc);
	release(&s);
}

/* Two tables hold the same sources in the same order. */
static void
assert_same(const struct rta_sources *a, const struct rta_sources *b)
{
	size_t i;

	ck_assert_uint_eq(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		const struct rta_source *x = &a->v[i], *y = &b->v[i];

		ck_assert_int_eq(x->kind, y->kind);
		ck_assert_int_eq(x->partition, y->partition);
		ck_assert_uint_eq(x->len, y->len);
		ck_assert_msg(memcmp(x->name, y->name, x->len) == 0,
		    "source %zu: another name", i);
		ck_assert_int_eq(!!x->has_done, !!y->has_done);
		if (x->has_done)
			ck_assert_uint_eq(x->done, y->done);
	}
}

/*
 * The largest position the table keeps: rta_sources_done brings any
 * larger one down to it, so that what the table holds always encodes
 * to something the decoder takes.
 */
static uint64_t
done_limit(void)
{
	struct rta_sources s;
	uint64_t v;
	size_t i;

	rta_sources_init(&s);
	i = rta_sources_get(&s, RTA_SRC_KAFKA, 0, "t", 1);
	ck_assert_uint_ne(i, RTA_SOURCE_NONE);
	rta_sources_done(&s, i, UINT64_MAX);
	ck_assert(s.v[i].has_done);
	v = s.v[i].done;
	release(&s);
	return v;
}

/* ---- the table ---------------------------------------------------------- */

START_TEST(get_sources)
{
	struct rta_sources s;
	size_t a, b, c, d, e, f, k;

	rta_sources_init(&s);
	assert_empty(&s);
	a = rta_sources_get(&s, RTA_SRC_LINES, 0, "a", 1);
	b = rta_sources_get(&s, RTA_SRC_BYTES, 0, "a", 1);
	c = rta_sources_get(&s, RTA_SRC_KAFKA, 0, "a", 1);
	d = rta_sources_get(&s, RTA_SRC_KAFKA, 1, "a", 1);
	/* the length counts, and NUL is a byte like another */
	e = rta_sources_get(&s, RTA_SRC_KAFKA, 1, "a\0b", 3);
	f = rta_sources_get(&s, RTA_SRC_KAFKA, 1, "a\0c", 3);
	ck_assert_uint_eq(a, 0);
	ck_assert_uint_eq(b, 1);
	ck_assert_uint_eq(c, 2);
	ck_assert_uint_eq(d, 3);
	ck_assert_uint_eq(e, 4);
	ck_assert_uint_eq(f, 5);
	ck_assert_uint_eq(s.n, 6);
	/* the same key again: the same source, nothing added */
	ck_assert_uint_eq(rta_sources_get(&s, RTA_SRC_KAFKA, 1, "a\0b", 3), e);
	ck_assert_uint_eq(rta_sources_get(&s, RTA_SRC_LINES, 0, "a", 1), a);
	ck_assert_uint_eq(s.n, 6);
	for (k = 0; k < s.n; k++)
		ck_assert_msg(!s.v[k].has_done && !s.v[k].has_resume,
		    "a new source is handled or resumed");
	ck_assert_int_eq(s.v[b].kind, RTA_SRC_BYTES);
	ck_assert_int_eq(s.v[d].partition, 1);
	ck_assert_uint_eq(s.v[f].len, 3);
	ck_assert_mem_eq(s.v[f].name, "a\0c", 3);
	/* the name is a copy */
	{
		char name[] = "copy";

		k = rta_sources_get(&s, RTA_SRC_LINES, 0, name, 4);
		name[0] = 'X';
		ck_assert_mem_eq(s.v[k].name, "copy", 4);
	}
	release(&s);
	/* a released table is empty and can be used again */
	ck_assert_uint_eq(rta_sources_get(&s, RTA_SRC_LINES, 0, "x", 1), 0);
	release(&s);
}
END_TEST

START_TEST(get_limits)
{
	struct rta_sources s;
	char *name = malloc(RTA_SOURCE_NAME_MAX + 1);
	uint32_t i;

	ck_assert_ptr_nonnull(name);
	memset(name, 'n', RTA_SOURCE_NAME_MAX + 1);
	rta_sources_init(&s);
	ck_assert_uint_eq(rta_sources_get(&s, RTA_SRC_LINES, 0, name,
	    RTA_SOURCE_NAME_MAX), 0);
	ck_assert_uint_eq(rta_sources_get(&s, RTA_SRC_LINES, 0, name,
	    RTA_SOURCE_NAME_MAX + 1), RTA_SOURCE_NONE);
	ck_assert_uint_eq(rta_sources_get(&s, RTA_SRC_KAFKA, 0, name,
	    RTA_SOURCE_NAME_MAX + 1), RTA_SOURCE_NONE);
	ck_assert_uint_eq(s.n, 1);
	release(&s);

	/* partitions of one topic up to the limit, then nothing new */
	for (i = 0; i < RTA_SOURCES_MAX; i++)
		ck_assert_uint_eq(rta_sources_get(&s, RTA_SRC_KAFKA,
		    (int32_t)i, "t", 1), i);
	ck_assert_uint_eq(s.n, RTA_SOURCES_MAX);
	ck_assert_uint_eq(rta_sources_get(&s, RTA_SRC_KAFKA,
	    (int32_t)RTA_SOURCES_MAX, "t", 1), RTA_SOURCE_NONE);
	ck_assert_uint_eq(rta_sources_get(&s, RTA_SRC_LINES, 0, "new", 3),
	    RTA_SOURCE_NONE);
	ck_assert_uint_eq(s.n, RTA_SOURCES_MAX);
	/* the sources there are still found */
	ck_assert_uint_eq(rta_sources_get(&s, RTA_SRC_KAFKA, 0, "t", 1), 0);
	ck_assert_uint_eq(rta_sources_get(&s, RTA_SRC_KAFKA,
	    (int32_t)RTA_SOURCES_MAX - 1, "t", 1), RTA_SOURCES_MAX - 1);
	rta_sources_done(&s, RTA_SOURCES_MAX - 1, 9);
	ck_assert_uint_eq(s.v[RTA_SOURCES_MAX - 1].done, 9);
	/* an input past the limit is read but not kept */
	{
		struct rta_where w = at_line("past-the-limit", 1, 1);

		record(&s, &w, NULL);
		ck_assert_uint_eq(s.n, RTA_SOURCES_MAX);
		ck_assert_int_eq(rta_sources_resumed(&s, &w), 0);
	}
	release(&s);
	free(name);
}
END_TEST

START_TEST(done_forward)
{
	struct rta_sources s;
	size_t i, j;
	uint64_t limit = done_limit();

	rta_sources_init(&s);
	i = rta_sources_get(&s, RTA_SRC_LINES, 0, "a", 1);
	j = rta_sources_get(&s, RTA_SRC_KAFKA, 3, "a", 1);
	/* handled up to 0 is something */
	rta_sources_done(&s, i, 0);
	assert_done(&s, RTA_SRC_LINES, 0, "a", 0);
	assert_not_done(&s, RTA_SRC_KAFKA, 3, "a");
	rta_sources_done(&s, i, 5);
	rta_sources_done(&s, i, 3);
	assert_done(&s, RTA_SRC_LINES, 0, "a", 5);
	rta_sources_done(&s, i, 9);
	assert_done(&s, RTA_SRC_LINES, 0, "a", 9);
	rta_sources_done(&s, j, 100);
	rta_sources_done(&s, j, 99);
	assert_done(&s, RTA_SRC_KAFKA, 3, "a", 100);
	/* no source: nothing changes */
	rta_sources_done(&s, RTA_SOURCE_NONE, 50);
	rta_sources_done(&s, s.n, 50);
	ck_assert_uint_eq(s.n, 2);
	assert_done(&s, RTA_SRC_LINES, 0, "a", 9);
	assert_done(&s, RTA_SRC_KAFKA, 3, "a", 100);
	/* past the limit: the limit, and the table stays at it */
	rta_sources_done(&s, i, limit);
	ck_assert_uint_eq(s.v[i].done, limit);
	rta_sources_done(&s, i, UINT64_MAX);
	ck_assert_uint_eq(s.v[i].done, limit);
	rta_sources_done(&s, i, 10);
	ck_assert_uint_eq(s.v[i].done, limit);
	release(&s);
}
END_TEST

START_TEST(where)
{
	struct rta_where w = at_line("a", 1, 7);

	ck_assert_uint_eq(rta_sources_where(&w), 7);
	w = at_offset("a", 1, 99);
	ck_assert_uint_eq(rta_sources_where(&w), 99);
	w = at_offset("a", 1, 0);
	ck_assert_uint_eq(rta_sources_where(&w), 0);
}
END_TEST

/*
 * Inputs one after another: NDJSON files by line, standard input as
 * "<input>", rta frames by byte offset.  A record tracked but not yet
 * handled does not count.
 */
START_TEST(track_inputs)
{
	struct rta_sources s;
	struct rta_where w;
	uint64_t k;
	static const uint64_t frames[] = { 0, 57, 130 };

	rta_sources_init(&s);
	w = at_line("a.ndjson", 1, 1);
	rta_sources_track(&s, &w);
	ck_assert_uint_eq(s.n, 1);
	assert_not_done(&s, RTA_SRC_LINES, 0, "a.ndjson");
	rta_sources_handled(&s, &w);
	assert_done(&s, RTA_SRC_LINES, 0, "a.ndjson", 1);
	for (k = 2; k <= 3; k++) {
		w = at_line("a.ndjson", 1, k);
		record(&s, &w, NULL);
	}
	for (k = 1; k <= 2; k++) {
		w = at_line("b.ndjson", 2, k);
		record(&s, &w, NULL);
	}
	for (k = 1; k <= 4; k++) {
		w = at_line(NULL, 3, k);
		record(&s, &w, NULL);
	}
	for (k = 0; k < sizeof(frames) / sizeof(frames[0]); k++) {
		w = at_offset("in.rta", 4, frames[k]);
		record(&s, &w, NULL);
	}
	/* read, not handled */
	w = at_offset("in.rta", 4, 190);
	rta_sources_track(&s, &w);
	ck_assert_uint_eq(s.n, 4);
	assert_done(&s, RTA_SRC_LINES, 0, "a.ndjson", 3);
	assert_done(&s, RTA_SRC_LINES, 0, "b.ndjson", 2);
	assert_done(&s, RTA_SRC_LINES, 0, "<input>", 4);
	assert_done(&s, RTA_SRC_BYTES, 0, "in.rta", 130);
	ck_assert_int_eq(rta_sources_mid_message(&s), 0);
	release(&s);
}
END_TEST

/* A file given twice, or records out of order: positions only go
 * forward. */
START_TEST(track_forward)
{
	struct rta_sources s;
	struct rta_where w;
	uint64_t k;

	rta_sources_init(&s);
	for (k = 1; k <= 5; k++) {
		w = at_line("a", 1, k);
		record(&s, &w, NULL);
	}
	w = at_line("b", 2, 1);
	record(&s, &w, NULL);
	for (k = 1; k <= 2; k++) {
		w = at_line("a", 3, k);
		record(&s, &w, NULL);
	}
	assert_done(&s, RTA_SRC_LINES, 0, "a", 5);
	assert_done(&s, RTA_SRC_LINES, 0, "b", 1);
	ck_assert_uint_eq(s.n, 2);
	/* the same name by another pointer is the same source */
	{
		char name[] = "b";

		w = at_line(name, 4, 7);
		record(&s, &w, NULL);
	}
	ck_assert_uint_eq(s.n, 2);
	assert_done(&s, RTA_SRC_LINES, 0, "b", 7);
	release(&s);
}
END_TEST

/*
 * A kcat stream: position records before each message's records.  A
 * message is handled when the next position record of its input comes,
 * or at the end; the partition is then handled up to its offset.
 */
START_TEST(kafka_messages)
{
	struct rta_sources s;
	struct rta_where w;
	struct rta_position p;

	rta_sources_init(&s);
	ck_assert_int_eq(rta_sources_mid_message(&s), 0);
	w = at_line("k", 1, 1);
	p = pos_of("t", 0, 41);
	record(&s, &w, &p);
	ck_assert_int_eq(rta_sources_mid_message(&s), 1);
	assert_not_done(&s, RTA_SRC_KAFKA, 0, "t");
	w = at_line("k", 1, 2);
	record(&s, &w, NULL);
	w = at_line("k", 1, 3);
	record(&s, &w, NULL);
	assert_not_done(&s, RTA_SRC_KAFKA, 0, "t");
	ck_assert_int_eq(rta_sources_mid_message(&s), 1);
	/* the next message: 41 is handled */
	w = at_line("k", 1, 4);
	p = pos_of("t", 0, 42);
	record(&s, &w, &p);
	assert_done(&s, RTA_SRC_KAFKA, 0, "t", 41);
	ck_assert_int_eq(rta_sources_mid_message(&s), 1);
	w = at_line("k", 1, 5);
	record(&s, &w, NULL);
	/* another partition: a source of its own */
	w = at_line("k", 1, 6);
	p = pos_of("t", 1, 7);
	record(&s, &w, &p);
	assert_done(&s, RTA_SRC_KAFKA, 0, "t", 42);
	assert_not_done(&s, RTA_SRC_KAFKA, 1, "t");
	w = at_line("k", 1, 7);
	record(&s, &w, NULL);
	rta_sources_end(&s);
	assert_done(&s, RTA_SRC_KAFKA, 1, "t", 7);
	ck_assert_int_eq(rta_sources_mid_message(&s), 0);
	/* the end again changes nothing */
	rta_sources_end(&s);
	assert_done(&s, RTA_SRC_KAFKA, 1, "t", 7);
	assert_done(&s, RTA_SRC_KAFKA, 0, "t", 42);
	/* the kcat stream itself is an input like another */
	assert_done(&s, RTA_SRC_LINES, 0, "k", 7);
	ck_assert_uint_eq(s.n, 3);
	release(&s);
}
END_TEST

/* The stage's order for a position record: end, then position; and a
 * position record alone ends the message before it just as well. */
START_TEST(kafka_position_ends)
{
	struct rta_sources s;
	struct rta_position p;

	rta_sources_init(&s);
	p = pos_of("t", 2, 5);
	rta_sources_position(&s, &p);
	ck_assert_int_eq(rta_sources_mid_message(&s), 1);
	p = pos_of("t", 2, 6);
	rta_sources_position(&s, &p);
	assert_done(&s, RTA_SRC_KAFKA, 2, "t", 5);
	p = pos_of("u", 2, 70);
	rta_sources_end(&s);
	ck_assert_int_eq(rta_sources_mid_message(&s), 0);
	assert_done(&s, RTA_SRC_KAFKA, 2, "t", 6);
	rta_sources_position(&s, &p);
	ck_assert_int_eq(rta_sources_mid_message(&s), 1);
	rta_sources_end(&s);
	assert_done(&s, RTA_SRC_KAFKA, 2, "u", 70);
	/* a topic is bytes: another length is another topic */
	p.topic = "u\0v";
	p.topic_len = 3;
	p.offset = 3;
	rta_sources_position(&s, &p);
	rta_sources_end(&s);
	ck_assert_uint_eq(s.n, 3);
	ck_assert_uint_eq(s.v[2].len, 3);
	ck_assert_mem_eq(s.v[2].name, "u\0v", 3);
	assert_done(&s, RTA_SRC_KAFKA, 2, "u", 70);
	release(&s);
}
END_TEST

/* kcat started again from an earlier offset: a partition's position
 * only goes forward. */
START_TEST(kafka_forward)
{
	struct rta_sources s;
	struct rta_position p;

	rta_sources_init(&s);
	p = pos_of("t", 0, 50);
	rta_sources_position(&s, &p);
	rta_sources_end(&s);
	p = pos_of("t", 0, 10);
	rta_sources_position(&s, &p);
	rta_sources_end(&s);
	assert_done(&s, RTA_SRC_KAFKA, 0, "t", 50);
	p = pos_of("t", 0, 51);
	rta_sources_position(&s, &p);
	rta_sources_end(&s);
	assert_done(&s, RTA_SRC_KAFKA, 0, "t", 51);
	release(&s);
}
END_TEST

/* The first record of a new input ends the message the last one left
 * open, before that record is handled. */
START_TEST(kafka_new_input)
{
	struct rta_sources s;
	struct rta_where w;
	struct rta_position p;

	rta_sources_init(&s);
	w = at_line("k1", 1, 1);
	p = pos_of("u", 2, 100);
	record(&s, &w, &p);
	w = at_line("k1", 1, 2);
	record(&s, &w, NULL);
	ck_assert_int_eq(rta_sources_mid_message(&s), 1);
	w = at_line("k2", 2, 1);
	rta_sources_track(&s, &w);
	ck_assert_int_eq(rta_sources_mid_message(&s), 0);
	assert_done(&s, RTA_SRC_KAFKA, 2, "u", 100);
	rta_sources_handled(&s, &w);
	/* a frames input after a kcat stream, the same way */
	w = at_line("k2", 2, 2);
	p = pos_of("u", 2, 101);
	record(&s, &w, &p);
	w = at_offset("in.rta", 3, 0);
	rta_sources_track(&s, &w);
	ck_assert_int_eq(rta_sources_mid_message(&s), 0);
	assert_done(&s, RTA_SRC_KAFKA, 2, "u", 101);
	rta_sources_handled(&s, &w);
	assert_done(&s, RTA_SRC_BYTES, 0, "in.rta", 0);
	assert_done(&s, RTA_SRC_LINES, 0, "k1", 2);
	assert_done(&s, RTA_SRC_LINES, 0, "k2", 2);
	release(&s);
}
END_TEST

/* An input whose name is too long is not tracked; its messages still
 * are. */
START_TEST(untracked_input)
{
	struct rta_sources s;
	struct rta_where w;
	struct rta_position p;
	char *name = malloc(RTA_SOURCE_NAME_MAX + 2);

	ck_assert_ptr_nonnull(name);
	memset(name, 'x', RTA_SOURCE_NAME_MAX + 1);
	name[RTA_SOURCE_NAME_MAX + 1] = '\0';
	rta_sources_init(&s);
	w = at_line(name, 1, 1);
	p = pos_of("t", 0, 8);
	record(&s, &w, &p);
	w = at_line(name, 1, 2);
	record(&s, &w, NULL);
	rta_sources_end(&s);
	ck_assert_uint_eq(s.n, 1);
	assert_done(&s, RTA_SRC_KAFKA, 0, "t", 8);
	rta_sources_arm_resume(&s);
	w = at_line(name, 2, 1);
	rta_sources_track(&s, &w);
	ck_assert_int_eq(rta_sources_resumed(&s, &w), 0);
	release(&s);
	free(name);
}
END_TEST

/* ---- the encoding ------------------------------------------------------- */

/* The header's layout, written out here by hand. */
START_TEST(encode_layout)
{
	struct rta_sources s;
	struct rta_buf got = RTA_BUF_INIT, want = RTA_BUF_INIT;
	struct rta_where w;
	struct rta_position p;

	rta_sources_init(&s);
	ck_assert_int_eq(rta_sources_encode(&s, &got), 0);
	le(&want, 0, 4);
	ck_assert_uint_eq(got.len, want.len);
	ck_assert_mem_eq(got.data, want.data, want.len);

	w = at_line("ab", 1, 3);
	p = pos_of("topic", -2, 0x123456789aLL);
	record(&s, &w, &p);
	rta_sources_end(&s);
	w = at_offset("f.rta", 2, 0x1020304050ULL);
	record(&s, &w, NULL);
	(void)rta_sources_get(&s, RTA_SRC_LINES, 0, "new", 3);
	/* appended to what the buffer holds */
	rta_buf_reset(&got);
	ck_assert_int_eq(rta_buf_adds(&got, "head"), 0);
	ck_assert_int_eq(rta_sources_encode(&s, &got), 0);
	rta_buf_reset(&want);
	ck_assert_int_eq(rta_buf_adds(&want, "head"), 0);
	le(&want, 4, 4);
	put_source(&want, 1, 0, 1, 3, "ab", 2);
	put_source(&want, 3, -2, 1, 0x123456789aULL, "topic", 5);
	put_source(&want, 2, 0, 1, 0x1020304050ULL, "f.rta", 5);
	put_source(&want, 1, 0, 0, 0, "new", 3);
	ck_assert_uint_eq(got.len, want.len);
	ck_assert_mem_eq(got.data, want.data, want.len);
	release(&s);
	rta_buf_release(&got);
	rta_buf_release(&want);
}
END_TEST

/* A table of every kind, odd names among them. */
static void
build_mixed(struct rta_sources *s, uint64_t limit)
{
	static const char odd[] = "\x01\xff\"\\\n\t\x7f\xc3\xa9 \0end";
	char *long_name = malloc(RTA_SOURCE_NAME_MAX);
	size_t i;

	ck_assert_ptr_nonnull(long_name);
	for (i = 0; i < RTA_SOURCE_NAME_MAX; i++)
		long_name[i] = (char)('a' + i % 26);
	rta_sources_init(s);
	rta_sources_done(s, rta_sources_get(s, RTA_SRC_LINES, 0, "a", 1), 3);
	rta_sources_done(s, rta_sources_get(s, RTA_SRC_LINES, 0,
	    "dir/with space.ndjson", 21), 1);
	rta_sources_done(s, rta_sources_get(s, RTA_SRC_LINES, 0, odd,
	    sizeof(odd) - 1), limit);
	rta_sources_done(s, rta_sources_get(s, RTA_SRC_LINES, 0, long_name,
	    RTA_SOURCE_NAME_MAX), 12);
	(void)rta_sources_get(s, RTA_SRC_LINES, 0, "untouched", 9);
	rta_sources_done(s, rta_sources_get(s, RTA_SRC_LINES, 0, "", 0), 2);
	rta_sources_done(s, rta_sources_get(s, RTA_SRC_BYTES, 0, "a", 1), 0);
	rta_sources_done(s, rta_sources_get(s, RTA_SRC_BYTES, 0, odd,
	    sizeof(odd) - 1), 4096);
	rta_sources_done(s, rta_sources_get(s, RTA_SRC_KAFKA, 0, "a", 1), 0);
	rta_sources_done(s, rta_sources_get(s, RTA_SRC_KAFKA, 1, "a", 1), 77);
	rta_sources_done(s, rta_sources_get(s, RTA_SRC_KAFKA, INT32_MAX,
	    "events.v2", 9), 1ULL << 40);
	rta_sources_done(s, rta_sources_get(s, RTA_SRC_KAFKA, -1, odd,
	    sizeof(odd) - 1), 5);
	(void)rta_sources_get(s, RTA_SRC_KAFKA, INT32_MIN, "idle", 4);
	ck_assert_uint_eq(s->n, 13);
	free(long_name);
}

START_TEST(round_trip)
{
	struct rta_sources s, d, e;
	struct rta_buf b = RTA_BUF_INIT, b2 = RTA_BUF_INIT;
	size_t used, want = 4, i;

	build_mixed(&s, done_limit());
	ck_assert_int_eq(rta_sources_encode(&s, &b), 0);
	for (i = 0; i < s.n; i++)
		want += HEAD + s.v[i].len;
	ck_assert_uint_eq(b.len, want);
	/* bytes after the encoding are not the decoder's */
	ck_assert_int_eq(rta_buf_adds(&b, "after"), 0);
	rta_sources_init(&d);
	ck_assert_int_eq(decode(&d, b.data, b.len, &used), RTA_OK);
	ck_assert_uint_eq(used, want);
	assert_same(&s, &d);
	for (i = 0; i < d.n; i++)
		ck_assert_msg(!d.v[i].has_resume, "decoded with a resume");
	ck_assert_uint_eq(d.cur_file, RTA_SOURCE_NONE);
	ck_assert_uint_eq(d.cur_kafka, RTA_SOURCE_NONE);
	ck_assert_int_eq(rta_sources_encode(&d, &b2), 0);
	ck_assert_uint_eq(b2.len, want);
	ck_assert_mem_eq(b2.data, b.data, want);
	/* two encodings back to back: each decode takes its own */
	b.len = want;
	ck_assert_int_eq(rta_sources_encode(&s, &b), 0);
	{
		const unsigned char *p = b.data, *end = b.data + b.len;

		rta_sources_init(&e);
		ck_assert_int_eq(rta_sources_decode(&e, &p, end), RTA_OK);
		ck_assert_ptr_eq(p, b.data + want);
		release(&e);
		ck_assert_int_eq(rta_sources_decode(&e, &p, end), RTA_OK);
		ck_assert_ptr_eq(p, end);
		assert_same(&s, &e);
		release(&e);
	}
	release(&s);
	release(&d);
	rta_buf_release(&b);
	rta_buf_release(&b2);
}
END_TEST

/* Every prefix of an encoding is damaged. */
START_TEST(decode_truncated)
{
	struct rta_sources s, d;
	struct rta_buf b = RTA_BUF_INIT;
	size_t len;
	int rc;

	build_mixed(&s, done_limit());
	ck_assert_int_eq(rta_sources_encode(&s, &b), 0);
	for (len = 0; len < b.len; len++) {
		rta_sources_init(&d);
		rc = decode(&d, b.data, len, NULL);
		ck_assert_msg(rc == RTA_EDATA, "%zu of %zu bytes: decode gave "
		    "%d, want RTA_EDATA", len, b.len, rc);
		release(&d);
	}
	rta_sources_init(&d);
	ck_assert_int_eq(decode(&d, b.data, b.len, NULL), RTA_OK);
	release(&d);
	release(&s);
	rta_buf_release(&b);
}
END_TEST

/* One source with the fields given, after a count of one. */
static void
one_source(struct rta_buf *b, int kind, int has_done, uint64_t done,
    const void *name, size_t len)
{
	rta_buf_reset(b);
	le(b, 1, 4);
	put_source(b, kind, 0, has_done, done, name, len);
}

START_TEST(decode_bad_fields)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_sources s;
	char *name = malloc(RTA_SOURCE_NAME_MAX + 1);
	uint64_t limit = done_limit();
	static const int bad_kind[] = { 0, 4, 5, 0x81, 0xff };
	static const int bad_has_done[] = { 2, 3, 0x80, 0xff };
	size_t i;

	ck_assert_ptr_nonnull(name);
	ck_assert_msg(limit < UINT64_MAX, "positions have no limit");
	memset(name, 'n', RTA_SOURCE_NAME_MAX + 1);
	/* the good ones first, so that the bad ones fail for their field */
	for (i = RTA_SRC_LINES; i <= RTA_SRC_KAFKA; i++) {
		one_source(&b, (int)i, 1, limit, name, RTA_SOURCE_NAME_MAX);
		rta_sources_init(&s);
		ck_assert_int_eq(decode(&s, b.data, b.len, NULL), RTA_OK);
		ck_assert_uint_eq(s.n, 1);
		ck_assert_uint_eq(s.v[0].done, limit);
		release(&s);
	}
	for (i = 0; i < sizeof(bad_kind) / sizeof(bad_kind[0]); i++) {
		one_source(&b, bad_kind[i], 1, 3, "a", 1);
		assert_refused(&b, "bad kind");
	}
	for (i = 0; i < sizeof(bad_has_done) / sizeof(bad_has_done[0]); i++) {
		one_source(&b, RTA_SRC_LINES, bad_has_done[i], 3, "a", 1);
		assert_refused(&b, "has_done over 1");
	}
	one_source(&b, RTA_SRC_LINES, 1, 3, name, RTA_SOURCE_NAME_MAX + 1);
	assert_refused(&b, "name longer than RTA_SOURCE_NAME_MAX");
	one_source(&b, RTA_SRC_KAFKA, 1, limit + 1, "t", 1);
	assert_refused(&b, "done past the limit");
	one_source(&b, RTA_SRC_KAFKA, 1, UINT64_MAX, "t", 1);
	assert_refused(&b, "done UINT64_MAX");
	/* a name length past the end, however large */
	one_source(&b, RTA_SRC_LINES, 1, 3, "abc", 3);
	b.len--;
	assert_refused(&b, "name past the end");
	one_source(&b, RTA_SRC_LINES, 1, 3, "abc", 3);
	b.data[4 + 14] = 0xff;
	b.data[4 + 17] = 0xff;
	assert_refused(&b, "name length 0xff0000ff");
	rta_buf_release(&b);
	free(name);
}
END_TEST

START_TEST(decode_duplicates)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_sources s;

	/* one name, with another kind, partition or length: five sources */
	le(&b, 5, 4);
	put_source(&b, RTA_SRC_LINES, 0, 1, 1, "a", 1);
	put_source(&b, RTA_SRC_BYTES, 0, 1, 1, "a", 1);
	put_source(&b, RTA_SRC_KAFKA, 0, 1, 1, "a", 1);
	put_source(&b, RTA_SRC_KAFKA, 1, 1, 1, "a", 1);
	put_source(&b, RTA_SRC_KAFKA, 1, 1, 1, "a\0", 2);
	rta_sources_init(&s);
	ck_assert_int_eq(decode(&s, b.data, b.len, NULL), RTA_OK);
	ck_assert_uint_eq(s.n, 5);
	release(&s);
	/* the same source twice, whatever else differs */
	rta_buf_reset(&b);
	le(&b, 3, 4);
	put_source(&b, RTA_SRC_LINES, 0, 1, 1, "a", 1);
	put_source(&b, RTA_SRC_KAFKA, 4, 1, 9, "t", 1);
	put_source(&b, RTA_SRC_KAFKA, 4, 0, 0, "t", 1);
	assert_refused(&b, "the same Kafka partition twice");
	rta_buf_reset(&b);
	le(&b, 2, 4);
	put_source(&b, RTA_SRC_BYTES, 0, 1, 100, "in.rta", 6);
	put_source(&b, RTA_SRC_BYTES, 0, 1, 200, "in.rta", 6);
	assert_refused(&b, "the same file twice");
	rta_buf_reset(&b);
	le(&b, 2, 4);
	put_source(&b, RTA_SRC_LINES, 0, 0, 0, "", 0);
	put_source(&b, RTA_SRC_LINES, 0, 0, 0, "", 0);
	assert_refused(&b, "the empty name twice");
	rta_buf_release(&b);
}
END_TEST

/* RTA_SOURCES_MAX sources decode; one more is damage, as is any count
 * the bytes cannot hold. */
START_TEST(decode_count)
{
	struct rta_buf b = RTA_BUF_INIT, again = RTA_BUF_INIT;
	struct rta_sources d;
	uint32_t i;

	le(&b, RTA_SOURCES_MAX, 4);
	for (i = 0; i < RTA_SOURCES_MAX; i++)
		put_source(&b, RTA_SRC_KAFKA, (int32_t)i, 1, i, "t", 1);
	rta_sources_init(&d);
	ck_assert_int_eq(decode(&d, b.data, b.len, NULL), RTA_OK);
	ck_assert_uint_eq(d.n, RTA_SOURCES_MAX);
	for (i = 0; i < RTA_SOURCES_MAX; i++)
		ck_assert_msg(d.v[i].kind == RTA_SRC_KAFKA &&
		    d.v[i].partition == (int32_t)i && d.v[i].has_done &&
		    d.v[i].done == i && d.v[i].len == 1 &&
		    d.v[i].name[0] == 't', "source %u", (unsigned)i);
	ck_assert_int_eq(rta_sources_encode(&d, &again), 0);
	ck_assert_uint_eq(again.len, b.len);
	ck_assert_mem_eq(again.data, b.data, b.len);
	release(&d);
	rta_buf_release(&again);
	/* one more source, and the count to match */
	put_source(&b, RTA_SRC_KAFKA, (int32_t)RTA_SOURCES_MAX, 1, 1, "t", 1);
	put_le(b.data, RTA_SOURCES_MAX + 1, 4);
	assert_refused(&b, "RTA_SOURCES_MAX + 1 sources");
	/* counts the bytes cannot hold */
	rta_buf_reset(&b);
	le(&b, RTA_SOURCES_MAX, 4);
	assert_refused(&b, "RTA_SOURCES_MAX sources in 4 bytes");
	put_source(&b, RTA_SRC_LINES, 0, 1, 1, "a", 1);
	assert_refused(&b, "RTA_SOURCES_MAX sources, one there");
	rta_buf_reset(&b);
	le(&b, UINT32_MAX, 4);
	put_source(&b, RTA_SRC_LINES, 0, 1, 1, "a", 1);
	assert_refused(&b, "count UINT32_MAX");
	rta_buf_reset(&b);
	le(&b, 1U << 31, 4);
	assert_refused(&b, "count 2^31");
	rta_buf_release(&b);
}
END_TEST

/*
 * A count is not trusted for memory: with no allocation possible at all,
 * a huge count and no sources is still RTA_EDATA (not RTA_ENOMEM), and
 * decoding one source takes as many allocations under a count of
 * RTA_SOURCES_MAX as under a count of one.  RTA_FAULT is read once per
 * process, at the first allocation, so each try is a child of its own
 * and the bytes are made without the library.
 */
static struct bytes count_in;

static int
count_child(unsigned long n)
{
	struct rta_sources s;
	char env[64];
	int rc;

	snprintf(env, sizeof(env), "alloc:%lu:persistent", n);
	setenv("RTA_FAULT", env, 1);
	rta_sources_init(&s);
	rc = decode(&s, count_in.d, count_in.len, NULL);
	rta_sources_release(&s);
	if (rc == RTA_ENOMEM)
		return 1;
	if (n == 1)
		return 12;	/* a source was added without allocating */
	return rc == RTA_OK || rc == RTA_EDATA ? 0 : 3;
}

START_TEST(decode_count_no_alloc)
{
	unsigned long one, many;
	pid_t pid;
	int status;

	memset(&count_in, 0, sizeof(count_in));
	put_le(count_in.d, RTA_SOURCES_MAX, 4);
	count_in.len = 4;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct rta_sources s;
		int rc;

		setenv("RTA_FAULT", "alloc:1:persistent", 1);
		rta_sources_init(&s);
		rc = decode(&s, count_in.d, count_in.len, NULL);
		/* the fault must be in effect */
		_exit(rta_malloc(1) != NULL ? 12 : rc);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(!WIFEXITED(status) || WEXITSTATUS(status) != 12,
	    "RTA_FAULT is not in effect: run this test forked");
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == RTA_EDATA,
	    "a count of RTA_SOURCES_MAX and no sources, with every "
	    "allocation failing: status %#x, want exit %d (RTA_EDATA)",
	    (unsigned)status, RTA_EDATA);

	put_le(count_in.d, 1, 4);
	bytes_source(&count_in, RTA_SRC_LINES, 0, 1, 1, "a", 1);
	one = unit_alloc_failures(count_child, NULL);
	put_le(count_in.d, RTA_SOURCES_MAX, 4);
	many = unit_alloc_failures(count_child, NULL);
	ck_assert_uint_ge(one, 2);
	ck_assert_msg(many == one, "decoding one source takes %lu "
	    "allocation steps under a count of RTA_SOURCES_MAX, %lu under "
	    "a count of 1", many, one);
}
END_TEST

/* Allocation failures while decoding: RTA_ENOMEM, cleanly. */
static struct bytes mixed_in;

static int
decode_alloc_child(unsigned long n)
{
	struct rta_sources d;
	struct rta_buf b = RTA_BUF_INIT;
	char env[64];
	int rc, same;

	snprintf(env, sizeof(env), "alloc:%lu:persistent", n);
	setenv("RTA_FAULT", env, 1);
	rta_sources_init(&d);
	rc = decode(&d, mixed_in.d, mixed_in.len, NULL);
	if (rc == RTA_ENOMEM) {
		rta_sources_release(&d);
		return d.n == 0 ? 1 : 5;
	}
	if (rc != RTA_OK)
		return 3;
	if (n == 1)
		return 12;	/* sources added without allocating */
	if (rta_sources_encode(&d, &b) != 0) {
		rta_sources_release(&d);
		rta_buf_release(&b);
		return 1;
	}
	same = b.len == mixed_in.len && memcmp(b.data, mixed_in.d,
	    b.len) == 0;
	rta_sources_release(&d);
	rta_buf_release(&b);
	return same ? 0 : 6;
}

static const char *
decode_alloc_why(int code)
{
	switch (code) {
	case 3:
		return "decode failed, but not for memory";
	case 5:
		return "release left sources";
	case 6:
		return "what decoded encodes to other bytes";
	default:
		return "wrong answer";
	}
}

START_TEST(decode_alloc_failures)
{
	static const char odd[] = "\x01\xff\"\\\n\0x";

	memset(&mixed_in, 0, sizeof(mixed_in));
	put_le(mixed_in.d, 6, 4);
	mixed_in.len = 4;
	bytes_source(&mixed_in, RTA_SRC_LINES, 0, 1, 3, "a", 1);
	bytes_source(&mixed_in, RTA_SRC_LINES, 0, 0, 0, odd, sizeof(odd) - 1);
	bytes_source(&mixed_in, RTA_SRC_BYTES, 0, 1, 4096, "in.rta", 6);
	bytes_source(&mixed_in, RTA_SRC_KAFKA, 0, 1, 41, "t", 1);
	bytes_source(&mixed_in, RTA_SRC_KAFKA, 7, 1, 9, "t", 1);
	bytes_source(&mixed_in, RTA_SRC_KAFKA, -1, 0, 0, odd, sizeof(odd) - 1);
	ck_assert_uint_ge(unit_alloc_failures(decode_alloc_child,
	    decode_alloc_why), 7);
}
END_TEST

/* Allocation failures while a table is filled, encoded and printed:
 * sources not kept, -1, but never a wrong position or a crash. */
static int
build_alloc_child(unsigned long n)
{
	struct rta_sources s;
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_where w;
	struct rta_position p;
	static const uint64_t last[] = { 6, 4, 5 };
	char env[64];
	size_t i;
	int k;

	snprintf(env, sizeof(env), "alloc:%lu:persistent", n);
	setenv("RTA_FAULT", env, 1);
	rta_sources_init(&s);
	for (k = 1; k <= 6; k++) {
		w = at_line(k % 2 ? "a" : "b", (uint64_t)k, (uint64_t)k);
		p = pos_of("t", k % 3, k);
		record(&s, &w, &p);
	}
	rta_sources_end(&s);
	if (n == 1 && s.n > 0)
		return 12;	/* sources added without allocating */
	for (i = 0; i < s.n; i++) {
		const struct rta_source *x = &s.v[i];

		if (!x->has_done)
			return 3;
		if (x->kind == RTA_SRC_LINES && x->done != (x->name[0] == 'a' ?
		    5U : 6U))
			return 4;
		/* the last message of partition k % 3 is at offset k */
		if (x->kind == RTA_SRC_KAFKA && (x->partition < 0 ||
		    x->partition > 2 || x->done != last[x->partition]))
			return 4;
	}
	if (s.n < 5) {
		rta_sources_release(&s);
		return 1;
	}
	if (rta_sources_encode(&s, &b) != 0 ||
	    rta_sources_offsets(&s, 0, &b) != 0 ||
	    rta_sources_offsets(&s, 1, &b) != 0) {
		rta_buf_release(&b);
		rta_sources_release(&s);
		return 1;
	}
	rta_buf_release(&b);
	rta_sources_release(&s);
	return 0;
}

static const char *
build_alloc_why(int code)
{
	return code == 3 ? "a source kept with nothing handled" :
	    code == 4 ? "a source handled up to another position" :
	    "wrong answer";
}

START_TEST(build_alloc_failures)
{
	ck_assert_uint_ge(unit_alloc_failures(build_alloc_child,
	    build_alloc_why), 5);
}
END_TEST

/* ---- --resume ----------------------------------------------------------- */

/* A first run handles part of its inputs and checkpoints; a second,
 * from that checkpoint with --resume, skips exactly what was handled. */
START_TEST(resume_files)
{
	struct rta_sources s, d;
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_where w;
	struct rta_position p;
	uint64_t k;

	rta_sources_init(&s);
	for (k = 1; k <= 3; k++) {
		w = at_line("a", 1, k);
		record(&s, &w, NULL);
	}
	for (k = 0; k <= 200; k += 100) {
		w = at_offset("b.rta", 2, k);
		record(&s, &w, NULL);
	}
	/* a kcat stream read, with an offset of its own */
	w = at_line("k", 3, 1);
	p = pos_of("k", 0, 100);
	record(&s, &w, &p);
	rta_sources_end(&s);
	/* an input seen, nothing of it handled */
	w = at_line("c", 4, 1);
	rta_sources_track(&s, &w);
	ck_assert_int_eq(rta_sources_encode(&s, &b), 0);
	release(&s);

	rta_sources_init(&d);
	ck_assert_int_eq(decode(&d, b.data, b.len, NULL), RTA_OK);
	/* armed, or not, nothing is skipped before the first track */
	w = at_line("a", 1, 1);
	ck_assert_int_eq(rta_sources_resumed(&d, &w), 0);
	rta_sources_track(&d, &w);
	ck_assert_int_eq(rta_sources_resumed(&d, &w), 0);
	rta_sources_arm_resume(&d);
	for (k = 1; k <= 5; k++) {
		w = at_line("a", 11, k);
		rta_sources_track(&d, &w);
		ck_assert_msg(rta_sources_resumed(&d, &w) == (k <= 3),
		    "a:%llu", (unsigned long long)k);
		if (!rta_sources_resumed(&d, &w))
			rta_sources_handled(&d, &w);
	}
	assert_done(&d, RTA_SRC_LINES, 0, "a", 5);
	for (k = 0; k <= 300; k += 100) {
		w = at_offset("b.rta", 12, k);
		rta_sources_track(&d, &w);
		ck_assert_msg(rta_sources_resumed(&d, &w) == (k <= 200),
		    "b.rta@%llu", (unsigned long long)k);
	}
	w = at_offset("b.rta", 12, 201);
	rta_sources_track(&d, &w);
	ck_assert_int_eq(rta_sources_resumed(&d, &w), 0);
	w = at_line("c", 13, 1);
	rta_sources_track(&d, &w);
	ck_assert_int_eq(rta_sources_resumed(&d, &w), 0);
	w = at_line("new", 14, 1);
	rta_sources_track(&d, &w);
	ck_assert_int_eq(rta_sources_resumed(&d, &w), 0);
	/* the file k is skipped as a file; its topic k resumes nothing */
	w = at_line("k", 15, 1);
	rta_sources_track(&d, &w);
	ck_assert_int_eq(rta_sources_resumed(&d, &w), 1);
	w = at_line("k", 15, 2);
	rta_sources_track(&d, &w);
	ck_assert_int_eq(rta_sources_resumed(&d, &w), 0);
	release(&d);
	rta_buf_release(&b);
}
END_TEST

/* Kafka partitions are never skipped: kcat starts after their offset. */
START_TEST(resume_kafka)
{
	struct rta_sources s;
	struct rta_where w;
	size_t i, t;

	rta_sources_init(&s);
	t = rta_sources_get(&s, RTA_SRC_KAFKA, 0, "t", 1);
	rta_sources_done(&s, t, 500);
	i = rta_sources_get(&s, RTA_SRC_LINES, 0, "t", 1);
	rta_sources_done(&s, i, 2);
	rta_sources_arm_resume(&s);
	ck_assert_int_eq(s.v[t].has_resume, 0);
	ck_assert_int_eq(s.v[i].has_resume, 1);
	ck_assert_uint_eq(s.v[i].resume, 2);
	w = at_line("t", 1, 3);
	rta_sources_track(&s, &w);
	ck_assert_int_eq(rta_sources_resumed(&s, &w), 0);
	/* a stream named like the topic, its lines past the file's */
	w = at_line("t", 1, 400);
	rta_sources_track(&s, &w);
	ck_assert_int_eq(rta_sources_resumed(&s, &w), 0);
	release(&s);
}
END_TEST

/* ---- offsets ------------------------------------------------------------ */

static void
assert_text(const struct rta_buf *b, const char *want)
{
	ck_assert_msg(b->len == strlen(want) && memcmp(b->data, want,
	    b->len) == 0, "got:\n%.*s\nwant:\n%s", (int)b->len, b->data, want);
}

START_TEST(offsets_exact)
{
	struct rta_sources s;
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_where w;
	struct rta_position p;
	uint64_t k;

	rta_sources_init(&s);
	ck_assert_int_eq(rta_sources_offsets(&s, 0, &b), 0);
	ck_assert_int_eq(rta_sources_offsets(&s, 1, &b), 0);
	ck_assert_uint_eq(b.len, 0);
	for (k = 1; k <= 4; k++) {
		w = at_line("in.ndjson", 1, k);
		p = pos_of("events", (int32_t)(k % 2) * 3, 40 + (int64_t)k);
		record(&s, &w, k < 4 ? &p : NULL);
	}
	rta_sources_end(&s);
	w = at_offset("in.rta", 2, 4096);
	record(&s, &w, NULL);
	/* a partition seen, no message of it handled */
	w = at_line("more", 3, 1);
	p = pos_of("clicks", 0, 9);
	record(&s, &w, &p);
	(void)rta_sources_get(&s, RTA_SRC_LINES, 0, "seen", 4);
	/* appended */
	ck_assert_int_eq(rta_buf_adds(&b, "#\n"), 0);
	ck_assert_int_eq(rta_sources_offsets(&s, 0, &b), 0);
	assert_text(&b, "#\n"
	    "-t events -p 3 -o 44\n"
	    "-t events -p 0 -o 43\n");
	rta_buf_reset(&b);
	ck_assert_int_eq(rta_sources_offsets(&s, 1, &b), 0);
	assert_text(&b,
	    "{\"input\":\"in.ndjson\",\"line\":4}\n"
	    "{\"topic\":\"events\",\"partition\":3,\"offset\":44}\n"
	    "{\"topic\":\"events\",\"partition\":0,\"offset\":43}\n"
	    "{\"input\":\"in.rta\",\"byte_offset\":4096}\n"
	    "{\"input\":\"more\",\"line\":1}\n");
	/* once the message is done, its partition follows */
	rta_sources_end(&s);
	rta_buf_reset(&b);
	ck_assert_int_eq(rta_sources_offsets(&s, 0, &b), 0);
	assert_text(&b,
	    "-t events -p 3 -o 44\n"
	    "-t events -p 0 -o 43\n"
	    "-t clicks -p 0 -o 10\n");
	release(&s);
	rta_buf_release(&b);
}
END_TEST

/* A record cadence is due at its count, then again after as many; a
 * time cadence is due once its interval passed (the clock read every
 * 1024 records). */
START_TEST(cadence)
{
	struct rta_cadence c;
	int i;

	rta_cadence_start(&c, 0, 3);
	ck_assert_int_eq(rta_cadence_tick(&c), 0);
	ck_assert_int_eq(rta_cadence_due(&c), 0);
	ck_assert_int_eq(rta_cadence_tick(&c), 0);
	ck_assert_int_eq(rta_cadence_tick(&c), 1);
	ck_assert_int_eq(rta_cadence_due(&c), 1);
	rta_cadence_done(&c);
	ck_assert_int_eq(rta_cadence_due(&c), 0);
	rta_cadence_start(&c, 0, 0);	/* no interval: due at the read */
	for (i = 1; i < 1024; i++)
		ck_assert_int_eq(rta_cadence_tick(&c), 0);
	ck_assert_int_eq(rta_cadence_tick(&c), 1);
	rta_cadence_start(&c, 3600LL * 1000000, 0);
	for (i = 0; i < 4096; i++)
		ck_assert_int_eq(rta_cadence_tick(&c), 0);
	ck_assert_int_eq(rta_cadence_due(&c), 0);
}
END_TEST

/* --checkpoint-every: a duration or a record count, nothing else. */
START_TEST(interval)
{
	static const char *const bad[] = { "", "r", "0r", "-1r", "0s",
	    "-5s", "10x", "1.5r", "12345678901234567890123456789012345r",
	    "18446744073709551616r", " 5r" };
	int64_t us = -1;
	uint64_t rec = 1;
	size_t i;

	ck_assert_int_eq(rta_state_interval("10s", &us, &rec), 0);
	ck_assert_int_eq(us, 10000000);
	ck_assert_uint_eq(rec, 0);
	ck_assert_int_eq(rta_state_interval("10000r", &us, &rec), 0);
	ck_assert_int_eq(us, 0);
	ck_assert_uint_eq(rec, 10000);
	ck_assert_int_eq(rta_state_interval("18446744073709551615r", &us,
	    &rec), 0);
	ck_assert_uint_eq(rec, UINT64_MAX);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(rta_state_interval(bad[i], &us, &rec) == -1,
		    "'%s' taken", bad[i]);
}
END_TEST

/* kcat lines only for topics that are Kafka names: another could not
 * come from Kafka, and would break the command line. */
START_TEST(offsets_kcat_names)
{
	struct rta_sources s;
	struct rta_buf b = RTA_BUF_INIT, want = RTA_BUF_INIT;
	static const char *const bad[] = { "a b\nc", "", "x/y", "t\"" };
	char longest[250];
	size_t i, lines;

	rta_sources_init(&s);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		rta_sources_done(&s, rta_sources_get(&s, RTA_SRC_KAFKA, 0,
		    bad[i], strlen(bad[i])), 7);
	rta_sources_done(&s, rta_sources_get(&s, RTA_SRC_KAFKA, 0, "ev\0x",
	    4), 7);
	memset(longest, 'L', sizeof(longest));
	rta_sources_done(&s, rta_sources_get(&s, RTA_SRC_KAFKA, 0, longest,
	    250), 7);
	rta_sources_done(&s, rta_sources_get(&s, RTA_SRC_KAFKA, 1, longest,
	    249), 7);
	rta_sources_done(&s, rta_sources_get(&s, RTA_SRC_KAFKA, 2,
	    "Ev.v-2_x", 8), 7);
	ck_assert_int_eq(rta_sources_offsets(&s, 0, &b), 0);
	ck_assert_int_eq(rta_buf_adds(&want, "-t "), 0);
	ck_assert_int_eq(rta_buf_add(&want, longest, 249), 0);
	ck_assert_int_eq(rta_buf_adds(&want, " -p 1 -o 8\n"
	    "-t Ev.v-2_x -p 2 -o 8\n"), 0);
	ck_assert_uint_eq(b.len, want.len);
	ck_assert_mem_eq(b.data, want.data, want.len);
	/* JSON has them all, one line each */
	rta_buf_reset(&b);
	ck_assert_int_eq(rta_sources_offsets(&s, 1, &b), 0);
	for (i = 0, lines = 0; i < b.len; i++)
		lines += b.data[i] == '\n';
	ck_assert_uint_eq(lines, 8);
	rta_buf_release(&want);
	release(&s);
	rta_buf_release(&b);
}
END_TEST

/* A file source has partition 0; a failed decode leaves s empty. */
START_TEST(decode_file_partition)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_sources s;
	const unsigned char *p;

	le(&b, 2, 4);
	put_source(&b, RTA_SRC_LINES, 0, 1, 1, "ok", 2);
	put_source(&b, RTA_SRC_LINES, 5, 1, 1, "a", 1);
	rta_sources_init(&s);
	p = b.data;
	ck_assert_int_eq(rta_sources_decode(&s, &p, b.data + b.len),
	    RTA_EDATA);
	ck_assert_ptr_eq(p, b.data);
	ck_assert_uint_eq(s.n, 0);
	rta_buf_reset(&b);
	le(&b, 1, 4);
	put_source(&b, RTA_SRC_BYTES, -1, 1, 1, "a", 1);
	assert_refused(&b, "a frames file with a partition");
	release(&s);
	rta_buf_release(&b);
}
END_TEST

/* The same input name read again (a new serial) is a new input: the
 * open Kafka message of the first pass is done. */
START_TEST(same_name_again)
{
	struct rta_sources s;
	struct rta_where w;
	struct rta_position p;

	rta_sources_init(&s);
	w = at_line("a", 1, 1);
	p = pos_of("t", 0, 5);
	record(&s, &w, &p);
	ck_assert_int_eq(rta_sources_mid_message(&s), 1);
	w = at_line("a", 2, 1);
	rta_sources_track(&s, &w);
	ck_assert_int_eq(rta_sources_mid_message(&s), 0);
	assert_done(&s, RTA_SRC_KAFKA, 0, "t", 5);
	ck_assert_uint_eq(s.n, 2);
	release(&s);
}
END_TEST

/* The JSON lines read back, names with escapes and bad UTF-8. */
START_TEST(offsets_json_names)
{
	static const struct {
		const char	*name;
		size_t		 len;
		const char	*want;		/* the name as JSON reads it */
		size_t		 want_len;
	} names[] = {
		{ "q\"b\\s", 5, "q\"b\\s", 5 },
		{ "nl\nt\tc\x01\x1f", 8, "nl\nt\tc\x01\x1f", 8 },
		{ "caf\xc3\xa9 \xe2\x82\xac", 9,
		    "caf\xc3\xa9 \xe2\x82\xac", 9 },
		{ "bad\xff", 4, "bad\xef\xbf\xbd", 6 },
		{ "n\0ul", 4, "n\0ul", 4 },
	};
	const size_t nn = sizeof(names) / sizeof(names[0]);
	struct rta_sources s;
	struct rta_buf b = RTA_BUF_INIT;
	const char *line, *nl;
	size_t i, k, lines = 0;

	rta_sources_init(&s);
	for (i = 0; i < nn; i++) {
		k = rta_sources_get(&s, RTA_SRC_KAFKA, (int32_t)i,
		    names[i].name, names[i].len);
		rta_sources_done(&s, k, 10 * i);
		k = rta_sources_get(&s, i % 2 ? RTA_SRC_BYTES : RTA_SRC_LINES,
		    0, names[i].name, names[i].len);
		rta_sources_done(&s, k, 10 * i + 1);
	}
	ck_assert_int_eq(rta_sources_offsets(&s, 1, &b), 0);
	ck_assert_int_eq(rta_buf_addc(&b, '\0'), 0);
	b.len--;
	ck_assert_msg(strstr((const char *)b.data, "\"q\\\"b\\\\s\"") != NULL,
	    "quote and backslash not escaped:\n%s", b.data);
	for (line = (const char *)b.data; line < (const char *)b.data + b.len;
	    line = nl + 1) {
		json_error_t je;
		json_t *j, *name;
		const char *key;

		nl = memchr(line, '\n', (size_t)((const char *)b.data +
		    b.len - line));
		ck_assert_ptr_nonnull(nl);
		j = json_loadb(line, (size_t)(nl - line), JSON_ALLOW_NUL |
		    JSON_REJECT_DUPLICATES, &je);
		ck_assert_msg(j != NULL, "line %zu: %s: %.*s", lines, je.text,
		    (int)(nl - line), line);
		i = lines / 2;
		ck_assert_uint_lt(i, nn);
		if (lines % 2 == 0) {
			key = "topic";
			ck_assert_uint_eq(json_object_size(j), 3);
			ck_assert_int_eq(json_integer_value(json_object_get(j,
			    "partition")), (json_int_t)i);
			ck_assert_int_eq(json_integer_value(json_object_get(j,
			    "offset")), (json_int_t)(10 * i + 1));
		} else {
			key = "input";
			ck_assert_uint_eq(json_object_size(j), 2);
			ck_assert_int_eq(json_integer_value(json_object_get(j,
			    i % 2 ? "byte_offset" : "line")),
			    (json_int_t)(10 * i + 1));
		}
		name = json_object_get(j, key);
		ck_assert_msg(json_is_string(name), "line %zu: no %s", lines,
		    key);
		ck_assert_uint_eq(json_string_length(name), names[i].want_len);
		ck_assert_mem_eq(json_string_value(name), names[i].want,
		    names[i].want_len);
		json_decref(j);
		lines++;
	}
	ck_assert_uint_eq(lines, 2 * nn);
	release(&s);
	rta_buf_release(&b);
}
END_TEST

/* ---- the state directory ------------------------------------------------ */

static int
file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* The names in a directory, sorted, joined by spaces. */
static void
list_dir(const char *dir, char *out, size_t size)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char names[16][64];
	size_t n = 0, i, j;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		ck_assert_uint_lt(n, 16);
		ck_assert_uint_lt(strlen(e->d_name), sizeof(names[0]));
		memcpy(names[n++], e->d_name, strlen(e->d_name) + 1);
	}
	closedir(d);
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char t[64];

			memcpy(t, names[j], sizeof(t));
			memcpy(names[j], names[j - 1], sizeof(t));
			memcpy(names[j - 1], t, sizeof(t));
		}
	out[0] = '\0';
	for (i = 0; i < n; i++)
		snprintf(out + strlen(out), size - strlen(out), "%s%s",
		    i > 0 ? " " : "", names[i]);
}

static void
assert_dir(const char *dir, const char *want)
{
	char got[1024];

	list_dir(dir, got, sizeof(got));
	ck_assert_str_eq(got, want);
}

/* In a child: 0 if rta_state_lock(dir) fails as "state-busy", 2 if it
 * takes the lock, 3 for another failure. */
static int
lock_in_child(const char *dir)
{
	pid_t pid;
	int status;

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct rta_error err;
		int fd = rta_state_lock(dir, &err);

		if (fd >= 0)
			_exit(2);
		_exit(err.code == RTA_EIO && err.reason != NULL &&
		    strcmp(err.reason, "state-busy") == 0 ? 0 : 3);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

START_TEST(lock)
{
	struct rta_error err;
	char dir[UNIT_PATH_MAX];
	int fd, fd2;

	snprintf(dir, sizeof(dir), "%s", unit_path("state"));
	ck_assert(!file_exists(dir));
	fd = rta_state_lock(dir, &err);
	ck_assert_msg(fd >= 0, "lock: %s", err.text);
	ck_assert(file_exists(dir));
	ck_assert(file_exists(unit_path("state/lock")));
	/* a second open file description in this process conflicts */
	rta_error_clear(&err);
	ck_assert_int_eq(rta_state_lock(dir, &err), -1);
	ck_assert_int_eq(err.code, RTA_EIO);
	ck_assert_ptr_nonnull(err.reason);
	ck_assert_str_eq(err.reason, "state-busy");
	ck_assert_uint_gt(strlen(err.text), 0);
	/* and so does another process */
	ck_assert_int_eq(lock_in_child(dir), 0);
	/* the lock goes with its descriptor */
	ck_assert_int_eq(close(fd), 0);
	ck_assert_int_eq(lock_in_child(dir), 2);
	fd2 = rta_state_lock(dir, &err);
	ck_assert_msg(fd2 >= 0, "lock again: %s", err.text);
	ck_assert_int_eq(lock_in_child(dir), 0);
	ck_assert_int_eq(close(fd2), 0);
	/* the directory is there already: fine */
	fd = rta_state_lock(dir, &err);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(close(fd), 0);
	assert_dir(dir, "lock");
}
END_TEST

START_TEST(lock_fails)
{
	struct rta_error err;

	/* the parent is missing: only dir is made */
	rta_error_clear(&err);
	ck_assert_int_eq(rta_state_lock(unit_path("no/state"), &err), -1);
	ck_assert_int_eq(err.code, RTA_EIO);
	ck_assert_ptr_nonnull(err.reason);
	ck_assert_str_ne(err.reason, "state-busy");
	ck_assert(!file_exists(unit_path("no")));
	/* dir is a file */
	unit_write_str("file", "x");
	rta_error_clear(&err);
	ck_assert_int_eq(rta_state_lock(unit_path("file"), &err), -1);
	ck_assert_int_eq(err.code, RTA_EIO);
	ck_assert_str_ne(err.reason, "state-busy");
}
END_TEST

START_TEST(replace)
{
	static const char first[] = "first\0checkpoint\n\xff";
	static const char second[] = "2nd";
	struct rta_error err;
	struct rta_buf b = RTA_BUF_INIT;
	struct stat st1, st2;
	char dir[UNIT_PATH_MAX], old[8];
	int fd;

	snprintf(dir, sizeof(dir), "%s", unit_path("."));
	ck_assert_int_eq(rta_state_replace(dir, "checkpoint", first,
	    sizeof(first) - 1, &err), RTA_OK);
	unit_read(unit_path("checkpoint"), &b);
	ck_assert_uint_eq(b.len, sizeof(first) - 1);
	ck_assert_mem_eq(b.data, first, sizeof(first) - 1);
	assert_dir(dir, "checkpoint");
	ck_assert_int_eq(stat(unit_path("checkpoint"), &st1), 0);
	/* a reader of the old file keeps the old file whole */
	fd = open(unit_path("checkpoint"), O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(rta_state_replace(dir, "checkpoint", second,
	    sizeof(second) - 1, &err), RTA_OK);
	ck_assert_int_eq(read(fd, old, sizeof(old)), (ssize_t)sizeof(old));
	ck_assert_mem_eq(old, first, sizeof(old));
	ck_assert_int_eq(close(fd), 0);
	ck_assert_int_eq(stat(unit_path("checkpoint"), &st2), 0);
	ck_assert_msg(st1.st_ino != st2.st_ino, "the file was written in "
	    "place, not replaced");
	unit_read(unit_path("checkpoint"), &b);
	ck_assert_uint_eq(b.len, sizeof(second) - 1);
	ck_assert_mem_eq(b.data, second, sizeof(second) - 1);
	assert_dir(dir, "checkpoint");
	/* empty */
	ck_assert_int_eq(rta_state_replace(dir, "checkpoint", "", 0, &err),
	    RTA_OK);
	unit_read(unit_path("checkpoint"), &b);
	ck_assert_uint_eq(b.len, 0);
	/* a temporary file a crash left behind */
	unit_write_str("other.tmp", "a torn write from before the crash");
	ck_assert_int_eq(rta_state_replace(dir, "other", second,
	    sizeof(second) - 1, &err), RTA_OK);
	unit_read(unit_path("other"), &b);
	ck_assert_uint_eq(b.len, sizeof(second) - 1);
	ck_assert_mem_eq(b.data, second, sizeof(second) - 1);
	assert_dir(dir, "checkpoint other");
	rta_buf_release(&b);
}
END_TEST

START_TEST(replace_fails)
{
	struct rta_error err;
	char dir[UNIT_PATH_MAX];

	/* no such directory */
	rta_error_clear(&err);
	ck_assert_int_eq(rta_state_replace(unit_path("none"), "checkpoint",
	    "x", 1, &err), RTA_EIO);
	ck_assert_int_eq(err.code, RTA_EIO);
	ck_assert_ptr_nonnull(err.reason);
	ck_assert(!file_exists(unit_path("none")));
	/* the name is a directory: nothing replaced, nothing left */
	snprintf(dir, sizeof(dir), "%s", unit_path("."));
	ck_assert_int_eq(mkdir(unit_path("checkpoint"), 0755), 0);
	unit_write_str("checkpoint/keep", "k");
	rta_error_clear(&err);
	ck_assert_int_eq(rta_state_replace(dir, "checkpoint", "x", 1, &err),
	    RTA_EIO);
	ck_assert_int_eq(err.code, RTA_EIO);
	assert_dir(dir, "checkpoint");
	assert_dir(unit_path("checkpoint"), "keep");
}
END_TEST

START_TEST(read_file)
{
	struct rta_error err;
	struct rta_buf b = RTA_BUF_INIT;
	char dir[UNIT_PATH_MAX];
	unsigned char big[70000];
	size_t i;
	uint32_t x = 12345;

	snprintf(dir, sizeof(dir), "%s", unit_path("."));
	ck_assert_int_eq(rta_state_read(dir, "checkpoint", 100, &b, &err),
	    RTA_EOF);
	ck_assert_int_eq(rta_state_read(unit_path("none"), "checkpoint", 100,
	    &b, &err), RTA_EOF);
	for (i = 0; i < sizeof(big); i++) {
		x = x * 1103515245 + 12345;
		big[i] = (unsigned char)(x >> 16);
	}
	unit_write("checkpoint", big, sizeof(big));
	/* max is the largest size taken */
	ck_assert_int_eq(rta_state_read(dir, "checkpoint", sizeof(big), &b,
	    &err), RTA_OK);
	ck_assert_uint_eq(b.len, sizeof(big));
	ck_assert_mem_eq(b.data, big, sizeof(big));
	rta_buf_release(&b);
	rta_error_clear(&err);
	ck_assert_int_eq(rta_state_read(dir, "checkpoint", sizeof(big) - 1,
	    &b, &err), RTA_EDATA);
	ck_assert_int_eq(err.code, RTA_EDATA);
	rta_buf_release(&b);
	/* empty, and with NUL bytes */
	unit_write("empty", "", 0);
	ck_assert_int_eq(rta_state_read(dir, "empty", 0, &b, &err), RTA_OK);
	ck_assert_uint_eq(b.len, 0);
	rta_buf_release(&b);
	unit_write("nul", "a\0b\0", 4);
	ck_assert_int_eq(rta_state_read(dir, "nul", 4, &b, &err), RTA_OK);
	ck_assert_uint_eq(b.len, 4);
	ck_assert_mem_eq(b.data, "a\0b\0", 4);
	rta_buf_release(&b);
	/* a directory is no state file */
	ck_assert_int_eq(mkdir(unit_path("sub"), 0755), 0);
	rta_error_clear(&err);
	ck_assert_int_eq(rta_state_read(dir, "sub", 100, &b, &err), RTA_EIO);
	ck_assert_int_eq(err.code, RTA_EIO);
	rta_buf_release(&b);
	/* what replace writes, read reads */
	ck_assert_int_eq(rta_state_replace(dir, "again", big + 1,
	    sizeof(big) - 1, &err), RTA_OK);
	ck_assert_int_eq(rta_state_read(dir, "again", SIZE_MAX, &b, &err),
	    RTA_OK);
	ck_assert_uint_eq(b.len, sizeof(big) - 1);
	ck_assert_mem_eq(b.data, big + 1, sizeof(big) - 1);
	rta_buf_release(&b);
}
END_TEST

static Suite *
state_suite(void)
{
	Suite *s = suite_create("rta_state");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, get_sources);
	tcase_add_test(tc, done_forward);
	tcase_add_test(tc, where);
	tcase_add_test(tc, track_inputs);
	tcase_add_test(tc, track_forward);
	tcase_add_test(tc, kafka_messages);
	tcase_add_test(tc, kafka_position_ends);
	tcase_add_test(tc, kafka_forward);
	tcase_add_test(tc, kafka_new_input);
	tcase_add_test(tc, untracked_input);
	tcase_add_test(tc, same_name_again);
	suite_add_tcase(s, tc);
	/* The table at RTA_SOURCES_MAX: about a minute for each full table
	 * under the sanitizers. */
	tc = tcase_create("limits");
	tcase_add_test(tc, get_limits);
	tcase_add_test(tc, decode_count);
	tcase_set_timeout(tc, 300);
	suite_add_tcase(s, tc);
	tc = tcase_create("encoding");
	tcase_add_test(tc, encode_layout);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, decode_truncated);
	tcase_add_test(tc, decode_bad_fields);
	tcase_add_test(tc, decode_duplicates);
	tcase_add_test(tc, decode_file_partition);
	tcase_add_test(tc, decode_count_no_alloc);
	tcase_add_test(tc, decode_alloc_failures);
	tcase_add_test(tc, build_alloc_failures);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	tc = tcase_create("resume");
	tcase_add_test(tc, resume_files);
	tcase_add_test(tc, resume_kafka);
	suite_add_tcase(s, tc);
	tc = tcase_create("offsets");
	tcase_add_test(tc, offsets_exact);
	tcase_add_test(tc, offsets_json_names);
	tcase_add_test(tc, offsets_kcat_names);
	tcase_add_test(tc, interval);
	tcase_add_test(tc, cadence);
	suite_add_tcase(s, tc);
	tc = tcase_create("files");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, lock);
	tcase_add_test(tc, lock_fails);
	tcase_add_test(tc, replace);
	tcase_add_test(tc, replace_fails);
	tcase_add_test(tc, read_file);
	tcase_set_timeout(tc, 60);	/* fsync on a loaded machine */
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(state_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
