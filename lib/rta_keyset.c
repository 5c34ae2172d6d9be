/*
 * rta_keyset.c: fingerprints of seen keys, exact (linear-probing tables
 * in memory, and beyond a budget runs of them in a file) or approximate
 * (a blocked Bloom filter), with checkpoints and a journal.
 *
 * Invariants of the exact table: a slot is empty when both fingerprint
 * words are 0 (a fingerprint never is); a key occurs at most once; the
 * probe sequence of a key holds no empty slot before the key.  Expired
 * and forgotten entries stay in place as tombstones (the first one met
 * on a probe is reused by an insert) until a rebuild drops them, so
 * deleting never moves entries.  used counts every non-empty slot, and
 * the table is rebuilt (doubled, or at the same size when tombstones
 * made it full) before used passes three quarters.
 *
 * The budget: the partitions and slabs grow within max_mem; when they
 * cannot, they are written whole to a file as a run (see "runs" below)
 * and start again empty.  Without a budget, a partition that outgrows
 * its range moves every key to the one table, in memory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rta_alloc.h"
#include "rta_crc32c.h"
#include "rta_hash.h"
#include "rta_keyset.h"

#define DEAD		(1ULL << 63)
#define MIN_SLOTS	1024U
#define HEAP_MAX	(2U << 20)	/* larger tables are mmap'd */
#define PAGE		4096U
#define BLOCK		64U		/* Bloom block: one cache line */
#define IO_CHUNK	(1U << 20)

enum { T_NONE, T_HEAP, T_ANON };

static const char ckpt_magic[8] = "RTADEDUP";
/* 2: exact-mode fingerprints keep hi's top bit for keys with a time */
#define CKPT_VERSION	2
static const char jrnl_magic[8] = "RTAJRNL1";

static int
live(const struct rta_keyset *ks, const struct rta_keyset_entry *e)
{
	return !(e->pos & DEAD) && e->ts >= ks->horizon;
}

/* ---- tables ------------------------------------------------------------- */

/* The control byte of a key: 0x80 and seven bits of lo the slot index
 * does not use (it takes the low bits; hi may hold a time). */
static inline uint8_t
tag_of(const struct rta_fp *fp)
{
	return (uint8_t)(0x80 | (fp->lo >> 51 & 0x7f));
}

static uint64_t
table_memory(const struct rta_keyset_table *t)
{
	return t->len;
}

static void
table_free(struct rta_keyset_table *t)
{
	switch (t->kind) {
	case T_HEAP:
		rta_free(t->e);
		break;
	case T_ANON:
		munmap(t->e, t->len);
		break;
	default:
		break;
	}
	memset(t, 0, sizeof(*t));
}

/* The spill file: in dir (replacing keys.table), or unlinked in
 * $TMPDIR. */
static int
spill_file(const struct rta_keyset *ks, struct rta_error *err)
{
	char path[4096];
	const char *tmp;
	int fd;

	if (ks->dir != NULL) {
		/* a file left by a process that died: unlink, do not truncate */
		snprintf(path, sizeof(path), "%s/keys.table", ks->dir);
		(void)unlink(path);
		fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0)
			return rta_error_errno(err, path), -1;
		return fd;
	}
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(path, sizeof(path), "%s/rta-dedup.XXXXXX", tmp);
	if ((fd = mkstemp(path)) < 0)
		return rta_error_errno(err, path), -1;
	(void)unlink(path);
	return fd;
}

static void *
anon(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
#ifdef MADV_HUGEPAGE
	(void)madvise(p, len, MADV_HUGEPAGE);
#endif
	return p;
}

/*
 * Fault the pages of a table in writable now.  Left to fault on first
 * use, a bucket's page is often read before it is written (a probe
 * finds it empty): it maps the shared zero page, and the write that
 * follows costs a copy-on-write fault and, while the reader thread runs
 * on the other core, a TLB shootdown (an interrupt to that core).
 */
static void
populate(void *p, size_t len)
{
#if defined(__linux__)
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23		/* Linux 5.14 */
#endif
	/* the whole pages inside [p, p + len) */
	uintptr_t a = ((uintptr_t)p + PAGE - 1) & ~(uintptr_t)(PAGE - 1);
	uintptr_t z = ((uintptr_t)p + len) & ~(uintptr_t)(PAGE - 1);

	if (z > a)
		(void)madvise((void *)a, z - a, MADV_POPULATE_WRITE);
#else
	(void)p;
	(void)len;
#endif
}

/* Room for slots entries and their control bytes, in memory. */
static int
table_alloc(struct rta_keyset_table *t, uint64_t slots,
    struct rta_error *err)
{
	size_t len, elen;
	void *p;

	memset(t, 0, sizeof(*t));
	if (slots > SIZE_MAX / (RTA_KEYSET_ENTRY_SIZE + 1))
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "key table too large");
	elen = (size_t)slots * RTA_KEYSET_ENTRY_SIZE;
	len = elen + (size_t)slots;
	t->mask = slots - 1;
	if (len <= HEAP_MAX)
		p = rta_calloc(1, len);
	else
		p = anon(len);
	if (p == NULL)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory for %zu MiB of keys", len >> 20);
	t->kind = len <= HEAP_MAX ? T_HEAP : T_ANON;
	t->e = p;
	t->ctrl = (uint8_t *)p + elen;
	t->len = len;
	return RTA_OK;
}

static void
place(struct rta_keyset_table *t, const struct rta_keyset_entry *e)
{
	uint64_t i = e->lo & t->mask;
	struct rta_fp fp;

	while (t->ctrl[i] != 0)
		i = (i + 1) & t->mask;
	t->e[i] = *e;
	fp.lo = e->lo;
	fp.hi = e->hi;
	t->ctrl[i] = tag_of(&fp);
	t->used++;
}

/* Rebuild with the live entries only, at a size that leaves the table
 * at most half full. */
static int
rebuild(struct rta_keyset *ks, struct rta_error *err)
{
	struct rta_keyset_table nt, *ot = &ks->t;
	uint64_t i, n = 0, slots = MIN_SLOTS;
	int rc;

	if (ks->horizon == INT64_MIN && ks->dead == 0)
		n = ot->used;	/* nothing can have expired */
	else
		for (i = 0; i <= ot->mask; i++)
			if (ot->ctrl[i] != 0 && live(ks, &ot->e[i]))
				n++;
	while (slots / 2 < n + 1)
		slots *= 2;
	if ((rc = table_alloc(&nt, slots, err)) != RTA_OK)
		return rc;
	for (i = 0; i <= ot->mask; i++)
		if (ot->ctrl[i] != 0 && live(ks, &ot->e[i]))
			place(&nt, &ot->e[i]);
	table_free(ot);
	*ot = nt;
	ks->dead = 0;
	return RTA_OK;
}

/* ---- buckets: the tables of partitions and slabs -------------------------- */

/*
 * A partition or a slab is nb buckets of 64 bytes at b, holding es-byte
 * entries (the fingerprint, then with 32-byte entries the time and the
 * position) probed linearly from the bucket lo gives.
 */
#define PART_SHIFT	(64 - 6)	/* log2 RTA_KEYSET_PARTS */
#define BUCKET		64U
#define MIN_BUCKETS	4U
#define RANGE_MAX	30U		/* log2 of a range without a budget */
#define HUGE		(2U << 20)
#if defined(__linux__) && !defined(MADV_COLLAPSE)
#define MADV_COLLAPSE	25		/* Linux 6.1 */
#endif

static inline uint64_t *
tab_slot(const struct rta_keyset *ks, unsigned char *b, uint64_t i)
{
	return (uint64_t *)(void *)(b + i * ks->es);
}

/* The first slot a key probes. */
static inline uint64_t
tab_home(const struct rta_keyset *ks, uint64_t nb, uint64_t lo)
{
	return (lo & (nb - 1)) * (BUCKET / ks->es);
}

static inline uint64_t
tab_mask(const struct rta_keyset *ks, uint64_t nb)
{
	return nb * (BUCKET / ks->es) - 1;
}

static inline int
slot_live(const struct rta_keyset *ks, const uint64_t *s)
{
	return ks->es == 16 || (int64_t)s[2] >= ks->horizon;
}

static void
slot_entry(const struct rta_keyset *ks, const uint64_t *s,
    struct rta_keyset_entry *e)
{
	e->lo = s[0];
	e->hi = s[1];
	if (ks->es == 16) {
		e->ts = 0;
		e->pos = RTA_KEYSET_POS_MAX;
	} else {
		e->ts = (int64_t)s[2];
		e->pos = s[3];
	}
}

/* The slot holding fp, or -1. */
static int64_t
tab_find(const struct rta_keyset *ks, unsigned char *b, uint64_t nb,
    const struct rta_fp *fp)
{
	uint64_t i, mask;

	if (nb == 0)
		return -1;
	mask = tab_mask(ks, nb);
	for (i = tab_home(ks, nb, fp->lo);; i = (i + 1) & mask) {
		const uint64_t *s = tab_slot(ks, b, i);

		if (s[0] == fp->lo && s[1] == fp->hi)
			return (int64_t)i;
		if ((s[0] | s[1]) == 0)
			return -1;
	}
}

/* Add fp to a table with room for it: 0 in a new slot, 1 held already
 * (*first, if given, is its entry), 2 held but expired, now new again. */
static int
tab_put(const struct rta_keyset *ks, unsigned char *b, uint64_t nb,
    const struct rta_fp *fp, int64_t ts, uint64_t pos,
    struct rta_keyset_entry *first)
{
	uint64_t i, mask = tab_mask(ks, nb), *s;

	for (i = tab_home(ks, nb, fp->lo);; i = (i + 1) & mask) {
		s = tab_slot(ks, b, i);
		if (s[0] == fp->lo && s[1] == fp->hi) {
			if (slot_live(ks, s)) {
				if (first != NULL)
					slot_entry(ks, s, first);
				return 1;
			}
			s[2] = (uint64_t)ts;
			s[3] = pos & RTA_KEYSET_POS_MAX;
			return 2;
		}
		if ((s[0] | s[1]) == 0)
			break;
	}
	s[0] = fp->lo;
	s[1] = fp->hi;
	if (ks->es == 32) {
		s[2] = (uint64_t)ts;
		s[3] = pos & RTA_KEYSET_POS_MAX;
	}
	return 0;
}

