/*
 * rta_expr.c: filter expressions, compiled to a tree and evaluated per
 * event.
 *
 * The parser is recursive descent over the text, one function per rule
 * of the grammar in rta_expr.h; its recursion is bounded by
 * RTA_EXPR_MAX_DEPTH, since only parentheses and nots nest.  and and or
 * chains are one node with a list of children, so a long chain costs no
 * depth, in the parser or in rta_expr_match.
 *
 * Everything a test needs is prepared when it is compiled: fields parsed
 * (each distinct path once), strings unescaped into one pool sized for
 * the whole text up front (an unescaped string is never longer than its
 * source, so pointers into the pool stay valid), numbers read as JSON
 * reads them, times parsed, regexes compiled.  Evaluation then only
 * looks up fields and compares: no allocation, no strlen.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rta_alloc.h"
#include "rta_expr.h"
#include "rta_json.h"
#include "rta_regex.h"
#include "rta_time.h"
#include "rta_utf8.h"
#include "rta_value.h"

enum { N_AND, N_OR, N_NOT, N_CMP, N_IN, N_RE, N_PREFIX, N_EXISTS };
enum { OP_EQ, OP_LT, OP_LE, OP_GT, OP_GE };
enum { L_NULL, L_FALSE, L_TRUE, L_NUM, L_STR };
/* number kinds: an int64, a computed double, a JSON number with text */
enum { K_INT, K_DOUBLE, K_TEXT };

#define NONE	UINT32_MAX

struct num {
	int		 kind;
	int64_t		 i;
	double		 d;
	const char	*text;
	size_t		 len;
};

struct lit {
	int		 type;
	int		 is_time;	/* a string read as a time: num.i */
	struct num	 num;		/* L_NUM; the time of an L_STR */
	const char	*s;		/* L_STR, in the pool */
	size_t		 len;
};

struct node {
	uint8_t		 kind;
	uint8_t		 op;
	uint8_t		 neg;		/* !=, <>, not in */
	uint32_t	 field;
	uint32_t	 first;		/* child (and, or, not) or literal */
	uint32_t	 n;		/* literals */
	uint32_t	 nstr, nnum;	/* in: sorted strings, then numbers */
	uint32_t	 next;		/* next child of the same and/or */
	struct rta_regex *re;
};

struct rta_expr {
	struct node	*nodes;
	size_t		 nnodes, capnodes;
	struct lit	*lits;
	size_t		 nlits, caplits;
	struct rta_field *fields;
	size_t		 nfields, capfields;
	char		*pool;
	size_t		 poollen;
	uint32_t	 root;
};

struct parser {
	const char	*s;
	size_t		 len, pos;
	unsigned	 depth;
	size_t		 nin;
	struct rta_expr	*e;
	struct rta_json	 json;
	struct rta_error *err;
};

/* ---- errors -------------------------------------------------------------- */

static int fail(struct parser *, int, size_t, const char *, ...)
	    RTA_PRINTFLIKE(4, 5);

/* "column N: what", N = at + 1 */
static int
fail(struct parser *p, int code, size_t at, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	rta_error_set(p->err, code, "bad-where", "column %zu: %s", at + 1,
	    what);
	if (p->err != NULL)
		p->err->offset = at;
	return code;
}

static int
nomem(struct parser *p)
{
	return rta_error_set(p->err, RTA_ENOMEM, "no-memory", "out of memory");
}

/* ---- lexing -------------------------------------------------------------- */

static int
is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
is_opchar(int c)
{
	return c == '=' || c == '!' || c == '<' || c == '>' || c == '~' ||
	    c == '^';
}

/* A byte that ends a word (a field, keyword or bare value). */
static int
is_delim(int c)
{
	return is_ws(c) || is_opchar(c) || c == '(' || c == ')' || c == ',' ||
	    c == '\'' || c == '"';
}

static void
skip_ws(struct parser *p)
{
	while (p->pos < p->len && is_ws((unsigned char)p->s[p->pos]))
		p->pos++;
}

/* Length of the word at p->pos (a backslash takes the next byte along). */
static size_t
word_len(const struct parser *p)
{
	size_t i = p->pos;

	while (i < p->len && !is_delim((unsigned char)p->s[i])) {
		if (p->s[i] == '\\' && i + 1 < p->len)
			i++;
		i++;
	}
	return i - p->pos;
}

/* Is the word at p->pos keyword kw (lowercase), in any case? */
static int
word_is(const struct parser *p, const char *kw)
{
	size_t n = word_len(p), i;

	if (n != strlen(kw))
		return 0;
	for (i = 0; i < n; i++) {
		int c = (unsigned char)p->s[p->pos + i];

		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c != kw[i])
			return 0;
	}
	return 1;
}

