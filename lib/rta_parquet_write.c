/*
 * rta_parquet_write.c: the Parquet writer of rta_parquet.h: options,
 * rows as they are added, and the file from open to finish.  A full row
 * group is made into page bodies by rta_parquet_encode.c and compressed
 * and written, with the footer, by rta_parquet_output.c;
 * rta_parquet_write_int.h holds what the three share.
 *
 * A row group is buffered whole, one growable array per column: 8-byte
 * values for INT64, TIMESTAMP and DOUBLE, one byte per BOOL, and for
 * byte arrays either their PLAIN encoding (uint32 length, bytes) or, while
 * the chunk still looks dictionary-worthy, a uint32 dictionary index per
 * value.  OPTIONAL columns add one validity byte per row.  Nothing is
 * allocated per value: the arrays double when full and keep their room
 * from one row group to the next.  A value call marks its column with
 * the row's stamp, so ending a row is a count check, not a loop.
 *
 * A string chunk starts as a dictionary (an open-addressing table over
 * the entries' PLAIN bytes) and falls back to PLAIN for good the moment
 * its distinct values could no longer pass the final test that
 * rta_parquet_encode.c makes (more than half of row_group_rows, or a
 * dictionary body past dict_max): the indices so far are expanded into
 * PLAIN bytes then.
 *
 * A row group is written, and counted by rta_pq_writer_bytes, when the
 * next one is full or at rta_pq_writer_finish.  Once a write or an
 * encoding step fails the writer is dead and every later call fails.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include <zstd.h>

#include "rta_alloc.h"
#include "rta_buf.h"
#include "rta_hash.h"
#include "rta_parquet.h"
#include "rta_parquet_write_int.h"
#include "rta_thrift.h"

const char *
rta_pq_type_name(enum rta_pq_type t)
{
	switch (t) {
	case RTA_PQ_BOOL:
		return "bool";
	case RTA_PQ_INT64:
		return "int64";
	case RTA_PQ_DOUBLE:
		return "double";
	case RTA_PQ_TIMESTAMP:
		return "timestamp";
	case RTA_PQ_STRING:
		return "string";
	case RTA_PQ_JSON:
		return "json";
	case RTA_PQ_BINARY:
		return "binary";
	}
	return "unknown";
}

void
rta_pq_writer_opts_init(struct rta_pq_writer_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->row_group_rows = 1048576;
	o->page_bytes = 1U << 20;
	o->level = 3;
	o->dict_max = 1U << 20;
}

/* Kill the writer with code, and return it. */
int
rta_pqw_die(struct rta_pq_writer *w, struct rta_error *err, int code,
    const char *reason, const char *what)
{
	int e = errno;

	w->dead = code;
	if (code == RTA_EIO) {
		errno = e;
		return rta_error_errno(err, what);
	}
	return rta_error_set(err, code, reason, "%s", what);
}

/* ---- buffering values --------------------------------------------------- */

/* Take back the value given to c in this row. */
static void
unset(struct rta_pq_writer *w, struct col *c)
{
	if (c->stamp != w->stamp)
		return;
	c->vals.len = c->mark;
	c->nvals--;
	c->stamp = 0;
	if (c->optional)
		c->valid[w->rg_rows] = 0;
	else
		w->nreq_set--;
}

/* Column col for a value call of kind, its value in this row taken back. */
static inline struct col *
col_get(struct rta_pq_writer *w, size_t col, int kind)
{
	struct col *c;

	if (col >= w->ncols || w->cols[col].kind != kind || w->dead ||
	    w->finished) {
		w->misuse = w->bad = 1;
		return NULL;
	}
	c = &w->cols[col];
	unset(w, c);
	return c;
}

/* The value just appended to c's vals is this row's. */
static inline void
col_set(struct rta_pq_writer *w, struct col *c, size_t mark)
{
	c->mark = mark;
	c->nvals++;
	c->stamp = w->stamp;
	if (c->optional)
		c->valid[w->rg_rows] = 1;
	else
		w->nreq_set++;
}

static inline int
put_fixed(struct rta_pq_writer *w, size_t col, int kind, const void *v,
    size_t n)
{
	struct col *c;
	size_t mark;

	if ((c = col_get(w, col, kind)) == NULL)
		return -1;
	if (rta_buf_reserve(&c->vals, n) != 0)
		return -1;
	mark = c->vals.len;
	memcpy(c->vals.data + mark, v, n);
	c->vals.len = mark + n;
	col_set(w, c, mark);
	return 0;
}

