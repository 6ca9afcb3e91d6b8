/* Unit tests for ternd's options as Kea 2.2 has them: the standard table,
 * option-data values per type (CSV and hex), option-def, encapsulation and
 * the lists the loader builds. Expected bytes are what kea-dhcp4 2.2 sends
 * (tests/integ/kea_diff checks the same against the real thing). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "common/optdefs.h"
#include "server/config/config.h"
#include "server/config/options.h"

/* ---- the table --------------------------------------------------------- */

struct row {
	const char *name;
	uint8_t code;
	enum tern_opt_type type;
	bool array;
	uint8_t n_fields;
};

/* Spot checks against Kea-2.2.0 src/lib/dhcp/std_option_defs.h. */
static const struct row kea22[] = {
	{"subnet-mask", 1, TERN_OT_IPV4, false, 0},
	{"time-offset", 2, TERN_OT_I32, false, 0},
	{"routers", 3, TERN_OT_IPV4, true, 0},
	{"host-name", 12, TERN_OT_STRING, false, 0},
	{"domain-name", 15, TERN_OT_STRING, false, 0},
	{"ip-forwarding", 19, TERN_OT_BOOL, false, 0},
	{"policy-filter", 21, TERN_OT_IPV4, true, 0},
	{"default-ip-ttl", 23, TERN_OT_U8, false, 0},
	{"path-mtu-plateau-table", 25, TERN_OT_U16, true, 0},
	{"static-routes", 33, TERN_OT_IPV4, true, 0},
	{"netbios-node-type", 46, TERN_OT_U8, false, 0},
	{"dhcp-requested-address", 50, TERN_OT_IPV4, false, 0},
	{"dhcp-lease-time", 51, TERN_OT_U32, false, 0},
	{"dhcp-parameter-request-list", 55, TERN_OT_U8, true, 0},
	{"dhcp-client-identifier", 61, TERN_OT_BINARY, false, 0},
	{"user-class", 77, TERN_OT_BINARY, false, 0},
	{"slp-directory-agent", 78, TERN_OT_RECORD, true, 2},
	{"slp-service-scope", 79, TERN_OT_RECORD, false, 2},
	{"fqdn", 81, TERN_OT_RECORD, false, 4},
	{"dhcp-agent-options", 82, TERN_OT_EMPTY, false, 0},
	{"bcms-controller-names", 88, TERN_OT_FQDN, true, 0},
	{"authenticate", 90, TERN_OT_BINARY, false, 0},
	{"client-system", 93, TERN_OT_U16, true, 0},
	{"client-ndi", 94, TERN_OT_RECORD, false, 3},
	{"uuid-guid", 97, TERN_OT_RECORD, false, 2},
	{"uap-servers", 98, TERN_OT_STRING, false, 0},
	{"v6-only-preferred", 108, TERN_OT_U32, false, 0},
	{"v4-captive-portal", 114, TERN_OT_STRING, false, 0},
	{"domain-search", 119, TERN_OT_FQDN, true, 0},
	{"vivco-suboptions", 124, TERN_OT_RECORD, false, 2},
	{"vivso-suboptions", 125, TERN_OT_U32, false, 0},
	{"v4-lost", 137, TERN_OT_FQDN, false, 0},
	{"sip-ua-cs-domains", 141, TERN_OT_FQDN, true, 0},
	{"rdnss-selection", 146, TERN_OT_RECORD, true, 4},
	{"v4-portparams", 159, TERN_OT_RECORD, false, 2},
	{"option-6rd", 212, TERN_OT_RECORD, true, 4},
	{"v4-access-domain", 213, TERN_OT_FQDN, false, 0},
};

