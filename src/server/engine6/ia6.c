/* ternd DHCPv6 engine: the IAs of a request (IA_NA, IA_PD): bindings found,
 * extended, allocated (reservation, hint, pools), released, declined; T1/T2
 * and lifetimes; status codes inside the IA (RFC 7550, spec A1.5). */
#include <stdio.h>
#include <string.h>

#include "server/engine6/internal6.h"

#define OPT_PD_EXCLUDE 67 /* RFC 6603 */

void e6_tee(const struct ternd_params6 *p, uint32_t pref, uint32_t *t1,
	    uint32_t *t2)
{
	uint32_t a = 0, b = 0;

	if (pref == TERND6_INFINITY && p->calculate_tee_times) {
		a = b = TERND6_INFINITY;
	} else if (p->calculate_tee_times) {
		a = (uint32_t)((double)pref * p->t1_percent);
		b = (uint32_t)((double)pref * p->t2_percent);
	}
	if (p->has_renew)
		a = p->renew_timer;
	if (p->has_rebind)
		b = p->rebind_timer;
	/* Clients drop an IA with T1 > T2 (§21.4); Kea sends T1 = 0 when
	 * T1 >= T2 (spec A1.7). Infinity for both stays. */
	if (b && a >= b && !(a == TERND6_INFINITY && b == TERND6_INFINITY))
		a = 0;
	*t1 = a;
	*t2 = b;
}

bool e6_change(struct e6_req *r, uint8_t op, const struct ternd_lease6 *l)
{
	if (r->n_changes >= r->max_changes) {
		r->no_room = true;
		return false;
	}
	r->changes[r->n_changes].op = op;
	r->changes[r->n_changes].lease = *l;
	r->n_changes++;
	return true;
}

/* ---- 128-bit address arithmetic ---- */

/* a += v << shift (shift < 128), big-endian, carries dropped past bit 0. */
static void add_shifted(struct in6_addr *a, uint64_t v, unsigned shift)
{
	unsigned carry = 0;

	for (int i = 15; i >= 0; i--) {
		unsigned bit = (unsigned)(15 - i) * 8; /* of this byte */
		unsigned add = 0;

		if (bit + 8 > shift && bit < shift + 64) {
			int s = (int)bit - (int)shift;

			add = (unsigned)((s >= 0 ? v >> s : v << -s) & 0xff);
		}
		carry += a->s6_addr[i] + add;
		a->s6_addr[i] = (uint8_t)carry;
		carry >>= 8;
	}
}

static uint64_t low64(const struct in6_addr *a)
{
	uint64_t v = 0;

	for (int i = 8; i < 16; i++)
		v = v << 8 | a->s6_addr[i];
	return v;
}

/* Number of addresses of a pool, capped at 2^64 - 1. */
static uint64_t pool_size(const struct ternd_pool6 *p)
{
	if (memcmp(&p->first, &p->last, 8) != 0)
		return UINT64_MAX;
	{
		uint64_t d = low64(&p->last) - low64(&p->first);

		return d == UINT64_MAX ? d : d + 1;
	}
}

static bool in_pool(const struct ternd_pool6 *p, const struct in6_addr *a)
{
	return memcmp(a, &p->first, 16) >= 0 && memcmp(a, &p->last, 16) <= 0;
}

static bool in_prefix(const struct in6_addr *a, const struct in6_addr *p,
		      uint8_t plen)
{
	for (int i = 0; i < 16; i++) {
		int bits = (int)plen - 8 * i;
		uint8_t m;

		if (bits <= 0)
			break;
		m = bits >= 8 ? 0xff : (uint8_t)(0xff << (8 - bits));
		if ((a->s6_addr[i] ^ p->s6_addr[i]) & m)
			return false;
	}
	return true;
}

/* ---- who may have what ---- */

static uint8_t lease_type(uint16_t code)
{
	return code == TERN_DHCP6_OPT_IA_PD ? TERND_LEASE6_PD : TERND_LEASE6_NA;
}

