/*
 * rta_privacy.c: privacy rules applied to events.
 *
 * The rules on payload members form a tree of member names.  An event is
 * first probed (does any ruled member exist?); only then is its payload
 * rebuilt, in one walk for all rules: runs of untouched members are
 * copied as their encoded bytes, ruled members are transformed, removed
 * or dropped, and objects on the way to a ruled member are rebuilt the
 * same way.
 */
#include <sys/stat.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <nettle/hmac.h>

#include "rta_alloc.h"
#include "rta_field.h"
#include "rta_hash.h"
#include "rta_privacy.h"
#include "rta_time.h"
#include "rta_value.h"

#define FILE_MAX	(1024 * 1024)	/* bytes in a rules or keys file */
#define KEY_ID_MAX	32		/* bytes in a key id */
#define SECRET_MIN	32		/* bytes in a secret */
#define SECRET_MAX	512
#define MASK_KEEP_MAX	1024
#define DAY_US		(86400LL * RTA_US_PER_SEC)

enum action {
	A_DROP,
	A_MASK,
	A_PSEUDO,
	A_TRUNC,
	A_COARSEN,
	A_COUNT
};

static const char *const action_names[A_COUNT] = {
	"drop", "mask", "pseudonymize", "truncate-ip", "coarsen"
};

struct pkey {
	char			 id[KEY_ID_MAX + 1];
	char			*tenant;	/* NULL: not a tenant key */
	size_t			 tlen;
	unsigned		 line;
	struct hmac_sha256_ctx	 ctx;
};

struct rule {
	struct rta_field	 f;
	unsigned		 line;
	enum action		 act;
	unsigned		 keep;		/* mask */
	char			 mch;
	struct pkey		*key;		/* pseudonymize, one key */
	const char		*kid;		/* pseudonymize, tenant keys */
	int			 tenant_keys;
	unsigned		 length;
	unsigned		 v4, v6;	/* truncate-ip */
	int64_t			 unit;		/* coarsen */
	uint64_t		 applied, removed;
};

struct pnode {
	const char	*name;
	size_t		 len;
	struct rule	*rule;		/* NULL on the way to one */
	struct pnode	*kids;
	size_t		 nkids;
};

struct rta_privacy {
	struct rule	*rules;
	size_t		 nrules;
	struct rule	*r_id, *r_type, *r_ts;
	struct pnode	 root;
	struct pkey	*keys;
	size_t		 nkeys;
	uint32_t	*ttab;		/* tenant keys: index + 1, or 0 */
	size_t		 tmask;
	uint64_t	 seed;
	struct rta_buf	 out[2];
	int		 cur;
	struct rta_buf	 scratch;
	char		 idbuf[RTA_ID_MAX + 1];
	char		 typebuf[RTA_ID_MAX + 1];
	char		 stage[32];
};

/* A memset the compiler may not remove as a dead store. */
static void *(*const volatile wipe_memset)(void *, int, size_t) = memset;

static void
wipe(void *p, size_t n)
{
	if (p != NULL && n > 0)
		wipe_memset(p, 0, n);
}

static int
nomem(struct rta_error *err)
{
	return rta_error_set(err, RTA_ENOMEM, "no-memory", "out of memory");
}

/* ------------------------------------------------------------ files */

/*
 * Read the whole file at path into a new buffer (NUL-terminated; *len
 * excludes the NUL).  With private_file, refuse a file that group or
 * others may access.
 */
static int
read_file(const char *path, int private_file, char **bufp, size_t *lenp,
    struct rta_error *err)
{
	struct stat st;
	char *buf = NULL, *nb;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd, rc;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return rta_error_set(err, errno == ENOMEM ? RTA_ENOMEM : RTA_EIO,
		    errno == ENOMEM ? "no-memory" : "io", "%s: %s", path,
		    strerror(errno));
	if (fstat(fd, &st) == -1) {
		rc = rta_error_set(err, RTA_EIO, "io", "%s: %s", path,
		    strerror(errno));
		close(fd);
		return rc;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return rta_error_set(err, RTA_EIO, "io", "%s: %s", path,
		    strerror(EISDIR));
	}
	if (private_file && (st.st_mode & 077) != 0) {
		close(fd);
		return rta_error_set(err, RTA_EDATA, "bad-key",
		    "%s: permissions %04o are too open: a keys file must not "
		    "be accessible by group or others (chmod 600)", path,
		    (unsigned)(st.st_mode & 07777));
	}
	for (;;) {
		if (cap - len < 2) {
			/* a new block, the old one wiped: it may hold keys */
			size_t ncap = cap == 0 ? 8192 : 2 * cap;

			if ((nb = rta_malloc(ncap)) == NULL) {
				wipe(buf, len);
				rta_free(buf);
				close(fd);
				return nomem(err);
			}
			if (len > 0)
				memcpy(nb, buf, len);
			wipe(buf, len);
			rta_free(buf);
			buf = nb;
			cap = ncap;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			rc = rta_error_set(err, RTA_EIO, "io", "%s: %s", path,
			    strerror(errno));
			wipe(buf, len);
			rta_free(buf);
			close(fd);
			return rc;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > FILE_MAX)
			break;
	}
	close(fd);
	if (len > FILE_MAX) {
		wipe(buf, len);
		rta_free(buf);
		return rta_error_set(err, RTA_EDATA, "too-large",
		    "%s: larger than %d bytes", path, FILE_MAX);
	}
	if (buf == NULL && (buf = rta_malloc(1)) == NULL)
		return nomem(err);
	buf[len] = '\0';
	*bufp = buf;
	*lenp = len;
	return RTA_OK;
}

