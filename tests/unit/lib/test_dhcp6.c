/* Unit tests for the DHCPv6 codec: parsing, relays, decoders, writer. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <tern/dhcp6.h>
#include <tern/mapt.h>

#include "fixture.h"

/* Option 95 of specs/client-scripts.md (SRV_OPTION95). */
static const uint8_t spec_opt95[] = {
	0x00, 0x59, 0x00, 0x14, 0x80, 0x00, 0x18, 0xc0, 0x00, 0x02,
	0x00, 0x20, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x5d, 0x00, 0x04,
	0x00, 0x10, 0x04, 0xd2, 0x00, 0x5b, 0x00, 0x09, 0x40, 0x20,
	0x01, 0x0d, 0xb8, 0xff, 0xff, 0x00, 0x00,
};

static struct in6_addr addr6(const char *s)
{
	struct in6_addr a;

	assert_int_equal(inet_pton(AF_INET6, s, &a), 1);
	return a;
}

/* A hand-built SOLICIT: xid 0x123456, DUID-LL client id, elapsed time,
 * ORO (23, 24, 95), IA_NA (iaid 1, no addresses), rapid commit. */
static const uint8_t solicit[] = {
	0x01, 0x12, 0x34, 0x56,
	/* client id: DUID-LL, ethernet, 02:00:00:00:00:01 */
	0x00, 0x01, 0x00, 0x0a, 0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00,
	0x00, 0x01,
	/* elapsed time 0x0102 */
	0x00, 0x08, 0x00, 0x02, 0x01, 0x02,
	/* ORO */
	0x00, 0x06, 0x00, 0x06, 0x00, 0x17, 0x00, 0x18, 0x00, 0x5f,
	/* IA_NA iaid 1 t1 0 t2 0 */
	0x00, 0x03, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
	/* rapid commit */
	0x00, 0x0e, 0x00, 0x00};

static void test_parse_truncated_header(void **state)
{
	struct tern_dhcp6_msg m;
	struct tern_dhcp6_relay rl;
	uint8_t relay[33] = {TERN_DHCP6_RELAY_FORW};
	(void)state;

	for (size_t n = 0; n < TERN_DHCP6_HDR_LEN; n++)
		assert_int_equal(tern_dhcp6_parse(&m, solicit, n), -EMSGSIZE);
	assert_int_equal(tern_dhcp6_parse(NULL, solicit, sizeof(solicit)),
			 -EINVAL);
	assert_int_equal(tern_dhcp6_parse(&m, NULL, 4), -EINVAL);
	for (size_t n = 0; n < sizeof(relay); n++)
		assert_int_equal(tern_dhcp6_parse_relay(&rl, relay, n),
				 -EMSGSIZE);
	/* A bare 4-byte header is a valid, option-less message. */
	assert_int_equal(tern_dhcp6_parse(&m, solicit, 4), 0);
	assert_int_equal(m.opts_len, 0);
}

static void test_parse_solicit(void **state)
{
	struct tern_dhcp6_msg m;
	struct tern_dhcp6_opt_iter it;
	struct tern_dhcp6_duid duid;
	struct tern_dhcp6_ia ia;
	const uint8_t *v;
	uint16_t code, len, el, oro[8];
	int r, n = 0;
	(void)state;

	assert_int_equal(tern_dhcp6_parse(&m, solicit, sizeof(solicit)), 0);
	assert_int_equal(m.type, TERN_DHCP6_SOLICIT);
	assert_int_equal(m.xid, 0x123456);
	assert_int_equal(m.opts_len, sizeof(solicit) - 4);
	tern_dhcp6_opt_iter_init(&it, m.opts, m.opts_len);
	while ((r = tern_dhcp6_opt_next(&it, &code, &v, &len)) > 0)
		n++;
	assert_int_equal(r, 0);
	assert_int_equal(n, 5);
	assert_int_equal(tern_dhcp6_opts_validate(m.opts, m.opts_len), 5);

	r = tern_dhcp6_msg_find(&m, TERN_DHCP6_OPT_CLIENTID, &v);
	assert_int_equal(r, 10);
	assert_int_equal(tern_dhcp6_duid_decode(v, (size_t)r, &duid), 0);
	assert_int_equal(duid.type, TERN_DHCP6_DUID_LL);
	assert_int_equal(duid.hw_type, 1);
	assert_int_equal(duid.id_len, 6);
	assert_int_equal(duid.id[5], 0x01);
	assert_int_equal(duid.raw_len, 10);

	r = tern_dhcp6_msg_find(&m, TERN_DHCP6_OPT_ELAPSED_TIME, &v);
	assert_int_equal(r, 2);
	assert_int_equal(tern_dhcp6_elapsed_time_decode(v, 2, &el), 0);
	assert_int_equal(el, 0x0102);

	r = tern_dhcp6_msg_find(&m, TERN_DHCP6_OPT_ORO, &v);
	assert_int_equal(r, 6);
	assert_int_equal(tern_dhcp6_oro_decode(v, 6, oro, 8), 3);
	assert_int_equal(oro[2], 95);
	assert_true(tern_dhcp6_oro_has(v, 6, 24));
	assert_false(tern_dhcp6_oro_has(v, 6, 25));
	assert_int_equal(tern_dhcp6_oro_decode(v, 6, oro, 2), -ENOBUFS);
	assert_int_equal(tern_dhcp6_oro_decode(v, 5, oro, 8), -EBADMSG);

	r = tern_dhcp6_msg_find(&m, TERN_DHCP6_OPT_IA_NA, &v);
	assert_int_equal(r, 12);
	assert_int_equal(tern_dhcp6_ia_na_decode(v, 12, &ia), 0);
	assert_int_equal(ia.iaid, 1);
	assert_int_equal(ia.opts_len, 0);

	r = tern_dhcp6_msg_find(&m, TERN_DHCP6_OPT_RAPID_COMMIT, &v);
	assert_int_equal(r, 0);
	assert_int_equal(tern_dhcp6_empty_decode(v, 0), 0);
	assert_int_equal(tern_dhcp6_msg_find(&m, TERN_DHCP6_OPT_IA_PD, &v),
			 -ENOENT);
	assert_int_equal(tern_dhcp6_opt_count(m.opts, m.opts_len, 6), 1);
}

static void test_option_past_end(void **state)
{
	struct tern_dhcp6_msg m;
	struct tern_dhcp6_opt_iter it;
	uint8_t b[sizeof(solicit)];
	const uint8_t *v;
	uint16_t code, len;
	(void)state;

	/* Every truncation that cuts an option is -EBADMSG. */
	for (size_t n = 5; n < sizeof(solicit); n++) {
		int expect = (n == 4 + 14 || n == 4 + 20 || n == 4 + 30 ||
			      n == 4 + 46)
				     ? 0
				     : -EBADMSG;
		assert_int_equal(tern_dhcp6_parse(&m, solicit, n), expect);
	}
	/* A length one byte too long. */
	memcpy(b, solicit, sizeof(b));
	b[sizeof(b) - 1] = 1;
	assert_int_equal(tern_dhcp6_parse(&m, b, sizeof(b)), -EBADMSG);
	/* The iterator's error is sticky, after returning good options. */
	tern_dhcp6_opt_iter_init(&it, b + 4, sizeof(b) - 4);
	for (int i = 0; i < 4; i++)
		assert_int_equal(tern_dhcp6_opt_next(&it, &code, &v, &len), 1);
	assert_int_equal(tern_dhcp6_opt_next(&it, &code, &v, &len), -EBADMSG);
	assert_int_equal(tern_dhcp6_opt_next(&it, &code, &v, &len), -EBADMSG);
	assert_int_equal(tern_dhcp6_opt_find(b + 4, sizeof(b) - 4, 99, &v),
			 -EBADMSG);
	assert_int_equal(tern_dhcp6_opt_find(b + 4, sizeof(b) - 4, 8, &v), 2);
	assert_int_equal(tern_dhcp6_opt_count(b + 4, sizeof(b) - 4, 8),
			 -EBADMSG);
}

