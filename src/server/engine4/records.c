/* ternd engine: the client's records: its reservation, what it may be
 * leased, and the one place a record changes state. */
#include <string.h>

#include "server/engine4/internal.h"

/* ---- the client's identifiers and reservations ------------------------ */

void ternd_engine_set_flex_id(struct ternd_engine *e, ternd_flex_id_fn fn,
			      void *ctx)
{
	if (!e)
		return;
	e->flex_fn = fn;
	e->flex_ctx = ctx;
}

/* What the client presents of each identifier host-reservation-identifiers
 * names (Kea's setHostIdentifiers); worked out the first time a lookup
 * needs it, so a configuration without reservations never does. */
static void need_ids(struct ternd_engine *e, struct req *q)
{
	const struct ternd_config *cfg = e->cfg;

	if (q->ids_done)
		return;
	q->ids_done = true;
	q->n_ids = 0;
	for (size_t i = 0; i < cfg->n_host_ids; i++) {
		struct hostid id = {(uint8_t)cfg->host_ids[i], 0, NULL};
		int n;

		switch (cfg->host_ids[i]) {
		case TERND_ID_HW_ADDRESS:
			id.v = q->chaddr;
			id.len = q->hlen;
			break;
		case TERND_ID_CLIENT_ID:
			id.v = q->cid;
			id.len = q->cid ? q->cid_len : 0;
			break;
		case TERND_ID_DUID:
			/* RFC 4361: type 255, a 4-byte IAID, then the DUID. */
			if (q->cid && q->cid_len > 5 && q->cid[0] == 255) {
				id.v = q->cid + 5;
				id.len = (uint8_t)(q->cid_len - 5);
			}
			break;
		case TERND_ID_CIRCUIT_ID:
			id.v = q->rai.circuit_id;
			id.len = q->rai.circuit_id_len;
			break;
		case TERND_ID_FLEX_ID: {
			const uint8_t *v = NULL;

			/* The flex_id library's expression (flex_id.c), else
			 * the embedder's function. */
			n = e4_flex_id(e, q, &v);
			if (n > 0 && v && (size_t)n <= TERND_MAX_HOST_ID) {
				id.v = v;
				id.len = (uint8_t)n;
				break;
			}
			if (!e->flex_fn)
				break;
			n = e->flex_fn(e->flex_ctx, q->m, e->flex_ext_buf,
				       sizeof(e->flex_ext_buf));
			if (n > 0 && (size_t)n <= sizeof(e->flex_ext_buf)) {
				id.v = e->flex_ext_buf;
				id.len = (uint8_t)n;
			}
			break;
		}
		}
		if (id.len && id.v)
			q->ids[q->n_ids++] = id;
	}
}

/*
 * The client's reservation in a set: the first of its identifiers that has
 * one. Kea looks a shared network up in one query per identifier when the
 * network has more subnets than the client has identifiers, and then the
 * last identifier that matches wins (findReservation); last says so.
 */
static const struct ternd_reservation *find_in(const struct ternd_hosts *h,
					       const struct req *q, bool last)
{
	const struct ternd_reservation *found = NULL;

	for (uint8_t i = 0; i < q->n_ids && h->n; i++) {
		const struct ternd_reservation *r =
			ternd_hosts_find(h, (enum ternd_host_id)q->ids[i].type,
					 q->ids[i].v, q->ids[i].len);

		if (r && !last)
			return r;
		if (r)
			found = r;
	}
	return found;
}

static const struct ternd_reservation *global_host(struct ternd_engine *e,
						   struct req *q)
{
	if (!q->ghost_done) {
		q->ghost_done = true;
		/* Kea looks for it only when the selected subnet takes
		 * global reservations. */
		if (e->subs[q->sel].s->params.res_global &&
		    e->cfg->global_hosts.n) {
			need_ids(e, q);
			q->ghost = find_in(&e->cfg->global_hosts, q, false);
		}
	}
	return q->ghost;
}

static const struct ternd_reservation *subnet_host(struct ternd_engine *e,
						   struct req *q, uint32_t si)
{
	const struct esub *es = &e->subs[si];
	struct ternd_hosts h;

	if (!es->s->params.res_in_subnet || !es->s->n_reservations)
		return NULL;
	need_ids(e, q);
	h = ternd_subnet_hosts(es->s);
	return find_in(&h, q, es->n_peers > 1 && es->n_peers > q->n_ids);
}

const struct ternd_reservation *e4_res_for(struct ternd_engine *e,
					   struct req *q, uint32_t si)
{
	const struct ternd_reservation *r = subnet_host(e, q, si);

	if (r)
		return r;
	if (e->subs[si].s->params.res_global)
		return global_host(e, q);
	return NULL;
}

/* The candidate subnet an address lies in, -1 if none. */
static int32_t cand_of(const struct ternd_engine *e, const struct req *q,
		       uint32_t addr)
{
	int32_t si = sub_for_addr(e, addr);

	return in_cands(e, q, si) ? si : -1;
}