const struct ternd_subnet6 *e6_next_subnet(const struct ternd_engine6 *e,
					   const struct ternd_subnet6 *first,
					   const struct ternd_subnet6 *cur)
{
	const struct ternd_network6 *n = cur->network;
	size_t ci = (size_t)(cur - e->c6->subnets), k;
	const struct ternd_subnet6 *next;

	if (!n || !n->n_members)
		return NULL;
	for (k = 0; k < n->n_members && n->members[k] != ci; k++)
		;
	if (k == n->n_members)
		return NULL;
	next = &e->c6->subnets[n->members[(k + 1) % n->n_members]];
	return next == first ? NULL : next;
}

/* Kea's getPreferredSubnet: of sel's network, the subnet with the latest
 * pool pick of this lease type (sel on a tie). */
static const struct ternd_subnet6 *
preferred(const struct e6_req *r, const struct ternd_subnet6 *sel, bool pd)
{
	const struct ternd_engine6 *e = r->e;
	const struct ternd_subnet6 *best = sel;
	uint64_t t = e->last_pick[(size_t)(sel - e->c6->subnets) * 2 + pd];

	for (const struct ternd_subnet6 *s = e6_walk(r, sel, sel); s;
	     s = e6_walk(r, sel, s)) {
		uint64_t x =
			e->last_pick[(size_t)(s - e->c6->subnets) * 2 + pd];

		if (x > t) {
			t = x;
			best = s;
		}
	}
	return best;
}

static bool reserved_for_other(const struct e6_req *r,
			       const struct ternd_subnet6 *s,
			       const struct in6_addr *a)
{
	if (r->res)
		for (size_t i = 0; i < r->res->n_addrs; i++)
			if (memcmp(&r->res->addrs[i], a, 16) == 0)
				return false;
	return ternd_subnet6_addr_reserved(s, a);
}

/* A delegated prefix starting at a is another host's reservation in s
 * (reserved prefixes lie in a pd-pool cut at its delegated length, so
 * the start names it): a pool never hands it out to someone else. */
static bool prefix_reserved_for_other(const struct e6_req *r,
				      const struct ternd_subnet6 *s,
				      const struct in6_addr *a)
{
	if (r->res)
		for (size_t i = 0; i < r->res->n_prefixes; i++)
			if (memcmp(&r->res->prefixes[i].prefix, a, 16) == 0)
				return false;
	for (size_t i = 0; i < s->n_res; i++)
		for (size_t j = 0; j < s->res[i].n_prefixes; j++)
			if (memcmp(&s->res[i].prefixes[j].prefix, a, 16) == 0)
				return true;
	return false;
}

/* Whether (type, a) of subnet s may go to this client's IA now. */
static bool free_for(const struct e6_req *r, const struct ternd_subnet6 *s,
		     uint8_t type, const struct in6_addr *a, uint32_t iaid)
{
	const struct ternd_lease6 *l = e6_find_addr(r->e, type, a);
	bool chk = e6_pools_check_res(s);

	if (chk && type == TERND_LEASE6_NA && reserved_for_other(r, s, a))
		return false;
	if (chk && type == TERND_LEASE6_PD &&
	    prefix_reserved_for_other(r, s, a))
		return false;
	if (!l)
		return true;
	if (e6_owned_by(l, r->client_id, r->client_id_len, iaid))
		return true;
	return l->expire <= r->now;
}

static const struct ternd_pdpool6 *pd_pool_of(const struct ternd_subnet6 *s,
					      const struct in6_addr *p,
					      uint8_t plen)
{
	for (size_t i = 0; s && i < s->n_pd_pools; i++)
		if (s->pd_pools[i].delegated_len == plen &&
		    in_prefix(p, &s->pd_pools[i].prefix,
			      s->pd_pools[i].prefix_len))
			return &s->pd_pools[i];
	return NULL;
}

/* Kea's getPool(type, a, false): containment only, no class check. */
static const struct ternd_pool6 *na_pool_at(const struct ternd_subnet6 *s,
					    const struct in6_addr *a)
{
	for (size_t i = 0; i < s->n_pools; i++)
		if (in_pool(&s->pools[i], a))
			return &s->pools[i];
	return NULL;
}

