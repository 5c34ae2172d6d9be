/*
 * check_rta_parquet_read.c: the Parquet reader.  Files DuckDB wrote
 * (tests/unit/data/duckdb-ref*.parquet, from duckdb-ref.sql) read to the
 * rows of duckdb-ref.ndjson in every type, with their nulls, in both row
 * groups and at any batch size, in PLAIN and dictionary encodings and in
 * the v2 writer's DELTA_BINARY_PACKED and BYTE_STREAM_SPLIT, and their statistics, key-value
 * metadata and created_by are the file's.  Files cut at every length,
 * or with any byte of the footer or of a page changed, fail with
 * RTA_EDATA or read, never crash (the SANITIZE=1 build watches every
 * read).  Tiny files built here byte by byte pin the RLE/bit-packed
 * corners (bit width 0, padded groups, runs longer than the page needs),
 * the Thrift ones (unknown fields of every type, long field headers,
 * the nesting limit) and each refusal's message.
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <zstd.h>

#include "rta_alloc.h"
#include "rta_buf.h"
#include "rta_crc32c.h"
#include "rta_parquet.h"
#include "unit.h"

#define REF_ROWS	220
#define REF_RG_ROWS	110
#define REF_COLS	12

static const char *
data_dir(void)
{
	const char *d = getenv("RTA_TEST_DATA");

	return d != NULL && *d != '\0' ? d : "tests/unit/data";
}

/* The file name in the data directory; a static buffer per call. */
static const char *
data(const char *name)
{
	static char path[4][UNIT_PATH_MAX];
	static int k;

	k = (k + 1) % 4;
	snprintf(path[k], sizeof(path[k]), "%s/%s", data_dir(), name);
	return path[k];
}

/*
 * A file's bytes in a block of exactly their size (for ASan), read
 * without the library's allocator, which the allocation failure test
 * sets to fail.
 */
