/*
 * fuzz_journal.c: rta-dedup's journal replay on hostile files.
 *
 * After kill -9, rta-dedup replays DIR/journal over its checkpoint
 * (rta_journal_replay) and then appends after the whole records,
 * cutting a torn tail (rta_journal_append).  The file may be torn
 * anywhere, damaged or made by someone else, so the replay must stay
 * inside it, allocate no more than its size allows and hand over only
 * whole records.  The input is written as the journal in a private
 * directory and replayed for the generation its header names, the
 * keys of its K records going into a set as rta-dedup adds them (with
 * no budget, or for odd generations one so small that the set moves to
 * its table in a file).  What the replay answers is checked against
 * the format of rta_keyset.h, read here on its own: which records are
 * whole (header, length within the file and RTA_JOURNAL_RECORD_MAX,
 * zero padding, CRC-32C), their bytes, where the whole ones end,
 * whether a tail was torn.  Then: another generation, or no journal at
 * all, is not applied; a callback's failure stops the replay and is
 * returned; the records written again by rta_journal_create and
 * rta_journal_put are the whole prefix byte for byte; and appending
 * after it, as rta-dedup does, cuts the tail so that the next replay is
 * whole and ends with the new record.  Each input is tried a second
 * time with its record checksums made right, so that mutations reach
 * what lies behind them.  Input starting "RTA-CANARY" is the planted
 * heap over-read every target carries.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_buf.h"
#include "rta_crc32c.h"
#include "rta_err.h"
#include "rta_keyset.h"

#include "canary.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEAD		16		/* magic and generation */
#define REC		12		/* type, padding, length, CRC */
#define NOW		1767225600000000LL	/* 2026-01-01, microseconds */
/* Memory a set may hold beyond what the keys need: a page for each
 * partition, the scratch room of one, the first tables. */
#define SLACK		(2U << 20)

/* A whole record of the file. */
struct rec {
	size_t		 off;		/* of its header */
	uint32_t	 len;
	int		 type;
};

/* What the bytes of a journal say, by the format in rta_keyset.h. */
struct ref {
	int		 ours;		/* magic: applied for its generation */
	uint64_t	 gen;
	struct rec	*rec;
	size_t		 nrec;
	uint64_t	 valid;		/* header and whole records */
	int		 torn;
};

/* A key of a K record. */
struct key {
	uint64_t	 lo, hi;
	int64_t		 ts;
	uint64_t	 pos;
	size_t		 first;
};

/* The callback's view. */
struct replay {
	const uint8_t	*data;		/* the input, for fail() */
	size_t		 size;
	const unsigned char *file;	/* the bytes replayed */
	const struct rec *want;
	size_t		 nwant;
	size_t		 got;
	size_t		 stop;		/* fail at this record (or never) */
	struct rta_keyset *ks;
	struct rta_buf	 keys;		/* struct key of the K records */
};

static const char *const names[] = {
	"journal", "journal.tmp", "copy", "copy.tmp", "keys.table"
};

#define FUZZ_NAME	"fuzz_journal"
#include "statedir.h"


/* ---- the format --------------------------------------------------------- */

static void
parse(struct ref *r, const unsigned char *p, size_t size)
{
	size_t off, left;
	uint32_t len = 0;

	memset(r, 0, sizeof(*r));
	if ((r->rec = malloc((size / REC + 1) * sizeof(*r->rec))) == NULL)
		abort();
	if (size < HEAD || memcmp(p, "RTAJRNL1", 8) != 0)
		return;
	r->ours = 1;
	r->gen = rta_get_u64(p + 8);
	for (off = HEAD; off < size; off += REC + len) {
		left = size - off;
		if (left < 8) {
			r->torn = 1;
			break;
		}
		len = rta_get_u32(p + off + 4);
		if (len > RTA_JOURNAL_RECORD_MAX || (uint64_t)len + 4 >
		    left - 8 || p[off + 1] != 0 || p[off + 2] != 0 ||
		    p[off + 3] != 0 || rta_crc32c(0, p + off, 8 + len) !=
		    rta_get_u32(p + off + 8 + len)) {
			r->torn = 1;
			break;
		}
		r->rec[r->nrec].off = off;
		r->rec[r->nrec].len = len;
		r->rec[r->nrec].type = p[off];
		r->nrec++;
	}
	r->valid = off;
}

/* A copy with the CRC of every record that fits made right (free it). */
static unsigned char *
repaired(const uint8_t *data, size_t size)
{
	unsigned char *q = malloc(size > 0 ? size : 1);
	size_t off;
	uint32_t len;

	if (q == NULL)
		abort();
	memcpy(q, data, size);
	if (size < HEAD)
		return q;
	for (off = HEAD; size - off >= REC; off += REC + len) {
		len = rta_get_u32(q + off + 4);
		if (len > size - off - REC)
			break;
		rta_put_u32(q + off + 8 + len, rta_crc32c(0, q + off,
		    8 + (size_t)len));
	}
	return q;
}