#define MAX_TOKENS	8

struct line {
	const char	*file;
	unsigned	 no;
	char		*tok[MAX_TOKENS];
	size_t		 ntok;
};

/*
 * Cut the next line of buf[*pos..len) into blank-separated tokens, '#'
 * at the start of a token ending the line.  1 with the line, 0 at the
 * end, -1 for a NUL byte or too many tokens (with err set).  The
 * tokens are NUL-terminated in place.
 */
static int
next_line(char *buf, size_t len, size_t *pos, struct line *l,
    struct rta_error *err)
{
	size_t i, end;
	int comment = 0;

	if (*pos >= len)
		return 0;
	l->no++;
	l->ntok = 0;
	for (end = *pos; end < len && buf[end] != '\n'; end++)
		if (buf[end] == '\0')
			return rta_error_set(err, RTA_EDATA, "bad-rule",
			    "%s:%u: a NUL byte", l->file, l->no), -1;
	i = *pos;
	*pos = end + 1;
	if (end > i && buf[end - 1] == '\r')
		end--;
	while (i < end && !comment) {
		while (i < end && (buf[i] == ' ' || buf[i] == '\t'))
			buf[i++] = '\0';
		if (i == end)
			break;
		if (buf[i] == '#') {
			comment = 1;
			break;
		}
		if (l->ntok == MAX_TOKENS)
			return rta_error_set(err, RTA_EDATA, "bad-rule",
			    "%s:%u: too many words", l->file, l->no), -1;
		l->tok[l->ntok++] = buf + i;
		while (i < end && buf[i] != ' ' && buf[i] != '\t')
			i++;
	}
	if (end < len)
		buf[end] = '\0';
	return 1;
}

/* A decimal number in [min, max], nothing else. */
static int
parse_uint(const char *s, unsigned min, unsigned max, unsigned *v)
{
	unsigned long n = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		n = n * 10 + (unsigned long)(*s - '0');
		if (n > max)
			return -1;
	}
	if (n < min)
		return -1;
	*v = (unsigned)n;
	return 0;
}

static int
key_id_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > KEY_ID_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		    s[i] == '-' || s[i] == '.'))
			return 0;
	return 1;
}

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

/* ------------------------------------------------------------- keys */

static uint64_t
tenant_hash(const struct rta_privacy *p, const char *kid, const char *t,
    size_t tlen)
{
	return rta_hash64(t, tlen, p->seed ^ rta_hash64(kid, strlen(kid),
	    p->seed));
}

static struct pkey *
tenant_key(const struct rta_privacy *p, const char *kid, const char *t,
    size_t tlen)
{
	size_t i;
	uint32_t k;

	if (p->ttab == NULL)
		return NULL;
	i = (size_t)tenant_hash(p, kid, t, tlen) & p->tmask;
	while ((k = p->ttab[i]) != 0) {
		struct pkey *key = &p->keys[k - 1];

		if (key->tlen == tlen && memcmp(key->tenant, t, tlen) == 0 &&
		    strcmp(key->id, kid) == 0)
			return key;
		i = (i + 1) & p->tmask;
	}
	return NULL;
}

