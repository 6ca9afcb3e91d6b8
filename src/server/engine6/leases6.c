/* ternd DHCPv6 engine: the lease table (fixed slots, two hash chains: by
 * address and by client identity), its creation and queries. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "server/engine6/internal6.h"

/* FNV-1a over bytes, seeded per engine. */
static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static size_t addr_bucket(const struct ternd_engine6 *e, uint8_t type,
			  const struct in6_addr *a)
{
	uint64_t h = hash_bytes(e->seed ^ type, a, 16);

	return (size_t)(h & (e->nbuckets - 1));
}

static size_t id_bucket(const struct ternd_engine6 *e, const uint8_t *duid,
			size_t len, uint32_t iaid, uint8_t type)
{
	uint64_t h = hash_bytes(e->seed ^ type, duid, len);

	h = hash_bytes(h, &iaid, sizeof(iaid));
	return (size_t)(h & (e->nbuckets - 1));
}

bool e6_owned_by(const struct ternd_lease6 *l, const uint8_t *duid,
		 size_t duid_len, uint32_t iaid)
{
	/* A reclaimed binding is still its client's to get back (Kea keeps
	 * its DUID and IAID); a declined address is no one's. */
	return l->state != TERND_LEASE6_DECLINED && l->duid_len == duid_len &&
	       l->iaid == iaid && memcmp(l->duid, duid, duid_len) == 0;
}

struct ternd_lease6 *e6_find_addr(const struct ternd_engine6 *e, uint8_t type,
				  const struct in6_addr *a)
{
	for (uint32_t i = e->by_addr[addr_bucket(e, type, a)]; i != E6_NIL;
	     i = e->slots[i].next_addr)
		if (e->slots[i].l.type == type &&
		    memcmp(&e->slots[i].l.addr, a, 16) == 0)
			return &e->slots[i].l;
	return NULL;
}

struct ternd_lease6 *e6_find_id(const struct ternd_engine6 *e,
				const uint8_t *duid, size_t duid_len,
				uint32_t iaid, uint8_t type)
{
	for (uint32_t i = e->by_id[id_bucket(e, duid, duid_len, iaid, type)];
	     i != E6_NIL; i = e->slots[i].next_id) {
		const struct ternd_lease6 *l = &e->slots[i].l;

		if (l->type == type && e6_owned_by(l, duid, duid_len, iaid))
			return &e->slots[i].l;
	}
	return NULL;
}

static void unlink_id(struct ternd_engine6 *e, uint32_t idx)
{
	const struct ternd_lease6 *l = &e->slots[idx].l;
	uint32_t *p;

	if (!l->duid_len)
		return;
	p = &e->by_id[id_bucket(e, l->duid, l->duid_len, l->iaid, l->type)];
	while (*p != E6_NIL && *p != idx)
		p = &e->slots[*p].next_id;
	if (*p == idx)
		*p = e->slots[idx].next_id;
}

static void link_id(struct ternd_engine6 *e, uint32_t idx)
{
	const struct ternd_lease6 *l = &e->slots[idx].l;
	size_t b;

	e->slots[idx].next_id = E6_NIL;
	if (!l->duid_len)
		return;
	b = id_bucket(e, l->duid, l->duid_len, l->iaid, l->type);
	e->slots[idx].next_id = e->by_id[b];
	e->by_id[b] = idx;
}

static struct ternd_engine6_subnet_stats *
sub_stats(const struct ternd_engine6 *e, uint32_t subnet_id)
{
	const struct ternd_subnet6 *s =
		ternd_config6_subnet_by_id(e->c6, subnet_id);

	return s ? &e->sst[s - e->c6->subnets] : NULL;
}

/* What l adds to (d 1) or takes from (d -1) the counts of held leases. */
static void count(struct ternd_engine6 *e, const struct ternd_lease6 *l, int d)
{
	struct ternd_engine6_subnet_stats *ss;
	uint64_t *g, *sub;

	if (l->state == TERND_LEASE6_DECLINED) {
		g = &e->st.declined;
	} else if (l->state != TERND_LEASE6_BOUND) {
		return;
	} else {
		g = l->type == TERND_LEASE6_PD ? &e->st.pd_assigned
					       : &e->st.na_assigned;
	}
	*g += (uint64_t)(int64_t)d;
	if (!(ss = sub_stats(e, l->subnet_id)))
		return;
	sub = l->state == TERND_LEASE6_DECLINED ? &ss->declined
	      : l->type == TERND_LEASE6_PD	? &ss->assigned_pd
						: &ss->assigned_na;
	*sub += (uint64_t)(int64_t)d;
}

