/* ternd engine internals, shared by the files of engine4/ only: the engine's
 * state, one request as the engine sees it, and the helpers every message
 * type uses. */
#ifndef TERND_ENGINE4_INTERNAL_H
#define TERND_ENGINE4_INTERNAL_H

#include <arpa/inet.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <tern/dhcp4.h>

#include "server/classify/expr.h"
#include "server/config/config.h"
#include "server/ddns/fqdn.h"
#include "server/engine4/alloc.h"
#include "server/engine4/classify.h"
#include "server/engine4/engine.h"
#include "server/engine4/leases.h"
#include "server/engine4/reply.h"

/* Pools larger than this in total are refused (bitmaps would exceed 32 MiB). */
#define MAX_POOL_ADDRS (UINT64_C(1) << 28)

#define OPTV_MAX 256

/*
 * A subnet's options merged over its base levels (subnet, shared network,
 * global): what a reply takes when no reservation, pool or run-time level
 * adds options (the common case), so the levels need not be walked. use:
 * codes with a value (never-send ones removed), idx[code]: its place in v
 * plus one.
 */
struct e4_optcache {
	uint64_t use[4];
	uint64_t always[4];
	const struct ternd_option **v;
	uint8_t idx[256];
};

struct esub {
	const struct ternd_subnet *s;
	struct e4_optcache oc;
	struct ternd_poolmap *pools; /* parallel to s->pools */
	size_t n_pools;
	/* Subnets of its shared network (itself included) in subnet id
	 * order, as Kea walks them, or itself. */
	const uint32_t *peers;
	uint32_t n_peers;
	uint32_t peer_pos; /* own position in peers */
	uint32_t self;
	uint32_t bcast;
	/* The subnet's reserved addresses are kept from dynamic allocation
	 * (reservations-in-subnet, not reservations-out-of-pool). */
	bool res_fixed;
	/* Kea's "last allocation time" of the subnet, as a sequence number:
	 * a shared network allocates from its most recently used member. */
	uint64_t last_alloc;
};

struct addr_ent {
	uint32_t addr;
	uint32_t sub;
	uint32_t ord; /* the subnet's rank by id: equal keys, lowest wins */
};

struct name_ent {
	const char *name;
	uint32_t sub;
	uint32_t ord;
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
	uint64_t alloc_seq;
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
	struct ternd_optlist ovr_list; /* ovr but 51 and 54, as a level */
	/* Option 54 values configured in subnets, networks or globally:
	 * Kea takes a REQUEST naming one as its own. Sorted. */
	uint32_t *cfg_sids;
	size_t n_cfg_sids;
	/* Two of them the engine writes itself (ddhcpd's -o 51 and -o 54):
	 * the lease time of every lease, and the server identifier. 0 = not
	 * set. */
	uint32_t ovr_lease_time;
	uint32_t ovr_server_id; /* host order */

	/* flex_id (flex_id.c): the identifier of the request, and the
	 * client-id made of it */
	struct ternd_expr_scratch expr_scratch;
	uint8_t flex_buf[255];
	uint8_t flex_cid[TERND_LEASE_CID_MAX];

	/* Kea's hook points of the last request (hookev.c). */
	bool hook_events;
	size_t n_ev;
	struct ternd_hook_event ev[TERND_ENGINE_MAX_EVENTS];
	/* flex-id from the embedder (ternd_engine_set_flex_id), used when
	 * the configuration has no flex_id library. */
	ternd_flex_id_fn flex_fn;
	void *flex_ctx;

