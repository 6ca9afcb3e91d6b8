/* Unit tests: Kea 2.2's standard DHCPv6 option definitions
 * (common/optdefs6.c) and option-data values built as kea-dhcp6 packs
 * them (config/dhcp6_optval.c, dhcp6_options.c). The expected bytes are
 * what kea-dhcp6 2.2 sent for the same text (integ.kea6_options_diff) or,
 * for options only its engine writes, what its option classes make. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "common/optdefs6.h"
#include "server/config/cfg_test.h"
#include "server/config/config6.h"
#include "server/config/dhcp6_optval.h"

#define DHCP6(body) "{\"Dhcp6\": {\n" body "\n}}\n"

/* STANDARD_V6_OPTION_DEFINITIONS of Kea 2.2.0: name, code, type, array. */
static const struct {
	const char *name;
	uint16_t code;
	const char *type;
	bool array;
} kea_std[] = {
	{"clientid", 1, "binary", false},
	{"serverid", 2, "binary", false},
	{"ia-na", 3, "record", false},
	{"ia-ta", 4, "uint32", false},
	{"iaaddr", 5, "record", false},
	{"oro", 6, "uint16", true},
	{"preference", 7, "uint8", false},
	{"elapsed-time", 8, "uint16", false},
	{"relay-msg", 9, "binary", false},
	{"auth", 11, "binary", false},
	{"unicast", 12, "ipv6-address", false},
	{"status-code", 13, "record", false},
	{"rapid-commit", 14, "empty", false},
	{"user-class", 15, "binary", false},
	{"vendor-class", 16, "record", false},
	{"vendor-opts", 17, "uint32", false},
	{"interface-id", 18, "binary", false},
	{"reconf-msg", 19, "uint8", false},
	{"reconf-accept", 20, "empty", false},
	{"sip-server-dns", 21, "fqdn", true},
	{"sip-server-addr", 22, "ipv6-address", true},
	{"dns-servers", 23, "ipv6-address", true},
	{"domain-search", 24, "fqdn", true},
	{"ia-pd", 25, "record", false},
	{"iaprefix", 26, "record", false},
	{"nis-servers", 27, "ipv6-address", true},
	{"nisp-servers", 28, "ipv6-address", true},
	{"nis-domain-name", 29, "fqdn", true},
	{"nisp-domain-name", 30, "fqdn", true},
	{"sntp-servers", 31, "ipv6-address", true},
	{"information-refresh-time", 32, "uint32", false},
	{"bcmcs-server-dns", 33, "fqdn", true},
	{"bcmcs-server-addr", 34, "ipv6-address", true},
	{"geoconf-civic", 36, "record", false},
	{"remote-id", 37, "record", false},
	{"subscriber-id", 38, "binary", false},
	{"client-fqdn", 39, "record", false},
	{"pana-agent", 40, "ipv6-address", true},
	{"new-posix-timezone", 41, "string", false},
	{"new-tzdb-timezone", 42, "string", false},
	{"ero", 43, "uint16", true},
	{"lq-query", 44, "record", false},
	{"client-data", 45, "empty", false},
	{"clt-time", 46, "uint32", false},
	{"lq-relay-data", 47, "record", false},
	{"lq-client-link", 48, "ipv6-address", true},
	{"v6-lost", 51, "fqdn", false},
	{"capwap-ac-v6", 52, "ipv6-address", true},
	{"relay-id", 53, "binary", false},
	{"v6-access-domain", 57, "fqdn", false},
	{"sip-ua-cs-list", 58, "fqdn", true},
	{"bootfile-url", 59, "string", false},
	{"bootfile-param", 60, "tuple", true},
	{"client-arch-type", 61, "uint16", true},
	{"nii", 62, "record", false},
	{"aftr-name", 64, "fqdn", false},
	{"erp-local-domain-name", 65, "fqdn", false},
	{"rsoo", 66, "empty", false},
	{"pd-exclude", 67, "ipv6-prefix", false},
	{"rdnss-selection", 74, "record", true},
	{"client-linklayer-addr", 79, "binary", false},
	{"link-address", 80, "ipv6-address", false},
	{"solmax-rt", 82, "uint32", false},
	{"inf-max-rt", 83, "uint32", false},
	{"dhcpv4-message", 87, "binary", false},
	{"dhcp4o6-server-addr", 88, "ipv6-address", true},
	{"v6-captive-portal", 103, "string", false},
	{"relay-source-port", 135, "uint16", false},
	{"ipv6-address-andsf", 143, "ipv6-address", true},
	{"s46-cont-mape", 94, "empty", false},
	{"s46-cont-mapt", 95, "empty", false},
	{"s46-cont-lw", 96, "empty", false},
};