/* What is at p->pos, for a message: "end of expression" or 'token'. */
static const char *
found(const struct parser *p, char *buf, size_t bufsz)
{
	char q[80];
	size_t n;

	if (p->pos >= p->len)
		return "end of expression";
	if ((n = word_len(p)) == 0) {
		n = 1;
		while (is_opchar((unsigned char)p->s[p->pos]) &&
		    p->pos + n < p->len &&
		    is_opchar((unsigned char)p->s[p->pos + n]))
			n++;
	}
	rta_quote(q, sizeof(q), p->s + p->pos, n, 24);
	snprintf(buf, bufsz, "'%s'", q);
	return buf;
}

static int
expected(struct parser *p, const char *what)
{
	char buf[96];

	return fail(p, RTA_EINVAL, p->pos, "expected %s, found %s", what,
	    found(p, buf, sizeof(buf)));
}

/* ---- building ------------------------------------------------------------ */

/* arr (or where it moved) with room for item n; NULL, arr kept, on ENOMEM */
static void *
grow(void *arr, size_t *cap, size_t n, size_t size)
{
	void *t;
	size_t c;

	if (n < *cap)
		return arr;
	c = *cap == 0 ? 8 : *cap * 2;
	if ((t = rta_reallocarray(arr, c, size)) == NULL)
		return NULL;
	*cap = c;
	return t;
}

/* A new node of this kind; its index in *idx. */
static int
new_node(struct parser *p, int kind, uint32_t *idx)
{
	struct rta_expr *e = p->e;
	struct node *n, *t;

	if ((t = grow(e->nodes, &e->capnodes, e->nnodes,
	    sizeof(*e->nodes))) == NULL)
		return nomem(p);
	e->nodes = t;
	n = &e->nodes[e->nnodes];
	memset(n, 0, sizeof(*n));
	n->kind = (uint8_t)kind;
	n->first = n->next = n->field = NONE;
	*idx = (uint32_t)e->nnodes++;
	return RTA_OK;
}

/* The field written at p->pos (its word), parsed once per distinct path. */
static int
field_at(struct parser *p, uint32_t *idx)
{
	struct rta_expr *e = p->e;
	struct rta_field *t;
	struct rta_error ferr;
	size_t n = word_len(p), i;
	int rc;

	for (i = 0; i < e->nfields; i++)
		if (strlen(e->fields[i].text) == n &&
		    memcmp(e->fields[i].text, p->s + p->pos, n) == 0) {
			*idx = (uint32_t)i;
			p->pos += n;
			return RTA_OK;
		}
	if ((t = grow(e->fields, &e->capfields, e->nfields,
	    sizeof(*e->fields))) == NULL)
		return nomem(p);
	e->fields = t;
	if ((rc = rta_field_parse_n(&e->fields[e->nfields], p->s + p->pos, n,
	    &ferr)) != RTA_OK) {
		if (rc == RTA_ENOMEM)
			return nomem(p);
		return fail(p, RTA_EINVAL, p->pos, "%s", ferr.text);
	}
	*idx = (uint32_t)e->nfields++;
	p->pos += n;
	return RTA_OK;
}

