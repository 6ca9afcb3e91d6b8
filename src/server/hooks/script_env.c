/* ternd hooks: the environment libdhcp_run_script.so gives its script,
 * variable for variable, value for value. */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <tern/dhcp4.h>

#include "server/hooks/internal.h"

/*
 * Kea-2.2.0:src/hooks/dhcp/run_script/run_script.cc and
 * run_script_callouts.cc: each callout fills a list of "NAME=value" with
 * the extract* helpers, in the order below, and execve()s the script with
 * that list as its whole environment. Formats: integers in decimal,
 * addresses dotted, hardware addresses and client-ids as lower-case hex
 * octets joined by ':' (HWAddr::toText(false), DUID::toText), options as
 * "0x" and upper-case hex (Option::toHexString), booleans "true"/"false".
 * A missing object gives the same names with empty values.
 */

struct env {
	char *buf;
	size_t cap, used;
	char **v;
	size_t max, n;
	bool full;
};

__attribute__((format(printf, 3, 4))) static void
put(struct env *e, const char *name, const char *fmt, ...)
{
	va_list ap;
	int a, b;

	if (e->full)
		return;
	if (e->n + 1 >= e->max) {
		e->full = true;
		return;
	}
	a = snprintf(e->buf + e->used, e->cap - e->used, "%s=", name);
	if (a < 0 || (size_t)a >= e->cap - e->used) {
		e->full = true;
		return;
	}
	va_start(ap, fmt);
	b = vsnprintf(e->buf + e->used + a, e->cap - e->used - (size_t)a, fmt,
		      ap);
	va_end(ap);
	if (b < 0 || (size_t)b >= e->cap - e->used - (size_t)a) {
		e->full = true;
		return;
	}
	e->v[e->n++] = e->buf + e->used;
	e->used += (size_t)a + (size_t)b + 1;
}

/* name = prefix + suffix */
static const char *nm(char *out, size_t cap, const char *prefix,
		      const char *suffix)
{
	snprintf(out, cap, "%s%s", prefix, suffix);
	return out;
}

static void hex_colon(char *out, size_t cap, const uint8_t *p, size_t n)
{
	size_t k = 0;

	out[0] = '\0';
	for (size_t i = 0; i < n && k + 4 <= cap; i++)
		k += (size_t)snprintf(out + k, cap - k, "%s%02x", i ? ":" : "",
				      p[i]);
}

static void addr_text(char out[INET_ADDRSTRLEN], uint32_t a)
{
	struct in_addr x = {htonl(a)};

	inet_ntop(AF_INET, &x, out, INET_ADDRSTRLEN);
}

/* extractHWAddr: NAME and NAME_TYPE; absent: both empty. */
static void hwaddr(struct env *e, const char *prefix, bool present,
		   uint8_t htype, const uint8_t *p, size_t n)
{
	char name[64], text[3 * 20 + 1];

	if (!present) {
		put(e, prefix, "%s", "");
		put(e, nm(name, sizeof(name), prefix, "_TYPE"), "%s", "");
		return;
	}
	hex_colon(text, sizeof(text), p, n);
	put(e, prefix, "%s", text);
	put(e, nm(name, sizeof(name), prefix, "_TYPE"), "%u", htype);
}

/* extractDUID of a client-id: hex octets, or empty. */
static void client_id(struct env *e, const char *name, const uint8_t *p,
		      size_t n)
{
	char text[3 * 255 + 1];

	hex_colon(text, sizeof(text), p, n);
	put(e, name, "%s", text);
}

/* Option::toHexString(false): "0x" and the value, "" when empty. */
static void option_hex(struct env *e, const char *name, const uint8_t *p,
		       size_t n)
{
	char text[2 + 2 * 255 + 1] = "";
	size_t k = 0;

	if (n)
		k = (size_t)snprintf(text, sizeof(text), "0x");
	for (size_t i = 0; i < n; i++)
		k += (size_t)snprintf(text + k, sizeof(text) - k, "%02X", p[i]);
	put(e, name, "%s", text);
}

static const char *msg_name(uint8_t type)
{
	static const char *const names[] = {
		NULL,	       "DHCPDISCOVER", "DHCPOFFER",
		"DHCPREQUEST", "DHCPDECLINE",  "DHCPACK",
		"DHCPNAK",     "DHCPRELEASE",  "DHCPINFORM",
	};

	return type < sizeof(names) / sizeof(names[0]) && names[type]
		       ? names[type]
		       : "UNKNOWN";
}

