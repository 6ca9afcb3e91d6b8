/* ternd IPv4/UDP framing for replies sent on a packet socket. */
#include "server/net/frame.h"

#include <errno.h>
#include <string.h>

#define IPPROTO_UDP_NUM 17
#define IP_MAX_LEN	65535u

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

uint32_t ternd_csum_add(uint32_t sum, const uint8_t *data, size_t len)
{
	size_t i;

	/* Each 16-bit word adds at most 0xffff; fold every so often so a
	 * 64 KiB datagram never overflows 32 bits. */
	for (i = 0; i + 1 < len; i += 2) {
		sum += (uint32_t)data[i] << 8 | data[i + 1];
		if (sum & 0x80000000u)
			sum = (sum & 0xffff) + (sum >> 16);
	}
	if (len & 1)
		sum += (uint32_t)data[len - 1] << 8;
	return sum;
}

uint16_t ternd_csum_fold(uint32_t sum)
{
	/* Two folds suffice for any 32-bit sum. */
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

int ternd_frame_build(uint8_t *out, size_t cap,
		      const struct ternd_frame_addr *a, const uint8_t *payload,
		      size_t len)
{
	uint8_t *ip, *udp, pseudo[12];
	size_t total;
	uint32_t sum;
	uint16_t csum;

	if (!out || !a || (!payload && len))
		return -EINVAL;
	if (len > IP_MAX_LEN - TERND_FRAME_HLEN)
		return -EINVAL;
	total = TERND_FRAME_HLEN + len;
	if (cap < total)
		return -ENOBUFS;

	ip = out;
	udp = out + TERND_FRAME_IP_HLEN;
	/* payload may already sit at out + HLEN (built in place). */
	if (len)
		memmove(udp + TERND_FRAME_UDP_HLEN, payload, len);

	ip[0] = 0x45; /* version 4, IHL 5 words */
	ip[1] = 0;    /* DSCP/ECN */
	put16(ip + 2, (uint16_t)total);
	put16(ip + 4, a->ip_id);
	put16(ip + 6, 0); /* flags (DF off) and fragment offset */
	ip[8] = TERND_FRAME_TTL;
	ip[9] = IPPROTO_UDP_NUM;
	put16(ip + 10, 0);
	put32(ip + 12, a->src_addr);
	put32(ip + 16, a->dst_addr);
	put16(ip + 10, ternd_csum_fold(ternd_csum_add(0, ip, 20)));

	put16(udp, a->src_port);
	put16(udp + 2, a->dst_port);
	put16(udp + 4, (uint16_t)(TERND_FRAME_UDP_HLEN + len));
	put16(udp + 6, 0);

	/* RFC 768 pseudo-header: source, destination, zero, protocol,
	 * UDP length. */
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_UDP_NUM;
	memcpy(pseudo + 10, udp + 4, 2);
	sum = ternd_csum_add(0, pseudo, sizeof(pseudo));
	sum = ternd_csum_add(sum, udp, TERND_FRAME_UDP_HLEN + len);
	csum = ternd_csum_fold(sum);
	/* A computed 0 is sent as all ones: 0 means "no checksum". */
	put16(udp + 6, csum ? csum : 0xffff);
	return (int)total;
}
