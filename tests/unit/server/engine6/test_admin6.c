/* Unit tests: the operator's changes to DHCPv6 bindings (engine6/admin6.c):
 * checks, set and drop, the counts Kea's statistics read, and a client's
 * next request finding what the operator put. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "server/engine6/admin6.h"
#include "server/engine6/e6_test.h"

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

static struct ternd_lease6 mk(const char *addr, uint8_t type, uint8_t plen,
			      uint32_t subnet, const uint8_t *duid,
			      size_t duid_len, uint32_t iaid)
{
	struct ternd_lease6 l;

	memset(&l, 0, sizeof(l));
	l.addr = a6(addr);
	l.type = type;
	l.plen = plen;
	l.subnet_id = subnet;
	memcpy(l.duid, duid, duid_len);
	l.duid_len = (uint8_t)duid_len;
	l.iaid = iaid;
	l.preferred = 300;
	l.valid = 600;
	l.cltt = 1000;
	l.expire = 1600;
	return l;
}

static int count_cb(void *ctx, const struct ternd_lease6 *l)
{
	(void)l;
	(*(int *)ctx)++;
	return 0;
}

static int stop_cb(void *ctx, const struct ternd_lease6 *l)
{
	(void)ctx;
	(void)l;
	return 7;
}

static void test_check(void **state)
{
	struct t6 *t = *state;
	struct ternd_lease6 l = mk("2001:db8:1::150", TERND_LEASE6_NA, 128, 1,
				   duid_a, sizeof(duid_a), 1);

	assert_int_equal(ternd_engine6_lease_check(t->e, &l), 0);
	/* Outside the pools but inside the prefix: Kea keeps it too. */
	l.addr = a6("2001:db8:1::7");
	assert_int_equal(ternd_engine6_lease_check(t->e, &l), 0);
	l.addr = a6("2001:db8:9::7");
	assert_int_equal(ternd_engine6_lease_check(t->e, &l), -EDOM);
	l.addr = a6("2001:db8:1::150");
	l.subnet_id = 42;
	assert_int_equal(ternd_engine6_lease_check(t->e, &l), -ENOENT);
	l.subnet_id = 1;
	l.state = 3;
	assert_int_equal(ternd_engine6_lease_check(t->e, &l), -EINVAL);
	l.state = 0;
	l.type = 1; /* IA_TA */
	assert_int_equal(ternd_engine6_lease_check(t->e, &l), -EINVAL);
	l.type = TERND_LEASE6_NA;
	l.plen = 64;
	assert_int_equal(ternd_engine6_lease_check(t->e, &l), -EINVAL);
	/* A prefix is not checked against the subnet (as Kea). */
	l = mk("2001:db8:9000::", TERND_LEASE6_PD, 56, 1, duid_a,
	       sizeof(duid_a), 2);
	assert_int_equal(ternd_engine6_lease_check(t->e, &l), 0);
	assert_int_equal(ternd_engine6_lease_check(NULL, &l), -EINVAL);
	assert_int_equal(ternd_engine6_lease_set(t->e, NULL), -EINVAL);
}

