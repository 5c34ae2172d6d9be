/*
 * rta_reftable.c: load, index and join reference tables.
 *
 * A table lives in one arena: for each row a fixed header (validity
 * interval, chain links, line), the key bytes, then the row's members
 * encoded and named as they will appear in a payload.  The index is an
 * open-addressing hash table of 64-bit slots, each holding the arena
 * offset of a row (divided by 8: records start on a cache line and never
 * at offset 0, so the low 3 bits are free and hold the number of cache
 * lines the row spans, up to 7) and the top 24 bits of the key's hash,
 * so that most probes that miss never touch the arena.  A lookup that
 * hits costs two cache misses: the slot and the row, whose lines are
 * fetched together.  rta_reftable_prefetch_row can start those early.
 *
 * Rows of an effective-dated key form a chain sorted by valid-from; the
 * head (the one in the index) also knows the tail, so a file sorted by
 * time is loaded in constant time per row.  Overlaps are found as rows
 * are inserted, so the error names the later line.
 *
 * CSV goes through libcsv, fed one physical line at a time so that each
 * row knows its first line; NDJSON through the project's JSON parser.
 * Neither ever holds more than max_line bytes of a row.
 */
#define _DEFAULT_SOURCE		/* madvise(MADV_HUGEPAGE) */
#include <sys/mman.h>

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rta_alloc.h"
#include "rta_field.h"
#include "rta_hash.h"
#include "rta_json.h"
#include "rta_reftable.h"
#include "rta_utf8.h"
#include "rta_value.h"

#define READ_CHUNK	(256 * 1024)
#define MAX_COLUMNS	4096
#define SLOT_OFF_BITS	40
#define SLOT_OFF_MASK	((1ULL << SLOT_OFF_BITS) - 1)
#define SLOT_LINES	7ULL	/* low bits: cache lines of the row */
#define LINE		64
/* The arena offset of the row a slot holds, and its cache lines. */
#define SLOT_ROW(s)	(((s) & SLOT_OFF_MASK & ~SLOT_LINES) << 3)
#define SLOT_NLINES(s)	((unsigned)((s) & SLOT_LINES))

struct rec {
	int64_t		 from, to;	/* [from, to); open: MIN/MAX */
	uint64_t	 next;		/* arena offset of the next version */
	uint64_t	 last;		/* head only: the chain's last */
	uint64_t	 line;
	uint32_t	 klen, mlen, count, pad;
	/* klen key bytes, then mlen member bytes */
};

struct rta_reftable {
	unsigned char	*arena;		/* the allocation */
	unsigned char	*base;		/* its first cache line boundary */
	size_t		 alen, acap;
	uint64_t	*slots;
	size_t		 nslots, used;	/* nslots a power of 2 (or 0) */
	size_t		 rows;
	uint64_t	 seed;
	int		 dated;
	struct rta_buf	 defaults;
	uint32_t	 ndefaults;
};

/* One output member: its final name and, for CSV, its column. */
struct outcol {
	size_t		 name_off, name_len;	/* in loader.names */
	long		 col;
	size_t		 val_off, val_len;	/* this row's value; len 0: absent */
};

struct loader {
	const struct rta_reftable_opts *o;
	struct rta_reftable	*t;
	struct rta_error	*err;
	const char		*prefix;
	size_t			 plen, max_line;
	uint64_t		 line;		/* physical line being read */
	uint64_t		 row_line;	/* first line of the current row */
	uint64_t		 err_line;
	int			 rc;		/* first failure, RTA_OK if none */
	/* CSV */
	struct csv_parser	 csv;
	int			 csv_ok;
	int			 have_header;
	int			 at_row_start;
	size_t			 row_bytes;
	size_t			 ncols, cell;
	struct rta_buf		 colnames;	/* u32 len + bytes per column */
	long			 key_col, from_col, to_col;
	long			*col_out;	/* column -> outcol index, -1 */
	struct outcol		*out;
	size_t			 nout;
	struct rta_buf		 names;		/* prefixed output names */
	struct rta_buf		 cells;		/* this row's values */
	struct rta_buf		 key;
	int			 have_key;
	struct rta_buf		 fromtext, totext;
	int			 have_from, have_to;
	/* both */
	struct rta_buf		 members;
	struct rta_json		 json;
	struct rta_buf		 doc;
	struct rta_buf		 io;
};

static int	load_fail(struct loader *, uint64_t, int, const char *,
		    const char *, ...) RTA_PRINTFLIKE(5, 6);

void
rta_reftable_opts_init(struct rta_reftable_opts *o)
{
	memset(o, 0, sizeof(*o));
}

int
rta_ref_format_parse(const char *s, enum rta_ref_format *f)
{
	if (strcmp(s, "csv") == 0)
		*f = RTA_REF_CSV;
	else if (strcmp(s, "ndjson") == 0 || strcmp(s, "jsonl") == 0)
		*f = RTA_REF_NDJSON;
	else
		return -1;
	return 0;
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n > m && strcmp(s + n - m, suffix) == 0;
}

enum rta_ref_format
rta_ref_format_guess(const char *path)
{
	if (ends_with(path, ".csv"))
		return RTA_REF_CSV;
	if (ends_with(path, ".ndjson") || ends_with(path, ".jsonl"))
		return RTA_REF_NDJSON;
	return RTA_REF_AUTO;
}

/* The first failure wins; later ones (from callbacks still running) are
 * ignored. */
static int
load_fail(struct loader *L, uint64_t line, int code, const char *reason,
    const char *fmt, ...)
{
	va_list ap;

	if (L->rc != RTA_OK)
		return L->rc;
	L->rc = code;
	L->err_line = line;
	if (L->err != NULL) {
		L->err->code = code;
		L->err->reason = reason;
		L->err->offset = 0;
		va_start(ap, fmt);
		vsnprintf(L->err->text, sizeof(L->err->text), fmt, ap);
		va_end(ap);
	}
	return code;
}