/* ---- replay ------------------------------------------------------------- */

/* A K record, as rta-dedup applies it: 32-byte keys, (0, 0) skipped. */
static int
apply_keys(struct replay *x, const unsigned char *p, size_t len)
{
	struct rta_error err;
	struct key k;
	size_t i;

	for (i = 0; i + 32 <= len; i += 32) {
		struct rta_fp fp;

		fp.lo = rta_get_u64(p + i);
		fp.hi = rta_get_u64(p + i + 8);
		if (fp.lo == 0 && fp.hi == 0)
			continue;
		k.lo = fp.lo;
		k.hi = fp.hi;
		k.ts = (int64_t)rta_get_u64(p + i + 16);
		k.pos = rta_get_u64(p + i + 24);
		k.first = x->keys.len / sizeof(k);
		if (rta_buf_add(&x->keys, &k, sizeof(k)) != 0)
			abort();
		if (rta_keyset_add(x->ks, &fp, k.ts, k.pos, NULL, &err) < 0)
			return err.code;
	}
	return RTA_OK;
}

static int
record(void *arg, int type, const unsigned char *p, size_t len)
{
	struct replay *x = arg;
	const struct rec *w;
	int rc;

	if (x->got >= x->nwant)
		fail("a record that is not whole is replayed", x->data,
		    x->size);
	w = &x->want[x->got];
	if (type != w->type || len != w->len || (len > 0 &&
	    memcmp(p, x->file + w->off + 8, len) != 0))
		fail("a record is replayed with other bytes", x->data,
		    x->size);
	if (x->got++ == x->stop)
		return RTA_EDATA;
	if (type == 'K' && x->ks != NULL && (rc = apply_keys(x, p, len)) !=
	    RTA_OK)
		return rc;
	return RTA_OK;
}

static int
key_cmp(const void *a, const void *b)
{
	const struct key *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	if (x->hi != y->hi)
		return x->hi < y->hi ? -1 : 1;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return 0;
}

/* Every key of the K records is held, with its first occurrence. */
static void
check_keys(struct replay *x)
{
	struct key *k = (struct key *)(void *)x->keys.data;
	struct rta_keyset_entry first;
	struct rta_error err;
	size_t n = x->keys.len / sizeof(*k), i, ng = 0;

	if (n == 0) {
		if (rta_keyset_count(x->ks) != 0)
			fail("keys without K records", x->data, x->size);
		return;
	}
	qsort(k, n, sizeof(*k), key_cmp);
	for (i = 0; i < n; i++) {
		struct rta_fp fp = { k[i].lo, k[i].hi };

		if (i > 0 && k[i - 1].lo == k[i].lo && k[i - 1].hi == k[i].hi)
			continue;
		ng++;
		if (rta_keyset_has(x->ks, &fp) != 1)
			fail("a key of the journal is not held", x->data,
			    x->size);
		if (rta_keyset_add(x->ks, &fp, NOW, 7, &first, &err) != 1 ||
		    first.ts != k[i].ts ||
		    first.pos != (k[i].pos & RTA_KEYSET_POS_MAX))
			fail("a key of the journal has another first "
			    "occurrence", x->data, x->size);
	}
	if (rta_keyset_count(x->ks) != ng)
		fail("the count is not that of the keys", x->data, x->size);
	if (rta_keyset_memory(x->ks) > SLACK + 16 * (uint64_t)x->size)
		fail("more memory than the journal's keys need", x->data,
		    x->size);
}

static void
keyset_init(struct rta_keyset *ks, uint64_t gen, const uint8_t *data,
    size_t size)
{
	struct rta_keyset_opts o;
	struct rta_error err;

	memset(&o, 0, sizeof(o));
	o.max_mem = gen & 1 ? 8 << 10 : 0;
	o.dir = dir;
	o.seed[0] = 0x6a09e667f3bcc908ULL;
	o.seed[1] = 0xbb67ae8584caa73bULL;
	if (rta_keyset_init(ks, &o, &err) != RTA_OK)
		fail("init failed", data, size);
}

/* Replay "journal" for gen, checking each record against want. */
static int
replay(struct replay *x, uint64_t gen, int *applied, int *torn,
    uint64_t *valid)
{
	struct rta_error err;
	int rc;

	x->got = 0;
	rc = rta_journal_replay(dir, "journal", gen, record, x, applied, torn,
	    valid, &err);
	if (rc == RTA_EIO || rc == RTA_ENOMEM)
		fail("replay failed", x->data, x->size);
	return rc;
}

