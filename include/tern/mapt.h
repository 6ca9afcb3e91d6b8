/* libtern MAP-E/MAP-T: S46 container parsing and MAP rule derivation. */
#ifndef TERN_MAPT_H
#define TERN_MAPT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <tern/error.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Container (option 94 S46_CONT_MAPE or 95 S46_CONT_MAPT) value: sub-options
 * as 16-bit code / 16-bit length TLVs:
 *   89 S46_RULE: flags (1), ea-len (1), prefix4-len (1), ipv4-prefix (4),
 *      prefix6-len (1), ceil(prefix6-len / 8) prefix bytes, then nested
 *      options, of which 93 S46_PORTPARAMS is used.
 *   93 S46_PORTPARAMS: offset (1), PSID-len (1), PSID (2, left-aligned).
 *   90 S46_BR: a 16-byte address (MAP-E).
 *   91 S46_DMR: dmr-prefix6-len (1), ceil(len / 8) prefix bytes (MAP-T).
 * Unknown sub-options are skipped. Parsing copies everything into fixed
 * structs: no pointer into the caller's buffer is kept.
 */

#define TERN_MAPT_MAX_RULES	 4
#define TERN_MAPT_DEFAULT_OFFSET 6 /* RFC 7597 §5.1: excludes ports 0-1023 */
#define TERN_S46_FLAG_F		 0x01 /* RFC 7598 Figure 2: F is the last bit */
#define TERN_S46_FLAG_F_MSB	 0x80 /* as Kea's docs and our spec send it */

enum tern_map_mode {
	TERN_MAP_E = 94, /* encapsulation (S46_CONT_MAPE) */
	TERN_MAP_T = 95, /* translation (S46_CONT_MAPT) */
};

/* One S46_RULE with its port parameters. Prefix bits past the prefix
 * length are cleared. */
struct tern_s46_rule {
	uint8_t flags; /* as sent */
	/*
	 * FMR: true when flags has 0x01 (RFC 7598's F bit, the least
	 * significant) or 0x80. Kea's documented example, and the one in
	 * specs/client-scripts.md, send 128 ("bit 0" in RFC bit numbering);
	 * RFC 7598 says the reserved bits are ignored by receivers, so
	 * honouring 0x80 as well breaks no conforming server.
	 */
	bool is_fmr;
	uint8_t ea_len;	 /* 0..48 */
	uint8_t v4_plen; /* 0..32 */
	struct in_addr v4_prefix;
	uint8_t v6_plen; /* 0..128 */
	struct in6_addr v6_prefix;
	bool has_portparams;
	uint8_t psid_offset; /* as sent, 0..15 */
	uint8_t psid_len;    /* as sent, 0..16 */
	uint16_t psid;	     /* right-aligned: the PSID-len high bits sent */
};

struct tern_mapt_container {
	uint16_t code; /* 94 or 95 */
	uint8_t n_rules;
	struct tern_s46_rule rules[TERN_MAPT_MAX_RULES];
	uint8_t n_br; /* S46_BR instances seen; br is the first */
	struct in6_addr br;
	bool has_dmr;
	uint8_t dmr_plen;
	struct in6_addr dmr_prefix;
};

/*
 * Parse a container value (data, len) for option code 94 or 95.
 * Every length is checked exactly: S46_RULE is 8 + ceil(prefix6-len / 8)
 * bytes plus well-framed nested options, S46_PORTPARAMS exactly 4, S46_BR
 * exactly 16, S46_DMR exactly 1 + ceil(len / 8). Returns 0, -EINVAL (code
 * not 94/95, NULL), -EBADMSG (framing, lengths, repeated S46_PORTPARAMS
 * in a rule or repeated S46_DMR, no S46_RULE, MAP-T without S46_DMR,
 * MAP-E without S46_BR), -ERANGE (prefix4-len > 32, prefix6-len or DMR
 * length > 128, EA-len > 48, PSID offset > 15, PSID-len > 16), -E2BIG
 * (more than TERN_MAPT_MAX_RULES rules). *ret is untouched on failure.
 */
int tern_mapt_parse(const uint8_t *data, size_t len, uint16_t code,
		    struct tern_mapt_container *ret);

/*
 * The MAP parameters of one CE, named after TR-181 (RDK's vendor names).
 * Addresses and prefixes in network order, prefix bits past their length
 * cleared; format them with tern_mapt_format_prefix6/4 or inet_ntop.
 */
