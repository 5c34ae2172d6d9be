/*
 * rta_parquet_output.c: rta_parquet's writer from encoded pages to the
 * file: compression, page headers, output, and the footer.
 *
 * Compressing a job's pages is most of the cost, so one helper thread
 * compresses the pages of a job, each into its own slot, while the
 * caller fills the next row group; the caller's thread joins in when it
 * must wait.  Frames do not depend on which thread or ZSTD_CCtx made
 * them, so the file is the same byte for byte.  The caller's thread
 * alone writes: page headers, frames in order, the RowGroup footer
 * entry, through a 1 MiB buffer and rta_io_write (so RTA_FAULT=io:N
 * reaches it), flushed after every row group.  Two arenas alternate; the
 * helper never allocates through rta_alloc, so RTA_FAULT=alloc:N stays
 * deterministic.
 *
 * Invariants of the written file (reference/parquet.md §6.4): a chunk is
 * [dictionary_page_offset or data_page_offset, + total_compressed_size),
 * the next chunk starts where it ends, totals count page headers and the
 * dictionary page, every page's num_values counts its nulls.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include <zstd.h>

#include "rta_buf.h"
#include "rta_crc32c.h"
#include "rta_io.h"
#include "rta_parquet.h"
#include "rta_parquet_write_int.h"
#include "rta_thrift.h"
#include "rta_version.h"

/* ---- output ------------------------------------------------------------- */

int
rta_pqw_out_flush(struct rta_pq_writer *w)
{
	if (w->outlen == 0)
		return 0;
	if (rta_io_write(w->fd, w->out, w->outlen) != 0)
		return -1;
	w->written += w->outlen;
	w->outlen = 0;
	return 0;
}

int
rta_pqw_out_add(struct rta_pq_writer *w, const void *p, size_t n)
{
	if (n > OUT_CAP - w->outlen) {
		if (rta_pqw_out_flush(w) != 0)
			return -1;
		if (n >= OUT_CAP) {
			if (rta_io_write(w->fd, p, n) != 0)
				return -1;
			w->written += n;
			w->pos += n;
			return 0;
		}
	}
	memcpy(w->out + w->outlen, p, n);
	w->outlen += n;
	w->pos += n;
	return 0;
}

/* ---- compressing and writing -------------------------------------------- */

static void
compress_page(struct rta_pq_writer *w, struct job *j, size_t i,
    ZSTD_CCtx *cc)
{
	struct page *p = &j->pages[i];

	p->zlen = ZSTD_compress2(cc, w->zslots.data + p->zoff,
	    ZSTD_compressBound(p->len), j->arena.data + p->off, p->len);
	if (!ZSTD_isError(p->zlen))
		p->crc = rta_crc32(0, w->zslots.data + p->zoff, p->zlen);
}

static void *
helper_main(void *arg)
{
	struct rta_pq_writer *w = arg;
	struct job *j;
	size_t i;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->quit && (w->inflight == NULL ||
		    w->inflight->next >= w->inflight->npages))
			pthread_cond_wait(&w->work, &w->mu);
		if (w->quit)
			break;
		j = w->inflight;
		i = j->next++;
		pthread_mutex_unlock(&w->mu);
		compress_page(w, j, i, w->tcc);
		pthread_mutex_lock(&w->mu);
		if (++j->ndone == j->npages)
			pthread_cond_signal(&w->done);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* Start the helper thread; without one the caller's thread compresses. */
static void
helper_start(struct rta_pq_writer *w)
{
	if ((w->tcc = ZSTD_createCCtx()) == NULL ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(w->tcc,
	    ZSTD_c_compressionLevel, w->level)))
		goto fail;
	if (pthread_mutex_init(&w->mu, NULL) != 0)
		goto fail;
	if (pthread_cond_init(&w->work, NULL) != 0)
		goto fail_mu;
	if (pthread_cond_init(&w->done, NULL) != 0)
		goto fail_work;
	if (pthread_create(&w->thr, NULL, helper_main, w) != 0)
		goto fail_done;
	w->threaded = 1;
	return;
