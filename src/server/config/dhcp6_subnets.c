/* ternd configuration: Dhcp6 subnet6 entries (pools, pd-pools, relays,
 * interface / interface-id, reservations) and the lookups on them. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "server/config/loader6.h"

bool ld6_parse_addr(const char *s, struct in6_addr *ret)
{
	return inet_pton(AF_INET6, s, ret) == 1;
}

bool ld6_parse_prefix(const char *s, struct in6_addr *ret, uint8_t *ret_len)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	unsigned long len;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	if (!(slash = strchr(buf, '/')))
		return false;
	*slash = '\0';
	len = strtoul(slash + 1, &end, 10);
	if (!slash[1] || *end || len > 128 || !ld6_parse_addr(buf, ret))
		return false;
	*ret_len = (uint8_t)len;
	return true;
}

void ld6_mask(struct in6_addr *a, uint8_t plen)
{
	for (int i = 0; i < 16; i++) {
		int bits = (int)plen - 8 * i;

		if (bits >= 8)
			continue;
		a->s6_addr[i] &= bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
	}
}

static bool in_prefix(const struct in6_addr *a, const struct in6_addr *p,
		      uint8_t plen)
{
	struct in6_addr x = *a;

	ld6_mask(&x, plen);
	return memcmp(&x, p, 16) == 0;
}

static int addr_cmp(const struct in6_addr *a, const struct in6_addr *b)
{
	return memcmp(a, b, 16);
}

bool ternd_subnet6_has(const struct ternd_subnet6 *s,
		       const struct in6_addr *addr)
{
	return in_prefix(addr, &s->prefix, s->prefix_len);
}

const struct ternd_subnet6 *
ternd_config6_subnet_by_id(const struct ternd_config6 *c, uint32_t id)
{
	size_t lo = 0, hi = c->n_subnets;

	/* The reader keeps them in id order. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->subnets[mid].id == id)
			return &c->subnets[mid];
		if (c->subnets[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

bool ternd_subnet6_same_link(const struct ternd_subnet6 *a,
			     const struct ternd_subnet6 *b)
{
	return a == b || (a && b && a->network && a->network == b->network);
}

const struct ternd_subnet6 *
ternd_config6_subnet_for_addr(const struct ternd_config6 *c,
			      const struct in6_addr *addr)
{
	for (size_t i = 0; i < c->n_subnets; i++)
		if (ternd_subnet6_has(&c->subnets[i], addr))
			return &c->subnets[i];
	return NULL;
}

const struct ternd_option6 *ternd_optlist6_find(const struct ternd_optlist6 *l,
						uint16_t code)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (l->v[mid].code == code)
			return &l->v[mid];
		if (l->v[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct ternd_reservation6 *
ternd_subnet6_find_host(const struct ternd_subnet6 *s, uint8_t id_type,
			const uint8_t *id, size_t len)
{
	return ternd_hosts6_find(s->res, s->n_res, id_type, id, len);
}

bool ternd_subnet6_addr_reserved(const struct ternd_subnet6 *s,
				 const struct in6_addr *addr)
{
	for (size_t i = 0; i < s->n_res; i++)
		for (size_t j = 0; j < s->res[i].n_addrs; j++)
			if (addr_cmp(&s->res[i].addrs[j], addr) == 0)
				return true;
	return false;
}

/* ---- reading ---- */

static void parse_pool(struct loader *ld, const struct tjson *o,
		       struct ternd_subnet6 *s, struct ternd_pool6 *p, bool *ok)
{
	const struct tjson *pool = NULL;