static int
load_keys(struct rta_privacy *p, const char *path, struct rta_error *err)
{
	unsigned char secret[SECRET_MAX];
	struct line l;
	char *buf;
	size_t len, pos = 0, lines = 1, i, n, ntenant = 0, cap;
	int rc, r;

	if ((rc = read_file(path, 1, &buf, &len, err)) != RTA_OK)
		return rc;
	for (i = 0; i < len; i++)
		lines += buf[i] == '\n';
	/* one array, never moved: no copies of keys are left behind */
	if ((p->keys = rta_calloc(lines, sizeof(*p->keys))) == NULL) {
		rc = nomem(err);
		goto out;
	}
	memset(&l, 0, sizeof(l));
	l.file = path;
	while ((r = next_line(buf, len, &pos, &l, err)) == 1) {
		struct pkey *key = &p->keys[p->nkeys];
		const char *hex;
		size_t hl;

		if (l.ntok == 0)
			continue;
		if (l.ntok < 2 || l.ntok > 3) {
			rc = rta_error_set(err, RTA_EDATA, "bad-key",
			    "%s:%u: expected ID SECRET [tenant=T]", path, l.no);
			goto out;
		}
		if (!key_id_ok(l.tok[0], strlen(l.tok[0]))) {
			rc = rta_error_set(err, RTA_EDATA, "bad-key",
			    "%s:%u: bad key id: 1 to %d letters, digits, '_', "
			    "'-' or '.'", path, l.no, KEY_ID_MAX);
			goto out;
		}
		hex = l.tok[1];
		hl = strlen(hex);
		for (i = 0; i < hl; i++)
			if (hexval(hex[i]) < 0)
				break;
		if (i < hl || hl % 2 != 0) {
			rc = rta_error_set(err, RTA_EDATA, "bad-key",
			    "%s:%u: key '%s': the secret is not an even number "
			    "of hex digits", path, l.no, l.tok[0]);
			goto out;
		}
		if (hl < 2 * SECRET_MIN || hl > 2 * SECRET_MAX) {
			rc = rta_error_set(err, RTA_EDATA, "bad-key",
			    "%s:%u: key '%s': the secret must be %d to %d bytes "
			    "(%d to %d hex digits)", path, l.no, l.tok[0],
			    SECRET_MIN, SECRET_MAX, 2 * SECRET_MIN,
			    2 * SECRET_MAX);
			goto out;
		}
		for (i = 0; i < hl / 2; i++)
			secret[i] = (unsigned char)(hexval(hex[2 * i]) << 4 |
			    hexval(hex[2 * i + 1]));
		memcpy(key->id, l.tok[0], strlen(l.tok[0]) + 1);
		key->line = l.no;
		if (l.ntok == 3) {
			const char *t = l.tok[2];

			if (strncmp(t, "tenant=", 7) != 0 || t[7] == '\0' ||
			    strlen(t + 7) > RTA_ID_MAX) {
				rc = rta_error_set(err, RTA_EDATA, "bad-key",
				    "%s:%u: key '%s': expected tenant=T after "
				    "the secret", path, l.no, key->id);
				goto out;
			}
			key->tlen = strlen(t + 7);
			if ((key->tenant = rta_memdup(t + 7, key->tlen)) ==
			    NULL) {
				rc = nomem(err);
				goto out;
			}
			ntenant++;
		}
		for (i = 0; i < p->nkeys; i++) {
			const struct pkey *o = &p->keys[i];

			if (strcmp(o->id, key->id) == 0 &&
			    (o->tenant == NULL) == (key->tenant == NULL) &&
			    (o->tenant == NULL || (o->tlen == key->tlen &&
			    memcmp(o->tenant, key->tenant, o->tlen) == 0)))
				break;
		}
		if (i < p->nkeys) {
			rc = rta_error_set(err, RTA_EDATA, "bad-key",
			    "%s:%u: key '%s'%s%s%s is already on line %u", path,
			    l.no, key->id, key->tenant ? " for tenant '" : "",
			    key->tenant ? key->tenant : "",
			    key->tenant ? "'" : "", p->keys[i].line);
			rta_free(key->tenant);
			key->tenant = NULL;
			goto out;
		}
		hmac_sha256_set_key(&key->ctx, hl / 2, secret);
		wipe(secret, sizeof(secret));
		p->nkeys++;
	}
	if (r < 0) {
		rc = err ? err->code : RTA_EDATA;
		goto out;
	}
	if (ntenant > 0) {
		for (cap = 16; cap < 2 * ntenant; cap *= 2)
			;
		if ((p->ttab = rta_calloc(cap, sizeof(*p->ttab))) == NULL) {
			rc = nomem(err);
			goto out;
		}
		p->tmask = cap - 1;
		for (n = 0; n < p->nkeys; n++) {
			struct pkey *key = &p->keys[n];

			if (key->tenant == NULL)
				continue;
			i = (size_t)tenant_hash(p, key->id, key->tenant,
			    key->tlen) & p->tmask;
			while (p->ttab[i] != 0)
				i = (i + 1) & p->tmask;
			p->ttab[i] = (uint32_t)n + 1;
		}
	}
	rc = RTA_OK;
out:
	wipe(secret, sizeof(secret));
	wipe(buf, len);
	rta_free(buf);
	return rc;
}

/* ------------------------------------------------------------ rules */

static int
add_path(struct rta_privacy *p, struct rule *r, const char *file,
    struct rta_error *err)
{
	struct pnode *n = &p->root, *k;
	size_t i, j;

	for (i = 0; i < r->f.nparts; i++) {
		const struct rta_field_part *part = &r->f.parts[i];

		if (n->rule != NULL)
			break;
		for (j = 0; j < n->nkids; j++)
			if (n->kids[j].len == part->len &&
			    memcmp(n->kids[j].name, part->name, part->len) == 0)
				break;
		if (j == n->nkids) {
			k = rta_reallocarray(n->kids, n->nkids + 1,
			    sizeof(*k));
			if (k == NULL)
				return nomem(err);
			n->kids = k;
			memset(&k[j], 0, sizeof(k[j]));
			k[j].name = part->name;
			k[j].len = part->len;
			n->nkids++;
		}
		n = &n->kids[j];
	}
	if (n->rule != NULL)
		return rta_error_set(err, RTA_EDATA, "bad-rule",
		    "%s:%u: %s is %s %s on line %u", file, r->line, r->f.text,
		    n->rule->f.nparts == r->f.nparts ? "already named as" :
		    "inside", n->rule->f.text, n->rule->line);
	if (n->nkids > 0) {
		/* find a rule below n to name it */
		while (n->rule == NULL)
			n = &n->kids[0];
		return rta_error_set(err, RTA_EDATA, "bad-rule",
		    "%s:%u: %s holds %s, named on line %u", file, r->line,
		    r->f.text, n->rule->f.text, n->rule->line);
	}
	n->rule = r;
	return RTA_OK;
}

static int
parse_rule(struct rta_privacy *p, struct rule *r, struct line *l,
    struct rta_error *err)
{
	struct rta_error fe;
	const char *file = l->file, *a;
	char q[80];
	size_t i;
	int rc, seen_keep = 0, seen_char = 0, seen_len = 0, seen_v4 = 0,
	    seen_v6 = 0;