/* ---- literals ------------------------------------------------------------ */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The four hex digits at s[i..], or -1. */
static long
hex4(const struct parser *p, size_t i)
{
	long v = 0;
	int k, h;

	if (p->len - i < 4)
		return -1;
	for (k = 0; k < 4; k++) {
		if ((h = hexval((unsigned char)p->s[i + k])) < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

/*
 * The code point of the \u escape at s[i] (the backslash), and in *n the
 * bytes it takes (6, or 12 for a surrogate pair); -1 if malformed, -2
 * for a lone surrogate.
 */
static long
u_escape(const struct parser *p, size_t i, size_t *n)
{
	long hi, lo;

	*n = 6;
	if ((hi = hex4(p, i + 2)) < 0)
		return -1;
	if (hi >= 0xdc00 && hi <= 0xdfff)
		return -2;
	if (hi < 0xd800 || hi > 0xdbff)
		return hi;
	if (p->len - i < 12 || p->s[i + 6] != '\\' || p->s[i + 7] != 'u' ||
	    (lo = hex4(p, i + 8)) < 0xdc00 || lo > 0xdfff)
		return -2;
	*n = 12;
	return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
}

/* The string at p->pos (at its quote), unescaped into the pool. */
static int
string_at(struct parser *p, struct lit *l)
{
	struct rta_expr *e = p->e;
	char quote = p->s[p->pos], *out = e->pool + e->poollen, q[24];
	size_t i = p->pos + 1, o = 0, n;
	long cp;

	for (;;) {
		unsigned char c;

		if (i >= p->len)
			return fail(p, RTA_EINVAL, p->pos,
			    "unterminated string");
		c = (unsigned char)p->s[i];
		if (c == (unsigned char)quote)
			break;
		if (c == '\\' && i + 1 < p->len) {
			switch (p->s[i + 1]) {
			case '\\':
			case '\'':
			case '"':
				out[o++] = p->s[i + 1];
				i += 2;
				continue;
			case 'n':
				out[o++] = '\n';
				i += 2;
				continue;
			case 't':
				out[o++] = '\t';
				i += 2;
				continue;
			case 'u':
				if ((cp = u_escape(p, i, &n)) == -1)
					return fail(p, RTA_EINVAL, i, "'\\u' "
					    "needs four hex digits");
				if (cp == -2)
					return fail(p, RTA_EINVAL, i, "lone "
					    "surrogate in a '\\u' escape");
				o += rta_utf8_encode((unsigned char *)out + o,
				    (uint32_t)cp);
				i += n;
				continue;
			default:
				rta_quote(q, sizeof(q), p->s + i, 2, 8);
				return fail(p, RTA_EINVAL, i, "unknown escape "
				    "'%s' (strings take \\\\ \\' \\\" "
				    "\\n \\t \\uXXXX)", q);
			}
		}
		if (c < 0x80)
			n = 1;
		else if ((n = rta_utf8_seqlen((const unsigned char *)p->s + i,
		    p->len - i)) == 0)
			return fail(p, RTA_EINVAL, i, "invalid UTF-8 in a "
			    "string");
		memcpy(out + o, p->s + i, n);
		o += n;
		i += n;
	}
	l->type = L_STR;
	l->s = out;
	l->len = o;
	e->poollen += o;
	p->pos = i + 1;
	return RTA_OK;
}

/*
 * The column of the source byte of the string at q (its quote) that
 * gives byte k of its value, for a regex's error offset.  The string is
 * known to be well formed.
 */
static size_t
string_col(const struct parser *p, size_t q, size_t k)
{
	size_t i = q + 1, o = 0, n;
	long cp;

	while (o < k && p->s[i] != p->s[q]) {
		if (p->s[i] != '\\') {
			i++;
			o++;
		} else if (p->s[i + 1] != 'u') {
			i += 2;
			o++;
		} else {
			cp = u_escape(p, i, &n);
			o += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ?
			    3 : 4;
			i += n;
		}
	}
	return i;
}

/* The number at p->pos, as JSON reads it. */
static int
number_at(struct parser *p, struct lit *l)
{
	struct rta_json_num jn;
	struct rta_error jerr;
	size_t at = p->pos, n;
	int rc;

	rta_json_begin(&p->json, p->s + at, p->len - at, &jerr);
	if ((rc = rta_json_number(&p->json, &jn)) != RTA_OK) {
		if (rc == RTA_ENOMEM)
			return nomem(p);
		return fail(p, RTA_EINVAL, at, "%s",
		    strstr(jerr.text, "out of range") != NULL ?
		    "number out of range" : "bad number");
	}
	n = (size_t)(p->json.p - p->json.start);
	if (at + n < p->len && !is_delim((unsigned char)p->s[at + n]))
		return fail(p, RTA_EINVAL, at, "bad number");
	l->type = L_NUM;
	if (jn.is_int) {
		l->num.kind = K_INT;
		l->num.i = jn.i;
		l->num.d = jn.d;
	} else {
		l->num.kind = K_TEXT;
		l->num.d = jn.d;
		l->num.text = p->e->pool + p->e->poollen;
		l->num.len = n;
		memcpy(p->e->pool + p->e->poollen, p->s + at, n);
		p->e->poollen += n;
	}
	p->pos += n;
	return RTA_OK;
}

/* A value at p->pos into a new literal; its index in *idx. */
static int
value_at(struct parser *p, uint32_t *idx)
{
	struct rta_expr *e = p->e;
	struct lit *l;
	char buf[96];
	int c, rc;

	skip_ws(p);
	if ((l = grow(e->lits, &e->caplits, e->nlits,
	    sizeof(*e->lits))) == NULL)
		return nomem(p);
	e->lits = l;
	l = &e->lits[e->nlits];
	memset(l, 0, sizeof(*l));
	c = p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
	if (c == '\'' || c == '"')
		rc = string_at(p, l);
	else if (c == '-' || (c >= '0' && c <= '9'))
		rc = number_at(p, l);
	else if (word_is(p, "null") || word_is(p, "true") ||
	    word_is(p, "false")) {
		l->type = word_is(p, "null") ? L_NULL : word_is(p, "true") ?
		    L_TRUE : L_FALSE;
		p->pos += word_len(p);
		rc = RTA_OK;
	} else if (word_len(p) > 0)
		rc = fail(p, RTA_EINVAL, p->pos, "expected a value, found %s "
		    "(strings need quotes)", found(p, buf, sizeof(buf)));
	else
		rc = expected(p, "a value");
	if (rc != RTA_OK)
		return rc;
	*idx = (uint32_t)e->nlits++;
	return RTA_OK;
}

/* timestamp against a string: the string must be a time. */
static int
time_lit(struct parser *p, struct lit *l, size_t at)
{
	struct rta_error terr;
	char q[80];

	if (l->type != L_STR)
		return RTA_OK;
	if (rta_time_parse(l->s, l->len, &l->num.i, &terr) != RTA_OK) {
		rta_quote(q, sizeof(q), l->s, l->len, 40);
		return fail(p, RTA_EINVAL, at, "timestamp needs an RFC 3339 "
		    "time, not '%s': %s", q, terr.text);
	}
	l->is_time = 1;
	return RTA_OK;
}

/* ---- grammar ------------------------------------------------------------- */

static int	parse_or(struct parser *, uint32_t *);
static int	num_cmp(const struct num *, const struct num *);

/* In lists: strings by length, then bytes; numbers by value; the rest. */
static int
lit_rank(const struct lit *l)
{
	return l->type == L_STR ? 0 : l->type == L_NUM ? 1 : 2;
}

static int
lit_order(const void *a, const void *b)
{
	const struct lit *x = a, *y = b;
	int rx = lit_rank(x), ry = lit_rank(y);

	if (rx != ry)
		return rx - ry;
	if (rx == 0 && x->len != y->len)
		return x->len < y->len ? -1 : 1;
	if (rx == 0)
		return x->len == 0 ? 0 : memcmp(x->s, y->s, x->len);
	if (rx == 1)
		return num_cmp(&x->num, &y->num);
	return x->type - y->type;
}

/* The list of an in test, from its "(". */
static int
in_list(struct parser *p, struct node *tmpl, uint32_t *idx)
{
	struct lit *l;
	uint32_t li;
	size_t at;
	int rc;

	skip_ws(p);
	if (p->pos >= p->len || p->s[p->pos] != '(')
		return expected(p, "'(' after 'in'");
	p->pos++;
	tmpl->first = (uint32_t)p->e->nlits;
	for (;;) {
		skip_ws(p);
		at = p->pos;
		if (p->nin == RTA_EXPR_MAX_IN)
			return fail(p, RTA_ELIMIT, at, "more than %d 'in' "
			    "items", RTA_EXPR_MAX_IN);
		if ((rc = value_at(p, &li)) != RTA_OK)
			return rc;
		p->nin++;
		tmpl->n++;
		if (p->e->fields[tmpl->field].root == RTA_F_TIMESTAMP &&
		    (rc = time_lit(p, &p->e->lits[li], at)) != RTA_OK)
			return rc;
		skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == ',') {
			p->pos++;
			continue;
		}
		if (p->pos < p->len && p->s[p->pos] == ')')
			break;
		return expected(p, "',' or ')'");
	}
	p->pos++;
	/* sorted, so that a long list is a binary search */
	l = &p->e->lits[tmpl->first];
	qsort(l, tmpl->n, sizeof(*l), lit_order);
	while (tmpl->nstr < tmpl->n && l[tmpl->nstr].type == L_STR)
		tmpl->nstr++;
	while (tmpl->nstr + tmpl->nnum < tmpl->n &&
	    l[tmpl->nstr + tmpl->nnum].type == L_NUM)
		tmpl->nnum++;
	if ((rc = new_node(p, N_IN, idx)) != RTA_OK)
		return rc;
	tmpl->kind = N_IN;
	p->e->nodes[*idx] = *tmpl;
	return RTA_OK;
}

/* The operator at p->pos: its node kind, op and negation in tmpl. */
static int
operator_at(struct parser *p, struct node *tmpl)
{
	static const struct {
		const char	*text;
		uint8_t		 kind, op, neg;
	} ops[] = {
		{ "=", N_CMP, OP_EQ, 0 }, { "==", N_CMP, OP_EQ, 0 },
		{ "!=", N_CMP, OP_EQ, 1 }, { "<>", N_CMP, OP_EQ, 1 },
		{ "<", N_CMP, OP_LT, 0 }, { "<=", N_CMP, OP_LE, 0 },
		{ ">", N_CMP, OP_GT, 0 }, { ">=", N_CMP, OP_GE, 0 },
		{ "~", N_RE, 0, 0 }, { "^=", N_PREFIX, 0, 0 }
	};
	char q[40];
	size_t n = 0, i;

	while (p->pos + n < p->len && is_opchar((unsigned char)p->s[p->pos +
	    n]))
		n++;
	if (n == 0) {
		if (word_is(p, "exists")) {
			tmpl->kind = N_EXISTS;
		} else if (word_is(p, "in")) {
			tmpl->kind = N_IN;
		} else if (word_is(p, "not")) {
			p->pos += 3;
			skip_ws(p);
			if (!word_is(p, "in"))
				return expected(p, "'in' after 'not'");
			tmpl->kind = N_IN;
			tmpl->neg = 1;
		} else
			return expected(p, "an operator");
		p->pos += word_len(p);
		return RTA_OK;
	}
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strlen(ops[i].text) == n &&
		    memcmp(ops[i].text, p->s + p->pos, n) == 0) {
			tmpl->kind = ops[i].kind;
			tmpl->op = ops[i].op;
			tmpl->neg = ops[i].neg;
			p->pos += n;
			return RTA_OK;
		}
	rta_quote(q, sizeof(q), p->s + p->pos, n, 24);
	return fail(p, RTA_EINVAL, p->pos, "unknown operator '%s'", q);
}

/* A regex or prefix test's string; the regex compiled. */
static int
pattern(struct parser *p, struct node *tmpl, const char *opname)
{
	struct rta_error rerr;
	struct lit *l;
	char buf[96];
	size_t at;
	int rc;

	skip_ws(p);
	at = p->pos;
	if (p->pos >= p->len || (p->s[p->pos] != '\'' &&
	    p->s[p->pos] != '"'))
		return fail(p, RTA_EINVAL, at, "'%s' needs a string, found %s",
		    opname, found(p, buf, sizeof(buf)));
	if ((rc = value_at(p, &tmpl->first)) != RTA_OK)
		return rc;
	tmpl->n = 1;
	if (tmpl->kind != N_RE)
		return RTA_OK;
	l = &p->e->lits[tmpl->first];
	rc = rta_regex_compile(&tmpl->re, l->s, l->len, &rerr);
	if (rc == RTA_ENOMEM)
		return nomem(p);
	if (rc != RTA_OK)
		return fail(p, rc == RTA_ELIMIT ? RTA_ELIMIT : RTA_EINVAL,
		    string_col(p, at, rerr.offset), "bad regex: %s",
		    rerr.text);
	return RTA_OK;
}

static int
test(struct parser *p, uint32_t *idx)
{
	struct node t;
	size_t at;
	int rc;

	memset(&t, 0, sizeof(t));
	t.first = t.next = NONE;
	if ((rc = field_at(p, &t.field)) != RTA_OK)
		return rc;
	skip_ws(p);
	if ((rc = operator_at(p, &t)) != RTA_OK)
		return rc;
	switch (t.kind) {
	case N_IN:
		return in_list(p, &t, idx);
	case N_RE:
		rc = pattern(p, &t, "~");
		break;
	case N_PREFIX:
		rc = pattern(p, &t, "^=");
		break;
	case N_CMP:
		skip_ws(p);
		at = p->pos;
		if ((rc = value_at(p, &t.first)) != RTA_OK)
			return rc;
		t.n = 1;
		if (p->e->fields[t.field].root == RTA_F_TIMESTAMP)
			rc = time_lit(p, &p->e->lits[t.first], at);
		break;
	default:
		break;
	}
	if (rc == RTA_OK && (rc = new_node(p, t.kind, idx)) == RTA_OK) {
		p->e->nodes[*idx] = t;
		return RTA_OK;
	}
	rta_regex_free(t.re);
	return rc;
}

static int
nest(struct parser *p)
{
	if (p->depth == RTA_EXPR_MAX_DEPTH)
		return fail(p, RTA_ELIMIT, p->pos, "nested deeper than %d "
		    "levels", RTA_EXPR_MAX_DEPTH);
	p->depth++;
	return RTA_OK;
}

static int
unary(struct parser *p, uint32_t *idx)
{
	uint32_t child;
	int rc;

	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == '(') {
		if ((rc = nest(p)) != RTA_OK)
			return rc;
		p->pos++;
		if ((rc = parse_or(p, idx)) != RTA_OK)
			return rc;
		skip_ws(p);
		if (p->pos >= p->len || p->s[p->pos] != ')')
			return expected(p, "'and', 'or' or ')'");
		p->pos++;
		p->depth--;
		return RTA_OK;
	}
	if (word_is(p, "not")) {
		if ((rc = nest(p)) != RTA_OK)
			return rc;
		p->pos += 3;
		if ((rc = unary(p, &child)) != RTA_OK ||
		    (rc = new_node(p, N_NOT, idx)) != RTA_OK)
			return rc;
		p->e->nodes[*idx].first = child;
		p->depth--;
		return RTA_OK;
	}
	if (p->pos >= p->len || word_len(p) == 0)
		return expected(p, "a field, 'not' or '('");
	return test(p, idx);
}

