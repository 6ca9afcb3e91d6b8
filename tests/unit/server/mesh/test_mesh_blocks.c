/* Unit tests for the mesh block state machine: several nodes wired together in
 * memory, time stepped by hand. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "server/mesh/blocks.h"

#define MAX_NODES 4
#define NET	  0x0a000000u /* 10.0.0.0/24, blocks of 4: 64 blocks */

struct node {
	struct ternd_mesh *m;
	uint8_t addr[16];
	uint32_t leased[64]; /* per block, what the fake engine holds */
	bool up;
	int group; /* partition: only nodes of one group hear each other */
};

static struct node nodes[MAX_NODES];
static size_t n_nodes;
static int64_t now;

static void usage(void *ctx, uint32_t first, uint32_t n, uint32_t *ret_free,
		  uint32_t *ret_leased)
{
	struct node *nd = ctx;
	uint32_t b = (first - NET) / 4;

	*ret_leased = nd->leased[b];
	*ret_free = n - nd->leased[b];
}

static void setup_nodes(size_t n, bool learn)
{
	struct ternd_mesh_cfg cfg;

	memset(nodes, 0, sizeof(nodes));
	n_nodes = n;
	now = 1000;
	for (size_t i = 0; i < n; i++) {
		memset(&cfg, 0, sizeof(cfg));
		ternd_mesh_cfg_defaults(&cfg);
		cfg.node_id[0] = 2;
		cfg.node_id[5] = (uint8_t)(i + 1); /* node i+1 > node i */
		cfg.network = NET;
		cfg.prefix_len = 24;
		cfg.block_pow = 2;
		cfg.spare_leases = 2;
		cfg.skip_learning = !learn;
		cfg.seed = (uint32_t)(i * 7919 + 1);
		assert_int_equal(ternd_mesh_new(&cfg, now, &nodes[i].m), 0);
		ternd_mesh_set_usage(nodes[i].m, usage, &nodes[i]);
		nodes[i].addr[0] = 0xfe;
		nodes[i].addr[1] = 0x80;
		nodes[i].addr[15] = (uint8_t)(i + 1);
		nodes[i].up = true;
	}
}

static void teardown_nodes(void)
{
	for (size_t i = 0; i < n_nodes; i++)
		ternd_mesh_free(nodes[i].m);
	n_nodes = 0;
}

/* Deliver every queued packet to every other node of the same group. */
static void deliver(void)
{
	struct ternd_mesh_out o;
	bool any = true;

	while (any) {
		any = false;
		for (size_t i = 0; i < n_nodes; i++) {
			while (ternd_mesh_pop_out(nodes[i].m, &o)) {
				any = true;
				for (size_t j = 0; j < n_nodes; j++) {
					struct ternd_mesh_lease_msg lm;

					if (j == i || !nodes[j].up ||
					    nodes[j].group != nodes[i].group)
						continue;
					(void)ternd_mesh_input(
						nodes[j].m, o.buf, o.len,
						nodes[i].addr, now, &lm);
				}
			}
		}
	}
}

/* Run every node's housekeeping until `until`, in 100 ms steps. */
static void run_until(int64_t until)
{
	for (; now <= until; now += 100) {
		for (size_t i = 0; i < n_nodes; i++)
			if (nodes[i].up &&
			    ternd_mesh_next_tick(nodes[i].m) <= now)
				(void)ternd_mesh_tick(nodes[i].m, now);
		deliver();
	}
}

static uint8_t state_of(size_t node, uint32_t block)
{
	struct ternd_mesh_block_info bi;

	assert_int_equal(ternd_mesh_block(nodes[node].m, block, &bi), 0);
	return bi.state;
}

static size_t count_ours(size_t node)
{
	size_t n = 0;

	for (uint32_t b = 0; b < 64; b++)
		n += state_of(node, b) == TERND_MESH_OURS;
	return n;
}