	r->line = l->no;
	if (l->ntok < 2)
		return rta_error_set(err, RTA_EDATA, "bad-rule",
		    "%s:%u: expected FIELD ACTION [ARG ...]", file, l->no);
	if ((rc = rta_field_parse(&r->f, l->tok[0], &fe)) != RTA_OK) {
		if (rc == RTA_ENOMEM)
			return nomem(err);
		return rta_error_set(err, RTA_EDATA, "bad-rule", "%s:%u: %s",
		    file, l->no, fe.text);
	}
	a = l->tok[1];
	if (strcmp(a, "pseudonymise") == 0)
		a = "pseudonymize";
	for (i = 0; i < A_COUNT; i++)
		if (strcmp(a, action_names[i]) == 0)
			break;
	if (i == A_COUNT) {
		rta_quote(q, sizeof(q), l->tok[1], strlen(l->tok[1]), 40);
		return rta_error_set(err, RTA_EDATA, "bad-rule",
		    "%s:%u: unknown action '%s': drop, mask, pseudonymize, "
		    "truncate-ip or coarsen", file, l->no, q);
	}
	r->act = (enum action)i;
	r->keep = 4;
	r->mch = '*';
	r->length = 32;
	r->v4 = 24;
	r->v6 = 48;
	for (i = 2; i < l->ntok; i++) {
		const char *t = l->tok[i], *why = NULL;

		rta_quote(q, sizeof(q), t, strlen(t), 40);
		if (r->act == A_MASK && strncmp(t, "keep=", 5) == 0 &&
		    !seen_keep++) {
			if (parse_uint(t + 5, 0, MASK_KEEP_MAX, &r->keep) != 0)
				why = "keep= takes 0 to 1024";
		} else if (r->act == A_MASK && strncmp(t, "char=", 5) == 0 &&
		    !seen_char++) {
			if (t[5] < '!' || t[5] > '~' || t[6] != '\0')
				why = "char= takes one printable ASCII "
				    "character";
			else
				r->mch = t[5];
		} else if (r->act == A_PSEUDO && strncmp(t, "key=", 4) == 0 &&
		    r->kid == NULL) {
			r->kid = t + 4;
			if (!key_id_ok(r->kid, strlen(r->kid)))
				why = "bad key id";
		} else if (r->act == A_PSEUDO &&
		    strcmp(t, "tenant-keys") == 0 && !r->tenant_keys) {
			r->tenant_keys = 1;
		} else if (r->act == A_PSEUDO &&
		    strncmp(t, "length=", 7) == 0 && !seen_len++) {
			if (parse_uint(t + 7, 16, 32, &r->length) != 0)
				why = "length= takes 16 to 32 (bytes)";
		} else if (r->act == A_TRUNC && strncmp(t, "v4=", 3) == 0 &&
		    !seen_v4++) {
			if (parse_uint(t + 3, 0, 32, &r->v4) != 0)
				why = "v4= takes 0 to 32 (bits)";
		} else if (r->act == A_TRUNC && strncmp(t, "v6=", 3) == 0 &&
		    !seen_v6++) {
			if (parse_uint(t + 3, 0, 128, &r->v6) != 0)
				why = "v6= takes 0 to 128 (bits)";
		} else if (r->act == A_COARSEN && i == 2) {
			if (rta_duration_parse(t, &r->unit, NULL) != RTA_OK ||
			    r->unit <= 0)
				why = "bad duration";
			else if (DAY_US % r->unit != 0 &&
			    r->unit % DAY_US != 0)
				why = "the unit must divide a day or be a "
				    "whole number of days";
		} else {
			return rta_error_set(err, RTA_EDATA, "bad-rule",
			    "%s:%u: %s: unexpected '%s'", file, l->no,
			    action_names[r->act], q);
		}
		if (why != NULL)
			return rta_error_set(err, RTA_EDATA, "bad-rule",
			    "%s:%u: %s '%s': %s", file, l->no,
			    action_names[r->act], q, why);
	}
	if (r->act == A_COARSEN && r->unit == 0)
		return rta_error_set(err, RTA_EDATA, "bad-rule",
		    "%s:%u: coarsen needs a unit (1s, 1m, 1h, 1d, ...)", file,
		    l->no);
	if (r->act == A_PSEUDO) {
		size_t k;
		int any = 0;

		if (r->kid == NULL)
			return rta_error_set(err, RTA_EDATA, "bad-rule",
			    "%s:%u: pseudonymize needs key=ID", file, l->no);
		for (k = 0; k < p->nkeys; k++) {
			if (strcmp(p->keys[k].id, r->kid) != 0)
				continue;
			any = 1;
			if (r->tenant_keys && p->keys[k].tenant != NULL)
				break;
			if (!r->tenant_keys && p->keys[k].tenant == NULL)
				break;
		}
		if (k == p->nkeys)
			return rta_error_set(err, RTA_EDATA, "bad-rule",
			    "%s:%u: %s key id '%s'%s", file, l->no,
			    any ? "no" : "unknown", r->kid,
			    !any ? (p->nkeys == 0 && p->keys == NULL ?
			    " (no keys file)" : "") : r->tenant_keys ?
			    " for any tenant (tenant=T) in the keys file" :
			    " without tenant=T in the keys file");
		r->kid = p->keys[k].id;
		if (!r->tenant_keys)
			r->key = &p->keys[k];
	}
	switch (r->f.root) {
	case RTA_F_PAYLOAD:
		if (r->f.nparts == 0)
			return rta_error_set(err, RTA_EDATA, "bad-rule",
			    "%s:%u: rules name members of the payload "
			    "(payload.NAME), not the whole", file, l->no);
		return add_path(p, r, file, err);
	case RTA_F_TIMESTAMP:
		if (r->act != A_COARSEN)
			return rta_error_set(err, RTA_EDATA, "bad-rule",
			    "%s:%u: timestamp can only be coarsened", file,
			    l->no);
		if (p->r_ts != NULL)
			goto twice;
		p->r_ts = r;
		return RTA_OK;
	case RTA_F_EVENT_ID:
	case RTA_F_EVENT_TYPE:
		if (r->act != A_MASK && (r->act != A_PSEUDO || r->tenant_keys))
			return rta_error_set(err, RTA_EDATA, "bad-rule",
			    "%s:%u: %s can only be masked or pseudonymized "
			    "with one key: an envelope field cannot be removed",
			    file, l->no, r->f.text);
		if (r->f.root == RTA_F_EVENT_ID) {
			if (p->r_id != NULL)
				goto twice;
			p->r_id = r;
		} else {
			if (p->r_type != NULL)
				goto twice;
			p->r_type = r;
		}
		return RTA_OK;
	default:
		return rta_error_set(err, RTA_EDATA, "bad-rule",
		    "%s:%u: %s cannot be transformed", file, l->no,
		    r->f.text);
	}
twice:
	return rta_error_set(err, RTA_EDATA, "bad-rule",
	    "%s:%u: %s is named twice", file, l->no, r->f.text);
}

