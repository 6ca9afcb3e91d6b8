/* ternd control: Kea's lease_cmds hook library for DHCPv6 (lease6-*),
 * built in. */
#ifndef TERND_CMDS_LEASE6_H
#define TERND_CMDS_LEASE6_H

#include <stddef.h>

#include "server/config/config.h"
#include "server/engine6/lease6.h"

struct ternd_control;
struct ternd_engine6;

/*
 * What the lease6 commands need. A command that changes leases checks its
 * arguments and the engine's room, hands its store changes to commit
 * (which returns once they are durable, or fails: nothing then changes and
 * the answer says why), then applies them to the engine. The answer never
 * names a change that a crash could lose.
 */
struct ternd_lease6_cmds {
	struct ternd_engine6 *engine;
	const struct ternd_config *cfg; /* with cfg->v6 */
	/* Durable before it returns: 0 or -errno. */
	int (*commit)(void *ctx, const struct ternd_change6 *v, size_t n);
	void *ctx;
};

/*
 * Register lease6-add, -bulk-apply, -del, -get, -get-all, -get-by-duid,
 * -get-by-hostname, -get-page, -resend-ddns, -update and -wipe; lc must
 * outlive c. Returns 0 or what ternd_control_add returned.
 */
int ternd_lease6_cmds_register(struct ternd_control *c,
			       struct ternd_lease6_cmds *lc);

#endif