/* Write the whole records again into a new journal: the same bytes. */
static void
rewrite(const struct ref *r, const unsigned char *p, const uint8_t *data,
    size_t size)
{
	struct rta_journal j;
	struct rta_error err;
	unsigned char *got;
	size_t i, len;

	if (rta_journal_create(&j, dir, "copy", r->gen, &err) != RTA_OK)
		fail("create failed", data, size);
	for (i = 0; i < r->nrec; i++)
		if (rta_journal_put(&j, r->rec[i].type, p + r->rec[i].off + 8,
		    r->rec[i].len) != 0)
			fail("put failed", data, size);
	if (rta_journal_write(&j, &err) != RTA_OK || j.bytes != r->valid)
		fail("write failed", data, size);
	rta_journal_close(&j);
	if ((got = get_file("copy", &len)) == NULL || len != r->valid ||
	    memcmp(got, p, len) != 0)
		fail("the whole records written again are other bytes", data,
		    size);
	free(got);
}

/* Append after the whole records, as rta-dedup does when it resumes. */
static void
append(struct ref *r, const uint8_t *data, size_t size)
{
	struct rta_journal j;
	struct rta_error err;
	struct replay x;
	unsigned char k[32], *file;
	size_t len;
	uint64_t valid;
	int applied, torn;

	if (rta_journal_append(&j, dir, "journal", r->gen, r->valid, &err) !=
	    RTA_OK)
		fail("append failed", data, size);
	rta_put_u64(k, 0x510e527fade682d1ULL);
	rta_put_u64(k + 8, 0x9b05688c2b3e6c1fULL);
	rta_put_u64(k + 16, (uint64_t)NOW);
	rta_put_u64(k + 24, 1);
	if (rta_journal_put(&j, 'K', k, sizeof(k)) != 0 ||
	    rta_journal_write(&j, &err) != RTA_OK ||
	    rta_journal_sync(&j, &err) != RTA_OK ||
	    j.bytes != r->valid + REC + sizeof(k))
		fail("appending a record failed", data, size);
	rta_journal_close(&j);
	if ((file = get_file("journal", &len)) == NULL ||
	    len != r->valid + REC + sizeof(k) || memcmp(file, data,
	    (size_t)r->valid) != 0)
		fail("append did not cut the tail", data, size);
	r->rec[r->nrec].off = (size_t)r->valid;
	r->rec[r->nrec].len = sizeof(k);
	r->rec[r->nrec].type = 'K';
	memset(&x, 0, sizeof(x));
	x.data = data;
	x.size = size;
	x.file = file;
	x.want = r->rec;
	x.nwant = r->nrec + 1;
	x.stop = SIZE_MAX;
	if (replay(&x, r->gen, &applied, &torn, &valid) != RTA_OK ||
	    !applied || torn || valid != len || x.got != r->nrec + 1)
		fail("the journal appended to is not whole", data, size);
	free(file);
}

static void
one(const uint8_t *data, size_t size)
{
	struct ref r;
	struct replay x;
	struct rta_keyset ks;
	struct rta_error err;
	uint64_t valid;
	int rc, applied, torn;

	parse(&r, data, size);
	put_file("journal", data, size);
	memset(&x, 0, sizeof(x));
	x.data = data;
	x.size = size;
	x.file = data;
	x.want = r.rec;
	x.nwant = r.nrec;
	x.stop = SIZE_MAX;
	keyset_init(&ks, r.gen, data, size);
	x.ks = &ks;
	rc = replay(&x, r.gen, &applied, &torn, &valid);
	if (rc != RTA_OK || applied != r.ours || torn != r.torn ||
	    valid != r.valid || x.got != r.nrec)
		fail("the replay is not that of the whole records", data, size);
	check_keys(&x);
	rta_keyset_release(&ks);
	rta_buf_release(&x.keys);
	x.ks = NULL;
	/* another generation, or no journal: nothing */
	x.nwant = 0;
	if (replay(&x, r.gen + 1, &applied, &torn, &valid) != RTA_OK ||
	    applied || torn || valid != 0)
		fail("a journal of another generation is applied", data, size);
	if (rta_journal_replay(dir, "none", r.gen, record, &x, &applied,
	    &torn, &valid, &err) != RTA_OK || applied || torn || valid != 0)
		fail("no journal is not an empty one", data, size);
	x.nwant = r.nrec;
	/* the callback's failure stops the replay and comes back */
	if (r.nrec > 0) {
		x.stop = r.nrec / 2;
		if (replay(&x, r.gen, &applied, &torn, &valid) != RTA_EDATA ||
		    x.got != x.stop + 1)
			fail("a callback's failure does not stop the replay",
			    data, size);
		x.stop = SIZE_MAX;
	}
	if (r.ours) {
		rewrite(&r, data, data, size);
		append(&r, data, size);
	}
	free(r.rec);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *fixed;

	if (canary(data, size))
		return 0;
	if (setup() != 0)
		return 0;
	one(data, size);
	/* the same with every record's checksum made right */
	fixed = repaired(data, size);
	if (memcmp(fixed, data, size) != 0)
		one(fixed, size);
	free(fixed);
	return 0;
}