static int
load_rules(struct rta_privacy *p, const char *path, struct rta_error *err)
{
	struct line l;
	char *buf;
	size_t len, pos = 0, lines = 1, i;
	int rc, r;

	if ((rc = read_file(path, 0, &buf, &len, err)) != RTA_OK)
		return rc;
	for (i = 0; i < len; i++)
		lines += buf[i] == '\n';
	/* never moved: the path tree points into the rules */
	if ((p->rules = rta_calloc(lines, sizeof(*p->rules))) == NULL) {
		rta_free(buf);
		return nomem(err);
	}
	memset(&l, 0, sizeof(l));
	l.file = path;
	while ((r = next_line(buf, len, &pos, &l, err)) == 1) {
		if (l.ntok == 0)
			continue;
		rc = parse_rule(p, &p->rules[p->nrules], &l, err);
		p->nrules++;	/* released with the others, even half made */
		if (rc != RTA_OK)
			break;
	}
	if (r < 0)
		rc = err ? err->code : RTA_EDATA;
	rta_free(buf);
	return rc;
}

static void
free_tree(struct pnode *n)
{
	size_t i;

	for (i = 0; i < n->nkids; i++)
		free_tree(&n->kids[i]);
	rta_free(n->kids);
}

void
rta_privacy_free(struct rta_privacy *p)
{
	size_t i;

	if (p == NULL)
		return;
	free_tree(&p->root);
	for (i = 0; i < p->nrules; i++)
		rta_field_release(&p->rules[i].f);
	rta_free(p->rules);
	if (p->keys != NULL) {
		for (i = 0; i < p->nkeys; i++)
			rta_free(p->keys[i].tenant);
		/* the whole array: a half-made last key too */
		wipe(p->keys, (p->nkeys + 1) * sizeof(*p->keys));
		rta_free(p->keys);
	}
	rta_free(p->ttab);
	rta_buf_release(&p->out[0]);
	rta_buf_release(&p->out[1]);
	wipe(p->scratch.data, p->scratch.cap);
	rta_buf_release(&p->scratch);
	rta_free(p);
}

int
rta_privacy_load(struct rta_privacy **pp, const char *rules_path,
    const char *keys_path, struct rta_error *err)
{
	struct rta_privacy *p;
	int rc;

	*pp = NULL;
	if ((p = rta_calloc(1, sizeof(*p))) == NULL)
		return nomem(err);
	p->seed = rta_hash_seed();
	snprintf(p->stage, sizeof(p->stage), "rta-enrich");
	if ((keys_path != NULL &&
	    (rc = load_keys(p, keys_path, err)) != RTA_OK) ||
	    (rc = load_rules(p, rules_path, err)) != RTA_OK) {
		rta_privacy_free(p);
		return rc;
	}
	*pp = p;
	return RTA_OK;
}

void
rta_privacy_set_stage(struct rta_privacy *p, const char *stage)
{
	snprintf(p->stage, sizeof(p->stage), "%s", stage);
}

/* ------------------------------------------------------- transforms */

/*
 * Mask s[0..len) (valid UTF-8) into the scratch buffer: all but the last
 * r->keep code points become r->mch, and all of them when there are no
 * more than r->keep.
 */
static int
mask_text(struct rta_privacy *p, const struct rule *r, const char *s,
    size_t len)
{
	struct rta_buf *b = &p->scratch;
	size_t cut = len, n = 0, masked = 0, i;

	/* cut: the byte where the last r->keep code points start */
	while (cut > 0 && n < r->keep) {
		cut--;
		if (((unsigned char)s[cut] & 0xc0) != 0x80)
			n++;
	}
	for (i = 0; i < cut; i++)
		masked += ((unsigned char)s[i] & 0xc0) != 0x80;
	if (masked == 0) {
		/* too short to show any of it */
		masked = n;
		cut = len;
	}
	rta_buf_reset(b);
	if (rta_buf_reserve(b, masked + (len - cut)) != 0)
		return -1;
	memset(b->data, r->mch, masked);
	if (len > cut)
		memcpy(b->data + masked, s + cut, len - cut);
	b->len = masked + (len - cut);
	return 0;
}

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/*
 * Write "ID:" and the token of s[0..len) to out (at least KEY_ID_MAX +
 * 45 bytes); the length, or 0 when the tenant has no key.
 */
