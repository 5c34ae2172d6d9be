/*
 * jansson_validate: the "parse with a general JSON library and walk the
 * document" anchor of rta-validate's benchmark.  Reads NDJSON events on
 * stdin, parses each line with json_loadb and checks, by walking the
 * document, the rules rta-validate applies with the schema directory
 * tests/bench/data/validate/: the envelope (event_id, timestamp,
 * event_type, tenant_id, schema_version, payload) and the page_view v1
 * payload schema (types, required members and no others, at the top and
 * in the nested session object; the url, user_id, session id and referrer
 * patterns through POSIX regexec; numeric and length bounds; enums).
 *
 * The rules are written out in C, not read from the schema: this is the
 * fastest a hand-written jansson check can be, so the ratio to it is a
 * fair bound.  run.sh checks that it accepts exactly the events
 * rta-validate accepts; a change to page_view.v1.json must be made here
 * too.  Valid lines are written to stdout as they were read (rta-validate
 * writes the valid events on), the counts to stderr; exit 1 if any event
 * was invalid, as rta-validate does.
 */
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <jansson.h>

#define ID_MAX		255	/* bytes in event_id, event_type, tenant_id */
#define TENANT_MAX	64
#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* The patterns of page_view.v1.json, compiled once. */
static regex_t re_url, re_user, re_sid, re_ref;

/* Members of the page_view payload, as bits. */
enum {
	P_URL = 1 << 0,
	P_USER = 1 << 1,
	P_VALUE = 1 << 2,
	P_LATENCY = 1 << 3,
	P_COUNTRY = 1 << 4,
	P_DEVICE = 1 << 5,
	P_SESSION = 1 << 6,
	P_REFERRER = 1 << 7,
	P_GROUP = 1 << 8,
	P_CLIENT_TS = 1 << 9,
	P_ALL = (1 << 10) - 1
};

/* Members of the nested session object. */
enum {
	S_ID = 1 << 0,
	S_SEQ = 1 << 1,
	S_LANDING = 1 << 2,
	S_ALL = (1 << 3) - 1
};

static const char *const countries[] = { "AU", "BR", "CA", "DE", "ES",
	"FR", "GB", "IN", "IT", "JP", "MX", "NL", "PL", "SE", "US" };
static const char *const devices[] = { "desktop", "mobile", "tablet" };
static const char *const groups[] = { "A", "B", "C" };

static int	valid_event(json_t *);
static int	valid_payload(json_t *);
static int	valid_session(json_t *);
static int	valid_timestamp(const char *, size_t);

int
main(void)
{
	static char obuf[1 << 16];
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long long good = 0, bad = 0;
	json_error_t err;
	json_t *v;

	if (regcomp(&re_url, "^/[A-Za-z0-9/?=&._-]*$",
	    REG_EXTENDED | REG_NOSUB) != 0 ||
	    regcomp(&re_user, "^u[0-9]{6}$", REG_EXTENDED | REG_NOSUB) != 0 ||
	    regcomp(&re_sid, "^s[0-9]{8}$", REG_EXTENDED | REG_NOSUB) != 0 ||
	    regcomp(&re_ref,
	    "^(https?://[a-z0-9.-]+(/[A-Za-z0-9/?=&._%-]*)?)?$",
	    REG_EXTENDED | REG_NOSUB) != 0) {
		fprintf(stderr, "jansson_validate: regcomp failed\n");
		return 2;
	}
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	while ((len = getline(&line, &cap, stdin)) != -1) {
		/* rta rejects duplicate keys at every level too. */
		v = json_loadb(line, (size_t)len, JSON_REJECT_DUPLICATES,
		    &err);
		if (v != NULL && valid_event(v)) {
			good++;
			fwrite(line, 1, (size_t)len, stdout);
		} else
			bad++;
		json_decref(v);
	}
	free(line);
	regfree(&re_url);
	regfree(&re_user);
	regfree(&re_sid);
	regfree(&re_ref);
	fprintf(stderr, "jansson_validate: %llu valid, %llu invalid\n", good,
	    bad);
	if (ferror(stdin) || fflush(stdout) != 0 || ferror(stdout)) {
		perror("jansson_validate");
		return 3;
	}
	return bad > 0;
}

