/* Unit tests for the DHCPv4 codec: decode, overload, RFC 3396, option 82,
 * writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include <tern/dhcp4.h>

#include "fixture.h"

/* A packet under construction: header zeroed, cookie set, options from 240. */
struct pkt {
	uint8_t b[1500];
	size_t len;
};

static void pkt_init(struct pkt *p, uint8_t op)
{
	memset(p, 0, sizeof(*p));
	p->b[0] = op;
	p->b[1] = 1;
	p->b[2] = 6;
	p->b[4] = 0xde;
	p->b[5] = 0xad;
	p->b[6] = 0xbe;
	p->b[7] = 0xef;
	for (int i = 0; i < 6; i++)
		p->b[28 + i] = (uint8_t)(0x10 + i);
	p->b[236] = 99;
	p->b[237] = 130;
	p->b[238] = 83;
	p->b[239] = 99;
	p->len = 240;
}

static void pkt_opt(struct pkt *p, uint8_t code, const void *d, uint8_t l)
{
	p->b[p->len++] = code;
	p->b[p->len++] = l;
	memcpy(p->b + p->len, d, l);
	p->len += l;
}

static void pkt_byte(struct pkt *p, uint8_t v)
{
	p->b[p->len++] = v;
}

static void test_parse_header_fields(void **state)
{
	struct pkt p;
	struct tern_dhcp4_msg m;
	uint8_t t = TERN_DHCP4_DISCOVER;

	(void)state;
	pkt_init(&p, 1);
	p.b[3] = 2;    /* hops */
	p.b[8] = 0x01; /* secs 0x0102 */
	p.b[9] = 0x02;
	p.b[10] = 0x80; /* broadcast flag */
	memcpy(p.b + 12, "\x0a\x00\x00\x05", 4);
	memcpy(p.b + 24, "\x0a\x00\x00\x01", 4);
	pkt_opt(&p, 53, &t, 1);
	pkt_byte(&p, 255);
	assert_int_equal(tern_dhcp4_parse_header(&m, p.b, p.len), 0);
	assert_int_equal(m.hdr.op, 1);
	assert_int_equal(m.hdr.htype, 1);
	assert_int_equal(m.hdr.hlen, 6);
	assert_int_equal(m.hdr.hops, 2);
	assert_int_equal(m.hdr.xid, 0xdeadbeef);
	assert_int_equal(m.hdr.secs, 0x0102);
	assert_int_equal(m.hdr.flags, TERN_DHCP4_FLAG_BROADCAST);
	assert_int_equal(m.hdr.ciaddr.s_addr, inet_addr("10.0.0.5"));
	assert_int_equal(m.hdr.giaddr.s_addr, inet_addr("10.0.0.1"));
	assert_int_equal(m.hdr.chaddr[0], 0x10);
	assert_int_equal(m.hdr.chaddr[5], 0x15);
	assert_ptr_equal(m.hdr.sname, p.b + 44);
	assert_ptr_equal(m.hdr.file, p.b + 108);
	assert_false(m.indexed);
	assert_int_equal(tern_dhcp4_index_options(&m), 1);
	assert_int_equal(tern_dhcp4_get_msg_type(&m), TERN_DHCP4_DISCOVER);
}

static void test_header_errors(void **state)
{
	struct pkt p;
	struct tern_dhcp4_msg m;

	(void)state;
	pkt_init(&p, 1);
	pkt_byte(&p, 255);
	assert_int_equal(tern_dhcp4_parse(&m, p.b, 0), -EMSGSIZE);
	assert_int_equal(tern_dhcp4_parse(&m, p.b, 239), -EMSGSIZE);
	assert_int_equal(tern_dhcp4_parse(NULL, p.b, p.len), -EINVAL);
	assert_int_equal(tern_dhcp4_parse(&m, NULL, p.len), -EINVAL);
	assert_int_equal(tern_dhcp4_parse(&m, p.b, 70000), -E2BIG);
	p.b[239] = 98;
	assert_int_equal(tern_dhcp4_parse(&m, p.b, p.len), -EPROTO);
	/* Exactly header + cookie, no options at all: valid, empty. */
	pkt_init(&p, 1);
	assert_int_equal(tern_dhcp4_parse(&m, p.b, 240), 0);
	assert_int_equal(tern_dhcp4_get_msg_type(&m), -ENOENT);
	assert_string_equal(tern_strerror(-EMSGSIZE), "truncated header");
	assert_string_equal(tern_strerror(-EPROTO),
			    "bad magic cookie or message framing");
}

static void test_option_errors(void **state)
{
	struct pkt p;
	struct tern_dhcp4_msg m;
	uint8_t v[4] = {1, 2, 3, 4};

	(void)state;
	/* Length byte runs past the end. */
	pkt_init(&p, 1);
	pkt_opt(&p, 50, v, 4);
	p.b[p.len++] = 12;
	p.b[p.len++] = 10;
	p.b[p.len++] = 'a';
	assert_int_equal(tern_dhcp4_parse(&m, p.b, p.len), -EBADMSG);
	assert_false(m.indexed);
	assert_int_equal(m.n_opts, 0);
	/* Code byte with no length byte. */
	pkt_init(&p, 1);
	pkt_byte(&p, 12);
	assert_int_equal(tern_dhcp4_parse(&m, p.b, p.len), -EBADMSG);
	/* Missing End is tolerated; data after End is ignored. */
	pkt_init(&p, 1);
	pkt_opt(&p, 50, v, 4);
	assert_int_equal(tern_dhcp4_parse(&m, p.b, p.len), 1);
	pkt_byte(&p, 255);
	pkt_byte(&p, 12);
	pkt_byte(&p, 200);
	assert_int_equal(tern_dhcp4_parse(&m, p.b, p.len), 1);
	/* Pads are skipped. */
	pkt_init(&p, 1);
	pkt_byte(&p, 0);
	pkt_byte(&p, 0);
	pkt_opt(&p, 50, v, 4);
	pkt_byte(&p, 0);
	pkt_byte(&p, 255);
	assert_int_equal(tern_dhcp4_parse(&m, p.b, p.len), 1);
	assert_int_equal(m.opts[0].off, 244);
}

