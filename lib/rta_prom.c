/*
 * rta_prom.c: Prometheus texts checked line by line and taken into the
 * merge (rta_prom.h has the rules; rta_prom_write.c writes it out).
 *
 * Every string kept lives in one arena, addressed by offset so that the
 * arena may move as it grows: a family's name and help, a sample's line
 * in its normalized form (name, {labels} when it has any, one space,
 * value, and " timestamp") and its series key (the name, a NUL, then
 * its labels sorted by name), which is what two samples of one series
 * share however their files ordered or spaced the labels.  Label values
 * are kept escaped: the format's escapes make that form unique, so the
 * escaped bytes compare as the values do.  Families and series are
 * found through open-addressing tables of seeded hashes (a file is not
 * trusted to spread its keys well).
 *
 * A family remembers which text last gave it a HELP, a TYPE or a sample
 * (text number + 1) and which text's TYPE it refused: texts are taken
 * one at a time, so that is all the per-text state a family needs.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rta_alloc.h"
#include "rta_err.h"
#include "rta_hash.h"
#include "rta_prom.h"
#include "rta_prom_int.h"
#include "rta_utf8.h"

const char *const rta_prom_types[T_N] = {
	"untyped", "counter", "gauge", "histogram", "summary"
};

const char *const rta_prom_reserved[RTA_PROM_NRESERVED] = {
	"rta_query_metrics_file_up",
	"rta_query_metrics_file_mtime_seconds",
	"rta_query_metrics_file_dropped_lines",
};

static const char *const dnames[RTA_PROM_NDROP] = {
	"syntax", "long", "comment", "duplicate", "conflict"
};

const char *
rta_prom_drop_name(enum rta_prom_drop d)
{
	return (unsigned)d < RTA_PROM_NDROP ? dnames[d] : "";
}

/* ---- tables ------------------------------------------------------------- */

struct slot *
rta_prom_tfind(const struct table *t, uint64_t h, const void *k,
    size_t klen, rta_prom_keyfn kf, const void *ctx)
{
	const unsigned char *kk;
	size_t i = (size_t)h & (t->cap - 1), kl;
	struct slot *s;

	for (;; i = (i + 1) & (t->cap - 1)) {
		s = &t->s[i];
		if (s->v == 0)
			return s;
		if (s->h != h)
			continue;
		kf(ctx, s->v - 1, &kk, &kl);
		if (kl == klen && memcmp(kk, k, klen) == 0)
			return s;
	}
}

int
rta_prom_treserve(struct table *t)
{
	struct slot *ns;
	size_t nc, i, j;

	if ((t->n + 1) * 2 <= t->cap)
		return 0;
	nc = t->cap ? t->cap * 2 : 64;
	if (nc < t->cap || (ns = rta_calloc(nc, sizeof(*ns))) == NULL)
		return -1;
	for (i = 0; i < t->cap; i++) {
		if (t->s[i].v == 0)
			continue;
		for (j = (size_t)t->s[i].h & (nc - 1); ns[j].v != 0;
		    j = (j + 1) & (nc - 1))
			;
		ns[j] = t->s[i];
	}
	rta_free(t->s);
	t->s = ns;
	t->cap = nc;
	return 0;
}

static void
fam_key(const void *ctx, size_t i, const unsigned char **k, size_t *klen)
{
	const struct rta_prom *p = ctx;

	*k = p->a.data + p->f[i].name;
	*klen = p->f[i].nlen;
}

static void
series_key(const void *ctx, size_t i, const unsigned char **k, size_t *klen)
{
	const struct rta_prom *p = ctx;

	*k = p->a.data + p->s[i].key;
	*klen = p->s[i].klen;
}

/* ---- the merge ---------------------------------------------------------- */

