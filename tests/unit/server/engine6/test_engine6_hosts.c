/* Unit tests: the DHCPv6 engine's host reservations as Kea 2.2 uses them
 * (engine6/host6.c): a global host's addresses, prefixes, options and
 * classes, KNOWN from it; reservations-global / -in-subnet /
 * -out-of-pool; subnet hosts before the global one; the order of
 * host-reservation-identifiers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "server/engine6/e6_test.h"

/* DUID-LL 02:00:00:00:00:k (as e6_test.h's). */
#define DUID(k)                                \
	{                                      \
		0, 3, 0, 1, 2, 0, 0, 0, 0, (k) \
	}

#define HEAD                                                                   \
	"{\"Dhcp6\": {\"preferred-lifetime\": 300, \"valid-lifetime\": 600,\n" \
	" \"option-data\": [{\"name\": \"dns-servers\", \"data\": "            \
	"\"2001:db8::53\"}],\n"

#define CFG_GLOBAL                                                             \
	HEAD " \"reservations-global\": %s,\n"                                 \
	     " \"client-classes\": [{\"name\": \"gold\"}],\n"                  \
	     " \"reservations\": [{\"duid\": "                                 \
	     "\"00:03:00:01:02:00:00:00:00:71\",\n"                            \
	     "   \"ip-addresses\": [\"2001:db8:1::71\", "                      \
	     "\"2001:db8:1::72\"],\n"                                          \
	     "   \"prefixes\": [\"2001:db8:f100::/56\"], \"hostname\": "       \
	     "\"g71\",\n"                                                      \
	     "   \"client-classes\": [\"gold\"],\n"                            \
	     "   \"option-data\": [{\"name\": \"dns-servers\", \"data\": "     \
	     "\"2001:db8::71\"}]},\n"                                          \
	     "  {\"duid\": \"00:03:00:01:02:00:00:00:00:74\", "                \
	     "\"ip-addresses\": "                                              \
	     "[\"2001:db8:1::7f\"]},\n"                                        \
	     "  {\"hw-address\": \"02:00:00:00:00:73\", \"hostname\": "        \
	     "\"h73\"}],\n"                                                    \
	     " \"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\", "    \
	     "\"interface\": \"v6s\",\n"                                       \
	     "   \"pools\": [{\"pool\": \"2001:db8:1::100-2001:db8:1::100\", " \
	     "\"client-class\": \"KNOWN\"},\n"                                 \
	     "             {\"pool\": \"2001:db8:1::200-2001:db8:1::200\", "   \
	     "\"client-class\": \"UNKNOWN\"},\n"                               \
	     "             {\"pool\": \"2001:db8:1::50-2001:db8:1::50\", "     \
	     "\"client-class\": \"gold\"}],\n"                                 \
	     "   \"reservations\": [{\"duid\": "                               \
	     "\"00:03:00:01:02:00:00:00:00:74\", "                             \
	     "\"ip-addresses\": [\"2001:db8:1::74\"]}]}]}}"

static int start(struct t6 *t, const char *text)
{
	(void)e6_config;
	return t6_setup_text(t, text);
}

/* CFG_GLOBAL with reservations-global g. */
static int start_global(struct t6 *t, const char *g)
{
	char text[4096];

	snprintf(text, sizeof(text), CFG_GLOBAL, g);
	return start(t, text);
}

/* A REQUEST from duid with one IA_NA (iaid 1), and an IA_PD (iaid 2)
 * when pd: the address given (:: when none) and the prefix. */
static struct in6_addr request(struct t6 *t, const uint8_t *duid, bool pd,
			       struct in6_addr *ret_prefix)
{
	static const uint16_t oro[] = {TERN_DHCP6_OPT_DNS_SERVERS};
	struct q6 q;
	struct tern_dhcp6_ia ia;
	struct in6_addr a = {0}, p = {0};
	uint8_t plen;
	uint32_t pref, valid;

	q_begin(&q, TERN_DHCP6_REQUEST, duid, 10, true);
	q_oro(&q, oro, 1);
	q_ia_na(&q, 1, NULL);
	if (pd)
		q_ia_pd(&q, 2, NULL, 0);
	assert_int_equal(t6_q(t, &q), 1);
	if (r_ia(t, TERN_DHCP6_OPT_IA_NA, 1, &ia) == 0)
		ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 0, &a, &plen, &pref,
			 &valid);
	if (pd && r_ia(t, TERN_DHCP6_OPT_IA_PD, 2, &ia) == 0)
		ia_lease(&ia, TERN_DHCP6_OPT_IA_PD, 0, &p, &plen, &pref,
			 &valid);
	if (ret_prefix)
		*ret_prefix = p;
	return a;
}