static void test_too_many_options(void **state)
{
	struct pkt p;
	struct tern_dhcp4_msg m;

	(void)state;
	pkt_init(&p, 1);
	for (int i = 0; i < TERN_DHCP4_MAX_OPTS; i++)
		pkt_opt(&p, 200, "", 0);
	assert_int_equal(tern_dhcp4_parse(&m, p.b, p.len), TERN_DHCP4_MAX_OPTS);
	pkt_opt(&p, 200, "", 0);
	assert_int_equal(tern_dhcp4_parse(&m, p.b, p.len), -E2BIG);
}

static void test_typed_getters(void **state)
{
	struct pkt p;
	struct tern_dhcp4_msg m;
	uint8_t t = 3, cid[7] = {1, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15};
	uint8_t prl[4] = {1, 3, 6, 42}, mms[2] = {0x05, 0xdc};
	uint8_t lt[4] = {0, 0, 0x0e, 0x10}, dns[8] = {10, 0, 0, 1, 10, 0, 0, 2};
	uint8_t scratch[64];
	const uint8_t *d;
	struct in_addr a[4];
	uint32_t u32;
	uint16_t u16;

	(void)state;
	pkt_init(&p, 1);
	pkt_opt(&p, 53, &t, 1);
	pkt_opt(&p, 61, cid, 7);
	pkt_opt(&p, 50, "\x0a\x00\x00\x07", 4);
	pkt_opt(&p, 54, "\x0a\x00\x00\x01", 4);
	pkt_opt(&p, 55, prl, 4);
	pkt_opt(&p, 57, mms, 2);
	pkt_opt(&p, 12, "host1", 5);
	pkt_opt(&p, 51, lt, 4);
	pkt_opt(&p, 6, dns, 8);
	pkt_opt(&p, 60, "udhcp 1.35.0", 12);
	pkt_opt(&p, 1, "\xff\xff\xff\x00", 4);
	pkt_byte(&p, 255);
	assert_int_equal(tern_dhcp4_parse(&m, p.b, p.len), 11);
	assert_int_equal(tern_dhcp4_get_msg_type(&m), 3);
	assert_int_equal(tern_dhcp4_get_client_id(&m, scratch, 64, &d), 7);
	assert_memory_equal(d, cid, 7);
	assert_ptr_equal(d, p.b + 240 + 3 + 2); /* zero copy */
	assert_int_equal(tern_dhcp4_get_requested_ip(&m, &a[0]), 0);
	assert_int_equal(a[0].s_addr, inet_addr("10.0.0.7"));
	assert_int_equal(tern_dhcp4_get_server_id(&m, &a[0]), 0);
	assert_int_equal(a[0].s_addr, inet_addr("10.0.0.1"));
	assert_int_equal(tern_dhcp4_get_prl(&m, scratch, 64, &d), 4);
	assert_true(tern_dhcp4_prl_has(d, 4, 42));
	assert_false(tern_dhcp4_prl_has(d, 4, 15));
	assert_int_equal(tern_dhcp4_get_max_msg_size(&m, &u16), 0);
	assert_int_equal(u16, 1500);
	assert_int_equal(tern_dhcp4_get_host_name(&m, scratch, 64, &d), 5);
	assert_memory_equal(d, "host1", 5);
	assert_int_equal(tern_dhcp4_get_lease_time(&m, &u32), 0);
	assert_int_equal(u32, 3600);
	assert_int_equal(tern_dhcp4_get_addrs(&m, 6, a, 4), 2);
	assert_int_equal(a[1].s_addr, inet_addr("10.0.0.2"));
	assert_int_equal(tern_dhcp4_get_addrs(&m, 6, a, 1), 1);
	assert_int_equal(tern_dhcp4_get_vendor_class(&m, scratch, 64, &d), 12);
	assert_int_equal(tern_dhcp4_get_subnet_mask(&m, &a[0]), 0);
	assert_int_equal(a[0].s_addr, inet_addr("255.255.255.0"));
	assert_int_equal(tern_dhcp4_get_t1(&m, &u32), -ENOENT);
	assert_int_equal(tern_dhcp4_get_domain_name(&m, scratch, 64, &d),
			 -ENOENT);
	assert_int_equal(tern_dhcp4_get_addrs(&m, 3, a, 4), -ENOENT);
	assert_int_equal(tern_dhcp4_opt_count(&m, 6), 1);
	assert_int_equal(tern_dhcp4_opt_count(&m, 7), 0);
}

static void test_typed_getter_bad_lengths(void **state)
{
	struct pkt p;
	struct tern_dhcp4_msg m;
	struct in_addr a[2];
	uint8_t scratch[8];
	const uint8_t *d;
	uint32_t u32;

	(void)state;
	pkt_init(&p, 1);
	pkt_opt(&p, 53, "\x01\x02", 2);
	pkt_opt(&p, 50, "\x0a\x00\x00", 3);
	pkt_opt(&p, 51, "\x00\x00\x00\x00\x01", 5);
	pkt_opt(&p, 61, "\x01", 1);
	pkt_opt(&p, 3, "\x0a\x00\x00\x01\x0a", 5);
	pkt_opt(&p, 12, "", 0);
	pkt_byte(&p, 255);
	assert_int_equal(tern_dhcp4_parse(&m, p.b, p.len), 6);
	assert_int_equal(tern_dhcp4_get_msg_type(&m), -EBADMSG);
	assert_int_equal(tern_dhcp4_get_requested_ip(&m, &a[0]), -EBADMSG);
	assert_int_equal(tern_dhcp4_get_lease_time(&m, &u32), -EBADMSG);
	assert_int_equal(tern_dhcp4_get_client_id(&m, scratch, 8, &d),
			 -EBADMSG);
	assert_int_equal(tern_dhcp4_get_addrs(&m, 3, a, 2), -EBADMSG);
	assert_int_equal(tern_dhcp4_get_host_name(&m, scratch, 8, &d),
			 -EBADMSG);
	/* Message type 0 is not a message type. */
	pkt_init(&p, 1);
	pkt_opt(&p, 53, "\x00", 1);
	assert_int_equal(tern_dhcp4_parse(&m, p.b, p.len), 1);
	assert_int_equal(tern_dhcp4_get_msg_type(&m), -ERANGE);
}

