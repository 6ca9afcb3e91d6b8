/* ternd DHCPv6 engine: the operator's changes to the lease table (the
 * control API's lease6-* commands) and the table as the store has it. */
#ifndef TERND_ENGINE6_ADMIN6_H
#define TERND_ENGINE6_ADMIN6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/engine6/engine6.h"

/* cb for every binding in the table (the store's rows: bound, declined,
 * expired-reclaimed), in no particular order; non-zero from cb stops and
 * is returned. */
int ternd_engine6_foreach(const struct ternd_engine6 *e,
			  int (*cb)(void *ctx, const struct ternd_lease6 *l),
			  void *ctx);

/* The binding at addr whatever its type (Kea's memfile keeps one lease
 * per address), NULL if none. */
const struct ternd_lease6 *ternd_engine6_at(const struct ternd_engine6 *e,
					    const struct in6_addr *addr);

/*
 * Whether the engine can keep l: 0; -ENOENT no such subnet; -EDOM an
 * address (IA_NA) outside its subnet's prefix; -EINVAL a bad record (type,
 * state, lengths); -ENOSPC the table is full and l replaces nothing.
 */
int ternd_engine6_lease_check(const struct ternd_engine6 *e,
			      const struct ternd_lease6 *l);

/*
 * Put l at (type, addr), replacing the binding there: the client finds it
 * on its next request, it is reclaimed at l->expire. Counted as held (not
 * as a new binding: Kea's cumulative-assigned-* do not move). The caller
 * makes it durable first. 0 or what ternd_engine6_lease_check returned.
 */
int ternd_engine6_lease_set(struct ternd_engine6 *e,
			    const struct ternd_lease6 *l);

/* Forget the binding at (type, addr): 0, or -ENOENT when there is none. */
int ternd_engine6_lease_drop(struct ternd_engine6 *e, uint8_t type,
			     const struct in6_addr *addr);

#endif
