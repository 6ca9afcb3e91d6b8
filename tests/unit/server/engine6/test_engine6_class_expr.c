/* Unit tests: Dhcp6 client classes with test expressions in the DHCPv6
 * engine (class6.c): pools, pd-pools and subnets gated by a tested class,
 * a KNOWN-dependent class, DROP by a test, a required class giving options
 * only where required, a relayed client classified by relay6[0].option[18],
 * a test on the message type. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "server/engine6/e6_test.h"

static const char *expr_config =
	"{\"Dhcp6\": {\"preferred-lifetime\": 300, \"valid-lifetime\": 600,\n"
	" \"client-classes\": [\n"
	"  {\"name\": \"vc\", \"test\": \"option[16].exists\"},\n"
	"  {\"name\": \"kvc\", \"test\": \"member('KNOWN') and "
	"member('vc')\"},\n"
	"  {\"name\": \"port7\", \"test\": \"relay6[0].option[18].hex == "
	"'port7'\"},\n"
	"  {\"name\": \"DROP\", \"test\": \"option[65000].exists\"},\n"
	"  {\"name\": \"req\", \"test\": \"option[16].exists\", "
	"\"only-if-required\": true,\n"
	"   \"option-data\": [{\"name\": \"dns-servers\", \"data\": "
	"\"2001:db8::5\"}]},\n"
	"  {\"name\": \"never\", \"test\": \"'a' == 'a'\", "
	"\"only-if-required\": "
	"true,\n"
	"   \"option-data\": [{\"name\": \"sntp-servers\", \"data\": "
	"\"2001:db8::6\"}]},\n"
	"  {\"name\": \"pdreq\", \"test\": \"'a' == 'a'\", "
	"\"only-if-required\": "
	"true,\n"
	"   \"preferred-lifetime\": 7, \"valid-lifetime\": 8,\n"
	"   \"option-data\": [{\"name\": \"nis-domain-name\", \"data\": "
	"\"pd.example\"}]},\n"
	"  {\"name\": \"tosrv\", \"test\": \"pkt.dst == 2001:db8:1::1\",\n"
	"   \"option-data\": [{\"name\": \"sntp-servers\", \"data\": "
	"\"2001:db8::7\"}]},\n"
	"  {\"name\": \"solicit\", \"test\": \"pkt6.msgtype == 1\",\n"
	"   \"option-data\": [{\"name\": \"domain-search\", \"data\": "
	"\"solicit.example\"}]}],\n"
	" \"subnet6\": [\n"
	"  {\"id\": 1, \"subnet\": \"2001:db8:1::/64\", \"interface\": "
	"\"v6s\",\n"
	"   \"require-client-classes\": [\"req\"],\n"
	"   \"pools\": [{\"pool\": \"2001:db8:1::10-2001:db8:1::10\", "
	"\"client-class\": \"vc\"},\n"
	"     {\"pool\": \"2001:db8:1::30-2001:db8:1::30\", \"client-class\": "
	"\"kvc\"},\n"
	"     {\"pool\": \"2001:db8:1::20-2001:db8:1::2f\"}],\n"
	"   \"pd-pools\": [{\"prefix\": \"2001:db8:a000::\", \"prefix-len\": "
	"56, \"delegated-len\": 56,\n"
	"     \"client-class\": \"vc\", \"require-client-classes\": "
	"[\"pdreq\"]}],\n"
	"   \"reservations\": [{\"duid\": "
	"\"00:03:00:01:02:00:00:00:00:99\", \"hostname\": \"k\"}]},\n"
	"  {\"id\": 2, \"subnet\": \"2001:db8:2::/64\", \"client-class\": "
	"\"port7\",\n"
	"   \"pools\": [{\"pool\": \"2001:db8:2::10-2001:db8:2::1f\"}]},\n"
	"  {\"id\": 3, \"subnet\": \"2001:db8:3::/64\", \"interface\": "
	"\"v6u\",\n"
	"   \"pools\": [{\"pool\": \"2001:db8:3::10-2001:db8:3::1f\"}]}]}}";

static int setup(void **state)
{
	static struct t6 t;

	(void)e6_config;
	if (t6_setup_text(&t, expr_config) < 0)
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

/* A request of client n: one IA (PD when pd), option 16 when vc, option
 * 65000 when drop, an ORO of 23, 24, 29, 31. */