static size_t
pseudonym(const struct rta_privacy *p, const struct rule *r,
    const struct rta_event *ev, const char *s, size_t len, char *out)
{
	uint8_t d[SHA256_DIGEST_SIZE];
	struct pkey *key = r->key;
	size_t o, i, idlen;
	uint32_t v;
	uint8_t tl;

	if (r->tenant_keys) {
		key = tenant_key(p, r->kid, ev->tenant, ev->tenant_len);
		if (key == NULL)
			return 0;
		tl = ev->tenant_len;
		hmac_sha256_update(&key->ctx, 1, &tl);
		hmac_sha256_update(&key->ctx, tl, (const uint8_t *)ev->tenant);
	}
	hmac_sha256_update(&key->ctx, len, (const uint8_t *)s);
	hmac_sha256_digest(&key->ctx, sizeof(d), d);
	idlen = strlen(key->id);
	memcpy(out, key->id, idlen);
	o = idlen;
	out[o++] = ':';
	for (i = 0; i + 3 <= r->length; i += 3) {
		v = (uint32_t)d[i] << 16 | (uint32_t)d[i + 1] << 8 | d[i + 2];
		out[o++] = b64url[v >> 18];
		out[o++] = b64url[(v >> 12) & 63];
		out[o++] = b64url[(v >> 6) & 63];
		out[o++] = b64url[v & 63];
	}
	if (r->length - i == 1) {
		v = (uint32_t)d[i] << 16;
		out[o++] = b64url[v >> 18];
		out[o++] = b64url[(v >> 12) & 63];
	} else if (r->length - i == 2) {
		v = (uint32_t)d[i] << 16 | (uint32_t)d[i + 1] << 8;
		out[o++] = b64url[v >> 18];
		out[o++] = b64url[(v >> 12) & 63];
		out[o++] = b64url[(v >> 6) & 63];
	}
	wipe(d, sizeof(d));
	return o;
}

#define PSEUDONYM_MAX	(KEY_ID_MAX + 1 + 44)