static void test_table(void **state)
{
	const struct tern_optdef *d;
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(kea22) / sizeof(kea22[0]); i++) {
		const struct row *r = &kea22[i];

		d = tern_optdef_std(TERN_SPACE_DHCP4, r->code);
		assert_non_null(d);
		assert_string_equal(d->name, r->name);
		assert_int_equal(d->type, r->type);
		assert_int_equal(d->array, r->array);
		assert_int_equal(d->n_fields, r->n_fields);
		assert_ptr_equal(
			tern_optdef_std_name(TERN_SPACE_DHCP4, r->name), d);
	}
	/* sorted, unique, all in dhcp4 */
	for (; tern_optdef_std_at(n); n++) {
		d = tern_optdef_std_at(n);
		assert_string_equal(d->space, TERN_SPACE_DHCP4);
		if (n)
			assert_true(tern_optdef_std_at(n - 1)->code < d->code);
	}
	assert_int_equal(n, 113); /* as Kea 2.2's table */
	/* records' fields */
	d = tern_optdef_std(TERN_SPACE_DHCP4, 159);
	assert_int_equal(d->fields[0], TERN_OT_U8);
	assert_int_equal(d->fields[1], TERN_OT_PSID);
	d = tern_optdef_std(TERN_SPACE_DHCP4, 212);
	assert_int_equal(d->fields[2], TERN_OT_IPV6);
	assert_int_equal(d->fields[3], TERN_OT_IPV4);
	assert_string_equal(tern_optdef_std(TERN_SPACE_DHCP4, 82)->encapsulate,
			    TERN_SPACE_AGENT);
	/* 2.2's gaps: no 43 (deferred), no 121, 150, 252; 114's new name */
	assert_null(tern_optdef_std(TERN_SPACE_DHCP4, 43));
	assert_null(tern_optdef_std(TERN_SPACE_DHCP4, 121));
	assert_null(tern_optdef_std(TERN_SPACE_DHCP4, 150));
	assert_null(tern_optdef_std(TERN_SPACE_DHCP4, 252));
	assert_null(tern_optdef_std_name(TERN_SPACE_DHCP4, "default-url"));
	d = tern_optdef_last_resort(43);
	assert_string_equal(d->name, "vendor-encapsulated-options");
	assert_int_equal(d->type, TERN_OT_EMPTY);
	assert_string_equal(d->encapsulate, TERN_SPACE_VENDOR_ENCAP);
	assert_ptr_equal(tern_optdef_by_code(43), d);
	/* DOCSIS 3: its space and vendor 4491 */
	d = tern_optdef_std(TERN_SPACE_DOCSIS3, 1);
	assert_string_equal(d->name, "oro");
	assert_int_equal(d->type, TERN_OT_U8);
	assert_true(d->array);
	assert_ptr_equal(tern_optdef_vendor(4491, 2),
			 tern_optdef_std(TERN_SPACE_DOCSIS3, 2));
	assert_null(tern_optdef_vendor(339, 2));
	assert_null(tern_optdef_std("vendor-4491", 1));
	/* types and spaces */
	assert_int_equal(tern_opt_type_of("ipv6-prefix"), TERN_OT_IPV6_PREFIX);
	assert_int_equal(tern_opt_type_of("uint64"), -1);
	assert_string_equal(tern_opt_type_name(TERN_OT_PSID), "psid");
	assert_int_equal(tern_space_vendor_id("vendor-4491"), 4491);
	assert_int_equal(tern_space_vendor_id("vendor-0"), 0);
	assert_int_equal(tern_space_vendor_id("vendor-4294967296"), 0);
	assert_int_equal(tern_space_vendor_id("vendor-x"), 0);
	assert_int_equal(tern_space_vendor_id("docsis3-v4"), 0);
	assert_true(tern_space_name_ok("my-fancy_space2"));
	assert_true(tern_space_name_ok("339"));
	assert_false(tern_space_name_ok("-x"));
	assert_false(tern_space_name_ok("x_"));
	assert_false(tern_space_name_ok("a b"));
	assert_false(tern_space_name_ok(""));
}

/* ---- values ---------------------------------------------------------------
 */

static const struct tern_optdef *def_of(const char *name)
{
	const struct tern_optdef *d =
		ternd_def_find_name(NULL, TERN_SPACE_DHCP4, name);

	assert_non_null(d);
	return d;
}

static struct ternd_optval val;

/* The wire value of name's data, or the negative error. */
static int enc_def(const struct tern_optdef *d, const char *data, bool csv,
		   uint8_t *out, size_t cap)
{
	int rc = ternd_optval_from_text(NULL, d, data, csv, &val);

	if (rc < 0)
		return rc;
	return ternd_optval_wire(&val, out, cap);
}

#define ENC_DEF(d, data, csv, bytes)                                 \
	do {                                                         \
		uint8_t out_[2048];                                  \
		int n_ = enc_def(d, data, csv, out_, sizeof(out_));  \
		if (n_ < 0)                                          \
			print_error("%s: %s\n", data, val.why);      \
		assert_int_equal(n_, sizeof(bytes) - 1);             \
		assert_memory_equal(out_, bytes, sizeof(bytes) - 1); \
	} while (0)
#define ENC(name, data, csv, bytes) ENC_DEF(def_of(name), data, csv, bytes)
#define BAD_DEF(d, data, csv, msg)                                          \
	do {                                                                \
		uint8_t out_[2048];                                         \
		assert_int_equal(enc_def(d, data, csv, out_, sizeof(out_)), \
				 -EINVAL);                                  \
		if (!strstr(val.why, msg))                                  \
			fail_msg("%s: \"%s\" lacks \"%s\"", data, val.why,  \
				 msg);                                      \
	} while (0)
#define BAD(name, data, csv, msg) BAD_DEF(def_of(name), data, csv, msg)