/* and { "and" unary } or the same with or: one node for the chain. */
static int
chain(struct parser *p, int kind, uint32_t *idx)
{
	const char *kw = kind == N_AND ? "and" : "or";
	uint32_t first, last, next;
	int rc;

	rc = kind == N_AND ? unary(p, &first) : chain(p, N_AND, &first);
	if (rc != RTA_OK)
		return rc;
	*idx = last = first;
	for (;;) {
		skip_ws(p);
		if (!word_is(p, kw))
			return RTA_OK;
		p->pos += strlen(kw);
		rc = kind == N_AND ? unary(p, &next) : chain(p, N_AND, &next);
		if (rc != RTA_OK)
			return rc;
		if (*idx == first) {
			if ((rc = new_node(p, kind, idx)) != RTA_OK)
				return rc;
			p->e->nodes[*idx].first = first;
		}
		p->e->nodes[last].next = next;
		last = next;
	}
}

static int
parse_or(struct parser *p, uint32_t *idx)
{
	return chain(p, N_OR, idx);
}

/* ---- the expression ------------------------------------------------------ */

void
rta_expr_free(struct rta_expr *e)
{
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < e->nnodes; i++)
		rta_regex_free(e->nodes[i].re);
	for (i = 0; i < e->nfields; i++)
		rta_field_release(&e->fields[i]);
	rta_free(e->nodes);
	rta_free(e->lits);
	rta_free(e->fields);
	rta_free(e->pool);
	rta_free(e);
}

