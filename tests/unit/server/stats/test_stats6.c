/* Unit tests: a Dhcp6 ternd's statistics (stats/dhcp6.c): Kea 2.2's
 * v6-allocation-fail* (global at start, per subnet at the first failure),
 * stat-lease6-get's rows, and the Prometheus text with Stork's kea_dhcp6_*
 * names and labels. */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/json.h"
#include "server/control/control.h"
#include "server/engine6/admin6.h"
#include "server/engine6/e6_test.h"
#include "server/stats/internal.h"

/* Subnet 1 with an address pool of one and no pd-pool; subnet 2 with no
 * pools at all. */
static const char cfg6[] =
	"{\"Dhcp6\": {\"preferred-lifetime\": 300, \"valid-lifetime\": 600,\n"
	" \"hooks-libraries\": [{\"library\": \"libdhcp_stat_cmds.so\"}],\n"
	" \"subnet6\": [\n"
	"  {\"id\": 1, \"subnet\": \"2001:db8:1::/64\", \"interface\": "
	"\"v6s\",\n"
	"   \"pools\": [{\"pool\": \"2001:db8:1::100-2001:db8:1::100\"}]},\n"
	"  {\"id\": 2, \"subnet\": \"2001:db8:2::/64\", \"interface\": "
	"\"v6x\"}]}}";

static int64_t value(struct ternd_stats *s, const char *name, bool *present)
{
	struct tstat *st;

	tstat_observe_all(s, tstat_now_us());
	st = tstat_find(&s->t, name);
	assert_non_null(st);
	*present = st->present;
	return st->present && st->n ? tstat_newest(st)->v : 0;
}

static void solicit(struct t6 *t, const uint8_t *duid, size_t len, bool pd)
{
	struct q6 q;

	q_begin(&q, TERN_DHCP6_SOLICIT, duid, len, false);
	if (pd)
		q_ia_pd(&q, 2, NULL, 0);
	else
		q_ia_na(&q, 1, NULL);
	assert_int_equal(t6_q(t, &q), 1);
}

static void test_alloc_fail(void **state)
{
	struct ternd_control *ctl = NULL;
	struct ternd_stats *s = NULL;
	struct t6 t;
	bool present;
	char *ans = NULL;
	const char *req = "{\"command\": \"stat-lease6-get\"}";

	(void)state;
	(void)e6_config; /* e6_test.h's, not this test's */
	assert_int_equal(t6_setup_text(&t, cfg6), 0);
	assert_int_equal(ternd_control_new(&ctl), 0);
	assert_int_equal(ternd_stats_start6(t.cfg, t.e, NULL, ctl, &s), 0);
	/* Kea makes the globals at start, the subnet ones at a failure. */
	assert_int_equal(value(s, "v6-allocation-fail", &present), 0);
	assert_true(present);
	value(s, "subnet[1].v6-allocation-fail", &present);
	assert_false(present);
	/* One client takes the only address; the next gets none. */
	{
		struct q6 q;

		q_begin(&q, TERN_DHCP6_REQUEST, duid_a, sizeof(duid_a), true);
		q_ia_na(&q, 1, NULL);
		assert_int_equal(t6_q(&t, &q), 1);
	}
	solicit(&t, duid_b, sizeof(duid_b), false);
	assert_int_equal(value(s, "v6-allocation-fail", &present), 1);
	assert_int_equal(value(s, "subnet[1].v6-allocation-fail", &present), 1);
	assert_true(present);
	assert_int_equal(value(s, "v6-allocation-fail-subnet", &present), 1);
	assert_int_equal(value(s, "v6-allocation-fail-classes", &present), 1);
	assert_int_equal(value(s, "v6-allocation-fail-no-pools", &present), 0);
	assert_int_equal(
		value(s, "v6-allocation-fail-shared-network", &present), 0);
	/* A prefix asked where there is no pd-pool: no-pools. */
	solicit(&t, duid_b, sizeof(duid_b), true);
	assert_int_equal(value(s, "v6-allocation-fail-no-pools", &present), 1);
	assert_int_equal(
		value(s, "subnet[1].v6-allocation-fail-no-pools", &present), 1);
	assert_int_equal(value(s, "v6-allocation-fail", &present), 1);
	assert_int_equal(value(s, "v6-allocation-fail-subnet", &present), 2);
	value(s, "subnet[2].v6-allocation-fail", &present);
	assert_false(present);
	/* stat-lease6-get: a row per subnet, the lease counts. */
	assert_int_equal(ternd_control_handle(ctl, req, strlen(req), &ans), 0);
	assert_non_null(strstr(ans, "\"rows\": [ [ 1, 1, 1, 1, 0, 0, 0, 0 ], "
				    "[ 2, 0, 0, 0, 0, 0, 0, 0 ] ]"));
	assert_non_null(strstr(ans, "\"columns\": [ \"subnet-id\", "
				    "\"total-nas\", "
				    "\"cumulative-assigned-nas\", "
				    "\"assigned-nas\", \"declined-nas\", "
				    "\"total-pds\", "
				    "\"cumulative-assigned-pds\", "
				    "\"assigned-pds\" ]"));
	free(ans);
	ternd_stats_free(s);
	ternd_control_free(ctl);
	t6_free(&t);
}