int
rta_pq_bool(struct rta_pq_writer *w, size_t col, int v)
{
	unsigned char b = v != 0;

	return put_fixed(w, col, K_BOOL, &b, 1);
}

int
rta_pq_int64(struct rta_pq_writer *w, size_t col, int64_t v)
{
	return put_fixed(w, col, K_INT, &v, 8);
}

int
rta_pq_double(struct rta_pq_writer *w, size_t col, double v)
{
	return put_fixed(w, col, K_DOUBLE, &v, 8);
}

int
rta_pq_null(struct rta_pq_writer *w, size_t col)
{
	if (col >= w->ncols || w->dead || w->finished) {
		w->misuse = w->bad = 1;
		return -1;
	}
	unset(w, &w->cols[col]);
	w->cols[col].too_big = 0;
	return 0;
}

/* Replace the indices in c->vals with the PLAIN bytes of their entries. */
int
rta_pqw_dict_expand(struct col *c)
{
	const unsigned char *idx = c->vals.data;
	size_t i, n = c->vals.len / 4;
	uint32_t k, len;
	struct rta_buf t;

	rta_buf_reset(&c->alt);
	if (rta_buf_reserve(&c->alt, c->dbody.len) != 0)
		return -1;
	for (i = 0; i < n; i++) {
		memcpy(&k, idx + 4 * i, 4);
		memcpy(&len, c->dbody.data + c->doff[k], 4);
		if (rta_buf_add(&c->alt, c->dbody.data + c->doff[k],
		    4 + (size_t)len) != 0)
			return -1;
	}
	t = c->vals;
	c->vals = c->alt;
	c->alt = t;
	c->dict = 0;
	return 0;
}

static int
dict_grow(struct col *c, uint64_t seed)
{
	size_t n = c->nslots ? c->nslots * 2 : 64, i, h;
	uint64_t *s, hv;
	uint32_t len;

	if ((s = rta_calloc(n, sizeof(*s))) == NULL)
		return -1;
	for (i = 0; i < c->ndict; i++) {
		memcpy(&len, c->dbody.data + c->doff[i], 4);
		hv = rta_hash64(c->dbody.data + c->doff[i] + 4, len, seed);
		h = (size_t)hv & (n - 1);
		while (s[h] != 0)
			h = (h + 1) & (n - 1);
		s[h] = (hv >> 32) << 32 | (uint64_t)(i + 1);
	}
	rta_free(c->slots);
	c->slots = s;
	c->nslots = n;
	return 0;
}

/*
 * The index of p in c's dictionary, adding it if new: 0 with *k set, 1
 * when the dictionary must be given up (the entry would break a limit),
 * -1 when out of memory.
 */
static int
dict_find(struct rta_pq_writer *w, struct col *c, const void *p,
    uint32_t len, uint32_t *k)
{
	uint64_t hv = rta_hash64(p, len, w->seed), tag = hv >> 32 << 32, s;
	size_t h, i;
	uint32_t l;

	if (c->nslots == 0 && dict_grow(c, w->seed) != 0)
		return -1;
	h = (size_t)hv & (c->nslots - 1);
	while ((s = c->slots[h]) != 0) {
		if ((s & 0xffffffff00000000ULL) == tag) {
			i = (size_t)(s & 0xffffffffU) - 1;
			memcpy(&l, c->dbody.data + c->doff[i], 4);
			if (l == len && memcmp(c->dbody.data + c->doff[i] + 4,
			    p, len) == 0) {
				*k = (uint32_t)i;
				return 0;
			}
		}
		h = (h + 1) & (c->nslots - 1);
	}
	if (c->ndict + 1 > w->rg_rows_max / 2 ||
	    4 + (size_t)len > w->dict_max - c->dbody.len)
		return 1;
	if (c->ndict == c->doffcap) {
		size_t nc = c->doffcap ? c->doffcap * 2 : 64;
		uint32_t *d = rta_reallocarray(c->doff, nc, sizeof(*d));

		if (d == NULL)
			return -1;
		c->doff = d;
		c->doffcap = nc;
	}
	if (rta_buf_reserve(&c->dbody, 4 + (size_t)len) != 0)
		return -1;
	c->doff[c->ndict] = (uint32_t)c->dbody.len;
	memcpy(c->dbody.data + c->dbody.len, &len, 4);
	memcpy(c->dbody.data + c->dbody.len + 4, p, len);
	c->dbody.len += 4 + (size_t)len;
	c->slots[h] = tag | (uint64_t)(c->ndict + 1);
	*k = (uint32_t)c->ndict++;
	/* On failure the entry stays, unused: harmless. */
	if (c->ndict * 2 > c->nslots && dict_grow(c, w->seed) != 0)
		return -1;
	return 0;
}

