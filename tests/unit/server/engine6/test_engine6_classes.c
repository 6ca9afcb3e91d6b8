/* Unit tests: what Dhcp6 client-classes give in the DHCPv6 engine
 * (class6.c, options6.c, ia6.c): class option-data in Kea 2.2's precedence
 * (host, pool, subnet, network, classes, global), class lifetimes for new
 * leases only, DROP through a reservation's client-classes. Classes named
 * after built-ins, so no test expression is needed here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "server/engine6/e6_test.h"

static const char *classes_config =
	"{\"Dhcp6\": {\"preferred-lifetime\": 300, \"valid-lifetime\": 600,\n"
	" \"option-data\": [{\"name\": \"sntp-servers\", \"data\": "
	"\"2001:db8::1\"},\n"
	"   {\"name\": \"nis-domain-name\", \"data\": \"global.example\"}],\n"
	" \"client-classes\": [\n"
	"  {\"name\": \"ALL\", \"option-data\": [\n"
	"    {\"name\": \"sntp-servers\", \"data\": \"2001:db8::a11\"},\n"
	"    {\"name\": \"dns-servers\", \"data\": \"2001:db8::a11\"},\n"
	"    {\"name\": \"sip-server-dns\", \"data\": \"all.example\"}]},\n"
	"  {\"name\": \"KNOWN\", \"preferred-lifetime\": 1000, "
	"\"valid-lifetime\": 2000,\n"
	"   \"option-data\": [{\"name\": \"domain-search\", \"data\": "
	"\"known.example\"},\n"
	"     {\"name\": \"nis-domain-name\", \"data\": \"known.example\"},\n"
	"     {\"space\": \"vendor-4491\", \"code\": 32, \"csv-format\": "
	"false,\n"
	"      \"data\": \"20010db80000000000000000c0ffee00\"}]},\n"
	"  {\"name\": \"VENDOR_CLASS_acme\", \"valid-lifetime\": 3000,\n"
	"   \"option-data\": [{\"name\": \"nisp-domain-name\", \"data\": "
	"\"acme.example\"}]}],\n"
	" \"subnet6\": [\n"
	"  {\"id\": 1, \"subnet\": \"2001:db8:1::/64\", \"interface\": "
	"\"v6s\",\n"
	"   \"option-data\": [{\"name\": \"dns-servers\", \"data\": "
	"\"2001:db8:1::53\"}],\n"
	"   \"pools\": [{\"pool\": \"2001:db8:1::100-2001:db8:1::1ff\",\n"
	"     \"option-data\": [{\"name\": \"sip-server-dns\", \"data\": "
	"\"pool.example\"}]}],\n"
	"   \"reservations\": [{\"duid\": \"00:03:00:01:02:00:00:00:00:99\",\n"
	"     \"option-data\": [{\"name\": \"domain-search\", \"data\": "
	"\"host.example\"}]},\n"
	"    {\"duid\": \"00:03:00:01:02:00:00:00:00:dd\", \"client-classes\": "
	"[\"DROP\"]}]}]}}";

static int setup(void **state)
{
	static struct t6 t;

	(void)e6_config;
	if (t6_setup_text(&t, classes_config) < 0)
		return -1;
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	t6_free(*state);
	return 0;
}

static const uint8_t vc_acme[] = {0, 0, 0x30, 0x39, 0, 4, 'a', 'c', 'm', 'e'};

/* A SOLICIT (REQUEST when sid) of client n with one IA_NA (hint addr)
 * asking for every option of interest; option 16 vc if any. */
static int ask(struct t6 *t, uint8_t type, uint8_t n, const char *addr,
	       const uint8_t *vc, size_t vc_len)
{
	static const uint16_t oro[] = {21, 23, 24, 29, 30, 31};
	uint8_t duid[10] = {0, 3, 0, 1, 2, 0, 0, 0, 0, n};
	struct q6 q;

	q_begin(&q, type, duid, sizeof(duid), type != TERN_DHCP6_SOLICIT);
	if (vc)
		tern_dhcp6_put(&q.w, TERN_DHCP6_OPT_VENDOR_CLASS, vc, vc_len);
	q_oro(&q, oro, sizeof(oro) / sizeof(oro[0]));
	q_ia_na(&q, 1, addr);
	return t6_q(t, &q);
}

/* The reply's option code holds the wire form of the text (a DNS name
 * list for 21, 24, 29, 30; one address for 23, 31). */