static void test_render6(void **state)
{
	struct tmetric_point p[] = {
		{.v = 5, .family = FAM6_PKT_RECEIVED, .op = 12},
		{.v = 3,
		 .family = FAM6_S_NA_ASSIGNED,
		 .subnet_id = 1,
		 .prefix_len = 64},
		{.v = 2, .family = FAM6_PKT_SENT, .op = 14},
		{.v = 1, .family = FAM6_G_AF + TERND_AF6_NO_POOLS},
	};
	char *text = NULL;
	size_t len = 0;

	(void)state;
	p[1].network6 = a6("2001:db8:1::");
	assert_int_equal(tmetrics_render(p, 4, &text, &len), 0);
	assert_string_equal(
		text,
		"# HELP kea_dhcp6_packets_received_total Packets received\n"
		"# TYPE kea_dhcp6_packets_received_total gauge\n"
		"kea_dhcp6_packets_received_total{operation=\"solicit\"} 5\n"
		"# HELP kea_dhcp6_packets_sent_total Packets sent\n"
		"# TYPE kea_dhcp6_packets_sent_total gauge\n"
		"kea_dhcp6_packets_sent_total{operation=\"reply\"} 2\n"
		"# HELP kea_dhcp6_global6_allocation_fail_no_pools_total "
		"Address allocation failures for all subnets due to lack of "
		"configured pool\n"
		"# TYPE kea_dhcp6_global6_allocation_fail_no_pools_total "
		"gauge\n"
		"kea_dhcp6_global6_allocation_fail_no_pools_total 1\n"
		"# HELP kea_dhcp6_na_assigned_total Assigned non-temporary "
		"addresses (IA_NA)\n"
		"# TYPE kea_dhcp6_na_assigned_total gauge\n"
		"kea_dhcp6_na_assigned_total{prefix=\"2001:db8:1::/64\","
		"subnet=\"2001:db8:1::/64\",subnet_id=\"1\"} 3\n");
	free(text);
}

/* A packet in class DROP counts in pkt6-receive-drop, as Kea's. */
static void test_drop_class(void **state)
{
	static const char cfg[] =
		"{\"Dhcp6\": {\"client-classes\": [{\"name\": \"DROP\", "
		"\"test\": \"option[65000].exists\"}],\n"
		" \"subnet6\": [{\"id\": 1, \"subnet\": \"2001:db8:1::/64\", "
		"\"interface\": \"v6s\",\n"
		"  \"pools\": [{\"pool\": \"2001:db8:1::/120\"}]}]}}";
	struct ternd_control *ctl = NULL;
	struct ternd_stats *s = NULL;
	struct t6 t;
	struct q6 q;
	bool present;

	(void)state;
	assert_int_equal(t6_setup_text(&t, cfg), 0);
	assert_int_equal(ternd_control_new(&ctl), 0);
	assert_int_equal(ternd_stats_start6(t.cfg, t.e, NULL, ctl, &s), 0);
	assert_int_equal(value(s, "pkt6-receive-drop", &present), 0);
	q_begin(&q, TERN_DHCP6_SOLICIT, duid_a, sizeof(duid_a), false);
	tern_dhcp6_put(&q.w, 65000, "x", 1);
	q_ia_na(&q, 1, NULL);
	assert_int_equal(t6_q(&t, &q), 0);
	assert_int_equal(value(s, "pkt6-receive-drop", &present), 1);
	solicit(&t, duid_a, sizeof(duid_a), false);
	assert_int_equal(value(s, "pkt6-receive-drop", &present), 1);
	ternd_stats_free(s);
	ternd_control_free(ctl);
	t6_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alloc_fail),
		cmocka_unit_test(test_render6),
		cmocka_unit_test(test_drop_class),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