int
rta_pq_bytes(struct rta_pq_writer *w, size_t col, const void *p, size_t len)
{
	struct col *c;
	uint32_t k, l32;
	size_t mark;
	int r;

	if ((c = col_get(w, col, K_BYTES)) == NULL)
		return -1;
	c->too_big = 0;
	if (len > VALUE_MAX) {
		c->too_big = w->bad = 1;
		return 0;
	}
	l32 = (uint32_t)len;
	if (c->dict) {
		if ((r = dict_find(w, c, p, l32, &k)) < 0)
			return -1;
		if (r == 0) {
			if (rta_buf_reserve(&c->vals, 4) != 0)
				return -1;
			mark = c->vals.len;
			memcpy(c->vals.data + mark, &k, 4);
			c->vals.len = mark + 4;
			col_set(w, c, mark);
			return 0;
		}
		if (rta_pqw_dict_expand(c) != 0)
			return -1;
	}
	if (rta_buf_reserve(&c->vals, 4 + len) != 0)
		return -1;
	mark = c->vals.len;
	memcpy(c->vals.data + mark, &l32, 4);
	if (len > 0)
		memcpy(c->vals.data + mark + 4, p, len);
	c->vals.len = mark + 4 + len;
	col_set(w, c, mark);
	return 0;
}

/* ---- rows --------------------------------------------------------------- */

/* Take back every value of the row being added. */
static void
undo_row(struct rta_pq_writer *w)
{
	size_t i;

	for (i = 0; i < w->ncols; i++) {
		unset(w, &w->cols[i]);
		w->cols[i].too_big = 0;
	}
	w->bad = w->misuse = 0;
}

/* Make room for one more row in every valid[]. */
static int
grow_valid(struct rta_pq_writer *w)
{
	size_t n = w->vcap * 2, i;
	unsigned char *v;

	if (n > w->rg_rows_max)
		n = (size_t)w->rg_rows_max;
	for (i = 0; i < w->ncols; i++) {
		struct col *c = &w->cols[i];

		if (!c->optional)
			continue;
		if ((v = rta_realloc(c->valid, n)) == NULL)
			return -1;
		memset(v + w->vcap, 0, n - w->vcap);
		c->valid = v;
	}
	w->vcap = n;
	return 0;
}

/* What is wrong with the row being added, if anything. */
static int
check_row(struct rta_pq_writer *w, struct rta_error *err)
{
	size_t i;

	if (w->dead)
		return rta_error_set(err, w->dead, "dead",
		    "the Parquet writer failed earlier");
	if (w->misuse || w->finished)
		return rta_error_set(err, RTA_EINVAL, "misuse",
		    "a value call that does not match its column, "
		    "or after the end");
	for (i = 0; i < w->ncols; i++) {
		const struct col *c = &w->cols[i];

		if (c->too_big)
			return rta_error_set(err, RTA_ELIMIT, "too-big",
			    "column %s: a value longer than %u bytes",
			    c->name, (unsigned)VALUE_MAX);
		if (!c->optional && c->stamp != w->stamp)
			return rta_error_set(err, RTA_EINVAL, "null",
			    "column %s: no value for a required column",
			    c->name);
	}
	return RTA_OK;
}

int
rta_pq_row(struct rta_pq_writer *w, struct rta_error *err)
{
	int rc;

	if (w->bad || w->nreq_set != w->nreq || w->dead || w->finished) {
		if ((rc = check_row(w, err)) != RTA_OK) {
			undo_row(w);
			return rc;
		}
		w->bad = 0;
	}
	if (w->rg_rows + 1 == w->vcap && w->vcap < w->rg_rows_max &&
	    grow_valid(w) != 0) {
		undo_row(w);
		return rta_error_set(err, RTA_ENOMEM, "nomem",
		    "out of memory");
	}
	w->stamp++;
	w->nreq_set = 0;
	w->rows++;
	if (++w->rg_rows == w->rg_rows_max)
		return rta_pqw_flush_rowgroup(w, err);
	return RTA_OK;
}

