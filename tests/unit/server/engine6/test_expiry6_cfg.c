/* Unit tests: expired-leases-processing in a Dhcp6 file (config/
 * dhcp6_expiry.c) and what engine6's reclamation does with it
 * (hold-reclaimed-time, flush-reclaimed-timer-wait-time 0, remove). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "server/engine6/e6_test.h"
#include "server/engine6/internal6.h"

static int load(struct t6 *t, const char *expiry)
{
	char text[2048];

	snprintf(
		text, sizeof(text),
		"{\"Dhcp6\": {\"valid-lifetime\": 600,%s \"subnet6\": [\n"
		" {\"id\": 1, \"subnet\": \"2001:db8:1::/64\", "
		"\"interface\": \"v6s\",\n"
		"  \"pools\": [{\"pool\": \"2001:db8:1::100-2001:db8:1::1ff\"}]"
		"}]}}",
		expiry);
	return t6_setup_text(t, text);
}

static void bind_na(struct t6 *t, const uint8_t *duid, size_t len)
{
	struct q6 q;

	q_begin(&q, TERN_DHCP6_REQUEST, duid, len, true);
	q_ia_na(&q, 1, NULL);
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(t->n_ch, 1);
}

static void test_defaults(void **state)
{
	struct t6 t;

	(void)state;
	/* The shared configuration has no expired-leases-processing. */
	assert_int_equal(t6_setup_text(&t, e6_config), 0);
	assert_false(t.cfg->v6->expiry.reclaim_timer_set);
	t6_free(&t);
	assert_int_equal(load(&t, ""), 0);
	assert_false(t.cfg->v6->expiry.reclaim_timer_set);
	assert_int_equal(t.cfg->v6->expiry.hold_reclaimed,
			 TERND_ENGINE6_HOLD_RECLAIMED);
	assert_int_equal(t.cfg->v6->expiry.max_reclaim_leases, 0);
	assert_int_not_equal(t.cfg->v6->expiry.flush_wait, 0);
	t6_free(&t);
}

static void test_keys(void **state)
{
	struct t6 t;
	const struct ternd_expiry6 *x;

	(void)state;
	assert_int_equal(
		load(&t, "\"expired-leases-processing\": {"
			 "\"reclaim-timer-wait-time\": 7, "
			 "\"flush-reclaimed-timer-wait-time\": 9, "
			 "\"hold-reclaimed-time\": 100, "
			 "\"max-reclaim-leases\": 3, \"max-reclaim-time\": 40, "
			 "\"unwarned-reclaim-cycles\": 2},"),
		0);
	x = &t.cfg->v6->expiry;
	assert_true(x->reclaim_timer_set);
	assert_int_equal(x->reclaim_timer_wait, 7);
	assert_int_equal(x->flush_wait, 9);
	assert_int_equal(x->hold_reclaimed, 100);
	assert_int_equal(x->max_reclaim_leases, 3);
	assert_int_equal(x->max_reclaim_time, 40);
	assert_int_equal(x->unwarned_cycles, 2);
	t6_free(&t);
}

/* Kea's limits: refused with the key's position, nothing loaded. */
static void test_bad(void **state)
{
	static const char *bad[] = {
		"\"expired-leases-processing\": {\"max-reclaim-time\": 10001},",
		"\"expired-leases-processing\": {\"reclaim-timer-wait-time\": "
		"65536},",
		"\"expired-leases-processing\": {\"hold-reclaimed-time\": -1},",
		"\"expired-leases-processing\": [],",
	};
	struct ternd_config *cfg = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ternd_diags d = {0};
		char text[512];

		snprintf(text, sizeof(text),
			 "{\"Dhcp6\": {%s \"subnet6\": []}}", bad[i]);
		assert_true(ternd_config_load_buf(text, strlen(text), &cfg,
						  &d) < 0);
		assert_null(cfg);
		assert_true(d.errors > 0);
	}
}

/* hold-reclaimed-time: a reclaimed binding is deleted that long after
 * its end. */
static void test_hold(void **state)
{
	struct t6 t;
	struct ternd_change6 ch[4];
	int64_t next, end;

	(void)state;
	assert_int_equal(load(&t, "\"expired-leases-processing\": "
				  "{\"hold-reclaimed-time\": 100},"),
			 0);
	bind_na(&t, duid_a, sizeof(duid_a));
	end = t.ch[0].lease.expire;
	assert_int_equal(ternd_engine6_expire(t.e, end, ch, 4, &next), 1);
	assert_int_equal(ch[0].op, TERND_CHANGE6_PUT);
	assert_int_equal(ch[0].lease.state, TERND_LEASE6_EXPIRED);
	assert_int_equal(next, end + 100);
	assert_int_equal(ternd_engine6_expire(t.e, end + 99, ch, 4, &next), 0);
	assert_int_equal(ternd_engine6_expire(t.e, end + 100, ch, 4, &next), 1);
	assert_int_equal(ch[0].op, TERND_CHANGE6_DEL);
	assert_int_equal(ternd_engine6_count(t.e), 0);
	t6_free(&t);
}

/* flush-reclaimed-timer-wait-time 0 (and leases-reclaim's remove): the
 * reclaimed binding is deleted at once, counted as reclaimed. */
static void test_remove(void **state)
{
	struct t6 t;
	struct ternd_change6 ch[4];
	int64_t next, end;

	(void)state;
	assert_int_equal(load(&t, "\"expired-leases-processing\": "
				  "{\"flush-reclaimed-timer-wait-time\": 0},"),
			 0);
	bind_na(&t, duid_a, sizeof(duid_a));
	end = t.ch[0].lease.expire;
	assert_int_equal(ternd_engine6_expire(t.e, end, ch, 4, &next), 1);
	assert_int_equal(ch[0].op, TERND_CHANGE6_DEL);
	assert_int_equal(ternd_engine6_count(t.e), 0);
	assert_int_equal(ternd_engine6_stats(t.e)->reclaimed, 1);
	assert_int_equal(next, INT64_MAX);
	t6_free(&t);

	/* The default keeps it; remove asked explicitly deletes it. */
	assert_int_equal(load(&t, ""), 0);
	bind_na(&t, duid_a, sizeof(duid_a));
	end = t.ch[0].lease.expire;
	assert_int_equal(ternd_engine6_reclaim(t.e, end, true, ch, 4, &next),
			 1);
	assert_int_equal(ch[0].op, TERND_CHANGE6_DEL);
	assert_int_equal(ternd_engine6_count(t.e), 0);
	t6_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults), cmocka_unit_test(test_keys),
		cmocka_unit_test(test_bad),	 cmocka_unit_test(test_hold),
		cmocka_unit_test(test_remove),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