/* RFC 3396: client id split across options field and file (overload 1). */
static void test_overload_and_split(void **state)
{
	struct pkt p;
	struct tern_dhcp4_msg m;
	uint8_t scratch[32], small[4];
	const uint8_t *d;
	struct in_addr a[4];
	uint8_t *file = NULL, *sname = NULL;

	(void)state;
	pkt_init(&p, 1);
	pkt_opt(&p, 53, "\x03", 1);
	pkt_opt(&p, 52, "\x03", 1);
	pkt_opt(&p, 61, "\x01\xaa\xbb", 3);
	pkt_opt(&p, 6, "\x0a\x00\x00\x01\x0a\x00", 6); /* address straddles */
	pkt_byte(&p, 255);
	file = p.b + 108;
	memcpy(file, "\x3d\x02\xcc\xdd\x06\x02\x00\x02\x0c\x02hi\xff", 13);
	sname = p.b + 44;
	memcpy(sname, "\x00\x3d\x01\xee\xff", 5);
	assert_int_equal(tern_dhcp4_parse(&m, p.b, p.len), 8);
	assert_int_equal(m.overload, 3);
	assert_int_equal(tern_dhcp4_opt_count(&m, 61), 3);
	assert_int_equal(tern_dhcp4_get_client_id(&m, scratch, 32, &d), 6);
	assert_ptr_equal(d, scratch);
	assert_memory_equal(d, "\x01\xaa\xbb\xcc\xdd\xee", 6);
	assert_int_equal(tern_dhcp4_get_client_id(&m, small, 4, &d), -ENOBUFS);
	assert_int_equal(tern_dhcp4_opt_copy(&m, 61, scratch, 6), 6);
	assert_int_equal(tern_dhcp4_opt_copy(&m, 61, scratch, 5), -ENOBUFS);
	assert_int_equal(tern_dhcp4_get_addrs(&m, 6, a, 4), 2);
	assert_int_equal(a[0].s_addr, inet_addr("10.0.0.1"));
	assert_int_equal(a[1].s_addr, inet_addr("10.0.0.2"));
	assert_int_equal(tern_dhcp4_get_host_name(&m, scratch, 32, &d), 2);
	assert_memory_equal(d, "hi", 2);

	/* Only sname (2): file content is not options. */
	p.b[240 + 3 + 2] = 2;
	assert_int_equal(tern_dhcp4_parse(&m, p.b, p.len), 5);
	assert_int_equal(tern_dhcp4_opt_count(&m, 61), 2);
	assert_int_equal(tern_dhcp4_has_opt(&m, 12), false);
}

static void test_overload_errors(void **state)
{
	struct pkt p;
	struct tern_dhcp4_msg m;

	(void)state;
	pkt_init(&p, 1);
	pkt_opt(&p, 52, "\x04", 1);
	pkt_byte(&p, 255);
	assert_int_equal(tern_dhcp4_parse(&m, p.b, p.len), -ERANGE);
	pkt_init(&p, 1);
	pkt_opt(&p, 52, "\x00", 1);
	pkt_byte(&p, 255);
	assert_int_equal(tern_dhcp4_parse(&m, p.b, p.len), -ERANGE);
	pkt_init(&p, 1);
	pkt_opt(&p, 52, "\x01\x01", 2);
	pkt_byte(&p, 255);
	assert_int_equal(tern_dhcp4_parse(&m, p.b, p.len), -EBADMSG);
	/* An option in file running past the 128-byte field. */
	pkt_init(&p, 1);
	pkt_opt(&p, 52, "\x01", 1);
	pkt_byte(&p, 255);
	memset(p.b + 108, 0, 128);
	p.b[108 + 120] = 12;
	p.b[108 + 121] = 10;
	assert_int_equal(tern_dhcp4_parse(&m, p.b, p.len), -EBADMSG);
	/* Same in sname. */
	pkt_init(&p, 1);
	pkt_opt(&p, 52, "\x02", 1);
	pkt_byte(&p, 255);
	p.b[44 + 63] = 12;
	assert_int_equal(tern_dhcp4_parse(&m, p.b, p.len), -EBADMSG);
}

