/*
 * check_rta_strfmt.c: the JSON Schema format checkers, one TCase per
 * format plus the bounds on what they read.
 *
 * Every verdict is taken on a copy placed at the very end of a heap block
 * of exactly its length, with no NUL after it, so that under SANITIZE=1
 * AddressSanitizer stops any read past len.  Beside the hand-picked cases
 * there are independent oracles: glibc's timegm(3) for the calendar and
 * inet_pton(3) for IPv4 and IPv6 (both reject leading zeros in an octet,
 * as rta_strfmt does), compared on enumerated and mutated inputs.
 */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rta_err.h"
#include "rta_strfmt.h"

#define CHECK(expr, ...) do {						\
	if (!(expr))							\
		ck_abort_msg(__VA_ARGS__);				\
} while (0)

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* The verdict of f on len bytes at s, read from an exactly-sized block. */
static int
check_exact(enum rta_strfmt f, const void *s, size_t len)
{
	size_t size = len > 0 ? len : 1;
	char *p = malloc(size);
	int r;

	ck_assert_ptr_nonnull(p);
	if (len > 0)
		memcpy(p + size - len, s, len);
	r = rta_strfmt_check(f, p + size - len, len);
	free(p);
	return r;
}

static void
expect_n(enum rta_strfmt f, const char *s, size_t len, int want)
{
	char shown[128];
	int got;

	got = check_exact(f, s, len);
	if (got != want) {
		rta_quote(shown, sizeof(shown), s, len, 100);
		ck_abort_msg("%s: '%s' (%zu bytes) gave %d, want %d",
		    rta_strfmt_name(f), shown, len, got, want);
	}
}

static void
expect_all(enum rta_strfmt f, const char *const *v, size_t n, int want)
{
	size_t i;

	for (i = 0; i < n; i++)
		expect_n(f, v[i], strlen(v[i]), want);
}

#define EXPECT_ALL(f, v, want)	expect_all((f), (v), NELEM(v), (want))

/* String of n copies of c followed by tail, into out (size >= n + ...). */
static char *
repeat(char *out, char c, size_t n, const char *tail)
{
	memset(out, c, n);
	strcpy(out + n, tail);
	return out;
}

/* ---- the cases ------------------------------------------------------ */

static const char *const date_good[] = {
	"1963-06-19", "2020-01-31", "2021-02-28", "2020-02-29",
	"2000-02-29", "2400-02-29", "1600-02-29", "2004-02-29",
	"0000-02-29", "0001-01-01", "0400-02-29", "9999-12-31",
	"2020-03-31", "2020-04-30", "2020-05-31", "2020-06-30",
	"2020-07-31", "2020-08-31", "2020-09-30", "2020-10-31",
	"2020-11-30", "2020-12-31", "2021-12-01",
};

static const char *const date_bad[] = {
	"1900-02-29", "2100-02-29", "0100-02-29", "2021-02-29",
	"2020-02-30", "2020-01-32", "2020-03-32", "2020-04-31",
	"2020-06-31", "2020-09-31", "2020-11-31", "2020-12-32",
	"2020-00-10", "2020-13-01", "2020-01-00", "2020-99-99",
	"2020-1-01", "2020-01-1", "20-01-01", "998-01-01", "02020-01-01",
	"+2020-01-01", "-2020-01-01", "2020/01/01", "2020.01.01",
	"2020:01:01", "2020 01 01", "2020-01/01", "2020--01-01",
	"2020-01--01", "2020-001-01", "2020-01-001", "YYYY-01-01",
	"2020-MM-01", "2020-01-DD", "2020-0a-01", "2020-W01-1", "2023-W01",
	"20200101", "2020-350", "06/19/1963", "2020-01-01T00:00:00Z",
	"2020-01-01 00:00:00Z", "2020-01-01Z", "2020-01-01X",
	"2020-01-01 ", " 2020-01-01", "2020 -01-01", "2020-01-01\n", "",
	"2020-0\xe0\xa7\xaa-01", "1963-06-1\xe0\xa7\xaa", "\xe0\xa7\xa8"
	"020-01-01",
};

static const char *const time_good[] = {
	"08:30:06Z", "08:30:06z", "00:00:00Z", "23:59:59Z", "23:20:50.52Z",
	"08:30:06.283185Z", "12:00:00.000000000000000000001Z",
	"12:00:00.9z", "08:30:06+00:20", "08:30:06-08:00",
	"12:34:56-00:00", "12:34:56+00:00", "12:34:56+23:59",
	"12:34:56-23:59", "12:34:56.7+05:30",
	/* leap seconds, each at 23:59:60 UTC */
	"23:59:60Z", "23:59:60z", "23:59:60.5Z", "23:59:60+00:00",
	"23:59:60-00:00", "15:59:60-08:00", "01:29:60+01:30",
	"23:29:60+23:30", "00:29:60-23:30", "00:00:60+00:01",
	"23:58:60-00:01", "23:58:59.999+23:59", "22:58:60+22:59",
	"00:58:60-23:01",
};

static const char *const time_bad[] = {
	/* leap seconds anywhere but 23:59:60 UTC */
	"12:00:60Z", "22:59:60Z", "23:58:60Z", "00:00:60Z", "00:59:60Z",
	"22:59:60+00:00", "23:58:60+00:00", "23:59:60+01:00",
	"23:59:60-01:00", "23:59:60+00:30", "23:59:60-00:30",
	"00:00:60-00:01", "23:59:61Z", "23:59:99Z",
	/* fields out of range */
	"24:00:00Z", "24:59:00+01:00", "00:60:00Z", "99:00:00Z",
	"01:02:03+24:00", "01:02:03-24:00", "01:02:03+00:60",
	"01:02:03+99:99",
	/* shape */
	"12:00:00", "12:00:00.52", "12:00:00.Z", "12:00:00.", "12:00:00,5Z",
	"01:01:01,1111", "12:00:00+0100", "12:00:00+01", "12:00:00+1:00",
	"08:30:06-8:000", "12:00:00+01:00:00", "12:00:00+01:0",
	"01:02:03Z+00:30", "12:00:00ZZ", "12:00:00 Z", "08:30:06 PST",
	"12:00:00#00:20", "12:00:00UTC", "8:30:06Z", "8:3:6Z", "8:0030:6Z",
	"008:030:006Z", "08:30:6Z", "08-30-06Z", "083006Z", "ab:cd:efZ",
	"ab:cd:ef", "12:00Z", "12:00", "T08:30:06Z", "2020-11-28T23:55:45Z",
	"08:30:06Z\n", " 08:30:06Z", "", "Z", "12:00:00.5.5Z",
	"12:00:00+\xe0\xa7\xaa:00", "1\xe0\xa7\xa8:00:00Z",
	"12:00:00.\xe0\xa7\xaaZ",
};

