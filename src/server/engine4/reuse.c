/* ternd engine: lease reuse (Kea 2.2's lease caching, cache-threshold and
 * cache-max-age): a client that comes back while its lease is young gets
 * it unchanged, with the lifetime it has left, and nothing is written. */
#include <string.h>

#include "server/engine4/internal.h"

/*
 * Kea's AllocEngine::setLeaseReusable (Kea-2.2.0 alloc_engine.cc): cur is
 * the lease as it is (its cltt and lifetime), valid the lifetime this
 * exchange would grant. Returns the lifetime left to send, 0 when the
 * lease is not reused. Only a bound lease is; an infinite lifetime always
 * is. cache-max-age, when set, bounds the age (0 turns reuse off);
 * cache-threshold, when set, bounds it to that share of valid (outside
 * (0, 1]: no reuse) and replaces the max-age bound. Neither set: no reuse.
 */
uint32_t e4_reuse_left(const struct ternd_params *p,
		       const struct ternd_lease *cur, uint32_t valid,
		       int64_t now)
{
	uint32_t age, max_age = 0;

	if (cur->state != TERND_LEASE_BOUND)
		return 0;
	if (valid == UINT32_MAX)
		return UINT32_MAX;
	if (now < cur->cltt)
		return 0;
	if (now - cur->cltt >= (int64_t)cur->valid_lifetime)
		return 0;
	age = (uint32_t)(now - cur->cltt);
	if (p->has_cache_max_age) {
		max_age = p->cache_max_age;
		if (max_age == 0 || age > max_age)
			return 0;
	}
	if (p->has_cache_threshold) {
		double t = p->cache_threshold;

		if (t <= 0.0 || t > 1.0)
			return 0;
		/* Kea truncates valid * threshold to whole seconds. */
		max_age = (uint32_t)((double)valid * t);
		if (age > max_age)
			return 0;
	}
	if (max_age == 0)
		return 0;
	return cur->valid_lifetime - age;
}

/*
 * Kea's updateLease4Information: whether this exchange changes the lease
 * (then it is written, not reused). was is the lease as it was, now as the
 * exchange made it (subnet, lifetime, name); the client's identifiers are
 * compared with the request's, as Kea compares its context's.
 */
bool e4_lease_changed(const struct ternd_engine *e, const struct req *q,
		      const struct ternd_lease *was,
		      const struct ternd_lease *now)
{
	const struct ternd_params *pp;
	int32_t si = sub_by_id(e, now->subnet_id);

	if (was->subnet_id != now->subnet_id || si < 0)
		return true;
	pp = &e->subs[si].s->params;
	if (was->htype != q->htype || was->hw_len != q->hlen ||
	    memcmp(was->hw, q->chaddr, q->hlen) != 0)
		return true;
	/* Kea keeps the client id only with match-client-id. */
	if (pp->match_client_id &&
	    (q->cid ? was->cid_len != q->cid_len ||
			      memcmp(was->cid, q->cid, q->cid_len) != 0
		    : was->cid_len != 0))
		return true;
	/* A shorter lifetime is a change, a longer one is not. */
	if (now->valid_lifetime < was->valid_lifetime)
		return true;
	if (was->fqdn_fwd != now->fqdn_fwd || was->fqdn_rev != now->fqdn_rev ||
	    strcmp(was->hostname, now->hostname) != 0)
		return true;
	/* updateLease4ExtendedInfo: other relay agent information. */
	if (was->rai_len != now->rai_len ||
	    memcmp(was->rai, now->rai, now->rai_len) != 0)
		return true;
	return false;
}
