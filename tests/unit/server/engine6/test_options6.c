/* Unit tests: the S46 containers (MAP-T, MAP-E, lightweight 4over6),
 * aftr-name and the vendor-N options as ternd sends them from a Kea 2.2
 * Dhcp6 option-data list; what a client reads back with libtern's MAP
 * codec must be what the configuration says. Also the subnet of a
 * message that came only through an LDRA. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <tern/mapt.h>

#include "server/engine6/e6_test.h"

static const char *config =
	"{\"Dhcp6\": {\"preferred-lifetime\": 300, \"valid-lifetime\": 600,\n"
	" \"option-data\": [{\"name\": \"aftr-name\", \"data\": "
	"\"aftr.example.com\"},\n"
	"  {\"name\": \"s46-cont-mapt\"},\n"
	"  {\"space\": \"s46-cont-mapt-options\", \"name\": \"s46-rule\",\n"
	"   \"data\": \"128, 16, 24, 192.0.2.0, 2001:db8:100::/40\"},\n"
	/* A second rule: Kea's encapsulation keeps the first of a code. */
	"  {\"space\": \"s46-cont-mapt-options\", \"name\": \"s46-rule\",\n"
	"   \"data\": \"0, 0, 32, 198.51.100.7, 2001:db8:200::/40\"},\n"
	"  {\"space\": \"s46-cont-mapt-options\", \"name\": \"s46-dmr\", "
	"\"data\": \"64:ff9b::/64\"},\n"
	"  {\"space\": \"s46-rule-options\", \"name\": \"s46-portparams\", "
	"\"data\": \"6, 0/8\"},\n"
	"  {\"space\": \"vendor-12345\", \"code\": 5, \"csv-format\": false, "
	"\"data\": \"0A0B\", \"always-send\": true},\n"
	/* tftp-servers: Kea's docsis3-v6 definition wants whole addresses */
	"  {\"space\": \"vendor-4491\", \"code\": 32, \"csv-format\": false, "
	"\"data\": \"20010db80000000000000000c0ffee00\"}],\n"
	" \"subnet6\": [\n"
	"  {\"id\": 1, \"subnet\": \"2001:db8:1::/64\", \"interface\": "
	"\"v6s\",\n"
	"   \"pools\": [{\"pool\": \"2001:db8:1::100-2001:db8:1::1ff\"}],\n"
	"   \"pd-pools\": [{\"prefix\": \"2001:db8:100::\", \"prefix-len\": "
	"40, \"delegated-len\": 56}],\n"
	"   \"option-data\": [{\"code\": 94},\n"
	"    {\"space\": \"s46-cont-mape-options\", \"name\": \"s46-br\", "
	"\"data\": \"2001:db8:ffff::1\"},\n"
	"    {\"space\": \"s46-cont-mape-options\", \"code\": 89, \"data\": "
	"\"0, 0, 32, 203.0.113.9, 2001:db8:300::/48\"},\n"
	"    {\"space\": \"s46-rule-options\", \"name\": \"s46-portparams\", "
	"\"data\": \"0, 1234/16\"},\n"
	"    {\"name\": \"s46-cont-lw\", \"always-send\": true},\n"
	"    {\"space\": \"s46-cont-lw-options\", \"name\": \"s46-br\", "
	"\"data\": \"2001:db8:ffff::2\"},\n"
	"    {\"space\": \"s46-cont-lw-options\", \"name\": \"s46-v4v6bind\", "
	"\"data\": \"192.0.2.77, 2001:db8:400::/42\"},\n"
	"    {\"space\": \"s46-v4v6bind-options\", \"name\": "
	"\"s46-portparams\", \"data\": \"0, 3/4\"}]}]}}";

static int setup(void **state)
{
	(void)e6_config;
	static struct t6 t;

	if (t6_setup_text(&t, config) < 0)
		return -1;
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	t6_free(*state);
	return 0;
}

static int solicit(struct t6 *t, const uint16_t *oro, size_t n)
{
	struct q6 q;

	q_begin(&q, TERN_DHCP6_SOLICIT, duid_a, sizeof(duid_a), false);
	q_ia_pd(&q, 1, NULL, 0);
	if (n)
		q_oro(&q, oro, n);
	return t6_q(t, &q);
}

/* MAP-T from the global level, decoded with the client's codec, and the
 * CE parameters derived from the prefix delegated in the same reply. */
