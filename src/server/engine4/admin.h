/* ternd engine: the operator's changes to the lease table (the control
 * API's lease commands) and the leases as the store has them. */
#ifndef TERND_ENGINE4_ADMIN_H
#define TERND_ENGINE4_ADMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/engine4/engine.h"

/*
 * A lease as the store has it (Kea's view of the lease database): bound,
 * declined, expired or released. An offer the store does not know is not
 * one; an offer made over a stored affinity record is that record (an
 * expired lease). The copy's state is the stored one.
 */
bool ternd_engine_stored(const struct ternd_engine *e, uint32_t addr,
			 struct ternd_lease *ret);

/* cb for every stored lease (a copy, as ternd_engine_stored gives it), in
 * no particular order; non-zero from cb stops and is returned. */
int ternd_engine_foreach_stored(const struct ternd_engine *e,
				int (*cb)(void *ctx,
					  const struct ternd_lease *l),
				void *ctx);

/*
 * Whether the engine can keep a lease at l->addr in subnet l->subnet_id:
 * 0; -ENOENT no such subnet; -EDOM the address is outside its prefix;
 * -EADDRNOTAVAIL its network or broadcast address; -ERANGE neither in a
 * pool nor reserved (the lease table holds only those addresses).
 */
int ternd_engine_lease_check(const struct ternd_engine *e,
			     const struct ternd_lease *l);

/* Room for n more leases, so the ternd_engine_lease_set() calls that
 * follow cannot fail: 0 or -ENOMEM. */
int ternd_engine_lease_reserve(struct ternd_engine *e, uint32_t n);

/*
 * Put l (state BOUND, DECLINED, EXPIRED or RELEASED; checked) at its
 * address, replacing whatever record is there, an open offer included:
 * the address is taken from the pool, the client finds it on its next
 * request, it expires at l->expire. The caller makes the change durable
 * first. Returns 0, -EINVAL, -ENOENT (see ternd_engine_lease_check),
 * -ENOMEM.
 */
int ternd_engine_lease_set(struct ternd_engine *e, const struct ternd_lease *l,
			   int64_t now);

/* Forget the record at addr (the address becomes allocatable): 0, or
 * -ENOENT when there is none. */
int ternd_engine_lease_drop(struct ternd_engine *e, uint32_t addr);

#endif
