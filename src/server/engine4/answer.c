/* ternd engine: what goes into an OFFER or ACK: the lease time, T1/T2, the
 * options of (subnet, reservation), handed to the reply builder. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <tern/dhcp4.h>

#include "common/optdefs.h"
#include "server/engine4/internal.h"

/* ---- lifetimes ----------------------------------------------------------- */

uint32_t e4_lease_time(const struct ternd_engine *e, const struct req *q,
		       const struct ternd_params *p)
{
	/* Kea's getValidLft: the first of the client's classes with a
	 * valid-lifetime, else the subnet's. */
	const struct ternd_class *k = e4_class_lifetime(e, q);
	uint32_t v = k ? k->valid_lifetime : p->valid_lifetime;
	uint32_t lo = k ? k->min_valid_lifetime : p->min_valid_lifetime;
	uint32_t hi = k ? k->max_valid_lifetime : p->max_valid_lifetime;

	/* Kea's BOOTP class: an infinite lease (AllocEngine::getValidLft). */
	if (q->bootp)
		return UINT32_MAX;
	/* ddhcpd's lease time option is the lease time, whatever asked. */
	if (e->ovr_lease_time)
		return e->ovr_lease_time;

	/* A client's wish (option 51, when not 0) counts only inside the
	 * configured bounds (Kea's getValidLft). */
	if (q->has_lt && q->want_lt) {
		v = q->want_lt;
		if (v < lo)
			v = lo;
		if (v > hi)
			v = hi;
	}
	return v;
}

/*
 * T1/T2 as Kea sends them (Dhcpv4Srv::setTeeTimes): the configured timer,
 * else with calculate-tee-times the percent of the lease, rounded; T2 only
 * when below the lease, T1 only when below T2 if T2 is sent, else below
 * the lease. Nothing configured and calculate-tee-times off (Kea's
 * default): neither is sent.
 */
/* round() for a non-negative product (half away from zero), without libm:
 * x - (uint32_t)x is exact for these magnitudes. */
static uint32_t round_pos(double x)
{
	uint32_t t;

	if (!(x > 0))
		return 0;
	if (x >= 4294967295.0)
		return UINT32_MAX;
	t = (uint32_t)x;
	return x - (double)t >= 0.5 ? t + 1 : t;
}

static void tee_times(const struct ternd_params *p, uint32_t valid,
		      struct ternd_reply *r)
{
	uint32_t t1 = 0, t2 = 0, ceiling = valid;

	if (p->has_rebind_timer)
		t2 = p->rebind_timer;
	else if (p->calculate_tee_times)
		t2 = round_pos(p->t2_percent * (double)valid);
	if (t2 > 0 && t2 < ceiling) {
		r->t2 = t2;
		r->send_t2 = true;
		ceiling = t2;
	}
	if (p->has_renew_timer)
		t1 = p->renew_timer;
	else if (p->calculate_tee_times)
		t1 = round_pos(p->t1_percent * (double)valid);
	if (t1 > 0 && t1 < ceiling) {
		r->t1 = t1;
		r->send_t1 = true;
	}
}

/*
 * siaddr, sname and file (Kea's setFixedFields): the subnet's (inherited
 * from its network and the global level), then the first of the client's
 * classes setting each, then the reservation's where it sets one.
 */
void e4_fixed_fields(const struct ternd_engine *e, const struct req *q,
		     const struct ternd_params *pp,
		     const struct ternd_reservation *res, struct ternd_reply *p)
{
	p->siaddr = pp->next_server;
	p->sname = pp->server_hostname;
	p->file = pp->boot_file_name;
	e4_class_fields(e, q, &p->siaddr, &p->sname, &p->file);
	if (!res)
		return;
	if (res->next_server)
		p->siaddr = res->next_server;
	if (res->server_hostname)
		p->sname = res->server_hostname;
	if (res->boot_file_name)
		p->file = res->boot_file_name;
}

/* ---- options of a reply (Kea's buildCfgOptionList, appendRequestedOptions,
 * appendRequestedVendorOptions, appendBasicOptions) --------------------------
 */

/* Reservation, run-time, pool, subnet, network, global, and the classes. */
#define MAX_LEVELS (8 + 64)

static void set_bit(uint64_t set[4], uint8_t code)
{
	set[code >> 6] |= UINT64_C(1) << (code & 63);
}

/* Kea's precedence list: reservation, pool of the address, subnet, shared
 * network, client classes, global. ternd's run-time options (mesh) come
 * right after the reservation. */