static void test_nested_past_parent(void **state)
{
	/* IA_NA of 40 bytes whose IAADDR claims 28 bytes but only 24 are
	 * inside the IA_NA: the message frames, the IA does not. */
	uint8_t b[] = {
		0x07, 0x00, 0x00, 0x01, 0x00, 0x03, 0x00,
		0x28, /* IA_NA len 40 */
		0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00,
		0x00, 0x14, 0x00, 0x05, 0x00,
		0x1c, /* IAADDR len 28 (only 24 left) */
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
		0x00, 0x00, 0x00, 0x64, 0x00, 0x00, 0x00, 0xc8,
		/* an option after the IA_NA, which the bad IAADDR overlaps */
		0x00, 0x0e, 0x00, 0x00};
	struct tern_dhcp6_msg m;
	struct tern_dhcp6_ia ia;
	struct tern_dhcp6_iaaddr a;
	const uint8_t *v;
	int r;
	(void)state;

	assert_int_equal(tern_dhcp6_parse(&m, b, sizeof(b)), 0);
	r = tern_dhcp6_msg_find(&m, TERN_DHCP6_OPT_IA_NA, &v);
	assert_int_equal(r, 40);
	memset(&ia, 0xa5, sizeof(ia));
	assert_int_equal(tern_dhcp6_ia_na_decode(v, (size_t)r, &ia), -EBADMSG);
	assert_int_equal(ia.iaid, 0xa5a5a5a5u); /* untouched */
	/* Fix the IAADDR length: it decodes, with T1/T2 and lifetimes. */
	b[23] = 0x18;
	assert_int_equal(tern_dhcp6_ia_na_decode(v, (size_t)r, &ia), 0);
	assert_int_equal(ia.t1, 10);
	assert_int_equal(ia.t2, 20);
	r = tern_dhcp6_opt_find(ia.opts, ia.opts_len, TERN_DHCP6_OPT_IAADDR,
				&v);
	assert_int_equal(r, 24);
	assert_int_equal(tern_dhcp6_iaaddr_decode(v, (size_t)r, &a), 0);
	assert_int_equal(a.preferred, 100);
	assert_int_equal(a.valid, 200);
	assert_memory_equal(&a.addr, b + 24, 16);
	assert_int_equal(tern_dhcp6_iaaddr_decode(v, 23, &a), -EBADMSG);
	/* A nested area with a dangling byte. */
	assert_int_equal(tern_dhcp6_ia_na_decode(b + 8, 13, &ia), -EBADMSG);
}

/* Build a RELAY-FORW chain of `levels` around a SOLICIT. */
static int build_relays(uint8_t *buf, size_t cap, unsigned levels)
{
	struct tern_dhcp6_writer w;
	struct in6_addr link = addr6("2001:db8:1::1");

	tern_dhcp6_writer_init(&w, buf, cap);
	for (unsigned i = 0; i < levels; i++) {
		struct in6_addr peer = addr6("fe80::1");
		char id[8];

		((uint8_t *)&peer)[15] = (uint8_t)i;
		tern_dhcp6_write_relay_header(&w, TERN_DHCP6_RELAY_FORW,
					      (uint8_t)(levels - 1 - i), &link,
					      &peer);
		snprintf(id, sizeof(id), "eth%u", i);
		tern_dhcp6_put(&w, TERN_DHCP6_OPT_INTERFACE_ID, id, strlen(id));
		tern_dhcp6_begin(&w, TERN_DHCP6_OPT_RELAY_MSG);
	}
	tern_dhcp6_put_bytes(&w, solicit, sizeof(solicit));
	return tern_dhcp6_writer_finish(&w);
}

static void test_relay_two_levels(void **state)
{
	uint8_t buf[512];
	struct tern_dhcp6_relay rl[4];
	struct tern_dhcp6_msg m;
	struct in6_addr peer = addr6("fe80::");
	int len;
	(void)state;

	len = build_relays(buf, sizeof(buf), 2);
	assert_int_equal(len, 2 * (34 + 8 + 4) + (int)sizeof(solicit));
	assert_int_equal(tern_dhcp6_unwrap(buf, (size_t)len, rl, 4, &m), 2);
	assert_int_equal(m.type, TERN_DHCP6_SOLICIT);
	assert_int_equal(m.xid, 0x123456);
	assert_int_equal(rl[0].type, TERN_DHCP6_RELAY_FORW);
	assert_int_equal(rl[0].hop_count, 1);
	assert_int_equal(rl[1].hop_count, 0);
	assert_memory_equal(&rl[0].link_addr, buf + 2, 16);
	assert_memory_equal(&rl[0].peer_addr, &peer, 16);
	((uint8_t *)&peer)[15] = 1;
	assert_memory_equal(&rl[1].peer_addr, &peer, 16);
	assert_int_equal(rl[0].interface_id_len, 4);
	assert_memory_equal(rl[0].interface_id, "eth0", 4);
	assert_memory_equal(rl[1].interface_id, "eth1", 4);
	assert_null(rl[0].remote_id);
	assert_int_equal(rl[1].relay_msg_len, sizeof(solicit));
	/* Too small an array, or none at all. */
	assert_int_equal(tern_dhcp6_unwrap(buf, (size_t)len, rl, 1, &m),
			 -ENOBUFS);
	assert_int_equal(tern_dhcp6_unwrap(buf, (size_t)len, NULL, 0, &m), 2);
	assert_int_equal(tern_dhcp6_unwrap(buf, (size_t)len, NULL, 1, &m),
			 -EINVAL);
	/* A client message unwraps to itself, 0 levels. */
	assert_int_equal(tern_dhcp6_unwrap(solicit, sizeof(solicit), rl, 4, &m),
			 0);
	/* parse() refuses relays, parse_relay() refuses the rest. */
	assert_int_equal(tern_dhcp6_parse(&m, buf, (size_t)len), -EPROTO);
	assert_int_equal(tern_dhcp6_parse_relay(rl, solicit, 34), -EPROTO);
	/* Cutting the outer relay-msg short breaks the framing. */
	assert_int_equal(tern_dhcp6_unwrap(buf, (size_t)len - 1, rl, 4, &m),
			 -EBADMSG);
}

