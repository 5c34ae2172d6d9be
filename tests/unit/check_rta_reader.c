/*
 * check_rta_reader.c: records from files of every kind the reader takes.
 *
 * Each test writes its inputs into a fresh temporary directory: NDJSON,
 * rta frames (encoded here from NDJSON with the library's own codecs),
 * concatenations of both, compressed files and archives (written with
 * libarchive), kcat -J envelopes, CSV and plain JSON documents (checked
 * against jansson).  Every record, good or bad, is collected with its
 * position and raw bytes, and most assertions compare a one-line summary
 * such as "e1 e2 !too-long e3".
 */
#define _GNU_SOURCE		/* memmem */
#include <archive.h>
#include <archive_entry.h>
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zstd.h>

#include "rta_event.h"
#include "rta_frame.h"
#include "rta_hash.h"
#include "rta_reader.h"
#include "rta_value.h"
#include "unit.h"

#define MAXITEMS	256

/* One result of rta_reader_next. */
struct item {
	int		 rc;
	char		 what[80];	/* id, "!reason", "pos:..." */
	char		 text[160];
	char		 source[160];
	uint64_t	 line;
	uint64_t	 offset;
	int		 has_kafka;
	char		 ktopic[32];
	int32_t		 kpart;
	int64_t		 koff;
	unsigned char	*raw;
	size_t		 raw_len;
	uint64_t	 raw_total;
};

static struct item items[MAXITEMS];
static int nitems;
static char summary[4096];

static void
setup(void)
{
	unit_tmp_setup();
	nitems = 0;
	summary[0] = '\0';
}

static void
clear_items(void)
{
	int i;

	for (i = 0; i < nitems; i++)
		free(items[i].raw);
	nitems = 0;
	summary[0] = '\0';
}

static void
teardown(void)
{
	clear_items();
	unit_tmp_teardown();
}

/* An NDJSON event line with id e<n> (and its newline). */
static void
ev_line(struct rta_buf *b, int n)
{
	ck_assert_int_eq(rta_buf_printf(b, "{\"event_id\":\"e%d\",\"timestamp\":"
	    "\"2026-01-01T00:00:%02dZ\",\"event_type\":\"t\",\"tenant_id\":"
	    "\"acme\",\"payload\":{\"n\":%d}}\n", n, n % 60, n), 0);
}

/* A short event line (66 bytes with its newline) with id s<n>. */
static void
short_line(struct rta_buf *b, int n)
{
	ck_assert_int_eq(rta_buf_printf(b, "{\"event_id\":\"s%02d\","
	    "\"timestamp\":0,\"event_type\":\"t\",\"tenant_id\":\"a\"}\n",
	    n % 100), 0);
}

/* Encode NDJSON lines as rta frames (with a stream header, an end
 * frame if end). */
static void
frames_of(struct rta_buf *out, const struct rta_buf *lines, int end)
{
	struct rta_ndjson_parser np;
	struct rta_record rec;
	struct rta_error err;
	size_t i = 0;

	rta_ndjson_parser_init(&np);
	ck_assert_int_eq(rta_frame_put_header(out), 0);
	while (i < lines->len) {
		const unsigned char *l = lines->data + i;
		const unsigned char *nl = memchr(l, '\n', lines->len - i);
		size_t n = (size_t)(nl - l);

		memset(&rec, 0, sizeof(rec));
		ck_assert_int_eq(rta_ndjson_parse(&np, l, n, &rec, &err),
		    RTA_OK);
		ck_assert_int_eq(rta_frame_put(out, &rec), 0);
		i += n + 1;
	}
	if (end) {
		memset(&rec, 0, sizeof(rec));
		rec.kind = RTA_REC_END;
		ck_assert_int_eq(rta_frame_put(out, &rec), 0);
	}
	rta_ndjson_parser_release(&np);
}

static void
events(struct rta_buf *b, int from, int to)
{
	int i;

	for (i = from; i <= to; i++)
		ev_line(b, i);
}

static void
add_item(struct rta_reader *r, int rc, const struct rta_record *rec,
    const struct rta_error *err)
{
	const struct rta_where *w = rta_reader_where(r);
	struct item *it;
	const unsigned char *p;
	size_t len, sl = strlen(summary);

	ck_assert_int_lt(nitems, MAXITEMS);
	it = &items[nitems++];
	memset(it, 0, sizeof(*it));
	it->rc = rc;
	if (rc == RTA_OK) {
		switch (rec->kind) {
		case RTA_REC_EVENT:
			snprintf(it->what, sizeof(it->what), "%.*s",
			    (int)rec->ev.id_len, rec->ev.id);
			break;
		case RTA_REC_AGGREGATE:
			snprintf(it->what, sizeof(it->what), "agg:%.*s",
			    (int)rec->ev.id_len, rec->ev.id);
			break;
		case RTA_REC_POSITION:
			snprintf(it->what, sizeof(it->what), "pos:%.*s/%d/%lld",
			    (int)rec->pos.topic_len, rec->pos.topic,
			    (int)rec->pos.partition,
			    (long long)rec->pos.offset);
			break;
		case RTA_REC_WATERMARK:
			snprintf(it->what, sizeof(it->what), "wm");
			break;
		case RTA_REC_END:
			snprintf(it->what, sizeof(it->what), "end");
			break;
		case RTA_REC_VALUE: {
			struct rta_buf j = RTA_BUF_INIT;

			ck_assert_int_eq(rta_value_to_json(&j, rec->value), 0);
			snprintf(it->what, sizeof(it->what), "%.*s",
			    (int)j.len, j.data);
			rta_buf_release(&j);
			break;
		}
		}
	} else
		snprintf(it->what, sizeof(it->what), "!%s",
		    err->reason ? err->reason : "?");
	snprintf(it->text, sizeof(it->text), "%s", err->text);
	snprintf(it->source, sizeof(it->source), "%s",
	    w->source ? w->source : "(null)");
	it->line = w->line;
	it->offset = w->offset;
	it->has_kafka = w->has_kafka;
	if (w->has_kafka) {
		snprintf(it->ktopic, sizeof(it->ktopic), "%.*s",
		    (int)w->kafka.topic_len, w->kafka.topic);
		it->kpart = w->kafka.partition;
		it->koff = w->kafka.offset;
	}
	rta_reader_raw(r, &p, &len, &it->raw_total);
	it->raw_len = len;
	/* copy no more than is claimed to exist */
	if (len > it->raw_total)
		len = (size_t)it->raw_total;
	it->raw = malloc(len + 1);
	ck_assert_ptr_nonnull(it->raw);
	if (len > 0)
		memcpy(it->raw, p, len);
	snprintf(summary + sl, sizeof(summary) - sl, "%s%s", sl ? " " : "",
	    it->what);
}

/* Read the operands to the end; the results are in items[]. */
static void
read_all_opts(const struct rta_reader_opts *o, const char *const *names,
    int n)
{
	struct rta_reader *r = rta_reader_new(o);
	struct rta_record rec;
	struct rta_error err;
	int i, rc;

	ck_assert_ptr_nonnull(r);
	for (i = 0; i < n; i++) {
		rta_error_clear(&err);
		ck_assert_msg(rta_reader_open(r, unit_path(names[i]), &err) ==
		    RTA_OK, "open %s: %s", names[i], err.text);
		ck_assert(rta_reader_is_open(r));
		for (;;) {
			memset(&rec, 0, sizeof(rec));
			rc = rta_reader_next(r, &rec, &err);
			if (rc == RTA_EOF)
				break;
			add_item(r, rc, &rec, &err);
			if (rc != RTA_OK && rc != RTA_EDATA &&
			    rc != RTA_ELIMIT)
				break;
		}
		ck_assert(!rta_reader_is_open(r));
	}
	rta_reader_free(r);
}

static void
read_one(const char *name, enum rta_format f)
{
	struct rta_reader_opts o;

	rta_reader_opts_init(&o);
	o.format = f;
	read_all_opts(&o, &name, 1);
}

/*
 * The summary is want, or want and then a "!no-end" for a binary stream
 * that stopped without its end frame: damage at the end may be reported
 * once as what it is, and once as the missing end.
 */
static void
summary_is_cut(const char *want)
{
	char alt[4200];

	snprintf(alt, sizeof(alt), "%s !no-end", want);
	ck_assert_msg(strcmp(summary, want) == 0 || strcmp(summary, alt) == 0,
	    "summary '%s', want '%s'", summary, want);
	if (strcmp(summary, alt) == 0) {
		ck_assert_int_eq(items[nitems - 1].rc, RTA_EDATA);
		ck_assert_uint_eq(items[nitems - 1].raw_len, 0);
	}
}

/* The raw bytes of item i equal s (and are all there is). */
static void
assert_raw(int i, const void *s, size_t len)
{
	ck_assert_uint_eq(items[i].raw_len, len);
	ck_assert_uint_eq(items[i].raw_total, len);
	ck_assert_msg(memcmp(items[i].raw, s, len) == 0, "item %d: raw bytes "
	    "differ", i);
}

/* ---- NDJSON ------------------------------------------------------------ */

START_TEST(ndjson_basic)
{
	struct rta_buf b = RTA_BUF_INIT;
	size_t off1;
	int i;

	events(&b, 1, 3);
	unit_write("a.ndjson", b.data, b.len);
	read_one("a.ndjson", RTA_FMT_AUTO);
	ck_assert_str_eq(summary, "e1 e2 e3");
	off1 = (size_t)((unsigned char *)memchr(b.data, '\n', b.len) -
	    b.data) + 1;
	for (i = 0; i < 3; i++) {
		ck_assert_str_eq(items[i].source, unit_path("a.ndjson"));
		ck_assert_uint_eq(items[i].line, (uint64_t)i + 1);
		ck_assert(!items[i].has_kafka);
	}
	ck_assert_uint_eq(items[0].offset, 0);
	ck_assert_uint_eq(items[1].offset, off1);
	assert_raw(0, b.data, off1 - 1);
	rta_buf_release(&b);
}
END_TEST

START_TEST(ndjson_bad_lines)
{
	static const char text[] =
	    "{\"event_id\":\"e1\",\"timestamp\":\"2026-01-01T00:00:00Z\","
	    "\"event_type\":\"t\",\"tenant_id\":\"a\"}\n"
	    "not json\n"
	    "{\"event_id\":\"e3\",\"timestamp\":\"2026-13-01T00:00:00Z\","
	    "\"event_type\":\"t\",\"tenant_id\":\"a\"}\n"
	    "{\"event_id\":\"e4\",\"timestamp\":\"2026-01-01T00:00:00Z\","
	    "\"event_type\":\"t\",\"tenant_id\":\"a\"}\n";

	unit_write_str("a.ndjson", text);
	read_one("a.ndjson", RTA_FMT_NDJSON);
	ck_assert_str_eq(summary, "e1 !bad-json !bad-timestamp e4");
	ck_assert_int_eq(items[1].rc, RTA_EDATA);
	ck_assert_uint_eq(items[1].line, 2);
	assert_raw(1, "not json", 8);
	ck_assert_uint_eq(items[2].line, 3);
	ck_assert_ptr_nonnull(strstr(items[2].text, "month out of range"));
	ck_assert_uint_eq(items[3].line, 4);
}
END_TEST

