/* Unit tests of the lease IPC message: pinned layout, builders, validator. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <tern/lease_ipc.h>

#include "fixture.h"

/* A known DHCPv4 lease touching every field kind; see v4_bound.bin. */
static void build_v4(struct tern_lease_msg *m)
{
	struct tern_lease_v4 *v4 = &m->data.v4;
	static const uint8_t cid[] = {0x01, 0x06, 0x8a, 0x98, 0xfe, 0xda, 0x4f};
	static const uint8_t type = 5;

	assert_int_equal(tern_lease_msg_init(m, TERN_LEASE_V4, "erouter0"), 0);
	v4->address_assigned = 1;
	v4->event = TERN_LEASE_V4_BOUND;
	v4->prefix_len = 16;
	assert_true(TERN_LEASE_SET(v4->address, "10.250.1.0") >= 0);
	assert_true(TERN_LEASE_SET(v4->netmask, "255.255.0.0") >= 0);
	assert_true(TERN_LEASE_SET(v4->gateway, "10.250.0.1") >= 0);
	assert_true(TERN_LEASE_SET(v4->dns_server, "10.250.0.1") >= 0);
	assert_true(TERN_LEASE_SET(v4->dns_server1, "10.250.0.2") >= 0);
	v4->lease_time = 4000;
	v4->rebinding_time = 2000;
	v4->renewal_time = 1000;
	v4->time_offset = -18000;
	v4->time_offset_assigned = 1;
	assert_true(TERN_LEASE_SET(v4->time_zone, "EST5EDT") >= 0);
	v4->upstream_curr_rate = 0x01020304;
	v4->downstream_curr_rate = 0x0a0b0c0d;
	assert_true(TERN_LEASE_SET(v4->dhcp_server_id, "10.250.0.1") >= 0);
	assert_true(TERN_LEASE_SET(v4->dhcp_state, "bound") >= 0);
	v4->mtu_assigned = 1;
	v4->mtu_size = 1492;
	assert_true(TERN_LEASE_SET(v4->static_routes,
				   "10.0.0.0/8 10.250.0.1") >= 0);
	v4->option122_assigned = 1;
	assert_true(TERN_LEASE_SET(v4->option122, "0104c0a80001") >= 0);
	assert_true(TERN_LEASE_SET(v4->host_name, "testbox") >= 0);
	assert_true(TERN_LEASE_SET(v4->broadcast, "10.250.255.255") >= 0);
	assert_true(TERN_LEASE_SET(v4->dns_servers, "10.250.0.1 10.250.0.2") >=
		    0);
	assert_int_equal(tern_lease_v4_add_option(v4, 53, &type, 1), 0);
	assert_int_equal(tern_lease_v4_add_option(v4, 61, cid, sizeof(cid)), 0);
}

/* A known DHCPv6 lease: the client-scripts.md example plus IAIDs. */
static void build_v6(struct tern_lease_msg *m)
{
	struct tern_lease_v6 *v6 = &m->data.v6;
	static const uint8_t duid[] = {0x00, 0x03, 0x00, 0x01, 0x06,
				       0x8a, 0x98, 0xfe, 0xda, 0x4f};
	static const uint8_t mapt[] = {0x00, 0x59, 0x00, 0x04,
				       0x80, 0x00, 0x18, 0xc0};

	assert_int_equal(tern_lease_msg_init(m, TERN_LEASE_V6, "erouter0"), 0);
	v6->event = TERN_LEASE_V6_ADD;
	v6->ia_na[0].assigned = 1;
	assert_true(TERN_LEASE_SET(v6->ia_na[0].address, "fd00:250::1000") >=
		    0);
	v6->ia_na[0].iaid = 1;
	v6->ia_na[0].t1 = 1500;
	v6->ia_na[0].t2 = 2400;
	v6->ia_na[0].preferred = 3000;
	v6->ia_na[0].valid = 4000;
	v6->ia_pd[0].assigned = 1;
	v6->ia_pd[0].prefix_len = 56;
	assert_true(TERN_LEASE_SET(v6->ia_pd[0].prefix, "fd00:9900::") >= 0);
	v6->ia_pd[0].iaid = 2;
	v6->ia_pd[0].preferred = 3000;
	v6->ia_pd[0].valid = 4000;
	assert_true(TERN_LEASE_SET(v6->dns_servers, "fd00:250::1") >= 0);
	assert_true(TERN_LEASE_SET(v6->domain_search, "example.net") >= 0);
	memcpy(v6->mapt, mapt, sizeof(mapt));
	v6->mapt_len = sizeof(mapt);
	assert_true(TERN_LEASE_SET(v6->server_addr, "fe80::1") >= 0);
	assert_int_equal(tern_lease_v6_add_option(v6, 1, duid, sizeof(duid)),
			 0);
}