static const struct ternd_pdpool6 *pd_pool_at(const struct ternd_subnet6 *s,
					      const struct in6_addr *a)
{
	for (size_t i = 0; i < s->n_pd_pools; i++)
		if (in_prefix(a, &s->pd_pools[i].prefix,
			      s->pd_pools[i].prefix_len))
			return &s->pd_pools[i];
	return NULL;
}

bool e6_pool_of(const struct ternd_subnet6 *s, const struct e6_got *g,
		const struct ternd_optlist6 **ret_opts,
		const struct ternd_class_use **ret_cls)
{
	const struct ternd_pool6 *p;
	const struct ternd_pdpool6 *pp;

	if (g->plen == 128 && (p = na_pool_at(s, &g->a))) {
		*ret_opts = &p->options;
		*ret_cls = &p->cls;
		return true;
	}
	if (g->plen != 128 && (pp = pd_pool_at(s, &g->a))) {
		*ret_opts = &pp->options;
		*ret_cls = &pp->cls;
		return true;
	}
	return false;
}

/* The nth reserved address / prefix of the client not held by another. */
static bool from_reservation(struct e6_req *r, const struct e6_ia *ia,
			     size_t nth, struct in6_addr *ret, uint8_t *ret_len)
{
	uint8_t type = lease_type(ia->code);
	size_t n =
		type == TERND_LEASE6_PD ? r->res->n_prefixes : r->res->n_addrs;

	for (size_t k = nth; k < n; k++) {
		const struct in6_addr *a = type == TERND_LEASE6_PD
						   ? &r->res->prefixes[k].prefix
						   : &r->res->addrs[k];

		struct e6_got g = {*a, type == TERND_LEASE6_PD
					       ? r->res->prefixes[k].len
					       : 128};
		const struct ternd_optlist6 *o;
		const struct ternd_class_use *u;

		/* out-of-pool: Kea skips a reserved one inside a pool. */
		if (r->res_subnet->params.res_out_of_pool &&
		    e6_pool_of(r->res_subnet, &g, &o, &u))
			continue;
		if (!free_for(r, r->res_subnet, type, a, ia->iaid))
			continue;
		*ret = *a;
		*ret_len =
			type == TERND_LEASE6_PD ? r->res->prefixes[k].len : 128;
		return true;
	}
	return false;
}

/* A hint in a pool of s. */
static bool hint_in(struct e6_req *r, const struct ternd_subnet6 *s,
		    const struct e6_ia *ia, struct in6_addr *ret,
		    uint8_t *ret_len)
{
	uint8_t type = lease_type(ia->code);

	for (size_t k = 0; k < ia->n_hints; k++) {
		const struct in6_addr *a = &ia->hint[k];
		bool ok = false;

		if (type == TERND_LEASE6_NA) {
			for (size_t p = 0; p < s->n_pools; p++)
				ok |= in_pool(&s->pools[p], a) &&
				      e6_allows(r, &s->pools[p].cls);
		} else {
			const struct ternd_pdpool6 *pp =
				pd_pool_of(s, a, ia->hint_len[k]);

			ok = pp && e6_allows(r, &pp->cls) &&
			     in_prefix(a, a, ia->hint_len[k]);
			/* bits past the length must be zero */
			if (ok) {
				struct in6_addr x = *a;

				for (int i = 0; i < 16; i++) {
					int bits = (int)ia->hint_len[k] - 8 * i;

					if (bits < 8)
						x.s6_addr[i] &=
							bits <= 0
								? 0
								: (uint8_t)(0xff
									    << (8 -
										bits));
				}
				ok = memcmp(&x, a, 16) == 0;
			}
		}
		if (ok && free_for(r, s, type, a, ia->iaid)) {
			*ret = *a;
			*ret_len = ia->hint_len[k];
			return true;
		}
	}
	return false;
}

/* The hints in the selected subnet, then in the others of its network. */
static bool from_hint(struct e6_req *r, const struct e6_ia *ia,
		      struct in6_addr *ret, uint8_t *ret_len,
		      const struct ternd_subnet6 **ret_s)
{
	for (const struct ternd_subnet6 *s = r->subnet; s;
	     s = e6_walk(r, r->subnet, s))
		if (hint_in(r, s, ia, ret, ret_len)) {
			*ret_s = s;
			return true;
		}
	return false;
}

