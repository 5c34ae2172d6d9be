/*
 * check_rta_parquet_write.c: the Parquet writer, by the bytes it writes.
 *
 * A small Thrift compact walker below parses the footer and the page
 * headers of every file written here, so the tests can check the exact
 * bytes reference/parquet.md gives (schema elements, RLE/bit-packed runs,
 * statistics) and the invariants of its §6.4 (chunk ranges and totals,
 * num_values, null counts, dictionary indices).  Most files are written
 * at level 0 so page bodies can be read as they are; one walk checks that
 * compressed bodies are single zstd frames of the stated size.  Readers
 * that are not ours (DuckDB, hyparquet) are run by the command tests.
 */
#define _GNU_SOURCE
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zstd.h>

#include "rta_alloc.h"
#include "rta_buf.h"
#include "rta_parquet.h"
#include "unit.h"

/* ---- a Thrift compact walker ------------------------------------------- */

struct tn {
	int			 id, type;
	int64_t			 i;		/* ints; bools as 1/0 */
	const unsigned char	*p;		/* binary */
	size_t			 len;
	size_t			 at;		/* offset of the value */
	int			 kid, next;	/* pool indices, or -1 */
	size_t			 nkids;
};

#define POOL_MAX	200000
static struct tn	*pool;
static int		 npool;

static const unsigned char *tb;		/* the buffer walked */
static size_t		 tlen;

static int
tn_new(int id, int type, size_t at)
{
	struct tn *t;

	ck_assert_int_lt(npool, POOL_MAX);
	t = &pool[npool];
	memset(t, 0, sizeof(*t));
	t->id = id;
	t->type = type;
	t->at = at;
	t->kid = t->next = -1;
	return npool++;
}

static void
tn_add(int parent, int kid, int *last)
{
	if (*last < 0)
		pool[parent].kid = kid;
	else
		pool[*last].next = kid;
	*last = kid;
	pool[parent].nkids++;
}

static uint64_t
t_uleb(size_t *pos)
{
	uint64_t v = 0;
	int shift = 0;

	for (;;) {
		ck_assert_uint_lt(*pos, tlen);
		ck_assert_int_lt(shift, 64);
		v |= (uint64_t)(tb[*pos] & 0x7f) << shift;
		if ((tb[(*pos)++] & 0x80) == 0)
			return v;
		shift += 7;
	}
}

