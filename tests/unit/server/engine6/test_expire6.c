/* Unit tests: DHCPv6 lease reclamation (engine6/expire6.c) and the
 * per-subnet counts Kea's statistics read (assigned, cumulative,
 * declined, reclaimed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "server/engine6/e6_test.h"
#include "server/engine6/internal6.h"

static int setup(void **state)
{
	static struct t6 t;

	if (t6_setup_text(&t, e6_config) < 0)
		return -1;
	*state = &t;
	return 0;
}

static int teardown(void **state)
{
	t6_free(*state);
	return 0;
}

/* A REQUEST for one address and one prefix by duid at t->rx.now. */
static void bind6(struct t6 *t, const uint8_t *duid, size_t len)
{
	struct q6 q;

	q_begin(&q, TERN_DHCP6_REQUEST, duid, len, true);
	q_ia_na(&q, 1, NULL);
	q_ia_pd(&q, 2, NULL, 0);
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(t->n_ch, 2);
}

static void test_reclaim(void **state)
{
	struct t6 *t = *state;
	const struct ternd_engine6_subnet_stats *ss =
		ternd_engine6_subnet_stats(t->e, 0);
	struct ternd_change6 ch[8];
	struct in6_addr na;
	int64_t next, bound_at = t->rx.now;
	struct q6 q;

	assert_non_null(ss);
	assert_null(ternd_engine6_subnet_stats(t->e, 99));
	bind6(t, duid_a, sizeof(duid_a));
	na = t->ch[0].lease.addr;
	assert_int_equal(ss->assigned_na, 1);
	assert_int_equal(ss->assigned_pd, 1);
	assert_int_equal(ss->cumulative_na, 1);
	/* A renewal is not a new binding. */
	t->rx.now += 10;
	bind6(t, duid_a, sizeof(duid_a));
	assert_int_equal(ss->cumulative_na, 1);
	assert_int_equal(ss->cumulative_pd, 1);
	/* Nothing ended yet: nothing to do, next = the end (valid 600). */
	assert_int_equal(ternd_engine6_expire(t->e, t->rx.now, ch, 8, &next),
			 0);
	assert_int_equal(next, bound_at + 10 + 600);
	assert_int_equal(ternd_engine6_expire(t->e, INT64_MIN, NULL, 0, &next),
			 0);
	assert_int_equal(next, bound_at + 10 + 600);
	/* Past the end: both reclaimed, kept as expired-reclaimed. */
	t->rx.now = next;
	assert_int_equal(ternd_engine6_expire(t->e, t->rx.now, ch, 8, &next),
			 2);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(ch[i].op, TERND_CHANGE6_PUT);
		assert_int_equal(ch[i].lease.state, TERND_LEASE6_EXPIRED);
		assert_int_equal(ch[i].lease.duid_len, sizeof(duid_a));
	}
	assert_int_equal(next, t->rx.now + TERND_ENGINE6_HOLD_RECLAIMED);
	assert_int_equal(ss->assigned_na, 0);
	assert_int_equal(ss->assigned_pd, 0);
	assert_int_equal(ss->reclaimed, 2);
	assert_int_equal(ternd_engine6_stats(t->e)->na_assigned, 0);
	assert_int_equal(ternd_engine6_stats(t->e)->reclaimed, 2);
	assert_int_equal(ternd_engine6_count(t->e), 2);
	/* Its client comes back: the same address, a new binding. */
	t->rx.now += 5;
	bind6(t, duid_a, sizeof(duid_a));
	assert_memory_equal(&t->ch[0].lease.addr, &na, 16);
	assert_int_equal(t->ch[0].lease.state, TERND_LEASE6_BOUND);
	assert_int_equal(ss->assigned_na, 1);
	assert_int_equal(ss->cumulative_na, 2);
	/* Released, then ended: nothing left; decline: counted, and freed
	 * after the probation with its row deleted. */
	q_begin(&q, TERN_DHCP6_DECLINE, duid_a, sizeof(duid_a), true);
	tern_dhcp6_begin_ia(&q.w, TERN_DHCP6_OPT_IA_NA, 1, 0, 0);
	tern_dhcp6_begin_iaaddr(&q.w, &na, 0, 0);
	tern_dhcp6_end(&q.w);
	tern_dhcp6_end(&q.w);
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(ss->declined, 1);
	assert_int_equal(ss->assigned_na, 0);
	/* After the probation (past the prefix's end too): the address is
	 * free, its row deleted; the prefix reclaimed. */
	t->rx.now += (int64_t)t->cfg->v6->decline_probation_period;
	assert_int_equal(ternd_engine6_expire(t->e, t->rx.now, ch, 8, &next),
			 2);
	for (int i = 0; i < 2; i++) {
		if (ch[i].lease.type == TERND_LEASE6_NA) {
			assert_int_equal(ch[i].op, TERND_CHANGE6_DEL);
			assert_memory_equal(&ch[i].lease.addr, &na, 16);
		} else {
			assert_int_equal(ch[i].op, TERND_CHANGE6_PUT);
			assert_int_equal(ch[i].lease.state,
					 TERND_LEASE6_EXPIRED);
		}
	}
	assert_int_equal(ss->declined, 0);
	assert_int_equal(ss->reclaimed_declined, 1);
	assert_int_equal(ss->reclaimed, 4);
	assert_null(ternd_engine6_find(t->e, TERND_LEASE6_NA, &na));
	/* The hold time over: the reclaimed prefix row goes. */
	t->rx.now += TERND_ENGINE6_HOLD_RECLAIMED;
	assert_int_equal(ternd_engine6_expire(t->e, t->rx.now, ch, 8, &next),
			 1);
	assert_int_equal(ch[0].op, TERND_CHANGE6_DEL);
	assert_int_equal(ch[0].lease.type, TERND_LEASE6_PD);
	assert_int_equal(next, INT64_MAX);
	assert_int_equal(ternd_engine6_count(t->e), 0);
}

/* More due than fit: max changes, next = now (call again), the rest on
 * the next call. Restored bindings are not counted as new. */
static void test_bounded(void **state)
{
	struct t6 *t = *state;
	struct ternd_change6 ch[2];
	struct ternd_lease6 l = {0};
	int64_t next;

	l.plen = 128;
	l.type = TERND_LEASE6_NA;
	l.subnet_id = 1;
	l.duid_len = sizeof(duid_b);
	memcpy(l.duid, duid_b, sizeof(duid_b));
	l.valid = 600;
	l.cltt = 100;
	l.expire = 700;
	for (int i = 0; i < 3; i++) {
		l.addr = a6("2001:db8:1::170");
		l.addr.s6_addr[15] += (uint8_t)i;
		l.iaid = (uint32_t)i;
		assert_int_equal(ternd_engine6_restore(t->e, &l), 0);
	}
	assert_int_equal(ternd_engine6_subnet_stats(t->e, 0)->assigned_na, 3);
	assert_int_equal(ternd_engine6_subnet_stats(t->e, 0)->cumulative_na, 0);
	assert_int_equal(ternd_engine6_expire(t->e, 800, ch, 2, &next), 2);
	assert_int_equal(next, 800);
	assert_int_equal(ternd_engine6_expire(t->e, 800, ch, 2, &next), 1);
	assert_int_equal(next, 700 + TERND_ENGINE6_HOLD_RECLAIMED);
	assert_int_equal(ternd_engine6_subnet_stats(t->e, 0)->assigned_na, 0);
	assert_int_equal(ternd_engine6_expire(NULL, 800, ch, 2, &next),
			 -EINVAL);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_reclaim),
		T(test_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
