/* ternd DHCPv6 engine: lease reclamation (Kea's expired-leases-processing):
 * ended bindings reclaimed, declined addresses freed, reclaimed ones
 * deleted after the hold time. */
#include <errno.h>
#include <stdint.h>

#include "server/engine6/internal6.h"

/* When l next needs the sweep: its end, or (reclaimed) the end of the
 * hold (expired-leases-processing's hold-reclaimed-time). */
static int64_t due(const struct ternd_engine6 *e, const struct ternd_lease6 *l)
{
	int64_t hold = e->c6->expiry.hold_reclaimed;

	if (l->state != TERND_LEASE6_EXPIRED)
		return l->expire;
	if (l->expire > INT64_MAX - hold)
		return INT64_MAX;
	return l->expire + hold;
}

static void count_reclaim(struct ternd_engine6 *e, const struct ternd_lease6 *l)
{
	const struct ternd_subnet6 *s =
		ternd_config6_subnet_by_id(e->c6, l->subnet_id);
	struct ternd_engine6_subnet_stats *ss =
		s ? &e->sst[s - e->c6->subnets] : NULL;

	if (l->state == TERND_LEASE6_DECLINED) {
		e->st.reclaimed_declined++;
		if (ss)
			ss->reclaimed_declined++;
	}
	/* Kea counts a reclaimed declined address in both. */
	e->st.reclaimed++;
	if (ss)
		ss->reclaimed++;
}

int ternd_engine6_expire(struct ternd_engine6 *e, int64_t now,
			 struct ternd_change6 *changes, size_t max,
			 int64_t *ret_next)
{
	/* Kea: with the flush timer off, reclamation removes the leases. */
	return ternd_engine6_reclaim(e, now, e && !e->c6->expiry.flush_wait,
				     changes, max, ret_next);
}

int ternd_engine6_reclaim(struct ternd_engine6 *e, int64_t now, bool remove,
			  struct ternd_change6 *changes, size_t max,
			  int64_t *ret_next)
{
	int64_t next = INT64_MAX;
	size_t n = 0;

	if (!e || !ret_next || (!changes && max))
		return -EINVAL;
	for (size_t i = 0; i < e->cap; i++) {
		struct e6_slot *s = &e->slots[i];
		struct ternd_lease6 l;
		int64_t when;

		if (!s->used)
			continue;
		when = due(e, &s->l);
		if (when > now || !changes) {
			if (when < next)
				next = when;
			continue;
		}
		if (n == max) {
			next = now; /* more are due: call again */
			break;
		}
		l = s->l;
		changes[n].lease = l;
		if (l.state == TERND_LEASE6_BOUND && remove) {
			count_reclaim(e, &l);
			changes[n].op = TERND_CHANGE6_DEL;
			e6_del(e, l.type, &l.addr);
		} else if (l.state == TERND_LEASE6_BOUND) {
			/* Kept with who had it: the client gets it back. */
			count_reclaim(e, &l);
			l.state = TERND_LEASE6_EXPIRED;
			changes[n].op = TERND_CHANGE6_PUT;
			changes[n].lease = l;
			e6_put(e, &l); /* same slot: cannot fail */
			if (due(e, &l) < next)
				next = due(e, &l);
		} else {
			if (l.state == TERND_LEASE6_DECLINED)
				count_reclaim(e, &l);
			changes[n].op = TERND_CHANGE6_DEL;
			e6_del(e, l.type, &l.addr);
		}
		n++;
	}
	*ret_next = next;
	return (int)n;
}