START_TEST(bom_crlf_blank_lines)
{
	struct rta_buf b = RTA_BUF_INIT, l = RTA_BUF_INIT;

	rta_buf_adds(&b, "\xef\xbb\xbf");
	ev_line(&l, 1);
	rta_buf_add(&b, l.data, l.len - 1);
	rta_buf_adds(&b, "\r\n\r\n   \n\t\n\n");
	rta_buf_reset(&l);
	ev_line(&l, 2);
	rta_buf_add(&b, l.data, l.len - 1);
	rta_buf_adds(&b, "\r\n");
	unit_write("a.ndjson", b.data, b.len);
	read_one("a.ndjson", RTA_FMT_AUTO);
	ck_assert_str_eq(summary, "e1 e2");
	ck_assert_uint_eq(items[0].line, 1);
	ck_assert_uint_eq(items[0].offset, 3);	/* after the BOM */
	ck_assert_uint_eq(items[1].line, 6);	/* blank lines count */
	/* a BOM is skipped only at the start */
	rta_buf_reset(&b);
	clear_items();
	rta_buf_adds(&b, "\xef\xbb\xbf");
	rta_buf_reset(&l);
	ev_line(&l, 1);
	rta_buf_add(&b, l.data, l.len);
	rta_buf_adds(&b, "\xef\xbb\xbf");
	rta_buf_add(&b, l.data, l.len);
	unit_write("b.ndjson", b.data, b.len);
	read_one("b.ndjson", RTA_FMT_NDJSON);
	ck_assert_str_eq(summary, "e1 !bad-json");
	rta_buf_release(&b);
	rta_buf_release(&l);
}
END_TEST

START_TEST(last_line_without_newline)
{
	struct rta_buf b = RTA_BUF_INIT;

	events(&b, 1, 2);
	b.len--;
	unit_write("a.ndjson", b.data, b.len);
	read_one("a.ndjson", RTA_FMT_AUTO);
	ck_assert_str_eq(summary, "e1 e2");
	ck_assert_uint_eq(items[1].line, 2);
	/* and a file of one unterminated line */
	clear_items();
	rta_buf_reset(&b);
	events(&b, 7, 7);
	unit_write("b.ndjson", b.data, b.len - 1);
	read_one("b.ndjson", RTA_FMT_AUTO);
	ck_assert_str_eq(summary, "e7");
	rta_buf_release(&b);
}
END_TEST

START_TEST(empty_inputs)
{
	unit_write_str("empty", "");
	unit_write_str("blank", "\n\n  \n");
	read_one("empty", RTA_FMT_AUTO);
	read_one("blank", RTA_FMT_AUTO);
	read_one("empty", RTA_FMT_RTA);
	read_one("empty", RTA_FMT_CSV);
	read_one("empty", RTA_FMT_KCAT);
	ck_assert_int_eq(nitems, 0);
}
END_TEST

START_TEST(nul_bytes_survive)
{
	static const char line[] = "{\"event_id\":\"e1\",\"timestamp\":"
	    "\"2026-01-01T00:00:00Z\",\"event_type\":\"t\",\"tenant_id\":\"a\"}"
	    "\n{\"a\":\0}\n";

	unit_write("a.ndjson", line, sizeof(line) - 1);
	read_one("a.ndjson", RTA_FMT_NDJSON);
	ck_assert_str_eq(summary, "e1 !bad-json");
	assert_raw(1, "{\"a\":\0}", 7);
}
END_TEST

/* ---- long lines -------------------------------------------------------- */

START_TEST(long_line_in_buffer)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_reader_opts o;
	const char *name = "a.ndjson";
	size_t start;

	int n = 0;

	/* past the first read (the input's 4 KiB peek) */
	while (b.len < 8192)
		short_line(&b, n++);
	start = b.len;
	rta_buf_addc(&b, '{');
	while (b.len < start + 5000)
		rta_buf_addc(&b, 'x');
	rta_buf_addc(&b, '\n');
	ev_line(&b, 3);
	unit_write(name, b.data, b.len);
	rta_reader_opts_init(&o);
	o.max_line = 1000;
	read_all_opts(&o, &name, 1);
	ck_assert_int_eq(nitems, n + 2);
	ck_assert_str_eq(items[n].what, "!too-long");
	ck_assert_int_eq(items[n].rc, RTA_ELIMIT);
	ck_assert_uint_eq(items[n].line, (uint64_t)n + 1);
	ck_assert_uint_eq(items[n].offset, start);
	ck_assert_uint_eq(items[n].raw_total, 5000);
	ck_assert_uint_le(items[n].raw_len, items[n].raw_total);
	ck_assert_uint_ge(items[n].raw_len, 1000);
	ck_assert_int_eq(memcmp(items[n].raw, b.data + start,
	    items[n].raw_len), 0);
	ck_assert_ptr_nonnull(strstr(items[n].text, "1000"));
	ck_assert_str_eq(items[n + 1].what, "e3");
	ck_assert_uint_eq(items[n + 1].line, (uint64_t)n + 2);
	rta_buf_release(&b);
}
END_TEST

/* A 3 MiB line under the default 1 MiB limit: one record, then on. */
START_TEST(long_line_streamed)
{
	struct rta_buf b = RTA_BUF_INIT;
	size_t start;

	ev_line(&b, 1);
	start = b.len;
	ck_assert_int_eq(rta_buf_reserve(&b, 3u << 20), 0);
	memset(b.data + b.len, 'y', 3u << 20);
	b.len += 3u << 20;
	rta_buf_addc(&b, '\n');
	ev_line(&b, 3);
	ev_line(&b, 4);
	unit_write("a.ndjson", b.data, b.len);
	read_one("a.ndjson", RTA_FMT_AUTO);
	ck_assert_str_eq(summary, "e1 !too-long e3 e4");
	ck_assert_uint_eq(items[1].line, 2);
	ck_assert_uint_eq(items[1].offset, start);
	ck_assert_uint_le(items[1].raw_len, items[1].raw_total);
	ck_assert_uint_le(items[1].raw_len, 64 * 1024);
	/* the length of the whole line, which was never held whole */
	ck_assert_uint_eq(items[1].raw_total, 3u << 20);
	ck_assert_int_eq(memcmp(items[1].raw, b.data + start,
	    items[1].raw_len), 0);
	ck_assert_uint_eq(items[2].line, 3);
	ck_assert_uint_eq(items[3].line, 4);
	rta_buf_release(&b);
}
END_TEST

/*
 * A line cut off by the end of a read with a small max_line: what
 * rta_reader_raw hands out must be bytes of that line, no more than
 * there are.
 */
START_TEST(long_line_raw_bounds)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_reader_opts o;
	const char *name = "a.ndjson";
	size_t start;

	short_line(&b, 1);
	start = b.len;
	while (b.len < start + 20000)
		rta_buf_addc(&b, 'z');
	rta_buf_addc(&b, '\n');
	short_line(&b, 3);
	unit_write(name, b.data, b.len);
	rta_reader_opts_init(&o);
	o.max_line = 100;
	read_all_opts(&o, &name, 1);
	ck_assert_str_eq(summary, "s01 !too-long s03");
	ck_assert_msg(items[1].raw_len <= items[1].raw_total, "raw claims %zu "
	    "bytes out of %llu", items[1].raw_len,
	    (unsigned long long)items[1].raw_total);
	ck_assert_uint_ge(items[1].raw_len, 100);
	ck_assert_int_eq(memcmp(items[1].raw, b.data + start,
	    items[1].raw_len), 0);
	ck_assert_uint_eq(items[1].raw_total, 20000);
	rta_buf_release(&b);
}
END_TEST

/* The same, for a long line that meets the end of the 1 MiB buffer. */
START_TEST(long_line_at_buffer_end)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_reader_opts o;
	const char *name = "a.ndjson";
	const struct item *it;
	size_t start;
	int n = 0;

	/* a good line, then blank ones up to 150 bytes before 1 MiB */
	short_line(&b, n++);
	while (b.len < (1u << 20) - 150 - 100) {
		rta_buf_adds(&b, "                                        "
		    "                                         ");
		rta_buf_addc(&b, '\n');
	}
	while (b.len < (1u << 20) - 151)
		rta_buf_addc(&b, ' ');
	rta_buf_addc(&b, '\n');
	start = b.len;
	while (b.len < start + 300)
		rta_buf_addc(&b, 'w');
	rta_buf_addc(&b, '\n');
	short_line(&b, 7);
	unit_write(name, b.data, b.len);
	rta_reader_opts_init(&o);
	o.max_line = 100;
	read_all_opts(&o, &name, 1);
	ck_assert_int_eq(nitems, n + 2);
	it = &items[n];
	ck_assert_str_eq(it->what, "!too-long");
	ck_assert_uint_eq(it->offset, start);
	ck_assert_msg(it->raw_len <= it->raw_total, "raw claims %zu bytes out "
	    "of %llu", it->raw_len, (unsigned long long)it->raw_total);
	ck_assert_uint_ge(it->raw_len, 100);
	ck_assert_int_eq(memcmp(it->raw, b.data + start, it->raw_len), 0);
	ck_assert_uint_eq(it->raw_total, 300);
	ck_assert_str_eq(items[n + 1].what, "s07");
	rta_buf_release(&b);
}
END_TEST

static long
status_kb(const char *key)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, key, strlen(key)) == 0)
			v = strtol(line + strlen(key), NULL, 10);
	fclose(f);
	ck_assert_int_ge(v, 0);
	return v;
}

/*
 * Write name: short line s01, a long line ('{' then hole NUL bytes, left
 * as a hole in a sparse file), then short line s03.
 */
static void
write_long_line(const char *name, off_t hole)
{
	struct rta_buf b = RTA_BUF_INIT;
	int fd;

	short_line(&b, 1);
	rta_buf_addc(&b, '{');
	unit_write(name, b.data, b.len);
	fd = open(unit_path(name), O_WRONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)b.len + hole), 0);
	ck_assert_int_eq(close(fd), 0);
	rta_buf_reset(&b);
	rta_buf_addc(&b, '\n');
	short_line(&b, 3);
	unit_append(name, b.data, b.len);
	rta_buf_release(&b);
}

/*
 * A 64 MiB line with max_line 100 is skipped as it streams past: the
 * process never holds much more than the initial buffer.  The line is
 * a hole in a sparse file, so this costs no disk.
 */
START_TEST(long_line_memory_bounded)
{
	struct rta_reader_opts o;
	const char *name = "big.ndjson";
	long before, peak;

	write_long_line(name, 64 << 20);
	before = status_kb("VmRSS:");
	rta_reader_opts_init(&o);
	o.max_line = 100;
	read_all_opts(&o, &name, 1);
	peak = status_kb("VmHWM:");
	ck_assert_str_eq(summary, "s01 !too-long s03");
	ck_assert_uint_eq(items[1].raw_total, (64u << 20) + 1);
	ck_assert_uint_eq(items[2].line, 3);
	ck_assert_msg(peak - before < 16 * 1024, "memory grew by %ld KiB for "
	    "a 64 MiB line", peak - before);
}
END_TEST

/*
 * With a larger max_line the buffer may grow, but no further than the
 * longest line it must hold plus one read: max_line + 64 KiB.  (Under
 * AddressSanitizer freed blocks stay resident, so peak memory says
 * nothing there; the plain build checks this.)
 */
