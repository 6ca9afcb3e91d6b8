/* Fuzz target: MAP-E/MAP-T container parsing and rule derivation. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <tern/mapt.h>

/* Input: mode byte (bit 0: 95, else 94), delegated prefix (16 bytes),
 * its length (1), then the container value. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
	if (!ok)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tern_mapt_container c;
	struct tern_mapt_result r;
	struct in6_addr pd;
	uint16_t code;
	uint8_t pd_len;
	char t[INET6_ADDRSTRLEN + 4];

	if (size < 18)
		return 0;
	code = (data[0] & 1) ? 95 : 94;
	memcpy(&pd, data + 1, 16);
	pd_len = data[17];
	data += 18;
	size -= 18;

	if (tern_mapt_parse(data, size, code, &c) < 0)
		return 0;
	check(c.n_rules >= 1 && c.n_rules <= TERN_MAPT_MAX_RULES);
	check(c.code == code);
	for (unsigned i = 0; i < c.n_rules; i++) {
		const struct tern_s46_rule *rule = &c.rules[i];

		check(rule->v4_plen <= 32 && rule->v6_plen <= 128);
		check(rule->ea_len <= 48 && rule->psid_len <= 16);
		check(rule->psid_len == 16 ||
		      rule->psid < (1u << rule->psid_len));
	}
	if (tern_mapt_derive(&c, &pd, pd_len, &r) == 0) {
		uint32_t mask = r.rule_v4_plen
					? 0xffffffffu << (32 - r.rule_v4_plen)
					: 0;

		check(r.psid_len <= 16 && r.ratio == 1u << r.psid_len);
		check(r.psid_len == 16 || r.psid < (1u << r.psid_len));
		check(r.psid_offset >= 1 && r.psid_offset <= 15);
		check(r.rule_index < c.n_rules);
		/* The address lies inside the rule's IPv4 prefix. */
		check((ntohl(r.ipv4_addr.s_addr) & mask) ==
		      ntohl(r.rule_v4_prefix.s_addr));
		check(tern_mapt_format_prefix6(&r.br_prefix, r.br_plen, t,
					       sizeof(t)) > 0);
		check(tern_mapt_format_prefix6(&r.rule_v6_prefix,
					       r.rule_v6_plen, t,
					       sizeof(t)) > 0);
		check(tern_mapt_format_prefix4(&r.rule_v4_prefix,
					       r.rule_v4_plen, t,
					       sizeof(t)) > 0);
		(void)tern_mapt_format_prefix4(&r.ipv4_addr, 32, t, 8);
	}
	/* Derive with each rule's own prefix as the delegated one. */
	for (unsigned i = 0; i < c.n_rules; i++) {
		uint8_t l = c.rules[i].v6_plen;

		if (l + c.rules[i].ea_len <= 128)
			l = (uint8_t)(l + c.rules[i].ea_len);
		(void)tern_mapt_derive(&c, &c.rules[i].v6_prefix, l, &r);
	}
	return 0;
}
