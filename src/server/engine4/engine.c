/* ternd engine: RFC 2131 server decisions over the lease table, one request at
 * a time. */
#include "server/engine4/engine.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <tern/dhcp4.h>

#include "server/engine4/alloc.h"
#include "server/engine4/leases.h"
#include "server/engine4/reply.h"

/*
 * offer-lifetime 0 means "unset" here: an offer always holds its address
 * for a short while, so two clients discovering at once are not offered
 * the same address. 60 s covers a client's usual 4 s..64 s retransmit
 * back-off for the REQUEST that follows.
 */
#define DEFAULT_OFFER_LIFETIME 60

/* Pools larger than this in total are refused (bitmaps would exceed 32 MiB). */
#define MAX_POOL_ADDRS (UINT64_C(1) << 28)

#define OPTV_MAX 256

struct esub {
	const struct ternd_subnet *s;
	struct ternd_poolmap *pools; /* parallel to s->pools */
	size_t n_pools;
	/* Subnets of its shared network (itself included), or itself. */
	const uint32_t *peers;
	uint32_t n_peers;
	uint32_t peer_pos; /* own position in peers */
	uint32_t self;
	uint32_t bcast;
	struct ternd_optview opts; /* effective options, no reservation */
	const struct ternd_option **optv;
	size_t optv_cap; /* its own options + TERND_ENGINE_MAX_OVERRIDES */
	uint8_t idx[256];
};

struct addr_ent {
	uint32_t addr;
	uint32_t sub;
};

struct name_ent {
	const char *name;
	uint32_t sub;
};

struct ternd_engine {
	const struct ternd_config *cfg;
	struct esub *subs;
	uint32_t n_subs;
	uint32_t *members;	 /* shared-network member lists */
	struct addr_ent *ids;	 /* (subnet id, index) sorted by id */
	struct addr_ent *relays; /* sorted by relay address */
	size_t n_relays;
	struct name_ent *ifaces; /* sorted by name */
	size_t n_ifaces;
	struct ternd_leases lt;
	struct ternd_engine_stats st;
	uint32_t offer_lifetime;

	/* Mesh mode: in [gate_first, gate_last] only addresses whose gate
	 * bit is set are allocatable; grant is one more for one request. */
	uint64_t *gate;
	uint32_t gate_first, gate_last;
	uint32_t grant;
	uint32_t deny; /* the owner said no: treat as another's lease */
	/* Options set at run time (mesh -o / mesh-set-option): they win
	 * over the configuration's at every level but a reservation's. */
	const struct ternd_option *ovr;
	size_t n_ovr;
	/* Two of them the engine writes itself (ddhcpd's -o 51 and -o 54):
	 * the lease time of every lease, and the server identifier. 0 = not
	 * set. */
	uint32_t ovr_lease_time;
	uint32_t ovr_server_id; /* host order */

	/* Per-request scratch, so nothing is allocated per packet. */
	struct tern_dhcp4_msg msg;
	uint8_t cid_buf[TERND_LEASE_CID_MAX];
	uint8_t prl_buf[1024];
	uint8_t rai_buf[1024];
	const struct ternd_option *res_optv[OPTV_MAX];
	uint8_t res_idx[256];
	struct ternd_optview res_view;
};

/* The changes a request may append. */
struct chg {
	struct ternd_change *v;
	size_t max;
	size_t n;
};

/* One request, decoded. Addresses in host order. */
struct req {
	const struct ternd_rx *rx;
	const struct tern_dhcp4_msg *m;
	int64_t now;
	uint8_t type;
	uint8_t htype;
	uint8_t hlen;
	const uint8_t *chaddr;
	const uint8_t *cid; /* NULL = none */
	uint8_t cid_len;
	uint32_t ciaddr;
	uint32_t giaddr;
	uint32_t reqip; /* option 50, 0 = none */
	uint32_t sid;	/* option 54 */
	bool has_sid;
	bool has_lt;
	uint32_t want_lt;  /* option 51 */
	uint32_t sel_addr; /* option 118 */
	bool has_sel;
	struct tern_dhcp4_rai rai;
	struct ternd_reply_req rq;
	uint32_t server_id;
	uint64_t base_hw;
	uint64_t base_cid;
	uint32_t sel; /* selected subnet */
	char hostname[TERND_LEASE_HOSTNAME_MAX];
	struct chg chg;
};

/* ---- small helpers ------------------------------------------------------- */

static int drop(struct ternd_engine *e, enum ternd_drop why, int rc)
{
	e->st.drops[why]++;
	return rc;
}

static bool live(uint8_t state)
{
	return state == TERND_LEASE_OFFERED || state == TERND_LEASE_BOUND ||
	       state == TERND_LEASE_DECLINED;
}

static bool affinity(uint8_t state)
{
	return state == TERND_LEASE_EXPIRED || state == TERND_LEASE_RELEASED;
}

static struct ternd_poolmap *pool_of(const struct esub *es, uint32_t addr)
{
	size_t lo = 0, hi = es->n_pools;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct ternd_poolmap *pm = &es->pools[mid];

		if (addr < pm->first)
			hi = mid;
		else if (addr > pm->last)
			lo = mid + 1;
		else
			return pm;
	}
	return NULL;
}

/* Network and broadcast addresses are never leased (except in /31, /32). */
static bool edge_addr(const struct esub *es, uint32_t addr)
{
	return es->s->prefix_len <= 30 &&
	       (addr == es->s->network || addr == es->bcast);
}

/* Never allocatable dynamically: the pool bit stays set for these. */
static bool fixed(const struct esub *es, uint32_t addr)
{
	return edge_addr(es, addr) || ternd_subnet_find_addr(es->s, addr);
}

/* Closed by the mesh gate: not ours to hand out now. */
static bool gated(const struct ternd_engine *e, uint32_t addr)
{
	uint32_t i;

	if (!e->gate || addr < e->gate_first || addr > e->gate_last ||
	    (e->grant && addr == e->grant))
		return false;
	i = addr - e->gate_first;
	return !((e->gate[i >> 6] >> (i & 63)) & 1);
}

static int32_t sub_index(const struct ternd_engine *e,
			 const struct ternd_subnet *s)
{
	return s ? (int32_t)(s - e->cfg->subnets) : -1;
}

static int32_t sub_for_addr(const struct ternd_engine *e, uint32_t addr)
{
	return sub_index(e, ternd_config_subnet_for_addr(e->cfg, addr));
}

