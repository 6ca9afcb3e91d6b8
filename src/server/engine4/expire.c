/* ternd engine: time and restarts: reclaim what ran out, put stored leases
 * back. */
#include <errno.h>
#include <stdint.h>

#include "server/engine4/internal.h"

int ternd_engine_expire(struct ternd_engine *e, int64_t now,
			struct ternd_change *changes, size_t max,
			int64_t *ret_next)
{
	struct chg c = {changes, max, 0};
	struct ternd_rec *r;
	int64_t when;

	if (!e || (!changes && max))
		return -EINVAL;
	while ((r = ternd_leases_next(&e->lt, &when)) && when <= now) {
		/* Offers need no store change, so they never wait for room. */
		if (r->l.state == TERND_LEASE_OFFERED) {
			e4_lapse_offer(e, r);
			continue;
		}
		if (c.n + e4_ddns_room(e) >= c.max)
			break;
		switch (r->l.state) {
		case TERND_LEASE_BOUND:
			/* The client may come back for it: keep who had it. */
			e4_ddns_end(e, &c, r);
			e4_set_state(e, r, TERND_LEASE_EXPIRED, r->l.expire);
			r->stored = TERND_LEASE_EXPIRED;
			emit(&c, TERND_CHANGE_UPSERT, r);
			e->st.expired++;
			e->sst[r->sub].reclaimed++;
			break;
		case TERND_LEASE_DECLINED:
			/* Kea counts it in both. */
			e->sst[r->sub].reclaimed++;
			e->sst[r->sub].reclaimed_declined++;
			emit(&c, TERND_CHANGE_DELETE, r);
			e4_drop_rec(e, r);
			break;
		default:
			/* Restored already expired: tell the store now. */
			if (r->stored == TERND_LEASE_BOUND)
				e4_ddns_end(e, &c, r);
			r->emit = false;
			ternd_leases_unqueue(&e->lt, r);
			r->stored = r->l.state;
			emit(&c, TERND_CHANGE_UPSERT, r);
			break;
		}
	}
	if (ret_next)
		*ret_next = ternd_leases_next(&e->lt, &when) ? when : INT64_MAX;
	return (int)c.n;
}

int ternd_engine_restore(struct ternd_engine *e, const struct ternd_lease *l,
			 int64_t now)
{
	struct ternd_rec *r, *other;
	const struct esub *es;
	int32_t si;
	int rc;

	if (!e || !l)
		return -EINVAL;
	if (l->hw_len > TERND_LEASE_HW_MAX || l->cid_len > TERND_LEASE_CID_MAX)
		return -EINVAL;
	if (l->state != TERND_LEASE_BOUND && l->state != TERND_LEASE_DECLINED &&
	    l->state != TERND_LEASE_EXPIRED && l->state != TERND_LEASE_RELEASED)
		return -EINVAL;
	si = sub_by_id(e, l->subnet_id);
	if (si < 0)
		return -ENOENT;
	es = &e->subs[si];
	if ((l->addr & es->s->mask) != es->s->network ||
	    edge_addr(es, l->addr) ||
	    (!pool_of(es, l->addr) && !ternd_subnet_find_addr(es->s, l->addr)))
		return -ENOENT;
	if ((rc = ternd_leases_reserve(&e->lt, 1)) < 0)
		return rc;
	/* The store is keyed by address; should two rows name one, the
	 * later wins. */
	if ((other = ternd_leases_by_addr(&e->lt, l->addr)))
		e4_drop_rec(e, other);

	r = ternd_leases_take(&e->lt);
	r->l = *l;
	r->l.state = TERND_LEASE_FREE;
	r->l.hostname[sizeof(r->l.hostname) - 1] = 0;
	r->sub = (uint32_t)si;
	r->stored = l->state;
	ternd_leases_addr_add(&e->lt, r);

	if (l->state != TERND_LEASE_DECLINED) {
		bool cid = l->cid_len && es->s->params.match_client_id;
		const uint8_t *id = cid ? l->cid : l->hw;
		size_t len = cid ? l->cid_len : l->hw_len;

		r->key = cid ? TERND_KEY_CID : TERND_KEY_HW;
		r->chash = ternd_leases_client_hash(
			ternd_leases_client_base(&e->lt, r->key, l->htype, id,
						 len),
			l->subnet_id);
		other = len ? ternd_leases_by_client(&e->lt, r->key,
						     l->subnet_id, l->htype, id,
						     len, r->chash)
			    : NULL;
		/* One record per client: a bound lease beats an old one. */
		if (other && l->state == TERND_LEASE_BOUND &&
		    other->l.state != TERND_LEASE_BOUND)
			ternd_leases_client_del(&e->lt, other);
		if (len)
			ternd_leases_client_add(&e->lt, r);
		else
			r->key = TERND_KEY_NONE;
	}
	if (l->state == TERND_LEASE_BOUND && l->expire <= now) {
		e4_set_state(e, r, TERND_LEASE_EXPIRED, l->expire);
		r->emit = true;
		ternd_leases_queue(&e->lt, r, l->expire);
	} else {
		e4_set_state(e, r, l->state, l->expire);
	}
	return 0;
}
