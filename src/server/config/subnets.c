/* ternd subnets: subnet4 and shared-networks with their pools and relays,
 * then the checks across subnets (ids, overlaps) and their final order. */
#define _GNU_SOURCE /* qsort_r */
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "server/config/loader.h"

struct pool_tmp {
	struct ternd_pool p;
	struct tjson_pos pos;
};

static void parse_relay(struct loader *ld, const struct tjson *obj,
			const uint32_t **ret, size_t *ret_n)
{
	const struct tjson *list = NULL, *single = NULL;
	uint32_t *v;
	size_t n = 0;

	if (!ld_want_type(ld, obj, TJSON_OBJECT, "a map"))
		return;
	for (const struct tjson *m = obj->child; m; m = m->next) {
		if (strcmp(m->key, "ip-addresses") == 0)
			list = m;
		else if (strcmp(m->key, "ip-address") == 0)
			single = m;
		else
			ld_other_key(ld, m, "relay");
	}
	if (list && single) {
		ld_error_at(
			ld, single->kpos,
			"relay has both \"ip-address\" and \"ip-addresses\"");
		return;
	}
	if (single) {
		if (!(v = ld_aalloc(ld, ld->a, 1, sizeof(*v))))
			return;
		if (ld_get_addr(ld, single, &v[0])) {
			*ret = v;
			*ret_n = 1;
		}
		return;
	}
	if (!list || !ld_want_type(ld, list, TJSON_ARRAY, "a list"))
		return;
	if (list->n > TERND_MAX_RELAYS) {
		ld_error_at(ld, list->pos, "more than %d relay addresses",
			    TERND_MAX_RELAYS);
		return;
	}
	if (!(v = ld_aalloc(ld, ld->a, list->n, sizeof(*v))))
		return;
	for (const struct tjson *e = list->child; e; e = e->next)
		if (ld_get_addr(ld, e, &v[n]))
			n++;
	*ret = v;
	*ret_n = n;
}

static int cmp_pool(const void *a, const void *b)
{
	const struct pool_tmp *x = a, *y = b;

	return x->p.first < y->p.first ? -1 : x->p.first > y->p.first;
}

static void parse_pools(struct loader *ld, const struct tjson *arr,
			struct ternd_subnet *s, const struct subnet_tmp *st)
{
	struct pool_tmp *t;
	struct ternd_pool *v;
	size_t n = 0;

