/* Unit tests for MAP-E/MAP-T container parsing and rule derivation. */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <tern/dhcp6.h>
#include <tern/mapt.h>

/* Option 95 of specs/client-scripts.md (SRV_OPTION95). */
static const uint8_t spec_opt95[] = {
	0x00, 0x59, 0x00, 0x14, 0x80, 0x00, 0x18, 0xc0, 0x00, 0x02,
	0x00, 0x20, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x5d, 0x00, 0x04,
	0x00, 0x10, 0x04, 0xd2, 0x00, 0x5b, 0x00, 0x09, 0x40, 0x20,
	0x01, 0x0d, 0xb8, 0xff, 0xff, 0x00, 0x00,
};

/*
 * RFC 7597 Appendix A, example 1: rule 2001:db8::/40, 192.0.2.0/24,
 * EA-len 16, port params offset 6 / PSID-len 8; DMR 2001:db8:ffff::/64.
 */
static const uint8_t rfc_opt95[] = {
	0x00, 0x59, 0x00, 0x15,				/* S46_RULE, 21 bytes */
	0x01, 0x10, 0x18, 0xc0, 0x00, 0x02, 0x00, 0x28, /* F, 16, /24, /40 */
	0x20, 0x01, 0x0d, 0xb8, 0x00,			/* 2001:db8:00::/40 */
	0x00, 0x5d, 0x00, 0x04, 0x06, 0x08, 0x00, 0x00, /* offset 6, k 8 */
	0x00, 0x5b, 0x00, 0x09, 0x40, 0x20, 0x01, 0x0d,
	0xb8, 0xff, 0xff, 0x00, 0x00,
};