static void assert_addr(struct in6_addr a, const char *want)
{
	struct in6_addr w = a6(want);
	char buf[INET6_ADDRSTRLEN];

	if (memcmp(&a, &w, 16) != 0) {
		inet_ntop(AF_INET6, &a, buf, sizeof(buf));
		fail_msg("got %s, wanted %s", buf, want);
	}
}

/* The reply's DNS servers option carries want. */
static void assert_dns(const struct t6 *t, const char *want)
{
	const uint8_t *v;
	struct in6_addr w = a6(want);

	assert_int_equal(
		tern_dhcp6_msg_find(&t->reply, TERN_DHCP6_OPT_DNS_SERVERS, &v),
		16);
	assert_memory_equal(v, &w, 16);
}

/* A global host: its first address (outside every pool) and prefix (in
 * no pd-pool), its options over the global ones, the lease's hostname;
 * a second IA gets its second address (Kea's isAllocated). */
static void test_global_host(void **state)
{
	static const uint8_t d71[] = DUID(0x71);
	struct t6 t;
	struct in6_addr p;
	struct q6 q;
	struct tern_dhcp6_ia ia;
	struct in6_addr a;
	uint8_t plen;
	uint32_t pref, valid;

	(void)state;
	assert_int_equal(start_global(&t, "true"), 0);
	assert_addr(request(&t, d71, true, &p), "2001:db8:1::71");
	assert_addr(p, "2001:db8:f100::");
	assert_dns(&t, "2001:db8::71");
	{
		struct in6_addr x = a6("2001:db8:1::71");

		assert_string_equal(
			ternd_engine6_find(t.e, TERND_LEASE6_NA, &x)->hostname,
			"g71");
	}
	q_begin(&q, TERN_DHCP6_REQUEST, d71, 10, true);
	q_ia_na(&q, 1, NULL);
	q_ia_na(&q, 9, NULL);
	assert_int_equal(t6_q(&t, &q), 1);
	assert_int_equal(r_ia(&t, TERN_DHCP6_OPT_IA_NA, 9, &ia), 0);
	assert_int_equal(ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 0, &a, &plen,
				  &pref, &valid),
			 0);
	assert_addr(a, "2001:db8:1::72");
	t6_free(&t);
}

/* KNOWN from a global host (no address of its own: the KNOWN pool), its
 * hw-address the link-layer address of the DUID-LL; no host: UNKNOWN. */
static void test_known(void **state)
{
	static const uint8_t d73[] = DUID(0x73), d80[] = DUID(0x80);
	struct t6 t;

	(void)state;
	assert_int_equal(start_global(&t, "true"), 0);
	assert_addr(request(&t, d73, false, NULL), "2001:db8:1::100");
	assert_addr(request(&t, d80, false, NULL), "2001:db8:1::200");
	t6_free(&t);
}

/* A subnet host comes before the global one: its address, and its
 * options (none: the global option-data), not the global host's. */
static void test_subnet_first(void **state)
{
	static const uint8_t d74[] = DUID(0x74);
	struct t6 t;

	(void)state;
	assert_int_equal(start_global(&t, "true"), 0);
	assert_addr(request(&t, d74, false, NULL), "2001:db8:1::74");
	assert_dns(&t, "2001:db8::53");
	t6_free(&t);
}

/* The global host's client-classes outside a shared network join before
 * the pools are chosen: its gold pool once its addresses are taken. */
static void test_global_classes(void **state)
{
	static const uint8_t d71[] = DUID(0x71), d99[] = DUID(0x99);
	struct t6 t;
	struct q6 q;

	(void)state;
	assert_int_equal(start_global(&t, "true"), 0);
	/* Another client holds both reserved addresses. */
	for (int i = 0; i < 2; i++) {
		struct ternd_lease6 l = {0};

		l.addr = a6(i ? "2001:db8:1::72" : "2001:db8:1::71");
		l.plen = 128;
		l.type = TERND_LEASE6_NA;
		l.state = TERND_LEASE6_BOUND;
		memcpy(l.duid, d99, 10);
		l.duid_len = 10;
		l.iaid = 5;
		l.subnet_id = 1;
		l.valid = l.preferred = 600;
		l.cltt = 900;
		l.expire = 1600;
		assert_int_equal(ternd_engine6_restore(t.e, &l), 0);
	}
	/* The KNOWN pool's one address goes to another known client: 71
	 * is left the gold pool, which only its host's class opens. */
	q_begin(&q, TERN_DHCP6_REQUEST, (const uint8_t[])DUID(0x73), 10, true);
	q_ia_na(&q, 1, NULL);
	assert_int_equal(t6_q(&t, &q), 1);
	assert_addr(request(&t, d71, false, NULL), "2001:db8:1::50");
	t6_free(&t);
}