static bool empty_list(const struct ternd_optlist *l)
{
	return ternd_optlist_empty(l);
}

/* *ret_base: only the subnet's base levels (cached) have options. */
static size_t levels(const struct ternd_engine *e, const struct req *q,
		     uint32_t si, const struct ternd_reservation *res,
		     uint32_t yiaddr, const struct ternd_optlist **lv,
		     bool *ret_base)
{
	const struct esub *es = &e->subs[si];
	const struct ternd_subnet *s = es->s;
	struct ternd_poolmap *pm = yiaddr ? pool_of(es, yiaddr) : NULL;
	size_t n = 0, k;

	if (res && !empty_list(&res->options))
		lv[n++] = &res->options;
	if (e->ovr_list.n)
		lv[n++] = &e->ovr_list;
	if (pm && !empty_list(&s->pools[pm - es->pools].options))
		lv[n++] = &s->pools[pm - es->pools].options;
	*ret_base = n == 0;
	lv[n++] = &s->options;
	if (s->network_of)
		lv[n++] = &s->network_of->options;
	/* Client classes' option-data, in the order the classes were
	 * assigned to the packet; a class with options makes *ret_base
	 * false: the cache holds the base levels only. */
	if ((k = e4_class_levels(e, q, lv + n, MAX_LEVELS - 1 - n)) > 0) {
		n += k;
		*ret_base = false;
	}
	lv[n++] = &e->cfg->options;
	return n;
}

static inline bool choose(struct ternd_engine *e, const uint64_t present[4],
			  uint8_t code, const struct ternd_option *o)
{
	if (!o || ternd_codeset_has(present, code) ||
	    ternd_codeset_has(e->sel_set, code))
		return false;
	set_bit(e->sel_set, code);
	e->sel_opt[code] = o;
	return true;
}

