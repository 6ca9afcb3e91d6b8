/* ternd engine: the client's name (options 81 and 12 through ddns/fqdn) and
 * the DDNS facts of its leases, for the daemon to turn into NCRs. */
#include <errno.h>
#include <string.h>

#include <tern/dhcp4.h>

#include "server/engine4/internal.h"

int e4_names_decode(struct ternd_engine *e, struct req *q)
{
	const struct tern_dhcp4_msg *m = q->m;
	const uint8_t *d;
	int n;

	e->named = false;
	if (tern_dhcp4_has_opt(m, TERN_DHCP4_OPT_FQDN)) {
		n = tern_dhcp4_opt_get(m, TERN_DHCP4_OPT_FQDN, e->fqdn_buf,
				       sizeof(e->fqdn_buf), &d);
		/* Kea drops a packet whose option 81 does not parse. */
		if (n < 0 || ternd_fqdn_parse(d, (size_t)n, &e->fqdn) < 0)
			return -EBADMSG;
		q->has_fqdn = true;
	}
	if (tern_dhcp4_has_opt(m, TERN_DHCP4_OPT_HOST_NAME)) {
		n = tern_dhcp4_opt_get(m, TERN_DHCP4_OPT_HOST_NAME, e->host_buf,
				       sizeof(e->host_buf), &d);
		/* Trailing NULs go; nothing left is no option (Kea skips
		 * it). */
		while (n > 0 && d[n - 1] == 0)
			n--;
		if (n > 0) {
			q->host = d;
			q->host_len = (size_t)n;
		}
	}
	return 0;
}

const struct ternd_client_name *
e4_client_name(struct ternd_engine *e, const struct req *q,
	       const struct ternd_rec *r, const struct ternd_reservation *res)
{
	struct ternd_name_in in;

	if (e->named && e->named_addr == r->l.addr)
		return &e->name;
	memset(&in, 0, sizeof(in));
	in.fqdn = q->has_fqdn ? &e->fqdn : NULL;
	in.host = q->host;
	in.host_len = q->host_len;
	in.reserved = res ? res->hostname : NULL;
	in.p = &e->subs[r->sub].s->params.ddns;
	in.enabled = e->cfg->ddns.enable_updates;
	in.addr = r->l.addr;
	ternd_client_name(&in, &e->name);
	e->named = true;
	e->named_addr = r->l.addr;
	return &e->name;
}

void e4_name_set(struct ternd_engine *e, const struct req *q,
		 struct ternd_rec *r, const struct ternd_reservation *res)
{
	const struct ternd_client_name *nm = e4_client_name(e, q, r, res);
	size_t n = strnlen(nm->hostname, sizeof(r->l.hostname) - 1);

	memcpy(r->l.hostname, nm->hostname, n);
	r->l.hostname[n] = 0;
	r->l.fqdn_fwd = nm->fwd;
	r->l.fqdn_rev = nm->rev;
}

void e4_reply_names(struct ternd_engine *e, const struct req *q,
		    const struct ternd_rec *r,
		    const struct ternd_reservation *res, struct ternd_reply *p)
{
	const struct ternd_client_name *nm = e4_client_name(e, q, r, res);

	if (nm->has81) {
		p->fqdn = nm->opt81;
		p->fqdn_len = nm->len81;
	}
	/* Kea's option 12: with 81 there is none; a reserved name comes
	 * qualified and in lower case. */
	p->hostname = nm->has12 ? nm->host12 : NULL;
}

size_t e4_ddns_room(const struct ternd_engine *e)
{
	return e->cfg->ddns.enable_updates || e->hook_events ? 1 : 0;
}

static bool same_name(const struct ternd_lease *a, const struct ternd_lease *b)
{
	return a->fqdn_fwd == b->fqdn_fwd && a->fqdn_rev == b->fqdn_rev &&
	       strcmp(a->hostname, b->hostname) == 0;
}

/*
 * Kea's createNameChangeRequests: a new lease gets an add; a renewal only
 * when its name or directions changed (the old name's remove first) or
 * with ddns-update-on-renew. Better than Kea: when the client moved to
 * another address, the old lease's name is removed too (Kea sends
 * nothing when the name stayed, leaving DNS on the old address).
 */
void e4_ddns_bound(struct ternd_engine *e, struct chg *c, size_t c0,
		   const struct ternd_rec *r, const struct ternd_lease *old,
		   bool bound)
{
	const struct ternd_ddns_params *p = &e->subs[r->sub].s->params.ddns;
	struct ternd_change *up;

	if (!e->cfg->ddns.enable_updates || c->n == 0)
		return;
	for (size_t i = c0; i + 1 < c->n; i++)
		if (c->v[i].op == TERND_CHANGE_DELETE &&
		    c->v[i].lease.state == TERND_LEASE_BOUND)
			c->v[i].ncr = TERND_NCR_REMOVE;
	if (!p->send_updates)
		return;
	up = &c->v[c->n - 1];
	if (bound && !p->update_on_renew && same_name(old, &up->lease))
		return;
	if (bound && c->n < c->max) {
		/* The old name's remove goes before the new name's add. */
		c->v[c->n] = *up;
		up->op = TERND_CHANGE_NONE;
		up->ncr = TERND_NCR_REMOVE;
		up->lease = *old;
		up = &c->v[c->n++];
	}
	up->ncr = TERND_NCR_ADD;
}

void e4_ddns_end(struct ternd_engine *e, struct chg *c, struct ternd_rec *r)
{
	bool ncr = e->cfg->ddns.enable_updates && r->l.hostname[0] &&
		   (r->l.fqdn_fwd || r->l.fqdn_rev);

	/* The lease as it was also goes to the hook libraries (Kea's
	 * lease4_expire sees it before the name is cleared). */
	if ((ncr || e->hook_events) && c->n < c->max) {
		struct ternd_change *ch = &c->v[c->n++];

		ch->op = TERND_CHANGE_NONE;
		ch->ncr = ncr ? TERND_NCR_REMOVE : TERND_NCR_NONE;
		ch->lease = r->l;
	}
	/* As Kea's reclaimed and declined leases: the name is gone. */
	r->l.hostname[0] = 0;
	r->l.fqdn_fwd = false;
	r->l.fqdn_rev = false;
}
