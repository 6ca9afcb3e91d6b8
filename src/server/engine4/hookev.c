/* ternd engine: the hook points kea-dhcp4 2.2 calls for a request, with the
 * leases as its callouts see them (for run_script and legal_log). */
#include <string.h>

#include <tern/dhcp4.h>

#include "server/engine4/internal.h"

/*
 * Where Kea calls them (Kea-2.2.0:src/bin/dhcp4/dhcp4_srv.cc,
 * src/lib/dhcpsrv/alloc_engine.cc):
 *
 * - lease4_renew: the allocation engine gives a client the address of the
 *   lease it already has (findClientLease: by client-id, then hardware
 *   address, in its network), on a REQUEST and also on a DISCOVER
 *   (renewLease4 runs the callout for fake allocations too). Kea still has
 *   a lease while it is bound, and for hold-reclaimed-time (3600 s) after
 *   it expired; a released lease is deleted.
 * - leases4_committed: after every REQUEST that got an answer (ACK: the
 *   new lease, and the client's previous lease when it moved; NAK: none),
 *   every RELEASE and DECLINE the server processed (with the released
 *   lease as deleted, or the declined one as leased). Not for DISCOVER or
 *   INFORM: the exchange resets the context there.
 * - lease4_release, lease4_decline: before the lease changes, with the
 *   lease as it was.
 */

void ternd_engine_hook_events(struct ternd_engine *e, bool on)
{
	if (!e)
		return;
	e->hook_events = on;
	e->n_ev = 0;
}

size_t ternd_engine_events(const struct ternd_engine *e,
			   const struct ternd_hook_event **ret)
{
	if (!e || !ret)
		return 0;
	*ret = e->ev;
	return e->n_ev;
}

static bool match_cid(const struct ternd_engine *e, uint32_t subnet_id)
{
	int32_t si = sub_by_id(e, subnet_id);

	return si >= 0 && e->subs[si].s->params.match_client_id;
}

/* The lease as Kea keeps it. */
static void kea_lease(const struct ternd_engine *e, const struct ternd_lease *l,
		      uint8_t kea_state, struct ternd_hook_lease *out)
{
	out->l = *l;
	out->kea_state = kea_state;
	if (kea_state == TERND_KEA_DECLINED) {
		/* Lease4::decline: the lease no longer names a client. */
		out->l.htype = 1;
		out->l.hw_len = 0;
		memset(out->l.hw, 0, sizeof(out->l.hw));
		out->l.cid_len = 0;
		out->l.hostname[0] = '\0';
	} else if (!match_cid(e, l->subnet_id)) {
		out->l.cid_len = 0;
	}
}

static struct ternd_hook_event *add(struct ternd_engine *e, uint8_t point)
{
	struct ternd_hook_event *ev;

	if (e->n_ev == TERND_ENGINE_MAX_EVENTS)
		return NULL; /* two per request at most, by construction */
	ev = &e->ev[e->n_ev++];
	memset(ev, 0, sizeof(*ev));
	ev->point = point;
	return ev;
}

void e4_ev_begin(struct ternd_engine *e, const struct req *q,
		 struct ev_before *b)
{
	struct ternd_rec *r;
	uint32_t addr;

	memset(b, 0, sizeof(*b));
	b->begun = true;
	b->not_ours = e->st.drops[TERND_DROP_NOT_OURS];
	if (q->type == TERN_DHCP4_DISCOVER || q->type == TERN_DHCP4_REQUEST) {
		if ((r = own_rec(e, q))) {
			b->own = true;
			b->own_addr = r->l.addr;
			b->own_stored = r->stored;
			b->own_expire = r->l.expire;
		}
		return;
	}
	addr = q->type == TERN_DHCP4_RELEASE ? q->ciaddr : q->reqip;
	r = addr ? ternd_leases_by_addr(&e->lt, addr) : NULL;
	if (r && is_client(e, q, r) && r->l.state == TERND_LEASE_BOUND) {
		b->had = true;
		b->lease = r->l;
	}
}

/* Kea's findClientLease finds it and the client keeps its address. */
static bool renews(const struct ev_before *b, const struct req *q,
		   const struct ternd_rec *r)
{
	if (!b->own || b->own_addr != r->l.addr)
		return false;
	return b->own_stored == TERND_LEASE_BOUND ||
	       (b->own_stored == TERND_LEASE_EXPIRED &&
		q->now - b->own_expire < TERND_KEA_HOLD_RECLAIMED);
}