	*ok = false;
	if (!ld_want_type(ld, o, TJSON_OBJECT, "a map"))
		return;
	for (const struct tjson *m = o->child; m; m = m->next) {
		if (strcmp(m->key, "pool") == 0)
			pool = m;
		else if (strcmp(m->key, "option-data") == 0)
			ld6_parse_optlist(ld, m, &p->options);
		else if (ld6_class_key(ld, m, &p->client_class, &p->cls))
			;
		else
			ld6_other_key(ld, m, "pool");
	}
	if (!pool) {
		ld_error_at(ld, o->pos, "a pool needs \"pool\"");
		return;
	}
	if (!ld_want_type(ld, pool, TJSON_STRING, "a string"))
		return;
	{
		char buf[2 * INET6_ADDRSTRLEN + 8];
		const char *dash = strchr(pool->s, '-');
		uint8_t plen;

		if (pool->len >= sizeof(buf))
			goto bad;
		if (dash) {
			size_t l = (size_t)(dash - pool->s);

			memcpy(buf, pool->s, l);
			while (l && buf[l - 1] == ' ')
				l--;
			buf[l] = '\0';
			while (*++dash == ' ')
				;
			if (!ld6_parse_addr(buf, &p->first) ||
			    !ld6_parse_addr(dash, &p->last))
				goto bad;
		} else {
			if (!ld6_parse_prefix(pool->s, &p->first, &plen))
				goto bad;
			ld6_mask(&p->first, plen);
			p->last = p->first;
			for (int i = 0; i < 16; i++) {
				int bits = (int)plen - 8 * i;

				if (bits < 8)
					p->last.s6_addr[i] |=
						bits <= 0 ? 0xff
							  : (uint8_t)(0xff >>
								      bits);
			}
		}
	}
	if (addr_cmp(&p->first, &p->last) > 0) {
		ld_error_at(ld, pool->pos, "pool \"%s\": first is after last",
			    pool->s);
		return;
	}
	if (!ternd_subnet6_has(s, &p->first) ||
	    !ternd_subnet6_has(s, &p->last)) {
		ld_error_at(ld, pool->pos,
			    "pool \"%s\" is not inside the subnet", pool->s);
		return;
	}
	*ok = true;
	return;
bad:
	ld_error_at(ld, pool->pos,
		    "pool \"%s\" must be \"first-last\" or \"prefix/len\"",
		    pool->s);
}

static void parse_pd_pool(struct loader *ld, const struct tjson *o,
			  struct ternd_pdpool6 *p, bool *ok)
{
	const struct tjson *prefix = NULL, *excl = NULL;
	uint32_t plen = 0, dlen = 0, elen = 0;
	bool has_plen = false, has_dlen = false;

	*ok = false;
	if (!ld_want_type(ld, o, TJSON_OBJECT, "a map"))
		return;
	for (const struct tjson *m = o->child; m; m = m->next) {
		if (strcmp(m->key, "prefix") == 0)
			prefix = m;
		else if (strcmp(m->key, "prefix-len") == 0)
			has_plen = ld_get_u32(ld, m, 1, 128, &plen);
		else if (strcmp(m->key, "delegated-len") == 0)
			has_dlen = ld_get_u32(ld, m, 1, 128, &dlen);
		else if (strcmp(m->key, "excluded-prefix") == 0)
			excl = m;
		else if (strcmp(m->key, "excluded-prefix-len") == 0)
			ld_get_u32(ld, m, 0, 128, &elen);
		else if (strcmp(m->key, "option-data") == 0)
			ld6_parse_optlist(ld, m, &p->options);
		else if (ld6_class_key(ld, m, &p->client_class, &p->cls))
			;
		else
			ld6_other_key(ld, m, "pd-pool");
	}
	if (!prefix || !has_plen || !has_dlen) {
		ld_error_at(ld, o->pos,
			    "a pd-pool needs \"prefix\", \"prefix-len\" and "
			    "\"delegated-len\"");
		return;
	}
	if (!ld_want_type(ld, prefix, TJSON_STRING, "a string"))
		return;
	if (!ld6_parse_addr(prefix->s, &p->prefix)) {
		ld_error_at(ld, prefix->pos, "\"%s\" is not an IPv6 prefix",
			    prefix->s);
		return;
	}
	if (dlen < plen) {
		ld_error_at(ld, o->pos,
			    "delegated-len %u is shorter than prefix-len %u",
			    dlen, plen);
		return;
	}
	if (dlen - plen > 32) {
		ld_error_at(
			ld, o->pos,
			"a pd-pool of more than 2^32 prefixes "
			"(delegated-len - prefix-len > 32) is not supported");
		return;
	}
	{
		struct in6_addr x = p->prefix;

		ld6_mask(&x, (uint8_t)plen);
		if (memcmp(&x, &p->prefix, 16) != 0) {
			ld_error_at(ld, prefix->pos,
				    "prefix %s has bits set past /%u",
				    prefix->s, plen);
			return;
		}
	}
	p->prefix_len = (uint8_t)plen;
	p->delegated_len = (uint8_t)dlen;
	if (excl || elen) {
		if (!excl || !elen ||
		    !ld_want_type(ld, excl, TJSON_STRING, "a string"))
			goto bad_excl;
		if (!ld6_parse_addr(excl->s, &p->excluded) || elen <= dlen)
			goto bad_excl;
		/* RFC 6603: the excluded prefix is inside each delegated
		 * prefix; Kea configures it as inside the first one. */
		if (!in_prefix(&p->excluded, &p->prefix, (uint8_t)dlen))
			goto bad_excl;
		p->excluded_len = (uint8_t)elen;
	}
	*ok = true;
	return;
bad_excl:
	ld_error_at(ld, excl ? excl->pos : o->pos,
		    "excluded-prefix and excluded-prefix-len must give a "
		    "prefix longer than delegated-len inside the first "
		    "delegated prefix");
}