/*
 * Kea holds option 82's sub-options in a map by code: re-encoded, they
 * come out sorted by code (in received order among equal codes).
 */
static size_t rai_sorted(const struct hk_query *q, uint8_t *out)
{
	size_t k = 0;

	for (unsigned code = 0; code < 256; code++) {
		size_t i = 0;

		while (i + 2 <= q->rai_len) {
			uint8_t len = q->rai[i + 1];

			if (i + 2 + len > q->rai_len)
				break;
			if (q->rai[i] == code) {
				memcpy(out + k, q->rai + i, 2u + len);
				k += 2u + len;
			}
			i += 2u + len;
		}
	}
	return k;
}

/* extractPkt4. */
static void query(struct env *e, const struct hk_query *q)
{
	char a[INET_ADDRSTRLEN];
	uint8_t rai[255];
	const uint8_t *sub;
	int n;

	put(e, "QUERY4_TYPE", "%s", msg_name(q->type));
	put(e, "QUERY4_TXID", "%" PRIu32, q->xid);
	addr_text(a, q->local_addr);
	put(e, "QUERY4_LOCAL_ADDR", "%s", a);
	put(e, "QUERY4_LOCAL_PORT", "%u", q->local_port);
	addr_text(a, q->remote_addr);
	put(e, "QUERY4_REMOTE_ADDR", "%s", a);
	put(e, "QUERY4_REMOTE_PORT", "%u", q->remote_port);
	put(e, "QUERY4_IFACE_INDEX", "%d", q->ifindex);
	put(e, "QUERY4_IFACE_NAME", "%s", q->ifname);
	put(e, "QUERY4_HOPS", "%u", q->hops);
	put(e, "QUERY4_SECS", "%u", q->secs);
	put(e, "QUERY4_FLAGS", "%u", q->flags);
	addr_text(a, q->ciaddr);
	put(e, "QUERY4_CIADDR", "%s", a);
	addr_text(a, q->siaddr);
	put(e, "QUERY4_SIADDR", "%s", a);
	addr_text(a, q->yiaddr);
	put(e, "QUERY4_YIADDR", "%s", a);
	addr_text(a, q->giaddr);
	put(e, "QUERY4_GIADDR", "%s", a);
	put(e, "QUERY4_RELAYED", "%s",
	    q->giaddr && q->giaddr != UINT32_MAX ? "true" : "false");
	hwaddr(e, "QUERY4_HWADDR", true, q->htype, q->chaddr, q->hlen);
	/* Kea takes these from the Ethernet header of a raw socket; ternd
	 * reads packets from UDP sockets, as Kea with dhcp-socket-type udp,
	 * where they are unknown. */
	hwaddr(e, "QUERY4_LOCAL_HWADDR", false, 0, NULL, 0);
	hwaddr(e, "QUERY4_REMOTE_HWADDR", false, 0, NULL, 0);
	if (!q->has_rai)
		return;
	option_hex(e, "QUERY4_OPTION_82", rai, rai_sorted(q, rai));
	if ((n = hk_rai_sub(q, 1, &sub)) >= 0)
		option_hex(e, "QUERY4_OPTION_82_SUB_OPTION_1", sub, (size_t)n);
	if ((n = hk_rai_sub(q, 2, &sub)) >= 0)
		option_hex(e, "QUERY4_OPTION_82_SUB_OPTION_2", sub, (size_t)n);
}

/* extractSubnet4. */
static void subnet(struct env *e, const struct ternd_subnet *s)
{
	char a[INET_ADDRSTRLEN];

	if (!s) {
		put(e, "SUBNET4_ID", "%s", "");
		put(e, "SUBNET4_NAME", "%s", "");
		put(e, "SUBNET4_PREFIX", "%s", "");
		put(e, "SUBNET4_PREFIX_LEN", "%s", "");
		return;
	}
	addr_text(a, s->network);
	put(e, "SUBNET4_ID", "%" PRIu32, s->id);
	put(e, "SUBNET4_NAME", "%s/%u", a, s->prefix_len);
	put(e, "SUBNET4_PREFIX", "%s", a);
	put(e, "SUBNET4_PREFIX_LEN", "%u", s->prefix_len);
}

static const char *state_name(uint8_t kea_state)
{
	switch (kea_state) {
	case TERND_KEA_DEFAULT:
		return "default";
	case TERND_KEA_DECLINED:
		return "declined";
	default:
		return "expired-reclaimed";
	}
}

