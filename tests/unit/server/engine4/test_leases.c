/* Unit tests for the engine's lease table (indexes, expiry heap) and pool
 * bitmaps against simple models. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "server/engine4/alloc.h"
#include "server/engine4/leases.h"

/* Deterministic pseudo-random numbers (xorshift). */
static uint32_t rnd_state = 12345;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

#define N_ADDR 5000

/* Records keyed by address, added and removed at random, checked against
 * a plain array: backward-shift deletion must never lose an entry. */
static void test_addr_index(void **state)
{
	static struct ternd_rec *model[N_ADDR];
	struct ternd_leases lt;

	(void)state;
	memset(model, 0, sizeof(model));
	assert_int_equal(ternd_leases_init(&lt, 16), 0);
	for (int round = 0; round < 200000; round++) {
		uint32_t a = rnd() % N_ADDR;

		if (model[a]) {
			assert_ptr_equal(ternd_leases_by_addr(&lt, a + 1),
					 model[a]);
			if (rnd() & 1) {
				ternd_leases_addr_del(&lt, model[a]);
				ternd_leases_put(&lt, model[a]);
				model[a] = NULL;
			}
		} else {
			struct ternd_rec *r;

			assert_null(ternd_leases_by_addr(&lt, a + 1));
			assert_int_equal(ternd_leases_reserve(&lt, 1), 0);
			r = ternd_leases_take(&lt);
			r->l.addr = a + 1;
			ternd_leases_addr_add(&lt, r);
			model[a] = r;
		}
	}
	for (uint32_t a = 0; a < N_ADDR; a++)
		assert_ptr_equal(ternd_leases_by_addr(&lt, a + 1), model[a]);
	ternd_leases_fini(&lt);
	ternd_leases_fini(NULL);
}

static void set_client(struct ternd_leases *lt, struct ternd_rec *r,
		       uint32_t id)
{
	uint8_t hw[6] = {
		2, 0, (uint8_t)(id >> 16), (uint8_t)(id >> 8), (uint8_t)id, 0};

	r->l.subnet_id = 7;
	r->l.htype = 1;
	r->l.hw_len = 6;
	memcpy(r->l.hw, hw, 6);
	r->key = TERND_KEY_HW;
	r->chash = ternd_leases_client_hash(
		ternd_leases_client_base(lt, TERND_KEY_HW, 1, hw, 6), 7);
}

static struct ternd_rec *find_client(struct ternd_leases *lt, uint32_t id,
				     uint32_t subnet)
{
	uint8_t hw[6] = {
		2, 0, (uint8_t)(id >> 16), (uint8_t)(id >> 8), (uint8_t)id, 0};

	return ternd_leases_by_client(
		lt, TERND_KEY_HW, subnet, 1, hw, 6,
		ternd_leases_client_hash(
			ternd_leases_client_base(lt, TERND_KEY_HW, 1, hw, 6),
			subnet));
}

static void test_client_index(void **state)
{
	static struct ternd_rec *model[N_ADDR];
	struct ternd_leases lt;
	struct ternd_rec *dup;

	(void)state;
	memset(model, 0, sizeof(model));
	assert_int_equal(ternd_leases_init(&lt, 16), 0);
	for (int round = 0; round < 100000; round++) {
		uint32_t c = rnd() % N_ADDR;

		if (model[c]) {
			assert_ptr_equal(find_client(&lt, c, 7), model[c]);
			assert_null(find_client(&lt, c, 8));
			ternd_leases_client_del(&lt, model[c]);
			assert_int_equal(model[c]->key, TERND_KEY_NONE);
			ternd_leases_put(&lt, model[c]);
			model[c] = NULL;
		} else {
			assert_null(find_client(&lt, c, 7));
			assert_int_equal(ternd_leases_reserve(&lt, 1), 0);
			model[c] = ternd_leases_take(&lt);
			set_client(&lt, model[c], c);
			ternd_leases_client_add(&lt, model[c]);
		}
	}
	/* A second record with a filed key stays unfiled. */
	for (uint32_t c = 0; c < N_ADDR; c++) {
		if (!model[c])
			continue;
		assert_int_equal(ternd_leases_reserve(&lt, 1), 0);
		dup = ternd_leases_take(&lt);
		set_client(&lt, dup, c);
		ternd_leases_client_add(&lt, dup);
		assert_int_equal(dup->key, TERND_KEY_NONE);
		/* Deleting the unfiled one leaves the filed one. */
		ternd_leases_client_del(&lt, dup);
		assert_ptr_equal(find_client(&lt, c, 7), model[c]);
		break;
	}
	ternd_leases_fini(&lt);
}