int
rta_expr_parse(const char *s, struct rta_expr **ep, struct rta_error *err)
{
	struct parser p;
	struct rta_expr *e;
	size_t len = strnlen(s, RTA_EXPR_MAX_LEN + 1);
	int rc;

	if (len > RTA_EXPR_MAX_LEN) {
		rta_error_set(err, RTA_ELIMIT, "bad-where",
		    "expression longer than %d bytes", RTA_EXPR_MAX_LEN);
		if (err != NULL)
			err->offset = RTA_EXPR_MAX_LEN;
		return RTA_ELIMIT;
	}
	memset(&p, 0, sizeof(p));
	p.s = s;
	p.len = len;
	p.err = err;
	if ((e = rta_calloc(1, sizeof(*e))) == NULL ||
	    (e->pool = rta_malloc(len + 1)) == NULL) {
		rta_free(e);
		return nomem(&p);
	}
	p.e = e;
	rta_json_init(&p.json);
	if ((rc = parse_or(&p, &e->root)) == RTA_OK) {
		skip_ws(&p);
		if (p.pos < p.len && p.s[p.pos] == ')')
			rc = fail(&p, RTA_EINVAL, p.pos, "unmatched ')'");
		else if (p.pos < p.len)
			rc = expected(&p, "'and', 'or' or end of expression");
	}
	rta_json_release(&p.json);
	if (rc != RTA_OK) {
		rta_expr_free(e);
		return rc;
	}
	*ep = e;
	return RTA_OK;
}

