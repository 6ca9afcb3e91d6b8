/* tern-mgr: a client's lease as key/value pairs (events, hooks, model). */
#include <stdio.h>
#include <string.h>

#include "events.h"
#include "handlers.h"

/* "a b c" -> "a,b,c": TR-181 lists are comma-separated. */
static void commas(const char *in, char *out, size_t cap)
{
	size_t n = 0;
	bool sep = false;

	for (; *in && n + 1 < cap; in++) {
		if (*in == ' ' || *in == ',') {
			sep = n > 0;
			continue;
		}
		if (sep && n + 2 < cap)
			out[n++] = ',';
		sep = false;
		out[n++] = *in;
	}
	out[n] = '\0';
}

static void put_u(mgr_kv_fn fn, void *ctx, const char *key, uint64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v);
	fn(ctx, key, buf);
}

static void v4_kv(const struct mgr_client *c, int64_t now, mgr_kv_fn fn,
		  void *ctx)
{
	const struct tern_lease_v4 *l = &c->lease.data.v4;
	char buf[TERN_LEASE_ROUTES_LEN];

	fn(ctx, "IPAddress", l->address);
	fn(ctx, "SubnetMask", l->netmask);
	commas(l->gateway, buf, sizeof(buf));
	fn(ctx, "IPRouters", buf);
	if (l->dns_servers[0]) {
		commas(l->dns_servers, buf, sizeof(buf));
	} else {
		snprintf(buf, sizeof(buf), "%s%s%s", l->dns_server,
			 l->dns_server1[0] ? "," : "", l->dns_server1);
	}
	fn(ctx, "DNSServers", buf);
	fn(ctx, "DHCPServer", l->dhcp_server_id);
	put_u(fn, ctx, "LeaseTime", l->lease_time);
	put_u(fn, ctx, "LeaseTimeRemaining",
	      c->expiry > now ? (uint64_t)(c->expiry - now) : 0);
	put_u(fn, ctx, "MTU", l->mtu_assigned ? l->mtu_size : 1500);
	fn(ctx, "Broadcast", l->broadcast);
	fn(ctx, "DomainName", l->domain_name);
	commas(l->ntp_servers, buf, sizeof(buf));
	fn(ctx, "NTPServers", buf);
	fn(ctx, "StaticRoutes", l->static_routes);
	fn(ctx, "HostName", l->host_name);
}

static void v6_kv(const struct mgr_client *c, int64_t now, mgr_kv_fn fn,
		  void *ctx)
{
	const struct tern_lease_v6 *l = &c->lease.data.v6;
	char buf[TERN_LEASE_SEARCH_LEN];

	fn(ctx, "IANAAddress", l->ia_na[0].assigned ? l->ia_na[0].address : "");
	put_u(fn, ctx, "IANAPreferredLifetime", l->ia_na[0].preferred);
	put_u(fn, ctx, "IANAValidLifetime", l->ia_na[0].valid);
	if (l->ia_pd[0].assigned)
		snprintf(buf, sizeof(buf), "%s/%u", l->ia_pd[0].prefix,
			 l->ia_pd[0].prefix_len);
	else
		buf[0] = '\0';
	fn(ctx, "IAPDPrefix", buf);
	put_u(fn, ctx, "IAPDPreferredLifetime", l->ia_pd[0].preferred);
	put_u(fn, ctx, "IAPDValidLifetime", l->ia_pd[0].valid);
	put_u(fn, ctx, "LeaseTimeRemaining",
	      c->expiry > now ? (uint64_t)(c->expiry - now) : 0);
	commas(l->dns_servers, buf, sizeof(buf));
	fn(ctx, "DNSServers", buf);
	commas(l->domain_search, buf, sizeof(buf));
	fn(ctx, "DomainSearch", buf);
	commas(l->ntp_servers, buf, sizeof(buf));
	fn(ctx, "NTPServers", buf);
	fn(ctx, "AFTRName", l->aftr_name);
	fn(ctx, "ServerAddress", l->server_addr);
	mgr_mapt_kv(c, fn, ctx);
}

void mgr_lease_kv(const struct mgr_client *c, int64_t now, mgr_kv_fn fn,
		  void *ctx)
{
	if (!c->have_lease)
		return;
	if (c->version == 4)
		v4_kv(c, now, fn, ctx);
	else
		v6_kv(c, now, fn, ctx);
}
