/* ternd DHCPv6 engine: a client's host reservations as Kea 2.2 finds and
 * uses them (AllocEngine::findReservation, currentHost / globalHost,
 * allocateGlobalReservedLeases6): by host-reservation-identifiers in
 * order (the hardware address from mac-sources: mac6.c), under the
 * reservations-* flags of the selected subnet. */
#include <string.h>

#include "server/engine6/internal6.h"

/* host-reservation-identifiers, Kea's default when not given. */
static const uint8_t *host_ids(const struct e6_req *r, size_t *ret_n)
{
	static const uint8_t dflt[] = {TERND6_ID_HW_ADDRESS, TERND6_ID_DUID};
	const struct ternd_config6 *c6 = r->e->c6;

	*ret_n = c6->n_host_ids ? c6->n_host_ids : sizeof(dflt);
	return c6->n_host_ids ? c6->host_ids : dflt;
}

/* The client's identifiers (Kea's ctx.host_identifiers_): its DUID, the
 * hardware address mac-sources find (mac6.c), never a flex-id. */
struct idents {
	uint8_t hw[20];
	size_t hw_len;
	bool has_hw;
	bool done; /* hw looked for (only when a lookup needs it) */
};

static bool client_hw(const struct e6_req *r, struct idents *x)
{
	if (!x->done) {
		x->has_hw = e6_client_hw(r, x->hw, &x->hw_len);
		x->done = true;
	}
	return x->has_hw;
}

/* The client's host among v[0..n), by the identifier types in order
 * (Kea's get6 for each until one is found; the last one found when
 * last: Kea's single query). */
static const struct ternd_reservation6 *
lookup(const struct e6_req *r, struct idents *x,
       const struct ternd_reservation6 *v, size_t n, bool last)
{
	size_t n_ids;
	const uint8_t *ids;
	const struct ternd_reservation6 *found = NULL;

	if (!n)
		return NULL;
	ids = host_ids(r, &n_ids);
	for (size_t i = 0; i < n_ids; i++) {
		const struct ternd_reservation6 *h = NULL;

		if (ids[i] == TERND6_ID_DUID)
			h = ternd_hosts6_find(v, n, TERND6_ID_DUID,
					      r->client_id, r->client_id_len);
		else if (ids[i] == TERND6_ID_HW_ADDRESS && client_hw(r, x))
			h = ternd_hosts6_find(v, n, TERND6_ID_HW_ADDRESS, x->hw,
					      x->hw_len);
		if (h && !last)
			return h;
		if (h)
			found = h;
	}
	return found;
}

/* How many identifiers of the configured types the client has. */
static size_t n_idents(const struct e6_req *r, struct idents *x)
{
	size_t n, k = 0;
	const uint8_t *ids = host_ids(r, &n);

	for (size_t i = 0; i < n; i++)
		k += ids[i] == TERND6_ID_DUID ||
		     (ids[i] == TERND6_ID_HW_ADDRESS && client_hw(r, x));
	return k;
}

void e6_early_hosts(struct e6_req *r)
{
	const struct ternd_config6 *c6 = r->e->c6;
	struct idents x = {.done = false};

	if (!c6->early_ghr || !r->client_id || !c6->n_res)
		return;
	r->ghost_early = lookup(r, &x, c6->res, c6->n_res, false);
	e6_classify_early(r);
}

void e6_find_hosts(struct e6_req *r)
{
	const struct ternd_subnet6 *sel = r->subnet;
	const struct ternd_config6 *c6 = r->e->c6;
	struct idents x = {.done = false};
	bool last;

	r->res = r->ghost = NULL;
	r->res_subnet = NULL;
	if (!sel || !r->client_id)
		return;
	if (c6->early_ghr) {
		/* Found before; Kea's globalHost() still asks the subnet;
		 * without reservations-in-subnet Kea is done. */
		if (sel->params.res_global)
			r->ghost = r->ghost_early;
		if (!sel->params.res_in_subnet) {
			r->res = r->ghost;
			return;
		}
	}
	if (!c6->early_ghr && sel->params.res_global)
		r->ghost = lookup(r, &x, c6->res, c6->n_res, false);
	/* Kea's single query: in a shared network of more subnets than
	 * the client has identifiers, every host of each type is fetched
	 * in the identifiers' order into a map by subnet, so the last type
	 * that matches in a subnet wins there. */
	last = sel->network && sel->network->n_members > 1 &&
	       sel->network->n_members > n_idents(r, &x);
	/* Kea stops at a global host when the subnet's are not looked
	 * at; else the selected subnet, then the others of its network
	 * the client may use, each where reservations-in-subnet. */
	if (!r->ghost || sel->params.res_in_subnet)
		for (const struct ternd_subnet6 *s = sel; s;
		     s = e6_walk(r, sel, s)) {
			const struct ternd_reservation6 *h;

			if (!s->params.res_in_subnet)
				continue;
			if ((h = lookup(r, &x, s->res, s->n_res, last))) {
				r->res = h;
				r->res_subnet = s;
				break;
			}
		}
	if (!r->res)
		r->res = r->ghost;
}