START_TEST(long_line_growth_bounded)
{
	const size_t max_line = 5u << 20;
	struct rta_reader_opts o;
	const char *name = "big.ndjson";
	long before, peak;

	write_long_line(name, 40 << 20);
	before = status_kb("VmRSS:");
	rta_reader_opts_init(&o);
	o.max_line = max_line;
	read_all_opts(&o, &name, 1);
	peak = status_kb("VmHWM:");
	ck_assert_str_eq(summary, "s01 !too-long s03");
#if !defined(__SANITIZE_ADDRESS__)
	ck_assert_msg((size_t)(peak - before) * 1024 < max_line + (1u << 20),
	    "%ld KiB for a max_line of %zu KiB", peak - before,
	    max_line / 1024);
#else
	(void)before;
	(void)peak;
#endif
}
END_TEST

/* ---- rta frames -------------------------------------------------------- */

START_TEST(frames_basic)
{
	struct rta_buf l = RTA_BUF_INIT, f = RTA_BUF_INIT;
	size_t first;
	int i;

	events(&l, 1, 3);
	frames_of(&f, &l, 1);
	unit_write("a.rta", f.data, f.len);
	read_one("a.rta", RTA_FMT_AUTO);
	ck_assert_str_eq(summary, "e1 e2 e3 end");
	first = RTA_STREAM_HEADER_LEN;
	ck_assert_uint_eq(items[0].offset, first);
	for (i = 0; i < 4; i++) {
		ck_assert_uint_eq(items[i].line, 0);
		ck_assert_str_eq(items[i].source, unit_path("a.rta"));
	}
	/* raw is the whole frame */
	ck_assert_uint_eq(items[1].offset, first + items[0].raw_len);
	assert_raw(0, f.data + first, items[0].raw_len);
	ck_assert_uint_eq(items[3].raw_len, RTA_FRAME_HEADER_LEN);
	/* the same with the format forced */
	clear_items();
	read_one("a.rta", RTA_FMT_RTA);
	ck_assert_str_eq(summary, "e1 e2 e3 end");
	rta_buf_release(&l);
	rta_buf_release(&f);
}
END_TEST

static void
check_encoding(const char *name, enum rta_format want)
{
	struct rta_reader_opts o;
	struct rta_reader *r;
	struct rta_record rec;
	struct rta_error err;

	rta_reader_opts_init(&o);
	r = rta_reader_new(&o);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(rta_reader_encoding(r), RTA_FMT_AUTO);
	ck_assert_int_eq(rta_reader_open(r, unit_path(name), &err), RTA_OK);
	ck_assert_int_eq(rta_reader_next(r, &rec, &err), RTA_OK);
	ck_assert_int_eq(rta_reader_encoding(r), want);
	rta_reader_free(r);
}

START_TEST(encoding_detected)
{
	struct rta_buf l = RTA_BUF_INIT, f = RTA_BUF_INIT;

	events(&l, 1, 2);
	frames_of(&f, &l, 1);
	unit_write("a.rta", f.data, f.len);
	unit_write("a.ndjson", l.data, l.len);
	check_encoding("a.rta", RTA_FMT_RTA);
	check_encoding("a.ndjson", RTA_FMT_NDJSON);
	rta_buf_release(&l);
	rta_buf_release(&f);
}
END_TEST

START_TEST(concat_rta_then_ndjson)
{
	struct rta_buf l = RTA_BUF_INIT, f = RTA_BUF_INIT;

	events(&l, 1, 2);
	frames_of(&f, &l, 1);
	rta_buf_reset(&l);
	events(&l, 3, 4);
	rta_buf_add(&f, l.data, l.len);
	unit_write("ab", f.data, f.len);
	read_one("ab", RTA_FMT_AUTO);
	ck_assert_str_eq(summary, "e1 e2 end e3 e4");
	/* lines count from the start of the text part */
	ck_assert_uint_eq(items[3].line, 1);
	ck_assert_uint_eq(items[4].line, 2);
	ck_assert_uint_eq(items[3].offset, f.len - l.len);
	rta_buf_release(&l);
	rta_buf_release(&f);
}
END_TEST

START_TEST(concat_ndjson_then_rta)
{
	struct rta_buf l = RTA_BUF_INIT, f = RTA_BUF_INIT, all = RTA_BUF_INIT;

	events(&all, 1, 2);
	events(&l, 3, 4);
	frames_of(&f, &l, 1);
	rta_buf_add(&all, f.data, f.len);
	rta_buf_reset(&l);
	events(&l, 5, 5);
	rta_buf_add(&all, l.data, l.len);
	unit_write("ab", all.data, all.len);
	read_one("ab", RTA_FMT_AUTO);
	ck_assert_str_eq(summary, "e1 e2 e3 e4 end e5");
	ck_assert_uint_eq(items[2].line, 0);
	/* two rta files one after the other: the header recurs */
	rta_buf_reset(&all);
	clear_items();
	rta_buf_add(&all, f.data, f.len);
	rta_buf_add(&all, f.data, f.len);
	unit_write("aa.rta", all.data, all.len);
	read_one("aa.rta", RTA_FMT_AUTO);
	ck_assert_str_eq(summary, "e3 e4 end e3 e4 end");
	rta_buf_release(&l);
	rta_buf_release(&f);
	rta_buf_release(&all);
}
END_TEST

/* Whole frames with no end frame after them: every event is read. */
START_TEST(frames_without_end)
{
	struct rta_buf l = RTA_BUF_INIT, f = RTA_BUF_INIT;

	events(&l, 1, 3);
	frames_of(&f, &l, 0);
	unit_write("a.rta", f.data, f.len);
	read_one("a.rta", RTA_FMT_AUTO);
	summary_is_cut("e1 e2 e3");
	rta_buf_release(&l);
	rta_buf_release(&f);
}
END_TEST

START_TEST(truncated_frames)
{
	struct rta_buf l = RTA_BUF_INIT, f = RTA_BUF_INIT;
	size_t cut;

	events(&l, 1, 2);
	frames_of(&f, &l, 0);
	/* inside the body of the second frame */
	cut = f.len - 10;
	unit_write("body.rta", f.data, cut);
	read_one("body.rta", RTA_FMT_AUTO);
	summary_is_cut("e1 !truncated");
	ck_assert_int_eq(items[1].rc, RTA_EDATA);
	ck_assert_uint_eq(items[1].offset, RTA_STREAM_HEADER_LEN +
	    items[0].raw_len);
	/* the bytes there are (the length in the header is not trusted) */
	ck_assert_uint_eq(items[1].raw_len, cut - items[1].offset);
	ck_assert_uint_ge(items[1].raw_total, items[1].raw_len);
	ck_assert_int_eq(memcmp(items[1].raw, f.data + items[1].offset,
	    items[1].raw_len), 0);
	rta_buf_release(&l);
	rta_buf_release(&f);
}
END_TEST

START_TEST(truncated_frame_header)
{
	struct rta_buf l = RTA_BUF_INIT, f = RTA_BUF_INIT;
	size_t one;

	events(&l, 1, 1);
	frames_of(&f, &l, 0);
	one = f.len;
	events(&l, 2, 2);
	rta_buf_reset(&f);
	frames_of(&f, &l, 0);
	/* the first frame and 7 bytes of the second's header */
	unit_write("a.rta", f.data, one + 7);
	read_one("a.rta", RTA_FMT_AUTO);
	summary_is_cut("e1 !truncated");
	ck_assert_uint_eq(items[1].offset, one);
	assert_raw(1, f.data + one, 7);
	rta_buf_release(&l);
	rta_buf_release(&f);
}
END_TEST

/* 5000 bytes of junk between two frames: one bad record for all of it. */
START_TEST(garbage_between_frames)
{
	struct rta_buf l = RTA_BUF_INIT, f = RTA_BUF_INIT, all = RTA_BUF_INIT;
	size_t gstart, i;

	events(&l, 1, 1);
	frames_of(&f, &l, 0);
	rta_buf_add(&all, f.data, f.len);
	gstart = all.len;
	for (i = 0; i < 5000; i++)
		rta_buf_addc(&all, "garbage\n"[i % 8]);
	rta_buf_reset(&l);
	rta_buf_reset(&f);
	events(&l, 2, 2);
	frames_of(&f, &l, 1);
	/* the second frame, without its stream header */
	rta_buf_add(&all, f.data + RTA_STREAM_HEADER_LEN,
	    f.len - RTA_STREAM_HEADER_LEN);
	unit_write("g.rta", all.data, all.len);
	read_one("g.rta", RTA_FMT_AUTO);
	ck_assert_str_eq(summary, "e1 !bad-frame e2 end");
	ck_assert_int_eq(items[1].rc, RTA_EDATA);
	ck_assert_uint_eq(items[1].offset, gstart);
	ck_assert_uint_eq(items[1].line, 0);
	ck_assert_uint_eq(items[1].raw_total, 5000);
	ck_assert_uint_eq(items[1].raw_len, 4096);
	ck_assert_int_eq(memcmp(items[1].raw, all.data + gstart, 4096), 0);
	ck_assert_ptr_nonnull(strstr(items[1].text, "skipped 5000 bytes"));
	ck_assert_uint_eq(items[2].offset, gstart + 5000);
	/* junk at the very end of the stream */
	clear_items();
	all.len = gstart + 100;
	unit_write("h.rta", all.data, all.len);
	read_one("h.rta", RTA_FMT_RTA);
	summary_is_cut("e1 !bad-frame");
	ck_assert_uint_eq(items[1].raw_total, 100);
	assert_raw(1, all.data + gstart, 100);
	rta_buf_release(&l);
	rta_buf_release(&f);
	rta_buf_release(&all);
}
END_TEST

START_TEST(bad_crc)
{
	struct rta_buf l = RTA_BUF_INIT, f = RTA_BUF_INIT;
	size_t second;

	events(&l, 1, 3);
	frames_of(&f, &l, 1);
	/* find the second frame: after the header and the first frame */
	second = RTA_STREAM_HEADER_LEN + RTA_FRAME_HEADER_LEN +
	    rta_get_u32(f.data + RTA_STREAM_HEADER_LEN);
	f.data[second + RTA_FRAME_HEADER_LEN + 25] ^= 0x01;
	unit_write("a.rta", f.data, f.len);
	read_one("a.rta", RTA_FMT_AUTO);
	ck_assert_str_eq(summary, "e1 !bad-crc e3 end");
	ck_assert_uint_eq(items[1].offset, second);
	ck_assert_uint_eq(items[1].raw_len, RTA_FRAME_HEADER_LEN +
	    rta_get_u32(f.data + second));
	rta_buf_release(&l);
	rta_buf_release(&f);
}
END_TEST

/* A frame longer than max_frame is refused from its header alone. */
START_TEST(frame_over_limit)
{
	struct rta_buf l = RTA_BUF_INIT, f = RTA_BUF_INIT;
	struct rta_reader_opts o;
	const char *name = "a.rta";

	events(&l, 1, 2);
	frames_of(&f, &l, 1);
	unit_write(name, f.data, f.len);
	rta_reader_opts_init(&o);
	o.max_frame = 20;
	read_all_opts(&o, &name, 1);
	/* both events are too big: one stretch of bytes, then the end */
	ck_assert_str_eq(summary, "!bad-frame end");
	rta_buf_release(&l);
	rta_buf_release(&f);
}
END_TEST