static void test_mapt(void **state)
{
	struct t6 *t = *state;
	static const uint16_t oro[] = {95, 64};
	struct tern_mapt_container c;
	struct tern_mapt_result m;
	struct tern_dhcp6_ia ia;
	struct in6_addr pd, want;
	const uint8_t *v;
	uint32_t pref, valid;
	uint8_t plen = 0;
	char name[64];
	int n;

	assert_int_equal(solicit(t, oro, 2), 1);
	n = tern_dhcp6_msg_find(&t->reply, 95, &v);
	assert_true(n > 0);
	assert_int_equal(tern_mapt_parse(v, (size_t)n, 95, &c), 0);
	assert_int_equal(c.n_rules, 1); /* the first s46-rule only, as Kea */
	assert_int_equal(c.rules[0].flags, 128);
	assert_true(c.rules[0].is_fmr);
	assert_int_equal(c.rules[0].ea_len, 16);
	assert_int_equal(c.rules[0].v4_plen, 24);
	assert_int_equal(ntohl(c.rules[0].v4_prefix.s_addr), 0xc0000200);
	assert_int_equal(c.rules[0].v6_plen, 40);
	want = a6("2001:db8:100::");
	assert_memory_equal(&c.rules[0].v6_prefix, &want, 16);
	assert_true(c.rules[0].has_portparams);
	assert_int_equal(c.rules[0].psid_offset, 6);
	assert_int_equal(c.rules[0].psid_len, 8);
	assert_int_equal(c.rules[0].psid, 0);
	assert_true(c.has_dmr);
	assert_int_equal(c.dmr_plen, 64);
	want = a6("64:ff9b::");
	assert_memory_equal(&c.dmr_prefix, &want, 16);
	assert_int_equal(c.n_br, 0);
	/* The subnet's MAP-E is not asked for; lightweight 4over6 is
	 * always-send. */
	assert_false(r_has(t, 94));
	assert_true(r_has(t, 96));
	n = tern_dhcp6_msg_find(&t->reply, 64, &v);
	assert_true(n > 0);
	assert_true(tern_dhcp6_aftr_name_decode(v, (size_t)n, name,
						sizeof(name)) > 0);
	assert_string_equal(name, "aftr.example.com");

	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_PD, 1, &ia), 0);
	assert_int_equal(ia_lease(&ia, TERN_DHCP6_OPT_IA_PD, 0, &pd, &plen,
				  &pref, &valid),
			 0);
	assert_int_equal(plen, 56);
	assert_int_equal(tern_mapt_derive(&c, &pd, plen, &m), 0);
	assert_int_equal(m.transport_mode, TERN_MAP_T);
	assert_int_equal(m.psid_len, 8);
	assert_int_equal(m.psid_offset, 6);
	/* The 16 EA bits after /40: the IPv4 suffix then the PSID. */
	assert_int_equal(ntohl(m.ipv4_addr.s_addr),
			 0xc0000200u | pd.s6_addr[5]);
	assert_int_equal(m.psid, pd.s6_addr[6]);

	/* Without ORO 95: no MAP-T (not always-send). */
	assert_int_equal(solicit(t, oro + 1, 1), 1);
	assert_false(r_has(t, 95));
	assert_true(r_has(t, 64));
}

/* MAP-E at the subnet level: BR, a per-CE rule with its port params. */
static void test_mape(void **state)
{
	struct t6 *t = *state;
	static const uint16_t oro[] = {94};
	struct tern_mapt_container c;
	struct tern_mapt_result m;
	struct in6_addr want, pd = a6("2001:db8:300::");
	const uint8_t *v;
	int n;

	assert_int_equal(solicit(t, oro, 1), 1);
	n = tern_dhcp6_msg_find(&t->reply, 94, &v);
	assert_true(n > 0);
	assert_int_equal(tern_mapt_parse(v, (size_t)n, 94, &c), 0);
	assert_int_equal(c.n_br, 1);
	want = a6("2001:db8:ffff::1");
	assert_memory_equal(&c.br, &want, 16);
	assert_int_equal(c.n_rules, 1);
	assert_int_equal(c.rules[0].ea_len, 0);
	assert_int_equal(c.rules[0].v6_plen, 48);
	assert_int_equal(c.rules[0].psid_len, 16);
	assert_int_equal(c.rules[0].psid, 1234);
	assert_false(c.has_dmr);
	assert_int_equal(tern_mapt_derive(&c, &pd, 56, &m), 0);
	assert_int_equal(m.transport_mode, TERN_MAP_E);
	assert_int_equal(ntohl(m.ipv4_addr.s_addr), 0xcb007109u);
	assert_int_equal(m.psid, 1234);
	/* A subnet that has 94 does not hide the global level's 95. */
	assert_false(r_has(t, 95));
}