static struct in6_addr addr6(const char *s)
{
	struct in6_addr a;

	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

static void assert_v4(struct in_addr a, const char *s)
{
	char t[INET_ADDRSTRLEN];

	assert_non_null(inet_ntop(AF_INET, &a, t, sizeof(t)));
	assert_string_equal(t, s);
}

/* A growable-by-hand TLV buffer for building containers. */
struct tlv {
	uint8_t b[512];
	size_t n;
};

static void put(struct tlv *t, uint16_t code, const void *v, size_t len)
{
	t->b[t->n++] = (uint8_t)(code >> 8);
	t->b[t->n++] = (uint8_t)code;
	t->b[t->n++] = (uint8_t)(len >> 8);
	t->b[t->n++] = (uint8_t)len;
	memcpy(t->b + t->n, v, len);
	t->n += len;
}

/* An S46_RULE value; pp (4 bytes) appended as S46_PORTPARAMS if given. */
static size_t rule(uint8_t *out, uint8_t flags, uint8_t ea, uint8_t v4len,
		   const char *v4, uint8_t v6len, const char *v6,
		   const uint8_t *pp)
{
	struct in6_addr p6 = addr6(v6);
	struct in_addr p4;
	size_t n = 0, nb = (v6len + 7u) / 8;

	assert_int_equal(inet_pton(AF_INET, v4, &p4), 1);
	out[n++] = flags;
	out[n++] = ea;
	out[n++] = v4len;
	memcpy(out + n, &p4, 4);
	n += 4;
	out[n++] = v6len;
	memcpy(out + n, &p6, nb);
	n += nb;
	if (pp) {
		const uint8_t h[] = {0, 93, 0, 4};
		memcpy(out + n, h, 4);
		memcpy(out + n + 4, pp, 4);
		n += 8;
	}
	return n;
}

static const uint8_t dmr64[] = {0x40, 0x20, 0x01, 0x0d, 0xb8,
				0xff, 0xff, 0x00, 0x00};

static void test_spec_example(void **state)
{
	struct tern_mapt_container c;
	struct tern_mapt_result r;
	struct in6_addr e, pd;
	char t[64];
	(void)state;

	assert_int_equal(
		tern_mapt_parse(spec_opt95, sizeof(spec_opt95), 95, &c), 0);
	assert_int_equal(c.code, 95);
	assert_int_equal(c.n_rules, 1);
	assert_int_equal(c.rules[0].flags, 0x80);
	assert_true(c.rules[0].is_fmr);
	assert_int_equal(c.rules[0].ea_len, 0);
	assert_int_equal(c.rules[0].v4_plen, 24);
	assert_v4(c.rules[0].v4_prefix, "192.0.2.0");
	assert_int_equal(c.rules[0].v6_plen, 32);
	e = addr6("2001:db8::");
	assert_memory_equal(&c.rules[0].v6_prefix, &e, 16);
	assert_true(c.rules[0].has_portparams);
	assert_int_equal(c.rules[0].psid_offset, 0);
	assert_int_equal(c.rules[0].psid_len, 16);
	assert_int_equal(c.rules[0].psid, 1234);
	assert_true(c.has_dmr);
	assert_int_equal(c.dmr_plen, 64);
	e = addr6("2001:db8:ffff::");
	assert_memory_equal(&c.dmr_prefix, &e, 16);
	assert_int_equal(c.n_br, 0);

	/* The spec's lease delegates fd00:9900::/56, which the rule does
	 * not cover: the EA-len 0 rule applies anyway. */
	pd = addr6("fd00:9900::");
	assert_int_equal(tern_mapt_derive(&c, &pd, 56, &r), 0);
	assert_int_equal(r.transport_mode, TERN_MAP_T);
	assert_string_equal(tern_map_mode_name(r.transport_mode),
			    "Translation");
	assert_int_equal(
		tern_mapt_format_prefix6(&r.br_prefix, r.br_plen, t, sizeof(t)),
		18);
	assert_string_equal(t, "2001:db8:ffff::/64");
	assert_int_equal(tern_mapt_format_prefix4(&r.rule_v4_prefix,
						  r.rule_v4_plen, t, sizeof(t)),
			 12);
	assert_string_equal(t, "192.0.2.0/24");
	tern_mapt_format_prefix6(&r.rule_v6_prefix, r.rule_v6_plen, t,
				 sizeof(t));
	assert_string_equal(t, "2001:db8::/32");
	assert_int_equal(r.ea_len, 0);
	assert_int_equal(r.psid_offset, 6); /* 0 -> default 6 (spec) */
	assert_int_equal(r.psid_len, 16);
	assert_int_equal(r.psid, 1234);
	assert_true(r.is_fmr);
	assert_v4(r.ipv4_addr, "192.0.2.0");
	assert_int_equal(r.ratio, 65536);
	assert_int_equal(r.rule_index, 0);

	/* Same result with a delegated prefix inside the rule. */
	pd = addr6("2001:db8:ff00::");
	assert_int_equal(tern_mapt_derive(&c, &pd, 56, &r), 0);
	assert_int_equal(r.psid, 1234);
	assert_v4(r.ipv4_addr, "192.0.2.0");
}

static void test_rfc7597_example(void **state)
{
	struct tern_mapt_container c;
	struct tern_mapt_result r;
	struct in6_addr pd = addr6("2001:db8:12:3400::");
	struct tlv t = {.n = 0};
	uint8_t rv[64];
	(void)state;

	assert_int_equal(tern_mapt_parse(rfc_opt95, sizeof(rfc_opt95), 95, &c),
			 0);
	assert_true(c.rules[0].is_fmr);
	assert_int_equal(c.rules[0].ea_len, 16);
	assert_int_equal(c.rules[0].v6_plen, 40);
	assert_int_equal(tern_mapt_derive(&c, &pd, 56, &r), 0);
	/* EA bits 0x1234: IPv4 suffix 0x12 = 18, PSID 0x34. */
	assert_v4(r.ipv4_addr, "192.0.2.18");
	assert_int_equal(r.psid_len, 8);
	assert_int_equal(r.psid, 0x34);
	assert_int_equal(r.psid_offset, 6);
	assert_int_equal(r.ratio, 256);
	assert_int_equal(r.ea_len, 16);

	/* Without port params: same, offset by default. */
	put(&t, 89, rv,
	    rule(rv, 0, 16, 24, "192.0.2.0", 40, "2001:db8::", NULL));
	put(&t, 91, dmr64, sizeof(dmr64));
	assert_int_equal(tern_mapt_parse(t.b, t.n, 95, &c), 0);
	assert_false(c.rules[0].is_fmr);
	assert_int_equal(tern_mapt_derive(&c, &pd, 56, &r), 0);
	assert_v4(r.ipv4_addr, "192.0.2.18");
	assert_int_equal(r.psid, 0x34);
	assert_int_equal(r.psid_offset, 6);
	assert_false(r.is_fmr);

	/* Another CE of the same domain: 2001:db8:ff:ab00::/56. */
	pd = addr6("2001:db8:ff:ab00::");
	assert_int_equal(tern_mapt_derive(&c, &pd, 56, &r), 0);
	assert_v4(r.ipv4_addr, "192.0.2.255");
	assert_int_equal(r.psid, 0xab);
}

static void test_full_address_rule(void **state)
{
	/* EA-len 8 with a /24: k = 0, one full IPv4 address per CE; the
	 * PSID then comes from port params. */
	const uint8_t pp[] = {0, 4, 0xa0, 0x00}; /* offset 0, PSID 0xa/4 */
	struct tern_mapt_container c;
	struct tern_mapt_result r;
	struct in6_addr pd = addr6("2001:db8:0:2a00::");
	struct tlv t = {.n = 0};
	uint8_t rv[64];
	(void)state;

	put(&t, 89, rv,
	    rule(rv, 1, 8, 24, "198.51.100.0", 48, "2001:db8::", pp));
	put(&t, 91, dmr64, sizeof(dmr64));
	assert_int_equal(tern_mapt_parse(t.b, t.n, 95, &c), 0);
	assert_int_equal(c.rules[0].psid, 0xa);
	assert_int_equal(tern_mapt_derive(&c, &pd, 56, &r), 0);
	assert_v4(r.ipv4_addr, "198.51.100.42");
	assert_int_equal(r.psid_len, 4);
	assert_int_equal(r.psid, 0xa);
	assert_int_equal(r.ratio, 16);
	assert_int_equal(r.psid_offset, 6);
}

static void test_rule_selection_and_mape(void **state)
{
	struct tern_mapt_container c;
	struct tern_mapt_result r, canary;
	struct in6_addr pd = addr6("2001:db8:12:3400::");
	struct in6_addr br = addr6("2001:db8::ffff");
	struct tlv t = {.n = 0};
	uint8_t rv[64];
	char txt[64];
	(void)state;

	/* A /32 rule with EA-len 24 and a longer /40 one: the /40 wins. */
	put(&t, 89, rv,
	    rule(rv, 0, 24, 24, "203.0.113.0", 32, "2001:db8::", NULL));
	put(&t, 89, rv,
	    rule(rv, 0, 16, 24, "192.0.2.0", 40, "2001:db8::", NULL));
	put(&t, 90, &br, 16);
	put(&t, 90, &br, 16);
	assert_int_equal(tern_mapt_parse(t.b, t.n, 94, &c), 0);
	assert_int_equal(c.n_rules, 2);
	assert_int_equal(c.n_br, 2);
	assert_int_equal(tern_mapt_derive(&c, &pd, 56, &r), 0);
	assert_int_equal(r.rule_index, 1);
	assert_v4(r.ipv4_addr, "192.0.2.18");
	assert_int_equal(r.transport_mode, TERN_MAP_E);
	assert_string_equal(tern_map_mode_name(r.transport_mode),
			    "Encapsulation");
	assert_int_equal(r.br_plen, 128);
	assert_memory_equal(&r.br_prefix, &br, 16);
	tern_mapt_format_prefix6(&r.br_prefix, r.br_plen, txt, sizeof(txt));
	assert_string_equal(txt, "2001:db8::ffff/128");

	/* Outside both rules, and no EA-len 0 rule: -ENOENT, untouched. */
	pd = addr6("2001:db9::");
	memset(&r, 0x5a, sizeof(r));
	canary = r;
	assert_int_equal(tern_mapt_derive(&c, &pd, 56, &r), -ENOENT);
	assert_memory_equal(&r, &canary, sizeof(r));
	/* MAP-E (94) parse of a container without BR fails, as does 95
	 * without DMR. */
	t.n = 0;
	put(&t, 89, rv,
	    rule(rv, 0, 16, 24, "192.0.2.0", 40, "2001:db8::", NULL));
	assert_int_equal(tern_mapt_parse(t.b, t.n, 94, &c), -EBADMSG);
	assert_int_equal(tern_mapt_parse(t.b, t.n, 95, &c), -EBADMSG);
	assert_int_equal(tern_mapt_parse(t.b, t.n, 96, &c), -EINVAL);
}

static void test_fmr_flag(void **state)
{
	const uint8_t flags[] = {0x00, 0x01, 0x80, 0x81, 0x02, 0x7e};
	const bool fmr[] = {false, true, true, true, false, false};
	struct tern_mapt_container c;
	(void)state;

	for (size_t i = 0; i < sizeof(flags); i++) {
		uint8_t b[sizeof(spec_opt95)];

		memcpy(b, spec_opt95, sizeof(b));
		b[4] = flags[i];
		assert_int_equal(tern_mapt_parse(b, sizeof(b), 95, &c), 0);
		assert_int_equal(c.rules[0].flags, flags[i]);
		assert_int_equal(c.rules[0].is_fmr, fmr[i]);
	}
}

static void test_bad_lengths(void **state)
{
	struct tern_mapt_container c, canary;
	uint8_t b[sizeof(spec_opt95) + 8];
	struct tlv t;
	uint8_t rv[64];
	(void)state;

	memset(&c, 0x33, sizeof(c));
	canary = c;
	/* Every truncation of the spec example is malformed. */
	for (size_t n = 1; n < sizeof(spec_opt95); n++)
		assert_int_equal(tern_mapt_parse(spec_opt95, n, 95, &c),
				 -EBADMSG); /* n == 24: no DMR */
	assert_memory_equal(&c, &canary, sizeof(c));
	assert_int_equal(tern_mapt_parse(spec_opt95, 0, 95, &c), -EBADMSG);

	/* S46_RULE shorter than its fixed part. */
	memcpy(b, spec_opt95, sizeof(spec_opt95));
	t.n = 0;
	put(&t, 89, b + 4, 7);
	put(&t, 91, dmr64, sizeof(dmr64));
	assert_int_equal(tern_mapt_parse(t.b, t.n, 95, &c), -EBADMSG);
	/* Prefix bytes missing: /40 needs 5, 4 given. */
	t.n = 0;
	put(&t, 89, rv,
	    rule(rv, 0, 16, 24, "192.0.2.0", 40, "2001:db8::", NULL) - 1);
	put(&t, 91, dmr64, sizeof(dmr64));
	assert_int_equal(tern_mapt_parse(t.b, t.n, 95, &c), -EBADMSG);
	/* A dangling byte after the prefix (partial nested option). */
	t.n = 0;
	rv[13] = 0;
	put(&t, 89, rv,
	    rule(rv, 0, 16, 24, "192.0.2.0", 40, "2001:db8::", NULL) + 1);
	put(&t, 91, dmr64, sizeof(dmr64));
	assert_int_equal(tern_mapt_parse(t.b, t.n, 95, &c), -EBADMSG);

	/* S46_PORTPARAMS of 3 and 5 bytes (the rule's length follows). */
	for (uint8_t l = 3; l <= 5; l += 2) {
		const uint8_t zero[5] = {0};

		memcpy(rv, spec_opt95 + 4, 12);
		rv[12] = 0;
		rv[13] = 93;
		rv[14] = 0;
		rv[15] = l;
		memcpy(rv + 16, zero, l);
		t.n = 0;
		put(&t, 89, rv, 16u + l);
		put(&t, 91, dmr64, sizeof(dmr64));
		assert_int_equal(tern_mapt_parse(t.b, t.n, 95, &c), -EBADMSG);
		rv[15] = 4; /* and 4 parses */
		t.n = 0;
		put(&t, 89, rv, 20);
		put(&t, 91, dmr64, sizeof(dmr64));
		assert_int_equal(tern_mapt_parse(t.b, t.n, 95, &c), 0);
		c = canary;
	}
	/* Nested S46_PORTPARAMS running past the rule. */
	memcpy(b, spec_opt95, sizeof(spec_opt95));
	b[19] = 5;
	assert_int_equal(tern_mapt_parse(b, sizeof(spec_opt95), 95, &c),
			 -EBADMSG);
	/* The rule itself running past the container. */
	memcpy(b, spec_opt95, sizeof(spec_opt95));
	b[3] = 0x30;
	assert_int_equal(tern_mapt_parse(b, sizeof(spec_opt95), 95, &c),
			 -EBADMSG);
	/* S46_BR of 15 and 17 bytes. */
	for (size_t l = 15; l <= 17; l++) {
		uint8_t br[17] = {0x20, 0x01};

		t.n = 0;
		put(&t, 89, spec_opt95 + 4, 20);
		put(&t, 90, br, l);
		assert_int_equal(tern_mapt_parse(t.b, t.n, 94, &c),
				 l == 16 ? 0 : -EBADMSG);
		c = canary;
	}
	/* S46_DMR: /64 with 7 or 9 prefix bytes; empty; repeated. */
	memcpy(b, spec_opt95, sizeof(spec_opt95));
	b[27] = 8;
	assert_int_equal(tern_mapt_parse(b, sizeof(spec_opt95) - 1, 95, &c),
			 -EBADMSG);
	b[27] = 10;
	b[sizeof(spec_opt95)] = 0;
	assert_int_equal(tern_mapt_parse(b, sizeof(spec_opt95) + 1, 95, &c),
			 -EBADMSG);
	b[27] = 0;
	assert_int_equal(tern_mapt_parse(b, 28, 95, &c), -EBADMSG);
	memcpy(b, spec_opt95, sizeof(spec_opt95));
	t.n = 0;
	put(&t, 89, b + 4, 20);
	put(&t, 91, dmr64, sizeof(dmr64));
	put(&t, 91, dmr64, sizeof(dmr64));
	assert_int_equal(tern_mapt_parse(t.b, t.n, 95, &c), -EBADMSG);
	/* Repeated S46_PORTPARAMS in one rule. */
	t.n = 0;
	memcpy(rv, spec_opt95 + 4, 20);
	memcpy(rv + 20, spec_opt95 + 16, 8);
	put(&t, 89, rv, 28);
	put(&t, 91, dmr64, sizeof(dmr64));
	assert_int_equal(tern_mapt_parse(t.b, t.n, 95, &c), -EBADMSG);
	assert_memory_equal(&c, &canary, sizeof(c));
}

static void test_bad_ranges(void **state)
{
	struct tern_mapt_container c;
	uint8_t b[sizeof(spec_opt95)];
	struct tlv t = {.n = 0};
	uint8_t rv[64];
	(void)state;

#define MUTATE(off, val, expect)                                        \
	do {                                                            \
		memcpy(b, spec_opt95, sizeof(b));                       \
		b[off] = (val);                                         \
		assert_int_equal(tern_mapt_parse(b, sizeof(b), 95, &c), \
				 expect);                               \
	} while (0)
	MUTATE(5, 48, 0);	  /* EA-len 48 is the maximum */
	MUTATE(5, 49, -ERANGE);	  /* EA-len */
	MUTATE(6, 33, -ERANGE);	  /* IPv4 prefix length */
	MUTATE(11, 129, -ERANGE); /* IPv6 prefix length */
	MUTATE(20, 15, 0);	  /* PSID offset 15 */
	MUTATE(20, 16, -ERANGE);  /* PSID offset */
	MUTATE(21, 17, -ERANGE);  /* PSID length > 16 */
	MUTATE(28, 129, -ERANGE); /* DMR prefix length */

	/* Five rules: more than the container holds. */
	for (int i = 0; i < 5; i++)
		put(&t, 89, rv,
		    rule(rv, 0, 16, 24, "192.0.2.0", 40, "2001:db8::", NULL));
	put(&t, 91, dmr64, sizeof(dmr64));
	assert_int_equal(tern_mapt_parse(t.b, t.n, 95, &c), -E2BIG);
	assert_int_equal(tern_mapt_parse(NULL, 4, 95, &c), -EINVAL);
}

static void test_inconsistent_rules(void **state)
{
	struct tern_mapt_container c;
	struct tern_mapt_result r;
	struct in6_addr pd = addr6("2001:db8:12:3400::");
	struct tlv t;
	uint8_t rv[64];
	const uint8_t pp_k6[] = {6, 6, 0, 0};
	(void)state;

	/* EA-len 16 from /40 means a /56: /60 and /48 are inconsistent. */
	assert_int_equal(tern_mapt_parse(rfc_opt95, sizeof(rfc_opt95), 95, &c),
			 0);
	assert_int_equal(tern_mapt_derive(&c, &pd, 60, &r), -ERANGE);
	assert_int_equal(tern_mapt_derive(&c, &pd, 48, &r), -ERANGE);
	assert_int_equal(tern_mapt_derive(&c, &pd, 129, &r), -EINVAL);
	assert_int_equal(tern_mapt_derive(NULL, &pd, 56, &r), -EINVAL);

	/* PSID length 17: EA-len 25 with a /24. */
	t = (struct tlv){.n = 0};
	put(&t, 89, rv,
	    rule(rv, 0, 25, 24, "192.0.2.0", 40, "2001:db8::", NULL));
	put(&t, 91, dmr64, sizeof(dmr64));
	assert_int_equal(tern_mapt_parse(t.b, t.n, 95, &c), 0);
	assert_int_equal(tern_mapt_derive(&c, &pd, 65, &r), -ERANGE);

	/* EA-len 4 with a /24: EA bits do not even fill the address. */
	t = (struct tlv){.n = 0};
	put(&t, 89, rv,
	    rule(rv, 0, 4, 24, "192.0.2.0", 40, "2001:db8::", NULL));
	put(&t, 91, dmr64, sizeof(dmr64));
	assert_int_equal(tern_mapt_parse(t.b, t.n, 95, &c), 0);
	assert_int_equal(tern_mapt_derive(&c, &pd, 44, &r), -ERANGE);

	/* EA-len 48 with a /16: k = 32. */
	t = (struct tlv){.n = 0};
	put(&t, 89, rv,
	    rule(rv, 0, 48, 16, "10.0.0.0", 40, "2001:db8::", NULL));
	put(&t, 91, dmr64, sizeof(dmr64));
	assert_int_equal(tern_mapt_parse(t.b, t.n, 95, &c), 0);
	assert_int_equal(tern_mapt_derive(&c, &pd, 88, &r), -ERANGE);

	/* EA bits would run past bit 128: /100 + 40. */
	t = (struct tlv){.n = 0};
	put(&t, 89, rv,
	    rule(rv, 0, 40, 24, "192.0.2.0", 100, "2001:db8::", NULL));
	put(&t, 91, dmr64, sizeof(dmr64));
	assert_int_equal(tern_mapt_parse(t.b, t.n, 95, &c), 0);
	pd = addr6("2001:db8::");
	assert_int_equal(tern_mapt_derive(&c, &pd, 128, &r), -ERANGE);

	/* Port params PSID-len 6 against 8 PSID bits from EA. */
	t = (struct tlv){.n = 0};
	put(&t, 89, rv,
	    rule(rv, 0, 16, 24, "192.0.2.0", 40, "2001:db8::", pp_k6));
	put(&t, 91, dmr64, sizeof(dmr64));
	assert_int_equal(tern_mapt_parse(t.b, t.n, 95, &c), 0);
	pd = addr6("2001:db8:12:3400::");
	assert_int_equal(tern_mapt_derive(&c, &pd, 56, &r), -ERANGE);

	/* A caller-built container with an out-of-range rule. */
	assert_int_equal(tern_mapt_parse(rfc_opt95, sizeof(rfc_opt95), 95, &c),
			 0);
	c.rules[0].psid_len = 17;
	assert_int_equal(tern_mapt_derive(&c, &pd, 56, &r), -ERANGE);
	c.rules[0].psid_len = 8;
	c.has_dmr = false;
	assert_int_equal(tern_mapt_derive(&c, &pd, 56, &r), -EBADMSG);
}

static void test_format(void **state)
{
	struct in6_addr a = addr6("2001:db8:ffff::");
	struct in_addr v4 = {.s_addr = htonl(0xc0000200)};
	char t[64];
	(void)state;

	assert_int_equal(tern_mapt_format_prefix6(&a, 64, t, 19), 18);
	assert_string_equal(t, "2001:db8:ffff::/64");
	assert_int_equal(tern_mapt_format_prefix6(&a, 64, t, 18), -ENOBUFS);
	assert_int_equal(tern_mapt_format_prefix6(&a, 129, t, 64), -EINVAL);
	assert_int_equal(tern_mapt_format_prefix6(&a, 128, t, 64), 19);
	assert_int_equal(tern_mapt_format_prefix6(&a, 0, t, 64), 17);
	assert_int_equal(tern_mapt_format_prefix4(&v4, 24, t, 13), 12);
	assert_string_equal(t, "192.0.2.0/24");
	assert_int_equal(tern_mapt_format_prefix4(&v4, 24, t, 12), -ENOBUFS);
	assert_int_equal(tern_mapt_format_prefix4(&v4, 33, t, 64), -EINVAL);
	assert_int_equal(tern_mapt_format_prefix4(&v4, 8, t, 64), 11);
	assert_string_equal(t, "192.0.2.0/8");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_example),
		cmocka_unit_test(test_rfc7597_example),
		cmocka_unit_test(test_full_address_rule),
		cmocka_unit_test(test_rule_selection_and_mape),
		cmocka_unit_test(test_fmr_flag),
		cmocka_unit_test(test_bad_lengths),
		cmocka_unit_test(test_bad_ranges),
		cmocka_unit_test(test_inconsistent_rules),
		cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