struct rta_prom *
rta_prom_new(void)
{
	struct rta_prom *p;

	if ((p = rta_calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->seed = rta_hash_seed();
	if (rta_prom_treserve(&p->ft) != 0 || rta_prom_treserve(&p->st) != 0) {
		rta_prom_free(p);
		return NULL;
	}
	return p;
}

void
rta_prom_free(struct rta_prom *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->nsrc; i++)
		rta_free(p->src[i].name);
	rta_free(p->src);
	rta_free(p->f);
	rta_free(p->s);
	rta_free(p->ft.s);
	rta_free(p->st.s);
	rta_free(p->lb);
	rta_buf_release(&p->a);
	rta_buf_release(&p->line);
	rta_buf_release(&p->key);
	rta_free(p);
}

/* The family called name, or (size_t)-1. */
static size_t
fam_find(const struct rta_prom *p, const unsigned char *name, size_t len)
{
	const struct slot *s = rta_prom_tfind(&p->ft, rta_hash64(name, len,
	    p->seed), name, len, fam_key, p);

	return s->v - 1;
}

/* A new family called name: its index, or (size_t)-1 (no memory). */
static size_t
fam_new(struct rta_prom *p, const unsigned char *name, size_t len)
{
	uint64_t h = rta_hash64(name, len, p->seed);
	struct fam *nf;
	struct slot *s;
	size_t off = p->a.len;

	if (rta_prom_treserve(&p->ft) != 0 ||
	    rta_buf_add(&p->a, name, len) != 0)
		return (size_t)-1;
	if (p->nf == p->fcap) {
		size_t nc = p->fcap ? p->fcap * 2 : 32;

		if ((nf = rta_reallocarray(p->f, nc, sizeof(*nf))) == NULL)
			return (size_t)-1;
		p->f = nf;
		p->fcap = nc;
	}
	memset(&p->f[p->nf], 0, sizeof(p->f[p->nf]));
	p->f[p->nf].name = off;
	p->f[p->nf].nlen = len;
	s = rta_prom_tfind(&p->ft, h, name, len, fam_key, p);
	s->h = h;
	s->v = p->nf + 1;
	p->ft.n++;
	return p->nf++;
}

static int
is_reserved(const unsigned char *name, size_t len)
{
	size_t i;

	for (i = 0; i < RTA_PROM_NRESERVED; i++)
		if (strlen(rta_prom_reserved[i]) == len &&
		    memcmp(rta_prom_reserved[i], name, len) == 0)
			return 1;
	return 0;
}

static const char *const sfx[] = { "_bucket", "_sum", "_count" };

/* Whether a family of type t has samples called its name + sfx[i]. */
static int
takes(int t, size_t i)
{
	return t == T_HISTOGRAM || (t == T_SUMMARY && i > 0);
}

/*
 * The histogram or summary family that name (less its _bucket, _sum or
 * _count) is a sample of, or -1.  With src > 0, instead, the family
 * whose TYPE histogram or summary text src - 1 gave and was refused.
 */
static size_t
parent(const struct rta_prom *p, const unsigned char *name, size_t len,
    size_t src)
{
	size_t i, k, f;

	for (i = 0; i < 3; i++) {
		k = strlen(sfx[i]);
		if (len <= k || memcmp(name + len - k, sfx[i], k) != 0)
			continue;
		if ((f = fam_find(p, name, len - k)) == (size_t)-1)
			continue;
		if (src == 0 ? takes(p->f[f].type, i) :
		    (p->f[f].blocked_src == src &&
		    takes(p->f[f].blocked_type, i)))
			return f;
	}
	return (size_t)-1;
}

/*
 * Whether a family of type t called name would take the samples of
 * families there are already: 1, 0, or -1 (no memory).
 */
static int
children(struct rta_prom *p, const unsigned char *name, size_t len, int t)
{
	struct rta_buf *n = &p->key;
	size_t i;

	for (i = 0; i < 3; i++) {
		if (!takes(t, i))
			continue;
		rta_buf_reset(n);
		if (rta_buf_add(n, name, len) != 0 ||
		    rta_buf_adds(n, sfx[i]) != 0)
			return -1;
		if (fam_find(p, n->data, n->len) != (size_t)-1)
			return 1;
	}
	return 0;
}

/* ---- reading a line ----------------------------------------------------- */

static int
blank(int c)
{
	return c == ' ' || c == '\t';
}

static size_t
skip_blanks(const unsigned char *l, size_t len, size_t i)
{
	while (i < len && blank(l[i]))
		i++;
	return i;
}

static int
name_char(int c, int first, int colon)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    (colon && c == ':') || (!first && c >= '0' && c <= '9');
}