/* ---- compression and archives ------------------------------------------ */

enum filter { F_GZIP, F_BZIP2, F_XZ, F_ZSTD, F_NONE };

static void
add_filter(struct archive *a, enum filter f)
{
	int rc = ARCHIVE_OK;

	switch (f) {
	case F_GZIP:
		rc = archive_write_add_filter_gzip(a);
		break;
	case F_BZIP2:
		rc = archive_write_add_filter_bzip2(a);
		break;
	case F_XZ:
		rc = archive_write_add_filter_xz(a);
		break;
	case F_ZSTD:
		rc = archive_write_add_filter_zstd(a);
		break;
	case F_NONE:
		break;
	}
	ck_assert_msg(rc == ARCHIVE_OK, "filter %d: %s", f,
	    archive_error_string(a));
}

/* Write an archive (format: "raw", "tar", "zip") of members. */
static void
write_archive(const char *name, const char *format, enum filter f,
    const char *const *members, const struct rta_buf *const *data, int n)
{
	struct archive *a = archive_write_new();
	int i;

	ck_assert_ptr_nonnull(a);
	add_filter(a, f);
	if (strcmp(format, "raw") == 0)
		ck_assert_int_eq(archive_write_set_format_raw(a), ARCHIVE_OK);
	else if (strcmp(format, "tar") == 0)
		ck_assert_int_eq(archive_write_set_format_pax_restricted(a),
		    ARCHIVE_OK);
	else
		ck_assert_int_eq(archive_write_set_format_zip(a), ARCHIVE_OK);
	ck_assert_int_eq(archive_write_open_filename(a, unit_path(name)),
	    ARCHIVE_OK);
	for (i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();

		archive_entry_set_pathname(e, members[i]);
		if (data[i] == NULL) {
			archive_entry_set_filetype(e, AE_IFDIR);
			archive_entry_set_perm(e, 0755);
			archive_entry_set_size(e, 0);
		} else {
			archive_entry_set_filetype(e, AE_IFREG);
			archive_entry_set_perm(e, 0644);
			archive_entry_set_size(e, (la_int64_t)data[i]->len);
		}
		archive_entry_set_mtime(e, 1767225600, 0);
		ck_assert_msg(archive_write_header(a, e) == ARCHIVE_OK,
		    "%s", archive_error_string(a));
		if (data[i] != NULL && data[i]->len > 0)
			ck_assert_int_eq(archive_write_data(a, data[i]->data,
			    data[i]->len), (la_ssize_t)data[i]->len);
		archive_entry_free(e);
	}
	ck_assert_int_eq(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
}

START_TEST(compressed)
{
	static const char *const names[] = { "a.ndjson.gz", "a.ndjson.bz2",
	    "a.ndjson.xz", "a.ndjson.zst" };
	static const char *const member[] = { "data" };
	struct rta_buf l = RTA_BUF_INIT, f = RTA_BUF_INIT;
	const struct rta_buf *d[1];
	char rname[64];

	events(&l, 1, 3);
	l.len--;		/* no final newline, even compressed */
	d[0] = &l;
	write_archive(names[_i], "raw", (enum filter)_i, member, d, 1);
	read_one(names[_i], RTA_FMT_AUTO);
	ck_assert_str_eq(summary, "e1 e2 e3");
	ck_assert_str_eq(items[0].source, unit_path(names[_i]));
	ck_assert_uint_eq(items[2].line, 3);
	/* rta frames compressed the same way */
	clear_items();
	l.len++;
	frames_of(&f, &l, 1);
	d[0] = &f;
	snprintf(rname, sizeof(rname), "f-%s", names[_i]);
	write_archive(rname, "raw", (enum filter)_i, member, d, 1);
	read_one(rname, RTA_FMT_AUTO);
	ck_assert_str_eq(summary, "e1 e2 e3 end");
	rta_buf_release(&l);
	rta_buf_release(&f);
}
END_TEST

/* zstd written by the zstd library itself, with two frames in a row. */
START_TEST(zstd_frames_concatenated)
{
	struct rta_buf l = RTA_BUF_INIT, z = RTA_BUF_INIT;
	size_t n, half;

	events(&l, 1, 4);
	half = (size_t)((unsigned char *)memchr(l.data + l.len / 2, '\n',
	    l.len / 2) - l.data) + 1;
	ck_assert_int_eq(rta_buf_reserve(&z, 2 * ZSTD_compressBound(l.len)),
	    0);
	n = ZSTD_compress(z.data, z.cap, l.data, half, 3);
	ck_assert(!ZSTD_isError(n));
	z.len = n;
	n = ZSTD_compress(z.data + z.len, z.cap - z.len, l.data + half,
	    l.len - half, 3);
	ck_assert(!ZSTD_isError(n));
	z.len += n;
	unit_write("a.zst", z.data, z.len);
	read_one("a.zst", RTA_FMT_AUTO);
	ck_assert_str_eq(summary, "e1 e2 e3 e4");
	rta_buf_release(&l);
	rta_buf_release(&z);
}
END_TEST

static void
archive_members(const char *name, const char *format, enum filter f)
{
	static const char *const members[] = { "dir/", "a.ndjson",
	    "dir/b.ndjson", "empty.ndjson" };
	struct rta_buf a = RTA_BUF_INIT, b = RTA_BUF_INIT, e = RTA_BUF_INIT;
	const struct rta_buf *d[4];
	char want[512];

	events(&a, 1, 2);
	events(&b, 3, 3);
	rta_buf_adds(&b, "broken\n");
	d[0] = NULL;
	d[1] = &a;
	d[2] = &b;
	d[3] = &e;
	write_archive(name, format, f, members, d, 4);
	read_one(name, RTA_FMT_AUTO);
	ck_assert_str_eq(summary, "e1 e2 e3 !bad-json");
	snprintf(want, sizeof(want), "%s(a.ndjson)", unit_path(name));
	ck_assert_str_eq(items[0].source, want);
	ck_assert_str_eq(items[1].source, want);
	ck_assert_uint_eq(items[1].line, 2);
	snprintf(want, sizeof(want), "%s(dir/b.ndjson)", unit_path(name));
	ck_assert_str_eq(items[2].source, want);
	/* lines and offsets restart in each member */
	ck_assert_uint_eq(items[2].line, 1);
	ck_assert_uint_eq(items[2].offset, 0);
	ck_assert_str_eq(items[3].source, want);
	ck_assert_uint_eq(items[3].line, 2);
	ck_assert_uint_eq(items[3].offset, b.len - 7);
	assert_raw(3, "broken", 6);
	rta_buf_release(&a);
	rta_buf_release(&b);
}

START_TEST(tar_members)
{
	archive_members("x.tar", "tar", F_NONE);
}
END_TEST

START_TEST(tar_gz_members)
{
	archive_members("x.tar.gz", "tar", F_GZIP);
}
END_TEST

START_TEST(zip_members)
{
	archive_members("x.zip", "zip", F_NONE);
}
END_TEST

/* A member that is rta frames, next to one that is NDJSON. */
START_TEST(tar_mixed_encodings)
{
	static const char *const members[] = { "a.rta", "b.ndjson" };
	struct rta_buf l = RTA_BUF_INIT, f = RTA_BUF_INIT, b = RTA_BUF_INIT;
	const struct rta_buf *d[2];

	events(&l, 1, 2);
	frames_of(&f, &l, 1);
	events(&b, 3, 3);
	d[0] = &f;
	d[1] = &b;
	write_archive("m.tar", "tar", F_NONE, members, d, 2);
	read_one("m.tar", RTA_FMT_AUTO);
	ck_assert_str_eq(summary, "e1 e2 end e3");
	ck_assert_uint_eq(items[3].line, 1);
	rta_buf_release(&l);
	rta_buf_release(&f);
	rta_buf_release(&b);
}
END_TEST

/* ---- kcat -J ----------------------------------------------------------- */

START_TEST(kcat_envelopes)
{
	static const char text[] =
	    "{\"topic\":\"events\",\"partition\":3,\"offset\":42,\"tstype\":"
	    "\"create\",\"ts\":1767225600000,\"broker\":1,\"key\":null,"
	    "\"payload\":\"{\\\"event_id\\\":\\\"k1\\\",\\\"timestamp\\\":"
	    "\\\"2026-01-01T00:00:00Z\\\",\\\"event_type\\\":\\\"t\\\","
	    "\\\"tenant_id\\\":\\\"a\\\"}\"}\n"
	    "{\"topic\":\"events\",\"partition\":3,\"offset\":43,\"key\":\"k\","
	    "\"payload\":null}\n"
	    "{\"topic\":\"events\",\"partition\":0,\"offset\":7,"
	    "\"payload\":\"not json\"}\n"
	    "{\"topic\":\"events\",\"offset\":44,\"payload\":\"{}\"}\n"
	    "{\"topic\":\"events\",\"partition\":-1,\"offset\":44,"
	    "\"payload\":\"{}\"}\n"
	    "{\"topic\":\"events\",\"partition\":1,\"offset\":44,"
	    "\"payload\":{}}\n"
	    "{\"topic\":\"\",\"partition\":1,\"offset\":44,\"payload\":\"{}\"}\n"
	    "[1,2]\n"
	    "garbage\n"
	    "{\"topic\":\"other\",\"partition\":2147483647,\"offset\":"
	    "9007199254740993,\"payload\":\"{\\\"event_id\\\":\\\"k2\\\","
	    "\\\"timestamp\\\":1767225600,\\\"event_type\\\":\\\"t\\\","
	    "\\\"tenant_id\\\":\\\"a\\\"}\"}\n";

	unit_write_str("k.json", text);
	read_one("k.json", RTA_FMT_KCAT);
	ck_assert_str_eq(summary, "pos:events/3/42 k1 pos:events/3/43 "
	    "!no-payload pos:events/0/7 !bad-json !bad-kcat !bad-kcat "
	    "!bad-kcat !bad-kcat !bad-kcat !bad-json "
	    "pos:other/2147483647/9007199254740993 k2");
	/* the event carries the position of its message */
	ck_assert(items[1].has_kafka);
	ck_assert_str_eq(items[1].ktopic, "events");
	ck_assert_int_eq(items[1].kpart, 3);
	ck_assert_int_eq(items[1].koff, 42);
	ck_assert_uint_eq(items[1].line, 1);
	/* a tombstone */
	ck_assert_int_eq(items[3].rc, RTA_EDATA);
	ck_assert(items[3].has_kafka);
	ck_assert_int_eq(items[3].koff, 43);
	ck_assert_uint_eq(items[3].line, 2);
	/* a bad payload: its raw bytes are the payload */
	ck_assert_int_eq(items[5].koff, 7);
	ck_assert_uint_eq(items[5].line, 3);
	assert_raw(5, "not json", 8);
	/* a bad envelope: the raw bytes are the line */
	ck_assert_uint_eq(items[6].line, 4);
	ck_assert(!items[6].has_kafka);
	ck_assert_int_eq(memcmp(items[6].raw, "{\"topic\":\"events\",\"offset\"",
	    25), 0);
	ck_assert_uint_eq(items[11].line, 9);
	ck_assert(items[13].has_kafka);
	ck_assert_int_eq(items[13].koff, 9007199254740993LL);
}
END_TEST

/* ---- CSV --------------------------------------------------------------- */

START_TEST(csv_through_reader)
{
	static const char text[] =
	    "event_id,timestamp,event_type,tenant_id,msg\n"	/* 1 */
	    "c1,2026-01-01T00:00:00Z,t,a,\"one\n"		/* 2 */
	    "two\n"						/* 3 */
	    "three\"\n"						/* 4 */
	    "c2,2026-01-01T00:00:01Z,t,a,plain\n"		/* 5 */
	    "\n"						/* 6 */
	    "c3,2026-13-01T00:00:00Z,t,a,\"bad\n"		/* 7 */
	    "time\"\n"						/* 8 */
	    "c4,2026-01-01T00:00:01Z,t,a,x,y\n"			/* 9 */
	    "c5,2026-01-01T00:00:01Z,t,a,bad\"quote\n"		/* 10 */
	    "c6,2026-01-01T00:00:02Z,t,a,\"last\n"		/* 11 */
	    "line\"";						/* 12 */

	unit_write_str("a.csv", text);
	read_one("a.csv", RTA_FMT_CSV);
	ck_assert_str_eq(summary, "c1 c2 !bad-timestamp !bad-csv !bad-csv c6");
	ck_assert_uint_eq(items[0].line, 2);
	ck_assert_uint_eq(items[1].line, 5);
	ck_assert_uint_eq(items[2].line, 7);
	assert_raw(2, "c3,2026-13-01T00:00:00Z,t,a,\"bad\ntime\"\n", 39);
	ck_assert_uint_eq(items[3].line, 9);
	ck_assert_ptr_nonnull(strstr(items[3].text, "6 fields"));
	ck_assert_uint_eq(items[4].line, 10);
	ck_assert_uint_eq(items[5].line, 11);
	ck_assert_str_eq(items[5].source, unit_path("a.csv"));
}
END_TEST

START_TEST(csv_bad_header)
{
	unit_write_str("a.csv", "timestamp,event_type,event_type\n"
	    "2026-01-01T00:00:00Z,t,t\n");
	read_one("a.csv", RTA_FMT_CSV);
	ck_assert_str_eq(summary, "!bad-csv");
	ck_assert_uint_eq(items[0].line, 1);
	ck_assert_ptr_nonnull(strstr(items[0].text, "duplicate"));
}
END_TEST

/* A quoted field that never ends cannot make the reader grow. */
START_TEST(csv_runaway_quote)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_reader_opts o;
	const char *name = "a.csv";
	int i;

	rta_buf_adds(&b, "timestamp,event_type,tenant_id,x\n"
	    "2026-01-01T00:00:00Z,t,a,\"open\n");
	for (i = 0; i < 40; i++)
		rta_buf_adds(&b, "more text inside the quotes\n");
	unit_write(name, b.data, b.len);
	rta_reader_opts_init(&o);
	o.format = RTA_FMT_CSV;
	o.max_line = 1000;
	read_all_opts(&o, &name, 1);
	ck_assert_int_ge(nitems, 1);
	ck_assert_str_eq(items[0].what, "!too-long");
	ck_assert_int_eq(items[0].rc, RTA_ELIMIT);
	ck_assert_uint_eq(items[0].line, 2);
	/* what follows is read afresh, as rows of their own */
	for (i = 1; i < nitems; i++)
		ck_assert_str_eq(items[i].what, "!bad-csv");
	rta_buf_release(&b);
}
END_TEST