#define N_HEAP 3000

/* Random queue / requeue / unqueue; pops come out in time order and only
 * for queued records. */
static void test_heap(void **state)
{
	static struct ternd_rec *recs[N_HEAP];
	static int64_t when[N_HEAP]; /* -1 = not queued */
	struct ternd_leases lt;
	struct ternd_rec *r;
	int64_t t, last = INT64_MIN;
	size_t queued = 0;

	(void)state;
	assert_int_equal(ternd_leases_init(&lt, 16), 0);
	assert_int_equal(ternd_leases_reserve(&lt, N_HEAP), 0);
	for (int i = 0; i < N_HEAP; i++) {
		recs[i] = ternd_leases_take(&lt);
		when[i] = -1;
	}
	for (int round = 0; round < 100000; round++) {
		int i = (int)(rnd() % N_HEAP);

		if (when[i] >= 0 && (rnd() % 3) == 0) {
			ternd_leases_unqueue(&lt, recs[i]);
			when[i] = -1;
			queued--;
			continue;
		}
		if (when[i] < 0)
			queued++;
		when[i] = rnd() % 100000;
		ternd_leases_queue(&lt, recs[i], when[i]);
	}
	assert_int_equal(lt.heap_n, queued);
	while ((r = ternd_leases_next(&lt, &t))) {
		assert_true(t >= last);
		assert_int_equal(when[r->self], t);
		assert_true(ternd_leases_queued(&lt, r));
		last = t;
		ternd_leases_unqueue(&lt, r);
		assert_false(ternd_leases_queued(&lt, r));
		when[r->self] = -1;
		queued--;
	}
	assert_int_equal(queued, 0);
	ternd_leases_fini(&lt);
}

static void test_poolmap(void **state)
{
	struct ternd_poolmap pm;
	uint32_t a, seen = 0;

	(void)state;
	/* 70 addresses: the last word has 6 valid bits. */
	assert_int_equal(ternd_poolmap_init(&pm, 1000, 1069), 0);
	assert_int_equal(pm.n_free, 70);
	/* Round robin: every address once before any repeats. */
	for (int i = 0; i < 70; i++) {
		assert_int_equal(ternd_poolmap_find(&pm, &a), 0);
		assert_true(ternd_poolmap_has(&pm, a));
		assert_false(ternd_poolmap_test(&pm, a));
		ternd_poolmap_set(&pm, a);
		seen++;
	}
	assert_int_equal(seen, 70);
	assert_int_equal(pm.n_free, 0);
	assert_int_equal(ternd_poolmap_find(&pm, &a), -ENOSPC);
	/* Freed addresses come back in the order the cursor meets them. */
	ternd_poolmap_clear(&pm, 1005);
	ternd_poolmap_clear(&pm, 1068);
	ternd_poolmap_clear(&pm, 1068);
	assert_int_equal(pm.n_free, 2);
	assert_int_equal(ternd_poolmap_find(&pm, &a), 0);
	assert_int_equal(a, 1005);
	ternd_poolmap_set(&pm, a);
	assert_int_equal(ternd_poolmap_find(&pm, &a), 0);
	assert_int_equal(a, 1068);
	ternd_poolmap_set(&pm, a);
	assert_int_equal(ternd_poolmap_find(&pm, &a), -ENOSPC);
	/* A freed address behind the cursor waits for the wrap. */
	ternd_poolmap_clear(&pm, 1001);
	ternd_poolmap_clear(&pm, 1069);
	assert_int_equal(ternd_poolmap_find(&pm, &a), 0);
	assert_int_equal(a, 1069);
	ternd_poolmap_fini(&pm);
	ternd_poolmap_fini(NULL);
	assert_int_equal(ternd_poolmap_init(&pm, 5, 4), -EINVAL);
	/* A single address. */
	assert_int_equal(ternd_poolmap_init(&pm, 7, 7), 0);
	assert_int_equal(ternd_poolmap_find(&pm, &a), 0);
	assert_int_equal(a, 7);
	ternd_poolmap_set(&pm, 7);
	assert_int_equal(ternd_poolmap_find(&pm, &a), -ENOSPC);
	ternd_poolmap_fini(&pm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_index),
		cmocka_unit_test(test_client_index),
		cmocka_unit_test(test_heap),
		cmocka_unit_test(test_poolmap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