/* Kea's integers: decimal, else hexadecimal; first token only. */
static void test_integers(void **state)
{
	(void)state;
	ENC("default-ip-ttl", "64", true, "\x40");
	ENC("default-ip-ttl", "0xf0", true, "\xf0");
	ENC("default-ip-ttl", "f0", true, "\xf0"); /* bare hex! */
	ENC("default-ip-ttl", "0X1", true, "\x01");
	ENC("default-ip-ttl", "+5", true, "\x05");
	ENC("default-ip-ttl", "64, 65", true, "\x40");
	ENC("default-ip-ttl", " 7 ,", true, "\x07");
	BAD("default-ip-ttl", "256", true, "range of 0..255");
	BAD("default-ip-ttl", "-1", true, "range of 0..255");
	BAD("default-ip-ttl", "0x", true, "to integer data type");
	BAD("default-ip-ttl", "1g", true, "to integer data type");
	BAD("default-ip-ttl", "", true, "no option value specified");
	BAD("default-ip-ttl", " , 5", true, "to integer data type");
	ENC("time-offset", "-25200", true, "\xff\xff\x9d\x90");
	ENC("time-offset", "-0x10", true, "\xff\xff\xff\xf0");
	BAD("time-offset", "2147483648", true, "-2147483648..2147483647");
	ENC("interface-mtu", "1500", true, "\x05\xdc");
	ENC("arp-cache-timeout", "4294967295", true, "\xff\xff\xff\xff");
	BAD("arp-cache-timeout", "4294967296", true, "range");
	BAD("arp-cache-timeout", "99999999999999999999", true, "integer");
	ENC("path-mtu-plateau-table", "68, 0x128", true, "\x00\x44\x01\x28");
	/* arrays: every token; an empty one (", ,") is an error */
	BAD("path-mtu-plateau-table", "68, ", true, "integer data type");
	ENC("path-mtu-plateau-table", "68,,296", true, "\x00\x44\x01\x28");
	BAD("path-mtu-plateau-table", "", true, "option 25 empty");
}

static void test_booleans_strings(void **state)
{
	(void)state;
	ENC("ip-forwarding", "true", true, "\x01");
	ENC("ip-forwarding", "TRUE", true, "\x01");
	ENC("ip-forwarding", "False", true, "\x00");
	ENC("ip-forwarding", "1", true, "\x01");
	ENC("ip-forwarding", "01", true, "\x01");
	BAD("ip-forwarding", "yes", true, "boolean");
	BAD("ip-forwarding", "2", true, "boolean");
	/* strings: the first token, trimmed; \, keeps a comma */
	ENC("domain-name", "a,b", true, "a");
	ENC("domain-name", "  .netw0rk ", true, ".netw0rk");
	ENC("boot-file-name", "EST5EDT4\\,M3.2.0/02:00\\,M11.1.0/02:00", true,
	    "EST5EDT4,M3.2.0/02:00,M11.1.0/02:00");
	ENC("domain-name", "a\\b", true, "a\\b");
	ENC("domain-name", "a\\\\,b", true, "a\\"); /* "\\" is one \\ */
	BAD("domain-name", "", true, "no option value specified");
	BAD("domain-name", " ,x", true, "empty or contained only nuls");
	/* string from hex: trailing NULs go, only NULs is an error */
	ENC("domain-name", "61620000", false, "ab");
	BAD("domain-name", "0000", false, "only nuls");
}

static void test_addresses_names(void **state)
{
	(void)state;
	ENC("routers", "10.0.0.1,10.0.0.2", true,
	    "\x0a\x00\x00\x01\x0a\x00\x00\x02");
	ENC("routers", "10.0.0.1,", true, "\x0a\x00\x00\x01");
	ENC("routers", "", true, ""); /* an empty list is an option */
	BAD("routers", "10.0.0.1, ", true, "Failed to convert");
	BAD("routers", "10.0.0.300", true, "Failed to convert");
	BAD("routers", "010.0.0.1", true, "Failed to convert");
	/* an IPv6 literal is 16 bytes: four addresses in a list, the
	 * first four bytes in a single address */
	ENC("routers", "::ffff:192.0.2.1", true,
	    "\0\0\0\0\0\0\0\0\0\0\xff\xff\xc0\x00\x02\x01");
	ENC("swap-server", "::ffff:192.0.2.1", true, "\0\0\0\0");
	ENC("subnet-mask", "255.255.254.0, 1.1.1.1", true, "\xff\xff\xfe\x00");
	/* fqdn: RFC 1035 labels, case kept, lists */
	ENC("domain-search", "Example.com., a.b", true,
	    "\x07"
	    "Example\x03"
	    "com\x00\x01"
	    "a\x01"
	    "b\x00");
	ENC("domain-search", ".", true, "\x00");
	BAD("domain-search", "bad..name", true, "empty label");
	BAD("domain-search", "", true, "invalid length of 0");
	BAD("v4-lost", ".", true, "truncated"); /* Kea: text "." + 1 > 1 */
	BAD("v4-lost", "a\\.b.com", true, "truncated"); /* escape counted */
	BAD("v4-lost",
	    "a234567890123456789012345678901234567890123456789012345678901234"
	    ".com",
	    true, "too long label");
	ENC("v4-lost", "a\\065.b", true,
	    "\x02"
	    "aA\x01"
	    "b\x00");
}