static bool pools_of(struct e6_req *r, const struct ternd_subnet6 *s,
		     const struct e6_ia *ia, struct in6_addr *ret,
		     uint8_t *ret_len)
{
	size_t si = (size_t)(s - r->e->c6->subnets);
	bool pd = ia->code == TERN_DHCP6_OPT_IA_PD;
	size_t np = pd ? s->n_pd_pools : s->n_pools;

	for (size_t p = 0; p < np; p++) {
		uint64_t *cur = (pd ? r->e->pd_cursor : r->e->na_cursor) +
				si * TERND6_MAX_POOLS + p;
		uint64_t size, tries;
		const struct in6_addr *base;
		unsigned shift;

		/* Kea's pools of a class only for its members. */
		if (!e6_allows(r, pd ? &s->pd_pools[p].cls : &s->pools[p].cls))
			continue;
		/* A pick in this subnet (Kea's last allocated time). */
		r->e->last_pick[si * 2 + pd] = ++r->e->pick_seq;
		if (pd) {
			const struct ternd_pdpool6 *pp = &s->pd_pools[p];

			size = 1ull << (pp->delegated_len - pp->prefix_len);
			base = &pp->prefix;
			shift = 128u - pp->delegated_len;
		} else {
			size = pool_size(&s->pools[p]);
			base = &s->pools[p].first;
			shift = 0;
		}
		tries = size < E6_ALLOC_TRIES ? size : E6_ALLOC_TRIES;
		for (uint64_t t = 0; t < tries; t++) {
			struct in6_addr a = *base;
			uint64_t off = *cur;

			*cur = size == UINT64_MAX || off + 1 < size ? off + 1
								    : 0;
			add_shifted(&a, off, shift);
			if (!free_for(r, s, lease_type(ia->code), &a, ia->iaid))
				continue;
			*ret = a;
			*ret_len = pd ? s->pd_pools[p].delegated_len : 128;
			return true;
		}
	}
	return false;
}

int ternd_engine6_share_pools(struct ternd_engine6 *e, uint32_t index,
			      uint32_t n)
{
	if (!e || n == 0 || index >= n)
		return -EINVAL;
	for (size_t si = 0; si < e->c6->n_subnets; si++) {
		const struct ternd_subnet6 *s = &e->c6->subnets[si];

		for (size_t p = 0; p < s->n_pools; p++)
			e->na_cursor[si * TERND6_MAX_POOLS + p] =
				(uint64_t)((unsigned __int128)pool_size(
						   &s->pools[p]) *
					   index / n);
		for (size_t p = 0; p < s->n_pd_pools; p++) {
			unsigned bits = s->pd_pools[p].delegated_len -
					s->pd_pools[p].prefix_len;
			uint64_t size = bits >= 64 ? UINT64_MAX : 1ull << bits;

			e->pd_cursor[si * TERND6_MAX_POOLS + p] =
				(uint64_t)((unsigned __int128)size * index / n);
		}
	}
	return 0;
}

/* The pools of the network's preferred subnet, then of the others
 * (Kea's allocateUnreservedLeases6); *ret_s is the preferred one when
 * none has a lease to give. */
static bool from_pools(struct e6_req *r, const struct e6_ia *ia,
		       struct in6_addr *ret, uint8_t *ret_len,
		       const struct ternd_subnet6 **ret_s)
{
	const struct ternd_subnet6 *first =
		preferred(r, r->subnet, ia->code == TERN_DHCP6_OPT_IA_PD);

	for (const struct ternd_subnet6 *s = first; s; s = e6_walk(r, first, s))
		if (pools_of(r, s, ia, ret, ret_len)) {
			*ret_s = s;
			return true;
		}
	*ret_s = first;
	return false;
}

/* PD-Exclude (RFC 6603) for prefix p from pool pp: excluded length and
 * the subnet-id bits between delegated-len and it. */