static void test_rai(void **state)
{
	struct pkt p;
	struct tern_dhcp4_msg m;
	struct tern_dhcp4_rai rai;
	uint8_t scratch[256];
	const uint8_t *d;
	uint8_t v[] = {1,  4, 'e', 't', 'h', '0', 2,  3, 'r', 'i', 'd', 5, 4,
		       10, 1, 0,   0,	11,  4,	  10, 1, 0,   1,   99,	0};
	int n;

	(void)state;
	pkt_init(&p, 1);
	pkt_opt(&p, 82, v, sizeof(v));
	pkt_byte(&p, 255);
	assert_int_equal(tern_dhcp4_parse(&m, p.b, p.len), 1);
	n = tern_dhcp4_opt_get(&m, 82, scratch, sizeof(scratch), &d);
	assert_int_equal(n, (int)sizeof(v));
	assert_int_equal(tern_dhcp4_rai_decode(d, (size_t)n, &rai), 0);
	assert_int_equal(rai.circuit_id_len, 4);
	assert_memory_equal(rai.circuit_id, "eth0", 4);
	assert_int_equal(rai.remote_id_len, 3);
	assert_memory_equal(rai.remote_id, "rid", 3);
	assert_true(rai.has_link_selection);
	assert_int_equal(rai.link_selection.s_addr, inet_addr("10.1.0.0"));
	assert_true(rai.has_server_id_override);
	assert_int_equal(rai.server_id_override.s_addr, inet_addr("10.1.0.1"));
	assert_null(rai.subscriber_id);

	/* Bad link selection length; sub-option past the end. */
	memset(&rai, 0, sizeof(rai));
	rai.circuit_id_len = 99;
	assert_int_equal(
		tern_dhcp4_rai_decode((const uint8_t *)"\x05\x03\x0a\x01\x00",
				      5, &rai),
		-EBADMSG);
	assert_int_equal(rai.circuit_id_len, 99); /* untouched */
	assert_int_equal(
		tern_dhcp4_rai_decode((const uint8_t *)"\x01\x05\x61", 3, &rai),
		-EBADMSG);
	assert_int_equal(
		tern_dhcp4_rai_decode((const uint8_t *)"\x01", 1, &rai),
		-EBADMSG);
	assert_int_equal(tern_dhcp4_rai_decode(NULL, 0, &rai), 0);
}

static void test_routes(void **state)
{
	/* 10.0.0.0/8 via 10.0.0.1; 0/0 via 10.0.0.254; 192.168.1.128/25. */
	uint8_t v[] = {8,   10, 10,  0,	  0, 1,	   0,  10, 0, 0,
		       254, 25, 192, 168, 1, 0xff, 10, 0,  0, 2};
	struct tern_dhcp4_route r[4];
	uint8_t out[64];

	(void)state;
	assert_int_equal(tern_dhcp4_routes_decode(v, sizeof(v), r, 4), 3);
	assert_int_equal(r[0].plen, 8);
	assert_int_equal(r[0].dest.s_addr, inet_addr("10.0.0.0"));
	assert_int_equal(r[0].gw.s_addr, inet_addr("10.0.0.1"));
	assert_int_equal(r[1].plen, 0);
	assert_int_equal(r[1].gw.s_addr, inet_addr("10.0.0.254"));
	assert_int_equal(r[2].plen, 25);
	/* Host bits in the last significant octet are cleared. */
	assert_int_equal(r[2].dest.s_addr, inet_addr("192.168.1.128"));
	assert_int_equal(tern_dhcp4_routes_decode(v, sizeof(v), r, 2),
			 -ENOBUFS);
	assert_int_equal(tern_dhcp4_routes_decode(v, sizeof(v) - 1, r, 4),
			 -EBADMSG);
	v[0] = 33;
	assert_int_equal(tern_dhcp4_routes_decode(v, sizeof(v), r, 4),
			 -EBADMSG);
	assert_int_equal(tern_dhcp4_routes_encode(r, 3, out, sizeof(out)), 20);
	v[0] = 8;
	v[15] = 0x80;
	assert_memory_equal(out, v, 20);
	assert_int_equal(tern_dhcp4_routes_encode(r, 3, out, 19), -ENOBUFS);
}

static void test_writer_basic(void **state)
{
	uint8_t buf[600], cid[7] = {1, 2, 3, 4, 5, 6, 7};
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_hdr h = {0};
	struct tern_dhcp4_msg m;
	struct in_addr a, dns[2];
	uint8_t prl[4] = {1, 3, 6, 42}, scratch[16];
	const uint8_t *d;
	uint8_t *res;
	int len;

	(void)state;
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(tern_dhcp4_writer_init(&w, buf, sizeof(buf), 0, 0), 0);
	assert_int_equal(tern_dhcp4_put_msg_type(&w, TERN_DHCP4_OFFER), 0);
	a.s_addr = inet_addr("10.0.0.1");
	assert_int_equal(tern_dhcp4_put_addr(&w, 54, a), 0);
	assert_int_equal(tern_dhcp4_put_u32(&w, 51, 3600), 0);
	assert_int_equal(tern_dhcp4_put_u16(&w, 57, 1500), 0);
	assert_int_equal(tern_dhcp4_put(&w, 61, cid, 7), 0);
	assert_int_equal(tern_dhcp4_put(&w, 55, prl, 4), 0);
	dns[0].s_addr = inet_addr("10.0.0.53");
	dns[1].s_addr = inet_addr("10.0.0.54");
	assert_int_equal(tern_dhcp4_put_addrs(&w, 6, dns, 2), 0);
	assert_int_equal(tern_dhcp4_put_str(&w, 15, "example.net"), 0);
	res = tern_dhcp4_put_reserve(&w, 58, 4);
	assert_non_null(res);
	memcpy(res, "\x00\x00\x07\x08", 4);
	h.op = 2;
	h.htype = 1;
	h.hlen = 6;
	h.xid = 0x01020304;
	h.flags = TERN_DHCP4_FLAG_BROADCAST;
	h.yiaddr.s_addr = inet_addr("10.0.0.7");
	memcpy(h.chaddr, "\x02\x00\x00\x00\x00\x01", 6);
	assert_int_equal(tern_dhcp4_write_header(&w, &h), 0);
	len = tern_dhcp4_writer_finish(&w, true);
	assert_int_equal(len, 304); /* longer than 300: no padding */
	assert_int_equal(buf[303], 255);

	assert_int_equal(tern_dhcp4_parse(&m, buf, (size_t)len), 9);
	assert_int_equal(m.hdr.op, 2);
	assert_int_equal(m.hdr.xid, 0x01020304);
	assert_int_equal(m.hdr.flags, TERN_DHCP4_FLAG_BROADCAST);
	assert_int_equal(m.hdr.yiaddr.s_addr, inet_addr("10.0.0.7"));
	assert_int_equal(m.hdr.sname[0], 0);
	assert_int_equal(m.hdr.file[127], 0);
	assert_int_equal(tern_dhcp4_get_msg_type(&m), TERN_DHCP4_OFFER);
	assert_int_equal(tern_dhcp4_get_client_id(&m, scratch, 16, &d), 7);
	assert_memory_equal(d, cid, 7);
	assert_int_equal(tern_dhcp4_get_addrs(&m, 6, dns, 2), 2);
	assert_int_equal(dns[1].s_addr, inet_addr("10.0.0.54"));
	assert_int_equal(tern_dhcp4_get_domain_name(&m, scratch, 16, &d), 11);
	/* Short messages are padded to the BOOTP minimum when asked. */
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(tern_dhcp4_writer_init(&w, buf, sizeof(buf), 0, 0), 0);
	tern_dhcp4_put_msg_type(&w, 5);
	assert_int_equal(tern_dhcp4_writer_finish(&w, true), 300);
	assert_int_equal(buf[243], 255);
	assert_int_equal(buf[244], 0);
	assert_int_equal(buf[299], 0);
	assert_int_equal(buf[300], 0xaa);
	/* Without padding the message ends right after End. */
	assert_int_equal(tern_dhcp4_writer_init(&w, buf, sizeof(buf), 0, 0), 0);
	tern_dhcp4_put_msg_type(&w, 5);
	assert_int_equal(tern_dhcp4_writer_finish(&w, false), 244);
	assert_int_equal(buf[243], 255);
}