static void test_relay_options(void **state)
{
	uint8_t b[] = {0x0c, 0x00,
		       /* link-address 2001:db8::1 */
		       0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		       1,
		       /* peer-address fe80::2 */
		       0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2,
		       /* remote-id: enterprise 4491, id "ab" */
		       0x00, 0x25, 0x00, 0x06, 0x00, 0x00, 0x11, 0x8b, 'a', 'b',
		       /* subscriber-id "s" */
		       0x00, 0x26, 0x00, 0x01, 's',
		       /* client link-layer address: ethernet + 6 bytes */
		       0x00, 0x4f, 0x00, 0x08, 0x00, 0x01, 2, 0, 0, 0, 0, 9,
		       /* relay-msg: an INFORMATION-REQUEST header */
		       0x00, 0x09, 0x00, 0x04, 0x0b, 0xaa, 0xbb, 0xcc};
	struct tern_dhcp6_relay rl;
	struct tern_dhcp6_enterprise_data ed;
	struct tern_dhcp6_msg m;
	uint8_t c[sizeof(b) + 8];
	(void)state;

	assert_int_equal(tern_dhcp6_parse_relay(&rl, b, sizeof(b)), 0);
	assert_int_equal(rl.remote_id_len, 6);
	assert_int_equal(tern_dhcp6_remote_id_decode(rl.remote_id,
						     rl.remote_id_len, &ed),
			 0);
	assert_int_equal(ed.enterprise, 4491);
	assert_int_equal(ed.len, 2);
	assert_memory_equal(ed.data, "ab", 2);
	assert_int_equal(rl.subscriber_id_len, 1);
	assert_int_equal(rl.client_lladdr_len, 8);
	assert_null(rl.interface_id);
	assert_int_equal(tern_dhcp6_unwrap(b, sizeof(b), &rl, 1, &m), 1);
	assert_int_equal(m.type, TERN_DHCP6_INFORMATION_REQUEST);
	assert_int_equal(m.xid, 0xaabbcc);

	/* No relay-msg. */
	assert_int_equal(tern_dhcp6_parse_relay(&rl, b, sizeof(b) - 8),
			 -EBADMSG);
	/* Two relay-msgs. */
	memcpy(c, b, sizeof(b));
	memcpy(c + sizeof(b), b + sizeof(b) - 8, 8);
	assert_int_equal(tern_dhcp6_parse_relay(&rl, c, sizeof(c)), -EBADMSG);
	/* Remote-id without an id byte. */
	memcpy(c, b, sizeof(b));
	c[37] = 4;
	memmove(c + 42, b + 44, sizeof(b) - 44);
	assert_int_equal(tern_dhcp6_parse_relay(&rl, c, sizeof(b) - 2),
			 -EBADMSG);
	/* Relay-msg holding a truncated message. */
	memcpy(c, b, sizeof(b));
	c[sizeof(b) - 5] = 3;
	assert_int_equal(tern_dhcp6_unwrap(c, sizeof(b) - 1, &rl, 1, &m),
			 -EMSGSIZE);
}

static void test_relay_depth(void **state)
{
	static uint8_t buf[8192];
	struct tern_dhcp6_relay rl[TERN_DHCP6_MAX_RELAYS + 1];
	struct tern_dhcp6_msg m;
	int len;
	(void)state;

	len = build_relays(buf, sizeof(buf), TERN_DHCP6_MAX_RELAYS);
	assert_true(len > 0);
	assert_int_equal(tern_dhcp6_unwrap(buf, (size_t)len, rl,
					   TERN_DHCP6_MAX_RELAYS, &m),
			 TERN_DHCP6_MAX_RELAYS);
	assert_int_equal(m.type, TERN_DHCP6_SOLICIT);
	assert_memory_equal(rl[31].interface_id, "eth31", 5);

	len = build_relays(buf, sizeof(buf), TERN_DHCP6_MAX_RELAYS + 1);
	assert_true(len > 0);
	memset(&m, 0, sizeof(m));
	assert_int_equal(tern_dhcp6_unwrap(buf, (size_t)len, rl,
					   TERN_DHCP6_MAX_RELAYS + 1, &m),
			 -ELOOP);
	assert_null(m.buf); /* untouched */
	assert_int_equal(tern_dhcp6_unwrap(buf, (size_t)len, NULL, 0, &m),
			 -ELOOP);
}

static void test_duid(void **state)
{
	const uint8_t llt[] = {0,    1, 0, 1, 0x12, 0x34, 0x56,
			       0x78, 2, 0, 0, 0,    0,	  1};
	const uint8_t en[] = {0, 2, 0, 0, 0x11, 0x8b, 'x'};
	uint8_t uuid[18] = {0, 4};
	uint8_t big[131] = {0, 9};
	const uint8_t other[] = {0, 9, 1};
	struct tern_dhcp6_duid d;
	(void)state;

	assert_int_equal(tern_dhcp6_duid_decode(llt, sizeof(llt), &d), 0);
	assert_int_equal(d.type, TERN_DHCP6_DUID_LLT);
	assert_int_equal(d.time, 0x12345678);
	assert_int_equal(d.id_len, 6);
	assert_int_equal(tern_dhcp6_duid_decode(llt, 8, &d), -EBADMSG);
	assert_int_equal(tern_dhcp6_duid_decode(en, sizeof(en), &d), 0);
	assert_int_equal(d.enterprise, 4491);
	assert_int_equal(d.id_len, 1);
	assert_int_equal(tern_dhcp6_duid_decode(en, 6, &d), -EBADMSG);
	assert_int_equal(tern_dhcp6_duid_decode(uuid, 18, &d), 0);
	assert_int_equal(d.id_len, 16);
	assert_int_equal(tern_dhcp6_duid_decode(uuid, 17, &d), -EBADMSG);
	assert_int_equal(tern_dhcp6_duid_decode(other, 3, &d), 0);
	assert_int_equal(d.type, 9);
	assert_int_equal(tern_dhcp6_duid_decode(other, 2, &d), -EBADMSG);
	assert_int_equal(tern_dhcp6_duid_decode(big, 130, &d), 0);
	assert_int_equal(tern_dhcp6_duid_decode(big, 131, &d), -EBADMSG);
	assert_int_equal(tern_dhcp6_duid_decode(llt, 4, NULL), -EINVAL);
}

