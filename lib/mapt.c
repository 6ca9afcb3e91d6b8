/* MAP-E/MAP-T: S46 container parsing (RFC 7598), CE derivation (RFC 7597). */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <tern/dhcp6.h>
#include <tern/mapt.h>

#define S46_RULE_FIXED	     8 /* flags .. prefix6-len */
#define S46_PORTPARAMS_LEN   4
#define S46_BR_LEN	     16
#define MAPT_MAX_EA_LEN	     48 /* 32 IPv4 suffix bits + 16 PSID bits */
#define MAPT_MAX_PSID_OFFSET 15

/* Clear the bits of a past plen. */
static void mask6(struct in6_addr *a, unsigned plen)
{
	uint8_t *b = (uint8_t *)a;

	for (unsigned i = 0; i < 16; i++) {
		if (plen >= 8 * (i + 1))
			continue;
		if (plen <= 8 * i)
			b[i] = 0;
		else
			b[i] &= (uint8_t)(0xff << (8 - (plen - 8 * i)));
	}
}

static uint32_t v4mask(unsigned plen)
{
	return plen == 0 ? 0 : 0xffffffffu << (32 - plen);
}

/* The n bytes of a prefix into an in6_addr, host bits cleared. */
static void prefix_copy(struct in6_addr *a, const uint8_t *p, unsigned plen)
{
	memset(a, 0, sizeof(*a));
	memcpy(a, p, (plen + 7) / 8);
	mask6(a, plen);
}

static int portparams_parse(const uint8_t *v, uint16_t len,
			    struct tern_s46_rule *rule)
{
	uint16_t wire;

	if (len != S46_PORTPARAMS_LEN)
		return -EBADMSG;
	if (rule->has_portparams)
		return -EBADMSG;
	if (v[0] > MAPT_MAX_PSID_OFFSET || v[1] > 16)
		return -ERANGE;
	wire = (uint16_t)((unsigned)v[2] << 8 | v[3]);
	rule->has_portparams = true;
	rule->psid_offset = v[0];
	rule->psid_len = v[1];
	/* Bits past PSID-len are ignored (RFC 7598 §4.5 asks for zeros). */
	rule->psid = v[1] ? (uint16_t)(wire >> (16 - v[1])) : 0;
	return 0;
}

static int rule_parse(const uint8_t *v, uint16_t len, struct tern_s46_rule *ret)
{
	struct tern_s46_rule rule;
	struct tern_dhcp6_opt_iter it;
	const uint8_t *sv;
	uint16_t code, slen;
	uint32_t v4;
	size_t nbytes;
	int r;

	if (len < S46_RULE_FIXED)
		return -EBADMSG;
	memset(&rule, 0, sizeof(rule));
	rule.flags = v[0];
	rule.is_fmr = (v[0] & (TERN_S46_FLAG_F | TERN_S46_FLAG_F_MSB)) != 0;
	rule.ea_len = v[1];
	rule.v4_plen = v[2];
	rule.v6_plen = v[7];
	if (rule.v4_plen > 32 || rule.v6_plen > 128 ||
	    rule.ea_len > MAPT_MAX_EA_LEN)
		return -ERANGE;
	v4 = (uint32_t)v[3] << 24 | (uint32_t)v[4] << 16 | (uint32_t)v[5] << 8 |
	     v[6];
	rule.v4_prefix.s_addr = htonl(v4 & v4mask(rule.v4_plen));
	nbytes = ((size_t)rule.v6_plen + 7) / 8;
	if (len < S46_RULE_FIXED + nbytes)
		return -EBADMSG;
	prefix_copy(&rule.v6_prefix, v + S46_RULE_FIXED, rule.v6_plen);

	tern_dhcp6_opt_iter_init(&it, v + S46_RULE_FIXED + nbytes,
				 len - S46_RULE_FIXED - nbytes);
	while ((r = tern_dhcp6_opt_next(&it, &code, &sv, &slen)) > 0) {
		if (code != TERN_DHCP6_OPT_S46_PORTPARAMS)
			continue;
		r = portparams_parse(sv, slen, &rule);
		if (r < 0)
			return r;
	}
	if (r < 0)
		return r;
	*ret = rule;
	return 0;
}

