/* Unit tests: the DHCPv6 engine on a shared network: selection picks the
 * network, allocation moves across its subnets (addresses and prefixes)
 * and starts in the latest one, a binding in a sibling subnet is kept,
 * reservations and CONFIRM over the whole link, the network option level
 * between subnet and global; Kea's allocation-failure counts on a
 * network; a reply's options in code order. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "server/engine6/e6_test.h"
#include "server/engine6/internal6.h"

static const char *net_config =
	"{\"Dhcp6\": {\"preferred-lifetime\": 300, \"valid-lifetime\": 600,\n"
	" \"option-def\": [{\"name\": \"site\", \"code\": 1000, \"type\": "
	"\"record\", \"record-types\": \"uint16, fqdn\"}],\n"
	" \"option-data\": [{\"name\": \"dns-servers\", \"data\": "
	"\"2001:db8::53\"},\n"
	"   {\"name\": \"site\", \"data\": \"258, a.b\"},\n"
	"   {\"name\": \"information-refresh-time\", \"data\": \"900\"}],\n"
	" \"subnet6\": [{\"id\": 9, \"subnet\": \"2001:db8:9::/64\", "
	"\"interface\": \"other\",\n"
	"   \"pools\": [{\"pool\": \"2001:db8:9::10-2001:db8:9::1f\"}]}],\n"
	" \"shared-networks\": [{\"name\": \"lab\", \"interface\": \"v6s\",\n"
	"  \"relay\": {\"ip-addresses\": [\"2001:db8:ff::1\"]},\n"
	"  \"rapid-commit\": true, \"valid-lifetime\": 900, "
	"\"preferred-lifetime\": 500,\n"
	"  \"option-data\": [{\"name\": \"information-refresh-time\", "
	"\"data\": \"700\"}],\n"
	"  \"subnet6\": [\n"
	"   {\"id\": 2, \"subnet\": \"2001:db8:2::/64\", \"valid-lifetime\": "
	"1000,\n"
	"    \"pools\": [{\"pool\": \"2001:db8:2::10-2001:db8:2::11\"}],\n"
	"    \"pd-pools\": [{\"prefix\": \"2001:db8:b000::\", \"prefix-len\": "
	"55, \"delegated-len\": 56}],\n"
	"    \"option-data\": [{\"name\": \"dns-servers\", \"data\": "
	"\"2001:db8:2::53\"}],\n"
	"    \"reservations\": [{\"duid\": \"00:03:00:01:02:00:00:00:00:99\", "
	"\"ip-addresses\": [\"2001:db8:2::99\"]}]},\n"
	"   {\"id\": 1, \"subnet\": \"2001:db8:1::/64\",\n"
	"    \"pools\": [{\"pool\": \"2001:db8:1::10-2001:db8:1::11\"}],\n"
	"    \"pd-pools\": [{\"prefix\": \"2001:db8:a000::\", \"prefix-len\": "
	"55, \"delegated-len\": 56}]}]}]}}";

static int setup(void **state)
{
	static struct t6 t;

	(void)e6_config; /* e6_test.h's; this file has its own */
	if (t6_setup_text(&t, net_config) < 0)
		return -1;
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	t6_free(*state);
	return 0;
}

static uint8_t duid_n[10] = {0, 3, 0, 1, 2, 0, 0, 0, 0, 0};

/* A rapid-commit SOLICIT from client n for one IA_NA (or IA_PD); returns
 * the engine's result, the lease in *ret, its valid lifetime. */
static int solicit(struct t6 *t, uint8_t n, bool pd, struct in6_addr *ret,
		   uint32_t *ret_valid, uint32_t *ret_subnet)
{
	static const uint16_t oro[] = {23, 32};
	struct q6 q;
	struct tern_dhcp6_ia ia;
	uint16_t code = pd ? TERN_DHCP6_OPT_IA_PD : TERN_DHCP6_OPT_IA_NA;
	uint8_t plen;
	uint32_t pref;
	int rc;

	duid_n[9] = n;
	q_begin(&q, TERN_DHCP6_SOLICIT, duid_n, sizeof(duid_n), false);
	tern_dhcp6_put_empty(&q.w, TERN_DHCP6_OPT_RAPID_COMMIT);
	q_oro(&q, oro, 2);
	if (pd)
		q_ia_pd(&q, 1, NULL, 0);
	else
		q_ia_na(&q, 1, NULL);
	rc = t6_q(t, &q);
	if (rc != 1)
		return rc;
	if (r_ia(t, code, 1, &ia) < 0)
		return -2;
	if (ia_lease(&ia, code, 0, ret, &plen, &pref, ret_valid) < 0)
		return -3; /* a status instead */
	*ret_subnet = t->n_ch ? t->ch[t->n_ch - 1].lease.subnet_id : 0;
	return 1;
}