static void test_writer_errors(void **state)
{
	uint8_t buf[300];
	struct tern_dhcp4_writer w;
	uint8_t big[100] = {0};

	(void)state;
	assert_int_equal(tern_dhcp4_writer_init(&w, buf, 240, 0, 0), -ENOBUFS);
	assert_int_equal(tern_dhcp4_writer_finish(&w, false), -ENOBUFS);
	assert_int_equal(tern_dhcp4_writer_init(NULL, buf, 300, 0, 0), -EINVAL);
	/* Options area is 300-240-1 = 59 bytes. */
	assert_int_equal(tern_dhcp4_writer_init(&w, buf, sizeof(buf), 0, 0), 0);
	assert_int_equal(tern_dhcp4_put(&w, 43, big, 57), 0);
	assert_int_equal(tern_dhcp4_put(&w, 43, big, 1), -ENOBUFS);
	/* Sticky: even a fitting option now fails, and so does finish. */
	assert_int_equal(tern_dhcp4_put(&w, 53, "", 0), -ENOBUFS);
	assert_null(tern_dhcp4_put_reserve(&w, 53, 1));
	assert_int_equal(tern_dhcp4_writer_finish(&w, false), -ENOBUFS);
	/* Exactly full fits End. */
	assert_int_equal(tern_dhcp4_writer_init(&w, buf, sizeof(buf), 0, 0), 0);
	assert_int_equal(tern_dhcp4_put(&w, 43, big, 57), 0);
	assert_int_equal(tern_dhcp4_writer_finish(&w, false), 300);
	/* Pad and End are not options one may put. */
	assert_int_equal(tern_dhcp4_writer_init(&w, buf, sizeof(buf), 0, 0), 0);
	assert_int_equal(tern_dhcp4_put(&w, 255, big, 1), -EINVAL);
	assert_int_equal(tern_dhcp4_writer_init(&w, buf, sizeof(buf), 0, 0), 0);
	assert_int_equal(tern_dhcp4_put_str(&w, 12, ""), -EINVAL);
	/* limit below cap bounds the area. */
	assert_int_equal(tern_dhcp4_writer_init(&w, buf, sizeof(buf), 250, 0),
			 0);
	assert_int_equal(tern_dhcp4_put(&w, 43, big, 7), 0);
	assert_int_equal(tern_dhcp4_put(&w, 43, big, 0), -ENOBUFS);
}

static void test_writer_split_long(void **state)
{
	uint8_t buf[1500], val[600], out[600];
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_msg m;
	int len;

	(void)state;
	for (int i = 0; i < 600; i++)
		val[i] = (uint8_t)(i * 7);
	assert_int_equal(tern_dhcp4_writer_init(&w, buf, sizeof(buf), 0, 0), 0);
	assert_int_equal(tern_dhcp4_put(&w, 43, val, 600), 0);
	len = tern_dhcp4_writer_finish(&w, false);
	assert_int_equal(len, 240 + 3 * 2 + 600 + 1);
	assert_int_equal(tern_dhcp4_parse(&m, buf, (size_t)len), 3);
	assert_int_equal(m.opts[0].len, 255);
	assert_int_equal(m.opts[2].len, 90);
	assert_int_equal(tern_dhcp4_opt_copy(&m, 43, out, sizeof(out)), 600);
	assert_memory_equal(out, val, 600);
}