static void test_std_names(void **state)
{
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(kea_std) / sizeof(kea_std[0]); i++) {
		const struct tern_optdef *d =
			tern_optdef6_std_name("dhcp6", kea_std[i].name);

		assert_non_null(d);
		assert_int_equal(d->code, kea_std[i].code);
		assert_string_equal(tern_opt_type_name(d->type),
				    kea_std[i].type);
		assert_int_equal(d->array, kea_std[i].array);
		assert_ptr_equal(tern_optdef6_std("dhcp6", d->code), d);
		assert_ptr_equal(ld6_def_find(NULL, "dhcp6", d->code), d);
		assert_ptr_equal(ld6_def_find_name(NULL, "dhcp6", d->name), d);
	}
	while (tern_optdef6_std_at(n) &&
	       strcmp(tern_optdef6_std_at(n)->space, "dhcp6") == 0)
		n++;
	assert_int_equal(n, 72); /* and no more than Kea's */
	/* Records and encapsulation as Kea's. */
	assert_int_equal(tern_optdef6_std("dhcp6", 26)->n_fields, 4);
	assert_string_equal(tern_optdef6_std("dhcp6", 94)->encapsulate,
			    "s46-cont-mape-options");
	assert_string_equal(tern_optdef6_std("dhcp6", 66)->encapsulate,
			    "rsoo-opts");
	assert_string_equal(
		tern_optdef6_std("s46-cont-lw-options", 92)->encapsulate,
		"s46-v4v6bind-options");
	assert_null(tern_optdef6_std("dhcp6", 56)); /* no ntp-server */
	assert_null(tern_optdef6_std_name("dhcp6", "dhcp-lease-time"));
	/* docsis3-v6 is vendor 4491, 4o6 is 2495; by name and by code. */
	assert_int_equal(tern_optdef6_vendor_name(4491, "tftp-servers")->code,
			 32);
	assert_int_equal(tern_optdef6_vendor(4491, 1026)->type, TERN_OT_BINARY);
	assert_int_equal(tern_optdef6_vendor(4491, 38)->type, TERN_OT_I32);
	assert_string_equal(
		ld6_def_find_name(NULL, "vendor-4491", "oro")->space,
		"docsis3-v6");
	assert_int_equal(ld6_def_find(NULL, "vendor-2495", 60002)->type,
			 TERN_OT_U16);
	assert_non_null(tern_optdef6_std_name("4o6", "4o6-interface"));
	assert_null(tern_optdef6_vendor(12345, 1));
	assert_null(ld6_def_find(NULL, "vendor-12345", 1));
}

/* A user's option-def comes first (Kea's findOptionDefinition). */
static void test_user_first(void **state)
{
	static const struct tern_optdef mine[] = {
		{"mine", "vendor-4491", NULL, NULL, 0, 32, TERN_OT_STRING,
		 false},
	};
	static const struct ternd_defset ds = {mine, 1, NULL};

	(void)state;
	assert_ptr_equal(ld6_def_find(&ds, "vendor-4491", 32), &mine[0]);
	assert_ptr_equal(ld6_def_find_name(&ds, "vendor-4491", "mine"),
			 &mine[0]);
	assert_int_equal(ld6_def_find(&ds, "vendor-4491", 33)->code, 33);
}