static uint32_t refresh_time(const struct t6 *t)
{
	const uint8_t *v;

	if (tern_dhcp6_msg_find(&t->reply, 32, &v) != 4)
		return 0;
	return (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 |
	       (uint32_t)v[2] << 8 | v[3];
}

static bool dns_is(const struct t6 *t, const char *addr)
{
	const uint8_t *v;
	struct in6_addr want = a6(addr);

	return tern_dhcp6_msg_find(&t->reply, 23, &v) == 16 &&
	       memcmp(v, &want, 16) == 0;
}

/* Subnet 1 (lowest id) is selected; when full, subnet 2; then nothing.
 * Each lease has its subnet's lifetime and options; the network's option
 * is between subnet and global. */
static void test_spill(void **state)
{
	struct t6 *t = *state;
	struct in6_addr a;
	uint32_t valid, sid;
	static const char *const want[] = {"2001:db8:1::10", "2001:db8:1::11",
					   "2001:db8:2::10", "2001:db8:2::11"};

	for (uint8_t n = 1; n <= 4; n++) {
		struct in6_addr w = a6(want[n - 1]);

		assert_int_equal(solicit(t, n, false, &a, &valid, &sid), 1);
		assert_int_equal(t->reply.type, TERN_DHCP6_REPLY);
		assert_memory_equal(&a, &w, 16);
		assert_int_equal(sid, n <= 2 ? 1 : 2);
		assert_int_equal(valid, n <= 2 ? 900 : 1000);
		assert_true(
			dns_is(t, n <= 2 ? "2001:db8::53" : "2001:db8:2::53"));
		assert_int_equal(refresh_time(t), 700);
	}
	assert_int_equal(solicit(t, 5, false, &a, &valid, &sid), -3);
	/* Subnet 9 is not on this link. */
	assert_int_equal(ternd_engine6_count(t->e), 4);
}

/* A client whose binding is in the sibling subnet renews it there. */
static void test_renew_in_sibling(void **state)
{
	struct t6 *t = *state;
	struct in6_addr a, got;
	uint32_t valid, sid, pref;
	uint8_t plen;
	struct q6 q;
	struct tern_dhcp6_ia ia;

	for (uint8_t n = 1; n <= 3; n++)
		assert_int_equal(solicit(t, n, false, &a, &valid, &sid), 1);
	assert_int_equal(sid, 2);
	t->rx.now += 100;
	duid_n[9] = 3;
	q_begin(&q, TERN_DHCP6_RENEW, duid_n, sizeof(duid_n), true);
	q_ia_na(&q, 1, "2001:db8:2::10");
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_NA, 1, &ia), 0);
	assert_int_equal(ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 0, &got, &plen,
				  &pref, &valid),
			 0);
	assert_memory_equal(&got, &a, 16);
	assert_int_equal(valid, 1000);
	assert_int_equal(t->n_ch, 1);
	assert_int_equal(t->ch[0].lease.subnet_id, 2);
	assert_int_equal(t->ch[0].lease.expire, t->rx.now + 1000);
	/* No second address: it is the same binding. */
	assert_int_equal(ternd_engine6_count(t->e), 3);
	/* CONFIRM of it through subnet 1's interface: on the link. */
	q_begin(&q, TERN_DHCP6_CONFIRM, duid_n, sizeof(duid_n), false);
	q_ia_na(&q, 1, "2001:db8:2::10");
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(status_in(t->reply.opts, t->reply.opts_len),
			 TERN_DHCP6_STATUS_SUCCESS);
	q_begin(&q, TERN_DHCP6_CONFIRM, duid_n, sizeof(duid_n), false);
	q_ia_na(&q, 1, "2001:db8:9::10");
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(status_in(t->reply.opts, t->reply.opts_len),
			 TERN_DHCP6_STATUS_NOT_ON_LINK);
}