/* The subnet index filed under key in a sorted (key, index) table, or -1. */
static int32_t ent_find(const struct addr_ent *v, size_t n, uint32_t key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].addr == key)
			return (int32_t)v[mid].sub;
		if (v[mid].addr < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static int32_t sub_by_id(const struct ternd_engine *e, uint32_t id)
{
	return ent_find(e->ids, e->n_subs, id);
}

/* Candidate i of a request: the selected subnet, then its peers. */
static uint32_t n_cands(const struct ternd_engine *e, const struct req *q)
{
	return e->subs[q->sel].n_peers;
}

static uint32_t cand(const struct ternd_engine *e, const struct req *q,
		     uint32_t i)
{
	const struct esub *es = &e->subs[q->sel];

	if (i == 0)
		return q->sel;
	return es->peers[i - 1 < es->peer_pos ? i - 1 : i];
}

static bool in_cands(const struct ternd_engine *e, const struct req *q,
		     int32_t si)
{
	const struct ternd_shared_network *n = e->subs[q->sel].s->network_of;

	if (si < 0)
		return false;
	return (uint32_t)si == q->sel || (n && e->subs[si].s->network_of == n);
}

/* The client key a subnet uses: client-id when sent and matched on. */
static uint8_t key_kind(const struct ternd_engine *e, const struct req *q,
			uint32_t si)
{
	if (q->cid && e->subs[si].s->params.match_client_id)
		return TERND_KEY_CID;
	return TERND_KEY_HW;
}

static struct ternd_rec *client_rec(struct ternd_engine *e, const struct req *q,
				    uint32_t si)
{
	uint8_t kind = key_kind(e, q, si);
	uint32_t id = e->subs[si].s->id;

	if (kind == TERND_KEY_CID)
		return ternd_leases_by_client(
			&e->lt, kind, id, 0, q->cid, q->cid_len,
			ternd_leases_client_hash(q->base_cid, id));
	return ternd_leases_by_client(&e->lt, kind, id, q->htype, q->chaddr,
				      q->hlen,
				      ternd_leases_client_hash(q->base_hw, id));
}

/* The client's record in the candidate subnets (one per network). */
static struct ternd_rec *own_rec(struct ternd_engine *e, const struct req *q)
{
	for (uint32_t i = 0; i < n_cands(e, q); i++) {
		struct ternd_rec *r = client_rec(e, q, cand(e, q, i));

		if (r)
			return r;
	}
	return NULL;
}

/* Whether r is filed under this client's key. */
static bool is_client(const struct ternd_engine *e, const struct req *q,
		      const struct ternd_rec *r)
{
	uint8_t kind;

	if (!r || r->key == TERND_KEY_NONE)
		return false;
	kind = key_kind(e, q, r->sub);
	if (r->key != kind)
		return false;
	if (kind == TERND_KEY_CID)
		return r->l.cid_len == q->cid_len &&
		       memcmp(r->l.cid, q->cid, q->cid_len) == 0;
	return r->l.htype == q->htype && r->l.hw_len == q->hlen &&
	       memcmp(r->l.hw, q->chaddr, q->hlen) == 0;
}

/* The client's reservation in a subnet, per host-reservation-identifiers. */
static const struct ternd_reservation *res_for(const struct ternd_engine *e,
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
static bool allocatable(const struct ternd_engine *e, uint32_t si,
			uint32_t addr, const struct ternd_reservation *res)
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
static void set_state(struct ternd_engine *e, struct ternd_rec *r,
		      uint8_t state, int64_t expire)
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
static void drop_rec(struct ternd_engine *e, struct ternd_rec *r)
{
	r->emit = false;
	set_state(e, r, TERND_LEASE_FREE, 0);
	ternd_leases_unqueue(&e->lt, r);
	ternd_leases_client_del(&e->lt, r);
	ternd_leases_addr_del(&e->lt, r);
	ternd_leases_put(&e->lt, r);
}

static void emit(struct chg *c, uint8_t op, const struct ternd_rec *r)
{
	struct ternd_change *ch = &c->v[c->n++];

	ch->op = op;
	ch->lease = r->l;
}

/* An offer ran out or was turned down: back to what the store knows. */
static void lapse_offer(struct ternd_engine *e, struct ternd_rec *r)
{
	if (affinity(r->prev)) {
		uint8_t prev = r->prev;

		r->prev = TERND_LEASE_FREE;
		set_state(e, r, prev, r->l.expire);
		return;
	}
	drop_rec(e, r);
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
static size_t stale_rows(struct ternd_engine *e, const struct req *q,
			 uint32_t addr)
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
static struct ternd_rec *claim(struct ternd_engine *e, const struct req *q,
			       uint32_t si, uint32_t addr, struct chg *c)
{
	struct ternd_rec *r;

	for (uint32_t i = 0; i < n_cands(e, q); i++) {
		struct ternd_rec *o = client_rec(e, q, cand(e, q, i));

		if (!o || o->l.addr == addr)
			continue;
		if (c && o->stored != TERND_LEASE_FREE)
			emit(c, TERND_CHANGE_DELETE, o);
		drop_rec(e, o);
	}
	r = ternd_leases_by_addr(&e->lt, addr);
	if (r && is_client(e, q, r))
		return r;
	if (r) {
		/* Another client's affinity: its memory goes with it. */
		r->prev = TERND_LEASE_FREE;
		r->l.hostname[0] = 0;
	} else {
		r = ternd_leases_take(&e->lt);
		r->l.addr = addr;
		r->sub = si;
		ternd_leases_addr_add(&e->lt, r);
	}
	set_identity(e, q, r, si);
	return r;
}

/* ---- lifetimes ----------------------------------------------------------- */

static uint32_t lease_time(const struct ternd_engine *e, const struct req *q,
			   const struct ternd_params *p)
{
	uint32_t v = p->valid_lifetime;

	/* ddhcpd's lease time option is the lease time, whatever asked. */
	if (e->ovr_lease_time)
		return e->ovr_lease_time;

	/* A client's wish counts only inside the configured bounds. */
	if (q->has_lt) {
		v = q->want_lt;
		if (v < p->min_valid_lifetime)
			v = p->min_valid_lifetime;
		if (v > p->max_valid_lifetime)
			v = p->max_valid_lifetime;
	}
	return v;
}

/*
 * T1/T2: configured timers when set and consistent with the lease actually
 * granted (T1 < T2 < valid), else the percentages as Kea computes them;
 * when neither works (tiny lifetimes) they are left out and the client
 * uses its defaults.
 */
static bool tee_times(const struct ternd_params *p, uint32_t valid,
		      uint32_t *t1, uint32_t *t2)
{
	uint32_t a = (uint32_t)((double)valid * p->t1_percent);
	uint32_t b = (uint32_t)((double)valid * p->t2_percent);
	uint32_t ca = p->has_renew_timer ? p->renew_timer : a;
	uint32_t cb = p->has_rebind_timer ? p->rebind_timer : b;

	if (ca < cb && cb < valid) {
		*t1 = ca;
		*t2 = cb;
		return true;
	}
	if (a < b && b < valid) {
		*t1 = a;
		*t2 = b;
		return true;
	}
	return false;
}

/* ---- replies ------------------------------------------------------------- */

static const struct ternd_optview *opts_for(struct ternd_engine *e, uint32_t si,
					    const struct ternd_reservation *res)
{
	const struct ternd_optview *sv = &e->subs[si].opts;
	const struct ternd_optlist *rl;
	size_t i = 0, j = 0, n = 0;

	if (!res || !res->options.n)
		return sv;
	/*
	 * A reservation with options of its own: merge its sorted list over
	 * the subnet's resolved one (both by code), the reservation winning
	 * and its never-send hiding the code. Linear, once per reply.
	 */
	rl = &res->options;
	while ((i < sv->n || j < rl->n) && n < OPTV_MAX) {
		const struct ternd_option *a = i < sv->n ? sv->v[i] : NULL;
		const struct ternd_option *b = j < rl->n ? &rl->v[j] : NULL;

		if (b && (!a || b->code <= a->code)) {
			if (a && a->code == b->code)
				i++;
			j++;
			if (!b->never_send)
				e->res_optv[n++] = b;
		} else {
			e->res_optv[n++] = a;
			i++;
		}
	}
	memset(e->res_idx, 0, sizeof(e->res_idx));
	for (size_t k = 0; k < n; k++)
		e->res_idx[e->res_optv[k]->code] = (uint8_t)(k + 1);
	e->res_view.v = e->res_optv;
	e->res_view.n = n;
	e->res_view.idx = e->res_idx;
	return &e->res_view;
}

static int finish_tx(struct ternd_engine *e, const struct req *q,
		     struct ternd_tx *tx, const struct ternd_reply *p)
{
	int n = ternd_reply_build(&q->rq, p, tx->buf, tx->cap);

	if (n < 0)
		/* Only a request with a huge relay-agent option and a tiny
		 * size limit gets here. */
		return drop(e, TERND_DROP_MALFORMED, n);
	tx->len = (size_t)n;
	tx->msg_type = p->type;
	tx->src_addr = q->rx->if_addr;
	tx->ifindex = q->rx->ifindex;
	tx->needs_commit = q->chg.n > 0;
	ternd_reply_dest(&q->m->hdr, p->type, p->yiaddr, tx);
	if (p->type == TERN_DHCP4_OFFER)
		e->st.tx_offer++;
	else if (p->type == TERN_DHCP4_ACK)
		e->st.tx_ack++;
	else
		e->st.tx_nak++;
	return p->type;
}

/* OFFER or ACK for a lease (ack: the REQUEST's ciaddr is echoed). */
static int reply_lease(struct ternd_engine *e, const struct req *q,
		       struct ternd_tx *tx, uint8_t type,
		       const struct ternd_rec *r, uint32_t valid)
{
	const struct esub *es = &e->subs[r->sub];
	const struct ternd_params *pp = &es->s->params;
	const struct ternd_reservation *res = res_for(e, q, r->sub);
	struct ternd_reply p = {0};

	p.type = type;
	p.lease = true;
	p.yiaddr = r->l.addr;
	p.ciaddr = type == TERN_DHCP4_ACK ? q->ciaddr : 0;
	p.server_id = q->server_id;
	p.mask = es->s->mask;
	p.valid = valid;
	p.tee = tee_times(pp, valid, &p.t1, &p.t2);
	p.siaddr = res && res->next_server ? res->next_server : pp->next_server;
	p.sname = res && res->server_hostname ? res->server_hostname
					      : pp->server_hostname;
	p.file = res && res->boot_file_name ? res->boot_file_name
					    : pp->boot_file_name;
	p.hostname = res ? res->hostname : NULL;
	p.opts = opts_for(e, r->sub, res);
	return finish_tx(e, q, tx, &p);
}

static int reply_nak(struct ternd_engine *e, const struct req *q,
		     struct ternd_tx *tx, const char *why)
{
	struct ternd_reply p = {0};

	p.type = TERN_DHCP4_NAK;
	p.server_id = q->server_id;
	p.message = why;
	return finish_tx(e, q, tx, &p);
}

/* ---- DISCOVER ------------------------------------------------------------ */

static void set_hostname(const struct req *q,
			 const struct ternd_reservation *res,
			 struct ternd_rec *r)
{
	const char *h = res && res->hostname ? res->hostname : q->hostname;
	size_t n = strnlen(h, sizeof(r->l.hostname) - 1);

	/* Longer configured names are cut to what a lease row keeps. */
	memcpy(r->l.hostname, h, n);
	r->l.hostname[n] = 0;
}

static int offer(struct ternd_engine *e, const struct req *q,
		 struct ternd_tx *tx, uint32_t si, uint32_t addr)
{
	const struct ternd_reservation *res = res_for(e, q, si);
	struct ternd_rec *r = claim(e, q, si, addr, NULL);
	uint32_t valid = lease_time(e, q, &e->subs[si].s->params);

	/* Remember the client's own expired/released row, so a lapsed
	 * offer leaves it as it was. */
	if (affinity(r->l.state))
		r->prev = r->l.state;
	r->l.valid_lifetime = valid;
	set_hostname(q, res, r);
	set_state(e, r, TERND_LEASE_OFFERED, q->now + e->offer_lifetime);
	return reply_lease(e, q, tx, TERN_DHCP4_OFFER, r, valid);
}

/* A free address from the pools of the candidate subnets. */
static bool pool_addr(struct ternd_engine *e, const struct req *q,
		      uint32_t *ret_si, uint32_t *ret_addr)
{
	for (uint32_t i = 0; i < n_cands(e, q); i++) {
		uint32_t si = cand(e, q, i);
		struct esub *es = &e->subs[si];

		for (size_t k = 0; k < es->n_pools; k++) {
			if (ternd_poolmap_find(&es->pools[k], ret_addr) == 0) {
				*ret_si = si;
				return true;
			}
		}
	}
	return false;
}

/*
 * RFC 2131 §4.3.1 lets a server give an offered address to another client
 * when the first has not come back for it. With every pool full, the
 * oldest open offer within a bounded window of each pool goes to the new
 * client, so a burst (or a flood) of DISCOVERs cannot lock a pool for the
 * whole offer lifetime; the window keeps each attempt O(1).
 */
#define STEAL_WINDOW 1024

static bool steal_offer(struct ternd_engine *e, const struct req *q,
			uint32_t *ret_si, uint32_t *ret_addr)
{
	struct ternd_rec *best = NULL;
	uint32_t best_si = 0, addr;

	for (uint32_t i = 0; i < n_cands(e, q); i++) {
		uint32_t si = cand(e, q, i);
		struct esub *es = &e->subs[si];

		for (size_t k = 0; k < es->n_pools; k++) {
			struct ternd_poolmap *pm = &es->pools[k];
			uint64_t span = (uint64_t)pm->last - pm->first + 1;
			uint64_t n = span < STEAL_WINDOW ? span : STEAL_WINDOW;
			uint64_t start = pm->cursor % span;

			for (uint64_t j = 0; j < n; j++) {
				struct ternd_rec *r = ternd_leases_by_addr(
					&e->lt,
					pm->first +
						(uint32_t)((start + j) % span));

				if (r && r->l.state == TERND_LEASE_OFFERED &&
				    !is_client(e, q, r) &&
				    (!best || r->l.expire < best->l.expire)) {
					best = r;
					best_si = si;
				}
			}
			/* The next attempt looks at the next window. */
			pm->cursor = (uint32_t)((start + n) % span);
		}
	}
	if (!best)
		return false;
	addr = best->l.addr;
	lapse_offer(e, best);
	e->st.offers_reused++;
	*ret_si = best_si;
	*ret_addr = addr;
	return true;
}

static bool free_for(const struct ternd_engine *e, const struct req *q,
		     const struct ternd_rec *at)
{
	return !at || !live(at->l.state) || is_client(e, q, at);
}

static int do_discover(struct ternd_engine *e, struct req *q,
		       struct ternd_tx *tx)
{
	struct ternd_rec *own = own_rec(e, q);
	uint32_t si, addr;
	int32_t rsi;

	if (ternd_leases_reserve(&e->lt, 1) < 0)
		return drop(e, TERND_DROP_EXHAUSTED, -ENOMEM);
	/* 1. What the client has or had. */
	if (own) {
		uint32_t osi = own->sub;

		if (own->l.state == TERND_LEASE_BOUND)
			return reply_lease(
				e, q, tx, TERN_DHCP4_OFFER, own,
				lease_time(e, q, &e->subs[osi].s->params));
		if (own->l.state == TERND_LEASE_OFFERED ||
		    allocatable(e, osi, own->l.addr, res_for(e, q, osi)))
			return offer(e, q, tx, osi, own->l.addr);
		/* Its old address is reserved for someone else now (a
		 * reload): forget it; the store's stale row is replaced when
		 * the address is leased again. An address merely closed by
		 * the mesh gate keeps its record: the block may come back. */
		if (!gated(e, own->l.addr))
			drop_rec(e, own);
	}
	/* 2. Its reservation, unless another client still holds it. */
	for (uint32_t i = 0; i < n_cands(e, q); i++) {
		const struct ternd_reservation *res;

		si = cand(e, q, i);
		res = res_for(e, q, si);
		if (res && res->addr &&
		    free_for(e, q, ternd_leases_by_addr(&e->lt, res->addr)))
			return offer(e, q, tx, si, res->addr);
	}
	/* 3. The address it asks for, when it may have it. */
	rsi = q->reqip ? sub_for_addr(e, q->reqip) : -1;
	if (in_cands(e, q, rsi) &&
	    free_for(e, q, ternd_leases_by_addr(&e->lt, q->reqip)) &&
	    allocatable(e, (uint32_t)rsi, q->reqip,
			res_for(e, q, (uint32_t)rsi)))
		return offer(e, q, tx, (uint32_t)rsi, q->reqip);
	/* 4. Any free pool address; 5. else the oldest unanswered offer. */
	if (pool_addr(e, q, &si, &addr) || steal_offer(e, q, &si, &addr))
		return offer(e, q, tx, si, addr);
	return drop(e, TERND_DROP_EXHAUSTED, -ENOSPC);
}

/* ---- REQUEST ------------------------------------------------------------- */

enum verdict {
	V_MINE,	     /* the client's record: offered, bound or its affinity */
	V_FREE,	     /* nobody's, and the client may have it */
	V_TAKEN,     /* another client's live lease (or declined) */
	V_UNALLOC,   /* in our subnets but not for this client */
	V_ELSEWHERE, /* not in the client's subnets */
};

static enum verdict judge(struct ternd_engine *e, const struct req *q,
			  uint32_t addr, uint32_t *ret_si)
{
	int32_t si = sub_for_addr(e, addr);
	struct ternd_rec *at;
	bool ok;

	if (!in_cands(e, q, si))
		return V_ELSEWHERE;
	*ret_si = (uint32_t)si;
	if (e->deny && addr == e->deny)
		return V_TAKEN;
	at = ternd_leases_by_addr(&e->lt, addr);
	if (at && !is_client(e, q, at) && live(at->l.state))
		return V_TAKEN;
	ok = allocatable(e, (uint32_t)si, addr, res_for(e, q, (uint32_t)si));
	if (at && is_client(e, q, at))
		/* Offered or bound stays good; an old affinity only while
		 * nobody reserved the address meanwhile. */
		return affinity(at->l.state) && !ok ? V_UNALLOC : V_MINE;
	return ok ? V_FREE : V_UNALLOC;
}

static int ack(struct ternd_engine *e, struct req *q, struct ternd_tx *tx,
	       uint32_t si, uint32_t addr)
{
	const struct ternd_reservation *res;
	struct ternd_rec *r;
	uint32_t valid;

	if (ternd_leases_reserve(&e->lt, 1) < 0)
		return drop(e, TERND_DROP_EXHAUSTED, -ENOMEM);
	if (q->chg.max - q->chg.n < 1 + stale_rows(e, q, addr))
		return drop(e, TERND_DROP_TOO_MANY, -ENOBUFS);
	res = res_for(e, q, si);
	r = claim(e, q, si, addr, &q->chg);
	valid = lease_time(e, q, &e->subs[si].s->params);
	r->prev = TERND_LEASE_FREE;
	r->emit = false;
	r->l.valid_lifetime = valid;
	r->l.cltt = q->now;
	set_hostname(q, res, r);
	set_state(e, r, TERND_LEASE_BOUND, q->now + (int64_t)valid);
	r->stored = TERND_LEASE_BOUND;
	emit(&q->chg, TERND_CHANGE_UPSERT, r);
	return reply_lease(e, q, tx, TERN_DHCP4_ACK, r, valid);
}

static bool sid_ours(const struct ternd_engine *e, const struct req *q)
{
	return q->sid == q->rx->if_addr ||
	       (e->ovr_server_id && q->sid == e->ovr_server_id) ||
	       (q->rai.has_server_id_override &&
		q->sid == ntohl(q->rai.server_id_override.s_addr));
}

static int silent(struct ternd_engine *e)
{
	return drop(e, TERND_DROP_SILENT, 0);
}

/*
 * Whether the request reached us unicast (RENEWING) rather than broadcast
 * (REBINDING). Without the destination address, a relayed request was a
 * broadcast (relays forward broadcasts; a renewing client unicasts to us
 * directly).
 */
static bool unicast(const struct ternd_engine *e, const struct req *q)
{
	uint32_t d = q->rx->dst_addr;

	if (d)
		return d != INADDR_BROADCAST && d != e->subs[q->sel].bcast;
	return q->giaddr == 0;
}

static int do_request(struct ternd_engine *e, struct req *q,
		      struct ternd_tx *tx)
{
	const struct ternd_params *pp = &e->subs[q->sel].s->params;
	struct ternd_rec *own;
	enum verdict v;
	uint32_t si = 0, addr;

	if (q->has_sid) {
		/* SELECTING. */
		if (!sid_ours(e, q)) {
			/* The client took another server's offer. */
			own = own_rec(e, q);
			if (own && own->l.state == TERND_LEASE_OFFERED)
				lapse_offer(e, own);
			return drop(e, TERND_DROP_NOT_OURS, 0);
		}
		addr = q->reqip ? q->reqip : q->ciaddr;
		v = addr ? judge(e, q, addr, &si) : V_ELSEWHERE;
		if (v == V_MINE || v == V_FREE)
			return ack(e, q, tx, si, addr);
		return reply_nak(e, q, tx, "requested address not available");
	}
	if (!q->ciaddr) {
		/* INIT-REBOOT. */
		if (!q->reqip)
			return drop(e, TERND_DROP_MALFORMED, -EBADMSG);
		v = judge(e, q, q->reqip, &si);
		own = own_rec(e, q);
		if (v == V_FREE && own && own->l.state == TERND_LEASE_BOUND)
			/* RFC 2131 §4.3.2: its notion of its address is
			 * wrong; it holds another one with us. */
			return reply_nak(e, q, tx, "client has another lease");
		switch (v) {
		case V_MINE:
		case V_FREE:
			return ack(e, q, tx, si, q->reqip);
		case V_TAKEN:
			return reply_nak(e, q, tx, "address in use");
		case V_ELSEWHERE:
			if (pp->authoritative)
				return reply_nak(e, q, tx, "wrong network");
			return silent(e);
		default:
			if (pp->authoritative)
				return reply_nak(e, q, tx,
						 "address not available");
			return silent(e);
		}
	}
	/* RENEWING (unicast) or REBINDING (broadcast). */
	v = judge(e, q, q->ciaddr, &si);
	own = own_rec(e, q);
	if (v == V_FREE && own && own->l.state == TERND_LEASE_BOUND)
		return reply_nak(e, q, tx, "client has another lease");
	switch (v) {
	case V_MINE:
	case V_FREE:
		return ack(e, q, tx, si, q->ciaddr);
	case V_TAKEN:
		return reply_nak(e, q, tx, "address in use");
	default:
		if (unicast(e, q) && pp->authoritative)
			return reply_nak(e, q, tx, "address not available");
		return silent(e);
	}
}

/* ---- DECLINE, RELEASE, INFORM -------------------------------------------- */

static int do_decline(struct ternd_engine *e, struct req *q)
{
	struct ternd_rec *r;

	if (!q->has_sid || !sid_ours(e, q))
		return drop(e, TERND_DROP_NOT_OURS, 0);
	if (!q->reqip)
		return drop(e, TERND_DROP_MALFORMED, -EBADMSG);
	r = ternd_leases_by_addr(&e->lt, q->reqip);
	if (!r || !is_client(e, q, r) || r->l.state != TERND_LEASE_BOUND)
		return drop(e, TERND_DROP_NO_LEASE, 0);
	if (q->chg.max - q->chg.n < 1)
		return drop(e, TERND_DROP_TOO_MANY, -ENOBUFS);
	/* Somebody else answers ARP for it: nobody gets it for a while,
	 * and the row keeps who reported it. */
	ternd_leases_client_del(&e->lt, r);
	r->prev = TERND_LEASE_FREE;
	r->l.cltt = q->now;
	set_state(e, r, TERND_LEASE_DECLINED,
		  q->now + (int64_t)e->cfg->decline_probation_period);
	r->stored = TERND_LEASE_DECLINED;
	emit(&q->chg, TERND_CHANGE_UPSERT, r);
	e->st.declines++;
	return 0;
}

static int do_release(struct ternd_engine *e, struct req *q)
{
	struct ternd_rec *r;

	if (q->has_sid && !sid_ours(e, q))
		return drop(e, TERND_DROP_NOT_OURS, 0);
	r = q->ciaddr ? ternd_leases_by_addr(&e->lt, q->ciaddr) : NULL;
	if (!r || !is_client(e, q, r) || r->l.state != TERND_LEASE_BOUND)
		return drop(e, TERND_DROP_NO_LEASE, 0);
	if (q->chg.max - q->chg.n < 1)
		return drop(e, TERND_DROP_TOO_MANY, -ENOBUFS);
	/* Kept as the client's affinity: it gets the address back if it
	 * returns before someone else takes it. */
	r->l.cltt = q->now;
	set_state(e, r, TERND_LEASE_RELEASED, q->now);
	r->stored = TERND_LEASE_RELEASED;
	emit(&q->chg, TERND_CHANGE_UPSERT, r);
	e->st.releases++;
	return 0;
}

static int do_inform(struct ternd_engine *e, struct req *q, struct ternd_tx *tx)
{
	const struct esub *es = &e->subs[q->sel];
	const struct ternd_reservation *res = res_for(e, q, q->sel);
	struct ternd_reply p = {0};

	/* RFC 2131 §4.3.5: configuration only, no lease, no lease times. */
	p.type = TERN_DHCP4_ACK;
	p.ciaddr = q->ciaddr;
	p.server_id = q->server_id;
	p.mask = es->s->mask;
	p.siaddr = res && res->next_server ? res->next_server
					   : es->s->params.next_server;
	p.sname = res && res->server_hostname ? res->server_hostname
					      : es->s->params.server_hostname;
	p.file = res && res->boot_file_name ? res->boot_file_name
					    : es->s->params.boot_file_name;
	p.hostname = res ? res->hostname : NULL;
	p.opts = opts_for(e, q->sel, res);
	return finish_tx(e, q, tx, &p);
}

/* ---- request decoding ---------------------------------------------------- */

/* Option as an address: 0 absent, 1 present, -EBADMSG malformed. */
static int get_addr(const struct tern_dhcp4_msg *m, uint8_t code, uint32_t *ret)
{
	struct in_addr a;
	int rc;

	if (!tern_dhcp4_has_opt(m, code))
		return 0;
	rc = tern_dhcp4_get_addr(m, code, &a);
	if (rc < 0)
		return rc;
	*ret = ntohl(a.s_addr);
	return 1;
}

/* Client host name, reduced to characters safe to store and show. */
static void client_hostname(const struct tern_dhcp4_msg *m, char *out,
			    size_t size)
{
	uint8_t scratch[256];
	const uint8_t *d;
	int n = tern_dhcp4_get_host_name(m, scratch, sizeof(scratch), &d);
	size_t k = 0;

	for (int i = 0; i < n && k + 1 < size; i++) {
		uint8_t c = d[i];

		if (c == 0)
			break;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		      c == '_'))
			c = '-';
		out[k++] = (char)c;
	}
	out[k] = 0;
}

static int decode(struct ternd_engine *e, struct req *q)
{
	const struct tern_dhcp4_msg *m = &e->msg;
	const uint8_t *d;
	uint16_t mm;
	int n;

	q->htype = m->hdr.htype;
	q->hlen = m->hdr.hlen;
	q->chaddr = m->hdr.chaddr;
	q->ciaddr = ntohl(m->hdr.ciaddr.s_addr);
	q->giaddr = ntohl(m->hdr.giaddr.s_addr);
	q->rq.hdr = &m->hdr;

	if (tern_dhcp4_has_opt(m, TERN_DHCP4_OPT_CLIENT_ID)) {
		n = tern_dhcp4_get_client_id(m, e->cid_buf, sizeof(e->cid_buf),
					     &d);
		/* Longer than a lease can keep: bounded, so refused. */
		if (n < 0 || n > TERND_LEASE_CID_MAX)
			return -EBADMSG;
		q->cid = d;
		q->cid_len = (uint8_t)n;
		q->rq.cid = d;
		q->rq.cid_len = (size_t)n;
	}
	if (get_addr(m, TERN_DHCP4_OPT_REQUESTED_IP, &q->reqip) < 0 ||
	    (n = get_addr(m, TERN_DHCP4_OPT_SERVER_ID, &q->sid)) < 0)
		return -EBADMSG;
	q->has_sid = n > 0;
	if ((n = get_addr(m, TERN_DHCP4_OPT_SUBNET_SELECTION, &q->sel_addr)) <
	    0)
		return -EBADMSG;
	q->has_sel = n > 0;
	if (tern_dhcp4_has_opt(m, TERN_DHCP4_OPT_LEASE_TIME)) {
		if (tern_dhcp4_get_lease_time(m, &q->want_lt) < 0)
			return -EBADMSG;
		q->has_lt = true;
	}
	if (tern_dhcp4_has_opt(m, TERN_DHCP4_OPT_MAX_MSG_SIZE)) {
		if (tern_dhcp4_get_max_msg_size(m, &mm) < 0)
			return -EBADMSG;
		q->rq.max_msg = mm;
	}
	if (tern_dhcp4_has_opt(m, TERN_DHCP4_OPT_PRL)) {
		n = tern_dhcp4_get_prl(m, e->prl_buf, sizeof(e->prl_buf), &d);
		if (n < 0)
			return -EBADMSG;
		q->rq.prl = d;
		q->rq.prl_len = (size_t)n;
	}
	if (tern_dhcp4_has_opt(m, TERN_DHCP4_OPT_RAI)) {
		n = tern_dhcp4_opt_get(m, TERN_DHCP4_OPT_RAI, e->rai_buf,
				       sizeof(e->rai_buf), &d);
		if (n < 0 || tern_dhcp4_rai_decode(d, (size_t)n, &q->rai) < 0)
			return -EBADMSG;
		q->rq.rai = d;
		q->rq.rai_len = (size_t)n;
		q->rq.has_rai = true;
	}
	client_hostname(m, q->hostname, sizeof(q->hostname));
	/* RFC 5107: a relay may ask us to name it as the server. */
	q->server_id = q->rai.has_server_id_override
			       ? ntohl(q->rai.server_id_override.s_addr)
		       : e->ovr_server_id ? e->ovr_server_id
					  : q->rx->if_addr;
	if (q->cid)
		q->base_cid = ternd_leases_client_base(&e->lt, TERND_KEY_CID, 0,
						       q->cid, q->cid_len);
	q->base_hw = ternd_leases_client_base(&e->lt, TERND_KEY_HW, q->htype,
					      q->chaddr, q->hlen);
	return 0;
}

static int32_t relay_sub(const struct ternd_engine *e, uint32_t addr)
{
	return ent_find(e->relays, e->n_relays, addr);
}

static int32_t iface_sub(const struct ternd_engine *e, const char *name)
{
	size_t lo = 0, hi = e->n_ifaces;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(e->ifaces[mid].name, name);

		if (c == 0)
			return (int32_t)e->ifaces[mid].sub;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/*
 * The client's link. Relayed: RFC 3527 link selection, then RFC 3011
 * subnet selection, then giaddr (its subnet, or a subnet listing it as a
 * relay). Direct: RFC 3011, then the receiving interface.
 */
static int32_t select_subnet(const struct ternd_engine *e, const struct req *q)
{
	int32_t si;

	if (q->giaddr) {
		if (q->rai.has_link_selection)
			return sub_for_addr(
				e, ntohl(q->rai.link_selection.s_addr));
		if (q->has_sel)
			return sub_for_addr(e, q->sel_addr);
		si = sub_for_addr(e, q->giaddr);
		return si >= 0 ? si : relay_sub(e, q->giaddr);
	}
	if (q->has_sel)
		return sub_for_addr(e, q->sel_addr);
	if (q->rx->ifname && (si = iface_sub(e, q->rx->ifname)) >= 0)
		return si;
	return sub_for_addr(e, q->rx->if_addr);
}

int ternd_engine_handle(struct ternd_engine *e, const struct ternd_rx *rx,
			struct ternd_tx *tx, struct ternd_change *changes,
			size_t max, size_t *n_changes)
{
	struct req q;
	int32_t si;
	int type, rc;

	/* A reply must fit the BOOTP minimum: checked before any state
	 * changes, so building it cannot fail for want of room. */
	if (!e || !rx || !tx || !tx->buf || tx->cap < TERN_DHCP4_BOOTP_MIN ||
	    !n_changes || (!changes && max) || (!rx->buf && rx->len))
		return -EINVAL;
	*n_changes = 0;
	tx->len = 0;
	tx->needs_commit = false;
	memset(&q, 0, sizeof(q));
	q.rx = rx;
	q.m = &e->msg;
	q.now = rx->now;
	q.chg.v = changes;
	q.chg.max = max;

	if (rx->len < TERN_DHCP4_MIN_LEN ||
	    tern_dhcp4_parse(&e->msg, rx->buf, rx->len) < 0 ||
	    e->msg.hdr.op != TERN_DHCP4_BOOTREQUEST || e->msg.hdr.hlen > 16)
		return drop(e, TERND_DROP_MALFORMED, -EBADMSG);
	type = tern_dhcp4_get_msg_type(&e->msg);
	if (type < TERN_DHCP4_DISCOVER || type > TERN_DHCP4_INFORM)
		return drop(e, TERND_DROP_NO_TYPE, -EBADMSG);
	e->st.rx[type]++;
	q.type = (uint8_t)type;
	if (type == TERN_DHCP4_OFFER || type == TERN_DHCP4_ACK ||
	    type == TERN_DHCP4_NAK)
		/* Server messages: not for a server to answer. */
		return drop(e, TERND_DROP_NO_TYPE, -EBADMSG);
	if (decode(e, &q) < 0)
		return drop(e, TERND_DROP_MALFORMED, -EBADMSG);
	/* A client needs a key: a client-id or a hardware address. */
	if (!q.cid && !q.hlen)
		return drop(e, TERND_DROP_MALFORMED, -EBADMSG);

	/* RELEASE and DECLINE name an address: its record says it all. */
	if (type == TERN_DHCP4_RELEASE)
		rc = do_release(e, &q);
	else if (type == TERN_DHCP4_DECLINE)
		rc = do_decline(e, &q);
	else if ((si = select_subnet(e, &q)) < 0)
		rc = drop(e, TERND_DROP_NO_SUBNET, -ENETUNREACH);
	else if (!q.hlen && key_kind(e, &q, (uint32_t)si) == TERND_KEY_HW)
		rc = drop(e, TERND_DROP_MALFORMED, -EBADMSG);
	else {
		q.sel = (uint32_t)si;
		if (type == TERN_DHCP4_DISCOVER)
			rc = do_discover(e, &q, tx);
		else if (type == TERN_DHCP4_REQUEST)
			rc = do_request(e, &q, tx);
		else
			rc = do_inform(e, &q, tx);
	}
	*n_changes = q.chg.n;
	return rc;
}

/* ---- expiry, restore, queries -------------------------------------------- */

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
			lapse_offer(e, r);
			continue;
		}
		if (c.n >= c.max)
			break;
		switch (r->l.state) {
		case TERND_LEASE_BOUND:
			/* The client may come back for it: keep who had it. */
			set_state(e, r, TERND_LEASE_EXPIRED, r->l.expire);
			r->stored = TERND_LEASE_EXPIRED;
			emit(&c, TERND_CHANGE_UPSERT, r);
			e->st.expired++;
			break;
		case TERND_LEASE_DECLINED:
			emit(&c, TERND_CHANGE_DELETE, r);
			drop_rec(e, r);
			break;
		default:
			/* Restored already expired: tell the store now. */
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
		drop_rec(e, other);

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
		set_state(e, r, TERND_LEASE_EXPIRED, l->expire);
		r->emit = true;
		ternd_leases_queue(&e->lt, r, l->expire);
	} else {
		set_state(e, r, l->state, l->expire);
	}
	return 0;
}