/* Remove slot i, moving later entries of its run back (no tombstone). */
static void
tab_remove(const struct rta_keyset *ks, unsigned char *b, uint64_t nb,
    uint64_t i)
{
	uint64_t mask = tab_mask(ks, nb), j, h;
	uint64_t *s;

	for (j = (i + 1) & mask;; j = (j + 1) & mask) {
		s = tab_slot(ks, b, j);
		if ((s[0] | s[1]) == 0)
			break;
		h = tab_home(ks, nb, s[0]);
		if (((j - h) & mask) >= ((j - i) & mask)) {
			memcpy(tab_slot(ks, b, i), s, ks->es);
			i = j;
		}
	}
	memset(tab_slot(ks, b, i), 0, ks->es);
}

/* Live entries of a table holding used. */
static uint64_t
tab_live(const struct rta_keyset *ks, unsigned char *b, uint64_t nb,
    uint64_t used)
{
	uint64_t i, n = 0, slots = nb * (BUCKET / ks->es);

	if (ks->es == 16 || ks->horizon == INT64_MIN)
		return used;
	for (i = 0; i < slots; i++) {
		const uint64_t *s = tab_slot(ks, b, i);

		if ((s[0] | s[1]) != 0 && slot_live(ks, s))
			n++;
	}
	return n;
}

/* Copy the live entries of the table (src, snb) into the empty (dst,
 * dnb), which has room for them; how many. */
static uint64_t
tab_fill(const struct rta_keyset *ks, unsigned char *dst, uint64_t dnb,
    unsigned char *src, uint64_t snb)
{
	uint64_t i, j, n = 0, mask = tab_mask(ks, dnb);
	uint64_t os = snb * (BUCKET / ks->es);

	for (i = 0; i < os; i++) {
		const uint64_t *s = tab_slot(ks, src, i);

		if ((s[0] | s[1]) == 0 || !slot_live(ks, s))
			continue;
		for (j = tab_home(ks, dnb, s[0]); (tab_slot(ks, dst, j)[0] |
		    tab_slot(ks, dst, j)[1]) != 0; j = (j + 1) & mask)
			;
		memcpy(tab_slot(ks, dst, j), s, ks->es);
		n++;
	}
	return n;
}

/* Place the live entries of a table in the spilled one. */
static void
tab_spill(struct rta_keyset *ks, struct rta_keyset_table *nt,
    unsigned char *b, uint64_t nb)
{
	struct rta_keyset_entry e;
	uint64_t i, ns = nb * (BUCKET / ks->es);

	for (i = 0; i < ns; i++) {
		const uint64_t *s = tab_slot(ks, b, i);

		if ((s[0] | s[1]) == 0 || !slot_live(ks, s))
			continue;
		slot_entry(ks, s, &e);
		place(nt, &e);
	}
}

/* ---- partitions ---------------------------------------------------------- */

static inline struct rta_keyset_part *
part_of(const struct rta_keyset *ks, const struct rta_fp *fp)
{
	return &ks->parts[fp->lo >> PART_SHIFT];
}

static inline unsigned char *
part_base(const struct rta_keyset *ks, const struct rta_keyset_part *p)
{
	return ks->arena + ((size_t)(p - ks->parts) << ks->range_shift);
}

/*
 * Reserve a range of address space per partition (PROT_NONE: nothing is
 * committed until a partition makes its first buckets writable).  With a
 * budget a range holds four times a partition's share of it; a partition
 * that outgrows its range moves the set to one table.
 */
static int
parts_init(struct rta_keyset *ks, struct rta_error *err)
{
	unsigned shift = RANGE_MAX;
	size_t len = 0;
	void *p = MAP_FAILED;

	ks->es = (ks->o.lean & (RTA_KEYSET_NO_TIME | RTA_KEYSET_NO_POS)) ==
	    (RTA_KEYSET_NO_TIME | RTA_KEYSET_NO_POS) ? 16 : 32;
	if (ks->o.max_mem > 0)
		for (shift = 12; shift < RANGE_MAX && (1ULL << shift) <
		    ks->o.max_mem / RTA_KEYSET_PARTS * 4; shift++)
			;
	for (; shift >= 12; shift--) {
		len = ((size_t)RTA_KEYSET_PARTS << shift) + HUGE;
		if ((p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE |
		    MAP_ANONYMOUS | MAP_NORESERVE, -1, 0)) != MAP_FAILED)
			break;
	}
	if (p == MAP_FAILED || (ks->parts = rta_calloc(RTA_KEYSET_PARTS,
	    sizeof(*ks->parts))) == NULL) {
		if (p != MAP_FAILED)
			munmap(p, len);
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	}
	ks->map = p;
	ks->map_len = len;
	ks->range_shift = shift;
	ks->arena_cap = ks->o.max_mem > 0 ? ks->o.max_mem : UINT64_MAX;
	/* ranges start on a huge page boundary */
	ks->arena = ks->map + (HUGE - (uintptr_t)ks->map % HUGE) % HUGE;
	return RTA_OK;
}

static void
slabs_free(struct rta_keyset *ks)
{
	size_t k;

	for (k = 0; k < ks->nslab; k++)
		rta_free(ks->slab[k].b);
	rta_free(ks->slab);
	rta_free(ks->slab_start);
	ks->slab = NULL;
	ks->slab_start = NULL;
	ks->nslab = ks->slab_cap = ks->slab_done = 0;
}

static void
parts_free(struct rta_keyset *ks)
{
	if (ks->map != NULL)
		munmap(ks->map, ks->map_len);
	rta_free(ks->parts);
	rta_free(ks->scratch);
	slabs_free(ks);
	ks->map = ks->arena = ks->scratch = NULL;
	ks->parts = NULL;
	ks->map_len = ks->scratch_len = 0;
	ks->arena_used = ks->arena_cap = 0;
	ks->nused = 0;
}

static int	spill(struct rta_keyset *, struct rta_error *);

/*
 * Every key to one table in memory: without a budget, a partition
 * cannot grow within its range.
 */
static int
migrate(struct rta_keyset *ks, struct rta_error *err)
{
	struct rta_keyset_table nt;
	uint64_t n = 0, slots = MIN_SLOTS, k;
	int rc;

	for (k = 0; k < RTA_KEYSET_PARTS; k++)
		n += tab_live(ks, part_base(ks, &ks->parts[k]),
		    ks->parts[k].nb, ks->parts[k].used);
	for (k = 0; k < ks->nslab; k++)
		n += tab_live(ks, ks->slab[k].b, ks->slab[k].nb,
		    ks->slab[k].used);
	while (slots / 2 < n + 1)
		slots *= 2;
	if ((rc = table_alloc(&nt, slots, err)) != RTA_OK)
		return rc;
	for (k = 0; k < RTA_KEYSET_PARTS; k++)
		tab_spill(ks, &nt, part_base(ks, &ks->parts[k]),
		    ks->parts[k].nb);
	for (k = 0; k < ks->nslab; k++)
		tab_spill(ks, &nt, ks->slab[k].b, ks->slab[k].nb);
	parts_free(ks);
	table_free(&ks->t);
	ks->t = nt;
	ks->dead = 0;
	return RTA_OK;
}

/* The tables cannot grow: spill them (with a budget) or move to one
 * table; RTA_OK or an error. */
static int
no_room(struct rta_keyset *ks, struct rta_error *err)
{
	return ks->o.max_mem > 0 ? spill(ks, err) : migrate(ks, err);
}

/*
 * Make the first nb buckets of a partition's range writable (counted
 * against the budget) and the scratch room hold its old table: 0 or -1.
 */
static int
part_room(struct rta_keyset *ks, struct rta_keyset_part *p, uint64_t nb)
{
	/* pages are made writable, and counted, whole */
	uint64_t had = ((uint64_t)p->max_nb * BUCKET + PAGE - 1) / PAGE * PAGE;
	uint64_t want = (nb * BUCKET + PAGE - 1) / PAGE * PAGE;
	uint64_t more = want > had ? want - had : 0;
	size_t old = (size_t)p->nb * BUCKET;
	unsigned char *b = part_base(ks, p);

	if (nb * BUCKET > (1ULL << ks->range_shift))
		return -1;
	if (old > ks->scratch_len) {
		if (ks->arena_used + more + (old - ks->scratch_len) >
		    ks->arena_cap)
			return -1;
		rta_free(ks->scratch);
		if ((ks->scratch = rta_malloc(old)) == NULL) {
			ks->arena_used -= ks->scratch_len;
			ks->scratch_len = 0;
			return -1;
		}
		ks->arena_used += old - ks->scratch_len;
		ks->scratch_len = old;
	}
	if (nb > p->max_nb && more == 0) {
		p->max_nb = (uint32_t)nb;
		return 0;
	}
	if (more == 0)
		return 0;
	if (ks->arena_used + more > ks->arena_cap ||
	    mprotect(b + had, (size_t)more, PROT_READ | PROT_WRITE) != 0)
		return -1;
	ks->arena_used += more;
	p->max_nb = (uint32_t)nb;
	return 0;
}

/*
 * Rebuild a partition in place with its live entries, at a size that
 * leaves it at most half full: 1 done, 0 the set moved to one table
 * instead, -1 failure.
 */
static int
part_grow(struct rta_keyset *ks, struct rta_keyset_part *p,
    struct rta_error *err)
{
	unsigned bs = BUCKET / ks->es;
	unsigned char *b = part_base(ks, p);
	uint64_t live = tab_live(ks, b, p->nb, p->used), nb = MIN_BUCKETS;
	uint64_t was = p->max_nb, onb = p->nb;