static size_t unhex(const char *h, uint8_t *out)
{
	size_t n = 0;

	for (; h[0] && h[1]; h += 2) {
		unsigned v;

		sscanf(h, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

/* ld6_optval of (space, name, data, csv) must be want (hex). */
static void expect_bytes(const char *space, const char *name, const char *data,
			 bool csv, const char *want)
{
	const struct tern_optdef *d = ld6_def_find_name(NULL, space, name);
	uint8_t out[1024], w[1024];
	char why[LD6_WHY_LEN];
	int n;
	size_t wn = unhex(want, w);

	assert_non_null(d);
	n = ld6_optval(NULL, d, data, csv, out, sizeof(out), why);
	if (n < 0)
		fprintf(stderr, "%s %s: %s\n", name, data, why);
	assert_int_equal(n, (int)wn);
	assert_memory_equal(out, w, wn);
}

static void expect_refused_rc(const char *space, const char *name,
			      const char *data, bool csv, const char *why_part,
			      int rc)
{
	const struct tern_optdef *d = ld6_def_find_name(NULL, space, name);
	uint8_t out[1024];
	char why[LD6_WHY_LEN];
	int n;

	assert_non_null(d);
	n = ld6_optval(NULL, d, data, csv, out, sizeof(out), why);
	if (n >= 0 || !strstr(why, why_part))
		fprintf(stderr, "%s %s: %d %s\n", name, data, n, why);
	assert_int_equal(n, rc);
	assert_non_null(strstr(why, why_part));
}

static void expect_refused(const char *space, const char *name,
			   const char *data, bool csv, const char *why_part)
{
	expect_refused_rc(space, name, data, csv, why_part, -EINVAL);
}

/* One option of each type family, as kea-dhcp6 2.2 sent it. */
static void test_kea_bytes(void **state)
{
	(void)state;
	/* uint8 in hex (lexical cast falls back to hex), uint16 array */
	expect_bytes("dhcp6", "preference", "0xf0", true, "f0");
	expect_bytes("dhcp6", "ero", "16, 32, 0x2a", true, "00100020002a");
	/* ipv6-address array and single */
	expect_bytes("dhcp6", "dns-servers", "2001:db8::5, 2001:db8::6", true,
		     "20010db8000000000000000000000005"
		     "20010db8000000000000000000000006");
	expect_bytes("dhcp6", "unicast", "2001:db8::2", true,
		     "20010db8000000000000000000000002");
	/* fqdn array: case kept, uncompressed; Kea sizes a name by its
	 * text, so the escaped dot drops the last name */
	expect_bytes("dhcp6", "domain-search",
		     "example.com, Example.ORG, a\\.b.example", true,
		     "076578616d706c6503636f6d00074578616d706c65034f524700");
	/* tuples with 2-byte lengths */
	expect_bytes("dhcp6", "bootfile-param", "root=/dev/sda2, quiet, splash",
		     true,
		     "000e726f6f743d2f6465762f736461320005717569657400067370"
		     "6c617368");
	/* string with escaped commas */
	expect_bytes("dhcp6", "new-posix-timezone",
		     "EST5EDT4\\,M3.2.0/02:00\\,M11.1.0/02:00", true,
		     "45535435454454342c4d332e322e302f30323a30302c4d31312e31"
		     "2e302f30323a3030");
	/* records: u8 u16 binary (extra value ignored), u32 binary */
	expect_bytes("dhcp6", "geoconf-civic", "0, 0x5553, 15 9D, A3 FF", true,
		     "005553159d");
	expect_bytes("dhcp6", "remote-id",
		     "4294967295, 1A BB AD AB BA D0 00 00 CA FE", true,
		     "ffffffff1abbadabbad00000cafe");
	/* record array: the last field repeats */
	expect_bytes("dhcp6", "rdnss-selection",
		     "2001:db8::23, 01, example.com, example.org", true,
		     "20010db800000000000000000000002301076578616d706c6503636f"
		     "6d00076578616d706c65036f726700");
	/* client-fqdn: Option6ClientFqdn lowercases the name */
	expect_bytes("dhcp6", "client-fqdn", "1, Client.Example.ORG", true,
		     "0106636c69656e74076578616d706c65036f726700");
	/* vendor-class: enterprise and 2-byte tuples */
	expect_bytes("dhcp6", "vendor-class", "4491, 0003616263 0002 7879",
		     true, "0000118b000361626300027879");
	/* an int in hex with sub-options: re-packed in code order */
	expect_bytes("dhcp6", "information-refresh-time",
		     "00000e10000500010b00010002abcd", false,
		     "00000e1000010002abcd000500010b");
	/* a string from 'quoted' text; empty containers */
	expect_bytes("dhcp6", "v6-captive-portal", "'http://portal.example/'",
		     false, "687474703a2f2f706f7274616c2e6578616d706c652f");
	expect_bytes("dhcp6", "reconf-accept", "", true, "");
	expect_bytes("dhcp6", "s46-cont-mape", "", true, "");
	/* S46 records: ipv6-prefix, psid */
	expect_bytes("s46-cont-mape-options", "s46-rule",
		     "1, 0, 24, 192.0.2.0, 2001:db8:1::/64", true,
		     "010018c000020040"
		     "20010db800010000");
	expect_bytes("s46-rule-options", "s46-portparams", "2, 3/4", true,
		     "02043000");
	expect_bytes("s46-cont-mapt-options", "s46-dmr", "2001:db8:cafe::/60",
		     true, "3c20010db8cafe0000");
	/* docsis3-v6 and 4o6 */
	expect_bytes("vendor-4491", "time-offset", "-25200", true, "ffff9d90");
	expect_bytes("vendor-4491", "oro", "32, 33", true, "00200021");
	expect_bytes("vendor-2495", "4o6-source-port", "6767", true, "1a6f");
}

/* The classes of options kea-dhcp6's engine writes itself, built from
 * option-data as Kea's factory does. */
static void test_special_classes(void **state)
{
	(void)state;
	expect_bytes("dhcp6", "ia-na", "1, 2, 3", true,
		     "000000010000000200000003");
	expect_bytes("dhcp6", "iaaddr", "2001:db8::1, 100, 200", true,
		     "20010db8000000000000000000000001"
		     "00000064000000c8");
	/* Option6IAPrefix masks the address to its length */
	expect_bytes("dhcp6", "iaprefix", "100, 200, 44, 2001:db8:ffff::", true,
		     "00000064000000c82c20010db8fff000000000000000000000");
	expect_bytes("dhcp6", "status-code", "0, all fine", true,
		     "0000616c6c2066696e65");
	/* Option6PDExclude takes the prefix bytes as the subnet ID */
	expect_bytes("dhcp6", "pd-exclude", "2001:db8:1:1::/62", true,
		     "3e20010db800010000");
	expect_bytes("dhcp6", "vendor-opts", "4491", true, "0000118b");
	/* vendor-opts in hex: its sub-options through docsis3-v6 */
	expect_bytes("dhcp6", "vendor-opts", "0000118b00260004ffff9d90", false,
		     "0000118b00260004ffff9d90");
	expect_refused("dhcp6", "vendor-opts", "0000118b002600", false,
		       "Vendor option parse failed: truncated header");
	expect_refused("dhcp6", "vendor-opts", "0000118b0026000401", false,
		       "Vendor option parse failed. Tried to parse");
	expect_refused("dhcp6", "vendor-opts", "0000118b002600020001", false,
		       "OptionInt 38 truncated");
	expect_refused("dhcp6", "vendor-opts", "00", false,
		       "Truncated vendor-specific information option");
	expect_refused("dhcp6", "ia-na", "0000000100000002", false,
		       "Option 3 truncated");
	expect_refused("dhcp6", "client-fqdn", "5, a.example", true,
		       "both N and S flag");
	expect_refused("dhcp6", "pd-exclude", "2001:db8::/0", true,
		       "truncated Prefix Exclude option");
	expect_refused("dhcp6", "bootfile-param", "0005616263", false,
		       "the buffer length is 3, but the tuple length is 5");
	expect_refused("dhcp6", "vendor-class", "0102", false,
		       "parsed Vendor Class option data truncated to size 2");
	expect_refused("dhcp6", "status-code", "00", false,
		       "Status Code option (13) truncated");
}

/* Kea's reasons for bad values, by type family. */
static void test_refused(void **state)
{
	(void)state;
	expect_refused("dhcp6", "dns-servers", "10.0.0.1", true,
		       "Option 23 malformed: len=4 is not divisible by 16.");
	expect_refused("dhcp6", "dns-servers", "2001:db8::1, x", true,
		       "Failed to convert string to address 'x'");
	expect_refused("dhcp6", "preference", "256", true,
		       "expected to be in the range of 0..255");
	expect_refused("dhcp6", "solmax-rt", "", true,
		       "no option value specified");
	expect_refused("dhcp6", "iaaddr", "2001:db8::1, 100", true,
		       "number of data fields for the option type '5'");
	expect_refused("dhcp6", "bootfile-url", "", false,
		       "holding string value");
	expect_refused("dhcp6", "aftr-name", "a..b", true, "empty label");
	expect_refused_rc("dhcp6", "dns-servers", "zz", false,
			  "not a valid string of hexadecimal digits", -EBADMSG);
	expect_refused("s46-rule-options", "s46-portparams", "0, 8/2", true,
		       "invalid PSID value 8 for a specified PSID length 2");
	expect_refused("dhcp6", "client-arch-type", "01", false,
		       "OptionIntArray 61 truncated");
}

/* The reader: names and codes in every space, Kea's errors with their
 * line:column, containers filled from their spaces. */
static void test_reader(void **state)
{
	struct ternd_config *cfg = NULL;
	const struct ternd_option6 *o;
	static const uint8_t lw[] = {0x00, 0x5c, 0x00, 0x15, 0xc0, 0x00, 0x02,
				     0x4e, 0x40, 0x20, 0x01, 0x0d, 0xb8, 0x00,
				     0x01, 0xca, 0xfe, 0x00, 0x5d, 0x00, 0x04,
				     0x00, 0x10, 0x04, 0xd2};

	(void)state;
	if (load(DHCP6("\"option-data\": [\n"
		       "{\"name\": \"s46-cont-lw\"},\n"
		       "{\"space\": \"s46-cont-lw-options\", \"name\": "
		       "\"s46-v4v6bind\", \"data\": \"192.0.2.78, "
		       "2001:db8:1:cafe::/64\"},\n"
		       "{\"space\": \"s46-v4v6bind-options\", \"code\": 93, "
		       "\"data\": \"0, 1234/16\"},\n"
		       "{\"code\": 60000, \"csv-format\": false, \"data\": "
		       "\"0a0b\"},\n"
		       "{\"space\": \"vendor-4491\", \"name\": "
		       "\"tftp-servers\", \"data\": \"2001:db8::1\"},\n"
		       "{\"space\": \"my-space\", \"code\": 1, \"csv-format\": "
		       "false, \"data\": \"01\"},\n"
		       "{\"name\": \"nis-servers\", \"data\": "
		       "\"3000:1::234\"},\n"
		       "{\"code\": 12, \"data\": \"2001:db8::1\"}]"),
		 &cfg) != 0)
		dump();
	assert_non_null(cfg);
	o = ternd_optlist6_find(&cfg->v6->options, 96);
	assert_non_null(o);
	assert_int_equal(o->len, sizeof(lw));
	assert_memory_equal(o->data, lw, sizeof(lw));
	o = ternd_optlist6_find(&cfg->v6->options, 60000);
	assert_non_null(o);
	assert_int_equal(o->len, 2);
	assert_non_null(ternd_optlist6_find(&cfg->v6->options, 27));
	assert_non_null(ternd_optlist6_find(&cfg->v6->options, 12));
	o = ternd_optlist6_find_vendor(&cfg->v6->options, 4491, 32);
	assert_non_null(o);
	assert_int_equal(o->len, 16);
	ternd_config_free(cfg);

	expect_error(DHCP6("\"option-data\": [{\"code\": 200, \"data\": "
			   "\"01\"}]"),
		     2, 17,
		     "definition for the option 'dhcp6.' having code '200' "
		     "does not exist");
	expect_error(DHCP6("\"option-data\": [{\"name\": \"nope\", "
			   "\"csv-format\": false, \"data\": \"01\"}]"),
		     2, 26,
		     "definition for the option 'dhcp6.nope' does not "
		     "exist");
	expect_error(DHCP6("\"option-data\": [{\"name\": \"dns-servers\", "
			   "\"code\": 24, \"data\": \"::1\"}]"),
		     2, 26,
		     "specified option name 'dns-servers' does not match the "
		     "option definition: 'dhcp6.domain-search'");
	expect_error(DHCP6("\"option-data\": [{\"space\": \"dhcp4\", "
			   "\"code\": 1, \"data\": \"01\"}]"),
		     2, 27, "'dhcp4' option space name is reserved");
	expect_error(DHCP6("\"option-data\": [{\"code\": 70000, \"data\": "
			   "\"01\"}]"),
		     2, 26, "invalid option code '70000'");
	expect_error(DHCP6("\"option-data\": [{\"data\": \"01\"}]"), 2, 17,
		     "requires one of 'code' or 'name'");
	expect_error(DHCP6("\"option-data\": [{\"name\": \"bootfile-param\", "
			   "\"data\": \"a, b\",\n\"csv-format\": false}]"),
		     2, 52,
		     "option data is not a valid string of hexadecimal "
		     "digits: a, b");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_std_names),
		cmocka_unit_test(test_user_first),
		cmocka_unit_test(test_kea_bytes),
		cmocka_unit_test(test_special_classes),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_reader),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