static void golden(const char *rel, const struct tern_lease_msg *m)
{
	static uint8_t want[sizeof(struct tern_lease_msg) + 1];
	long n;

	/* Regenerate only on purpose, then check the bytes by hand. */
	if (getenv("TERN_WRITE_GOLDEN")) {
		char path[1024];
		FILE *f;
		snprintf(path, sizeof(path), "%s/%s", TERN_FIXTURES, rel);
		f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(m, sizeof(*m), 1, f), 1);
		assert_int_equal(fclose(f), 0);
	}
	n = tern_test_load_fixture(rel, want, sizeof(want));
	assert_int_equal(n, sizeof(*m));
	assert_memory_equal(want, m, sizeof(*m));
	assert_int_equal(tern_lease_msg_validate(want, (size_t)n), 0);
}

static bool little_endian(void)
{
	const uint16_t one = 1;
	uint8_t b;

	memcpy(&b, &one, 1);
	return b == 1;
}

static void test_golden_v4(void **state)
{
	struct tern_lease_msg m;

	(void)state;
	/* The fixtures are x86 / ARM byte order (integers are host order). */
	if (!little_endian())
		skip();
	build_v4(&m);
	golden("ipc/v4_bound.bin", &m);
}

static void test_golden_v6(void **state)
{
	struct tern_lease_msg m;

	(void)state;
	if (!little_endian())
		skip();
	build_v6(&m);
	golden("ipc/v6_add.bin", &m);
}

static void test_layout(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct tern_lease_msg), 6244);
	assert_int_equal(sizeof(struct tern_lease_v4), 6208);
	assert_int_equal(sizeof(struct tern_lease_v6), 4516);
	assert_int_equal(offsetof(struct tern_lease_msg, version), 32);
	assert_int_equal(offsetof(struct tern_lease_msg, data), 36);
	assert_int_equal(offsetof(struct tern_lease_v4, tlv), 5184);
	assert_int_equal(offsetof(struct tern_lease_v6, tlv), 3492);
	assert_int_equal(TERN_LEASE_V4, 4);
	assert_int_equal(TERN_LEASE_V6, 6);
}

static void test_init_and_set(void **state)
{
	struct tern_lease_msg m;
	char buf[4] = "xyz";

	(void)state;
	assert_int_equal(tern_lease_msg_init(NULL, 4, "eth0"), -EINVAL);
	assert_int_equal(tern_lease_msg_init(&m, 0, "eth0"), -EINVAL);
	assert_int_equal(tern_lease_msg_init(&m, 1, "eth0"), -EINVAL);
	assert_int_equal(tern_lease_msg_init(&m, 4, ""), -EINVAL);
	assert_int_equal(tern_lease_msg_init(&m, 4, NULL), -EINVAL);
	assert_int_equal(tern_lease_msg_init(&m, 4, "eth0/1"), -EINVAL);
	assert_int_equal(tern_lease_msg_init(&m, 4, "a234567890123456"),
			 -EINVAL);
	assert_int_equal(tern_lease_msg_init(&m, 6, "a23456789012345"), 0);
	assert_string_equal(m.ifname, "a23456789012345");
	assert_string_equal(m.data.v6.ifname, "a23456789012345");

	/* Truncation is reported and leaves the field untouched. */
	assert_int_equal(tern_lease_set_str(buf, sizeof(buf), "abcd"),
			 -ENOBUFS);
	assert_string_equal(buf, "xyz");
	assert_int_equal(tern_lease_set_str(buf, sizeof(buf), "abc"), 3);
	assert_string_equal(buf, "abc");
	assert_int_equal(tern_lease_set_str(buf, sizeof(buf), ""), 0);
	assert_string_equal(buf, "");
	assert_int_equal(tern_lease_set_str(NULL, 4, "a"), -EINVAL);
	assert_int_equal(tern_lease_set_str(buf, 0, "a"), -EINVAL);
}

