/* ternd mesh node internals, shared by node.c, forward.c and hook.c only. */
#ifndef TERND_MESH_NODE_INTERNAL_H
#define TERND_MESH_NODE_INTERNAL_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/log.h"
#include "server/mesh/node.h"

/* Forwarded REQUESTs waiting for the owner's answer (spec: 120 s). */
#define PENDING_MAX 256
#define PENDING_MS  120000
/* Hook processes: at most this many at once, each killed after a while. */
#define HOOK_MAX      8
#define HOOK_KILL_MS  30000
#define MESH_RX_BATCH 32
/* Peers whose address byte order we learned from their lease messages. */
#define PEER_ORDER_MAX 64

struct pending {
	bool used;
	int64_t expire_ms;
	uint32_t addr;
	uint32_t xid;
	uint8_t chaddr[16];
	char ifname[IF_NAMESIZE];
	struct ternd_rx rx;
	uint8_t data[1500];
};

struct hook_proc {
	pid_t pid;
	int64_t started_ms;
};

struct mesh_opt {
	uint8_t code;
	uint8_t len;
	uint8_t data[255];
};

struct ternd_mesh_node {
	struct ternd_mesh_opts o;
	struct mesh_opt opts[TERND_MESH_MAX_OPTS]; /* sorted by code */
	size_t n_opts;
	struct ternd_option ovr[TERND_MESH_MAX_OPTS];
	const struct ternd_config *cfg;
	struct ternd_engine *engine;
	struct ternd_mesh *mesh;
	ternd_mesh_run_fn run;
	void *run_ctx;
	int ifindex;
	int mfd, ufd, tfd;
	struct pending *pending;
	struct hook_proc hooks[HOOK_MAX];
	struct {
		uint8_t addr[16];
		bool swapped;
	} peers[PEER_ORDER_MAX];
	size_t n_peers, peer_next;
	uint64_t forwarded, acked, naked, pending_dropped, hooks_dropped;
	uint64_t renew_answered, release_rx, lease_unmatched;
};

/* One rate limit for the node's debug and warning lines. */
extern struct tern_ratelimit mn_rl;

/* node.c */
/* Send every packet the block state machine queued. */
void mn_send_out(struct ternd_mesh_node *n);
/* hook.c */
void mn_reap_hooks(struct ternd_mesh_node *n, int64_t now);
void mn_run_hook(struct ternd_mesh_node *n, const char *action, const char *ip,
		 const char *mac);
void mn_hook_lease(struct ternd_mesh_node *n, const char *action, uint32_t addr,
		   const uint8_t *hw);
/* forward.c: a lease message (16-19) a peer sent us */
void mn_on_lease_msg(struct ternd_mesh_node *n,
		     const struct ternd_mesh_lease_msg *lm);

#endif