/* Kea's cumulative-assigned-*: a binding new to its client, not one
 * extended (the same client's, still running, bound again). */
static void count_new(struct ternd_engine6 *e, const struct ternd_lease6 *old,
		      const struct ternd_lease6 *l)
{
	struct ternd_engine6_subnet_stats *ss;

	if (e->restoring || l->state != TERND_LEASE6_BOUND)
		return;
	if (old && old->state == TERND_LEASE6_BOUND && old->expire > l->cltt &&
	    e6_owned_by(old, l->duid, l->duid_len, l->iaid))
		return;
	if (!(ss = sub_stats(e, l->subnet_id)))
		return;
	if (l->type == TERND_LEASE6_PD)
		ss->cumulative_pd++;
	else
		ss->cumulative_na++;
}

struct ternd_lease6 *e6_put(struct ternd_engine6 *e,
			    const struct ternd_lease6 *l)
{
	struct ternd_lease6 *old = e6_find_addr(e, l->type, &l->addr);
	uint32_t idx;
	size_t b;

	if (old) {
		idx = (uint32_t)((struct e6_slot *)(void *)old - e->slots);
		count_new(e, old, l);
		count(e, old, -1);
		unlink_id(e, idx);
		e->slots[idx].l = *l;
		link_id(e, idx);
		count(e, l, 1);
		return &e->slots[idx].l;
	}
	if (e->free_head == E6_NIL)
		return NULL;
	idx = e->free_head;
	e->free_head = e->slots[idx].next_addr;
	e->slots[idx].used = true;
	e->slots[idx].l = *l;
	b = addr_bucket(e, l->type, &l->addr);
	e->slots[idx].next_addr = e->by_addr[b];
	e->by_addr[b] = idx;
	link_id(e, idx);
	e->n++;
	count_new(e, NULL, l);
	count(e, l, 1);
	return &e->slots[idx].l;
}

void e6_del(struct ternd_engine6 *e, uint8_t type, const struct in6_addr *a)
{
	uint32_t *p = &e->by_addr[addr_bucket(e, type, a)];

	while (*p != E6_NIL) {
		uint32_t idx = *p;
		struct e6_slot *s = &e->slots[idx];

		if (s->l.type == type && memcmp(&s->l.addr, a, 16) == 0) {
			*p = s->next_addr;
			unlink_id(e, idx);
			count(e, &s->l, -1);
			s->used = false;
			s->next_addr = e->free_head;
			e->free_head = idx;
			e->n--;
			return;
		}
		p = &s->next_addr;
	}
}

bool e6_full(const struct ternd_engine6 *e)
{
	return e->free_head == E6_NIL;
}

struct ternd_lease6 *e6_expired_slot(struct ternd_engine6 *e, int64_t now)
{
	for (size_t k = 0; k < e->cap; k++) {
		size_t i = (e->reclaim_pos + k) % e->cap;

		if (e->slots[i].used && e->slots[i].l.expire <= now) {
			e->reclaim_pos = (i + 1) % e->cap;
			return &e->slots[i].l;
		}
	}
	return NULL;
}

int ternd_engine6_new(const struct ternd_config *cfg, size_t max_leases,
		      const uint8_t *server_duid, size_t duid_len,
		      struct ternd_engine6 **ret)
{
	struct ternd_engine6 *e;
	size_t nsub;