static void test_ifname_valid(void **state)
{
	(void)state;
	assert_true(tern_lease_ifname_valid("erouter0"));
	assert_true(tern_lease_ifname_valid("eth0.100"));
	assert_true(tern_lease_ifname_valid("veth-c_1@x"));
	assert_true(tern_lease_ifname_valid("a23456789012345"));
	assert_false(tern_lease_ifname_valid("a234567890123456"));
	assert_false(tern_lease_ifname_valid(""));
	assert_false(tern_lease_ifname_valid("."));
	assert_false(tern_lease_ifname_valid(".."));
	assert_false(tern_lease_ifname_valid("eth 0"));
	assert_false(tern_lease_ifname_valid("eth0:1"));
	assert_false(tern_lease_ifname_valid("eth\n"));
	assert_false(tern_lease_ifname_valid(NULL));
}

static void test_options_area(void **state)
{
	struct tern_lease_msg m;
	struct tern_lease_v4 *v4 = &m.data.v4;
	static uint8_t big[TERN_LEASE_TLV_LEN];
	const uint8_t *data;
	uint16_t code, len;
	size_t off = 0;

	(void)state;
	assert_int_equal(tern_lease_msg_init(&m, 4, "eth0"), 0);
	assert_int_equal(tern_lease_v4_add_option(v4, 0, "x", 1), -EINVAL);
	assert_int_equal(tern_lease_v4_add_option(v4, 255, "x", 1), -EINVAL);
	assert_int_equal(tern_lease_v4_add_option(v4, 1, NULL, 1), -EINVAL);
	assert_int_equal(tern_lease_v4_add_option(v4, 43, "ab", 2), 0);
	assert_int_equal(tern_lease_v4_add_option(v4, 44, NULL, 0), 0);
	/* No room: refused, area untouched. */
	assert_int_equal(
		tern_lease_v4_add_option(v4, 45, big, sizeof(big) - 10 - 3),
		-ENOBUFS);
	assert_int_equal(v4->tlv_len, 10);
	assert_int_equal(v4->tlv_count, 2);
	assert_int_equal(
		tern_lease_v4_add_option(v4, 45, big, sizeof(big) - 10 - 4), 0);
	assert_int_equal(v4->tlv_len, TERN_LEASE_TLV_LEN);
	assert_int_equal(tern_lease_v4_add_option(v4, 46, NULL, 0), -ENOBUFS);

	assert_int_equal(tern_lease_tlv_next(v4->tlv, v4->tlv_len, &off, &code,
					     &data, &len),
			 1);
	assert_int_equal(code, 43);
	assert_int_equal(len, 2);
	assert_memory_equal(data, "ab", 2);
	assert_int_equal(tern_lease_tlv_next(v4->tlv, v4->tlv_len, &off, &code,
					     &data, &len),
			 1);
	assert_int_equal(code, 44);
	assert_int_equal(len, 0);
	assert_int_equal(tern_lease_tlv_next(v4->tlv, v4->tlv_len, &off, &code,
					     &data, &len),
			 1);
	assert_int_equal(code, 45);
	assert_int_equal(tern_lease_tlv_next(v4->tlv, v4->tlv_len, &off, &code,
					     &data, &len),
			 0);
	/* v6 codes go up to 65535; a broken area is seen by the walker. */
	assert_int_equal(tern_lease_msg_init(&m, 6, "eth0"), 0);
	assert_int_equal(tern_lease_v6_add_option(&m.data.v6, 0, NULL, 0),
			 -EINVAL);
	assert_int_equal(tern_lease_v6_add_option(&m.data.v6, 65535, "abc", 3),
			 0);
	off = 0;
	assert_int_equal(
		tern_lease_tlv_next(m.data.v6.tlv, 6, &off, &code, &data, &len),
		-EBADMSG);
	off = 0;
	assert_int_equal(
		tern_lease_tlv_next(m.data.v6.tlv, 3, &off, &code, &data, &len),
		-EBADMSG);
}

/* Validate m and expect the given errno, reason and field name. */
static void expect(const struct tern_lease_msg *m, int err,
		   enum tern_lease_reason reason, const char *field)
{
	struct tern_lease_verdict v;
	int r = tern_lease_msg_check(m, sizeof(*m), &v);

	if (r != err || v.reason != reason ||
	    (field && strcmp(v.field, field) != 0))
		print_error("got %d %s (%s), want %d %s (%s)\n", r,
			    tern_lease_reason_str(v.reason), v.field, err,
			    tern_lease_reason_str(reason), field ? field : "");
	assert_int_equal(r, err);
	assert_int_equal(v.reason, reason);
	if (field)
		assert_string_equal(v.field, field);
	assert_int_equal(tern_lease_msg_validate(m, sizeof(*m)), err);
}