const struct ternd_engine_stats *
ternd_engine_stats(const struct ternd_engine *e)
{
	return e ? &e->st : NULL;
}

const struct ternd_lease *ternd_engine_lease(const struct ternd_engine *e,
					     uint32_t addr)
{
	const struct ternd_rec *r;

	if (!e)
		return NULL;
	r = ternd_leases_by_addr(&e->lt, addr);
	return r ? &r->l : NULL;
}

int ternd_engine_foreach(const struct ternd_engine *e,
			 int (*cb)(void *ctx, const struct ternd_lease *l),
			 void *ctx)
{
	if (!e || !cb)
		return -EINVAL;
	for (uint32_t i = 0; i < e->lt.hw; i++) {
		const struct ternd_rec *r = ternd_leases_at(&e->lt, i);
		int rc;

		if (!r->used || r->l.state == TERND_LEASE_FREE)
			continue;
		if ((rc = cb(ctx, &r->l)) != 0)
			return rc;
	}
	return 0;
}

/* ---- setup --------------------------------------------------------------- */

static int cmp_addr_ent(const void *a, const void *b)
{
	const struct addr_ent *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	/* Equal keys: the first configured subnet wins. */
	return x->sub < y->sub ? -1 : x->sub > y->sub;
}

static int cmp_name_ent(const void *a, const void *b)
{
	const struct name_ent *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->sub < y->sub ? -1 : x->sub > y->sub;
}