static int parse_id(const char *text, uint8_t *out, size_t cap)
{
	int n = ternd_hex_decode(text, out, cap);

	return n > 0 ? n : -1;
}

/* A host's client-classes: names (Kea 2.2 checks none of them). */
static void parse_res_classes(struct loader *ld, const struct tjson *m,
			      struct ternd_reservation6 *r)
{
	const char **v;
	size_t k = 0;

	if (!ld_want_type(ld, m, TJSON_ARRAY, "a list"))
		return;
	if (m->n > TERND6_MAX_RES_ADDRS) {
		ld_error_at(ld, m->pos, "more than %d entries",
			    TERND6_MAX_RES_ADDRS);
		return;
	}
	if (!m->n || !(v = ld_aalloc(ld, ld->a, m->n, sizeof(*v))))
		return;
	for (const struct tjson *e = m->child; e; e = e->next) {
		if (!ld_want_type(ld, e, TJSON_STRING, "a string"))
			continue;
		if (e->len == 0) {
			ld_error_at(ld, e->pos, "a client class name is empty");
			continue;
		}
		v[k++] = ld_astr(ld, e->s, e->len);
	}
	r->classes = v;
	r->n_classes = k;
}

void ld6_parse_reservation(struct loader *ld, const struct tjson *o,
			   const struct ternd_subnet6 *s,
			   struct ternd_reservation6 *r, bool *ok)
{
	const struct tjson *id = NULL;
	int n;