/* Lightweight 4over6 (RFC 7598 4.2, 4.4): its bytes, as Kea packs them:
 * sub-options in code order, the binding's port params inside it. */
static void test_lw4o6_bytes(void **state)
{
	struct t6 *t = *state;
	static const uint8_t want[] = {
		0,    90,   0,	  16, /* S46_BR */
		0x20, 0x01, 0x0d, 0xb8, 0xff, 0xff, 0,	0, 0,  0, 0,
		0,    0,    0,	  0,	2,    0,    92, 0, 19, /* S46_V4V6BIND
								*/
		192,  0,    2,	  77,	42, /* v4 address, prefix6-len */
		0x20, 0x01, 0x0d, 0xb8, 0x04, 0x00, /* 6 bytes cover /42 */
		0,    93,   0,	  4,		    /* S46_PORTPARAMS */
		0,    4,    0x30, 0x00, /* offset, psid-len, psid 3 << 12 */
	};
	const uint8_t *v;
	int n;

	assert_int_equal(solicit(t, NULL, 0), 1);
	n = tern_dhcp6_msg_find(&t->reply, 96, &v);
	assert_int_equal(n, (int)sizeof(want));
	assert_memory_equal(v, want, sizeof(want));
}

static void put_vendor_opts(struct q6 *q, uint32_t vendor, const uint16_t *oro,
			    size_t n)
{
	uint8_t id[4] = {vendor >> 24, vendor >> 16, vendor >> 8, vendor};

	tern_dhcp6_begin(&q->w, TERN_DHCP6_OPT_VENDOR_OPTS);
	tern_dhcp6_put_bytes(&q->w, id, 4);
	if (n) {
		uint8_t b[8];

		for (size_t i = 0; i < n; i++) {
			b[2 * i] = (uint8_t)(oro[i] >> 8);
			b[2 * i + 1] = (uint8_t)oro[i];
		}
		tern_dhcp6_put(&q->w, 1, b, 2 * n);
	}
	tern_dhcp6_end(&q->w);
}

/* Kea 2.2's vendor rule: the vendor comes from the client's option 17
 * (else 16); sub-options are the asked ones (CableLabs ORO, 4491 only)
 * and the always-send ones of that vendor's space. */
static void test_vendor(void **state)
{
	struct t6 *t = *state;
	static const uint16_t want32[] = {32};
	static const uint8_t docsis[] = {
		0, 0, 0x11, 0x8b, 0, 32, 0, 16, 0x20, 0x01, 0x0d, 0xb8,
		0, 0, 0,    0,	  0, 0,	 0, 0,	0xc0, 0xff, 0xee, 0};
	static const uint8_t v12345[] = {0, 0, 0x30, 0x39, 0,
					 5, 0, 2,    0x0a, 0x0b};
	static const uint8_t cls[] = {0, 0, 0x30, 0x39, 0, 2, 'x', 'y'};
	struct q6 q;
	const uint8_t *v;
	int n;

	q_begin(&q, TERN_DHCP6_SOLICIT, duid_a, sizeof(duid_a), false);
	q_ia_na(&q, 1, NULL);
	put_vendor_opts(&q, 4491, want32, 1);
	assert_int_equal(t6_q(t, &q), 1);
	n = tern_dhcp6_msg_find(&t->reply, 17, &v);
	assert_int_equal(n, (int)sizeof(docsis));
	assert_memory_equal(v, docsis, sizeof(docsis));

	/* 4491 without its ORO: nothing of vendor-4491 is always-send. */
	q_begin(&q, TERN_DHCP6_SOLICIT, duid_a, sizeof(duid_a), false);
	q_ia_na(&q, 1, NULL);
	put_vendor_opts(&q, 4491, NULL, 0);
	assert_int_equal(t6_q(t, &q), 1);
	assert_false(r_has(t, 17));

	/* Vendor class 12345: its always-send sub-option. */
	q_begin(&q, TERN_DHCP6_SOLICIT, duid_a, sizeof(duid_a), false);
	q_ia_na(&q, 1, NULL);
	tern_dhcp6_put(&q.w, TERN_DHCP6_OPT_VENDOR_CLASS, cls, sizeof(cls));
	assert_int_equal(t6_q(t, &q), 1);
	n = tern_dhcp6_msg_find(&t->reply, 17, &v);
	assert_int_equal(n, (int)sizeof(v12345));
	assert_memory_equal(v, v12345, sizeof(v12345));

	/* No vendor named by the client: no option 17. */
	assert_int_equal(solicit(t, want32, 1), 1);
	assert_false(r_has(t, 17));
}

