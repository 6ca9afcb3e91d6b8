/* ternd reply builder: OFFER/ACK/NAK bytes and their RFC 2131 §4.1 destination.
 */
#ifndef TERND_REPLY_H
#define TERND_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tern/dhcp4.h>

#include "server/config/config.h"
#include "server/engine4/engine.h"

/* What a reply copies or echoes from its request. */
struct ternd_reply_req {
	const struct tern_dhcp4_hdr *hdr;
	const uint8_t *prl; /* option 55, NULL = none */
	size_t prl_len;
	const uint8_t *cid; /* option 61, echoed (RFC 6842) */
	size_t cid_len;
	const uint8_t *rai; /* option 82, echoed last (RFC 3046) */
	size_t rai_len;
	bool has_rai;
	uint16_t max_msg; /* option 57, 0 = absent */
};

/* Effective options of one (subnet, reservation): idx[code] is the
 * position in v plus one, 0 when the code has no value. */
struct ternd_optview {
	const struct ternd_option *const *v;
	size_t n;
	const uint8_t *idx;
};

struct ternd_reply {
	uint8_t type;	 /* TERN_DHCP4_OFFER, _ACK, _NAK */
	bool lease;	 /* carries 51 (and 58/59 when tee): not INFORM, NAK */
	bool tee;	 /* T1/T2 are consistent and sent */
	uint32_t yiaddr; /* host order, as all addresses here */
	uint32_t ciaddr;
	uint32_t siaddr;
	uint32_t server_id;
	uint32_t mask; /* option 1 when no option-data sets it */
	uint32_t valid;
	uint32_t t1;
	uint32_t t2;
	const char *sname;    /* header field, NULL = free for overload */
	const char *file;     /* header field, NULL = free for overload */
	const char *hostname; /* option 12 (Kea's answer to the client's or
				 a reserved name), NULL = none */
	const char *message;  /* option 56 (NAK) */
	const uint8_t *fqdn;  /* option 81's value, NULL = none */
	size_t fqdn_len;
	const struct ternd_optview *opts; /* NULL: none (NAK) */
};

/*
 * Encode a reply to q into buf. Returns its length, or -ENOBUFS /
 * -EMSGSIZE when even the mandatory options do not fit.
 */
int ternd_reply_build(const struct ternd_reply_req *q,
		      const struct ternd_reply *p, uint8_t *buf, size_t cap);

/* Fill tx's destination fields for a reply of type to the request hdr. */
void ternd_reply_dest(const struct tern_dhcp4_hdr *hdr, uint8_t type,
		      uint32_t yiaddr, struct ternd_tx *tx);

#endif