/* reservations-global false (Kea's default): the global host is not
 * looked at: UNKNOWN, the global options. */
static void test_global_off(void **state)
{
	static const uint8_t d71[] = DUID(0x71);
	struct t6 t;

	(void)state;
	assert_int_equal(start_global(&t, "false"), 0);
	assert_addr(request(&t, d71, false, NULL), "2001:db8:1::200");
	assert_dns(&t, "2001:db8::53");
	t6_free(&t);
}

#define CFG_POOL                                                            \
	HEAD " \"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\", " \
	     "\"interface\": \"v6s\", %s\n"                                 \
	     "   \"pools\": [{\"pool\": "                                   \
	     "\"2001:db8:1::10-2001:db8:1::10\"}],\n"                       \
	     "   \"reservations\": [{\"duid\": "                            \
	     "\"00:03:00:01:02:00:00:00:00:81\", "                          \
	     "\"ip-addresses\": [\"2001:db8:1::10\"]}]}]}}"

/* The one pool address reserved for host 81, another client first:
 * flags says whether the pools look at the reservation (then the other
 * client gets nothing and 81 its address) or not (the other client takes
 * it; 81 gets nothing: out-of-pool skips an in-pool reservation,
 * in-subnet false never finds the host). */
static void pool_case(const char *flags, bool checked)
{
	static const uint8_t d81[] = DUID(0x81), d82[] = DUID(0x82);
	char text[2048];
	struct t6 t;

	snprintf(text, sizeof(text), CFG_POOL, flags);
	assert_int_equal(start(&t, text), 0);
	assert_addr(request(&t, d82, false, NULL),
		    checked ? "::" : "2001:db8:1::10");
	assert_addr(request(&t, d81, false, NULL),
		    checked ? "2001:db8:1::10" : "::");
	t6_free(&t);
}

static void test_flags(void **state)
{
	(void)state;
	pool_case("", true);
	pool_case("\"reservations-out-of-pool\": true,", false);
	pool_case("\"reservation-mode\": \"out-of-pool\",", false);
	pool_case("\"reservations-in-subnet\": false,", false);
	pool_case("\"reservation-mode\": \"disabled\",", false);
	pool_case("\"reservation-mode\": \"all\",", true);
}

#define CFG_IDS                                                                \
	HEAD " %s\n"                                                           \
	     " \"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\", "    \
	     "\"interface\": \"v6s\",\n"                                       \
	     "   \"pools\": [{\"pool\": "                                      \
	     "\"2001:db8:1::10-2001:db8:1::1f\"}],\n"                          \
	     "   \"reservations\": [{\"duid\": "                               \
	     "\"00:03:00:01:02:00:00:00:00:75\", "                             \
	     "\"ip-addresses\": [\"2001:db8:1::d\"]},\n"                       \
	     "     {\"hw-address\": \"02:00:00:00:00:75\", \"ip-addresses\": " \
	     "[\"2001:db8:1::e\"]}]}]}}"

/* A client with a duid and a hw-address host in one subnet: Kea's
 * default looks up hw-address first; host-reservation-identifiers says
 * otherwise; without hw-address the hw host is never found. */
