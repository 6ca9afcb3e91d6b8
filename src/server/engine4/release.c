/* ternd engine: DECLINE and RELEASE (RFC 2131 §4.3.3, §4.3.4): the client
 * gives an address back. */
#include <errno.h>

#include "server/engine4/internal.h"

int e4_do_decline(struct ternd_engine *e, struct req *q)
{
	struct ternd_rec *r;

	if (!q->has_sid || !sid_ours(e, q))
		return drop(e, TERND_DROP_NOT_OURS, 0);
	if (!q->reqip)
		return drop(e, TERND_DROP_MALFORMED, -EBADMSG);
	r = ternd_leases_by_addr(&e->lt, q->reqip);
	if (!r || !is_client(e, q, r) || r->l.state != TERND_LEASE_BOUND)
		return drop(e, TERND_DROP_NO_LEASE, 0);
	if (q->chg.max - q->chg.n < 1 + e4_ddns_room(e))
		return drop(e, TERND_DROP_TOO_MANY, -ENOBUFS);
	e4_ddns_end(e, &q->chg, r);
	/* Somebody else answers ARP for it: nobody gets it for a while,
	 * and the row keeps who reported it. */
	ternd_leases_client_del(&e->lt, r);
	r->prev = TERND_LEASE_FREE;
	r->l.cltt = q->now;
	e4_set_state(e, r, TERND_LEASE_DECLINED,
		     q->now + (int64_t)e->cfg->decline_probation_period);
	r->stored = TERND_LEASE_DECLINED;
	emit(&q->chg, TERND_CHANGE_UPSERT, r);
	e->st.declines++;
	return 0;
}

int e4_do_release(struct ternd_engine *e, struct req *q)
{
	struct ternd_rec *r;

	if (q->has_sid && !sid_ours(e, q))
		return drop(e, TERND_DROP_NOT_OURS, 0);
	r = q->ciaddr ? ternd_leases_by_addr(&e->lt, q->ciaddr) : NULL;
	if (!r || !is_client(e, q, r) || r->l.state != TERND_LEASE_BOUND)
		return drop(e, TERND_DROP_NO_LEASE, 0);
	if (q->chg.max - q->chg.n < 1 + e4_ddns_room(e))
		return drop(e, TERND_DROP_TOO_MANY, -ENOBUFS);
	e4_ddns_end(e, &q->chg, r);
	/* Kept as the client's affinity: it gets the address back if it
	 * returns before someone else takes it. */
	r->l.cltt = q->now;
	e4_set_state(e, r, TERND_LEASE_RELEASED, q->now);
	r->stored = TERND_LEASE_RELEASED;
	emit(&q->chg, TERND_CHANGE_UPSERT, r);
	e->st.releases++;
	return 0;
}
