/* Unit tests for the mesh wire codec: exact lengths, round trips, the address
 * byte-order quirk. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "server/mesh/proto.h"

static const struct ternd_mesh_hdr H = {
	.node_id = {2, 0, 0, 0, 0, 1, 0, 0},
	.swarm = {.prefix = 0x0a000000, .prefix_len = 24, .blocksize = 4},
};

static void test_claims_roundtrip(void **state)
{
	struct ternd_mesh_claim v[3] = {{0, 60}, {7, 30}, {63, 65535}};
	struct ternd_mesh_claim c;
	struct ternd_mesh_pkt p;
	uint8_t buf[256];
	int len;

	(void)state;
	len = ternd_mesh_build_claims(buf, sizeof(buf), &H, v, 3);
	assert_int_equal(len, 16 + 3 * 7);
	/* The header as ddhcpd lays it out. */
	assert_memory_equal(buf, H.node_id, 8);
	assert_int_equal(buf[8], 10);
	assert_int_equal(buf[11], 0);
	assert_int_equal(buf[12], 24);
	assert_int_equal(buf[13], 4);
	assert_int_equal(buf[14], 1);
	assert_int_equal(buf[15], 3);
	assert_int_equal(buf[16 + 7 + 3], 7); /* block 7, BE */
	assert_int_equal(buf[16 + 7 + 6], 0); /* reserved */
	assert_int_equal(ternd_mesh_parse(buf, (size_t)len, &p), 0);
	assert_true(ternd_mesh_same_swarm(&p.hdr.swarm, &H.swarm));
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(ternd_mesh_get_claim(&p, i, &c), 0);
		assert_int_equal(c.block, v[i].block);
		assert_int_equal(c.timeout, v[i].timeout);
	}
	assert_int_equal(ternd_mesh_get_claim(&p, 3, &c), -EINVAL);
	/* One byte more or less is malformed. */
	assert_int_equal(ternd_mesh_parse(buf, (size_t)len - 1, &p), -EBADMSG);
	assert_int_equal(ternd_mesh_parse(buf, (size_t)len + 1, &p), -EBADMSG);
	assert_int_equal(ternd_mesh_build_claims(buf, 20, &H, v, 3), -ENOBUFS);
}

static void test_inquire_and_limits(void **state)
{
	uint32_t blocks[TERND_MESH_MAX_ENTRIES + 1] = {5, 9};
	struct ternd_mesh_pkt p;
	uint8_t buf[512];
	uint32_t b;
	int len;

	(void)state;
	len = ternd_mesh_build_inquire(buf, sizeof(buf), &H, blocks, 2);
	assert_int_equal(len, 16 + 8);
	assert_int_equal(ternd_mesh_parse(buf, (size_t)len, &p), 0);
	assert_int_equal(p.hdr.command, TERND_MESH_INQUIRE);
	assert_int_equal(ternd_mesh_get_inquire(&p, 1, &b), 0);
	assert_int_equal(b, 9);
	assert_int_equal(ternd_mesh_get_claim(&p, 0, NULL), -EINVAL);
	assert_int_equal(ternd_mesh_build_inquire(buf, sizeof(buf), &H, blocks,
						  TERND_MESH_MAX_ENTRIES + 1),
			 -EINVAL);
	/* Short header, unknown command. */
	assert_int_equal(ternd_mesh_parse(buf, 15, &p), -EBADMSG);
	buf[14] = 3;
	assert_int_equal(ternd_mesh_parse(buf, (size_t)len, &p), -EBADMSG);
	assert_int_equal(ternd_mesh_parse(NULL, 0, &p), -EBADMSG);
}

static void test_lease_byte_order(void **state)
{
	struct ternd_mesh_hdr h = H;
	struct ternd_mesh_lease l = {.addr = 0x0a0000dc, .xid = 0x11223344},
				out;
	struct ternd_mesh_pkt p;
	uint8_t buf[64];
	int len;

	(void)state;
	memset(l.chaddr, 0xaa, 6);
	h.command = TERND_MESH_RENEWLEASE;
	/* ddhcpd on x86: 10.0.0.220 travels as dc 00 00 0a. */
	l.swapped = true;
	len = ternd_mesh_build_lease(buf, sizeof(buf), &h, &l);
	assert_int_equal(len, 44);
	assert_int_equal(buf[16], 0xdc);
	assert_int_equal(buf[19], 0x0a);
	assert_int_equal(ternd_mesh_parse(buf, (size_t)len, &p), 0);
	assert_int_equal(ternd_mesh_get_lease(&p, &out), 0);
	assert_int_equal(out.addr, 0x0a0000dc);
	assert_true(out.swapped);
	assert_int_equal(out.xid, 0x11223344);
	assert_memory_equal(out.chaddr, l.chaddr, 16);
	/* Network order is understood as well, and answered the same way. */
	l.swapped = false;
	len = ternd_mesh_build_lease(buf, sizeof(buf), &h, &l);
	assert_int_equal(buf[16], 0x0a);
	assert_int_equal(ternd_mesh_parse(buf, (size_t)len, &p), 0);
	assert_int_equal(ternd_mesh_get_lease(&p, &out), 0);
	assert_false(out.swapped);
	assert_int_equal(out.addr, 0x0a0000dc);
	/* An address outside the swarm either way round is malformed. */
	buf[16] = 0xc0;
	buf[19] = 0x01;
	assert_int_equal(ternd_mesh_parse(buf, (size_t)len, &p), 0);
	assert_int_equal(ternd_mesh_get_lease(&p, &out), -EBADMSG);
	/* 43 or 45 bytes: dropped. The count byte does not change it. */
	assert_int_equal(ternd_mesh_parse(buf, 43, &p), -EBADMSG);
	assert_int_equal(ternd_mesh_parse(buf, 45, &p), -EBADMSG);
	h.command = TERND_MESH_UPDATECLAIM;
	assert_int_equal(ternd_mesh_build_lease(buf, sizeof(buf), &h, &l),
			 -EINVAL);
}

static void test_foreign_swarm(void **state)
{
	struct ternd_mesh_swarm a = H.swarm, b = H.swarm;

	(void)state;
	assert_true(ternd_mesh_same_swarm(&a, &b));
	b.blocksize = 8;
	assert_false(ternd_mesh_same_swarm(&a, &b));
	b = a;
	b.prefix_len = 23;
	assert_false(ternd_mesh_same_swarm(&a, &b));
	b = a;
	b.prefix = 0x0a000100;
	assert_false(ternd_mesh_same_swarm(&a, &b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_claims_roundtrip),
		cmocka_unit_test(test_inquire_and_limits),
		cmocka_unit_test(test_lease_byte_order),
		cmocka_unit_test(test_foreign_swarm),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