/* A configured vendor-opts (always-send) names the vendor itself; then,
 * as Kea 2.2, the client's CableLabs ORO is not read (only the vendor's
 * always-send sub-options go in). */
static void test_vendor_configured(void **state)
{
	struct t6 t;
	static const char *text =
		"{\"Dhcp6\": {\"option-data\": [{\"name\": \"vendor-opts\", "
		"\"data\": \"4491\", \"always-send\": true},\n"
		" {\"space\": \"vendor-4491\", \"code\": 5, \"csv-format\": "
		"false, \"data\": \"01\", \"always-send\": true},\n"
		" {\"space\": \"vendor-4491\", \"code\": 32, \"data\": "
		"\"2001:db8::2\"}],\n"
		" \"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\", "
		"\"interface\": \"v6s\",\n"
		"   \"pools\": [{\"pool\": \"2001:db8:1::100/120\"}]}]}}";
	static const uint8_t want[] = {0, 0, 0x11, 0x8b, 0, 5, 0, 1, 1};
	static const uint16_t want32[] = {32};
	struct q6 q;
	const uint8_t *v;
	int n;

	(void)state;
	assert_int_equal(t6_setup_text(&t, text), 0);
	assert_int_equal(solicit(&t, NULL, 0), 1);
	n = tern_dhcp6_msg_find(&t.reply, 17, &v);
	assert_int_equal(n, (int)sizeof(want));
	assert_memory_equal(v, want, sizeof(want));
	q_begin(&q, TERN_DHCP6_SOLICIT, duid_a, sizeof(duid_a), false);
	q_ia_na(&q, 1, NULL);
	put_vendor_opts(&q, 4491, want32, 1);
	assert_int_equal(t6_q(&t, &q), 1);
	n = tern_dhcp6_msg_find(&t.reply, 17, &v);
	assert_int_equal(n, (int)sizeof(want));
	assert_memory_equal(v, want, sizeof(want));
	t6_free(&t);
}

/* One relay level (link-address link, interface-id iid) around a
 * SOLICIT with one IA_NA; 1 when answered, *addr the address given. */
static int relayed_solicit(struct t6 *t, const char *link, const char *iid,
			   struct in6_addr *addr)
{
	struct q6 q;
	uint8_t buf[2048];
	struct tern_dhcp6_writer w;
	struct in6_addr l = a6(link), peer = a6("fe80::77");
	struct tern_dhcp6_ia ia;
	uint32_t pref, valid;
	uint8_t plen;
	int n, rc;

	q_begin(&q, TERN_DHCP6_SOLICIT, duid_b, sizeof(duid_b), false);
	q_ia_na(&q, 1, NULL);
	n = q_len(&q);
	tern_dhcp6_writer_init(&w, buf, sizeof(buf));
	tern_dhcp6_write_relay_header(&w, TERN_DHCP6_RELAY_FORW, 0, &l, &peer);
	tern_dhcp6_put(&w, TERN_DHCP6_OPT_INTERFACE_ID, iid, strlen(iid));
	tern_dhcp6_put(&w, TERN_DHCP6_OPT_RELAY_MSG, q.buf, (size_t)n);
	n = tern_dhcp6_writer_finish(&w);
	assert_true(n > 0);
	rc = t6_send(t, buf, (size_t)n);
	if (rc == 1 && r_ia(t, TERN_DHCP6_OPT_IA_NA, 1, &ia) == 0)
		ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 0, addr, &plen, &pref,
			 &valid);
	return rc;
}

/* Through an LDRA only (link-address ::) with an interface-id no subnet
 * has: the receiving interface's subnet, as Kea 2.2; a real relay whose
 * link-address no subnet holds: no address. */
static void test_ldra_fallback(void **state)
{
	struct t6 *t = *state;
	struct in6_addr a = a6("::"), lo = a6("2001:db8:1::100"),
			hi = a6("2001:db8:1::1ff");

	assert_int_equal(relayed_solicit(t, "::", "port-none", &a), 1);
	assert_true(memcmp(&a, &lo, 16) >= 0 && memcmp(&a, &hi, 16) <= 0);
	/* Answered (NoAddrsAvail in the IA, as without a subnet), no
	 * address. */
	a = a6("::");
	assert_int_equal(relayed_solicit(t, "2001:db8:77::1", "port-none", &a),
			 1);
	assert_true(IN6_IS_ADDR_UNSPECIFIED(&a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mapt),
		cmocka_unit_test(test_mape),
		cmocka_unit_test(test_lw4o6_bytes),
		cmocka_unit_test(test_vendor),
		cmocka_unit_test(test_vendor_configured),
		cmocka_unit_test(test_ldra_fallback),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