static const char *const date_time_good[] = {
	"1963-06-19T08:30:06.283185Z", "1963-06-19T08:30:06Z",
	"1937-01-01T12:00:27.87+00:20", "1990-12-31T15:59:50.123-08:00",
	"1998-12-31T23:59:60Z", "1998-12-31T15:59:60.123-08:00",
	"2016-12-31T23:59:60+00:00", "2017-01-01T00:29:60+00:30",
	"1963-06-19t08:30:06.283185z", "1963-06-19T08:30:06z",
	"1963-06-19t08:30:06Z", "1985-04-12T00:59:59.999999999999999Z",
	"2000-02-29T00:00:00Z", "2024-02-29T12:00:00+14:00",
	"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
	"2026-11-26T10:00:00.123456Z", "1970-01-01T00:00:00-00:00",
};

static const char *const date_time_bad[] = {
	"1998-12-31T23:59:61Z", "1998-12-31T23:58:60Z",
	"1998-12-31T22:59:60Z", "1998-12-31T12:00:60Z",
	"1998-12-31T23:59:60+01:00", "1990-02-31T15:59:59.123-08:00",
	"1900-02-29T00:00:00Z", "2021-02-29T00:00:00Z",
	"1990-12-31T15:59:59-24:00", "1963-06-19T08:30:06.28123+01:00Z",
	"1990-12-31T24:00:00Z", "1990-12-31T15:60:00Z",
	"1990-12-31T10:00:00+10:60", "06/19/1963 08:30:06 PST",
	"2013-350T01:01:01", "1963-6-19T08:30:06.283185Z",
	"1963-06-1T08:30:06.283185Z", "+11963-06-19T08:30:06.283185Z",
	"1963-06-19 08:30:06Z", "1963-06-19_08:30:06Z",
	"1963-06-19TT08:30:06Z", "1963-06-19T08:30:06",
	"1963-06-19T08:30:06.5", "1963-06-19", "1963-06-19T",
	"1963-06-19TZ", "1963-06-19T08:30Z", "1963-06-19T08:30:06.Z",
	"1963-06-19T08:30:06Z ", "1963-06-19T08:30:06+01:00\n",
	"1963-06-19T08:30:06+01:00:00", "1963-06-19T08:30:06+0100",
	"T08:30:06Z", "19630619T083006Z", "",
	"1963-06-1\xe0\xa7\xaaT00:00:00Z", "1963-06-11T0\xe0\xa7\xaa:00:00Z",
};

static const char *const uuid_good[] = {
	"2EB8AA08-AA98-11EA-B4AA-73B441D16380",
	"2eb8aa08-aa98-11ea-b4aa-73b441d16380",
	"2eb8aa08-AA98-11ea-B4Aa-73B441D16380",
	"00000000-0000-0000-0000-000000000000",
	"ffffffff-ffff-ffff-ffff-ffffffffffff",
	"FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
	"98d80576-482e-427f-8434-7f86890ab222",
	"99c17cbb-656f-564a-940f-1a4568f03487",
	"99c17cbb-656f-664a-940f-1a4568f03487",
	"99c17cbb-656f-f64a-940f-1a4568f03487",
	"01890a5d-ac96-774b-bcce-b302099a8057",
	"0123abcd-4567-8def-0123-456789abcdef",
	/* variant bits other than RFC 9562's 10xx */
	"0123abcd-4567-1def-c123-456789abcdef",
	"0123abcd-4567-1def-0123-456789abcdef",
};

static const char *const uuid_bad[] = {
	"2eb8aa08-aa98-11ea-b4aa-73b441d1638",
	"2eb8aa08-aa98-11ea-b4aa-73b441d163800",
	"2eb8aa08-aa98-11ea-73b441d16380",
	"2eb8aa08-aa98-11ea-b4ga-73b441d16380",
	"2eb8aa08aa9811eab4aa73b441d16380",
	"2eb8aa08aa98-11ea-b4aa73b441d16380",
	"2eb8-aa08-aa98-11ea-b4aa73b44-1d16380",
	"2eb8aa08aa9811eab4aa73b441d16380----",
	"2eb8aa0-8aa98-11e-ab4aa7-3b441d16380",
	"2eb8aa08_aa98_11ea_b4aa_73b441d16380",
	"2eb8aa08-aa98-11ea-b4aa-73b441d1638 ",
	" 2eb8aa08-aa98-11ea-b4aa-73b441d1638",
	"{2eb8aa08-aa98-11ea-b4aa-73b441d16380}",
	"urn:uuid:2eb8aa08-aa98-11ea-b4aa-73b441d16380",
	"2eb8aa08-aa98-11ea-b4aa-73b441d16380\n",
	"0x2eb8aa-aa98-11ea-b4aa-73b441d16380",
	"+2eb8aa0-aa98-11ea-b4aa-73b441d16380",
	"2eb8aa08-aa98-11ea-b4aa-73b441d1638\xc3\xa9",
	"",
};

static const char *const email_good[] = {
	"joe.bloggs@example.com", "te~st@example.com", "~test@example.com",
	"test~@example.com", "te.s.t@example.com", "a@b", "test@io",
	"user+tag@example.org", "!#$%&'*+-/=?^_`{|}~@example.com",
	"x@a-b.c-d.e", "test@c--n.com", "test@123.com",
	"test@255.255.255.255", "1@2", "UPPER@EXAMPLE.COM",
	/* quoted local parts */
	"\"joe bloggs\"@example.com", "\"joe..bloggs\"@example.com",
	"\"joe@bloggs\"@example.com", "\"\"@iana.org", "\" \"@iana.org",
	"\"test\"@iana.org", "\"\\a\"@iana.org", "\"\\\"\"@iana.org",
	"\"\\\\\"@iana.org", "\"\\ \"@iana.org", "\".a.\"@iana.org",
	"\"(comment) <x>, [y]; z:\"@iana.org", "\"~\"@x",
	/* address literals */
	"joe.bloggs@[127.0.0.1]", "a@[0.0.0.0]", "a@[255.255.255.255]",
	"joe.bloggs@[IPv6:::1]", "a@[ipv6:::1]", "a@[IPV6:2001:db8::1]",
	"a@[IPv6:1:2:3:4:5:6:7:8]", "a@[IPv6:::ffff:1.2.3.4]",
	"\"q\"@[IPv6:fe80::]",
};