	if (!ld_want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	if (arr->n > TERND_MAX_POOLS) {
		ld_error_at(ld, arr->pos, "more than %d pools in a subnet",
			    TERND_MAX_POOLS);
		return;
	}
	if (!(t = ld_aalloc(ld, ld->tmp, arr->n, sizeof(*t))))
		return;
	for (const struct tjson *o = arr->child; o; o = o->next) {
		const struct tjson *pool = NULL, *opts = NULL;
		char lo[INET_ADDRSTRLEN + 8], hi[INET_ADDRSTRLEN + 8];
		const char *dash;
		uint32_t first, last;
		uint8_t plen;

		if (!ld_want_type(ld, o, TJSON_OBJECT, "a map"))
			continue;
		memset(&t[n], 0, sizeof(t[n]));
		for (const struct tjson *m = o->child; m; m = m->next) {
			if (strcmp(m->key, "pool") == 0)
				pool = m;
			else if (ld_parse_class_use(ld, m, &t[n].p.cls))
				;
			else if (strcmp(m->key, "option-data") == 0)
				opts = m;
			else
				ld_other_key(ld, m, "pool");
		}
		if (!pool) {
			ld_error_at(ld, o->pos, "pool entry needs \"pool\"");
			continue;
		}
		if (!ld_want_type(ld, pool, TJSON_STRING, "a string"))
			continue;
		dash = strchr(pool->s, '-');
		if (dash) {
			/* "a - b", blanks optional */
			const char *p = pool->s, *e = dash;
			size_t l;

			while (*p == ' ')
				p++;
			while (e > p && e[-1] == ' ')
				e--;
			l = (size_t)(e - p);
			if (l >= sizeof(lo))
				l = sizeof(lo) - 1;
			memcpy(lo, p, l);
			lo[l] = '\0';
			p = dash + 1;
			while (*p == ' ')
				p++;
			l = strlen(p);
			while (l && p[l - 1] == ' ')
				l--;
			if (l >= sizeof(hi))
				l = sizeof(hi) - 1;
			memcpy(hi, p, l);
			hi[l] = '\0';
			if (!ld_parse_addr(lo, &first) ||
			    !ld_parse_addr(hi, &last)) {
				ld_error_at(
					ld, pool->pos,
					"pool \"%s\" is not \"first - last\" "
					"or a prefix",
					pool->s);
				continue;
			}
			if (first > last) {
				ld_error_at(ld, pool->pos,
					    "pool \"%s\" ends before it starts",
					    pool->s);
				continue;
			}
		} else if (ld_parse_prefix(pool->s, &first, &plen)) {
			if (first & ~ld_mask_of(plen)) {
				ld_error_at(
					ld, pool->pos,
					"pool prefix \"%s\" has host bits set",
					pool->s);
				continue;
			}
			last = first | ~ld_mask_of(plen);
		} else {
			ld_error_at(ld, pool->pos,
				    "pool \"%s\" is not \"first - last\" or a "
				    "prefix",
				    pool->s);
			continue;
		}
		if (st->ok &&
		    (first < s->network || last > (s->network | ~s->mask))) {
			ld_error_at(ld, pool->pos,
				    "pool \"%s\" is outside its subnet",
				    pool->s);
			continue;
		}
		t[n].p.first = first;
		t[n].p.last = last;
		if (opts)
			ld_parse_optlist(ld, opts, &t[n].p.options);
		t[n].pos = pool->pos;
		n++;
	}
	qsort(t, n, sizeof(*t), cmp_pool);
	for (size_t i = 1; i < n; i++) {
		if (t[i].p.first > t[i - 1].p.last)
			continue;
		/* Report at whichever of the two comes later in the file. */
		const struct pool_tmp *later =
			ld_pos_after(t[i].pos, t[i - 1].pos) ? &t[i]
							     : &t[i - 1];
		const struct pool_tmp *other =
			later == &t[i] ? &t[i - 1] : &t[i];
		ld_error_at(ld, later->pos,
			    "pool overlaps the pool at line %u column %u",
			    other->pos.line, other->pos.col);
	}
	if (!(v = ld_aalloc(ld, ld->a, n, sizeof(*v))))
		return;
	for (size_t i = 0; i < n; i++)
		v[i] = t[i].p;
	s->pools = v;
	s->n_pools = n;
}

static void parse_subnet(struct loader *ld, const struct tjson *o, int network)
{
	struct ternd_subnet *s;
	struct subnet_tmp *st;
	const struct tjson *prefix, *pools = NULL, *res = NULL;

	if (!ld_want_type(ld, o, TJSON_OBJECT, "a map"))
		return;
	if (ld->n_subnets >= TERND_MAX_SUBNETS) {
		ld_error_at(ld, o->pos, "more than %d subnets",
			    TERND_MAX_SUBNETS);
		return;
	}
	s = &ld->subnets[ld->n_subnets];
	st = &ld->st[ld->n_subnets];
	st->obj = o;
	st->pos = o->pos;
	st->id_pos = o->pos;
	st->network = network;
	st->order = ld->n_subnets;
	ld->n_subnets++;
	if (network >= 0) {
		const struct ternd_shared_network *sn = &ld->networks[network];

		s->network_of = sn;
		s->iface = sn->iface;
		s->relays = sn->relays;
		s->n_relays = sn->n_relays;
	}
	/* The prefix first: pools and reservations are checked against it
	 * whatever order the keys come in. */
	prefix = tjson_get(o, "subnet");
	if (!prefix) {
		ld_error_at(ld, o->pos, "subnet4 entry needs \"subnet\"");
	} else if (ld_want_type(ld, prefix, TJSON_STRING, "a string")) {
		st->pos = prefix->pos;
		if (!ld_parse_prefix(prefix->s, &s->network, &s->prefix_len)) {
			ld_error_at(
				ld, prefix->pos,
				"\"%s\" is not an IPv4 prefix (a.b.c.d/len)",
				prefix->s);
		} else if (s->network & ~ld_mask_of(s->prefix_len)) {
			ld_error_at(ld, prefix->pos,
				    "subnet \"%s\" has host bits set",
				    prefix->s);
		} else {
			s->mask = ld_mask_of(s->prefix_len);
			st->ok = true;
		}
	}
	for (const struct tjson *m = o->child; m; m = m->next) {
		if (strcmp(m->key, "subnet") == 0) {
			continue;
		} else if (strcmp(m->key, "id") == 0) {
			/* A bad id is reported; it gets no automatic one. */
			st->id_pos = m->pos;
			st->has_id = true;
			ld_get_u32(ld, m, 1, UINT32_MAX, &s->id);
		} else if (strcmp(m->key, "pools") == 0) {
			pools = m;
		} else if (strcmp(m->key, "reservations") == 0) {
			res = m;
		} else if (strcmp(m->key, "option-data") == 0) {
			ld_parse_optlist(ld, m, &s->options);
		} else if (strcmp(m->key, "relay") == 0) {
			const uint32_t *r = NULL;
			size_t nr = 0;

			/* Kea: a subnet without relay addresses of its own
			 * uses its network's. */
			parse_relay(ld, m, &r, &nr);
			if (nr) {
				s->relays = r;
				s->n_relays = nr;
			}
		} else if (strcmp(m->key, "interface") == 0) {
			/* "" = none of its own (Kea). */
			if (m->type != TJSON_STRING || m->len)
				ld_get_ifname(ld, m, &s->iface);
		} else if (ld_parse_class_use(ld, m, &s->cls)) {
			;
		} else if (!ld_parse_param(ld, m, &st->pp)) {
			ld_other_key(ld, m, "subnet4");
		}
	}
	if (pools)
		parse_pools(ld, pools, s, st);
	if (res)
		ld_parse_reservations(ld, res, s, st);
}

void ld_parse_subnet_list(struct loader *ld, const struct tjson *arr,
			  int network)
{
	if (!ld_want_type(ld, arr, TJSON_ARRAY, "a list"))
		return;
	for (const struct tjson *o = arr->child; o; o = o->next)
		parse_subnet(ld, o, network);
}

void ld_parse_shared_network(struct loader *ld, const struct tjson *o)
{
	struct ternd_shared_network *sn;
	struct network_tmp *nt;
	const struct tjson *subnets = NULL, *name;
	int idx;

	if (!ld_want_type(ld, o, TJSON_OBJECT, "a map"))
		return;
	idx = (int)ld->n_networks;
	sn = &ld->networks[ld->n_networks];
	nt = &ld->nt[ld->n_networks];
	nt->pos = o->pos;
	ld->n_networks++;
	name = tjson_get(o, "name");
	if (!name)
		ld_error_at(ld, o->pos, "shared network needs a \"name\"");
	else
		ld_get_str(ld, name, TERND_MAX_STRING, &sn->name);
	for (size_t i = 0; sn->name && i + 1 < ld->n_networks; i++)
		if (ld->networks[i].name &&
		    strcmp(ld->networks[i].name, sn->name) == 0)
			ld_error_at(
				ld, name->pos,
				"shared network \"%s\" is already defined at "
				"line %u",
				sn->name, ld->nt[i].pos.line);
	for (const struct tjson *m = o->child; m; m = m->next) {
		if (strcmp(m->key, "name") == 0)
			continue;
		if (strcmp(m->key, "subnet4") == 0)
			subnets = m;
		else if (strcmp(m->key, "option-data") == 0)
			ld_parse_optlist(ld, m, &sn->options);
		else if (strcmp(m->key, "relay") == 0)
			parse_relay(ld, m, &sn->relays, &sn->n_relays);
		else if (strcmp(m->key, "interface") == 0) {
			if (m->type != TJSON_STRING || m->len)
				ld_get_ifname(ld, m, &sn->iface);
		} else if (ld_parse_class_use(ld, m, &sn->cls)) {
			;
		} else if (!ld_parse_param(ld, m, &nt->pp))
			ld_other_key(ld, m, "shared-networks");
	}
	/* After the network's own keys, so subnets inherit them. */
	if (subnets)
		ld_parse_subnet_list(ld, subnets, idx);
}

/* ---- cross-subnet checks and ordering ---------------------------------- */

static int cmp_idx_network(const void *a, const void *b, void *arg)
{
	const struct loader *ld = arg;
	const struct ternd_subnet *x = &ld->subnets[*(const size_t *)a];
	const struct ternd_subnet *y = &ld->subnets[*(const size_t *)b];

	if (x->network != y->network)
		return x->network < y->network ? -1 : 1;
	if (x->prefix_len != y->prefix_len)
		return x->prefix_len < y->prefix_len ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static int cmp_idx_id(const void *a, const void *b, void *arg)
{
	const struct loader *ld = arg;
	const struct ternd_subnet *x = &ld->subnets[*(const size_t *)a];
	const struct ternd_subnet *y = &ld->subnets[*(const size_t *)b];

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/*
 * Kea's checks of a shared network's subnets (in subnet id order): one
 * authoritative setting (a subnet's own against the network's own, unset
 * meaning false), and at most one interface name.
 */
static void check_networks(struct loader *ld, const size_t *by_id, size_t n)
{
	const char **iface;

	if (!ld->n_networks ||
	    !(iface = ld_aalloc(ld, ld->tmp, ld->n_networks, sizeof(*iface))))
		return;
	for (size_t k = 0; k < ld->n_networks; k++)
		iface[k] = ld->networks[k].iface;
	for (size_t i = 0; i < n; i++) {
		const struct subnet_tmp *st = &ld->st[by_id[i]];
		const struct ternd_subnet *s = &ld->subnets[by_id[i]];
		const struct network_tmp *nt;
		bool net_auth, sub_auth;

		if (st->network < 0)
			continue;
		nt = &ld->nt[st->network];
		net_auth = (nt->pp.set & (1u << P_AUTHORITATIVE)) &&
			   nt->pp.v.authoritative;
		sub_auth = st->pp.set & (1u << P_AUTHORITATIVE)
				   ? st->pp.v.authoritative
				   : net_auth;
		if (sub_auth != net_auth)
			ld_error_at(ld, st->pp.pos[P_AUTHORITATIVE],
				    "subnet has authoritative %s, its shared "
				    "network \"%s\" %s (they must agree)",
				    sub_auth ? "true" : "false",
				    ld->networks[st->network].name
					    ? ld->networks[st->network].name
					    : "",
				    net_auth ? "true" : "false");
		if (!iface[st->network]) {
			iface[st->network] = s->iface;
			continue;
		}
		if (s->iface && strcmp(s->iface, iface[st->network]) != 0)
			ld_error_at(ld, st->pos,
				    "subnet has interface \"%s\", but an "
				    "earlier subnet of its shared network or "
				    "the network itself uses \"%s\"",
				    s->iface, iface[st->network]);
	}
}

void ld_finish_subnets(struct loader *ld)
{
	struct ternd_subnet *v;
	size_t *idx, n = ld->n_subnets;
	uint32_t next_id = 1;

	if (!(idx = ld_aalloc(ld, ld->tmp, n, sizeof(*idx))))
		return;
	for (size_t i = 0; i < n; i++)
		idx[i] = i;
	/*
	 * Kea 2.2 numbers subnets without an id 1, 2, 3, ... as it builds
	 * them: those of shared-networks first (in network order), then
	 * subnet4's; a given id equal to a generated one is a duplicate.
	 */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			if (ld->st[i].has_id ||
			    (pass == 0) != (ld->st[i].network >= 0))
				continue;
			ld->subnets[i].id = next_id++;
			ld_warn_at(ld, ld->st[i].pos,
				   "subnet has no \"id\"; using %u (kea-dhcp4 "
				   "numbers such subnets 1, 2, ... in order)",
				   ld->subnets[i].id);
		}
	qsort_r(idx, n, sizeof(*idx), cmp_idx_id, ld);
	for (size_t i = 1; i < n; i++) {
		const struct subnet_tmp *a = &ld->st[idx[i - 1]];
		const struct subnet_tmp *b = &ld->st[idx[i]];

		if (ld->subnets[idx[i]].id != ld->subnets[idx[i - 1]].id)
			continue;
		if (!b->has_id) {
			const struct subnet_tmp *t = a;

			a = b;
			b = t;
		}
		if (!a->has_id)
			ld_error_at(ld, b->id_pos,
				    "subnet id %u is also the one the subnet "
				    "without \"id\" at line %u gets (kea-dhcp4 "
				    "numbers those 1, 2, ... in order)",
				    ld->subnets[idx[i]].id, a->pos.line);
		else
			ld_error_at(ld, b->id_pos,
				    "subnet id %u is already used at line %u",
				    ld->subnets[idx[i]].id, a->id_pos.line);
	}
	check_networks(ld, idx, n);
	qsort_r(idx, n, sizeof(*idx), cmp_idx_network, ld);
	for (size_t i = 1, prev = 0; i < n; i++) {
		const struct ternd_subnet *a = &ld->subnets[idx[prev]];
		const struct ternd_subnet *b = &ld->subnets[idx[i]];

		if (!ld->st[idx[i]].ok)
			continue;
		if (!ld->st[idx[prev]].ok) {
			prev = i;
			continue;
		}
		if (b->network <= (a->network | ~a->mask)) {
			const struct subnet_tmp *sa = &ld->st[idx[prev]];
			const struct subnet_tmp *sb = &ld->st[idx[i]];
			const struct subnet_tmp *later =
				ld_pos_after(sb->pos, sa->pos) ? sb : sa;
			const struct subnet_tmp *other = later == sb ? sa : sb;

			ld_error_at(ld, later->pos,
				    "subnet overlaps the subnet at line %u",
				    other->pos.line);
			continue; /* keep the wider one as reference */
		}
		prev = i;
	}
	if (!(v = ld_aalloc(ld, ld->a, n, sizeof(*v))))
		return;
	for (size_t i = 0; i < n; i++) {
		const struct subnet_tmp *st = &ld->st[idx[i]];
		const struct pparams *levels[3] = {
			&ld->global,
			st->network >= 0 ? &ld->nt[st->network].pp : NULL,
			&st->pp,
		};

		v[i] = ld->subnets[idx[i]];
		ld_resolve(ld, levels, 3, L_NETWORK, &v[i].params);
	}
	ld->cfg->subnets = v;
	ld->cfg->n_subnets = n;
}