static void renew(struct ternd_engine *e, struct req *q,
		  const struct ternd_rec *r, uint8_t kea_state)
{
	struct ternd_hook_event *ev = add(e, TERND_HOOK_LEASE4_RENEW);
	struct ternd_rec now = *r;

	if (!ev)
		return;
	/* updateLease4Information: this exchange's time, lifetime, name. */
	now.l.cltt = q->now;
	now.l.valid_lifetime = e4_lease_time(e, q, &e->subs[r->sub].s->params);
	e4_name_set(e, q, &now, e4_res_for(e, q, r->sub));
	kea_lease(e, &now.l, kea_state, &ev->lease);
	ev->n_leases = 1;
	ev->pass_client_id = match_cid(e, r->l.subnet_id);
}

/* The client's previous lease a REQUEST replaced (Kea's old_lease_). */
static const struct ternd_lease *replaced(const struct req *q,
					  uint8_t *ret_state)
{
	for (size_t i = 0; i < q->chg.n; i++) {
		const struct ternd_change *c = &q->chg.v[i];

		if (c->op != TERND_CHANGE_DELETE)
			continue;
		if (c->lease.state == TERND_LEASE_BOUND ||
		    c->lease.state == TERND_LEASE_OFFERED) {
			*ret_state = TERND_KEA_DEFAULT;
			return &c->lease;
		}
		if (c->lease.state == TERND_LEASE_EXPIRED) {
			*ret_state = TERND_KEA_EXPIRED_RECLAIMED;
			return &c->lease;
		}
	}
	return NULL;
}

static void request_end(struct ternd_engine *e, struct req *q,
			const struct ev_before *b, int rc)
{
	struct ternd_hook_event *ev;
	const struct ternd_lease *old;
	struct ternd_rec *r;
	uint8_t st;

	if (rc != TERN_DHCP4_ACK && rc != TERN_DHCP4_NAK)
		return;
	r = rc == TERN_DHCP4_ACK ? own_rec(e, q) : NULL;
	if (r && renews(b, q, r))
		renew(e, q, r, TERND_KEA_DEFAULT);
	/* A reused lease is not committed: Kea leaves it out of leases4. */
	if (!(ev = add(e, TERND_HOOK_LEASES4_COMMITTED)) || !r || q->reused)
		return;
	kea_lease(e, &r->l, TERND_KEA_DEFAULT, &ev->lease);
	ev->n_leases = 1;
	if ((old = replaced(q, &st)) && old->addr != r->l.addr) {
		kea_lease(e, old, st, &ev->deleted);
		ev->n_deleted = 1;
	}
}

void e4_ev_end(struct ternd_engine *e, struct req *q, const struct ev_before *b,
	       int rc)
{
	struct ternd_hook_event *ev;
	struct ternd_rec *r;
	bool processed = e->st.drops[TERND_DROP_NOT_OURS] == b->not_ours;

	if (!b->begun)
		return;
	switch (q->type) {
	case TERN_DHCP4_DISCOVER:
		r = rc == TERN_DHCP4_OFFER ? own_rec(e, q) : NULL;
		if (r && renews(b, q, r))
			renew(e, q, r,
			      b->own_stored == TERND_LEASE_BOUND
				      ? TERND_KEA_DEFAULT
				      : TERND_KEA_EXPIRED_RECLAIMED);
		break;
	case TERN_DHCP4_REQUEST:
		request_end(e, q, b, rc);
		break;
	case TERN_DHCP4_RELEASE:
		if (b->had && q->chg.n) {
			if ((ev = add(e, TERND_HOOK_LEASE4_RELEASE))) {
				kea_lease(e, &b->lease, TERND_KEA_DEFAULT,
					  &ev->lease);
				ev->n_leases = 1;
			}
			if ((ev = add(e, TERND_HOOK_LEASES4_COMMITTED))) {
				kea_lease(e, &b->lease, TERND_KEA_DEFAULT,
					  &ev->deleted);
				ev->n_deleted = 1;
			}
		} else if (processed) {
			add(e, TERND_HOOK_LEASES4_COMMITTED);
		}
		break;
	case TERN_DHCP4_DECLINE:
		if (b->had && q->chg.n) {
			struct ternd_lease d = b->lease;

			if ((ev = add(e, TERND_HOOK_LEASE4_DECLINE))) {
				kea_lease(e, &b->lease, TERND_KEA_DEFAULT,
					  &ev->lease);
				ev->n_leases = 1;
			}
			d.cltt = q->now;
			d.valid_lifetime = e->cfg->decline_probation_period;
			d.state = TERND_LEASE_DECLINED;
			if ((ev = add(e, TERND_HOOK_LEASES4_COMMITTED))) {
				kea_lease(e, &d, TERND_KEA_DECLINED,
					  &ev->lease);
				ev->n_leases = 1;
			}
		} else if (processed) {
			add(e, TERND_HOOK_LEASES4_COMMITTED);
		}
		break;
	default:
		break;
	}
}