static const char *const email_bad[] = {
	"2962", "", "@", "a@", "@b", ".test@example.com",
	"test.@example.com", "te..st@example.com", "joe.bloggs@",
	"@example.com", "joe.bloggs@invalid=domain.com",
	"joe.bloggs@[127.0.0.300]", "user1@oceania.org, user2@oceania.org",
	"\"Winston Smith\" <winston.smith@recdep.minitrue> "
	"(Records Department)", "<a@b.org>", "Joe <a@b.org>",
	"joe bloggs@example.com", "a\tb@iana.org", "\x7f@iana.org",
	"a\x01@iana.org", "test@iana.org\n", "test@iana.org\r",
	"a@iana.org ", " a@iana.org", "a,b@iana.org", "a;b@iana.org",
	"a:b@iana.org", "a<b@iana.org", "a[b@iana.org", "a\\b@iana.org",
	"test(comment)@iana.org", "a@b(c).org", "(c)a@b.org",
	"test\"@iana.org", "\"test\"test@iana.org", "test\"x\"@iana.org",
	"\"test@iana.org", "\"test\\\"@iana.org", "\"a\"b\"@iana.org",
	"\"a\nb\"@iana.org", "\"a\tb\"@iana.org", "\"a\\\nb\"@iana.org",
	"a@b@c.org", "test\\@test@iana.org", "[1.2.3.4]@iana.org",
	"test@-iana.org", "test@iana-.com", "test@.iana.org",
	"test@iana.org.", "test@iana..com", "test@iana_org.com",
	"test@ia na.org", "test@[1.2.3.4", "test@1.2.3.4]", "a@[]",
	"a@[1.2.3]", "a@[1.2.3.4.5]", "a@[01.2.3.4]", "a@[1.2.3.4]x",
	"a@[[1.2.3.4]]", "test@[RFC-5322-domain-literal]",
	"test@a[255.255.255.255]", "a@[::1]", "a@[IPv6:1.2.3.4]",
	"a@[IPv4:1.2.3.4]", "a@[IPv6::1]", "a@[IPv6:1::2::3]",
	"a@[IPv6:1:2:3:4:5:6:7]", "a@[IPv6:fe80::1%eth0]", "a@[IPv6:]",
	"a@[x-tag:data]", "a\xc3\xa9@iana.org", "a@\xc3\xa9.org",
	"a\xef\xbc\xa0iana.org", "\"test\\\xc2\xa9\"@iana.org",
	"\"\xc3\xa9\"@iana.org",
};

static const char *const ipv4_good[] = {
	"192.168.0.1", "0.0.0.0", "255.255.255.255", "1.2.3.4",
	"10.0.0.255", "100.200.250.249", "87.10.0.1", "127.0.0.1",
	"9.99.199.249", "0.10.100.200",
};

static const char *const ipv4_bad[] = {
	"127.0.0.0.1", "256.256.256.256", "127.0", "127.1", "127.0.1",
	"1", "0x7f000001", "2130706433", "192.168.1.0/24", " 192.168.0.1",
	"192.168.0.1 ", "192.168.0.1\n", "192.168.0.1\t", "0x7f.0.0.1",
	"0o10.0.0.1", "192.168..1", ".192.168.0.1", "192.168.0.1.",
	"", "+1.2.3.4", "-1.2.3.4", "1.2.3.-4", "1e2.0.0.1",
	"192.168.a.1", "192. 168.0.1", "192.168.0.1:80", "192.168.0.256",
	"300.1.1.1", "1.2.3.1000", "1000.2.3.4", "...", "1..2.3",
	/* leading zeros: inet_aton(3) would read them as octal */
	"01.2.3.4", "1.2.3.04", "00.0.0.0", "1.2.3.000", "087.10.0.1",
	"1.02.3.4", "1.2.003.4", "::ffff:1.2.3.4", "[1.2.3.4]",
	"1\xe0\xa7\xa8" "7.0.0.1", "1.2.3.\xd9\xa1",
};

static const char *const ipv6_good[] = {
	"::1", "::", "::abef", "::42:ff:1", "d6::", "1::", "1:d6::42",
	"1::d6:192.168.0.1", "1:2::192.168.0.1", "::ffff:192.168.0.1",
	"::ffff:1.2.3.4", "::1.2.3.4", "::0.0.0.0", "1:2:3:4:5::1.2.3.4",
	"1:2:3:4:5:6:1.2.3.4", "1000:1000:1000:1000:1000:1000:"
	"255.255.255.255", "1:2:3:4:5:6:7:8", "2001:db8::7",
	"2001:0DB8:85a3:0000:0000:8A2E:0370:7334", "fe80::1",
	"1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3:4:5:6::8",
	"1::8", "ABCD:EF01:2345:6789:ABCD:EF01:2345:6789",
	"0:0:0:0:0:0:0:0", "ffff::ffff", "0000::0000", "a:b:c:d::",
};

static const char *const ipv6_bad[] = {
	"12345::", "::abcef", "::12345", "00000::",
	"1:1:1:1:1:1:1:1:1:1:1:1:1:1:1:1", "1:2:3:4:5:6:7:8:9",
	"::laptop", "g::1", "::0xff", ":2:3:4:5:6:7:8",
	"1:2:3:4:5:6:7:", ":2:3:4::8", "1::d6::42", "1::2::",
	"::1::", "1:2:3:4:5:::8", ":::", ":::1", "1:::", ":", "",
	"1:2:3:4:5:6:7", "1", "127.0.0.1", "1::2:3:4:5:6:7:8",
	"1:2:3:4:5:6:7:8::", "::1:2:3:4:5:6:7:8", "1:2:3:4::5:6:7:8",
	"1::2:192.168.256.1", "1::2:192.168.ff.1", "1:2:3:4:1.2.3",
	"::ffff:256.1.1.1", "::ffff:01.2.3.4", "::1.2.3.4.5",
	"1.2.3.4::", "::1.2.3.4:1", "1:2:3:4:5:6:7:1.2.3.4",
	"1::2:3:4:5:6:1.2.3.4", "100:100:100:100:100:100:"
	"255.255.255.255.255", "100:100:100:100:100:100:100:"
	"255.255.255.255", "::ffff:1.2.3", "::.1.2.3", "::1.",
	"  ::1", "::1  ", "::1\n", "fe80::/64", "fe80::a%eth1",
	"fe80::a%25eth1", "[::1]", "[::1", "::1]", "1-2-3-4-5-6-7-8",
	"1:2:3:4:5:6:7:\xe0\xa7\xaa", "1:2::192.16\xe0\xa7\xaa.0.1",
};

static const char *const hostname_good[] = {
	"www.example.com", "xn--4gbwdl.xn--wgbh1c", "hostname", "host-name",
	"h0stn4me", "1host", "hostnam3", "a", "0", "a.b", "A.B.C",
	"ab--cd.example", "a-b-c", "a--b", "123.example", "3com.com",
	"EXAMPLE.com", "xn--nw2a.xn--j6w193g", "localhost",
	"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk"
	".com",
};

static const char *const hostname_bad[] = {
	"-a-host-name-that-starts-with--", "not_a_valid_host_name",
	"a-vvvvvvvvvvvvvvvveeeeeeeeeeeeeeeerrrrrrrrrrrrrrrryyyyyyyyyyyyyyyy"
	"-long-host-name-component",
	"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl"
	".com",
	"-hostname", "hostname-", "_hostname", "hostname_", "host_name",
	"", ".", "..", ".example", "example.", "example.com.",
	"example..com", "a.-b.c", "a.b-.c", "a.b.-", "-", "exa mple.com",
	"example.com\n", " example.com", "*.example.com", "example.com:80",
	"[::1]", "a/b", "a@b", "a,b", "h\xc3\xa9llo.com",
	"xn--\xc3\xa9.com", "\xef\xbc\x8e",
};