static void test_typed_decoders(void **state)
{
	uint8_t ta[] = {0, 0, 0, 7};
	uint8_t pfx[25] = {0, 0, 0, 1, 0, 0, 0, 2, 56, 0x20, 0x01, 0x0d, 0xb8};
	uint8_t st[] = {0, 2, 'n', 'o'};
	uint8_t dns[32] = {0x20, 1, 0x0d, 0xb8};
	uint8_t vend[] = {0, 0, 0x11, 0x8b, 0, 1, 0, 1, 'z'};
	struct tern_dhcp6_ia ia;
	struct tern_dhcp6_iaprefix p;
	struct tern_dhcp6_status_code s;
	struct tern_dhcp6_enterprise_data ed;
	struct in6_addr a[2];
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	(void)state;

	assert_int_equal(tern_dhcp6_ia_ta_decode(ta, 4, &ia), 0);
	assert_int_equal(ia.iaid, 7);
	assert_int_equal(ia.t1, 0);
	assert_int_equal(tern_dhcp6_ia_ta_decode(ta, 3, &ia), -EBADMSG);
	assert_int_equal(tern_dhcp6_ia_pd_decode(pfx, 11, &ia), -EBADMSG);

	assert_int_equal(tern_dhcp6_iaprefix_decode(pfx, 25, &p), 0);
	assert_int_equal(p.preferred, 1);
	assert_int_equal(p.valid, 2);
	assert_int_equal(p.plen, 56);
	assert_int_equal(((uint8_t *)&p.prefix)[3], 0xb8);
	assert_int_equal(tern_dhcp6_iaprefix_decode(pfx, 24, &p), -EBADMSG);
	pfx[8] = 129;
	assert_int_equal(tern_dhcp6_iaprefix_decode(pfx, 25, &p), -ERANGE);

	assert_int_equal(tern_dhcp6_status_decode(st, 4, &s), 0);
	assert_int_equal(s.code, TERN_DHCP6_STATUS_NO_ADDRS_AVAIL);
	assert_int_equal(s.msg_len, 2);
	assert_memory_equal(s.msg, "no", 2);
	assert_int_equal(tern_dhcp6_status_decode(st, 2, &s), 0);
	assert_int_equal(s.msg_len, 0);
	assert_int_equal(tern_dhcp6_status_decode(st, 1, &s), -EBADMSG);

	assert_int_equal(tern_dhcp6_u8_decode(st, 1, &u8), 0);
	assert_int_equal(tern_dhcp6_preference_decode(st, 2, &u8), -EBADMSG);
	assert_int_equal(tern_dhcp6_u16_decode(st, 3, &u16), -EBADMSG);
	assert_int_equal(tern_dhcp6_u32_decode(st, 4, &u32), 0);
	assert_int_equal(u32, 0x00026e6f);
	assert_int_equal(tern_dhcp6_u32_decode(st, 3, &u32), -EBADMSG);
	assert_int_equal(tern_dhcp6_empty_decode(st, 1), -EBADMSG);
	assert_int_equal(tern_dhcp6_opaque_decode(st, 0), -EBADMSG);
	assert_int_equal(tern_dhcp6_opaque_decode(st, 1), 0);

	assert_int_equal(tern_dhcp6_addrs_decode(dns, 32, a, 2), 2);
	assert_int_equal(((uint8_t *)&a[0])[3], 0xb8);
	assert_int_equal(tern_dhcp6_addrs_decode(dns, 32, a, 1), -ENOBUFS);
	assert_int_equal(tern_dhcp6_addrs_decode(dns, 17, a, 2), -EBADMSG);
	assert_int_equal(tern_dhcp6_addrs_decode(dns, 0, a, 2), -EBADMSG);

	assert_int_equal(tern_dhcp6_vendor_opts_decode(vend, 9, &ed), 0);
	assert_int_equal(ed.enterprise, 4491);
	assert_int_equal(ed.len, 5);
	assert_int_equal(tern_dhcp6_opts_validate(ed.data, ed.len), 1);
	assert_int_equal(tern_dhcp6_vendor_opts_decode(vend, 4, &ed), 0);
	assert_int_equal(tern_dhcp6_vendor_opts_decode(vend, 3, &ed), -EBADMSG);
	assert_int_equal(tern_dhcp6_remote_id_decode(vend, 4, &ed), -EBADMSG);
}

static void test_domain_names(void **state)
{
	const uint8_t list[] = {7,   'e', 'x', 'a', 'm', 'p', 'l', 'e',
				3,   'n', 'e', 't', 0,	 4,   'c', 'o',
				'r', 'p', 7,   'e', 'x', 'a', 'm', 'p',
				'l', 'e', 3,   'c', 'o', 'm', 0};
	const uint8_t ptr[] = {3, 'f', 'o', 'o', 0xc0, 0x00};
	const uint8_t ext[] = {0x41, 'a', 0};
	const uint8_t ext2[] = {0x80, 'a', 0};
	const uint8_t over[] = {5, 'a', 'b', 0};
	const uint8_t noroot[] = {3, 'f', 'o', 'o'};
	const uint8_t root[] = {0};
	const uint8_t dot[] = {3, 'a', '.', 'b', 0};
	const uint8_t sp[] = {3, 'a', ' ', 'b', 0};
	const uint8_t nul[] = {3, 'a', 0, 'b', 0};
	const uint8_t trail[] = {1, 'a', 0, 7};
	uint8_t longname[300];
	char out[300];
	size_t pos = 0, n;
	(void)state;

	assert_int_equal(tern_dhcp6_domain_list_decode(list, sizeof(list), out,
						       sizeof(out)),
			 2);
	assert_string_equal(out, "example.net corp.example.com");
	/* Exact fit: 28 characters + NUL; one less is -ENOBUFS. */
	assert_int_equal(
		tern_dhcp6_domain_list_decode(list, sizeof(list), out, 29), 2);
	assert_int_equal(
		tern_dhcp6_domain_list_decode(list, sizeof(list), out, 28),
		-ENOBUFS);
	assert_int_equal(tern_dhcp6_name_decode(list, sizeof(list), &pos, out,
						sizeof(out)),
			 11);
	assert_int_equal(pos, 13);
	assert_int_equal(
		tern_dhcp6_name_decode(list, sizeof(list), &pos, out, 12),
		-ENOBUFS);
	assert_int_equal(pos, 13);

#define BAD_LIST(a)                                                            \
	assert_int_equal(                                                      \
		tern_dhcp6_domain_list_decode(a, sizeof(a), out, sizeof(out)), \
		-EBADMSG)
	BAD_LIST(ptr);
	BAD_LIST(ext);
	BAD_LIST(ext2);
	BAD_LIST(over);
	BAD_LIST(noroot);
	BAD_LIST(root);
	BAD_LIST(dot);
	BAD_LIST(sp);
	BAD_LIST(nul);
	BAD_LIST(trail);
	assert_int_equal(tern_dhcp6_domain_list_decode(list, 0, out, 10),
			 -EBADMSG);
	/* A list cut inside its second name. */
	assert_int_equal(tern_dhcp6_domain_list_decode(list, sizeof(list) - 1,
						       out, sizeof(out)),
			 -EBADMSG);

	/* 255 wire bytes is the limit: 4 labels of 63 + 1 of 1 = 255 ok. */
	n = 0;
	for (int l = 0; l < 4; l++) {
		longname[n++] = 63;
		memset(longname + n, 'a', 63);
		n += 63;
	}
	longname[n++] = 1;
	longname[n++] = 'b';
	longname[n++] = 0;
	assert_int_equal(n, 259);
	assert_int_equal(
		tern_dhcp6_aftr_name_decode(longname, n, out, sizeof(out)),
		-EBADMSG);
	/* 3 x 63 + 61-byte label: 1 + 63 per label x3 + 1 + 61 + 1 = 255. */
	n = 0;
	for (int l = 0; l < 3; l++) {
		longname[n++] = 63;
		memset(longname + n, 'a', 63);
		n += 63;
	}
	longname[n++] = 61;
	memset(longname + n, 'c', 61);
	n += 61;
	longname[n++] = 0;
	assert_int_equal(n, 255);
	assert_int_equal(
		tern_dhcp6_aftr_name_decode(longname, n, out, sizeof(out)),
		253);
	assert_int_equal(tern_dhcp6_aftr_name_decode(longname, n, out,
						     TERN_DHCP6_NAME_TEXT_MAX),
			 253);
	longname[n - 1] = 'c';
	longname[n - 63] = 62;
	longname[n] = 0;
	assert_int_equal(
		tern_dhcp6_aftr_name_decode(longname, n + 1, out, sizeof(out)),
		-EBADMSG);
	/* AFTR name: exactly one name. */
	assert_int_equal(
		tern_dhcp6_aftr_name_decode(list, 13, out, sizeof(out)), 11);
	assert_string_equal(out, "example.net");
	assert_int_equal(tern_dhcp6_aftr_name_decode(list, sizeof(list), out,
						     sizeof(out)),
			 -EBADMSG);
}