fail_done:
	pthread_cond_destroy(&w->done);
fail_work:
	pthread_cond_destroy(&w->work);
fail_mu:
	pthread_mutex_destroy(&w->mu);
fail:
	ZSTD_freeCCtx(w->tcc);
	w->tcc = NULL;
}

void
rta_pqw_helper_stop(struct rta_pq_writer *w)
{
	if (!w->threaded)
		return;
	pthread_mutex_lock(&w->mu);
	w->quit = 1;
	pthread_cond_broadcast(&w->work);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thr, NULL);
	pthread_cond_destroy(&w->done);
	pthread_cond_destroy(&w->work);
	pthread_mutex_destroy(&w->mu);
	w->threaded = 0;
}

/* Hand job j to the compressors. */
static int
submit(struct rta_pq_writer *w, struct job *j, struct rta_error *err)
{
	j->next = j->ndone = 0;
	if (w->level == 0) {
		w->inflight = j;
		return RTA_OK;
	}
	rta_buf_reset(&w->zslots);
	if (rta_buf_reserve(&w->zslots, j->zneed) != 0)
		return rta_pqw_die(w, err, RTA_ENOMEM, "nomem",
		    "out of memory");
	if (!w->threaded)
		helper_start(w);
	if (!w->threaded) {
		w->inflight = j;
		return RTA_OK;
	}
	pthread_mutex_lock(&w->mu);
	w->inflight = j;
	pthread_cond_broadcast(&w->work);
	pthread_mutex_unlock(&w->mu);
	return RTA_OK;
}

/* Compress what is left of the job in flight, helping the helper. */
static void
compress_rest(struct rta_pq_writer *w, struct job *j)
{
	size_t i;

	if (!w->threaded) {
		for (i = 0; i < j->npages; i++)
			compress_page(w, j, i, w->cc);
		return;
	}
	pthread_mutex_lock(&w->mu);
	while (j->next < j->npages) {
		i = j->next++;
		pthread_mutex_unlock(&w->mu);
		compress_page(w, j, i, w->cc);
		pthread_mutex_lock(&w->mu);
		j->ndone++;
	}
	while (j->ndone < j->npages)
		pthread_cond_wait(&w->done, &w->mu);
	w->inflight = NULL;
	pthread_mutex_unlock(&w->mu);
}

static int
put_header(struct rta_pq_writer *w, const struct page *p, size_t zlen,
    uint32_t crc)
{
	struct rta_tw t;

	rta_buf_reset(&w->hdr);
	rta_tw_init(&t, &w->hdr);
	rta_tw_i32(&t, 1, p->type);
	rta_tw_i32(&t, 2, (int32_t)p->len);
	rta_tw_i32(&t, 3, (int32_t)zlen);
	rta_tw_i32(&t, 4, (int32_t)crc);
	if (p->type == PAGE_DATA) {
		rta_tw_begin(&t, 5);
		rta_tw_i32(&t, 1, (int32_t)p->nvalues);
		rta_tw_i32(&t, 2, p->enc);
		rta_tw_i32(&t, 3, ENC_RLE);
		rta_tw_i32(&t, 4, ENC_RLE);
		rta_tw_end(&t);
	} else {
		rta_tw_begin(&t, 7);
		rta_tw_i32(&t, 1, (int32_t)p->nvalues);
		rta_tw_i32(&t, 2, ENC_PLAIN);
		rta_tw_end(&t);
	}
	rta_tw_byte(&t, 0);
	return t.fail ? -1 : 0;
}

static void put_rowgroup(struct rta_pq_writer *, struct rta_tw *,
    const struct job *, uint64_t);