static const char *const uri_good[] = {
	"http://foo.bar/?baz=qux#quux",
	"http://foo.com/blah_(wikipedia)_blah#cite-1",
	"http://foo.bar/?q=Test%20URL-encoded%20stuff",
	"http://xn--nw2a.xn--j6w193g/",
	"http://-.~_!$&'()*+,;=:%40:80%2f::::::@example.com",
	"http://223.255.255.254", "ftp://ftp.is.co.za/rfc/rfc1808.txt",
	"http://www.ietf.org/rfc/rfc2396.txt",
	"ldap://[2001:db8::7]/c=GB?objectClass?one",
	"mailto:John.Doe@example.com",
	"news:comp.infosystems.www.servers.unix", "tel:+1-816-555-1212",
	"telnet://192.0.2.16:80/",
	"urn:oasis:names:specification:docbook:dtd:xml:4.1.2",
	"urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6",
	"foo://example.com:8042/over/there?name=ferret#nose",
	/* host: reg-name, IPv4, IP-literal */
	"http://087.10.0.1/", "http://999.999.999.999/",
	"http://!$&'()*+,;=.com", "http://example.com.",
	"http://exa~mple.com/", "http://under_score.com/",
	"http://ex%41mple.com/", "http://[::1]/", "http://[::]:80",
	"http://[::ffff:1.2.3.4]:8080/x", "http://[v1.fe]/",
	"http://[V7.a:b]/", "http://[vAB.x-y_z~!$&'()*+,;=:]/",
	/* userinfo and port */
	"http://a.com:", "http://a.com:999999999", "http://:80",
	"http://@a.com", "http://user@", "http://u:p@h:1/p?q#f",
	"http://u:p:q@h/", "http://%75ser@h/", "http://@", "http://",
	/* paths, queries, fragments */
	"file:///etc/passwd", "a:", "a:b", "A+b-c.d:x", "x:/path",
	"x:path/with:colon@and", "http://example.com/a//b",
	"http://example.com/%7Efoo%2Fbar", "http://example.com/%aF",
	"http://example.com/?#", "http://example.com#f?with/slash:and@at",
	"s:?q", "s:#f", "s:?", "s:#", "s:?a?b/c", "data:,",
	"http://h/p;a=1;b=2", "http://h/'()*",
};

static const char *const uri_bad[] = {
	"//foo.bar/?baz=qux#quux", "/abc", "abc", "", ":", ":a",
	"\\\\WINDOWS\\fileshare", "http:// shouldfail.com",
	":// should fail", "bar,baz:foo", "1http://example.com",
	"ht_tp://example.com", "+a:b", "a b:c", "https://[@example.org/t",
	"https://example.org/foobar\xc2\xae.txt",
	"https://example.org/foobar\\.txt",
	"https://example.org/foobar\".txt",
	"https://example.org/foobar<>.txt",
	"https://example.org/foobar{}.txt",
	"https://example.org/foobar^.txt",
	"https://example.org/foobar`.txt",
	"https://example.org/foo bar.txt",
	"https://example.org/foobar|.txt",
	"http://example.com/%6G", "http://example.com/%A",
	"http://example.com/%", "http://example.com/%%41",
	"http://example.com/?q=%", "http://example.com/#%g0",
	"http://ex%zzample.com", "http://u%@h/",
	"http://example.com:abc/path", "http://a.com:8:0", "http://a.com::",
	"http://a.com:-1", "http://a.com: 80",
	"http://[::1/path", "http://[::1]x/", "http://[::1]]/",
	"http://[1:2:3]/", "http://[fe80::1%25eth0]/", "http://[]/",
	"http://[v1]/", "http://[v.x]/", "http://[vg.x]/", "http://[v1.]/",
	"http://[v1.%41]/", "http://[1.2.3.4]/", "http://[::1]:a",
	"http://a@b@c/", "http://exa[mple.com", "http://exa]mple.com",
	"http://2001:db8::1/", "http://example.com/#a#b",
	"http://example.com\n", "http://example.com/\t",
	"http://example.com/\x7f", "mailto:a b@c", "urn:a\"b",
};

struct fmt_cases {
	enum rta_strfmt		 f;
	const char *const	*good, *const *bad;
	size_t			 ngood, nbad;
};

#define CASES(f, g, b)	{ (f), (g), (b), NELEM(g), NELEM(b) }

static const struct fmt_cases all_cases[] = {
	CASES(RTA_STRFMT_DATE_TIME, date_time_good, date_time_bad),
	CASES(RTA_STRFMT_DATE, date_good, date_bad),
	CASES(RTA_STRFMT_TIME, time_good, time_bad),
	CASES(RTA_STRFMT_UUID, uuid_good, uuid_bad),
	CASES(RTA_STRFMT_EMAIL, email_good, email_bad),
	CASES(RTA_STRFMT_IPV4, ipv4_good, ipv4_bad),
	CASES(RTA_STRFMT_IPV6, ipv6_good, ipv6_bad),
	CASES(RTA_STRFMT_HOSTNAME, hostname_good, hostname_bad),
	CASES(RTA_STRFMT_URI, uri_good, uri_bad),
};

/* ---- names ---------------------------------------------------------- */

START_TEST(lookup_names)
{
	static const char *const others[] = {
		"", "Date-Time", "DATE", "date-", "date-time ", "ipv",
		"ipv46", "uri-reference", "iri", "idn-email", "idn-hostname",
		"duration", "regex", "json-pointer", "uri-template", "uuid\n",
	};
	const char *n;
	size_t i;
	int f;

	CHECK(RTA_STRFMT_COUNT == NELEM(all_cases), "a format without cases");
	for (f = 0; f < RTA_STRFMT_COUNT; f++) {
		n = rta_strfmt_name((enum rta_strfmt)f);
		ck_assert_ptr_nonnull(n);
		CHECK(rta_strfmt_lookup(n, strlen(n)) == f, "lookup '%s'", n);
	}
	ck_assert_str_eq(rta_strfmt_name(RTA_STRFMT_DATE_TIME), "date-time");
	ck_assert_str_eq(rta_strfmt_name(RTA_STRFMT_URI), "uri");
	ck_assert_ptr_null(rta_strfmt_name(RTA_STRFMT_COUNT));
	ck_assert_ptr_null(rta_strfmt_name((enum rta_strfmt)-1));
	for (i = 0; i < NELEM(others); i++)
		CHECK(rta_strfmt_lookup(others[i], strlen(others[i])) == -1,
		    "'%s' is not a checked format", others[i]);
	/* only len bytes count: "date-time" cut to 4 is "date" */
	ck_assert_int_eq(rta_strfmt_lookup("date-time", 4), RTA_STRFMT_DATE);
	ck_assert_int_eq(rta_strfmt_lookup("hostname.", 8),
	    RTA_STRFMT_HOSTNAME);
	ck_assert_int_eq(rta_strfmt_lookup(NULL, 0), -1);
}
END_TEST

