/* ternd DHCPv6 engine: a client's hardware address for hw-address
 * reservations, from the configured mac-sources in order, as kea-dhcp6
 * 2.2's getMAC (Pkt6::getMACFrom*). */
#include <string.h>

#include "server/engine6/internal6.h"

#define OPT_CLIENT_LINKLAYER 79 /* RFC 6939 */
#define OPT_REMOTE_ID	     37 /* RFC 4649 */
#define CABLELABS	     4491
#define DOCSIS_DEVICE_ID     36	  /* client's 17/4491 sub-option */
#define DOCSIS_CMTS_CM_MAC   1026 /* a relay's 17/4491 sub-option */
#define HW_MAX		     20	  /* Kea's HWAddr::MAX_HWADDR_LEN */

static bool take(const uint8_t *p, size_t len, uint8_t *out, size_t *ret)
{
	/* Kea's HWAddr refuses more than 20 bytes (the packet is then
	 * not answered by Kea; here it simply has none). */
	if (!len || len > HW_MAX)
		return false;
	memcpy(out, p, len);
	*ret = len;
	return true;
}

/* Pkt6::getMACFromDUID: DUID-LL of 5 bytes or more, DUID-LLT of 9. */
static bool from_duid(const struct e6_req *r, uint8_t *out, size_t *ret)
{
	const uint8_t *d = r->client_id;
	size_t n = r->client_id_len;
	uint16_t type;

	if (!d || n < 2)
		return false;
	type = (uint16_t)(d[0] << 8 | d[1]);
	if (type == TERN_DHCP6_DUID_LL && n >= 5)
		return take(d + 4, n - 4, out, ret);
	if (type == TERN_DHCP6_DUID_LLT && n >= 9)
		return take(d + 8, n - 8, out, ret);
	return false;
}

/* Pkt::getMACFromIPv6: a link-local address with a modified EUI-64
 * interface id (u bit set, g clear, ff:fe in the middle). */
static bool from_link_local(const struct e6_req *r, uint8_t *out, size_t *ret)
{
	const struct in6_addr *a =
		r->n_relays ? &r->relays[r->n_relays - 1].peer_addr
			    : &r->rx->src;
	const uint8_t *b = a->s6_addr;

	if (b[0] != 0xfe || b[1] != 0x80 || (b[8] & 3) != 2 || b[11] != 0xff ||
	    b[12] != 0xfe)
		return false;
	out[0] = b[8] ^ 2;
	out[1] = b[9];
	out[2] = b[10];
	memcpy(out + 3, b + 13, 3);
	*ret = 6;
	return true;
}

/* An option of the relay nearest the client (Kea's RELAY_GET_FIRST). */
static int nearest(const struct e6_req *r, uint16_t code, const uint8_t **v)
{
	const struct tern_dhcp6_relay *in;

	if (!r->n_relays)
		return -1;
	in = &r->relays[r->n_relays - 1];
	return tern_dhcp6_opt_find(in->opts, in->opts_len, code, v);
}

/* Sub-option code of a CableLabs option 17 value, -1 if not there. */
static int cablelabs_sub(const uint8_t *v, int len, uint16_t code,
			 const uint8_t **ret)
{
	if (len < 4 || ((uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 |
			(uint32_t)v[2] << 8 | v[3]) != CABLELABS)
		return -1;
	return tern_dhcp6_opt_find(v + 4, (size_t)len - 4, code, ret);
}

static bool from(const struct e6_req *r, uint8_t src, uint8_t *out, size_t *ret)
{
	const uint8_t *v;
	int n;

	switch (src) {
	case TERND6_MAC_CLIENT_LINKADDR:
		n = nearest(r, OPT_CLIENT_LINKLAYER, &v);
		return n >= 3 && take(v + 2, (size_t)n - 2, out, ret);
	case TERND6_MAC_DUID:
		return from_duid(r, out, ret);
	case TERND6_MAC_LINK_LOCAL:
		return from_link_local(r, out, ret);
	case TERND6_MAC_REMOTE_ID:
		/* Kea caps it at 20 bytes rather than refusing it. */
		n = nearest(r, OPT_REMOTE_ID, &v);
		return n >= 5 &&
		       take(v + 4,
			    (size_t)n - 4 > HW_MAX ? HW_MAX : (size_t)n - 4,
			    out, ret);
	case TERND6_MAC_DOCSIS_CMTS:
		/* The first relay from the client with an option 17. */
		for (int i = r->n_relays - 1; i >= 0; i--) {
			n = tern_dhcp6_opt_find(r->relays[i].opts,
						r->relays[i].opts_len,
						TERN_DHCP6_OPT_VENDOR_OPTS, &v);
			if (n < 0)
				continue;
			n = cablelabs_sub(v, n, DOCSIS_CMTS_CM_MAC, &v);
			return n > 0 && take(v, (size_t)n, out, ret);
		}
		return false;
	case TERND6_MAC_DOCSIS_MODEM:
		n = tern_dhcp6_msg_find(&r->m, TERN_DHCP6_OPT_VENDOR_OPTS, &v);
		if (n < 0)
			return false;
		n = cablelabs_sub(v, n, DOCSIS_DEVICE_ID, &v);
		return n > 0 && take(v, (size_t)n, out, ret);
	default:
		/* raw: ternd reads DHCPv6 over UDP, as Kea 2.2, which has
		 * no frame address then; subscriber-id: Kea 2.2 reads
		 * none. */
		return false;
	}
}

bool e6_client_hw(const struct e6_req *r, uint8_t *out, size_t *ret_len)
{
	static const uint8_t any[] = {
		TERND6_MAC_RAW,		 TERND6_MAC_CLIENT_LINKADDR,
		TERND6_MAC_DUID,	 TERND6_MAC_LINK_LOCAL,
		TERND6_MAC_REMOTE_ID,	 TERND6_MAC_DOCSIS_CMTS,
		TERND6_MAC_DOCSIS_MODEM,
	};
	const struct ternd_config6 *c6 = r->e->c6;
	size_t n = c6->n_mac_sources ? c6->n_mac_sources : 1;

	for (size_t i = 0; i < n; i++) {
		uint8_t s =
			c6->n_mac_sources ? c6->mac_sources[i] : TERND6_MAC_ANY;

		if (s != TERND6_MAC_ANY) {
			if (from(r, s, out, ret_len))
				return true;
			continue;
		}
		for (size_t k = 0; k < sizeof(any); k++)
			if (from(r, any[k], out, ret_len))
				return true;
	}
	return false;
}