	*ok = false;
	if (!ld_want_type(ld, o, TJSON_OBJECT, "a map"))
		return;
	for (const struct tjson *m = o->child; m; m = m->next) {
		if (strcmp(m->key, "duid") == 0 ||
		    strcmp(m->key, "hw-address") == 0 ||
		    strcmp(m->key, "flex-id") == 0) {
			if (id) {
				ld_error_at(ld, m->kpos,
					    "a reservation has one identifier");
				return;
			}
			id = m;
		} else if (strcmp(m->key, "ip-addresses") == 0 ||
			   strcmp(m->key, "prefixes") == 0) {
			bool pfx = m->key[0] == 'p';
			struct in6_addr *a = NULL;
			struct ternd_prefix6 *p = NULL;
			size_t k = 0;

			if (!ld_want_type(ld, m, TJSON_ARRAY, "a list"))
				continue;
			if (m->n > TERND6_MAX_RES_ADDRS) {
				ld_error_at(ld, m->pos, "more than %d entries",
					    TERND6_MAX_RES_ADDRS);
				continue;
			}
			if (pfx ? !(p = ld_aalloc(ld, ld->a, m->n, sizeof(*p)))
				: !(a = ld_aalloc(ld, ld->a, m->n, sizeof(*a))))
				return;
			for (const struct tjson *e = m->child; e; e = e->next) {
				if (!ld_want_type(ld, e, TJSON_STRING,
						  "a string"))
					continue;
				if (pfx && ld6_parse_prefix(e->s, &p[k].prefix,
							    &p[k].len)) {
					ld6_mask(&p[k].prefix, p[k].len);
					k++;
				} else if (!pfx &&
					   ld6_parse_addr(e->s, &a[k])) {
					if (s && !ternd_subnet6_has(s, &a[k]))
						ld_error_at(ld, e->pos,
							    "reserved address "
							    "%s is not in the "
							    "subnet",
							    e->s);
					k++;
				} else {
					ld_error_at(ld, e->pos,
						    "\"%s\" is not an IPv6 %s",
						    e->s,
						    pfx ? "prefix" : "address");
				}
			}
			if (pfx) {
				r->prefixes = p;
				r->n_prefixes = k;
			} else {
				r->addrs = a;
				r->n_addrs = k;
			}
		} else if (strcmp(m->key, "hostname") == 0) {
			ld_get_str(ld, m, TERND_MAX_STRING, &r->hostname);
		} else if (strcmp(m->key, "option-data") == 0) {
			ld6_parse_optlist(ld, m, &r->options);
		} else if (strcmp(m->key, "client-classes") == 0) {
			parse_res_classes(ld, m, r);
		} else {
			ld6_other_key(ld, m, "reservation");
		}
	}
	if (!id) {
		ld_error_at(ld, o->pos,
			    "a reservation needs \"duid\", \"hw-address\" "
			    "or \"flex-id\"");
		return;
	}
	if (!ld_want_type(ld, id, TJSON_STRING, "a string"))
		return;
	if (id->key[0] == 'f') {
		/* Kea's Host::setIdentifier: 'text' or hex, 128 bytes. */
		n = ld_decode_host_id(id->s, id->len, r->id, 128);
		if (n <= 0) {
			ld_error_at(ld, id->pos,
				    "\"flex-id\": invalid host identifier "
				    "value \"%s\" (hex octets 01:02:0a, "
				    "01020a or 'text', 128 bytes at most)",
				    id->s);
			return;
		}
		ld_warn_at(ld, id->pos,
			   "a reservation by \"flex-id\" never matches: "
			   "ternd has no flex_id hook for DHCPv6 (as "
			   "kea-dhcp6 without it); its addresses stay "
			   "reserved");
		r->id_type = TERND6_ID_FLEX;
		r->id_len = (uint8_t)n;
		*ok = true;
		return;
	}
	n = parse_id(id->s, r->id, sizeof(r->id));
	if (n < 0) {
		ld_error_at(ld, id->pos,
			    "\"%s\" is not a hexadecimal "
			    "identifier of 1..130 bytes",
			    id->s);
		return;
	}
	r->id_type = id->key[0] == 'd' ? TERND6_ID_DUID : TERND6_ID_HW_ADDRESS;
	r->id_len = (uint8_t)n;
	*ok = true;
}

static bool relay_addr(struct loader *ld, const struct tjson *e,
		       struct in6_addr *ret)
{
	if (!ld_want_type(ld, e, TJSON_STRING, "a string"))
		return false;
	if (!ld6_parse_addr(e->s, ret)) {
		ld_error_at(ld, e->pos, "\"%s\" is not an IPv6 address", e->s);
		return false;
	}
	return true;
}