/* Finish the job in flight: its pages, then its RowGroup entry. */
int
rta_pqw_land(struct rta_pq_writer *w, struct rta_error *err)
{
	struct job *j = w->inflight;
	uint64_t start = w->pos;
	const unsigned char *body;
	struct chunk *ck;
	struct page *p;
	size_t i, zlen;
	struct rta_tw t;

	if (j == NULL)
		return RTA_OK;
	if (w->level != 0)
		compress_rest(w, j);
	if (!w->threaded)
		w->inflight = NULL;
	for (i = 0; i < j->npages; i++) {
		p = &j->pages[i];
		ck = &j->chunks[p->col];
		body = j->arena.data + p->off;
		zlen = p->len;
		if (w->level != 0) {
			if (ZSTD_isError(p->zlen))
				return rta_pqw_die(w, err, RTA_ENOMEM, "zstd",
				    ZSTD_getErrorName(p->zlen));
			body = w->zslots.data + p->zoff;
			zlen = p->zlen;
		} else
			p->crc = rta_crc32(0, body, zlen);
		if (put_header(w, p, zlen, p->crc) != 0)
			return rta_pqw_die(w, err, RTA_ENOMEM, "nomem",
			    "out of memory");
		if (p->type == PAGE_DICTIONARY)
			ck->dict_off = w->pos;
		else if (ck->data_off == 0)
			ck->data_off = w->pos;
		if (rta_pqw_out_add(w, w->hdr.data, w->hdr.len) != 0 ||
		    rta_pqw_out_add(w, body, zlen) != 0)
			return rta_pqw_die(w, err, RTA_EIO, "io",
			    "writing a Parquet file");
		ck->unc += w->hdr.len + p->len;
		ck->comp += w->hdr.len + zlen;
	}
	if (rta_pqw_out_flush(w) != 0)
		return rta_pqw_die(w, err, RTA_EIO, "io",
		    "writing a Parquet file");
	rta_tw_init(&t, &w->rgs);
	put_rowgroup(w, &t, j, start);
	if (t.fail)
		return rta_pqw_die(w, err, RTA_ENOMEM, "nomem",
		    "out of memory");
	w->nrg++;
	return RTA_OK;
}

/* Reset c for the next row group, keeping its room. */
static void
col_reset(struct rta_pq_writer *w, struct col *c)
{
	if (c->optional)
		memset(c->valid, 0, w->rg_rows);
	rta_buf_reset(&c->vals);
	c->nvals = 0;
	c->dict = c->bytes;
	rta_buf_reset(&c->dbody);
	c->ndict = 0;
	/* (num_dict clears its own table) */
	if (c->bytes && c->nslots > 0)
		memset(c->slots, 0, c->nslots * sizeof(*c->slots));
}

/* Encode the row group being buffered, write the one before it. */
int
rta_pqw_flush_rowgroup(struct rta_pq_writer *w, struct rta_error *err)
{
	struct job *j = &w->jobs[w->nextjob];
	size_t i;
	int rc;

	if (w->rg_rows == 0)
		return RTA_OK;
	rta_buf_reset(&j->arena);
	j->npages = 0;
	j->zneed = 0;
	j->rows = w->rg_rows;
	for (i = 0; i < w->ncols; i++)
		if ((rc = rta_pqw_encode_chunk(w, j, i, err)) != RTA_OK)
			return rc;
	if ((rc = rta_pqw_land(w, err)) != RTA_OK ||
	    (rc = submit(w, j, err)) != RTA_OK)
		return rc;
	w->nextjob ^= 1;
	for (i = 0; i < w->ncols; i++)
		col_reset(w, &w->cols[i]);
	w->rg_rows = 0;
	return RTA_OK;
}