static int
nomem(struct loader *L)
{
	return load_fail(L, 0, RTA_ENOMEM, "no-memory", "out of memory");
}

/* ---- the table ------------------------------------------------------ */

/*
 * Lookups are random accesses into tens or hundreds of megabytes: with
 * 4 KiB pages nearly every one is also a TLB miss.  Ask for huge pages
 * for the 2 MiB-aligned inside of a large block before it is touched.
 */
#define HUGE_PAGE	(2UL << 20)

static void
huge_pages(void *p, size_t n)
{
	uintptr_t a = ((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1),
	    e = ((uintptr_t)p + n) & ~(uintptr_t)(HUGE_PAGE - 1);

	if (n >= 2 * HUGE_PAGE && e > a)
		(void)madvise((void *)a, e - a, MADV_HUGEPAGE);
}

/* The arena grew by doubling while it was written; copy it once into a
 * block of its final size, in huge pages where possible. */
static unsigned char *
line_up(unsigned char *a)
{
	return a + ((LINE - (uintptr_t)a % LINE) % LINE);
}

static void
settle_arena(struct rta_reftable *t)
{
	unsigned char *a, *b;

	if (t->alen < 2 * HUGE_PAGE || (a = rta_malloc(t->alen + LINE)) ==
	    NULL)
		return;
	huge_pages(a, t->alen + LINE);
	b = line_up(a);
	memcpy(b, t->base, t->alen);
	rta_free(t->arena);
	t->arena = a;
	t->base = b;
	t->acap = t->alen;
}

static inline struct rec *
rec_at(const struct rta_reftable *t, uint64_t off)
{
	return (struct rec *)(void *)(t->base + off);
}

/* The slot bits for the row at off: offset / 8 and its cache lines. */
static inline uint64_t
slot_row(const struct rta_reftable *t, uint64_t off)
{
	const struct rec *r = rec_at(t, off);
	size_t lines = (sizeof(*r) + r->klen + r->mlen + LINE - 1) / LINE;

	return off >> 3 | (lines < SLOT_LINES ? lines : SLOT_LINES);
}

static inline uint64_t
key_hash(const struct rta_reftable *t, const void *key, size_t len)
{
	return rta_hash64(key, len, t->seed);
}

/* The slot holding key, or the empty slot where it would go. */
static size_t
find_slot(const struct rta_reftable *t, const char *key, size_t len,
    uint64_t h)
{
	size_t mask = t->nslots - 1, i = (size_t)h & mask;
	uint64_t tag = h >> SLOT_OFF_BITS, s;

	for (;;) {
		s = t->slots[i];
		if (s == 0)
			return i;
		if ((s >> SLOT_OFF_BITS) == tag) {
			const struct rec *r = rec_at(t, SLOT_ROW(s));

			if (r->klen == len && memcmp(r + 1, key, len) == 0)
				return i;
		}
		i = (i + 1) & mask;
	}
}

static int
grow_slots(struct rta_reftable *t)
{
	size_t n = t->nslots ? t->nslots * 2 : 1024, i, j;
	uint64_t *s, v;

	if (n > SIZE_MAX / 2 / sizeof(*s) ||
	    (s = rta_calloc(n, sizeof(*s))) == NULL)
		return -1;
	huge_pages(s, n * sizeof(*s));
	for (i = 0; i < t->nslots; i++) {
		const struct rec *r;

		if ((v = t->slots[i]) == 0)
			continue;
		r = rec_at(t, SLOT_ROW(v));
		j = (size_t)key_hash(t, r + 1, r->klen) & (n - 1);
		while (s[j] != 0)
			j = (j + 1) & (n - 1);
		s[j] = v;
	}
	rta_free(t->slots);
	t->slots = s;
	t->nslots = n;
	return 0;
}

/* Append a record; its offset, or 0 on ENOMEM. */
static uint64_t
arena_add(struct rta_reftable *t, const char *key, size_t klen,
    const unsigned char *m, size_t mlen, uint32_t count, uint64_t line)
{
	size_t need = (sizeof(struct rec) + klen + mlen + LINE - 1) &
	    ~(size_t)(LINE - 1);
	uint64_t off;
	struct rec *r;

	if (t->acap - t->alen < need) {
		size_t cap = t->acap ? t->acap : 1 << 16, shift;
		unsigned char *a;

		while (cap - t->alen < need) {
			if (cap > SIZE_MAX / 2)
				return 0;
			cap *= 2;
		}
		shift = t->arena != NULL ? (size_t)(t->base - t->arena) : 0;
		if ((uint64_t)cap >> (SLOT_OFF_BITS + 3) != 0 ||
		    (a = rta_realloc(t->arena, cap + LINE)) == NULL)
			return 0;
		t->arena = a;
		t->base = line_up(a);
		if ((size_t)(t->base - a) != shift && t->alen > 0)
			memmove(t->base, a + shift, t->alen);
		t->acap = cap;
		if (t->alen == 0)
			t->alen = LINE;	/* offset 0 means "none" */
	}
	off = t->alen;
	r = rec_at(t, off);
	memset(r, 0, sizeof(*r));
	r->from = INT64_MIN;
	r->to = INT64_MAX;
	r->line = line;
	r->klen = (uint32_t)klen;
	r->mlen = (uint32_t)mlen;
	r->count = count;
	r->last = off;
	memcpy(r + 1, key, klen);
	if (mlen > 0)
		memcpy((unsigned char *)(r + 1) + klen, m, mlen);
	t->alen += need;
	return off;
}

static void
quote_key(char *q, size_t qn, const char *key, size_t klen)
{
	rta_quote(q, qn, key, klen, 40);
}

/* Insert a dated row into the chain whose head is in slot i. */
static int
chain_insert(struct loader *L, size_t i, uint64_t off)
{
	struct rta_reftable *t = L->t;
	uint64_t head = SLOT_ROW(t->slots[i]), prev = 0, cur;
	struct rec *n = rec_at(t, off), *h = rec_at(t, head), *tail, *c;
	char q[80];

	tail = rec_at(t, h->last);
	if (n->from >= tail->to) {
		tail->next = off;
		h->last = off;
		return RTA_OK;
	}
	for (cur = head; cur != 0 && rec_at(t, cur)->from < n->from;
	    cur = rec_at(t, cur)->next)
		prev = cur;
	c = prev != 0 ? rec_at(t, prev) : NULL;
	if ((c != NULL && c->to > n->from) ||
	    (cur != 0 && n->to > rec_at(t, cur)->from)) {
		uint64_t other = c != NULL && c->to > n->from ?
		    c->line : rec_at(t, cur)->line;

		quote_key(q, sizeof(q), (const char *)(n + 1), n->klen);
		return load_fail(L, n->line, RTA_EDATA, "duplicate-key",
		    "key '%s' is valid at times line %llu already covers",
		    q, (unsigned long long)other);
	}
	n->next = cur;
	if (prev != 0)
		rec_at(t, prev)->next = off;
	else {
		n->last = h->last;
		t->slots[i] = (t->slots[i] & ~SLOT_OFF_MASK) | slot_row(t, off);
	}
	return RTA_OK;
}

static int
add_row(struct loader *L, const char *key, size_t klen, int64_t from,
    int64_t to, uint32_t count)
{
	struct rta_reftable *t = L->t;
	uint64_t h, off;
	size_t i;
	char q[80];

	if (from >= to)
		return load_fail(L, L->row_line, RTA_EDATA, "bad-time",
		    "valid-to is not after valid-from");
	if (t->used + 1 > t->nslots / 2 && grow_slots(t) != 0)
		return nomem(L);
	h = key_hash(t, key, klen);
	i = find_slot(t, key, klen, h);
	if (t->slots[i] != 0 && !t->dated) {
		const struct rec *r = rec_at(t,
		    SLOT_ROW(t->slots[i]));

		quote_key(q, sizeof(q), key, klen);
		return load_fail(L, L->row_line, RTA_EDATA, "duplicate-key",
		    "duplicate key '%s' (first on line %llu)", q,
		    (unsigned long long)r->line);
	}
	if ((off = arena_add(t, key, klen, L->members.data, L->members.len,
	    count, L->row_line)) == 0)
		return nomem(L);
	rec_at(t, off)->from = from;
	rec_at(t, off)->to = to;
	t->rows++;
	if (t->slots[i] != 0)
		return chain_insert(L, i, off);
	t->slots[i] = (h >> SLOT_OFF_BITS) << SLOT_OFF_BITS | slot_row(t, off);
	t->used++;
	return RTA_OK;
}

size_t
rta_reftable_rows(const struct rta_reftable *t)
{
	return t->rows;
}

uint64_t
rta_reftable_hash(const struct rta_reftable *t, const char *key, size_t len)
{
	return key_hash(t, key, len);
}

void
rta_reftable_prefetch_slot(const struct rta_reftable *t, uint64_t h)
{
	if (t->nslots > 0)
		__builtin_prefetch(&t->slots[(size_t)h & (t->nslots - 1)]);
}

size_t
rta_reftable_bytes(const struct rta_reftable *t)
{
	return t->alen + t->nslots * sizeof(*t->slots);
}

void
rta_reftable_prefetch(const struct rta_reftable *t, const char *key,
    size_t len)
{
	rta_reftable_prefetch_slot(t, key_hash(t, key, len));
}

void
rta_reftable_prefetch_row(const struct rta_reftable *t, uint64_t h)
{
	size_t mask, i, n;
	uint64_t tag = h >> SLOT_OFF_BITS, s;
	const unsigned char *r;

	if (t->nslots == 0)
		return;
	mask = t->nslots - 1;
	i = (size_t)h & mask;
	for (n = 0; n < 4; n++, i = (i + 1) & mask) {
		if ((s = t->slots[i]) == 0)
			return;
		if ((s >> SLOT_OFF_BITS) != tag)
			continue;
		r = t->base + SLOT_ROW(s);
		switch (SLOT_NLINES(s)) {
		default:
			__builtin_prefetch(r + 6 * LINE);
			__builtin_prefetch(r + 5 * LINE);
			__builtin_prefetch(r + 4 * LINE);
			/* FALLTHROUGH */
		case 4:
			__builtin_prefetch(r + 3 * LINE);
			/* FALLTHROUGH */
		case 3:
			__builtin_prefetch(r + 2 * LINE);
			/* FALLTHROUGH */
		case 2:
			__builtin_prefetch(r + LINE);
			/* FALLTHROUGH */
		case 1:
		case 0:
			__builtin_prefetch(r);
		}
		return;
	}
}

int
rta_reftable_lookup(const struct rta_reftable *t, const char *key,
    size_t len, int64_t ts, struct rta_refrow *row)
{
	uint64_t h, s, off;
	const struct rec *r;

	if (t->used == 0)
		return 0;
	h = key_hash(t, key, len);
	if ((s = t->slots[find_slot(t, key, len, h)]) == 0)
		return 0;
	off = SLOT_ROW(s);
	for (;;) {
		r = rec_at(t, off);
		if (!t->dated || (r->from <= ts && ts < r->to))
			break;
		if (r->from > ts || (off = r->next) == 0)
			return 0;
	}
	row->members = (const unsigned char *)(r + 1) + r->klen;
	row->len = r->mlen;
	row->count = r->count;
	return 1;
}

int
rta_reftable_defaults(const struct rta_reftable *t, struct rta_refrow *row)
{
	if (t->ndefaults == 0)
		return 0;
	row->members = t->defaults.data;
	row->len = t->defaults.len;
	row->count = t->ndefaults;
	return 1;
}

void
rta_reftable_free(struct rta_reftable *t)
{
	if (t == NULL)
		return;
	rta_free(t->arena);
	rta_free(t->slots);
	rta_buf_release(&t->defaults);
	rta_free(t);
}

/* ---- values ------------------------------------------------------------ */

/*
 * A cell as a value: a JSON number, true, false, else a string.  The
 * caller has checked the UTF-8.
 */
static int
encode_cell(struct loader *L, struct rta_buf *b, const char *s, size_t len)
{
	struct rta_json_num num;

	if (len == 4 && memcmp(s, "true", 4) == 0)
		return rta_venc_bool(b, 1);
	if (len == 5 && memcmp(s, "false", 5) == 0)
		return rta_venc_bool(b, 0);
	if (len > 0 && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9'))) {
		rta_json_begin(&L->json, s, len, NULL);
		if (rta_json_number(&L->json, &num) == RTA_OK &&
		    L->json.p == L->json.end)
			return num.is_int ? rta_venc_int(b, num.i) :
			    rta_venc_number(b, num.d, num.text, num.len);
	}
	return rta_venc_string(b, s, len);
}

static int
text_ok(const char *s, size_t len)
{
	if (rta_plain_ascii(s, len))
		return 1;
	return rta_utf8_valid(s, len, NULL) && memchr(s, 0, len) == NULL;
}

/* A validity bound: empty is open (MIN for from, MAX for to). */
static int
parse_bound(struct loader *L, const char *col, const char *s, size_t len,
    int is_to, int64_t *v)
{
	struct rta_error e;
	char q[80];

	if (len == 0) {
		*v = is_to ? INT64_MAX : INT64_MIN;
		return RTA_OK;
	}
	if (rta_time_parse_any(s, len, L->o->epoch_unit, v, &e) != RTA_OK) {
		rta_quote(q, sizeof(q), s, len, 40);
		return load_fail(L, L->row_line, RTA_EDATA, "bad-time",
		    "bad %s '%s': %s", col, q, e.text);
	}
	return RTA_OK;
}

/* Append one member (prefixed name, value bytes) to L->members. */
static int
put_member(struct loader *L, const char *name, size_t nlen,
    const unsigned char *v, size_t vlen)
{
	if (rta_buf_add_u32(&L->members, (uint32_t)(L->plen + nlen)) != 0 ||
	    rta_buf_add(&L->members, L->prefix, L->plen) != 0 ||
	    rta_buf_add(&L->members, name, nlen) != 0 ||
	    rta_buf_add(&L->members, v, vlen) != 0)
		return nomem(L);
	return RTA_OK;
}

/* 1 if name is one of the copied columns (any, when none were named). */
static int
copied(const struct rta_reftable_opts *o, const char *name, size_t len)
{
	size_t i;

	if (o->nfields == 0)
		return -1;
	for (i = 0; i < o->nfields; i++)
		if (strlen(o->fields[i]) == len &&
		    memcmp(o->fields[i], name, len) == 0)
			return 1;
	return 0;
}

/*
 * Encode the defaults ("COL=VALUE", typed like a cell) into the table.
 * is_column says whether COL may be given one (-1 when any may).
 */
static int
load_defaults(struct loader *L, int (*is_column)(struct loader *,
    const char *, size_t))
{
	const struct rta_reftable_opts *o = L->o;
	struct rta_buf v = RTA_BUF_INIT;
	size_t i, j, nl;
	int rc = RTA_OK;

	for (i = 0; i < o->ndefaults && rc == RTA_OK; i++) {
		const char *d = o->defaults[i], *eq = strchr(d, '=');

		if (eq == NULL || eq == d) {
			rc = load_fail(L, 0, RTA_EDATA, "bad-default",
			    "bad default '%s' (use COLUMN=VALUE)", d);
			break;
		}
		nl = (size_t)(eq - d);
		if (!text_ok(d, strlen(d))) {
			rc = load_fail(L, 0, RTA_EDATA, "bad-utf8",
			    "default '%s' is not UTF-8", d);
			break;
		}
		if (is_column(L, d, nl) == 0) {
			rc = load_fail(L, 0, RTA_EDATA, "bad-default",
			    "default for '%.*s', which is not copied", (int)nl,
			    d);
			break;
		}
		for (j = 0; j < i; j++)
			if (strncmp(o->defaults[j], d, nl + 1) == 0)
				rc = load_fail(L, 0, RTA_EDATA, "bad-default",
				    "two defaults for '%.*s'", (int)nl, d);
		rta_buf_reset(&v);
		rta_buf_reset(&L->members);
		if (rc == RTA_OK && (encode_cell(L, &v, eq + 1,
		    strlen(eq + 1)) != 0 || put_member(L, d, nl, v.data,
		    v.len) != RTA_OK ||
		    rta_buf_add(&L->t->defaults, L->members.data,
		    L->members.len) != 0))
			rc = nomem(L);
		L->t->ndefaults++;
	}
	rta_buf_release(&v);
	rta_buf_reset(&L->members);
	return rc;
}

/* ---- CSV -------------------------------------------------------------- */

static int
csv_no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static int
csv_is_column(struct loader *L, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < L->nout; i++)
		if (L->out[i].name_len == L->plen + len &&
		    memcmp(L->names.data + L->out[i].name_off + L->plen, name,
		    len) == 0)
			return 1;
	return 0;
}

