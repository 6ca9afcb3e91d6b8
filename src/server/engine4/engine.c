/* ternd engine: creation from a configuration (per-subnet tables, pool
 * maps, option views), run-time options, and the queries. */
#define _GNU_SOURCE /* qsort_r */
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
/* Relays: by address, then subnet id (Kea walks subnets in id order and
 * takes the first one the client's classes allow). */
static int cmp_relay(const void *a, const void *b, void *arg)
{
	const struct ternd_config *cfg = arg;
	const struct addr_ent *x = a, *y = b;
	uint32_t ix = cfg->subnets[x->sub].id, iy = cfg->subnets[y->sub].id;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return ix < iy ? -1 : ix > iy;
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
	/* Every subnet a relay leads to is kept: classes choose among them
	 * (handle.c's relay_sub). */
	qsort_r(e->relays, nr, sizeof(*e->relays), cmp_relay, (void *)cfg);
	e->n_relays = nr;
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