	/* Per-request scratch, so nothing is allocated per packet. */
	struct tern_dhcp4_msg msg;
	uint8_t flex_ext_buf[TERND_MAX_HOST_ID]; /* flex_fn's value */
	uint8_t cid_buf[TERND_LEASE_CID_MAX];
	uint8_t prl_buf[1024];
	uint8_t rai_buf[1024];
	/* Option selection (answer.c): the chosen option per code (valid
	 * where sel_set has the bit), the reply's list in wire order, and
	 * the options the engine writes itself. */
	const struct ternd_option *sel_opt[256];
	uint64_t sel_set[4];
	const struct ternd_option *sel_out[OPTV_MAX];
	struct ternd_option sel_own[3];
	uint8_t vivso_buf[4 + 1 + 255];
	uint8_t vivso_in[1024];
	uint8_t sel118[4];
	/* The request's options 81 and 12 and the name decided (names.c). */
	uint8_t fqdn_buf[1024];
	uint8_t host_buf[1024];
	struct ternd_fqdn fqdn;
	struct ternd_client_name name;
	bool named; /* name is this request's, for named_addr */
	uint32_t named_addr;
	struct e4_classes cls; /* the request's classes (classify.c) */
};

/* The changes a request may append. */
struct chg {
	struct ternd_change *v;
	size_t max;
	size_t n;
};

/* One of the client's host identifiers. */
struct hostid {
	uint8_t type; /* enum ternd_host_id */
	uint8_t len;
	const uint8_t *v;
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
	/* The client's identifiers, in host-reservation-identifiers order,
	 * only those it presents. */
	struct hostid ids[TERND_HOST_ID_TYPES];
	uint8_t n_ids;
	bool ids_done;
	/* Its global reservation (looked up once, when the selected subnet
	 * has reservations-global). */
	bool ghost_done;
	const struct ternd_reservation *ghost;
	bool has_fqdn;	     /* option 81 sent: e->fqdn */
	const uint8_t *host; /* option 12 as sent, NULL = none */
	size_t host_len;
	struct chg chg;
	struct e4_classes *cls; /* its classes (classify.c) */
	bool bootp; /* a BOOTP request (no option 53), served as Kea's hook */
	bool flex_done;	   /* the flex_id identifier was evaluated */
	uint16_t flex_len; /* its length, 0 = none */
	bool reused;	   /* its lease was reused unchanged (reuse.c) */
};

/* ---- small helpers, inlined where they are used ---- */

static inline int drop(struct ternd_engine *e, enum ternd_drop why, int rc)
{
	e->st.drops[why]++;
	return rc;
}

static inline bool live(uint8_t state)
{
	return state == TERND_LEASE_OFFERED || state == TERND_LEASE_BOUND ||
	       state == TERND_LEASE_DECLINED;
}

static inline bool affinity(uint8_t state)
{
	return state == TERND_LEASE_EXPIRED || state == TERND_LEASE_RELEASED;
}

static inline struct ternd_poolmap *pool_of(const struct esub *es,
					    uint32_t addr)
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
static inline bool edge_addr(const struct esub *es, uint32_t addr)
{
	return es->s->prefix_len <= 30 &&
	       (addr == es->s->network || addr == es->bcast);
}

/* Never allocatable dynamically: the pool bit stays set for these. */
static inline bool fixed(const struct esub *es, uint32_t addr)
{
	return edge_addr(es, addr) ||
	       (es->res_fixed && ternd_subnet_find_addr(es->s, addr));
}

/* Closed by the mesh gate: not ours to hand out now. */
static inline bool gated(const struct ternd_engine *e, uint32_t addr)
{
	uint32_t i;

	if (!e->gate || addr < e->gate_first || addr > e->gate_last ||
	    (e->grant && addr == e->grant))
		return false;
	i = addr - e->gate_first;
	return !((e->gate[i >> 6] >> (i & 63)) & 1);
}

static inline int32_t sub_index(const struct ternd_engine *e,
				const struct ternd_subnet *s)
{
	return s ? (int32_t)(s - e->cfg->subnets) : -1;
}

static inline int32_t sub_for_addr(const struct ternd_engine *e, uint32_t addr)
{
	return sub_index(e, ternd_config_subnet_for_addr(e->cfg, addr));
}

/* The subnet index filed under key in a sorted (key, index) table, or -1. */
static inline int32_t ent_find(const struct addr_ent *v, size_t n, uint32_t key)
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

static inline int32_t sub_by_id(const struct ternd_engine *e, uint32_t id)
{
	return ent_find(e->ids, e->n_subs, id);
}

