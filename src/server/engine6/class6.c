/* ternd DHCPv6 engine: the client classes of a request, in kea-dhcp6 2.2's
 * order (classifyPacket, initContext, conditionallySetReservedClientClasses,
 * requiredClassify), as class indexes in a bit set, the tests evaluated
 * without allocating; and what they gate: subnets, shared networks, pools.
 */
#include <string.h>

#include "server/classify/expr.h"
#include "server/engine6/internal6.h"

/* ---- the set -------------------------------------------------------- */

bool e6_class_in(const struct e6_req *r, uint16_t idx)
{
	const struct e6_classes *c = &r->e->cls;

	return c->on && idx < c->s.words * 64u &&
	       ternd_class_set_has(&c->s, idx);
}

bool e6_allows(const struct e6_req *r, const struct ternd_class_use *u)
{
	return !u->restricted || e6_class_in(r, u->only);
}

bool e6_dropped(const struct e6_req *r)
{
	return e6_class_in(r, r->e->cfg->classes.drop);
}

/* ---- option 16: VENDOR_CLASS_ --------------------------------------- */

/* Whether the tuples of option 16 (after its enterprise number) hold
 * one equal to s. */
static bool has_tuple(const uint8_t *p, size_t n, const char *s)
{
	size_t sl = strlen(s);

	while (n >= 2) {
		size_t l = (size_t)p[0] << 8 | p[1];

		if (l > n - 2)
			return false;
		if (l == sl && memcmp(p + 2, s, l) == 0)
			return true;
		p += 2 + l;
		n -= 2 + l;
	}
	return false;
}

void e6_vendor_class(struct e6_req *r, const uint8_t *v, uint16_t len)
{
	static const char modem[] = "docsis3.0", erouter[] = "eRouter1.0";
	size_t l;

	if (r->vclass || len < 4 + 2)
		return; /* the first option 16; no tuple: no class */
	l = (size_t)v[4] << 8 | v[5];
	if (l > (size_t)len - 6u)
		return; /* Kea cannot read it */
	/* Kea's classifyByVendor: the DOCSIS ones wherever they are, else
	 * the first tuple's text. */
	if (has_tuple(v + 4, len - 4u, modem)) {
		r->vclass = (const uint8_t *)modem;
		r->vclass_len = sizeof(modem) - 1;
	} else if (has_tuple(v + 4, len - 4u, erouter)) {
		r->vclass = (const uint8_t *)erouter;
		r->vclass_len = sizeof(erouter) - 1;
	} else {
		r->vclass = v + 6;
		r->vclass_len = (uint16_t)l;
	}
}

/* ---- evaluation ----------------------------------------------------- */

/* A test's verdict; an evaluation error is no match, as Kea logs it. */
static bool test(struct e6_classes *c, const struct ternd_class *k)
{
	return ternd_expr_eval6(k->test, &c->pkt, &c->scratch) == 1;
}

/* Kea's evaluateClasses: the tested classes of one pass, in file order;
 * each match is visible to the tests after it. */
static void pass(const struct ternd_config *cfg, struct e6_classes *c,
		 bool depends_known)
{
	const uint16_t *v = cfg->classes.pass[depends_known];

	for (size_t i = 0; i < cfg->classes.n_pass[depends_known]; i++)
		if (test(c, &cfg->classes.v[v[i]]))
			ternd_class_set_add(&c->s, v[i]);
}

void e6_classify_start(struct e6_req *r)
{
	const struct ternd_config *cfg = r->e->cfg;
	struct e6_classes *c = &r->e->cls;
	int32_t idx;

	c->on = cfg->classes.used;
	c->s.n = 0;
	c->s.gives = 0;
	if (!c->on)
		return;
	ternd_class_set_clear(&c->s, cfg->classes.n, r->e->c6->class_gives);
	c->pkt = (struct ternd_expr_pkt6){
		.m = &r->m,
		.relays = r->relays,
		.n_relays = (unsigned)r->n_relays,
		.iface = r->rx->ifname,
		.src = &r->rx->src,
		.dst = &r->rx->dst,
		.classes = c->s.set,
		.n_class_words = c->s.words,
		.memo = &c->memo,
	};
	c->memo = (struct ternd_expr_memo6){0};
	/* Kea's classifyPacket: ALL, the vendor class, the first pass. */
	ternd_class_set_add(&c->s, cfg->classes.all);
	if (r->vclass && cfg->classes.n_vendor &&
	    (idx = ternd_config_vendor_class(cfg, r->vclass, r->vclass_len)) >=
		    0)
		ternd_class_set_add(&c->s, (uint16_t)idx);
	pass(cfg, c, false);
}

/* A host's classes join the request: the tested classes are dropped and
 * the first pass is run again with them (Kea's setReservedClientClasses
 * followed by evaluateClasses). */
static void with_host_classes(const struct ternd_config *cfg,
			      struct e6_classes *c,
			      const struct ternd_reservation6 *h)
{
	ternd_class_set_remove_tested(&c->s, cfg);
	ternd_class_set_add_names(&c->s, cfg, h->classes, h->n_classes);
	pass(cfg, c, false);
}