/* Keep the first of each run of equal keys (sorted input). */
static size_t uniq_addr(struct addr_ent *v, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (k == 0 || v[k - 1].addr != v[i].addr)
			v[k++] = v[i];
	return k;
}

static int setup_networks(struct ternd_engine *e)
{
	const struct ternd_config *cfg = e->cfg;
	size_t *first = NULL, *count = NULL;
	int rc = 0;

	e->members = calloc(e->n_subs ? e->n_subs : 1, sizeof(*e->members));
	first = calloc(cfg->n_networks + 1, sizeof(*first));
	count = calloc(cfg->n_networks + 1, sizeof(*count));
	if (!e->members || !first || !count) {
		rc = -ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < e->n_subs; i++) {
		const struct ternd_shared_network *n =
			cfg->subnets[i].network_of;

		if (n)
			count[n - cfg->networks]++;
	}
	for (size_t k = 1; k <= cfg->n_networks; k++)
		first[k] = first[k - 1] + count[k - 1];
	memset(count, 0, (cfg->n_networks + 1) * sizeof(*count));
	for (uint32_t i = 0; i < e->n_subs; i++) {
		struct esub *es = &e->subs[i];
		const struct ternd_shared_network *n = es->s->network_of;

		es->self = i;
		if (!n) {
			es->peers = &es->self;
			es->n_peers = 1;
			es->peer_pos = 0;
			continue;
		}
		size_t k = (size_t)(n - cfg->networks);
		es->peer_pos = (uint32_t)count[k];
		e->members[first[k] + count[k]++] = i;
	}
	for (uint32_t i = 0; i < e->n_subs; i++) {
		struct esub *es = &e->subs[i];
		const struct ternd_shared_network *n = es->s->network_of;

		if (!n)
			continue;
		size_t k = (size_t)(n - cfg->networks);
		es->peers = &e->members[first[k]];
		es->n_peers = (uint32_t)count[k];
	}
out:
	free(first);
	free(count);
	return rc;
}