/* ---- operands, formats, progress --------------------------------------- */

START_TEST(open_errors)
{
	struct rta_reader_opts o;
	struct rta_reader *r;
	struct rta_record rec;
	struct rta_error err;
	char want[400];

	rta_reader_opts_init(&o);
	r = rta_reader_new(&o);
	ck_assert_ptr_nonnull(r);
	rta_error_clear(&err);
	ck_assert_int_eq(rta_reader_open(r, unit_path("nosuch.ndjson"), &err),
	    RTA_EIO);
	snprintf(want, sizeof(want), "%s: No such file or directory",
	    unit_path("nosuch.ndjson"));
	ck_assert_str_eq(err.text, want);
	ck_assert(!rta_reader_is_open(r));
	ck_assert_int_eq(rta_reader_next(r, &rec, &err), RTA_EOF);
	rta_error_clear(&err);
	ck_assert_int_eq(rta_reader_open(r, unit_path("."), &err), RTA_EIO);
	ck_assert_ptr_nonnull(strstr(err.text, "Is a directory"));
	ck_assert(!rta_reader_is_open(r));
	/* the reader is still usable */
	unit_write_str("ok.ndjson", "");
	ck_assert_int_eq(rta_reader_open(r, unit_path("ok.ndjson"), &err),
	    RTA_OK);
	ck_assert_int_eq(rta_reader_next(r, &rec, &err), RTA_EOF);
	rta_reader_free(r);
	rta_reader_free(NULL);
}
END_TEST

START_TEST(several_operands)
{
	static const char *const names[] = { "a.ndjson", "b.ndjson" };
	struct rta_buf l = RTA_BUF_INIT;
	struct rta_reader_opts o;

	events(&l, 1, 2);
	unit_write("a.ndjson", l.data, l.len);
	rta_buf_reset(&l);
	events(&l, 3, 3);
	unit_write("b.ndjson", l.data, l.len);
	rta_reader_opts_init(&o);
	read_all_opts(&o, names, 2);
	ck_assert_str_eq(summary, "e1 e2 e3");
	ck_assert_str_eq(items[2].source, unit_path("b.ndjson"));
	ck_assert_uint_eq(items[2].line, 1);
	rta_buf_release(&l);
}
END_TEST

START_TEST(progress)
{
	struct rta_buf l = RTA_BUF_INIT;
	struct rta_reader_opts o;
	struct rta_reader *r;
	struct rta_record rec;
	struct rta_error err;
	off_t done, total;

	events(&l, 1, 2);
	unit_write("a.ndjson", l.data, l.len);
	rta_reader_opts_init(&o);
	r = rta_reader_new(&o);
	rta_reader_progress(r, &done, &total);
	ck_assert_int_eq(done, 0);
	ck_assert_int_eq(total, -1);
	ck_assert_int_eq(rta_reader_open(r, unit_path("a.ndjson"), &err),
	    RTA_OK);
	ck_assert_int_eq(rta_reader_next(r, &rec, &err), RTA_OK);
	rta_reader_progress(r, &done, &total);
	ck_assert_int_eq(total, (off_t)l.len);
	ck_assert_int_eq(done, (off_t)l.len);
	rta_reader_free(r);
	rta_buf_release(&l);
}
END_TEST

/* "-" and NULL are stdin, named "<stdin>". */
START_TEST(stdin_operand)
{
	struct rta_buf l = RTA_BUF_INIT;
	struct rta_reader_opts o;
	struct rta_reader *r;
	struct rta_record rec;
	struct rta_error err;
	int fd;

	events(&l, 1, 1);
	unit_write("in.ndjson", l.data, l.len);
	fd = open(unit_path("in.ndjson"), O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
	rta_reader_opts_init(&o);
	r = rta_reader_new(&o);
	ck_assert_int_eq(rta_reader_open(r, _i ? "-" : NULL, &err), RTA_OK);
	ck_assert_int_eq(rta_reader_next(r, &rec, &err), RTA_OK);
	ck_assert_str_eq(rta_reader_where(r)->source, "<stdin>");
	ck_assert_uint_eq(rta_reader_where(r)->line, 1);
	ck_assert_int_eq(rta_reader_next(r, &rec, &err), RTA_EOF);
	rta_reader_free(r);
	rta_buf_release(&l);
}
END_TEST

/* A compressed file cut short: the records before the damage, then an
 * I/O error that closes the operand. */
START_TEST(io_error_mid_stream)
{
	static const char *const member[] = { "data" };
	struct rta_buf l = RTA_BUF_INIT, gz = RTA_BUF_INIT;
	const struct rta_buf *d[1] = { &l };
	struct rta_reader_opts o;
	struct rta_reader *r;
	struct rta_record rec;
	struct rta_error err;
	int rc, good = 0;
	size_t n;

	/* enough varied text that the gzip stream is long */
	for (n = 0; l.len < 400000; n++)
		ev_line(&l, (int)(n * 7919 % 100000));
	write_archive("a.gz", "raw", F_GZIP, member, d, 1);
	unit_read(unit_path("a.gz"), &gz);
	ck_assert_uint_gt(gz.len, 10000);
	unit_write("a.gz", gz.data, gz.len / 2);
	rta_buf_release(&gz);
	rta_reader_opts_init(&o);
	r = rta_reader_new(&o);
	ck_assert_int_eq(rta_reader_open(r, unit_path("a.gz"), &err), RTA_OK);
	while ((rc = rta_reader_next(r, &rec, &err)) == RTA_OK ||
	    rc == RTA_EDATA)
		good += rc == RTA_OK;
	ck_assert_int_eq(rc, RTA_EIO);
	ck_assert_int_eq(err.code, RTA_EIO);
	ck_assert_ptr_nonnull(strstr(err.text, "a.gz"));
	/* zcat recovers well over a thousand lines from this file */
	ck_assert_msg(good > 1000, "only %d events before the damage", good);
	ck_assert(!rta_reader_is_open(r));
	ck_assert_int_eq(rta_reader_next(r, &rec, &err), RTA_EOF);
	rta_reader_free(r);
	rta_buf_release(&l);
}
END_TEST

START_TEST(format_names)
{
	static const struct { const char *s; enum rta_format f; } t[] = {
		{ "auto", RTA_FMT_AUTO }, { "ndjson", RTA_FMT_NDJSON },
		{ "rta", RTA_FMT_RTA }, { "csv", RTA_FMT_CSV },
		{ "kcat-json", RTA_FMT_KCAT },
	};
	enum rta_format f;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		f = (enum rta_format)99;
		ck_assert_int_eq(rta_format_parse(t[i].s, &f), 0);
		ck_assert_int_eq(f, t[i].f);
		ck_assert_str_eq(rta_format_name(t[i].f), t[i].s);
	}
	ck_assert_int_eq(rta_format_parse("xml", &f), -1);
	ck_assert_int_eq(rta_format_parse("", &f), -1);
	ck_assert_int_eq(rta_format_parse("NDJSON", &f), -1);
}
END_TEST

/* ---- plain JSON values ------------------------------------------------- */