static void test_binary_and_hex(void **state)
{
	(void)state;
	/* binary in CSV: hex digits, blanks allowed, no ':' nor 0x */
	ENC("user-class", "1A BB ad", true, "\x1a\xbb\xad");
	BAD("user-class", "1a:bb", true, "binary");
	BAD("user-class", "0x1a", true, "binary");
	BAD("user-class", "1ab", true, "binary");
	/* csv-format false: 'text', colons, single blanks, 0x, odd */
	ENC("user-class", "'hello '", false, "hello");
	ENC("user-class", "a:0:ff", false, "\x0a\x00\xff");
	ENC("user-class", "0a 00 ff", false, "\x0a\x00\xff");
	ENC("user-class", "0xa0b", false, "\x0a\x0b");
	ENC("user-class", "a0b", false, "\x0a\x0b");
	ENC("user-class", "0a\t\t0b", false, "\x0a\x0b");
	ENC("user-class", "", false, "");
	BAD("user-class", "''", false, "hexadecimal");
	BAD("user-class", " 0a0b", false, "hexadecimal");
	BAD("user-class", "0a  0b", false, "hexadecimal");
	BAD("user-class", "0X0a", false, "hexadecimal");
	BAD("user-class", "0a:0b:", false, "hexadecimal");
	BAD("user-class", "123:4", false, "hexadecimal");
	/* then through the option's class: lengths checked */
	ENC("broadcast-address", "ffff8000", false, "\xff\xff\x80\x00");
	BAD("routers", "0102030405", false, "divisible by 4");
	BAD("path-mtu-plateau-table", "010203", false, "truncated");
	/* an integer's extra bytes are sub-options (truncated ones go) */
	ENC("default-ip-ttl", "40010100ff", false, "\x40\x01\x01\x00");
	ENC("default-ip-ttl", "40050302", false, "\x40");
	/* a single address keeps 4 bytes, the rest is not packed */
	ENC("broadcast-address", "0102030405", false, "\x01\x02\x03\x04");
	/* no definition: the bytes as given; CSV needs a definition */
	{
		uint8_t out[8];

		assert_int_equal(
			ternd_optval_from_text(NULL, NULL, "0102", false, &val),
			0);
		assert_int_equal(ternd_optval_wire(&val, out, sizeof(out)), 2);
	}
	/* hex forms as ternd's identifiers take them */
	{
		uint8_t out[4];

		assert_int_equal(ternd_hex_decode(" 01:02 ", out, 4), 2);
		assert_int_equal(ternd_hex_decode("0x102", out, 4), 2);
		assert_int_equal(out[0], 1);
		assert_int_equal(ternd_hex_decode("0g", out, 4), -EINVAL);
		assert_int_equal(ternd_hex_decode("01020304ff", out, 4),
				 -ENOBUFS);
	}
}

static void test_records(void **state)
{
	static const uint8_t f_lengthy[] = {TERN_OT_IPV4, TERN_OT_PSID,
					    TERN_OT_TUPLE, TERN_OT_FQDN,
					    TERN_OT_STRING};
	static const uint8_t f_pairs[] = {TERN_OT_U8, TERN_OT_I16};
	const struct tern_optdef lengthy = {
		"lengthy", "s", NULL, f_lengthy, 5, 1, TERN_OT_RECORD, false};
	const struct tern_optdef pairs = {"pairs", "s", NULL,		f_pairs,
					  2,	   2,	TERN_OT_RECORD, true};
	const struct tern_optdef prefix = {
		"p", "s", NULL, NULL, 0, 3, TERN_OT_IPV6_PREFIX, false};
	const struct tern_optdef tuples = {"t", "s", NULL,	    NULL,
					   0,	4,   TERN_OT_TUPLE, true};
	const struct tern_optdef flags = {"f", "s", NULL,	  NULL,
					  0,   5,   TERN_OT_BOOL, true};

	(void)state;
	ENC("slp-directory-agent", "true, 192.0.2.59, 192.0.2.60", true,
	    "\x01\xc0\x00\x02\x3b\xc0\x00\x02\x3c");
	ENC("v4-portparams", "2, 3/4", true, "\x02\x04\x30\x00");
	ENC("v4-portparams", "2, 5/0", true, "\x02\x00\x00\x00");
	BAD("v4-portparams", "2, 16/4", true, "invalid PSID value 16");
	BAD("v4-portparams", "2, 1/17", true, "PSID length value 17");
	BAD("v4-portparams", "2", true, "greater than number of values");
	ENC("option-6rd", "0, 64, 2001:db8::, 192.0.2.1, 192.0.2.2", true,
	    "\x00\x40\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\0"
	    "\xc0\x00\x02\x01\xc0\x00\x02\x02");
	BAD("option-6rd", "0, 64, 192.0.2.9, 192.0.2.1", true, "truncated");
	ENC("vivco-suboptions", "4491, 03 01 02 03", true,
	    "\x00\x00\x11\x8b\x03\x01\x02\x03");
	BAD("vivco-suboptions", "4491, 0f BA AD", true, "tuple");
	ENC("slp-service-scope", "true, a, b", true,
	    "\x01"
	    "a");
	BAD("slp-service-scope", "2", false, "Invalid value 2");
	/* all-options.json's record, and an array record whose extra
	 * values repeat the last field */
	ENC_DEF(&lengthy, "192.0.2.74, 3/4, 1, example.org, string", true,
		"\xc0\x00\x02\x4a\x04\x30\x00\x01"
		"1\x07"
		"example\x03"
		"org\x00"
		"string");
	ENC_DEF(&pairs, "1, -2, 3, 4", true, "\x01\xff\xfe\x00\x03\x00\x04");
	ENC_DEF(&prefix, "2001:db8:ffff::/33", true,
		"\x21\x20\x01\x0d\xb8\x80");
	ENC_DEF(&prefix, "2001:db8::/0x40", true,
		"\x40\x20\x01\x0d\xb8\0\0\0\0");
	BAD_DEF(&prefix, "10.0.0.0/8", true, "not a valid");
	BAD_DEF(&prefix, "2001:db8::/129", true, "prefix 129");
	ENC_DEF(&tuples, "a, bc", true,
		"\x01"
		"a\x02"
		"bc");
	BAD_DEF(&tuples, "", true, "truncated");
	ENC_DEF(&flags, "TRUE, 0", true, "\x01\x00");
	BAD_DEF(&flags, "", true, "truncated");
}

