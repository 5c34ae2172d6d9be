/*
 * check_rta_privacy.c: privacy rules.  HMAC-SHA-256 against the RFC 4231
 * vectors (through nettle as the module calls it, and end to end through
 * a keys file for the long-key cases); every action on every kind of
 * value; paths through missing members and non-objects; per-tenant keys
 * and key rotation; values that fail closed and their counts; events
 * left alone keep their frame; bad rules and keys files (file:line, no
 * secret in any message, the keys file's mode); allocation failures.
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nettle/hmac.h>

#include "rta_alloc.h"
#include "rta_event.h"
#include "rta_privacy.h"
#include "rta_value.h"
#include "unit.h"

#define SECRET1 \
	"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define SECRET2 \
	"f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f"
#define SECRET3 \
	"5555555555555555555555555555555555555555555555555555555555555555"

static struct rta_ndjson_parser np;

static void
setup(void)
{
	unit_tmp_setup();
	rta_ndjson_parser_init(&np);
}

static void
teardown(void)
{
	rta_ndjson_parser_release(&np);
	unit_tmp_teardown();
}

/* ------------------------------------------------------------ helpers */

static int
unhex(const char *h, unsigned char *out)
{
	size_t i, n = strlen(h) / 2;
	unsigned v;

	for (i = 0; i < n; i++) {
		ck_assert_int_eq(sscanf(h + 2 * i, "%2x", &v), 1);
		out[i] = (unsigned char)v;
	}
	return (int)n;
}

/* base64url without padding, written here independently of the module */
static void
b64url(const unsigned char *d, size_t n, char *out)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	    "qrstuvwxyz0123456789-_";
	size_t i, bits = 0, o = 0;
	unsigned acc = 0;

	for (i = 0; i < n; i++) {
		acc = acc << 8 | d[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			out[o++] = a[(acc >> bits) & 63];
		}
	}
	if (bits > 0)
		out[o++] = a[(acc << (6 - bits)) & 63];
	out[o] = '\0';
}

/* The token "id:..." of msg under the hex secret, as rta-privacy(5) says. */
static const char *
token(const char *id, const char *hexkey, const void *msg, size_t len,
    size_t length)
{
	static char out[4][128];
	static int which;
	unsigned char key[512], d[SHA256_DIGEST_SIZE];
	struct hmac_sha256_ctx c;
	char *o = out[which++ % 4];
	int n;

	n = unhex(hexkey, key);
	hmac_sha256_set_key(&c, (size_t)n, key);
	hmac_sha256_update(&c, len, msg);
	hmac_sha256_digest(&c, sizeof(d), d);
	n = snprintf(o, 128, "%s:", id);
	b64url(d, length, o + n);
	return o;
}

/* The same with the tenant bound: its length byte, the tenant, the text. */
static const char *
tenant_token(const char *id, const char *hexkey, const char *tenant,
    const char *text)
{
	char msg[512];
	size_t tl = strlen(tenant), n = strlen(text);

	msg[0] = (char)tl;
	memcpy(msg + 1, tenant, tl);
	memcpy(msg + 1 + tl, text, n);
	return token(id, hexkey, msg, 1 + tl + n, 32);
}

static void
write_keys(const char *text)
{
	unit_write_str("keys", text);
	ck_assert_int_eq(chmod(unit_path("keys"), 0600), 0);
}

static struct rta_privacy *
load(const char *rules, const char *keys)
{
	struct rta_privacy *p;
	struct rta_error err;

	unit_write_str("rules", rules);
	if (keys != NULL)
		write_keys(keys);
	ck_assert_msg(rta_privacy_load(&p, unit_path("rules"),
	    keys ? unit_path("keys") : NULL, &err) == RTA_OK, "%s", err.text);
	return p;
}

/* Parse one event with this tenant and payload (JSON text). */
static struct rta_event
event_in(const char *tenant, const char *payload)
{
	static char line[4096];
	struct rta_record rec;
	struct rta_error err;
	int n;

	n = snprintf(line, sizeof(line), "{\"event_id\":\"e-0001\","
	    "\"timestamp\":\"2026-11-26T10:17:42.123456Z\",\"event_type\":"
	    "\"page_view\",\"tenant_id\":\"%s\",\"schema_version\":1,"
	    "\"payload\":%s}", tenant, payload);
	ck_assert_int_lt(n, (int)sizeof(line));
	ck_assert_msg(rta_ndjson_parse(&np, line, (size_t)n, &rec, &err) ==
	    RTA_OK, "%s: %s", line, err.text);
	ck_assert_int_eq(rec.kind, RTA_REC_EVENT);
	/* as if decoded from a frame, to see whether it survives */
	rec.ev.frame = (const unsigned char *)line;
	rec.ev.frame_len = (size_t)n;
	return rec.ev;
}

static const char *
json_of(const unsigned char *v)
{
	static char out[4][4096];
	static int which;
	struct rta_buf b = RTA_BUF_INIT;
	char *o = out[which++ % 4];

	ck_assert_int_eq(rta_value_to_json(&b, v), 0);
	ck_assert_uint_lt(b.len, 4096);
	memcpy(o, b.data, b.len);
	o[b.len] = '\0';
	rta_buf_release(&b);
	return o;
}

/* Apply p to an event of tenant with payload; the new payload as JSON. */
static const char *
apply_t(struct rta_privacy *p, const char *tenant, const char *payload)
{
	struct rta_event ev = event_in(tenant, payload);
	struct rta_error err;
	const char *out;

	ck_assert_int_eq(rta_privacy_apply(p, &ev, &err), RTA_OK);
	out = json_of(ev.payload);
	/* the check every reader applies holds for what we made */
	ck_assert_msg(rta_value_check(ev.payload, ev.payload_len, 64, 1024,
	    &err) == RTA_OK, "%s: %s", out, err.text);
	ck_assert_uint_eq(rta_value_size(ev.payload), ev.payload_len);
	return out;
}

static const char *
apply(struct rta_privacy *p, const char *payload)
{
	return apply_t(p, "acme", payload);
}

/*
 * Apply p to a payload of one member, key, holding the computed double d
 * (not number text): the new payload as JSON, and in *tag the member's
 * type after.
 */
static const char *
apply_double(struct rta_privacy *p, const char *key, double d, int *tag)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_event ev = event_in("acme", "{}");
	struct rta_error err;
	const unsigned char *m;
	const char *out;
	size_t off;

	off = rta_venc_begin(&b, RTA_V_OBJECT);
	ck_assert_uint_ne(off, (size_t)-1);
	ck_assert_int_eq(rta_venc_key(&b, key, strlen(key)), 0);
	ck_assert_int_eq(rta_venc_double(&b, d), 0);
	rta_venc_end(&b, off, 1);
	ev.payload = b.data;
	ev.payload_len = b.len;
	ck_assert_int_eq(rta_privacy_apply(p, &ev, &err), RTA_OK);
	out = json_of(ev.payload);
	m = rta_value_member(ev.payload, key, strlen(key));
	*tag = m != NULL ? (int)rta_value_tag(m) : -1;
	rta_buf_release(&b);
	return out;
}

/* The value of one metrics series (its full name with labels). */
static long long
metric(const struct rta_privacy *p, const char *series)
{
	struct rta_buf b = RTA_BUF_INIT;
	long long v = -1;
	char *at;

	ck_assert_int_eq(rta_privacy_metrics(p, &b), 0);
	ck_assert_int_eq(rta_buf_addc(&b, '\0'), 0);
	at = strstr((char *)b.data, series);
	ck_assert_msg(at != NULL, "no %s in\n%s", series, b.data);
	ck_assert_int_eq(sscanf(at + strlen(series), " %lld", &v), 1);
	rta_buf_release(&b);
	return v;
}