/* Truncate the address in s[0..len) into out (INET6_ADDRSTRLEN). */
static size_t
truncate_ip(const struct rule *r, const char *s, size_t len, char *out)
{
	char in[INET6_ADDRSTRLEN];
	unsigned char a[16];
	unsigned bits, i;
	int af;

	if (len == 0 || len >= sizeof(in))
		return 0;
	memcpy(in, s, len);
	in[len] = '\0';
	af = memchr(in, ':', len) != NULL ? AF_INET6 : AF_INET;
	if (inet_pton(af, in, a) != 1)
		return 0;
	if (af == AF_INET)
		bits = r->v4;
	else if (memcmp(a, "\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) == 0)
		bits = 96 + r->v4;	/* IPv4-mapped */
	else
		bits = r->v6;
	for (i = 0; i < (af == AF_INET ? 4u : 16u); i++) {
		if (bits >= 8 * (i + 1))
			continue;
		if (bits <= 8 * i)
			a[i] = 0;
		else
			a[i] &= (unsigned char)(0xff00u >> (bits - 8 * i));
	}
	if (inet_ntop(af, a, out, INET6_ADDRSTRLEN) == NULL)
		return 0;
	return strlen(out);
}

static int64_t
floor_to(int64_t t, int64_t unit)
{
	int64_t r = t % unit;

	if (r < 0)
		r += unit;
	t -= r;
	return t < RTA_TIME_MIN ? RTA_TIME_MIN : t;
}

/*
 * Coarsen the RFC 3339 time in s[0..len) into out (len bytes, the same
 * form: separator, fraction digits and offset kept).  0 if not a time.
 */
static int
coarsen_text(const struct rule *r, const char *s, size_t len, char *out)
{
	char f[RTA_TIME_LEN + 1];
	int64_t t, off = 0;
	size_t nfd = 0, z, i;

	if (rta_time_parse(s, len, &t, NULL) != RTA_OK)
		return 0;
	if (s[19] == '.')
		while (20 + nfd < len && s[20 + nfd] >= '0' &&
		    s[20 + nfd] <= '9')
			nfd++;
	z = nfd > 0 ? 20 + nfd : 19;
	if (s[z] == '+' || s[z] == '-') {
		off = ((s[z + 1] - '0') * 10 + (s[z + 2] - '0')) * 3600 +
		    ((s[z + 4] - '0') * 10 + (s[z + 5] - '0')) * 60;
		off *= RTA_US_PER_SEC;
		if (s[z] == '-')
			off = -off;
	}
	t = floor_to(t, r->unit) + off;
	if (t < RTA_TIME_MIN || t > RTA_TIME_MAX)
		return 0;
	rta_time_format(f, t);
	memcpy(out, f, 19);
	out[10] = s[10];
	if (nfd > 0) {
		out[19] = '.';
		for (i = 0; i < nfd; i++)
			out[20 + i] = i < 6 ? f[20 + i] : '0';
	}
	memcpy(out + z, s + z, len - z);
	return 1;
}

/* Epoch unit of a number by its magnitude, as rta_time_from_epoch. */
static int64_t
epoch_factor(double v)
{
	double a = v < 0 ? -v : v;

	return a < 1e11 ? RTA_US_PER_SEC : a < 1e14 ? 1000 : 1;
}

/* Write t (µs) in units of f: an int when whole, else a number. */
static int
put_epoch(struct rta_buf *b, int64_t t, int64_t f, int as_double)
{
	char text[48];
	uint64_t a = t < 0 ? -(uint64_t)t : (uint64_t)t, ip, fp;
	size_t n = 0;
	int digits;

	if (as_double)
		return rta_venc_double(b, (double)t / (double)f);
	if (t % f == 0)
		return rta_venc_int(b, t / f);
	ip = a / (uint64_t)f;
	fp = a % (uint64_t)f;
	digits = f == RTA_US_PER_SEC ? 6 : 3;
	while (fp % 10 == 0) {
		fp /= 10;
		digits--;
	}
	n = (size_t)snprintf(text, sizeof(text), "%s%llu.%0*llu",
	    t < 0 ? "-" : "", (unsigned long long)ip, digits,
	    (unsigned long long)fp);
	return rta_venc_number(b, (double)t / (double)f, text, n);
}

/*
 * Write the member key: the value a rule makes of val to b.  1 when
 * written, 0 when the value is removed (nothing written), -1 on ENOMEM.
 */
static int
apply_value(struct rta_privacy *p, struct rule *r, const unsigned char *val,
    const struct rta_event *ev, const char *key, size_t klen,
    struct rta_buf *b)
{
	char tmp[RTA_FVAL_TMP], out[PSEUDONYM_MAX + INET6_ADDRSTRLEN];
	struct rta_fval fv;
	const char *s;
	size_t len, at = b->len, n;
	enum rta_vtag tag = rta_value_tag(val);
	int64_t t, f;
	double d;
	int rc;

	if (r->act == A_DROP) {
		r->applied++;
		return 0;
	}
	if (rta_venc_key(b, key, klen) != 0)
		return -1;
	if (tag == RTA_V_NULL) {
		/* nothing to hide */
		return rta_venc_null(b) == 0 ? 1 : -1;
	}
	memset(&fv, 0, sizeof(fv));
	fv.kind = RTA_FV_VALUE;
	fv.v = val;
	switch (r->act) {
	case A_MASK:
		if (!rta_fval_text(&fv, tmp, &s, &len))
			goto removed;
		if (mask_text(p, r, s, len) != 0)
			goto nomem;
		rc = rta_venc_string(b, (const char *)p->scratch.data,
		    p->scratch.len);
		break;
	case A_PSEUDO:
		if (!rta_fval_text(&fv, tmp, &s, &len) ||
		    (n = pseudonym(p, r, ev, s, len, out)) == 0)
			goto removed;
		rc = rta_venc_string(b, out, n);
		break;
	case A_TRUNC:
		if (!rta_value_str(val, &s, &len) ||
		    (n = truncate_ip(r, s, len, out)) == 0)
			goto removed;
		rc = rta_venc_string(b, out, n);
		break;
	case A_COARSEN:
		if (tag == RTA_V_STRING) {
			rta_value_str(val, &s, &len);
			if (len > sizeof(out))
				goto removed;
			if (!coarsen_text(r, s, len, out))
				goto removed;
			rc = rta_venc_string(b, out, len);
			break;
		}
		if (tag == RTA_V_INT) {
			int64_t i;

			rta_value_i64(val, &i);
			f = epoch_factor((double)i);
			if (rta_time_from_epoch_i64(i, f == 1 ? RTA_EPOCH_US :
			    f == 1000 ? RTA_EPOCH_MS : RTA_EPOCH_S, &t, NULL) !=
			    RTA_OK)
				goto removed;
		} else if (tag == RTA_V_NUMBER || tag == RTA_V_DOUBLE) {
			rta_value_num(val, &d);
			f = epoch_factor(d);
			if (rta_time_from_epoch(d, f == 1 ? RTA_EPOCH_US :
			    f == 1000 ? RTA_EPOCH_MS : RTA_EPOCH_S, &t, NULL) !=
			    RTA_OK)
				goto removed;
		} else
			goto removed;
		rc = put_epoch(b, floor_to(t, r->unit), f,
		    tag == RTA_V_DOUBLE);
		break;
	default:
		goto removed;
	}
	if (rc != 0)
		goto nomem;
	r->applied++;
	return 1;
removed:
	r->removed++;
	b->len = at;
	return 0;
nomem:
	b->len = at;
	return -1;
}

static const struct pnode *
find_kid(const struct pnode *n, const char *key, size_t klen)
{
	size_t i;

	for (i = 0; i < n->nkids; i++)
		if (n->kids[i].len == klen && memcmp(n->kids[i].name, key,
		    klen) == 0)
			return &n->kids[i];
	return NULL;
}

/* 1 if some rule under n names a member of obj. */
static int
probe(const struct pnode *n, const unsigned char *obj)
{
	struct rta_viter it;
	const struct pnode *k;
	const unsigned char *val;
	const char *key;
	size_t klen;

	rta_viter_init(&it, obj);
	while (rta_viter_member(&it, &key, &klen, &val))
		if ((k = find_kid(n, key, klen)) != NULL && (k->rule != NULL ||
		    (rta_value_tag(val) == RTA_V_OBJECT && probe(k, val))))
			return 1;
	return 0;
}

/* Append obj, rebuilt under the rules below n, to b; 0 or -1. */
static int
walk(struct rta_privacy *p, const struct pnode *n, const unsigned char *obj,
    const struct rta_event *ev, struct rta_buf *b)
{
	struct rta_viter it;
	const struct pnode *k;
	const unsigned char *val, *run = NULL, *end;
	const char *key;
	size_t klen, off;
	uint32_t count = 0, runn = 0;
	int rc;

	if ((off = rta_venc_begin(b, RTA_V_OBJECT)) == (size_t)-1)
		return -1;
	end = obj + 9 + rta_get_u32(obj + 5);
	rta_viter_init(&it, obj);
	while (rta_viter_member(&it, &key, &klen, &val)) {
		const unsigned char *m = (const unsigned char *)key - 4;

		k = find_kid(n, key, klen);
		if (k == NULL || (k->rule == NULL &&
		    (rta_value_tag(val) != RTA_V_OBJECT || !probe(k, val)))) {
			if (run == NULL)
				run = m;
			runn++;
			continue;
		}
		if (run != NULL) {
			if (rta_buf_add(b, run, (size_t)(m - run)) != 0)
				return -1;
			count += runn;
			run = NULL;
			runn = 0;
		}
		if (k->rule != NULL) {
			if ((rc = apply_value(p, k->rule, val, ev, key, klen,
			    b)) < 0)
				return -1;
			count += (uint32_t)rc;
		} else {
			if (rta_venc_key(b, key, klen) != 0 ||
			    walk(p, k, val, ev, b) != 0)
				return -1;
			count++;
		}
	}
	if (run != NULL) {
		if (rta_buf_add(b, run, (size_t)(end - run)) != 0)
			return -1;
		count += runn;
	}
	rta_venc_end(b, off, count);
	return 0;
}

/* Transform an envelope string (event_id, event_type) into buf. */
static size_t
apply_id(struct rta_privacy *p, struct rule *r, const struct rta_event *ev,
    const char *s, size_t len, char *buf)
{
	char out[PSEUDONYM_MAX];
	size_t n;

	if (r->act == A_MASK) {
		if (mask_text(p, r, s, len) != 0)
			return (size_t)-1;
		n = p->scratch.len;	/* never longer than s */
		memcpy(buf, p->scratch.data, n);
	} else {
		n = pseudonym(p, r, ev, s, len, out);
		memcpy(buf, out, n);
	}
	r->applied++;
	return n;
}

int
rta_privacy_apply(struct rta_privacy *p, struct rta_event *ev,
    struct rta_error *err)
{
	struct rta_buf *b = &p->out[p->cur ^ 1];
	char idbuf[RTA_ID_MAX + 1];
	int changed = 0;
	size_t n;
	int64_t t;

	if (p->root.nkids > 0 && ev->payload != NULL &&
	    rta_value_tag(ev->payload) == RTA_V_OBJECT &&
	    probe(&p->root, ev->payload)) {
		rta_buf_reset(b);
		if (walk(p, &p->root, ev->payload, ev, b) != 0)
			return nomem(err);
		changed = 1;
	}
	if (p->r_id != NULL) {
		if ((n = apply_id(p, p->r_id, ev, ev->id, ev->id_len,
		    idbuf)) == (size_t)-1)
			return nomem(err);
		memcpy(p->idbuf, idbuf, n);
		ev->id = p->idbuf;
		ev->id_len = (uint8_t)n;
		ev->frame = NULL;
		ev->frame_len = 0;
	}
	if (p->r_type != NULL) {
		if ((n = apply_id(p, p->r_type, ev, ev->type, ev->type_len,
		    idbuf)) == (size_t)-1)
			return nomem(err);
		memcpy(p->typebuf, idbuf, n);
		ev->type = p->typebuf;
		ev->type_len = (uint8_t)n;
		ev->frame = NULL;
		ev->frame_len = 0;
	}
	if (p->r_ts != NULL) {
		t = floor_to(ev->ts, p->r_ts->unit);
		p->r_ts->applied++;
		if (t != ev->ts) {
			ev->ts = t;
			ev->frame = NULL;
			ev->frame_len = 0;
		}
	}
	if (changed) {
		p->cur ^= 1;
		ev->payload = b->data;
		ev->payload_len = b->len;
		ev->frame = NULL;
		ev->frame_len = 0;
	}
	return RTA_OK;
}

/* ---------------------------------------------------------- metrics */

static int
label(struct rta_buf *b, const char *s)
{
	int bad = 0;

	for (; *s != '\0'; s++) {
		if (*s == '\\' || *s == '"')
			bad |= rta_buf_addc(b, '\\') || rta_buf_addc(b, *s);
		else if (*s == '\n')
			bad |= rta_buf_add(b, "\\n", 2);
		else
			bad |= rta_buf_addc(b, *s);
	}
	return bad;
}

int
rta_privacy_metrics(const struct rta_privacy *p, struct rta_buf *out)
{
	uint64_t sum[A_COUNT] = { 0 };
	size_t i;
	int bad = 0;

	for (i = 0; i < p->nrules; i++)
		sum[p->rules[i].act] += p->rules[i].applied;
	bad |= rta_buf_printf(out, "# HELP rta_privacy_applied_total Values "
	    "transformed or dropped by privacy rules, by action.\n"
	    "# TYPE rta_privacy_applied_total counter\n");
	for (i = 0; i < A_COUNT; i++)
		bad |= rta_buf_printf(out, "rta_privacy_applied_total{stage="
		    "\"%s\",action=\"%s\"} %llu\n", p->stage, action_names[i],
		    (unsigned long long)sum[i]);
	bad |= rta_buf_printf(out, "# HELP rta_privacy_removed_total Values "
	    "removed because a privacy rule could not apply, by rule.\n"
	    "# TYPE rta_privacy_removed_total counter\n");
	for (i = 0; i < p->nrules; i++) {
		bad |= rta_buf_printf(out, "rta_privacy_removed_total{stage="
		    "\"%s\",field=\"", p->stage);
		bad |= label(out, p->rules[i].f.text);
		bad |= rta_buf_printf(out, "\",action=\"%s\"} %llu\n",
		    action_names[p->rules[i].act],
		    (unsigned long long)p->rules[i].removed);
	}
	return bad ? -1 : 0;
}

uint64_t
rta_privacy_removed(const struct rta_privacy *p)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < p->nrules; i++)
		n += p->rules[i].removed;
	return n;
}