static void test_validate_ok(void **state)
{
	struct tern_lease_msg m;
	struct tern_lease_verdict v = {.reason = TERN_LEASE_R_MAX_};

	(void)state;
	build_v4(&m);
	assert_int_equal(tern_lease_msg_check(&m, sizeof(m), &v), 0);
	assert_int_equal(v.reason, TERN_LEASE_OK);
	build_v6(&m);
	expect(&m, 0, TERN_LEASE_OK, "");
}

static void test_validate_envelope(void **state)
{
	static uint8_t buf[sizeof(struct tern_lease_msg) + 1];
	struct tern_lease_msg m;
	struct tern_lease_verdict v;

	(void)state;
	assert_int_equal(tern_lease_msg_check(NULL, sizeof(m), &v), -EINVAL);
	assert_int_equal(v.reason, TERN_LEASE_R_NULL);
	build_v4(&m);
	memcpy(buf + 1, &m, sizeof(m));
	/* Unaligned buffers are fine. */
	assert_int_equal(tern_lease_msg_validate(buf + 1, sizeof(m)), 0);
	assert_int_equal(tern_lease_msg_check(buf, sizeof(m) + 1, &v),
			 -EMSGSIZE);
	assert_int_equal(v.reason, TERN_LEASE_R_SIZE);
	assert_int_equal(tern_lease_msg_check(&m, sizeof(m) - 1, &v),
			 -EMSGSIZE);
	assert_int_equal(tern_lease_msg_check(&m, 0, &v), -EMSGSIZE);

	/* RDK's 0 / 1 are not tern's wire values. */
	for (uint32_t ver = 0; ver < 8; ver++) {
		if (ver == 4 || ver == 6)
			continue;
		m.version = ver;
		expect(&m, -EPROTO, TERN_LEASE_R_VERSION, "version");
	}
	memset(buf, 0, sizeof(buf));
	assert_int_equal(tern_lease_msg_validate(buf, sizeof(m)), -EPROTO);

	build_v4(&m);
	memset(m.ifname, 'a', sizeof(m.ifname));
	expect(&m, -EBADMSG, TERN_LEASE_R_IFNAME_UNTERMINATED, "ifname");
	build_v4(&m);
	m.ifname[0] = '\0';
	expect(&m, -EBADMSG, TERN_LEASE_R_IFNAME_EMPTY, "ifname");
	build_v4(&m);
	memcpy(m.ifname, "a234567890123456", 17);
	expect(&m, -EBADMSG, TERN_LEASE_R_IFNAME_TOO_LONG, "ifname");
	build_v4(&m);
	memcpy(m.ifname, "eth0/x", 7);
	expect(&m, -EBADMSG, TERN_LEASE_R_IFNAME_CHARSET, "ifname");
	build_v4(&m);
	memcpy(m.ifname, "..", 3);
	expect(&m, -EBADMSG, TERN_LEASE_R_IFNAME_CHARSET, "ifname");
	build_v4(&m);
	memcpy(m.ifname, "eth0", 5);
	expect(&m, -EBADMSG, TERN_LEASE_R_IFNAME_MISMATCH, "v4.ifname");
	build_v4(&m);
	memset(m.data.v4.ifname, 'a', sizeof(m.data.v4.ifname));
	expect(&m, -EBADMSG, TERN_LEASE_R_STR_UNTERMINATED, "v4.ifname");
	build_v6(&m);
	memcpy(m.data.v6.ifname, "eth1", 5);
	expect(&m, -EBADMSG, TERN_LEASE_R_IFNAME_MISMATCH, "v6.ifname");
	build_v6(&m);
	memset(m.data.v6.ifname, 'a', sizeof(m.data.v6.ifname));
	expect(&m, -EBADMSG, TERN_LEASE_R_STR_UNTERMINATED, "v6.ifname");
}