static void want_opt(const struct t6 *t, uint16_t code, const char *text)
{
	const uint8_t *v;
	int n = tern_dhcp6_msg_find(&t->reply, code, &v);
	uint8_t w[64];
	size_t wl = 0;

	if (code == 23 || code == 31) {
		struct in6_addr a = a6(text);

		memcpy(w, &a, 16);
		wl = 16;
	} else {
		const char *p = text;

		while (*p) {
			const char *dot = strchr(p, '.');
			size_t l = dot ? (size_t)(dot - p) : strlen(p);

			w[wl++] = (uint8_t)l;
			memcpy(w + wl, p, l);
			wl += l;
			p += l + (dot ? 1 : 0);
		}
		w[wl++] = 0;
	}
	if (n != (int)wl)
		print_error("option %u: length %d, wanted %zu\n", code, n, wl);
	assert_int_equal(n, (int)wl);
	assert_memory_equal(v, w, wl);
}

/* The first IA_NA's lease lifetimes. */
static void want_life(const struct t6 *t, uint32_t pref, uint32_t valid)
{
	struct tern_dhcp6_ia ia;
	struct in6_addr a;
	uint32_t p, v;
	uint8_t plen;

	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_NA, 1, &ia), 0);
	assert_int_equal(
		ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 0, &a, &plen, &p, &v), 0);
	assert_int_equal(p, pref);
	assert_int_equal(v, valid);
}

/* An unknown client: the pool's 21 before ALL's, the subnet's 23 before
 * ALL's, ALL's 31 before the global one, UNKNOWN has nothing. */
static void test_precedence(void **state)
{
	struct t6 *t = *state;

	assert_int_equal(ask(t, TERN_DHCP6_SOLICIT, 1, NULL, NULL, 0), 1);
	want_opt(t, 21, "pool.example");
	want_opt(t, 23, "2001:db8:1::53");
	want_opt(t, 31, "2001:db8::a11");
	want_opt(t, 29, "global.example");
	assert_false(r_has(t, 24));
	assert_false(r_has(t, 30));
	want_life(t, 300, 600);
}

/* A reserved client is KNOWN: the host's 24 before KNOWN's, KNOWN's 29
 * before the global one; KNOWN's lifetimes for its new lease, kept in
 * its REQUEST, the subnet's once it renews (Kea's extendLease6). */
static void test_known(void **state)
{
	struct t6 *t = *state;

	assert_int_equal(ask(t, TERN_DHCP6_SOLICIT, 0x99, NULL, NULL, 0), 1);
	want_opt(t, 24, "host.example");
	want_opt(t, 29, "known.example");
	want_opt(t, 31, "2001:db8::a11");
	want_life(t, 1000, 2000);
	assert_int_equal(
		ask(t, TERN_DHCP6_REQUEST, 0x99, "2001:db8:1::100", NULL, 0),
		1);
	want_life(t, 1000, 2000);
	assert_int_equal(t->n_ch, 1);
	assert_int_equal(t->ch[0].lease.valid, 2000);
	assert_int_equal(
		ask(t, TERN_DHCP6_REQUEST, 0x99, "2001:db8:1::100", NULL, 0),
		1);
	want_life(t, 1000, 2000);
	assert_int_equal(
		ask(t, TERN_DHCP6_RENEW, 0x99, "2001:db8:1::100", NULL, 0), 1);
	want_life(t, 300, 600);
	assert_int_equal(
		ask(t, TERN_DHCP6_SOLICIT, 0x99, "2001:db8:1::100", NULL, 0),
		1);
	want_life(t, 300, 600); /* what the binding now holds */
}

/* A vendor class: its option, and its valid-lifetime with the subnet's
 * preferred one (the first class with each). */
static void test_vendor(void **state)
{
	struct t6 *t = *state;

	assert_int_equal(
		ask(t, TERN_DHCP6_SOLICIT, 2, NULL, vc_acme, sizeof(vc_acme)),
		1);
	want_opt(t, 30, "acme.example");
	want_life(t, 300, 3000);
}

/* A reservation's client-classes holding DROP: no answer, counted. */
static void test_drop(void **state)
{
	struct t6 *t = *state;
	uint64_t before = ternd_engine6_stats(t->e)->drop_class;

	assert_int_equal(ask(t, TERN_DHCP6_SOLICIT, 0xdd, NULL, NULL, 0), 0);
	assert_int_equal(ternd_engine6_stats(t->e)->drop_class, before + 1);
	assert_int_equal(ask(t, TERN_DHCP6_SOLICIT, 3, NULL, NULL, 0), 1);
	assert_int_equal(ternd_engine6_stats(t->e)->drop_class, before + 1);
}