/* No block is OURS at two nodes, and every other node sees the owner. */
static void assert_disjoint(void)
{
	for (uint32_t b = 0; b < 64; b++) {
		int owner = -1;

		for (size_t i = 0; i < n_nodes; i++) {
			if (state_of(i, b) != TERND_MESH_OURS)
				continue;
			assert_int_equal(owner, -1);
			owner = (int)i;
		}
		if (owner < 0)
			continue;
		for (size_t i = 0; i < n_nodes; i++)
			if ((int)i != owner && nodes[i].up &&
			    nodes[i].group == nodes[owner].group)
				assert_int_equal(state_of(i, b),
						 TERND_MESH_CLAIMED);
	}
}

static void test_claim_sequence(void **state)
{
	struct ternd_mesh_out o;
	struct ternd_mesh_pkt p;
	int inquires = 0, claims = 0;
	uint32_t blk;
	bool ours;

	(void)state;
	setup_nodes(1, false);
	/* Four housekeeping passes: three INQUIREs, then the claim. */
	for (int pass = 0; pass < 4; pass++) {
		(void)ternd_mesh_tick(nodes[0].m, now);
		while (ternd_mesh_pop_out(nodes[0].m, &o)) {
			assert_int_equal(ternd_mesh_parse(o.buf, o.len, &p), 0);
			assert_false(o.unicast);
			if (p.hdr.command == TERND_MESH_INQUIRE)
				inquires++;
			else if (p.hdr.command == TERND_MESH_UPDATECLAIM)
				claims++;
		}
		if (pass < 3)
			assert_int_equal(count_ours(0), 0);
		now = ternd_mesh_next_tick(nodes[0].m);
	}
	assert_int_equal(inquires, 3);
	assert_int_equal(claims, 1);
	assert_int_equal(count_ours(0), 1);
	assert_true(ternd_mesh_pop_change(nodes[0].m, &blk, &ours));
	assert_true(ours);
	assert_int_equal(state_of(0, blk), TERND_MESH_OURS);
	assert_false(ternd_mesh_pop_change(nodes[0].m, &blk, &ours));
	teardown_nodes();
}

static void test_learning_then_disjoint(void **state)
{
	(void)state;
	setup_nodes(3, true);
	/* Node 0 starts earlier without learning... */
	ternd_mesh_free(nodes[0].m);
	{
		struct ternd_mesh_cfg cfg;

		ternd_mesh_cfg_defaults(&cfg);
		memset(cfg.node_id, 0, sizeof(cfg.node_id));
		cfg.node_id[0] = 2;
		cfg.node_id[5] = 1;
		cfg.network = NET;
		cfg.prefix_len = 24;
		cfg.block_pow = 2;
		cfg.skip_learning = true;
		assert_int_equal(ternd_mesh_new(&cfg, now, &nodes[0].m), 0);
		ternd_mesh_set_usage(nodes[0].m, usage, &nodes[0]);
	}
	run_until(now + 59000);
	/* ...the learners claimed nothing during their learning phase. */
	assert_true(ternd_mesh_learning(nodes[1].m));
	assert_int_equal(count_ours(1), 0);
	assert_int_equal(count_ours(2), 0);
	assert_int_equal(count_ours(0), 1);
	run_until(now + 120000);
	assert_false(ternd_mesh_learning(nodes[1].m));
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(count_ours(i), 1);
	assert_disjoint();
	/* Leases use up node 2's block: it claims another, still disjoint. */
	for (uint32_t b = 0; b < 64; b++)
		if (state_of(2, b) == TERND_MESH_OURS)
			nodes[2].leased[b] = 4;
	run_until(now + 60000);
	assert_int_equal(count_ours(2), 2);
	assert_disjoint();
	teardown_nodes();
}