static void test_ntp(void **state)
{
	uint8_t v[] = {0,   1,	 0, 16,	 0x20, 1,   0x0d, 0xb8, 0, 0, 0, 0, 0,
		       0,   0,	 0, 0,	 0,    0,   0x7b, 0,	3, 0, 9, 3, 'n',
		       't', 'p', 3, 'o', 'r',  'g', 0,	  0,	9, 0, 0};
	struct tern_dhcp6_ntp_server s;
	char out[64];
	size_t pos = 0, np = 0;
	(void)state;

	assert_int_equal(tern_dhcp6_ntp_next(v, sizeof(v), &pos, &s), 1);
	assert_int_equal(s.type, TERN_DHCP6_NTP_SRV_ADDR);
	assert_int_equal(((uint8_t *)&s.addr)[15], 0x7b);
	assert_int_equal(tern_dhcp6_ntp_next(v, sizeof(v), &pos, &s), 1);
	assert_int_equal(s.type, TERN_DHCP6_NTP_SRV_FQDN);
	assert_int_equal(tern_dhcp6_name_decode(s.fqdn, s.fqdn_len, &np, out,
						sizeof(out)),
			 7);
	assert_string_equal(out, "ntp.org");
	assert_int_equal(tern_dhcp6_ntp_next(v, sizeof(v), &pos, &s), 1);
	assert_int_equal(s.type, 9);
	assert_int_equal(tern_dhcp6_ntp_next(v, sizeof(v), &pos, &s), 0);
	pos = 0;
	assert_int_equal(tern_dhcp6_ntp_next(v, 0, &pos, &s), -EBADMSG);
	assert_int_equal(tern_dhcp6_ntp_next(v, 19, &pos, &s), -EBADMSG);
	v[3] = 15;
	assert_int_equal(tern_dhcp6_ntp_next(v, sizeof(v), &pos, &s), -EBADMSG);
	v[3] = 16;
	pos = 20;
	v[24] = 4; /* label runs into the root byte */
	assert_int_equal(tern_dhcp6_ntp_next(v, sizeof(v), &pos, &s), -EBADMSG);
}

/* A REPLY with everything a tern server sends; returns its length. */
static int build_reply(uint8_t *buf, size_t cap)
{
	struct tern_dhcp6_writer w;
	const uint8_t duid[] = {0,    1,    0,	  1,	0x32, 0x95, 0x0f,
				0x99, 0xf2, 0x72, 0x2f, 0xc6, 0xca, 0xdb};
	struct in6_addr a = addr6("fd00:250::1000");
	struct in6_addr p = addr6("fd00:9900::");
	struct in6_addr d[2] = {addr6("fd00:250::1"), addr6("fd00:250::2")};
	const char *names[] = {"example.net", "corp.example.com."};
	const char *aftr[] = {"aftr.example.net"};

	tern_dhcp6_writer_init(&w, buf, cap);
	tern_dhcp6_write_header(&w, TERN_DHCP6_REPLY, 0xabcdef);
	tern_dhcp6_put(&w, TERN_DHCP6_OPT_SERVERID, duid, sizeof(duid));
	tern_dhcp6_put(&w, TERN_DHCP6_OPT_CLIENTID, solicit + 8, 10);
	tern_dhcp6_begin_ia(&w, TERN_DHCP6_OPT_IA_NA, 1, 1500, 2400);
	tern_dhcp6_begin_iaaddr(&w, &a, 3000, 4000);
	tern_dhcp6_put_status(&w, TERN_DHCP6_STATUS_SUCCESS, "ok");
	tern_dhcp6_end(&w);
	tern_dhcp6_end(&w);
	tern_dhcp6_begin_ia(&w, TERN_DHCP6_OPT_IA_PD, 2, 1500, 2400);
	tern_dhcp6_begin_iaprefix(&w, 3000, 4000, 56, &p);
	tern_dhcp6_end(&w);
	tern_dhcp6_end(&w);
	tern_dhcp6_put_addrs(&w, TERN_DHCP6_OPT_DNS_SERVERS, d, 2);
	tern_dhcp6_put_names(&w, TERN_DHCP6_OPT_DOMAIN_LIST, names, 2);
	tern_dhcp6_put_names(&w, TERN_DHCP6_OPT_AFTR_NAME, aftr, 1);
	tern_dhcp6_put(&w, TERN_DHCP6_OPT_S46_CONT_MAPT, spec_opt95,
		       sizeof(spec_opt95));
	tern_dhcp6_put_u8(&w, TERN_DHCP6_OPT_PREFERENCE, 255);
	tern_dhcp6_put_u32(&w, TERN_DHCP6_OPT_INFO_REFRESH_TIME, 86400);
	tern_dhcp6_put_empty(&w, TERN_DHCP6_OPT_RAPID_COMMIT);
	tern_dhcp6_begin(&w, TERN_DHCP6_OPT_VENDOR_OPTS);
	tern_dhcp6_put_bytes(&w, "\x00\x00\x11\x8b", 4);
	tern_dhcp6_put_u16(&w, 1, 0x4242);
	tern_dhcp6_end(&w);
	return tern_dhcp6_writer_finish(&w);
}

static void check_reply(const struct tern_dhcp6_msg *m)
{
	const uint8_t *v;
	struct tern_dhcp6_ia ia;
	struct tern_dhcp6_iaaddr ad;
	struct tern_dhcp6_iaprefix pf;
	struct tern_dhcp6_status_code st;
	struct tern_dhcp6_duid duid;
	struct tern_dhcp6_enterprise_data ed;
	struct tern_mapt_container mc;
	struct in6_addr d[4], e;
	char text[256];
	uint8_t pref;
	int r;

	assert_int_equal(m->type, TERN_DHCP6_REPLY);
	assert_int_equal(m->xid, 0xabcdef);
	r = tern_dhcp6_msg_find(m, TERN_DHCP6_OPT_SERVERID, &v);
	assert_int_equal(tern_dhcp6_duid_decode(v, (size_t)r, &duid), 0);
	assert_int_equal(duid.type, TERN_DHCP6_DUID_LLT);
	r = tern_dhcp6_msg_find(m, TERN_DHCP6_OPT_IA_NA, &v);
	assert_int_equal(tern_dhcp6_ia_na_decode(v, (size_t)r, &ia), 0);
	assert_int_equal(ia.iaid, 1);
	assert_int_equal(ia.t1, 1500);
	assert_int_equal(ia.t2, 2400);
	r = tern_dhcp6_opt_find(ia.opts, ia.opts_len, TERN_DHCP6_OPT_IAADDR,
				&v);
	assert_int_equal(r, 24 + 8);
	assert_int_equal(tern_dhcp6_iaaddr_decode(v, (size_t)r, &ad), 0);
	e = addr6("fd00:250::1000");
	assert_memory_equal(&ad.addr, &e, 16);
	assert_int_equal(ad.valid, 4000);
	r = tern_dhcp6_opt_find(ad.opts, ad.opts_len,
				TERN_DHCP6_OPT_STATUS_CODE, &v);
	assert_int_equal(tern_dhcp6_status_decode(v, (size_t)r, &st), 0);
	assert_int_equal(st.code, 0);
	assert_memory_equal(st.msg, "ok", 2);
	r = tern_dhcp6_msg_find(m, TERN_DHCP6_OPT_IA_PD, &v);
	assert_int_equal(tern_dhcp6_ia_pd_decode(v, (size_t)r, &ia), 0);
	assert_int_equal(ia.iaid, 2);
	r = tern_dhcp6_opt_find(ia.opts, ia.opts_len, TERN_DHCP6_OPT_IAPREFIX,
				&v);
	assert_int_equal(tern_dhcp6_iaprefix_decode(v, (size_t)r, &pf), 0);
	assert_int_equal(pf.plen, 56);
	e = addr6("fd00:9900::");
	assert_memory_equal(&pf.prefix, &e, 16);
	assert_int_equal(pf.preferred, 3000);
	r = tern_dhcp6_msg_find(m, TERN_DHCP6_OPT_DNS_SERVERS, &v);
	assert_int_equal(tern_dhcp6_addrs_decode(v, (size_t)r, d, 4), 2);
	e = addr6("fd00:250::2");
	assert_memory_equal(&d[1], &e, 16);
	r = tern_dhcp6_msg_find(m, TERN_DHCP6_OPT_DOMAIN_LIST, &v);
	assert_int_equal(
		tern_dhcp6_domain_list_decode(v, (size_t)r, text, sizeof(text)),
		2);
	assert_string_equal(text, "example.net corp.example.com");
	r = tern_dhcp6_msg_find(m, TERN_DHCP6_OPT_AFTR_NAME, &v);
	assert_int_equal(
		tern_dhcp6_aftr_name_decode(v, (size_t)r, text, sizeof(text)),
		16);
	assert_string_equal(text, "aftr.example.net");
	r = tern_dhcp6_msg_find(m, TERN_DHCP6_OPT_S46_CONT_MAPT, &v);
	assert_int_equal(r, sizeof(spec_opt95));
	assert_int_equal(tern_mapt_parse(v, (size_t)r, 95, &mc), 0);
	assert_int_equal(mc.rules[0].psid, 1234);
	r = tern_dhcp6_msg_find(m, TERN_DHCP6_OPT_PREFERENCE, &v);
	assert_int_equal(tern_dhcp6_preference_decode(v, (size_t)r, &pref), 0);
	assert_int_equal(pref, 255);
	r = tern_dhcp6_msg_find(m, TERN_DHCP6_OPT_VENDOR_OPTS, &v);
	assert_int_equal(tern_dhcp6_vendor_opts_decode(v, (size_t)r, &ed), 0);
	assert_int_equal(ed.enterprise, 4491);
	assert_int_equal(tern_dhcp6_opt_find(ed.data, ed.len, 1, &v), 2);
	assert_int_equal(v[0], 0x42);
}