/* A string member of 1 to max bytes; its value or NULL. */
static const char *
id_string(json_t *ev, const char *key, size_t max, size_t *len)
{
	json_t *m = json_object_get(ev, key);

	if (!json_is_string(m))
		return NULL;
	*len = json_string_length(m);
	return *len >= 1 && *len <= max ? json_string_value(m) : NULL;
}

/* rta_tenant_valid's rule: letters, digits, '_', '-', '.', not first. */
static int
valid_tenant(const char *s, size_t len)
{
	size_t i;

	if (s[0] == '.' || s[0] == '-')
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
			return 0;
	}
	return 1;
}

static int
valid_event(json_t *ev)
{
	const char *s;
	size_t len;
	json_t *m;
	json_int_t version = 1;

	if (!json_is_object(ev))
		return 0;
	if (id_string(ev, "event_id", ID_MAX, &len) == NULL)
		return 0;
	if ((s = id_string(ev, "timestamp", ID_MAX, &len)) == NULL ||
	    !valid_timestamp(s, len))
		return 0;
	if ((s = id_string(ev, "tenant_id", TENANT_MAX, &len)) == NULL ||
	    !valid_tenant(s, len))
		return 0;
	if ((m = json_object_get(ev, "schema_version")) != NULL) {
		if (!json_is_integer(m))
			return 0;
		version = json_integer_value(m);
		if (version < 0 || version > UINT32_MAX)
			return 0;
	}
	/* The registry: one schema, page_view version 1; others unknown. */
	if ((s = id_string(ev, "event_type", ID_MAX, &len)) == NULL ||
	    strcmp(s, "page_view") != 0 || version != 1)
		return 0;
	/* An absent or null payload is {}, which lacks required members. */
	m = json_object_get(ev, "payload");
	return json_is_object(m) && valid_payload(m);
}

/* Length in code points of valid UTF-8 (jansson has checked it). */
static size_t
code_points(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

static int
one_of(const char *s, const char *const *set, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(s, set[i]) == 0)
			return 1;
	return 0;
}

/* A JSON Schema integer: any number with no fraction (1.0 counts). */
static int
is_integer(json_t *m)
{
	double d;

	if (json_is_integer(m))
		return 1;
	if (!json_is_real(m))
		return 0;
	d = json_real_value(m);
	return d == (double)(long long)d;
}