static unsigned char *
load(const char *name, size_t *len)
{
	unsigned char *p;
	FILE *fp;
	long n;

	fp = fopen(data(name), "rb");
	ck_assert_msg(fp != NULL, "%s: cannot open", data(name));
	ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
	ck_assert_int_ge(n = ftell(fp), 1);
	rewind(fp);
	p = malloc((size_t)n);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(fread(p, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return p;
}

/* The expected rows, as JSON objects. */
static json_t *
expected_rows(void)
{
	struct rta_buf b = RTA_BUF_INIT;
	json_error_t je;
	json_t *rows = json_array(), *row;
	char *line, *save = NULL;

	unit_read(data("duckdb-ref.ndjson"), &b);
	for (line = strtok_r((char *)b.data, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		row = json_loads(line, 0, &je);
		ck_assert_msg(row != NULL, "duckdb-ref.ndjson: %s", je.text);
		json_array_append_new(rows, row);
	}
	rta_buf_release(&b);
	ck_assert_uint_eq(json_array_size(rows), REF_ROWS);
	return rows;
}

static const struct {
	const char		*name;
	enum rta_pq_type	 type;
} ref_cols[REF_COLS] = {
	{ "id", RTA_PQ_INT64 },
	{ "tenant_id", RTA_PQ_STRING },
	{ "ts", RTA_PQ_TIMESTAMP },
	{ "value", RTA_PQ_DOUBLE },
	{ "flag", RTA_PQ_BOOL },
	{ "amount", RTA_PQ_DOUBLE },
	{ "note", RTA_PQ_STRING },
	{ "day", RTA_PQ_INT64 },
	{ "n32", RTA_PQ_INT64 },
	{ "f32", RTA_PQ_DOUBLE },
	{ "ts_ms", RTA_PQ_TIMESTAMP },
	{ "ts_ns", RTA_PQ_TIMESTAMP },
};

/* Row k of batch b equals JSON value want. */
static void
check_value(const struct rta_pq_batch *b, size_t k, enum rta_pq_type t,
    json_t *want, const char *where)
{
	const char *ws;

	if (json_is_null(want)) {
		ck_assert_msg(b->valid != NULL && b->valid[k] == 0,
		    "%s: not null", where);
		return;
	}
	ck_assert_msg(b->valid == NULL || b->valid[k] == 1, "%s: null",
	    where);
	switch (t) {
	case RTA_PQ_BOOL:
		ck_assert_ptr_nonnull(b->i64);
		ck_assert_msg(b->i64[k] == json_is_true(want), "%s", where);
		break;
	case RTA_PQ_INT64:
	case RTA_PQ_TIMESTAMP:
		ck_assert_ptr_nonnull(b->i64);
		ck_assert_msg(json_is_integer(want) &&
		    b->i64[k] == json_integer_value(want),
		    "%s: %lld", where, (long long)b->i64[k]);
		break;
	case RTA_PQ_DOUBLE:
		ck_assert_ptr_nonnull(b->f64);
		if (json_is_string(want))
			ck_assert_msg(isnan(b->f64[k]), "%s: not NaN", where);
		else
			ck_assert_msg(b->f64[k] == json_number_value(want),
			    "%s: %.17g", where, b->f64[k]);
		break;
	default:
		ck_assert_ptr_nonnull(b->s);
		ws = json_string_value(want);
		ck_assert_msg(ws != NULL && b->slen[k] == strlen(ws) &&
		    memcmp(b->s[k], ws, b->slen[k]) == 0, "%s: '%.*s'", where,
		    (int)b->slen[k], (const char *)b->s[k]);
		break;
	}
}

/*
 * Read a whole DuckDB file of ncols of the reference columns with
 * batches of bs rows against the rows.
 */
static void
check_ref_file(const char *name, size_t ncols, size_t bs, json_t *rows)
{
	const struct rta_pq_column *col;
	size_t ref[REF_COLS];
	struct rta_pq_cursor *c;
	struct rta_pq_file *f;
	struct rta_pq_batch b;
	struct rta_error err;
	unsigned char *p;
	size_t len, rg, i, k, row;
	char where[160];
	int rc;

	p = load(name, &len);
	ck_assert_msg(rta_pq_open(p, len, name, &f, &err) == RTA_OK, "%s",
	    err.text);
	ck_assert_uint_eq(rta_pq_ncolumns(f), ncols);
	ck_assert_uint_eq(rta_pq_nrows(f), REF_ROWS);
	ck_assert_uint_eq(rta_pq_nrowgroups(f), 2);
	for (i = 0; i < ncols; i++) {
		col = rta_pq_column(f, i);
		for (k = 0; k < REF_COLS; k++)
			if (strcmp(col->name, ref_cols[k].name) == 0)
				break;
		ck_assert_msg(k < REF_COLS, "%s: column %s", name, col->name);
		ref[i] = k;
		ck_assert_int_eq(col->type, ref_cols[k].type);
		ck_assert_int_eq(col->optional, 1);
		ck_assert_uint_eq(rta_pq_column_find(f, col->name), i);
	}
	ck_assert_ptr_null(rta_pq_column(f, ncols));
	ck_assert_uint_eq(rta_pq_column_find(f, "nosuch"), (size_t)-1);
	for (row = 0, rg = 0; rg < 2; rg++) {
		ck_assert_uint_eq(rta_pq_rowgroup_rows(f, rg), REF_RG_ROWS);
		for (i = 0; i < ncols; i++) {
			ck_assert_int_eq(rta_pq_cursor_open(f, rg, i, &c, &err),
			    RTA_OK);
			k = 0;
			while ((rc = rta_pq_cursor_next(c, bs, &b, &err)) ==
			    RTA_OK) {
				size_t j;

				ck_assert_uint_ge(b.n, 1);
				ck_assert_uint_le(b.n, bs);
				for (j = 0; j < b.n; j++, k++) {
					snprintf(where, sizeof(where),
					    "%s, batch %zu, row %zu, %s", name,
					    bs, row + k, ref_cols[ref[i]].name);
					check_value(&b, j, ref_cols[ref[i]].type,
					    json_object_get(json_array_get(rows,
					    row + k), ref_cols[ref[i]].name),
					    where);
				}
			}
			ck_assert_msg(rc == RTA_EOF, "%s", err.text);
			ck_assert_uint_eq(k, REF_RG_ROWS);
			/* EOF stays EOF */
			ck_assert_int_eq(rta_pq_cursor_next(c, bs, &b, &err),
			    RTA_EOF);
			rta_pq_cursor_close(c);
		}
		row += REF_RG_ROWS;
	}
	rta_pq_close(f);
	free(p);
}

START_TEST(duckdb_rows)
{
	static const size_t sizes[] = { 1, 7, 4096 };
	json_t *rows = expected_rows();
	size_t i;

	for (i = 0; i < 3; i++) {
		check_ref_file("duckdb-ref.parquet", REF_COLS, sizes[i], rows);
		check_ref_file("duckdb-ref-uncompressed.parquet", REF_COLS,
		    sizes[i], rows);
		check_ref_file("duckdb-ref-v2.parquet", 9, sizes[i], rows);
		check_ref_file("duckdb-ref-v2-uncompressed.parquet", 9,
		    sizes[i], rows);
	}
	json_decref(rows);
}
END_TEST

/* The statistics equal what the rows of each row group give. */
START_TEST(duckdb_stats)
{
	json_t *rows = expected_rows(), *v;
	struct rta_pq_file *f;
	struct rta_pq_stats st;
	struct rta_error err;
	unsigned char *p;
	size_t len, rg, i, r;

	p = load("duckdb-ref.parquet", &len);
	ck_assert_int_eq(rta_pq_open(p, len, "ref", &f, &err), RTA_OK);
	for (rg = 0; rg < 2; rg++)
		for (i = 0; i < REF_COLS; i++) {
			enum rta_pq_type t = ref_cols[i].type;
			int64_t imin = INT64_MAX, imax = INT64_MIN;
			double dmin = INFINITY, dmax = -INFINITY;
			const char *smin = NULL, *smax = NULL;
			uint64_t nulls = 0;
			int nan = 0;

			for (r = rg * REF_RG_ROWS; r < (rg + 1) * REF_RG_ROWS;
			    r++) {
				v = json_object_get(json_array_get(rows, r),
				    ref_cols[i].name);
				if (json_is_null(v))
					nulls++;
				else if (t == RTA_PQ_STRING) {
					const char *s = json_string_value(v);

					if (smin == NULL || strcmp(s, smin) < 0)
						smin = s;
					if (smax == NULL || strcmp(s, smax) > 0)
						smax = s;
				} else if (t == RTA_PQ_DOUBLE) {
					if (json_is_string(v))
						nan = 1;
					else {
						dmin = fmin(dmin,
						    json_number_value(v));
						dmax = fmax(dmax,
						    json_number_value(v));
					}
				} else {
					int64_t x = t == RTA_PQ_BOOL ?
					    json_is_true(v) :
					    json_integer_value(v);

					imin = x < imin ? x : imin;
					imax = x > imax ? x : imax;
				}
			}
			rta_pq_stats(f, rg, i, &st);
			ck_assert_int_eq(st.has_nulls, 1);
			ck_assert_uint_eq(st.nulls, nulls);
			/* DuckDB writes no bounds for a chunk with a NaN */
			ck_assert_int_eq(st.has_minmax, !nan);
			if (nan)
				continue;
			if (t == RTA_PQ_STRING) {
				ck_assert_uint_eq(st.min.slen, strlen(smin));
				ck_assert(memcmp(st.min.s, smin,
				    st.min.slen) == 0);
				ck_assert_uint_eq(st.max.slen, strlen(smax));
				ck_assert(memcmp(st.max.s, smax,
				    st.max.slen) == 0);
				/* the bytes are the file's */
				ck_assert(st.min.s > p && st.min.s < p + len);
			} else if (t == RTA_PQ_DOUBLE) {
				ck_assert_msg(st.min.d == dmin && st.max.d ==
				    dmax, "%s: %g..%g", ref_cols[i].name,
				    st.min.d, st.max.d);
			} else
				ck_assert_msg(st.min.i == imin && st.max.i ==
				    imax, "%s, row group %zu: %lld..%lld",
				    ref_cols[i].name, rg, (long long)st.min.i,
				    (long long)st.max.i);
		}
	/* out of range: nothing */
	rta_pq_stats(f, 2, 0, &st);
	ck_assert_int_eq(st.has_nulls + st.has_minmax, 0);
	rta_pq_close(f);
	free(p);
	json_decref(rows);
}
END_TEST

START_TEST(duckdb_metadata)
{
	const struct rta_pq_kv *kv;
	struct rta_pq_file *f;
	struct rta_error err;
	unsigned char *p;
	size_t len;

	p = load("duckdb-ref.parquet", &len);
	ck_assert_int_eq(rta_pq_open(p, len, "ref", &f, &err), RTA_OK);
	ck_assert_str_eq(rta_pq_created_by(f),
	    "DuckDB version v1.5.6 (build 069cc9f9b5)");
	ck_assert_uint_eq(rta_pq_nkv(f), 2);
	kv = rta_pq_kv(f, 0);
	ck_assert_str_eq(kv->key, "rta.test");
	ck_assert_str_eq(kv->value, "reference");
	ck_assert_str_eq(rta_pq_kv_get(f, "k2"), "v2");
	ck_assert_ptr_null(rta_pq_kv_get(f, "k3"));
	ck_assert_ptr_null(rta_pq_kv(f, 2));
	ck_assert_uint_eq(rta_pq_rowgroup_rows(f, 2), 0);
	rta_pq_close(f);
	free(p);
}
END_TEST

START_TEST(snappy_refused)
{
	struct rta_pq_file *f = (struct rta_pq_file *)1;
	struct rta_error err;
	unsigned char *p;
	size_t len;

	p = load("duckdb-snappy.parquet", &len);
	ck_assert_int_eq(rta_pq_open(p, len, "s.parquet", &f, &err),
	    RTA_EDATA);
	ck_assert_ptr_null(f);
	ck_assert_str_eq(err.text, "s.parquet: column id: codec SNAPPY not "
	    "supported (write with COMPRESSION zstd)");
	free(p);
}
END_TEST

/*
 * Open and read every chunk of the len bytes at p with batches of bs:
 * RTA_OK when all of it read, else the first failure, which must be
 * RTA_EDATA with a message of the documented shape.
 */
static int
read_all(const unsigned char *p, size_t len, size_t bs)
{
	struct rta_pq_stats st;
	struct rta_pq_cursor *c;
	struct rta_pq_file *f;
	struct rta_pq_batch b;
	struct rta_error err;
	size_t rg, i, k;
	uint64_t rows;
	int rc;

	if ((rc = rta_pq_open(p, len, "x.parquet", &f, &err)) != RTA_OK) {
		ck_assert_int_eq(rc, RTA_EDATA);
		ck_assert_msg(strncmp(err.text, "x.parquet: ", 11) == 0,
		    "%s", err.text);
		return rc;
	}
	(void)rta_pq_created_by(f);
	for (i = 0; i < rta_pq_nkv(f); i++)
		(void)rta_pq_kv_get(f, rta_pq_kv(f, i)->key);
	for (rg = 0; rg < rta_pq_nrowgroups(f); rg++)
		for (i = 0; i < rta_pq_ncolumns(f); i++) {
			rta_pq_stats(f, rg, i, &st);
			ck_assert_int_eq(rta_pq_cursor_open(f, rg, i, &c, &err),
			    RTA_OK);
			rows = 0;
			while ((rc = rta_pq_cursor_next(c, bs, &b, &err)) ==
			    RTA_OK) {
				ck_assert(b.n >= 1 && b.n <= bs);
				rows += b.n;
				/* touch every slot */
				for (k = 0; k < b.n; k++) {
					if (b.valid != NULL)
						ck_assert(b.valid[k] <= 1);
					if (b.s != NULL && b.slen[k] > 0)
						(void)*(volatile const
						    unsigned char *)(b.s[k] +
						    b.slen[k] - 1);
					else if (b.i64 != NULL)
						(void)*(volatile const
						    int64_t *)&b.i64[k];
					else if (b.f64 != NULL)
						(void)*(volatile const
						    double *)&b.f64[k];
				}
			}
			if (rc == RTA_EOF)
				ck_assert_uint_eq(rows,
				    rta_pq_rowgroup_rows(f, rg));
			rta_pq_cursor_close(c);
			if (rc != RTA_EOF) {
				ck_assert_int_eq(rc, RTA_EDATA);
				ck_assert_msg(strncmp(err.text,
				    "x.parquet: column ", 18) == 0 &&
				    strstr(err.text, ", row group ") != NULL &&
				    strstr(err.text, ": page at offset ") !=
				    NULL, "%s", err.text);
				rta_pq_close(f);
				return rc;
			}
		}
	rta_pq_close(f);
	return RTA_OK;
}

START_TEST(truncated)
{
	static const char *const names[] = { "duckdb-ref.parquet",
	    "duckdb-ref-uncompressed.parquet", "duckdb-ref-v2.parquet",
	    "duckdb-ref-v2-uncompressed.parquet" };
	unsigned char *p, *q;
	size_t len, n, i;

	for (i = 0; i < 4; i++) {
		p = load(names[i], &len);
		ck_assert_int_eq(read_all(p, len, 7), RTA_OK);
		for (n = 0; n < len; n++) {
			q = malloc(n > 0 ? n : 1);
			ck_assert_ptr_nonnull(q);
			memcpy(q, p, n);
			ck_assert_int_eq(read_all(q, n, 7), RTA_EDATA);
			free(q);
		}
		/* the end kept, the start lost: offsets now point wrong */
		for (n = 1; n < len - 12; n += 13) {
			q = malloc(len - n);
			ck_assert_ptr_nonnull(q);
			memcpy(q, p + n, len - n);
			memcpy(q, "PAR1", 4);
			(void)read_all(q, len - n, 7);
			free(q);
		}
		free(p);
	}
}
END_TEST

/*
 * Every step-th byte from from changed (its low bit, its high bit or
 * all of it, by turns): an error or a read, never a crash.
 */
static void
flip_all(const char *name, size_t from, size_t step)
{
	static const unsigned char masks[] = { 0x01, 0x80, 0xff };
	unsigned char *p, m;
	size_t len, i;
	unsigned long ok = 0, bad = 0;

	p = load(name, &len);
	for (i = from; i < len; i += step) {
		m = masks[i % 3];
		p[i] ^= m;
		if (read_all(p, len, i % 2 ? 7 : 64) == RTA_OK)
			ok++;
		else
			bad++;
		p[i] ^= m;
	}
	/* both outcomes happen */
	ck_assert_uint_gt(ok, 0);
	ck_assert_uint_gt(bad, 0);
	free(p);
}

/* Where the footer of a file starts. */
static size_t
footer_start(const char *name)
{
	unsigned char *p;
	size_t len;
	uint32_t flen;

	p = load(name, &len);
	flen = rta_get_u32(p + len - 8);
	free(p);
	return len - 8 - flen;
}

START_TEST(flipped_footer)
{
	flip_all("duckdb-ref.parquet", footer_start("duckdb-ref.parquet"),
	    1);
	flip_all("duckdb-ref-uncompressed.parquet",
	    footer_start("duckdb-ref-uncompressed.parquet"), 1);
}
END_TEST

START_TEST(flipped_pages)
{
	flip_all("duckdb-ref.parquet", 4, 1);
	flip_all("duckdb-ref-uncompressed.parquet", 4, 3);
	flip_all("duckdb-ref-v2-uncompressed.parquet", 4, 1);
}
END_TEST

/* ---- files built byte by byte -------------------------------------- */

enum { T_TRUE = 1, T_FALSE, T_I8, T_I16, T_I32, T_I64, T_DOUBLE, T_BINARY,
	T_LIST, T_SET, T_MAP, T_STRUCT };

/* A Thrift compact writer: the last field id of each open struct. */
struct tw {
	struct rta_buf	*b;
	int		 last[64];
	int		 d;
};

static void
tw_byte(struct tw *w, unsigned v)
{
	ck_assert_int_eq(rta_buf_addc(w->b, (int)v), 0);
}

static void
tw_uvar(struct tw *w, uint64_t v)
{
	while (v >= 0x80) {
		tw_byte(w, (unsigned)(v & 0x7f) | 0x80);
		v >>= 7;
	}
	tw_byte(w, (unsigned)v);
}

static void
tw_zz(struct tw *w, int64_t v)
{
	tw_uvar(w, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static void
tw_field(struct tw *w, int id, int type)
{
	int delta = id - w->last[w->d];

	if (delta > 0 && delta <= 15)
		tw_byte(w, (unsigned)(delta << 4 | type));
	else {
		tw_byte(w, (unsigned)type);
		tw_zz(w, id);
	}
	w->last[w->d] = id;
}

static void
tw_begin(struct tw *w)
{
	w->last[++w->d] = 0;
}

static void
tw_end(struct tw *w)
{
	tw_byte(w, 0);
	w->d--;
}

static void
tw_int(struct tw *w, int id, int type, int64_t v)
{
	tw_field(w, id, type);
	tw_zz(w, v);
}

static void
tw_bin(struct tw *w, int id, const void *p, size_t n)
{
	tw_field(w, id, T_BINARY);
	tw_uvar(w, n);
	ck_assert_int_eq(rta_buf_add(w->b, p, n), 0);
}

static void
tw_list(struct tw *w, int id, int et, size_t n)
{
	tw_field(w, id, T_LIST);
	if (n < 15)
		tw_byte(w, (unsigned)(n << 4 | (size_t)et));
	else {
		tw_byte(w, 0xf0 | (unsigned)et);
		tw_uvar(w, n);
	}
}

static void
tw_struct(struct tw *w, int id)
{
	tw_field(w, id, T_STRUCT);
	tw_begin(w);
}

/* Fields of every type under ids no reader knows. */
static void
tw_junk(struct tw *w, int id)
{
	int i;

	tw_field(w, id, T_TRUE);
	tw_field(w, id + 1, T_FALSE);
	tw_field(w, id + 2, T_I8);
	tw_byte(w, 0x80);
	tw_int(w, id + 3, T_I16, -300);
	tw_int(w, id + 4, T_I32, 1 << 30);
	tw_int(w, id + 5, T_I64, INT64_MIN);
	tw_field(w, id + 6, T_DOUBLE);
	ck_assert_int_eq(rta_buf_add(w->b, "\0\0\0\0\0\0\xf0\x3f", 8), 0);
	tw_bin(w, id + 7, "junk", 4);
	tw_list(w, id + 8, T_I32, 20);		/* the long form */
	for (i = 0; i < 20; i++)
		tw_zz(w, i);
	tw_list(w, id + 9, T_TRUE, 2);		/* bools: one byte each */
	tw_byte(w, 1);
	tw_byte(w, 2);
	tw_list(w, id + 10, T_FALSE, 1);
	tw_byte(w, 0);
	tw_field(w, id + 11, T_SET);
	tw_byte(w, 2 << 4 | T_BINARY);
	tw_uvar(w, 1);
	tw_byte(w, 'a');
	tw_uvar(w, 0);
	tw_field(w, id + 12, T_MAP);
	tw_uvar(w, 2);
	tw_byte(w, T_I32 << 4 | T_STRUCT);
	for (i = 0; i < 2; i++) {
		tw_zz(w, i);
		tw_begin(w);
		tw_int(w, 1, T_I32, i);
		tw_struct(w, 2);
		tw_bin(w, 40, "deep", 4);
		tw_end(w);
		tw_end(w);
	}
	tw_field(w, id + 13, T_MAP);
	tw_uvar(w, 0);
	tw_struct(w, id + 14);
	tw_list(w, 1, T_STRUCT, 1);
	tw_begin(w);
	tw_end(w);
	tw_end(w);
}

/* Nested structs depth deep under field id. */
static void
tw_deep(struct tw *w, int id, int depth)
{
	int i;

	for (i = 0; i < depth; i++)
		tw_struct(w, i == 0 ? id : 1);
	for (i = 0; i < depth; i++)
		tw_end(w);
}

/*
 * p[0..n) as two zstd frames that do not state their sizes, so that a
 * reader must grow its buffer as the bytes come.
 */
static void
zframes(struct rta_buf *out, const void *p, size_t n)
{
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	size_t half = n / 2, part, len, r;

	ck_assert_ptr_nonnull(cc);
	ck_assert(!ZSTD_isError(ZSTD_CCtx_setParameter(cc,
	    ZSTD_c_contentSizeFlag, 0)));
	for (part = 0; part < 2; part++) {
		len = part == 0 ? half : n - half;
		ck_assert_int_eq(rta_buf_reserve(out,
		    ZSTD_compressBound(len)), 0);
		r = ZSTD_compress2(cc, out->data + out->len,
		    out->cap - out->len, (const char *)p + part * half, len);
		ck_assert(!ZSTD_isError(r));
		ck_assert(ZSTD_getFrameContentSize(out->data + out->len, r) ==
		    ZSTD_CONTENTSIZE_UNKNOWN);
		out->len += r;
	}
	ZSTD_freeCCtx(cc);
}

struct hpage {
	int		 type;		/* 0 data, 2 dictionary, 3 v2 */
	int32_t		 nvals;
	int32_t		 enc;		/* values (or dictionary) */
	const char	*body;
	size_t		 len;
	int		 usize_delta;	/* added to the uncompressed size */
};

#define HF_JUNK		0x01	/* unknown fields everywhere */
#define HF_ZSTD		0x02	/* codec ZSTD */
#define HF_STRING	0x04	/* BYTE_ARRAY STRING, not INT64 */
#define HF_OPTIONAL	0x08
#define HF_REPEATED	0x10
#define HF_NESTED	0x20	/* the column is a group of one leaf */
#define HF_DEEP		0x40	/* a junk field nested 40 deep */
#define HF_DEEP_OK	0x80	/* ... 20 deep */
#define HF_FRAMES	0x100	/* ZSTD, as two frames without sizes */
#define HF_BADCRC	0x200	/* a page CRC that does not match */

/*
 * A file of one column "x" and one row group of rows rows, whose chunk
 * is the pages given.
 */
static void
hfile(struct rta_buf *out, const struct hpage *pg, size_t np,
    int64_t rows, unsigned flags)
{
	struct rta_buf body = RTA_BUF_INIT;
	struct tw w = { out, { 0 }, 0 };
	int64_t start = 4, data_off = -1, dict_off = -1;
	size_t i, foot, n;
	int phys = flags & HF_STRING ? 6 : 2;

	rta_buf_reset(out);
	ck_assert_int_eq(rta_buf_add(out, "PAR1", 4), 0);
	for (i = 0; i < np; i++) {
		rta_buf_reset(&body);
		if (flags & HF_ZSTD) {
			ck_assert_int_eq(rta_buf_reserve(&body,
			    ZSTD_compressBound(pg[i].len)), 0);
			n = ZSTD_compress(body.data, body.cap, pg[i].body,
			    pg[i].len, 3);
			ck_assert(!ZSTD_isError(n));
			body.len = n;
		} else if (flags & HF_FRAMES)
			zframes(&body, pg[i].body, pg[i].len);
		else
			ck_assert_int_eq(rta_buf_add(&body, pg[i].body,
			    pg[i].len), 0);
		if (pg[i].type == 2 && dict_off < 0)
			dict_off = (int64_t)out->len;
		else if (pg[i].type != 2 && data_off < 0)
			data_off = (int64_t)out->len;
		tw_begin(&w);
		tw_int(&w, 1, T_I32, pg[i].type);
		tw_int(&w, 2, T_I32, (int64_t)pg[i].len + pg[i].usize_delta);
		tw_int(&w, 3, T_I32, (int64_t)body.len);
		if (flags & (HF_JUNK | HF_BADCRC))	/* the page's CRC-32 */
			tw_int(&w, 4, T_I32, (int32_t)(rta_crc32(0, body.data,
			    body.len) ^ (flags & HF_BADCRC ? 1U : 0U)));
		tw_struct(&w, pg[i].type == 2 ? 7 : pg[i].type == 3 ? 8 : 5);
		tw_int(&w, 1, T_I32, pg[i].nvals);
		tw_int(&w, 2, T_I32, pg[i].enc);
		if (pg[i].type != 2) {
			tw_int(&w, 3, T_I32, 3);
			tw_int(&w, 4, T_I32, 3);
		}
		if (flags & HF_JUNK)
			tw_junk(&w, 30);
		tw_end(&w);
		if (flags & HF_JUNK)
			tw_junk(&w, 20);
		tw_end(&w);
		ck_assert_int_eq(rta_buf_add(out, body.data, body.len), 0);
	}
	rta_buf_release(&body);
	if (data_off < 0)
		data_off = (int64_t)out->len - 1;
	if (dict_off >= 0)
		start = dict_off;
	foot = out->len;
	tw_begin(&w);
	tw_int(&w, 1, T_I32, 1);
	tw_list(&w, 2, T_STRUCT, flags & HF_NESTED ? 3 : 2);
	tw_begin(&w);
	tw_bin(&w, 4, "schema", 6);
	tw_int(&w, 5, T_I32, 1);
	tw_end(&w);
	if (flags & HF_NESTED) {
		tw_begin(&w);
		tw_bin(&w, 4, "g", 1);
		tw_int(&w, 5, T_I32, 1);
		tw_end(&w);
	}
	tw_begin(&w);
	tw_int(&w, 1, T_I32, phys);
	tw_int(&w, 3, T_I32, flags & HF_REPEATED ? 2 :
	    flags & HF_OPTIONAL ? 1 : 0);
	tw_bin(&w, 4, "x", 1);
	if (flags & HF_STRING) {
		tw_int(&w, 6, T_I32, 0);
		tw_struct(&w, 10);
		tw_struct(&w, 1);
		tw_end(&w);
		tw_end(&w);
	}
	if (flags & HF_JUNK)
		tw_junk(&w, 50);
	tw_end(&w);
	tw_int(&w, 3, T_I64, rows);
	tw_list(&w, 4, T_STRUCT, 1);
	tw_begin(&w);
	tw_list(&w, 1, T_STRUCT, 1);
	tw_begin(&w);
	tw_int(&w, 2, T_I64, 0);
	tw_struct(&w, 3);
	tw_int(&w, 1, T_I32, phys);
	tw_list(&w, 2, T_I32, 1);
	tw_zz(&w, 0);
	tw_list(&w, 3, T_BINARY, 1);
	tw_uvar(&w, 1);
	tw_byte(&w, 'x');
	tw_int(&w, 4, T_I32, flags & (HF_ZSTD | HF_FRAMES) ? 6 : 0);
	tw_int(&w, 5, T_I64, rows);
	tw_int(&w, 6, T_I64, (int64_t)foot - start);
	tw_int(&w, 7, T_I64, (int64_t)foot - start);
	tw_int(&w, 9, T_I64, data_off);
	if (dict_off >= 0)
		tw_int(&w, 11, T_I64, dict_off);
	tw_struct(&w, 12);
	tw_bin(&w, 1, "\x07\0\0\0\0\0\0\0", 8);		/* max */
	tw_bin(&w, 2, "\x02\0\0\0\0\0\0\0", 8);		/* min */
	if (flags & HF_JUNK)
		tw_junk(&w, 40);
	tw_end(&w);
	if (flags & HF_DEEP)
		tw_deep(&w, 60, 40);
	if (flags & HF_DEEP_OK)
		tw_deep(&w, 60, 20);
	tw_end(&w);
	tw_end(&w);
	tw_int(&w, 3, T_I64, rows);
	tw_end(&w);
	tw_bin(&w, 6, "hand", 4);
	if (flags & HF_JUNK)
		tw_junk(&w, 200);
	tw_end(&w);
	ck_assert_int_eq(w.d, 0);
	ck_assert_int_eq(rta_buf_add_u32(out, (uint32_t)(out->len - foot)),
	    0);
	ck_assert_int_eq(rta_buf_add(out, "PAR1", 4), 0);
}

#define PAGE(t, n, e, s)	{ (t), (n), (e), (s), sizeof(s) - 1, 0 }

/*
 * Read hand-built bytes with batches of bs: RTA_OK and the values in
 * out (nulls as INT64_MIN, strings' lengths), or the error with its text.
 */
static int
hread(const struct rta_buf *file, size_t bs, int64_t *out, size_t max,
    size_t *n, struct rta_error *err)
{
	struct rta_pq_cursor *c;
	struct rta_pq_file *f;
	struct rta_pq_batch b;
	unsigned char *p;
	size_t k;
	int rc;

	*n = 0;
	p = malloc(file->len);
	ck_assert_ptr_nonnull(p);
	memcpy(p, file->data, file->len);
	if ((rc = rta_pq_open(p, file->len, "h.parquet", &f, err)) !=
	    RTA_OK) {
		free(p);
		return rc;
	}
	ck_assert_int_eq(rta_pq_cursor_open(f, 0, 0, &c, err), RTA_OK);
	while ((rc = rta_pq_cursor_next(c, bs, &b, err)) == RTA_OK)
		for (k = 0; k < b.n; k++) {
			ck_assert_uint_lt(*n, max);
			out[(*n)++] = b.valid != NULL && !b.valid[k] ?
			    INT64_MIN : b.i64 != NULL ? b.i64[k] :
			    (int64_t)b.slen[k];
		}
	rta_pq_cursor_close(c);
	rta_pq_close(f);
	free(p);
	return rc == RTA_EOF ? RTA_OK : rc;
}

/* The pages read to want[0..nwant) at batch sizes 1, 3 and 64. */
static void
h_reads(const struct hpage *pg, size_t np, unsigned flags,
    const int64_t *want, size_t nwant)
{
	static const size_t bs[] = { 1, 3, 64 };
	struct rta_buf file = RTA_BUF_INIT;
	struct rta_error err;
	int64_t got[256];
	size_t n, i, j;

	ck_assert_uint_le(nwant, 256);
	hfile(&file, pg, np, (int64_t)nwant, flags);
	for (j = 0; j < 3; j++) {
		ck_assert_msg(hread(&file, bs[j], got, 256, &n, &err) ==
		    RTA_OK, "%s", err.text);
		ck_assert_uint_eq(n, nwant);
		for (i = 0; i < n; i++)
			ck_assert_msg(got[i] == want[i], "row %zu: %lld, not "
			    "%lld", i, (long long)got[i], (long long)want[i]);
	}
	rta_buf_release(&file);
}

/* The pages, claimed to hold rows rows, fail with text ending in what. */
static void
h_fails(const struct hpage *pg, size_t np, unsigned flags, int64_t rows,
    const char *what)
{
	struct rta_buf file = RTA_BUF_INIT;
	struct rta_error err;
	int64_t got[256];
	size_t n, wl = strlen(what), tl;

	hfile(&file, pg, np, rows, flags);
	ck_assert_int_eq(hread(&file, 5, got, 256, &n, &err), RTA_EDATA);
	tl = strlen(err.text);
	ck_assert_msg(tl >= wl && strcmp(err.text + tl - wl, what) == 0,
	    "'%s' does not end in '%s'", err.text, what);
	ck_assert_msg(strncmp(err.text, "h.parquet: ", 11) == 0, "%s",
	    err.text);
	rta_buf_release(&file);
}

/* Dictionary 10, 20, 30 (INT64 PLAIN). */
#define DICT3	PAGE(2, 3, 0, "\x0a\0\0\0\0\0\0\0\x14\0\0\0\0\0\0\0" \
		    "\x1e\0\0\0\0\0\0\0")

START_TEST(rle_bit_width_zero)
{
	/* one entry: width 0, an RLE run of 9 (no value bytes) */
	const struct hpage rle[] = {
		PAGE(2, 1, 0, "\x2a\0\0\0\0\0\0\0"),
		PAGE(0, 9, 8, "\x00\x12"),
	};
	/* width 0, bit-packed: 2 groups, no bytes; then a run of 1 */
	const struct hpage packed[] = {
		PAGE(2, 1, 2, "\x2a\0\0\0\0\0\0\0"),
		PAGE(0, 17, 2, "\x00\x05\x02"),
	};
	int64_t want[17];
	size_t i;

	for (i = 0; i < 17; i++)
		want[i] = 42;
	h_reads(rle, 2, 0, want, 9);
	h_reads(rle, 2, HF_ZSTD, want, 9);
	h_reads(packed, 2, 0, want, 17);
}
END_TEST

START_TEST(rle_padding)
{
	/* indices 2,0,1,1,2 packed in one group of width 2; the padding
	 * holds 3, beyond the dictionary, and is never a value */
	const struct hpage idx[] = {
		DICT3,
		PAGE(0, 5, 8, "\x02\x03\x52\xfe"),
	};
	const int64_t want_idx[] = { 30, 10, 20, 20, 30 };
	/* def levels 1,1,0,1,1,1,1,1,1,1 in 2 groups, padding bits set */
	const struct hpage lv[] = {
		PAGE(0, 10, 0, "\x03\0\0\0\x05\xfb\xff"
		    "\x01\0\0\0\0\0\0\0\x02\0\0\0\0\0\0\0"
		    "\x03\0\0\0\0\0\0\0\x04\0\0\0\0\0\0\0"
		    "\x05\0\0\0\0\0\0\0\x06\0\0\0\0\0\0\0"
		    "\x07\0\0\0\0\0\0\0\x08\0\0\0\0\0\0\0"
		    "\x09\0\0\0\0\0\0\0"),
	};
	const int64_t want_lv[] = { 1, 2, INT64_MIN, 3, 4, 5, 6, 7, 8, 9 };
	/* DuckDB's way: the run padded to 32 groups (256 values) */
	char body[2 + 64 + 1];
	struct hpage duck[] = { DICT3, { 0, 5, 2, body, sizeof(body), 0 } };

	h_reads(idx, 2, 0, want_idx, 5);
	h_reads(idx, 2, HF_JUNK, want_idx, 5);
	h_reads(lv, 1, HF_OPTIONAL, want_lv, 10);
	memset(body, 0, sizeof(body));
	body[0] = 2;
	body[1] = 0x41;
	body[2] = 0x52;
	body[3] = 0x02;
	h_reads(duck, 2, 0, want_idx, 5);
}
END_TEST

START_TEST(rle_runs)
{
	/* a run longer than the page needs: the page's values only */
	const struct hpage longrun[] = {
		DICT3,
		PAGE(0, 5, 8, "\x02\xc8\x01\x01"),
	};
	const int64_t want_long[] = { 20, 20, 20, 20, 20 };
	/* mixed runs across batch and group edges: 3 x idx1, then 8
	 * packed (0,1,2,0,1,2,0,1), then 2 x idx2 */
	const struct hpage mixed[] = {
		DICT3,
		PAGE(0, 13, 8, "\x02\x06\x01\x03\x24\x49\x04\x02"),
	};
	const int64_t want_mixed[] = { 20, 20, 20, 10, 20, 30, 10, 20, 30,
	    10, 20, 30, 30 };

	h_reads(longrun, 2, 0, want_long, 5);
	h_reads(mixed, 2, 0, want_mixed, 13);
	h_reads(mixed, 2, HF_ZSTD | HF_JUNK, want_mixed, 13);
}
END_TEST

START_TEST(pages)
{
	/* three pages, one of them empty, batches crossing them */
	const struct hpage three[] = {
		PAGE(0, 2, 0, "\x01\0\0\0\0\0\0\0\x02\0\0\0\0\0\0\0"),
		PAGE(0, 0, 0, ""),
		PAGE(0, 3, 0, "\x03\0\0\0\0\0\0\0\x04\0\0\0\0\0\0\0"
		    "\x05\0\0\0\0\0\0\0"),
	};
	const int64_t want[] = { 1, 2, 3, 4, 5 };
	/* strings, optional, PLAIN: lengths stand for the values */
	const struct hpage str[] = {
		PAGE(0, 4, 0, "\x02\0\0\0\x03\x0d\x02\0\0\0ab\0\0\0\0"
		    "\x03\0\0\0\xc3\xa9z"),
	};
	const int64_t want_str[] = { 2, INT64_MIN, 0, 3 };

	h_reads(three, 3, 0, want, 5);
	h_reads(three, 3, HF_ZSTD, want, 5);
	h_reads(str, 1, HF_STRING | HF_OPTIONAL, want_str, 4);
}
END_TEST

/* A page of 300,000 bytes in two frames of unknown size. */
START_TEST(zstd_frames)
{
	struct rta_buf file = RTA_BUF_INIT;
	struct rta_pq_cursor *c;
	struct rta_pq_file *f;
	struct rta_pq_batch b;
	struct rta_error err;
	struct hpage pg[1];
	unsigned char *body;
	size_t n = 37500, i, k = 0;
	int rc;

	body = malloc(n * 8);
	ck_assert_ptr_nonnull(body);
	for (i = 0; i < n; i++)
		rta_put_u64(body + 8 * i, i * 3);
	pg[0] = (struct hpage){ 0, (int32_t)n, 0, (const char *)body, n * 8,
	    0 };
	hfile(&file, pg, 1, (int64_t)n, HF_FRAMES);
	ck_assert_int_eq(rta_pq_open(file.data, file.len, "h", &f, &err),
	    RTA_OK);
	ck_assert_int_eq(rta_pq_cursor_open(f, 0, 0, &c, &err), RTA_OK);
	while ((rc = rta_pq_cursor_next(c, 1000, &b, &err)) == RTA_OK)
		for (i = 0; i < b.n; i++, k++)
			ck_assert_int_eq(b.i64[i], (int64_t)k * 3);
	ck_assert_msg(rc == RTA_EOF, "%s", err.text);
	ck_assert_uint_eq(k, n);
	rta_pq_cursor_close(c);
	rta_pq_close(f);
	/* one byte fewer or more than stated */
	pg[0].usize_delta = 1;
	h_fails(pg, 1, HF_FRAMES, (int64_t)n, "page body smaller than its "
	    "header says");
	pg[0].usize_delta = -1;
	h_fails(pg, 1, HF_FRAMES, (int64_t)n, "page body larger than its "
	    "header says");
	rta_buf_release(&file);
	free(body);
}
END_TEST

START_TEST(thrift)
{
	const struct hpage pg[] = {
		PAGE(0, 2, 0, "\x01\0\0\0\0\0\0\0\x02\0\0\0\0\0\0\0"),
	};
	const int64_t want[] = { 1, 2 };
	struct rta_buf file = RTA_BUF_INIT;
	struct rta_pq_file *f;
	struct rta_pq_stats st;
	struct rta_error err;

	h_reads(pg, 1, HF_JUNK, want, 2);
	h_reads(pg, 1, HF_DEEP_OK, want, 2);
	/* a page whose bytes are not the ones its CRC-32 was taken of */
	h_fails(pg, 1, HF_BADCRC, 2, "h.parquet: column x, row group 0: "
	    "page at offset 4: page checksum mismatch");
	h_fails(pg, 1, HF_DEEP, 2, "h.parquet: footer: nested too deeply");
	/* the deprecated min/max stand in for numbers */
	hfile(&file, pg, 1, 2, HF_JUNK);
	ck_assert_int_eq(rta_pq_open(file.data, file.len, "h", &f, &err),
	    RTA_OK);
	rta_pq_stats(f, 0, 0, &st);
	ck_assert_int_eq(st.has_minmax, 1);
	ck_assert_int_eq(st.has_nulls, 0);
	ck_assert_int_eq(st.min.i, 2);
	ck_assert_int_eq(st.max.i, 7);
	ck_assert_str_eq(rta_pq_created_by(f), "hand");
	rta_pq_close(f);
	/* ... but not for strings, whose order they get wrong */
	hfile(&file, pg, 1, 2, HF_STRING);
	ck_assert_int_eq(rta_pq_open(file.data, file.len, "h", &f, &err),
	    RTA_OK);
	rta_pq_stats(f, 0, 0, &st);
	ck_assert_int_eq(st.has_minmax, 0);
	rta_pq_close(f);
	rta_buf_release(&file);
}
END_TEST

/*
 * DELTA_BINARY_PACKED: a block of 128 in 4 miniblocks, two values.
 * Unused miniblocks' widths may be anything; each part of the header,
 * the block, the widths and the values is checked against the page.
 */
START_TEST(delta_pages)
{
	const struct hpage ok[] = {
		PAGE(0, 2, 5, "\x80\x01\x04\x02\x02\x02\x00\xc8\xc8\xc8"),
	};
	const struct hpage down[] = {		/* 5 then 3: delta -2 */
		PAGE(0, 2, 5, "\x80\x01\x04\x02\x0a\x03\x00\x00\x00\x00"),
	};
	const struct hpage packed[] = {		/* 7, 7+1+2, 7+1+2+1+3 */
		PAGE(0, 3, 5, "\x80\x01\x04\x03\x0e\x02\x02\x00\x00\x00"
		    "\x0e\0\0\0\0\0\0\0"),
	};
	const struct hpage split[] = {
		PAGE(0, 2, 9, "\x01\x02\0\0\0\0\0\0\0\0\0\0\0\0\0\xff"),
	};
	const struct hpage bsize[] = { PAGE(0, 2, 5, "\0\0\0\0") };
	const struct hpage nmini[] = {
		PAGE(0, 2, 5, "\x80\x01\x03\x02\x02"),
	};
	const struct hpage count[] = {
		PAGE(0, 2, 5, "\x80\x01\x04\x03\x02"),
	};
	const struct hpage wide[] = {
		PAGE(0, 2, 5, "\x80\x01\x04\x02\x02\x02\x41\x00\x00\x00"),
	};
	const struct hpage past[] = {
		PAGE(0, 2, 5, "\x80\x01\x04\x02\x02\x02\x08\x00\x00\x00"),
	};
	const struct hpage hdr[] = { PAGE(0, 2, 5, "\x80\x01\x04") };
	const struct hpage block[] = {
		PAGE(0, 2, 5, "\x80\x01\x04\x02\x02"),
	};
	const struct hpage widths[] = {
		PAGE(0, 2, 5, "\x80\x01\x04\x02\x02\x02\x00"),
	};
	const struct hpage short_split[] = {
		PAGE(0, 2, 9, "\x01\x02\0"),
	};
	const int64_t want[] = { 1, 2 }, want_down[] = { 5, 3 };
	const int64_t want_packed[] = { 7, 10, 14 };
	const int64_t want_split[] = { 1, (int64_t)0xff00000000000002ULL };

	h_reads(ok, 1, 0, want, 2);
	h_reads(down, 1, 0, want_down, 2);
	h_reads(packed, 1, 0, want_packed, 3);
	h_reads(split, 1, 0, want_split, 2);
	h_fails(bsize, 1, 0, 2, "bad delta block size");
	h_fails(nmini, 1, 0, 2, "bad delta miniblock count");
	h_fails(count, 1, 0, 2, "delta value count differs from the page's");
	h_fails(wide, 1, 0, 2, "delta bit width past 64");
	h_fails(past, 1, 0, 2, "delta values past the page end");
	h_fails(hdr, 1, 0, 2, "delta header past the page end");
	h_fails(block, 1, 0, 2, "delta block past the page end");
	h_fails(widths, 1, 0, 2, "delta bit widths past the page end");
	h_fails(short_split, 1, 0, 2, "byte streams of the wrong length");
}
END_TEST

START_TEST(refusals)
{
	const struct hpage dict[] = { DICT3, PAGE(0, 2, 8, "\x02\x04\x01") };
	const struct hpage plain[] = {
		PAGE(0, 2, 0, "\x01\0\0\0\0\0\0\0\x02\0\0\0\0\0\0\0"),
	};
	const struct hpage v2[] = { PAGE(3, 2, 0, "") };
	const struct hpage dlba[] = { PAGE(0, 2, 6, "\0\0\0\0") };
	const struct hpage sdelta[] = { PAGE(0, 1, 5, "\0\0\0\0") };
	const struct hpage wide[] = { DICT3, PAGE(0, 2, 8, "\x21\x04\x01") };
	const struct hpage range[] = { DICT3, PAGE(0, 2, 8, "\x02\x04\x03") };
	const struct hpage nodict[] = { PAGE(0, 2, 8, "\x02\x04\x01") };
	const struct hpage past[] = { DICT3, PAGE(0, 9, 8, "\x02\x03\x52") };
	const struct hpage lv2[] = {
		PAGE(0, 2, 0, "\x02\0\0\0\x04\x02\x01\0\0\0\0\0\0\0"),
	};
	const struct hpage badutf[] = {
		PAGE(0, 1, 0, "\x02\0\0\0\xc3\x28"),
	};
	struct hpage big[] = {
		PAGE(0, 2, 0, "\x01\0\0\0\0\0\0\0\x02\0\0\0\0\0\0\0"),
	};

	h_fails(plain, 1, 0, 3, "chunk ends after 2 of its 3 values");
	h_fails(plain, 1, 0, 1, "more values than the chunk holds");
	h_fails(dict, 2, HF_REPEATED, 2, "h.parquet: column x: repeated "
	    "fields not supported");
	h_fails(dict, 2, HF_NESTED, 2, "h.parquet: column g: nested "
	    "schemas not supported");
	h_fails(v2, 1, 0, 2, "DATA_PAGE_V2 not supported");
	h_fails(dlba, 1, 0, 2, "encoding DELTA_LENGTH_BYTE_ARRAY not "
	    "supported for INT64");
	h_fails(sdelta, 1, HF_STRING, 1, "encoding DELTA_BINARY_PACKED not "
	    "supported for BYTE_ARRAY");
	h_fails(wide, 2, 0, 2, "bad dictionary index bit width");
	h_fails(range, 2, 0, 2, "dictionary index out of range");
	h_fails(nodict, 1, 0, 2, "dictionary indices without a dictionary");
	h_fails(past, 2, 0, 9, "dictionary indices: bit-packed run past the "
	    "end");
	h_fails(lv2, 1, HF_OPTIONAL, 2, "definition levels: run value "
	    "wider than its bit width");
	h_fails(badutf, 1, HF_STRING, 1, "h.parquet: column x, row group 0: "
	    "page at offset 4: value not UTF-8");
	big[0].usize_delta = 1;
	h_fails(big, 1, HF_ZSTD, 2, "page body smaller than its header "
	    "says");
	big[0].usize_delta = -1;
	h_fails(big, 1, HF_ZSTD, 2, "page body larger than its header says");
	h_fails(big, 1, 0, 2, "uncompressed page with two sizes");
	big[0].usize_delta = 300 << 20;
	h_fails(big, 1, HF_ZSTD, 2, "page larger than the limit");
}
END_TEST

START_TEST(not_parquet)
{
	struct rta_pq_file *f;
	struct rta_error err;

	ck_assert_int_eq(rta_pq_open((const unsigned char *)"", 0, "e", &f,
	    &err), RTA_EDATA);
	ck_assert_str_eq(err.text, "e: not a Parquet file");
	ck_assert_int_eq(rta_pq_open((const unsigned char *)
	    "PAR1\0\0\0\0\0\0\0\0PAR1", 16, "z", &f, &err), RTA_EDATA);
	ck_assert_str_eq(err.text, "z: footer: truncated");
	ck_assert_int_eq(rta_pq_open((const unsigned char *)
	    "PAR1\0\0\xff\0\0\0PAR1", 14, "w", &f, &err), RTA_EDATA);
	ck_assert_str_eq(err.text, "w: not a Parquet file");
}
END_TEST

/* ---- allocation failures ------------------------------------------- */

static int
fault_child(unsigned long n)
{
	struct rta_pq_cursor *c;
	struct rta_pq_file *f;
	struct rta_pq_batch b;
	struct rta_error err;
	unsigned char *p;
	size_t len, rg, i;
	char spec[64];
	void *q;
	int rc;

	p = load("duckdb-ref.parquet", &len);
	snprintf(spec, sizeof(spec), "alloc:%lu:persistent", n);
	setenv("RTA_FAULT", spec, 1);
	if ((rc = rta_pq_open(p, len, "ref", &f, &err)) != RTA_OK)
		return rc == RTA_ENOMEM && f == NULL ? 1 : 10;
	for (rg = 0; rg < 2; rg++)
		for (i = 0; i < REF_COLS; i++) {
			if ((rc = rta_pq_cursor_open(f, rg, i, &c, &err)) !=
			    RTA_OK) {
				rta_pq_close(f);
				return rc == RTA_ENOMEM ? 1 : 10;
			}
			while ((rc = rta_pq_cursor_next(c, 50, &b, &err)) ==
			    RTA_OK)
				;
			/* a failure is for good */
			if (rc != RTA_EOF && rta_pq_cursor_next(c, 50, &b,
			    &err) != rc)
				rc = RTA_EINVAL;
			rta_pq_cursor_close(c);
			if (rc != RTA_EOF) {
				rta_pq_close(f);
				return rc == RTA_ENOMEM ? 1 : 10;
			}
		}
	rta_pq_close(f);
	free(p);
	if ((q = rta_malloc(1)) == NULL)
		return 1;
	rta_free(q);
	return n == 1 ? 12 : 0;
}

START_TEST(allocation_failures)
{
	ck_assert_uint_gt(unit_alloc_failures(fault_child, NULL), 20);
}
END_TEST

static Suite *
parquet_read_suite(void)
{
	Suite *s = suite_create("rta_parquet_read");
	TCase *tc = tcase_create("duckdb");

	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_test(tc, duckdb_rows);
	tcase_add_test(tc, duckdb_stats);
	tcase_add_test(tc, duckdb_metadata);
	tcase_add_test(tc, snappy_refused);
	tcase_add_test(tc, allocation_failures);
	suite_add_tcase(s, tc);

	tc = tcase_create("damage");
	tcase_add_test(tc, truncated);
	tcase_add_test(tc, flipped_footer);
	tcase_add_test(tc, flipped_pages);
	tcase_add_test(tc, not_parquet);
	tcase_set_timeout(tc, 600);
	suite_add_tcase(s, tc);

	tc = tcase_create("built");
	tcase_add_test(tc, rle_bit_width_zero);
	tcase_add_test(tc, rle_padding);
	tcase_add_test(tc, rle_runs);
	tcase_add_test(tc, pages);
	tcase_add_test(tc, zstd_frames);
	tcase_add_test(tc, thrift);
	tcase_add_test(tc, delta_pages);
	tcase_add_test(tc, refusals);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(parquet_read_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