	if (!cfg || !cfg->v6 || !ret || !server_duid || duid_len < 2 ||
	    duid_len > TERN_DHCP6_DUID_MAX_LEN || max_leases == 0 ||
	    max_leases >= E6_NIL)
		return -EINVAL;
	if (!(e = calloc(1, sizeof(*e))))
		return -ENOMEM;
	e->cfg = cfg;
	e->c6 = cfg->v6;
	e->duid = server_duid;
	e->duid_len = duid_len;
	e->cap = max_leases;
	for (e->nbuckets = 64; e->nbuckets < max_leases; e->nbuckets <<= 1)
		;
	/* A fixed seed mixed with the table's address: no clock or random
	 * source in the engine; the chains only need to spread. */
	e->seed = 0xcbf29ce484222325ull ^ (uint64_t)(uintptr_t)e;
	nsub = e->c6->n_subnets ? e->c6->n_subnets : 1;
	e->slots = calloc(max_leases, sizeof(*e->slots));
	e->by_addr = malloc(e->nbuckets * sizeof(*e->by_addr));
	e->by_id = malloc(e->nbuckets * sizeof(*e->by_id));
	e->na_cursor = calloc(nsub * TERND6_MAX_POOLS, sizeof(uint64_t));
	e->pd_cursor = calloc(nsub * TERND6_MAX_POOLS, sizeof(uint64_t));
	e->sst = calloc(nsub, sizeof(*e->sst));
	e->last_pick = calloc(nsub * 2, sizeof(uint64_t));
	if (!e->slots || !e->by_addr || !e->by_id || !e->na_cursor ||
	    !e->pd_cursor || !e->sst || !e->last_pick) {
		ternd_engine6_free(e);
		return -ENOMEM;
	}
	for (size_t i = 0; i < e->nbuckets; i++)
		e->by_addr[i] = e->by_id[i] = E6_NIL;
	for (size_t i = 0; i < max_leases; i++)
		e->slots[i].next_addr =
			i + 1 < max_leases ? (uint32_t)(i + 1) : E6_NIL;
	e->free_head = 0;
	/* Servers sharing one database: each its own slice first. */
	if (cfg->store_type == TERND_STORE_POSTGRESQL &&
	    cfg->store_pg.servers > 1)
		(void)ternd_engine6_share_pools(e, cfg->store_pg.server_index,
						cfg->store_pg.servers);
	*ret = e;
	return 0;
}

void ternd_engine6_free(struct ternd_engine6 *e)
{
	if (!e)
		return;
	free(e->slots);
	free(e->by_addr);
	free(e->by_id);
	free(e->na_cursor);
	free(e->pd_cursor);
	free(e->sst);
	free(e->last_pick);
	free(e);
}

int ternd_engine6_restore(struct ternd_engine6 *e, const struct ternd_lease6 *l)
{
	if (!e || !l || l->plen > 128 ||
	    (l->type != TERND_LEASE6_NA && l->type != TERND_LEASE6_PD) ||
	    l->duid_len > TERND_LEASE6_DUID_MAX)
		return -EINVAL;
	{
		bool ok;

		e->restoring = true;
		ok = e6_put(e, l) != NULL;
		e->restoring = false;
		return ok ? 0 : -ENOSPC;
	}
}

const struct ternd_engine6_subnet_stats *
ternd_engine6_subnet_stats(const struct ternd_engine6 *e, size_t idx)
{
	return e && idx < e->c6->n_subnets ? &e->sst[idx] : NULL;
}

const struct ternd_engine6_stats *
ternd_engine6_stats(const struct ternd_engine6 *e)
{
	return &e->st;
}

size_t ternd_engine6_count(const struct ternd_engine6 *e)
{
	return e->n;
}

const struct ternd_lease6 *ternd_engine6_find(const struct ternd_engine6 *e,
					      uint8_t type,
					      const struct in6_addr *addr)
{
	return e6_find_addr(e, type, addr);
}

int ternd_engine6_make_duid(uint8_t kind, const uint8_t *hw, size_t hw_len,
			    uint32_t time, uint32_t enterprise,
			    const uint8_t *ident, size_t ident_len,
			    uint8_t *out, size_t cap)
{
	size_t n = 0;

	if (!out || cap < TERN_DHCP6_DUID_MAX_LEN)
		return -EINVAL;
	out[n++] = 0;
	out[n++] = kind;
	switch (kind) {
	case TERND6_SERVER_ID_LLT:
	case TERND6_SERVER_ID_LL:
		if (!hw || hw_len == 0 || hw_len > 16)
			return -EINVAL;
		out[n++] = 0;
		out[n++] = 1; /* Ethernet */
		if (kind == TERND6_SERVER_ID_LLT) {
			out[n++] = (uint8_t)(time >> 24);
			out[n++] = (uint8_t)(time >> 16);
			out[n++] = (uint8_t)(time >> 8);
			out[n++] = (uint8_t)time;
		}
		memcpy(out + n, hw, hw_len);
		return (int)(n + hw_len);
	case TERND6_SERVER_ID_EN:
		if (!ident || ident_len == 0 || ident_len > 120)
			return -EINVAL;
		out[n++] = (uint8_t)(enterprise >> 24);
		out[n++] = (uint8_t)(enterprise >> 16);
		out[n++] = (uint8_t)(enterprise >> 8);
		out[n++] = (uint8_t)enterprise;
		memcpy(out + n, ident, ident_len);
		return (int)(n + ident_len);
	default:
		return -EINVAL;
	}
}
