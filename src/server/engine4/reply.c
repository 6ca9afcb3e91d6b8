/* ternd reply builder: options in priority order within the client's size
 * limit, and §4.1 routing. */
#include "server/engine4/reply.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

/* IP + UDP headers: option 57 counts the whole datagram (RFC 2132 §9.10). */
#define IP_UDP_LEN 28

static struct in_addr inaddr(uint32_t a)
{
	struct in_addr v = {htonl(a)};

	return v;
}

/*
 * Best effort: an option that fits nowhere (options field, then file and
 * sname when overloading) is left out and the message stays valid. The
 * writer's errors are sticky, so undo a failed put by restoring its state;
 * bytes it left past the restored positions are overwritten or cleared
 * by later options, the header and finish().
 */
static void try_put(struct tern_dhcp4_writer *w, uint8_t code, const void *data,
		    size_t len)
{
	struct tern_dhcp4_writer saved = *w;

	if (tern_dhcp4_put(w, code, data, len) < 0)
		*w = saved;
}

/* Copy a name into a fixed header field when it fits with its NUL. */
static const uint8_t *field(uint8_t *out, size_t size, const char *s)
{
	size_t n;

	memset(out, 0, size);
	if (!s)
		return out;
	n = strnlen(s, size);
	if (n < size)
		memcpy(out, s, n);
	return out;
}

/* Option 82 as instances of at most 255 bytes: its size on the wire. */
static size_t rai_wire_len(size_t len)
{
	size_t parts = len ? (len + 254) / 255 : 1;

	return len + 2 * parts;
}

/*
 * Priority, highest first; what does not fit is dropped from the bottom:
 *   1. 53, 54, 51, 58, 59, 1 (mandatory: failure if they do not fit);
 *   2. 82 echo: room reserved up front so it always ends the options
 *      field, where relay agents look for it (RFC 3046 §2.1);
 *   3. 56 message (NAK), 61 echo (RFC 6842), 81 and 12 the client's name;
 *   4. the options chosen (answer.c: the parameter request list in the
 *      client's order, RFC 2132 §9.8, then the others by code).
 */