int tern_mapt_parse(const uint8_t *data, size_t len, uint16_t code,
		    struct tern_mapt_container *ret)
{
	struct tern_mapt_container c;
	struct tern_dhcp6_opt_iter it;
	const uint8_t *v;
	uint16_t sub, slen;
	int r;

	if (!ret || (!data && len) ||
	    (code != TERN_DHCP6_OPT_S46_CONT_MAPE &&
	     code != TERN_DHCP6_OPT_S46_CONT_MAPT))
		return -EINVAL;
	memset(&c, 0, sizeof(c));
	c.code = code;
	tern_dhcp6_opt_iter_init(&it, data, len);
	while ((r = tern_dhcp6_opt_next(&it, &sub, &v, &slen)) > 0) {
		switch (sub) {
		case TERN_DHCP6_OPT_S46_RULE:
			if (c.n_rules >= TERN_MAPT_MAX_RULES)
				return -E2BIG;
			r = rule_parse(v, slen, &c.rules[c.n_rules]);
			if (r < 0)
				return r;
			c.n_rules++;
			break;
		case TERN_DHCP6_OPT_S46_BR:
			if (slen != S46_BR_LEN)
				return -EBADMSG;
			if (c.n_br == 0)
				memcpy(&c.br, v, S46_BR_LEN);
			if (c.n_br < UINT8_MAX)
				c.n_br++;
			break;
		case TERN_DHCP6_OPT_S46_DMR:
			if (slen < 1 || c.has_dmr)
				return -EBADMSG;
			if (v[0] > 128)
				return -ERANGE;
			if (slen != 1 + ((size_t)v[0] + 7) / 8)
				return -EBADMSG;
			c.has_dmr = true;
			c.dmr_plen = v[0];
			prefix_copy(&c.dmr_prefix, v + 1, v[0]);
			break;
		default:
			break;
		}
	}
	if (r < 0)
		return r;
	if (c.n_rules == 0)
		return -EBADMSG;
	if (code == TERN_DHCP6_OPT_S46_CONT_MAPT && !c.has_dmr)
		return -EBADMSG;
	if (code == TERN_DHCP6_OPT_S46_CONT_MAPE && c.n_br == 0)
		return -EBADMSG;
	*ret = c;
	return 0;
}

static bool prefix_covers(const struct in6_addr *rule, unsigned rule_plen,
			  const struct in6_addr *pd, unsigned pd_len)
{
	struct in6_addr a = *pd;

	if (rule_plen > pd_len)
		return false;
	mask6(&a, rule_plen);
	return memcmp(&a, rule, sizeof(a)) == 0;
}

/* n (<= 48) bits of a starting at bit off (off + n <= 128). */
static uint64_t bits_at(const struct in6_addr *a, unsigned off, unsigned n)
{
	const uint8_t *b = (const uint8_t *)a;
	uint64_t v = 0;

	for (unsigned i = off; i < off + n; i++)
		v = v << 1 | ((b[i / 8] >> (7 - i % 8)) & 1);
	return v;
}

static int select_rule(const struct tern_mapt_container *c,
		       const struct in6_addr *pd, uint8_t pd_len)
{
	int best = -1;
	unsigned n = c->n_rules;

	if (n > TERN_MAPT_MAX_RULES)
		n = TERN_MAPT_MAX_RULES;
	for (unsigned i = 0; i < n; i++) {
		const struct tern_s46_rule *r = &c->rules[i];

		if (r->v6_plen > 128)
			continue;
		if (!prefix_covers(&r->v6_prefix, r->v6_plen, pd, pd_len))
			continue;
		if (best < 0 || r->v6_plen > c->rules[best].v6_plen)
			best = (int)i;
	}
	for (unsigned i = 0; best < 0 && i < n; i++)
		if (c->rules[i].ea_len == 0)
			best = (int)i;
	return best < 0 ? -ENOENT : best;
}

int tern_mapt_derive(const struct tern_mapt_container *c,
		     const struct in6_addr *pd, uint8_t pd_len,
		     struct tern_mapt_result *ret)
{
	struct tern_mapt_result res;
	const struct tern_s46_rule *rule;
	uint32_t v4;
	int idx;