/* Any JSON document per line, whatever its shape; no envelope. */
START_TEST(values_shapes)
{
	static const char text[] =
	    "\xef\xbb\xbf" "1\n"
	    " -2.5e3 \n"
	    "\"s\\/t\\u00e9\"\n"
	    "true\n"
	    "false\n"
	    "null\n"
	    "\n"
	    "[]\n"
	    "{}\n"
	    "  \t\r\n"
	    "[1,[2,[3,[4]]]]\r\n"
	    "{\"a\" : {\"b\":[{\"c\":null}]}}\n"
	    "{\"event_id\":\"e1\"}\n"
	    "\t[ \"x\" , 0.10 ]";
	static const uint64_t lines[] = { 1, 2, 3, 4, 5, 6, 8, 9, 11, 12, 13,
	    14 };
	int i;

	unit_write_str("v.json", text);
	read_one("v.json", RTA_FMT_VALUES);
	ck_assert_str_eq(summary, "1 -2.5e3 \"s/t\xc3\xa9\" true false null "
	    "[] {} [1,[2,[3,[4]]]] {\"a\":{\"b\":[{\"c\":null}]}} "
	    "{\"event_id\":\"e1\"} [\"x\",0.10]");
	ck_assert_int_eq(nitems, 12);
	for (i = 0; i < nitems; i++) {
		ck_assert_int_eq(items[i].rc, RTA_OK);
		ck_assert_uint_eq(items[i].line, lines[i]);
		ck_assert_str_eq(items[i].source, unit_path("v.json"));
	}
	/* the raw bytes are the line (after the BOM, before the newline) */
	assert_raw(0, "1", 1);
	ck_assert_uint_eq(items[0].offset, 3);
	assert_raw(1, " -2.5e3 ", 8);
	ck_assert_uint_eq(items[1].offset, 5);
	assert_raw(8, "[1,[2,[3,[4]]]]\r", 16);
	assert_raw(11, "\t[ \"x\" , 0.10 ]", 15);
}
END_TEST

/* A line that is not one JSON document is bad, with its line number. */
START_TEST(values_bad_lines)
{
	static const char text[] =
	    "{\"a\":1\n"			/* 1 */
	    "[1,]\n"			/* 2 */
	    "nul\n"				/* 3 */
	    "{\"a\":1}{\"b\":2}\n"		/* 4 */
	    "\"\xff\"\n"			/* 5 */
	    "{\"a\":1,\"a\":2}\n"		/* 6 */
	    "01\n"				/* 7 */
	    "\"a\\u0000b\"\n"		/* 8 */
	    "[1e400]\n"			/* 9 */
	    "9223372036854775808\n"		/* 10 */
	    "\n"				/* 11 */
	    "'x'\n"				/* 12 */
	    "\f1\n"				/* 13 */
	    "{\"a\":\0}\n"			/* 14 */
	    "[\"ok\"]\n";			/* 15 */
	static const uint64_t lines[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12,
	    13, 14, 15 };
	int i;

	unit_write("v.json", text, sizeof(text) - 1);
	read_one("v.json", RTA_FMT_VALUES);
	ck_assert_str_eq(summary, "!bad-json !bad-json !bad-json !bad-json "
	    "!bad-utf8 !duplicate-key !bad-json !bad-json !bad-json "
	    "!bad-json !bad-json !bad-json !bad-json [\"ok\"]");
	for (i = 0; i < nitems; i++) {
		ck_assert_uint_eq(items[i].line, lines[i]);
		if (i < nitems - 1)
			ck_assert_int_eq(items[i].rc, RTA_EDATA);
	}
	assert_raw(0, "{\"a\":1", 6);
	assert_raw(3, "{\"a\":1}{\"b\":2}", 14);
	assert_raw(12, "{\"a\":\0}", 7);
	ck_assert_ptr_nonnull(strstr(items[3].text, "after the JSON value"));
	/* each one agrees with jansson, which refuses them all too */
	for (i = 0; i < nitems - 1; i++) {
		json_error_t je;
		json_t *j = json_loadb((const char *)items[i].raw,
		    items[i].raw_len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
		    &je);

		ck_assert_msg(j == NULL, "jansson takes line %d",
		    (int)lines[i]);
	}
}
END_TEST

/* Depth, members per object and line length come from the options. */
START_TEST(values_limits)
{
	static const char text[] =
	    "[[[1]]]\n"				/* 1: depth 3 */
	    "[[[[1]]]]\n"				/* 2: depth 4 */
	    "{\"a\":{\"b\":[{}]}}\n"			/* 3: depth 4 */
	    "[1,2,3,4,5,6,7,8,9,10]\n"			/* 4 */
	    "{\"a\":1,\"b\":2}\n"			/* 5 */
	    "{\"a\":1,\"b\":2,\"c\":3}\n"		/* 6 */
	    "[{\"a\":1,\"b\":2},{\"c\":3,\"d\":4,\"e\":5}]\n"	/* 7 */
	    "\"0123456789012345678901234567890123456789"
	    "01234567890123456789012\"\n"		/* 8: 65 bytes */
	    "\"012345678901234567890123456789012345678901234567890123456789"
	    "01\"\n"					/* 9: 64 bytes */
	    "[[[2]]]";				/* 10 */
	struct rta_reader_opts o;
	const char *name = "v.json";

	unit_write_str(name, text);
	rta_reader_opts_init(&o);
	o.format = RTA_FMT_VALUES;
	o.max_depth = 3;
	o.max_members = 2;
	o.max_line = 64;
	read_all_opts(&o, &name, 1);
	ck_assert_str_eq(summary, "[[[1]]] !too-deep !too-deep "
	    "[1,2,3,4,5,6,7,8,9,10] {\"a\":1,\"b\":2} !too-many-members "
	    "!too-many-members !too-long "
	    "\"012345678901234567890123456789012345678901234567890123456789"
	    "01\" [[[2]]]");
	ck_assert_int_eq(items[1].rc, RTA_ELIMIT);
	ck_assert_uint_eq(items[1].line, 2);
	ck_assert_int_eq(items[5].rc, RTA_ELIMIT);
	ck_assert_uint_eq(items[5].line, 6);
	ck_assert_int_eq(items[7].rc, RTA_ELIMIT);
	ck_assert_uint_eq(items[7].line, 8);
	ck_assert_uint_eq(items[7].raw_total, 65);
	ck_assert_uint_eq(items[9].line, 10);
	/* with the defaults, all of them are fine */
	clear_items();
	read_one(name, RTA_FMT_VALUES);
	ck_assert_int_eq(nitems, 10);
	ck_assert_ptr_null(strchr(summary, '!'));
}
END_TEST

/* kcat envelopes are held to the same options. */
START_TEST(kcat_limits)
{
	static const char text[] =
	    "{\"topic\":\"t\",\"partition\":0,\"offset\":1,\"key\":[[1]],"
	    "\"payload\":\"{\\\"event_id\\\":\\\"k1\\\",\\\"timestamp\\\":0,"
	    "\\\"event_type\\\":\\\"x\\\",\\\"tenant_id\\\":\\\"a\\\"}\"}\n"
	    "{\"topic\":\"t\",\"partition\":0,\"offset\":2,\"key\":[[[1]]],"
	    "\"payload\":null}\n"
	    "{\"topic\":\"t\",\"partition\":0,\"offset\":3,\"key\":null,"
	    "\"headers\":{\"a\":1},\"payload\":null}\n";
	struct rta_reader_opts o;
	const char *name = "k.json";

	unit_write_str(name, text);
	rta_reader_opts_init(&o);
	o.format = RTA_FMT_KCAT;
	o.max_depth = 3;
	o.max_members = 5;
	read_all_opts(&o, &name, 1);
	ck_assert_str_eq(summary, "pos:t/0/1 k1 !too-deep !too-many-members");
	ck_assert_uint_eq(items[2].line, 2);
	ck_assert_uint_eq(items[3].line, 3);
}
END_TEST

/*
 * Generated documents, one per line with blank lines between some, read
 * back as values and written with rta_ndjson_put: each comes out as one
 * line of compact JSON that jansson reads as the same value as the line
 * it came from (members in the same order).
 */
struct vgen {
	uint64_t	s;
};

