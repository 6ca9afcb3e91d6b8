/* ternd mesh wire codec: parse and build ddhcpd r4 packets through checked
 * offsets. */
#include <errno.h>
#include <string.h>

#include "server/mesh/proto.h"

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint32_t bswap32(uint32_t v)
{
	return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) |
	       (v << 24);
}

/* The exact payload length a command implies, or -EBADMSG. */
static long payload_len(uint8_t cmd, uint8_t count)
{
	switch (cmd) {
	case TERND_MESH_UPDATECLAIM:
		return (long)count * TERND_MESH_CLAIM_LEN;
	case TERND_MESH_INQUIRE:
		return (long)count * TERND_MESH_INQUIRE_LEN;
	case TERND_MESH_RENEWLEASE:
	case TERND_MESH_LEASEACK:
	case TERND_MESH_LEASENAK:
	case TERND_MESH_RELEASE:
		return TERND_MESH_LEASE_LEN;
	default:
		return -EBADMSG;
	}
}

int ternd_mesh_parse(const uint8_t *buf, size_t len, struct ternd_mesh_pkt *ret)
{
	struct ternd_mesh_pkt p;
	long want;

	if (!buf || len < TERND_MESH_HDR_LEN)
		return -EBADMSG;
	memcpy(p.hdr.node_id, buf, TERND_MESH_NODE_ID_LEN);
	p.hdr.swarm.prefix = get32(buf + 8);
	p.hdr.swarm.prefix_len = buf[12];
	p.hdr.swarm.blocksize = buf[13];
	p.hdr.command = buf[14];
	p.hdr.count = buf[15];
	want = payload_len(p.hdr.command, p.hdr.count);
	if (want < 0 || len - TERND_MESH_HDR_LEN != (size_t)want)
		return -EBADMSG;
	p.payload = buf + TERND_MESH_HDR_LEN;
	p.payload_len = (size_t)want;
	*ret = p;
	return 0;
}

bool ternd_mesh_same_swarm(const struct ternd_mesh_swarm *a,
			   const struct ternd_mesh_swarm *b)
{
	return a->prefix == b->prefix && a->prefix_len == b->prefix_len &&
	       a->blocksize == b->blocksize;
}

int ternd_mesh_get_claim(const struct ternd_mesh_pkt *p, size_t i,
			 struct ternd_mesh_claim *ret)
{
	const uint8_t *e;

	if (p->hdr.command != TERND_MESH_UPDATECLAIM || i >= p->hdr.count ||
	    (i + 1) * TERND_MESH_CLAIM_LEN > p->payload_len)
		return -EINVAL;
	e = p->payload + i * TERND_MESH_CLAIM_LEN;
	ret->block = get32(e);
	ret->timeout = get16(e + 4);
	return 0;
}

int ternd_mesh_get_inquire(const struct ternd_mesh_pkt *p, size_t i,
			   uint32_t *ret_block)
{
	if (p->hdr.command != TERND_MESH_INQUIRE || i >= p->hdr.count ||
	    (i + 1) * TERND_MESH_INQUIRE_LEN > p->payload_len)
		return -EINVAL;
	*ret_block = get32(p->payload + i * TERND_MESH_INQUIRE_LEN);
	return 0;
}

static bool in_swarm(const struct ternd_mesh_swarm *s, uint32_t addr)
{
	uint32_t mask;

	if (s->prefix_len > 32)
		return false;
	mask = s->prefix_len ? ~(uint32_t)0 << (32 - s->prefix_len) : 0;
	return (addr & mask) == (s->prefix & mask);
}

int ternd_mesh_get_lease(const struct ternd_mesh_pkt *p,
			 struct ternd_mesh_lease *ret)
{
	struct ternd_mesh_lease l;
	uint32_t raw;

	if (p->hdr.command < TERND_MESH_RENEWLEASE ||
	    p->hdr.command > TERND_MESH_RELEASE ||
	    p->payload_len != TERND_MESH_LEASE_LEN)
		return -EINVAL;
	raw = get32(p->payload);
	/* Network order first: an address valid both ways (a palindrome
	 * such as 10.x.x.10) reads the same either way round. */
	if (in_swarm(&p->hdr.swarm, raw)) {
		l.addr = raw;
		l.swapped = false;
	} else if (in_swarm(&p->hdr.swarm, bswap32(raw))) {
		l.addr = bswap32(raw);
		l.swapped = true;
	} else {
		return -EBADMSG;
	}
	l.xid = get32(p->payload + 4);
	l.lease_seconds = get32(p->payload + 8);
	memcpy(l.chaddr, p->payload + 12, sizeof(l.chaddr));
	*ret = l;
	return 0;
}

static int put_hdr(uint8_t *buf, size_t cap, const struct ternd_mesh_hdr *h,
		   uint8_t cmd, uint8_t count, size_t payload)
{
	if (cap < TERND_MESH_HDR_LEN + payload)
		return -ENOBUFS;
	memcpy(buf, h->node_id, TERND_MESH_NODE_ID_LEN);
	put32(buf + 8, h->swarm.prefix);
	buf[12] = h->swarm.prefix_len;
	buf[13] = h->swarm.blocksize;
	buf[14] = cmd;
	buf[15] = count;
	return (int)(TERND_MESH_HDR_LEN + payload);
}

int ternd_mesh_build_claims(uint8_t *buf, size_t cap,
			    const struct ternd_mesh_hdr *h,
			    const struct ternd_mesh_claim *v, size_t n)
{
	int len;

	if (n > TERND_MESH_MAX_ENTRIES)
		return -EINVAL;
	len = put_hdr(buf, cap, h, TERND_MESH_UPDATECLAIM, (uint8_t)n,
		      n * TERND_MESH_CLAIM_LEN);
	if (len < 0)
		return len;
	for (size_t i = 0; i < n; i++) {
		uint8_t *e =
			buf + TERND_MESH_HDR_LEN + i * TERND_MESH_CLAIM_LEN;

		put32(e, v[i].block);
		put16(e + 4, v[i].timeout);
		e[6] = 0;
	}
	return len;
}

int ternd_mesh_build_inquire(uint8_t *buf, size_t cap,
			     const struct ternd_mesh_hdr *h,
			     const uint32_t *blocks, size_t n)
{
	int len;

	if (n > TERND_MESH_MAX_ENTRIES)
		return -EINVAL;
	len = put_hdr(buf, cap, h, TERND_MESH_INQUIRE, (uint8_t)n,
		      n * TERND_MESH_INQUIRE_LEN);
	if (len < 0)
		return len;
	for (size_t i = 0; i < n; i++)
		put32(buf + TERND_MESH_HDR_LEN + i * TERND_MESH_INQUIRE_LEN,
		      blocks[i]);
	return len;
}

int ternd_mesh_build_lease(uint8_t *buf, size_t cap,
			   const struct ternd_mesh_hdr *h,
			   const struct ternd_mesh_lease *l)
{
	uint8_t *e;
	int len;

	if (h->command < TERND_MESH_RENEWLEASE ||
	    h->command > TERND_MESH_RELEASE)
		return -EINVAL;
	len = put_hdr(buf, cap, h, h->command, 0, TERND_MESH_LEASE_LEN);
	if (len < 0)
		return len;
	e = buf + TERND_MESH_HDR_LEN;
	put32(e, l->swapped ? bswap32(l->addr) : l->addr);
	put32(e + 4, l->xid);
	put32(e + 8, l->lease_seconds);
	memcpy(e + 12, l->chaddr, sizeof(l->chaddr));
	return len;
}
