/* ternd name change requests: RFC 4701 DHCIDs and kea-dhcp-ddns's NCR
 * messages, built from a lease exactly as kea-dhcp4 2.2 does. Pure. */
#ifndef TERND_DDNS_NCR_H
#define TERND_DDNS_NCR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/ddns/dname.h"
#include "server/engine4/lease.h"

/* DHCID RDATA: identifier type (2), digest type (1), SHA-256 (32). */
#define TERND_DHCID_LEN 35

/* RFC 4701 §3.3 identifier types. */
enum ternd_dhcid_type {
	TERND_DHCID_HWADDR = 0,	  /* htype, then chaddr */
	TERND_DHCID_CLIENTID = 1, /* option 61's whole value */
	TERND_DHCID_DUID = 2,	  /* a DUID (RFC 4361 client-id: type 255) */
};

/* Room for one message: 2-byte length, then the JSON. */
#define TERND_NCR_MAX 2048

/*
 * DHCID (RFC 4701 §3.3): 0, type, 1 (SHA-256), SHA-256(id || fqdn in
 * canonical wire form). Returns 0 or -EINVAL (empty id).
 */
int ternd_ddns_dhcid(uint8_t type, const uint8_t *id, size_t id_len,
		     const struct ternd_dname *fqdn,
		     uint8_t out[TERND_DHCID_LEN]);

/*
 * The DHCID of a lease as kea-dhcp4 computes it: from the client-id when
 * the lease has one and use_cid (match-client-id) — the DUID inside a
 * client-id of type 255 — else from htype and chaddr. Returns 0 or
 * -EINVAL (no identifier, an embedded DUID too short or too long).
 */
int ternd_ddns_dhcid_lease(const struct ternd_lease *l, bool use_cid,
			   const struct ternd_dname *fqdn,
			   uint8_t out[TERND_DHCID_LEN]);

/* RFC 4702 §5's TTL, as Kea: a third of the lifetime, at least 600 s. */
uint32_t ternd_ddns_ttl(uint32_t lifetime);

/* One request, as kea-dhcp-ddns reads it. */
struct ternd_ncr {
	bool remove; /* change-type 1, else 0 (add) */
	bool fwd;
	bool rev;
	const char *fqdn; /* text, final dot included */
	uint32_t addr;	  /* host order */
	uint8_t dhcid[TERND_DHCID_LEN];
	size_t dhcid_len; /* TERND_DHCID_LEN for ours */
	int64_t expires;  /* seconds since the epoch */
	uint32_t ttl;
	bool conflict_resolution;
};

/*
 * The JSON of kea-dhcp4's NameChangeRequest::toJSON, key for key, into
 * out[0..cap) with a NUL. fqdn goes out JSON-escaped (Kea writes it raw,
 * which breaks its own JSON for names with escapes). Returns the length
 * or -ENOBUFS.
 */
int ternd_ncr_json(const struct ternd_ncr *n, char *out, size_t cap);

/*
 * The datagram kea-dhcp4 sends kea-dhcp-ddns for a lease (queueNCR): a
 * 2-byte big-endian length and the JSON. Returns its length; 0 when none
 * is due (no hostname, or neither direction); -EINVAL when the name or
 * the identifier cannot make one (Kea logs that and sends nothing);
 * -ENOBUFS.
 */
int ternd_ncr_for_lease(const struct ternd_lease *l, bool remove, bool use_cid,
			bool conflict_resolution, uint8_t *out, size_t cap);

#endif