struct tern_mapt_result {
	enum tern_map_mode transport_mode; /* MapTransportMode */
	struct in6_addr br_prefix;	   /* MapBRPrefix: DMR (MAP-T) or */
	uint8_t br_plen;		   /* BR address/128 (MAP-E) */
	struct in_addr rule_v4_prefix;	   /* MapRuleIPv4Prefix */
	uint8_t rule_v4_plen;
	struct in6_addr rule_v6_prefix; /* MapRuleIPv6Prefix */
	uint8_t rule_v6_plen;
	uint8_t ea_len;		  /* MapEALen */
	uint8_t psid_offset;	  /* MapPSIDOffset, after the 0 -> 6 rule */
	uint8_t psid_len;	  /* MapPSIDLen */
	uint16_t psid;		  /* MapPSID, right-aligned */
	bool is_fmr;		  /* MapIsFMR */
	struct in_addr ipv4_addr; /* MapIpv4Address */
	uint32_t ratio;		  /* MapRatio: 2^psid_len, 1..65536 */
	uint8_t rule_index;	  /* which rules[] entry was used */
};

/*
 * Derive the CE's MAP parameters from a parsed container and the IPv6
 * prefix delegated to it (pd / pd_len; bits past pd_len are ignored).
 *
 * Rule choice (the Basic Mapping Rule, RFC 7597 §5): the rule with the
 * longest IPv6 prefix covering pd; failing that, the first rule with
 * EA-len 0; failing that, -ENOENT.
 *
 * Where the PSID comes from:
 *  - EA-len > 0: the EA bits are the ea_len bits of pd starting at the
 *    rule's prefix6-len; their high (32 - prefix4-len) bits are the IPv4
 *    suffix, the remaining k = EA-len - (32 - prefix4-len) bits the PSID
 *    (RFC 7597 §5.2). pd_len - prefix6-len must equal EA-len, and k must
 *    be 0..16. When k > 0, an S46_PORTPARAMS PSID-len must be 0 or k
 *    (its PSID value is not used); when k == 0 (a full IPv4 address),
 *    PSID-len and PSID come from S46_PORTPARAMS if present.
 *  - EA-len 0 (a per-CE rule): nothing is read from pd, which need
 *    neither be covered by the rule nor have a given length. The IPv4
 *    address is the rule's IPv4 prefix (for a prefix shorter than /32,
 *    its first address, as RDK reports it), PSID-len and PSID come
 *    from S46_PORTPARAMS (0 and 0 when absent). This is the case of the
 *    example in specs/client-scripts.md (PSID 1234/16 from port params).
 * PSID offset: from S46_PORTPARAMS; 0 or absent means the default 6, as
 * specs/client-manager.md asks (RDK's reading; RFC 7598 would take an
 * explicit 0 as 0). Because of that default, offset + PSID-len may exceed
 * 16 (the spec example gives 6 + 16): it is not rejected here, and a
 * caller computing port ranges must check it.
 *
 * Returns 0, -EINVAL (NULL, pd_len > 128), -ENOENT (no rule applies),
 * -ERANGE (inconsistent rule: pd_len - prefix6-len != EA-len, EA-len >
 * 48, EA bits past bit 128, k < 0 or > 16, PSID-len disagreeing with the
 * EA bits), -EBADMSG (MAP-T without DMR, MAP-E without BR). *ret is
 * untouched on failure.
 */
int tern_mapt_derive(const struct tern_mapt_container *c,
		     const struct in6_addr *pd, uint8_t pd_len,
		     struct tern_mapt_result *ret);

/* TR-181 text for a transport mode: "Translation" / "Encapsulation". Never
 * NULL; points at a static string. */
const char *tern_map_mode_name(enum tern_map_mode mode);

/*
 * "address/len" text into out (cap bytes, the caller's), NUL-terminated;
 * INET6_ADDRSTRLEN + 4 bytes hold any IPv6 one. Returns the text length,
 * -EINVAL (plen out of range, NULL), -ENOBUFS.
 */
int tern_mapt_format_prefix6(const struct in6_addr *a, uint8_t plen, char *out,
			     size_t cap);
int tern_mapt_format_prefix4(const struct in_addr *a, uint8_t plen, char *out,
			     size_t cap);

#ifdef __cplusplus
}
#endif

#endif
