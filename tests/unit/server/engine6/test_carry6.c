/* Unit tests: a reconfigured DHCPv6 engine takes over every binding and the
 * counters of the one it replaces (engine6/carry6.c), a vanished subnet's
 * bindings included: held until they end, then reclaimed. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

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

/* A REQUEST for one address and one prefix by duid. */
static void bind6(struct t6 *t, const uint8_t *duid, size_t len)
{
	struct q6 q;

	q_begin(&q, TERN_DHCP6_REQUEST, duid, len, true);
	q_ia_na(&q, 1, NULL);
	q_ia_pd(&q, 2, NULL, 0);
	assert_int_equal(t6_q(t, &q), 1);
	assert_int_equal(t->n_ch, 2);
}

/* A second configuration: subnet 1 is gone; subnet 5 on the same link
 * has one address in its pool, the one duid_a holds. */
static struct ternd_config *second_config(const struct in6_addr *held)
{
	struct ternd_config *cfg = NULL;
	struct ternd_diags d = {0};
	char a[INET6_ADDRSTRLEN], text[1024];

	inet_ntop(AF_INET6, held, a, sizeof(a));
	snprintf(text, sizeof(text),
		 "{\"Dhcp6\": {\"valid-lifetime\": 600, \"subnet6\": [\n"
		 " {\"id\": 5, \"subnet\": \"2001:db8:1::/64\", "
		 "\"interface\": \"v6s\",\n"
		 "  \"pools\": [{\"pool\": \"%s-%s\"}]},\n"
		 " {\"id\": 2, \"subnet\": \"2001:db8:2::/64\", "
		 "\"pools\": [{\"pool\": \"2001:db8:2::10-2001:db8:2::11\"}]}"
		 "]}}",
		 a, a);
	if (ternd_config_load_buf(text, strlen(text), &cfg, &d) < 0) {
		ternd_diags_print(stderr, "second", &d);
		return NULL;
	}
	return cfg;
}

static void test_carry(void **state)
{
	struct t6 *t = *state;
	struct ternd_config *cfg2;
	struct ternd_engine6 *e2 = NULL;
	struct ternd_change6 ch[8];
	struct in6_addr na_a, pd_a;
	const struct ternd_lease6 *l;
	uint64_t rx;
	int64_t next, end;
	struct q6 q;

	bind6(t, duid_a, sizeof(duid_a));
	na_a = t->ch[0].lease.addr;
	pd_a = t->ch[1].lease.addr;
	end = t->ch[0].lease.expire;
	bind6(t, duid_b, sizeof(duid_b));
	rx = ternd_engine6_stats(t->e)->rx;
	assert_int_equal(ternd_engine6_count(t->e), 4);

	assert_non_null(cfg2 = second_config(&na_a));
	assert_int_equal(ternd_engine6_new(cfg2, 1024, server_duid,
					   sizeof(server_duid), &e2),
			 0);
	assert_int_equal(ternd_engine6_carry(e2, t->e), 0);
	/* Every binding, as it was (its old subnet id kept). */
	assert_int_equal(ternd_engine6_count(e2), 4);
	l = ternd_engine6_find(e2, TERND_LEASE6_NA, &na_a);
	assert_non_null(l);
	assert_int_equal(l->subnet_id, 1);
	assert_int_equal(l->state, TERND_LEASE6_BOUND);
	assert_memory_equal(l->duid, duid_a, sizeof(duid_a));
	assert_non_null(ternd_engine6_find(e2, TERND_LEASE6_PD, &pd_a));
	/* Counters go on; gauges are the new engine's own count; subnet 5's
	 * counters start from nothing (no binding is of subnet 5). */
	assert_int_equal(ternd_engine6_stats(e2)->rx, rx);
	assert_int_equal(ternd_engine6_stats(e2)->na_assigned, 2);
	assert_int_equal(ternd_engine6_stats(e2)->pd_assigned, 2);
	assert_int_equal(ternd_engine6_subnet_stats(e2, 0)->cumulative_na, 0);
	/* The old engine is not changed. */
	assert_int_equal(ternd_engine6_count(t->e), 4);

	/* The held address is no one else's: a new client on the link finds
	 * subnet 5's only address taken. */
	ternd_engine6_free(t->e);
	t->e = e2;
	q_begin(&q, TERN_DHCP6_SOLICIT, duid_res, sizeof(duid_res), false);
	q_ia_na(&q, 7, NULL);
	assert_int_equal(t6_q(t, &q), 1);
	{
		struct tern_dhcp6_ia ia;
		struct in6_addr got;
		uint8_t plen;
		uint32_t pref, valid;

		assert_int_equal(r_ia(t, TERN_DHCP6_OPT_IA_NA, 7, &ia), 0);
		assert_int_not_equal(ia_lease(&ia, TERN_DHCP6_OPT_IA_NA, 0,
					      &got, &plen, &pref, &valid),
				     0);
		assert_int_equal(status_in(ia.opts, ia.opts_len),
				 TERN_DHCP6_STATUS_NO_ADDRS_AVAIL);
	}

	/* Until they end: then reclaimed as any other binding. */
	assert_int_equal(ternd_engine6_expire(e2, end - 1, ch, 8, &next), 0);
	assert_int_equal(next, end);
	assert_int_equal(ternd_engine6_expire(e2, end, ch, 8, &next), 4);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(ch[i].op, TERND_CHANGE6_PUT);
		assert_int_equal(ch[i].lease.state, TERND_LEASE6_EXPIRED);
	}
	assert_int_equal(ternd_engine6_stats(e2)->na_assigned, 0);
	/* The old configuration can go (the engine holds nothing of it). */
	ternd_config_free(t->cfg);
	t->cfg = cfg2;
}

/* No room in the new engine: refused before anything is usable. */
static void test_no_room(void **state)
{
	struct t6 *t = *state;
	struct ternd_engine6 *small = NULL;

	bind6(t, duid_a, sizeof(duid_a));
	bind6(t, duid_b, sizeof(duid_b));
	assert_int_equal(ternd_engine6_new(t->cfg, 3, server_duid,
					   sizeof(server_duid), &small),
			 0);
	assert_int_equal(ternd_engine6_carry(small, t->e), -ENOSPC);
	assert_int_equal(ternd_engine6_count(small), 0);
	assert_int_equal(ternd_engine6_carry(NULL, t->e), -EINVAL);
	assert_int_equal(ternd_engine6_carry(small, NULL), -EINVAL);
	assert_int_equal(ternd_engine6_carry(t->e, t->e), -EINVAL);
	ternd_engine6_free(small);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_carry),
		T(test_no_room),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