/* The end of the metric (colon 1) or label name at l[i], or i: none. */
static size_t
name_end(const unsigned char *l, size_t len, size_t i, int colon)
{
	size_t j = i;

	while (j < len && name_char(l[j], j == i, colon))
		j++;
	return j;
}

/* Whether l[i..e) is a well-formed escaped text: only the escapes of
 * esc (after a backslash) and, unless quoted, any byte; when quoted, it
 * ends at an unescaped '"', whose index goes to *end. */
static int
escaped(const unsigned char *l, size_t len, size_t i, const char *esc,
    int quoted, size_t *end)
{
	for (; i < len; i++) {
		if (quoted && l[i] == '"') {
			*end = i;
			return 1;
		}
		if (l[i] != '\\')
			continue;
		if (++i == len || strchr(esc, l[i]) == NULL || l[i] == '\0')
			return 0;
	}
	*end = len;
	return !quoted;
}

static int
digits(const unsigned char *l, size_t len, size_t *i)
{
	size_t j = *i;

	while (*i < len && l[*i] >= '0' && l[*i] <= '9')
		(*i)++;
	return *i > j;
}

/* Whether v is a sample value: a decimal number, NaN, +Inf, -Inf, Inf. */
static int
value_ok(const unsigned char *v, size_t len)
{
	size_t i = 0;
	int whole, frac = 0;

	if ((len == 3 && memcmp(v, "NaN", 3) == 0) ||
	    (len == 3 && memcmp(v, "Inf", 3) == 0) ||
	    (len == 4 && (memcmp(v, "+Inf", 4) == 0 ||
	    memcmp(v, "-Inf", 4) == 0)))
		return 1;
	if (i < len && (v[i] == '+' || v[i] == '-'))
		i++;
	whole = digits(v, len, &i);
	if (i < len && v[i] == '.') {
		i++;
		frac = digits(v, len, &i);
	}
	if (!whole && !frac)
		return 0;
	if (i < len && (v[i] == 'e' || v[i] == 'E')) {
		i++;
		if (i < len && (v[i] == '+' || v[i] == '-'))
			i++;
		if (!digits(v, len, &i))
			return 0;
	}
	return i == len;
}

/* Whether t is a timestamp: integer milliseconds that fit in int64. */
static int
timestamp_ok(const unsigned char *t, size_t len)
{
	static const char max[] = "9223372036854775807";
	size_t i = 0, n;

	if (i < len && (t[i] == '+' || t[i] == '-'))
		i++;
	while (i + 1 < len && t[i] == '0')
		i++;
	n = len - i;
	if (n == 0 || n > 19)
		return 0;
	for (; i < len; i++)
		if (t[i] < '0' || t[i] > '9')
			return 0;
	/* -9223372036854775808 is refused too: a bound, not a time */
	return n < 19 || memcmp(t + len - 19, max, 19) <= 0;
}

int
rta_prom_cmp_span(const void *a, const void *b)
{
	const struct span *x = a, *y = b;
	size_t n = x->nlen < y->nlen ? x->nlen : y->nlen;
	int c = memcmp(x->l + x->n, y->l + y->n, n);

	return c != 0 ? c : (x->nlen > y->nlen) - (x->nlen < y->nlen);
}

/* What taking a line came to: a drop reason, or one of these. */
enum { KEPT = -1, NOMEM = -2 };

/*
 * Read the labels of the line l from the '{' at *i into p->lb (*n of
 * them), *i then past the '}'.  RTA_OK, RTA_EDATA (malformed) or
 * RTA_ENOMEM.
 */