static void test_partition_heal(void **state)
{
	uint32_t shared = 64;

	(void)state;
	setup_nodes(2, false);
	/* Split before anyone claims: both sides claim on their own. */
	nodes[1].group = 1;
	run_until(now + 30000);
	assert_int_equal(count_ours(0), 1);
	assert_int_equal(count_ours(1), 1);
	/* Force the collision: node 0 (smaller id) takes node 1's block. */
	for (uint32_t b = 0; b < 64; b++)
		if (state_of(1, b) == TERND_MESH_OURS)
			shared = b;
	assert_true(shared < 64);
	for (uint32_t b = 0; b < 64; b++)
		if (state_of(0, b) == TERND_MESH_OURS)
			nodes[0].leased[b] = 4; /* full: needs another */
	/* Make every block but `shared` unavailable to node 0. */
	{
		struct ternd_mesh_out o;
		uint8_t buf[TERND_MESH_HDR_LEN + 32 * 7];
		struct ternd_mesh_hdr h = {.node_id = {9, 9, 9, 9, 9, 9, 9, 9},
					   .swarm = {NET, 24, 4}};
		struct ternd_mesh_claim c[32];
		struct ternd_mesh_lease_msg lm;
		uint8_t src[16] = {0xfe, 0x80, [15] = 99};

		for (uint32_t base = 0; base < 64; base += 32) {
			size_t n = 0;
			int len;

			for (uint32_t b = base; b < base + 32; b++)
				if (b != shared &&
				    state_of(0, b) != TERND_MESH_OURS)
					c[n++] = (struct ternd_mesh_claim){b,
									   600};
			len = ternd_mesh_build_claims(buf, sizeof(buf), &h, c,
						      n);
			assert_true(len > 0);
			ternd_mesh_input(nodes[0].m, buf, (size_t)len, src, now,
					 &lm);
		}
		(void)o;
	}
	run_until(now + 30000);
	assert_int_equal(state_of(0, shared), TERND_MESH_OURS);
	assert_int_equal(state_of(1, shared), TERND_MESH_OURS);
	/* Heal: node 1 has the larger id and keeps the block. */
	nodes[1].group = 0;
	run_until(now + 60000);
	assert_int_equal(state_of(1, shared), TERND_MESH_OURS);
	assert_int_equal(state_of(0, shared), TERND_MESH_CLAIMED);
	assert_true(ternd_mesh_stats(nodes[0].m)->conflicts_lost >= 1);
	{
		struct ternd_mesh_block_info bi;

		assert_int_equal(ternd_mesh_block(nodes[0].m, shared, &bi), 0);
		assert_memory_equal(bi.owner_addr, nodes[1].addr, 16);
	}
	teardown_nodes();
}