void ld6_parse_relay(struct loader *ld, const struct tjson *o,
		     const struct in6_addr **ret_v, size_t *ret_n)
{
	struct in6_addr *v;
	size_t n = 0;

	if (!ld_want_type(ld, o, TJSON_OBJECT, "a map"))
		return;
	if (!(v = ld_aalloc(ld, ld->a, TERND_MAX_RELAYS, sizeof(*v))))
		return;
	for (const struct tjson *m = o->child; m; m = m->next) {
		if (strcmp(m->key, "ip-address") == 0) {
			if (n < TERND_MAX_RELAYS)
				n += relay_addr(ld, m, &v[n]);
		} else if (strcmp(m->key, "ip-addresses") == 0) {
			if (!ld_want_type(ld, m, TJSON_ARRAY, "a list"))
				continue;
			for (const struct tjson *e = m->child; e; e = e->next)
				if (n < TERND_MAX_RELAYS)
					n += relay_addr(ld, e, &v[n]);
				else
					ld_error_at(ld, e->pos,
						    "more than %d relay "
						    "addresses",
						    TERND_MAX_RELAYS);
		} else {
			ld6_other_key(ld, m, "relay");
		}
	}
	*ret_v = v;
	*ret_n = n;
}

/* What a subnet of a shared network inherits: the interface and
 * interface-id it does not set, the network's relay addresses (Kea
 * matches the network's first, then the subnet's). */
static void inherit(struct loader *ld, const struct ld6_net *net,
		    struct ternd_subnet6 *s)
{
	struct in6_addr *v;

	s->network = net->net;
	if (!s->iface)
		s->iface = net->iface;
	if (!s->iface_id_len && net->iface_id_len) {
		s->iface_id = net->iface_id;
		s->iface_id_len = net->iface_id_len;
	}
	if (!net->n_relays)
		return;
	v = ld_aalloc(ld, ld->a, net->n_relays + s->n_relays, sizeof(*v));
	if (!v)
		return;
	memcpy(v, net->relays, net->n_relays * sizeof(*v));
	if (s->n_relays)
		memcpy(v + net->n_relays, s->relays, s->n_relays * sizeof(*v));
	s->relays = v;
	s->n_relays += net->n_relays;
}

void ld6_parse_subnet(struct loader *ld, const struct tjson *o,
		      const struct pparams6 *global, const struct ld6_net *net,
		      struct ternd_subnet6 *s, bool *ok)
{
	const struct tjson *pools = NULL, *pds = NULL, *res = NULL;
	const struct tjson *prefix = NULL, *id = NULL, *iface = NULL,
			   *iface_id = NULL;
	struct pparams6 pp;