static int
read_labels(struct rta_prom *p, const unsigned char *l, size_t len,
    size_t *i, size_t *n)
{
	struct span *v;
	size_t j = *i + 1, e;

	*n = 0;
	for (;;) {
		j = skip_blanks(l, len, j);
		if (j < len && l[j] == '}')
			break;
		e = name_end(l, len, j, 0);
		/* names starting "__" are Prometheus's own */
		if (e == j || (e - j >= 2 && l[j] == '_' && l[j + 1] == '_'))
			return RTA_EDATA;
		if (*n == p->lbcap) {
			size_t nc = p->lbcap ? p->lbcap * 2 : 16;

			if ((v = rta_reallocarray(p->lb, nc, sizeof(*v))) ==
			    NULL)
				return RTA_ENOMEM;
			p->lb = v;
			p->lbcap = nc;
		}
		v = &p->lb[(*n)++];
		v->l = l;
		v->n = j;
		v->nlen = e - j;
		j = skip_blanks(l, len, e);
		if (j == len || l[j] != '=')
			return RTA_EDATA;
		j = skip_blanks(l, len, j + 1);
		if (j == len || l[j] != '"' ||
		    !escaped(l, len, j + 1, "\\\"n", 1, &e))
			return RTA_EDATA;
		v->v = j + 1;
		v->vlen = e - v->v;
		j = skip_blanks(l, len, e + 1);
		if (j < len && l[j] == ',') {
			j++;
			continue;
		}
		if (j < len && l[j] == '}')
			break;
		return RTA_EDATA;
	}
	*i = j + 1;
	return RTA_OK;
}

int
rta_prom_put_labels(struct rta_buf *b, const struct span *v, size_t n)
{
	size_t i;
	int bad = 0;

	for (i = 0; i < n; i++) {
		bad |= (i > 0 && rta_buf_addc(b, ',')) ||
		    rta_buf_add(b, v[i].l + v[i].n, v[i].nlen) ||
		    rta_buf_add(b, "=\"", 2) ||
		    rta_buf_add(b, v[i].l + v[i].v, v[i].vlen) ||
		    rta_buf_addc(b, '"');
	}
	return bad ? -1 : 0;
}

/*
 * The sample line l: its normalized form into p->line, its series key
 * into p->key, its name's length into *nlen, its labels' into *llen.
 * RTA_OK, RTA_EDATA or RTA_ENOMEM.
 */
static int
read_sample(struct rta_prom *p, const unsigned char *l, size_t len,
    size_t *nlen, size_t *llen, size_t *nlab, int *has_file)
{
	size_t i, ne, n = 0, k, vs;
	int rc;

	ne = name_end(l, len, 0, 1);
	if (ne == 0 || (ne < len && !blank(l[ne]) && l[ne] != '{'))
		return RTA_EDATA;
	i = skip_blanks(l, len, ne);
	if (i < len && l[i] == '{') {
		if ((rc = read_labels(p, l, len, &i, &n)) != RTA_OK)
			return rc;
	} else if (i == ne)
		return RTA_EDATA;	/* no blank before the value */
	i = skip_blanks(l, len, i);
	for (vs = i; i < len && !blank(l[i]); i++)
		;
	if (!value_ok(l + vs, i - vs))
		return RTA_EDATA;
	rta_buf_reset(&p->line);
	rta_buf_reset(&p->key);
	*has_file = 0;
	if (rta_buf_add(&p->line, l, ne) != 0 ||
	    (n > 0 && (rta_buf_addc(&p->line, '{') != 0 ||
	    rta_prom_put_labels(&p->line, p->lb, n) != 0)))
		return RTA_ENOMEM;
	*nlen = ne;
	*llen = n > 0 ? p->line.len - ne - 1 : 0;
	if ((n > 0 && rta_buf_addc(&p->line, '}') != 0) ||
	    rta_buf_addc(&p->line, ' ') != 0 ||
	    rta_buf_add(&p->line, l + vs, i - vs) != 0)
		return RTA_ENOMEM;
	i = skip_blanks(l, len, i);
	if (i < len) {
		for (vs = i; i < len && !blank(l[i]); i++)
			;
		if (!timestamp_ok(l + vs, i - vs) ||
		    skip_blanks(l, len, i) != len)
			return RTA_EDATA;
		if (rta_buf_addc(&p->line, ' ') != 0 ||
		    rta_buf_add(&p->line, l + vs, i - vs) != 0)
			return RTA_ENOMEM;
	}
	if (n > 1)
		qsort(p->lb, n, sizeof(*p->lb), rta_prom_cmp_span);
	for (k = 0; k < n; k++) {
		if (k > 0 && rta_prom_cmp_span(&p->lb[k - 1], &p->lb[k]) == 0)
			return RTA_EDATA;	/* a label twice */
		if (p->lb[k].nlen == 4 && memcmp(l + p->lb[k].n, "file", 4) ==
		    0)
			*has_file = 1;
	}
	if (rta_buf_add(&p->key, l, ne) != 0 || rta_buf_addc(&p->key, 0) ||
	    rta_prom_put_labels(&p->key, p->lb, n) != 0)
		return RTA_ENOMEM;
	*nlab = n;
	return RTA_OK;
}