static void test_identifiers(void **state)
{
	static const struct {
		const char *ids;
		const char *want;
	} cases[] = {
		{"", "2001:db8:1::e"},
		{"\"host-reservation-identifiers\": [\"duid\", "
		 "\"hw-address\"],",
		 "2001:db8:1::d"},
		{"\"host-reservation-identifiers\": [\"flex-id\", "
		 "\"hw-address\"],",
		 "2001:db8:1::e"},
		{"\"host-reservation-identifiers\": [\"duid\"],",
		 "2001:db8:1::d"},
	};
	static const uint8_t d75[] = DUID(0x75);
	static const uint8_t en[] = {0, 2, 0, 0, 0, 9, 0x75};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[2048];
		struct t6 t;

		snprintf(text, sizeof(text), CFG_IDS, cases[i].ids);
		assert_int_equal(start(&t, text), 0);
		assert_addr(request(&t, d75, false, NULL), cases[i].want);
		t6_free(&t);
	}
	/* hw-address only: a DUID-EN has no link-layer address. */
	{
		char text[2048];
		struct t6 t;
		struct q6 q;
		struct tern_dhcp6_ia ia;

		snprintf(text, sizeof(text), CFG_IDS,
			 "\"host-reservation-identifiers\": [\"hw-address\"],");
		assert_int_equal(start(&t, text), 0);
		q_begin(&q, TERN_DHCP6_REQUEST, en, sizeof(en), true);
		q_ia_na(&q, 1, NULL);
		assert_int_equal(t6_q(&t, &q), 1);
		assert_int_equal(r_ia(&t, TERN_DHCP6_OPT_IA_NA, 1, &ia), 0);
		{
			struct in6_addr a;
			uint8_t plen;
			uint32_t pref, valid;

			assert_int_equal(ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 0,
						  &a, &plen, &pref, &valid),
					 0);
			assert_addr(a, "2001:db8:1::10");
		}
		t6_free(&t);
	}
}

#define CFG_MAC                                                                \
	HEAD " %s\n"                                                           \
	     " \"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\", "    \
	     "\"interface\": \"v6s\",\n"                                       \
	     "   \"relay\": {\"ip-addresses\": [\"2001:db8:1::1\"]},\n"        \
	     "   \"pools\": [{\"pool\": "                                      \
	     "\"2001:db8:1::10-2001:db8:1::1f\"}],\n"                          \
	     "   \"reservations\": [\n"                                        \
	     "     {\"hw-address\": \"02:00:00:00:00:e0\", \"ip-addresses\": " \
	     "[\"2001:db8:1::e0\"]},\n"                                        \
	     "     {\"hw-address\": \"0c:00:00:00:00:e5\", \"ip-addresses\": " \
	     "[\"2001:db8:1::e5\"]},\n"                                        \
	     "     {\"hw-address\": \"0a:00:00:00:00:e6\", \"ip-addresses\": " \
	     "[\"2001:db8:1::e6\"]},\n"                                        \
	     "     {\"hw-address\": \"0b:00:00:00:00:e7\", \"ip-addresses\": " \
	     "[\"2001:db8:1::e7\"]}]}]}}"

/* A REQUEST (IA_NA 1) from duid, direct from src, or relayed (link
 * 2001:db8:1::1, peer) with one relay option (code, v): the address. */
static struct in6_addr mac_request(struct t6 *t, const uint8_t *duid,
				   size_t duid_len, const char *src,
				   const char *peer, uint16_t code,
				   const uint8_t *v, size_t len)
{
	struct q6 q, out;
	struct tern_dhcp6_ia ia;
	struct in6_addr a = {0};
	uint8_t plen;
	uint32_t pref, valid;
	int n;

	q_begin(&q, TERN_DHCP6_REQUEST, duid, duid_len, true);
	q_ia_na(&q, 1, NULL);
	n = q_len(&q);
	assert_true(n > 0);
	t->rx.src = a6(src);
	if (peer) {
		struct tern_dhcp6_writer w;
		struct in6_addr link = a6("2001:db8:1::1"), p = a6(peer);

		tern_dhcp6_writer_init(&w, out.buf, sizeof(out.buf));
		tern_dhcp6_write_relay_header(&w, TERN_DHCP6_RELAY_FORW, 0,
					      &link, &p);
		if (code)
			tern_dhcp6_put(&w, code, v, len);
		tern_dhcp6_put(&w, TERN_DHCP6_OPT_RELAY_MSG, q.buf, (size_t)n);
		n = tern_dhcp6_writer_finish(&w);
		assert_true(n > 0);
		assert_int_equal(t6_send(t, out.buf, (size_t)n), 1);
	} else {
		assert_int_equal(t6_send(t, q.buf, (size_t)n), 1);
	}
	if (r_ia(t, TERN_DHCP6_OPT_IA_NA, 1, &ia) == 0)
		ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 0, &a, &plen, &pref,
			 &valid);
	return a;
}