/* After subnet 1 filled up, allocation starts in subnet 2 (the latest
 * pick, Kea's preferred subnet) even when subnet 1 has room again. */
static void test_preferred_subnet(void **state)
{
	struct t6 *t = *state;
	struct in6_addr a;
	uint32_t valid, sid;
	struct q6 q;

	for (uint8_t n = 1; n <= 3; n++)
		assert_int_equal(solicit(t, n, false, &a, &valid, &sid), 1);
	duid_n[9] = 1;
	q_begin(&q, TERN_DHCP6_RELEASE, duid_n, sizeof(duid_n), true);
	q_ia_na(&q, 1, "2001:db8:1::10");
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(t->n_ch, 1);
	assert_int_equal(solicit(t, 7, false, &a, &valid, &sid), 1);
	assert_int_equal(sid, 2);
	/* subnet 2 full now: the walk wraps to subnet 1's free one */
	assert_int_equal(solicit(t, 8, false, &a, &valid, &sid), 1);
	assert_int_equal(sid, 1);
	{
		struct in6_addr w = a6("2001:db8:1::10");

		assert_memory_equal(&a, &w, 16);
	}
}

/* Prefixes: two per subnet, subnet 1 first. */
static void test_pd_spill(void **state)
{
	struct t6 *t = *state;
	struct in6_addr a, w;
	uint32_t valid, sid;

	for (uint8_t n = 1; n <= 4; n++) {
		assert_int_equal(solicit(t, n, true, &a, &valid, &sid), 1);
		assert_int_equal(sid, n <= 2 ? 1 : 2);
	}
	w = a6("2001:db8:b000::");
	assert_true(memcmp(&a, &w, 6) == 0);
	assert_int_equal(solicit(t, 5, true, &a, &valid, &sid), -3);
}

/* The client's reservation is in subnet 2; it comes in through the link
 * that selects subnet 1 and gets it, in subnet 2. */
static void test_reservation_in_sibling(void **state)
{
	struct t6 *t = *state;
	struct in6_addr a, w = a6("2001:db8:2::99");
	uint32_t valid, sid;

	assert_int_equal(solicit(t, 0x99, false, &a, &valid, &sid), 1);
	assert_memory_equal(&a, &w, 16);
	assert_int_equal(sid, 2);
	assert_int_equal(valid, 1000);
	assert_true(dns_is(t, "2001:db8:2::53"));
}

/* An option of the option-def goes out when the ORO asks for it, as its
 * definition encodes it. */
static void test_defined_option(void **state)
{
	struct t6 *t = *state;
	static const uint16_t oro[] = {1000};
	static const uint8_t want[] = {1, 2, 1, 'a', 1, 'b', 0};
	const uint8_t *v;
	struct q6 q;

	q_begin(&q, TERN_DHCP6_INFORMATION_REQUEST, duid_a, sizeof(duid_a),
		false);
	q_oro(&q, oro, 1);
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(tern_dhcp6_msg_find(&t->reply, 1000, &v),
			 sizeof(want));
	assert_memory_equal(v, want, sizeof(want));
	/* not asked for: not sent */
	q_begin(&q, TERN_DHCP6_INFORMATION_REQUEST, duid_a, sizeof(duid_a),
		false);
	assert_int_equal(t6_q(t, &q), 1);
	assert_true(tern_dhcp6_msg_find(&t->reply, 1000, &v) < 0);
}

/* A relay whose address is the network's selects it. */
static void test_network_relay(void **state)
{
	struct t6 *t = *state;
	struct q6 inner, outer;
	struct in6_addr link = a6("2001:db8:ff::1"), peer = a6("fe80::2");
	struct tern_dhcp6_ia ia;
	int n;

	t->rx.ifname = "other";
	t->rx.multicast = false;
	q_begin(&inner, TERN_DHCP6_SOLICIT, duid_a, sizeof(duid_a), false);
	q_ia_na(&inner, 1, NULL);
	n = q_len(&inner);
	tern_dhcp6_writer_init(&outer.w, outer.buf, sizeof(outer.buf));
	tern_dhcp6_write_relay_header(&outer.w, TERN_DHCP6_RELAY_FORW, 0, &link,
				      &peer);
	tern_dhcp6_put(&outer.w, TERN_DHCP6_OPT_RELAY_MSG, inner.buf,
		       (size_t)n);
	assert_int_equal(t6_q(t, &outer), 1);
	assert_int_equal(t->reply.type, TERN_DHCP6_ADVERTISE);
	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_NA, 1, &ia), 0);
	{
		struct in6_addr got, w = a6("2001:db8:1::10");
		uint8_t plen;
		uint32_t pref, valid;

		assert_int_equal(ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 0, &got,
					  &plen, &pref, &valid),
				 0);
		assert_memory_equal(&got, &w, 16);
	}
}

