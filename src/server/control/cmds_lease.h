/* ternd control: Kea's lease_cmds hook library (lease4-*), built in. */
#ifndef TERND_CMDS_LEASE_H
#define TERND_CMDS_LEASE_H

#include <stdbool.h>
#include <stddef.h>

#include "server/config/config.h"
#include "server/engine4/lease.h"

struct ternd_control;
struct ternd_engine;

/*
 * What the lease commands need. A command that changes leases checks its
 * arguments, makes room in the engine, hands its store changes to commit
 * (which returns once they are durable, or fails: nothing then changes
 * and the answer says why), applies them to the engine and calls applied.
 * The answer therefore never names a change that a crash could lose.
 */
struct ternd_lease_cmds {
	struct ternd_engine *engine;
	const struct ternd_config *cfg;
	/* Durable before it returns: 0 or -errno. Name change requests
	 * queued by ncr since the last commit follow these changes. */
	int (*commit)(void *ctx, const struct ternd_change *v, size_t n);
	/* Queue the name change request of a lease (add, or remove): sent
	 * once the next commit is durable. 0 or -errno. */
	int (*ncr)(void *ctx, const struct ternd_lease *l, bool remove);
	/* The engine's table changed (the daemon re-arms its expiry). */
	void (*applied)(void *ctx);
	void *ctx;
};

/*
 * Register lease4-add, -get, -get-all, -get-page, -get-by-hw-address,
 * -get-by-client-id, -get-by-hostname, -update, -del, -wipe and
 * -resend-ddns; lc must outlive c. Returns 0 or what ternd_control_add
 * returned.
 */
int ternd_lease_cmds_register(struct ternd_control *c,
			      struct ternd_lease_cmds *lc);

#endif