static int setup_maps(struct ternd_engine *e)
{
	const struct ternd_config *cfg = e->cfg;
	size_t nr = 0, ni = 0;

	e->ids = calloc(e->n_subs ? e->n_subs : 1, sizeof(*e->ids));
	for (uint32_t i = 0; i < e->n_subs; i++) {
		const struct ternd_subnet *s = &cfg->subnets[i];

		nr += s->n_relays;
		if (s->network_of)
			nr += s->network_of->n_relays;
	}
	e->relays = calloc(nr ? nr : 1, sizeof(*e->relays));
	e->ifaces = calloc(e->n_subs ? 2 * e->n_subs : 1, sizeof(*e->ifaces));
	if (!e->ids || !e->relays || !e->ifaces)
		return -ENOMEM;
	nr = 0;
	for (uint32_t i = 0; i < e->n_subs; i++) {
		const struct ternd_subnet *s = &cfg->subnets[i];
		const struct ternd_shared_network *n = s->network_of;

		e->ids[i].addr = s->id;
		e->ids[i].sub = i;
		for (size_t k = 0; k < s->n_relays; k++)
			e->relays[nr++] = (struct addr_ent){s->relays[k], i};
		/* A network's relays and interface lead to its subnets; the
		 * allocation then tries all of them. */
		for (size_t k = 0; n && k < n->n_relays; k++)
			e->relays[nr++] = (struct addr_ent){n->relays[k], i};
		if (s->iface)
			e->ifaces[ni++] = (struct name_ent){s->iface, i};
		if (n && n->iface)
			e->ifaces[ni++] = (struct name_ent){n->iface, i};
	}
	qsort(e->ids, e->n_subs, sizeof(*e->ids), cmp_addr_ent);
	qsort(e->relays, nr, sizeof(*e->relays), cmp_addr_ent);
	e->n_relays = uniq_addr(e->relays, nr);
	qsort(e->ifaces, ni, sizeof(*e->ifaces), cmp_name_ent);
	e->n_ifaces = 0;
	for (size_t i = 0; i < ni; i++)
		if (!e->n_ifaces || strcmp(e->ifaces[e->n_ifaces - 1].name,
					   e->ifaces[i].name) != 0)
			e->ifaces[e->n_ifaces++] = e->ifaces[i];
	return 0;
}

