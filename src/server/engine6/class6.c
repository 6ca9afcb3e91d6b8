/* ternd DHCPv6 engine: Kea 2.2's built-in client classes of a request
 * (ALL, VENDOR_CLASS_ from option 16, KNOWN / UNKNOWN and the host's
 * reserved client-classes once the host lookup is done) and what they gate:
 * subnets, shared networks, pools. */
#include <string.h>

#include "server/engine6/internal6.h"

#define VENDOR_CLASS_PREFIX "VENDOR_CLASS_"

/* Whether the tuples of option 16 (after its enterprise number) hold
 * one equal to s. */
static bool has_tuple(const uint8_t *p, size_t n, const char *s)
{
	size_t sl = strlen(s);

	while (n >= 2) {
		size_t l = (size_t)p[0] << 8 | p[1];

		if (l > n - 2)
			return false;
		if (l == sl && memcmp(p + 2, s, l) == 0)
			return true;
		p += 2 + l;
		n -= 2 + l;
	}
	return false;
}

void e6_vendor_class(struct e6_req *r, const uint8_t *v, uint16_t len)
{
	static const char modem[] = "docsis3.0", erouter[] = "eRouter1.0";
	size_t l;

	if (r->vclass || len < 4 + 2)
		return; /* the first option 16; no tuple: no class */
	l = (size_t)v[4] << 8 | v[5];
	if (l > (size_t)len - 6u)
		return; /* Kea cannot read it */
	/* Kea's classifyByVendor: the DOCSIS ones wherever they are, else
	 * the first tuple's text. */
	if (has_tuple(v + 4, len - 4u, modem)) {
		r->vclass = (const uint8_t *)modem;
		r->vclass_len = sizeof(modem) - 1;
	} else if (has_tuple(v + 4, len - 4u, erouter)) {
		r->vclass = (const uint8_t *)erouter;
		r->vclass_len = sizeof(erouter) - 1;
	} else {
		r->vclass = v + 6;
		r->vclass_len = (uint16_t)l;
	}
}

bool e6_member(const struct e6_req *r, const char *cls)
{
	size_t pl = sizeof(VENDOR_CLASS_PREFIX) - 1;

	if (!cls || strcmp(cls, "ALL") == 0)
		return true;
	if (strcmp(cls, "KNOWN") == 0)
		return r->known_ready && r->res;
	if (strcmp(cls, "UNKNOWN") == 0)
		return r->known_ready && !r->res;
	if (strncmp(cls, VENDOR_CLASS_PREFIX, pl) == 0 && r->vclass &&
	    strlen(cls + pl) == r->vclass_len &&
	    memcmp(cls + pl, r->vclass, r->vclass_len) == 0)
		return true;
	/* Kea's setReservedClientClasses: the host's classes, once found,
	 * before the allocation only when the selected subnet is in no
	 * shared network (initContext); in one, Kea adds them after
	 * assignLeases, when nothing here asks any more. */
	if (r->known_ready && r->res && r->subnet && !r->subnet->network)
		for (size_t i = 0; i < r->res->n_classes; i++)
			if (strcmp(r->res->classes[i], cls) == 0)
				return true;
	return false;
}

bool e6_subnet_ok(const struct e6_req *r, const struct ternd_subnet6 *s)
{
	return s && (!s->network || e6_member(r, s->network->client_class)) &&
	       e6_member(r, s->client_class);
}

const struct ternd_subnet6 *e6_walk(const struct e6_req *r,
				    const struct ternd_subnet6 *first,
				    const struct ternd_subnet6 *cur)
{
	do
		cur = e6_next_subnet(r->e, first, cur);
	while (cur && !e6_subnet_ok(r, cur));
	return cur;
}