START_TEST(check_unknown_format)
{
	ck_assert_int_eq(rta_strfmt_check(RTA_STRFMT_COUNT, "x", 1), 0);
	ck_assert_int_eq(rta_strfmt_check((enum rta_strfmt)-1, "x", 1), 0);
	ck_assert_int_eq(rta_strfmt_check((enum rta_strfmt)1000, "", 0), 0);
}
END_TEST

/* ---- date, time, date-time ------------------------------------------ */

START_TEST(date_cases)
{
	EXPECT_ALL(RTA_STRFMT_DATE, date_good, 1);
	EXPECT_ALL(RTA_STRFMT_DATE, date_bad, 0);
}
END_TEST

/*
 * Every day number 00 to 32 of every month of every year 0000-9999
 * against timegm(3): a date is real when timegm does not have to carry
 * it into the next month.
 */
START_TEST(date_vs_timegm)
{
	char s[10];
	struct tm tm;
	int y, m, d, want;

	for (y = 0; y <= 9999; y++) {
		for (m = 1; m <= 12; m++) {
			for (d = 0; d <= 32; d++) {
				/* only month ends differ from year to year */
				if (d > 1 && d < 28 && y != 2024)
					continue;
				memset(&tm, 0, sizeof(tm));
				tm.tm_year = y - 1900;
				tm.tm_mon = m - 1;
				tm.tm_mday = d;
				tm.tm_hour = 12;
				(void)timegm(&tm);
				want = tm.tm_mday == d && tm.tm_mon == m - 1;
				s[0] = (char)('0' + y / 1000);
				s[1] = (char)('0' + y / 100 % 10);
				s[2] = (char)('0' + y / 10 % 10);
				s[3] = (char)('0' + y % 10);
				s[4] = '-';
				s[5] = (char)('0' + m / 10);
				s[6] = (char)('0' + m % 10);
				s[7] = '-';
				s[8] = (char)('0' + d / 10);
				s[9] = (char)('0' + d % 10);
				CHECK(rta_strfmt_check(RTA_STRFMT_DATE, s, 10) ==
				    want, "%.10s: want %d", s, want);
			}
		}
	}
}
END_TEST

START_TEST(time_cases)
{
	EXPECT_ALL(RTA_STRFMT_TIME, time_good, 1);
	EXPECT_ALL(RTA_STRFMT_TIME, time_bad, 0);
}
END_TEST

static void
put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

/*
 * For every offset -23:59..+23:59 and every local hh:mm, second 60 must
 * be accepted exactly once: where hh:mm is 23:59 plus the offset, i.e.
 * the last minute of a UTC day.  Second 59 is accepted everywhere.  The
 * buffer is exactly the string's size, so ASan also watches the reads.
 */
START_TEST(time_leap_second_all_offsets)
{
	char s[14];	/* hh:mm:ss+hh:mm */
	int off, t, hits, want, r;

	memcpy(s, "00:00:60+00:00", 14);
	for (off = -(23 * 60 + 59); off <= 23 * 60 + 59; off++) {
		s[8] = off < 0 ? '-' : '+';
		put2(s + 9, abs(off) / 60);
		put2(s + 12, abs(off) % 60);
		want = ((23 * 60 + 59 + off) % 1440 + 1440) % 1440;
		hits = 0;
		for (t = 0; t < 1440; t++) {
			put2(s, t / 60);
			put2(s + 3, t % 60);
			s[6] = '6';
			s[7] = '0';
			if ((r = rta_strfmt_check(RTA_STRFMT_TIME, s, 14)) != 0) {
				hits++;
				CHECK(t == want, "%.14s accepted, want "
				    "%02d:%02d", s, want / 60, want % 60);
			}
			s[6] = '5';
			s[7] = '9';
			CHECK(rta_strfmt_check(RTA_STRFMT_TIME, s, 14),
			    "%.14s rejected", s);
		}
		CHECK(hits == 1, "offset %d: %d leap seconds", off, hits);
	}
}
END_TEST

START_TEST(date_time_cases)
{
	EXPECT_ALL(RTA_STRFMT_DATE_TIME, date_time_good, 1);
	EXPECT_ALL(RTA_STRFMT_DATE_TIME, date_time_bad, 0);
}
END_TEST

/* date-time is exactly full-date, "T" or "t", full-time. */
START_TEST(date_time_is_date_and_time)
{
	char buf[96];
	size_t i, j, dl, tl;
	int want;

	for (i = 0; i < NELEM(date_good) + NELEM(date_bad); i++) {
		const char *d = i < NELEM(date_good) ? date_good[i] :
		    date_bad[i - NELEM(date_good)];

		for (j = 0; j < NELEM(time_good) + NELEM(time_bad); j++) {
			const char *t = j < NELEM(time_good) ? time_good[j] :
			    time_bad[j - NELEM(time_good)];

			dl = strlen(d);
			tl = strlen(t);
			ck_assert_uint_lt(dl + 1 + tl, sizeof(buf));
			memcpy(buf, d, dl);
			buf[dl] = (j & 1) ? 't' : 'T';
			memcpy(buf + dl + 1, t, tl);
			want = i < NELEM(date_good) && j < NELEM(time_good);
			/* a bad date may still split right elsewhere */
			if (!want && dl != 10)
				continue;
			expect_n(RTA_STRFMT_DATE_TIME, buf, dl + 1 + tl, want);
		}
	}
}
END_TEST

/* ---- uuid ----------------------------------------------------------- */

START_TEST(uuid_cases)
{
	EXPECT_ALL(RTA_STRFMT_UUID, uuid_good, 1);
	EXPECT_ALL(RTA_STRFMT_UUID, uuid_bad, 0);
}
END_TEST