/* A subnet's effective options: the configuration's, run-time ones over. */
static int build_opts(struct ternd_engine *e, uint32_t si)
{
	const struct ternd_option *tmp[OPTV_MAX];
	struct esub *es = &e->subs[si];
	size_t i = 0, j = 0, n = 0, nt;
	int rc;

	rc = ternd_config_effective_options(e->cfg, es->s, NULL, tmp, OPTV_MAX);
	if (rc < 0)
		return rc;
	nt = (size_t)rc;
	while ((i < nt || j < e->n_ovr) && n < es->optv_cap) {
		const struct ternd_option *a = i < nt ? tmp[i] : NULL;
		const struct ternd_option *b = j < e->n_ovr ? &e->ovr[j] : NULL;

		if (b && (!a || b->code <= a->code)) {
			if (a && a->code == b->code)
				i++;
			j++;
			if (b->code != TERN_DHCP4_OPT_LEASE_TIME &&
			    b->code != TERN_DHCP4_OPT_SERVER_ID)
				es->optv[n++] = b;
		} else {
			es->optv[n++] = a;
			i++;
		}
	}
	memset(es->idx, 0, sizeof(es->idx));
	for (size_t k = 0; k < n; k++)
		es->idx[es->optv[k]->code] = (uint8_t)(k + 1);
	es->opts.v = es->optv;
	es->opts.n = n;
	es->opts.idx = es->idx;
	return 0;
}