/* The column named name, or -1. */
static long
column(const struct loader *L, const char *name)
{
	const unsigned char *p = L->colnames.data;
	size_t i, n = strlen(name);
	uint32_t l;

	for (i = 0; i < L->ncols; i++) {
		l = rta_get_u32(p);
		if (l == n && memcmp(p + 4, name, n) == 0)
			return (long)i;
		p += 4 + l;
	}
	return -1;
}

static int
add_out(struct loader *L, long col, const char *name, size_t len)
{
	struct outcol *oc = &L->out[L->nout++];

	oc->col = col;
	oc->name_off = L->names.len;
	oc->name_len = L->plen + len;
	if (rta_buf_add(&L->names, L->prefix, L->plen) != 0 ||
	    rta_buf_add(&L->names, name, len) != 0)
		return nomem(L);
	L->col_out[col] = (long)(L->nout - 1);
	return RTA_OK;
}

/* The header row is complete: map columns to outputs. */
static int
csv_header(struct loader *L)
{
	const struct rta_reftable_opts *o = L->o;
	const unsigned char *p;
	size_t i, j;
	long c;

	if ((L->col_out = rta_calloc(L->ncols, sizeof(*L->col_out))) == NULL ||
	    (L->out = rta_calloc(o->nfields ? o->nfields : L->ncols,
	    sizeof(*L->out))) == NULL)
		return nomem(L);
	for (i = 0; i < L->ncols; i++)
		L->col_out[i] = -1;
	if ((L->key_col = column(L, o->key)) < 0)
		return load_fail(L, L->row_line, RTA_EDATA, "no-column",
		    "no key column '%s' in the header", o->key);
	L->from_col = L->to_col = -1;
	if (o->valid_from != NULL &&
	    (L->from_col = column(L, o->valid_from)) < 0)
		return load_fail(L, L->row_line, RTA_EDATA, "no-column",
		    "no column '%s' (--valid-from) in the header",
		    o->valid_from);
	if (o->valid_to != NULL && (L->to_col = column(L, o->valid_to)) < 0)
		return load_fail(L, L->row_line, RTA_EDATA, "no-column",
		    "no column '%s' (--valid-to) in the header", o->valid_to);
	if (o->nfields > 0) {
		for (i = 0; i < o->nfields; i++) {
			if ((c = column(L, o->fields[i])) < 0)
				return load_fail(L, L->row_line, RTA_EDATA,
				    "no-column", "no column '%s' (--fields) "
				    "in the header", o->fields[i]);
			for (j = 0; j < i; j++)
				if (strcmp(o->fields[j], o->fields[i]) == 0)
					return load_fail(L, 0, RTA_EDATA,
					    "no-column", "--fields names "
					    "'%s' twice", o->fields[i]);
			if (add_out(L, c, o->fields[i],
			    strlen(o->fields[i])) != RTA_OK)
				return L->rc;
		}
	} else {
		p = L->colnames.data;
		for (i = 0; i < L->ncols; i++) {
			uint32_t l = rta_get_u32(p);

			if ((long)i != L->key_col && (long)i != L->from_col &&
			    (long)i != L->to_col &&
			    add_out(L, (long)i, (const char *)p + 4, l) !=
			    RTA_OK)
				return L->rc;
			p += 4 + l;
		}
	}
	return load_defaults(L, csv_is_column);
}