static void test_inquire_rules(void **state)
{
	struct ternd_mesh_hdr big = {.node_id = {0xff}, .swarm = {NET, 24, 4}};
	struct ternd_mesh_hdr small = {.node_id = {0x01},
				       .swarm = {NET, 24, 4}};
	uint8_t src[16] = {0xfe, 0x80, [15] = 50};
	struct ternd_mesh_lease_msg lm;
	struct ternd_mesh_out o;
	struct ternd_mesh_pkt p;
	uint8_t buf[64];
	uint32_t ours = 64, blk;
	int len;

	(void)state;
	setup_nodes(1, false);
	run_until(now + 30000);
	for (uint32_t b = 0; b < 64; b++)
		if (state_of(0, b) == TERND_MESH_OURS)
			ours = b;
	assert_true(ours < 64);
	/* INQUIRE for our block: re-announced at once. */
	len = ternd_mesh_build_inquire(buf, sizeof(buf), &small, &ours, 1);
	assert_int_equal(
		ternd_mesh_input(nodes[0].m, buf, (size_t)len, src, now, &lm),
		0);
	assert_true(ternd_mesh_pop_out(nodes[0].m, &o));
	assert_int_equal(ternd_mesh_parse(o.buf, o.len, &p), 0);
	assert_int_equal(p.hdr.command, TERND_MESH_UPDATECLAIM);
	/* INQUIRE for a free block: tentative, then free again. */
	blk = (ours + 1) % 64;
	len = ternd_mesh_build_inquire(buf, sizeof(buf), &small, &blk, 1);
	ternd_mesh_input(nodes[0].m, buf, (size_t)len, src, now, &lm);
	assert_int_equal(state_of(0, blk), TERND_MESH_TENTATIVE);
	now += 16000;
	(void)ternd_mesh_tick(nodes[0].m, now);
	assert_int_equal(state_of(0, blk), TERND_MESH_FREE);
	/* A claim from a larger node id takes our block. */
	{
		struct ternd_mesh_claim c = {ours, 60};
		bool is_ours;
		uint32_t chg;

		len = ternd_mesh_build_claims(buf, sizeof(buf), &small, &c, 1);
		ternd_mesh_input(nodes[0].m, buf, (size_t)len, src, now, &lm);
		assert_int_equal(state_of(0, ours), TERND_MESH_OURS);
		len = ternd_mesh_build_claims(buf, sizeof(buf), &big, &c, 1);
		ternd_mesh_input(nodes[0].m, buf, (size_t)len, src, now, &lm);
		assert_int_equal(state_of(0, ours), TERND_MESH_CLAIMED);
		while (ternd_mesh_pop_change(nodes[0].m, &chg, &is_ours))
			if (chg == ours)
				assert_false(is_ours);
		/* A smaller id claiming it too does not take it over. */
		len = ternd_mesh_build_claims(buf, sizeof(buf), &small, &c, 1);
		ternd_mesh_input(nodes[0].m, buf, (size_t)len, src, now, &lm);
		{
			struct ternd_mesh_block_info bi;

			assert_int_equal(
				ternd_mesh_block(nodes[0].m, ours, &bi), 0);
			assert_int_equal(bi.owner[0], 0xff);
		}
		/* Its claim expires: the block is free again. */
		now += 61000;
		(void)ternd_mesh_tick(nodes[0].m, now);
		assert_int_not_equal(state_of(0, ours), TERND_MESH_CLAIMED);
	}
	teardown_nodes();
}

static void test_backoff_on_larger_inquire(void **state)
{
	struct ternd_mesh_hdr big = {.node_id = {0xff}, .swarm = {NET, 24, 4}};
	uint8_t src[16] = {0xfe, 0x80, [15] = 50};
	struct ternd_mesh_lease_msg lm;
	uint8_t buf[64];
	uint32_t claiming = 64;
	int len;

	(void)state;
	setup_nodes(1, false);
	(void)ternd_mesh_tick(nodes[0].m, now);
	for (uint32_t b = 0; b < 64; b++)
		if (state_of(0, b) == TERND_MESH_CLAIMING)
			claiming = b;
	assert_true(claiming < 64);
	len = ternd_mesh_build_inquire(buf, sizeof(buf), &big, &claiming, 1);
	ternd_mesh_input(nodes[0].m, buf, (size_t)len, src, now, &lm);
	assert_int_equal(state_of(0, claiming), TERND_MESH_TENTATIVE);
	assert_int_equal(ternd_mesh_stats(nodes[0].m)->claims_backed_off, 1);
	teardown_nodes();
}