	*ok = false;
	memset(&pp, 0, sizeof(pp));
	if (!ld_want_type(ld, o, TJSON_OBJECT, "a map"))
		return;
	for (const struct tjson *m = o->child; m; m = m->next) {
		if (strcmp(m->key, "subnet") == 0)
			prefix = m;
		else if (strcmp(m->key, "id") == 0)
			id = m;
		else if (strcmp(m->key, "pools") == 0)
			pools = m;
		else if (strcmp(m->key, "pd-pools") == 0)
			pds = m;
		else if (strcmp(m->key, "reservations") == 0)
			res = m;
		else if (strcmp(m->key, "interface") == 0)
			iface = ld6_blank(m) ? NULL : m;
		else if (strcmp(m->key, "interface-id") == 0)
			iface_id = ld6_blank(m) ? NULL : m;
		else if (strcmp(m->key, "relay") == 0)
			ld6_parse_relay(ld, m, &s->relays, &s->n_relays);
		else if (strcmp(m->key, "option-data") == 0)
			ld6_parse_optlist(ld, m, &s->options);
		else if (ld6_class_key(ld, m, &s->client_class, &s->cls))
			;
		else if (!ld6_parse_param(ld, m, &pp, true))
			ld6_other_key(ld, m, "subnet6");
	}
	if (!prefix) {
		ld_error_at(ld, o->pos, "a subnet6 needs \"subnet\"");
		return;
	}
	if (!ld_want_type(ld, prefix, TJSON_STRING, "a string"))
		return;
	if (!ld6_parse_prefix(prefix->s, &s->prefix, &s->prefix_len)) {
		ld_error_at(ld, prefix->pos, "\"%s\" is not an IPv6 prefix",
			    prefix->s);
		return;
	}
	ld6_mask(&s->prefix, s->prefix_len);
	if (!id) {
		/* Kea 2.2 numbers subnets without an id 1, 2, ... in the
		 * order it builds them (checked with kea-dhcp6's
		 * config-get); a given id equal to one is a duplicate. */
		s->id = ++ld->subnet6_auto_id;
		ld_warn_at(ld, o->pos,
			   "subnet6 has no \"id\"; using %u (kea-dhcp6 "
			   "numbers such subnets 1, 2, ... in order)",
			   s->id);
	} else if (!ld_get_u32(ld, id, 1, UINT32_MAX - 1, &s->id))
		return;
	if (iface && iface_id) {
		ld_error_at(ld, iface_id->kpos,
			    "\"interface\" and \"interface-id\" cannot both "
			    "be set (kea-dhcp6 refuses it)");
		return;
	}
	if (iface)
		ld_get_ifname(ld, iface, &s->iface);
	if (iface_id && ld_want_type(ld, iface_id, TJSON_STRING, "a string")) {
		if (iface_id->len == 0 || iface_id->len > TERND6_MAX_IFACE_ID)
			ld_error_at(ld, iface_id->pos,
				    "interface-id must be 1..%d bytes",
				    TERND6_MAX_IFACE_ID);
		s->iface_id = (const uint8_t *)ld_astr(ld, iface_id->s,
						       iface_id->len);
		s->iface_id_len = (uint16_t)iface_id->len;
	}
	ld6_resolve(ld, global, net ? &net->pp : NULL, &pp, o->pos, &s->params);
	if (net)
		inherit(ld, net, s);
	if (pools && ld_want_type(ld, pools, TJSON_ARRAY, "a list")) {
		struct ternd_pool6 *v;
		size_t n = 0;

		if (pools->n > TERND6_MAX_POOLS) {
			ld_error_at(ld, pools->pos, "more than %d pools",
				    TERND6_MAX_POOLS);
			return;
		}
		if (!(v = ld_aalloc(ld, ld->a, pools->n, sizeof(*v))))
			return;
		for (const struct tjson *e = pools->child; e; e = e->next) {
			bool pok;

			parse_pool(ld, e, s, &v[n], &pok);
			for (size_t i = 0; pok && i < n; i++)
				if (addr_cmp(&v[n].first, &v[i].last) <= 0 &&
				    addr_cmp(&v[i].first, &v[n].last) <= 0) {
					ld_error_at(ld, e->pos,
						    "pool overlaps an earlier "
						    "pool");
					pok = false;
				}
			n += pok;
		}
		s->pools = v;
		s->n_pools = n;
	}
	if (pds && ld_want_type(ld, pds, TJSON_ARRAY, "a list")) {
		struct ternd_pdpool6 *v;
		size_t n = 0;

		if (pds->n > TERND6_MAX_POOLS) {
			ld_error_at(ld, pds->pos, "more than %d pd-pools",
				    TERND6_MAX_POOLS);
			return;
		}
		if (!(v = ld_aalloc(ld, ld->a, pds->n, sizeof(*v))))
			return;
		for (const struct tjson *e = pds->child; e; e = e->next) {
			bool pok;

			parse_pd_pool(ld, e, &v[n], &pok);
			n += pok;
		}
		s->pd_pools = v;
		s->n_pd_pools = n;
	}
	if (res && ld_want_type(ld, res, TJSON_ARRAY, "a list")) {
		struct ternd_reservation6 *v;
		size_t n = 0;

		if (res->n > TERND6_MAX_RES) {
			ld_error_at(ld, res->pos, "more than %d reservations",
				    TERND6_MAX_RES);
			return;
		}
		if (!(v = ld_aalloc(ld, ld->a, res->n, sizeof(*v))))
			return;
		for (const struct tjson *e = res->child; e; e = e->next) {
			bool rok;

			ld6_parse_reservation(ld, e, s, &v[n], &rok);
			n += rok && ld6_host_ok(ld, v, n, e);
		}
		qsort(v, n, sizeof(*v), ld6_res_cmp);
		s->res = v;
		s->n_res = n;
	}
	*ok = true;
}