static void
csv_header_cell(struct loader *L, const char *s, size_t len)
{
	if (L->ncols == MAX_COLUMNS) {
		load_fail(L, L->row_line, RTA_EDATA, "ragged-row",
		    "more than %d columns", MAX_COLUMNS);
		return;
	}
	if (s == NULL || len == 0) {
		load_fail(L, L->row_line, RTA_EDATA, "no-column",
		    "column %zu of the header has no name", L->ncols + 1);
		return;
	}
	if (!text_ok(s, len)) {
		load_fail(L, L->row_line, RTA_EDATA, "bad-utf8",
		    "column %zu of the header is not UTF-8", L->ncols + 1);
		return;
	}
	if (rta_buf_add_u32(&L->colnames, (uint32_t)len) != 0 ||
	    rta_buf_add(&L->colnames, s, len) != 0) {
		nomem(L);
		return;
	}
	L->ncols++;
}

static void
csv_field_cb(void *sv, size_t len, void *arg)
{
	struct loader *L = arg;
	const char *s = sv;
	size_t c = L->cell++;
	long k;
	char q[80];

	if (L->rc != RTA_OK)
		return;
	if (!L->have_header) {
		csv_header_cell(L, s, len);
		return;
	}
	if (c >= L->ncols || s == NULL)
		return;		/* ragged rows are reported at the row's end */
	if (!text_ok(s, len)) {
		const unsigned char *p = L->colnames.data;

		while (c-- > 0)
			p += 4 + rta_get_u32(p);
		rta_quote(q, sizeof(q), p + 4, rta_get_u32(p), 40);
		load_fail(L, L->row_line, RTA_EDATA, "bad-utf8",
		    "column '%s' is not valid UTF-8 or holds a NUL byte", q);
		return;
	}
	if ((long)c == L->key_col) {
		rta_buf_reset(&L->key);
		if (rta_buf_add(&L->key, s, len) != 0)
			nomem(L);
		L->have_key = 1;
	}
	if ((long)c == L->from_col || (long)c == L->to_col) {
		struct rta_buf *b = (long)c == L->from_col ? &L->fromtext :
		    &L->totext;

		rta_buf_reset(b);
		if (rta_buf_add(b, s, len) != 0)
			nomem(L);
	}
	if ((k = L->col_out[c]) >= 0) {
		struct outcol *oc = &L->out[k];

		oc->val_off = L->cells.len;
		if (encode_cell(L, &L->cells, s, len) != 0)
			nomem(L);
		oc->val_len = L->cells.len - oc->val_off;
	}
}