/* ---- taking lines ------------------------------------------------------- */

static int
take_sample(struct rta_prom *p, size_t src, const unsigned char *l,
    size_t len)
{
	struct sample *ns, *s;
	struct slot *sl;
	size_t nlen, llen, nlab, f, k;
	uint64_t h;
	int rc, has_file;
	const char *bound;

	if ((rc = read_sample(p, l, len, &nlen, &llen, &nlab, &has_file)) !=
	    RTA_OK)
		return rc == RTA_ENOMEM ? NOMEM : RTA_PROM_SYNTAX;
	if ((f = fam_find(p, l, nlen)) != (size_t)-1) {
		/* a histogram's samples are its _bucket, _sum and _count */
		if (p->f[f].type == T_HISTOGRAM)
			return RTA_PROM_CONFLICT;
	} else if ((f = parent(p, l, nlen, 0)) == (size_t)-1) {
		/* of a histogram or summary whose TYPE this text had refused */
		if (is_reserved(l, nlen) ||
		    parent(p, l, nlen, src + 1) != (size_t)-1)
			return RTA_PROM_CONFLICT;
		if ((f = fam_new(p, l, nlen)) == (size_t)-1)
			return NOMEM;
	}
	if (p->f[f].blocked_src == src + 1)
		return RTA_PROM_CONFLICT;
	/* a parser makes numbers of a histogram's le, a summary's quantile */
	bound = p->f[f].type == T_HISTOGRAM ? "le" : p->f[f].type ==
	    T_SUMMARY ? "quantile" : NULL;
	for (k = 0; bound != NULL && k < nlab; k++)
		if (p->lb[k].nlen == strlen(bound) && memcmp(l + p->lb[k].n,
		    bound, p->lb[k].nlen) == 0 && !value_ok(l + p->lb[k].v,
		    p->lb[k].vlen))
			return RTA_PROM_SYNTAX;
	if (rta_prom_treserve(&p->st) != 0)
		return NOMEM;
	h = rta_hash64(p->key.data, p->key.len, p->seed);
	sl = rta_prom_tfind(&p->st, h, p->key.data, p->key.len, series_key, p);
	if (sl->v != 0 && p->s[sl->v - 1].last_src == src + 1)
		return RTA_PROM_DUPLICATE;
	if (p->ns == p->scap) {
		size_t nc = p->scap ? p->scap * 2 : 256;

		if ((ns = rta_reallocarray(p->s, nc, sizeof(*ns))) == NULL)
			return NOMEM;
		p->s = ns;
		p->scap = nc;
	}
	s = &p->s[p->ns];
	memset(s, 0, sizeof(*s));
	s->fam = f;
	s->src = src;
	s->nlen = nlen;
	s->llen = llen;
	s->has_file = has_file;
	s->line = p->a.len;
	s->len = p->line.len;
	if (rta_buf_add(&p->a, p->line.data, p->line.len) != 0)
		return NOMEM;
	if (sl->v != 0) {
		/* another text's series: both copies get a file label */
		s->head = sl->v - 1;
		s->key = p->s[s->head].key;
		s->klen = p->s[s->head].klen;
		p->s[s->head].collide = 1;
	} else {
		s->head = p->ns;
		s->key = p->a.len;
		s->klen = p->key.len;
		if (rta_buf_add(&p->a, p->key.data, p->key.len) != 0)
			return NOMEM;
		sl->h = h;
		sl->v = p->ns + 1;
		p->st.n++;
	}
	p->s[s->head].last_src = src + 1;
	if (p->f[f].last != 0)
		p->s[p->f[f].last - 1].next = p->ns + 1;
	else
		p->f[f].first = p->ns + 1;
	p->f[f].last = ++p->ns;
	p->f[f].n++;
	p->f[f].sample_src = src + 1;
	return KEPT;
}