static void test_validate_v4_strings(void **state)
{
	struct tern_lease_msg m;
	struct tern_lease_v4 *v4 = &m.data.v4;

	(void)state;
	/* Every string field: unterminated. */
	static const struct {
		size_t off, size;
		const char *name;
	} f[] = {
#define F(x) {offsetof(struct tern_lease_v4, x), sizeof(v4->x), "v4." #x}
		F(address),	   F(netmask),	     F(gateway),
		F(dns_server),	   F(dns_server1),   F(time_zone),
		F(dhcp_server_id), F(dhcp_state),    F(sip_srv),
		F(static_routes),  F(option122),     F(option125),
		F(bootfile),	   F(tftp_server),   F(host_name),
		F(domain_name),	   F(broadcast),     F(dns_servers),
		F(ntp_servers),	   F(domain_search), F(message),
#undef F
	};
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		build_v4(&m);
		memset((char *)v4 + f[i].off, 'a', f[i].size);
		expect(&m, -EBADMSG, TERN_LEASE_R_STR_UNTERMINATED, f[i].name);
	}
	build_v4(&m);
	strcpy(v4->host_name, "evil\nline");
	expect(&m, -EBADMSG, TERN_LEASE_R_STR_CHARSET, "v4.host_name");
	build_v4(&m);
	strcpy(v4->gateway, "a\x7f");
	expect(&m, -EBADMSG, TERN_LEASE_R_STR_CHARSET, "v4.gateway");
	build_v4(&m);
	strcpy(v4->address, "10.250.1.256");
	expect(&m, -EBADMSG, TERN_LEASE_R_ADDRESS, "v4.address");
	build_v4(&m);
	strcpy(v4->netmask, "fd00::1");
	expect(&m, -EBADMSG, TERN_LEASE_R_ADDRESS, "v4.netmask");
	build_v4(&m);
	strcpy(v4->broadcast, "x");
	expect(&m, -EBADMSG, TERN_LEASE_R_ADDRESS, "v4.broadcast");
	build_v4(&m);
	strcpy(v4->option122, "abc");
	expect(&m, -EBADMSG, TERN_LEASE_R_HEX, "v4.option122");
	build_v4(&m);
	strcpy(v4->option122, "zz");
	expect(&m, -EBADMSG, TERN_LEASE_R_HEX, "v4.option122");
}