/* Kea's v6-allocation-fail* on a network: counted on the subnet the walk
 * started from (the latest one picked), as -shared-network; -no-pools
 * only when no subnet of the network has a pool of the IA's type. */
static void test_alloc_fail_network(void **state)
{
	struct t6 *t = *state;
	struct in6_addr a;
	uint32_t valid, sid;
	const struct ternd_engine6_subnet_stats *s1, *s2;

	for (uint8_t n = 1; n <= 5; n++)
		solicit(t, n, false, &a, &valid, &sid);
	s1 = ternd_engine6_subnet_stats(t->e, 0); /* id 1 */
	s2 = ternd_engine6_subnet_stats(t->e, 1); /* id 2, picked last */
	assert_int_equal(s2->alloc_fail[TERND_AF6_SHARED_NETWORK], 1);
	assert_int_equal(s2->alloc_fail[TERND_AF6_ANY], 1);
	assert_int_equal(s2->alloc_fail[TERND_AF6_CLASSES], 1);
	assert_int_equal(s2->alloc_fail[TERND_AF6_SUBNET], 0);
	assert_int_equal(s2->alloc_fail[TERND_AF6_NO_POOLS], 0);
	for (int k = 0; k < TERND_AF6__MAX; k++)
		assert_int_equal(s1->alloc_fail[k], 0);
}

/* A network whose subnets have no pd-pool (one has a pool for another
 * class only): a prefix request fails as -no-pools, an address request
 * of a full network as the plain failure. */
static void test_alloc_fail_no_pools(void **state)
{
	struct t6 t;
	struct in6_addr a;
	uint32_t valid, sid;
	const struct ternd_engine6_subnet_stats *s1;

	(void)state;
	assert_int_equal(
		t6_setup_text(
			&t,
			"{\"Dhcp6\": {\"shared-networks\": [{\"name\": \"n\", "
			"\"interface\": \"v6s\", \"rapid-commit\": true, "
			"\"subnet6\": [\n"
			" {\"id\": 1, \"subnet\": \"2001:db8:1::/64\",\n"
			"  \"pools\": [{\"pool\": "
			"\"2001:db8:1::10-2001:db8:1::10\"}]},\n"
			" {\"id\": 2, \"subnet\": \"2001:db8:2::/64\",\n"
			"  \"pd-pools\": [{\"prefix\": \"2001:db8:b000::\", "
			"\"prefix-len\": 56, \"delegated-len\": 56, "
			"\"client-class\": \"KNOWN\"}]}]}]}}"),
		0);
	assert_int_equal(solicit(&t, 1, true, &a, &valid, &sid), -3);
	s1 = ternd_engine6_subnet_stats(t.e, 0);
	assert_int_equal(s1->alloc_fail[TERND_AF6_NO_POOLS], 1);
	assert_int_equal(s1->alloc_fail[TERND_AF6_ANY], 0);
	assert_int_equal(s1->alloc_fail[TERND_AF6_SHARED_NETWORK], 1);
	assert_int_equal(s1->alloc_fail[TERND_AF6_SUBNET], 0);
	assert_int_equal(solicit(&t, 2, false, &a, &valid, &sid), 1);
	assert_int_equal(solicit(&t, 3, false, &a, &valid, &sid), -3);
	s1 = ternd_engine6_subnet_stats(t.e, 0);
	assert_int_equal(s1->alloc_fail[TERND_AF6_ANY], 1);
	assert_int_equal(s1->alloc_fail[TERND_AF6_NO_POOLS], 1);
	assert_int_equal(s1->alloc_fail[TERND_AF6_SHARED_NETWORK], 2);
	assert_int_equal(s1->alloc_fail[TERND_AF6_CLASSES], 2);
	t6_free(&t);
}