static void test_writer_round_trip(void **state)
{
	uint8_t buf[1024];
	struct tern_dhcp6_msg m;
	int len;
	(void)state;

	len = build_reply(buf, sizeof(buf));
	assert_true(len > 0);
	assert_int_equal(tern_dhcp6_parse(&m, buf, (size_t)len), 0);
	check_reply(&m);
}

static void test_writer_nobufs(void **state)
{
	uint8_t ref[1024], buf[1024 + 16];
	int full;
	(void)state;

	full = build_reply(ref, sizeof(ref));
	assert_true(full > 0);
	/* Every capacity short of the message fails, and writes nothing
	 * past the capacity. */
	for (int cap = 0; cap < full; cap++) {
		memset(buf, 0xee, sizeof(buf));
		assert_int_equal(build_reply(buf, (size_t)cap), -ENOBUFS);
		for (size_t i = (size_t)cap; i < sizeof(buf); i++)
			assert_int_equal(buf[i], 0xee);
	}
	assert_int_equal(build_reply(buf, (size_t)full), full);
	assert_memory_equal(buf, ref, (size_t)full);
}

static void test_writer_errors(void **state)
{
	uint8_t buf[512];
	struct tern_dhcp6_writer w;
	struct in6_addr a = addr6("::1");
	const char *bad1[] = {"a..b"};
	const char *bad2[] = {""};
	const char *bad3[] = {"has space.net"};
	char label64[70];
	const char *bad4[] = {label64};
	const char *bad5[] = {"."};
	(void)state;

	memset(label64, 'x', 64);
	strcpy(label64 + 64, ".net");
	tern_dhcp6_writer_init(&w, buf, sizeof(buf));
	assert_int_equal(tern_dhcp6_write_header(&w, 1, 0x1000000), -EINVAL);
	/* Sticky: a good call now fails too, and finish says so. */
	assert_int_equal(tern_dhcp6_put_u8(&w, 7, 1), -EINVAL);
	assert_int_equal(tern_dhcp6_writer_finish(&w), -EINVAL);

	tern_dhcp6_writer_init(&w, buf, sizeof(buf));
	assert_int_equal(tern_dhcp6_end(&w), -EINVAL);
	tern_dhcp6_writer_init(&w, buf, sizeof(buf));
	assert_int_equal(tern_dhcp6_write_header(&w, TERN_DHCP6_RELAY_FORW, 1),
			 -EINVAL);
	tern_dhcp6_writer_init(&w, buf, sizeof(buf));
	assert_int_equal(tern_dhcp6_write_relay_header(&w, 7, 0, &a, &a),
			 -EINVAL);
	tern_dhcp6_writer_init(&w, buf, sizeof(buf));
	assert_int_equal(tern_dhcp6_begin_ia(&w, 5, 1, 2, 3), -EINVAL);
	tern_dhcp6_writer_init(&w, buf, sizeof(buf));
	assert_int_equal(tern_dhcp6_begin_iaprefix(&w, 1, 2, 129, &a), -EINVAL);
	tern_dhcp6_writer_init(&w, buf, sizeof(buf));
	assert_int_equal(tern_dhcp6_put_addrs(&w, 23, &a, 0), -EINVAL);

	tern_dhcp6_writer_init(&w, buf, sizeof(buf));
	for (int i = 0; i < TERN_DHCP6_W_MAX_DEPTH; i++)
		assert_int_equal(tern_dhcp6_begin(&w, 9), 0);
	assert_int_equal(tern_dhcp6_begin(&w, 9), -ELOOP);
	assert_int_equal(tern_dhcp6_writer_finish(&w), -ELOOP);

	tern_dhcp6_writer_init(&w, buf, sizeof(buf));
	assert_int_equal(tern_dhcp6_put_names(&w, 24, bad1, 1), -EINVAL);
	tern_dhcp6_writer_init(&w, buf, sizeof(buf));
	assert_int_equal(tern_dhcp6_put_names(&w, 24, bad2, 1), -EINVAL);
	tern_dhcp6_writer_init(&w, buf, sizeof(buf));
	assert_int_equal(tern_dhcp6_put_names(&w, 24, bad3, 1), -EINVAL);
	tern_dhcp6_writer_init(&w, buf, sizeof(buf));
	assert_int_equal(tern_dhcp6_put_names(&w, 24, bad4, 1), -EINVAL);
	tern_dhcp6_writer_init(&w, buf, sizeof(buf));
	assert_int_equal(tern_dhcp6_put_names(&w, 24, bad5, 1), -EINVAL);
	tern_dhcp6_writer_init(&w, buf, sizeof(buf));
	assert_int_equal(tern_dhcp6_put_names(&w, 24, NULL, 1), -EINVAL);

	assert_int_equal(tern_dhcp6_writer_init(&w, NULL, 4), -EINVAL);
	assert_int_equal(tern_dhcp6_writer_init(&w, NULL, 0), 0);
	assert_int_equal(tern_dhcp6_write_header(&w, 1, 1), -ENOBUFS);
	assert_null(tern_dhcp6_put_reserve(&w, 1, 1));
}

