/* ternd engine: the client's records: its reservation, what it may be
 * leased, and the one place a record changes state. */
#include <string.h>

#include "server/engine4/internal.h"

/* The client's reservation in a subnet, per host-reservation-identifiers. */
const struct ternd_reservation *e4_res_for(const struct ternd_engine *e,
					   const struct req *q, uint32_t si)
{
	const struct ternd_subnet *s = e->subs[si].s;

	if (!s->n_reservations)
		return NULL;
	for (size_t i = 0; i < e->cfg->n_host_ids; i++) {
		const struct ternd_reservation *r = NULL;

		if (e->cfg->host_ids[i] == TERND_ID_HW_ADDRESS && q->hlen)
			r = ternd_subnet_find_host(s, TERND_ID_HW_ADDRESS,
						   q->chaddr, q->hlen);
		else if (e->cfg->host_ids[i] == TERND_ID_CLIENT_ID && q->cid)
			r = ternd_subnet_find_host(s, TERND_ID_CLIENT_ID,
						   q->cid, q->cid_len);
		if (r)
			return r;
	}
	return NULL;
}

/*
 * Whether addr (inside subnet si) may be leased to this client at all,
 * ignoring who holds it now: a reserved address only to its host, other
 * addresses only from a pool.
 */
bool e4_allocatable(const struct ternd_engine *e, uint32_t si, uint32_t addr,
		    const struct ternd_reservation *res)
{
	const struct esub *es = &e->subs[si];
	const struct ternd_reservation *at;

	if (edge_addr(es, addr))
		return false;
	at = ternd_subnet_find_addr(es->s, addr);
	if (!at && gated(e, addr))
		return false;
	if (at)
		return at == res;
	return pool_of(es, addr) != NULL;
}

/* ---- state changes ------------------------------------------------------- */

/*
 * The one place a record changes state, so counters, the pool bitmap and
 * the expiry heap always agree with it.
 */
void e4_set_state(struct ternd_engine *e, struct ternd_rec *r, uint8_t state,
		  int64_t expire)
{
	uint8_t old = r->l.state;

	if (old == TERND_LEASE_BOUND)
		e->st.leases_bound--;
	else if (old == TERND_LEASE_OFFERED)
		e->st.offers_open--;
	if (state == TERND_LEASE_BOUND)
		e->st.leases_bound++;
	else if (state == TERND_LEASE_OFFERED)
		e->st.offers_open++;
	if (live(state) != live(old)) {
		struct esub *es = &e->subs[r->sub];
		struct ternd_poolmap *pm = pool_of(es, r->l.addr);

		if (pm && live(state))
			ternd_poolmap_set(pm, r->l.addr);
		else if (pm && !fixed(es, r->l.addr) && !gated(e, r->l.addr))
			ternd_poolmap_clear(pm, r->l.addr);
	}
	r->l.state = state;
	r->l.expire = expire;
	if (live(state))
		ternd_leases_queue(&e->lt, r, expire);
	else if (!r->emit)
		ternd_leases_unqueue(&e->lt, r);
}

/* Forget a record entirely (the address becomes free). */
void e4_drop_rec(struct ternd_engine *e, struct ternd_rec *r)
{
	r->emit = false;
	e4_set_state(e, r, TERND_LEASE_FREE, 0);
	ternd_leases_unqueue(&e->lt, r);
	ternd_leases_client_del(&e->lt, r);
	ternd_leases_addr_del(&e->lt, r);
	ternd_leases_put(&e->lt, r);
}

/* An offer ran out or was turned down: back to what the store knows. */
void e4_lapse_offer(struct ternd_engine *e, struct ternd_rec *r)
{
	if (affinity(r->prev)) {
		uint8_t prev = r->prev;

		r->prev = TERND_LEASE_FREE;
		e4_set_state(e, r, prev, r->l.expire);
		return;
	}
	e4_drop_rec(e, r);
}

/* File r under this request's client key for subnet si. */
static void set_identity(struct ternd_engine *e, const struct req *q,
			 struct ternd_rec *r, uint32_t si)
{
	uint8_t kind = key_kind(e, q, si);
	const struct ternd_subnet *s = e->subs[si].s;

	ternd_leases_client_del(&e->lt, r);
	r->sub = si;
	r->l.subnet_id = s->id;
	r->l.htype = q->htype;
	r->l.hw_len = q->hlen;
	memset(r->l.hw, 0, sizeof(r->l.hw));
	memcpy(r->l.hw, q->chaddr, q->hlen);
	r->l.cid_len = q->cid ? q->cid_len : 0;
	memset(r->l.cid, 0, sizeof(r->l.cid));
	if (q->cid)
		memcpy(r->l.cid, q->cid, q->cid_len);
	r->key = kind;
	r->chash = ternd_leases_client_hash(
		kind == TERND_KEY_CID ? q->base_cid : q->base_hw, s->id);
	ternd_leases_client_add(&e->lt, r);
}

/* Records of the client that giving it addr would replace, and how many
 * of them the store has a row for (each needs a DELETE). */
size_t e4_stale_rows(struct ternd_engine *e, const struct req *q, uint32_t addr)
{
	size_t n = 0;

	for (uint32_t i = 0; i < n_cands(e, q); i++) {
		struct ternd_rec *o = client_rec(e, q, cand(e, q, i));

		if (o && o->l.addr != addr && o->stored != TERND_LEASE_FREE)
			n++;
	}
	return n;
}

/*
 * Give addr (in subnet si, free or the client's) to the client: its
 * other records in the candidate subnets go (with a DELETE for the store
 * when c is given and the store has them), another client's affinity
 * record at addr is taken over (the new row replaces it in the store).
 * The caller reserved room in the table and in c.
 */
struct ternd_rec *e4_claim(struct ternd_engine *e, const struct req *q,
			   uint32_t si, uint32_t addr, struct chg *c)
{
	struct ternd_rec *r;

	for (uint32_t i = 0; i < n_cands(e, q); i++) {
		struct ternd_rec *o = client_rec(e, q, cand(e, q, i));

		if (!o || o->l.addr == addr)
			continue;
		if (c && o->stored != TERND_LEASE_FREE)
			emit(c, TERND_CHANGE_DELETE, o);
		e4_drop_rec(e, o);
	}
	r = ternd_leases_by_addr(&e->lt, addr);
	if (r && is_client(e, q, r))
		return r;
	if (r) {
		/* Another client's affinity: its memory goes with it. */
		r->prev = TERND_LEASE_FREE;
		r->l.hostname[0] = 0;
		r->l.fqdn_fwd = r->l.fqdn_rev = false;
	} else {
		r = ternd_leases_take(&e->lt);
		r->l.addr = addr;
		r->sub = si;
		ternd_leases_addr_add(&e->lt, r);
	}
	set_identity(e, q, r, si);
	return r;
}
