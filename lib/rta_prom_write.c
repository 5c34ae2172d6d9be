/*
 * rta_prom_write.c: the merge written out (rta_prom_format).
 *
 * Families go out in the order they were first met, each whole; a
 * sample gets a file label when its series came from more than one text
 * and it is a file's.  Every series key written is kept in a table of
 * its own, so that no series can go out twice whatever the files' labels
 * were: a copy whose key was written before is left out and counted
 * against its file as a duplicate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_hash.h"
#include "rta_metrics.h"
#include "rta_prom.h"
#include "rta_prom_int.h"

/* The series keys written so far, so that none goes out twice. */
struct written {
	const struct rta_prom *p;
	struct rta_buf	 k;		/* keys of labelled copies */
	struct wkey {
		int	 made;		/* in k, else in p's arena */
		size_t	 off, len;
	}		*v;
	size_t		 n;
	struct table	 t;
	struct span	*lb;		/* a copy's labels */
	size_t		 lbcap;
	struct rta_buf	 fl;		/* file="PATH" */
};

static void
written_key(const void *ctx, size_t i, const unsigned char **k,
    size_t *klen)
{
	const struct written *w = ctx;

	*k = (w->v[i].made ? w->k.data : w->p->a.data) + w->v[i].off;
	*klen = w->v[i].len;
}

/*
 * The labels of s as spans in w->lb, then file="source" when label is
 * set: *n of them.  The labels were written by put_labels, so they are
 * well-formed.  0 or -1.
 */
static int
split_labels(struct written *w, const struct sample *s, int label,
    size_t *n)
{
	const unsigned char *l = w->p->a.data + s->line + s->nlen + 1;
	size_t i = 0, need = s->llen / 4 + 2;
	struct span *v;

	if (need > w->lbcap) {
		if ((v = rta_reallocarray(w->lb, need, sizeof(*v))) == NULL)
			return -1;
		w->lb = v;
		w->lbcap = need;
	}
	*n = 0;
	while (i < s->llen) {
		v = &w->lb[(*n)++];
		v->l = l;
		v->n = i;
		while (l[i] != '=')
			i++;
		v->nlen = i - v->n;
		v->v = i += 2;
		for (; l[i] != '"'; i++)
			if (l[i] == '\\')
				i++;
		v->vlen = i - v->v;
		i += 2;				/* '"' and ',' */
	}
	if (label) {
		v = &w->lb[(*n)++];
		v->l = w->fl.data;
		v->n = 0;
		v->nlen = 4;
		v->v = 6;
		v->vlen = w->fl.len - 7;
	}
	return 0;
}

/*
 * Write sample s, with a file label when label is set, unless a sample
 * with its name and labels was written before: 1 written, 0 not, -1 no
 * memory.
 */
static int
put_sample(struct written *w, const struct sample *s, int label,
    struct rta_buf *out)
{
	const unsigned char *line;
	struct wkey *nv;
	struct slot *sl;
	size_t n, rest;
	uint64_t h;

	if (rta_prom_treserve(&w->t) != 0)
		return -1;
	if ((nv = rta_reallocarray(w->v, w->n + 1, sizeof(*nv))) == NULL)
		return -1;
	w->v = nv;
	nv = &w->v[w->n];
	nv->made = label;
	nv->off = w->p->s[s->head].key;
	nv->len = s->klen;
	if (label) {
		if (split_labels(w, s, 1, &n) != 0)
			return -1;
		qsort(w->lb, n, sizeof(*w->lb), rta_prom_cmp_span);
		nv->off = w->k.len;
		if (rta_buf_add(&w->k, w->p->a.data + s->line, s->nlen) != 0 ||
		    rta_buf_addc(&w->k, 0) != 0 ||
		    rta_prom_put_labels(&w->k, w->lb, n) != 0)
			return -1;
		nv->len = w->k.len - nv->off;
	}
	written_key(w, w->n, &line, &n);
	h = rta_hash64(line, n, w->p->seed);
	if ((sl = rta_prom_tfind(&w->t, h, line, n, written_key, w))->v != 0)
		return 0;
	sl->h = h;
	sl->v = ++w->n;
	w->t.n++;
	line = w->p->a.data + s->line;
	if (!label)
		return rta_buf_add(out, line, s->len) != 0 ||
		    rta_buf_addc(out, '\n') != 0 ? -1 : 1;
	rest = s->nlen + (s->llen > 0 ? s->llen + 2 : 0);
	return rta_buf_add(out, line, s->nlen) != 0 ||
	    rta_buf_addc(out, '{') != 0 ||
	    rta_buf_add(out, line + s->nlen + 1, s->llen) != 0 ||
	    (s->llen > 0 && rta_buf_addc(out, ',') != 0) ||
	    rta_buf_add(out, w->fl.data, w->fl.len) != 0 ||
	    rta_buf_addc(out, '}') != 0 ||
	    rta_buf_add(out, line + rest, s->len - rest) != 0 ||
	    rta_buf_addc(out, '\n') != 0 ? -1 : 1;
}

