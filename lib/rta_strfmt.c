/*
 * rta_strfmt.c: hand-written recognisers for the JSON Schema formats.
 *
 * Each checker is a single left-to-right pass over s[0..len) with a
 * bounded amount of look-ahead, written straight from the ABNF of its
 * RFC rather than with regular expressions: a regex library would bring
 * allocation, locale dependence and, for the date and leap second rules,
 * still not be enough.  Character classes are tested with arithmetic on
 * ASCII codes and one 128-entry table for punctuation, never with
 * <ctype.h>, whose answers change with the locale (and which would let
 * a Latin-1 letter into a hostname).  Every index is compared with len
 * before it is read, so the strings need no terminating NUL.
 *
 * Where the RFCs leave room, the choices follow the JSON-Schema-Test-Suite
 * (draft 2020-12): a leap second must fall at 23:59:60 UTC, a hostname has
 * no trailing dot, an email domain is a hostname.  rta_strfmt.h lists what
 * each format accepts.
 */
#include <string.h>

#include "rta_strfmt.h"

/* Punctuation classes, from RFC 3986 (URI) and RFC 5321 (atext). */
#define C_UNRES		0x01	/* - . _ ~ */
#define C_SUB		0x02	/* ! $ & ' ( ) * + , ; = */
#define C_ATEXT		0x04	/* RFC 5321 atext beyond letters, digits */
#define C_SCHEME	0x08	/* + - . */
#define C_COLON		0x10
#define C_AT		0x20
#define C_SLASH		0x40
#define C_QMARK		0x80
#define M_PCT		0x100	/* scan(): percent-encoding allowed */

/* What each part of a URI may hold besides letters and digits. */
#define M_USERINFO	(C_UNRES | C_SUB | C_COLON | M_PCT)
#define M_REGNAME	(C_UNRES | C_SUB | M_PCT)
#define M_PATH		(C_UNRES | C_SUB | C_COLON | C_AT | C_SLASH | M_PCT)
#define M_QUERY		(M_PATH | C_QMARK)
#define M_FUTURE	(C_UNRES | C_SUB | C_COLON)

static const unsigned char punct[128] = {
	['!'] = C_SUB | C_ATEXT,
	['#'] = C_ATEXT,
	['$'] = C_SUB | C_ATEXT,
	['%'] = C_ATEXT,
	['&'] = C_SUB | C_ATEXT,
	['\''] = C_SUB | C_ATEXT,
	['('] = C_SUB,
	[')'] = C_SUB,
	['*'] = C_SUB | C_ATEXT,
	['+'] = C_SUB | C_ATEXT | C_SCHEME,
	[','] = C_SUB,
	['-'] = C_UNRES | C_ATEXT | C_SCHEME,
	['.'] = C_UNRES | C_SCHEME,
	['/'] = C_ATEXT | C_SLASH,
	[':'] = C_COLON,
	[';'] = C_SUB,
	['='] = C_SUB | C_ATEXT,
	['?'] = C_ATEXT | C_QMARK,
	['@'] = C_AT,
	['^'] = C_ATEXT,
	['_'] = C_UNRES | C_ATEXT,
	['`'] = C_ATEXT,
	['{'] = C_ATEXT,
	['|'] = C_ATEXT,
	['}'] = C_ATEXT,
	['~'] = C_UNRES | C_ATEXT,
};

static const char *const names[RTA_STRFMT_COUNT] = {
	[RTA_STRFMT_DATE_TIME] = "date-time",
	[RTA_STRFMT_DATE] = "date",
	[RTA_STRFMT_TIME] = "time",
	[RTA_STRFMT_UUID] = "uuid",
	[RTA_STRFMT_EMAIL] = "email",
	[RTA_STRFMT_IPV4] = "ipv4",
	[RTA_STRFMT_IPV6] = "ipv6",
	[RTA_STRFMT_HOSTNAME] = "hostname",
	[RTA_STRFMT_URI] = "uri",
};

static inline int
is_digit(unsigned char c)
{
	return (unsigned)(c - '0') < 10;
}

static inline int
is_alpha(unsigned char c)
{
	return (unsigned)((c | 0x20) - 'a') < 26;
}

static inline int
is_alnum(unsigned char c)
{
	return is_digit(c) || is_alpha(c);
}

