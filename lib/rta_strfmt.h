/*
 * rta_strfmt.h: the string formats of JSON Schema 2020-12 that
 * rta-validate asserts with --formats.
 *
 * Each checker answers yes or no for one string: it allocates nothing,
 * depends on no locale, runs in time linear in the length, reads only
 * s[0..len) (the string need not be NUL-terminated) and is safe to call
 * from several threads.  Every format here is ASCII-only, so any byte
 * above 0x7F, and any control character, makes a string invalid.
 *
 * What each format accepts:
 *
 *   date-time  RFC 3339 section 5.6 date-time: full-date "T" full-time,
 *		the "T" and a "Z" offset in either case, a fraction of any
 *		length, an offset from -23:59 to +23:59 (no space instead
 *		of the "T", no offset-less form).  Days are checked against
 *		the month, with Gregorian leap years from year 0000 on.
 *		Second 60 is accepted only when the time, moved to UTC by
 *		its offset, is 23:59:60, the one place a leap second goes;
 *		the date is not checked against the list of leap seconds.
 *   date	RFC 3339 full-date, YYYY-MM-DD.
 *   time	RFC 3339 full-time: hh:mm:ss[.frac] and a required offset,
 *		with the leap second rule above.
 *   uuid	RFC 9562 text form: 8-4-4-4-12 hex digits in either case,
 *		any version and variant, no braces and no "urn:uuid:".
 *   email	RFC 5321 Mailbox: a dot-string or quoted-string local part
 *		(quoted pairs allowed, only printable ASCII), "@", then a
 *		hostname as below or an address literal "[IPv4]" or
 *		"[IPv6:...]" (the tag in any case).  No comments, folding,
 *		display names or general address literals.
 *   ipv4	Dotted quad of decimal 0 to 255 with no leading zeros (the
 *		RFC 3986 dec-octet), so "01.2.3.4" and "1.2.3" are not.
 *   ipv6	RFC 4291 section 2.2 text: eight groups of 1 to 4 hex
 *		digits, one "::" for one or more zero groups, an optional
 *		dotted-quad tail (as ipv4) in place of the last two groups.
 *		No zone id ("%eth0"), prefix length or brackets.
 *   hostname	RFC 1123 section 2.1: dot-separated labels of 1 to 63
 *		letters, digits and hyphens that neither start nor end with
 *		a hyphen, at most 253 bytes in all, no trailing dot.  An
 *		"xn--" label is an ordinary label: its Punycode is not
 *		decoded or checked.
 *   uri	RFC 3986 URI (absolute, with optional query and fragment):
 *		the scheme is required, the authority is parsed in full
 *		(userinfo, reg-name, IPv4, "[IPv6]" or "[vX.future]" host,
 *		digits-only port of any length), every "%" must start two
 *		hex digits, and only the characters the grammar allows in
 *		each part are accepted.  A host of digits and dots that is
 *		not a valid IPv4 address is still a valid reg-name.
 */
#ifndef RTA_STRFMT_H
#define RTA_STRFMT_H

#include <stddef.h>

enum rta_strfmt {
	RTA_STRFMT_DATE_TIME,
	RTA_STRFMT_DATE,
	RTA_STRFMT_TIME,
	RTA_STRFMT_UUID,
	RTA_STRFMT_EMAIL,
	RTA_STRFMT_IPV4,
	RTA_STRFMT_IPV6,
	RTA_STRFMT_HOSTNAME,
	RTA_STRFMT_URI,
	RTA_STRFMT_COUNT
};

/*
 * The format named name[0..len) ("date-time", "ipv4", ...: the JSON
 * Schema names, matched exactly, case included), or -1 if it is not one
 * that is checked here.  Formats not listed are annotations only.
 */
int		 rta_strfmt_lookup(const char *name, size_t len);

/* The JSON Schema name of f, a static string; NULL if f is out of range. */
const char	*rta_strfmt_name(enum rta_strfmt f);

/*
 * 1 if s[0..len) is in format f, else 0 (also for an f out of range).
 * s is meant to be valid UTF-8, as a JSON string is, but any bytes are
 * safe: nothing outside ASCII is accepted anyway.
 */
int		 rta_strfmt_check(enum rta_strfmt f, const char *s, size_t len);

#endif