static void
csv_row_cb(int term, void *arg)
{
	struct loader *L = arg;
	int64_t from = INT64_MIN, to = INT64_MAX;
	size_t i, ncells = L->cell;
	uint32_t count = 0;
	char q[80];

	(void)term;
	L->cell = 0;
	L->at_row_start = 1;
	if (L->rc != RTA_OK)
		return;
	if (!L->have_header) {
		L->have_header = 1;
		csv_header(L);
		return;
	}
	if (ncells != L->ncols) {
		load_fail(L, L->row_line, RTA_EDATA, "ragged-row",
		    "row has %zu fields, the header has %zu", ncells, L->ncols);
		return;
	}
	if (!L->have_key || L->key.len == 0) {
		quote_key(q, sizeof(q), L->o->key, strlen(L->o->key));
		load_fail(L, L->row_line, RTA_EDATA, "empty-key",
		    "empty key (column '%s')", q);
		return;
	}
	if ((L->from_col >= 0 && parse_bound(L, L->o->valid_from,
	    (const char *)L->fromtext.data, L->fromtext.len, 0, &from) !=
	    RTA_OK) || (L->to_col >= 0 && parse_bound(L, L->o->valid_to,
	    (const char *)L->totext.data, L->totext.len, 1, &to) != RTA_OK))
		return;
	rta_buf_reset(&L->members);
	for (i = 0; i < L->nout; i++) {
		struct outcol *oc = &L->out[i];

		if (oc->val_len == 0)
			continue;
		if (rta_buf_add_u32(&L->members, (uint32_t)oc->name_len) != 0 ||
		    rta_buf_add(&L->members, L->names.data + oc->name_off,
		    oc->name_len) != 0 ||
		    rta_buf_add(&L->members, L->cells.data + oc->val_off,
		    oc->val_len) != 0) {
			nomem(L);
			return;
		}
		oc->val_len = 0;
		count++;
	}
	add_row(L, (const char *)L->key.data, L->key.len, from, to, count);
	rta_buf_reset(&L->cells);
	rta_buf_reset(&L->fromtext);
	rta_buf_reset(&L->totext);
	L->have_key = 0;
}