/* Options 43, 124, 125 and spaces, through the definition lookup. */
static void test_special(void **state)
{
	const struct tern_optdef *d43 = ternd_def_find(NULL, "dhcp4", 43);
	const struct tern_optdef *d121 = ternd_def_find(NULL, "dhcp4", 121);
	const struct tern_optdef *d125 = def_of("vivso-suboptions");

	(void)state;
	assert_ptr_equal(d43, tern_optdef_last_resort(43));
	/* 43 with CSV data fails (type empty); hex is sub-options */
	BAD_DEF(d43, "0104c0a80101", true, "invalid option data field type");
	ENC_DEF(d43, "", true, "");
	ENC_DEF(d43, "0302aabb0104c0a80101", false,
		"\x01\x04\xc0\xa8\x01\x01\x03\x02\xaa\xbb");
	ENC_DEF(d43, "deadbeef", false, ""); /* a truncated TLV ends it */
	assert_true(val.encap);
	/* 125: enterprise, data-len, sub-options by the vendor's defs */
	ENC_DEF(d125, "4491", true, "\x00\x00\x11\x8b\x00");
	ENC_DEF(d125, "0000118b0602040a0b0c0d", false,
		"\x00\x00\x11\x8b\x06\x02\x04\x0a\x0b\x0c\x0d");
	BAD_DEF(d125, "000011", false, "Truncated vendor");
	BAD_DEF(d125, "0000118b0502", false, "truncated vendor option");
	BAD_DEF(d125, "0000118b05020301020304", false, "invalid length");
	BAD_DEF(d125, "0000118b030203010203", false, "Option parse failed");
	/* 121: newer Kea's routes where nothing defines it; hex as is */
	assert_ptr_equal(d121, &ternd_def_classless_routes);
	ENC_DEF(d121, "192.168.1.128/25 - 10.0.0.1, 0.0.0.0/0 - 10.0.0.2", true,
		"\x19\xc0\xa8\x01\x80\x0a\x00\x00\x01\x00\x0a\x00\x00\x02");
	BAD_DEF(d121, "10.0.0.1/8 - 10.0.0.1", true, "host bits");
	BAD_DEF(d121, "10.0.0.0/33 - 10.0.0.1", true, "prefix length");
	ENC_DEF(d121, "ff", false, "\xff");
	/* vendor and docsis spaces */
	assert_ptr_equal(ternd_def_find(NULL, "vendor-4491", 2),
			 tern_optdef_vendor(4491, 2));
	assert_ptr_equal(ternd_def_find_name(NULL, "docsis3-v4", "oro"),
			 tern_optdef_std("docsis3-v4", 1));
	assert_null(ternd_def_find(NULL, "vendor-339", 2));
	assert_null(ternd_def_find(NULL, "foo", 1));
	assert_null(ternd_def_find(NULL, "dhcp4", 252));
}

/* ---- lists, as the loader builds them -------------------------------------
 */

#define DHCP4(body) "{\"Dhcp4\": {\n" body "\n}}\n"

static struct ternd_diags diags;

static struct ternd_config *load_ok(const char *text)
{
	struct ternd_config *cfg = NULL;

	memset(&diags, 0, sizeof(diags));
	if (ternd_config_load_buf(text, strlen(text), &cfg, &diags) != 0) {
		ternd_diags_print(stderr, "test", &diags);
		fail_msg("config does not load");
	}
	return cfg;
}

static void expect_error(const char *text, unsigned line, unsigned col,
			 const char *what)
{
	struct ternd_config *cfg = NULL;
	int rc;

	memset(&diags, 0, sizeof(diags));
	rc = ternd_config_load_buf(text, strlen(text), &cfg, &diags);
	assert_null(cfg);
	for (size_t i = 0; rc == -EBADMSG && i < diags.n; i++)
		if (diags.v[i].line == line && diags.v[i].col == col &&
		    strstr(diags.v[i].msg, what))
			return;
	ternd_diags_print(stderr, "test", &diags);
	fail_msg("wanted %u:%u \"%s\" (rc %d)", line, col, what, rc);
}

static void assert_opt(const struct ternd_option *o, const char *data,
		       size_t len)
{
	assert_non_null(o);
	assert_int_equal(o->len, len);
	assert_memory_equal(o->data, data, len);
}

