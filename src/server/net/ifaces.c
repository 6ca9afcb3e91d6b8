/* ternd interface discovery: configured names to ifindex, address, MAC. */
#include "server/net/ifaces.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>

/* getifaddrs names an address with a label ("eth0:1") after its label:
 * the device is the part before the colon. */
static bool same_dev(const char *ifa_name, const char *dev)
{
	size_t n = strlen(dev);

	return strncmp(ifa_name, dev, n) == 0 &&
	       (ifa_name[n] == '\0' || ifa_name[n] == ':');
}

static uint32_t sin_host(const struct sockaddr *sa)
{
	struct sockaddr_in sin;

	memcpy(&sin, sa, sizeof(sin));
	return ntohl(sin.sin_addr.s_addr);
}

/*
 * Fill *ret for device dev from the list: ifindex and MAC from its
 * AF_PACKET entry, address and mask from its first IPv4 entry (or the one
 * equal to want when want != 0). Returns 0, -ENODEV, -EADDRNOTAVAIL.
 */
static int fill_one(const struct ifaddrs *list, const char *dev, uint32_t want,
		    struct ternd_ifinfo *ret)
{
	const struct ifaddrs *a;
	struct ternd_ifinfo info;
	bool found_addr = false;
	unsigned idx;

	idx = if_nametoindex(dev);
	if (idx == 0)
		return -ENODEV;
	memset(&info, 0, sizeof(info));
	info.ifindex = (int)idx;
	strncpy(info.name, dev, sizeof(info.name) - 1);

	for (a = list; a; a = a->ifa_next) {
		if (!a->ifa_addr || !same_dev(a->ifa_name, dev))
			continue;
		if (a->ifa_addr->sa_family == AF_PACKET) {
			struct sockaddr_ll ll;

			memcpy(&ll, a->ifa_addr, sizeof(ll));
			if (ll.sll_halen == sizeof(info.mac))
				memcpy(info.mac, ll.sll_addr, sizeof(info.mac));
		} else if (a->ifa_addr->sa_family == AF_INET && !found_addr) {
			uint32_t addr = sin_host(a->ifa_addr);

			if (want && addr != want)
				continue;
			info.addr = addr;
			info.mask = a->ifa_netmask ? sin_host(a->ifa_netmask)
						   : 0xffffffffu;
			found_addr = true;
		}
	}
	if (!found_addr)
		return -EADDRNOTAVAIL;
	*ret = info;
	return 0;
}

static ssize_t find_index(const struct ternd_ifinfo *v, size_t n, int ifindex)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].ifindex == ifindex)
			return (ssize_t)i;
	return -1;
}

int ternd_ifaces_resolve(const struct ternd_iface *want, size_t n_want,
			 bool strict, struct ternd_ifinfo *out, size_t max)
{
	struct ifaddrs *list = NULL;
	const struct ifaddrs *a;
	struct ternd_ifinfo info;
	size_t n = 0, i;
	bool any = false;
	int r;

	if ((!want && n_want) || (!out && max))
		return -EINVAL;
	if (getifaddrs(&list) < 0)
		return -errno;

	/* Explicit names first so their address choice wins over "*". */
	for (i = 0; i < n_want; i++) {
		ssize_t k;

		if (strcmp(want[i].name, "*") == 0) {
			any = true;
			continue;
		}
		r = fill_one(list, want[i].name, want[i].addr, &info);
		if (r < 0) {
			if (strict)
				goto out;
			continue;
		}
		k = find_index(out, n, info.ifindex);
		if (k >= 0) {
			if (out[k].addr != info.addr && strict) {
				r = -EINVAL;
				goto out;
			}
			continue;
		}
		if (n == max) {
			r = -E2BIG;
			goto out;
		}
		out[n++] = info;
	}

	/* Every up, non-loopback interface with an IPv4 address; getifaddrs
	 * lists one entry per address, so skip devices already taken. */
	for (a = any ? list : NULL; a; a = a->ifa_next) {
		char dev[IF_NAMESIZE];
		size_t len;

		if (!a->ifa_addr || a->ifa_addr->sa_family != AF_INET)
			continue;
		if (!(a->ifa_flags & IFF_UP) || (a->ifa_flags & IFF_LOOPBACK))
			continue;
		len = strcspn(a->ifa_name, ":");
		if (len == 0 || len >= sizeof(dev))
			continue;
		memcpy(dev, a->ifa_name, len);
		dev[len] = '\0';
		if (fill_one(list, dev, 0, &info) < 0)
			continue; /* vanished meanwhile */
		if (find_index(out, n, info.ifindex) >= 0)
			continue;
		if (n == max) {
			r = -E2BIG;
			goto out;
		}
		out[n++] = info;
	}
	r = (int)n;
out:
	freeifaddrs(list);
	return r;
}