/* ---- the file ----------------------------------------------------------- */

int
rta_pq_writer_finish(struct rta_pq_writer *w, struct rta_error *err)
{
	struct rta_buf f = RTA_BUF_INIT;
	unsigned char tail[8];
	struct rta_tw t;
	int rc;

	/* Values given without their rta_pq_row are not a row. */
	undo_row(w);
	if (w->dead)
		return rta_error_set(err, w->dead, "dead",
		    "the Parquet writer failed earlier");
	if (w->finished)
		return rta_error_set(err, RTA_EINVAL, "misuse",
		    "the Parquet file is already finished");
	if ((rc = rta_pqw_flush_rowgroup(w, err)) != RTA_OK ||
	    (rc = rta_pqw_land(w, err)) != RTA_OK)
		return rc;
	rta_tw_init(&t, &f);
	rta_pqw_put_footer(w, &t);
	if (t.fail || f.len > UINT32_MAX) {
		rta_buf_release(&f);
		return rta_pqw_die(w, err, RTA_ENOMEM, "nomem",
		    "out of memory");
	}
	rta_put_u32(tail, (uint32_t)f.len);
	memcpy(tail + 4, "PAR1", 4);
	if (rta_pqw_out_add(w, f.data, f.len) != 0 ||
	    rta_pqw_out_add(w, tail, 8) != 0 ||
	    rta_pqw_out_flush(w) != 0) {
		rta_buf_release(&f);
		return rta_pqw_die(w, err, RTA_EIO, "io",
		    "writing a Parquet file");
	}
	rta_buf_release(&f);
	w->finished = 1;
	rta_pqw_helper_stop(w);
	return RTA_OK;
}

static int
bad_opts(const struct rta_pq_column *cols, size_t ncols,
    const struct rta_pq_writer_opts *o)
{
	size_t i, k;

	if (cols == NULL || ncols == 0 || ncols > INT32_MAX - 1)
		return 1;
	for (i = 0; i < ncols; i++) {
		if (cols[i].name == NULL || cols[i].name[0] == '\0' ||
		    (unsigned)cols[i].type > RTA_PQ_BINARY)
			return 1;
		for (k = 0; k < i; k++)
			if (strcmp(cols[k].name, cols[i].name) == 0)
				return 1;
	}
	if (o->row_group_rows == 0 || o->row_group_rows > INT32_MAX ||
	    o->page_bytes == 0 || o->page_bytes > PAGE_BYTES_MAX ||
	    o->dict_max > RTA_PQ_PAGE_MAX ||
	    o->level < ZSTD_minCLevel() || o->level > ZSTD_maxCLevel() ||
	    (o->nkv > 0 && o->kv == NULL))
		return 1;
	for (i = 0; i < o->nkv; i++)
		if (o->kv[i].key == NULL)
			return 1;
	return 0;
}

static int
kind_of(enum rta_pq_type t)
{
	switch (t) {
	case RTA_PQ_BOOL:
		return K_BOOL;
	case RTA_PQ_INT64:
	case RTA_PQ_TIMESTAMP:
		return K_INT;
	case RTA_PQ_DOUBLE:
		return K_DOUBLE;
	default:
		return K_BYTES;
	}
}

static int
copy_opts(struct rta_pq_writer *w, const struct rta_pq_column *cols,
    const struct rta_pq_writer_opts *o)
{
	size_t i;

	for (i = 0; i < w->ncols; i++) {
		struct col *c = &w->cols[i];

		c->namelen = strlen(cols[i].name);
		if ((c->name = rta_memdup(cols[i].name, c->namelen)) == NULL)
			return -1;
		c->type = cols[i].type;
		c->kind = kind_of(c->type);
		c->optional = cols[i].optional != 0;
		c->bytes = c->kind == K_BYTES;
		c->dict = c->bytes;
		if (c->optional &&
		    (c->valid = rta_calloc(w->vcap, 1)) == NULL)
			return -1;
		if (!c->optional)
			w->nreq++;
	}
	if (o->created_by != NULL && (w->created_by =
	    rta_memdup(o->created_by, strlen(o->created_by))) == NULL)
		return -1;
	if (o->nkv > 0 &&
	    (w->kv = rta_calloc(o->nkv, sizeof(*w->kv))) == NULL)
		return -1;
	for (i = 0; i < o->nkv; i++) {
		w->nkv++;
		if ((w->kv[i].key = rta_memdup(o->kv[i].key,
		    strlen(o->kv[i].key))) == NULL)
			return -1;
		if (o->kv[i].value != NULL && (w->kv[i].value =
		    rta_memdup(o->kv[i].value, strlen(o->kv[i].value))) ==
		    NULL)
			return -1;
	}
	return 0;
}