	while ((live + 1) * 2 > nb * bs)
		nb *= 2;
	if (nb > UINT32_MAX / 2 || part_room(ks, p, nb) != 0)
		return no_room(ks, err) == RTA_OK ? 0 : -1;
	if (onb > 0)
		memcpy(ks->scratch, b, (size_t)onb * BUCKET);
	if (nb * BUCKET >= HUGE && was * BUCKET < HUGE) {
		/*
		 * Large enough for huge pages (a random probe then costs no
		 * page walk): the small pages are handed back so that the
		 * whole range faults in afresh, zeroed.
		 */
		(void)madvise(b, (size_t)(was * BUCKET + PAGE - 1) / PAGE *
		    PAGE, MADV_DONTNEED);
#ifdef MADV_HUGEPAGE
		(void)madvise(b, (size_t)1 << ks->range_shift, MADV_HUGEPAGE);
#endif
	} else
		/* what was touched before is cleared; the rest is new */
		memset(b, 0, (size_t)((nb < was ? nb : was) * BUCKET));
	populate(b, (size_t)((nb * BUCKET + PAGE - 1) / PAGE * PAGE));
	ks->nused -= p->used;
	p->nb = (uint32_t)nb;
	p->used = (uint32_t)tab_fill(ks, b, nb, ks->scratch, onb);
	ks->nused += p->used;
#ifdef MADV_COLLAPSE
	/* the first 2 MiB were faulted before the range took huge pages */
	if (nb * BUCKET >= HUGE && was * BUCKET < HUGE)
		(void)madvise(b, HUGE, MADV_COLLAPSE);
#endif
	return 1;
}

/* As rta_keyset_add, or 2: the set moved to one table meanwhile. */
static int
part_add(struct rta_keyset *ks, const struct rta_fp *fp, int64_t ts,
    uint64_t pos, struct rta_keyset_entry *first, struct rta_error *err)
{
	struct rta_keyset_part *p = part_of(ks, fp);
	int r;

	ks->cold++;
	if ((uint64_t)(p->used + 1) * 4 > (uint64_t)p->nb *
	    (BUCKET / ks->es) * 3 && (r = part_grow(ks, p, err)) != 1)
		return r == 0 ? 2 : -1;
	if ((r = tab_put(ks, part_base(ks, p), p->nb, fp, ts, pos,
	    first)) == 0) {
		p->used++;
		ks->nused++;
	}
	return r == 1;
}

/* ---- slabs: keys that carry a time ---------------------------------------- */

/*
 * A fingerprint of a key that carries a time (rta_keyset_fingerprint_at)
 * holds that time in hi, and such keys go to slabs instead of the
 * partitions: tables of their own, each for a range of those times, in
 * order.  Keys made in time order (UUIDv7 event ids) then all go to the
 * newest slab, whose buckets stay in the cache, instead of a random
 * place in the whole set.  The newest slab covers every time from its
 * start on; once it holds slab_bytes and is three quarters full, a key
 * newer than any in it starts a new slab there, so a time's slab never
 * changes.  A key older than that lands in an older slab, which grows as
 * a partition does.  A slab whose entries have all passed the horizon is
 * freed whole.
 *
 * The size of a slab: the input streaming through the caches evicts a
 * slab of a megabyte between two visits to one of its buckets, while
 * one of 64 KiB stays in the second-level cache, so that the newest slab
 * needs no fetching ahead (rta_keyset_cold).  Sets with 32-byte entries,
 * which may be checkpointed, keep the megabyte slabs: the slabs decide
 * the order of the keys in a checkpoint, which stays as it was.
 */
#define TIME_BIT	(1ULL << 63)
#define TIME_SHIFT	15
#define SLAB_BYTES	(1U << 20)
#define SLAB_BYTES_LEAN	(1U << 16)
#define HOT_BYTES	(1U << 16)	/* a table that stays in the cache */

static inline uint64_t
slab_bytes(const struct rta_keyset *ks)
{
	return ks->es == 16 ? SLAB_BYTES_LEAN : SLAB_BYTES;
}

static inline int
fp_timed(const struct rta_fp *fp)
{
	return (fp->hi & TIME_BIT) != 0;
}

