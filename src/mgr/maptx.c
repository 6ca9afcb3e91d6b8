/* tern-mgr: the MAP-T processor (option 95 -> TR-181 Map* parameters). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "log.h"

int mgr_mapt_update(struct mgr_client *c)
{
	const struct tern_lease_v6 *l = &c->lease.data.v6;
	struct tern_mapt_container mc;
	struct tern_mapt_result res;
	struct in6_addr pd;
	int r = 0;

	c->mapt_assigned = false;
	memset(&c->mapt, 0, sizeof(c->mapt));
	if (!c->have_lease || !l->mapt_len)
		return 0;
	r = tern_mapt_parse(l->mapt, l->mapt_len, TERN_MAP_T, &mc);
	if (r < 0)
		goto out;
	memset(&pd, 0, sizeof(pd));
	if (l->ia_pd[0].assigned &&
	    inet_pton(AF_INET6, l->ia_pd[0].prefix, &pd) != 1) {
		r = -EINVAL;
		goto out;
	}
	r = tern_mapt_derive(&mc, &pd,
			     l->ia_pd[0].assigned ? l->ia_pd[0].prefix_len : 0,
			     &res);
	if (r < 0)
		goto out;
	c->mapt = res;
	c->mapt_assigned = true;
out:
	/* The lease stays usable for IPv6; only MAP-T is off. */
	if (r < 0)
		mgr_log(LOG_ERR, "%s: invalid MAP-T option 95: %s", l->ifname,
			tern_strerror(r));
	return r;
}

void mgr_mapt_kv(const struct mgr_client *c, mgr_kv_fn fn, void *ctx)
{
	const struct tern_mapt_result *r = &c->mapt;
	char buf[INET6_ADDRSTRLEN + 8];

	fn(ctx, "MapAssigned", c->mapt_assigned ? "true" : "false");
	if (!c->mapt_assigned)
		return;
	fn(ctx, "MapTransportMode", tern_map_mode_name(r->transport_mode));
	tern_mapt_format_prefix6(&r->br_prefix, r->br_plen, buf, sizeof(buf));
	fn(ctx, "MapBRPrefix", buf);
	tern_mapt_format_prefix4(&r->rule_v4_prefix, r->rule_v4_plen, buf,
				 sizeof(buf));
	fn(ctx, "MapRuleIPv4Prefix", buf);
	tern_mapt_format_prefix6(&r->rule_v6_prefix, r->rule_v6_plen, buf,
				 sizeof(buf));
	fn(ctx, "MapRuleIPv6Prefix", buf);
	snprintf(buf, sizeof(buf), "%u", r->ea_len);
	fn(ctx, "MapEALen", buf);
	snprintf(buf, sizeof(buf), "%u", r->psid_offset);
	fn(ctx, "MapPSIDOffset", buf);
	snprintf(buf, sizeof(buf), "%u", r->psid_len);
	fn(ctx, "MapPSIDLen", buf);
	snprintf(buf, sizeof(buf), "%u", r->psid);
	fn(ctx, "MapPSID", buf);
	fn(ctx, "MapIsFMR", r->is_fmr ? "true" : "false");
	inet_ntop(AF_INET, &r->ipv4_addr, buf, sizeof(buf));
	fn(ctx, "MapIpv4Address", buf);
	snprintf(buf, sizeof(buf), "%u", r->ratio);
	fn(ctx, "MapRatio", buf);
}