/* Options beyond the client's limit flow into file then sname, with 52. */
static void test_writer_overload(void **state)
{
	uint8_t buf[1500], val[100], out[400];
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_msg m;
	struct tern_dhcp4_hdr h = {.op = 2, .htype = 1, .hlen = 6};
	uint8_t bootfile[128];
	int len;

	(void)state;
	memset(bootfile, 'x', sizeof(bootfile));
	h.file = bootfile;
	for (int i = 0; i < 100; i++)
		val[i] = (uint8_t)i;
	/* 300-byte message: main area 240..296 (52 + End reserved). */
	assert_int_equal(tern_dhcp4_writer_init(&w, buf, sizeof(buf), 300,
						TERN_DHCP4_W_OVERLOAD),
			 0);
	assert_int_equal(tern_dhcp4_write_header(&w, &h), 0);
	assert_int_equal(tern_dhcp4_put_msg_type(&w, 5), 0);   /* main */
	assert_int_equal(tern_dhcp4_put(&w, 43, val, 100), 0); /* file */
	assert_int_equal(tern_dhcp4_put(&w, 224, val, 40), 0); /* main */
	assert_int_equal(tern_dhcp4_put(&w, 225, val, 30), 0); /* sname */
	assert_int_equal(tern_dhcp4_put(&w, 226, val, 20), 0); /* file */
	/* 300-byte value: 255 part cannot fit anywhere. */
	assert_int_equal(tern_dhcp4_put(&w, 227, val, 40), -ENOBUFS);
	len = tern_dhcp4_writer_finish(&w, false);
	assert_int_equal(len, -ENOBUFS);

	assert_int_equal(tern_dhcp4_writer_init(&w, buf, sizeof(buf), 300,
						TERN_DHCP4_W_OVERLOAD),
			 0);
	assert_int_equal(tern_dhcp4_write_header(&w, &h), 0);
	assert_int_equal(tern_dhcp4_put_msg_type(&w, 5), 0);
	assert_int_equal(tern_dhcp4_put(&w, 43, val, 100), 0);
	assert_int_equal(tern_dhcp4_put(&w, 224, val, 40), 0);
	assert_int_equal(tern_dhcp4_put(&w, 225, val, 30), 0);
	assert_int_equal(tern_dhcp4_put(&w, 226, val, 20), 0);
	len = tern_dhcp4_writer_finish(&w, false);
	/* Main area: 240 + 53 (3) + 224 (42) + 52 (3) + End. */
	assert_int_equal(len, 289);
	assert_int_equal(tern_dhcp4_parse(&m, buf, (size_t)len), 6);
	assert_int_equal(m.overload, 3);
	assert_int_equal(tern_dhcp4_get_msg_type(&m), 5);
	assert_int_equal(tern_dhcp4_opt_copy(&m, 43, out, sizeof(out)), 100);
	assert_memory_equal(out, val, 100);
	assert_int_equal(tern_dhcp4_opt_copy(&m, 224, out, sizeof(out)), 40);
	assert_int_equal(tern_dhcp4_opt_copy(&m, 225, out, sizeof(out)), 30);
	assert_int_equal(tern_dhcp4_opt_copy(&m, 226, out, sizeof(out)), 20);
	/* The boot file name written earlier did not survive in the tail. */
	assert_int_equal(buf[108 + 127], 0);
	/* A long option split across areas keeps its order: its 255-byte
	 * head fills the options field, its 75-byte tail goes to file. */
	{
		uint8_t lv[330], lo[400];

		for (int i = 0; i < 330; i++)
			lv[i] = (uint8_t)(i * 3 + 1);
		assert_int_equal(tern_dhcp4_writer_init(&w, buf, sizeof(buf),
							520,
							TERN_DHCP4_W_OVERLOAD),
				 0);
		assert_int_equal(tern_dhcp4_put(&w, 200, lv, 330), 0);
		len = tern_dhcp4_writer_finish(&w, false);
		assert_int_equal(len, 240 + 257 + 3 + 1);
		assert_int_equal(tern_dhcp4_parse(&m, buf, (size_t)len), 3);
		assert_int_equal(m.overload, 1);
		assert_int_equal(tern_dhcp4_opt_copy(&m, 200, lo, sizeof(lo)),
				 330);
		assert_memory_equal(lo, lv, 330);
	}
	/* The same code put twice: the second part must not go back to the
	 * options field once the first went to file (found by fuzzing). */
	{
		uint8_t lo[400];

		assert_int_equal(tern_dhcp4_writer_init(&w, buf, sizeof(buf),
							300,
							TERN_DHCP4_W_OVERLOAD),
				 0);
		assert_int_equal(tern_dhcp4_put(&w, 43, val, 80), 0); /* file */
		assert_int_equal(tern_dhcp4_put(&w, 43, val + 80, 10), 0);
		assert_int_equal(tern_dhcp4_put(&w, 44, val, 10), 0); /* main */
		len = tern_dhcp4_writer_finish(&w, false);
		assert_true(len > 0);
		assert_int_equal(tern_dhcp4_parse(&m, buf, (size_t)len), 4);
		assert_int_equal(tern_dhcp4_opt_copy(&m, 43, lo, sizeof(lo)),
				 90);
		assert_memory_equal(lo, val, 90);
		assert_int_equal(m.opts[0].code, 44); /* main area first */
	}
	/* Without the flag the same content does not fit. */
	assert_int_equal(tern_dhcp4_writer_init(&w, buf, sizeof(buf), 300, 0),
			 0);
	assert_int_equal(tern_dhcp4_put(&w, 43, val, 100), -ENOBUFS);
}