size_t
rta_expr_nfields(const struct rta_expr *e)
{
	return e->nfields;
}

const struct rta_field *
rta_expr_field(const struct rta_expr *e, size_t i)
{
	return i < e->nfields ? &e->fields[i] : NULL;
}

/* ---- evaluation ---------------------------------------------------------- */

static int
cmp_i64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

/* i against d exactly (d finite). */
static int
cmp_i64_double(int64_t i, double d)
{
	int64_t t;
	double f;

	if (d >= 9223372036854775808.0)
		return -1;
	if (d < -9223372036854775808.0)
		return 1;
	t = (int64_t)d;
	if (i != t)
		return i < t ? -1 : 1;
	/* exact: t is d without its fraction */
	f = d - (double)t;
	return f > 0 ? -1 : f < 0;
}

/*
 * A JSON number's text read as its exact decimal value: the significant
 * digits, as an integer part [ip, ipe) and a fraction [fp, fpe), and the
 * exponent, with leading zeros skipped.
 */
struct dec {
	const char	*ip, *ipe, *fp, *fpe;
	long		 exp;		/* of the first significant digit */
	int		 neg, zero;
};

static void
dec_read(const char *s, size_t len, struct dec *x)
{
	const char *p = s, *end = s + len;
	long e = 0, lead;
	int eneg = 0;

	x->neg = p < end && *p == '-';
	p += x->neg;
	x->ip = p;
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	x->ipe = p;
	x->fp = x->fpe = p;
	if (p < end && *p == '.') {
		x->fp = ++p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		x->fpe = p;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		/* a tie of doubles bounds the exponents worth telling apart */
		while (p < end && *p >= '0' && *p <= '9') {
			if (e < 100000000)
				e = e * 10 + (*p - '0');
			p++;
		}
	}
	while (x->ip < x->ipe && *x->ip == '0')
		x->ip++;
	lead = 0;
	if (x->ip == x->ipe)
		while (x->fp < x->fpe && *x->fp == '0') {
			x->fp++;
			lead++;
		}
	x->zero = x->ip == x->ipe && x->fp == x->fpe;
	x->exp = (eneg ? -e : e) + (x->ip < x->ipe ? (long)(x->ipe - x->ip) :
	    -lead);
}

