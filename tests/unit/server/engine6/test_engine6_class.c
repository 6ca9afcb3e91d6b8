/* Unit tests: Kea's built-in client classes in the DHCPv6 engine (class6.c):
 * pools for KNOWN / UNKNOWN clients, subnets, networks and prefix pools
 * for a VENDOR_CLASS_ (option 16, DOCSIS tuples first), selection that
 * skips a subnet the client may not use, a reservation's client-classes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "server/engine6/e6_test.h"

static const char *class_config =
	"{\"Dhcp6\": {\"preferred-lifetime\": 300, \"valid-lifetime\": 600,\n"
	" \"subnet6\": [\n"
	"  {\"id\": 9, \"subnet\": \"2001:db8:9::/64\", \"interface\": "
	"\"v6t\",\n"
	"   \"client-class\": \"VENDOR_CLASS_acme\", \"rapid-commit\": true,\n"
	"   \"pools\": [{\"pool\": \"2001:db8:9::10-2001:db8:9::10\"}]},\n"
	"  {\"id\": 10, \"subnet\": \"2001:db8:10::/64\", \"interface\": "
	"\"v6t\", \"rapid-commit\": true,\n"
	"   \"pools\": [{\"pool\": \"2001:db8:10::5-2001:db8:10::5\", "
	"\"client-class\": \"office\"},\n"
	"             {\"pool\": \"2001:db8:10::10-2001:db8:10::10\"}],\n"
	"   \"reservations\": [{\"duid\": \"00:03:00:01:02:00:00:00:00:98\", "
	"\"client-classes\": [\"office\"]}]}],\n"
	" \"shared-networks\": [{\"name\": \"lab\", \"interface\": \"v6s\",\n"
	"  \"rapid-commit\": true,\n"
	"  \"subnet6\": [\n"
	"   {\"id\": 1, \"subnet\": \"2001:db8:1::/64\",\n"
	"    \"pools\": [{\"pool\": \"2001:db8:1::50-2001:db8:1::50\", "
	"\"client-class\": \"office\"},\n"
	"              {\"pool\": \"2001:db8:1::100-2001:db8:1::100\", "
	"\"client-class\": \"KNOWN\"},\n"
	"              {\"pool\": \"2001:db8:1::200-2001:db8:1::201\", "
	"\"client-class\": \"UNKNOWN\"}],\n"
	"    \"pd-pools\": [{\"prefix\": \"2001:db8:a000::\", \"prefix-len\": "
	"56, \"delegated-len\": 56, \"client-class\": \"VENDOR_CLASS_acme\"},\n"
	"      {\"prefix\": \"2001:db8:b000::\", \"prefix-len\": 56, "
	"\"delegated-len\": 56, \"client-class\": "
	"\"VENDOR_CLASS_docsis3.0\"}],\n"
	"    \"reservations\": [{\"duid\": \"00:03:00:01:02:00:00:00:00:99\", "
	"\"hostname\": \"known\"},\n"
	"      {\"duid\": \"00:03:00:01:02:00:00:00:00:98\", "
	"\"client-classes\": [\"lab\", \"office\"]}]},\n"
	"   {\"id\": 2, \"subnet\": \"2001:db8:2::/64\", \"client-class\": "
	"\"VENDOR_CLASS_acme\",\n"
	"    \"pools\": [{\"pool\": \"2001:db8:2::10-2001:db8:2::10\"}]}]}]}}";

static int setup(void **state)
{
	static struct t6 t;

	(void)e6_config; /* e6_test.h's; this file has its own */
	if (t6_setup_text(&t, class_config) < 0)
		return -1;
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	t6_free(*state);
	return 0;
}

/* Option 16 values: enterprise 12345 and the tuples. */
static const uint8_t vc_acme[] = {0, 0, 0x30, 0x39, 0, 4, 'a', 'c', 'm', 'e'};
static const uint8_t vc_docsis[] = {0,	 0,   0x11, 0x8b, 0,   3,   'f',
				    'o', 'o', 0,    9,	  'd', 'o', 'c',
				    's', 'i', 's',  '3',  '.', '0'};

/* A rapid-commit SOLICIT of client n (one IA of the kind), option 16
 * vc if any: 1 and the lease in *ret, -3 when the IA got a status. */
