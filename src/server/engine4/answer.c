/* ternd engine: what goes into an OFFER or ACK: the lease time, T1/T2, the
 * options of (subnet, reservation), handed to the reply builder. */
#include <string.h>

#include <tern/dhcp4.h>

#include "server/engine4/internal.h"

/* ---- lifetimes ----------------------------------------------------------- */

uint32_t e4_lease_time(const struct ternd_engine *e, const struct req *q,
		       const struct ternd_params *p)
{
	uint32_t v = p->valid_lifetime;

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
		if (v < p->min_valid_lifetime)
			v = p->min_valid_lifetime;
		if (v > p->max_valid_lifetime)
			v = p->max_valid_lifetime;
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
 * from its network and the global level), then the reservation's where it
 * sets one. Client classes come between; they are not read yet.
 */
void e4_fixed_fields(const struct ternd_params *pp,
		     const struct ternd_reservation *res, struct ternd_reply *p)
{
	p->siaddr = pp->next_server;
	p->sname = pp->server_hostname;
	p->file = pp->boot_file_name;
	if (!res)
		return;
	if (res->next_server)
		p->siaddr = res->next_server;
	if (res->server_hostname)
		p->sname = res->server_hostname;
	if (res->boot_file_name)
		p->file = res->boot_file_name;
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
	e4_fixed_fields(pp, res, &p);
	p.opts = e4_opts_for(e, r->sub, res);
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