/* Significant digit k of x, '0' past its end. */
static int
dec_digit(const struct dec *x, size_t k)
{
	size_t ni = (size_t)(x->ipe - x->ip);

	if (k < ni)
		return x->ip[k];
	k -= ni;
	return k < (size_t)(x->fpe - x->fp) ? x->fp[k] : '0';
}

static int
dec_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	struct dec x, y;
	size_t k, n, nx, ny;
	int s;

	dec_read(a, alen, &x);
	dec_read(b, blen, &y);
	if (x.zero || y.zero)
		return x.zero && y.zero ? 0 : x.zero ? (y.neg ? 1 : -1) :
		    (x.neg ? -1 : 1);
	if (x.neg != y.neg)
		return x.neg ? -1 : 1;
	s = x.neg ? -1 : 1;
	if (x.exp != y.exp)
		return x.exp < y.exp ? -s : s;
	nx = (size_t)(x.ipe - x.ip) + (size_t)(x.fpe - x.fp);
	ny = (size_t)(y.ipe - y.ip) + (size_t)(y.fpe - y.fp);
	n = nx > ny ? nx : ny;
	for (k = 0; k < n; k++) {
		int dx = dec_digit(&x, k), dy = dec_digit(&y, k);

		if (dx != dy)
			return dx < dy ? -s : s;
	}
	return 0;
}

/* a against b, both numbers. */
static int
num_cmp(const struct num *a, const struct num *b)
{
	char ta[24], tb[24];
	const char *sa = a->text, *sb = b->text;
	size_t la = a->len, lb = b->len;

	if (a->kind == K_INT && b->kind == K_INT)
		return cmp_i64(a->i, b->i);
	if (a->kind == K_INT && b->kind == K_DOUBLE)
		return cmp_i64_double(a->i, b->d);
	if (a->kind == K_DOUBLE && b->kind == K_INT)
		return -cmp_i64_double(b->i, a->d);
	/* rounding to a double keeps order: unequal doubles decide */
	if (a->d != b->d)
		return a->d < b->d ? -1 : 1;
	if (a->kind == K_DOUBLE || b->kind == K_DOUBLE)
		return 0;
	if (a->kind == K_INT)
		sa = ta, la = rta_fmt_i64(ta, a->i);
	if (b->kind == K_INT)
		sb = tb, lb = rta_fmt_i64(tb, b->i);
	return dec_cmp(sa, la, sb, lb);
}

/* memcmp, which may not be given NULL even for no bytes */
static int
bytes_cmp(const void *a, const void *b, size_t n)
{
	return n == 0 ? 0 : memcmp(a, b, n);
}

static int
str_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = bytes_cmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c < 0 ? -1 : 1;
	return alen < blen ? -1 : alen > blen;
}

/* A field's value sorted by type, for comparisons. */
enum { C_MISSING, C_NULL, C_FALSE, C_TRUE, C_NUM, C_STR, C_TIME, C_OTHER };

struct val {
	int		 cls;
	struct num	 num;		/* C_NUM; C_TIME in num.i */
	const char	*s;		/* C_STR */
	size_t		 len;
};

static void
classify(const struct rta_fval *f, struct val *v)
{
	const unsigned char *x = f->v;

	switch (f->kind) {
	case RTA_FV_MISSING:
		v->cls = C_MISSING;
		return;
	case RTA_FV_STRING:
		v->cls = C_STR;
		v->s = f->s;
		v->len = f->len;
		return;
	case RTA_FV_TIME:
		v->cls = C_TIME;
		v->num.i = f->i;
		return;
	case RTA_FV_UINT:
		v->cls = C_NUM;
		v->num.kind = K_INT;
		v->num.i = f->i;
		v->num.d = (double)f->i;
		return;
	case RTA_FV_VALUE:
		break;
	}
	switch (rta_value_tag(x)) {
	case RTA_V_NULL:
		v->cls = C_NULL;
		return;
	case RTA_V_FALSE:
		v->cls = C_FALSE;
		return;
	case RTA_V_TRUE:
		v->cls = C_TRUE;
		return;
	case RTA_V_INT:
		v->cls = C_NUM;
		v->num.kind = K_INT;
		v->num.i = (int64_t)rta_get_u64(x + 1);
		v->num.d = (double)v->num.i;
		return;
	case RTA_V_DOUBLE:
	case RTA_V_NUMBER:
		v->cls = C_NUM;
		rta_value_num(x, &v->num.d);
		v->num.kind = K_DOUBLE;
		if (x[0] == RTA_V_NUMBER) {
			v->num.kind = K_TEXT;
			v->num.len = rta_get_u32(x + 9);
			v->num.text = (const char *)x + 13;
		}
		return;
	case RTA_V_STRING:
		v->cls = C_STR;
		rta_value_str(x, &v->s, &v->len);
		return;
	default:
		v->cls = C_OTHER;
		return;
	}
}