static int
file_label(struct rta_buf *b, const char *name, const char *path)
{
	return rta_buf_printf(b, "%s{file=\"", name) != 0 ||
	    rta_metrics_label(b, path, strlen(path)) != 0 ? -1 : 0;
}

/* The families of the files; late[i]: samples of file i not written. */
static int
put_files(const struct rta_prom *p, const uint64_t *late,
    struct rta_buf *out)
{
	const char *const *name = rta_prom_reserved;
	const struct source *s;
	unsigned long long n;
	size_t i, nup = 0;
	int d, bad = 0;

	bad |= rta_metrics_head(out, name[0], "gauge", "Whether the metrics "
	    "file could be read (0: missing, unreadable, not a regular file "
	    "or too big).");
	for (i = 0; i < p->nsrc; i++) {
		s = &p->src[i];
		if (!s->file)
			continue;
		nup += s->up;
		bad |= file_label(out, name[0], s->name) ||
		    rta_buf_printf(out, "\"} %d\n", s->up);
	}
	if (nup == 0)
		return bad ? -1 : 0;
	bad |= rta_metrics_head(out, name[1], "gauge", "When the metrics "
	    "file was last written.");
	for (i = 0; i < p->nsrc; i++) {
		s = &p->src[i];
		if (s->file && s->up)
			bad |= file_label(out, name[1], s->name) ||
			    rta_buf_printf(out, "\"} %.3f\n", s->mtime);
	}
	bad |= rta_metrics_head(out, name[2], "gauge", "Lines of the metrics "
	    "file left out, by reason.");
	for (i = 0; i < p->nsrc; i++) {
		s = &p->src[i];
		if (!s->file || !s->up)
			continue;
		for (d = 0; d < RTA_PROM_NDROP; d++) {
			n = s->drops[d] + (d == RTA_PROM_DUPLICATE ?
			    late[i] : 0);
			bad |= file_label(out, name[2], s->name) ||
			    rta_buf_printf(out, "\",reason=\"%s\"} %llu\n",
			    rta_prom_drop_name(d), n);
		}
	}
	return bad ? -1 : 0;
}

/* A family's HELP and TYPE lines: 0 or -1. */
static int
put_head(const struct rta_prom *p, const struct fam *f, struct rta_buf *out)
{
	const unsigned char *name = p->a.data + f->name;

	if (f->has_help && (rta_buf_adds(out, "# HELP ") ||
	    rta_buf_add(out, name, f->nlen) || rta_buf_addc(out, ' ') ||
	    rta_buf_add(out, p->a.data + f->help, f->hlen) ||
	    rta_buf_addc(out, '\n')))
		return -1;
	if (f->typed && (rta_buf_adds(out, "# TYPE ") ||
	    rta_buf_add(out, name, f->nlen) ||
	    rta_buf_printf(out, " %s\n", rta_prom_types[f->type])))
		return -1;
	return 0;
}

/* file="source" into b, replacing what it held: 0 or -1. */
static int
file_pair(struct rta_buf *b, const char *source)
{
	rta_buf_reset(b);
	return rta_buf_adds(b, "file=\"") != 0 ||
	    rta_metrics_label(b, source, strlen(source)) != 0 ||
	    rta_buf_addc(b, '"') != 0 ? -1 : 0;
}

int
rta_prom_format(const struct rta_prom *p, struct rta_buf *out)
{
	struct written w;
	const struct fam *f;
	const struct sample *s;
	const char *src;
	uint64_t *late;
	size_t i, j;
	int rc = 0, label, nfiles = 0;

	memset(&w, 0, sizeof(w));
	w.p = p;
	if ((late = rta_calloc(p->nsrc + 1, sizeof(*late))) == NULL)
		return RTA_ENOMEM;
	for (i = 0; i < p->nf && rc >= 0; i++) {
		f = &p->f[i];
		if (f->n == 0)
			continue;
		rc = put_head(p, f, out);
		for (j = f->first; j != 0 && rc >= 0; j = s->next) {
			s = &p->s[j - 1];
			src = p->src[s->src].name;
			/* a copy of a series another text gave too */
			label = p->s[s->head].collide && src != NULL &&
			    !s->has_file;
			if (label && file_pair(&w.fl, src) != 0)
				rc = -1;
			else if ((rc = put_sample(&w, s, label, out)) == 0)
				late[s->src]++;
		}
	}
	for (i = 0; i < p->nsrc; i++)
		nfiles += p->src[i].file;
	if (rc >= 0 && nfiles > 0)
		rc = put_files(p, late, out);
	rta_free(late);
	rta_free(w.v);
	rta_free(w.t.s);
	rta_free(w.lb);
	rta_buf_release(&w.k);
	rta_buf_release(&w.fl);
	return rc < 0 ? RTA_ENOMEM : RTA_OK;
}