/* "# HELP name doc" from l[i], past "HELP" and a blank. */
static int
take_help(struct rta_prom *p, size_t src, const unsigned char *l,
    size_t len, size_t i)
{
	struct fam *fm;
	size_t ne = name_end(l, len, i, 1), e, d, f;

	if (ne == i || (ne < len && !blank(l[ne])))
		return RTA_PROM_SYNTAX;
	d = skip_blanks(l, len, ne);
	if (!escaped(l, len, d, "\\n", 0, &e))
		return RTA_PROM_SYNTAX;
	if (is_reserved(l + i, ne - i))
		return RTA_PROM_CONFLICT;
	if ((f = fam_find(p, l + i, ne - i)) == (size_t)-1) {
		if (parent(p, l + i, ne - i, 0) != (size_t)-1)
			return RTA_PROM_CONFLICT;
		if ((f = fam_new(p, l + i, ne - i)) == (size_t)-1)
			return NOMEM;
	}
	fm = &p->f[f];
	if (fm->help_src == src + 1)
		return RTA_PROM_DUPLICATE;
	fm->help_src = src + 1;
	if (fm->blocked_src == src + 1)
		return RTA_PROM_CONFLICT;
	if (d == len)
		return KEPT;		/* no help: as if none were given */
	if (fm->has_help)
		return fm->hlen == len - d && memcmp(p->a.data + fm->help,
		    l + d, len - d) == 0 ? KEPT : RTA_PROM_CONFLICT;
	fm->help = p->a.len;
	fm->hlen = len - d;
	if (rta_buf_add(&p->a, l + d, len - d) != 0)
		return NOMEM;
	fm->has_help = 1;
	return KEPT;
}

/* "# TYPE name type" from l[i], past "TYPE" and a blank. */
static int
take_type(struct rta_prom *p, size_t src, const unsigned char *l,
    size_t len, size_t i)
{
	struct fam *fm;
	size_t ne = name_end(l, len, i, 1), ts, te, f;
	int t, c;

	if (ne == i || ne == len || !blank(l[ne]))
		return RTA_PROM_SYNTAX;
	ts = skip_blanks(l, len, ne);
	for (te = ts; te < len && !blank(l[te]); te++)
		;
	if (skip_blanks(l, len, te) != len)
		return RTA_PROM_SYNTAX;
	for (t = 0; t < T_N; t++)
		if (strlen(rta_prom_types[t]) == te - ts &&
		    memcmp(rta_prom_types[t], l + ts, te - ts) == 0)
			break;
	if (t == T_N)
		return RTA_PROM_SYNTAX;
	if (is_reserved(l + i, ne - i))
		return RTA_PROM_CONFLICT;
	if ((f = fam_find(p, l + i, ne - i)) == (size_t)-1) {
		/* a name like a histogram's samples' names */
		if (parent(p, l + i, ne - i, 0) != (size_t)-1)
			return RTA_PROM_CONFLICT;
		if ((f = fam_new(p, l + i, ne - i)) == (size_t)-1)
			return NOMEM;
	} else {
		fm = &p->f[f];
		if (fm->type_src == src + 1)
			return RTA_PROM_DUPLICATE;
		/* the format wants the TYPE before the family's samples */
		if (fm->sample_src == src + 1)
			return RTA_PROM_SYNTAX;
	}
	fm = &p->f[f];
	fm->type_src = src + 1;
	if (fm->typed)
		c = fm->type != t;
	else if (t == T_HISTOGRAM || t == T_SUMMARY)
		/* samples taken untyped would not fit; nor may another
		 * family's */
		c = fm->n > 0 ? 1 : children(p, l + i, ne - i, t);
	else
		c = 0;
	if (c < 0)
		return NOMEM;
	if (c) {
		fm->blocked_src = src + 1;
		fm->blocked_type = t;
		return RTA_PROM_CONFLICT;
	}
	fm->typed = 1;
	fm->type = t;
	return KEPT;
}