static void test_writer_container(void **state)
{
	uint8_t buf[600];
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_msg m;
	struct tern_dhcp4_rai rai;
	const uint8_t *d;
	uint8_t scratch[8], big[200] = {0};
	int len, n;

	(void)state;
	assert_int_equal(tern_dhcp4_writer_init(&w, buf, sizeof(buf), 0, 0), 0);
	assert_int_equal(tern_dhcp4_put_msg_type(&w, 1), 0);
	assert_int_equal(tern_dhcp4_container_begin(&w, 82), 0);
	assert_int_equal(tern_dhcp4_subopt_put(&w, 1, "port7", 5), 0);
	assert_int_equal(tern_dhcp4_subopt_put(&w, 2, "cpe", 3), 0);
	assert_int_equal(tern_dhcp4_subopt_put(&w, 5, "\x0a\x02\x00\x00", 4),
			 0);
	assert_int_equal(tern_dhcp4_container_end(&w), 0);
	assert_int_equal(tern_dhcp4_put_u32(&w, 51, 60), 0);
	len = tern_dhcp4_writer_finish(&w, false);
	assert_true(len > 0);
	assert_int_equal(tern_dhcp4_parse(&m, buf, (size_t)len), 3);
	n = tern_dhcp4_opt_get(&m, 82, scratch, sizeof(scratch), &d);
	assert_int_equal(n, 7 + 5 + 6);
	assert_int_equal(tern_dhcp4_rai_decode(d, (size_t)n, &rai), 0);
	assert_memory_equal(rai.circuit_id, "port7", 5);
	assert_memory_equal(rai.remote_id, "cpe", 3);
	assert_int_equal(rai.link_selection.s_addr, inet_addr("10.2.0.0"));
	/* Misuse: an option while open, sub-option while closed, overflow. */
	assert_int_equal(tern_dhcp4_writer_init(&w, buf, sizeof(buf), 0, 0), 0);
	assert_int_equal(tern_dhcp4_subopt_put(&w, 1, "a", 1), -EINVAL);
	assert_int_equal(tern_dhcp4_writer_init(&w, buf, sizeof(buf), 0, 0), 0);
	assert_int_equal(tern_dhcp4_container_begin(&w, 82), 0);
	assert_int_equal(tern_dhcp4_put_u8(&w, 53, 1), -EINVAL);
	assert_int_equal(tern_dhcp4_writer_init(&w, buf, sizeof(buf), 0, 0), 0);
	assert_int_equal(tern_dhcp4_container_begin(&w, 82), 0);
	assert_int_equal(tern_dhcp4_subopt_put(&w, 9, big, 200), 0);
	assert_int_equal(tern_dhcp4_subopt_put(&w, 9, big, 60), -ENOBUFS);
	assert_int_equal(tern_dhcp4_writer_init(&w, buf, sizeof(buf), 0, 0), 0);
	assert_int_equal(tern_dhcp4_container_begin(&w, 82), 0);
	assert_int_equal(tern_dhcp4_writer_finish(&w, false), -EINVAL);
}

/* Real captures (tests/fixtures/README.md says how they were made). */
static void load_v4(const char *name, uint8_t *buf, size_t cap,
		    struct tern_dhcp4_msg *m)
{
	char rel[128];
	long n;

	snprintf(rel, sizeof(rel), "v4/%s.bin", name);
	n = tern_test_load_fixture(rel, buf, cap);
	assert_true(n > 0);
	assert_true(tern_dhcp4_parse(m, buf, (size_t)n) > 0);
}

static void test_fixture_udhcpc(void **state)
{
	uint8_t buf[1500], scratch[64];
	struct tern_dhcp4_msg m;
	const uint8_t *d;
	struct in_addr a;
	uint16_t mms;
	int n;

	(void)state;
	load_v4("udhcpc_discover", buf, sizeof(buf), &m);
	assert_int_equal(m.len, 300); /* busybox pads to the BOOTP minimum */
	assert_int_equal(tern_dhcp4_get_msg_type(&m), TERN_DHCP4_DISCOVER);
	assert_int_equal(m.hdr.op, 1);
	assert_int_equal(tern_dhcp4_get_client_id(&m, scratch, 64, &d), 7);
	assert_memory_equal(d, "\x01\x02\xfa\x00\x00\x00\x02", 7);
	assert_memory_equal(m.hdr.chaddr, d + 1, 6);
	assert_int_equal(tern_dhcp4_get_max_msg_size(&m, &mms), 0);
	assert_int_equal(mms, 576);
	n = tern_dhcp4_get_prl(&m, scratch, 64, &d);
	assert_int_equal(n, 7);
	assert_true(tern_dhcp4_prl_has(d, (size_t)n, 42));
	assert_int_equal(tern_dhcp4_get_vendor_class(&m, scratch, 64, &d), 12);
	assert_memory_equal(d, "udhcp 1.35.0", 12);

	load_v4("udhcpc_request_selecting", buf, sizeof(buf), &m);
	assert_int_equal(tern_dhcp4_get_msg_type(&m), TERN_DHCP4_REQUEST);
	assert_int_equal(tern_dhcp4_get_requested_ip(&m, &a), 0);
	assert_int_equal(a.s_addr, inet_addr("10.250.1.10"));
	assert_int_equal(tern_dhcp4_get_server_id(&m, &a), 0);
	assert_int_equal(a.s_addr, inet_addr("10.250.0.1"));
	assert_int_equal(m.hdr.ciaddr.s_addr, 0);

	load_v4("udhcpc_request_renew", buf, sizeof(buf), &m);
	assert_int_equal(tern_dhcp4_get_msg_type(&m), TERN_DHCP4_REQUEST);
	assert_int_equal(m.hdr.ciaddr.s_addr, inet_addr("10.250.1.10"));
	assert_false(tern_dhcp4_has_opt(&m, TERN_DHCP4_OPT_SERVER_ID));

	load_v4("udhcpc_release", buf, sizeof(buf), &m);
	assert_int_equal(tern_dhcp4_get_msg_type(&m), TERN_DHCP4_RELEASE);
}