/* An INFORMATION-REQUEST is classified too. */
static void test_info(void **state)
{
	struct t6 *t = *state;
	static const uint16_t oro[] = {21, 31};
	uint8_t duid[10] = {0, 3, 0, 1, 2, 0, 0, 0, 0, 7};
	struct q6 q;

	q_begin(&q, TERN_DHCP6_INFORMATION_REQUEST, duid, sizeof(duid), false);
	q_oro(&q, oro, 2);
	assert_int_equal(t6_q(t, &q), 1);
	want_opt(t, 21, "all.example"); /* no lease: no pool level */
	want_opt(t, 31, "2001:db8::a11");
}

/* A class's vendor-N options go inside option 17 as the other levels':
 * a known client asking (CableLabs ORO) gets KNOWN's, an unknown not. */
static void test_vendor_opts(void **state)
{
	struct t6 *t = *state;
	static const uint8_t ask17[] = {0, 0, 0x11, 0x8b, 0, 1, 0, 2, 0, 32};
	static const uint8_t docsis[] = {
		0, 0, 0x11, 0x8b, 0, 32, 0, 16, 0x20, 0x01, 0x0d, 0xb8,
		0, 0, 0,    0,	  0, 0,	 0, 0,	0xc0, 0xff, 0xee, 0};
	uint8_t duid[10] = {0, 3, 0, 1, 2, 0, 0, 0, 0, 0x99};
	const uint8_t *v;
	struct q6 q;

	q_begin(&q, TERN_DHCP6_SOLICIT, duid, sizeof(duid), false);
	tern_dhcp6_put(&q.w, TERN_DHCP6_OPT_VENDOR_OPTS, ask17, sizeof(ask17));
	q_ia_na(&q, 1, NULL);
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(tern_dhcp6_msg_find(&t->reply, 17, &v),
			 (int)sizeof(docsis));
	assert_memory_equal(v, docsis, sizeof(docsis));
	duid[9] = 0x55;
	q_begin(&q, TERN_DHCP6_SOLICIT, duid, sizeof(duid), false);
	tern_dhcp6_put(&q.w, TERN_DHCP6_OPT_VENDOR_OPTS, ask17, sizeof(ask17));
	q_ia_na(&q, 1, NULL);
	assert_int_equal(t6_q(t, &q), 1);
	assert_false(r_has(t, 17));
}

/* A reservation's client-classes: outside a shared network they join at
 * the host lookup (gate the pool, give lifetimes and options); in one
 * only after the leases (Kea's conditionallySetReservedClientClasses):
 * options still, but no pool and no lifetimes. */
static const char *reserved_config =
	"{\"Dhcp6\": {\"preferred-lifetime\": 300, \"valid-lifetime\": 600,\n"
	" \"client-classes\": [{\"name\": \"gold\", \"valid-lifetime\": "
	"999,\n"
	"   \"option-data\": [{\"name\": \"domain-search\", \"data\": "
	"\"gold.example\"}]}],\n"
	" \"shared-networks\": [{\"name\": \"net\", \"interface\": "
	"\"v6s\",\n"
	"  \"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\",\n"
	"   \"pools\": [{\"pool\": \"2001:db8:1::10-2001:db8:1::10\", "
	"\"client-class\": \"gold\"},\n"
	"     {\"pool\": \"2001:db8:1::20-2001:db8:1::20\"}],\n"
	"   \"reservations\": [{\"duid\": \"00:03:00:01:02:00:00:00:00:99\", "
	"\"client-classes\": [\"gold\"]}]}]}],\n"
	" \"subnet6\": [{\"id\": 2, \"subnet\": \"2001:db8:2::/64\", "
	"\"interface\": \"v6t\",\n"
	"   \"pools\": [{\"pool\": \"2001:db8:2::10-2001:db8:2::10\", "
	"\"client-class\": \"gold\"},\n"
	"     {\"pool\": \"2001:db8:2::20-2001:db8:2::20\"}],\n"
	"   \"reservations\": [{\"duid\": \"00:03:00:01:02:00:00:00:00:99\", "
	"\"client-classes\": [\"gold\"]}]}]}}";