static void
put_stats(struct rta_tw *t, const struct col *c, const struct chunk *ck)
{
	unsigned char lo[8], hi[8];
	size_t n = 8;

	rta_tw_begin(t, 12);
	if (ck->has_minmax && !c->bytes) {
		if (c->type == RTA_PQ_DOUBLE) {
			uint64_t a, b;

			memcpy(&a, &ck->dmin, 8);
			memcpy(&b, &ck->dmax, 8);
			rta_put_u64(lo, a);
			rta_put_u64(hi, b);
		} else if (c->type == RTA_PQ_BOOL) {
			lo[0] = (unsigned char)ck->imin;
			hi[0] = (unsigned char)ck->imax;
			n = 1;
		} else {
			rta_put_u64(lo, (uint64_t)ck->imin);
			rta_put_u64(hi, (uint64_t)ck->imax);
		}
		/* The deprecated pair, same bytes: numbers only. */
		rta_tw_bin(t, 1, hi, n);
		rta_tw_bin(t, 2, lo, n);
	}
	rta_tw_i64(t, 3, (int64_t)ck->nulls);
	if (ck->has_minmax) {
		if (c->bytes) {
			rta_tw_bin(t, 5, ck->smax, ck->smaxlen);
			rta_tw_bin(t, 6, ck->smin, ck->sminlen);
		} else {
			rta_tw_bin(t, 5, hi, n);
			rta_tw_bin(t, 6, lo, n);
		}
	}
	if (c->type == RTA_PQ_DOUBLE)
		rta_tw_i64(t, 9, (int64_t)ck->nans);
	rta_tw_end(t);
}

static int
phys_type(enum rta_pq_type t)
{
	switch (t) {
	case RTA_PQ_BOOL:
		return PT_BOOLEAN;
	case RTA_PQ_INT64:
	case RTA_PQ_TIMESTAMP:
		return PT_INT64;
	case RTA_PQ_DOUBLE:
		return PT_DOUBLE;
	default:
		return PT_BYTE_ARRAY;
	}
}

/* Serialize the RowGroup of job j, whose first page is at start. */
static void
put_rowgroup(struct rta_pq_writer *w, struct rta_tw *t, const struct job *j,
    uint64_t start)
{
	uint64_t unc = 0, comp = 0;
	size_t i, k;

	rta_tw_begin(t, 0);
	rta_tw_list(t, 1, RTA_TT_STRUCT, w->ncols);
	for (i = 0; i < w->ncols; i++) {
		const struct col *c = &w->cols[i];
		const struct chunk *ck = &j->chunks[i];
		int ne = 0, encs[10], e;

		unc += ck->unc;
		comp += ck->comp;
		for (e = 0; e < 10; e++)
			if (ck->encs & 1U << e)
				encs[ne++] = e;
		rta_tw_begin(t, 0);			/* ColumnChunk */
		rta_tw_i64(t, 2, 0);
		rta_tw_begin(t, 3);			/* ColumnMetaData */
		rta_tw_i32(t, 1, phys_type(c->type));
		rta_tw_list(t, 2, RTA_TT_I32, (size_t)ne);
		for (k = 0; k < (size_t)ne; k++)
			rta_tw_zigzag(t, encs[k]);
		rta_tw_list(t, 3, RTA_TT_BINARY, 1);
		rta_tw_uleb(t, c->namelen);
		rta_tw_raw(t, c->name, c->namelen);
		rta_tw_i32(t, 4, w->level != 0 ? CODEC_ZSTD :
		    CODEC_UNCOMPRESSED);
		rta_tw_i64(t, 5, (int64_t)j->rows);
		rta_tw_i64(t, 6, (int64_t)ck->unc);
		rta_tw_i64(t, 7, (int64_t)ck->comp);
		rta_tw_i64(t, 9, (int64_t)ck->data_off);
		if (ck->dict)
			rta_tw_i64(t, 11, (int64_t)ck->dict_off);
		put_stats(t, c, ck);
		rta_tw_end(t);
		rta_tw_end(t);
	}
	rta_tw_i64(t, 2, (int64_t)unc);
	rta_tw_i64(t, 3, (int64_t)j->rows);
	rta_tw_i64(t, 5, (int64_t)start);
	rta_tw_i64(t, 6, (int64_t)comp);
	if (w->nrg <= INT16_MAX) {
		rta_tw_field(t, RTA_TT_I16, 7);
		rta_tw_zigzag(t, (int64_t)w->nrg);
	}
	rta_tw_end(t);
}