/* Candidate i of a request: the selected subnet, then the other members of
 * its shared network in subnet id order, wrapping around (Kea's
 * getNextSubnet). */
static inline uint32_t n_cands(const struct ternd_engine *e,
			       const struct req *q)
{
	return e->subs[q->sel].n_peers;
}

static inline uint32_t cand_from(const struct ternd_engine *e, uint32_t first,
				 uint32_t i)
{
	const struct esub *es = &e->subs[first];

	return es->peers[(es->peer_pos + i) % es->n_peers];
}

static inline uint32_t cand(const struct ternd_engine *e, const struct req *q,
			    uint32_t i)
{
	return cand_from(e, q->sel, i);
}

static inline bool in_cands(const struct ternd_engine *e, const struct req *q,
			    int32_t si)
{
	const struct ternd_shared_network *n = e->subs[q->sel].s->network_of;

	if (si < 0)
		return false;
	return (uint32_t)si == q->sel || (n && e->subs[si].s->network_of == n);
}

/* The client key a subnet uses: client-id when sent and matched on. */
static inline uint8_t key_kind(const struct ternd_engine *e,
			       const struct req *q, uint32_t si)
{
	if (q->cid && e->subs[si].s->params.match_client_id)
		return TERND_KEY_CID;
	return TERND_KEY_HW;
}

static inline struct ternd_rec *client_rec(struct ternd_engine *e,
					   const struct req *q, uint32_t si)
{
	uint8_t kind = key_kind(e, q, si);
	uint32_t id = e->subs[si].s->id;
	struct ternd_rec *r;

	if (kind == TERND_KEY_CID) {
		r = ternd_leases_by_client(
			&e->lt, kind, id, 0, q->cid, q->cid_len,
			ternd_leases_client_hash(q->base_cid, id));
		if (r)
			return r;
	}
	r = ternd_leases_by_client(&e->lt, TERND_KEY_HW, id, q->htype,
				   q->chaddr, q->hlen,
				   ternd_leases_client_hash(q->base_hw, id));
	/* A lease without a client-id (an operator's lease4-add, Kea's
	 * memfile) is the client's by its hardware address, as Kea's
	 * belongsToClient has it. */
	return r && (kind == TERND_KEY_HW || r->l.cid_len == 0) ? r : NULL;
}

/* The client's record in the candidate subnets (one per network). */
static inline struct ternd_rec *own_rec(struct ternd_engine *e,
					const struct req *q)
{
	for (uint32_t i = 0; i < n_cands(e, q); i++) {
		struct ternd_rec *r = client_rec(e, q, cand(e, q, i));

		if (r)
			return r;
	}
	return NULL;
}

/* Whether r is filed under this client's key. */
static inline bool is_client(const struct ternd_engine *e, const struct req *q,
			     const struct ternd_rec *r)
{
	uint8_t kind;

	if (!r || r->key == TERND_KEY_NONE)
		return false;
	kind = key_kind(e, q, r->sub);
	/* Filed by hardware address, without a client-id: see client_rec. */
	if (r->key == TERND_KEY_HW && kind == TERND_KEY_CID &&
	    r->l.cid_len == 0)
		kind = TERND_KEY_HW;
	if (r->key != kind)
		return false;
	if (kind == TERND_KEY_CID)
		return r->l.cid_len == q->cid_len &&
		       memcmp(r->l.cid, q->cid, q->cid_len) == 0;
	return r->l.htype == q->htype && r->l.hw_len == q->hlen &&
	       memcmp(r->l.hw, q->chaddr, q->hlen) == 0;
}

static inline void emit(struct chg *c, uint8_t op, const struct ternd_rec *r)
{
	struct ternd_change *ch = &c->v[c->n++];

	ch->op = op;
	ch->ncr = TERND_NCR_NONE;
	ch->lease = r->l;
}

