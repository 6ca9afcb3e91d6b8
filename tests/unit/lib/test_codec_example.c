/* The docs/codec.md example, compiled and run: decode a DISCOVER, answer with
 * an OFFER. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include <tern/dhcp4.h>

/* Build a DISCOVER as a client would, so the example has input. */
static int make_discover(uint8_t *buf, size_t cap)
{
	static const uint8_t cid[7] = {1, 2, 0, 0, 0, 0, 9};
	static const uint8_t prl[4] = {1, 3, 6, 15};
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_hdr h = {.op = 1,
				   .htype = 1,
				   .hlen = 6,
				   .xid = 0x1234,
				   .chaddr = {2, 0, 0, 0, 0, 9}};
	struct in_addr want = {htonl(0x0a000064)};

	tern_dhcp4_writer_init(&w, buf, cap, 0, 0);
	tern_dhcp4_put_msg_type(&w, TERN_DHCP4_DISCOVER);
	tern_dhcp4_put(&w, TERN_DHCP4_OPT_CLIENT_ID, cid, sizeof(cid));
	tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_REQUESTED_IP, want);
	tern_dhcp4_put(&w, TERN_DHCP4_OPT_PRL, prl, sizeof(prl));
	tern_dhcp4_write_header(&w, &h);
	return tern_dhcp4_writer_finish(&w, true);
}

static void test_doc_example(void **state)
{
	uint8_t buf[600], out[576];
	int len = make_discover(buf, sizeof(buf));
	/* --- docs/codec.md: decoding --- */
	struct tern_dhcp4_msg m;
	uint8_t scratch[256];
	const uint8_t *cid, *prl;
	struct in_addr want;
	int r, cid_len, prl_len;

	(void)state;
	assert_true(len > 0);
	r = tern_dhcp4_parse(&m, buf, (size_t)len);
	assert_true(r >= 0);
	assert_int_equal(tern_dhcp4_get_msg_type(&m), TERN_DHCP4_DISCOVER);
	cid_len = tern_dhcp4_get_client_id(&m, scratch, sizeof(scratch), &cid);
	assert_int_equal(cid_len, 7);
	assert_int_equal(tern_dhcp4_get_requested_ip(&m, &want), 0);
	prl_len = tern_dhcp4_get_prl(&m, scratch + 128, 128, &prl);
	assert_int_equal(prl_len, 4);

	/* --- docs/codec.md: encoding --- */
	struct tern_dhcp4_writer w;
	struct tern_dhcp4_hdr h = {
		.op = TERN_DHCP4_BOOTREPLY,
		.htype = m.hdr.htype,
		.hlen = m.hdr.hlen,
		.xid = m.hdr.xid,
		.flags = m.hdr.flags,
		.giaddr = m.hdr.giaddr,
	};
	struct in_addr server = {htonl(0x0a000001)};
	struct in_addr dns[2] = {{htonl(0x0a000035)}, {htonl(0x0a000036)}};
	int n;

	memcpy(h.chaddr, m.hdr.chaddr, sizeof(h.chaddr));
	h.yiaddr = want;
	tern_dhcp4_writer_init(&w, out, sizeof(out), 576 - 28,
			       TERN_DHCP4_W_OVERLOAD);
	tern_dhcp4_put_msg_type(&w, TERN_DHCP4_OFFER);
	tern_dhcp4_put_addr(&w, TERN_DHCP4_OPT_SERVER_ID, server);
	tern_dhcp4_put_u32(&w, TERN_DHCP4_OPT_LEASE_TIME, 3600);
	tern_dhcp4_put_addrs(&w, TERN_DHCP4_OPT_DNS, dns, 2);
	tern_dhcp4_put(&w, TERN_DHCP4_OPT_CLIENT_ID, cid, (size_t)cid_len);
	tern_dhcp4_write_header(&w, &h);
	n = tern_dhcp4_writer_finish(&w, true);
	assert_int_equal(n, 300);

	/* The OFFER reads back as what we meant. */
	struct tern_dhcp4_msg o;
	uint32_t lt;

	assert_true(tern_dhcp4_parse(&o, out, (size_t)n) >= 0);
	assert_int_equal(tern_dhcp4_get_msg_type(&o), TERN_DHCP4_OFFER);
	assert_int_equal(o.hdr.xid, 0x1234);
	assert_int_equal(o.hdr.yiaddr.s_addr, htonl(0x0a000064));
	assert_int_equal(tern_dhcp4_get_lease_time(&o, &lt), 0);
	assert_int_equal(lt, 3600);
	assert_int_equal(tern_dhcp4_get_addrs(&o, TERN_DHCP4_OPT_DNS, dns, 2),
			 2);
	assert_int_equal(o.overload, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doc_example),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