/* A reply's options in code order, equal codes in the order written (Kea
 * packs from a multimap by code); a truncated tail is left alone. */
static void test_sort_options(void **state)
{
	uint8_t b[] = {0,  2, 0, 1, 0xa, 0, 1, 0, 0, 0,	 3, 0, 1, 1, 0,
		       25, 0, 0, 0, 3,	 0, 1, 2, 0, 23, 0, 2, 7, 7};
	static const uint8_t want[] = {0,  1, 0, 0, 0, 2, 0,  1, 0xa, 0,
				       3,  0, 1, 1, 0, 3, 0,  1, 2,   0,
				       23, 0, 2, 7, 7, 0, 25, 0, 0};
	uint8_t t[] = {0, 9, 0, 0, 0, 1, 0, 9, 1};

	(void)state;
	e6_sort_options(b, sizeof(b));
	assert_memory_equal(b, want, sizeof(want));
	e6_sort_options(t, sizeof(t));
	assert_int_equal(t[1], 9); /* 1's length runs past the end */
}

/* Servers sharing one PostgreSQL database (user-context.ternd
 * server-index 1 of 2): addresses and prefixes start in the second half
 * of each pool, and when that half is taken the search walks on into the
 * first half (any free one). */
static const char *share_config =
	"{\"Dhcp6\": {\"preferred-lifetime\": 300, \"valid-lifetime\": 600,\n"
	" \"lease-database\": {\"type\": \"postgresql\", \"name\": "
	"\"leases\"},\n"
	" \"user-context\": {\"ternd\": {\"server-index\": 1, \"servers\": "
	"2}},\n"
	" \"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\", "
	"\"interface\": \"v6s\", \"rapid-commit\": true,\n"
	"   \"pools\": [{\"pool\": \"2001:db8:1::10-2001:db8:1::17\"}],\n"
	"   \"pd-pools\": [{\"prefix\": \"2001:db8:a000::\", \"prefix-len\": "
	"54, \"delegated-len\": 56}]}]}}";

static void test_server_index_slices(void **state)
{
	static const char *const na[] = {"2001:db8:1::14", "2001:db8:1::15",
					 "2001:db8:1::16", "2001:db8:1::17",
					 "2001:db8:1::10", "2001:db8:1::11",
					 "2001:db8:1::12", "2001:db8:1::13"};
	static const char *const pd[] = {
		"2001:db8:a000:200::", "2001:db8:a000:300::", "2001:db8:a000::",
		"2001:db8:a000:100::"};
	struct t6 t;
	struct in6_addr a, w;
	uint32_t valid, sid;

	(void)state;
	assert_int_equal(t6_setup_text(&t, share_config), 0);
	assert_int_equal(t.cfg->store_pg.server_index, 1);
	assert_int_equal(t.cfg->store_pg.servers, 2);
	for (uint8_t n = 1; n <= 8; n++) {
		w = a6(na[n - 1]);
		assert_int_equal(solicit(&t, n, false, &a, &valid, &sid), 1);
		assert_memory_equal(&a, &w, 16);
	}
	assert_int_equal(solicit(&t, 9, false, &a, &valid, &sid), -3);
	for (uint8_t n = 1; n <= 4; n++) {
		w = a6(pd[n - 1]);
		assert_int_equal(solicit(&t, 20 + n, true, &a, &valid, &sid),
				 1);
		assert_memory_equal(&a, &w, 16);
	}
	/* Back to the start of the pool (index 0), and bad arguments. */
	assert_int_equal(ternd_engine6_share_pools(t.e, 0, 2), 0);
	assert_int_equal(ternd_engine6_share_pools(t.e, 2, 2), -EINVAL);
	assert_int_equal(ternd_engine6_share_pools(t.e, 0, 0), -EINVAL);
	assert_int_equal(ternd_engine6_share_pools(NULL, 0, 1), -EINVAL);
	t6_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_spill, setup, teardown),
		cmocka_unit_test_setup_teardown(test_renew_in_sibling, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_preferred_subnet, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_pd_spill, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reservation_in_sibling,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_network_relay, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_defined_option, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_alloc_fail_network, setup,
						teardown),
		cmocka_unit_test(test_alloc_fail_no_pools),
		cmocka_unit_test(test_sort_options),
		cmocka_unit_test(test_server_index_slices),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
