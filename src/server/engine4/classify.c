/* ternd engine: client classification per request, in kea-dhcp4 2.2's order
 * (Dhcpv4Exchange::classifyPacket, the Dhcpv4Exchange constructor,
 * requiredClassify), evaluated without allocating. */
#include <errno.h>
#include <string.h>

#include <tern/dhcp4.h>

#include "server/engine4/internal.h"

/* ---- the set ---------------------------------------------------------- */

bool e4_class_in(const struct req *q, int32_t idx)
{
	const struct e4_classes *c = q->cls;

	if (idx < 0 || !c || !c->on || (uint32_t)idx >= c->s.words * 64u)
		return false;
	return ternd_class_set_has(&c->s, (uint16_t)idx);
}

bool e4_class_allows(const struct req *q, const struct ternd_class_use *u)
{
	return !u->restricted || e4_class_in(q, u->only);
}

bool e4_sub_allows(const struct ternd_engine *e, const struct req *q,
		   uint32_t si)
{
	const struct ternd_subnet *s = e->subs[si].s;

	if (!e->cfg->classes.restricts)
		return true;
	return e4_class_allows(q, &s->cls) &&
	       (!s->network_of || e4_class_allows(q, &s->network_of->cls));
}

bool e4_pool_allows(const struct ternd_engine *e, const struct req *q,
		    uint32_t si, uint32_t addr)
{
	const struct esub *es = &e->subs[si];
	const struct ternd_poolmap *pm = pool_of(es, addr);

	return pm && e4_class_allows(q, &es->s->pools[pm - es->pools].cls);
}

bool e4_addr_allowed(struct ternd_engine *e, struct req *q, uint32_t si,
		     uint32_t addr)
{
	const struct ternd_reservation *res;

	if (!q->cls || !q->cls->on || !e->cfg->classes.restricts)
		return true;
	if (!e4_sub_allows(e, q, si))
		return false;
	res = e4_res_for(e, q, si);
	return (res && res->addr == addr) || e4_pool_allows(e, q, si, addr);
}

/* ---- evaluation ----------------------------------------------------------
 */

/* A test's verdict: decided with the packet's batch, or evaluated; an
 * evaluation error is no match, as Kea logs it. */
static bool test(struct e4_classes *c, const struct ternd_class *k,
		 uint16_t idx)
{
	uint64_t bit = UINT64_C(1) << (idx & 63);

	if (c->decided[idx >> 6] & bit)
		return c->verdict[idx >> 6] & bit;
	return ternd_expr_eval(k->test, &c->pkt, &c->scratch) == 1;
}

/* Kea's evaluateClasses: the tested classes of one pass, in file order;
 * each match is visible to the tests after it. */
static void pass(const struct ternd_config *cfg, struct e4_classes *c,
		 bool depends_known)
{
	const uint16_t *v = cfg->classes.pass[depends_known];

	for (size_t i = 0; i < cfg->classes.n_pass[depends_known]; i++)
		if (test(c, &cfg->classes.v[v[i]], v[i]))
			ternd_class_set_add(&c->s, v[i]);
}

/* Kea's VENDOR_CLASS_<value>: option 60 as its string object holds it
 * (one instance; trailing NULs dropped; all NULs is no option). */
static void vendor_class(const struct ternd_config *cfg, struct e4_classes *c,
			 const struct tern_dhcp4_msg *m)
{
	const uint8_t *d;
	int32_t idx;
	int n;

	if (!cfg->classes.n_vendor ||
	    !tern_dhcp4_has_opt(m, TERN_DHCP4_OPT_VENDOR_CLASS) ||
	    tern_dhcp4_opt_count(m, TERN_DHCP4_OPT_VENDOR_CLASS) != 1)
		return;
	n = tern_dhcp4_opt_get(m, TERN_DHCP4_OPT_VENDOR_CLASS, NULL, 0, &d);
	while (n > 0 && d[n - 1] == 0)
		n--;
	if (n <= 0)
		return;
	idx = ternd_config_vendor_class(cfg, d, (size_t)n);
	if (idx >= 0)
		ternd_class_set_add(&c->s, (uint16_t)idx);
}

int e4_classify_start(struct ternd_engine *e, struct req *q)
{
	const struct ternd_config *cfg = e->cfg;
	struct e4_classes *c = &e->cls;

	q->cls = c;
	c->on = cfg->classes.used;
	c->s.n = 0;
	c->late_done = false;
	if (!c->on)
		return 0;
	ternd_class_set_clear(&c->s, cfg->classes.n, cfg->classes.gives);
	c->pkt = (struct ternd_expr_pkt){
		.m = q->m,
		.iface = q->rx->ifname,
		.src = q->rx->src_addr,
		.dst = q->rx->dst_addr,
		.classes = c->s.set,
		.n_class_words = c->s.words,
		.memo = &c->memo,
		.lenient = cfg->lenient_option_parsing,
	};
	c->memo.n = 0;
	c->memo.simple = 0;
	ternd_expr_batch_run(cfg->classes.batch, &c->pkt, c->decided,
			     c->verdict);
	/* Kea's bootp hook puts a BOOTP request (no option 53) in BOOTP
	 * before anything else (bootp.c sets q->bootp in decoding). */
	if (q->bootp)
		ternd_class_set_add(&c->s, cfg->classes.bootp);
	ternd_class_set_add(&c->s, cfg->classes.all);
	vendor_class(cfg, c, q->m);
	pass(cfg, c, false);
	return ternd_class_set_has(&c->s, cfg->classes.drop) ? -EACCES : 0;
}