/* The value of code in a list known to have it (its bit is set). */
static inline const struct ternd_option *in_list(const struct ternd_optlist *l,
						 uint8_t code)
{
	size_t lo = 0, hi = l->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (l->v[mid].code == code)
			return &l->v[mid];
		if (l->v[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Where a reply's values come from: the levels, or their cache. */
struct src {
	const struct ternd_optlist *const *lv;
	size_t nlv;
	const struct e4_optcache *oc; /* non-NULL: the levels are cached */
	uint64_t use[4];	      /* codes with a value, never-send gone */
	uint64_t always[4];
};

/* The first level's value of code; none if no level has it or any says
 * never-send. */
static inline const struct ternd_option *find(const struct src *s, uint8_t code)
{
	if (!ternd_codeset_has(s->use, code))
		return NULL;
	if (s->oc)
		return s->oc->v[s->oc->idx[code] - 1];
	for (size_t i = 0; i < s->nlv; i++)
		if (ternd_codeset_has(s->lv[i]->has, code))
			return in_list(s->lv[i], code);
	return NULL;
}

static void merge_sets(struct src *s)
{
	uint64_t never[4] = {0};

	memset(s->use, 0, sizeof(s->use));
	memset(s->always, 0, sizeof(s->always));
	for (size_t l = 0; l < s->nlv; l++)
		for (int w = 0; w < 4; w++) {
			s->always[w] |= s->lv[l]->always[w];
			never[w] |= s->lv[l]->never[w];
			s->use[w] |= s->lv[l]->has[w];
		}
	for (int w = 0; w < 4; w++) {
		s->use[w] &= ~never[w];
		s->always[w] &= s->use[w];
	}
}

int e4_optcache_init(struct e4_optcache *oc, const struct ternd_config *cfg,
		     const struct ternd_subnet *s)
{
	const struct ternd_optlist *lv[3];
	struct src src = {lv, 0, NULL, {0}, {0}};
	size_t n = 0;

	lv[src.nlv++] = &s->options;
	if (s->network_of)
		lv[src.nlv++] = &s->network_of->options;
	lv[src.nlv++] = &cfg->options;
	merge_sets(&src);
	for (int w = 0; w < 4; w++)
		n += (size_t)__builtin_popcountll(src.use[w]);
	oc->v = calloc(n ? n : 1, sizeof(*oc->v));
	if (!oc->v)
		return -ENOMEM;
	n = 0;
	memset(oc->idx, 0, sizeof(oc->idx));
	for (unsigned c = 0; c < 256; c++) {
		const struct ternd_option *o = find(&src, (uint8_t)c);

		if (!o)
			continue;
		oc->v[n++] = o;
		oc->idx[c] = (uint8_t)n;
	}
	memcpy(oc->use, src.use, sizeof(oc->use));
	memcpy(oc->always, src.always, sizeof(oc->always));
	return 0;
}

void e4_optcache_fini(struct e4_optcache *oc)
{
	free(oc->v);
	oc->v = NULL;
}

static uint32_t be32(const uint8_t *d)
{
	return (uint32_t)d[0] << 24 | (uint32_t)d[1] << 16 |
	       (uint32_t)d[2] << 8 | d[3];
}

/* The sub-options of a 125 value (after enterprise and data-len). */
static bool has_sub(const uint8_t *d, size_t n, uint8_t code)
{
	for (size_t i = 0; i + 1 < n; i += 2 + (size_t)d[i + 1])
		if (d[i] == code)
			return true;
	return false;
}

/* Insert (code, data) by code, after equal codes; false if no room. */
static bool put_sub(uint8_t *d, size_t *n, size_t cap, uint8_t code,
		    const uint8_t *v, size_t len)
{
	size_t at = 0;

	if (*n + 2 + len > cap)
		return false;
	while (at + 1 < *n && d[at] <= code)
		at += 2 + (size_t)d[at + 1];
	memmove(d + at + 2 + len, d + at, *n - at);
	d[at] = code;
	d[at + 1] = (uint8_t)len;
	memcpy(d + at + 2, v, len);
	*n += 2 + len;
	return true;
}

/*
 * Option 125 as Kea assembles it: the enterprise of a 125 already chosen
 * (from the configuration) or else of the client's; sub-options asked for
 * by the DOCSIS ORO (vendor 4491, sub-option 1) of the client's 125, plus
 * the always-send options of that vendor space at any level, each taken
 * from the first level that has it.
 */
static void vivso(struct ternd_engine *e, const struct req *q,
		  const struct src *src, const uint64_t present[4])
{
	const struct ternd_optlist *const *lv = src->lv;
	size_t nlv = src->nlv;
	const struct ternd_option *rsp = NULL;
	const uint8_t *in = NULL, *oro = NULL;
	uint8_t *sub = e->vivso_buf + 5;
	size_t oro_len = 0, nsub = 0;
	uint32_t vendor, req_vendor = 0;
	bool added = false;
	int n;

	if (ternd_codeset_has(e->sel_set, TERN_DHCP4_OPT_VIVSO))
		rsp = e->sel_opt[TERN_DHCP4_OPT_VIVSO];
	n = tern_dhcp4_has_opt(q->m, TERN_DHCP4_OPT_VIVSO)
		    ? tern_dhcp4_opt_get(q->m, TERN_DHCP4_OPT_VIVSO,
					 e->vivso_in, sizeof(e->vivso_in), &in)
		    : -ENOENT;
	if (n >= 4)
		req_vendor = be32(in);
	else
		in = NULL;
	if (!rsp && !in)
		return;
	vendor = rsp && rsp->len >= 4 ? be32(rsp->data) : req_vendor;
	if (vendor == TERN_ENTERPRISE_CABLELABS && in && n >= 5 &&
	    req_vendor == TERN_ENTERPRISE_CABLELABS) {
		/* The client's first data-len block, sub-option 1. */
		size_t end = 5 + (size_t)in[4], i = 5;

		while (end <= (size_t)n && i + 1 < end &&
		       i + 2 + (size_t)in[i + 1] <= end) {
			if (in[i] == 1 && in[i + 1] > 0 && !oro) {
				oro = in + i + 2;
				oro_len = in[i + 1];
			}
			i += 2 + (size_t)in[i + 1];
		}
	}
	if (rsp && rsp->len >= 5) {
		nsub = rsp->len - 5;
		memcpy(sub, rsp->data + 5, nsub);
	}
	for (size_t k = 0; k < oro_len; k++) {
		const struct ternd_option *o = NULL;

		if (has_sub(sub, nsub, oro[k]))
			continue;
		for (size_t l = 0; l < nlv && !o; l++)
			o = ternd_optlist_find_vendor(lv[l], vendor, oro[k]);
		if (o && put_sub(sub, &nsub, 255, o->code, o->data, o->len))
			added = true;
	}
	for (size_t l = 0; l < nlv; l++) {
		for (size_t k = 0; k < lv[l]->n_vend; k++) {
			const struct ternd_vendor_option *a = &lv[l]->vend[k];
			const struct ternd_option *o = NULL;

			if (a->enterprise != vendor || !a->o.always_send ||
			    has_sub(sub, nsub, a->o.code))
				continue;
			for (size_t m = 0; m < nlv && !o; m++)
				o = ternd_optlist_find_vendor(lv[m], vendor,
							      a->o.code);
			if (o &&
			    put_sub(sub, &nsub, 255, o->code, o->data, o->len))
				added = true;
		}
	}
	if (!added)
		return;
	e->vivso_buf[0] = (uint8_t)(vendor >> 24);
	e->vivso_buf[1] = (uint8_t)(vendor >> 16);
	e->vivso_buf[2] = (uint8_t)(vendor >> 8);
	e->vivso_buf[3] = (uint8_t)vendor;
	e->vivso_buf[4] = (uint8_t)nsub;
	e->sel_own[2] = (struct ternd_option){.code = TERN_DHCP4_OPT_VIVSO,
					      .len = (uint16_t)(5 + nsub),
					      .data = e->vivso_buf};
	if (rsp) /* Kea adds to the option it found in the reply */
		e->sel_opt[TERN_DHCP4_OPT_VIVSO] = &e->sel_own[2];
	else
		choose(e, present, TERN_DHCP4_OPT_VIVSO, &e->sel_own[2]);
}

void e4_select_options(struct ternd_engine *e, const struct req *q, uint32_t si,
		       const struct ternd_reservation *res, uint32_t yiaddr,
		       struct ternd_reply *p)
{
	static const uint8_t basic[] = {
		TERN_DHCP4_OPT_ROUTER, TERN_DHCP4_OPT_DNS,
		TERN_DHCP4_OPT_DOMAIN_NAME, TERN_DHCP4_OPT_SERVER_ID};
	const struct ternd_optlist *lv[MAX_LEVELS];
	const uint8_t *prl = q->rq.prl;
	uint64_t present[4] = {0}, out[4] = {0};
	struct src src = {lv, 0, NULL, {0}, {0}};
	bool base;
	size_t n = 0;

	src.nlv = levels(e, q, si, res, yiaddr, lv, &base);
	if (base) {
		src.oc = &e->subs[si].oc;
		memcpy(src.use, src.oc->use, sizeof(src.use));
		memcpy(src.always, src.oc->always, sizeof(src.always));
	} else {
		merge_sets(&src);
	}

	memset(e->sel_set, 0, sizeof(e->sel_set));
	/* What the reply holds before options are added: the message type,
	 * the echoes (61, 82), and for a lease 1, 51, 58, 59 (and 12, 81 of
	 * the client's name). Kea never replaces them from option-data. */
	set_bit(present, TERN_DHCP4_OPT_MSG_TYPE);
	if (q->rq.cid)
		set_bit(present, TERN_DHCP4_OPT_CLIENT_ID);
	if (q->rq.has_rai)
		set_bit(present, TERN_DHCP4_OPT_RAI);
	if (p->lease) {
		set_bit(present, TERN_DHCP4_OPT_SUBNET_MASK);
		set_bit(present, TERN_DHCP4_OPT_LEASE_TIME);
		/* Kea's setTeeTimes adds each on its own; one not sent
		 * can still come from option-data. */
		if (p->send_t1)
			set_bit(present, TERN_DHCP4_OPT_T1);
		if (p->send_t2)
			set_bit(present, TERN_DHCP4_OPT_T2);
	}
	/* RFC 3011 §3: the subnet selection option is echoed. */
	if (q->has_sel) {
		uint32_t be = htonl(q->sel_addr);

		memcpy(e->sel118, &be, 4);
		e->sel_own[1] = (struct ternd_option){
			.code = TERN_DHCP4_OPT_SUBNET_SELECTION,
			.len = 4,
			.data = e->sel118};
		choose(e, present, TERN_DHCP4_OPT_SUBNET_SELECTION,
		       &e->sel_own[1]);
	}
	/* Options 12 and 81 are the client's name (names.c, decided before
	 * as Kea's processClientName): option-data does not replace them. */
	if (p->hostname && p->hostname[0])
		set_bit(present, TERN_DHCP4_OPT_HOST_NAME);
	if (p->fqdn)
		set_bit(present, TERN_DHCP4_OPT_FQDN);
	/* Requested: the parameter request list, then every code that is
	 * always-send at any level (its value from the first level). */
	for (size_t i = 0; prl && i < q->rq.prl_len; i++)
		choose(e, present, prl[i], find(&src, prl[i]));
	for (int w = 0; w < 4; w++)
		for (uint64_t b = src.always[w]; b; b &= b - 1) {
			uint8_t c = (uint8_t)(w * 64 + __builtin_ctzll(b));

			choose(e, present, c, find(&src, c));
		}
	vivso(e, q, &src, present);
	for (size_t i = 0; i < sizeof(basic); i++)
		choose(e, present, basic[i], find(&src, basic[i]));
	if (ternd_codeset_has(e->sel_set, TERN_DHCP4_OPT_SERVER_ID)) {
		p->server_id_opt = e->sel_opt[TERN_DHCP4_OPT_SERVER_ID];
		set_bit(out, TERN_DHCP4_OPT_SERVER_ID);
	}
	/* Wire order: the client's list first, then the rest by code. */
	for (size_t i = 0; prl && i < q->rq.prl_len; i++) {
		uint8_t c = prl[i];

		if (!ternd_codeset_has(e->sel_set, c) ||
		    ternd_codeset_has(out, c))
			continue;
		set_bit(out, c);
		e->sel_out[n++] = e->sel_opt[c];
	}
	for (int w = 0; w < 4; w++)
		for (uint64_t b = e->sel_set[w] & ~out[w]; b; b &= b - 1)
			e->sel_out[n++] =
				e->sel_opt[w * 64 + __builtin_ctzll(b)];
	p->opts = e->sel_out;
	p->n_opts = n;
}

int e4_finish_tx(struct ternd_engine *e, const struct req *q,
		 struct ternd_tx *tx, const struct ternd_reply *p)
{
	int n = ternd_reply_build(&q->rq, p, tx->buf, tx->cap);

	if (n < 0)
		/* Only a request with a huge relay-agent option and a tiny
		 * size limit gets here. */
		return drop(e, TERND_DROP_MALFORMED, n);
	tx->len = (size_t)n;
	tx->msg_type = p->type;
	tx->src_addr = q->rx->if_addr;
	tx->ifindex = q->rx->ifindex;
	tx->needs_commit = q->chg.n > 0;
	ternd_reply_dest(&q->m->hdr, p->type, p->yiaddr, tx);
	if (p->type == TERN_DHCP4_OFFER)
		e->st.tx_offer++;
	else if (p->type == TERN_DHCP4_ACK)
		e->st.tx_ack++;
	else
		e->st.tx_nak++;
	return p->type;
}

/* OFFER or ACK for a lease (ack: the REQUEST's ciaddr is echoed). */
int e4_reply_lease(struct ternd_engine *e, struct req *q, struct ternd_tx *tx,
		   uint8_t type, const struct ternd_rec *r, uint32_t valid)
{
	const struct esub *es = &e->subs[r->sub];
	const struct ternd_params *pp = &es->s->params;
	const struct ternd_reservation *res = e4_res_for(e, q, r->sub);
	struct ternd_reply p = {0};

	/* A lease ACKed in another subnet than the one selected (a shared
	 * network) is answered with that subnet's parameters, as Kea does
	 * after the allocation engine changed ctx.subnet_. */

	p.type = type;
	p.lease = true;
	p.yiaddr = r->l.addr;
	p.ciaddr = type == TERN_DHCP4_ACK ? q->ciaddr : 0;
	p.server_id = q->server_id;
	p.mask = es->s->mask;
	p.valid = valid;
	tee_times(pp, valid, &p);
	/* Required classes, once the lease's address is known (Kea). */
	e4_classify_lease(e, q, r->sub, r->l.addr);
	e4_fixed_fields(e, q, pp, res, &p);
	e4_reply_names(e, q, r, res, &p);
	e4_select_options(e, q, r->sub, res, r->l.addr, &p);
	return e4_finish_tx(e, q, tx, &p);
}

/* why names the reason where the NAK is decided; like Kea, the NAK does
 * not carry it (no option 56): 53, 54 and the echoes of 61, 82, 118. */
int e4_reply_nak(struct ternd_engine *e, const struct req *q,
		 struct ternd_tx *tx, const char *why)
{
	struct ternd_reply p = {0};

	(void)why;
	p.type = TERN_DHCP4_NAK;
	p.server_id = q->server_id;
	if (q->has_sel) {
		uint32_t be = htonl(q->sel_addr);

		memcpy(e->sel118, &be, 4);
		e->sel_own[1] = (struct ternd_option){
			.code = TERN_DHCP4_OPT_SUBNET_SELECTION,
			.len = 4,
			.data = e->sel118};
		e->sel_out[0] = &e->sel_own[1];
		p.opts = e->sel_out;
		p.n_opts = 1;
	}
	return e4_finish_tx(e, q, tx, &p);
}