static int
csv_begin(struct loader *L)
{
	if (csv_init(&L->csv, CSV_STRICT | CSV_STRICT_FINI |
	    CSV_EMPTY_IS_NULL) != 0)
		return nomem(L);
	L->csv_ok = 1;
	csv_set_space_func(&L->csv, csv_no_space);
	L->at_row_start = 1;
	return RTA_OK;
}

/* One physical line with its newline (none on a last line without). */
static int
csv_line(struct loader *L, const char *p, size_t len)
{
	if (L->at_row_start) {
		L->row_line = L->line;
		L->row_bytes = 0;
		L->at_row_start = 0;
	}
	L->row_bytes += len;
	if (L->row_bytes > L->max_line)
		return load_fail(L, L->row_line, RTA_ELIMIT, "line-too-long",
		    "row longer than %zu bytes", L->max_line);
	if (csv_parse(&L->csv, p, len, csv_field_cb, csv_row_cb, L) != len &&
	    L->rc == RTA_OK)
		return load_fail(L, L->row_line, RTA_EDATA, "bad-csv",
		    "%s", csv_error(&L->csv) == CSV_EPARSE ?
		    "malformed quoting" : csv_strerror(csv_error(&L->csv)));
	/* a blank line is no row: the next line may start one */
	if (L->cell == 0 && csv_error(&L->csv) == CSV_SUCCESS &&
	    (len == 1 || (len == 2 && p[0] == '\r')) && p[len - 1] == '\n')
		L->at_row_start = 1;
	return L->rc;
}

static int
csv_end(struct loader *L)
{
	if (L->rc == RTA_OK && csv_fini(&L->csv, csv_field_cb, csv_row_cb,
	    L) != 0)
		load_fail(L, L->row_line, RTA_EDATA, "bad-csv",
		    "unterminated quoted field at the end of the file");
	if (L->rc == RTA_OK && !L->have_header)
		load_fail(L, 1, RTA_EDATA, "no-column",
		    "empty file: no header row");
	return L->rc;
}

/* ---- NDJSON ----------------------------------------------------------- */

static int
nd_is_column(struct loader *L, const char *name, size_t len)
{
	return copied(L->o, name, len);
}

static int
is_name(const char *want, const char *k, size_t klen)
{
	return want != NULL && strlen(want) == klen &&
	    memcmp(want, k, klen) == 0;
}

/* A validity bound from a member (missing or null: open). */
static int
nd_bound(struct loader *L, const unsigned char *obj, const char *name,
    int is_to, int64_t *v)
{
	const unsigned char *m;
	struct rta_fval fv;
	char tmp[RTA_FVAL_TMP];
	const char *s;
	size_t len;

	*v = is_to ? INT64_MAX : INT64_MIN;
	if (name == NULL || (m = rta_value_member(obj, name,
	    strlen(name))) == NULL || rta_value_tag(m) == RTA_V_NULL)
		return RTA_OK;
	fv.kind = RTA_FV_VALUE;
	fv.v = m;
	if (!rta_fval_text(&fv, tmp, &s, &len) || len == 0 ||
	    rta_value_tag(m) == RTA_V_TRUE || rta_value_tag(m) == RTA_V_FALSE)
		return load_fail(L, L->row_line, RTA_EDATA, "bad-time",
		    "bad %s: not a time", name);
	return parse_bound(L, name, s, len, is_to, v);
}