static void test_option_data_errors(void **state)
{
	(void)state;
	expect_error(
		DHCP4("\"option-data\": [{\"name\": \"routers\", \"data\": "
		      "\"10.0.0.300\"}]"),
		2, 45,
		"option data does not match option definition (space: "
		"dhcp4, code: 3): Failed to convert string to address "
		"'10.0.0.300'");
	expect_error(DHCP4("\"option-data\": [{\"name\": \"no-such\", "
			   "\"data\": \"1\"}]"),
		     2, 26,
		     "definition for the option 'dhcp4.no-such' having code "
		     "'' does not exist");
	expect_error(DHCP4("\"option-data\": [{\"code\": 222, \"data\": "
			   "\"0102\"}]"),
		     2, 26,
		     "definition for the option 'dhcp4.' having code "
		     "'222' does not exist");
	expect_error(DHCP4("\"option-data\": [{\"name\": \"foo\", "
			   "\"csv-format\": false, \"data\": \"01\"}]"),
		     2, 26, "definition for the option 'dhcp4.foo' does not");
	expect_error(
		DHCP4("\"option-data\": [{\"name\": \"routers\", \"code\": "
		      "4, \"data\": \"10.0.0.1\"}]"),
		2, 26,
		"specified option name 'routers' does not match the option "
		"definition: 'dhcp4.time-servers'");
	expect_error(DHCP4("\"option-data\": [{\"code\": 300, \"data\": "
			   "\"10\"}]"),
		     2, 26, "invalid option code '300'");
	expect_error(DHCP4("\"option-data\": [{\"code\": 0, \"csv-format\": "
			   "false, \"data\": \"10\"}]"),
		     2, 17, "invalid option code '0': reserved for PAD");
	expect_error(DHCP4("\"option-data\": [{\"data\": \"1\"}]"), 2, 17,
		     "requires one of 'code' or 'name'");
	expect_error(DHCP4("\"option-data\": [{\"name\": \"rou ters\"}]"), 2,
		     26, "space character is not allowed");
	expect_error(DHCP4("\"option-data\": [{\"name\": \"routers\", "
			   "\"space\": \"dhcp6\"}]"),
		     2, 46, "reserved for DHCPv6 server");
	expect_error(DHCP4("\"option-data\": [{\"name\": \"routers\", "
			   "\"space\": \"-x\"}]"),
		     2, 46, "invalid option space name '-x'");
	expect_error(DHCP4("\"option-data\": [{\"name\": \"interface-mtu\", "
			   "\"data\": \"70000\"}]"),
		     2, 51, "range of 0..65535");
	expect_error(DHCP4("\"option-data\": [{\"name\": \"routers\", "
			   "\"csv-format\": false, \"data\": \"0g\"}]"),
		     2, 66, "not a valid string of hexadecimal digits: 0g");
	expect_error(DHCP4("\"option-data\": [{\"code\": 2, \"space\": "
			   "\"vendor-339\", \"data\": \"1\"}]"),
		     2, 26, "'vendor-339.' having code '2'");
	/* errors in pools and reservations, with their positions */
	expect_error(DHCP4("\"subnet4\": [{\"id\": 1, \"subnet\": "
			   "\"10.0.0.0/8\",\n\"pools\": [{\"pool\": "
			   "\"10.0.0.0/26\", \"option-data\": [\n"
			   "{\"name\": \"time-offset\", \"data\": \"x\"}]}]}]"),
		     4, 33, "code: 2): unable to convert the value 'x'");
}