static void test_relay_reply(void **state)
{
	uint8_t in[512], out[1024];
	struct tern_dhcp6_relay rl[4], rr[4];
	struct tern_dhcp6_writer w;
	struct tern_dhcp6_msg m, inner;
	int len, n;
	(void)state;

	len = build_relays(in, sizeof(in), 2);
	n = tern_dhcp6_unwrap(in, (size_t)len, rl, 4, &m);
	assert_int_equal(n, 2);

	tern_dhcp6_writer_init(&w, out, sizeof(out));
	for (int i = 0; i < n; i++)
		assert_int_equal(tern_dhcp6_begin_relay_reply(&w, &rl[i]), 0);
	tern_dhcp6_write_header(&w, TERN_DHCP6_REPLY, m.xid);
	tern_dhcp6_put_status(&w, TERN_DHCP6_STATUS_SUCCESS, NULL);
	len = tern_dhcp6_writer_finish(&w);
	assert_true(len > 0);

	assert_int_equal(tern_dhcp6_unwrap(out, (size_t)len, rr, 4, &inner), 2);
	assert_int_equal(inner.type, TERN_DHCP6_REPLY);
	assert_int_equal(inner.xid, 0x123456);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(rr[i].type, TERN_DHCP6_RELAY_REPL);
		assert_int_equal(rr[i].hop_count, rl[i].hop_count);
		assert_memory_equal(&rr[i].link_addr, &rl[i].link_addr, 16);
		assert_memory_equal(&rr[i].peer_addr, &rl[i].peer_addr, 16);
		assert_int_equal(rr[i].interface_id_len,
				 rl[i].interface_id_len);
		assert_memory_equal(rr[i].interface_id, rl[i].interface_id,
				    rl[i].interface_id_len);
	}
	assert_int_equal(tern_dhcp6_msg_find(&inner, 13, NULL), 2);
}

/* Every option of an area, recursively, through the typed decoders. */
static int walk(const uint8_t *opts, size_t len, int depth)
{
	struct tern_dhcp6_opt_iter it;
	const uint8_t *v;
	uint16_t code, olen;
	int r, n = 0;

	tern_dhcp6_opt_iter_init(&it, opts, len);
	while ((r = tern_dhcp6_opt_next(&it, &code, &v, &olen)) > 0) {
		struct tern_dhcp6_ia ia;
		struct tern_dhcp6_iaaddr a;
		struct tern_dhcp6_iaprefix p;
		struct tern_dhcp6_duid d;
		struct tern_mapt_container mc;
		char text[1024];

		n++;
		switch (code) {
		case TERN_DHCP6_OPT_CLIENTID:
		case TERN_DHCP6_OPT_SERVERID:
			assert_int_equal(tern_dhcp6_duid_decode(v, olen, &d),
					 0);
			break;
		case TERN_DHCP6_OPT_IA_NA:
		case TERN_DHCP6_OPT_IA_PD:
			assert_int_equal(tern_dhcp6_ia_na_decode(v, olen, &ia),
					 0);
			n += walk(ia.opts, ia.opts_len, depth + 1);
			break;
		case TERN_DHCP6_OPT_IAADDR:
			assert_int_equal(tern_dhcp6_iaaddr_decode(v, olen, &a),
					 0);
			n += walk(a.opts, a.opts_len, depth + 1);
			break;
		case TERN_DHCP6_OPT_IAPREFIX:
			assert_int_equal(
				tern_dhcp6_iaprefix_decode(v, olen, &p), 0);
			n += walk(p.opts, p.opts_len, depth + 1);
			break;
		case TERN_DHCP6_OPT_DOMAIN_LIST:
			assert_true(tern_dhcp6_domain_list_decode(
					    v, olen, text, sizeof(text)) > 0);
			break;
		case TERN_DHCP6_OPT_S46_CONT_MAPT:
		case TERN_DHCP6_OPT_S46_CONT_MAPE:
			assert_int_equal(tern_mapt_parse(v, olen, code, &mc),
					 0);
			break;
		default:
			break;
		}
	}
	assert_int_equal(r, 0);
	return n;
}

/*
 * Captures from kea-dhcp6 / dibbler in tests/fixtures/v6/ (raw UDP
 * payloads): each must decode, at every level. Skipped while none exist.
 */
static void test_fixtures(void **state)
{
	char path[4096];
	DIR *d = opendir(TERN_FIXTURES "/v6");
	struct dirent *e;
	int files = 0;
	(void)state;

	if (!d) {
		skip();
		return;
	}
	while ((e = readdir(d))) {
		static uint8_t buf[65536];
		struct tern_dhcp6_relay rl[TERN_DHCP6_MAX_RELAYS];
		struct tern_dhcp6_msg m;
		size_t n = strlen(e->d_name), len;
		FILE *f;
		int levels;

		if (n < 5 || strcmp(e->d_name + n - 4, ".bin") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/v6/%s", TERN_FIXTURES,
			 e->d_name);
		f = fopen(path, "rb");
		assert_non_null(f);
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		levels = tern_dhcp6_unwrap(buf, len, rl, TERN_DHCP6_MAX_RELAYS,
					   &m);
		if (levels < 0)
			fail_msg("%s: %s", e->d_name, tern_strerror(levels));
		walk(m.opts, m.opts_len, 0);
		files++;
	}
	closedir(d);
	if (files == 0)
		skip();
}