/* extractLease4. */
static void lease(struct env *e, const char *prefix,
		  const struct ternd_hook_lease *hl)
{
	const struct ternd_lease *l = &hl->l;
	char name[64], a[INET_ADDRSTRLEN];

	addr_text(a, l->addr);
	put(e, nm(name, sizeof(name), prefix, "_ADDRESS"), "%s", a);
	put(e, nm(name, sizeof(name), prefix, "_CLTT"), "%" PRId64, l->cltt);
	put(e, nm(name, sizeof(name), prefix, "_HOSTNAME"), "%s", l->hostname);
	hwaddr(e, nm(name, sizeof(name), prefix, "_HWADDR"), true, l->htype,
	       l->hw, l->hw_len);
	put(e, nm(name, sizeof(name), prefix, "_STATE"), "%s",
	    state_name(hl->kea_state));
	put(e, nm(name, sizeof(name), prefix, "_SUBNET_ID"), "%" PRIu32,
	    l->subnet_id);
	put(e, nm(name, sizeof(name), prefix, "_VALID_LIFETIME"), "%" PRIu32,
	    l->valid_lifetime);
	client_id(e, nm(name, sizeof(name), prefix, "_CLIENT_ID"), l->cid,
		  l->cid_len);
}

/* extractLeases4: NAME_SIZE, then NAME_AT0_... */
static void leases(struct env *e, const char *prefix,
		   const struct ternd_hook_lease *hl, unsigned n)
{
	char name[64];

	put(e, nm(name, sizeof(name), prefix, "_SIZE"), "%u", n);
	if (n)
		lease(e, nm(name, sizeof(name), prefix, "_AT0"), hl);
}

const char *hk_point_name(uint8_t point)
{
	switch (point) {
	case TERND_HOOK_LEASE4_RENEW:
		return "lease4_renew";
	case TERND_HOOK_LEASES4_COMMITTED:
		return "leases4_committed";
	case TERND_HOOK_LEASE4_RELEASE:
		return "lease4_release";
	case TERND_HOOK_LEASE4_DECLINE:
		return "lease4_decline";
	case TERND_HOOK_LEASE4_EXPIRE:
		return "lease4_expire";
	case TERND_HOOK_LEASE4_RECOVER:
		return "lease4_recover";
	default:
		return NULL;
	}
}

int hk_script_env(const struct ternd_config *cfg, const struct hk_query *q,
		  const struct ternd_hook_event *ev, char *buf, size_t cap,
		  char **envp, size_t max)
{
	struct env e = {buf, cap, 0, envp, max, 0, false};
	const struct ternd_hook_lease *l = ev->n_leases ? &ev->lease : NULL;

	if (!max || !cap)
		return -ENOBUFS;
	switch (ev->point) {
	case TERND_HOOK_LEASE4_RENEW:
		if (!q || !l)
			return -EINVAL;
		query(&e, q);
		subnet(&e, ternd_config_subnet_by_id(cfg, l->l.subnet_id));
		client_id(&e, "PKT4_CLIENT_ID", q->cid,
			  ev->pass_client_id && q->has_cid ? q->cid_len : 0);
		hwaddr(&e, "PKT4_HWADDR", true, q->htype, q->chaddr, q->hlen);
		lease(&e, "LEASE4", l);
		break;
	case TERND_HOOK_LEASE4_EXPIRE:
		if (!l)
			return -EINVAL;
		lease(&e, "LEASE4", l);
		put(&e, "REMOVE_LEASE", "%s",
		    ev->remove_lease ? "true" : "false");
		break;
	case TERND_HOOK_LEASE4_RECOVER:
		if (!l)
			return -EINVAL;
		lease(&e, "LEASE4", l);
		break;
	case TERND_HOOK_LEASES4_COMMITTED:
		if (!q)
			return -EINVAL;
		query(&e, q);
		leases(&e, "LEASES4", &ev->lease, ev->n_leases);
		leases(&e, "DELETED_LEASES4", &ev->deleted, ev->n_deleted);
		break;
	case TERND_HOOK_LEASE4_RELEASE:
	case TERND_HOOK_LEASE4_DECLINE:
		if (!q || !l)
			return -EINVAL;
		query(&e, q);
		lease(&e, "LEASE4", l);
		break;
	default:
		return -EINVAL;
	}
	if (e.full)
		return -ENOBUFS;
	envp[e.n] = NULL;
	return (int)e.n;
}