void e6_classify_early(struct e6_req *r)
{
	const struct ternd_config *cfg = r->e->cfg;
	struct e6_classes *c = &r->e->cls;
	const struct ternd_reservation6 *h = r->ghost_early;

	if (!c->on || !h)
		return;
	if (h->n_classes)
		with_host_classes(cfg, c, h);
	ternd_class_set_add(&c->s, cfg->classes.known);
	pass(cfg, c, true);
}

void e6_classify_host(struct e6_req *r)
{
	const struct ternd_config *cfg = r->e->cfg;
	struct e6_classes *c = &r->e->cls;
	const struct ternd_reservation6 *h;

	if (!c->on)
		return;
	/* Kea's initContext: the selected subnet's host gives its classes
	 * now only outside a shared network (there the subnet may still
	 * change); the first pass is run again with them. */
	if ((h = e6_host_early(r)))
		with_host_classes(cfg, c, h);
	ternd_class_set_add(&c->s, r->res || r->ghost_early
					   ? cfg->classes.known
					   : cfg->classes.unknown);
	pass(cfg, c, true);
}

void e6_classify_late(struct e6_req *r)
{
	const struct ternd_config *cfg = r->e->cfg;
	struct e6_classes *c = &r->e->cls;
	const struct ternd_subnet6 *s = r->subnet;
	size_t n = 0;

	if (!c->on || !s)
		return;
	/* Kea's conditionallySetReservedClientClasses: in a shared network
	 * the host of the subnet the client ends up in gives its classes
	 * only now (none of the tests is run again). */
	if (s->network && r->res && r->res_subnet == s)
		ternd_class_set_add_names(&c->s, cfg, r->res->classes,
					  r->res->n_classes);
	/* Kea's requiredClassify: the network's, the subnet's, then those
	 * of the pool of each lease given (looked up in the final subnet),
	 * each class once, in that order. */
	if (s->network)
		ternd_class_use_required(&s->network->cls, c->req, &n);
	ternd_class_use_required(&s->cls, c->req, &n);
	for (size_t i = 0; i < r->n_got; i++) {
		const struct ternd_optlist6 *o;
		const struct ternd_class_use *u;

		if (e6_pool_of(s, &r->got[i], &o, &u))
			ternd_class_use_required(u, c->req, &n);
	}
	for (size_t i = 0; i < n; i++)
		if (test(c, &cfg->classes.v[c->req[i]]))
			ternd_class_set_add(&c->s, c->req[i]);
}

/* ---- what the classes give ------------------------------------------ */

size_t e6_class_options(const struct e6_req *r,
			const struct ternd_optlist6 **out, size_t max)
{
	const struct e6_classes *c = &r->e->cls;
	const struct ternd_class6 *v = r->e->c6->classes;
	size_t n = 0;

	if (!c->on || !v || !(c->s.gives & TERND_CLASS_GIVES_OPTIONS))
		return 0;
	for (uint16_t i = 0; i < c->s.n && n < max; i++)
		if (c->s.gives_of[c->s.order[i]] & TERND_CLASS_GIVES_OPTIONS)
			out[n++] = &v[c->s.order[i]].options;
	return n;
}

bool e6_class_lifetimes(const struct e6_req *r, struct e6_life *pref,
			struct e6_life *valid)
{
	const struct e6_classes *c = &r->e->cls;
	const struct ternd_class6 *v = r->e->c6->classes;
	bool p = false, l = false;

	if (!c->on || !v || !(c->s.gives & TERND_CLASS_GIVES_LIFETIME))
		return false;
	/* Kea's getLifetimes6: the first class of the request's that has
	 * each, in the order the classes joined. */
	for (uint16_t i = 0; i < c->s.n && !(p && l); i++) {
		uint16_t idx = c->s.order[i];

		const struct ternd_class *k = &r->e->cfg->classes.v[idx];

		if (!p && v[idx].has_preferred) {
			*pref = (struct e6_life){v[idx].preferred,
						 v[idx].min_preferred,
						 v[idx].max_preferred};
			p = true;
		}
		if (!l && k->has_valid) {
			*valid = (struct e6_life){k->valid_lifetime,
						  k->min_valid_lifetime,
						  k->max_valid_lifetime};
			l = true;
		}
	}
	return p || l;
}

/* ---- gates ---------------------------------------------------------- */

bool e6_subnet_ok(const struct e6_req *r, const struct ternd_subnet6 *s)
{
	return s && (!s->network || e6_allows(r, &s->network->cls)) &&
	       e6_allows(r, &s->cls);
}

const struct ternd_subnet6 *e6_walk(const struct e6_req *r,
				    const struct ternd_subnet6 *first,
				    const struct ternd_subnet6 *cur)
{
	do
		cur = e6_next_subnet(r->e, first, cur);
	while (cur && !e6_subnet_ok(r, cur));
	return cur;
}