static int
nd_line(struct loader *L, const char *p, size_t len)
{
	const struct rta_reftable_opts *o = L->o;
	const unsigned char *obj, *m;
	struct rta_viter it;
	struct rta_fval fv;
	struct rta_error e;
	char tmp[RTA_FVAL_TMP], q[80];
	const char *k, *ks;
	size_t i, klen, kslen;
	int64_t from, to;
	uint32_t count = 0;

	L->row_line = L->line;
	if (len > 0 && p[len - 1] == '\n')
		len--;
	if (len > 0 && p[len - 1] == '\r')
		len--;
	for (i = 0; i < len && (p[i] == ' ' || p[i] == '\t'); i++)
		;
	if (i == len)
		return RTA_OK;		/* a blank line */
	rta_buf_reset(&L->doc);
	if (rta_json_document(&L->json, p, len, &L->doc, &e) != RTA_OK)
		return load_fail(L, L->row_line, e.code == RTA_ENOMEM ?
		    RTA_ENOMEM : RTA_EDATA, e.reason != NULL &&
		    strcmp(e.reason, "bad-utf8") == 0 ? "bad-utf8" :
		    "bad-json", "%s", e.text);
	obj = L->doc.data;
	if (rta_value_tag(obj) != RTA_V_OBJECT)
		return load_fail(L, L->row_line, RTA_EDATA, "bad-json",
		    "not a JSON object");
	if ((m = rta_value_member(obj, o->key, strlen(o->key))) == NULL)
		return load_fail(L, L->row_line, RTA_EDATA, "no-key",
		    "no key member '%s'", o->key);
	fv.kind = RTA_FV_VALUE;
	fv.v = m;
	if (!rta_fval_text(&fv, tmp, &ks, &kslen))
		return load_fail(L, L->row_line, RTA_EDATA, "no-key",
		    "key '%s' is null, an array or an object", o->key);
	if (kslen == 0)
		return load_fail(L, L->row_line, RTA_EDATA, "empty-key",
		    "empty key (member '%s')", o->key);
	if (memchr(ks, 0, kslen) != NULL) {
		rta_quote(q, sizeof(q), ks, kslen, 40);
		return load_fail(L, L->row_line, RTA_EDATA, "bad-utf8",
		    "key '%s' holds a NUL byte", q);
	}
	if (nd_bound(L, obj, o->valid_from, 0, &from) != RTA_OK ||
	    nd_bound(L, obj, o->valid_to, 1, &to) != RTA_OK)
		return L->rc;
	rta_buf_reset(&L->members);
	if (o->nfields > 0) {
		for (i = 0; i < o->nfields; i++) {
			if ((m = rta_value_member(obj, o->fields[i],
			    strlen(o->fields[i]))) == NULL)
				continue;
			if (put_member(L, o->fields[i], strlen(o->fields[i]),
			    m, rta_value_size(m)) != RTA_OK)
				return L->rc;
			count++;
		}
	} else {
		rta_viter_init(&it, obj);
		while (rta_viter_member(&it, &k, &klen, &m)) {
			if (is_name(o->key, k, klen) ||
			    is_name(o->valid_from, k, klen) ||
			    is_name(o->valid_to, k, klen))
				continue;
			if (put_member(L, k, klen, m, rta_value_size(m)) !=
			    RTA_OK)
				return L->rc;
			count++;
		}
	}
	/* the key text may live in tmp or the document: both still hold */
	return add_row(L, ks, kslen, from, to, count);
}

/* ---- reading ---------------------------------------------------------- */

/*
 * Call fn for each physical line of fd, newline included.  The buffer
 * holds at most max_line bytes of one line plus a read's worth.
 */
static int
each_line(struct loader *L, int fd, int (*fn)(struct loader *,
    const char *, size_t))
{
	struct rta_buf *b = &L->io;
	size_t lo = 0, scan = 0;
	ssize_t n;
	char *nl;

	for (;;) {
		while (b->len > scan && (nl = memchr(b->data + scan, '\n',
		    b->len - scan)) != NULL) {
			size_t end = (size_t)((unsigned char *)nl - b->data) +
			    1;

			L->line++;
			if (end - lo > L->max_line + 1)
				return load_fail(L, L->line, RTA_ELIMIT,
				    "line-too-long", "line longer than %zu "
				    "bytes", L->max_line);
			if (fn(L, (const char *)b->data + lo, end - lo) !=
			    RTA_OK)
				return L->rc;
			lo = scan = end;
		}
		scan = b->len;
		if (b->len - lo > L->max_line)
			return load_fail(L, L->line + 1, RTA_ELIMIT,
			    "line-too-long", "line longer than %zu bytes",
			    L->max_line);
		if (lo > 0) {
			memmove(b->data, b->data + lo, b->len - lo);
			b->len -= lo;
			scan -= lo;
			lo = 0;
		}
		if (rta_buf_reserve(b, READ_CHUNK) != 0)
			return nomem(L);
		do
			n = read(fd, b->data + b->len, READ_CHUNK);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return load_fail(L, 0, RTA_EIO, "io", "%s",
			    strerror(errno));
		if (n == 0)
			break;
		b->len += (size_t)n;
	}
	if (b->len > lo) {
		L->line++;
		return fn(L, (const char *)b->data + lo, b->len - lo);
	}
	return RTA_OK;
}