/* mac-sources: each source on its own, then "any" in Kea's order. */
static void test_mac_sources(void **state)
{
	static const uint8_t ll[] = DUID(0xe0);
	static const uint8_t en[] = {0, 2, 0, 0, 0, 9, 1, 2, 3};
	/* fe80::e00:ff:fe00:e5: modified EUI-64 of 0c:00:00:00:00:e5. */
	static const char *eui = "fe80::e00:ff:fe00:e5";
	static const uint8_t o79[] = {0, 1, 0xa, 0, 0, 0, 0, 0xe6};
	static const uint8_t o37[] = {0, 0, 0, 9, 0xb, 0, 0, 0, 0, 0xe7};
	static const uint8_t cmts[] = {0, 0,	0x11, 0x8b, 0x04, 0x02, 0,
				       6, 0x0b, 0,    0,    0,	  0,	0xe7};
	char text[4096];
	struct t6 t;

	(void)state;
	/* Kea's default (any): the DUID before the link-local source. */
	snprintf(text, sizeof(text), CFG_MAC, "");
	assert_int_equal(start(&t, text), 0);
	assert_addr(mac_request(&t, ll, sizeof(ll), eui, NULL, 0, NULL, 0),
		    "2001:db8:1::e0");
	/* A DUID-EN has none: the EUI-64 link-local source. */
	assert_addr(mac_request(&t, en, sizeof(en), eui, NULL, 0, NULL, 0),
		    "2001:db8:1::e5");
	t6_free(&t);
	/* Relayed: option 79 before the DUID; the relay's peer address
	 * stands for the source. */
	assert_int_equal(start(&t, text), 0);
	assert_addr(mac_request(&t, ll, sizeof(ll), "2001:db8:1::1", eui, 79,
				o79, sizeof(o79)),
		    "2001:db8:1::e6");
	assert_addr(mac_request(&t, en, sizeof(en), "2001:db8:1::1", eui, 0,
				NULL, 0),
		    "2001:db8:1::e5");
	t6_free(&t);
	/* Only ipv6-link-local: a DUID-LL client by its source. */
	snprintf(text, sizeof(text), CFG_MAC,
		 "\"mac-sources\": [\"ipv6-link-local\"],");
	assert_int_equal(start(&t, text), 0);
	assert_addr(mac_request(&t, ll, sizeof(ll), eui, NULL, 0, NULL, 0),
		    "2001:db8:1::e5");
	t6_free(&t);
	/* remote-id, docsis-cmts (a relay's CableLabs 17, sub-option
	 * 1026); with only raw none: the pool. */
	snprintf(text, sizeof(text), CFG_MAC,
		 "\"mac-sources\": [\"remote-id\", \"duid\"],");
	assert_int_equal(start(&t, text), 0);
	assert_addr(mac_request(&t, ll, sizeof(ll), "2001:db8:1::1", eui, 37,
				o37, sizeof(o37)),
		    "2001:db8:1::e7");
	t6_free(&t);
	snprintf(text, sizeof(text), CFG_MAC,
		 "\"mac-sources\": [\"docsis-cmts\"],");
	assert_int_equal(start(&t, text), 0);
	assert_addr(mac_request(&t, en, sizeof(en), "2001:db8:1::1", eui, 17,
				cmts, sizeof(cmts)),
		    "2001:db8:1::e7");
	t6_free(&t);
	snprintf(text, sizeof(text), CFG_MAC, "\"mac-sources\": [\"raw\"],");
	assert_int_equal(start(&t, text), 0);
	assert_addr(mac_request(&t, ll, sizeof(ll), eui, NULL, 0, NULL, 0),
		    "2001:db8:1::10");
	t6_free(&t);
}

#define CFG_EARLY                                                             \
	HEAD " \"early-global-reservations-lookup\": true,\n"                 \
	     " \"client-classes\": [{\"name\": \"gold\"}],\n"                 \
	     " \"reservations\": [{\"duid\": "                                \
	     "\"00:03:00:01:02:00:00:00:00:71\", \"client-classes\": "        \
	     "[\"gold\"]},\n"                                                 \
	     "  {\"duid\": \"00:03:00:01:02:00:00:00:00:72\", "               \
	     "\"hostname\": \"k\"}],\n"                                       \
	     " \"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\", "   \
	     "\"interface\": \"v6s\",\n"                                      \
	     "   \"client-class\": \"gold\", \"pools\": [{\"pool\": "         \
	     "\"2001:db8:1::10-2001:db8:1::1f\"}]},\n"                        \
	     "  {\"id\": 2, \"subnet\": \"2001:db8:2::/64\", \"interface\": " \
	     "\"v6s\",\n"                                                     \
	     "   \"pools\": [{\"pool\": \"2001:db8:2::10-2001:db8:2::10\", "  \
	     "\"client-class\": \"KNOWN\"},\n"                                \
	     "    {\"pool\": \"2001:db8:2::20-2001:db8:2::20\", "             \
	     "\"client-class\": \"UNKNOWN\"}]}]}}"