int
rta_pq_writer_open(int fd, const struct rta_pq_column *cols, size_t ncols,
    const struct rta_pq_writer_opts *o, struct rta_pq_writer **wp,
    struct rta_error *err)
{
	struct rta_pq_writer_opts def;
	struct rta_pq_writer *w;

	*wp = NULL;
	if (o == NULL) {
		rta_pq_writer_opts_init(&def);
		o = &def;
	}
	if (fd < 0 || bad_opts(cols, ncols, o))
		return rta_error_set(err, RTA_EINVAL, "usage",
		    "bad Parquet writer columns or options");
	if ((w = rta_calloc(1, sizeof(*w))) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "nomem",
		    "out of memory");
	w->fd = fd;
	w->ncols = ncols;
	w->rg_rows_max = o->row_group_rows;
	w->page_bytes = o->page_bytes;
	w->level = o->level;
	w->dict_max = o->dict_max;
	w->seed = rta_hash_seed();
	w->stamp = 1;
	w->vcap = o->row_group_rows < 1024 ? (size_t)o->row_group_rows : 1024;
	if ((w->cols = rta_calloc(ncols, sizeof(*w->cols))) == NULL ||
	    copy_opts(w, cols, o) != 0 ||
	    (w->jobs[0].chunks = rta_calloc(ncols, sizeof(struct chunk))) ==
	    NULL ||
	    (w->jobs[1].chunks = rta_calloc(ncols, sizeof(struct chunk))) ==
	    NULL ||
	    (w->out = rta_malloc(OUT_CAP)) == NULL)
		goto nomem;
	if (w->level != 0 && ((w->cc = ZSTD_createCCtx()) == NULL ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(w->cc,
	    ZSTD_c_compressionLevel, w->level))))
		goto nomem;
	memcpy(w->out, "PAR1", 4);
	w->outlen = 4;
	w->pos = 4;
	*wp = w;
	return RTA_OK;
nomem:
	rta_pq_writer_free(w);
	return rta_error_set(err, RTA_ENOMEM, "nomem", "out of memory");
}

uint64_t
rta_pq_writer_bytes(const struct rta_pq_writer *w)
{
	return w->written;
}

uint64_t
rta_pq_writer_rows(const struct rta_pq_writer *w)
{
	return w->rows;
}

void
rta_pq_writer_free(struct rta_pq_writer *w)
{
	size_t i;

	if (w == NULL)
		return;
	rta_pqw_helper_stop(w);
	for (i = 0; w->cols != NULL && i < w->ncols; i++) {
		struct col *c = &w->cols[i];

		rta_free(c->name);
		rta_free(c->valid);
		rta_buf_release(&c->vals);
		rta_buf_release(&c->dbody);
		rta_buf_release(&c->alt);
		rta_free(c->doff);
		rta_free(c->slots);
	}
	rta_free(w->cols);
	for (i = 0; i < w->nkv; i++) {
		rta_free((char *)(uintptr_t)w->kv[i].key);
		rta_free((char *)(uintptr_t)w->kv[i].value);
	}
	rta_free(w->kv);
	rta_free(w->created_by);
	for (i = 0; i < 2; i++) {
		rta_buf_release(&w->jobs[i].arena);
		rta_free(w->jobs[i].pages);
		rta_free(w->jobs[i].chunks);
	}
	rta_buf_release(&w->zslots);
	rta_free(w->scratch);
	ZSTD_freeCCtx(w->cc);
	ZSTD_freeCCtx(w->tcc);
	rta_free(w->out);
	rta_buf_release(&w->hdr);
	rta_buf_release(&w->rgs);
	rta_free(w);
}
