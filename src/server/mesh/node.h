/* ternd mesh node: the block state machine wired to sockets, timers, the engine
 * and the hook. */
#ifndef TERND_MESH_NODE_H
#define TERND_MESH_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/config/config.h"
#include "server/engine4/engine.h"
#include "server/mesh/blocks.h"
#include "server/mesh/opts.h"

/*
 * What the node needs from the daemon: run one request through the engine
 * with the owner's verdict on addr (> 0 granted, < 0 denied, 0 none),
 * commit its changes and, when send is true, send the reply (after its
 * commit). Returns what ternd_engine_handle returned.
 */
typedef int (*ternd_mesh_run_fn)(void *ctx, const struct ternd_rx *rx,
				 uint32_t addr, int verdict, bool send);

struct ternd_mesh_node;

/*
 * Create before the lease store is restored (the engine's pool is closed
 * until blocks are ours) and before privileges are dropped (sockets).
 * Returns 0 or -errno (logged).
 */
int ternd_mesh_node_new(const struct ternd_mesh_opts *o,
			const struct ternd_config *cfg, struct ternd_engine *e,
			ternd_mesh_run_fn run, void *run_ctx,
			struct ternd_mesh_node **ret);
void ternd_mesh_node_free(struct ternd_mesh_node *n);
/* Descriptors to poll: the multicast and unicast sockets, the timer. */
size_t ternd_mesh_node_fds(const struct ternd_mesh_node *n, int *fds,
			   size_t max);
bool ternd_mesh_node_has_fd(const struct ternd_mesh_node *n, int fd);
void ternd_mesh_node_on_fd(struct ternd_mesh_node *n, int fd);
/*
 * Before the engine sees a DHCP request: returns 1 when the node took it
 * (a REQUEST for an address in a peer's block, forwarded as RENEWLEASE),
 * 0 when the engine should handle it. m is rx->buf as the daemon parsed it
 * for both (NULL when it did not parse: left to the engine).
 */
int ternd_mesh_node_filter(struct ternd_mesh_node *n, const struct ternd_rx *rx,
			   const struct tern_dhcp4_msg *m);
/* After the engine answered: runs the lease hook for an ACK. */
void ternd_mesh_node_replied(struct ternd_mesh_node *n,
			     const struct ternd_tx *tx);
/*
 * Options served to clients over the configuration's. Codes the server
 * builds itself (0, 255, 50, 52, 53, 55, 57-59, 61, 82) are refused
 * (-EPERM); 51 and 54 must be 4 bytes (51 not zero), else -EINVAL;
 * -E2BIG past TERND_MESH_MAX_OPTS; remove returns -ENOENT when absent.
 */
int ternd_mesh_node_set_option(struct ternd_mesh_node *n, uint8_t code,
			       uint8_t len, const uint8_t *data);
int ternd_mesh_node_remove_option(struct ternd_mesh_node *n, uint8_t code);
size_t ternd_mesh_node_options(const struct ternd_mesh_node *n,
			       const struct ternd_option **ret);
/* Of block i: addresses with a live lease and offers among them. */
void ternd_mesh_node_block_usage(const struct ternd_mesh_node *n, uint32_t i,
				 uint32_t *ret_offered, uint32_t *ret_leased);
const struct ternd_mesh_opts *
ternd_mesh_node_opts(const struct ternd_mesh_node *n);

/* Counters for the log and the control socket. */
void ternd_mesh_node_log_stats(const struct ternd_mesh_node *n);
const struct ternd_mesh *ternd_mesh_node_mesh(const struct ternd_mesh_node *n);

#endif
