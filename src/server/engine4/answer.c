/* ternd engine: what goes into an OFFER or ACK: the lease time, T1/T2, the
 * options of (subnet, reservation), handed to the reply builder. */
#include <string.h>

#include <tern/dhcp4.h>

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

	/* A client's wish counts only inside the configured bounds. */
	if (q->has_lt) {
		v = q->want_lt;
		if (v < lo)
			v = lo;
		if (v > hi)
			v = hi;
	}
	return v;
}

/*
 * T1/T2: configured timers when set and consistent with the lease actually
 * granted (T1 < T2 < valid), else the percentages as Kea computes them;
 * when neither works (tiny lifetimes) they are left out and the client
 * uses its defaults.
 */
static bool tee_times(const struct ternd_params *p, uint32_t valid,
		      uint32_t *t1, uint32_t *t2)
{
	uint32_t a = (uint32_t)((double)valid * p->t1_percent);
	uint32_t b = (uint32_t)((double)valid * p->t2_percent);
	uint32_t ca = p->has_renew_timer ? p->renew_timer : a;
	uint32_t cb = p->has_rebind_timer ? p->rebind_timer : b;

	if (ca < cb && cb < valid) {
		*t1 = ca;
		*t2 = cb;
		return true;
	}
	if (a < b && b < valid) {
		*t1 = a;
		*t2 = b;
		return true;
	}
	return false;
}

/* ---- replies ------------------------------------------------------------- */

const struct ternd_optview *e4_opts_for(struct ternd_engine *e, uint32_t si,
					const struct ternd_reservation *res)
{
	const struct ternd_optview *sv = &e->subs[si].opts;
	const struct ternd_optlist *rl;
	size_t i = 0, j = 0, n = 0;

	if (!res || !res->options.n)
		return sv;
	/*
	 * A reservation with options of its own: merge its sorted list over
	 * the subnet's resolved one (both by code), the reservation winning
	 * and its never-send hiding the code. Linear, once per reply.
	 */
	rl = &res->options;
	while ((i < sv->n || j < rl->n) && n < OPTV_MAX) {
		const struct ternd_option *a = i < sv->n ? sv->v[i] : NULL;
		const struct ternd_option *b = j < rl->n ? &rl->v[j] : NULL;

		if (b && (!a || b->code <= a->code)) {
			if (a && a->code == b->code)
				i++;
			j++;
			if (!b->never_send)
				e->res_optv[n++] = b;
		} else {
			e->res_optv[n++] = a;
			i++;
		}
	}
	memset(e->res_idx, 0, sizeof(e->res_idx));
	for (size_t k = 0; k < n; k++)
		e->res_idx[e->res_optv[k]->code] = (uint8_t)(k + 1);
	e->res_view.v = e->res_optv;
	e->res_view.n = n;
	e->res_view.idx = e->res_idx;
	return &e->res_view;
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

	p.type = type;
	p.lease = true;
	p.yiaddr = r->l.addr;
	p.ciaddr = type == TERN_DHCP4_ACK ? q->ciaddr : 0;
	p.server_id = q->server_id;
	p.mask = es->s->mask;
	p.valid = valid;
	p.tee = tee_times(pp, valid, &p.t1, &p.t2);
	/* Required classes, once the lease's address is known (Kea). */
	e4_classify_lease(e, q, r->sub, r->l.addr);
	/* siaddr/sname/file: subnet, then classes, then reservation. */
	p.siaddr = pp->next_server;
	p.sname = pp->server_hostname;
	p.file = pp->boot_file_name;
	e4_class_fields(e, q, &p.siaddr, &p.sname, &p.file);
	if (res && res->next_server)
		p.siaddr = res->next_server;
	if (res && res->server_hostname)
		p.sname = res->server_hostname;
	if (res && res->boot_file_name)
		p.file = res->boot_file_name;
	p.hostname = res ? res->hostname : NULL;
	p.opts = e4_class_opts(e, q, e4_opts_for(e, r->sub, res));
	e4_reply_names(e, q, r, res, &p);
	return e4_finish_tx(e, q, tx, &p);
}

int e4_reply_nak(struct ternd_engine *e, const struct req *q,
		 struct ternd_tx *tx, const char *why)
{
	struct ternd_reply p = {0};

	p.type = TERN_DHCP4_NAK;
	p.server_id = q->server_id;
	p.message = why;
	return e4_finish_tx(e, q, tx, &p);
}