static long long
applied(const struct rta_privacy *p, const char *action)
{
	char s[128];

	snprintf(s, sizeof(s), "rta_privacy_applied_total{stage="
	    "\"rta-enrich\",action=\"%s\"}", action);
	return metric(p, s);
}

static long long
removed(const struct rta_privacy *p, const char *field, const char *action)
{
	char s[256];

	snprintf(s, sizeof(s), "rta_privacy_removed_total{stage="
	    "\"rta-enrich\",field=\"%s\",action=\"%s\"}", field, action);
	return metric(p, s);
}

/* ------------------------------------------------------------- HMAC */

static const struct {
	const char	*key;		/* hex */
	const char	*data;		/* hex, or NULL: text */
	const char	*text;
	const char	*mac;		/* hex, possibly truncated */
} rfc4231[] = {
	{ "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", NULL, "Hi There",
	  "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
	{ "4a656665", NULL, "what do ya want for nothing?",
	  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd"
	  "dddddddddddddddddddddddddddddddddddd", NULL,
	  "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
	{ "0102030405060708090a0b0c0d0e0f10111213141516171819",
	  "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd"
	  "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd", NULL,
	  "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
	{ "0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c", NULL,
	  "Test With Truncation", "a3b6167473100ee06e0c796c2955552b" },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaa", NULL,
	  "Test Using Larger Than Block-Size Key - Hash Key First",
	  "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
	{ "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	  "aaaaaa", NULL,
	  "This is a test using a larger than block-size key and a larger "
	  "than block-size data. The key needs to be hashed before being "
	  "used by the HMAC algorithm.",
	  "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
};

START_TEST(hmac_rfc4231)
{
	unsigned char key[256], data[256], want[32], d[32];
	struct hmac_sha256_ctx c;
	size_t i, kl, dl, ml, r;

	for (i = 0; i < sizeof(rfc4231) / sizeof(rfc4231[0]); i++) {
		kl = (size_t)unhex(rfc4231[i].key, key);
		if (rfc4231[i].data != NULL)
			dl = (size_t)unhex(rfc4231[i].data, data);
		else {
			dl = strlen(rfc4231[i].text);
			memcpy(data, rfc4231[i].text, dl);
		}
		ml = (size_t)unhex(rfc4231[i].mac, want);
		hmac_sha256_set_key(&c, kl, key);
		/* twice: the context is reused after a digest, as rules do */
		for (r = 0; r < 2; r++) {
			hmac_sha256_update(&c, dl, data);
			hmac_sha256_digest(&c, sizeof(d), d);
			ck_assert_msg(memcmp(d, want, ml) == 0,
			    "RFC 4231 case %zu, round %zu", i + 1, r);
		}
	}
}
END_TEST

/* Cases 6 and 7 have keys a keys file takes: check them end to end. */
START_TEST(hmac_rfc4231_tokens)
{
	struct rta_privacy *p;
	char keys[512], payload[512], want[128], wantp[256];
	unsigned char mac[32];
	size_t i;

	for (i = 5; i < 7; i++) {
		snprintf(keys, sizeof(keys), "rfc %s\n", rfc4231[i].key);
		p = load("payload.s pseudonymize key=rfc\n"
		    "payload.t pseudonymize key=rfc length=16\n", keys);
		snprintf(payload, sizeof(payload), "{\"s\":\"%s\",\"t\":\"%s\"}",
		    rfc4231[i].text, rfc4231[i].text);
		unhex(rfc4231[i].mac, mac);
		strcpy(want, "rfc:");
		b64url(mac, 32, want + 4);
		snprintf(wantp, sizeof(wantp), "{\"s\":\"%s\",\"t\":\"", want);
		/* case 5's truncation: the first 16 bytes */
		b64url(mac, 16, want + 4);
		snprintf(wantp + strlen(wantp), sizeof(wantp) - strlen(wantp),
		    "%s\"}", want);
		ck_assert_str_eq(apply(p, payload), wantp);
		rta_privacy_free(p);
	}
}
END_TEST

/* ------------------------------------------------------------ actions */

START_TEST(drop_values)
{
	struct rta_privacy *p = load("payload.a drop\npayload.o.x drop\n",
	    NULL);

	ck_assert_str_eq(apply(p, "{\"a\":\"s\",\"b\":1}"), "{\"b\":1}");
	ck_assert_str_eq(apply(p, "{\"b\":1,\"a\":null}"), "{\"b\":1}");
	ck_assert_str_eq(apply(p, "{\"a\":[1,2],\"b\":{\"a\":1}}"),
	    "{\"b\":{\"a\":1}}");
	ck_assert_str_eq(apply(p, "{\"a\":{\"x\":1}}"), "{}");
	ck_assert_str_eq(apply(p, "{\"o\":{\"y\":2,\"x\":true,\"z\":3},"
	    "\"a\":false,\"c\":3}"), "{\"o\":{\"y\":2,\"z\":3},\"c\":3}");
	ck_assert_str_eq(apply(p, "{\"o\":{\"x\":1}}"), "{\"o\":{}}");
	ck_assert_int_eq(applied(p, "drop"), 7);
	ck_assert_int_eq(removed(p, "payload.a", "drop"), 0);
	rta_privacy_free(p);
}
END_TEST

START_TEST(mask_values)
{
	struct rta_privacy *p = load("payload.s mask\n"
	    "payload.k0 mask keep=0\npayload.c mask char=# keep=2\n", NULL);

	ck_assert_str_eq(apply(p, "{\"s\":\"4111111111111111\"}"),
	    "{\"s\":\"************1111\"}");
	/* code points, not bytes */
	ck_assert_str_eq(apply(p, "{\"s\":\"Zoë Šťastná\"}"),
	    "{\"s\":\"*******stná\"}");
	ck_assert_str_eq(apply(p, "{\"s\":\"日本語のテキスト\"}"),
	    "{\"s\":\"****テキスト\"}");
	/* four or fewer are masked whole */
	ck_assert_str_eq(apply(p, "{\"s\":\"abcd\"}"), "{\"s\":\"****\"}");
	ck_assert_str_eq(apply(p, "{\"s\":\"abcde\"}"), "{\"s\":\"*bcde\"}");
	ck_assert_str_eq(apply(p, "{\"s\":\"ab\"}"), "{\"s\":\"**\"}");
	ck_assert_str_eq(apply(p, "{\"s\":\"\"}"), "{\"s\":\"\"}");
	/* numbers and booleans by their text, as strings */
	ck_assert_str_eq(apply(p, "{\"s\":1234567}"), "{\"s\":\"***4567\"}");
	ck_assert_str_eq(apply(p, "{\"s\":-12.500}"), "{\"s\":\"***.500\"}");
	ck_assert_str_eq(apply(p, "{\"s\":1e300}"), "{\"s\":\"*e300\"}");
	ck_assert_str_eq(apply(p, "{\"s\":false}"), "{\"s\":\"*alse\"}");
	ck_assert_str_eq(apply(p, "{\"s\":true}"), "{\"s\":\"****\"}");
	/* null has nothing to hide */
	ck_assert_str_eq(apply(p, "{\"s\":null}"), "{\"s\":null}");
	ck_assert_int_eq(applied(p, "mask"), 12);
	ck_assert_int_eq(removed(p, "payload.s", "mask"), 0);
	/* arrays and objects fail closed */
	ck_assert_str_eq(apply(p, "{\"s\":[\"a\"],\"z\":1}"), "{\"z\":1}");
	ck_assert_str_eq(apply(p, "{\"z\":1,\"s\":{\"a\":\"b\"}}"),
	    "{\"z\":1}");
	ck_assert_int_eq(removed(p, "payload.s", "mask"), 2);
	ck_assert_str_eq(apply(p, "{\"k0\":\"abc\",\"c\":\"abcdef\"}"),
	    "{\"k0\":\"***\",\"c\":\"####ef\"}");
	ck_assert_str_eq(apply(p, "{\"c\":\"ab\"}"), "{\"c\":\"##\"}");
	ck_assert_int_eq(applied(p, "mask"), 15);
	rta_privacy_free(p);
}
END_TEST

START_TEST(mask_double)
{
	struct rta_privacy *p = load("payload.d mask keep=2\n", NULL);
	int tag;

	/* computed numbers (a double, not number text) by their text too */
	ck_assert_str_eq(apply_double(p, "d", 0.25, &tag),
	    "{\"d\":\"**25\"}");
	ck_assert_int_eq(tag, RTA_V_STRING);
	rta_privacy_free(p);
}
END_TEST

START_TEST(pseudonymize_values)
{
	struct rta_privacy *p = load("payload.u pseudonymize key=k1\n"
	    "payload.v pseudonymise key=k2 length=16\n",
	    "# two keys\nk1 " SECRET1 "\n\nk2 " SECRET2 "   # rotated in\n");
	char want[512];

	snprintf(want, sizeof(want), "{\"u\":\"%s\",\"v\":\"%s\"}",
	    token("k1", SECRET1, "alice@example.com", 17, 32),
	    token("k2", SECRET2, "alice@example.com", 17, 16));
	ck_assert_str_eq(apply(p, "{\"u\":\"alice@example.com\","
	    "\"v\":\"alice@example.com\"}"), want);
	/* 43 and 22 characters after the key id */
	ck_assert_uint_eq(strlen(token("k1", SECRET1, "x", 1, 32)), 3 + 43);
	ck_assert_uint_eq(strlen(token("k1", SECRET1, "x", 1, 16)), 3 + 22);
	/* numbers as written, booleans as text */
	snprintf(want, sizeof(want), "{\"u\":\"%s\"}",
	    token("k1", SECRET1, "1.50", 4, 32));
	ck_assert_str_eq(apply(p, "{\"u\":1.50}"), want);
	snprintf(want, sizeof(want), "{\"u\":\"%s\"}",
	    token("k1", SECRET1, "-42", 3, 32));
	ck_assert_str_eq(apply(p, "{\"u\":-42}"), want);
	snprintf(want, sizeof(want), "{\"u\":\"%s\"}",
	    token("k1", SECRET1, "true", 4, 32));
	ck_assert_str_eq(apply(p, "{\"u\":true}"), want);
	snprintf(want, sizeof(want), "{\"u\":\"%s\"}",
	    token("k1", SECRET1, "", 0, 32));
	ck_assert_str_eq(apply(p, "{\"u\":\"\"}"), want);
	ck_assert_str_eq(apply(p, "{\"u\":null}"), "{\"u\":null}");
	ck_assert_int_eq(applied(p, "pseudonymize"), 6);
	ck_assert_str_eq(apply(p, "{\"u\":[1],\"v\":{}}"), "{}");
	ck_assert_int_eq(removed(p, "payload.u", "pseudonymize"), 1);
	ck_assert_int_eq(removed(p, "payload.v", "pseudonymize"), 1);
	/* a cross-check of the helper with an independent value */
	ck_assert_str_eq(token("k", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b",
	    "Hi There", 8, 32), "k:sDRMYdjbOFNcqK_OrwvxK4gdwgDJgz2nJuk3bC4y"
	    "z_c");
	rta_privacy_free(p);
}
END_TEST

START_TEST(key_rotation)
{
	struct rta_privacy *p, *q;
	const char *a, *b;
	char want[256];

	/* the same key gives the same token in another run */
	p = load("payload.u pseudonymize key=k1\n", "k1 " SECRET1 "\n");
	q = load("payload.u pseudonymize key=k1\n",
	    "k2 " SECRET2 "\nk1 " SECRET1 "\n");
	a = apply(p, "{\"u\":\"u000143\"}");
	b = apply(q, "{\"u\":\"u000143\"}");
	ck_assert_str_eq(a, b);
	rta_privacy_free(q);
	/* a rule moved to the new id: new tokens, named by their key */
	q = load("payload.u pseudonymize key=k2\n",
	    "k1 " SECRET1 "\nk2 " SECRET2 "\n");
	b = apply(q, "{\"u\":\"u000143\"}");
	ck_assert_str_ne(a, b);
	snprintf(want, sizeof(want), "{\"u\":\"%s\"}",
	    token("k2", SECRET2, "u000143", 7, 32));
	ck_assert_str_eq(b, want);
	ck_assert(strncmp(a, "{\"u\":\"k1:", 9) == 0);
	rta_privacy_free(q);
	rta_privacy_free(p);
}
END_TEST

START_TEST(tenant_keys)
{
	struct rta_privacy *p = load(
	    "payload.u pseudonymize key=t tenant-keys\n"
	    "payload.g pseudonymize key=t\n",
	    "t " SECRET1 " tenant=acme\n"
	    "t " SECRET2 " tenant=globex\n"
	    /* the same secret for two tenants still differs by tenant */
	    "t " SECRET3 " tenant=a1\n"
	    "t " SECRET3 " tenant=a2\n"
	    "t " SECRET3 "\n");
	char want[512];
	const char *x, *y;

	snprintf(want, sizeof(want), "{\"u\":\"%s\",\"g\":\"%s\"}",
	    tenant_token("t", SECRET1, "acme", "u1"),
	    token("t", SECRET3, "u1", 2, 32));
	ck_assert_str_eq(apply_t(p, "acme", "{\"u\":\"u1\",\"g\":\"u1\"}"),
	    want);
	snprintf(want, sizeof(want), "{\"u\":\"%s\",\"g\":\"%s\"}",
	    tenant_token("t", SECRET2, "globex", "u1"),
	    token("t", SECRET3, "u1", 2, 32));
	ck_assert_str_eq(apply_t(p, "globex", "{\"u\":\"u1\",\"g\":\"u1\"}"),
	    want);
	x = apply_t(p, "a1", "{\"u\":\"u1\"}");
	y = apply_t(p, "a2", "{\"u\":\"u1\"}");
	ck_assert_str_ne(x, y);
	snprintf(want, sizeof(want), "{\"u\":\"%s\"}",
	    tenant_token("t", SECRET3, "a2", "u1"));
	ck_assert_str_eq(y, want);
	ck_assert_int_eq(removed(p, "payload.u", "pseudonymize"), 0);
	/* a tenant without a key: removed, not hashed under another key */
	snprintf(want, sizeof(want), "{\"g\":\"%s\"}",
	    token("t", SECRET3, "u1", 2, 32));
	ck_assert_str_eq(apply_t(p, "initech", "{\"u\":\"u1\",\"g\":\"u1\"}"),
	    want);
	ck_assert_str_eq(apply_t(p, "acm", "{\"u\":\"u1\"}"), "{}");
	ck_assert_int_eq(removed(p, "payload.u", "pseudonymize"), 2);
	ck_assert_int_eq(applied(p, "pseudonymize"), 7);
	ck_assert_uint_eq(rta_privacy_removed(p), 2);
	rta_privacy_free(p);
}
END_TEST

START_TEST(truncate_ip_values)
{
	struct rta_privacy *p = load("payload.ip truncate-ip\n"
	    "payload.w truncate-ip v4=16 v6=32\n"
	    "payload.n truncate-ip v4=0 v6=0\n"
	    "payload.f truncate-ip v4=32 v6=128\n"
	    "payload.o truncate-ip v4=20 v6=52\n", NULL);

	ck_assert_str_eq(apply(p, "{\"ip\":\"192.0.2.201\"}"),
	    "{\"ip\":\"192.0.2.0\"}");
	ck_assert_str_eq(apply(p, "{\"ip\":\"2001:DB8:abcd:12:1:2:3:4\"}"),
	    "{\"ip\":\"2001:db8:abcd::\"}");
	ck_assert_str_eq(apply(p, "{\"ip\":\"::1\"}"), "{\"ip\":\"::\"}");
	/* IPv4-mapped addresses take the IPv4 prefix */
	ck_assert_str_eq(apply(p, "{\"ip\":\"::ffff:198.51.100.77\"}"),
	    "{\"ip\":\"::ffff:198.51.100.0\"}");
	ck_assert_str_eq(apply(p, "{\"w\":\"203.0.113.9\","
	    "\"n\":\"203.0.113.9\",\"f\":\"203.0.113.9\","
	    "\"o\":\"203.0.255.9\"}"), "{\"w\":\"203.0.0.0\","
	    "\"n\":\"0.0.0.0\",\"f\":\"203.0.113.9\",\"o\":\"203.0.240.0\"}");
	ck_assert_str_eq(apply(p, "{\"w\":\"2001:db8:ffff:ffff::1\","
	    "\"n\":\"2001:db8::1\",\"f\":\"2001:0db8:0:0:0:0:0:1\","
	    "\"o\":\"2001:db8:ab:cdef::\"}"), "{\"w\":\"2001:db8::\","
	    "\"n\":\"::\",\"f\":\"2001:db8::1\",\"o\":\"2001:db8:ab:c000::\"}");
	ck_assert_str_eq(apply(p, "{\"ip\":null}"), "{\"ip\":null}");
	ck_assert_int_eq(applied(p, "truncate-ip"), 12);
	ck_assert_int_eq(removed(p, "payload.ip", "truncate-ip"), 0);
	/* anything else fails closed */
	ck_assert_str_eq(apply(p, "{\"ip\":\"example.com\",\"k\":1}"),
	    "{\"k\":1}");
	ck_assert_str_eq(apply(p, "{\"ip\":\"1.2.3\"}"), "{}");
	ck_assert_str_eq(apply(p, "{\"ip\":\"1.2.3.4/24\"}"), "{}");
	ck_assert_str_eq(apply(p, "{\"ip\":\" 1.2.3.4\"}"), "{}");
	ck_assert_str_eq(apply(p, "{\"ip\":\"fe80::1%eth0\"}"), "{}");
	ck_assert_str_eq(apply(p, "{\"ip\":\"\"}"), "{}");
	ck_assert_str_eq(apply(p, "{\"ip\":\"1111:2222:3333:4444:5555:6666:"
	    "7777:8888:9999\"}"), "{}");
	ck_assert_str_eq(apply(p, "{\"ip\":3232235777}"), "{}");
	ck_assert_str_eq(apply(p, "{\"ip\":true}"), "{}");
	ck_assert_str_eq(apply(p, "{\"ip\":[\"1.2.3.4\"]}"), "{}");
	ck_assert_str_eq(apply(p, "{\"ip\":{\"v4\":\"1.2.3.4\"}}"), "{}");
	ck_assert_int_eq(removed(p, "payload.ip", "truncate-ip"), 11);
	rta_privacy_free(p);
}
END_TEST

START_TEST(coarsen_values)
{
	struct rta_privacy *p = load("payload.h coarsen 1h\n"
	    "payload.s coarsen 1s\npayload.m coarsen 100ms\n"
	    "payload.w coarsen 7d\npayload.x coarsen 500ms\n", NULL);

	/* RFC 3339 in the same form: separator, fraction digits, offset */
	ck_assert_str_eq(apply(p, "{\"h\":\"2026-11-26T10:17:42.123456Z\"}"),
	    "{\"h\":\"2026-11-26T10:00:00.000000Z\"}");
	ck_assert_str_eq(apply(p, "{\"h\":\"2026-11-26t10:17:42+02:00\"}"),
	    "{\"h\":\"2026-11-26t10:00:00+02:00\"}");
	/* hours are UTC hours: 10:17+05:30 is 04:47Z, so 04:00Z */
	ck_assert_str_eq(apply(p, "{\"h\":\"2026-11-26 10:17:42.5+05:30\"}"),
	    "{\"h\":\"2026-11-26 09:30:00.0+05:30\"}");
	ck_assert_str_eq(apply(p, "{\"h\":\"2026-01-01T00:30:00-01:00\"}"),
	    "{\"h\":\"2026-01-01T00:00:00-01:00\"}");
	ck_assert_str_eq(apply(p, "{\"s\":\"2026-11-26T10:17:42.123456789z\"}"),
	    "{\"s\":\"2026-11-26T10:17:42.000000000z\"}");
	ck_assert_str_eq(apply(p, "{\"m\":\"2026-11-26T10:17:42.987654Z\"}"),
	    "{\"m\":\"2026-11-26T10:17:42.900000Z\"}");
	/* weeks count from 1970-01-01, a Thursday */
	ck_assert_str_eq(apply(p, "{\"w\":\"2026-11-26T10:17:42Z\"}"),
	    "{\"w\":\"2026-11-26T00:00:00Z\"}");
	ck_assert_str_eq(apply(p, "{\"w\":\"2026-11-25T23:59:59Z\"}"),
	    "{\"w\":\"2026-11-19T00:00:00Z\"}");
	/* epoch seconds, milliseconds and microseconds, by magnitude */
	ck_assert_str_eq(apply(p, "{\"h\":1795688262}"), "{\"h\":1795687200}");
	ck_assert_str_eq(apply(p, "{\"h\":1795688262123}"),
	    "{\"h\":1795687200000}");
	ck_assert_str_eq(apply(p, "{\"h\":1795688262123456}"),
	    "{\"h\":1795687200000000}");
	ck_assert_str_eq(apply(p, "{\"s\":1795688262.75}"),
	    "{\"s\":1795688262}");
	ck_assert_str_eq(apply(p, "{\"x\":1795688262.75}"),
	    "{\"x\":1795688262.5}");
	ck_assert_str_eq(apply(p, "{\"m\":1795688262123}"),
	    "{\"m\":1795688262100}");
	ck_assert_str_eq(apply(p, "{\"x\":-1.25,\"s\":-1.25}"),
	    "{\"x\":-1.5,\"s\":-2}");
	ck_assert_str_eq(apply(p, "{\"s\":0}"), "{\"s\":0}");
	ck_assert_str_eq(apply(p, "{\"s\":null}"), "{\"s\":null}");
	ck_assert_int_eq(applied(p, "coarsen"), 17);
	/* not a time: removed */
	ck_assert_str_eq(apply(p, "{\"h\":\"yesterday\",\"k\":1}"),
	    "{\"k\":1}");
	ck_assert_str_eq(apply(p, "{\"h\":\"2026-13-01T00:00:00Z\"}"), "{}");
	ck_assert_str_eq(apply(p, "{\"h\":\"2026-11-26T10:17:42\"}"), "{}");
	ck_assert_str_eq(apply(p, "{\"h\":\"1795688262\"}"), "{}");
	ck_assert_str_eq(apply(p, "{\"h\":true}"), "{}");
	ck_assert_str_eq(apply(p, "{\"h\":[1795688262]}"), "{}");
	ck_assert_str_eq(apply(p, "{\"h\":{}}"), "{}");
	ck_assert_str_eq(apply(p, "{\"h\":1e300}"), "{}");
	/* before year 1 once the offset is applied */
	ck_assert_str_eq(apply(p, "{\"h\":\"0001-01-01T00:30:00+01:00\"}"),
	    "{}");
	ck_assert_int_eq(removed(p, "payload.h", "coarsen"), 9);
	rta_privacy_free(p);
}
END_TEST

START_TEST(coarsen_double)
{
	struct rta_privacy *p = load("payload.t coarsen 1m\n", NULL);
	int tag;

	ck_assert_str_eq(apply_double(p, "t", 1795688262.5, &tag),
	    "{\"t\":1795688220.0}");
	ck_assert_int_eq(tag, RTA_V_DOUBLE);
	rta_privacy_free(p);
}
END_TEST

/* ------------------------------------------------- envelope and paths */

START_TEST(envelope_fields)
{
	struct rta_privacy *p = load("timestamp coarsen 1m\n"
	    "event_id mask keep=2 char=x\nevent_type pseudonymize key=k\n",
	    "k " SECRET1 "\n");
	struct rta_event ev = event_in("acme", "{\"a\":1}");
	const unsigned char *payload = ev.payload;
	struct rta_error err;

	ck_assert_int_eq(rta_privacy_apply(p, &ev, &err), RTA_OK);
	ck_assert_int_eq(ev.ts, 1795688220LL * 1000000);
	ck_assert_int_eq(ev.id_len, 6);
	ck_assert(memcmp(ev.id, "xxxx01", 6) == 0);
	ck_assert_uint_eq(ev.type_len, strlen(token("k", SECRET1, "page_view",
	    9, 32)));
	ck_assert(memcmp(ev.type, token("k", SECRET1, "page_view", 9, 32),
	    ev.type_len) == 0);
	ck_assert_ptr_null(ev.frame);
	/* the payload had no rule: not rebuilt */
	ck_assert_ptr_eq(ev.payload, payload);
	ck_assert_int_eq(rta_event_check(&ev, &err), RTA_OK);
	/* an envelope-rebuilt event as input again (its id in p) */
	ck_assert_int_eq(rta_privacy_apply(p, &ev, &err), RTA_OK);
	ck_assert(memcmp(ev.id, "xxxx01", 6) == 0);
	ck_assert_int_eq(applied(p, "coarsen"), 2);
	ck_assert_int_eq(applied(p, "mask"), 2);
	rta_privacy_free(p);
}
END_TEST

START_TEST(untouched_events)
{
	struct rta_privacy *p = load("payload.user.ip truncate-ip\n"
	    "payload.a.b.c drop\ntimestamp coarsen 1us\n", NULL);
	static const char *const payloads[] = {
		"{}",
		"{\"x\":1,\"y\":\"z\"}",
		"{\"user\":\"1.2.3.4\"}",	/* through a non-object */
		"{\"user\":[\"1.2.3.4\"]}",
		"{\"user\":null}",
		"{\"user\":{\"id\":7}}",
		"{\"a\":{\"b\":{\"d\":1}},\"user\":{}}",
		"{\"a\":{\"b\":[{\"c\":1}]}}",
		"{\"ip\":\"1.2.3.4\",\"c\":1,\"b\":{\"c\":1}}",
	};
	struct rta_error err;
	size_t i;

	for (i = 0; i < sizeof(payloads) / sizeof(payloads[0]); i++) {
		struct rta_event ev = event_in("acme", payloads[i]), was = ev;

		ck_assert_int_eq(rta_privacy_apply(p, &ev, &err), RTA_OK);
		ck_assert_msg(memcmp(&ev, &was, sizeof(ev)) == 0, "%s",
		    payloads[i]);
		ck_assert_ptr_nonnull(ev.frame);
	}
	ck_assert_int_eq(applied(p, "truncate-ip"), 0);
	ck_assert_int_eq(applied(p, "drop"), 0);
	ck_assert_int_eq(applied(p, "coarsen"), 9);
	rta_privacy_free(p);
}
END_TEST

START_TEST(nested_paths)
{
	struct rta_privacy *p = load("payload.user.ip truncate-ip\n"
	    "payload.user.email mask\npayload.a.b.c drop\n"
	    "payload.a.x mask keep=0\npayload.k\\.dot drop\n", NULL);
	struct rta_event ev;
	struct rta_error err;

	ck_assert_str_eq(apply(p, "{\"n\":1,\"user\":{\"id\":7,"
	    "\"ip\":\"10.1.2.3\",\"tags\":[1,{\"ip\":1}],\"email\":"
	    "\"bob@example.org\"},\"z\":[],\"k.dot\":1,\"k\":{\"dot\":2}}"),
	    "{\"n\":1,\"user\":{\"id\":7,\"ip\":\"10.1.2.0\",\"tags\":"
	    "[1,{\"ip\":1}],\"email\":\"***********.org\"},\"z\":[],"
	    "\"k\":{\"dot\":2}}");
	ck_assert_str_eq(apply(p, "{\"a\":{\"q\":1,\"b\":{\"c\":2,\"d\":3},"
	    "\"x\":\"ab\"},\"user\":{\"ip\":1}}"),
	    "{\"a\":{\"q\":1,\"b\":{\"d\":3},\"x\":\"**\"},\"user\":{}}");
	/* only the object with the rule is rebuilt; its siblings stay */
	ck_assert_str_eq(apply(p, "{\"a\":{\"b\":{\"c\":{\"deep\":[1]}}},"
	    "\"b\":{\"c\":1}}"), "{\"a\":{\"b\":{}},\"b\":{\"c\":1}}");
	ev = event_in("acme", "{\"user\":{\"ip\":\"::1\"}}");
	ck_assert_int_eq(rta_privacy_apply(p, &ev, &err), RTA_OK);
	ck_assert_ptr_null(ev.frame);
	ck_assert_int_eq(removed(p, "payload.user.ip", "truncate-ip"), 1);
	rta_privacy_free(p);
}
END_TEST

/* Events built in many shapes: what the rules make always checks. */
START_TEST(many_shapes)
{
	struct rta_privacy *p = load("payload.a mask keep=1\n"
	    "payload.b.c pseudonymize key=k length=20\n"
	    "payload.b.d truncate-ip v6=64\npayload.e coarsen 1d\n"
	    "payload.f drop\n", "k " SECRET2 "\n");
	static const char *const vals[] = {
		"null", "true", "false", "0", "-7", "3.25", "1e3",
		"\"\"", "\"x\"", "\"10.0.0.1\"", "\"fe80::1:2\"",
		"\"2026-11-26T10:17:42Z\"", "1795688262", "[]", "[1,[2]]",
		"{}", "{\"c\":1,\"d\":\"::1\"}", "\"\\u00e9\\u00e8\"",
	};
	size_t n = sizeof(vals) / sizeof(vals[0]), i, j;
	char payload[1024];

	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++) {
			snprintf(payload, sizeof(payload), "{\"a\":%s,\"b\":{"
			    "\"c\":%s,\"d\":%s,\"x\":%s},\"e\":%s,\"f\":%s,"
			    "\"g\":%s}", vals[i], vals[j], vals[i], vals[j],
			    vals[j], vals[i], vals[i]);
			(void)apply(p, payload);	/* asserts a checked value */
		}
	rta_privacy_free(p);
}
END_TEST

START_TEST(metrics_text)
{
	struct rta_privacy *p = load("payload.x\\.q truncate-ip\n"
	    "payload.y\"q drop\n", NULL);
	struct rta_buf b = RTA_BUF_INIT;

	ck_assert_str_eq(apply(p, "{\"x.q\":\"nope\",\"y\\\"q\":1,"
	    "\"x\":{\"q\":\"1.2.3.4\"}}"), "{\"x\":{\"q\":\"1.2.3.4\"}}");
	ck_assert_int_eq(rta_privacy_metrics(p, &b), 0);
	ck_assert_int_eq(rta_buf_addc(&b, '\0'), 0);
	ck_assert_ptr_nonnull(strstr((char *)b.data,
	    "# TYPE rta_privacy_applied_total counter\n"));
	ck_assert_ptr_nonnull(strstr((char *)b.data,
	    "rta_privacy_removed_total{stage=\"rta-enrich\",field="
	    "\"payload.x\\\\.q\",action=\"truncate-ip\"} 1\n"));
	ck_assert_ptr_nonnull(strstr((char *)b.data,
	    "rta_privacy_removed_total{stage=\"rta-enrich\",field="
	    "\"payload.y\\\"q\",action=\"drop\"} 0\n"));
	ck_assert_ptr_nonnull(strstr((char *)b.data,
	    "rta_privacy_applied_total{stage=\"rta-enrich\",action="
	    "\"drop\"} 1\n"));
	rta_buf_release(&b);
	rta_privacy_set_stage(p, "rta-x");
	ck_assert_int_eq(rta_privacy_metrics(p, &b), 0);
	ck_assert_int_eq(rta_buf_addc(&b, '\0'), 0);
	ck_assert_ptr_nonnull(strstr((char *)b.data,
	    "rta_privacy_applied_total{stage=\"rta-x\",action=\"drop\"} 1\n"));
	rta_buf_release(&b);
	rta_privacy_free(p);
}
END_TEST

/* ------------------------------------------------------- bad files */

static void
load_fails(const char *rules, const char *keys, int line, const char *what)
{
	struct rta_privacy *p = (struct rta_privacy *)&p;
	struct rta_error err;
	char want[600];
	const char *file = line < 0 ? "keys" : "rules";

	unit_write_str("rules", rules);
	if (keys != NULL)
		write_keys(keys);
	ck_assert_int_eq(rta_privacy_load(&p, unit_path("rules"),
	    keys ? unit_path("keys") : NULL, &err), RTA_EDATA);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(err.code, RTA_EDATA);
	snprintf(want, sizeof(want), "%s:%d: %s", unit_path(file),
	    line < 0 ? -line : line, what);
	ck_assert_msg(strncmp(err.text, want, strlen(want)) == 0,
	    "got  %s\nwant %s...", err.text, want);
	/* no secret, nor any part of one, in a message */
	ck_assert_ptr_null(strstr(err.text, "0001020304"));
	ck_assert_ptr_null(strstr(err.text, "f0e1d2c3"));
	ck_assert_ptr_null(strstr(err.text, "abcdef"));
}

START_TEST(bad_rules)
{
	const char *k = "k1 " SECRET1 "\nkt " SECRET2 " tenant=acme\n";

	load_fails("payload.a\n", NULL, 1, "expected FIELD ACTION");
	load_fails("# c\n\npayload.a hide\n", NULL, 3, "unknown action 'hide'");
	load_fails("payload..a drop\n", NULL, 1, "bad field");
	load_fails("user.a drop\n", NULL, 1, "unknown field 'user.a'");
	load_fails("payload drop\n", NULL, 1, "rules name members");
	load_fails("timestamp drop\n", NULL, 1, "timestamp can only be");
	load_fails("timestamp mask\n", NULL, 1, "timestamp can only be");
	load_fails("event_id drop\n", NULL, 1, "event_id can only be masked");
	load_fails("event_type truncate-ip\n", NULL, 1, "event_type can only");
	load_fails("event_id pseudonymize key=kt tenant-keys\n", k, 1,
	    "event_id can only");
	load_fails("tenant_id mask\n", NULL, 1, "tenant_id cannot be");
	load_fails("schema_version mask\n", NULL, 1, "schema_version cannot");
	load_fails("payload.a drop\n\tpayload.a  mask\n", NULL, 2,
	    "payload.a is already named as payload.a on line 1");
	load_fails("event_id mask\nevent_id mask keep=1\n", NULL, 2,
	    "event_id is named twice");
	load_fails("timestamp coarsen 1h\ntimestamp coarsen 1d\n", NULL, 2,
	    "timestamp is named twice");
	load_fails("payload.a drop\npayload.a.b mask\n", NULL, 2,
	    "payload.a.b is inside payload.a on line 1");
	load_fails("payload.a.b.c mask\npayload.a drop\n", NULL, 2,
	    "payload.a holds payload.a.b.c, named on line 1");
	load_fails("payload.a pseudonymize key=k9\n", k, 1,
	    "unknown key id 'k9'");
	load_fails("payload.a pseudonymize key=k1\n", NULL, 1,
	    "unknown key id 'k1' (no keys file)");
	load_fails("payload.a pseudonymize key=k1 tenant-keys\n", k, 1,
	    "no key id 'k1' for any tenant");
	load_fails("payload.a pseudonymize key=kt\n", k, 1,
	    "no key id 'kt' without tenant=T");
	load_fails("payload.a pseudonymize\n", k, 1,
	    "pseudonymize needs key=ID");
	load_fails("payload.a pseudonymize key=k1 key=kt\n", k, 1,
	    "pseudonymize: unexpected 'key=kt'");
	load_fails("payload.a pseudonymize key=k1 length=15\n", k, 1,
	    "pseudonymize 'length=15': length= takes 16 to 32");
	load_fails("payload.a pseudonymize key=k1 length=33\n", k, 1,
	    "pseudonymize 'length=33'");
	load_fails("payload.a pseudonymize key=k:1\n", k, 1,
	    "pseudonymize 'key=k:1': bad key id");
	load_fails("payload.a mask keep=x\n", NULL, 1, "mask 'keep=x'");
	load_fails("payload.a mask keep=-1\n", NULL, 1, "mask 'keep=-1'");
	load_fails("payload.a mask keep=1025\n", NULL, 1, "mask 'keep=1025'");
	load_fails("payload.a mask char=ab\n", NULL, 1, "mask 'char=ab'");
	load_fails("payload.a mask char=\n", NULL, 1, "mask 'char='");
	load_fails("payload.a mask char=é\n", NULL, 1, "mask 'char=");
	load_fails("payload.a mask keep=1 keep=2\n", NULL, 1,
	    "mask: unexpected 'keep=2'");
	load_fails("payload.a mask key=k1\n", NULL, 1,
	    "mask: unexpected 'key=k1'");
	load_fails("payload.a drop now\n", NULL, 1, "drop: unexpected 'now'");
	load_fails("payload.a truncate-ip v4=33\n", NULL, 1,
	    "truncate-ip 'v4=33': v4= takes 0 to 32");
	load_fails("payload.a truncate-ip v6=129\n", NULL, 1,
	    "truncate-ip 'v6=129'");
	load_fails("payload.a truncate-ip v4=\n", NULL, 1, "truncate-ip 'v4='");
	load_fails("payload.a coarsen\n", NULL, 1, "coarsen needs a unit");
	load_fails("payload.a coarsen 7h\n", NULL, 1,
	    "coarsen '7h': the unit must divide a day");
	load_fails("payload.a coarsen 36h\n", NULL, 1, "coarsen '36h'");
	load_fails("payload.a coarsen 0s\n", NULL, 1,
	    "coarsen '0s': bad duration");
	load_fails("payload.a coarsen soon\n", NULL, 1, "coarsen 'soon'");
	load_fails("payload.a coarsen 1h 1d\n", NULL, 1,
	    "coarsen: unexpected '1d'");
	load_fails("payload.a mask 1 2 3 4 5 6 7\n", NULL, 1,
	    "too many words");
	load_fails("payload.a drop\r\npayload.b mask x\r\n", NULL, 2,
	    "mask: unexpected 'x'");
	unit_write("nul", "payload.a drop\n\npay\0load.b drop\n", 32);
	{
		struct rta_privacy *p;
		struct rta_error err;
		char want[600];

		ck_assert_int_eq(rta_privacy_load(&p, unit_path("nul"), NULL,
		    &err), RTA_EDATA);
		snprintf(want, sizeof(want), "%s:3: a NUL byte",
		    unit_path("nul"));
		ck_assert_str_eq(err.text, want);
	}
}
END_TEST

START_TEST(good_rules_forms)
{
	struct rta_privacy *p;
	char want[256];

	/* comments, blanks, tabs, CRLF, the British spelling, 2d and 90s */
	p = load("  # privacy\r\n\r\npayload.a\tmask   keep=2 # trailing\r\n"
	    "payload.b pseudonymise key=k1 length=16\n"
	    "payload.c coarsen 2d\npayload.d coarsen 90s\npayload.#e drop",
	    "k1 " SECRET1 "\n");
	snprintf(want, sizeof(want), "{\"a\":\"**cd\",\"b\":\"%s\","
	    "\"c\":\"1970-01-03T00:00:00Z\",\"d\":\"2026-11-26T10:16:30Z\"}",
	    token("k1", SECRET1, "x", 1, 16));
	ck_assert_str_eq(apply(p, "{\"a\":\"abcd\",\"b\":\"x\","
	    "\"c\":\"1970-01-04T23:00:00Z\",\"d\":\"2026-11-26T10:17:42Z\","
	    "\"#e\":1}"), want);
	rta_privacy_free(p);
	/* an empty rules file is no rule */
	p = load("# nothing yet\n", NULL);
	ck_assert_str_eq(apply(p, "{\"a\":1}"), "{\"a\":1}");
	rta_privacy_free(p);
}
END_TEST

START_TEST(bad_keys)
{
	const char *r = "payload.a pseudonymize key=k1\n";

	load_fails(r, "k1\n", -1, "expected ID SECRET [tenant=T]");
	load_fails(r, "k1 " SECRET1 " tenant=a extra\n", -1,
	    "expected ID SECRET");
	/* the secret in the id's place is never quoted */
	load_fails(r, "\n" SECRET1 " k1\n", -2, "bad key id");
	load_fails(r, "k/1 " SECRET1 "\n", -1, "bad key id");
	load_fails(r, "k123456789012345678901234567890123 " SECRET1 "\n", -1,
	    "bad key id");
	load_fails(r, "k1 00010203040506070809\n", -1,
	    "key 'k1': the secret must be 32 to 512 bytes");
	load_fails(r, "k1 " SECRET1 "0\n", -1,
	    "key 'k1': the secret is not an even number of hex digits");
	load_fails(r, "k1 0g0102030405060708090a0b0c0d0e0f101112131415161718"
	    "191a1b1c1d1e1f\n", -1, "key 'k1': the secret is not");
	/* 63 hex digits: odd; 62: too short */
	load_fails(r, "k1 000102030405060708090a0b0c0d0e0f101112131415161718"
	    "191a1b1c1d1e1\n", -1, "key 'k1': the secret is not");
	load_fails(r, "k1 000102030405060708090a0b0c0d0e0f101112131415161718"
	    "191a1b1c1d1e\n", -1, "key 'k1': the secret must be");
	load_fails(r, "k1 " SECRET1 "\n# again\nk1 " SECRET2 "\n", -3,
	    "key 'k1' is already on line 1");
	load_fails(r, "k1 " SECRET1 " tenant=a\nk1 " SECRET2 " tenant=a\n",
	    -2, "key 'k1' for tenant 'a' is already on line 1");
	load_fails(r, "k1 " SECRET1 " tenant:a\n", -1,
	    "key 'k1': expected tenant=T");
	load_fails(r, "k1 " SECRET1 " tenant=\n", -1,
	    "key 'k1': expected tenant=T");
}
END_TEST

START_TEST(keys_file_mode)
{
	static const struct {
		mode_t	 mode;
		int	 ok;
	} modes[] = {
		{ 0600, 1 }, { 0400, 1 }, { 0700, 1 }, { 0644, 0 },
		{ 0640, 0 }, { 0604, 0 }, { 0620, 0 }, { 0602, 0 },
	};
	struct rta_privacy *p;
	struct rta_error err;
	char want[600];
	size_t i;

	unit_write_str("rules", "payload.a pseudonymize key=k1\n");
	unit_write_str("keys", "k1 " SECRET1 "\n");
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		ck_assert_int_eq(chmod(unit_path("keys"), modes[i].mode), 0);
		if (modes[i].ok) {
			ck_assert_int_eq(rta_privacy_load(&p,
			    unit_path("rules"), unit_path("keys"), &err),
			    RTA_OK);
			rta_privacy_free(p);
			continue;
		}
		ck_assert_int_eq(rta_privacy_load(&p, unit_path("rules"),
		    unit_path("keys"), &err), RTA_EDATA);
		snprintf(want, sizeof(want), "%s: permissions %04o are too "
		    "open", unit_path("keys"), (unsigned)modes[i].mode);
		ck_assert_msg(strncmp(err.text, want, strlen(want)) == 0,
		    "%s", err.text);
		ck_assert_ptr_null(strstr(err.text, "0001020304"));
	}
}
END_TEST

START_TEST(missing_files)
{
	struct rta_privacy *p;
	struct rta_error err;

	unit_write_str("rules", "payload.a drop\n");
	ck_assert_int_eq(rta_privacy_load(&p, unit_path("none"), NULL, &err),
	    RTA_EIO);
	ck_assert_ptr_nonnull(strstr(err.text, "No such file"));
	ck_assert_int_eq(rta_privacy_load(&p, unit_path("rules"),
	    unit_path("none"), &err), RTA_EIO);
	ck_assert_ptr_nonnull(strstr(err.text, "none: No such file"));
	ck_assert_int_eq(rta_privacy_load(&p, unit_path("."), NULL, &err),
	    RTA_EIO);
	ck_assert_ptr_nonnull(strstr(err.text, "Is a directory"));
}
END_TEST

START_TEST(large_file)
{
	struct rta_privacy *p;
	struct rta_error err;
	struct rta_buf b = RTA_BUF_INIT;
	unsigned i;

	/* many rules and comments, across read sizes */
	for (i = 0; i < 3000; i++)
		ck_assert_int_eq(rta_buf_printf(&b, "payload.m%u mask keep=1 "
		    "# %0200u\n", i, i), 0);
	unit_write("rules", b.data, b.len);
	ck_assert_msg(rta_privacy_load(&p, unit_path("rules"), NULL, &err) ==
	    RTA_OK, "%s", err.text);
	ck_assert_str_eq(apply(p, "{\"m2999\":\"abc\",\"m0\":\"xy\"}"),
	    "{\"m2999\":\"**c\",\"m0\":\"*y\"}");
	rta_privacy_free(p);
	/* beyond a megabyte: refused */
	while (b.len <= 1024 * 1024)
		ck_assert_int_eq(rta_buf_printf(&b, "# %0500u\n", 0), 0);
	unit_write("rules", b.data, b.len);
	ck_assert_int_eq(rta_privacy_load(&p, unit_path("rules"), NULL, &err),
	    RTA_EDATA);
	ck_assert_ptr_nonnull(strstr(err.text, "larger than"));
	rta_buf_release(&b);
}
END_TEST

/* ------------------------------------------------ allocation failures */

static const char *const fault_payloads[] = {
	"{\"u\":\"alice\",\"ip\":\"10.9.8.7\",\"t\":\"2026-11-26T10:17:42Z\","
	"\"m\":\"4111111111111111\",\"d\":1,\"n\":{\"x\":{\"y\":\"::1\"}}}",
	"{\"keep\":[1,2,3],\"n\":{\"x\":{\"z\":1}}}",
	"{\"u\":12.5,\"ip\":\"nope\",\"t\":1795688262123}",
};
static char fault_want[3][512];
static char fault_rules[UNIT_PATH_MAX], fault_keys[UNIT_PATH_MAX];

/* What the rules make of fault_payloads[i] (JSON), or -1. */
static int
fault_run(struct rta_privacy *p, size_t i, char *out, size_t outsz)
{
	struct rta_buf b = RTA_BUF_INIT;
	struct rta_record rec;
	struct rta_error err;
	struct rta_ndjson_parser pp;
	char line[1024];
	int n, rc = -1;

	n = snprintf(line, sizeof(line), "{\"event_id\":\"e-1\",\"timestamp\":"
	    "\"2026-11-26T10:17:42.5Z\",\"event_type\":\"t\",\"tenant_id\":"
	    "\"acme\",\"schema_version\":1,\"payload\":%s}",
	    fault_payloads[i]);
	rta_ndjson_parser_init(&pp);
	if (rta_ndjson_parse(&pp, line, (size_t)n, &rec, &err) != RTA_OK)
		goto out;
	if (rta_privacy_apply(p, &rec.ev, &err) != RTA_OK) {
		if (err.code != RTA_ENOMEM)
			rc = -2;
		goto out;
	}
	if (rta_value_to_json(&b, rec.ev.payload) != 0 ||
	    rta_buf_printf(&b, " %lld", (long long)rec.ev.ts) != 0 ||
	    b.len >= outsz)
		goto out;
	memcpy(out, b.data, b.len);
	out[b.len] = '\0';
	rc = 0;
out:
	rta_buf_release(&b);
	rta_ndjson_parser_release(&pp);
	return rc;
}

static const char *
fault_why(int code)
{
	return code == 10 ? "load failed without ENOMEM" :
	    code == 11 ? "apply failed without ENOMEM" : "wrong output";
}

static int
fault_child(unsigned long n)
{
	struct rta_privacy *p;
	struct rta_error err;
	char spec[64], out[512];
	size_t i, r;
	void *q;
	int rc;

	snprintf(spec, sizeof(spec), "alloc:%lu:persistent", n);
	setenv("RTA_FAULT", spec, 1);
	rc = rta_privacy_load(&p, fault_rules, fault_keys, &err);
	if (rc != RTA_OK)
		return rc == RTA_ENOMEM && err.code == RTA_ENOMEM ? 1 : 10;
	for (r = 0; r < 2; r++)
		for (i = 0; i < 3; i++) {
			if ((rc = fault_run(p, i, out, sizeof(out))) == -2)
				return 11;
			if (rc < 0) {
				rta_privacy_free(p);
				return 1;
			}
			if (strcmp(out, fault_want[i]) != 0)
				return 13;
		}
	rta_privacy_free(p);
	if ((q = rta_malloc(1)) == NULL)
		return 1;
	rta_free(q);
	return n == 1 ? 12 : 0;
}

/*
 * The expected outputs, computed in a child: RTA_FAULT is read at the
 * first allocation of a process, so this one must not allocate first.
 */
static int
fault_expect(int fd)
{
	struct rta_privacy *p;
	struct rta_error err;
	size_t i;

	if (rta_privacy_load(&p, fault_rules, fault_keys, &err) != RTA_OK)
		return 2;
	for (i = 0; i < 3; i++)
		if (fault_run(p, i, fault_want[i], sizeof(fault_want[i])) != 0)
			return 3;
	rta_privacy_free(p);
	return write(fd, fault_want, sizeof(fault_want)) ==
	    (ssize_t)sizeof(fault_want) ? 0 : 4;
}

START_TEST(allocation_failures)
{
	const char *fork_env = getenv("CK_FORK");
	unsigned long n;
	size_t got = 0;
	ssize_t r;
	int fds[2], status;
	pid_t pid;

	if (fork_env != NULL && strcmp(fork_env, "no") == 0) {
		fprintf(stderr, "allocation_failures: not run with "
		    "CK_FORK=no\n");
		return;
	}
	unit_write_str("rules", "payload.u pseudonymize key=k1 tenant-keys\n"
	    "payload.ip truncate-ip\npayload.t coarsen 1h\n"
	    "payload.m mask\npayload.d drop\npayload.n.x.y truncate-ip\n"
	    "timestamp coarsen 1s\n");
	write_keys("k1 " SECRET1 " tenant=acme\nk1 " SECRET2 " tenant=b\n");
	snprintf(fault_rules, sizeof(fault_rules), "%s", unit_path("rules"));
	snprintf(fault_keys, sizeof(fault_keys), "%s", unit_path("keys"));
	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_ne(pid = fork(), -1);
	if (pid == 0) {
		close(fds[0]);
		_exit(fault_expect(fds[1]));
	}
	close(fds[1]);
	while ((r = read(fds[0], (char *)fault_want + got,
	    sizeof(fault_want) - got)) > 0)
		got += (size_t)r;
	close(fds[0]);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "status %d", status);
	ck_assert_uint_eq(got, sizeof(fault_want));
	ck_assert_msg(strstr(fault_want[0], "\"ip\":\"10.9.8.0\"") != NULL &&
	    strstr(fault_want[0], "\"n\":{\"x\":{\"y\":\"::\"}}") != NULL,
	    "%s", fault_want[0]);
	ck_assert_str_eq(fault_want[1], "{\"keep\":[1,2,3],\"n\":{\"x\":"
	    "{\"z\":1}}} 1795688262000000");
	ck_assert_msg(strstr(fault_want[2], "\"t\":1795687200000}") != NULL,
	    "%s", fault_want[2]);
	n = unit_alloc_failures(fault_child, fault_why);
	ck_assert_uint_gt(n, 10);
}
END_TEST

static Suite *
privacy_suite(void)
{
	Suite *s = suite_create("rta_privacy");
	TCase *tc = tcase_create("core");

	tcase_add_unchecked_fixture(tc, unit_base_setup, unit_base_teardown);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, hmac_rfc4231);
	tcase_add_test(tc, hmac_rfc4231_tokens);
	tcase_add_test(tc, drop_values);
	tcase_add_test(tc, mask_values);
	tcase_add_test(tc, mask_double);
	tcase_add_test(tc, pseudonymize_values);
	tcase_add_test(tc, key_rotation);
	tcase_add_test(tc, tenant_keys);
	tcase_add_test(tc, truncate_ip_values);
	tcase_add_test(tc, coarsen_values);
	tcase_add_test(tc, coarsen_double);
	tcase_add_test(tc, envelope_fields);
	tcase_add_test(tc, untouched_events);
	tcase_add_test(tc, nested_paths);
	tcase_add_test(tc, many_shapes);
	tcase_add_test(tc, metrics_text);
	tcase_add_test(tc, bad_rules);
	tcase_add_test(tc, good_rules_forms);
	tcase_add_test(tc, bad_keys);
	tcase_add_test(tc, keys_file_mode);
	tcase_add_test(tc, missing_files);
	tcase_add_test(tc, large_file);
	tcase_add_test(tc, allocation_failures);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(privacy_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