/* Whether res is a global reservation (Dhcp4 "reservations"). */
static bool host_is_global(const struct ternd_engine *e,
			   const struct ternd_reservation *res)
{
	const struct ternd_hosts *g = &e->cfg->global_hosts;

	return g->n && res >= g->v && res < g->v + g->n;
}

int e4_classify_host(struct ternd_engine *e, struct req *q)
{
	const struct ternd_config *cfg = e->cfg;
	struct e4_classes *c = &e->cls;
	const struct ternd_reservation *cur;
	bool known = false;

	if (!c->on)
		return 0;
	/* Kea's findReservation: the subnets of the network the client may
	 * use; currentHost: the selected subnet's. */
	cur = e4_res_for(e, q, q->sel);
	known = cur != NULL;
	for (uint32_t i = 1; i < n_cands(e, q) && !known; i++) {
		uint32_t si = cand(e, q, i);

		known = e4_sub_allows(e, q, si) && e4_res_for(e, q, si);
	}
	if (cur && cur->n_classes &&
	    (host_is_global(e, cur) || !e->subs[q->sel].s->network_of)) {
		/* The reserved classes may change the first pass's
		 * verdicts: evaluate it again with them. */
		ternd_class_set_remove_tested(&c->s, cfg);
		ternd_class_set_add_names(&c->s, cfg, cur->classes,
					  cur->n_classes);
		pass(cfg, c, false);
	}
	ternd_class_set_add(&c->s,
			    known ? cfg->classes.known : cfg->classes.unknown);
	pass(cfg, c, true);
	return ternd_class_set_has(&c->s, cfg->classes.drop) ? -EACCES : 0;
}

void e4_classify_lease(struct ternd_engine *e, struct req *q, uint32_t si,
		       uint32_t addr)
{
	const struct ternd_config *cfg = e->cfg;
	struct e4_classes *c = &e->cls;
	const struct esub *es = &e->subs[si];
	const struct ternd_shared_network *sn = es->s->network_of;
	const struct ternd_reservation *res;
	const struct ternd_poolmap *pm;
	uint16_t req[TERND_MAX_CLASSES];
	size_t n = 0;

	if (!c->on || c->late_done)
		return;
	c->late_done = true;
	/* Kea's conditionallySetReservedClientClasses: a subnet's
	 * reservation in a shared network gives its classes only now. */
	res = e4_res_for(e, q, si);
	if (sn && res && !host_is_global(e, res))
		ternd_class_set_add_names(&c->s, cfg, res->classes,
					  res->n_classes);
	/* Kea's requiredClassify: network, subnet, then the address's pool,
	 * each class once; only tested, defined classes are listed. */
	if (sn)
		ternd_class_use_required(&sn->cls, req, &n);
	ternd_class_use_required(&es->s->cls, req, &n);
	if (addr && (pm = pool_of(es, addr)))
		ternd_class_use_required(&es->s->pools[pm - es->pools].cls, req,
					 &n);
	for (size_t i = 0; i < n; i++)
		if (test(c, &cfg->classes.v[req[i]], req[i]))
			ternd_class_set_add(&c->s, req[i]);
}

/* ---- what the classes give -----------------------------------------------
 */

size_t e4_class_levels(const struct ternd_engine *e, const struct req *q,
		       const struct ternd_optlist **out, size_t max)
{
	const struct e4_classes *c = q->cls;
	size_t n = 0;

	if (!c || !c->on || !(c->s.gives & TERND_CLASS_GIVES_OPTIONS))
		return 0;
	for (uint16_t i = 0; i < c->s.n && n < max; i++) {
		const struct ternd_class *k = &e->cfg->classes.v[c->s.order[i]];

		if (k->defined && !ternd_optlist_empty(&k->options))
			out[n++] = &k->options;
	}
	return n;
}

void e4_class_fields(const struct ternd_engine *e, const struct req *q,
		     uint32_t *siaddr, const char **sname, const char **file)
{
	const struct e4_classes *c = q->cls;
	bool a = false, b = false, f = false;

	if (!c || !c->on || !(c->s.gives & TERND_CLASS_GIVES_FIELDS))
		return;
	for (uint16_t i = 0; i < c->s.n && !(a && b && f); i++) {
		const struct ternd_class *k = &e->cfg->classes.v[c->s.order[i]];

		if (!a && k->next_server) {
			*siaddr = k->next_server;
			a = true;
		}
		if (!b && k->server_hostname) {
			*sname = k->server_hostname;
			b = true;
		}
		if (!f && k->boot_file_name) {
			*file = k->boot_file_name;
			f = true;
		}
	}
}

const struct ternd_class *e4_class_lifetime(const struct ternd_engine *e,
					    const struct req *q)
{
	const struct e4_classes *c = q->cls;

	if (!c || !c->on || !(c->s.gives & TERND_CLASS_GIVES_LIFETIME))
		return NULL;
	for (uint16_t i = 0; i < c->s.n; i++) {
		const struct ternd_class *k = &e->cfg->classes.v[c->s.order[i]];

		if (k->has_valid)
			return k;
	}
	return NULL;
}
