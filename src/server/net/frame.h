/* ternd IPv4/UDP framing for replies sent on a packet socket. */
#ifndef TERND_FRAME_H
#define TERND_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define TERND_FRAME_IP_HLEN  20 /* no IP options */
#define TERND_FRAME_UDP_HLEN 8
#define TERND_FRAME_HLEN     (TERND_FRAME_IP_HLEN + TERND_FRAME_UDP_HLEN)
#define TERND_FRAME_TTL	     64

/* Addresses and ports in host order, as in struct ternd_tx. */
struct ternd_frame_addr {
	uint32_t src_addr;
	uint32_t dst_addr;
	uint16_t src_port;
	uint16_t dst_port;
	uint16_t ip_id; /* identification; DF is off so it is set */
};

/*
 * Write an IPv4 header (20 bytes, TTL 64, DF off, header checksum) and a
 * UDP header (checksum over the pseudo-header, 0 sent as 0xffff) followed
 * by the payload into out. The link-layer header is not written: the
 * packet socket (SOCK_DGRAM) adds it. Returns the frame's length,
 * -ENOBUFS when cap is too small, -EINVAL on a NULL pointer or a payload
 * that cannot fit in one IPv4 datagram.
 */
int ternd_frame_build(uint8_t *out, size_t cap,
		      const struct ternd_frame_addr *a, const uint8_t *payload,
		      size_t len);

/*
 * One's-complement sum of data (RFC 1071) added to sum, not folded nor
 * inverted; exposed for tests and for checks of received frames.
 */
uint32_t ternd_csum_add(uint32_t sum, const uint8_t *data, size_t len);
/* Fold a sum to 16 bits and invert it: the value to put in a header. */
uint16_t ternd_csum_fold(uint32_t sum);

#endif