static void put_pd_exclude(struct tern_dhcp6_writer *w,
			   const struct ternd_pdpool6 *pp)
{
	uint8_t v[1 + 16] = {pp->excluded_len};
	unsigned nbits = (unsigned)(pp->excluded_len - pp->delegated_len);

	for (unsigned i = 0; i < nbits; i++) {
		unsigned src = pp->delegated_len + i;

		if (pp->excluded.s6_addr[src / 8] & (0x80 >> (src % 8)))
			v[1 + i / 8] |= (uint8_t)(0x80 >> (i % 8));
	}
	tern_dhcp6_put(w, OPT_PD_EXCLUDE, v, 1 + (nbits + 7) / 8);
}

static void put_binding(struct e6_req *r, const struct ternd_subnet6 *s,
			struct tern_dhcp6_writer *w, const struct e6_ia *ia,
			const struct in6_addr *a, uint8_t plen, uint32_t pref,
			uint32_t valid)
{
	if (ia->code == TERN_DHCP6_OPT_IA_NA) {
		tern_dhcp6_begin_iaaddr(w, a, pref, valid);
	} else {
		const struct ternd_pdpool6 *pp = pd_pool_of(s, a, plen);

		tern_dhcp6_begin_iaprefix(w, pref, valid, plen, a);
		if (valid && pp && pp->excluded_len &&
		    tern_dhcp6_oro_has(r->oro, r->oro_len, OPT_PD_EXCLUDE))
			put_pd_exclude(w, pp);
	}
	tern_dhcp6_end(w);
}

static void ia_status(struct tern_dhcp6_writer *w, const struct e6_ia *ia,
		      uint16_t status, const char *msg)
{
	tern_dhcp6_begin_ia(w, ia->code, ia->iaid, 0, 0);
	tern_dhcp6_put_status(w, status, msg);
	tern_dhcp6_end(w);
}

static void no_lease(struct tern_dhcp6_writer *w, const struct e6_ia *ia)
{
	if (ia->code == TERN_DHCP6_OPT_IA_PD)
		ia_status(w, ia, TERN_DHCP6_STATUS_NO_PREFIX_AVAIL,
			  "No prefixes available");
	else
		ia_status(w, ia, TERN_DHCP6_STATUS_NO_ADDRS_AVAIL,
			  "No addresses available");
}

/* Kea's Triplet::get: what the client asks for, within the bounds. */
static uint32_t bounded(const struct e6_life *l, uint32_t hint)
{
	if (!hint)
		return l->v;
	return hint <= l->min ? l->min : hint >= l->max ? l->max : hint;
}

/*
 * Kea 2.2's lifetimes for a lease of s: a new one (createLease6) takes
 * the request's classes' triplets, else the subnet's (getLifetimes6); a
 * client's existing one keeps what it was given in a Solicit or Request
 * (updateLeaseData) and gets the subnet's in a Renew or Rebind
 * (extendLease6), as does an ended one of another client taken over
 * (reuseExpiredLease). What the IA's first address or prefix asks for is
 * taken within the triplet's bounds.
 */
static void lifetimes(const struct e6_req *r, uint8_t t, const struct e6_ia *ia,
		      const struct ternd_lease6 *b, bool found_b,
		      const struct in6_addr *a, uint8_t type,
		      const struct ternd_params6 *p, uint32_t *pref,
		      uint32_t *valid)
{
	struct e6_life lp = {p->preferred, p->min_preferred, p->max_preferred};
	struct e6_life lv = {p->valid, p->min_valid, p->max_valid};
	struct e6_life cp = lp, cv = lv;

	if (found_b && (t == TERN_DHCP6_SOLICIT || t == TERN_DHCP6_REQUEST)) {
		*pref = b->preferred;
		*valid = b->valid;
		return;
	}
	/* Looked up only when a class would give something. */
	if (!found_b && e6_class_lifetimes(r, &cp, &cv) &&
	    !e6_find_addr(r->e, type, a)) {
		lp = cp;
		lv = cv;
	}
	*pref = bounded(&lp, ia->hint_pref);
	*valid = bounded(&lv, ia->hint_valid);
}