const struct ternd_reservation6 *e6_host_early(const struct e6_req *r)
{
	const struct ternd_reservation6 *cur;

	if (!r->subnet)
		return NULL;
	/* Kea's currentHost() before any lease: the selected subnet's
	 * host, else the global one. */
	cur = r->res_subnet == r->subnet ? r->res : r->ghost;
	/* initContext: a global host with classes, or outside a shared
	 * network a current host with classes, makes Kea add the current
	 * host's classes (which may be the subnet's host's). */
	if ((!r->e->c6->early_ghr && r->ghost && r->ghost->n_classes) ||
	    (!r->subnet->network && cur && cur->n_classes))
		return cur;
	return NULL;
}

/* Whether (a, len) went to an earlier IA of this request (Kea's
 * ctx.isAllocated). */
static bool allocated(const struct e6_req *r, const struct in6_addr *a,
		      uint8_t len)
{
	for (size_t i = 0; i < r->n_got; i++)
		if (r->got[i].plen == len && memcmp(&r->got[i].a, a, 16) == 0)
			return true;
	return false;
}

bool e6_from_global(struct e6_req *r, const struct e6_ia *ia,
		    struct in6_addr *ret, uint8_t *ret_len)
{
	const struct ternd_reservation6 *g = r->ghost;
	bool pd = ia->code == TERN_DHCP6_OPT_IA_PD;
	uint8_t type = pd ? TERND_LEASE6_PD : TERND_LEASE6_NA;
	size_t n = pd ? g->n_prefixes : g->n_addrs;

	for (size_t k = 0; k < n; k++) {
		const struct in6_addr *a =
			pd ? &g->prefixes[k].prefix : &g->addrs[k];
		uint8_t len = pd ? g->prefixes[k].len : 128;
		const struct ternd_lease6 *l;

		if (allocated(r, a, len))
			continue;
		/* Kea: not while anyone's lease holds it; neither the
		 * subnet's range nor its pools are looked at. */
		l = e6_find_addr(r->e, type, a);
		if (l &&
		    !e6_owned_by(l, r->client_id, r->client_id_len, ia->iaid))
			continue;
		*ret = *a;
		*ret_len = len;
		return true;
	}
	return false;
}

static bool holds(const struct ternd_reservation6 *h,
		  const struct ternd_lease6 *l)
{
	if (l->type == TERND_LEASE6_PD) {
		for (size_t i = 0; i < h->n_prefixes; i++)
			if (h->prefixes[i].len == l->plen &&
			    memcmp(&h->prefixes[i].prefix, &l->addr, 16) == 0)
				return true;
		return false;
	}
	for (size_t i = 0; i < h->n_addrs; i++)
		if (memcmp(&h->addrs[i], &l->addr, 16) == 0)
			return true;
	return false;
}

bool e6_host_holds(const struct e6_req *r, const struct ternd_lease6 *l)
{
	if (!r->res_subnet && !r->ghost)
		return true;
	return (r->res_subnet && r->res_subnet->id == l->subnet_id &&
		holds(r->res, l)) ||
	       (r->ghost && holds(r->ghost, l));
}

bool e6_pools_check_res(const struct ternd_subnet6 *s)
{
	/* Kea's allocateUnreservedLeases6: in-subnet reservations are
	 * checked unless out-of-pool says none is inside a pool (every
	 * candidate is). */
	return s->params.res_in_subnet && !s->params.res_out_of_pool;
}