int ternd_reply_build(const struct ternd_reply_req *q,
		      const struct ternd_reply *p, uint8_t *buf, size_t cap)
{
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_hdr h;
	uint8_t sname[TERN_DHCP4_SNAME_LEN], file[TERN_DHCP4_FILE_LEN];
	size_t limit, rai_len = 0;
	unsigned flags = 0;
	int rc;

	limit = q->max_msg > TERN_DHCP4_MIN_MAX_MSG ? q->max_msg
						    : TERN_DHCP4_MIN_MAX_MSG;
	limit -= IP_UDP_LEN;
	/* Header fields carrying names cannot also carry options, nor can
	 * they when the configuration sends an option 52 of its own. */
	if (p->type == TERN_DHCP4_NAK || (!p->sname && !p->file))
		flags |= TERN_DHCP4_W_OVERLOAD;
	for (size_t i = 0; i < p->n_opts; i++)
		if (p->opts[i]->code == TERN_DHCP4_OPT_OVERLOAD)
			flags &= ~(unsigned)TERN_DHCP4_W_OVERLOAD;
	tern_dhcp4_writer_init(&w, buf, cap, limit, flags);
	if (w.err)
		return w.err;

	if (q->has_rai) {
		rai_len = rai_wire_len(q->rai_len);
		if (w.pos + rai_len > w.end)
			return -EMSGSIZE;
		w.end -= rai_len;
	}

	tern_dhcp4_put_msg_type(&w, p->type);
	if (p->server_id_opt)
		tern_dhcp4_put(&w, TERN_DHCP4_OPT_SERVER_ID,
			       p->server_id_opt->data, p->server_id_opt->len);
	else
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_SERVER_ID,
				    inaddr(p->server_id));
	if (p->lease) {
		tern_dhcp4_put_u32(&w, TERN_DHCP4_OPT_LEASE_TIME, p->valid);
		if (p->send_t1)
			tern_dhcp4_put_u32(&w, TERN_DHCP4_OPT_T1, p->t1);
		if (p->send_t2)
			tern_dhcp4_put_u32(&w, TERN_DHCP4_OPT_T2, p->t2);
		/* Kea adds the subnet's mask to every lease; option-data
		 * cannot replace it. */
		tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_SUBNET_MASK,
				    inaddr(p->mask));
	}
	if (w.err)
		return w.err;

	if (p->message && p->message[0])
		try_put(&w, TERN_DHCP4_OPT_MESSAGE, p->message,
			strlen(p->message));
	if (q->cid)
		try_put(&w, TERN_DHCP4_OPT_CLIENT_ID, q->cid, q->cid_len);
	if (p->fqdn && p->type != TERN_DHCP4_NAK) {
		/* The answer to the client's option 81 (RFC 4702). */
		try_put(&w, TERN_DHCP4_OPT_FQDN, p->fqdn, p->fqdn_len);
	}

	if (p->type != TERN_DHCP4_NAK && p->hostname && p->hostname[0]) {
		/* Kea's answer to option 12 (or a reserved name): sent
		 * whether requested or not. */
		try_put(&w, TERN_DHCP4_OPT_HOST_NAME, p->hostname,
			strlen(p->hostname));
	}
	for (size_t i = 0; i < p->n_opts; i++)
		try_put(&w, p->opts[i]->code, p->opts[i]->data,
			p->opts[i]->len);

	if (q->has_rai) {
		w.end += rai_len;
		tern_dhcp4_put(&w, TERN_DHCP4_OPT_RAI, q->rai, q->rai_len);
	}

	memset(&h, 0, sizeof(h));
	h.op = TERN_DHCP4_BOOTREPLY;
	h.htype = q->hdr->htype;
	h.hlen = q->hdr->hlen;
	h.hops = 0;
	h.xid = q->hdr->xid;
	h.flags = q->hdr->flags;
	/* A NAK through a relay is broadcast on the client's link
	 * (RFC 2131 §4.3.2). */
	if (p->type == TERN_DHCP4_NAK && q->hdr->giaddr.s_addr)
		h.flags |= TERN_DHCP4_FLAG_BROADCAST;
	h.ciaddr = inaddr(p->ciaddr);
	h.yiaddr = inaddr(p->yiaddr);
	h.siaddr = inaddr(p->siaddr);
	h.giaddr = q->hdr->giaddr;
	memcpy(h.chaddr, q->hdr->chaddr, sizeof(h.chaddr));
	h.sname = field(sname, sizeof(sname), p->sname);
	h.file = field(file, sizeof(file), p->file);
	tern_dhcp4_write_header(&w, &h);
	rc = tern_dhcp4_writer_finish(&w, true);
	return rc;
}

void ternd_reply_dest(const struct tern_dhcp4_hdr *hdr, uint8_t type,
		      uint32_t yiaddr, struct ternd_tx *tx)
{
	uint32_t giaddr = ntohl(hdr->giaddr.s_addr);
	uint32_t ciaddr = ntohl(hdr->ciaddr.s_addr);

	tx->hw_len = 0;
	tx->dst_port = TERN_DHCP4_CLIENT_PORT;
	if (giaddr) {
		tx->dest = TERND_DEST_RELAY;
		tx->dst_addr = giaddr;
		tx->dst_port = TERN_DHCP4_SERVER_PORT;
	} else if (type == TERN_DHCP4_NAK) {
		tx->dest = TERND_DEST_BROADCAST;
		tx->dst_addr = INADDR_BROADCAST;
	} else if (ciaddr) {
		tx->dest = TERND_DEST_CIADDR;
		tx->dst_addr = ciaddr;
	} else if ((hdr->flags & TERN_DHCP4_FLAG_BROADCAST) || !yiaddr ||
		   !hdr->hlen) {
		/* No address to unicast to, or no hardware address to
		 * reach it without ARP: broadcast. */
		tx->dest = TERND_DEST_BROADCAST;
		tx->dst_addr = INADDR_BROADCAST;
	} else {
		tx->dest = TERND_DEST_HWADDR;
		tx->dst_addr = yiaddr;
		tx->hw_len = hdr->hlen;
		memcpy(tx->hw, hdr->chaddr, hdr->hlen);
	}
}