static void answer_ia(struct e6_req *r, struct tern_dhcp6_writer *w,
		      const struct e6_ia *ia, size_t nth, uint8_t t)
{
	uint8_t type = lease_type(ia->code);
	const struct ternd_subnet6 *s = r->subnet, *bs;
	const struct ternd_params6 *p;
	struct ternd_lease6 *b, nl;
	struct in6_addr a;
	uint8_t plen = 128;
	uint32_t t1, t2, pref, valid;
	bool found = false, found_b;

	if (!r->subnet) {
		/* RENEW with no subnet: the binding is unknown here (Kea
		 * for IA_NA); SOLICIT / REQUEST: nothing to give. */
		if (t == TERN_DHCP6_RENEW)
			ia_status(w, ia, TERN_DHCP6_STATUS_NO_BINDING,
				  "No binding for this IA");
		else
			no_lease(w, ia);
		return;
	}
	/* The client's binding in any subnet of its link is its binding
	 * (Kea's renewLeases6 over the shared network), unless its classes
	 * no longer let it use that subnet (Kea then gives it up). */
	b = e6_find_id(r->e, r->client_id, r->client_id_len, ia->iaid, type);
	bs = b ? ternd_config6_subnet_by_id(r->e->c6, b->subnet_id) : NULL;
	if (bs && ternd_subnet6_same_link(bs, r->subnet) &&
	    e6_subnet_ok(r, bs) &&
	    (type == TERND_LEASE6_PD || ternd_subnet6_has(bs, &b->addr)) &&
	    (!r->res || !reserved_for_other(r, bs, &b->addr))) {
		a = b->addr;
		plen = b->plen;
		s = bs;
		found = true;
	}
	found_b = found;
	/* Kea's allocateReservedLeases6, then removeNonreservedLeases6: a
	 * binding that is none of the client's reservations gives way to a
	 * reserved address or prefix free now (a new lease). */
	if (found && !e6_host_holds(r, b)) {
		struct in6_addr ra;
		uint8_t rl;

		if (r->res && r->res_subnet &&
		    from_reservation(r, ia, nth, &ra, &rl)) {
			a = ra;
			plen = rl;
			s = r->res_subnet;
			found_b = false;
		} else if (r->ghost && e6_from_global(r, ia, &ra, &rl)) {
			a = ra;
			plen = rl;
			s = r->subnet;
			found_b = false;
		}
	}
	/* The reservation first, then what the client asks for, then the
	 * pools (RFC 7550: a new IA in Renew/Rebind is allocated too). */
	if (!found && r->res && r->res_subnet) {
		found = from_reservation(r, ia, nth, &a, &plen);
		s = r->res_subnet;
	}
	/* Then the global host's (the lease goes in the selected subnet). */
	if (!found && r->ghost && e6_from_global(r, ia, &a, &plen)) {
		found = true;
		s = r->subnet;
	}
	if (!found)
		found = from_hint(r, ia, &a, &plen, &s);
	if (!found)
		found = from_pools(r, ia, &a, &plen, &s);
	if (!found) {
		e6_count_alloc_fail(r, type, s);
		/* Kea's ctx.subnet_ stays the preferred subnet the walk
		 * started from: the next IA's walk starts there too. */
		r->subnet = s;
		no_lease(w, ia);
		return;
	}
	/* Kea goes on with the subnet the binding is in (ctx.subnet_):
	 * its lifetimes, its options, the next IA's walk. */
	r->subnet = s;
	p = &s->params;
	lifetimes(r, t, ia, b, found_b, &a, type, p, &pref, &valid);
	e6_tee(p, pref, &t1, &t2);
	tern_dhcp6_begin_ia(w, ia->code, ia->iaid, t1, t2);
	put_binding(r, s, w, ia, &a, plen, pref, valid);
	/* What the client lists but may no longer use: 0/0 (§18.3.4,
	 * §18.3.5); a SOLICIT's hints are only hints. */
	if (t != TERN_DHCP6_SOLICIT)
		for (size_t k = 0; k < ia->n_hints; k++)
			if (memcmp(&ia->hint[k], &a, 16) != 0 ||
			    ia->hint_len[k] != plen)
				put_binding(r, s, w, ia, &ia->hint[k],
					    ia->hint_len[k], 0, 0);
	tern_dhcp6_end(w);
	if (r->n_got < E6_MAX_IAS)
		r->got[r->n_got++] = (struct e6_got){a, plen};
	if (!r->commit)
		return;
	memset(&nl, 0, sizeof(nl));
	nl.addr = a;
	nl.plen = plen;
	nl.type = type;
	nl.state = TERND_LEASE6_BOUND;
	nl.duid_len = (uint8_t)r->client_id_len;
	memcpy(nl.duid, r->client_id, r->client_id_len);
	nl.iaid = ia->iaid;
	nl.subnet_id = s->id;
	nl.preferred = pref;
	nl.valid = valid;
	nl.cltt = r->now;
	nl.expire =
		valid == TERND6_INFINITY ? INT64_MAX : r->now + (int64_t)valid;
	if (r->res && r->res->hostname)
		snprintf(nl.hostname, sizeof(nl.hostname), "%s",
			 r->res->hostname);
	/* The old binding of this IA elsewhere goes (the client was told
	 * 0/0 for it if it listed it). */
	if (b && (memcmp(&b->addr, &a, 16) != 0 || b->plen != plen)) {
		if (!e6_change(r, TERND_CHANGE6_DEL, b))
			return;
		e6_del(r->e, type, &b->addr);
	}
	/* A full table gives up a binding that has ended (its row goes
	 * too), so bindings that ended never stop new ones. */
	if (e6_full(r->e) && !e6_find_addr(r->e, type, &a)) {
		struct ternd_lease6 *x = e6_expired_slot(r->e, r->now);

		if (x && e6_change(r, TERND_CHANGE6_DEL, x))
			e6_del(r->e, x->type, &x->addr);
	}
	if (e6_change(r, TERND_CHANGE6_PUT, &nl) && !e6_put(r->e, &nl))
		r->no_room = true;
}