static void build(struct q6 *q, uint8_t type, uint8_t n, bool pd, bool vc,
		  bool drop)
{
	static const uint16_t oro[] = {23, 24, 29, 31};
	uint8_t duid[10] = {0, 3, 0, 1, 2, 0, 0, 0, 0, n};

	q_begin(q, type, duid, sizeof(duid), type != TERN_DHCP6_SOLICIT);
	if (vc)
		tern_dhcp6_put(&q->w, TERN_DHCP6_OPT_VENDOR_CLASS, vc_acme,
			       sizeof(vc_acme));
	if (drop)
		tern_dhcp6_put(&q->w, 65000, "x", 1);
	q_oro(q, oro, sizeof(oro) / sizeof(oro[0]));
	if (pd)
		q_ia_pd(q, 1, NULL, 0);
	else
		q_ia_na(q, 1, NULL);
}

/* The lease of the reply's IA (-1 when it has none). */
static int lease(const struct t6 *t, bool pd, struct in6_addr *a,
		 uint32_t *pref, uint32_t *valid)
{
	uint16_t code = pd ? TERN_DHCP6_OPT_IA_PD : TERN_DHCP6_OPT_IA_NA;
	struct tern_dhcp6_ia ia;
	uint8_t plen;

	if (r_ia(t, code, 1, &ia) < 0)
		return -1;
	return ia_lease(&ia, code, 0, a, &plen, pref, valid);
}

static void want(const struct in6_addr *a, const char *s)
{
	struct in6_addr w = a6(s);

	assert_memory_equal(a, &w, 16);
}

static int ask(struct t6 *t, uint8_t n, bool pd, bool vc, struct in6_addr *a)
{
	struct q6 q;
	uint32_t p, v;

	build(&q, TERN_DHCP6_SOLICIT, n, pd, vc, false);
	if (t6_q(t, &q) != 1)
		return -2;
	return lease(t, pd, a, &p, &v);
}

/* A pool and a pd-pool of a tested class: members only. */
static void test_pools(void **state)
{
	struct t6 *t = *state;
	struct in6_addr a;

	assert_int_equal(ask(t, 1, false, true, &a), 0);
	want(&a, "2001:db8:1::10");
	assert_int_equal(ask(t, 2, false, false, &a), 0);
	want(&a, "2001:db8:1::20");
	assert_int_equal(ask(t, 3, true, true, &a), 0);
	want(&a, "2001:db8:a000::");
	assert_int_equal(ask(t, 4, true, false, &a), -1); /* no pd for it */
}

/* A class depending on KNOWN opens its pool to a known member only: the
 * reserved vc client gets ::30 (the vc pool is taken first). */
static void test_known_dependent(void **state)
{
	struct t6 *t = *state;
	struct in6_addr a;
	struct q6 q;

	/* Take the vc pool's one address, committed. */
	build(&q, TERN_DHCP6_REQUEST, 1, false, true, false);
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(t->n_ch, 1);
	assert_int_equal(ask(t, 0x99, false, true, &a), 0);
	want(&a, "2001:db8:1::30");
	assert_int_equal(ask(t, 5, false, true, &a), 0); /* unknown: no ::30 */
	want(&a, "2001:db8:1::20");
	/* Not vc: not kvc either (::20 was offered, the cursor moved on). */
	assert_int_equal(ask(t, 0x99, false, false, &a), 0);
	want(&a, "2001:db8:1::21");
}

/* DROP by a test: no answer, counted apart. */
static void test_drop(void **state)
{
	struct t6 *t = *state;
	struct q6 q;

	build(&q, TERN_DHCP6_SOLICIT, 6, false, false, true);
	assert_int_equal(t6_q(t, &q), 0);
	assert_int_equal(ternd_engine6_stats(t->e)->drop_class, 1);
	build(&q, TERN_DHCP6_SOLICIT, 6, false, false, false);
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(ternd_engine6_stats(t->e)->drop_class, 1);
}

/* A required class gives its options where the subnet requires it and
 * the test holds; an only-if-required class nothing requires never;
 * a pd-pool's required class once a prefix of it is given (its
 * lifetimes not: Kea picks them before requiredClassify). */