/* One line, its LF and a CR before it taken off. */
static int
take_line(struct rta_prom *p, size_t src, const unsigned char *l,
    size_t len)
{
	size_t i, k;

	if (len > RTA_PROM_LINE_MAX)
		return RTA_PROM_LONG;
	if ((i = skip_blanks(l, len, 0)) == len)
		return KEPT;		/* a blank line */
	for (k = i; k < len; k++)
		if ((l[k] < 0x20 && l[k] != '\t') || l[k] == 0x7f)
			return RTA_PROM_SYNTAX;
	if (!rta_utf8_valid(l + i, len - i, NULL))
		return RTA_PROM_SYNTAX;
	if (l[i] != '#')
		return take_sample(p, src, l + i, len - i);
	/* "#" blanks "HELP" or "TYPE" blanks: else just a comment */
	k = skip_blanks(l, len, i + 1);
	if (k == i + 1 || len - k < 4 || (memcmp(l + k, "HELP", 4) != 0 &&
	    memcmp(l + k, "TYPE", 4) != 0) || (k + 4 < len &&
	    !blank(l[k + 4])))
		return RTA_PROM_COMMENT;
	i = skip_blanks(l, len, k + 4);
	return l[k] == 'H' ? take_help(p, src, l, len, i) :
	    take_type(p, src, l, len, i);
}

static int
add_text(struct rta_prom *p, size_t src, const unsigned char *t,
    size_t len)
{
	const unsigned char *nl;
	size_t i = 0, e, n;
	int rc;

	while (i < len) {
		nl = memchr(t + i, '\n', len - i);
		e = nl != NULL ? (size_t)(nl - t) : len;
		n = e - i;
		if (n > 0 && t[e - 1] == '\r')
			n--;
		if ((rc = take_line(p, src, t + i, n)) == NOMEM)
			return RTA_ENOMEM;
		if (rc != KEPT)
			p->src[src].drops[rc]++;
		i = e + 1;
	}
	return RTA_OK;
}

/* A new source called name (NULL: own): its index, or -1. */
static size_t
src_new(struct rta_prom *p, const char *name, int file)
{
	struct source *v;

	if ((v = rta_reallocarray(p->src, p->nsrc + 1, sizeof(*v))) == NULL)
		return (size_t)-1;
	p->src = v;
	memset(&v[p->nsrc], 0, sizeof(v[p->nsrc]));
	if (name != NULL && (v[p->nsrc].name = rta_memdup(name,
	    strlen(name))) == NULL)
		return (size_t)-1;
	v[p->nsrc].file = file;
	return p->nsrc++;
}

int
rta_prom_add(struct rta_prom *p, const char *source, const void *text,
    size_t len, uint64_t drops[RTA_PROM_NDROP])
{
	size_t src;
	int rc;

	if ((src = src_new(p, source, 0)) == (size_t)-1)
		return RTA_ENOMEM;
	rc = add_text(p, src, text, len);
	if (drops != NULL)
		memcpy(drops, p->src[src].drops, sizeof(p->src[src].drops));
	return rc;
}

int
rta_prom_add_file(struct rta_prom *p, const char *path, size_t max)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct source *s;
	struct stat st;
	size_t src, i;
	ssize_t r = 0;
	int fd, rc = RTA_OK;

	for (i = 0; i < p->nsrc; i++)
		if (p->src[i].file && strcmp(p->src[i].name, path) == 0)
			return RTA_OK;
	if ((src = src_new(p, path, 1)) == (size_t)-1)
		return RTA_ENOMEM;
	/* O_NONBLOCK: a FIFO put there must not hold the open */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC)) < 0)
		return RTA_OK;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		goto out;
	/* read in chunks up to one byte past max: never st_size's word */
	while (b.len <= max) {
		if (rta_buf_reserve(&b, 65536) != 0) {
			rc = RTA_ENOMEM;
			goto out;
		}
		if ((r = read(fd, b.data + b.len, b.cap - b.len)) <= 0)
			break;
		b.len += (size_t)r;
	}
	if (r < 0 || b.len > max)
		goto out;
	s = &p->src[src];
	s->up = 1;
	s->mtime = (double)st.st_mtim.tv_sec + st.st_mtim.tv_nsec / 1e9;
	rc = add_text(p, src, b.data, b.len);
out:
	close(fd);
	rta_buf_release(&b);
	return rc;
}