/* page_view.v1.json, member by member. */
static int
valid_payload(json_t *p)
{
	const char *key, *s;
	json_t *m;
	double d;
	unsigned seen = 0;
	size_t n;

	json_object_foreach(p, key, m) {
		if (strcmp(key, "url") == 0) {
			if (!json_is_string(m))
				return 0;
			s = json_string_value(m);
			n = code_points(s, json_string_length(m));
			if (n < 1 || n > 2048 ||
			    regexec(&re_url, s, 0, NULL, 0) != 0)
				return 0;
			seen |= P_URL;
		} else if (strcmp(key, "user_id") == 0) {
			if (!json_is_string(m) ||
			    regexec(&re_user, json_string_value(m), 0, NULL,
			    0) != 0)
				return 0;
			seen |= P_USER;
		} else if (strcmp(key, "value") == 0) {
			if (!json_is_number(m))
				return 0;
			d = json_number_value(m);
			if (!(d > 0 && d <= 1000))
				return 0;
			seen |= P_VALUE;
		} else if (strcmp(key, "latency_ms") == 0) {
			if (!is_integer(m))
				return 0;
			d = json_number_value(m);
			if (!(d >= 0 && d <= 3000))
				return 0;
			seen |= P_LATENCY;
		} else if (strcmp(key, "country") == 0) {
			if (!json_is_string(m) || !one_of(json_string_value(m),
			    countries, NELEM(countries)))
				return 0;
			seen |= P_COUNTRY;
		} else if (strcmp(key, "device") == 0) {
			if (!json_is_string(m) || !one_of(json_string_value(m),
			    devices, NELEM(devices)))
				return 0;
			seen |= P_DEVICE;
		} else if (strcmp(key, "session") == 0) {
			if (!json_is_object(m) || !valid_session(m))
				return 0;
			seen |= P_SESSION;
		} else if (strcmp(key, "referrer") == 0) {
			if (!json_is_string(m))
				return 0;
			s = json_string_value(m);
			n = code_points(s, json_string_length(m));
			if (n > 2048 || regexec(&re_ref, s, 0, NULL, 0) != 0)
				return 0;
			seen |= P_REFERRER;
		} else if (strcmp(key, "ab_group") == 0) {
			if (!json_is_string(m) || !one_of(json_string_value(m),
			    groups, NELEM(groups)))
				return 0;
			seen |= P_GROUP;
		} else if (strcmp(key, "client_ts") == 0) {
			if (!is_integer(m))
				return 0;
			d = json_number_value(m);
			if (!(d >= 1577836800000.0 && d <= 4102444800000.0))
				return 0;
			seen |= P_CLIENT_TS;
		} else
			return 0;	/* additionalProperties: false */
	}
	return seen == P_ALL;
}

/* The nested "session" object of page_view.v1.json. */
static int
valid_session(json_t *o)
{
	const char *key;
	json_t *m;
	double d;
	unsigned seen = 0;

	json_object_foreach(o, key, m) {
		if (strcmp(key, "id") == 0) {
			if (!json_is_string(m) ||
			    regexec(&re_sid, json_string_value(m), 0, NULL,
			    0) != 0)
				return 0;
			seen |= S_ID;
		} else if (strcmp(key, "seq") == 0) {
			if (!is_integer(m))
				return 0;
			d = json_number_value(m);
			if (!(d >= 1 && d <= 10000))
				return 0;
			seen |= S_SEQ;
		} else if (strcmp(key, "landing") == 0) {
			if (!json_is_boolean(m))
				return 0;
			seen |= S_LANDING;
		} else
			return 0;	/* additionalProperties: false */
	}
	return seen == S_ALL;
}

/* n decimal digits at s; their value, or -1. */
static int
digits(const char *s, int n)
{
	int v = 0;

	while (n-- > 0) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

/*
 * RFC 3339 date-time as rta_time_parse reads it: YYYY-MM-DD, 'T' (or 't'
 * or a space), HH:MM:SS[.frac], then 'Z' (or 'z') or +HH:MM/-HH:MM, with
 * the day checked against its month (leap years too) and no leap second
 * past 23:59:60.  Years 0001 to 9999 are all within rta's range.
 */
static int
valid_timestamp(const char *s, size_t len)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30,
		31, 30, 31 };
	const char *p = s + 19, *end = s + len;
	int y, mo, d, h, mi, sec;

	if (len < 20 || s[4] != '-' || s[7] != '-' || s[13] != ':' ||
	    s[16] != ':' || (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
		return 0;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	sec = digits(s + 17, 2);
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
	    h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return 0;
	if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0)))
		return 0;
	if (p < end && *p == '.') {
		if (++p == end || *p < '0' || *p > '9')
			return 0;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < end && (*p == 'Z' || *p == 'z'))
		return p + 1 == end;
	if (end - p != 6 || (*p != '+' && *p != '-') || p[3] != ':')
		return 0;
	h = digits(p + 1, 2);
	mi = digits(p + 4, 2);
	return h >= 0 && h <= 23 && mi >= 0 && mi <= 59;
}