static void test_option_def_errors(void **state)
{
	(void)state;
#define DEF(x) DHCP4("\"option-def\": [" x "]")
	expect_error(DEF("{\"name\": \"x\", \"code\": 0, \"type\": "
			 "\"uint8\"}"),
		     2, 38, "invalid option code '0': reserved for PAD");
	expect_error(DEF("{\"name\": \"x\", \"code\": 256, \"type\": "
			 "\"uint8\"}"),
		     2, 38, "must not be greater than '255'");
	expect_error(DEF("{\"name\": \"x\", \"code\": 3, \"type\": "
			 "\"uint8\"}"),
		     2, 38,
		     "unable to override definition of option '3' in standard "
		     "option space 'dhcp4'");
	expect_error(DEF("{\"name\": \"routers\", \"code\": 230, \"type\": "
			 "\"uint8\"}"),
		     2, 25,
		     "unable to override definition of option 'routers'");
	expect_error(DEF("{\"name\": \"oro2\", \"code\": 1, \"space\": "
			 "\"docsis3-v4\", \"type\": \"uint8\"}"),
		     2, 41, "standard option space 'docsis3-v4'");
	expect_error(DEF("{\"name\": \"x\", \"code\": 230, \"type\": "
			 "\"uint64\"}"),
		     2, 51, "option type 'uint64' not supported");
	expect_error(DEF("{\"name\": \"x\", \"code\": 230, \"type\": "
			 "\"string\", \"array\": true}"),
		     2, 16,
		     "array of strings is not a valid option definition");
	expect_error(DEF("{\"name\": \"x\", \"code\": 230, \"type\": "
			 "\"record\", \"record-types\": \"uint8\"}"),
		     2, 16, "Expected at least 2 fields");
	expect_error(DEF("{\"name\": \"x\", \"code\": 230, \"type\": "
			 "\"record\", \"record-types\": \"string, uint8\"}"),
		     2, 16, "string data field can't be laid before");
	expect_error(DEF("{\"name\": \"x\", \"code\": 230, \"type\": "
			 "\"record\", \"record-types\": \"uint8, empty\"}"),
		     2, 77, "invalid data type 'empty'");
	expect_error(DEF("{\"name\": \"x\", \"code\": 230, \"type\": "
			 "\"uint8\", \"record-types\": \"uint8, uint16\"}"),
		     2, 76,
		     "'record' option type must be used instead of "
		     "'uint8'");
	expect_error(DEF("{\"name\": \"x\", \"code\": 230, \"type\": "
			 "\"uint8\", \"array\": true, \"encapsulate\": \"s\"}"),
		     2, 16, "may not encapsulate any option space");
	expect_error(DEF("{\"name\": \"x\", \"code\": 1, \"type\": \"empty\", "
			 "\"space\": \"s\", \"encapsulate\": \"s\"}"),
		     2, 16, "must not encapsulate an option space it belongs");
	expect_error(DEF("{\"name\": \"-x\", \"code\": 230, \"type\": "
			 "\"uint8\"}"),
		     2, 25, "invalid option name '-x'");
	expect_error(
		DEF("{\"name\": \"x\", \"code\": 230, \"type\": \"uint8\"},\n"
		    "{\"name\": \"y\", \"code\": 230, \"type\": \"uint8\"}"),
		3, 23,
		"option definition with code '230' already exists in "
		"option space 'dhcp4'");
	expect_error(
		DEF("{\"name\": \"x\", \"code\": 230, \"type\": \"uint8\"},\n"
		    "{\"name\": \"x\", \"code\": 231, \"type\": \"uint8\"}"),
		3, 10, "option definition with name 'x' already exists");
	/* Kea's grammar (config/keys.c) names the missing key */
	expect_error(DEF("{\"code\": 230, \"type\": \"uint8\"}"), 2, 16,
		     "an entry of \"option-def\" needs \"name\"");
	/* an option-def later in the file still defines the data's option */
	expect_error(DHCP4("\"option-data\": [{\"name\": \"x\", \"data\": "
			   "\"300\"}],\n"
			   "\"option-def\": [{\"name\": \"x\", \"code\": 230, "
			   "\"type\": \"uint8\"}]"),
		     2, 39, "(space: dhcp4, code: 230)");
	/* loops of encapsulated spaces (Kea 2.2 crashes) */
	expect_error(
		DHCP4("\"option-def\": [\n"
		      "{\"name\": \"x\", \"code\": 230, \"type\": \"empty\", "
		      "\"encapsulate\": \"A\"},\n"
		      "{\"name\": \"a\", \"code\": 1, \"space\": \"A\", "
		      "\"type\": \"empty\", \"encapsulate\": \"B\"},\n"
		      "{\"name\": \"b\", \"code\": 1, \"space\": \"B\", "
		      "\"type\": \"empty\", \"encapsulate\": \"A\"}],\n"
		      "\"option-data\": [{\"name\": \"x\"}, {\"name\": "
		      "\"a\", \"space\": \"A\"}, {\"name\": \"b\", "
		      "\"space\": \"B\"}]"),
		6, 32, "option A.1 is inside itself");
#undef DEF
}