/* The slab holding the time of fp (there is one). */
static size_t
slab_index(const struct rta_keyset *ks, const struct rta_fp *fp)
{
	int64_t t = (int64_t)((fp->hi & ~TIME_BIT) >> TIME_SHIFT);
	size_t lo = 0, hi = ks->nslab - 1, mid;

	if (t >= ks->slab_start[hi])
		return hi;
	while (lo < hi) {
		mid = (lo + hi + 1) / 2;
		if (ks->slab_start[mid] <= t)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/* A new, empty slab for the times from start on: 0 or -1 (ENOMEM). */
static int
slab_append(struct rta_keyset *ks, int64_t start)
{
	if (ks->nslab == ks->slab_cap) {
		size_t cap = ks->slab_cap == 0 ? 64 : ks->slab_cap * 2;
		struct rta_keyset_slab *s;
		int64_t *st;

		if ((s = rta_reallocarray(ks->slab, cap, sizeof(*s))) == NULL)
			return -1;
		ks->slab = s;
		if ((st = rta_reallocarray(ks->slab_start, cap,
		    sizeof(*st))) == NULL)
			return -1;
		ks->slab_start = st;
		ks->slab_cap = cap;
	}
	memset(&ks->slab[ks->nslab], 0, sizeof(ks->slab[0]));
	ks->slab[ks->nslab].max_t = INT64_MIN;
	ks->slab[ks->nslab].max_ts = INT64_MIN;
	ks->slab_start[ks->nslab++] = start;
	return 0;
}

/* Rebuild a slab with its live entries at a size leaving it at most
 * half full, and of nb buckets at least: 1 done, 0 the set moved to one
 * table, -1 failure. */
static int
slab_grow(struct rta_keyset *ks, struct rta_keyset_slab *s, uint64_t nb,
    struct rta_error *err)
{
	unsigned bs = BUCKET / ks->es;
	uint64_t live = tab_live(ks, s->b, s->nb, s->used);
	unsigned char *b;

	while ((live + 1) * 2 > nb * bs)
		nb *= 2;
	if (nb > UINT32_MAX / 2 || ks->arena_used + nb * BUCKET >
	    ks->arena_cap)
		return no_room(ks, err) == RTA_OK ? 0 : -1;
	if ((b = rta_calloc((size_t)nb, BUCKET)) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory"), -1;
	populate(b, (size_t)nb * BUCKET);
	ks->nused -= s->used;
	s->used = (uint32_t)tab_fill(ks, b, nb, s->b, s->nb);
	ks->nused += s->used;
	ks->arena_used += nb * BUCKET;
	ks->arena_used -= (uint64_t)s->nb * BUCKET;
	rta_free(s->b);
	s->b = b;
	s->nb = (uint32_t)nb;
	return 1;
}

/* As part_add, for a fingerprint that carries a time. */
static int
slab_add(struct rta_keyset *ks, const struct rta_fp *fp, int64_t ts,
    uint64_t pos, struct rta_keyset_entry *first, struct rta_error *err)
{
	int64_t t = (int64_t)((fp->hi & ~TIME_BIT) >> TIME_SHIFT);
	uint64_t cap, nb = MIN_BUCKETS;
	struct rta_keyset_slab *s;
	size_t k;
	int r;

	if (ks->nslab == 0 && slab_append(ks, INT64_MIN) != 0)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory"), -1;
	k = slab_index(ks, fp);
	s = &ks->slab[k];
	if (k + 1 < ks->nslab || (uint64_t)s->nb * BUCKET > HOT_BYTES)
		ks->cold++;
	cap = (uint64_t)s->nb * (BUCKET / ks->es);
	if ((uint64_t)(s->used + 1) * 4 > cap * 3) {
		if (k == ks->nslab - 1 && (uint64_t)s->nb * BUCKET >=
		    slab_bytes(ks) && t > s->max_t) {
			/*
			 * No key in s has this time: a new slab from max_t,
			 * at once as large as s, so keys coming in order
			 * never wait for it to grow.
			 */
			if (slab_append(ks, s->max_t + 1) != 0)
				return rta_error_set(err, RTA_ENOMEM,
				    "no-memory", "out of memory"), -1;
			s = &ks->slab[++k];
			nb = slab_bytes(ks) / BUCKET;
		}
		if ((r = slab_grow(ks, s, nb, err)) != 1)
			return r == 0 ? 2 : -1;
	}
	if ((r = tab_put(ks, s->b, s->nb, fp, ts, pos, first)) == 1)
		return 1;
	if (r == 0) {
		s->used++;
		ks->nused++;
	}
	if (t > s->max_t)
		s->max_t = t;
	if (ts > s->max_ts)
		s->max_ts = ts;
	if (k < ks->slab_done)
		ks->slab_done = k;
	return 0;
}

/* Free the slabs, oldest first, whose entries have all expired. */
static void
slabs_expire(struct rta_keyset *ks)
{
	while (ks->slab_done + 1 < ks->nslab) {
		struct rta_keyset_slab *s = &ks->slab[ks->slab_done];

		if (s->max_ts >= ks->horizon)
			break;
		ks->nused -= s->used;
		ks->arena_used -= (uint64_t)s->nb * BUCKET;
		rta_free(s->b);
		s->b = NULL;
		s->nb = s->used = 0;
		s->max_ts = INT64_MIN;
		ks->slab_done++;
	}
}

/* The table (base, buckets, used count) a fingerprint belongs to. */
static void
home_table(struct rta_keyset *ks, const struct rta_fp *fp,
    unsigned char **b, uint64_t *nb, uint32_t **used)
{
	if (fp_timed(fp)) {
		struct rta_keyset_slab *s;

		if (ks->nslab == 0) {
			*b = NULL, *nb = 0, *used = NULL;
			return;
		}
		s = &ks->slab[slab_index(ks, fp)];
		*b = s->b, *nb = s->nb, *used = &s->used;
	} else {
		struct rta_keyset_part *p = part_of(ks, fp);

		*b = part_base(ks, p), *nb = p->nb, *used = &p->used;
	}
}

/* ---- runs: the keys beyond the budget ------------------------------------ */

/*
 * With a budget, the partitions and slabs are written as they are to the
 * end of the spill file when they cannot grow within it: a run, which is
 * never changed afterwards, and whose tables are found again by the
 * description kept in memory (where each partition and slab went).  The
 * old design moved every key to one table in a mapped file, so each new
 * key cost a page fault and a dirty page at a random place of a table
 * larger than memory: 20 times slower than in memory.  A run costs its
 * sequential write once, and a lookup only when a key may be in it:
 * keys in time order are newer than every run, and other keys ask the
 * filter first.  Runs are not merged, so a budget far below the keys
 * makes many runs, and each duplicate then reads a bucket of each.
 */
#define RUN_MIN_ARENA	(256U << 10)	/* the tables in memory, at least */
#define SF_K		7		/* filter bits a key */
#define SCAN_CHUNK	(64U << 10)

struct run_tab {
	uint64_t	 off;		/* in the spill file */
	uint32_t	 nb;		/* buckets; 0: none */
};

struct rta_keyset_run {
	struct run_tab	 part[RTA_KEYSET_PARTS];
	struct run_tab	*slab;
	int64_t		*slab_start;
	size_t		 nslab;
	uint64_t	 seq;		/* the how-manieth run */
	uint64_t	 off, end;	/* its bytes in the file */
	uint64_t	 n;		/* slots in use */
	int64_t		 min_t, max_t;	/* its keys' times; none: min > max */
	int64_t		 max_ts;	/* latest first occurrence */
};

/* A spilled key forgotten: runs before seq no longer hold it. */
struct rta_keyset_gone {
	uint64_t	 lo, hi;
	uint64_t	 seq;
};

/* The filter's block and bits for fp: lo picks the block, both words
 * (hi may hold a time) the bits. */
static inline unsigned char *
sf_block(const struct rta_keyset *ks, const struct rta_fp *fp,
    uint64_t *x, uint64_t *step)
{
	__extension__ unsigned __int128 m =
	    (unsigned __int128)fp->lo * ks->sf_blocks;

	*x = (fp->hi ^ fp->lo >> 17) * 0x9e3779b97f4a7c15ULL;
	*step = (fp->lo * 0xc2b2ae3d27d4eb4fULL) | 1;
	return ks->sf + (size_t)(uint64_t)(m >> 64) * BLOCK;
}

static void
sf_set(struct rta_keyset *ks, const struct rta_fp *fp)
{
	uint64_t x, step;
	unsigned char *b = sf_block(ks, fp, &x, &step);
	unsigned i, bit;

	for (i = 0; i < SF_K; i++, x += step) {
		bit = (unsigned)(x >> 55);
		b[bit >> 3] |= (unsigned char)(1U << (bit & 7));
	}
}

static int
sf_has(const struct rta_keyset *ks, const struct rta_fp *fp)
{
	uint64_t x, step;
	const unsigned char *b = sf_block(ks, fp, &x, &step);
	unsigned i, bit;

	for (i = 0; i < SF_K; i++, x += step) {
		bit = (unsigned)(x >> 55);
		if (!(b[bit >> 3] & (1U << (bit & 7))))
			return 0;
	}
	return 1;
}

static inline int64_t
fp_time(const struct rta_fp *fp)
{
	return (int64_t)((fp->hi & ~TIME_BIT) >> TIME_SHIFT);
}

static int
pwrite_all(int fd, const unsigned char *p, size_t n, uint64_t off)
{
	while (n > 0) {
		ssize_t w = pwrite(fd, p, n, (off_t)off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
		off += (uint64_t)w;
	}
	return 0;
}

static int
pread_all(int fd, unsigned char *p, size_t n, uint64_t off)
{
	while (n > 0) {
		ssize_t r = pread(fd, p, n, (off_t)off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
		off += (uint64_t)r;
	}
	return 0;
}

/* Append a table (b, nb) to the run: its bytes to the file, its live
 * keys to the filter and the run's times.  0 or -1 (errno). */
static int
run_put(struct rta_keyset *ks, struct rta_keyset_run *run,
    struct run_tab *rt, const unsigned char *b, uint64_t nb)
{
	uint64_t i, ns = nb * (BUCKET / ks->es);

	rt->nb = (uint32_t)nb;
	rt->off = ks->spill_end;
	if (nb == 0)
		return 0;
	if (pwrite_all(ks->spill_fd, b, (size_t)nb * BUCKET, rt->off) != 0)
		return -1;
	ks->spill_end += nb * BUCKET;
	for (i = 0; i < ns; i++) {
		const uint64_t *s = tab_slot(ks, (unsigned char *)b, i);
		struct rta_fp fp;

		if ((s[0] | s[1]) == 0)
			continue;
		run->n++;
		if (!slot_live(ks, s))
			continue;
		fp.lo = s[0];
		fp.hi = s[1];
		sf_set(ks, &fp);
		if (fp_timed(&fp)) {
			if (fp_time(&fp) < run->min_t)
				run->min_t = fp_time(&fp);
			if (fp_time(&fp) > run->max_t)
				run->max_t = fp_time(&fp);
		}
		if (ks->es == 32 && (int64_t)s[2] > run->max_ts)
			run->max_ts = (int64_t)s[2];
	}
	return 0;
}

/* Empty the partitions and slabs, handing their memory back. */
static void
tables_reset(struct rta_keyset *ks)
{
	size_t k;

	for (k = 0; k < RTA_KEYSET_PARTS; k++) {
		struct rta_keyset_part *p = &ks->parts[k];

		if (p->max_nb > 0)
			(void)madvise(part_base(ks, p), (size_t)((uint64_t)
			    p->max_nb * BUCKET + PAGE - 1) / PAGE * PAGE,
			    MADV_DONTNEED);
		p->nb = p->used = p->max_nb = 0;
	}
	slabs_free(ks);
	ks->nused = 0;
	ks->arena_used = ks->scratch_len;
}

static void
run_free(struct rta_keyset_run *run)
{
	rta_free(run->slab);
	rta_free(run->slab_start);
}

static uint64_t
run_mem(const struct rta_keyset_run *run)
{
	return sizeof(*run) + run->nslab * (sizeof(struct run_tab) +
	    sizeof(int64_t));
}

/* What the tables in memory may take besides the filter and the runs'
 * descriptions. */
static void
set_arena_cap(struct rta_keyset *ks)
{
	uint64_t other = ks->o.max_mem / 4 + ks->run_mem;	/* the filter */

	ks->arena_cap = ks->o.max_mem > other + RUN_MIN_ARENA ?
	    ks->o.max_mem - other : RUN_MIN_ARENA;
}

/* The partitions and slabs to a new run; RTA_OK, RTA_EIO or RTA_ENOMEM
 * (the set is then unchanged). */
static int
spill(struct rta_keyset *ks, struct rta_error *err)
{
	struct rta_keyset_run *run;
	uint64_t start = ks->spill_end;
	size_t k;

	if (ks->nused == 0)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "key budget too small");
	if (ks->spill_fd < 0) {
		uint64_t nb = ks->o.max_mem / 4 / BLOCK;

		if ((ks->sf = rta_calloc(nb > 0 ? nb : 1, BLOCK)) == NULL)
			return rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory");
		if ((ks->spill_fd = spill_file(ks, err)) < 0) {
			rta_free(ks->sf);
			ks->sf = NULL;
			return RTA_EIO;
		}
		ks->sf_blocks = nb > 0 ? nb : 1;
	}
	if (ks->nrun == ks->run_cap) {
		size_t cap = ks->run_cap == 0 ? 8 : ks->run_cap * 2;
		struct rta_keyset_run *r = rta_reallocarray(ks->run, cap,
		    sizeof(*r));

		if (r == NULL)
			return rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory");
		ks->run = r;
		ks->run_cap = cap;
	}
	run = &ks->run[ks->nrun];
	memset(run, 0, sizeof(*run));
	run->min_t = INT64_MAX;
	run->max_t = run->max_ts = INT64_MIN;
	run->off = start;
	if (ks->nslab > 0 && ((run->slab = rta_calloc(ks->nslab,
	    sizeof(*run->slab))) == NULL || (run->slab_start =
	    rta_reallocarray(NULL, ks->nslab, sizeof(int64_t))) == NULL)) {
		run_free(run);
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	}
	run->nslab = ks->nslab;
	for (k = 0; k < RTA_KEYSET_PARTS; k++)
		if (run_put(ks, run, &run->part[k], part_base(ks,
		    &ks->parts[k]), ks->parts[k].nb) != 0)
			goto fail;
	for (k = 0; k < ks->nslab; k++) {
		run->slab_start[k] = ks->slab_start[k];
		if (run_put(ks, run, &run->slab[k], ks->slab[k].b,
		    ks->slab[k].nb) != 0)
			goto fail;
	}
	run->end = ks->spill_end;
	run->seq = ++ks->run_seq;
	if (run->max_t > ks->run_max_t)
		ks->run_max_t = run->max_t;
	ks->run_keys += run->n;
	ks->run_mem += run_mem(run);
	ks->nrun++;
	tables_reset(ks);
	set_arena_cap(ks);
	return RTA_OK;
fail:
	/* the filter keeps bits of keys it does not hold: only more reads */
	rta_error_errno(err, "key spill file");
	ks->spill_end = start;
	run_free(run);
	return RTA_EIO;
}

/* The table of run that holds fp, if any. */
static const struct run_tab *
run_tab_of(const struct rta_keyset_run *run, const struct rta_fp *fp)
{
	size_t lo = 0, hi, mid;
	int64_t t;

	if (!fp_timed(fp))
		return &run->part[fp->lo >> PART_SHIFT];
	t = fp_time(fp);
	if (run->nslab == 0 || t < run->min_t || t > run->max_t)
		return NULL;
	hi = run->nslab - 1;
	while (lo < hi) {
		mid = (lo + hi + 1) / 2;
		if (run->slab_start[mid] <= t)
			lo = mid;
		else
			hi = mid - 1;
	}
	return &run->slab[lo];
}

/* Look fp up in one run: 1 found (*e), 0 not there, -1 read error. */
static int
run_find(const struct rta_keyset *ks, const struct rta_keyset_run *run,
    const struct rta_fp *fp, struct rta_keyset_entry *e)
{
	const struct run_tab *rt = run_tab_of(run, fp);
	unsigned char b[BUCKET];
	uint64_t bk, n;
	unsigned j, bs = BUCKET / ks->es;

	if (rt == NULL || rt->nb == 0)
		return 0;
	bk = fp->lo & (rt->nb - 1);
	for (n = 0; n < rt->nb; n++, bk = (bk + 1) & (rt->nb - 1)) {
		if (pread_all(ks->spill_fd, b, BUCKET, rt->off + bk * BUCKET) !=
		    0)
			return -1;
		for (j = 0; j < bs; j++) {
			const uint64_t *s = tab_slot(ks, b, j);

			if (s[0] == fp->lo && s[1] == fp->hi) {
				slot_entry(ks, s, e);
				return 1;
			}
			if ((s[0] | s[1]) == 0)
				return 0;
		}
	}
	return 0;
}

static int
gone_in(const struct rta_keyset *ks, const struct rta_fp *fp,
    uint64_t seq)
{
	size_t i;

	for (i = 0; i < ks->ngone; i++)
		if (ks->gone[i].lo == fp->lo && ks->gone[i].hi == fp->hi &&
		    seq < ks->gone[i].seq)
			return 1;
	return 0;
}

/*
 * A live entry of fp in the runs: 1 (*e), 0 none, -1 read error (err).
 * Newest run first: an expired entry may have a live one in a later run.
 */
static int
runs_find(const struct rta_keyset *ks, const struct rta_fp *fp,
    struct rta_keyset_entry *e, struct rta_error *err)
{
	size_t k;
	int r;

	if (ks->nrun == 0 || (fp_timed(fp) && fp_time(fp) > ks->run_max_t) ||
	    !sf_has(ks, fp))
		return 0;
	for (k = ks->nrun; k-- > 0; ) {
		if ((r = run_find(ks, &ks->run[k], fp, e)) < 0)
			return rta_error_errno(err, "key spill file"), -1;
		if (r == 1 && (ks->es == 16 || e->ts >= ks->horizon) &&
		    !gone_in(ks, fp, ks->run[k].seq))
			return 1;
	}
	return 0;
}

/* Drop the runs whose entries have all expired (their bytes too). */
static void
runs_expire(struct rta_keyset *ks)
{
	size_t k = 0, w = 0;

	for (k = 0; k < ks->nrun; k++) {
		struct rta_keyset_run *run = &ks->run[k];

		if (run->max_ts >= ks->horizon) {
			ks->run[w++] = *run;
			continue;
		}
#ifdef FALLOC_FL_PUNCH_HOLE
		(void)fallocate(ks->spill_fd, FALLOC_FL_PUNCH_HOLE |
		    FALLOC_FL_KEEP_SIZE, (off_t)run->off,
		    (off_t)(run->end - run->off));
#endif
		ks->run_keys -= run->n;
		ks->run_mem -= run_mem(run);
		run_free(run);
	}
	ks->nrun = w;
	set_arena_cap(ks);
}

/*
 * Call fn for every live entry of run k that was not forgotten, reading
 * its tables in chunks: RTA_OK, RTA_EIO or RTA_ENOMEM (err).
 */
static int
run_each(const struct rta_keyset *ks, size_t k,
    void (*fn)(void *, const uint64_t *), void *arg, struct rta_error *err)
{
	const struct rta_keyset_run *run = &ks->run[k];
	unsigned char *b;
	size_t t, nt = RTA_KEYSET_PARTS + run->nslab;
	uint64_t done, len, i;

	if ((b = rta_malloc(SCAN_CHUNK)) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	for (t = 0; t < nt; t++) {
		const struct run_tab *rt = t < RTA_KEYSET_PARTS ?
		    &run->part[t] : &run->slab[t - RTA_KEYSET_PARTS];

		for (done = 0; done < (uint64_t)rt->nb * BUCKET; done += len) {
			len = (uint64_t)rt->nb * BUCKET - done;
			if (len > SCAN_CHUNK)
				len = SCAN_CHUNK;
			if (pread_all(ks->spill_fd, b, (size_t)len, rt->off +
			    done) != 0) {
				rta_free(b);
				return rta_error_errno(err, "key spill file");
			}
			for (i = 0; i < len / ks->es; i++) {
				const uint64_t *s = tab_slot(ks, b, i);
				struct rta_fp fp;

				fp.lo = s[0];
				fp.hi = s[1];
				if ((s[0] | s[1]) != 0 && slot_live(ks, s) &&
				    !gone_in(ks, &fp, run->seq))
					fn(arg, s);
			}
		}
	}
	rta_free(b);
	return RTA_OK;
}

/* ---- Bloom filters ------------------------------------------------------ */

/*
 * The k bits of a key in its block are the top 9 bits of lo + i * step:
 * the block comes from hi and the start from the top of lo, so the step
 * is made of lo's low half, independent of both.
 */
static inline uint64_t
bloom_step(const struct rta_fp *fp)
{
	return (fp->lo << 32 | fp->lo >> 32) | 1;
}

static unsigned char *
bloom_block(const struct rta_keyset *ks, int g, const struct rta_fp *fp)
{
	__extension__ unsigned __int128 m =
	    (unsigned __int128)fp->hi * ks->nblocks;

	return ks->bloom[g] + (size_t)(uint64_t)(m >> 64) * BLOCK;
}

static int
bloom_has(const struct rta_keyset *ks, int g, const struct rta_fp *fp)
{
	const unsigned char *b;
	uint64_t step = bloom_step(fp), x = fp->lo;
	unsigned i, bit;

	if (ks->bloom[g] == NULL)
		return 0;
	b = bloom_block(ks, g, fp);
	for (i = 0; i < ks->k; i++, x += step) {
		bit = (unsigned)(x >> 55);
		if (!(b[bit >> 3] & (1U << (bit & 7))))
			return 0;
	}
	return 1;
}

static void
bloom_set(struct rta_keyset *ks, const struct rta_fp *fp)
{
	unsigned char *b = bloom_block(ks, 0, fp);
	uint64_t step = bloom_step(fp), x = fp->lo;
	unsigned i, bit;

	for (i = 0; i < ks->k; i++, x += step) {
		bit = (unsigned)(x >> 55);
		b[bit >> 3] |= (unsigned char)(1U << (bit & 7));
	}
}

static int
bloom_init(struct rta_keyset *ks, struct rta_error *err)
{
	double p = ks->o.approx, bits;
	uint64_t bytes, gens = ks->o.ttl > 0 ? 2 : 1;

	if (!(p > 0 && p < 1))
		return rta_error_set(err, RTA_EINVAL, "bad-option",
		    "false-positive rate must be between 0 and 1");
	ks->k = (unsigned)ceil(-log2(p));
	if (ks->k < 1)
		ks->k = 1;
	if (ks->k > 16)
		ks->k = 16;
	/* k/ln 2 bits per key for a plain filter; blocks need ~20% more */
	bits = ks->k / M_LN2 * 1.2;
	if (ks->o.expect > 0)
		bytes = (uint64_t)ceil((double)ks->o.expect * bits / 8);
	else if (ks->o.max_mem > 0)
		bytes = ks->o.max_mem / gens;
	else
		return rta_error_set(err, RTA_EINVAL, "bad-option",
		    "an approximate set needs an expected key count or a "
		    "memory size");
	ks->nblocks = bytes / BLOCK;
	if (ks->nblocks == 0)
		ks->nblocks = 1;
	if (ks->nblocks > SIZE_MAX / BLOCK / 2)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "filter too large");
	if ((ks->bloom[0] = rta_calloc(ks->nblocks, BLOCK)) == NULL ||
	    (gens == 2 && (ks->bloom[1] = rta_calloc(ks->nblocks, BLOCK)) ==
	    NULL)) {
		rta_free(ks->bloom[0]);
		ks->bloom[0] = NULL;
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory for the filter");
	}
	return RTA_OK;
}

/* ---- the set ------------------------------------------------------------ */

int
rta_keyset_init(struct rta_keyset *ks, const struct rta_keyset_opts *o,
    struct rta_error *err)
{
	int rc;

	memset(ks, 0, sizeof(*ks));
	ks->spill_fd = -1;
	ks->run_max_t = INT64_MIN;
	ks->o = *o;
	ks->horizon = INT64_MIN;
	ks->gen_start = INT64_MIN;
	if (o->seed[0] == 0 && o->seed[1] == 0) {
		uint64_t s = rta_hash_seed();

		ks->seed[0] = rta_hash64("rta-keyset/0", 12, s);
		ks->seed[1] = rta_hash64("rta-keyset/1", 12, s);
	} else {
		ks->seed[0] = o->seed[0];
		ks->seed[1] = o->seed[1];
	}
	if (o->dir != NULL && (ks->dir = rta_memdup(o->dir,
	    strlen(o->dir))) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	ks->o.dir = ks->dir;
	if (o->approx > 0)
		rc = bloom_init(ks, err);
	else
		rc = parts_init(ks, err);
	if (rc != RTA_OK) {
		rta_keyset_release(ks);
		return rc;
	}
	if (o->max_mem > 0 && o->approx <= 0)
		set_arena_cap(ks);
	return RTA_OK;
}

void
rta_keyset_release(struct rta_keyset *ks)
{
	char path[4096];

	size_t k;

	if (ks->spill_fd >= 0) {
		close(ks->spill_fd);
		if (ks->dir != NULL) {
			snprintf(path, sizeof(path), "%s/keys.table", ks->dir);
			(void)unlink(path);
		}
	}
	for (k = 0; k < ks->nrun; k++)
		run_free(&ks->run[k]);
	rta_free(ks->run);
	rta_free(ks->sf);
	rta_free(ks->gone);
	table_free(&ks->t);
	parts_free(ks);
	rta_free(ks->bloom[0]);
	rta_free(ks->bloom[1]);
	rta_free(ks->dir);
	memset(ks, 0, sizeof(*ks));
	ks->spill_fd = -1;
}

void
rta_keyset_fingerprint(const struct rta_keyset *ks, const void *key,
    size_t len, struct rta_fp *fp)
{
	rta_keyset_fingerprint_at(ks, key, len, -1, fp);
}

void
rta_keyset_fingerprint_at(const struct rta_keyset *ks, const void *key,
    size_t len, int64_t at, struct rta_fp *fp)
{
	uint64_t h[2];

	rta_hash64_pair(key, len, ks->seed[0], ks->seed[1], h);
	fp->lo = h[0];
	fp->hi = h[1];
	/* a Bloom filter wants every bit of hi random (it picks the block) */
	if (ks->o.approx <= 0) {
		if (at >= 0 && at < RTA_KEYSET_AT_MAX)
			fp->hi = TIME_BIT | (uint64_t)at << TIME_SHIFT |
			    (fp->hi & ((1U << TIME_SHIFT) - 1));
		else
			fp->hi &= ~TIME_BIT;
	}
	if (fp->lo == 0 && fp->hi == 0)
		fp->lo = 1;
}

void
rta_keyset_set_horizon(struct rta_keyset *ks, int64_t h)
{
	int64_t ttl = ks->o.ttl;

	if (h <= ks->horizon || (ks->bloom[0] == NULL &&
	    (ks->o.lean & RTA_KEYSET_NO_TIME)))
		return;
	ks->horizon = h;
	if (ks->nslab > 0 && ks->es == 32)
		slabs_expire(ks);
	if (ks->nrun > 0 && ks->es == 32)
		runs_expire(ks);
	if (ks->bloom[1] == NULL || ttl <= 0)
		return;
	if (ks->gen_start == INT64_MIN) {
		ks->gen_start = h;
		return;
	}
	if (h < ks->gen_start || h - ks->gen_start < ttl)
		return;
	if (h - ks->gen_start >= 2 * ttl)
		memset(ks->bloom[1], 0, (size_t)ks->nblocks * BLOCK);
	else
		memcpy(ks->bloom[1], ks->bloom[0],
		    (size_t)ks->nblocks * BLOCK);
	memset(ks->bloom[0], 0, (size_t)ks->nblocks * BLOCK);
	ks->gen_start += (h - ks->gen_start) / ttl * ttl;
	ks->added = 0;
}

int
rta_keyset_add(struct rta_keyset *ks, const struct rta_fp *fp, int64_t ts,
    uint64_t pos, struct rta_keyset_entry *first, struct rta_error *err)
{
	struct rta_keyset_table *t = &ks->t;
	struct rta_keyset_entry *e;
	uint64_t i;
	uint8_t tag = tag_of(fp), c;

	if (ks->bloom[0] != NULL) {
		ks->cold++;
		if (bloom_has(ks, 0, fp) || bloom_has(ks, 1, fp))
			return 1;
		bloom_set(ks, fp);
		ks->added++;
		return 0;
	}
	while (ks->parts != NULL) {
		struct rta_keyset_entry x;
		int r;

		/* a key held in a run is a duplicate (checked again after a
		 * spill, which may have moved the key there) */
		if (ks->nrun > 0 && (r = runs_find(ks, fp, &x, err)) != 0) {
			if (r == 1 && first != NULL)
				*first = x;
			return r;
		}
		r = fp_timed(fp) ? slab_add(ks, fp, ts, pos, first, err) :
		    part_add(ks, fp, ts, pos, first, err);
		if (r != 2)
			return r;
		/* spilled, or moved to one table: add it there */
	}
	ks->cold++;
	if ((t->used + 1) * 4 > (t->mask + 1) * 3 &&
	    rebuild(ks, err) != RTA_OK)
		return -1;
	/*
	 * The control bytes are read first: a new key usually costs one
	 * cache line of them and a store of the entry, not a load of it.
	 * Expired entries are not reused here (that would need their
	 * times); the next rebuild drops them.
	 */
	for (i = fp->lo & t->mask; (c = t->ctrl[i]) != 0;
	    i = (i + 1) & t->mask) {
		if (c != tag)
			continue;
		e = &t->e[i];
		if (e->lo != fp->lo || e->hi != fp->hi)
			continue;
		if (live(ks, e)) {
			if (first != NULL)
				*first = *e;
			return 1;
		}
		if (e->pos & DEAD)
			ks->dead--;
		e->ts = ts;
		e->pos = pos & ~DEAD;
		return 0;
	}
	e = &t->e[i];
	e->lo = fp->lo;
	e->hi = fp->hi;
	e->ts = ts;
	e->pos = pos & ~DEAD;
	t->ctrl[i] = tag;
	t->used++;
	return 0;
}

static struct rta_keyset_entry *
find(struct rta_keyset *ks, const struct rta_fp *fp)
{
	struct rta_keyset_table *t = &ks->t;
	uint64_t i;
	uint8_t tag = tag_of(fp), c;

	for (i = fp->lo & t->mask; (c = t->ctrl[i]) != 0;
	    i = (i + 1) & t->mask) {
		struct rta_keyset_entry *e = &t->e[i];

		if (c == tag && e->lo == fp->lo && e->hi == fp->hi)
			return live(ks, e) ? e : NULL;
	}
	return NULL;
}

void
rta_keyset_prefetch(const struct rta_keyset *ks, const struct rta_fp *fp)
{
	if (ks->parts != NULL) {
		unsigned char *b;
		uint64_t nb;
		uint32_t *used;

		home_table((struct rta_keyset *)ks, fp, &b, &nb, &used);
		if (nb != 0)
			__builtin_prefetch(b + (fp->lo & (nb - 1)) * BUCKET, 1,
			    3);
	} else if (ks->bloom[0] != NULL)
		__builtin_prefetch(bloom_block(ks, 0, fp), 0, 3);
	else if (ks->t.ctrl != NULL)
		__builtin_prefetch(&ks->t.ctrl[fp->lo & ks->t.mask], 0, 3);
}

int
rta_keyset_has(struct rta_keyset *ks, const struct rta_fp *fp)
{
	int64_t i;

	if (ks->bloom[0] != NULL)
		return bloom_has(ks, 0, fp) || bloom_has(ks, 1, fp);
	if (ks->parts != NULL) {
		unsigned char *b;
		uint64_t nb;
		uint32_t *used;

		struct rta_keyset_entry x;

		home_table(ks, fp, &b, &nb, &used);
		i = tab_find(ks, b, nb, fp);
		if (i >= 0 && slot_live(ks, tab_slot(ks, b, (uint64_t)i)))
			return 1;
		return runs_find(ks, fp, &x, NULL) == 1;
	}
	return find(ks, fp) != NULL;
}

int
rta_keyset_forget(struct rta_keyset *ks, const struct rta_fp *fp)
{
	struct rta_keyset_entry *e;

	if (ks->bloom[0] != NULL)
		return 0;
	if (ks->parts != NULL) {
		unsigned char *b;
		uint64_t nb;
		uint32_t *used;
		int64_t i;

		struct rta_keyset_entry x;
		struct rta_keyset_gone *g;

		home_table(ks, fp, &b, &nb, &used);
		i = tab_find(ks, b, nb, fp);
		if (i >= 0 && slot_live(ks, tab_slot(ks, b, (uint64_t)i))) {
			tab_remove(ks, b, nb, (uint64_t)i);
			(*used)--;
			ks->nused--;
			return 1;
		}
		/* in a run, which never changes: noted as gone from it */
		if (runs_find(ks, fp, &x, NULL) != 1 || (g =
		    rta_reallocarray(ks->gone, ks->ngone + 1,
		    sizeof(*g))) == NULL)
			return 0;
		ks->gone = g;
		g[ks->ngone].lo = fp->lo;
		g[ks->ngone].hi = fp->hi;
		g[ks->ngone].seq = ks->run_seq + 1;
		ks->ngone++;
		return 1;
	}
	if ((e = find(ks, fp)) == NULL)
		return 0;
	e->pos |= DEAD;
	ks->dead++;
	return 1;
}

uint64_t
rta_keyset_count(struct rta_keyset *ks)
{
	if (ks->bloom[0] != NULL)
		return ks->added;
	return ks->parts != NULL ? ks->nused + ks->run_keys : ks->t.used;
}

uint64_t
rta_keyset_spilled(const struct rta_keyset *ks)
{
	return ks->run_keys;
}

uint64_t
rta_keyset_memory(const struct rta_keyset *ks)
{
	uint64_t m = table_memory(&ks->t) + ks->arena_used;

	m += ks->sf_blocks * BLOCK + ks->run_mem +
	    ks->ngone * sizeof(struct rta_keyset_gone);
	if (ks->bloom[0] != NULL)
		m += ks->nblocks * BLOCK * (ks->bloom[1] != NULL ? 2 : 1);
	return m;
}

/* The chance that a new key finds all its k bits set in a block, from
 * the blocks' fill. */
static double
fill_rate(const struct rta_keyset *ks, int g)
{
	const unsigned char *b = ks->bloom[g];
	double sum = 0;
	uint64_t i;
	unsigned j, ones;

	if (b == NULL)
		return 0;
	for (i = 0; i < ks->nblocks; i++, b += BLOCK) {
		uint64_t w;

		ones = 0;
		for (j = 0; j < BLOCK; j += 8) {
			memcpy(&w, b + j, 8);
			ones += (unsigned)__builtin_popcountll(w);
		}
		if (ones > 0)
			sum += pow(ones / 512.0, ks->k);
	}
	return sum / (double)ks->nblocks;
}

double
rta_keyset_fp_rate(const struct rta_keyset *ks)
{
	double a, b;

	if (ks->bloom[0] == NULL)
		return 0;
	a = fill_rate(ks, 0);
	b = fill_rate(ks, 1);
	return 1 - (1 - a) * (1 - b);
}

/* ---- checkpoints -------------------------------------------------------- */

struct wr {
	int		 fd;
	uint32_t	 crc;
	struct rta_buf	 b;
	int		 failed;
	unsigned	 es;		/* entries of the runs read back */
};

static void
wr_flush(struct wr *w)
{
	size_t off = 0;

	while (!w->failed && off < w->b.len) {
		ssize_t n = write(w->fd, w->b.data + off, w->b.len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			w->failed = errno != 0 ? errno : EIO;
			break;
		}
		off += (size_t)n;
	}
	w->b.len = 0;
}

static void
wr_add(struct wr *w, const void *p, size_t len)
{
	w->crc = rta_crc32c(w->crc, p, len);
	if (w->b.len + len > IO_CHUNK)
		wr_flush(w);
	if (len > IO_CHUNK) {
		while (len > 0 && !w->failed) {
			size_t n = len < IO_CHUNK ? len : IO_CHUNK;

			memcpy(w->b.data, p, n);
			w->b.len = n;
			wr_flush(w);
			p = (const unsigned char *)p + n;
			len -= n;
		}
		return;
	}
	memcpy(w->b.data + w->b.len, p, len);
	w->b.len += len;
}

static void
wr_u64(struct wr *w, uint64_t v)
{
	unsigned char b[8];

	rta_put_u64(b, v);
	wr_add(w, b, 8);
}

static int
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

static void
count_one(void *arg, const uint64_t *s)
{
	(void)s;
	(*(uint64_t *)arg)++;
}

static void
save_one(void *arg, const uint64_t *s)
{
	struct wr *w = arg;
	unsigned char out[32];

	rta_put_u64(out, s[0]);
	rta_put_u64(out + 8, s[1]);
	rta_put_u64(out + 16, (uint64_t)0);
	rta_put_u64(out + 24, RTA_KEYSET_POS_MAX);
	if (w->es == 32) {
		rta_put_u64(out + 16, s[2]);
		rta_put_u64(out + 24, s[3]);
	}
	wr_add(w, out, 32);
}

/* Write the live entries of a table to a checkpoint. */
static void
tab_save(const struct rta_keyset *ks, struct wr *w, unsigned char *b,
    uint64_t nb)
{
	unsigned char out[32];
	struct rta_keyset_entry x;
	uint64_t i, ns = nb * (BUCKET / ks->es);

	for (i = 0; i < ns; i++) {
		const uint64_t *s = tab_slot(ks, b, i);

		if ((s[0] | s[1]) == 0 || !slot_live(ks, s))
			continue;
		slot_entry(ks, s, &x);
		rta_put_u64(out, x.lo);
		rta_put_u64(out + 8, x.hi);
		rta_put_u64(out + 16, (uint64_t)x.ts);
		rta_put_u64(out + 24, x.pos);
		wr_add(w, out, 32);
	}
}

int
rta_keyset_save(struct rta_keyset *ks, const char *dir, const char *name,
    const void *meta, size_t mlen, struct rta_error *err)
{
	char path[4096], tmp[4200];
	struct wr w;
	uint64_t i, n = 0;
	unsigned char hdr[16], c[4];
	int e, rc;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	memset(&w, 0, sizeof(w));
	if (rta_buf_reserve(&w.b, IO_CHUNK) != 0)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	if ((w.fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) < 0) {
		rta_buf_release(&w.b);
		return rta_error_errno(err, tmp);
	}
	memcpy(hdr, ckpt_magic, 8);
	rta_put_u32(hdr + 8, CKPT_VERSION);
	rta_put_u32(hdr + 12, ks->bloom[0] != NULL);
	wr_add(&w, hdr, 16);
	wr_u64(&w, ks->seed[0]);
	wr_u64(&w, ks->seed[1]);
	wr_u64(&w, mlen);
	wr_add(&w, meta, mlen);
	if (ks->bloom[0] != NULL) {
		wr_u64(&w, ks->nblocks);
		wr_u64(&w, ks->k | (ks->bloom[1] != NULL ? 1ULL << 32 : 0));
		wr_u64(&w, (uint64_t)ks->gen_start);
		wr_u64(&w, ks->added);
		wr_add(&w, ks->bloom[0], (size_t)ks->nblocks * BLOCK);
		if (ks->bloom[1] != NULL)
			wr_add(&w, ks->bloom[1], (size_t)ks->nblocks * BLOCK);
	} else if (ks->parts != NULL) {
		uint64_t k;

		for (k = 0; k < RTA_KEYSET_PARTS; k++)
			n += tab_live(ks, part_base(ks, &ks->parts[k]),
			    ks->parts[k].nb, ks->parts[k].used);
		for (k = 0; k < ks->nslab; k++)
			n += tab_live(ks, ks->slab[k].b, ks->slab[k].nb,
			    ks->slab[k].used);
		w.es = ks->es;
		for (k = 0; k < ks->nrun; k++)
			if ((rc = run_each(ks, (size_t)k, count_one, &n,
			    err)) != RTA_OK)
				goto fail;
		wr_u64(&w, n);
		for (k = 0; k < RTA_KEYSET_PARTS; k++)
			tab_save(ks, &w, part_base(ks, &ks->parts[k]),
			    ks->parts[k].nb);
		for (k = 0; k < ks->nslab; k++)
			tab_save(ks, &w, ks->slab[k].b, ks->slab[k].nb);
		for (k = 0; k < ks->nrun; k++)
			if ((rc = run_each(ks, (size_t)k, save_one, &w,
			    err)) != RTA_OK)
				goto fail;
	} else {
		for (i = 0; i <= ks->t.mask; i++)
			if (ks->t.ctrl[i] != 0 && live(ks, &ks->t.e[i]))
				n++;
		wr_u64(&w, n);
		for (i = 0; i <= ks->t.mask; i++) {
			const struct rta_keyset_entry *x = &ks->t.e[i];

			if (ks->t.ctrl[i] != 0 && live(ks, x)) {
				unsigned char b[32];

				rta_put_u64(b, x->lo);
				rta_put_u64(b + 8, x->hi);
				rta_put_u64(b + 16, (uint64_t)x->ts);
				rta_put_u64(b + 24, x->pos);
				wr_add(&w, b, 32);
			}
		}
	}
	rta_put_u32(c, w.crc);
	w.crc = 0;
	wr_add(&w, c, 4);
	wr_flush(&w);
	e = w.failed;
	if (e == 0 && fsync(w.fd) != 0)
		e = errno;
	if (close(w.fd) != 0 && e == 0)
		e = errno;
	rta_buf_release(&w.b);
	if (e == 0 && rename(tmp, path) != 0)
		e = errno;
	if (e == 0 && sync_dir(dir) != 0)
		e = errno;
	if (e != 0) {
		(void)unlink(tmp);
		return rta_error_set(err, RTA_EIO, "io", "%s: %s", tmp,
		    strerror(e));
	}
	return RTA_OK;
fail:
	close(w.fd);
	(void)unlink(tmp);
	rta_buf_release(&w.b);
	return rc;
}

struct rd {
	int		 fd;
	const char	*path;
	uint32_t	 crc;
	uint64_t	 left;		/* file bytes not yet read */
	struct rta_error *err;
};

/* Read exactly n bytes (counted in the CRC); RTA_OK or an error. */
static int
rd_get(struct rd *r, void *p, size_t n)
{
	unsigned char *q = p;
	size_t want = n;

	if (n > r->left)
		return rta_error_set(r->err, RTA_EDATA, "bad-state",
		    "%s: truncated", r->path);
	while (n > 0) {
		ssize_t got = read(r->fd, q, n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return rta_error_errno(r->err, r->path);
		if (got == 0)
			return rta_error_set(r->err, RTA_EDATA, "bad-state",
			    "%s: truncated", r->path);
		q += got;
		n -= (size_t)got;
	}
	r->left -= want;
	r->crc = rta_crc32c(r->crc, p, want);
	return RTA_OK;
}

static int
rd_u64(struct rd *r, uint64_t *v)
{
	unsigned char b[8];
	int rc;

	if ((rc = rd_get(r, b, 8)) == RTA_OK)
		*v = rta_get_u64(b);
	return rc;
}

static int
rd_open(struct rd *r, const char *dir, const char *name, char *path,
    size_t psz, struct rta_error *err)
{
	struct stat sb;

	memset(r, 0, sizeof(*r));
	r->err = err;
	r->path = path;
	snprintf(path, psz, "%s/%s", dir, name);
	if ((r->fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return RTA_EOF;
		return rta_error_errno(err, path);
	}
	if (fstat(r->fd, &sb) != 0) {
		rta_error_errno(err, path);
		close(r->fd);
		return RTA_EIO;
	}
	r->left = (uint64_t)sb.st_size;
	return RTA_OK;
}

/* Header, seeds and meta; *mode is 0 exact or 1 approx. */
static int
rd_head(struct rd *r, uint64_t seed[2], int *mode, struct rta_buf *meta)
{
	unsigned char hdr[16];
	uint64_t mlen;
	int rc;

	if ((rc = rd_get(r, hdr, 16)) != RTA_OK)
		return rc;
	if (memcmp(hdr, ckpt_magic, 8) != 0 || rta_get_u32(hdr + 8) != CKPT_VERSION ||
	    rta_get_u32(hdr + 12) > 1)
		return rta_error_set(r->err, RTA_EDATA, "bad-state",
		    "%s: not an rta-dedup checkpoint (of this version)",
		    r->path);
	*mode = (int)rta_get_u32(hdr + 12);
	if ((rc = rd_u64(r, &seed[0])) != RTA_OK ||
	    (rc = rd_u64(r, &seed[1])) != RTA_OK ||
	    (rc = rd_u64(r, &mlen)) != RTA_OK)
		return rc;
	if (mlen > r->left)
		return rta_error_set(r->err, RTA_EDATA, "bad-state",
		    "%s: truncated", r->path);
	meta->len = 0;
	if (rta_buf_reserve(meta, (size_t)mlen + 1) != 0)
		return rta_error_set(r->err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	if ((rc = rd_get(r, meta->data, (size_t)mlen)) != RTA_OK)
		return rc;
	meta->len = (size_t)mlen;
	return RTA_OK;
}

static int
rd_tail(struct rd *r)
{
	unsigned char c[4];
	uint32_t want = r->crc;
	int rc;

	if ((rc = rd_get(r, c, 4)) != RTA_OK)
		return rc;
	if (rta_get_u32(c) != want || r->left != 0)
		return rta_error_set(r->err, RTA_EDATA, "bad-state",
		    "%s: checksum mismatch (damaged checkpoint)", r->path);
	return RTA_OK;
}

int
rta_keyset_peek(const char *dir, const char *name, uint64_t seed[2],
    int *approx, struct rta_buf *meta, struct rta_error *err)
{
	char path[4096];
	unsigned char *chunk = NULL;
	struct rd r;
	int rc;

	if ((rc = rd_open(&r, dir, name, path, sizeof(path), err)) !=
	    RTA_OK)
		return rc;
	if ((rc = rd_head(&r, seed, approx, meta)) != RTA_OK)
		goto out;
	/* the checksum covers the keys too: read through them */
	if ((chunk = rta_malloc(IO_CHUNK)) == NULL) {
		rc = rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
		goto out;
	}
	while (r.left > 4)
		if ((rc = rd_get(&r, chunk, r.left - 4 < IO_CHUNK ?
		    (size_t)(r.left - 4) : IO_CHUNK)) != RTA_OK)
			goto out;
	rc = rd_tail(&r);
out:
	rta_free(chunk);
	close(r.fd);
	return rc;
}

static int
load_bloom(struct rta_keyset *ks, struct rd *r)
{
	uint64_t nb, kw, gs, added;
	unsigned char *b[2] = { NULL, NULL };
	int rc, gens;

	if ((rc = rd_u64(r, &nb)) != RTA_OK || (rc = rd_u64(r, &kw)) !=
	    RTA_OK || (rc = rd_u64(r, &gs)) != RTA_OK ||
	    (rc = rd_u64(r, &added)) != RTA_OK)
		return rc;
	gens = (kw >> 32) & 1 ? 2 : 1;
	if (nb == 0 || nb > r->left / BLOCK / (uint64_t)gens ||
	    (kw & 0xffffffff) < 1 || (kw & 0xffffffff) > 16)
		return rta_error_set(r->err, RTA_EDATA, "bad-state",
		    "%s: bad filter size", r->path);
	/* a generation starts at a horizon: a time (far inside an int64, so
	 * that differences with other times cannot overflow), or none */
	if ((int64_t)gs != INT64_MIN && ((int64_t)gs < -(1LL << 62) ||
	    (int64_t)gs > (1LL << 62)))
		return rta_error_set(r->err, RTA_EDATA, "bad-state",
		    "%s: bad generation start", r->path);
	/* the saved filter wins over the size the options would give; a
	 * set that now ages (--ttl) keeps a second, empty, generation */
	if ((b[0] = rta_malloc((size_t)nb * BLOCK)) == NULL ||
	    ((gens == 2 || ks->bloom[1] != NULL) &&
	    (b[1] = rta_calloc((size_t)nb, BLOCK)) == NULL)) {
		rta_free(b[0]);
		return rta_error_set(r->err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	}
	if ((rc = rd_get(r, b[0], (size_t)nb * BLOCK)) != RTA_OK ||
	    (gens == 2 && (rc = rd_get(r, b[1], (size_t)nb * BLOCK)) !=
	    RTA_OK) || (rc = rd_tail(r)) != RTA_OK) {
		rta_free(b[0]);
		rta_free(b[1]);
		return rc;
	}
	rta_free(ks->bloom[0]);
	rta_free(ks->bloom[1]);
	ks->bloom[0] = b[0];
	ks->bloom[1] = b[1];
	ks->nblocks = nb;
	ks->k = (unsigned)(kw & 0xffffffff);
	ks->gen_start = (int64_t)gs;
	ks->added = added;
	return RTA_OK;
}

int
rta_keyset_load(struct rta_keyset *ks, const char *dir, const char *name,
    struct rta_error *err)
{
	char path[4096];
	struct rta_buf meta = RTA_BUF_INIT;
	unsigned char *chunk = NULL;
	uint64_t seed[2], n, i;
	struct rd r;
	int rc, mode;

	if ((rc = rd_open(&r, dir, name, path, sizeof(path), err)) !=
	    RTA_OK)
		return rc;
	if ((rc = rd_head(&r, seed, &mode, &meta)) != RTA_OK)
		goto out;
	if (seed[0] != ks->seed[0] || seed[1] != ks->seed[1] ||
	    mode != (ks->bloom[0] != NULL)) {
		rc = rta_error_set(err, RTA_EINVAL, "bad-state", "%s: made "
		    "with other seeds or another mode", path);
		goto out;
	}
	if (mode == 1) {
		rc = load_bloom(ks, &r);
		goto out;
	}
	if ((rc = rd_u64(&r, &n)) != RTA_OK)
		goto out;
	if (n > r.left / RTA_KEYSET_ENTRY_SIZE) {
		rc = rta_error_set(err, RTA_EDATA, "bad-state",
		    "%s: truncated", path);
		goto out;
	}
	if ((chunk = rta_malloc(IO_CHUNK)) == NULL) {
		rc = rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
		goto out;
	}
	for (i = 0; i < n; ) {
		uint64_t m = n - i < IO_CHUNK / 32 ? n - i : IO_CHUNK / 32, j;

		if ((rc = rd_get(&r, chunk, (size_t)m * 32)) != RTA_OK)
			goto out;
		for (j = 0; j < m; j++) {
			struct rta_fp fp;
			const unsigned char *p = chunk + j * 32;

			fp.lo = rta_get_u64(p);
			fp.hi = rta_get_u64(p + 8);
			if (fp.lo == 0 && fp.hi == 0)
				continue;
			if (rta_keyset_add(ks, &fp, (int64_t)rta_get_u64(p +
			    16), rta_get_u64(p + 24), NULL, err) < 0) {
				rc = err != NULL ? err->code : RTA_ENOMEM;
				goto out;
			}
		}
		i += m;
	}
	rc = rd_tail(&r);
out:
	rta_free(chunk);
	rta_buf_release(&meta);
	close(r.fd);
	return rc;
}

/* ---- journal ------------------------------------------------------------ */

int
rta_journal_create(struct rta_journal *j, const char *dir, const char *name,
    uint64_t gen, struct rta_error *err)
{
	char path[4096], tmp[4200];
	unsigned char hdr[16];
	int fd, e = 0;

	memset(j, 0, sizeof(*j));
	j->fd = -1;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((j->path = rta_memdup(path, strlen(path))) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0644)) < 0) {
		rta_error_errno(err, tmp);
		rta_free(j->path);
		j->path = NULL;
		return RTA_EIO;
	}
	memcpy(hdr, jrnl_magic, 8);
	rta_put_u64(hdr + 8, gen);
	if (write(fd, hdr, 16) != 16 || fsync(fd) != 0 ||
	    rename(tmp, path) != 0 || sync_dir(dir) != 0)
		e = errno != 0 ? errno : EIO;
	if (e != 0) {
		close(fd);
		(void)unlink(tmp);
		rta_free(j->path);
		j->path = NULL;
		return rta_error_set(err, RTA_EIO, "io", "%s: %s", path,
		    strerror(e));
	}
	j->fd = fd;
	j->gen = gen;
	j->bytes = 16;
	return RTA_OK;
}

int
rta_journal_append(struct rta_journal *j, const char *dir, const char *name,
    uint64_t gen, uint64_t valid, struct rta_error *err)
{
	char path[4096];

	memset(j, 0, sizeof(*j));
	j->fd = -1;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((j->path = rta_memdup(path, strlen(path))) == NULL)
		return rta_error_set(err, RTA_ENOMEM, "no-memory",
		    "out of memory");
	if ((j->fd = open(path, O_WRONLY | O_CLOEXEC)) < 0 ||
	    ftruncate(j->fd, (off_t)valid) != 0 ||
	    lseek(j->fd, (off_t)valid, SEEK_SET) < 0) {
		rta_error_errno(err, path);
		rta_journal_close(j);
		return RTA_EIO;
	}
	j->gen = gen;
	j->bytes = valid;
	return RTA_OK;
}

int
rta_journal_put(struct rta_journal *j, int type, const void *p, size_t len)
{
	unsigned char h[8], c[4];
	uint32_t crc;

	if (len > RTA_JOURNAL_RECORD_MAX ||
	    rta_buf_reserve(&j->buf, len + 12) != 0) {
		errno = ENOMEM;
		return -1;
	}
	h[0] = (unsigned char)type;
	h[1] = h[2] = h[3] = 0;
	rta_put_u32(h + 4, (uint32_t)len);
	crc = rta_crc32c(0, h, 8);
	crc = rta_crc32c(crc, p, len);
	rta_put_u32(c, crc);
	rta_buf_add(&j->buf, h, 8);
	rta_buf_add(&j->buf, p, len);
	rta_buf_add(&j->buf, c, 4);
	return 0;
}

int
rta_journal_write(struct rta_journal *j, struct rta_error *err)
{
	size_t off = 0;

	while (off < j->buf.len) {
		ssize_t n = write(j->fd, j->buf.data + off, j->buf.len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return rta_error_errno(err, j->path);
		off += (size_t)n;
		j->bytes += (uint64_t)n;
	}
	j->buf.len = 0;
	return RTA_OK;
}

int
rta_journal_sync(struct rta_journal *j, struct rta_error *err)
{
	if (fsync(j->fd) != 0)
		return rta_error_errno(err, j->path);
	return RTA_OK;
}

void
rta_journal_close(struct rta_journal *j)
{
	if (j->fd >= 0)
		close(j->fd);
	rta_free(j->path);
	rta_buf_release(&j->buf);
	memset(j, 0, sizeof(*j));
	j->fd = -1;
}

int
rta_journal_replay(const char *dir, const char *name, uint64_t gen,
    int (*fn)(void *, int, const unsigned char *, size_t), void *arg,
    int *applied, int *torn, uint64_t *valid, struct rta_error *err)
{
	char path[4096];
	unsigned char h[16];
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_error rerr;
	struct rd r;
	uint32_t len;
	int rc;

	*applied = 0;
	*torn = 0;
	*valid = 0;
	rta_error_clear(&rerr);
	if ((rc = rd_open(&r, dir, name, path, sizeof(path), err)) != RTA_OK)
		return rc == RTA_EOF ? RTA_OK : rc;
	r.err = &rerr;
	if (rd_get(&r, h, 16) != RTA_OK || memcmp(h, jrnl_magic, 8) != 0 ||
	    rta_get_u64(h + 8) != gen) {
		close(r.fd);
		return RTA_OK;
	}
	*applied = 1;
	*valid = 16;
	for (;;) {
		if (r.left == 0)
			break;
		r.crc = 0;
		if (rd_get(&r, h, 8) != RTA_OK) {
			*torn = 1;
			break;
		}
		len = rta_get_u32(h + 4);
		/* the length is untrusted: it must fit in what is left */
		if (len > RTA_JOURNAL_RECORD_MAX || (uint64_t)len + 4 >
		    r.left || h[1] != 0 || h[2] != 0 || h[3] != 0) {
			*torn = 1;
			break;
		}
		b.len = 0;
		if (rta_buf_reserve(&b, (size_t)len + 4) != 0) {
			rc = rta_error_set(err, RTA_ENOMEM, "no-memory",
			    "out of memory");
			goto out;
		}
		if (rd_get(&r, b.data, len) != RTA_OK) {
			*torn = 1;
			break;
		}
		{
			uint32_t want = r.crc;

			if (rd_get(&r, b.data + len, 4) != RTA_OK ||
			    rta_get_u32(b.data + len) != want) {
				*torn = 1;
				break;
			}
		}
		if ((rc = fn(arg, h[0], b.data, len)) != RTA_OK)
			goto out;
		*valid += 12 + (uint64_t)len;
	}
	rc = RTA_OK;
out:
	rta_buf_release(&b);
	close(r.fd);
	if (rc == RTA_EIO && rerr.code == RTA_EIO && err != NULL)
		*err = rerr;
	return rc;
}