static void test_reserved_late(void **state)
{
	struct t6 t;
	struct tern_dhcp6_ia ia;
	struct in6_addr a, w;
	uint32_t p, v;
	uint8_t plen;

	(void)state;
	assert_int_equal(t6_setup_text(&t, reserved_config), 0);
	assert_int_equal(ask(&t, TERN_DHCP6_SOLICIT, 0x99, NULL, NULL, 0), 1);
	assert_int_equal(r_ia(&t, TERN_DHCP6_OPT_IA_NA, 1, &ia), 0);
	assert_int_equal(
		ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 0, &a, &plen, &p, &v), 0);
	w = a6("2001:db8:1::20");
	assert_memory_equal(&a, &w, 16);
	assert_int_equal(v, 600);
	want_opt(&t, 24, "gold.example");
	t.rx.ifname = "v6t";
	assert_int_equal(ask(&t, TERN_DHCP6_SOLICIT, 0x99, NULL, NULL, 0), 1);
	assert_int_equal(r_ia(&t, TERN_DHCP6_OPT_IA_NA, 1, &ia), 0);
	assert_int_equal(
		ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 0, &a, &plen, &p, &v), 0);
	w = a6("2001:db8:2::10");
	assert_memory_equal(&a, &w, 16);
	assert_int_equal(v, 999);
	want_opt(&t, 24, "gold.example");
	t6_free(&t);
}

/* What the client asks for in its IA (Kea's hints_[0]), within the
 * bounds of the triplet that applies: the class's for a new lease, the
 * subnet's when renewed. */
static const char *bounds_config =
	"{\"Dhcp6\": {\"preferred-lifetime\": 300, "
	"\"min-preferred-lifetime\": 100,\n"
	" \"max-preferred-lifetime\": 500, \"valid-lifetime\": 600, "
	"\"min-valid-lifetime\": 300,\n"
	" \"max-valid-lifetime\": 900,\n"
	" \"client-classes\": [{\"name\": \"VENDOR_CLASS_acme\", "
	"\"valid-lifetime\": 2000,\n"
	"   \"min-valid-lifetime\": 1500, \"max-valid-lifetime\": 2500}],\n"
	" \"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\", "
	"\"interface\": \"v6s\",\n"
	"   \"pools\": [{\"pool\": \"2001:db8:1::10-2001:db8:1::1f\"}]}]}}";

static int ask_life(struct t6 *t, uint8_t type, uint8_t n, const char *addr,
		    uint32_t pref, uint32_t valid, bool vc)
{
	uint8_t duid[10] = {0, 3, 0, 1, 2, 0, 0, 0, 0, n};
	struct in6_addr a = a6(addr);
	struct q6 q;

	q_begin(&q, type, duid, sizeof(duid), type != TERN_DHCP6_SOLICIT);
	if (vc)
		tern_dhcp6_put(&q.w, TERN_DHCP6_OPT_VENDOR_CLASS, vc_acme,
			       sizeof(vc_acme));
	tern_dhcp6_begin_ia(&q.w, TERN_DHCP6_OPT_IA_NA, 1, 0, 0);
	tern_dhcp6_begin_iaaddr(&q.w, &a, pref, valid);
	tern_dhcp6_end(&q.w);
	tern_dhcp6_end(&q.w);
	return t6_q(t, &q);
}

static void test_hint_bounds(void **state)
{
	struct t6 t;

	(void)state;
	assert_int_equal(t6_setup_text(&t, bounds_config), 0);
	/* The subnet's bounds; 0 asks for nothing. */
	assert_int_equal(ask_life(&t, TERN_DHCP6_SOLICIT, 1, "2001:db8:1::10",
				  50, 1000, false),
			 1);
	want_life(&t, 100, 900);
	assert_int_equal(ask_life(&t, TERN_DHCP6_SOLICIT, 2, "2001:db8:1::11",
				  0, 400, false),
			 1);
	want_life(&t, 300, 400);
	/* The class's valid triplet for a new lease, the subnet's
	 * preferred one. */
	assert_int_equal(ask_life(&t, TERN_DHCP6_REQUEST, 3, "2001:db8:1::12",
				  450, 1000, true),
			 1);
	want_life(&t, 450, 1500);
	assert_int_equal(ask_life(&t, TERN_DHCP6_REQUEST, 3, "2001:db8:1::12",
				  0, 0, true),
			 1);
	want_life(&t, 450, 1500); /* kept */
	/* Renewed: the subnet's triplet. */
	assert_int_equal(ask_life(&t, TERN_DHCP6_RENEW, 3, "2001:db8:1::12",
				  450, 1000, true),
			 1);
	want_life(&t, 450, 900);
	assert_int_equal(
		ask_life(&t, TERN_DHCP6_RENEW, 3, "2001:db8:1::12", 0, 0, true),
		1);
	want_life(&t, 300, 600);
	t6_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_precedence, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_known, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vendor, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_info, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vendor_opts, setup,
						teardown),
		cmocka_unit_test(test_reserved_late),
		cmocka_unit_test(test_hint_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
