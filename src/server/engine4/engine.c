/* ternd engine: creation from a configuration (per-subnet tables, pool
 * maps, option views), run-time options, and the queries. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <tern/dhcp4.h>

#include "server/engine4/internal.h"

/*
 * offer-lifetime 0 means "unset" here: an offer always holds its address
 * for a short while, so two clients discovering at once are not offered
 * the same address. 60 s covers a client's usual 4 s..64 s retransmit
 * back-off for the REQUEST that follows.
 */
#define DEFAULT_OFFER_LIFETIME 60

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
	/* Equal keys: the lowest subnet id wins (Kea's order). */
	return x->ord < y->ord ? -1 : x->ord > y->ord;
}

static int cmp_name_ent(const void *a, const void *b)
{
	const struct name_ent *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->ord < y->ord ? -1 : x->ord > y->ord;
}

/* Subnet ids, sorted: Kea walks subnets in id order. */
static int setup_ids(struct ternd_engine *e)
{
	e->ids = calloc(e->n_subs ? e->n_subs : 1, sizeof(*e->ids));
	if (!e->ids)
		return -ENOMEM;
	for (uint32_t i = 0; i < e->n_subs; i++) {
		e->ids[i].addr = e->cfg->subnets[i].id;
		e->ids[i].sub = i;
	}
	qsort(e->ids, e->n_subs, sizeof(*e->ids), cmp_addr_ent);
	for (uint32_t i = 0; i < e->n_subs; i++)
		e->ids[i].ord = i;
	return 0;
}

/* Each subnet's shared-network members, in subnet id order. */
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
	for (uint32_t j = 0; j < e->n_subs; j++) {
		uint32_t i = e->ids[j].sub;
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

/*
 * Relay addresses and interface names to subnets. A subnet's relays and
 * interface are its own, else its shared network's (the config resolved
 * that); for one key the lowest subnet id wins, as Kea's selection walks
 * subnets in id order.
 */
static int setup_maps(struct ternd_engine *e)
{
	const struct ternd_config *cfg = e->cfg;
	size_t nr = 0, ni = 0;

	for (uint32_t i = 0; i < e->n_subs; i++)
		nr += cfg->subnets[i].n_relays;
	e->relays = calloc(nr ? nr : 1, sizeof(*e->relays));
	e->ifaces = calloc(e->n_subs ? e->n_subs : 1, sizeof(*e->ifaces));
	if (!e->relays || !e->ifaces)
		return -ENOMEM;
	nr = 0;
	for (uint32_t j = 0; j < e->n_subs; j++) {
		uint32_t i = e->ids[j].sub;
		const struct ternd_subnet *s = &cfg->subnets[i];

		for (size_t k = 0; k < s->n_relays; k++)
			e->relays[nr++] = (struct addr_ent){s->relays[k], i, j};
		if (s->iface)
			e->ifaces[ni++] = (struct name_ent){s->iface, i, j};
	}
	/* Every subnet a relay or an interface leads to is kept, in id
	 * order: classes choose among them (handle.c's relay_sub, iface_sub).
	 */
	qsort(e->relays, nr, sizeof(*e->relays), cmp_addr_ent);
	e->n_relays = nr;
	qsort(e->ifaces, ni, sizeof(*e->ifaces), cmp_name_ent);
	e->n_ifaces = ni;
	return 0;
}

/* The run-time options as one level of the precedence list; 51 and 54
 * are not options there but the engine's own lease time and identifier. */
static int build_ovr(struct ternd_engine *e, const struct ternd_option *ovr,
		     size_t n_ovr)
{
	struct ternd_option *v = NULL;
	size_t n = 0;

	if (n_ovr && !(v = calloc(n_ovr, sizeof(*v))))
		return -ENOMEM;
	free((void *)e->ovr_list.v);
	memset(&e->ovr_list, 0, sizeof(e->ovr_list));
	for (size_t i = 0; i < n_ovr; i++) {
		const struct ternd_option *o = &ovr[i];
		uint64_t bit = UINT64_C(1) << (o->code & 63);

		if (o->code == TERN_DHCP4_OPT_LEASE_TIME ||
		    o->code == TERN_DHCP4_OPT_SERVER_ID)
			continue;
		v[n++] = *o;
		e->ovr_list.has[o->code >> 6] |= bit;
		if (o->always_send)
			e->ovr_list.always[o->code >> 6] |= bit;
	}
	e->ovr_list.v = v;
	e->ovr_list.n = n;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Every option 54 configured where Kea looks for one (acceptServerId). */
static int setup_server_ids(struct ternd_engine *e)
{
	const struct ternd_config *cfg = e->cfg;
	const struct ternd_optlist *l;
	size_t max = cfg->n_subnets + cfg->n_networks + 1, n = 0;
	uint32_t be;

	e->cfg_sids = calloc(max, sizeof(*e->cfg_sids));
	if (!e->cfg_sids)
		return -ENOMEM;
	for (size_t i = 0; i < max; i++) {
		const struct ternd_option *o;

		l = i < cfg->n_subnets ? &cfg->subnets[i].options
		    : i - cfg->n_subnets < cfg->n_networks
			    ? &cfg->networks[i - cfg->n_subnets].options
			    : &cfg->options;
		o = ternd_optlist_find(l, TERN_DHCP4_OPT_SERVER_ID);
		if (!o || o->len < 4)
			continue;
		memcpy(&be, o->data, 4);
		e->cfg_sids[n++] = ntohl(be);
	}
	qsort(e->cfg_sids, n, sizeof(*e->cfg_sids), cmp_u32);
	e->n_cfg_sids = n;
	return 0;
}

static int setup_subnet(struct ternd_engine *e, uint32_t i)
{
	struct esub *es = &e->subs[i];
	const struct ternd_subnet *s = es->s;
	int rc;

	if ((rc = e4_optcache_init(&es->oc, e->cfg, s)) < 0)
		return rc;

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
	/* Reserved addresses stay out of dynamic allocation, unless the
	 * subnet ignores its reservations or declares them all outside its
	 * pools (Kea's addressReserved). */
	es->res_fixed = s->params.res_in_subnet && !s->params.res_out_of_pool;
	for (size_t k = 0; es->res_fixed && k < s->n_res_by_addr; k++) {
		struct ternd_poolmap *pm = pool_of(es, s->res_by_addr[k]->addr);

		if (pm)
			ternd_poolmap_set(pm, s->res_by_addr[k]->addr);
	}
	return 0;
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
	if ((rc = setup_ids(e)) < 0 || (rc = setup_networks(e)) < 0 ||
	    (rc = setup_maps(e)) < 0 || (rc = setup_server_ids(e)) < 0)
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
		e4_optcache_fini(&e->subs[i].oc);
	}
	free((void *)e->ovr_list.v);
	free(e->cfg_sids);
	ternd_leases_fini(&e->lt);
	free(e->gate);
	free(e->subs);
	free(e->members);
	free(e->ids);
	free(e->relays);
	free(e->ifaces);
	free(e);
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
	if ((rc = build_ovr(e, v, n)) < 0)
		return rc;
	e->ovr = v;
	e->n_ovr = n;
	e->ovr_lease_time = lt;
	e->ovr_server_id = sid;
	return 0;
}