static void test_set_drop_counts(void **state)
{
	struct t6 *t = *state;
	const struct ternd_engine6_subnet_stats *ss =
		ternd_engine6_subnet_stats(t->e, 0);
	struct ternd_lease6 na = mk("2001:db8:1::150", TERND_LEASE6_NA, 128, 1,
				    duid_a, sizeof(duid_a), 1);
	struct ternd_lease6 pd = mk("2001:db8:8000:100::", TERND_LEASE6_PD, 56,
				    1, duid_a, sizeof(duid_a), 2);
	const struct ternd_lease6 *got;
	int n = 0;

	assert_int_equal(ternd_engine6_lease_set(t->e, &na), 0);
	assert_int_equal(ternd_engine6_lease_set(t->e, &pd), 0);
	assert_int_equal(ternd_engine6_count(t->e), 2);
	assert_int_equal(ss->assigned_na, 1);
	assert_int_equal(ss->assigned_pd, 1);
	/* Not a client's new binding: cumulative counts stay. */
	assert_int_equal(ss->cumulative_na, 0);
	assert_int_equal(ss->cumulative_pd, 0);
	got = ternd_engine6_at(t->e, &na.addr);
	assert_non_null(got);
	assert_int_equal(got->type, TERND_LEASE6_NA);
	got = ternd_engine6_at(t->e, &pd.addr);
	assert_non_null(got);
	assert_int_equal(got->plen, 56);
	assert_null(ternd_engine6_at(t->e, &(struct in6_addr){{{0}}}));
	assert_int_equal(ternd_engine6_foreach(t->e, count_cb, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(ternd_engine6_foreach(t->e, stop_cb, NULL), 7);
	/* Replaced in place: declined now, counted as declined. */
	na.state = TERND_LEASE6_DECLINED;
	assert_int_equal(ternd_engine6_lease_set(t->e, &na), 0);
	assert_int_equal(ternd_engine6_count(t->e), 2);
	assert_int_equal(ss->assigned_na, 0);
	assert_int_equal(ss->declined, 1);
	assert_int_equal(
		ternd_engine6_lease_drop(t->e, TERND_LEASE6_NA, &na.addr), 0);
	assert_int_equal(ss->declined, 0);
	assert_int_equal(
		ternd_engine6_lease_drop(t->e, TERND_LEASE6_NA, &na.addr),
		-ENOENT);
	/* The type is part of the key. */
	assert_int_equal(
		ternd_engine6_lease_drop(t->e, TERND_LEASE6_NA, &pd.addr),
		-ENOENT);
	assert_int_equal(
		ternd_engine6_lease_drop(t->e, TERND_LEASE6_PD, &pd.addr), 0);
	assert_int_equal(ternd_engine6_count(t->e), 0);
	assert_int_equal(ss->assigned_pd, 0);
}

/* A binding the operator put is the client's: its REQUEST gets it. */
static void test_client_finds_it(void **state)
{
	struct t6 *t = *state;
	struct ternd_lease6 na = mk("2001:db8:1::1a0", TERND_LEASE6_NA, 128, 1,
				    duid_b, sizeof(duid_b), 5);
	struct tern_dhcp6_ia ia;
	struct in6_addr got;
	uint32_t pref, valid;
	uint8_t plen;
	struct q6 q;

	na.expire = t->rx.now + 600;
	na.cltt = t->rx.now;
	assert_int_equal(ternd_engine6_lease_set(t->e, &na), 0);
	q_begin(&q, TERN_DHCP6_REQUEST, duid_b, sizeof(duid_b), true);
	q_ia_na(&q, 5, NULL);
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_NA, 5, &ia), 0);
	assert_int_equal(ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 0, &got, &plen,
				  &pref, &valid),
			 0);
	assert_memory_equal(&got, &na.addr, 16);
	/* Dropped, the address is free for another client. */
	assert_int_equal(
		ternd_engine6_lease_drop(t->e, TERND_LEASE6_NA, &na.addr), 0);
	assert_null(ternd_engine6_find(t->e, TERND_LEASE6_NA, &na.addr));
}

/* A full table takes a replacement but no new binding. */
static void test_full(void **state)
{
	struct t6 *t = *state;
	struct ternd_engine6 *small = NULL;
	struct ternd_lease6 a = mk("2001:db8:1::150", TERND_LEASE6_NA, 128, 1,
				   duid_a, sizeof(duid_a), 1);
	struct ternd_lease6 b = mk("2001:db8:1::151", TERND_LEASE6_NA, 128, 1,
				   duid_a, sizeof(duid_a), 2);

	assert_int_equal(ternd_engine6_new(t->cfg, 1, server_duid,
					   sizeof(server_duid), &small),
			 0);
	assert_int_equal(ternd_engine6_lease_set(small, &a), 0);
	assert_int_equal(ternd_engine6_lease_check(small, &b), -ENOSPC);
	assert_int_equal(ternd_engine6_lease_set(small, &b), -ENOSPC);
	a.valid = 900;
	assert_int_equal(ternd_engine6_lease_set(small, &a), 0);
	assert_int_equal(ternd_engine6_at(small, &a.addr)->valid, 900);
	ternd_engine6_free(small);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_check, setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_drop_counts, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_client_finds_it, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_full, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
