/* ternd mesh block state machine: learning, claiming, refresh, expiry and
 * conflicts, with time passed in. */
#ifndef TERND_MESH_H
#define TERND_MESH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/mesh/proto.h"

/*
 * The module does no I/O and reads no clock: the daemon feeds it received
 * packets and the time (milliseconds, any monotonic origin), and takes out
 * the packets to send and the blocks whose ownership changed. Unit tests
 * wire several instances together by handing one's output to the others.
 */
struct ternd_mesh;

enum ternd_mesh_state {
	TERND_MESH_FREE,
	TERND_MESH_TENTATIVE,
	TERND_MESH_CLAIMED,  /* by a peer */
	TERND_MESH_CLAIMING, /* by us, INQUIREs under way */
	TERND_MESH_OURS,
	TERND_MESH_BLOCKED,
};

/* Limits: every table is sized from the configuration. */
#define TERND_MESH_MAX_BLOCKS 65536
#define TERND_MESH_OUTBOX     256

struct ternd_mesh_cfg {
	uint8_t node_id[TERND_MESH_NODE_ID_LEN];
	uint32_t network; /* host order, host bits zero */
	uint8_t prefix_len;
	uint8_t block_pow;	   /* block = 2^block_pow addresses (<= 7) */
	uint32_t spare_leases;	   /* free leases to keep at hand (<= 256) */
	uint32_t block_timeout_ms; /* claim lifetime (60 s) */
	uint32_t tentative_ms;	   /* claim delay unit (15 s) */
	uint32_t needless_ms;	   /* surplus block kept this long (300 s) */
	uint32_t refresh_factor;   /* re-announce at 1/factor left (4) */
	bool skip_learning;	   /* -L */
	uint32_t seed;		   /* block choice randomness */
};

/* Fill ddhcpd's defaults (everything but node_id, network, prefix). */
void ternd_mesh_cfg_defaults(struct ternd_mesh_cfg *cfg);

/*
 * How the leases of the address range [first, first + n) stand: addresses
 * that could be handed out now, and ones with a live lease. The daemon
 * answers from the engine; exclusions count as neither.
 */
typedef void (*ternd_mesh_usage_fn)(void *ctx, uint32_t first, uint32_t n,
				    uint32_t *ret_free, uint32_t *ret_leased);

/* One block as the control socket shows it. */
struct ternd_mesh_block_info {
	uint32_t index;
	uint32_t first; /* host order */
	uint8_t state;	/* enum ternd_mesh_state */
	uint8_t owner[TERND_MESH_NODE_ID_LEN];
	uint8_t owner_addr[16];
	int64_t timeout_ms; /* absolute, 0 = none */
	uint8_t inquiries;
	bool needless;
};

/* A packet to send: to the multicast group, or unicast to dst. */
struct ternd_mesh_out {
	bool unicast;
	uint8_t dst[16];
	uint16_t len;
	uint8_t buf[TERND_MESH_HDR_LEN +
		    TERND_MESH_MAX_ENTRIES * TERND_MESH_CLAIM_LEN];
};

/* A lease message (commands 16-19) for the daemon to act on. */
struct ternd_mesh_lease_msg {
	uint8_t command;
	uint8_t src[16];
	uint8_t node_id[TERND_MESH_NODE_ID_LEN];
	struct ternd_mesh_lease lease;
};

struct ternd_mesh_stats {
	uint64_t rx_packets;
	uint64_t rx_malformed; /* length, command, bad block index */
	uint64_t rx_foreign;   /* another swarm (prefix, length, blocksize) */
	uint64_t rx_self;      /* our own node id (loop or a clone) */
	uint64_t tx_packets;
	uint64_t tx_dropped; /* outbox full */
	uint64_t conflicts_won;
	uint64_t conflicts_lost;
	uint64_t claims_backed_off;
};

/* Returns 0, -EINVAL (bad cfg), -ENOMEM. Learning starts at now_ms. */
int ternd_mesh_new(const struct ternd_mesh_cfg *cfg, int64_t now_ms,
		   struct ternd_mesh **ret);
void ternd_mesh_free(struct ternd_mesh *m);
void ternd_mesh_set_usage(struct ternd_mesh *m, ternd_mesh_usage_fn fn,
			  void *ctx);

/*
 * One received packet from the IPv6 address src (16 bytes). Returns 0
 * when it was a block message (handled), 1 with *ret_lease filled for a
 * lease message (16-19) the daemon must handle, -EBADMSG (malformed),
 * -EXDEV (another swarm), -ELOOP (our own node id); all three counted.
 */
int ternd_mesh_input(struct ternd_mesh *m, const uint8_t *buf, size_t len,
		     const uint8_t src[16], int64_t now_ms,
		     struct ternd_mesh_lease_msg *ret_lease);

/*
 * Housekeeping: call at ternd_mesh_next_tick(). Expires claims, ends the
 * learning phase (returns 1 then, for the endlearning hook; else 0),
 * claims or drops blocks to keep the spare target, sends INQUIREs and
 * UPDATECLAIMs.
 */
int ternd_mesh_tick(struct ternd_mesh *m, int64_t now_ms);
int64_t ternd_mesh_next_tick(const struct ternd_mesh *m);
bool ternd_mesh_learning(const struct ternd_mesh *m);

/* Next packet to send; false when none. */
bool ternd_mesh_pop_out(struct ternd_mesh *m, struct ternd_mesh_out *ret);
/* Next block whose OURS-ness changed since last asked; false when none. */
bool ternd_mesh_pop_change(struct ternd_mesh *m, uint32_t *ret_block,
			   bool *ret_ours);

/* Queue a lease message (e.g. RENEWLEASE to an owner, LEASEACK back). */
int ternd_mesh_send_lease(struct ternd_mesh *m, uint8_t command,
			  const uint8_t dst[16],
			  const struct ternd_mesh_lease *l);

/* Block lookups; addresses host order. -ENOENT outside the range. */
int ternd_mesh_block_of(const struct ternd_mesh *m, uint32_t addr,
			uint32_t *ret_block);
int ternd_mesh_block(const struct ternd_mesh *m, uint32_t block,
		     struct ternd_mesh_block_info *ret);
uint32_t ternd_mesh_n_blocks(const struct ternd_mesh *m);
uint32_t ternd_mesh_blocksize(const struct ternd_mesh *m);
const struct ternd_mesh_stats *ternd_mesh_stats(const struct ternd_mesh *m);
const char *ternd_mesh_state_name(uint8_t state);

#endif