static inline int
is_hex(unsigned char c)
{
	return is_digit(c) || (unsigned)((c | 0x20) - 'a') < 6;
}

/* Letters, digits, or punctuation in one of the classes of mask. */
static inline int
in_class(unsigned char c, unsigned mask)
{
	return is_alnum(c) || (c < 128 && (punct[c] & mask) != 0);
}

/* The value of the two ASCII digits at s (both readable), or -1. */
static int
two_digits(const unsigned char *s)
{
	if (!is_digit(s[0]) || !is_digit(s[1]))
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

/* RFC 3339 full-date, exactly YYYY-MM-DD. */
static int
date_ok(const unsigned char *s, size_t len)
{
	static const unsigned char mdays[13] = {
		0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int hi, lo, y, m, d;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	if ((hi = two_digits(s)) < 0 || (lo = two_digits(s + 2)) < 0)
		return 0;
	y = hi * 100 + lo;
	m = two_digits(s + 5);
	d = two_digits(s + 8);
	if (m < 1 || m > 12 || d < 1 || d > mdays[m])
		return 0;
	/* RFC 3339 appendix C: the Gregorian rule, also before 1582 */
	if (m == 2 && d == 29 && (y % 4 != 0 || (y % 100 == 0 &&
	    y % 400 != 0)))
		return 0;
	return 1;
}

/* RFC 3339 full-time: hh:mm:ss[.frac] then Z or +hh:mm / -hh:mm. */
static int
time_ok(const unsigned char *s, size_t len)
{
	int h, mi, sec, oh, om, off;
	size_t i, start;

	if (len < 9 || s[2] != ':' || s[5] != ':')
		return 0;
	h = two_digits(s);
	mi = two_digits(s + 3);
	sec = two_digits(s + 6);
	if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return 0;
	i = 8;
	if (s[i] == '.') {
		start = ++i;
		while (i < len && is_digit(s[i]))
			i++;
		if (i == start)
			return 0;
	}
	if (i >= len)
		return 0;		/* the offset is not optional */
	if ((s[i] | 0x20) == 'z') {
		if (i + 1 != len)
			return 0;
		off = 0;
	} else if (s[i] == '+' || s[i] == '-') {
		if (len - i != 6 || s[i + 3] != ':')
			return 0;
		oh = two_digits(s + i + 1);
		om = two_digits(s + i + 4);
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			return 0;
		off = s[i] == '-' ? -(oh * 60 + om) : oh * 60 + om;
	} else
		return 0;
	/*
	 * Leap seconds are inserted at the end of a UTC day, so :60 is only
	 * right where local time minus the offset is 23:59 (modulo a day:
	 * 00:29:60-23:30 is one).  "-00:00" (offset unknown) counts as UTC.
	 */
	if (sec == 60 && ((h * 60 + mi - off) % 1440 + 1440) % 1440 !=
	    23 * 60 + 59)
		return 0;
	return 1;
}

static int
date_time_ok(const unsigned char *s, size_t len)
{
	/* only the letter: RFC 3339's space in place of T is prose, not ABNF */
	if (len < 11 || (s[10] | 0x20) != 't')
		return 0;
	return date_ok(s, 10) && time_ok(s + 11, len - 11);
}

static int
uuid_ok(const unsigned char *s, size_t len)
{
	size_t i;

	if (len != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!is_hex(s[i]))
			return 0;
	}
	return 1;
}

/*
 * One RFC 3986 dec-octet at s[*i]: 0 to 255, no leading zero, since
 * inet_aton(3) would read "010" as octal 8 and the same text must not
 * mean two addresses.  Advances *i past it.
 */
static int
dec_octet(const unsigned char *s, size_t len, size_t *i)
{
	size_t j = *i, n = 0;
	unsigned v = 0;

	while (j < len && n < 4 && is_digit(s[j])) {
		v = v * 10 + (unsigned)(s[j] - '0');
		j++;
		n++;
	}
	if (n == 0 || n > 3 || v > 255 || (n > 1 && s[*i] == '0'))
		return 0;
	*i = j;
	return 1;
}

static int
ipv4_ok(const unsigned char *s, size_t len)
{
	size_t i = 0;
	int k;

	for (k = 0; k < 4; k++) {
		if (k > 0) {
			if (i >= len || s[i] != '.')
				return 0;
			i++;
		}
		if (!dec_octet(s, len, &i))
			return 0;
	}
	return i == len;
}

/*
 * RFC 4291 section 2.2.  Groups are counted as they come; "::" stands for
 * at least one zero group, and a dotted quad, allowed only last, for two.
 */
static int
ipv6_ok(const unsigned char *s, size_t len)
{
	size_t i = 0, start, n;
	int groups = 0, elided = 0;

	if (len >= 2 && s[0] == ':' && s[1] == ':') {
		elided = 1;
		if ((i = 2) == len)
			return 1;
	}
	for (;;) {
		start = i;
		for (n = 0; i < len && n < 4 && is_hex(s[i]); n++)
			i++;
		if (i < len && s[i] == '.') {
			if (!ipv4_ok(s + start, len - start))
				return 0;
			groups += 2;
			break;
		}
		if (n == 0)
			return 0;	/* ":::", a lone leading or trailing ':' */
		groups++;
		if (i == len)
			break;
		if (s[i] != ':' || groups >= 8)
			return 0;
		if (++i < len && s[i] == ':') {
			if (elided)
				return 0;
			elided = 1;
			if (++i == len)
				break;
		} else if (i == len)
			return 0;
	}
	return elided ? groups <= 7 : groups == 8;
}

/* RFC 1123 section 2.1, with the length limits of RFC 1034. */
static int
hostname_ok(const unsigned char *s, size_t len)
{
	size_t i, label = 0;
	unsigned char c;

	if (len == 0 || len > 253)
		return 0;
	for (i = 0; i < len; i++) {
		c = s[i];
		if (c == '.') {
			if (label == 0 || s[i - 1] == '-')
				return 0;
			label = 0;
		} else if (is_alnum(c) || c == '-') {
			if ((c == '-' && label == 0) || ++label > 63)
				return 0;
		} else
			return 0;
	}
	/* label == 0 here is a trailing dot, which the test suite rejects */
	return label > 0 && s[len - 1] != '-';
}

/* The part of an email address after the "@" (RFC 5321 section 4.1.2). */
static int
mail_domain_ok(const unsigned char *s, size_t len)
{
	if (len == 0 || s[0] != '[')
		return hostname_ok(s, len);
	if (len < 2 || s[len - 1] != ']')
		return 0;
	s++;
	len -= 2;
	/* ABNF strings are case-insensitive (RFC 5234), so "ipv6:" too */
	if (len >= 5 && (s[0] | 0x20) == 'i' && (s[1] | 0x20) == 'p' &&
	    (s[2] | 0x20) == 'v' && s[3] == '6' && s[4] == ':')
		return ipv6_ok(s + 5, len - 5);
	return ipv4_ok(s, len);
}

static int
email_ok(const unsigned char *s, size_t len)
{
	size_t i = 0, start;
	unsigned char c;

	if (len > 0 && s[0] == '"') {
		/* Quoted-string: printable ASCII, '\' quotes any of it */
		for (i = 1;; i++) {
			if (i >= len)
				return 0;
			c = s[i];
			if (c == '"')
				break;
			if (c == '\\') {
				if (++i >= len)
					return 0;
				c = s[i];
			}
			if (c < 32 || c > 126)
				return 0;
		}
		i++;
	} else {
		/* Dot-string: atoms joined by single dots */
		for (;;) {
			start = i;
			while (i < len && in_class(s[i], C_ATEXT))
				i++;
			if (i == start)
				return 0;
			if (i < len && s[i] == '.')
				i++;
			else
				break;
		}
	}
	if (i >= len || s[i] != '@')
		return 0;
	i++;
	return mail_domain_ok(s + i, len - i);
}

/*
 * Skip the characters of s[i..end) allowed by mask (letters and digits
 * always, "%XX" with M_PCT) and return where they stop.  A '%' without
 * two hex digits stops the scan like any other stray character: no part
 * of a URI may hold one, so the caller rejects the string there.
 */
static size_t
scan(const unsigned char *s, size_t i, size_t end, unsigned mask)
{
	unsigned char c;

	while (i < end) {
		c = s[i];
		if (c == '%' && (mask & M_PCT)) {
			if (end - i < 3 || !is_hex(s[i + 1]) ||
			    !is_hex(s[i + 2]))
				break;
			i += 3;
		} else if (in_class(c, mask & 0xff))
			i++;
		else
			break;
	}
	return i;
}

/* Between the brackets of an RFC 3986 IP-literal. */
static int
ip_literal_ok(const unsigned char *s, size_t len)
{
	size_t i;

	if (len == 0 || (s[0] | 0x20) != 'v')
		return ipv6_ok(s, len);
	/* IPvFuture: "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ) */
	for (i = 1; i < len && is_hex(s[i]); i++)
		continue;
	if (i == 1 || i >= len || s[i] != '.')
		return 0;
	i++;
	return i < len && scan(s, i, len, M_FUTURE) == len;
}

/* authority = [ userinfo "@" ] host [ ":" port ] */
static int
authority_ok(const unsigned char *s, size_t len)
{
	const unsigned char *at;
	const unsigned char *rbrack;
	size_t i = 0;

	/* userinfo cannot hold an '@', so the first one ends it */
	if ((at = memchr(s, '@', len)) != NULL) {
		i = (size_t)(at - s);
		if (scan(s, 0, i, M_USERINFO) != i)
			return 0;
		i++;
	}
	if (i < len && s[i] == '[') {
		rbrack = memchr(s + i, ']', len - i);
		if (rbrack == NULL ||
		    !ip_literal_ok(s + i + 1, (size_t)(rbrack - s) - i - 1))
			return 0;
		i = (size_t)(rbrack - s) + 1;
	} else
		i = scan(s, i, len, M_REGNAME);
	/* an IPv4address is also a reg-name, so "999.1.1.1" is a host */
	if (i < len) {
		if (s[i] != ':')
			return 0;
		/* port = *DIGIT: empty or any length, as RFC 3986 has it */
		for (i++; i < len; i++)
			if (!is_digit(s[i]))
				return 0;
	}
	return 1;
}

/* URI = scheme ":" hier-part [ "?" query ] [ "#" fragment ] */
static int
uri_ok(const unsigned char *s, size_t len)
{
	size_t i, end;

	if (len == 0 || !is_alpha(s[0]))
		return 0;
	for (i = 1; i < len && in_class(s[i], C_SCHEME); i++)
		continue;
	if (i >= len || s[i] != ':')
		return 0;
	i++;
	if (len - i >= 2 && s[i] == '/' && s[i + 1] == '/') {
		i += 2;
		for (end = i; end < len && s[end] != '/' && s[end] != '?' &&
		    s[end] != '#'; end++)
			continue;
		if (!authority_ok(s + i, end - i))
			return 0;
		i = end;
	}
	/*
	 * What is left of hier-part is a path of pchar and '/': after an
	 * authority it starts with '/' or is empty (path-abempty), and
	 * without one it cannot start with "//", which was taken above.
	 */
	i = scan(s, i, len, M_PATH);
	if (i < len && s[i] == '?')
		i = scan(s, i + 1, len, M_QUERY);
	if (i < len && s[i] == '#')
		i = scan(s, i + 1, len, M_QUERY);
	return i == len;
}

int
rta_strfmt_lookup(const char *name, size_t len)
{
	int f;

	for (f = 0; f < RTA_STRFMT_COUNT; f++)
		if (strlen(names[f]) == len && memcmp(names[f], name, len) == 0)
			return f;
	return -1;
}

const char *
rta_strfmt_name(enum rta_strfmt f)
{
	if ((unsigned)f >= RTA_STRFMT_COUNT)
		return NULL;
	return names[f];
}

int
rta_strfmt_check(enum rta_strfmt f, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;

	switch (f) {
	case RTA_STRFMT_DATE_TIME:
		return date_time_ok(s, len);
	case RTA_STRFMT_DATE:
		return date_ok(s, len);
	case RTA_STRFMT_TIME:
		return time_ok(s, len);
	case RTA_STRFMT_UUID:
		return uuid_ok(s, len);
	case RTA_STRFMT_EMAIL:
		return email_ok(s, len);
	case RTA_STRFMT_IPV4:
		return ipv4_ok(s, len);
	case RTA_STRFMT_IPV6:
		return ipv6_ok(s, len);
	case RTA_STRFMT_HOSTNAME:
		return hostname_ok(s, len);
	case RTA_STRFMT_URI:
		return uri_ok(s, len);
	default:
		return 0;
	}
}