static int ask(struct t6 *t, uint8_t n, bool pd, const uint8_t *vc,
	       size_t vc_len, struct in6_addr *ret)
{
	uint8_t duid[10] = {0, 3, 0, 1, 2, 0, 0, 0, 0, n};
	uint16_t code = pd ? TERN_DHCP6_OPT_IA_PD : TERN_DHCP6_OPT_IA_NA;
	struct tern_dhcp6_ia ia;
	struct q6 q;
	uint32_t pref, valid;
	uint8_t plen;
	int rc;

	q_begin(&q, TERN_DHCP6_SOLICIT, duid, sizeof(duid), false);
	tern_dhcp6_put_empty(&q.w, TERN_DHCP6_OPT_RAPID_COMMIT);
	if (vc)
		tern_dhcp6_put(&q.w, TERN_DHCP6_OPT_VENDOR_CLASS, vc, vc_len);
	if (pd)
		q_ia_pd(&q, 1, NULL, 0);
	else
		q_ia_na(&q, 1, NULL);
	rc = t6_q(t, &q);
	if (rc != 1)
		return rc;
	if (r_ia(t, code, 1, &ia) < 0)
		return -2;
	if (ia_lease(&ia, code, 0, ret, &plen, &pref, &valid) < 0)
		return -3;
	return 1;
}

static void want(const struct in6_addr *a, const char *s)
{
	struct in6_addr w = a6(s);

	assert_memory_equal(a, &w, 16);
}

/* KNOWN (a reservation, even one without addresses) and UNKNOWN pools;
 * the acme-only subnet of the network takes acme clients only. */
static void test_known_unknown(void **state)
{
	struct t6 *t = *state;
	struct in6_addr a;

	assert_int_equal(ask(t, 0x99, false, NULL, 0, &a), 1);
	want(&a, "2001:db8:1::100");
	assert_int_equal(ask(t, 1, false, NULL, 0, &a), 1);
	want(&a, "2001:db8:1::200");
	assert_int_equal(ask(t, 2, false, NULL, 0, &a), 1);
	want(&a, "2001:db8:1::201");
	/* the UNKNOWN pool is full; KNOWN's is not for this client and
	 * subnet 2 is acme's */
	assert_int_equal(ask(t, 3, false, NULL, 0, &a), -3);
	assert_int_equal(ask(t, 4, false, vc_acme, sizeof(vc_acme), &a), 1);
	want(&a, "2001:db8:2::10");
	/* Its RENEW without option 16: no longer acme, no longer its
	 * binding in the acme subnet (Kea gives it up too). */
	{
		uint8_t duid[10] = {0, 3, 0, 1, 2, 0, 0, 0, 0, 4};
		struct tern_dhcp6_ia ia;
		struct in6_addr got;
		uint32_t pref, valid;
		uint8_t plen;
		struct q6 q;

		q_begin(&q, TERN_DHCP6_RENEW, duid, sizeof(duid), true);
		q_ia_na(&q, 1, "2001:db8:2::10");
		assert_int_equal(t6_q(t, &q), 1);
		assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_NA, 1, &ia), 0);
		assert_true(ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 0, &got, &plen,
				     &pref, &valid) < 0 ||
			    valid == 0);
	}
}

/* A reservation's client-classes are the host's classes once it is found
 * (Kea's setReservedClientClasses): they open its pool in a subnet of no
 * shared network; in a network Kea adds them only after the allocation. */
static void test_reserved_classes(void **state)
{
	struct t6 *t = *state;
	struct in6_addr a;

	assert_int_equal(ask(t, 0x98, false, NULL, 0, &a), 1);
	want(&a, "2001:db8:1::100"); /* KNOWN; office is not seen yet */
	assert_int_equal(ask(t, 0x99, false, NULL, 0, &a), -3);
	t->rx.ifname = "v6t";
	assert_int_equal(ask(t, 1, false, NULL, 0, &a), 1);
	want(&a, "2001:db8:10::10");
	assert_int_equal(ask(t, 0x98, false, NULL, 0, &a), 1);
	want(&a, "2001:db8:10::5");
}

/* Prefix pools by vendor class; DOCSIS's tuple wins over the first. */
static void test_vendor_pd(void **state)
{
	struct t6 *t = *state;
	struct in6_addr a;

	assert_int_equal(ask(t, 1, true, NULL, 0, &a), -3);
	assert_int_equal(ask(t, 2, true, vc_acme, sizeof(vc_acme), &a), 1);
	want(&a, "2001:db8:a000::");
	assert_int_equal(ask(t, 3, true, vc_docsis, sizeof(vc_docsis), &a), 1);
	want(&a, "2001:db8:b000::");
}

/* Selection goes past a subnet the client may not use. */
static void test_selection(void **state)
{
	struct t6 *t = *state;
	struct in6_addr a;

	t->rx.ifname = "v6t";
	assert_int_equal(ask(t, 1, false, NULL, 0, &a), 1);
	want(&a, "2001:db8:10::10");
	assert_int_equal(ask(t, 2, false, vc_acme, sizeof(vc_acme), &a), 1);
	want(&a, "2001:db8:9::10");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_known_unknown, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reserved_classes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_vendor_pd, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_selection, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