static void test_fixture_kea_replies(void **state)
{
	uint8_t buf[1500], scratch[64];
	struct tern_dhcp4_msg m;
	const uint8_t *d;
	struct in_addr a;
	uint32_t u;

	(void)state;
	load_v4("kea4_ack", buf, sizeof(buf), &m);
	assert_int_equal(tern_dhcp4_get_msg_type(&m), TERN_DHCP4_ACK);
	assert_int_equal(m.hdr.op, 2);
	assert_int_equal(m.hdr.yiaddr.s_addr, inet_addr("10.250.1.10"));
	assert_int_equal(tern_dhcp4_get_lease_time(&m, &u), 0);
	assert_int_equal(u, 4000);
	assert_int_equal(tern_dhcp4_get_t1(&m, &u), 0);
	assert_int_equal(u, 1000);
	assert_int_equal(tern_dhcp4_get_t2(&m, &u), 0);
	assert_int_equal(u, 2000);
	assert_int_equal(tern_dhcp4_get_subnet_mask(&m, &a), 0);
	assert_int_equal(a.s_addr, inet_addr("255.255.0.0"));
	assert_int_equal(tern_dhcp4_get_domain_name(&m, scratch, 64, &d), 11);
	assert_memory_equal(d, "example.net", 11);
	/* RFC 6842: Kea echoes the client id. */
	assert_int_equal(tern_dhcp4_get_client_id(&m, scratch, 64, &d), 7);

	load_v4("kea4_nak", buf, sizeof(buf), &m);
	assert_int_equal(tern_dhcp4_get_msg_type(&m), TERN_DHCP4_NAK);
	assert_int_equal(tern_dhcp4_get_server_id(&m, &a), 0);
	assert_int_equal(m.hdr.yiaddr.s_addr, 0);

	load_v4("kea4_offer", buf, sizeof(buf), &m);
	assert_int_equal(tern_dhcp4_get_msg_type(&m), TERN_DHCP4_OFFER);
}

static void test_fixture_relayed(void **state)
{
	uint8_t buf[1500], scratch[256];
	struct tern_dhcp4_msg m;
	struct tern_dhcp4_rai rai;
	const uint8_t *d;
	int n;

	(void)state;
	load_v4("dhcrelay_discover_opt82", buf, sizeof(buf), &m);
	assert_int_equal(m.hdr.giaddr.s_addr, inet_addr("10.251.0.1"));
	assert_int_equal(m.hdr.hops, 1);
	n = tern_dhcp4_opt_get(&m, TERN_DHCP4_OPT_RAI, scratch, sizeof(scratch),
			       &d);
	assert_true(n > 0);
	assert_int_equal(tern_dhcp4_rai_decode(d, (size_t)n, &rai), 0);
	assert_int_equal(rai.circuit_id_len, 4);
	assert_memory_equal(rai.circuit_id, "tfr1", 4);

	load_v4("perfdhcp_discover_relayed", buf, sizeof(buf), &m);
	assert_int_equal(tern_dhcp4_get_msg_type(&m), TERN_DHCP4_DISCOVER);
	assert_int_not_equal(m.hdr.giaddr.s_addr, 0);

	load_v4("dhclient_request_init_reboot", buf, sizeof(buf), &m);
	assert_int_equal(tern_dhcp4_get_msg_type(&m), TERN_DHCP4_REQUEST);
	assert_false(tern_dhcp4_has_opt(&m, TERN_DHCP4_OPT_SERVER_ID));
	assert_int_equal(m.hdr.ciaddr.s_addr, 0);
	assert_true(tern_dhcp4_has_opt(&m, TERN_DHCP4_OPT_REQUESTED_IP));
}

/* Every capture survives decode -> encode -> decode with equal values. */
static void test_fixture_roundtrip_all(void **state)
{
	static const char *const names[] = {
		"udhcpc_discover",
		"udhcpc_request_selecting",
		"udhcpc_request_renew",
		"udhcpc_release",
		"dhclient_discover",
		"dhclient_request",
		"dhclient_release",
		"kea4_offer",
		"kea4_ack",
		"kea4_nak",
		"kea4_ack_opt82",
		"dhcrelay_discover_opt82",
		"perfdhcp_discover_relayed",
	};
	uint8_t buf[1500], out[1500], va[512], vb[512];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct tern_dhcp4_msg m, m2;
		struct tern_dhcp4_writer w;
		int len;

		load_v4(names[i], buf, sizeof(buf), &m);
		tern_dhcp4_writer_init(&w, out, sizeof(out), 0, 0);
		tern_dhcp4_write_header(&w, &m.hdr);
		for (unsigned k = 0; k < m.n_opts; k++)
			tern_dhcp4_put(&w, m.opts[k].code,
				       tern_dhcp4_opt_data(&m, &m.opts[k]),
				       m.opts[k].len);
		len = tern_dhcp4_writer_finish(&w, true);
		assert_true(len > 0);
		assert_int_equal(tern_dhcp4_parse(&m2, out, (size_t)len),
				 m.n_opts);
		/* Same header bytes and options: byte-identical up to End. */
		assert_memory_equal(out, buf, 240);
		for (unsigned k = 0; k < m.n_opts; k++) {
			int a = tern_dhcp4_opt_copy(&m, m.opts[k].code, va,
						    sizeof(va));
			int b = tern_dhcp4_opt_copy(&m2, m.opts[k].code, vb,
						    sizeof(vb));
			assert_int_equal(a, b);
			assert_memory_equal(va, vb, (size_t)a);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_header_fields),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_option_errors),
		cmocka_unit_test(test_too_many_options),
		cmocka_unit_test(test_typed_getters),
		cmocka_unit_test(test_typed_getter_bad_lengths),
		cmocka_unit_test(test_overload_and_split),
		cmocka_unit_test(test_overload_errors),
		cmocka_unit_test(test_rai),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_writer_basic),
		cmocka_unit_test(test_writer_errors),
		cmocka_unit_test(test_writer_split_long),
		cmocka_unit_test(test_writer_overload),
		cmocka_unit_test(test_writer_container),
		cmocka_unit_test(test_fixture_udhcpc),
		cmocka_unit_test(test_fixture_kea_replies),
		cmocka_unit_test(test_fixture_relayed),
		cmocka_unit_test(test_fixture_roundtrip_all),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
