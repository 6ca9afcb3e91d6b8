/* ternd mesh wire codec: the ddhcpd r4 block protocol, pure and bounds-checked.
 */
#ifndef TERND_MESH_PROTO_H
#define TERND_MESH_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Every packet is a 16-byte header and a payload whose length follows
 * from command and count. Parsing reads through offsets checked against
 * the length (never a struct cast); building writes into the caller's
 * buffer. No allocation, no logging, no globals. Addresses in the structs
 * are host order unless said otherwise.
 */
#define TERND_MESH_HDR_LEN     16
#define TERND_MESH_CLAIM_LEN   7
#define TERND_MESH_INQUIRE_LEN 4
#define TERND_MESH_LEASE_LEN   28
#define TERND_MESH_NODE_ID_LEN 8
/* What we put in one UPDATECLAIM or INQUIRE (ddhcpd's limit). */
#define TERND_MESH_MAX_ENTRIES 32
/* The largest packet a peer may legally send: 255 claims. */
#define TERND_MESH_MAX_PKT     (TERND_MESH_HDR_LEN + 255 * TERND_MESH_CLAIM_LEN)
#define TERND_MESH_MCAST_PORT  1234
#define TERND_MESH_UCAST_PORT  1235
#define TERND_MESH_MCAST_GROUP "ff02::1234"

enum ternd_mesh_cmd {
	TERND_MESH_UPDATECLAIM = 1,
	TERND_MESH_INQUIRE = 2,
	TERND_MESH_RENEWLEASE = 16,
	TERND_MESH_LEASEACK = 17,
	TERND_MESH_LEASENAK = 18,
	TERND_MESH_RELEASE = 19,
};

/* The swarm a node belongs to: packets of other swarms are dropped. */
struct ternd_mesh_swarm {
	uint32_t prefix; /* host order */
	uint8_t prefix_len;
	uint8_t blocksize; /* addresses per block, not its log2 */
};

struct ternd_mesh_hdr {
	uint8_t node_id[TERND_MESH_NODE_ID_LEN];
	struct ternd_mesh_swarm swarm;
	uint8_t command;
	uint8_t count;
};

struct ternd_mesh_claim {
	uint32_t block;
	uint16_t timeout; /* seconds */
};

/*
 * The 28-byte payload of commands 16-19. ddhcpd writes the address in its
 * own (host) byte order: addr is the value as ternd understands it and
 * swapped says the packet carried it byte-reversed, so a reply goes back
 * the way the request came.
 */
struct ternd_mesh_lease {
	uint32_t addr;
	bool swapped;
	uint32_t xid;
	uint32_t lease_seconds;
	uint8_t chaddr[16];
};

/* A parsed packet; payload points into the caller's buffer. */
struct ternd_mesh_pkt {
	struct ternd_mesh_hdr hdr;
	const uint8_t *payload;
	size_t payload_len;
};

/*
 * Parse buf[0..len): 0 with *ret filled, -EBADMSG when the length is not
 * exactly what command and count imply or the command is unknown.
 * Swarm membership is the caller's check (ternd_mesh_same_swarm).
 */
int ternd_mesh_parse(const uint8_t *buf, size_t len,
		     struct ternd_mesh_pkt *ret);
bool ternd_mesh_same_swarm(const struct ternd_mesh_swarm *a,
			   const struct ternd_mesh_swarm *b);
/* Entry i (< hdr.count) of an UPDATECLAIM / INQUIRE; -EINVAL otherwise. */
int ternd_mesh_get_claim(const struct ternd_mesh_pkt *p, size_t i,
			 struct ternd_mesh_claim *ret);
int ternd_mesh_get_inquire(const struct ternd_mesh_pkt *p, size_t i,
			   uint32_t *ret_block);
/*
 * The lease payload of commands 16-19; the address byte order is chosen
 * so that it falls inside the swarm's range (network order first).
 * -EBADMSG when neither order does.
 */
int ternd_mesh_get_lease(const struct ternd_mesh_pkt *p,
			 struct ternd_mesh_lease *ret);

/*
 * Build packets into buf (cap bytes). Return the length, -ENOBUFS when
 * cap is too small, -EINVAL for more than TERND_MESH_MAX_ENTRIES entries
 * or a command that does not fit the builder.
 */
int ternd_mesh_build_claims(uint8_t *buf, size_t cap,
			    const struct ternd_mesh_hdr *h,
			    const struct ternd_mesh_claim *v, size_t n);
int ternd_mesh_build_inquire(uint8_t *buf, size_t cap,
			     const struct ternd_mesh_hdr *h,
			     const uint32_t *blocks, size_t n);
int ternd_mesh_build_lease(uint8_t *buf, size_t cap,
			   const struct ternd_mesh_hdr *h,
			   const struct ternd_mesh_lease *l);

#endif