/* Does v op l hold? */
static int
compare(const struct val *v, int op, const struct lit *l)
{
	int c;

	switch (l->type) {
	case L_NULL:
		return op == OP_EQ && (v->cls == C_MISSING || v->cls == C_NULL);
	case L_FALSE:
		return op == OP_EQ && v->cls == C_FALSE;
	case L_TRUE:
		return op == OP_EQ && v->cls == C_TRUE;
	case L_NUM:
		if (v->cls != C_NUM)
			return 0;
		c = num_cmp(&v->num, &l->num);
		break;
	default:
		/* most strings that differ differ in length */
		if (v->cls == C_STR && op == OP_EQ)
			return v->len == l->len &&
			    bytes_cmp(v->s, l->s, l->len) == 0;
		if (v->cls == C_STR)
			c = str_cmp(v->s, v->len, l->s, l->len);
		else if (v->cls == C_TIME && l->is_time)
			c = cmp_i64(v->num.i, l->num.i);
		else
			return 0;
		break;
	}
	switch (op) {
	case OP_EQ:
		return c == 0;
	case OP_LT:
		return c < 0;
	case OP_LE:
		return c <= 0;
	case OP_GT:
		return c > 0;
	default:
		return c >= 0;
	}
}

/* Is v one of the n->n items at l (sorted by in_list)? */
static int
in_holds(const struct node *n, const struct lit *l, const struct val *v)
{
	size_t lo = 0, hi = n->nstr, mid, i;
	int c;

	switch (v->cls) {
	case C_STR:
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			c = v->len != l[mid].len ? (v->len < l[mid].len ?
			    -1 : 1) : bytes_cmp(v->s, l[mid].s, v->len);
			if (c == 0)
				return 1;
			if (c < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
		return 0;
	case C_NUM:
		lo = n->nstr;
		hi = n->nstr + n->nnum;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if ((c = num_cmp(&v->num, &l[mid].num)) == 0)
				return 1;
			if (c < 0)
				hi = mid;
			else
				lo = mid + 1;
		}
		return 0;
	case C_TIME:
		for (i = 0; i < n->nstr; i++)
			if (l[i].is_time && l[i].num.i == v->num.i)
				return 1;
		return 0;
	default:
		for (i = n->nstr + n->nnum; i < n->n; i++)
			if (compare(v, OP_EQ, &l[i]))
				return 1;
		return 0;
	}
}

static int
test_holds(const struct rta_expr *e, const struct node *n,
    const struct rta_event *ev)
{
	const struct lit *l;
	struct rta_fval f;
	struct val v;

	rta_field_get(&e->fields[n->field], ev, &f);
	if (n->kind == N_EXISTS)
		return f.kind != RTA_FV_MISSING;
	l = &e->lits[n->first];
	classify(&f, &v);
	switch (n->kind) {
	case N_CMP:
		return compare(&v, n->op, l);
	case N_IN:
		return in_holds(n, l, &v);
	case N_PREFIX:
		return v.cls == C_STR && v.len >= l->len &&
		    bytes_cmp(v.s, l->s, l->len) == 0;
	default:
		return v.cls == C_STR && rta_regex_search(n->re, v.s, v.len);
	}
}

static int
eval(const struct rta_expr *e, uint32_t i, const struct rta_event *ev)
{
	const struct node *n = &e->nodes[i];
	uint32_t c;

	switch (n->kind) {
	case N_AND:
		for (c = n->first; c != NONE; c = e->nodes[c].next)
			if (!eval(e, c, ev))
				return 0;
		return 1;
	case N_OR:
		for (c = n->first; c != NONE; c = e->nodes[c].next)
			if (eval(e, c, ev))
				return 1;
		return 0;
	case N_NOT:
		return !eval(e, n->first, ev);
	default:
		return test_holds(e, n, ev) ^ n->neg;
	}
}

int
rta_expr_match(const struct rta_expr *e, const struct rta_event *ev)
{
	return eval(e, e->root, ev);
}
