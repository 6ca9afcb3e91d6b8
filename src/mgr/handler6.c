/* tern-mgr: the DHCPv6 lease handler (merge, change detection, apply). */
#include <string.h>

#include "handlers.h"
#include "log.h"
#include "manager.h"
#include "util.h"

/* An IA_NA address or IA_PD prefix is taken only if given and not
 * withdrawn (dibbler's zero-lifetime prefix replacement). */
static const struct tern_lease_ia_na *first_na(const struct tern_lease_v6 *l)
{
	for (int k = 0; k < TERN_LEASE_V6_MAX_IA; k++)
		if (l->ia_na[k].assigned &&
		    !(l->ia_na[k].flags & TERN_LEASE_IA_F_WITHDRAWN))
			return &l->ia_na[k];
	return NULL;
}

static const struct tern_lease_ia_pd *first_pd(const struct tern_lease_v6 *l)
{
	for (int k = 0; k < TERN_LEASE_V6_MAX_IA; k++)
		if (l->ia_pd[k].assigned &&
		    !(l->ia_pd[k].flags & TERN_LEASE_IA_F_WITHDRAWN))
			return &l->ia_pd[k];
	return NULL;
}

bool mgr_v6_merge(const struct mgr_client *c, const struct tern_lease_v6 *l,
		  struct tern_lease_v6 *ret)
{
	const struct tern_lease_v6 *cur =
		c->have_lease ? &c->lease.data.v6 : NULL;
	const struct tern_lease_ia_na *na = first_na(l);
	const struct tern_lease_ia_pd *pd = first_pd(l);
	struct tern_lease_ia_na na0;
	struct tern_lease_ia_pd pd0;

	memset(&na0, 0, sizeof(na0));
	memset(&pd0, 0, sizeof(pd0));
	/* RDK's rule: a reply that lacks one IA keeps the one we hold. */
	if (na)
		na0 = *na;
	else if (cur && cur->ia_na[0].assigned)
		na0 = cur->ia_na[0];
	if (pd)
		pd0 = *pd;
	else if (cur && cur->ia_pd[0].assigned)
		pd0 = cur->ia_pd[0];
	*ret = *l;
	memset(ret->ia_na, 0, sizeof(ret->ia_na));
	memset(ret->ia_pd, 0, sizeof(ret->ia_pd));
	ret->ia_na[0] = na0;
	ret->ia_pd[0] = pd0;
	ret->is_expired = 0;
	ret->flags &= ~TERN_LEASE_F_PD_REPLACE;
	/* Options a partial reply leaves out stay as they were. */
	if (cur && !na && !pd) {
		memcpy(ret->dns_servers, cur->dns_servers,
		       sizeof(ret->dns_servers));
		memcpy(ret->domain_search, cur->domain_search,
		       sizeof(ret->domain_search));
	}
	if (cur && !l->mapt_len && !pd && cur->mapt_len) {
		ret->mapt_len = cur->mapt_len;
		memcpy(ret->mapt, cur->mapt, sizeof(ret->mapt));
	}
	return na0.assigned || pd0.assigned;
}

bool mgr_v6_changed(const struct mgr_client *c, const struct tern_lease_v6 *l)
{
	const struct tern_lease_v6 *cur = &c->lease.data.v6;

	if (!c->have_lease)
		return true;
	/* Lifetimes, T1 and T2 move on every renew: comparing them tore the
	 * WAN down in RDK. */
	return cur->ia_na[0].assigned != l->ia_na[0].assigned ||
	       strcmp(cur->ia_na[0].address, l->ia_na[0].address) ||
	       cur->ia_pd[0].assigned != l->ia_pd[0].assigned ||
	       strcmp(cur->ia_pd[0].prefix, l->ia_pd[0].prefix) ||
	       cur->ia_pd[0].prefix_len != l->ia_pd[0].prefix_len ||
	       strcmp(cur->dns_servers, l->dns_servers) ||
	       strcmp(cur->domain_search, l->domain_search) ||
	       strcmp(cur->ntp_servers, l->ntp_servers) ||
	       strcmp(cur->aftr_name, l->aftr_name) ||
	       cur->mapt_len != l->mapt_len ||
	       memcmp(cur->mapt, l->mapt, l->mapt_len) ||
	       cur->mape_len != l->mape_len ||
	       memcmp(cur->mape, l->mape, l->mape_len);
}