/* early-global-reservations-lookup: the global host's class chooses the
 * subnet; a global host makes its client KNOWN in a subnet without
 * reservations-global. */
static void test_early(void **state)
{
	static const uint8_t d71[] = DUID(0x71), d72[] = DUID(0x72),
			     d73[] = DUID(0x73);
	struct t6 t;

	(void)state;
	assert_int_equal(start(&t, CFG_EARLY), 0);
	assert_addr(request(&t, d71, false, NULL), "2001:db8:1::10");
	assert_addr(request(&t, d72, false, NULL), "2001:db8:2::10");
	assert_addr(request(&t, d73, false, NULL), "2001:db8:2::20");
	t6_free(&t);
}

#define CFG_NET                                                                \
	HEAD " \"shared-networks\": [{\"name\": \"n\", \"interface\": "        \
	     "\"v6s\", \"subnet6\": [\n"                                       \
	     "  {\"id\": 1, \"subnet\": \"2001:db8:1::/64\",\n"                \
	     "   \"pools\": [{\"pool\": "                                      \
	     "\"2001:db8:1::10-2001:db8:1::1f\"}],\n"                          \
	     "   \"reservations\": [{\"duid\": "                               \
	     "\"00:03:00:01:02:00:00:00:00:75\", \"ip-addresses\": "           \
	     "[\"2001:db8:1::d\"]},\n"                                         \
	     "     {\"hw-address\": \"02:00:00:00:00:75\", \"ip-addresses\": " \
	     "[\"2001:db8:1::e\"]}]},\n"                                       \
	     "  {\"id\": 2, \"subnet\": \"2001:db8:2::/64\"}%s]}]}}"

/* Kea's single query: in a network of more subnets than the client has
 * identifiers (2: duid, hw-address), the last type found in a subnet
 * wins (duid); with as many, the first (hw-address). */
static void test_single_query(void **state)
{
	static const uint8_t d75[] = DUID(0x75);
	char text[4096];
	struct t6 t;

	(void)state;
	snprintf(text, sizeof(text), CFG_NET, "");
	assert_int_equal(start(&t, text), 0);
	assert_addr(request(&t, d75, false, NULL), "2001:db8:1::e");
	t6_free(&t);
	snprintf(text, sizeof(text), CFG_NET,
		 ",\n  {\"id\": 3, \"subnet\": \"2001:db8:3::/64\"}");
	assert_int_equal(start(&t, text), 0);
	assert_addr(request(&t, d75, false, NULL), "2001:db8:1::d");
	t6_free(&t);
}

/* A client bound to a pool address gets its reservation once it is free
 * (Kea's removeNonreservedLeases6): the subnet host's, then the global
 * one's; a binding on a reserved address stays. */
static void test_switch(void **state)
{
	static const uint8_t d74[] = DUID(0x74), d71[] = DUID(0x71);
	struct t6 t;
	struct ternd_lease6 l = {0};
	struct in6_addr old = a6("2001:db8:1::200");

	(void)state;
	assert_int_equal(start_global(&t, "true"), 0);
	l.plen = 128;
	l.type = TERND_LEASE6_NA;
	l.state = TERND_LEASE6_BOUND;
	l.duid_len = 10;
	l.iaid = 1;
	l.subnet_id = 1;
	l.valid = l.preferred = 600;
	l.cltt = 900;
	l.expire = 1600;
	l.addr = a6("2001:db8:1::200");
	memcpy(l.duid, d74, 10);
	assert_int_equal(ternd_engine6_restore(t.e, &l), 0);
	l.addr = a6("2001:db8:1::100");
	memcpy(l.duid, d71, 10);
	assert_int_equal(ternd_engine6_restore(t.e, &l), 0);
	assert_addr(request(&t, d74, false, NULL), "2001:db8:1::74");
	/* The pool binding went. */
	assert_null(ternd_engine6_find(t.e, TERND_LEASE6_NA, &old));
	assert_addr(request(&t, d71, false, NULL), "2001:db8:1::71");
	assert_addr(request(&t, d71, false, NULL), "2001:db8:1::71");
	t6_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_global_host),
		cmocka_unit_test(test_known),
		cmocka_unit_test(test_subnet_first),
		cmocka_unit_test(test_global_classes),
		cmocka_unit_test(test_global_off),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_identifiers),
		cmocka_unit_test(test_mac_sources),
		cmocka_unit_test(test_early),
		cmocka_unit_test(test_single_query),
		cmocka_unit_test(test_switch),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