static void test_validate_v4_numbers(void **state)
{
	struct tern_lease_msg m;
	struct tern_lease_v4 *v4 = &m.data.v4;

	(void)state;
#define BOOL_CASE(member) \
	build_v4(&m);     \
	v4->member = 2;   \
	expect(&m, -ERANGE, TERN_LEASE_R_BOOL, "v4." #member)
	BOOL_CASE(address_assigned);
	BOOL_CASE(is_expired);
	BOOL_CASE(time_offset_assigned);
	BOOL_CASE(mtu_assigned);
	BOOL_CASE(option122_assigned);
	BOOL_CASE(option125_assigned);
#undef BOOL_CASE
	build_v4(&m);
	v4->pad0[1] = 1;
	expect(&m, -EBADMSG, TERN_LEASE_R_PAD, "v4.pad0");
	build_v4(&m);
	v4->pad1 = 1;
	expect(&m, -EBADMSG, TERN_LEASE_R_PAD, "v4.pad1");
	build_v4(&m);
	v4->pad2[0] = 1;
	expect(&m, -EBADMSG, TERN_LEASE_R_PAD, "v4.pad2");
	build_v4(&m);
	v4->flags = 0x2;
	expect(&m, -ERANGE, TERN_LEASE_R_FLAGS, "v4.flags");
	build_v4(&m);
	v4->event = 0;
	expect(&m, -ERANGE, TERN_LEASE_R_EVENT, "v4.event");
	build_v4(&m);
	v4->event = 6;
	expect(&m, -ERANGE, TERN_LEASE_R_EVENT, "v4.event");
	build_v4(&m);
	v4->event = TERN_LEASE_V4_RENEW;
	expect(&m, -EBADMSG, TERN_LEASE_R_STATE, "v4.dhcp_state");
	/* The event fixes assigned / expired. */
	build_v4(&m);
	v4->is_expired = 1;
	expect(&m, -EBADMSG, TERN_LEASE_R_INCONSISTENT, "v4.address_assigned");
	build_v4(&m);
	v4->event = TERN_LEASE_V4_NAK;
	strcpy(v4->dhcp_state, "nak");
	expect(&m, -EBADMSG, TERN_LEASE_R_INCONSISTENT, "v4.address_assigned");
	v4->address_assigned = 0;
	expect(&m, 0, TERN_LEASE_OK, "");
	v4->event = TERN_LEASE_V4_DECONFIG;
	strcpy(v4->dhcp_state, "deconfig");
	expect(&m, -EBADMSG, TERN_LEASE_R_INCONSISTENT, "v4.address_assigned");
	v4->is_expired = 1;
	expect(&m, 0, TERN_LEASE_OK, "");
	build_v4(&m);
	v4->address[0] = '\0';
	expect(&m, -EBADMSG, TERN_LEASE_R_INCONSISTENT, "v4.address");
	build_v4(&m);
	v4->prefix_len = 33;
	expect(&m, -ERANGE, TERN_LEASE_R_RANGE, "v4.prefix_len");
	build_v4(&m);
	v4->time_offset = 86401;
	expect(&m, -ERANGE, TERN_LEASE_R_RANGE, "v4.time_offset");
	build_v4(&m);
	v4->time_offset = -86401;
	expect(&m, -ERANGE, TERN_LEASE_R_RANGE, "v4.time_offset");
	build_v4(&m);
	v4->time_offset_assigned = 0;
	expect(&m, -EBADMSG, TERN_LEASE_R_INCONSISTENT, "v4.time_offset");
	build_v4(&m);
	v4->mtu_size = 67;
	expect(&m, -ERANGE, TERN_LEASE_R_RANGE, "v4.mtu_size");
	build_v4(&m);
	v4->mtu_assigned = 0;
	expect(&m, -ERANGE, TERN_LEASE_R_RANGE, "v4.mtu_size");
	build_v4(&m);
	v4->option122_assigned = 0;
	expect(&m, -EBADMSG, TERN_LEASE_R_INCONSISTENT,
	       "v4.option122_assigned");
	build_v4(&m);
	v4->option125_assigned = 1;
	expect(&m, -EBADMSG, TERN_LEASE_R_INCONSISTENT,
	       "v4.option125_assigned");
}

static void test_validate_tlv(void **state)
{
	struct tern_lease_msg m;
	struct tern_lease_v4 *v4 = &m.data.v4;
	struct tern_lease_v6 *v6 = &m.data.v6;
	struct tern_lease_verdict v;

	(void)state;
	build_v4(&m);
	v4->tlv_len = TERN_LEASE_TLV_LEN + 1;
	expect(&m, -EMSGSIZE, TERN_LEASE_R_TLV_LEN, "v4.tlv");
	build_v4(&m);
	v4->tlv_len = 6; /* cuts the second entry's header */
	expect(&m, -EBADMSG, TERN_LEASE_R_TLV_OVERRUN, "v4.tlv");
	build_v4(&m);
	v4->tlv[3] = 3; /* first entry claims more than the area */
	v4->tlv_len = 6;
	expect(&m, -EBADMSG, TERN_LEASE_R_TLV_OVERRUN, "v4.tlv");
	build_v4(&m);
	v4->tlv[0] = 1; /* code 0x0135 = 309 > 254 */
	assert_int_equal(tern_lease_msg_check(&m, sizeof(m), &v), -ERANGE);
	assert_int_equal(v.reason, TERN_LEASE_R_TLV_CODE);
	assert_int_equal(v.offset, 36 + offsetof(struct tern_lease_v4, tlv));
	build_v4(&m);
	v4->tlv[5] = 0; /* second entry (after 4 + 1 bytes): code 0 */
	v4->tlv[6] = 0;
	expect(&m, -ERANGE, TERN_LEASE_R_TLV_CODE, "v4.tlv");
	build_v4(&m);
	v4->tlv_count = 3;
	expect(&m, -EBADMSG, TERN_LEASE_R_TLV_COUNT, "v4.tlv");

	build_v6(&m);
	v6->tlv[0] = 0xff; /* any non-zero v6 code is fine */
	expect(&m, 0, TERN_LEASE_OK, "");
	v6->tlv[0] = 0;
	v6->tlv[1] = 0;
	expect(&m, -ERANGE, TERN_LEASE_R_TLV_CODE, "v6.tlv");
	build_v6(&m);
	v6->tlv_len = 3;
	expect(&m, -EBADMSG, TERN_LEASE_R_TLV_OVERRUN, "v6.tlv");
	build_v6(&m);
	v6->tlv_len = 0xffff;
	expect(&m, -EMSGSIZE, TERN_LEASE_R_TLV_LEN, "v6.tlv");
	build_v6(&m);
	v6->tlv_count = 0;
	expect(&m, -EBADMSG, TERN_LEASE_R_TLV_COUNT, "v6.tlv");
}

static void test_validate_v6(void **state)
{
	struct tern_lease_msg m;
	struct tern_lease_v6 *v6 = &m.data.v6;

	(void)state;
	build_v6(&m);
	v6->is_expired = 2;
	expect(&m, -ERANGE, TERN_LEASE_R_BOOL, "v6.is_expired");
	build_v6(&m);
	v6->pad0[0] = 1;
	expect(&m, -EBADMSG, TERN_LEASE_R_PAD, "v6.pad0");
	build_v6(&m);
	v6->pad1 = 1;
	expect(&m, -EBADMSG, TERN_LEASE_R_PAD, "v6.pad1");
	build_v6(&m);
	v6->ia_na[3].pad[1] = 1;
	expect(&m, -EBADMSG, TERN_LEASE_R_PAD, "v6.ia_na.pad");
	build_v6(&m);
	v6->ia_pd[2].pad = 1;
	expect(&m, -EBADMSG, TERN_LEASE_R_PAD, "v6.ia_pd.pad");
	build_v6(&m);
	v6->flags = 0x4;
	expect(&m, -ERANGE, TERN_LEASE_R_FLAGS, "v6.flags");
	build_v6(&m);
	v6->event = 0;
	expect(&m, -ERANGE, TERN_LEASE_R_EVENT, "v6.event");
	build_v6(&m);
	v6->event = 5;
	expect(&m, -ERANGE, TERN_LEASE_R_EVENT, "v6.event");

	/* IA entries */
	build_v6(&m);
	v6->ia_na[0].assigned = 2;
	expect(&m, -ERANGE, TERN_LEASE_R_BOOL, "v6.ia_na");
	build_v6(&m);
	v6->ia_pd[1].flags = 0x80;
	expect(&m, -ERANGE, TERN_LEASE_R_FLAGS, "v6.ia_pd");
	build_v6(&m);
	memset(v6->ia_na[1].address, 'a', TERN_LEASE_ADDR6_LEN);
	expect(&m, -EBADMSG, TERN_LEASE_R_STR_UNTERMINATED, "v6.ia_na");
	build_v6(&m);
	strcpy(v6->ia_na[0].address, "10.0.0.1");
	expect(&m, -EBADMSG, TERN_LEASE_R_ADDRESS, "v6.ia_na");
	build_v6(&m);
	strcpy(v6->ia_pd[0].prefix, "fd00::/56");
	expect(&m, -EBADMSG, TERN_LEASE_R_ADDRESS, "v6.ia_pd");
	build_v6(&m);
	v6->ia_na[0].preferred = 4001;
	expect(&m, -ERANGE, TERN_LEASE_R_RANGE, "v6.ia_na");
	build_v6(&m);
	v6->ia_na[0].address[0] = '\0';
	expect(&m, -EBADMSG, TERN_LEASE_R_INCONSISTENT, "v6.ia_na");
	build_v6(&m);
	v6->ia_pd[0].prefix_len = 129;
	expect(&m, -ERANGE, TERN_LEASE_R_RANGE, "v6.ia_pd.prefix_len");
	build_v6(&m);
	v6->ia_pd[0].prefix_len = 0;
	expect(&m, -ERANGE, TERN_LEASE_R_RANGE, "v6.ia_pd.prefix_len");

	/* Withdrawn prefix and replacement flag. */
	build_v6(&m);
	v6->ia_pd[0].flags = TERN_LEASE_IA_F_WITHDRAWN;
	expect(&m, -EBADMSG, TERN_LEASE_R_INCONSISTENT, "v6.ia_pd");
	v6->ia_pd[0].assigned = 0;
	v6->ia_pd[0].preferred = 0;
	v6->ia_pd[0].valid = 0;
	expect(&m, 0, TERN_LEASE_OK, "");
	v6->flags = TERN_LEASE_F_PD_REPLACE;
	expect(&m, 0, TERN_LEASE_OK, "");
	v6->event = TERN_LEASE_V6_DELETE;
	expect(&m, 0, TERN_LEASE_OK, "");
	v6->is_expired = 1;
	expect(&m, -EBADMSG, TERN_LEASE_R_INCONSISTENT, "v6.is_expired");
	v6->event = TERN_LEASE_V6_EXPIRE;
	expect(&m, 0, TERN_LEASE_OK, "");
	v6->is_expired = 0;
	expect(&m, -EBADMSG, TERN_LEASE_R_INCONSISTENT, "v6.is_expired");
	build_v6(&m);
	v6->flags = TERN_LEASE_F_PD_REPLACE;
	expect(&m, -EBADMSG, TERN_LEASE_R_INCONSISTENT, "v6.flags");
	build_v6(&m);
	v6->event = TERN_LEASE_V6_DELETE;
	expect(&m, -EBADMSG, TERN_LEASE_R_INCONSISTENT, "v6.is_expired");
	build_v6(&m);
	v6->is_expired = 1;
	expect(&m, -EBADMSG, TERN_LEASE_R_INCONSISTENT, "v6.is_expired");

	/* Strings and raw areas */
	build_v6(&m);
	memset(v6->aftr_name, 'a', sizeof(v6->aftr_name));
	expect(&m, -EBADMSG, TERN_LEASE_R_STR_UNTERMINATED, "v6.aftr_name");
	build_v6(&m);
	memset(v6->dns_servers, 'a', sizeof(v6->dns_servers));
	expect(&m, -EBADMSG, TERN_LEASE_R_STR_UNTERMINATED, "v6.dns_servers");
	build_v6(&m);
	memset(v6->domain_search, 'a', sizeof(v6->domain_search));
	expect(&m, -EBADMSG, TERN_LEASE_R_STR_UNTERMINATED, "v6.domain_search");
	build_v6(&m);
	memset(v6->ntp_servers, 'a', sizeof(v6->ntp_servers));
	expect(&m, -EBADMSG, TERN_LEASE_R_STR_UNTERMINATED, "v6.ntp_servers");
	build_v6(&m);
	strcpy(v6->domain_search, "a\tb");
	expect(&m, -EBADMSG, TERN_LEASE_R_STR_CHARSET, "v6.domain_search");
	build_v6(&m);
	strcpy(v6->server_addr, "fe80::1%eth0");
	expect(&m, -EBADMSG, TERN_LEASE_R_ADDRESS, "v6.server_addr");
	build_v6(&m);
	v6->mapt_len = TERN_LEASE_RAW_LEN + 1;
	expect(&m, -EMSGSIZE, TERN_LEASE_R_RAW_LEN, "v6.mapt_len");
	build_v6(&m);
	v6->mape_len = 0xffff;
	expect(&m, -EMSGSIZE, TERN_LEASE_R_RAW_LEN, "v6.mape_len");
	build_v6(&m);
	v6->vendor_len = TERN_LEASE_RAW_LEN + 1;
	expect(&m, -EMSGSIZE, TERN_LEASE_R_RAW_LEN, "v6.vendor_len");
	build_v6(&m);
	v6->mapt_len = TERN_LEASE_RAW_LEN;
	expect(&m, 0, TERN_LEASE_OK, "");
}

static void test_texts(void **state)
{
	(void)state;
	for (int i = 0; i < TERN_LEASE_R_MAX_; i++) {
		const char *t =
			tern_lease_reason_str((enum tern_lease_reason)i);
		assert_non_null(t);
		assert_true(strlen(t) > 3);
		assert_string_not_equal(t, "unknown reason");
		for (int k = 0; k < i; k++)
			assert_string_not_equal(
				t, tern_lease_reason_str(
					   (enum tern_lease_reason)k));
	}
	assert_string_equal(tern_lease_reason_str(TERN_LEASE_R_MAX_),
			    "unknown reason");
	assert_string_equal(tern_lease_reason_str((enum tern_lease_reason) - 1),
			    "unknown reason");
	assert_string_equal(tern_lease_v4_event_name(TERN_LEASE_V4_NAK), "nak");
	assert_string_equal(tern_lease_v6_event_name(TERN_LEASE_V6_EXPIRE),
			    "expire");
	assert_null(tern_lease_v4_event_name(0));
	assert_null(tern_lease_v4_event_name(6));
	assert_null(tern_lease_v6_event_name(0));
	assert_null(tern_lease_v6_event_name(200));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_golden_v4),
		cmocka_unit_test(test_golden_v6),
		cmocka_unit_test(test_init_and_set),
		cmocka_unit_test(test_ifname_valid),
		cmocka_unit_test(test_options_area),
		cmocka_unit_test(test_validate_ok),
		cmocka_unit_test(test_validate_envelope),
		cmocka_unit_test(test_validate_v4_strings),
		cmocka_unit_test(test_validate_v4_numbers),
		cmocka_unit_test(test_validate_tlv),
		cmocka_unit_test(test_validate_v6),
		cmocka_unit_test(test_texts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