static void test_lists(void **state)
{
	struct ternd_config *cfg;
	const struct ternd_optlist *l;
	const struct ternd_subnet *s;
	const struct ternd_option *o;

	(void)state;
	cfg = load_ok(DHCP4(
		"\"option-def\": [\n"
		" {\"name\": \"box\", \"code\": 227, \"type\": \"uint8\",\n"
		"  \"encapsulate\": \"box-space\"},\n"
		" {\"name\": \"count\", \"code\": 1, \"space\": "
		"\"box-space\",\n"
		"  \"type\": \"uint16\"},\n"
		" {\"name\": \"vlanid\", \"code\": 2, \"space\": "
		"\"vendor-339\",\n"
		"  \"type\": \"uint32\"},\n"
		" {\"name\": \"classless-static-route\", \"code\": 121,\n"
		"  \"type\": \"uint8\", \"array\": true}],\n"
		"\"option-data\": [\n"
		" {\"name\": \"ntp-servers\", \"data\": \"192.0.2.123\",\n"
		"  \"always-send\": true},\n"
		" {\"name\": \"ntp-servers\", \"data\": \"192.0.2.124\"},\n"
		" {\"name\": \"box\", \"data\": \"7\"},\n"
		" {\"name\": \"count\", \"space\": \"box-space\", \"data\": "
		"\"0x10\"},\n"
		" {\"name\": \"count\", \"space\": \"box-space\", \"data\": "
		"\"5\"},\n"
		" {\"code\": 2, \"space\": \"box-space\", \"csv-format\": "
		"false,\n"
		"  \"data\": \"'x'\"},\n"
		" {\"name\": \"vendor-encapsulated-options\"},\n"
		" {\"code\": 1, \"space\": "
		"\"vendor-encapsulated-options-space\",\n"
		"  \"csv-format\": false, \"data\": \"0a0b\"},\n"
		" {\"name\": \"vlanid\", \"space\": \"vendor-339\", \"data\": "
		"\"123\",\n"
		"  \"always-send\": true},\n"
		" {\"name\": \"tftp-servers\", \"space\": \"vendor-4491\",\n"
		"  \"data\": \"10.0.0.1\"},\n"
		" {\"name\": \"classless-static-route\", \"data\": \"24, "
		"10\"},\n"
		" {\"name\": \"routers\", \"never-send\": true},\n"
		" {\"name\": \"oro\", \"space\": \"docsis3-v4\", \"data\": "
		"\"32\"}],\n"
		"\"subnet4\": [{\"id\": 1, \"subnet\": \"192.0.2.0/24\",\n"
		" \"pools\": [{\"pool\": \"192.0.2.10 - 192.0.2.19\",\n"
		"   \"option-data\": [{\"name\": \"domain-name\", \"data\": "
		"\"pool.example\"}]},\n"
		"  {\"pool\": \"192.0.2.20 - 192.0.2.29\"}],\n"
		" \"option-data\": [{\"name\": \"domain-name\", \"data\": "
		"\"subnet.example\"}]}]"));
	l = &cfg->options;
	/* dhcp4 options by code, one each: 42, 43, 121, 227 */
	assert_int_equal(l->n, 4);
	/* duplicates: the last instance's value, any instance's always */
	assert_opt(ternd_optlist_find(l, 42), "\xc0\x00\x02\x7c", 4);
	assert_true(ternd_codeset_has(l->always, 42));
	/* 43 holds its space's options of the same list */
	assert_opt(ternd_optlist_find(l, 43), "\x01\x02\x0a\x0b", 4);
	/* option-def 121 wins over the newer-Kea stand-in */
	assert_opt(ternd_optlist_find(l, 121), "\x18\x0a", 2);
	/* the value, then the sub-options, first instance of each code */
	assert_opt(ternd_optlist_find(l, 227),
		   "\x07\x01\x02\x00\x10\x02\x01"
		   "x",
		   8);
	/* never-send: no value, its bit */
	assert_null(ternd_optlist_find(l, 3));
	assert_true(ternd_codeset_has(l->never, 3));
	/* docsis3-v4 is a plain space: not sent by itself */
	assert_null(ternd_optlist_find(l, 1));
	/* vendor options, by (enterprise, code) */
	assert_int_equal(l->n_vend, 2);
	assert_int_equal(l->vend[0].enterprise, 339);
	assert_true(l->vend[0].o.always_send);
	assert_opt(ternd_optlist_find_vendor(l, 339, 2), "\x00\x00\x00\x7b", 4);
	assert_opt(ternd_optlist_find_vendor(l, 4491, 2), "\x0a\x00\x00\x01",
		   4);
	assert_null(ternd_optlist_find_vendor(l, 4491, 1));
	/* definitions kept for the engine and client classes */
	assert_int_equal(cfg->n_option_defs, 4);
	assert_string_equal(cfg->option_defs[2].space, "vendor-339");
	/* pools and the precedence list */
	s = &cfg->subnets[0];
	assert_opt(ternd_optlist_find(&s->pools[0].options, 15), "pool.example",
		   12);
	assert_ptr_equal(ternd_subnet_find_pool(s, 0xc0000215), &s->pools[1]);
	assert_null(ternd_subnet_find_pool(s, 0xc0000201));
	{
		const struct ternd_optlist *lv[5];
		size_t n = ternd_config_levels(cfg, s, NULL, 0xc000020a, lv, 5);

		assert_int_equal(n, 3);
		assert_ptr_equal(lv[0], &s->pools[0].options);
		o = ternd_levels_option(lv, n, 15);
		assert_opt(o, "pool.example", 12);
		n = ternd_config_levels(cfg, s, NULL, 0xc0000215, lv, 5);
		assert_int_equal(n, 2); /* an empty pool list is skipped */
		assert_opt(ternd_levels_option(lv, n, 15), "subnet.example",
			   14);
		assert_null(ternd_levels_option(lv, n, 3));
	}
	assert_opt(ternd_config_option(cfg, s, NULL, 42), "\xc0\x00\x02\x7c",
		   4);
	ternd_config_free(cfg);

	/* a configured server identifier is one Kea accepts */
	cfg = load_ok(DHCP4("\"subnet4\": [{\"id\": 1, \"subnet\": "
			    "\"192.0.2.0/24\", \"option-data\": [{\"code\": "
			    "54, \"data\": \"192.0.2.250\"}]}]"));
	assert_true(ternd_config_is_server_id(cfg, 0xc00002fa));
	assert_false(ternd_config_is_server_id(cfg, 0xc00002fb));
	ternd_config_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_booleans_strings),
		cmocka_unit_test(test_addresses_names),
		cmocka_unit_test(test_binary_and_hex),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_special),
		cmocka_unit_test(test_option_data_errors),
		cmocka_unit_test(test_option_def_errors),
		cmocka_unit_test(test_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