static inline bool cfg_sid(const struct ternd_engine *e, uint32_t sid)
{
	size_t lo = 0, hi = e->n_cfg_sids;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (e->cfg_sids[mid] == sid)
			return true;
		if (e->cfg_sids[mid] < sid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static inline bool sid_ours(const struct ternd_engine *e, const struct req *q)
{
	return q->sid == q->rx->if_addr ||
	       (e->ovr_server_id && q->sid == e->ovr_server_id) ||
	       (q->rai.has_server_id_override &&
		q->sid == ntohl(q->rai.server_id_override.s_addr)) ||
	       cfg_sid(e, q->sid);
}

/* ---- the client's records (records.c) ---- */

/* The reservation that applies to the client in subnet si (Kea's
 * currentHost: the subnet's, else the global one), NULL if none. */
const struct ternd_reservation *e4_res_for(struct ternd_engine *e,
					   struct req *q, uint32_t si);
/* Kea's hasAddressReservation: the client's reservation with an address,
 * searched from the selected subnet through its shared network; *ret_si is
 * the subnet the address is leased in. */
const struct ternd_reservation *e4_addr_res(struct ternd_engine *e,
					    struct req *q, uint32_t *ret_si);
/* Kea's addressReserved: addr is reserved in its subnet si for another
 * client. */
bool e4_reserved_other(struct ternd_engine *e, struct req *q, uint32_t si,
		       uint32_t addr);
/* Whether addr (inside subnet si) may be leased to this client at all,
 * ignoring who holds it now: the client's reserved address, or a pool
 * address not reserved for another client (and open in mesh mode). */
bool e4_allocatable(struct ternd_engine *e, struct req *q, uint32_t si,
		    uint32_t addr);
void e4_set_state(struct ternd_engine *e, struct ternd_rec *r, uint8_t state,
		  int64_t expire);
void e4_drop_rec(struct ternd_engine *e, struct ternd_rec *r);
void e4_lapse_offer(struct ternd_engine *e, struct ternd_rec *r);
size_t e4_stale_rows(struct ternd_engine *e, const struct req *q,
		     uint32_t addr);
struct ternd_rec *e4_claim(struct ternd_engine *e, const struct req *q,
			   uint32_t si, uint32_t addr, struct chg *c);
bool e4_free_for(const struct ternd_engine *e, const struct req *q,
		 uint32_t addr);
/* A free pool address for the client, starting from subnet cur's shared
 * network's preferred member. */
bool e4_pool_addr(struct ternd_engine *e, const struct req *q, uint32_t cur,
		  uint32_t *ret_si, uint32_t *ret_addr);

/* ---- client names and DDNS facts (names.c) ---- */

/* Options 81 and 12 of the request; -EBADMSG for an option 81 Kea drops. */
int e4_names_decode(struct ternd_engine *e, struct req *q);
/* The name decision for a reply with r's address (computed once). */
const struct ternd_client_name *
e4_client_name(struct ternd_engine *e, const struct req *q,
	       const struct ternd_rec *r, const struct ternd_reservation *res);
/* Give r the decided name (offer, ack). */
void e4_name_set(struct ternd_engine *e, const struct req *q,
		 struct ternd_rec *r, const struct ternd_reservation *res);
/* Change entries one more DDNS fact may need (0 with DDNS off). */
size_t e4_ddns_room(const struct ternd_engine *e);
/*
 * After an ack's UPSERT (the last change): the facts of the binding. old
 * is r's lease before, bound whether it was the client's bound lease
 * there; entries from c0 on are the ack's (DELETEs of its other leases).
 */
void e4_ddns_bound(struct ternd_engine *e, struct chg *c, size_t c0,
		   const struct ternd_rec *r, const struct ternd_lease *old,
		   bool bound);
/* A bound lease ends (release, decline, expiry): the REMOVE fact, then its
 * name goes. */
void e4_ddns_end(struct ternd_engine *e, struct chg *c, struct ternd_rec *r);

/* ---- replies (answer.c) ---- */

/* Options 81 and 12 of a reply with r's lease (names.c). */
void e4_reply_names(struct ternd_engine *e, const struct req *q,
		    const struct ternd_rec *r,
		    const struct ternd_reservation *res, struct ternd_reply *p);

uint32_t e4_lease_time(const struct ternd_engine *e, const struct req *q,
		       const struct ternd_params *p);
/* Fill a subnet's option cache (engine setup); -ENOMEM. */
int e4_optcache_init(struct e4_optcache *oc, const struct ternd_config *cfg,
		     const struct ternd_subnet *s);
void e4_optcache_fini(struct e4_optcache *oc);
/*
 * Choose the reply's options as Kea does (PRL, always-send, 125, basic
 * options) for the client of subnet si with reservation res and address
 * yiaddr (host order, 0 = none), into p (opts, n_opts, server_id_opt).
 */
void e4_select_options(struct ternd_engine *e, const struct req *q, uint32_t si,
		       const struct ternd_reservation *res, uint32_t yiaddr,
		       struct ternd_reply *p);
int e4_finish_tx(struct ternd_engine *e, const struct req *q,
		 struct ternd_tx *tx, const struct ternd_reply *p);
/* store-extended-info (extinfo.c): the query's option 82 into l. */
void e4_extinfo_set(struct ternd_engine *e, const struct req *q,
		    struct ternd_lease *l);
/* Lease reuse (reuse.c): the lifetime left to send for cur, 0 = none. */
uint32_t e4_reuse_left(const struct ternd_params *p,
		       const struct ternd_lease *cur, uint32_t valid,
		       int64_t now);
/* Whether the exchange changes the lease from was to now (Kea). */
bool e4_lease_changed(const struct ternd_engine *e, const struct req *q,
		      const struct ternd_lease *was,
		      const struct ternd_lease *now);
int e4_reply_lease(struct ternd_engine *e, struct req *q, struct ternd_tx *tx,
		   uint8_t type, const struct ternd_rec *r, uint32_t valid);
/* siaddr/sname/file of a reply: subnet, then classes, then reservation
 * (Kea). */
void e4_fixed_fields(const struct ternd_engine *e, const struct req *q,
		     const struct ternd_params *pp,
		     const struct ternd_reservation *res,
		     struct ternd_reply *p);
int e4_reply_nak(struct ternd_engine *e, const struct req *q,
		 struct ternd_tx *tx, const char *why);

/* ---- Kea's hook points (hookev.c): what the request found before it
 * ran, then what it did ---- */

struct ev_before {
	bool begun;
	bool own; /* the client had a record in its network */
	uint32_t own_addr;
	uint8_t own_stored; /* what the store had for it */
	int64_t own_expire;
	bool had; /* RELEASE / DECLINE: the client's bound lease */
	struct ternd_lease lease; /* ... as it was */
	uint64_t not_ours;	  /* drops counted before */
};

void e4_ev_begin(struct ternd_engine *e, const struct req *q,
		 struct ev_before *b);
void e4_ev_end(struct ternd_engine *e, struct req *q, const struct ev_before *b,
	       int rc);

/* ---- one function per message type; the return value is
 * ternd_engine_handle_msg's ---- */

int e4_do_discover(struct ternd_engine *e, struct req *q, struct ternd_tx *tx);
int e4_do_request(struct ternd_engine *e, struct req *q, struct ternd_tx *tx);
int e4_do_decline(struct ternd_engine *e, struct req *q);
int e4_do_release(struct ternd_engine *e, struct req *q);
int e4_do_inform(struct ternd_engine *e, struct req *q, struct ternd_tx *tx);
/*
 * flex_id.c: the request's flexible identifier (Kea's flex_id library),
 * evaluated once per request: its length with *ret pointing at it, 0 when
 * there is none (then no flex-id reservation matches). Reservation
 * matching calls it for host-reservation-identifiers' "flex-id" and looks
 * the bytes up as a flex-id reservation.
 */
int e4_flex_id(struct ternd_engine *e, struct req *q, const uint8_t **ret);
/* replace-client-id: q's client-id becomes 0x00 + the identifier. */
void e4_flex_client_id(struct ternd_engine *e, struct req *q);
/* bootp.c: a BOOTREQUEST without option 53 (Kea's libdhcp_bootp.so) */
int e4_do_bootp(struct ternd_engine *e, struct req *q, struct ternd_tx *tx);

#endif