bool mgr_v6_stale(const struct mgr_client *c, const struct tern_lease_v6 *l)
{
	const struct tern_lease_v6 *cur = &c->lease.data.v6;
	bool named = false;

	if (!c->have_lease)
		return true;
	for (int k = 0; k < TERN_LEASE_V6_MAX_IA; k++) {
		if (l->ia_na[k].address[0]) {
			named = true;
			if (!strcmp(l->ia_na[k].address, cur->ia_na[0].address))
				return false;
		}
		if (l->ia_pd[k].prefix[0]) {
			named = true;
			if (!strcmp(l->ia_pd[k].prefix, cur->ia_pd[0].prefix) &&
			    l->ia_pd[k].prefix_len == cur->ia_pd[0].prefix_len)
				return false;
		}
	}
	/* An expiry naming nothing is about the whole lease. */
	return named;
}

static void unapply(struct mgr *m, const struct tern_lease_v6 *cur)
{
	const struct tern_lease_ia_na *na = &cur->ia_na[0];
	int r;

	if (!na->assigned)
		return;
	r = m->net->addr6(m->net->ctx, cur->ifname, na->address, 128, 0, 0,
			  false);
	if (r < 0 && r != -EADDRNOTAVAIL)
		mgr_log(LOG_WARNING, "%s: cannot remove %s: %s", cur->ifname,
			na->address, strerror(-r));
}

static void apply(struct mgr *m, const struct tern_lease_v6 *l)
{
	const struct tern_lease_ia_na *na = &l->ia_na[0];
	int r;

	if (!na->assigned)
		return;
	/* Re-adding with NLM_F_REPLACE also refreshes the lifetimes. */
	r = m->net->addr6(m->net->ctx, l->ifname, na->address, 128,
			  na->preferred, na->valid, true);
	if (r < 0)
		mgr_log(LOG_ERR, "%s: cannot add %s: %s", l->ifname,
			na->address, strerror(-r));
}

enum mgr_event mgr_v6_expire(struct mgr *m, struct mgr_client *c)
{
	if (!c->have_lease)
		return MGR_EV_NONE;
	unapply(m, &c->lease.data.v6);
	mgr_client_clear_lease(c);
	if (m->cfg.resolv_conf)
		mgr_resolv_write(m);
	return MGR_EV_LEASE_DEL;
}

static int64_t expiry_of(const struct tern_lease_v6 *l, int64_t now)
{
	uint32_t v = 0;

	if (l->ia_na[0].assigned)
		v = l->ia_na[0].valid;
	if (l->ia_pd[0].assigned && l->ia_pd[0].valid > v)
		v = l->ia_pd[0].valid;
	if (v == UINT32_MAX || v == 0)
		return 0;
	return now + v;
}

enum mgr_event mgr_v6_handle(struct mgr *m, struct mgr_client *c,
			     const struct tern_lease_v6 *l, int64_t now)
{
	struct tern_lease_v6 merged;
	bool changed;

	if (l->is_expired) {
		if (mgr_v6_stale(c, l)) {
			/* dibbler reports old prefixes going away late. */
			mgr_log(LOG_INFO, "%s: expiry of a stale lease ignored",
				l->ifname);
			return MGR_EV_NONE;
		}
		return mgr_v6_expire(m, c);
	}
	if (!mgr_v6_merge(c, l, &merged)) {
		/* A zero-lifetime prefix replacement is not a lease loss. */
		if (l->flags & TERN_LEASE_F_PD_REPLACE)
			mgr_log(LOG_INFO, "%s: prefix replaced, lease kept",
				l->ifname);
		return MGR_EV_NONE;
	}
	changed = mgr_v6_changed(c, &merged);
	if (changed && c->have_lease &&
	    strcmp(c->lease.data.v6.ia_na[0].address, merged.ia_na[0].address))
		unapply(m, &c->lease.data.v6);
	apply(m, &merged);
	c->have_lease = true;
	memset(&c->lease, 0, sizeof(c->lease));
	c->lease.version = TERN_LEASE_V6;
	mgr_strlcpy(c->lease.ifname, l->ifname, sizeof(c->lease.ifname));
	c->lease.data.v6 = merged;
	c->lease_start = now;
	c->expiry = expiry_of(&merged, now);
	c->dhcp_status = MGR_DS_BOUND;
	c->status = MGR_ST_ENABLED;
	if (changed) {
		mgr_mapt_update(c);
		if (m->cfg.resolv_conf)
			mgr_resolv_write(m);
	}
	return changed ? MGR_EV_LEASE_UPDATE : MGR_EV_LEASE_RENEW;
}