static void test_required(void **state)
{
	struct t6 *t = *state;
	struct in6_addr a;
	const uint8_t *v;
	struct in6_addr want_dns = a6("2001:db8::5");
	uint32_t p, l;
	struct q6 q;

	build(&q, TERN_DHCP6_SOLICIT, 7, false, true, false);
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(tern_dhcp6_msg_find(&t->reply, 23, &v), 16);
	assert_memory_equal(v, &want_dns, 16);
	assert_false(r_has(t, 31));
	assert_false(r_has(t, 29));
	build(&q, TERN_DHCP6_SOLICIT, 8, false, false, false);
	assert_int_equal(t6_q(t, &q), 1);
	assert_false(r_has(t, 23));
	/* Subnet 3 requires nothing. */
	t->rx.ifname = "v6u";
	build(&q, TERN_DHCP6_SOLICIT, 9, false, true, false);
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(lease(t, false, &a, &p, &l), 0);
	want(&a, "2001:db8:3::10");
	assert_false(r_has(t, 23));
	/* The pd-pool's required class. */
	t->rx.ifname = "v6s";
	build(&q, TERN_DHCP6_SOLICIT, 10, true, true, false);
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(lease(t, true, &a, &p, &l), 0);
	assert_true(r_has(t, 29));
	assert_int_equal(p, 300);
	assert_int_equal(l, 600);
}

/* Kea's pkt6.msgtype: the SOLICIT's class gives 24, the REQUEST's not. */
static void test_msgtype(void **state)
{
	struct t6 *t = *state;
	struct q6 q;

	build(&q, TERN_DHCP6_SOLICIT, 11, false, false, false);
	assert_int_equal(t6_q(t, &q), 1);
	assert_true(r_has(t, 24));
	build(&q, TERN_DHCP6_REQUEST, 11, false, false, false);
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(t->reply.type, TERN_DHCP6_REPLY);
	assert_false(r_has(t, 24));
}

/* pkt.dst: the datagram's destination (rx.dst). */
static void test_pkt_dst(void **state)
{
	struct t6 *t = *state;
	struct q6 q;

	build(&q, TERN_DHCP6_SOLICIT, 14, false, false, false);
	assert_int_equal(t6_q(t, &q), 1);
	assert_false(r_has(t, 31));
	t->rx.dst = a6("2001:db8:1::1");
	build(&q, TERN_DHCP6_SOLICIT, 14, false, false, false);
	assert_int_equal(t6_q(t, &q), 1);
	assert_true(r_has(t, 31));
	t->rx.dst = a6("ff02::1:2");
}

/* One relay (link-address in subnet 2) with interface-id id around a
 * SOLICIT of client n. */
static int relayed(struct t6 *t, uint8_t n, const char *id)
{
	struct q6 inner, outer;
	struct in6_addr link = a6("2001:db8:2::1"), peer = a6("fe80::2");
	int len;

	build(&inner, TERN_DHCP6_SOLICIT, n, false, false, false);
	len = q_len(&inner);
	tern_dhcp6_writer_init(&outer.w, outer.buf, sizeof(outer.buf));
	tern_dhcp6_write_relay_header(&outer.w, TERN_DHCP6_RELAY_FORW, 0, &link,
				      &peer);
	tern_dhcp6_put(&outer.w, TERN_DHCP6_OPT_INTERFACE_ID, id, strlen(id));
	tern_dhcp6_put(&outer.w, TERN_DHCP6_OPT_RELAY_MSG, inner.buf,
		       (size_t)len);
	t->rx.multicast = false;
	return t6_q(t, &outer);
}

/* relay6[0].option[18]: the subnet of class port7 only for a client the
 * relay says is on port7. */
static void test_relay(void **state)
{
	struct t6 *t = *state;
	struct in6_addr a;
	uint32_t p, v;

	assert_int_equal(relayed(t, 12, "port7"), 1);
	assert_int_equal(lease(t, false, &a, &p, &v), 0);
	want(&a, "2001:db8:2::10");
	assert_int_equal(relayed(t, 13, "port8"), 1);
	assert_int_equal(lease(t, false, &a, &p, &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_pools, setup, teardown),
		cmocka_unit_test_setup_teardown(test_known_dependent, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_drop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_required, setup, teardown),
		cmocka_unit_test_setup_teardown(test_msgtype, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relay, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pkt_dst, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