void e6_answer_ias(struct e6_req *r, struct tern_dhcp6_writer *w, uint8_t t)
{
	size_t n_na = 0, n_pd = 0;

	for (size_t i = 0; i < r->n_ia; i++) {
		const struct e6_ia *ia = &r->ia[i];

		if (ia->code == TERN_DHCP6_OPT_IA_PD)
			answer_ia(r, w, ia, n_pd++, t);
		else
			answer_ia(r, w, ia, n_na++, t);
	}
}

void e6_release_ias(struct e6_req *r, struct tern_dhcp6_writer *w, bool decline)
{
	for (size_t i = 0; i < r->n_ia; i++) {
		const struct e6_ia *ia = &r->ia[i];
		uint8_t type = lease_type(ia->code);
		bool any = false;

		if (decline && type == TERND_LEASE6_PD)
			continue; /* Decline is for addresses (§18.2.8) */
		for (size_t k = 0; k < ia->n_hints; k++) {
			struct ternd_lease6 *l =
				e6_find_addr(r->e, type, &ia->hint[k]);
			struct ternd_lease6 d;

			/* Only what the client holds (spec A1.9 #9). */
			if (!l || !e6_owned_by(l, r->client_id,
					       r->client_id_len, ia->iaid))
				continue;
			any = true;
			if (!decline) {
				if (e6_change(r, TERND_CHANGE6_DEL, l))
					e6_del(r->e, type, &ia->hint[k]);
				continue;
			}
			d = *l;
			d.state = TERND_LEASE6_DECLINED;
			d.duid_len = 0;
			d.iaid = 0;
			d.hostname[0] = '\0';
			d.preferred = d.valid = 0;
			d.cltt = r->now;
			d.expire = r->now +
				   (int64_t)r->e->c6->decline_probation_period;
			if (e6_change(r, TERND_CHANGE6_PUT, &d))
				e6_put(r->e, &d);
		}
		if (!any)
			ia_status(w, ia, TERN_DHCP6_STATUS_NO_BINDING,
				  "No binding for this IA");
	}
}
