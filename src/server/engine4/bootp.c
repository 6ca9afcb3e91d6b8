/* ternd engine: BOOTP clients (RFC 951, RFC 1497 vendor extensions) served
 * as Kea's libdhcp_bootp.so serves them. */
#include <errno.h>
#include <string.h>

#include <tern/dhcp4.h>

#include "server/engine4/internal.h"

/*
 * Kea-2.2.0:src/hooks/dhcp/bootp/bootp_callouts.cc: a BOOTREQUEST without
 * option 53 becomes a DHCPREQUEST of class BOOTP. kea-dhcp4 then runs its
 * REQUEST path with no server identifier and no requested address (ciaddr
 * as the hint when set): the client's lease or reservation, else a free
 * pool address, with an infinite lifetime (AllocEngine::getValidLft). The
 * reply loses its DHCP-specific options (50, 51, 52, 53, 54, 55, 56, 57,
 * 58, 59, 61) and is padded to BOOTP's 300 bytes; when there is no
 * address, the NAK goes out the same way, as a bare BOOTREPLY.
 *
 * Here: a client without ciaddr is given what a DISCOVER would offer it,
 * then that address is acknowledged as a REQUEST in SELECTING state; with
 * ciaddr, that address is requested (INIT-REBOOT-like: ACK if it may have
 * it, else NAK). The replies are the engine's own, then stripped.
 */

static bool dhcp_only(uint8_t code)
{
	switch (code) {
	case TERN_DHCP4_OPT_REQUESTED_IP:
	case TERN_DHCP4_OPT_LEASE_TIME:
	case 52: /* option overload */
	case TERN_DHCP4_OPT_MSG_TYPE:
	case TERN_DHCP4_OPT_SERVER_ID:
	case TERN_DHCP4_OPT_PRL:
	case 56: /* message */
	case TERN_DHCP4_OPT_MAX_MSG_SIZE:
	case TERN_DHCP4_OPT_T1:
	case TERN_DHCP4_OPT_T2:
	case TERN_DHCP4_OPT_CLIENT_ID:
		return true;
	default:
		return false;
	}
}

/* Copy the options of one area but the DHCP-only ones to out[*k..cap). */
static int keep(const uint8_t *p, size_t n, uint8_t *out, size_t *k, size_t cap)
{
	size_t i = 0;

	while (i < n) {
		uint8_t c = p[i], len;

		if (c == 0) {
			i++;
			continue;
		}
		if (c == 255)
			break;
		if (i + 1 >= n || i + 2u + p[i + 1] > n)
			return -EBADMSG;
		len = p[i + 1];
		if (!dhcp_only(c)) {
			if (*k + 2u + len > cap)
				return -ENOBUFS;
			memcpy(out + *k, p + i, 2u + len);
			*k += 2u + len;
		}
		i += 2u + len;
	}
	return 0;
}

/* The reply in tx made a BOOTREPLY as Kea's pkt4_send callout makes it. */
static int strip(struct ternd_tx *tx)
{
	uint8_t opts[1500];
	uint8_t *b = tx->buf;
	size_t k = 0, end;
	uint8_t overload = 0;
	int rc;

	if (tx->len < TERN_DHCP4_OPTS_OFF)
		return -EBADMSG;
	/* Option overload (52): the sname and file areas hold options too;
	 * they move to the main area, and the fields are blank again. */
	for (size_t i = TERN_DHCP4_OPTS_OFF; i + 2 < tx->len;) {
		if (b[i] == 0) {
			i++;
			continue;
		}
		if (b[i] == 255)
			break;
		if (b[i] == 52 && b[i + 1] == 1)
			overload = b[i + 2];
		i += 2u + b[i + 1];
	}
	rc = keep(b + TERN_DHCP4_OPTS_OFF, tx->len - TERN_DHCP4_OPTS_OFF, opts,
		  &k, sizeof(opts));
	if (rc == 0 && (overload & 1))
		rc = keep(b + 108, 128, opts, &k, sizeof(opts));
	if (rc == 0 && (overload & 2))
		rc = keep(b + 44, 64, opts, &k, sizeof(opts));
	if (rc < 0)
		return rc;
	end = TERN_DHCP4_OPTS_OFF + k + 1;
	if (end > tx->cap)
		return -ENOBUFS;
	if (overload & 1)
		memset(b + 108, 0, 128);
	if (overload & 2)
		memset(b + 44, 0, 64);
	memcpy(b + TERN_DHCP4_OPTS_OFF, opts, k);
	b[end - 1] = 255;
	/* BOOT_MIN_SIZE: 236 header bytes + 64 of vendor extensions. */
	if (end < TERN_DHCP4_BOOTP_MIN) {
		memset(b + end, 0, TERN_DHCP4_BOOTP_MIN - end);
		end = TERN_DHCP4_BOOTP_MIN;
	}
	tx->len = end;
	return 0;
}

static int ack_addr(struct ternd_engine *e, struct req *q, struct ternd_tx *tx,
		    uint32_t addr)
{
	/* SELECTING this server for addr: the REQUEST path's checks. */
	q->has_sid = true;
	q->sid = q->rx->if_addr;
	q->reqip = addr;
	return e4_do_request(e, q, tx);
}

int e4_do_bootp(struct ternd_engine *e, struct req *q, struct ternd_tx *tx)
{
	struct ternd_rec *r;
	uint32_t ciaddr = q->ciaddr;
	int rc;

	if (ciaddr) {
		q->ciaddr = 0;
		rc = ack_addr(e, q, tx, ciaddr);
		q->ciaddr = ciaddr;
	} else {
		uint8_t scratch[TERN_DHCP4_BOOTP_MIN + 1200];
		struct ternd_tx offer = {.buf = scratch,
					 .cap = sizeof(scratch)};

		rc = e4_do_discover(e, q, &offer);
		if (rc == TERN_DHCP4_OFFER) {
			/* Not an offer anyone sees. */
			e->st.tx_offer--;
			r = own_rec(e, q);
			rc = r ? ack_addr(e, q, tx, r->l.addr)
			       : drop(e, TERND_DROP_EXHAUSTED, -ENOSPC);
		}
		if (rc == -ENOSPC)
			rc = e4_reply_nak(e, q, tx, "no address for BOOTP");
	}
	if (rc == TERN_DHCP4_ACK || rc == TERN_DHCP4_NAK) {
		int s = strip(tx);

		if (s < 0)
			return drop(e, TERND_DROP_MALFORMED, s);
	}
	return rc;
}
