/* ternd --mesh without a configuration file: the Kea-style configuration that
 * ddhcpd's own command line implies. */
#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/mesh/implied_config.h"

#define MAX_EXCL 64

struct text {
	char *p;
	size_t len, cap;
	bool over;
};

__attribute__((format(printf, 2, 3))) static void put(struct text *t,
						      const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->over)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= t->cap - t->len)
		t->over = true;
	else
		t->len += (size_t)n;
}

/* A JSON string: paths and interface names may hold quotes or backslashes. */
static void put_str(struct text *t, const char *s)
{
	put(t, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			put(t, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			put(t, "\\u%04x", (unsigned char)*s);
		else
			put(t, "%c", *s);
	}
	put(t, "\"");
}

static void put_addr(struct text *t, uint32_t a)
{
	put(t, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255,
	    a & 255);
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void add_excl(uint32_t *v, size_t *n, uint32_t a)
{
	if (*n < MAX_EXCL)
		v[(*n)++] = a;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* The client interface's own IPv4 addresses are never leased. */
static void iface_addrs(const char *ifname, uint32_t *v, size_t *n)
{
	struct ifaddrs *ifa, *i;

	if (getifaddrs(&ifa) < 0)
		return;
	for (i = ifa; i; i = i->ifa_next)
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET &&
		    strcmp(i->ifa_name, ifname) == 0)
			add_excl(v, n,
				 ntohl(((struct sockaddr_in *)i->ifa_addr)
					       ->sin_addr.s_addr));
	freeifaddrs(ifa);
}

/* A netmask's prefix length, or -1 when its ones are not contiguous. */
static int mask_len(uint32_t m)
{
	int len = 0;

	while (len < 32 && (m & (0x80000000u >> len)))
		len++;
	return (len < 32 && (m << len)) ? -1 : len;
}

int ternd_mesh_config_text(const struct ternd_mesh_opts *o, char *buf,
			   size_t buf_len, char *err, size_t err_len)
{
	struct text t = {.p = buf, .cap = buf_len};
	uint32_t net = o->network, last, snet, excl[MAX_EXCL];
	uint32_t lease_time = TERND_MESH_DDHCPD_LEASE_TIME, from;
	uint8_t slen = o->prefix_len;
	size_t n_excl = 0, n_pools = 0;

	if (!o->client_iface[0]) {
		snprintf(err, err_len,
			 "--mesh without a configuration file needs "
			 "-c CLIENT-IFACE (the interface clients are on)");
		return -EINVAL;
	}
	last = net | (o->prefix_len ? ~0u >> o->prefix_len : ~0u);
	snet = net;
	/* The network's own network and broadcast addresses. */
	add_excl(excl, &n_excl, net);
	add_excl(excl, &n_excl, last);
	for (size_t i = 0; i < o->n_opt_args; i++) {
		uint8_t code, len, d[255];

		if (ternd_mesh_opt_parse(o->opt_args[i], &code, &len, d) < 0)
			continue; /* refused by the flag parser already */
		if (code == 1 && len == 4) {
			/* The link's mask: the subnet clients are told of
			 * may be wider than the range the mesh shares. */
			int ml = mask_len(be32(d));

			if (ml < 0 || ml > o->prefix_len) {
				snprintf(err, err_len,
					 "--mesh: -o %s: the subnet mask must "
					 "be contiguous and cover -N",
					 o->opt_args[i]);
				return -EINVAL;
			}
			slen = (uint8_t)ml;
			snet = ml ? net & ~(~0u >> ml) : 0;
		} else if ((code == 3 || code == 28 || code == 54) &&
			   len >= 4 && len % 4 == 0) {
			/* Routers, the broadcast address, the server
			 * identifier: never a client's address. */
			for (uint8_t k = 0; k < len; k += 4)
				add_excl(excl, &n_excl, be32(d + k));
		} else if (code == 51 && len == 4 && be32(d)) {
			lease_time = be32(d);
		}
	}
	if (slen < o->prefix_len) {
		add_excl(excl, &n_excl, snet);
		add_excl(excl, &n_excl, snet | ~0u >> slen);
	}
	iface_addrs(o->client_iface, excl, &n_excl);
	qsort(excl, n_excl, sizeof(excl[0]), cmp_u32);

	put(&t, "{\"Dhcp4\": {\n  \"interfaces-config\": {\"interfaces\": [");
	put_str(&t, o->client_iface);
	put(&t,
	    "]},\n  \"authoritative\": true,\n"
	    "  \"valid-lifetime\": %u,\n  \"offer-lifetime\": %u,\n",
	    lease_time, TERND_MESH_DDHCPD_OFFER_TIME);
	put(&t, "  \"lease-database\": {\"type\": \"sqlite\", \"name\": ");
	if (o->state_dir) {
		char path[4096];

		snprintf(path, sizeof(path), "%s/ternd-leases.sqlite",
			 o->state_dir);
		put_str(&t, path);
	} else {
		put_str(&t, TERND_DEFAULT_STORE_PATH);
	}
	put(&t, "},\n  \"control-socket\": {\"socket-type\": \"unix\", "
		"\"socket-name\": ");
	put_str(&t,
		o->control_path ? o->control_path : TERND_MESH_DEFAULT_CONTROL);
	put(&t, "},\n  \"subnet4\": [{\"id\": 1, \"subnet\": \"");
	put_addr(&t, snet);
	put(&t, "/%u\", \"interface\": ", slen);
	put_str(&t, o->client_iface);
	put(&t, ",\n    \"pools\": [");
	/* The range less the exclusions, as runs of addresses. */
	from = net;
	for (size_t i = 0; i <= n_excl; i++) {
		uint32_t stop = i < n_excl ? excl[i] : last + 1;

		if (i < n_excl && (stop < from || stop > last))
			continue;
		if (stop > from) {
			put(&t, "%s{\"pool\": \"", n_pools ? ", " : "");
			put_addr(&t, from);
			put(&t, " - ");
			put_addr(&t, stop - 1);
			put(&t, "\"}");
			n_pools++;
		}
		if (i == n_excl || stop == last)
			break;
		from = stop + 1;
	}
	put(&t, "]}]\n}}\n");
	if (t.over) {
		snprintf(err, err_len, "--mesh: configuration too long");
		return -ENOBUFS;
	}
	if (!n_pools) {
		snprintf(err, err_len,
			 "--mesh: -N leaves no address to lease once the "
			 "network, broadcast, router and server addresses "
			 "are taken out");
		return -EINVAL;
	}
	return (int)t.len;
}
