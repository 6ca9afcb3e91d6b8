/* ternd name change requests: DHCID (RFC 4701), TTL, the NCR JSON of
 * kea-dhcp4 2.2 (ncr_msg.cc, ncr_generator.cc). Pure. */
#include "server/ddns/ncr.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "common/sha256.h"

int ternd_ddns_dhcid(uint8_t type, const uint8_t *id, size_t id_len,
		     const struct ternd_dname *fqdn,
		     uint8_t out[TERND_DHCID_LEN])
{
	struct tern_sha256 c;

	if (!id || !id_len || !fqdn || !fqdn->len || !out)
		return -EINVAL;
	tern_sha256_init(&c);
	tern_sha256_update(&c, id, id_len);
	tern_sha256_update(&c, fqdn->wire, fqdn->len);
	out[0] = 0;
	out[1] = type;
	out[2] = 1; /* SHA-256 */
	tern_sha256_final(&c, out + 3);
	return 0;
}

int ternd_ddns_dhcid_lease(const struct ternd_lease *l, bool use_cid,
			   const struct ternd_dname *fqdn,
			   uint8_t out[TERND_DHCID_LEN])
{
	uint8_t hw[1 + TERND_LEASE_HW_MAX];

	if (use_cid && l->cid_len) {
		if (l->cid[0] != 255)
			return ternd_ddns_dhcid(TERND_DHCID_CLIENTID, l->cid,
						l->cid_len, fqdn, out);
		/* RFC 4361: 255, IAID (4), DUID (2-byte type + at most
		 * 128). */
		if (l->cid_len <= 5 || l->cid_len > 135)
			return -EINVAL;
		return ternd_ddns_dhcid(TERND_DHCID_DUID, l->cid + 5,
					l->cid_len - 5u, fqdn, out);
	}
	if (!l->hw_len || l->hw_len > TERND_LEASE_HW_MAX)
		return -EINVAL;
	hw[0] = l->htype;
	memcpy(hw + 1, l->hw, l->hw_len);
	return ternd_ddns_dhcid(TERND_DHCID_HWADDR, hw, 1u + l->hw_len, fqdn,
				out);
}

uint32_t ternd_ddns_ttl(uint32_t lifetime)
{
	return lifetime < 1800 ? 600 : lifetime / 3;
}

int ternd_ncr_json(const struct ternd_ncr *n, char *out, size_t cap)
{
	static const char hex[] = "0123456789ABCDEF";
	char fq[2 * TERND_DNAME_TEXT_MAX], dh[2 * TERND_DHCID_LEN + 1];
	char when[32];
	struct tm tm;
	time_t t = (time_t)n->expires;
	size_t k = 0;
	int r;

	/* fqdn is Name::toText (printable ASCII); only '\' and '"' need a
	 * JSON escape. */
	for (const char *s = n->fqdn; *s && k + 3 < sizeof(fq); s++) {
		if (*s == '\\' || *s == '"')
			fq[k++] = '\\';
		fq[k++] = *s;
	}
	fq[k] = 0;
	if (n->dhcid_len > TERND_DHCID_LEN)
		return -EINVAL;
	for (size_t i = 0; i < n->dhcid_len; i++) {
		dh[2 * i] = hex[n->dhcid[i] >> 4];
		dh[2 * i + 1] = hex[n->dhcid[i] & 15];
	}
	dh[2 * n->dhcid_len] = 0;
	if (!gmtime_r(&t, &tm) ||
	    strftime(when, sizeof(when), "%Y%m%d%H%M%S", &tm) != 14)
		return -EINVAL;
	r = snprintf(out, cap,
		     "{\"change-type\":%d,\"forward-change\":%s,"
		     "\"reverse-change\":%s,\"fqdn\":\"%s\","
		     "\"ip-address\":\"%u.%u.%u.%u\",\"dhcid\":\"%s\","
		     "\"lease-expires-on\":\"%s\",\"lease-length\":%u,"
		     "\"use-conflict-resolution\":%s}",
		     n->remove ? 1 : 0, n->fwd ? "true" : "false",
		     n->rev ? "true" : "false", fq, n->addr >> 24,
		     (n->addr >> 16) & 255, (n->addr >> 8) & 255, n->addr & 255,
		     dh, when, n->ttl,
		     n->conflict_resolution ? "true" : "false");
	if (r < 0 || (size_t)r >= cap)
		return -ENOBUFS;
	return r;
}

int ternd_ncr_for_lease(const struct ternd_lease *l, bool remove, bool use_cid,
			bool conflict_resolution, uint8_t *out, size_t cap)
{
	struct ternd_ncr n = {0};
	struct ternd_dname wire, name;
	char text[TERND_DNAME_TEXT_MAX];
	size_t hl;
	int r;

	if (!l || !out)
		return -EINVAL;
	hl = strnlen(l->hostname, sizeof(l->hostname));
	if (hl == 0 || hl == sizeof(l->hostname) ||
	    (!l->fqdn_fwd && !l->fqdn_rev))
		return 0;
	/* The DHCID hashes the name in lower case; the NCR carries it as
	 * the lease has it, made absolute. */
	if (ternd_dname_from_text(l->hostname, hl, true, &wire) < 0 ||
	    ternd_dname_from_text(l->hostname, hl, false, &name) < 0 ||
	    ternd_dname_to_text(&name, false, false, text, sizeof(text)) < 0)
		return -EINVAL;
	if ((r = ternd_ddns_dhcid_lease(l, use_cid, &wire, n.dhcid)) < 0)
		return r;
	n.dhcid_len = TERND_DHCID_LEN;
	n.remove = remove;
	n.fwd = l->fqdn_fwd;
	n.rev = l->fqdn_rev;
	n.fqdn = text;
	n.addr = l->addr;
	n.ttl = ternd_ddns_ttl(l->valid_lifetime);
	n.expires = l->cltt + (int64_t)n.ttl;
	n.conflict_resolution = conflict_resolution;
	if (cap < 2)
		return -ENOBUFS;
	r = ternd_ncr_json(&n, (char *)out + 2, cap - 2);
	if (r < 0)
		return r;
	if (r > UINT16_MAX)
		return -EINVAL;
	out[0] = (uint8_t)(r >> 8);
	out[1] = (uint8_t)r;
	return r + 2;
}