/* Every byte value at every position of a valid UUID. */
START_TEST(uuid_every_byte)
{
	char s[36];
	int i, c, hex, want;

	memcpy(s, "0123abcd-4567-89ef-ABCD-0123456789ef", 36);
	for (i = 0; i < 36; i++) {
		char keep = s[i];

		for (c = 0; c < 256; c++) {
			s[i] = (char)c;
			hex = (c >= '0' && c <= '9') ||
			    (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
			if (i == 8 || i == 13 || i == 18 || i == 23)
				want = c == '-';
			else
				want = hex;
			CHECK(rta_strfmt_check(RTA_STRFMT_UUID, s, 36) == want,
			    "byte %#x at %d: want %d", c, i, want);
		}
		s[i] = keep;
	}
}
END_TEST

/* ---- email ---------------------------------------------------------- */

START_TEST(email_cases)
{
	EXPECT_ALL(RTA_STRFMT_EMAIL, email_good, 1);
	EXPECT_ALL(RTA_STRFMT_EMAIL, email_bad, 0);
}
END_TEST

/* The domain follows the hostname rules, lengths included. */
START_TEST(email_domain_lengths)
{
	char buf[320], dom[300];

	/* 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253 */
	repeat(dom, 'a', 63, ".");
	repeat(dom + 64, 'b', 63, ".");
	repeat(dom + 128, 'c', 63, ".");
	repeat(dom + 192, 'd', 61, "");
	ck_assert_uint_eq(strlen(dom), 253);
	snprintf(buf, sizeof(buf), "x@%s", dom);
	expect_n(RTA_STRFMT_EMAIL, buf, strlen(buf), 1);
	snprintf(buf, sizeof(buf), "x@%se", dom);
	expect_n(RTA_STRFMT_EMAIL, buf, strlen(buf), 0);
	snprintf(buf, sizeof(buf), "x@%s", repeat(dom, 'l', 63, ".com"));
	expect_n(RTA_STRFMT_EMAIL, buf, strlen(buf), 1);
	snprintf(buf, sizeof(buf), "x@%s", repeat(dom, 'l', 64, ".com"));
	expect_n(RTA_STRFMT_EMAIL, buf, strlen(buf), 0);
	/* a long local part is left to the mail system */
	snprintf(buf, sizeof(buf), "%s@x.org", repeat(dom, 'l', 100, ""));
	expect_n(RTA_STRFMT_EMAIL, buf, strlen(buf), 1);
}
END_TEST

/* Every byte inside a dot-string local part: RFC 5321 atext or a dot. */
START_TEST(email_atom_every_byte)
{
	static const char atext[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~";
	char s[10] = "abc@x.org";
	int c, want;

	for (c = 1; c < 256; c++) {
		s[1] = (char)c;
		want = strchr(atext, c) != NULL || c == '.';
		CHECK(rta_strfmt_check(RTA_STRFMT_EMAIL, s, 9) == want,
		    "byte %#x in an atom: want %d", c, want);
	}
	s[1] = '\0';
	ck_assert_int_eq(rta_strfmt_check(RTA_STRFMT_EMAIL, s, 9), 0);
}
END_TEST

/* Every byte inside a quoted local part: printable ASCII only. */
START_TEST(email_quoted_every_byte)
{
	char s[8] = "\"a\"@x.o";
	char q[9] = "\"\\a\"@x.o";
	int c, want;

	for (c = 0; c < 256; c++) {
		s[1] = (char)c;
		want = c >= 32 && c <= 126 && c != '"' && c != '\\';
		CHECK(rta_strfmt_check(RTA_STRFMT_EMAIL, s, 7) == want,
		    "byte %#x quoted: want %d", c, want);
		q[2] = (char)c;
		want = c >= 32 && c <= 126;
		CHECK(rta_strfmt_check(RTA_STRFMT_EMAIL, q, 8) == want,
		    "byte %#x after a backslash: want %d", c, want);
	}
}
END_TEST

/* ---- ipv4 ----------------------------------------------------------- */

START_TEST(ipv4_cases)
{
	EXPECT_ALL(RTA_STRFMT_IPV4, ipv4_good, 1);
	EXPECT_ALL(RTA_STRFMT_IPV4, ipv4_bad, 0);
}
END_TEST

static int
pton(int af, const char *s, size_t len)
{
	unsigned char out[16];
	char z[64];

	if (len >= sizeof(z) || memchr(s, '\0', len) != NULL)
		return 0;
	memcpy(z, s, len);
	z[len] = '\0';
	return inet_pton(af, z, out) == 1;
}

/* Four parts from a set of octet spellings, against inet_pton(3). */
START_TEST(ipv4_vs_inet_pton)
{
	static const char *const part[] = {
		"0", "00", "01", "000", "1", "9", "10", "99", "100", "199",
		"200", "249", "250", "255", "256", "260", "300", "999",
		"1000", "", "-1", "0x1", " 1", "1 ", "a",
	};
	char s[32];
	size_t i, n = NELEM(part);
	int len, want;

	for (i = 0; i < n * n * n * n; i++) {
		len = snprintf(s, sizeof(s), "%s.%s.%s.%s", part[i % n],
		    part[i / n % n], part[i / n / n % n], part[i / n / n / n]);
		want = pton(AF_INET, s, (size_t)len);
		CHECK(rta_strfmt_check(RTA_STRFMT_IPV4, s, (size_t)len) == want,
		    "'%s': want %d", s, want);
	}
}
END_TEST

/* ---- ipv6 ----------------------------------------------------------- */

START_TEST(ipv6_cases)
{
	EXPECT_ALL(RTA_STRFMT_IPV6, ipv6_good, 1);
	EXPECT_ALL(RTA_STRFMT_IPV6, ipv6_bad, 0);
}
END_TEST

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t
rng(void)
{
	uint64_t x = rng_state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

/* A random address in some text form, possibly compressed or with an
 * IPv4 tail; not always valid (too many groups, 5 digits, ...). */
static size_t
gen_ipv6(char *s, size_t size)
{
	static const char hex[] = "0123456789abcdefABCDEF";
	size_t n = 0, k;
	int groups, gap, tail, g, digits;

	groups = (int)(rng() % 10);
	gap = (int)(rng() % 12) - 2;	/* where "::" goes, if in range */
	tail = rng() % 4 == 0;
	for (g = 0; g < groups && n + 8 < size; g++) {
		if (g == gap)
			s[n++] = ':';
		if (g > 0 || g == gap)
			s[n++] = ':';
		digits = 1 + (int)(rng() % (rng() % 8 == 0 ? 5 : 4));
		for (k = 0; k < (size_t)digits; k++)
			s[n++] = hex[rng() % (sizeof(hex) - 1)];
	}
	if (gap >= groups && gap >= 0 && n + 2 < size) {
		s[n++] = ':';
		s[n++] = ':';
	}
	if (tail && n + 17 < size) {
		if (n > 0 && s[n - 1] != ':')
			s[n++] = ':';
		n += (size_t)snprintf(s + n, size - n, "%d.%d.%d.%d",
		    (int)(rng() % 300), (int)(rng() % 256),
		    (int)(rng() % 256), (int)(rng() % 260));
	}
	return n;
}

/* Random forms and one-character mutations of them, against inet_pton. */
START_TEST(ipv6_vs_inet_pton)
{
	static const char alpha[] = ":.0123456789abcdefgA%/ ";
	char s[64];
	size_t n, pos;
	int i, m, want, valid = 0;

	for (i = 0; i < 200000; i++) {
		n = gen_ipv6(s, 56);
		for (m = 0; m < 3; m++) {
			want = pton(AF_INET6, s, n);
			valid += want;
			if (rta_strfmt_check(RTA_STRFMT_IPV6, s, n) != want)
				ck_abort_msg("'%.*s': want %d", (int)n, s,
				    want);
			/* mutate: replace, insert or delete one byte */
			pos = n > 0 ? rng() % n : 0;
			switch (rng() % 3) {
			case 0:
				if (n > 0)
					s[pos] = alpha[rng() %
					    (sizeof(alpha) - 1)];
				break;
			case 1:
				memmove(s + pos + 1, s + pos, n - pos);
				s[pos] = alpha[rng() % (sizeof(alpha) - 1)];
				n++;
				break;
			default:
				if (n > 0) {
					memmove(s + pos, s + pos + 1,
					    n - pos - 1);
					n--;
				}
			}
		}
	}
	/* the generator must reach both answers often */
	CHECK(valid > 20000 && valid < 500000, "%d valid", valid);
}
END_TEST

/* ---- hostname ------------------------------------------------------- */

START_TEST(hostname_cases)
{
	EXPECT_ALL(RTA_STRFMT_HOSTNAME, hostname_good, 1);
	EXPECT_ALL(RTA_STRFMT_HOSTNAME, hostname_bad, 0);
}
END_TEST

START_TEST(hostname_lengths)
{
	char s[300];
	size_t i;

	/* labels: 63 is the most */
	expect_n(RTA_STRFMT_HOSTNAME, repeat(s, 'a', 63, ""), 63, 1);
	expect_n(RTA_STRFMT_HOSTNAME, repeat(s, 'a', 64, ""), 64, 0);
	expect_n(RTA_STRFMT_HOSTNAME, repeat(s, '1', 63, ".com"), 67, 1);
	expect_n(RTA_STRFMT_HOSTNAME, repeat(s, 'x', 64, ".com"), 68, 0);
	repeat(s, 'a', 2, ".");
	repeat(s + 3, 'b', 63, ".c");
	expect_n(RTA_STRFMT_HOSTNAME, s, strlen(s), 1);
	repeat(s + 3, 'b', 64, ".c");
	expect_n(RTA_STRFMT_HOSTNAME, s, strlen(s), 0);

	/* the whole name: 253 is the most (63 + 1 + 63 + 1 + 63 + 1 + 61) */
	repeat(s, 'a', 63, ".");
	repeat(s + 64, 'b', 63, ".");
	repeat(s + 128, 'c', 63, ".");
	repeat(s + 192, 'd', 61, "");
	expect_n(RTA_STRFMT_HOSTNAME, s, 253, 1);
	repeat(s + 192, 'd', 62, "");
	expect_n(RTA_STRFMT_HOSTNAME, s, 254, 0);
	repeat(s + 192, 'd', 61, ".");
	expect_n(RTA_STRFMT_HOSTNAME, s, 254, 0);	/* a trailing dot */
	/* many one-letter labels: 127 labels make 253 bytes */
	for (i = 0; i < 253; i++)
		s[i] = i % 2 ? '.' : 'z';
	expect_n(RTA_STRFMT_HOSTNAME, s, 253, 1);
	s[253] = '.';
	s[254] = 'z';
	expect_n(RTA_STRFMT_HOSTNAME, s, 255, 0);
}
END_TEST

/* Every byte at the start of a label and inside one. */
START_TEST(hostname_every_byte)
{
	char s[6] = "abc.d";
	int c, ldh, want;

	for (c = 0; c < 256; c++) {
		ldh = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z');
		s[1] = (char)c;
		want = ldh || c == '-' || c == '.';
		CHECK(rta_strfmt_check(RTA_STRFMT_HOSTNAME, s, 5) == want,
		    "byte %#x inside: want %d", c, want);
		s[0] = (char)c;
		s[1] = 'b';
		CHECK(rta_strfmt_check(RTA_STRFMT_HOSTNAME, s, 5) == ldh,
		    "byte %#x first: want %d", c, ldh);
		s[0] = 'a';
	}
}
END_TEST

/* ---- uri ------------------------------------------------------------ */

START_TEST(uri_cases)
{
	EXPECT_ALL(RTA_STRFMT_URI, uri_good, 1);
	EXPECT_ALL(RTA_STRFMT_URI, uri_bad, 0);
}
END_TEST

/*
 * Every byte in each part of "ss://u@h:1/p?q#f", against the RFC 3986
 * character sets written out here as strings.
 */
START_TEST(uri_every_byte)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	static const struct {
		int		 pos;		/* index in the template */
		const char	*allowed;	/* beyond letters */
	} part[] = {
		{ 0, "" },				/* scheme, first */
		{ 1, "0123456789+-." },			/* scheme */
		{ 5, "0123456789-._~!$&'()*+,;=:" },	/* userinfo */
		{ 7, "0123456789-._~!$&'()*+,;=" },	/* reg-name */
		{ 11, "0123456789-._~!$&'()*+,;=:@/" },	/* path */
		{ 13, "0123456789-._~!$&'()*+,;=:@/?" },	/* query */
		{ 15, "0123456789-._~!$&'()*+,;=:@/?" },	/* fragment */
	};
	char s[16];
	size_t i;
	int c, want;

	for (i = 0; i < NELEM(part); i++) {
		for (c = 1; c < 256; c++) {
			memcpy(s, "ss://u@h:1/p?q#f", 16);
			s[part[i].pos] = (char)c;
			want = strchr(letters, c) != NULL ||
			    strchr(part[i].allowed, c) != NULL;
			/* a delimiter ends its part and may start another
			 * that still parses: left to the case lists */
			if (!want && strchr(":/?#@[]", c) != NULL)
				continue;
			CHECK(rta_strfmt_check(RTA_STRFMT_URI, s, 16) == want,
			    "byte %#x at %d of '%.16s': want %d", c,
			    part[i].pos, s, want);
		}
	}
	/* the port: digits only */
	for (c = 1; c < 256; c++) {
		memcpy(s, "ss://u@h:1/p?q#f", 16);
		s[9] = (char)c;
		want = c >= '0' && c <= '9';
		if (!want && strchr(":/?#", c) != NULL)
			continue;
		CHECK(rta_strfmt_check(RTA_STRFMT_URI, s, 16) == want,
		    "port byte %#x: want %d", c, want);
	}
}
END_TEST

/* "%" followed by every pair of bytes, in a path. */
START_TEST(uri_percent_every_pair)
{
	char s[9] = "s:/%00/x";
	int a, b, want;

	for (a = 0; a < 256; a++) {
		for (b = 0; b < 256; b++) {
			s[4] = (char)a;
			s[5] = (char)b;
			want = strchr("0123456789abcdefABCDEF", a) != NULL &&
			    strchr("0123456789abcdefABCDEF", b) != NULL &&
			    a != 0 && b != 0;
			CHECK(rta_strfmt_check(RTA_STRFMT_URI, s, 8) == want,
			    "%%%02x%02x: want %d", a, b, want);
		}
	}
}
END_TEST

/* ---- reading within bounds ------------------------------------------ */

/*
 * Every prefix of every case, each from its own exactly-sized block: the
 * checkers must stop at len wherever it falls.  A prefix of a valid
 * string is often valid too, so only the whole one is asserted.
 */
START_TEST(every_prefix)
{
	const struct fmt_cases *fc;
	size_t i, k, len;
	int f;

	for (f = 0; f < RTA_STRFMT_COUNT; f++) {
		fc = &all_cases[f];
		ck_assert_int_eq(fc->f, f);
		for (i = 0; i < fc->ngood + fc->nbad; i++) {
			const char *s = i < fc->ngood ? fc->good[i] :
			    fc->bad[i - fc->ngood];

			len = strlen(s);
			for (k = 0; k < len; k++)
				(void)check_exact(fc->f, s, k);
			expect_n(fc->f, s, len, i < fc->ngood);
		}
	}
}
END_TEST

/*
 * The bytes after len must not matter: each case is followed in memory
 * by text that would change the answer if it were read.
 */
START_TEST(bytes_after_len_ignored)
{
	static const char *const tails[] = {
		"", "0", "Z", ".", ":", "1", "a", "-", "@x", "\"", "]",
		"/x", "%", "%4", "00:00", "\n", "\xc3\xa9",
	};
	const struct fmt_cases *fc;
	char buf[512];
	size_t i, t, len;
	int f, want;

	for (f = 0; f < RTA_STRFMT_COUNT; f++) {
		fc = &all_cases[f];
		for (i = 0; i < fc->ngood + fc->nbad; i++) {
			const char *s = i < fc->ngood ? fc->good[i] :
			    fc->bad[i - fc->ngood];

			len = strlen(s);
			want = i < fc->ngood;
			for (t = 0; t < NELEM(tails); t++) {
				snprintf(buf, sizeof(buf), "%s%s", s,
				    tails[t]);
				CHECK(rta_strfmt_check(fc->f, buf, len) ==
				    want, "%s: '%s' + '%s': want %d",
				    rta_strfmt_name(fc->f), s, tails[t],
				    want);
			}
		}
	}
}
END_TEST

/*
 * No format takes a byte outside printable ASCII (a quoted email local
 * part takes the space, nothing below it), so one inserted anywhere in
 * a valid string, or replacing any of its bytes, must make it invalid.
 */
START_TEST(non_ascii_and_controls_rejected)
{
	static const unsigned char odd[] = {
		0x00, 0x01, 0x09, 0x0a, 0x0d, 0x1f, 0x7f, 0x80, 0xa0, 0xc3,
		0xe0, 0xff,
	};
	const struct fmt_cases *fc;
	char buf[512];
	size_t i, pos, o, len;
	int f;

	for (f = 0; f < RTA_STRFMT_COUNT; f++) {
		fc = &all_cases[f];
		for (i = 0; i < fc->ngood; i++) {
			len = strlen(fc->good[i]);
			for (pos = 0; pos <= len; pos++) {
				for (o = 0; o < NELEM(odd); o++) {
					memcpy(buf, fc->good[i], pos);
					buf[pos] = (char)odd[o];
					memcpy(buf + pos + 1, fc->good[i] + pos,
					    len - pos);
					CHECK(!check_exact(fc->f, buf, len + 1),
					    "%s: byte %#x inserted at %zu of "
					    "'%s'", rta_strfmt_name(fc->f),
					    odd[o], pos, fc->good[i]);
					if (pos == len)
						continue;
					memcpy(buf, fc->good[i], len);
					buf[pos] = (char)odd[o];
					CHECK(!check_exact(fc->f, buf, len),
					    "%s: byte %#x replacing %zu of "
					    "'%s'", rta_strfmt_name(fc->f),
					    odd[o], pos, fc->good[i]);
				}
			}
		}
	}
}
END_TEST

/* Random bytes from each format's own alphabet: no crash, no over-read. */
START_TEST(random_strings)
{
	static const char *const alpha[RTA_STRFMT_COUNT] = {
		"0123456789-:.TtZz+", "0123456789-", "0123456789:.Zz+-",
		"0123456789abcdefABCDEF-", "aZ09.@\"\\[]:-_ IPv6",
		"0123456789.", "0123456789abcdef:.", "abz09-.",
		"aZ09:/?#[]@%-._~!$&'()*+,;=",
	};
	char s[48];
	size_t n, k, na;
	int f, i, hits[RTA_STRFMT_COUNT] = { 0 };

	for (f = 0; f < RTA_STRFMT_COUNT; f++) {
		na = strlen(alpha[f]);
		for (i = 0; i < 20000; i++) {
			n = rng() % sizeof(s);
			for (k = 0; k < n; k++)
				s[k] = alpha[f][rng() % na];
			hits[f] += check_exact((enum rta_strfmt)f, s, n);
		}
	}
	/* hostnames and URIs come out right by chance now and then */
	CHECK(hits[RTA_STRFMT_HOSTNAME] > 0 && hits[RTA_STRFMT_URI] > 0,
	    "hostname %d, uri %d", hits[RTA_STRFMT_HOSTNAME], hits[RTA_STRFMT_URI]);
}
END_TEST

static Suite *
strfmt_suite(void)
{
	Suite *s = suite_create("rta_strfmt");
	TCase *tc;

	tc = tcase_create("names");
	tcase_add_test(tc, lookup_names);
	tcase_add_test(tc, check_unknown_format);
	suite_add_tcase(s, tc);

	tc = tcase_create("date");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, date_cases);
	tcase_add_test(tc, date_vs_timegm);
	suite_add_tcase(s, tc);

	tc = tcase_create("time");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, time_cases);
	tcase_add_test(tc, time_leap_second_all_offsets);
	suite_add_tcase(s, tc);

	tc = tcase_create("date_time");
	tcase_add_test(tc, date_time_cases);
	tcase_add_test(tc, date_time_is_date_and_time);
	suite_add_tcase(s, tc);

	tc = tcase_create("uuid");
	tcase_add_test(tc, uuid_cases);
	tcase_add_test(tc, uuid_every_byte);
	suite_add_tcase(s, tc);

	tc = tcase_create("email");
	tcase_add_test(tc, email_cases);
	tcase_add_test(tc, email_domain_lengths);
	tcase_add_test(tc, email_atom_every_byte);
	tcase_add_test(tc, email_quoted_every_byte);
	suite_add_tcase(s, tc);

	tc = tcase_create("ipv4");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, ipv4_cases);
	tcase_add_test(tc, ipv4_vs_inet_pton);
	suite_add_tcase(s, tc);

	tc = tcase_create("ipv6");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, ipv6_cases);
	tcase_add_test(tc, ipv6_vs_inet_pton);
	suite_add_tcase(s, tc);

	tc = tcase_create("hostname");
	tcase_add_test(tc, hostname_cases);
	tcase_add_test(tc, hostname_lengths);
	tcase_add_test(tc, hostname_every_byte);
	suite_add_tcase(s, tc);

	tc = tcase_create("uri");
	tcase_add_test(tc, uri_cases);
	tcase_add_test(tc, uri_every_byte);
	tcase_add_test(tc, uri_percent_every_pair);
	suite_add_tcase(s, tc);

	tc = tcase_create("bounds");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, every_prefix);
	tcase_add_test(tc, bytes_after_len_ignored);
	tcase_add_test(tc, non_ascii_and_controls_rejected);
	tcase_add_test(tc, random_strings);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr;
	int failed;

	sr = srunner_create(strfmt_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