const struct ternd_reservation *e4_addr_res(struct ternd_engine *e,
					    struct req *q, uint32_t *ret_si)
{
	bool global_done = false;

	for (uint32_t i = 0; i < n_cands(e, q); i++) {
		uint32_t si = cand(e, q, i);
		const struct ternd_subnet *s = e->subs[si].s;
		const struct ternd_reservation *r;
		int32_t at;

		if (!e4_sub_allows(e, q, si)) /* client-class */
			continue;

		if (!global_done && s->params.res_global) {
			global_done = true;
			r = global_host(e, q);
			/* A global address reservation means "reserved": the
			 * address then is that of the reservation in force
			 * here (Kea's currentHost), the subnet's own if it
			 * has one. Kea leases a global reservation's address
			 * in the subnet at hand; ternd needs it inside one of
			 * the client's subnets. */
			if (r && r->addr)
				r = e4_res_for(e, q, si);
			if (r && r->addr &&
			    (at = cand_of(e, q, r->addr)) >= 0) {
				*ret_si = (uint32_t)at;
				return r;
			}
		}
		r = subnet_host(e, q, si);
		if (r && r->addr &&
		    (!s->params.res_out_of_pool ||
		     !pool_of(&e->subs[si], r->addr))) {
			*ret_si = si;
			return r;
		}
	}
	return NULL;
}

static bool same_id(const struct ternd_reservation *r, const struct hostid *id)
{
	return r->id_type == id->type && r->id_len == id->len &&
	       memcmp(r->id, id->v, id->len) == 0;
}

bool e4_reserved_other(struct ternd_engine *e, struct req *q, uint32_t si,
		       uint32_t addr)
{
	const struct esub *es = &e->subs[si];
	const struct ternd_reservation *const *at;
	struct ternd_hosts h;
	size_t n;

	/* With reservations-out-of-pool, reservations are taken to be
	 * outside the pools: pool addresses are not checked. */
	if (!es->s->params.res_in_subnet || !es->s->n_res_by_addr ||
	    (es->s->params.res_out_of_pool && pool_of(es, addr)))
		return false;
	h = ternd_subnet_hosts(es->s);
	n = ternd_hosts_at(&h, addr, &at);
	if (n)
		need_ids(e, q);
	for (size_t k = 0; k < n; k++)
		for (uint8_t i = 0; i < q->n_ids; i++)
			if (same_id(at[k], &q->ids[i]))
				return false;
	return n > 0;
}

bool e4_allocatable(struct ternd_engine *e, struct req *q, uint32_t si,
		    uint32_t addr)
{
	const struct esub *es = &e->subs[si];
	const struct ternd_reservation *res;

	if (edge_addr(es, addr))
		return false;
	res = e4_res_for(e, q, si);
	if (res && res->addr == addr)
		return true;
	if (!pool_of(es, addr) || gated(e, addr))
		return false;
	return !e4_reserved_other(e, q, si, addr);
}

/* Nobody else holds addr now (no live record of another client). */
bool e4_free_for(const struct ternd_engine *e, const struct req *q,
		 uint32_t addr)
{
	const struct ternd_rec *at = ternd_leases_by_addr(&e->lt, addr);

	return !at || !live(at->l.state) || is_client(e, q, at);
}

/*
 * A free pool address in the client's subnets (Kea's
 * allocateUnreservedLease4): from the shared network's preferred member,
 * i.e. the last one in id order whose last allocation is more recent than
 * that of cur (the subnet at hand), then on in id order, wrapping around.
 * Each subnet tried counts as used now.
 */
bool e4_pool_addr(struct ternd_engine *e, const struct req *q, uint32_t cur,
		  uint32_t *ret_si, uint32_t *ret_addr)
{
	const struct esub *c = &e->subs[cur];
	uint32_t start = cur;
	for (uint32_t i = 0; i < c->n_peers; i++)
		if (e->subs[c->peers[i]].last_alloc > c->last_alloc)
			start = c->peers[i];
	for (uint32_t i = 0; i < c->n_peers; i++) {
		uint32_t si = cand_from(e, start, i);
		struct esub *es = &e->subs[si];

		if (!es->n_pools || !e4_sub_allows(e, q, si))
			continue;
		es->last_alloc = ++e->alloc_seq;
		for (size_t k = 0; k < es->n_pools; k++) {
			if (!e4_class_allows(q, &es->s->pools[k].cls))
				continue;
			if (ternd_poolmap_find(&es->pools[k], ret_addr) == 0) {
				*ret_si = si;
				return true;
			}
		}
	}
	return false;
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
		r->l.rai_len = 0;
	} else {
		r = ternd_leases_take(&e->lt);
		r->l.addr = addr;
		r->sub = si;
		ternd_leases_addr_add(&e->lt, r);
	}
	set_identity(e, q, r, si);
	return r;
}