static void
loader_release(struct loader *L)
{
	if (L->csv_ok)
		csv_free(&L->csv);
	rta_buf_release(&L->colnames);
	rta_free(L->col_out);
	rta_free(L->out);
	rta_buf_release(&L->names);
	rta_buf_release(&L->cells);
	rta_buf_release(&L->key);
	rta_buf_release(&L->fromtext);
	rta_buf_release(&L->totext);
	rta_buf_release(&L->members);
	rta_json_release(&L->json);
	rta_buf_release(&L->doc);
	rta_buf_release(&L->io);
}

int
rta_reftable_load(struct rta_reftable **tp, const char *path,
    const struct rta_reftable_opts *o, uint64_t *line,
    struct rta_error *err)
{
	struct loader L;
	enum rta_ref_format f = o->format;
	int fd = -1;

	*tp = NULL;
	*line = 0;
	memset(&L, 0, sizeof(L));
	L.o = o;
	L.err = err;
	L.prefix = o->prefix != NULL ? o->prefix : "";
	L.plen = strlen(L.prefix);
	L.max_line = o->max_line ? o->max_line : 1U << 20;
	rta_json_init(&L.json);
	L.json.max_depth = RTA_REF_MAX_DEPTH;
	if (f == RTA_REF_AUTO && (f = rta_ref_format_guess(path)) ==
	    RTA_REF_AUTO) {
		load_fail(&L, 0, RTA_EINVAL, "bad-format", "cannot tell the "
		    "format from the name (.csv, .ndjson or .jsonl)");
		goto out;
	}
	if (o->key == NULL || o->key[0] == '\0' ||
	    (o->valid_from == NULL) != (o->valid_to == NULL)) {
		load_fail(&L, 0, RTA_EINVAL, "bad-option", "a key column, and "
		    "valid-from with valid-to, are needed");
		goto out;
	}
	if (!text_ok(L.prefix, L.plen)) {
		load_fail(&L, 0, RTA_EDATA, "bad-utf8", "the prefix is not "
		    "UTF-8");
		goto out;
	}
	if ((L.t = rta_calloc(1, sizeof(*L.t))) == NULL) {
		nomem(&L);
		goto out;
	}
	L.t->seed = rta_hash_seed();
	L.t->dated = o->valid_from != NULL;
	if ((fd = open(path, O_RDONLY)) < 0) {
		load_fail(&L, 0, RTA_EIO, "io", "%s", strerror(errno));
		goto out;
	}
	if (f == RTA_REF_CSV) {
		if (csv_begin(&L) == RTA_OK && each_line(&L, fd, csv_line) ==
		    RTA_OK)
			csv_end(&L);
	} else if (load_defaults(&L, nd_is_column) == RTA_OK)
		each_line(&L, fd, nd_line);
out:
	if (fd >= 0)
		close(fd);
	if (L.rc == RTA_OK) {
		settle_arena(L.t);
		*tp = L.t;
	}
	else {
		*line = L.err_line;
		rta_reftable_free(L.t);
	}
	loader_release(&L);
	return L.rc;
}

/* ---- joins ------------------------------------------------------------ */

/* 1 if the row has a member named k[0..klen). */
static int
row_has(const struct rta_refrow *row, uint64_t lenmask, const char *k,
    size_t klen)
{
	const unsigned char *p = row->members, *end = p + row->len;
	uint32_t l;

	if ((lenmask >> (klen & 63) & 1) == 0)
		return 0;
	while (p < end) {
		l = rta_get_u32(p);
		if (l == klen && memcmp(p + 4, k, klen) == 0)
			return 1;
		p += 4 + l;
		p += rta_value_size(p);
	}
	return 0;
}

int
rta_reftable_join(struct rta_buf *out, const unsigned char *payload,
    const struct rta_refrow *row, const char *into, size_t intolen,
    struct rta_error *err)
{
	struct rta_viter it;
	const unsigned char *run, *p, *v, *end;
	const char *k;
	size_t klen, off, inner;
	uint64_t lenmask = 0;
	uint32_t count = 0, l;

	rta_buf_reset(out);
	if (into == NULL)
		for (p = row->members, end = p + row->len; p < end;
		    p += rta_value_size(p)) {
			l = rta_get_u32(p);
			lenmask |= 1ULL << (l & 63);
			p += 4 + l;
		}
	if ((off = rta_venc_begin(out, RTA_V_OBJECT)) == (size_t)-1)
		goto nomem;
	rta_viter_init(&it, payload);
	run = it.p;
	for (;;) {
		p = it.p;
		if (!rta_viter_member(&it, &k, &klen, &v))
			break;
		if (into != NULL ? (klen == intolen &&
		    memcmp(k, into, klen) == 0) : row_has(row, lenmask, k,
		    klen)) {
			/* copy the run before this member, skip it */
			if (rta_buf_add(out, run, (size_t)(p - run)) != 0)
				goto nomem;
			run = it.p;
			continue;
		}
		count++;
	}
	if (rta_buf_add(out, run, (size_t)(it.p - run)) != 0)
		goto nomem;
	if (into != NULL) {
		if (rta_venc_key(out, into, intolen) != 0 ||
		    (inner = rta_venc_begin(out, RTA_V_OBJECT)) == (size_t)-1 ||
		    rta_buf_add(out, row->members, row->len) != 0)
			goto nomem;
		rta_venc_end(out, inner, row->count);
		count++;
	} else {
		if (rta_buf_add(out, row->members, row->len) != 0)
			goto nomem;
		count += row->count;
	}
	if (count > RTA_VALUE_MAX_MEMBERS)
		return rta_error_set(err, RTA_ELIMIT, "too-many-members",
		    "the joined payload would have %u members (at most %d)",
		    (unsigned)count, RTA_VALUE_MAX_MEMBERS);
	rta_venc_end(out, off, count);
	return RTA_OK;
nomem:
	return rta_error_set(err, RTA_ENOMEM, "no-memory", "out of memory");
}