static void test_drops_counted(void **state)
{
	struct ternd_mesh_hdr other = {.node_id = {1}, .swarm = {NET, 24, 8}};
	struct ternd_mesh_hdr self = {.swarm = {NET, 24, 4}};
	struct ternd_mesh_claim c = {200, 60}; /* past the last block */
	uint8_t src[16] = {0xfe, 0x80};
	struct ternd_mesh_lease_msg lm;
	const struct ternd_mesh_stats *st;
	uint8_t buf[64];
	int len;

	(void)state;
	setup_nodes(1, false);
	st = ternd_mesh_stats(nodes[0].m);
	len = ternd_mesh_build_claims(buf, sizeof(buf), &other, &c, 1);
	assert_int_equal(
		ternd_mesh_input(nodes[0].m, buf, (size_t)len, src, now, &lm),
		-EXDEV);
	assert_int_equal(st->rx_foreign, 1);
	assert_int_equal(ternd_mesh_input(nodes[0].m, buf, (size_t)len - 1, src,
					  now, &lm),
			 -EBADMSG);
	assert_int_equal(st->rx_malformed, 1);
	other.swarm.blocksize = 4;
	len = ternd_mesh_build_claims(buf, sizeof(buf), &other, &c, 1);
	assert_int_equal(
		ternd_mesh_input(nodes[0].m, buf, (size_t)len, src, now, &lm),
		-EBADMSG);
	assert_int_equal(st->rx_malformed, 2);
	self.node_id[0] = 2;
	self.node_id[5] = 1;
	c.block = 1;
	len = ternd_mesh_build_claims(buf, sizeof(buf), &self, &c, 1);
	assert_int_equal(
		ternd_mesh_input(nodes[0].m, buf, (size_t)len, src, now, &lm),
		-ELOOP);
	assert_int_equal(st->rx_self, 1);
	/* A lease message is handed to the caller. */
	{
		struct ternd_mesh_lease l = {.addr = NET + 9, .xid = 5};

		other.command = TERND_MESH_RENEWLEASE;
		len = ternd_mesh_build_lease(buf, sizeof(buf), &other, &l);
		assert_int_equal(ternd_mesh_input(nodes[0].m, buf, (size_t)len,
						  src, now, &lm),
				 1);
		assert_int_equal(lm.command, TERND_MESH_RENEWLEASE);
		assert_int_equal(lm.lease.addr, NET + 9);
	}
	teardown_nodes();
}

static void test_needless_dropped(void **state)
{
	uint32_t blk;
	bool ours;

	(void)state;
	setup_nodes(1, false);
	run_until(now + 30000);
	assert_int_equal(count_ours(0), 1);
	/* Fill it: a second block is claimed. */
	for (uint32_t b = 0; b < 64; b++)
		if (state_of(0, b) == TERND_MESH_OURS)
			nodes[0].leased[b] = 4;
	run_until(now + 30000);
	assert_int_equal(count_ours(0), 2);
	/* Clients leave: one block is surplus, dropped after 300 s. */
	memset(nodes[0].leased, 0, sizeof(nodes[0].leased));
	while (ternd_mesh_pop_change(nodes[0].m, &blk, &ours))
		;
	run_until(now + 200000);
	assert_int_equal(count_ours(0), 2);
	run_until(now + 120000);
	assert_int_equal(count_ours(0), 1);
	assert_true(ternd_mesh_pop_change(nodes[0].m, &blk, &ours));
	assert_false(ours);
	teardown_nodes();
}

static void test_bad_config(void **state)
{
	struct ternd_mesh_cfg cfg;
	struct ternd_mesh *m = NULL;

	(void)state;
	memset(&cfg, 0, sizeof(cfg));
	ternd_mesh_cfg_defaults(&cfg);
	cfg.network = 0x0a000001; /* host bits set */
	cfg.prefix_len = 24;
	assert_int_equal(ternd_mesh_new(&cfg, 0, &m), -EINVAL);
	cfg.network = 0x0a000000;
	cfg.prefix_len = 8; /* 2^19 blocks of 32: too many */
	assert_int_equal(ternd_mesh_new(&cfg, 0, &m), -EINVAL);
	cfg.prefix_len = 24;
	cfg.spare_leases = 257;
	assert_int_equal(ternd_mesh_new(&cfg, 0, &m), -EINVAL);
	assert_null(m);
	ternd_mesh_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_claim_sequence),
		cmocka_unit_test(test_learning_then_disjoint),
		cmocka_unit_test(test_partition_heal),
		cmocka_unit_test(test_inquire_rules),
		cmocka_unit_test(test_backoff_on_larger_inquire),
		cmocka_unit_test(test_drops_counted),
		cmocka_unit_test(test_needless_dropped),
		cmocka_unit_test(test_bad_config),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