static int setup_subnet(struct ternd_engine *e, uint32_t i)
{
	const struct ternd_option *tmp[OPTV_MAX];
	struct esub *es = &e->subs[i];
	const struct ternd_subnet *s = es->s;
	int rc;

	es->bcast = s->network | ~s->mask;
	es->pools = calloc(s->n_pools ? s->n_pools : 1, sizeof(*es->pools));
	if (!es->pools)
		return -ENOMEM;
	es->n_pools = s->n_pools;
	for (size_t k = 0; k < s->n_pools; k++) {
		struct ternd_poolmap *pm = &es->pools[k];

		if ((rc = ternd_poolmap_init(pm, s->pools[k].first,
					     s->pools[k].last)) < 0)
			return rc;
		if (edge_addr(es, s->network) &&
		    ternd_poolmap_has(pm, s->network))
			ternd_poolmap_set(pm, s->network);
		if (edge_addr(es, es->bcast) &&
		    ternd_poolmap_has(pm, es->bcast))
			ternd_poolmap_set(pm, es->bcast);
	}
	for (size_t k = 0; k < s->n_res_by_addr; k++) {
		struct ternd_poolmap *pm = pool_of(es, s->res_by_addr[k]->addr);

		if (pm)
			ternd_poolmap_set(pm, s->res_by_addr[k]->addr);
	}
	rc = ternd_config_effective_options(e->cfg, s, NULL, tmp, OPTV_MAX);
	if (rc < 0)
		return rc;
	es->optv_cap = (size_t)rc + TERND_ENGINE_MAX_OVERRIDES;
	es->optv = calloc(es->optv_cap, sizeof(*es->optv));
	if (!es->optv)
		return -ENOMEM;
	return build_opts(e, i);
}