static int64_t
t_zz(size_t *pos)
{
	uint64_t u = t_uleb(pos);

	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

static void t_value(int node, size_t *pos);

static void
t_struct(int node, size_t *pos)
{
	int last = -1, lastid = 0, k, type, id;
	unsigned h;

	for (;;) {
		ck_assert_uint_lt(*pos, tlen);
		h = tb[(*pos)++];
		if (h == 0)
			return;
		type = h & 15;
		id = (h >> 4) != 0 ? lastid + (int)(h >> 4) : (int)t_zz(pos);
		lastid = id;
		k = tn_new(id, type, *pos);
		tn_add(node, k, &last);
		t_value(k, pos);
	}
}

static void
t_value(int node, size_t *pos)
{
	struct tn *t = &pool[node];
	size_t n, i;
	int elem, last = -1, k;
	unsigned h;

	t->at = *pos;
	switch (t->type) {
	case 1:
	case 2:
		t->i = t->type == 1;
		break;
	case 3:
		ck_assert_uint_lt(*pos, tlen);
		t->i = (int8_t)tb[(*pos)++];
		break;
	case 4:
	case 5:
	case 6:
		t->i = t_zz(pos);
		break;
	case 7:
		ck_assert_uint_le(*pos + 8, tlen);
		*pos += 8;
		break;
	case 8:
		n = (size_t)t_uleb(pos);
		ck_assert_uint_le(n, tlen - *pos);
		t->p = tb + *pos;
		t->len = n;
		*pos += n;
		break;
	case 9:
	case 10:
		ck_assert_uint_lt(*pos, tlen);
		h = tb[(*pos)++];
		elem = h & 15;
		n = h >> 4;
		if (n == 15)
			n = (size_t)t_uleb(pos);
		for (i = 0; i < n; i++) {
			k = tn_new((int)i, elem, *pos);
			tn_add(node, k, &last);
			if (elem == 1 || elem == 2) {
				pool[k].i = tb[(*pos)++] == 1;
				continue;
			}
			t_value(k, pos);
		}
		break;
	case 12:
		t_struct(node, pos);
		break;
	default:
		ck_abort_msg("thrift type %d at %zu", t->type, *pos);
	}
}

/* Parse a struct at pos of b; returns its node, *pos past it. */
static int
t_parse(const unsigned char *b, size_t len, size_t *pos)
{
	int root;

	if (pool == NULL)
		pool = malloc(POOL_MAX * sizeof(*pool));
	ck_assert_ptr_nonnull(pool);
	tb = b;
	tlen = len;
	root = tn_new(0, 12, *pos);
	t_struct(root, pos);
	return root;
}

/* Child id of a struct (or element id of a list), or NULL. */
static struct tn *
tf(int node, int id)
{
	int k;

	ck_assert_int_ge(node, 0);
	for (k = pool[node].kid; k >= 0; k = pool[k].next)
		if (pool[k].id == id)
			return &pool[k];
	return NULL;
}

static int
tfi(int node, int id)
{
	struct tn *t = tf(node, id);

	ck_assert_msg(t != NULL, "field %d missing", id);
	return (int)(t - pool);
}

static int64_t
tint(int node, int id)
{
	return pool[tfi(node, id)].i;
}

/* ---- files ------------------------------------------------------------- */

struct file {
	struct rta_buf	 b;
	size_t		 fstart;	/* footer start */
	int		 meta;		/* FileMetaData node */
};

static struct rta_pq_writer *
wopen(const char *name, const struct rta_pq_column *cols, size_t ncols,
    const struct rta_pq_writer_opts *o, int *fd)
{
	struct rta_pq_writer *w;
	struct rta_error err;

	*fd = open(unit_path(name), O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ck_assert_int_ge(*fd, 0);
	ck_assert_int_eq(rta_pq_writer_open(*fd, cols, ncols, o, &w, &err),
	    RTA_OK);
	return w;
}

static void
wfinish(struct rta_pq_writer *w, int fd)
{
	struct rta_error err;

	ck_assert_int_eq(rta_pq_writer_finish(w, &err), RTA_OK);
	rta_pq_writer_free(w);
	close(fd);
}

static void
row(struct rta_pq_writer *w)
{
	struct rta_error err;

	ck_assert_int_eq(rta_pq_row(w, &err), RTA_OK);
}

static void
fload(struct file *f, const char *name)
{
	size_t flen, pos;

	rta_buf_init(&f->b);
	unit_read(unit_path(name), &f->b);
	ck_assert_uint_ge(f->b.len, 12);
	ck_assert_mem_eq(f->b.data, "PAR1", 4);
	ck_assert_mem_eq(f->b.data + f->b.len - 4, "PAR1", 4);
	flen = (size_t)f->b.data[f->b.len - 8] |
	    (size_t)f->b.data[f->b.len - 7] << 8 |
	    (size_t)f->b.data[f->b.len - 6] << 16 |
	    (size_t)f->b.data[f->b.len - 5] << 24;
	ck_assert_uint_le(flen, f->b.len - 12);
	f->fstart = f->b.len - 8 - flen;
	pos = f->fstart;
	npool = 0;
	f->meta = t_parse(f->b.data, f->b.len - 8, &pos);
	ck_assert_uint_eq(pos, f->b.len - 8);	/* footer length + 8 + start */
}

static void
frelease(struct file *f)
{
	rta_buf_release(&f->b);
}

/* ColumnMetaData of column c of row group g. */
static int
colmeta(const struct file *f, int g, int c)
{
	int rg = tfi(tfi(f->meta, 4), g);

	return tfi(tfi(tfi(rg, 1), c), 3);
}

/* A page of a chunk: header fields and its body. */
struct pg {
	int			 type, nvalues, enc;
	size_t			 ulen, clen, hlen;
	const unsigned char	*body;
};

static size_t
page_at(const struct file *f, size_t off, struct pg *p)
{
	size_t pos = off;
	int h, dh, save = npool;

	h = t_parse(f->b.data, f->fstart, &pos);
	p->type = (int)tint(h, 1);
	p->ulen = (size_t)tint(h, 2);
	p->clen = (size_t)tint(h, 3);
	p->hlen = pos - off;
	dh = tfi(h, p->type == 0 ? 5 : 7);
	p->nvalues = (int)tint(dh, 1);
	p->enc = (int)tint(dh, 2);
	if (p->type == 0) {
		ck_assert_int_eq(tint(dh, 3), 3);
		ck_assert_int_eq(tint(dh, 4), 3);
	}
	ck_assert_uint_le(p->clen, f->fstart - pos);
	p->body = f->b.data + pos;
	npool = save;
	return pos + p->clen;
}

/* The first data page of column c in row group g. */
static void
first_data_page(const struct file *f, int g, int c, struct pg *p)
{
	page_at(f, (size_t)tint(colmeta(f, g, c), 9), p);
	ck_assert_int_eq(p->type, 0);
}

/* Decode n values of the RLE/bit-packed hybrid in width bw. */
static size_t
rle_decode(const unsigned char *p, size_t len, unsigned bw, uint32_t *out,
    size_t n)
{
	size_t pos = 0, got = 0, k, i;
	uint64_t h;
	uint32_t v;
	int shift;

	while (got < n) {
		h = 0;
		shift = 0;
		do {
			ck_assert_uint_lt(pos, len);
			h |= (uint64_t)(p[pos] & 0x7f) << shift;
			shift += 7;
		} while (p[pos++] & 0x80);
		if ((h & 1) == 0) {
			v = 0;
			for (k = 0; k < (bw + 7) / 8; k++)
				v |= (uint32_t)p[pos++] << (8 * k);
			for (k = 0; k < h >> 1 && got < n; k++)
				out[got++] = v;
		} else {
			size_t vals = (size_t)(h >> 1) * 8, bit = pos * 8;

			ck_assert_uint_le(pos + (h >> 1) * bw, len);
			for (k = 0; k < vals; k++) {
				v = 0;
				for (i = 0; i < bw; i++, bit++)
					v |= (uint32_t)(p[bit / 8] >> (bit % 8) &
					    1) << i;
				if (got < n)
					out[got++] = v;
			}
			pos += (size_t)(h >> 1) * bw;
		}
	}
	return pos;
}

/*
 * The invariants of parquet.md §6.4 on every chunk of f; ncols columns,
 * opt[c] when column c is OPTIONAL.  Level 0 files have their def levels
 * and indices decoded too.
 */
static void
check_invariants(const struct file *f, size_t ncols, const int *opt)
{
	int rgs = tfi(f->meta, 4), g, c;
	size_t ng = pool[rgs].nkids, expect = 4;
	uint64_t rows = 0;

	ck_assert_uint_eq(pool[tfi(f->meta, 2)].nkids, ncols + 1);
	for (g = 0; g < (int)ng; g++) {
		int rg = tfi(rgs, g);
		int64_t nrows = tint(rg, 3), unc = 0, comp = 0;

		ck_assert_int_eq(tint(rg, 7), g);
		ck_assert_int_eq(tint(rg, 5), (int64_t)expect);
		ck_assert_uint_eq(pool[tfi(rg, 1)].nkids, ncols);
		for (c = 0; c < (int)ncols; c++) {
			int cc = tfi(tfi(rg, 1), c), m = tfi(cc, 3);
			struct tn *dict = tf(m, 11);
			size_t start = (size_t)tint(m, 9), pos, ndict = 0;
			int64_t nv = 0, nulls = 0, u = 0, z = 0;
			struct pg p;

			ck_assert_int_eq(tint(cc, 2), 0);
			ck_assert_int_eq(tint(m, 5), nrows);
			if (dict != NULL) {
				ck_assert_int_lt(dict->i, tint(m, 9));
				start = (size_t)dict->i;
			}
			ck_assert_uint_eq(start, expect);
			pos = start;
			while (pos < start + (size_t)tint(m, 7)) {
				pos = page_at(f, pos, &p);
				u += (int64_t)(p.hlen + p.ulen);
				z += (int64_t)(p.hlen + p.clen);
				if (tint(m, 4) == 6) {
					ck_assert_mem_eq(p.body,
					    "\x28\xb5\x2f\xfd", 4);
					ck_assert_uint_eq(
					    ZSTD_findFrameCompressedSize(
					    p.body, p.clen), p.clen);
					ck_assert_uint_eq(
					    ZSTD_getFrameContentSize(p.body,
					    p.clen), p.ulen);
				} else
					ck_assert_uint_eq(p.clen, p.ulen);
				if (p.type == 2) {
					ck_assert_uint_eq(pos - p.clen -
					    p.hlen, start);
					ndict = (size_t)p.nvalues;
					continue;
				}
				ck_assert_int_eq(p.type, 0);
				nv += p.nvalues;
				if (tint(m, 4) == 0 && opt[c]) {
					uint32_t *lv = calloc((size_t)
					    p.nvalues + 1, 4);
					uint32_t l = (uint32_t)p.body[0] |
					    (uint32_t)p.body[1] << 8 |
					    (uint32_t)p.body[2] << 16 |
					    (uint32_t)p.body[3] << 24;
					int k, nn = 0;

					ck_assert_uint_eq(rle_decode(p.body + 4,
					    l, 1, lv, (size_t)p.nvalues), l);
					for (k = 0; k < p.nvalues; k++) {
						ck_assert_uint_le(lv[k], 1);
						nulls += lv[k] == 0;
						nn += lv[k] == 1;
					}
					if (p.enc == 8 && nn > 0) {
						const unsigned char *ix =
						    p.body + 4 + l;
						uint32_t *iv = calloc((size_t)
						    nn, 4);

						ck_assert_uint_le(ix[0], 32);
						rle_decode(ix + 1, p.ulen - 5 -
						    l, ix[0], iv, (size_t)nn);
						for (k = 0; k < nn; k++)
							ck_assert_uint_lt(iv[k],
							    ndict);
						free(iv);
					}
					free(lv);
				}
			}
			ck_assert_uint_eq(pos, start + (size_t)tint(m, 7));
			ck_assert_int_eq(u, tint(m, 6));
			ck_assert_int_eq(z, tint(m, 7));
			ck_assert_int_eq(nv, nrows);
			if (tint(m, 4) == 0 && opt[c])
				ck_assert_int_eq(nulls, tint(tfi(m, 12), 3));
			if (!opt[c])
				ck_assert_int_eq(tint(tfi(m, 12), 3), 0);
			unc += u;
			comp += z;
			expect = pos;
		}
		ck_assert_int_eq(tint(rg, 2), unc);
		ck_assert_int_eq(tint(rg, 6), comp);
		rows += (uint64_t)nrows;
	}
	ck_assert_uint_eq(expect, f->fstart);
	ck_assert_int_eq(tint(f->meta, 3), (int64_t)rows);
	ck_assert_int_eq(tint(f->meta, 1), 1);
	ck_assert_uint_eq(pool[tfi(f->meta, 7)].nkids, ncols);
}

static void
opts0(struct rta_pq_writer_opts *o)
{
	rta_pq_writer_opts_init(o);
	o->level = 0;
}

static int
has_bytes(const struct file *f, const void *p, size_t n)
{
	return memmem(f->b.data + f->fstart, f->b.len - f->fstart, p, n) !=
	    NULL;
}

/* ---- footer bytes -------------------------------------------------------- */

START_TEST(type_names)
{
	ck_assert_str_eq(rta_pq_type_name(RTA_PQ_BOOL), "bool");
	ck_assert_str_eq(rta_pq_type_name(RTA_PQ_INT64), "int64");
	ck_assert_str_eq(rta_pq_type_name(RTA_PQ_DOUBLE), "double");
	ck_assert_str_eq(rta_pq_type_name(RTA_PQ_TIMESTAMP), "timestamp");
	ck_assert_str_eq(rta_pq_type_name(RTA_PQ_STRING), "string");
	ck_assert_str_eq(rta_pq_type_name(RTA_PQ_JSON), "json");
	ck_assert_str_eq(rta_pq_type_name(RTA_PQ_BINARY), "binary");
}
END_TEST

/* The schema elements of §3.6/§7, byte for byte, and a 0-row file. */
START_TEST(empty_file)
{
	static const struct rta_pq_column cols[] = {
		{ "tenant_id", RTA_PQ_STRING, 0 },
		{ "ts", RTA_PQ_TIMESTAMP, 0 },
		{ "n", RTA_PQ_INT64, 1 },
		{ "p", RTA_PQ_JSON, 1 },
		{ "b", RTA_PQ_BINARY, 1 },
		{ "d", RTA_PQ_DOUBLE, 0 },
		{ "f", RTA_PQ_BOOL, 1 },
	};
	static const unsigned char head[] = {
		0x15, 0x02, 0x19, 0x8c, 0x48, 0x06, 's', 'c', 'h', 'e', 'm',
		'a', 0x15, 0x0e, 0x00,
		/* tenant_id: BYTE_ARRAY REQUIRED UTF8 STRING */
		0x15, 0x0c, 0x25, 0x00, 0x18, 0x09, 't', 'e', 'n', 'a', 'n',
		't', '_', 'i', 'd', 0x25, 0x00, 0x4c, 0x1c, 0x00, 0x00, 0x00,
		/* ts: INT64 TIMESTAMP_MICROS TIMESTAMP(UTC, MICROS) */
		0x15, 0x04, 0x25, 0x00, 0x18, 0x02, 't', 's', 0x25, 0x14,
		0x4c, 0x8c, 0x11, 0x1c, 0x2c, 0x00, 0x00, 0x00, 0x00, 0x00,
		/* n: INT64 OPTIONAL INT_64 INTEGER(64, signed) */
		0x15, 0x04, 0x25, 0x02, 0x18, 0x01, 'n', 0x25, 0x24, 0x4c,
		0xac, 0x13, 0x40, 0x11, 0x00, 0x00, 0x00,
		/* p: JSON */
		0x15, 0x0c, 0x25, 0x02, 0x18, 0x01, 'p', 0x25, 0x26, 0x4c,
		0xcc, 0x00, 0x00, 0x00,
		/* b: no annotation; d: DOUBLE; f: BOOLEAN */
		0x15, 0x0c, 0x25, 0x02, 0x18, 0x01, 'b', 0x00,
		0x15, 0x0a, 0x25, 0x00, 0x18, 0x01, 'd', 0x00,
		0x15, 0x00, 0x25, 0x02, 0x18, 0x01, 'f', 0x00,
		/* num_rows 0, row_groups [] */
		0x16, 0x00, 0x19, 0x0c,
	};
	static const unsigned char tail[] = {
		0x28, 0x03, 'r', 't', 'a',
		0x19, 0x7c, 0x1c, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x1c, 0x00,
		0x00, 0x1c, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x1c, 0x00, 0x00,
		0x1c, 0x00, 0x00, 0x00,
	};
	struct rta_pq_writer_opts o;
	struct rta_pq_writer *w;
	struct file f;
	int fd;

	rta_pq_writer_opts_init(&o);
	o.created_by = "rta";
	w = wopen("e.parquet", cols, 7, &o, &fd);
	ck_assert_uint_eq(rta_pq_writer_rows(w), 0);
	wfinish(w, fd);
	fload(&f, "e.parquet");
	ck_assert_uint_eq(f.fstart, 4);
	ck_assert_uint_eq(f.b.len, 4 + sizeof(head) + sizeof(tail) + 8);
	ck_assert_mem_eq(f.b.data + 4, head, sizeof(head));
	ck_assert_mem_eq(f.b.data + 4 + sizeof(head), tail, sizeof(tail));
	ck_assert_int_eq(tint(f.meta, 3), 0);
	ck_assert_uint_eq(pool[tfi(f.meta, 4)].nkids, 0);
	frelease(&f);
}
END_TEST

/* Key-value metadata, a default created_by, a 1-row file. */
START_TEST(kv_and_created_by)
{
	static const struct rta_pq_column cols[] = {
		{ "x", RTA_PQ_INT64, 0 },
	};
	static const struct rta_pq_kv kv[] = {
		{ "rta.k", "v" }, { "rta.none", NULL },
	};
	static const unsigned char kvb[] = {
		0x19, 0x2c, 0x18, 0x05, 'r', 't', 'a', '.', 'k', 0x18, 0x01,
		'v', 0x00, 0x18, 0x08, 'r', 't', 'a', '.', 'n', 'o', 'n', 'e',
		0x00, 0x18, 0x11, 'r', 't', 'a', ' ', 'v', 'e', 'r', 's', 'i',
		'o', 'n', ' ',
	};
	struct rta_pq_writer_opts o;
	struct rta_pq_writer *w;
	struct file f;
	int fd;
	int opt[] = { 0 };

	opts0(&o);
	o.kv = kv;
	o.nkv = 2;
	w = wopen("k.parquet", cols, 1, &o, &fd);
	ck_assert_int_eq(rta_pq_int64(w, 0, -5), 0);
	row(w);
	wfinish(w, fd);
	fload(&f, "k.parquet");
	ck_assert(has_bytes(&f, kvb, sizeof(kvb)));
	check_invariants(&f, 1, opt);
	frelease(&f);
}
END_TEST

/* ---- page bodies ----------------------------------------------------------- */

/* The definition-level vectors of §4.2, on the page. */
START_TEST(def_levels)
{
	static const struct rta_pq_column cols[] = {
		{ "a", RTA_PQ_INT64, 1 }, { "b", RTA_PQ_INT64, 1 },
		{ "c", RTA_PQ_STRING, 1 },
	};
	struct rta_pq_writer_opts o;
	struct rta_pq_writer *w;
	struct pg p;
	struct file f;
	int fd, i;
	int opt[] = { 1, 1, 1 };

	opts0(&o);
	w = wopen("d.parquet", cols, 3, &o, &fd);
	for (i = 0; i < 10; i++) {
		if (i != 2)
			rta_pq_int64(w, 0, i);
		rta_pq_int64(w, 1, i);
		row(w);
	}
	wfinish(w, fd);
	fload(&f, "d.parquet");
	check_invariants(&f, 3, opt);
	first_data_page(&f, 0, 0, &p);
	ck_assert_int_eq(p.nvalues, 10);
	ck_assert_mem_eq(p.body, "\x03\x00\x00\x00\x05\xfb\x03", 7);
	/* DELTA_BINARY_PACKED 0 1 3 4 ... 9: block 128 of 4 miniblocks, 9
	 * values, first 0; smallest delta 1; the deltas less it (0 1 0 0 0
	 * 0 0 0) one bit each in the first miniblock, no bytes for the
	 * others */
	ck_assert_int_eq(p.enc, 5);
	ck_assert_uint_eq(p.ulen, 7 + 14);
	ck_assert_mem_eq(p.body + 7, "\x80\x01\x04\x09\x00" "\x02"
	    "\x01\x00\x00\x00" "\x02\x00\x00\x00", 14);
	first_data_page(&f, 0, 1, &p);
	ck_assert_mem_eq(p.body, "\x02\x00\x00\x00\x14\x01", 6);
	/* 0 .. 9: every delta 1, bit width 0 */
	ck_assert_uint_eq(p.ulen, 6 + 10);
	ck_assert_mem_eq(p.body + 6, "\x80\x01\x04\x0a\x00" "\x02"
	    "\x00\x00\x00\x00", 10);
	/* An all-null column: one RLE run of 0, no values, no bounds. */
	first_data_page(&f, 0, 2, &p);
	ck_assert_uint_eq(p.ulen, 6);
	ck_assert_mem_eq(p.body, "\x02\x00\x00\x00\x14\x00", 6);
	ck_assert_int_eq(tint(tfi(colmeta(&f, 0, 2), 12), 3), 10);
	ck_assert_ptr_null(tf(tfi(colmeta(&f, 0, 2), 12), 5));
	ck_assert_ptr_null(tf(tfi(colmeta(&f, 0, 2), 12), 6));
	ck_assert_ptr_null(tf(colmeta(&f, 0, 2), 11));
	frelease(&f);
}
END_TEST

/* Dictionaries: one entry (bit width 0 still has its run), 12 entries. */
START_TEST(dictionary)
{
	static const struct rta_pq_column cols[] = {
		{ "one", RTA_PQ_STRING, 0 }, { "twelve", RTA_PQ_STRING, 0 },
	};
	struct rta_pq_writer_opts o;
	struct rta_pq_writer *w;
	struct pg p;
	struct file f;
	unsigned char twelve[62];
	int fd, i, m;
	int opt[] = { 0, 0 };
	char s[8];

	/* width 4, 15 groups of 8, 0..11 over and over */
	twelve[0] = 0x04;
	twelve[1] = 0x1f;
	for (i = 0; i < 60; i++)
		twelve[2 + i] = "\x10\x32\x54\x76\x98\xba"[i % 6];

	opts0(&o);
	w = wopen("y.parquet", cols, 2, &o, &fd);
	for (i = 0; i < 120; i++) {
		rta_pq_bytes(w, 0, "acme", 4);
		snprintf(s, sizeof(s), "v%02d", i % 12);
		rta_pq_bytes(w, 1, s, strlen(s));
		row(w);
	}
	wfinish(w, fd);
	fload(&f, "y.parquet");
	check_invariants(&f, 2, opt);
	m = colmeta(&f, 0, 0);
	page_at(&f, (size_t)tint(m, 11), &p);
	ck_assert_int_eq(p.type, 2);
	ck_assert_int_eq(p.nvalues, 1);
	ck_assert_int_eq(p.enc, 0);
	ck_assert_uint_eq(p.ulen, 8);
	ck_assert_mem_eq(p.body, "\x04\x00\x00\x00" "acme", 8);
	first_data_page(&f, 0, 0, &p);
	ck_assert_int_eq(p.enc, 8);
	ck_assert_uint_eq(p.ulen, 3);
	ck_assert_mem_eq(p.body, "\x00\xf0\x01", 3);	/* 120 × index 0 */
	/* encodings PLAIN, RLE_DICTIONARY: no RLE without def levels */
	ck_assert_uint_eq(pool[tfi(m, 2)].nkids, 2);
	ck_assert_int_eq(pool[tfi(tfi(m, 2), 0)].i, 0);
	ck_assert_int_eq(pool[tfi(tfi(m, 2), 1)].i, 8);
	first_data_page(&f, 0, 1, &p);
	ck_assert_uint_eq(p.ulen, sizeof(twelve));
	ck_assert_mem_eq(p.body, twelve, sizeof(twelve));
	/* string bounds: min_value and max_value only */
	m = tfi(colmeta(&f, 0, 1), 12);
	ck_assert_ptr_null(tf(m, 1));
	ck_assert_ptr_null(tf(m, 2));
	ck_assert_mem_eq(pool[tfi(m, 6)].p, "v00", 3);
	ck_assert_mem_eq(pool[tfi(m, 5)].p, "v11", 3);
	frelease(&f);
}
END_TEST

/* Runs of 8 or more equal indices become RLE runs, the rest bit-packed. */
START_TEST(rle_runs)
{
	static const struct rta_pq_column cols[] = {
		{ "s", RTA_PQ_STRING, 0 },
	};
	static const char *v[] = {
		"a", "b", "c", "a", "a", "a", "a", "a", "a", "a", "a", "a",
		"a", "b", "b", "c",
	};
	/* 5 of the ten a's fill the first group of 8, so the other 5 are
	 * short of a run; the first of the 17 c's ends the second group
	 * and the other 16 are an RLE run.  Width 2. */
	static const unsigned char want[] = {
		0x02, 0x05, 0x24, 0x00, 0x00, 0x94,
	};
	struct rta_pq_writer_opts o;
	struct rta_pq_writer *w;
	struct pg p;
	struct file f;
	int fd, i;
	int opt[] = { 0 };

	opts0(&o);
	w = wopen("r.parquet", cols, 1, &o, &fd);
	for (i = 0; i < 16; i++) {
		rta_pq_bytes(w, 0, v[i], 1);
		row(w);
	}
	for (i = 0; i < 16; i++) {
		rta_pq_bytes(w, 0, "c", 1);
		row(w);
	}
	wfinish(w, fd);
	fload(&f, "r.parquet");
	check_invariants(&f, 1, opt);
	first_data_page(&f, 0, 0, &p);
	ck_assert_mem_eq(p.body, want, sizeof(want));
	/* the run: header 32, value 2 */
	ck_assert_uint_eq(p.ulen, sizeof(want) + 2);
	ck_assert_mem_eq(p.body + sizeof(want), "\x20\x02", 2);
	frelease(&f);
}
END_TEST

/* Too many distinct values, or too big a dictionary: PLAIN. */
START_TEST(dictionary_fallback)
{
	static const struct rta_pq_column cols[] = {
		{ "u", RTA_PQ_STRING, 0 }, { "h", RTA_PQ_STRING, 1 },
		{ "big", RTA_PQ_BINARY, 0 },
	};
	struct rta_pq_writer_opts o;
	struct rta_pq_writer *w;
	struct pg p;
	struct file f;
	int fd, i;
	int opt[] = { 0, 1, 0 };
	char s[32];

	opts0(&o);
	o.dict_max = 200;
	w = wopen("u.parquet", cols, 3, &o, &fd);
	for (i = 0; i < 100; i++) {
		snprintf(s, sizeof(s), "id%03d", i % 51);
		rta_pq_bytes(w, 0, s, strlen(s));
		/* 25 distinct among 50 values: a dictionary */
		if (i % 2 == 0) {
			snprintf(s, sizeof(s), "h%02d", i % 25);
			rta_pq_bytes(w, 1, s, strlen(s));
		}
		/* 10 distinct, but 10 × 29 bytes > dict_max */
		snprintf(s, sizeof(s), "blob-%020d", i % 10);
		rta_pq_bytes(w, 2, s, strlen(s));
		row(w);
	}
	wfinish(w, fd);
	fload(&f, "u.parquet");
	check_invariants(&f, 3, opt);
	ck_assert_ptr_null(tf(colmeta(&f, 0, 0), 11));
	ck_assert_ptr_nonnull(tf(colmeta(&f, 0, 1), 11));
	ck_assert_ptr_null(tf(colmeta(&f, 0, 2), 11));
	first_data_page(&f, 0, 0, &p);
	ck_assert_int_eq(p.enc, 0);
	ck_assert_uint_eq(p.ulen, 100 * (4 + 5));
	ck_assert_mem_eq(p.body, "\x05\x00\x00\x00" "id000"
	    "\x05\x00\x00\x00" "id001", 18);
	ck_assert_uint_eq(pool[tfi(colmeta(&f, 0, 0), 2)].nkids, 1);
	frelease(&f);
}
END_TEST

/* ---- statistics ------------------------------------------------------------ */

static double
le_double(const unsigned char *p)
{
	uint64_t u = 0;
	double d;
	int k;

	for (k = 7; k >= 0; k--)
		u = u << 8 | p[k];
	memcpy(&d, &u, 8);
	return d;
}

START_TEST(double_stats)
{
	static const struct rta_pq_column cols[] = {
		{ "a", RTA_PQ_DOUBLE, 0 }, { "b", RTA_PQ_DOUBLE, 0 },
		{ "c", RTA_PQ_DOUBLE, 1 }, { "d", RTA_PQ_DOUBLE, 0 },
	};
	struct rta_pq_writer_opts o;
	struct rta_pq_writer *w;
	struct file f;
	int fd, s;
	int opt[] = { 0, 0, 1, 0 };
	double a[] = { NAN, 0.0, 1.5, NAN }, b[] = { -3, 0.0, -0.0, -1 };
	double d[] = { INFINITY, -2.5, -INFINITY, 7 };
	int i;

	opts0(&o);
	w = wopen("n.parquet", cols, 4, &o, &fd);
	for (i = 0; i < 4; i++) {
		rta_pq_double(w, 0, a[i]);
		rta_pq_double(w, 1, b[i]);
		if (i != 1)
			rta_pq_double(w, 2, NAN);
		rta_pq_double(w, 3, d[i]);
		row(w);
	}
	wfinish(w, fd);
	fload(&f, "n.parquet");
	check_invariants(&f, 4, opt);
	/* a: NaN ignored, zero min widened to -0.0 */
	s = tfi(colmeta(&f, 0, 0), 12);
	ck_assert_int_eq(tint(s, 9), 2);
	ck_assert_int_eq(tint(s, 3), 0);
	ck_assert_uint_eq(pool[tfi(s, 6)].len, 8);
	ck_assert_mem_eq(pool[tfi(s, 6)].p,
	    "\x00\x00\x00\x00\x00\x00\x00\x80", 8);
	ck_assert(le_double(pool[tfi(s, 5)].p) == 1.5);
	ck_assert_mem_eq(pool[tfi(s, 1)].p, pool[tfi(s, 5)].p, 8);
	ck_assert_mem_eq(pool[tfi(s, 2)].p, pool[tfi(s, 6)].p, 8);
	/* b: a zero max is +0.0 even when -0.0 came last */
	s = tfi(colmeta(&f, 0, 1), 12);
	ck_assert(le_double(pool[tfi(s, 6)].p) == -3);
	ck_assert_mem_eq(pool[tfi(s, 5)].p, "\0\0\0\0\0\0\0\0", 8);
	ck_assert_int_eq(tint(s, 9), 0);
	/* c: all NaN: no bounds, nan_count 3, null_count 1 */
	s = tfi(colmeta(&f, 0, 2), 12);
	ck_assert_ptr_null(tf(s, 5));
	ck_assert_ptr_null(tf(s, 6));
	ck_assert_ptr_null(tf(s, 1));
	ck_assert_int_eq(tint(s, 9), 3);
	ck_assert_int_eq(tint(s, 3), 1);
	/* d: infinities are values */
	s = tfi(colmeta(&f, 0, 3), 12);
	ck_assert(le_double(pool[tfi(s, 6)].p) == -INFINITY);
	ck_assert(le_double(pool[tfi(s, 5)].p) == INFINITY);
	frelease(&f);
}
END_TEST

START_TEST(other_stats)
{
	static const struct rta_pq_column cols[] = {
		{ "i", RTA_PQ_INT64, 0 }, { "t", RTA_PQ_TIMESTAMP, 1 },
		{ "f", RTA_PQ_BOOL, 0 }, { "s", RTA_PQ_STRING, 0 },
		{ "l", RTA_PQ_STRING, 1 }, { "m", RTA_PQ_STRING, 1 },
		{ "e", RTA_PQ_BOOL, 1 },
	};
	static const char *s[] = { "z", "\xc3\xa9t\xc3\xa9", "a", "ab" };
	struct rta_pq_writer_opts o;
	struct rta_pq_writer *w;
	struct file f;
	int fd, i, st;
	int opt[] = { 0, 1, 0, 0, 1, 1, 1 };
	char l65[65], l64[64];

	memset(l65, 'x', sizeof(l65));
	memset(l64, 'y', sizeof(l64));
	opts0(&o);
	w = wopen("o.parquet", cols, 7, &o, &fd);
	for (i = 0; i < 4; i++) {
		rta_pq_int64(w, 0, i == 2 ? INT64_MIN : -i);
		if (i > 0)
			rta_pq_int64(w, 1, 1000 * i);
		rta_pq_bool(w, 2, i == 3);
		rta_pq_bytes(w, 3, s[i], strlen(s[i]));
		rta_pq_bytes(w, 4, l65, i == 1 ? 65 : 3);
		rta_pq_bytes(w, 5, l64, i == 1 ? 64 : 2);
		row(w);
	}
	wfinish(w, fd);
	fload(&f, "o.parquet");
	check_invariants(&f, 7, opt);
	st = tfi(colmeta(&f, 0, 0), 12);
	ck_assert_mem_eq(pool[tfi(st, 6)].p,
	    "\x00\x00\x00\x00\x00\x00\x00\x80", 8);
	ck_assert_mem_eq(pool[tfi(st, 5)].p, "\0\0\0\0\0\0\0\0", 8);
	st = tfi(colmeta(&f, 0, 1), 12);
	ck_assert_int_eq(tint(st, 3), 1);
	ck_assert_mem_eq(pool[tfi(st, 6)].p, "\xe8\x03\0\0\0\0\0\0", 8);
	ck_assert_mem_eq(pool[tfi(st, 5)].p, "\xb8\x0b\0\0\0\0\0\0", 8);
	st = tfi(colmeta(&f, 0, 2), 12);
	ck_assert_uint_eq(pool[tfi(st, 6)].len, 1);
	ck_assert_mem_eq(pool[tfi(st, 6)].p, "\0", 1);
	ck_assert_mem_eq(pool[tfi(st, 5)].p, "\1", 1);
	/* unsigned bytes: "été" (0xC3...) sorts after "z" */
	st = tfi(colmeta(&f, 0, 3), 12);
	ck_assert_uint_eq(pool[tfi(st, 6)].len, 1);
	ck_assert_mem_eq(pool[tfi(st, 6)].p, "a", 1);
	ck_assert_uint_eq(pool[tfi(st, 5)].len, 5);
	ck_assert_mem_eq(pool[tfi(st, 5)].p, "\xc3\xa9t\xc3\xa9", 5);
	ck_assert_ptr_null(tf(st, 1));
	ck_assert_ptr_null(tf(st, 2));
	ck_assert_ptr_null(tf(st, 9));
	/* a 65-byte max: no bounds; a 64-byte one is kept */
	st = tfi(colmeta(&f, 0, 4), 12);
	ck_assert_ptr_null(tf(st, 5));
	ck_assert_ptr_null(tf(st, 6));
	ck_assert_int_eq(tint(st, 3), 0);
	st = tfi(colmeta(&f, 0, 5), 12);
	ck_assert_uint_eq(pool[tfi(st, 5)].len, 64);
	ck_assert_uint_eq(pool[tfi(st, 6)].len, 2);
	/* an all-null BOOL column */
	st = tfi(colmeta(&f, 0, 6), 12);
	ck_assert_int_eq(tint(st, 3), 4);
	ck_assert_ptr_null(tf(st, 5));
	frelease(&f);
}
END_TEST

/* The encodings of column c of row group 0 are want[0 .. n). */
static void
check_encodings(const struct file *f, int c, const int *want, size_t n)
{
	int m = colmeta(f, 0, c);
	size_t i;

	ck_assert_uint_eq(pool[tfi(m, 2)].nkids, n);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(pool[tfi(tfi(m, 2), (int)i)].i, want[i]);
}

static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Integer r of the round trip: every bit width, both signs, extremes. */
static int64_t
rt_int(size_t r, uint64_t *rng)
{
	unsigned w = (unsigned)(r / 37) % 65;
	uint64_t x = xorshift(rng);

	switch (r / 2000) {
	case 0:			/* random values of each width */
		x = w == 64 ? x : x & (((uint64_t)1 << w) - 1);
		return (int64_t)(r % 3 == 0 ? 0 - x : x);
	case 1:			/* the extremes, alternating: deltas wrap */
		return r % 2 ? INT64_MAX : INT64_MIN;
	case 2:			/* a constant, then a countdown */
		return r < 4500 ? -7 : (int64_t)(6000 - r) * 1000003;
	default:		/* timestamps µs apart, with jitter */
		return 1795687200000000 + (int64_t)r * 1000 +
		    (int64_t)(x % 50);
	}
}

/*
 * DELTA_BINARY_PACKED integers and timestamps, BYTE_STREAM_SPLIT
 * doubles, and dictionaries of numbers with few distinct values (by
 * their bits: -0.0, 0.0 and NaN are three), with nulls, across pages
 * and row groups of odd sizes: the project's reader gets every value
 * back bit for bit.  (DuckDB and hyparquet read the same encodings in
 * the command tests.)
 */
START_TEST(numbers_round_trip)
{
	static const struct rta_pq_column cols[] = {
		{ "i", RTA_PQ_INT64, 0 }, { "t", RTA_PQ_TIMESTAMP, 1 },
		{ "d", RTA_PQ_DOUBLE, 1 }, { "e", RTA_PQ_INT64, 1 },
		{ "k", RTA_PQ_INT64, 1 }, { "p", RTA_PQ_DOUBLE, 0 },
	};
	static const int enc_i[] = { 5 }, enc_t[] = { 3, 5 };
	static const int enc_d[] = { 3, 9 }, enc_k[] = { 0, 3, 8 };
	static const int enc_p[] = { 0, 8 };
	enum { N = 8191 };
	static int64_t iv[N], tv[N], kv[N];
	static double dv[N], pv[N];
	static uint8_t tn[N], dn[N];
	struct rta_pq_writer_opts o;
	struct rta_pq_writer *w;
	struct rta_pq_file *pf;
	struct rta_pq_cursor *cur;
	struct rta_pq_batch b;
	struct rta_error err;
	struct file f;
	uint64_t rng = 88172645463325252ULL, bits;
	size_t r, rg, row0, k, j, c;
	int fd, level, rc;
	int opt[] = { 0, 1, 1, 1, 1, 0 };

	for (r = 0; r < N; r++) {
		iv[r] = rt_int(r, &rng);
		tv[r] = 1795687200000000 + (int64_t)r * 250 -
		    (int64_t)(xorshift(&rng) % 4000);
		tn[r] = r % 7 == 3;
		bits = xorshift(&rng);
		memcpy(&dv[r], &bits, 8);
		if (r % 4 == 0)
			dv[r] = (double)(r % 1000) / 100;
		if (r % 97 == 0)
			dv[r] = r % 2 ? -0.0 : NAN;
		dn[r] = r % 5 == 1;
		kv[r] = r % 11 == 0 ? INT64_MIN : (int64_t)(r % 37) - 18;
		pv[r] = r % 13 == 0 ? -0.0 : r % 17 == 0 ? NAN :
		    (double)(r * 7 % 500) / 100;
	}
	for (level = 0; level <= 3; level += 3) {
		opts0(&o);
		o.level = level;
		o.row_group_rows = 3001;
		o.page_bytes = 2000;		/* 250 values a page */
		w = wopen("rt.parquet", cols, 6, &o, &fd);
		for (r = 0; r < N; r++) {
			rta_pq_int64(w, 0, iv[r]);
			if (!tn[r])
				rta_pq_int64(w, 1, tv[r]);
			if (!dn[r])
				rta_pq_double(w, 2, dv[r]);
			if (r >= 3001 && r < 6002)	/* a null chunk */
				rta_pq_null(w, 3);
			else
				rta_pq_int64(w, 3, iv[r]);
			if (r % 3 != 0)
				rta_pq_int64(w, 4, kv[r]);
			rta_pq_double(w, 5, pv[r]);
			row(w);
		}
		wfinish(w, fd);
		fload(&f, "rt.parquet");
		check_invariants(&f, 6, opt);
		check_encodings(&f, 0, enc_i, 1);
		check_encodings(&f, 1, enc_t, 2);
		check_encodings(&f, 2, enc_d, 2);
		check_encodings(&f, 4, enc_k, 3);
		check_encodings(&f, 5, enc_p, 2);
		ck_assert_int_eq(rta_pq_open(f.b.data, f.b.len, "rt.parquet",
		    &pf, &err), RTA_OK);
		ck_assert_uint_eq(rta_pq_nrowgroups(pf), 3);
		for (c = 0; c < 6; c++)
			for (row0 = 0, rg = 0; rg < 3; rg++) {
				ck_assert_int_eq(rta_pq_cursor_open(pf, rg, c,
				    &cur, &err), RTA_OK);
				k = row0;
				while ((rc = rta_pq_cursor_next(cur,
				    c == 0 ? 77 : 4096, &b, &err)) == RTA_OK)
					for (j = 0; j < b.n; j++, k++) {
						int null = b.valid != NULL &&
						    !b.valid[j];

						switch (c) {
						case 0:
							ck_assert_int_eq(
							    b.i64[j], iv[k]);
							break;
						case 1:
							ck_assert_int_eq(null,
							    tn[k]);
							if (!null)
								ck_assert_int_eq(
								    b.i64[j],
								    tv[k]);
							break;
						case 2:
							ck_assert_int_eq(null,
							    dn[k]);
							if (!null)
								ck_assert_mem_eq(
								    &b.f64[j],
								    &dv[k], 8);
							break;
						case 3:
							ck_assert_int_eq(null,
							    k >= 3001 &&
							    k < 6002);
							if (!null)
								ck_assert_int_eq(
								    b.i64[j],
								    iv[k]);
							break;
						case 4:
							ck_assert_int_eq(null,
							    k % 3 == 0);
							if (!null)
								ck_assert_int_eq(
								    b.i64[j],
								    kv[k]);
							break;
						default:
							ck_assert_mem_eq(
							    &b.f64[j], &pv[k],
							    8);
							break;
						}
					}
				ck_assert_msg(rc == RTA_EOF, "%s", err.text);
				row0 += rta_pq_rowgroup_rows(pf, rg);
				ck_assert_uint_eq(k, row0);
				rta_pq_cursor_close(cur);
			}
		rta_pq_close(pf);
		frelease(&f);
	}
}
END_TEST

/* ---- row groups and pages ----------------------------------------------- */

/* Many row groups, pages cut at page_bytes, zstd frames: §6.4 holds. */
START_TEST(many_row_groups)
{
	static const struct rta_pq_column cols[] = {
		{ "id", RTA_PQ_INT64, 0 }, { "s", RTA_PQ_STRING, 1 },
		{ "u", RTA_PQ_STRING, 0 }, { "v", RTA_PQ_DOUBLE, 1 },
		{ "b", RTA_PQ_BOOL, 1 }, { "j", RTA_PQ_JSON, 1 },
	};
	struct rta_pq_writer_opts o;
	struct rta_pq_writer *w;
	struct file f;
	int fd, i, level;
	int opt[] = { 0, 1, 0, 1, 1, 1 };
	char s[32];

	for (level = 0; level <= 3; level += 3) {
		rta_pq_writer_opts_init(&o);
		o.level = level;
		o.row_group_rows = 1000;
		o.page_bytes = 700;
		w = wopen("m.parquet", cols, 6, &o, &fd);
		for (i = 0; i < 10500; i++) {
			rta_pq_int64(w, 0, i);
			if (i % 3 != 0) {
				snprintf(s, sizeof(s), "s%d", i % 7);
				rta_pq_bytes(w, 1, s, strlen(s));
			}
			snprintf(s, sizeof(s), "uuid-%08d", i * 7919);
			rta_pq_bytes(w, 2, s, strlen(s));
			if (i % 5 != 0)
				rta_pq_double(w, 3, i * 0.5);
			if (i % 2 != 0)
				rta_pq_bool(w, 4, i % 3 == 0);
			if (i % 11 == 0)
				rta_pq_bytes(w, 5, "{}", 2);
			row(w);
		}
		ck_assert_uint_eq(rta_pq_writer_rows(w), 10500);
		wfinish(w, fd);
		fload(&f, "m.parquet");
		ck_assert_uint_eq(pool[tfi(f.meta, 4)].nkids, 11);
		check_invariants(&f, 6, opt);
		ck_assert_int_eq(tint(tfi(tfi(f.meta, 4), 10), 3), 500);
		frelease(&f);
	}
}
END_TEST

/* ---- errors ---------------------------------------------------------------- */

START_TEST(open_refused)
{
	static const struct rta_pq_column dup[] = {
		{ "a", RTA_PQ_INT64, 0 }, { "a", RTA_PQ_STRING, 0 },
	};
	struct rta_pq_writer_opts o;
	struct rta_pq_writer *w;
	struct rta_error err;

	rta_pq_writer_opts_init(&o);
	ck_assert_int_eq(rta_pq_writer_open(1, dup, 0, &o, &w, &err),
	    RTA_EINVAL);
	ck_assert_ptr_null(w);
	ck_assert_int_eq(rta_pq_writer_open(1, dup, 2, &o, &w, &err),
	    RTA_EINVAL);
	o.row_group_rows = 0;
	ck_assert_int_eq(rta_pq_writer_open(1, dup, 1, &o, &w, &err),
	    RTA_EINVAL);
	rta_pq_writer_opts_init(&o);
	o.page_bytes = 0;
	ck_assert_int_eq(rta_pq_writer_open(1, dup, 1, &o, &w, &err),
	    RTA_EINVAL);
	rta_pq_writer_opts_init(&o);
	o.level = 99;
	ck_assert_int_eq(rta_pq_writer_open(1, dup, 1, &o, &w, &err),
	    RTA_EINVAL);
}
END_TEST

/* A REQUIRED column left null, a value of the wrong kind: the row is
 * refused and taken back, the file goes on. */
START_TEST(row_refused)
{
	static const struct rta_pq_column cols[] = {
		{ "r", RTA_PQ_INT64, 0 }, { "o", RTA_PQ_STRING, 1 },
	};
	struct rta_pq_writer_opts o;
	struct rta_pq_writer *w;
	struct rta_error err;
	struct pg p;
	struct file f;
	int fd;
	int opt[] = { 0, 1 };

	opts0(&o);
	w = wopen("q.parquet", cols, 2, &o, &fd);
	rta_pq_bytes(w, 1, "lost", 4);
	ck_assert_int_eq(rta_pq_row(w, &err), RTA_EINVAL);
	ck_assert_str_eq(err.text, "column r: no value for a required column");
	ck_assert_int_eq(rta_pq_bytes(w, 0, "x", 1), -1);
	rta_pq_int64(w, 0, 9);
	ck_assert_int_eq(rta_pq_row(w, &err), RTA_EINVAL);
	ck_assert_uint_eq(rta_pq_writer_rows(w), 0);
	/* the second value of a row replaces the first */
	rta_pq_int64(w, 0, 1);
	rta_pq_int64(w, 0, 2);
	rta_pq_bytes(w, 1, "a", 1);
	rta_pq_null(w, 1);
	row(w);
	rta_pq_int64(w, 0, 3);
	rta_pq_bytes(w, 1, "bb", 2);
	row(w);
	/* a dangling value at the end is not a row */
	rta_pq_int64(w, 0, 4);
	wfinish(w, fd);
	fload(&f, "q.parquet");
	check_invariants(&f, 2, opt);
	ck_assert_int_eq(tint(f.meta, 3), 2);
	first_data_page(&f, 0, 0, &p);
	ck_assert_uint_eq(p.ulen, 10);
	ck_assert_mem_eq(p.body, "\x80\x01\x04\x02\x04\x02\0\0\0\0", 10);
	first_data_page(&f, 0, 1, &p);
	ck_assert_mem_eq(p.body + 4, "\x03\x02", 2);	/* levels 0, 1 */
	ck_assert_mem_eq(p.body + 6, "\x02\0\0\0" "bb", 6);
	frelease(&f);
}
END_TEST

START_TEST(value_too_long)
{
	static const struct rta_pq_column cols[] = {
		{ "b", RTA_PQ_BINARY, 1 },
	};
	struct rta_pq_writer *w;
	struct rta_error err;
	struct file f;
	int fd;
	int opt[] = { 1 };
	size_t n = RTA_PQ_PAGE_MAX / 4 + 1;
	char *big = calloc(n, 1);

	ck_assert_ptr_nonnull(big);
	w = wopen("l.parquet", cols, 1, NULL, &fd);
	ck_assert_int_eq(rta_pq_bytes(w, 0, big, n), 0);
	ck_assert_int_eq(rta_pq_row(w, &err), RTA_ELIMIT);
	ck_assert_int_eq(rta_pq_bytes(w, 0, big, n - 1), 0);
	row(w);
	wfinish(w, fd);
	free(big);
	fload(&f, "l.parquet");
	check_invariants(&f, 1, opt);
	ck_assert_int_eq(tint(f.meta, 3), 1);
	frelease(&f);
}
END_TEST

/* The Nth write fails: RTA_EIO, and the writer stays dead. */
START_TEST(write_failure)
{
	static const struct rta_pq_column cols[] = {
		{ "x", RTA_PQ_INT64, 0 },
	};
	struct rta_pq_writer_opts o;
	struct rta_pq_writer *w;
	struct rta_error err;
	int fd, i, n;

	setenv("RTA_FAULT", "io:2", 1);
	rta_pq_writer_opts_init(&o);
	o.row_group_rows = 10;
	w = wopen("w.parquet", cols, 1, &o, &fd);
	for (n = 0, i = 0; i < 100 && n == 0; i++) {
		rta_pq_int64(w, 0, i);
		n = rta_pq_row(w, &err);
	}
	/* A group is written when the next one is full: the second
	 * write (group 2) fails when group 3 is full. */
	ck_assert_int_eq(n, RTA_EIO);
	ck_assert_int_eq(i, 30);
	ck_assert_ptr_nonnull(strstr(err.text, "Input/output error"));
	ck_assert_int_eq(rta_pq_int64(w, 0, 1), -1);
	ck_assert_int_eq(rta_pq_row(w, &err), RTA_EIO);
	ck_assert_int_eq(rta_pq_writer_finish(w, &err), RTA_EIO);
	rta_pq_writer_free(w);
	close(fd);
}
END_TEST

START_TEST(finish_failure)
{
	static const struct rta_pq_column cols[] = {
		{ "x", RTA_PQ_STRING, 1 },
	};
	struct rta_pq_writer *w;
	struct rta_error err;
	int fd;

	setenv("RTA_FAULT", "io:1:28", 1);
	w = wopen("w.parquet", cols, 1, NULL, &fd);
	rta_pq_bytes(w, 0, "a", 1);
	row(w);
	ck_assert_int_eq(rta_pq_writer_finish(w, &err), RTA_EIO);
	ck_assert_ptr_nonnull(strstr(err.text, "No space left on device"));
	ck_assert_int_eq(rta_pq_writer_finish(w, &err), RTA_EIO);
	rta_pq_writer_free(w);
	close(fd);
}
END_TEST

static int
fault_child(unsigned long n)
{
	static const struct rta_pq_column cols[] = {
		{ "i", RTA_PQ_INT64, 1 }, { "s", RTA_PQ_STRING, 0 },
		{ "d", RTA_PQ_DOUBLE, 1 },
	};
	static const struct rta_pq_kv kv[] = { { "k", "v" } };
	struct rta_pq_writer_opts o;
	struct rta_pq_writer *w = NULL;
	struct rta_error err;
	char spec[64], s[16];
	int fd, i, rc = 0;
	void *p;

	snprintf(spec, sizeof(spec), "alloc:%lu:persistent", n);
	fd = open(unit_path("a.parquet"), O_WRONLY | O_CREAT | O_TRUNC,
	    0644);
	if (fd < 0)
		return 13;
	setenv("RTA_FAULT", spec, 1);
	rta_pq_writer_opts_init(&o);
	o.row_group_rows = 300;
	o.page_bytes = 512;
	o.kv = kv;
	o.nkv = 1;
	o.created_by = "t";
	if (rta_pq_writer_open(fd, cols, 3, &o, &w, &err) != RTA_OK)
		return err.code == RTA_ENOMEM ? 1 : 11;
	for (i = 0; i < 2000 && rc == 0; i++) {
		snprintf(s, sizeof(s), i % 2 ? "k%d" : "u%d",
		    i % 2 ? i % 9 : i);
		if ((i % 3 && rta_pq_int64(w, 0, i) != 0) ||
		    rta_pq_bytes(w, 1, s, strlen(s)) != 0 ||
		    rta_pq_double(w, 2, i) != 0)
			rc = RTA_ENOMEM;
		else
			rc = rta_pq_row(w, &err);
	}
	if (rc == RTA_OK)
		rc = rta_pq_writer_finish(w, &err);
	rta_pq_writer_free(w);
	close(fd);
	if (rc != RTA_OK)
		return rc == RTA_ENOMEM ? 1 : 11;
	if ((p = rta_malloc(1)) == NULL)
		return 1;
	rta_free(p);
	return n == 1 ? 12 : 0;
}

START_TEST(allocation_failures)
{
	ck_assert_uint_gt(unit_alloc_failures(fault_child, NULL), 20);
}
END_TEST

/* The same rows give the same bytes, whichever thread compressed what. */
START_TEST(deterministic)
{
	static const struct rta_pq_column cols[] = {
		{ "i", RTA_PQ_INT64, 0 }, { "s", RTA_PQ_STRING, 0 },
	};
	struct rta_pq_writer_opts o;
	struct rta_pq_writer *w;
	struct rta_buf a = RTA_BUF_INIT, b = RTA_BUF_INIT;
	int fd, k, i;
	char s[32];

	rta_pq_writer_opts_init(&o);
	o.row_group_rows = 5000;
	o.page_bytes = 4096;
	for (k = 0; k < 3; k++) {
		w = wopen("z.parquet", cols, 2, &o, &fd);
		for (i = 0; i < 23456; i++) {
			rta_pq_int64(w, 0, (int64_t)i * i);
			snprintf(s, sizeof(s), "%x-%d", i * 2654435761U, i);
			rta_pq_bytes(w, 1, s, strlen(s));
			row(w);
		}
		wfinish(w, fd);
		unit_read(unit_path("z.parquet"), k == 0 ? &a : &b);
		if (k > 0) {
			ck_assert_uint_eq(a.len, b.len);
			ck_assert_mem_eq(a.data, b.data, a.len);
		}
	}
	rta_buf_release(&a);
	rta_buf_release(&b);
}
END_TEST

static Suite *
parquet_write_suite(void)
{
	Suite *s = suite_create("rta_parquet_write");
	TCase *tc;

	tc = tcase_create("footer");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, type_names);
	tcase_add_test(tc, empty_file);
	tcase_add_test(tc, kv_and_created_by);
	suite_add_tcase(s, tc);

	tc = tcase_create("pages");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, def_levels);
	tcase_add_test(tc, numbers_round_trip);
	tcase_add_test(tc, dictionary);
	tcase_add_test(tc, rle_runs);
	tcase_add_test(tc, dictionary_fallback);
	tcase_add_test(tc, many_row_groups);
	tcase_add_test(tc, deterministic);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);

	tc = tcase_create("statistics");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, double_stats);
	tcase_add_test(tc, other_stats);
	suite_add_tcase(s, tc);

	tc = tcase_create("errors");
	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, unit_tmp_setup, unit_tmp_teardown);
	tcase_add_test(tc, open_refused);
	tcase_add_test(tc, row_refused);
	tcase_add_test(tc, value_too_long);
	tcase_add_test(tc, write_failure);
	tcase_add_test(tc, finish_failure);
	tcase_add_test(tc, allocation_failures);
	tcase_set_timeout(tc, 300);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(parquet_write_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	free(pool);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
