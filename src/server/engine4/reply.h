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

struct ternd_reply {
	uint8_t type;	 /* TERN_DHCP4_OFFER, _ACK, _NAK */
	bool lease;	 /* carries 51 (58, 59 as below): not INFORM, NAK */
	bool send_t1;	 /* option 58 */
	bool send_t2;	 /* option 59 */
	uint32_t yiaddr; /* host order, as all addresses here */
	uint32_t ciaddr;
	uint32_t siaddr;
	uint32_t server_id;
	uint32_t mask; /* option 1 of a lease reply (Kea: from the subnet) */
	uint32_t valid;
	uint32_t t1;
	uint32_t t2;
	const char *sname;    /* header field, NULL = free for overload */
	const char *file;     /* header field, NULL = free for overload */
	const char *hostname; /* option 12 (Kea's answer to the client's or
				 a reserved name), NULL = none */
	const char *message;  /* option 56 (NAK) */
	/* Option 54 chosen from the configuration, NULL: server_id. */
	const struct ternd_option *server_id_opt;
	/* The other options chosen (e4_select_options), in wire order. */
	const struct ternd_option *const *opts;
	size_t n_opts;
	const uint8_t *fqdn; /* option 81's value, NULL = none */
	size_t fqdn_len;
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