/* kea-dhcp6 REPLY: IA_NA, IA_PD, DNS, domain list and MAP-T (95). */
static void test_fixture_kea_reply(void **state)
{
	static uint8_t buf[2048];
	struct tern_dhcp6_msg m;
	struct tern_dhcp6_ia ia;
	struct tern_dhcp6_iaaddr ad;
	struct tern_dhcp6_iaprefix pf;
	struct tern_dhcp6_duid duid;
	struct tern_mapt_container mc;
	struct tern_mapt_result mr;
	struct in6_addr dns, e;
	char text[256];
	const uint8_t *v;
	long len;
	int r;
	(void)state;

	len = tern_test_load_fixture("v6/kea6_reply.bin", buf, sizeof(buf));
	if (len < 0) {
		skip();
		return;
	}
	assert_int_equal(tern_dhcp6_parse(&m, buf, (size_t)len), 0);
	assert_int_equal(m.type, TERN_DHCP6_REPLY);
	r = tern_dhcp6_msg_find(&m, TERN_DHCP6_OPT_SERVERID, &v);
	assert_int_equal(tern_dhcp6_duid_decode(v, (size_t)r, &duid), 0);
	assert_int_equal(duid.type, TERN_DHCP6_DUID_EN);
	assert_int_equal(duid.enterprise, 2495);
	r = tern_dhcp6_msg_find(&m, TERN_DHCP6_OPT_CLIENTID, &v);
	assert_int_equal(tern_dhcp6_duid_decode(v, (size_t)r, &duid), 0);
	assert_int_equal(duid.type, TERN_DHCP6_DUID_LL);
	assert_int_equal(duid.id_len, 6);
	assert_memory_equal(duid.id, "\x02\xfa\x00\x00\x00\x02", 6);

	r = tern_dhcp6_msg_find(&m, TERN_DHCP6_OPT_IA_NA, &v);
	assert_int_equal(tern_dhcp6_ia_na_decode(v, (size_t)r, &ia), 0);
	assert_int_equal(ia.iaid, 1);
	assert_int_equal(ia.t1, 1000);
	assert_int_equal(ia.t2, 2000);
	r = tern_dhcp6_opt_find(ia.opts, ia.opts_len, TERN_DHCP6_OPT_IAADDR,
				&v);
	assert_int_equal(tern_dhcp6_iaaddr_decode(v, (size_t)r, &ad), 0);
	e = addr6("fd00:250::1000");
	assert_memory_equal(&ad.addr, &e, 16);
	assert_int_equal(ad.preferred, 3000);
	assert_int_equal(ad.valid, 4000);

	r = tern_dhcp6_msg_find(&m, TERN_DHCP6_OPT_IA_PD, &v);
	assert_int_equal(tern_dhcp6_ia_pd_decode(v, (size_t)r, &ia), 0);
	r = tern_dhcp6_opt_find(ia.opts, ia.opts_len, TERN_DHCP6_OPT_IAPREFIX,
				&v);
	assert_int_equal(tern_dhcp6_iaprefix_decode(v, (size_t)r, &pf), 0);
	assert_int_equal(pf.plen, 56);
	e = addr6("fd00:9900::");
	assert_memory_equal(&pf.prefix, &e, 16);

	r = tern_dhcp6_msg_find(&m, TERN_DHCP6_OPT_DNS_SERVERS, &v);
	assert_int_equal(tern_dhcp6_addrs_decode(v, (size_t)r, &dns, 1), 1);
	e = addr6("fd00:250::1");
	assert_memory_equal(&dns, &e, 16);
	r = tern_dhcp6_msg_find(&m, TERN_DHCP6_OPT_DOMAIN_LIST, &v);
	assert_int_equal(
		tern_dhcp6_domain_list_decode(v, (size_t)r, text, sizeof(text)),
		1);
	assert_string_equal(text, "example.net");

	/* Kea's option 95 is byte for byte the spec's example. */
	r = tern_dhcp6_msg_find(&m, TERN_DHCP6_OPT_S46_CONT_MAPT, &v);
	assert_int_equal(r, sizeof(spec_opt95));
	assert_memory_equal(v, spec_opt95, sizeof(spec_opt95));
	assert_int_equal(tern_mapt_parse(v, (size_t)r, 95, &mc), 0);
	assert_int_equal(tern_mapt_derive(&mc, &pf.prefix, pf.plen, &mr), 0);
	assert_int_equal(mr.psid, 1234);
	assert_int_equal(mr.psid_len, 16);
	assert_true(mr.is_fmr);
}

/* dibbler SOLICIT, and the same relayed by ISC dhcrelay -6. */
static void test_fixture_dibbler_solicit(void **state)
{
	static uint8_t buf[2048];
	struct tern_dhcp6_relay rl[2];
	struct tern_dhcp6_msg m;
	struct tern_dhcp6_ia ia;
	struct in6_addr e;
	uint16_t oro[8];
	const uint8_t *v;
	long len;
	int r;
	(void)state;

	len = tern_test_load_fixture("v6/dibbler_solicit.bin", buf,
				     sizeof(buf));
	if (len < 0) {
		skip();
		return;
	}
	assert_int_equal(tern_dhcp6_unwrap(buf, (size_t)len, rl, 2, &m), 0);
	assert_int_equal(m.type, TERN_DHCP6_SOLICIT);
	r = tern_dhcp6_msg_find(&m, TERN_DHCP6_OPT_IA_NA, &v);
	assert_int_equal(tern_dhcp6_ia_na_decode(v, (size_t)r, &ia), 0);
	assert_int_equal(ia.t1, 0xffffffffu);
	assert_int_equal(ia.opts_len, 0);
	r = tern_dhcp6_msg_find(&m, TERN_DHCP6_OPT_ORO, &v);
	assert_int_equal(tern_dhcp6_oro_decode(v, (size_t)r, oro, 8), 3);
	assert_int_equal(oro[2], 95);

	len = tern_test_load_fixture("v6/dhcrelay6_relay_forw_solicit.bin", buf,
				     sizeof(buf));
	assert_true(len > 0);
	assert_int_equal(tern_dhcp6_unwrap(buf, (size_t)len, rl, 2, &m), 1);
	assert_int_equal(m.type, TERN_DHCP6_SOLICIT);
	assert_int_equal(rl[0].hop_count, 0);
	e = addr6("fd00:251::1");
	assert_memory_equal(&rl[0].link_addr, &e, 16);
	e = addr6("fe80::fa:ff:fe00:202");
	assert_memory_equal(&rl[0].peer_addr, &e, 16);
	assert_int_equal(rl[0].interface_id_len, 4);
	assert_memory_equal(rl[0].interface_id, "\x01\x00\x00\x00", 4);
}

/* kea's relayed REPLY to a RELEASE: status codes at two levels. */
static void test_fixture_kea_relay_repl_release(void **state)
{
	static uint8_t buf[2048];
	struct tern_dhcp6_relay rl[2];
	struct tern_dhcp6_msg m;
	struct tern_dhcp6_ia ia;
	struct tern_dhcp6_status_code st;
	const uint8_t *v;
	long len;
	int r;
	(void)state;

	len = tern_test_load_fixture("v6/kea6_relay_repl_reply_release.bin",
				     buf, sizeof(buf));
	if (len < 0) {
		skip();
		return;
	}
	assert_int_equal(tern_dhcp6_unwrap(buf, (size_t)len, rl, 2, &m), 1);
	assert_int_equal(rl[0].type, TERN_DHCP6_RELAY_REPL);
	assert_int_equal(rl[0].interface_id_len, 4);
	assert_int_equal(m.type, TERN_DHCP6_REPLY);
	r = tern_dhcp6_msg_find(&m, TERN_DHCP6_OPT_STATUS_CODE, &v);
	assert_int_equal(tern_dhcp6_status_decode(v, (size_t)r, &st), 0);
	assert_int_equal(st.code, TERN_DHCP6_STATUS_SUCCESS);
	assert_int_equal(st.msg_len, strlen("Summary status for all processed "
					    "IA_NAs"));
	r = tern_dhcp6_msg_find(&m, TERN_DHCP6_OPT_IA_PD, &v);
	assert_int_equal(tern_dhcp6_ia_pd_decode(v, (size_t)r, &ia), 0);
	r = tern_dhcp6_opt_find(ia.opts, ia.opts_len,
				TERN_DHCP6_OPT_STATUS_CODE, &v);
	assert_int_equal(tern_dhcp6_status_decode(v, (size_t)r, &st), 0);
	assert_memory_equal(st.msg, "Lease released.", 15);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_truncated_header),
		cmocka_unit_test(test_parse_solicit),
		cmocka_unit_test(test_option_past_end),
		cmocka_unit_test(test_nested_past_parent),
		cmocka_unit_test(test_relay_two_levels),
		cmocka_unit_test(test_relay_options),
		cmocka_unit_test(test_relay_depth),
		cmocka_unit_test(test_duid),
		cmocka_unit_test(test_typed_decoders),
		cmocka_unit_test(test_domain_names),
		cmocka_unit_test(test_ntp),
		cmocka_unit_test(test_writer_round_trip),
		cmocka_unit_test(test_writer_nobufs),
		cmocka_unit_test(test_writer_errors),
		cmocka_unit_test(test_relay_reply),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_fixture_kea_reply),
		cmocka_unit_test(test_fixture_dibbler_solicit),
		cmocka_unit_test(test_fixture_kea_relay_repl_release),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
