/* ternd hooks: the fields of a query the hook libraries read, copied out
 * of the receive buffer. */
#include <arpa/inet.h>
#include <string.h>

#include <tern/dhcp4.h>

#include "server/hooks/internal.h"

void hk_query_from(struct hk_query *q, const struct ternd_rx *rx,
		   const struct tern_dhcp4_msg *m, uint16_t local_port)
{
	int type, n;

	memset(q, 0, sizeof(*q));
	type = tern_dhcp4_get_msg_type(m);
	/* Kea's bootp hook makes a request without option 53 a
	 * DHCPREQUEST. */
	q->type = type > 0 ? (uint8_t)type : TERN_DHCP4_REQUEST;
	q->op = m->hdr.op;
	q->htype = m->hdr.htype;
	q->hlen = m->hdr.hlen > 16 ? 16 : m->hdr.hlen;
	q->hops = m->hdr.hops;
	memcpy(q->chaddr, m->hdr.chaddr, sizeof(q->chaddr));
	q->xid = m->hdr.xid;
	q->secs = m->hdr.secs;
	q->flags = m->hdr.flags;
	q->ciaddr = ntohl(m->hdr.ciaddr.s_addr);
	q->siaddr = ntohl(m->hdr.siaddr.s_addr);
	q->yiaddr = ntohl(m->hdr.yiaddr.s_addr);
	q->giaddr = ntohl(m->hdr.giaddr.s_addr);
	q->local_addr = rx->dst_addr;
	q->local_port = local_port;
	q->remote_addr = rx->src_addr;
	q->remote_port = rx->src_port;
	q->ifindex = rx->ifindex;
	if (rx->ifname)
		snprintf(q->ifname, sizeof(q->ifname), "%s", rx->ifname);
	n = tern_dhcp4_opt_copy(m, TERN_DHCP4_OPT_RAI, q->rai, sizeof(q->rai));
	if (n >= 0) {
		q->has_rai = true;
		q->rai_len = (uint8_t)n;
	}
	n = tern_dhcp4_opt_copy(m, TERN_DHCP4_OPT_CLIENT_ID, q->cid,
				sizeof(q->cid));
	if (n >= 0) {
		q->has_cid = true;
		q->cid_len = (uint8_t)n;
	}
}

int hk_rai_sub(const struct hk_query *q, uint8_t code, const uint8_t **ret)
{
	size_t i = 0;

	if (!q->has_rai)
		return -1;
	while (i + 2 <= q->rai_len) {
		uint8_t c = q->rai[i], len = q->rai[i + 1];

		if (i + 2 + len > q->rai_len)
			return -1;
		if (c == code) {
			*ret = q->rai + i + 2;
			return len;
		}
		i += 2u + len;
	}
	return -1;
}