static uint32_t
vgen_below(struct vgen *g, uint32_t n)
{
	uint64_t z = (g->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (uint32_t)((z ^ (z >> 31)) % n);
}

static void
vgen_space(struct vgen *g, struct rta_buf *b)
{
	static const char *const ws[] = { "", "", "", " ", "  ", "\t", " \r" };

	rta_buf_adds(b, ws[vgen_below(g, sizeof(ws) / sizeof(ws[0]))]);
}

static void
vgen_string(struct vgen *g, struct rta_buf *b)
{
	static const char *const part[] = { "a", "Z", "0", " ", ",", ":",
	    "{", "]", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r",
	    "\\t", "\\u0001", "\\u001F", "\\u00e9", "\\u20AC", "\xc3\xa9",
	    "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\\ud83d\\ude00", "\x7f",
	    "\\u007f", "'" };
	uint32_t n = vgen_below(g, 8), i;

	rta_buf_addc(b, '"');
	for (i = 0; i < n; i++)
		rta_buf_adds(b, part[vgen_below(g, sizeof(part) /
		    sizeof(part[0]))]);
	rta_buf_addc(b, '"');
}

static void
vgen_value(struct vgen *g, struct rta_buf *b, unsigned depth)
{
	static const char *const num[] = { "0", "-0", "7", "-42", "0.5",
	    "-0.0", "1e3", "1E+3", "2.5e-3", "175.55", "0.10", "1e-400",
	    "9223372036854775807", "-9223372036854775808",
	    "1.7976931348623157e308", "4.9406564584124654e-324",
	    "123456789012345678901234567890.5", "3.141592653589793238" };
	uint32_t n, i;

	vgen_space(g, b);
	switch (vgen_below(g, depth < 5 ? 9 : 6)) {
	case 0:
		rta_buf_adds(b, vgen_below(g, 3) == 0 ? "null" :
		    vgen_below(g, 2) ? "true" : "false");
		break;
	case 1:
	case 2:
		rta_buf_adds(b, num[vgen_below(g, sizeof(num) /
		    sizeof(num[0]))]);
		break;
	case 3:
		rta_buf_printf(b, "%ld", (long)vgen_below(g, 2000000) -
		    1000000);
		break;
	case 4:
	case 5:
		vgen_string(g, b);
		break;
	case 6:
	case 7:
		n = vgen_below(g, 5);
		rta_buf_addc(b, '{');
		for (i = 0; i < n; i++) {
			if (i > 0)
				rta_buf_addc(b, ',');
			vgen_space(g, b);
			/* unique keys, not in sorted order */
			rta_buf_printf(b, "\"%c%u", "zqa"[i % 3], i);
			if (vgen_below(g, 3) == 0)
				rta_buf_adds(b, "\\n\xc3\xa9");
			rta_buf_addc(b, '"');
			vgen_space(g, b);
			rta_buf_addc(b, ':');
			vgen_value(g, b, depth + 1);
		}
		vgen_space(g, b);
		rta_buf_addc(b, '}');
		break;
	default:
		n = vgen_below(g, 5);
		rta_buf_addc(b, '[');
		for (i = 0; i < n; i++) {
			if (i > 0)
				rta_buf_addc(b, ',');
			vgen_value(g, b, depth + 1);
		}
		vgen_space(g, b);
		rta_buf_addc(b, ']');
		break;
	}
	vgen_space(g, b);
}

/* The same value and type, members in the same order. */
static int
same_json(json_t *a, json_t *b)
{
	void *ia, *ib;
	size_t i;

	if (json_typeof(a) != json_typeof(b))
		return 0;
	switch (json_typeof(a)) {
	case JSON_OBJECT:
		if (json_object_size(a) != json_object_size(b))
			return 0;
		for (ia = json_object_iter(a), ib = json_object_iter(b);
		    ia != NULL && ib != NULL; ia = json_object_iter_next(a, ia),
		    ib = json_object_iter_next(b, ib))
			if (strcmp(json_object_iter_key(ia),
			    json_object_iter_key(ib)) != 0 ||
			    !same_json(json_object_iter_value(ia),
			    json_object_iter_value(ib)))
				return 0;
		return ia == NULL && ib == NULL;
	case JSON_ARRAY:
		if (json_array_size(a) != json_array_size(b))
			return 0;
		for (i = 0; i < json_array_size(a); i++)
			if (!same_json(json_array_get(a, i),
			    json_array_get(b, i)))
				return 0;
		return 1;
	case JSON_STRING:
		return json_string_length(a) == json_string_length(b) &&
		    memcmp(json_string_value(a), json_string_value(b),
		    json_string_length(a)) == 0;
	case JSON_INTEGER:
		return json_integer_value(a) == json_integer_value(b);
	case JSON_REAL:
		return json_real_value(a) == json_real_value(b) &&
		    signbit(json_real_value(a)) == signbit(json_real_value(b));
	default:
		return 1;
	}
}

/* No whitespace outside strings, and one newline: the last byte. */
static void
assert_compact(const unsigned char *p, size_t len)
{
	size_t i;
	int in_string = 0;

	ck_assert_uint_gt(len, 1);
	ck_assert_int_eq(p[len - 1], '\n');
	for (i = 0; i < len - 1; i++) {
		if (in_string) {
			if (p[i] == '\\')
				i++;
			else if (p[i] == '"')
				in_string = 0;
			continue;
		}
		ck_assert_msg(p[i] != ' ' && p[i] != '\t' && p[i] != '\r' &&
		    p[i] != '\n', "whitespace at %zu of '%.*s'", i,
		    (int)len - 1, p);
		in_string = p[i] == '"';
	}
	ck_assert(!in_string);
}

#define NDOCS	400

START_TEST(values_round_trip)
{
	struct vgen g = { 20261126 };
	struct rta_buf text = RTA_BUF_INIT, out = RTA_BUF_INIT;
	struct rta_reader_opts o;
	struct rta_reader *r;
	struct rta_record rec;
	struct rta_error err;
	size_t *start, *len;
	uint64_t *lines, line = 0;
	int i, rc;

	start = calloc(NDOCS, sizeof(*start));
	len = calloc(NDOCS, sizeof(*len));
	lines = calloc(NDOCS, sizeof(*lines));
	ck_assert(start != NULL && len != NULL && lines != NULL);
	for (i = 0; i < NDOCS; i++) {
		if (vgen_below(&g, 8) == 0) {
			rta_buf_adds(&text, vgen_below(&g, 2) ? "\n" : " \n");
			line++;
		}
		start[i] = text.len;
		vgen_value(&g, &text, 0);
		len[i] = text.len - start[i];
		lines[i] = ++line;
		rta_buf_addc(&text, '\n');
	}
	unit_write("docs.json", text.data, text.len);
	rta_reader_opts_init(&o);
	o.format = RTA_FMT_VALUES;
	o.ahead = _i;
	ck_assert_ptr_nonnull(r = rta_reader_new(&o));
	ck_assert_int_eq(rta_reader_open(r, unit_path("docs.json"), &err),
	    RTA_OK);
	for (i = 0; (rc = rta_reader_next(r, &rec, &err)) != RTA_EOF; i++) {
		const char *doc = (const char *)text.data + start[i];
		json_error_t je;
		json_t *want, *got;

		ck_assert_int_lt(i, NDOCS);
		ck_assert_msg(rc == RTA_OK, "document %d, '%.*s': %s", i,
		    (int)len[i], doc, err.text);
		ck_assert_int_eq(rec.kind, RTA_REC_VALUE);
		ck_assert_uint_eq(rta_reader_where(r)->line, lines[i]);
		rta_buf_reset(&out);
		ck_assert_int_eq(rta_ndjson_put(&out, &rec), 0);
		assert_compact(out.data, out.len);
		want = json_loadb(doc, len[i], JSON_DECODE_ANY |
		    JSON_REJECT_DUPLICATES, &je);
		ck_assert_msg(want != NULL, "jansson: '%.*s': %s", (int)len[i],
		    doc, je.text);
		got = json_loadb((const char *)out.data, out.len - 1,
		    JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
		ck_assert_msg(got != NULL, "jansson on the output '%.*s': %s",
		    (int)out.len - 1, out.data, je.text);
		ck_assert_msg(same_json(want, got), "'%.*s' came out as "
		    "'%.*s'", (int)len[i], doc, (int)out.len - 1, out.data);
		json_decref(want);
		json_decref(got);
	}
	ck_assert_int_eq(i, NDOCS);
	rta_reader_free(r);
	free(start);
	free(len);
	free(lines);
	rta_buf_release(&text);
	rta_buf_release(&out);
}
END_TEST

/* Programs choose the format; users cannot name it. */
START_TEST(values_format_name)
{
	enum rta_format f = RTA_FMT_CSV;

	ck_assert_str_eq(rta_format_name(RTA_FMT_VALUES), "json-values");
	ck_assert_int_eq(rta_format_parse("json-values", &f), -1);
	ck_assert_int_eq(f, RTA_FMT_CSV);
}
END_TEST

/* ---- reading ahead -------------------------------------------------- */

/*
 * Event frame i: its payload one string member of the len bytes at
 * text, or, as kind asks, the same key twice ('d'), or a byte changed
 * after the checksum ('c').
 */
static void
put_text_event(struct rta_buf *f, int i, const char *text, size_t len,
    int kind)
{
	struct rta_record rec;
	struct rta_buf v = RTA_BUF_INIT;
	size_t off;
	char id[32];

	memset(&rec, 0, sizeof(rec));
	rec.kind = RTA_REC_EVENT;
	snprintf(id, sizeof(id), "f%d", i);
	rec.ev.id = id;
	rec.ev.id_len = (uint8_t)strlen(id);
	rec.ev.type = "t";
	rec.ev.type_len = 1;
	rec.ev.tenant = "a";
	rec.ev.tenant_len = 1;
	rec.ev.ts = 1000000 + i;
	off = rta_venc_begin(&v, RTA_V_OBJECT);
	rta_venc_key(&v, "s", 1);
	rta_venc_string(&v, text, len);
	if (kind == 'd') {
		rta_venc_key(&v, "s", 1);
		rta_venc_int(&v, 1);
	}
	rta_venc_end(&v, off, kind == 'd' ? 2 : 1);
	rec.ev.payload = v.data;
	rec.ev.payload_len = v.len;
	ck_assert_int_eq(rta_frame_put(f, &rec), 0);
	if (kind == 'c')
		f->data[f->len - 3] ^= 0x01;
	rta_buf_release(&v);
}

/*
 * Reading ahead in a thread must not change a single record: the same
 * input, read with and without it, from a file and from a pipe, gives the
 * same records, positions and original bytes.  The input mixes NDJSON
 * (with lines longer than the read-ahead carry room, and bad ones) and
 * rta frames (some larger than the carry room), a few MiB in all so that
 * many read-aheads and buffer swaps happen.
 */
static uint64_t bad_seen;

static uint64_t
digest_stream(int ahead, int from_pipe, const char *name, uint64_t *count)
{
	struct rta_reader_opts o;
	struct rta_reader *r;
	struct rta_record rec;
	struct rta_error err;
	const struct rta_where *w;
	const unsigned char *raw;
	size_t len;
	uint64_t total, h = 7;
	int rc, fds[2] = { -1, -1 }, saved = -1;
	pid_t pid = -1;

	rta_reader_opts_init(&o);
	o.ahead = ahead;
	o.max_line = 1 << 20;
	ck_assert_ptr_nonnull(r = rta_reader_new(&o));
	if (from_pipe) {
		/* a child copies the file into a pipe in small writes */
		ck_assert_int_eq(pipe(fds), 0);
		if ((pid = fork()) == 0) {
			char buf[7000];
			FILE *f = fopen(unit_path(name), "rb");
			size_t n;

			close(fds[0]);
			while (f != NULL && (n = fread(buf, 1, sizeof(buf),
			    f)) > 0)
				if (write(fds[1], buf, n) != (ssize_t)n)
					_exit(1);
			_exit(0);
		}
		close(fds[1]);
		saved = dup(0);
		dup2(fds[0], 0);
		close(fds[0]);
		ck_assert_int_eq(rta_reader_open(r, "-", &err), RTA_OK);
	} else
		ck_assert_int_eq(rta_reader_open(r, unit_path(name), &err),
		    RTA_OK);
	*count = 0;
	while ((rc = rta_reader_next(r, &rec, &err)) != RTA_EOF) {
		w = rta_reader_where(r);
		rta_reader_raw(r, &raw, &len, &total);
		h = rta_hash64(&rc, sizeof(rc), h);
		h = rta_hash64(raw, len, h ^ total);
		h = rta_hash64(&w->line, sizeof(w->line), h);
		h = rta_hash64(&w->offset, sizeof(w->offset), h);
		if (rc == RTA_OK && rec.kind == RTA_REC_EVENT)
			h = rta_hash64(rec.ev.id, rec.ev.id_len, h);
		if (rc == RTA_OK && rec.kind == RTA_REC_EVENT)
			h = rta_hash64(rec.ev.payload, rec.ev.payload_len, h);
		if (rc != RTA_OK) {
			h = rta_hash64(err.reason, strlen(err.reason), h);
			bad_seen++;
		}
		(*count)++;
		ck_assert(rc == RTA_OK || rc == RTA_EDATA || rc == RTA_ELIMIT);
	}
	rta_reader_free(r);
	if (from_pipe) {
		dup2(saved, 0);
		close(saved);
		waitpid(pid, NULL, 0);
	}
	return h;
}

START_TEST(ahead_changes_nothing)
{
	struct rta_buf b = RTA_BUF_INIT, f = RTA_BUF_INIT;
	struct rta_record rec;
	unsigned char *big;
	uint64_t want, got, nwant, ngot;
	int i, fp;

	big = malloc(200000);
	ck_assert_ptr_nonnull(big);
	for (i = 0; i < 20000; i++) {
		ev_line(&b, i);
		if (i % 3000 == 7) {
			/* a line longer than the carry room, and a bad one */
			memset(big, 'x', 150000);
			rta_buf_add(&b, "{\"event_id\":\"", 13);
			rta_buf_add(&b, big, 150000);
			rta_buf_adds(&b, "\"}\n{bad\n");
		}
	}
	unit_write("mixed.ndjson", b.data, b.len);
	/* frames: the same events, and some with a 120 KB string */
	rta_buf_reset(&f);
	rta_frame_put_header(&f);
	memset(big, 'y', 120000);
	for (i = 0; i < 20000; i++)
		put_text_event(&f, i, (const char *)big,
		    i % 2500 == 3 ? 120000 : (size_t)(i % 50), 0);
	memset(&rec, 0, sizeof(rec));
	rec.kind = RTA_REC_END;
	rta_frame_put(&f, &rec);
	unit_write("mixed.rta", f.data, f.len);
	for (fp = 0; fp < 2; fp++) {
		want = digest_stream(0, fp, "mixed.ndjson", &nwant);
		got = digest_stream(1, fp, "mixed.ndjson", &ngot);
		ck_assert_uint_eq(ngot, nwant);
		ck_assert_msg(got == want, "NDJSON records differ (pipe %d)",
		    fp);
		want = digest_stream(0, fp, "mixed.rta", &nwant);
		got = digest_stream(1, fp, "mixed.rta", &ngot);
		ck_assert_uint_eq(ngot, nwant);
		ck_assert_msg(got == want, "frames differ (pipe %d)", fp);
	}
	ck_assert_uint_ge(nwant, 20001);
	free(big);
	rta_buf_release(&b);
	rta_buf_release(&f);
}
END_TEST

/*
 * Reading ahead checks frames on the second core, and the reader then
 * trusts them: so damage anywhere in a long stream, and whatever
 * changes how the stream is cut (a repeated stream header, an end frame
 * followed by NDJSON and frames again), must give exactly the records
 * and errors that reading without it gives, from a file and a pipe.
 */
START_TEST(ahead_checks_everything)
{
	struct rta_buf f = RTA_BUF_INIT;
	struct rta_record rec;
	uint64_t want, got, nwant, ngot, bwant;
	char text[64];
	int i, fp;

	memset(text, 'z', sizeof(text));
	rta_frame_put_header(&f);
	for (i = 0; i < 60000; i++) {
		int kind = 0;

		if (i == 5000 || i == 41000)
			kind = 'u';
		else if (i == 17000 || i == 52000)
			kind = 'c';
		else if (i == 33000)
			kind = 'd';
		if (i == 23000)
			rta_frame_put_header(&f);	/* cat a.rta b.rta */
		if (i == 26000) {
			memset(&rec, 0, sizeof(rec));
			rec.kind = RTA_REC_END;
			rta_frame_put(&f, &rec);
			rta_buf_adds(&f, "{\"event_id\":\"n1\",\"timestamp\":1,"
			    "\"event_type\":\"t\",\"tenant_id\":\"a\"}\n{bad\n");
			rta_frame_put_header(&f);
		}
		if (kind == 'u')	/* not UTF-8, under a good checksum */
			memcpy(text + 3, "\xff\xfe", 2);
		put_text_event(&f, i, text, (size_t)(i % 60) + 5, kind);
		memset(text, 'z', sizeof(text));
	}
	memset(&rec, 0, sizeof(rec));
	rec.kind = RTA_REC_END;
	rta_frame_put(&f, &rec);
	ck_assert_uint_gt(f.len, 4u << 20);	/* several read-aheads */
	unit_write("checked.rta", f.data, f.len);
	for (fp = 0; fp < 2; fp++) {
		bad_seen = 0;
		want = digest_stream(0, fp, "checked.rta", &nwant);
		bwant = bad_seen;
		bad_seen = 0;
		got = digest_stream(1, fp, "checked.rta", &ngot);
		ck_assert_uint_eq(ngot, nwant);
		ck_assert_uint_eq(bad_seen, bwant);
		ck_assert_msg(got == want, "records differ (pipe %d)", fp);
	}
	/* two bad UTF-8, two bad checksums, a duplicate key, {bad */
	ck_assert_uint_eq(bwant, 6);
	rta_buf_release(&f);
}
END_TEST

/*
 * The look-ahead bytes after each record are exactly the input that
 * follows it: whole frames first (the next record among them), never a
 * byte more than the file holds; none after the last record.
 */
static void
ahead_matches(int threaded)
{
	struct rta_buf l = RTA_BUF_INIT, f = RTA_BUF_INIT;
	struct rta_reader_opts o;
	struct rta_reader *r;
	struct rta_record rec;
	struct rta_error err;
	const struct rta_where *w;
	const unsigned char *p, *raw;
	size_t len, rawlen, next, size, k, nonempty = 0;
	uint64_t total, nrec = 0;
	int rc, is_hdr, i;

	for (i = 0; i < 30000; i++)
		ev_line(&l, i);
	frames_of(&f, &l, 1);
	unit_write("ahead.rta", f.data, f.len);
	rta_reader_opts_init(&o);
	o.ahead = threaded;
	r = rta_reader_new(&o);
	ck_assert_ptr_nonnull(r);
	rta_reader_ahead(r, &p, &len);
	ck_assert_uint_eq(len, 0);
	ck_assert_int_eq(rta_reader_open(r, unit_path("ahead.rta"), &err),
	    RTA_OK);
	while ((rc = rta_reader_next(r, &rec, &err)) == RTA_OK) {
		w = rta_reader_where(r);
		rta_reader_raw(r, &raw, &rawlen, &total);
		next = (size_t)w->offset + rawlen;
		rta_reader_ahead(r, &p, &len);
		ck_assert_uint_le(next + len, f.len);
		if (len > 0) {
			ck_assert_ptr_nonnull(p);
			ck_assert_msg(memcmp(p, f.data + next, len) == 0,
			    "look-ahead after record %llu is not the input",
			    (unsigned long long)nrec);
			nonempty++;
		}
		/* the frames in it are the next records, whole */
		for (k = 0; k < len && k < 4096; k += size) {
			if (rta_frame_probe(p + k, len - k, RTA_FRAME_MAX,
			    &is_hdr, &size, &err) != RTA_OK)
				break;
			ck_assert_int_eq(is_hdr, 0);
		}
		if (len >= 4096)
			ck_assert_uint_ge(k, 4096);
		nrec++;
	}
	ck_assert_int_eq(rc, RTA_EOF);
	ck_assert_uint_eq(nrec, 30001);		/* the events and the end */
	ck_assert_uint_ge(nonempty, 29000);
	rta_reader_ahead(r, &p, &len);
	ck_assert_uint_eq(len, 0);
	rta_reader_free(r);
	rta_buf_release(&l);
	rta_buf_release(&f);
}

START_TEST(ahead_bytes_follow)
{
	ahead_matches(_i);
}
END_TEST

/* NDJSON: the bytes after a record start with the next line; CSV gives
 * none, since its parser holds rows the bytes no longer show. */
START_TEST(ahead_bytes_lines)
{
	struct rta_buf l = RTA_BUF_INIT;
	struct rta_reader_opts o;
	struct rta_reader *r;
	struct rta_record rec;
	struct rta_error err;
	const unsigned char *p;
	size_t len;

	events(&l, 1, 3);
	unit_write("a.ndjson", l.data, l.len);
	rta_reader_opts_init(&o);
	r = rta_reader_new(&o);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(rta_reader_open(r, unit_path("a.ndjson"), &err),
	    RTA_OK);
	ck_assert_int_eq(rta_reader_next(r, &rec, &err), RTA_OK);
	rta_reader_ahead(r, &p, &len);
	ck_assert_uint_eq(len, l.len - (size_t)((const unsigned char *)
	    memchr(l.data, '\n', l.len) - l.data) - 1);
	ck_assert_int_eq(memcmp(p, "{\"event_id\":\"e2\"", 16), 0);
	ck_assert_int_eq(rta_reader_next(r, &rec, &err), RTA_OK);
	ck_assert_int_eq(rta_reader_next(r, &rec, &err), RTA_OK);
	rta_reader_ahead(r, &p, &len);
	ck_assert_uint_eq(len, 0);
	rta_reader_free(r);

	unit_write_str("a.csv", "event_id,timestamp,event_type,tenant_id\n"
	    "c1,2026-01-01T00:00:00Z,t,a\nc2,2026-01-01T00:00:01Z,t,a\n");
	o.format = RTA_FMT_CSV;
	r = rta_reader_new(&o);
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(rta_reader_open(r, unit_path("a.csv"), &err),
	    RTA_OK);
	ck_assert_int_eq(rta_reader_next(r, &rec, &err), RTA_OK);
	rta_reader_ahead(r, &p, &len);
	ck_assert_uint_eq(len, 0);
	rta_reader_free(r);
	rta_buf_release(&l);
}
END_TEST

static Suite *
reader_suite(void)
{
	Suite *s = suite_create("rta_reader");
	TCase *tc;

	tc = tcase_create("ndjson");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ndjson_basic);
	tcase_add_test(tc, ndjson_bad_lines);
	tcase_add_test(tc, bom_crlf_blank_lines);
	tcase_add_test(tc, last_line_without_newline);
	tcase_add_test(tc, empty_inputs);
	tcase_add_test(tc, nul_bytes_survive);
	suite_add_tcase(s, tc);

	tc = tcase_create("long_lines");
	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, long_line_in_buffer);
	tcase_add_test(tc, long_line_streamed);
	tcase_add_test(tc, long_line_raw_bounds);
	tcase_add_test(tc, long_line_at_buffer_end);
	tcase_add_test(tc, long_line_memory_bounded);
	tcase_add_test(tc, long_line_growth_bounded);
	suite_add_tcase(s, tc);

	tc = tcase_create("frames");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, frames_basic);
	tcase_add_test(tc, encoding_detected);
	tcase_add_test(tc, concat_rta_then_ndjson);
	tcase_add_test(tc, concat_ndjson_then_rta);
	tcase_add_test(tc, frames_without_end);
	tcase_add_test(tc, truncated_frames);
	tcase_add_test(tc, truncated_frame_header);
	tcase_add_test(tc, garbage_between_frames);
	tcase_add_test(tc, bad_crc);
	tcase_add_test(tc, frame_over_limit);
	suite_add_tcase(s, tc);

	tc = tcase_create("archives");
	tcase_set_timeout(tc, 30);
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, compressed, F_GZIP, F_ZSTD + 1);
	tcase_add_test(tc, zstd_frames_concatenated);
	tcase_add_test(tc, tar_members);
	tcase_add_test(tc, tar_gz_members);
	tcase_add_test(tc, zip_members);
	tcase_add_test(tc, tar_mixed_encodings);
	suite_add_tcase(s, tc);

	tc = tcase_create("kcat");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, kcat_envelopes);
	suite_add_tcase(s, tc);

	tc = tcase_create("values");
	tcase_set_timeout(tc, 30);
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, values_shapes);
	tcase_add_test(tc, values_bad_lines);
	tcase_add_test(tc, values_limits);
	tcase_add_test(tc, kcat_limits);
	tcase_add_loop_test(tc, values_round_trip, 0, 2);
	tcase_add_test(tc, values_format_name);
	suite_add_tcase(s, tc);

	tc = tcase_create("csv");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, csv_through_reader);
	tcase_add_test(tc, csv_bad_header);
	tcase_add_test(tc, csv_runaway_quote);
	suite_add_tcase(s, tc);

	tc = tcase_create("operands");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, open_errors);
	tcase_add_test(tc, several_operands);
	tcase_add_test(tc, progress);
	tcase_add_loop_test(tc, stdin_operand, 0, 2);
	tcase_add_test(tc, io_error_mid_stream);
	tcase_add_test(tc, format_names);
	suite_add_tcase(s, tc);

	tc = tcase_create("ahead");
	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ahead_changes_nothing);
	tcase_add_test(tc, ahead_checks_everything);
	suite_add_tcase(s, tc);

	tc = tcase_create("look-ahead");
	tcase_set_timeout(tc, 30);
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, ahead_bytes_follow, 0, 2);
	tcase_add_test(tc, ahead_bytes_lines);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(reader_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
