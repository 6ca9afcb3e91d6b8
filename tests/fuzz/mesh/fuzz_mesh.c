/* Fuzz target: mesh packets through the codec and into a live block state
 * machine, invariants checked. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/mesh/blocks.h"
#include "server/mesh/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(x)                 \
	do {                     \
		if (!(x))        \
			abort(); \
	} while (0)

static void usage(void *ctx, uint32_t first, uint32_t n, uint32_t *ret_free,
		  uint32_t *ret_leased)
{
	(void)ctx;
	*ret_leased = (first >> 2) & 1 ? n / 2 : 0;
	*ret_free = n - *ret_leased;
}

/* The codec alone: whatever parses must re-encode to the same bytes. */
static void codec(const uint8_t *data, size_t size)
{
	struct ternd_mesh_pkt p;
	struct ternd_mesh_lease l;
	uint8_t out[TERND_MESH_MAX_PKT];

	if (ternd_mesh_parse(data, size, &p) < 0)
		return;
	CHECK(p.payload_len + TERND_MESH_HDR_LEN == size);
	if (p.hdr.command >= TERND_MESH_RENEWLEASE &&
	    ternd_mesh_get_lease(&p, &l) == 0) {
		CHECK(ternd_mesh_build_lease(out, sizeof(out), &p.hdr, &l) ==
		      44);
		CHECK(memcmp(out, data, 15) == 0 &&
		      !memcmp(out + 16, data + 16, 28));
	}
	if (p.hdr.command == TERND_MESH_INQUIRE &&
	    p.hdr.count <= TERND_MESH_MAX_ENTRIES) {
		uint32_t v[TERND_MESH_MAX_ENTRIES];

		for (size_t i = 0; i < p.hdr.count; i++)
			CHECK(ternd_mesh_get_inquire(&p, i, &v[i]) == 0);
		CHECK(ternd_mesh_build_inquire(out, sizeof(out), &p.hdr, v,
					       p.hdr.count) == (int)size);
		CHECK(memcmp(out, data, size) == 0);
	}
}

/*
 * A sequence of packets, each prefixed by a 2-byte length and a time
 * step, fed to a node; between packets the node keeps house.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ternd_mesh_cfg cfg;
	struct ternd_mesh *m;
	struct ternd_mesh_out o;
	struct ternd_mesh_lease_msg lm;
	const uint8_t src[16] = {0xfe, 0x80, [15] = 1};
	int64_t now = 0;
	uint32_t blk;
	bool ours;

	codec(data, size);
	memset(&cfg, 0, sizeof(cfg));
	ternd_mesh_cfg_defaults(&cfg);
	cfg.node_id[0] = 0x80;
	cfg.network = 0x0a000000;
	cfg.prefix_len = 24;
	cfg.block_pow = 2;
	cfg.skip_learning = true;
	if (ternd_mesh_new(&cfg, now, &m) < 0)
		return 0;
	ternd_mesh_set_usage(m, usage, NULL);
	while (size >= 3) {
		size_t len = (size_t)(data[0] << 8 | data[1]) % 600;

		now += (int64_t)data[2] * 250;
		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		(void)ternd_mesh_input(m, data, len, src, now, &lm);
		data += len;
		size -= len;
		if (ternd_mesh_next_tick(m) <= now)
			(void)ternd_mesh_tick(m, now);
		while (ternd_mesh_pop_out(m, &o)) {
			struct ternd_mesh_pkt p;

			/* Everything we send parses back and is ours. */
			CHECK(ternd_mesh_parse(o.buf, o.len, &p) == 0);
			CHECK(p.hdr.node_id[0] == 0x80);
		}
		while (ternd_mesh_pop_change(m, &blk, &ours)) {
			struct ternd_mesh_block_info bi;

			CHECK(ternd_mesh_block(m, blk, &bi) == 0);
			CHECK(ours == (bi.state == TERND_MESH_OURS));
		}
	}
	ternd_mesh_free(m);
	return 0;
}