/* ---- the footer --------------------------------------------------------- */

static void
put_leaf(struct rta_tw *t, const struct col *c)
{
	rta_tw_begin(t, 0);
	rta_tw_i32(t, 1, phys_type(c->type));
	rta_tw_i32(t, 3, c->optional ? 1 : 0);
	rta_tw_bin(t, 4, c->name, c->namelen);
	switch (c->type) {
	case RTA_PQ_INT64:
		rta_tw_i32(t, 6, CT_INT_64);
		rta_tw_begin(t, 10);
		rta_tw_begin(t, 10);			/* INTEGER */
		rta_tw_field(t, RTA_TT_I8, 1);
		rta_tw_byte(t, 64);
		rta_tw_bool(t, 2, 1);
		rta_tw_end(t);
		rta_tw_end(t);
		break;
	case RTA_PQ_TIMESTAMP:
		rta_tw_i32(t, 6, CT_TIMESTAMP_MICROS);
		rta_tw_begin(t, 10);
		rta_tw_begin(t, 8);				/* TIMESTAMP */
		rta_tw_bool(t, 1, 1);
		rta_tw_begin(t, 2);				/* TimeUnit */
		rta_tw_empty(t, 2);				/* MICROS */
		rta_tw_end(t);
		rta_tw_end(t);
		rta_tw_end(t);
		break;
	case RTA_PQ_STRING:
		rta_tw_i32(t, 6, CT_UTF8);
		rta_tw_begin(t, 10);
		rta_tw_empty(t, 1);				/* STRING */
		rta_tw_end(t);
		break;
	case RTA_PQ_JSON:
		rta_tw_i32(t, 6, CT_JSON);
		rta_tw_begin(t, 10);
		rta_tw_empty(t, 12);			/* JSON */
		rta_tw_end(t);
		break;
	default:
		break;
	}
	rta_tw_end(t);
}

void
rta_pqw_put_footer(struct rta_pq_writer *w, struct rta_tw *t)
{
	const char *cb = w->created_by != NULL ? w->created_by :
	    "rta version " RTA_VERSION;
	size_t i;

	rta_tw_i32(t, 1, 1);
	rta_tw_list(t, 2, RTA_TT_STRUCT, w->ncols + 1);
	rta_tw_begin(t, 0);
	rta_tw_bin(t, 4, "schema", 6);
	rta_tw_i32(t, 5, (int32_t)w->ncols);
	rta_tw_end(t);
	for (i = 0; i < w->ncols; i++)
		put_leaf(t, &w->cols[i]);
	rta_tw_i64(t, 3, (int64_t)w->rows);
	rta_tw_list(t, 4, RTA_TT_STRUCT, (size_t)w->nrg);
	rta_tw_raw(t, w->rgs.data, w->rgs.len);
	if (w->nkv > 0) {
		rta_tw_list(t, 5, RTA_TT_STRUCT, w->nkv);
		for (i = 0; i < w->nkv; i++) {
			rta_tw_begin(t, 0);
			rta_tw_bin(t, 1, w->kv[i].key, strlen(w->kv[i].key));
			if (w->kv[i].value != NULL)
				rta_tw_bin(t, 2, w->kv[i].value,
				    strlen(w->kv[i].value));
			rta_tw_end(t);
		}
	}
	rta_tw_bin(t, 6, cb, strlen(cb));
	rta_tw_list(t, 7, RTA_TT_STRUCT, w->ncols);
	for (i = 0; i < w->ncols; i++) {
		rta_tw_begin(t, 0);
		rta_tw_empty(t, 1);				/* TYPE_ORDER */
		rta_tw_end(t);
	}
	rta_tw_byte(t, 0);
}