int ternd_engine_new(const struct ternd_config *cfg, struct ternd_engine **ret)
{
	struct ternd_engine *e = NULL;
	uint64_t total = 0;
	int rc;

	if (!cfg || !ret || cfg->n_subnets > UINT32_MAX / 4)
		return -EINVAL;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->cfg = cfg;
	e->n_subs = (uint32_t)cfg->n_subnets;
	e->offer_lifetime = cfg->offer_lifetime ? cfg->offer_lifetime
						: DEFAULT_OFFER_LIFETIME;
	e->subs = calloc(e->n_subs ? e->n_subs : 1, sizeof(*e->subs));
	if (!e->subs) {
		rc = -ENOMEM;
		goto out;
	}
	for (uint32_t i = 0; i < e->n_subs; i++) {
		const struct ternd_subnet *s = &cfg->subnets[i];

		e->subs[i].s = s;
		for (size_t k = 0; k < s->n_pools; k++)
			total += (uint64_t)s->pools[k].last -
				 s->pools[k].first + 1;
		total += s->n_res_by_addr;
	}
	if (total > MAX_POOL_ADDRS) {
		rc = -E2BIG;
		goto out;
	}
	if ((rc = setup_networks(e)) < 0 || (rc = setup_maps(e)) < 0)
		goto out;
	for (uint32_t i = 0; i < e->n_subs; i++)
		if ((rc = setup_subnet(e, i)) < 0)
			goto out;
	if ((rc = ternd_leases_init(&e->lt, (size_t)total)) < 0)
		goto out;
	*ret = e;
	e = NULL;
	rc = 0;
out:
	ternd_engine_free(e);
	return rc;
}

void ternd_engine_free(struct ternd_engine *e)
{
	if (!e)
		return;
	for (uint32_t i = 0; e->subs && i < e->n_subs; i++) {
		for (size_t k = 0; e->subs[i].pools && k < e->subs[i].n_pools;
		     k++)
			ternd_poolmap_fini(&e->subs[i].pools[k]);
		free(e->subs[i].pools);
		free(e->subs[i].optv);
	}
	ternd_leases_fini(&e->lt);
	free(e->gate);
	free(e->subs);
	free(e->members);
	free(e->ids);
	free(e->relays);
	free(e->ifaces);
	free(e);
}

/* ---- mesh gate ----------------------------------------------------------- */

int ternd_engine_gate(struct ternd_engine *e, uint32_t first, uint32_t last)
{
	uint64_t n;

	if (!e || e->gate || last < first)
		return -EINVAL;
	n = (uint64_t)last - first + 1;
	if (n > MAX_POOL_ADDRS)
		return -E2BIG;
	e->gate = calloc((size_t)((n + 63) / 64), sizeof(*e->gate));
	if (!e->gate)
		return -ENOMEM;
	e->gate_first = first;
	e->gate_last = last;
	/* Everything starts closed: no pool address in the range is free. */
	for (uint32_t i = 0; i < e->n_subs; i++) {
		struct esub *es = &e->subs[i];

		for (size_t k = 0; k < es->n_pools; k++) {
			struct ternd_poolmap *pm = &es->pools[k];
			uint32_t a = pm->first > first ? pm->first : first;
			uint32_t z = pm->last < last ? pm->last : last;

			for (uint64_t x = a; a <= z && x <= z; x++)
				ternd_poolmap_set(pm, (uint32_t)x);
		}
	}
	return 0;
}

int ternd_engine_gate_set(struct ternd_engine *e, uint32_t first, uint32_t last,
			  bool open)
{
	if (!e->gate || first < e->gate_first || last > e->gate_last ||
	    last < first)
		return -EINVAL;
	for (uint64_t x = first; x <= last; x++) {
		uint32_t addr = (uint32_t)x, i = addr - e->gate_first;
		int32_t si = sub_for_addr(e, addr);
		struct ternd_poolmap *pm =
			si < 0 ? NULL : pool_of(&e->subs[si], addr);
		const struct ternd_rec *r;

		if (open)
			e->gate[i >> 6] |= UINT64_C(1) << (i & 63);
		else
			e->gate[i >> 6] &= ~(UINT64_C(1) << (i & 63));
		if (!pm)
			continue;
		r = ternd_leases_by_addr(&e->lt, addr);
		if (!open)
			ternd_poolmap_set(pm, addr);
		else if (!(r && live(r->l.state)) && !fixed(&e->subs[si], addr))
			ternd_poolmap_clear(pm, addr);
	}
	return 0;
}

void ternd_engine_grant(struct ternd_engine *e, uint32_t addr)
{
	e->grant = addr;
}

void ternd_engine_deny(struct ternd_engine *e, uint32_t addr)
{
	e->deny = addr;
}

void ternd_engine_usage(const struct ternd_engine *e, uint32_t first,
			uint32_t n, uint32_t *ret_free, uint32_t *ret_leased)
{
	uint32_t f = 0, l = 0;

	for (uint64_t x = first; x < (uint64_t)first + n; x++) {
		uint32_t addr = (uint32_t)x;
		int32_t si = sub_for_addr(e, addr);
		const struct ternd_rec *r;

		if (si < 0)
			continue;
		r = ternd_leases_by_addr(&e->lt, addr);
		if (r && live(r->l.state))
			l++;
		else if (pool_of(&e->subs[si], addr) &&
			 !fixed(&e->subs[si], addr))
			f++;
	}
	*ret_free = f;
	*ret_leased = l;
}

int ternd_engine_set_options(struct ternd_engine *e,
			     const struct ternd_option *v, size_t n)
{
	uint32_t lt = 0, sid = 0, be;
	int rc = 0;

	if (n > TERND_ENGINE_MAX_OVERRIDES)
		return -E2BIG;
	for (size_t i = 0; i < n; i++) {
		if (i && v[i].code <= v[i - 1].code)
			return -EINVAL;
		if (v[i].code != TERN_DHCP4_OPT_LEASE_TIME &&
		    v[i].code != TERN_DHCP4_OPT_SERVER_ID)
			continue;
		if (v[i].len != 4)
			return -EINVAL;
		memcpy(&be, v[i].data, 4);
		if (v[i].code == TERN_DHCP4_OPT_LEASE_TIME)
			lt = ntohl(be);
		else
			sid = ntohl(be);
		if (!lt && v[i].code == TERN_DHCP4_OPT_LEASE_TIME)
			return -EINVAL;
	}
	e->ovr = v;
	e->n_ovr = n;
	e->ovr_lease_time = lt;
	e->ovr_server_id = sid;
	for (uint32_t i = 0; i < e->n_subs && rc == 0; i++)
		rc = build_opts(e, i);
	return rc;
}