	if (!c || !pd || !ret || pd_len > 128)
		return -EINVAL;
	if (c->code != TERN_MAP_E && c->code != TERN_MAP_T)
		return -EINVAL;
	if (c->code == TERN_MAP_T && !c->has_dmr)
		return -EBADMSG;
	if (c->code == TERN_MAP_E && c->n_br == 0)
		return -EBADMSG;
	idx = select_rule(c, pd, pd_len);
	if (idx < 0)
		return idx;
	rule = &c->rules[idx];
	/* The container may be caller-built: check what parse checks. */
	if (rule->v4_plen > 32 || rule->v6_plen > 128 ||
	    rule->ea_len > MAPT_MAX_EA_LEN || rule->psid_len > 16 ||
	    rule->psid_offset > MAPT_MAX_PSID_OFFSET)
		return -ERANGE;

	memset(&res, 0, sizeof(res));
	res.transport_mode = (enum tern_map_mode)c->code;
	if (c->code == TERN_MAP_T) {
		res.br_prefix = c->dmr_prefix;
		res.br_plen = c->dmr_plen;
	} else {
		res.br_prefix = c->br;
		res.br_plen = 128;
	}
	res.rule_v4_prefix = rule->v4_prefix;
	res.rule_v4_plen = rule->v4_plen;
	res.rule_v6_prefix = rule->v6_prefix;
	res.rule_v6_plen = rule->v6_plen;
	res.ea_len = rule->ea_len;
	res.is_fmr = rule->is_fmr;
	res.rule_index = (uint8_t)idx;
	v4 = ntohl(rule->v4_prefix.s_addr) & v4mask(rule->v4_plen);

	if (rule->ea_len > 0) {
		int suffix_bits = 32 - rule->v4_plen;
		int k = rule->ea_len - suffix_bits;
		uint64_t ea;

		if ((int)pd_len - (int)rule->v6_plen != rule->ea_len)
			return -ERANGE;
		if (k < 0 || k > 16)
			return -ERANGE;
		ea = bits_at(pd, rule->v6_plen, rule->ea_len);
		v4 |= (uint32_t)(ea >> k);
		if (k > 0) {
			if (rule->has_portparams && rule->psid_len != 0 &&
			    rule->psid_len != k)
				return -ERANGE;
			res.psid_len = (uint8_t)k;
			res.psid = (uint16_t)(ea & ((1u << k) - 1));
		} else if (rule->has_portparams) {
			res.psid_len = rule->psid_len;
			res.psid = rule->psid;
		}
	} else if (rule->has_portparams) {
		res.psid_len = rule->psid_len;
		res.psid = rule->psid;
	}
	res.ipv4_addr.s_addr = htonl(v4);
	res.psid_offset = rule->has_portparams && rule->psid_offset
				  ? rule->psid_offset
				  : TERN_MAPT_DEFAULT_OFFSET;
	res.ratio = 1u << res.psid_len;
	*ret = res;
	return 0;
}

const char *tern_map_mode_name(enum tern_map_mode mode)
{
	switch (mode) {
	case TERN_MAP_E:
		return "Encapsulation";
	case TERN_MAP_T:
		return "Translation";
	}
	return "Unknown";
}

/* "text/plen" into out, all or nothing. */
static int with_plen(const char *text, unsigned plen, char *out, size_t cap)
{
	size_t n = strlen(text), k = plen >= 100 ? 3 : plen >= 10 ? 2 : 1;

	if (n + 1 + k >= cap)
		return -ENOBUFS;
	memcpy(out, text, n);
	out[n++] = '/';
	for (size_t i = k; i > 0; i--) {
		out[n + i - 1] = (char)('0' + plen % 10);
		plen /= 10;
	}
	n += k;
	out[n] = '\0';
	return (int)n;
}

int tern_mapt_format_prefix6(const struct in6_addr *a, uint8_t plen, char *out,
			     size_t cap)
{
	char tmp[INET6_ADDRSTRLEN];

	if (!a || !out || plen > 128)
		return -EINVAL;
	if (!inet_ntop(AF_INET6, a, tmp, sizeof(tmp)))
		return -EINVAL;
	return with_plen(tmp, plen, out, cap);
}

int tern_mapt_format_prefix4(const struct in_addr *a, uint8_t plen, char *out,
			     size_t cap)
{
	char tmp[INET_ADDRSTRLEN];

	if (!a || !out || plen > 32)
		return -EINVAL;
	if (!inet_ntop(AF_INET, a, tmp, sizeof(tmp)))
		return -EINVAL;
	return with_plen(tmp, plen, out, cap);
}
